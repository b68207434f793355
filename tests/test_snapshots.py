"""Snapshots for read-only replicas: each holds whole transactions only, the publisher follows
the writer's commits, a replica switches to a newer good snapshot and keeps serving the last
good one when the newest is missing or damaged, and refuses writes naming the writer."""

from __future__ import annotations

import shutil
import threading
import time

import pytest

from lib.errors import Refusal
from lib.store import snapshots
from lib.store.db import Database, DatabaseError
from lib.store.replica import Replica

WRITER = "https://expertise.bank.example"


@pytest.fixture
def writer(tiny_template, tmp_path):
    path = tmp_path / "writer.duckdb"
    shutil.copy(tiny_template, path)
    db = Database(path)
    yield db
    db.close()


def add_pair(db: Database, n: int) -> None:
    """One transaction that changes two tables: a snapshot holds both rows or neither."""
    with db.transaction() as cur:
        cur.execute("INSERT INTO skills (skill_id, name) VALUES (?, ?)", [f"PAIR{n}", f"Pair {n}"])
        cur.execute(
            "INSERT INTO target_profile (skill_id, min_people, min_level, priority) "
            "VALUES (?, 1, 3, 'could')",
            [f"PAIR{n}"],
        )


def pairs(db: Database) -> tuple[int, int]:
    return (
        db.scalar("SELECT count(*) FROM skills WHERE skill_id LIKE 'PAIR%'"),
        db.scalar("SELECT count(*) FROM target_profile WHERE skill_id LIKE 'PAIR%'"),
    )


def wait_until(condition, limit_s: float = 60) -> bool:
    """Poll a condition until it holds or the limit passes."""
    deadline = time.monotonic() + limit_s
    pause = threading.Event()
    while not condition():
        if time.monotonic() > deadline:
            return False
        pause.wait(0.05)
    return True


def test_a_snapshot_holds_whole_transactions_only(writer, tmp_path):
    folder = tmp_path / "snapshots"
    done = threading.Event()

    def keep_writing():
        for n in range(400):
            add_pair(writer, n)
        done.set()

    worker = threading.Thread(target=keep_writing)
    worker.start()
    seen = []
    while not done.is_set() or not seen:
        snapshot = snapshots.publish(writer, folder)
        copy = Database(folder / snapshot.file, read_only=True)
        seen.append(pairs(copy))
        assert copy.data_version() == snapshot.data_version
        copy.close()
    worker.join()
    assert all(skills == targets for skills, targets in seen)
    assert len(list(folder.glob("snapshot-*.duckdb"))) <= snapshots.KEEP + 1
    assert not list(folder.glob(".incoming-*"))


def test_the_publisher_follows_the_writers_commits(writer, tmp_path):
    folder = tmp_path / "snapshots"
    publisher = snapshots.Publisher(writer, folder, delay_s=0.05).start()
    try:
        add_pair(writer, 1)
        assert wait_until(lambda: publisher.published_version == writer.data_version())
        assert snapshots.read_pointer(folder).data_version == writer.data_version()
    finally:
        publisher.stop()
    copy = Database(folder / snapshots.read_pointer(folder).file, read_only=True)
    assert pairs(copy) == (1, 1)
    copy.close()


def test_a_replica_moves_to_a_newer_snapshot_and_refuses_writes(writer, tmp_path):
    folder = tmp_path / "snapshots"
    with pytest.raises(DatabaseError, match="No snapshot has been published"):
        Replica(folder, WRITER).latest()
    snapshots.publish(writer, folder)
    replica = Replica(folder, WRITER)
    first = replica.latest()
    assert pairs(first) == (0, 0)
    with pytest.raises(Refusal) as refused:
        first.execute("DELETE FROM skills")
    assert str(refused.value) == (
        f"This is a read-only copy of the data, so nothing was changed. Make changes at {WRITER}"
    )
    add_pair(writer, 1)
    snapshots.publish(writer, folder)
    second = replica.latest()
    assert second is not first and pairs(second) == (1, 1)
    assert pairs(first) == (0, 0)  # a page that began on the older one finishes on it
    assert replica.latest() is second


@pytest.mark.parametrize("fault", ["damaged", "missing", "pointer"])
def test_a_bad_newest_snapshot_is_reported_and_the_last_good_one_serves(writer, tmp_path, fault):
    folder = tmp_path / "snapshots"
    snapshots.publish(writer, folder)
    replica = Replica(folder, WRITER)
    good = replica.latest()
    add_pair(writer, 1)
    newest = snapshots.publish(writer, folder)
    if fault == "damaged":
        with open(folder / newest.file, "r+b") as handle:
            handle.seek(newest.bytes // 2)
            handle.write(b"\xa5" * 4096)
    elif fault == "missing":
        (folder / newest.file).unlink()
    else:
        (folder / snapshots.POINTER).write_text("{not json", encoding="utf-8")
    assert replica.latest() is good
    expected = {
        "damaged": f"The published snapshot {newest.file} is damaged",
        "missing": f"The published snapshot {newest.file} is missing",
        "pointer": "The snapshot pointer",
    }[fault]
    assert str(replica.problem).startswith(expected)
    assert pairs(replica.latest()) == (0, 0)
    add_pair(writer, 2)
    snapshots.publish(writer, folder)
    assert pairs(replica.latest()) == (2, 2)
    assert replica.problem is None


def test_a_snapshot_of_another_schema_is_not_served(writer, tmp_path):
    folder = tmp_path / "snapshots"
    snapshots.publish(writer, folder)
    replica = Replica(folder, WRITER)
    good = replica.latest()
    writer.execute("INSERT INTO schema_version (version, name) VALUES (999, '999_later.sql')")
    newest = snapshots.publish(writer, folder)
    assert replica.latest() is good
    assert str(replica.problem).startswith(
        f"The published snapshot {newest.file} has schema version 999"
    )


def test_a_restore_while_a_snapshot_is_being_copied_sees_only_the_writers_tables(writer, tmp_path):
    """The publisher attaches the snapshot file to the writer's connection while it copies;
    the writer's own table listings and a restore in that moment must not see its tables."""
    from lib.access import Viewer
    from lib.io import backup, restore

    curator = Viewer("curator", email="curator@bank.example")
    folder = backup.backup(writer, curator, tmp_path / "backup")
    tables = writer.tables()
    cur = writer.cursor()
    cur.execute(f"ATTACH '{tmp_path / 'copying.duckdb'}' AS copying")
    cur.execute(f'COPY FROM DATABASE "{writer.path.stem}" TO copying')
    try:
        assert writer.tables() == tables
        counts = restore.restore(writer, curator, folder)
        assert counts["people"] == 400
    finally:
        cur.execute("DETACH copying")
        cur.close()
