"""Re-plans: each day that differs from the published roster costs ``roster_change``.

Micro-instances of :mod:`tests.scheduler.test_rules` (60-minute grid; under-staffing 1000 per agent-hour,
headcount 100, paid time 1 per hour, the rest 0), so every optimum is derived by hand in the docstrings. Every
solve goes through the independent checker, whose objective must equal the solver's.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import replace
from pathlib import Path

import pytest

from inputs import load_plan
from inputs.records import KeptRoster, Plan
from scheduler.breaks import place_breaks
from scheduler.build import build_problem, published_breaks_passed_over
from scheduler.checker import OBJECTIVE_UNIT, check_roster
from scheduler.cpsat.backend import CpSatBackend
from scheduler.cpsat.lp_bound import exact_solve, relaxation_of
from scheduler.cpsat.model import build_model
from scheduler.heuristic import greedy_roster
from scheduler.local_search import improve_by_day_moves
from scheduler.problem import LOST_SHIFT, AgentData, ProblemData, changed_days, narrowed_published
from scheduler.roster import Assignment, Roster
from scheduler.stage_results import greedy_result, published_shifts
from scheduler.team import team_problem
from tests.scheduler.test_local_search import _objective
from tests.scheduler.test_rules import WEIGHTS, agent, demand_hours, problem, shift, solved


def _published(data: ProblemData, change: float, **published: dict[int, int]) -> ProblemData:
    """``data`` with a roster change costing ``change`` (plan units) and each named agent's published days."""
    agents = tuple(replace(a, published=published.get(a.employee_id, {})) for a in data.agents)
    return replace(data, agents=agents, weights=replace(WEIGHTS, roster_change=round(change * 100)))


def _changes(result: object) -> list[str]:
    return [subject for rule, subject, _ in result.penalties if rule == "roster_change"]


@pytest.mark.parametrize(("change", "objective", "worked", "changes"), [
    (10, 108, [0], []),       # keeping the 8-hour shift: 100 + 8; the 6-hour one costs 100 + 6 + 10 = 116
    (1, 107, [1], ["A day 0"]),  # the 6-hour shift and one change: 100 + 6 + 1 = 107 < 108
])
def test_a_published_shift_stays_unless_the_saving_pays_for_the_change(change: float, objective: float,
                                                                       worked: list[int], changes: list[str]) -> None:
    """Tests demand 08-14 and a published 08-16 shift, with a 6-hour 08-14 option: the change weight decides."""
    base = problem(demand_hours(1, (0, 8, 14)), [agent("A", [shift(0, 8, 8), shift(0, 8, 6)])])
    result = solved(_published(base, change, A={0: 0}))
    assert result.status == "OPTIMAL"
    assert result.objective == pytest.approx(objective)
    assert [item.option for item in result.roster.assignments] == worked
    assert _changes(result) == changes


def test_coverage_still_comes_first() -> None:
    """Tests a published 08-16 shift against demand 09-17: keeping it leaves 16-17 short (100 + 8 + 1000), moving
    to 09-17 costs one change (100 + 8 + 10 = 118)."""
    base = problem(demand_hours(1, (0, 9, 17)), [agent("A", [shift(0, 8), shift(0, 9)])])
    result = solved(_published(base, 10, A={0: 0}))
    assert result.objective == pytest.approx(118)
    assert result.roster.assignments[0].option == 1
    assert _changes(result) == ["A day 0"]


@pytest.mark.parametrize(("change", "objective", "days"), [(10, 116, 2), (5, 113, 1)])
def test_a_published_shift_the_demand_no_longer_needs(change: float, objective: float, days: int) -> None:
    """Tests a published shift on days 0 and 1 with demand on day 0 only: dropping day 1 saves 8 paid hours and
    costs one change, so a change of 10 keeps it (100 + 16) and one of 5 drops it (100 + 8 + 5)."""
    base = problem(demand_hours(2, (0, 8, 16)), [agent("A", [shift(0, 8), shift(1, 8)])], days=2)
    result = solved(_published(base, change, A={0: 0, 1: 1}))
    assert result.objective == pytest.approx(objective)
    assert len(result.roster.assignments) == days


def test_the_same_agent_keeps_the_published_shift() -> None:
    """Tests two identical agents and one 08-16 shift published for B: B works it (100 + 8 = 108); A instead would
    cost two changes (A works a published day off, B's shift is dropped: 128)."""
    base = problem(demand_hours(1, (0, 8, 16)), [agent("A", [shift(0, 8)]), agent("B", [shift(0, 8)])])
    result = solved(_published(base, 10, A={0: -1}, B={0: 0}))
    assert result.objective == pytest.approx(108)
    assert [item.agent for item in result.roster.assignments] == [1]
    assert _changes(result) == []


