import os

import plotly.graph_objects as go
import pytest

from lib.board.board_report import Tile, board_html, chromium_path, html_to_pdf


def sample() -> str:
    fig = go.Figure(go.Bar(x=["IT", "Risk"], y=[3, 5]))
    return board_html(
        "Club <report>",
        "As of 15 Nov 2026",
        [Tile("Active <b>", "104", "+4")],
        ["Coverage rose from 61% to 68%.", "<script>alert(1)</script>"],
        [("Members", fig)],
    )


def test_html_is_self_contained_and_escaped():
    document = sample()
    assert document.startswith("<!DOCTYPE html>")
    assert "Plotly.newPlot" in document and 'src="http' not in document
    assert "<script>alert(1)</script>" not in document
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert "Club &lt;report&gt;" in document and "Active &lt;b&gt;" in document


def test_every_value_is_escaped():
    hostile = "<i>x</i>"
    document = board_html(
        hostile,
        hostile,
        [Tile(hostile, hostile, hostile)],
        [hostile],
        [(hostile, go.Figure())],
        lang='"><script>',
    )
    assert hostile not in document and '<script>"' not in document
    assert document.count("&lt;i&gt;x&lt;/i&gt;") == 8
    assert '<html lang="&#34;&gt;&lt;script&gt;">' in document


def test_pdf_is_printed_by_chromium():
    if chromium_path() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required in CI")
        pytest.skip("Chromium is not installed")
    pdf = html_to_pdf(sample())
    assert pdf.startswith(b"%PDF") and len(pdf) > 5_000
