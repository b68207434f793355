"""Value normalisation: the distinct values of an import's categorical columns (department,
team, location, grade, category, segment, and every closed choice such as kind or status)
against the values already stored, with a proposed match for each new one — the same text in
another case, the other alphabet, a known Russian/English pair, an abbreviation or a typo.

The curator decides per value: map it to another value, keep it as a new value, or reject the
rows that carry it. Decisions are remembered per kind and field (table `value_mappings`) and
applied on the next import; a decision only ever changes incoming cells, never stored rows.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz, process

from lib import spelling
from lib.errors import Refusal
from lib.i18n import t
from lib.io.fileread import RawTable
from lib.io.kinds import Field, Kind, header_key
from lib.io.validate import CONTROL, MAX_LENGTH, choice_labels
from lib.store.db import Database
from lib.vocabulary import ValueDecision, values

CATEGORICAL_TEXT = frozenset({"department", "team", "location", "grade", "category", "segment"})
PAIRS_FILE = Path(__file__).with_name("value_pairs.csv")
TYPO_CUTOFF = 85.0
DECISIONS = values(ValueDecision)
REVIEW_COLUMNS = [
    "field",
    "column",
    "value",
    "rows",
    "known",
    "proposed",
    "reason",
    "decision",
    "mapped_to",
]


@dataclass(frozen=True)
class Decision:
    """What to do with one incoming value: map it (to `mapped_to`), keep it, or reject it."""

    decision: str
    mapped_to: str | None = None


# (field, value as in the file) -> decision
Decisions = dict[tuple[str, str], Decision]


def is_categorical(field: Field) -> bool:
    return field.type == "choice" or field.name in CATEGORICAL_TEXT


def categorical_columns(kind: Kind, mapping: dict[str, str | None]) -> list[tuple[str, Field]]:
    """(source column, field) for every mapped categorical field, in the file's order."""
    return [(c, kind.field(f)) for c, f in mapping.items() if f and is_categorical(kind.field(f))]


@cache
def known_pairs() -> dict[str, set[str]]:
    """Folded spelling → its folded translations, from the Russian/English pairs file."""
    pairs: dict[str, set[str]] = {}
    lines = PAIRS_FILE.read_text(encoding="utf-8").splitlines()
    for row in csv.DictReader(line for line in lines if not line.startswith("#")):
        ru, en = spelling.fold(row["ru"]), spelling.fold(row["en"])
        pairs.setdefault(ru, set()).add(en)
        pairs.setdefault(en, set()).add(ru)
    return pairs


def initials(text: str) -> str:
    """The first letters of a name of several words ("Human Resources" → "hr")."""
    words = [w for w in spelling.WORD.findall(spelling.fold(text)) if w not in {"and", "и", "&"}]
    return "".join(w[0] for w in words) if len(words) > 1 else ""


def propose(value: str, stored: list[str]) -> tuple[str | None, str | None]:
    """The stored value an incoming one most likely means, and why: case, pair, script,
    abbreviation or typo; (None, None) when nothing is close."""
    folded = spelling.fold(value)
    by_fold = {spelling.fold(s): s for s in stored}
    if folded in by_fold:
        return by_fold[folded], "case"
    for other in sorted(known_pairs().get(folded, ())):
        if other in by_fold:
            return by_fold[other], "pair"
    by_key = {spelling.sound_key(s): s for s in stored}
    if spelling.sound_key(value) in by_key:
        return by_key[spelling.sound_key(value)], "script"
    for s in stored:
        if folded == initials(s) or spelling.fold(s) == initials(value):
            return s, "abbreviation"
    match = process.extractOne(folded, list(by_fold), scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF)
    if match:
        return by_fold[match[0]], "typo"
    return None, None


def _propose_choice(value: str, field: Field) -> tuple[str | None, str | None]:
    spellings = choice_labels(field)
    match = process.extractOne(header_key(value), list(spellings), scorer=fuzz.WRatio)
    if match and match[1] >= 70:
        return spellings[match[0]], "typo"
    return None, None


