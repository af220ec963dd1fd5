"""The uncovered-queue tier: a queue with demand and nobody on it costs ``uncovered_queue`` on top of its
under-staffing, so the first agent on a live queue is worth more than the next one on a queue already served.

Micro-instances on the 60-minute grid with the weights of ``test_rules`` (under-staffing 1000 per agent-hour at
priority 1, headcount 100, paid time 1 per hour) and ``uncovered_queue`` 1000 per hour (plan units), unless said
otherwise; optima derived by hand in the docstrings. Every solve's roster goes through the checker, whose objective
must equal the solver's.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from scheduler.assignment import assign_queues
from scheduler.breaks import CoverValue
from scheduler.checker import OBJECTIVE_UNIT, check_roster
from scheduler.heuristic import greedy_roster
from scheduler.lns import _sub_problem
from scheduler.local_search import improve_by_day_moves
from scheduler.problem import ProblemData
from scheduler.roster import Assignment, Roster
from scheduler.roster_mip import compact_lp, solve_roster_mip
from scheduler.solve import solve
from tests.scheduler.test_rules import PLAIN, WEIGHTS, agent, shift

TIER = replace(WEIGHTS, uncovered_queue=100_000)  # 1000 an hour at priority 1, as much as a missing agent


def en_tr(weights: object = TIER, priority: tuple[int, int] = (150, 100)) -> ProblemData:
    """Queues en (demand 5, 08-16) and tr (demand 1, 08-16); four en agents and one en;tr agent X, each with one
    8-hour shift 08-16: one agent short. Every agent works (108 each, against 1000 or more an hour of demand each
    meets): 5 heads and 40 paid hours, 540."""
    demand = np.zeros((2, 24), dtype=np.int64)
    demand[0, 8:16], demand[1, 8:16] = 5, 1
    agents = [agent(f"E{k}", [shift(0, 8)]) for k in range(4)] + [agent("X", [shift(0, 8)], group=1)]
    return ProblemData(60, 24, 1, None, ("en/phone", "tr/phone"), priority, demand, ((0,), (0, 1)), tuple(agents),
                       (PLAIN,), 11, 6, weights)


def roster_with(data: ProblemData, x_queue: int) -> Roster:
    """All five shifts, the en agents on en and X on ``x_queue`` all day."""
    return Roster(tuple(Assignment(a, 0, (), ((x_queue if a == 4 else 0),) * 8) for a in range(5)))


def checked_solve(data: ProblemData, **kwargs: object) -> object:
    """Solve with one worker; the checker's objective must be the solver's."""
    result = solve(data, time_limit_seconds=10, workers=1, seed=0, **kwargs)
    report = check_roster(data, result.roster)
    assert report.feasible, report.violations
    assert report.terms.total / OBJECTIVE_UNIT == pytest.approx(result.objective)
    return result


def x_queues(data: ProblemData, result: object) -> set[int]:
    """The queues the en;tr agent serves in the roster."""
    return {q for item in result.roster.assignments if item.agent == len(data.agents) - 1 for q in item.queues}


def test_the_checker_charges_a_dark_queue_once_per_interval_by_priority() -> None:
    """Tests the checker on both hand-outs of ``en_tr`` (en priority 1.5, tr 1; heads and paid hours: 540).
    X on en: tr misses 8 agent-hours (8,000) and is dark 8 hours (8,000 more): 16,540. X on tr: en misses 8
    agent-hours at 1.5 (12,000), never dark: 12,540. Without the weight, the dark hours cost nothing (8,540)."""
    data = en_tr()
    on_en, on_tr = check_roster(data, roster_with(data, 0)), check_roster(data, roster_with(data, 1))
    assert (on_en.terms.under_staffing, on_en.terms.uncovered_queues) == (8000 * OBJECTIVE_UNIT, 8000 * OBJECTIVE_UNIT)
    assert on_en.terms.total == 16_540 * OBJECTIVE_UNIT
    assert [p for p in on_en.soft if p[0] == "uncovered_queue"] == [
        ("uncovered_queue", f"tr/phone interval {t}", 1) for t in range(8, 16)]
    assert (on_tr.terms.uncovered_queues, on_tr.terms.total) == (0, 12_540 * OBJECTIVE_UNIT)
    plain = replace(data, weights=WEIGHTS)
    assert check_roster(plain, roster_with(plain, 0)).terms.total == 8540 * OBJECTIVE_UNIT
    assert not [p for p in check_roster(plain, roster_with(plain, 0)).soft if p[0] == "uncovered_queue"]


@pytest.mark.parametrize(("weights", "objective", "queue"), [(TIER, 12_540, 1), (WEIGHTS, 8540, 0)])
def test_the_tier_sends_the_multi_skill_agent_to_the_dark_queue(weights: object, objective: int, queue: int) -> None:
    """Tests the whole solve on ``en_tr``: with the tier the optimum (12,540) has X on tr all day; without it X
    serves en, whose priority is higher (8,540 against 12,540), as before."""
    data = en_tr(weights)
    result = checked_solve(data)
    assert result.status == "OPTIMAL"
    assert result.objective == pytest.approx(objective)
    assert x_queues(data, result) == {queue}
    assert result.lower_bound <= objective + 1e-6


def test_equal_priorities_no_longer_tie() -> None:
    """Tests the audit's case, both queues at the same priority: without the tier X on en or on tr costs the same
    (16,540: one agent short at priority 2 for 8 hours), with it X on tr (16,540) beats X on en (16,540 and 16,000
    more of a dark tr at priority 2)."""
    data = en_tr(priority=(200, 200))
    result = checked_solve(data)
    assert result.objective == pytest.approx(540 + 16_000)  # en short one agent at priority 2 for 8 hours
    assert x_queues(data, result) == {1}
    assert check_roster(data, roster_with(data, 0)).terms.total / OBJECTIVE_UNIT == 540 + 16_000 + 16_000


def test_the_large_plan_path_finds_the_same_optimum(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests the roster stages of large plans (greedy, local search, the queue hand-out, group LNS), forced onto
    ``en_tr``: the same 12,540 with X on tr."""
    monkeypatch.setattr("scheduler.solve.LARGE_MODEL_VARIABLES", 0)
    data = en_tr()
    result = checked_solve(data)
    assert result.objective == pytest.approx(12_540)
    assert x_queues(data, result) == {1}


