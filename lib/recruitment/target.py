"""The target profile: the skills the club must cover, their priority weights, and the editor
curators change it with, checked row by row and saved with an audit row (SPEC.md §1, §2 Gap).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lib.access import Viewer, require
from lib.errors import Problems, Refusal
from lib.formatting import is_blank
from lib.settings import current_settings
from lib.store.db import Database
from lib.vocabulary import Priority, values

NO_DEPARTMENT = "—"
EDITOR_COLUMNS = ("skill", "min_people", "min_level", "priority", "rationale")
REQUIRED_COLUMNS = EDITOR_COLUMNS[:4]
MAX_MIN_PEOPLE = 1000
MAX_RATIONALE = 1000


# -- the target profile -------------------------------------------------------------------
def target_skills(db: Database) -> pd.DataFrame:
    """The target profile with skill names: one row per skill the club must cover, musts
    first."""
    return db.df(
        """
        SELECT t.skill_id, coalesce(s.name, t.skill_id) AS skill,
               coalesce(s.category, $no_category) AS category, t.min_people, t.min_level,
               t.priority, t.rationale
        FROM target_profile t LEFT JOIN skills s USING (skill_id)
        ORDER BY list_position($priorities, t.priority), skill
        """,
        {"no_category": NO_DEPARTMENT, "priorities": list(values(Priority))},
    )


def priority_weights(db: Database) -> dict[str, float]:
    """The weight of each priority in the weighted gap (setting `priority_weights`)."""
    return {k: float(v) for k, v in current_settings(db)["priority_weights"].items()}


def with_gaps(frame: pd.DataFrame, weights: dict[str, float], coverage: str) -> pd.DataFrame:
    """Add gap = max(0, min_people − coverage) and its priority-weighted score."""
    out = frame.copy()
    out["gap"] = (out["min_people"] - out[coverage]).clip(lower=0).astype(int)
    out["weight"] = out["priority"].map(weights).fillna(0.0).astype(float)
    out["weighted_gap"] = out["gap"] * out["weight"]
    return out


# -- the editor -------------------------------------------------------------------------------
def target_profile_table(db: Database) -> pd.DataFrame:
    """The target profile as curators edit it: skill names, not ids."""
    return target_skills(db)[list(EDITOR_COLUMNS)].reset_index(drop=True)


def skill_choices(db: Database) -> list[str]:
    """Skill names the editor offers."""
    return [r[0] for r in db.rows("SELECT name FROM skills ORDER BY name")]


def _skill_lookup(db: Database) -> dict[str, set[str]]:
    """Lower-cased skill id, name and alias → the skill ids they may mean."""
    lookup: dict[str, set[str]] = {}
    for skill_id, name, aliases in db.rows("SELECT skill_id, name, aliases FROM skills"):
        for key in [skill_id, name, *(aliases or [])]:
            if key:
                lookup.setdefault(str(key).strip().lower(), set()).add(skill_id)
    return lookup


def _whole(value: Any, low: int, high: int) -> int | None:
    """A whole number within [low, high], or None when it is not one."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if np.isnan(number) or number != int(number) or not low <= number <= high:
        return None
    return int(number)


def _row_skill(
    record: dict, row: int, lookup: dict[str, set[str]], seen: dict[str, int]
) -> str | Refusal:
    """The skill id a row names, or why it names none (or one already listed)."""
    skill = record.get("skill")
    if is_blank(skill):
        return Refusal("gaps.err_row_no_skill", row=row)
    ids = lookup.get(str(skill).strip().lower(), set())
    if not ids:
        return Refusal("gaps.err_row_unknown_skill", row=row, skill=str(skill))
    if len(ids) > 1:
        return Refusal("gaps.err_row_ambiguous_skill", row=row, skill=str(skill))
    skill_id = next(iter(ids))
    if skill_id in seen:
        return Refusal("gaps.err_row_duplicate", row=row, skill=str(skill), first=seen[skill_id])
    return skill_id


