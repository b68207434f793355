"""The skill network: skills as circles over their strongest links, coloured by community,
and the communities table."""

from html import escape

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lib.expertise import graph
from lib.expertise.layout import backbone_pairs, skill_layout
from lib.expertise.matrix import skill_neighbours
from pages.components import ui
from pages.components.ui import t
from pages.views.expertise_map.common import table
from pages.views.expertise_map.focus import focus_skill_from_chart

TOP_SKILLS = 250

WEBGL_FROM = 150

LABELLED_SKILLS = 15


def network_view(club: graph.ClubGraph, skill_id: str | None, person_id: str | None) -> None:
    layout = ui.cached(skill_layout, club, top_n=TOP_SKILLS)
    if layout.empty:
        st.info(t("common.no_data"))
        return
    nodes = layout.merge(club.held_skills, on="skill_id")
    edges = backbone_pairs(club, nodes["skill_id"])
    highlighted = focus_set(club, skill_id, person_id)
    named = {skill_id} if skill_id else highlighted if person_id else set()
    st.plotly_chart(
        network_figure(nodes, edges, highlighted, named),
        key="map_network",
        on_select=focus_skill_from_chart,
        selection_mode="points",
        config={"displaylogo": False},
    )
    st.caption(
        t(
            "map.network_caption",
            shown=ui.fmt_number(len(nodes)),
            total=ui.fmt_number(len(club.held_skills)),
            edges=ui.fmt_number(len(edges)),
        )
    )
    st.subheader(t("map.communities"))
    table(
        club.communities,
        "skill_communities",
        ["community", "community_name", "skills", "claims", "top"],
    )


def focus_set(club: graph.ClubGraph, skill_id: str | None, person_id: str | None) -> set:
    """Skills to highlight: the focused skill with its neighbours, or the member's skills."""
    if person_id:
        return set(club.claims.loc[club.claims["person_id"] == person_id, "skill_id"])
    if skill_id:
        return {skill_id, *skill_neighbours(club, skill_id)["skill_id"]}
    return set()


def network_figure(
    nodes: pd.DataFrame, edges: pd.DataFrame, highlighted: set, named: set
) -> go.Figure:
    """Skills as circles (size = holders, colour = community) over their strongest links;
    the most held and the `named` skills carry labels, others fade when some are highlighted."""
    webgl = len(nodes) > WEBGL_FROM
    scatter = go.Scattergl if webgl else go.Scatter
    where = nodes[["skill_id", "x", "y"]]
    ends = edges.merge(where, left_on="skill_a", right_on="skill_id").merge(
        where, left_on="skill_b", right_on="skill_id", suffixes=("", "_b")
    )
    xs = np.column_stack([ends["x"], ends["x_b"], np.full(len(ends), np.nan)]).ravel()
    ys = np.column_stack([ends["y"], ends["y_b"], np.full(len(ends), np.nan)]).ravel()
    fig = go.Figure(
        scatter(
            x=xs,
            y=ys,
            mode="lines",
            line={"width": 0.6, "color": "rgba(120,120,120,0.35)"},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    size = 8 + 30 * np.sqrt(nodes["holders"] / max(nodes["holders"].max(), 1))
    labelled = set(nodes.nlargest(LABELLED_SKILLS, "holders")["skill_id"]) | named
    for number, group in nodes.assign(size=size).groupby("community", sort=True):
        colour = ui.PALETTE[(int(number) - 1) % len(ui.PALETTE)]
        faded = [bool(highlighted) and s not in highlighted for s in group["skill_id"]]
        fig.add_trace(
            scatter(
                x=group["x"],
                y=group["y"],
                mode="markers+text",
                text=[
                    n if s in labelled else ""
                    for s, n in zip(group["skill_id"], group["skill"], strict=True)
                ],
                textposition="top center",
                textfont={"size": 10, "color": "#1B2733"},
                name=t(
                    "map.community_label", number=int(number), name=group["community_name"].iloc[0]
                ),
                customdata=group["skill_id"],
                hovertext=[node_hover(row) for row in group.itertuples()],
                hoverinfo="text",
                marker={
                    "size": group["size"],
                    "color": colour,
                    "opacity": [0.15 if f else 0.9 for f in faded],
                    "line": {"width": 1, "color": "white"},
                },
            )
        )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig = ui.style(fig, height=620)
    fig.update_layout(clickmode="event+select", dragmode="pan", hovermode="closest")
    return fig


def node_hover(row) -> str:
    return t(
        "map.node_hover",
        skill=escape(row.skill),
        category=escape(row.category or "—"),
        holders=row.holders,
        bus_factor=row.bus_factor,
        bus_level=row.bus_level,
        top=escape(row.top_holders or "—"),
    )