def test_a_lost_shift_is_a_change_whatever_the_roster() -> None:
    """Tests B's published shift that no option matches any more (B is off sick): it is a change in every roster, and
    A, published off, covers the demand at a second change: 100 + 8 + 10 + 10 = 128, the solver's objective
    (constants included) equal to the checker's."""
    base = problem(demand_hours(1, (0, 8, 16)), [agent("A", [shift(0, 8)]), agent("B", [])])
    result = solved(_published(base, 10, A={0: -1}, B={0: LOST_SHIFT}))
    assert result.status == "OPTIMAL"
    assert result.objective == pytest.approx(128)
    assert sorted(_changes(result)) == ["A day 0", "B day 0"]


def test_changed_days_and_narrowed_published() -> None:
    """Tests the helpers on one agent: a moved, a kept, a dropped and an added day; options narrowed to a subset."""
    a = replace(agent("A", [shift(d, 8) for d in range(4)] + [shift(0, 9)]), published={0: 0, 1: 1, 2: 2, 3: -1})
    assert changed_days(a, {0: 4, 1: 1, 3: 3}) == [0, 2, 3]
    assert narrowed_published(a, [4, 1]) == {0: LOST_SHIFT, 1: 1, 2: LOST_SHIFT, 3: -1}


def test_a_team_problem_keeps_the_objective() -> None:
    """Tests that the LP team's problem (others without options) gives any roster of the team the same objective."""
    base = problem(demand_hours(2, (0, 8, 16), (1, 8, 16)),
                   [agent("A", [shift(0, 8), shift(1, 8)]), agent("B", [shift(0, 8), shift(1, 8)])], days=2)
    data = _published(base, 10, A={0: 0, 1: -1}, B={0: -1, 1: 1})
    roster = Roster((Assignment(0, 0, (), (0,) * 8), Assignment(0, 1, (), (0,) * 8)))
    whole = check_roster(data, roster)
    team = check_roster(team_problem(data, [0]), roster)
    assert whole.feasible and team.feasible
    assert whole.terms == team.terms
    assert whole.terms.roster_changes == 2 * 6000 * 1000  # A works its day off 1, B's day 1 is dropped


def test_predicted_saving_equals_the_checkers_with_a_published_roster(tiny_plan: Path) -> None:
    """Tests the local search on the tiny plan (breaks, multi-skill agents, contracts) with a published roster of
    kept, moved, lost and day-off days: its predicted saving is exactly the checker's objective difference."""
    from tests.scheduler.test_heuristic import _daytime_requirements

    plan = load_plan(tiny_plan)
    data = build_problem(plan, _daytime_requirements(plan))
    rng = random.Random(3)
    agents: list[AgentData] = []
    for a in data.agents:
        days = sorted({o.day for o in a.options})
        published = {}
        for day in days:
            on_day = [o for o, option in enumerate(a.options) if option.day == day]
            published[day] = rng.choice([*on_day, -1, -1, LOST_SHIFT])
        agents.append(replace(a, published=published))
    data = replace(data, agents=tuple(agents), weights=replace(data.weights, roster_change=500))
    chosen = greedy_roster(data)
    offsets = place_breaks(data, [(a, o) for a, picks in chosen.items() for o in picks])
    before = _objective(data, chosen, offsets)
    outcome = improve_by_day_moves(data, chosen, offsets, time_budget_seconds=60, seed=0)
    after = _objective(data, outcome.chosen, outcome.offsets)
    assert outcome.moves > 0
    assert after < before
    assert before - after == pytest.approx(outcome.saving / OBJECTIVE_UNIT)


def _solved_once(plan_dir: Path) -> list[dict]:
    """Solve the plan through the CLI (5 s, 1 worker) and return its result file's raw assignments."""
    from click.testing import CliRunner

    from shiftplan.cli import main

    assert CliRunner().invoke(main, ["solve", str(plan_dir), "--time-limit", "5", "--workers", "1"]).exit_code == 0
    return json.loads((plan_dir / "outputs" / "roster-2026-03-23.result.json").read_text())["roster"]


def _re_plan(plan_dir: Path, before: dt.date = dt.date(2026, 3, 25)) -> tuple[Plan, ProblemData]:
    from shiftplan.pipeline import plan_requirements

    keep = KeptRoster(plan_dir / "outputs" / "roster-2026-03-23.shifts.csv", before)
    plan = load_plan(plan_dir, keep=keep)
    requirements, _ = plan_requirements(plan, forecast_file=None, log=lambda *_: None)
    return plan, build_problem(plan, requirements)


