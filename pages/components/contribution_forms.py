"""Logging a contribution in under half a minute, confirming what the club recorded, and
changing one's own: the forms of My page (a curator on a member's page logs for them)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from lib.access import Viewer
from lib.contributions import capture, checks, records
from lib.membership.records import skill_names
from lib.store.db import Database
from lib.vocabulary import ActivityKind, Visibility, values
from pages.components import contribution_views as views
from pages.components import ui
from pages.components.ui import t

FLASH = "my_page_flash"
KINDS = values(ActivityKind)
VISIBILITIES = values(Visibility)
FIRST_KIND = str(ActivityKind.TALK_EXTERNAL)
MAX_REACH = max(checks.MAX_REACH.values())
LOG_DEFAULTS = {
    "log_title": "",
    "log_reach": None,
    "log_link": "",
    "log_skills": [],
    "log_anyway": False,
}
LOG_ERROR = "log_error"


def _suggest(db: Database) -> None:
    """When the title changes: the skills it names become the chosen skills (the member may
    change them), and the visibility follows the kind until it is chosen by hand."""
    found = capture.suggest_skills(db, st.session_state.get("log_title", ""))
    st.session_state["log_skills"] = found["skill_id"].tolist()


def _kind_changed() -> None:
    st.session_state["log_visibility"] = checks.default_visibility(st.session_state["log_kind"])


def log_form(db: Database, viewer: Viewer, person: str, as_of: date) -> None:
    """Kind, title, day, reach, link, skills (suggested from the title) and visibility; a
    duplicate is shown before it is logged."""
    st.subheader(t("self_service.log_heading"))
    st.caption(t("self_service.log_caption"))
    state = st.session_state
    state.setdefault("log_kind", FIRST_KIND)
    state.setdefault("log_date", as_of)
    state.setdefault("log_reach", None)
    state.setdefault("log_visibility", checks.default_visibility(state["log_kind"]))
    names = ui.cached(skill_names, db)
    left, middle, right = st.columns([2, 3, 2])
    kind = left.selectbox(
        t("self_service.field_kind"),
        KINDS,
        format_func=lambda k: t(f"map.kind_{k}"),
        key="log_kind",
        on_change=_kind_changed,
    )
    title = middle.text_input(
        t("self_service.field_title"), key="log_title", on_change=_suggest, args=(db,)
    )
    day = right.date_input(t("self_service.field_date"), max_value=as_of, key="log_date")
    left, middle, right = st.columns([2, 3, 2])
    metric = t(f"contributions.metric_{checks.reach_metric(kind)}")
    left.number_input(
        t("self_service.field_reach", metric=metric),
        min_value=0,
        max_value=MAX_REACH,
        step=1,
        key="log_reach",
    )
    link = middle.text_input(t("self_service.field_link"), key="log_link", placeholder="https://…")
    right.radio(
        t("self_service.field_visibility"),
        VISIBILITIES,
        format_func=lambda v: t(f"contributions.visibility_{v}"),
        key="log_visibility",
        horizontal=True,
    )
    st.multiselect(
        t("self_service.field_skills"),
        list(names),
        format_func=lambda s: names.get(s, s),
        key="log_skills",
        placeholder=t("self_service.skills_placeholder"),
        help=t("self_service.skills_help"),
    )
    for notice in checks.title_notices(title):
        st.info(t(notice), icon=":material/info:")
    anyway = _duplicate_warning(db, person, title, link, day)
    error = st.session_state.pop(LOG_ERROR, None)
    if error is not None:
        ui.show_error(error)
    st.button(
        t("self_service.log"),
        type="primary",
        icon=":material/add:",
        key="log_send",
        on_click=_log_now,
        args=(db, viewer, person, as_of, anyway),
    )


def _log_now(db: Database, viewer: Viewer, person: str, as_of: date, anyway: bool) -> None:
    """Log what the form holds (before the next run draws it): on success the form starts
    empty again and the confirmation waits for the page; a refusal waits for the form."""
    state = st.session_state
    fields = {
        "kind": state.get("log_kind"),
        "title": state.get("log_title"),
        "occurred_on": state.get("log_date") or as_of,
        "evidence_url": state.get("log_link"),
        "reach": state.get("log_reach"),
        "skills": state.get("log_skills") or [],
        "visibility": state.get("log_visibility"),
    }
    try:
        capture.log_contribution(
            db, viewer, fields, as_of=as_of, person_id=person, despite_duplicate=anyway
        )
    except (ValueError, PermissionError) as exc:
        state[LOG_ERROR] = exc
        return
    key = "self_service.done_log" if viewer.is_member else "self_service.done_log_curator"
    state[FLASH] = t(key, title=" ".join(str(fields["title"] or "").split()))
    for name, value in LOG_DEFAULTS.items():
        state[name] = value
    state["log_date"] = as_of
    ui.clear_caches()


def _duplicate_warning(db: Database, person: str, title: str, link: str, day: date) -> bool:
    """Warn of the same link, or the same title on the same day, among the member's
    contributions; True when they tick that it is a different one."""
    if not (title or "").strip() and not (link or "").strip():
        return False
    twins = capture.find_duplicates(
        db, person, evidence_url=link.strip() or None, title=title, occurred_on=day
    )
    if twins.empty:
        return False
    twin = twins.iloc[0]
    st.warning(
        t(
            "self_service.duplicate_warning",
            title=ui.markdown_escape(twin["title"]),
            day=ui.fmt_date(twin["occurred_on"]),
        ),
        icon=":material/content_copy:",
    )
    return st.checkbox(t("self_service.log_anyway"), key="log_anyway")


def confirm_block(db: Database, viewer: Viewer, person: str, as_of: date, days: int) -> None:
    """What the club recorded about the member lately, to confirm in one click."""
    st.subheader(t("self_service.confirm_heading"))
    waiting = ui.cached(records.to_confirm, db, viewer, as_of, days, person_id=person)
    if waiting.empty:
        st.caption(t("self_service.confirm_none"))
        return
    st.caption(t("self_service.confirm_caption", count=len(waiting)))
    shown = waiting.drop(columns=["key", "event_id", "role"])
    event = views.show(
        db,
        shown,
        None,
        key="confirm_table",
        on_select="rerun",
        selection_mode="multi-row",
    )
    chosen = waiting.iloc[event.selection.rows]["key"].tolist()
    left, right, _ = st.columns([1, 1, 2])
    if left.button(
        t("self_service.confirm_selected", count=len(chosen)),
        disabled=not chosen,
        key="confirm_selected",
    ):
        _confirm(db, viewer, person, as_of, chosen)
    if right.button(t("self_service.confirm_all", count=len(waiting)), key="confirm_all"):
        _confirm(db, viewer, person, as_of, waiting["key"].tolist())


def _confirm(db, viewer, person, as_of, keys) -> None:
    views.attempt(
        lambda: capture.confirm_records(db, viewer, keys, as_of=as_of, person_id=person),
        t("self_service.done_confirm", count=len(keys)),
        FLASH,
    )


def contributions_block(db: Database, viewer: Viewer, person: str, as_of: date) -> None:
    """The member's contributions; one chosen may change visibility and link, or be withdrawn
    while it waits."""
    st.subheader(t("self_service.mine_heading"))
    mine = ui.cached(records.my_contributions, db, viewer, person)
    if mine.empty:
        st.caption(t("self_service.mine_none"))
        return
    columns = ["occurred_on", "kind", "title", "reach", "reach_metric", "source", "status"]
    columns += ["visibility", "counted", "evidence_url", "review_note"]
    event = views.show(
        db,
        mine[columns],
        "my_contributions",
        links=("evidence_url",),
        key="mine_table",
        on_select="rerun",
        selection_mode="single-row",
    )
    if event.selection.rows:
        edit_form(db, viewer, person, as_of, mine.iloc[event.selection.rows[0]])


def edit_form(db: Database, viewer: Viewer, person: str, as_of: date, row: pd.Series) -> None:
    with st.form("edit_contribution"):
        st.markdown(f"**{ui.markdown_escape(row['title'])}**")
        left, right = st.columns([1, 2])
        visibility = left.radio(
            t("self_service.field_visibility"),
            VISIBILITIES,
            index=VISIBILITIES.index(row["visibility"]),
            format_func=lambda v: t(f"contributions.visibility_{v}"),
            horizontal=True,
        )
        link = right.text_input(
            t("self_service.field_link"),
            value=row["evidence_url"] if isinstance(row["evidence_url"], str) else "",
        )
        save, withdraw = st.columns(2)
        saved = save.form_submit_button(t("self_service.save"))
        pulled = withdraw.form_submit_button(
            t("self_service.withdraw"), disabled=row["status"] != "pending"
        )
    key = row["contribution_id"]
    if saved:
        views.attempt(
            lambda: capture.update_contribution(
                db,
                viewer,
                key,
                visibility=visibility,
                evidence_url=link,
                as_of=as_of,
                person_id=person,
            ),
            t("self_service.done_edit"),
            FLASH,
        )
    if pulled:
        views.attempt(
            lambda: capture.withdraw_contribution(db, viewer, key, person_id=person),
            t("self_service.done_withdraw"),
            FLASH,
        )
