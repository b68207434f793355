"""The target profile: edited by those who may change it, read by everyone else."""

import streamlit as st

from lib import access
from lib.context import RequestContext
from lib.formatting import BLANK
from lib.recruitment.target import save_target_profile, skill_choices, target_profile_table
from lib.vocabulary import Priority, values
from pages.components import ui
from pages.components.ui import t
from pages.views.recruitment_gaps.common import downloads, show_table

TARGET_COLUMNS = ["skill", "min_people", "min_level", "priority", "rationale"]


def target_tab(ctx: RequestContext) -> None:
    st.subheader(t("gaps.target_heading"))
    profile = ui.cached(target_profile_table, ctx.db)
    saved = st.session_state.pop("target_saved", None)
    if saved:
        st.success(t("gaps.target_saved", **saved))
    if access.can(ctx.viewer, "edit_target_profile"):
        target_editor(ctx, profile)
    else:
        st.caption(t("gaps.target_read_only"))
        show_table(profile, TARGET_COLUMNS, "target_profile")


def target_editor(ctx: RequestContext, profile) -> None:
    st.caption(t("gaps.target_edit_caption"))
    version = st.session_state.get("target_version", 0)
    edited = st.data_editor(
        profile,
        placeholder=BLANK,
        key=f"target_editor_{version}",
        num_rows="dynamic",
        hide_index=True,
        column_config={
            "skill": st.column_config.SelectboxColumn(
                t("gaps.col_skill"),
                options=ui.cached(skill_choices, ctx.db),
                required=True,
            ),
            "min_people": st.column_config.NumberColumn(
                t("gaps.col_min_people"), min_value=1, max_value=1000, step=1, default=2
            ),
            "min_level": st.column_config.NumberColumn(
                t("gaps.col_min_level"), min_value=1, max_value=5, step=1, default=3
            ),
            "priority": st.column_config.SelectboxColumn(
                t("gaps.col_priority"),
                options=list(values(Priority)),
                format_func=lambda p: t(f"gaps.priority_{p}"),
                default="should",
            ),
            "rationale": st.column_config.TextColumn(t("gaps.col_rationale"), max_chars=1000),
        },
    )
    downloads(profile[TARGET_COLUMNS], "target_profile")
    if st.button(t("gaps.target_save"), type="primary", icon=":material/save:"):
        try:
            counts = save_target_profile(ctx.db, ctx.viewer, edited)
        except (ValueError, access.AccessDenied) as exc:
            ui.show_error(exc)
        else:
            ui.clear_caches()
            st.session_state["target_version"] = version + 1
            st.session_state["target_saved"] = counts
            st.rerun()
