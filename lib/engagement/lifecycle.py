"""Membership lifecycle (SPEC.md §2 cohorts): the candidate → onboarding → active → alumni
funnel, wave retention at 3/6/12 months, and why members left.

Everything is read from the status history: `membership_events`, and for a member without any
recorded event, their `memberships` row stands in (joined_on as the start in their current
stage, left_on as the day they became alumni).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from lib import access
from lib.access import Viewer
from lib.filters import Filters
from lib.settings import current_settings
from lib.store.db import Database

FUNNEL = ("candidate", "onboarding", "active", "alumni")
RETENTION_MONTHS = (3, 6, 12)
OTHER_REASONS = "_other"
UNRECORDED_REASON = "_unrecorded"

STATUS_HISTORY_SQL = """
    SELECT e.person_id, e.changed_on, e.to_status FROM membership_events e
    UNION ALL
    SELECT m.person_id, m.joined_on,
           CASE WHEN m.status IN ('candidate', 'onboarding') THEN m.status ELSE 'active' END
    FROM memberships m
    WHERE m.joined_on IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM membership_events e WHERE e.person_id = m.person_id)
    UNION ALL
    SELECT m.person_id, m.left_on, 'alumni'
    FROM memberships m
    WHERE m.status = 'alumni' AND m.left_on IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM membership_events e WHERE e.person_id = m.person_id)
"""

STAGE_DATES_SQL = f"""
    SELECT h.person_id,
           min(h.changed_on) FILTER (WHERE h.to_status = 'candidate') AS candidate_on,
           min(h.changed_on) FILTER (WHERE h.to_status = 'onboarding') AS onboarding_on,
           min(h.changed_on) FILTER (WHERE h.to_status = 'active') AS active_on,
           min(h.changed_on) FILTER (WHERE h.to_status = 'alumni') AS alumni_on,
           least(min(h.changed_on) FILTER (WHERE h.to_status = 'onboarding'),
                 min(h.changed_on) FILTER (WHERE h.to_status = 'active')) AS started_on
    FROM ({STATUS_HISTORY_SQL}) h
    GROUP BY h.person_id
