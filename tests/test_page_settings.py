"""The Settings page: saving a weight changes the scores, bad values are refused, history."""

from __future__ import annotations

import shutil

import pytest

from lib.engagement.scoring import member_scores
from lib.filters import Filters
from lib.settings import current_settings, settings_history
from lib.store.db import forget, open_database
from tests.conftest import app_test

PAGE = "pages/settings.py"


@pytest.fixture
def private_db(app_env, tmp_path, monkeypatch):
    """A copy of the demo database the page may change."""
    path = tmp_path / "settings.duckdb"
    shutil.copy(app_env, path)
    monkeypatch.setenv("EXPERTISE_DB", str(path))
    yield path
    forget(path)


def save_button(at, index=0):
    return [b for b in at.button if b.label == "Save"][index]


def test_tabs_and_formulas(private_db):
    at = app_test("curator", PAGE)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Settings"
    assert [tab.label for tab in at.tabs] == [
        "Activity weights",
        "Decay and window",
        "Capacity and levels",
        "Expertise",
        "Recruitment",
        "Recognition and privacy",
        "Contributions and renewal",
        "Version history",
    ]
    captions = " ".join(c.value for c in at.caption)
    assert "counts half after 90 days" in captions
    assert at.number_input(key="setting_kind_weights_talk_external").value == 10.0
    assert at.number_input(key="setting_half_life_days").value == 90


def test_saving_a_weight_changes_the_score(private_db):
    db = open_database(private_db)
    before = member_scores(db, Filters()).set_index("person_id")["points"]
    at = app_test("admin", PAGE)
    at.number_input(key="setting_kind_weights_talk_external").set_value(20.0)
    save_button(at).click().run()
    assert not at.exception
    assert [s.value for s in at.success] == [
        "Saved: Weight of each activity kind. Scores use the new values now."
    ]
    assert current_settings(db)["kind_weights"]["talk_external"] == 20.0
    after = member_scores(db, Filters()).set_index("person_id")["points"].reindex(before.index)
    assert (after >= before - 1e-9).all()
    assert (after > before + 1e-9).any()
    history = settings_history(db, ["kind_weights"])
    assert len(history) == 1 and history.loc[0, "changed_by"] == "local:admin"


def test_saving_unchanged_values_adds_no_version(private_db):
    at = app_test("curator", PAGE)
    save_button(at, 1).click().run()
    assert "Nothing changed, so no new version was saved." in [i.value for i in at.info]
    assert settings_history(open_database(private_db), ["half_life_days"]).empty


def test_inconsistent_thresholds_are_refused(private_db):
    at = app_test("curator", PAGE)
    at.number_input(key="setting_level_active_index").set_value(5.0)
    save_button(at, 2).click().run()
    assert not at.exception
    assert any("active level must start below the core level" in e.value for e in at.error)
    assert current_settings(open_database(private_db))["level_active_index"] == 1.0


def test_the_rate_is_calibrated_until_an_administrator_fixes_it(private_db):
    db = open_database(private_db)
    at = app_test("admin", PAGE)
    box = at.checkbox(key="setting_rate_fixed")
    assert box.value is False
    assert "calibrated on the whole club's active members over the last 90 days" in box.help
    calibrated = at.number_input(key="setting_expected_points_per_hour").value
    assert calibrated > 0
    captions = " ".join(c.value for c in at.caption)
    assert "calibrated on the whole club" in captions and "clipped at 10.0" in captions
    box.check()
    at.number_input(key="setting_expected_points_per_hour").set_value(3.0)
    save_button(at, 2).click().run()
    assert not at.exception
    assert current_settings(db)["expected_points_per_hour"] == 3.0
    at.run()
    assert "3.00 points per available hour, fixed by an administrator" in " ".join(
        c.value for c in at.caption
    )
    at.checkbox(key="setting_rate_fixed").uncheck()
    save_button(at, 2).click().run()
    assert current_settings(db)["expected_points_per_hour"] is None


def test_half_life_change_is_versioned_and_restorable(private_db):
    db = open_database(private_db)
    at = app_test("curator", PAGE)
    at.number_input(key="setting_half_life_days").set_value(30)
    save_button(at, 1).click().run()
    assert current_settings(db)["half_life_days"] == 30
    restore = [b for b in at.button if b.label == "Restore defaults"][1]
    restore.click().run()
    assert current_settings(db)["half_life_days"] == 90
    assert list(settings_history(db, ["half_life_days"])["value"]) == ["90", "30"]
