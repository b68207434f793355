"""Data out and back: exports of any table or report, backups and verified restores.

A backup is DuckDB's EXPORT DATABASE (one parquet file per table) plus a manifest of each
table's row count and checksum taken in the same transaction. A restore re-creates every table
in one transaction and commits only when the counts and checksums match the manifest.
"""

from __future__ import annotations

import io
import json
import re
import tempfile
import zipfile
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pandas as pd

from lib import access
from lib.errors import Refusal
from lib.io.export import EXCEL_MAX_ROWS, to_csv_bytes, to_excel_bytes
from lib.io.reports import all_reports
from lib.store.db import ROOT, Database

BACKUP_ROOT = ROOT / "data" / "backups"
MANIFEST = "manifest.json"
FORMAT = 1
MAX_ARCHIVE_BYTES = 4 * 1024**3
NAME = re.compile(r"^\w+$")


# -- exports -------------------------------------------------------------------------------
def export_names(db: Database) -> tuple[list[str], list[str]]:
    """(tables, reports) that can be exported."""
    return db.tables(), list(all_reports())


def export_frame(db: Database, viewer: access.Viewer, name: str, **options) -> pd.DataFrame:
    """A whole table (staff only: tables hold personal data) or a named report for a viewer."""
    if name in db.tables():
        access.require(viewer, "edit_data")
        return db.df(f"SELECT * FROM {db.checked_table(name)} ORDER BY ALL")
    reports = all_reports()
    if name in reports:
        access.require(viewer, "export")
        return reports[name].run(db, viewer, **options)
    raise Refusal("data.err_export_unknown", name=name, names=", ".join([*db.tables(), *reports]))


def export_file(
    db: Database,
    viewer: access.Viewer,
    name: str,
    output: str | Path,
    fmt: str | None = None,
    **options,
) -> int:
    """Write a table or report to CSV or Excel (formulas neutralised); returns the row count."""
    output = Path(output)
    fmt = fmt or ("xlsx" if output.suffix.lower() in (".xlsx", ".xlsm") else "csv")
    frame = export_frame(db, viewer, name, **options)
    if fmt == "xlsx" and len(frame) > EXCEL_MAX_ROWS:
        raise Refusal("data.err_excel_rows", rows=len(frame), limit=EXCEL_MAX_ROWS)
    data = to_excel_bytes(frame, name) if fmt == "xlsx" else to_csv_bytes(frame)
    output.write_bytes(data)
    db.audit("export", actor=viewer.actor, kind=name, detail=fmt, inserted=len(frame))
    return len(frame)


# -- backup --------------------------------------------------------------------------------
def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def default_backup_dir(db: Database) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return BACKUP_ROOT / f"{db.path.stem}-{stamp}"


