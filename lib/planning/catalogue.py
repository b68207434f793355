"""The catalogue of mechanics (onboarding day, buddy, … offboarding conversation) in
`plan_mechanics`: costs, curator hours, the goals each serves with a strength 0-1, the target
group rule and a default expected effect. Curators edit it; every save is audited."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from lib import access, i18n
from lib.access import Viewer
from lib.errors import Problems, Refusal, Term
from lib.formatting import is_blank
from lib.planning.cells import number_within
from lib.store.db import Database
from lib.vocabulary import EventKind, RecognitionKind, values

GOALS = (
    "revive_dormant",
    "onboarding_conversion",
    "skill_growth",
    "external_visibility",
    "retention",
)
TARGET_RULES = (
    "newcomers",
    "dormant_with_capacity",
    "at_risk",
    "not_recognised",
    "sole_holders",
    "with_capacity",
    "active_members",
    "paused",
)
# What a mechanic's effect can be measured by in the club's history.
EVIDENCE = tuple(
    [f"recognition:{k}" for k in values(RecognitionKind)]
    + [f"event:{k}" for k in values(EventKind)]
)
MAX_COST = 1e9
MAX_HOURS = 10_000.0
MAX_EFFECT = 100.0
MAX_NAME = 200
MAX_PEOPLE = 100_000
CATALOGUE_COLUMNS = (
    "mechanic_id",
    "name",
    "active",
    "target_rule",
    "max_people",
    "fixed_cost",
    "cost_per_person",
    "fixed_hours",
    "hours_per_person",
    "default_effect",
    "evidence",
    *GOALS,
)
COST_COLUMNS = ("fixed_cost", "cost_per_person", "fixed_hours", "hours_per_person")
_MONEY_COLUMNS = ("fixed_cost", "cost_per_person")


def catalogue(db: Database) -> pd.DataFrame:
    """Every mechanic of the catalogue, in its order."""
    return db.df(
        f"SELECT mechanic_id, position, seeded, {', '.join(CATALOGUE_COLUMNS[1:])}, "
        "changed_at, changed_by FROM plan_mechanics ORDER BY position, mechanic_id"
    )


def mechanic_name(mechanic_id: str, name: Any, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """A curator's own name for a mechanic, else the catalogue's name in the reader's language."""
    if isinstance(name, str) and name.strip():
        return name.strip()
    key = f"plan.mechanic_{mechanic_id}"
    text = i18n.t(key, lang)
    return mechanic_id if text == key else text


