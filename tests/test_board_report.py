"""The board report: self-contained, escaped, decisions first, charts that fit A4, the gaps,
bus-factor and at-risk sections in both languages, and a PDF from a warm Chromium."""

import os

import plotly.graph_objects as go
import pytest

from lib.access import Viewer
from lib.board import board_report
from lib.board.board_report import (
    PAGE_WIDTH,
    Report,
    Section,
    Tile,
    board_html,
    chromium_path,
    html_to_pdf,
)
from lib.board.decisions import Cost, Decision
from lib.board.report import build_report
from lib.filters import Filters
from lib.store.db import Database
from tests.conftest import AS_OF


def report(text: str = "", **changes) -> Report:
    values = {
        "title": "Club <report>",
        "meta": "As of 15 Nov 2026",
        "decisions_heading": "Decisions needed",
        "decisions": [("Invite <two>", "backed by Recruitment gaps")],
        "no_decisions": "Nothing",
        "tiles": [Tile("Active <b>", "104", "+4")],
        "summary": ["Coverage rose from 61% to 68%.", "<script>alert(1)</script>"],
        "sections": [Section("Gaps", ["Skill", "Gap"], [["Trade <finance>", "2"]], numbers=(1,))],
        "charts": [("Members", go.Figure(go.Bar(x=["IT", "Risk"], y=[3, 5])))],
        "lang": "en",
    }
    if text:
        values.update(dict.fromkeys(("title", "meta", "decisions_heading", "no_decisions"), text))
        values.update(
            decisions=[(text, text)],
            tiles=[Tile(text, text, text)],
            summary=[text],
            sections=[Section(text, [text], [[text]], lead=text, note=text)],
            charts=[(text, go.Figure())],
        )
    return Report(**{**values, **changes})


def test_html_is_self_contained_and_escaped():
    document = board_html(report())
    assert document.startswith("<!DOCTYPE html>")
    assert "Plotly.newPlot" in document and 'src="http' not in document
    assert "<script>alert(1)</script>" not in document
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert "Club &lt;report&gt;" in document and "Active &lt;b&gt;" in document
    assert "Trade &lt;finance&gt;" in document and "Invite &lt;two&gt;" in document
    assert document.index("Decisions needed") < document.index("Active &lt;b&gt;")


def test_every_value_is_escaped():
    hostile = "<i>x</i>"
    document = board_html(report(hostile, lang='"><script>'))
    assert hostile not in document and '<script>"' not in document
    assert document.count("&lt;i&gt;x&lt;/i&gt;") == 16
    assert '<html lang="&#34;&gt;&lt;script&gt;">' in document


def test_charts_are_drawn_at_the_page_width():
    document = board_html(report())
    assert f'"width":{PAGE_WIDTH}' in document.replace(" ", "")
    assert "size: A4 portrait" in document


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_demo_report_has_every_section(demo_db_path, lang):
    db = Database(demo_db_path)
    built = build_report(db, Viewer("leadership"), Filters(as_of=AS_OF), lang)
    db.close()
    assert 1 <= len(built.decisions) <= 3
    assert built.tiles[0].label == ("Active members" if lang == "en" else "Активные участники")
    headings = [s.heading for s in built.sections]
    assert headings == (
        ["Gaps to the target profile", "Bus-factor risks", "Members at risk"]
        if lang == "en"
        else ["Пробелы до целевого профиля", "Риски бас-фактора", "Участники в зоне риска"]
    )
    at_risk = built.sections[2]
    assert all(len(row) == 4 for row in at_risk.rows)  # department, scored, at risk, share
    assert len(built.charts) == 3


def test_pdf_is_printed_by_a_warm_chromium():
    if chromium_path() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required in CI")
        pytest.skip("Chromium is not installed")
    document = board_html(report())
    first = html_to_pdf(document)
    printer = board_report._PRINTER._thread
    second = html_to_pdf(document)
    assert first.startswith(b"%PDF") and second.startswith(b"%PDF") and len(second) > 5_000
    assert board_report._PRINTER._thread is printer and printer.is_alive()  # browser reused


@pytest.mark.parametrize(
    ("cost", "lang", "worded"),
    [
        (Cost(0.0, 15.0), "en", "(no budget, 15.0 curator hours)."),
        (Cost(25_000.0, 4.0), "en", "(25,000\u00a0₽)."),
        (Cost(0.0, 15.0), "ru", "(без бюджета, 15,0 ч куратора)."),
        (Cost(25_000.0, 4.0), "ru", "(25\u00a0000\u00a0₽)."),
    ],
)
def test_a_plan_lines_cost_is_worded_in_the_readers_language(cost, lang, worded):
    params = {"count": 12, "mechanic": "M", "people": 3, "cost": cost}
    assert Decision("at_risk_plan", 1.0, "action_plan", params).text(lang).endswith(worded)
