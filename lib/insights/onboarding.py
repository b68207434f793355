"""Onboarding checklists: each new member's progress through the charter's onboarding rules.

A step is done when the data shows it (a filled expertise profile, an onboarding day
attended, a first community session, a first contribution) or when a curator ticked it;
a step not done by its due day (joined_on + due_days) is overdue. Per-person progress is
for curators and administrators only.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from lib import access
from lib.access import Viewer
from lib.filters import Filters
from lib.membership import checklists
from lib.store.db import Database
from lib.vocabulary import ONBOARDING_STATUSES, SESSION_EVENT_KINDS, Checklist

RECENT_DAYS = 180


def _require_staff(viewer: Viewer | None) -> None:
    access.require(viewer, "see_onboarding")


def onboarding_steps(db: Database) -> pd.DataFrame:
    """The checklist: step_id, position, title, due_days, evidence (None = ticked by hand)."""
    return db.df(
        "SELECT step_id, position, title, due_days, evidence FROM onboarding_steps "
        "ORDER BY position, step_id"
    )


def onboarding_progress(
    db: Database, viewer: Viewer, filters: Filters, *, recent_days: int = RECENT_DAYS
) -> pd.DataFrame:
    """One row per member in onboarding (or active and joined within `recent_days`) and
    step: due_on, done, done_on, done_by ('data' or 'curator'), overdue, days_overdue."""
    _require_staff(viewer)
    return progress_frame(db, filters, recent_days=recent_days)


def progress_frame(db: Database, filters: Filters, *, recent_days: int = RECENT_DAYS):
    """`onboarding_progress` without the access check, for callers that decide it (a member's
    own page keeps only their own rows)."""
    as_of = filters.as_of
    since = (pd.Timestamp(as_of) - pd.Timedelta(days=recent_days)).date()
    return db.df(
        """
        WITH members AS (
            SELECT person_id, name, department, wave, status, joined_on
            FROM club_members($statuses, $departments, $waves)
            WHERE status = 'onboarding' OR joined_on >= $since
        ),
        evidence AS (
            SELECT 'profile' AS evidence, ps.person_id, min(ps.confirmed_on) AS done_on
            FROM person_skills ps JOIN members USING (person_id)
            WHERE ps.confirmed_on IS NULL OR ps.confirmed_on <= $as_of
            GROUP BY ps.person_id
            UNION ALL
            SELECT 'onboarding_day', a.person_id, min(e.date)
            FROM attendance a JOIN events e USING (event_id) JOIN members USING (person_id)
            WHERE e.kind = 'onboarding_day' AND e.date <= $as_of
            GROUP BY a.person_id
            UNION ALL
            SELECT 'community_session', person_id, min(day) FROM (
                SELECT a.person_id, e.date AS day
                FROM attendance a JOIN events e USING (event_id) JOIN members x USING (person_id)
                WHERE list_contains($session_kinds, e.kind)
                  AND e.date BETWEEN coalesce(x.joined_on, e.date) AND $as_of
                UNION ALL
                SELECT ac.person_id, ac.occurred_on
                FROM activities ac JOIN members x USING (person_id)
                WHERE ac.kind = 'community_session'
                  AND ac.occurred_on BETWEEN coalesce(x.joined_on, ac.occurred_on) AND $as_of
            ) GROUP BY person_id
            UNION ALL
            SELECT 'contribution', ac.person_id, min(ac.occurred_on)
            FROM activities ac JOIN members x USING (person_id)
            WHERE ac.occurred_on BETWEEN coalesce(x.joined_on, ac.occurred_on) AND $as_of
            GROUP BY ac.person_id
        ),
        grid AS (
            SELECT x.*, s.step_id, s.position, s.title, s.due_days,
                   x.joined_on + s.due_days * INTERVAL 1 DAY AS due_at,
                   ev.person_id IS NOT NULL AS by_data, ev.done_on AS data_on,
                   t.person_id IS NOT NULL AS by_tick, t.done_on AS tick_on
            FROM members x CROSS JOIN onboarding_steps s
            LEFT JOIN evidence ev ON ev.person_id = x.person_id AND ev.evidence = s.evidence
            LEFT JOIN onboarding_ticks t ON t.person_id = x.person_id AND t.step_id = s.step_id
        )
        SELECT person_id, name, department, wave, status, joined_on, step_id, position, title,
               CAST(due_at AS DATE) AS due_on,
               by_data OR by_tick AS done,
               CASE WHEN by_data AND by_tick THEN least(data_on, tick_on)
                    WHEN by_data THEN data_on ELSE tick_on END AS done_on,
               CASE WHEN by_data THEN 'data' WHEN by_tick THEN 'curator' END AS done_by,
               NOT (by_data OR by_tick) AND coalesce(CAST(due_at AS DATE) < $as_of, FALSE)
                   AS overdue,
               CASE WHEN NOT (by_data OR by_tick) AND CAST(due_at AS DATE) < $as_of
                    THEN date_diff('day', CAST(due_at AS DATE), $as_of) ELSE 0 END AS days_overdue
        FROM grid
        ORDER BY joined_on DESC NULLS LAST, person_id, position, step_id
        """,
        {
            **filters.member_params(ONBOARDING_STATUSES),
            "since": since,
            "as_of": as_of,
            "session_kinds": [str(kind) for kind in SESSION_EVENT_KINDS],
        },
    )


def onboarding_summary(progress: pd.DataFrame) -> pd.DataFrame:
    """One row per member: steps done of total, overdue steps, the next open step and its
    due day; members with overdue steps first."""
    columns = [
        "person_id",
        "name",
        "department",
        "status",
        "joined_on",
        "steps_done",
        "steps_total",
        "overdue_steps",
        "next_step",
        "next_due",
    ]
    if progress.empty:
        return pd.DataFrame(columns=columns)
    open_steps = progress[~progress.done].sort_values(["person_id", "position"])
    first_open = open_steps.groupby("person_id").first()
    keys = ["person_id", "name", "department", "status", "joined_on"]
    summary = (
        progress.groupby("person_id", sort=False)
        .agg(
            name=("name", "first"),
            department=("department", "first"),
            status=("status", "first"),
            joined_on=("joined_on", "first"),
            steps_done=("done", "sum"),
            steps_total=("step_id", "count"),
            overdue_steps=("overdue", "sum"),
        )
        .reset_index()
    )
    summary["next_step"] = summary.person_id.map(first_open["step_id"])
    summary["next_due"] = summary.person_id.map(first_open["due_on"])
    summary[["steps_done", "steps_total", "overdue_steps"]] = summary[
        ["steps_done", "steps_total", "overdue_steps"]
    ].astype(int)
    summary = summary.sort_values(
        ["overdue_steps", "joined_on", "person_id"], ascending=[False, False, True]
    )
    return summary[keys + columns[len(keys) :]].reset_index(drop=True)


def tick_step(
    db: Database,
    viewer: Viewer,
    person_id: str,
    step_id: str,
    *,
    done_on: date | None = None,
    note: str | None = None,
) -> int:
    """Mark a step done for a member by hand (curators and admins), audited; see
    `lib.membership.checklists.tick_step`."""
    return checklists.tick_step(
        db, viewer, person_id, Checklist.ONBOARDING, step_id, done_on=done_on, note=note
    )


def untick_step(db: Database, viewer: Viewer, person_id: str, step_id: str) -> int:
    """Remove a hand-made tick (curators and admins), audited."""
    return checklists.untick_step(db, viewer, person_id, Checklist.ONBOARDING, step_id)
