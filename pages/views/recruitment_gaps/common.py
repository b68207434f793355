"""What the Recruitment gaps tabs share: headers from the locale and the page's tables."""

import pandas as pd

from lib.formatting import Format
from pages.components import tables
from pages.components.tables import Columns, code_label

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
PROGRESS = ("coverage_share", "share")
FORMATS = {
    "weighted_gap": Format.DECIMAL1,
    "weighted_gap_if_absent": Format.DECIMAL1,
    "weighted_gap_before": Format.DECIMAL1,
    "weighted_gap_after": Format.DECIMAL1,
    "gap_closed": Format.DECIMAL1,
    "gain": Format.DECIMAL2,
    "score": Format.DECIMAL2,
    "hours_available": Format.HOURS,
    **dict.fromkeys(("holders", "leaving", "closes", "adds_unique", "via"), Format.LIST),
}
COLUMNS = Columns(
    "gaps.col_",
    formats=FORMATS,
    codes={"priority": code_label("gaps.priority_"), "basis": code_label("gaps.basis_")},
    headers=HEADERS,
)


def show_table(
    frame: pd.DataFrame, columns: list[str], name: str | None, note: str | None = None
) -> pd.DataFrame:
    """A localized table of `columns`, followed by its CSV and Excel downloads unless `name` is
    None (the caller places them); a `note` ends the downloaded file as its last row. Returns
    the rows shown."""
    shown = frame[[c for c in columns if c in frame.columns]]
    tables.table(shown, None, COLUMNS, progress=PROGRESS)
    if name:
        downloads(shown, name, note)
    return shown


def downloads(frame: pd.DataFrame, name: str, note: str | None = None) -> None:
    """The CSV and Excel files of `frame` as shown; a `note` rides in the first text column of
    a last row."""
    if note:
        text = next((c for c in frame.columns if c not in FORMATS and c != "rank"), None)
        if text:
            frame = pd.concat([frame, pd.DataFrame([{text: note}])], ignore_index=True)
    tables.downloads(frame, name, COLUMNS)
