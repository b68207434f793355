"""Data out: exports of any table or report, and backups.

A backup is DuckDB's EXPORT DATABASE (one parquet file per table) plus a manifest of each
table's row count and checksum taken in the same transaction; `lib.io.restore` brings it back.
"""

from __future__ import annotations

import io
import json
import secrets
import shutil
import zipfile
from datetime import datetime
from pathlib import Path

import pandas as pd

from lib import access
from lib.errors import Refusal
from lib.io.export import EXCEL_MAX_ROWS, to_csv_bytes, to_excel_bytes, write_file
from lib.reporting import all_reports, run_report
from lib.store.db import ROOT, Database

BACKUP_ROOT = ROOT / "data" / "backups"
MANIFEST = "manifest.json"
FORMAT = 1


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
        return run_report(db, viewer, name, **options)
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
    write_file(output, to_excel_bytes(frame, name) if fmt == "xlsx" else to_csv_bytes(frame))
    db.audit("export", actor=viewer.actor, kind=name, detail=fmt, inserted=len(frame))
    return len(frame)


# -- backup --------------------------------------------------------------------------------
def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def default_backup_dir(db: Database) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return BACKUP_ROOT / f"{db.path.stem}-{stamp}"


def backup(db: Database, viewer: access.Viewer, directory: str | Path | None = None) -> Path:
    """Snapshot every table into a new directory with a manifest; returns the directory.

    The snapshot is built in a hidden folder beside the target and renamed into place once
    complete, so a full disk or a crash never leaves half a backup behind."""
    access.require(viewer, "edit_data")
    target = Path(directory or default_backup_dir(db)).expanduser().resolve()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise Refusal("data.err_backup_exists", path=str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    try:
        manifest = _snapshot(db, partial)
        partial.rename(target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    db.audit(
        "backup",
        actor=viewer.actor,
        detail=str(target),
        inserted=sum(v["rows"] for v in manifest["tables"].values()),
    )
    return target


def _snapshot(db: Database, folder: Path) -> dict:
    """Every table as parquet in `folder`, and the manifest of their counts and checksums taken
    in the same transaction."""
    tables = db.tables()
    with db.transaction() as cur:
        cur.execute(f"EXPORT DATABASE {_literal(folder)} (FORMAT parquet)")
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
    write_file(folder / MANIFEST, json.dumps(manifest, indent=2).encode("utf-8"))
    return manifest


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
        if folder.parent.name.startswith("."):
            continue  # a backup still being written
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
