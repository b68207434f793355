"""The Speaking page's forms: propose a talk for a matched call, move a submission along its
statuses (a delivery makes the speakers' activities), add or change a submission, record a
sponsored trip, add or change a conference, import a calendar. Each calls one lib write and
shows a refusal as the sentence it is."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from lib import access
from lib.access import Viewer
from lib.conferences import editing, matching, moves, records, submissions
from lib.conferences.submissions import NEXT_STATUSES
from lib.io import fileread, ingest
from lib.store.db import Database
from pages.components import ui
from pages.components.ui import t

USER_ERRORS = (ValueError, access.AccessDenied)
ACTIONS = ("move", "submission", "trip", "conference", "import")
FLASH = "speaking_flash"


def show_flash() -> None:
    if FLASH in st.session_state:
        st.success(st.session_state.pop(FLASH))


def done(message: str) -> None:
    """After a change: drop cached answers and rerun, showing `message` once."""
    ui.clear_caches()
    st.session_state[FLASH] = message
    st.rerun()


def status_label(status: str) -> str:
    return t(f"conferences.status.{status}")


def _skills(db: Database) -> dict[str, str]:
    return dict(sorted(records.skill_labels(db).items(), key=lambda item: item[1]))


def _members(db: Database) -> dict[str, str]:
    members = records.member_options(db, submissions.SPEAKER_STATUSES)
    return dict(zip(members["person_id"], members["name"], strict=True))


# -- from a matched call ------------------------------------------------------------------------
def propose_talk(
    db: Database, viewer: Viewer, conference_id: str, found: pd.DataFrame, as_of: date
) -> None:
    """An idea for this conference with some of its matched members as speakers."""
    people = dict(zip(found["person_id"], found["name"], strict=True))
    matched = ui.cached(matching.skills_for_conference, db, conference_id, as_of)["skill_id"]
    skills = _skills(db)
    with st.form(f"propose_{conference_id}", clear_on_submit=True):
        st.markdown(f"**{t('conferences.propose_heading')}**")
        left, right = st.columns(2)
        speakers = left.multiselect(
            t("conferences.col_speakers"),
            list(people),
            format_func=people.get,
            key="propose_who",
            placeholder=t("conferences.choose"),
        )
        chosen = right.multiselect(
            t("conferences.col_skills"),
            list(skills),
            default=[s for s in matched if s in skills],
            format_func=skills.get,
            key="propose_skills",
            placeholder=t("conferences.choose"),
        )
        title = st.text_input(t("conferences.col_title"), key="propose_title")
        sent = st.form_submit_button(t("conferences.propose"), icon=":material/lightbulb:")
    if sent:
        try:
            found_id = submissions.create_submission(
                db, viewer, conference_id, title, speakers, as_of=as_of, skills=chosen
            )
        except USER_ERRORS as exc:
            ui.show_error(exc)
        else:
            done(t("conferences.created", submission=found_id))


# -- the edit tab ---------------------------------------------------------------------------------
def edit_view(
    db: Database, viewer: Viewer, conferences: pd.DataFrame, subs: pd.DataFrame, as_of: date
) -> None:
    action = st.segmented_control(
        t("conferences.edit_action"),
        ACTIONS,
        default="move",
        format_func=lambda a: t(f"conferences.action_{a}"),
        key="speaking_action",
    )
    if action == "move":
        move_form(db, viewer, subs, as_of)
    elif action == "submission":
        submission_form(db, viewer, conferences, subs, as_of)
    elif action == "trip":
        trip_form(db, viewer, subs)
    elif action == "conference":
        conference_form(db, viewer, conferences)
    elif action == "import":
        import_form(db, viewer)


def _submission_picker(subs: pd.DataFrame, key: str, label: str) -> str | None:
    labels = {
        row.submission_id: t(
            "conferences.submission_option",
            id=row.submission_id,
            title=row.title,
            conference=row.conference,
            status=status_label(row.status),
        )
        for row in subs.itertuples()
    }
    return st.selectbox(
        label,
        list(labels),
        format_func=labels.get,
        key=key,
        index=None,
        placeholder=t("conferences.choose"),
    )


def move_form(db: Database, viewer: Viewer, subs: pd.DataFrame, as_of: date) -> None:
    movable = subs[subs["status"].map(lambda s: bool(NEXT_STATUSES[s]))]
    picked = _submission_picker(movable, "move_pick", t("conferences.pick_submission"))
    waiting = moves.unlinked_deliveries(db)
    if waiting and st.button(t("conferences.link_talks", count=waiting), key="link_talks"):
        try:
            created = moves.link_delivered_talks(db, viewer)
        except USER_ERRORS as exc:
            ui.show_error(exc)
        else:
            done(t("conferences.talks_linked", count=len(created)))
    if picked is None:
        return
    row = movable.set_index("submission_id").loc[picked]
    options = list(NEXT_STATUSES[row["status"]])
    with st.form(f"move_{picked}"):
        target = st.radio(
            t("conferences.move_to"), options, format_func=status_label, horizontal=True
        )
        left, right = st.columns(2)
        reviewer = left.text_input(t("conferences.col_reviewer"), value=row.get("reviewer") or "")
        day = right.date_input(t("conferences.col_delivered_on"), value=None)
        st.caption(t("conferences.move_help"))
        sent = st.form_submit_button(t("conferences.move"), type="primary")
    if sent:
        try:
            created = moves.move_submission(
                db, viewer, picked, target, as_of=as_of, reviewer=reviewer, delivered_on=day
            )
        except USER_ERRORS as exc:
            ui.show_error(exc)
        else:
            message = t("conferences.moved", submission=picked, status=status_label(target))
            if created:
                message += " " + t("conferences.activities_created", ids=", ".join(created))
            done(message)


def submission_form(
    db: Database, viewer: Viewer, conferences: pd.DataFrame, subs: pd.DataFrame, as_of: date
) -> None:
    """A new submission, or changes to an open one picked above the form."""
    open_subs = subs[subs["status"].map(lambda s: bool(NEXT_STATUSES[s]))]
    picked = _submission_picker(open_subs, "edit_pick", t("conferences.pick_to_edit"))
    row = open_subs.set_index("submission_id").loc[picked] if picked else None
    coming = conferences[
        conferences["ends_on"]
        .fillna(conferences["starts_on"])
        .map(lambda d: d is None or d >= as_of)
    ]
    names = dict(zip(coming["conference_id"], coming["name"], strict=True))
    members, skills = _members(db), _skills(db)
    with st.form(f"submission_{picked or 'new'}", clear_on_submit=picked is None):
        conference = st.selectbox(
            t("conferences.col_conference"),
            list(names),
            format_func=names.get,
            disabled=row is not None,
        )
        title = st.text_input(
            t("conferences.col_title"), value=row["title"] if row is not None else ""
        )
        abstract = st.text_area(
            t("conferences.col_abstract"), value=(row["abstract"] or "") if row is not None else ""
        )
        left, middle, right = st.columns(3)
        speakers = left.multiselect(
            t("conferences.col_speakers"),
            list(members),
            default=[p for p in (row["speaker_ids"] if row is not None else []) if p in members],
            format_func=members.get,
            placeholder=t("conferences.choose"),
        )
        chosen = middle.multiselect(
            t("conferences.col_skills"),
            list(skills),
            default=[s for s in (row["skills"] if row is not None else []) if s in skills],
            format_func=skills.get,
            placeholder=t("conferences.choose"),
        )
        reviewer = right.text_input(
            t("conferences.col_reviewer"), value=(row["reviewer"] or "") if row is not None else ""
        )
        sent = st.form_submit_button(t("conferences.save"), type="primary")
    if not sent:
        return
    try:
        if row is None:
            created = submissions.create_submission(
                db,
                viewer,
                conference,
                title,
                speakers,
                as_of=as_of,
                abstract=abstract,
                skills=chosen,
                reviewer=reviewer,
            )
            done(t("conferences.created", submission=created))
        submissions.update_submission(
            db,
            viewer,
            picked,
            title=title,
            speakers=speakers,
            abstract=abstract,
            skills=chosen,
            reviewer=reviewer,
        )
        done(t("conferences.updated", submission=picked))
    except USER_ERRORS as exc:
        ui.show_error(exc)


def trip_form(db: Database, viewer: Viewer, subs: pd.DataFrame) -> None:
    """A sponsored trip of a speaker to an accepted or delivered talk."""
    talks = subs[subs["status"].isin([str(s) for s in records.ACCEPTED_TALKS])]
    picked = _submission_picker(talks, "trip_pick", t("conferences.pick_talk"))
    if picked is None:
        return
    row = talks.set_index("submission_id").loc[picked]
    speakers = dict(zip(row["speaker_ids"], row["speakers"], strict=True))
    with st.form(f"trip_{picked}"):
        left, middle, right = st.columns(3)
        person = left.selectbox(
            t("conferences.col_speakers"), list(speakers), format_func=speakers.get
        )
        cost = middle.number_input(
            t("conferences.trip_cost"), min_value=0.0, value=None, step=1000.0
        )
        day = right.date_input(t("conferences.trip_day"), value=None)
        st.caption(t("conferences.trip_help"))
        sent = st.form_submit_button(t("conferences.record_trip"), type="primary")
    if sent:
        try:
            moves.record_sponsored_trip(db, viewer, picked, person, cost=cost, on=day)
        except USER_ERRORS as exc:
            ui.show_error(exc)
        else:
            done(t("conferences.trip_recorded", name=speakers[person]))


def conference_form(db: Database, viewer: Viewer, conferences: pd.DataFrame) -> None:
    """A new conference, or changes to one picked above the form."""
    names = dict(zip(conferences["conference_id"], conferences["name"], strict=True))
    picked = st.selectbox(
        t("conferences.pick_conference_edit"),
        list(names),
        format_func=names.get,
        index=None,
        key="conference_pick",
        placeholder=t("conferences.choose"),
    )
    row = conferences.set_index("conference_id").loc[picked] if picked else {}
    value = row.get if picked else (lambda _key, default=None: default)
    with st.form(f"conference_{picked or 'new'}", clear_on_submit=picked is None):
        name = st.text_input(t("conferences.col_name"), value=value("name", ""))
        left, middle, right = st.columns(3)
        city = left.text_input(t("conferences.col_city"), value=value("city", "") or "")
        online = middle.checkbox(t("conferences.col_online"), value=bool(value("online", False)))
        url = right.text_input(t("conferences.col_url"), value=value("url", "") or "")
        dates = st.columns(4)
        fields = ("starts_on", "ends_on", "cfp_opens", "cfp_closes")
        days = {
            field: column.date_input(t(f"conferences.col_{field}"), value=_date(value(field)))
            for field, column in zip(fields, dates, strict=True)
        }
        left, middle = st.columns(2)
        audience = left.number_input(
            t("conferences.col_audience"), min_value=0, value=_int(value("audience")), step=100
        )
        cost = middle.number_input(
            t("conferences.col_cost"), min_value=0.0, value=_float(value("cost")), step=1000.0
        )
        topics = st.text_area(
            t("conferences.topics_input"), value="\n".join(value("topics", []) or [])
        )
        sent = st.form_submit_button(t("conferences.save"), type="primary")
    values = {"name": name, "city": city, "online": online, "url": url, "audience": audience}
    values |= {"cost": cost, "topics": topics, **days}
    if sent:
        try:
            saved = editing.save_conference(db, viewer, values, picked)
        except USER_ERRORS as exc:
            ui.show_error(exc)
        else:
            done(t("conferences.conference_saved", name=name, id=saved))
    if picked and st.button(t("conferences.delete_conference"), key="conference_delete"):
        try:
            editing.delete_conference(db, viewer, picked)
        except USER_ERRORS as exc:
            ui.show_error(exc)
        else:
            done(t("conferences.conference_deleted", name=names[picked]))


def _date(value) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _float(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def import_form(db: Database, viewer: Viewer) -> None:
    """Conferences from an iCalendar (.ics), CSV or Excel file, all rows or none."""
    st.caption(t("conferences.import_help"))
    upload = st.file_uploader(
        t("conferences.import_file"), type=["ics", "csv", "xlsx"], key="speaking_upload"
    )
    if upload is None or not st.button(t("conferences.import"), type="primary"):
        return
    try:
        raw = fileread.read_table(upload.getvalue(), upload.name, lang=ui.lang())
        report = ingest.import_table(db, viewer, "conferences", raw, mode="strict", lang=ui.lang())
    except USER_ERRORS as exc:
        ui.show_error(exc)
        return
    if report.written:
        done(report.summary(ui.lang(), t("data.kind_conferences")))
    st.warning(report.summary(ui.lang(), t("data.kind_conferences")))
    st.dataframe(report.problems, hide_index=True)