def rule_name(rule: str, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    return i18n.t(f"plan.rule_{rule}", lang)


def goal_name(goal: str, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    return i18n.t(f"plan.goal_{goal}", lang)


def catalogue_table(db: Database, lang: str = i18n.DEFAULT_LANGUAGE) -> pd.DataFrame:
    """The catalogue as curators edit it: names in the reader's language."""
    frame = catalogue(db)
    frame["name"] = [
        mechanic_name(m, n, lang) for m, n in zip(frame["mechanic_id"], frame["name"], strict=True)
    ]
    return frame[list(CATALOGUE_COLUMNS)].reset_index(drop=True)


def evidence_list(value: Any) -> list[str]:
    """A mechanic's evidence cell ('event:offsite,recognition:award') as a list."""
    if is_blank(value):
        return []
    return [part.strip() for part in str(value).split(",") if part.strip()]


def _seeded_names(mechanic_id: str) -> set[str]:
    return {mechanic_name(mechanic_id, None, lang).lower() for lang in i18n.LANGUAGES}


def _clean_name(row: int, record: dict, mechanic_id: str, seeded: bool) -> tuple[Any, list]:
    """A curator's name for the mechanic, None for a seeded mechanic's own name (so it stays
    translated)."""
    name = None if is_blank(record.get("name")) else str(record["name"]).strip()
    if seeded and name and name.lower() in _seeded_names(mechanic_id):
        name = None
    problems = []
    if not seeded and not name:
        problems.append(Refusal("plan.err_row_needs_name", row=row))
    if name and len(name) > MAX_NAME:
        problems.append(Refusal("plan.err_row_name_long", row=row, limit=MAX_NAME))
    return name, problems


def _clean_amounts(row: int, record: dict) -> tuple[dict[str, Any], list[Refusal]]:
    """The group size limit, costs, hours and default effect of one edited row."""
    clean: dict[str, Any] = {}
    problems = []
    if is_blank(record.get("max_people")):
        clean["max_people"] = None
    else:
        people = number_within(record.get("max_people"), 1, MAX_PEOPLE)
        if people is None or people != int(people):
            problems.append(Refusal("plan.err_row_group_size", row=row))
        clean["max_people"] = None if people is None else int(people)
    for column in COST_COLUMNS:
        high = MAX_COST if column in _MONEY_COLUMNS else MAX_HOURS
        cell = record.get(column)
        value = 0.0 if is_blank(cell) else number_within(cell, 0, high)
        if value is None:
            field = Term(f"plan.field_{column}")
            problems.append(Refusal("plan.err_row_amount", row=row, field=field, high=int(high)))
        clean[column] = value
    effect = number_within(record.get("default_effect"), -MAX_EFFECT, MAX_EFFECT)
    if effect is None:
        problems.append(Refusal("plan.err_row_default_effect", row=row, limit=int(MAX_EFFECT)))
    clean["default_effect"] = effect
    return clean, problems


def _clean_goals(row: int, record: dict) -> tuple[dict[str, Any], list[Refusal]]:
    """The evidence and goal strengths of one edited row."""
    problems = []
    evidence = evidence_list(record.get("evidence"))
    unknown = [e for e in evidence if e not in EVIDENCE]
    if unknown:
        problems.append(
            Refusal(
                "plan.err_row_unknown_evidence",
                row=row,
                unknown=", ".join(unknown),
                known=", ".join(EVIDENCE),
            )
        )
    clean: dict[str, Any] = {"evidence": ",".join(evidence) or None}
    for goal in GOALS:
        strength = 0.0 if is_blank(record.get(goal)) else number_within(record.get(goal), 0, 1)
        if strength is None:
            goal_term = Term(f"plan.goal_{goal}")
            problems.append(Refusal("plan.err_row_goal_strength", row=row, goal=goal_term))
        clean[goal] = strength
    return clean, problems


def _clean_row(
    row: int, record: dict, mechanic_id: str, seeded: bool
) -> tuple[dict[str, Any], list[Refusal]]:
    """One edited mechanic as it will be stored, and what is wrong with it."""
    name, problems = _clean_name(row, record, mechanic_id, seeded)
    rule = record.get("target_rule")
    if rule not in TARGET_RULES:
        problems.append(Refusal("plan.err_row_target_rule", row=row, rules=", ".join(TARGET_RULES)))
    active = True if is_blank(record.get("active")) else bool(record["active"])
    clean = {"mechanic_id": mechanic_id, "name": name, "seeded": seeded, "target_rule": rule}
    amounts, amount_problems = _clean_amounts(row, record)
    goals, goal_problems = _clean_goals(row, record)
    return clean | {"active": active} | amounts | goals, problems + amount_problems + goal_problems


def validate_catalogue(existing: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """Check an edited catalogue against the stored one and return the rows to store; every
    problem is refused at once (`Problems`), rows counted from 1."""
    missing = [c for c in CATALOGUE_COLUMNS[1:] if c not in frame.columns]
    if missing:
        raise Refusal("plan.err_catalogue_columns", columns=", ".join(missing))
    if "mechanic_id" not in frame.columns:
        frame = frame.assign(mechanic_id=None)
    stored = existing.set_index("mechanic_id")
    problems: list[Refusal] = []
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    next_custom = 1 + max(
        [int(m[7:]) for m in stored.index if re.fullmatch(r"custom_\d+", m)] or [0]
    )
    for row, record in enumerate(frame.to_dict("records"), start=1):
        if all(is_blank(record.get(c)) for c in CATALOGUE_COLUMNS if c != "active"):
            continue
        mechanic_id = record.get("mechanic_id")
        if is_blank(mechanic_id):
            mechanic_id = f"custom_{next_custom}"
            next_custom += 1
        elif mechanic_id not in stored.index:
            problems.append(Refusal("plan.err_row_unknown_mechanic", row=row, mechanic=mechanic_id))
            continue
        if mechanic_id in seen:
            problems.append(Refusal("plan.err_row_listed_twice", row=row, mechanic=mechanic_id))
            continue
        seen.add(mechanic_id)
        seeded = bool(stored.loc[mechanic_id, "seeded"]) if mechanic_id in stored.index else False
        clean, found = _clean_row(row, record, mechanic_id, seeded)
        problems += found
        rows.append(clean)
    problems += [
        Refusal("plan.err_seeded_removed", mechanic=m)
        for m in stored.index
        if m not in seen and bool(stored.loc[m, "seeded"])
    ]
    if problems:
        raise Problems(problems)
    return pd.DataFrame(rows)


def _changes(old: pd.DataFrame, clean: pd.DataFrame) -> tuple[int, int, int]:
    """How many mechanics an edit inserts, updates and deletes."""
    compared = ["name", "active", "target_rule", "max_people", *COST_COLUMNS, "default_effect"]
    compared += ["evidence", *GOALS]
    inserted = updated = 0
    for record in clean.to_dict("records"):
        if record["mechanic_id"] not in old.index:
            inserted += 1
            continue
        prior = old.loc[record["mechanic_id"]]
        updated += any(
            not (is_blank(record[c]) and is_blank(prior[c])) and record[c] != prior[c]
            for c in compared
        )
    deleted = int((~old.index.isin(clean["mechanic_id"])).sum())
    return inserted, updated, deleted


def save_catalogue(db: Database, viewer: Viewer | None, frame: pd.DataFrame) -> dict[str, int]:
    """Replace the catalogue with an edited one (curators and admins), in one transaction with
    an audit_log row; returns the inserted, updated and deleted counts."""
    access.require(viewer, "edit_plan")
    existing = catalogue(db)
    clean = validate_catalogue(existing, frame)
    inserted, updated, deleted = _changes(existing.set_index("mechanic_id"), clean)
    positions = {
        m: int(p) for m, p in zip(existing["mechanic_id"], existing["position"], strict=True)
    }
    columns = ["mechanic_id", "position", "seeded", *CATALOGUE_COLUMNS[1:], "changed_by"]
    rows = []
    last = max(positions.values(), default=0)
    for record in clean.to_dict("records"):
        if record["mechanic_id"] not in positions:
            last += 1
            positions[record["mechanic_id"]] = last
        record["position"] = positions[record["mechanic_id"]]
        record["changed_by"] = viewer.actor
        if not is_blank(record["max_people"]):
            record["max_people"] = int(record["max_people"])
        rows.append({c: None if is_blank(record[c]) else record[c] for c in columns})
    with db.transaction() as cur:
        cur.execute("DELETE FROM plan_mechanics")
        cur.executemany(
            f"INSERT INTO plan_mechanics ({', '.join(columns)}) "
            f"VALUES ({', '.join('$' + c for c in columns)})",
            rows,
        )
        db.audit(
            "plan_catalogue",
            actor=viewer.actor,
            kind="plan_mechanics",
            detail=f"{len(clean)} mechanics; {deleted} removed",
            inserted=inserted,
            updated=updated,
            cur=cur,
        )
    return {"inserted": inserted, "updated": updated, "deleted": deleted, "mechanics": len(clean)}
