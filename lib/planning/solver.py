"""The choice of a plan's lines: at most one option (a size) per mechanic, the most value
within the budget and the curator hours. This is a multiple-choice knapsack with two limits,
solved exactly as a mixed-integer linear programme by HiGHS (`scipy.optimize.milp`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

# A plan has a few dozen options and is solved in milliseconds; the limit only guards a
# pathological catalogue (the answer found by then is used and marked not proven optimal).
TIME_LIMIT_SECONDS = 20.0
# Totals within this relative distance are equal: ties are then broken by money, then hours.
TIE = 1e-9
# HiGHS works to tolerances: an answer over the real limits is cut off and solved again.
MAX_REPAIRS = 50
# Zero gap: the optimum, not a near one. No presolve: the programmes are tiny, and HiGHS's
# presolve prints a debugging line to stdout whenever it maps a solution back.
HIGHS_OPTIONS = {"mip_rel_gap": 0.0, "presolve": False, "time_limit": TIME_LIMIT_SECONDS}


@dataclass(frozen=True)
class Option:
    """One way to run a mechanic: its true cost, curator hours and value."""

    cost: float
    hours: float
    value: float


def _slack(total: float) -> float:
    return TIE * max(1.0, abs(total))


class _Programme:
    """The 0/1 programme over the options worth offering: one variable per option, at most
    one option per group, total cost ≤ budget and total hours ≤ hours."""

    def __init__(
        self, options: Sequence[Option], groups: Sequence[int], budget: float, hours: float
    ):
        self.cost = np.array([o.cost for o in options], dtype=float)
        self.hours = np.array([o.hours for o in options], dtype=float)
        self.value = np.array([o.value for o in options], dtype=float)
        self.budget, self.hours_limit = budget, hours
        one_each = np.array([[g == group for g in groups] for group in sorted(set(groups))])
        self.rows = [
            LinearConstraint(one_each.astype(float), -np.inf, 1.0),
            LinearConstraint(self.cost / max(budget, 1.0), -np.inf, budget / max(budget, 1.0)),
            LinearConstraint(self.hours / max(hours, 1.0), -np.inf, hours / max(hours, 1.0)),
        ]
        self.cuts: list[LinearConstraint] = []

    def fits(self, picked: np.ndarray) -> bool:
        """Whether a choice keeps to the real limits, summed as a reader would."""
        return (
            sum(float(c) for c in self.cost[picked]) <= self.budget
            and sum(float(h) for h in self.hours[picked]) <= self.hours_limit
        )

    def solve(
        self, objective: np.ndarray, extra: Sequence[LinearConstraint] = ()
    ) -> tuple[np.ndarray, bool]:
        """The options minimising `objective` under the limits and `extra`, and whether HiGHS
        proved it optimal; answers over the real limits are cut off until one fits."""
        scale = max(float(np.abs(objective).max()), 1e-12)
        for _ in range(MAX_REPAIRS):
            result = milp(
                objective / scale,
                constraints=[*self.rows, *extra, *self.cuts],
                integrality=np.ones(len(objective)),
                bounds=Bounds(0, 1),
                options=HIGHS_OPTIONS,
            )
            if result.x is None:  # the empty plan always fits: HiGHS itself failed
                raise AssertionError(result.message)
            picked = np.flatnonzero(result.x > 0.5)
            if self.fits(picked):
                return picked, result.status == 0
            cut = np.zeros(len(objective))
            cut[picked] = 1.0
            self.cuts.append(LinearConstraint(cut, -np.inf, len(picked) - 1))
        raise AssertionError(MAX_REPAIRS)  # HiGHS kept answering over the limits

    def best(self) -> tuple[np.ndarray, bool]:
        """The most value; among equally valuable choices the cheapest, then the fewest hours:
        each next objective is solved with the earlier totals held (within `TIE`)."""
        chosen, exact = self.solve(-self.value)
        held: list[LinearConstraint] = []
        value = float(self.value[chosen].sum())
        held.append(LinearConstraint(self.value, value - _slack(value), np.inf))
        cheapest, proven = self.solve(self.cost, held)
        if not _holds(cheapest, held):
            return chosen, exact
        chosen, exact = cheapest, exact and proven
        cost = float(self.cost[chosen].sum())
        held.append(LinearConstraint(self.cost, -np.inf, cost + _slack(cost)))
        fewest, proven = self.solve(self.hours, held)
        if not _holds(fewest, held):
            return chosen, exact
        return fewest, exact and proven


def _holds(picked: np.ndarray, constraints: Sequence[LinearConstraint]) -> bool:
    """Whether a choice meets constraints exactly (HiGHS meets them to its tolerances)."""
    x = np.zeros(constraints[0].A.shape[-1])
    x[picked] = 1.0
    return all(np.all(c.lb <= c.A @ x) and np.all(c.A @ x <= c.ub) for c in constraints)


def knapsack(
    groups: Sequence[Sequence[Option]], budget: float, hours: float
) -> tuple[list[int | None], bool]:
    """Pick at most one option per group maximising the total value with total cost ≤ budget
    and total hours ≤ hours; returns the chosen option index per group (None: none) and
    whether the answer is proven optimal.

    Exact: a mixed-integer programme (one 0/1 variable per option) solved by HiGHS to a zero
    gap, every answer checked against the real limits. Options without value, or over a limit
    on their own, are never offered. Ties go to the cheaper plan, then the one with fewer
    hours."""
    budget, hours = max(float(budget), 0.0), max(float(hours), 0.0)
    offered = [
        (g, i)
        for g, options in enumerate(groups)
        for i, o in enumerate(options)
        if o.value > 0 and o.cost <= budget and o.hours <= hours
    ]
    chosen: list[int | None] = [None] * len(groups)
    if not offered:
        return chosen, True
    programme = _Programme(
        [groups[g][i] for g, i in offered], [g for g, _ in offered], budget, hours
    )
    picked, exact = programme.best()
    for j in picked:
        group, index = offered[j]
        chosen[group] = index
    return chosen, exact
