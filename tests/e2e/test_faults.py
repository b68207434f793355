"""Faults in the browser: a damaged database file and a hostile workbook each give one clear
line, never Streamlit's error page, and a damaged file lists no page to open."""

import shutil
import time

from playwright.sync_api import expect

from lib.i18n import t
from tests import hostile_files
from tests.e2e.conftest import new_context, start_app
from tests.e2e.test_smoke import settled


def test_a_truncated_database_says_restore_from_a_backup(chromium, tiny_template, tmp_path):
    served = tmp_path / "expertise.duckdb"
    shutil.copy(tiny_template, served)
    hostile_files.truncate(served)
    process, url = start_app(served)
    context = new_context(chromium)
    page = context.new_page()
    try:
        page.goto(url)
        alert = page.get_by_test_id("stAlert")
        expect(alert).to_have_text(
            "The database cannot be used: The database expertise.duckdb is damaged or not a "
            "DuckDB file; restore it from a backup.",
            timeout=60_000,
        )
        expect(page.get_by_test_id("stException")).to_have_count(0)
        expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
    finally:
        context.close()
        process.terminate()
        process.wait(timeout=20)


def test_a_2_mb_workbook_with_30_million_strings_is_refused_at_once(
    chromium, tiny_template, tmp_path
):
    served = tmp_path / "page.duckdb"
    shutil.copy(tiny_template, served)
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(hostile_files.shared_strings_bomb(30_000_000))
    process, url = start_app(served)
    context = new_context(chromium)
    page = context.new_page()
    try:
        page.goto(f"{url}/data")
        settled(page)
        started = time.monotonic()
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(bomb))
        refusal = page.get_by_test_id("stAlert").filter(has_text="xl/sharedStrings.xml")
        expect(refusal).to_have_text(
            "The Excel file was refused: its part xl/sharedStrings.xml unpacks to 486 MB, more "
            "than the 256 MB a part may take. Save the sheet as CSV.",
            timeout=60_000,
        )
        assert time.monotonic() - started < 30  # upload, rerun and draw; the refusal is ms
        expect(page.get_by_text(t("data.mapping_heading"), exact=True)).to_have_count(0)
        expect(page.get_by_test_id("stException")).to_have_count(0)
    finally:
        context.close()
        process.terminate()
        process.wait(timeout=20)
