"""Every page opens in Chromium from its own URL, for every role that may open it, with no
exception box and its main content drawn."""

import shutil

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from lib import access
from lib.i18n import t
from tests.e2e.conftest import new_context, start_app

CONTENT = ".js-plotly-plot, [data-testid='stDataFrame'], [data-testid='stMarkdownContainer']"


def choose_role(page, role: str) -> None:
    page.get_by_test_id("stSelectbox").filter(has_text=t("app.role")).click()
    page.get_by_role("option", name=t(f"roles.{role}"), exact=True).click()


def settled(page) -> None:
    """Wait until the page has drawn its title and the script run is over."""
    expect(page.get_by_test_id("stMain").locator("h1").first).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("stApp")).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=60_000
    )


def pick_option(page, select, typed: str, option, attempts: int = 3) -> None:
    """Open a select box once the run has settled, type into it and click the option. A click
    that lands while a rerun redraws the box opens nothing; it is opened again."""
    for attempt in range(attempts):
        settled(page)
        select.click()
        try:
            expect(page.get_by_role("listbox")).to_be_visible(timeout=20_000)
            break
        except AssertionError:
            if attempt == attempts - 1:
                raise
    page.keyboard.type(typed)
    page.get_by_role("option", name=option).first.click()


def download_from(page, button, attempts: int = 3):
    """Click a download button once the script run is over and return the download. A click
    that lands while a rerun replaces the button's file yields no download; the button is
    clicked again after the run settles."""
    for attempt in range(attempts):
        settled(page)
        try:
            with page.expect_download(timeout=45_000) as download:
                button.click()
            return download.value
        except PlaywrightTimeoutError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def open_as(page, url: str, role: str) -> None:
    page.goto(url)
    expect(page.get_by_test_id("stSidebar")).to_be_visible(timeout=60_000)
    settled(page)
    choose_role(page, role)
    settled(page)


@pytest.mark.parametrize("spec", access.PAGES, ids=lambda p: p.key)
def test_page_opens_without_exception(page, app_url, spec):
    for role in sorted(spec.roles):
        open_as(page, f"{app_url}/{'' if spec.key == 'overview' else spec.key}", role)
        expect(page.get_by_test_id("stMain").locator("h1").first).to_be_visible()
        expect(page.get_by_text(t("app.no_access"))).to_have_count(0)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        expect(page.locator(CONTENT).first).to_be_visible(timeout=60_000)


def test_overview_draws_its_charts(page, app_url):
    page.goto(app_url)
    expect(page.locator(".js-plotly-plot")).to_have_count(3, timeout=60_000)
    expect(page.get_by_text(t("app.local_mode_banner"))).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_a_page_url_first_on_a_fresh_server_goes_through_the_router(
    chromium, demo_db_path, tmp_path
):
    """Streamlit's legacy `pages/` folder mode must never show a page without sign-in and role:
    the first request of a fresh server is a page URL, and it still gets the router."""
    served = tmp_path / "fresh.duckdb"
    shutil.copy(demo_db_path, served)
    process, url = start_app(served)
    context = new_context(chromium, 1440, 1000)
    try:
        page = context.new_page()
        page.goto(f"{url}/engagement")
        settled(page)
        expect(page.get_by_test_id("stMain").locator("h1").first).to_have_text(
            t("engagement.title"), timeout=60_000
        )
        expect(page.get_by_test_id("stSelectbox").filter(has_text=t("app.role"))).to_be_visible()
        nav = page.get_by_test_id("stSidebarNav")
        expect(nav).to_contain_text(t("nav.engagement"))
        for module in ("ui", "identity", "components"):
            expect(nav.get_by_role("link", name=module, exact=True)).to_have_count(0)
        expect(page.get_by_test_id("stException")).to_have_count(0)
    finally:
        context.close()
        process.terminate()
        process.wait(timeout=30)
