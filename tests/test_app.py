"""AppTest runs of the router and of every page that exists, for every role allowed."""

import os

import pytest

from lib import access
from tests.conftest import ROOT, app_test

EXISTING = [p for p in access.PAGES if (ROOT / p.file).exists()]


def test_app_opens_on_overview_with_real_numbers(app_env):
    at = app_test("leadership")
    assert not at.exception
    assert at.title[0].value == "Overview"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Active members"] == "104"
    assert metrics["Skills in taxonomy"] == "120"
    assert len(at.get("plotly_chart")) == 3
    assert "Local mode" in at.warning[0].value


@pytest.mark.parametrize("page", EXISTING, ids=lambda p: p.key)
@pytest.mark.parametrize("role", access.ROLES)
def test_every_page_renders_for_its_roles(app_env, page, role):
    at = app_test(role, page.file)
    assert not at.exception, [e.value for e in at.exception]
    if role in page.roles:
        assert not [e for e in at.error if "access" in e.value]
    else:
        assert any("does not give access" in e.value for e in at.error)


def test_overview_in_russian(app_env):
    at = app_test("curator", lang="ru")
    assert not at.exception
    assert at.title[0].value == "Обзор"
    assert "Активные участники" in [m.label for m in at.metric]


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
    assert {m.label: m.value for m in at.metric}["Employee pool"] != "0"
    monkeypatch.setenv("EXPERTISE_DEMO_TIER", os.environ.get("EXPERTISE_DEMO_TIER", "none"))
