"""The club's situation read from the data (engagement scores, the lifecycle funnel, skill
coverage), the goal weights it suggests, and the target groups each mechanic can invite."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from lib.engagement.lifecycle import funnel
from lib.engagement.rituals import not_recognised_for_long
from lib.engagement.scoring import member_scores
from lib.filters import Filters
from lib.planning.catalogue import GOALS, TARGET_RULES
from lib.recruitment.coverage import coverage_by_skill
from lib.recruitment.risks import single_points
from lib.settings import current_settings
from lib.store.db import Database
from lib.vocabulary import MembershipStatus, Priority

DAYS_PER_MONTH = 30.4375
SITUATION_SOURCES = {
    "dormant_share": "engagement",
    "at_risk_share": "engagement",
    "not_recognised": "engagement",
    "onboarding_conversion": "engagement",
    "must_below_target": "recruitment_gaps",
    "bus_factor_one": "recruitment_gaps",
    "upcoming_wave": "engagement",
}
NEWCOMER_STATUSES = (MembershipStatus.CANDIDATE, MembershipStatus.ONBOARDING)


def _newcomers(db: Database, filters: Filters) -> pd.DataFrame:
    """Candidates and members in onboarding: the wave coming in, onboarding first, longest
    waiting first."""
    return db.df(
        """
        SELECT person_id, coalesce(name, person_id) AS name, department, wave, status, joined_on
        FROM club_members($statuses, $departments, $waves)
        ORDER BY status <> $onboarding, joined_on NULLS LAST, person_id
        """,
        {**filters.member_params(NEWCOMER_STATUSES), "onboarding": MembershipStatus.ONBOARDING},
    )


@dataclass(frozen=True)
class ClubState:
    """What the situation and the target groups are read from, computed once."""

    scores: pd.DataFrame
    not_recognised: pd.DataFrame
    newcomers: pd.DataFrame
    coverage: pd.DataFrame
    sole_holders: pd.DataFrame
    funnel: pd.DataFrame
    min_hours: float
    window_days: int


def club_state(db: Database, filters: Filters, settings: dict[str, Any] | None = None) -> ClubState:
    """Engagement scores, overdue recognitions, newcomers, coverage and the funnel."""
    settings = settings or current_settings(db)
    scores = member_scores(db, filters, settings=settings)
    return ClubState(
        scores=scores,
        not_recognised=not_recognised_for_long(db, scores, filters.as_of, settings),
        newcomers=_newcomers(db, filters),
        coverage=coverage_by_skill(db, filters),
        sole_holders=single_points(db, filters),
        funnel=funnel(db, filters),
        min_hours=float(settings["shortlist_min_hours"]),
        window_days=int(settings["window_days"]),
    )


def situation(db: Database, filters: Filters, *, state: ClubState | None = None) -> pd.DataFrame:
    """The club's situation in seven numbers, each with its count, base and source page:
    dormant and at-risk shares, members not recognised for long, onboarding → active
    conversion, must-have skills below target, bus-factor-1 skills, the upcoming wave."""
    state = state or club_state(db, filters)
    scores, coverage = state.scores, state.coverage
    members = len(scores)
    conversion = state.funnel.set_index("stage")
    onboarded = int(conversion.loc[MembershipStatus.ONBOARDING, "reached"])
    activated = int(conversion.loc[MembershipStatus.ACTIVE, "reached"])
    must = coverage[coverage["priority"] == Priority.MUST]
    rows = [
        ("dormant_share", int((scores["level"] == "dormant").sum()), members),
        ("at_risk_share", int(scores["at_risk"].fillna(False).astype(bool).sum()), members),
        ("not_recognised", len(state.not_recognised), members),
        ("onboarding_conversion", activated, onboarded),
        ("must_below_target", int((must["gap"] > 0).sum()), len(must)),
        ("bus_factor_one", int((coverage["coverage"] == 1).sum()), len(coverage)),
        ("upcoming_wave", len(state.newcomers), None),
    ]
    frame = pd.DataFrame(rows, columns=["indicator", "count", "base"])
    frame["value"] = [
        c / b if b else (None if b is not None else float(c))
        for c, b in zip(frame["count"], frame["base"], strict=True)
    ]
    frame["source"] = frame["indicator"].map(SITUATION_SOURCES)
    return frame[["indicator", "value", "count", "base", "source"]]


def suggested_weights(situation_frame: pd.DataFrame) -> dict[str, float]:
    """Goal weights the situation suggests: 1 + 2 × severity, rounded to 0.5, where severity
    is the dormant share (revive), the at-risk share (retention), the onboarding drop-off when
    a wave is coming, and the share of must-have skills below target (skill growth); external
    visibility, the club's purpose, stays at 2."""
    values = situation_frame.set_index("indicator")["value"]
    counts = situation_frame.set_index("indicator")["count"]

    def share(indicator: str) -> float:
        value = values.get(indicator)
        return 0.0 if value is None or pd.isna(value) else float(value)

    conversion = values.get("onboarding_conversion")
    drop_off = 0.5 if conversion is None or pd.isna(conversion) else 1 - float(conversion)
    severity = {
        "revive_dormant": share("dormant_share"),
        "onboarding_conversion": drop_off if counts.get("upcoming_wave", 0) else 0.0,
        "skill_growth": share("must_below_target"),
        "external_visibility": 0.5,
        "retention": share("at_risk_share"),
    }
    return {g: round(2 * (1 + 2 * min(max(severity[g], 0.0), 1.0))) / 2 for g in GOALS}


