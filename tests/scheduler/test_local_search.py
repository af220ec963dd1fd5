"""The day-move local search: exact gains, hard rules kept, never worse, predicted saving = checker's.

Micro-instances of :mod:`tests.scheduler.test_rules` (60-minute grid; under-staffing 1000 per
agent-hour, headcount 100, paid time 1 per hour), so every optimum is derived by hand.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from inputs import load_plan
from scheduler import local_search
from scheduler.breaks import place_breaks
from scheduler.build import build_problem
from scheduler.checker import OBJECTIVE_UNIT, check_roster
from scheduler.disaggregate import disaggregate
from scheduler.heuristic import greedy_counts, greedy_roster
from scheduler.local_search import improve_by_day_moves
from scheduler.problem import ProblemData
from tests.scheduler.test_heuristic import _daytime_requirements
from tests.scheduler.test_rules import agent, demand_hours, problem, shift


def _objective(data: ProblemData, chosen: dict[int, list[int]], offsets: dict | None = None) -> float:
    report = check_roster(data, disaggregate(data, chosen, *greedy_counts(data, chosen, offsets=offsets)))
    assert report.feasible, report.violations
    return report.terms.total / OBJECTIVE_UNIT


def _search(data: ProblemData, chosen: dict[int, list[int]]):
    offsets = place_breaks(data, [(a, o) for a, picks in chosen.items() for o in picks])
    return improve_by_day_moves(data, chosen, offsets, time_budget_seconds=30, seed=0)


def test_a_second_agent_on_the_same_shift_is_released() -> None:
    """Tests two agents on 08-16 against demand 1 over 08-16: one is enough, 1100 + 16 -> 100 + 8 = 108."""
    data = problem(demand_hours(1, (0, 8, 16)), [agent("A", [shift(0, 8)]), agent("B", [shift(0, 8)])])
    start = {0: [0], 1: [0]}
    assert _objective(data, start) == pytest.approx(216)
    outcome = _search(data, start)
    assert len(outcome.chosen) == 1
    assert _objective(data, outcome.chosen, outcome.offsets) == pytest.approx(108)
    assert outcome.saving / OBJECTIVE_UNIT == pytest.approx(216 - 108)


def test_a_shift_moves_to_where_the_demand_is() -> None:
    """Tests one agent on 00-08 while demand is 08-16: the move to 08-16 takes 8108 down to 108."""
    data = problem(demand_hours(1, (0, 8, 16)), [agent("A", [shift(0, 0), shift(0, 8), shift(0, 16)])])
    outcome = _search(data, {0: [0]})
    assert outcome.chosen == {0: [1]}
    assert _objective(data, outcome.chosen, outcome.offsets) == pytest.approx(108)


def test_the_weekly_minimum_keeps_a_shift_that_meets_no_demand() -> None:
    """Tests a 16-hour weekly minimum with demand on day 0 only.

    Dropping the day-1 shift would leave 8 hours, below the minimum, and dropping both leaves
    day 0 uncovered (8000): the search keeps both shifts (objective 100 + 16 = 116).
    """
    data = problem(demand_hours(2, (0, 8, 16)), [agent("A", [shift(0, 8), shift(1, 8)], min_hours=16)], days=2)
    outcome = _search(data, {0: [0, 1]})
    assert outcome.chosen == {0: [0, 1]} and outcome.moves == 0
    assert _objective(data, outcome.chosen, outcome.offsets) == pytest.approx(116)


def test_rest_rule_blocks_a_move_that_would_otherwise_pay() -> None:
    """Tests an 11-hour rest: working 16-24 on day 0, the agent cannot start day 1 at 08 (8 h of rest).

    Demand is 16-24 on day 0 and 08-16 on day 1; 16-24 on day 1 is allowed but covers nothing. The
    best roster keeps day 0 and leaves day 1 off (8 hours under: 8000 + 100 + 8 = 8108); the start
    puts the agent on day 1's useless 16-24 as well, which the search drops.
    """
    need = demand_hours(2, (0, 16, 24), (1, 8, 16))
    data = problem(need, [agent("A", [shift(0, 16), shift(1, 8), shift(1, 16)])], days=2, rest_hours=11)
    outcome = _search(data, {0: [0, 2]})
    assert outcome.chosen == {0: [0]}
    assert _objective(data, outcome.chosen, outcome.offsets) == pytest.approx(8108)


def test_predicted_saving_equals_the_checkers_on_a_real_plan(tiny_plan: Path) -> None:
    """Tests the bundled tiny plan (breaks, multi-skill agents, contracts): the search's predicted saving
    is exactly the checker's objective difference, and the roster stays feasible."""
    plan = load_plan(tiny_plan)
    data = build_problem(plan, _daytime_requirements(plan))
    chosen = greedy_roster(data)
    offsets = place_breaks(data, [(a, o) for a, picks in chosen.items() for o in picks])
    before = _objective(data, chosen, offsets)
    outcome = improve_by_day_moves(data, chosen, offsets, time_budget_seconds=60, seed=0)
    after = _objective(data, outcome.chosen, outcome.offsets)
    assert after <= before
    assert before - after == pytest.approx(outcome.saving / OBJECTIVE_UNIT)


