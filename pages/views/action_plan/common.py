"""What the Action plan sections share: who may edit and who sees names, source and
evidence names, and the page's tables."""

import pandas as pd
import streamlit as st

from lib import access
from lib.context import RequestContext
from lib.formatting import Format
from lib.planning.catalogue import GOALS
from lib.planning.evidence import DEFAULT, MEASURED
from lib.planning.plan import TARGETS_PERMISSION
from pages.components import tables
from pages.components.inputs import money_label
from pages.components.tables import Columns
from pages.components.ui import t

SOURCE_COLOURS = {MEASURED: "#2E86AB", DEFAULT: "#8C8C8C"}
DEFAULT_MARK = "#C73E1D"
FORMATS = {
    **dict.fromkeys(
        ("cost", "planned_cost", "cost_spent", "fixed_cost", "cost_per_person", "budget"),
        Format.MONEY,
    ),
    **dict.fromkeys(("hours", "planned_hours", "fixed_hours"), Format.HOURS),
    "hours_per_person": Format.DECIMAL2,
    **dict.fromkeys(
        (
            "effect_per_person",
            "expected_per_person",
            "measured_effect",
            "default_effect",
            "history_effect",
            "follow_up_effect",
            "effect",
        ),
        Format.DECIMAL2,
    ),
    **dict.fromkeys(("expected_effect", "value", *GOALS), Format.DECIMAL1),
    **dict.fromkeys(("horizon_start", "horizon_end", "done_on", "date"), Format.DATE),
    **dict.fromkeys(("saved_at", "created_at", "measured_at"), Format.DATETIME),
}


def can_edit(ctx: RequestContext) -> bool:
    return access.can(ctx.viewer, "edit_plan")


def sees_names(ctx: RequestContext) -> bool:
    """Whether the viewer may see which members a plan targets."""
    return access.can(ctx.viewer, TARGETS_PERMISSION)


def source_name(source) -> str:
    return t(f"plan.source_{source}") if isinstance(source, str) else "—"


def evidence_name(evidence: str) -> str:
    """'recognition:merch' as the reader names it ("Merch given")."""
    return t(f"plan.evidence_{evidence.replace(':', '_')}")


def evidence_names(evidence) -> str:
    if not isinstance(evidence, list) or not evidence:
        return "—"
    return ", ".join(evidence_name(e) for e in evidence)


def columns(**codes) -> Columns:
    """The page's columns: headers under `plan.col_` (goals under `plan.goal_`), amounts in the
    chosen currency, hours, effects and dates for the reader; `codes` name stored words."""
    return Columns(
        "plan.col_",
        formats=FORMATS,
        codes={"effect_source": source_name, **codes},
        headers={goal: f"plan.goal_{goal}" for goal in GOALS},
    )


def editor_config(frame: pd.DataFrame) -> dict:
    """An editor's columns: headers from the locale, numbers in the reader's format, amounts
    with the currency in the header."""
    names = columns()
    formats = tables.editor_formats({c: FORMATS[c] for c in frame.columns if c in FORMATS})
    config = {}
    for column in frame.columns:
        label = names.header(column)
        if FORMATS.get(column) is Format.MONEY:
            label = money_label(label)
        if column in formats:
            config[column] = st.column_config.NumberColumn(label, format=formats[column])
        else:
            config[column] = st.column_config.Column(label)
    return config


def table(frame: pd.DataFrame, name: str | None, **codes) -> None:
    """A read-only table with locale headers, and its CSV and Excel downloads."""
    tables.table(frame, name, columns(**codes))


def downloads(frame: pd.DataFrame, name: str, **codes) -> None:
    tables.downloads(frame, name, columns(**codes))
