"""The plan: from the situation, goals and budget to a costed set of lines (mechanic × how
many members), each with the reason it is there (`reasons`), and the quarters a plan can
cover."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pandas as pd

from lib import access, i18n
from lib.access import Viewer
from lib.errors import Refusal, Term
from lib.filters import Filters
from lib.formatting import is_blank
from lib.insights.interviews import OTHER, merge_small_segments
from lib.planning.catalogue import (
    GOALS,
    MAX_COST,
    MAX_HOURS,
    TARGET_RULES,
    catalogue,
)
from lib.planning.cells import number_within
from lib.planning.evidence import (
    MEASURED,
    MIN_CASES,
    follow_up_evidence,
    history_evidence,
    mechanic_effects,
)
from lib.planning.reasons import explain_lines
from lib.planning.situation import club_state, situation, target_groups
from lib.planning.solver import Option, knapsack
from lib.settings import current_settings
from lib.store.db import Database

SIZE_STEPS = (5, 10, 20, 40, 80, 160)
DEFAULT_BUDGET = 3_000_000.0
DEFAULT_HOURS = 160.0
MAX_WEIGHT = 10.0
# Who may see which members a plan targets: the same staff who follow up on people.
TARGETS_PERMISSION = "see_person_capacity"
CANDIDATE_COLUMNS = (
    "mechanic_id",
    "name",
    "target_rule",
    "eligible",
    "people",
    "cost",
    "hours",
    "effect_per_person",
    "effect_source",
    "cases",
    "expected_effect",
    "goal_score",
    "value",
    "pinned",
)


# -- candidate lines ----------------------------------------------------------------------------
def size_options(available: int, max_people: Any) -> list[int]:
    """How many members a line may target: steps of SIZE_STEPS below the cap, and the cap
    (everyone in the group, or the format's limit)."""
    cap = int(available)
    if not is_blank(max_people):
        cap = min(cap, int(max_people))
    if cap <= 0:
        return []
    return [s for s in SIZE_STEPS if s < cap] + [cap]


def check_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """Every goal's weight, 0 to `MAX_WEIGHT` (missing goals weigh 0), at least one above 0."""
    unknown = set(weights) - set(GOALS)
    if unknown:
        raise Refusal("plan.err_unknown_goals", goals=", ".join(sorted(unknown)))
    clean = {}
    for goal in GOALS:
        value = number_within(weights.get(goal, 0.0), 0, MAX_WEIGHT)
        if value is None:
            raise Refusal(
                "plan.err_goal_weight", goal=Term(f"plan.goal_{goal}"), high=int(MAX_WEIGHT)
            )
        clean[goal] = value
    if not any(clean.values()):
        raise Refusal("plan.err_no_goal_weight")
    return clean


def _check_pins(by_id: pd.DataFrame, pins: Mapping[str, int], drops: set[str]) -> None:
    clash = sorted(set(pins) & drops)
    if clash:
        raise Refusal("plan.err_pinned_and_dropped", mechanics=", ".join(clash))
    for mid in pins:
        if mid not in by_id.index or not bool(by_id.loc[mid, "active"]):
            raise Refusal("plan.err_pin_inactive", mechanic=mid)


def candidate_lines(
    mechanics: pd.DataFrame,
    effects: pd.DataFrame,
    group_sizes: Mapping[str, int],
    weights: Mapping[str, float],
    *,
    pins: Mapping[str, int] | None = None,
    drops: Iterable[str] = (),
) -> pd.DataFrame:
    """Every way to run every active mechanic that is not dropped: one row per size option
    (a pinned mechanic has exactly its pinned size). Value = people × effect per person ×
    Σ goal weight × the mechanic's strength for that goal."""
    pins = dict(pins or {})
    drops = set(drops)
    weights = check_weights(weights)
    _check_pins(mechanics.set_index("mechanic_id"), pins, drops)
    used = effects.set_index("mechanic_id")
    rows = []
    for record in mechanics.to_dict("records"):
        mid = record["mechanic_id"]
        if not bool(record["active"]) or mid in drops:
            continue
        available = int(group_sizes.get(record["target_rule"], 0))
        options = size_options(available, record["max_people"])
        if mid in pins:
            people = pins[mid]
            cap = options[-1] if options else 0
            if int(people) != people or not 1 <= people <= cap:
                raise Refusal("plan.err_pin_size", mechanic=mid, cap=cap, people=people)
            options = [int(people)]
        score = sum(weights[g] * float(record[g]) for g in GOALS)
        effect = float(used.loc[mid, "effect"])
        for people in options:
            value = people * effect * score
            if mid not in pins and value <= 0:
                continue
            rows.append(
                {
                    "mechanic_id": mid,
                    "name": record.get("name"),
                    "target_rule": record["target_rule"],
                    "eligible": available,
                    "people": people,
                    "cost": record["fixed_cost"] + record["cost_per_person"] * people,
                    "hours": record["fixed_hours"] + record["hours_per_person"] * people,
                    "effect_per_person": effect,
                    "effect_source": used.loc[mid, "source"],
                    "cases": int(used.loc[mid, "cases"]),
                    "expected_effect": people * effect,
                    "goal_score": score,
                    "value": value,
                    "pinned": mid in pins,
                }
            )
    return pd.DataFrame(rows, columns=list(CANDIDATE_COLUMNS))


def choose_lines(
    candidates: pd.DataFrame, budget: float, hours: float
) -> tuple[pd.DataFrame, bool]:
    """The candidate lines of the best plan within the budget and curator hours: pinned lines
    always, then the exact `knapsack` over the rest with what the pinned ones leave."""
    pinned = candidates[candidates["pinned"]]
    pinned_cost, pinned_hours = float(pinned["cost"].sum()), float(pinned["hours"].sum())
    if pinned_cost > budget + 1e-9 or pinned_hours > hours + 1e-9:
        raise Refusal(
            "plan.err_pins_over_limits",
            cost=round(pinned_cost),
            hours=pinned_hours,
            budget=round(budget),
            limit=hours,
        )
    free = candidates[~candidates["pinned"]]
    order = list(dict.fromkeys(free["mechanic_id"]))
    groups = [
        [
            Option(float(r.cost), float(r.hours), float(r.value))
            for r in free[free["mechanic_id"] == mid].itertuples()
        ]
        for mid in order
    ]
    picks, exact = knapsack(groups, budget - pinned_cost, hours - pinned_hours)
    chosen = [
        free[free["mechanic_id"] == mid].index[index]
        for mid, index in zip(order, picks, strict=True)
        if index is not None
    ]
    rows = candidates.loc[sorted([*pinned.index, *chosen])]
    return rows.reset_index(drop=True), exact


# -- the plan -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Plan:
    """A built plan: its lines, the members they target (staff only), the candidates it was
    chosen from, and the totals."""

    lines: pd.DataFrame
    targets: pd.DataFrame
    departments: pd.DataFrame
    candidates: pd.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PlanInputs:
    """What a plan is assembled from: the situation, the catalogue, the measured history and
    the effects each mechanic is credited with, the target groups (members named only for
    staff) and the smallest department count shown to the viewer."""

    situation: pd.DataFrame
    mechanics: pd.DataFrame
    history: pd.DataFrame
    effects: pd.DataFrame
    groups: pd.DataFrame
    named: bool
    min_department: int


def plan_inputs(
    db: Database, viewer: Viewer | None, filters: Filters, *, min_cases: int = MIN_CASES
) -> PlanInputs:
    """Read everything a plan needs once, so goals, budget, pins and drops can change without
    reading the club again. For viewers who may not follow up on people, target members are
    reduced to anonymous numbers and their departments."""
    access.require_page(viewer, "action_plan")
    settings = current_settings(db)
    state = club_state(db, filters, settings)
    groups = target_groups(state)
    mechanics = catalogue(db)
    history = history_evidence(db, filters.as_of, settings=settings)
    effects = mechanic_effects(mechanics, history, follow_up_evidence(db), min_cases=min_cases)
    named = access.can(viewer, TARGETS_PERMISSION)
    if not named:
        groups = groups.assign(
            person_id=pd.factorize(groups["person_id"])[0].astype(str), name=None
        )
    small = access.can(viewer, "see_small_segments")
    min_department = 1 if small else int(settings["segment_min_interviews"])
    return PlanInputs(
        situation=situation(db, filters, state=state),
        mechanics=mechanics,
        history=history,
        effects=effects,
        groups=groups,
        named=named,
        min_department=min_department,
    )


def _summary(
    lines: pd.DataFrame, targets: pd.DataFrame, strengths: pd.DataFrame, **given: Any
) -> dict[str, Any]:
    """The plan's totals; `given` holds budget, hours_limit, exact, weights and group_sizes."""
    weights = given["weights"]
    records = lines.to_dict("records")
    by_goal = {
        g: float(
            sum(
                line["expected_effect"] * weights[g] * strengths.loc[line["mechanic_id"], g]
                for line in records
            )
        )
        for g in GOALS
    }
    return {
        "budget": given["budget"],
        "hours_limit": given["hours_limit"],
        "cost": float(lines["cost"].sum()),
        "hours": float(lines["hours"].sum()),
        "expected_effect": float(lines["expected_effect"].sum()),
        "value": float(lines["value"].sum()),
        "lines": len(lines),
        "people": int(targets["person_id"].nunique()),
        "exact": given["exact"],
        "weights": weights,
        "value_by_goal": by_goal,
        "group_sizes": given["group_sizes"],
        "measured_lines": int((lines["effect_source"] == MEASURED).sum()),
    }


def assemble_plan(
    inputs: PlanInputs,
    *,
    weights: Mapping[str, float],
    budget: float,
    hours: float,
    pins: Mapping[str, int] | None = None,
    drops: Iterable[str] = (),
    lang: str = i18n.DEFAULT_LANGUAGE,
) -> Plan:
    """The plan for these goals, budget and curator hours: the mechanics chosen, how many
    members each targets (the first of its target group), why, and what it costs."""
    budget_ok = number_within(budget, 0, MAX_COST)
    hours_ok = number_within(hours, 0, MAX_HOURS)
    if budget_ok is None or hours_ok is None:
        raise Refusal("plan.err_budget_hours", max_cost=int(MAX_COST), max_hours=int(MAX_HOURS))
    weights = check_weights(weights)
    groups, mechanics = inputs.groups, inputs.mechanics
    sizes = groups.groupby("rule").size().to_dict()
    candidates = candidate_lines(mechanics, inputs.effects, sizes, weights, pins=pins, drops=drops)
    lines, exact = choose_lines(candidates, budget_ok, hours_ok)
    strengths = mechanics.set_index("mechanic_id")[list(GOALS)]
    explain_lines(lines, strengths, weights, lang)
    targets = _line_targets(lines, groups)
    summary = _summary(
        lines,
        targets,
        strengths,
        budget=budget_ok,
        hours_limit=hours_ok,
        exact=exact,
        weights=weights,
        group_sizes={rule: int(sizes.get(rule, 0)) for rule in TARGET_RULES},
    )
    departments = targets_by_department(lines, targets, inputs.min_department)
    if inputs.named:
        lines["target_ids"] = [
            targets.loc[targets["mechanic_id"] == m, "person_id"].tolist()
            for m in lines["mechanic_id"]
        ]
    else:
        targets = targets.iloc[0:0]
    return Plan(lines, targets, departments, candidates, summary)


def build_plan(
    db: Database,
    viewer: Viewer | None,
    filters: Filters,
    *,
    min_cases: int = MIN_CASES,
    **choices: Any,
) -> Plan:
    """`assemble_plan` on freshly read `plan_inputs`; `choices` are its keyword arguments."""
    return assemble_plan(plan_inputs(db, viewer, filters, min_cases=min_cases), **choices)


def _line_targets(lines: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """The members each line targets: the first `people` of its target group."""
    frames = []
    for line in lines.itertuples():
        chosen = groups[(groups["rule"] == line.target_rule) & (groups["rank"] <= line.people)]
        frames.append(chosen.assign(mechanic_id=line.mechanic_id))
    columns = ["mechanic_id", "rule", "rank", "person_id", "name", "department", "status", "level"]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


def plan_table(plan: Plan) -> pd.DataFrame:
    """The plan's lines as a table for reading and export."""
    columns = ["mechanic", "target_group", "people", "eligible", "cost", "hours"]
    columns += ["effect_per_person", "effect_source", "cases", "expected_effect", "value"]
    columns += ["pinned", "reason"]
    return plan.lines[columns].copy()


def targets_by_department(
    lines: pd.DataFrame, targets: pd.DataFrame, min_size: int
) -> pd.DataFrame:
    """How many members each line targets per department; departments with fewer than
    `min_size` of a line's targets are merged into 'other' (pass 1 to keep them all)."""
    columns = ["mechanic_id", "mechanic", "department", "people"]
    frames = []
    for line in lines.itertuples():
        chosen = targets.loc[targets["mechanic_id"] == line.mechanic_id, "department"]
        chosen = chosen.fillna(OTHER)
        shown = merge_small_segments(chosen.value_counts().to_dict(), min_size)
        merged = chosen.map(shown).dropna()
        counts = merged.value_counts().rename_axis("department").reset_index(name="people")
        frames.append(counts.assign(mechanic_id=line.mechanic_id, mechanic=line.mechanic))
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


# -- horizons -----------------------------------------------------------------------------------
def quarters(as_of: date, count: int = 4) -> list[tuple[date, date]]:
    """The current quarter and the next ones: (first day, last day)."""
    start = date(as_of.year, 3 * ((as_of.month - 1) // 3) + 1, 1)
    out = []
    for _ in range(count):
        end = (pd.Timestamp(start) + pd.DateOffset(months=3) - pd.Timedelta(days=1)).date()
        out.append((start, end))
        start = end + timedelta(days=1)
    return out


def quarter_label(horizon: tuple[date, date]) -> str:
    start = horizon[0]
    return f"{start.year} Q{(start.month - 1) // 3 + 1}"
