from datetime import date

import pytest

from lib.access import AccessDenied, Viewer
from lib.expertise.graph import MapView
from lib.expertise.search import did_you_mean, find_skills, who_knows, who_knows_in_pool
from lib.filters import Filters
from lib.naming import person_labels
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


def with_russian_names(db):
    """The seeded club with Russian aliases, as a bilingual taxonomy has them."""
    seed_club(db)
    db.execute(
        "UPDATE skills SET aliases = list_concat(aliases, ['Машинное обучение']) "
        "WHERE skill_id = 'S3'"
    )
    db.execute("UPDATE skills SET aliases = ['Публичные выступления'] WHERE skill_id = 'S7'")


@pytest.mark.parametrize(
    ("query", "skill", "how"),
    [
        ("питон", "S1", "script"),  # Cyrillic spelling of a Latin name
        ("Пайтон", "S1", "script"),
        ("знерщт", "S1", "layout"),  # "python" typed on the Russian layout
        ("vfibyyjt j,extybt", "S3", "layout"),  # "машинное обучение" on the English layout
        ("машинным обучением", "S3", "word_form"),
        ("публичных выступлений", "S7", "word_form"),
        ("выступления", "S7", "word_form"),
        ("mashinnoe obuchenie", "S3", "script"),
        ("Machine learning", "S3", "exact"),
    ],
)
def test_queries_across_alphabets_layouts_and_word_forms(tiny_db, query, skill, how):
    with_russian_names(tiny_db)
    found = find_skills(tiny_db, query)
    assert (found["skill_id"].iloc[0], found["how"].iloc[0]) == (skill, how)


def test_did_you_mean_offers_close_names_when_nothing_matches(tiny_db):
    seed_club(tiny_db)
    assert find_skills(tiny_db, "bazel").empty
    assert did_you_mean(tiny_db, "bazel") == ["Basel III"]
    assert did_you_mean(tiny_db, "credit rsk scoring model") == ["Credit risk"]
    assert did_you_mean(tiny_db, "xyzzy") == []


def test_pool_scope_finds_employees_outside_the_club_for_planners(tiny_db):
    seed_club(tiny_db)
    tiny_db.execute(
        "INSERT INTO people (person_id, name, department, position, employed) VALUES "
        "('P1', 'Natalia Lebedeva', 'Retail banking', 'Analyst', TRUE), "
        "('P2', 'Natalia Lebedeva', 'Retail banking', 'Product owner', TRUE), "
        "('P3', 'Gone Person', 'IT', 'Engineer', FALSE)"
    )
    tiny_db.execute(
        "INSERT INTO person_skills VALUES ('P1','S1',5,'self','2026-10-01',NULL), "
        "('P2','S1',2,'self','2024-01-01',NULL), ('P3','S1',5,'self','2026-10-01',NULL)"
    )
    filters = Filters(as_of=AS_OF)
    pool = who_knows_in_pool(tiny_db, filters, Viewer("planner"), "S1")
    assert pool[["person_id", "membership", "level", "relevance"]].values.tolist() == [
        ["P1", "none", 5, 6.0],
        ["A", "active", 4, 5.0],
        ["B", "active", 3, 4.0],
        ["C", "active", 2, 2.0],
        ["P2", "none", 2, 2.0],
    ]
    club = who_knows(tiny_db, filters, Viewer("planner"), "S1")
    assert set(club["person_id"]) == {"A", "B", "C"}
    it_only = who_knows_in_pool(
        tiny_db, Filters(departments=("IT",), as_of=AS_OF), Viewer("curator"), "S1"
    )
    assert it_only["person_id"].tolist() == ["A", "B", "C"]
    with pytest.raises(AccessDenied):
        who_knows_in_pool(tiny_db, filters, Viewer("leadership"), "S1")
    labels = person_labels(pool.sort_values("person_id"))
    assert labels.tolist() == [
        "Anna · IT",
        "Boris · IT",
        "Cyril · IT",
        "Natalia Lebedeva · Retail banking · Analyst",
        "Natalia Lebedeva · Retail banking · Product owner",
    ]


def test_namesakes_with_the_same_position_are_told_apart_by_id():
    import pandas as pd

    people = pd.DataFrame(
        {
            "person_id": ["E1", "E2", "E3", "E4"],
            "name": ["Natalia Lebedeva", "Natalia Lebedeva", None, "Ivan"],
            "department": ["Retail banking", "Retail banking", "IT", None],
            "position": ["Analyst", "Analyst", "", ""],
        }
    )
    assert person_labels(people).tolist() == [
        "Natalia Lebedeva · Retail banking · Analyst (E1)",
        "Natalia Lebedeva · Retail banking · Analyst (E2)",
        "E3 · IT",
        "Ivan · —",
    ]
