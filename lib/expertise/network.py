"""networkx over the club's skill graph: the bipartite people–skills graph, its weighted skill
projection, Louvain communities (fixed seed, so the same data gives the same clusters) and
bridge skills."""

from __future__ import annotations

import networkx as nx
import pandas as pd

SEED = 42
EXACT_BETWEENNESS_MAX = 300
BETWEENNESS_SAMPLES = 48
COMMUNITY_NAME_SKILLS = 2


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
