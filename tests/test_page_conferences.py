"""The Speaking page for each role: what it shows on the demo bank and what a curator changes
through it (on a private copy of the demo database)."""

import shutil

import pytest

from lib.store.db import Database, forget
from tests.conftest import app_test

PAGE = "pages/conferences.py"


def tab_labels(at) -> list[str]:
    return [tab.label for tab in at.tabs]


def column_headers(at) -> list[list[str]]:
    return [list(frame.value.columns) for frame in at.dataframe]


def test_curator_sees_the_whole_pipeline_with_its_numbers(app_env):
    at = app_test("curator", PAGE)
    assert not at.exception
    assert at.title[0].value == "Speaking"
    tiles = {m.label: m.value for m in at.metric}
    assert tiles == {
        "Open calls": "7",
        "Closing in 30 days": "1",
        "In preparation": "30",
        "Accepted, to deliver": "4",
        "Acceptance rate": "70%",
        "Talks delivered": "27",
    }
    assert tab_labels(at)[:5] == [
        "Pipeline",
        "Conferences and matches",
        "Calls for a member",
        "Results",
        "Edit",
    ]
    assert "Calls for papers closing within the next 30 days: 1." in [w.value for w in at.warning]
    calls = app_test("curator", PAGE, speaking_tab="Conferences and matches")
    assert any("hours_available" in headers for headers in column_headers(calls))


def test_leadership_sees_accepted_talks_and_results_only(app_env):
    at = app_test("leadership", PAGE)
    assert not at.exception
    assert tab_labels(at) == ["Accepted talks", "Results"]
    accepted = at.dataframe[0].value
    assert set(accepted["status"]) == {"Accepted", "Delivered"}
    assert len(accepted) == 31
    assert not any("matched" in headers for headers in column_headers(at))


def test_planner_sees_matches_without_hours_and_cannot_edit(app_env):
    at = app_test("planner", PAGE, speaking_tab="Conferences and matches")
    assert not at.exception
    assert "Edit" not in tab_labels(at)
    headers = column_headers(at)
    assert any("matched" in h for h in headers)
    assert not any("hours_available" in h for h in headers)


def test_the_page_in_russian(app_env):
    at = app_test("curator", PAGE, lang="ru")
    assert not at.exception
    assert at.title[0].value == "Выступления"
    assert tab_labels(at)[0] == "Воронка"
    assert "Приём открыт" in [m.label for m in at.metric]


@pytest.fixture
def private_demo(app_env, tmp_path, monkeypatch):
    path = tmp_path / "speaking.duckdb"
    shutil.copy(app_env, path)
    monkeypatch.setenv("EXPERTISE_DB", str(path))
    yield path
    forget(path)


def test_a_curator_moves_a_submission_through_the_form(private_demo):
    db = Database(private_demo)
    talk = db.scalar(
        "SELECT submission_id FROM submissions WHERE status = 'review' ORDER BY 1 LIMIT 1"
    )
    db.close()
    at = app_test("curator", PAGE, speaking_tab="Edit")
    at.selectbox(key="move_pick").set_value(talk).run()
    at.radio[0].set_value("draft")
    form_button = next(b for b in at.button if b.label == "Move")
    form_button.click().run()
    assert not at.exception
    assert any(f"Submission {talk} moved to “Draft”." in s.value for s in at.success)
    db = Database(private_demo)
    assert db.scalar("SELECT status FROM submissions WHERE submission_id = ?", [talk]) == "draft"
    assert db.scalar("SELECT count(*) FROM audit_log WHERE action = 'submission_status'") == 1
    db.close()


def test_a_refused_move_is_shown_as_its_sentence(private_demo):
    db = Database(private_demo)
    talk = db.scalar(
        "SELECT s.submission_id FROM submissions s JOIN conferences c USING (conference_id) "
        "WHERE s.status = 'accepted' AND c.starts_on > DATE '2026-11-15' ORDER BY 1 LIMIT 1"
    )
    db.close()
    at = app_test("curator", PAGE, speaking_tab="Edit")
    at.selectbox(key="move_pick").set_value(talk).run()
    at.radio[0].set_value("delivered")
    next(b for b in at.button if b.label == "Move").click().run()
    assert not at.exception
    assert any("a talk cannot be delivered before then" in e.value for e in at.error)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_tab_renders_for_a_curator(app_env, lang):
    from lib.i18n import t

    names = ["pipeline", "calls", "members", "results", "edit"]
    for name in names:
        at = app_test("curator", PAGE, lang=lang, speaking_tab=t(f"conferences.tab_{name}", lang))
        assert not at.exception, (name, [e.value for e in at.exception])
    results = app_test("curator", PAGE, speaking_tab="Results")
    assert len(results.get("plotly_chart")) == 2
    uncovered = results.dataframe[-1].value
    assert list(uncovered.columns[:2]) == ["skill_id", "skill"] and len(uncovered) > 0


@pytest.mark.parametrize("action", ["move", "submission", "trip", "conference", "import"])
def test_every_edit_action_renders_in_both_languages(app_env, action):
    for lang, tab in (("en", "Edit"), ("ru", "Изменить")):
        at = app_test("curator", PAGE, lang=lang, speaking_tab=tab, speaking_action=action)
        assert not at.exception, (lang, [e.value for e in at.exception])


def test_a_conference_whose_call_closes_before_it_opens_is_refused_on_the_page(private_demo):
    from datetime import date

    at = app_test("curator", PAGE, speaking_tab="Edit", speaking_action="conference")
    at.text_input[0].set_value("Backwards Conf")
    dates = {d.label: d for d in at.date_input}
    dates["Call opens"].set_value(date(2027, 3, 1))
    dates["Call closes"].set_value(date(2027, 2, 1))
    next(b for b in at.button if b.label == "Save").click().run()
    assert not at.exception
    assert any("before it opens" in e.value for e in at.error)
    db = Database(private_demo)
    assert db.scalar("SELECT count(*) FROM conferences WHERE name = 'Backwards Conf'") == 0
    db.close()
