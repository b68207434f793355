"""Where the skill network draws each skill: the most held skills, their backbone links and a
seeded spring layout started from community positions."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd

from lib.expertise.graph import ClubGraph
from lib.expertise.network import SEED


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
