"""The action-plan constructor: catalogue, situation, target groups, measured effects,
candidate lines, pins and drops, the chosen lines against brute force, saved plans and their
follow-up (the solver itself: tests/test_plan_solver.py)."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import errors
from lib.access import AccessDenied, Viewer
from lib.engagement.rituals import recognition_impact
from lib.filters import Filters
from lib.planning.catalogue import (
    EVIDENCE,
    GOALS,
    TARGET_RULES,
    catalogue,
    catalogue_table,
    save_catalogue,
)
from lib.planning.evidence import (
    DEFAULT,
    EVIDENCE_MONTHS,
    MEASURED,
    MIN_CASES,
    effects_table,
    event_cases,
    event_impact,
    follow_up_evidence,
    history_evidence,
    mechanic_effects,
)
from lib.planning.plan import (
    DEFAULT_BUDGET,
    Plan,
    build_plan,
    candidate_lines,
    choose_lines,
    quarter_label,
    quarters,
)
from lib.planning.situation import club_state, situation, suggested_weights, target_groups
from lib.planning.solver import Option
from lib.planning.tracking import (
    measure_plan,
    plan_lines,
    record_measured_effects,
    save_plan,
    saved_plan_targets,
    saved_plans,
    update_tracking,
)
from lib.reporting import all_reports
from lib.store.db import open_database
from tests.test_plan_solver import brute_force
from tests.test_scoring import Club, pin_settings

AS_OF = date(2026, 11, 15)
FILTERS = Filters(as_of=AS_OF)
WIDE = Filters(as_of=AS_OF, period_months=EVIDENCE_MONTHS)
CURATOR, LEADERSHIP, PLANNER = Viewer("curator"), Viewer("leadership"), Viewer("planner")
ONLY_RETENTION = dict.fromkeys(GOALS, 0.0) | {"retention": 1.0}


def day(text: str) -> date:
    return date.fromisoformat(text)


# -- candidate lines, pins and drops ------------------------------------------------------------
def mechanics_frame(**changes) -> pd.DataFrame:
    """Three hand-made mechanics: A serves retention, B revive_dormant, C both."""
    rows = []
    for mid, rule, fixed, per, hours, effect, goals in [
        ("A", "at_risk", 100, 10, 1.0, 2.0, {"retention": 1.0}),
        ("B", "dormant_with_capacity", 0, 30, 0.5, 1.0, {"revive_dormant": 1.0}),
        ("C", "active_members", 500, 0, 8.0, 0.5, {"retention": 0.5, "revive_dormant": 0.5}),
    ]:
        row = {
            "mechanic_id": mid,
            "name": f"Mechanic {mid}",
            "active": True,
            "target_rule": rule,
            "max_people": None,
            "fixed_cost": float(fixed),
            "cost_per_person": float(per),
            "fixed_hours": 0.0,
            "hours_per_person": hours,
            "default_effect": effect,
            "evidence": None,
        }
        row |= {g: goals.get(g, 0.0) for g in GOALS}
        rows.append(row | changes.get(mid, {}))
    return pd.DataFrame(rows)


def default_effects(mechanics: pd.DataFrame) -> pd.DataFrame:
    empty = pd.DataFrame(columns=["evidence", "cases", "effect"])
    follow = pd.DataFrame(columns=["mechanic_id", "cases", "effect"])
    return mechanic_effects(mechanics, empty, follow)


SIZES = {"at_risk": 12, "dormant_with_capacity": 3, "active_members": 30}
BOTH = dict.fromkeys(GOALS, 0.0) | {"retention": 2.0, "revive_dormant": 1.0}


def test_candidate_lines_offer_sizes_and_value_people_effect_and_weighted_goals():
    mechanics = mechanics_frame(C={"max_people": 25})
    lines = candidate_lines(mechanics, default_effects(mechanics), SIZES, BOTH)
    sizes = lines.groupby("mechanic_id")["people"].agg(list).to_dict()
    assert sizes == {"A": [5, 10, 12], "B": [3], "C": [5, 10, 20, 25]}
    a12 = lines[(lines["mechanic_id"] == "A") & (lines["people"] == 12)].iloc[0]
    assert a12["cost"] == 100 + 10 * 12
    assert a12["hours"] == 12.0
    assert a12["expected_effect"] == 24.0
    assert a12["value"] == 24.0 * 2.0  # retention weight 2 × strength 1
    c5 = lines[(lines["mechanic_id"] == "C") & (lines["people"] == 5)].iloc[0]
    assert c5["value"] == pytest.approx(5 * 0.5 * (2.0 * 0.5 + 1.0 * 0.5))


def test_mechanics_serving_no_weighted_goal_or_switched_off_are_not_candidates():
    mechanics = mechanics_frame(A={"active": False})
    lines = candidate_lines(mechanics, default_effects(mechanics), SIZES, ONLY_RETENTION)
    assert set(lines["mechanic_id"]) == {"C"}  # A switched off, B serves revive only


def test_pinned_lines_are_always_in_and_dropped_ones_never():
    mechanics = mechanics_frame()
    effects = default_effects(mechanics)
    free = candidate_lines(mechanics, effects, SIZES, BOTH)
    best, _ = choose_lines(free, 400, 20)
    assert "C" not in set(best["mechanic_id"])  # C is poor value
    pinned = candidate_lines(mechanics, effects, SIZES, BOTH, pins={"C": 2}, drops={"A"})
    plan, _ = choose_lines(pinned, 800, 30)
    assert set(plan["mechanic_id"]) == {"B", "C"}
    c = plan.set_index("mechanic_id").loc["C"]
    assert c["people"] == 2 and bool(c["pinned"])
    assert plan["cost"].sum() <= 800 and plan["hours"].sum() <= 30


def test_pins_that_do_not_fit_or_make_no_sense_are_refused():
    mechanics = mechanics_frame()
    effects = default_effects(mechanics)
    pinned = candidate_lines(mechanics, effects, SIZES, BOTH, pins={"C": 2})
    with pytest.raises(ValueError, match="pinned lines alone"):
        choose_lines(pinned, 400, 100)
    with pytest.raises(ValueError, match="both pinned and dropped"):
        candidate_lines(mechanics, effects, SIZES, BOTH, pins={"A": 1}, drops=["A"])
    with pytest.raises(ValueError, match="1 to 12"):
        candidate_lines(mechanics, effects, SIZES, BOTH, pins={"A": 13})
    with pytest.raises(ValueError, match="not an active mechanic"):
        candidate_lines(mechanics, effects, SIZES, BOTH, pins={"Z": 1})
    with pytest.raises(ValueError, match="at least one goal"):
        candidate_lines(mechanics, effects, SIZES, dict.fromkeys(GOALS, 0))


@settings(max_examples=40, deadline=None)
@given(
    per_a=st.integers(1, 40),
    per_b=st.integers(1, 40),
    fixed_c=st.integers(0, 300),
    budget=st.integers(0, 900),
    hours=st.integers(0, 80).map(lambda h: h * 0.5),
)
def test_chosen_lines_match_brute_force_over_the_candidates(per_a, per_b, fixed_c, budget, hours):
    mechanics = mechanics_frame(
        A={"cost_per_person": float(per_a)},
        B={"cost_per_person": float(per_b)},
        C={"fixed_cost": float(fixed_c)},
    )
    lines = candidate_lines(mechanics, default_effects(mechanics), SIZES, BOTH)
    plan, exact = choose_lines(lines, budget, hours)
    groups = [
        [Option(r.cost, r.hours, r.value) for r in g.itertuples()]
        for _, g in lines.groupby("mechanic_id")
    ]
    assert exact
    assert plan["cost"].sum() <= budget and plan["hours"].sum() <= hours
    assert plan["value"].sum() == pytest.approx(brute_force(groups, budget, hours))


# -- measured effects ---------------------------------------------------------------------------
def evidence(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["evidence", "cases", "effect"])


def test_measured_effects_replace_defaults_only_with_enough_cases():
    mechanics = mechanics_frame(
        A={"evidence": "recognition:award,recognition:thanks"},
        B={"evidence": "event:offsite"},
        C={"evidence": "event:demo_day"},
    )
    history = evidence(
        [
            ("recognition:award", 12, 5.0),
            ("recognition:thanks", 8, 2.5),
            ("event:offsite", 19, 3.0),
        ]
    )
    follow = pd.DataFrame({"mechanic_id": ["B"], "cases": [1], "effect": [-1.0]})
    effects = mechanic_effects(mechanics, history, follow, min_cases=20).set_index("mechanic_id")
    a = effects.loc["A"]
    assert a["cases"] == 20 and a["source"] == MEASURED
    assert a["effect"] == pytest.approx((12 * 5.0 + 8 * 2.5) / 20)
    b = effects.loc["B"]  # 19 past cases plus one followed-up plan line reach the threshold
    assert (b["history_cases"], b["follow_up_cases"], b["cases"]) == (19, 1, 20)
    assert b["source"] == MEASURED
    assert b["effect"] == pytest.approx((19 * 3.0 - 1.0) / 20)
    c = effects.loc["C"]  # no history at all
    assert c["source"] == DEFAULT and c["effect"] == 0.5 and c["cases"] == 0
    fewer = mechanic_effects(mechanics, history, follow.iloc[0:0], min_cases=20)
    b = fewer.set_index("mechanic_id").loc["B"]
    assert b["cases"] == 19 and b["source"] == DEFAULT and b["effect"] == 1.0
    assert b["measured_effect"] == pytest.approx(3.0)


@pytest.fixture
def event_club(empty_db):
    """R attends a generation session on 1 June 2026; C1 and C2 are like R (wave 1,
    contributing at the end of May) and came to none; D (dormant then), W2 (wave 2), C3 (at
    another generation session on 20 June) and NEW (joined mid-May) are not R's comparison."""
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
    with empty_db.transaction() as cur:
        for event_id, on in (("EV", "2026-06-01"), ("EV2", "2026-06-20")):
            cur.execute(
                "INSERT INTO events (event_id, date, kind) VALUES (?, ?, 'generation_session')",
                [event_id, day(on)],
            )
        for event_id, person in (("EV", "R"), ("EV", "NEW"), ("EV2", "C3")):
            cur.execute(
                "INSERT INTO attendance (event_id, person_id) VALUES (?, ?)", [event_id, person]
            )
    return c


