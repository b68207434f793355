"""Load: twenty browser sessions use the app while a curator imports a file through the Data
page — every session renders, the import lands once, nothing errors."""

import asyncio
import shutil
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
from playwright.async_api import async_playwright, expect

from lib.i18n import t
from lib.store.db import Database
from tests.e2e.conftest import ACTION_MS, CHROMIUM_ARGS, NAVIGATION_MS, chromium_path, start_app

SESSIONS = 20
PATHS = ["", "expertise_map", "recruitment_gaps", "engagement", "interviews", "charter"]
NEWCOMERS = 300


async def visit(browser, url: str) -> list[str]:
    """One user opening one page; returns what went wrong, if anything."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_navigation_timeout(NAVIGATION_MS)
    context.set_default_timeout(ACTION_MS)
    page = await context.new_page()
    try:
        await page.goto(url)
        await expect(page.get_by_test_id("stMain").locator("h1").first).to_be_visible(
            timeout=180_000
        )
        await expect(page.get_by_test_id("stApp")).to_have_attribute(
            "data-test-script-state", "notRunning", timeout=180_000
        )
        problems = [
            f"{url}: exception" for _ in range(await page.get_by_test_id("stException").count())
        ]
        if await page.get_by_text(t("app.no_access")).count():
            problems.append(f"{url}: refused")
        return problems
    finally:
        await context.close()


async def curator_imports(browser, url: str, upload) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_navigation_timeout(NAVIGATION_MS)
    context.set_default_timeout(ACTION_MS)
    page = await context.new_page()
    await page.goto(f"{url}/data")
    await expect(page.get_by_test_id("stFileUploaderDropzoneInput")).to_be_attached(timeout=180_000)
    await page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(upload))
    await expect(page.get_by_role("button", name=t("data.import_strict"))).to_be_visible(
        timeout=180_000
    )
    await page.get_by_role("button", name=t("data.import_strict")).click()
    await expect(page.get_by_text(f"{NEWCOMERS} inserted")).to_be_visible(timeout=180_000)
    await context.close()


async def crowd(url: str, upload) -> list[str]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS
        )
        visits = [visit(browser, f"{url}/{PATHS[n % len(PATHS)]}") for n in range(SESSIONS)]
        results = await asyncio.gather(curator_imports(browser, url, upload), *visits)
        await browser.close()
    return [problem for found in results[1:] for problem in found]


def test_twenty_sessions_while_a_curator_imports(chromium, demo_db_path, tmp_path):
    served = tmp_path / "load.duckdb"
    shutil.copy(demo_db_path, served)
    upload = tmp_path / "newcomers.csv"
    pd.DataFrame(
        {
            "person_id": [f"N{i:04d}" for i in range(NEWCOMERS)],
            "name": [f"New colleague {i}" for i in range(NEWCOMERS)],
            "department": ["IT"] * NEWCOMERS,
        }
    ).to_csv(upload, index=False)
    before = Database(served)
    people_before = before.count("people")
    before.close()
    process, url = start_app(served)
    try:
        # The async browser runs in its own thread: the session's sync browser owns this loop.
        with ThreadPoolExecutor(max_workers=1) as runner:
            problems = runner.submit(asyncio.run, crowd(url, upload)).result(timeout=900)
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert problems == []
    db = Database(served)
    assert db.count("people") == people_before + NEWCOMERS
    imports = db.rows("SELECT inserted, updated FROM audit_log WHERE action = 'import'")
    assert imports == [(NEWCOMERS, 0)]
    db.close()
