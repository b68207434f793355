"""Hostile text from the data renders as text in the browser: no script runs, no markup."""

import shutil

from playwright.sync_api import expect

from lib import access
from lib.insights import charter
from lib.store.db import Database
from tests.e2e.conftest import new_context, start_app

SCRIPT = "<script>alert(1)</script>"
CURATOR = access.Viewer("curator", email="curator@bank.example")


def test_hostile_charter_and_names_render_as_text(chromium, demo_db_path, tmp_path):
    served = tmp_path / "hostile.duckdb"
    shutil.copy(demo_db_path, served)
    db = Database(served)
    charter.save_charter(db, CURATOR, f"# Rules\n\nBe kind {SCRIPT} <b>not bold</b>\n")
    db.execute(
        "UPDATE people SET name = ? WHERE person_id = "
        "(SELECT person_id FROM memberships WHERE status = 'active' ORDER BY 1 LIMIT 1)",
        [f"{SCRIPT}'; DROP TABLE people; --"],
    )
    db.close()
    process, url = start_app(served)
    context = new_context(chromium, 1440, 1000)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(f"{url}/charter")
        body = page.get_by_test_id("stMarkdownContainer").filter(has_text="Be kind")
        expect(body.first).to_contain_text(f"Be kind {SCRIPT} <b>not bold</b>", timeout=60_000)
        assert body.first.locator("script, b").count() == 0
        page.goto(f"{url}/expertise_map")
        expect(page.get_by_test_id("stMain").locator("h1").first).to_be_visible(timeout=60_000)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        assert page.locator("main script").count() == 0
        assert dialogs == []
    finally:
        context.close()
        process.terminate()
        process.wait(timeout=30)
    assert Database(served).count("people") > 0