"""


def _filtered_members(filters: Filters) -> tuple[str, list[Any]]:
    where, params = filters.member_clause("p", "m")
    return (
        f"SELECT m.person_id, m.wave FROM memberships m JOIN people p USING (person_id) "
        f"WHERE {where}",
        params,
    )


def funnel(db: Database, filters: Filters) -> pd.DataFrame:
    """Members who reached each stage, conversion from the stage before, and the median days
    it took from entering the stage before.

    Reaching a later stage of candidate → onboarding → active implies the earlier ones; alumni
    counts those who left after being active (leaving during onboarding is that stage's
    drop-off).
    """
    members_sql, params = _filtered_members(filters)
    row = db.df(
        f"""
        WITH members AS ({members_sql}),
        stages AS (
            SELECT s.* FROM ({STAGE_DATES_SQL}) s SEMI JOIN members mb USING (person_id)
            WHERE least(s.candidate_on, s.onboarding_on, s.active_on) <= ?
        )
        SELECT
            count(*) AS candidate,
            count(*) FILTER (WHERE onboarding_on <= ? OR active_on <= ?) AS onboarding,
            count(*) FILTER (WHERE active_on <= ?) AS active,
            count(*) FILTER (WHERE active_on <= ? AND alumni_on <= ?) AS alumni,
            median(date_diff('day', candidate_on, coalesce(onboarding_on, active_on)))
                FILTER (WHERE coalesce(onboarding_on, active_on) <= ?) AS candidate_days,
            median(date_diff('day', onboarding_on, active_on))
                FILTER (WHERE active_on <= ?) AS onboarding_days,
            median(date_diff('day', active_on, alumni_on))
                FILTER (WHERE alumni_on <= ?) AS active_days
        FROM stages
        """,
        [*params, *[filters.as_of] * 9],
    ).iloc[0]
    reached = [int(row[stage]) for stage in FUNNEL]
    days = [None, row["candidate_days"], row["onboarding_days"], row["active_days"]]
    return pd.DataFrame(
        {
            "stage": list(FUNNEL),
            "reached": reached,
            "conversion": pd.Series(
                [None]
                + [
                    reached[i] / reached[i - 1] if reached[i - 1] else None
                    for i in range(1, len(FUNNEL))
                ],
                dtype=float,
            ),
            "median_days": pd.Series(days, dtype=float),
        }
    )


def wave_retention(db: Database, filters: Filters) -> pd.DataFrame:
    """Of each wave's members who started (onboarding or active) at least k months ago, the
    share still in the club k months after starting, for k in 3, 6, 12."""
    members_sql, params = _filtered_members(filters)
    horizons = ", ".join("(?)" for _ in RETENTION_MONTHS)
    return db.df(
        f"""
        WITH members AS ({members_sql}),
        horizons(months) AS (SELECT * FROM (VALUES {horizons})),
        started AS (
            SELECT mb.wave, s.person_id, s.started_on, s.alumni_on
            FROM ({STAGE_DATES_SQL}) s JOIN members mb USING (person_id)
            WHERE s.started_on <= ?
        )
        SELECT st.wave, h.months,
               count(*) FILTER (WHERE st.started_on + to_months(h.months) <= ?) AS eligible,
               count(*) FILTER (
                   WHERE st.started_on + to_months(h.months) <= ?
                     AND (st.alumni_on IS NULL OR st.alumni_on > st.started_on
                          + to_months(h.months))
               ) AS retained
        FROM started st CROSS JOIN horizons h
        GROUP BY ALL
        ORDER BY st.wave, h.months
        """,
        [*params, *RETENTION_MONTHS, filters.as_of, filters.as_of, filters.as_of],
    ).assign(retention=lambda f: f["retained"] / f["eligible"].where(f["eligible"] > 0))


def offboarding_reasons(db: Database, filters: Filters, viewer: Viewer | None) -> pd.DataFrame:
    """How many members left in the period, by exit reason. Counts only; for a viewer who may
    not see small segments, reasons given by fewer than `segment_min_interviews` people are
    folded into one "other reasons" row so nobody is singled out."""
    members_sql, params = _filtered_members(filters)
    counts = db.df(
        f"""
        WITH members AS ({members_sql})
        SELECT coalesce(nullif(trim(m.exit_reason), ''), ?) AS reason, count(*) AS alumni
        FROM memberships m SEMI JOIN members mb USING (person_id)
        WHERE m.status = 'alumni' AND m.left_on > ? AND m.left_on <= ?
        GROUP BY ALL ORDER BY alumni DESC, reason
        """,
        [*params, UNRECORDED_REASON, filters.period_start, filters.as_of],
    )
    if not access.can(viewer, "see_small_segments") and len(counts):
        threshold = int(current_settings(db)["segment_min_interviews"])
        small = counts["alumni"] < threshold
        if small.any():
            folded = pd.DataFrame(
                {"reason": [OTHER_REASONS], "alumni": [counts[small]["alumni"].sum()]}
            )
            counts = pd.concat([counts[~small], folded], ignore_index=True)
    total = counts["alumni"].sum()
    return counts.assign(share=counts["alumni"] / total if total else 0.0)


def exit_reasons_by_person(db: Database, filters: Filters, viewer: Viewer | None) -> pd.DataFrame:
    """Each member who left in the period with their exit reason and the offboarding note
    (personal data: only for viewers who may see exit reasons)."""
    access.require(viewer, "see_exit_reasons")
    where, params = filters.member_clause("p", "m")
    return db.df(
        f"""
        SELECT m.person_id, p.name, p.department, m.wave, m.joined_on, m.left_on,
               m.exit_reason,
               (SELECT arg_max(e.note, e.changed_on) FROM membership_events e
                WHERE e.person_id = m.person_id AND e.to_status = 'alumni') AS note
        FROM memberships m JOIN people p USING (person_id)
        WHERE m.status = 'alumni' AND m.left_on > ? AND m.left_on <= ? AND {where}
        ORDER BY m.left_on DESC, m.person_id
        """,
        [filters.period_start, filters.as_of, *params],
    )
