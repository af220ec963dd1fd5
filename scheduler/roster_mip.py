"""The roster MIP: the whole roster problem as one compact mixed-integer program, solved by HiGHS.

The CP-SAT model of :mod:`scheduler.cpsat.model` lists every agent's shift in every coverage row it
touches, and its breaks per shift type and offset: on the 80-agent benchmark that is 1.2 million
non-zeros, too many for an LP-based search in a minute. This formulation keeps the same decisions
and the same objective with far fewer non-zeros:

* ``x[a, o]`` (binary): agent ``a`` works option ``o``; ``used[a]`` (binary): ``a`` works at all;
* ``day[a, d]`` = the options of day ``d`` worked (at most ``used[a]``), ``minutes[a, w]`` = paid
  minutes of week ``w``: the weekly, days-per-week, consecutive-days and contract rows read these
  instead of every option;
* rest: for each end time ``e`` of an agent's shifts on day ``d``, the shifts of ``d`` ending at or
  after ``e`` and the later-day shifts starting before ``e`` plus the rest share one slot (each day
  holds at most one shift, so the row is valid; every conflicting pair lies in one such row);
* ``n[g, k]``: shifts of kind ``k`` = (start, length, template) worked by skill group ``g``;
  coverage rows read these counts, not the agents;
* breaks, implicitly (Bechtold and Jacobs, 1990): per skill group, template, break rule and day,
  ``z[t]`` breaks start at ``t``; every prefix of the day's break starts holds at least the
  shifts whose window has closed and at most those whose window has opened. The windows of one
  template are translates of each other (no extraordinary overlap), so these counts are exactly
  those of some hand-out of one break to each shift (:func:`hand_out_breaks` finds it, earliest
  deadline first);
* ``f[g, q, t]``: agents of group ``g`` serving queue ``q`` (all on-duty agents serve one queue),
  ``under[q, t]`` and ``over[q, t]``: the same objective terms as :func:`scheduler.checker.objective_terms`;
  ``dark[q, t]`` (at most 1, ``under - dark <= demand - 1``): a queue with nobody on it costs ``uncovered_queue``
  more (a convex cost of the shortfall, exact with continuous columns).

The rule that two or more agents of a group on shift are never all on break at once is not in the
MIP: the MIP is then a relaxation of the roster problem, so its dual bound is a valid lower bound;
the hand-out of breaks keeps the rule where it can (:func:`hand_out_breaks`) and the roster is
checked by :func:`scheduler.checker.check_roster` like every other.
"""

from __future__ import annotations

import ctypes
import heapq
import os
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from scheduler.checker import OBJECTIVE_UNIT
from scheduler.problem import ProblemData, change_share, published_shifts_count


@dataclass
class _Rows:
    """A sparse row builder: ``lower <= sum(value * column) <= upper``."""

    rows: list[int] = field(default_factory=list)
    cols: list[int] = field(default_factory=list)
    vals: list[float] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)

    def add(self, cols: list[int], vals: list[float], lower: float, upper: float) -> int:
        """Add one row and return its index."""
        r = len(self.lower)
        self.rows.extend([r] * len(cols))
        self.cols.extend(cols)
        self.vals.extend(vals)
        self.lower.append(lower)
        self.upper.append(upper)
        return r


@dataclass
class _Columns:
    """Columns: cost (plan units), bounds and integrality."""

    cost: list[float] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    integer: list[bool] = field(default_factory=list)

    def add(self, cost: float, lower: float, upper: float, integer: bool) -> int:
        """Add one column and return its index."""
        self.cost.append(cost)
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(integer)
        return len(self.cost) - 1


@dataclass(frozen=True)
class BreakBlock:
    """The breaks of one rule for the shifts of one skill group, template and local day.

    Attributes
    ----------
    group, template, rule, day : int
        Which shifts.
    first, last : int
        Earliest and latest allowed offset of the rule (intervals after the shift start).
    length : int
        Intervals the break takes.
    first_time : int
        Interval of ``z_columns[0]``.
    z_columns : tuple of int
        Column of ``z[t]`` for ``t = first_time, first_time + 1, ...``.
    """

    group: int
    template: int
    rule: int
    day: int
    first: int
    last: int
    length: int
    first_time: int
    z_columns: tuple[int, ...]


