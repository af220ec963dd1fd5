"""Overtime on micro-instances with hand-derived optima: hours above the contract are allowed up to the week's
raised maximum and each costs ``overtime_hour`` on top of its pay; the checker's objective is the solver's.

Two days on a 60-minute grid, one queue needing one agent 08:00-16:00 each day (16 agent-hours). A holds an 8-hour
contract (480 minutes a week) and may work both days' 8-hour shifts only with overtime; B may work day 1's alone.
Weights of ``test_rules``: under-staffing 1000 an agent-hour, headcount 100, paid time 1 an hour (plan units).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from scheduler.checker import OBJECTIVE_UNIT, check_roster
from scheduler.local_search import improve_by_day_moves
from scheduler.problem import ProblemData
from scheduler.roster_mip import solve_roster_mip
from scheduler.solve import solve
from tests.scheduler.test_rules import WEIGHTS, agent, problem, shift


def two_days(overtime_hour: int, allowed: bool = True) -> ProblemData:
    """A with overtime (``allowed``: 480 regular minutes, up to 960) or without (480), B on day 1 only."""
    demand = np.zeros(48, dtype=np.int64)
    demand[8:16], demand[32:40] = 1, 1
    a = agent("A", [shift(0, 8), shift(1, 8)], max_hours=16 if allowed else 8)
    if allowed:
        a = replace(a, overtime_from_minutes=(480,))
    b = agent("B", [shift(1, 8)])
    data = problem(demand, [a, b], days=2)
    return replace(data, weights=replace(WEIGHTS, overtime_hour=overtime_hour))


def checked(data: ProblemData) -> float:
    """Solve with one worker; the roster passes the checker with the solver's objective, which is returned."""
    result = solve(data, time_limit_seconds=10, workers=1, seed=0)
    report = check_roster(data, result.roster)
    assert report.feasible, report.violations
    assert report.terms.total / OBJECTIVE_UNIT == pytest.approx(result.objective)
    assert result.status == "OPTIMAL"
    return result.objective


@pytest.mark.parametrize(("overtime_hour", "objective", "heads"), [
    (50, 120.0, 1),      # A both days: 100 + 16 paid + 8 h x 0.5 overtime
    (2_000, 216.0, 2),   # 8 h x 20 = 160 more than a head: A day 0, B day 1, 200 + 16
    (0, 116.0, 1),       # free overtime: A both days, 100 + 16
])
def test_the_overtime_premium_decides_between_overtime_and_another_head(overtime_hour: int, objective: float,
                                                                        heads: int) -> None:
    """Tests the whole solve against the hand-derived optima above, and the roster's heads."""
    data = two_days(overtime_hour)
    assert checked(data) == pytest.approx(objective)
    result = solve(data, time_limit_seconds=10, workers=1, seed=0)
    assert len(result.roster.by_agent()) == heads


def test_without_overtime_the_contract_caps_the_week() -> None:
    """Tests the permitted case turned off: A's week stops at the contract's 480 minutes, so B takes day 1 (216),
    and a roster of A on both days breaks the weekly maximum in the checker."""
    data = two_days(50, allowed=False)
    assert checked(data) == pytest.approx(216.0)
    both = solve(two_days(50), time_limit_seconds=10, workers=1, seed=0).roster
    assert not check_roster(data, both).feasible
    overtime = check_roster(two_days(50), both)
    assert [p for p in overtime.soft if p[0] == "overtime"] == [("overtime", "A week 0", 480)]
    assert overtime.terms.overtime == 480 * 100 * 50


def test_the_reference_mip_and_the_local_search_price_overtime_as_the_checker() -> None:
    """Tests the compact roster MIP (HiGHS) on both premiums: 120 and 216, as the checker; and the local search,
    started from the roster of two heads at the 0.5 premium, moves day 1 to A (120)."""
    for overtime_hour, objective in ((50, 120.0), (2_000, 216.0)):
        outcome = solve_roster_mip(two_days(overtime_hour), time_limit_seconds=10, threads=1)
        assert outcome.objective == pytest.approx(objective)
    data = two_days(50)
    outcome = improve_by_day_moves(data, {0: [0], 1: [0]}, {(0, 0): [], (1, 0): []}, time_budget_seconds=5,
                                   max_ruin_steps=0)
    assert outcome.chosen == {0: [0, 1]}
    # at the 20-an-hour premium the two heads stay
    dear = improve_by_day_moves(two_days(2_000), {0: [0], 1: [0]}, {(0, 0): [], (1, 0): []}, time_budget_seconds=5,
                                max_ruin_steps=0)
    assert dear.chosen == {0: [0], 1: [0]}
