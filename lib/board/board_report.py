"""The leadership report for the board pack: one self-contained HTML file (charts included,
opens offline) and the same page printed to PDF by the system Chromium."""

from __future__ import annotations

import html
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

STYLE = """
body { font-family: "Segoe UI", Inter, Arial, sans-serif; color: #1B2733; margin: 32px; }
h1 { color: #1F4E79; margin-bottom: 4px; }
.meta { color: #5b6b7b; margin-bottom: 24px; }
.tiles { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; margin: 16px 0; }
.tile { border: 1px solid #d9dee5; border-radius: 8px; padding: 12px 14px; }
.tile .label { color: #5b6b7b; font-size: 13px; }
.tile .value { font-size: 28px; font-weight: 600; }
.tile .delta { font-size: 13px; color: #5b6b7b; }
.summary { background: #F3F5F8; border-radius: 8px; padding: 12px 16px; }
.chart { page-break-inside: avoid; margin-top: 16px; }
"""


@dataclass(frozen=True)
class Tile:
    label: str
    value: str
    delta: str = ""


def board_html(
    title: str,
    meta: str,
    tiles: list[Tile],
    summary: list[str],
    charts: list[tuple[str, go.Figure]],
    lang: str = "en",
) -> str:
    """A complete HTML document; every text is escaped, plotly.js is embedded."""
    parts = [
        f"<!DOCTYPE html><html lang='{html.escape(lang)}'><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title><style>{STYLE}</style>",
        f"<script type='text/javascript'>{get_plotlyjs()}</script></head><body>",
        f"<h1>{html.escape(title)}</h1><div class='meta'>{html.escape(meta)}</div>",
        "<div class='tiles'>",
    ]
    for tile in tiles:
        parts.append(
            f"<div class='tile'><div class='label'>{html.escape(tile.label)}</div>"
            f"<div class='value'>{html.escape(tile.value)}</div>"
            f"<div class='delta'>{html.escape(tile.delta)}</div></div>"
        )
    parts.append("</div><div class='summary'><ul>")
    parts += [f"<li>{html.escape(line)}</li>" for line in summary]
    parts.append("</ul></div>")
    for heading, figure in charts:
        parts.append(f"<div class='chart'><h3>{html.escape(heading)}</h3>")
        parts.append(
            figure.to_html(full_html=False, include_plotlyjs=False, config={"staticPlot": True})
        )
        parts.append("</div>")
    parts.append("</body></html>")
    return "".join(parts)


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
        raise ValueError(
            "PDF export needs Chromium on the server; the HTML report works without it."
        )
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
