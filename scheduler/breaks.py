"""Break placement for a fixed set of shifts, judged by the exact demand each placement loses.

Given the shifts worked, every break rule of every shift must start at one of its allowed
offsets. A break takes its agent off the queues; what that costs depends on the whole interval:
it is free where the agent's skill groups have an agent to spare (directly, or through a chain
of multi-skill agents moving over), and costs the priority of the demand left unmet otherwise.
:class:`CoverValue` computes that exactly per interval (a priority-ordered augmenting-path
matching of agents to queues, optimal by the matroid exchange property), and
:func:`place_breaks` puts each break where it loses least, then re-places every break against
all the others until no move helps. The rule that a skill group of two or more on shift is never
all on break at once is kept throughout.
"""

from __future__ import annotations

import time
from collections import deque

import numpy as np

from scheduler.problem import ProblemData
from scheduler.work_limits import note_clock_stop

IMPROVEMENT_PASSES = 3  # rounds of re-placing every break against the others
TEAM_PASSES = 3  # more rounds while a break leaves a team all on break (each re-places the breaks in its way)
MAX_UNTANGLED_BREAKS = 24  # a search over the breaks around a team all on break takes at most this many breaks
MAX_UNTANGLE_NODES = 20_000  # and stops after this many steps


class CoverValue:
    """The most priority-weighted demand the agents on duty can meet, per interval.

    With an ``uncovered_queue`` weight the first agent of a queue nobody else serves is worth more (its under-staffing
    and its uncovered-queue cost) than the next ones: values are then in the objective's ratio, and
    :attr:`unit_cost` turns one unit of value into model units either way.

    Parameters
    ----------
    problem : ProblemData
        The problem (skill groups, demand, queue priorities).

    Notes
    -----
    Values are memoised per interval and vector of agents on duty, so re-evaluating an unchanged
    interval is a dictionary lookup.
    """

    def __init__(self, problem: ProblemData) -> None:
        self._groups = [tuple(queues) for queues in problem.groups]
        self._groups_of_queue: list[list[int]] = [[] for _ in range(problem.num_queues)]
        for g, queues in enumerate(self._groups):
            for q in queues:
                self._groups_of_queue[q].append(g)
        for groups in self._groups_of_queue:  # specialists first: fewer agents to move over afterwards
            groups.sort(key=lambda g: (len(self._groups[g]), g))
        w = problem.weights
        if w.uncovered_queue:  # values in the objective's ratio: under_staffing per agent met, and uncovered_queue
            plain = [max(w.under_staffing * int(p), 1) for p in problem.queue_priority]  # more for a queue's first
            first = [plain[q] + w.uncovered_queue * int(p) for q, p in enumerate(problem.queue_priority)]
            #: Model units of one unit of :meth:`value` (:func:`scheduler.checker.objective_terms`).
            self.unit_cost = 60
        else:
            plain = [max(int(p), 1) for p in problem.queue_priority]
            first = plain
            self.unit_cost = 60 * w.under_staffing
        # per interval, the queues wanting agents as (queue, agents, value of each): a queue nobody outside the
        # problem serves comes twice, its first agent at its dearer value, then the rest; all in decreasing value
        # (each agent of demand is an element of a transversal matroid, so the greedy by value stays optimal).
        # Plain ints, read once here rather than from the array on every computed value
        dark = problem.can_go_dark() if w.uncovered_queue else np.zeros(problem.demand.shape, dtype=bool)
        by_interval = problem.demand.astype(np.int64).T.tolist()
        lone = dark.T.tolist()
        self._needs = []
        for row, alone in zip(by_interval, lone, strict=True):
            needs = []
            for q, wanted in enumerate(row):
                if wanted > 0 and alone[q]:
                    needs.append((q, 1, first[q]))
                    if wanted > 1:
                        needs.append((q, wanted - 1, plain[q]))
                elif wanted > 0:
                    needs.append((q, wanted, plain[q]))
            needs.sort(key=lambda need: (-need[2], need[0]))
            self._needs.append(needs)
        self._full = [sum(wanted * value for _, wanted, value in needs) for needs in self._needs]
        self._memo: list[dict[tuple[int, ...], int]] = [{} for _ in range(problem.num_intervals)]
        self.lookups = 0  # values asked for, and those computed (not memoised): the work done, for work limits
        self.computes = 0

    def full(self, t: int) -> int:
        """The value of meeting all of interval ``t``'s demand."""
        return self._full[t]

    def value(self, t: int, on_duty: tuple[int, ...]) -> int:
        """Priority-weighted demand met in interval ``t`` by ``on_duty[g]`` agents of each group."""
        memo = self._memo[t]
        found = memo.get(on_duty)
        self.lookups += 1
        if found is None:
            self.computes += 1
            found = self._compute(t, on_duty)
            if len(memo) > 4096:  # an interval revisited with many count vectors: keep memory bounded
                memo.clear()
            memo[on_duty] = found
        return found

    def gain(self, t: int, on_duty: list[int], g: int) -> int:
        """Priority-weighted demand one more agent of group ``g`` meets in interval ``t``:
        ``value(t, on_duty + one of g) - value(t, on_duty)``.

        Where the agents on duty already meet all of the interval's demand, nobody can add to it, so the
        answer is 0 without the second value (most intervals of a staffed roster). ``on_duty`` is left as it was.
        """
        now = self.value(t, tuple(on_duty))
        if now >= self._full[t]:
            return 0
        on_duty[g] += 1
        more = self.value(t, tuple(on_duty))
        on_duty[g] -= 1
        return more - now

    def _compute(self, t: int, on_duty: tuple[int, ...]) -> int:
        free = list(on_duty)
        spare = sum(free)  # agents not yet handed out: with none left, no chain of moves can help
        flow: list[dict[int, int]] = [{} for _ in free]
        dead: set[int] = set()  # queues no chain of moves can serve any more (see _augment)
        value = 0
        groups_of_queue = self._groups_of_queue
        for q, wanted, priority in self._needs[t]:
            if not spare:  # everyone is handed out: no later queue can be served
                break
            need = wanted
            for h in groups_of_queue[q]:  # direct hand-out first (q comes up twice with a dearer first agent)
                have = free[h]
                if have:
                    take = have if have < need else need
                    free[h] = have - take
                    spare -= take
                    flow[h][q] = flow[h].get(q, 0) + take
                    need -= take
                    if not need:
                        break
            if need and spare and q not in dead:
                while self._augment(q, free, flow, dead):
                    need -= 1
                    spare -= 1
                    if not need or not spare:
                        break
            value += (wanted - need) * priority
        return value

    def _augment(self, target: int, free: list[int], flow: list[dict[int, int]], dead: set[int]) -> bool:
        """Find agents moving over so that one more agent serves ``target``; apply it. False if none can.

        When none can, every queue the search reached is added to ``dead``: none of them reaches a free
        agent, and none ever will in this interval (an augmenting path never passes through what cannot
        reach a free agent, so applying it leaves those queues' reach as it was, less the agent it used).
        Later searches skip them: they could only lead to groups and queues that are dead too, so the path
        found, and the value, are the same as without skipping, in less time.
        """
        groups_of_queue = self._groups_of_queue
        came_from: dict[int, int] = {}  # queue -> group that would move into it
        via: dict[int, int] = {target: -1}  # queue -> the queue it was reached from (group moves there)
        seen_groups: set[int] = set()
        frontier = deque([target])
        while frontier:
            q = frontier.popleft()
            for h in groups_of_queue[q]:
                if h in seen_groups:
                    continue
                seen_groups.add(h)
                if free[h] > 0:
                    free[h] -= 1
                    while True:  # h takes q; whoever left q's previous server moves up the chain
                        flow[h][q] = flow[h].get(q, 0) + 1
                        previous = via[q]
                        if previous < 0:
                            return True
                        flow[came_from[q]][q] -= 1
                        h, q = came_from[q], previous
                for q2, count in flow[h].items():
                    if count > 0 and q2 not in via and q2 not in dead:
                        via[q2] = q
                        came_from[q2] = h
                        frontier.append(q2)
        dead.update(via)
        return False


