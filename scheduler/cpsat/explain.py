"""Explain an infeasible plan in words.

Coverage is soft, so a plan is infeasible only when some agent's own rules collide (a pinned
shift against the rest rule, a weekly minimum against time off, ...) or a team's do: the rule
that never all of a small team are on break at once, against pinned shifts whose break windows
leave them one time. Each agent is solved alone with one assumption literal per rule instance;
CP-SAT's ``sufficient_assumptions_for_infeasibility`` then names a small set of rules that cannot
all hold. When no agent's rules collide, the whole model is solved with that team rule as one
assumption per (group, interval), and its core names the intervals.
"""

from __future__ import annotations

import bisect
import itertools
from collections import defaultdict
from collections.abc import Iterable

from ortools.sat.python import cp_model

from scheduler.problem import AgentData, ProblemData


def explain_infeasible(problem: ProblemData, max_agents: int = 10) -> list[str]:
    """Return one line per agent whose rules cannot all hold, naming the rules.

    Parameters
    ----------
    problem : ProblemData
        The problem.
    max_agents : int
        Stop after this many infeasible agents.

    Returns
    -------
    list of str
        E.g. ``"agent E3: pinned shift on Wed 2026-03-25; at most 4 days in week 1 (from Mon 2026-03-23) cannot all
        hold"`` (days as dates when the problem has its first day, :meth:`ProblemData.day_name`).
    """
    return _agent_lines(problem, range(len(problem.agents)), max_agents) or _team_break_core(problem) or [
        "no single agent's rules collide; the combination of rules is infeasible"]


def explain_pinned(problem: ProblemData, max_agents: int = 10) -> list[str]:
    """Explain, before any roster is built, the agents whose pinned shifts alone break one of their rules.

    Pins are fixed, so an agent whose pins alone leave less than the minimum rest, or pass a week's hours or days
    or the consecutive days allowed, makes the plan infeasible whatever else is rostered (a re-plan's kept roster
    after the rules changed, say). Such agents are found by counting (:func:`pins_break_a_limit`), and each is
    then explained as :func:`explain_infeasible` does; the solve returns at once instead of spending its stages
    and its time limit first.

    Parameters
    ----------
    problem : ProblemData
        The problem.
    max_agents : int
        Stop after this many infeasible agents.

    Returns
    -------
    list of str
        One line per agent, as :func:`explain_infeasible` writes them; empty when no agent's pins break a limit.
    """
    flagged = (a for a in range(len(problem.agents)) if pins_break_a_limit(problem, a))
    return _agent_lines(problem, flagged, max_agents)


def _agent_lines(problem: ProblemData, agents: Iterable[int], max_agents: int) -> list[str]:
    """One line per agent of ``agents`` whose own rules cannot all hold (its core's names), at most ``max_agents``."""
    lines: list[str] = []
    for a in agents:
        names = _agent_core(problem, a)
        if names:
            lines.append(f"agent {problem.agents[a].employee_id}: {'; '.join(names)} cannot all hold")
            if len(lines) >= max_agents:
                break
    return lines


def pins_break_a_limit(problem: ProblemData, a: int) -> bool:
    """Whether agent ``a``'s pinned shifts alone leave less than the minimum rest between two of them, or pass a
    week's maximum hours or days or a window's most consecutive days (the rules that more shifts only tighten), or
    leave a week too little room for its minimum (:func:`week_room`).

    A filter for :func:`explain_pinned`, which asks the agent's own model: the rest is compared between pins next to
    each other in time only."""
    agent = problem.agents[a]
    pins = sorted((agent.options[o] for o in agent.pinned.values() if o >= 0), key=lambda option: option.start)
    if not pins:
        return False
    rest = problem.min_rest_intervals
    if any(second.day > first.day and second.start < first.end + rest for first, second in itertools.pairwise(pins)):
        return True
    for week in range(problem.num_weeks):
        in_week = [option for option in pins if week * 7 <= option.day < week * 7 + 7]
        if (sum(option.paid_minutes for option in in_week) > agent.max_week_minutes[week]
                or len(in_week) > agent.max_days_in_week(week)):
            return True
    days = {option.day for option in pins}
    if any(len(days.intersection(window)) > most for window, most in problem.consecutive_day_windows(agent)):
        return True
    return any(week_room(problem, a, week) < agent.min_week_minutes[week] for week in range(problem.num_weeks))


def _time_off_days(agent: AgentData, week: int) -> str:
    """`` (5 less time off)`` when time off takes working days from the agent's week, else empty."""
    fewer = agent.max_days_in_week(week) < agent.max_days_per_week
    return f" ({agent.max_days_per_week} less time off)" if fewer else ""


