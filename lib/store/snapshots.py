"""Published snapshots of the writer's database, for read-only replicas.

A snapshot is a whole DuckDB file copied inside one read transaction of the writer (DuckDB's
`COPY FROM DATABASE`), so it holds every committed change up to one data version and nothing
of a change in flight. It is written under a hidden name, synced, renamed into place, and only
then named in `CURRENT.json` (itself replaced atomically) with its data version, schema version,
size and SHA-256. A replica reads that pointer, so it never sees a file being written.

The writer's `Publisher` publishes off the request path: a commit only sets a flag, a
background thread waits for a quiet moment (the delay), then copies.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import threading
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from lib import logs
from lib.store.db import Database, DatabaseError, first_line

POINTER = "CURRENT.json"
PREFIX = "snapshot-"
# Snapshots kept besides the current one: a replica may still be reading the previous ones.
KEEP = 3
# A burst of commits delays publishing at most this many times the delay.
MAX_DELAYS = 10
LOG = logs.logger("snapshots")


@dataclass(frozen=True)
class Snapshot:
    """What the pointer says of the newest snapshot."""

    file: str
    data_version: int
    schema_version: int
    bytes: int
    sha256: str
    published_at: str


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _sync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _copy_database(db: Database, target: Path) -> tuple[int, int]:
    """Copy every committed table, view and macro into a new file, in one read transaction;
    returns (data version, schema version) as of that transaction."""
    alias = f"snapshot_{secrets.token_hex(6)}"
    cur = db.cursor()
    try:
        source = cur.execute("SELECT current_database()").fetchone()[0]
        cur.execute(f"ATTACH {_literal(target)} AS {alias}")
        try:
            cur.execute("BEGIN TRANSACTION")
            version = cur.execute("SELECT max(version) FROM data_version").fetchone()[0]
            schema = cur.execute("SELECT max(version) FROM schema_version").fetchone()[0]
            cur.execute(f"COPY FROM DATABASE {_quoted(source)} TO {alias}")
            cur.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(Exception):
                cur.execute("ROLLBACK")
            raise
        finally:
            cur.execute(f"DETACH {alias}")
    finally:
        cur.close()
    return int(version), int(schema)


def publish(db: Database, directory: str | os.PathLike) -> Snapshot:
    """Publish a consistent snapshot of `db` into `directory` and point CURRENT.json at it."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    incoming = directory / f".incoming-{secrets.token_hex(6)}.duckdb"
    try:
        version, schema = _copy_database(db, incoming)
        with open(incoming, "rb+") as handle:
            os.fsync(handle.fileno())
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        final = directory / f"{PREFIX}{version:010d}-{stamp}.duckdb"
        os.replace(incoming, final)
    except BaseException:
        for leftover in (incoming, incoming.with_name(incoming.name + ".wal")):
            leftover.unlink(missing_ok=True)
        raise
    snapshot = Snapshot(
        file=final.name,
        data_version=version,
        schema_version=schema,
        bytes=final.stat().st_size,
        sha256=file_sha256(final),
        published_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    pointer = directory / f".{POINTER}.{secrets.token_hex(4)}"
    pointer.write_text(json.dumps(asdict(snapshot), indent=2), encoding="utf-8")
    os.replace(pointer, directory / POINTER)
    _sync_directory(directory)
    prune(directory, snapshot.file)
    return snapshot


def prune(directory: Path, current: str) -> None:
    """Delete all but the newest few snapshots (a replica that still reads one keeps its open
    file until it moves on)."""
    published = sorted(directory.glob(f"{PREFIX}*.duckdb"), reverse=True)
    for old in [p for p in published if p.name != current][KEEP:]:
        old.unlink(missing_ok=True)


def read_pointer(directory: str | os.PathLike) -> Snapshot:
    """The newest published snapshot, or a DatabaseError saying why there is none."""
    pointer = Path(directory) / POINTER
    try:
        found = json.loads(pointer.read_text(encoding="utf-8"))
        return Snapshot(**found)
    except FileNotFoundError as exc:
        raise DatabaseError("ops.err_snapshot_none", directory=str(directory)) from exc
    except (OSError, ValueError, TypeError) as exc:
        raise DatabaseError(
            "ops.err_snapshot_pointer", path=str(pointer), reason=first_line(exc)
        ) from exc


class Publisher:
    """Publishes a snapshot of the writer's database after its committed changes, debounced,
    on a background thread; a failure is logged and retried at the next change."""

    def __init__(self, db: Database, directory: Path, delay_s: float = 2.0):
        self.db = db
        self.directory = Path(directory)
        self.delay_s = delay_s
        self.published_version: int | None = None
        self._changed = threading.Event()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="snapshot-publisher", daemon=True)

    def start(self) -> Publisher:
        self.db.on_commit.append(self._changed.set)
        self._changed.set()  # the first snapshot of this run, whatever was published before
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        self._changed.set()
        with contextlib.suppress(ValueError):
            self.db.on_commit.remove(self._changed.set)
        if self._thread.is_alive():
            self._thread.join(timeout=60)
        self.publish_now()  # a change made within the last delay

    def _run(self) -> None:
        while not self._stopped.is_set():
            self._changed.wait()
            for _ in range(MAX_DELAYS):
                self._changed.clear()
                if self._stopped.wait(self.delay_s) or not self._changed.is_set():
                    break
            if self._stopped.is_set():
                return
            self.publish_now()

    def publish_now(self) -> Snapshot | None:
        """Publish unless the newest snapshot already holds this data version."""
        if self.published_version == self.db.data_version():
            return None
        started = time.perf_counter()
        try:
            snapshot = publish(self.db, self.directory)
        except Exception as exc:
            LOG.error("snapshot not published to %s: %s", self.directory, first_line(exc))
            return None
        self.published_version = snapshot.data_version
        LOG.info(
            "published %s (data version %d, %d bytes) in %.2f s",
            snapshot.file,
            snapshot.data_version,
            snapshot.bytes,
            time.perf_counter() - started,
        )
        return snapshot
