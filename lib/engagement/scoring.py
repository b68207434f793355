"""Workload-adjusted engagement (SPEC.md §2): activity points, index, levels and at-risk flags.

Activity points = weight(kind) × reach(audience) × 0.5^(age_days / half_life), with
reach = 1 + log10(1 + audience) / 2 and the age counted from the day the score is taken.
A member's points are summed over a window of `window_days` ending that day. Expected points =
hours available for community work in the window × expected_points_per_hour, never below
min_expected_points; the index = points / expected. A month without a capacity row counts
`default_hours_available` hours; a member whose whole window is like that is flagged "default"
(some months missing: "partial", none missing: "reported").

Levels: dormant when nothing was contributed in the last `dormant_days`; otherwise core when
index ≥ level_core_index, active when index ≥ level_active_index, else contributing. The
previous window is the one just before; a member is at risk when the index fell to at most
at_risk_drop × the previous index (previous > 0), or the level dropped.

Everything is one DuckDB query; `member_scores` is the raw table other modules build on, and
`engagement_scores` is what pages and reports get: capacity columns only for those who may see
them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import pandas as pd

from lib import access, i18n
from lib.access import Viewer
from lib.filters import Filters
from lib.io.reports import report
from lib.settings import current_settings, save_setting
from lib.store.db import Database

MEMBER_STATUSES = ("active", "onboarding", "paused")
LEVELS = ("dormant", "contributing", "active", "core")
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}
CAPACITY_COLUMNS = ("hours_available", "expected", "previous_expected", "capacity_flag")
REASONS = ("index_and_level_drop", "index_drop", "level_drop")
MIN_EXPECTED_FLOOR = 0.01


def _values(rows: int, width: int) -> str:
    """A VALUES list of `rows` rows of `width` placeholders."""
    row = "(" + ", ".join("?" for _ in range(width)) + ")"
    return ", ".join(row for _ in range(rows))


def snapshot_scores_sql(members_sql: str, snapshot_count: int, weight_count: int) -> str:
    """SQL scoring every member of `members_sql` at each snapshot date.

    Parameters, in order: kind weights (kind, weight)…, snapshot dates…, the members query's
    parameters, then `score_params`. Result: one row per member and snapshot.
    """
    return f"""
    WITH weights(kind, weight) AS (SELECT * FROM (VALUES {_values(weight_count, 2)})),
    snapshots(taken_on) AS (
        SELECT * FROM (VALUES {", ".join("(?::DATE)" for _ in range(snapshot_count))})
    ),
    members AS ({members_sql}),
    params AS (
        SELECT ?::INTEGER AS window_days, ?::DOUBLE AS half_life,
               ?::DOUBLE AS default_hours, ?::DOUBLE AS rate, ?::DOUBLE AS min_expected,
               ?::INTEGER AS dormant_days, ?::DOUBLE AS core_index, ?::DOUBLE AS active_index
    ),
    earned AS (
        SELECT s.taken_on, a.person_id,
               sum(coalesce(w.weight, 0)
                   * (1 + log10(1 + greatest(coalesce(a.audience, 0), 0)) / 2)
                   * pow(0.5, date_diff('day', a.occurred_on, s.taken_on) / pr.half_life)
               ) AS points,
               count(*) AS activities
        FROM activities a
        SEMI JOIN members mb ON mb.person_id = a.person_id
        JOIN snapshots s
          ON a.occurred_on > s.taken_on - (SELECT window_days FROM params)
         AND a.occurred_on <= s.taken_on
        CROSS JOIN params pr
        LEFT JOIN weights w ON w.kind = a.kind
        GROUP BY ALL
    ),
    seen AS (
        SELECT s.taken_on, a.person_id, max(a.occurred_on) AS last_contribution
        FROM activities a
        SEMI JOIN members mb ON mb.person_id = a.person_id
        JOIN snapshots s ON a.occurred_on <= s.taken_on
        GROUP BY ALL
    ),
    window_months AS (
        SELECT taken_on, first_day, month::DATE AS month,
               date_diff('day', greatest(month::DATE, first_day),
                         least((month + INTERVAL 1 MONTH)::DATE, taken_on + 1)) AS overlap,
               date_diff('day', month::DATE, (month + INTERVAL 1 MONTH)::DATE) AS month_days
        FROM (
            SELECT taken_on, taken_on - (SELECT window_days FROM params) + 1 AS first_day,
                   unnest(generate_series(
                       date_trunc('month', taken_on - (SELECT window_days FROM params) + 1),
                       date_trunc('month', taken_on), INTERVAL 1 MONTH)) AS month
            FROM snapshots
        )
    ),
    monthly_capacity AS (
        SELECT person_id, date_trunc('month', month)::DATE AS month,
               avg(hours_available) AS hours_available
        FROM capacity
        WHERE hours_available IS NOT NULL
        GROUP BY ALL
    ),
    hours AS (
        SELECT wm.taken_on, mb.person_id,
               sum(coalesce(c.hours_available, pr.default_hours) * wm.overlap / wm.month_days)
                   AS hours_available,
               count(c.hours_available) AS reported_months, count(*) AS months
        FROM window_months wm
        CROSS JOIN members mb
        CROSS JOIN params pr
        LEFT JOIN monthly_capacity c ON c.person_id = mb.person_id AND c.month = wm.month
        GROUP BY ALL
    ),
    scored AS (
        SELECT h.taken_on, mb.*, coalesce(e.points, 0) AS points,
               coalesce(e.activities, 0) AS activities, h.hours_available,
               greatest(pr.min_expected, h.hours_available * pr.rate, {MIN_EXPECTED_FLOOR})
                   AS expected,
               sn.last_contribution,
               CASE WHEN h.reported_months = h.months THEN 'reported'
                    WHEN h.reported_months = 0 THEN 'default' ELSE 'partial' END
                   AS capacity_flag,
               sn.last_contribution IS NULL
                   OR sn.last_contribution <= h.taken_on - pr.dormant_days AS dormant
        FROM hours h
        JOIN members mb USING (person_id)
        CROSS JOIN params pr
        LEFT JOIN earned e ON e.person_id = h.person_id AND e.taken_on = h.taken_on
        LEFT JOIN seen sn ON sn.person_id = h.person_id AND sn.taken_on = h.taken_on
    )
    SELECT s.*, s.points / s.expected AS index,
           CASE WHEN s.dormant THEN 'dormant'
                WHEN s.points / s.expected >= pr.core_index THEN 'core'
                WHEN s.points / s.expected >= pr.active_index THEN 'active'
                ELSE 'contributing' END AS level
    FROM scored s CROSS JOIN params pr
    """


def score_params(settings: dict[str, Any]) -> list[Any]:
    window = int(settings["window_days"])
    return [
        window,
        float(settings["half_life_days"]) or 1e-9,
        float(settings["default_hours_available"]),
        float(settings["expected_points_per_hour"]),
        float(settings["min_expected_points"]),
        int(settings["dormant_days"]),
        float(settings["level_core_index"]),
        float(settings["level_active_index"]),
    ]


def _members_sql(filters: Filters, statuses: Sequence[str]) -> tuple[str, list[Any]]:
    where, params = filters.member_clause("p", "m")
    marks = ", ".join("?" for _ in statuses)
    sql = (
        "SELECT m.person_id, p.name, p.department, m.wave, m.status "
        "FROM memberships m JOIN people p USING (person_id) "
        f"WHERE m.status IN ({marks}) AND {where}"
    )
    return sql, [*statuses, *params]


def scores_at(
    db: Database,
    filters: Filters,
    dates: Sequence[date],
    *,
    settings: dict[str, Any] | None = None,
    statuses: Sequence[str] = MEMBER_STATUSES,
) -> pd.DataFrame:
    """Every member's points, index and level at each of `dates` (one row per member × date)."""
    settings = settings or current_settings(db)
    weights = list(settings["kind_weights"].items())
    members_sql, member_params = _members_sql(filters, statuses)
    sql = snapshot_scores_sql(members_sql, len(dates), len(weights))
    params = [
        *[v for pair in weights for v in pair],
        *dates,
        *member_params,
        *score_params(settings),
    ]
    return db.df(sql + " ORDER BY taken_on, person_id", params)


