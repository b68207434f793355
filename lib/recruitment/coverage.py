"""Coverage of the target profile: holders at the required level per skill, gaps and their
priority-weighted sum, rolled up by category and department (SPEC.md §2 Coverage, Gap)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lib.expertise.holders import skill_claims
from lib.filters import Filters
from lib.recruitment.target import NO_DEPARTMENT, priority_weights, target_skills, with_gaps
from lib.store.db import Database
from lib.store.shared import per_data_version
from lib.vocabulary import MembershipStatus, Priority, values


@per_data_version
def target_holders(db: Database, filters: Filters) -> pd.DataFrame:
    """Active members holding a target skill at its required level (one row per pair)."""
    claims = skill_claims(db, filters)[["person_id", "name", "department", "skill_id", "level"]]
    targets = target_skills(db)[["skill_id", "category", "min_level"]]
    held = claims.merge(targets, on="skill_id")
    held = held[held["level"] >= held["min_level"]].copy()
    held["name"] = held["name"].fillna(held["person_id"])
    held["department"] = held["department"].fillna(NO_DEPARTMENT)
    return held.reset_index(drop=True)


def active_members(db: Database, filters: Filters) -> pd.DataFrame:
    """Active members who pass the filters: person_id, name, department (blanks filled)."""
    return db.df(
        """
        SELECT person_id, coalesce(name, person_id) AS name,
               coalesce(department, $no_department) AS department
        FROM club_members($statuses, $departments, $waves)
        ORDER BY name, person_id
        """,
        {"no_department": NO_DEPARTMENT, **filters.member_params((MembershipStatus.ACTIVE,))},
    )


@per_data_version
def coverage_by_skill(db: Database, filters: Filters) -> pd.DataFrame:
    """Per target skill: holders at the required level (coverage), gap and weighted gap.

    Columns: skill_id, skill, category, priority, min_level, min_people, coverage, gap, weight,
    weighted_gap, holders (names), rationale; largest weighted gap first.
    """
    targets = target_skills(db)
    held = target_holders(db, filters)
    coverage = held.groupby("skill_id")["person_id"].nunique()
    names = held.sort_values("name").groupby("skill_id")["name"].agg(list)
    frame = targets.assign(coverage=targets["skill_id"].map(coverage).fillna(0).astype(int))
    frame = with_gaps(frame, priority_weights(db), "coverage")
    frame["holders"] = [names.get(s, []) for s in frame["skill_id"]]
    frame["rank"] = frame["priority"].map({p: i for i, p in enumerate(values(Priority))}).fillna(3)
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


def gaps_by_department(db: Database, filters: Filters) -> pd.DataFrame:
    """Roll-up by department: members, target seats they fill, skills only they hold, and how
    much the weighted gap would grow if the department's members were gone."""
    coverage = coverage_by_skill(db, filters).set_index("skill_id")
    held = target_holders(db, filters)
    members = active_members(db, filters).groupby("department")["person_id"].nunique()
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
    held = target_holders(db, filters)
    per_category = targets.groupby("category")["skill_id"].nunique()
    departments = sorted(set(active_members(db, filters)["department"]))
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
