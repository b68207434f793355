"""The basics leadership sees first: the club by status and wave, skills, activity over time."""

from __future__ import annotations

import pandas as pd

from lib.filters import Filters
from lib.store.db import Database


def members_by_status_wave(db: Database, filters: Filters) -> pd.DataFrame:
    """Members of the filtered club by wave and status."""
    return db.df(
        """
        SELECT wave, status, count(*) AS members
        FROM club_members($statuses, $departments, $waves)
        GROUP BY ALL ORDER BY wave, status
        """,
        filters.member_params(),
    )


def skills_by_category(db: Database) -> pd.DataFrame:
    """Skills in the catalogue per category."""
    return db.df(
        """
        SELECT coalesce(category, '—') AS category, count(*) AS skills
        FROM skills GROUP BY ALL ORDER BY skills DESC, category
        """
    )


def activities_per_month(db: Database, filters: Filters) -> pd.DataFrame:
    """Activities and contributors per month of the period, in the filtered club."""
    return db.df(
        """
        SELECT date_trunc('month', a.occurred_on)::DATE AS month, count(*) AS activities,
               count(DISTINCT a.person_id) AS contributors
        FROM activities a
        JOIN club_members($statuses, $departments, $waves) mb USING (person_id)
        WHERE a.occurred_on >= date_trunc('month', $period_start::DATE) + INTERVAL 1 MONTH
          AND a.occurred_on <= $as_of
        GROUP BY ALL ORDER BY month
        """,
        {**filters.member_params(), "period_start": filters.period_start, "as_of": filters.as_of},
    )
