"""Solve a :class:`ProblemData` with CP-SAT and return a :class:`Result` that tells the truth.

Every solve reports its status, the objective of the roster (recomputed by the solver-free
checker), the lower bound (the better of CP-SAT's own bound and the LP relaxation of the same
model solved with GLOP), the gap and the runtime. A timed-out solve returns its best roster.

Reproducibility: CP-SAT's parallel search is not deterministic under a wall-clock limit, so
the search runs with ``interleave_search`` and stops on *deterministic* time
(``max_deterministic_time`` = the time limit); the same problem, seed and worker count then
give the same roster whenever the deterministic limit (or optimality) ends the search before
the wall-clock limit (also the time limit), which is the case on small and medium plans.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from scheduler.checker import OBJECTIVE_UNIT, check_roster
from scheduler.cpsat.backend import CpSatBackend, LpBackend
from scheduler.cpsat.explain import explain_infeasible
from scheduler.cpsat.model import ModelVars, build_model
from scheduler.disaggregate import disaggregate
from scheduler.heuristic import greedy_counts, greedy_roster
from scheduler.problem import ProblemData
from scheduler.result import Result

#: Above this many model variables, CP-SAT's presolve and the GLOP relaxation are skipped: on the bundled
#: example (about 580,000 variables) presolve alone took 58 s and GLOP did not finish in 30 s.
LARGE_MODEL_VARIABLES = 200_000

ProgressCallback = Callable[[float, float, float], None]  # (seconds, objective, bound) in plan units

_STATUS = {
    cp_model.OPTIMAL: "OPTIMAL", cp_model.FEASIBLE: "FEASIBLE", cp_model.INFEASIBLE: "INFEASIBLE",
    cp_model.MODEL_INVALID: "MODEL_INVALID", cp_model.UNKNOWN: "TIMEOUT_NO_SOLUTION",
}


class _Progress(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution's objective and the current bound."""

    def __init__(self, callback: ProgressCallback) -> None:
        super().__init__()
        self._callback = callback
        self._start = time.perf_counter()

    def on_solution_callback(self) -> None:
        self._callback(time.perf_counter() - self._start, self.objective_value / OBJECTIVE_UNIT,
                       self.best_objective_bound / OBJECTIVE_UNIT)


def add_hints(problem: ProblemData, backend: CpSatBackend, mv: ModelVars, chosen: dict[int, list[int]]) -> None:
    """Hint the search: the agents' own hints (re-planning) where given, else the whole greedy roster.

    The greedy roster is hinted completely (shifts, break and queue counts, under- and
    over-staffing), so CP-SAT starts from a feasible solution instead of having to complete one.
    """
    own = {a: set(agent.hint.values()) for a, agent in enumerate(problem.agents) if agent.hint}
    if own:
        chosen = {}
    picks_of = {a: own.get(a, set(chosen.get(a, []))) for a in range(len(problem.agents))}
    for a, agent in enumerate(problem.agents):
        picks = picks_of[a]
        if a in mv.used:
            backend.model.add_hint(mv.used[a], bool(picks))
        for o in range(len(agent.options)):
            backend.model.add_hint(mv.x[a, o], o in picks)
    if not chosen:
        return
    breaks, queues = greedy_counts(problem, chosen)
    for key, var in mv.brk.items():
        backend.model.add_hint(var, breaks.get(key, 0))
    coverage = np.zeros((problem.num_queues, problem.num_intervals), dtype=np.int64)
    for key, var in mv.z.items():
        value = queues.get(key, 0)
        backend.model.add_hint(var, value)
        coverage[key[1], key[2]] += value
    for (q, t), var in mv.under.items():
        backend.model.add_hint(var, max(0, int(problem.demand[q, t] - coverage[q, t])))
    for (q, t), var in mv.over.items():
        backend.model.add_hint(var, max(0, int(coverage[q, t] - problem.demand[q, t])))
    on_shift = np.zeros((len(problem.groups), problem.num_intervals), dtype=np.int64)
    weekends: list[int] = [0]
    nights: list[int] = [0]
    for a, picks in chosen.items():
        agent = problem.agents[a]
        options = [agent.options[o] for o in picks]
        for option in options:
            on_shift[agent.group, max(option.start, 0):min(option.end, problem.num_intervals)] += 1
        for week, target in enumerate(agent.target_week_minutes):
            if (a, week) in mv.deviation:
                worked = sum(o.paid_minutes for o in options if week * 7 <= o.day < week * 7 + 7)
                backend.model.add_hint(mv.deviation[a, week], max(0, target - worked))
        weekends.append(sum(o.is_weekend for o in options))
        nights.append(sum(problem.templates[o.template].is_night for o in options if o.template >= 0))
    for (g, t), var in mv.several.items():
        backend.model.add_hint(var, int(on_shift[g, t] >= 2))
    for name, var in mv.most.items():
        backend.model.add_hint(var, max(weekends) if name == "max_weekend" else max(nights))


