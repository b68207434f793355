"""The one table of the product: headers, codes and numbers in the reader's language, blanks as
"—", numbers still sortable as numbers, and CSV / Excel downloads of the same rows."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from lib import formatting
from lib.formatting import Format
from pages.components import ui

# Past this many rows the grid shows raw numbers (formatting every cell would cost seconds).
STYLED_ROWS_MAX = 5_000


def code_label(prefix: str) -> Callable[[Any], str]:
    """A stored word shown through its locale key `prefix + word` (blank stays blank)."""

    def label(value: Any) -> str:
        return formatting.BLANK if formatting.is_blank(value) else ui.t(f"{prefix}{value}")

    return label


def labelled(frame: pd.DataFrame, codes: Mapping[str, Callable[[Any], str]]) -> pd.DataFrame:
    """Stored words (statuses, kinds, levels …) replaced by their names in the reader's
    language."""
    out = frame.copy()
    for column, label in codes.items():
        if column in out:
            out[column] = out[column].map(label)
    return out


def _styled(frame: pd.DataFrame, formats: Mapping[str, Format]):
    lang = ui.lang()
    currency = ui.currency()
    formatters = {
        column: partial(formatting.cell, kind=kind, lang=lang, currency=currency)
        for column, kind in formats.items()
        if column in frame
    }
    for column in frame.columns:
        if column not in formatters and frame[column].dtype == object:
            formatters[column] = partial(formatting.cell, kind=Format.LIST, lang=lang)
    return frame.style.format(formatters, na_rep=formatting.BLANK)


def show_table(
    frame: pd.DataFrame,
    name: str | None,
    *,
    header: Callable[[str], str],
    formats: Mapping[str, Format] | None = None,
    codes: Mapping[str, Callable[[Any], str]] | None = None,
    progress: tuple[str, ...] = (),
    widths: Mapping[str, str] | None = None,
    key: str | None = None,
    **dataframe_options: Any,
):
    """Draw `frame` with headers from `header(column)`, values through `codes` and `formats`,
    share columns in `progress` as bars; downloads follow unless `name` is None. Returns what
    `st.dataframe` returns (the selection, when rows can be selected)."""
    formats = dict(formats or {})
    view = labelled(frame, codes or {})
    config: dict[str, Any] = {}
    for column in view.columns:
        label = header(column)
        if column in progress:
            config[column] = st.column_config.ProgressColumn(
                label, format="percent", min_value=0.0, max_value=1.0
            )
        else:
            config[column] = st.column_config.Column(label, width=(widths or {}).get(column))
    shown = _styled(view, formats) if len(view) <= STYLED_ROWS_MAX else view
    event = st.dataframe(shown, hide_index=True, column_config=config, key=key, **dataframe_options)
    if name:
        ui.downloads(frame, name, key=key)
    return event
