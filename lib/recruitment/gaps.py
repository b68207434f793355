"""Recruitment gaps: coverage of the target profile, bus-factor risks, what-if leaves, the
second-wave shortlist and adjacent skills to grow (SPEC.md §2).

Set arithmetic over claims runs in DuckDB SQL; the greedy shortlist runs on a compact sparse
candidate × skill structure in numpy, so a pool of 100,000 employees stays interactive.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from lib.access import Viewer, can, can_open, require
from lib.expertise.holders import skill_claims
from lib.filters import Filters
from lib.io.reports import report
from lib.settings import current_settings
from lib.store.db import Database

PRIORITIES = ("must", "should", "could")
CURRENT_STATUSES = ("candidate", "onboarding", "active", "paused")
OVERLOAD_PCT = 95.0
UNIQUE_MIN_LEVEL = 3
UNIQUE_BONUS = 0.25
MAX_SHORTLIST = 200
NO_DEPARTMENT = "—"


# -- the target profile -------------------------------------------------------------------
def target_skills(db: Database) -> pd.DataFrame:
    """The target profile with skill names: one row per skill the club must cover."""
    return db.df(
        """
        SELECT t.skill_id, coalesce(s.name, t.skill_id) AS skill,
               coalesce(s.category, ?) AS category, t.min_people, t.min_level, t.priority,
               t.rationale
        FROM target_profile t LEFT JOIN skills s USING (skill_id)
        ORDER BY CASE t.priority WHEN 'must' THEN 0 WHEN 'should' THEN 1 ELSE 2 END, skill
        """,
        [NO_DEPARTMENT],
    )


def priority_weights(db: Database) -> dict[str, float]:
    return {k: float(v) for k, v in current_settings(db)["priority_weights"].items()}


def _target_holders(db: Database, filters: Filters) -> pd.DataFrame:
    """Active members holding a target skill at its required level (one row per pair)."""
    claims = skill_claims(db, filters)[["person_id", "name", "department", "skill_id", "level"]]
    targets = target_skills(db)[["skill_id", "category", "min_level"]]
    held = claims.merge(targets, on="skill_id")
    held = held[held["level"] >= held["min_level"]].copy()
    held["name"] = held["name"].fillna(held["person_id"])
    held["department"] = held["department"].fillna(NO_DEPARTMENT)
    return held.reset_index(drop=True)


def _with_gaps(frame: pd.DataFrame, weights: dict[str, float], coverage: str) -> pd.DataFrame:
    """Add gap = max(0, min_people − coverage) and its priority-weighted score."""
    out = frame.copy()
    out["gap"] = (out["min_people"] - out[coverage]).clip(lower=0).astype(int)
    out["weight"] = out["priority"].map(weights).fillna(0.0).astype(float)
    out["weighted_gap"] = out["gap"] * out["weight"]
    return out


# -- coverage against the target ------------------------------------------------------------
def coverage_by_skill(db: Database, filters: Filters) -> pd.DataFrame:
    """Per target skill: holders at the required level (coverage), gap and weighted gap.

    Columns: skill_id, skill, category, priority, min_level, min_people, coverage, gap, weight,
    weighted_gap, holders (names), rationale; largest weighted gap first.
    """
    targets = target_skills(db)
    held = _target_holders(db, filters)
    coverage = held.groupby("skill_id")["person_id"].nunique()
    names = held.sort_values("name").groupby("skill_id")["name"].agg(list)
    frame = targets.assign(coverage=targets["skill_id"].map(coverage).fillna(0).astype(int))
    frame = _with_gaps(frame, priority_weights(db), "coverage")
    frame["holders"] = [names.get(s, []) for s in frame["skill_id"]]
    frame["rank"] = frame["priority"].map({p: i for i, p in enumerate(PRIORITIES)}).fillna(3)
    frame = frame.sort_values(["weighted_gap", "rank", "skill"], ascending=[False, True, True])
    columns = [
        "skill_id",
        "skill",
        "category",
        "priority",
        "min_level",
        "min_people",
        "coverage",
        "gap",
        "weight",
        "weighted_gap",
        "holders",
        "rationale",
    ]
    return frame[columns].reset_index(drop=True)


def gap_summary(coverage: pd.DataFrame) -> dict[str, float]:
    """Headline numbers of a coverage table."""
    return {
        "target_skills": len(coverage),
        "at_target": int((coverage["gap"] == 0).sum()),
        "below_target": int((coverage["gap"] > 0).sum()),
        "uncovered": int((coverage["coverage"] == 0).sum()),
        "single_points": int((coverage["coverage"] == 1).sum()),
        "weighted_gap": float(coverage["weighted_gap"].sum()),
    }


def gaps_by_category(coverage: pd.DataFrame) -> pd.DataFrame:
    """Roll-up by category: required seats, seats filled (capped at the target), gap."""
    frame = coverage.assign(
        filled=np.minimum(coverage["coverage"], coverage["min_people"]),
        below=(coverage["gap"] > 0).astype(int),
    )
    out = (
        frame.groupby("category", dropna=False)
        .agg(
            target_skills=("skill_id", "count"),
            below_target=("below", "sum"),
            required=("min_people", "sum"),
            filled=("filled", "sum"),
            gap=("gap", "sum"),
            weighted_gap=("weighted_gap", "sum"),
        )
        .reset_index()
    )
    out["coverage_share"] = np.where(out["required"] > 0, out["filled"] / out["required"], 1.0)
    return out.sort_values(["weighted_gap", "category"], ascending=[False, True]).reset_index(
        drop=True
    )


def _active_members(db: Database, filters: Filters) -> pd.DataFrame:
    where, params = filters.member_clause()
    return db.df(
        f"""
        SELECT m.person_id, coalesce(p.name, m.person_id) AS name,
               coalesce(p.department, ?) AS department
        FROM memberships m JOIN people p USING (person_id)
        WHERE m.status = 'active' AND {where}
        ORDER BY name, m.person_id
        """,
        [NO_DEPARTMENT, *params],
    )


def gaps_by_department(db: Database, filters: Filters) -> pd.DataFrame:
    """Roll-up by department: members, target seats they fill, skills only they hold, and how
    much the weighted gap would grow if the department's members were gone."""
    coverage = coverage_by_skill(db, filters).set_index("skill_id")
    held = _target_holders(db, filters)
    members = _active_members(db, filters).groupby("department")["person_id"].nunique()
    departments = sorted(set(members.index) | set(held["department"]))
    if not departments:
        return pd.DataFrame(
            columns=[
                "department",
                "members",
                "holdings",
                "skills_covered",
                "sole_holder_skills",
                "weighted_gap_if_absent",
            ]
        )
    per_dept = (
        held.groupby(["department", "skill_id"])["person_id"]
        .nunique()
        .unstack(fill_value=0)
        .reindex(index=departments, columns=coverage.index, fill_value=0)
    )
    before = coverage["coverage"].to_numpy()
    need = coverage["min_people"].to_numpy()
    weight = coverage["weight"].to_numpy()
    after = before[None, :] - per_dept.to_numpy()
    extra_gap = np.clip(need - after, 0, None) - np.clip(need - before, 0, None)
    sole = (per_dept.to_numpy() == before[None, :]) & (before[None, :] == 1)
    return pd.DataFrame(
        {
            "department": departments,
            "members": [int(members.get(d, 0)) for d in departments],
            "holdings": per_dept.sum(axis=1).astype(int).to_numpy(),
            "skills_covered": (per_dept.to_numpy() > 0).sum(axis=1),
            "sole_holder_skills": sole.sum(axis=1),
            "weighted_gap_if_absent": (extra_gap * weight[None, :]).sum(axis=1),
        }
    ).sort_values(
        ["weighted_gap_if_absent", "department"], ascending=[False, True], ignore_index=True
    )


