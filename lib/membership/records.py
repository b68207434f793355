"""Records a curator keeps by hand: recognitions, event attendance, events, activities and
interview findings — added, edited and deleted with the rows before and after in the audit log.

Form values are checked exactly as an import checks a file's cells (`lib.io.validate`, the same
types, ranges, choices, skill names and references, the same messages); an unknown person gets
the closest ID or name as a "did you mean", an unknown skill the closest name or alias.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd

from lib import access
from lib.access import Viewer
from lib.contributions.counting import owned_by_contribution
from lib.errors import Problems, Refusal, Term
from lib.i18n import t
from lib.io import apply
from lib.io.fileread import RawTable
from lib.io.kinds import KINDS, Kind, kind_for
from lib.io.validate import validate
from lib.membership.audit import ChangeLog, Cursor
from lib.membership.lookup import closest_person
from lib.store.db import Database

RECORD_KINDS = ("recognitions", "attendance", "events", "activities", "interview_findings")
# Kinds whose key is an ID the workbench makes up when the form leaves it blank.
GENERATED_IDS = {"events": ("event_id", "EV"), "activities": ("activity_id", "ACT")}
# Rows that go when the row they belong to goes: their table and the column naming the parent.
DEPENDENTS = {"events": ("attendance", "event_id")}
LIST_LIMIT = 200
LIST_ORDER = {
    "recognitions": "date DESC, person_id, kind",
    "attendance": "date DESC NULLS LAST, event_id DESC, person_id",
    "events": "date DESC, event_id DESC",
    "activities": "occurred_on DESC, activity_id DESC",
    "interview_findings": "interview_id DESC, theme, code",
}


def record_kind(kind: str) -> Kind:
    """The import kind behind a record form, or a refusal listing the record kinds."""
    if kind not in RECORD_KINDS:
        raise Refusal("members.err_record_kind", kind=kind, kinds=", ".join(RECORD_KINDS))
    return KINDS[kind]


def _cell(value: Any) -> str:
    """A form value written as an import cell."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "; ".join(str(item) for item in value)
    return str(value).strip()


def _python(value: Any) -> Any:
    """A typed cell as a plain Python value (None for blanks)."""
    if isinstance(value, list):
        return value
    if value is None or pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value


def check_values(
    db: Database, kind: str, values: Mapping[str, Any], lang: str = "en"
) -> dict[str, Any]:
    """Form values of an import kind checked as an import would check them; the typed values,
    or a refusal with one sentence per field in `lang`."""
    spec = kind_for(kind)
    unknown = set(values) - set(spec.names)
    if unknown:
        raise KeyError(sorted(unknown))
    cells = {name: _cell(value) for name, value in values.items()}
    raw = RawTable(
        file_name="form",
        sha256="",
        columns=list(cells),
        frame=pd.DataFrame([cells], dtype=object),
        rows=[1],
    )
    checked = validate(db, spec, raw, {name: name for name in cells}, lang)
    problems = []
    for _, column, value, reason in checked.problems:
        if column == "person_id" and reason == t("data.problem_unknown_people", lang):
            suggestion = closest_person(db, value)
            if suggestion:
                reason = f"{reason} {t('data.did_you_mean', lang, suggestion=suggestion)}"
        problems.append(
            Refusal("members.err_field", field=Term(f"members.field_{column}"), reason=reason)
        )
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise Problems(problems)
    typed = apply.typed(spec, checked.values)
    return {name: _python(typed[name].iat[0]) for name in typed.columns}


def next_id(db: Database, kind: str) -> str:
    """The next made-up ID of a kind: prefix and a number one above the highest used."""
    column, prefix = GENERATED_IDS[kind]
    highest = db.scalar(
        f"SELECT max(TRY_CAST(regexp_extract({column}, $pattern, 1) AS INTEGER)) FROM {kind}",
        {"pattern": f"^{prefix}-(\\d+)$"},
    )
    return f"{prefix}-{int(highest or 0) + 1:05d}"


def _key(spec: Kind, row: Mapping[str, Any]) -> dict[str, Any]:
    return {name: row[name] for name in spec.key}


