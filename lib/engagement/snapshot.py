"""The named parameters of the engagement snapshot query (`lib/store/sql/snapshot_scores.sql`),
shared by the scoring and the calibration of its rate."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

MIN_EXPECTED_FLOOR = 0.01


def weight_params(settings: dict[str, Any]) -> dict[str, list]:
    """The kind weights as the named parameters `$weight_kinds` and `$weight_values`."""
    weights = settings["kind_weights"]
    return {
        "weight_kinds": list(weights),
        "weight_values": [float(weight) for weight in weights.values()],
    }


def snapshot_params(settings: dict[str, Any], days: Sequence[date]) -> dict[str, Any]:
    """Named parameters of `lib/store/sql/snapshot_scores.sql` for scoring at `days` with a
    resolved rate (`calibration.with_rate`); the member filter's come from
    `Filters.member_params`."""
    return {
        "snapshot_days": list(days),
        **weight_params(settings),
        "window_days": int(settings["window_days"]),
        "half_life": float(settings["half_life_days"]) or 1e-9,
        "default_hours": float(settings["default_hours_available"]),
        "rate": float(settings["expected_points_per_hour"]),
        "min_expected": float(settings["min_expected_points"]),
        "min_expected_floor": MIN_EXPECTED_FLOOR,
        "min_hours": float(settings["min_hours_in_window"]),
        "index_cap": float(settings["index_cap"]),
        "dormant_days": int(settings["dormant_days"]),
        "core_index": float(settings["level_core_index"]),
        "active_index": float(settings["level_active_index"]),
    }
