"""A lower bound that needs no solver: every required agent-interval is paid for or missed.

In each interval an agent serves at most one queue, and an agent serving a queue is on duty, so
paid for that interval. Each required agent-interval of queue ``q`` therefore costs at least the
cheaper of one interval of paid time and one missing agent-interval of ``q`` (its under-staffing
penalty); every other term of the objective is non-negative. Summed over the demand this is a
valid lower bound of every roster, weaker than the LP relaxation's optimum (which implies it) but
exact arithmetic: it stands in when a first-order LP solver stops too early to prove more.
"""

from __future__ import annotations

import numpy as np
from ortools.graph.python import max_flow

from scheduler.checker import OBJECTIVE_UNIT
from scheduler.covering_flow import skill_components
from scheduler.problem import ProblemData


def _unit_costs(problem: ProblemData) -> tuple[int, np.ndarray]:
    """One paid interval, and one missing agent-interval per queue, in model units as scheduler.checker counts."""
    w = problem.weights
    return (100 * w.paid_hour * problem.interval_minutes,
            60 * w.under_staffing * np.asarray(problem.queue_priority, dtype=np.int64))


def demand_floor(problem: ProblemData) -> float:
    """The bound ``sum over (q, t) of demand · min(paid interval, under-staffing of q)``, in plan units.

    Parameters
    ----------
    problem : ProblemData
        The problem.

    Returns
    -------
    float
        A lower bound of the objective of every feasible roster.
    """
    paid_interval, under = _unit_costs(problem)
    per_unit = np.minimum(paid_interval, under)
    total = int((problem.demand.astype(np.int64).sum(axis=1) * per_unit).sum())
    return total / OBJECTIVE_UNIT


def capacity_floor(problem: ProblemData) -> float:
    """:func:`demand_floor` plus the demand the agents cannot reach, priced at its under-staffing above paid time.

    For a set ``S`` of queues, the agents who may serve it can be on its queues at most: in an interval, one
    each if some shift of theirs covers it; in a plan day, one shift per local day of theirs, counted by its
    intervals inside that day less its breaks; over the horizon, per week the least of those shifts' working
    intervals, the week's paid maximum at their best ratio of working intervals to paid minutes, and their days
    per week times their longest shift. A maximum flow from the agents (horizon) through the days (per agent) to
    the demand (per day, no more than the sum over its intervals of the demand or the agents covering it,
    whichever is fewer) is the most of ``S``'s demand any roster meets; the rest is missed. Each missed
    agent-interval costs its under-staffing instead of the paid interval the demand floor counted, so the floor
    rises by the missed intervals times the difference (at the cheapest under-staffing of ``S``; nothing where that
    is not above a paid interval).

    The sets form a tree: each skill component, within it the queues of one language (the part of the queue's
    name before ``/``), within those each queue. A set's missed demand is at least its own bound and at least
    the sum of its parts' (which are disjoint), so the larger counts; the components add up. Checked against the
    exact optimum of 1,500 random tiny plans (``tests/scheduler/test_differential.py``).

    Parameters
    ----------
    problem : ProblemData
        The problem.

    Returns
    -------
    float
        A lower bound of the objective of every feasible roster, in plan units; at least :func:`demand_floor`.
    """
    paid_interval, under = _unit_costs(problem)
    if not problem.agents or not (under > paid_interval).any():
        return demand_floor(problem)
    reach = _AgentReach(problem)
    extra = 0.0
    for component in skill_components(problem):
        languages: dict[str, list[int]] = {}
        for q in component:
            languages.setdefault(problem.queue_names[q].split("/")[0], []).append(q)
        parts = 0.0
        for queues in languages.values():
            singles = sum(reach.missed_cost(problem, [q], under, paid_interval) for q in queues)
            parts += max(reach.missed_cost(problem, queues, under, paid_interval), singles) if len(queues) > 1 \
                else singles
        whole = reach.missed_cost(problem, component, under, paid_interval) if len(languages) > 1 else 0.0
        extra += max(whole, parts)
    return demand_floor(problem) + extra / OBJECTIVE_UNIT


