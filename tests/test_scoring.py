"""Engagement scoring on hand-made clubs: points, decay, workload adjustment, levels, risk."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pandas as pd
import pytest

from lib.access import AccessDenied, Viewer
from lib.engagement.scoring import (
    activity_trend,
    at_risk_members,
    engaged_share,
    engagement_report,
    engagement_scores,
    expected_curve,
    level_movement,
    level_summary,
    member_scores,
)
from lib.errors import Refusal, message
from lib.filters import Filters
from lib.reporting import all_reports
from lib.settings import (
    DEFAULTS,
    current_settings,
    save_setting,
    settings_history,
    update_settings,
)
from lib.store.db import Database

AS_OF = date(2026, 11, 15)
FILTERS = Filters(as_of=AS_OF)
CURATOR, LEADERSHIP = Viewer("curator"), Viewer("leadership")


class Club:
    """A tiny club written straight into an empty database."""

    def __init__(self, db: Database):
        self.db = db
        self.activity_no = 0

    def member(self, person_id, *, wave=1, status="active", department="IT", joined=None):
        with self.db.transaction() as cur:
            cur.execute(
                "INSERT INTO people (person_id, name, department) VALUES (?, ?, ?)",
                [person_id, f"Name {person_id}", department],
            )
            cur.execute(
                "INSERT INTO memberships (person_id, wave, status, joined_on) VALUES (?, ?, ?, ?)",
                [person_id, wave, status, joined or date(2024, 1, 1)],
            )
        return self

    def activity(self, person_id, on, kind="talk_external", audience=0):
        self.activity_no += 1
        self.db.execute(
            "INSERT INTO activities (activity_id, person_id, occurred_on, kind, audience) "
            "VALUES (?, ?, ?, ?, ?)",
            [f"A{self.activity_no}", person_id, on, kind, audience],
        )
        return self

    def capacity(self, person_id, hours, months=None):
        months = months or [date(2026, m, 1) for m in range(1, 13)]
        with self.db.transaction() as cur:
            for month in months:
                cur.execute(
                    "INSERT INTO capacity (person_id, month, hours_available) VALUES (?, ?, ?)",
                    [person_id, month, hours],
                )
        return self

    def event(self, person_id, on, to_status, from_status=None):
        self.db.execute(
            "INSERT INTO membership_events (person_id, changed_on, from_status, to_status) "
            "VALUES (?, ?, ?, ?)",
            [person_id, on, from_status, to_status],
        )
        return self


# The values these tests were worked out with, whatever the shipped defaults become.
PINNED = {
    **DEFAULTS,
    "kind_weights": {**DEFAULTS["kind_weights"], "talk_external": 10.0, "article": 5.0},
    "half_life_days": 90,
    "window_days": 90,
    "expected_points_per_hour": 0.5,
    "default_hours_available": 8.0,
    "min_expected_points": 2.0,
    "min_hours_in_window": 0.0,
    "index_cap": 10.0**9,
    "level_core_index": 1.5,
    "level_active_index": 0.75,
    "dormant_days": 90,
    "at_risk_drop": 0.5,
    "recognition_gap_days": 180,
}


def tuned(**overrides):
    """The pinned settings with some values replaced."""
    merged = {**PINNED, **overrides}
    merged["kind_weights"] = {**PINNED["kind_weights"], **overrides.get("kind_weights", {})}
    return merged


def pin_settings(db: Database) -> None:
    """Store the pinned values so every function reading the database's settings uses them."""
    for key in ("kind_weights", "expected_points_per_hour", "default_hours_available"):
        save_setting(db, key, PINNED[key], actor="test")
    for key in ("half_life_days", "window_days", "min_expected_points", "dormant_days"):
        save_setting(db, key, PINNED[key], actor="test")
    for key in ("min_hours_in_window", "index_cap"):
        save_setting(db, key, PINNED[key], actor="test")
    for key in ("level_core_index", "level_active_index", "at_risk_drop", "recognition_gap_days"):
        save_setting(db, key, PINNED[key], actor="test")


