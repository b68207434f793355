"""The club's skill graph: who holds what, which skills go together, what only one person knows.

Counting over claims runs in DuckDB SQL (`counts`); networkx works only on the club's graph
(`network`). `build_club_graph` puts both together for one filter and the map's own view.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from lib.errors import Refusal
from lib.expertise.counts import (
    DEFAULT_BUS_LEVEL,
    LEVELS,
    member_uniqueness,
    pair_counts,
    skill_stats,
)
from lib.expertise.holders import CLUB_STATUSES, skill_claims
from lib.expertise.network import (
    SEED,
    bridge_skills,
    community_summary,
    skill_communities,
    skill_projection,
)
from lib.filters import Filters
from lib.settings import current_settings
from lib.store.db import Database
from lib.vocabulary import MembershipStatus, values

MAP_STATUSES = values(MembershipStatus)


@dataclass(frozen=True)
class MapView:
    """The map's own filters beyond the global ones; the defaults show the active club."""

    statuses: tuple[str, ...] = (MembershipStatus.ACTIVE.value,)
    categories: tuple[str, ...] = ()
    min_level: int = 1
    min_confidence: float = 0.0
    fresh_only: bool = False

    def __post_init__(self):
        if not self.statuses:
            raise Refusal("map.err_no_status")
        unknown = set(self.statuses) - set(MAP_STATUSES)
        if unknown:
            raise Refusal("map.err_unknown_status", statuses=", ".join(sorted(unknown)))
        if self.min_level not in LEVELS:
            raise Refusal("map.err_min_level", low=LEVELS[0], high=LEVELS[-1])
        if not 0.0 <= self.min_confidence <= 1.0:
            raise Refusal("map.err_min_confidence")


ACTIVE_CLUB = MapView()


@dataclass(frozen=True, eq=False)
class ClubGraph:
    """The club's skill graph and its metrics for one filter, as plain tables.

    `key` names what the graph was built from; caches key on it (`cache_key`).
    """

    key: str
    club_size: int
    claims: pd.DataFrame = field(repr=False)
    whole_claims: pd.DataFrame = field(repr=False)
    skills: pd.DataFrame = field(repr=False)
    members: pd.DataFrame = field(repr=False)
    pairs: pd.DataFrame = field(repr=False)
    communities: pd.DataFrame = field(repr=False)

    @property
    def cache_key(self) -> str:
        return f"ClubGraph({self.key})"

    @property
    def held_skills(self) -> pd.DataFrame:
        """Skills at least one member of the filtered club holds."""
        return self.skills[self.skills["holders"] > 0].reset_index(drop=True)


def club_claims(db: Database, filters: Filters, view: MapView = ACTIVE_CLUB) -> pd.DataFrame:
    """The best claim per member and skill for the global filters and the map's view."""
    return skill_claims(
        db,
        filters,
        statuses=view.statuses,
        min_level=view.min_level,
        min_confidence=view.min_confidence,
        categories=view.categories,
        fresh_only=view.fresh_only,
    )


def club_members(
    db: Database, filters: Filters, statuses: Iterable[str] = CLUB_STATUSES
) -> pd.DataFrame:
    """Members in `statuses` who pass the global filters (with or without skills)."""
    return db.df(
        """
        SELECT person_id, name, department, wave, status
        FROM club_members($statuses, $departments, $waves)
        ORDER BY person_id
        """,
        filters.member_params(tuple(statuses)),
    )


def build_club_graph(
    db: Database,
    filters: Filters,
    view: MapView = ACTIVE_CLUB,
    *,
    seed: int = SEED,
    bus_level: int = DEFAULT_BUS_LEVEL,
) -> ClubGraph:
    """The club's skill graph and its metrics for the filters and the view: holders, bus
    factor, freshness and communities of the filtered club; uniqueness and "only they hold"
    against the whole club (a filter narrows who is listed, never who counts as a holder).
    Bridge skills (`skill_bridges`) are computed on demand, as betweenness is the costliest
    metric and the first view does not need it."""
    claims = club_claims(db, filters, view)
    members = club_members(db, filters, view.statuses)
    whole = Filters(as_of=filters.as_of, period_months=filters.period_months)
    scoped = bool(filters.departments or filters.waves)
    whole_claims = club_claims(db, whole, view) if scoped else claims
    whole_members = club_members(db, whole, view.statuses) if scoped else members
    uniqueness = member_uniqueness(whole_claims, whole_members, db)
    listed = uniqueness[uniqueness["person_id"].isin(members["person_id"])]
    skills = skill_stats(db, claims, categories=view.categories, bus_level=bus_level)
    pairs = pair_counts(db, claims)
    projection = skill_projection(skills[skills["holders"] > 0], pairs)
    communities = skill_communities(projection, seed=seed)
    skills = skills.merge(communities, on="skill_id", how="left")
    skills = skills.astype({"community": "Int64", "rank_in_community": "Int64"})
    key = f"{db.path}@{db.data_version()}|{filters!r}|{view!r}|seed={seed}|bus_level={bus_level}"
    return ClubGraph(
        key=key,
        club_size=len(members),
        claims=claims,
        whole_claims=whole_claims,
        skills=skills,
        members=listed.reset_index(drop=True),
        pairs=pairs,
        communities=community_summary(skills),
    )


def skill_bridges(club: ClubGraph, *, seed: int = SEED) -> pd.DataFrame:
    """Bridge metrics of the club's held skills: skill_id, betweenness, communities_reached."""
    held = club.held_skills
    bridges = bridge_skills(skill_projection(held, club.pairs), held, seed=seed)
    return (
        bridges.astype({"communities_reached": "int64"})
        .sort_values(["betweenness", "skill_id"], ascending=[False, True])
        .reset_index(drop=True)
    )


def skill_categories(db: Database) -> list[str]:
    """The taxonomy's categories, for the map's category filter."""
    return [
        r[0]
        for r in db.rows(
            "SELECT DISTINCT category FROM skills WHERE category IS NOT NULL ORDER BY 1"
        )
    ]


def confidence_levels(db: Database) -> list[tuple[float, list[str]]]:
    """The distinct source confidences (0 first) with the sources that reach each."""
    confidence = current_settings(db)["source_confidence"]
    levels = sorted({0.0, *(float(v) for v in confidence.values())})
    return [(v, sorted(s for s, c in confidence.items() if c >= v)) for v in levels]