def coverage_heatmap(db: Database, filters: Filters) -> pd.DataFrame:
    """Category × department: the share of the category's target skills that at least one
    active member of the department holds at the required level (a complete grid)."""
    targets = target_skills(db)
    held = _target_holders(db, filters)
    per_category = targets.groupby("category")["skill_id"].nunique()
    departments = sorted(set(_active_members(db, filters)["department"]))
    grid = pd.MultiIndex.from_product(
        [sorted(per_category.index), departments], names=["category", "department"]
    )
    cells = (
        held.groupby(["category", "department"])
        .agg(skills_covered=("skill_id", "nunique"), members=("person_id", "nunique"))
        .reindex(grid, fill_value=0)
        .reset_index()
    )
    cells["target_skills"] = cells["category"].map(per_category).astype(int)
    cells["share"] = cells["skills_covered"] / cells["target_skills"]
    return cells


def single_points(db: Database, filters: Filters) -> pd.DataFrame:
    """Target skills with exactly one holder at the required level (bus factor 1)."""
    coverage = coverage_by_skill(db, filters)
    sole = coverage[coverage["coverage"] == 1]
    held = _target_holders(db, filters)[["skill_id", "person_id", "name", "department"]]
    out = sole.merge(held, on="skill_id").rename(columns={"name": "holder"})
    columns = ["skill_id", "skill", "category", "priority", "min_level", "min_people"]
    return out[[*columns, "person_id", "holder", "department"]].reset_index(drop=True)


# -- members at risk or over capacity -------------------------------------------------------
def at_risk_source() -> str:
    """Where at-risk flags come from: the engagement scoring, or paused status until it exists."""
    try:
        from lib.engagement.scoring import member_scores  # noqa: F401
    except ImportError:
        return "paused"
    return "scoring"


def at_risk_ids(db: Database, filters: Filters) -> set[str]:
    """Members flagged at risk by the engagement scoring (paused members as the fallback)."""
    try:
        from lib.engagement.scoring import member_scores
    except ImportError:
        where, params = filters.member_clause()
        rows = db.rows(
            f"SELECT m.person_id FROM memberships m JOIN people p USING (person_id) "
            f"WHERE m.status = 'paused' AND {where}",
            params,
        )
        return {r[0] for r in rows}
    scores = member_scores(db, filters)
    return set(scores.loc[scores["at_risk"].fillna(False).astype(bool), "person_id"])


def over_capacity_ids(db: Database, filters: Filters) -> set[str]:
    """Active members whose latest month shows load ≥ 95% or fewer community hours than the
    shortlist threshold."""
    where, params = filters.member_clause()
    min_hours = float(current_settings(db)["shortlist_min_hours"])
    rows = db.rows(
        f"""
        WITH latest AS (
            SELECT person_id, arg_max(load_pct, month) AS load_pct,
                   arg_max(hours_available, month) AS hours_available
            FROM capacity WHERE month <= ? GROUP BY person_id
        )
        SELECT m.person_id
        FROM memberships m JOIN people p USING (person_id) JOIN latest l USING (person_id)
        WHERE m.status = 'active' AND {where}
          AND (l.load_pct >= ? OR l.hours_available < ?)
        """,
        [filters.as_of, *params, OVERLOAD_PCT, min_hours],
    )
    return {r[0] for r in rows}


def _may_see_at_risk(viewer: Viewer | None) -> bool:
    """At-risk flags of named people go to the roles that may open the engagement page."""
    return can_open(viewer, "engagement")


def member_flags(db: Database, viewer: Viewer | None, filters: Filters) -> pd.DataFrame:
    """Active members with their at-risk and over-capacity flags, as far as the viewer may see
    them (a flag the viewer may not see is left empty)."""
    members = _active_members(db, filters)
    if _may_see_at_risk(viewer):
        members["at_risk"] = members["person_id"].isin(at_risk_ids(db, filters))
    else:
        members["at_risk"] = pd.NA
    if can(viewer, "see_person_capacity"):
        members["over_capacity"] = members["person_id"].isin(over_capacity_ids(db, filters))
    else:
        members["over_capacity"] = pd.NA
    return members


