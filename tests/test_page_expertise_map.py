"""The expertise map page through AppTest on the demo data: charts and tables show what the
graph computes, and the map's filters and focus change what is shown."""

import base64
import json
from datetime import date

import numpy as np
import pytest

from lib.access import Viewer
from lib.expertise.graph import MapView, build_club_graph
from lib.filters import Filters
from lib.store.db import open_database
from tests.conftest import ROOT, app_test

PAGE = "pages/expertise_map.py"


@pytest.fixture(scope="module")
def club(demo_db_path):
    return build_club_graph(open_database(demo_db_path), Filters(as_of=date.today()))


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def chart(at, index: int = 0) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def array(value) -> np.ndarray:
    """A plotly array, whether plain JSON or typed (dtype + base64 data + shape)."""
    if isinstance(value, dict) and "bdata" in value:
        flat = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        shape = [int(n) for n in str(value.get("shape", len(flat))).split(",")]
        return flat.reshape(shape)
    return np.array(value, dtype=float)


def node_traces(spec: dict) -> list[dict]:
    return [trace for trace in spec["data"] if "markers" in trace.get("mode", "")]


def test_network_shows_every_held_skill_by_community(app_env, club):
    at = app_test("curator", PAGE)
    assert not at.exception
    assert at.title[0].value == "Expertise map"
    shown = metrics(at)
    assert shown["Members in view"] == "104"
    assert shown["Skills held"] == str(len(club.held_skills)) == "118"
    assert shown["One-holder skills"] == str(int((club.held_skills["bus_factor"] == 1).sum()))
    assert shown["Skill communities"] == str(len(club.communities))
    nodes = node_traces(chart(at))
    assert len(nodes) == len(club.communities)
    ids = [s for trace in nodes for s in trace["customdata"]]
    assert sorted(ids) == sorted(club.held_skills["skill_id"])
    top = club.held_skills.iloc[0]
    hover = next(h for trace in nodes for h in trace["hovertext"] if top["skill"] in h)
    assert f"Holders: {top['holders']}" in hover
    assert nodes[0]["name"].startswith("1. " + club.communities["community_name"].iloc[0])
    communities = at.dataframe[0].value
    assert communities["community_name"].tolist() == club.communities["community_name"].tolist()
    assert len(at.get("download_button")) == 2


def test_map_filters_change_what_is_shown(app_env, demo_db_path):
    engineering = app_test("curator", PAGE, map_category=["Engineering"])
    assert not engineering.exception
    expected = build_club_graph(
        open_database(demo_db_path),
        Filters(as_of=date.today()),
        MapView(categories=("Engineering",)),
    )
    held = len(expected.held_skills)
    assert 0 < held < 118
    assert metrics(engineering)["Skills held"] == str(held)
    nodes = node_traces(chart(engineering))
    assert sum(len(trace["customdata"]) for trace in nodes) == held
    experts = app_test("curator", PAGE, map_level=5)
    assert int(metrics(experts)["Skills held"]) < 118
    it_only = app_test("curator", PAGE, department=["IT"])
    assert int(metrics(it_only)["Members in view"]) < 104
    with_alumni = app_test("curator", PAGE, map_status=["active", "alumni"])
    assert int(metrics(with_alumni)["Members in view"]) == 104 + 27


def test_no_status_gives_a_clear_message(app_env):
    at = app_test("curator", PAGE, map_status=[])
    assert not at.exception
    assert "status" in at.error[0].value


def test_matrix_shows_levels_and_unique_skills(app_env, club):
    at = app_test("planner", PAGE, map_tab="Person × skill matrix")
    assert not at.exception
    spec = chart(at)
    heatmap = spec["data"][0]
    assert heatmap["type"] == "heatmap"
    assert len(heatmap["y"]) == 60 and len(heatmap["x"]) == 30
    most_unique = club.members.iloc[0]
    assert heatmap["y"][0] == most_unique["name"]
    levels = array(heatmap["z"])
    assert levels.shape == (60, 30)
    assert set(np.unique(levels[~np.isnan(levels)])) <= {1, 2, 3, 4, 5}
    stars = spec["data"][1]
    assert stars["marker"]["symbol"] == "star"
    assert most_unique["unique_skills"].split("; ")[0] in stars["x"]


def test_matrix_by_rarity_puts_rare_skills_first(app_env):
    at = app_test("curator", PAGE, map_tab="Person × skill matrix", map_matrix_skills="rarity")
    heatmap = chart(at)["data"][0]
    stars = chart(at)["data"][1]
    assert heatmap["x"][0] in stars["x"]


