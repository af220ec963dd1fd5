"""Plans below the large size that CP-SAT does not prove optimal at once: the roster stages of large plans run.

The instance is the benchmark generator's (``benchmarks/scheduler/generate.py``, seed 1), cut to 10 agents for one
week on the 30-minute grid (English and German on phone and chat, 7 skill sets). Its demand is capped at what the
generator's witness roster covers, so every agent-interval of it can be met; the witness costs 1,613.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks" / "scheduler"))

import generate

from scheduler.checker import OBJECTIVE_UNIT, check_roster
from scheduler.problem import ProblemData
from scheduler.roster import Roster
from scheduler.solve import solve


@pytest.fixture(scope="module")
def ten_agents() -> tuple[ProblemData, Roster]:
    """The generator's plan of 10 agents for one week (``small10``), and its witness roster."""
    return generate.named_instance("small10", 1)


def test_the_witness_meets_the_demand_at_a_known_cost(ten_agents: tuple[ProblemData, Roster]) -> None:
    """Tests the instance itself: the witness passes the checker, meets every agent-interval, and costs 1,613:
    10 heads at 100, 384 paid hours at 1, 219 of over-staffing, 4 of preferences and 6 of weekend fairness."""
    problem, witness = ten_agents
    report = check_roster(problem, witness)
    assert report.feasible
    terms = {name: value / OBJECTIVE_UNIT for name, value in vars(report.terms).items()}
    assert terms == {"under_staffing": 0, "over_staffing": 219, "headcount": 1000, "paid_time": 384,
                     "contract_deviation": 0, "preferences": 4, "weekend_fairness": 6, "night_fairness": 0}
    assert report.terms.total / OBJECTIVE_UNIT == 1613


def test_a_small_plan_cp_sat_leaves_under_staffed_gets_the_roster_stages(
        ten_agents: tuple[ProblemData, Roster]) -> None:
    """Tests the 10-agent plan at a 6 s limit. CP-SAT on the whole model, started from the greedy roster, kept its
    start for the whole limit (4,594: 3 agent-intervals under-staffed, 2.8 times the witness). Now CP-SAT gets a
    first look, then the roster stages of large plans (the LP's team, re-timing, local search, group LNS), then
    CP-SAT again from their roster: every agent-interval is met and the roster costs less than the witness. Every live
    progress report carries the best bound known, the LP's."""
    problem, witness = ten_agents
    reports: list[tuple[float, float, float]] = []
    result = solve(problem, time_limit_seconds=6, workers=2, seed=0, progress=lambda *report: reports.append(report))
    assert result.status == "FEASIBLE"
    # the live progress shows the LP's bound from the first report (it showed CP-SAT's own, -6, then 0) and counts
    # from the solve's start
    assert len(reports) >= 3
    assert [report[2] for report in reports] == pytest.approx([result.lp_bound] * len(reports))
    seconds = [report[0] for report in reports]
    assert seconds == sorted(seconds)
    assert result.terms.under_staffing == 0
    assert result.objective < check_roster(problem, witness).terms.total / OBJECTIVE_UNIT
    assert result.objective == check_roster(problem, result.roster).terms.total / OBJECTIVE_UNIT
    assert result.explanation[0].startswith("CP-SAT did not prove the plan optimal in its first 15% of the limit, "
                                            "so the roster is the better of the start roster")
    assert result.lower_bound == pytest.approx(result.lp_bound)
