"""The basics leadership sees first: the club by status and wave, skills, activity over time."""

from __future__ import annotations

import pandas as pd

from lib.filters import Filters
from lib.store.db import Database


def members_by_status_wave(db: Database, filters: Filters) -> pd.DataFrame:
    where, params = filters.member_clause()
    return db.df(
        f"""
        SELECT m.wave, m.status, count(*) AS members
        FROM memberships m JOIN people p USING (person_id)
        WHERE {where}
        GROUP BY ALL ORDER BY m.wave, m.status
        """,
        params,
    )


def skills_by_category(db: Database) -> pd.DataFrame:
    return db.df(
        """
        SELECT coalesce(category, '—') AS category, count(*) AS skills
        FROM skills GROUP BY ALL ORDER BY skills DESC, category
        """
    )


def activities_per_month(db: Database, filters: Filters) -> pd.DataFrame:
    where, params = filters.member_clause()
    return db.df(
        f"""
        SELECT date_trunc('month', a.occurred_on)::DATE AS month, count(*) AS activities,
               count(DISTINCT a.person_id) AS contributors
        FROM activities a
        JOIN memberships m USING (person_id)
        JOIN people p USING (person_id)
        WHERE {where} AND a.occurred_on >= date_trunc('month', ?::DATE) + INTERVAL 1 MONTH
          AND a.occurred_on <= ?
        GROUP BY ALL ORDER BY month
        """,
        [*params, filters.period_start, filters.as_of],
    )
