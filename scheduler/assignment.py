"""Which queue each agent on duty serves: an exact min-cost flow per interval.

In one interval, agents of skill group ``g`` may serve any queue of the group; a queue's demand
is met up to its requirement, and agents beyond every requirement are surplus. Meeting the most
priority-weighted demand is a transportation problem (groups -> queues -> sink) that a greedy
hand-out gets wrong as soon as skill sets overlap: a multi-skill agent taken by one queue may be
the only one who could have served another. All intervals are solved together as one min-cost
flow (disjoint per interval) with OR-Tools' network-flow solver, so the hand-out is optimal for
the given agents on duty.
"""

from __future__ import annotations

import numpy as np
from ortools.graph.python import min_cost_flow

from scheduler.problem import ProblemData


def assign_queues(problem: ProblemData, on_duty: np.ndarray) -> dict[tuple[int, int, int], int]:
    """Hand each interval's agents on duty (per skill group) to queues, meeting the most weighted demand.

    Parameters
    ----------
    problem : ProblemData
        The problem.
    on_duty : numpy.ndarray
        ``(num_groups, num_intervals)`` agents of each group on a queue (not on break).

    Returns
    -------
    dict
        (group, queue, interval) -> agents serving. Every agent on duty is handed out: agents beyond
        the demand of all their queues serve the queue of their skills listed first.

    Notes
    -----
    Nodes are one per (group, interval) with agents on duty, one per (queue, interval) and one sink.
    A queue node sends to the sink up to its demand at cost ``-priority`` and any surplus at cost 0,
    so the minimum-cost flow meets the most priority-weighted demand (an optimum of the interval's
    transportation problem; the flow solver is exact on integers). With an ``uncovered_queue`` weight the
    demand's arc is split: one unit at ``-(under_staffing + uncovered_queue) · priority`` and the rest at
    ``-under_staffing · priority`` (a convex cost, so the flow takes the dearer unit first and it carries
    flow exactly when the queue has someone): still exact for the two terms.
    """
    num_groups, num_intervals = on_duty.shape
    num_queues = problem.num_queues
    if num_groups == 0 or num_intervals == 0 or not on_duty.any():
        return {}
    group_nodes = np.arange(num_groups * num_intervals).reshape(num_groups, num_intervals)
    queue_base = num_groups * num_intervals
    queue_nodes = queue_base + np.arange(num_queues * num_intervals).reshape(num_queues, num_intervals)
    sink = queue_base + num_queues * num_intervals
    tails, heads, capacities, costs, keys = [], [], [], [], []
    for g, queues in enumerate(problem.groups):
        busy = np.flatnonzero(on_duty[g] > 0)
        for q in queues:
            tails.append(group_nodes[g, busy])
            heads.append(queue_nodes[q, busy])
            capacities.append(on_duty[g, busy])
            costs.append(np.zeros(len(busy), dtype=np.int64))
            keys.append((g, q, busy))
    priority = np.asarray(problem.queue_priority, dtype=np.int64)
    demand = problem.demand.astype(np.int64)
    total = int(on_duty.sum())
    w = problem.weights
    dark = problem.can_go_dark() if w.uncovered_queue else np.zeros(demand.shape, dtype=bool)
    for q in range(num_queues):
        if w.uncovered_queue:  # in the objective's ratio: under_staffing per agent met, uncovered_queue for the first
            plain, first = max(w.under_staffing * int(priority[q]), 1), w.uncovered_queue * int(priority[q])
        else:
            plain, first = max(int(priority[q]), 1), 0
        wanted = np.flatnonzero(demand[q] > 0)
        lone = wanted[dark[q, wanted]]  # the first agent of a queue nobody outside serves: worth `first` more
        tails += [queue_nodes[q, wanted], queue_nodes[q, lone], queue_nodes[q]]
        heads += [np.full(len(wanted), sink), np.full(len(lone), sink), np.full(num_intervals, sink)]
        capacities += [demand[q, wanted] - dark[q, wanted], np.ones(len(lone), dtype=np.int64),
                       np.full(num_intervals, total)]
        costs += [np.full(len(wanted), -plain), np.full(len(lone), -(plain + first)),
                  np.zeros(num_intervals, dtype=np.int64)]
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails).astype(np.int32), np.concatenate(heads).astype(np.int32),
        np.concatenate(capacities).astype(np.int64), np.concatenate(costs).astype(np.int64))
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[: queue_base] = on_duty.astype(np.int64).ravel()
    supplies[sink] = -total
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:  # cannot happen: every agent has a surplus arc; fail loudly rather than mis-assign
        raise RuntimeError(f"queue assignment flow returned status {status}")
    served = flow.flows(np.arange(sum(len(k[2]) for k in keys), dtype=np.int32))
    result: dict[tuple[int, int, int], int] = {}
    position = 0
    for g, q, busy in keys:
        for t, count in zip(busy.tolist(), served[position: position + len(busy)].tolist(), strict=True):
            if count:
                result[g, q, t] = int(count)
        position += len(busy)
    return result
