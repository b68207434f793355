"""The leadership report for the board pack: one self-contained HTML file (charts included,
opens offline) and the same page printed to PDF by the system Chromium."""

from __future__ import annotations

import importlib.util
import queue
import shutil
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from lib.errors import Refusal

TEMPLATES = Path(__file__).resolve().parent / "templates"


# A4 portrait less 10 mm margins each side, in CSS pixels (96 per inch): charts are drawn at
# this width so nothing is cut at the right edge.
PAGE_WIDTH = 700


@dataclass(frozen=True)
class Tile:
    label: str
    value: str
    delta: str = ""


@dataclass(frozen=True)
class Section:
    """A table of the report: rows of text already formatted for the reader."""

    heading: str
    headers: list[str]
    rows: list[list[str]]
    lead: str = ""
    note: str = ""
    empty: str = ""
    numbers: tuple[int, ...] = ()


@cache
def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    return environment.get_template("board_report.html.j2")


@dataclass(frozen=True)
class Report:
    """Everything the board report shows, as text in the reader's language and figures."""

    title: str
    meta: str
    decisions_heading: str
    decisions: list[tuple[str, str]]
    no_decisions: str
    tiles: list[Tile]
    summary: list[str]
    sections: list[Section]
    charts: list[tuple[str, go.Figure]]
    lang: str = "en"


def board_html(report: Report) -> str:
    """A complete HTML document from `templates/board_report.html.j2`: every text is escaped
    by the template, plotly.js is embedded so the file opens offline, and every chart is drawn
    at the page's width so it fits A4 portrait."""
    static = {"staticPlot": True, "responsive": False}
    figures = [
        (
            heading,
            go.Figure(figure)
            .update_layout(width=PAGE_WIDTH, autosize=False)
            .to_html(full_html=False, include_plotlyjs=False, config=static),
        )
        for heading, figure in report.charts
    ]
    return _template().render(
        lang=report.lang,
        title=report.title,
        meta=report.meta,
        decisions_heading=report.decisions_heading,
        decisions=report.decisions,
        no_decisions=report.no_decisions,
        tiles=report.tiles,
        summary=report.summary,
        sections=report.sections,
        charts=figures,
        page_width=PAGE_WIDTH,
        plotly_js=_plotly_js(),
    )


@cache
def _plotly_js() -> str:
    return get_plotlyjs()


def chromium_path() -> str | None:
    for candidate in (
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def pdf_unavailable() -> Refusal | None:
    """Why this server cannot print the PDF report (no Playwright driver, no Chromium), with
    how to enable it; None when it can."""
    if importlib.util.find_spec("playwright") is None:
        return Refusal("ops.pdf_no_driver")
    if chromium_path() is None:
        return Refusal("data.err_board_pdf")
    return None


def html_to_pdf(document: str) -> bytes:
    """Print an HTML document to an A4 PDF with the system Chromium, kept open between reports
    so a warm print takes about a second."""
    missing = pdf_unavailable()
    if missing is not None:
        raise missing
    return _PRINTER.print(document, chromium_path())


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
PRINT_TIMEOUT_S = 120


class _Printer:
    """One Chromium driven by one thread: Playwright's sync API belongs to the thread that
    started it, so reports are queued to that thread; the first starts the browser, the next
    reuse it, and a browser that went away is started again."""

    def __init__(self):
        self._jobs: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def print(self, document: str, browser_path: str) -> bytes:
        done: Future = Future()
        self._jobs.put((document, done))
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._serve, args=(browser_path,), name="board-printer", daemon=True
                )
                self._thread.start()
        return done.result(timeout=PRINT_TIMEOUT_S)

    def _serve(self, browser_path: str) -> None:
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=browser_path, args=CHROMIUM_ARGS
                )
                while browser.is_connected():
                    document, done = self._jobs.get()
                    try:
                        done.set_result(_render(browser, document))
                    except Exception as exc:  # the caller gets it, the browser lives on
                        done.set_exception(exc)
        except Exception as exc:
            while not self._jobs.empty():
                self._jobs.get_nowait()[1].set_exception(exc)


def _render(browser, document: str) -> bytes:
    page = browser.new_page()
    try:
        page.set_content(document, wait_until="load")
        page.wait_for_function(
            "document.querySelectorAll('.js-plotly-plot').length >= "
            "document.querySelectorAll('.chart').length"
        )
        return page.pdf(
            format="A4",
            print_background=True,
            margin={"top": "12mm", "bottom": "12mm", "left": "10mm", "right": "10mm"},
        )
    finally:
        page.close()


_PRINTER = _Printer()
