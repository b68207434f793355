"""Coverage, gaps, what-if and the second-wave shortlist on small hand-made clubs."""

from datetime import date

import pandas as pd
import pytest

from lib.access import AccessDenied, Viewer
from lib.errors import Refusal, message
from lib.filters import Filters
from lib.recruitment import adjacent, coverage, pool, reports, risks, shortlist, target

AS_OF = date(2026, 11, 15)
F = Filters(as_of=AS_OF)
PLANNER = Viewer("planner", email="planner@bank.example")
CURATOR = Viewer("curator", email="curator@bank.example")
LEADERSHIP = Viewer("leadership")

SKILLS = [
    ("S1", "Kafka", "Engineering"),
    ("S2", "React", "Engineering"),
    ("S3", "MLOps", "Data"),
    ("S4", "Podcasting", "Data"),
    ("S5", "Java", "Engineering"),
    ("S6", "Quantum", "Research"),
    ("S7", "Storytelling", "Communication"),
]
# skill, min_people, min_level, priority (weights must 3, should 2, could 1)
TARGETS = [
    ("S1", 1, 3, "must"),
    ("S2", 1, 3, "must"),
    ("S3", 1, 3, "should"),
    ("S4", 1, 3, "could"),
    ("S5", 1, 3, "should"),
]
# person, department, employed, membership status (None = not a member), hours, load
PEOPLE = [
    ("M1", "IT", True, "active", 6.0, 97.0),
    ("M2", "Risk", True, "active", 10.0, 60.0),
    ("M3", "Ops", True, "active", 10.0, 60.0),
    ("M4", "IT", True, "onboarding", 10.0, 60.0),
    ("C1", "IT", True, None, 10.0, 60.0),
    ("C2", "IT", True, None, 8.0, 60.0),
    ("C3", "IT", True, None, 7.0, 60.0),
    ("C4", "Risk", True, None, 20.0, 60.0),
    ("C5", "Ops", True, None, 4.5, 60.0),
    ("C6", "Ops", True, None, 5.0, 60.0),
    ("X1", "IT", False, None, 30.0, 60.0),
    ("X2", "IT", True, "paused", 30.0, 60.0),
    ("X3", "IT", True, "alumni", 30.0, 60.0),
    ("L1", "Ops", True, None, 2.0, 60.0),
    ("N1", "Ops", True, None, None, None),
]
HOLDINGS = [
    ("M1", "S5", 4),
    ("M2", "S1", 2),
    ("M2", "S7", 3),
    ("M3", "S4", 2),
    ("M3", "S7", 3),
    ("M4", "S1", 5),
    ("C1", "S1", 3),
    ("C1", "S2", 4),
    ("C2", "S1", 3),
    ("C2", "S2", 3),
    ("C2", "S5", 3),
    ("C3", "S3", 3),
    ("C4", "S1", 4),
    ("C4", "S5", 5),
    ("C5", "S3", 3),
    ("C6", "S6", 3),
    ("C6", "S4", 2),
    ("X1", "S1", 5),
    ("X1", "S2", 5),
    ("X1", "S3", 5),
    ("X1", "S4", 5),
    ("X2", "S1", 5),
    ("X2", "S2", 5),
    ("X2", "S3", 5),
    ("X2", "S4", 5),
    ("X3", "S4", 4),
    ("L1", "S4", 4),
    ("N1", "S4", 4),
]


def seed(db):
    """The hand-made club above, replacing the tiny tier's data."""
    with db.transaction() as cur:
        for table in (
            "activities",
            "person_skills",
            "capacity",
            "membership_events",
            "memberships",
            "target_profile",
            "people",
            "skills",
        ):
            cur.execute(f"DELETE FROM {table}")
        cur.executemany(
            "INSERT INTO skills (skill_id, name, category, aliases) VALUES (?, ?, ?, [])", SKILLS
        )
        cur.executemany(
            "INSERT INTO target_profile (skill_id, min_people, min_level, priority, rationale) "
            "VALUES (?, ?, ?, ?, 'why')",
            TARGETS,
        )
        for pid, dept, employed, status, hours, load in PEOPLE:
            cur.execute(
                "INSERT INTO people (person_id, name, department, employed) VALUES (?, ?, ?, ?)",
                [pid, f"Name {pid}", dept, employed],
            )
            if status:
                cur.execute(
                    "INSERT INTO memberships (person_id, wave, status) VALUES (?, 1, ?)",
                    [pid, status],
                )
            if hours is not None:
                cur.execute(
                    "INSERT INTO capacity VALUES (?, '2026-11-01', ?, ?)", [pid, hours, load]
                )
        # An older month with no hours must not count: the latest month decides.
        cur.execute("INSERT INTO capacity VALUES ('C1', '2026-10-01', 1.0, 99.0)")
        cur.executemany(
            "INSERT INTO person_skills (person_id, skill_id, level, source, confirmed_on) "
            "VALUES (?, ?, ?, 'curator', '2026-10-01')",
            HOLDINGS,
        )