def fragile_skills(db: Database, viewer: Viewer | None, filters: Filters) -> pd.DataFrame:
    """Covered target skills whose every holder is at risk or over capacity.

    Viewers who may see both flags get the holders and the split; others get the skill only.
    """
    held = _target_holders(db, filters)
    coverage = coverage_by_skill(db, filters)
    risky = at_risk_ids(db, filters)
    loaded = over_capacity_ids(db, filters)
    held = held.assign(at_risk=held["person_id"].isin(risky), loaded=held["person_id"].isin(loaded))
    held["fragile"] = held["at_risk"] | held["loaded"]
    per_skill = held.groupby("skill_id").agg(
        fragile=("fragile", "all"),
        at_risk_holders=("at_risk", "sum"),
        over_capacity_holders=("loaded", "sum"),
    )
    fragile = per_skill[per_skill["fragile"]].index
    out = coverage[coverage["skill_id"].isin(fragile)].copy()
    columns = ["skill_id", "skill", "category", "priority", "min_level", "coverage", "gap"]
    if _may_see_at_risk(viewer) and can(viewer, "see_person_capacity"):
        out["at_risk_holders"] = out["skill_id"].map(per_skill["at_risk_holders"]).astype(int)
        out["over_capacity_holders"] = (
            out["skill_id"].map(per_skill["over_capacity_holders"]).astype(int)
        )
        columns += ["at_risk_holders", "over_capacity_holders", "holders"]
    return out[columns].reset_index(drop=True)


# -- what if members leave --------------------------------------------------------------------
def what_if_leaves(db: Database, filters: Filters, leaving: Iterable[str]) -> pd.DataFrame:
    """Every target skill before and after the chosen members leave the club.

    falls_below marks skills at target today that would be below it afterwards.
    """
    leaving = set(leaving)
    coverage = coverage_by_skill(db, filters)
    held = _target_holders(db, filters)
    gone = held[held["person_id"].isin(leaving)]
    lost = gone.groupby("skill_id")["person_id"].nunique()
    names = gone.sort_values("name").groupby("skill_id")["name"].agg(list)
    out = coverage.rename(
        columns={"coverage": "coverage_before", "gap": "gap_before", "weighted_gap": "wg_before"}
    )
    out["coverage_after"] = out["coverage_before"] - out["skill_id"].map(lost).fillna(0).astype(int)
    after = _with_gaps(out, priority_weights(db), "coverage_after")
    out["gap_after"] = after["gap"]
    out["weighted_gap_before"] = out.pop("wg_before")
    out["weighted_gap_after"] = after["weighted_gap"]
    out["leaving"] = [names.get(s, []) for s in out["skill_id"]]
    out["falls_below"] = (out["gap_before"] == 0) & (out["gap_after"] > 0)
    out["rank"] = out["weighted_gap_after"] - out["weighted_gap_before"]
    out = out.sort_values(["falls_below", "rank", "skill"], ascending=[False, False, True])
    columns = [
        "skill_id",
        "skill",
        "category",
        "priority",
        "min_level",
        "min_people",
        "coverage_before",
        "coverage_after",
        "gap_before",
        "gap_after",
        "weighted_gap_before",
        "weighted_gap_after",
        "leaving",
        "falls_below",
    ]
    return out[columns].reset_index(drop=True)


def what_if_summary(frame: pd.DataFrame) -> dict[str, float]:
    """Headline numbers of a what-if table."""
    losing = frame["coverage_after"] < frame["coverage_before"]
    return {
        "skills_losing_holders": int(losing.sum()),
        "falls_below": int(frame["falls_below"].sum()),
        "lost_entirely": int(((frame["coverage_after"] == 0) & losing).sum()),
        "weighted_gap_before": float(frame["weighted_gap_before"].sum()),
        "weighted_gap_after": float(frame["weighted_gap_after"].sum()),
    }


# -- the second-wave candidate pool ---------------------------------------------------------
@dataclass(frozen=True)
class PoolRules:
    """Who may be proposed: employed non-members with enough community hours."""

    min_hours: float
    include_alumni: bool = False
    pinned: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()


@dataclass
class _Matrix:
    """Candidates × relevant skills as sorted sparse rows (person index, skill index, flags).

    People are ordered by hours available (desc) then id, so argmax breaks ties that way.
    """

    people: np.ndarray
    department: np.ndarray
    hours: np.ndarray
    eligible: np.ndarray
    skills: np.ndarray
    row_person: np.ndarray
    row_skill: np.ndarray
    row_closes: np.ndarray
    row_unique: np.ndarray
    starts: np.ndarray
    pool_size: int

    def rows_of(self, person: int) -> slice:
        return slice(self.starts[person], self.starts[person + 1])