def member_scores(
    db: Database, filters: Filters, *, settings: dict[str, Any] | None = None
) -> pd.DataFrame:
    """One row per member (active, onboarding, paused): points, expected, index, level, the
    previous window's level and the at-risk flag with its reason code. Includes capacity:
    for pages and reports use `engagement_scores`, which applies the viewer's rights."""
    settings = settings or current_settings(db)
    weights = list(settings["kind_weights"].items())
    window = int(settings["window_days"])
    current, previous = filters.as_of, filters.as_of - timedelta(days=window)
    members_sql, member_params = _members_sql(filters, MEMBER_STATUSES)
    snapshots = snapshot_scores_sql(members_sql, 2, len(weights))
    sql = f"""
    WITH snap AS ({snapshots}),
    cur AS (SELECT * FROM snap WHERE taken_on = ?::DATE),
    prev AS (SELECT * FROM snap WHERE taken_on = ?::DATE),
    joined AS (
        SELECT cur.*, prev.points AS previous_points, prev.index AS previous_index,
               prev.expected AS previous_expected, prev.level AS previous_level,
               {_rank_sql("cur.level")} < {_rank_sql("prev.level")} AS level_dropped,
               prev.index > 0 AND cur.index <= ? * prev.index AS index_dropped
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
    params = [
        *[v for pair in weights for v in pair],
        current,
        previous,
        *member_params,
        *score_params(settings),
        current,
        previous,
        float(settings["at_risk_drop"]),
    ]
    return db.df(sql, params)


def _rank_sql(column: str) -> str:
    cases = " ".join(f"WHEN '{level}' THEN {rank}" for level, rank in LEVEL_RANK.items())
    return f"(CASE {column} {cases} END)"


def for_viewer(frame: pd.DataFrame, viewer: Viewer | None) -> pd.DataFrame:
    """Drop capacity columns (hours, expected points, capacity flag) unless the viewer may see
    a person's capacity."""
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
    "department": "p.department",
    "wave": "m.wave::VARCHAR",
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
        raise ValueError(f"Trends split by one of {sorted(k for k in TREND_GROUPS if k)}")
    settings = settings or current_settings(db)
    weights = list(settings["kind_weights"].items())
    where, params = filters.member_clause("p", "m")
    marks = ", ".join("?" for _ in (*MEMBER_STATUSES, "alumni"))
    return db.df(
        f"""
        WITH weights(kind, weight) AS (SELECT * FROM (VALUES {_values(len(weights), 2)}))
        SELECT date_trunc('month', a.occurred_on)::DATE AS month,
               {TREND_GROUPS[by]} AS "group",
               count(*) AS activities,
               sum(coalesce(w.weight, 0)
                   * (1 + log10(1 + greatest(coalesce(a.audience, 0), 0)) / 2)) AS points,
               count(DISTINCT a.person_id) AS contributors
        FROM activities a
        JOIN memberships m USING (person_id)
        JOIN people p USING (person_id)
        LEFT JOIN weights w ON w.kind = a.kind
        WHERE m.status IN ({marks}) AND {where} AND a.occurred_on > ? AND a.occurred_on <= ?
        GROUP BY ALL
        ORDER BY month, "group"
        """,
        [
            *[v for pair in weights for v in pair],
            *MEMBER_STATUSES,
            "alumni",
            *params,
            filters.period_start,
            filters.as_of,
        ],
    )


