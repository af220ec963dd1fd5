"""The rosters the solve's stages hand each other: built from shifts and breaks, checked, and read back.

Every stage of :func:`scheduler.solve.solve` (the greedy start and its local search, the large plans' path of
:mod:`scheduler.large_path`, CP-SAT's rosters) turns its shifts into a :class:`~scheduler.result.Result` the same
way: breaks placed (:mod:`scheduler.breaks`), queues handed out (:mod:`scheduler.disaggregate`), and the roster
checked by the solver-free checker, whose objective is the one reported.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from scheduler.breaks import IMPROVEMENT_PASSES, place_breaks
from scheduler.checker import OBJECTIVE_UNIT, CheckReport, check_roster
from scheduler.cpsat.backend import CpSatBackend
from scheduler.cpsat.model import ModelVars, build_model
from scheduler.disaggregate import disaggregate
from scheduler.heuristic import greedy_counts
from scheduler.local_search import improve_by_day_moves
from scheduler.problem import ProblemData
from scheduler.result import Result
from scheduler.roster import OFF_QUEUE, Roster

__all__ = ["ProgressCallback", "checked_result", "greedy_result", "polished", "shifts_of", "whole_model",
           "with_published_breaks_and_queues", "with_roster", "without_hints"]

ProgressCallback = Callable[[float, float, float], None]  # (seconds, objective, bound) in plan units


def whole_model(problem: ProblemData) -> tuple[CpSatBackend, ModelVars]:
    """The CP-SAT model of the whole plan and its variables."""
    backend = CpSatBackend()
    return backend, build_model(problem, backend)


def without_hints(problem: ProblemData) -> ProblemData:
    """The problem with no agent's hint (pins kept): the same rules, objective and rosters."""
    return replace(problem, agents=tuple(replace(agent, hint={}) for agent in problem.agents))


def has_roster_changes(problem: ProblemData) -> bool:
    """Whether the objective counts a re-plan's changes from the published roster."""
    return bool(problem.weights.roster_change) and any(agent.published for agent in problem.agents)


def without_roster_changes(problem: ProblemData) -> ProblemData:
    """The problem whose objective leaves out the changes from the published roster: every roster costs the same or
    less in it, so its lower bounds hold for ``problem``."""
    return replace(problem, weights=replace(problem.weights, roster_change=0))


def greedy_result(problem: ProblemData, chosen: dict[int, list[int]], started: float, lp_bound: float | None,
                  common: dict[str, Any], *, polish_seconds: float = 0.0, seed: int = 0,
                  ruin_steps: int | None = None, wall_seconds: float | None = None,
                  offsets: dict[tuple[int, int], list[int]] | None = None) -> tuple[Result | None, float]:
    """The greedy roster, its breaks placed (``offsets`` first, where given), improved by a nominal
    ``polish_seconds`` of local search, checked; and the nominal seconds of that local search's work."""
    if not chosen:
        return None, 0.0
    shifts = [(a, o) for a, picks in sorted(chosen.items()) for o in picks]
    given = {shift: list(offsets[shift]) for shift in shifts if offsets and shift in offsets}
    if len(given) < len(shifts):
        # the local search re-places breaks as part of its moves, so one improvement pass is enough before it
        placed = place_breaks(problem, [shift for shift in shifts if shift not in given],
                              passes=1 if polish_seconds > 0 else IMPROVEMENT_PASSES)
        given.update(placed)
    offsets = given
    if polish_seconds > 0:
        outcome = improve_by_day_moves(problem, chosen, offsets, time_budget_seconds=polish_seconds, seed=seed,
                                       max_ruin_steps=ruin_steps, wall_seconds=wall_seconds)
        chosen, offsets, work = outcome.chosen, outcome.offsets, outcome.work_seconds
    else:
        work = 0.0
    unchecked = Result("FEASIBLE", math.nan, 0.0, lp_bound, None, 0.0, num_agents=len(problem.agents),
                       seed=common["seed"], workers=common["workers"],
                       explanation=["CP-SAT found no roster in time; this is the start roster (greedy and local "
                                    "search), checked independently"])
    result = checked_result(problem, chosen, offsets, unchecked, started)
    if result is not None and lp_bound is not None:
        result = replace(result, lower_bound=min(lp_bound, result.objective))
    return result, work


