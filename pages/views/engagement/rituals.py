"""Rituals and motivation: event turnout, who never comes, whether recognition changes
anything, and who has not been recognised for a long time."""

import pandas as pd
import plotly.express as px
import streamlit as st

from lib.context import RequestContext
from lib.engagement import rituals
from pages.components import ui
from pages.components.kpis import Tile, kpi_row
from pages.components.ui import t
from pages.views.engagement.common import event_name, formula, recognition_name, staff, table


def rituals_section(ctx: RequestContext) -> None:
    events_section(ctx)
    if staff(ctx):
        never_section(ctx)
    impact_section(ctx)
    if staff(ctx):
        overlooked_section(ctx)


def events_section(ctx: RequestContext) -> None:
    st.subheader(t("engagement.events_heading"))
    formula(ctx, "turnout")
    events = ui.cached(rituals.event_attendance, ctx.db, ctx.filters)
    if events.empty:
        st.info(t("common.no_data"))
        return
    shown = events.assign(kind=events["kind"].map(event_name))
    fig = px.scatter(
        shown,
        x="date",
        y="came",
        color="kind",
        size="came",
        hover_name="title",
        hover_data={"turnout": ":.0%", "in_club": True},
        labels={
            "date": t("engagement.col_date"),
            "came": t("engagement.col_came"),
            "kind": t("engagement.col_kind"),
            "turnout": t("engagement.col_turnout"),
            "in_club": t("engagement.col_in_club"),
        },
    )
    st.plotly_chart(ui.style(fig, 360), key="events_chart")
    columns = ["event_id", "date", "kind", "title", "came", "speakers", "organisers"]
    table(events, "event_attendance", [*columns, "in_club", "turnout", "budget"], event_name)


def never_section(ctx: RequestContext) -> None:
    st.subheader(t("engagement.never_heading"))
    st.caption(t("engagement.never_caption"))
    never = ui.cached(rituals.never_attending, ctx.db, ctx.filters, ctx.viewer)
    if never.empty:
        st.info(t("engagement.everyone_came"))
        return
    columns = ["person_id", "name", "department", "wave", "status", "events_held"]
    table(never, "never_attending", [*columns, "last_attended"])


def impact_section(ctx: RequestContext) -> None:
    st.subheader(t("engagement.impact_heading"))
    formula(ctx, "impact")
    impact = ui.cached(rituals.recognition_impact, ctx.db, ctx.filters)
    if impact.empty:
        st.info(t("engagement.no_recognitions"))
        return
    overall = impact[impact["kind"] == rituals.ALL_KINDS].iloc[0]
    shown = {
        "cases": ui.fmt_number(overall["cases"]),
        "effect": ui.fmt_number(overall["effect"], 1),
        "unmatched": ui.fmt_number(overall["unmatched"]),
    }
    kpi_row(
        [
            Tile(
                t(f"engagement.impact_{key}"),
                value,
                t(f"engagement.impact_{key}_help", days=rituals.IMPACT_DAYS),
            )
            for key, value in shown.items()
        ]
    )
    impact_chart(impact)
    columns = ["kind", "cases", "unmatched", "before", "after", "peer_before", "peer_after"]
    table(impact, "recognition_impact", [*columns, "effect"], recognition_name)
    with st.expander(t("engagement.impact_cases_table")):
        cases = ui.cached(rituals.recognition_cases, ctx.db, ctx.filters)
        columns = ["person_id", "name", "department", "wave", "recognised_on", "kind", "level"]
        columns += ["before", "after", "peers", "effect"]
        table(cases, "recognition_cases", columns, recognition_name)


def impact_chart(impact: pd.DataFrame) -> None:
    """Activities before and after, recognised members against their peers, by kind."""
    shown = impact.assign(kind=impact["kind"].map(recognition_name))
    long = shown.melt(
        id_vars="kind",
        value_vars=["before", "after", "peer_before", "peer_after"],
        var_name="series",
        value_name="activities",
    )
    long["group"] = long["series"].map(
        lambda s: t(
            "engagement.group_peers" if s.startswith("peer") else "engagement.group_recognised"
        )
    )
    long["when"] = long["series"].map(
        lambda s: t("engagement.when_after" if s.endswith("after") else "engagement.when_before")
    )
    fig = px.bar(
        long,
        x="when",
        y="activities",
        color="group",
        barmode="group",
        facet_col="kind",
        labels={"when": "", "activities": t("common.activities"), "group": "", "kind": ""},
    )
    fig.for_each_annotation(lambda a: a.update(text=a.text.split("=")[-1]))
    ui.style(fig, 400).update_layout(margin={"t": 90}, legend={"y": 1.2})
    st.plotly_chart(fig, key="impact_chart")


def overlooked_section(ctx: RequestContext) -> None:
    st.subheader(t("engagement.gaps_heading"))
    st.caption(t("engagement.gaps_caption", gap=ctx.settings["recognition_gap_days"]))
    gaps = ui.cached(rituals.recognition_gaps, ctx.db, ctx.filters, ctx.viewer)
    if gaps.empty:
        st.info(t("engagement.nobody_overlooked"))
        return
    columns = ["person_id", "name", "department", "wave", "status", "level", "index"]
    table(gaps, "recognition_gaps", [*columns, "last_recognised", "days_since"])