@dataclass
class RosterMip:
    """The MIP and where its columns are.

    Attributes
    ----------
    cost, col_lower, col_upper : numpy.ndarray
        Objective (plan units) and column bounds.
    integer : numpy.ndarray
        Integrality of each column.
    matrix : scipy.sparse.csc_matrix
        Constraint matrix.
    row_lower, row_upper : numpy.ndarray
        Row sides.
    offset : float
        Objective constant (demand no agent can serve).
    x : list of numpy.ndarray
        Per agent, the column of each option.
    used : dict
        Agent -> column of ``used``.
    blocks : list of BreakBlock
        The implicit breaks.
    """

    cost: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    integer: np.ndarray
    matrix: sp.csc_matrix
    row_lower: np.ndarray
    row_upper: np.ndarray
    offset: float
    x: list[np.ndarray]
    used: dict[int, int]
    blocks: list[BreakBlock]

    @property
    def num_columns(self) -> int:
        """Number of columns."""
        return len(self.cost)


def build_roster_mip(problem: ProblemData) -> RosterMip:
    """Build the compact MIP of a roster problem (see the module's docstring).

    Parameters
    ----------
    problem : ProblemData
        The problem.

    Returns
    -------
    RosterMip
        The MIP, its objective in plan units.
    """
    unit = float(OBJECTIVE_UNIT)
    w = problem.weights
    change = 6000 * w.roster_change
    num_t = problem.num_intervals
    cols = _Columns()
    rows = _Rows()
    x_cols: list[np.ndarray] = []
    used: dict[int, int] = {}
    kinds: dict[tuple[int, int, int, int], list[int]] = defaultdict(list)  # (g, start, length, template) -> x cols
    kind_day: dict[tuple[int, int, int, int], set[int]] = defaultdict(set)
    weekend_rows: list[int] = []
    night_rows: list[int] = []
    for a, agent in enumerate(problem.agents):
        columns = np.empty(len(agent.options), dtype=np.int64)
        if not agent.options:
            x_cols.append(columns)
            continue
        hire = w.open_position if agent.is_open_position else w.headcount
        used[a] = u = cols.add(6000 * hire / unit, 0, 1, True)
        pinned_days = {day for day, pin in agent.pinned.items()}
        for o, option in enumerate(agent.options):
            unmet = int(option.day in agent.preferred_days_off) + int(
                bool(agent.preferred_templates) and option.template not in agent.preferred_templates)
            cost = (100 * w.paid_hour * option.paid_minutes + 6000 * w.preference * unmet
                    + change * change_share(agent, o)) / unit
            lower = upper = None
            if option.day in pinned_days:
                pin = agent.pinned[option.day]
                lower = upper = 1 if pin == o else 0
            columns[o] = cols.add(cost, lower or 0, 1 if upper is None else upper, True)
            kinds[agent.group, option.start, option.length, option.template].append(int(columns[o]))
            kind_day[agent.group, option.start, option.length, option.template].add(option.day)
        x_cols.append(columns)
        by_day: dict[int, list[int]] = defaultdict(list)
        for o, option in enumerate(agent.options):
            by_day[option.day].append(o)
        day_col: dict[int, int] = {}
        for day, options in by_day.items():
            day_col[day] = c = cols.add(0.0, 0, 1, False)
            rows.add([int(columns[o]) for o in options] + [c], [1.0] * len(options) + [-1.0], 0, 0)
            rows.add([c, u], [1.0, -1.0], -np.inf, 0)
        for week in range(problem.num_weeks):
            in_week = [o for o, option in enumerate(agent.options) if week * 7 <= option.day < week * 7 + 7]
            if not in_week:
                continue
            most = agent.max_week_minutes[week]
            m = cols.add(0.0, 0, max(most, 0), False)
            rows.add([int(columns[o]) for o in in_week] + [m],
                     [float(agent.options[o].paid_minutes) for o in in_week] + [-1.0], 0, 0)
            rows.add([m, u], [1.0, -float(most)], -np.inf, 0)
            if agent.min_week_minutes[week] > 0:
                rows.add([m, u], [1.0, -float(agent.min_week_minutes[week])], 0, np.inf)
            days = [day_col[d] for d in range(week * 7, week * 7 + 7) if d in day_col]
            if len(days) > agent.max_days_in_week(week):
                rows.add([*days, u], [1.0] * len(days) + [-float(agent.max_days_in_week(week))], -np.inf, 0)
            target = agent.target_week_minutes[week] if agent.target_week_minutes else 0
            if w.contract_deviation_hour and target > 0:
                dev = cols.add(100 * w.contract_deviation_hour / unit, 0, target, False)
                rows.add([dev, m, u], [1.0, 1.0, -float(target)], 0, np.inf)
            if w.overtime_hour and agent.overtime_from_minutes and most > agent.overtime_from_minutes[week]:
                regular = agent.overtime_from_minutes[week]
                extra = cols.add(100 * w.overtime_hour / unit, 0, most - regular, False)
                rows.add([extra, m], [1.0, -1.0], -float(regular), np.inf)  # extra >= m - regular
        for window, most in problem.consecutive_day_windows(agent):
            days = [day_col[d] for d in window if d in day_col]
            if len(days) > most:
                rows.add(days, [1.0] * len(days), -np.inf, most)
        _add_rest(problem, agent.options, columns, rows)
        weekend = [int(columns[o]) for o, option in enumerate(agent.options) if option.is_weekend]
        if weekend:
            weekend_rows.append(rows.add(weekend, [1.0] * len(weekend), -np.inf, 0))
        nights = [int(columns[o]) for o, option in enumerate(agent.options)
                  if option.template >= 0 and problem.templates[option.template].is_night]
        if nights:
            night_rows.append(rows.add(nights, [1.0] * len(nights), -np.inf, 0))
    for weight, fairness_rows in ((w.weekend_fairness, weekend_rows), (w.night_fairness, night_rows)):
        if fairness_rows:
            most = cols.add(6000 * weight / unit, 0, problem.num_days, False)
            for r in fairness_rows:  # sum(shifts) - most <= 0
                rows.rows.append(r)
                rows.cols.append(most)
                rows.vals.append(-1.0)
    # shift counts per kind, coverage per group and interval, implicit breaks
    kind_col: dict[tuple[int, int, int, int], int] = {}
    on_duty: dict[tuple[int, int], tuple[list[int], list[float]]] = defaultdict(lambda: ([], []))
    for key, members in kinds.items():
        kind_col[key] = n = cols.add(0.0, 0, len(members), False)
        rows.add([*members, n], [1.0] * len(members) + [-1.0], 0, 0)
        g, start, length, _template = key
        for t in range(max(start, 0), min(start + length, num_t)):
            entry = on_duty[g, t]
            entry[0].append(n)
            entry[1].append(1.0)
    blocks = _add_breaks(problem, kind_col, kind_day, cols, rows, on_duty)
    # queues
    serving: dict[tuple[int, int], list[int]] = defaultdict(list)
    group_size = np.bincount([agent.group for agent in problem.agents], minlength=len(problem.groups))
    able = np.zeros(problem.num_queues, dtype=np.int64)
    for g, queues in enumerate(problem.groups):
        able[list(queues)] += group_size[g]
    for (g, t), (members, signs) in sorted(on_duty.items()):
        flows = []
        for q in problem.groups[g]:
            flows.append(cols.add(0.0, 0, group_size[g], False))
            serving[q, t].append(flows[-1])
        rows.add(members + flows, signs + [-1.0] * len(flows), 0, 0)
    # a re-plan's change from the published roster: 1 - x for a published shift, x on a published day off
    offset = change / unit * sum(published_shifts_count(agent) for agent in problem.agents)
    can_go_dark = problem.can_go_dark() if w.uncovered_queue else None
    for q in range(problem.num_queues):
        under_cost = 60 * w.under_staffing * problem.queue_priority[q] / unit
        dark_cost = 60 * w.uncovered_queue * problem.queue_priority[q] / unit
        over_cost = 6000 * w.over_staffing / unit
        for t in range(num_t):
            demand = int(problem.demand[q, t])
            flows = serving.get((q, t), [])
            dark = can_go_dark is not None and bool(can_go_dark[q, t])
            if not flows:
                offset += under_cost * demand + (dark_cost if dark else 0.0)
                continue
            under = cols.add(under_cost, 0, demand, False)
            over = cols.add(over_cost, 0, int(able[q]), False)
            rows.add([*flows, under, over], [1.0] * len(flows) + [1.0, -1.0], demand, demand)
            if dark:  # the demand's last missing agent (nobody on the queue) costs uncovered_queue more
                last = cols.add(dark_cost, 0, 1, False)
                rows.add([under, last], [1.0, -1.0], -np.inf, demand - 1)
    matrix = sp.csc_matrix((np.asarray(rows.vals), (np.asarray(rows.rows), np.asarray(rows.cols))),
                           shape=(len(rows.lower), len(cols.cost)))
    return RosterMip(np.asarray(cols.cost), np.asarray(cols.lower, dtype=float), np.asarray(cols.upper, dtype=float),
                     np.asarray(cols.integer), matrix, np.asarray(rows.lower, dtype=float),
                     np.asarray(rows.upper, dtype=float), offset, x_cols, used, blocks)


