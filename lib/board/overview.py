"""The basics leadership sees first: the club by status and wave, skills, activity over time."""

from __future__ import annotations

import pandas as pd

from lib.filters import Filters
from lib.store.db import Database
from lib.vocabulary import MembershipStatus


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


def skills_by_category(db: Database, held_only: bool = True) -> pd.DataFrame:
    """Skills per category: `skills` counts those held by at least one active member (or every
    skill of the taxonomy when not `held_only`), `in_taxonomy` every skill of the category.
    An imported taxonomy of thousands of skills nobody holds does not swamp the held ones."""
    return db.df(
        """
        WITH held AS (
            SELECT DISTINCT ps.skill_id FROM person_skills ps
            JOIN memberships m USING (person_id) WHERE m.status = $active
        )
        SELECT coalesce(s.category, '—') AS category,
               count(*) FILTER (WHERE NOT $held_only OR h.skill_id IS NOT NULL) AS skills,
               count(*) AS in_taxonomy
        FROM skills s LEFT JOIN held h USING (skill_id)
        GROUP BY ALL HAVING skills > 0
        ORDER BY skills DESC, category
        """,
        {"held_only": held_only, "active": MembershipStatus.ACTIVE.value},
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