def stored_values(db: Database, kind: Kind, field: Field) -> list[str]:
    """The values a field already holds: its choices, or the distinct stored texts."""
    if field.type == "choice":
        return list(field.choices)
    rows = db.rows(
        f'SELECT DISTINCT "{field.name}" FROM {kind.table} '
        f'WHERE "{field.name}" IS NOT NULL ORDER BY 1'
    )
    return [r[0] for r in rows]


def value_review(
    db: Database,
    kind: Kind,
    raw: RawTable,
    mapping: dict[str, str | None],
    decisions: Decisions | None = None,
) -> pd.DataFrame:
    """Every distinct value of the mapped categorical columns: how many rows carry it,
    whether it is already known, the proposed match and the decision in force (explicit or
    remembered; else map when a match is proposed, keep a new text, reject an unknown
    choice). Columns: REVIEW_COLUMNS."""
    decisions = {**remembered_decisions(db, kind.name), **(decisions or {})}
    rows = []
    for column, field in categorical_columns(kind, mapping):
        cells = raw.frame[column].fillna("").astype(str).str.strip()
        counts = cells[cells != ""].value_counts(sort=False)
        stored = stored_values(db, kind, field)
        spellings = choice_labels(field) if field.type == "choice" else {}
        for value, count in counts.items():
            known = value in stored or header_key(value) in spellings
            proposed, reason = (None, None)
            if not known:
                choice = field.type == "choice"
                proposed, reason = (_propose_choice if choice else propose)(
                    value, field if choice else stored
                )
            chosen = decisions.get((field.name, value))
            if chosen:
                decision, target, reason = chosen.decision, chosen.mapped_to, "remembered"
            elif known:
                decision, target = ValueDecision.KEEP.value, None
            elif proposed:
                decision, target = ValueDecision.MAP.value, proposed
            else:
                no_text = field.type == "choice"
                decision = (ValueDecision.REJECT if no_text else ValueDecision.KEEP).value
                target = None
            rows.append(
                (field.name, column, value, int(count), known, proposed, reason, decision, target)
            )
    frame = pd.DataFrame(rows, columns=REVIEW_COLUMNS)
    for column in ("proposed", "reason", "mapped_to"):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    order = ["known", "field", "rows", "value"]
    return frame.sort_values(order, ascending=[True, True, False, True]).reset_index(drop=True)


def decisions_from_review(kind: Kind, review: pd.DataFrame) -> Decisions:
    """The decisions of a reviewed table (as edited by the curator) for the new values: a
    value given to map to means map, none means keep, unless the decision is reject."""
    found: Decisions = {}
    for row in review.itertuples(index=False):
        target = row.mapped_to.strip() if isinstance(row.mapped_to, str) else ""
        decision = row.decision
        if decision != ValueDecision.REJECT:
            decision = (ValueDecision.MAP if target else ValueDecision.KEEP).value
        if row.known and decision == ValueDecision.KEEP:
            continue
        found[(row.field, row.value)] = checked_decision(
            kind, row.field, row.value, decision, target
        )
    return found


def checked_decision(
    kind: Kind, field_name: str, value: str, decision: str, target: str | None
) -> Decision:
    """A decision as given by a person, checked: a categorical field of the kind, a known
    decision, a clean target that a choice field accepts."""
    if field_name not in kind.names or not is_categorical(kind.field(field_name)):
        raise Refusal("data.err_values_field", field=field_name, kind=kind.name)
    decision = (decision or "").strip().lower()
    if decision not in DECISIONS:
        raise Refusal("data.err_values_decision", decision=decision, decisions=", ".join(DECISIONS))
    target = (target or "").strip() or None
    if decision != ValueDecision.MAP:
        return Decision(decision)
    if target is None:
        raise Refusal("data.err_values_target_blank", value=value[:80])
    if CONTROL.search(target) or "\n" in target or len(target) > MAX_LENGTH["text"]:
        raise Refusal("data.err_values_target_bad", value=value[:80])
    field = kind.field(field_name)
    if field.type == "choice":
        choice = choice_labels(field).get(header_key(target))
        if choice is None:
            raise Refusal(
                "data.err_values_choice", target=target[:80], choices=", ".join(field.choices)
            )
        target = choice
    return Decision(decision, target)