def _add_rest(problem: ProblemData, options: tuple, columns: np.ndarray, rows: _Rows) -> None:
    """Rest rows: per day and shift end ``e``, the day's shifts ending at ``e`` or later and every later-day
    shift starting before ``e`` plus the rest, at most one of them (see the module's docstring)."""
    rest = problem.min_rest_intervals
    by_day: dict[int, list[int]] = defaultdict(list)
    for o, option in enumerate(options):
        by_day[option.day].append(o)
    days = sorted(by_day)
    for i, day in enumerate(days):
        ends = sorted({options[o].end for o in by_day[day]})
        later = [o for d in days[i + 1:] for o in by_day[d]]
        if not later:
            continue
        seen: set[tuple[int, ...]] = set()
        for end in ends:
            conflicts = tuple(o for o in later if options[o].start < end + rest)
            if not conflicts:
                continue
            ending = tuple(o for o in by_day[day] if options[o].end >= end)
            key = (*ending, -1, *conflicts)
            if key in seen:
                continue
            seen.add(key)
            # conflicts may span several later days: one row per later day keeps each row a valid clique
            per_day: dict[int, list[int]] = defaultdict(list)
            for o in conflicts:
                per_day[options[o].day].append(o)
            for members in per_day.values():
                chosen = [int(columns[o]) for o in ending + tuple(members)]
                rows.add(chosen, [1.0] * len(chosen), -np.inf, 1)


