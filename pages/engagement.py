"""Engagement: workload-adjusted scores, levels and who is slipping away; trends; the
membership lifecycle; rituals and whether recognition changes anything."""

from collections.abc import Callable

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from lib import access, metrics
from lib.engagement import calibration, lifecycle, rituals, scoring
from lib.settings import current_settings
from pages.components import ui, workbench
from pages.components.kpis import Tile, kpi_row, metric_tile
from pages.components.ui import t

LEVEL_COLOURS = {
    "core": "#1F4E79",
    "active": "#2E86AB",
    "contributing": "#E4B363",
    "dormant": "#8C8C8C",
}
MOVEMENT_COLOURS = {"up": "#6A994E", "held": "#8C8C8C", "down": "#C73E1D"}
SPLITS = ("total", "kind", "department", "wave")
FUNNEL_TEXT = "value+percent initial"
HEAT_SCALE = "Blues"
LINE_COLOUR = "#555555"
DATE_FORMAT = "YYYY-MM-DD"
DATE_COLUMNS = {
    "last_contribution",
    "joined_on",
    "left_on",
    "date",
    "last_attended",
    "recognised_on",
    "last_recognised",
    "month_end",
}

viewer = ui.page_viewer("engagement")
db = ui.database()
filters = ui.filters()
settings = current_settings(db)
staff = access.can(viewer, "see_person_capacity")


def level_name(level) -> str:
    return t(f"engagement.level_{level}") if isinstance(level, str) else "—"


def kind_name(kind) -> str:
    return t(f"engagement.kind_{kind}") if isinstance(kind, str) else "—"


def formula(key: str) -> None:
    """The formula behind a chart, with the current settings filled in."""
    st.caption(
        t(f"engagement.formula_{key}", **settings_values()), help=t("engagement.formula_help")
    )


def settings_values() -> dict:
    return {
        **calibration.formula_values(db, filters.as_of, settings, ui.lang()),
        "gap": settings["recognition_gap_days"],
        "days": rituals.IMPACT_DAYS,
    }


def labelled(frame: pd.DataFrame, kind_label: Callable[[str], str] | None = None) -> pd.DataFrame:
    """Level, status and kind codes shown in the reader's language."""
    out = frame.copy()
    for column in ("level", "previous_level"):
        if column in out:
            out[column] = out[column].map(level_name)
    if "status" in out:
        out["status"] = out["status"].map(lambda s: t(f"status.{s}"))
    if "kind" in out:
        out["kind"] = out["kind"].map(kind_label or kind_name)
    if "movement" in out:
        out["movement"] = out["movement"].map(lambda m: t(f"engagement.moved_{m}"))
    if "capacity_flag" in out:
        out["capacity_flag"] = out["capacity_flag"].map(lambda f: t(f"engagement.capacity_{f}"))
    return out


def columns_config(frame: pd.DataFrame) -> dict:
    """Headers for every column from the locale; numbers rounded for reading."""
    numbers = {
        "points": "%.1f",
        "index": "%.2f",
        "previous_index": "%.2f",
        "previous_points": "%.1f",
        "expected": "%.1f",
        "hours_available": "%.1f",
        "before": "%.1f",
        "after": "%.1f",
        "peer_before": "%.1f",
        "peer_after": "%.1f",
        "effect": "%+.1f",
    }
    config = {}
    for column in frame.columns:
        label = t(f"engagement.col_{column}")
        if column in numbers:
            config[column] = st.column_config.NumberColumn(label, format=numbers[column])
        elif column in DATE_COLUMNS:
            config[column] = st.column_config.DateColumn(label, format=DATE_FORMAT)
        elif column in ("turnout", "conversion", "retention", "share"):
            config[column] = st.column_config.ProgressColumn(
                label, format="percent", min_value=0.0, max_value=1.0
            )
        else:
            config[column] = st.column_config.Column(label)
    return config


def table(
    frame: pd.DataFrame,
    name: str,
    columns: list[str],
    kind_label: Callable[[str], str] | None = None,
) -> None:
    """A readable table of `columns` with CSV and Excel downloads of the same rows."""
    shown = [c for c in columns if c in frame.columns]
    view = labelled(frame[shown], kind_label)
    st.dataframe(view, hide_index=True, column_config=columns_config(view))
    ui.downloads(frame[shown], name)


