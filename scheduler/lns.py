"""Large-neighbourhood search over skill groups, for plans too large for one CP-SAT model.

On a large plan (hundreds of agents, weeks on a fine grid) the whole model has millions of
variables and CP-SAT spends its time limit loading and presolving it. Here the roster is
improved piece by piece instead: each step frees the agents of a few skill groups that share
a queue, fixes everyone else (their coverage is subtracted from the demand), and solves that
sub-problem exactly with the same model code (:func:`scheduler.cpsat.model.build_model`),
starting from the current roster. A step is kept only when the solver-free checker says the
*whole* roster got better, so the search can never make the roster worse or break a rule.

Reproducible: neighbourhoods come from a seeded generator and each sub-solve stops on
deterministic time with one worker, so the same plan and seed give the same steps — as long as the
wall-clock budget is not what ends the search.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import numpy as np
from ortools.sat.python import cp_model

from scheduler.checker import OBJECTIVE_UNIT, CheckReport, check_roster
from scheduler.cpsat.backend import CpSatBackend, reproducible_solver, solve_counted
from scheduler.cpsat.hints import add_hints
from scheduler.cpsat.model import ModelVars, build_model
from scheduler.disaggregate import disaggregate
from scheduler.heuristic import fits
from scheduler.problem import ProblemData, ShiftOption, narrowed_published
from scheduler.roster import Assignment, Roster
from scheduler.work_limits import RATE_SCALE, WALL_SAFETY, note_clock_stop

#: A neighbourhood grows by whole skill groups until it holds this many shift options ...
NEIGHBOURHOOD_OPTIONS = 4_000
#: ... or this share of the options on its days, whichever is fewer. Without the share, every step of a plan of
#: fewer options (the thin teams of 10 to 30 agents: 1,000 to 2,300 options a week) freed every group sharing a queue
#: with the drawn one, often the whole team: a step was the whole week on one worker, and 0 of 1 to 3 steps improved
#: a roster. A step its sub-solve proves without a gain makes the next one :data:`NEIGHBOURHOOD_GROWTH` times larger
#: (up to the whole), so the steps find the size the plan needs. Measured 2026-12-06 on the thin-team benchmarks
#: (seed 0; 30 s for one week, 60 s for more): ``thin20w4`` 6,121 for 8,172 (no agent-interval short any more),
#: ``thin30w2`` 5,913 for 5,932, ``thin20w2`` 4,083 for 4,087, ``small10`` to ``small25`` 2 to 44 cheaper; with
#: seed 1 ``thin30w2`` 5,854 for 5,925 and ``small25`` 3,737 for 3,739, but ``small10`` 1,567 for 1,545 and
#: ``small20`` 4,065 for 3,064 (one agent-interval short: its repair needs the 8 agents who speak German, and the
#: search's 6 s ran out first; :func:`repair_short_queue` now closes it, 3,063). A fixed share of 0.3 or 0.2, a
#: growth of 2, and freeing every agent of a queue that misses demand were each worse on some of these plans.
NEIGHBOURHOOD_SHARE = 0.2
NEIGHBOURHOOD_GROWTH = 1.5
#: What :func:`improve_by_groups` charges its budget for a step on top of CP-SAT's deterministic time, per interval
#: of the plan (building the sub-problem): measured 2026-12-06 at 0.13 to 0.18 s a step on plans of 336 and 672
#: intervals and 0.32 s on 1,344; uncharged, 41 steps of ``thin20w2`` took 36.6 s for a budget of 29.2.
LNS_STEP_CHARGE_PER_INTERVAL = 0.25e-3
#: Share of :func:`repair_short_queue`'s step that first minimises the missed demand alone (:func:`_cover_first`).
REPAIR_COVER_SHARE = 0.5
#: Deterministic-time limit of one sub-solve (about seconds).
STEP_DETERMINISTIC_SECONDS = 3.0
#: A sub-solve that used this share of its limit and gained nothing makes the next step's limit
#: :data:`STEP_GROWTH` times longer (up to half the search's budget).
STEP_LIMIT_REACHED = 0.9
STEP_GROWTH = 2.0
#: What :func:`fix_under_staffing` charges its budget for one step on top of CP-SAT's deterministic time (the
#: sub-model's building and the whole roster's check). On the 300-agent, 4-week benchmark (2026-12-03) 12 steps
#: took 32.7 s of wall time for 18.2 s of deterministic time: 1.2 s a step more, which a charge of 0.5 s left to
#: the clock (the stages after it then got the clock's budgets, not the nominal ones). The charge scales with the
#: plan's agents × intervals against that plan's (:data:`RETIME_CHARGE_AGENT_INTERVALS`): on the 80-agent, 2-week
#: benchmark 8 steps took 7.6 s of wall time for 7.7 s of deterministic time (2026-12-06), no charge to speak of.
RETIME_STEP_CHARGE_SECONDS = 1.2
RETIME_CHARGE_AGENT_INTERVALS = 300 * 2688
#: :func:`fix_under_staffing` stops after this many steps in a row that did not improve the roster (demand
#: the team cannot meet, e.g. more than its capacity, is not worth more re-timing).
RETIME_STALL_STEPS = 6
#: Whether a sub-solve presolves its model.
STEP_PRESOLVE = False


@dataclass(frozen=True)
class LnsOutcome:
    """What the search did.

    Attributes
    ----------
    roster : Roster
        The best roster (always feasible: each kept step passed the checker).
    report : CheckReport
        The checker's report of that roster.
    steps, improving_steps : int
        Sub-solves run, and those that were kept.
    work_seconds : float
        The budget used: the sub-solves' deterministic time (plus the per-step charge of the re-timing).
    """

    roster: Roster
    report: CheckReport
    steps: int
    improving_steps: int
    work_seconds: float = 0.0


def improve_by_groups(problem: ProblemData, roster: Roster, *, time_budget_seconds: float, seed: int = 0,
                      progress: Callable[[float, float], None] | None = None,
                      wall_seconds: float | None = None) -> LnsOutcome:
    """Improve a feasible roster by re-solving a few skill groups at a time.

    Parameters
    ----------
    problem : ProblemData
        The problem.
    roster : Roster
        A roster that passes :func:`scheduler.checker.check_roster`.
    time_budget_seconds : float
        The total deterministic time of the sub-solves.
    seed : int
        Seed of the neighbourhood choice and of the sub-solves (one CP-SAT worker each).
    progress : callable, optional
        Called with (seconds, objective in plan units) at every improvement.
    wall_seconds : float, optional
        Wall-clock safety net (default :data:`scheduler.work_limits.WALL_SAFETY` times the budget).

    Returns
    -------
    LnsOutcome
        The best roster and its check.
    """
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    best = _start_report(problem, roster)
    members = _group_members(problem)
    serving = _groups_of_queue(problem)
    deterministic_used = 0.0
    steps = improving = 0
    step_limit = STEP_DETERMINISTIC_SECONDS
    share = NEIGHBOURHOOD_SHARE
    charge = LNS_STEP_CHARGE_PER_INTERVAL * problem.num_intervals
    wall = WALL_SAFETY * time_budget_seconds if wall_seconds is None else wall_seconds
    while time_budget_seconds - deterministic_used >= 2.0:  # a step needs time to build and check, too
        remaining = wall - (time.perf_counter() - started)
        if remaining < 2.0:
            note_clock_stop("the group search")
            break
        freed, window = _neighbourhood(problem, best.coverage, members, serving, rng, share)
        if not freed:
            break
        limit = min(step_limit, time_budget_seconds - deterministic_used - charge)
        candidate, spent = _resolve(problem, roster, freed, limit, remaining, seed + steps, window)
        deterministic_used += max(spent, 0.05) + charge
        steps += 1
        report = None if candidate is None else check_roster(problem, candidate)
        if report is not None and report.feasible and report.terms.total < best.terms.total:
            roster, best = candidate, report
            improving += 1
            if progress is not None:
                progress(time.perf_counter() - started, best.terms.total / OBJECTIVE_UNIT)
        elif spent >= STEP_LIMIT_REACHED * limit:  # cut short, nothing gained: the next step gets longer
            step_limit = min(STEP_GROWTH * step_limit, max(STEP_DETERMINISTIC_SECONDS, time_budget_seconds / 2))
        else:  # proven, nothing gained: the next neighbourhood is larger
            share = min(NEIGHBOURHOOD_GROWTH * share, 1.0)
    return LnsOutcome(roster, best, steps, improving, deterministic_used)


def _start_report(problem: ProblemData, roster: Roster) -> CheckReport:
    """The checker's report of the start roster, which must keep every hard rule."""
    report = check_roster(problem, roster)
    if not report.feasible:
        raise ValueError("the start roster breaks hard rules: " + "; ".join(report.violations[:3]))
    return report