def _over_the_week(problem: ProblemData, a: int, days: dict[int, int]) -> list[int]:
    """The published days (not pinned) to leave out of agent ``a``'s start so that each week keeps within its days and
    hours, latest first: time off entered since the roster was published (a weekend of vacation after a week of
    shifts) takes days from the week (:mod:`scheduler.week_limits`), and one shift over would have the checker refuse
    the whole published roster as a start."""
    agent = problem.agents[a]
    dropped: list[int] = []
    for week in range(problem.num_weeks):
        in_week = sorted((day for day, o in days.items() if o >= 0 and week * 7 <= day < week * 7 + 7), reverse=True)
        count = len(in_week)
        minutes = sum(agent.options[days[day]].paid_minutes for day in in_week)
        for day in in_week:
            if count <= agent.max_days_in_week(week) and minutes <= agent.max_week_minutes[week]:
                break
            if day in agent.pinned:
                continue
            dropped.append(day)
            count -= 1
            minutes -= agent.options[days[day]].paid_minutes
    return dropped


def published_shifts(problem: ProblemData) -> tuple[dict[int, list[int]], dict[tuple[int, int], list[int]]] | None:
    """A re-plan's published roster as a start: each agent's pinned shifts and published ones on the other days
    (those no option matches any more left out, and the latest of a week its time off no longer leaves room for),
    with the published break offsets where known
    (:attr:`~scheduler.problem.AgentData.published_breaks`); None when the plan is not a re-plan."""
    if not any(agent.published for agent in problem.agents):
        return None
    chosen: dict[int, list[int]] = {}
    offsets: dict[tuple[int, int], list[int]] = {}
    for a, agent in enumerate(problem.agents):
        days = {day: o for day, o in agent.published.items() if o >= 0}
        days.update(agent.pinned)
        for day in _over_the_week(problem, a, days):
            del days[day]
        picks = sorted(o for o in days.values() if o >= 0)
        if picks:
            chosen[a] = picks
        for day, breaks in agent.published_breaks.items():
            if days.get(day, -1) >= 0:
                offsets[a, days[day]] = list(breaks)
    return chosen, offsets


def checked_result(problem: ProblemData, chosen: dict[int, list[int]], offsets: dict[tuple[int, int], list[int]],
                   like: Result, started: float) -> Result | None:
    """``like`` with the roster of these shifts and breaks, checked (None if the checker refuses it)."""
    roster = disaggregate(problem, chosen, *greedy_counts(problem, chosen, offsets=offsets))
    report = check_roster(problem, roster)
    if not report.feasible:
        return None
    return replace(with_roster(like, roster, report), runtime_seconds=time.perf_counter() - started)


def polished(problem: ProblemData, best: Result, started: float, *, budget: float, seed: int, ruin_steps: int,
             wall_seconds: float) -> tuple[Result, float]:
    """``best`` improved by a nominal ``budget`` of local search from its own shifts and breaks.

    Returns the better of ``best`` and the polished roster (checked), and the nominal seconds of the local search's
    work (not counting the check).
    """
    chosen, offsets = shifts_of(best.roster)
    more = improve_by_day_moves(problem, chosen, offsets, time_budget_seconds=budget, seed=seed,
                                max_ruin_steps=ruin_steps, wall_seconds=wall_seconds)
    if more.saving > 0:
        candidate = checked_result(problem, more.chosen, more.offsets, best, started)
        if candidate is not None and candidate.objective < best.objective - 1e-9:
            return candidate, more.work_seconds
    return best, more.work_seconds


def with_roster(like: Result, roster: Roster, report: CheckReport) -> Result:
    """``like`` with this roster and what its check says of it (objective, coverage, terms, penalties, heads)."""
    return replace(like, objective=report.terms.total / OBJECTIVE_UNIT, roster=roster, coverage=report.coverage,
                   terms=report.terms, penalties=report.soft, num_agents_used=len(roster.by_agent()))


def shifts_of(roster: Roster) -> tuple[dict[int, list[int]], dict[tuple[int, int], list[int]]]:
    """The options each agent works and each shift's break offsets, read back from a roster."""
    chosen: dict[int, list[int]] = {}
    offsets: dict[tuple[int, int], list[int]] = {}
    for item in roster.assignments:
        chosen.setdefault(item.agent, []).append(item.option)
        offsets[item.agent, item.option] = list(item.break_offsets)
    return chosen, offsets


