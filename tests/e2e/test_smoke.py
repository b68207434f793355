"""Every page opens in Chromium, for every role that may open it, with no exception box."""

import pytest
from playwright.sync_api import expect

from lib import access
from tests.conftest import ROOT

EXISTING = [p for p in access.PAGES if (ROOT / p.file).exists()]


def open_page(page, app_url, key: str, role: str):
    page.goto(f"{app_url}/{'' if key == 'overview' else key}")
    expect(page.get_by_test_id("stApp")).to_be_visible(timeout=30_000)
    box = page.get_by_test_id("stSelectbox").filter(has_text="Role")
    box.click()
    page.get_by_role("option", name=role_label(role), exact=True).click()
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=30_000)


def role_label(role: str) -> str:
    from lib.i18n import t

    return t(f"roles.{role}")


@pytest.mark.parametrize("spec", EXISTING, ids=lambda p: p.key)
def test_page_opens_without_exception(page, app_url, spec):
    for role in sorted(spec.roles):
        open_page(page, app_url, spec.key, role)
        expect(page.get_by_test_id("stMain")).to_be_visible()
        expect(page.get_by_test_id("stException")).to_have_count(0)
        expect(
            page.locator(
                ".js-plotly-plot, [data-testid='stDataFrame'], [data-testid='stMarkdown']"
            ).first
        ).to_be_visible(timeout=30_000)


def test_overview_draws_its_charts(page, app_url):
    page.goto(app_url)
    expect(page.locator(".js-plotly-plot")).to_have_count(3, timeout=30_000)
    expect(page.get_by_text("Local mode")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
