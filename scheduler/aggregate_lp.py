"""The shift-count LP: a lower bound that prices over-staffing and breaks, small enough for any plan.

Per skill component (:func:`scheduler.covering_flow.component_problems`) the agents are pooled and
only counts are kept, as in :mod:`scheduler.covering_flow`, but each shift now takes its breaks:

* ``x_k``: shifts of kind ``k`` = (start, length, local day, template) worked, at the cheapest paid
  time among the agents who may work it, at most as many as those agents;
* ``y_krp``: of those, how many take break rule ``r`` at offset ``p`` (``sum_p y_krp = x_k``);
* coverage ``C_t = sum x_k [t in k] - sum y_krp [t in the break]``, and ``C_t + under_t - over_t =
  D_t`` with ``D_t`` the component's demand: every agent on duty serves one of the component's
  queues, so the queues' surpluses add up to at least ``over_t`` and their misses, priced at the
  cheapest queue wanting one, to at least ``under_t``;
* heads ``h >= shifts of day d``, ``>= paid minutes of week w / the most any agent may work``,
  ``>= shifts of week w / the most days any agent may work``, ``h <=`` the component's agents, and
  no day has more shifts than agents who may work that day;
* a week's paid minutes lie between the ``h`` smallest weekly minimums and the ``h`` largest
  maximums, and its contract deviation is at least the ``h`` smallest targets minus its paid minutes;
* the same per contract class (:func:`contract_classes`: agents with the same weekly limits, days per
  week, templates and weekdays): each class's shifts, heads and contract minutes missed, so a class's
  shifts stay within its own agents' hours and days (:func:`_class_rows`).

Every roster maps to a feasible point of this LP at no more than its objective (the preference, fairness and
overtime terms are non-negative and left out), so the LP optimum, proven by the
safe dual bound of :func:`scheduler.cpsat.lp_bound.exact_bound`, is a lower bound. It is weaker than
the whole model's relaxation (no per-agent rules, no skills inside a component) but a few thousand
columns where the whole model has millions, so HiGHS solves it in seconds on plans where PDLP
cannot converge on the whole model.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from scheduler.checker import OBJECTIVE_UNIT
from scheduler.covering_flow import component_problems
from scheduler.cpsat.lp_bound import LinearRelaxation, exact_solve
from scheduler.problem import ProblemData


def count_lp(problem: ProblemData) -> LinearRelaxation | None:
    """The shift-count LP of one component (the whole problem), in model units; None without agents or demand."""
    built = _count_lp(problem)
    return None if built is None else built[0]


def _count_lp(problem: ProblemData) -> tuple[LinearRelaxation, slice] | None:
    """:func:`count_lp` and its under-staffing columns."""
    horizon = problem.num_intervals
    demand = problem.demand.astype(np.int64).sum(axis=0)
    if not problem.agents or not demand.any():
        return None
    w = problem.weights
    kinds: dict[tuple[int, int, int, int], list] = {}  # kind -> [cheapest paid minutes, agents]
    available_days: dict[int, set[int]] = {}
    for a, agent in enumerate(problem.agents):
        for option in agent.options:
            if min(option.end, horizon) <= max(option.start, 0):
                continue
            kind = (option.start, option.length, option.day, option.template)
            entry = kinds.setdefault(kind, [option.paid_minutes, set(), option.paid_minutes])
            entry[0] = min(entry[0], option.paid_minutes)
            entry[2] = max(entry[2], option.paid_minutes)
            entry[1].add(a)
            available_days.setdefault(option.day, set()).add(a)
    if not kinds:
        return None
    most = int(demand.max())
    num_agents = len(problem.agents)
    ordered = sorted(kinds)
    num_x = len(ordered)
    columns_cost: list[float] = []
    upper: list[float] = []
    rows: list[np.ndarray] = []  # coverage entries: (row = interval, column, value)
    cols: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    link_rows: list[int] = []  # break linking rows: sum_p y - x = 0
    link_cols: list[int] = []
    link_vals: list[float] = []
    num_links = 0
    for k, (start, length, _day, _template) in enumerate(ordered):
        paid, able, _ = kinds[ordered[k]]
        columns_cost.append(paid * 100 * w.paid_hour)
        upper.append(min(len(able), most))
        span = np.arange(max(start, 0), min(start + length, horizon))
        rows.append(span)
        cols.append(np.full(len(span), k))
        vals.append(np.ones(len(span)))
    y_column = num_x
    for k, (start, _length, _day, template) in enumerate(ordered):
        specs = problem.templates[template].breaks if template >= 0 else ()
        for spec in specs:
            link_rows.append(num_links)
            link_cols.append(k)
            link_vals.append(-1.0)
            for offset in spec.offsets:
                taken = np.arange(start + offset, start + offset + spec.length)
                taken = taken[(taken >= 0) & (taken < horizon)]
                rows.append(taken)
                cols.append(np.full(len(taken), y_column))
                vals.append(-np.ones(len(taken)))
                link_rows.append(num_links)
                link_cols.append(y_column)
                link_vals.append(1.0)
                columns_cost.append(0.0)
                upper.append(upper[k])
                y_column += 1
            num_links += 1
    num_y = y_column - num_x
    priority = np.asarray(problem.queue_priority, dtype=np.int64)[:, None]
    wanted = np.where(problem.demand > 0, priority, np.iinfo(np.int64).max).min(axis=0)
    under_cost = np.where(demand > 0, 60.0 * w.under_staffing * np.minimum(wanted, 10**9), 0.0)
    under_column = num_x + num_y
    over_column = under_column + horizon
    head_column = over_column + horizon
    t = np.arange(horizon)
    rows += [t, t]
    cols += [under_column + t, over_column + t]
    vals += [np.ones(horizon), -np.ones(horizon)]
    width = head_column + 1 + problem.num_weeks  # then one contract-deviation column per week
    coverage = sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                             shape=(horizon, width))
    links = sp.csr_matrix((link_vals, (link_rows, link_cols)), shape=(num_links, width))
    heads = _head_rows(problem, ordered, kinds, head_column, available_days)
    classes = _class_rows(problem, ordered, head_column, width)
    num_class_columns = classes[0].shape[1] - width
    matrix = sp.vstack([sp.hstack([sp.vstack([coverage, links, heads[0]]),
                                   sp.csr_matrix((coverage.shape[0] + num_links + heads[0].shape[0],
                                                  num_class_columns))]), classes[0]]).tocsr()
    row_lower = np.concatenate([demand.astype(float), np.zeros(num_links), heads[1], classes[1]])
    row_upper = np.concatenate([demand.astype(float), np.zeros(num_links), heads[2], classes[2]])
    objective = np.concatenate([columns_cost, under_cost, np.full(horizon, 6000.0 * w.over_staffing), [0.0],
                                np.full(problem.num_weeks, 100.0 * w.contract_deviation_hour), classes[3]])
    lower = np.zeros(width + num_class_columns)
    upper_all = np.concatenate([upper, demand.astype(float), np.full(horizon, float(num_agents)), [num_agents],
                                [float(sum(a.target_week_minutes[w] for a in problem.agents if a.target_week_minutes))
                                 for w in range(problem.num_weeks)], classes[4]])
    return (LinearRelaxation(objective, matrix, row_lower, row_upper, lower, upper_all),
            slice(under_column, under_column + horizon))


def contract_classes(problem: ProblemData) -> list[list[int]]:
    """The agents of a component in contract classes, in plan order: the same weekly maximums, days per week, kind
    of head (named or open position), templates and weekdays they may work, and whether some week's minimum or
    target is cut (time off).

    The templates and weekdays keep a part-timer's hours on the days and shifts they may work: on the seeded
    benchmarks they raise the shift-count LP's bound by 3 to 11% over classes of contracts alone (80 agents:
    11,543 -> 11,770; 500 agents: 58,652 -> 59,324; 300 agents over 4 weeks: 78,393 -> 81,859)."""
    classes: dict[tuple, list[int]] = {}
    for a, agent in enumerate(problem.agents):
        full_minimum = len(set(agent.min_week_minutes)) <= 1 and len(set(agent.target_week_minutes)) <= 1
        key = (agent.max_week_minutes, agent.max_days_per_week, agent.max_days_week, agent.is_open_position,
               full_minimum,
               frozenset(option.template for option in agent.options),
               frozenset(option.day % 7 for option in agent.options))
        classes.setdefault(key, []).append(a)
    return list(classes.values())


def _class_rows(problem: ProblemData, ordered: list[tuple[int, int, int, int]], head_column: int,
                width: int) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The shifts and heads of each contract class (:func:`contract_classes`), appended after ``width`` columns.

    Class ``c`` has ``x_kc`` (its shifts of kind ``k``, at most its agents who may work ``k``), ``h_c`` (its heads,
    priced as named agents or open positions) and ``e_cw`` (its contract minutes missed in week ``w``), with
    ``x_k = sum_c x_kc``, ``h = sum_c h_c``, the component's deviation ``>= sum_c e_cw``, and per class: at most
    ``h_c`` shifts a day (and no more than its agents free that day), weekly paid minutes between ``h_c`` times
    the class's smallest minimum and ``h_c`` times its maximum, at most ``h_c`` times its days per week, and
    ``e_cw >= h_c`` times its smallest target minus its paid minutes. A roster maps onto them (``h_c`` = its
    scheduled agents of the class), so the bound stays valid; unlike the pooled rows of :func:`_head_rows` they
    keep part-time shifts within part-timers' hours and the contract targets with the agents who carry them.

    Returns
    -------
    tuple
        (rows over all columns, row lower sides, row upper sides, the new columns' costs, their upper bounds).
    """
    num_days, num_weeks = problem.num_days, problem.num_weeks
    w = problem.weights
    classes = contract_classes(problem)
    member_of = {a: c for c, members in enumerate(classes) for a in members}
    able: list[dict[int, int]] = [dict() for _ in ordered]  # kind -> class -> agents of the class who may work it
    paid: list[dict[int, list[int]]] = [dict() for _ in ordered]  # kind -> class -> [cheapest, dearest]
    index = {kind: k for k, kind in enumerate(ordered)}
    free: list[list[set[int]]] = [[set() for _ in range(num_days)] for _ in classes]
    for a, agent in enumerate(problem.agents):
        c = member_of[a]
        seen: set[int] = set()
        for option in agent.options:
            k = index.get((option.start, option.length, option.day, option.template))
            if k is None:
                continue
            entry = paid[k].setdefault(c, [option.paid_minutes, option.paid_minutes])
            entry[0], entry[1] = min(entry[0], option.paid_minutes), max(entry[1], option.paid_minutes)
            if k not in seen:
                able[k][c] = able[k].get(c, 0) + 1
                seen.add(k)
            if 0 <= option.day < num_days:
                free[c][option.day].add(a)
    columns: list[tuple[int, int]] = [(k, c) for k in range(len(ordered)) for c in sorted(able[k])]
    x_of = {key: width + i for i, key in enumerate(columns)}
    h_of = [width + len(columns) + c for c in range(len(classes))]
    e_of = [[width + len(columns) + len(classes) + c * num_weeks + week for week in range(num_weeks)]
            for c in range(len(classes))]
    total = width + len(columns) + len(classes) * (1 + num_weeks)
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lower: list[float] = []
    upper: list[float] = []

    def row(entries: list[tuple[int, float]], low: float, high: float) -> None:
        for col, val in entries:
            rows.append(len(lower))
            cols.append(col)
            vals.append(val)
        lower.append(low)
        upper.append(high)

    by_kind: dict[int, list[int]] = {}
    for (k, _c), col in x_of.items():
        by_kind.setdefault(k, []).append(col)
    for k in range(len(ordered)):
        row([(k, 1.0)] + [(col, -1.0) for col in by_kind.get(k, [])], 0.0, 0.0)
    row([(head_column, 1.0)] + [(h, -1.0) for h in h_of], 0.0, 0.0)
    deviation_column = head_column + 1
    for week in range(num_weeks):
        row([(deviation_column + week, 1.0)] + [(e_of[c][week], -1.0) for c in range(len(classes))], 0.0, np.inf)
    costs, bounds = [0.0] * len(columns), [float(min(able[k][c], len(classes[c]))) for k, c in columns]
    for c, members in enumerate(classes):
        agents = [problem.agents[a] for a in members]
        first = agents[0]
        in_class = [(k, x_of[k, c]) for k in range(len(ordered)) if (k, c) in x_of]
        for day in range(num_days):
            on_day = [(col, 1.0) for k, col in in_class if ordered[k][2] == day]
            if on_day:
                row([*on_day, (h_of[c], -1.0)], -np.inf, 0.0)
                row(on_day, -np.inf, float(len(free[c][day])))
        for week in range(num_weeks):
            in_week = [(k, col) for k, col in in_class if min(ordered[k][2] // 7, num_weeks - 1) == week]
            smallest = min(agent.min_week_minutes[week] for agent in agents)
            target = min(agent.target_week_minutes[week] if agent.target_week_minutes else 0 for agent in agents)
            row([(col, float(paid[k][c][0])) for k, col in in_week] + [(h_of[c], -float(first.max_week_minutes[week]))],
                -np.inf, 0.0)
            row([(col, float(paid[k][c][1])) for k, col in in_week] + [(h_of[c], -float(smallest))], 0.0, np.inf)
            row([(col, 1.0) for _, col in in_week] + [(h_of[c], -float(first.max_days_in_week(week)))], -np.inf, 0.0)
            if target > 0:
                row([(e_of[c][week], 1.0)] + [(col, float(paid[k][c][1])) for k, col in in_week]
                    + [(h_of[c], -float(target))], 0.0, np.inf)
        costs.append(6000.0 * (w.open_position if first.is_open_position else w.headcount))
        bounds.append(float(len(members)))
    for c in range(len(classes)):
        target = max(max(problem.agents[a].target_week_minutes, default=0) for a in classes[c])
        costs += [0.0] * num_weeks
        bounds += [float(target * len(classes[c]))] * num_weeks
    matrix = sp.csr_matrix((vals, (rows, cols)), shape=(len(lower), total))
    return matrix, np.array(lower), np.array(upper), np.array(costs), np.array(bounds)


def _head_rows(problem: ProblemData, ordered: list[tuple[int, int, int, int]], kinds: dict, head_column: int,
               available_days: dict[int, set[int]]) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """Rows ``N_d - h <= 0``, ``P_w / M_w - h <= 0``, ``N_w / D - h <= 0``, ``N_d <= agents free on d``, and
    the weekly hours of ``h`` heads: between the ``h`` smallest weekly minimums and the ``h`` largest maximums.

    With the minimums sorted, ``F(j)`` (the sum of the ``j`` smallest) is convex in ``j``, so "paid minutes
    of the week ``>= F(h)``" is the set of its tangent lines ``P_w >= F(j) + m_(j+1) (h - j)``, one per
    distinct minimum; the maximums give the concave counterpart. A roster's week, with ``h`` agents
    scheduled, is within both; the minimum side counts each shift at its dearest paid time and the
    maximum side at its cheapest, so they hold whichever agent works the shift.
    """
    num_days, num_weeks = problem.num_days, problem.num_weeks
    most_minutes = [max(max(a.max_week_minutes[w] for a in problem.agents), 1) for w in range(num_weeks)]
    most_days = max(max(a.max_days_per_week for a in problem.agents), 1)
    rows, cols, vals = [], [], []
    for k, (_start, _length, day, _template) in enumerate(ordered):
        week = min(day // 7, num_weeks - 1)
        paid = kinds[ordered[k]][0]
        if 0 <= day < num_days:
            rows += [day, num_days + 2 * num_weeks + day]
            cols += [k, k]
            vals += [1.0, 1.0]
        rows += [num_days + week, num_days + num_weeks + week]
        cols += [k, k]
        vals += [paid / most_minutes[week], 1.0 / most_days]
    num_head = num_days + 2 * num_weeks
    rows += list(range(num_head))
    cols += [head_column] * num_head
    vals += [-1.0] * num_head
    lower = [-np.inf] * (num_head + num_days)
    upper = [0.0] * num_head + [float(len(available_days.get(d, ()))) for d in range(num_days)]
    row = num_head + num_days
    week_of = [min(day // 7, num_weeks - 1) for (_s, _l, day, _t) in ordered]
    targets = [[a.target_week_minutes[w] if a.target_week_minutes else 0 for a in problem.agents]
               for w in range(num_weeks)]
    for week in range(num_weeks):
        in_week = [k for k in range(len(ordered)) if week_of[k] == week]
        deviation = head_column + 1 + week
        for dearest, limits, sense, extra in (
                (True, sorted(a.min_week_minutes[week] for a in problem.agents), 1.0, []),
                (False, sorted((a.max_week_minutes[week] for a in problem.agents), reverse=True), -1.0, []),
                # contract targets: deviation_w >= (the h smallest targets) - P_w, on the same tangent lines
                (True, sorted(targets[week]), 1.0, [deviation])):
            total = 0.0
            previous = None
            for j, slope in enumerate(limits):
                if slope != previous:  # sense * (P_w - slope * h) [+ deviation] >= sense * (F(j) - slope * j)
                    rows += [row] * (len(in_week) + 1 + len(extra))
                    cols += [*in_week, head_column, *extra]
                    vals += ([sense * kinds[ordered[k]][2 if dearest else 0] for k in in_week] + [-sense * slope]
                             + [1.0] * len(extra))
                    lower.append(sense * (total - slope * j))
                    upper.append(np.inf)
                    row += 1
                    previous = slope
                total += slope
    matrix = sp.csr_matrix((vals, (rows, cols)), shape=(row, head_column + 1 + num_weeks))
    return matrix, np.array(lower), np.array(upper)


@dataclass(frozen=True)
class CountLpSolution:
    """The shift-count LP over all skill components.

    Attributes
    ----------
    bound : float
        The sum of the components' safe bounds, in plan units.
    under_staffing : float
        The under-staffing cost in the LP's optimal points, in plan units: demand that even the
        relaxation cannot meet (e.g. more than the team's capacity), which no re-timing will.
    """

    bound: float
    under_staffing: float


def count_lp_bound(problem: ProblemData, time_limit_seconds: float) -> float | None:
    """The sum over skill components of the shift-count LP's safe bound, in plan units.

    Parameters
    ----------
    problem : ProblemData
        The problem.
    time_limit_seconds : float
        HiGHS's limit for all components together.

    Returns
    -------
    float or None
        The bound, or None when some component's LP did not finish in time.
    """
    solution = count_lp_solution(problem, time_limit_seconds)
    return None if solution is None else solution.bound


def count_lp_solution(problem: ProblemData, time_limit_seconds: float) -> CountLpSolution | None:
    """:func:`count_lp_bound` and the under-staffing of the LP's optimum; None when some component's LP
    did not finish in time."""
    started = time.perf_counter()
    total = under = 0.0
    parts = component_problems(problem)
    for part in parts:
        built = _count_lp(part)
        if built is None:
            if part.demand.any():  # demand nobody may serve: all of it is missed
                priority = np.asarray(part.queue_priority, dtype=np.int64)[:, None]
                missed = float((part.demand * priority).sum() * 60 * part.weights.under_staffing)
                total += missed
                under += missed
            continue
        lp, columns = built
        # the interior-point method: 8 s where the dual simplex takes 14 s on the 300-agent, 4-week benchmark
        remaining = time_limit_seconds - (time.perf_counter() - started)  # what the components before left
        solved = exact_solve(lp, remaining, method="highs-ipm") if remaining > 0 else None
        if solved is None:
            return None
        total += solved[0]
        under += float(lp.objective[columns] @ solved[1][columns])
    return CountLpSolution(total / OBJECTIVE_UNIT, under / OBJECTIVE_UNIT)


#: The name of :class:`CountLpJob`'s thread (:func:`wait_for_background_lps` finds them by it).
COUNT_LP_THREAD = "count-lp"


def wait_for_background_lps(timeout_seconds: float) -> bool:
    """Wait up to ``timeout_seconds`` for every :class:`CountLpJob` still solving (a solve that ended before its
    shift-count LP leaves HiGHS running in its thread, until HiGHS's own time limit); True when none is left.

    A process must not exit while HiGHS runs in another thread: the C++ runtime then aborts it (``terminate called
    without an active exception``, exit code 134) after everything was written.
    """
    deadline = time.perf_counter() + timeout_seconds
    for thread in threading.enumerate():
        if thread.name == COUNT_LP_THREAD and thread.is_alive():
            thread.join(max(0.0, deadline - time.perf_counter()))
    return not any(thread.name == COUNT_LP_THREAD and thread.is_alive() for thread in threading.enumerate())


class CountLpJob:
    """:func:`count_lp_solution` in a background thread, so that the roster's stages run meanwhile.

    HiGHS releases the interpreter's lock while it solves, so on a machine with a core to spare the LP costs the
    roster's stages little. The result is the same as a direct call with the same time limit: the LP's optimum
    (with its safe bound) when HiGHS finishes within the limit, else None.

    Parameters
    ----------
    problem : ProblemData
        The problem.
    time_limit_seconds : float
        HiGHS's limit for all components together, from now.
    """

    def __init__(self, problem: ProblemData, time_limit_seconds: float) -> None:
        self._solution: CountLpSolution | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(problem, time_limit_seconds), name=COUNT_LP_THREAD,
                                        daemon=True)
        self._thread.start()

    def _run(self, problem: ProblemData, time_limit_seconds: float) -> None:
        try:
            self._solution = count_lp_solution(problem, time_limit_seconds)
        except BaseException as error:  # re-raised in the caller's thread by wait()
            self._error = error

    def wait(self, seconds: float) -> CountLpSolution | None:
        """The solution once HiGHS has finished, waiting at most ``seconds``; None while it runs or when it stopped
        at its limit."""
        self._thread.join(max(seconds, 0.0))
        if self._thread.is_alive():
            return None
        if self._error is not None:
            raise self._error
        return self._solution
