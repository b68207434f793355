"""The catalogue of mechanics: edited by curators, read by everyone else."""

import streamlit as st

from lib import access
from lib.context import RequestContext
from lib.planning.catalogue import (
    EVIDENCE,
    GOALS,
    MAX_NAME,
    TARGET_RULES,
    catalogue_table,
    save_catalogue,
)
from pages.components import ui
from pages.components.ui import t
from pages.views.action_plan.common import can_edit, columns_config, table


def catalogue_tab(ctx: RequestContext) -> None:
    st.subheader(t("plan.catalogue_heading"))
    st.caption(t("plan.catalogue_caption"))
    frame = ui.cached(catalogue_table, ctx.db, ui.lang())
    saved = st.session_state.pop("plan_catalogue_saved", None)
    if saved:
        st.success(t("plan.catalogue_saved", **saved))
    config = columns_config(frame)
    config["target_rule"] = st.column_config.SelectboxColumn(
        t("plan.col_target_rule"),
        options=list(TARGET_RULES),
        format_func=lambda r: t(f"plan.rule_{r}"),
        required=True,
    )
    if not can_edit(ctx):
        st.caption(t("plan.catalogue_read_only"))
        shown = frame.assign(target_rule=frame["target_rule"].map(lambda r: t(f"plan.rule_{r}")))
        table(shown.drop(columns=["mechanic_id"]), "plan_catalogue")
        return
    st.caption(t("plan.catalogue_edit_caption", evidence=", ".join(EVIDENCE)))
    config["active"] = st.column_config.CheckboxColumn(t("plan.col_active"), default=True)
    config["name"] = st.column_config.TextColumn(t("plan.col_name"), max_chars=MAX_NAME)
    for goal in GOALS:
        config[goal] = st.column_config.NumberColumn(
            t(f"plan.goal_{goal}"), min_value=0.0, max_value=1.0, step=0.1, default=0.0
        )
    for column in ("fixed_cost", "cost_per_person", "fixed_hours", "hours_per_person"):
        config[column] = st.column_config.NumberColumn(
            t(f"plan.col_{column}"),
            min_value=0.0,
            default=0.0,
            format="%,.0f" if column.endswith("cost") or column == "cost_per_person" else "%.2f",
        )
    version = st.session_state.get("plan_catalogue_version", 0)
    edited = st.data_editor(
        frame,
        key=f"plan_catalogue_{version}",
        num_rows="dynamic",
        hide_index=True,
        column_config=config,
        disabled=["mechanic_id"],
    )
    if st.button(t("plan.catalogue_save"), type="primary", icon=":material/save:"):
        try:
            counts = save_catalogue(ctx.db, ctx.viewer, edited)
        except (ValueError, access.AccessDenied) as exc:
            ui.show_error(exc)
        else:
            ui.clear_caches()
            st.session_state["plan_catalogue_version"] = version + 1
            st.session_state["plan_catalogue_saved"] = counts
            st.rerun()
    ui.downloads(frame, "plan_catalogue")
