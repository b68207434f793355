"""Data in: read → map columns → normalise categorical values → validate every row → upsert
in one transaction.

Validation collects every problem (row as in the file, column, value, reason) before anything
is written. Modes: `dry-run` (report only), `strict` (any problem → nothing written) and
`skip-bad` (good rows written, bad rows returned with a reason). Every mode runs the same
upsert of the good rows in a transaction; the dry run and a refused strict import roll it
back, so their counts (inserted, updated, unchanged) and the changed fields are exactly what
the import does. Rows are upserted by key, so importing the same file twice changes nothing;
each write is one transaction with its audit_log row, the user's remembered column mapping
and the curator's value decisions.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lib import access, logs
from lib.errors import Refusal
from lib.i18n import t
from lib.io import apply
from lib.io.fileread import RawTable, check_size, read_table
from lib.io.kinds import Kind, kind_for
from lib.io.mapping import check_mapping, propose_mapping, remember_mapping, remembered_mapping
from lib.io.validate import validate
from lib.io.values import (
    REVIEW_COLUMNS,
    Decisions,
    decide,
    decisions_from_table,
    remember_decisions,
    remembered_decisions,
    value_review,
)
from lib.store.db import Database

MODES = ("dry-run", "strict", "skip-bad")
LOG = logs.logger("io")


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
    counted: bool = False
    changes: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=apply.CHANGE_COLUMNS)
    )
    values: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REVIEW_COLUMNS))
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
        """Good rows equal to what is stored (counted by every mode, written or not)."""
        return self.good - self.inserted - self.updated if self.counted else 0

    @property
    def mapped_values(self) -> int:
        """Distinct incoming values replaced by a curator's mapping."""
        return int((self.values["decision"] == "map").sum()) if len(self.values) else 0

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
    value_file: str | Path | None = None,
) -> ImportReport:
    """Read a file from disk and import it (see `import_table`); `value_file` is a CSV or
    Excel table of value decisions (column, value, mapped_to[, decision])."""
    access.require(viewer, "edit_data")
    raw = _read(path, sheet=sheet, encoding=encoding, lang=lang)
    decisions = None
    if value_file is not None:
        spec = kind_for(kind)
        remembered = remembered_mapping(db, spec.name, viewer.actor)
        chosen = propose_mapping(spec, raw.columns, explicit=mapping, remembered=remembered)
        table = _read(value_file, lang=lang)
        decisions = decisions_from_table(spec, table, chosen)
    return import_table(
        db, viewer, kind, raw, mapping=mapping, mode=mode, lang=lang, decisions=decisions
    )


def _read(path: str | Path, **options) -> RawTable:
    path = Path(path)
    if not path.is_file():
        raise Refusal("data.err_no_file", path=str(path))
    check_size(path.stat().st_size)
    return read_table(path.read_bytes(), path.name, **options)


def import_table(
    db: Database,
    viewer: access.Viewer,
    kind: str,
    raw: RawTable,
    *,
    mapping: dict[str, str | None] | None = None,
    mode: str = "dry-run",
    lang: str = "en",
    decisions: Decisions | None = None,
) -> ImportReport:
    """Validate a read file against a kind and upsert its good rows; a dry run (and a strict
    import that found problems) rolls the upsert back, so every mode reports the same counts.

    `mapping` names the field of any source column (None ignores it); the other columns are
    mapped from this user's last mapping or guessed from their names. `decisions` map, keep
    or reject values of categorical columns, over the decisions remembered from earlier
    imports. Row problems are written in `lang`."""
    access.require(viewer, "edit_data")
    started = time.perf_counter()
    spec = kind_for(kind)
    if mode not in MODES:
        raise Refusal("data.err_mode", mode=mode, modes=", ".join(MODES))
    remembered = remembered_mapping(db, spec.name, viewer.actor)
    chosen = propose_mapping(spec, raw.columns, explicit=mapping, remembered=remembered)
    check_mapping(spec, raw, chosen)
    explicit = dict(decisions or {})
    in_force = {**remembered_decisions(db, spec.name), **explicit}
    decided, refused = decide(spec, raw, chosen, in_force, lang)
    checked = validate(db, spec, decided, chosen, lang)
    if refused:
        order = {column: i for i, column in enumerate(raw.columns)}
        checked.problems = sorted(
            checked.problems + refused, key=lambda p: (p[0], order.get(p[1], -1))
        )
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
        values=value_review(db, spec, raw, chosen, explicit),
    )
    commit = mode == "skip-bad" or (mode == "strict" and not checked.problems)
    good = checked.values.drop(index=list(checked.bad_positions))
    report.inserted, report.updated, report.changes = write_rows(
        db, viewer, spec, good, report, decisions=explicit, rehearsal=not commit
    )
    report.counted, report.written = True, commit
    report.seconds = time.perf_counter() - started
    if not commit:
        LOG.info(
            "import %s %s by %s wrote nothing: rows=%d problems=%d",
            spec.name,
            mode,
            viewer.actor,
            report.rows,
            len(report.problems),
        )
    return report


def write_rows(
    db: Database,
    viewer: access.Viewer,
    spec: Kind,
    good: pd.DataFrame,
    report: ImportReport,
    *,
    decisions: Decisions | None = None,
    rehearsal: bool = False,
) -> tuple[int, int, pd.DataFrame]:
    """Upsert the good rows by key in one transaction with the audit row, the remembered
    mapping and value decisions; returns (inserted, updated, changed fields). Any failure
    rolls everything back; a rehearsal rolls back at the end."""
    access.require(viewer, "edit_data")
    with db.transaction(rehearsal=rehearsal) as cur:
        inserted, updated, changes = apply.upsert(cur, spec, good)
        remember_mapping(cur, spec.name, viewer.actor, report.mapping)
        remember_decisions(cur, spec.name, decisions or {}, viewer.actor)
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
            detail=json.dumps(
                {"mode": report.mode, "rows": report.rows, "mapped_values": report.mapped_values}
            ),
        )
    return inserted, updated, changes


def recent_imports(db: Database, viewer: access.Viewer, limit: int = 50) -> pd.DataFrame:
    """The latest audit_log entries, newest first, with the rows a workbench change touched
    before and after it (staff only: they name people)."""
    access.require(viewer, "edit_data")
    return db.df(
        "SELECT logged_at, actor, action, kind, file_name, sha256, inserted, updated, rejected, "
        "detail, before, after FROM audit_log ORDER BY entry_id DESC LIMIT $limit",
        {"limit": int(limit)},
    )
