"""The person × skill matrix: levels as a heatmap, stars on skills nobody else holds."""

from html import escape

import plotly.graph_objects as go
import streamlit as st

from lib.expertise import graph
from lib.expertise.matrix import SkillMatrix, skill_matrix
from pages.components import ui
from pages.components.ui import t

LEVEL_COLOURS = "Blues"


def matrix_view(club: graph.ClubGraph, skill_id: str | None, person_id: str | None) -> None:
    left, right = st.columns(2)
    skill_order = left.segmented_control(
        t("map.matrix_skill_order"),
        ["category", "rarity"],
        default="category",
        format_func=lambda o: t(f"map.order_{o}"),
        key="map_matrix_skills",
        required=True,
        bind="query-params",
    )
    member_order = right.segmented_control(
        t("map.matrix_member_order"),
        ["uniqueness", "name"],
        default="uniqueness",
        format_func=lambda o: t(f"map.order_{o}"),
        key="map_matrix_members",
        required=True,
        bind="query-params",
    )
    matrix = ui.cached(
        skill_matrix,
        club,
        skill_order=skill_order or "category",
        member_order=member_order or "uniqueness",
        skill_id=skill_id,
        person_id=person_id,
    )
    if matrix.levels.empty:
        st.info(t("common.no_data"))
        return
    st.plotly_chart(matrix_figure(matrix), key="map_matrix", config={"displaylogo": False})
    st.caption(
        t(
            "map.matrix_caption",
            members=ui.fmt_number(len(matrix.levels)),
            members_total=ui.fmt_number(matrix.members_total),
            skills=ui.fmt_number(len(matrix.levels.columns)),
            skills_total=ui.fmt_number(matrix.skills_total),
        )
    )
    grid = matrix.levels.rename_axis(index=t("map.col_name")).reset_index()
    ui.downloads(grid, "skill_matrix")


def matrix_figure(matrix: SkillMatrix) -> go.Figure:
    """Levels as a heatmap; stars mark skills nobody else in the filtered club holds."""
    levels = matrix.levels
    cells = matrix.cells.set_index(["label", "column"])
    hover = [
        [
            matrix_hover(member, skill, cells.loc[(member, skill)])
            if (member, skill) in cells.index
            else ""
            for skill in levels.columns
        ]
        for member in levels.index
    ]
    fig = go.Figure(
        go.Heatmap(
            z=levels.to_numpy(dtype=float),
            x=list(levels.columns),
            y=list(levels.index),
            zmin=1,
            zmax=5,
            colorscale=LEVEL_COLOURS,
            hovertext=hover,
            hoverinfo="text",
            xgap=1,
            ygap=1,
            colorbar={"title": {"text": t("map.col_level")}, "tickvals": [1, 2, 3, 4, 5]},
        )
    )
    unique = matrix.cells[matrix.cells["unique"]]
    if not unique.empty:
        fig.add_trace(
            go.Scatter(
                x=unique["column"],
                y=unique["label"],
                mode="markers",
                name=t("map.unique_marker"),
                marker={"symbol": "star", "size": 11, "color": "#F18F01"},
                hoverinfo="skip",
            )
        )
    fig.update_yaxes(
        autorange="reversed",
        type="category",
        tickmode="array",
        tickvals=list(levels.index),
        tickfont={"size": 10},
    )
    fig.update_xaxes(
        type="category",
        side="top",
        tickangle=-60,
        tickmode="array",
        tickvals=list(levels.columns),
        tickfont={"size": 10},
    )
    return ui.style(fig, height=max(360, 18 * len(levels) + 220))


def matrix_hover(member: str, skill: str, cell) -> str:
    return t(
        "map.matrix_hover",
        member=escape(member),
        skill=escape(skill),
        level=int(cell["level"]),
        source=t(f"map.source_{cell['source']}"),
        holders=int(cell["holders"]),
    )