@pytest.fixture
def club(tiny_db):
    seed(tiny_db)
    return tiny_db


def test_coverage_counts_active_members_at_the_required_level(club):
    cov = coverage.coverage_by_skill(club, F).set_index("skill_id")
    # M2 holds Kafka only at level 2, M4 at 5 but is onboarding: no coverage.
    assert cov.loc["S1", "coverage"] == 0
    assert cov.loc["S5", "coverage"] == 1 and cov.loc["S5", "holders"] == ["Name M1"]
    assert cov["gap"].to_dict() == {"S1": 1, "S2": 1, "S3": 1, "S4": 1, "S5": 0}
    assert cov["weighted_gap"].to_dict() == {"S1": 3.0, "S2": 3.0, "S3": 2.0, "S4": 1.0, "S5": 0}
    summary = coverage.gap_summary(coverage.coverage_by_skill(club, F))
    assert summary == {
        "target_skills": 5,
        "at_target": 1,
        "below_target": 4,
        "uncovered": 4,
        "single_points": 1,
        "weighted_gap": 9.0,
    }


def test_roll_ups_by_category_and_department(club):
    by_cat = coverage.gaps_by_category(coverage.coverage_by_skill(club, F)).set_index("category")
    assert by_cat.loc["Engineering", ["target_skills", "required", "filled", "gap"]].tolist() == [
        3,
        3,
        1,
        2,
    ]
    assert by_cat.loc["Engineering", "weighted_gap"] == 6.0
    assert by_cat.loc["Data", "weighted_gap"] == 3.0
    assert by_cat.loc["Engineering", "coverage_share"] == pytest.approx(1 / 3)
    by_dept = coverage.gaps_by_department(club, F).set_index("department")
    assert by_dept.loc["IT", "members"] == 1
    assert by_dept.loc["IT", "sole_holder_skills"] == 1
    assert by_dept.loc["IT", "weighted_gap_if_absent"] == 2.0
    assert by_dept.loc["Risk", "weighted_gap_if_absent"] == 0.0


def test_heatmap_is_the_share_of_a_category_covered_by_a_department(club):
    cells = coverage.coverage_heatmap(club, F).set_index(["category", "department"])
    assert cells.loc[("Engineering", "IT"), "share"] == pytest.approx(1 / 3)
    assert cells.loc[("Data", "IT"), "share"] == 0
    assert len(cells) == 2 * 3  # target categories × departments of active members


def test_single_points_and_fragile_skills(club):
    sole = risks.single_points(club, F)
    assert sole[["skill_id", "holder", "department"]].values.tolist() == [["S5", "Name M1", "IT"]]
    # M1's latest month shows 97% load: Java's only holder is over capacity.
    fragile = risks.fragile_skills(club, CURATOR, F)
    assert fragile["skill_id"].tolist() == ["S5"]
    assert fragile.loc[0, "over_capacity_holders"] == 1
    assert fragile.loc[0, "holders"] == ["Name M1"]
    planner_view = risks.fragile_skills(club, PLANNER, F)
    assert planner_view["skill_id"].tolist() == ["S5"]
    assert "holders" not in planner_view and "over_capacity_holders" not in planner_view


def test_member_flags_follow_the_viewers_rights(club):
    curator = risks.member_flags(club, CURATOR, F).set_index("person_id")
    assert bool(curator.loc["M1", "over_capacity"]) is True
    assert bool(curator.loc["M2", "over_capacity"]) is False
    planner = risks.member_flags(club, PLANNER, F)
    assert planner["over_capacity"].isna().all() and planner["at_risk"].isna().all()