def by_person(frame):
    return frame.set_index("person_id")


@pytest.fixture
def club(empty_db):
    pin_settings(empty_db)
    return Club(empty_db)


def test_busy_executive_with_two_talks_outranks_idle_member_with_same_points(club):
    club.member("EXEC").member("IDLE")
    club.capacity("EXEC", 4.0).capacity("IDLE", 40.0)
    for person in ("EXEC", "IDLE"):
        club.activity(person, AS_OF - timedelta(days=10), audience=300)
        club.activity(person, AS_OF - timedelta(days=40), audience=300)
    scores = by_person(member_scores(club.db, FILTERS))
    assert scores.loc["EXEC", "points"] == pytest.approx(scores.loc["IDLE", "points"])
    hours = scores["hours_available"]
    assert hours["IDLE"] == pytest.approx(10 * hours["EXEC"])
    assert scores.loc["EXEC", "index"] == pytest.approx(10 * scores.loc["IDLE", "index"])
    assert list(scores.index) == ["EXEC", "IDLE"]
    assert scores.loc["EXEC", "level"] == "core"
    assert scores.loc["IDLE", "level"] == "contributing"


def test_points_follow_weight_reach_and_decay(club):
    club.member("M1").capacity("M1", 10.0)
    club.activity("M1", AS_OF, audience=99)
    settings = tuned(window_days=400, half_life_days=90)
    fresh = member_scores(club.db, FILTERS, settings=settings)
    # weight 10 × reach (1 + log10(100) / 2 = 2) × no decay
    assert fresh.loc[0, "points"] == pytest.approx(20.0)
    club.db.execute("UPDATE activities SET occurred_on = ?", [AS_OF - timedelta(days=90)])
    aged = member_scores(club.db, FILTERS, settings=settings)
    assert aged.loc[0, "points"] == pytest.approx(10.0)
    club.db.execute("UPDATE activities SET occurred_on = ?", [AS_OF - timedelta(days=180)])
    assert member_scores(club.db, FILTERS, settings=settings).loc[0, "points"] == pytest.approx(5)


def test_window_boundaries_and_unknown_kinds(club):
    club.member("M1").capacity("M1", 10.0)
    club.activity("M1", AS_OF - timedelta(days=90))  # just outside a 90-day window
    with pytest.raises(duckdb.ConstraintException):  # the schema refuses unknown kinds
        club.activity("M1", AS_OF - timedelta(days=89), kind="unheard_of")
    scores = member_scores(club.db, FILTERS, settings=tuned(half_life_days=10**9))
    assert scores.loc[0, "points"] == pytest.approx(0.0)
    assert scores.loc[0, "previous_points"] == pytest.approx(10.0)


def test_capacity_is_prorated_and_default_is_flagged(club):
    club.member("NONE").member("SOME").member("FULL")
    club.capacity("SOME", 20.0, months=[date(2026, 10, 1)])
    club.capacity("FULL", 30.0)
    scores = by_person(member_scores(club.db, FILTERS))
    # The window 18 Aug – 15 Nov covers 14/31 of August, September, October and 15/30 of November.
    share = 14 / 31 + 1 + 1 + 15 / 30
    assert scores.loc["NONE", "capacity_flag"] == "default"
    assert scores.loc["NONE", "hours_available"] == pytest.approx(8.0 * share)
    assert scores.loc["SOME", "capacity_flag"] == "partial"
    assert scores.loc["SOME", "hours_available"] == pytest.approx(8.0 * (share - 1) + 20.0)
    assert scores.loc["FULL", "capacity_flag"] == "reported"
    assert scores.loc["FULL", "hours_available"] == pytest.approx(30.0 * share)
    assert scores.loc["FULL", "expected"] == pytest.approx(30.0 * share * 0.5)


