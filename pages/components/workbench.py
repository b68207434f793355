"""The curator's workbench in the view: a change proposed on a selection is shown in a dialog
with what it will do before it does it, the last change of the session is confirmed with an
Undo, and the pages where the need is seen offer their actions (invite from the shortlist, act
on the at-risk list, open a member's file)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pandas as pd
import streamlit as st

from lib import access
from lib.access import AccessDenied, Viewer
from lib.membership import checklists, claims, lifecycle, member_file, records
from lib.membership.audit import undo
from lib.store.db import Database
from lib.vocabulary import RecognitionKind, values
from pages.components import member_views, ui
from pages.components.ui import t

LAST = "workbench_last"
PENDING = "workbench_pending"
USER_ERRORS = (ValueError, AccessDenied)
CHECK_IN_DAYS = 7
RECOGNITION_KINDS = values(RecognitionKind)
MAX_COST = 1e9


# -- acting, confirming, undoing --------------------------------------------------------------
def acted(entry: int, message: str, where: str) -> None:
    """After a change: remember it for its confirmation and Undo, drop cached answers, rerun."""
    st.session_state[LAST] = {"entry": int(entry), "message": message, "where": where}
    st.session_state.pop(PENDING, None)
    ui.clear_caches()
    st.rerun(scope="app")


def attempt(change: Callable[[], int], message: Callable[[int], str], where: str) -> None:
    """Run a lib change; a refusal is shown in the reader's language and nothing changes."""
    try:
        entry = change()
    except USER_ERRORS as exc:
        ui.show_error(exc)
    else:
        acted(entry, message(entry), where)


def last_action(db: Database, viewer: Viewer, where: str) -> None:
    """The confirmation of this session's last change made here, with its Undo."""
    last = st.session_state.get(LAST)
    if not last or last.get("where") != where:
        return
    with st.container(border=True):
        st.success(ui.markdown_escape(last["message"]), icon=":material/check_circle:")
        if last.get("entry") and st.button(
            t("members.undo"), key=f"wb_undo_{last['entry']}", icon=":material/undo:"
        ):
            try:
                entry = undo(db, viewer, last["entry"])
            except USER_ERRORS as exc:
                ui.show_error(exc)
            else:
                st.session_state[LAST] = {
                    "entry": None,
                    "message": t("members.undone", entry=entry),
                    "where": where,
                }
                ui.clear_caches()
                st.rerun(scope="app")


def propose(kind: str, where: str, **payload: Any) -> None:
    """Hold a change for confirmation: the dialog opens on this run and the next ones."""
    st.session_state[PENDING] = {"kind": kind, "where": where, **payload}


def _cancel() -> None:
    st.session_state.pop(PENDING, None)


def pending_dialog(db: Database, viewer: Viewer, where: str) -> None:
    """The dialog of the change held for confirmation on this page, if any (call once per
    page, after the buttons that propose changes)."""
    pending = st.session_state.get(PENDING)
    if not pending or pending.get("where") != where:
        return
    body = DIALOGS[pending["kind"]]

    @st.dialog(t(f"members.dialog_{pending['kind']}"), width="large", on_dismiss=_cancel)
    def dialog() -> None:
        body(db, viewer, pending)

    dialog()


def _buttons(blocked: bool) -> bool:
    """Confirm and cancel; True when confirmed."""
    left, right = st.columns(2)
    if right.button(t("members.cancel"), key="wb_cancel"):
        _cancel()
        st.rerun(scope="app")
    return left.button(t("members.confirm"), type="primary", key="wb_confirm", disabled=blocked)


status_name = member_views.status_name
exit_reason_name = member_views.exit_reason_name


def person_label(person_id: str, name: Any) -> str:
    """A person as a choice: the name with the ID, so two people of one name stay apart (a
    select box answers with the label it shows)."""
    return f"{name} ({person_id})" if isinstance(name, str) and name else person_id


def _people_table(frame: pd.DataFrame, columns: list[str]) -> None:
    """The people (or claims) a dialog is about to change, as every table reads."""
    shown = frame[[c for c in columns if c in frame.columns]]
    member_views.dialog_table(shown, key="wb_preview")