def test_what_if_shows_skills_falling_below_target(club):
    frame = risks.what_if_leaves(club, F, ["M1", "C1"]).set_index("skill_id")
    assert frame.loc["S5", ["coverage_before", "coverage_after", "gap_after"]].tolist() == [1, 0, 1]
    assert bool(frame.loc["S5", "falls_below"]) is True
    assert frame.loc["S5", "leaving"] == ["Name M1"]
    assert frame["falls_below"].sum() == 1
    summary = risks.what_if_summary(risks.what_if_leaves(club, F, ["M1"]))
    assert summary == {
        "skills_losing_holders": 1,
        "falls_below": 1,
        "lost_entirely": 1,
        "weighted_gap_before": 9.0,
        "weighted_gap_after": 11.0,
    }
    nothing = risks.what_if_summary(risks.what_if_leaves(club, F, []))
    assert nothing["weighted_gap_after"] == nothing["weighted_gap_before"]


def test_greedy_beats_top_k_by_skills_held(club):
    result = shortlist.shortlist_second_wave(club, PLANNER, F, size=2)
    # C1 and C2 both close Kafka + React (6, plus the bonus for React, which no member holds);
    # C1 has more hours. Then only MLOps (also held by no member) is open.
    assert result.picks["person_id"].tolist() == ["C1", "C3"]
    bonus = pool.UNIQUE_BONUS
    assert result.picks["gain"].tolist() == [6.0 + bonus, 2.0 + bonus]
    assert result.picks["gap_closed"].tolist() == [6.0, 2.0]
    assert result.picks.loc[0, "closes"] == ["Kafka", "React"]
    assert result.picks.loc[0, "reason"] == "closes: Kafka, React; adds unique: React"
    # Naive: C2 holds three target skills, then C4 and C1 two each (C4 has more hours).
    assert result.naive["person_id"].tolist() == ["C2", "C4"]
    assert result.summary["gap_closed"] == 8.0
    assert result.summary["naive_gap_closed"] == 6.0
    after = result.coverage_after.set_index("skill_id")
    assert after.loc["S1", "coverage_after"] == 1 and after.loc["S4", "gap_after"] == 1


def test_uniqueness_bonus_then_the_bench_fills_until_the_pool_runs_out(club):
    result = shortlist.shortlist_second_wave(club, PLANNER, F, size=10)
    picks = result.picks
    # Gap-closing picks first; then nobody closes an open gap (Podcasting stays open, nobody
    # left holds it one level below), so the bench fills: rare skills (held at level ≥ 3 by at
    # most one active member and not brought by an earlier pick) count once, then 0.05 per
    # hour. C1 brought Kafka and React, C3 MLOps: Java is the one rare skill left.
    assert picks["person_id"].tolist() == ["C1", "C3", "C6", "C4", "C2", "C5"]
    assert picks["basis"].tolist() == ["closes_gap"] * 3 + ["bench"] * 3
    assert picks.loc[2, "adds_unique"] == ["Quantum"]
    assert picks.loc[2, "gain"] == pool.UNIQUE_BONUS
    assert picks.loc[3, "rare_skills"] == ["Java"]  # C4: 1 + 20 h × 0.05 = 2.0
    assert picks.loc[4, "rare_skills"] == []  # C2: Java came with C4; 8 h × 0.05 = 0.4
    assert picks.loc[5, "rare_skills"] == []  # C5: 4.5 h × 0.05 = 0.225
    assert picks.loc[3, "reason"] == "strengthens the bench: rare: Java"
    assert picks.loc[4, "reason"] == "strengthens the bench: hours available"
    assert picks["rank"].tolist() == list(range(1, 7))
    facts = result.summary
    assert facts["stopped_early"] is True
    assert (facts["closing_picks"], facts["bench_picks"], facts["picked"]) == (3, 3, 6)
    assert facts["shortfall"] == "pool"  # only six eligible people: C1–C6
    assert facts["unique_added"] == 3  # React, MLOps, Quantum


def test_the_bench_fills_k_when_the_pool_allows_it(club):
    result = shortlist.shortlist_second_wave(club, PLANNER, F, size=5)
    assert len(result.picks) == 5 and result.picks["person_id"].is_unique
    assert result.summary["shortfall"] is None
    capped = shortlist.shortlist_second_wave(club, PLANNER, F, size=6, max_per_department=1)
    # One per department: IT, Risk and Ops are the only departments of the pool.
    assert capped.picks["department"].value_counts().max() == 1
    assert len(capped.picks) == 3 and capped.summary["shortfall"] == "cap"