def test_expected_points_are_clipped_below(club):
    club.member("ZERO").capacity("ZERO", 0.0)
    club.activity("ZERO", AS_OF)
    scores = member_scores(club.db, FILTERS)
    assert scores.loc[0, "expected"] == pytest.approx(2.0)
    assert scores.loc[0, "index"] == pytest.approx(5.0)


LEVEL_SETTINGS = {
    "expected_points_per_hour": 0.0,
    "min_expected_points": 10.0,
    "kind_weights": {
        "talk_external": 15.0,
        "article": 7.5,
        "mentoring": 7.4,
        "talk_internal": 20.0,
    },
}


@pytest.mark.parametrize(
    ("kind", "age", "level"),
    [
        ("talk_external", 0, "core"),  # index exactly 1.5
        ("article", 0, "active"),  # exactly 0.75
        ("mentoring", 0, "contributing"),  # 0.74
        ("talk_internal", 89, "core"),  # still within the dormant days
        ("talk_internal", 90, "dormant"),  # no contribution in the last 90 days
    ],
)
def test_level_boundaries(club, kind, age, level):
    club.member("M1")
    club.activity("M1", AS_OF - timedelta(days=age), kind=kind)
    settings = tuned(half_life_days=10**12, **LEVEL_SETTINGS)
    assert member_scores(club.db, FILTERS, settings=settings).loc[0, "level"] == level


def test_member_without_any_activity_is_dormant(club):
    club.member("M1")
    scores = member_scores(club.db, FILTERS)
    assert scores.loc[0, "level"] == "dormant"
    assert scores.loc[0, "points"] == 0
    assert not scores.loc[0, "at_risk"]


@pytest.mark.parametrize(
    ("previous", "current", "at_risk", "reason"),
    [
        (40.0, 20.0, True, "index_drop"),  # core 4.0 → core 2.0: exactly half
        (40.0, 20.5, False, None),  # core → core, a bit more than half
        (10.0, 7.0, True, "level_drop"),  # active 1.0 → contributing 0.7
        (10.0, 5.0, True, "index_and_level_drop"),
        (10.0, 12.0, False, None),
        (0.0, 3.0, False, None),  # nothing before: dormant → contributing is a rise
    ],
)
def test_at_risk_boundaries(club, previous, current, at_risk, reason):
    club.member("M1")
    weights = {"talk_external": previous, "article": current}
    if previous:
        club.activity("M1", AS_OF - timedelta(days=90), kind="talk_external")
    club.activity("M1", AS_OF, kind="article")
    settings = tuned(
        half_life_days=10**12,
        expected_points_per_hour=0.0,
        min_expected_points=10.0,
        kind_weights=weights,
    )
    row = member_scores(club.db, FILTERS, settings=settings).iloc[0]
    assert row["previous_points"] == pytest.approx(previous)
    assert bool(row["at_risk"]) is at_risk
    assert (row["reason"] if isinstance(row["reason"], str) else None) == reason


def test_silence_after_an_active_window_is_at_risk_with_both_reasons(club):
    club.member("M1")
    club.activity("M1", AS_OF - timedelta(days=100))
    row = member_scores(club.db, FILTERS).iloc[0]
    # 10 × 0.5^(10/90) = 9.26 points against 0.5 × 23.6 default hours = 11.8 expected
    assert (row["level"], row["previous_level"]) == ("dormant", "active")
    assert row["reason"] == "index_and_level_drop"
    risky = at_risk_members(member_scores(club.db, FILTERS), AS_OF)
    assert risky.loc[0, "days_since"] == 100
    assert "fell from" in risky.loc[0, "reason_text"]
    assert "Active" in risky.loc[0, "reason_text"] and "Dormant" in risky.loc[0, "reason_text"]


def test_statuses_and_filters_choose_the_members(club):
    club.member("A").member("B", status="alumni").member("C", status="candidate")
    club.member("D", department="HR", status="paused").member("E", status="onboarding", wave=2)
    assert set(member_scores(club.db, FILTERS)["person_id"]) == {"A", "D", "E"}
    hr = Filters(departments=("HR",), as_of=AS_OF)
    assert list(member_scores(club.db, hr)["person_id"]) == ["D"]
    wave2 = Filters(waves=(2,), as_of=AS_OF)
    assert list(member_scores(club.db, wave2)["person_id"]) == ["E"]


