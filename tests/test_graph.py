import math
from datetime import date

import networkx as nx
import pandas as pd
import pytest

from lib.access import Viewer
from lib.expertise import graph, layout, matrix, network, profile
from lib.expertise import reports as expertise_reports
from lib.expertise.counts import skill_cooccurrence
from lib.expertise.graph import MapView, build_club_graph
from lib.filters import Filters
from lib.reporting import all_reports

AS_OF = date(2026, 11, 15)


def seed_club(db):
    """Two clusters (data: S1-S3, people A-C; risk: S4-S6, people D-F) bridged by S7 (C, D)."""
    with db.transaction() as cur:
        for table in ("person_skills", "membership_events", "memberships", "people", "skills"):
            cur.execute(f"DELETE FROM {table}")
        for table in ("activities", "target_profile"):
            cur.execute(f"DELETE FROM {table}")
        cur.execute(
            "INSERT INTO skills VALUES "
            "('S1','Python','Data',NULL,['py'],NULL),"
            "('S2','SQL','Data',NULL,[],NULL),"
            "('S3','Machine learning','Data',NULL,['ML'],NULL),"
            "('S4','Credit risk','Risk',NULL,[],NULL),"
            "('S5','Basel III','Risk',NULL,[],NULL),"
            "('S6','Stress testing','Risk',NULL,[],NULL),"
            "('S7','Public speaking','Soft',NULL,['presenting'],NULL),"
            "('S8','Quantum computing','Data',NULL,[],NULL)"
        )
        cur.execute(
            "INSERT INTO people (person_id, name, department) VALUES "
            "('A','Anna','IT'),('B','Boris','IT'),('C','Cyril','IT'),"
            "('D','Daria','Risk'),('E','Egor','Risk'),('F','Fedor','Risk'),('G','Gleb','IT')"
        )
        cur.execute(
            "INSERT INTO memberships (person_id, wave, status, joined_on) VALUES "
            "('A',1,'active','2025-01-10'),('B',1,'active','2025-01-10'),"
            "('C',1,'active','2025-01-10'),('D',2,'active','2026-03-01'),"
            "('E',2,'active','2026-03-01'),('F',2,'active','2026-03-01'),"
            "('G',1,'alumni','2025-01-10')"
        )
        cur.execute("""INSERT INTO person_skills VALUES
            ('A','S1',4,'curator','2026-10-01','talk on pandas'),
            ('A','S2',3,'self','2026-10-01',NULL),
            ('A','S3',2,'self','2026-10-01',NULL),
            ('B','S1',3,'self','2026-10-01',NULL),
            ('B','S2',4,'curator','2026-10-01',NULL),
            ('B','S3',3,'self','2026-10-01',NULL),
            ('C','S1',2,'self','2025-01-01',NULL),
            ('C','S2',2,'self','2026-10-01',NULL),
            ('C','S3',5,'curator','2026-10-01',NULL),
            ('C','S7',4,'curator','2026-10-01',NULL),
            ('D','S7',3,'interview','2026-10-01',NULL),
            ('D','S4',4,'curator','2026-10-01',NULL),
            ('D','S5',3,'self','2026-10-01',NULL),
            ('D','S6',3,'self','2026-10-01',NULL),
            ('E','S4',3,'self','2026-10-01',NULL),
            ('E','S5',4,'curator','2026-10-01',NULL),
            ('E','S6',2,'self','2026-10-01',NULL),
            ('F','S4',2,'self','2026-10-01',NULL),
            ('F','S5',2,'self','2026-10-01',NULL),
            ('F','S6',4,'curator','2026-10-01',NULL),
            ('F','S8',3,'self','2026-10-01',NULL),
            ('G','S8',5,'curator','2026-10-01',NULL)""")
        cur.execute("INSERT INTO target_profile VALUES ('S3', 2, 4, 'must', NULL)")
        cur.execute(
            "INSERT INTO membership_events VALUES "
            "('G','2024-12-01','candidate','onboarding','Onboarding started'),"
            "('G','2026-06-01','active','alumni','Left: moved to another bank')"
        )
        cur.execute(
            "INSERT INTO activities VALUES "
            "('X1','A','2026-10-20','talk_external','PyCon talk',300,2.0,['S1','S2']),"
            "('X2','A','2025-02-01','article','Old article',50,3.0,['S1'])"
        )