def place_breaks(problem: ProblemData, shifts: list[tuple[int, int]], *, passes: int = IMPROVEMENT_PASSES,
                 time_budget_seconds: float = float("inf")) -> dict[tuple[int, int], list[int]]:
    """Choose the break offsets of every shift so that breaks lose the least weighted demand.

    Parameters
    ----------
    problem : ProblemData
        The problem.
    shifts : list of (agent, option)
        The shifts worked.
    passes : int
        Rounds of re-placing every break against the others after the first placement.
    time_budget_seconds : float
        Improvement passes stop when this is spent (the first placement always completes).

    Returns
    -------
    dict
        (agent, option) -> one start offset per break rule of the option's template.
    """
    started = time.perf_counter()
    cover = CoverValue(problem)
    num_t = problem.num_intervals
    on_shift = np.zeros((len(problem.groups), num_t), dtype=np.int64)
    tasks: list[tuple[int, int, int, int]] = []  # (shift index, rule, group, shift start)
    for i, (a, o) in enumerate(shifts):
        option = problem.agents[a].options[o]
        g = problem.agents[a].group
        on_shift[g, max(option.start, 0):min(option.end, num_t)] += 1
        if option.template >= 0:
            tasks += [(i, r, g, option.start) for r in range(len(problem.templates[option.template].breaks))]
    on_break = np.zeros_like(on_shift)
    on_duty = on_shift.copy()
    offsets: dict[tuple[int, int], list[int]] = {
        (a, o): [spec.offsets[0] for spec in problem.templates[problem.agents[a].options[o].template].breaks]
        if problem.agents[a].options[o].template >= 0 else [] for a, o in shifts}

    def intervals(task: tuple[int, int, int, int], offset: int) -> range:
        i, r, _, start = task
        a, o = shifts[i]
        spec = problem.templates[problem.agents[a].options[o].template].breaks[r]
        return range(max(start + offset, 0), min(start + offset + spec.length, num_t))

    def loss(g: int, ts: range) -> int:
        total = 0
        for t in ts:
            counts = on_duty[:, t]
            now = tuple(counts.tolist())
            counts[g] -= 1
            total += cover.value(t, now) - cover.value(t, tuple(counts.tolist()))
            counts[g] += 1
        return total

    def move(g: int, ts: range, step: int) -> None:
        for t in ts:
            on_duty[g, t] -= step
            on_break[g, t] += step

    def best_offset(task: tuple[int, int, int, int]) -> int:
        i, r, g, _ = task
        a, o = shifts[i]
        spec = problem.templates[problem.agents[a].options[o].template].breaks[r]
        middle = (spec.offsets[0] + spec.offsets[-1]) / 2

        def score(offset: int) -> tuple:
            ts = intervals(task, offset)
            headroom = min((int(on_duty[g, t]) for t in ts), default=10**9)
            return (not allowed(g, ts), loss(g, ts), -headroom, abs(offset - middle), offset)

        return min(spec.offsets, key=score)

    def allowed(g: int, ts: range) -> bool:  # one more break of group g there leaves one of a team on duty
        return all(on_shift[g, t] < 2 or on_break[g, t] + 1 < on_shift[g, t] for t in ts)

    def untangle(g: int) -> None:
        """Place group ``g``'s breaks around the intervals where its team is all on break again, by a search over
        their starts that keeps the team rule (each break's starts tried in order of the demand they lose): a
        chain of breaks each in the next one's way, which re-placing one at a time leaves as it is."""
        hot = set(np.flatnonzero((on_shift[g] >= 2) & (on_break[g] >= on_shift[g])).tolist())
        mine = [k for k in order if tasks[k][2] == g]
        reach = {k: {t for offset in _spec(problem, shifts, tasks[k]).offsets for t in intervals(tasks[k], offset)}
                 for k in mine}
        chosen: list[int] = []
        while True:  # the breaks that can reach a blocked interval, and those that can reach theirs
            more = [k for k in mine if k not in chosen and reach[k] & hot]
            if not more:
                break
            chosen += more
            hot.update(*(reach[k] for k in more))
        if len(chosen) > MAX_UNTANGLED_BREAKS:
            return
        chosen.sort(key=lambda k: (tasks[k][3], k))
        saved = {k: offsets[shifts[tasks[k][0]]][tasks[k][1]] for k in chosen}
        for k in chosen:
            move(g, intervals(tasks[k], saved[k]), -1)
        placed: dict[int, range] = {}  # task -> its intervals, once placed by the search
        nodes = 0

        def free_of_own(k: int, ts: range) -> bool:  # clear of the same shift's other breaks
            i = tasks[k][0]
            return all(not set(other).intersection(ts) for j, other in placed.items() if tasks[j][0] == i)

        def search(position: int) -> bool:
            nonlocal nodes
            if position == len(chosen):
                return True
            nodes += 1
            if nodes > MAX_UNTANGLE_NODES:
                return False
            k = chosen[position]
            spec = _spec(problem, shifts, tasks[k])
            starts = sorted(spec.offsets, key=lambda o: (loss(g, intervals(tasks[k], o)), o))
            for offset in starts:
                ts = intervals(tasks[k], offset)
                if not allowed(g, ts) or not free_of_own(k, ts):
                    continue
                move(g, ts, +1)
                placed[k] = ts
                if search(position + 1):
                    offsets[shifts[tasks[k][0]]][tasks[k][1]] = offset
                    return True
                move(g, ts, -1)
                del placed[k]
            return False

        if not search(0):  # no such placement (or too long a search): the breaks stay where they were
            for k in chosen:
                move(g, intervals(tasks[k], saved[k]), +1)

    # tightest windows first, in time order, so flexible breaks fill around fixed ones
    order = sorted(range(len(tasks)), key=lambda k: (len(_spec(problem, shifts, tasks[k]).offsets),
                                                      tasks[k][3], k))
    stuck = False  # a break placed where it leaves a team all on break: every window around it was taken
    for k in order:
        task = tasks[k]
        offset = best_offset(task)
        stuck = stuck or not allowed(task[2], intervals(task, offset))
        move(task[2], intervals(task, offset), +1)
        offsets[shifts[task[0]]][task[1]] = offset
    done = 0
    # the passes asked for, and while a break is stuck, up to TEAM_PASSES more: re-placing the breaks it collides
    # with frees a time for it (on the 60-minute grid a team of two had its breaks taken in turn, and the start
    # roster failed the rule, and with it the whole start)
    while done < passes or (stuck and done < passes + TEAM_PASSES):
        moved, stuck = False, False
        for k in order:
            if time.perf_counter() - started > time_budget_seconds:
                note_clock_stop("the break placement")
                return offsets
            task = tasks[k]
            current = offsets[shifts[task[0]]][task[1]]
            move(task[2], intervals(task, current), -1)
            before = loss(task[2], intervals(task, current))
            offset = best_offset(task)
            after = loss(task[2], intervals(task, offset))
            stuck = stuck or not allowed(task[2], intervals(task, offset))
            move(task[2], intervals(task, offset), +1)
            offsets[shifts[task[0]]][task[1]] = offset
            moved = moved or after < before
        done += 1
        if not moved and not stuck:
            break
    if stuck:
        for g in np.flatnonzero(((on_shift >= 2) & (on_break >= on_shift)).any(axis=1)).tolist():
            untangle(g)
    return offsets


def _spec(problem: ProblemData, shifts: list[tuple[int, int]], task: tuple[int, int, int, int]):
    a, o = shifts[task[0]]
    return problem.templates[problem.agents[a].options[o].template].breaks[task[1]]
