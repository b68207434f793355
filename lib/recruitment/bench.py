"""The bench: how a second wave fills its remaining places once no candidate closes an open gap.

A planner who asks for K names gets K names whenever the pool holds K eligible people. After
the gap-closing picks, each further place goes to the eligible candidate with the highest bench
score (SPEC.md §2 Second-wave shortlist):

    2 × priority weight of open target skills held one level below the need (growth into a gap)
  + 1 × rare skills they bring: held at level ≥ 3 by at most one active member of the whole
        club and by nobody picked for the wave so far (each counts once per wave)
  + 0.5 × club events attended as a guest in the last twelve months (up to 4)
  + 0.05 × hours available in the latest month

with the department cap held. Ties go to more hours, then the person id.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from lib.filters import Filters
from lib.recruitment.pool import UNIQUE_MIN_LEVEL, PoolRules
from lib.recruitment.target import NO_DEPARTMENT
from lib.store.db import Database, named_sql

NEAR_GAP_WEIGHT = 2.0
RARE_WEIGHT = 1.0
EVENT_WEIGHT = 0.5
EVENTS_COUNTED = 4
HOUR_WEIGHT = 0.05


def bench_signals(
    db: Database,
    filters: Filters,
    rules: PoolRules,
    open_gaps: pd.DataFrame,
    taken: Sequence[str],
) -> pd.DataFrame:
    """The eligible candidates not yet taken, with their near-gap skills, rare skills, events
    attended and hours (`open_gaps`: skill_id, min_level, weight of the gaps still open)."""
    return db.df(
        named_sql("bench_signals"),
        {
            "as_of": filters.as_of,
            "no_department": NO_DEPARTMENT,
            "min_hours": float(rules.min_hours),
            "include_alumni": bool(rules.include_alumni),
            "departments": list(filters.departments),
            "excluded": list(rules.excluded),
            "taken": list(taken),
            "gap_skills": open_gaps["skill_id"].astype(str).tolist(),
            "gap_levels": open_gaps["min_level"].astype(int).tolist(),
            "gap_weights": open_gaps["weight"].astype(float).tolist(),
            "unique_min_level": UNIQUE_MIN_LEVEL,
        },
    )


def _base_score(signals: pd.DataFrame) -> np.ndarray:
    """Every term of the bench score except the rare skills, which count once per wave."""
    return (
        NEAR_GAP_WEIGHT * signals["near_weight"].to_numpy(dtype=float)
        + EVENT_WEIGHT * np.minimum(signals["events"].to_numpy(dtype=float), EVENTS_COUNTED)
        + HOUR_WEIGHT * signals["hours_available"].to_numpy(dtype=float)
    )


def choose_bench(
    signals: pd.DataFrame,
    *,
    places: int,
    cap: int | None,
    per_department: dict[str, int],
    brought: set[str] | None = None,
) -> pd.DataFrame:
    """Up to `places` candidates by bench score, rare skills counted once across the wave (the
    skills `brought` by the picks already made count as brought) and at most `cap` people per
    department (counting the picks already made)."""
    columns = [*signals.columns, "bench_score", "rare_new"]
    if signals.empty or places <= 0:
        return pd.DataFrame(columns=columns)
    ordered = signals.sort_values(
        ["hours_available", "person_id"], ascending=[False, True]
    ).reset_index(drop=True)
    base = _base_score(ordered)
    rare = [list(skills) for skills in ordered["rare_skills"]]
    departments = ordered["department"].to_numpy(dtype=str)
    counts = dict(per_department)
    brought = set(brought or ())
    open_rows = np.ones(len(ordered), dtype=bool)
    chosen, scores, new_rare = [], [], []
    while len(chosen) < places:
        if cap:
            full = np.array([counts.get(d, 0) >= cap for d in departments])
            open_rows &= ~full
        if not open_rows.any():
            break
        fresh = [[s for s in skills if s not in brought] for skills in rare]
        score = base + RARE_WEIGHT * np.array([len(f) for f in fresh], dtype=float)
        score = np.where(open_rows, score, -np.inf)
        best = int(np.argmax(score))  # first of equals: more hours, then the id
        chosen.append(best)
        scores.append(round(float(score[best]), 4))
        new_rare.append(fresh[best])
        brought.update(fresh[best])
        open_rows[best] = False
        counts[departments[best]] = counts.get(departments[best], 0) + 1
    out = ordered.iloc[chosen].copy()
    out["bench_score"] = scores
    out["rare_new"] = new_rare
    return out.reset_index(drop=True)[columns]


def shortfall(eligible_left: int, picked: int, size: int, cap: int | None) -> str | None:
    """Why a wave has fewer than `size` names: the pool ran out, or the department cap left
    nobody who may still be added; None when it is full."""
    if picked >= size:
        return None
    return "cap" if cap and eligible_left > 0 else "pool"