# -- scores -------------------------------------------------------------------------------
SCORE_METRICS = (
    "scored_members",
    "active_members",
    "median_index",
    "core_or_active_share",
    "at_risk_members",
)


def scores_section(scores: pd.DataFrame) -> None:
    values = metrics.metric_values(db, filters, SCORE_METRICS, scores=scores)
    tiles = [metric_tile(key, values[key]) for key in SCORE_METRICS]
    if staff:
        defaulted = int((scores["capacity_flag"] != "reported").sum())
        tiles.append(
            Tile(
                t("engagement.default_capacity"),
                ui.fmt_number(defaulted),
                help=t(
                    "engagement.default_capacity_help", hours=settings["default_hours_available"]
                ),
            )
        )
    kpi_row(tiles, per_row=len(tiles))

    st.subheader(t("engagement.adjustment_heading"))
    formula("index")
    shown = scores.assign(level_label=scores["level"].map(level_name))
    order = {"level_label": [level_name(level) for level in LEVEL_COLOURS]}
    colours = {level_name(k): v for k, v in LEVEL_COLOURS.items()}
    if staff:
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
        in_force = calibration.with_rate(db, filters.as_of, settings)
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
    else:
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

    st.subheader(t("engagement.scores_heading"))
    columns = ["name", "department", "wave", "status", "points", "index", "level"]
    columns += ["previous_level", "at_risk", "last_contribution"]
    if staff:
        columns += ["hours_available", "expected", "capacity_flag"]
    table(scores, "engagement_scores", ["person_id", *columns])


def levels_section(scores: pd.DataFrame) -> None:
    st.subheader(t("engagement.levels_heading"))
    formula("levels")
    summary = scoring.level_summary(scores)
    movement = scoring.level_movement(scores)
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
        moved = movement.groupby("movement")["members"].sum()
        tiles = st.columns(3)
        for tile, direction in zip(tiles, ("up", "held", "down"), strict=True):
            tile.metric(
                t(f"engagement.moved_{direction}"),
                ui.fmt_number(int(moved.get(direction, 0))),
                border=True,
            )
        if not movement.empty:
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
    table(movement, "level_movement", ["previous_level", "level", "members", "movement"])


def at_risk_section(scores: pd.DataFrame) -> None:
    st.subheader(t("engagement.at_risk_heading"))
    formula("at_risk")
    risky = scoring.at_risk_members(scores, filters.as_of, ui.lang())
    if risky.empty:
        st.info(t("engagement.nobody_at_risk"))
        return
    columns = ["person_id", "name", "department", "wave", "level", "previous_level"]
    columns += ["previous_index", "index", "reason_text", "last_contribution", "days_since"]
    table(risky, "at_risk_members", columns)
    workbench.at_risk_actions(db, viewer, risky)


# -- trends -------------------------------------------------------------------------------
def trends_section() -> None:
    st.subheader(t("engagement.trends_heading"))
    formula("trend")
    split = st.segmented_control(
        t("engagement.split"),
        SPLITS,
        default="total",
        format_func=lambda s: t(f"engagement.split_{s}"),
        key="engagement_split",
        bind="query-params",
    )
    by = None if split in (None, "total") else split
    trend = ui.cached(scoring.activity_trend, db, filters, by)
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
        ui.downloads(trend, "activity_trend")

    st.subheader(t("engagement.engaged_heading"))
    formula("engaged")
    share = ui.cached(scoring.engaged_share, db, filters)
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
    ui.downloads(share, "engaged_share")


