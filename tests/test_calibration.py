"""The yardstick of the engagement index: calibrated from the club's own history unless fixed,
bounded so that nobody with near-zero capacity dominates, and meaning the same on any club."""

from datetime import timedelta

import pytest

from lib.engagement.calibration import rate_in_force
from lib.engagement.scoring import member_scores
from lib.filters import Filters
from lib.settings import DEFAULTS, current_settings, save_setting
from lib.store.db import Database
from tests.conftest import AS_OF
from tests.test_scoring import FILTERS, Club

LONG = 10**12  # a half-life so long that points do not decay inside the tests


def settings_for(db: Database, **overrides) -> dict:
    return {**current_settings(db), "half_life_days": LONG, **overrides}


@pytest.fixture
def club(empty_db):
    return Club(empty_db)


def test_the_rate_is_the_median_points_per_hour_of_active_members(club):
    # Three active members with the same hours, 10, 20 and 60 points (external talks).
    for person in ("A", "B", "C"):
        club.member(person).capacity(person, 10.0)
    club.activity("A", AS_OF)
    club.activity("B", AS_OF).activity("B", AS_OF - timedelta(days=3))
    for day in range(6):
        club.activity("C", AS_OF - timedelta(days=day))
    settings = settings_for(club.db, min_hours_in_window=0.0)
    rate = rate_in_force(club.db, AS_OF, settings)
    assert rate.source == "calibrated"
    hours = member_scores(club.db, FILTERS, settings={**settings, "expected_points_per_hour": 1})
    assert rate.value == pytest.approx(20.0 / hours["hours_available"].iloc[0])
    scores = member_scores(club.db, FILTERS, settings=settings).set_index("person_id")
    assert scores.loc["B", "index"] == pytest.approx(1.0)  # the median member sits at 1.0


def test_an_administrator_can_fix_the_rate(club):
    club.member("A").capacity("A", 10.0)
    club.activity("A", AS_OF)
    save_setting(club.db, "expected_points_per_hour", 0.25, actor="admin@bank.example")
    assert rate_in_force(club.db, AS_OF).value == 0.25
    assert rate_in_force(club.db, AS_OF).source == "fixed"
    save_setting(club.db, "expected_points_per_hour", None, actor="admin@bank.example")
    assert rate_in_force(club.db, AS_OF).source == "calibrated"


def test_near_zero_capacity_cannot_dominate(club):
    """253 points on 1 hour used to give 126.4: capacity is floored, the index clipped."""
    club.member("BUSY").capacity("BUSY", 1.0 / 3)  # one hour over the 90-day window
    club.member("PEER").capacity("PEER", 10.0)
    for day in range(25):
        club.activity("BUSY", AS_OF - timedelta(days=day))
    club.activity("PEER", AS_OF)
    settings = settings_for(club.db, expected_points_per_hour=2.0, min_expected_points=0.0)
    busy = member_scores(club.db, FILTERS, settings=settings).set_index("person_id").loc["BUSY"]
    assert busy["points"] == pytest.approx(250.0)
    assert busy["expected"] == pytest.approx(DEFAULTS["min_hours_in_window"] * 2.0)
    assert busy["index"] == DEFAULTS["index_cap"]


@pytest.mark.parametrize("tier", ["demo", "large"])
def test_the_median_active_member_sits_near_one_on_every_tier(tmp_path, demo_db_path, tier):
    """The large tier's members are about ten times as active as the demo's: with the calibrated
    rate both clubs' median active member is at 1.0 and the core stays a minority."""
    if tier == "demo":
        db = Database(demo_db_path)
    else:
        from lib.demo import generate

        db = Database(tmp_path / "large.duckdb")
        generate(db, "large", as_of=AS_OF)
    scores = member_scores(db, Filters(as_of=AS_OF))
    active = scores[scores["status"] == "active"]
    assert active["index"].median() == pytest.approx(1.0, abs=0.1)
    shares = active["level"].value_counts(normalize=True)
    assert 0.05 <= shares.get("core", 0) <= 0.20
    assert shares.get("dormant", 0) <= 0.30
    assert active["index"].max() <= DEFAULTS["index_cap"]
    db.close()
