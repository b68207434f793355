"""The plan's lines (pinned or dropped by an editor, then re-planned) and the members and
departments each line reaches."""

import streamlit as st

from lib.context import RequestContext
from lib.formatting import BLANK
from lib.insights.interviews import OTHER
from lib.io.presentation import TableView
from lib.planning.catalogue import mechanic_name
from lib.planning.plan import Plan, PlanInputs, plan_table
from pages.components import tables, ui
from pages.components.ui import t
from pages.views.action_plan.common import (
    can_edit,
    columns,
    downloads,
    editor_config,
    sees_names,
    source_name,
    table,
)


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


def lines_section(ctx: RequestContext, plan: Plan, inputs: PlanInputs) -> None:
    st.subheader(t("plan.lines_heading"))
    lines = plan.lines
    view = plan_table(plan)
    if lines.empty:
        st.info(t("plan.no_lines"))
    elif can_edit(ctx):
        st.caption(t("plan.lines_edit_caption"))
        st.session_state["plan_shown_lines"] = list(
            zip(lines["mechanic_id"], lines["people"].astype(int), strict=True)
        )
        version = st.session_state.get("plan_editor_version", 0)
        editable = view.assign(drop=False, effect_source=view["effect_source"].map(source_name))
        config = editor_config(editable)
        config["pinned"] = st.column_config.CheckboxColumn(t("plan.col_pinned"))
        config["drop"] = st.column_config.CheckboxColumn(t("plan.col_drop"))
        config["reason"] = st.column_config.TextColumn(t("plan.col_reason"), width="large")
        st.data_editor(
            editable,
            placeholder=BLANK,
            key=f"plan_lines_{version}",
            hide_index=True,
            column_config=config,
            column_order=["pinned", "drop", *[c for c in view.columns if c != "pinned"]],
            disabled=[c for c in editable.columns if c not in ("pinned", "drop")],
        )
        st.button(t("plan.replan"), on_click=replan, type="primary", icon=":material/refresh:")
    else:
        tables.table(view, None, columns(), widths={"reason": "large"})
    downloads(view, "action_plan")
    if can_edit(ctx):
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


def targets_section(ctx: RequestContext, plan: Plan) -> None:
    st.subheader(t("plan.targets_heading"))
    if plan.lines.empty:
        return
    if sees_names(ctx):
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
    header = {"mechanic": t("plan.col_mechanic")}
    tables.show_table(departments, None, TableView(headers=header))
    long = plan.departments.drop(columns=["mechanic_id"])
    long["department"] = long["department"].replace({OTHER: t("plan.department_other")})
    downloads(long, "action_plan_departments")
