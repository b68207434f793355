"""What every page shares: the database handle, the viewer, language, filters, caching,
downloads and chart style. The only place besides pages that imports streamlit."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lib import access, charts, demo, errors, i18n
from lib.filters import PERIODS, Filters, filter_options
from lib.io.export import EXCEL_MAX_ROWS
from lib.io.presentation import TableView, csv_bytes, excel_bytes
from lib.settings import current_settings
from lib.store.db import (
    STORAGE_ERRORS,
    Database,
    DatabaseError,
    fault,
    open_database,
    resolve_path,
)
from pages.components.caching import cached, clear_caches  # noqa: F401

PALETTE = charts.PALETTE


# -- language ---------------------------------------------------------------------------
_language_of_last_run = [i18n.DEFAULT_LANGUAGE]


def lang() -> str:
    """The session's language. Outside a script run (a test harness formatting widget options
    afterwards) the language of the last run in this process is used."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    if get_script_run_ctx(suppress_warning=True) is None:
        return _language_of_last_run[0]
    chosen = st.session_state.get("lang") or i18n.language_for(st.context.locale)
    _language_of_last_run[0] = chosen
    return chosen


def t(key: str, **values: Any) -> str:
    return i18n.t(key, lang(), **values)


def language_switch() -> None:
    """Sidebar language choice, defaulting to the browser's locale and kept in the URL."""
    browser = i18n.language_for(st.context.locale)
    options = list(i18n.LANGUAGES)
    st.sidebar.selectbox(
        i18n.t("app.language", browser),
        options,
        index=options.index(browser),
        format_func=lambda code: i18n.t(f"languages.{code}", code),
        key="lang",
        bind="query-params",
    )


# -- database ---------------------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def _database(path: str) -> Database:
    return open_database(path)


def database() -> Database:
    """The process-wide database; a clear message instead of a traceback when unusable."""
    try:
        return _database(str(os.environ.get("EXPERTISE_DB") or ""))
    except DatabaseError as exc:
        st.error(t("app.database_error", reason=markdown_escape(errors.message(exc, lang()))))
        # No page can open: an empty, hidden navigation instead of the `pages/` folder's files.
        st.navigation([st.Page(_unavailable, url_path="unavailable")], position="hidden")
        st.stop()


def _unavailable() -> None:
    """The only page while the database cannot be used: the message above says why."""


@contextmanager
def storage_faults() -> Iterator[None]:
    """Storage, file and zip errors anywhere in a run become one line in the reader's language
    (a damaged database file: "restore it from a backup") instead of Streamlit's redacted
    error page."""
    try:
        yield
    except STORAGE_ERRORS as exc:
        show_error(fault(exc, resolve_path(os.environ.get("EXPERTISE_DB")).name))


def ensure_seeded(db: Database) -> None:
    """First run: an empty database is filled with the demo tier, with visible progress."""
    if db.count("people") or os.environ.get("EXPERTISE_DEMO_TIER") == "none":
        return
    tier = os.environ.get("EXPERTISE_DEMO_TIER", "demo")
    bar = st.progress(0.0, text=t("app.first_run", tier=tier))

    def report(fraction: float, step: str) -> None:
        bar.progress(min(fraction, 1.0), text=t("app.first_run_step", step=step))

    demo.seed_if_empty(db, tier, lang=lang(), progress=report)
    bar.empty()
    st.cache_data.clear()
    st.toast(t("app.first_run_done"))


# -- who is looking ------------------------------------------------------------------------
def viewer() -> access.Viewer | None:
    return st.session_state.get("viewer")


def route_through_app() -> None:
    """The one place that handles Streamlit's legacy `pages/` folder mode.

    Until some session of a fresh server has called `st.navigation`, Streamlit runs a page URL
    as the page file itself, without `app.py` (no sign-in, no role). Streamlit has no public
    switch for this, so the class flag `st.navigation` itself clears is cleared here, and the
    rerun goes through `app.py`, which signs in, picks the role and opens this page.
    `tests/test_app.py` fails if the flag disappears, and `tests/e2e/test_smoke.py` opens a page
    URL first on a fresh server."""
    from streamlit.runtime.pages_manager import PagesManager

    if st.session_state.get("_rerouted"):
        return
    PagesManager.uses_pages_directory = False
    st.session_state["_rerouted"] = True
    st.rerun()


def page_viewer(page_key: str) -> access.Viewer:
    """The viewer of a page, or stop with a message when their role may not open it."""
    current = viewer()
    if current is None:
        route_through_app()
    if not access.can_open(current, page_key):
        st.error(t("app.no_access"))
        st.stop()
    return current


# -- filters -------------------------------------------------------------------------------
@st.cache_data(ttl=300, show_spinner=False)
def _filter_options(_db: Database, path: str) -> tuple[list[str], list[int]]:
    return filter_options(_db)


