"""One member as the expertise map shows them: skills, recent activities, membership history
and engagement level, each as far as the viewer's role may see."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib import access
from lib.access import Viewer
from lib.engagement.scoring import member_scores
from lib.errors import Refusal
from lib.expertise.graph import MAP_STATUSES, ClubGraph
from lib.expertise.holders import skill_claims
from lib.filters import Filters, default_as_of
from lib.store.db import Database
from lib.vocabulary import ClaimSource


@dataclass(frozen=True)
class MemberProfile:
    """One member as the map shows them: who, what they know, what they did, their path."""

    person: dict
    skills: pd.DataFrame
    activities: pd.DataFrame
    history: pd.DataFrame


def member_profile(
    db: Database,
    viewer: Viewer | None,
    club: ClubGraph,
    person_id: str,
    *,
    as_of=None,
    recent: int = 10,
) -> MemberProfile:
    """Skills (level, source, last confirmation, other holders in the whole club, unique ones),
    recent activities and membership history; no capacity, interview text or exit reasons
    unless the viewer's role may see them."""
    access.require_page(viewer, "expertise_map")
    found = db.df(
        """
        SELECT p.person_id, p.name, p.department, p.team, p.position, p.location,
               m.wave, m.status, m.joined_on, m.left_on
        FROM people p JOIN memberships m USING (person_id) WHERE p.person_id = $person_id
        """,
        {"person_id": person_id},
    )
    if found.empty:
        raise Refusal("map.err_no_member", person=person_id)
    as_of = as_of or default_as_of()
    claims = skill_claims(db, Filters(as_of=as_of), statuses=MAP_STATUSES)
    own = claims[claims["person_id"] == person_id]
    others = club.whole_claims[club.whole_claims["person_id"] != person_id]
    held_by_others = others.groupby("skill_id").size().rename("other_holders")
    skills = own.merge(held_by_others, on="skill_id", how="left").fillna({"other_holders": 0})
    skills = skills.assign(
        other_holders=skills["other_holders"].astype(int),
        unique=skills["other_holders"] == 0,
        evidence=_evidence(db, viewer, person_id, skills["skill_id"]),
    )
    columns = ["skill_id", "skill", "category", "level", "source", "confirmed_on", "stale"]
    skills = skills[[*columns, "other_holders", "unique", "evidence"]].sort_values(
        ["unique", "level", "skill"], ascending=[False, False, True]
    )
    return MemberProfile(
        person=found.iloc[0].to_dict(),
        skills=skills.reset_index(drop=True),
        activities=_recent_activities(db, person_id, as_of, recent),
        history=membership_history(db, viewer, person_id),
    )


def _evidence(db: Database, viewer: Viewer | None, person_id: str, skill_ids) -> list[str]:
    """Claim evidence per skill, in skill order; interview text only for roles that see it."""
    hidden = [] if access.can(viewer, "see_interview_text") else [ClaimSource.INTERVIEW.value]
    found = db.df(
        """
        SELECT skill_id, string_agg(DISTINCT evidence, '; ' ORDER BY evidence) AS evidence
        FROM person_skills
        WHERE person_id = $person_id AND evidence IS NOT NULL AND trim(evidence) <> ''
          AND NOT list_contains($hidden_sources::VARCHAR[], source)
        GROUP BY skill_id
        """,
        {"person_id": person_id, "hidden_sources": hidden},
    )
    text = dict(zip(found["skill_id"], found["evidence"], strict=True))
    return [text.get(s, "") for s in skill_ids]


def _recent_activities(db: Database, person_id: str, as_of, limit: int) -> pd.DataFrame:
    """The member's latest activities with the names of the skills they drew on."""
    return db.df(
        """
        WITH recent AS (
            SELECT * FROM activities
            WHERE person_id = $person_id AND occurred_on <= $as_of
            ORDER BY occurred_on DESC, activity_id DESC
            LIMIT $limit
        ),
        named AS (
            SELECT r.activity_id, array_to_string(
                       list(coalesce(s.name, u.skill_id) ORDER BY u.pos), ', ') AS skills
            FROM recent r,
                 LATERAL (SELECT unnest(r.skills) AS skill_id,
                                 generate_subscripts(r.skills, 1) AS pos) u
            LEFT JOIN skills s ON s.skill_id = u.skill_id
            GROUP BY r.activity_id
        )
        SELECT r.occurred_on, r.kind, r.title, r.audience, coalesce(n.skills, '') AS skills
        FROM recent r LEFT JOIN named n USING (activity_id)
        ORDER BY r.occurred_on DESC, r.activity_id DESC
        """,
        {"person_id": person_id, "as_of": as_of, "limit": limit},
    )


def membership_history(db: Database, viewer: Viewer | None, person_id: str) -> pd.DataFrame:
    """Status changes of a member, oldest first; notes (which may carry exit reasons) only
    for roles that may see exit reasons."""
    history = db.df(
        """
        SELECT changed_on, from_status, to_status, note FROM membership_events
        WHERE person_id = $person_id ORDER BY changed_on, to_status
        """,
        {"person_id": person_id},
    )
    if not access.can(viewer, "see_exit_reasons"):
        history = history.drop(columns=["note"])
    return history


def engagement_levels(db: Database, filters: Filters, viewer: Viewer | None) -> pd.DataFrame:
    """Members' engagement levels (person_id, level) for roles that see engagement, empty for
    the others. Capacity never leaves this function."""
    if not access.can_open(viewer, "engagement"):
        return pd.DataFrame(columns=["person_id", "level"])
    return member_scores(db, filters)[["person_id", "level"]]
