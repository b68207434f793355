"""Action plan: the club's situation read from the data, goals and budget → a costed plan of
mechanics with the reason for every line; the catalogue, the effects behind it, and saved plans
tracked to their measured effect. The sections live in pages/views/action_plan/."""

import streamlit as st

from lib.context import build_context
from lib.planning.plan import plan_inputs
from pages.components import ui
from pages.components.ui import t
from pages.views.action_plan.catalogue import catalogue_tab
from pages.views.action_plan.effects import effects_tab
from pages.views.action_plan.plan import plan_tab
from pages.views.action_plan.saved import saved_tab
from pages.views.action_plan.situation import situation_section

viewer = ui.page_viewer("action_plan")
ctx = build_context(ui.database(), viewer, ui.filters(), ui.lang())

st.title(t("plan.title"))
st.caption(t("plan.caption"))
inputs = ui.cached(plan_inputs, ctx.db, viewer, ctx.filters)
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
        plan_tab(ctx, inputs)
if tab_effects.open:
    with tab_effects:
        effects_tab(inputs)
if tab_catalogue.open:
    with tab_catalogue:
        catalogue_tab(ctx)
if tab_saved.open:
    with tab_saved:
        saved_tab(ctx)
