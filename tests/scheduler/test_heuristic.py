"""The greedy start roster: always within every hard rule, and a hint CP-SAT improves from."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from inputs import load_plan
from scheduler.build import build_problem
from scheduler.checker import check_roster
from scheduler.disaggregate import disaggregate
from scheduler.heuristic import greedy_counts, greedy_roster, useful_share
from scheduler.problem import ShiftOption, Weights
from scheduler.solve import solve
from tests.scheduler.test_rules import agent, demand_hours, problem, shift, solved


def _daytime_requirements(plan: object, agents: float = 1.0) -> pd.DataFrame:
    rows = []
    for start in plan.horizon.intervals_utc:
        hour = start.tz_convert(plan.horizon.time_zone).hour
        for queue in plan.queues:
            rows.append((start, queue.language, queue.channel, agents if 8 <= hour < 18 else 0.0))
    return pd.DataFrame(rows, columns=["start", "language", "channel", "agents"])


def test_greedy_roster_passes_the_checker(tiny_plan: Path) -> None:
    """Tests that the greedy roster of the tiny plan breaks no hard rule and covers some demand."""
    plan = load_plan(tiny_plan)
    problem = build_problem(plan, _daytime_requirements(plan))
    chosen = greedy_roster(problem)
    roster = disaggregate(problem, chosen, *greedy_counts(problem, chosen))
    report = check_roster(problem, roster)
    assert report.feasible, report.violations
    assert report.coverage.sum() > 0
    assert set(chosen) <= set(range(len(problem.agents)))


def test_solver_is_never_worse_than_its_greedy_start(tiny_plan: Path) -> None:
    """Tests that the solve's objective is at most the greedy roster's (the hint is a floor on quality)."""
    plan = load_plan(tiny_plan)
    problem = build_problem(plan, _daytime_requirements(plan))
    chosen = greedy_roster(problem)
    greedy = check_roster(problem, disaggregate(problem, chosen, *greedy_counts(problem, chosen)))
    result = solve(problem, time_limit_seconds=10, workers=1, seed=0)
    assert result.objective <= greedy.terms.total / 600_000 + 1e-6
    assert result.lower_bound <= result.objective + 1e-6


def test_greedy_meets_a_tight_contract_with_the_shifts_that_fit_it() -> None:
    """Tests a 35-hour contract (minimum = maximum, 5 days) offered 8-hour and 7-hour shifts daily.

    Four 8-hour shifts (32 h) miss the minimum and five (40 h) break the maximum, so the only
    rosters are five 7-hour shifts: the greedy must find one instead of leaving the agent unscheduled.
    """
    options = [ShiftOption(d, 0, d * 24 + 8, hours, hours * 60) for d in range(7) for hours in (8, 7)]
    need = demand_hours(7, *((d, 8, 16) for d in range(7)))
    data = problem(need, [agent("A", options, min_hours=35, max_hours=35, max_days=5)], days=7)
    chosen = greedy_roster(data)
    assert sorted(options[o].paid_minutes for o in chosen[0]) == [420] * 5


def test_an_earlier_roster_as_hint_does_not_change_the_optimum() -> None:
    """Tests that hinting a worse shift (09-17 for 08-16 demand) still gives the optimum 100 + 8 = 108."""
    options = [shift(0, 8), shift(0, 9)]
    data = problem(demand_hours(1, (0, 8, 16)), [replace(agent("A", options), hint={0: 1}), agent("B", options)])
    result = solved(data)
    assert result.status == "OPTIMAL" and result.objective == 108


def test_useful_share_follows_the_weights() -> None:
    """Tests the pay-off threshold: under 600,000 per interval, over and paid 60,000 -> 120,000 / 660,000 = 2/11."""
    data = problem(demand_hours(1, (0, 8, 16)), [agent("A", [shift(0, 8)])])
    weights = Weights(under_staffing=100, over_staffing=10, paid_hour=10)  # 60·100·100, 6000·10, 100·10·60
    assert useful_share(replace(data, weights=weights)) == pytest.approx(2 / 11)
    assert useful_share(data) == 0.01  # the micro weights: paid time is nearly free next to a missing agent


def test_greedy_takes_a_shift_that_pays_for_itself() -> None:
    """Tests that one hour of need inside an 8-hour shift is covered: 100 + 8 beats 1000 of under-staffing."""
    data = problem(demand_hours(1, (0, 12, 13)), [agent("A", [shift(0, 8)])])
    assert greedy_roster(data) == {0: [0]}