def _row_values(record: dict, row: int) -> tuple[dict[str, Any], list[Refusal]]:
    """A row's seats, level, priority and rationale, with what is wrong with them."""
    priority = "" if is_blank(record.get("priority")) else str(record["priority"]).strip().lower()
    rationale = None if is_blank(record.get("rationale")) else str(record["rationale"]).strip()
    checked = {
        "min_people": _whole(record.get("min_people"), 1, MAX_MIN_PEOPLE),
        "min_level": _whole(record.get("min_level"), 1, 5),
        "priority": priority,
        "rationale": rationale,
    }
    problems = []
    if checked["min_people"] is None:
        problems.append(Refusal("gaps.err_row_min_people", row=row, high=MAX_MIN_PEOPLE))
    if checked["min_level"] is None:
        problems.append(Refusal("gaps.err_row_min_level", row=row))
    if priority not in values(Priority):
        problems.append(
            Refusal("gaps.err_row_priority", row=row, choices=", ".join(values(Priority)))
        )
    if rationale and len(rationale) > MAX_RATIONALE:
        problems.append(Refusal("gaps.err_row_rationale", row=row, limit=MAX_RATIONALE))
    return checked, problems


def validate_target_profile(db: Database, frame: pd.DataFrame) -> pd.DataFrame:
    """Check an edited target profile and return it keyed by skill_id; every problem is named
    in one refusal, rows counted from 1, blank rows skipped."""
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise Refusal("gaps.err_target_columns", columns=", ".join(missing))
    lookup = _skill_lookup(db)
    problems: list[Refusal] = []
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for number, record in enumerate(frame.to_dict("records"), start=1):
        if all(is_blank(record.get(c)) for c in EDITOR_COLUMNS):
            continue
        skill_id = _row_skill(record, number, lookup, seen)
        if isinstance(skill_id, Refusal):
            problems.append(skill_id)
            continue
        seen[skill_id] = number
        checked, found = _row_values(record, number)
        problems += found
        rows.append({"skill_id": skill_id, **checked})
    if problems:
        raise Problems(problems, "gaps.err_target_profile")
    if not rows:
        raise Refusal("gaps.err_target_empty")
    return pd.DataFrame(rows)


def _change_counts(db: Database, clean: pd.DataFrame) -> tuple[int, int, int]:
    """How many skills the edited profile inserts, changes and deletes."""
    old = db.df(
        "SELECT skill_id, min_people, min_level, priority, rationale FROM target_profile"
    ).set_index("skill_id")
    inserted = int((~clean["skill_id"].isin(old.index)).sum())
    updated = 0
    for record in clean[clean["skill_id"].isin(old.index)].to_dict("records"):
        prior = old.loc[record["skill_id"]]
        updated += any(
            record[c] != (None if pd.isna(prior[c]) else prior[c])
            for c in ("min_people", "min_level", "priority", "rationale")
        )
    deleted = int((~old.index.isin(clean["skill_id"])).sum())
    return inserted, updated, deleted


def save_target_profile(db: Database, viewer: Viewer | None, frame: pd.DataFrame) -> dict:
    """Replace the target profile with an edited one (curators and admins), in one transaction
    with an audit_log row; returns the inserted, updated and deleted counts."""
    require(viewer, "edit_target_profile")
    clean = validate_target_profile(db, frame)
    inserted, updated, deleted = _change_counts(db, clean)
    with db.transaction() as cur:
        cur.execute("DELETE FROM target_profile")
        cur.executemany(
            "INSERT INTO target_profile (skill_id, min_people, min_level, priority, rationale) "
            "VALUES ($skill_id, $min_people, $min_level, $priority, $rationale)",
            clean.to_dict("records"),
        )
        db.audit(
            "target_profile",
            actor=viewer.actor,
            kind="target_profile",
            detail=f"{len(clean)} skills; {deleted} removed",
            inserted=inserted,
            updated=updated,
            cur=cur,
        )
    return {"inserted": inserted, "updated": updated, "deleted": deleted, "skills": len(clean)}
