"""The map's own filters in the sidebar and the focus (one skill and/or one member) that
narrows every view; both live in the URL."""

import streamlit as st

from lib.expertise import graph
from lib.expertise.graph import MAP_STATUSES, MapView
from lib.naming import person_label_map
from pages.components import ui
from pages.components.ui import t


def map_view(db) -> MapView:
    """The map's own filters in the sidebar, bound to the URL."""
    side = st.sidebar
    side.subheader(t("map.filters"))
    side.multiselect(
        t("map.status"),
        MAP_STATUSES,
        default=["active"],
        format_func=lambda s: t(f"status.{s}"),
        key="map_status",
        bind="query-params",
    )
    side.multiselect(
        t("map.category"),
        ui.cached(graph.skill_categories, db),
        key="map_category",
        placeholder=t("filters.all"),
        bind="query-params",
    )
    side.slider(t("map.min_level"), 1, 5, 1, key="map_level", bind="query-params")
    levels = ui.cached(graph.confidence_levels, db)
    sources = dict(levels)
    side.select_slider(
        t("map.min_confidence"),
        [value for value, _ in levels],
        value=0.0,
        format_func=lambda v: ui.fmt_number(v, 1),
        key="map_confidence",
        help=t("map.min_confidence_help"),
        bind="query-params",
    )
    confidence = float(st.session_state.get("map_confidence") or 0.0)
    side.caption(
        t(
            "map.confidence_sources",
            sources=", ".join(t(f"map.source_{s}") for s in sources.get(confidence, [])),
        )
    )
    side.toggle(t("map.fresh_only"), key="map_fresh", help=t("map.fresh_help"), bind="query-params")
    state = st.session_state
    return MapView(
        statuses=tuple(state.get("map_status") or ()),
        categories=tuple(state.get("map_category") or ()),
        min_level=int(state.get("map_level") or 1),
        min_confidence=confidence,
        fresh_only=bool(state.get("map_fresh")),
    )


# -- focus: one skill and/or one member narrow every view ------------------------------------
def focus_skill_from_chart() -> None:
    points = st.session_state["map_network"].selection.points
    if points:
        data = points[0].get("customdata")
        st.session_state["map_skill"] = data[0] if isinstance(data, list) else data


def focus_from_table(table_key: str, focus_key: str, ids: list[str], tab: str | None) -> None:
    rows = st.session_state[table_key].selection.rows
    if rows:
        st.session_state[focus_key] = ids[rows[0]]
        if tab:
            st.session_state["map_tab"] = t(f"map.tab_{tab}")


def clear_focus() -> None:
    st.session_state["map_skill"] = None
    st.session_state["map_member"] = None


def focus_pickers(club: graph.ClubGraph) -> tuple[str | None, str | None]:
    """Skill and member pickers above the views; a focus that the filters removed is dropped."""
    held = club.held_skills.sort_values("skill")
    skill_names = dict(zip(held["skill_id"], held["skill"], strict=True))
    members = club.members.sort_values(["name", "person_id"])
    member_names = person_label_map(members)
    for key, options in (("map_skill", skill_names), ("map_member", member_names)):
        if st.session_state.get(key) not in options:
            st.session_state[key] = None
    left, middle, right = st.columns([2, 2, 1], vertical_alignment="bottom")
    left.selectbox(
        t("map.focus_skill"),
        list(skill_names),
        index=None,
        format_func=skill_names.get,
        placeholder=t("map.focus_none"),
        key="map_skill",
        bind="query-params",
    )
    middle.selectbox(
        t("map.focus_member"),
        list(member_names),
        index=None,
        format_func=member_names.get,
        placeholder=t("map.focus_none"),
        key="map_member",
        bind="query-params",
    )
    right.button(t("map.clear_focus"), on_click=clear_focus, icon=":material/filter_alt_off:")
    return st.session_state.get("map_skill"), st.session_state.get("map_member")
