"""My page as a member uses it on the demo tier: what it shows matches the core for that member
alone, logging a talk takes one form, bad input gets a sentence and changes nothing, skills are
confirmed and proposed, and the page reads right in both languages."""

import shutil
from datetime import timedelta

import pytest

from lib.access import Viewer, member_viewer
from lib.contributions import records, renewal
from lib.filters import Filters
from lib.membership import claims, self_service
from lib.store.db import forget, open_database
from tests.conftest import AS_OF, app_test
from tests.language_scan import problems
from tests.test_page_language import names_in

PAGE = "pages/my_page.py"
ME = "E000061"
FILTERS = Filters(as_of=AS_OF)


@pytest.fixture
def demo(app_env, demo_db_path, tmp_path, monkeypatch):
    """A copy of the demo database these tests may change."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db_path, path)
    monkeypatch.setenv("EXPERTISE_DB", str(path))
    yield open_database(path)
    forget(path)


def as_me(lang: str = "en", **state):
    return app_test("member", PAGE, lang=lang, as_member=ME, **state)


def success_text(at) -> str:
    return " ".join(s.value for s in at.success).replace("\\", "")


def test_the_member_sees_their_own_standing_and_engagement(app_env):
    db = open_database(app_env)
    me = member_viewer(db, ME)
    at = as_me()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "My page"
    assert [tab.label for tab in at.tabs] == [
        "Contributions",
        "Skills",
        "My engagement",
        "Coming up",
    ]
    readiness = renewal.renewal_readiness(db, me, FILTERS).iloc[0]
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Contributions"] == str(readiness["contributions"])
    assert tiles["Points ÷ expectation"] == f"{readiness['ratio']:.2f}"
    score = self_service.own_score(db, me, FILTERS)
    assert tiles["My hours for the club"] == f"{score['hours_available']:.1f}"
    assert tiles["My index"] == f"{score['index']:.2f}"
    explained = next(m.value for m in at.markdown if m.value.startswith("Over the last"))
    assert f"**{score['hours_available']:.1f}** hours" in explained
    assert "does not rank members" in " ".join(c.value for c in at.caption)
    mine = records.my_contributions(db, me)
    table = next(d.value for d in at.dataframe if "counted" in d.value.columns)
    assert len(table) == len(mine)
    assert not any(m.label in ("At risk", "Level of others") for m in at.metric)


def test_a_member_logs_a_talk_with_suggested_skills(demo):
    at = as_me()
    at.text_input(key="log_title").input("Kubernetes in production at the bank").run()
    assert not at.exception
    suggested = at.multiselect(key="log_skills").value
    kubernetes = demo.scalar("SELECT skill_id FROM skills WHERE name = 'Kubernetes'")
    assert kubernetes in suggested
    at.number_input(key="log_reach").set_value(250).run()
    at.text_input(key="log_link").input("https://events.example.org/k8s-2026").run()
    at.button(key="log_send").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "is logged; it counts once a curator has verified it" in success_text(at)
    stored = demo.rows(
        "SELECT kind, reach, status, source, visibility, skills, occurred_on FROM contributions "
        "WHERE person_id = ? AND title = 'Kubernetes in production at the bank'",
        [ME],
    )
    assert stored == [("talk_external", 250, "pending", "member", "public", [kubernetes], AS_OF)]
    assert at.text_input(key="log_title").value == ""


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("log_link", "javascript:alert(1)", "is not a web address"),
        ("log_title", "", "Give the contribution a title"),
    ],
)
def test_bad_input_gets_a_sentence_and_nothing_is_logged(demo, field, value, message):
    before = demo.count("contributions")
    at = as_me()
    at.text_input(key="log_title").input("A talk").run()
    at.text_input(key=field).input(value).run()
    at.button(key="log_send").click().run()
    assert not at.exception
    assert any(message in e.value.replace("\\", "") for e in at.error)
    assert demo.count("contributions") == before


def test_html_in_a_title_is_said_to_be_kept_as_text(demo):
    at = as_me()
    at.text_input(key="log_title").input("<b>Bold</b> talk").run()
    assert any("kept and shown as the text you typed" in i.value for i in at.info)


def test_the_same_title_and_day_is_warned_of_before_logging(demo):
    mine = records.my_contributions(demo, member_viewer(demo, ME))
    twin = mine[mine["occurred_on"] == mine["occurred_on"].max()].iloc[0]
    at = as_me()
    at.date_input(key="log_date").set_value(twin["occurred_on"]).run()
    at.text_input(key="log_title").input(twin["title"]).run()
    assert any("is this a different contribution" in w.value for w in at.warning)
    at.button(key="log_send").click().run()
    assert any("Log it anyway only if" in e.value for e in at.error)
    at.checkbox(key="log_anyway").check().run()
    at.button(key="log_send").click().run()
    assert "is logged" in success_text(at)


def test_confirming_what_the_club_recorded(demo):
    person = demo.scalar(
        "SELECT c.person_id FROM contribution_list c JOIN memberships m USING (person_id) "
        "WHERE m.status = 'active' AND c.confirmed_on IS NULL AND c.source = 'import' "
        "AND c.occurred_on <= ? AND c.occurred_on > ? ORDER BY c.person_id LIMIT 1",
        [AS_OF, AS_OF - timedelta(days=365)],
    )
    me = member_viewer(demo, person)
    waiting = records.to_confirm(demo, me, AS_OF, 365)
    assert len(waiting)
    at = app_test("member", PAGE, as_member=person)
    at.button(key="confirm_all").click().run()
    assert f"{len(waiting)} confirmed." in success_text(at)
    assert records.to_confirm(demo, me, AS_OF, 365).empty


def test_a_member_confirms_a_skill_and_proposes_a_new_one(demo):
    me = member_viewer(demo, ME)
    skills = self_service.own_skills(demo, me, FILTERS)
    at = as_me(my_skills_table={"selection": {"rows": [0], "columns": [], "cells": []}})
    at.button(key="confirm_skills").click().run()
    assert "1 skill(s) confirmed." in success_text(at)
    again = self_service.own_skills(demo, me, FILTERS).set_index("skill_id")
    assert again.at[skills.iloc[0]["skill_id"], "confirmed_on"] == AS_OF
    held = set(skills["skill_id"])
    new = demo.scalar(
        "SELECT name FROM skills WHERE NOT list_contains(?, skill_id) ORDER BY skill_id",
        [list(held)],
    )
    propose = next(t for t in at.text_input if t.label == "Skill")
    propose.input(new.lower())
    at.button(key="FormSubmitter:propose_skill-Propose").click().run()
    assert not at.error, [e.value for e in at.error]
    assert "a curator will answer" in success_text(at)
    queue = claims.claims_queue(demo, Viewer("curator"), FILTERS)
    assert queue.iloc[0]["person_id"] == ME and bool(queue.iloc[0]["proposal"])


def test_a_curator_opens_a_members_page_from_the_url(app_env):
    at = app_test("curator", PAGE, my_page_member=ME)
    assert not at.exception
    name = open_database(app_env).scalar("SELECT name FROM people WHERE person_id = ?", [ME])
    assert at.title[0].value == f"{name}: the member's page"
    assert at.button(key="log_send")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_my_page_reads_right(app_env_ru, lang):
    at = as_me(lang)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == ("Моя страница" if lang == "ru" else "My page")
    assert problems(at, lang, names_in(open_database(app_env_ru))) == []