def test_a_re_plan_starts_from_the_published_shifts_and_breaks(tiny_plan: Path) -> None:
    """Tests the chain from a solve's files to a re-plan's start: the shifts file (pinned before Wed 25 March,
    published from it) and the result file beside it (the breaks) give back every shift of the first roster with its
    break offsets, and the start's objective is the first roster's."""
    records = _solved_once(tiny_plan)
    plan, data = _re_plan(tiny_plan)
    assert plan.kept.breaks_from == tiny_plan / "outputs" / "roster-2026-03-23.result.json"
    assert plan.kept.breaks_from in plan.input_files
    chosen, offsets = published_shifts(data)
    got = sorted((data.agents[a].employee_id, data.agents[a].options[o].day, data.agents[a].options[o].start,
                  data.agents[a].options[o].length, tuple(offsets[a, o])) for a, picks in chosen.items() for o in picks)
    assert got == sorted((r["employee_id"], r["day"], r["start_interval"], r["length"], tuple(r["break_offsets"]))
                         for r in records)
    first = json.loads((tiny_plan / "outputs" / "roster-2026-03-23.result.json").read_text())["facts"]["objective"]
    start, _ = greedy_result(data, chosen, 0.0, None, {"seed": 0, "workers": 1}, offsets=offsets)
    assert start.objective == pytest.approx(first)
    assert start.terms.roster_changes == 0


@pytest.mark.parametrize("spoil", ["another first day", "not JSON", "no result file"])
def test_a_result_file_of_another_plan_gives_no_breaks(tiny_plan: Path, spoil: str) -> None:
    """Tests that the breaks are taken only from a result of the same days, zone and grid, and that a missing or
    unreadable one is passed over (the shifts file is the roster; the breaks only where the search starts)."""
    _solved_once(tiny_plan)
    path = tiny_plan / "outputs" / "roster-2026-03-23.result.json"
    if spoil == "another first day":
        payload = json.loads(path.read_text())
        payload["facts"]["first_day"] = "2026-03-16"
        path.write_text(json.dumps(payload))
    elif spoil == "not JSON":
        path.write_text("{not json")
    else:
        path.unlink()
    plan, data = _re_plan(tiny_plan)
    assert plan.kept.breaks_from is None and plan.published_breaks == {}
    assert not any(agent.published_breaks for agent in data.agents)
    assert any(agent.published for agent in data.agents)


def test_the_lp_bound_counts_the_changes_no_roster_avoids() -> None:
    """Tests the LP relaxation of the lost-shift instance above: its optimum is the roster's 128 only with the
    model's constant (B's lost shift, 10) added, which :func:`exact_solve` does from the model's objective offset."""
    base = problem(demand_hours(1, (0, 8, 16)), [agent("A", [shift(0, 8)]), agent("B", [])])
    data = _published(base, 10, A={0: -1}, B={0: LOST_SHIFT})
    backend = CpSatBackend()
    build_model(data, backend)
    relaxation = relaxation_of(backend.model)
    assert relaxation.offset / OBJECTIVE_UNIT == pytest.approx(10)
    bound, _ = exact_solve(relaxation, time_limit_seconds=10)
    assert bound / OBJECTIVE_UNIT == pytest.approx(128)


def test_break_times_that_do_not_fit_their_shift_are_passed_over(tiny_plan: Path) -> None:
    """Tests a result file whose break offsets were edited (every one 99 intervals after its shift's start, past
    the end of every shift): a re-plan takes no break from it, as from a result of another plan, instead of handing
    them to the queue flow (which failed with a traceback). One shift with its own breaks kept is still taken."""
    _solved_once(tiny_plan)
    path = tiny_plan / "outputs" / "roster-2026-03-23.result.json"
    payload = json.loads(path.read_text())
    with_breaks = [r for r in payload["roster"] if r["break_offsets"]]
    assert len(with_breaks) >= 2
    for record in with_breaks[1:]:
        record["break_offsets"] = [99] * len(record["break_offsets"])
    path.write_text(json.dumps(payload))
    _, data = _re_plan(tiny_plan)
    given = {(agent.employee_id, day, breaks) for agent in data.agents for day, breaks in agent.published_breaks.items()
             if breaks}
    kept = with_breaks[0]
    assert given == {(kept["employee_id"], kept["day"], tuple(kept["break_offsets"]))}
    plan, data = _re_plan(tiny_plan)
    assert published_breaks_passed_over(plan, data) == len(with_breaks) - 1
    from click.testing import CliRunner

    from shiftplan.cli import main

    run = CliRunner().invoke(main, ["solve", str(tiny_plan), "--time-limit", "5", "--workers", "1",
                                    "--keep-before", "2026-03-25"])
    assert run.exit_code == 0, run.output
    assert (f"  the break times of {len(with_breaks) - 1} published shifts in roster-2026-03-23.result.json do not "
            "fit their template's break rules (edited by hand, or the templates changed since): those breaks are "
            "placed afresh") in run.output


