"""Nightly jobs against a running app (a real server from serve.py, as deployed): the command
line's import, report, export and backup are run by the app that holds the database, the
backup restores, the published snapshot follows, and two jobs at once are both written."""

from __future__ import annotations

import json
import shutil
import threading

import pandas as pd
import pytest

from lib.access import Viewer
from lib.io import restore
from lib.reporting import all_reports
from lib.store import snapshots
from lib.store.db import Database, DatabaseError
from tests.servers import Server, kpi, run_cli, wait_until

CURATOR = Viewer("curator", email="cli:curator")


@pytest.fixture(scope="module")
def writer(tiny_template, tmp_path_factory):
    folder = tmp_path_factory.mktemp("serving")
    path = folder / "club.duckdb"
    shutil.copy(tiny_template, path)
    pool = Database(tiny_template, read_only=True)
    newcomers = [
        row[0]
        for row in pool.rows(
            "SELECT person_id FROM people WHERE employed AND person_id NOT IN "
            "(SELECT person_id FROM memberships) ORDER BY person_id LIMIT 15"
        )
    ]
    pool.close()
    server = Server(
        "serve.py",
        {
            "EXPERTISE_DB": str(path),
            "EXPERTISE_SNAPSHOTS": str(folder / "snapshots"),
            "EXPERTISE_SNAPSHOT_DELAY": "0.2",
        },
        folder / "server.log",
    )
    yield {"path": path, "folder": folder, "newcomers": newcomers, "server": server}
    server.stop()


def members_file(folder, name: str, people: list[str]):
    path = folder / name
    frame = pd.DataFrame(
        {"person_id": people, "wave": 2, "status": "active", "joined_on": "2026-10-01"}
    )
    frame.to_csv(path, index=False)
    return path


def test_the_app_takes_jobs_before_anyone_opens_a_page(writer):
    socket_path = writer["path"].with_name("club.duckdb.jobs.sock")
    wait_until(socket_path.exists, what="the jobs socket")
    assert "taking jobs on" in writer["server"].log()


def test_an_import_and_a_backup_while_the_app_serves(writer, tiny_template, tmp_path):
    db = ["--db", str(writer["path"])]
    members_file(tmp_path, "nightly.csv", writer["newcomers"][:5])
    imported = run_cli(
        *db, "import", "memberships", "nightly.csv", "--mode", "strict", cwd=tmp_path
    )
    assert imported.returncode == 0, imported.stderr
    assert "5 inserted" in imported.stdout
    report = run_cli(*db, "report", "kpis", "--format", "json", cwd=tmp_path)
    before = headline(Database(tiny_template, read_only=True))
    assert kpi(report, "active_members") == before["active_members"] + 5

    backup = run_cli(*db, "backup", "--output", "nightly-backup", cwd=tmp_path)
    assert backup.returncode == 0, backup.stderr
    restored = Database(tmp_path / "restored.duckdb")
    restore.restore(restored, CURATOR, tmp_path / "nightly-backup")
    served = {row["metric"]: row["raw_value"] for row in json.loads(report.stdout)}
    assert headline(restored) == pytest.approx(served)
    log = writer["server"].log()
    assert "job import by cli:curator" in log and "job backup by cli:curator" in log
    assert "nightly.csv" not in log  # file names stay in the audit log, not the app's log
    wait_until(
        lambda: set(writer["newcomers"][:5]) <= newest_snapshot_members(writer["folder"]),
        what="a published snapshot with the imported members",
    )


def headline(db: Database) -> dict[str, float]:
    """The `kpis` report's raw values, computed here."""
    frame = all_reports()["kpis"].run(db, CURATOR)
    db.close()
    return dict(zip(frame["metric"], frame["raw_value"], strict=True))


def newest_snapshot_members(folder) -> set[str]:
    """The members in the newest published snapshot (none while there is none)."""
    try:
        pointer = snapshots.read_pointer(folder / "snapshots")
        copy = Database(folder / "snapshots" / pointer.file, read_only=True)
    except DatabaseError:
        return set()
    try:
        return {row[0] for row in copy.rows("SELECT person_id FROM memberships")}
    finally:
        copy.close()


def test_two_jobs_at_once_are_both_written(writer, tmp_path):
    db = ["--db", str(writer["path"])]
    first = members_file(tmp_path, "first.csv", writer["newcomers"][5:10])
    second = members_file(tmp_path, "second.csv", writer["newcomers"][10:15])
    results = {}

    def run(name, file):
        results[name] = run_cli(
            *db, "import", "memberships", str(file), "--mode", "strict", cwd=tmp_path
        )

    workers = [threading.Thread(target=run, args=(n, f)) for n, f in [("a", first), ("b", second)]]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(600)
    assert [results[n].returncode for n in "ab"] == [0, 0]
    exported = run_cli(*db, "export", "memberships", "--output", "after.csv", cwd=tmp_path)
    assert exported.returncode == 0
    assert set(writer["newcomers"][5:15]) <= set(pd.read_csv(tmp_path / "after.csv")["person_id"])