# -- lifecycle -----------------------------------------------------------------------------
def lifecycle_section() -> None:
    st.subheader(t("engagement.funnel_heading"))
    formula("funnel")
    funnel = ui.cached(lifecycle.funnel, db, filters)
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
        shown = funnel.assign(stage=funnel["stage"].map(lambda s: t(f"status.{s}")))
        st.dataframe(shown, hide_index=True, column_config=columns_config(shown))
    ui.downloads(funnel, "membership_funnel")

    st.subheader(t("engagement.retention_heading"))
    formula("retention")
    retention = ui.cached(lifecycle.wave_retention, db, filters)
    if retention.empty:
        st.info(t("common.no_data"))
    else:
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

    st.subheader(t("engagement.reasons_heading"))
    reasons = ui.cached(lifecycle.offboarding_reasons, db, filters, viewer)
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
        ui.downloads(shown, "offboarding_reasons")
        if not access.can(viewer, "see_small_segments"):
            st.caption(t("engagement.reasons_folded", minimum=settings["segment_min_interviews"]))
    if access.can(viewer, "see_exit_reasons"):
        with st.expander(t("engagement.exits_by_person")):
            exits = ui.cached(lifecycle.exit_reasons_by_person, db, filters, viewer)
            columns = ["person_id", "name", "department", "wave", "joined_on", "left_on"]
            exits = exits.assign(exit_reason=exits["exit_reason"].map(workbench.exit_reason_name))
            table(exits, "exits_by_person", [*columns, "exit_reason", "note"])


def reason_name(reason: str) -> str:
    if reason == lifecycle.OTHER_REASONS:
        return t("engagement.reason_other")
    if reason == lifecycle.UNRECORDED_REASON:
        return t("engagement.reason_unrecorded")
    return workbench.exit_reason_name(reason)


# -- rituals -------------------------------------------------------------------------------
def rituals_section() -> None:
    st.subheader(t("engagement.events_heading"))
    formula("turnout")
    events = ui.cached(rituals.event_attendance, db, filters)
    if events.empty:
        st.info(t("common.no_data"))
    else:
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
    if staff:
        st.subheader(t("engagement.never_heading"))
        st.caption(t("engagement.never_caption"))
        never = ui.cached(rituals.never_attending, db, filters, viewer)
        if never.empty:
            st.info(t("engagement.everyone_came"))
        else:
            columns = ["person_id", "name", "department", "wave", "status", "events_held"]
            table(never, "never_attending", [*columns, "last_attended"])

    st.subheader(t("engagement.impact_heading"))
    formula("impact")
    impact = ui.cached(rituals.recognition_impact, db, filters)
    if impact.empty:
        st.info(t("engagement.no_recognitions"))
    else:
        overall = impact[impact["kind"] == rituals.ALL_KINDS].iloc[0]
        tiles = st.columns(3)
        tiles[0].metric(t("engagement.impact_cases"), ui.fmt_number(overall["cases"]), border=True)
        tiles[1].metric(
            t("engagement.impact_effect"), ui.fmt_number(overall["effect"], 1), border=True
        )
        tiles[2].metric(
            t("engagement.impact_unmatched"), ui.fmt_number(overall["unmatched"]), border=True
        )
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
            lambda s: t(
                "engagement.when_after" if s.endswith("after") else "engagement.when_before"
            )
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
        columns = ["kind", "cases", "unmatched", "before", "after", "peer_before", "peer_after"]
        table(impact, "recognition_impact", [*columns, "effect"], recognition_name)
        with st.expander(t("engagement.impact_cases_table")):
            cases = ui.cached(rituals.recognition_cases, db, filters)
            columns = ["person_id", "name", "department", "wave", "recognised_on", "kind", "level"]
            columns += ["before", "after", "peers", "effect"]
            table(cases, "recognition_cases", columns, recognition_name)
    if staff:
        st.subheader(t("engagement.gaps_heading"))
        st.caption(t("engagement.gaps_caption", gap=settings["recognition_gap_days"]))
        gaps = ui.cached(rituals.recognition_gaps, db, filters, viewer)
        if gaps.empty:
            st.info(t("engagement.nobody_overlooked"))
        else:
            columns = ["person_id", "name", "department", "wave", "status", "level", "index"]
            table(gaps, "recognition_gaps", [*columns, "last_recognised", "days_since"])


def event_name(kind: str) -> str:
    return t(f"engagement.event_{kind}")


def recognition_name(kind: str) -> str:
    if kind == rituals.ALL_KINDS:
        return t("engagement.recognition_all")
    return t(f"engagement.recognition_{kind}")


st.title(t("engagement.title"))
st.caption(t("engagement.caption"))
scores = ui.cached(scoring.engagement_scores, db, filters, viewer)
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
    scores_section(scores)
    levels_section(scores)
    at_risk_section(scores)
with tab_trends:
    trends_section()
with tab_lifecycle:
    lifecycle_section()
with tab_rituals:
    rituals_section()