def _candidate_matrix(db: Database, filters: Filters, rules: PoolRules) -> _Matrix:
    """The candidate × skill rows that matter: target skills held at the required level and
    skills no active member holds (at level ≥ 3), for the eligible pool plus pinned people."""
    where, member_params = filters.member_clause("p2", "m2")
    dept_sql = "TRUE"
    dept_params: list[Any] = []
    if filters.departments:
        dept_sql = f"p.department IN ({', '.join('?' for _ in filters.departments)})"
        dept_params = list(filters.departments)
    frame = db.df(
        f"""
        WITH latest AS (
            SELECT person_id, arg_max(hours_available, month) AS hours_available
            FROM capacity WHERE month <= ? GROUP BY person_id
        ),
        pool AS (
            SELECT p.person_id, coalesce(p.department, ?) AS department,
                   coalesce(l.hours_available, 0) AS hours_available,
                   coalesce(l.hours_available >= ? AND {dept_sql}, FALSE) AS eligible
            FROM people p
            LEFT JOIN memberships m USING (person_id)
            LEFT JOIN latest l USING (person_id)
            WHERE p.employed
              AND (m.person_id IS NULL OR (m.status = 'alumni' AND ?))
              AND p.person_id NOT IN (SELECT unnest(?::VARCHAR[]))
        ),
        chosen AS (
            SELECT * FROM pool
            WHERE eligible OR person_id IN (SELECT unnest(?::VARCHAR[]))
        ),
        sized AS (
            SELECT chosen.*, s.pool_size
            FROM chosen, (SELECT count(*) AS pool_size FROM pool WHERE eligible) s
        ),
        club AS (
            SELECT DISTINCT ps.skill_id
            FROM person_skills ps
            JOIN memberships m2 USING (person_id) JOIN people p2 USING (person_id)
            WHERE m2.status = 'active' AND {where}
        ),
        wanted AS (
            SELECT w.skill_id, w.min_level, c.skill_id IS NULL AS unheld
            FROM (
                SELECT skill_id, max(min_level) AS min_level
                FROM (
                    SELECT skill_id, min_level FROM target_profile
                    UNION ALL
                    SELECT skill_id, NULL FROM skills
                )
                GROUP BY skill_id
            ) w
            LEFT JOIN club c USING (skill_id)
            WHERE w.min_level IS NOT NULL OR c.skill_id IS NULL
        ),
        relevant AS (
            SELECT ps.person_id, ps.skill_id,
                   coalesce(max(ps.level) >= any_value(w.min_level), FALSE) AS closes,
                   any_value(w.unheld) AND max(ps.level) >= ? AS unique_skill
            FROM person_skills ps
            JOIN wanted w USING (skill_id)
            SEMI JOIN chosen USING (person_id)
            GROUP BY ps.person_id, ps.skill_id
        )
        SELECT ch.person_id, ch.department, ch.hours_available, ch.eligible, ch.pool_size,
               r.skill_id, r.closes, r.unique_skill
        FROM relevant r JOIN sized ch USING (person_id)
        WHERE r.closes OR r.unique_skill
        UNION ALL
        SELECT person_id, department, hours_available, eligible, pool_size, NULL, FALSE, FALSE
        FROM sized WHERE person_id IN (SELECT unnest(?::VARCHAR[]))
        """,
        [
            filters.as_of,
            NO_DEPARTMENT,
            float(rules.min_hours),
            *dept_params,
            bool(rules.include_alumni),
            list(rules.excluded),
            list(rules.pinned),
            *member_params,
            UNIQUE_MIN_LEVEL,
            list(rules.pinned),
        ],
    )
    pool_size = int(frame["pool_size"].iloc[0]) if len(frame) else _pool_size(db, filters, rules)
    people = (
        frame[["person_id", "department", "hours_available", "eligible"]]
        .drop_duplicates("person_id")
        .sort_values(["hours_available", "person_id"], ascending=[False, True])
    )
    index = pd.Index(people["person_id"])
    rows = frame[frame["skill_id"].notna()]
    skills, skill_codes = np.unique(rows["skill_id"].to_numpy(dtype=str), return_inverse=True)
    person_codes = index.get_indexer(rows["person_id"])
    order = np.argsort(person_codes, kind="stable")
    row_person = person_codes[order]
    return _Matrix(
        people=people["person_id"].to_numpy(dtype=str),
        department=people["department"].to_numpy(dtype=str),
        hours=people["hours_available"].to_numpy(dtype=float),
        eligible=people["eligible"].to_numpy(dtype=bool),
        skills=skills,
        row_person=row_person,
        row_skill=skill_codes.reshape(-1)[order],
        row_closes=rows["closes"].to_numpy(dtype=bool)[order],
        row_unique=rows["unique_skill"].to_numpy(dtype=bool)[order],
        starts=np.searchsorted(row_person, np.arange(len(people) + 1)),
        pool_size=pool_size,
    )


def _pool_size(db: Database, filters: Filters, rules: PoolRules) -> int:
    """Eligible candidates when none holds anything relevant (the matrix query is empty)."""
    dept_sql, params = "TRUE", []
    if filters.departments:
        dept_sql = f"p.department IN ({', '.join('?' for _ in filters.departments)})"
        params = list(filters.departments)
    return int(
        db.scalar(
            f"""
            WITH latest AS (
                SELECT person_id, arg_max(hours_available, month) AS hours_available
                FROM capacity WHERE month <= ? GROUP BY person_id
            )
            SELECT count(*) FROM people p
            LEFT JOIN memberships m USING (person_id) JOIN latest l USING (person_id)
            WHERE p.employed AND (m.person_id IS NULL OR (m.status = 'alumni' AND ?))
              AND l.hours_available >= ? AND {dept_sql}
              AND p.person_id NOT IN (SELECT unnest(?::VARCHAR[]))
            """,
            [
                filters.as_of,
                bool(rules.include_alumni),
                float(rules.min_hours),
                *params,
                list(rules.excluded),
            ],
        )
    )


class _WaveCoverage:
    """Remaining weighted gaps while a wave is assembled: f(S) = Σ_s w_s·min(gap_s, |S ∩ H_s|)
    + bonus·|skills no member holds that S brings|, and each pick's marginal gain."""

    def __init__(self, matrix: _Matrix, coverage: pd.DataFrame, bonus: float):
        self.m = matrix
        targets = coverage.set_index("skill_id")
        ids = pd.Index(matrix.skills)
        self.remaining = np.array(ids.map(targets["gap"]).fillna(0), dtype=float)
        self.weight = np.array(ids.map(targets["weight"]).fillna(0), dtype=float)
        self.unique_open = np.ones(len(ids), dtype=bool)
        self.bonus = float(bonus)

    def _row_values(self, rows: slice | None = None) -> np.ndarray:
        rows = rows or slice(None)
        skill = self.m.row_skill[rows]
        closing = self.m.row_closes[rows] & (self.remaining[skill] > 0)
        adding = self.m.row_unique[rows] & self.unique_open[skill]
        return np.where(closing, self.weight[skill], 0.0) + np.where(adding, self.bonus, 0.0)

    def gains(self) -> np.ndarray:
        """The marginal gain of every candidate given the picks so far."""
        total = np.bincount(
            self.m.row_person, weights=self._row_values(), minlength=len(self.m.people)
        )
        return np.round(total, 9)

    def take(self, person: int) -> tuple[float, np.ndarray, np.ndarray]:
        """Add a person to the wave: their gain, the skills they close and the unique ones."""
        rows = self.m.rows_of(person)
        skill = self.m.row_skill[rows]
        closing = skill[self.m.row_closes[rows] & (self.remaining[skill] > 0)]
        adding = skill[self.m.row_unique[rows] & self.unique_open[skill]]
        gain = float(self.weight[closing].sum() + self.bonus * len(adding))
        self.remaining[closing] -= 1
        self.unique_open[adding] = False
        return gain, closing, adding


