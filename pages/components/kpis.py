"""A row of KPI tiles: a short title that fits its tile, the full name and the definition in
its help, the value formatted for the reader, an optional change and sparkline."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import streamlit as st


@dataclass(frozen=True)
class Tile:
    title: str
    value: str
    help: str | None = None
    delta: str | None = None
    delta_color: str = "normal"
    delta_description: str | None = None
    trend: list[float] = field(default_factory=list)


def kpi_row(tiles: Sequence[Tile], per_row: int = 4) -> None:
    """Tiles in rows of `per_row`, each with a border, all the same width."""
    for start in range(0, len(tiles), per_row):
        columns = st.columns(per_row)
        for column, tile in zip(columns, tiles[start : start + per_row], strict=False):
            column.metric(
                tile.title,
                tile.value,
                delta=tile.delta,
                delta_color=tile.delta_color,
                delta_arrow="auto" if tile.delta else "off",
                delta_description=tile.delta_description,
                help=tile.help,
                chart_data=[round(v, 3) for v in tile.trend if v == v] or None,
                chart_type="area",
                border=True,
            )
