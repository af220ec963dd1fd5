"""Large-neighbourhood steps: one week of a few groups re-solved, the rest of the roster untouched.

Weights are those of :mod:`tests.scheduler.test_rules` (under-staffing 1000 per agent-hour, headcount
100 per agent, paid time 1 per hour, the rest 0).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from ortools.sat.python import cp_model

from scheduler import lns
from scheduler.checker import OBJECTIVE_UNIT, check_roster
from scheduler.cpsat.backend import CpSatBackend
from scheduler.cpsat.model import build_model
from scheduler.disaggregate import disaggregate
from scheduler.heuristic import greedy_counts
from scheduler.lns import (
    _resolve,
    fix_under_staffing,
    improve_by_groups,
    queue_pressure,
    retime_day,
    retime_step_charge,
)
from scheduler.problem import BreakSpec, TemplateData, Weights
from tests.scheduler.test_rules import PLAIN, agent, problem, shift


def _two_weeks() -> tuple:
    """One agent, 08-16 or 12-20 each day; demand 08-16 on weekdays of both weeks."""
    need = np.zeros((1, 14 * 24), dtype=np.int64)
    for day in (*range(5), *range(7, 12)):
        need[0, day * 24 + 8: day * 24 + 16] = 1
    options = [shift(day, start) for day in range(14) for start in (8, 12)]
    data = problem(need, [agent("A", options, weeks=2, max_days=5)], days=14)
    return data, options


def _roster(data: object, picks: list[int]) -> object:
    chosen = {0: picks}
    return disaggregate(data, chosen, *greedy_counts(data, chosen))


def test_a_week_step_repairs_its_week_and_leaves_the_other_as_it_was() -> None:
    """Tests the window: week 0 worked 12-20 (4 h missed a day), week 1 08-16 (exact).

    Re-solving week 0 moves its five shifts to 08-16: objective 100 + 80 paid hours = 180 (from
    180 + 5 x 4 x 1000 = 20,180). Re-solving week 1 instead changes nothing: week 0 keeps its
    misses, because the step may not touch it.
    """
    data, _ = _two_weeks()
    late_then_early = [2 * day + 1 for day in range(5)] + [2 * day for day in range(7, 12)]
    roster = _roster(data, late_then_early)
    assert check_roster(data, roster).terms.total / OBJECTIVE_UNIT == pytest.approx(20_180)
    repaired, _ = _resolve(data, roster, [0], 5.0, 30.0, 0, range(0, 7))
    report = check_roster(data, repaired)
    assert report.feasible and report.terms.total / OBJECTIVE_UNIT == pytest.approx(180)
    week1 = [item for item in roster.assignments if item.option >= 14]
    assert [item for item in repaired.assignments if item.option >= 14] == week1
    untouched, _ = _resolve(data, roster, [0], 5.0, 30.0, 0, range(7, 14))
    assert check_roster(data, untouched).terms.total / OBJECTIVE_UNIT == pytest.approx(20_180)


def test_a_week_step_keeps_the_consecutive_days_rule_across_its_edge() -> None:
    """Tests the pinned run at the window's edge: at most 5 days in a row.

    The agent works days 2-6 of week 0 (five in a row, up to Sunday); week 1's demand asks for
    days 7-11. Re-solving week 1 alone may not add Monday (day 7) to that run, so the best is
    days 8-11 and Monday missed: 8000 under + 100 + 72 paid hours (9 shifts) = 8172, and the roster
    passes the checker.
    """
    need = np.zeros((1, 14 * 24), dtype=np.int64)
    for day in (*range(2, 7), *range(7, 12)):
        need[0, day * 24 + 8: day * 24 + 16] = 1
    options = [shift(day, 8) for day in range(14)]
    data = problem(need, [agent("A", options, weeks=2, max_days=5)], days=14, max_consecutive=5)
    roster = _roster(data, [2, 3, 4, 5, 6])
    step, _ = _resolve(data, roster, [0], 5.0, 30.0, 0, range(7, 14))
    report = check_roster(data, step)
    assert report.feasible, report.violations
    assert report.terms.total / OBJECTIVE_UNIT == pytest.approx(8172)


def _lunch_problem(outside_on_break: int) -> object:
    """08-16 with an unpaid lunch at 11, 12 or 13; demand 08-16 except 12-13; one agent of the group
    outside the problem on shift at 12, on break or not."""
    lunch = TemplateData("day", "D", (BreakSpec("lunch", 60, False, 1, (3, 4, 5)),))
    need = np.zeros((1, 24), dtype=np.int64)
    need[0, 8:16] = 1
    need[0, 12] = 0
    option = replace(shift(0, 8, template=1), paid_minutes=7 * 60)
    data = problem(need, [agent("A", [option])], templates=(PLAIN, lunch))
    on_shift = np.zeros((1, 24), dtype=np.int64)
    on_shift[0, 12] = 1
    return replace(data, outside_on_shift=on_shift, outside_on_break=on_shift * outside_on_break)


@pytest.mark.parametrize(("outside_on_break", "optimum"), [(0, 107), (1, 1107)])
def test_small_team_rule_counts_agents_outside_the_step(outside_on_break: int, optimum: int) -> None:
    """Tests the break rule with agents outside the problem: lunch at 12 (no demand) costs nothing.

    When the outside colleague is on a queue at 12, the agent may lunch then: 100 + 7 paid = 107.
    When the colleague is on break at 12, both would be: the lunch moves to 11 or 13, one hour
    missed: 1107.
    """
    data = _lunch_problem(outside_on_break)
    backend = CpSatBackend()
    build_model(data, backend)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(backend.model) == cp_model.OPTIMAL
    assert solver.objective_value / OBJECTIVE_UNIT == pytest.approx(optimum)


def _retime_case() -> tuple:
    """Day 0 needs 1 agent over 06-14 and 14-22, day 1 over 08-16; 11-hour rest.

    A works 10-18 (day 0) and 08-16 (day 1); B works 10-18 (day 0); C, who could work 14-22 on day 0,
    is off. Start: 4 + 4 hours missed on day 0: 8000 + 200 + 24 = 8224. A may not take 14-22 (10 hours
    of rest before day 1's 08), so the optimum keeps who works and moves both starts at once: A
    06-14, B 14-22, nothing missed, 224.
    """
    need = np.zeros((1, 48), dtype=np.int64)
    need[0, 6:22] = 1
    need[0, 32:40] = 1
    day0 = [shift(0, 6), shift(0, 10), shift(0, 14)]
    agents = [agent("A", [*day0, shift(1, 8)]), agent("B", day0), agent("C", [shift(0, 14)])]
    data = problem(need, agents, days=2, rest_hours=11)
    chosen = {0: [1, 3], 1: [1]}
    return data, disaggregate(data, chosen, *greedy_counts(data, chosen))


def test_retime_moves_several_starts_together_and_keeps_who_works() -> None:
    """Tests :func:`retime_day` on the case above: 8224 -> 224, C stays off, day 1 is untouched."""
    data, roster = _retime_case()
    assert check_roster(data, roster).terms.total / OBJECTIVE_UNIT == pytest.approx(8224)
    retimed, _ = retime_day(data, roster, 0, deterministic_limit=5.0, wall_limit=30.0)
    report = check_roster(data, retimed)
    assert report.feasible and report.terms.total / OBJECTIVE_UNIT == pytest.approx(224)
    assert {(item.agent, item.option) for item in retimed.assignments} == {(0, 0), (0, 3), (1, 2)}


def test_retime_frees_only_the_groups_asked_for() -> None:
    """Tests the group filter: with B's group alone freed (A fixed at 10-18), B's best is 14-22 and
    06-10 stays missed: 4000 + 224 = 4224."""
    data, roster = _retime_case()
    agents = list(data.agents)
    agents[1] = replace(agents[1], group=1)
    data = replace(data, agents=tuple(agents), groups=((0,), (0,)))
    retimed, _ = retime_day(data, roster, 0, groups={1}, deterministic_limit=5.0, wall_limit=30.0)
    assert check_roster(data, retimed).terms.total / OBJECTIVE_UNIT == pytest.approx(4224)
    assert {(item.agent, item.option) for item in retimed.assignments} == {(0, 1), (0, 3), (1, 2)}


def test_fix_under_staffing_repairs_the_missed_day_and_stops_when_nothing_is_missed() -> None:
    """Tests :func:`fix_under_staffing`: one improving step on day 0 (8224 -> 224), then nothing is
    missed and the search ends well inside its budget."""
    data, roster = _retime_case()
    outcome = fix_under_staffing(data, roster, time_budget_seconds=30.0)
    assert outcome.report.terms.total / OBJECTIVE_UNIT == pytest.approx(224)
    assert outcome.improving_steps == 1 and outcome.steps == 1


def test_fix_under_staffing_gives_up_on_demand_beyond_the_team() -> None:
    """Tests demand of 3 agents over 06-22 on day 0 with the same two-and-a-half agents: every
    (queue, day) is tried once, the roster only gets better, and the missed hours that remain are
    those no re-timing can meet (3 x 16 - 2 x 8 = 32 hours at best)."""
    data, roster = _retime_case()
    need = data.demand.copy()
    need[0, 6:22] = 3
    data = replace(data, demand=need)
    before = check_roster(data, roster).terms.total
    outcome = fix_under_staffing(data, roster, time_budget_seconds=30.0)
    assert outcome.report.feasible and outcome.report.terms.total <= before
    assert outcome.steps == 1
    assert outcome.report.terms.under_staffing / OBJECTIVE_UNIT == pytest.approx(32_000)


def test_retime_step_charge_scales_with_agents_and_intervals() -> None:
    """Tests the re-timing's per-step charge on hand values: 1.2 s x 0.65 (the rates' scale) = 0.78 s on the
    300-agent, 4-week, 15-minute plan it was measured on (300 x 2688 agent-intervals), 0.78 x 24 / 806,400 s for one
    agent over a day of hours, half of 0.78 for half the agents, and never more than 0.78 s on larger plans."""
    one_day = problem(np.zeros((1, 24), dtype=np.int64), [agent("A", [shift(0, 8)])])
    assert retime_step_charge(one_day) == pytest.approx(0.78 * 24 / (300 * 2688))
    days = 2688 // 24  # 2688 intervals on this 60-minute grid
    for num_agents, charge in ((300, 0.78), (600, 0.78), (150, 0.39)):
        data = problem(np.zeros((1, 2688), dtype=np.int64), [agent(f"A{i}", [shift(0, 8)]) for i in range(num_agents)],
                       days=days)
        assert retime_step_charge(data) == pytest.approx(charge)


def test_a_group_step_cut_short_without_gain_makes_the_next_one_longer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests the step limits of :func:`improve_by_groups` with the sub-solve replaced by one that finds nothing and
    uses its whole limit: 3, 6 and 12 deterministic seconds, then what is left of a 30 s budget (the cap, half the
    budget, is 15), each step charged 0.25 ms per interval on top (336 intervals: 0.084 s), so the last limit is
    30 - 3 x 0.084 - 21 - 0.084 = 8.664. A sub-solve that ends early (proven, 1 of its 3 s) leaves the next limit at
    3: 8 steps of 1.084 s fit a 10 s budget (the loop stops with less than 2 s left), the last one's limit is
    10 - 7 x 1.084 - 0.084 = 2.328."""
    data, _ = _two_weeks()
    roster = _roster(data, [2 * day for day in (*range(5), *range(7, 12))])
    limits: list[float] = []
    assert lns.LNS_STEP_CHARGE_PER_INTERVAL * data.num_intervals == pytest.approx(0.084)

    def cut_short(*args: object) -> tuple[None, float]:  # (problem, roster, freed, limit, wall, seed, window)
        limit = float(args[3])
        limits.append(limit)
        return None, limit

    monkeypatch.setattr(lns, "_resolve", cut_short)
    outcome = improve_by_groups(data, roster, time_budget_seconds=30.0)
    assert limits == pytest.approx([3.0, 6.0, 12.0, 8.664]) and outcome.steps == 4 and outcome.improving_steps == 0
    assert outcome.work_seconds == pytest.approx(30.0)
    limits.clear()

    def proven(*args: object) -> tuple[None, float]:
        limit = float(args[3])
        limits.append(limit)
        return None, 1.0

    monkeypatch.setattr(lns, "_resolve", proven)
    improve_by_groups(data, roster, time_budget_seconds=10.0)
    assert limits == pytest.approx([3.0] * 7 + [2.328])


