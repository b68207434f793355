"""What the board report adds to the Overview: the gaps summary, the bus-factor risks and the
at-risk summary — aggregates only, so leadership reads them without any person's name."""

from __future__ import annotations

import pandas as pd

from lib.filters import Filters
from lib.insights.interviews import OTHER, merge_small_segments
from lib.metrics import Inputs
from lib.recruitment.coverage import gap_summary
from lib.settings import current_settings
from lib.store.db import Database
from lib.vocabulary import Priority

PRIORITY_ORDER = {str(p): rank for rank, p in enumerate(Priority)}
TOP_GAPS = 8


def gaps_overview(db: Database, filters: Filters) -> tuple[dict, pd.DataFrame]:
    """Headline numbers of the target profile and its largest open gaps (must-haves first)."""
    coverage = Inputs(db, filters).coverage
    open_gaps = coverage[coverage["gap"] > 0].assign(
        rank=lambda f: f["priority"].map(PRIORITY_ORDER)
    )
    top = open_gaps.sort_values(["rank", "weighted_gap", "skill"], ascending=[True, False, True])
    columns = ["skill", "priority", "min_people", "coverage", "gap"]
    return gap_summary(coverage), top.head(TOP_GAPS)[columns].reset_index(drop=True)


def bus_factor_risks(db: Database, filters: Filters) -> pd.DataFrame:
    """Target skills held by exactly one active member at the required level: skill, priority
    and category, no names."""
    coverage = Inputs(db, filters).coverage
    single = coverage[coverage["coverage"] == 1].assign(
        rank=lambda f: f["priority"].map(PRIORITY_ORDER)
    )
    ordered = single.sort_values(["rank", "skill"])
    return ordered[["skill", "priority", "category"]].reset_index(drop=True)


def at_risk_overview(db: Database, filters: Filters) -> pd.DataFrame:
    """Members at risk per department beside the members scored there; departments with fewer
    scored members than the privacy minimum are folded into "other"."""
    scores = Inputs(db, filters).scores
    if scores.empty:
        return pd.DataFrame(columns=["department", "scored", "at_risk", "share"])
    departments = scores["department"].fillna("—")
    minimum = int(current_settings(db)["segment_min_interviews"])
    shown = merge_small_segments(departments.value_counts().to_dict(), minimum)
    grouped = (
        scores.assign(department=departments.map(shown), at_risk=scores["at_risk"].fillna(False))
        .dropna(subset=["department"])
        .groupby("department")
        .agg(scored=("person_id", "size"), at_risk=("at_risk", "sum"))
        .reset_index()
    )
    grouped["at_risk"] = grouped["at_risk"].astype(int)
    grouped["share"] = grouped["at_risk"] / grouped["scored"]
    grouped["last"] = grouped["department"] == OTHER
    ordered = grouped.sort_values(["last", "at_risk", "department"], ascending=[True, False, True])
    return ordered.drop(columns="last").reset_index(drop=True)
