"""Membership lifecycle (SPEC.md §2 cohorts): the candidate → onboarding → active → alumni
funnel, wave retention at 3/6/12 months, and why members left.

Everything is read from the `status_history` and `stage_dates` views (migration 008):
`membership_events`, and for a member without any recorded event, their `memberships` row
stands in (joined_on as the start in their current stage, left_on as the day they became
alumni).
"""

from __future__ import annotations

import pandas as pd

from lib import access
from lib.access import Viewer
from lib.filters import Filters
from lib.settings import current_settings
from lib.store.db import Database
from lib.vocabulary import FUNNEL_STATUSES, MembershipStatus

FUNNEL = tuple(str(status) for status in FUNNEL_STATUSES)
RETENTION_MONTHS = (3, 6, 12)
OTHER_REASONS = "_other"
UNRECORDED_REASON = "_unrecorded"


def funnel(db: Database, filters: Filters) -> pd.DataFrame:
    """Members who reached each stage, conversion from the stage before, and the median days
    it took from entering the stage before.

    Reaching a later stage of candidate → onboarding → active implies the earlier ones; alumni
    counts those who left after being active (leaving during onboarding is that stage's
    drop-off).
    """
    row = db.df(
        """
        WITH stages AS (
            SELECT s.* FROM stage_dates s
            SEMI JOIN club_members($statuses, $departments, $waves) mb USING (person_id)
            WHERE least(s.candidate_on, s.onboarding_on, s.active_on) <= $as_of
        )
        SELECT
            count(*) AS candidate,
            count(*) FILTER (WHERE onboarding_on <= $as_of OR active_on <= $as_of) AS onboarding,
            count(*) FILTER (WHERE active_on <= $as_of) AS active,
            count(*) FILTER (WHERE active_on <= $as_of AND alumni_on <= $as_of) AS alumni,
            median(date_diff('day', candidate_on, coalesce(onboarding_on, active_on)))
                FILTER (WHERE coalesce(onboarding_on, active_on) <= $as_of) AS candidate_days,
            median(date_diff('day', onboarding_on, active_on))
                FILTER (WHERE active_on <= $as_of) AS onboarding_days,
            median(date_diff('day', active_on, alumni_on))
                FILTER (WHERE alumni_on <= $as_of) AS active_days
        FROM stages
        """,
        {**filters.member_params(), "as_of": filters.as_of},
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
    return db.df(
        """
        WITH started AS (
            SELECT mb.wave, s.person_id, s.started_on, s.alumni_on
            FROM stage_dates s
            JOIN club_members($statuses, $departments, $waves) mb USING (person_id)
            WHERE s.started_on <= $as_of
        ),
        horizons AS (SELECT unnest($horizons::INTEGER[]) AS months)
        SELECT st.wave, h.months,
               count(*) FILTER (WHERE st.started_on + to_months(h.months) <= $as_of) AS eligible,
               count(*) FILTER (
                   WHERE st.started_on + to_months(h.months) <= $as_of
                     AND (st.alumni_on IS NULL OR st.alumni_on > st.started_on
                          + to_months(h.months))
               ) AS retained
        FROM started st CROSS JOIN horizons h
        GROUP BY ALL
        ORDER BY st.wave, h.months
        """,
        {**filters.member_params(), "horizons": list(RETENTION_MONTHS), "as_of": filters.as_of},
    ).assign(retention=lambda f: f["retained"] / f["eligible"].where(f["eligible"] > 0))


def offboarding_reasons(db: Database, filters: Filters, viewer: Viewer | None) -> pd.DataFrame:
    """How many members left in the period, by exit reason. Counts only; for a viewer who may
    not see small segments, reasons given by fewer than `segment_min_interviews` people are
    folded into one "other reasons" row so nobody is singled out."""
    counts = db.df(
        """
        SELECT coalesce(nullif(trim(exit_reason), ''), $unrecorded) AS reason, count(*) AS alumni
        FROM club_members($statuses, $departments, $waves)
        WHERE left_on > $period_start AND left_on <= $as_of
        GROUP BY ALL ORDER BY alumni DESC, reason
        """,
        {
            **filters.member_params((MembershipStatus.ALUMNI,)),
            "unrecorded": UNRECORDED_REASON,
            "period_start": filters.period_start,
            "as_of": filters.as_of,
        },
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
    return db.df(
        """
        SELECT m.person_id, m.name, m.department, m.wave, m.joined_on, m.left_on,
               m.exit_reason,
               (SELECT arg_max(e.note, e.changed_on) FROM membership_events e
                WHERE e.person_id = m.person_id AND e.to_status = 'alumni') AS note
        FROM club_members($statuses, $departments, $waves) m
        WHERE m.left_on > $period_start AND m.left_on <= $as_of
        ORDER BY m.left_on DESC, m.person_id
        """,
        {
            **filters.member_params((MembershipStatus.ALUMNI,)),
            "period_start": filters.period_start,
            "as_of": filters.as_of,
        },
    )


def membership_moves(db: Database, filters: Filters) -> dict[str, int]:
    """New members (started onboarding) and exits (became alumni) this calendar quarter and
    the one before."""
    quarter = pd.Timestamp(filters.as_of).to_period("Q")
    this_start = quarter.start_time.date()
    last_start = (quarter - 1).start_time.date()
    row = db.rows(
        """
        WITH h AS (
            SELECT h.* FROM status_history h
            SEMI JOIN club_members($statuses, $departments, $waves) USING (person_id)
        )
        SELECT
          count(DISTINCT person_id) FILTER (WHERE to_status = 'onboarding'
                                  AND changed_on >= $this_start AND changed_on <= $as_of),
          count(DISTINCT person_id) FILTER (WHERE to_status = 'onboarding'
                                  AND changed_on >= $last_start AND changed_on < $this_start),
          count(DISTINCT person_id) FILTER (WHERE to_status = 'alumni'
                                  AND changed_on >= $this_start AND changed_on <= $as_of),
          count(DISTINCT person_id) FILTER (WHERE to_status = 'alumni'
                                  AND changed_on >= $last_start AND changed_on < $this_start)
        FROM h
        """,
        {
            **filters.member_params(),
            "this_start": this_start,
            "last_start": last_start,
            "as_of": filters.as_of,
        },
    )[0]
    return dict(zip(["joined", "joined_before", "left", "left_before"], row, strict=True))