def test_the_published_breaks_and_queues_come_back_on_the_kept_shifts(tiny_plan: Path) -> None:
    """Tests :func:`with_published_breaks_and_queues` on a re-plan from Wed 25 March (E3, whose Thursday training
    leaves 3 days that week, works Monday to Wednesday: shifts kept, and one after the cut). The published shifts,
    rebuilt, have the published breaks but their own queue hand-out: in every interval before the first shift the
    re-plan may place, each kept shift serves the queue of the result file again, at the same objective (the hand-outs
    tie), and a roster that has both is returned as it is. A roster whose first kept shift with breaks (E3's; only
    E3's 'day' has breaks) had its breaks moved to other allowed times gets the published ones back, every other shift
    unchanged, with the checker's objective."""
    from scheduler.stage_results import checked_result, shifts_of, with_published_breaks_and_queues

    # without the uncovered-queue tier, whose dearer first agent of a queue breaks the hand-outs' tie on this plan
    toml = tiny_plan / "shiftplan.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[objective]\nuncovered_queue = 0\n", encoding="utf-8")
    records = _solved_once(tiny_plan)
    _, data = _re_plan(tiny_plan, dt.date(2026, 3, 25))
    chosen, offsets = published_shifts(data)
    like, _ = greedy_result(data, chosen, 0.0, None, {"seed": 0, "workers": 1}, offsets=offsets)
    first_free = min(option.start for agent in data.agents for o, option in enumerate(agent.options)
                     if o not in agent.pinned.values())
    published = {(r["employee_id"], r["day"]): r["queues"] for r in records}

    def past_queues(result: object) -> dict[tuple[str, int], list[int]]:
        past = {}
        for item in result.roster.assignments:
            agent, option = data.agents[item.agent], data.agents[item.agent].options[item.option]
            if agent.pinned.get(option.day) == item.option:
                past[agent.employee_id, option.day] = [q for k, q in enumerate(item.queues)
                                                       if option.start + k < first_free]
        return past

    expected = {key: published[key][:len(queues)] for key, queues in past_queues(like).items()}
    assert any(queues for queues in expected.values()) and past_queues(like) != expected
    same, words = with_published_breaks_and_queues(data, like)
    assert past_queues(same) == expected
    assert same.objective == pytest.approx(like.objective)
    assert shifts_of(same.roster)[0] == shifts_of(like.roster)[0] and shifts_of(same.roster)[1] == offsets
    again, nothing = with_published_breaks_and_queues(data, same)
    assert again is same and nothing is None
    moved = dict(offsets)
    kept = [(a, o) for (a, o), breaks in offsets.items() if breaks and o in data.agents[a].pinned.values()]
    assert {data.agents[a].employee_id for a, _ in kept} == {"E3"}
    for a, o in kept[:1]:  # the first one's breaks one allowed step earlier or later, where the template allows it
        specs = data.templates[data.agents[a].options[o].template].breaks
        moved[a, o] = [next(x for x in (b + 1, b - 1) if x in spec.offsets) for b, spec in zip(offsets[a, o], specs,
                                                                                              strict=True)]
    shuffled = checked_result(data, chosen, moved, like, 0.0)
    assert shuffled is not None and shifts_of(shuffled.roster)[1] != offsets
    back, words = with_published_breaks_and_queues(data, shuffled)
    assert shifts_of(back.roster)[1] == offsets
    assert past_queues(back) == expected
    assert back.objective == pytest.approx(check_roster(data, back.roster).terms.total / OBJECTIVE_UNIT)
    assert back.objective == pytest.approx(like.objective)
    assert words.startswith("1 kept shift got its published breaks back (a stage moved them)")
    later = [(a, o) for (a, o), breaks in offsets.items() if breaks and o not in data.agents[a].pinned.values()
             and data.agents[a].published_breaks.get(data.agents[a].options[o].day) == tuple(breaks)]
    assert later
    a, o = later[0]
    specs = data.templates[data.agents[a].options[o].template].breaks
    stepped = {**offsets, (a, o): [next(x for x in (b + 1, b - 1) if x in spec.offsets)
                                   for b, spec in zip(offsets[a, o], specs, strict=True)]}
    costlier = checked_result(data, chosen, stepped, like, 0.0)
    assert costlier is not None and costlier.objective >= like.objective
    restored, said = with_published_breaks_and_queues(data, costlier)
    assert shifts_of(restored.roster)[1] == offsets
    # a clause of its own (it was "so did 1 unchanged later shift, at no cost", after no clause when no kept shift's
    # breaks had moved)
    assert said.startswith("1 unchanged later shift got its published breaks back, at no cost")
