"""AppTest runs of the router and of every page that exists, for every role allowed."""

import os
import re

import pytest
from streamlit.testing.v1 import AppTest

from lib import access
from lib.store.db import open_database
from tests.conftest import ROOT, app_test

EXISTING = list(access.PAGES)  # every listed page: a deleted view fails here


def test_app_opens_on_overview_with_real_numbers(app_env):
    at = app_test("leadership")
    assert not at.exception
    assert at.title[0].value == "Overview"
    tiles = {m.label: (m.value, m.delta) for m in at.metric}
    assert tiles["Active members"] == ("104", "+14")
    assert tiles["Engaged share"] == ("87%", "\u22126 pp")
    assert tiles["Median index"] == ("1.00", "+0.49")  # calibrated: the median member is at 1
    assert tiles["Must-have coverage"] == ("69%", "+54 pp")
    assert tiles["One-holder targets"] == ("10", "+1")
    assert tiles["Joined this quarter"] == ("11", "\u22122")
    assert tiles["Left this quarter"] == ("2", "0")
    summary = "\n".join(m.value for m in at.markdown)
    decisions = [m.value for m in at.markdown if m.value[:3] in ("1. ", "2. ", "3. ")]
    assert decisions[0].startswith("1. Compliance, Kafka, Procurement — 3 must\\-have skill")
    assert "invite 5 candidate" in decisions[0]
    assert decisions[2].startswith("3. The engaged share fell from 92% to 87%")
    assert "Coverage of must\\-have skills rose from 15% to 69%" in summary
    assert (
        "10 target skills depend on a single ambassador: Anti\\-fraud, Data governance" in summary
    )
    assert len(at.get("plotly_chart")) == 3
    assert "Local mode" in at.warning[0].value


@pytest.mark.parametrize("page", EXISTING, ids=lambda p: p.key)
@pytest.mark.parametrize("role", access.ROLES)
def test_every_page_renders_for_its_roles(app_env, page, role):
    if role not in page.roles:
        pytest.skip("not in this role's navigation; see test_page_refuses_other_roles")
    at = app_test(role, page.file)
    assert not at.exception, [e.value for e in at.exception]
    assert not [e for e in at.error if "does not give access" in e.value]


def run_page_directly(page_file: str, viewer: access.Viewer | None) -> AppTest:
    """A page script run on its own, as if its URL were opened without the router."""
    at = AppTest.from_file(str(ROOT / page_file), default_timeout=60)
    if viewer is not None:
        at.session_state["viewer"] = viewer
    return at.run()


@pytest.mark.parametrize("page", EXISTING, ids=lambda p: p.key)
def test_page_refuses_other_roles(app_env, page):
    """Each page checks the role itself: hiding it from the navigation is not the guard."""
    for role in [*sorted(set(access.ROLES) - page.roles), None]:
        at = run_page_directly(page.file, access.Viewer(role) if role else None)
        assert not at.exception
        assert any("does not give access" in e.value for e in at.error), role
        assert not at.get("plotly_chart") and not at.dataframe and not at.metric
        assert not at.table and not at.download_button


def test_overview_in_russian(app_env):
    at = app_test("curator", lang="ru")
    assert not at.exception
    assert at.title[0].value == "Обзор"
    assert "Активные участники" in [m.label for m in at.metric]


def test_a_link_with_the_language_code_opens_in_that_language(app_env):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["role"] = "curator"
    at.query_params["lang"] = "ru"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Обзор"


def test_department_filter_narrows_overview(app_env):
    everyone = app_test("curator")
    it_only = app_test("curator", department=["IT"])
    total = {m.label: m.value for m in everyone.metric}["Active members"]
    narrowed = {m.label: m.value for m in it_only.metric}["Active members"]
    assert int(narrowed) < int(total)


def test_local_mode_can_be_switched_off(app_env, monkeypatch):
    monkeypatch.setenv("EXPERTISE_LOCAL_MODE", "off")
    at = app_test("admin")
    assert not at.exception
    assert any("local mode is switched off" in e.value for e in at.error)
    assert not at.title and not at.metric


def test_first_run_seeds_an_empty_database(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPERTISE_DB", str(tmp_path / "first.duckdb"))
    monkeypatch.setenv("EXPERTISE_DEMO_TIER", "tiny")
    monkeypatch.chdir(ROOT)
    at = app_test("curator")
    assert not at.exception
    assert int({m.label: m.value for m in at.metric}["Active members"]) > 0
    assert open_database(tmp_path / "first.duckdb").count("people") == 400
    monkeypatch.setenv("EXPERTISE_DEMO_TIER", os.environ.get("EXPERTISE_DEMO_TIER", "none"))


@pytest.mark.parametrize("page", EXISTING, ids=lambda p: p.key)
@pytest.mark.parametrize("role", ["curator", "leadership"])
def test_every_page_renders_in_russian(app_env, page, role):
    if role not in page.roles:
        pytest.skip("not this role's page")
    at = app_test(role, page.file, lang="ru")
    assert not at.exception, [e.value for e in at.exception]
    assert at.title and re.search("[А-Яа-яЁё]", at.title[0].value)


def test_cache_keys_differ_by_role_and_filters_but_not_by_email(tiny_db):
    """One role's cached answer is never served to another, nor across filters; two people of
    one role share an entry (the e-mail is not in the key); a write moves every key on."""
    from lib.filters import Filters
    from pages.components.caching import cache_key

    def key(*args):
        return cache_key(test_cache_keys_differ_by_role_and_filters_but_not_by_email, args, {})

    lead = key(tiny_db, access.Viewer("leadership"), Filters())
    curator = key(tiny_db, access.Viewer("curator", email="a@bank.example"), Filters())
    colleague = key(tiny_db, access.Viewer("curator", email="b@bank.example"), Filters())
    it_only = key(tiny_db, access.Viewer("curator"), Filters(departments=("IT",)))
    assert len({lead, curator, it_only}) == 3
    assert curator == colleague and "a@bank.example" not in curator
    tiny_db.execute("UPDATE settings SET changed_by = changed_by")
    assert key(tiny_db, access.Viewer("curator"), Filters()) != curator


def test_streamlit_still_has_the_legacy_pages_flag_the_router_clears():
    """`pages.components.ui.route_through_app` relies on this class attribute, which
    `st.navigation` sets to False; a Streamlit release without it must fail here first."""
    import inspect

    from streamlit.commands import navigation
    from streamlit.runtime.pages_manager import PagesManager

    assert hasattr(PagesManager, "uses_pages_directory")
    assert "PagesManager.uses_pages_directory = False" in inspect.getsource(navigation)