def test_skills_table_and_focus_on_a_skill(app_env, club):
    at = app_test("leadership", PAGE, map_tab="Skills")
    table = at.dataframe[0].value
    assert len(table) == 118
    assert table["skill"].iloc[0] == club.held_skills["skill"].iloc[0]
    assert table["holders"].iloc[0] == club.held_skills["holders"].iloc[0]
    assert table["betweenness"].notna().all() and table["betweenness"].max() > 0
    skill = club.held_skills.iloc[0]
    focused = app_test("leadership", PAGE, map_tab="Members", map_skill=skill["skill_id"])
    members = focused.dataframe[0].value
    assert len(members) == skill["holders"]
    assert members["level"].is_monotonic_decreasing


def test_members_table_ranks_by_uniqueness(app_env, club):
    at = app_test("curator", PAGE, map_tab="Members")
    table = at.dataframe[0].value
    assert len(table) == 104
    assert table["name"].iloc[0] == club.members["name"].iloc[0]
    assert table["uniqueness"].is_monotonic_decreasing
    assert (table["unique_count"] > 0).sum() == 12


def test_who_knows_finds_python_despite_a_typo(app_env):
    at = app_test("planner", PAGE, map_tab="Who knows…", map_q="pyhton")
    assert not at.exception
    assert at.radio[0].options == ["Python"]
    ranked = at.dataframe[0].value
    assert len(ranked) > 5
    assert ranked["relevance"].is_monotonic_decreasing
    assert {"evidence", "recent_work", "level"} <= set(ranked.columns)
    nothing = app_test("planner", PAGE, map_tab="Who knows…", map_q="xyzzy")
    assert "No skill matches" in nothing.info[0].value


def test_who_knows_reads_cyrillic_and_searches_the_pool_for_planners(app_env):
    at = app_test("planner", PAGE, map_tab="Who knows…", map_q="питон")
    assert not at.exception
    assert at.radio[0].options[0] == "Python"
    assert any("across alphabets" in c.value for c in at.caption)
    club = at.dataframe[0].value
    assert "person_id" in club.columns and club["person_id"].is_unique
    assert len(at.button_group) == 1
    pool = app_test("planner", PAGE, map_tab="Who knows…", map_q="питон", map_scope="pool")
    assert not pool.exception
    everyone = pool.dataframe[0].value
    assert len(everyone) > len(club)
    assert {"position", "membership", "person_id"} <= set(everyone.columns)
    assert "not a member" in set(everyone["membership"])
    leadership = app_test("leadership", PAGE, map_tab="Who knows…", map_q="питон")
    assert not leadership.exception and len(leadership.button_group) == 0
    layout = app_test("planner", PAGE, map_tab="Who knows…", map_q="знерщт")
    assert any("other keyboard layout" in c.value for c in layout.caption)
    guess = app_test("planner", PAGE, map_tab="Who knows…", map_q="kubrnets clster")
    assert not guess.exception
    assert "Did you mean" in guess.info[0].value
    assert "Kubernetes" in [b.label for b in guess.button]


def test_member_profile_and_privacy(app_env, club):
    person = club.members.iloc[0]
    curator = app_test("curator", PAGE, map_tab="Member profile", map_member=person["person_id"])
    assert not curator.exception
    assert curator.subheader[0].value == person["name"]
    skills, _, history = (d.value for d in curator.dataframe)
    assert len(skills) == person["skills"]
    assert skills["unique"].sum() == person["unique_count"]
    assert "note" in history.columns
    assert "Engagement level" in metrics(curator)
    planner = app_test("planner", PAGE, map_tab="Member profile", map_member=person["person_id"])
    assert "note" not in planner.dataframe[2].value.columns
    assert "Engagement level" not in metrics(planner)
    assert Viewer("planner")  # planners still see names and skills


def test_page_in_russian(app_env):
    at = app_test("curator", PAGE)
    at.session_state["lang"] = "ru"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Карта экспертизы"
    assert "Участников в выборке" in metrics(at)


def test_filters_and_focus_travel_in_the_url(app_env):
    at = app_test("curator", PAGE, map_level=3, map_category=["Engineering"], map_skill="SK0001")
    assert dict(at.query_params) == {
        "map_category": "Engineering",
        "map_level": "3",
        "map_skill": "Python",
    }
    from streamlit.testing.v1 import AppTest

    shared = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    shared.session_state["role"] = "planner"
    shared.query_params["map_level"] = "4"
    shared.query_params["map_skill"] = "Python"
    shared.run()
    shared.switch_page(PAGE)
    shared.run()
    assert not shared.exception
    assert shared.session_state["map_level"] == 4
    assert shared.session_state["map_skill"] == "SK0001"
    assert int(metrics(shared)["Skills held"]) < 118
