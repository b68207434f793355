"""Every workbench change audited with its rows before and after, and undone from them.

A write opens a `ChangeLog` inside its transaction and `touch`es each row (table and key) before
changing it; `record` reads those rows again and writes one audit_log row whose `before` and
`after` hold them as JSON lists of {"table", "key", "row"} (row null = no such row). `undo` puts
the before rows back when the rows still read as that entry's after, and refuses with a sentence
when anything changed them since.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import duckdb
import pandas as pd

from lib import access
from lib.access import Viewer
from lib.errors import Refusal
from lib.store.db import Database

# The tables workbench actions change: only these may be named in a change or an undo.
TRACKED_TABLES = frozenset(
    {
        "memberships",
        "membership_events",
        "checklist_runs",
        "onboarding_ticks",
        "offboarding_ticks",
        "check_ins",
        "person_skills",
        "claim_rejections",
        "recognitions",
        "attendance",
        "events",
        "activities",
        "interview_findings",
        "contributions",
        "skill_proposals",
    }
)
# What undoing an action needs when it is not `run_club`.
UNDO_PERMISSIONS = {"member_invite": "invite_candidates"}
UNDO_ACTION = "undo"

Cursor = duckdb.DuckDBPyConnection


def plain(value: Any) -> Any:
    """A stored value as JSON holds it: days and times in ISO form, lists item by item."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def _table(table: str) -> str:
    """A tracked table's name for SQL; anything else is a programming error."""
    if table not in TRACKED_TABLES:
        raise KeyError(table)
    return f'"{table}"'


_columns: dict[str, list[tuple[str, str]]] = {}
_keys: dict[str, tuple[str, ...]] = {}


def columns(cur: Cursor, table: str) -> list[tuple[str, str]]:
    """(name, type) of each column of a tracked table, in table order."""
    if table not in _columns:
        _table(table)
        _columns[table] = cur.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'main' AND table_name = $table ORDER BY ordinal_position",
            {"table": table},
        ).fetchall()
    return _columns[table]


def key_columns(cur: Cursor, table: str) -> tuple[str, ...]:
    """The primary key columns of a tracked table."""
    if table not in _keys:
        _table(table)
        found = cur.execute(
            "SELECT constraint_column_names FROM duckdb_constraints() "
            "WHERE table_name = $table AND constraint_type = 'PRIMARY KEY'",
            {"table": table},
        ).fetchone()
        _keys[table] = tuple(found[0])
    return _keys[table]


def _where(key: dict[str, Any]) -> str:
    return " AND ".join(f'"{column}" = $k_{column}' for column in key)


def _key_params(key: dict[str, Any]) -> dict[str, Any]:
    return {f"k_{column}": value for column, value in key.items()}