def test_event_attendance_is_compared_with_similar_members_who_did_not_come(event_club):
    cases = event_cases(event_club.db, FILTERS).set_index("person_id")
    assert set(cases.index) == {"R", "C3"}  # NEW was not in the club 60 days before
    r = cases.loc["R"]
    assert (r["before"], r["after"]) == (1, 4)
    assert r["peers"] == 2  # C1 and C2; C3 was at a generation session within 60 days
    assert (r["peer_before"], r["peer_after"]) == (pytest.approx(1.5), pytest.approx(1.5))
    assert r["effect"] == pytest.approx(3.0)
    assert cases.loc["C3", "peers"] == 2  # C1 and C2 again; R came within 60 days
    impact = event_impact(event_club.db, FILTERS).set_index("kind")
    assert impact.loc["generation_session", "cases"] == 2


def test_history_evidence_reads_recognitions_and_events(event_club):
    event_club.db.execute(
        "INSERT INTO recognitions (person_id, date, kind) VALUES ('R', ?, 'award')",
        [day("2026-06-01")],
    )
    found = history_evidence(event_club.db, AS_OF).set_index("evidence")
    assert found.loc["recognition:award", "cases"] == 1
    award = recognition_impact(event_club.db, WIDE).set_index("kind").loc["award"]
    assert found.loc["recognition:award", "effect"] == pytest.approx(award["effect"])
    assert found.loc["event:generation_session", "cases"] == 2