@dataclass(frozen=True)
class Shortlist:
    """The greedy second wave, the naive top-K list, coverage after the wave, headline numbers."""

    picks: pd.DataFrame
    naive: pd.DataFrame
    coverage_after: pd.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)


def _check_options(size: int, max_per_department: int | None, rules: PoolRules) -> None:
    if not 1 <= int(size) <= MAX_SHORTLIST:
        raise ValueError(f"The shortlist size must be between 1 and {MAX_SHORTLIST}.")
    if max_per_department is not None and int(max_per_department) < 0:
        raise ValueError("The cap per department cannot be negative.")
    if rules.min_hours < 0:
        raise ValueError("The minimum hours available cannot be negative.")
    both = sorted(set(rules.pinned) & set(rules.excluded))
    if both:
        raise ValueError(f"Pinned and excluded at the same time: {', '.join(both)}.")
    if len(set(rules.pinned)) > int(size):
        raise ValueError(
            f"{len(set(rules.pinned))} people are pinned but the shortlist holds only {size}."
        )


def _ineligible_reasons(db: Database, ids: Sequence[str], include_alumni: bool) -> list[str]:
    """Why each of these pinned people cannot be proposed, in words."""
    found = {
        r[0]: r[1:]
        for r in db.rows(
            "SELECT p.person_id, p.employed, m.status FROM people p "
            "LEFT JOIN memberships m USING (person_id) "
            "WHERE p.person_id IN (SELECT unnest(?::VARCHAR[]))",
            [list(ids)],
        )
    }
    reasons = []
    for pid in ids:
        if pid not in found:
            reasons.append(f"{pid} is not in the employee pool")
        elif not found[pid][0]:
            reasons.append(f"{pid} is not employed")
        elif found[pid][1] == "alumni" and not include_alumni:
            reasons.append(f"{pid} is an alumnus; allow re-inviting alumni to pin them")
        else:
            reasons.append(f"{pid} is already a club member ({found[pid][1]})")
    return reasons


def _greedy(
    matrix: _Matrix,
    coverage: pd.DataFrame,
    *,
    size: int,
    cap: int | None,
    pinned: Sequence[int],
    bonus: float,
) -> tuple[list[tuple[int, float, np.ndarray, np.ndarray, bool]], bool]:
    """Pinned people first, then the best marginal gain until K picks or nothing left to gain."""
    state = _WaveCoverage(matrix, coverage, bonus)
    departments, dept_code = np.unique(matrix.department, return_inverse=True)
    per_dept = np.zeros(len(departments), dtype=int)
    taken = ~matrix.eligible.copy()
    picks = []
    for person in pinned:
        picks.append((person, *state.take(person), True))
        taken[person] = True
        per_dept[dept_code[person]] += 1
    stopped = False
    while len(picks) < size:
        gains = state.gains()
        blocked = taken | (per_dept[dept_code] >= cap) if cap else taken
        gains[blocked] = -1.0
        person = int(np.argmax(gains)) if len(gains) else -1
        if person < 0 or gains[person] <= 0:
            stopped = True
            break
        picks.append((person, *state.take(person), False))
        taken[person] = True
        per_dept[dept_code[person]] += 1
    return picks, stopped


def _naive(
    matrix: _Matrix, coverage: pd.DataFrame, *, size: int, cap: int | None
) -> list[tuple[int, float, np.ndarray, np.ndarray, bool]]:
    """Top K eligible candidates by the number of target skills held at the required level."""
    held = np.bincount(
        matrix.row_person, weights=matrix.row_closes.astype(float), minlength=len(matrix.people)
    )
    order = np.argsort(-held, kind="stable")
    state = _WaveCoverage(matrix, coverage, 0.0)
    counts: dict[str, int] = {}
    chosen = []
    for person in order:
        if len(chosen) >= size or held[person] <= 0:
            break
        dept = matrix.department[person]
        if not matrix.eligible[person] or (cap and counts.get(dept, 0) >= cap):
            continue
        counts[dept] = counts.get(dept, 0) + 1
        chosen.append((int(person), *state.take(int(person)), False))
    return chosen


def _picks_frame(
    db: Database,
    matrix: _Matrix,
    picks: list,
    names: dict[str, str],
    coverage: pd.DataFrame,
) -> pd.DataFrame:
    """One row per pick with its reason; skill lists are names."""
    ids = [matrix.people[p] for p, *_ in picks]
    people = db.df(
        "SELECT person_id, name, position FROM people "
        "WHERE person_id IN (SELECT unnest(?::VARCHAR[]))",
        [ids],
    ).set_index("person_id")
    weight = coverage.set_index("skill_id")["weight"]
    rows = []
    for rank, (person, gain, closing, adding, pinned) in enumerate(picks, start=1):
        pid = matrix.people[person]
        closes = [names[matrix.skills[s]] for s in closing]
        unique = [names[matrix.skills[s]] for s in adding]
        rows.append(
            {
                "rank": rank,
                "person_id": pid,
                "name": people["name"].get(pid) or pid,
                "department": matrix.department[person],
                "position": people["position"].get(pid),
                "hours_available": float(matrix.hours[person]),
                "pinned": pinned,
                "gain": round(gain, 4),
                "gap_closed": float(sum(weight.get(matrix.skills[s], 0.0) for s in closing)),
                "closes": closes,
                "adds_unique": unique,
                "reason": reason_text(closes, unique, pinned),
            }
        )
    columns = [
        "rank",
        "person_id",
        "name",
        "department",
        "position",
        "hours_available",
        "pinned",
        "gain",
        "gap_closed",
        "closes",
        "adds_unique",
        "reason",
    ]
    return pd.DataFrame(rows, columns=columns)


def reason_text(closes: Sequence[str], unique: Sequence[str], pinned: bool = False) -> str:
    """'closes: X, Y; adds unique: Z' — the plain-text reason used in exports and the CLI."""
    parts = ["pinned"] if pinned else []
    if closes:
        parts.append("closes: " + ", ".join(closes))
    if unique:
        parts.append("adds unique: " + ", ".join(unique))
    if not closes and not unique:
        parts.append("closes no open gap")
    return "; ".join(parts)


