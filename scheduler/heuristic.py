"""A greedy first roster, given to CP-SAT as a hint.

On large plans CP-SAT alone may find only the empty roster within the time limit; a decent
start lets its large-neighbourhood search improve from there. Agents are taken specialists
first (the fewest queues, so rare languages are covered by those who can), and each agent
takes, one by one, the shift that covers the most remaining demand among their queues, within
their own hard rules (one shift a day, rest, weekly hours, days per week, consecutive days,
pins). An agent whose weekly minimum cannot be reached by useful shifts is left unscheduled.
Breaks are ignored here; the solver places them.
"""

from __future__ import annotations

import numpy as np

from scheduler.assignment import assign_queues
from scheduler.breaks import place_breaks
from scheduler.cpsat.agent_schedule import schedule_agent
from scheduler.problem import AgentData, ProblemData, ShiftOption

MIN_USEFUL_SHARE = 0.01  # never take a shift of which less than this share meets open demand
DEPTH_PREFERENCE = 0.2  # tie-break towards intervals missing several agents (share of one agent's gain)
REPICK_PASSES = 3  # rounds in which every scheduled agent re-picks against what the others leave


def greedy_roster(problem: ProblemData, option_bias: dict[int, np.ndarray] | None = None) -> dict[int, list[int]]:
    """Return agent index -> chosen option indices, feasible for every agent's hard rules.

    Pinned shifts are taken first, then an agent's hinted shifts (an earlier roster's) that the rules
    let in, then the shifts that meet the most open need. Pinned and hinted agents keep their picks
    when the others re-pick.

    Parameters
    ----------
    problem : ProblemData
        The problem.
    option_bias : dict, optional
        Agent index -> a score per option added to its gain (e.g. a multiple of the option's value in
        the LP relaxation, which knows where the whole team's shifts pay off most).

    Returns
    -------
    dict
        Options per scheduled agent.
    """
    residual = problem.demand.astype(float)
    priority = np.asarray(problem.queue_priority, dtype=float)
    w = problem.weights
    # a queue nobody serves yet (its whole demand open) is worth uncovered_queue more to its first agent
    first_bonus = w.uncovered_queue / w.under_staffing if w.uncovered_queue and w.under_staffing else 0.0
    can_go_dark = problem.can_go_dark()

    def fresh(skills: list[int]) -> np.ndarray | None:
        """Where each of ``skills`` is still dark (whole demand open): the cells worth ``first_bonus`` more."""
        if not first_bonus:
            return None
        return can_go_dark[skills] & (residual[skills] >= problem.demand[skills] - 1e-9)
    supply = np.zeros(problem.num_queues)
    for agent in problem.agents:
        supply[list(problem.groups[agent.group])] += 1
    scarcity = 1.0 / np.maximum(supply, 1)
    order = sorted(range(len(problem.agents)),  # named agents before open positions (hires cost more)
                   key=lambda a: (problem.agents[a].is_open_position, len(problem.groups[problem.agents[a].group]),
                                  -max(scarcity[list(problem.groups[problem.agents[a].group])]), a))
    chosen: dict[int, list[int]] = {}
    # the cells each scheduled agent was counted on: per shift, (queues, intervals, presence)
    served: dict[int, list[tuple[np.ndarray, np.ndarray, float]]] = {}

    def take(a: int, picks: list[int]) -> float:
        """Count agent ``a`` on ``picks``; return the priority-weighted need they met.

        In each interval of a shift the agent serves the skill whose need is open with the highest priority
        (the most open one among equals, the first among ties: numpy's argmax, as ``max`` would).
        """
        skills = list(problem.groups[problem.agents[a].group])
        skill_priority = priority[skills][:, None]
        cells: list[tuple[np.ndarray, np.ndarray, float]] = []
        met = 0.0
        for o in picks:
            option = problem.agents[a].options[o]
            presence = on_queue_share(problem, option)
            first, stop = max(option.start, 0), min(option.end, problem.num_intervals)
            if stop <= first:
                continue
            intervals = np.arange(first, stop)
            open_need = residual[skills, first:stop]
            queues = np.asarray(skills)[((open_need > 0) * skill_priority + 1e-6 * open_need).argmax(axis=0)]
            dark = (can_go_dark[queues, intervals] & (residual[queues, intervals] >= problem.demand[queues, intervals]
                                                      - 1e-9)) if first_bonus else np.zeros(len(queues), dtype=bool)
            for gain in (priority[queues] * np.minimum(np.maximum(residual[queues, intervals], 0.0), presence)
                         * (1.0 + first_bonus * dark)).tolist():
                met += gain  # one by one, in interval order: the same sum on every platform
            residual[queues, intervals] -= presence
            cells.append((queues, intervals, presence))
        served[a] = cells
        return met

    def release(a: int) -> None:
        for queues, intervals, presence in served.pop(a, []):
            residual[queues, intervals] += presence

    for a in order:
        agent = problem.agents[a]
        skills = list(problem.groups[agent.group])
        picks = _pick_for_agent(problem, agent, residual[skills], priority[skills] / priority.max(),
                                (option_bias or {}).get(a), fresh(skills), first_bonus)
        if picks:
            chosen[a] = picks
            take(a, picks)
    # best response: each agent in turn re-picks against what the others leave; kept when it meets more need
    for _ in range(REPICK_PASSES):
        changed = False
        for a in order:
            if a not in chosen or problem.agents[a].hint or any(o >= 0 for o in problem.agents[a].pinned.values()):
                continue  # pinned and hinted shifts stay
            agent = problem.agents[a]
            skills = list(problem.groups[agent.group])
            release(a)
            before = take(a, chosen[a])
            release(a)
            picks = _pick_for_agent(problem, agent, residual[skills], priority[skills] / priority.max(),
                                    (option_bias or {}).get(a), fresh(skills), first_bonus)
            after = take(a, picks) if picks else 0.0
            if after > before + 1e-9:
                chosen[a] = picks
                changed = True
            else:
                release(a)
                take(a, chosen[a])
        if not changed:
            break
    return chosen


