"""Trends: activity points by month (split by kind, department or wave) and the engaged share."""

import plotly.express as px
import streamlit as st

from lib.context import RequestContext
from lib.engagement import scoring
from pages.components import ui
from pages.components.ui import t
from pages.views.engagement.common import downloads, formula, kind_name

SPLITS = ("total", "kind", "department", "wave")


def trends_section(ctx: RequestContext) -> None:
    st.subheader(t("engagement.trends_heading"))
    formula(ctx, "trend")
    split = st.segmented_control(
        t("engagement.split"),
        SPLITS,
        default="total",
        format_func=lambda s: t(f"engagement.split_{s}"),
        key="engagement_split",
        bind="query-params",
    )
    by = None if split in (None, "total") else split
    trend = ui.cached(scoring.activity_trend, ctx.db, ctx.filters, by)
    if trend.empty:
        st.info(t("common.no_data"))
    else:
        shown = trend.copy()
        if by == "kind":
            shown["group"] = shown["group"].map(kind_name)
        elif by == "wave":
            shown["group"] = shown["group"].map(lambda w: t("filters.wave_value", wave=w))
        fig = px.bar(
            shown,
            x="month",
            y="points",
            color="group" if by else None,
            hover_data=["activities", "contributors"],
            labels={
                "month": t("common.month"),
                "points": t("engagement.col_points"),
                "group": t(f"engagement.split_{split}"),
                "activities": t("common.activities"),
                "contributors": t("common.contributors"),
            },
        )
        st.plotly_chart(ui.style(fig, 380), key="trend_chart")
        downloads(trend, "activity_trend")
    engaged_share(ctx)


def engaged_share(ctx: RequestContext) -> None:
    st.subheader(t("engagement.engaged_heading"))
    formula(ctx, "engaged")
    share = ui.cached(scoring.engaged_share, ctx.db, ctx.filters)
    if share["active"].sum() == 0:
        st.info(t("common.no_data"))
        return
    fig = px.line(
        share,
        x="month_end",
        y="share",
        markers=True,
        hover_data=["active", "engaged"],
        labels={
            "month_end": t("common.month"),
            "share": t("engagement.col_share"),
            "active": t("engagement.col_active"),
            "engaged": t("engagement.col_engaged"),
        },
    )
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    st.plotly_chart(ui.style(fig), key="engaged_chart")
    downloads(share, "engaged_share")
