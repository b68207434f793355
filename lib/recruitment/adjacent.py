"""Adjacent skills to grow: for gaps no candidate in the pool can close, the members best placed
to grow into them, from the skills that go with the missing one in the club (SPEC.md §2)."""

from __future__ import annotations

import pandas as pd

from lib.expertise.counts import skill_cooccurrence
from lib.expertise.holders import skill_claims
from lib.filters import Filters
from lib.recruitment.coverage import coverage_by_skill
from lib.recruitment.pool import pool_supply
from lib.recruitment.target import NO_DEPARTMENT
from lib.store.db import Database

VIA_SKILLS = 3
ADJACENT_COLUMNS = [
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
    coverage = coverage_by_skill(db, filters)
    supply = pool_supply(db, filters, min_hours=min_hours, include_alumni=include_alumni)
    gaps = coverage[(coverage["gap"] > 0) & (coverage["skill_id"].map(supply) == 0)]
    if gaps.empty:
        return pd.DataFrame(columns=ADJACENT_COLUMNS)
    claims = _member_claims(db, filters)
    by_pair, linked = _cooccurrence_links(db, filters, claims, gaps)
    by_category = _category_links(claims, gaps[~gaps["skill_id"].isin(linked)])
    links = _below_target(pd.concat([by_pair, by_category], ignore_index=True), claims, gaps)
    if links.empty:
        return pd.DataFrame(columns=ADJACENT_COLUMNS)
    return _best_per_gap(links, claims, gaps, per_skill)


def _member_claims(db: Database, filters: Filters) -> pd.DataFrame:
    """Active members' best claims, names and departments filled in."""
    claims = skill_claims(db, filters)[
        ["person_id", "name", "department", "skill_id", "skill", "category", "level"]
    ]
    return claims.assign(
        name=claims["name"].fillna(claims["person_id"]),
        department=claims["department"].fillna(NO_DEPARTMENT),
    )


def _cooccurrence_links(
    db: Database, filters: Filters, claims: pd.DataFrame, gaps: pd.DataFrame
) -> tuple[pd.DataFrame, pd.Series]:
    """(gap skill, member, skill they hold, P(gap | that skill)) for skills held together with
    a gap skill in the club, and the gap skills that have such neighbours."""
    pairs = skill_cooccurrence(db, filters, min_level=1)
    edges = pd.concat(
        [
            pairs.rename(columns={"skill_a": "target", "skill_b": "neighbour"}),
            pairs.rename(columns={"skill_b": "target", "skill_a": "neighbour"}),
        ]
    )
    edges = edges[edges["target"].isin(gaps["skill_id"])].copy()
    holders = claims.groupby("skill_id")["person_id"].nunique()
    neighbour_holders = edges["neighbour"].map(holders).astype(float).clip(lower=1)
    edges["weight"] = edges["weight"] / neighbour_holders
    by_pair = edges.merge(
        claims.rename(columns={"skill_id": "neighbour", "skill": "via_skill"}), on="neighbour"
    )[["target", "person_id", "via_skill", "weight"]]
    return by_pair.assign(basis="cooccurrence"), edges["target"]


def _category_links(claims: pd.DataFrame, gaps: pd.DataFrame) -> pd.DataFrame:
    """(gap skill, member, skill they hold in its category, their level) for gap skills that
    no member's skills go with."""
    by_category = gaps[["skill_id", "category"]].merge(claims, on="category")
    by_category = by_category[by_category["skill_id_x"] != by_category["skill_id_y"]]
    by_category = by_category.rename(
        columns={"skill_id_x": "target", "skill": "via_skill", "level": "weight"}
    )[["target", "person_id", "via_skill", "weight"]]
    return by_category.assign(basis="category")


def _below_target(links: pd.DataFrame, claims: pd.DataFrame, gaps: pd.DataFrame) -> pd.DataFrame:
    """Links of members who do not already hold the gap skill at its required level, with
    their current level in it."""
    min_level = gaps.set_index("skill_id")["min_level"]
    level_in = claims.set_index(["person_id", "skill_id"])["level"]
    links = links.assign(
        current_level=[
            int(level_in.get(pair, 0))
            for pair in zip(links["person_id"], links["target"], strict=True)
        ]
    )
    return links[links["current_level"] < links["target"].map(min_level)]


def _best_per_gap(
    links: pd.DataFrame, claims: pd.DataFrame, gaps: pd.DataFrame, per_skill: int
) -> pd.DataFrame:
    """Each member's score per gap skill, the best `per_skill` members of each gap."""
    links = links.sort_values(["weight", "via_skill"], ascending=[False, True])
    scored = (
        links.groupby(["target", "person_id", "basis"], sort=False)
        .agg(
            score=("weight", "sum"),
            via=("via_skill", lambda s: list(s)[:VIA_SKILLS]),
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
    return out[ADJACENT_COLUMNS].reset_index(drop=True)
