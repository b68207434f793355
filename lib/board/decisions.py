"""Decisions needed: up to three ranked, data-backed recommendations for leadership, each with
the page (and, for the action plan, the plan line) that backs it.

Candidates, each scored by how much is at stake:
- must-have target skills nobody holds: invite candidates who hold them (the pool says how
  many exist), or grow the skill when the pool has nobody — 3 points per uncovered must;
- members at risk: the action plan's best line for them — the share at risk × 20;
- must-have skills held by a single member: a second holder before that person is busy or
  leaves — 2 points per skill;
- the engaged share falling over the period — 1 point per percentage point lost;
- more members leaving than joining this quarter — 2 points per net loss.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from lib import access, formatting, i18n
from lib.access import Viewer
from lib.filters import Filters
from lib.formatting import money, percent
from lib.metrics import metric_values
from lib.planning.plan import DEFAULT_BUDGET, DEFAULT_HOURS, assemble_plan, plan_inputs
from lib.planning.situation import suggested_weights
from lib.recruitment.coverage import coverage_by_skill
from lib.recruitment.pool import pool_supply
from lib.settings import current_settings
from lib.store.db import Database
from lib.vocabulary import Priority

LIMIT = 3
NAMED_SKILLS = 3


@dataclass(frozen=True)
class Decision:
    """One recommendation: its text key and parameters, how much is at stake, where it is
    backed."""

    key: str
    stake: float
    page: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        one = "_one" if self.params.get("count") == 1 and self.key in SINGULAR else ""
        params = {k: v.text(lang) if isinstance(v, Cost) else v for k, v in self.params.items()}
        return i18n.t(f"leadership.decision_{self.key}{one}", lang, **params)


# Decisions whose text reads differently for a single skill.
SINGULAR = frozenset({"invite_for_musts", "grow_musts", "second_holder"})


def _names(skills: pd.Series) -> str:
    listed = ", ".join(skills.head(NAMED_SKILLS))
    return listed + ("…" if len(skills) > NAMED_SKILLS else "")


def _uncovered_musts(db: Database, filters: Filters, coverage: pd.DataFrame) -> list[Decision]:
    musts = coverage[(coverage["priority"] == Priority.MUST) & (coverage["coverage"] == 0)]
    if musts.empty:
        return []
    supply = pool_supply(db, filters)
    musts = musts.assign(supply=musts["skill_id"].map(supply).fillna(0).astype(int))
    found = []
    invitable = musts[musts["supply"] > 0].sort_values(["gap", "skill"], ascending=[False, True])
    if len(invitable):
        found.append(
            Decision(
                "invite_for_musts",
                3.0 * len(invitable),
                "recruitment_gaps",
                {
                    "skills": _names(invitable["skill"]),
                    "count": len(invitable),
                    "people": int(invitable[["gap", "supply"]].min(axis=1).sum()),
                },
            )
        )
    absent = musts[musts["supply"] == 0]
    if len(absent):
        found.append(
            Decision(
                "grow_musts",
                3.0 * len(absent),
                "recruitment_gaps",
                {"skills": _names(absent["skill"]), "count": len(absent)},
            )
        )
    return found


def _single_holder_musts(coverage: pd.DataFrame) -> list[Decision]:
    single = coverage[(coverage["priority"] == Priority.MUST) & (coverage["coverage"] == 1)]
    if single.empty:
        return []
    return [
        Decision(
            "second_holder",
            2.0 * len(single),
            "recruitment_gaps",
            {"skills": _names(single["skill"].sort_values()), "count": len(single)},
        )
    ]


def _at_risk(
    db: Database, viewer: Viewer | None, filters: Filters, values: dict, lang: str
) -> list[Decision]:
    at_risk, scored = values["at_risk_members"] or 0, values["scored_members"] or 0
    if not at_risk or not scored:
        return []
    stake = 20.0 * at_risk / scored
    if not access.can_open(viewer, "action_plan"):
        return [Decision("at_risk", stake, "engagement", {"count": at_risk})]
    inputs = plan_inputs(db, viewer, filters)
    plan = assemble_plan(
        inputs,
        weights=suggested_weights(inputs.situation),
        budget=DEFAULT_BUDGET,
        hours=DEFAULT_HOURS,
        lang=lang,
    )
    lines = plan.lines
    if lines.empty:
        return [Decision("at_risk", stake, "engagement", {"count": at_risk})]
    for_risk = lines[lines["target_rule"] == "at_risk"]
    top = (for_risk if len(for_risk) else lines).sort_values("value", ascending=False).iloc[0]
    return [
        Decision(
            "at_risk_plan",
            stake,
            "action_plan",
            {
                "count": at_risk,
                "mechanic": top["mechanic"],
                "people": int(top["people"]),
                "cost": Cost(
                    float(top["cost"]), float(top["hours"]), current_settings(db)["currency"]
                ),
            },
        )
    ]


@dataclass(frozen=True)
class Cost:
    """The price of a plan line, worded in the reader's language when the decision is shown:
    money, or curator hours when it costs no money."""

    money: float
    hours: float
    currency: str = formatting.DEFAULT_CURRENCY

    def text(self, lang: str) -> str:
        if self.money > 0:
            return money(self.money, lang, self.currency)
        shown = formatting.number(self.hours, lang, 1)
        return i18n.t("leadership.decision_cost_hours", lang, hours=shown)


def _engagement_trend(kpis: dict[str, Any], lang: str) -> list[Decision]:
    share = kpis.get("engaged_share")
    if share is None or share.value is None or share.previous is None:
        return []
    fall = (share.previous - share.value) * 100
    if fall < 5:
        return []
    return [
        Decision(
            "engagement_falling",
            fall,
            "engagement",
            {"before": percent(share.previous, lang), "after": percent(share.value, lang)},
        )
    ]


def _net_loss(values: dict) -> list[Decision]:
    loss = (values["left_quarter"] or 0) - (values["joined_quarter"] or 0)
    if loss <= 0:
        return []
    return [
        Decision(
            "net_loss",
            2.0 * loss,
            "engagement",
            {"left": values["left_quarter"], "joined": values["joined_quarter"]},
        )
    ]


def decisions_needed(
    db: Database,
    viewer: Viewer | None,
    filters: Filters,
    kpis: list | None = None,
    lang: str = i18n.DEFAULT_LANGUAGE,
) -> list[Decision]:
    """The three recommendations with the most at stake, most first (aggregates only)."""
    values = metric_values(
        db, filters, ["at_risk_members", "scored_members", "joined_quarter", "left_quarter"]
    )
    coverage = coverage_by_skill(db, filters)
    found = [
        *_uncovered_musts(db, filters, coverage),
        *_single_holder_musts(coverage),
        *_at_risk(db, viewer, filters, values, lang),
        *_engagement_trend({k.key: k for k in kpis or []}, lang),
        *_net_loss(values),
    ]
    return sorted(found, key=lambda d: (-d.stake, d.key))[:LIMIT]
