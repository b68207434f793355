"""The Interviews page for every role, read from the rendered element tree: leadership and
planners get aggregates with no quote anywhere on the page and no small segment."""

import json
import shutil

import pytest

from lib.access import Viewer
from lib.demo import findings_catalogue
from lib.filters import Filters
from lib.insights import interviews
from lib.store.db import forget, open_database
from tests.conftest import app_test

PAGE = "pages/interviews.py"
QUOTES = [quote for entries in findings_catalogue.FINDINGS.values() for _, quote, *_ in entries]


def rendered(at) -> bytes:
    """Every element the page sent (all tabs, tables and chart specs), serialised."""
    found = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "SerializeToString"):
            found.append(proto.SerializeToString())
        for child in (getattr(node, "children", None) or {}).values():
            walk(child)

    walk(at._tree)
    return b"\n".join(found)


def quotes_in(at) -> list[str]:
    page = rendered(at)
    return [quote for quote in QUOTES if quote.encode() in page]


def chart_specs(at) -> str:
    return "\n".join(chart.proto.spec for chart in at.main.get("plotly_chart"))


@pytest.mark.parametrize("role", ["leadership", "planner"])
def test_no_quote_reaches_an_aggregate_only_view(app_env, role):
    at = app_test(role, PAGE)
    assert not at.exception
    assert at.title[0].value == "Interviews"
    assert "Quotes" not in [tab.label for tab in at.tabs]
    assert quotes_in(at) == []
    assert any("aggregates only" in info.value for info in at.info)


@pytest.mark.parametrize("role", ["curator", "admin"])
def test_curators_and_admins_get_the_quotes_tab(app_env, role):
    at = app_test(role, PAGE)
    assert not at.exception
    assert "Quotes" in [tab.label for tab in at.tabs]
    # The same search that finds nothing for leadership finds the quotes here.
    assert len(quotes_in(at)) >= 10
    table = at.dataframe[-1].value
    assert ("name" in table.columns) == (role == "curator")
    assert table["quote"].notna().all()


def small_departments(db_path) -> list[str]:
    """Departments with fewer than three interviews in the demo."""
    sizes = interviews.segment_sizes(
        open_database(db_path), Viewer("curator"), Filters(), "department"
    )
    return list(sizes[sizes.interviews < 3].segment)


def test_aggregates_match_the_lib(app_env):
    at = app_test("leadership", PAGE)
    summary = interviews.interview_summary(open_database(app_env), Viewer("leadership"), Filters())
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Interviews"] == str(summary["interviews"]) == "60"
    assert metrics["With consent"] == str(summary["consented"])
    assert metrics["Coded findings"] == str(summary["findings"])
    assert len(at.main.get("plotly_chart")) == 5


def test_small_department_hidden_for_leadership_shown_for_curators(app_env):
    small = small_departments(app_env)
    assert small, "the demo should have a department with fewer than three interviews"
    leadership = app_test("leadership", PAGE, segment_by="department")
    assert not leadership.exception
    specs = chart_specs(leadership)
    assert [d for d in small if json.dumps(d) in specs] == []
    assert json.dumps("Other") in specs
    curator = app_test("curator", PAGE, segment_by="department")
    specs = chart_specs(curator)
    assert [d for d in small if json.dumps(d) in specs] == small


def test_a_small_department_filter_shows_leadership_the_whole_club(app_env):
    small = small_departments(app_env)[0]
    at = app_test("leadership", PAGE, department=[small])
    assert not at.exception
    assert any("always cover the whole club" in info.value for info in at.info)
    whole = app_test("leadership", PAGE)
    assert {m.label: m.value for m in at.metric} == {m.label: m.value for m in whole.metric}
    curator = app_test("curator", PAGE, department=[small])
    assert {m.label: m.value for m in curator.metric}["Interviews"] in ("1", "2")


def test_curator_searches_quotes(app_env):
    at = app_test("curator", PAGE)
    at.text_input(key="quote_text").input("preparation").run()
    table = at.dataframe[-1].value
    assert len(table) > 0
    assert table["quote"].str.contains("preparation").all()
    assert at.caption[-1].value == f"Quotes found: {len(table)}"


def test_page_in_russian(app_env):
    at = app_test("leadership", PAGE)
    at.session_state["lang"] = "ru"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Интервью"
    assert "Барьеры" in [tab.label for tab in at.tabs]


@pytest.fixture
def private_demo(demo_db_path, tmp_path, monkeypatch):
    """A copy of the demo database this test may change."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db_path, path)
    monkeypatch.setenv("EXPERTISE_DB", str(path))
    yield path
    forget(path)


def test_curator_adds_interview_skills_to_the_map(app_env, private_demo):
    at = app_test("curator", PAGE)
    at.button(key="sync_skills").click().run()
    assert not at.exception
    assert any("Expertise map updated" in s.value for s in at.success)
    leadership = app_test("leadership", PAGE)
    assert [b for b in leadership.button if b.key == "sync_skills"] == []