# -- situation and target groups ----------------------------------------------------------------
@pytest.fixture
def small_club(empty_db):
    """P1 active and contributing (recognised last month, holds S1 and S2); P2 active, dormant,
    20 h a month; P3 active, silent for 100 days, 1 h a month (at risk); P4 paused; P5 in
    onboarding; P6 a candidate. S1 (must, 2 holders needed) has one holder, S2 (must) is
    covered, S3 (should) nobody."""
    pin_settings(empty_db)
    c = Club(empty_db)
    for person in ("P1", "P2", "P3"):
        c.member(person)
    c.member("P4", status="paused", department="Risk")
    c.member("P5", status="onboarding", wave=2, joined=day("2026-10-01"))
    c.member("P6", status="candidate", wave=2, joined=day("2026-11-01"))
    months = [date(2026, m, 1) for m in range(1, 13)]
    c.capacity("P1", 20, months).capacity("P2", 20, months).capacity("P3", 1, months)
    c.activity("P1", day("2026-11-05")).activity("P3", day("2026-08-07"))
    with empty_db.transaction() as cur:
        cur.execute(
            "INSERT INTO recognitions (person_id, date, kind) VALUES ('P1', ?, 'thanks')",
            [day("2026-10-15")],
        )
        for skill, priority, need in (("S1", "must", 2), ("S2", "must", 1), ("S3", "should", 1)):
            cur.execute("INSERT INTO skills (skill_id, name) VALUES (?, ?)", [skill, skill])
            cur.execute(
                "INSERT INTO target_profile (skill_id, min_people, min_level, priority) "
                "VALUES (?, ?, 3, ?)",
                [skill, need, priority],
            )
        for person, skill in (("P1", "S1"), ("P1", "S2"), ("P2", "S2")):
            cur.execute(
                "INSERT INTO person_skills (person_id, skill_id, level, source) "
                "VALUES (?, ?, 4, 'curator')",
                [person, skill],
            )
    return c


