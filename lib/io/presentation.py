"""Tables as people read them, for the screen and for downloads.

A `TableView` says, per column, its header in the reader's language, its format and how its
stored words are named. The same view draws the table on a page and writes its CSV and Excel
files, so a download carries the headers and the values as shown — rounded and localised, blanks
empty, codes named — with the machine field names as a second header row when the
`export_field_names` setting asks for them (for a re-import).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from lib import formatting
from lib.formatting import Format
from lib.io.export import to_csv_bytes, to_excel_bytes


@dataclass(frozen=True)
class TableView:
    """How one table reads: headers, formats and code labels by column (all optional)."""

    headers: Mapping[str, str] = field(default_factory=dict)
    formats: Mapping[str, Format] = field(default_factory=dict)
    codes: Mapping[str, Callable[[Any], str]] = field(default_factory=dict)

    def header(self, column: str) -> str:
        return self.headers.get(column, column)


def labelled(frame: pd.DataFrame, view: TableView) -> pd.DataFrame:
    """Stored words replaced by their names; blanks stay blank."""
    out = frame.copy()
    for column, label in view.codes.items():
        if column in out:
            out[column] = out[column].map(
                lambda v, name=label: None if formatting.is_blank(v) else name(v)
            )
    return out


def _shown_text(frame: pd.DataFrame, view: TableView, lang: str, currency: str) -> pd.DataFrame:
    """Every cell as the text the screen shows (CSV): numbers localised, blanks empty."""
    out = labelled(frame, view)
    for column in out.columns:
        kind = view.formats.get(column)
        if kind is None and out[column].dtype != object:
            kind = _natural_format(out[column])
        kind = kind or Format.LIST
        out[column] = out[column].map(
            lambda v, k=kind: "" if _blank(v) else formatting.cell(v, k, lang, currency)
        )
    return out


def _blank(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return len(value) == 0
    if hasattr(value, "__len__") and not isinstance(value, str):
        return len(value) == 0
    return formatting.is_blank(value)


def _natural_format(column: pd.Series) -> Format | None:
    if pd.api.types.is_bool_dtype(column):
        return None
    if pd.api.types.is_integer_dtype(column):
        return Format.INTEGER
    if pd.api.types.is_float_dtype(column):
        return Format.DECIMAL2
    if pd.api.types.is_datetime64_any_dtype(column):
        return Format.DATE
    return None


def _shown_values(frame: pd.DataFrame, view: TableView) -> pd.DataFrame:
    """Every cell as a spreadsheet value (Excel): numbers rounded as shown but still numbers,
    codes named, lists joined."""
    out = labelled(frame, view)
    for column, kind in view.formats.items():
        if column in out and kind not in (Format.DATE, Format.DATETIME, Format.MONTH, Format.LIST):
            out[column] = out[column].map(lambda v, k=kind: formatting.rounded(v, k))
    return out


def _with_headers(frame: pd.DataFrame, view: TableView, field_names: bool) -> pd.DataFrame:
    out = frame.copy()
    if field_names:
        machine = pd.DataFrame([list(out.columns)], columns=out.columns)
        out = pd.concat([machine, out.astype(object)], ignore_index=True)
    out.columns = [view.header(column) for column in frame.columns]
    return out


def csv_bytes(
    frame: pd.DataFrame,
    view: TableView,
    lang: str,
    *,
    currency: str = formatting.DEFAULT_CURRENCY,
    field_names: bool = False,
) -> bytes:
    """The table as shown, in CSV: `;`-separated where the decimal mark is a comma (as
    spreadsheets of that language expect), UTF-8 with a BOM, formulas neutralised."""
    shown = _with_headers(_shown_text(frame, view, lang, currency), view, field_names)
    return to_csv_bytes(shown, sep=";" if lang == "ru" else ",")


def excel_bytes(
    frame: pd.DataFrame, view: TableView, sheet: str, *, field_names: bool = False
) -> bytes:
    """The table as shown, in Excel: human headers, numbers rounded as on screen, codes
    named, formulas neutralised."""
    shown = _with_headers(_shown_values(frame, view), view, field_names)
    return to_excel_bytes(shown, sheet)
