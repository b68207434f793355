"""Chart builders: the reader's number marks, named months, inert labels, readable heights."""

import pandas as pd

from lib import charts


def test_labels_are_inert_text():
    frame = pd.DataFrame({"category": ['<a href="https://x">Risk</a>', "<b>IT</b>"], "n": [2, 1]})
    fig = charts.horizontal_bars(
        frame, category="category", value="n", value_label="Skills", category_label="", lang="en"
    )
    labels = list(fig.data[0].y)
    assert labels == ["&lt;b&gt;IT&lt;/b&gt;", '&lt;a href="https://x"&gt;Risk&lt;/a&gt;']


def test_number_marks_follow_the_language():
    frame = pd.DataFrame({"category": ["A"], "n": [1]})
    ru = charts.horizontal_bars(
        frame, category="category", value="n", value_label="", category_label="", lang="ru"
    )
    en = charts.horizontal_bars(
        frame, category="category", value="n", value_label="", category_label="", lang="en"
    )
    assert ru.layout.separators == ", "
    assert en.layout.separators == ".,"


def test_bars_grow_with_their_number_and_keep_the_largest_on_top():
    frame = pd.DataFrame({"category": [f"C{i}" for i in range(40)], "n": range(40)})
    fig = charts.horizontal_bars(
        frame, category="category", value="n", value_label="", category_label="", lang="en"
    )
    assert fig.layout.height == min(900, 60 + 24 * 40)
    assert list(fig.data[0].y)[-1] == "C39"


def test_months_are_named_in_the_readers_language():
    months = pd.date_range("2025-01-01", periods=24, freq="MS")
    frame = pd.DataFrame({"month": months, "activities": range(24)})
    fig = charts.monthly_lines(frame, month="month", series={"activities": "Activities"}, lang="ru")
    ticks = list(fig.layout.xaxis.ticktext)
    assert ticks[0] == "янв. 2025"
    assert len(ticks) == 12
    assert all("Jan" not in t for t in ticks)


def test_stacked_bars_keep_each_status_colour():
    frame = pd.DataFrame(
        {
            "wave": ["Wave 1", "Wave 1", "Wave 2"],
            "status": ["Active", "Alumni", "Active"],
            "members": [10, 3, 7],
        }
    )
    fig = charts.stacked_bars(
        frame,
        x="wave",
        y="members",
        stack="status",
        labels={"status": "Status"},
        colors={"Active": "#1F4E79", "Alumni": "#A6A6A6"},
        lang="en",
    )
    assert [t.name for t in fig.data] == ["Active", "Alumni"]
    assert fig.data[0].marker.color == "#1F4E79"
    assert fig.layout.barmode == "stack"


def test_any_date_axis_names_its_months_in_the_readers_language():
    import plotly.express as px

    days = pd.date_range("2025-03-10", "2026-11-20", freq="7D")
    frame = pd.DataFrame({"date": days, "came": range(len(days))})
    fig = charts.style(px.scatter(frame, x="date", y="came"), "ru")
    ticks = list(fig.layout.xaxis.ticktext)
    assert ticks[0] == "март 2025" and ticks[-1].endswith("2026")
    assert len(ticks) <= 12 and all("Mar" not in t for t in ticks)
    assert fig.layout.xaxis.hoverformat == "%d.%m.%Y"
    assert fig.layout.yaxis.ticktext is None  # numbers stay numbers
