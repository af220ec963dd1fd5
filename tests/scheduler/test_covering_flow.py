"""The covering relaxation as a min-cost flow: hand-derived optima, a valid bound, exact one-queue rosters.

Weights are those of :mod:`tests.scheduler.test_rules` (under-staffing 1000 per agent-hour, headcount
100 per agent, paid time 1 per hour, the rest 0) unless a test says otherwise.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from scheduler.aggregate_lp import contract_classes, count_lp_bound, count_lp_solution
from scheduler.checker import OBJECTIVE_UNIT
from scheduler.covering_flow import (
    covering_bound,
    exact_applies,
    exact_roster,
    skill_components,
    solve_flow,
    spans_of,
)
from scheduler.problem import BreakSpec, TemplateData
from tests.scheduler.test_rules import PLAIN, agent, demand_hours, problem, shift, solved


def _peak_demand() -> np.ndarray:
    """Day 0: one agent 08-10 and 14-16, two agents 10-14 (12 agent-hours)."""
    need = np.zeros((1, 24), dtype=np.int64)
    need[0, 8:16] = 1
    need[0, 10:14] = 2
    return need


def _four_hour_shifts() -> list:
    return [shift(0, start, hours=4) for start in range(6, 15)]


def test_flow_optimum_and_shifts_are_hand_derived() -> None:
    """Tests the flow on 4-hour shifts: 08-12, 10-14 and 12-16 cover the peak exactly, 12 paid hours.

    12 agent-hours of demand need at least 12 paid hours, and those three shifts meet every interval
    exactly, so the flow's optimum is 12 without headcount. With it, one shift a day per agent gives
    heads >= 3 shifts on day 0: bound 12 + 300 = 312, which three agents reach, so the solve is
    proven optimal by the flow (no CP-SAT).
    """
    data = problem(_peak_demand(), [agent(name, _four_hour_shifts()) for name in "ABCD"])
    spans = spans_of(data)
    base = solve_flow(data, spans)
    assert base.cost / OBJECTIVE_UNIT == pytest.approx(12)
    worked = sorted((int(spans.start[k]), int(spans.end[k]), int(n)) for k, n in enumerate(base.shifts) if n)
    assert worked == [(8, 12, 1), (10, 14, 1), (12, 16, 1)]
    assert covering_bound(data, spans, base) == pytest.approx(312)
    result = solved(data)
    assert (result.status, result.objective, result.lower_bound, result.num_agents_used) == ("OPTIMAL", 312, 312, 3)
    assert "min-cost flow" in result.explanation[0]


def test_surplus_is_priced_when_shifts_have_no_breaks() -> None:
    """Tests the over-staffing arcs: 7 hours of demand, only an 8-hour shift: 8 paid + 1 surplus + 100 = 109.

    Over-staffing at 1 per agent-hour (weight 100 in the model's scale). Leaving the 7 hours
    uncovered would cost 7000, so the single shift is optimal; the solve is proven by the flow.
    """
    need = np.zeros((1, 24), dtype=np.int64)
    need[0, 8:15] = 1
    data = problem(need, [agent("A", [shift(0, 8)])])
    data = replace(data, weights=replace(data.weights, over_staffing=100))
    assert covering_bound(data) == pytest.approx(109)
    result = solved(data)
    assert (result.status, result.objective) == ("OPTIMAL", 109)


def test_rest_rule_makes_the_flow_a_bound_only() -> None:
    """Tests that per-agent rules the flow ignores leave it a bound, and the solve falls back to CP-SAT.

    14-22 on day 0 and 06-14 on day 1 leave 8 hours of rest, below 11: one agent cannot work both.
    The flow works both shifts (16 paid hours) and its headcount multipliers see one shift a day,
    so its bound is 16 + 100 = 116. Handed to agents, the shifts need two heads (216), above that
    bound, so the exact path declines; CP-SAT proves 216.
    """
    need = np.zeros((1, 48), dtype=np.int64)
    need[0, 14:22] = 1
    need[0, 24 + 6: 24 + 14] = 1
    options = [shift(0, 14), shift(1, 6)]
    data = problem(need, [agent("A", options), agent("B", options)], days=2)
    spans = spans_of(data)
    base = solve_flow(data, spans)
    assert covering_bound(data, spans, base) == pytest.approx(116)
    chosen = exact_roster(data, spans, base)
    assert chosen == {0: [0], 1: [1]}
    alone = problem(need, [agent("A", options)], days=2)
    assert exact_roster(alone, spans_of(alone), solve_flow(alone, spans_of(alone))) is None
    result = solved(data)
    assert (result.status, result.objective, result.num_agents_used) == ("OPTIMAL", 216, 2)
    assert not result.explanation or "min-cost flow" not in result.explanation[0]


def test_bound_never_exceeds_the_proven_optimum() -> None:
    """Tests validity on random two-queue plans with breaks, skills and weekly limits against CP-SAT's optimum."""
    lunch = TemplateData("day", "D", (BreakSpec("lunch", 60, False, 1, (3, 4)),))
    rng = np.random.default_rng(7)
    for _ in range(6):
        need = rng.binomial(1, 0.4, size=(2, 48)) * (np.arange(48) % 24 >= 8) * (np.arange(48) % 24 < 19)
        agents = []
        for a in range(6):
            options = [shift(day, start, template=1) for day in (0, 1) for start in (7, 9, 11, 12)]
            agents.append(agent(f"A{a}", options, group=a % 3, max_hours=int(rng.integers(8, 17))))
        data = problem(need, agents, days=2, groups=((0,), (1,), (0, 1)), templates=(PLAIN, lunch))
        data = replace(data, weights=replace(data.weights, over_staffing=50))
        assert not exact_applies(data)
        result = solved(data)
        assert result.status == "OPTIMAL"
        assert covering_bound(data) <= result.objective + 1e-9
        assert count_lp_bound(data, 10) <= result.objective + 1e-9


def test_skill_components_add_up_and_spans_are_capped_by_who_may_work_them() -> None:
    """Tests two separate skills: two agents needed on q0 08-16, but only A serves q0 (B serves q1 only).

    Together, the two agents' 08-16 spans could cover q0 for 16 paid hours and 200 of heads (216).
    Apart, q0 has one agent who may work the span once: 8 paid + 8 missed hours (8000) + one head
    = 8108, and q1 has no demand: 0. The sum, 8108, is the optimum.
    """
    need = np.zeros((2, 24), dtype=np.int64)
    need[0, 8:16] = 2
    data = problem(need, [agent("A", [shift(0, 8)], group=0), agent("B", [shift(0, 8)], group=1)],
                   groups=((0,), (1,)))
    assert skill_components(data) == [[0], [1]]
    assert covering_bound(data) == pytest.approx(8108)
    assert solved(data).objective == pytest.approx(8108)


def _lunch_plan(target_hours: int = 0) -> object:
    """08-16 with an unpaid lunch at 11, 12 or 13 (7 paid hours); demand 08-16."""
    lunch = TemplateData("day", "D", (BreakSpec("lunch", 60, False, 1, (3, 4, 5)),))
    need = np.zeros((1, 24), dtype=np.int64)
    need[0, 8:16] = 1
    option = replace(shift(0, 8, template=1), paid_minutes=7 * 60)
    one = replace(agent("A", [option]), target_week_minutes=(target_hours * 60,))
    return problem(need, [one], templates=(PLAIN, lunch))


def test_count_lp_prices_the_break_the_flow_cannot_see() -> None:
    """Tests the shift-count LP: the lunch takes one of the eight required hours, wherever it goes.

    Optimum: 100 + 7 paid + 1000 for the missed hour = 1107. The LP may spread the lunch over its
    three offsets, but a third of an hour missed three times is still one hour: 1107. The covering
    flow counts the whole span as coverage: 107.
    """
    data = _lunch_plan()
    assert solved(data).objective == pytest.approx(1107)
    assert count_lp_bound(data, 10) == pytest.approx(1107)
    assert covering_bound(data) == pytest.approx(107)


def test_count_lp_prices_the_contract_target() -> None:
    """Tests contract deviation: a 40-hour target and one 7-hour shift leave 33 hours short at 5 each.

    1107 + 33 x 5 = 1272, reached by the solve and by the LP (heads >= the day's shift = 1).
    """
    data = _lunch_plan(target_hours=40)
    data = replace(data, weights=replace(data.weights, contract_deviation_hour=500))
    assert solved(data).objective == pytest.approx(1272)
    assert count_lp_bound(data, 10) == pytest.approx(1272)


def test_count_lp_says_how_much_of_the_demand_no_roster_meets() -> None:
    """Tests :func:`count_lp_solution`: the lunch plan misses one hour whatever the roster (1000 of its
    1107), and with demand 2 over 08-16 and the same single agent, 8 more hours (9000 of 9107)."""
    lunch = _lunch_plan()
    solution = count_lp_solution(lunch, 10)
    assert solution.bound == pytest.approx(1107) and solution.under_staffing == pytest.approx(1000)
    doubled = replace(lunch, demand=2 * lunch.demand)
    solution = count_lp_solution(doubled, 10)
    assert solution.bound == pytest.approx(9107) and solution.under_staffing == pytest.approx(9000)


def test_count_lp_keeps_each_contracts_hours_with_its_agents() -> None:
    """Tests the contract classes: demand 08-16 on days 0 and 1; A (16-hour week) may work only day 0, B (8-hour
    week) days 0 and 1.

    Only B may work day 1, so A must work day 0: two heads and 16 paid hours, 216. Pooled, one head could work
    both days within the largest weekly maximum (16 hours): 100 + 16 = 116. Per class, B's 8 hours cannot hold
    both shifts, so the LP's bound is the optimum, 216.
    """
    data = problem(demand_hours(2, (0, 8, 16), (1, 8, 16)),
                   [agent("A", [shift(0, 8)], max_hours=16), agent("B", [shift(0, 8), shift(1, 8)], max_hours=8)],
                   days=2)
    assert contract_classes(data) == [[0], [1]]
    assert solved(data).objective == pytest.approx(216)
    assert count_lp_bound(data, 10) == pytest.approx(216)


def test_a_passed_deadline_leaves_the_base_flows_bound() -> None:
    """Tests the flow bound's safety net: with its deadline already passed, no headcount multiplier is tried and the
    bound is the plain flow's (paid time and surplus only), below the full bound with its heads. Two agents cover
    08-16 on two days: the flow costs 16 paid hours; the heads add at least 100 (one agent, 100 a head)."""
    data = problem(demand_hours(2, (0, 8, 16), (1, 8, 16)), [agent("A", [shift(0, 8), shift(1, 8)]),
                                                              agent("B", [shift(0, 8), shift(1, 8)])], days=2)
    spans = spans_of(data)
    base = solve_flow(data, spans)
    assert base.cost / OBJECTIVE_UNIT == pytest.approx(16)
    assert covering_bound(data, spans, base, deadline=0.0) == pytest.approx(16)
    assert covering_bound(data, spans, base) >= 16 + 100 - 1e-6
