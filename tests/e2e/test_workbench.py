"""The curator's workbench in a real browser: invite three people from the second-wave
shortlist, start one's onboarding and tick a step of it, offboard an active member with a
reason, confirm a stale skill claim — and the Overview's counts move with it."""

import re
import shutil

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from lib.formatting import number
from lib.i18n import t
from lib.metrics import metric
from tests.conftest import AS_OF
from tests.e2e.conftest import start_app
from tests.e2e.test_smoke import settled

ACTIVE_MEMBER = "E000061"  # active in the demo tier on AS_OF
ROW_HEIGHT = 35  # the grid's header and row height in pixels


@pytest.fixture
def workbench_url(chromium, demo_db_path, tmp_path):
    """The app on a private copy of the demo database: this journey changes data."""
    served = tmp_path / "workbench.duckdb"
    shutil.copy(demo_db_path, served)
    process, url = start_app(served, {"EXPERTISE_AS_OF": AS_OF.isoformat()})
    yield url
    process.terminate()
    process.wait(timeout=30)


COUNTED = ("active_members", "joined_quarter", "left_quarter")


def overview_tile(page, key: str):
    """The value of one of the Overview's KPI tiles, once drawn."""
    tile = page.get_by_test_id("stMetric").filter(has_text=metric(key).title("en")).first
    value = tile.get_by_test_id("stMetricValue")
    expect(value).to_be_visible(timeout=90_000)
    return value


def overview_counts(page, url: str) -> dict[str, int]:
    page.goto(url)
    settled(page)
    return {key: int(overview_tile(page, key).inner_text().replace(",", "")) for key in COUNTED}


def expect_overview(page, url: str, counts: dict[str, int]) -> None:
    """Wait until the Overview shows these counts (a tile is read again until it does)."""
    page.goto(url)
    settled(page)
    for key, count in counts.items():
        expect(overview_tile(page, key)).to_have_text(number(count, "en"), timeout=90_000)


def done(key: str, **values) -> str:
    """A confirmation message without its change number."""
    return t(key, entry="0", **values).split(" (")[0]


def confirm_dialog(page, message: str) -> None:
    """Confirm the change shown in the dialog and wait for its confirmation message."""
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible(timeout=60_000)
    dialog.get_by_role("button", name=t("members.confirm"), exact=True).click()
    expect(dialog).to_have_count(0, timeout=60_000)
    settled(page)
    expect(page.get_by_test_id("stAlertContentSuccess").filter(has_text=message)).to_be_visible()
    expect(page.get_by_role("button", name=t("members.undo"))).to_be_visible()


def pick_option(page, picker, pattern: re.Pattern, attempts: int = 4) -> str:
    """Choose the multiselect option matching `pattern` and return its text. A rerun that
    redraws the page closes an open list, so opening and choosing are tried again."""
    option = page.get_by_role("option", name=pattern).first
    for _ in range(attempts):
        settled(page)
        if not option.is_visible():
            picker.click()
        try:
            text = option.inner_text(timeout=20_000)
            option.click(timeout=20_000)
        except PlaywrightTimeout:
            continue
        settled(page)
        return text
    raise AssertionError(f"no option {pattern.pattern} to choose")


def invite_three_from_the_shortlist(page, url: str) -> list[str]:
    page.goto(f"{url}/recruitment_gaps")
    settled(page)
    page.get_by_role("tab", name=t("gaps.tab_second_wave")).click()
    settled(page)
    panel = page.get_by_role("tabpanel", name=t("gaps.tab_second_wave"))
    expect(panel.get_by_test_id("stDataFrame").first).to_be_visible(timeout=60_000)
    settled(page)
    picker = page.get_by_test_id("stMultiSelect").filter(has_text=t("members.invite_pick"))
    names = []
    for rank in (1, 2, 3):
        text = pick_option(page, picker, re.compile(rf"^{rank}\. "))
        names.append(text.split(". ", 1)[1].split(" · ")[0])
    page.keyboard.press("Escape")
    page.get_by_role("button", name=re.compile(r"\(3\)")).click()
    confirm_dialog(page, done("members.done_invite", count=3))
    return names


def open_file(page, url: str, name: str) -> None:
    page.goto(f"{url}/members")
    settled(page)
    page.get_by_test_id("stSelectbox").filter(has_text=t("members.pick_member")).first.click()
    page.keyboard.type(name)
    page.get_by_role("option", name=re.compile(re.escape(name))).first.click()
    settled(page)
    expect(page.get_by_test_id("stMain").locator("h3").filter(has_text=name)).to_be_visible()


def select_first_row(page, panel, attempts: int = 3) -> None:
    """Tick the first row of the panel's grid (drawn on a canvas: its box is clicked where the
    row's checkbox is) and wait until the page counts one selected row."""
    grid = panel.get_by_test_id("stDataFrame").first
    expect(grid).to_be_visible(timeout=90_000)
    one = panel.get_by_text(t("members.selected", count=1), exact=True)
    for _ in range(attempts):
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 18, box["y"] + ROW_HEIGHT + ROW_HEIGHT // 2)
        try:
            expect(one).to_be_visible(timeout=45_000)
            return
        except AssertionError:
            settled(page)
            if panel.get_by_text(t("members.selected", count=0), exact=True).count() == 0:
                raise
    raise AssertionError("the first row of the claims queue could not be selected")


def test_curator_runs_the_club_from_the_workbench(page, workbench_url):
    before = overview_counts(page, workbench_url)

    invited = invite_three_from_the_shortlist(page, workbench_url)

    open_file(page, workbench_url, invited[0])
    page.get_by_role("button", name=t("members.action_onboard"), exact=True).click()
    confirm_dialog(page, done("members.done_onboard", count=1))
    page.get_by_role("button", name=t("members.tick")).click()
    settled(page)
    ticked = page.get_by_test_id("stAlertContentSuccess").filter(has_text=done("members.done_tick"))
    expect(ticked).to_be_visible()

    page.goto(f"{workbench_url}/members?member={ACTIVE_MEMBER}")
    settled(page)
    page.get_by_role("button", name=t("members.action_offboard"), exact=True).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_test_id("stSelectbox").filter(has_text=t("members.exit_reason")).click()
    page.get_by_role("option", name=t("members.exit_lost_interest")).click()
    dialog.get_by_label(t("members.note")).fill("Moved to a new project")
    confirm_dialog(page, done("members.done_offboard", count=1))

    page.get_by_role("tab", name=t("members.tab_claims")).click()
    settled(page)
    panel = page.get_by_role("tabpanel", name=t("members.tab_claims"))
    queue = panel.get_by_test_id("stMetric").filter(has_text=t("members.claims_in_queue"))
    waiting = int(queue.get_by_test_id("stMetricValue").inner_text().replace(",", ""))
    select_first_row(page, panel)
    panel.get_by_role("button", name=t("members.claims_confirm"), exact=True).click()
    confirm_dialog(page, done("members.done_claims_confirm", count=1))
    page.get_by_role("tab", name=t("members.tab_claims")).click()
    expect(queue.get_by_test_id("stMetricValue")).to_have_text(number(waiting - 1, "en"))

    expect_overview(
        page,
        workbench_url,
        {
            "active_members": before["active_members"] - 1,
            "joined_quarter": before["joined_quarter"] + 1,
            "left_quarter": before["left_quarter"] + 1,
        },
    )
    expect(page.get_by_test_id("stException")).to_have_count(0)
