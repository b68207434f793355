"""Impact of a treatment on activity, shared by recognitions and events (SPEC.md §2
"Recognition and event impact").

A case is one treatment (a recognition, an event attended) of a member in the club `days`
before and after it. Its effect is a difference in differences: the member's activities in the
`days` after minus the `days` before, against the same change averaged over a comparison group
— members of the same wave and level at the end of the month before, in the club throughout,
without such a treatment in those days. The query is the named SQL `impact_cases`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd

from lib.engagement.scoring import scores_at
from lib.filters import Filters
from lib.settings import current_settings
from lib.store.db import Database, named_sql
from lib.store.shared import per_data_version
from lib.vocabulary import EVER_MEMBER_STATUSES

IMPACT_DAYS = 60
CASE_COLUMNS = (
    "person_id",
    "name",
    "department",
    "wave",
    "event_id",
    "treated_on",
    "kind",
    "level",
    "before",
    "after",
    "peers",
    "peer_before",
    "peer_after",
    "effect",
)


@dataclass(frozen=True)
class Treatment:
    """What a case is: a row of the `treatments` view with this `source`. Comparison members
    must have had no treatment of that source in the window — of any kind, or of the case's
    own kind when `same_kind_only`."""

    source: str
    same_kind_only: bool


RECOGNITION = Treatment(source="recognition", same_kind_only=False)
EVENT_ATTENDANCE = Treatment(source="event", same_kind_only=True)


def _level_dates(db: Database, treatment: Treatment, first: date, last: date) -> list[date]:
    """The month ends before each treatment day of the window: the days levels are read on."""
    return [
        r[0]
        for r in db.rows(
            "SELECT DISTINCT (date_trunc('month', treated_on) - INTERVAL 1 DAY)::DATE "
            "FROM treatments WHERE source = $source AND treated_on BETWEEN $first AND $last "
            "ORDER BY 1",
            {"source": treatment.source, "first": first, "last": last},
        )
    ]


@per_data_version
def impact_cases(
    db: Database,
    filters: Filters,
    treatment: Treatment,
    *,
    days: int = IMPACT_DAYS,
    settings: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """Every treatment of the period with complete windows, one row per treatment: the member,
    the event (events only), the day, kind and level, activities before and after, the
    comparison group's size and average activities before and after, and the effect."""
    settings = settings or current_settings(db)
    first, last = filters.period_start, filters.as_of - timedelta(days=days - 1)
    level_dates = _level_dates(db, treatment, first, last)
    if not level_dates:
        return pd.DataFrame(columns=list(CASE_COLUMNS))
    levels = scores_at(db, filters, level_dates, settings=settings, statuses=EVER_MEMBER_STATUSES)[
        ["taken_on", "person_id", "level"]
    ]
    params = {
        **filters.member_params(EVER_MEMBER_STATUSES),
        "source": treatment.source,
        "same_kind_only": treatment.same_kind_only,
        "days": days,
        "first": first,
        "last": last,
    }
    cur = db.cursor()
    try:
        cur.register("member_levels", levels)
        cases = cur.execute(named_sql("impact_cases"), params).df()
    finally:
        cur.close()
    return cases[list(CASE_COLUMNS)]