def lp_lower_bound(problem: ProblemData, time_limit_seconds: float = 30.0) -> float | None:
    """Solve the LP relaxation of the model with GLOP; return its optimum (plan units) or None."""
    backend = LpBackend()
    build_model(problem, backend)
    backend.solver.SetTimeLimit(int(time_limit_seconds * 1000))
    status = backend.solver.Solve()
    if status != backend.solver.OPTIMAL:
        return None
    return backend.solver.Objective().Value() / OBJECTIVE_UNIT


def solve(problem: ProblemData, *, time_limit_seconds: float = 60.0, workers: int = 2, seed: int = 0,
          relative_gap: float = 0.0, progress: ProgressCallback | None = None, with_lp_bound: bool = True,
          solver_params: dict[str, Any] | None = None, use_greedy_hint: bool = True) -> Result:
    """Build and solve the model.

    Parameters
    ----------
    problem : ProblemData
        The problem.
    time_limit_seconds : float
        Deterministic time limit (about seconds on this kind of machine); wall limit is 3x.
    workers : int
        CP-SAT search workers.
    seed : int
        Random seed.
    relative_gap : float
        Stop once the gap is below this.
    progress : callable, optional
        Called with (seconds, objective, bound) at each improving roster.
    with_lp_bound : bool
        Whether to compute the LP relaxation bound too.
    solver_params : dict, optional
        Extra CP-SAT parameters, set by name (a misspelt one raises).
    use_greedy_hint : bool
        Start the search from the greedy roster of :mod:`scheduler.heuristic` (agents' own
        hints, e.g. last week's roster, take precedence).

    Returns
    -------
    Result
        Status, objective, bound, gap, runtime, roster and its check.
    """
    started = time.perf_counter()
    backend = CpSatBackend()
    mv = build_model(problem, backend)
    greedy = greedy_roster(problem) if use_greedy_hint else {}
    add_hints(problem, backend, mv, greedy)
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = workers
    params.random_seed = seed
    params.interleave_search = workers > 1
    params.max_deterministic_time = time_limit_seconds
    params.max_time_in_seconds = time_limit_seconds
    params.relative_gap_limit = relative_gap
    large = len(backend.model.proto.variables) > LARGE_MODEL_VARIABLES
    if large:  # presolve alone would take most of the time limit on models this size
        params.cp_model_presolve = False
    for name, value in (solver_params or {}).items():
        if not hasattr(params, name):
            raise ValueError(f"'{name}' is not a CP-SAT parameter")
        setattr(params, name, value)
    callback = _Progress(progress) if progress else None
    status = _STATUS.get(solver.solve(backend.model, callback), "MODEL_INVALID")
    solver_bound = solver.best_objective_bound / OBJECTIVE_UNIT if status in ("OPTIMAL", "FEASIBLE") else None
    with_lp_bound = with_lp_bound and not large
    lp_bound = lp_lower_bound(problem) if with_lp_bound and status in ("OPTIMAL", "FEASIBLE") else None
    common = {"runtime_seconds": 0.0, "num_agents": len(problem.agents), "seed": seed, "workers": workers}
    if status == "TIMEOUT_NO_SOLUTION" and use_greedy_hint:
        fallback = _greedy_result(problem, greedy, started, with_lp_bound, common)
        if fallback is not None:
            return fallback
    if status not in ("OPTIMAL", "FEASIBLE"):
        explanation = explain_infeasible(problem) if status == "INFEASIBLE" else []
        common["runtime_seconds"] = time.perf_counter() - started
        return Result(status, None, math.nan, None, None, **common, explanation=explanation)
    roster = disaggregate(problem, _chosen(solver, mv), _values(solver, mv.brk), _values(solver, mv.z))
    report = check_roster(problem, roster)
    if not report.feasible:  # the model and the checker disagree: never hide it
        raise AssertionError("solver roster fails the checker: " + "; ".join(report.violations[:5]))
    objective = report.terms.total / OBJECTIVE_UNIT
    if use_greedy_hint and status != "OPTIMAL":
        fallback = _greedy_result(problem, greedy, started, False, common)
        if fallback is not None and fallback.objective < objective - 1e-9:
            bounds = [b for b in (solver_bound, lp_bound) if b is not None]
            lower = min(max(bounds), fallback.objective) if bounds else 0.0
            return replace(fallback, lower_bound=lower, lp_bound=lp_bound, solver_bound=solver_bound,
                           runtime_seconds=time.perf_counter() - started,
                           explanation=["CP-SAT's best roster was worse than the greedy start roster within the "
                                        "time limit; this is the greedy roster, checked independently"])
    bounds = [b for b in (solver_bound, lp_bound) if b is not None]
    lower = min(max(bounds), objective) if bounds else 0.0
    return Result(status, objective, lower, lp_bound, solver_bound, time.perf_counter() - started,
                  roster=roster, coverage=report.coverage, terms=report.terms, penalties=report.soft,
                  num_agents_used=len(roster.by_agent()), num_agents=len(problem.agents), seed=seed, workers=workers,
                  solver_objective=solver.objective_value / OBJECTIVE_UNIT)


