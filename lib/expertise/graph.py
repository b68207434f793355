"""The club's skill graph: who holds what, which skills go together, what only one person knows.

Counting over claims runs in DuckDB SQL; networkx works only on the club's graph: the bipartite
people–skills graph and its weighted skill projection (skills linked by the members who hold
both). Communities are Louvain with a fixed seed, so the same data gives the same clusters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from lib import access
from lib.access import Viewer
from lib.expertise.holders import skill_claims
from lib.filters import Filters, default_as_of
from lib.io.reports import report
from lib.settings import current_settings
from lib.store.db import Database

MAP_STATUSES = ("active", "onboarding", "paused", "alumni", "candidate")
LEVELS = (1, 2, 3, 4, 5)
DEFAULT_BUS_LEVEL = 3
SEED = 42
EXACT_BETWEENNESS_MAX = 300
BETWEENNESS_SAMPLES = 48
COMMUNITY_NAME_SKILLS = 2


@dataclass(frozen=True)
class MapView:
    """The map's own filters beyond the global ones; the defaults show the active club."""

    statuses: tuple[str, ...] = ("active",)
    categories: tuple[str, ...] = ()
    min_level: int = 1
    min_confidence: float = 0.0
    fresh_only: bool = False

    def __post_init__(self):
        if not self.statuses:
            raise ValueError("Choose at least one membership status")
        unknown = set(self.statuses) - set(MAP_STATUSES)
        if unknown:
            raise ValueError(f"Unknown membership status: {', '.join(sorted(unknown))}")
        if self.min_level not in LEVELS:
            raise ValueError("The minimum level must be between 1 and 5")
        if not 0.0 <= self.min_confidence <= 1.0:
            raise ValueError("The minimum source confidence must be between 0 and 1")


ACTIVE_CLUB = MapView()


@dataclass(frozen=True, eq=False)
class ClubGraph:
    """The club's skill graph and its metrics for one filter, as plain tables.

    `key` names what the graph was built from; caches key on it (`cache_key`).
    """

    key: str
    club_size: int
    claims: pd.DataFrame = field(repr=False)
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


# -- SQL over frames ------------------------------------------------------------------------
def query_frames(db: Database, sql: str, params: list | None = None, **frames) -> pd.DataFrame:
    """Run SQL over DataFrames registered as views on a private cursor of the database."""
    cur = db.cursor()
    try:
        for name, frame in frames.items():
            cur.register(name, frame)
        return cur.execute(sql, params or []).df()
    finally:
        cur.close()


# -- claims and counts ----------------------------------------------------------------------
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


def club_members(db: Database, filters: Filters, statuses=("active",)) -> pd.DataFrame:
    """Members in `statuses` who pass the global filters (with or without skills)."""
    statuses = tuple(statuses)
    where, params = filters.member_clause()
    return db.df(
        f"""
        SELECT m.person_id, p.name, p.department, m.wave, m.status
        FROM memberships m JOIN people p USING (person_id)
        WHERE m.status IN ({", ".join("?" for _ in statuses)}) AND {where}
        ORDER BY m.person_id
        """,
        [*statuses, *params],
    )


def skill_cooccurrence(db: Database, filters: Filters, *, min_level: int = 1) -> pd.DataFrame:
    """Pairs of skills held together by active members: skill_a < skill_b, weight = members."""
    claims = skill_claims(db, filters, min_level=min_level)[["person_id", "skill_id"]]
    return _pairs(db, claims)


def _pairs(db: Database, claims: pd.DataFrame) -> pd.DataFrame:
    """Co-occurrence counts of skill pairs over (person_id, skill_id) claims."""
    return query_frames(
        db,
        """
        SELECT a.skill_id AS skill_a, b.skill_id AS skill_b, count(*)::INTEGER AS weight
        FROM claims a JOIN claims b ON a.person_id = b.person_id AND a.skill_id < b.skill_id
        GROUP BY ALL
        ORDER BY weight DESC, skill_a, skill_b
        """,
        claims=claims[["person_id", "skill_id"]],
    )


