"""The metric registry: each metric on known data, and one name shows one number on every
page and in the CLI."""

import io
from contextlib import redirect_stdout
from datetime import timedelta

import pandas as pd
import pytest

from lib import i18n
from lib.cli import main
from lib.filters import Filters
from lib.metrics import REGISTRY, metric_values
from lib.settings import save_setting
from tests.conftest import AS_OF, app_test
from tests.test_scoring import Club


@pytest.fixture
def club(empty_db):
    save_setting(empty_db, "expected_points_per_hour", 1.0, actor="test")
    return Club(empty_db)


def test_engagement_metrics_on_a_hand_made_club(club):
    # Four active members with 30 hours a month over a 90-day window, one paused.
    for person in ("A", "B", "C", "D"):
        club.member(person).capacity(person, 30.0)
    club.member("P", status="paused").capacity("P", 30.0)
    club.activity("A", AS_OF - timedelta(days=1))  # 10 points
    for day in range(40):
        club.activity("B", AS_OF - timedelta(days=day))  # 400 points
    club.activity("C", AS_OF - timedelta(days=200))  # outside every window: dormant
    values = metric_values(club.db, Filters(as_of=AS_OF))
    assert values["active_members"] == 4
    assert values["scored_members"] == 5
    assert values["engaged_share"] == pytest.approx(2 / 4)
    hours = 30.0 * 90 / 30.4  # about three months of 30 hours: index = points ÷ hours
    index = sorted([10 / hours, 400 / hours, 0.0, 0.0])
    assert values["median_index"] == pytest.approx((index[1] + index[2]) / 2, rel=0.05)
    assert values["core_or_active_share"] == pytest.approx(1 / 4)  # B only (index ≈ 4.5)
    assert values["at_risk_members"] == 0


def test_every_metric_has_a_title_name_and_help_in_both_languages():
    for key in REGISTRY:
        for lang in i18n.LANGUAGES:
            for suffix in ("", "_name", "_help"):
                assert f"metrics.{key}{suffix}" in i18n.catalogue(lang), (key, suffix, lang)


def tiles(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_one_name_shows_one_number_everywhere(app_env, monkeypatch):
    """The Overview, Engagement, Expertise map and the CLI on the demo tier: every metric title
    that appears in more than one place shows the same value."""
    places = {
        "overview": tiles(app_test("curator")),
        "engagement": tiles(app_test("curator", "pages/engagement.py")),
        "expertise_map": tiles(app_test("curator", "pages/expertise_map.py")),
    }
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["--db", str(app_env), "report", "kpis", "--format", "csv"]) == 0
    cli = pd.read_csv(io.StringIO(out.getvalue()), dtype=str)
    places["cli"] = dict(zip(cli["title"], cli["value"], strict=True))
    titles = {REGISTRY[key].title("en") for key in REGISTRY}
    seen: dict[str, dict[str, str]] = {}
    for place, shown in places.items():
        for title, value in shown.items():
            if title in titles:
                seen.setdefault(title, {})[place] = value
    shared = {title: found for title, found in seen.items() if len(found) > 1}
    assert {"Active members", "Median index", "At risk", "One-holder skills"} <= set(shared)
    for title, found in shared.items():
        assert len(set(found.values())) == 1, (title, found)
