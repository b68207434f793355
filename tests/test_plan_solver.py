"""The plan's solver: an exact multiple-choice knapsack with money and curator hours, checked
against brute force on random cases (Hypothesis) and on forty cases with odd amounts."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.planning.solver import Option, knapsack

SOLVER_SETTINGS = settings(max_examples=60, deadline=None)


def brute_force(groups, budget, hours) -> float:
    """The best total value over every choice of at most one option per group."""
    best = 0.0
    for choice in itertools.product(*[[None, *range(len(g))] for g in groups]):
        picked = [groups[i][c] for i, c in enumerate(choice) if c is not None]
        if sum(o.cost for o in picked) <= budget and sum(o.hours for o in picked) <= hours:
            best = max(best, sum(o.value for o in picked))
    return best


def totals(groups, picks):
    picked = [groups[i][c] for i, c in enumerate(picks) if c is not None]
    return (
        sum(o.cost for o in picked),
        sum(o.hours for o in picked),
        sum(o.value for o in picked),
    )


def option_groups(money: int, hour_steps: int, cost_scale: float = 1.0):
    """1-5 mechanics of 1-3 options: whole costs (times `cost_scale`), quarter hours, values
    with two decimals, some of them negative."""
    option = st.builds(
        Option,
        cost=st.integers(0, money).map(lambda c: c * cost_scale),
        hours=st.integers(0, hour_steps).map(lambda h: h * 0.25),
        value=st.floats(-1, 20).map(lambda v: round(v, 2)),
    )
    return st.lists(st.lists(option, min_size=1, max_size=3), min_size=1, max_size=5)


def assert_optimal(groups, budget, hours):
    picks, exact = knapsack(groups, budget, hours)
    cost, used, value = totals(groups, picks)
    assert exact
    assert cost <= budget and used <= hours
    assert value == pytest.approx(brute_force(groups, budget, hours), rel=1e-9, abs=1e-9)
    return picks


@SOLVER_SETTINGS
@given(
    groups=option_groups(money=400, hour_steps=80),
    budget=st.integers(0, 900),
    hours=st.integers(0, 160).map(lambda h: h * 0.25),
)
def test_knapsack_is_optimal_against_brute_force_on_small_cases(groups, budget, hours):
    assert_optimal(groups, budget, hours)


@SOLVER_SETTINGS
@given(
    groups=option_groups(money=3_000_000, hour_steps=800, cost_scale=1.37),
    budget=st.integers(0, 6_000_000).map(lambda b: b + 0.5),
    hours=st.integers(0, 1600).map(lambda h: h * 0.25 + 0.1),
)
def test_knapsack_is_optimal_and_within_the_limits_for_large_odd_amounts(groups, budget, hours):
    """Amounts on no common grid (large budgets, odd costs): the plan stays within the real
    limits and is still the best there is."""
    assert_optimal(groups, budget, hours)


def odd_case(rng: random.Random):
    """A small case with costs and hours on no grid (pennies, minutes) and limits that bind:
    4-6 mechanics of 1-4 sizes, a budget and hours for about half of the largest sizes."""
    groups = []
    for _ in range(rng.randint(4, 6)):
        fixed, per = rng.uniform(0, 60_000), rng.uniform(500, 9_000)
        fixed_hours, per_hour = rng.uniform(0, 6), rng.uniform(0.05, 1.5)
        effect = rng.uniform(0.2, 3)
        sizes = sorted(rng.sample(range(1, 41), rng.randint(1, 4)))
        groups.append(
            [
                Option(
                    cost=round(fixed + per * n, 2),
                    hours=round(fixed_hours + per_hour * n, 2),
                    value=round(effect * n * rng.uniform(0.9, 1.1), 3),
                )
                for n in sizes
            ]
        )
    share = rng.uniform(0.3, 0.7)
    budget = round(share * sum(g[-1].cost for g in groups), 2)
    hours = round(rng.uniform(0.3, 0.8) * sum(g[-1].hours for g in groups), 2)
    return groups, budget, hours


ODD_CASES = [odd_case(random.Random(f"odd-{n}")) for n in range(40)]


@pytest.mark.parametrize("case", range(len(ODD_CASES)))
def test_knapsack_matches_brute_force_exactly_on_odd_amounts(case):
    """Costs and hours on no grid at all: the optimum, not an approximation of it."""
    assert_optimal(*ODD_CASES[case])


def test_knapsack_takes_the_combination_not_the_best_ratio():
    """A greedy by value per cost would take A (ratio 2) and have no room for B; the best plan
    is B and C."""
    groups = [
        [Option(cost=60, hours=0, value=120)],
        [Option(cost=50, hours=0, value=90)],
        [Option(cost=50, hours=0, value=90)],
    ]
    picks, exact = knapsack(groups, 100, 10)
    assert picks == [None, 0, 0] and exact


def test_knapsack_respects_hours_as_a_second_constraint():
    groups = [
        [Option(cost=0, hours=30, value=50)],
        [Option(cost=10, hours=10, value=30)],
        [Option(cost=10, hours=10, value=30)],
    ]
    picks, _ = knapsack(groups, 1000, 20)
    assert picks == [None, 0, 0]


def test_knapsack_chooses_one_size_per_mechanic():
    groups = [[Option(10, 1, 10), Option(20, 2, 25), Option(40, 4, 45)]]
    assert knapsack(groups, 30, 10)[0] == [1]
    assert knapsack(groups, 100, 10)[0] == [2]
    assert knapsack(groups, 5, 10)[0] == [None]


def test_ties_go_to_the_cheaper_plan_then_the_one_with_fewer_hours():
    cheaper = [[Option(100, 1, 10)], [Option(60, 1, 10)]]
    assert knapsack(cheaper, 100, 10)[0] == [None, 0]
    fewer_hours = [[Option(50, 3, 10), Option(50, 2, 10)], [Option(50, 1, 4)]]
    assert knapsack(fewer_hours, 100, 10)[0] == [1, 0]
    assert knapsack(fewer_hours, 100, 10) == knapsack(fewer_hours, 100, 10)


def test_a_plan_over_the_limit_by_rounding_is_never_returned():
    """0.1 + 0.2 is a little over 0.3 in floating point: the solver's tolerance would accept
    both, the real limit does not."""
    groups = [[Option(0.1, 0, 5)], [Option(0.2, 0, 6)]]
    picks, _ = knapsack(groups, 0.3, 1)
    assert picks == [None, 0]


def test_nothing_worth_doing_gives_an_empty_plan():
    assert knapsack([], 100, 10) == ([], True)
    assert knapsack([[Option(10, 1, -1)], [Option(500, 1, 9)]], 100, 10) == ([None, None], True)
