"""The recruitment view's command-line reports: the gaps table and the second-wave shortlist."""

from __future__ import annotations

from typing import Any

import pandas as pd

from lib.access import Viewer
from lib.errors import Refusal, message
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
    """The shortlist with each pick's basis, reason and marginal gain. When the pool cannot
    fill every place, `attrs["note"]` says why (the CLI prints it on stderr and ends a written
    file with it)."""
    result = shortlist_second_wave(
        db, viewer, Filters(), size=size, max_per_department=max_per_department
    )
    frame = _flat(result.picks)
    facts = result.summary
    if facts["shortfall"]:
        frame.attrs["note"] = message(
            Refusal(
                f"gaps.shortfall_{facts['shortfall']}",
                picked=facts["picked"],
                size=facts["size"],
                cap=facts["max_per_department"],
                hours=facts["min_hours"],
            )
        )
    return frame
