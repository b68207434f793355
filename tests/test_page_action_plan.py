"""The Action plan page on the demo tier: the situation with its sources, the plan curators
can pin, drop and save, what leadership may see, the catalogue, effects and saved plans."""

from __future__ import annotations

import shutil

import pytest

from lib.access import Viewer
from lib.filters import Filters
from lib.planning.evidence import MIN_CASES
from lib.planning.plan import DEFAULT_BUDGET, DEFAULT_HOURS, Plan, build_plan
from lib.planning.situation import situation, suggested_weights
from lib.planning.tracking import plan_lines, saved_plans
from lib.store.db import forget, open_database
from tests.conftest import AS_OF, ROOT, app_test

PAGE = "pages/action_plan.py"
CURATOR, LEADERSHIP = Viewer("curator"), Viewer("leadership")
READ_ONLY = 0


def today() -> Filters:
    """The page's filters: the shared as-of day the app fixtures set."""
    return Filters()


@pytest.fixture
def demo(app_env):
    return open_database(app_env)


@pytest.fixture
def private(demo_db_path, tmp_path, monkeypatch):
    """A private copy of the demo database that the page may write to."""
    path = tmp_path / "plan.duckdb"
    shutil.copy(demo_db_path, path)
    monkeypatch.setenv("EXPERTISE_DB", str(path))
    monkeypatch.setenv("EXPERTISE_AS_OF", AS_OF.isoformat())
    monkeypatch.delenv("EXPERTISE_LOCAL_MODE", raising=False)
    monkeypatch.chdir(ROOT)
    yield open_database(path)
    forget(path)


def default_plan(db, viewer) -> Plan:
    """The plan the page shows before anyone touches a control."""
    weights = suggested_weights(situation(db, today()))
    return build_plan(
        db,
        viewer,
        today(),
        weights=weights,
        budget=DEFAULT_BUDGET,
        hours=DEFAULT_HOURS,
    )


def shown_text(at) -> str:
    """Every value of every table on the page, as one string."""
    parts = [frame.value.to_csv() for frame in at.dataframe]
    parts += [m.value for m in at.markdown] + [c.value for c in at.caption]
    return "\n".join(parts)


def test_situation_numbers_come_from_the_data_with_links_to_their_pages(demo):
    at = app_test("leadership", PAGE)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Action plan"
    found = situation(demo, today()).set_index("indicator")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Upcoming wave"] == str(found.loc["upcoming_wave", "count"])
    assert metrics["One-holder skills"] == str(found.loc["bus_factor_one", "count"])
    assert metrics["Dormant members"] == f"{found.loc['dormant_share', 'value']:.0%}"
    links = at.get("page_link")
    assert len(links) == 7
    assert {link.proto.page for link in links} >= {
        "pages/engagement.py",
        "pages/recruitment_gaps.py",
    } or {link.proto.label for link in links} == {"Engagement", "Recruitment gaps"}


def test_curator_gets_the_plan_as_an_editor_with_the_members_it_targets(demo):
    at = app_test("curator", PAGE)
    assert not at.exception, [e.value for e in at.exception]
    expected = default_plan(demo, CURATOR)
    lines = at.dataframe[0]
    assert lines.proto.editing_mode != READ_ONLY
    assert lines.value["mechanic"].tolist() == expected.lines["mechanic"].tolist()
    assert {"Re-plan", "Save plan", "Pin and re-plan"} <= {b.label for b in at.button}
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Cost"] == f"{expected.summary['cost']:,.0f}\u00a0₽"
    assert expected.summary["cost"] <= DEFAULT_BUDGET
    names = set(expected.targets["name"])
    assert names and names <= set(shown_text(at).replace("\n", ",").split(","))


def test_leadership_reads_the_plan_without_names(demo):
    at = app_test("leadership", PAGE)
    assert not at.exception, [e.value for e in at.exception]
    expected = default_plan(demo, CURATOR)
    assert all(frame.proto.editing_mode == READ_ONLY for frame in at.dataframe)
    assert at.dataframe[0].value["mechanic"].tolist() == expected.lines["mechanic"].tolist()
    assert not {"Re-plan", "Save plan", "Pin and re-plan"} & {b.label for b in at.button}
    text = shown_text(at)
    assert not [name for name in expected.targets["name"] if name in text]
    departments = at.dataframe[1].value.set_index("mechanic")
    assert set(departments.index) <= set(expected.lines["mechanic"])
    named_departments = departments.drop(columns=["Other departments"], errors="ignore")
    assert ((named_departments == 0) | (named_departments >= 3)).all().all()