def skill_stats(
    db: Database,
    claims: pd.DataFrame,
    *,
    categories: tuple[str, ...] = (),
    bus_level: int = DEFAULT_BUS_LEVEL,
) -> pd.DataFrame:
    """Per taxonomy skill: holders (by level), bus factor, freshness, top holders, target.

    The bus factor counts holders at or above the target's minimum level when the skill is in
    the target profile, else at `bus_level`. Skills nobody holds are kept with zero holders.
    """
    category_sql = (
        f"WHERE s.category IN ({', '.join('?' for _ in categories)})" if categories else ""
    )
    by_level = ", ".join(
        f"count(*) FILTER (WHERE c.level = {level})::INTEGER AS level_{level}" for level in LEVELS
    )
    zero_levels = ", ".join(f"coalesce(h.level_{level}, 0) AS level_{level}" for level in LEVELS)
    return query_frames(
        db,
        f"""
        WITH held AS (
            SELECT c.skill_id, count(*)::INTEGER AS holders, {by_level},
                   count(*) FILTER (
                       WHERE c.level >= coalesce(t.min_level, ?)
                   )::INTEGER AS bus_factor,
                   avg(c.stale::INTEGER) AS stale_share,
                   max(c.confirmed_on) AS last_confirmed,
                   avg(c.level) AS mean_level,
                   array_to_string(list(coalesce(c.name, c.person_id)
                       ORDER BY c.level DESC, c.confirmed_on DESC NULLS LAST, c.person_id
                   )[1:3], ', ') AS top_holders
            FROM claims c LEFT JOIN target_profile t USING (skill_id)
            GROUP BY c.skill_id
        )
        SELECT s.skill_id, s.name AS skill, s.category,
               coalesce(h.holders, 0) AS holders, {zero_levels},
               coalesce(t.min_level, ?) AS bus_level,
               coalesce(h.bus_factor, 0) AS bus_factor,
               h.stale_share, h.last_confirmed::DATE AS last_confirmed, h.mean_level,
               h.top_holders,
               t.min_level AS target_min_level, t.min_people AS target_min_people,
               t.priority AS target_priority
        FROM skills s
        LEFT JOIN held h USING (skill_id)
        LEFT JOIN target_profile t USING (skill_id)
        {category_sql}
        ORDER BY holders DESC, s.skill_id
        """,
        [bus_level, bus_level, *categories],
        claims=claims,
    )


def member_uniqueness(claims: pd.DataFrame, members: pd.DataFrame, db: Database) -> pd.DataFrame:
    """Per member: skills held, uniqueness Σ log(N / holders) and the skills nobody else holds.

    N is the number of members in the filtered club (`members`), including those without skills.
    """
    return query_frames(
        db,
        """
        WITH holders AS (SELECT skill_id, count(*) AS holders FROM claims GROUP BY skill_id),
        per_member AS (
            SELECT c.person_id, count(*)::INTEGER AS skills,
                   sum(ln((SELECT count(*) FROM members) / h.holders)) AS uniqueness,
                   count(*) FILTER (WHERE h.holders = 1)::INTEGER AS unique_count,
                   array_to_string(
                       list(c.skill ORDER BY c.skill) FILTER (WHERE h.holders = 1), '; '
                   ) AS unique_skills
            FROM claims c JOIN holders h USING (skill_id)
            GROUP BY c.person_id
        )
        SELECT m.person_id, m.name, m.department, m.wave, m.status,
               coalesce(u.skills, 0) AS skills,
               round(coalesce(u.uniqueness, 0.0), 3) AS uniqueness,
               coalesce(u.unique_count, 0) AS unique_count,
               coalesce(u.unique_skills, '') AS unique_skills
        FROM members m LEFT JOIN per_member u USING (person_id)
        ORDER BY uniqueness DESC, unique_count DESC, m.person_id
        """,
        claims=claims[["person_id", "skill_id", "skill"]],
        members=members,
    )


# -- networkx ---------------------------------------------------------------------------------
def bipartite_graph(claims: pd.DataFrame) -> nx.Graph:
    """People ("person", id) and skills ("skill", id), linked by a claim weighted by level."""
    graph = nx.Graph()
    people = claims.drop_duplicates("person_id")
    skills = claims.drop_duplicates("skill_id")
    graph.add_nodes_from(
        (("person", p), {"bipartite": 0, "name": n})
        for p, n in zip(people["person_id"], people["name"], strict=True)
    )
    graph.add_nodes_from(
        (("skill", s), {"bipartite": 1, "name": n})
        for s, n in zip(skills["skill_id"], skills["skill"], strict=True)
    )
    graph.add_edges_from(
        (("person", p), ("skill", s), {"weight": int(level)})
        for p, s, level in zip(
            claims["person_id"], claims["skill_id"], claims["level"], strict=True
        )
    )
    return graph


