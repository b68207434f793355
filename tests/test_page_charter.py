"""The Charter page for every role: the charter rendered safely, versions, editing for
curators, onboarding checklists for curators only; and a <script> in the charter shown as
text in a real browser."""

import shutil

import pytest

from lib.access import Viewer
from lib.filters import Filters
from lib.insights import charter, onboarding
from lib.store.db import forget, open_database
from tests.conftest import app_test

PAGE = "pages/charter.py"
SCRIPT = "<script>alert(1)</script>"
CURATOR = Viewer("curator", email="curator@bank.example")


@pytest.fixture
def private_demo(app_env, demo_db_path, tmp_path, monkeypatch):
    """A copy of the demo database this test may change."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db_path, path)
    monkeypatch.setenv("EXPERTISE_DB", str(path))
    yield path
    forget(path)


def tab_labels(at) -> list[str]:
    return [tab.label for tab in at.tabs]


def markdown_text(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def button(at, label):
    return next(b for b in at.button if b.label == label)


@pytest.mark.parametrize("role", ["leadership", "planner"])
def test_readers_see_the_charter_and_its_versions_only(app_env, role):
    at = app_test(role, PAGE)
    assert not at.exception
    assert at.title[0].value == "Community charter"
    assert tab_labels(at) == ["Charter", "Versions"]
    text = markdown_text(at)
    for heading in ("## Mission", "## Why", "## Who", "## How", "## Onboarding", "## Rituals"):
        assert heading in text
    assert not at.text_area
    assert not [m for m in at.metric if "onboarding" in m.label.lower()]
    assert all("steps_done" not in frame.value.columns for frame in at.dataframe)


@pytest.mark.parametrize("role", ["curator", "admin"])
def test_curators_and_admins_edit_and_follow_onboarding(app_env, role):
    at = app_test(role, PAGE)
    assert not at.exception
    assert tab_labels(at) == ["Charter", "Versions", "Edit", "Onboarding checklists"]
    assert at.text_area[0].value == charter.current_charter(open_database(app_env))["body"]
    progress = onboarding.onboarding_progress(open_database(app_env), CURATOR, Filters())
    metrics = {m.label: m.value for m in at.metric}
    followed = metrics["New members (in onboarding or joined in the last 180 days)"]
    assert followed == str(progress.person_id.nunique())
    assert int(followed) > 0
    summary = next(f.value for f in at.dataframe if "steps_done" in f.value.columns)
    assert summary.overdue_steps.sum() == int(metrics["Overdue steps"])


def test_saving_twice_makes_three_versions_and_an_older_one_can_be_viewed(private_demo):
    at = app_test("curator", PAGE)
    seeded = charter.current_charter(open_database(private_demo))
    at.text_area[0].input(seeded["body"] + "\n## Merch\nHoodies for every speaker.\n")
    button(at, "Save as a new version").click().run()
    assert not at.exception
    assert any(s.value == "Saved as version 2." for s in at.success)
    at.text_area[0].input("# Charter v3\n\nShort and sweet.\n")
    button(at, "Save as a new version").click().run()
    assert any(s.value == "Saved as version 3." for s in at.success)
    versions = charter.charter_versions(open_database(private_demo))
    assert list(versions.version) == [3, 2, 1]
    assert list(versions.author) == ["local:curator", "local:curator", "system"]
    assert "Short and sweet." in at.markdown[0].value
    at.selectbox(key="charter_version").select(2).run()
    assert not at.exception
    assert "Hoodies for every speaker." in markdown_text(at)
    diff = at.code[0].value
    assert "+# Charter v3" in diff and "-Hoodies for every speaker." in diff


def test_an_unchanged_save_is_refused_with_a_message(private_demo):
    at = app_test("curator", PAGE)
    button(at, "Save as a new version").click().run()
    assert not at.exception
    assert any("not changed" in e.value for e in at.error)
    assert len(charter.charter_versions(open_database(private_demo))) == 1


def test_script_in_the_charter_is_shown_as_text(private_demo):
    db = open_database(private_demo)
    charter.save_charter(db, CURATOR, f"# Rules\n\nBe kind {SCRIPT}\n")
    at = app_test("leadership", PAGE)
    assert not at.exception
    rendered = at.markdown[0]
    assert "Be kind &lt;script>alert(1)&lt;/script>" in rendered.value
    assert not any("<script" in m.value for m in at.markdown)
    assert not any(m.proto.allow_html for m in at.markdown)


def test_curator_ticks_a_step(private_demo):
    at = app_test("curator", PAGE)
    member = at.selectbox(key="onboarding_member").value
    button(at, "Mark the step as done").click().run()
    assert not at.exception
    assert any(s.value == "The step is marked as done." for s in at.success)
    ticks = open_database(private_demo).rows("SELECT person_id, step_id FROM onboarding_ticks")
    assert ticks == [(member, "welcome_meeting")]


def test_charter_page_in_russian(app_env):
    at = app_test("curator", PAGE)
    at.session_state["lang"] = "ru"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Устав сообщества"
    assert "Чек-листы онбординга" in tab_labels(at)
