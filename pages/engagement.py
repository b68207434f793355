"""Engagement: workload-adjusted scores, levels and who is slipping away; trends; the
membership lifecycle; rituals and whether recognition changes anything. The sections live in
pages/views/engagement/."""

import streamlit as st

from lib.context import build_context
from lib.engagement import scoring
from pages.components import ui
from pages.components.ui import t
from pages.views.engagement.lifecycle import lifecycle_section
from pages.views.engagement.rituals import rituals_section
from pages.views.engagement.scores import at_risk_section, levels_section, scores_section
from pages.views.engagement.trends import trends_section

viewer = ui.page_viewer("engagement")
ctx = build_context(ui.database(), viewer, ui.filters(), ui.lang())

st.title(t("engagement.title"))
st.caption(t("engagement.caption"))
scores = ui.cached(scoring.engagement_scores, ctx.db, ctx.filters, viewer)
if scores.empty:
    st.info(t("common.no_data"))
    st.stop()
tab_scores, tab_trends, tab_lifecycle, tab_rituals = st.tabs(
    [
        t("engagement.tab_scores"),
        t("engagement.tab_trends"),
        t("engagement.tab_lifecycle"),
        t("engagement.tab_rituals"),
    ]
)
with tab_scores:
    scores_section(ctx, scores)
    levels_section(ctx, scores)
    at_risk_section(ctx, scores)
with tab_trends:
    trends_section(ctx)
with tab_lifecycle:
    lifecycle_section(ctx)
with tab_rituals:
    rituals_section(ctx)
