"""A curator imports a Russian HR export over the English demo bank in a real browser: the
values step proposes ИТ → IT and Финансы → Finance, the curator types a mapping for a value
nothing matched, the dry run shows the counts, the import applies the mappings and the
exported table holds the mapped values."""

import csv
import io

from playwright.sync_api import expect

from lib.i18n import t
from tests.e2e.test_smoke import download_from, settled

ROW_PX = 35
# The value step's columns, as pages/data.py orders them; "Map to" is the last.
MAP_TO_COLUMN = 7


def type_into_cell(page, grid, row: int, column: int, text: str) -> None:
    """Select an empty cell of a data editor by keyboard from its first column, open its
    editor and type into it."""
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 20, box["y"] + ROW_PX * (row + 1) + ROW_PX / 2)
    for _ in range(column):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    editor = page.locator("#portal textarea.gdg-input")
    expect(editor).to_be_visible()
    editor.fill(text)
    editor.press("Enter")
    expect(editor).to_have_count(0)


def test_import_with_value_mapping(page, app_url, tmp_path):
    upload = tmp_path / "hr_export_ru.csv"
    upload.write_text(
        "Табельный номер;ФИО;Подразделение;Дата приёма\n"
        "X910001;Ирина Новая;ИТ;01.09.2025\n"
        "X910002;Олег Новый;Финансы;15.10.2025\n"
        "X910003;Пётр Третий;Отдел продаж Х;15.10.2025\n",
        encoding="cp1251",
    )
    page.goto(f"{app_url}/data")
    settled(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(upload))
    settled(page)
    expect(page.get_by_text(t("data.values_heading"))).to_be_visible()
    grid = page.locator("[data-testid='stDataFrame']:visible").first
    expect(grid).to_be_visible()
    # rows by value: ИТ, Отдел продаж Х, Финансы — the second has no proposal
    expect(page.get_by_text(t("data.values_summary", mapped=2, kept=1, rejected=0))).to_be_visible()
    type_into_cell(page, grid, 1, MAP_TO_COLUMN, "Operations")
    expect(page.get_by_text(t("data.values_summary", mapped=3, kept=0, rejected=0))).to_be_visible()
    settled(page)

    page.get_by_role("button", name=t("data.dry_run")).click()
    settled(page)
    expect(page.get_by_text("would insert 3, update 0 and leave 0 unchanged")).to_be_visible()
    metric = page.get_by_test_id("stMetric").filter(has_text=t("data.metric_mapped"))
    expect(metric.get_by_test_id("stMetricValue")).to_have_text("3")

    page.get_by_role("button", name=t("data.import_strict")).click()
    settled(page)
    expect(page.get_by_text("3 inserted")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)

    page.get_by_role("tab", name=t("data.tab_export")).click()
    page.get_by_test_id("stSelectbox").filter(has_text=t("data.export_choose")).click()
    page.get_by_role("option", name=t("data.export_table", name="people"), exact=True).click()
    page.get_by_role("button", name=t("data.export_prepare")).click()
    panel = page.get_by_role("tabpanel", name=t("data.tab_export"))
    expect(panel.get_by_test_id("stDataFrame")).to_be_visible()
    download = download_from(page, panel.get_by_role("button", name=t("common.download_csv")).first)
    rows = csv.DictReader(io.StringIO(download.path().read_text(encoding="utf-8-sig")))
    departments = {r["person_id"]: r["department"] for r in rows if r["person_id"][:3] == "X91"}
    assert departments == {"X910001": "IT", "X910002": "Finance", "X910003": "Operations"}
