"""What the Expertise map views share: the map's columns (headers, formats, names of stored
words) for the shared table."""

from typing import Any

import pandas as pd

from lib import formatting
from lib.formatting import Format
from pages.components import tables
from pages.components.tables import Columns, code_label
from pages.components.ui import t

PROGRESS = ("stale_share",)


def status_name(status: Any) -> str:
    return formatting.BLANK if formatting.is_blank(status) else t(f"status.{status}")


def membership_name(status: str) -> str:
    return t("map.membership_none") if status == "none" else status_name(status)


def source_names(sources: str) -> str:
    """'self, curator' as the reader names the sources."""
    return ", ".join(t(f"map.source_{s}") for s in str(sources).split(", ") if s)


COLUMNS = Columns(
    "map.col_",
    formats={
        "betweenness": Format.DECIMAL2,
        "uniqueness": Format.DECIMAL1,
        "relevance": Format.DECIMAL1,
        **dict.fromkeys(
            ("last_confirmed", "confirmed_on", "last_activity", "occurred_on", "changed_on"),
            Format.DATE,
        ),
    },
    codes={
        "status": status_name,
        "from_status": status_name,
        "to_status": status_name,
        "membership": membership_name,
        "source": code_label("map.source_"),
        "sources": source_names,
        "kind": code_label("map.kind_"),
    },
)


def table(frame: pd.DataFrame, name: str, columns: list[str] | None = None, **options) -> Any:
    """The map's table of `columns` (all by default) with its CSV and Excel downloads."""
    return tables.table(frame, name, COLUMNS, columns, progress=PROGRESS, **options)
