"""Renewal readiness on a club whose history is known: points against the expectation for each
member's capacity (the median active member at 1), the verified share, and the status."""

from datetime import date, timedelta

import pytest

from lib.access import Viewer
from lib.contributions import renewal
from lib.contributions.review import save_contribution_settings
from lib.filters import Filters
from lib.reporting import run_report

AS_OF = date(2026, 11, 15)
CURATOR = Viewer("curator", email="cur@bank.example")
# person: (status, joined days ago, activities (kind, count), pending member-logged)
CLUB = {
    "A": ("active", 900, ("talk_external", 10), 0),
    "B": ("active", 900, ("article", 10), 12),
    "C": ("active", 900, ("community_session", 10), 0),
    "D": ("active", 900, None, 0),
    "E": ("onboarding", 30, ("talk_external", 1), 0),
}


@pytest.fixture
def club(empty_db):
    db = empty_db
    with db.transaction() as cur:
        for person, (status, joined, work, pending) in CLUB.items():
            cur.execute(
                "INSERT INTO people (person_id, name, email, department) VALUES (?, ?, ?, 'IT')",
                [person, f"Member {person}", f"{person.lower()}@bank.example"],
            )
            cur.execute(
                "INSERT INTO memberships (person_id, wave, status, joined_on) VALUES (?, 1, ?, ?)",
                [person, status, AS_OF - timedelta(days=joined)],
            )
            for month in range(14):
                day = date(2025, 10, 1) + timedelta(days=31 * month)
                cur.execute(
                    "INSERT INTO capacity (person_id, month, hours_available) VALUES (?, ?, 10) "
                    "ON CONFLICT DO NOTHING",
                    [person, day.replace(day=1)],
                )
            if work:
                kind, count = work
                for i in range(count):
                    cur.execute(
                        "INSERT INTO activities (activity_id, person_id, occurred_on, kind, "
                        "audience) VALUES (?, ?, ?, ?, 0)",
                        [f"{person}{i}", person, AS_OF - timedelta(days=10 + i), kind],
                    )
            for i in range(pending):
                cur.execute(
                    "INSERT INTO contributions (contribution_id, person_id, kind, occurred_on, "
                    "title, source, status, logged_on) VALUES (?, ?, 'article', ?, ?, 'member', "
                    "'pending', ?)",
                    [f"CTB-{person}{i}", person, AS_OF - timedelta(days=5), f"Note {i}", AS_OF],
                )
    return db


def readiness(db) -> dict:
    frame = renewal.renewal_readiness(db, CURATOR, Filters(as_of=AS_OF))
    return {row["person_id"]: row for row in frame.to_dict("records")}


def test_status_follows_points_against_capacity_and_the_verified_share(club):
    found = readiness(club)
    # Undecayed points: A 10 talks × 10, B 10 articles × 5, C 10 sessions × 2, D none; the
    # rate is the median of the active members' points per hour: (50 + 20) / 2 per hour.
    assert [round(found[p]["points"], 1) for p in "ABCD"] == [100.0, 50.0, 20.0, 0.0]
    assert found["A"]["ratio"] == pytest.approx(100 / 35)
    assert found["B"]["ratio"] == pytest.approx(50 / 35)
    assert found["C"]["ratio"] == pytest.approx(20 / 35)
    assert found["A"]["readiness"] == "on_track" and found["A"]["reasons"] == []
    assert found["B"]["readiness"] == "needs_attention"
    assert found["B"]["reasons"] == ["unverified"]  # 10 verified of 22
    assert found["B"]["verified_share"] == pytest.approx(10 / 22)
    assert found["C"]["readiness"] == "needs_attention" and found["C"]["reasons"] == ["low_points"]
    assert found["D"]["readiness"] == "review" and found["D"]["reasons"] == ["nothing"]
    assert found["A"]["by_kind"] == {"talk_external": 10}
    assert found["B"]["by_kind"] == {"article": 22}


def test_a_member_who_joined_lately_is_expected_only_for_their_days(club):
    found = readiness(club)["E"]
    assert found["expected"] == pytest.approx(35 * 30 / 365, rel=1e-3)
    assert found["readiness"] == "needs_attention"
    assert found["reasons"] == ["few_contributions"]


def test_criteria_come_from_the_settings(club):
    save_contribution_settings(
        club,
        Viewer("admin"),
        {"renewal_min_verified_share": 0.4, "renewal_review_ratio": 0.6},
    )
    found = readiness(club)
    assert found["B"]["readiness"] == "on_track"
    assert found["C"]["readiness"] == "review" and found["C"]["reasons"] == ["very_low_points"]


def test_counting_unverified_contributions_changes_points_at_once(club):
    before = readiness(club)["B"]["points"]
    save_contribution_settings(club, Viewer("admin"), {"count_unverified_contributions": True})
    assert club.scalar("SELECT count(*) FROM activities WHERE person_id = 'B'") == 22
    assert readiness(club)["B"]["points"] == pytest.approx(before + 12 * 5)
    save_contribution_settings(club, Viewer("admin"), {"count_unverified_contributions": False})
    assert club.scalar("SELECT count(*) FROM activities WHERE person_id = 'B'") == 10


def test_a_member_sees_only_their_own_row_and_the_report_says_the_same(club):
    member = Viewer("member", person_id="C")
    mine = renewal.renewal_readiness(club, member, Filters(as_of=AS_OF))
    assert mine["person_id"].tolist() == ["C"]
    assert "hours_available" in mine  # their own workload is theirs to see
    report = run_report(club, member, "renewal", as_of=AS_OF)
    assert report["person_id"].tolist() == ["C"]
    assert report.loc[0, "reasons"] == "Points below the expectation for the member’s capacity"
    leader = renewal.renewal_readiness(club, CURATOR, Filters(as_of=AS_OF))
    assert len(leader) == 5


def test_leadership_and_planners_may_not_see_renewal(club):
    from lib.access import AccessDenied

    for role in ("leadership", "planner"):
        with pytest.raises(AccessDenied):
            renewal.renewal_readiness(club, Viewer(role), Filters(as_of=AS_OF))