def _coverage_after(
    matrix: _Matrix, coverage: pd.DataFrame, picks: list, weights: dict[str, float]
) -> pd.DataFrame:
    """Every target skill before and after the wave joins."""
    chosen = np.zeros(len(matrix.people), dtype=bool)
    chosen[[p for p, *_ in picks]] = True
    mask = matrix.row_closes & chosen[matrix.row_person]
    added = pd.Series(matrix.skills[matrix.row_skill[mask]]).value_counts()
    out = coverage.rename(columns={"coverage": "coverage_before", "gap": "gap_before"}).copy()
    out["added"] = out["skill_id"].map(added).fillna(0).astype(int)
    out["coverage_after"] = out["coverage_before"] + out["added"]
    after = _with_gaps(out, weights, "coverage_after")
    out["gap_after"] = after["gap"]
    out["weighted_gap_before"] = out["weighted_gap"]
    out["weighted_gap_after"] = after["weighted_gap"]
    columns = [
        "skill_id",
        "skill",
        "category",
        "priority",
        "min_level",
        "min_people",
        "coverage_before",
        "added",
        "coverage_after",
        "gap_before",
        "gap_after",
        "weighted_gap_before",
        "weighted_gap_after",
    ]
    return out[columns]


def shortlist_second_wave(
    db: Database,
    viewer: Viewer | None,
    filters: Filters,
    *,
    size: int = 20,
    max_per_department: int | None = None,
    min_hours: float | None = None,
    include_alumni: bool = False,
    pinned: Iterable[str] = (),
    excluded: Iterable[str] = (),
    unique_bonus: float = UNIQUE_BONUS,
) -> Shortlist:
    """Choose up to K people for the second wave who close the most priority-weighted gaps.

    Candidates are employed people who are not current members (alumni only when allowed),
    with latest-month hours available ≥ `min_hours` (setting `shortlist_min_hours`). A candidate
    holding a target skill at its required level closes one seat of that skill's remaining
    gap; skills no active member holds earn a small bonus once. This objective is a monotone
    submodular coverage function, so the greedy choice is within (1 − 1/e) of the best set of K;
    with a cap per department (a partition matroid) greedy still guarantees 1/2. Pinned people
    go in first, excluded ones never. Greedy stops early once no candidate adds anything.
    """
    require(viewer, "see_shortlist")
    started = time.perf_counter()
    settings = current_settings(db)
    rules = PoolRules(
        min_hours=float(settings["shortlist_min_hours"] if min_hours is None else min_hours),
        include_alumni=bool(include_alumni),
        pinned=tuple(dict.fromkeys(pinned)),
        excluded=tuple(dict.fromkeys(excluded)),
    )
    cap = int(max_per_department) if max_per_department else None
    _check_options(size, max_per_department, rules)
    size = int(size)
    coverage = coverage_by_skill(db, filters)
    matrix = _candidate_matrix(db, filters, rules)
    positions = pd.Index(matrix.people).get_indexer(list(rules.pinned))
    missing = [pid for pid, at in zip(rules.pinned, positions, strict=True) if at < 0]
    if missing:
        raise ValueError(
            "Cannot pin: " + "; ".join(_ineligible_reasons(db, missing, include_alumni)) + "."
        )
    picks, stopped = _greedy(
        matrix,
        coverage,
        size=size,
        cap=cap,
        pinned=[int(at) for at in positions],
        bonus=unique_bonus,
    )
    naive = _naive(matrix, coverage, size=size, cap=cap)
    names = _skill_names(db, matrix.skills)
    weights = priority_weights(db)
    after = _coverage_after(matrix, coverage, picks, weights)
    naive_after = _coverage_after(matrix, coverage, naive, weights)
    before = float(coverage["weighted_gap"].sum())
    summary = {
        "pool_size": matrix.pool_size,
        "relevant_candidates": int(np.count_nonzero(matrix.eligible)),
        "size": size,
        "picked": len(picks),
        "pinned": len(rules.pinned),
        "stopped_early": stopped,
        "weighted_gap_before": before,
        "weighted_gap_after": float(after["weighted_gap_after"].sum()),
        "gap_closed": before - float(after["weighted_gap_after"].sum()),
        "naive_gap_closed": before - float(naive_after["weighted_gap_after"].sum()),
        "seats_closed": int((after["gap_before"] - after["gap_after"]).sum()),
        "naive_seats_closed": int((naive_after["gap_before"] - naive_after["gap_after"]).sum()),
        "unique_added": int(sum(len(p[3]) for p in picks)),
        "min_hours": rules.min_hours,
        "max_per_department": cap,
        "include_alumni": rules.include_alumni,
    }
    result = Shortlist(
        picks=_for_viewer(_picks_frame(db, matrix, picks, names, coverage), viewer),
        naive=_for_viewer(
            _picks_frame(db, matrix, naive, names, coverage).drop(
                columns=["pinned", "adds_unique"]
            ),
            viewer,
        ),
        coverage_after=after.reset_index(drop=True),
        summary=summary,
    )
    summary["seconds"] = time.perf_counter() - started
    return result


def _for_viewer(frame: pd.DataFrame, viewer: Viewer | None) -> pd.DataFrame:
    """A person's hours available stay with the roles that may see capacity."""
    if can(viewer, "see_person_capacity"):
        return frame
    return frame.drop(columns=["hours_available"])


def _skill_names(db: Database, skill_ids: Sequence[str]) -> dict[str, str]:
    found = dict(
        db.rows(
            "SELECT skill_id, name FROM skills WHERE skill_id IN (SELECT unnest(?::VARCHAR[]))",
            [list(skill_ids)],
        )
    )
    return {sid: found.get(sid) or sid for sid in skill_ids}


