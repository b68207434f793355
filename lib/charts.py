"""Chart builders shared by the pages and the board report: pure functions from tables to
plotly figures, unit-tested in `tests/test_charts.py`.

Figures speak the reader's language: plotly's decimal and thousands marks follow it, month
ticks are named by `lib.formatting`, and data labels are plain text (plotly reads `<a>`, `<b>`,
`<br>` in labels as markup, so every data value passes `plain()`).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from lib import formatting

PALETTE = [
    "#1F4E79",
    "#2E86AB",
    "#F18F01",
    "#6A994E",
    "#C73E1D",
    "#7B6D8D",
    "#3B8EA5",
    "#A23B72",
    "#8C8C8C",
    "#E4B363",
]
STATUS_COLORS = {
    "active": "#1F4E79",
    "onboarding": "#2E86AB",
    "candidate": "#9DC3E6",
    "paused": "#F18F01",
    "alumni": "#A6A6A6",
}
FONT = {"family": "Inter, Segoe UI, sans-serif", "size": 13}


def plain(value: Any) -> str:
    """A data value as inert chart text: plotly's HTML-like markup is escaped."""
    return html.escape("" if formatting.is_blank(value) else str(value), quote=False)


def plain_series(values: Iterable[Any]) -> list[str]:
    return [plain(v) for v in values]


def style(fig: go.Figure, lang: str, height: int = 360, template: str | None = None) -> go.Figure:
    """The house style: palette, font, legend on top, number marks of the reader's language."""
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        colorway=PALETTE,
        font=FONT,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        separators=formatting.plotly_separators(lang),
    )
    if template:
        fig.update_layout(template=template)
    # Whole numbers on axes ("200 000", not "200k": SI letters are not how people write money).
    fig.update_xaxes(exponentformat="none", separatethousands=True)
    fig.update_yaxes(exponentformat="none", separatethousands=True)
    localise_dates(fig, lang)
    return fig


HOVER_DATE = {"ru": "%d.%m.%Y", "en": "%b %d, %Y"}


def _dates(values: Any) -> list[pd.Timestamp]:
    """The values of a trace's axis as timestamps, or [] when they are not dates."""
    if values is None or isinstance(values, str) or not len(values):
        return []
    series = pd.Series(list(values))
    if pd.api.types.is_datetime64_any_dtype(series):
        return list(series.dropna())
    first = series.dropna().iloc[0] if series.notna().any() else None
    if isinstance(first, date | datetime):
        return list(pd.to_datetime(series.dropna()))
    return []


def localise_dates(fig: go.Figure, lang: str) -> go.Figure:
    """Every date axis names its months in the reader's language ("нояб. 2026"), at most about
    twelve ticks, and hovers show dates as the reader writes them; an axis with ticks already
    named is left as it is."""
    for axis in ("x", "y"):
        found: list[pd.Timestamp] = []
        for trace in fig.data:
            found += _dates(getattr(trace, axis, None))
        layout_axis = getattr(fig.layout, f"{axis}axis")
        if not found or layout_axis.ticktext:
            continue
        first, last = min(found), max(found)
        months = pd.date_range(first.to_period("M").to_timestamp(), last, freq="MS")
        if len(months) < 2:
            continue
        step = max(1, -(-len(months) // 12))
        shown = list(months[::step])
        update = {
            "tickvals": shown,
            "ticktext": [formatting.month(m, lang) for m in shown],
            "hoverformat": HOVER_DATE.get(lang, HOVER_DATE["en"]),
        }
        if axis == "x":
            fig.update_xaxes(**update)
        else:
            fig.update_yaxes(**update)
    return fig


def month_ticks(fig: go.Figure, months: Sequence[Any], lang: str, axis: str = "x") -> go.Figure:
    """Name the months on a time axis in the reader's language ("нояб. 2026"); at most about
    twelve ticks, evenly spaced, so labels never crowd."""
    ordered = sorted({pd.Timestamp(m) for m in months if not formatting.is_blank(m)})
    if not ordered:
        return fig
    step = max(1, -(-len(ordered) // 12))
    shown = ordered[::step]
    update = {"tickvals": shown, "ticktext": [formatting.month(m, lang) for m in shown]}
    if axis == "x":
        fig.update_xaxes(**update)
    else:
        fig.update_yaxes(**update)
    return fig


def horizontal_bars(
    frame: pd.DataFrame,
    *,
    category: str,
    value: str,
    value_label: str,
    category_label: str,
    lang: str,
    color: str = PALETTE[0],
    height: int | None = None,
    template: str | None = None,
) -> go.Figure:
    """Categories ranked by a value, largest on top; height grows with the number of bars so
    long labels stay readable."""
    ranked = frame.sort_values(value, ascending=True)
    fig = go.Figure(
        go.Bar(
            x=ranked[value],
            y=plain_series(ranked[category]),
            orientation="h",
            marker_color=color,
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    fig.update_xaxes(title=value_label)
    fig.update_yaxes(title=category_label, automargin=True)
    rows = len(ranked)
    return style(fig, lang, height or max(240, min(900, 60 + 24 * rows)), template)


def stacked_bars(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    stack: str,
    labels: dict[str, str],
    colors: dict[str, str],
    lang: str,
    template: str | None = None,
) -> go.Figure:
    """Bars of `y` per `x`, stacked by `stack` (values already in the reader's language)."""
    fig = go.Figure()
    for name, part in frame.groupby(stack, sort=False):
        fig.add_bar(
            x=plain_series(part[x]),
            y=part[y],
            name=plain(name),
            marker_color=colors.get(name),
        )
    fig.update_layout(barmode="stack", legend_title_text=labels.get(stack, ""))
    fig.update_xaxes(title=labels.get(x, ""), type="category")
    fig.update_yaxes(title=labels.get(y, ""))
    return style(fig, lang, template=template)


def monthly_lines(
    frame: pd.DataFrame,
    *,
    month: str,
    series: dict[str, str],
    lang: str,
    template: str | None = None,
) -> go.Figure:
    """One line per column of `series` (column → its name) over months, with named months."""
    fig = go.Figure()
    for column, name in series.items():
        fig.add_scatter(x=frame[month], y=frame[column], mode="lines+markers", name=plain(name))
    fig.update_xaxes(title="")
    month_ticks(fig, frame[month], lang)
    return style(fig, lang, template=template)
