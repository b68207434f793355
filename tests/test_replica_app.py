"""The app as a read-only replica: it says it is a copy and where changes are made, shows the
newest good snapshot, says when the newest cannot be used while the last good one keeps
serving, and offers downloads on the writer only."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from lib.store import snapshots
from lib.store.db import Database
from tests.conftest import AS_OF, ROOT

WRITER = "https://expertise.bank.example"


@pytest.fixture
def replica_env(tiny_template, tmp_path, monkeypatch):
    path = tmp_path / "writer.duckdb"
    shutil.copy(tiny_template, path)
    writer = Database(path)
    folder = tmp_path / "snapshots"
    snapshots.publish(writer, folder)
    monkeypatch.setenv("EXPERTISE_REPLICA_OF", str(folder))
    monkeypatch.setenv("EXPERTISE_WRITER_URL", WRITER)
    monkeypatch.setenv("EXPERTISE_DB", str(tmp_path / "never-opened.duckdb"))
    monkeypatch.setenv("EXPERTISE_AS_OF", AS_OF.isoformat())
    monkeypatch.delenv("EXPERTISE_LOCAL_MODE", raising=False)
    monkeypatch.chdir(ROOT)
    yield writer, folder
    writer.close()


def active_members(at: AppTest) -> str:
    return {m.label: m.value for m in at.metric}["Active members"]


def run_app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["role"] = "curator"
    at.run()
    assert not at.exception
    return at


def test_a_replica_serves_the_snapshot_and_sends_changes_to_the_writer(replica_env, tmp_path):
    writer, _ = replica_env
    at = run_app()
    expected = writer.scalar("SELECT count(*) FROM memberships WHERE status = 'active'")
    newcomer = writer.scalar(
        "SELECT min(person_id) FROM people "
        "WHERE person_id NOT IN (SELECT person_id FROM memberships)"
    )
    assert active_members(at) == str(expected)
    banner = " ".join(c.value for c in at.sidebar.caption)
    assert "Read-only copy" in banner and WRITER in banner
    captions = " ".join(c.value for c in at.main.caption)
    assert f"download at {WRITER}" in captions
    assert not at.get("download_button")
    assert not (tmp_path / "never-opened.duckdb").exists()
    folder = replica_env[1]
    writer.execute(
        "INSERT INTO memberships (person_id, wave, status, joined_on) "
        "VALUES (?, 2, 'active', DATE '2026-10-01')",
        [newcomer],
    )
    snapshots.publish(writer, folder)
    assert active_members(run_app()) == str(expected + 1)


def test_a_damaged_newest_snapshot_is_reported_and_the_last_good_one_serves(replica_env):
    writer, folder = replica_env
    at = run_app()
    before = active_members(at)
    writer.execute("UPDATE memberships SET status = 'paused' WHERE status = 'active'")
    newest = snapshots.publish(writer, folder)
    with open(folder / newest.file, "r+b") as handle:
        handle.seek(newest.bytes // 2)
        handle.write(b"\xa5" * 4096)
    at = run_app()  # the next run through the router (a new session here)
    assert active_members(at) == before
    assert at.warning and "newest published snapshot cannot be used" in at.warning[-1].value
    assert "damaged" in at.warning[-1].value