def test_pins_and_drops_shape_the_plan(demo):
    at = app_test("curator", PAGE, plan_pins={"offsite": 10}, plan_drops=["public_recognition"])
    assert not at.exception, [e.value for e in at.exception]
    lines = at.dataframe[0].value.set_index("mechanic")
    assert bool(lines.loc["Offsite", "pinned"]) and lines.loc["Offsite", "people"] == 10
    assert "Public recognition" not in lines.index
    assert lines["cost"].sum() <= DEFAULT_BUDGET
    assert any("Pinned: Offsite (10). Dropped: Public recognition." in c.value for c in at.caption)


def test_pinning_by_hand_and_pins_over_budget(demo):
    at = app_test("curator", PAGE)
    at.selectbox(key="plan_pin_mechanic").set_value("offsite")
    at.number_input(key="plan_pin_people").set_value(40)
    at.button[[b.label for b in at.button].index("Pin and re-plan")].click().run()
    assert not at.exception
    assert at.session_state["plan_pins"] == {"offsite": 40}
    assert bool(at.dataframe[0].value.set_index("mechanic").loc["Offsite", "pinned"])
    over = app_test("curator", PAGE, plan_pins={"offsite": 40, "sponsored_conference": 10})
    assert not over.exception
    assert any("pinned lines alone" in e.value for e in over.error)
    assert "Clear pins and drops" in [b.label for b in over.button]


def test_curator_saves_a_plan_and_tracks_it(private):
    at = app_test("curator", PAGE)
    at.text_input(key="plan_save_name").set_value("Winter push")
    at.button[[b.label for b in at.button].index("Save plan")].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Saved “Winter push”" in s.value for s in at.success)
    saved = saved_plans(private)
    assert saved["name"].tolist() == ["Winter push"]
    lines = plan_lines(private, int(saved.loc[0, "plan_id"]))
    expected = default_plan(private, CURATOR)
    assert lines["mechanic"].tolist() == expected.lines["mechanic"].tolist()
    assert lines["planned_cost"].sum() == pytest.approx(expected.summary["cost"])
    assert private.scalar("SELECT count(*) FROM plan_targets") == expected.lines["people"].sum()
    tracked = app_test("curator", PAGE, plan_tab="Saved plans")
    assert not tracked.exception, [e.value for e in tracked.exception]
    editors = [f for f in tracked.dataframe if f.proto.editing_mode != READ_ONLY]
    assert len(editors) == 1 and len(editors[0].value) == len(lines)
    assert any("measured after the horizon" in i.value for i in tracked.info)
    leader = app_test("leadership", PAGE, plan_tab="Saved plans")
    assert not leader.exception
    assert all(f.proto.editing_mode == READ_ONLY for f in leader.dataframe)
    assert "Save tracking" not in [b.label for b in leader.button]
    assert not [n for n in expected.targets["name"] if n in shown_text(leader)]


def test_catalogue_is_edited_by_curators_and_read_by_leadership(demo):
    at = app_test("curator", PAGE, plan_tab="Catalogue")
    assert not at.exception, [e.value for e in at.exception]
    editor = at.dataframe[0]
    assert editor.proto.editing_mode != READ_ONLY and len(editor.value) == 12
    assert "Save catalogue" in [b.label for b in at.button]
    leader = app_test("leadership", PAGE, plan_tab="Catalogue")
    assert not leader.exception
    assert leader.dataframe[0].proto.editing_mode == READ_ONLY
    assert "Buddy for newcomers" in leader.dataframe[0].value["name"].tolist()
    assert any("Curators maintain the catalogue" in c.value for c in leader.caption)


def test_effects_tab_marks_which_effect_is_used(demo):
    at = app_test("leadership", PAGE, plan_tab="Effects")
    assert not at.exception, [e.value for e in at.exception]
    effects = at.dataframe[0].value.set_index("mechanic")
    assert set(effects["effect_source"]) == {"Measured", "Default"}
    measured = effects[effects["effect_source"] == "Measured"]
    assert (measured["cases"] >= MIN_CASES).all()
    assert (measured["effect"] == measured["measured_effect"]).all()
    default = effects[effects["effect_source"] == "Default"]
    assert (default["effect"] == default["default_effect"]).all()
    assert (default["cases"] < MIN_CASES).all()
    assert len(at.get("plotly_chart")) == 1


def test_page_in_russian(demo):
    # Switched to Russian after opening the page: switching pages in Russian trips AppTest's
    # handling of the translated role picker.
    at = app_test("curator", PAGE)
    at.session_state["lang"] = "ru"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "План действий"
    assert "Новая волна" in [m.label for m in at.metric]
    assert at.dataframe[0].value["reason"].iloc[0].startswith("Цели: ")
