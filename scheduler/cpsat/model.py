"""The scheduling model: variables, one function per rule family, penalties, objective.

Written against :class:`~scheduler.cpsat.backend.Backend` with linear constraints only, so the
LP relaxation read from the CP-SAT proto (:mod:`scheduler.cpsat.lp_bound`) is exactly this model's.

Variables exist only where an assignment is allowed:

- ``x[a, o]``: agent ``a`` works option ``o`` (options already respect skills, templates,
  availability and time off);
- ``used[a]``: agent ``a`` works at all in the horizon (headcount);
- ``brk[g, key, r, p]``: how many agents of skill group ``g`` working shift type ``key`` take
  break rule ``r`` at offset ``p`` (implicit breaks: agents with the same skills and shift are
  interchangeable, so counts suffice and the model grows with groups, not heads);
- ``z[g, q, t]``: how many agents of group ``g`` serve queue ``q`` in interval ``t`` (each
  working agent serves exactly one queue per interval: no double counting);
- ``under[q, t]``, ``over[q, t]``: missing and surplus agents;
- ``dark[q, t]``: the last missing agent of a queue with demand, 1 exactly when nobody serves it (``uncovered_queue``:
  the shortfall's cost is convex piecewise, ``under - dark <= demand - 1`` at the under-staffing cost and ``dark`` at
  that plus the uncovered-queue cost, so the minimiser sets ``dark`` only when ``under`` is the whole demand).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from scheduler.cpsat.backend import Backend
from scheduler.problem import TIME_AWAY, AgentData, ProblemData, change_share, published_shifts_count


@dataclass
class ModelVars:
    """Handles to the model's variables, for reading a solution back."""

    x: dict[tuple[int, int], Any] = field(default_factory=dict)
    used: dict[int, Any] = field(default_factory=dict)
    brk: dict[tuple[int, tuple[int, int, int], int, int], Any] = field(default_factory=dict)
    z: dict[tuple[int, int, int], Any] = field(default_factory=dict)
    under: dict[tuple[int, int], Any] = field(default_factory=dict)
    over: dict[tuple[int, int], Any] = field(default_factory=dict)
    dark: dict[tuple[int, int], Any] = field(default_factory=dict)
    shift_types: dict[tuple[int, tuple[int, int, int]], list[tuple[int, int]]] = field(default_factory=dict)
    several: dict[tuple[int, int], Any] = field(default_factory=dict)
    #: With ``build_model(..., defer_team_breaks=True)``: the rule "never all of a group on break at once" per
    #: (group, interval), as (agents on break, agents on shift, several on shift) not yet added to the model.
    team_breaks: dict[tuple[int, int], tuple[Any, Any, Any]] = field(default_factory=dict)
    deviation: dict[tuple[int, int], Any] = field(default_factory=dict)
    overtime: dict[tuple[int, int], Any] = field(default_factory=dict)
    most: dict[str, Any] = field(default_factory=dict)


def build_model(problem: ProblemData, backend: Backend, *, defer_team_breaks: bool = False) -> ModelVars:
    """Build the whole model on ``backend`` and return its variables.

    Parameters
    ----------
    problem : ProblemData
        The problem.
    backend : Backend
        CP-SAT or LP.
    defer_team_breaks : bool
        Leave the rule "never all of a small team on break at once" out of the model and keep its rows in
        ``ModelVars.team_breaks`` (to explain an infeasible plan with one assumption per row).

    Returns
    -------
    ModelVars
        The variables.
    """
    mv = ModelVars()
    add_shift_variables(problem, backend, mv)
    add_one_shift_per_day(problem, backend, mv)
    add_pins(problem, backend, mv)
    add_rest(problem, backend, mv)
    add_weekly_limits(problem, backend, mv)
    add_consecutive_days(problem, backend, mv)
    add_hiring_order(problem, backend, mv)
    coverage_terms = add_coverage(problem, backend, mv, defer_team_breaks=defer_team_breaks)
    backend.minimize(objective(problem, backend, mv, coverage_terms))
    return mv


def add_shift_variables(problem: ProblemData, backend: Backend, mv: ModelVars) -> None:
    """Create ``x`` per allowed (agent, option) and ``used`` per agent; group options by shift type."""
    for a, agent in enumerate(problem.agents):
        if not agent.options:
            continue
        mv.used[a] = backend.bool_var(f"used_{a}")
        for o, option in enumerate(agent.options):
            mv.x[a, o] = backend.bool_var(f"x_{a}_{o}")
            mv.shift_types.setdefault((agent.group, option.key), []).append((a, o))