def test_same_seed_gives_the_same_roster(tiny_plan: Path) -> None:
    """Tests reproducibility of the search when it ends by convergence (not by the clock)."""
    plan = load_plan(tiny_plan)
    data = build_problem(plan, _daytime_requirements(plan))
    chosen = greedy_roster(data)
    offsets = place_breaks(data, [(a, o) for a, picks in chosen.items() for o in picks])
    first = improve_by_day_moves(data, chosen, offsets, time_budget_seconds=60, seed=3)
    second = improve_by_day_moves(data, chosen, offsets, time_budget_seconds=60, seed=3)
    assert first.chosen == second.chosen and first.offsets == second.offsets


def test_ruin_and_recreate_fixes_what_no_single_move_can() -> None:
    """Tests a two-agent exchange: A (q0 and q1) and B (q0 only); demand q0 08-16 and q1 16-24.

    The start has A on 08-16 and B on 16-24, where B meets nothing. Single moves release B (saves
    100 + 8) and then stall: A moving to 16-24 gains q1's 8 hours but loses q0's. Only lifting both
    and putting B on 08-16 and A on 16-24 covers everything: 2 heads + 16 paid hours = 216, against
    8 hours under (8000) + 108 for the single-move optimum.
    """
    need = np.zeros((2, 24), dtype=np.int64)
    need[0, 8:16] = 1
    need[1, 16:24] = 1
    options = [shift(0, 8), shift(0, 16)]
    data = problem(need, [agent("A", options, group=1), agent("B", options, group=0)], groups=((0,), (0, 1)))
    outcome = _search(data, {0: [0], 1: [1]})
    assert outcome.chosen == {0: [1], 1: [0]}
    assert _objective(data, outcome.chosen, outcome.offsets) == pytest.approx(216)