def skill_projection(skills: pd.DataFrame, pairs: pd.DataFrame) -> nx.Graph:
    """Skills linked by co-holding members: weight = members, distance = 1 / weight."""
    graph = nx.Graph()
    graph.add_nodes_from(
        (s, {"skill": n, "holders": int(h)})
        for s, n, h in zip(skills["skill_id"], skills["skill"], skills["holders"], strict=True)
    )
    graph.add_edges_from(
        (a, b, {"weight": int(w), "distance": 1.0 / w})
        for a, b, w in zip(pairs["skill_a"], pairs["skill_b"], pairs["weight"], strict=True)
        if a in graph and b in graph
    )
    return graph


def skill_communities(projection: nx.Graph, *, seed: int = SEED) -> pd.DataFrame:
    """Louvain communities of the projection, numbered by size, named after central skills.

    A skill's centrality inside its community is the weight of its links to the community's
    other skills (ties: more holders, then the name).
    """
    found = nx.community.louvain_communities(projection, weight="weight", seed=seed)
    found = sorted(found, key=lambda c: (-len(c), min(c)))
    rows = []
    for number, members in enumerate(found, start=1):
        inner = projection.subgraph(members)
        strength = dict(inner.degree(weight="weight"))
        ranked = sorted(
            members,
            key=lambda s: (
                -strength[s],
                -projection.nodes[s]["holders"],
                projection.nodes[s]["skill"],
            ),
        )
        name = " · ".join(projection.nodes[s]["skill"] for s in ranked[:COMMUNITY_NAME_SKILLS])
        rows += [
            (s, number, name, float(strength[s]), rank) for rank, s in enumerate(ranked, start=1)
        ]
    return pd.DataFrame(
        rows, columns=["skill_id", "community", "community_name", "strength", "rank_in_community"]
    )


def bridge_skills(
    projection: nx.Graph, communities: pd.DataFrame, *, seed: int = SEED
) -> pd.DataFrame:
    """Betweenness of each skill on the projection and how many other communities its
    neighbours belong to: a bridge skill links clusters that otherwise share little.

    Shortest paths run over 1 / weight, so strongly co-held skills are close. Above
    EXACT_BETWEENNESS_MAX skills the paths are sampled from BETWEENNESS_SAMPLES sources chosen
    with `seed` and counted in hops (most links of a large club carry weight 1), which keeps
    the whole-club build around a second.
    """
    if projection.number_of_nodes() == 0:
        return pd.DataFrame(columns=["skill_id", "betweenness", "communities_reached"])
    if projection.number_of_nodes() > EXACT_BETWEENNESS_MAX:
        betweenness = nx.betweenness_centrality(projection, k=BETWEENNESS_SAMPLES, seed=seed)
    else:
        betweenness = nx.betweenness_centrality(projection, weight="distance", seed=seed)
    community = dict(zip(communities["skill_id"], communities["community"], strict=True))
    reached = {
        s: len({community[n] for n in projection.neighbors(s)} - {community[s]})
        for s in projection.nodes
    }
    return pd.DataFrame(
        {
            "skill_id": list(projection.nodes),
            "betweenness": [round(betweenness[s], 6) for s in projection.nodes],
            "communities_reached": [reached[s] for s in projection.nodes],
        }
    )


def community_summary(skills: pd.DataFrame) -> pd.DataFrame:
    """Per community: its name, skills, distinct holders' claims and its most central skills."""
    held = skills[skills["holders"] > 0]
    if held.empty:
        return pd.DataFrame(columns=["community", "community_name", "skills", "claims", "top"])
    ordered = held.sort_values(["community", "rank_in_community"])
    return (
        ordered.groupby(["community", "community_name"], as_index=False)
        .agg(
            skills=("skill_id", "size"),
            claims=("holders", "sum"),
            top=("skill", lambda s: ", ".join(s.head(5))),
        )
        .sort_values("community")
        .reset_index(drop=True)
    )


