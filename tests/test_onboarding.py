"""Onboarding checklists: steps from the data and from curators' ticks, overdue flags, and
who may see and change them."""

from datetime import date

import pytest

from lib.access import AccessDenied, Viewer
from lib.filters import Filters
from lib.insights import onboarding

CURATOR = Viewer("curator", email="curator@bank.example")
AS_OF = date(2026, 11, 15)
EVERYONE = Filters(as_of=AS_OF)


@pytest.fixture
def db(empty_db):
    """N1 in onboarding since 2026-09-01 (profile, onboarding day, a late contribution),
    N2 active since 2026-10-20 (nothing yet); A1 joined long ago and C1 is a candidate."""
    with empty_db.transaction() as cur:
        for person, department, status, joined in [
            ("N1", "IT", "onboarding", date(2026, 9, 1)),
            ("N2", "Risk", "active", date(2026, 10, 20)),
            ("A1", "IT", "active", date(2024, 1, 1)),
            ("C1", "IT", "candidate", date(2026, 10, 1)),
        ]:
            cur.execute(
                "INSERT INTO people (person_id, name, department) VALUES (?, ?, ?)",
                [person, f"Name {person}", department],
            )
            cur.execute(
                "INSERT INTO memberships (person_id, wave, status, joined_on) VALUES (?, 2, ?, ?)",
                [person, status, joined],
            )
        cur.execute(
            "INSERT INTO person_skills (person_id, skill_id, level, source, confirmed_on) "
            "VALUES ('N1', 'S1', 3, 'self', '2026-09-10'), ('A1', 'S1', 3, 'self', NULL)"
        )
        cur.execute(
            "INSERT INTO events (event_id, date, kind) VALUES "
            "('E1', '2026-09-20', 'onboarding_day'), ('E2', '2026-08-01', 'meetup'), "
            "('E3', '2026-12-01', 'meetup')"
        )
        cur.execute(
            "INSERT INTO attendance (event_id, person_id) VALUES ('E1', 'N1'), ('E2', 'N1'), "
            "('E3', 'N2')"
        )
        cur.execute(
            "INSERT INTO activities (activity_id, person_id, occurred_on, kind) VALUES "
            "('A1', 'N1', '2026-11-01', 'talk_internal'), ('A2', 'N1', '2026-08-15', 'article')"
        )
    return empty_db


def day(value) -> str | None:
    return None if value is None or value != value else str(value.date())


def steps_of(progress, person) -> dict:
    """step → (done, done_on, done_by, overdue, days_overdue) of one member."""
    mine = progress[progress.person_id == person].set_index("step_id")
    return {
        step: (
            bool(r.done),
            day(r.done_on),
            r.done_by if isinstance(r.done_by, str) else None,
            bool(r.overdue),
            int(r.days_overdue),
        )
        for step, r in mine.iterrows()
    }


def test_default_steps_follow_the_charter(db):
    steps = onboarding.onboarding_steps(db)
    assert list(steps.step_id) == [
        "welcome_meeting",
        "expertise_profile",
        "onboarding_day",
        "first_session",
        "first_contribution",
    ]
    assert list(steps.due_days) == [14, 30, 60, 45, 60]


def test_progress_from_data_with_overdue_flags(db):
    progress = onboarding.onboarding_progress(db, CURATOR, EVERYONE)
    assert sorted(progress.person_id.unique()) == ["N1", "N2"]
    assert steps_of(progress, "N1") == {
        "welcome_meeting": (False, None, None, True, 61),
        "expertise_profile": (True, "2026-09-10", "data", False, 0),
        "onboarding_day": (True, "2026-09-20", "data", False, 0),
        # The meetup of 2026-08-01 was before joining: it does not count.
        "first_session": (False, None, None, True, 30),
        # Done after its due day (2026-10-31): done late, no longer overdue.
        "first_contribution": (True, "2026-11-01", "data", False, 0),
    }
    n2 = steps_of(progress, "N2")
    assert n2["welcome_meeting"] == (False, None, None, True, 12)
    # The meetup of 2026-12-01 is after the as-of day.
    assert not any(done for done, *_ in n2.values())
    assert [overdue for *_, overdue, _ in n2.values()] == [True, False, False, False, False]


def test_summary_puts_members_with_overdue_steps_first(db):
    summary = onboarding.onboarding_summary(onboarding.onboarding_progress(db, CURATOR, EVERYONE))
    rows = summary[["person_id", "steps_done", "steps_total", "overdue_steps", "next_step"]]
    assert rows.values.tolist() == [
        ["N1", 3, 5, 2, "welcome_meeting"],
        ["N2", 0, 5, 1, "welcome_meeting"],
    ]
    assert str(summary.next_due.iloc[0].date()) == "2026-09-15"


def test_a_curator_tick_completes_a_step_and_can_be_removed(db):
    onboarding.tick_step(db, CURATOR, "N1", "welcome_meeting", done_on=date(2026, 9, 14))
    progress = onboarding.onboarding_progress(db, CURATOR, EVERYONE)
    assert steps_of(progress, "N1")["welcome_meeting"] == (
        True,
        "2026-09-14",
        "curator",
        False,
        0,
    )
    onboarding.untick_step(db, CURATOR, "N1", "welcome_meeting")
    progress = onboarding.onboarding_progress(db, CURATOR, EVERYONE)
    assert steps_of(progress, "N1")["welcome_meeting"][3] is True
    actions = db.rows("SELECT action, actor FROM audit_log ORDER BY entry_id")
    assert actions == [
        ("onboarding_tick", "curator@bank.example"),
        ("onboarding_untick", "curator@bank.example"),
    ]


def test_filters_and_recent_window(db):
    it_only = Filters(departments=("IT",), as_of=AS_OF)
    assert set(onboarding.onboarding_progress(db, CURATOR, it_only).person_id) == {"N1"}
    long_window = onboarding.onboarding_progress(db, CURATOR, EVERYONE, recent_days=2000)
    assert set(long_window.person_id) == {"N1", "N2", "A1"}


def test_progress_and_ticks_are_for_curators_and_admins(db):
    assert not onboarding.onboarding_progress(db, Viewer("admin"), EVERYONE).empty
    for role in ("leadership", "planner"):
        with pytest.raises(AccessDenied):
            onboarding.onboarding_progress(db, Viewer(role), EVERYONE)
        with pytest.raises(AccessDenied):
            onboarding.tick_step(db, Viewer(role), "N1", "welcome_meeting")
    assert not db.scalar("SELECT count(*) FROM onboarding_ticks")


def test_ticks_need_a_known_step_and_member(db):
    with pytest.raises(ValueError, match="step"):
        onboarding.tick_step(db, CURATOR, "N1", "free_lunch")
    with pytest.raises(ValueError, match="not a member"):
        onboarding.tick_step(db, CURATOR, "X9", "welcome_meeting")


def test_empty_club_gives_empty_summary(empty_db):
    progress = onboarding.onboarding_progress(empty_db, CURATOR, EVERYONE)
    assert progress.empty
    assert onboarding.onboarding_summary(progress).empty
