"""What the Engagement sections share: level, kind and event names in the reader's language,
the formula captions with the settings in force, and the page's tables."""

from collections.abc import Callable

import pandas as pd
import streamlit as st

from lib import access
from lib.context import RequestContext
from lib.engagement import calibration, lifecycle, rituals
from lib.formatting import Format
from pages.components import tables, workbench
from pages.components.tables import Columns, code_label
from pages.components.ui import t

LEVEL_COLOURS = {
    "core": "#1F4E79",
    "active": "#2E86AB",
    "contributing": "#E4B363",
    "dormant": "#8C8C8C",
}
PROGRESS = ("turnout", "conversion", "retention", "share")
FORMATS = {
    "points": Format.DECIMAL1,
    "index": Format.DECIMAL2,
    "previous_index": Format.DECIMAL2,
    "previous_points": Format.DECIMAL1,
    "expected": Format.DECIMAL1,
    "hours_available": Format.HOURS,
    "before": Format.DECIMAL1,
    "after": Format.DECIMAL1,
    "peer_before": Format.DECIMAL1,
    "peer_after": Format.DECIMAL1,
    "effect": Format.SIGNED1,
    "budget": Format.MONEY,
    "median_days": Format.INTEGER,
    "month": Format.MONTH,
    "month_end": Format.DATE,
    **dict.fromkeys(
        (
            "last_contribution",
            "joined_on",
            "left_on",
            "date",
            "last_attended",
            "recognised_on",
            "last_recognised",
        ),
        Format.DATE,
    ),
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
    return workbench.exit_reason_name(reason)


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


def columns(kind_label: Callable[[str], str] | None = None) -> Columns:
    """The page's columns: headers under `engagement.col_`, levels, statuses, kinds, moves and
    capacity flags named in the reader's language."""
    return Columns(
        "engagement.col_",
        formats=FORMATS,
        codes={
            "level": level_name,
            "previous_level": level_name,
            "status": code_label("status."),
            "stage": code_label("status."),
            "kind": kind_label or kind_name,
            "movement": code_label("engagement.moved_"),
            "capacity_flag": code_label("engagement.capacity_"),
        },
    )


def table(
    frame: pd.DataFrame,
    name: str | None,
    shown: list[str] | None = None,
    kind_label: Callable[[str], str] | None = None,
) -> None:
    """A readable table of the `shown` columns with CSV and Excel downloads of the same rows."""
    tables.table(frame, name, columns(kind_label), shown, progress=PROGRESS)


def downloads(frame: pd.DataFrame, name: str) -> None:
    """Downloads of a table drawn as a chart."""
    tables.downloads(frame, name, columns())