def _pick_for_agent(problem: ProblemData, agent: AgentData, need: np.ndarray, weight: np.ndarray,
                    bias: np.ndarray | None = None, dark: np.ndarray | None = None,
                    first_bonus: float = 0.0) -> list[int]:
    """Greedy shifts for one agent against the remaining need of their queues (weighted by priority; a cell of
    ``dark``, a queue nobody serves yet, counts ``1 + first_bonus`` times, its ``uncovered_queue`` on top).

    When the weekly minimum cannot be reached that way (a contract whose minimum is close to
    its maximum leaves little room), the agent tries again with only the shifts long enough for
    ``max_days_per_week`` of them to reach the minimum, then also short enough for that many to
    stay within the maximum.
    """
    pinned = any(o >= 0 for o in agent.pinned.values())

    def done(picks: list[int]) -> bool:  # unscheduled, or within the weekly minimum (pinned agents must work)
        return (not picks and not pinned) or (bool(picks) and _meets_minimum(problem, agent,
                                                                           [agent.options[p] for p in picks]))

    picks = _pick_among(problem, agent, need, weight, agent.options, bias, dark, first_bonus)
    if (picks and done(picks)) or not agent.options:
        return picks
    days = max(agent.max_days_per_week, 1)
    floor = -(-max(agent.min_week_minutes, default=0) // days)
    if floor <= 0:
        return picks
    ceiling = min(agent.max_week_minutes, default=0) // days
    first = picks
    for low, high in ((floor, None), (floor, ceiling)):
        candidates = tuple(o if o.paid_minutes >= low and (high is None or o.paid_minutes <= high) else None
                           for o in agent.options)
        picks = _pick_among(problem, agent, need, weight, candidates, bias, dark, first_bonus)
        if picks and done(picks):
            return picks
    if not pinned:
        return picks
    # a pinned agent must work: picking one shift at a time left no room for the minimum, so solve the agent alone
    open_need = (np.clip(need, 0, None).max(axis=0) > 0).astype(float)
    cumulative = np.concatenate([[0.0], np.cumsum(open_need)])
    usefulness = [(cumulative[max(min(o.end, problem.num_intervals), max(o.start, 0))] - cumulative[max(o.start, 0)])
                  / max(o.length, 1) for o in agent.options]
    exact = schedule_agent(problem, agent, prefer=first, usefulness=usefulness)
    return exact if exact is not None else first


def on_queue_share(problem: ProblemData, option: ShiftOption) -> float:
    """The share of a shift its agent spends on the queues: breaks placed anywhere in it take the rest.

    The greedy counts a shift as this much of an agent in each of its intervals, so that it
    chooses enough shifts for the breaks to fit without leaving demand unmet.
    """
    if option.template < 0 or option.length <= 0:
        return 1.0
    off = sum(spec.length for spec in problem.templates[option.template].breaks)
    return max(0.0, 1.0 - off / option.length)


def useful_share(problem: ProblemData) -> float:
    """The share of a shift that must meet open demand for the shift to pay for itself.

    A shift of ``L`` intervals of which a share ``s`` meets need saves ``s·L`` missing
    agent-intervals (at the highest queue priority, as the greedy's gains are scaled to it) and
    costs ``L`` intervals of paid time plus ``(1 - s)·L`` surplus ones, so it pays when
    ``s >= (paid + over) / (under + over)`` per interval, never below :data:`MIN_USEFUL_SHARE`.
    """
    w = problem.weights
    under = 60 * w.under_staffing * max(problem.queue_priority, default=100)
    over = 6000 * w.over_staffing
    paid = 100 * w.paid_hour * problem.interval_minutes
    if under + over <= 0:
        return 1.0
    return min(1.0, max(MIN_USEFUL_SHARE, (paid + over) / (under + over)))


def _pick_among(problem: ProblemData, agent: AgentData, need: np.ndarray, weight: np.ndarray,
                candidates: tuple[ShiftOption | None, ...], bias: np.ndarray | None = None,
                dark: np.ndarray | None = None, first_bonus: float = 0.0) -> list[int]:
    """The greedy pick over the agent's options that are not None in ``candidates`` (gains plus ``bias``; a
    ``dark`` cell's one agent counts ``1 + first_bonus`` times)."""
    threshold = useful_share(problem)
    open_need = np.clip(need, 0, None)
    # one agent meets at most one missing agent per interval; among those, deeper holes come first
    met = open_need.clip(max=1.0)
    if dark is not None:
        met = met * (1.0 + first_bonus * dark)
    gain_per_interval = ((met + DEPTH_PREFERENCE * open_need / (1.0 + open_need))
                         * weight[:, None]).max(axis=0)
    cumulative = np.concatenate([[0.0], np.cumsum(gain_per_interval)])
    options = agent.options
    starts = np.array([max(o.start, 0) for o in options], dtype=int)
    ends = np.array([min(o.end, problem.num_intervals) for o in options], dtype=int)
    lengths = np.array([o.length for o in options], dtype=float)
    gains = (cumulative[np.maximum(ends, starts)] - cumulative[starts]) / np.maximum(lengths, 1)
    if bias is not None:
        gains = gains + bias
    gains[[c is None for c in candidates]] = -1.0  # never picked (below any threshold)
    picks: list[int] = [o for day, o in agent.pinned.items() if o >= 0]
    banned_days = {day for day, o in agent.pinned.items() if o < 0}
    for day, o in sorted(agent.hint.items()):  # an earlier roster's shifts first, where the rules let them in
        if day not in agent.pinned and candidates[o] is not None and fits(problem, agent, [options[p] for p in picks],
                                                                          options[o]):
            picks.append(o)
    for o in np.argsort(-gains, kind="stable"):
        if gains[o] < threshold:
            break
        if options[o].day not in banned_days and fits(problem, agent, [options[p] for p in picks], options[o]):
            picks.append(int(o))
    fixed = {o for o in agent.pinned.values() if o >= 0}
    if picks and not _meets_minimum(problem, agent, [options[p] for p in picks]):
        for i, p in enumerate(picks):  # lengthen picked shifts (same start, more paid time) where rules allow
            if p in fixed:
                continue  # a pinned shift stays as pinned
            longer = [o for o, opt in enumerate(options) if opt.day == options[p].day and opt.start == options[p].start
                      and opt.paid_minutes > options[p].paid_minutes and candidates[o] is not None]
            for o in sorted(longer, key=lambda o: -options[o].paid_minutes):
                others = [options[q] for q in picks if q != p]
                if fits(problem, agent, others, options[o]):
                    picks[i] = o
                    break
    if picks and not _meets_minimum(problem, agent, [options[p] for p in picks]):
        for o in np.argsort(-gains, kind="stable"):  # top up with the most useful remaining shifts
            if int(o) in picks or options[o].day in banned_days or candidates[o] is None:
                continue
            if fits(problem, agent, [options[p] for p in picks], options[o]):
                picks.append(int(o))
                if _meets_minimum(problem, agent, [options[p] for p in picks]):
                    break
        if not _meets_minimum(problem, agent, [options[p] for p in picks]) and not any(
                o >= 0 for o in agent.pinned.values()):
            return []
    return sorted(picks, key=lambda p: options[p].start)


def fits(problem: ProblemData, agent: AgentData, taken: list[ShiftOption], new: ShiftOption) -> bool:
    """Whether ``new`` can join ``taken`` within one shift a day, rest, weekly maximum, days per week and
    consecutive days (the agent's hard rules other than the weekly minimum)."""
    rest = problem.min_rest_intervals
    new_day, new_start = new.day, new.start
    new_end = new_start + new.length
    week = new_day // 7
    minutes, worked = new.paid_minutes, 1  # in the new shift's week
    days = {new_day}
    for other in taken:
        day, start = other.day, other.start
        if day == new_day:
            return False
        # the rest between the earlier shift's end and the later one's start
        if (new_start - start - other.length if start < new_start else start - new_end) < rest:
            return False
        if day // 7 == week:
            minutes += other.paid_minutes
            worked += 1
        days.add(day)
    if minutes > agent.max_week_minutes[week] or worked > agent.max_days_in_week(week):
        return False
    longest = problem.max_consecutive_days
    before = agent.days_worked_before  # days worked in a row up to the plan: a run from day 0 continues them
    if len(days) + before <= longest:  # no run can be longer than the days worked
        return True
    run = 0
    previous = None
    for day in sorted(days):
        run = run + 1 if previous is not None and day == previous + 1 else 1 + (before if day == 0 else 0)
        if run > longest:
            return False
        previous = day
    return True


def _meets_minimum(problem: ProblemData, agent: AgentData, taken: list[ShiftOption]) -> bool:
    """Whether every week reaches the agent's weekly minimum."""
    for week in range(problem.num_weeks):
        minutes = sum(o.paid_minutes for o in taken if o.day // 7 == week)
        if minutes < agent.min_week_minutes[week]:
            return False
    return True


def greedy_counts(problem: ProblemData, chosen: dict[int, list[int]], *,
                  offsets: dict[tuple[int, int], list[int]] | None = None) -> tuple[dict, dict]:
    """Break and queue counts for a chosen set of shifts, for :func:`scheduler.disaggregate.disaggregate`.

    Breaks go where they lose the least weighted demand (:func:`scheduler.breaks.place_breaks`)
    unless ``offsets`` gives them; in each interval the agents on duty are handed to queues by an
    exact min-cost flow (:func:`scheduler.assignment.assign_queues`).

    Parameters
    ----------
    problem : ProblemData
        The problem.
    chosen : dict
        Agent index -> option indices worked.
    offsets : dict, optional
        (agent, option) -> break start offsets of every worked shift.

    Returns
    -------
    tuple
        (break counts keyed (group, shift type, rule, offset), queue counts keyed (group, queue, interval)).
    """
    shifts = [(a, o) for a, picks in sorted(chosen.items()) for o in picks]
    if offsets is None:
        offsets = place_breaks(problem, shifts)
    breaks: dict[tuple[int, tuple[int, int, int], int, int], int] = {}
    on_duty = np.zeros((len(problem.groups), problem.num_intervals), dtype=np.int64)
    for a, o in shifts:
        option = problem.agents[a].options[o]
        g = problem.agents[a].group
        on_duty[g, max(option.start, 0):min(option.end, problem.num_intervals)] += 1
        for r, offset in enumerate(offsets[a, o]):
            key = (g, option.key, r, offset)
            breaks[key] = breaks.get(key, 0) + 1
        for t in problem.break_intervals(option, tuple(offsets[a, o])):
            if 0 <= t < problem.num_intervals:
                on_duty[g, t] -= 1
    return breaks, assign_queues(problem, on_duty)
