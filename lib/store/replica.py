"""A read-only replica: serves the newest good snapshot the writer published.

At the start of each page run the app asks `Replica.latest()`; when the pointer names a newer
snapshot it is checked (size, SHA-256, opens read-only, whole file, same schema as this code)
and becomes the one new runs use, while runs already under way finish on the one they started
with. A snapshot that is missing or damaged is reported (`problem`) and logged, and the last
good one keeps serving. Writes are refused with a sentence that names the writer.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from lib import logs
from lib.errors import Refusal, Translatable
from lib.store.db import Database, DatabaseError, fault, latest_version
from lib.store.snapshots import POINTER, Snapshot, file_sha256, read_pointer

# A snapshot that could not be used is tried again after this long even if the pointer did
# not change (a shared file system may show a file before its last bytes).
RETRY_S = 30.0
LOG = logs.logger("replica")


def read_only_refusal(writer_url: str) -> Refusal:
    """The sentence a replica answers every write with."""
    if writer_url:
        return Refusal("ops.replica_read_only", url=writer_url)
    return Refusal("ops.replica_read_only_no_url")


def open_snapshot(directory: Path, snapshot: Snapshot) -> Database:
    """Open a published snapshot read-only after checking it is whole and of this schema."""
    path = directory / snapshot.file
    if not path.is_file():
        raise DatabaseError("ops.err_snapshot_missing", name=snapshot.file)
    if path.stat().st_size != snapshot.bytes or file_sha256(path) != snapshot.sha256:
        raise DatabaseError("ops.err_snapshot_damaged", name=snapshot.file)
    try:
        db = Database(path, read_only=True)
    except DatabaseError as exc:
        raise DatabaseError("ops.err_snapshot_damaged", name=snapshot.file) from exc
    if db.schema_version() != latest_version():
        found = db.schema_version()
        db.close()
        raise DatabaseError(
            "ops.err_snapshot_schema", name=snapshot.file, found=found, expected=latest_version()
        )
    return db


class Replica:
    """The snapshots of one directory as this process serves them."""

    def __init__(self, directory: str | os.PathLike, writer_url: str = ""):
        self.directory = Path(directory)
        self.writer_url = writer_url
        self.current: Database | None = None
        self.snapshot: Snapshot | None = None
        self.problem: Translatable | None = None
        self._seen: tuple | None = None
        self._failed_at = 0.0
        self._lock = threading.Lock()

    def _pointer_signature(self) -> tuple | None:
        try:
            found = (self.directory / POINTER).stat()
        except OSError:
            return None
        return (found.st_ino, found.st_mtime_ns, found.st_size)

    def _due(self, signature: tuple | None) -> bool:
        if signature != self._seen:
            return True
        return self.problem is not None and time.monotonic() - self._failed_at > RETRY_S

    def latest(self) -> Database:
        """The database a new page run reads: the newest good snapshot. Raises a DatabaseError
        only when no snapshot could ever be opened."""
        signature = self._pointer_signature()
        if self._due(signature) and self._lock.acquire(blocking=self.current is None):
            try:
                self._seen = signature
                self._switch()
            finally:
                self._lock.release()
        if self.current is None:
            raise self.problem or DatabaseError(
                "ops.err_snapshot_none", directory=str(self.directory)
            )
        return self.current

    def _switch(self) -> None:
        try:
            snapshot = read_pointer(self.directory)
            if self.snapshot is not None and snapshot.file == self.snapshot.file:
                self.problem = None
                return
            db = open_snapshot(self.directory, snapshot)
        except Exception as exc:
            self.problem = fault(exc)
            self._failed_at = time.monotonic()
            LOG.error("snapshot not used, still serving %s: %s", self.serving(), self.problem)
            return
        db.read_only_refusal = read_only_refusal(self.writer_url)
        # The previous database is not closed: runs that started on it finish on it, and it
        # closes once the last of them lets go.
        self.current, self.snapshot, self.problem = db, snapshot, None
        LOG.info("serving %s (data version %d)", snapshot.file, snapshot.data_version)

    def serving(self) -> str:
        return self.snapshot.file if self.snapshot else "nothing"