# -- dialogs ---------------------------------------------------------------------------------
def _move(db: Database, viewer: Viewer, pending: dict) -> None:
    """A lifecycle move for the selected people: its options, then each person's change."""
    action, people = pending["action"], pending["people"]
    left, right = st.columns(2)
    day = left.date_input(t("members.on"), value=ui.filters().as_of, key="wb_day")
    wave, reason, note = pending.get("wave"), None, None
    if action == "invite":
        wave = right.number_input(
            t("members.wave"), 1, lifecycle.MAX_WAVE, value=int(wave or 1), key="wb_wave"
        )
    if action == "offboard":
        reason = right.selectbox(
            t("members.exit_reason"),
            lifecycle.EXIT_REASONS,
            format_func=lambda r: t(f"members.exit_{r}"),
            key="wb_reason",
        )
    if not pending.get("notes"):
        note = st.text_area(t("members.note"), key="wb_note", max_chars=lifecycle.MAX_NOTE)
    try:
        plan = lifecycle.preview(db, viewer, action, people, on=day, wave=wave, lang=ui.lang())
    except USER_ERRORS as exc:
        ui.show_error(exc)
        return
    notes = pending.get("notes") or {}
    plan = plan.assign(note=plan["person_id"].map(notes)) if notes else plan
    _people_table(
        plan, ["name", "person_id", "from_status", "to_status", "wave", "note", "problem"]
    )
    blocked = bool(plan["problem"].notna().any())
    if blocked:
        st.warning(t("members.preview_blocked"))
    else:
        st.caption(t(f"members.preview_{action}", count=len(plan)))
    if _buttons(blocked):
        attempt(
            lambda: lifecycle.change_status(
                db,
                viewer,
                action,
                people,
                on=day,
                wave=wave,
                note=note,
                notes=notes,
                reason=reason,
            ),
            lambda entry: t(f"members.done_{action}", count=len(plan), entry=entry),
            pending["where"],
        )


def _check_in(db: Database, viewer: Viewer, pending: dict) -> None:
    people = pending["people"]
    due = st.date_input(
        t("members.check_in_due"),
        value=ui.filters().as_of + timedelta(days=CHECK_IN_DAYS),
        key="wb_due",
    )
    note = st.text_area(t("members.note"), key="wb_check_in_note")
    _people_table(member_file.people_summary(db, people), ["name", "person_id", "status"])
    st.caption(t("members.preview_check_in", count=len(people), day=ui.fmt_date(due)))
    if _buttons(False):
        attempt(
            lambda: checklists.schedule_check_ins(db, viewer, people, due, note),
            lambda entry: t("members.done_check_in", count=len(people), entry=entry),
            pending["where"],
        )


def _recognise(db: Database, viewer: Viewer, pending: dict) -> None:
    people = pending["people"]
    left, middle, right = st.columns(3)
    kind = left.selectbox(
        t("members.field_kind"),
        RECOGNITION_KINDS,
        format_func=lambda k: t(f"engagement.recognition_{k}"),
        key="wb_recognition_kind",
    )
    day = middle.date_input(t("members.field_date"), value=ui.filters().as_of, key="wb_rdate")
    cost = right.number_input(t("members.field_cost"), 0.0, MAX_COST, 0.0, key="wb_cost")
    note = st.text_input(t("members.field_note"), key="wb_rnote")
    _people_table(member_file.people_summary(db, people), ["name", "person_id", "status"])
    st.caption(t("members.preview_recognise", count=len(people)))
    rows = [
        {"person_id": p, "date": day, "kind": kind, "note": note, "cost": cost or None}
        for p in people
    ]
    if _buttons(False):
        attempt(
            lambda: records.save_records(db, viewer, "recognitions", rows, lang=ui.lang()),
            lambda entry: t("members.done_recognise", count=len(people), entry=entry),
            pending["where"],
        )


def _claims(db: Database, viewer: Viewer, pending: dict) -> None:
    verb, chosen = pending["verb"], pd.DataFrame(pending["claims"])
    level, note = None, None
    if verb == "level":
        level = st.slider(t("members.field_level"), 1, 5, int(chosen["level"].iloc[0]), key="wb_lv")
    note = st.text_input(t("members.claim_note"), key="wb_claim_note")
    _people_table(chosen, ["name", "skill", "level", "source", "confirmed_on"])
    st.caption(t(f"members.preview_claims_{verb}", count=len(chosen)))
    pairs = list(zip(chosen["person_id"], chosen["skill_id"], strict=True))
    as_of = ui.filters().as_of

    def change() -> int:
        if verb == "reject":
            return claims.reject_claims(db, viewer, pairs, as_of=as_of, note=note)
        return claims.confirm_claims(db, viewer, pairs, as_of=as_of, level=level, note=note)

    if _buttons(False):
        attempt(
            change,
            lambda entry: t(f"members.done_claims_{verb}", count=len(pairs), entry=entry),
            pending["where"],
        )


