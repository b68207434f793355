"""The recruitment view's command-line reports: the gaps table and the second-wave shortlist."""

from __future__ import annotations

from typing import Any

import pandas as pd

from lib.access import Viewer
from lib.filters import Filters
from lib.io.reports import report
from lib.recruitment.coverage import coverage_by_skill
from lib.recruitment.shortlist import shortlist_second_wave
from lib.store.db import Database


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    """List cells joined with '; ' for tables, CSV and JSON."""
    out = frame.copy()
    for column in out.columns:
        if len(out) and isinstance(out[column].iloc[0], list):
            out[column] = out[column].map("; ".join)
    return out


@report("gaps", "Target skills: holders at the required level, gap and priority-weighted gap")
def gaps_report(db: Database, viewer: Viewer | None, **options: Any) -> pd.DataFrame:
    """The coverage table of the whole club as of today."""
    return _flat(coverage_by_skill(db, Filters()))


@report(
    "shortlist",
    "Second-wave shortlist: K people closing the most weighted gaps (--size, --max-per-department)",
)
def shortlist_report(
    db: Database,
    viewer: Viewer | None,
    size: int = 20,
    max_per_department: int | None = None,
    **options: Any,
) -> pd.DataFrame:
    """The greedy shortlist with each pick's reason and marginal gain."""
    result = shortlist_second_wave(
        db, viewer, Filters(), size=size, max_per_department=max_per_department
    )
    return _flat(result.picks)
