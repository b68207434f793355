"""The speaking pipeline's command-line reports: open calls with the members who fit them,
and the submissions as the viewer's role may see them."""

from __future__ import annotations

from typing import Any

import pandas as pd

from lib.access import Viewer
from lib.conferences.matching import speaker_matches
from lib.conferences.records import open_calls, submission_list
from lib.filters import Filters
from lib.io.reports import report
from lib.store.db import Database


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    """List cells joined with '; ' for tables, CSV and JSON."""
    out = frame.copy()
    for column in out.columns:
        if out[column].map(lambda v: isinstance(v, list)).any():
            out[column] = out[column].map(
                lambda v: "; ".join(map(str, v)) if isinstance(v, list) else v
            )
    return out


@report("cfp", "Open calls for papers, nearest deadline first, with the members who fit them")
def cfp_report(db: Database, viewer: Viewer | None, **options: Any) -> pd.DataFrame:
    """One row per open call and fitting member (a call nobody fits keeps one row)."""
    filters = Filters()
    calls = open_calls(db, filters.as_of)
    matches = speaker_matches(db, viewer, filters, calls["conference_id"], per_conference=5)
    columns = ["conference_id", "name", "city", "starts_on", "cfp_closes", "days_to_close"]
    frame = calls[[*columns, "topics"]].rename(columns={"name": "conference"})
    member = [c for c in matches.columns if c not in ("conference", "department")]
    frame = frame.merge(matches[member], on="conference_id", how="left")
    return _flat(frame)


@report("submissions", "Talk submissions with conference, speakers, skills, status and dates")
def submissions_report(db: Database, viewer: Viewer | None, **options: Any) -> pd.DataFrame:
    """Every submission the role may see (leadership: accepted and delivered talks)."""
    frame = submission_list(db, viewer, Filters().as_of)
    return _flat(frame.drop(columns=["skills", "abstract"]))
