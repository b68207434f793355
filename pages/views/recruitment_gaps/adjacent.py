"""Adjacent skills: members and candidates one step from a skill the club lacks."""

import streamlit as st

from lib.context import RequestContext
from lib.formatting import parse_number
from lib.recruitment.adjacent import adjacent_members
from pages.components import ui
from pages.components.ui import t
from pages.views.recruitment_gaps.common import show_table


def adjacent_tab(ctx: RequestContext) -> None:
    st.subheader(t("gaps.adjacent_heading"))
    st.caption(t("gaps.adjacent_caption"))
    typed = parse_number(st.session_state.get("min_hours"), ctx.lang)
    min_hours = float(ctx.settings["shortlist_min_hours"]) if typed is None else typed
    adjacent = ui.cached(
        adjacent_members,
        ctx.db,
        ctx.filters,
        min_hours=min_hours,
        include_alumni=bool(st.session_state.get("reinvite_alumni", False)),
    )
    if adjacent.empty:
        st.success(t("gaps.no_adjacent"))
        return
    show_table(
        adjacent,
        [
            "skill",
            "priority",
            "gap",
            "name",
            "department",
            "current_level",
            "score",
            "via",
            "basis",
        ],
        "adjacent_skills",
    )
