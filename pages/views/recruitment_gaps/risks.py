"""Bus-factor risks: skills only one member holds, and skills whose every holder is at risk
or over capacity."""

import streamlit as st

from lib.context import RequestContext
from lib.recruitment.risks import OVERLOAD_PCT, fragile_skills, single_points
from pages.components import ui
from pages.components.ui import t
from pages.views.recruitment_gaps.common import show_table


def risks_tab(ctx: RequestContext) -> None:
    st.subheader(t("gaps.single_points_heading"))
    st.caption(t("gaps.single_points_caption"))
    sole = ui.cached(single_points, ctx.db, ctx.filters)
    if sole.empty:
        st.success(t("gaps.no_single_points"))
    else:
        show_table(
            sole,
            ["skill", "category", "priority", "min_level", "holder", "department"],
            "single_points",
        )
    st.subheader(t("gaps.fragile_heading"))
    st.caption(
        t(
            "gaps.fragile_caption",
            load=ui.fmt_number(OVERLOAD_PCT),
            hours=ui.fmt_number(ctx.settings["shortlist_min_hours"], 1),
        )
    )
    st.caption(t("gaps.risk_source_scoring"))
    fragile = ui.cached(fragile_skills, ctx.db, ctx.viewer, ctx.filters)
    if fragile.empty:
        st.success(t("gaps.no_fragile"))
        return
    show_table(
        fragile,
        [
            "skill",
            "category",
            "priority",
            "min_level",
            "coverage",
            "gap",
            "at_risk_holders",
            "over_capacity_holders",
            "holders",
        ],
        "fragile_skills",
    )
    if "holders" not in fragile:
        st.caption(t("gaps.fragile_restricted"))
