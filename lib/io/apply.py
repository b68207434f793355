"""Writing checked rows: typed like their table and merged by key in one statement that touches
only new and changed rows; and the problem and reject tables that go back to the user."""

from __future__ import annotations

import pandas as pd

from lib.io.fileread import RawTable
from lib.io.kinds import Field, Kind
from lib.io.validate import Validated

SHOWN_VALUE = 120


def typed(spec: Kind, frame: pd.DataFrame) -> pd.DataFrame:
    """Staging columns with types DuckDB reads unambiguously (NULL, not NaN)."""
    out = {}
    for name in frame.columns:
        kind = spec.field(name).type
        column = frame[name].where(frame[name].notna(), None)
        if kind in ("date", "month"):
            out[name] = pd.to_datetime(column).dt.date.astype(object).where(column.notna(), None)
        elif kind == "int":
            out[name] = pd.array(column.tolist(), dtype="Int64")
        elif kind == "float":
            out[name] = pd.array(column.tolist(), dtype="Float64")
        elif kind == "bool":
            out[name] = pd.array(column.tolist(), dtype="boolean")
        else:
            out[name] = column.astype(object)
    return pd.DataFrame(out)


CHANGE_COLUMNS = ["key", "field", "before", "after"]


def upsert(cur, spec: Kind, good: pd.DataFrame) -> tuple[int, int, pd.DataFrame]:
    """Insert new keys and update changed rows inside the caller's transaction; rows equal to
    what is stored are left alone. Returns (inserted, updated, changes): one row per changed
    field of an updated row, with its value before and after.

    The MERGE reports how many rows it inserted or changed; the new keys are counted just
    before it in the same transaction, so the split is exact. (`RETURNING merge_action` would
    give it too, but fetching returned rows from stored tables costs DuckDB seconds per
    ten thousand rows, where the MERGE itself takes milliseconds.)"""
    columns = list(good.columns)
    _stage(cur, spec, typed(spec, good), columns)
    inserted = cur.execute(
        f"SELECT count(*) FROM import_stage AS s WHERE NOT EXISTS "
        f"(SELECT 1 FROM {spec.table} AS t WHERE {_key_match(spec)})"
    ).fetchone()[0]
    changes = changed_fields(cur, spec, columns)
    written = cur.execute(merge_sql(spec, columns)).fetchone()[0]
    cur.execute("DROP TABLE import_stage")
    return int(inserted), int(written - inserted), changes


def changed_fields(cur, spec: Kind, columns: list[str]) -> pd.DataFrame:
    """Every field the staged rows would change in stored rows: key (its parts joined by
    ` | `), field, before and after as text; by key, then in the kind's field order."""
    values = [c for c in columns if c not in spec.key]
    if not values:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    key = " || ' | ' || ".join(f"coalesce(CAST(s.\"{k}\" AS VARCHAR), '')" for k in spec.key)
    parts = [
        f"SELECT {key} AS key, {order} AS position, '{name}' AS field, "
        f"{_as_text(spec.field(name), 't')} AS before, {_as_text(spec.field(name), 's')} AS after "
        f"FROM import_stage AS s JOIN {spec.table} AS t ON {_key_match(spec)} "
        f"WHERE {_differs(spec.field(name))}"
        for order, name in enumerate(values)
    ]
    union = " UNION ALL ".join(parts)
    return cur.execute(f"SELECT * EXCLUDE (position) FROM ({union}) ORDER BY key, position").df()


def _as_text(field: Field, alias: str) -> str:
    column = f'{alias}."{field.name}"'
    if field.type in ("list", "skills"):
        return f"array_to_string({column}, '; ')"
    return f"CAST({column} AS VARCHAR)"


def _names(columns: list[str], prefix: str = "") -> str:
    return ", ".join(f'{prefix}"{c}"' for c in columns)


def _key_match(spec: Kind) -> str:
    return " AND ".join(f't."{k}" = s."{k}"' for k in spec.key)


def merge_sql(spec: Kind, columns: list[str]) -> str:
    """MERGE of the staged rows into the kind's table, by key. Only a row whose values differ
    is updated, so the count it reports is of inserted and changed rows alone."""
    values = [c for c in columns if c not in spec.key]
    update = ""
    if values:
        changed = " OR ".join(_differs(spec.field(c)) for c in values)
        assignments = ", ".join(f'"{c}" = s."{c}"' for c in values)
        update = f"WHEN MATCHED AND ({changed}) THEN UPDATE SET {assignments} "
    return (
        f"MERGE INTO {spec.table} AS t USING import_stage AS s ON {_key_match(spec)} {update}"
        f"WHEN NOT MATCHED THEN INSERT ({_names(columns)}) VALUES ({_names(columns, 's.')})"
    )


def _differs(field: Field) -> str:
    """SQL that is true when the staged value differs; an empty list equals a blank cell."""
    staged, stored = f's."{field.name}"', f't."{field.name}"'
    if field.type in ("list", "skills"):
        staged = f"coalesce({staged}, []::VARCHAR[])"
        stored = f"coalesce({stored}, []::VARCHAR[])"
    return f"{staged} IS DISTINCT FROM {stored}"


def _stage(cur, spec: Kind, frame: pd.DataFrame, columns: list[str]) -> None:
    """The good rows in a temporary table typed like the target table."""
    cur.execute(
        f"CREATE TEMP TABLE import_stage AS SELECT {_names(columns)} FROM {spec.table} LIMIT 0"
    )
    cur.register("import_rows", frame)
    try:
        cur.execute(
            f"INSERT INTO import_stage ({_names(columns)}) SELECT {_names(columns)} "
            "FROM import_rows"
        )
    finally:
        cur.unregister("import_rows")


def problem_frame(checked: Validated, raw: RawTable) -> pd.DataFrame:
    """Every problem: the file's row number, the column, the value as shown, the reason."""
    return pd.DataFrame(
        [
            (raw.rows[pos], column, _shown(value), reason)
            for pos, column, value, reason in checked.problems
        ],
        columns=["row", "column", "value", "reason"],
    )


def _shown(value: object) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= SHOWN_VALUE else text[:SHOWN_VALUE] + "…"


def reject_frame(checked: Validated, raw: RawTable) -> pd.DataFrame:
    """The bad rows exactly as in the file, with their row number and every reason."""
    reasons: dict[int, list[str]] = {}
    for pos, column, _, reason in checked.problems:
        reasons.setdefault(pos, []).append(f"{column}: {reason}")
    positions = sorted(reasons)
    frame = raw.frame.iloc[positions].reset_index(drop=True)
    frame.insert(0, "row", [raw.rows[p] for p in positions])
    frame["reason"] = ["; ".join(reasons[p]) for p in positions]
    return frame
