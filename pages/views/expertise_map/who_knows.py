"""Who knows X: a skill found by name, alias or a typo, and its holders in the club or in the
whole employee pool."""

import streamlit as st

from lib import access
from lib.expertise import search
from lib.expertise.graph import MapView
from pages.components import ui
from pages.components.ui import t
from pages.views.expertise_map.common import table


def set_query(text: str) -> None:
    st.session_state["map_q"] = text


def skill_choice(db, query: str) -> str | None:
    """The skill a query names, chosen among its matches; did-you-mean when none match."""
    try:
        matches = ui.cached(search.find_skills, db, query)
    except ValueError as exc:
        ui.show_error(exc)
        return None
    if matches.empty:
        suggestions = ui.cached(search.did_you_mean, db, query)
        if not suggestions:
            st.info(t("map.search_nothing", query=query))
            return None
        st.info(t("map.search_did_you_mean", query=query))
        for column, name in zip(st.columns(len(suggestions) + 2), suggestions, strict=False):
            column.button(name, on_click=set_query, args=(name,), key=f"map_suggest_{name}")
        return None
    best = matches.iloc[0]
    if best["how"] in ("layout", "script", "word_form"):
        st.caption(t(f"map.read_as_{best['how']}", query=query, text=best["matched"]))
    names = dict(zip(matches["skill_id"], matches["skill"], strict=True))
    aliases = dict(zip(matches["skill_id"], matches["matched"], strict=True))
    return st.radio(
        t("map.search_matches"),
        list(names),
        format_func=lambda s: (
            names[s]
            if aliases[s] == names[s]
            else t("map.via_alias", skill=names[s], alias=aliases[s])
        ),
        horizontal=True,
        key="map_q_skill",
    )


def who_knows_view(db, filters, viewer, view: MapView, skill_id: str | None) -> None:
    query = st.text_input(
        t("map.search"), key="map_q", placeholder=t("map.search_placeholder"), bind="query-params"
    )
    scope = "club"
    if access.can(viewer, "search_employee_pool"):
        scope = (
            st.segmented_control(
                t("map.search_scope"),
                ["club", "pool"],
                default="club",
                format_func=lambda s: t(f"map.scope_{s}"),
                key="map_scope",
                bind="query-params",
            )
            or "club"
        )
    if query.strip():
        skill_id = skill_choice(db, query)
        if skill_id is None:
            return
    if not skill_id:
        st.info(t("map.search_hint"))
        return
    if scope == "pool":
        pool_view(db, filters, viewer, skill_id)
        return
    ranked = ui.cached(search.who_knows, db, filters, viewer, skill_id, view)
    st.caption(t("map.relevance_formula"))
    if ranked.empty:
        st.info(t("map.search_nobody"))
        return
    columns = [
        "name",
        "department",
        "person_id",
        "level",
        "source",
        "confirmed_on",
        "stale",
        "recent_activities",
        "last_activity",
        "relevance",
        "sources",
        "evidence",
        "recent_work",
    ]
    table(ranked, "who_knows", columns)


def pool_view(db, filters, viewer, skill_id: str) -> None:
    """Holders of the skill in the whole employee pool, members or not."""
    ranked = ui.cached(search.who_knows_in_pool, db, filters, viewer, skill_id)
    st.caption(t("map.pool_caption"))
    if ranked.empty:
        st.info(t("map.search_nobody"))
        return
    columns = ["name", "department", "position", "person_id", "membership", "level", "source"]
    table(ranked, "who_knows_pool", [*columns, "confirmed_on", "stale", "relevance"])