def shortlist_candidates(
    db: Database,
    viewer: Viewer | None,
    filters: Filters,
    *,
    min_hours: float | None = None,
    include_alumni: bool = False,
    limit: int = 500,
) -> pd.DataFrame:
    """The eligible candidates worth pinning or excluding: those holding at least one target
    skill at the required level or a skill no member holds, best first."""
    require(viewer, "see_shortlist")
    settings = current_settings(db)
    rules = PoolRules(
        min_hours=float(settings["shortlist_min_hours"] if min_hours is None else min_hours),
        include_alumni=bool(include_alumni),
    )
    matrix = _candidate_matrix(db, filters, rules)
    coverage = coverage_by_skill(db, filters)
    gains = _WaveCoverage(matrix, coverage, UNIQUE_BONUS).gains()
    held = np.bincount(
        matrix.row_person, weights=matrix.row_closes.astype(float), minlength=len(matrix.people)
    )
    order = np.lexsort((np.arange(len(gains)), -gains))[: int(limit)]
    ids = list(matrix.people[order])
    names = db.df(
        "SELECT person_id, name FROM people WHERE person_id IN (SELECT unnest(?::VARCHAR[]))", [ids]
    ).set_index("person_id")["name"]
    frame = pd.DataFrame(
        {
            "person_id": ids,
            "name": [names.get(pid) or pid for pid in ids],
            "department": matrix.department[order],
            "hours_available": matrix.hours[order],
            "target_skills_held": held[order].astype(int),
            "gain": gains[order],
        }
    )
    return _for_viewer(frame, viewer)


def pool_supply(
    db: Database, filters: Filters, *, min_hours: float | None = None, include_alumni=False
) -> pd.Series:
    """Per target skill, how many eligible candidates hold it at the required level."""
    settings = current_settings(db)
    rules = PoolRules(
        min_hours=float(settings["shortlist_min_hours"] if min_hours is None else min_hours),
        include_alumni=bool(include_alumni),
    )
    matrix = _candidate_matrix(db, filters, rules)
    mask = matrix.row_closes & matrix.eligible[matrix.row_person]
    counts = pd.Series(matrix.skills[matrix.row_skill[mask]]).value_counts()
    targets = target_skills(db)["skill_id"]
    return pd.Series(targets.map(counts).fillna(0).astype(int).to_numpy(), index=targets)


# -- adjacent skills ------------------------------------------------------------------------
def adjacent_members(
    db: Database,
    filters: Filters,
    *,
    min_hours: float | None = None,
    include_alumni: bool = False,
    per_skill: int = 3,
) -> pd.DataFrame:
    """For each gap no candidate in the pool can close, the members best placed to grow into
    it. A member scores Σ P(holds the gap skill | holds k) over the skills k they hold, from
    the club's co-occurrence, so skills specific to the gap count more than common ones; for a
    skill nobody in the club holds, the sum of their levels in its category stands in.

    Columns: skill_id, skill, category, priority, gap, person_id, name, department,
    current_level, score, via (skill names), basis ('cooccurrence' or 'category').
    """
    from lib.expertise.graph import skill_cooccurrence

    coverage = coverage_by_skill(db, filters)
    supply = pool_supply(db, filters, min_hours=min_hours, include_alumni=include_alumni)
    gaps = coverage[(coverage["gap"] > 0) & (coverage["skill_id"].map(supply) == 0)]
    columns = [
        "skill_id",
        "skill",
        "category",
        "priority",
        "gap",
        "person_id",
        "name",
        "department",
        "current_level",
        "score",
        "via",
        "basis",
    ]
    if gaps.empty:
        return pd.DataFrame(columns=columns)
    claims = skill_claims(db, filters)[
        ["person_id", "name", "department", "skill_id", "skill", "category", "level"]
    ]
    claims = claims.assign(
        name=claims["name"].fillna(claims["person_id"]),
        department=claims["department"].fillna(NO_DEPARTMENT),
    )
    pairs = skill_cooccurrence(db, filters, min_level=1)
    edges = pd.concat(
        [
            pairs.rename(columns={"skill_a": "target", "skill_b": "neighbour"}),
            pairs.rename(columns={"skill_b": "target", "skill_a": "neighbour"}),
        ]
    )
    edges = edges[edges["target"].isin(gaps["skill_id"])].copy()
    holders = claims.groupby("skill_id")["person_id"].nunique()
    edges["weight"] = edges["weight"] / edges["neighbour"].map(holders).clip(lower=1)
    by_pair = edges.merge(
        claims.rename(columns={"skill_id": "neighbour", "skill": "via_skill"}), on="neighbour"
    )[["target", "person_id", "via_skill", "weight"]]
    by_pair["basis"] = "cooccurrence"
    no_edges = gaps[~gaps["skill_id"].isin(edges["target"])]
    by_category = no_edges[["skill_id", "category"]].merge(claims, on="category")
    by_category = by_category[by_category["skill_id_x"] != by_category["skill_id_y"]]
    by_category = by_category.rename(
        columns={"skill_id_x": "target", "skill": "via_skill", "level": "weight"}
    )[["target", "person_id", "via_skill", "weight"]]
    by_category["basis"] = "category"
    links = pd.concat([by_pair, by_category], ignore_index=True)
    targets = gaps.set_index("skill_id")
    level_in = claims.set_index(["person_id", "skill_id"])["level"]
    links["current_level"] = [
        int(level_in.get(pair, 0)) for pair in zip(links["person_id"], links["target"], strict=True)
    ]
    links = links[links["current_level"] < links["target"].map(targets["min_level"])]
    if links.empty:
        return pd.DataFrame(columns=columns)
    links = links.sort_values(["weight", "via_skill"], ascending=[False, True])
    scored = (
        links.groupby(["target", "person_id", "basis"], sort=False)
        .agg(
            score=("weight", "sum"),
            via=("via_skill", lambda s: list(s)[:3]),
            current_level=("current_level", "first"),
        )
        .reset_index()
        .sort_values(
            ["target", "score", "current_level", "person_id"],
            ascending=[True, False, False, True],
        )
    )
    best = scored.groupby("target", sort=False).head(per_skill)
    people = claims.drop_duplicates("person_id").set_index("person_id")
    best = best.assign(
        name=best["person_id"].map(people["name"]),
        department=best["person_id"].map(people["department"]),
    )
    out = best.merge(
        gaps[["skill_id", "skill", "category", "priority", "gap", "weighted_gap"]],
        left_on="target",
        right_on="skill_id",
    )
    out = out.sort_values(["weighted_gap", "skill", "score"], ascending=[False, True, False])
    out["score"] = out["score"].astype(float)
    return out[columns].reset_index(drop=True)


