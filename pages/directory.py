"""Directory: the club's public face — every current member's name, department and skills,
and the contributions they made public — searchable by name, department or skill (aliases,
typos and the other alphabet forgiven). Nothing personal beyond that, for any role."""

import streamlit as st

from lib.contributions import directory
from pages.components import contribution_views as views
from pages.components import ui
from pages.components.ui import t

viewer = ui.page_viewer("directory")
db = ui.database()
filters = ui.filters()

st.title(t("directory.title"))
st.caption(t("directory.caption"))
query = st.text_input(
    t("directory.search"),
    key="directory_query",
    placeholder=t("directory.search_placeholder"),
    bind="query-params",
)
try:
    people = ui.cached(directory.directory, db, viewer, filters, query)
except ValueError as exc:
    ui.show_error(exc)
    st.stop()
public = ui.cached(directory.public_contributions, db, viewer, filters)
left, right = st.columns(2)
left.metric(t("directory.tile_members"), ui.fmt_number(len(people)), border=True)
shown_public = public[public["person_id"].isin(people["person_id"])]
right.metric(t("directory.tile_public"), ui.fmt_number(len(shown_public)), border=True)
if people.empty:
    st.info(t("directory.nobody", query=ui.markdown_escape(query)))
    st.stop()
columns = ["name", "department", "skills", "public_contributions"]
if query.strip():
    columns.append("matched")
event = views.show(
    db,
    people[columns],
    "directory",
    key="directory_table",
    on_select="rerun",
    selection_mode="single-row",
)
st.subheader(t("directory.public_heading"))
if event.selection.rows:
    chosen = people.iloc[event.selection.rows[0]]
    st.caption(t("directory.public_of", name=ui.markdown_escape(chosen["name"])))
    shown_public = public[public["person_id"] == chosen["person_id"]]
else:
    st.caption(t("directory.public_caption"))
if shown_public.empty:
    st.caption(t("directory.no_public"))
else:
    columns = ["occurred_on", "name", "kind", "title", "reach", "reach_metric", "evidence_url"]
    views.show(
        db,
        shown_public[columns],
        "public_contributions",
        key="public_table",
        links=("evidence_url",),
    )