def _group_members(problem: ProblemData) -> dict[int, list[int]]:
    members: dict[int, list[int]] = {}
    for a, agent in enumerate(problem.agents):
        if agent.options:
            members.setdefault(agent.group, []).append(a)
    return members


def _groups_of_queue(problem: ProblemData) -> dict[int, list[int]]:
    serving: dict[int, list[int]] = {}
    for g, skills in enumerate(problem.groups):
        for q in skills:
            serving.setdefault(q, []).append(g)
    return serving


def queue_pressure(problem: ProblemData, coverage: np.ndarray) -> np.ndarray:
    """What each queue's missing and surplus agents cost in each interval, in units of one surplus agent-interval.

    The objective's own prices (:func:`scheduler.checker.objective_terms`): a missing agent-interval costs
    ``under_staffing · priority``, a surplus one ``100 · over_staffing``. With the default weights one missing
    agent-interval of a priority-2 queue weighs as much as 20 surplus ones, so the group search goes where the
    roster loses most (it weighed 2 until 2026-12-06, and a thin queue one agent short drew few steps).

    Parameters
    ----------
    problem : ProblemData
        The problem.
    coverage : numpy.ndarray
        Agents serving each queue in each interval.

    Returns
    -------
    numpy.ndarray
        (queues, intervals) pressure, 0 where the demand is met exactly.
    """
    gap = problem.demand - coverage
    priority = np.asarray(problem.queue_priority, dtype=float)
    under_cost = problem.weights.under_staffing * priority
    over_cost = 100.0 * problem.weights.over_staffing
    return (np.clip(gap, 0, None) * under_cost[:, None] + np.clip(-gap, 0, None) * over_cost) / max(over_cost, 1.0)


