"""Scoring weights, half-life and thresholds: defaults here, changes versioned in `settings`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pandas as pd

from lib import access
from lib.access import Viewer
from lib.errors import Refusal, Term
from lib.store.db import Database

DEFAULTS: dict[str, Any] = {
    "kind_weights": {
        "talk_external": 10.0,
        "product_launch": 12.0,
        "media": 6.0,
        "article": 5.0,
        "event_hosting": 6.0,
        "talk_internal": 4.0,
        "mentoring": 3.0,
        "onboarding_buddy": 3.0,
        "community_session": 2.0,
        "open_source": 5.0,
    },
    "half_life_days": 90,
    "window_days": 90,
    # None: calibrated from the club's trailing history (lib/engagement/calibration.py).
    "expected_points_per_hour": None,
    "calibration_windows": 1,
    "default_hours_available": 8.0,
    "min_expected_points": 2.0,
    "min_hours_in_window": 6.0,
    "index_cap": 10.0,
    "level_core_index": 4.5,
    "level_active_index": 1.0,
    "dormant_days": 90,
    "at_risk_drop": 0.5,
    "stale_days": 180,
    "source_confidence": {
        "curator": 1.0,
        "activity": 1.0,
        "peer": 0.8,
        "interview": 0.7,
        "self": 0.5,
    },
    "priority_weights": {"must": 3.0, "should": 2.0, "could": 1.0},
    "shortlist_min_hours": 4.0,
    "recognition_gap_days": 180,
    "segment_min_interviews": 3,
    # Money is shown in this currency everywhere (costs, budgets, plans).
    "currency": "RUB",
    # Exports carry the machine field names as a second header row (for a re-import).
    "export_field_names": False,
    # Contributions a member logged count before a curator verified them (lib/contributions).
    "count_unverified_contributions": False,
    # Renewal readiness over a rolling window (lib/contributions/renewal.py): on track with at
    # least the minimum contributions, points ≥ on-track ratio × the expectation for the
    # member's capacity and the verified share reached; review below the review ratio or with
    # nothing at all; needs attention in between.
    "renewal_window_days": 365,
    "renewal_min_contributions": 4,
    "renewal_on_track_ratio": 0.8,
    "renewal_review_ratio": 0.3,
    "renewal_min_verified_share": 0.5,
}
# Settings that take one of a few words.
CHOICE_SETTINGS = {"currency": ("RUB", "USD", "EUR", "KZT", "CNY", "GBP")}
# Settings that may be empty: the product then works the value out itself.
NULLABLE_SETTINGS = frozenset({"expected_points_per_hour"})
INTEGER_SETTINGS = (
    "calibration_windows",
    "half_life_days",
    "window_days",
    "dormant_days",
    "stale_days",
    "recognition_gap_days",
    "segment_min_interviews",
    "renewal_window_days",
    "renewal_min_contributions",
)


def current_settings(db: Database) -> dict[str, Any]:
    """Defaults overlaid with the latest saved value of each key."""
    saved = db.rows(
        "SELECT key, value FROM settings "
        "QUALIFY row_number() OVER (PARTITION BY key ORDER BY version DESC) = 1"
    )
    merged = json.loads(json.dumps(DEFAULTS))
    for key, value in saved:
        if key in DEFAULTS:
            merged[key] = json.loads(value)
    return merged


def update_settings(db: Database, viewer: Viewer | None, changes: dict[str, Any]) -> list[str]:
    """Save the settings that differ from the current ones, after checking they make sense
    together; returns the keys saved. Staff only, each save audited."""
    access.require(viewer, "edit_settings")
    current = current_settings(db)
    merged = {**current, **changes}
    for key in INTEGER_SETTINGS:
        if key in changes and (int(changes[key]) != changes[key] or changes[key] < 1):
            raise Refusal("settings.err_whole_number", setting=Term(f"settings.name_{key}"))
    if merged["level_active_index"] >= merged["level_core_index"]:
        raise Refusal("settings.err_active_below_core")
    if not 0 < merged["at_risk_drop"] < 1:
        raise Refusal("settings.err_at_risk_drop")
    if merged["renewal_review_ratio"] >= merged["renewal_on_track_ratio"]:
        raise Refusal("settings.err_review_below_on_track")
    if not 0 <= merged["renewal_min_verified_share"] <= 1:
        raise Refusal("settings.err_verified_share")
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
    return db.df(
        "SELECT version, key, value, changed_at, changed_by FROM settings "
        "WHERE list_contains($keys, key) ORDER BY version DESC",
        {"keys": list(keys)},
    )


def save_setting(db: Database, key: str, value: Any, *, actor: str | None) -> None:
    """Store a new version of one setting; unknown keys and wrong shapes are refused."""
    if key not in DEFAULTS:
        raise Refusal("data.err_settings_unknown", key=key)
    default = DEFAULTS[key]
    if value is None and key in NULLABLE_SETTINGS:
        pass
    elif key in CHOICE_SETTINGS:
        if value not in CHOICE_SETTINGS[key]:
            raise Refusal(
                "data.err_settings_choice", key=key, choices=", ".join(CHOICE_SETTINGS[key])
            )
    elif isinstance(default, bool):
        if not isinstance(value, bool):
            raise Refusal("data.err_settings_flag", key=key)
    elif key in NULLABLE_SETTINGS and (not isinstance(value, int | float) or value < 0):
        raise Refusal("data.err_settings_number", key=key)
    elif isinstance(default, dict):
        if not isinstance(value, dict) or set(value) - set(default):
            raise Refusal("data.err_settings_keys", key=key, keys=", ".join(sorted(default)))
        if any(not isinstance(v, (int, float)) or v < 0 for v in value.values()):
            raise Refusal("data.err_settings_numbers", key=key)
    elif isinstance(default, (int, float)) and (not isinstance(value, (int, float)) or value < 0):
        raise Refusal("data.err_settings_number", key=key)
    with db.transaction() as cur:
        cur.execute(
            "INSERT INTO settings (key, value, changed_by) VALUES (?, ?, ?)",
            [key, json.dumps(value), actor],
        )
        db.audit("setting", actor=actor, kind=key, detail=json.dumps(value), cur=cur)
