"""The effects behind the plan: the effect each mechanic is planned with, measured or default,
and the history of events and recognitions it was measured on."""

import plotly.express as px
import streamlit as st

from lib.planning.catalogue import mechanic_name
from lib.planning.evidence import EFFECT_DAYS, MIN_CASES
from lib.planning.plan import PlanInputs
from pages.components import ui
from pages.components.ui import t
from pages.views.action_plan.common import (
    DEFAULT_MARK,
    SOURCE_COLOURS,
    evidence_names,
    source_name,
    table,
)


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
    listed = shown.assign(source=effects["source"])
    table(
        listed[[*columns, "follow_up_effect"]].rename(columns={"source": "effect_source"}),
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
