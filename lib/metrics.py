"""The metric registry: every number shown under a name is declared here once.

A metric has a key, the page that explains it, its format, whether higher is better, and one
function that computes it for a database and filters. Its short title, full name and help (who
is counted, over which window, by which formula) live in `lib/locales/*/metrics.toml` under
`metrics.<key>`, `metrics.<key>_name` and `metrics.<key>_help`. Pages, reports and the CLI read
values through `metric_values`, so one name always means one number for the same filters.
Different populations get different names ("active members", "scored members").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pandas as pd

from lib import formatting, i18n
from lib.engagement.calibration import with_rate
from lib.engagement.lifecycle import membership_moves
from lib.engagement.scoring import engaged_share, member_scores
from lib.expertise.counts import DEFAULT_BUS_LEVEL
from lib.expertise.holders import skill_claims
from lib.filters import Filters
from lib.formatting import Format, cell, points, signed
from lib.io.reports import report
from lib.recruitment.coverage import coverage_by_skill, gap_summary
from lib.settings import current_settings
from lib.store.db import Database
from lib.vocabulary import MembershipStatus, Priority


class Inputs:
    """The tables metrics are computed from, each read at most once per call; a caller that
    already holds one (the Engagement page's scores) hands it over in `known`."""

    def __init__(self, db: Database, filters: Filters, **known: Any):
        self.db = db
        self.filters = filters
        self.__dict__.update(known)

    @cached_property
    def settings(self) -> dict[str, Any]:
        return with_rate(self.db, self.filters.as_of, current_settings(self.db))

    @cached_property
    def scores(self) -> pd.DataFrame:
        return member_scores(self.db, self.filters, settings=self.settings)

    @cached_property
    def active_scores(self) -> pd.DataFrame:
        return self.scores[self.scores["status"] == MembershipStatus.ACTIVE]

    @cached_property
    def engaged_today(self) -> pd.Series:
        return engaged_share(self.db, self.filters, settings=self.settings).iloc[-1]

    @cached_property
    def coverage(self) -> pd.DataFrame:
        return coverage_by_skill(self.db, self.filters)

    @cached_property
    def claims(self) -> pd.DataFrame:
        return skill_claims(self.db, self.filters)


def _share(mask: pd.Series) -> float | None:
    return float(mask.mean()) if len(mask) else None


def _number(value: Any) -> float | None:
    return None if pd.isna(value) else float(value)


def _median(values: pd.Series) -> float | None:
    return float(values.median()) if len(values) else None


def _must_coverage(inputs: Inputs) -> float | None:
    must = inputs.coverage[inputs.coverage["priority"] == Priority.MUST]
    return _share(must["coverage"] >= must["min_people"])


def _sole_held_skills(inputs: Inputs) -> int:
    """Skills held by exactly one member at the bus level (the target's level, else 3)."""
    claims = inputs.claims
    if claims.empty:
        return 0
    levels = dict(inputs.db.rows("SELECT skill_id, min_level FROM target_profile"))
    needed = claims["skill_id"].map(levels).fillna(DEFAULT_BUS_LEVEL)
    holders = claims[claims["level"] >= needed].groupby("skill_id")["person_id"].nunique()
    return int((holders == 1).sum())


@dataclass(frozen=True)
class Metric:
    key: str
    format: Format
    page: str
    compute: Callable[[Inputs], float | int | None]
    higher_is_better: bool = True

    def title(self, lang: str) -> str:
        return i18n.t(f"metrics.{self.key}", lang)

    def name(self, lang: str) -> str:
        return i18n.t(f"metrics.{self.key}_name", lang)

    def help(self, lang: str, **values: Any) -> str:
        return i18n.t(f"metrics.{self.key}_help", lang, **values)

    def shown(self, value: Any, lang: str) -> str:
        return cell(value, self.format, lang)

    def shown_change(self, change: float | None, lang: str) -> str:
        """A change of this metric: percentage points for shares, a signed number otherwise,
        with a real minus."""
        if change is None:
            return ""
        if self.format == Format.PERCENT:
            return points(change, lang)
        return signed(change, lang, 0 if self.format == Format.INTEGER else 2)


REGISTRY: dict[str, Metric] = {
    metric.key: metric
    for metric in (
        Metric(
            "active_members",
            Format.INTEGER,
            "engagement",
            lambda i: int(i.engaged_today["active"]),
        ),
        Metric("scored_members", Format.INTEGER, "engagement", lambda i: len(i.scores)),
        Metric(
            "engaged_share",
            Format.PERCENT,
            "engagement",
            lambda i: (
                None if pd.isna(i.engaged_today["share"]) else float(i.engaged_today["share"])
            ),
        ),
        Metric(
            "median_index",
            Format.DECIMAL2,
            "engagement",
            lambda i: _median(i.active_scores["index"]),
        ),
        Metric(
            "core_or_active_share",
            Format.PERCENT,
            "engagement",
            lambda i: _share(i.active_scores["level"].isin(["core", "active"])),
        ),
        Metric(
            "at_risk_members",
            Format.INTEGER,
            "engagement",
            lambda i: int(i.scores["at_risk"].fillna(False).astype(bool).sum()),
            higher_is_better=False,
        ),
        Metric("must_coverage", Format.PERCENT, "recruitment_gaps", _must_coverage),
        Metric(
            "target_single_points",
            Format.INTEGER,
            "recruitment_gaps",
            lambda i: int(gap_summary(i.coverage)["single_points"]),
            higher_is_better=False,
        ),
        Metric(
            "weighted_gap",
            Format.DECIMAL1,
            "recruitment_gaps",
            lambda i: float(gap_summary(i.coverage)["weighted_gap"]),
            higher_is_better=False,
        ),
        Metric(
            "joined_quarter",
            Format.INTEGER,
            "engagement",
            lambda i: int(membership_moves(i.db, i.filters)["joined"]),
        ),
        Metric(
            "left_quarter",
            Format.INTEGER,
            "engagement",
            lambda i: int(membership_moves(i.db, i.filters)["left"]),
            higher_is_better=False,
        ),
        Metric(
            "sole_held_skills",
            Format.INTEGER,
            "expertise_map",
            _sole_held_skills,
            higher_is_better=False,
        ),
    )
}


def metric(key: str) -> Metric:
    return REGISTRY[key]


def help_values(settings: dict[str, Any], lang: str) -> dict[str, str]:
    """The settings the metrics' help texts quote, formatted for the reader."""
    return {
        "dormant": str(settings["dormant_days"]),
        "window": str(settings["window_days"]),
        "core": formatting.number(settings["level_core_index"], lang, 2),
        "active": formatting.number(settings["level_active_index"], lang, 2),
        "drop": formatting.number(settings["at_risk_drop"], lang, 2),
    }


def metric_values(
    db: Database, filters: Filters, keys: Iterable[str] | None = None, **known: Any
) -> dict[str, float | int | None]:
    """The values of `keys` (every metric by default) for the filters, sharing their inputs
    (`known` tables are used as they are: `scores=member_scores(...)`)."""
    inputs = Inputs(db, filters, **known)
    return {key: REGISTRY[key].compute(inputs) for key in (keys or REGISTRY)}


@report("kpis", "The club's headline metrics, one row per metric: key, title, value (whole club)")
def kpis_report(db: Database, viewer: Any, **options: Any) -> pd.DataFrame:
    """Every registry metric for the whole club as of today, as the pages show it."""
    lang = options.get("lang") or i18n.DEFAULT_LANGUAGE
    filters = Filters(as_of=options["as_of"]) if options.get("as_of") else Filters()
    values = metric_values(db, filters)
    return pd.DataFrame(
        [
            {
                "metric": key,
                "title": REGISTRY[key].title(lang),
                "value": REGISTRY[key].shown(value, lang),
                "raw_value": value,
            }
            for key, value in values.items()
        ]
    )
