"""The entry for a deployment: `streamlit run serve.py` serves the same app as `app.py` and,
before the first page is opened, opens the database, takes command-line jobs and publishes
snapshots (see README, Deployment). `streamlit run app.py` does the same at the first page."""

from contextlib import asynccontextmanager

import streamlit as st

from lib import logs, serving


@asynccontextmanager
async def lifespan(_app):
    logs.configure()
    started = serving.start_process()
    yield
    if started is not None:
        started.stop()


app = st.App("app.py", lifespan=lifespan)
