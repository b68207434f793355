"""The skills and members lists; choosing a row focuses the map on it."""

from functools import partial

import pandas as pd
import streamlit as st

from lib.expertise import graph
from pages.components import ui
from pages.components.ui import t
from pages.views.expertise_map.common import table
from pages.views.expertise_map.focus import focus_from_table

SKILL_COLUMNS = [
    "skill",
    "category",
    "holders",
    "bus_factor",
    "bus_level",
    "stale_share",
    "last_confirmed",
    "community_name",
    "betweenness",
    "top_holders",
]

MEMBER_COLUMNS = [
    "name",
    "department",
    "person_id",
    "wave",
    "status",
    "skills",
    "uniqueness",
    "unique_count",
    "unique_skills",
]


def skills_view(club: graph.ClubGraph, skills: pd.DataFrame) -> None:
    st.caption(t("map.skills_caption"))
    bridges = ui.cached(graph.skill_bridges, club)
    skills = skills.merge(bridges[["skill_id", "betweenness"]], on="skill_id", how="left")
    columns = SKILL_COLUMNS + (["shared_holders"] if "shared_holders" in skills else [])
    ids = list(skills["skill_id"])
    table(
        skills,
        "skills",
        columns,
        key="map_skills_table",
        on_select=partial(focus_from_table, "map_skills_table", "map_skill", ids, None),
        selection_mode="single-row",
    )


def members_view(members: pd.DataFrame) -> None:
    st.caption(t("map.members_caption"))
    extra = [c for c in ("level", "shared_skills") if c in members]
    ids = list(members["person_id"])
    table(
        members,
        "members_uniqueness",
        MEMBER_COLUMNS + extra,
        key="map_members_table",
        on_select=partial(focus_from_table, "map_members_table", "map_member", ids, "profile"),
        selection_mode="single-row",
    )
