"""The covering relaxation as a min-cost flow: a fast lower bound, and the exact roster of one-queue plans.

Forget which agent works which shift and every per-agent rule, and keep only what the shifts
cover: how many shifts of each span (start, end, local day) are worked. Over all queues together,
``under_t ≥ D_t − W_t`` and ``over_t ≥ W_t − D_t``, where ``D_t`` is the demand of interval ``t``
summed over queues and ``W_t`` the shifts spanning it (every agent on duty and not on break
serves one queue, so the queues' surpluses add up to at least ``W_t − D_t``). Written as equalities
``W_t + under_t − over_t = D_t``, every column is an interval of consecutive rows; subtracting each
row from the next turns the system into the node balances of a network, where a shift ``[s, e)``
is an arc ``s → e``, a missing agent-interval an arc ``t → t + 1`` and a surplus one an arc
``t + 1 → t`` (the classic transformation of an interval matrix, which is totally unimodular). The
minimum-cost flow is therefore the integer optimum of the relaxation, found exactly by OR-Tools'
network simplex in milliseconds, and every roster costs at least as much:

* shifts cost their paid time, the cheapest among agents who may work that span that day;
* a missing agent-interval costs the under-staffing penalty of the cheapest queue wanting one;
* a surplus one costs the over-staffing penalty, or nothing when some shift has breaks (a shift's
  span then over-counts its coverage, which only lowers the under-staffing term);
* headcount: every scheduled agent works at most one shift a day, at most ``M_w`` paid minutes and
  ``D`` days in week ``w`` (the most any agent may), so heads ``≥ N_d``, ``≥ P_w / M_w`` and
  ``≥ N_w / D`` for every day and week, hence ``≥`` any convex combination of them, which is linear
  in the shifts and goes onto the arcs' costs (a Lagrangian relaxation; the weights are improved
  by a few exponentiated-gradient steps and the best bound is kept). Costs are rounded down, so the
  bound stays valid;
* no span is worked more often than by every agent who may work it that day;
* queues no skill group links (languages nobody shares, say) are separate problems: their bounds add up.

On a plan with one queue and no breaks the relaxation's only slack is the per-agent rules, so
:func:`exact_roster` hands the flow's shifts to agents (earliest start first, each to an agent who
may work it); when the checked roster's objective equals the flow's, it is proven optimal.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np
from ortools.graph.python import min_cost_flow

from scheduler.checker import OBJECTIVE_UNIT
from scheduler.problem import ProblemData

#: Exponentiated-gradient steps on the headcount multipliers (each one min-cost flow).
HEADCOUNT_STEPS = 12
#: Step size of those steps, relative to the largest headcount component.
HEADCOUNT_STEP_SIZE = 1.0


@dataclass(frozen=True)
class Spans:
    """The distinct shifts of a problem as the relaxation sees them.

    Attributes
    ----------
    start, end : numpy.ndarray
        Span clipped to the horizon, ``0 ≤ start < end ≤ num_intervals``.
    day, week : numpy.ndarray
        Local day of the shift start, and its horizon week.
    paid_minutes : numpy.ndarray
        The cheapest paid time among the options of this span and day.
    cost : numpy.ndarray
        Paid time in model units.
    workers : tuple of tuple of (int, int)
        (agent, option index) pairs that work this span at its cheapest.
    num_able : numpy.ndarray
        Agents who may work this span that day (one shift a day each: the most shifts of the span).
    """

    start: np.ndarray
    end: np.ndarray
    day: np.ndarray
    week: np.ndarray
    paid_minutes: np.ndarray
    cost: np.ndarray
    workers: tuple[tuple[tuple[int, int], ...], ...]
    num_able: np.ndarray


@dataclass(frozen=True)
class FlowSolution:
    """The relaxation's optimum for given arc costs.

    Attributes
    ----------
    cost : int
        Minimum total cost, model units.
    shifts : numpy.ndarray
        Shifts worked per span (index into :class:`Spans`).
    """

    cost: int
    shifts: np.ndarray


def spans_of(problem: ProblemData) -> Spans:
    """Collect the distinct (clipped span, day) shifts over all agents, each at its cheapest paid time."""
    horizon = problem.num_intervals
    sharing: dict[int, list[int]] = {}  # agents with the very same options (anonymous agents, open positions)
    for a, agent in enumerate(problem.agents):
        sharing.setdefault(id(agent.options), []).append(a)
    cheapest: dict[tuple[int, int, int], tuple[int, list[tuple[int, int]]]] = {}
    able: dict[tuple[int, int, int], set[int]] = {}  # agents who may work the span that day, at any paid time
    for agents in sharing.values():
        for o, option in enumerate(problem.agents[agents[0]].options):
            start, end = max(option.start, 0), min(option.start + option.length, horizon)
            if end <= start:
                continue
            key = (start, end, option.day)
            able.setdefault(key, set()).update(agents)
            best = cheapest.get(key)
            if best is None or option.paid_minutes < best[0]:
                cheapest[key] = (option.paid_minutes, [(a, o) for a in agents])
            elif option.paid_minutes == best[0]:
                best[1].extend((a, o) for a in agents)
    keys = sorted(cheapest)
    start = np.array([k[0] for k in keys], dtype=np.int64)
    end = np.array([k[1] for k in keys], dtype=np.int64)
    day = np.array([k[2] for k in keys], dtype=np.int64)
    paid = np.array([cheapest[k][0] for k in keys], dtype=np.int64)
    return Spans(start, end, day, day // 7, paid, paid * 100 * problem.weights.paid_hour,
                 tuple(tuple(cheapest[k][1]) for k in keys), np.array([len(able[k]) for k in keys], dtype=np.int64))


def _any_breaks(problem: ProblemData) -> bool:
    return any(t.breaks for t in problem.templates)


def solve_flow(problem: ProblemData, spans: Spans, extra_cost: np.ndarray | None = None) -> FlowSolution:
    """Solve the covering relaxation exactly, with ``extra_cost`` (model units, per span) added to the paid time.

    Parameters
    ----------
    problem : ProblemData
        The problem.
    spans : Spans
        Its distinct shifts (:func:`spans_of`).
    extra_cost : numpy.ndarray, optional
        Non-negative extra cost per span (the headcount multipliers), rounded down.

    Returns
    -------
    FlowSolution
        The optimum.
    """
    horizon = problem.num_intervals
    demand = problem.demand.astype(np.int64)
    total_demand = demand.sum(axis=0)
    w = problem.weights
    priority = np.asarray(problem.queue_priority, dtype=np.int64)[:, None]
    wanted_priority = np.where(demand > 0, priority, np.iinfo(np.int64).max).min(axis=0)
    under_cost = np.where(total_demand > 0, 60 * w.under_staffing * np.minimum(wanted_priority, 10**9), 0)
    over_cost = 0 if _any_breaks(problem) else 60 * 100 * w.over_staffing
    most = int(total_demand.max(initial=0))
    shift_cost = spans.cost if extra_cost is None else spans.cost + np.floor(extra_cost).astype(np.int64)
    t = np.arange(horizon, dtype=np.int64)
    tails = np.concatenate([spans.start, t, t + 1])
    heads = np.concatenate([spans.end, t + 1, t])
    # a roster has at most one agent on duty per agent, so no interval's surplus exceeds the headcount, and
    # no span is worked more often than by every agent who may work it (capping there keeps every roster
    # feasible); no optimum works more shifts of one span than the peak demand (one fewer would cost less
    # and miss nothing)
    capacity = np.concatenate([np.minimum(spans.num_able, most), total_demand,
                               np.full(horizon, max(len(problem.agents), most))])
    costs = np.concatenate([shift_cost, under_cost, np.full(horizon, over_cost)])
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails.astype(np.int32), heads.astype(np.int32),
                                              capacity.astype(np.int64), costs.astype(np.int64))
    supplies = np.diff(np.concatenate([[0], total_demand, [0]]))
    flow.set_nodes_supplies(np.arange(horizon + 1, dtype=np.int32), supplies.astype(np.int64))
    status = flow.solve()
    if status != flow.OPTIMAL:  # cannot happen: the under-staffing arcs alone carry every supply
        raise RuntimeError(f"covering flow returned status {status}")
    shifts = flow.flows(np.arange(len(spans.start), dtype=np.int32))
    return FlowSolution(int(flow.optimal_cost()), np.asarray(shifts, dtype=np.int64))


def _headcount_components(problem: ProblemData, spans: Spans) -> np.ndarray:
    """``(components, spans)``: what one shift adds to each linear lower bound of the headcount."""
    num_days, num_weeks = problem.num_days, problem.num_weeks
    most_minutes = np.array([max((a.max_week_minutes[w] for a in problem.agents), default=1) or 1
                             for w in range(num_weeks)], dtype=float)
    most_days = max((a.max_days_per_week for a in problem.agents), default=7) or 1
    rows = np.zeros((num_days + 2 * num_weeks, len(spans.start)))
    columns = np.arange(len(spans.start))
    inside = spans.day < num_days
    rows[spans.day[inside], columns[inside]] = 1.0  # heads >= shifts on day d
    week = np.minimum(spans.week, num_weeks - 1)
    rows[num_days + week, columns] = spans.paid_minutes / most_minutes[week]  # heads >= P_w / M_w
    rows[num_days + num_weeks + week, columns] = 1.0 / most_days  # heads >= N_w / D
    return rows


def skill_components(problem: ProblemData) -> list[list[int]]:
    """Queues grouped so that no skill group spans two groups of queues (connected components, in order).

    Agents of one component never serve another's queues, and each objective term except the two
    fairness maxima (non-negative, left out of the bound) is a sum over agents and queues, so the
    components' bounds add up.
    """
    parent = list(range(problem.num_queues))

    def root(q: int) -> int:
        while parent[q] != q:
            parent[q] = parent[parent[q]]
            q = parent[q]
        return q

    for queues in problem.groups:
        for q in queues[1:]:
            parent[root(q)] = root(queues[0])
    components: dict[int, list[int]] = {}
    for q in range(problem.num_queues):
        components.setdefault(root(q), []).append(q)
    return list(components.values())


def component_problems(problem: ProblemData) -> list[ProblemData]:
    """The plan cut along its :func:`skill_components`: per component, its agents and only its queues' demand.

    A plan of one component is returned as it is.
    """
    components = skill_components(problem)
    if len(components) == 1:
        return [problem]
    parts = []
    for queues in components:
        inside = np.zeros(problem.num_queues, dtype=bool)
        inside[queues] = True
        members = tuple(agent for agent in problem.agents if inside[list(problem.groups[agent.group])].all())
        parts.append(replace(problem, agents=members, demand=np.where(inside[:, None], problem.demand, 0)))
    return parts


def covering_bound(problem: ProblemData, spans: Spans | None = None, base: FlowSolution | None = None, *,
                   deadline: float | None = None) -> float:
    """A lower bound of every roster's objective, in plan units: the sum of :func:`component_bound` over
    :func:`component_problems` (``spans`` and ``base`` are used when the plan is one component; ``deadline`` as
    there)."""
    parts = component_problems(problem)
    if len(parts) == 1:
        return component_bound(problem, spans, base, deadline=deadline)
    return sum(component_bound(part, deadline=deadline) for part in parts)


def component_bound(problem: ProblemData, spans: Spans | None = None, base: FlowSolution | None = None, *,
                    deadline: float | None = None) -> float:
    """The covering flow's bound of the whole problem, all queues together (see the module notes).

    Parameters
    ----------
    problem : ProblemData
        The problem.
    spans : Spans, optional
        Its distinct shifts, when already collected.
    base : FlowSolution, optional
        :func:`solve_flow` without extra costs, when already solved.
    deadline : float, optional
        ``time.perf_counter()`` value after which no more headcount multipliers are tried: the bound is then the
        best of the flows solved so far, still valid. A safety net for plans whose flows are slow (a 6-week plan
        on the 15-minute grid: 0.47 s a flow, 23 s for all of them); the benchmarks' bounds take under 3% of
        their limits and never reach it.

    Returns
    -------
    float
        The bound.
    """
    spans = spans_of(problem) if spans is None else spans
    base = solve_flow(problem, spans) if base is None else base
    per_head = 60 * 100 * min(problem.weights.headcount, problem.weights.open_position)
    if per_head <= 0 or len(spans.start) == 0:
        return base.cost / OBJECTIVE_UNIT
    components = _headcount_components(problem, spans)
    num_days, num_weeks = problem.num_days, problem.num_weeks
    families = [np.r_[np.ones(num_days) / num_days, np.zeros(2 * num_weeks)],  # heads >= mean shifts per day
                np.r_[np.zeros(num_days), np.ones(num_weeks) / num_weeks, np.zeros(num_weeks)],  # mean P_w / M_w
                np.r_[np.zeros(num_days + num_weeks), np.ones(num_weeks) / num_weeks]]  # mean N_w / D
    best, weights = base.cost, families[0]

    def late() -> bool:
        return deadline is not None and time.perf_counter() >= deadline

    for family in families:  # the steps start from the best of the three families
        if late():
            break
        cost = solve_flow(problem, spans, per_head * (family @ components)).cost
        if cost > best:
            best, weights = cost, family
    weights = 0.9 * weights + 0.1 / len(weights)
    for _ in range(HEADCOUNT_STEPS):
        if late():
            break
        solution = solve_flow(problem, spans, per_head * (weights @ components))
        best = max(best, solution.cost)
        values = components @ solution.shifts
        scale = values.max()
        if scale <= 0:
            break
        weights = weights * np.exp(HEADCOUNT_STEP_SIZE * values / scale)
        weights /= weights.sum()
    return best / OBJECTIVE_UNIT


def exact_applies(problem: ProblemData) -> bool:
    """Whether the relaxation can be exact: one queue, no breaks, no pinned shifts."""
    return (problem.num_queues == 1 and not _any_breaks(problem)
            and not any(agent.pinned for agent in problem.agents))


def exact_roster(problem: ProblemData, spans: Spans, solution: FlowSolution) -> dict[int, list[int]] | None:
    """Hand the flow's shifts to agents who may work them; None when some shift finds nobody.

    Shifts go out earliest start first (longest first on ties), each to the eligible agent with the
    fewest days in that week so far, preferring agents already scheduled when heads cost something.
    Eligible: the agent has the option, is free that day, rests ``min_rest_intervals`` after their
    last shift, stays within the week's paid minutes and days and the consecutive-days limit. At the
    end every scheduled agent must reach their weekly minimum.

    Returns
    -------
    dict or None
        Agent -> option indices worked.
    """
    order = sorted(np.flatnonzero(solution.shifts).tolist(),
                   key=lambda k: (int(spans.start[k]), -int(spans.end[k])))
    prefer_used = problem.weights.headcount > 0
    agents = problem.agents
    num_weeks = problem.num_weeks
    rest = problem.min_rest_intervals
    check_runs = (problem.max_consecutive_days < problem.num_days
                  or any(agent.days_worked_before for agent in problem.agents))
    last_end = [-(10**9)] * len(agents)
    days: list[set[int]] = [set() for _ in agents]
    week_minutes = [[0] * num_weeks for _ in agents]
    week_days = [[0] * num_weeks for _ in agents]
    chosen: dict[int, list[int]] = {}
    for k in order:
        day = int(spans.day[k])
        week = min(day // 7, num_weeks - 1)
        for _ in range(int(solution.shifts[k])):
            best: tuple[tuple[int, int, int], int, int] | None = None
            for a, o in spans.workers[k]:
                option = agents[a].options[o]
                if (day in days[a] or last_end[a] + rest > option.start
                        or week_minutes[a][week] + option.paid_minutes > agents[a].max_week_minutes[week]
                        or week_days[a][week] >= agents[a].max_days_in_week(week)):
                    continue
                if check_runs and (_run_length(days[a], day, agents[a].days_worked_before)
                                   > problem.max_consecutive_days):
                    continue
                rank = (0 if (a in chosen or not prefer_used) else 1, week_days[a][week], a)
                if best is None or rank < best[0]:
                    best = (rank, a, o)
            if best is None:
                return None
            _, a, o = best
            option = agents[a].options[o]
            chosen.setdefault(a, []).append(o)
            days[a].add(day)
            last_end[a] = max(last_end[a], option.start + option.length)
            week_minutes[a][week] += option.paid_minutes
            week_days[a][week] += 1
    for a in chosen:
        if any(week_minutes[a][w] < agents[a].min_week_minutes[w] for w in range(num_weeks)):
            return None
    return {a: sorted(options, key=lambda o: agents[a].options[o].start) for a, options in chosen.items()}


def _run_length(days: set[int], day: int, worked_before: int = 0) -> int:
    """Consecutive working days through ``day`` if it were added (a run from day 0 continues the ``worked_before``
    days worked in a row up to the plan)."""
    before = 0
    while day - before - 1 in days:
        before += 1
    after = 0
    while day + after + 1 in days:
        after += 1
    return before + 1 + after + (worked_before if day - before == 0 else 0)