def _add_breaks(problem: ProblemData, kind_col: dict, kind_day: dict, cols: _Columns, rows: _Rows,
                on_duty: dict) -> list[BreakBlock]:
    """Implicit breaks per (group, template, rule, day): prefix rows between break starts and shift starts."""
    num_t = problem.num_intervals
    grouped: dict[tuple[int, int, int], list[tuple[int, int]]] = defaultdict(list)  # (g, template, day) -> kinds
    for key, n in kind_col.items():
        g, start, _length, template = key
        if template < 0 or not problem.templates[template].breaks:
            continue
        for day in kind_day[key]:
            grouped[g, template, day].append((start, n))
    blocks: list[BreakBlock] = []
    problem_sizes = {n: cols.upper[n] for n in kind_col.values()}
    for (g, template, day), members in sorted(grouped.items()):
        members.sort()
        for r, spec in enumerate(problem.templates[template].breaks):
            first, last = spec.offsets[0], spec.offsets[-1]
            t0 = members[0][0] + first
            t1 = members[-1][0] + last
            most = sum(problem_sizes[n] for _, n in members)
            z = [cols.add(0.0, 0, most, True) for _ in range(t0, t1 + 1)]
            blocks.append(BreakBlock(g, template, r, day, first, last, spec.length, t0, tuple(z)))
            n_all = [n for _, n in members]
            rows.add(z + n_all, [1.0] * len(z) + [-1.0] * len(n_all), 0, 0)
            for t in range(t0, t1):
                prefix = z[: t - t0 + 1]
                closed = [n for s, n in members if s + last <= t]
                opened = [n for s, n in members if s + first <= t]
                if closed:
                    rows.add(prefix + closed, [1.0] * len(prefix) + [-1.0] * len(closed), 0, np.inf)
                if len(opened) < len(members):
                    rows.add(prefix + opened, [1.0] * len(prefix) + [-1.0] * len(opened), -np.inf, 0)
            if set(spec.offsets) != set(range(first, last + 1)):
                # gaps in the window: a start no shift of the block may take is closed; one that some shift may
                # take stays open for all, so with gaps the MIP is a relaxation (its bound holds, its hand-out may
                # break a window and fail the checker). Plans built from a config have whole windows
                # (scheduler.build), so this only concerns hand-made problems
                allowed = {s + p for s, _ in members for p in spec.offsets}
                for i, t in enumerate(range(t0, t1 + 1)):
                    if t not in allowed:
                        cols.upper[z[i]] = 0
            for i, t in enumerate(range(t0, t1 + 1)):
                for k in range(spec.length):
                    if 0 <= t + k < num_t and (g, t + k) in on_duty:
                        entry = on_duty[g, t + k]
                        entry[0].append(z[i])
                        entry[1].append(-1.0)
    return blocks