def record_key(kind: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """The key of a stored row as `list_records` gave it (days as dates, not timestamps)."""
    spec = record_kind(kind)
    return {
        name: row[name].date() if isinstance(row[name], pd.Timestamp) else row[name]
        for name in spec.key
    }


def _insert(cur: Cursor, table: str, row: Mapping[str, Any]) -> None:
    names = list(row)
    cur.execute(
        f"INSERT INTO {table} ({', '.join(names)}) "
        f"VALUES ({', '.join('$' + name for name in names)})",
        dict(row),
    )


def _delete(cur: Cursor, log: ChangeLog, kind: str, key: Mapping[str, Any]) -> None:
    """Delete one row and the rows that belong to it, each touched first."""
    if kind in DEPENDENTS:
        table, column = DEPENDENTS[kind]
        log.touch_where(table, f"{column} = $parent", {"parent": key[column]})
        cur.execute(f"DELETE FROM {table} WHERE {column} = $parent", {"parent": key[column]})
    condition = " AND ".join(f"{name} = ${name}" for name in key)
    cur.execute(f"DELETE FROM {kind} WHERE {condition}", dict(key))


def save_records(
    db: Database,
    viewer: Viewer,
    kind: str,
    rows: Sequence[Mapping[str, Any]],
    *,
    replace: Mapping[str, Any] | None = None,
    lang: str = "en",
) -> int:
    """Add rows of a record kind, or with `replace` (the key of a stored row) edit that row.
    Every row is checked first; a key that is already recorded is refused. Returns the audit
    entry."""
    access.require(viewer, "run_club")
    spec = record_kind(kind)
    if not rows:
        raise Refusal("members.err_nobody_selected")
    checked = [check_values(db, kind, row, lang) for row in _with_ids(db, kind, rows, replace)]
    keys = [_key(spec, row) for row in checked]
    if len({tuple(map(str, k.values())) for k in keys}) < len(keys):
        raise Refusal("members.err_record_twice")
    with db.transaction() as cur:
        log = ChangeLog(cur)
        if replace is not None:
            if log.touch(kind, **replace) is None:
                raise Refusal("members.err_record_missing")
            condition = " AND ".join(f"{name} = ${name}" for name in replace)
            cur.execute(f"DELETE FROM {kind} WHERE {condition}", dict(replace))
        for key, row in zip(keys, checked, strict=True):
            if log.touch(kind, **key) is not None and dict(key) != dict(replace or {}):
                raise Refusal(
                    "members.err_record_exists", record=" / ".join(map(str, key.values()))
                )
            _insert(cur, kind, row)
        return log.record(
            "record_edit" if replace is not None else "record_add",
            actor=viewer.actor,
            kind=kind,
            detail="; ".join(" / ".join(map(str, k.values())) for k in keys),
        )


def _with_ids(
    db: Database, kind: str, rows: Sequence[Mapping[str, Any]], replace: Mapping[str, Any] | None
) -> list[dict[str, Any]]:
    """Made-up IDs for new events or activities left blank (numbered on from the highest
    used); an edit keeps the stored ID."""
    rows = [dict(row) for row in rows]
    if kind not in GENERATED_IDS:
        return rows
    column, prefix = GENERATED_IDS[kind]
    number = int(next_id(db, kind).rsplit("-", 1)[1])
    for row in rows:
        if replace is not None:
            row[column] = replace[column]
        elif not str(row.get(column) or "").strip():
            row[column] = f"{prefix}-{number:05d}"
            number += 1
    return rows


def delete_records(
    db: Database, viewer: Viewer, kind: str, keys: Sequence[Mapping[str, Any]]
) -> int:
    """Delete stored rows of a record kind (an event with its attendance); returns the audit
    entry."""
    access.require(viewer, "run_club")
    record_kind(kind)
    if not keys:
        raise Refusal("members.err_nobody_selected")
    with db.transaction() as cur:
        log = ChangeLog(cur)
        for key in keys:
            if log.touch(kind, **key) is None:
                raise Refusal("members.err_record_missing")
            if kind == "activities" and owned_by_contribution(cur, key["activity_id"]):
                raise Refusal("contributions.err_activity_owned", activity=key["activity_id"])
            _delete(cur, log, kind, key)
        return log.record(
            "record_delete",
            actor=viewer.actor,
            kind=kind,
            detail="; ".join(" / ".join(map(str, k.values())) for k in keys),
        )


def list_records(
    db: Database, viewer: Viewer, kind: str, *, person_id: str | None = None
) -> pd.DataFrame:
    """Stored rows of a record kind, latest first (at most LIST_LIMIT), only one person's
    when `person_id` is given and the kind names people; with the person's name after their
    ID and, for attendance, the event's date and title."""
    access.require(viewer, "run_club")
    spec = record_kind(kind)
    params: dict[str, Any] = {"limit": LIST_LIMIT}
    select, joins, where = ["r.*"], [], ""
    if "person_id" in spec.names:
        select.append("p.name")
        joins.append("LEFT JOIN people p ON p.person_id = r.person_id")
        if person_id is not None:
            where, params["person"] = "WHERE r.person_id = $person", person_id
    if kind == "attendance":
        select.append("e.date, e.title")
        joins.append("LEFT JOIN events e ON e.event_id = r.event_id")
    found = db.df(
        f"SELECT {', '.join(select)} FROM {kind} r {' '.join(joins)} {where} "
        f"ORDER BY {LIST_ORDER[kind]} LIMIT $limit",
        params,
    )
    if "name" not in found:
        return found
    columns = list(found.columns)
    columns.remove("name")
    columns.insert(columns.index("person_id") + 1, "name")
    return found[columns]


def skill_names(db: Database) -> dict[str, str]:
    """Each skill id with its name in the taxonomy (the id when it has none)."""
    return dict(db.rows("SELECT skill_id, coalesce(name, skill_id) FROM skills"))


def interview_choices(db: Database, viewer: Viewer) -> pd.DataFrame:
    """Interviews a finding can be recorded for, latest first: interview_id, conducted_on,
    name of the person interviewed, segment."""
    access.require(viewer, "run_club")
    return db.df(
        "SELECT i.interview_id, i.conducted_on, p.name, i.segment FROM interviews i "
        "LEFT JOIN people p USING (person_id) "
        "ORDER BY i.conducted_on DESC NULLS LAST, i.interview_id DESC"
    )
