"""The LP relaxation bound: exact on a hand-derived instance, safe for any multipliers, PDLP close to exact.

Instances and weights are those of :mod:`tests.scheduler.test_rules` (under-staffing 1000 per
agent-hour, headcount 100 per agent, paid time 1 per hour).
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pytest

import scheduler.solve as solve_module
from scheduler import large_path, stage_results
from scheduler.checker import OBJECTIVE_UNIT, check_roster
from scheduler.cpsat.backend import CpSatBackend
from scheduler.cpsat.lp_bound import exact_bound, pdlp_bound, relaxation_of, safe_bound, scaled_safe_bound
from scheduler.cpsat.model import build_model
from scheduler.floor_bound import capacity_floor, demand_floor
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
    # the path's roster reaches the optimum (below); it is called optimal exactly when its bound meets it too (PDLP's
    # bound follows the clock)
    met = result.objective - result.lower_bound <= 1e-9 * max(1.0, result.objective)
    assert result.status == ("OPTIMAL" if met else "FEASIBLE") and "large plan" in result.explanation[0]
    assert (result.explanation[-1] == "the lower bound equals the objective, so this roster is optimal") == met
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


def test_capacity_floor_counts_the_demand_one_shift_cannot_reach() -> None:
    """Tests two agents wanted over 08-16 and one agent with one 8-hour shift: 16 agent-hours, at most 8 met.

    The demand floor counts 16 at a paid hour each; 8 of them are missed whatever the roster, and each costs 1000
    instead of 1: 16 + 8 * 999 = 8008, below the optimum 100 + 8 + 8000 = 8108.
    """
    need = 2 * demand_hours(1, (0, 8, 16))
    data = problem(need, [agent("A", [shift(0, 8)])])
    assert demand_floor(data) == pytest.approx(16)
    assert capacity_floor(data) == pytest.approx(8008)
    assert solve(data, time_limit_seconds=5, workers=1).objective == pytest.approx(8108)


def test_capacity_floor_counts_days_per_week() -> None:
    """Tests demand over 08-16 on three days and one agent who may work two: 24 agent-hours, at most 16 met, so
    24 + 8 * 999 = 8016, below the optimum 100 + 16 + 8000 = 8116."""
    need = demand_hours(3, *((d, 8, 16) for d in range(3)))
    data = problem(need, [agent("A", [shift(d, 8) for d in range(3)], max_days=2)], days=3)
    assert capacity_floor(data) == pytest.approx(8016)
    assert solve(data, time_limit_seconds=5, workers=1).objective == pytest.approx(8116)


def test_capacity_floor_adds_disjoint_queues_and_takes_the_larger_of_a_set_and_its_parts() -> None:
    """Tests two queues of two languages, each wanted by two agents over 08-16, one agent on each and a third on
    both. Queue by queue two agents can serve each (nothing missed alone), but the three agents meet at most 24 of
    the 32 agent-hours: the component's set misses 8, so 32 + 8 * 999 = 8024 (optimum: 300 + 24 + 8000 = 8324)."""
    need = np.vstack([2 * demand_hours(1, (0, 8, 16)), 2 * demand_hours(1, (0, 8, 16))])
    names = ("en/chat", "de/chat")
    data = replace(problem(need, [agent("A", [shift(0, 8)], group=0), agent("B", [shift(0, 8)], group=1),
                                  agent("C", [shift(0, 8)], group=2)], groups=((0,), (1,), (0, 1))),
                   queue_names=names)
    assert capacity_floor(data) == pytest.approx(8024)
    assert solve(data, time_limit_seconds=5, workers=1).objective == pytest.approx(8324)


def _large_path_one_agent(monkeypatch: pytest.MonkeyPatch) -> object:
    """Solve, on the large-plan path with the covering flow and the compact LP kept out, one agent's 8-hour day
    against 2 agents on each of two queues from 08:00 to 16:00 (optimum 8108, capacity floor 8008)."""
    monkeypatch.setattr(solve_module, "covering_bound", lambda *_, **__: 0.0)
    monkeypatch.setattr(solve_module, "LARGE_MODEL_VARIABLES", 0)
    monkeypatch.setattr(solve_module, "COMPACT_LP_MAX_OPTIONS", 0)
    need = 2 * demand_hours(1, (0, 8, 16), queues=2)
    data = problem(need, [agent("A", [shift(0, 8)])], groups=((0, 1),))
    return solve(data, time_limit_seconds=2, workers=1, with_lp_bound=True)


def test_a_shift_count_lp_finishing_after_its_share_still_bounds_the_solve(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests the background shift-count LP on the large-plan path: with no time for it in its share (0), the solve
    goes on, and its bound, arriving later, is the one reported. A stand-in LP returns 8,050 after 0.3 s: below the
    optimum (8108, as above) and above the capacity floor (8008). The bounds that would prove 8108 on a plan this
    small are kept out: the compact MIP's LP by its size limit, PDLP and the covering flow made to prove nothing."""
    import scheduler.aggregate_lp as aggregate_lp

    def slow_lp(*_: object) -> aggregate_lp.CountLpSolution:
        time.sleep(0.3)
        return aggregate_lp.CountLpSolution(bound=8050.0, under_staffing=8000.0)

    monkeypatch.setattr(aggregate_lp, "count_lp_solution", slow_lp)
    monkeypatch.setattr(large_path, "pdlp_solve", lambda lp, *_, **__: (0.0, np.zeros(len(lp.objective)), 0.0))
    monkeypatch.setattr(solve_module, "COUNT_LP_SHARE", 0.0)
    result = _large_path_one_agent(monkeypatch)
    assert result.objective == pytest.approx(8108)
    assert result.lower_bound == pytest.approx(8050)
    assert "the bound is the shift-count LP's" in result.explanation[0]


def test_pdlp_is_skipped_when_reading_its_model_would_take_the_time_left(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests the large-plan path with the shift-count LP still running: when building the model PDLP reads is
    estimated at ten times the limit, PDLP is not run (the bundled example over 4 weeks on the 15-minute grid read
    its model for 36 s and ran 9 s past its 55 s limit), and the capacity floor (8008, as above) is the bound. The
    model is never built: a stand-in that fails the test if it is."""
    import scheduler.aggregate_lp as aggregate_lp

    def never(*_: object, **__: object) -> None:
        raise AssertionError("PDLP's model was built although it could not be read in time")

    monkeypatch.setattr(aggregate_lp, "count_lp_solution", lambda *_: None)
    monkeypatch.setattr(stage_results, "whole_model", never)
    monkeypatch.setattr(large_path, "pdlp_solve", never)
    monkeypatch.setattr(large_path, "lp_setup_seconds", lambda _: 20.0)
    result = _large_path_one_agent(monkeypatch)
    assert result.objective == pytest.approx(8108)
    assert result.lower_bound == pytest.approx(8008)
    assert "PDLP did not run" in result.explanation[0]
