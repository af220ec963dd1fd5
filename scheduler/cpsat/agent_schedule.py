"""One agent's shifts within all their own rules, found exactly by CP-SAT.

The greedy start roster picks shifts one at a time; for an agent with pinned shifts and a weekly
minimum close to the maximum, picking that way can leave no room for the minimum (the rest after
one pick blocks the shift that would reach it). This module finds a schedule that keeps the pins,
meets every rule of the agent alone (one shift a day, rest, weekly minimum and maximum, days per
week, consecutive days, pinned days off), and keeps as many of the greedy's picks as possible,
then the most useful other shifts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from ortools.sat.python import cp_model

from scheduler.cpsat.backend import reproducible_solver, solve_counted
from scheduler.problem import AgentData, ProblemData

# an agent's model has a few hundred Booleans: this is far more than it needs, and the answer stays reproducible
DETERMINISTIC_SECONDS = 2.0
# a kept pick outweighs any sum of usefulness scores (each in [0, 1], at most one shift a day)
KEEP_WEIGHT = 1000


def schedule_agent(problem: ProblemData, agent: AgentData, prefer: Sequence[int] = (),
                   usefulness: Sequence[float] | None = None) -> list[int] | None:
    """Return option indices for ``agent`` that keep the pins and meet all their rules, or None if none exist.

    Parameters
    ----------
    problem : ProblemData
        The problem (rest, consecutive days, weeks).
    agent : AgentData
        The agent; every pinned shift is worked and every pinned day off is free.
    prefer : sequence of int
        Options to keep where the rules allow (the greedy's picks).
    usefulness : sequence of float, optional
        A score in [0, 1] per option (e.g. the share of its intervals with open need), the tie-breaker
        among schedules that keep as many preferred options.

    Returns
    -------
    list of int or None
        The options worked, by start; None when the agent's rules cannot all hold with the pins.
    """
    options = agent.options
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{o}") for o in range(len(options))]
    by_day: dict[int, list[int]] = defaultdict(list)
    for o, option in enumerate(options):
        by_day[option.day].append(o)
    for day_options in by_day.values():
        model.add_at_most_one(x[o] for o in day_options)
    for day, pinned in agent.pinned.items():
        if pinned >= 0:
            model.add(x[pinned] == 1)
        else:
            for o in by_day.get(day, []):
                model.add(x[o] == 0)
    rest = problem.min_rest_intervals
    for o, first in enumerate(options):
        for p, second in enumerate(options):
            if second.day > first.day and second.start < first.end + rest:
                model.add_bool_or([x[o].Not(), x[p].Not()])
    for week in range(problem.num_weeks):
        in_week = [o for o, option in enumerate(options) if week * 7 <= option.day < week * 7 + 7]
        minutes = sum(options[o].paid_minutes * x[o] for o in in_week)
        model.add(minutes <= agent.max_week_minutes[week])
        if agent.min_week_minutes[week] > 0:
            model.add(minutes >= agent.min_week_minutes[week])
        model.add(sum(x[o] for o in in_week) <= agent.max_days_in_week(week))
    for window, most in problem.consecutive_day_windows(agent):
        terms = [x[o] for d in window for o in by_day.get(d, [])]
        if len(terms) > most:
            model.add(sum(terms) <= most)
    kept = set(prefer)
    scores = [KEEP_WEIGHT * (o in kept) + round(100 * (usefulness[o] if usefulness is not None else 0.0))
              for o in range(len(options))]
    model.maximize(sum(score * x[o] for o, score in enumerate(scores) if score))
    solver = reproducible_solver(workers=1, seed=0, deterministic_seconds=DETERMINISTIC_SECONDS,
                                 wall_seconds=10 * DETERMINISTIC_SECONDS)
    status = solve_counted(solver, model, "CP-SAT on one agent's weeks")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return sorted((o for o in range(len(options)) if solver.value(x[o])), key=lambda o: options[o].start)
