"""What leadership reads in ten seconds: KPIs with their change and trend, and a summary in
words. Aggregates only — no person-level capacity, interview text or exit reasons."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from lib import formatting, i18n
from lib.engagement.lifecycle import membership_moves
from lib.engagement.scoring import engaged_share, scores_at
from lib.filters import Filters
from lib.metrics import Metric, metric, metric_values
from lib.store.db import Database
from lib.vocabulary import MembershipStatus, Priority


@dataclass(frozen=True)
class Kpi:
    """One tile: a registry metric's value today, a period earlier (or last quarter) and its
    monthly trend."""

    key: str
    value: float | None
    previous: float | None
    series: list[float] = field(default_factory=list)

    @property
    def metric(self) -> Metric:
        return metric(self.key)

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


def month_ends(filters: Filters) -> list[date]:
    """The last day of every month in the period, ending with the as-of day."""
    ends = pd.date_range(filters.period_start, filters.as_of, freq="ME").date.tolist()
    if not ends or ends[-1] != filters.as_of:
        ends.append(filters.as_of)
    return ends


def coverage_over_time(db: Database, filters: Filters, days: list[date]) -> pd.DataFrame:
    """Per day and target skill: members active that day holding it at the required level.

    A member's status on a day comes from the status history; their best claim counts.
    """
    return db.df(
        """
        WITH days AS (SELECT unnest($days::DATE[]) AS day),
        members AS (SELECT person_id FROM club_members($statuses, $departments, $waves)),
        history AS (
            SELECT h.person_id, h.changed_on, h.to_status
            FROM status_history h SEMI JOIN members USING (person_id)
        ),
        status_on AS (
            SELECT g.day, g.person_id, h.to_status AS status
            FROM (SELECT d.day, mb.person_id FROM days d CROSS JOIN members mb) g
            ASOF JOIN history h ON h.person_id = g.person_id AND g.day >= h.changed_on
        ),
        best AS (SELECT person_id, skill_id, max(level) AS level FROM person_skills GROUP BY ALL),
        holders AS (
            SELECT s.day, t.skill_id, count(DISTINCT s.person_id) AS holders
            FROM status_on s
            JOIN best b USING (person_id)
            JOIN target_profile t ON t.skill_id = b.skill_id AND b.level >= t.min_level
            WHERE s.status = 'active'
            GROUP BY ALL
        )
        SELECT d.day, t.skill_id, sk.name AS skill, t.priority, t.min_people,
               coalesce(h.holders, 0) AS holders
        FROM days d CROSS JOIN target_profile t
        JOIN skills sk ON sk.skill_id = t.skill_id
        LEFT JOIN holders h ON h.day = d.day AND h.skill_id = t.skill_id
        ORDER BY d.day, t.skill_id
        """,
        {"days": list(days), **filters.member_params()},
    )


def coverage_kpis(coverage: pd.DataFrame) -> pd.DataFrame:
    """Per day: share of must-have skills at target, and skills with a single holder."""
    if coverage.empty:
        return pd.DataFrame(columns=["day", "must_coverage", "single_points"])
    coverage = coverage.assign(covered=coverage["holders"] >= coverage["min_people"])
    must = coverage[coverage["priority"] == Priority.MUST].groupby("day")["covered"].mean()
    single = (coverage["holders"] == 1).groupby(coverage["day"]).sum()
    out = pd.DataFrame({"single_points": single})
    out["must_coverage"] = must
    return out.reset_index()


def next_events(db: Database, filters: Filters, limit: int = 3) -> pd.DataFrame:
    """The next `limit` events after the analysis day."""
    return db.df(
        "SELECT date, kind, title FROM events WHERE date > $as_of ORDER BY date LIMIT $limit",
        {"as_of": filters.as_of, "limit": limit},
    )


def engagement_median_series(db: Database, filters: Filters, days: list[date]) -> list[float]:
    """Median workload-adjusted index of active members at each day."""
    snapshots = scores_at(db, filters, days, statuses=(MembershipStatus.ACTIVE,))
    if snapshots.empty:
        return []
    medians = snapshots.groupby("taken_on")["index"].median()
    return [float(medians.get(pd.Timestamp(d), float("nan"))) for d in days]


KPI_KEYS = (
    "active_members",
    "engaged_share",
    "median_index",
    "must_coverage",
    "target_single_points",
    "joined_quarter",
    "left_quarter",
)


def leadership_kpis(db: Database, filters: Filters) -> list[Kpi]:
    """The overview's tiles: today's value from the metric registry (the same number every
    page shows under that name), the value at the start of the period and the monthly trend."""
    days = month_ends(filters)
    values = metric_values(db, filters, KPI_KEYS)
    engaged = engaged_share(db, filters)
    coverage = coverage_kpis(coverage_over_time(db, filters, days))
    moves = membership_moves(db, filters)
    series = {
        "active_members": engaged["active"].astype(float).tolist(),
        "engaged_share": engaged["share"].astype(float).fillna(0).tolist(),
        "median_index": engagement_median_series(db, filters, days),
        "must_coverage": coverage["must_coverage"].astype(float).tolist(),
        "target_single_points": coverage["single_points"].astype(float).tolist(),
    }
    previous = {"joined_quarter": moves["joined_before"], "left_quarter": moves["left_before"]}
    kpis = []
    for key in KPI_KEYS:
        trend = [v for v in series.get(key, []) if v == v]
        if trend and values[key] is not None:
            trend[-1] = float(values[key])
        first = trend[0] if trend else previous.get(key)
        kpis.append(Kpi(key, values[key], first, trend))
    return kpis


def single_point_skills(db: Database, filters: Filters, limit: int = 5) -> list[str]:
    """Names of target skills that depend on one ambassador today, must-haves first."""
    today = coverage_over_time(db, filters, [filters.as_of])
    sole = today[today["holders"] == 1]
    order = {str(priority): rank for rank, priority in enumerate(Priority)}
    sole = sole.assign(rank=sole["priority"].map(order)).sort_values(["rank", "skill"])
    return sole["skill"].head(limit).tolist()


def _direction(kpi: Kpi) -> str:
    if kpi.change is None or abs(kpi.change) < 1e-9:
        return "held"
    return "rose" if kpi.change > 0 else "fell"


def summary_lines(
    db: Database, filters: Filters, kpis: list[Kpi], lang: str = i18n.DEFAULT_LANGUAGE
) -> list[str]:
    """The overview's few sentences: coverage, single points, engagement, risk, movement."""
    by_key = {k.key: k for k in kpis}
    t = i18n.t
    lines = []
    cov = by_key["must_coverage"]
    if cov.value is not None:
        lines.append(
            t(
                f"leadership.summary_coverage_{_direction(cov)}",
                lang,
                before=formatting.percent(cov.previous, lang),
                after=formatting.percent(cov.value, lang),
            )
        )
    sole = single_point_skills(db, filters)
    count = int(by_key["target_single_points"].value or 0)
    if count:
        lines.append(
            t(
                "leadership.summary_single_points",
                lang,
                count=count,
                skills=", ".join(sole) + ("…" if count > len(sole) else ""),
            )
        )
    share = by_key["engaged_share"]
    if share.value is not None:
        lines.append(
            t(
                "leadership.summary_engaged",
                lang,
                share=formatting.percent(share.value, lang),
                median=formatting.number(by_key["median_index"].value, lang, 2),
            )
        )
    at_risk = int(metric_values(db, filters, ["at_risk_members"])["at_risk_members"] or 0)
    if at_risk:
        lines.append(t("leadership.summary_at_risk", lang, count=at_risk))
    lines.append(
        t(
            "leadership.summary_moves",
            lang,
            joined=int(by_key["joined_quarter"].value or 0),
            left=int(by_key["left_quarter"].value or 0),
        )
    )
    return lines
