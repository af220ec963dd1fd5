"""Queue hand-out by min-cost flow, the exact per-interval cover value, and break placement.

Micro-instances on the 60-minute grid of :mod:`tests.scheduler.test_rules`; every expected value
is derived by hand in the test's docstring.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from scheduler.assignment import assign_queues
from scheduler.breaks import CoverValue, place_breaks
from scheduler.checker import check_roster
from scheduler.disaggregate import disaggregate
from scheduler.heuristic import greedy_counts, greedy_roster, on_queue_share
from scheduler.problem import BreakSpec, ShiftOption, TemplateData
from tests.scheduler.test_rules import agent, demand_hours, problem, shift

# groups: 0 = {q0, q1} (bilingual), 1 = {q0}, 2 = {q1, q2}
GROUPS = ((0, 1), (0,), (1, 2))


def _three_queue_problem(demand_per_queue: tuple[int, int, int], priorities: tuple[int, int, int] = (100, 100, 100)):
    need = np.zeros((3, 24), dtype=np.int64)
    for q, n in enumerate(demand_per_queue):
        need[q, :] = n
    data = problem(need, [agent("A", [shift(0, 0)])], groups=GROUPS)
    return replace(data, queue_priority=priorities)


def test_flow_frees_the_multi_skill_agent_for_the_queue_only_they_can_serve() -> None:
    """Tests one bilingual (q0, q1) and one q0-only agent against demand 1 on q0 and q1.

    q0 has the higher priority, so a hand-out by priority gives q0 to the bilingual agent first
    and leaves q1 empty; the optimum sends the specialist to q0 and the bilingual agent to q1.
    """
    data = _three_queue_problem((1, 1, 0), priorities=(200, 100, 100))
    on_duty = np.zeros((3, 24), dtype=np.int64)
    on_duty[0, 5] = on_duty[1, 5] = 1
    counts = assign_queues(data, on_duty)
    assert counts == {(0, 1, 5): 1, (1, 0, 5): 1}


def test_flow_hands_out_every_agent_and_surplus_goes_somewhere_of_their_skills() -> None:
    """Tests three q0-only agents against demand 1: one meets it, two are surplus on q0 (their only skill)."""
    data = _three_queue_problem((1, 0, 0))
    on_duty = np.zeros((3, 24), dtype=np.int64)
    on_duty[1, 0] = 3
    assert assign_queues(data, on_duty) == {(1, 0, 0): 3}


def test_cover_value_follows_a_chain_of_moves() -> None:
    """Tests the augmenting chain: demand 1 on q0, q1, q2; one agent in each group.

    Processing q0 first may give it the bilingual agent; q1 then needs group 2 and q2 is left
    with nobody unless the chain q2 <- group 2 <- q1 <- group 0 <- q0 <- group 1 is followed:
    all three are met, value 3 x 100. With priority 300 on q2 and a single agent of group 2 and
    group 1 only (no bilingual), q1 goes unmet: 100 + 300 = 400.
    """
    data = _three_queue_problem((1, 1, 1))
    cover = CoverValue(data)
    assert cover.value(0, (1, 1, 1)) == 300
    assert cover.value(0, (0, 1, 1)) == 200
    assert cover.value(0, (2, 0, 0)) == 200  # the bilingual pair meets q0 and q1 only
    prioritised = CoverValue(_three_queue_problem((1, 1, 1), priorities=(100, 100, 300)))
    assert prioritised.value(0, (0, 1, 1)) == 400


def _best_cover_by_lp(groups: tuple, demand: np.ndarray, priority: np.ndarray, on_duty: np.ndarray) -> float:
    """The most priority-weighted demand met, by HiGHS (scipy's ``linprog``): agents of group g to queue q,
    at most ``on_duty[g]`` per group and ``demand[q]`` per queue; a transportation problem, so the LP optimum
    is integral and is the exact value."""
    from scipy.optimize import linprog

    arcs = [(g, q) for g, queues in enumerate(groups) for q in queues]
    rows = np.zeros((len(groups) + len(demand), len(arcs)))
    for k, (g, q) in enumerate(arcs):
        rows[g, k] = rows[len(groups) + q, k] = 1
    found = linprog(-np.array([priority[q] for _, q in arcs], dtype=float), A_ub=rows,
                    b_ub=np.concatenate([on_duty, demand]).astype(float), bounds=(0, None), method="highs")
    assert found.status == 0
    return -found.fun


def test_cover_value_equals_the_transportation_lp_on_random_intervals() -> None:
    """Tests :class:`CoverValue` against an independent exact solver: 312 random intervals, 6 queues of three
    priorities, 9 random skill groups (so chains of moves and queues no chain can serve both occur), 0 to 4
    agents per group and 0 to 5 wanted per queue; each value must equal HiGHS's optimum exactly."""
    rng = np.random.default_rng(11)
    num_queues, num_intervals = 6, 312
    groups = tuple(tuple(sorted(rng.choice(num_queues, size=int(rng.integers(1, 4)), replace=False).tolist()))
                   for _ in range(9))
    demand = rng.integers(0, 6, size=(num_queues, num_intervals))
    priority = (100, 100, 300, 100, 200, 200)
    data = replace(problem(demand, [agent("A", [shift(0, 0)])], days=num_intervals // 24, groups=groups),
                   queue_priority=priority)
    cover = CoverValue(data)
    for t in range(num_intervals):
        on_duty = rng.integers(0, 5, size=len(groups))
        expected = _best_cover_by_lp(groups, demand[:, t], np.asarray(priority), on_duty)
        assert cover.value(t, tuple(on_duty.tolist())) == round(expected), t


def _break_problem(demand: np.ndarray, num_agents: int, offsets: tuple[int, ...]):
    templates = (TemplateData("day", "D", (BreakSpec("lunch", 60, False, 1, offsets),)),)
    option = ShiftOption(0, 0, 8, 8, 420)
    return problem(demand, [agent(n, [option]) for n in "ABC"[:num_agents]], templates=templates)


def test_breaks_go_where_a_colleague_is_spare() -> None:
    """Tests two agents on 08-16 with lunch 2..5 h in, demand 1 except 2 at 11:00.

    Both lunches must avoid 11:00 (offset 3) and each other: the two lunches take two of offsets
    2, 4, 5, and coverage meets demand in every hour.
    """
    need = demand_hours(1, (0, 8, 16))
    need[0, 11] = 2
    data = _break_problem(need, 2, (2, 3, 4, 5))
    shifts = [(0, 0), (1, 0)]
    offsets = place_breaks(data, shifts)
    chosen = sorted(offsets[s][0] for s in shifts)
    assert 3 not in chosen and chosen[0] != chosen[1]
    roster = disaggregate(data, {0: [0], 1: [0]}, *greedy_counts(data, {0: [0], 1: [0]}))
    report = check_roster(data, roster)
    assert report.feasible, report.violations
    assert (report.coverage[0, 8:16] >= need[0, 8:16]).all()


def test_breaks_of_a_pair_never_coincide_even_when_it_costs_nothing() -> None:
    """Tests the small-team rule with no demand at all: the two lunches still fall in different hours."""
    data = _break_problem(np.zeros((1, 24), dtype=np.int64), 2, (3, 4))
    offsets = place_breaks(data, [(0, 0), (1, 0)])
    assert sorted([offsets[0, 0][0], offsets[1, 0][0]]) == [3, 4]


def test_a_chain_of_breaks_in_each_other_s_way_is_untangled() -> None:
    """Tests three agents of one team, each with a break, a lunch and a break of one hour in windows of two
    (offsets 2-3, 4-5, 6-7): A from 00:00, B from 06:00, C from 07:00, demand as below. From 08:00 to 14:00 only B
    and C are on shift, so their six breaks must take six different hours: B in 8-9, 10-11, 12-13 and C in 9-10,
    11-12, 13-14 leave two ways, B at 8, 10, 12 with C at 9, 11, 13, or B at 9, 11, 13 with C at 10, 12, 14. Placed
    one at a time (and re-placed in rounds), B's lunch and C's first break both took 10:00, each round moving the
    other back into the way; the roster then broke the team rule, and on the 60-minute example the whole start
    roster was thrown away (it then scheduled nobody). The search keeps the rule; of the two ways the second loses
    no demand at 08:00, where 3 agents are wanted (the first leaves 1 of them on duty there)."""
    breaks = (BreakSpec("break", 15, True, 1, (2, 3)), BreakSpec("lunch", 30, False, 1, (4, 5)),
              BreakSpec("break", 15, True, 1, (6, 7)))
    need = np.array([[3, 0, 2, 0, 1, 0, 2, 2, 3, 1, 0, 3, 0, 0, 3, 1, 2, 2, 3, 1, 1, 0, 1, 1]])
    data = problem(need, [agent(n, [ShiftOption(0, 0, start, 8, 450)]) for n, start in (("A", 0), ("B", 6),
                                                                                      ("C", 7))],
                   templates=(TemplateData("late", "L", breaks),))
    offsets = place_breaks(data, [(0, 0), (1, 0), (2, 0)], passes=1)
    hours = {name: [start + offset for offset in offsets[a, 0]] for a, (name, start) in enumerate(
        (("A", 0), ("B", 6), ("C", 7)))}
    assert hours == {"A": [3, 5, 7], "B": [9, 11, 13], "C": [10, 12, 14]}


def test_on_queue_share_counts_break_intervals() -> None:
    """Tests 8 intervals with a 1-interval lunch: 7/8 of the shift on the queues; no template breaks: 1."""
    data = _break_problem(np.zeros((1, 24), dtype=np.int64), 1, (3, 4))
    assert on_queue_share(data, data.agents[0].options[0]) == pytest.approx(7 / 8)
    assert on_queue_share(problem(np.zeros((1, 24)), [agent("A", [shift(0, 8)])]), shift(0, 8)) == 1.0


def test_greedy_takes_a_second_shift_when_breaks_would_open_a_hole() -> None:
    """Tests demand 1 over 08-16 and two agents each offered 08-16 with a one-hour lunch.

    One agent leaves a one-hour hole (1000) and two cost one more head and 7 paid hours (107):
    counted net of its lunch (7/8 of an agent per hour), the first shift leaves 1/8 open in every
    hour, so the greedy schedules both and the checked roster has no hour under-staffed.
    """
    data = _break_problem(demand_hours(1, (0, 8, 16)), 2, (2, 3, 4, 5))
    chosen = greedy_roster(data)
    assert chosen == {0: [0], 1: [0]}
    report = check_roster(data, disaggregate(data, chosen, *greedy_counts(data, chosen)))
    assert report.feasible and report.coverage[0, 8:16].min() == 1
