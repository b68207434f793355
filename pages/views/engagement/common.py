"""What the Engagement sections share: level, kind and event names in the reader's language,
the formula captions with the settings in force, and the page's tables."""

from collections.abc import Callable

import pandas as pd
import streamlit as st

from lib import access
from lib.context import RequestContext
from lib.engagement import calibration, lifecycle, rituals
from pages.components import ui
from pages.components.ui import t

LEVEL_COLOURS = {
    "core": "#1F4E79",
    "active": "#2E86AB",
    "contributing": "#E4B363",
    "dormant": "#8C8C8C",
}
DATE_FORMAT = "YYYY-MM-DD"
DATE_COLUMNS = {
    "last_contribution",
    "joined_on",
    "left_on",
    "date",
    "last_attended",
    "recognised_on",
    "last_recognised",
    "month_end",
}


def staff(ctx: RequestContext) -> bool:
    """Whether the viewer may see members' capacity (and so the lists built on it)."""
    return access.can(ctx.viewer, "see_person_capacity")


def level_name(level) -> str:
    return t(f"engagement.level_{level}") if isinstance(level, str) else "—"


def kind_name(kind) -> str:
    return t(f"engagement.kind_{kind}") if isinstance(kind, str) else "—"


def event_name(kind: str) -> str:
    return t(f"engagement.event_{kind}")


def recognition_name(kind: str) -> str:
    if kind == rituals.ALL_KINDS:
        return t("engagement.recognition_all")
    return t(f"engagement.recognition_{kind}")


def reason_name(reason: str) -> str:
    if reason == lifecycle.OTHER_REASONS:
        return t("engagement.reason_other")
    if reason == lifecycle.UNRECORDED_REASON:
        return t("engagement.reason_unrecorded")
    return reason


def formula(ctx: RequestContext, key: str) -> None:
    """The formula behind a chart, with the current settings filled in."""
    st.caption(
        t(f"engagement.formula_{key}", **settings_values(ctx)), help=t("engagement.formula_help")
    )


def settings_values(ctx: RequestContext) -> dict:
    settings = ctx.settings
    return {
        **calibration.formula_values(ctx.db, ctx.as_of, settings, ctx.lang),
        "gap": settings["recognition_gap_days"],
        "days": rituals.IMPACT_DAYS,
    }


def labelled(frame: pd.DataFrame, kind_label: Callable[[str], str] | None = None) -> pd.DataFrame:
    """Level, status and kind codes shown in the reader's language."""
    out = frame.copy()
    for column in ("level", "previous_level"):
        if column in out:
            out[column] = out[column].map(level_name)
    if "status" in out:
        out["status"] = out["status"].map(lambda s: t(f"status.{s}"))
    if "kind" in out:
        out["kind"] = out["kind"].map(kind_label or kind_name)
    if "movement" in out:
        out["movement"] = out["movement"].map(lambda m: t(f"engagement.moved_{m}"))
    if "capacity_flag" in out:
        out["capacity_flag"] = out["capacity_flag"].map(lambda f: t(f"engagement.capacity_{f}"))
    return out


def columns_config(frame: pd.DataFrame) -> dict:
    """Headers for every column from the locale; numbers rounded for reading."""
    numbers = {
        "points": "%.1f",
        "index": "%.2f",
        "previous_index": "%.2f",
        "previous_points": "%.1f",
        "expected": "%.1f",
        "hours_available": "%.1f",
        "before": "%.1f",
        "after": "%.1f",
        "peer_before": "%.1f",
        "peer_after": "%.1f",
        "effect": "%+.1f",
    }
    config = {}
    for column in frame.columns:
        label = t(f"engagement.col_{column}")
        if column in numbers:
            config[column] = st.column_config.NumberColumn(label, format=numbers[column])
        elif column in DATE_COLUMNS:
            config[column] = st.column_config.DateColumn(label, format=DATE_FORMAT)
        elif column in ("turnout", "conversion", "retention", "share"):
            config[column] = st.column_config.ProgressColumn(
                label, format="percent", min_value=0.0, max_value=1.0
            )
        else:
            config[column] = st.column_config.Column(label)
    return config


def table(
    frame: pd.DataFrame,
    name: str,
    columns: list[str],
    kind_label: Callable[[str], str] | None = None,
) -> None:
    """A readable table of `columns` with CSV and Excel downloads of the same rows."""
    shown = [c for c in columns if c in frame.columns]
    view = labelled(frame[shown], kind_label)
    st.dataframe(view, hide_index=True, column_config=columns_config(view))
    ui.downloads(frame[shown], name)
