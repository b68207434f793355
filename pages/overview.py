"""Overview: the club at a glance — members, skills, activity over time."""

import plotly.express as px
import streamlit as st

from lib import overview
from pages import ui
from pages.ui import t

viewer = ui.page_viewer("overview")
db = ui.database()
filters = ui.filters()

st.title(t("overview.title"))
st.caption(t("overview.caption"))

counts = ui.cached(overview.club_counts, db, filters)
tiles = st.columns(6)
for column, (label, value) in zip(
    tiles,
    [
        ("overview.active_members", counts["active"]),
        ("overview.onboarding_members", counts["onboarding"]),
        ("overview.candidates", counts["candidate"]),
        ("overview.alumni", counts["alumni"]),
        ("overview.pool", counts["pool"]),
        ("overview.skills_total", counts["skills"]),
    ],
    strict=False,
):
    column.metric(t(label), ui.fmt_number(value), border=True)

left, right = st.columns(2)
members = ui.cached(overview.members_by_status_wave, db, filters)
with left:
    st.subheader(t("overview.members_chart"))
    if members.empty:
        st.info(t("common.no_data"))
    else:
        shown = members.assign(
            status=members["status"].map(lambda s: t(f"status.{s}")),
            wave=members["wave"].map(lambda w: t("filters.wave_value", wave=w)),
        )
        fig = px.bar(
            shown,
            x="wave",
            y="members",
            color="status",
            barmode="stack",
            labels={
                "wave": t("filters.wave"),
                "members": t("common.members"),
                "status": t("common.status"),
            },
        )
        st.plotly_chart(ui.style(fig), key="members_chart")

skills = ui.cached(overview.skills_by_category, db)
with right:
    st.subheader(t("overview.skills_chart"))
    fig = px.bar(
        skills,
        x="skills",
        y="category",
        orientation="h",
        labels={"skills": t("common.skills"), "category": t("common.category")},
    )
    fig.update_yaxes(categoryorder="total ascending")
    st.plotly_chart(ui.style(fig), key="skills_chart")

st.subheader(t("overview.activity_chart"))
monthly = ui.cached(overview.activities_per_month, db, filters)
if monthly.empty:
    st.info(t("common.no_data"))
else:
    fig = px.line(
        monthly,
        x="month",
        y=["activities", "contributors"],
        markers=True,
        labels={"month": t("common.month"), "value": "", "variable": ""},
    )
    fig.for_each_trace(lambda tr: tr.update(name=t(f"common.{tr.name}")))
    st.plotly_chart(ui.style(fig), key="activity_chart")
    ui.downloads(monthly, "activities_per_month")