def test_leadership_gets_no_capacity_columns(club):
    club.member("M1").capacity("M1", 10.0)
    club.activity("M1", AS_OF)
    staff = engagement_scores(club.db, FILTERS, CURATOR)
    leaders = engagement_scores(club.db, FILTERS, LEADERSHIP)
    for column in ("hours_available", "expected", "previous_expected", "capacity_flag"):
        assert column in staff.columns
        assert column not in leaders.columns
    assert {"name", "index", "level"} <= set(leaders.columns) and "points" not in leaders
    with pytest.raises(AccessDenied):
        engagement_scores(club.db, FILTERS, Viewer("planner"))


def test_engagement_report_respects_the_viewer(club):
    club.member("M1").capacity("M1", 10.0)
    club.activity("M1", AS_OF - timedelta(days=100))
    assert "engagement" in all_reports()
    leaders = engagement_report(club.db, LEADERSHIP, as_of=AS_OF)
    assert list(leaders.columns) == [
        "person_id",
        "name",
        "department",
        "wave",
        "status",
        "index",
        "level",
        "previous_level",
        "at_risk",
        "reason",
        "last_contribution",
    ]
    assert leaders.loc[0, "reason"].startswith("Index fell from")
    staff = engagement_report(club.db, CURATOR, as_of=AS_OF)
    assert "hours_available" in staff.columns


def test_level_movement_and_summary(club):
    club.member("UP").member("DOWN").member("HELD")
    club.activity("UP", AS_OF)
    club.activity("DOWN", AS_OF - timedelta(days=100))
    scores = member_scores(club.db, FILTERS)
    moves = {
        (r.previous_level, r.level): (r.members, r.movement)
        for r in level_movement(scores).itertuples()
    }
    assert moves == {
        ("dormant", "active"): (1, "up"),
        ("active", "dormant"): (1, "down"),
        ("dormant", "dormant"): (1, "held"),
    }
    summary = level_summary(scores).set_index("level")
    assert summary.loc["dormant", "members"] == 2
    assert summary.loc["active", "members"] == 1
    assert summary.loc["active", "previous_members"] == 1


def test_activity_trend_by_kind_and_month(club):
    club.member("M1").member("M2", department="HR")
    club.activity("M1", date(2026, 10, 3), audience=99)
    club.activity("M2", date(2026, 10, 20), kind="article")
    club.activity("M2", date(2026, 11, 1), kind="article")
    total = activity_trend(club.db, FILTERS).set_index("month")
    assert total.loc[pd.Timestamp(2026, 10, 1), "activities"] == 2
    assert total.loc[pd.Timestamp(2026, 10, 1), "points"] == pytest.approx(20.0 + 5.0)  # undecayed
    assert total.loc[pd.Timestamp(2026, 10, 1), "contributors"] == 2
    by_department = activity_trend(club.db, FILTERS, "department")
    assert set(by_department["group"]) == {"IT", "HR"}
    with pytest.raises(ValueError):
        activity_trend(club.db, FILTERS, "colour")


def test_engaged_share_counts_active_members_with_a_recent_contribution(club):
    club.member("A", joined=date(2026, 1, 1)).member("B", joined=date(2026, 1, 1))
    club.member("LATE", joined=date(2026, 10, 1))
    club.activity("A", date(2026, 9, 1))
    club.activity("LATE", date(2026, 10, 5))
    share = engaged_share(club.db, Filters(as_of=AS_OF, period_months=3)).set_index("month_end")
    days = [date(2026, 8, 31), date(2026, 9, 30), date(2026, 10, 31), AS_OF]
    assert list(share.index) == [pd.Timestamp(d) for d in days]
    assert share.loc[pd.Timestamp(2026, 8, 31), "active"] == 2
    assert share.loc[pd.Timestamp(2026, 8, 31), "engaged"] == 0
    assert share.loc[pd.Timestamp(2026, 9, 30), "share"] == pytest.approx(0.5)
    assert share.loc[pd.Timestamp(AS_OF), "active"] == 3
    assert share.loc[pd.Timestamp(AS_OF), "engaged"] == 2


