"""The Engagement page for leadership and curators: what each role sees, formulas, tables."""

from __future__ import annotations

import json

from lib.access import Viewer
from lib.engagement.scoring import engagement_scores
from lib.filters import Filters
from lib.store.db import open_database
from tests.conftest import ROOT, app_test

PAGE = "pages/engagement.py"


def frames(at):
    return [el.value for el in at.dataframe]


def chart(at, key):
    return next(c for c in at.get("plotly_chart") if c.proto.id.endswith(key))


def axis_titles(at, key):
    spec = json.loads(chart(at, key).proto.spec)
    layout = spec["layout"]
    return layout["xaxis"]["title"]["text"], layout["yaxis"]["title"]["text"]


def test_curator_sees_capacity_scatter_lists_and_formulas(app_env):
    at = app_test("curator", PAGE)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Engagement"
    assert [tab.label for tab in at.tabs][:4] == [
        "Scores and levels",
        "Trends",
        "Lifecycle",
        "Rituals and motivation",
    ]
    scores = engagement_scores(open_database(app_env), Filters(), Viewer("curator"))
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Scored members"] == str(len(scores))
    assert metrics["At risk"] == str(int(scores["at_risk"].sum()))
    active = scores[scores["status"] == "active"]
    assert metrics["Active members"] == str(len(active))
    assert metrics["Median index"] == f"{active['index'].median():.2f}"
    assert "Capacity partly assumed" in metrics
    assert axis_titles(at, "adjustment_chart") == ("Hours available", "Points")
    first = frames(at)[0]
    assert {"hours_available", "expected", "capacity_flag"} <= set(first.columns)
    assert set(first["level"]) <= {"Core", "Active", "Contributing", "Dormant"}
    headings = [s.value for s in at.subheader]
    for heading in ("Members who never come", "Members not recognised for a long time"):
        assert heading in headings
    captions = " ".join(c.value for c in at.caption)
    assert "0.5^(age in days ÷ 90)" in captions
    assert "Engaged share at each month end" in captions
    assert "Effect = (activities 60 days after" in captions
    assert len(at.get("download_button")) >= 2 * len(at.dataframe)


def test_leadership_sees_no_capacity_and_no_personal_lists(app_env):
    at = app_test("leadership", PAGE)
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label for m in at.metric}
    assert "Capacity partly assumed" not in metrics
    assert axis_titles(at, "adjustment_chart") == ("Index", "Members")
    for frame in frames(at):
        hidden = {"hours_available", "expected", "capacity_flag", "points", "previous_points"}
        assert not hidden & set(frame.columns), frame.columns
        assert "exit_reason" not in frame.columns
    headings = [s.value for s in at.subheader]
    assert "Members who never come" not in headings
    assert "Members not recognised for a long time" not in headings
    assert "Members at risk" in headings
    assert "Why members left (in the period)" in headings
    assert not [e for e in at.expander if e.label == "Exit reasons by member"]


def test_trend_split_by_activity_kind(app_env):
    at = app_test("curator", PAGE)
    single = json.loads(chart(at, "trend_chart").proto.spec)["data"]
    at.segmented_control(key="engagement_split").set_value("kind").run()
    assert not at.exception
    split = json.loads(chart(at, "trend_chart").proto.spec)["data"]
    assert len(single) == 1
    assert len(split) >= 5
    assert "Conference talk" in {trace["name"] for trace in split}


def test_engagement_in_russian(app_env):
    # The page alone (without the router), as switching pages in Russian trips AppTest's
    # handling of the translated role picker.
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / PAGE), default_timeout=60)
    at.session_state["viewer"] = Viewer("leadership")
    at.session_state["lang"] = "ru"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Вовлечённость"
    assert "В зоне риска" in {m.label for m in at.metric}
