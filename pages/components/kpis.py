"""A row of KPI tiles: a short title that fits its tile, the full name and the definition in
its help, the value formatted for the reader, an optional change and sparkline."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import streamlit as st

from lib.formatting import MINUS

# The most tiles side by side: at 1280 px a tile then holds a title of about 18 characters.
MAX_PER_ROW = 4


@dataclass(frozen=True)
class Tile:
    title: str
    value: str
    help: str | None = None
    delta: str | None = None
    delta_color: str = "normal"
    delta_arrow: str = "auto"
    delta_description: str | None = None
    trend: list[float] = field(default_factory=list)


def kpi_row(tiles: Sequence[Tile], per_row: int = MAX_PER_ROW) -> None:
    """Tiles in rows of at most `per_row` (never more than MAX_PER_ROW, so a title has room at
    1280 px), rows filled evenly, each tile with a border, all the same width."""
    rows = -(-len(tiles) // max(1, min(per_row, MAX_PER_ROW)))
    per_row = -(-len(tiles) // rows) if rows else 1
    for start in range(0, len(tiles), per_row):
        columns = st.columns(per_row)
        for column, tile in zip(columns, tiles[start : start + per_row], strict=False):
            colour, arrow = _delta_look(tile)
            column.metric(
                tile.title,
                tile.value,
                delta=tile.delta,
                delta_color=colour,
                delta_arrow=arrow,
                delta_description=tile.delta_description,
                help=tile.help,
                chart_data=[round(v, 3) for v in tile.trend if v == v] or None,
                chart_type="area",
                border=True,
            )


def _delta_look(tile: Tile) -> tuple[str, str]:
    """The change's colour and arrow. Streamlit reads a change's sign from a leading ASCII
    hyphen; ours starts with a real minus ("−25,0"), so the sign is read here."""
    if not tile.delta:
        return tile.delta_color, "off"
    if tile.delta_color not in ("normal", "inverse") or tile.delta_arrow != "auto":
        return tile.delta_color, tile.delta_arrow
    falling = tile.delta.startswith((MINUS, "-"))
    rising = tile.delta.startswith("+")
    if not (falling or rising):
        return "gray", "off"
    good = rising if tile.delta_color == "normal" else falling
    return ("green" if good else "red"), ("up" if rising else "down")


def metric_tile(
    key: str,
    value: float | int | None,
    *,
    in_view: bool = False,
    change: float | None = None,
    delta_description: str | None = None,
    trend: list[float] | None = None,
) -> Tile:
    """A tile for a registry metric: its short title (marked when the number is relative to
    the current view), its value formatted for the reader, its full name and definition in
    the help, and its change coloured by whether higher is better."""
    from lib import metrics
    from lib.settings import current_settings
    from pages.components import ui

    spec = metrics.metric(key)
    lang = ui.lang()
    title = spec.title(lang)
    if in_view:
        title = ui.t("metrics.in_view", title=title)
    definition = spec.help(lang, **metrics.help_values(current_settings(ui.database()), lang))
    moved = change is not None and abs(change) > 1e-9
    better = moved and (change > 0) == spec.higher_is_better
    return Tile(
        title=title,
        value=spec.shown(value, lang),
        help=f"**{spec.name(lang)}**  \n{definition}",
        delta=spec.shown_change(change, lang) if change is not None else None,
        delta_color=("green" if better else "red") if moved else "gray",
        delta_arrow=("up" if change > 0 else "down") if moved else "off",
        delta_description=delta_description,
        trend=trend or [],
    )