class _AgentReach:
    """Per agent: intervals some shift covers, working intervals per plan day and over the horizon."""

    def __init__(self, problem: ProblemData) -> None:
        horizon = problem.num_intervals
        days = np.asarray(problem.day_of_interval) if len(problem.day_of_interval) == horizon else \
            np.minimum(np.arange(horizon) * problem.num_days // max(horizon, 1), problem.num_days - 1)
        bounds = np.flatnonzero(np.diff(days)) + 1
        self.window_start = np.concatenate([[0], bounds])
        self.window_end = np.concatenate([bounds, [horizon]])
        num_agents, num_windows = len(problem.agents), len(self.window_start)
        self.covers = np.zeros((num_agents, horizon), dtype=bool)
        self.day_capacity = np.zeros((num_agents, num_windows), dtype=np.int64)
        self.horizon_capacity = np.zeros(num_agents, dtype=np.int64)
        for a, agent in enumerate(problem.agents):
            if not agent.options:
                continue
            start = np.array([max(o.start, 0) for o in agent.options])
            end = np.array([min(o.end, horizon) for o in agent.options])
            off = np.array([sum(b.length for b in problem.templates[o.template].breaks) if o.template >= 0 else 0
                            for o in agent.options])
            working = np.maximum(np.minimum(end - start, np.array([o.length for o in agent.options]) - off), 0)
            day = np.array([o.day for o in agent.options])
            paid_minutes = np.array([o.paid_minutes for o in agent.options])
            step = np.zeros(horizon + 1, dtype=np.int64)
            np.add.at(step, start[end > start], 1)
            np.add.at(step, end[end > start], -1)
            self.covers[a] = np.cumsum(step)[:horizon] > 0
            overlap = np.maximum(np.minimum(end[:, None], self.window_end[None, :])
                                 - np.maximum(start[:, None], self.window_start[None, :]), 0)
            inside = np.minimum(overlap, working[:, None])
            for d in np.unique(day):  # one shift per local day: the best of that day's in each window
                self.day_capacity[a] += inside[day == d].max(axis=0)
            total = 0
            for week in range(problem.num_weeks):
                mine = (day // 7 == week) if week < problem.num_weeks - 1 else (day // 7 >= week)
                if not mine.any():
                    continue
                best_per_day = sum(int(working[mine & (day == d)].max()) for d in np.unique(day[mine]))
                paid = paid_minutes[mine]
                ratio = np.where(paid > 0, working[mine] / np.maximum(paid, 1), np.inf).max()
                by_hours = agent.max_week_minutes[week] * ratio if np.isfinite(ratio) else np.inf
                by_days = agent.max_days_in_week(week) * int(working[mine].max())
                total += int(min(best_per_day, np.floor(by_hours + 1e-9), by_days))
            self.horizon_capacity[a] = total
        self.group_of = np.array([agent.group for agent in problem.agents])

    def missed_cost(self, problem: ProblemData, queues: list[int], under: np.ndarray, paid_interval: int) -> float:
        """The least missed demand of ``queues`` (model units above paid time): the demand less a maximum flow.

        The flow runs from each agent who may serve a queue of the set (at most their horizon capacity) to each
        plan day (at most their capacity that day) to the day's demand, which also takes no more than the sum
        over its intervals of the demand or the agents whose shifts cover the interval, whichever is fewer.
        """
        price = float(under[queues].min()) - paid_interval
        if price <= 0:
            return 0.0
        serving = np.array([any(q in queues for q in problem.groups[g]) for g in range(len(problem.groups))])
        members = np.flatnonzero(serving[self.group_of]) if len(self.group_of) else np.zeros(0, dtype=int)
        demand = problem.demand[queues].astype(np.int64).sum(axis=0)
        reachable = np.minimum(demand, self.covers[members].sum(axis=0))
        flow = max_flow.SimpleMaxFlow()
        source, sink = 0, 1
        first_day = 2 + len(members)
        for k, (begin, end) in enumerate(zip(self.window_start, self.window_end, strict=True)):
            flow.add_arc_with_capacity(first_day + k, sink, int(reachable[begin:end].sum()))
        for i, a in enumerate(members):
            flow.add_arc_with_capacity(source, 2 + i, int(self.horizon_capacity[a]))
            for k in np.flatnonzero(self.day_capacity[a]):
                flow.add_arc_with_capacity(2 + i, first_day + int(k), int(self.day_capacity[a, k]))
        covered = flow.optimal_flow() if flow.solve(source, sink) == flow.OPTIMAL else int(reachable.sum())
        return price * max(int(demand.sum()) - covered, 0)
