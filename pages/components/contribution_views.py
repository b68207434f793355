"""How contributions, renewal readiness and the directory read on every page that shows them:
headers in the reader's language, kinds, sources, statuses, visibility and reach metrics named,
skills by name, yes and no in words, dates and numbers in the reader's format."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from lib import i18n
from lib.formatting import Format
from lib.io.presentation import TableView
from lib.store.db import Database
from pages.components import member_views, tables, ui
from pages.components.ui import t

FORMATS: dict[str, Format] = {
    **dict.fromkeys(
        (
            "occurred_on",
            "confirmed_on",
            "verified_on",
            "logged_on",
            "proposed_on",
            "decided_on",
            "joined_on",
            "date",
            "due_on",
            "starts_on",
            "cfp_closes",
            "month",
        ),
        Format.DATE,
    ),
    **dict.fromkeys(
        (
            "reach",
            "level",
            "current_level",
            "waiting_days",
            "contributions",
            "verified",
            "pending",
            "public_contributions",
            "activities",
            "days_to_close",
            "days_overdue",
        ),
        Format.INTEGER,
    ),
    **dict.fromkeys(("points", "expected", "hours_available", "weight"), Format.DECIMAL1),
    **dict.fromkeys(("ratio", "fit"), Format.DECIMAL2),
    "verified_share": Format.PERCENT,
    "skills": Format.LIST,
    "reasons": Format.LIST,
}


def yes_no(value: Any) -> str:
    return t("members.yes") if bool(value) else t("members.no")


def named(prefix: str) -> Callable[[Any], str]:
    return lambda value: t(f"{prefix}{value}")


def codes(db: Database) -> dict[str, Callable[[Any], Any]]:
    """The stored words of these tables, named."""
    return {
        "kind": member_views.coded("map.kind_"),
        "source": named("contributions.source_"),
        "status": named("contributions.status_"),
        "visibility": named("contributions.visibility_"),
        "reach_metric": named("contributions.metric_"),
        "readiness": named("contributions.readiness_"),
        "doubt": named("contributions.doubt_"),
        "reasons": lambda codes_: [t(f"contributions.reason_{c}") for c in codes_],
        "skills": member_views.skill_label(db),
        "counted": yes_no,
        "stale": lambda stale: t("members.stale") if stale else t("members.fresh"),
        "overdue": yes_no,
        "proposal": yes_no,
        "submitted": yes_no,
        "event_kind": member_views.coded("engagement.event_"),
        "claim_source": member_views.coded("map.source_"),
        "member_status": member_views.status_name,
        "proposal_status": named("self_service.proposal_"),
        "capacity_flag": member_views.coded("engagement.capacity_"),
    }


def header(column: str) -> str:
    """A column's header: this module's column name, else the workbench's."""
    key = f"contributions.col_{column}"
    return t(key) if key in i18n.catalogue(ui.lang()) else member_views.header(column)


def show(
    db: Database,
    frame: pd.DataFrame,
    name: str | None,
    *,
    renamed: dict[str, str] | None = None,
    **options: Any,
) -> Any:
    """Draw a contributions-family table (downloads unless `name` is None). `renamed` reads a
    column through another column's codes (a claim's `source` as `claim_source`)."""
    renamed = renamed or {}
    known = codes(db)
    view = TableView(
        headers={c: header(c) for c in frame.columns},
        formats={c: f for c, f in FORMATS.items() if c in frame.columns},
        codes={c: known[renamed.get(c, c)] for c in frame.columns if renamed.get(c, c) in known},
    )
    return tables.show_table(frame, name, view, **options)


def attempt(change: Callable[[], Any], message: str, flash: str) -> None:
    """Run a lib change; a refusal is shown in the reader's language and nothing changes; on
    success the message waits in the session for the next run and caches are dropped."""
    try:
        change()
    except (ValueError, PermissionError) as exc:
        ui.show_error(exc)
        return
    st.session_state[flash] = message
    ui.clear_caches()
    st.rerun(scope="app")


def flashed(flash: str) -> None:
    """The confirmation of the last change made here, once — in a slot that is always drawn,
    so the tabs after it keep the one the reader had open."""
    slot = st.container()
    message = st.session_state.pop(flash, None)
    if message:
        slot.success(ui.markdown_escape(message), icon=":material/check_circle:")


def readiness_badge(status: str) -> None:
    colour = {"on_track": "green", "needs_attention": "orange", "review": "red"}[status]
    st.badge(t(f"contributions.readiness_{status}"), color=colour)


def by_kind_text(kinds: dict[str, int]) -> str:
    """Contributions by kind in words: "External talk 2 · Article 1"."""
    return " · ".join(
        f"{member_views.known(f'map.kind_{kind}', kind)} {ui.fmt_number(n)}"
        for kind, n in kinds.items()
    )
