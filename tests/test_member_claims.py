"""Skill claims review on a known club: the queue's order, confirm, change level, reject and
add — and the holders query every map, gap and shortlist view builds on follows at once."""

import pytest

from lib.access import AccessDenied
from lib.errors import Refusal
from lib.expertise.holders import skill_claims
from lib.filters import Filters
from lib.membership import claims
from lib.membership.audit import undo
from lib.vocabulary import MembershipStatus
from tests.workbench_data import AS_OF, CURATOR, LEADERSHIP, PLANNER, audit_rows, seed

EVERYONE = Filters(as_of=AS_OF)
CURRENT = (MembershipStatus.ONBOARDING, MembershipStatus.ACTIVE, MembershipStatus.PAUSED)


@pytest.fixture
def db(empty_db):
    return seed(empty_db)


def best(db, person, skill):
    found = skill_claims(db, EVERYONE, statuses=CURRENT)
    row = found[(found.person_id == person) & (found.skill_id == skill)]
    return None if row.empty else row.iloc[0][["level", "source", "stale"]].tolist()


def test_the_queue_puts_critical_and_old_claims_first(db):
    queue = claims.claims_queue(db, CURATOR, EVERYONE)
    assert queue[["person_id", "skill_id", "level", "critical", "sole_holder"]].values.tolist() == [
        ["P1", "S1", 3, 1, False],  # target skill, two holders, confirmed 2025-01-01
        ["P6", "S1", 4, 1, False],  # target skill, confirmed 2026-01-01 (its best claim)
        ["P7", "S3", 2, 2, True],  # sole holder among current members, never confirmed
    ]
    assert queue.loc[0, "age_days"] == 683
    assert queue.loc[0, "priority"] == "must"
    assert queue.loc[2, "confirmed_on"] != queue.loc[2, "confirmed_on"]  # never confirmed


def test_confirming_writes_the_curators_claim_and_leaves_the_queue(db):
    entry = claims.confirm_claims(db, CURATOR, [("P1", "S1")], as_of=AS_OF)
    assert db.rows(
        "SELECT level, source, confirmed_on FROM person_skills "
        "WHERE person_id = 'P1' AND skill_id = 'S1' ORDER BY source"
    ) == [(3, "curator", AS_OF), (3, "self", AS_OF.replace(year=2025, month=1, day=1))]
    assert best(db, "P1", "S1") == [3, "curator", False]
    queue = claims.claims_queue(db, CURATOR, EVERYONE)
    assert ["P1", "S1"] not in queue[["person_id", "skill_id"]].values.tolist()
    assert audit_rows(db) == [("claim_confirm", "curator@bank.example", "person_skills", "P1 S1")]
    undo(db, CURATOR, entry)
    assert best(db, "P1", "S1") == [3, "self", True]


def test_a_lower_level_sets_the_higher_claims_aside(db):
    claims.confirm_claims(db, CURATOR, [("P6", "S1")], as_of=AS_OF, level=3, note="Checked")
    assert best(db, "P6", "S1") == [3, "curator", False]
    assert db.rows(
        "SELECT source, level, rejected_on, note FROM claim_rejections WHERE person_id = 'P6'"
    ) == [("self", 4, AS_OF, "level 3")]
    assert db.rows(
        "SELECT source, level FROM person_skills WHERE person_id = 'P6' ORDER BY source"
    ) == [("curator", 3), ("peer", 2)]
    assert db.scalar("SELECT evidence FROM person_skills WHERE source = 'curator'") == "Checked"


def test_a_rejected_claim_stops_counting_but_stays_in_history(db):
    claims.reject_claims(db, CURATOR, [("P1", "S2")], as_of=AS_OF, note="No evidence")
    assert best(db, "P1", "S2") is None
    assert not db.scalar(
        "SELECT count(*) FROM person_skills WHERE person_id = 'P1' AND skill_id = 'S2'"
    )
    history = claims.rejected_claims(db, CURATOR, "P1")
    assert history[["skill", "source", "level", "note"]].values.tolist() == [
        ["SQL", "interview", 2, "No evidence"],
        ["SQL", "self", 4, "No evidence"],
    ]
    db.execute(
        "INSERT INTO person_skills (person_id, skill_id, level, source, confirmed_on) "
        "VALUES ('P1', 'S2', 4, 'self', '2026-10-01')"
    )
    assert best(db, "P1", "S2") is None  # the same claim imported again stays rejected
    db.execute("UPDATE person_skills SET confirmed_on = '2026-11-10' WHERE skill_id = 'S2'")
    assert best(db, "P1", "S2") == [4, "self", False]  # a newer confirmation counts again


def test_adding_a_claim_checks_it_as_an_import_would(db):
    claims.add_claim(
        db, CURATOR, "P7", "event streaming", 4, evidence="Talk at a meetup", as_of=AS_OF
    )
    assert db.rows(
        "SELECT skill_id, level, source, confirmed_on, evidence FROM person_skills "
        "WHERE person_id = 'P7' AND source = 'curator'"
    ) == [("S3", 4, "curator", AS_OF, "Talk at a meetup")]
    with pytest.raises(Refusal, match=r"Skill: Unknown skill.*Did you mean Python \(S1\)\?"):
        claims.add_claim(db, CURATOR, "P7", "Pyhton", 3, evidence="x", as_of=AS_OF)
    with pytest.raises(Refusal, match=r"Member: Unknown person.*Did you mean P7"):
        claims.add_claim(db, CURATOR, "P77", "SQL", 3, evidence="x", as_of=AS_OF)
    with pytest.raises(Refusal, match="Level: Must be between 1 and 5"):
        claims.add_claim(db, CURATOR, "P7", "SQL", 7, evidence="x", as_of=AS_OF)
    with pytest.raises(Refusal, match="needs evidence"):
        claims.add_claim(db, CURATOR, "P7", "SQL", 3, evidence=" ", as_of=AS_OF)


def test_only_curators_and_admins_review_claims(db):
    for viewer in (PLANNER, LEADERSHIP):
        with pytest.raises(AccessDenied):
            claims.claims_queue(db, viewer, EVERYONE)
        with pytest.raises(AccessDenied):
            claims.confirm_claims(db, viewer, [("P1", "S1")], as_of=AS_OF)
        with pytest.raises(AccessDenied):
            claims.reject_claims(db, viewer, [("P1", "S1")], as_of=AS_OF)
    with pytest.raises(Refusal, match="P4 has no claim on S1"):
        claims.confirm_claims(db, CURATOR, [("P4", "S1")], as_of=AS_OF)
    assert audit_rows(db) == []