def _rule_members(state: ClubState) -> dict[str, pd.DataFrame]:
    """Each target group rule's members, in the order they are invited."""
    scores = state.scores.copy()
    scores["fall"] = scores["previous_index"] - scores["index"]
    monthly_hours = scores["hours_available"].fillna(0) * DAYS_PER_MONTH / state.window_days
    capacity_ok = monthly_hours >= state.min_hours
    dormant = scores["level"] == "dormant"
    active = scores["status"] == MembershipStatus.ACTIVE
    sole_counts = state.sole_holders.groupby("person_id")["skill_id"].nunique()
    scores["sole_skills"] = scores["person_id"].map(sole_counts).fillna(0).astype(int)
    most_hours = {"by": ["hours_available", "person_id"], "ascending": [False, True]}
    return {
        "newcomers": state.newcomers,
        "dormant_with_capacity": scores[active & dormant & capacity_ok].sort_values(**most_hours),
        "at_risk": scores[scores["at_risk"].fillna(False).astype(bool)].sort_values(
            ["fall", "person_id"], ascending=[False, True]
        ),
        "not_recognised": state.not_recognised,
        "sole_holders": scores[scores["sole_skills"] > 0].sort_values(
            ["sole_skills", "index", "person_id"], ascending=[False, False, True]
        ),
        "with_capacity": scores[active & ~dormant & capacity_ok].sort_values(**most_hours),
        "active_members": scores[active].sort_values(
            ["index", "person_id"], ascending=[False, True]
        ),
        "paused": scores[scores["status"] == MembershipStatus.PAUSED].sort_values(
            ["last_contribution", "person_id"], ascending=[False, True], na_position="last"
        ),
    }


def target_groups(state: ClubState) -> pd.DataFrame:
    """Every target group rule with its members in priority order (rank 1 = first to invite).

    newcomers: candidates and members in onboarding · dormant_with_capacity: active members
    who are dormant and have at least the shortlist's hours a month, most hours first ·
    at_risk: biggest index fall first · not_recognised: busiest first · sole_holders: holders
    of a bus-factor-1 target skill, most such skills first · with_capacity: active, not dormant
    members with those hours, most hours first · active_members: active members by index ·
    paused: paused members, most recently active first."""
    groups = _rule_members(state)
    frames = []
    for rule in TARGET_RULES:
        group = groups[rule]
        level = group["level"] if "level" in group else pd.Series(None, index=group.index)
        frames.append(
            pd.DataFrame(
                {
                    "rule": rule,
                    "rank": range(1, len(group) + 1),
                    "person_id": group["person_id"].to_numpy(),
                    "name": group["name"].fillna(group["person_id"]).to_numpy(),
                    "department": group["department"].to_numpy(),
                    "status": group["status"].to_numpy(),
                    "level": level.to_numpy(),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)
