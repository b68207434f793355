"""Data in: read → map columns → validate every row → upsert in one transaction.

Validation collects every problem (row as in the file, column, value, reason) before anything
is written. Modes: `dry-run` (report only), `strict` (any problem → nothing written) and
`skip-bad` (good rows written, bad rows returned with a reason). Rows are upserted by key, so
importing the same file twice changes nothing; each write is one transaction with its
audit_log row and the user's remembered mapping.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lib import access
from lib.errors import Refusal
from lib.i18n import t
from lib.io import apply
from lib.io.fileread import RawTable, check_size, read_table
from lib.io.kinds import Kind, kind_for
from lib.io.mapping import check_mapping, propose_mapping, remember_mapping, remembered_mapping
from lib.io.validate import validate
from lib.store.db import Database

MODES = ("dry-run", "strict", "skip-bad")


@dataclass
class ImportReport:
    """What an import found and did: every problem, the rejected rows, the counts."""

    kind: str
    mode: str
    file_name: str
    sha256: str
    rows: int
    mapping: dict[str, str | None]
    problems: pd.DataFrame
    rejects: pd.DataFrame
    inserted: int = 0
    updated: int = 0
    written: bool = False
    seconds: float = 0.0
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None

    @property
    def ignored(self) -> list[str]:
        return [column for column, target in self.mapping.items() if not target]

    @property
    def rejected(self) -> int:
        return len(self.rejects)

    @property
    def good(self) -> int:
        return self.rows - self.rejected

    @property
    def unchanged(self) -> int:
        return self.good - self.inserted - self.updated if self.written else 0

    def summary(self, lang: str = "en", label: str | None = None) -> str:
        """One line for people: what was checked and what was written."""
        values = {
            "kind": label or self.kind,
            "rows": self.rows,
            "good": self.good,
            "problems": len(self.problems),
            "rejected": self.rejected,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        if self.written:
            return t("data.summary_written", lang, **values)
        if self.mode == "dry-run":
            return t("data.summary_dry_run", lang, **values)
        return t("data.summary_refused", lang, **values)


def import_file(
    db: Database,
    viewer: access.Viewer,
    kind: str,
    path: str | Path,
    *,
    mapping: dict[str, str | None] | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    mode: str = "dry-run",
    lang: str = "en",
) -> ImportReport:
    """Read a file from disk and import it (see `import_table`)."""
    access.require(viewer, "edit_data")
    path = Path(path)
    if not path.is_file():
        raise Refusal("data.err_no_file", path=str(path))
    check_size(path.stat().st_size)
    raw = read_table(path.read_bytes(), path.name, sheet=sheet, encoding=encoding, lang=lang)
    return import_table(db, viewer, kind, raw, mapping=mapping, mode=mode, lang=lang)


def import_table(
    db: Database,
    viewer: access.Viewer,
    kind: str,
    raw: RawTable,
    *,
    mapping: dict[str, str | None] | None = None,
    mode: str = "dry-run",
    lang: str = "en",
) -> ImportReport:
    """Validate a read file against a kind and, unless it is a dry run, upsert its rows.

    `mapping` names the field of any source column (None ignores it); the other columns are
    mapped from this user's last mapping or guessed from their names. Row problems are
    written in `lang`."""
    access.require(viewer, "edit_data")
    started = time.perf_counter()
    spec = kind_for(kind)
    if mode not in MODES:
        raise Refusal("data.err_mode", mode=mode, modes=", ".join(MODES))
    remembered = remembered_mapping(db, spec.name, viewer.actor)
    chosen = propose_mapping(spec, raw.columns, explicit=mapping, remembered=remembered)
    check_mapping(spec, raw, chosen)
    checked = validate(db, spec, raw, chosen, lang)
    report = ImportReport(
        kind=spec.name,
        mode=mode,
        file_name=raw.file_name,
        sha256=raw.sha256,
        rows=len(raw.frame),
        mapping=chosen,
        problems=apply.problem_frame(checked, raw),
        rejects=apply.reject_frame(checked, raw),
        encoding=raw.encoding,
        delimiter=raw.delimiter,
        sheet=raw.sheet,
    )
    if mode == "skip-bad" or (mode == "strict" and not checked.problems):
        good = checked.values.drop(index=list(checked.bad_positions))
        report.inserted, report.updated = write_rows(db, viewer, spec, good, report)
        report.written = True
    report.seconds = time.perf_counter() - started
    return report


def write_rows(
    db: Database, viewer: access.Viewer, spec: Kind, good: pd.DataFrame, report: ImportReport
) -> tuple[int, int]:
    """Upsert the good rows by key in one transaction with the audit row and the remembered
    mapping; returns (inserted, updated). Any failure rolls everything back."""
    access.require(viewer, "edit_data")
    with db.transaction() as cur:
        inserted, updated = apply.upsert(cur, spec, good)
        remember_mapping(cur, spec.name, viewer.actor, report.mapping)
        db.audit(
            "import",
            actor=viewer.actor,
            kind=spec.name,
            cur=cur,
            file_name=report.file_name,
            sha256=report.sha256,
            inserted=inserted,
            updated=updated,
            rejected=report.rejected,
            detail=json.dumps({"mode": report.mode, "rows": report.rows}),
        )
    return inserted, updated


def recent_imports(db: Database, viewer: access.Viewer, limit: int = 50) -> pd.DataFrame:
    """The latest audit_log entries, newest first (staff only: they name people)."""
    access.require(viewer, "edit_data")
    return db.df(
        "SELECT logged_at, actor, action, kind, file_name, sha256, inserted, updated, rejected, "
        "detail FROM audit_log ORDER BY entry_id DESC LIMIT $limit",
        {"limit": int(limit)},
    )
