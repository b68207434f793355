"""Risks to the club's coverage: skills one member holds alone, members at risk or over
capacity, skills only such members hold, and what-if leaves (SPEC.md §2 Bus factor, What-if).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from lib.access import Viewer, can, can_open
from lib.engagement.scoring import member_scores
from lib.filters import Filters
from lib.recruitment.coverage import active_members, coverage_by_skill, target_holders
from lib.recruitment.target import priority_weights, with_gaps
from lib.settings import current_settings
from lib.store.db import Database
from lib.vocabulary import MembershipStatus

OVERLOAD_PCT = 95.0


def single_points(db: Database, filters: Filters) -> pd.DataFrame:
    """Target skills with exactly one holder at the required level (bus factor 1)."""
    coverage = coverage_by_skill(db, filters)
    sole = coverage[coverage["coverage"] == 1]
    held = target_holders(db, filters)[["skill_id", "person_id", "name", "department"]]
    out = sole.merge(held, on="skill_id").rename(columns={"name": "holder"})
    columns = ["skill_id", "skill", "category", "priority", "min_level", "min_people"]
    return out[[*columns, "person_id", "holder", "department"]].reset_index(drop=True)


# -- members at risk or over capacity -------------------------------------------------------
def at_risk_ids(db: Database, filters: Filters) -> set[str]:
    """Members the engagement scoring flags at risk (index halved or level dropped)."""
    scores = member_scores(db, filters)
    return set(scores.loc[scores["at_risk"].fillna(False).astype(bool), "person_id"])


def over_capacity_ids(db: Database, filters: Filters) -> set[str]:
    """Active members whose latest month shows load ≥ 95% or fewer community hours than the
    shortlist threshold."""
    rows = db.rows(
        """
        WITH latest AS (
            SELECT person_id, arg_max(load_pct, month) AS load_pct,
                   arg_max(hours_available, month) AS hours_available
            FROM capacity WHERE month <= $as_of GROUP BY person_id
        )
        SELECT m.person_id
        FROM club_members($statuses, $departments, $waves) m JOIN latest l USING (person_id)
        WHERE l.load_pct >= $overload_pct OR l.hours_available < $min_hours
        """,
        {
            "as_of": filters.as_of,
            "overload_pct": OVERLOAD_PCT,
            "min_hours": float(current_settings(db)["shortlist_min_hours"]),
            **filters.member_params((MembershipStatus.ACTIVE,)),
        },
    )
    return {r[0] for r in rows}


def _may_see_at_risk(viewer: Viewer | None) -> bool:
    """At-risk flags of named people go to the roles that may open the engagement page."""
    return can_open(viewer, "engagement")


def member_flags(db: Database, viewer: Viewer | None, filters: Filters) -> pd.DataFrame:
    """Active members with their at-risk and over-capacity flags, as far as the viewer may see
    them (a flag the viewer may not see is left empty)."""
    members = active_members(db, filters)
    if _may_see_at_risk(viewer):
        members["at_risk"] = members["person_id"].isin(at_risk_ids(db, filters))
    else:
        members["at_risk"] = pd.NA
    if can(viewer, "see_person_capacity"):
        members["over_capacity"] = members["person_id"].isin(over_capacity_ids(db, filters))
    else:
        members["over_capacity"] = pd.NA
    return members


def fragile_skills(db: Database, viewer: Viewer | None, filters: Filters) -> pd.DataFrame:
    """Covered target skills whose every holder is at risk or over capacity.

    Viewers who may see both flags get the holders and the split; others get the skill only.
    """
    held = target_holders(db, filters)
    coverage = coverage_by_skill(db, filters)
    risky = at_risk_ids(db, filters)
    loaded = over_capacity_ids(db, filters)
    held = held.assign(at_risk=held["person_id"].isin(risky), loaded=held["person_id"].isin(loaded))
    held["fragile"] = held["at_risk"] | held["loaded"]
    per_skill = held.groupby("skill_id").agg(
        fragile=("fragile", "all"),
        at_risk_holders=("at_risk", "sum"),
        over_capacity_holders=("loaded", "sum"),
    )
    fragile = per_skill[per_skill["fragile"]].index
    out = coverage[coverage["skill_id"].isin(fragile)].copy()
    columns = ["skill_id", "skill", "category", "priority", "min_level", "coverage", "gap"]
    if _may_see_at_risk(viewer) and can(viewer, "see_person_capacity"):
        out["at_risk_holders"] = out["skill_id"].map(per_skill["at_risk_holders"]).astype(int)
        out["over_capacity_holders"] = (
            out["skill_id"].map(per_skill["over_capacity_holders"]).astype(int)
        )
        columns += ["at_risk_holders", "over_capacity_holders", "holders"]
    return out[columns].reset_index(drop=True)


# -- what if members leave --------------------------------------------------------------------
def what_if_leaves(db: Database, filters: Filters, leaving: Iterable[str]) -> pd.DataFrame:
    """Every target skill before and after the chosen members leave the club.

    falls_below marks skills at target today that would be below it afterwards.
    """
    leaving = set(leaving)
    coverage = coverage_by_skill(db, filters)
    held = target_holders(db, filters)
    gone = held[held["person_id"].isin(leaving)]
    lost = gone.groupby("skill_id")["person_id"].nunique()
    names = gone.sort_values("name").groupby("skill_id")["name"].agg(list)
    out = coverage.rename(
        columns={"coverage": "coverage_before", "gap": "gap_before", "weighted_gap": "wg_before"}
    )
    out["coverage_after"] = out["coverage_before"] - out["skill_id"].map(lost).fillna(0).astype(int)
    after = with_gaps(out, priority_weights(db), "coverage_after")
    out["gap_after"] = after["gap"]
    out["weighted_gap_before"] = out.pop("wg_before")
    out["weighted_gap_after"] = after["weighted_gap"]
    out["leaving"] = [names.get(s, []) for s in out["skill_id"]]
    out["falls_below"] = (out["gap_before"] == 0) & (out["gap_after"] > 0)
    out["rank"] = out["weighted_gap_after"] - out["weighted_gap_before"]
    out = out.sort_values(["falls_below", "rank", "skill"], ascending=[False, False, True])
    columns = [
        "skill_id",
        "skill",
        "category",
        "priority",
        "min_level",
        "min_people",
        "coverage_before",
        "coverage_after",
        "gap_before",
        "gap_after",
        "weighted_gap_before",
        "weighted_gap_after",
        "leaving",
        "falls_below",
    ]
    return out[columns].reset_index(drop=True)


def what_if_summary(frame: pd.DataFrame) -> dict[str, float]:
    """Headline numbers of a what-if table."""
    losing = frame["coverage_after"] < frame["coverage_before"]
    return {
        "skills_losing_holders": int(losing.sum()),
        "falls_below": int(frame["falls_below"].sum()),
        "lost_entirely": int(((frame["coverage_after"] == 0) & losing).sum()),
        "weighted_gap_before": float(frame["weighted_gap_before"].sum()),
        "weighted_gap_after": float(frame["weighted_gap_after"].sum()),
    }
