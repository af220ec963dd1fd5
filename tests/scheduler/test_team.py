"""The LP's team (:mod:`scheduler.team`): who it keeps, and that its rosters are rosters of the whole plan.

Weights as in ``test_rules``: under-staffing 1000 per agent-hour, headcount 100 per agent, paid time
1 per hour, on a 60-minute grid.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace

import pytest

from scheduler import large_path
from scheduler.checker import OBJECTIVE_UNIT, check_roster
from scheduler.disaggregate import disaggregate
from scheduler.heuristic import greedy_counts, greedy_roster
from scheduler.large_path import team_result
from scheduler.result import Result
from scheduler.roster_mip import compact_lp
from scheduler.stage_results import checked_result
from scheduler.team import TEAM_THRESHOLD, lp_team, team_problem
from tests.scheduler.test_rules import agent, demand_hours, problem, shift


def _plan():
    """Demand 1 over 08:00-16:00 on day 0; A and B may work 08:00-16:00, C has no option, D is pinned to it."""
    options = [shift(0, 8)]
    return problem(demand_hours(1, (0, 8, 16)), [agent("A", options), agent("B", options), agent("C", []),
                                                 agent("D", options, pinned={0: 0})])


def test_team_keeps_agents_at_the_threshold_and_every_pinned_one() -> None:
    """Tests the team on hand values: A at the threshold stays, B just below it goes, C (no option) goes even at
    1, and D stays for his pinned shift although the LP does not work him."""
    data = _plan()
    values = {0: TEAM_THRESHOLD, 1: TEAM_THRESHOLD - 0.01, 2: 1.0, 3: 0.0}
    assert lp_team(data, values) == [0, 3]
    assert lp_team(data, values, threshold=0.0) == [0, 1, 3]


def test_team_problem_keeps_indices_and_its_roster_is_one_of_the_whole_plan() -> None:
    """Tests that the team's problem gives the others no option (indices unchanged), that its greedy works only
    the team, and that the roster passes the whole plan's checker with the same objective.

    With A alone able, A works 08:00-16:00: 100 (head) + 8 (paid) = 108, no demand left.
    """
    data = _plan()
    data = problem(data.demand, [agent("A", [shift(0, 8)]), agent("B", [shift(0, 8)])])
    sub = team_problem(data, [0])
    assert [len(a.options) for a in sub.agents] == [1, 0]
    chosen = greedy_roster(sub)
    assert chosen == {0: [0]}
    roster = disaggregate(sub, chosen, *greedy_counts(sub, chosen, offsets={(0, 0): []}))
    on_team = check_roster(sub, roster)
    whole = check_roster(data, roster)
    assert whole.feasible, whole.violations
    assert whole.terms.total / OBJECTIVE_UNIT == pytest.approx(108)
    assert on_team.terms == whole.terms


def test_compact_lp_reports_how_much_of_a_head_each_agent_works() -> None:
    """Tests the LP's ``used`` values on a plan whose LP optimum is integral: A's 08:00-16:00 covers the demand
    for 108, B's 09:00-17:00 would leave 08:00 uncovered (1000 more), so the LP works A whole and B not at all."""
    data = _plan()
    data = problem(data.demand, [agent("A", [shift(0, 8)]), agent("B", [shift(0, 9)])])
    relaxed = compact_lp(data, time_limit_seconds=20, threads=1)
    assert relaxed.objective == pytest.approx(108)
    assert relaxed.used_values == pytest.approx({0: 1.0, 1: 0.0})
    assert lp_team(data, relaxed.used_values) == [0]


def test_team_stage_drops_the_heads_a_start_roster_keeps_too_many() -> None:
    """Tests the solve's team stage against a start roster that works all three agents on the same 08:00-16:00.

    That start costs 3 x 100 (heads) + 24 (paid hours) = 324 (over-staffing weighs 0 here). The LP works one agent
    whole (its optimum, 108, is integral), so the team is that agent and its roster is the optimum, 108.
    """
    data = problem(demand_hours(1, (0, 8, 16)), [agent(n, [shift(0, 8)]) for n in "ABC"])
    chosen = {a: [0] for a in range(3)}
    started = time.perf_counter()
    like = Result("FEASIBLE", math.nan, 0.0, None, None, 0.0, num_agents=3)
    start = checked_result(data, chosen, {(a, 0): [] for a in range(3)}, like, started)
    assert start is not None and start.objective == pytest.approx(324)
    relaxed = compact_lp(data, time_limit_seconds=20, threads=1)
    assert sorted(relaxed.used_values.values()) == pytest.approx([0.0, 0.0, 1.0])
    candidate, spent, text = team_result(data, relaxed, start, started, {"seed": 0, "workers": 1}, seed=0,
                                         budget=2.0, repair=2.0, left=lambda: 10.0, wall=lambda budget: 2 * budget)
    assert candidate is not None and candidate.objective == pytest.approx(108)
    assert candidate.num_agents_used == 1 and spent > 0
    assert "the one agent the LP relaxation works" in text
    report = check_roster(data, candidate.roster)
    assert report.feasible and report.terms.total / OBJECTIVE_UNIT == pytest.approx(108)


