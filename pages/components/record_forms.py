"""Forms for the records a curator keeps by hand — recognitions, attendance, events, activities
and interview findings: add one, or pick a stored one to edit or delete. Each form reruns alone
until it is sent; lib checks the values as an import checks a file."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from lib.access import Viewer
from lib.filters import Filters
from lib.formatting import is_blank
from lib.membership import member_file, records
from lib.store.db import Database
from lib.vocabulary import ActivityKind, AttendanceRole, EventKind, FindingTheme, RecognitionKind
from lib.vocabulary import values as words
from pages.components import member_views, ui, workbench
from pages.components.ui import t

EDITING = "records_editing"
PERSONAL = {"recognitions", "attendance", "activities"}
MAX_MONEY = 1e12


def _value(row: dict, name: str, default: Any = None) -> Any:
    value = row.get(name)
    return default if is_blank(value) else value


def _day(row: dict, name: str) -> Any:
    value = _value(row, name)
    return pd.Timestamp(value).date() if value is not None else ui.filters().as_of


def _index(options: list, value: Any) -> int:
    return options.index(value) if value in options else 0


def _skills_text(row: dict) -> str:
    skills = row.get("skills")
    return "; ".join(skills) if isinstance(skills, list | tuple) else ""


def _members(db: Database, viewer: Viewer) -> dict[str, str]:
    roster = ui.cached(member_file.club_roster, db, viewer, Filters(as_of=ui.filters().as_of))
    return {
        pid: workbench.person_label(pid, name)
        for pid, name in zip(roster["person_id"], roster["name"], strict=True)
    }


def _save(db, viewer, where: str, kind: str, rows: list[dict], editing: dict | None) -> None:
    """Send the form's rows to lib: added, or replacing the record being edited."""

    def change() -> int:
        entry = records.save_records(
            db, viewer, kind, rows, replace=editing["key"] if editing else None, lang=ui.lang()
        )
        st.session_state.pop(EDITING, None)
        return entry

    workbench.attempt(change, lambda entry: t("members.done_record", entry=entry), where)


def _choice(column, name: str, options: list[str], row: dict, prefix: str) -> str:
    return column.selectbox(
        t(f"members.field_{name}"),
        options,
        index=_index(options, _value(row, name)),
        format_func=lambda code: t(f"{prefix}{code}"),
    )


@st.fragment
def recognition_form(db, viewer, where, member, editing, row, stamp) -> None:
    people = _members(db, viewer)
    ids = list(people)
    with st.form(f"records_recognitions_{stamp}"):
        left, middle, right = st.columns(3)
        person = left.selectbox(
            t("members.field_person_id"),
            ids,
            index=_index(ids, _value(row, "person_id", member)),
            format_func=people.get,
        )
        day = middle.date_input(t("members.field_date"), value=_day(row, "date"))
        kind = _choice(right, "kind", words(RecognitionKind), row, "engagement.recognition_")
        cost = left.number_input(
            t("members.field_cost"), 0.0, MAX_MONEY, float(_value(row, "cost", 0.0))
        )
        note = st.text_input(t("members.field_note"), value=_value(row, "note", ""))
        sent = st.form_submit_button(t("members.records_save"), type="primary")
    if sent:
        values = {"person_id": person, "date": day, "kind": kind, "note": note, "cost": cost}
        _save(db, viewer, where, "recognitions", [values], editing)


@st.fragment
def attendance_form(db, viewer, where, member, editing, row, stamp) -> None:
    people = _members(db, viewer)
    events = ui.cached(records.list_records, db, viewer, "events")
    event_labels = {
        e.event_id: f"{ui.fmt_date(e.date)} · {e.title or ''} ({e.event_id})"
        for e in events.itertuples()
    }
    event_ids = list(event_labels)
    chosen_people = [_value(row, "person_id", member)] if _value(row, "person_id", member) else []
    with st.form(f"records_attendance_{stamp}"):
        event = st.selectbox(
            t("members.records_event"),
            event_ids,
            index=_index(event_ids, _value(row, "event_id")),
            format_func=event_labels.get,
        )
        left, right = st.columns([3, 1])
        attendees = left.multiselect(
            t("members.records_people"),
            list(people),
            default=[p for p in chosen_people if p in people],
            format_func=people.get,
        )
        role = _choice(right, "role", words(AttendanceRole), row, "members.role_")
        sent = st.form_submit_button(t("members.records_save"), type="primary")
    if sent:
        rows = [{"event_id": event, "person_id": p, "role": role} for p in attendees]
        _save(db, viewer, where, "attendance", rows, editing)


@st.fragment
def event_form(db, viewer, where, member, editing, row, stamp) -> None:
    with st.form(f"records_events_{stamp}"):
        left, middle, right = st.columns(3)
        event_id = left.text_input(
            t("members.field_event_id"),
            value=_value(row, "event_id", ""),
            disabled=editing is not None,
            help=t("members.records_id_help"),
        )
        day = middle.date_input(t("members.field_date"), value=_day(row, "date"))
        kind = _choice(right, "kind", words(EventKind), row, "engagement.event_")
        title = st.text_input(t("members.field_title"), value=_value(row, "title", ""))
        budget = left.number_input(
            t("members.field_budget"), 0.0, MAX_MONEY, float(_value(row, "budget", 0.0))
        )
        sent = st.form_submit_button(t("members.records_save"), type="primary")
    if sent:
        values = {"event_id": event_id, "date": day, "kind": kind, "title": title}
        _save(db, viewer, where, "events", [{**values, "budget": budget or None}], editing)