def test_the_queue_hand_out_gives_the_first_agent_to_the_dark_queue() -> None:
    """Tests :func:`assign_queues` on ``en_tr``'s agents on duty (4 of group en, 1 of group en;tr): X goes to tr with
    the tier, to en (priority 1.5) without it."""
    data = en_tr()
    on_duty = np.zeros((2, 24), dtype=np.int64)
    on_duty[0, 8:16], on_duty[1, 8:16] = 4, 1
    assert {key[1] for key, n in assign_queues(data, on_duty).items() if key[0] == 1 and n} == {1}
    plain = replace(data, weights=WEIGHTS)
    assert {key[1] for key, n in assign_queues(plain, on_duty).items() if key[0] == 1 and n} == {0}


def _best_cost(data: ProblemData, t: int, on_duty: tuple[int, ...]) -> int:
    """The least under-staffing plus uncovered-queue cost (model units) of any hand-out of ``on_duty``, by brute
    force over every split of each group's agents among its queues."""
    w = data.weights
    per_group = []
    for g, queues in enumerate(data.groups):
        per_group.append([split for split in itertools.product(range(on_duty[g] + 1), repeat=len(queues))
                          if sum(split) == on_duty[g]])
    best = None
    for splits in itertools.product(*per_group):
        served = np.zeros(data.num_queues, dtype=np.int64)
        for g, split in enumerate(splits):
            for q, n in zip(data.groups[g], split, strict=True):
                served[q] += n
        cost = 0
        for q in range(data.num_queues):
            demand, priority = int(data.demand[q, t]), data.queue_priority[q]
            cost += 60 * w.under_staffing * priority * max(demand - int(served[q]), 0)
            cost += 60 * w.uncovered_queue * priority * (demand >= 1 and served[q] == 0)
        best = cost if best is None else min(best, cost)
    return best


def test_cover_value_is_exact_with_chains_of_multi_skill_agents() -> None:
    """Tests :class:`CoverValue` against brute force: three queues (en 2, tr 1, de 1 agents wanted, priorities 1.5,
    1, 2) and four skill groups (en; en;tr; tr;de; de), every count of agents on duty up to 2 a group. What the value
    misses of the full demand, in model units, is the least under-staffing and uncovered-queue cost of any hand-out
    (so the gain of one more agent, chains of agents moving over included, is exact too)."""
    demand = np.array([[2], [1], [1]], dtype=np.int64)
    data = ProblemData(60, 1, 1, None, ("en", "tr", "de"), (150, 100, 200), demand,
                       ((0,), (0, 1), (1, 2), (2,)), (), (), 11, 6, TIER)
    cover = CoverValue(data)
    for on_duty in itertools.product(range(3), repeat=4):
        missed = (cover.full(0) - cover.value(0, on_duty)) * cover.unit_cost
        assert missed == _best_cost(data, 0, on_duty), on_duty
    # the chain: X (en;tr) serves en; one more en agent lets X move over to the dark tr
    gain = cover.gain(0, [0, 1, 0, 0], 0)
    assert gain * cover.unit_cost == 60 * 100 * (100_000 + 100_000)


