"""The one door to DuckDB: open, migrate, query and write inside transactions.

One `Database` per process holds one DuckDB connection; every call works on its own
cursor, so concurrent Streamlit sessions are safe. Writes are serialised by a lock and
always run inside a transaction. SQL is parameterised; table names come only from the
list of tables actually in the file.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from lib import logs
from lib.errors import Refusal, Translatable

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
SQL_DIR = Path(__file__).resolve().parent / "sql"
# Bookkeeping tables that are not data: never exported, backed up or checksummed.
INFRASTRUCTURE = frozenset({"schema_version", "data_version"})
DEFAULT_PATH = ROOT / "data" / "expertise.duckdb"
ENV_VAR = "EXPERTISE_DB"
# How long a write waits for another write of this process (a page, a job) before it is
# refused with a sentence.
WRITE_WAIT_VAR = "EXPERTISE_WRITE_WAIT"
DEFAULT_WRITE_WAIT_S = 60.0
AUDIT_LOG = logs.logger("audit")

# Data tables of SPEC.md §1, in an order that respects references (parents first).
TABLES = (
    "people",
    "skills",
    "memberships",
    "membership_events",
    "person_skills",
    "activities",
    "capacity",
    "events",
    "attendance",
    "recognitions",
    "interviews",
    "interview_findings",
    "target_profile",
    "settings",
    "audit_log",
    "charter",
    "role_map",
    "conferences",
    "submissions",
    "submission_speakers",
    "contributions",
    "skill_proposals",
)


class DatabaseError(Translatable, RuntimeError):
    """Storage failed (the database, a file or a zip cannot be used): a message key and its
    parameters for people."""

    def __init__(self, key: str, **params: Any):
        self.key = key
        self.params = params
        super().__init__(self.text())


# DuckDB's file starts with three 4 KiB headers, then the blocks.
HEADER_BYTES = 3 * 4096
# What DuckDB says when a file is cut short or altered.
DAMAGE_SIGNS = (
    "could not read enough bytes",
    "not a valid duckdb database",
    "corrupt",
    "checksum",
)
# Storage, file and zip errors: a page or command shows them as one line (see `fault`).
STORAGE_ERRORS = (DatabaseError, duckdb.Error, OSError, zipfile.BadZipFile)
# Every opening of a file gets its own number: answers kept for one (`lib.store.shared`) are
# never served for another, e.g. after a restore replaced the file.
_OPENINGS = itertools.count(1)


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def is_damage(exc: BaseException) -> bool:
    """Whether a DuckDB error means the file is damaged (not locked, full or forbidden)."""
    text = str(exc).lower()
    return any(sign in text for sign in DAMAGE_SIGNS)


def fault(exc: BaseException, name: str = "") -> Translatable:
    """A storage, file or zip error as one line for people: a damaged database file gets
    "restore it from a backup", a full disk or a missing file says so. Messages that already
    carry a key pass through."""
    if isinstance(exc, Translatable):
        return exc
    if isinstance(exc, zipfile.BadZipFile):
        return DatabaseError("data.err_zip", reason=first_line(exc))
    if isinstance(exc, OSError):
        reason = exc.strerror or first_line(exc)
        if exc.filename:
            return DatabaseError("data.err_file", path=str(exc.filename), reason=reason)
        return DatabaseError("data.err_file_unnamed", reason=reason)
    if is_damage(exc):
        return DatabaseError("data.err_store_damaged", name=name)
    return DatabaseError("data.err_store_failed", reason=first_line(exc))


def resolve_path(path: str | os.PathLike | None = None) -> Path:
    """The database file: explicit path, else $EXPERTISE_DB, else data/expertise.duckdb."""
    chosen = path or os.environ.get(ENV_VAR) or DEFAULT_PATH
    return Path(chosen).expanduser().resolve()


def write_wait_seconds() -> float:
    """$EXPERTISE_WRITE_WAIT in seconds (default 60); a bad value falls back to the default."""
    try:
        return max(0.0, float(os.environ.get(WRITE_WAIT_VAR, DEFAULT_WRITE_WAIT_S)))
    except ValueError:
        return DEFAULT_WRITE_WAIT_S


def migrations() -> list[tuple[int, Path]]:
    """Numbered SQL migrations in apply order."""
    found = []
    for file in sorted(SCHEMA_DIR.glob("[0-9][0-9][0-9]_*.sql")):
        found.append((int(file.name[:3]), file))
    return found


def latest_version() -> int:
    return migrations()[-1][0]


class Database:
    """A DuckDB database file with migrations applied on open."""

    def __init__(self, path: str | os.PathLike | None = None, *, read_only: bool = False):
        self.path = resolve_path(path)
        self.read_only = read_only
        self.opening = next(_OPENINGS)
        # Why this file takes no writes, when a sentence more useful than "read-only" exists
        # (a replica names the writer to go to).
        self.read_only_refusal: Translatable | None = None
        # Called after every commit (the snapshot publisher listens here).
        self.on_commit: list[Callable[[], None]] = []
        self._write_lock = threading.RLock()
        self._pending_audit = threading.local()
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as exc:
            if "lock" in str(exc).lower():
                raise DatabaseError("data.err_store_locked", name=self.path.name) from exc
            if isinstance(exc, duckdb.IOException) and not is_damage(exc):
                raise DatabaseError(
                    "data.err_store_unopenable", name=self.path.name, reason=first_line(exc)
                ) from exc
            raise DatabaseError("data.err_store_damaged", name=self.path.name) from exc
        try:
            self._check_complete()
            if not read_only:
                self.migrate()
        except (duckdb.Error, DatabaseError) as exc:
            self._conn.close()
            raise fault(exc, self.path.name) from exc

    def _check_complete(self) -> None:
        """Refuse a file shorter than the blocks its header declares (a truncated copy). DuckDB
        notices only when it reads a missing block, which may be deep inside a later query."""
        block_size, blocks = self._conn.execute(
            "SELECT block_size, total_blocks FROM pragma_database_size() "
            "WHERE database_name = current_database()"
        ).fetchone()
        if self.path.stat().st_size < HEADER_BYTES + block_size * blocks:
            raise DatabaseError("data.err_store_damaged", name=self.path.name)

    # -- schema -----------------------------------------------------------------
    def schema_version(self) -> int:
        cur = self._conn.cursor()
        exists = cur.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
        ).fetchone()[0]
        if not exists:
            return 0
        return cur.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]

    def migrate(self) -> list[int]:
        """Apply, in order, every migration the file has not recorded; return those applied.

        Recorded versions are compared one by one (not only the highest), so a migration
        merged later with a lower number than one already applied still runs."""
        applied = []
        with self._write_lock:
            cur = self._conn.cursor()
            cur.execute(
                "CREATE TABLE IF NOT EXISTS schema_version ("
                "version INTEGER PRIMARY KEY, name VARCHAR, "
                "applied_at TIMESTAMP DEFAULT current_timestamp)"
            )
            done = {r[0] for r in cur.execute("SELECT version FROM schema_version").fetchall()}
            for version, file in migrations():
                if version in done:
                    continue
                cur.execute("BEGIN TRANSACTION")
                try:
                    cur.execute(file.read_text(encoding="utf-8"))
                    cur.execute(
                        "INSERT INTO schema_version (version, name) VALUES (?, ?)",
                        [version, file.name],
                    )
                    cur.execute("COMMIT")
                except Exception:
                    cur.execute("ROLLBACK")
                    raise
                applied.append(version)
        return applied

    # -- reading ----------------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        return self._conn.cursor()

    def df(self, sql: str, params: Sequence[Any] | dict | None = None) -> pd.DataFrame:
        """Run a parameterised query and return a DataFrame."""
        cur = self._conn.cursor()
        try:
            return cur.execute(sql, params or []).df()
        finally:
            cur.close()

    def rows(self, sql: str, params: Sequence[Any] | dict | None = None) -> list[tuple]:
        cur = self._conn.cursor()
        try:
            return cur.execute(sql, params or []).fetchall()
        finally:
            cur.close()

    def scalar(self, sql: str, params: Sequence[Any] | dict | None = None) -> Any:
        found = self.rows(sql, params)
        return found[0][0] if found else None

    def tables(self) -> list[str]:
        """Every table of the file: the core ones in reference order, then later additions."""
        present = {
            r[0]
            for r in self.rows(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_catalog = current_database() AND table_schema = 'main' "
                "AND table_type = 'BASE TABLE'"
            )
        }
        present -= INFRASTRUCTURE
        return [t for t in TABLES if t in present] + sorted(present - set(TABLES))

    def count(self, table: str) -> int:
        return self.scalar(f"SELECT count(*) FROM {self.checked_table(table)}")

    def counts(self) -> dict[str, int]:
        return {table: self.count(table) for table in self.tables()}

    def checked_table(self, table: str) -> str:
        """Guard for the few places a table name must be interpolated into SQL."""
        if table not in self.tables():
            raise Refusal("data.err_store_unknown_table", table=table)
        return f'"{table}"'

    def table_checksum(self, table: str, cur: duckdb.DuckDBPyConnection | None = None) -> str:
        """An order-independent fingerprint of one table, inside `cur`'s transaction if given."""
        sql = (
            "SELECT count(*)::VARCHAR || ':' || coalesce(sum(hash(t))::VARCHAR, '0') "
            f"FROM {self.checked_table(table)} AS t"
        )
        if cur is not None:
            return str(cur.execute(sql).fetchone()[0])
        return str(self.scalar(sql))

    def table_checksums(self) -> dict[str, str]:
        """An order-independent fingerprint of every table's content."""
        return {table: self.table_checksum(table) for table in self.tables()}

    # -- writing ----------------------------------------------------------------
    @contextmanager
    def transaction(self, *, rehearsal: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor inside one transaction: committed on success, rolled back on any error.
        A rehearsal runs the same work and rolls it back at the end (a dry run that sees
        exactly what the real write would do). A write waits at most $EXPERTISE_WRITE_WAIT
        seconds for another write of this process, then is refused."""
        if self.read_only:
            raise self.read_only_refusal or DatabaseError("data.err_store_read_only")
        wait = write_wait_seconds()
        if not self._write_lock.acquire(timeout=wait):
            raise DatabaseError("ops.err_store_busy", seconds=round(wait))
        try:
            outer = getattr(self._pending_audit, "rows", None)
            self._pending_audit.rows = []
            cur = self._conn.cursor()
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                cur.close()
                raise
            finally:
                pending = self._pending_audit.rows
                self._pending_audit.rows = outer
            if rehearsal:
                cur.execute("ROLLBACK")
                cur.close()
                return
            cur.execute("UPDATE data_version SET version = version + 1")
            cur.execute("COMMIT")
            cur.close()
        finally:
            self._write_lock.release()
        for fields in pending:
            log_audit(fields)
        for listener in self.on_commit:
            listener()

    def data_version(self) -> int:
        """A number every committed write advances, in this process or another: caches key on
        it so that nobody is served an answer older than the data."""
        return int(self.scalar("SELECT max(version) FROM data_version") or 0)

    def execute(self, sql: str, params: Sequence[Any] | dict | None = None) -> None:
        with self.transaction() as cur:
            cur.execute(sql, params or [])

    def audit(
        self,
        action: str,
        *,
        actor: str | None,
        kind: str | None = None,
        detail: str | None = None,
        cur: duckdb.DuckDBPyConnection | None = None,
        **counts: Any,
    ) -> None:
        """Write one audit_log row, inside the caller's transaction when one is given."""
        fields = {"actor": actor, "action": action, "kind": kind, "detail": detail, **counts}
        columns = ", ".join(fields)
        marks = ", ".join("?" for _ in fields)
        sql = f"INSERT INTO audit_log ({columns}) VALUES ({marks})"
        if cur is not None:
            cur.execute(sql, list(fields.values()))
            pending = getattr(self._pending_audit, "rows", None)
            if pending is not None:
                pending.append(fields)
        else:
            with self.transaction() as own:
                own.execute(sql, list(fields.values()))
                self._pending_audit.rows.append(fields)

    def checkpoint(self) -> None:
        with self._write_lock:
            self._conn.execute("CHECKPOINT")

    def close(self) -> None:
        self._conn.close()


# Audit fields that may carry personal data or free text: never logged.
UNLOGGED_AUDIT_FIELDS = frozenset({"detail", "file_name"})


def log_audit(fields: dict[str, Any]) -> None:
    """One log line per committed audit row: the action, the actor's e-mail and counts; file
    names and details stay in the database."""
    shown = " ".join(
        f"{name}={value}"
        for name, value in fields.items()
        if name not in UNLOGGED_AUDIT_FIELDS | {"action", "actor"} and value is not None
    )
    AUDIT_LOG.info("%s by %s %s", fields["action"], fields["actor"], shown)


@cache
def named_sql(name: str) -> str:
    """The text of `lib/store/sql/<name>.sql`: a long query kept as a named artefact and run
    with named parameters (`$as_of`), never spliced from fragments."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


_open: dict[Path, Database] = {}
LOCK_POLL_S = 0.25
_open_lock = threading.Lock()


def open_database(path: str | os.PathLike | None = None, *, wait_s: float = 0) -> Database:
    """The process-wide Database for a path (opened and migrated once). While another process
    holds the file (a command-line job started before the app's first page), wait up to
    `wait_s` seconds for it to let go."""
    resolved = resolve_path(path)
    deadline = time.monotonic() + wait_s
    with _open_lock:
        while resolved not in _open:
            try:
                _open[resolved] = Database(resolved)
            except DatabaseError as exc:
                if exc.key != "data.err_store_locked" or time.monotonic() > deadline:
                    raise
                time.sleep(LOCK_POLL_S)
        return _open[resolved]


def forget(path: str | os.PathLike | None = None) -> None:
    """Close and drop the process-wide Database for a path (used by restore and tests)."""
    resolved = resolve_path(path)
    with _open_lock:
        db = _open.pop(resolved, None)
    if db is not None:
        db.close()
