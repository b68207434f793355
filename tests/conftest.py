"""Shared fixtures: demo databases built once per session, fresh tiny ones per test."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from lib.demo import generate
from lib.store.db import Database, forget

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 15)


@pytest.fixture(scope="session")
def demo_db_path(tmp_path_factory) -> Path:
    """The demo tier, generated once for the whole session (read-only use)."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    db = Database(path)
    generate(db, "demo", as_of=AS_OF)
    db.close()
    return path


@pytest.fixture(scope="session")
def demo_ru_db_path(tmp_path_factory) -> Path:
    """The demo tier generated in Russian, as a Russian-speaking bank would first see it."""
    path = tmp_path_factory.mktemp("demo_ru") / "demo_ru.duckdb"
    db = Database(path)
    generate(db, "demo", as_of=AS_OF, lang="ru")
    db.close()
    return path


@pytest.fixture
def app_env_ru(demo_ru_db_path, monkeypatch):
    """Point the app at the Russian demo database for AppTest runs."""
    monkeypatch.setenv("EXPERTISE_DB", str(demo_ru_db_path))
    monkeypatch.setenv("EXPERTISE_AS_OF", AS_OF.isoformat())
    monkeypatch.delenv("EXPERTISE_LOCAL_MODE", raising=False)
    monkeypatch.chdir(ROOT)
    return demo_ru_db_path


@pytest.fixture(scope="session")
def tiny_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tiny") / "tiny.duckdb"
    db = Database(path)
    generate(db, "tiny", as_of=AS_OF)
    db.close()
    return path


@pytest.fixture
def tiny_db(tiny_template, tmp_path) -> Database:
    """A private copy of the tiny tier that a test may change."""
    path = tmp_path / "tiny.duckdb"
    shutil.copy(tiny_template, path)
    db = Database(path)
    yield db
    db.close()
    forget(path)


@pytest.fixture
def empty_db(tmp_path) -> Database:
    db = Database(tmp_path / "empty.duckdb")
    yield db
    db.close()


@pytest.fixture
def app_env(demo_db_path, monkeypatch):
    """Point the app at the demo database for AppTest runs."""
    monkeypatch.setenv("EXPERTISE_DB", str(demo_db_path))
    monkeypatch.setenv("EXPERTISE_AS_OF", AS_OF.isoformat())
    monkeypatch.delenv("EXPERTISE_LOCAL_MODE", raising=False)
    monkeypatch.chdir(ROOT)
    return demo_db_path


def app_test(role: str = "curator", page: str | None = None, lang: str = "en", **state):
    """An AppTest of app.py in local mode with a role, optionally switched to a page."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["role"] = role
    at.session_state["lang"] = lang
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


os.environ.setdefault("EXPERTISE_DEMO_TIER", "none")