def test_a_group_step_proven_without_gain_makes_the_next_neighbourhood_larger(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests the neighbourhood's growth: ten agents of one group with 7 options each (70 in all). The first step
    frees agents until their options reach 20% of everyone's (14: 2 agents); each step its sub-solve proves without
    a gain makes the share 1.5 times larger: 30% (21: 3 agents), 45% (31.5: 5), 67.5% (47.25: 7), then all 10. A step
    cut short leaves the share as it is (its time limit grows instead)."""
    need = np.zeros((1, 7 * 24), dtype=np.int64)
    need[0, 8:16] = 1
    options = [shift(day, 8) for day in range(7)]
    data = problem(need, [agent(f"A{i}", options, max_days=5) for i in range(10)], days=7)
    roster = _roster(data, [0])
    sizes: list[int] = []

    def proven(*args: object) -> tuple[None, float]:  # (problem, roster, freed, limit, wall, seed, window)
        sizes.append(len(args[2]))
        return None, 0.5

    monkeypatch.setattr(lns, "_resolve", proven)
    improve_by_groups(data, roster, time_budget_seconds=6.0)
    assert lns.NEIGHBOURHOOD_SHARE == 0.2 and lns.NEIGHBOURHOOD_GROWTH == 1.5
    assert sizes[:6] == [2, 3, 5, 7, 10, 10]
    sizes.clear()

    def cut_short(*args: object) -> tuple[None, float]:
        sizes.append(len(args[2]))
        return None, float(args[3])

    monkeypatch.setattr(lns, "_resolve", cut_short)
    improve_by_groups(data, roster, time_budget_seconds=30.0)
    assert sizes == [2, 2, 2, 2]


def test_queue_pressure_prices_missing_and_surplus_agents_as_the_objective_does() -> None:
    """Tests the pressure by hand: the default weights price a missing agent-interval at 100,000 x priority and a
    surplus one at 100 x 100, so one agent missing in a priority-2 queue weighs 100,000 x 2 / 10,000 = 20, three
    surplus agents 3, a met interval 0; with over-staffing free, the units are the under-staffing's own."""
    need = np.zeros((2, 24), dtype=np.int64)
    need[0, :2] = 2
    coverage = np.zeros((2, 24), dtype=np.int64)
    coverage[0, :2] = (1, 2)
    coverage[1, 0] = 3
    data = replace(problem(need, [agent("A", [shift(0, 0)])]), queue_priority=(2, 1), weights=Weights())
    pressure = queue_pressure(data, coverage)
    assert pressure[:, :2].tolist() == [[20.0, 0.0], [3.0, 0.0]] and not pressure[:, 2:].any()
    free_surplus = replace(data, weights=Weights(over_staffing=0))
    assert queue_pressure(free_surplus, coverage)[:, :2].tolist() == [[200_000.0, 0.0], [0.0, 0.0]]


def test_repair_short_queue_frees_the_agents_who_can_stand_in_and_closes_the_gap() -> None:
    """Tests the long repair step on hand values: queues q0 and q1 each need 1 agent over 08:00-16:00 of day 0.
    A serves both queues, B only q0. The start roster works A alone (on q0 or q1, as the hand-out picks), so one
    queue misses 8 agent-hours: 100 (head) + 8 (paid) + 8,000 (under-staffing) = 8,108. Freeing the queue's own
    group (A) cannot help; the step frees A and B, the group sharing a queue with A's, and finds A on q1 and B on
    q0: 2 heads and 16 paid hours, 216, nothing missed. A roster that misses nothing takes no step."""
    need = np.zeros((2, 24), dtype=np.int64)
    need[:, 8:16] = 1
    data = problem(need, [agent("A", [shift(0, 8)], group=0), agent("B", [shift(0, 8)], group=1)],
                   groups=((0, 1), (0,)))
    chosen = {0: [0]}
    start = disaggregate(data, chosen, *greedy_counts(data, chosen))
    assert check_roster(data, start).terms.total / OBJECTIVE_UNIT == pytest.approx(8108)
    outcome = lns.repair_short_queue(data, start, time_budget_seconds=5.0)
    assert (outcome.steps, outcome.improving_steps) == (1, 1)
    assert outcome.report.terms.under_staffing == 0
    assert outcome.report.terms.total / OBJECTIVE_UNIT == pytest.approx(216)
    assert check_roster(data, outcome.roster).feasible
    again = lns.repair_short_queue(data, outcome.roster, time_budget_seconds=5.0)
    assert (again.steps, again.improving_steps, again.work_seconds) == (0, 0, 0.0)
    assert again.roster is outcome.roster


def test_cover_first_bounds_the_missed_demand_and_restores_the_whole_objective() -> None:
    """Tests the repair's first phase on the plan above (A serves q0 and q1, B only q0, each queue needs one agent
    over 08:00-16:00), the model hinted with A alone on q0: minimising the missed demand alone finds 0 (A on q1, B on
    q0), so the model gets the bound "missed <= 0" and that solution as its hint, and its objective is again the
    whole one, term for term; solved, it gives the optimum, 216."""
    need = np.zeros((2, 24), dtype=np.int64)
    need[:, 8:16] = 1
    data = problem(need, [agent("A", [shift(0, 8)], group=0), agent("B", [shift(0, 8)], group=1)],
                   groups=((0, 1), (0,)))
    backend = CpSatBackend()
    mv = build_model(data, backend)
    before = (list(backend.model.proto.objective.vars), list(backend.model.proto.objective.coeffs),
              backend.model.proto.objective.offset)
    constraints = len(backend.model.proto.constraints)
    spent = lns._cover_first(data, backend, mv, 5.0, 10.0, 0)
    objective = backend.model.proto.objective
    assert (list(objective.vars), list(objective.coeffs), objective.offset) == before
    assert len(backend.model.proto.constraints) == constraints + 1 and 0 < spent < 5.0
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(backend.model) == cp_model.OPTIMAL
    assert solver.objective_value / OBJECTIVE_UNIT == pytest.approx(216)
    assert sum(solver.value(v) for v in mv.under.values()) == 0
