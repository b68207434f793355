"""The one table of the product: headers, codes and numbers in the reader's language, blanks as
"—", numbers still sortable as numbers, and CSV / Excel downloads of the same rows as shown.

A page declares its `Columns` once (where its headers come from in the locale, the format of
each number, date and amount, how stored words are named) and draws every table through
`table()`; editors (`st.data_editor`) take `editor_formats()` for their number columns."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from lib import formatting
from lib.formatting import Format
from lib.io.presentation import TableView, labelled
from pages.components import ui

# Past this many rows the grid shows raw numbers (formatting every cell would cost seconds).
STYLED_ROWS_MAX = 5_000
# How an editable number column reads in Streamlit's grid, by format (English; Russian uses
# the reader's locale so the decimal mark is a comma).
EDITOR_FORMATS = {
    Format.INTEGER: "%d",
    Format.DECIMAL1: "%.1f",
    Format.DECIMAL2: "%.2f",
    Format.HOURS: "%.1f",
    Format.MONEY: "%,.0f",
    Format.PERCENT: "percent",
}


PERCENT_BAR = ("%.0f%%", "%.0f %%")


def code_label(prefix: str) -> Callable[[Any], str]:
    """A stored word shown through its locale key `prefix + word`."""
    return lambda value: ui.t(f"{prefix}{value}")


def locale_headers(prefix: str, columns, overrides: dict[str, str] | None = None) -> dict:
    """Headers from the locale (`prefix + column`), some taken from elsewhere."""
    overrides = overrides or {}
    return {c: ui.t(overrides.get(c, f"{prefix}{c}")) for c in columns}


@dataclass(frozen=True)
class Columns:
    """How a page's tables read: headers from the locale under `prefix` (or the key in
    `headers`), a format per column, and the names of stored words per column."""

    prefix: str
    formats: Mapping[str, Format] = field(default_factory=dict)
    codes: Mapping[str, Callable[[Any], str]] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)

    def view(self, columns: Iterable[str]) -> TableView:
        return TableView(
            headers=locale_headers(self.prefix, columns, dict(self.headers)),
            formats=self.formats,
            codes=self.codes,
        )

    def header(self, column: str) -> str:
        return ui.t(self.headers.get(column, f"{self.prefix}{column}"))


def _formatter(frame: pd.DataFrame, column: str, formats, lang: str, currency: str):
    kind = formats.get(column)
    if kind is None:
        values = frame[column]
        if pd.api.types.is_bool_dtype(values):
            kind = Format.YES_NO
        elif pd.api.types.is_datetime64_any_dtype(values):
            kind = Format.DATE
        elif pd.api.types.is_float_dtype(values):
            kind = Format.DECIMAL2
        elif pd.api.types.is_integer_dtype(values):
            kind = Format.INTEGER
        else:
            kind = Format.LIST
    return partial(formatting.cell, kind=kind, lang=lang, currency=currency)


def _styled(frame: pd.DataFrame, formats):
    lang = ui.lang()
    currency = ui.currency()
    formatters = {c: _formatter(frame, c, formats, lang, currency) for c in frame.columns}
    return frame.style.format(formatters, na_rep=formatting.BLANK)


def show_table(
    frame: pd.DataFrame,
    name: str | None,
    view: TableView,
    *,
    progress: tuple[str, ...] = (),
    links: tuple[str, ...] = (),
    widths: dict[str, str] | None = None,
    key: str | None = None,
    **dataframe_options: Any,
):
    """Draw `frame` as `view` says (headers, codes, formats), share columns in `progress` as
    bars, web addresses in `links` as links; CSV and Excel downloads of the same rows follow
    unless `name` is None. Returns what `st.dataframe` returns (the selection, when rows can be
    selected)."""
    shown = labelled(frame, view)
    styled = len(shown) <= STYLED_ROWS_MAX
    config: dict[str, Any] = {}
    for column in shown.columns:
        label = view.header(column)
        if column in progress:
            config[column] = st.column_config.ProgressColumn(
                label, format=PERCENT_BAR[ui.lang() == "ru"], min_value=0.0, max_value=100.0
            )
        elif column in links:
            config[column] = st.column_config.LinkColumn(label, width=(widths or {}).get(column))
        else:
            config[column] = st.column_config.Column(label, width=(widths or {}).get(column))
    # A bar's number is printed by the grid itself, which knows no decimal comma: whole
    # percents, written as the reader writes them ("93 %" / "93%").
    shown = shown.assign(**{c: shown[c] * 100 for c in progress if c in shown})
    data = shown
    if styled:
        formats = {**view.formats, **dict.fromkeys(progress, Format.INTEGER)}
        data = _styled(shown, formats)
    event = st.dataframe(
        data,
        hide_index=True,
        column_config=config,
        key=key,
        placeholder=formatting.BLANK,
        **dataframe_options,
    )
    if name:
        ui.downloads(frame, name, key=key, view=view)
    return event


def table(
    frame: pd.DataFrame,
    name: str | None,
    columns: Columns,
    shown: Iterable[str] | None = None,
    **options: Any,
):
    """`frame` (or its `shown` columns, in that order) drawn as `columns` says, with its
    downloads unless `name` is None."""
    chosen = [c for c in (shown or frame.columns) if c in frame.columns]
    return show_table(frame[chosen], name, columns.view(chosen), **options)


def downloads(frame: pd.DataFrame, name: str, columns: Columns, key: str | None = None) -> None:
    """The CSV and Excel buttons for a table drawn some other way (a chart, an editor)."""
    ui.downloads(frame, name, key=key, view=columns.view(frame.columns))


def editor_formats(formats: Mapping[str, Format]) -> dict[str, str]:
    """Number formats for an editor's columns in the reader's language."""
    if ui.lang() == "ru":
        return {c: "localized" for c, k in formats.items() if k in EDITOR_FORMATS}
    return {c: EDITOR_FORMATS[k] for c, k in formats.items() if k in EDITOR_FORMATS}