def _by_day(problem: ProblemData, a: int) -> dict[int, list[int]]:
    days: dict[int, list[int]] = defaultdict(list)
    for o, option in enumerate(problem.agents[a].options):
        days[option.day].append(o)
    return days


def add_one_shift_per_day(problem: ProblemData, backend: Backend, mv: ModelVars) -> None:
    """At most one shift per agent and local day; an agent who works any shift is ``used``."""
    for a in mv.used:
        for options in _by_day(problem, a).values():
            day_sum = backend.sum([mv.x[a, o] for o in options])
            backend.add(day_sum <= mv.used[a])


def add_pins(problem: ProblemData, backend: Backend, mv: ModelVars) -> None:
    """Pinned shifts are worked; pinned days off are not."""
    for a, agent in enumerate(problem.agents):
        days = _by_day(problem, a)
        for day, pinned in agent.pinned.items():
            if pinned >= 0:
                backend.add(mv.x[a, pinned] == 1)
            else:
                for o in days.get(day, []):
                    backend.add(mv.x[a, o] == 0)


def add_rest(problem: ProblemData, backend: Backend, mv: ModelVars) -> None:
    """Minimum rest: a shift excludes every later-day shift that starts before its end plus the rest.

    One constraint per option: ``x[o] + sum(x[o'] for conflicting o') <= 1``, valid because at
    most one conflicting shift can be worked per day and conflicts reach at most the next day
    or two.
    """
    rest = problem.min_rest_intervals
    for a in mv.used:
        options = problem.agents[a].options
        order = sorted(range(len(options)), key=lambda o: options[o].start)
        starts = [options[o].start for o in order]
        days = [options[o].day for o in order]
        # in start order an agent's days never go back (a shift starts within its local day), so the later days'
        # options are a run of ``order``: found by bisection instead of a scan of all the agent's options
        monotone = all(days[i] <= days[i + 1] for i in range(len(days) - 1))
        for o in order:
            first = options[o]
            if monotone:
                later = bisect.bisect_right(days, first.day)
                until = bisect.bisect_left(starts, first.end + rest, lo=later)
                conflicts = order[later:until]
            else:
                conflicts = [p for p in order if options[p].day > first.day and options[p].start < first.end + rest]
            if not conflicts:
                continue
            # conflicting options may span several days: sum per day is <= 1, so split by day
            per_day: dict[int, list[int]] = defaultdict(list)
            for p in conflicts:
                per_day[options[p].day].append(p)
            for day_options in per_day.values():
                backend.add(mv.x[a, o] + backend.sum([mv.x[a, p] for p in day_options]) <= 1)


def add_weekly_limits(problem: ProblemData, backend: Backend, mv: ModelVars) -> None:
    """Weekly paid minutes within [minimum, maximum] and at most the week's days (time off takes some), if scheduled."""
    for a in mv.used:
        agent = problem.agents[a]
        for week in range(problem.num_weeks):
            in_week = [o for o, opt in enumerate(agent.options) if week * 7 <= opt.day < week * 7 + 7]
            if not in_week:
                continue
            minutes = backend.sum([agent.options[o].paid_minutes * mv.x[a, o] for o in in_week])
            # the limits are written times ``used`` (the same integer set): the LP relaxation then charges
            # a fraction of a head for each fraction of a week's hours, not only for the largest shift value
            backend.add(minutes <= agent.max_week_minutes[week] * mv.used[a])
            if agent.min_week_minutes[week] > 0:
                backend.add(minutes >= agent.min_week_minutes[week] * mv.used[a])
            backend.add(backend.sum([mv.x[a, o] for o in in_week]) <= agent.max_days_in_week(week) * mv.used[a])


def add_consecutive_days(problem: ProblemData, backend: Backend, mv: ModelVars) -> None:
    """At most ``max_consecutive_days`` working days in any window of one more day, the days worked in a row
    before the plan included (:meth:`ProblemData.consecutive_day_windows`)."""
    for a in mv.used:
        days = _by_day(problem, a)
        for window, most in problem.consecutive_day_windows(problem.agents[a]):
            terms = [mv.x[a, o] for d in window for o in days.get(d, [])]
            if len(terms) > most:
                backend.add(backend.sum(terms) <= most)


