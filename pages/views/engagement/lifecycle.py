"""Lifecycle: the membership funnel, each wave's retention and why members left."""

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from lib import access
from lib.context import RequestContext
from lib.engagement import lifecycle
from pages.components import ui, workbench
from pages.components.ui import t
from pages.views.engagement.common import downloads, formula, reason_name, table

FUNNEL_TEXT = "value+percent initial"


def lifecycle_section(ctx: RequestContext) -> None:
    st.subheader(t("engagement.funnel_heading"))
    formula(ctx, "funnel")
    funnel = ui.cached(lifecycle.funnel, ctx.db, ctx.filters)
    left, right = st.columns(2)
    with left:
        fig = go.Figure(
            go.Funnel(
                y=[t(f"status.{s}") for s in funnel["stage"]],
                x=funnel["reached"],
                textinfo=FUNNEL_TEXT,
            )
        )
        st.plotly_chart(ui.style(fig, 320), key="funnel_chart")
    with right:
        table(funnel, None)
    downloads(funnel, "membership_funnel")
    retention_section(ctx)
    reasons_section(ctx)


def retention_section(ctx: RequestContext) -> None:
    st.subheader(t("engagement.retention_heading"))
    formula(ctx, "retention")
    retention = ui.cached(lifecycle.wave_retention, ctx.db, ctx.filters)
    if retention.empty:
        st.info(t("common.no_data"))
        return
    shown = retention.assign(
        wave=retention["wave"].map(lambda w: t("filters.wave_value", wave=w)),
        months=retention["months"].map(lambda m: t("engagement.after_months", months=m)),
    )
    fig = px.bar(
        shown,
        x="months",
        y="retention",
        color="wave",
        barmode="group",
        hover_data=["eligible", "retained"],
        labels={
            "months": "",
            "retention": t("engagement.col_retention"),
            "wave": t("filters.wave"),
            "eligible": t("engagement.col_eligible"),
            "retained": t("engagement.col_retained"),
        },
    )
    fig.update_yaxes(tickformat=".0%", range=[0, 1.05])
    st.plotly_chart(ui.style(fig), key="retention_chart")
    table(retention, "wave_retention", ["wave", "months", "eligible", "retained", "retention"])


def reasons_section(ctx: RequestContext) -> None:
    """Why members left in the period; exit reasons by member for those who may see them."""
    st.subheader(t("engagement.reasons_heading"))
    reasons = ui.cached(lifecycle.offboarding_reasons, ctx.db, ctx.filters, ctx.viewer)
    if reasons.empty:
        st.info(t("engagement.nobody_left"))
    else:
        shown = reasons.assign(reason=reasons["reason"].map(reason_name))
        fig = px.bar(
            shown,
            x="alumni",
            y="reason",
            orientation="h",
            labels={"alumni": t("engagement.col_alumni"), "reason": ""},
        )
        fig.update_yaxes(categoryorder="total ascending")
        st.plotly_chart(ui.style(fig, 280), key="reasons_chart")
        downloads(shown, "offboarding_reasons")
        if not access.can(ctx.viewer, "see_small_segments"):
            st.caption(
                t("engagement.reasons_folded", minimum=ctx.settings["segment_min_interviews"])
            )
    if access.can(ctx.viewer, "see_exit_reasons"):
        with st.expander(t("engagement.exits_by_person")):
            exits = ui.cached(lifecycle.exit_reasons_by_person, ctx.db, ctx.filters, ctx.viewer)
            columns = ["person_id", "name", "department", "wave", "joined_on", "left_on"]
            exits = exits.assign(exit_reason=exits["exit_reason"].map(workbench.exit_reason_name))
            table(exits, "exits_by_person", [*columns, "exit_reason", "note"])
