"""The club's skill graph: who holds what, which skills go together, what only one person knows.

Counting over claims runs in DuckDB SQL; networkx works only on the (small) club graph.
"""

from __future__ import annotations

import pandas as pd

from lib.db import Database
from lib.filters import Filters
from lib.holders import skill_claims


def _query_frames(db: Database, sql: str, params: list | None = None, **frames) -> pd.DataFrame:
    """Run SQL over DataFrames registered as views on a private cursor of the database."""
    cur = db.cursor()
    try:
        for name, frame in frames.items():
            cur.register(name, frame)
        return cur.execute(sql, params or []).df()
    finally:
        cur.close()


def skill_cooccurrence(db: Database, filters: Filters, *, min_level: int = 1) -> pd.DataFrame:
    """Pairs of skills held together by active members: skill_a < skill_b, weight = members."""
    claims = skill_claims(db, filters, min_level=min_level)[["person_id", "skill_id"]]
    return _pairs(db, claims)


def _pairs(db: Database, claims: pd.DataFrame) -> pd.DataFrame:
    """Co-occurrence counts of skill pairs over (person_id, skill_id) claims."""
    return _query_frames(
        db,
        """
        SELECT a.skill_id AS skill_a, b.skill_id AS skill_b, count(*)::INTEGER AS weight
        FROM claims a JOIN claims b ON a.person_id = b.person_id AND a.skill_id < b.skill_id
        GROUP BY ALL
        ORDER BY weight DESC, skill_a, skill_b
        """,
        claims=claims,
    )
