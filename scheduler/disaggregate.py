"""Turn the solver's counts back into a roster of named agents.

The model decides which shift each agent works (``x``), and per skill group and shift type how
many agents take each break position (``brk``) and how many serve each queue per interval
(``z``). Agents of a group with the same shift are interchangeable, so any hand-out of the
counts gives a roster with exactly the solver's coverage; queues are handed out so that an
agent keeps the queue they served in the previous interval when the counts allow (fewer
switches for the agent).
"""

from __future__ import annotations

from collections import defaultdict

from scheduler.problem import ProblemData
from scheduler.roster import OFF_QUEUE, Assignment, Roster


def disaggregate(problem: ProblemData, chosen: dict[int, list[int]],
                 break_counts: dict[tuple[int, tuple[int, int, int], int, int], int],
                 queue_counts: dict[tuple[int, int, int], int]) -> Roster:
    """Build the roster from the solver's values.

    Parameters
    ----------
    problem : ProblemData
        The problem.
    chosen : dict
        Agent index -> option indices worked.
    break_counts : dict
        (group, shift type, break rule, offset) -> agents taking that break there.
    queue_counts : dict
        (group, queue, interval) -> agents serving that queue.

    Returns
    -------
    Roster
        One :class:`Assignment` per worked shift, in agent order.
    """
    offsets: dict[tuple[int, int], list[int]] = {}
    by_type: dict[tuple[int, tuple[int, int, int]], list[tuple[int, int]]] = defaultdict(list)
    for a, options in sorted(chosen.items()):
        for o in options:
            option = problem.agents[a].options[o]
            by_type[problem.agents[a].group, option.key].append((a, o))
    for (g, key), members in by_type.items():
        template = key[2]
        specs = problem.templates[template].breaks if template >= 0 else ()
        for member in members:
            offsets[member] = []
        for r, spec in enumerate(specs):
            pool = [p for p in spec.offsets for _ in range(break_counts.get((g, key, r, p), 0))]
            if len(pool) != len(members):  # the solver's counts always match; keep the roster whole if not
                pool = (pool + [spec.offsets[0]] * len(members))[: len(members)]
            for member, p in zip(members, pool, strict=True):
                offsets[member].append(p)
    # queues: walk the intervals, handing each group's counts to its agents on duty
    on_duty: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    queues: dict[tuple[int, int], list[int]] = {}
    for (a, o), member_offsets in offsets.items():
        option = problem.agents[a].options[o]
        breaks = set(problem.break_intervals(option, tuple(member_offsets)))
        queues[a, o] = [OFF_QUEUE] * option.length
        for k in range(option.length):
            t = option.start + k
            if 0 <= t < problem.num_intervals and t not in breaks:
                on_duty[problem.agents[a].group, t].append((a, o))
    last_queue: dict[tuple[int, int], int] = {}
    for (g, t) in sorted(on_duty, key=lambda gt: (gt[1], gt[0])):
        members = on_duty[g, t]
        remaining = {q: queue_counts.get((g, q, t), 0) for q in problem.groups[g]}
        unassigned = []
        for member in members:
            previous = last_queue.get(member)
            if previous is not None and remaining.get(previous, 0) > 0:
                remaining[previous] -= 1
                queues[member][t - problem.agents[member[0]].options[member[1]].start] = previous
            else:
                unassigned.append(member)
        for member in unassigned:
            queue = next((q for q in problem.groups[g] if remaining[q] > 0), problem.groups[g][0])
            remaining[queue] = remaining.get(queue, 0) - 1
            queues[member][t - problem.agents[member[0]].options[member[1]].start] = queue
            last_queue[member] = queue
        for member in members:
            k = t - problem.agents[member[0]].options[member[1]].start
            last_queue[member] = queues[member][k]
    assignments = [Assignment(a, o, tuple(offsets[a, o]), tuple(queues[a, o])) for a, o in sorted(offsets)]
    return Roster(tuple(assignments))
