"""The catalogue of mechanics: edited by curators, read by everyone else."""

import streamlit as st

from lib import access
from lib.context import RequestContext
from lib.formatting import BLANK
from lib.planning.catalogue import (
    EVIDENCE,
    GOALS,
    MAX_NAME,
    TARGET_RULES,
    catalogue_table,
    evidence_list,
    save_catalogue,
)
from pages.components import ui
from pages.components.ui import t
from pages.views.action_plan.common import (
    can_edit,
    downloads,
    editor_config,
    evidence_name,
    evidence_names,
    table,
)


def catalogue_tab(ctx: RequestContext) -> None:
    st.subheader(t("plan.catalogue_heading"))
    st.caption(t("plan.catalogue_caption"))
    frame = ui.cached(catalogue_table, ctx.db, ui.lang())
    saved = st.session_state.pop("plan_catalogue_saved", None)
    if saved:
        st.success(t("plan.catalogue_saved", **saved))
    if not can_edit(ctx):
        st.caption(t("plan.catalogue_read_only"))
        table(
            frame.drop(columns=["mechanic_id"]),
            "plan_catalogue",
            target_rule=rule_name,
            evidence=lambda e: evidence_names(evidence_list(e)),
        )
        return
    shown_evidence = ", ".join(evidence_name(e) for e in EVIDENCE)
    st.caption(t("plan.catalogue_edit_caption", evidence=shown_evidence))
    frame = frame.assign(evidence=frame["evidence"].map(evidence_list))
    config = editor_config(frame)
    config["target_rule"] = st.column_config.SelectboxColumn(
        t("plan.col_target_rule"), options=list(TARGET_RULES), format_func=rule_name, required=True
    )
    config["evidence"] = st.column_config.MultiselectColumn(
        t("plan.col_evidence"), options=list(EVIDENCE), format_func=evidence_name
    )
    config["active"] = st.column_config.CheckboxColumn(t("plan.col_active"), default=True)
    config["name"] = st.column_config.TextColumn(t("plan.col_name"), max_chars=MAX_NAME)
    for goal in GOALS:
        config[goal] = st.column_config.NumberColumn(
            config[goal]["label"],
            min_value=0.0,
            max_value=1.0,
            step=0.1,
            default=0.0,
            format=config[goal]["type_config"]["format"],
        )
    for column in ("fixed_cost", "cost_per_person", "fixed_hours", "hours_per_person"):
        config[column] = st.column_config.NumberColumn(
            config[column]["label"],
            min_value=0.0,
            default=0.0,
            format=config[column]["type_config"].get("format"),
        )
    version = st.session_state.get("plan_catalogue_version", 0)
    edited = st.data_editor(
        frame,
        placeholder=BLANK,
        key=f"plan_catalogue_{version}",
        num_rows="dynamic",
        hide_index=True,
        column_config=config,
        column_order=[c for c in frame.columns if c != "mechanic_id"],
        disabled=["mechanic_id"],
    )
    if st.button(t("plan.catalogue_save"), type="primary", icon=":material/save:"):
        try:
            evidence = edited["evidence"].map(lambda e: ",".join(e) if isinstance(e, list) else e)
            counts = save_catalogue(ctx.db, ctx.viewer, edited.assign(evidence=evidence))
        except (ValueError, access.AccessDenied) as exc:
            ui.show_error(exc)
        else:
            ui.clear_caches()
            st.session_state["plan_catalogue_version"] = version + 1
            st.session_state["plan_catalogue_saved"] = counts
            st.rerun()
    downloads(
        frame.assign(evidence=frame["evidence"].map(evidence_names)),
        "plan_catalogue",
        target_rule=rule_name,
    )


def rule_name(rule: str) -> str:
    return t(f"plan.rule_{rule}")
