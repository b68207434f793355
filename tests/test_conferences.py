"""The speaking pipeline on a small known club: topic matching, speakers for a call, calls for
a member, the deadline window, status moves and their refusals, the activity a delivered talk
becomes (exactly once), sponsored trips, aggregates and who may see or change what."""

from datetime import date

import pandas as pd
import pytest

from lib import access
from lib.access import AccessDenied, Viewer
from lib.conferences import editing, matching, moves, pipeline, records, submissions
from lib.expertise.graph import ACTIVE_CLUB, build_club_graph
from lib.expertise.profile import member_profile
from lib.filters import Filters
from tests.speaking import AS_OF, fill

CURATOR = Viewer("curator", email="curator@bank.example")
FILTERS = Filters(as_of=AS_OF)


@pytest.fixture
def db(empty_db):
    return fill(empty_db)


def audit(db, action: str) -> int:
    return db.scalar("SELECT count(*) FROM audit_log WHERE action = ?", [action])


# -- matching -----------------------------------------------------------------------------
def test_topics_match_names_and_aliases_in_both_languages_despite_typos(db):
    found = matching.topic_skills(
        db, ["Kubernets at scale", "LLM in banking", "Антифрод", "Go-to-market", "Event streaming"]
    )
    pairs = {(r.topic, r.skill_id): (r.matched, round(r.score)) for r in found.itertuples()}
    assert pairs == {
        ("Kubernets at scale", "K8S"): ("Kubernetes", 94),
        ("LLM in banking", "LLM"): ("LLM", 95),
        ("Антифрод", "FRD"): ("Антифрод", 100),
    }


def test_speakers_for_a_call_are_ranked_by_level_freshness_and_match(db):
    found = matching.speaker_matches(db, CURATOR, FILTERS, ["C1"])
    assert found["person_id"].tolist() == ["P1", "P2"]
    anna, boris = found.to_dict("records")
    # K8S: 5/5 × fresh × 0.94; LLM: 3/5 × stale 0.5 × 0.95. Boris: LLM 4/5 × 0.95.
    assert anna["fit"] == pytest.approx(0.94 + 0.285, abs=0.006)
    assert boris["fit"] == pytest.approx(0.76)
    assert anna["matched"] == (
        "Kubernets at scale → Kubernetes, L5; LLM in banking → Generative AI & LLMs (LLM), L3 *"
    )
    assert (anna["talks_12m"], anna["hours_available"], anna["best_level"]) == (1, 15.0, 5)
    assert pd.isna(boris["hours_available"]) and not anna["submitted"]


def test_hours_only_for_roles_that_see_capacity(db):
    planner = matching.speaker_matches(db, Viewer("planner"), FILTERS, ["C1"])
    assert "hours_available" not in planner.columns
    assert planner["person_id"].tolist() == ["P1", "P2"]
    with pytest.raises(AccessDenied):
        matching.speaker_matches(db, Viewer("leadership"), FILTERS, ["C1"])


def test_open_calls_for_a_member_and_the_gaps_a_call_would_showcase(db):
    new_talk(db, conference="C2", speakers=["P2"])
    calls = matching.member_calls(db, CURATOR, FILTERS, "P2")
    assert calls[["conference_id", "fit", "days_to_close", "submitted"]].values.tolist() == [
        ["C1", 0.76, 30, False],
        ["C2", 0.4, 31, True],
    ]
    gaps = matching.showcased_gaps(db, FILTERS)
    assert gaps[["conference_id", "skill_id", "priority", "coverage", "gap"]].values.tolist() == [
        ["C1", "LLM", "must", 2, 1]
    ]


# -- the deadline window --------------------------------------------------------------------
@pytest.mark.parametrize(
    "closes, inside",
    [
        (date(2026, 11, 14), False),
        (date(2026, 11, 15), True),
        (date(2026, 12, 15), True),
        (date(2026, 12, 16), False),
        (None, False),
    ],
)
def test_deadline_window_is_today_to_thirty_days(closes, inside):
    assert records.in_deadline_window(closes, AS_OF) is inside


def test_call_states_on_the_analysis_day(db):
    calls = records.conference_list(db, AS_OF).set_index("conference_id")
    assert calls["cfp_state"].to_dict() == {
        "C3": "closed",
        "C1": "open",
        "C2": "open",
        "C4": "not_open",
    }
    assert calls["closing_soon"].to_dict() == {"C3": False, "C1": True, "C2": False, "C4": False}
    assert records.open_calls(db, AS_OF)["conference_id"].tolist() == ["C1", "C2"]