@pytest.mark.parametrize("release_rounds", [0, 4])
def test_release_lifts_an_agent_whom_the_weekly_minimum_keeps_from_single_moves(
        release_rounds: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests the release phase: demand 08-16 on both days, both agents with a 16-hour weekly minimum.

    The start has A on 08-16 (day 0) and 16-24 (day 1), B on 00-08 (day 0) and 08-16 (day 1): every
    demand hour met, 2 heads and 32 paid hours = 232 (surplus is free in these micro-instances). No
    day move pays (moving A's day 1 or B's day 0 onto the demand meets nothing more) and none may
    drop a shift (8 hours is below the minimum). Releasing one agent and moving the other's uncovered
    day onto the demand gives one head and 16 paid hours: 116. Without the release phase the day
    moves and ruin and recreate stay at 232.
    """
    monkeypatch.setattr(local_search, "MAX_RELEASE_ROUNDS", release_rounds)
    options = [shift(0, 0), shift(0, 8), shift(1, 8), shift(1, 16)]
    data = problem(demand_hours(2, (0, 8, 16), (1, 8, 16)),
                   [agent("A", options, min_hours=16), agent("B", options, min_hours=16)], days=2)
    start = {0: [1, 3], 1: [0, 2]}
    assert _objective(data, start) == pytest.approx(232)
    outcome = _search(data, start)
    if not release_rounds:
        assert outcome.chosen == start and outcome.saving == 0
        return
    assert len(outcome.chosen) == 1
    assert list(outcome.chosen.values()) == [[1, 2]]
    assert _objective(data, outcome.chosen, outcome.offsets) == pytest.approx(116)
    assert outcome.saving / OBJECTIVE_UNIT == pytest.approx(232 - 116)


def test_a_release_that_leaves_demand_uncovered_is_undone_exactly() -> None:
    """Tests demand 2 over 08-16 on both days with two agents who must work both days (16-hour minimum).

    Releasing either leaves 16 agent-hours uncovered (16,000) to save 116: never kept, and the
    roster (2 heads, 32 paid hours = 232, the optimum) comes back exactly as it was.
    """
    need = 2 * demand_hours(2, (0, 8, 16), (1, 8, 16))
    options = [shift(0, 0), shift(0, 8), shift(1, 8), shift(1, 16)]
    data = problem(need, [agent("A", options, min_hours=16), agent("B", options, min_hours=16)], days=2)
    start = {0: [1, 2], 1: [1, 2]}
    outcome = _search(data, start)
    assert outcome.chosen == start and outcome.moves == 0 and outcome.saving == 0
    assert _objective(data, outcome.chosen, outcome.offsets) == pytest.approx(232)


@pytest.mark.parametrize("rounds", [0, 4])
def test_hire_schedules_an_agent_whom_the_weekly_minimum_keeps_from_single_moves(
        rounds: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests the hire step: demand 2 over 08-16 on both days, A works both, B (16-hour minimum) is off.

    16 agent-hours are missed (16,000) + 100 + 16 = 16,116. No day move or ruin step may give B one
    shift (8 hours is below the minimum); hiring B on both days meets everything: 200 + 32 = 232.
    Without the hire and release rounds the search stays where it started.
    """
    monkeypatch.setattr(local_search, "MAX_RELEASE_ROUNDS", rounds)
    need = 2 * demand_hours(2, (0, 8, 16), (1, 8, 16))
    options = [shift(0, 8), shift(1, 8)]
    data = problem(need, [agent("A", options, min_hours=16), agent("B", options, min_hours=16)], days=2)
    start = {0: [0, 1]}
    assert _objective(data, start) == pytest.approx(16_116)
    outcome = _search(data, start)
    if not rounds:
        assert outcome.chosen == start and outcome.saving == 0
        return
    assert outcome.chosen == {0: [0, 1], 1: [0, 1]}
    assert _objective(data, outcome.chosen, outcome.offsets) == pytest.approx(232)
    assert outcome.saving / OBJECTIVE_UNIT == pytest.approx(16_116 - 232)


def test_hire_takes_the_longer_shifts_an_exact_contract_needs() -> None:
    """Tests a hire whose contract leaves no slack: demand 2 over 08-16 on both days, A works both, B has exactly
    18 hours a week and may work 08-16 or 08-17 each day. The 8-hour shifts cost an hour less each and meet the same
    demand, but two of them are 16 hours, below B's minimum: the hire must take 08-17 on both days, 200 + 16 + 18 =
    234 against the start's 16,116. Before, it took the cheaper 8-hour shifts, fell short of the minimum and was
    undone, and B stayed idle (a 40-hour contract over 5 days did so on the bundled example's plan across the
    clock change, 3,250 agent-hours short)."""
    need = 2 * demand_hours(2, (0, 8, 16), (1, 8, 16))
    a = agent("A", [shift(0, 8), shift(1, 8)])
    b = agent("B", [shift(0, 8), shift(0, 8, hours=9), shift(1, 8), shift(1, 8, hours=9)], min_hours=18,
              max_hours=18)
    data = problem(need, [a, b], days=2)
    start = {0: [0, 1]}
    assert _objective(data, start) == pytest.approx(16_116)
    hired = _search(data, start)
    assert hired.chosen == {0: [0, 1], 1: [1, 3]}
    assert _objective(data, hired.chosen, hired.offsets) == pytest.approx(234)


def test_idle_agents_are_hired_before_the_ruin_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests the order of the search where demand is missed: B (idle, 16-hour minimum, the first hire test's plan)
    is hired before the first ruin-and-recreate step is drawn. The hire round used to come after the ruin steps
    only, which spent the whole budget on the bundled example's plan across the clock change: a 40-hour agent
    stayed idle while 3,250 agent-hours were short (hired first: 152 of 152 agents, objective 3.1% lower)."""
    need = 2 * demand_hours(2, (0, 8, 16), (1, 8, 16))
    options = [shift(0, 8), shift(1, 8)]
    data = problem(need, [agent("A", options, min_hours=16), agent("B", options, min_hours=16)], days=2)
    seen: list[bool] = []
    pick = local_search._Neighbourhoods.pick

    def first_pick(self: object) -> object:
        seen.append(bool(self.state.day_shift[1]))
        return pick(self)

    monkeypatch.setattr(local_search._Neighbourhoods, "pick", first_pick)
    outcome = _search(data, {0: [0, 1]})
    assert seen and seen[0]
    assert outcome.chosen == {0: [0, 1], 1: [0, 1]}


def test_hire_is_undone_when_the_agent_costs_more_than_they_meet() -> None:
    """Tests a hire judged on the whole agent: demand 1 over 08-16 on both days and 16-17 on day 0.

    A (no minimum) works 08-16 on both days and misses 16-17: 1000 + 100 + 16 = 1116. B (16-hour
    minimum) may work 09-17 on day 0 and 08-16 on day 1: hired, B meets 16-17 and A's day 1 is no
    longer needed, 200 + 24 = 224. With the under-staffing weight at 100 per agent-hour the start
    costs 100 + 100 + 16 = 216, the hire at best 224: it is undone and the roster stays exactly as it was.
    """
    need = demand_hours(2, (0, 8, 16), (1, 8, 16))
    need[0, 16] = 1
    agents = [agent("A", [shift(0, 8), shift(1, 8)]), agent("B", [shift(0, 9), shift(1, 8)], min_hours=16)]
    data = problem(need, agents, days=2)
    start = {0: [0, 1]}
    assert _objective(data, start) == pytest.approx(1116)
    hired = _search(data, start)
    assert hired.chosen == {0: [0], 1: [0, 1]}
    assert _objective(data, hired.chosen, hired.offsets) == pytest.approx(224)
    cheap = replace(data, weights=replace(data.weights, under_staffing=10_000))
    assert _objective(cheap, start) == pytest.approx(216)
    kept = _search(cheap, start)
    assert kept.chosen == start and kept.saving == 0


@pytest.mark.parametrize("swap_share", [0.0, 0.5])
def test_a_day_swap_moves_a_shift_to_the_day_that_misses_demand(swap_share: float,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests the day swap: demand 08-16 on days 1 and 2; A (2 days at most, 16-hour minimum) works days 0 and 2.

    Day 0 meets nothing, but no single move helps: lifting it leaves 8 hours, below the minimum, and adding day 1
    makes a third day. Releasing A misses day 2 as well (16,000). The start costs 8 hours under (8000) + 100 + 16
    = 8116; moving the day-0 shift to day 1 covers everything, 100 + 16 = 116. Without swaps (share 0) ruin and
    recreate lifts only A's day 1 and the roster stays as it was.
    """
    monkeypatch.setattr(local_search, "SWAP_SHARE", swap_share)
    need = demand_hours(3, (1, 8, 16), (2, 8, 16))
    data = problem(need, [agent("A", [shift(0, 8), shift(1, 8), shift(2, 8)], min_hours=16, max_days=2)], days=3)
    _assert_found_only_with(bool(swap_share), data, {0: [0, 2]}, 8116, {0: [1, 2]}, 116)


@pytest.mark.parametrize("with_replace", [False, True])
def test_replace_exchanges_a_full_timer_for_an_idle_part_timer(with_replace: bool,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests the replacement: demand 08-12 on days 0 and 1; F (16-hour minimum) works 08-16 on both days, P
    (8-hour minimum, 4-hour shifts 08-12) is idle.

    F costs 100 + 16 = 116, P would cost 100 + 8 = 108. No single move, ruin and recreate on one day, hire or
    release gets there: F's days are held by the minimum, P alone on one day misses theirs, hiring P next to F
    meets nothing, and releasing F leaves 8 hours missed (8000). Releasing F with P hired into the gap: 108.
    """
    if not with_replace:
        monkeypatch.setattr(local_search._Headcount, "replace", lambda self, a: 0.0)
    need = demand_hours(2, (0, 8, 12), (1, 8, 12))
    agents = [agent("F", [shift(0, 8), shift(1, 8)], min_hours=16),
              agent("P", [shift(0, 8, hours=4), shift(1, 8, hours=4)], min_hours=8)]
    data = problem(need, agents, days=2)
    _assert_found_only_with(with_replace, data, {0: [0, 1]}, 116, {1: [0, 1]}, 108)


def _assert_found_only_with(enabled: bool, data: ProblemData, start: dict[int, list[int]], start_objective: float,
                            best: dict[int, list[int]], best_objective: float) -> None:
    """The search reaches ``best`` (exactly, saving the difference) when the move is enabled, else keeps ``start``."""
    assert _objective(data, start) == pytest.approx(start_objective)
    outcome = _search(data, start)
    if enabled:
        assert outcome.chosen == best
        assert _objective(data, outcome.chosen, outcome.offsets) == pytest.approx(best_objective)
        assert outcome.saving / OBJECTIVE_UNIT == pytest.approx(start_objective - best_objective)
    else:
        assert outcome.chosen == start and outcome.saving == 0


def test_a_spent_budget_skips_the_release_rounds_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests that the release round is not even ordered once the budget is spent: the order values every scheduled
    agent's days (6 s on the bundled example over 6 weeks on the 15-minute grid, with a 10 s limit), and with the
    budget spent no release would follow it. With a budget the order is still taken."""
    need = demand_hours(2, (0, 8, 16), (1, 8, 16))
    options = [shift(0, 8), shift(1, 8)]
    data = problem(need, [agent("A", options), agent("B", options)], days=2)
    ordered: list[int] = []
    order = local_search._Headcount.order

    def counted(self: object) -> list[int]:
        ordered.append(1)
        return order(self)

    monkeypatch.setattr(local_search._Headcount, "order", counted)
    offsets = {(a, o): [] for a in (0, 1) for o in (0, 1)}
    improve_by_day_moves(data, {0: [0, 1], 1: [0, 1]}, offsets, time_budget_seconds=0.0, seed=0)
    assert ordered == []
    outcome = improve_by_day_moves(data, {0: [0, 1], 1: [0, 1]}, offsets, time_budget_seconds=5.0, seed=0)
    assert ordered and outcome.chosen in ({0: [0, 1]}, {1: [0, 1]})