def add_hiring_order(problem: ProblemData, backend: Backend, mv: ModelVars) -> None:
    """Interchangeable open positions are hired in order (#2 only if #1).

    Positions count as interchangeable when everything the model reads of them is the same: profile, skills,
    options, weekly limits, pins, preferences, contract and published roster. The heads that ``[[open_positions]]``
    allows are interchangeable by construction (:mod:`scheduler.build`); a position that differs (a pin, other
    options) is left out of the order, which would otherwise cut off rosters that hire it alone.
    """
    previous: dict[tuple, int] = {}
    for a, agent in enumerate(problem.agents):
        if not agent.is_open_position or a not in mv.used:
            continue
        key = (agent.profile, agent.group, agent.options, agent.min_week_minutes, agent.max_week_minutes,
               agent.max_days_per_week, agent.max_days_week, tuple(sorted(agent.pinned.items())),
               agent.preferred_templates, agent.preferred_days_off, agent.target_week_minutes,
               tuple(sorted(agent.published.items())), agent.overtime_from_minutes)
        if key in previous:
            backend.add(mv.used[a] <= mv.used[previous[key]])
        previous[key] = a


def add_coverage(problem: ProblemData, backend: Backend, mv: ModelVars, *,
                 defer_team_breaks: bool = False) -> dict[tuple[int, int], list[Any]]:
    """Implicit breaks per (group, shift type), one queue per working agent, and coverage per queue.

    Returns the ``z`` terms of each (queue, interval), for under- and over-staffing. With ``defer_team_breaks``
    the rule "never all of a group on break at once" is kept in ``mv.team_breaks`` instead of added.
    """
    num_t = problem.num_intervals
    on_shift: dict[tuple[int, int], list[Any]] = defaultdict(list)
    on_break: dict[tuple[int, int], list[Any]] = defaultdict(list)
    away: dict[tuple[int, int], list[Any]] = defaultdict(list)
    group_size = defaultdict(int)
    for agent in problem.agents:
        group_size[agent.group] += 1
    for (g, key), members in mv.shift_types.items():
        start, length, template = key
        count = backend.sum([mv.x[m] for m in members])
        for t in range(max(start, 0), min(start + length, num_t)):
            on_shift[g, t].extend(mv.x[m] for m in members)
        if template < 0:
            continue
        bound = len(members)
        for r, spec in enumerate(problem.templates[template].breaks):
            position_vars = []
            for p in spec.offsets:
                var = backend.int_var(0, bound, f"brk_{g}_{start}_{length}_{template}_{r}_{p}")
                mv.brk[g, key, r, p] = var
                position_vars.append(var)
                for t in range(start + p, start + p + spec.length):
                    if 0 <= t < num_t:
                        # time away during a kept shift: off duty, but no break for the team rule
                        (away if spec.kind == TIME_AWAY else on_break)[g, t].append(var)
            backend.add(backend.sum(position_vars) == count)
    queue_terms: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for (g, t), shift_terms in on_shift.items():
        skills = problem.groups[g]
        bound = group_size[g]
        serving = []
        for q in skills:
            var = backend.int_var(0, bound, f"z_{g}_{q}_{t}")
            mv.z[g, q, t] = var
            serving.append(var)
            queue_terms[q, t].append(var)
        working = backend.sum(shift_terms)
        resting = backend.sum(on_break.get((g, t), []))
        backend.add(backend.sum(serving) == working - resting - backend.sum(away.get((g, t), [])))
        threshold = small_team_threshold(problem, g, t)
        if on_break.get((g, t)) and threshold is not None and bound >= threshold:
            # with two or more of a group on shift, never all of them on break at once
            several = backend.bool_var(f"several_{g}_{t}")
            mv.several[g, t] = several
            backend.add(working >= threshold * several)
            backend.add(working <= threshold - 1 + bound * several)
            if defer_team_breaks:
                mv.team_breaks[g, t] = (resting, working, several)
            else:
                backend.add(resting <= working - several)
    return queue_terms


def small_team_threshold(problem: ProblemData, g: int, t: int) -> int | None:
    """Agents of group ``g`` on shift in this problem from which, in interval ``t``, not all may be on break.

    2 normally; 1 when a colleague outside the problem (``ProblemData.outside_on_shift``) is on shift but
    on break then (one here already makes two); None when one outside is on a queue (the rule holds).
    """
    if problem.outside_on_shift is None:
        return 2
    shift = int(problem.outside_on_shift[g, t])
    resting = int(problem.outside_on_break[g, t]) if problem.outside_on_break is not None else 0
    if shift > resting:
        return None
    return 2 if shift == 0 else 1


