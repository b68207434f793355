"""The leadership report for the board pack: one self-contained HTML file (charts included,
opens offline) and the same page printed to PDF by the system Chromium."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from lib.errors import Refusal

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class Tile:
    label: str
    value: str
    delta: str = ""


@cache
def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    return environment.get_template("board_report.html.j2")


def board_html(
    title: str,
    meta: str,
    tiles: list[Tile],
    summary: list[str],
    charts: list[tuple[str, go.Figure]],
    lang: str = "en",
) -> str:
    """A complete HTML document from `templates/board_report.html.j2`: every text is escaped
    by the template, plotly.js is embedded so the file opens offline."""
    static = {"staticPlot": True}
    figures = [
        (heading, figure.to_html(full_html=False, include_plotlyjs=False, config=static))
        for heading, figure in charts
    ]
    return _template().render(
        lang=lang,
        title=title,
        meta=meta,
        tiles=tiles,
        summary=summary,
        charts=figures,
        plotly_js=get_plotlyjs(),
    )


def chromium_path() -> str | None:
    for candidate in (
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def html_to_pdf(document: str) -> bytes:
    """Print an HTML document to A4 PDF with the system Chromium.

    Runs in a worker thread: Playwright's sync API refuses a thread with an event loop."""
    browser_path = chromium_path()
    if browser_path is None:
        raise Refusal("data.err_board_pdf")
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(_print, document, browser_path).result(timeout=120)


def _print(document: str, browser_path: str) -> bytes:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=browser_path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        try:
            page = browser.new_page()
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
            browser.close()
