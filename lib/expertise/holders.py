"""Who holds which skill: the one query every map, coverage and gap view builds on.

A person may claim a skill from several sources (self, peer, interview, activity, curator);
the best claim counts: its highest level, the source that gave it, the latest confirmation.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from lib.filters import Filters
from lib.settings import current_settings
from lib.store.db import Database, named_sql
from lib.vocabulary import MembershipStatus

CLUB_STATUSES = (MembershipStatus.ACTIVE,)
UNKNOWN_SOURCE_CONFIDENCE = 0.5


def skill_claims(
    db: Database,
    filters: Filters,
    *,
    statuses: Iterable[str] = CLUB_STATUSES,
    min_level: int = 1,
    min_confidence: float = 0.0,
    categories: Iterable[str] = (),
    fresh_only: bool = False,
) -> pd.DataFrame:
    """Best claim per member and skill, for members in `statuses` who pass the filters.

    Columns: person_id, name, department, wave, status, skill_id, skill, category, level,
    source, confidence, confirmed_on, stale (not confirmed within the stale-days setting).
    A source without a confidence setting counts as UNKNOWN_SOURCE_CONFIDENCE.
    """
    settings = current_settings(db)
    confidence = settings["source_confidence"]
    stale_before = pd.Timestamp(filters.as_of) - pd.Timedelta(days=settings["stale_days"])
    frame = db.df(
        named_sql("skill_claims"),
        {
            "sources": list(confidence),
            "confidences": [float(v) for v in confidence.values()],
            "unknown_confidence": UNKNOWN_SOURCE_CONFIDENCE,
            "min_confidence": min_confidence,
            "stale_before": stale_before.date(),
            "min_level": min_level,
            "categories": list(categories),
            **filters.member_params(tuple(statuses)),
        },
    )
    if fresh_only:
        frame = frame[~frame["stale"]].reset_index(drop=True)
    return frame