def _greedy_result(problem: ProblemData, chosen: dict[int, list[int]], started: float, with_lp_bound: bool,
                   common: dict[str, Any]) -> Result | None:
    """The greedy roster, checked, as the result of a solve that found nothing better in time."""
    if not chosen:
        return None
    roster = disaggregate(problem, chosen, *greedy_counts(problem, chosen))
    report = check_roster(problem, roster)
    if not report.feasible:
        return None
    lp_bound = lp_lower_bound(problem) if with_lp_bound else None
    objective = report.terms.total / OBJECTIVE_UNIT
    lower = min(lp_bound, objective) if lp_bound is not None else 0.0
    return Result("FEASIBLE", objective, lower, lp_bound, None, time.perf_counter() - started, roster=roster,
                  coverage=report.coverage, terms=report.terms, penalties=report.soft,
                  num_agents_used=len(roster.by_agent()), num_agents=len(problem.agents), seed=common["seed"],
                  workers=common["workers"], explanation=["CP-SAT found no roster in time; this is the greedy "
                                                          "start roster, checked independently"])


def _chosen(solver: cp_model.CpSolver, mv: ModelVars) -> dict[int, list[int]]:
    chosen: dict[int, list[int]] = {}
    for (a, o), var in mv.x.items():
        if solver.boolean_value(var):
            chosen.setdefault(a, []).append(o)
    return chosen


def _values(solver: cp_model.CpSolver, variables: dict[Any, Any]) -> dict[Any, int]:
    return {key: int(solver.value(var)) for key, var in variables.items()}