def week_room(problem: ProblemData, a: int, week: int) -> int:
    """The most paid minutes agent ``a`` can work in ``week`` around their pins: the pinned shifts, and on the days
    not pinned the longest shift option, as many as the days a week allow (the rest between shifts left out, so
    never less than a roster can give). A scheduled agent below the week's minimum breaks it: with a pinned shift
    and pinned days off that leave 2 free days of 8 hours against a 32-hour minimum, no roster holds the pins.
    Without a pinned shift the agent may stay unscheduled, and the minimum does not bind (the room is unbounded)."""
    agent = problem.agents[a]
    if not any(o >= 0 for o in agent.pinned.values()):
        return 2**62
    week_days = range(7 * week, min(7 * week + 7, problem.num_days))
    pinned = [agent.options[agent.pinned[d]].paid_minutes for d in week_days if agent.pinned.get(d, -1) >= 0]
    longest: dict[int, int] = {}
    for option in agent.options:
        if option.day in week_days and option.day not in agent.pinned:
            longest[option.day] = max(longest.get(option.day, 0), option.paid_minutes)
    free = sorted(longest.values(), reverse=True)[:max(agent.max_days_in_week(week) - len(pinned), 0)]
    return sum(pinned) + sum(free)


def _team_break_core(problem: ProblemData, time_limit_seconds: float = 10.0, max_lines: int = 5) -> list[str]:
    """When the plan is infeasible only through the rule "never all of a small team on break at once" (pinned
    shifts whose breaks can only fall together, say after a template's break windows were narrowed): one line per
    interval of a conflicting set, naming the group's agents on shift then. Empty when the plan is infeasible
    without that rule too, or the solver could not tell in its time."""
    from scheduler.cpsat.backend import CpSatBackend
    from scheduler.cpsat.model import build_model

    backend = CpSatBackend()
    mv = build_model(problem, backend, defer_team_breaks=True)
    model = backend.model
    model.clear_objective()
    literals: dict[int, tuple[int, int]] = {}
    for (g, t), (resting, working, several) in mv.team_breaks.items():
        lit = model.new_bool_var(f"team_break_{g}_{t}")
        model.add(resting <= working - several).only_enforce_if(lit)
        literals[lit.index] = (g, t)
    if not literals:
        return []
    model.add_assumptions([model.get_bool_var_from_proto_index(i) for i in literals])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = time_limit_seconds
    if solver.solve(model) != cp_model.INFEASIBLE:
        return []
    core = sorted(literals[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in literals)
    lines = []
    for g, t in core[:max_lines]:
        on_shift = [agent.employee_id for agent in problem.agents if agent.group == g and any(
            agent.options[o].start <= t < agent.options[o].end for o in agent.pinned.values() if o >= 0)]
        skills = ", ".join(problem.queue_names[q] for q in problem.groups[g])
        who = f" ({', '.join(on_shift)} pinned on shift)" if on_shift else ""
        lines.append(f"the agents of skills {skills}{who} would all be on break at {problem.interval_name(t)}, "
                     "against the rule that never all of a team are on break at once: their breaks' windows leave "
                     "no other time (widen the template's after_start_minutes, or unpin one of them)")
    return lines


def agent_rules_when_working(problem: ProblemData, a: int) -> list[str]:
    """The rules of agent ``a`` that cannot all hold once they work at least one shift, or empty when some week of
    shifts keeps them all (why an agent with shift options is never scheduled: a weekly minimum of 33 h and a
    maximum of 39 h from 8-hour shifts, say). Named as :func:`explain_infeasible` names them, with
    ``working at least one shift`` among them."""
    return _agent_core(problem, a, working=True)


def _agent_core(problem: ProblemData, a: int, *, working: bool = False) -> list[str]:
    """Solve agent ``a`` alone with named assumptions (with ``working``, one more: at least one shift); return the
    names of a conflicting set."""
    agent = problem.agents[a]
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{o}") for o in range(len(agent.options))]
    used = model.new_bool_var("used")
    by_day: dict[int, list[int]] = defaultdict(list)
    for o, option in enumerate(agent.options):
        by_day[option.day].append(o)
    literals: dict[int, str] = {}

    def rule(name: str) -> cp_model.IntVar:
        lit = model.new_bool_var(name)
        literals[lit.index] = name
        return lit

    for options in by_day.values():
        model.add(sum(x[o] for o in options) <= used)
    if working:
        model.add(sum(x) >= 1).only_enforce_if(rule("working at least one shift"))
    for day, pinned in agent.pinned.items():
        lit = rule(f"pinned {'day off' if pinned < 0 else 'shift'} on {problem.day_name(day)}")
        if pinned >= 0:
            model.add(x[pinned] == 1).only_enforce_if(lit)
        else:
            for o in by_day.get(day, []):
                model.add(x[o] == 0).only_enforce_if(lit)
    rest = problem.min_rest_intervals
    rest_lit = rule(f"minimum rest {rest * problem.interval_minutes / 60:g} h")
    by_start = sorted(range(len(agent.options)), key=lambda o: agent.options[o].start)
    starts = [agent.options[o].start for o in by_start]
    days_back = 2 * 24 * 60 // problem.interval_minutes  # a later day's shift starts after this one (two days
    # back keeps every pair, clock changes and pins included)
    for o, first in enumerate(agent.options):  # a later day's shift starting before this one's end plus the rest
        for p in by_start[bisect.bisect_left(starts, first.start - days_back):
                          bisect.bisect_left(starts, first.end + rest)]:
            if agent.options[p].day > first.day:
                model.add(x[o] + x[p] <= 1).only_enforce_if(rest_lit)
    for week in range(problem.num_weeks):
        in_week = [o for o, opt in enumerate(agent.options) if week * 7 <= opt.day < week * 7 + 7]
        minutes = sum(agent.options[o].paid_minutes * x[o] for o in in_week)
        model.add(minutes <= agent.max_week_minutes[week]).only_enforce_if(
            rule(f"at most {round(agent.max_week_minutes[week] / 60, 2):g} h in {problem.week_name(week)}"))
        if agent.min_week_minutes[week] > 0:  # as in the model: only once scheduled (a pinned shift schedules him)
            model.add(minutes >= agent.min_week_minutes[week] * used).only_enforce_if(
                rule(f"at least {round(agent.min_week_minutes[week] / 60, 2):g} h in {problem.week_name(week)} once "
                     "scheduled"))
        model.add(sum(x[o] for o in in_week) <= agent.max_days_in_week(week)).only_enforce_if(
            rule(f"at most {agent.max_days_in_week(week)} days in {problem.week_name(week)}"
                 + _time_off_days(agent, week)))
    consecutive = rule(f"at most {problem.max_consecutive_days} consecutive days")
    for window, most in problem.consecutive_day_windows(agent):
        terms = [x[o] for d in window for o in by_day.get(d, [])]
        if not terms:
            continue
        if most < problem.max_consecutive_days:  # the window that starts before the plan
            model.add(sum(terms) <= most).only_enforce_if(rule(
                f"at most {problem.max_consecutive_days} consecutive days, counting the "
                f"{agent.days_worked_before} worked in a row before the plan"))
        else:
            model.add(sum(terms) <= most).only_enforce_if(consecutive)
    return _core_of(model, literals, assumptions_first=not working)


def _core_of(model: cp_model.CpModel, literals: dict[int, str], *, assumptions_first: bool = True) -> list[str]:
    """The names of a set of the rule literals that cannot all hold, or empty when all can (or it is not known).

    First as assumptions, whose core CP-SAT names (with ``assumptions_first``). When that search cannot tell in its
    time, or is skipped, the rules go in as fixed constants: presolve then reasons on the linear rows directly, which
    it does not do under assumptions (a week of 33 to 39 h from 8-hour shifts over 98 options: with assumptions,
    CP-SAT was still UNKNOWN after 5 s; fixed, it is INFEASIBLE in milliseconds). When it is, a deletion filter drops
    every rule the rest stay infeasible without, so each name left is needed."""

    def infeasible(kept: set[int]) -> bool:
        trial = model.clone()
        for i in literals:
            trial.add(trial.get_bool_var_from_proto_index(i) == int(i in kept))
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = 2.0
        return solver.solve(trial) == cp_model.INFEASIBLE

    status = cp_model.UNKNOWN
    if assumptions_first:
        model.add_assumptions([model.get_bool_var_from_proto_index(i) for i in literals])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = 5
        status = solver.solve(model)
        if status == cp_model.INFEASIBLE:
            return [literals[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in literals]
        model.clear_assumptions()
    kept = set(literals)
    if status != cp_model.UNKNOWN or not infeasible(kept):
        return []
    for i in sorted(literals):
        if infeasible(kept - {i}):
            kept.discard(i)
    return [literals[i] for i in sorted(kept)]
