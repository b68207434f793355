"""What the Action plan sections share: who may edit and who sees names, source and
evidence names, and the page's tables."""

import pandas as pd
import streamlit as st

from lib import access
from lib.context import RequestContext
from lib.planning.catalogue import GOALS
from lib.planning.evidence import DEFAULT, MEASURED
from lib.planning.plan import TARGETS_PERMISSION
from pages.components import ui
from pages.components.ui import t

SOURCE_COLOURS = {MEASURED: "#2E86AB", DEFAULT: "#8C8C8C"}
DEFAULT_MARK = "#C73E1D"
NUMBER_FORMATS = {
    "cost": "%,.0f",
    "planned_cost": "%,.0f",
    "cost_spent": "%,.0f",
    "fixed_cost": "%,.0f",
    "cost_per_person": "%,.0f",
    "hours": "%.1f",
    "planned_hours": "%.1f",
    "effect_per_person": "%.2f",
    "expected_effect": "%.1f",
    "expected_per_person": "%.2f",
    "measured_effect": "%.2f",
    "default_effect": "%.2f",
    "history_effect": "%.2f",
    "follow_up_effect": "%.2f",
    "effect": "%.2f",
    "value": "%.1f",
    "budget": "%,.0f",
}


def can_edit(ctx: RequestContext) -> bool:
    return access.can(ctx.viewer, "edit_plan")


def sees_names(ctx: RequestContext) -> bool:
    """Whether the viewer may see which members a plan targets."""
    return access.can(ctx.viewer, TARGETS_PERMISSION)


def source_name(source) -> str:
    return t(f"plan.source_{source}") if isinstance(source, str) else "—"


def evidence_names(evidence) -> str:
    if not isinstance(evidence, list) or not evidence:
        return "—"
    return ", ".join(t(f"plan.evidence_{e.replace(':', '_')}") for e in evidence)


def columns_config(frame: pd.DataFrame) -> dict:
    """Headers for every column from the locale; numbers formatted for reading."""
    config = {}
    for column in frame.columns:
        if column in GOALS:
            config[column] = st.column_config.NumberColumn(t(f"plan.goal_{column}"), format="%.1f")
            continue
        label = t(f"plan.col_{column}")
        if column in NUMBER_FORMATS:
            config[column] = st.column_config.NumberColumn(label, format=NUMBER_FORMATS[column])
        else:
            config[column] = st.column_config.Column(label)
    return config


def table(frame: pd.DataFrame, name: str) -> None:
    """A read-only table with locale headers, and its CSV and Excel downloads."""
    st.dataframe(frame, hide_index=True, column_config=columns_config(frame))
    ui.downloads(frame, name)
