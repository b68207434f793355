"""A member in a real browser: signs in (local mode: picks the role and themselves), logs a
conference talk with the skills its title names, and confirms a skill they hold — and the
database holds exactly that afterwards."""

import re
import shutil

import pytest
from playwright.sync_api import expect

from lib.i18n import t
from lib.store.db import Database
from tests.conftest import AS_OF
from tests.e2e.conftest import start_app
from tests.e2e.test_smoke import choose_role, settled

MEMBER = "E000061"
NAME = "Natalia Smirnova"
TITLE = "Kubernetes in production at the bank"


@pytest.fixture
def served(chromium, demo_db_path, tmp_path):
    """The app on a private copy of the demo database (this journey changes data); the copy's
    path, to read once the app has stopped."""
    path = tmp_path / "member.duckdb"
    shutil.copy(demo_db_path, path)
    db = Database(path)
    confirmed = self_confirmed(db)
    db.close()
    process, url = start_app(path, {"EXPERTISE_AS_OF": AS_OF.isoformat()})
    state = {"process": process, "url": url, "path": path, "confirmed": confirmed}
    yield state
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=30)


def self_confirmed(db) -> int:
    return db.scalar(
        "SELECT count(*) FROM person_skills WHERE person_id = ? AND source = 'self' "
        "AND confirmed_on = ?",
        [MEMBER, AS_OF],
    )


def stop(state) -> None:
    state["process"].terminate()
    state["process"].wait(timeout=30)


def become_the_member(page, url: str) -> None:
    page.goto(f"{url}/directory")
    settled(page)
    choose_role(page, "member")
    settled(page)
    picker = page.get_by_test_id("stSelectbox").filter(has_text=t("app.act_as_member"))
    picker.click()
    page.keyboard.type(NAME)
    page.get_by_role("option", name=re.compile(re.escape(f"{NAME} ({MEMBER})"))).click()
    settled(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=t("nav.my_page")).click()
    settled(page)
    expect(page.get_by_test_id("stMain").locator("h1").first).to_have_text(t("self_service.title"))


def log_a_talk(page) -> None:
    title = page.get_by_label(t("self_service.field_title"), exact=True)
    title.fill(TITLE)
    title.press("Tab")
    settled(page)
    skills = page.get_by_test_id("stMultiSelect").filter(has_text=t("self_service.field_skills"))
    expect(skills).to_contain_text("Kubernetes")
    reach = page.get_by_label(
        t("self_service.field_reach", metric=t("contributions.metric_attendees"))
    )
    reach.fill("250")
    reach.press("Tab")
    settled(page)
    link = page.get_by_label(t("self_service.field_link"), exact=True)
    link.fill("https://events.example.org/k8s-2026")
    link.press("Tab")
    settled(page)
    page.get_by_role("button", name=t("self_service.log"), exact=True).click()
    settled(page)
    done = t("self_service.done_log", title=TITLE)
    expect(page.get_by_test_id("stAlertContentSuccess").filter(has_text=done)).to_be_visible()


def confirm_a_skill(page) -> None:
    page.get_by_role("tab", name=t("self_service.tab_skills")).click()
    settled(page)
    panel = page.get_by_role("tabpanel", name=t("self_service.tab_skills"))
    grid = panel.get_by_test_id("stDataFrame").first
    expect(grid).to_be_visible()
    button = panel.get_by_role("button", name=t("self_service.confirm_skills", count=1))
    for _ in range(3):
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)
        try:
            expect(button).to_be_enabled(timeout=45_000)
            break
        except AssertionError:
            settled(page)
    button.click()
    settled(page)
    done = t("self_service.done_confirm_skills", count=1)
    expect(page.get_by_test_id("stAlertContentSuccess").filter(has_text=done)).to_be_visible()


def test_a_member_logs_a_talk_and_confirms_a_skill(page, served):
    become_the_member(page, served["url"])
    log_a_talk(page)
    confirm_a_skill(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    stop(served)
    db = Database(served["path"])
    try:
        logged = db.rows(
            "SELECT c.kind, c.reach, c.status, c.source, s.name FROM contributions c, "
            "unnest(c.skills) AS u(skill_id) JOIN skills s ON s.skill_id = u.skill_id "
            "WHERE c.person_id = ? AND c.title = ?",
            [MEMBER, TITLE],
        )
        assert ("talk_external", 250, "pending", "member", "Kubernetes") in logged
        assert self_confirmed(db) == served["confirmed"] + 1
    finally:
        db.close()