def _interval_days(problem: ProblemData) -> np.ndarray:
    """The local day of each interval (the plan's clock when the problem gives none per interval)."""
    if len(problem.day_of_interval) == problem.num_intervals:
        return np.asarray(problem.day_of_interval)
    return np.arange(problem.num_intervals) * problem.interval_minutes // (24 * 60)


def _interval_weeks(problem: ProblemData) -> np.ndarray:
    """The week of each interval."""
    return np.minimum(_interval_days(problem) // 7, problem.num_weeks - 1)


def _week_days(problem: ProblemData, week: int) -> range:
    """The days of ``week``."""
    return range(7 * week, min(7 * week + 7, problem.num_days))


def _sharing_groups(problem: ProblemData, groups: list[int], members: dict[int, list[int]]) -> list[int]:
    """Groups with agents, not in ``groups``, that share a queue with one of them (so freed agents can trade queues)."""
    skills = {q for g in groups for q in problem.groups[g]}
    return [g for g in members if g not in groups and set(problem.groups[g]) & skills]


def _neighbourhood(problem: ProblemData, coverage: np.ndarray, members: dict[int, list[int]],
                   serving: dict[int, list[int]], rng: np.random.Generator,
                   share: float = 1.0) -> tuple[list[int], range | None]:
    """Agents to free, and the days they are free on (None: all).

    Groups serving one queue (drawn by its :func:`queue_pressure`), on a plan of several
    weeks only in one week (drawn the same way): their other days stay as they are, so a step is a
    week of a few groups, small enough to solve, and the week's limits are whole inside it. Agents are added
    until their options on those days reach :data:`NEIGHBOURHOOD_OPTIONS` or ``share`` of everyone's.
    """
    pressure_qt = queue_pressure(problem, coverage)
    pressure = pressure_qt.sum(axis=1) + 1.0
    candidates = [q for q in range(problem.num_queues) if any(g in members for g in serving.get(q, []))]
    if not candidates:
        return [], None
    weights = pressure[candidates] / pressure[candidates].sum()
    queue = candidates[int(rng.choice(len(candidates), p=weights))]
    window: range | None = None
    if problem.num_weeks > 1:
        by_week = np.bincount(_interval_weeks(problem), weights=pressure_qt[queue],
                              minlength=problem.num_weeks) + 1.0
        window = _week_days(problem, int(rng.choice(problem.num_weeks, p=by_week / by_week.sum())))
    groups = [g for g in serving[queue] if g in members]
    rng.shuffle(groups)
    neighbours = _sharing_groups(problem, groups, members)  # so the freed agents can trade queues
    rng.shuffle(neighbours)
    in_window = sum(_options_within(agent.options, window) for agent in problem.agents)
    cap = min(NEIGHBOURHOOD_OPTIONS, share * in_window - 1e-9)  # (0.2 x 1.5 is 0.30000000000000004)

    def shuffled(g: int) -> list[int]:  # each group's agents shuffled only when the group is reached
        group_agents = list(members[g])
        rng.shuffle(group_agents)
        return group_agents

    return _agents_up_to(problem, (a for g in groups + neighbours for a in shuffled(g)), window, cap), window


def _options_within(options: tuple[ShiftOption, ...], window: range | None) -> int:
    """How many of ``options`` fall on the ``window`` days (all of them when there is no window)."""
    return sum(window is None or o.day in window for o in options)


def _agents_up_to(problem: ProblemData, agents: Iterator[int], window: range | None, cap: float) -> list[int]:
    """The agents taken in order until their options on the ``window`` days reach ``cap`` (at least one), sorted."""
    freed: list[int] = []
    options = 0
    for a in agents:
        if options >= cap and freed:
            break
        freed.append(a)
        options += _options_within(problem.agents[a].options, window)
    return sorted(freed)


def repair_short_queue(problem: ProblemData, roster: Roster, *, time_budget_seconds: float, seed: int = 0,
                       wall_seconds: float | None = None) -> LnsOutcome:
    """One long step for a roster that misses demand: every agent who can stand in for its dearest missing queue.

    The queue whose missing agent-intervals cost most (:func:`queue_pressure`'s under-staffing part), on a plan of
    several weeks the week where it misses most; freed are all agents of the groups serving it and of the groups
    sharing a queue with those (up to :data:`NEIGHBOURHOOD_OPTIONS` options), re-solved together in one sub-solve of
    the whole budget. The group search's steps are short and small; a missed half hour of a thin language can need
    the week of every agent who speaks it (``small20``: the 8 who speak German, 5 deterministic seconds).

    Parameters
    ----------
    problem : ProblemData
        The problem.
    roster : Roster
        A roster that passes :func:`scheduler.checker.check_roster`.
    time_budget_seconds : float
        The step's deterministic time, its charge (:data:`LNS_STEP_CHARGE_PER_INTERVAL`) included.
    seed : int
        Seed of the sub-solve (one CP-SAT worker).
    wall_seconds : float, optional
        Wall-clock safety net (default :data:`scheduler.work_limits.WALL_SAFETY` times the budget).

    Returns
    -------
    LnsOutcome
        The roster (the given one when the step found nothing better, or nothing is missed) and its check.
    """
    best = _start_report(problem, roster)
    charge = LNS_STEP_CHARGE_PER_INTERVAL * problem.num_intervals
    missing = np.clip(problem.demand - best.coverage, 0, None) * np.asarray(problem.queue_priority)[:, None]
    members = _group_members(problem)
    serving = _groups_of_queue(problem)
    reachable = [q for q in range(problem.num_queues) if any(g in members for g in serving.get(q, []))]
    if not reachable or missing[reachable].sum() == 0 or time_budget_seconds - charge < 0.5:
        return LnsOutcome(roster, best, 0, 0, 0.0)
    queue = max(reachable, key=lambda q: (missing[q].sum(), -q))
    window: range | None = None
    if problem.num_weeks > 1:
        by_week = np.bincount(_interval_weeks(problem), weights=missing[queue], minlength=problem.num_weeks)
        window = _week_days(problem, int(np.argmax(by_week)))
    groups = [g for g in serving[queue] if g in members]
    groups += sorted(_sharing_groups(problem, groups, members))
    freed = _agents_up_to(problem, (a for g in groups for a in members[g]), window, NEIGHBOURHOOD_OPTIONS)
    wall = WALL_SAFETY * time_budget_seconds if wall_seconds is None else wall_seconds
    candidate, spent = _resolve(problem, roster, freed, time_budget_seconds - charge, wall, seed, window,
                                cover_first=REPAIR_COVER_SHARE)
    report = None if candidate is None else check_roster(problem, candidate)
    if report is not None and report.feasible and report.terms.total < best.terms.total:
        return LnsOutcome(candidate, report, 1, 1, spent + charge)
    return LnsOutcome(roster, best, 1, 0, spent + charge)


def _resolve(problem: ProblemData, roster: Roster, freed: list[int], deterministic_limit: float,
             wall_limit: float, seed: int, window: range | None = None,
             cover_first: float = 0.0) -> tuple[Roster | None, float]:
    """Re-solve the freed agents (on the ``window`` days only) against the demand the others leave.

    Outside the window a freed agent's shifts stay as they are: those in the run of working days that
    touches the window are pinned in the sub-problem (so rest and consecutive days across its edges
    hold), the others count as fixed coverage, and weeks other than the window's lose their
    minimum, maximum and contract targets (their shifts are fixed and already within them). The
    sub-problem's demand is the residual where a freed agent could serve it, and nothing elsewhere.

    With ``cover_first`` > 0 that share of the limit first minimises the missed demand alone (priority-weighted),
    and the full objective then keeps at most what that found (:func:`_cover_first`).

    Returns
    -------
    tuple
        The merged roster (None when the sub-solve found nothing) and the deterministic time spent.
    """
    freed_set = set(freed)
    current = roster.by_agent()
    context: dict[int, dict[int, int]] = {}  # freed agent -> {day: option} of the sub-problem
    for a in freed:
        worked = {problem.agents[a].options[item.option].day: item.option for item in current.get(a, [])}
        if window is None:
            context[a] = worked
            continue
        days = {d: o for d, o in worked.items() if d in window}
        for step in (-1, 1):  # the runs of working days that touch the window
            day = window.start - 1 if step < 0 else window.stop
            while day in worked:
                days[day] = worked[day]
                day += step
        context[a] = days
    fixed = Roster(tuple(item for item in roster.assignments if item.agent not in freed_set
                         or problem.agents[item.agent].options[item.option].day not in context[item.agent]))
    kept: list[list[int]] = []  # per freed agent: sub-problem option index -> the agent's option index
    sub_agents = []
    for a in freed:
        agent = problem.agents[a]
        keep = [o for o, option in enumerate(agent.options)
                if window is None or option.day in window or context[a].get(option.day) == o]
        index = {o: i for i, o in enumerate(keep)}
        pinned = {day: index[o] for day, o in context[a].items() if window is not None and day not in window}
        pinned.update({day: (index[o] if o >= 0 else -1) for day, o in agent.pinned.items()
                       if window is None or day in window})
        sub_agent = replace(agent, options=tuple(agent.options[o] for o in keep), pinned=pinned, hint={},
                            published=narrowed_published(agent, keep))
        if window is not None:
            inside = {day // 7 for day in window}
            sub_agent = replace(sub_agent, **_window_limits(agent, inside, problem.num_weeks))
        # the current roster is the complete hint (shifts, breaks, queues), not the agents' own partial hints
        sub_agents.append(sub_agent)
        kept.append(keep)
    sub = _sub_problem(problem, fixed, sub_agents)
    chosen: dict[int, list[int]] = {}
    offsets: dict[tuple[int, int], list[int]] = {}
    for i, a in enumerate(freed):
        index = {o: k for k, o in enumerate(kept[i])}
        for item in current.get(a, []):
            if problem.agents[a].options[item.option].day in context[a]:
                chosen.setdefault(i, []).append(index[item.option])
                offsets[i, index[item.option]] = list(item.break_offsets)
    backend = CpSatBackend()
    mv = build_model(sub, backend)
    add_hints(sub, backend, mv, chosen, offsets)
    first = 0.0
    if cover_first > 0:
        first = _cover_first(sub, backend, mv, cover_first * deterministic_limit, wall_limit, seed)
    candidate, spent = _solve_sub(sub, backend, mv, freed, kept, fixed, max(deterministic_limit - first, 0.1),
                                  max(wall_limit - first, 1.0), seed)
    return candidate, spent + first


def _cover_first(sub: ProblemData, backend: CpSatBackend, mv: ModelVars, deterministic_limit: float,
                 wall_limit: float, seed: int) -> float:
    """Search for the sub-problem's least missed demand alone, then give the model back its whole objective with the
    missed demand bounded by the least found (never above the hint's: the search starts from it) and that solution
    as its hint. Returns the deterministic time spent.

    With the whole objective a one-worker search from the hint often spends its time on hours and heads and never
    moves the one missed half hour (``small20``: the week of its 8 German speakers, 6 deterministic seconds, fixed in
    one seed of three); with the missed demand alone the search is a feasibility question."""
    under_weight, dark_weight = sub.weights.under_staffing, sub.weights.uncovered_queue
    if not under_weight:
        under_weight, dark_weight = 1, 0
    common = math.gcd(under_weight, dark_weight)
    missed = [sub.queue_priority[q] * (under_weight // common) * var for (q, _), var in mv.under.items()]
    missed += [sub.queue_priority[q] * (dark_weight // common) * var for (q, _), var in mv.dark.items()
               if dark_weight]  # a queue left dark costs its uncovered_queue on top, in the same ratio
    if not missed:
        return 0.0
    model = backend.model
    saved = model.proto.objective
    whole = (list(saved.vars), list(saved.coeffs), saved.offset)
    model.minimize(sum(missed))
    solver = reproducible_solver(workers=1, seed=seed, deterministic_seconds=deterministic_limit,
                                 wall_seconds=max(wall_limit, 1.0))
    solver.parameters.cp_model_presolve = STEP_PRESOLVE
    status = solve_counted(solver, model, "CP-SAT on a neighbourhood")
    spent = solver.response_proto.deterministic_time
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        values = list(solver.response_proto.solution)
        model.add(sum(missed) <= round(solver.objective_value))
        model.clear_hints()
        for index, value in enumerate(values):
            model.add_hint(model.get_int_var_from_proto_index(index), value)
    variables, coeffs, offset = whole
    model.minimize(cp_model.LinearExpr.weighted_sum(
        [model.get_int_var_from_proto_index(v) for v in variables], coeffs) + offset)
    return spent


def _sub_problem(problem: ProblemData, fixed: Roster, sub_agents: list, **changes: object) -> ProblemData:
    """The problem of the freed ``sub_agents`` against what ``fixed`` leaves: the residual demand where a freed
    agent could serve it (nothing elsewhere), and the fixed agents on shift and on break for the small-team rule."""
    reach = np.zeros((problem.num_queues, problem.num_intervals), dtype=bool)
    for agent in sub_agents:
        for option in agent.options:
            reach[list(problem.groups[agent.group]), max(option.start, 0): max(option.end, 0)] = True
    covered = fixed.coverage(problem)
    if problem.outside_coverage is not None:
        covered = covered + problem.outside_coverage
    residual = np.where(reach, np.clip(problem.demand - covered, 0, None), 0)
    outside_shift, outside_break = _on_shift_and_break(problem, fixed, {agent.group for agent in sub_agents})
    # a queue the fixed agents serve is never dark, whatever the freed ones do (no uncovered_queue in the step)
    return replace(problem, agents=tuple(sub_agents), demand=residual, outside_on_shift=outside_shift,
                   outside_on_break=outside_break, outside_coverage=covered, **changes)


def _solve_sub(sub: ProblemData, backend: CpSatBackend, mv: object, freed: list[int], kept: list[list[int]],
               fixed: Roster, deterministic_limit: float, wall_limit: float, seed: int) -> tuple[Roster | None, float]:
    """Solve a sub-problem's model (hinted) and merge its roster into ``fixed``; the deterministic time spent."""
    # one worker: a small model needs no portfolio, and CP-SAT 9.15's interleaved search aborted the whole
    # process once on a sub-problem cut short by the wall clock ("Check failed: heuristics.fixed_search")
    solver = reproducible_solver(workers=1, seed=seed, deterministic_seconds=deterministic_limit,
                                 wall_seconds=max(wall_limit, 1.0))
    solver.parameters.cp_model_presolve = STEP_PRESOLVE
    status = solve_counted(solver, backend.model, "CP-SAT on a neighbourhood")
    spent = solver.response_proto.deterministic_time
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, spent
    picks: dict[int, list[int]] = {}
    for (i, o), var in mv.x.items():
        if solver.boolean_value(var):
            picks.setdefault(i, []).append(o)
    sub_roster = disaggregate(sub, picks, {k: int(solver.value(v)) for k, v in mv.brk.items()},
                              {k: int(solver.value(v)) for k, v in mv.z.items()})
    moved = tuple(Assignment(freed[item.agent], kept[item.agent][item.option], item.break_offsets, item.queues)
                  for item in sub_roster.assignments)
    merged = sorted(fixed.assignments + moved, key=lambda item: (item.agent, item.option))
    return Roster(tuple(merged)), spent


def _window_limits(agent: object, weeks: set[int], num_weeks: int) -> dict[str, tuple[int, ...]]:
    """Weekly limits that apply only in ``weeks`` (the others' shifts are fixed and already within theirs)."""
    limits = {
        "min_week_minutes": tuple(m if w in weeks else 0 for w, m in enumerate(agent.min_week_minutes)),
        "max_week_minutes": tuple(m if w in weeks else 7 * 24 * 60 for w, m in enumerate(agent.max_week_minutes)),
    }
    if agent.target_week_minutes:
        limits["target_week_minutes"] = tuple(m if w in weeks else 0 for w, m in enumerate(agent.target_week_minutes))
    if agent.overtime_from_minutes:
        limits["overtime_from_minutes"] = tuple(m if w in weeks else 7 * 24 * 60
                                                for w, m in enumerate(agent.overtime_from_minutes))
    return limits


def _on_shift_and_break(problem: ProblemData, fixed: Roster, groups: set[int]) -> tuple[np.ndarray, np.ndarray]:
    """Agents of ``groups`` on shift and on break per interval in the fixed part of the roster."""
    shift = np.zeros((len(problem.groups), problem.num_intervals), dtype=np.int64)
    resting = np.zeros_like(shift)
    for item in fixed.assignments:
        agent = problem.agents[item.agent]
        if agent.group not in groups:
            continue
        option = agent.options[item.option]
        shift[agent.group, max(option.start, 0): max(min(option.end, problem.num_intervals), 0)] += 1
        for t in problem.break_intervals(option, item.break_offsets):
            if 0 <= t < problem.num_intervals:
                resting[agent.group, t] += 1
    return shift, resting


def fix_under_staffing(problem: ProblemData, roster: Roster, *, time_budget_seconds: float, seed: int = 0,
                       progress: Callable[[float, float], None] | None = None,
                       wall_seconds: float | None = None) -> LnsOutcome:
    """Improve a feasible roster where it misses demand: re-time one queue's agents on one day at a time.

    Each under-staffed (queue, local day), the dearest first and each once, frees the shifts that
    day of every agent in a group serving the queue or sharing a queue with those groups
    (:func:`retime_day`); a step is kept only when the checker says the whole roster got better.
    On the 300-agent, 4-week benchmark the day moves leave single missing quarter-hours at the
    edges of thin languages' shifts and breaks, which these steps close (about one in two).

    Parameters
    ----------
    problem : ProblemData
        The problem.
    roster : Roster
        A roster that passes :func:`scheduler.checker.check_roster`.
    time_budget_seconds : float
        Budget: the sub-solves' deterministic time plus a charge per step (:func:`retime_step_charge`) add up to at
        most this.
    seed : int
        Seed of the sub-solves (one CP-SAT worker each).
    progress : callable, optional
        Called with (seconds, objective in plan units) each time the roster gets better.
    wall_seconds : float, optional
        Wall-clock safety net (default :data:`scheduler.work_limits.WALL_SAFETY` times the budget).

    Returns
    -------
    LnsOutcome
        The best roster and its check.
    """
    started = time.perf_counter()
    best = _start_report(problem, roster)
    serving = _groups_of_queue(problem)
    day_of = _interval_days(problem)
    priority = np.asarray(problem.queue_priority, dtype=np.int64)
    tried: set[tuple[int, int]] = set()
    charge = retime_step_charge(problem)
    steps = improving = since_last = 0
    deterministic_used = 0.0
    wall = WALL_SAFETY * time_budget_seconds if wall_seconds is None else wall_seconds
    while time_budget_seconds - deterministic_used >= 1.0 and since_last < RETIME_STALL_STEPS:
        remaining = wall - (time.perf_counter() - started)
        if remaining < 1.0:
            note_clock_stop("the re-timing")
            break
        missing = np.clip(problem.demand - best.coverage, 0, None) * priority[:, None]
        cells: dict[tuple[int, int], int] = {}
        for q, t in zip(*np.nonzero(missing), strict=True):
            key = (int(q), int(day_of[t]))
            if key not in tried:
                cells[key] = cells.get(key, 0) + int(missing[q, t])
        if not cells:
            break
        queue, day = max(cells, key=lambda key: (cells[key], -key[1], -key[0]))
        tried.add((queue, day))
        groups = set(serving.get(queue, []))
        groups |= {h for h, skills in enumerate(problem.groups)
                   if set(skills) & {q for g in groups for q in problem.groups[g]}}
        limit = min(STEP_DETERMINISTIC_SECONDS, time_budget_seconds - deterministic_used)
        candidate, spent = retime_day(problem, roster, day, groups=groups, deterministic_limit=limit,
                                      wall_limit=remaining, seed=seed + steps)
        # the budget counts deterministic time plus a fixed charge for building and checking, so that the
        # budget (not the clock) ends the search and the same plan and seed give the same roster
        deterministic_used += max(spent, 0.05) + charge
        steps += 1
        since_last += 1
        if candidate is None:
            continue
        report = check_roster(problem, candidate)
        if report.feasible and report.terms.total < best.terms.total:
            roster, best = candidate, report
            improving += 1
            since_last = 0
            if progress is not None:
                progress(time.perf_counter() - started, best.terms.total / OBJECTIVE_UNIT)
    return LnsOutcome(roster, best, steps, improving, deterministic_used)


def retime_step_charge(problem: ProblemData) -> float:
    """Nominal seconds a re-timing step costs on top of its sub-solve's deterministic time (building the sub-model
    and checking the whole roster), in proportion to the plan's agents × intervals."""
    size = len(problem.agents) * problem.num_intervals
    return RATE_SCALE * RETIME_STEP_CHARGE_SECONDS * min(size / RETIME_CHARGE_AGENT_INTERVALS, 1.0)


def retime_day(problem: ProblemData, roster: Roster, day: int, *, groups: set[int] | None = None,
               deterministic_limit: float, wall_limit: float, seed: int = 0) -> tuple[Roster | None, float]:
    """Re-pick the start, breaks and queues of the shifts worked on local ``day`` by agents of ``groups``, together.

    Who works the day stays as it is, and so does every other day: each freed agent keeps a shift
    of the same paid minutes (so weekly hours and contract targets do not move) and of the same
    night kind (so the night-fairness count does not), among their options of that day that keep
    rest and every other rule against their other shifts. What single day moves cannot do, this
    does: move several starts and breaks at once where each alone would only move the gap.

    Parameters
    ----------
    problem : ProblemData
        The problem.
    roster : Roster
        The current roster.
    day : int
        The local day.
    groups : set of int, optional
        Skill groups whose agents are freed (default: all).
    deterministic_limit, wall_limit : float
        Limits of the sub-solve (one CP-SAT worker).
    seed : int
        Its seed.

    Returns
    -------
    tuple
        The merged roster (None when nobody works the day or the solver found nothing) and the
        deterministic time spent.
    """
    current = roster.by_agent()
    freed: list[int] = []
    moving: dict[int, Assignment] = {}
    for a, items in current.items():
        agent = problem.agents[a]
        if (groups is not None and agent.group not in groups) or day in agent.pinned:
            continue
        for item in items:
            if agent.options[item.option].day == day:
                freed.append(a)
                moving[a] = item
    if not freed:
        return None, 0.0
    fixed = Roster(tuple(item for item in roster.assignments if moving.get(item.agent) is not item))
    num_weeks = problem.num_weeks
    kept: list[list[int]] = []
    sub_agents = []
    for a in freed:
        agent = problem.agents[a]
        now = agent.options[moving[a].option]
        others = [agent.options[item.option] for item in current[a] if item is not moving[a]]
        keep = [o for o, option in enumerate(agent.options)
                if option.day == day and option.paid_minutes == now.paid_minutes
                and _is_night(problem, option) == _is_night(problem, now) and fits(problem, agent, others, option)]
        kept.append(keep)
        sub_agents.append(replace(agent, options=tuple(agent.options[o] for o in keep), pinned={}, hint={},
                                  published=narrowed_published(agent, keep),
                                  min_week_minutes=(0,) * num_weeks, max_week_minutes=(7 * 24 * 60,) * num_weeks,
                                  max_days_per_week=7, target_week_minutes=(), days_worked_before=0,
                                  overtime_from_minutes=()))
    sub = _sub_problem(problem, fixed, sub_agents, max_consecutive_days=max(problem.num_days, 1))
    backend = CpSatBackend()
    mv = build_model(sub, backend)
    for i in range(len(freed)):  # everyone who worked the day still does
        backend.model.add(sum(mv.x[i, o] for o in range(len(kept[i]))) == 1)
    chosen = {i: [kept[i].index(moving[a].option)] for i, a in enumerate(freed)}
    offsets = {(i, kept[i].index(moving[a].option)): list(moving[a].break_offsets) for i, a in enumerate(freed)}
    add_hints(sub, backend, mv, chosen, offsets)
    return _solve_sub(sub, backend, mv, freed, kept, fixed, deterministic_limit, wall_limit, seed)


def _is_night(problem: ProblemData, option: ShiftOption) -> bool:
    return option.template >= 0 and problem.templates[option.template].is_night