def objective(problem: ProblemData, backend: Backend, mv: ModelVars,
              queue_terms: dict[tuple[int, int], list[Any]]) -> Any:
    """The weighted objective, in the units of :func:`scheduler.checker.objective_terms`."""
    w = problem.weights
    terms: list[Any] = []
    # surplus on a queue is at most the agents who can serve it (a tight bound also tightens the LP relaxation)
    able = [0] * problem.num_queues
    for agent in problem.agents:
        for q in problem.groups[agent.group]:
            able[q] += 1
    can_go_dark = problem.can_go_dark() if w.uncovered_queue else None
    for q in range(problem.num_queues):
        under_cost = 60 * w.under_staffing * problem.queue_priority[q]
        dark_cost = 60 * w.uncovered_queue * problem.queue_priority[q]
        for t in range(problem.num_intervals):
            demand = int(problem.demand[q, t])
            serving = queue_terms.get((q, t), [])
            if demand == 0 and not serving:
                continue
            under = backend.int_var(0, demand, f"under_{q}_{t}")
            over = backend.int_var(0, max(able[q], 1), f"over_{q}_{t}")
            mv.under[q, t], mv.over[q, t] = under, over
            backend.add(backend.sum(serving) + under - over == demand)
            if under_cost and demand:
                terms.append(under_cost * under)
            if dark_cost and can_go_dark is not None and can_go_dark[q, t]:
                # the demand's last missing agent (nobody on the queue) costs dark_cost more than the others
                dark = backend.int_var(0, 1, f"dark_{q}_{t}")
                mv.dark[q, t] = dark
                backend.add(under - dark <= demand - 1)
                terms.append(dark_cost * dark)
            if w.over_staffing:
                terms.append(6000 * w.over_staffing * over)
    weekends: list[Any] = []
    nights: list[Any] = []
    for a, used in mv.used.items():
        agent = problem.agents[a]
        hire_cost = w.open_position if agent.is_open_position else w.headcount
        if hire_cost:
            terms.append(6000 * hire_cost * used)
        for o, option in enumerate(agent.options):
            coefficient = 100 * w.paid_hour * option.paid_minutes
            unmet = int(option.day in agent.preferred_days_off) + int(
                bool(agent.preferred_templates) and option.template not in agent.preferred_templates)
            coefficient += 6000 * w.preference * unmet
            if w.roster_change and agent.published:
                coefficient += 6000 * w.roster_change * change_share(agent, o)
            if coefficient:
                terms.append(coefficient * mv.x[a, o])

        def worked(week: int, a: int = a, agent: AgentData = agent) -> Any:
            return backend.sum([opt.paid_minutes * mv.x[a, o] for o, opt in enumerate(agent.options)
                                if week * 7 <= opt.day < week * 7 + 7])

        if w.contract_deviation_hour and agent.target_week_minutes:
            for week, target in enumerate(agent.target_week_minutes):
                if target <= 0:
                    continue
                deviation = backend.int_var(0, target, f"dev_{a}_{week}")
                mv.deviation[a, week] = deviation
                backend.add(deviation >= target * used - worked(week))
                terms.append(100 * w.contract_deviation_hour * deviation)
        if w.overtime_hour and agent.overtime_from_minutes:  # minutes above the contract's week, at the premium
            for week, regular in enumerate(agent.overtime_from_minutes):
                if agent.max_week_minutes[week] <= regular:
                    continue
                overtime = backend.int_var(0, agent.max_week_minutes[week] - regular, f"overtime_{a}_{week}")
                mv.overtime[a, week] = overtime
                backend.add(overtime >= worked(week) - regular)
                terms.append(100 * w.overtime_hour * overtime)
        weekends.append([mv.x[a, o] for o, opt in enumerate(agent.options) if opt.is_weekend])
        nights.append([mv.x[a, o] for o, opt in enumerate(agent.options)
                       if opt.template >= 0 and problem.templates[opt.template].is_night])
    if w.roster_change:  # a re-plan's changes: each published shift's 1, and the options' shares (change_share)
        terms.append(6000 * w.roster_change * sum(published_shifts_count(agent) for agent in problem.agents))
    fairness = ((w.weekend_fairness, weekends, "max_weekend"), (w.night_fairness, nights, "max_night"))
    for weight, counts, name in fairness:
        if weight and any(counts):
            most = backend.int_var(0, problem.num_days, name)
            mv.most[name] = most
            for shifts in counts:
                if shifts:
                    backend.add(backend.sum(shifts) <= most)
            terms.append(6000 * weight * most)
    return backend.sum(terms)
