"""Saved plans: their lines tracked (status, date, money spent) and, after the horizon, the
effect each line had measured against the one it was planned with."""

import pandas as pd
import plotly.express as px
import streamlit as st

from lib import access
from lib.context import RequestContext
from lib.formatting import BLANK
from lib.planning.evidence import EFFECT_DAYS
from lib.planning.plan import quarter_label
from lib.planning.tracking import (
    LINE_STATUSES,
    measure_plan,
    plan_lines,
    record_measured_effects,
    saved_plan_targets,
    saved_plans,
    update_tracking,
)
from pages.components import tables, ui
from pages.components.kpis import Tile, kpi_row
from pages.components.tables import code_label
from pages.components.ui import t
from pages.views.action_plan.common import (
    can_edit,
    columns,
    downloads,
    editor_config,
    sees_names,
    table,
)


def saved_tab(ctx: RequestContext) -> None:
    st.subheader(t("plan.saved_heading"))
    plans = ui.cached(saved_plans, ctx.db)
    if plans.empty:
        st.info(t("plan.no_saved"))
        return
    table(plans, "saved_plans")
    ids = list(plans["plan_id"])
    default = st.session_state.get("plan_saved_id")
    plan_id = st.selectbox(
        t("plan.saved_choose"),
        ids,
        index=ids.index(default) if default in ids else 0,
        format_func=lambda p: plans.set_index("plan_id").loc[p, "name"],
        key="plan_saved_choice",
    )
    chosen = plans.set_index("plan_id").loc[plan_id]
    lines = ui.cached(plan_lines, ctx.db, plan_id, ui.lang())
    spent = lines["cost_spent"].fillna(0).sum()
    horizon = (chosen["horizon_start"].date(), chosen["horizon_end"].date())
    done = int((lines["status"] == "done").sum())
    kpi_row(
        [
            Tile(t("plan.kpi_planned_cost"), ui.fmt_money(lines["planned_cost"].sum())),
            Tile(t("plan.kpi_spent"), ui.fmt_money(spent)),
            Tile(t("plan.kpi_done"), t("plan.kpi_done_value", done=done, lines=len(lines))),
            Tile(
                t("plan.kpi_horizon"),
                quarter_label(horizon),
                t("plan.horizon_dates", start=ui.fmt_date(horizon[0]), end=ui.fmt_date(horizon[1])),
            ),
        ]
    )
    tracking_section(ctx, plan_id, lines)
    follow_up(ctx, plan_id, chosen, lines)
    if sees_names(ctx):
        with st.expander(t("plan.saved_targets")):
            targets = ui.cached(saved_plan_targets, ctx.db, ctx.viewer, plan_id, ui.lang())
            table(
                targets.drop(columns=["mechanic_id"]),
                "saved_plan_targets",
                status=code_label("status."),
            )


def tracking_section(ctx: RequestContext, plan_id: int, lines: pd.DataFrame) -> None:
    """Each line's status, date done and money spent: edited by editors, read by others."""
    tracking = lines[["line_no", "mechanic", "target_group", "people", "planned_cost"]].assign(
        expected_effect=lines["expected_effect"],
        status=lines["status"],
        done_on=pd.to_datetime(lines["done_on"]),
        cost_spent=lines["cost_spent"],
    )
    if can_edit(ctx):
        config = editor_config(tracking)
        config["status"] = st.column_config.SelectboxColumn(
            t("plan.col_status"),
            options=list(LINE_STATUSES),
            format_func=lambda s: t(f"plan.line_{s}"),
            required=True,
        )
        config["done_on"] = st.column_config.DateColumn(
            t("plan.col_done_on"), format=ui.date_format()
        )
        config["cost_spent"] = st.column_config.NumberColumn(
            config["cost_spent"]["label"],
            min_value=0.0,
            format=config["cost_spent"]["type_config"]["format"],
        )
        version = st.session_state.get("plan_tracking_version", 0)
        edited = st.data_editor(
            tracking,
            placeholder=BLANK,
            key=f"plan_tracking_{plan_id}_{version}",
            hide_index=True,
            column_config=config,
            disabled=[c for c in tracking.columns if c not in ("status", "done_on", "cost_spent")],
        )
        if st.button(t("plan.tracking_save"), type="primary", icon=":material/save:"):
            try:
                changed = update_tracking(ctx.db, ctx.viewer, plan_id, edited)
            except (ValueError, access.AccessDenied) as exc:
                ui.show_error(exc)
            else:
                ui.clear_caches()
                st.session_state["plan_tracking_version"] = version + 1
                st.toast(t("plan.tracking_saved", lines=changed))
                st.rerun()
    else:
        tables.table(tracking, None, columns(status=code_label("plan.line_")))
    downloads(tracking, "plan_tracking", status=code_label("plan.line_"))


def follow_up(ctx: RequestContext, plan_id: int, chosen: pd.Series, lines: pd.DataFrame) -> None:
    st.subheader(t("plan.follow_up_heading"))
    end = chosen["horizon_end"].date()
    if ctx.as_of < end:
        st.info(t("plan.follow_up_later", end=ui.fmt_date(end)))
        return
    st.caption(t("plan.follow_up_caption", days=EFFECT_DAYS))
    measured = ui.cached(measure_plan, ctx.db, plan_id, ctx.as_of)
    if measured.empty:
        st.info(t("plan.follow_up_none_done"))
        return
    shown = measured.merge(lines[["line_no", "mechanic"]], on="line_no")
    shown = shown[["line_no", "mechanic", "cases", "expected_per_person", "measured_effect"]]
    long = shown.melt(
        id_vars="mechanic",
        value_vars=["expected_per_person", "measured_effect"],
        var_name="series",
        value_name="effect_value",
    )
    long["series"] = long["series"].map(lambda s: t(f"plan.col_{s}"))
    fig = px.bar(
        long,
        x="effect_value",
        y="mechanic",
        color="series",
        barmode="group",
        orientation="h",
        labels={"effect_value": t("plan.col_effect"), "mechanic": "", "series": ""},
    )
    st.plotly_chart(ui.style(fig, 320), key="plan_follow_up_chart")
    table(shown, "plan_follow_up")
    recorded = lines["measured_at"].notna().any()
    if recorded:
        st.caption(t("plan.follow_up_recorded"))
    if can_edit(ctx) and st.button(t("plan.follow_up_record"), icon=":material/fact_check:"):
        try:
            count = record_measured_effects(ctx.db, ctx.viewer, plan_id, ctx.as_of)
        except (ValueError, access.AccessDenied) as exc:
            ui.show_error(exc)
        else:
            ui.clear_caches()
            st.toast(t("plan.follow_up_recorded_now", lines=count))
            st.rerun()