def read_row(cur: Cursor, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
    """The row of `table` with this primary key, as plain values, or None."""
    cur.execute(f"SELECT * FROM {_table(table)} WHERE {_where(key)}", _key_params(key))
    found = cur.fetchone()
    if found is None:
        return None
    names = [d[0] for d in cur.description]
    return {name: plain(value) for name, value in zip(names, found, strict=True)}


def delete_row(cur: Cursor, table: str, key: dict[str, Any]) -> None:
    cur.execute(f"DELETE FROM {_table(table)} WHERE {_where(key)}", _key_params(key))


def insert_row(cur: Cursor, table: str, row: dict[str, Any]) -> None:
    """Write a row read by `read_row` back, each value cast to its column's type."""
    typed = [(name, kind) for name, kind in columns(cur, table) if name in row]
    names = ", ".join(f'"{name}"' for name, _ in typed)
    values = ", ".join(f"CAST(${i} AS {kind})" for i, (_, kind) in enumerate(typed, start=1))
    cur.execute(
        f"INSERT INTO {_table(table)} ({names}) VALUES ({values})",
        [row[name] for name, _ in typed],
    )


class ChangeLog:
    """The rows one action touches, read before it changes them and again when it is recorded."""

    def __init__(self, cur: Cursor):
        self.cur = cur
        self._before: dict[tuple[str, str], dict[str, Any]] = {}

    def touch(self, table: str, **key: Any) -> dict[str, Any] | None:
        """Remember a row before it changes (first touch wins); returns it as it is now."""
        key = {column: plain(value) for column, value in key.items()}
        ident = (table, json.dumps(key, sort_keys=True))
        if ident not in self._before:
            self._before[ident] = {
                "table": table,
                "key": key,
                "row": read_row(self.cur, table, key),
            }
        return self._before[ident]["row"]

    def touch_where(self, table: str, condition: str, params: dict[str, Any]) -> list[dict]:
        """Touch every row matching a condition (named parameters); returns those rows."""
        keys = key_columns(self.cur, table)
        found = self.cur.execute(
            f"SELECT {', '.join(keys)} FROM {_table(table)} WHERE {condition}", params
        ).fetchall()
        return [self.touch(table, **dict(zip(keys, values, strict=True))) for values in found]

    def changes(self) -> tuple[list[dict], list[dict]]:
        """The touched rows that changed: their before and after states, in touch order."""
        before, after = [], []
        for item in self._before.values():
            now = read_row(self.cur, item["table"], item["key"])
            if now != item["row"]:
                before.append(item)
                after.append({**item, "row": now})
        return before, after

    def record(
        self, action: str, *, actor: str | None, kind: str | None = None, detail: str | None = None
    ) -> int:
        """Write the audit row of this action with its before and after rows; returns its id.
        An action that changed nothing is refused (the transaction rolls back)."""
        before, after = self.changes()
        if not before:
            raise Refusal("members.err_nothing_changed")
        inserted = sum(1 for b, a in zip(before, after, strict=True) if b["row"] is None)
        updated = sum(1 for b, a in zip(before, after, strict=True) if b["row"] and a["row"])
        return self.cur.execute(
            "INSERT INTO audit_log (actor, action, kind, detail, inserted, updated, before, after) "
            "VALUES ($actor, $action, $kind, $detail, $inserted, $updated, $before, $after) "
            "RETURNING entry_id",
            {
                "actor": actor,
                "action": action,
                "kind": kind,
                "detail": detail,
                "inserted": inserted,
                "updated": updated,
                "before": json.dumps(before, ensure_ascii=False),
                "after": json.dumps(after, ensure_ascii=False),
            },
        ).fetchone()[0]


def undo(db: Database, viewer: Viewer, entry_id: int) -> int:
    """Reverse exactly the change of one audit entry (one's own): every row it touched goes back
    to how it was before, provided it still reads as that entry left it. Returns the id of the
    audit entry of the undo."""
    found = db.rows(
        "SELECT action, actor, before, after FROM audit_log WHERE entry_id = $entry_id",
        {"entry_id": int(entry_id)},
    )
    if not found or found[0][2] is None:
        raise Refusal("members.err_undo_unknown", entry=int(entry_id))
    action, actor, before, after = found[0]
    access.require(viewer, UNDO_PERMISSIONS.get(action, "run_club"))
    if actor != viewer.actor:
        raise Refusal("members.err_undo_not_yours", entry=int(entry_id), actor=actor or "—")
    pairs = list(zip(json.loads(before), json.loads(after), strict=True))
    with db.transaction() as cur:
        log = ChangeLog(cur)
        for was, left in reversed(pairs):
            if log.touch(left["table"], **left["key"]) != left["row"]:
                raise Refusal("members.err_undo_changed", entry=int(entry_id))
            delete_row(cur, left["table"], left["key"])
            if was["row"] is not None:
                insert_row(cur, was["table"], was["row"])
        return log.record(UNDO_ACTION, actor=viewer.actor, kind=action, detail=f"#{entry_id}")


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "—"
    return str(value)


def describe(rows: str | None, other: str | None) -> str | None:
    """One audit column (`before` or `after`) in words: per changed row its table, key and the
    fields that differ from the other column ("memberships P1: status=candidate"); a row that
    did not exist reads "—"."""
    if not isinstance(rows, str) or not isinstance(other, str):
        return None
    parts = []
    for mine, theirs in zip(json.loads(rows), json.loads(other), strict=True):
        key = "/".join(_shown(v) for v in mine["key"].values())
        label = f"{mine['table']} {key}"
        if mine["row"] is None:
            parts.append(f"{label}: —")
            continue
        fields = [
            f"{name}={_shown(value)}"
            for name, value in mine["row"].items()
            if theirs["row"] is None or theirs["row"].get(name) != value
        ]
        fields = [f for f in fields if not f.startswith(tuple(f"{k}=" for k in mine["key"]))]
        parts.append(f"{label}: {', '.join(fields) or '='}")
    return "; ".join(parts)


def readable_changes(log: pd.DataFrame) -> pd.DataFrame:
    """An audit log frame with its `before` and `after` JSON written as the fields that changed."""
    if "before" not in log:
        return log
    return log.assign(
        before=[describe(b, a) for b, a in zip(log["before"], log["after"], strict=True)],
        after=[describe(a, b) for b, a in zip(log["before"], log["after"], strict=True)],
    )


def workbench_entries(db: Database, viewer: Viewer, limit: int = 100) -> pd.DataFrame:
    """The latest audit entries that carry their rows before and after (workbench changes and
    their undos), newest first: entry_id, logged_at, actor, action, kind, detail."""
    access.require(viewer, "edit_data")
    return db.df(
        "SELECT entry_id, logged_at, actor, action, kind, detail FROM audit_log "
        "WHERE before IS NOT NULL ORDER BY entry_id DESC LIMIT $limit",
        {"limit": int(limit)},
    )


def entry_changes(db: Database, viewer: Viewer, entry_id: int) -> pd.DataFrame:
    """What one audit entry changed, a field per line: table, key, field, before, after (None
    on the side where the row did not exist)."""
    access.require(viewer, "edit_data")
    found = db.rows(
        "SELECT before, after FROM audit_log WHERE entry_id = $entry AND before IS NOT NULL",
        {"entry": int(entry_id)},
    )
    columns = ["table", "key", "field", "before", "after"]
    if not found:
        return pd.DataFrame(columns=columns)
    lines = []
    for was, now in zip(*(json.loads(side) for side in found[0]), strict=True):
        key = "/".join(_shown(v) for v in was["key"].values())
        old, new = was["row"] or {}, now["row"] or {}
        for name in dict.fromkeys([*old, *new]):
            if name in was["key"] or old.get(name) == new.get(name):
                continue
            before = _shown(old.get(name)) if was["row"] is not None else None
            after = _shown(new.get(name)) if now["row"] is not None else None
            lines.append([was["table"], key, name, before, after])
    return pd.DataFrame(lines, columns=columns)
