"""What every page shares: the database handle, the viewer, language, filters, caching,
downloads and chart style. The only place besides pages that imports streamlit."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lib import access, charts, demo, deployment, errors, formatting, i18n, logs, serving
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
from lib.store.replica import Replica
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
    # The URL carries the language's name once chosen here; a link may also say `?lang=ru`.
    asked = st.query_params.get("lang")
    if asked in options and st.session_state.get("lang") != asked:
        st.session_state["lang"] = asked
    st.sidebar.selectbox(
        i18n.t("app.language", browser),
        options,
        index=options.index(browser),
        format_func=lambda code: i18n.t(f"languages.{code}", code),
        key="lang",
        bind="query-params",
    )


# -- database ---------------------------------------------------------------------------
RUN_DATABASE = "_run_database"


@st.cache_resource(show_spinner=False)
def _database(path: str) -> Database:
    return open_database(path, wait_s=deployment.current(path or None).open_wait_s)


@st.cache_resource(show_spinner=False)
def _serving(path: str) -> serving.Serving:
    """Jobs from the command line and snapshot publishing: started once per writer process."""
    return serving.start_writer(_database(path), deployment.current(path or None))


@st.cache_resource(show_spinner=False)
def _replica(directory: str, writer_url: str) -> Replica:
    return Replica(directory, writer_url)


def setup() -> deployment.Deployment:
    return deployment.current(os.environ.get("EXPERTISE_DB") or None)


def replica() -> Replica | None:
    """This process's replica of the published snapshots, or None in the writer."""
    current = setup()
    if not current.is_replica:
        return None
    return _replica(str(current.replica_of), current.writer_url)


def open_for_run() -> Database:
    """At the start of a run (app.py): the database the whole run reads. A replica moves to a
    newer snapshot here and only here, so a page never mixes two. A clear message instead of a
    traceback when no database can be used."""
    path = str(os.environ.get("EXPERTISE_DB") or "")
    try:
        copy = replica()
        if copy is not None:
            db = copy.latest()
        else:
            db = _database(path)
            _serving(path)
    except DatabaseError as exc:
        st.error(t("app.database_error", reason=markdown_escape(errors.message(exc, lang()))))
        # No page can open: an empty, hidden navigation instead of the `pages/` folder's files.
        st.navigation([st.Page(_unavailable, url_path="unavailable")], position="hidden")
        st.stop()
    st.session_state[RUN_DATABASE] = db
    return db


def database() -> Database:
    """The database of this run (see `open_for_run`). Outside a run (a test harness formatting
    widget options afterwards) there is no run to pin it: the configured database is used."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    if get_script_run_ctx(suppress_warning=True) is None:
        copy = replica()
        return (
            copy.latest() if copy is not None else _database(os.environ.get("EXPERTISE_DB") or "")
        )
    pinned = st.session_state.get(RUN_DATABASE)
    return pinned if pinned is not None else open_for_run()


def replica_notice() -> None:
    """In a replica: that this is a read-only copy, of when, where changes are made, and a
    newer snapshot that could not be used."""
    copy = replica()
    if copy is None or copy.snapshot is None:
        return
    url = copy.writer_url or t("ops.writer_unknown")
    st.sidebar.caption(
        t("ops.replica_banner", version=fmt_number(copy.snapshot.data_version), url=url)
    )
    if copy.problem is not None:
        st.warning(
            t(
                "ops.replica_problem",
                reason=markdown_escape(errors.message(copy.problem, lang())),
                version=fmt_number(copy.snapshot.data_version),
            ),
            icon=":material/sync_problem:",
        )


def writer_note() -> str | None:
    """In a replica: the sentence that says downloads (audited) are made on the writer."""
    copy = replica()
    if copy is None:
        return None
    return t("ops.downloads_on_writer", url=copy.writer_url or t("ops.writer_unknown"))


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
        logs.fault("pages", exc)
        show_error(fault(exc, resolve_path(os.environ.get("EXPERTISE_DB")).name))


def ensure_seeded(db: Database) -> None:
    """First run: an empty database is filled with the demo tier, with visible progress."""
    if db.read_only or db.count("people") or os.environ.get("EXPERTISE_DEMO_TIER") == "none":
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
def _filter_options(_db: Database, path: str, version: int) -> tuple[list[str], list[int]]:
    return filter_options(_db)


def sidebar_filters(db: Database) -> None:
    """Department, wave and period in the sidebar, kept in the URL so views can be shared."""
    departments, waves = _filter_options(db, str(db.path), db.data_version())
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
    note = writer_note()
    if note:
        st.caption(note)
        return
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

    row = st.container(horizontal=True)
    row.download_button(
        t("common.download_csv"),
        build("csv"),
        f"{name}.csv",
        "text/csv",
        key=f"csv_{key}",
        on_click="ignore",
        icon=":material/download:",
    )
    too_large = len(frame) > EXCEL_MAX_ROWS
    row.download_button(
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
    return formatting.number(value, lang(), digits)


def fmt_percent(value, digits: int = 0) -> str:
    return formatting.percent(value, lang(), digits)


def fmt_money(value) -> str:
    """An amount in the currency every cost and budget is shown in: "1 000 000 ₽"."""
    from lib import formatting

    return formatting.money(value, lang(), currency())


def date_format() -> str:
    """How date inputs and editor date cells write a date for this reader."""
    return DATE_FORMATS.get(lang(), DATE_FORMATS[i18n.DEFAULT_LANGUAGE])


DATE_FORMATS = {"ru": "DD.MM.YYYY", "en": "YYYY-MM-DD"}


def fmt_date(value) -> str:
    return formatting.day(value, lang())


MARKDOWN_SPECIALS = "\\`*_{}[]<>()#+-.!|~$"


# A web address made only of these characters is left as it is: Markdown shows it as a link,
# and a backslash put inside it would become part of the link.
PLAIN_URL = re.compile(r"https?://[A-Za-z0-9.:/?#=&%+,;@!-]+(?=\s|$)")


def markdown_escape(text: object) -> str:
    """Data shown inside markdown is escaped so it renders as the text it is."""
    text = str(text)
    shown, last = [], 0
    for url in PLAIN_URL.finditer(text):
        shown.append(_escaped(text[last : url.start()]))
        shown.append(url.group())
        last = url.end()
    shown.append(_escaped(text[last:]))
    return "".join(shown)


def _escaped(text: str) -> str:
    return "".join("\\" + ch if ch in MARKDOWN_SPECIALS else ch for ch in text)


def show_error(exc: BaseException) -> None:
    """An error a person caused, in their language, rendered as the text it is (file names,
    column headers and values inside it never become Markdown)."""
    logs.refusal("pages", exc)
    text = errors.message(exc, lang())
    st.error("  \n".join(markdown_escape(line) for line in text.splitlines()))


def currency() -> str:
    """The currency every cost and budget is shown in (the `currency` setting)."""
    return str(current_settings(database())["currency"])