# -- status moves ---------------------------------------------------------------------------
def new_talk(db, viewer=CURATOR, conference="C1", speakers=("P1", "P2"), **options):
    return submissions.create_submission(
        db,
        viewer,
        conference,
        "Kubernetes for a million customers",
        list(speakers),
        as_of=AS_OF,
        skills=["K8S", "LLM"],
        **options,
    )


def move(db, submission_id, status, as_of=AS_OF, **options):
    return moves.move_submission(db, CURATOR, submission_id, status, as_of=as_of, **options)


def test_a_talk_goes_from_idea_to_the_stage_and_becomes_activities_once(db):
    talk = new_talk(db)
    assert talk == "SUB0001"
    move(db, talk, "draft")
    with pytest.raises(ValueError, match="Internal review needs a reviewer"):
        move(db, talk, "review")
    move(db, talk, "review", reviewer="Irina Curator")
    move(db, talk, "submitted")
    move(db, talk, "accepted")
    with pytest.raises(ValueError, match="begins on 2027-02-01"):
        move(db, talk, "delivered")
    before = db.count("activities")
    created = move(db, talk, "delivered", as_of=date(2027, 2, 3))
    assert created == ["SUB0001-P1", "SUB0001-P2"]
    assert db.count("activities") == before + 2
    rows = db.df(
        "SELECT person_id, occurred_on, kind, audience, skills, title FROM activities "
        "WHERE activity_id LIKE 'SUB0001-%' ORDER BY person_id"
    )
    assert rows["kind"].tolist() == ["talk_external"] * 2
    assert rows["audience"].tolist() == [500, 500]
    assert rows["occurred_on"].dt.date.tolist() == [date(2027, 2, 1)] * 2
    assert [list(s) for s in rows["skills"]] == [["K8S", "LLM"]] * 2
    assert rows["title"][0] == "Kubernetes for a million customers — CloudConf 2027"
    links = db.rows("SELECT person_id, activity_id FROM submission_speakers ORDER BY person_id")
    assert links == [("P1", "SUB0001-P1"), ("P2", "SUB0001-P2")]
    with pytest.raises(ValueError, match="from “Delivered” to “Delivered”"):
        move(db, talk, "delivered", as_of=date(2027, 2, 3))
    assert moves.link_delivered_talks(db, CURATOR) == []
    assert db.count("activities") == before + 2
    stored = db.rows(
        "SELECT status, reviewer, submitted_on, decided_on, delivered_on FROM submissions"
    )
    assert stored == [("delivered", "Irina Curator", AS_OF, AS_OF, date(2027, 2, 1))]
    assert audit(db, "submission_status") == 5


def test_the_delivered_talk_shows_on_the_members_profile(db):
    talk = new_talk(db)
    for status in ("draft", "review", "submitted", "accepted"):
        move(db, talk, status, reviewer="Irina Curator")
    move(db, talk, "delivered", as_of=date(2027, 2, 3))
    later = Filters(as_of=date(2027, 2, 3))
    club = build_club_graph(db, later, ACTIVE_CLUB)
    profile = member_profile(db, CURATOR, club, "P1", as_of=later.as_of)
    first = profile.activities.iloc[0]
    assert first["title"] == "Kubernetes for a million customers — CloudConf 2027"
    assert (first["kind"], first["skills"]) == ("talk_external", "Kubernetes, Generative AI & LLMs")


def test_illegal_moves_are_refused_and_change_nothing(db):
    talk = new_talk(db)
    with pytest.raises(ValueError, match="from “Idea” to “Accepted”"):
        move(db, talk, "accepted")
    with pytest.raises(ValueError, match="Unknown submission"):
        move(db, "SUB9999", "draft")
    with pytest.raises(ValueError, match="Unknown status: retired"):
        move(db, talk, "retired")
    assert db.rows("SELECT status FROM submissions") == [("idea",)]
    assert audit(db, "submission_status") == 0


def test_submitting_is_possible_only_while_the_call_is_open(db):
    late = new_talk(db, conference="C2", speakers=["P2"])
    early = new_talk(db, conference="C4", speakers=["P2"])
    for talk in (late, early):
        move(db, talk, "draft")
        move(db, talk, "review", reviewer="Irina Curator")
    with pytest.raises(ValueError, match="closed on 2026-12-16"):
        move(db, late, "submitted", as_of=date(2026, 12, 17))
    with pytest.raises(ValueError, match="opens on 2026-12-01"):
        move(db, early, "submitted")
    move(db, late, "submitted", as_of=date(2026, 12, 16))
    assert dict(db.rows("SELECT submission_id, status FROM submissions")) == {
        late: "submitted",
        early: "review",
    }


