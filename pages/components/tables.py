"""The one table of the product: headers, codes and numbers in the reader's language, blanks as
"—", numbers still sortable as numbers, and CSV / Excel downloads of the same rows as shown."""

from __future__ import annotations

from collections.abc import Callable
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


def code_label(prefix: str) -> Callable[[Any], str]:
    """A stored word shown through its locale key `prefix + word`."""
    return lambda value: ui.t(f"{prefix}{value}")


def locale_headers(prefix: str, columns, overrides: dict[str, str] | None = None) -> dict:
    """Headers from the locale (`prefix + column`), some taken from elsewhere."""
    overrides = overrides or {}
    return {c: ui.t(overrides.get(c, f"{prefix}{c}")) for c in columns}


def _styled(frame: pd.DataFrame, formats):
    lang = ui.lang()
    currency = ui.currency()
    formatters = {
        column: partial(formatting.cell, kind=kind, lang=lang, currency=currency)
        for column, kind in formats.items()
        if column in frame
    }
    for column in frame.columns:
        if column in formatters:
            continue
        if frame[column].dtype == object:
            formatters[column] = partial(formatting.cell, kind=Format.LIST, lang=lang)
        elif pd.api.types.is_datetime64_any_dtype(frame[column]):
            formatters[column] = partial(formatting.cell, kind=Format.DATE, lang=lang)
        elif pd.api.types.is_float_dtype(frame[column]):
            formatters[column] = partial(formatting.cell, kind=Format.DECIMAL2, lang=lang)
        elif pd.api.types.is_integer_dtype(frame[column]):
            formatters[column] = partial(formatting.cell, kind=Format.INTEGER, lang=lang)
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
    config: dict[str, Any] = {}
    for column in shown.columns:
        label = view.header(column)
        if column in progress:
            config[column] = st.column_config.ProgressColumn(
                label, format="percent", min_value=0.0, max_value=1.0
            )
        elif column in links:
            config[column] = st.column_config.LinkColumn(label, width=(widths or {}).get(column))
        else:
            config[column] = st.column_config.Column(label, width=(widths or {}).get(column))
    styled = _styled(shown, view.formats) if len(shown) <= STYLED_ROWS_MAX else shown
    # The grid draws a missing cell itself (as "None" unless told), whatever the styler says.
    dataframe_options.setdefault("placeholder", formatting.BLANK)
    event = st.dataframe(
        styled, hide_index=True, column_config=config, key=key, **dataframe_options
    )
    if name:
        ui.downloads(frame, name, key=key, view=view)
    return event
