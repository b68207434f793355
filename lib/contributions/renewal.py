"""Renewal readiness (SPEC.md §2): a rolling window (a year by default) per member —
contributions by kind, points against the expectation for their capacity, the verified share —
and a status: on track, needs attention or review, with the criteria that decided it.

Points are the engagement formula's without decay (a talk eleven months ago counts as much as
one last week), summed over the window; the expectation is the member's hours available in the
window × a rate calibrated, like the engagement index's, so that the median active member of
the whole club is at 1 (the same floors apply, scaled to the window). A member who joined
inside the window is expected only for the days since they joined.

Status, with the `renewal_*` settings: review when there is no contribution at all or the
ratio is below the review ratio; on track with at least the minimum contributions, the
on-track ratio and the verified share; needs attention otherwise. Contributions here are the
member's stored or recorded ones in the window, rejected ones aside; the verified share is
verified ÷ (verified + pending).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pandas as pd

from lib import access, i18n
from lib.access import Viewer
from lib.engagement.scoring import scores_at
from lib.filters import Filters
from lib.io.reports import report
from lib.settings import current_settings
from lib.store.db import Database
from lib.vocabulary import SELF_SERVICE_STATUSES, ActivityKind, values

STATUSES = ("on_track", "needs_attention", "review")
NO_DECAY_DAYS = 1e12
KINDS = values(ActivityKind)
COLUMNS = [
    "person_id",
    "name",
    "department",
    "status",
    "joined_on",
    "contributions",
    "verified",
    "pending",
    "verified_share",
    "by_kind",
    "points",
    "expected",
    "ratio",
    "hours_available",
    "readiness",
    "reasons",
]
# Columns that give a member's workload away: their own, or for staff who may see capacity.
WORKLOAD_COLUMNS = ("points", "expected", "hours_available")


def window_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """The engagement settings turned into the renewal yardstick: the renewal window, no
    decay, the capacity floors scaled to the window, and a rate calibrated on it."""
    window = int(settings["renewal_window_days"])
    scale = window / int(settings["window_days"])
    return {
        **settings,
        "window_days": window,
        "half_life_days": NO_DECAY_DAYS,
        "calibration_windows": 1,
        "min_hours_in_window": float(settings["min_hours_in_window"]) * scale,
        "min_expected_points": float(settings["min_expected_points"]) * scale,
        "expected_points_per_hour": None,
    }


def _counts(db: Database, filters: Filters, since) -> pd.DataFrame:
    """Per member: contributions in (since, as_of] by status and by kind."""
    frame = db.df(
        "SELECT person_id, kind, status, count(*)::INTEGER AS n FROM contribution_list "
        "WHERE occurred_on > $since AND occurred_on <= $as_of AND status <> 'rejected' "
        "GROUP BY ALL",
        {"since": since, "as_of": filters.as_of},
    )
    totals = frame.pivot_table(index="person_id", columns="status", values="n", aggfunc="sum")
    totals = totals.reindex(columns=["verified", "pending"], fill_value=0).fillna(0).astype(int)
    kinds = frame.groupby(["person_id", "kind"])["n"].sum()
    by_kind = {
        person: {kind: int(kinds[person][kind]) for kind in KINDS if kind in kinds[person]}
        for person in kinds.index.get_level_values(0).unique()
    }
    totals["by_kind"] = pd.Series(by_kind, dtype=object)
    return totals.reset_index()


def readiness(row: dict[str, Any], settings: dict[str, Any]) -> tuple[str, list[str]]:
    """The status of one member and the criteria that kept them from being on track."""
    reasons = []
    if row["contributions"] == 0:
        return "review", ["nothing"]
    if row["ratio"] < settings["renewal_review_ratio"]:
        return "review", ["very_low_points"]
    if row["contributions"] < settings["renewal_min_contributions"]:
        reasons.append("few_contributions")
    if row["ratio"] < settings["renewal_on_track_ratio"]:
        reasons.append("low_points")
    share = row["verified_share"]
    if share is None or pd.isna(share) or share < settings["renewal_min_verified_share"]:
        reasons.append("unverified")
    return ("needs_attention" if reasons else "on_track"), reasons


def club_readiness(db: Database, filters: Filters) -> pd.DataFrame:
    """Renewal readiness of every current member who passes the filters (no access check:
    `renewal_readiness` applies the viewer's rights)."""
    settings = current_settings(db)
    yardstick = window_settings(settings)
    scores = scores_at(
        db, filters, [filters.as_of], settings=yardstick, statuses=SELF_SERVICE_STATUSES
    )
    since = filters.as_of - timedelta(days=int(settings["renewal_window_days"]))
    joined = db.df("SELECT person_id, joined_on FROM memberships")
    frame = scores[["person_id", "name", "department", "status", "points", "expected"]]
    frame = frame.assign(hours_available=scores["hours_available"]).merge(
        joined, on="person_id", how="left"
    )
    frame = frame.merge(_counts(db, filters, since), on="person_id", how="left")
    frame[["verified", "pending"]] = frame[["verified", "pending"]].fillna(0).astype(int)
    frame["by_kind"] = frame["by_kind"].map(lambda v: v if isinstance(v, dict) else {})
    frame["contributions"] = frame["verified"] + frame["pending"]
    decided = frame["contributions"].where(frame["contributions"] > 0)
    frame["verified_share"] = (frame["verified"] / decided).astype(float)
    frame["expected"] = [_tenure_expected(row, since, yardstick) for row in frame.itertuples()]
    frame["ratio"] = (frame["points"] / frame["expected"]).clip(upper=float(settings["index_cap"]))
    judged = [readiness(row, settings) for row in frame.to_dict("records")]
    frame["readiness"] = [status for status, _ in judged]
    frame["reasons"] = [reasons for _, reasons in judged]
    frame["joined_on"] = pd.to_datetime(frame["joined_on"]).dt.date
    order = {status: rank for rank, status in enumerate(reversed(STATUSES))}
    frame = frame.assign(rank=frame["readiness"].map(order))
    frame = frame.sort_values(["rank", "ratio", "name"], ascending=[True, True, True])
    return frame[COLUMNS].reset_index(drop=True)


def _tenure_expected(row: Any, since, yardstick: dict[str, Any]) -> float:
    """The expectation for the days of the window the member has been in the club."""
    joined = row.joined_on
    if joined is None or pd.isna(joined) or pd.Timestamp(joined).date() <= since:
        return float(row.expected)
    window = int(yardstick["window_days"])
    share = max(0, (window - (pd.Timestamp(joined).date() - since).days)) / window
    return max(float(row.expected) * share, float(yardstick["min_expected_points"]) * share, 0.01)


def renewal_readiness(db: Database, viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """Renewal readiness as the viewer may see it: the whole (filtered) club for curators and
    administrators, their own row for a member; workload columns only for those who may see
    capacity and for the member themselves."""
    if viewer is not None and viewer.is_member:
        person = access.subject(viewer)
        frame = club_readiness(db, Filters(as_of=filters.as_of))
        return frame[frame["person_id"] == person].reset_index(drop=True)
    access.require(viewer, "see_renewal")
    frame = club_readiness(db, filters)
    if not access.can(viewer, "see_person_capacity"):
        frame = frame.drop(columns=list(WORKLOAD_COLUMNS))
    return frame


def readiness_counts(frame: pd.DataFrame) -> dict[str, int]:
    """Members per status, in status order."""
    counts = frame["readiness"].value_counts()
    return {status: int(counts.get(status, 0)) for status in STATUSES}


@report(
    "renewal",
    "Per member: rolling-year contributions, points against capacity, status",
    members=True,
)
def renewal_report(db: Database, viewer: Viewer | None, **options: Any) -> pd.DataFrame:
    """Renewal readiness for the CLI: the club for staff, one's own row for a member."""
    lang = options.get("lang") or i18n.DEFAULT_LANGUAGE
    filters = Filters(as_of=options["as_of"]) if options.get("as_of") else Filters()
    frame = renewal_readiness(db, viewer, filters)
    out = frame.assign(
        by_kind=frame["by_kind"].map(
            lambda kinds: "; ".join(f"{kind}={n}" for kind, n in kinds.items())
        ),
        reasons=frame["reasons"].map(
            lambda codes: "; ".join(i18n.t(f"contributions.reason_{c}", lang) for c in codes)
        ),
        verified_share=frame["verified_share"].round(2),
        ratio=frame["ratio"].round(2),
    )
    for column in ("points", "expected", "hours_available"):
        if column in out:
            out[column] = out[column].round(1)
    return out