def test_near_gap_growth_and_events_attended_rank_the_bench(club):
    # C5 holds Podcasting (open, "could": weight 1) one level below the need and came to two
    # club events: 2 × 1 + 0.5 × 2 + 0.225 = 3.225 beats C4's rare Java + 1.0 = 2.0.
    with club.transaction() as cur:
        cur.execute("INSERT INTO person_skills VALUES ('C5', 'S4', 2, 'self', NULL, NULL)")
        cur.execute("INSERT INTO events VALUES ('E1', '2026-09-01', 'meetup', 'Meetup', 0)")
        cur.execute("INSERT INTO events VALUES ('E2', '2026-10-01', 'demo_day', 'Demo', 0)")
        cur.execute("INSERT INTO attendance VALUES ('E1', 'C5', 'attendee')")
        cur.execute("INSERT INTO attendance VALUES ('E2', 'C5', 'attendee')")
    picks = shortlist.shortlist_second_wave(club, PLANNER, F, size=4).picks
    assert picks["person_id"].tolist() == ["C1", "C3", "C6", "C5"]
    assert picks.loc[3, "near_gaps"] == ["Podcasting"]
    assert picks.loc[3, "events_attended"] == 2
    assert picks.loc[3, "reason"] == (
        "strengthens the bench: one level below Podcasting; 2 club events attended"
    )


def test_cap_of_zero_is_refused_with_a_sentence(club):
    with pytest.raises(Refusal, match="A cap of 0 per department"):
        shortlist.shortlist_second_wave(club, PLANNER, F, size=3, max_per_department=0)


def test_no_member_or_non_employee_is_ever_proposed(club):
    result = shortlist.shortlist_second_wave(
        club, PLANNER, F, size=10, min_hours=0, include_alumni=False
    )
    proposed = set(result.picks["person_id"]) | set(result.naive["person_id"])
    assert proposed.isdisjoint({"M1", "M2", "M3", "M4", "X1", "X2", "X3", "N1"})
    # L1 is eligible once the threshold drops; N1 has no capacity data and stays out.
    assert "L1" in set(result.picks["person_id"])
    with_alumni = shortlist.shortlist_second_wave(club, PLANNER, F, size=10, include_alumni=True)
    assert "X3" in set(with_alumni.picks["person_id"])
    assert set(with_alumni.picks["person_id"]).isdisjoint({"X1", "X2", "M1", "M4"})


def test_department_cap_is_honoured(club):
    uncapped = shortlist.shortlist_second_wave(club, PLANNER, F, size=2)
    capped = shortlist.shortlist_second_wave(club, PLANNER, F, size=2, max_per_department=1)
    assert uncapped.picks["person_id"].tolist() == ["C1", "C3"]
    assert capped.picks["person_id"].tolist() == ["C1", "C5"]
    for result in (
        capped,
        shortlist.shortlist_second_wave(club, PLANNER, F, size=5, max_per_department=1),
    ):
        assert result.picks["department"].value_counts().max() == 1
        assert result.naive["department"].value_counts().max() == 1


def test_pinned_and_excluded_are_honoured(club):
    result = shortlist.shortlist_second_wave(
        club, PLANNER, F, size=3, pinned=["C2"], excluded=["C3"]
    )
    assert result.picks["person_id"].tolist() == ["C2", "C5", "C6"]
    assert result.picks["pinned"].tolist() == [True, False, False]
    assert "C3" not in set(result.naive["person_id"])
    # A pinned person below the hours threshold still goes in first.
    low = shortlist.shortlist_second_wave(club, PLANNER, F, size=2, pinned=["L1"])
    assert low.picks["person_id"].tolist() == ["L1", "C1"]
    assert low.picks.loc[0, "closes"] == ["Podcasting"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"pinned": ["X2"]}, "already a club member"),
        ({"pinned": ["X1"]}, "not employed"),
        ({"pinned": ["X3"]}, "alumnus"),
        ({"pinned": ["C1"], "excluded": ["C1"]}, "Pinned and excluded"),
        ({"pinned": ["C1", "C2", "C3"], "size": 2}, "pinned"),
        ({"size": 0}, "between 1 and"),
    ],
)
def test_shortlist_refuses_bad_requests(club, options, message):
    options = {"size": 3, **options}
    with pytest.raises(ValueError, match=message):
        shortlist.shortlist_second_wave(club, PLANNER, F, **options)