def test_bad_submissions_are_refused_with_every_reason(db):
    with pytest.raises(ValueError, match="Past Summit 2026” ended on 2026-06-02"):
        new_talk(db, conference="C3")
    with pytest.raises(ValueError) as refused:
        new_talk(db, speakers=["P999", "P3", "P4", "P5"])
    assert str(refused.value).splitlines() == [
        "Unknown speaker: P999 is not in the employee pool.",
        "P3 is not a club member (onboarding, active or paused) and cannot speak for the club.",
        "P4 is not a club member (onboarding, active or paused) and cannot speak for the club.",
        "P5 is not a club member (onboarding, active or paused) and cannot speak for the club.",
    ]
    with pytest.raises(ValueError, match="at least one speaker"):
        new_talk(db, speakers=[])
    with pytest.raises(ValueError, match="Unknown conference: C9"):
        new_talk(db, conference="C9")
    with pytest.raises(ValueError, match="starts as an idea or a draft"):
        new_talk(db, status="accepted")
    assert db.count("submissions") == 0 and db.count("submission_speakers") == 0
    assert audit(db, "submission_create") == 0


def test_hostile_text_is_stored_as_text(db):
    title = "<script>alert(1)</script>'; DROP TABLE submissions; --"
    talk = submissions.create_submission(db, CURATOR, "C1", title, ["P1"], as_of=AS_OF)
    assert db.scalar("SELECT title FROM submissions WHERE submission_id = ?", [talk]) == title
    with pytest.raises(ValueError, match="control characters"):
        submissions.create_submission(db, CURATOR, "C1", "bad\x00title", ["P1"], as_of=AS_OF)


def test_changing_an_open_submission_and_not_a_closed_one(db):
    talk = new_talk(db)
    submissions.update_submission(
        db, CURATOR, talk, title="New title", speakers=["P2"], skills=["FRD"], reviewer="Oleg"
    )
    assert db.rows("SELECT title, skills, reviewer FROM submissions") == [
        ("New title", ["FRD"], "Oleg")
    ]
    assert db.rows("SELECT person_id FROM submission_speakers") == [("P2",)]
    move(db, talk, "withdrawn")
    with pytest.raises(ValueError, match="can no longer be changed"):
        submissions.update_submission(db, CURATOR, talk, title="x", speakers=["P2"])


# -- conferences ------------------------------------------------------------------------------
def test_a_call_that_closes_before_it_opens_is_refused_with_nothing_written(db):
    values = {
        "name": "Broken Conf",
        "cfp_opens": "2026-12-01",
        "cfp_closes": "2026-11-01",
        "url": "javascript:alert(1)",
        "audience": -5,
    }
    with pytest.raises(ValueError) as refused:
        editing.save_conference(db, CURATOR, values)
    assert str(refused.value).splitlines() == [
        "Audience must be a number of zero or more.",
        "The website must be an http(s) address.",
        "The call for papers closes (2026-11-01) before it opens (2026-12-01).",
    ]
    assert db.count("conferences") == 4 and audit(db, "conference_add") == 0


def test_conferences_are_added_changed_and_removed_when_unused(db):
    values = {"name": "New Conf", "topics": "Kubernetes; LLM\nАнтифрод", "cost": "1 500,5"}
    added = editing.save_conference(db, CURATOR, values)
    assert added == "CF001"
    assert db.rows("SELECT topics, cost FROM conferences WHERE conference_id = 'CF001'") == [
        (["Kubernetes", "LLM", "Антифрод"], 1500.5)
    ]
    editing.save_conference(db, CURATOR, {**values, "name": "Renamed"}, added)
    assert db.scalar("SELECT name FROM conferences WHERE conference_id = ?", [added]) == "Renamed"
    new_talk(db)
    with pytest.raises(ValueError, match="has 1 submissions"):
        editing.delete_conference(db, CURATOR, "C1")
    editing.delete_conference(db, CURATOR, added)
    assert db.count("conferences") == 4
    assert [audit(db, a) for a in ("conference_add", "conference_edit", "conference_delete")] == [
        1,
        1,
        1,
    ]


