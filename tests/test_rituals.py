"""Rituals on a hand-made club: attendance, who never comes, recognition impact against a
comparison group, and members not recognised for a long time."""

from __future__ import annotations

from datetime import date

import pytest

from lib.access import AccessDenied, Viewer
from lib.engagement import rituals
from lib.filters import Filters
from tests.test_scoring import Club, pin_settings

AS_OF = date(2026, 11, 15)
FILTERS = Filters(as_of=AS_OF)
CURATOR, LEADERSHIP = Viewer("curator"), Viewer("leadership")


def day(text: str) -> date:
    return date.fromisoformat(text)


@pytest.fixture
def club(empty_db):
    """R is recognised on 1 June 2026; C1 and C2 are like R (wave 1, contributing at the end of
    May) and got nothing; D (dormant then), W2 (wave 2), C3 (recognised 20 June) and NEW
    (joined mid-May) must not be in R's comparison group."""
    pin_settings(empty_db)
    c = Club(empty_db)
    for person in ("R", "C1", "C2", "D", "C3"):
        c.member(person)
    c.member("W2", wave=2).member("NEW", joined=day("2026-05-15"))
    plan = {
        "R": ["2026-05-01", "2026-06-01", "2026-06-05", "2026-06-10", "2026-07-30"],
        "C1": ["2026-05-01", "2026-06-10", "2026-06-15"],
        "C2": ["2026-05-01", "2026-05-02", "2026-07-01"],
        "D": [f"2026-06-{d:02d}" for d in range(1, 11)],
        "W2": ["2026-05-01"] + [f"2026-06-{d:02d}" for d in range(1, 6)],
        "C3": ["2026-05-01"] + [f"2026-07-{d:02d}" for d in range(1, 6)],
        "NEW": ["2026-05-20"] + [f"2026-06-{d:02d}" for d in range(1, 6)],
    }
    for person, days in plan.items():
        for on in days:
            c.activity(person, day(on), kind="mentoring")
    recognitions = [
        ("R", "2026-06-01", "award"),
        ("C3", "2026-06-20", "merch"),
        ("C1", "2025-01-01", "thanks"),
    ]
    events = [
        ("E1", "2026-03-01", "meetup"),
        ("E2", "2026-09-01", "demo_day"),
        ("E3", "2024-01-01", "meetup"),
        ("E4", "2026-12-01", "offsite"),
    ]
    attendance = [
        ("E1", "R", "attendee"),
        ("E1", "C1", "speaker"),
        ("E2", "R", "organiser"),
        ("E2", "NEW", "attendee"),
        ("E3", "C2", "attendee"),
    ]
    with empty_db.transaction() as cur:
        for person, on, kind in recognitions:
            cur.execute(
                "INSERT INTO recognitions (person_id, date, kind) VALUES (?, ?, ?)",
                [person, day(on), kind],
            )
        for event_id, on, kind in events:
            cur.execute(
                "INSERT INTO events (event_id, date, kind, title) VALUES (?, ?, ?, ?)",
                [event_id, day(on), kind, f"{kind} {on}"],
            )
        cur.executemany("INSERT INTO attendance VALUES (?, ?, ?)", [list(a) for a in attendance])
    return c


def test_recognition_is_compared_with_similar_members_who_got_nothing(club):
    cases = rituals.recognition_cases(club.db, FILTERS).set_index("person_id")
    assert set(cases.index) == {"R", "C3"}
    r = cases.loc["R"]
    assert r["level"] == "contributing"
    assert (r["before"], r["after"]) == (1, 4)
    assert r["peers"] == 2  # C1 and C2 only
    assert r["peer_before"] == pytest.approx(1.5)  # C1 1, C2 2
    assert r["peer_after"] == pytest.approx(1.5)  # C1 2, C2 1
    assert r["effect"] == pytest.approx(3.0)  # (4 − 1) − (1.5 − 1.5)
    assert cases.loc["C3", "peers"] == 2  # C1 and C2 again; R was recognised within 60 days


def test_filters_narrow_the_cases_and_their_comparison_groups(club):
    """Department and wave filters reach the shared impact builder as named parameters: the
    cases and the comparison group are both drawn from the filtered members."""
    it = rituals.recognition_cases(club.db, Filters(as_of=AS_OF, departments=("IT",)))
    assert it["person_id"].tolist() == ["R", "C3"]
    assert rituals.recognition_cases(club.db, Filters(as_of=AS_OF, departments=("HR",))).empty
    assert rituals.recognition_cases(club.db, Filters(as_of=AS_OF, waves=(2,))).empty
    wave_one = rituals.recognition_cases(club.db, Filters(as_of=AS_OF, waves=(1,)))
    assert wave_one.set_index("person_id").loc["R", "peers"] == 2


def test_recognition_impact_by_kind_and_overall(club):
    impact = rituals.recognition_impact(club.db, FILTERS).set_index("kind")
    assert impact.loc["award", "cases"] == 1
    assert impact.loc["award", "effect"] == pytest.approx(3.0)
    assert impact.loc[rituals.ALL_KINDS, "cases"] == 2
    assert impact.loc[rituals.ALL_KINDS, "unmatched"] == 0


def test_recognition_without_complete_after_window_is_left_out(club):
    club.db.execute(
        "INSERT INTO recognitions (person_id, date, kind) VALUES ('C2', ?, 'thanks')",
        [day("2026-10-01")],
    )
    cases = rituals.recognition_cases(club.db, FILTERS)
    assert "C2" not in set(cases["person_id"])


def test_no_recognitions_gives_empty_tables(empty_db):
    assert rituals.recognition_cases(empty_db, FILTERS).empty
    assert rituals.recognition_impact(empty_db, FILTERS).empty


def test_event_attendance_and_turnout(club):
    events = rituals.event_attendance(club.db, FILTERS).set_index("event_id")
    assert list(events.index) == ["E1", "E2"]  # E3 before the period, E4 not held yet
    assert events.loc["E1", "came"] == 2
    assert events.loc["E1", "speakers"] == 1
    assert events.loc["E1", "in_club"] == 6  # NEW joined later
    assert events.loc["E1", "turnout"] == pytest.approx(2 / 6)
    assert events.loc["E2", "organisers"] == 1
    assert events.loc["E2", "in_club"] == 7


def test_members_who_never_come_are_for_staff(club):
    with pytest.raises(AccessDenied):
        rituals.never_attending(club.db, FILTERS, LEADERSHIP)
    never = rituals.never_attending(club.db, FILTERS, CURATOR).set_index("person_id")
    assert set(never.index) == {"C2", "D", "C3", "W2"}
    assert never.loc["C2", "events_held"] == 2
    assert never.loc["C2", "last_attended"].date() == day("2024-01-01")


def test_members_not_recognised_for_long(club):
    with pytest.raises(AccessDenied):
        rituals.recognition_gaps(club.db, FILTERS, LEADERSHIP)
    gaps = rituals.recognition_gaps(club.db, FILTERS, CURATOR).set_index("person_id")
    assert set(gaps.index) == {"C1", "C2", "D", "W2", "NEW"}
    assert gaps.loc["C1", "days_since"] == (AS_OF - day("2025-01-01")).days
    assert gaps.loc["D", "recognitions"] == 0


def test_demo_recognitions_show_a_positive_effect(demo_db_path):
    from lib.store.db import open_database

    impact = rituals.recognition_impact(open_database(demo_db_path), Filters(as_of=AS_OF))
    overall = impact.set_index("kind").loc[rituals.ALL_KINDS]
    assert overall["cases"] > 20
    assert overall["effect"] > 0  # the demo bank boosts activity after recognitions