def test_shortlist_is_denied_to_leadership(club):
    with pytest.raises(AccessDenied):
        shortlist.shortlist_second_wave(club, LEADERSHIP, F)
    with pytest.raises(AccessDenied):
        pool.shortlist_candidates(club, LEADERSHIP, F)
    with pytest.raises(AccessDenied):
        reports.shortlist_report(club, LEADERSHIP)


def test_hours_of_candidates_stay_with_staff(club):
    planner = shortlist.shortlist_second_wave(club, PLANNER, F, size=2)
    curator = shortlist.shortlist_second_wave(club, CURATOR, F, size=2)
    assert "hours_available" not in planner.picks and "hours_available" not in planner.naive
    assert curator.picks["hours_available"].tolist() == [10.0, 7.0]
    assert "hours_available" not in pool.shortlist_candidates(club, PLANNER, F)


def test_department_filter_narrows_the_pool(club):
    risk = shortlist.shortlist_second_wave(
        club, PLANNER, Filters(departments=("Risk",), as_of=AS_OF)
    )
    assert risk.picks["person_id"].tolist() == ["C4"]


def test_candidate_options_and_pool_supply(club):
    options = pool.shortlist_candidates(club, PLANNER, F)
    assert options["person_id"].tolist()[:3] == ["C1", "C2", "C4"]
    assert options.set_index("person_id").loc["C2", "target_skills_held"] == 3
    supply = pool.pool_supply(club, F)
    assert supply.to_dict() == {"S1": 3, "S2": 2, "S3": 2, "S4": 0, "S5": 2}


def test_adjacent_members_for_a_gap_no_candidate_can_close(club):
    frame = adjacent.adjacent_members(club, F)
    # Only Podcasting has no eligible candidate; it goes with Storytelling (M2, M3).
    assert set(frame["skill_id"]) == {"S4"}
    assert frame["person_id"].tolist() == ["M3", "M2"]
    assert frame["current_level"].tolist() == [2, 0]
    assert frame["score"].tolist() == [0.5, 0.5]
    assert frame.loc[0, "via"] == ["Storytelling"]


def test_adjacent_members_by_category_when_no_skill_goes_with_a_gap(club):
    # In Risk only M2 is active (Kafka at level 2, Storytelling): nothing is held together with
    # the gaps the pool cannot close, so skills of the same category stand in.
    frame = adjacent.adjacent_members(club, Filters(departments=("Risk",), as_of=AS_OF))
    assert frame[["skill_id", "person_id", "score", "basis"]].values.tolist() == [
        ["S2", "M2", 2.0, "category"]
    ]
    assert frame.loc[0, "via"] == ["Kafka"]


def test_save_target_profile_validates_and_audits(club):
    edited = pd.DataFrame(
        [
            {"skill": "Kafka", "min_people": 2, "min_level": 4, "priority": "must"},
            {"skill": "mlops", "min_people": 1, "min_level": 3, "priority": "Could"},
            {"skill": "Quantum", "min_people": 1, "min_level": 2, "priority": "should"},
            {"skill": None, "min_people": None, "min_level": None, "priority": None},
        ]
    )
    counts = target.save_target_profile(club, CURATOR, edited)
    assert counts == {"inserted": 1, "updated": 2, "deleted": 3, "skills": 3}
    table = target.target_profile_table(club).set_index("skill")
    assert table.loc["Kafka", ["min_people", "min_level"]].tolist() == [2, 4]
    assert table.loc["MLOps", "priority"] == "could"
    audit = club.rows(
        "SELECT actor, action, inserted, updated FROM audit_log WHERE action = 'target_profile'"
    )
    assert audit == [("curator@bank.example", "target_profile", 1, 2)]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"skill": "Kafak", "min_people": 1, "min_level": 3, "priority": "must"}, "unknown skill"),
        ({"skill": "Kafka", "min_people": 0, "min_level": 3, "priority": "must"}, "min people"),
        ({"skill": "Kafka", "min_people": 1, "min_level": 6, "priority": "must"}, "min level"),
        ({"skill": "Kafka", "min_people": 1.5, "min_level": 3, "priority": "must"}, "min people"),
        ({"skill": "Kafka", "min_people": 1, "min_level": 3, "priority": "high"}, "priority"),
        ({"skill": None, "min_people": 1, "min_level": 3, "priority": "must"}, "choose a skill"),
    ],
)
def test_save_target_profile_refuses_bad_rows_and_changes_nothing(club, row, message):
    before = club.table_checksums()["target_profile"]
    with pytest.raises(ValueError, match=message):
        target.save_target_profile(club, CURATOR, pd.DataFrame([row]))
    assert club.table_checksums()["target_profile"] == before


