from datetime import date

import pytest

from lib.access import AccessDenied, Viewer
from lib.expertise.graph import MapView
from lib.expertise.search import find_skills, who_knows
from lib.filters import Filters
from tests.test_graph import seed_club

AS_OF = date(2026, 11, 15)


@pytest.mark.parametrize(
    ("query", "skill"),
    [
        ("Python", "S1"),
        ("pyhton", "S1"),
        ("PYTHON", "S1"),
        ("py", "S1"),
        ("ml", "S3"),
        ("machine lerning", "S3"),
        ("presenting", "S7"),
        ("presnting", "S7"),
        ("speaking public", "S7"),
        ("stress", "S6"),
    ],
)
def test_find_skill_by_name_or_alias_despite_case_and_typos(tiny_db, query, skill):
    seed_club(tiny_db)
    found = find_skills(tiny_db, query)
    assert found["skill_id"].iloc[0] == skill


def test_find_reports_what_matched_and_nothing_for_nonsense(tiny_db):
    seed_club(tiny_db)
    found = find_skills(tiny_db, "ML")
    assert found.iloc[0][["skill", "matched", "score"]].tolist() == ["Machine learning", "ML", 100]
    assert find_skills(tiny_db, "xyzzy").empty
    assert find_skills(tiny_db, "   ").empty
    risk = find_skills(tiny_db, "risk")
    assert risk["skill_id"].tolist() == ["S4"]
    with pytest.raises(ValueError):
        find_skills(tiny_db, "x" * 101)


def test_who_knows_ranks_by_level_freshness_and_recent_activity(tiny_db):
    seed_club(tiny_db)
    ranked = who_knows(tiny_db, Filters(as_of=AS_OF), Viewer("planner"), "S1")
    # Anna: level 4, fresh, one talk in the last 12 months -> 4 + 1 + ln 2
    # Boris: level 3, fresh -> 4; Cyril: level 2, stale -> 2
    assert ranked["person_id"].tolist() == ["A", "B", "C"]
    assert ranked["relevance"].tolist() == [5.69, 4.0, 2.0]
    anna = ranked.iloc[0]
    assert anna["recent_activities"] == 1
    assert anna["recent_work"] == "2026-10-20 PyCon talk; 2025-02-01 Old article"
    assert anna["evidence"] == "talk on pandas"
    assert anna["sources"] == "curator"
    assert bool(ranked.iloc[2]["stale"])


def test_who_knows_follows_the_filters(tiny_db):
    seed_club(tiny_db)
    f = Filters(as_of=AS_OF)
    assert who_knows(tiny_db, f, Viewer("curator"), "S8")["person_id"].tolist() == ["F"]
    with_alumni = who_knows(
        tiny_db, f, Viewer("curator"), "S8", MapView(statuses=("active", "alumni"))
    )
    assert with_alumni["person_id"].tolist() == ["G", "F"]
    experts = who_knows(tiny_db, f, Viewer("curator"), "S1", MapView(min_level=4))
    assert experts["person_id"].tolist() == ["A"]
    risk_dept = Filters(as_of=AS_OF, departments=("Risk",))
    assert who_knows(tiny_db, risk_dept, Viewer("planner"), "S7")["person_id"].tolist() == ["D"]
    with pytest.raises(AccessDenied):
        who_knows(tiny_db, f, None, "S7")


def test_interview_evidence_needs_the_right_role(tiny_db):
    seed_club(tiny_db)
    with tiny_db.transaction() as cur:
        cur.execute(
            "UPDATE person_skills SET evidence = 'told us about it' "
            "WHERE person_id = 'D' AND skill_id = 'S7'"
        )
    f = Filters(as_of=AS_OF)
    curator = who_knows(tiny_db, f, Viewer("curator"), "S7").set_index("person_id")
    leadership = who_knows(tiny_db, f, Viewer("leadership"), "S7").set_index("person_id")
    assert curator.loc["D", "evidence"] == "told us about it"
    assert leadership.loc["D", "evidence"] == ""