def backup(db: Database, viewer: access.Viewer, directory: str | Path | None = None) -> Path:
    """Snapshot every table into a new directory with a manifest; returns the directory."""
    access.require(viewer, "edit_data")
    target = Path(directory or default_backup_dir(db)).expanduser().resolve()
    if target.exists() and any(target.iterdir()):
        raise Refusal("data.err_backup_exists", path=str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    tables = db.tables()
    with db.transaction() as cur:
        cur.execute(f"EXPORT DATABASE {_literal(target)} (FORMAT parquet)")
        summary = {
            table: {
                "rows": cur.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0],
                "checksum": db.table_checksum(table, cur),
            }
            for table in tables
        }
    manifest = {
        "format": FORMAT,
        "schema_version": db.schema_version(),
        "created_at": datetime.now().isoformat(timespec="seconds"),
        "database": db.path.name,
        "tables": summary,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    db.audit(
        "backup",
        actor=viewer.actor,
        detail=str(target),
        inserted=sum(v["rows"] for v in summary.values()),
    )
    return target


def archive(directory: str | Path) -> bytes:
    """A backup directory as zip bytes, for download."""
    directory = Path(directory)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for file in sorted(directory.iterdir()):
            if file.is_file():
                out.write(file, f"{directory.name}/{file.name}")
    return buffer.getvalue()


def archive_for(db: Database, viewer: access.Viewer, directory: str | Path) -> bytes:
    """A backup as zip bytes for a user to download; every table leaves, so it is audited."""
    access.require(viewer, "edit_data")
    data = archive(directory)
    db.audit("export", actor=viewer.actor, kind="backup", detail=Path(directory).name)
    return data


def list_backups(root: str | Path | None = None) -> pd.DataFrame:
    """Backups under a folder (default data/backups), newest first: name, time, rows, size."""
    rows = []
    for folder in Path(root or BACKUP_ROOT).glob(f"*/{MANIFEST}"):
        try:
            manifest = json.loads(folder.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        size = sum(f.stat().st_size for f in folder.parent.iterdir() if f.is_file())
        rows.append(
            {
                "name": folder.parent.name,
                "created_at": manifest.get("created_at"),
                "rows": sum(v.get("rows", 0) for v in manifest.get("tables", {}).values()),
                "size_mb": round(size / 1e6, 2),
                "path": str(folder.parent),
            }
        )
    frame = pd.DataFrame(rows, columns=["name", "created_at", "rows", "size_mb", "path"])
    return frame.sort_values("created_at", ascending=False, ignore_index=True)


# -- restore -------------------------------------------------------------------------------
@contextmanager
def _opened(source: Path):
    """A backup directory: the source itself, or a zip safely unpacked to a temporary one."""
    if source.is_dir():
        yield source
        return
    if not zipfile.is_zipfile(source):
        raise Refusal("data.err_backup_missing", path=str(source))
    with tempfile.TemporaryDirectory() as scratch, zipfile.ZipFile(source) as packed:
        members = [m for m in packed.infolist() if not m.is_dir()]
        if sum(m.file_size for m in members) > MAX_ARCHIVE_BYTES:
            raise Refusal("data.err_backup_zip")
        for member in members:
            name = Path(member.filename).name
            if not NAME.match(name.replace(".", "_")) or name.startswith("."):
                raise Refusal("data.err_backup_zip")
            with packed.open(member) as src, open(Path(scratch) / name, "wb") as dst:
                dst.write(src.read())
        yield Path(scratch)


def read_manifest(folder: Path, db: Database) -> dict:
    """The manifest of a backup, checked against the files and this database's schema."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        tables = manifest["tables"]
        version = int(manifest["schema_version"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise Refusal("data.err_backup_manifest", path=str(folder)) from exc
    if version > db.schema_version():
        raise Refusal("data.err_backup_newer", version=version, current=db.schema_version())
    current = set(db.tables())
    for table in tables:
        if not NAME.match(table) or table not in current:
            raise Refusal("data.err_backup_manifest", path=str(folder))
        if not (folder / f"{table}.parquet").is_file():
            raise Refusal("data.err_backup_file", table=table)
    return manifest


def restore(db: Database, viewer: access.Viewer, source: str | Path) -> dict[str, int]:
    """Replace every table with a backup in one transaction, verified against its manifest.

    Returns the restored row count per table. Changing who holds which role needs the admin
    permission as well."""
    access.require(viewer, "edit_data")
    source = Path(source).expanduser().resolve()
    if not source.exists():
        raise Refusal("data.err_backup_missing", path=str(source))
    with _opened(source) as folder:
        manifest = read_manifest(folder, db)
        same_schema = int(manifest["schema_version"]) == db.schema_version()
        role_map = manifest["tables"].get("role_map", {}).get("checksum")
        if role_map != db.table_checksums().get("role_map"):
            access.require(viewer, "edit_roles")
        tables = db.tables()
        counts = {}
        with db.transaction() as cur:
            _recreate_empty(cur, tables)
            for table, expected in manifest["tables"].items():
                counts[table] = _load_table(cur, table, folder / f"{table}.parquet")
                if counts[table] != expected["rows"] or (
                    same_schema and db.table_checksum(table, cur) != expected["checksum"]
                ):
                    raise Refusal("data.err_backup_mismatch", table=table)
            _advance_sequences(cur)
            db.audit(
                "restore",
                actor=viewer.actor,
                cur=cur,
                file_name=source.name,
                inserted=sum(counts.values()),
                detail=manifest.get("created_at"),
            )
    db.checkpoint()
    return counts


def _recreate_empty(cur, tables: list[str]) -> None:
    """Drop and re-create each table (with its indexes) from its own definition: emptying
    large indexed tables this way commits in seconds where DELETE takes minutes."""
    definitions = dict(
        cur.execute(
            "SELECT table_name, sql FROM duckdb_tables() WHERE schema_name = 'main'"
        ).fetchall()
    )
    indexes = cur.execute(
        "SELECT table_name, sql FROM duckdb_indexes() "
        "WHERE schema_name = 'main' AND sql IS NOT NULL"
    ).fetchall()
    for table in reversed(tables):
        cur.execute(f'DROP TABLE "{table}"')
    for table in tables:
        cur.execute(definitions[table])
    for table, sql in indexes:
        if table in tables:
            cur.execute(sql)


def _load_table(cur, table: str, file: Path) -> int:
    """Insert a parquet file's rows into a table by the columns both have."""
    present = [
        r[0]
        for r in cur.execute(
            "SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet($file))",
            {"file": str(file)},
        ).fetchall()
    ]
    wanted = [
        r[0]
        for r in cur.execute(
            "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'main' "
            "AND table_name = $table AND NOT internal ORDER BY column_index",
            {"table": table},
        ).fetchall()
    ]
    columns = ", ".join(f'"{c}"' for c in wanted if c in present)
    cur.execute(
        f'INSERT INTO "{table}" ({columns}) SELECT {columns} FROM read_parquet($file)',
        {"file": str(file)},
    )
    return cur.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]


def _advance_sequences(cur) -> None:
    """Move each id sequence past the largest restored id, so new rows never collide."""
    defaults = cur.execute(
        "SELECT table_name, column_name, column_default FROM duckdb_columns() "
        "WHERE schema_name = 'main' AND column_default LIKE 'nextval(%'"
    ).fetchall()
    for table, column, default in defaults:
        found = re.match(r"nextval\('(\w+)'\)", default)
        if not found:
            continue
        sequence = found.group(1)
        top = cur.execute(f'SELECT max("{column}") FROM "{table}"').fetchone()[0]
        last, start = cur.execute(
            "SELECT last_value, start_value FROM duckdb_sequences() WHERE sequence_name = $name",
            {"name": sequence},
        ).fetchone()
        current = start - 1 if last is None else last
        if top is not None and top > current:
            cur.execute(
                f"SELECT max(nextval('{sequence}')) FROM range($steps)",
                {"steps": int(top - current)},
            )
