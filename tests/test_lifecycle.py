"""Lifecycle on a known history: funnel, wave retention and offboarding reasons."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from lib.access import AccessDenied, Viewer
from lib.engagement import lifecycle
from lib.filters import Filters
from tests.test_scoring import Club

AS_OF = date(2026, 11, 15)
FILTERS = Filters(as_of=AS_OF, period_months=24)


@pytest.fixture
def history(empty_db):
    """Five members whose every step is known."""
    club = Club(empty_db)
    club.member("P1", status="alumni").member("P2").member("P3", status="alumni")
    club.member("P4", wave=2, status="candidate").member("P5", wave=2, joined=date(2026, 6, 1))
    steps = {
        "P1": [
            ("2025-01-01", "candidate"),
            ("2025-02-01", "onboarding"),
            ("2025-03-03", "active"),
            ("2025-09-03", "alumni"),
        ],
        "P2": [("2025-01-10", "candidate"), ("2025-02-09", "onboarding"), ("2025-04-10", "active")],
        "P3": [("2025-01-01", "candidate"), ("2025-01-21", "onboarding"), ("2025-03-01", "alumni")],
        "P4": [("2026-10-01", "candidate")],
    }
    for person, changes in steps.items():
        for on, status in changes:
            club.event(person, date.fromisoformat(on), status)
    empty_db.execute(
        "UPDATE memberships SET left_on = ?, exit_reason = ? WHERE person_id = ?",
        [date(2025, 9, 3), "High workload", "P1"],
    )
    empty_db.execute(
        "UPDATE memberships SET left_on = ?, exit_reason = ? WHERE person_id = ?",
        [date(2025, 3, 1), "Lost interest", "P3"],
    )
    empty_db.execute(
        "UPDATE membership_events SET note = 'Moved to a new role' "
        "WHERE person_id = 'P1' AND to_status = 'alumni'"
    )
    return empty_db


def test_funnel_counts_conversion_and_median_days(history):
    funnel = lifecycle.funnel(history, FILTERS).set_index("stage")
    assert list(funnel.index) == ["candidate", "onboarding", "active", "alumni"]
    # P5 has no events: their membership row says active since 1 June, implying earlier stages.
    assert list(funnel["reached"]) == [5, 4, 3, 1]
    assert funnel.loc["onboarding", "conversion"] == pytest.approx(4 / 5)
    assert funnel.loc["active", "conversion"] == pytest.approx(3 / 4)
    assert funnel.loc["alumni", "conversion"] == pytest.approx(1 / 3)
    assert pd.isna(funnel.loc["candidate", "conversion"])
    assert funnel.loc["onboarding", "median_days"] == 30  # 31, 30, 20
    assert funnel.loc["active", "median_days"] == 45  # 30, 60
    assert funnel.loc["alumni", "median_days"] == 184


def test_funnel_follows_the_filters(history):
    wave2 = lifecycle.funnel(history, Filters(waves=(2,), as_of=AS_OF))
    assert list(wave2["reached"]) == [2, 1, 1, 0]


def test_wave_retention_at_3_6_12_months(history):
    retention = lifecycle.wave_retention(history, FILTERS).set_index(["wave", "months"])
    assert retention.loc[(1, 3), ["eligible", "retained"]].tolist() == [3, 2]
    assert retention.loc[(1, 6), ["eligible", "retained"]].tolist() == [3, 2]
    assert retention.loc[(1, 12), ["eligible", "retained"]].tolist() == [3, 1]
    assert retention.loc[(1, 12), "retention"] == pytest.approx(1 / 3)
    assert retention.loc[(2, 3), ["eligible", "retained"]].tolist() == [1, 1]
    assert retention.loc[(2, 6), "eligible"] == 0
    assert pd.isna(retention.loc[(2, 6), "retention"])


def test_offboarding_reasons_are_counts_and_small_groups_fold_for_leadership(history):
    staff = lifecycle.offboarding_reasons(history, FILTERS, Viewer("curator"))
    assert dict(zip(staff["reason"], staff["alumni"], strict=True)) == {
        "High workload": 1,
        "Lost interest": 1,
    }
    assert staff["share"].sum() == pytest.approx(1.0)
    leaders = lifecycle.offboarding_reasons(history, FILTERS, Viewer("leadership"))
    assert leaders.to_dict("records") == [
        {"reason": lifecycle.OTHER_REASONS, "alumni": 2, "share": 1.0}
    ]
    recent = lifecycle.offboarding_reasons(
        history, Filters(as_of=AS_OF, period_months=12), Viewer("curator")
    )
    assert recent.empty


def test_exit_reasons_by_person_are_staff_only(history):
    with pytest.raises(AccessDenied):
        lifecycle.exit_reasons_by_person(history, FILTERS, Viewer("leadership"))
    exits = lifecycle.exit_reasons_by_person(history, FILTERS, Viewer("curator"))
    assert list(exits["person_id"]) == ["P1", "P3"]
    assert exits.loc[0, "note"] == "Moved to a new role"
    assert exits.loc[1, "exit_reason"] == "Lost interest"


def test_demo_lifecycle_is_consistent(demo_db_path):
    from lib.store.db import open_database

    db = open_database(demo_db_path)
    funnel = lifecycle.funnel(db, FILTERS)
    assert funnel["reached"].is_monotonic_decreasing
    retention = lifecycle.wave_retention(db, FILTERS)
    assert (retention["retained"] <= retention["eligible"]).all()
    assert set(retention["wave"]) == {1, 2}
