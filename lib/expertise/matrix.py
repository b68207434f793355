"""The person × skill matrix, and the skills and members tables narrowed by a focused skill or
member."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib.errors import Refusal
from lib.expertise.graph import ClubGraph

SKILL_ORDERS = ("category", "rarity")
MEMBER_ORDERS = ("uniqueness", "name")


def skill_neighbours(club: ClubGraph, skill_id: str) -> pd.DataFrame:
    """Skills co-held with `skill_id`, strongest first: skill_id, weight."""
    pairs = club.pairs
    left = pairs[pairs["skill_a"] == skill_id].rename(columns={"skill_b": "other"})
    right = pairs[pairs["skill_b"] == skill_id].rename(columns={"skill_a": "other"})
    both = pd.concat([left[["other", "weight"]], right[["other", "weight"]]])
    both = both.rename(columns={"other": "skill_id"})
    return both.sort_values(["weight", "skill_id"], ascending=[False, True]).reset_index(drop=True)


def narrow(
    club: ClubGraph, *, skill_id: str | None = None, person_id: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The skills and members tables narrowed by a focus: a skill shows who holds it and what
    goes with it; a member shows their skills and the members who share them."""
    skills, members = club.held_skills, club.members
    claims = club.claims
    if skill_id:
        holders = claims[claims["skill_id"] == skill_id][["person_id", "level"]]
        members = holders.merge(members, on="person_id").sort_values(
            ["level", "uniqueness"], ascending=False
        )
        linked = skill_neighbours(club, skill_id)
        order = [skill_id, *linked["skill_id"]]
        skills = skills.set_index("skill_id").reindex(order).dropna(subset=["skill"])
        skills = skills.reset_index().merge(
            linked.rename(columns={"weight": "shared_holders"}), on="skill_id", how="left"
        )
    if person_id:
        own = claims[claims["person_id"] == person_id]
        skills = club.held_skills[club.held_skills["skill_id"].isin(own["skill_id"])]
        shared = claims[claims["skill_id"].isin(own["skill_id"])]
        overlap = shared.groupby("person_id").size().rename("shared_skills").reset_index()
        if not skill_id:
            members = overlap.merge(club.members, on="person_id").sort_values(
                ["shared_skills", "uniqueness"], ascending=False
            )
    return skills.reset_index(drop=True), members.reset_index(drop=True)


def unique_labels(names: pd.Series, ids: pd.Series) -> list[str]:
    """Display names, with the id added where two people share a name."""
    names = names.fillna(ids)
    twice = names.duplicated(keep=False)
    return [f"{n} ({i})" if dup else n for n, i, dup in zip(names, ids, twice, strict=True)]


@dataclass(frozen=True)
class SkillMatrix:
    """A person × skill grid of levels and its long form, with how much was left out."""

    levels: pd.DataFrame
    cells: pd.DataFrame
    members_total: int
    skills_total: int


def skill_matrix(
    club: ClubGraph,
    *,
    skill_order: str = "category",
    member_order: str = "uniqueness",
    skill_id: str | None = None,
    person_id: str | None = None,
    max_members: int = 60,
    max_skills: int = 60,
) -> SkillMatrix:
    """Levels of members (rows) in skills (columns), narrowed by a focus and capped in size.

    The most unique members are kept when capped (a focused member comes first); of their
    skills, those only one member holds are kept first, then the most held. skill_order
    "category" groups the columns by category, "rarity" puts the rarest first; member_order
    "uniqueness" puts the most unique members first, "name" sorts them alphabetically.
    """
    if skill_order not in SKILL_ORDERS:
        raise Refusal("map.err_matrix_order", order=skill_order)
    if member_order not in MEMBER_ORDERS:
        raise Refusal("map.err_matrix_order", order=member_order)
    claims = club.claims
    holders = claims.groupby("skill_id").size().rename("holders")
    members = club.members[club.members["skills"] > 0]
    cells = claims
    if skill_id:
        members = members[
            members["person_id"].isin(claims.loc[claims.skill_id == skill_id].person_id)
        ]
    if person_id:
        own = claims.loc[claims.person_id == person_id, "skill_id"]
        members = members[
            members["person_id"].isin(claims.loc[claims.skill_id.isin(own), "person_id"])
        ]
        cells = cells[cells["skill_id"].isin(own)]
    cells = cells[cells["person_id"].isin(members["person_id"])].merge(holders, on="skill_id")
    members_total, skills_total = len(members), cells["skill_id"].nunique()
    members = members.assign(focus=members["person_id"] == (person_id or ""))
    members = members.sort_values(
        ["focus", "uniqueness", "person_id"], ascending=[False, False, True]
    ).head(max_members)
    if member_order == "name":
        members = members.sort_values(["focus", "name", "person_id"], ascending=[False, True, True])
    members = members.assign(label=unique_labels(members["name"], members["person_id"]))
    cells = cells.merge(members[["person_id", "label"]], on="person_id")
    skills = cells.drop_duplicates("skill_id")[["skill_id", "skill", "category", "holders"]]
    skills = (
        skills.assign(unique=skills["holders"] == 1)
        .sort_values(["unique", "holders", "skill_id"], ascending=[False, False, True])
        .head(max_skills)
    )
    if skill_order == "category":
        skills = skills.sort_values(["category", "holders", "skill"], ascending=[True, False, True])
    else:
        skills = skills.sort_values(["holders", "skill", "skill_id"])
    skills = skills.assign(column=unique_labels(skills["skill"], skills["skill_id"]))
    cells = cells.merge(skills[["skill_id", "column"]], on="skill_id")
    cells = cells.assign(unique=cells["holders"] == 1)
    levels = (
        cells.pivot_table(index="label", columns="column", values="level", aggfunc="max")
        .reindex(index=members["label"], columns=skills["column"])
        .rename_axis(index=None, columns=None)
    )
    keep = ["label", "column", "person_id", "skill_id", "skill", "category", "level", "source"]
    return SkillMatrix(
        levels=levels,
        cells=cells[[*keep, "stale", "holders", "unique"]].reset_index(drop=True),
        members_total=members_total,
        skills_total=skills_total,
    )