def test_local_search_and_greedy_move_a_multi_skill_agent_to_the_dark_queue() -> None:
    """Tests the day moves and the greedy on a choice of shifts: Y (en) works 12-16, where en wants 2; X (en;tr) may
    work 8-12, where tr wants 1, or 12-16. Without the tier 12-16 is X's better shift (6,000 of en at 1.5 against
    4,000 of tr: 4,208 in all); with it 8-12 is (tr is dark otherwise: 8,000 against 6,000: 6,208)."""
    demand = np.zeros((2, 24), dtype=np.int64)
    demand[0, 12:16], demand[1, 8:12] = 2, 1
    agents = (agent("Y", [shift(0, 12, 4)], pinned={0: 0}), agent("X", [shift(0, 8, 4), shift(0, 12, 4)], group=1))
    data = ProblemData(60, 24, 1, None, ("en/phone", "tr/phone"), (150, 100), demand, ((0,), (0, 1)), agents,
                       (PLAIN,), 11, 6, TIER)
    for weights, option, objective in ((TIER, 0, 6208), (WEIGHTS, 1, 4208)):
        problem = replace(data, weights=weights)
        start = {0: [0], 1: [1 - option]}
        moved = improve_by_day_moves(problem, start, {(0, 0): [], (1, 1 - option): []}, time_budget_seconds=5.0)
        assert moved.chosen[1] == [option]
        assert greedy_roster(problem)[1] == [option]
        result = checked_solve(problem)
        assert result.objective == pytest.approx(objective)


def test_the_roster_mip_and_its_lp_agree_with_the_checker() -> None:
    """Tests the compact roster MIP (HiGHS) on ``en_tr``: its optimum is 12,540, its LP relaxation no more."""
    data = en_tr()
    outcome = solve_roster_mip(data, time_limit_seconds=10, threads=1)
    assert outcome.status == "Optimal" and outcome.objective == pytest.approx(12_540)
    assert compact_lp(data, time_limit_seconds=10, threads=1).bound <= 12_540 + 1e-6


def test_a_neighbourhood_charges_no_dark_queue_the_fixed_agents_serve() -> None:
    """Tests the sub-problem of a large-neighbourhood step that frees an en agent and X with three en agents fixed:
    en still wants two agents, but the fixed three serve it (never dark, whatever the step does), tr is served by
    nobody (dark unless X serves it). The step's model, solved, puts X on tr and the fifth en agent on en."""
    from ortools.sat.python import cp_model

    from scheduler.cpsat.backend import CpSatBackend
    from scheduler.cpsat.model import build_model

    data = en_tr()
    fixed = Roster(tuple(Assignment(a, 0, (), (0,) * 8) for a in range(3)))
    sub = _sub_problem(data, fixed, [data.agents[3], data.agents[4]])
    assert sub.demand[0, 8:16].tolist() == [2] * 8
    dark = sub.can_go_dark()
    assert not dark[0].any() and dark[1, 8:16].all() and not dark[1, :8].any()
    backend = CpSatBackend()
    mv = build_model(sub, backend)
    assert set(mv.dark) == {(1, t) for t in range(8, 16)}
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(backend.model) == cp_model.OPTIMAL
    # two heads, 16 paid hours and en one agent short at 1.5 for 8 hours (X on en: 8,000 of tr, 8,000 dark)
    assert solver.objective_value == (200 + 16 + 12_000) * OBJECTIVE_UNIT


def test_a_deferred_queue_left_dark_costs_its_under_staffing_only() -> None:
    """Tests ``live_queues``: with tr an e-mail queue (deferred: its contacts wait in the backlog) nobody on it costs
    its under-staffing alone, so X serves en again (8,540, as without the tier), and the checker lists no dark
    interval; the checker and the hand-out agree."""
    data = replace(en_tr(), live_queues=(True, False))
    assert not data.can_go_dark()[1].any() and data.can_go_dark()[0, 8:16].all()
    result = checked_solve(data)
    assert result.objective == pytest.approx(8540) and x_queues(data, result) == {0}
    assert check_roster(data, roster_with(data, 0)).terms.uncovered_queues == 0


def test_the_plan_weight_and_the_live_queues_reach_the_problem(tiny_plan: Path) -> None:
    """Tests :func:`scheduler.build.build_problem` on the tiny plan: ``[objective] uncovered_queue`` defaults to
    ``under_staffing`` (1000, scaled by 100), and the tier applies to its phone and chat queues, not to e-mail."""
    from inputs import load_plan
    from scheduler.build import build_problem
    from tests.scheduler.test_build import _empty_requirements

    plan = load_plan(tiny_plan)
    problem = build_problem(plan, _empty_requirements())
    assert problem.weights.uncovered_queue == problem.weights.under_staffing == 100_000
    assert dict(zip(problem.queue_names, problem.live_queues, strict=True)) == {
        q.name: q.kind in ("phone", "chat") for q in plan.queues}
    assert set(problem.live_queues) == {True, False}
