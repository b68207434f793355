"""The curators' side of contributions on the Members page: the verification queue (verify or
reject what members logged, each change undoable like every workbench change) and the whole
club's renewal readiness."""

from __future__ import annotations

import streamlit as st

from lib.access import Viewer
from lib.contributions import renewal, review
from lib.filters import Filters
from lib.settings import current_settings
from lib.store.db import Database
from pages.components import contribution_views as views
from pages.components import ui, workbench
from pages.components.ui import t

QUEUE_SHOWN = 500


def verification_section(db: Database, viewer: Viewer, filters: Filters, where: str) -> None:
    """Pending contributions, oldest first, with what makes each doubtful; a selection is
    verified or rejected with a note the member reads."""
    queue = ui.cached(review.verification_queue, db, viewer, filters)
    st.caption(t("contributions.queue_caption"))
    tiles = [
        (t("contributions.queue_waiting"), len(queue)),
        (t("contributions.queue_duplicates"), int((queue["doubt"] == "duplicate").sum())),
        (t("contributions.queue_no_evidence"), int((queue["doubt"] == "no_evidence").sum())),
    ]
    for column, (label, value) in zip(st.columns(len(tiles)), tiles, strict=True):
        column.metric(label, ui.fmt_number(value), border=True)
    if queue.empty:
        st.info(t("contributions.queue_empty"))
        return
    shown = queue.head(QUEUE_SHOWN)
    columns = ["name", "kind", "title", "occurred_on", "reach", "reach_metric", "evidence_url"]
    columns += ["skills", "visibility", "doubt", "waiting_days", "department"]
    event = views.show(
        db,
        shown[columns],
        "contribution_queue",
        links=("evidence_url",),
        key="contribution_queue",
        on_select="rerun",
        selection_mode="multi-row",
    )
    chosen = shown.iloc[event.selection.rows]["contribution_id"].tolist()
    st.caption(t("members.selected", count=len(chosen)))
    note = st.text_input(t("contributions.queue_note"), key="contribution_note")
    left, right, _ = st.columns([1, 1, 2])
    for column, verb, change in (
        (left, "verify", review.verify_contributions),
        (right, "reject", review.reject_contributions),
    ):
        if column.button(
            t(f"contributions.queue_{verb}", count=len(chosen)),
            disabled=not chosen,
            key=f"contribution_{verb}",
            type="primary" if verb == "verify" else "secondary",
        ):
            workbench.attempt(
                lambda change=change: change(db, viewer, chosen, as_of=filters.as_of, note=note),
                lambda entry, verb=verb: t(
                    f"contributions.done_{verb}", count=len(chosen), entry=entry
                ),
                where,
            )


def renewal_section(db: Database, viewer: Viewer, filters: Filters) -> None:
    """Every current member's renewal readiness over the rolling window, review first."""
    frame = ui.cached(renewal.renewal_readiness, db, viewer, filters)
    days = current_settings(db)["renewal_window_days"]
    st.caption(t("contributions.renewal_caption", days=days))
    counts = renewal.readiness_counts(frame)
    for column, (status, count) in zip(st.columns(3), counts.items(), strict=True):
        column.metric(t(f"contributions.readiness_{status}"), ui.fmt_number(count), border=True)
    if frame.empty:
        st.info(t("contributions.renewal_empty"))
        return
    shown = frame.assign(by_kind=frame["by_kind"].map(views.by_kind_text))
    columns = ["name", "department", "status", "readiness", "reasons", "contributions"]
    columns += ["verified_share", "by_kind", "ratio", "points", "expected", "hours_available"]
    shown = shown[[c for c in columns if c in shown.columns]]
    views.show(
        db,
        shown,
        "renewal_readiness",
        renamed={"status": "member_status"},
        key="renewal_table",
    )
