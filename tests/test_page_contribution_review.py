"""The curators' contributions queue and the club's renewal readiness on the Members page, and
the renewal criteria on the Settings page."""

import shutil

import pytest

from lib.access import Viewer
from lib.contributions import renewal, review
from lib.filters import Filters
from lib.settings import current_settings
from lib.store.db import forget, open_database
from tests.conftest import AS_OF, app_test

PAGE = "pages/members.py"
CURATOR = Viewer("curator")


@pytest.fixture
def demo(app_env, demo_db_path, tmp_path, monkeypatch):
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db_path, path)
    monkeypatch.setenv("EXPERTISE_DB", str(path))
    yield open_database(path)
    forget(path)


def success_text(at) -> str:
    return " ".join(s.value for s in at.success).replace("\\", "")


def test_the_queue_and_renewal_tabs_show_what_the_core_computes(app_env):
    db = open_database(app_env)
    at = app_test("curator", PAGE)
    assert not at.exception, [e.value for e in at.exception]
    queue = review.verification_queue(db, CURATOR, Filters(as_of=AS_OF))
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Waiting"] == str(len(queue))
    assert tiles["Possible duplicates"] == str(int((queue["doubt"] == "duplicate").sum()))
    counts = renewal.readiness_counts(renewal.renewal_readiness(db, CURATOR, Filters(as_of=AS_OF)))
    assert tiles["On track"] == str(counts["on_track"])
    assert tiles["Review"] == str(counts["review"])
    assert sum(counts.values()) == db.scalar(
        "SELECT count(*) FROM memberships WHERE status IN ('onboarding', 'active', 'paused')"
    )


def test_verifying_from_the_queue_counts_the_contribution_and_can_be_undone(demo):
    first = review.verification_queue(demo, CURATOR, Filters(as_of=AS_OF)).iloc[0]
    before = demo.count("activities")
    at = app_test(
        "curator",
        PAGE,
        contribution_queue={"selection": {"rows": [0], "columns": [], "cells": []}},
    )
    at.button(key="contribution_verify").click().run()
    assert not at.exception
    assert "1 contribution(s) verified" in success_text(at)
    assert demo.count("activities") == before + 1
    assert demo.rows(
        "SELECT status, verified_by FROM contributions WHERE contribution_id = ?",
        [first["contribution_id"]],
    ) == [("verified", "local:curator")]
    next(b for b in at.button if b.label == "Undo").click().run()
    assert demo.count("activities") == before
    assert (
        demo.scalar(
            "SELECT status FROM contributions WHERE contribution_id = ?", [first["contribution_id"]]
        )
        == "pending"
    )


def test_the_renewal_criteria_are_saved_in_settings(demo):
    at = app_test("admin", "pages/settings.py")
    tab = next(tab for tab in at.tabs if tab.label == "Contributions and renewal")
    assert "Renewal readiness looks at the last 365 days" in " ".join(c.value for c in tab.caption)
    tab.number_input(key="setting_renewal_min_contributions").set_value(6)
    tab.checkbox(key="setting_count_unverified_contributions").check()
    tab.button[0].click().run()
    assert not at.exception
    saved = current_settings(demo)
    assert saved["renewal_min_contributions"] == 6
    assert saved["count_unverified_contributions"] is True
    pending = demo.scalar(
        "SELECT count(*) FROM contributions WHERE status = 'pending' AND source = 'member'"
    )
    counted = demo.scalar(
        "SELECT count(*) FROM activities a JOIN contributions c "
        "ON c.contribution_id = a.activity_id WHERE c.status = 'pending'"
    )
    assert counted == pending > 0
