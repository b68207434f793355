"""The Recruitment gaps page on the demo tier: values shown match lib/gaps, roles see what
they may."""

import pytest

from lib.access import Viewer
from lib.filters import Filters
from lib.recruitment import coverage, pool, risks
from lib.recruitment.shortlist import shortlist_second_wave
from lib.store.db import open_database
from tests.conftest import app_test

PAGE = "pages/recruitment_gaps.py"


@pytest.fixture
def demo(app_env):
    return open_database(app_env)


def today() -> Filters:
    """The filters the page uses: the analysis day the test environment fixes."""
    return Filters()


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_coverage_tab_shows_the_gap_numbers(demo):
    at = app_test("leadership", PAGE)
    assert not at.exception
    assert at.title[0].value == "Recruitment gaps"
    summary = coverage.gap_summary(coverage.coverage_by_skill(demo, today()))
    shown = metrics(at)
    assert shown["Target skills"] == "40" == str(summary["target_skills"])
    assert shown["Below target"] == str(summary["below_target"])
    assert shown["Weighted gap"] == f"{summary['weighted_gap']:.1f}"
    assert shown["Sole holders"] == str(summary["single_points"])
    table = at.dataframe[0].value
    assert len(table) == 40
    worst = coverage.coverage_by_skill(demo, today()).iloc[0]
    assert table.iloc[0]["skill"] == worst["skill"]
    assert table.iloc[0]["gap"] == worst["gap"]
    assert len(at.get("plotly_chart")) == 2


def test_shortlist_for_planners_matches_the_greedy_choice(demo):
    at = app_test("planner", PAGE, gaps_tab="Second wave", wave_size=5, dept_cap=2)
    assert not at.exception, [e.value for e in at.exception]
    expected = shortlist_second_wave(demo, Viewer("planner"), today(), size=5, max_per_department=2)
    shortlist = at.dataframe[0].value
    assert shortlist["name"].tolist() == expected.picks["name"].tolist()
    assert shortlist["department"].value_counts().max() <= 2
    assert "hours_available" not in shortlist.columns
    assert shortlist["reason"].iloc[0].startswith("closes: ")
    shown = metrics(at)
    assert shown["Closed by shortlist"] == f"{expected.summary['gap_closed']:.1f}"
    assert shown["Closed by top K"] == (f"{expected.summary['naive_gap_closed']:.1f}")
    assert shown["Eligible candidates"] == f"{expected.summary['pool_size']:,}"


def test_pinned_person_comes_first_and_curators_see_hours(demo):
    candidates = pool.shortlist_candidates(demo, Viewer("curator"), today())
    last = candidates.iloc[-1]
    at = app_test("curator", PAGE, gaps_tab="Second wave", wave_size=3, pinned=[last.person_id])
    assert not at.exception
    shortlist = at.dataframe[0].value
    assert shortlist.iloc[0]["name"] == last["name"]
    assert bool(shortlist.iloc[0]["pinned"]) is True
    assert "hours_available" in shortlist.columns


def test_leadership_sees_no_shortlist(demo):
    at = app_test("leadership", PAGE, gaps_tab="Second wave")
    assert not at.exception
    assert any("planners and curators only" in i.value for i in at.info)
    assert not at.dataframe
    assert "Eligible candidates" not in metrics(at)


def test_what_if_counts_skills_falling_below_target(demo):
    sole = risks.single_points(demo, today())
    leaving = sorted(set(sole["person_id"]))
    at = app_test("planner", PAGE, gaps_tab="What if", leaving=leaving)
    assert not at.exception
    effect = risks.what_if_summary(risks.what_if_leaves(demo, today(), leaving))
    shown = metrics(at)
    assert int(shown["Lost entirely"]) == effect["lost_entirely"] >= len(sole)
    assert int(shown["Fall below target"]) == effect["falls_below"]
    table = at.dataframe[0].value
    assert len(table) == effect["skills_losing_holders"]
    # Planners may not see who is at risk or over capacity: no shortcut buttons.
    assert [b.label for b in at.button] == ["Clear"]


def test_risks_tab_lists_single_points(demo):
    at = app_test("curator", PAGE, gaps_tab="Bus-factor risks")
    assert not at.exception
    sole = risks.single_points(demo, today())
    assert at.dataframe[0].value["holder"].tolist() == sole["holder"].tolist()
    assert any("engagement scoring" in c.value for c in at.caption)


def test_target_profile_is_read_only_for_planners(demo):
    planner = app_test("planner", PAGE, gaps_tab="Target profile")
    assert not planner.exception
    assert any("read-only" in c.value for c in planner.caption)
    assert len(planner.dataframe[0].value) == 40
    curator = app_test("curator", PAGE, gaps_tab="Target profile")
    assert "Save target profile" in [b.label for b in curator.button]


def test_page_in_russian(demo):
    at = app_test("planner", PAGE)
    at.session_state["lang"] = "ru"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Дефицит навыков"
    assert "Целевых навыков" in metrics(at)


def test_pinning_a_member_shows_a_clear_error(demo):
    member = risks.single_points(demo, today())["person_id"].iloc[0]
    at = app_test("planner", PAGE, gaps_tab="Second wave", pinned=[member])
    assert not at.exception
    assert any("already a club member" in e.value for e in at.error)
    assert not at.dataframe
