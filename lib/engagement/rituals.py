"""Rituals and motivation: events and who comes, recognitions and whether they change
anything (SPEC.md §2 "Recognition and event impact").

Impact is a difference in differences: a recognised member's activities in the 60 days after
the recognition minus the 60 days before, against the same change for similar members (same
wave, same level at the end of the month before) who got no recognition in those 120 days.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pandas as pd

from lib import access
from lib.access import Viewer
from lib.engagement.scoring import member_scores, snapshot_params
from lib.filters import Filters
from lib.settings import current_settings
from lib.store.db import Database, named_sql

IMPACT_DAYS = 60
# Who attends and who was recognised, per person, is follow-up material for staff only.
PERSONAL_FOLLOW_UP = "see_member_lists"
CLUB_STATUSES = ("onboarding", "active", "paused", "alumni")
ALL_KINDS = "_all"


def _members_sql(filters: Filters, statuses: tuple[str, ...]) -> tuple[str, list[Any]]:
    where, params = filters.member_clause("p", "m")
    marks = ", ".join("?" for _ in statuses)
    return (
        "SELECT m.person_id, p.name, p.department, m.wave, m.status "
        "FROM memberships m JOIN people p USING (person_id) "
        f"WHERE m.status IN ({marks}) AND {where}",
        [*statuses, *params],
    )


def event_attendance(db: Database, filters: Filters) -> pd.DataFrame:
    """Each event held in the period with the filtered members who came (attendees, speakers,
    organisers), the members in the club that day, and turnout = came ÷ in the club."""
    members_sql, params = _members_sql(filters, CLUB_STATUSES)
    return db.df(
        f"""
        WITH members AS ({members_sql}),
        spans AS (
            SELECT s.person_id, s.started_on, s.alumni_on
            FROM stage_dates s SEMI JOIN members mb USING (person_id)
        ),
        held AS (SELECT * FROM events WHERE date > ? AND date <= ?),
        came AS (
            SELECT a.event_id, count(*) AS came,
                   count(*) FILTER (WHERE a.role = 'attendee') AS attendees,
                   count(*) FILTER (WHERE a.role = 'speaker') AS speakers,
                   count(*) FILTER (WHERE a.role = 'organiser') AS organisers
            FROM attendance a SEMI JOIN members mb USING (person_id)
            GROUP BY ALL
        ),
        in_club AS (
            SELECT h.event_id, count(*) AS in_club
            FROM held h JOIN spans s
              ON s.started_on <= h.date AND (s.alumni_on IS NULL OR s.alumni_on > h.date)
            GROUP BY ALL
        )
        SELECT h.event_id, h.date, h.kind, h.title, h.budget,
               coalesce(c.came, 0) AS came, coalesce(c.attendees, 0) AS attendees,
               coalesce(c.speakers, 0) AS speakers, coalesce(c.organisers, 0) AS organisers,
               coalesce(i.in_club, 0) AS in_club,
               coalesce(c.came, 0) / nullif(i.in_club, 0) AS turnout
        FROM held h LEFT JOIN came c USING (event_id) LEFT JOIN in_club i USING (event_id)
        ORDER BY h.date, h.event_id
        """,
        [*params, filters.period_start, filters.as_of],
    )


def never_attending(db: Database, filters: Filters, viewer: Viewer | None) -> pd.DataFrame:
    """Current members who were in the club for at least one event of the period and came to
    none of them (staff only), with the last event they ever came to."""
    access.require(viewer, PERSONAL_FOLLOW_UP)
    members_sql, params = _members_sql(filters, ("onboarding", "active", "paused"))
    return db.df(
        f"""
        WITH members AS ({members_sql}),
        spans AS (
            SELECT s.person_id, s.started_on, s.alumni_on
            FROM stage_dates s SEMI JOIN members mb USING (person_id)
        ),
        held AS (SELECT event_id, date FROM events WHERE date > ? AND date <= ?),
        chances AS (
            SELECT s.person_id, count(*) AS events_held,
                   count(a.event_id) AS events_attended
            FROM spans s
            JOIN held h ON s.started_on <= h.date AND (s.alumni_on IS NULL OR s.alumni_on > h.date)
            LEFT JOIN attendance a ON a.event_id = h.event_id AND a.person_id = s.person_id
            GROUP BY ALL
        ),
        last_seen AS (
            SELECT a.person_id, max(e.date) AS last_attended
            FROM attendance a JOIN events e USING (event_id)
            WHERE e.date <= ?
            GROUP BY ALL
        )
        SELECT mb.person_id, mb.name, mb.department, mb.wave, mb.status, c.events_held,
               l.last_attended
        FROM chances c JOIN members mb USING (person_id)
        LEFT JOIN last_seen l USING (person_id)
        WHERE c.events_attended = 0
        ORDER BY c.events_held DESC, mb.person_id
        """,
        [*params, filters.period_start, filters.as_of, filters.as_of],
    )


def activity_change_sql(day: str) -> str:
    """CTEs counting each (person_id, `day`) row of a `lookups` CTE's activities in the window
    before and after that day, ending in `counts(person_id, day, before, after)`. The query
    must define `lookups`, `members mb` and `window_days w(days)`."""
    return f"""
    daily AS (
        SELECT a.person_id, a.occurred_on, count(*) AS n
        FROM activities a SEMI JOIN members mb USING (person_id)
        GROUP BY ALL
    ),
    running AS (
        SELECT person_id, occurred_on,
               sum(n) OVER (PARTITION BY person_id ORDER BY occurred_on) AS total
        FROM daily
    ),
    bounds AS (
        SELECT l.person_id, l.{day}, b.step, l.{day} + b.step * w.days AS bound
        FROM lookups l CROSS JOIN window_days w
        CROSS JOIN (SELECT * FROM (VALUES (-1), (0), (1))) b(step)
    ),
    totals AS (
        SELECT b.person_id, b.{day}, b.step, coalesce(r.total, 0) AS total
        FROM bounds b
        ASOF LEFT JOIN running r ON r.person_id = b.person_id AND b.bound > r.occurred_on
    ),
    counts AS (
        SELECT person_id, {day},
               max(total) FILTER (WHERE step = 0) - max(total) FILTER (WHERE step = -1)
                   AS before,
               max(total) FILTER (WHERE step = 1) - max(total) FILTER (WHERE step = 0)
                   AS after
        FROM totals GROUP BY ALL
    )"""


def recognition_cases(
    db: Database,
    filters: Filters,
    *,
    settings: dict[str, Any] | None = None,
    days: int = IMPACT_DAYS,
) -> pd.DataFrame:
    """Every recognition of the period with complete windows: the member's activities in the
    `days` before and after, and the same for their comparison group (same wave and level,
    in the club throughout, not recognised in those days). One row per recognition."""
    settings = settings or current_settings(db)
    first, last = filters.period_start, filters.as_of - timedelta(days=days - 1)
    level_dates = [
        r[0]
        for r in db.rows(
            "SELECT DISTINCT (date_trunc('month', date) - INTERVAL 1 DAY)::DATE FROM recognitions "
            "WHERE date >= ? AND date <= ? ORDER BY 1",
            [first, last],
        )
    ]
    columns = [
        "person_id",
        "name",
        "department",
        "wave",
        "recognised_on",
        "kind",
        "level",
        "before",
        "after",
        "peers",
        "peer_before",
        "peer_after",
        "effect",
    ]
    if not level_dates:
        return pd.DataFrame(columns=columns)
    sql = f"""
    WITH levels AS (SELECT taken_on, person_id, level FROM ({named_sql("snapshot_scores")})),
    members AS (
        SELECT person_id, name, department, wave, status
        FROM club_members($statuses, $departments, $waves)
    ),
    spans AS (
        SELECT s.person_id, s.started_on, s.alumni_on
        FROM stage_dates s SEMI JOIN members mb USING (person_id)
    ),
    window_days AS (SELECT $impact_days::INTEGER AS days),
    cases AS (
        SELECT row_number() OVER (ORDER BY r.date, r.person_id, r.kind) AS case_id,
               r.person_id, r.date AS recognised_on, r.kind, mb.wave,
               (date_trunc('month', r.date) - INTERVAL 1 DAY)::DATE AS level_on
        FROM recognitions r
        JOIN members mb USING (person_id)
        JOIN spans s USING (person_id)
        CROSS JOIN window_days w
        WHERE r.date >= $first AND r.date <= $last
          AND s.started_on <= r.date - w.days
          AND (s.alumni_on IS NULL OR s.alumni_on >= r.date + w.days)
    ),
    case_levels AS (
        SELECT c.*, l.level FROM cases c
        JOIN levels l ON l.person_id = c.person_id AND l.taken_on = c.level_on
    ),
    peers AS (
        SELECT c.case_id, l.person_id AS peer_id, c.recognised_on
        FROM case_levels c
        CROSS JOIN window_days w
        JOIN levels l ON l.taken_on = c.level_on AND l.level = c.level
                     AND l.person_id <> c.person_id
        JOIN members pm ON pm.person_id = l.person_id AND pm.wave = c.wave
        JOIN spans s ON s.person_id = l.person_id
        WHERE s.started_on <= c.recognised_on - w.days
          AND (s.alumni_on IS NULL OR s.alumni_on >= c.recognised_on + w.days)
          AND NOT EXISTS (
              SELECT 1 FROM recognitions r
              WHERE r.person_id = l.person_id
                AND r.date > c.recognised_on - w.days AND r.date < c.recognised_on + w.days
          )
    ),
    lookups AS (
        SELECT DISTINCT person_id, recognised_on FROM case_levels
        UNION
        SELECT DISTINCT peer_id, recognised_on FROM peers
    ),
    {activity_change_sql("recognised_on")},
    peer_change AS (
        SELECT p.case_id, count(*) AS peers, avg(k.before) AS peer_before,
               avg(k.after) AS peer_after
        FROM peers p
        JOIN counts k ON k.person_id = p.peer_id AND k.recognised_on = p.recognised_on
        GROUP BY ALL
    )
    SELECT c.person_id, mb.name, mb.department, c.wave, c.recognised_on, c.kind, c.level,
           k.before, k.after, coalesce(pc.peers, 0) AS peers, pc.peer_before, pc.peer_after,
           (k.after - k.before) - (pc.peer_after - pc.peer_before) AS effect
    FROM case_levels c
    JOIN members mb USING (person_id)
    JOIN counts k ON k.person_id = c.person_id AND k.recognised_on = c.recognised_on
    LEFT JOIN peer_change pc USING (case_id)
    ORDER BY c.recognised_on, c.person_id, c.kind
    """
    query_params = {
        **snapshot_params(settings, level_dates),
        **filters.member_params(CLUB_STATUSES),
        "impact_days": days,
        "first": first,
        "last": last,
    }
    return db.df(sql, query_params)[columns]


def recognition_impact(
    db: Database,
    filters: Filters,
    *,
    settings: dict[str, Any] | None = None,
    days: int = IMPACT_DAYS,
) -> pd.DataFrame:
    """Average difference-in-differences effect per recognition kind and overall (kind
    `_all`), from the cases that have a comparison group; `unmatched` counts those without."""
    return impact_by_kind(
        recognition_cases(db, filters, settings=settings, days=days), overall=True
    )


def impact_by_kind(cases: pd.DataFrame, *, overall: bool = False) -> pd.DataFrame:
    """Average difference-in-differences effect per kind (and over all kinds, as `_all`, when
    `overall`) from the cases with a comparison group; `unmatched` counts those without."""
    columns = ["kind", "cases", "unmatched", "before", "after", "peer_before", "peer_after"]
    if cases.empty:
        return pd.DataFrame(columns=[*columns, "effect"])
    matched = cases.assign(matched=cases["peers"] > 0)
    groups = [*([(ALL_KINDS, matched)] if overall else []), *matched.groupby("kind", sort=True)]
    rows = []
    for kind, group in groups:
        used = group[group["matched"]]
        rows.append(
            {
                "kind": kind,
                "cases": len(used),
                "unmatched": int((~group["matched"]).sum()),
                "before": used["before"].mean(),
                "after": used["after"].mean(),
                "peer_before": used["peer_before"].mean(),
                "peer_after": used["peer_after"].mean(),
            }
        )
    out = pd.DataFrame(rows, columns=columns)
    return out.assign(
        effect=(out["after"] - out["before"]) - (out["peer_after"] - out["peer_before"])
    )


def recognition_gaps(
    db: Database,
    filters: Filters,
    viewer: Viewer | None,
    *,
    settings: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """Current members not recognised for `recognition_gap_days` (or never), with their level
    and index so the busiest unthanked come first (staff only)."""
    access.require(viewer, PERSONAL_FOLLOW_UP)
    settings = settings or current_settings(db)
    scores = member_scores(db, filters, settings=settings)
    last = db.df(
        "SELECT person_id, max(date) AS last_recognised, count(*) AS recognitions "
        "FROM recognitions WHERE date <= ? GROUP BY ALL",
        [filters.as_of],
    )
    out = scores[["person_id", "name", "department", "wave", "status", "points", "index"]]
    out = out.assign(level=scores["level"]).merge(last, on="person_id", how="left")
    out["recognitions"] = out["recognitions"].fillna(0).astype(int)
    since = (pd.Timestamp(filters.as_of) - pd.to_datetime(out["last_recognised"])).dt.days
    out["days_since"] = since
    gap = int(settings["recognition_gap_days"])
    overdue = out["last_recognised"].isna() | (out["days_since"] >= gap)
    return (
        out[overdue]
        .sort_values(["index", "person_id"], ascending=[False, True])
        .reset_index(drop=True)
    )