def test_situation_is_read_from_the_data(small_club):
    found = situation(small_club.db, FILTERS).set_index("indicator")
    assert found.loc["dormant_share", "count"] == 4  # P2, P3, P4, P5
    assert found.loc["dormant_share", "base"] == 5
    assert found.loc["dormant_share", "value"] == pytest.approx(0.8)
    assert found.loc["at_risk_share", "count"] == 1  # P3
    assert found.loc["not_recognised", "count"] == 4  # everyone but P1
    assert found.loc["onboarding_conversion", "value"] == pytest.approx(4 / 5)
    assert (found.loc["must_below_target", "count"], found.loc["must_below_target", "base"]) == (
        1,
        2,
    )
    assert found.loc["bus_factor_one", "count"] == 1  # S1
    assert found.loc["upcoming_wave", "count"] == 2  # P5, P6
    assert found.loc["must_below_target", "source"] == "recruitment_gaps"
    assert found.loc["at_risk_share", "source"] == "engagement"


def test_suggested_weights_follow_the_situation(small_club):
    weights = suggested_weights(situation(small_club.db, FILTERS))
    # 1 + 2 × severity, to the nearest half: dormant 0.8, onboarding drop-off 0.2,
    # must-have below target 0.5, at risk 0.2; external visibility stays at 2.
    assert weights == {
        "revive_dormant": 2.5,
        "onboarding_conversion": 1.5,
        "skill_growth": 2.0,
        "external_visibility": 2.0,
        "retention": 1.5,
    }


def test_target_groups_follow_their_rules(small_club):
    state = club_state(small_club.db, FILTERS)
    groups = target_groups(state)
    members = groups.groupby("rule")["person_id"].agg(list).to_dict()
    assert members["newcomers"] == ["P5", "P6"]  # onboarding first
    assert members["dormant_with_capacity"] == ["P2"]  # P3 has 1 h a month, P4 is paused
    assert members["at_risk"] == ["P3"]
    assert members["not_recognised"] == ["P2", "P3", "P4", "P5"]  # all index 0: by id
    assert members["sole_holders"] == ["P1"]
    assert members["with_capacity"] == ["P1"]
    assert members["active_members"][0] == "P1" and len(members["active_members"]) == 3
    assert members["paused"] == ["P4"]


def test_plan_on_a_small_club_names_targets_for_curators_only(small_club):
    db = small_club.db
    weights = ONLY_RETENTION | {"revive_dormant": 1.0}
    plan = build_plan(db, CURATOR, FILTERS, weights=weights, budget=0, hours=3)
    assert plan.summary["cost"] == 0 and plan.summary["hours"] <= 3
    one = plan.lines.set_index("mechanic_id").loc["one_to_one"]
    assert one["people"] == 1 and one["target_ids"] == ["P3"]
    assert "P3" not in one["reason"]
    assert one["reason"].startswith("Serves Retention (1.0 × weight 1.0)")
    assert "Targets 1 of 1: At-risk members." in one["reason"]
    assert "default estimate" in one["reason"]
    assert set(plan.targets["name"]) >= {"Name P3"}
    hidden = build_plan(db, LEADERSHIP, FILTERS, weights=weights, budget=0, hours=3)
    assert "target_ids" not in hidden.lines and hidden.targets.empty
    assert hidden.summary == plan.summary
    assert hidden.departments["department"].tolist() == []  # one member: below 3, hidden
    with pytest.raises(AccessDenied):
        build_plan(db, PLANNER, FILTERS, weights=weights, budget=0, hours=3)


