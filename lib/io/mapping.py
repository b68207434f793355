"""Column mapping: which field each column of a file holds — chosen by the user, remembered from
their last import of the kind, or guessed from the column's name."""

from __future__ import annotations

import json

from rapidfuzz import fuzz, process

from lib.errors import Refusal
from lib.io.fileread import RawTable
from lib.io.kinds import ID_HEADERS, Kind, header_key, synonyms
from lib.store.db import Database

Mapping = dict[str, str | None]


def guess_field(kind: Kind, column: str, taken: set[str]) -> str | None:
    """The field a source column most likely holds: its name, a synonym, or a close match."""
    key = header_key(column)
    free = [name for name in kind.names if name not in taken]
    for name in free:
        if key == header_key(name):
            return name
    for name in free:
        if key in {header_key(s) for s in synonyms(kind.name, name)}:
            return name
    if key in {header_key(h) for h in ID_HEADERS} and kind.key[0] in free:
        return kind.key[0]
    spellings = {header_key(s): name for name in free for s in (name, *synonyms(kind.name, name))}
    match = process.extractOne(key, list(spellings), scorer=fuzz.ratio, score_cutoff=88)
    return spellings[match[0]] if match else None


def propose_mapping(
    kind: Kind,
    columns: list[str],
    *,
    explicit: Mapping | None = None,
    remembered: dict[str, str] | None = None,
) -> Mapping:
    """Source column → field (None = ignored): explicit choices first, then the user's last
    mapping for this kind, then guesses from the column names."""
    explicit = dict(explicit or {})
    _check_explicit(kind, columns, explicit)
    mapping: Mapping = {c: explicit[c] for c in columns if c in explicit}
    taken = {f for f in mapping.values() if f}
    for column, target in (remembered or {}).items():
        usable = column in columns and column not in mapping and target in kind.names
        if usable and target not in taken:
            mapping[column] = target
            taken.add(target)
    for column in columns:
        if column not in mapping:
            mapping[column] = guess_field(kind, column, taken)
            if mapping[column]:
                taken.add(mapping[column])
    return {c: mapping[c] for c in columns}


def _check_explicit(kind: Kind, columns: list[str], explicit: Mapping) -> None:
    """A user's mapping names columns of the file and fields of the kind."""
    for column, target in explicit.items():
        if column not in columns:
            raise Refusal("data.err_map_column", column=column, columns=", ".join(columns))
        if target is not None and target not in kind.names:
            raise Refusal(
                "data.err_map_field", field=target, kind=kind.name, fields=", ".join(kind.names)
            )


def parse_map_option(text: str | list[str] | None) -> Mapping:
    """`"EmployeeNumber=person_id,Department=department"` → mapping; `=ignore` drops a column."""
    parts = text if isinstance(text, list) else [text or ""]
    mapping: Mapping = {}
    for part in parts:
        for item in (p for p in part.split(",") if p.strip()):
            if "=" not in item:
                raise Refusal("data.err_map_syntax", item=item.strip())
            source, target = item.rsplit("=", 1)
            target = target.strip()
            mapping[source.strip()] = None if target.lower() in {"", "ignore", "-"} else target
    return mapping


def check_mapping(kind: Kind, raw: RawTable, mapping: Mapping) -> None:
    """Every required field mapped once; a lone column hints at the wrong delimiter."""
    targets = [f for f in mapping.values() if f]
    repeated = sorted({f for f in targets if targets.count(f) > 1})
    if repeated:
        raise Refusal("data.err_map_twice", fields=", ".join(repeated))
    missing = [f for f in kind.required if f not in targets]
    if not missing:
        return
    if len(raw.columns) == 1:
        raise Refusal("data.err_one_column", column=raw.columns[0][:80])
    raise Refusal(
        "data.err_missing_columns", fields=", ".join(missing), columns=", ".join(raw.columns)
    )


def remembered_mapping(db: Database, kind: str, actor: str) -> dict[str, str]:
    """The mapping this user last imported this kind with."""
    found = db.scalar(
        "SELECT mapping FROM import_mappings WHERE kind = $kind AND actor = $actor",
        {"kind": kind, "actor": actor},
    )
    return json.loads(found) if found else {}


def remember_mapping(cur, kind: str, actor: str, mapping: Mapping) -> None:
    """Keep this user's mapping for the kind, inside the import's transaction (untouched
    when it is the one already kept)."""
    params = {"kind": kind, "actor": actor}
    text = json.dumps(mapping, ensure_ascii=False)
    stored = cur.execute(
        "SELECT mapping FROM import_mappings WHERE kind = $kind AND actor = $actor", params
    ).fetchone()
    if stored and stored[0] == text:
        return
    cur.execute("DELETE FROM import_mappings WHERE kind = $kind AND actor = $actor", params)
    cur.execute(
        "INSERT INTO import_mappings (kind, actor, mapping) VALUES ($kind, $actor, $mapping)",
        {**params, "mapping": text},
    )
