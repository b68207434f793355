"""What the Recruitment gaps tabs share: headers from the locale and the page's tables."""

import pandas as pd
import streamlit as st

from pages.components import ui
from pages.components.ui import t

HEADERS = {
    "skill": "gaps.col_skill",
    "category": "common.category",
    "priority": "gaps.col_priority",
    "min_level": "gaps.col_min_level",
    "min_people": "gaps.col_min_people",
    "coverage": "gaps.col_coverage",
    "gap": "gaps.col_gap",
    "weighted_gap": "gaps.col_weighted_gap",
    "holders": "gaps.col_holders",
    "rationale": "gaps.col_rationale",
    "target_skills": "gaps.col_target_skills",
    "below_target": "gaps.col_below_target",
    "required": "gaps.col_required",
    "filled": "gaps.col_filled",
    "coverage_share": "gaps.col_coverage_share",
    "share": "gaps.col_coverage_share",
    "department": "filters.department",
    "members": "common.members",
    "holdings": "gaps.col_holdings",
    "skills_covered": "gaps.col_skills_covered",
    "sole_holder_skills": "gaps.col_sole_holder_skills",
    "weighted_gap_if_absent": "gaps.col_weighted_gap_if_absent",
    "holder": "gaps.col_holder",
    "at_risk_holders": "gaps.col_at_risk_holders",
    "over_capacity_holders": "gaps.col_over_capacity_holders",
    "coverage_before": "gaps.col_coverage_before",
    "coverage_after": "gaps.col_coverage_after",
    "gap_before": "gaps.col_gap_before",
    "gap_after": "gaps.col_gap_after",
    "weighted_gap_before": "gaps.col_weighted_gap_before",
    "weighted_gap_after": "gaps.col_weighted_gap_after",
    "leaving": "gaps.col_leaving",
    "falls_below": "gaps.col_falls_below",
    "added": "gaps.col_added",
    "rank": "gaps.col_rank",
    "person_id": "gaps.col_person_id",
    "name": "gaps.col_name",
    "position": "gaps.col_position",
    "hours_available": "gaps.col_hours_available",
    "pinned": "gaps.col_pinned",
    "gain": "gaps.col_gain",
    "gap_closed": "gaps.col_gap_closed",
    "closes": "gaps.col_closes",
    "adds_unique": "gaps.col_adds_unique",
    "reason": "gaps.col_reason",
    "current_level": "gaps.col_current_level",
    "score": "gaps.col_score",
    "via": "gaps.col_via",
    "basis": "gaps.col_basis",
}
LIST_COLUMNS = {"holders", "leaving", "closes", "adds_unique", "via"}


def readable(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The columns people read, with localized headers and priority/basis values."""
    shown = frame[[c for c in columns if c in frame.columns]].copy()
    if "priority" in shown:
        shown["priority"] = shown["priority"].map(lambda p: t(f"gaps.priority_{p}"))
    if "basis" in shown:
        shown["basis"] = shown["basis"].map(lambda b: t(f"gaps.basis_{b}"))
    return shown.rename(columns={c: t(HEADERS[c]) for c in shown.columns})


def show_table(
    frame: pd.DataFrame, columns: list[str], name: str | None, note: str | None = None, **config
) -> pd.DataFrame:
    """A localized table with list cells, followed by its CSV and Excel downloads unless
    `name` is None (the caller places them); a `note` ends the downloaded file as its last
    row. Returns the table as shown."""
    shown = readable(frame, columns)
    column_config = {
        t(HEADERS[c]): st.column_config.ListColumn(t(HEADERS[c]))
        for c in LIST_COLUMNS
        if c in frame.columns and c in columns
    }
    column_config.update({t(HEADERS[c]): v for c, v in config.items()})
    st.dataframe(shown, hide_index=True, column_config=column_config)
    if name:
        noted = pd.DataFrame([{shown.columns[0]: note}]) if note else None
        ui.downloads(shown if noted is None else pd.concat([shown, noted]), name)
    return shown