@dataclass
class MipOutcome:
    """What the MIP solve found.

    Attributes
    ----------
    status : str
        HiGHS's model status in words.
    chosen : dict
        Agent -> options worked (empty without a solution).
    offsets : dict
        (agent, option) -> break offsets.
    objective : float or None
        The MIP's objective (plan units).
    dual_bound : float
        HiGHS's proven lower bound (plan units; ``-inf`` when none).
    seconds : float
        Wall time.
    """

    status: str
    chosen: dict[int, list[int]]
    offsets: dict[tuple[int, int], list[int]]
    objective: float | None
    dual_bound: float
    seconds: float


def solve_roster_mip(problem: ProblemData, *, time_limit_seconds: float, threads: int = 2, seed: int = 0,
                     start: dict[int, list[int]] | None = None, mip: RosterMip | None = None,
                     log: bool = False) -> MipOutcome:
    """Solve the roster MIP with HiGHS.

    Parameters
    ----------
    problem : ProblemData
        The problem.
    time_limit_seconds : float
        HiGHS's time limit.
    threads : int
        HiGHS threads.
    seed : int
        HiGHS's random seed.
    start : dict, optional
        A roster's shifts (agent -> options) to start from.
    mip : RosterMip, optional
        The MIP when already built.
    log : bool
        Print HiGHS's log.

    Returns
    -------
    MipOutcome
        The roster's shifts and breaks (when HiGHS found one) and the bound.
    """
    started = time.perf_counter()
    mip = mip or build_roster_mip(problem)
    h = _highs(mip, integer=True, threads=threads, log=log)
    h.setOptionValue("time_limit", max(time_limit_seconds, 0.1))
    h.setOptionValue("random_seed", seed)
    h.setOptionValue("mip_rel_gap", 1e-4)
    if start:
        index, value = [], []
        for a, columns in enumerate(mip.x):
            picks = set(start.get(a, ()))
            if a in mip.used:
                index.append(mip.used[a])
                value.append(1.0 if picks else 0.0)
            for o, c in enumerate(columns):
                index.append(int(c))
                value.append(1.0 if o in picks else 0.0)
        h.setSolution(len(index), np.asarray(index, dtype=np.int32), np.asarray(value))
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    info = h.getInfo()
    bound = float(info.mip_dual_bound)
    if info.primal_solution_status != 2:  # no feasible solution
        return MipOutcome(status, {}, {}, None, bound, time.perf_counter() - started)
    values = np.asarray(h.getSolution().col_value)
    chosen: dict[int, list[int]] = {}
    for a, columns in enumerate(mip.x):
        picks = [o for o, c in enumerate(columns) if values[c] > 0.5]
        if picks:
            chosen[a] = picks
    offsets = hand_out_breaks(problem, mip, chosen, values)
    return MipOutcome(status, chosen, offsets, float(info.objective_function_value), bound,
                      time.perf_counter() - started)


