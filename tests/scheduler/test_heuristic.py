"""The greedy start roster: always within every hard rule, and a hint CP-SAT improves from."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from inputs import load_plan
from scheduler.build import build_problem
from scheduler.checker import check_roster
from scheduler.cpsat.agent_schedule import schedule_agent
from scheduler.disaggregate import disaggregate
from scheduler.heuristic import greedy_counts, greedy_roster, useful_share
from scheduler.problem import BreakSpec, ProblemData, ShiftOption, TemplateData, Weights
from scheduler.solve import solve
from tests.scheduler.test_rules import PLAIN, agent, demand_hours, problem, shift, solved


def _daytime_requirements(plan: object, agents: float = 1.0) -> pd.DataFrame:
    rows = []
    for start in plan.horizon.intervals_utc:
        hour = start.tz_convert(plan.horizon.time_zone).hour
        for queue in plan.queues:
            rows.append((start, queue.language, queue.channel, agents if 8 <= hour < 18 else 0.0))
    return pd.DataFrame(rows, columns=["start", "language", "channel", "agents"])


def test_greedy_roster_passes_the_checker(tiny_plan: Path) -> None:
    """Tests that the greedy roster of the tiny plan breaks no hard rule and covers some demand."""
    plan = load_plan(tiny_plan)
    problem = build_problem(plan, _daytime_requirements(plan))
    chosen = greedy_roster(problem)
    roster = disaggregate(problem, chosen, *greedy_counts(problem, chosen))
    report = check_roster(problem, roster)
    assert report.feasible, report.violations
    assert report.coverage.sum() > 0
    assert set(chosen) <= set(range(len(problem.agents)))


def test_solver_is_never_worse_than_its_greedy_start(tiny_plan: Path) -> None:
    """Tests that the solve's objective is at most the greedy roster's (the hint is a floor on quality)."""
    plan = load_plan(tiny_plan)
    problem = build_problem(plan, _daytime_requirements(plan))
    chosen = greedy_roster(problem)
    greedy = check_roster(problem, disaggregate(problem, chosen, *greedy_counts(problem, chosen)))
    result = solve(problem, time_limit_seconds=10, workers=1, seed=0)
    assert result.objective <= greedy.terms.total / 600_000 + 1e-6
    assert result.lower_bound <= result.objective + 1e-6


def test_greedy_meets_a_tight_contract_with_the_shifts_that_fit_it() -> None:
    """Tests a 35-hour contract (minimum = maximum, 5 days) offered 8-hour and 7-hour shifts daily.

    Four 8-hour shifts (32 h) miss the minimum and five (40 h) break the maximum, so the only
    rosters are five 7-hour shifts: the greedy must find one instead of leaving the agent unscheduled.
    """
    options = [ShiftOption(d, 0, d * 24 + 8, hours, hours * 60) for d in range(7) for hours in (8, 7)]
    need = demand_hours(7, *((d, 8, 16) for d in range(7)))
    data = problem(need, [agent("A", options, min_hours=35, max_hours=35, max_days=5)], days=7)
    chosen = greedy_roster(data)
    assert sorted(options[o].paid_minutes for o in chosen[0]) == [420] * 5


def test_an_earlier_roster_as_hint_does_not_change_the_optimum() -> None:
    """Tests that hinting a worse shift (09-17 for 08-16 demand) still gives the optimum 100 + 8 = 108."""
    options = [shift(0, 8), shift(0, 9)]
    data = problem(demand_hours(1, (0, 8, 16)), [replace(agent("A", options), hint={0: 1}), agent("B", options)])
    result = solved(data)
    assert result.status == "OPTIMAL" and result.objective == 108


def test_useful_share_follows_the_weights() -> None:
    """Tests the pay-off threshold: under 600,000 per interval, over and paid 60,000 -> 120,000 / 660,000 = 2/11."""
    data = problem(demand_hours(1, (0, 8, 16)), [agent("A", [shift(0, 8)])])
    weights = Weights(under_staffing=100, over_staffing=10, paid_hour=10)  # 60·100·100, 6000·10, 100·10·60
    assert useful_share(replace(data, weights=weights)) == pytest.approx(2 / 11)
    assert useful_share(data) == 0.01  # the micro weights: paid time is nearly free next to a missing agent


def test_greedy_takes_a_shift_that_pays_for_itself() -> None:
    """Tests that one hour of need inside an 8-hour shift is covered: 100 + 8 beats 1000 of under-staffing."""
    data = problem(demand_hours(1, (0, 12, 13)), [agent("A", [shift(0, 8)])])
    assert greedy_roster(data) == {0: [0]}


def test_greedy_starts_from_the_hinted_shifts() -> None:
    """Tests that of two equal 08-16 shifts (templates 0 and 1) the greedy takes the first, or the one hinted."""
    options = [shift(0, 8, template=0), shift(0, 8, template=1)]
    need = demand_hours(1, (0, 8, 16))
    assert greedy_roster(problem(need, [agent("A", options)], templates=(PLAIN, PLAIN))) == {0: [0]}
    hinted = replace(agent("A", options), hint={0: 1})
    assert greedy_roster(problem(need, [hinted], templates=(PLAIN, PLAIN))) == {0: [1]}


def test_greedy_skips_a_hinted_shift_the_rules_refuse() -> None:
    """Tests a hint 8 h after a pinned night (16-24, then 08-16 next day: 8 h of rest, 11 needed): the greedy
    leaves it out and takes the day's 12-20 shift instead, which rests 12 h."""
    options = [shift(0, 16), shift(1, 8), shift(1, 12)]
    need = demand_hours(2, (0, 16, 24), (1, 8, 20))
    hinted = replace(agent("A", options, pinned={0: 0}), hint={1: 1})
    assert greedy_roster(problem(need, [hinted], days=2)) == {0: [0, 2]}


