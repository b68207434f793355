"""Who holds which skill: the one query every map, coverage and gap view builds on.

A person may claim a skill from several sources (self, peer, interview, activity, curator);
the best claim counts: its highest level, the source that gave it, the latest confirmation.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from lib.filters import Filters
from lib.settings import current_settings
from lib.store.db import Database

CLUB_STATUSES = ("active",)


def skill_claims(
    db: Database,
    filters: Filters,
    *,
    statuses: Iterable[str] = CLUB_STATUSES,
    min_level: int = 1,
    min_confidence: float = 0.0,
    categories: Iterable[str] = (),
    fresh_only: bool = False,
) -> pd.DataFrame:
    """Best claim per member and skill, for members in `statuses` who pass the filters.

    Columns: person_id, name, department, wave, status, skill_id, skill, category, level,
    source, confidence, confirmed_on, stale (not confirmed within the stale-days setting).
    """
    settings = current_settings(db)
    statuses = tuple(statuses)
    categories = tuple(categories)
    confidence = settings["source_confidence"]
    where, params = filters.member_clause()
    status_marks = ", ".join("?" for _ in statuses)
    category_sql = f"AND s.category IN ({', '.join('?' for _ in categories)})" if categories else ""
    stale_before = pd.Timestamp(filters.as_of) - pd.Timedelta(days=settings["stale_days"])
    frame = db.df(
        f"""
        WITH confidence(source, confidence) AS (
            SELECT * FROM (VALUES {", ".join("(?, ?)" for _ in confidence)})
        ),
        claims AS (
            SELECT ps.person_id, ps.skill_id, ps.level, ps.source, ps.confirmed_on,
                   coalesce(c.confidence, 0.5) AS confidence
            FROM person_skills ps
            LEFT JOIN confidence c USING (source)
            JOIN memberships m USING (person_id)
            JOIN people p USING (person_id)
            WHERE m.status IN ({status_marks}) AND {where}
        ),
        best AS (
            SELECT person_id, skill_id, max(level) AS level,
                   arg_max(source, level * 10 + confidence) AS source,
                   max(confidence) AS confidence, max(confirmed_on) AS confirmed_on
            FROM claims WHERE confidence >= ?
            GROUP BY ALL
        )
        SELECT b.person_id, p.name, p.department, m.wave, m.status, b.skill_id,
               s.name AS skill, s.category, b.level, b.source, b.confidence, b.confirmed_on,
               coalesce(b.confirmed_on < ?, TRUE) AS stale
        FROM best b
        JOIN skills s USING (skill_id)
        JOIN people p USING (person_id)
        JOIN memberships m USING (person_id)
        WHERE b.level >= ? {category_sql}
        ORDER BY b.skill_id, b.level DESC, b.person_id
        """,
        [
            *[v for pair in confidence.items() for v in pair],
            *statuses,
            *params,
            min_confidence,
            stale_before.date(),
            min_level,
            *categories,
        ],
    )
    if fresh_only:
        frame = frame[~frame["stale"]].reset_index(drop=True)
    return frame
