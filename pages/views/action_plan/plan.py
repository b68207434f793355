"""The plan tab: goals, budget and horizon chosen on the page, the costed plan, its charts, its
lines, the members it targets and saving it."""

import pandas as pd
import plotly.express as px
import streamlit as st

from lib import access
from lib.context import RequestContext
from lib.planning.catalogue import GOALS, MAX_COST, MAX_HOURS, MAX_NAME
from lib.planning.plan import (
    DEFAULT_BUDGET,
    DEFAULT_HOURS,
    Plan,
    PlanInputs,
    assemble_plan,
    quarter_label,
    quarters,
)
from lib.planning.situation import suggested_weights
from lib.planning.tracking import save_plan
from pages.components import ui
from pages.components.inputs import money_label, number_text
from pages.components.kpis import Tile, kpi_row
from pages.components.ui import t
from pages.views.action_plan.common import SOURCE_COLOURS, can_edit, source_name
from pages.views.action_plan.lines import clear_choices, lines_section, targets_section

# Goal weights a planner chooses from: 0 to 5 in halves (printed "1,5" in Russian).
WEIGHT_STEPS = [step / 2 for step in range(11)]


def plan_choices(ctx: RequestContext, suggested: dict[str, float]) -> dict:
    """Goal weights, budget, curator hours and horizon chosen on the page."""
    left, right = st.columns([3, 2])
    with left:
        st.markdown(t("plan.goals_heading"))
        weights = {}
        for goal in GOALS:
            weights[goal] = st.select_slider(
                t(f"plan.goal_{goal}"),
                WEIGHT_STEPS,
                value=min(WEIGHT_STEPS, key=lambda w: abs(w - float(suggested[goal]))),
                format_func=lambda w: ui.fmt_number(w, 1),
                key=f"plan_weight_{goal}",
                help=t(f"plan.goal_{goal}_help"),
            )
        st.caption(t("plan.suggested_caption"))
    with right:
        budget = number_text(
            money_label(t("plan.budget")),
            DEFAULT_BUDGET,
            key="plan_budget",
            maximum=MAX_COST,
            help=t("plan.budget_help"),
        )
        hours = number_text(
            t("plan.hours"),
            DEFAULT_HOURS,
            key="plan_hours",
            maximum=MAX_HOURS,
            help=t("plan.hours_help"),
        )
        horizons = quarters(ctx.as_of)
        horizon = st.selectbox(
            t("plan.horizon"),
            horizons,
            index=1,
            format_func=lambda h: t(
                "plan.horizon_value",
                quarter=quarter_label(h),
                start=ui.fmt_date(h[0]),
                end=ui.fmt_date(h[1]),
            ),
            key="plan_horizon",
        )
    return {"weights": weights, "budget": budget, "hours": hours, "horizon": horizon}


def plan_summary(plan: Plan) -> None:
    summary = plan.summary
    measured = t(
        "plan.kpi_measured_value", measured=summary["measured_lines"], lines=summary["lines"]
    )
    kpi_row(
        [
            Tile(
                t("plan.kpi_cost"),
                ui.fmt_money(summary["cost"]),
                t("plan.kpi_cost_help"),
                delta=t("plan.kpi_of", limit=ui.fmt_money(summary["budget"])),
                delta_color="off",
                delta_arrow="off",
            ),
            Tile(
                t("plan.kpi_hours"),
                ui.fmt_number(summary["hours"], 1),
                t("plan.hours_help"),
                delta=t("plan.kpi_of", limit=ui.fmt_number(summary["hours_limit"])),
                delta_color="off",
                delta_arrow="off",
            ),
            Tile(
                t("plan.kpi_effect"),
                ui.fmt_number(summary["expected_effect"], 1),
                t("plan.kpi_effect_help"),
            ),
            Tile(t("plan.kpi_people"), ui.fmt_number(summary["people"]), t("plan.kpi_people_help")),
            Tile(t("plan.kpi_measured"), measured, t("plan.kpi_measured_help")),
        ],
        per_row=3,
    )
    st.caption(t("plan.method_exact" if summary["exact"] else "plan.method_time_limit"))


def plan_charts(plan: Plan) -> None:
    lines = plan.lines
    left, right = st.columns(2)
    with left:
        st.markdown(t("plan.chart_cost"))
        shown = lines.assign(source=lines["effect_source"].map(source_name))
        fig = px.bar(
            shown,
            x="cost",
            y="mechanic",
            color="source",
            orientation="h",
            hover_data={"people": True, "hours": ":.1f", "expected_effect": ":.1f"},
            color_discrete_map={source_name(k): v for k, v in SOURCE_COLOURS.items()},
            labels={
                "cost": t("plan.col_cost"),
                "mechanic": "",
                "source": t("plan.col_effect_source"),
                "people": t("plan.col_people"),
                "hours": t("plan.col_hours"),
                "expected_effect": t("plan.col_expected_effect"),
            },
        )
        fig.update_yaxes(categoryorder="total ascending")
        st.plotly_chart(ui.style(fig, 340), key="plan_cost_chart")
    with right:
        st.markdown(t("plan.chart_goals"))
        goals = pd.DataFrame(
            {
                "goal": [t(f"plan.goal_{g}") for g in GOALS],
                "value": [plan.summary["value_by_goal"][g] for g in GOALS],
            }
        )
        fig = px.bar(
            goals,
            x="value",
            y="goal",
            orientation="h",
            labels={"value": t("plan.col_value"), "goal": ""},
        )
        st.plotly_chart(ui.style(fig, 340), key="plan_goal_chart")


def save_section(ctx: RequestContext, plan: Plan, horizon) -> None:
    if not can_edit(ctx) or plan.lines.empty:
        return
    st.subheader(t("plan.save_heading"))
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    name = left.text_input(
        t("plan.save_name"),
        value=t("plan.save_default_name", quarter=quarter_label(horizon)),
        max_chars=MAX_NAME,
        key="plan_save_name",
    )
    if right.button(t("plan.save_button"), type="primary", icon=":material/save:"):
        try:
            plan_id = save_plan(ctx.db, ctx.viewer, plan, name, horizon)
        except (ValueError, access.AccessDenied) as exc:
            ui.show_error(exc)
        else:
            ui.clear_caches()
            st.session_state["plan_saved_id"] = plan_id
            st.success(t("plan.saved", name=name, plan_id=plan_id))


def plan_tab(ctx: RequestContext, inputs: PlanInputs) -> None:
    choices = plan_choices(ctx, suggested_weights(inputs.situation))
    try:
        plan = assemble_plan(
            inputs,
            weights=choices["weights"],
            budget=choices["budget"],
            hours=choices["hours"],
            pins=st.session_state.get("plan_pins", {}) if can_edit(ctx) else {},
            drops=st.session_state.get("plan_drops", []) if can_edit(ctx) else [],
            lang=ui.lang(),
        )
    except ValueError as exc:
        ui.show_error(exc)
        if can_edit(ctx):
            st.button(t("plan.clear_choices"), on_click=clear_choices, key="plan_clear_on_error")
        return
    st.divider()
    plan_summary(plan)
    if not plan.lines.empty:
        plan_charts(plan)
    lines_section(ctx, plan, inputs)
    targets_section(ctx, plan)
    save_section(ctx, plan, choices["horizon"])
