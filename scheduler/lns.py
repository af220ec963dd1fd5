"""Large-neighbourhood search over skill groups, for plans too large for one CP-SAT model.

On a large plan (hundreds of agents, weeks on a fine grid) the whole model has millions of
variables and CP-SAT spends its time limit loading and presolving it. Here the roster is
improved piece by piece instead: each step frees the agents of a few skill groups that share
a queue, fixes everyone else (their coverage is subtracted from the demand), and solves that
sub-problem exactly with the same model code (:func:`scheduler.cpsat.model.build_model`),
starting from the current roster. A step is kept only when the solver-free checker says the
*whole* roster got better, so the search can never make the roster worse or break a rule.

Reproducible: neighbourhoods come from a seeded generator and each sub-solve stops on
deterministic time with one worker, so the same plan and seed give the same steps — as long as the
wall-clock budget is not what ends the search.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from ortools.sat.python import cp_model

from scheduler.checker import OBJECTIVE_UNIT, CheckReport, check_roster
from scheduler.cpsat.backend import CpSatBackend, reproducible_solver
from scheduler.cpsat.hints import add_hints
from scheduler.cpsat.model import build_model
from scheduler.disaggregate import disaggregate
from scheduler.problem import ProblemData
from scheduler.roster import Assignment, Roster

#: A neighbourhood grows by whole skill groups until it holds this many shift options.
NEIGHBOURHOOD_OPTIONS = 4_000
#: Deterministic-time limit of one sub-solve (about seconds).
STEP_DETERMINISTIC_SECONDS = 3.0


@dataclass(frozen=True)
class LnsOutcome:
    """What the search did.

    Attributes
    ----------
    roster : Roster
        The best roster (always feasible: each kept step passed the checker).
    report : CheckReport
        The checker's report of that roster.
    steps, improving_steps : int
        Sub-solves run, and those that were kept.
    """

    roster: Roster
    report: CheckReport
    steps: int
    improving_steps: int


def improve_by_groups(problem: ProblemData, roster: Roster, *, time_budget_seconds: float, seed: int = 0,
                      progress: Callable[[float, float], None] | None = None) -> LnsOutcome:
    """Improve a feasible roster by re-solving a few skill groups at a time.

    Parameters
    ----------
    problem : ProblemData
        The problem.
    roster : Roster
        A roster that passes :func:`scheduler.checker.check_roster`.
    time_budget_seconds : float
        Wall-clock budget, and the total deterministic time of the sub-solves.
    seed : int
        Seed of the neighbourhood choice and of the sub-solves (one CP-SAT worker each).
    progress : callable, optional
        Called with (seconds, objective in plan units) at every improvement.

    Returns
    -------
    LnsOutcome
        The best roster and its check.
    """
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    best = check_roster(problem, roster)
    if not best.feasible:
        raise ValueError("the start roster breaks hard rules: " + "; ".join(best.violations[:3]))
    members = _group_members(problem)
    serving = _groups_of_queue(problem)
    deterministic_used = 0.0
    steps = improving = 0
    while deterministic_used < time_budget_seconds:
        remaining = time_budget_seconds - (time.perf_counter() - started)
        if remaining < 2.0:
            break
        freed = _neighbourhood(problem, best.coverage, members, serving, rng)
        if not freed:
            break
        limit = min(STEP_DETERMINISTIC_SECONDS, time_budget_seconds - deterministic_used)
        candidate, spent = _resolve(problem, roster, freed, limit, remaining, seed + steps)
        deterministic_used += max(spent, 0.05)
        steps += 1
        if candidate is None:
            continue
        report = check_roster(problem, candidate)
        if report.feasible and report.terms.total < best.terms.total:
            roster, best = candidate, report
            improving += 1
            if progress is not None:
                progress(time.perf_counter() - started, best.terms.total / OBJECTIVE_UNIT)
    return LnsOutcome(roster, best, steps, improving)


def _group_members(problem: ProblemData) -> dict[int, list[int]]:
    members: dict[int, list[int]] = {}
    for a, agent in enumerate(problem.agents):
        if agent.options:
            members.setdefault(agent.group, []).append(a)
    return members


def _groups_of_queue(problem: ProblemData) -> dict[int, list[int]]:
    serving: dict[int, list[int]] = {}
    for g, skills in enumerate(problem.groups):
        for q in skills:
            serving.setdefault(q, []).append(g)
    return serving


def _neighbourhood(problem: ProblemData, coverage: np.ndarray, members: dict[int, list[int]],
                   serving: dict[int, list[int]], rng: np.random.Generator) -> list[int]:
    """Agents to free: groups serving one queue (drawn by its weighted under- and over-staffing)."""
    gap = problem.demand - coverage
    priority = np.asarray(problem.queue_priority, dtype=float)
    pressure = (np.clip(gap, 0, None).sum(axis=1) * priority + np.clip(-gap, 0, None).sum(axis=1) + 1.0)
    candidates = [q for q in range(problem.num_queues) if any(g in members for g in serving.get(q, []))]
    if not candidates:
        return []
    weights = pressure[candidates] / pressure[candidates].sum()
    queue = candidates[int(rng.choice(len(candidates), p=weights))]
    groups = [g for g in serving[queue] if g in members]
    rng.shuffle(groups)
    # then groups sharing any queue with the chosen ones, so the freed agents can trade queues
    neighbours = [g for g in members if g not in groups
                  and set(problem.groups[g]) & {q for h in groups for q in problem.groups[h]}]
    rng.shuffle(neighbours)
    freed: list[int] = []
    options = 0
    for g in groups + neighbours:
        group_agents = list(members[g])
        rng.shuffle(group_agents)
        for a in group_agents:
            if options >= NEIGHBOURHOOD_OPTIONS and freed:
                return sorted(freed)
            freed.append(a)
            options += len(problem.agents[a].options)
    return sorted(freed)


def _resolve(problem: ProblemData, roster: Roster, freed: list[int], deterministic_limit: float,
             wall_limit: float, seed: int) -> tuple[Roster | None, float]:
    """Re-solve the freed agents against the demand the others leave; return the merged roster."""
    freed_set = set(freed)
    fixed = Roster(tuple(item for item in roster.assignments if item.agent not in freed_set))
    residual = np.clip(problem.demand - fixed.coverage(problem), 0, None)
    current = roster.by_agent()
    # the current roster is the complete hint (shifts, breaks, queues), not the agents' own partial hints
    sub = replace(problem, agents=tuple(replace(problem.agents[a], hint={}) for a in freed), demand=residual)
    backend = CpSatBackend()
    mv = build_model(sub, backend)
    chosen = {i: [item.option for item in current.get(a, [])] for i, a in enumerate(freed) if a in current}
    add_hints(sub, backend, mv, chosen)
    # one worker: a small model needs no portfolio, and CP-SAT 9.15's interleaved search aborted the whole
    # process once on a sub-problem cut short by the wall clock ("Check failed: heuristics.fixed_search")
    solver = reproducible_solver(workers=1, seed=seed, deterministic_seconds=deterministic_limit,
                                 wall_seconds=max(wall_limit, 1.0))
    solver.parameters.cp_model_presolve = False  # presolve would spend the step's budget; the hint is complete
    status = solver.solve(backend.model)
    spent = solver.response_proto.deterministic_time
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, spent
    picks: dict[int, list[int]] = {}
    for (i, o), var in mv.x.items():
        if solver.boolean_value(var):
            picks.setdefault(i, []).append(o)
    sub_roster = disaggregate(sub, picks, {k: int(solver.value(v)) for k, v in mv.brk.items()},
                              {k: int(solver.value(v)) for k, v in mv.z.items()})
    moved = tuple(Assignment(freed[item.agent], item.option, item.break_offsets, item.queues)
                  for item in sub_roster.assignments)
    merged = sorted(fixed.assignments + moved, key=lambda item: (item.agent, item.option))
    return Roster(tuple(merged)), spent