def _delete(db: Database, viewer: Viewer, pending: dict) -> None:
    kind, keys = pending["record_kind"], pending["keys"]
    st.markdown(t("members.preview_delete", kind=t(f"members.record_{kind}")))
    member_views.dialog_table(pd.DataFrame(pending["rows"]), key="wb_preview", kind=kind, db=db)
    if _buttons(False):
        attempt(
            lambda: records.delete_records(db, viewer, kind, keys),
            lambda entry: t("members.done_delete", count=len(keys), entry=entry),
            pending["where"],
        )


DIALOGS: dict[str, Callable[[Database, Viewer, dict], None]] = {
    "move": _move,
    "check_in": _check_in,
    "recognise": _recognise,
    "claims": _claims,
    "delete": _delete,
}


# -- actions where the need is seen ----------------------------------------------------------
def invite_from_shortlist(db: Database, viewer: Viewer, picks: pd.DataFrame) -> None:
    """Invite chosen shortlist picks as candidates of a wave; each pick's rank, pin and reason
    become their invitation note."""
    if not access.can(viewer, "invite_candidates") or picks.empty:
        return
    where = "recruitment_gaps"
    last_action(db, viewer, where)
    with st.container(border=True):
        st.markdown(f"**{t('members.invite_heading')}**")
        labels = {
            row.person_id: f"{row.rank}. {row.name} · {row.department}"
            for row in picks.itertuples()
        }
        left, right = st.columns([3, 1])
        chosen = left.multiselect(
            t("members.invite_pick"),
            list(labels),
            format_func=labels.get,
            key="wb_invite_pick",
            placeholder=t("members.pick_placeholder"),
        )
        wave = right.number_input(
            t("members.wave"),
            1,
            lifecycle.MAX_WAVE,
            value=ui.cached(lifecycle.recruiting_wave, db),
            key="wb_invite_wave",
        )
        if st.button(
            t("members.invite_selected", count=len(chosen), wave=int(wave)),
            type="primary",
            disabled=not chosen,
            key="wb_invite",
            icon=":material/person_add:",
        ):
            reasons = picks.set_index("person_id")
            notes = {
                pid: t(
                    "members.invitation_note",
                    rank=int(reasons.at[pid, "rank"]),
                    reason=reasons.at[pid, "reason"],
                )
                for pid in chosen
            }
            propose("move", where, action="invite", people=chosen, wave=int(wave), notes=notes)
    pending_dialog(db, viewer, where)


def at_risk_actions(db: Database, viewer: Viewer, risky: pd.DataFrame) -> None:
    """Schedule a check-in with, pause or recognise chosen members of the at-risk list."""
    if not access.can(viewer, "run_club") or risky.empty:
        return
    where = "engagement"
    last_action(db, viewer, where)
    with st.container(border=True):
        st.markdown(f"**{t('members.at_risk_heading')}**")
        labels = {
            pid: person_label(pid, name)
            for pid, name in zip(risky["person_id"], risky["name"], strict=True)
        }
        chosen = st.multiselect(
            t("members.at_risk_pick"),
            list(labels),
            format_func=labels.get,
            key="wb_risk_pick",
            placeholder=t("members.pick_placeholder"),
        )
        left, middle, right = st.columns(3)
        if left.button(t("members.check_in"), disabled=not chosen, key="wb_risk_check_in"):
            propose("check_in", where, people=chosen)
        if middle.button(t("members.action_pause"), disabled=not chosen, key="wb_risk_pause"):
            propose("move", where, action="pause", people=chosen)
        if right.button(t("members.recognise"), disabled=not chosen, key="wb_risk_recognise"):
            propose("recognise", where, people=chosen)
    pending_dialog(db, viewer, where)


def member_link(viewer: Viewer, person_id: str) -> None:
    """A link to the person's file on the Members page, for roles that may open it."""
    if access.can_open(viewer, "members"):
        spec = access.PAGE_BY_KEY["members"]
        st.page_link(
            spec.file,
            label=t("members.open_file"),
            icon=spec.icon,
            query_params={"member": person_id},
        )
