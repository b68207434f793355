"""Scores and levels: the workload-adjusted index, how levels moved, and who is at risk."""

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from lib import metrics
from lib.context import RequestContext
from lib.engagement import calibration, scoring
from pages.components import ui, workbench
from pages.components.kpis import Tile, kpi_row, metric_tile
from pages.components.ui import t
from pages.views.engagement.common import (
    LEVEL_COLOURS,
    formula,
    level_name,
    staff,
    table,
)

SCORE_METRICS = (
    "scored_members",
    "active_members",
    "median_index",
    "core_or_active_share",
    "at_risk_members",
)
HEAT_SCALE = "Blues"
LINE_COLOUR = "#555555"


def scores_section(ctx: RequestContext, scores: pd.DataFrame) -> None:
    score_tiles(ctx, scores)
    st.subheader(t("engagement.adjustment_heading"))
    formula(ctx, "index")
    adjustment_chart(ctx, scores)
    st.subheader(t("engagement.scores_heading"))
    columns = ["name", "department", "wave", "status", "points", "index", "level"]
    columns += ["previous_level", "at_risk", "last_contribution"]
    if staff(ctx):
        columns += ["hours_available", "expected", "capacity_flag"]
    table(scores, "engagement_scores", ["person_id", *columns])


def score_tiles(ctx: RequestContext, scores: pd.DataFrame) -> None:
    values = metrics.metric_values(ctx.db, ctx.filters, SCORE_METRICS, scores=scores)
    tiles = [metric_tile(key, values[key]) for key in SCORE_METRICS]
    if staff(ctx):
        defaulted = int((scores["capacity_flag"] != "reported").sum())
        tiles.append(
            Tile(
                t("engagement.default_capacity"),
                ui.fmt_number(defaulted),
                help=t(
                    "engagement.default_capacity_help",
                    hours=ui.fmt_number(ctx.settings["default_hours_available"], 1),
                ),
            )
        )
    kpi_row(tiles, per_row=len(tiles))


def adjustment_chart(ctx: RequestContext, scores: pd.DataFrame) -> None:
    """Staff see points against hours with the expectation lines; others the index spread."""
    shown = scores.assign(level_label=scores["level"].map(level_name))
    order = {"level_label": [level_name(level) for level in LEVEL_COLOURS]}
    colours = {level_name(k): v for k, v in LEVEL_COLOURS.items()}
    if staff(ctx):
        fig = px.scatter(
            shown,
            x="hours_available",
            y="points",
            color="level_label",
            hover_name="name",
            hover_data={"index": ":.2f", "department": True, "level_label": False},
            color_discrete_map=colours,
            category_orders=order,
            labels={
                "hours_available": t("engagement.col_hours_available"),
                "points": t("engagement.col_points"),
                "level_label": t("engagement.col_level"),
                "index": t("engagement.col_index"),
                "department": t("engagement.col_department"),
            },
        )
        in_force = calibration.with_rate(ctx.db, ctx.as_of, ctx.settings)
        curve = ui.cached(scoring.expected_curve, in_force, float(shown["hours_available"].max()))
        for column, dash in (("expected", "solid"), ("active", "dot"), ("core", "dash")):
            fig.add_trace(
                go.Scatter(
                    x=curve["hours_available"],
                    y=curve[column],
                    mode="lines",
                    line={"color": LINE_COLOUR, "dash": dash, "width": 1},
                    name=t(f"engagement.line_{column}"),
                )
            )
        st.plotly_chart(ui.style(fig, 440), key="adjustment_chart")
        st.caption(t("engagement.adjustment_staff_note"))
        return
    fig = px.histogram(
        shown,
        x="index",
        color="level_label",
        nbins=40,
        color_discrete_map=colours,
        category_orders=order,
        labels={
            "index": t("engagement.col_index"),
            "level_label": t("engagement.col_level"),
            "count": t("common.members"),
        },
    )
    fig.update_yaxes(title=t("common.members"))
    st.plotly_chart(ui.style(fig, 440), key="adjustment_chart")
    st.caption(t("engagement.adjustment_leadership_note"))


def levels_section(ctx: RequestContext, scores: pd.DataFrame) -> None:
    st.subheader(t("engagement.levels_heading"))
    formula(ctx, "levels")
    summary = scoring.level_summary(scores)
    movement = scoring.level_movement(scores)
    moved = movement.groupby("movement")["members"].sum()
    kpi_row(
        [
            Tile(t(f"engagement.moved_{d}"), ui.fmt_number(int(moved.get(d, 0))))
            for d in ("up", "held", "down")
        ]
    )
    left, right = st.columns(2)
    with left:
        long = summary.melt(id_vars="level", var_name="window", value_name="count")
        long["level"] = long["level"].map(level_name)
        long["window"] = long["window"].map(lambda w: t(f"engagement.window_{w}"))
        fig = px.bar(
            long,
            x="level",
            y="count",
            color="window",
            barmode="group",
            labels={
                "level": t("engagement.col_level"),
                "count": t("common.members"),
                "window": "",
            },
        )
        st.plotly_chart(ui.style(fig), key="levels_chart")
    with right:
        movement_chart(movement)
    table(movement, "level_movement", ["previous_level", "level", "members", "movement"])


def movement_chart(movement: pd.DataFrame) -> None:
    """The grid of moves: from which level to which."""
    if movement.empty:
        return
    grid = movement.pivot_table(
        index="previous_level", columns="level", values="members", fill_value=0
    ).reindex(index=list(scoring.LEVELS), columns=list(scoring.LEVELS), fill_value=0)
    fig = px.imshow(
        grid.values,
        x=[level_name(c) for c in grid.columns],
        y=[level_name(i) for i in grid.index],
        text_auto=True,
        color_continuous_scale=HEAT_SCALE,
        labels={
            "x": t("engagement.col_level"),
            "y": t("engagement.col_previous_level"),
            "color": t("common.members"),
        },
    )
    st.plotly_chart(ui.style(fig, 300), key="movement_chart")


def at_risk_section(ctx: RequestContext, scores: pd.DataFrame) -> None:
    st.subheader(t("engagement.at_risk_heading"))
    formula(ctx, "at_risk")
    risky = scoring.at_risk_members(scores, ctx.as_of, ctx.lang)
    if risky.empty:
        st.info(t("engagement.nobody_at_risk"))
        return
    columns = ["person_id", "name", "department", "wave", "level", "previous_level"]
    columns += ["previous_index", "index", "reason_text", "last_contribution", "days_since"]
    table(risky, "at_risk_members", columns)
    workbench.at_risk_actions(ctx.db, ctx.viewer, risky)