def test_cooccurrence_counts_members_holding_both(tiny_db):
    seed_club(tiny_db)
    pairs = skill_cooccurrence(tiny_db, Filters(as_of=AS_OF))
    weights = {(r.skill_a, r.skill_b): r.weight for r in pairs.itertuples()}
    assert weights[("S1", "S2")] == 3
    assert weights[("S3", "S7")] == 1
    assert ("S1", "S4") not in weights
    assert all(a < b for a, b in weights)
    assert len(weights) == 3 + 3 + 3 + 3 + 3  # data triangle, risk triangle, bridges, F's S8
    high = skill_cooccurrence(tiny_db, Filters(as_of=AS_OF), min_level=3)
    assert {(r.skill_a, r.skill_b): r.weight for r in high.itertuples()}[("S1", "S2")] == 2


@pytest.fixture
def club(tiny_db):
    seed_club(tiny_db)
    return build_club_graph(tiny_db, Filters(as_of=AS_OF))


def by_skill(club, column):
    return dict(zip(club.skills["skill_id"], club.skills[column], strict=True))


def test_holders_bus_factor_and_freshness(club):
    holders = by_skill(club, "holders")
    assert [holders[s] for s in ("S1", "S3", "S7", "S8")] == [3, 3, 2, 1]
    bus = by_skill(club, "bus_factor")
    assert bus["S1"] == 2 and bus["S7"] == 2
    assert bus["S8"] == 1
    assert bus["S3"] == 1 and by_skill(club, "bus_level")["S3"] == 4  # target min_level 4
    assert by_skill(club, "stale_share")["S1"] == pytest.approx(1 / 3)
    assert str(by_skill(club, "last_confirmed")["S1"])[:10] == "2026-10-01"
    assert by_skill(club, "top_holders")["S3"] == "Cyril, Boris, Anna"
    assert by_skill(club, "level_4")["S1"] == 1


def test_uniqueness_and_unique_skills(club):
    assert club.club_size == 6
    members = club.members.set_index("person_id")
    assert members.loc["F", "uniqueness"] == pytest.approx(3 * math.log(2) + math.log(6), abs=1e-3)
    assert members.loc["A", "uniqueness"] == pytest.approx(3 * math.log(2), abs=1e-3)
    assert members.loc["F", "unique_skills"] == "Quantum computing"
    assert members[members["unique_count"] > 0].index.tolist() == ["F"]
    assert club.members["person_id"].iloc[0] == "F"  # most unique first
    assert "G" not in members.index  # alumni are outside the active club


def test_a_filter_narrows_who_is_listed_never_who_counts_as_a_holder(tiny_db):
    """With Risk + wave 2 selected, F is the only listed member with Quantum computing, but
    uniqueness is measured against the whole club: F still holds it alone (G is alumni), while
    Cyril's Public speaking is shared with Daria outside an IT-only view."""
    seed_club(tiny_db)
    it_only = build_club_graph(tiny_db, Filters(as_of=AS_OF, departments=("IT",)))
    members = it_only.members.set_index("person_id")
    assert sorted(members.index) == ["A", "B", "C"]
    # Inside IT alone, C would be the only holder of S7; Daria (Risk) holds it too.
    assert members.loc["C", "unique_count"] == 0
    assert members.loc["C", "uniqueness"] == pytest.approx(
        math.log(6 / 3) * 3 + math.log(6 / 2), abs=1e-3
    )
    whole = build_club_graph(tiny_db, Filters(as_of=AS_OF)).members.set_index("person_id")
    for person in ("A", "B", "C"):
        assert members.loc[person].to_dict() == whole.loc[person].to_dict()
    profile_skills = profile.member_profile(tiny_db, Viewer("curator"), it_only, "C").skills
    assert profile_skills.set_index("skill_id").loc["S7", "other_holders"] == 1
    assert not profile_skills["unique"].any()