# -- editing the target profile -------------------------------------------------------------
EDITOR_COLUMNS = ("skill", "min_people", "min_level", "priority", "rationale")


def target_profile_table(db: Database) -> pd.DataFrame:
    """The target profile as curators edit it: skill names, not ids."""
    return target_skills(db)[list(EDITOR_COLUMNS)].reset_index(drop=True)


def skill_choices(db: Database) -> list[str]:
    return [r[0] for r in db.rows("SELECT name FROM skills ORDER BY name")]


def _skill_lookup(db: Database) -> dict[str, set[str]]:
    """Lower-cased skill id, name and alias → the skill ids they may mean."""
    lookup: dict[str, set[str]] = {}
    for skill_id, name, aliases in db.rows("SELECT skill_id, name, aliases FROM skills"):
        for key in [skill_id, name, *(aliases or [])]:
            if key:
                lookup.setdefault(str(key).strip().lower(), set()).add(skill_id)
    return lookup


def _blank(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and np.isnan(value):
        return True
    return not str(value).strip()


def _whole(value: Any, low: int, high: int) -> int | None:
    """A whole number within [low, high], or None when it is not one."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if np.isnan(number) or number != int(number) or not low <= number <= high:
        return None
    return int(number)


def validate_target_profile(db: Database, frame: pd.DataFrame) -> pd.DataFrame:
    """Check an edited target profile and return it keyed by skill_id; every problem is listed
    in one ValueError, row numbers counted from 1."""
    missing = [c for c in EDITOR_COLUMNS[:4] if c not in frame.columns]
    if missing:
        raise ValueError(f"The target profile needs the columns: {', '.join(missing)}.")
    lookup = _skill_lookup(db)
    errors: list[str] = []
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for number, record in enumerate(frame.to_dict("records"), start=1):
        if all(_blank(record.get(c)) for c in EDITOR_COLUMNS):
            continue
        skill = record.get("skill")
        if _blank(skill):
            errors.append(f"Row {number}: choose a skill.")
            continue
        ids = lookup.get(str(skill).strip().lower(), set())
        if not ids:
            errors.append(f"Row {number}: unknown skill '{skill}'.")
            continue
        if len(ids) > 1:
            errors.append(f"Row {number}: '{skill}' matches several skills; use the exact name.")
            continue
        skill_id = next(iter(ids))
        if skill_id in seen:
            errors.append(f"Row {number}: '{skill}' is already listed in row {seen[skill_id]}.")
            continue
        seen[skill_id] = number
        min_people = _whole(record.get("min_people"), 1, 1000)
        min_level = _whole(record.get("min_level"), 1, 5)
        priority = "" if _blank(record.get("priority")) else str(record["priority"]).strip()
        if min_people is None:
            errors.append(f"Row {number}: min people must be a whole number from 1 to 1000.")
        if min_level is None:
            errors.append(f"Row {number}: min level must be a whole number from 1 to 5.")
        if priority.lower() not in PRIORITIES:
            errors.append(f"Row {number}: priority must be one of {', '.join(PRIORITIES)}.")
        rationale = record.get("rationale")
        rationale = None if _blank(rationale) else str(rationale).strip()
        if rationale and len(rationale) > 1000:
            errors.append(f"Row {number}: the rationale is longer than 1,000 characters.")
        rows.append(
            {
                "skill_id": skill_id,
                "min_people": min_people,
                "min_level": min_level,
                "priority": priority.lower(),
                "rationale": rationale,
            }
        )
    if errors:
        shown = errors[:10] + ([f"… and {len(errors) - 10} more."] if len(errors) > 10 else [])
        raise ValueError("\n".join(shown))
    if not rows:
        raise ValueError("The target profile needs at least one skill.")
    return pd.DataFrame(rows)


def save_target_profile(db: Database, viewer: Viewer | None, frame: pd.DataFrame) -> dict:
    """Replace the target profile with an edited one (curators and admins), in one transaction
    with an audit_log row; returns the inserted, updated and deleted counts."""
    require(viewer, "edit_target_profile")
    clean = validate_target_profile(db, frame)
    before = db.df(
        "SELECT skill_id, min_people, min_level, priority, rationale FROM target_profile"
    )
    old = before.set_index("skill_id")
    inserted = int((~clean["skill_id"].isin(old.index)).sum())
    kept = clean[clean["skill_id"].isin(old.index)]
    updated = 0
    for record in kept.to_dict("records"):
        prior = old.loc[record["skill_id"]]
        changed = [
            record[c] != (None if pd.isna(prior[c]) else prior[c])
            for c in ("min_people", "min_level", "priority", "rationale")
        ]
        updated += any(changed)
    deleted = int((~old.index.isin(clean["skill_id"])).sum())
    with db.transaction() as cur:
        cur.execute("DELETE FROM target_profile")
        cur.executemany(
            "INSERT INTO target_profile (skill_id, min_people, min_level, priority, rationale) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                [r["skill_id"], r["min_people"], r["min_level"], r["priority"], r["rationale"]]
                for r in clean.to_dict("records")
            ],
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


# -- command-line reports -------------------------------------------------------------------
def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    """List cells joined with '; ' for tables, CSV and JSON."""
    out = frame.copy()
    for column in out.columns:
        if len(out) and isinstance(out[column].iloc[0], list):
            out[column] = out[column].map("; ".join)
    return out


@report("gaps", "Target skills: holders at the required level, gap and priority-weighted gap")
def gaps_report(db: Database, viewer: Viewer | None, **options: Any) -> pd.DataFrame:
    """The coverage table of the whole club as of today."""
    return _flat(coverage_by_skill(db, Filters()))


@report(
    "shortlist",
    "Second-wave shortlist: K people closing the most weighted gaps (--size, --max-per-department)",
)
def shortlist_report(
    db: Database,
    viewer: Viewer | None,
    size: int = 20,
    max_per_department: int | None = None,
    **options: Any,
) -> pd.DataFrame:
    """The greedy shortlist with each pick's reason and marginal gain."""
    result = shortlist_second_wave(
        db, viewer, Filters(), size=size, max_per_department=max_per_department
    )
    return _flat(result.picks)
