"""A member's profile: their skills (unique ones marked), activities and status history."""

import streamlit as st

from lib import formatting
from lib.expertise import graph
from lib.expertise.profile import engagement_levels, member_profile
from pages.components import ui, workbench
from pages.components.kpis import Tile, kpi_row
from pages.components.ui import t
from pages.views.expertise_map.common import table


def profile_view(db, filters, viewer, club: graph.ClubGraph, person_id: str | None) -> None:
    if not person_id:
        st.info(t("map.profile_hint"))
        return
    try:
        profile = ui.cached(member_profile, db, viewer, club, person_id, as_of=filters.as_of)
    except ValueError as exc:
        ui.show_error(exc)
        return
    person = profile.person
    joined_on = person["joined_on"]
    joined = formatting.day(joined_on, ui.lang())
    st.subheader(person["name"] or person["person_id"])
    st.caption(
        t(
            "map.profile_caption",
            position=person["position"] or "—",
            team=person["team"] or "—",
            department=person["department"] or "—",
            joined=joined,
            wave=t("filters.wave_value", wave=person["wave"]),
        )
    )
    workbench.member_link(viewer, person_id)
    levels = ui.cached(engagement_levels, db, filters, viewer)
    level = levels.loc[levels["person_id"] == person_id, "level"]
    tiles = [
        Tile(t("map.col_status"), t(f"status.{person['status']}")),
        Tile(t("map.col_skills"), ui.fmt_number(len(profile.skills))),
        Tile(t("map.col_unique_count"), ui.fmt_number(int(profile.skills["unique"].sum()))),
    ]
    if not level.empty:
        tiles.append(Tile(t("map.profile_engagement"), t(f"map.level_{level.iloc[0]}")))
    kpi_row(tiles)
    st.markdown(f"**{t('map.profile_skills')}**")
    columns = ["skill", "category", "level", "source", "confirmed_on", "stale", "other_holders"]
    table(profile.skills, f"profile_{person_id}_skills", [*columns, "unique", "evidence"])
    st.markdown(f"**{t('map.profile_activities')}**")
    if profile.activities.empty:
        st.info(t("map.profile_no_activities"))
    else:
        table(
            profile.activities,
            f"profile_{person_id}_activities",
            ["occurred_on", "kind", "title", "audience", "skills"],
        )
    st.markdown(f"**{t('map.profile_history')}**")
    table(profile.history, f"profile_{person_id}_history")