def test_alumni_view_changes_who_is_unique(tiny_db):
    seed_club(tiny_db)
    both = build_club_graph(tiny_db, Filters(as_of=AS_OF), MapView(statuses=("active", "alumni")))
    members = both.members.set_index("person_id")
    assert members.loc["F", "unique_count"] == 0  # G (alumni) also holds S8
    assert both.club_size == 7


def test_two_clusters_become_two_named_communities(club):
    community = by_skill(club, "community")
    assert community["S1"] == community["S2"] == community["S3"]
    assert community["S4"] == community["S5"] == community["S6"] == community["S8"]
    assert community["S1"] != community["S4"]
    assert club.communities["community"].tolist() == [1, 2]
    names = set(club.communities["community_name"])
    assert any("Python" in n or "SQL" in n for n in names)
    assert any("Credit risk" in n or "Basel III" in n for n in names)


def test_communities_are_stable_for_the_same_data(tiny_db):
    seed_club(tiny_db)
    first = build_club_graph(tiny_db, Filters(as_of=AS_OF)).skills
    second = build_club_graph(tiny_db, Filters(as_of=AS_OF)).skills
    pd.testing.assert_frame_equal(first, second)


def test_bridge_skill_has_the_highest_betweenness(club):
    bridges = graph.skill_bridges(club)
    assert bridges["skill_id"].iloc[0] == "S7"
    assert bridges["betweenness"].iloc[0] > bridges["betweenness"].iloc[1]
    reached = dict(zip(bridges["skill_id"], bridges["communities_reached"], strict=True))
    assert reached["S7"] == 1 and reached["S1"] in (0, 1)
    pd.testing.assert_frame_equal(bridges, graph.skill_bridges(club))


def test_projection_matches_networkx_bipartite_projection(club):
    people_skills = network.bipartite_graph(club.claims)
    skills = {n for n, d in people_skills.nodes(data=True) if d["bipartite"] == 1}
    expected = nx.bipartite.weighted_projected_graph(people_skills, skills, ratio=False)
    projection = network.skill_projection(club.held_skills, club.pairs)
    assert {(min(a, b)[1], max(a, b)[1], d["weight"]) for a, b, d in expected.edges(data=True)} == {
        (a, b, d["weight"]) for a, b, d in projection.edges(data=True)
    }
    assert people_skills.number_of_nodes() == 6 + 8


def test_view_filters_narrow_the_graph(tiny_db):
    seed_club(tiny_db)
    f = Filters(as_of=AS_OF)
    risk = build_club_graph(tiny_db, f, MapView(categories=("Risk",)))
    assert sorted(risk.held_skills["skill_id"]) == ["S4", "S5", "S6"]
    fresh = build_club_graph(tiny_db, f, MapView(fresh_only=True))
    assert by_skill(fresh, "holders")["S1"] == 2
    expert = build_club_graph(tiny_db, f, MapView(min_level=4))
    assert by_skill(expert, "holders")["S1"] == 1
    trusted = build_club_graph(tiny_db, f, MapView(min_confidence=0.9))
    assert set(trusted.claims["source"]) == {"curator"}
    it_only = build_club_graph(tiny_db, Filters(as_of=AS_OF, departments=("IT",)))
    assert it_only.club_size == 3 and by_skill(it_only, "holders")["S4"] == 0
    with pytest.raises(ValueError):
        MapView(min_level=7)
    with pytest.raises(ValueError):
        MapView(statuses=())


def test_empty_view_gives_an_empty_graph(tiny_db):
    seed_club(tiny_db)
    none = build_club_graph(tiny_db, Filters(as_of=AS_OF, departments=("Nowhere",)))
    assert none.club_size == 0 and none.held_skills.empty and none.members.empty
    assert layout.skill_layout(none).empty