# -- the catalogue ------------------------------------------------------------------------------
def test_catalogue_is_seeded_in_both_languages(empty_db):
    table = catalogue(empty_db)
    assert len(table) == 12 and table["seeded"].all()
    assert table["mechanic_id"].iloc[0] == "onboarding_day"
    en = catalogue_table(empty_db, "en").set_index("mechanic_id")["name"]
    ru = catalogue_table(empty_db, "ru").set_index("mechanic_id")["name"]
    assert en["buddy"] == "Buddy for newcomers" and ru["buddy"] == "Бадди для новичков"
    assert set(table["target_rule"]) <= set(TARGET_RULES)
    assert all(e in EVIDENCE for v in table["evidence"].dropna() for e in v.split(","))


def test_curators_edit_the_catalogue_with_an_audit_row(empty_db):
    frame = catalogue_table(empty_db, "ru")
    frame.loc[frame["mechanic_id"] == "offsite", "fixed_cost"] = 900_000
    frame.loc[frame["mechanic_id"] == "buddy", "active"] = False
    new = dict.fromkeys(frame.columns) | {
        "name": "Hackathon",
        "target_rule": "with_capacity",
        "cost_per_person": 2000,
        "default_effect": 1.5,
        "skill_growth": 1.0,
    }
    frame = pd.concat([frame, pd.DataFrame([new])], ignore_index=True)
    counts = save_catalogue(empty_db, CURATOR, frame)
    assert counts == {"inserted": 1, "updated": 2, "deleted": 0, "mechanics": 13}
    saved = catalogue(empty_db).set_index("mechanic_id")
    assert saved.loc["offsite", "fixed_cost"] == 900_000
    assert not saved.loc["buddy", "active"]
    assert pd.isna(saved.loc["buddy", "name"])  # the Russian name shown was not stored
    assert saved.loc["custom_1", "name"] == "Hackathon"
    assert saved.loc["custom_1", "position"] == 13
    audit = empty_db.rows("SELECT actor, action, inserted, updated FROM audit_log")
    assert audit[-1] == ("local:curator", "plan_catalogue", 1, 2)


def test_invalid_catalogue_edits_are_refused_with_every_problem(empty_db):
    frame = catalogue_table(empty_db)
    frame.loc[0, "fixed_cost"] = -5
    frame.loc[1, "target_rule"] = "everyone"
    frame.loc[2, "revive_dormant"] = 1.5
    frame.loc[3, "evidence"] = "event:party"
    with pytest.raises(ValueError) as error:
        save_catalogue(empty_db, CURATOR, frame)
    message = str(error.value)
    for expected in ("Row 1: fixed cost", "Row 2: the target group", "Row 3: the strength"):
        assert expected in message
    assert "Row 4: unknown evidence event:party" in message
    russian = errors.message(error.value, "ru").replace("\xa0", " ").splitlines()
    assert russian[0] == "Строка 1: постоянная стоимость — от 0 до 1 000 000 000."
    assert russian[2] == "Строка 3: сила для цели «Вернуть неактивных» должна быть от 0 до 1."
    with pytest.raises(ValueError, match="switch it off"):
        save_catalogue(empty_db, CURATOR, frame.iloc[1:].assign(target_rule="at_risk"))
    unnamed = dict.fromkeys(frame.columns) | {"target_rule": "at_risk", "default_effect": 1}
    with pytest.raises(ValueError, match="needs a name"):
        save_catalogue(
            empty_db,
            CURATOR,
            pd.concat([catalogue_table(empty_db), pd.DataFrame([unnamed])]),
        )
    with pytest.raises(AccessDenied):
        save_catalogue(empty_db, LEADERSHIP, catalogue_table(empty_db))
    assert catalogue(empty_db)["fixed_cost"].iloc[0] == 150_000


# -- saved plans and their follow-up ------------------------------------------------------------
@pytest.fixture
def follow_club(empty_db):
    """T, Q1 and Q2 look alike before July 2026 (one activity on 10 May); in July-August T does
    4 things, Q1 one and Q2 three."""
    pin_settings(empty_db)
    c = Club(empty_db)
    for person in ("T", "Q1", "Q2"):
        c.member(person).activity(person, day("2026-05-10"), kind="mentoring")
    for person, count in (("T", 4), ("Q1", 1), ("Q2", 3)):
        for d in range(count):
            c.activity(person, date(2026, 7, 5 + d), kind="mentoring")
    return c


