"""Ambassador Expertise Map — the router: language, database, sign-in and role, global
filters, then the pages this role may open."""

import streamlit as st

from lib import logs
from pages.components import ui
from pages.components.identity import identify

logs.configure()
st.set_page_config(page_title=ui.t("app.title"), page_icon=":material/hub:", layout="wide")

ui.language_switch()
with ui.storage_faults():
    db = ui.open_for_run()
    ui.ensure_seeded(db)
    viewer = identify(db)
    ui.replica_notice()
    ui.sidebar_filters(db)
    st.navigation(ui.navigation(viewer)).run()
