"""Action plan: the club's situation read from the data, goals and budget → a costed plan of
mechanics with the reason for every line; the catalogue, the effects behind it, and saved plans
tracked to their measured effect."""

import pandas as pd
import plotly.express as px
import streamlit as st

from lib import access
from lib.insights.interviews import OTHER
from lib.planning.catalogue import (
    EVIDENCE,
    GOALS,
    MAX_COST,
    MAX_HOURS,
    MAX_NAME,
    TARGET_RULES,
    catalogue_table,
    mechanic_name,
    save_catalogue,
)
from lib.planning.evidence import DEFAULT, EFFECT_DAYS, MEASURED, MIN_CASES
from lib.planning.plan import (
    DEFAULT_BUDGET,
    DEFAULT_HOURS,
    TARGETS_PERMISSION,
    Plan,
    PlanInputs,
    assemble_plan,
    plan_inputs,
    plan_table,
    quarter_label,
    quarters,
)
from lib.planning.situation import suggested_weights
from lib.planning.tracking import (
    LINE_STATUSES,
    measure_plan,
    plan_lines,
    record_measured_effects,
    save_plan,
    saved_plan_targets,
    saved_plans,
    update_tracking,
)
from pages.components import ui
from pages.components.ui import t

SOURCE_FILES = {
    "engagement": "pages/engagement.py",
    "recruitment_gaps": "pages/recruitment_gaps.py",
}
SOURCE_COLOURS = {MEASURED: "#2E86AB", DEFAULT: "#8C8C8C"}
DEFAULT_MARK = "#C73E1D"
SHARE_INDICATORS = ("dormant_share", "at_risk_share", "onboarding_conversion", "must_below_target")
NUMBER_FORMATS = {
    "cost": "%,.0f",
    "planned_cost": "%,.0f",
    "cost_spent": "%,.0f",
    "fixed_cost": "%,.0f",
    "cost_per_person": "%,.0f",
    "hours": "%.1f",
    "planned_hours": "%.1f",
    "effect_per_person": "%.2f",
    "expected_effect": "%.1f",
    "expected_per_person": "%.2f",
    "measured_effect": "%.2f",
    "default_effect": "%.2f",
    "history_effect": "%.2f",
    "follow_up_effect": "%.2f",
    "effect": "%.2f",
    "value": "%.1f",
    "budget": "%,.0f",
}

viewer = ui.page_viewer("action_plan")
db = ui.database()
filters = ui.filters()
editor = access.can(viewer, "edit_plan")
named = access.can(viewer, TARGETS_PERMISSION)


def source_name(source) -> str:
    return t(f"plan.source_{source}") if isinstance(source, str) else "—"


def evidence_names(evidence) -> str:
    if not isinstance(evidence, list) or not evidence:
        return "—"
    return ", ".join(t(f"plan.evidence_{e.replace(':', '_')}") for e in evidence)


def columns_config(frame: pd.DataFrame) -> dict:
    """Headers for every column from the locale; numbers formatted for reading."""
    config = {}
    for column in frame.columns:
        if column in GOALS:
            config[column] = st.column_config.NumberColumn(t(f"plan.goal_{column}"), format="%.1f")
            continue
        label = t(f"plan.col_{column}")
        if column in NUMBER_FORMATS:
            config[column] = st.column_config.NumberColumn(label, format=NUMBER_FORMATS[column])
        else:
            config[column] = st.column_config.Column(label)
    return config


def table(frame: pd.DataFrame, name: str) -> None:
    """A read-only table with locale headers, and its CSV and Excel downloads."""
    st.dataframe(frame, hide_index=True, column_config=columns_config(frame))
    ui.downloads(frame, name)


# -- the situation ------------------------------------------------------------------------------
def base_caption(row) -> str:
    """What a situation number is out of: '19 of 140' under a share, '60% of 140' under a
    count."""
    if row.indicator in SHARE_INDICATORS:
        return t("plan.of_base", count=ui.fmt_number(row.count), base=ui.fmt_number(row.base))
    return t("plan.share_of_base", share=ui.fmt_percent(row.value), base=ui.fmt_number(row.base))