def test_large_plan_path_starts_from_the_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests that the large-plan path (greedy, local search, LNS; no whole CP-SAT model) keeps an earlier roster's
    shifts when nothing beats them: each day offers two equal 08-16 shifts (templates 0 and 1), and the roster
    works the hinted template of each of three days (1, 0, 1). The large path ignored hints before, so re-planning
    a large plan did not start from the earlier roster. Two queues keep the plan off the exact one-queue path."""
    monkeypatch.setattr("scheduler.solve.LARGE_MODEL_VARIABLES", 0)
    options = [shift(day, 8, template=template) for day in range(3) for template in (0, 1)]
    hinted = replace(agent("A", options), hint={0: 1, 1: 2, 2: 5})
    data = problem(demand_hours(3, *((day, 8, 16) for day in range(3)), queues=2), [hinted], days=3,
                   groups=((0, 1),), templates=(PLAIN, PLAIN))
    result = solve(data, time_limit_seconds=10, workers=1, seed=0)
    assert check_roster(data, result.roster).feasible
    assert result.objective == 100 + 3 * 8
    assert sorted(item.option for item in result.roster.assignments) == [1, 2, 5]


def test_greedy_never_lengthens_a_pinned_shift() -> None:
    """Tests a pinned 08-16 shift (450 paid) with a 16-hour minimum over two days and 08-16 demand: the greedy takes
    day 1's 08-16 shift (900 paid in all), then reaches the minimum by lengthening that one (08-17, 510 paid: 960),
    not the pinned one (which broke the pin before)."""
    options = [ShiftOption(0, 0, 8, 8, 450), ShiftOption(0, 0, 8, 9, 510),
               ShiftOption(1, 0, 32, 8, 450), ShiftOption(1, 0, 32, 9, 510)]
    pinned = agent("A", options, min_hours=16, max_hours=17, max_days=2, pinned={0: 0})
    data = problem(demand_hours(2, (0, 8, 16), (1, 8, 16)), [pinned], days=2)
    assert greedy_roster(data) == {0: [0, 3]}


def test_greedy_solves_a_pinned_agent_alone_when_picking_blocks_the_minimum() -> None:
    """Tests a pinned agent whose weekly minimum (24 h = 3 shifts in 3 days) the one-by-one picks cannot reach.

    Demand at 20-24 on day 1 draws the greedy to the 20:00-04:00 night, after which no day-2 shift rests 11 h
    (04:00 and 12:00 starts), so it stopped at 16 h and the start roster failed the checker. Solved alone, the
    agent works the pin, day 1's 04:00 shift and one of day 2's (04:00 or 12:00).
    """
    options = [shift(0, 8), shift(1, 4), shift(1, 20), shift(2, 4), shift(2, 12)]
    pinned = agent("A", options, min_hours=24, max_hours=24, max_days=3, pinned={0: 0})
    data = problem(demand_hours(3, (1, 20, 24)), [pinned], days=3)
    chosen = greedy_roster(data)
    assert chosen[0][:2] == [0, 1] and chosen[0][2] in (3, 4)
    report = check_roster(data, disaggregate(data, chosen, *greedy_counts(data, chosen)))
    assert report.feasible, report.violations


def test_an_agent_alone_without_a_schedule_is_none() -> None:
    """Tests that pinned days off on days 1 and 2 leave one shift (8 h) against a 16-hour minimum: no schedule."""
    options = [shift(0, 8), shift(1, 8), shift(2, 8)]
    alone = agent("A", options, min_hours=16, max_hours=24, max_days=3, pinned={0: 0, 1: -1, 2: -1})
    data = problem(demand_hours(3), [alone], days=3)
    assert schedule_agent(data, alone) is None
    assert schedule_agent(data, replace(alone, pinned={0: 0, 1: -1}), prefer=[2]) == [0, 2]


def test_a_hint_whose_start_roster_fails_falls_back_to_the_start_without_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests the start roster of a hinted plan on the large-plan path. A and B form a team of two whose lunch is
    fixed 4 hours after the start; B's hint (day 0 at 08:00) completed by the greedy puts A at 08:00 too, so both
    are at lunch at 12:00 and the start fails the checker (a fuzzed 6-agent plan then ended TIMEOUT_NO_SOLUTION:
    CP-SAT could not complete the hint in its time). The solve now starts from the greedy without hints (B at
    10:00), and returns a checked roster from the large path. The greedy and the local search are stand-ins here,
    so the failing combination is the hint's and not the local search's to repair."""
    import scheduler.solve as solve_module
    from scheduler import large_path, stage_results
    from scheduler.local_search import SearchOutcome

    lunch = TemplateData("day", "D", (BreakSpec("lunch", 60, False, 1, (4,)),))
    need = demand_hours(1, (0, 8, 16))
    need[0, 10:16] = 2
    a = agent("A", [shift(0, 8)])
    b = replace(agent("B", [shift(0, 8), shift(0, 10)]), hint={0: 0})
    data = problem(need, [a, b], templates=(lunch,))

    def greedy(p: ProblemData, *_: object) -> dict[int, list[int]]:
        return {0: [0], 1: [0]} if any(x.hint for x in p.agents) else {0: [0], 1: [1]}

    unpolished = lambda _p, chosen, offsets, **__: SearchOutcome(chosen, offsets, 0, 0, 0, 0.0)  # noqa: E731
    for module in (solve_module, large_path):
        monkeypatch.setattr(module, "greedy_roster", greedy)
    monkeypatch.setattr(stage_results, "improve_by_day_moves", unpolished)
    monkeypatch.setattr(solve_module, "LARGE_MODEL_VARIABLES", 0)
    monkeypatch.setattr(solve_module, "COMPACT_LP_MAX_OPTIONS", 0)
    result = solve_module.solve(data, time_limit_seconds=5, workers=1, with_lp_bound=False)
    assert result.explanation[0].startswith("large plan")
    assert result.explanation[-1].startswith("the hint roster's shifts, completed by the greedy, broke a rule")
    assert check_roster(data, result.roster).feasible
    assert sorted((x.agent, x.option) for x in result.roster.assignments) == [(0, 0), (1, 1)]