def hand_out_breaks(problem: ProblemData, mip: RosterMip, chosen: dict[int, list[int]],
                    values: np.ndarray) -> dict[tuple[int, int], list[int]]:
    """Give each worked shift its breaks from the MIP's break counts, earliest deadline first.

    Per block (group, template, rule, day), break starts are taken in time order; each goes to the
    shift whose window is open and closes first. The MIP's prefix rows make this hand-out complete.

    Returns
    -------
    dict
        (agent, option) -> one start offset per break rule.
    """
    shifts: dict[tuple[int, int, int], list[tuple[int, int, int]]] = defaultdict(list)  # (g, tmpl, day) -> shifts
    offsets: dict[tuple[int, int], list[int]] = {}
    for a, picks in chosen.items():
        g = problem.agents[a].group
        for o in picks:
            option = problem.agents[a].options[o]
            specs = problem.templates[option.template].breaks if option.template >= 0 else ()
            offsets[a, o] = [spec.offsets[0] for spec in specs]
            if specs:
                shifts[g, option.template, option.day].append((option.start, a, o))
    for block in mip.blocks:
        members = sorted(shifts.get((block.group, block.template, block.day), []))
        if not members:
            continue
        counts = [round(values[c]) for c in block.z_columns]
        waiting: list[tuple[int, int, int, int]] = []  # (deadline, start, a, o)
        i = 0
        for k, count in enumerate(counts):
            t = block.first_time + k
            while i < len(members) and members[i][0] + block.first <= t:
                start, a, o = members[i]
                heapq.heappush(waiting, (start + block.last, start, a, o))
                i += 1
            for _ in range(count):
                if not waiting:
                    break
                _, start, a, o = heapq.heappop(waiting)
                offsets[a, o][block.rule] = t - start
    return offsets


@dataclass
class CompactLp:
    """The LP relaxation of the roster MIP, solved.

    Attributes
    ----------
    status : str
        HiGHS's model status in words (``Optimal`` when solved).
    bound : float or None
        The safe Lagrangian bound of the LP's row duals (plan units): a lower bound on every roster,
        whatever the duals' accuracy (:func:`scheduler.cpsat.lp_bound.safe_bound`).
    objective : float or None
        The LP optimum (plan units).
    shift_values : dict
        Agent -> value of each of their options in the LP's optimal vertex.
    used_values : dict
        Agent -> value of their ``used`` column (how much of a head the LP works them).
    seconds : float
        Wall time, the model's building included.
    """

    status: str
    bound: float | None
    objective: float | None
    shift_values: dict[int, np.ndarray]
    seconds: float
    used_values: dict[int, float] = field(default_factory=dict)