def sidebar_filters(db: Database) -> None:
    """Department, wave and period in the sidebar, kept in the URL so views can be shared."""
    departments, waves = _filter_options(db, str(db.path))
    side = st.sidebar
    side.subheader(t("filters.heading"))
    side.multiselect(
        t("filters.department"),
        departments,
        key="department",
        placeholder=t("filters.all"),
        bind="query-params",
    )
    side.multiselect(
        t("filters.wave"),
        waves,
        key="wave",
        placeholder=t("filters.all"),
        format_func=lambda w: t("filters.wave_value", wave=w),
        bind="query-params",
    )
    side.selectbox(
        t("filters.period"),
        PERIODS,
        index=PERIODS.index(12),
        key="period",
        format_func=lambda m: t("filters.period_value", months=m),
        bind="query-params",
    )


def filters() -> Filters:
    state = st.session_state
    return Filters(
        departments=tuple(state.get("department") or ()),
        waves=tuple(int(w) for w in state.get("wave") or ()),
        period_months=int(state.get("period") or 12),
    )


# -- output --------------------------------------------------------------------------------
STATUS_COLORS = charts.STATUS_COLORS


def status_colors() -> dict[str, str]:
    """Membership status colours keyed by their translated names, the same on every page."""
    return {t(f"status.{status}"): colour for status, colour in STATUS_COLORS.items()}


def style(fig: go.Figure, height: int = 360) -> go.Figure:
    """The house style in the reader's language (see `lib.charts.style`)."""
    return charts.style(fig, lang(), height)


def downloads(
    frame: pd.DataFrame, name: str, key: str | None = None, view: TableView | None = None
) -> None:
    """CSV and Excel buttons for a table, written as shown (`view`: headers, formats, codes in
    the reader's language); the files are built only when clicked, and each export is written
    to the audit log with the user."""
    key = key or name
    current = viewer()
    db = database()
    view = view or TableView()
    language = lang()
    settings = current_settings(db)

    def build(kind: str) -> Callable[[], bytes]:
        def make() -> bytes:
            access.require(current, "export")
            db.audit(
                "export",
                actor=current.actor if current else None,
                kind=name,
                detail=kind,
                inserted=len(frame),
            )
            field_names = bool(settings["export_field_names"])
            if kind == "csv":
                return csv_bytes(
                    frame,
                    view,
                    language,
                    currency=settings["currency"],
                    field_names=field_names,
                )
            return excel_bytes(frame, view, name, field_names=field_names)

        return make

    left, right, _ = st.columns([1, 1, 2])
    left.download_button(
        t("common.download_csv"),
        build("csv"),
        f"{name}.csv",
        "text/csv",
        key=f"csv_{key}",
        on_click="ignore",
        icon=":material/download:",
    )
    too_large = len(frame) > EXCEL_MAX_ROWS
    right.download_button(
        t("common.download_excel"),
        build("xlsx"),
        f"{name}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"xlsx_{key}",
        on_click="ignore",
        icon=":material/table:",
        disabled=too_large,
        help=t("common.excel_too_large", rows=fmt_number(len(frame))) if too_large else None,
    )


# -- navigation ----------------------------------------------------------------------------
MANAGE_PAGES = {"data", "settings"}


def navigation(current: access.Viewer) -> dict[str, list[st.Page]]:
    """The pages this viewer's role may open, in two sections."""
    sections: dict[str, list[st.Page]] = {t("nav.section_club"): [], t("nav.section_manage"): []}
    for spec in access.pages_for(current.role):
        section = t("nav.section_manage") if spec.key in MANAGE_PAGES else t("nav.section_club")
        sections[section].append(
            st.Page(
                spec.file,
                title=t(spec.title_key(current.role)),
                icon=spec.icon,
                url_path=spec.key,
                default=spec.key == "overview",
            )
        )
    return {name: pages for name, pages in sections.items() if pages}


def fmt_number(value, digits: int = 0) -> str:
    return i18n.fmt_number(value, lang(), digits)


def fmt_percent(value, digits: int = 0) -> str:
    return i18n.fmt_percent(value, lang(), digits)


def fmt_date(value) -> str:
    return i18n.fmt_date(value, lang())


MARKDOWN_SPECIALS = "\\`*_{}[]<>()#+-.!|~$"


def markdown_escape(text: object) -> str:
    """Data shown inside markdown is escaped so it renders as the text it is."""
    return "".join("\\" + ch if ch in MARKDOWN_SPECIALS else ch for ch in str(text))


def show_error(exc: BaseException) -> None:
    """An error a person caused, in their language, rendered as the text it is (file names,
    column headers and values inside it never become Markdown)."""
    text = errors.message(exc, lang())
    st.error("  \n".join(markdown_escape(line) for line in text.splitlines()))


def currency() -> str:
    """The currency every cost and budget is shown in (the `currency` setting)."""
    return str(current_settings(database())["currency"])
