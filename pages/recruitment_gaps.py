"""Recruitment gaps: the target profile against today's coverage, bus-factor risks, what-if
leaves, the second-wave planner with its shortlist, adjacent skills and the target editor. The
tabs live in pages/views/recruitment_gaps/."""

import streamlit as st

from lib.context import build_context
from lib.recruitment.coverage import coverage_by_skill, gap_summary
from pages.components import ui
from pages.components.kpis import Tile, kpi_row
from pages.components.ui import t
from pages.views.recruitment_gaps.adjacent import adjacent_tab
from pages.views.recruitment_gaps.coverage import coverage_tab
from pages.views.recruitment_gaps.risks import risks_tab
from pages.views.recruitment_gaps.second_wave import wave_tab
from pages.views.recruitment_gaps.target import target_tab
from pages.views.recruitment_gaps.what_if import what_if_tab

viewer = ui.page_viewer("recruitment_gaps")
ctx = build_context(ui.database(), viewer, ui.filters(), ui.lang())

st.title(t("gaps.title"))
st.caption(t("gaps.caption"))

coverage = ui.cached(coverage_by_skill, ctx.db, ctx.filters)
if coverage.empty:
    st.info(t("gaps.no_targets"))
summary = gap_summary(coverage)
TILES = (
    ("targets", "target_skills", 0, None),
    ("at_target", "at_target", 0, None),
    ("below_target", "below_target", 0, None),
    ("weighted_gap", "weighted_gap", 1, "gaps.help_gap"),
    ("single_points", "single_points", 0, "gaps.help_bus"),
)
kpi_row(
    [
        Tile(t(f"gaps.kpi_{key}"), ui.fmt_number(summary[value], digits), t(hint) if hint else None)
        for key, value, digits, hint in TILES
    ]
)

tab_labels = [
    t("gaps.tab_coverage"),
    t("gaps.tab_risks"),
    t("gaps.tab_what_if"),
    t("gaps.tab_second_wave"),
    t("gaps.tab_adjacent"),
    t("gaps.tab_target"),
]
tab_coverage, tab_risks, tab_what_if, tab_wave, tab_adjacent, tab_target = st.tabs(
    tab_labels, key="gaps_tab", on_change="rerun"
)
for tab, draw in (
    (tab_coverage, lambda: coverage_tab(ctx, coverage)),
    (tab_risks, lambda: risks_tab(ctx)),
    (tab_what_if, lambda: what_if_tab(ctx)),
    (tab_wave, lambda: wave_tab(ctx)),
    (tab_adjacent, lambda: adjacent_tab(ctx)),
    (tab_target, lambda: target_tab(ctx)),
):
    if tab.open:
        with tab:
            draw()