def one_line_plan(target: str = "T") -> Plan:
    """A plan with one 1:1-meeting line for one member, as `assemble_plan` shapes it."""
    lines = pd.DataFrame(
        [
            {
                "mechanic_id": "one_to_one",
                "name": None,
                "target_rule": "at_risk",
                "people": 1,
                "cost": 0.0,
                "hours": 1.5,
                "effect_per_person": 1.5,
                "effect_source": DEFAULT,
                "expected_effect": 1.5,
                "value": 1.5,
                "pinned": False,
                "target_ids": [target],
            }
        ]
    )
    summary = {"budget": 0.0, "hours_limit": 10.0, "weights": ONLY_RETENTION}
    return Plan(lines, pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), summary)


HORIZON = (day("2026-07-01"), day("2026-08-29"))  # 60 days


def test_saved_plan_is_tracked_and_measured_after_its_horizon(follow_club):
    db = follow_club.db
    plan_id = save_plan(db, CURATOR, one_line_plan(), "Summer", HORIZON)
    listed = saved_plans(db).set_index("plan_id").loc[plan_id]
    assert (listed["name"], listed["lines"], listed["done"]) == ("Summer", 1, 0)
    assert json.loads(db.scalar("SELECT goal_weights FROM plans"))["retention"] == 1.0
    assert measure_plan(db, plan_id, day("2026-08-01")).empty  # horizon not over
    with pytest.raises(ValueError, match="after that"):
        record_measured_effects(db, CURATOR, plan_id, day("2026-08-01"))
    tracking = pd.DataFrame(
        [{"line_no": 1, "status": "done", "done_on": "2026-07-02", "cost_spent": 1200}]
    )
    assert update_tracking(db, CURATOR, plan_id, tracking) == 1
    lines = plan_lines(db, plan_id)
    assert (lines.loc[0, "status"], lines.loc[0, "cost_spent"]) == ("done", 1200)
    assert lines.loc[0, "mechanic"] == "1:1 curator meeting"
    assert saved_plans(db).loc[0, "cost_spent"] == 1200
    measured = measure_plan(db, plan_id, AS_OF).set_index("line_no")
    # T: 1 before, 4 in the horizon; peers Q1 (1 → 1) and Q2 (1 → 3): (4 − 1) − 1 = 2
    assert measured.loc[1, "cases"] == 1
    assert measured.loc[1, "measured_effect"] == pytest.approx(2.0)
    assert measured.loc[1, "expected_per_person"] == 1.5
    assert record_measured_effects(db, CURATOR, plan_id, AS_OF) == 1
    follow = follow_up_evidence(db).set_index("mechanic_id")
    assert follow.loc["one_to_one", "cases"] == 1
    assert follow.loc["one_to_one", "effect"] == pytest.approx(2.0)
    actions = [r[0] for r in db.rows("SELECT action FROM audit_log ORDER BY entry_id")]
    assert actions[-3:] == ["plan_save", "plan_tracking", "plan_measure"]


def test_recorded_follow_up_feeds_the_effect_estimates(follow_club):
    db = follow_club.db
    plan_id = save_plan(db, CURATOR, one_line_plan(), "Summer", HORIZON)
    done = pd.DataFrame([{"line_no": 1, "status": "done", "done_on": None, "cost_spent": None}])
    update_tracking(db, CURATOR, plan_id, done)
    record_measured_effects(db, CURATOR, plan_id, AS_OF)
    strict = effects_table(db, AS_OF).set_index("mechanic_id").loc["one_to_one"]
    assert strict["follow_up_cases"] == 1 and strict["source"] == DEFAULT
    loose = effects_table(db, AS_OF, min_cases=1).set_index("mechanic_id")
    assert loose.loc["one_to_one", "source"] == MEASURED
    assert loose.loc["one_to_one", "effect"] == pytest.approx(2.0)