def engaged_share(
    db: Database, filters: Filters, *, settings: dict[str, Any] | None = None
) -> pd.DataFrame:
    """At each month end of the period (and today): members active that day, those of them
    with a contribution in the last `dormant_days`, and engaged share = engaged ÷ active."""
    from lib.engagement.lifecycle import STATUS_HISTORY_SQL

    settings = settings or current_settings(db)
    where, params = filters.member_clause("p", "m")
    return db.df(
        f"""
        WITH members AS (
            SELECT m.person_id FROM memberships m JOIN people p USING (person_id)
            WHERE {where}
        ),
        days AS (
            SELECT DISTINCT least((d - INTERVAL 1 DAY)::DATE, ?::DATE) AS day
            FROM generate_series(
                (date_trunc('month', ?::DATE) + INTERVAL 1 MONTH)::TIMESTAMP,
                (date_trunc('month', ?::DATE) + INTERVAL 1 MONTH)::TIMESTAMP,
                INTERVAL 1 MONTH) AS g(d)
        ),
        history AS (
            SELECT h.person_id, h.changed_on, h.to_status
            FROM ({STATUS_HISTORY_SQL}) h SEMI JOIN members mb USING (person_id)
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
             AND a.occurred_on > ac.day - ?::INTEGER AND a.occurred_on <= ac.day
        )
        SELECT d.day AS month_end, count(DISTINCT ac.person_id) AS active,
               count(DISTINCT e.person_id) AS engaged,
               count(DISTINCT e.person_id) / nullif(count(DISTINCT ac.person_id), 0) AS share
        FROM days d
        LEFT JOIN active ac ON ac.day = d.day
        LEFT JOIN engaged e ON e.day = ac.day AND e.person_id = ac.person_id
        GROUP BY d.day ORDER BY d.day
        """,
        [
            *params,
            filters.as_of,
            filters.period_start,
            filters.as_of,
            int(settings["dormant_days"]),
        ],
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
                previous=i18n.fmt_number(row.get("previous_index"), lang, 2),
                current=i18n.fmt_number(row.get("index"), lang, 2),
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
    available in the window: the lines that make the workload adjustment visible."""
    hours = [max_hours * i / steps for i in range(steps + 1)]
    rate, floor = settings["expected_points_per_hour"], settings["min_expected_points"]
    expected = [max(floor, h * rate, MIN_EXPECTED_FLOOR) for h in hours]
    return pd.DataFrame(
        {
            "hours_available": hours,
            "expected": expected,
            "active": [e * settings["level_active_index"] for e in expected],
            "core": [e * settings["level_core_index"] for e in expected],
        }
    )


INTEGER_SETTINGS = (
    "half_life_days",
    "window_days",
    "dormant_days",
    "stale_days",
    "recognition_gap_days",
    "segment_min_interviews",
)


def update_settings(db: Database, viewer: Viewer | None, changes: dict[str, Any]) -> list[str]:
    """Save the settings that differ from the current ones, after checking they make sense
    together; returns the keys saved. Staff only."""
    access.require(viewer, "edit_settings")
    merged = {**current_settings(db), **changes}
    for key in INTEGER_SETTINGS:
        if key in changes and (int(changes[key]) != changes[key] or changes[key] < 1):
            raise ValueError(f"{key} must be a whole number of at least 1")
    if merged["level_active_index"] >= merged["level_core_index"]:
        raise ValueError("The active level must start below the core level")
    if not 0 < merged["at_risk_drop"] < 1:
        raise ValueError("The at-risk drop must be between 0 and 1")
    current = current_settings(db)
    saved = []
    for key, value in changes.items():
        if value != current.get(key):
            stored = int(value) if key in INTEGER_SETTINGS else value
            save_setting(db, key, stored, actor=viewer.actor)
            saved.append(key)
    return saved


def settings_history(db: Database, keys: Sequence[str]) -> pd.DataFrame:
    """Every saved version of the given settings, newest first."""
    if not keys:
        return pd.DataFrame(columns=["version", "key", "value", "changed_at", "changed_by"])
    marks = ", ".join("?" for _ in keys)
    return db.df(
        "SELECT version, key, value, changed_at, changed_by FROM settings "
        f"WHERE key IN ({marks}) ORDER BY version DESC",
        list(keys),
    )


@report("engagement", "Per member: points, engagement index, level, at-risk flag and reason")
def engagement_report(db: Database, viewer: Viewer | None, **options: Any) -> pd.DataFrame:
    """The engagement table for the CLI, respecting the viewer's rights."""
    lang = options.get("lang") or i18n.DEFAULT_LANGUAGE
    filters = Filters(as_of=options["as_of"]) if options.get("as_of") else Filters()
    scores = engagement_scores(db, filters, viewer)
    out = scores.assign(
        points=scores["points"].round(2),
        index=scores["index"].round(2),
        reason=[describe_reason(row, lang) for _, row in scores.iterrows()],
    )
    columns = ["person_id", "name", "department", "wave", "status", "points", "index", "level"]
    columns += ["previous_level", "at_risk", "reason", "last_contribution"]
    if access.can(viewer, "see_person_capacity"):
        out = out.assign(
            hours_available=out["hours_available"].round(1), expected=out["expected"].round(2)
        )
        columns += ["hours_available", "expected", "capacity_flag"]
    return out[columns]
