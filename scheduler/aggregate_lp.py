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
  maximums, and its contract deviation is at least the ``h`` smallest targets minus its paid minutes.

Every roster maps to a feasible point of this LP at no more than its objective (the preference and
fairness terms are non-negative and left out), so the LP optimum, proven by the
safe dual bound of :func:`scheduler.cpsat.lp_bound.exact_bound`, is a lower bound. It is weaker than
the whole model's relaxation (no per-agent rules, no skills inside a component) but a few thousand
columns where the whole model has millions, so HiGHS solves it in seconds on plans where PDLP
cannot converge on the whole model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from scheduler.checker import OBJECTIVE_UNIT
from scheduler.covering_flow import component_problems
from scheduler.cpsat.lp_bound import LinearRelaxation, exact_solve
from scheduler.problem import ProblemData


def count_lp(problem: ProblemData) -> LinearRelaxation | None:
    """The shift-count LP of one component (the whole problem), in model units; None without agents or demand."""
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
    matrix = sp.vstack([coverage, links, heads[0]]).tocsr()
    row_lower = np.concatenate([demand.astype(float), np.zeros(num_links), heads[1]])
    row_upper = np.concatenate([demand.astype(float), np.zeros(num_links), heads[2]])
    objective = np.concatenate([columns_cost, under_cost, np.full(horizon, 6000.0 * w.over_staffing),
                                [6000.0 * min(w.headcount, w.open_position)],
                                np.full(problem.num_weeks, 100.0 * w.contract_deviation_hour)])
    lower = np.zeros(width)
    upper_all = np.concatenate([upper, demand.astype(float), np.full(horizon, float(num_agents)), [num_agents],
                                [float(sum(a.target_week_minutes[w] for a in problem.agents if a.target_week_minutes))
                                 for w in range(problem.num_weeks)]])
    return LinearRelaxation(objective, matrix, row_lower, row_upper, lower, upper_all)


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
    total = under = 0.0
    parts = component_problems(problem)
    for part in parts:
        lp = count_lp(part)
        if lp is None:
            if part.demand.any():  # demand nobody may serve: all of it is missed
                priority = np.asarray(part.queue_priority, dtype=np.int64)[:, None]
                missed = float((part.demand * priority).sum() * 60 * part.weights.under_staffing)
                total += missed
                under += missed
            continue
        solved = exact_solve(lp, time_limit_seconds / len(parts))
        if solved is None:
            return None
        total += solved[0]
        columns = slice(lp.num_variables - 2 * part.num_intervals - 1 - part.num_weeks,
                        lp.num_variables - part.num_intervals - 1 - part.num_weeks)
        under += float(lp.objective[columns] @ solved[1][columns])
    return CountLpSolution(total / OBJECTIVE_UNIT, under / OBJECTIVE_UNIT)
