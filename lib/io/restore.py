"""Data back: a verified restore of a backup folder or .zip made by `lib.io.backup`.

Every file is checked before anything changes (a plain file, not a link; readable parquet with
its own table's columns). The tables are then re-created in one transaction that commits only
when the counts and checksums match the manifest and no reference is left dangling.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import Path

import duckdb

from lib import access
from lib.errors import Refusal
from lib.io.backup import MANIFEST
from lib.io.kinds import KINDS, REFERENCE_KEYS
from lib.store.db import Database, first_line

MAX_ARCHIVE_BYTES = 4 * 1024**3
NAME = re.compile(r"^\w+$")


@contextmanager
def _opened(source: Path):
    """A backup directory: the source itself, or a zip safely unpacked to a temporary one."""
    if source.is_dir():
        yield source
        return
    if not zipfile.is_zipfile(source):
        raise Refusal("data.err_backup_unreadable", path=str(source))
    with tempfile.TemporaryDirectory() as scratch:
        try:
            _unpack(source, Path(scratch))
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
            raise Refusal("data.err_backup_unreadable", path=str(source)) from exc
        yield Path(scratch)


def _unpack(source: Path, scratch: Path) -> None:
    """The zip's files, flattened into `scratch`: plain names only, each once, within size."""
    with zipfile.ZipFile(source) as packed:
        members = [m for m in packed.infolist() if not m.is_dir()]
        if sum(m.file_size for m in members) > MAX_ARCHIVE_BYTES:
            raise Refusal("data.err_backup_zip")
        names = [Path(member.filename).name for member in members]
        if len(set(names)) < len(names):
            raise Refusal("data.err_backup_zip")
        for member, name in zip(members, names, strict=True):
            if not NAME.match(name.replace(".", "_")) or name.startswith("."):
                raise Refusal("data.err_backup_zip")
            with packed.open(member) as src, open(scratch / name, "xb") as dst:
                shutil.copyfileobj(src, dst)


def read_manifest(folder: Path, db: Database) -> dict:
    """The manifest of a backup, checked against the files and this database's schema: every
    table this database has (when the schemas match), each with its count and checksum."""
    _refuse_link(folder / MANIFEST)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        tables = manifest["tables"]
        version = int(manifest["schema_version"])
        for entry in tables.values():
            if not isinstance(entry["rows"], int) or not isinstance(entry["checksum"], str):
                raise TypeError(entry)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise Refusal("data.err_backup_manifest", path=str(folder)) from exc
    if version > db.schema_version():
        raise Refusal("data.err_backup_newer", version=version, current=db.schema_version())
    current = set(db.tables())
    if version == db.schema_version() and set(tables) != current:
        raise Refusal("data.err_backup_manifest", path=str(folder))
    for table in tables:
        if not NAME.match(table) or table not in current:
            raise Refusal("data.err_backup_manifest", path=str(folder))
        _refuse_link(folder / f"{table}.parquet")
        if not (folder / f"{table}.parquet").is_file():
            raise Refusal("data.err_backup_file", table=table)
    return manifest


def _refuse_link(path: Path) -> None:
    """A backup holds its own files: a link could make a restore read any file on the server."""
    if path.is_symlink():
        raise Refusal("data.err_backup_link", name=path.name)


def _columns_to_load(db: Database, table: str, file: Path) -> list[str]:
    """The columns a table's parquet file gives it, read from the file's own schema: a damaged
    or empty file, or one holding another table's columns, is refused before anything changes."""
    try:
        present = [
            r[0]
            for r in db.rows(
                "SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet($file))",
                {"file": str(file)},
            )
        ]
    except duckdb.Error as exc:
        raise Refusal("data.err_backup_damaged", table=table, reason=first_line(exc)) from exc
    wanted = [
        r[0]
        for r in db.rows(
            "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'main' "
            "AND database_name = current_database() "
            "AND table_name = $table AND NOT internal ORDER BY column_index",
            {"table": table},
        )
    ]
    foreign = [c for c in present if c not in wanted]
    if foreign or not present:
        raise Refusal("data.err_backup_columns", table=table, columns=", ".join(foreign))
    return [c for c in wanted if c in present]


def restore(db: Database, viewer: access.Viewer, source: str | Path) -> dict[str, int]:
    """Replace every table with a backup in one transaction, verified against its manifest.

    Every file is checked before anything changes; the restored tables must match the
    manifest's counts and checksums and leave no reference dangling, or the transaction is
    rolled back. Returns the restored row count per table. Changing who holds which role
    needs the admin permission as well."""
    access.require(viewer, "edit_data")
    source = Path(source).expanduser().resolve()
    if not source.exists():
        raise Refusal("data.err_backup_missing", path=str(source))
    with _opened(source) as folder:
        manifest = read_manifest(folder, db)
        columns = {
            table: _columns_to_load(db, table, folder / f"{table}.parquet")
            for table in manifest["tables"]
        }
        role_map = manifest["tables"].get("role_map", {}).get("checksum")
        if role_map != db.table_checksums().get("role_map"):
            access.require(viewer, "edit_roles")
        counts = _replace_tables(db, viewer, manifest, folder, columns, source.name)
    db.checkpoint()
    return counts