def test_tracking_rules_and_rights(follow_club):
    db = follow_club.db
    plan_id = save_plan(db, CURATOR, one_line_plan(), "Summer", HORIZON)
    with pytest.raises(ValueError, match="status must be one of"):
        update_tracking(db, CURATOR, plan_id, pd.DataFrame([{"line_no": 1, "status": "maybe"}]))
    with pytest.raises(ValueError, match="cost spent"):
        update_tracking(
            db, CURATOR, plan_id, pd.DataFrame([{"line_no": 1, "status": "done", "cost_spent": -1}])
        )
    with pytest.raises(ValueError, match="not a line"):
        update_tracking(db, CURATOR, plan_id, pd.DataFrame([{"line_no": 7, "status": "done"}]))
    with pytest.raises(AccessDenied):
        update_tracking(db, LEADERSHIP, plan_id, pd.DataFrame([{"line_no": 1, "status": "done"}]))
    with pytest.raises(AccessDenied):
        save_plan(db, LEADERSHIP, one_line_plan(), "Mine", HORIZON)
    with pytest.raises(ValueError, match="name"):
        save_plan(db, CURATOR, one_line_plan(), "  ", HORIZON)
    with pytest.raises(AccessDenied):
        saved_plan_targets(db, LEADERSHIP, plan_id)
    targets = saved_plan_targets(db, CURATOR, plan_id)
    assert targets[["person_id", "name"]].values.tolist() == [["T", "Name T"]]
    with pytest.raises(ValueError, match="no saved plan"):
        plan_lines(db, 99)
    assert (
        update_tracking(
            db,
            CURATOR,
            plan_id,
            pd.DataFrame(
                [{"line_no": 1, "status": "planned", "done_on": None, "cost_spent": None}]
            ),
        )
        == 0
    )


def test_quarters_start_with_the_current_one():
    assert quarters(date(2026, 11, 15), 2) == [
        (date(2026, 10, 1), date(2026, 12, 31)),
        (date(2027, 1, 1), date(2027, 3, 31)),
    ]
    assert quarter_label((date(2027, 1, 1), date(2027, 3, 31))) == "2027 Q1"


# -- the demo club ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo(demo_db_path):
    return open_database(demo_db_path)


DEMO = Filters(as_of=date(2026, 11, 15))


def test_demo_plan_fits_the_budget_and_hours_and_explains_every_line(demo):
    weights = suggested_weights(situation(demo, DEMO))
    for budget, hours in ((3_000_000, 160), (500_000, 40), (10_000_000, 400), (0, 0)):
        plan = build_plan(demo, CURATOR, DEMO, weights=weights, budget=budget, hours=hours)
        assert plan.summary["cost"] <= budget and plan.summary["hours"] <= hours
        assert plan.lines["mechanic_id"].is_unique
        for line in plan.lines.itertuples():
            assert line.reason.startswith("Serves ")
            assert len(line.target_ids) == line.people
    rich = build_plan(demo, CURATOR, DEMO, weights=weights, budget=3e6, hours=160)
    assert rich.summary["measured_lines"] >= 1
    measured = rich.lines[rich.lines["effect_source"] == MEASURED]
    assert (measured["cases"] >= MIN_CASES).all()


def test_demo_plan_for_leadership_shows_aggregates_without_names(demo):
    weights = suggested_weights(situation(demo, DEMO))
    curator = build_plan(demo, CURATOR, DEMO, weights=weights, budget=3e6, hours=160)
    leader = build_plan(demo, LEADERSHIP, DEMO, weights=weights, budget=3e6, hours=160)
    assert leader.targets.empty and "target_ids" not in leader.lines
    assert leader.summary["people"] == curator.summary["people"]
    shown = leader.departments
    assert (shown[shown["department"] != "other"]["people"] >= 3).all()
    per_line = shown.groupby("mechanic_id")["people"].sum()
    planned = curator.lines.set_index("mechanic_id")["people"]
    assert per_line.le(planned.loc[per_line.index]).all()
    assert per_line.sum() >= 0.9 * planned.sum()  # only small departments are held back


def test_plan_report_for_the_cli(demo):
    report = all_reports()["plan"]
    staff = report.run(demo, CURATOR, as_of=DEMO.as_of, size=5)
    assert "targets" in staff.columns and staff["cost"].sum() <= DEFAULT_BUDGET
    leader = report.run(demo, LEADERSHIP, as_of=DEMO.as_of)
    assert "targets" not in leader.columns
    assert leader["mechanic"].tolist() == staff["mechanic"].tolist()
    with pytest.raises(AccessDenied):
        report.run(demo, PLANNER, as_of=DEMO.as_of)