def test_expected_curve_shows_the_thresholds():
    curve = expected_curve(tuned(), max_hours=40, steps=4).set_index("hours_available")
    assert curve.loc[0, "expected"] == 2.0  # the floor
    assert curve.loc[40, "expected"] == 20.0
    assert curve.loc[40, "core"] == 30.0 and curve.loc[40, "active"] == 15.0


def test_saving_a_weight_changes_the_score(club):
    club.member("M1")
    club.activity("M1", AS_OF)
    before = member_scores(club.db, FILTERS).loc[0, "points"]
    weights = {**PINNED["kind_weights"], "talk_external": 20.0}
    assert update_settings(club.db, CURATOR, {"kind_weights": weights}) == ["kind_weights"]
    assert current_settings(club.db)["kind_weights"]["talk_external"] == 20.0
    assert member_scores(club.db, FILTERS).loc[0, "points"] == pytest.approx(2 * before)
    assert update_settings(club.db, CURATOR, {"kind_weights": weights}) == []
    with pytest.raises(AccessDenied):
        update_settings(club.db, LEADERSHIP, {"half_life_days": 30})
    with pytest.raises(ValueError, match="active level"):
        update_settings(club.db, CURATOR, {"level_active_index": 2.0})
    with pytest.raises(ValueError, match="whole number"):
        update_settings(club.db, CURATOR, {"half_life_days": 0})


def test_settings_that_do_not_fit_together_are_refused_and_nothing_is_saved(club):
    keys = ["half_life_days", "window_days", "at_risk_drop"]
    versions = len(settings_history(club.db, keys))
    with pytest.raises(Refusal) as refused:
        update_settings(club.db, CURATOR, {"half_life_days": 30, "at_risk_drop": 1.5})
    assert str(refused.value) == "The at-risk drop must be between 0 and 1."
    with pytest.raises(Refusal) as refused:
        update_settings(club.db, CURATOR, {"window_days": 7.5})
    assert message(refused.value, "ru") == "«Окно оценки, дней»: нужно целое число не меньше 1."
    assert len(settings_history(club.db, keys)) == versions


def test_demo_club_scores(demo_db_path):
    from lib.store.db import open_database

    scores = member_scores(open_database(demo_db_path), FILTERS)
    assert len(scores) == scores["person_id"].nunique()
    assert set(scores["status"]) <= {"active", "onboarding", "paused"}
    assert set(scores["level"]) <= {"core", "active", "contributing", "dormant"}
    assert scores["at_risk"].any()
    assert (scores["expected"] >= 2.0).all()


def test_no_two_numbers_give_away_a_members_hours_to_leadership(club):
    """hours = points ÷ index ÷ rate: whoever may not see capacity gets the index without the
    points, on the page's table and in the CLI report."""
    from lib.access import Viewer
    from lib.engagement.scoring import engagement_report, engagement_scores

    club.member("M1").capacity("M1", 12.0)
    club.activity("M1", AS_OF)
    viewer = Viewer("leadership")
    for frame in (
        engagement_scores(club.db, FILTERS, viewer),
        engagement_report(club.db, viewer, as_of=AS_OF),
    ):
        assert "index" in frame
        assert not {"points", "previous_points", "hours_available", "expected"} & set(frame)
    staff = engagement_report(club.db, Viewer("curator"), as_of=AS_OF)
    row = staff.iloc[0]
    # For staff the division works (the attack this guards against), up to rounding.
    assert row["hours_available"] == pytest.approx(row["points"] / row["index"] / 0.5, rel=0.02)
