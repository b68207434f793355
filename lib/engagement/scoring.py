"""Workload-adjusted engagement (SPEC.md §2): activity points, index, levels and at-risk flags.

Activity points = weight(kind) × reach(audience) × 0.5^(age_days / half_life), with
reach = 1 + log10(1 + audience) / 2 and the age counted from the day the score is taken.
A member's points are summed over a window of `window_days` ending that day. Expected points =
max(hours available for community work in the window, min_hours_in_window) × the rate, never
below min_expected_points; the rate (expected points per hour) is calibrated from the club's
trailing history unless fixed (`calibration`). The index = points / expected, clipped at
index_cap, so one member with near-zero capacity cannot dominate. A month without a capacity
row counts `default_hours_available` hours; a member whose whole window is like that is flagged
"default" (some months missing: "partial", none missing: "reported").

Levels: dormant when nothing was contributed in the last `dormant_days`; otherwise core when
index ≥ level_core_index, active when index ≥ level_active_index, else contributing. The
previous window is the one just before; a member is at risk when the index fell to at most
at_risk_drop × the previous index (previous > 0), or the level dropped.

Everything is one DuckDB query, the named file `lib/store/sql/snapshot_scores.sql` (run with
`snapshot_params`); `member_scores` is the raw table other modules build on, and
`engagement_scores` is what pages and reports get: capacity columns only for those who may see
them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import pandas as pd

from lib import access, formatting, i18n
from lib.access import Viewer
from lib.engagement.calibration import with_rate
from lib.engagement.snapshot import MIN_EXPECTED_FLOOR, snapshot_params, weight_params
from lib.errors import Refusal
from lib.filters import Filters
from lib.io.reports import report
from lib.settings import current_settings
from lib.store.db import Database, named_sql
from lib.store.shared import per_data_version
from lib.vocabulary import EVER_MEMBER_STATUSES, SCORED_STATUSES

LEVELS = ("dormant", "contributing", "active", "core")
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}
# A person's workload, and the points that together with their index would give it away
# (hours = points ÷ index ÷ rate): staff only.
CAPACITY_COLUMNS = (
    "hours_available",
    "expected",
    "previous_expected",
    "capacity_flag",
    "points",
    "previous_points",
)
REASONS = ("index_and_level_drop", "index_drop", "level_drop")


@per_data_version
def scores_at(
    db: Database,
    filters: Filters,
    dates: Sequence[date],
    *,
    settings: dict[str, Any] | None = None,
    statuses: Sequence[str] = SCORED_STATUSES,
) -> pd.DataFrame:
    """Every member's points, index and level at each of `dates` (one row per member × date),
    all against the rate in force on the analysis day (one yardstick for a whole series)."""
    settings = with_rate(db, filters.as_of, settings)
    return db.df(
        named_sql("snapshot_scores") + " ORDER BY taken_on, person_id",
        {**snapshot_params(settings, dates), **filters.member_params(tuple(statuses))},
    )


@per_data_version
def member_scores(
    db: Database, filters: Filters, *, settings: dict[str, Any] | None = None
) -> pd.DataFrame:
    """One row per member (active, onboarding, paused): points, expected, index, level, the
    previous window's level and the at-risk flag with its reason code. Includes capacity:
    for pages and reports use `engagement_scores`, which applies the viewer's rights."""
    settings = with_rate(db, filters.as_of, settings)
    current = filters.as_of
    previous = current - timedelta(days=int(settings["window_days"]))
    sql = f"""
    WITH snap AS ({named_sql("snapshot_scores")}),
    cur AS (SELECT * FROM snap WHERE taken_on = $current::DATE),
    prev AS (SELECT * FROM snap WHERE taken_on = $previous::DATE),
    joined AS (
        SELECT cur.*, prev.points AS previous_points, prev.index AS previous_index,
               prev.expected AS previous_expected, prev.level AS previous_level,
               list_position($levels::VARCHAR[], cur.level)
                   < list_position($levels::VARCHAR[], prev.level) AS level_dropped,
               prev.index > 0 AND cur.index <= $at_risk_drop * prev.index AS index_dropped
        FROM cur JOIN prev USING (person_id)
    )
    SELECT person_id, name, department, wave, status, points, expected, index, level,
           previous_level, index_dropped OR level_dropped AS at_risk,
           CASE WHEN index_dropped AND level_dropped THEN 'index_and_level_drop'
                WHEN index_dropped THEN 'index_drop'
                WHEN level_dropped THEN 'level_drop' END AS reason,
           last_contribution, hours_available, capacity_flag, activities,
           previous_points, previous_index, previous_expected
    FROM joined
    ORDER BY index DESC, points DESC, person_id
    """
    params = {
        **snapshot_params(settings, [current, previous]),
        **filters.member_params(SCORED_STATUSES),
        "current": current,
        "previous": previous,
        "levels": list(LEVELS),
        "at_risk_drop": float(settings["at_risk_drop"]),
    }
    return db.df(sql, params)