def decisions_from_table(kind: Kind, raw: RawTable, mapping: dict[str, str | None]) -> Decisions:
    """Decisions from a values file (columns column, value, mapped_to and optionally
    decision): `column` names a field or a column of the imported file; a blank mapped_to
    keeps the value, a decision column may say reject."""
    columns = {header_key(c): c for c in raw.columns}
    missing = [c for c in ("column", "value", "mappedto") if c not in columns]
    if missing:
        raise Refusal("data.err_values_columns", columns=", ".join(raw.columns))
    fields = {c: f for c, f in mapping.items() if f}
    found: Decisions = {}
    for _, row in raw.frame.fillna("").iterrows():
        name = str(row[columns["column"]]).strip()
        field_name = fields.get(name, name)
        target = str(row[columns["mappedto"]]).strip()
        decision = str(row[columns["decision"]]).strip() if "decision" in columns else ""
        decision = decision or (ValueDecision.MAP if target else ValueDecision.KEEP).value
        value = str(row[columns["value"]]).strip()
        found[(field_name, value)] = checked_decision(kind, field_name, value, decision, target)
    return found


def decide(
    kind: Kind,
    raw: RawTable,
    mapping: dict[str, str | None],
    decisions: Decisions,
    lang: str = "en",
) -> tuple[RawTable, list[tuple[int, str, str, str]]]:
    """The file with mapped values replaced in its categorical columns, and a problem for
    every cell whose value the curator rejected (row position, column, value, reason)."""
    if not decisions:
        return raw, []
    frame = raw.frame.copy()
    problems = []
    reason = t("data.problem_value_rejected", lang)
    for column, field in categorical_columns(kind, mapping):
        mine = {v: d for (name, v), d in decisions.items() if name == field.name}
        if not mine:
            continue
        cells = frame[column].fillna("").astype(str).str.strip()
        refused = {v for v, d in mine.items() if d.decision == ValueDecision.REJECT}
        for pos in cells.index[cells.isin(refused)].tolist():
            problems.append((frame.index.get_loc(pos), column, cells[pos], reason))
        targets = {v: d.mapped_to for v, d in mine.items() if d.decision == ValueDecision.MAP}
        frame[column] = frame[column].where(~cells.isin(list(targets)), cells.map(targets))
    return replace(raw, frame=frame), problems


def remembered_decisions(db: Database, kind: str) -> Decisions:
    """The decisions curators made on this kind's values in earlier imports."""
    rows = db.rows(
        "SELECT field, value, decision, mapped_to FROM value_mappings WHERE kind = $kind",
        {"kind": kind},
    )
    return {(f, v): Decision(d, m) for f, v, d, m in rows}


def remember_decisions(cur, kind: str, decisions: Decisions, actor: str) -> None:
    """Keep the decisions for the next import, inside the import's transaction."""
    for (field, value), chosen in decisions.items():
        params = {"kind": kind, "field": field, "value": value}
        stored = cur.execute(
            "SELECT decision, mapped_to FROM value_mappings "
            "WHERE kind = $kind AND field = $field AND value = $value",
            params,
        ).fetchone()
        if stored == (chosen.decision, chosen.mapped_to):
            continue
        cur.execute(
            "DELETE FROM value_mappings WHERE kind = $kind AND field = $field AND value = $value",
            params,
        )
        cur.execute(
            "INSERT INTO value_mappings (kind, field, value, decision, mapped_to, actor) "
            "VALUES ($kind, $field, $value, $decision, $mapped_to, $actor)",
            {**params, "decision": chosen.decision, "mapped_to": chosen.mapped_to, "actor": actor},
        )