def compact_lp(problem: ProblemData, *, time_limit_seconds: float, threads: int = 2,
               mip: RosterMip | None = None) -> CompactLp:
    """Solve the LP relaxation of the roster MIP: HiGHS's interior point, then crossover to a vertex.

    The relaxation is the same as that of the whole CP-SAT model (the same optimum on the 80-agent
    benchmark, 11,825.07) in about a fifth of the non-zeros; the vertex's shift values guide the
    greedy (:func:`scheduler.heuristic.greedy_roster`) towards the LP's shift mix.

    Parameters
    ----------
    problem : ProblemData
        The problem.
    time_limit_seconds : float
        HiGHS's time limit.
    threads : int
        HiGHS threads.
    mip : RosterMip, optional
        The MIP when already built.

    Returns
    -------
    CompactLp
        Bound, optimum and shift values (None and empty when HiGHS did not solve it in time).
    """
    from scheduler.cpsat.lp_bound import LinearRelaxation, safe_bound

    started = time.perf_counter()
    mip = mip or build_roster_mip(problem)
    h = _highs(mip, integer=False, threads=threads)
    h.setOptionValue("solver", "ipm")
    h.setOptionValue("run_crossover", "on")
    h.setOptionValue("time_limit", max(time_limit_seconds - (time.perf_counter() - started), 0.1))
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    if status != "Optimal":
        return CompactLp(status, None, None, {}, time.perf_counter() - started)
    solution = h.getSolution()
    relaxation = LinearRelaxation(mip.cost, mip.matrix.tocsr(), mip.row_lower, mip.row_upper, mip.col_lower,
                                  mip.col_upper)
    bound = safe_bound(relaxation, np.asarray(solution.row_dual)) + mip.offset
    values = np.asarray(solution.col_value)
    shift_values = {a: values[columns] for a, columns in enumerate(mip.x) if len(columns)}
    used_values = {a: float(values[c]) for a, c in mip.used.items()}
    return CompactLp(status, bound, float(h.getInfo().objective_function_value), shift_values,
                     time.perf_counter() - started, used_values)


#: Threads of HiGHS's process-wide task scheduler, as last set here (None: not yet).
_scheduler_threads: int | None = None


def _highs(mip: RosterMip, *, integer: bool, threads: int, log: bool = False) -> object:
    """A HiGHS instance holding the MIP (or its LP relaxation).

    HiGHS starts one task scheduler per process with the first run's thread count, and a later run that asks for
    another count fails (``run()`` returns an error, the model status stays ``Not Set``): a second solve in one
    process with other workers would silently lose its LP. The scheduler is reset whenever the count changes.
    """
    import highspy

    global _scheduler_threads
    if _scheduler_threads != threads:
        highspy.Highs.resetGlobalScheduler(True)
        _scheduler_threads = threads
    h = _new_highs(highspy, log)
    h.setOptionValue("threads", threads)
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_ = mip.num_columns
    lp.num_row_ = len(mip.row_lower)
    lp.col_cost_ = mip.cost
    lp.offset_ = mip.offset
    lp.col_lower_ = mip.col_lower
    lp.col_upper_ = np.where(np.isinf(mip.col_upper), inf, mip.col_upper)
    lp.row_lower_ = np.where(np.isinf(mip.row_lower), -inf, mip.row_lower)
    lp.row_upper_ = np.where(np.isinf(mip.row_upper), inf, mip.row_upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = mip.matrix.indptr
    lp.a_matrix_.index_ = mip.matrix.indices
    lp.a_matrix_.value_ = mip.matrix.data
    if integer:
        lp.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
                           for i in mip.integer]
    h.passModel(lp)
    return h


def _new_highs(highspy: object, log: bool) -> object:
    """A HiGHS instance, without its banner on the terminal unless ``log``.

    HiGHS's C++ constructor prints ``Running HiGHS ... Copyright ...`` to the process's standard output before
    any option can be set (HiGHS issue 1932: "It can't be switched off independently"); in the middle of
    ``shiftplan solve``'s progress lines it is noise. Standard output (file descriptor 1) points at the null
    device while the instance is made, and C's buffers are flushed there before it is given back.
    """
    if log:
        return highspy.Highs()
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        ctypes.CDLL(None).fflush(None)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    return h
