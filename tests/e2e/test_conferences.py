"""A talk's way in a real browser: from a matched call for papers to a delivered talk on the
member's profile. The app runs on its own copy of the demo database, first on the demo's day
(the call is open), then again months later, after the conference began."""

import csv
import io
import re
import shutil

from playwright.sync_api import expect

from lib.access import Viewer
from lib.conferences.matching import speaker_matches
from lib.conferences.records import open_calls
from lib.filters import Filters
from lib.i18n import t
from lib.store.db import Database, forget
from tests.conftest import AS_OF
from tests.e2e.conftest import new_context, start_app
from tests.e2e.test_smoke import download_from, pick_option, settled

TITLE = "Platform teams at a bank: the first year"
LATER = "2027-02-01"


def first_match(path) -> tuple[str, str, str, str]:
    """The open call closing first, its best-matched member, and the next submission id."""
    db = Database(path)
    try:
        filters = Filters(as_of=AS_OF)
        call = open_calls(db, AS_OF).iloc[0]
        match = speaker_matches(db, Viewer("curator"), filters, [call.conference_id]).iloc[0]
        count = db.count("submissions")
    finally:
        db.close()
        forget(path)
    return call["name"], match["person_id"], match["name"], f"SUB{count + 1:04d}"


def move(page, submission: str, status: str, reviewer: str | None = None) -> None:
    """Move the picked submission on the Edit tab and wait for the confirmation."""
    panel = page.get_by_role("tabpanel", name=t("conferences.tab_edit"))
    picker = panel.get_by_test_id("stSelectbox").filter(has_text=t("conferences.pick_submission"))
    settled(page)
    if submission not in picker.inner_text():
        pick_option(page, picker, submission, re.compile(submission))
        settled(page)
    form = panel.get_by_test_id("stForm")
    form.get_by_test_id("stRadio").get_by_text(
        t(f"conferences.status.{status}"), exact=True
    ).click()
    if reviewer:
        form.get_by_label(t("conferences.col_reviewer")).fill(reviewer)
    form.get_by_role("button", name=t("conferences.move")).click()
    settled(page)
    label = t(f"conferences.status.{status}")
    expect(
        page.get_by_text(t("conferences.moved", submission=submission, status=label))
    ).to_be_visible()


def open_edit_tab(page, url: str) -> None:
    page.goto(f"{url}/conferences")
    settled(page)
    page.get_by_role("tab", name=t("conferences.tab_edit")).click()
    settled(page)


def test_a_matched_call_becomes_a_delivered_talk_on_the_profile(chromium, demo_db_path, tmp_path):
    served = tmp_path / "speaking.duckdb"
    shutil.copy(demo_db_path, served)
    conference, person, name, submission = first_match(served)

    process, url = start_app(served, extra_env={"EXPERTISE_AS_OF": AS_OF.isoformat()})
    context = new_context(chromium)
    try:
        page = context.new_page()
        page.goto(f"{url}/conferences")
        settled(page)
        page.get_by_role("tab", name=t("conferences.tab_calls")).click()
        panel = page.get_by_role("tabpanel", name=t("conferences.tab_calls"))
        expect(
            panel.get_by_text(t("conferences.matches_heading", conference=conference))
        ).to_be_visible()
        form = panel.get_by_test_id("stForm")
        form.get_by_test_id("stMultiSelect").first.click()
        page.keyboard.type(name)
        page.get_by_role("option", name=name, exact=True).click()
        form.get_by_label(t("conferences.col_title")).fill(TITLE)
        form.get_by_role("button", name=t("conferences.propose")).click()
        settled(page)
        expect(page.get_by_text(t("conferences.created", submission=submission))).to_be_visible()

        page.get_by_role("tab", name=t("conferences.tab_edit")).click()
        settled(page)
        move(page, submission, "draft")
        move(page, submission, "review", reviewer="Irina Curator")
        move(page, submission, "submitted")
        move(page, submission, "accepted")
        expect(page.get_by_test_id("stException")).to_have_count(0)
    finally:
        context.close()
        process.terminate()
        process.wait(timeout=30)

    # Months later the conference has begun: the talk is delivered and becomes an activity.
    process, url = start_app(served, extra_env={"EXPERTISE_AS_OF": LATER})
    context = new_context(chromium)
    try:
        page = context.new_page()
        open_edit_tab(page, url)
        move(page, submission, "delivered")
        activity = f"{submission}-{person}"
        expect(page.get_by_text(re.compile(re.escape(activity)))).to_be_visible()

        page.goto(f"{url}/expertise_map")
        settled(page)
        page.get_by_test_id("stSelectbox").filter(has_text=t("map.focus_member")).click()
        page.keyboard.type(name)
        page.get_by_role("option", name=re.compile(re.escape(name))).first.click()
        settled(page)
        page.get_by_role("tab", name=t("map.tab_profile")).click()
        settled(page)
        download_area = page.locator(f".st-key-csv_profile_{person}_activities")
        download = download_from(page, download_area.get_by_role("button"))
        rows = list(csv.DictReader(io.StringIO(download.path().read_text("utf-8-sig"))))
        assert rows[0][t("map.col_title")] == f"{TITLE} — {conference}"
        assert rows[0][t("map.col_kind")] == t("map.kind_talk_external")
        expect(page.get_by_test_id("stException")).to_have_count(0)
    finally:
        context.close()
        process.terminate()
        process.wait(timeout=30)
