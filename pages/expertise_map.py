"""Expertise map: the club's skill network, the person × skill matrix, "who knows X" and
member profiles. Filters and the focused skill or member live in the URL so a view can be
shared; choosing a skill or a member in any view narrows the others. The views live in
pages/views/expertise_map/."""

import streamlit as st

from lib.expertise import graph
from lib.expertise.matrix import narrow
from pages.components import ui
from pages.components.ui import t
from pages.views.expertise_map.focus import focus_pickers, map_view
from pages.views.expertise_map.lists import members_view, skills_view
from pages.views.expertise_map.matrix import matrix_view
from pages.views.expertise_map.network import network_view
from pages.views.expertise_map.profile import profile_view
from pages.views.expertise_map.tiles import kpis
from pages.views.expertise_map.who_knows import who_knows_view

TABS = ("network", "matrix", "skills", "members", "who_knows", "profile")

viewer = ui.page_viewer("expertise_map")
db = ui.database()
filters = ui.filters()

st.title(t("map.title"))
st.caption(t("map.caption"))
try:
    view = map_view(db)
except ValueError as exc:
    ui.show_error(exc)
    st.stop()

club = ui.cached(graph.build_club_graph, db, filters, view)
kpis(club, view, filters)
skill_id, person_id = focus_pickers(club)
narrowed_skills, narrowed_members = narrow(club, skill_id=skill_id, person_id=person_id)

tabs = st.tabs(
    [t(f"map.tab_{name}") for name in TABS], key="map_tab", on_change="rerun", bind="query-params"
)
views = dict(zip(TABS, tabs, strict=True))
with views["network"]:
    if views["network"].open:
        network_view(club, skill_id, person_id)
with views["matrix"]:
    if views["matrix"].open:
        matrix_view(db, club, skill_id, person_id)
with views["skills"]:
    if views["skills"].open:
        skills_view(club, narrowed_skills)
with views["members"]:
    if views["members"].open:
        members_view(narrowed_members)
with views["who_knows"]:
    if views["who_knows"].open:
        who_knows_view(db, filters, viewer, view, skill_id)
with views["profile"]:
    if views["profile"].open:
        profile_view(db, filters, viewer, club, person_id)
