"""A member's profile: their skills (unique ones marked), activities and status history."""

import pandas as pd
import streamlit as st

from lib import formatting
from lib.expertise import graph
from lib.expertise.profile import engagement_levels, member_profile
from pages.components import ui
from pages.components.ui import t
from pages.views.expertise_map.common import shown, table


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
    joined = formatting.day(
        pd.Timestamp(joined_on).date() if pd.notna(joined_on) else None, ui.lang()
    )
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
    levels = ui.cached(engagement_levels, db, filters, viewer)
    level = levels.loc[levels["person_id"] == person_id, "level"]
    tiles = [
        (t("map.col_status"), t(f"status.{person['status']}")),
        (t("map.col_skills"), ui.fmt_number(len(profile.skills))),
        (t("map.col_unique_count"), ui.fmt_number(int(profile.skills["unique"].sum()))),
    ]
    if not level.empty:
        tiles.append((t("map.profile_engagement"), t(f"map.level_{level.iloc[0]}")))
    for column, (label, value) in zip(st.columns(len(tiles)), tiles, strict=True):
        column.metric(label, value, border=True)
    st.markdown(f"**{t('map.profile_skills')}**")
    skills = shown(
        profile.skills,
        [
            "skill",
            "category",
            "level",
            "source",
            "confirmed_on",
            "stale",
            "other_holders",
            "unique",
            "evidence",
        ],
    )
    unique_header = t("map.col_unique")
    st.dataframe(
        skills.style.apply(
            lambda row: ["background-color: #FDE9C8" if row[unique_header] else "" for _ in row],
            axis=1,
        ),
        hide_index=True,
    )
    ui.downloads(skills, f"profile_{person_id}_skills")
    st.markdown(f"**{t('map.profile_activities')}**")
    if profile.activities.empty:
        st.info(t("map.profile_no_activities"))
    else:
        activities = profile.activities.assign(
            kind=profile.activities["kind"].map(lambda k: t(f"map.kind_{k}"))
        )
        table(
            shown(activities, ["occurred_on", "kind", "title", "audience", "skills"]),
            f"profile_{person_id}_activities",
        )
    st.markdown(f"**{t('map.profile_history')}**")
    history = profile.history.assign(
        from_status=profile.history["from_status"].map(
            lambda s: t(f"status.{s}") if pd.notna(s) else "—"
        ),
        to_status=profile.history["to_status"].map(lambda s: t(f"status.{s}")),
    )
    table(shown(history, list(history.columns)), f"profile_{person_id}_history")