# -- sponsored trips --------------------------------------------------------------------------
def test_a_sponsored_trip_is_a_recognition_with_its_cost(db):
    talk = new_talk(db)
    with pytest.raises(ValueError, match="accepted or delivered talk"):
        moves.record_sponsored_trip(db, CURATOR, talk, "P1")
    for status in ("draft", "review", "submitted", "accepted"):
        move(db, talk, status, reviewer="Irina Curator")
    moves.record_sponsored_trip(db, CURATOR, talk, "P1")
    moves.record_sponsored_trip(db, CURATOR, talk, "P2", cost=2500)
    assert db.rows("SELECT person_id, date, kind, cost FROM recognitions ORDER BY 1") == [
        ("P1", date(2027, 2, 1), "sponsored_conference", 1000.0),
        ("P2", date(2027, 2, 1), "sponsored_conference", 2500.0),
    ]
    with pytest.raises(ValueError, match="already has a sponsored conference"):
        moves.record_sponsored_trip(db, CURATOR, talk, "P1")
    with pytest.raises(ValueError, match="P5 is not a speaker"):
        moves.record_sponsored_trip(db, CURATOR, talk, "P5")
    with pytest.raises(AccessDenied):
        moves.record_sponsored_trip(db, Viewer("planner"), talk, "P1")


# -- who sees and changes what ------------------------------------------------------------------
def test_leadership_sees_accepted_talks_and_aggregates_only(db):
    accepted, idea = new_talk(db), new_talk(db, speakers=["P2"])
    for status in ("draft", "review", "submitted", "accepted"):
        move(db, accepted, status, reviewer="Irina Curator")
    everything = records.submission_list(db, Viewer("planner"), AS_OF)
    assert everything["submission_id"].tolist() == [accepted, idea]
    shown = records.submission_list(db, Viewer("leadership"), AS_OF)
    assert shown["submission_id"].tolist() == [accepted]
    assert "reviewer" not in shown.columns
    counts = pipeline.status_counts(db, Viewer("leadership")).set_index("status")["submissions"]
    assert (counts["idea"], counts["accepted"], counts["delivered"]) == (1, 1, 0)


def test_only_staff_write(db):
    for role in ("planner", "leadership"):
        with pytest.raises(AccessDenied):
            new_talk(db, viewer=Viewer(role))
        with pytest.raises(AccessDenied):
            editing.save_conference(db, Viewer(role), {"name": "X"})
    assert db.count("submissions") == 0 and db.count("conferences") == 4


def test_a_speaker_manages_their_own_submissions_once_a_role_may(db, monkeypatch):
    """The member role of a later issue only needs `edit_own_submissions`."""
    monkeypatch.setitem(access.PERMISSIONS, "edit_own_submissions", frozenset({"planner"}))
    anna = Viewer("planner", email="Anna@Bank.example")
    own = new_talk(db, viewer=anna, speakers=["P1"])
    moves.move_submission(db, anna, own, "draft", as_of=AS_OF)
    with pytest.raises(AccessDenied):
        new_talk(db, viewer=anna, speakers=["P2"])
    others = new_talk(db, speakers=["P2"])
    with pytest.raises(AccessDenied):
        moves.move_submission(db, anna, others, "draft", as_of=AS_OF)
    assert dict(db.rows("SELECT submission_id, status FROM submissions")) == {
        own: "draft",
        others: "idea",
    }


# -- results ------------------------------------------------------------------------------------
def test_acceptance_rates_quarters_and_uncovered_target_skills(db):
    db.execute(
        """
        INSERT INTO submissions (submission_id, conference_id, title, skills, status,
                                 delivered_on) VALUES
          ('S1', 'C1', 'a', ['LLM'], 'accepted', NULL),
          ('S2', 'C1', 'b', ['LLM'], 'rejected', NULL),
          ('S3', 'C1', 'c', ['FRD'], 'withdrawn', NULL),
          ('S4', 'C3', 'd', ['K8S'], 'delivered', '2026-06-01'),
          ('S5', 'C3', 'e', ['LLM'], 'rejected', NULL);
        INSERT INTO submission_speakers (submission_id, person_id) VALUES
          ('S4', 'P1'), ('S4', 'P2');
        """
    )
    lead = Viewer("leadership")
    by_conference = pipeline.acceptance_by_conference(db, lead).set_index("conference_id")
    assert by_conference[["decided", "accepted", "acceptance_rate"]].values.tolist() == [
        [2, 1, 0.5],
        [2, 1, 0.5],
    ]
    by_skill = pipeline.acceptance_by_skill(db, lead).set_index("skill_id")
    assert by_skill.loc["LLM", ["decided", "accepted"]].tolist() == [3, 1]
    assert by_skill.loc["K8S", "acceptance_rate"] == 1.0
    quarters = pipeline.delivered_per_quarter(db, lead)
    assert quarters.values.tolist() == [["2026Q2", 1, 2]]
    assert pipeline.uncovered_target_skills(db, lead, AS_OF)["skill_id"].tolist() == ["LLM"]
    next_year = pipeline.uncovered_target_skills(db, lead, date(2027, 1, 10))
    assert next_year["skill_id"].tolist() == ["K8S"]
