"""Key journeys in a real browser: share a filtered map, import a file with a column mapping,
build and download a shortlist, switch the language."""

import csv
import io

from playwright.sync_api import expect

from lib.i18n import t
from tests.e2e.conftest import new_context
from tests.e2e.test_smoke import choose_role, download_from, settled


def metric_values(page) -> list[str]:
    expect(page.get_by_test_id("stMetricValue").first).to_be_visible(timeout=60_000)
    return [m.inner_text() for m in page.get_by_test_id("stMetricValue").all()]


def test_filtered_map_is_shared_by_its_url(chromium, app_url):
    first = new_context(chromium, 1440, 1000)
    page = first.new_page()
    page.goto(f"{app_url}/expertise_map")
    settled(page)
    everyone = metric_values(page)
    page.get_by_test_id("stMultiSelect").filter(has_text=t("filters.department")).click()
    page.get_by_role("option", name="IT", exact=True).click()
    page.keyboard.press("Escape")
    page.wait_for_url("**department=IT**", timeout=30_000)
    expect(page.get_by_test_id("stMetricValue").first).not_to_have_text(everyone[0], timeout=60_000)
    settled(page)
    expect(page.get_by_test_id("stMetricValue")).to_have_count(len(everyone))
    narrowed = metric_values(page)
    shared_url = page.url
    first.close()

    second = new_context(chromium, 1440, 1000)
    other = second.new_page()
    other.goto(shared_url)
    settled(other)
    expect(
        other.get_by_test_id("stMultiSelect").filter(has_text=t("filters.department"))
    ).to_contain_text("IT")
    expect(other.get_by_test_id("stMetricValue")).to_have_text(narrowed, timeout=60_000)
    second.close()


def test_curator_imports_a_csv_with_a_column_mapping(page, app_url, tmp_path):
    upload = tmp_path / "hr_export.csv"
    upload.write_text(
        "Табельный номер;ФИО;Подразделение;Дата приёма\n"
        "X900001;Ирина Новая;ИТ;01.09.2025\n"
        "X900002;Олег Новый;Риски;15.10.2025\n",
        encoding="cp1251",
    )
    page.goto(f"{app_url}/data")
    settled(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(upload))
    settled(page)
    expect(page.get_by_text(t("data.mapping_heading"))).to_be_visible(timeout=30_000)
    page.get_by_role("button", name=t("data.import_strict")).click()
    settled(page)
    expect(page.get_by_text("2 inserted")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_planner_builds_and_downloads_a_shortlist(page, app_url):
    page.goto(f"{app_url}/recruitment_gaps")
    settled(page)
    choose_role(page, "planner")
    settled(page)
    page.get_by_role("tab", name=t("gaps.tab_second_wave")).click()
    settled(page)
    panel = page.get_by_role("tabpanel", name=t("gaps.tab_second_wave"))
    expect(panel.get_by_test_id("stDataFrame").first).to_be_visible(timeout=60_000)
    download = download_from(page, panel.get_by_role("button", name=t("common.download_csv")).first)
    text = download.path().read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 20
    assert all(any(cell for cell in row.values()) for row in rows)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_language_switch(page, app_url):
    page.goto(app_url)
    settled(page)
    expect(page.get_by_test_id("stMain").locator("h1").first).to_have_text(
        t("overview.title", "en")
    )
    page.get_by_test_id("stSelectbox").filter(has_text=t("app.language")).click()
    page.get_by_role("option", name="Русский").click()
    settled(page)
    expect(page.get_by_test_id("stMain").locator("h1").first).to_have_text(
        t("overview.title", "ru")
    )
    page.wait_for_url("**lang=**")
    expect(page.get_by_text(t("app.local_mode_banner", "ru"))).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