@st.fragment
def activity_form(db, viewer, where, member, editing, row, stamp) -> None:
    people = _members(db, viewer)
    ids = list(people)
    with st.form(f"records_activities_{stamp}"):
        left, middle, right = st.columns(3)
        person = left.selectbox(
            t("members.field_person_id"),
            ids,
            index=_index(ids, _value(row, "person_id", member)),
            format_func=people.get,
        )
        day = middle.date_input(t("members.field_occurred_on"), value=_day(row, "occurred_on"))
        kind = _choice(right, "kind", words(ActivityKind), row, "map.kind_")
        title = st.text_input(t("members.field_title"), value=_value(row, "title", ""))
        audience = left.number_input(
            t("members.field_audience"), 0, 10_000_000, _value(row, "audience"), step=1
        )
        hours = middle.number_input(t("members.field_hours"), 0.0, 1000.0, _value(row, "hours"))
        skills = st.text_area(
            t("members.field_skills"),
            value=_skills_text(row),
            help=t("members.records_skills_help"),
        )
        sent = st.form_submit_button(t("members.records_save"), type="primary")
    if sent:
        values = {"activity_id": _value(row, "activity_id", ""), "person_id": person}
        values |= {"occurred_on": day, "kind": kind, "title": title, "audience": audience}
        _save(
            db, viewer, where, "activities", [{**values, "hours": hours, "skills": skills}], editing
        )


@st.fragment
def finding_form(db, viewer, where, member, editing, row, stamp) -> None:
    segment = member_views.coded("interviews.seg_")
    interviews = ui.cached(records.interview_choices, db, viewer)
    labels = {
        i.interview_id: " · ".join(
            str(part)
            for part in (i.interview_id, ui.fmt_date(i.conducted_on), i.name, segment(i.segment))
            if not is_blank(part)
        )
        for i in interviews.itertuples()
    }
    ids = list(labels)
    with st.form(f"records_findings_{stamp}"):
        left, middle, right = st.columns(3)
        interview = left.selectbox(
            t("members.records_interview"),
            ids,
            index=_index(ids, _value(row, "interview_id")),
            format_func=labels.get,
        )
        theme = _choice(middle, "theme", words(FindingTheme), row, "interviews.theme_")
        code = right.text_input(t("members.field_code"), value=_value(row, "code", ""))
        quote = st.text_area(t("members.field_quote"), value=_value(row, "quote", ""))
        sentiment = left.number_input(
            t("members.field_sentiment"), -1.0, 1.0, _value(row, "sentiment"), step=0.1
        )
        skills = st.text_area(
            t("members.field_skills"),
            value=_skills_text(row),
            help=t("members.records_skills_help"),
        )
        sent = st.form_submit_button(t("members.records_save"), type="primary")
    if sent:
        values = {"interview_id": interview, "theme": theme, "code": code, "quote": quote}
        values |= {"sentiment": sentiment, "skills": skills}
        _save(db, viewer, where, "interview_findings", [values], editing)


FORMS: dict[str, Callable[..., None]] = {
    "recognitions": recognition_form,
    "attendance": attendance_form,
    "events": event_form,
    "activities": activity_form,
    "interview_findings": finding_form,
}


def stored_records(db: Database, viewer: Viewer, where: str, kind: str, member: str | None):
    """The stored records of a kind (the open member's when it names people), one to edit or
    delete."""
    st.subheader(t("members.records_existing"))
    person = member if kind in PERSONAL else None
    rows = ui.cached(records.list_records, db, viewer, kind, person_id=person)
    if person:
        names = member_file.person_names(db, [person])
        st.caption(t("members.records_for", name=names.get(person) or person))
    if rows.empty:
        st.info(t("members.records_none"))
        return
    member_views.show(rows, f"records_{kind}", kind=kind, db=db, key=f"records_{kind}_table")
    found = rows.to_dict("records")
    pick = st.selectbox(
        t("members.records_pick"),
        range(len(found)),
        format_func=lambda i: member_views.summary(found[i], kind, db),
        key=f"records_{kind}_pick",
    )
    key = records.record_key(kind, found[pick])
    left, right, _ = st.columns([1, 1, 4])
    if left.button(t("members.records_edit"), key=f"records_{kind}_edit"):
        st.session_state[EDITING] = {"kind": kind, "key": key, "row": found[pick]}
        st.rerun()
    if right.button(t("members.records_delete"), key=f"records_{kind}_delete"):
        workbench.propose("delete", where, record_kind=kind, keys=[key], rows=[found[pick]])


def records_section(db: Database, viewer: Viewer, where: str, member: str | None) -> None:
    """Choose a record kind; its form (new, or the stored record being edited) and the list."""
    st.caption(t("members.records_caption"))
    kind = st.selectbox(
        t("members.record_kind"),
        records.RECORD_KINDS,
        format_func=lambda k: t(f"data.kind_{k}"),
        key="records_kind",
    )
    editing = st.session_state.get(EDITING)
    if editing and editing["kind"] != kind:
        editing = None
    if editing:
        st.info(t("members.records_editing"))
        if st.button(t("members.records_stop_editing"), key="records_stop"):
            st.session_state.pop(EDITING, None)
            st.rerun()
    else:
        st.markdown(f"**{t('members.records_new')}**")
    row = editing["row"] if editing else {}
    stamp = json.dumps(editing["key"], default=str, sort_keys=True) if editing else "new"
    stamp = hashlib.sha1(stamp.encode()).hexdigest()[:12]
    FORMS[kind](db, viewer, where, member, editing, row, stamp)
    stored_records(db, viewer, where, kind, member)