# -- the whole graph ----------------------------------------------------------------------------
def build_club_graph(
    db: Database,
    filters: Filters,
    view: MapView = ACTIVE_CLUB,
    *,
    seed: int = SEED,
    bus_level: int = DEFAULT_BUS_LEVEL,
) -> ClubGraph:
    """The club's skill graph and its metrics for the filters and the view: holders, bus
    factor, freshness, communities, uniqueness. Bridge skills (`skill_bridges`) are computed
    on demand, as betweenness is the costliest metric and the first view does not need it."""
    claims = club_claims(db, filters, view)
    members = club_members(db, filters, view.statuses)
    skills = skill_stats(db, claims, categories=view.categories, bus_level=bus_level)
    pairs = _pairs(db, claims)
    projection = skill_projection(skills[skills["holders"] > 0], pairs)
    communities = skill_communities(projection, seed=seed)
    skills = skills.merge(communities, on="skill_id", how="left")
    skills = skills.astype({"community": "Int64", "rank_in_community": "Int64"})
    key = f"{db.path}@{db.data_version()}|{filters!r}|{view!r}|seed={seed}|bus_level={bus_level}"
    return ClubGraph(
        key=key,
        club_size=len(members),
        claims=claims,
        skills=skills,
        members=member_uniqueness(claims, members, db),
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


# -- layout and narrowing ---------------------------------------------------------------------
def top_skills(club: ClubGraph, top_n: int) -> pd.DataFrame:
    """The `top_n` most held skills of the club (ties by id), the ones the network draws."""
    held = club.held_skills.sort_values(["holders", "skill_id"], ascending=[False, True])
    return held.head(top_n).reset_index(drop=True)


def backbone_pairs(club: ClubGraph, skill_ids, *, per_skill: int = 4) -> pd.DataFrame:
    """Each skill's strongest links among `skill_ids` by cosine similarity
    (weight / √(holders_a · holders_b)), so popular skills do not tie everything together.
    Columns: skill_a, skill_b, weight, similarity."""
    ids = set(skill_ids)
    pairs = club.pairs[club.pairs["skill_a"].isin(ids) & club.pairs["skill_b"].isin(ids)]
    holders = dict(zip(club.skills["skill_id"], club.skills["holders"], strict=True))
    pairs = pairs.assign(
        similarity=pairs["weight"]
        / np.sqrt(pairs["skill_a"].map(holders) * pairs["skill_b"].map(holders))
    )
    ends = pd.concat(
        [
            pairs.assign(end=pairs["skill_a"]),
            pairs.assign(end=pairs["skill_b"]),
        ]
    ).sort_values(["end", "similarity", "skill_a", "skill_b"], ascending=[True, False, True, True])
    kept = ends.groupby("end").head(per_skill).drop(columns="end")
    kept = kept.drop_duplicates(["skill_a", "skill_b"])
    return kept.sort_values(["similarity", "skill_a", "skill_b"], ascending=[False, True, True])[
        ["skill_a", "skill_b", "weight", "similarity"]
    ].reset_index(drop=True)


def skill_layout(club: ClubGraph, *, top_n: int = 150, seed: int = SEED) -> pd.DataFrame:
    """Positions of the `top_n` most held skills: a seeded spring layout of their backbone
    links, started from community positions, so the same filter always gives the same map.

    Only the shown skills are laid out, so a club of thousands of skills still opens at once.
    Columns: skill_id, x, y.
    """
    shown = top_skills(club, top_n)
    if shown.empty:
        return pd.DataFrame(columns=["skill_id", "x", "y"])
    graph = nx.Graph()
    graph.add_nodes_from(shown["skill_id"])
    links = backbone_pairs(club, shown["skill_id"])
    graph.add_weighted_edges_from(
        zip(links["skill_a"], links["skill_b"], links["similarity"], strict=True)
    )
    positions = nx.spring_layout(
        graph,
        pos=_community_start(shown, seed),
        k=1.5 / math.sqrt(len(shown)),
        iterations=100,
        weight="weight",
        seed=seed,
    )
    return pd.DataFrame(
        {
            "skill_id": list(positions),
            "x": [round(float(p[0]), 4) for p in positions.values()],
            "y": [round(float(p[1]), 4) for p in positions.values()],
        }
    )


def _community_start(shown: pd.DataFrame, seed: int) -> dict[str, tuple[float, float]]:
    """Starting positions: each community around its own point on a circle."""
    rng = np.random.default_rng(seed)
    numbers = sorted(shown["community"].dropna().unique())
    centre = {
        c: (math.cos(2 * math.pi * i / len(numbers)), math.sin(2 * math.pi * i / len(numbers)))
        for i, c in enumerate(numbers)
    }
    start = {}
    for skill_id, community in zip(shown["skill_id"], shown["community"], strict=True):
        cx, cy = centre.get(community, (0.0, 0.0))
        dx, dy = rng.normal(0, 0.25, 2)
        start[skill_id] = (cx + dx, cy + dy)
    return start


def skill_neighbours(club: ClubGraph, skill_id: str) -> pd.DataFrame:
    """Skills co-held with `skill_id`, strongest first: skill_id, weight."""
    pairs = club.pairs
    left = pairs[pairs["skill_a"] == skill_id].rename(columns={"skill_b": "other"})
    right = pairs[pairs["skill_b"] == skill_id].rename(columns={"skill_a": "other"})
    both = pd.concat([left[["other", "weight"]], right[["other", "weight"]]])
    both = both.rename(columns={"other": "skill_id"})
    return both.sort_values(["weight", "skill_id"], ascending=[False, True]).reset_index(drop=True)


def narrow(
    club: ClubGraph, *, skill_id: str | None = None, person_id: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The skills and members tables narrowed by a focus: a skill shows who holds it and what
    goes with it; a member shows their skills and the members who share them."""
    skills, members = club.held_skills, club.members
    claims = club.claims
    if skill_id:
        holders = claims[claims["skill_id"] == skill_id][["person_id", "level"]]
        members = holders.merge(members, on="person_id").sort_values(
            ["level", "uniqueness"], ascending=False
        )
        linked = skill_neighbours(club, skill_id)
        order = [skill_id, *linked["skill_id"]]
        skills = skills.set_index("skill_id").reindex(order).dropna(subset=["skill"])
        skills = skills.reset_index().merge(
            linked.rename(columns={"weight": "shared_holders"}), on="skill_id", how="left"
        )
    if person_id:
        own = claims[claims["person_id"] == person_id]
        skills = club.held_skills[club.held_skills["skill_id"].isin(own["skill_id"])]
        shared = claims[claims["skill_id"].isin(own["skill_id"])]
        overlap = shared.groupby("person_id").size().rename("shared_skills").reset_index()
        if not skill_id:
            members = overlap.merge(club.members, on="person_id").sort_values(
                ["shared_skills", "uniqueness"], ascending=False
            )
    return skills.reset_index(drop=True), members.reset_index(drop=True)


def unique_labels(names: pd.Series, ids: pd.Series) -> list[str]:
    """Display names, with the id added where two people share a name."""
    names = names.fillna(ids)
    twice = names.duplicated(keep=False)
    return [f"{n} ({i})" if dup else n for n, i, dup in zip(names, ids, twice, strict=True)]


@dataclass(frozen=True)
class SkillMatrix:
    """A person × skill grid of levels and its long form, with how much was left out."""

    levels: pd.DataFrame
    cells: pd.DataFrame
    members_total: int
    skills_total: int


def skill_matrix(
    club: ClubGraph,
    *,
    skill_order: str = "category",
    member_order: str = "uniqueness",
    skill_id: str | None = None,
    person_id: str | None = None,
    max_members: int = 60,
    max_skills: int = 60,
) -> SkillMatrix:
    """Levels of members (rows) in skills (columns), narrowed by a focus and capped in size.

    The most unique members are kept when capped (a focused member comes first); of their
    skills, those only one member holds are kept first, then the most held. skill_order
    "category" groups the columns by category, "rarity" puts the rarest first; member_order
    "uniqueness" puts the most unique members first, "name" sorts them alphabetically.
    """
    if skill_order not in ("category", "rarity") or member_order not in ("uniqueness", "name"):
        raise ValueError("Unknown matrix order")
    claims = club.claims
    holders = claims.groupby("skill_id").size().rename("holders")
    members = club.members[club.members["skills"] > 0]
    cells = claims
    if skill_id:
        members = members[
            members["person_id"].isin(claims.loc[claims.skill_id == skill_id].person_id)
        ]
    if person_id:
        own = claims.loc[claims.person_id == person_id, "skill_id"]
        members = members[
            members["person_id"].isin(claims.loc[claims.skill_id.isin(own), "person_id"])
        ]
        cells = cells[cells["skill_id"].isin(own)]
    cells = cells[cells["person_id"].isin(members["person_id"])].merge(holders, on="skill_id")
    members_total, skills_total = len(members), cells["skill_id"].nunique()
    members = members.assign(focus=members["person_id"] == (person_id or ""))
    members = members.sort_values(
        ["focus", "uniqueness", "person_id"], ascending=[False, False, True]
    ).head(max_members)
    if member_order == "name":
        members = members.sort_values(["focus", "name", "person_id"], ascending=[False, True, True])
    members = members.assign(label=unique_labels(members["name"], members["person_id"]))
    cells = cells.merge(members[["person_id", "label"]], on="person_id")
    skills = cells.drop_duplicates("skill_id")[["skill_id", "skill", "category", "holders"]]
    skills = (
        skills.assign(unique=skills["holders"] == 1)
        .sort_values(["unique", "holders", "skill_id"], ascending=[False, False, True])
        .head(max_skills)
    )
    if skill_order == "category":
        skills = skills.sort_values(["category", "holders", "skill"], ascending=[True, False, True])
    else:
        skills = skills.sort_values(["holders", "skill", "skill_id"])
    skills = skills.assign(column=unique_labels(skills["skill"], skills["skill_id"]))
    cells = cells.merge(skills[["skill_id", "column"]], on="skill_id")
    cells = cells.assign(unique=cells["holders"] == 1)
    levels = (
        cells.pivot_table(index="label", columns="column", values="level", aggfunc="max")
        .reindex(index=members["label"], columns=skills["column"])
        .rename_axis(index=None, columns=None)
    )
    keep = ["label", "column", "person_id", "skill_id", "skill", "category", "level", "source"]
    return SkillMatrix(
        levels=levels,
        cells=cells[[*keep, "stale", "holders", "unique"]].reset_index(drop=True),
        members_total=members_total,
        skills_total=skills_total,
    )


# -- a member ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class MemberProfile:
    """One member as the map shows them: who, what they know, what they did, their path."""

    person: dict
    skills: pd.DataFrame
    activities: pd.DataFrame
    history: pd.DataFrame


def member_profile(
    db: Database,
    viewer: Viewer | None,
    club: ClubGraph,
    person_id: str,
    *,
    as_of=None,
    recent: int = 10,
) -> MemberProfile:
    """Skills (level, source, last confirmation, holders in the filtered club, unique ones),
    recent activities and membership history; no capacity, interview text or exit reasons
    unless the viewer's role may see them."""
    access.require_page(viewer, "expertise_map")
    found = db.df(
        """
        SELECT p.person_id, p.name, p.department, p.team, p.position, p.location,
               m.wave, m.status, m.joined_on, m.left_on
        FROM people p JOIN memberships m USING (person_id) WHERE p.person_id = ?
        """,
        [person_id],
    )
    if found.empty:
        raise ValueError(f"No club member with id {person_id}")
    as_of = as_of or default_as_of()
    claims = skill_claims(db, Filters(as_of=as_of), statuses=MAP_STATUSES)
    own = claims[claims["person_id"] == person_id]
    others = club.claims[club.claims["person_id"] != person_id]
    held_by_others = others.groupby("skill_id").size().rename("other_holders")
    skills = own.merge(held_by_others, on="skill_id", how="left").fillna({"other_holders": 0})
    skills = skills.assign(
        other_holders=skills["other_holders"].astype(int),
        unique=skills["other_holders"] == 0,
        evidence=_evidence(db, viewer, person_id, skills["skill_id"]),
    )
    columns = ["skill_id", "skill", "category", "level", "source", "confirmed_on", "stale"]
    skills = skills[[*columns, "other_holders", "unique", "evidence"]].sort_values(
        ["unique", "level", "skill"], ascending=[False, False, True]
    )
    return MemberProfile(
        person=found.iloc[0].to_dict(),
        skills=skills.reset_index(drop=True),
        activities=_recent_activities(db, person_id, as_of, recent),
        history=membership_history(db, viewer, person_id),
    )


def _evidence(db: Database, viewer: Viewer | None, person_id: str, skill_ids) -> list[str]:
    """Claim evidence per skill, in skill order; interview text only for roles that see it."""
    hidden = () if access.can(viewer, "see_interview_text") else ("interview",)
    found = db.df(
        f"""
        SELECT skill_id, string_agg(DISTINCT evidence, '; ' ORDER BY evidence) AS evidence
        FROM person_skills
        WHERE person_id = ? AND evidence IS NOT NULL AND trim(evidence) <> ''
          {"AND source NOT IN (?)" if hidden else ""}
        GROUP BY skill_id
        """,
        [person_id, *hidden],
    )
    text = dict(zip(found["skill_id"], found["evidence"], strict=True))
    return [text.get(s, "") for s in skill_ids]


def _recent_activities(db: Database, person_id: str, as_of, limit: int) -> pd.DataFrame:
    """The member's latest activities with the names of the skills they drew on."""
    return db.df(
        """
        WITH recent AS (
            SELECT * FROM activities
            WHERE person_id = ? AND occurred_on <= ?
            ORDER BY occurred_on DESC, activity_id DESC
            LIMIT ?
        ),
        named AS (
            SELECT r.activity_id, array_to_string(
                       list(coalesce(s.name, u.skill_id) ORDER BY u.pos), ', ') AS skills
            FROM recent r,
                 LATERAL (SELECT unnest(r.skills) AS skill_id,
                                 generate_subscripts(r.skills, 1) AS pos) u
            LEFT JOIN skills s ON s.skill_id = u.skill_id
            GROUP BY r.activity_id
        )
        SELECT r.occurred_on, r.kind, r.title, r.audience, coalesce(n.skills, '') AS skills
        FROM recent r LEFT JOIN named n USING (activity_id)
        ORDER BY r.occurred_on DESC, r.activity_id DESC
        """,
        [person_id, as_of, limit],
    )


def membership_history(db: Database, viewer: Viewer | None, person_id: str) -> pd.DataFrame:
    """Status changes of a member, oldest first; notes (which may carry exit reasons) only
    for roles that may see exit reasons."""
    history = db.df(
        """
        SELECT changed_on, from_status, to_status, note FROM membership_events
        WHERE person_id = ? ORDER BY changed_on, to_status
        """,
        [person_id],
    )
    if not access.can(viewer, "see_exit_reasons"):
        history = history.drop(columns=["note"])
    return history


def engagement_levels(db: Database, filters: Filters, viewer: Viewer | None) -> pd.DataFrame:
    """Members' engagement levels (person_id, level) for roles that see engagement; empty when
    engagement scoring is not available. Capacity never leaves this function."""
    try:
        from lib.engagement.scoring import member_scores
    except ImportError:
        return pd.DataFrame(columns=["person_id", "level"])
    if not access.can_open(viewer, "engagement"):
        return pd.DataFrame(columns=["person_id", "level"])
    return member_scores(db, filters)[["person_id", "level"]]


# -- filter choices -------------------------------------------------------------------------
def skill_categories(db: Database) -> list[str]:
    return [
        r[0]
        for r in db.rows(
            "SELECT DISTINCT category FROM skills WHERE category IS NOT NULL ORDER BY 1"
        )
    ]


def confidence_levels(db: Database) -> list[tuple[float, list[str]]]:
    """The distinct source confidences (0 first) with the sources that reach each."""
    confidence = current_settings(db)["source_confidence"]
    values = sorted({0.0, *(float(v) for v in confidence.values())})
    return [(v, sorted(s for s, c in confidence.items() if c >= v)) for v in values]


# -- reports -----------------------------------------------------------------------------------
COVERAGE_COLUMNS = [
    "skill_id",
    "skill",
    "category",
    "holders",
    *[f"level_{level}" for level in LEVELS],
    "bus_level",
    "bus_factor",
    "stale_share",
    "last_confirmed",
    "target_min_level",
    "target_min_people",
    "target_priority",
]


def coverage(db: Database, filters: Filters, view: MapView = ACTIVE_CLUB) -> pd.DataFrame:
    """Per taxonomy skill: category, holders by level, bus factor, freshness and the target."""
    claims = club_claims(db, filters, view)
    stats = skill_stats(db, claims, categories=view.categories)
    return stats[COVERAGE_COLUMNS]


@report("coverage", "Per skill: holders by level, bus factor, freshness and the target")
def coverage_report(db: Database, viewer: Viewer | None, **options) -> pd.DataFrame:
    access.require_page(viewer, "expertise_map")
    return coverage(db, Filters())


@report("unique-skills", "Per member: uniqueness score and the skills only they hold")
def unique_skills_report(db: Database, viewer: Viewer | None, **options) -> pd.DataFrame:
    access.require_page(viewer, "expertise_map")
    filters = Filters()
    claims = club_claims(db, filters)
    members = club_members(db, filters)
    return member_uniqueness(claims, members, db)