def situation_section(frame: pd.DataFrame) -> None:
    st.subheader(t("plan.situation_heading"))
    st.caption(t("plan.situation_caption"))
    rows = list(frame.itertuples())
    for start in range(0, len(rows), 4):
        tiles = st.columns(4)
        for tile, row in zip(tiles, rows[start : start + 4], strict=False):
            with tile.container(border=True):
                if row.indicator in SHARE_INDICATORS:
                    value = ui.fmt_percent(None if pd.isna(row.value) else row.value)
                else:
                    value = ui.fmt_number(row.count)
                st.metric(
                    t(f"plan.indicator_{row.indicator}"),
                    value,
                    help=t(f"plan.indicator_{row.indicator}_help"),
                )
                if not pd.isna(row.base):
                    st.caption(base_caption(row))
                st.page_link(
                    SOURCE_FILES[row.source],
                    label=t(f"plan.source_page_{row.source}"),
                    icon=":material/arrow_forward:",
                )


# -- goals, budget and the plan ---------------------------------------------------------------
def plan_choices(suggested: dict[str, float]) -> dict:
    """Goal weights, budget, curator hours and horizon chosen on the page."""
    left, right = st.columns([3, 2])
    with left:
        st.markdown(t("plan.goals_heading"))
        weights = {}
        for goal in GOALS:
            weights[goal] = st.slider(
                t(f"plan.goal_{goal}"),
                0.0,
                5.0,
                float(suggested[goal]),
                0.5,
                format="%.1f",
                key=f"plan_weight_{goal}",
                help=t(f"plan.goal_{goal}_help"),
            )
        st.caption(t("plan.suggested_caption"))
    with right:
        budget = st.number_input(
            t("plan.budget"),
            min_value=0.0,
            max_value=MAX_COST,
            value=DEFAULT_BUDGET,
            step=100_000.0,
            format="%.0f",
            key="plan_budget",
        )
        hours = st.number_input(
            t("plan.hours"),
            min_value=0.0,
            max_value=MAX_HOURS,
            value=DEFAULT_HOURS,
            step=10.0,
            format="%.0f",
            key="plan_hours",
            help=t("plan.hours_help"),
        )
        horizons = quarters(filters.as_of)
        horizon = st.selectbox(
            t("plan.horizon"),
            horizons,
            index=1,
            format_func=lambda h: t(
                "plan.horizon_value",
                quarter=quarter_label(h),
                start=h[0].isoformat(),
                end=h[1].isoformat(),
            ),
            key="plan_horizon",
        )
    return {"weights": weights, "budget": budget, "hours": hours, "horizon": horizon}