def with_published_breaks_and_queues(problem: ProblemData, result: Result) -> tuple[Result, str | None]:
    """A re-plan's roster with the published breaks back where a stage moved them, and the published queues back in
    its past, and what was done, in words.

    The kept shifts (pinned: worked, or under way at the re-plan's time) get their published breaks back whenever
    the roster stays within every rule: they were taken, whatever coverage another placement would have given.
    Shifts of later days that are still the published ones get theirs back only if the roster costs no more, so
    an agent keeps the breaks already announced. Then, in the intervals before any shift the re-plan may place
    (where only kept shifts are on duty), each kept shift serves the queues it was published with: the hand-out
    of an interval has ties, and the queue flow may break them otherwise. The objective is the checker's on the
    roster returned. A roster that now costs more than the solve's is no longer proven optimal: its status becomes
    ``FEASIBLE`` (the bound, of a model whose kept breaks were free, still holds) and ``solver_objective`` is
    cleared, as the roster is not the solver's any more. Without published breaks or queues (not a re-plan, or no
    result file beside its shifts) ``result`` is returned as it is.
    """
    if result.roster is None or not any(agent.published_breaks or agent.published_queues
                                        for agent in problem.agents):
        return result, None
    started = time.perf_counter()
    chosen, offsets = shifts_of(result.roster)
    kept: dict[tuple[int, int], list[int]] = {}
    later: dict[tuple[int, int], list[int]] = {}
    for a, agent in enumerate(problem.agents):
        worked = set(chosen.get(a, ()))
        for day, breaks in agent.published_breaks.items():
            o = agent.pinned.get(day, agent.published.get(day, -1))
            if o in worked and offsets[a, o] != list(breaks):
                (kept if day in agent.pinned else later)[a, o] = list(breaks)
    best, words = result, []
    if kept:
        candidate = checked_result(problem, chosen, {**offsets, **kept}, result, 0.0)
        if candidate is None:
            words.append(f"the published breaks of {_shifts_text(len(kept), 'kept')} could not be put back (with the "
                         "new shifts beside them a rule would not hold), so they are placed afresh")
        else:
            best, offsets = candidate, {**offsets, **kept}
            their = "its" if len(kept) == 1 else "their"
            words.append(f"{_shifts_text(len(kept), 'kept')} got {their} published breaks back (a stage moved them)")
    if later:
        candidate = checked_result(problem, chosen, {**offsets, **later}, best, 0.0)
        if candidate is not None and candidate.objective <= best.objective + 1e-9:
            best = candidate
            their = "its" if len(later) == 1 else "their"
            words.append(f"{_shifts_text(len(later), 'unchanged later')} got {their} published breaks back, at no "
                         "cost")
    best, served = _with_published_queues(problem, best)
    if served:
        words.append(f"the intervals before the re-plan show the published queue hand-out again ({served} "
                     "agent-intervals the queue flow had handed out otherwise)")
    if best is result:
        return result, "; ".join(words) if words else None
    best = replace(best, runtime_seconds=result.runtime_seconds + time.perf_counter() - started)
    if best.objective > result.objective + 1e-9:
        words.append(f"objective {result.objective:,.2f} before")
        best = replace(best, solver_objective=None, status="FEASIBLE" if best.status == "OPTIMAL" else best.status)
    return best, "; ".join(words)


def _with_published_queues(problem: ProblemData, result: Result) -> tuple[Result, int]:
    """``result`` with each kept shift serving its published queues in the intervals before the first option the
    re-plan may place (its past: only pinned shifts are on duty there), where its breaks are the published ones;
    and how many agent-intervals changed queue. ``result`` itself when none did or the checker refuses it."""
    first_free = problem.num_intervals
    for agent in problem.agents:
        pinned = set(agent.pinned.values())
        for o, option in enumerate(agent.options):
            if o not in pinned:
                first_free = min(first_free, option.start)
    changed = 0
    items = []
    for item in result.roster.assignments:
        agent = problem.agents[item.agent]
        option = agent.options[item.option]
        published = agent.published_queues.get(option.day)
        if published is None or agent.pinned.get(option.day) != item.option:
            items.append(item)
            continue
        queues = list(item.queues)
        for k, queue in enumerate(published):
            if option.start + k < first_free and (queue == OFF_QUEUE) == (queues[k] == OFF_QUEUE) \
                    and queue != queues[k]:
                queues[k] = queue
                changed += 1
        items.append(replace(item, queues=tuple(queues)))
    if not changed:
        return result, 0
    roster = Roster(tuple(items))
    report = check_roster(problem, roster)
    if not report.feasible:
        return result, 0
    return with_roster(result, roster, report), changed


def _shifts_text(count: int, kind: str) -> str:
    """``1 kept shift``, ``3 kept shifts``."""
    return f"{count} {kind} shift{'' if count == 1 else 's'}"
