"""Operating it: the running app's requirements hold the PDF driver, a server without Chromium
says why there is no PDF and how to get it, and the log names the actor and counts, never file
names, details or a refused value."""

from __future__ import annotations

import importlib.util
import logging

import pandas as pd

from lib import access, logs
from lib.board import board_report
from lib.io import ingest
from tests.conftest import ROOT, app_test


def test_the_running_app_requires_the_pdf_driver():
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert any(line.startswith("playwright") for line in lines)


def test_pdf_unavailable_says_why_and_how(monkeypatch):
    monkeypatch.setattr(board_report, "chromium_path", lambda: None)
    assert "apt-get install chromium" in board_report.pdf_unavailable().text("en")
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "playwright" else real_find_spec(name, *a),
    )
    missing = board_report.pdf_unavailable()
    assert "pip install -r requirements.txt" in missing.text("en")
    assert "Playwright" in missing.text("ru")


def test_the_overview_disables_pdf_without_chromium(app_env, monkeypatch):
    monkeypatch.setattr(board_report, "chromium_path", lambda: None)
    at = app_test("leadership")
    assert not at.exception
    pdf = next(b for b in at.get("download_button") if "PDF" in b.proto.label)
    assert pdf.proto.disabled
    assert any("needs Chromium on the server" in c.value for c in at.main.caption)


def test_the_log_names_the_actor_and_counts_only(tiny_db, tmp_path, caplog):
    upload = tmp_path / "secret-salaries.csv"
    pd.DataFrame({"person_id": ["L1", "L2"], "name": ["Ann Private", "Bob Private"]}).to_csv(
        upload, index=False
    )
    curator = access.Viewer("curator", email="curator@bank.example")
    product = logs.configure()  # as the app and the command line do: no propagation to root
    product.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.INFO, logger="expertise"):
            ingest.import_file(tiny_db, curator, "people", upload, mode="dry-run")
            ingest.import_file(tiny_db, curator, "people", upload, mode="strict")
    finally:
        product.removeHandler(caplog.handler)
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("expertise")]
    assert "import people dry-run by curator@bank.example wrote nothing: rows=2 problems=0" in lines
    written = [line for line in lines if line.startswith("import by curator@bank.example")]
    assert len(written) == 1 and "inserted=2" in written[0]
    text = "\n".join(lines)
    assert "secret-salaries" not in text and "Private" not in text and "mode" not in text
