"""The map's tiles."""

from lib.expertise import graph
from lib.expertise.graph import MapView
from lib.filters import Filters
from pages.components import ui
from pages.components.kpis import Tile, kpi_row, metric_tile
from pages.components.ui import t


def kpis(club: graph.ClubGraph, view: MapView, filters: Filters) -> None:
    """The map's tiles; the one-holder count is a registry metric, marked as relative to the
    view when filters or the map's own view narrow it."""
    held = club.held_skills
    stale = float(club.claims["stale"].mean()) if len(club.claims) else None
    tiles = [
        Tile(t("map.kpi_members"), ui.fmt_number(club.club_size), t("map.kpi_members_help")),
        Tile(t("map.kpi_skills"), ui.fmt_number(len(held)), t("map.kpi_skills_help")),
        metric_tile(
            "sole_held_skills",
            int((held["bus_factor"] == 1).sum()),
            in_view=bool(filters.departments or filters.waves) or view != graph.ACTIVE_CLUB,
        ),
        Tile(
            t("map.kpi_unique_members"),
            ui.fmt_number(int((club.members["unique_count"] > 0).sum())),
            t("map.kpi_unique_members_help"),
        ),
        Tile(
            t("map.kpi_communities"),
            ui.fmt_number(len(club.communities)),
            t("map.kpi_communities_help"),
        ),
        Tile(
            t("map.kpi_stale"),
            ui.fmt_percent(stale) if stale is not None else "—",
            t("map.kpi_stale_help"),
        ),
    ]
    kpi_row(tiles, per_row=len(tiles))