def plan_summary(plan: Plan) -> None:
    summary = plan.summary
    tiles = st.columns(5)
    tiles[0].metric(
        t("plan.kpi_cost"),
        ui.fmt_number(summary["cost"]),
        t("plan.kpi_of", limit=ui.fmt_number(summary["budget"])),
        delta_color="off",
        delta_arrow="off",
        border=True,
    )
    tiles[1].metric(
        t("plan.kpi_hours"),
        ui.fmt_number(summary["hours"], 1),
        t("plan.kpi_of", limit=ui.fmt_number(summary["hours_limit"])),
        delta_color="off",
        delta_arrow="off",
        border=True,
    )
    tiles[2].metric(
        t("plan.kpi_effect"),
        ui.fmt_number(summary["expected_effect"], 1),
        help=t("plan.kpi_effect_help"),
        border=True,
    )
    tiles[3].metric(t("plan.kpi_people"), ui.fmt_number(summary["people"]), border=True)
    tiles[4].metric(
        t("plan.kpi_measured"),
        t("plan.kpi_measured_value", measured=summary["measured_lines"], lines=summary["lines"]),
        border=True,
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


def replan() -> None:
    """Apply the pin and drop ticks of the lines editor, then build the plan again."""
    version = st.session_state.get("plan_editor_version", 0)
    edits = st.session_state.get(f"plan_lines_{version}", {}).get("edited_rows", {})
    shown = st.session_state.get("plan_shown_lines", [])
    pins = dict(st.session_state.get("plan_pins", {}))
    drops = list(st.session_state.get("plan_drops", []))
    for row, change in edits.items():
        mechanic_id, people = shown[int(row)]
        if change.get("drop"):
            pins.pop(mechanic_id, None)
            drops.append(mechanic_id)
        elif "pinned" in change:
            if change["pinned"]:
                pins[mechanic_id] = people
            else:
                pins.pop(mechanic_id, None)
    st.session_state["plan_pins"] = pins
    st.session_state["plan_drops"] = list(dict.fromkeys(drops))
    st.session_state["plan_editor_version"] = version + 1


def pin_by_hand(inputs: PlanInputs) -> None:
    """Pin a mechanic the constructor left out, for a chosen number of members."""
    mechanic_id = st.session_state.get("plan_pin_mechanic")
    people = st.session_state.get("plan_pin_people")
    if mechanic_id and people:
        pins = dict(st.session_state.get("plan_pins", {}))
        pins[mechanic_id] = int(people)
        st.session_state["plan_pins"] = pins
        drops = [d for d in st.session_state.get("plan_drops", []) if d != mechanic_id]
        st.session_state["plan_drops"] = drops
        st.session_state["plan_editor_version"] = st.session_state.get("plan_editor_version", 0) + 1


def clear_choices() -> None:
    st.session_state["plan_pins"] = {}
    st.session_state["plan_drops"] = []
    st.session_state["plan_editor_version"] = st.session_state.get("plan_editor_version", 0) + 1


def lines_section(plan: Plan, inputs: PlanInputs) -> None:
    st.subheader(t("plan.lines_heading"))
    lines = plan.lines
    view = plan_table(plan)
    view["effect_source"] = view["effect_source"].map(source_name)
    if lines.empty:
        st.info(t("plan.no_lines"))
    elif editor:
        st.caption(t("plan.lines_edit_caption"))
        st.session_state["plan_shown_lines"] = list(
            zip(lines["mechanic_id"], lines["people"].astype(int), strict=True)
        )
        version = st.session_state.get("plan_editor_version", 0)
        editable = view.assign(drop=False)
        config = columns_config(editable)
        config["pinned"] = st.column_config.CheckboxColumn(t("plan.col_pinned"))
        config["drop"] = st.column_config.CheckboxColumn(t("plan.col_drop"))
        config["reason"] = st.column_config.TextColumn(t("plan.col_reason"), width="large")
        st.data_editor(
            editable,
            key=f"plan_lines_{version}",
            hide_index=True,
            column_config=config,
            column_order=["pinned", "drop", *[c for c in view.columns if c != "pinned"]],
            disabled=[c for c in editable.columns if c not in ("pinned", "drop")],
        )
        st.button(t("plan.replan"), on_click=replan, type="primary", icon=":material/refresh:")
    else:
        config = columns_config(view)
        config["reason"] = st.column_config.TextColumn(t("plan.col_reason"), width="large")
        st.dataframe(view, hide_index=True, column_config=config)
    ui.downloads(view, "action_plan")
    if editor:
        pins_and_drops(inputs)


def pins_and_drops(inputs: PlanInputs) -> None:
    pins = st.session_state.get("plan_pins", {})
    drops = st.session_state.get("plan_drops", [])
    names = {
        m: mechanic_name(m, n, ui.lang())
        for m, n in zip(inputs.mechanics["mechanic_id"], inputs.mechanics["name"], strict=True)
    }
    if pins or drops:
        st.caption(
            t(
                "plan.choices_now",
                pinned=", ".join(f"{names.get(m, m)} ({p})" for m, p in pins.items()) or "—",
                dropped=", ".join(names.get(m, m) for m in drops) or "—",
            )
        )
        st.button(t("plan.clear_choices"), on_click=clear_choices, icon=":material/restart_alt:")
    with st.expander(t("plan.pin_heading")):
        active = inputs.mechanics[inputs.mechanics["active"]]
        left, right = st.columns([3, 1])
        left.selectbox(
            t("plan.pin_mechanic"),
            list(active["mechanic_id"]),
            format_func=lambda m: names.get(m, m),
            key="plan_pin_mechanic",
        )
        right.number_input(
            t("plan.pin_people"), min_value=1, max_value=10_000, value=5, key="plan_pin_people"
        )
        st.button(
            t("plan.pin_button"), on_click=pin_by_hand, args=(inputs,), icon=":material/push_pin:"
        )


def targets_section(plan: Plan) -> None:
    st.subheader(t("plan.targets_heading"))
    if plan.lines.empty:
        return
    if named:
        st.caption(t("plan.targets_staff_caption"))
        targets = plan.targets.merge(
            plan.lines[["mechanic_id", "mechanic"]], on="mechanic_id", how="left"
        )
        targets["level"] = targets["level"].map(
            lambda level: t(f"plan.level_{level}") if isinstance(level, str) else "—"
        )
        targets["status"] = targets["status"].map(lambda s: t(f"status.{s}"))
        shown = targets[["mechanic", "rank", "person_id", "name", "department", "status", "level"]]
        with st.expander(t("plan.targets_names"), expanded=False):
            table(shown, "action_plan_targets")
    else:
        st.caption(t("plan.targets_leadership_caption"))
    departments = plan.departments.pivot_table(
        index="mechanic", columns="department", values="people", aggfunc="sum", fill_value=0
    )
    columns = [c for c in departments.sum().sort_values(ascending=False).index if c != OTHER]
    columns += [OTHER] if OTHER in departments.columns else []
    rows = [m for m in plan.lines["mechanic"] if m in departments.index]
    departments = departments.loc[rows, columns].reset_index()
    departments = departments.rename(columns={OTHER: t("plan.department_other")})
    departments.columns.name = None
    config = {"mechanic": st.column_config.Column(t("plan.col_mechanic"))}
    st.dataframe(departments, hide_index=True, column_config=config)
    long = plan.departments.drop(columns=["mechanic_id"])
    long["department"] = long["department"].replace({OTHER: t("plan.department_other")})
    ui.downloads(long, "action_plan_departments")


def save_section(plan: Plan, horizon) -> None:
    if not editor or plan.lines.empty:
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
            plan_id = save_plan(db, viewer, plan, name, horizon)
        except (ValueError, access.AccessDenied) as exc:
            ui.show_error(exc)
        else:
            ui.clear_caches()
            st.session_state["plan_saved_id"] = plan_id
            st.success(t("plan.saved", name=name, plan_id=plan_id))


def plan_tab(inputs: PlanInputs) -> None:
    choices = plan_choices(suggested_weights(inputs.situation))
    try:
        plan = assemble_plan(
            inputs,
            weights=choices["weights"],
            budget=choices["budget"],
            hours=choices["hours"],
            pins=st.session_state.get("plan_pins", {}) if editor else {},
            drops=st.session_state.get("plan_drops", []) if editor else [],
            lang=ui.lang(),
        )
    except ValueError as exc:
        ui.show_error(exc)
        if editor:
            st.button(t("plan.clear_choices"), on_click=clear_choices, key="plan_clear_on_error")
        return
    st.divider()
    plan_summary(plan)
    if not plan.lines.empty:
        plan_charts(plan)
    lines_section(plan, inputs)
    targets_section(plan)
    save_section(plan, choices["horizon"])


# -- the effects behind the plan ---------------------------------------------------------------
def effects_tab(inputs: PlanInputs) -> None:
    st.subheader(t("plan.effects_heading"))
    st.caption(t("plan.effects_caption", cases=MIN_CASES, days=EFFECT_DAYS))
    effects, mechanics = inputs.effects, inputs.mechanics
    names = dict(
        zip(
            mechanics["mechanic_id"],
            [
                mechanic_name(m, n, ui.lang())
                for m, n in zip(mechanics["mechanic_id"], mechanics["name"], strict=True)
            ],
            strict=True,
        )
    )
    shown = effects.assign(
        mechanic=effects["mechanic_id"].map(names),
        evidence=effects["evidence"].map(evidence_names),
        source=effects["source"].map(source_name),
    )
    fig = px.bar(
        shown,
        x="effect",
        y="mechanic",
        color="source",
        orientation="h",
        hover_data={"cases": True, "default_effect": ":.2f", "measured_effect": ":.2f"},
        color_discrete_map={source_name(k): v for k, v in SOURCE_COLOURS.items()},
        category_orders={"mechanic": list(shown["mechanic"])},
        labels={
            "effect": t("plan.col_effect"),
            "mechanic": "",
            "source": t("plan.col_effect_source"),
            "cases": t("plan.col_cases"),
            "default_effect": t("plan.col_default_effect"),
            "measured_effect": t("plan.col_measured_effect"),
        },
    )
    fig.add_scatter(
        x=shown["default_effect"],
        y=shown["mechanic"],
        mode="markers",
        marker={"symbol": "line-ns-open", "size": 18, "color": DEFAULT_MARK},
        name=t("plan.col_default_effect"),
    )
    st.plotly_chart(ui.style(fig, 460), key="plan_effects_chart")
    columns = ["mechanic", "source", "effect", "cases", "default_effect", "measured_effect"]
    columns += ["evidence", "history_cases", "history_effect", "follow_up_cases"]
    table(
        shown[[*columns, "follow_up_effect"]].rename(columns={"source": "effect_source"}),
        "plan_effects",
    )
    with st.expander(t("plan.event_impact_heading")):
        st.caption(t("plan.event_impact_caption", days=EFFECT_DAYS))
        history = inputs.history
        if history.empty:
            st.info(t("common.no_data"))
        else:
            shown = history.assign(evidence=history["evidence"].map(lambda e: evidence_names([e])))
            table(shown, "plan_history_evidence")


# -- the catalogue --------------------------------------------------------------------------------
def catalogue_tab() -> None:
    st.subheader(t("plan.catalogue_heading"))
    st.caption(t("plan.catalogue_caption"))
    frame = ui.cached(catalogue_table, db, ui.lang())
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
    if not editor:
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
            counts = save_catalogue(db, viewer, edited)
        except (ValueError, access.AccessDenied) as exc:
            ui.show_error(exc)
        else:
            ui.clear_caches()
            st.session_state["plan_catalogue_version"] = version + 1
            st.session_state["plan_catalogue_saved"] = counts
            st.rerun()
    ui.downloads(frame, "plan_catalogue")


# -- saved plans and their follow-up ------------------------------------------------------------
def saved_tab() -> None:
    st.subheader(t("plan.saved_heading"))
    plans = ui.cached(saved_plans, db)
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
    lines = ui.cached(plan_lines, db, plan_id, ui.lang())
    spent = lines["cost_spent"].fillna(0).sum()
    tiles = st.columns(4)
    tiles[0].metric(
        t("plan.kpi_planned_cost"), ui.fmt_number(lines["planned_cost"].sum()), border=True
    )
    tiles[1].metric(t("plan.kpi_spent"), ui.fmt_number(spent), border=True)
    tiles[2].metric(
        t("plan.kpi_done"),
        t("plan.kpi_done_value", done=int((lines["status"] == "done").sum()), lines=len(lines)),
        border=True,
    )
    horizon = (chosen["horizon_start"].date(), chosen["horizon_end"].date())
    tiles[3].metric(
        t("plan.kpi_horizon"),
        quarter_label(horizon),
        help=t("plan.horizon_dates", start=str(horizon[0]), end=str(horizon[1])),
        border=True,
    )
    tracking = lines[["line_no", "mechanic", "target_group", "people", "planned_cost"]].assign(
        expected_effect=lines["expected_effect"],
        status=lines["status"],
        done_on=pd.to_datetime(lines["done_on"]),
        cost_spent=lines["cost_spent"],
    )
    if editor:
        config = columns_config(tracking)
        config["status"] = st.column_config.SelectboxColumn(
            t("plan.col_status"),
            options=list(LINE_STATUSES),
            format_func=lambda s: t(f"plan.line_{s}"),
            required=True,
        )
        config["done_on"] = st.column_config.DateColumn(t("plan.col_done_on"))
        config["cost_spent"] = st.column_config.NumberColumn(
            t("plan.col_cost_spent"), min_value=0.0, format="%,.0f"
        )
        version = st.session_state.get("plan_tracking_version", 0)
        edited = st.data_editor(
            tracking,
            key=f"plan_tracking_{plan_id}_{version}",
            hide_index=True,
            column_config=config,
            disabled=[c for c in tracking.columns if c not in ("status", "done_on", "cost_spent")],
        )
        if st.button(t("plan.tracking_save"), type="primary", icon=":material/save:"):
            try:
                changed = update_tracking(db, viewer, plan_id, edited)
            except (ValueError, access.AccessDenied) as exc:
                ui.show_error(exc)
            else:
                ui.clear_caches()
                st.session_state["plan_tracking_version"] = version + 1
                st.toast(t("plan.tracking_saved", lines=changed))
                st.rerun()
        ui.downloads(tracking, "plan_tracking")
    else:
        shown = tracking.assign(status=tracking["status"].map(lambda s: t(f"plan.line_{s}")))
        table(shown, "plan_tracking")
    follow_up(plan_id, chosen, lines)
    if named:
        with st.expander(t("plan.saved_targets")):
            targets = ui.cached(saved_plan_targets, db, viewer, plan_id, ui.lang())
            targets["status"] = targets["status"].map(
                lambda s: t(f"status.{s}") if isinstance(s, str) else "—"
            )
            table(targets.drop(columns=["mechanic_id"]), "saved_plan_targets")


def follow_up(plan_id: int, chosen: pd.Series, lines: pd.DataFrame) -> None:
    st.subheader(t("plan.follow_up_heading"))
    end = chosen["horizon_end"].date()
    if filters.as_of < end:
        st.info(t("plan.follow_up_later", end=str(end)))
        return
    st.caption(t("plan.follow_up_caption", days=EFFECT_DAYS))
    measured = ui.cached(measure_plan, db, plan_id, filters.as_of)
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
    if editor and st.button(t("plan.follow_up_record"), icon=":material/fact_check:"):
        try:
            count = record_measured_effects(db, viewer, plan_id, filters.as_of)
        except (ValueError, access.AccessDenied) as exc:
            ui.show_error(exc)
        else:
            ui.clear_caches()
            st.toast(t("plan.follow_up_recorded_now", lines=count))
            st.rerun()


# -- the page -----------------------------------------------------------------------------------
st.title(t("plan.title"))
st.caption(t("plan.caption"))
inputs = ui.cached(plan_inputs, db, viewer, filters)
situation_section(inputs.situation)
tab_labels = [
    t("plan.tab_plan"),
    t("plan.tab_effects"),
    t("plan.tab_catalogue"),
    t("plan.tab_saved"),
]
tab_plan, tab_effects, tab_catalogue, tab_saved = st.tabs(
    tab_labels, key="plan_tab", on_change="rerun"
)
if tab_plan.open:
    with tab_plan:
        plan_tab(inputs)
if tab_effects.open:
    with tab_effects:
        effects_tab(inputs)
if tab_catalogue.open:
    with tab_catalogue:
        catalogue_tab()
if tab_saved.open:
    with tab_saved:
        saved_tab()