def test_the_compact_lp_gets_twice_its_nominal_time_on_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests the compact LP's clock: its nominal time (from the matrix's non-zeros) times
    ``COMPACT_LP_WALL_SAFETY`` = 2, not the 1.25 of the stages that count their work (HiGHS counts none the solve
    could stop on, and at 1.25 a day 20% slower would cut an LP measured at 1.06 of its nominal time). A plan whose
    nominal time is above a quarter of the limit does not run it and charges nothing."""
    import scheduler.solve as solve_module
    from scheduler.roster_mip import build_roster_mip
    from scheduler.work_limits import COMPACT_LP_WALL_SAFETY, compact_lp_seconds

    data = problem(demand_hours(1, (0, 8, 16)), [agent("A", [shift(0, 8)]), agent("B", [shift(0, 9)])])
    nominal = compact_lp_seconds(build_roster_mip(data).matrix.nnz)
    asked: list[float] = []

    def recording(problem_data, *, time_limit_seconds, threads, mip):
        asked.append(time_limit_seconds)
        return compact_lp(problem_data, time_limit_seconds=20, threads=1, mip=mip)

    monkeypatch.setattr(solve_module, "compact_lp", recording)
    relaxed, charged = solve_module._compact_lp(data, time_limit_seconds=60, workers=1)
    assert COMPACT_LP_WALL_SAFETY == 2.0
    assert asked == [pytest.approx(2.0 * nominal)] and charged == pytest.approx(nominal)
    assert relaxed is not None and relaxed.objective == pytest.approx(108)
    assert solve_module._compact_lp(data, time_limit_seconds=3.9 * nominal, workers=1) == (None, 0.0)
    assert asked == [pytest.approx(2.0 * nominal)]


@pytest.mark.parametrize(("keep", "retimed_budget"), [(0.0, 2.0), (9.5, None)])
def test_the_team_stage_leaves_what_it_must_keep_to_the_stages_after_it(
        monkeypatch: pytest.MonkeyPatch, keep: float, retimed_budget: float | None) -> None:
    """Tests the team stage's re-timing budget on a team that misses demand: 2 agents wanted over 08:00-16:00, the
    start works A and B (216), and an LP that works A alone (a stand-in: the real LP works both) makes A the team,
    whose roster misses 8 agent-hours. With 10 nominal seconds left and nothing to keep, the re-timing gets its whole
    2 seconds; keeping 9.5 leaves less than the 1 second a re-timing needs after the team's greedy and polish, so
    it does not run (the team's roster, 8,108, then loses to the start)."""
    data = problem(2 * demand_hours(1, (0, 8, 16)), [agent(n, [shift(0, 8)]) for n in "AB"])
    started = time.perf_counter()
    like = Result("FEASIBLE", math.nan, 0.0, None, None, 0.0, num_agents=2)
    start = checked_result(data, {0: [0], 1: [0]}, {(0, 0): [], (1, 0): []}, like, started)
    assert start is not None and start.objective == pytest.approx(216)
    relaxed = compact_lp(data, time_limit_seconds=20, threads=1)
    alone = replace(relaxed, used_values={0: 1.0, 1: 0.0})
    budgets: list[float] = []

    def recorded(problem_: object, roster: object, *, time_budget_seconds: float, **_: object) -> object:
        budgets.append(time_budget_seconds)
        raise _StopAtRetimingError

    monkeypatch.setattr(large_path, "fix_under_staffing", recorded)
    try:
        candidate, _, _ = team_result(data, alone, start, started, {"seed": 0, "workers": 1}, seed=0, budget=0.5,
                                      repair=2.0, left=lambda: 10.0, wall=lambda budget: 2 * budget, keep=keep)
    except _StopAtRetimingError:
        candidate = None
    else:
        assert candidate is not None and candidate.objective == pytest.approx(8108)
    assert budgets == ([] if retimed_budget is None else [pytest.approx(retimed_budget)])


class _StopAtRetimingError(Exception):
    """Ends a team stage at its re-timing, once the budget is recorded."""


@pytest.mark.parametrize(("hire", "expected"), [(0.0, 8108), (2.0, 216)])
def test_a_team_short_of_agents_hires_back_from_the_whole_plan(hire: float, expected: float) -> None:
    """Tests the team stage's last step on a team too small for the demand: 2 agents wanted over 08:00-16:00, a
    start that works A, B and C (3 x 100 + 24 paid hours = 324), and an LP that works A alone (a stand-in: the real
    LP works two), so the team's roster misses 8 agent-hours (8,108). Its re-timing does not run (9.5 of the 10 s
    left are kept). Without that under-staffing it would cost 108, below the start's 324, so with ``hire`` seconds
    its local search on the whole plan hires one agent back: 2 x 100 + 16 = 216, the optimum; without, it stays
    8,108."""
    data = problem(2 * demand_hours(1, (0, 8, 16)), [agent(n, [shift(0, 8)]) for n in "ABC"])
    started = time.perf_counter()
    like = Result("FEASIBLE", math.nan, 0.0, None, None, 0.0, num_agents=3)
    start = checked_result(data, {a: [0] for a in range(3)}, {(a, 0): [] for a in range(3)}, like, started)
    assert start is not None and start.objective == pytest.approx(324)
    relaxed = compact_lp(data, time_limit_seconds=20, threads=1)
    alone = replace(relaxed, used_values={0: 1.0, 1: 0.0, 2: 0.0})
    candidate, _, text = team_result(data, alone, start, started, {"seed": 0, "workers": 1}, seed=0, budget=0.5,
                                     repair=2.0, left=lambda: 10.0, wall=lambda budget: 2 * budget, keep=9.5,
                                     hire=hire)
    assert candidate is not None and candidate.objective == pytest.approx(expected)
    assert ("hire back" in text) is (hire > 0)
    report = check_roster(data, candidate.roster)
    assert report.feasible and report.terms.total / OBJECTIVE_UNIT == pytest.approx(expected)