def test_layout_is_deterministic_and_capped(club):
    first = layout.skill_layout(club, top_n=5)
    assert len(first) == 5
    pd.testing.assert_frame_equal(first, layout.skill_layout(club, top_n=5))
    assert "S8" not in set(first["skill_id"])  # the least held skill is left out


def test_repr_names_what_the_graph_was_built_from(tiny_db, club):
    other = build_club_graph(tiny_db, Filters(as_of=AS_OF), MapView(min_level=3))
    assert repr(club) != repr(other)
    assert "min_level=3" in repr(other)


def test_narrow_by_skill_and_by_member(club):
    skills, members = matrix.narrow(club, skill_id="S7")
    assert members["person_id"].tolist() == ["C", "D"]
    assert skills["skill_id"].iloc[0] == "S7"
    assert set(skills["skill_id"]) == {"S1", "S2", "S3", "S4", "S5", "S6", "S7"}
    skills, members = matrix.narrow(club, person_id="F")
    assert sorted(skills["skill_id"]) == ["S4", "S5", "S6", "S8"]
    assert members["person_id"].iloc[0] == "F"
    assert set(members["person_id"]) == {"D", "E", "F"}


def test_matrix_orders_and_caps(club):
    rare = matrix.skill_matrix(club, skill_order="rarity", member_order="uniqueness")
    assert rare.levels.columns[0] == "Quantum computing"
    assert rare.levels.index[0] == "Fedor"
    assert rare.levels.loc["Cyril", "Machine learning"] == 5
    assert pd.isna(rare.levels.loc["Anna", "Credit risk"])
    assert rare.cells.loc[rare.cells["unique"], "skill_id"].tolist() == ["S8"]
    by_category = matrix.skill_matrix(club, skill_order="category", member_order="name")
    assert list(by_category.levels.columns[:3]) == ["Machine learning", "Python", "SQL"]
    assert by_category.levels.index[0] == "Anna"
    small = matrix.skill_matrix(club, max_members=2, max_skills=3)
    assert small.levels.shape == (2, 3) and small.members_total == 6 and small.skills_total == 8
    assert list(small.levels.index) == ["Fedor", "Cyril"]
    assert list(small.levels.columns) == ["Python", "SQL", "Quantum computing"]  # unique kept
    focused = matrix.skill_matrix(club, skill_id="S8")
    assert focused.levels.index.tolist() == ["Fedor"]
    with pytest.raises(ValueError):
        matrix.skill_matrix(club, skill_order="colour")


def test_member_profile_hides_notes_from_planners(tiny_db, club):
    curator = profile.member_profile(tiny_db, Viewer("curator"), club, "G", as_of=AS_OF)
    assert curator.person["status"] == "alumni"
    assert "exit_reason" not in curator.person
    assert curator.skills["skill_id"].tolist() == ["S8"]
    assert not curator.skills["unique"].iloc[0]  # Fedor, in the club, holds it too
    assert "note" in curator.history.columns
    planner = profile.member_profile(tiny_db, Viewer("planner"), club, "G", as_of=AS_OF)
    assert "note" not in planner.history.columns
    assert planner.history["to_status"].tolist() == ["onboarding", "alumni"]
    anna = profile.member_profile(tiny_db, Viewer("leadership"), club, "A", as_of=AS_OF)
    assert anna.activities["title"].tolist() == ["PyCon talk", "Old article"]
    assert anna.activities["skills"].iloc[0] == "Python, SQL"
    assert anna.skills.set_index("skill_id").loc["S1", "evidence"] == "talk on pandas"
    fedor = profile.member_profile(tiny_db, Viewer("curator"), club, "F", as_of=AS_OF)
    assert fedor.skills["skill_id"].iloc[0] == "S8" and fedor.skills["unique"].iloc[0]
    with pytest.raises(ValueError):
        profile.member_profile(tiny_db, Viewer("curator"), club, "nobody", as_of=AS_OF)


