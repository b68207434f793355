"""The club's public directory: every current member's name, department and skills, and the
contributions they made public (verified ones only). Searchable by name, department or skill —
a skill found the way the expertise map's search finds it (aliases, typos, the other alphabet
or keyboard layout, Russian word forms). Nothing else: no workload, index, level, risk flag,
interview or unpublished contribution, for any role."""

from __future__ import annotations

import pandas as pd

from lib import access, spelling
from lib.access import Viewer
from lib.contributions.records import typed
from lib.expertise.holders import skill_claims
from lib.expertise.search import MAX_QUERY, find_skills
from lib.filters import Filters
from lib.store.db import Database
from lib.vocabulary import SELF_SERVICE_STATUSES

PUBLIC_COLUMNS = [
    "person_id",
    "name",
    "department",
    "contribution_id",
    "kind",
    "occurred_on",
    "title",
    "reach",
    "reach_metric",
    "evidence_url",
    "skills",
]
ENTRY_COLUMNS = ["person_id", "name", "department", "skills", "public_contributions", "matched"]
SKILLS_SHOWN = 8


def public_contributions(db: Database, viewer: Viewer | None, filters: Filters) -> pd.DataFrame:
    """Verified public contributions of current members, latest first."""
    access.require_page(viewer, "directory")
    frame = db.df(
        """
        SELECT m.person_id, m.name, m.department, c.contribution_id, c.kind, c.occurred_on,
               c.title, c.reach, c.evidence_url, c.skills
        FROM contribution_list c
        JOIN club_members($statuses, $departments, $waves) m USING (person_id)
        WHERE c.visibility = 'public' AND c.status = 'verified' AND c.occurred_on <= $as_of
        ORDER BY c.occurred_on DESC, c.contribution_id DESC
        """,
        {**filters.member_params(tuple(SELF_SERVICE_STATUSES)), "as_of": filters.as_of},
    )
    return typed(frame)[PUBLIC_COLUMNS].reset_index(drop=True)


def _skills_by_person(db: Database, filters: Filters) -> pd.DataFrame:
    claims = skill_claims(db, filters, statuses=SELF_SERVICE_STATUSES)
    claims = claims.sort_values(["person_id", "level", "skill"], ascending=[True, False, True])
    return claims[["person_id", "skill_id", "skill", "level"]]


def directory(
    db: Database, viewer: Viewer | None, filters: Filters, query: str = ""
) -> pd.DataFrame:
    """Current members, by name: person_id, name, department, skills (names, strongest first),
    public_contributions (how many), and `matched` — what of the query they match (their name,
    department or the skill the query found). With a query only those who match it."""
    access.require_page(viewer, "directory")
    members = db.df(
        "SELECT person_id, name, department FROM club_members($statuses, $departments, $waves) "
        "ORDER BY name, person_id",
        filters.member_params(tuple(SELF_SERVICE_STATUSES)),
    )
    claims = _skills_by_person(db, filters)
    skills = claims.groupby("person_id")["skill"].agg(lambda s: list(s)[:SKILLS_SHOWN])
    public = public_contributions(db, viewer, filters)["person_id"].value_counts()
    members["skills"] = (
        members["person_id"].map(skills).map(lambda v: v if isinstance(v, list) else [])
    )
    members["public_contributions"] = members["person_id"].map(public).fillna(0).astype(int)
    members["matched"] = ""
    query = " ".join(str(query or "").split())[:MAX_QUERY]
    if not query:
        return members[ENTRY_COLUMNS]
    return _matching(db, members, claims, query)[ENTRY_COLUMNS].reset_index(drop=True)


def _matching(db: Database, members: pd.DataFrame, claims: pd.DataFrame, query: str):
    """Members whose name or department holds the query, or who hold a skill it finds."""
    wanted = spelling.fold(query)
    by_text = members["name"].fillna("").map(spelling.fold).str.contains(wanted, regex=False)
    by_department = (
        members["department"].fillna("").map(spelling.fold).str.contains(wanted, regex=False)
    )
    found = find_skills(db, query, limit=3)
    holders = claims[claims["skill_id"].isin(found["skill_id"])]
    by_skill = holders.groupby("person_id")["skill"].agg(", ".join)
    matched = members["person_id"].map(by_skill)
    members = members.assign(
        matched=matched.where(
            matched.notna(), members["name"].where(by_text, members["department"])
        )
    )
    return members[by_text | by_department | matched.notna()]
