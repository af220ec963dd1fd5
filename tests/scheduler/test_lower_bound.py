"""The LP relaxation bound: exact on a hand-derived instance, safe for any multipliers, PDLP close to exact.

Instances and weights are those of :mod:`tests.scheduler.test_rules` (under-staffing 1000 per
agent-hour, headcount 100 per agent, paid time 1 per hour).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import scheduler.solve as solve_module
from scheduler.checker import OBJECTIVE_UNIT, check_roster
from scheduler.cpsat.backend import CpSatBackend
from scheduler.cpsat.lp_bound import exact_bound, pdlp_bound, relaxation_of, safe_bound, scaled_safe_bound
from scheduler.cpsat.model import build_model
from scheduler.floor_bound import demand_floor
from scheduler.problem import ProblemData
from scheduler.solve import lp_lower_bound, solve
from tests.scheduler.test_rules import agent, demand_hours, problem, shift

# One agent, 8-hour shifts 08-16 on days 0 and 1, demand on both, weekly maximum 10 h.
# Integer optimum: one shift, 8 h under: 8000 + 100 + 8 = 8108.
# LP: the weekly maximum is written times ``used`` (480 x0 + 480 x1 <= 600 used), so each fraction of
# the hours costs a fraction of the head: per unit of x0 + x1, 8000 less under-staffing, 8 paid hours and
# 100 / 1.25 = 80 of headcount. Cheapest at x0 + x1 = 5/4, used = 1 (6 h under, 10 paid hours):
# 6000 + 100 + 10 = 6110. (Without the ``used`` factor the relaxation would be 6072.5, at used = 5/8.)
LP_OPTIMUM = 6110.0


def _half_agent_problem() -> ProblemData:
    need = demand_hours(2, (0, 8, 16), (1, 8, 16))
    return problem(need, [agent("A", [shift(0, 8), shift(1, 8)], max_hours=10)], days=2)


def _model(data: ProblemData) -> CpSatBackend:
    backend = CpSatBackend()
    build_model(data, backend)
    return backend


def test_exact_lp_bound_equals_the_hand_derived_relaxation() -> None:
    """Tests that HiGHS on the model's own relaxation gives 6110, below the integer optimum 8108."""
    data = _half_agent_problem()
    assert solve(data, time_limit_seconds=5, workers=1).objective == pytest.approx(8108)
    assert lp_lower_bound(_model(data).model, 10) == pytest.approx(LP_OPTIMUM)


def test_safe_bound_holds_for_any_multipliers() -> None:
    """Tests weak duality: random row multipliers, and the best of their multiples, never exceed the LP optimum."""
    relaxation = relaxation_of(_model(_half_agent_problem()).model)
    rng = np.random.default_rng(0)
    scale = np.abs(relaxation.objective).max()
    for _ in range(200):
        duals = rng.normal(0.0, scale, size=relaxation.matrix.shape[0])
        own = safe_bound(relaxation, duals)
        assert own <= scaled_safe_bound(relaxation, duals) <= LP_OPTIMUM * OBJECTIVE_UNIT + 1e-6


def test_pdlp_bound_is_safe_and_close_to_the_exact_one() -> None:
    """Tests that PDLP's safe bound is at most the LP optimum and within 0.1% of it on a small plan."""
    relaxation = relaxation_of(_model(_half_agent_problem()).model)
    bound = pdlp_bound(relaxation, 5.0) / OBJECTIVE_UNIT
    assert exact_bound(relaxation, 5.0) / OBJECTIVE_UNIT == pytest.approx(LP_OPTIMUM)
    assert LP_OPTIMUM * 0.999 <= bound <= LP_OPTIMUM + 1e-6


def test_large_plan_path_is_checked_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests the large-plan path (greedy, group LNS, PDLP bound) on a plan small enough to know its optimum."""
    options = [shift(d, h) for d in range(3) for h in (6, 8, 10, 14)]
    need = demand_hours(3, *((d, 6, 22) for d in range(3)))
    need[0, 30:40] = 2
    data = problem(need, [agent(n, options) for n in "ABCDE"], days=3)
    optimum = solve(data, time_limit_seconds=10, workers=1)
    assert optimum.status == "OPTIMAL"
    monkeypatch.setattr(solve_module, "LARGE_MODEL_VARIABLES", 0)
    result = solve(data, time_limit_seconds=6, workers=1)
    assert result.status == "FEASIBLE" and "large plan" in result.explanation[0]
    report = check_roster(data, result.roster)
    assert report.feasible
    assert report.terms.total / OBJECTIVE_UNIT == pytest.approx(result.objective)
    assert result.lp_bound is not None
    assert result.lower_bound <= optimum.objective + 1e-6 <= result.objective + 2e-6
    # one queue: the neighbourhood is the whole plan, so the search reaches the optimum
    assert result.objective == pytest.approx(optimum.objective)



def test_demand_floor_is_hand_derived_and_below_the_optimum() -> None:
    """Tests the solver-free floor: demand 1 over 08-16 (8 agent-hours), paid hour 1, under-staffing 1000.

    Each required hour costs at least min(1 paid hour, 1000) = 1: floor 8, below the optimum 108
    (one head 100 + 8 paid hours). With paid time at 5000 an hour, a missed hour (1000) is the
    cheaper: floor 8000, and the optimum leaves the demand unmet at exactly that cost.
    """
    data = problem(demand_hours(1, (0, 8, 16)), [agent("A", [shift(0, 8)])])
    assert demand_floor(data) == pytest.approx(8)
    assert demand_floor(data) <= solve(data, time_limit_seconds=5, workers=1).objective
    costly = replace(data, weights=replace(data.weights, paid_hour=500_000))
    assert demand_floor(costly) == pytest.approx(8000)
    assert solve(costly, time_limit_seconds=5, workers=1).objective == pytest.approx(8000)