def for_viewer(frame: pd.DataFrame, viewer: Viewer | None) -> pd.DataFrame:
    """Drop a person's workload (hours, expected points, capacity flag) and their points unless
    the viewer may see capacity: with points beside the index, hours could be worked out."""
    if access.can(viewer, "see_person_capacity"):
        return frame
    return frame.drop(columns=[c for c in CAPACITY_COLUMNS if c in frame.columns])


def engagement_scores(
    db: Database,
    filters: Filters,
    viewer: Viewer | None,
    *,
    settings: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """`member_scores` as the viewer may see it."""
    access.require_page(viewer, "engagement")
    return for_viewer(member_scores(db, filters, settings=settings), viewer)


def level_movement(scores: pd.DataFrame) -> pd.DataFrame:
    """Members by previous level × level, each pair marked up, held or down."""
    columns = ["previous_level", "level", "members", "movement"]
    if scores.empty:
        return pd.DataFrame(columns=columns)
    pairs = scores.groupby(["previous_level", "level"]).size().reset_index(name="members")
    change = pairs["level"].map(LEVEL_RANK) - pairs["previous_level"].map(LEVEL_RANK)
    pairs["movement"] = ["up" if c > 0 else "down" if c < 0 else "held" for c in change]
    return pairs[columns]


def level_summary(scores: pd.DataFrame) -> pd.DataFrame:
    """Members per level now and in the previous window, in level order."""
    now = scores["level"].value_counts()
    before = scores["previous_level"].value_counts()
    return pd.DataFrame(
        {
            "level": list(LEVELS),
            "members": [int(now.get(level, 0)) for level in LEVELS],
            "previous_members": [int(before.get(level, 0)) for level in LEVELS],
        }
    )


TREND_GROUPS = {
    None: "NULL",
    "kind": "a.kind",
    "department": "mb.department",
    "wave": "mb.wave::VARCHAR",
}


def activity_trend(
    db: Database,
    filters: Filters,
    by: str | None = None,
    *,
    settings: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """Activities, points and contributors per month of the period, optionally split by
    activity kind, department or wave. Points here are undecayed (weight × reach): a month's
    contribution as it was earned, so old months are comparable with recent ones."""
    if by not in TREND_GROUPS:
        raise Refusal(
            "engagement.err_trend_split", choices=", ".join(sorted(k for k in TREND_GROUPS if k))
        )
    settings = settings or current_settings(db)
    return db.df(
        f"""
        WITH weights AS (
            SELECT unnest($weight_kinds::VARCHAR[]) AS kind,
                   unnest($weight_values::DOUBLE[]) AS weight
        )
        SELECT date_trunc('month', a.occurred_on)::DATE AS month,
               {TREND_GROUPS[by]} AS "group",
               count(*) AS activities,
               sum(coalesce(w.weight, 0)
                   * (1 + log10(1 + greatest(coalesce(a.audience, 0), 0)) / 2)) AS points,
               count(DISTINCT a.person_id) AS contributors
        FROM activities a
        JOIN club_members($statuses, $departments, $waves) mb USING (person_id)
        LEFT JOIN weights w ON w.kind = a.kind
        WHERE a.occurred_on > $period_start AND a.occurred_on <= $as_of
        GROUP BY ALL
        ORDER BY month, "group"
        """,
        {
            **weight_params(settings),
            **filters.member_params(EVER_MEMBER_STATUSES),
            "period_start": filters.period_start,
            "as_of": filters.as_of,
        },
    )


def engaged_share(
    db: Database, filters: Filters, *, settings: dict[str, Any] | None = None
) -> pd.DataFrame:
    """At each month end of the period (and today): members active that day, those of them
    with a contribution in the last `dormant_days`, and engaged share = engaged ÷ active."""
    settings = settings or current_settings(db)
    return db.df(
        """
        WITH members AS (SELECT person_id FROM club_members($statuses, $departments, $waves)),
        days AS (
            SELECT DISTINCT least((d - INTERVAL 1 DAY)::DATE, $as_of::DATE) AS day
            FROM generate_series(
                (date_trunc('month', $period_start::DATE) + INTERVAL 1 MONTH)::TIMESTAMP,
                (date_trunc('month', $as_of::DATE) + INTERVAL 1 MONTH)::TIMESTAMP,
                INTERVAL 1 MONTH) AS g(d)
        ),
        history AS (
            SELECT h.person_id, h.changed_on, h.to_status
            FROM status_history h SEMI JOIN members mb USING (person_id)
        ),
        status_on AS (
            SELECT g.day, g.person_id, h.to_status AS status
            FROM (SELECT d.day, mb.person_id FROM days d CROSS JOIN members mb) g
            ASOF JOIN history h ON h.person_id = g.person_id AND g.day >= h.changed_on
        ),
        active AS (SELECT day, person_id FROM status_on WHERE status = 'active'),
        engaged AS (
            SELECT DISTINCT ac.day, ac.person_id
            FROM active ac JOIN activities a
              ON a.person_id = ac.person_id
             AND a.occurred_on > ac.day - $dormant_days::INTEGER AND a.occurred_on <= ac.day
        )
        SELECT d.day AS month_end, count(DISTINCT ac.person_id) AS active,
               count(DISTINCT e.person_id) AS engaged,
               count(DISTINCT e.person_id) / nullif(count(DISTINCT ac.person_id), 0) AS share
        FROM days d
        LEFT JOIN active ac ON ac.day = d.day
        LEFT JOIN engaged e ON e.day = ac.day AND e.person_id = ac.person_id
        GROUP BY d.day ORDER BY d.day
        """,
        {
            **filters.member_params(),
            "as_of": filters.as_of,
            "period_start": filters.period_start,
            "dormant_days": int(settings["dormant_days"]),
        },
    )


def describe_reason(row: pd.Series | dict, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """A curator's sentence for an at-risk reason code and its values."""
    code = row.get("reason")
    if not isinstance(code, str) or not code:
        return ""
    parts = []
    if code in ("index_drop", "index_and_level_drop"):
        parts.append(
            i18n.t(
                "engagement.reason_index_drop",
                lang,
                previous=formatting.number(row.get("previous_index"), lang, 2),
                current=formatting.number(row.get("index"), lang, 2),
            )
        )
    if code in ("level_drop", "index_and_level_drop"):
        parts.append(
            i18n.t(
                "engagement.reason_level_drop",
                lang,
                previous=i18n.t(f"engagement.level_{row.get('previous_level')}", lang),
                current=i18n.t(f"engagement.level_{row.get('level')}", lang),
            )
        )
    return "; ".join(parts)


def at_risk_members(
    scores: pd.DataFrame, as_of: date, lang: str = i18n.DEFAULT_LANGUAGE
) -> pd.DataFrame:
    """The at-risk members, biggest fall first, with the reason in words and the days since
    their last contribution."""
    risky = scores[scores["at_risk"]].copy()
    risky["reason_text"] = [describe_reason(row, lang) for _, row in risky.iterrows()]
    last = pd.to_datetime(risky["last_contribution"])
    risky["days_since"] = (pd.Timestamp(as_of) - last).dt.days
    risky["fall"] = risky["previous_index"] - risky["index"]
    return risky.sort_values(["fall", "person_id"], ascending=[False, True]).reset_index(drop=True)


def expected_curve(settings: dict[str, Any], max_hours: float, steps: int = 60) -> pd.DataFrame:
    """Points a member needs for index 1, the active level and the core level, by hours
    available in the window: the lines that make the workload adjustment visible (`settings`
    with the rate in force: `calibration.with_rate`)."""
    hours = [max_hours * i / steps for i in range(steps + 1)]
    rate, floor = settings["expected_points_per_hour"], settings["min_expected_points"]
    least_hours = settings["min_hours_in_window"]
    expected = [max(floor, max(h, least_hours) * rate, MIN_EXPECTED_FLOOR) for h in hours]
    return pd.DataFrame(
        {
            "hours_available": hours,
            "expected": expected,
            "active": [e * settings["level_active_index"] for e in expected],
            "core": [e * settings["level_core_index"] for e in expected],
        }
    )


@report("engagement", "Per member: points, engagement index, level, at-risk flag and reason")
def engagement_report(db: Database, viewer: Viewer | None, **options: Any) -> pd.DataFrame:
    """The engagement table for the CLI, respecting the viewer's rights."""
    lang = options.get("lang") or i18n.DEFAULT_LANGUAGE
    filters = Filters(as_of=options["as_of"]) if options.get("as_of") else Filters()
    scores = engagement_scores(db, filters, viewer)
    out = scores.assign(
        index=scores["index"].round(2),
        reason=[describe_reason(row, lang) for _, row in scores.iterrows()],
    )
    columns = ["person_id", "name", "department", "wave", "status", "index", "level"]
    columns += ["previous_level", "at_risk", "reason", "last_contribution"]
    if access.can(viewer, "see_person_capacity"):
        out = out.assign(
            points=out["points"].round(2),
            hours_available=out["hours_available"].round(1),
            expected=out["expected"].round(2),
        )
        columns[5:5] = ["points"]
        columns += ["hours_available", "expected", "capacity_flag"]
    return out[columns]
