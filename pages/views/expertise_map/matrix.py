"""The person × skill matrix: levels as a heatmap, stars on skills nobody else holds."""

from html import escape

import plotly.graph_objects as go
import streamlit as st

from lib.expertise import graph
from lib.expertise.matrix import (
    MEMBER_ORDERS,
    SKILL_ORDERS,
    SkillMatrix,
    full_matrix,
    skill_matrix,
)
from lib.io.presentation import TableView
from lib.recruitment.target import target_skills
from pages.components import ui
from pages.components.ui import t

LEVEL_COLOURS = "Blues"
LABEL_CHARS = 26
# Members and skills per page: 30 skill columns still leave each label room at 1280 px.
MEMBERS_PER_PAGE = 60
SKILLS_PER_PAGE = 30


def matrix_view(db, club: graph.ClubGraph, skill_id: str | None, person_id: str | None) -> None:
    orders = matrix_orders()
    search = st.text_input(
        t("map.matrix_search"),
        key="map_matrix_q",
        placeholder=t("map.matrix_search_placeholder"),
        bind="query-params",
    )
    targets = ui.cached(target_skills, db)
    pages = {key: int(st.session_state.get(key) or 0) for key in PAGE_KEYS}
    matrix = ui.cached(
        skill_matrix,
        club,
        **orders,
        skill_id=skill_id,
        person_id=person_id,
        member_page=pages["map_matrix_member_page"],
        skill_page=pages["map_matrix_skill_page"],
        search=search,
        targets=dict(zip(targets["skill_id"], targets["priority"], strict=True)),
        max_members=MEMBERS_PER_PAGE,
        max_skills=SKILLS_PER_PAGE,
    )
    if matrix.levels.empty:
        st.info(t("map.matrix_nothing", query=search) if search.strip() else t("common.no_data"))
        return
    page_pickers(matrix)
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
    st.caption(t("map.matrix_download_caption"))
    full = ui.cached(full_matrix, club)
    view = TableView(headers={"person_id": t("map.col_person_id"), "name": t("map.col_name")})
    ui.downloads(full, "skill_matrix", view=view)


def matrix_orders() -> dict[str, str]:
    left, right = st.columns(2)
    skill_order = left.segmented_control(
        t("map.matrix_skill_order"),
        list(SKILL_ORDERS),
        default="category",
        format_func=lambda o: t(f"map.order_{o}"),
        key="map_matrix_skills",
        required=True,
        bind="query-params",
    )
    member_order = right.segmented_control(
        t("map.matrix_member_order"),
        list(MEMBER_ORDERS),
        default="uniqueness",
        format_func=lambda o: t(f"map.order_{o}"),
        key="map_matrix_members",
        required=True,
        bind="query-params",
    )
    return {"skill_order": skill_order or "category", "member_order": member_order or "uniqueness"}


PAGE_KEYS = ("map_matrix_member_page", "map_matrix_skill_page")


def page_pickers(matrix: SkillMatrix) -> None:
    """Which members and which skills of the view the grid shows, when they do not all fit."""
    left, right = st.columns(2)
    for column, key, pages, size, total, label in (
        (
            left,
            PAGE_KEYS[0],
            matrix.member_pages,
            MEMBERS_PER_PAGE,
            matrix.members_total,
            "map.matrix_members_page",
        ),
        (
            right,
            PAGE_KEYS[1],
            matrix.skill_pages,
            SKILLS_PER_PAGE,
            matrix.skills_on_pages,
            "map.matrix_skills_page",
        ),
    ):
        if pages < 2:
            st.session_state.pop(key, None)
            continue
        column.selectbox(
            t(label),
            list(range(pages)),
            format_func=lambda page, size=size, total=total: t(
                "map.matrix_page",
                first=ui.fmt_number(page * size + 1),
                last=ui.fmt_number(min(total, (page + 1) * size)),
                total=ui.fmt_number(total),
            ),
            key=key,
        )


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
            colorbar={
                "title": {"text": t("map.col_level")},
                "tickvals": [1, 2, 3, 4, 5],
                "thickness": 12,
                "len": 0.4,
                "y": 1,
                "yanchor": "top",
            },
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
        ticktext=[short(name) for name in levels.index],
        tickfont={"size": 11},
        automargin=True,
    )
    fig.update_xaxes(
        type="category",
        side="top",
        tickangle=-50,
        tickmode="array",
        tickvals=list(levels.columns),
        ticktext=[short(name) for name in levels.columns],
        tickfont={"size": 11},
        automargin=True,
    )
    fig = ui.style(fig, height=max(420, 20 * len(levels) + 260))
    fig.update_layout(legend={"y": -0.02, "yanchor": "top"})
    return fig


def short(label: str) -> str:
    """A tick label that stays readable however many there are: long names end in "…" (the
    whole name is in the hover)."""
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def matrix_hover(member: str, skill: str, cell) -> str:
    return t(
        "map.matrix_hover",
        member=escape(member),
        skill=escape(skill),
        level=int(cell["level"]),
        source=t(f"map.source_{cell['source']}"),
        holders=int(cell["holders"]),
    )
