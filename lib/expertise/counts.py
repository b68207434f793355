"""Counting over the club's skill claims in DuckDB SQL: pairs of skills held together, holders
and bus factor per skill, members' uniqueness (SPEC.md §2 Coverage, Bus factor, Uniqueness)."""

from __future__ import annotations

import pandas as pd

from lib.expertise.holders import skill_claims
from lib.filters import Filters
from lib.store.db import Database

LEVELS = (1, 2, 3, 4, 5)  # level_1 … level_5 in skill_stats
DEFAULT_BUS_LEVEL = 3


def query_frames(db: Database, sql: str, params: dict | None = None, **frames) -> pd.DataFrame:
    """Run SQL with named parameters over DataFrames registered as views on a private cursor."""
    cur = db.cursor()
    try:
        for name, frame in frames.items():
            cur.register(name, frame)
        return cur.execute(sql, params or {}).df()
    finally:
        cur.close()


def skill_cooccurrence(db: Database, filters: Filters, *, min_level: int = 1) -> pd.DataFrame:
    """Pairs of skills held together by active members: skill_a < skill_b, weight = members."""
    claims = skill_claims(db, filters, min_level=min_level)[["person_id", "skill_id"]]
    return pair_counts(db, claims)


def pair_counts(db: Database, claims: pd.DataFrame) -> pd.DataFrame:
    """Co-occurrence counts of skill pairs over (person_id, skill_id) claims."""
    return query_frames(
        db,
        """
        SELECT a.skill_id AS skill_a, b.skill_id AS skill_b, count(*)::INTEGER AS weight
        FROM claims a JOIN claims b ON a.person_id = b.person_id AND a.skill_id < b.skill_id
        GROUP BY ALL
        ORDER BY weight DESC, skill_a, skill_b
        """,
        claims=claims[["person_id", "skill_id"]],
    )


def skill_stats(
    db: Database,
    claims: pd.DataFrame,
    *,
    categories: tuple[str, ...] = (),
    bus_level: int = DEFAULT_BUS_LEVEL,
) -> pd.DataFrame:
    """Per taxonomy skill: holders (by level), bus factor, freshness, top holders, target.

    The bus factor counts holders at or above the target's minimum level when the skill is in
    the target profile, else at `bus_level`. Skills nobody holds are kept with zero holders.
    """
    return query_frames(
        db,
        """
        WITH held AS (
            SELECT c.skill_id, count(*)::INTEGER AS holders,
                   count(*) FILTER (WHERE c.level = 1)::INTEGER AS level_1,
                   count(*) FILTER (WHERE c.level = 2)::INTEGER AS level_2,
                   count(*) FILTER (WHERE c.level = 3)::INTEGER AS level_3,
                   count(*) FILTER (WHERE c.level = 4)::INTEGER AS level_4,
                   count(*) FILTER (WHERE c.level = 5)::INTEGER AS level_5,
                   count(*) FILTER (
                       WHERE c.level >= coalesce(t.min_level, $bus_level)
                   )::INTEGER AS bus_factor,
                   avg(c.stale::INTEGER) AS stale_share,
                   max(c.confirmed_on) AS last_confirmed,
                   avg(c.level) AS mean_level,
                   array_to_string(list(coalesce(c.name, c.person_id)
                       ORDER BY c.level DESC, c.confirmed_on DESC NULLS LAST, c.person_id
                   )[1:3], ', ') AS top_holders
            FROM claims c LEFT JOIN target_profile t USING (skill_id)
            GROUP BY c.skill_id
        )
        SELECT s.skill_id, s.name AS skill, s.category,
               coalesce(h.holders, 0) AS holders,
               coalesce(h.level_1, 0) AS level_1, coalesce(h.level_2, 0) AS level_2,
               coalesce(h.level_3, 0) AS level_3, coalesce(h.level_4, 0) AS level_4,
               coalesce(h.level_5, 0) AS level_5,
               coalesce(t.min_level, $bus_level) AS bus_level,
               coalesce(h.bus_factor, 0) AS bus_factor,
               h.stale_share, h.last_confirmed::DATE AS last_confirmed, h.mean_level,
               h.top_holders,
               t.min_level AS target_min_level, t.min_people AS target_min_people,
               t.priority AS target_priority
        FROM skills s
        LEFT JOIN held h USING (skill_id)
        LEFT JOIN target_profile t USING (skill_id)
        WHERE len($categories::VARCHAR[]) = 0 OR list_contains($categories::VARCHAR[], s.category)
        ORDER BY holders DESC, s.skill_id
        """,
        {"bus_level": bus_level, "categories": list(categories)},
        claims=claims,
    )


def member_uniqueness(claims: pd.DataFrame, members: pd.DataFrame, db: Database) -> pd.DataFrame:
    """Per member: skills held, uniqueness Σ log(N / holders) and the skills nobody else holds.

    N is the number of members in `members` (the whole club: `build_club_graph` passes it
    unfiltered), including those without skills; holders are counted over `claims`.
    """
    return query_frames(
        db,
        """
        WITH holders AS (SELECT skill_id, count(*) AS holders FROM claims GROUP BY skill_id),
        per_member AS (
            SELECT c.person_id, count(*)::INTEGER AS skills,
                   sum(ln((SELECT count(*) FROM members) / h.holders)) AS uniqueness,
                   count(*) FILTER (WHERE h.holders = 1)::INTEGER AS unique_count,
                   array_to_string(
                       list(c.skill ORDER BY c.skill) FILTER (WHERE h.holders = 1), '; '
                   ) AS unique_skills
            FROM claims c JOIN holders h USING (skill_id)
            GROUP BY c.person_id
        )
        SELECT m.person_id, m.name, m.department, m.wave, m.status,
               coalesce(u.skills, 0) AS skills,
               round(coalesce(u.uniqueness, 0.0), 3) AS uniqueness,
               coalesce(u.unique_count, 0) AS unique_count,
               coalesce(u.unique_skills, '') AS unique_skills
        FROM members m LEFT JOIN per_member u USING (person_id)
        ORDER BY uniqueness DESC, unique_count DESC, m.person_id
        """,
        claims=claims[["person_id", "skill_id", "skill"]],
        members=members,
    )