def test_every_problem_of_an_edit_is_named_in_the_viewers_language(club):
    unknown = [
        {"skill": f"Nope{i}", "min_people": 1, "min_level": 3, "priority": "must"}
        for i in range(12)
    ]
    with pytest.raises(Refusal) as caught:
        target.save_target_profile(club, CURATOR, pd.DataFrame(unknown))
    english = str(caught.value).splitlines()
    assert english[:2] == ["The target profile was not saved:", "Row 1: unknown skill 'Nope0'."]
    assert english[-1] == "… and 2 more."
    assert len(english) == 1 + 10 + 1
    russian = message(caught.value, "ru").splitlines()
    assert russian[1] == "Строка 1: неизвестный навык «Nope0»."
    assert russian[-1] == "… и ещё 2."


def test_every_person_who_cannot_be_pinned_is_named(club):
    with pytest.raises(Refusal) as caught:
        shortlist.shortlist_second_wave(club, PLANNER, F, size=3, pinned=["X1", "X2", "ZZ"])
    assert str(caught.value) == (
        "Cannot pin: X1 is not employed; X2 is already a club member (Paused); "
        "ZZ is not in the employee pool."
    )
    assert message(caught.value, "ru").startswith("Нельзя закрепить: X1 больше не работает")


def test_save_target_profile_refuses_duplicates_empty_and_planners(club):
    twice = pd.DataFrame(
        [{"skill": "Kafka", "min_people": 1, "min_level": 3, "priority": "must"}] * 2
    )
    with pytest.raises(ValueError, match="already listed in row 1"):
        target.save_target_profile(club, CURATOR, twice)
    with pytest.raises(ValueError, match="at least one skill"):
        target.save_target_profile(club, CURATOR, twice.iloc[0:0])
    with pytest.raises(AccessDenied):
        target.save_target_profile(club, PLANNER, twice.iloc[:1])


def test_reports_for_the_cli(club, monkeypatch):
    monkeypatch.setattr(reports, "Filters", lambda: F)
    table = reports.gaps_report(club, PLANNER)
    assert table.loc[table.skill_id == "S5", "holders"].item() == "Name M1"
    shortlist = reports.shortlist_report(club, PLANNER, size=2, max_per_department=1)
    assert shortlist["person_id"].tolist() == ["C1", "C5"]
    assert shortlist.loc[0, "closes"] == "Kafka; React"


def test_shortlist_on_the_demo_tier_is_consistent(demo_db_path):
    from lib.store.db import open_database

    db = open_database(demo_db_path)
    result = shortlist.shortlist_second_wave(db, PLANNER, F, size=15, max_per_department=3)
    members = {r[0] for r in db.rows("SELECT person_id FROM memberships")}
    unemployed = {r[0] for r in db.rows("SELECT person_id FROM people WHERE NOT employed")}
    assert len(result.picks) == 15
    assert set(result.picks["person_id"]).isdisjoint(members | unemployed)
    assert result.picks["department"].value_counts().max() <= 3
    assert result.summary["gap_closed"] >= result.summary["naive_gap_closed"]
    assert result.picks["gain"].is_monotonic_decreasing


def test_an_empty_pool_gives_a_sentence_not_an_exception(club):
    result = shortlist.shortlist_second_wave(club, PLANNER, F, size=5, min_hours=1000)
    assert result.picks.empty and result.summary["pool_size"] == 0
    assert result.summary["shortfall"] == "pool"
    frame = reports.shortlist_report(club, PLANNER, size=30)
    assert frame.attrs["note"].startswith("Only 6 of 30 places could be filled")