def test_interview_evidence_is_for_curators_only(tiny_db, club):
    with tiny_db.transaction() as cur:
        cur.execute(
            "UPDATE person_skills SET evidence = 'said in interview' "
            "WHERE person_id = 'D' AND skill_id = 'S7'"
        )
    curator = profile.member_profile(tiny_db, Viewer("curator"), club, "D", as_of=AS_OF)
    planner = profile.member_profile(tiny_db, Viewer("planner"), club, "D", as_of=AS_OF)
    assert curator.skills.set_index("skill_id").loc["S7", "evidence"] == "said in interview"
    assert planner.skills.set_index("skill_id").loc["S7", "evidence"] == ""


def test_coverage_and_unique_skills_reports(tiny_db, monkeypatch):
    seed_club(tiny_db)
    monkeypatch.setattr(expertise_reports, "Filters", lambda: Filters(as_of=AS_OF))
    reports = all_reports()
    coverage = reports["coverage"].run(tiny_db, Viewer("planner")).set_index("skill_id")
    assert coverage.loc["S3", ["bus_factor", "target_min_level", "target_min_people"]].tolist() == [
        1,
        4,
        2,
    ]
    assert coverage.loc["S8", "holders"] == 1
    assert list(coverage.columns[:3]) == ["skill", "category", "holders"]
    unique = reports["unique-skills"].run(tiny_db, Viewer("leadership"))
    assert unique["person_id"].iloc[0] == "F"
    assert unique["unique_skills"].iloc[0] == "Quantum computing"


def test_engagement_levels_only_for_roles_that_see_engagement(demo_db_path):
    from lib.store.db import open_database

    db = open_database(demo_db_path)
    f = Filters(as_of=AS_OF)
    assert profile.engagement_levels(db, f, Viewer("planner")).empty
    levels = profile.engagement_levels(db, f, Viewer("curator"))
    assert list(levels.columns) == ["person_id", "level"]
    assert len(levels) > 0


def test_matrix_pages_searches_and_puts_targets_first(club):
    first = matrix.skill_matrix(club, max_members=2, max_skills=3)
    second = matrix.skill_matrix(club, max_members=2, max_skills=3, member_page=1)
    assert first.member_pages == 3 and second.member_page == 1 and second.first_member == 3
    assert not set(first.levels.index) & set(second.levels.index)
    beyond = matrix.skill_matrix(club, max_members=2, member_page=9)
    assert beyond.member_page == 2  # the last page, not an empty one
    wide = matrix.skill_matrix(club, max_skills=3, skill_page=1)
    assert wide.skill_pages == 3 and wide.first_skill == 4
    assert not set(wide.levels.columns) & set(
        matrix.skill_matrix(club, max_skills=3).levels.columns
    )
    by_skill = matrix.skill_matrix(club, search="quantum")
    assert list(by_skill.levels.columns) == ["Quantum computing"]
    assert list(by_skill.levels.index) == ["Fedor"]
    by_name = matrix.skill_matrix(club, search="ann")
    assert list(by_name.levels.index) == ["Anna"]
    targeted = matrix.skill_matrix(
        club, skill_order="target", targets={"S4": "must", "S2": "could"}
    )
    names = dict(zip(club.held_skills["skill_id"], club.held_skills["skill"], strict=True))
    assert list(targeted.levels.columns[:2]) == [names["S4"], names["S2"]]


def test_the_full_matrix_holds_every_member_and_skill(club):
    grid = matrix.full_matrix(club)
    members = club.members[club.members["skills"] > 0]
    assert len(grid) == len(members) and list(grid.columns[:2]) == ["person_id", "name"]
    assert set(grid.columns[2:]) == set(club.claims["skill"])
    cyril = grid.set_index("name").loc["Cyril", "Machine learning"]
    assert cyril == 5
