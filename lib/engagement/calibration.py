"""The yardstick of the workload-adjusted index: expected points per available hour.

Unless an administrator fixes it in Settings, the rate is calibrated from the club's own
trailing history, so the index means the same on any club: the median, over the active members
of the whole club and the last `calibration_windows` windows ending on the analysis day, of
points ÷ hours available (hours floored at `min_hours_in_window`). With that rate the median
active member's index sits near 1.0, whether the club is ten times busier or quieter.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import numpy as np

from lib import formatting, i18n
from lib.engagement.snapshot import snapshot_params
from lib.filters import Filters
from lib.settings import current_settings
from lib.store.db import Database, named_sql
from lib.vocabulary import MembershipStatus

FALLBACK_RATE = 1.0


@dataclass(frozen=True)
class Rate:
    """The rate in force and where it comes from (`calibrated` or `fixed`)."""

    value: float
    source: str
    observations: int = 0
    first_day: date | None = None
    last_day: date | None = None


def calibration_days(as_of: date, settings: dict[str, Any]) -> list[date]:
    """The snapshot days of the trailing windows: the analysis day and the window ends before."""
    window = int(settings["window_days"])
    return [as_of - timedelta(days=window * k) for k in range(int(settings["calibration_windows"]))]


def calibrate(db: Database, as_of: date, settings: dict[str, Any]) -> Rate:
    """Median points per available hour of the whole club's active members over the trailing
    windows (members with no hours reported count the default hours, floored like the index)."""
    days = calibration_days(as_of, settings)
    unit = {**settings, "expected_points_per_hour": 1.0, "min_expected_points": 0.0}
    frame = db.df(
        f"SELECT points, greatest(hours_available, $min_hours) AS hours "
        f"FROM ({named_sql('snapshot_scores')})",
        {
            **snapshot_params(unit, days),
            **Filters(as_of=as_of).member_params((MembershipStatus.ACTIVE,)),
        },
    )
    ratios = (frame["points"] / frame["hours"]).to_numpy(dtype=float)
    ratios = ratios[np.isfinite(ratios)]
    value = float(np.median(ratios)) if len(ratios) else 0.0
    if value <= 0:
        positive = ratios[ratios > 0]
        value = float(np.median(positive)) if len(positive) else FALLBACK_RATE
    return Rate(value, "calibrated", len(ratios), min(days), max(days))


@lru_cache(maxsize=64)
def _calibrated(db: Database, version: int, as_of: date, settings_json: str) -> Rate:
    return calibrate(db, as_of, json.loads(settings_json))


def rate_in_force(db: Database, as_of: date, settings: dict[str, Any] | None = None) -> Rate:
    """The fixed rate when an administrator set one, else the calibrated one (computed once per
    data version, analysis day and settings)."""
    settings = settings or current_settings(db)
    fixed = settings.get("expected_points_per_hour")
    if fixed is not None:
        return Rate(float(fixed), "fixed")
    return _calibrated(db, db.data_version(), as_of, json.dumps(settings, sort_keys=True))


def with_rate(db: Database, as_of: date, settings: dict[str, Any] | None = None) -> dict:
    """The settings with the rate in force filled in, ready for scoring."""
    settings = settings or current_settings(db)
    if settings.get("expected_points_per_hour") is not None:
        return settings
    return {**settings, "expected_points_per_hour": rate_in_force(db, as_of, settings).value}


def rate_sentence(rate: Rate, settings: dict[str, Any], lang: str) -> str:
    """The rate in force in words: its value and whether it is calibrated or fixed."""
    shown = formatting.number(rate.value, lang, 2)
    if rate.source == "fixed":
        return i18n.t("engagement.rate_fixed", lang, rate=shown)
    days = int(settings["window_days"]) * int(settings["calibration_windows"])
    return i18n.t("engagement.rate_calibrated", lang, rate=shown, days=days)


def formula_values(
    db: Database, as_of: date, settings: dict[str, Any], lang: str
) -> dict[str, Any]:
    """The values the index and level formulas show, the rate in force in words."""
    rate = rate_in_force(db, as_of, settings)
    return {
        "half_life": settings["half_life_days"],
        "window": settings["window_days"],
        "rate": rate_sentence(rate, settings, lang),
        "floor": formatting.number(settings["min_expected_points"], lang, 1),
        "min_hours": formatting.number(settings["min_hours_in_window"], lang, 1),
        "cap": formatting.number(settings["index_cap"], lang, 1),
        "default_hours": formatting.number(settings["default_hours_available"], lang, 1),
        "core": formatting.number(settings["level_core_index"], lang, 2),
        "active": formatting.number(settings["level_active_index"], lang, 2),
        "dormant": settings["dormant_days"],
        "drop": formatting.number(settings["at_risk_drop"], lang, 2),
    }