def _replace_tables(db, viewer, manifest: dict, folder: Path, columns, source_name: str):
    same_schema = int(manifest["schema_version"]) == db.schema_version()
    counts = {}
    with db.transaction() as cur:
        _recreate_empty(cur, db.tables())
        for table, expected in manifest["tables"].items():
            file = folder / f"{table}.parquet"
            try:
                counts[table] = _load_table(cur, table, file, columns[table])
            except duckdb.Error as exc:
                reason = first_line(exc)
                raise Refusal("data.err_backup_damaged", table=table, reason=reason) from exc
            if counts[table] != expected["rows"] or (
                same_schema and db.table_checksum(table, cur) != expected["checksum"]
            ):
                raise Refusal("data.err_backup_mismatch", table=table)
        _refuse_orphans(cur, db.tables())
        _advance_sequences(cur)
        db.audit(
            "restore",
            actor=viewer.actor,
            cur=cur,
            file_name=source_name,
            inserted=sum(counts.values()),
            detail=manifest.get("created_at"),
        )
    return counts


def references() -> list[tuple[str, str, str, str]]:
    """(table, column, parent table, parent key) of every reference the import API declares:
    a member must be a person, a claimed skill a skill, a finding an interview's."""
    found = []
    for kind in KINDS.values():
        for field in kind.fields:
            parent = field.ref or ("skills" if field.type == "skill" else None)
            if parent:
                key = REFERENCE_KEYS.get(parent, "skill_id")
                found.append((kind.table, field.name, parent, key))
    return found


def _refuse_orphans(cur, tables: list[str]) -> None:
    """Refuse restored rows that point at a missing parent (memberships without people)."""
    for table, column, parent, key in references():
        if table not in tables or parent not in tables:
            continue
        orphans, example = cur.execute(
            f'SELECT count(*), min(c."{column}") FROM "{table}" AS c '
            f'WHERE c."{column}" IS NOT NULL AND NOT EXISTS '
            f'(SELECT 1 FROM "{parent}" AS p WHERE p."{key}" = c."{column}")'
        ).fetchone()
        if orphans:
            raise Refusal(
                "data.err_backup_orphans",
                rows=orphans,
                table=table,
                column=column,
                parent=parent,
                example=example,
            )


def _recreate_empty(cur, tables: list[str]) -> None:
    """Drop and re-create each table (with its indexes) from its own definition: emptying
    large indexed tables this way commits in seconds where DELETE takes minutes."""
    definitions = dict(
        cur.execute(
            "SELECT table_name, sql FROM duckdb_tables() "
            "WHERE schema_name = 'main' AND database_name = current_database()"
        ).fetchall()
    )
    indexes = cur.execute(
        "SELECT table_name, sql FROM duckdb_indexes() "
        "WHERE schema_name = 'main' AND database_name = current_database() AND sql IS NOT NULL"
    ).fetchall()
    for table in reversed(tables):
        cur.execute(f'DROP TABLE "{table}"')
    for table in tables:
        cur.execute(definitions[table])
    for table, sql in indexes:
        if table in tables:
            cur.execute(sql)


def _load_table(cur, table: str, file: Path, columns: list[str]) -> int:
    """Insert a parquet file's rows into a table by the columns both have."""
    names = ", ".join(f'"{c}"' for c in columns)
    cur.execute(
        f'INSERT INTO "{table}" ({names}) SELECT {names} FROM read_parquet($file)',
        {"file": str(file)},
    )
    return cur.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]


def _advance_sequences(cur) -> None:
    """Move each id sequence past the largest restored id, so new rows never collide."""
    defaults = cur.execute(
        "SELECT table_name, column_name, column_default FROM duckdb_columns() "
        "WHERE schema_name = 'main' AND database_name = current_database() "
        "AND column_default LIKE 'nextval(%'"
    ).fetchall()
    for table, column, default in defaults:
        found = re.match(r"nextval\('(\w+)'\)", default)
        if not found:
            continue
        sequence = found.group(1)
        top = cur.execute(f'SELECT max("{column}") FROM "{table}"').fetchone()[0]
        last, start = cur.execute(
            "SELECT last_value, start_value FROM duckdb_sequences() "
            "WHERE sequence_name = $name AND database_name = current_database()",
            {"name": sequence},
        ).fetchone()
        current = start - 1 if last is None else last
        if top is not None and top > current:
            cur.execute(
                f"SELECT max(nextval('{sequence}')) FROM range($steps)",
                {"steps": int(top - current)},
            )
