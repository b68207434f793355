"""The person × skill matrix, and the skills and members tables narrowed by a focused skill or
member."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib.errors import Refusal
from lib.expertise.graph import ClubGraph

SKILL_ORDERS = ("category", "rarity", "target")
TARGET_RANK = {"must": 0, "should": 1, "could": 2}
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
    """One page of the person × skill grid of levels and its long form, with the page's place
    in the whole: members and skills in the view, the first row and column shown, pages."""

    levels: pd.DataFrame
    cells: pd.DataFrame
    members_total: int
    skills_total: int
    member_page: int = 0
    member_pages: int = 1
    skill_page: int = 0
    skill_pages: int = 1
    first_member: int = 1
    first_skill: int = 1
    skills_on_pages: int = 0  # skills the page's members hold, over all skill pages


def _pages(count: int, size: int) -> int:
    return max(1, -(-count // max(size, 1)))


def _focused(club: ClubGraph, skill_id: str | None, person_id: str | None):
    """Members with skills, and their claims, narrowed to a focused skill's holders or to the
    members sharing a focused member's skills (and those skills)."""
    claims = club.claims
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
    return members, cells


def _searched(members: pd.DataFrame, cells: pd.DataFrame, search: str):
    """Members whose name, or skills whose name, contains the searched text (either way)."""
    text = search.strip().casefold()
    if not text:
        return members, cells
    by_skill = cells[cells["skill"].str.casefold().str.contains(text, regex=False)]
    by_name = members[members["name"].fillna("").str.casefold().str.contains(text, regex=False)]
    if not by_skill.empty:
        members = members[members["person_id"].isin(by_skill["person_id"])]
        return members, cells[cells["skill_id"].isin(by_skill["skill_id"])]
    return by_name, cells


def _ordered_members(members: pd.DataFrame, member_order: str) -> pd.DataFrame:
    members = members.sort_values(
        ["focus", "uniqueness", "person_id"], ascending=[False, False, True]
    )
    if member_order == "name":
        members = members.sort_values(["focus", "name", "person_id"], ascending=[False, True, True])
    return members


def _ordered_skills(skills: pd.DataFrame, skill_order: str, targets: dict[str, str]):
    """Skills of one page, in the chosen order: by category, rarest first, or the target
    profile's musts, shoulds and coulds first (rarest first within each)."""
    if skill_order == "category":
        return skills.sort_values(["category", "holders", "skill"], ascending=[True, False, True])
    if skill_order == "target":
        rank = skills["skill_id"].map(lambda s: TARGET_RANK.get(targets.get(s), len(TARGET_RANK)))
        return (
            skills.assign(rank=rank).sort_values(["rank", "holders", "skill"]).drop(columns="rank")
        )
    return skills.sort_values(["holders", "skill", "skill_id"])


def skill_matrix(
    club: ClubGraph,
    *,
    skill_order: str = "category",
    member_order: str = "uniqueness",
    skill_id: str | None = None,
    person_id: str | None = None,
    max_members: int = 60,
    max_skills: int = 60,
    member_page: int = 0,
    skill_page: int = 0,
    search: str = "",
    targets: dict[str, str] | None = None,
) -> SkillMatrix:
    """One page of levels of members (rows) in skills (columns), narrowed by a focus and a
    search (a member's or a skill's name).

    Members are paged in the member order ("uniqueness": the most unique first, a focused
    member first of all; "name": alphabetically). Of the page's members' skills, those only
    one member holds come first, then the most held, paged by `max_skills`; each page is then
    shown in the skill order: "category", "rarity" (rarest first) or "target" (the target
    profile's priorities in `targets`, skill_id → priority, first).
    """
    targets = targets or {}
    if skill_order not in SKILL_ORDERS:
        raise Refusal("map.err_matrix_order", order=skill_order)
    if member_order not in MEMBER_ORDERS:
        raise Refusal("map.err_matrix_order", order=member_order)
    holders = club.claims.groupby("skill_id").size().rename("holders")
    members, cells = _searched(*_focused(club, skill_id, person_id), search)
    cells = cells[cells["person_id"].isin(members["person_id"])].merge(holders, on="skill_id")
    members_total, skills_total = len(members), cells["skill_id"].nunique()
    member_pages = _pages(members_total, max_members)
    member_page = min(max(member_page, 0), member_pages - 1)
    members = _ordered_members(
        members.assign(focus=members["person_id"] == (person_id or "")), member_order
    )
    members = members.iloc[member_page * max_members : (member_page + 1) * max_members]
    members = members.assign(label=unique_labels(members["name"], members["person_id"]))
    cells = cells.merge(members[["person_id", "label"]], on="person_id")
    skills = cells.drop_duplicates("skill_id")[["skill_id", "skill", "category", "holders"]]
    skills = skills.assign(unique=skills["holders"] == 1).sort_values(
        ["unique", "holders", "skill_id"], ascending=[False, False, True]
    )
    skills_on_pages = len(skills)
    skill_pages = _pages(skills_on_pages, max_skills)
    skill_page = min(max(skill_page, 0), skill_pages - 1)
    skills = skills.iloc[skill_page * max_skills : (skill_page + 1) * max_skills]
    skills = _ordered_skills(skills, skill_order, targets)
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
        member_page=member_page,
        member_pages=member_pages,
        skill_page=skill_page,
        skill_pages=skill_pages,
        first_member=member_page * max_members + 1,
        first_skill=skill_page * max_skills + 1,
        skills_on_pages=skills_on_pages,
    )


def full_matrix(club: ClubGraph) -> pd.DataFrame:
    """Every member in the view (rows: person_id, name) × every skill they hold (columns by
    skill name, most held first), the level in each cell: the matrix for a download."""
    claims = club.claims
    members = club.members[club.members["skills"] > 0].sort_values(
        ["uniqueness", "person_id"], ascending=[False, True]
    )
    named = claims.merge(members[["person_id"]], on="person_id")
    order = named.groupby("skill")["person_id"].nunique().sort_values(ascending=False).index
    grid = named.pivot_table(index="person_id", columns="skill", values="level", aggfunc="max")
    grid = grid.reindex(index=members["person_id"], columns=list(order))
    grid.columns.name = None
    grid = grid.reset_index()
    grid.insert(1, "name", members["name"].tolist())
    return grid
