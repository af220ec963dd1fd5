"""Why demand stays short and agents stay unscheduled: each reason of :mod:`scheduler.idle` on a micro-instance."""

from __future__ import annotations

import numpy as np
import pytest

from scheduler.idle import unreachable_demand, unscheduled_agents
from scheduler.roster import Assignment, Roster
from tests.scheduler.test_rules import agent, demand_hours, problem, shift


def _roster(*worked: tuple[int, int]) -> Roster:
    """8-hour shifts without breaks on queue 0: (agent, option) each."""
    return Roster(tuple(Assignment(a, o, (), (0,) * 8) for a, o in worked))


def test_demand_no_shift_reaches_is_told_apart() -> None:
    """Tests by hand: demand 1 over 02-05 and 08-16 of one day; the only agent's shift is 08-16, so the 3 hours
    02-05 are unreachable (no roster of any size meets them) and 08-16 is not."""
    data = problem(demand_hours(1, (0, 2, 5), (0, 8, 16)), [agent("A", [shift(0, 8)])])
    expected = np.zeros((1, 24), dtype=np.int64)
    expected[0, 2:5] = 1
    assert np.array_equal(unreachable_demand(data), expected)


def test_each_reason_an_agent_is_left_out() -> None:
    """Tests every reason on a one-week plan with demand 1 over 08-16 on day 0 and day 2 (hours from the plan's
    start): A works day 0 and B could but is not needed; C has no option (time off all week, say); D's contract asks
    33 to 39 h from 8-hour shifts (4 shifts are 32 h, 5 are 40); E may only work day 5, which needs nobody; F could
    work day 2, still short since nobody works it, so F is left out with the 8 agent-hours short there."""
    days = 7
    need = demand_hours(days, (0, 8, 16), (2, 8, 16))
    week = [shift(d, 8) for d in range(5)]
    agents = [agent("A", [shift(0, 8)]), agent("B", [shift(0, 8)]), agent("C", []),
              agent("D", week, min_hours=33, max_hours=39), agent("E", [shift(5, 8)]),
              agent("F", [shift(2, 8)])]
    data = problem(need, agents, days=days)
    roster = _roster((0, 0))
    found = {data.agents[item.agent].employee_id: item for item in unscheduled_agents(data, roster,
                                                                                      roster.coverage(data))}
    assert {who: item.reason for who, item in found.items()} == {
        "B": "not needed", "C": "no shift possible", "D": "rules collide", "E": "no requirement reached",
        "F": "left out"}
    assert set(found["D"].rules) == {"working at least one shift", "at least 33 h in week 1 once scheduled",
                                     "at most 39 h in week 1"}
    assert found["F"].short_intervals == 8 and found["B"].short_intervals == 0


def test_open_positions_not_hired_are_explained_apart() -> None:
    """Tests that an open position not hired is no agent left out (named agents only by default) and gets its reason
    when asked: P may only work day 1, which needs nobody."""
    from dataclasses import replace

    data = problem(demand_hours(2, (0, 8, 16)), [agent("A", [shift(0, 8)]),
                                                 replace(agent("P", [shift(1, 8)]), is_open_position=True,
                                                         profile="hire")], days=2)
    roster = _roster((0, 0))
    assert unscheduled_agents(data, roster, roster.coverage(data)) == []
    found = unscheduled_agents(data, roster, roster.coverage(data), open_positions=True)
    assert [(item.agent, item.reason) for item in found] == [(1, "no requirement reached")]


def test_a_core_found_by_fixing_the_rules_is_minimal() -> None:
    """Tests the fallback of the explanation's cores (rules fixed as constants, then a deletion filter) by hand:
    x + y + z >= 2 ("two"), x + y + z <= 1 ("one") and x = 1 ("x") cannot all hold, and "two" with "one" is the
    smallest set that cannot; with "one" dropped, all the rest can. The assumptions' core (CP-SAT's
    ``sufficient_assumptions_for_infeasibility``) names a set that cannot all hold, here all three."""
    from ortools.sat.python import cp_model

    from scheduler.cpsat.explain import _core_of

    def model_of(names: list[str]) -> tuple[cp_model.CpModel, dict[int, str]]:
        model = cp_model.CpModel()
        x, y, z = (model.new_bool_var(n) for n in "xyz")
        literals: dict[int, str] = {}
        rows = {"two": x + y + z >= 2, "one": x + y + z <= 1, "x": x == 1}
        for name in names:
            lit = model.new_bool_var(name)
            literals[lit.index] = name
            model.add(rows[name]).only_enforce_if(lit)
        return model, literals

    assert _core_of(*model_of(["x", "two", "one"]), assumptions_first=False) == ["two", "one"]
    assert _core_of(*model_of(["x", "two"]), assumptions_first=False) == []
    # the assumptions' core (first, by default) is a set that cannot all hold, not always the smallest
    assert {"one", "two"} <= set(_core_of(*model_of(["x", "two", "one"])))


def test_demand_only_a_shift_of_the_previous_plan_reaches_is_at_the_plan_s_edge() -> None:
    """Tests by hand on two days: night shifts start at 22:00 (8 h), so day 1's 00:00-06:00 is reached by day 0's,
    and day 0's 00:00-06:00 by none: only a shift of the plan before this one (from the Sunday night) would reach
    it, so it is at the plan's edge; 10:00-12:00 on both days, which no shift spans at all, is not."""
    from scheduler.idle import at_the_edges, reachable

    need = demand_hours(2, (0, 0, 6), (1, 0, 6), (0, 10, 12), (1, 10, 12))
    data = problem(need, [agent("N", [shift(0, 22), shift(1, 22)])], days=2)
    missed = unreachable_demand(data)[0]
    assert np.flatnonzero(missed).tolist() == [0, 1, 2, 3, 4, 5, 10, 11, 34, 35]
    edges = at_the_edges(data, reachable(data))[0]
    assert np.flatnonzero(edges & (missed > 0)).tolist() == [0, 1, 2, 3, 4, 5]


def test_rule_checks_stop_at_their_budget_of_options(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests that the solves of idle agents' own rules stop at ``MAX_RULE_CHECK_OPTIONS`` options: D (33 to 39 h
    from 8-hour shifts, 5 options) is 'rules collide' with the budget at 5 and, at 4, gets the next reason that
    holds: left out, day 2 still short in reach of their shifts."""
    from scheduler import idle

    need = demand_hours(7, (0, 8, 16), (2, 8, 16))
    data = problem(need, [agent("A", [shift(0, 8)]), agent("D", [shift(d, 8) for d in range(5)], min_hours=33,
                                                               max_hours=39)], days=7)
    roster = _roster((0, 0))
    monkeypatch.setattr(idle, "MAX_RULE_CHECK_OPTIONS", 5)
    assert [item.reason for item in unscheduled_agents(data, roster, roster.coverage(data))] == ["rules collide"]
    monkeypatch.setattr(idle, "MAX_RULE_CHECK_OPTIONS", 4)
    assert [item.reason for item in unscheduled_agents(data, roster, roster.coverage(data))] == ["left out"]
