"""Solve a :class:`ProblemData` with CP-SAT and return a :class:`Result` that tells the truth.

Every solve reports its status, the objective of the roster (recomputed by the solver-free
checker), the lower bound (the better of CP-SAT's own bound and the LP relaxation of the same
model, :mod:`scheduler.cpsat.lp_bound`), the gap and the runtime. A timed-out solve returns its
best roster. Every solve starts from a roster built without the solver: the greedy of
:mod:`scheduler.heuristic`, its breaks placed by :mod:`scheduler.breaks`, improved by the exact
day moves of :mod:`scheduler.local_search`. Small plans give it to CP-SAT as a complete hint; plans
too large for one CP-SAT model (:data:`LARGE_MODEL_VARIABLES`) keep it, with the shift-count LP's and
PDLP's safe bounds; where it misses demand the shift-count LP meets, CP-SAT re-times the agents of each
under-staffed queue one day at a time (:func:`scheduler.lns.fix_under_staffing`), and time left goes to
skill group by skill group steps (:mod:`scheduler.lns`). A large plan whose compact LP fits its share of the limit
also gets a roster of the agents that LP works (:mod:`scheduler.team`), which keeps fewer heads.

Reproducibility: CP-SAT's parallel search is not deterministic under a wall-clock limit, so
the search runs with ``interleave_search`` and stops on *deterministic* time
(``max_deterministic_time`` = the time limit); the same problem, seed and worker count then
give the same roster whenever the deterministic limit (or optimality) ends the search before
the wall-clock limit (also the time limit), which is the case on small and medium plans. Large plans run
no stage on the clock either: each has a nominal budget that its counted work ends
(:mod:`scheduler.work_limits`: the local search's evaluations, PDLP's matrix passes, CP-SAT's deterministic
time), and the budgets follow from each other, not from the time read at a stage's end; the clock only stops a
stage that runs far behind its estimate, and :data:`LARGE_SLACK_SHARE` of the limit is left unplanned for that.
On a machine slower than the measured rates the nominal time left is cut to the clock's, so the limit holds and
the roster then depends on the machine's speed.
"""

from __future__ import annotations

import gc
import math
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ortools.sat.python import cp_model

from scheduler.aggregate_lp import CountLpJob, CountLpSolution
from scheduler.breaks import IMPROVEMENT_PASSES, place_breaks
from scheduler.checker import OBJECTIVE_UNIT, CheckReport, check_roster
from scheduler.covering_flow import (
    FlowSolution,
    Spans,
    covering_bound,
    exact_applies,
    exact_roster,
    solve_flow,
    spans_of,
)
from scheduler.cpsat.backend import CpSatBackend, reproducible_solver
from scheduler.cpsat.explain import explain_infeasible
from scheduler.cpsat.hints import add_hints
from scheduler.cpsat.lp_bound import exact_bound, pdlp_bound, pdlp_solve, relaxation_of
from scheduler.cpsat.model import ModelVars, build_model
from scheduler.disaggregate import disaggregate
from scheduler.floor_bound import capacity_floor
from scheduler.heuristic import greedy_counts, greedy_roster
from scheduler.lns import fix_under_staffing, improve_by_groups
from scheduler.local_search import RUIN_TRIES_PER_SECOND, improve_by_day_moves
from scheduler.problem import ProblemData
from scheduler.result import Result
from scheduler.roster import Roster
from scheduler.roster_mip import CompactLp, build_roster_mip, compact_lp
from scheduler.team import TEAM_THRESHOLD, lp_team, team_problem
from scheduler.work_limits import (
    WALL_SAFETY,
    check_seconds,
    compact_lp_seconds,
    greedy_seconds,
    lp_setup_seconds,
    model_seconds,
    relaxation_seconds,
    setup_seconds,
)

#: Above this many model variables CP-SAT is not run on the whole model. On the bundled example (about 580,000
#: variables) presolve alone took 58 s and the search without presolve never improved on its start; on the
#: seeded medium benchmark (56,000 variables) 60 s of CP-SAT did not improve its start either. Such plans get
#: the polished start roster, the LP relaxation's bound from PDLP, a greedy guided by the LP's shifts when
#: time remains, and the group-by-group search of :mod:`scheduler.lns`.
LARGE_MODEL_VARIABLES = 20_000
#: Share of the time limit a large plan spends on its lower bound (PDLP); the rest improves the roster.
LARGE_BOUND_SHARE = 0.5
#: Share of the time limit the start roster's local search (:mod:`scheduler.local_search`) may take: on a large
#: plan it is where the roster gets good (it stops earlier when no move helps); on a small one CP-SAT improves on
#: it, so its ruin-and-recreate phase gets a quarter of the steps. On the 300-agent benchmark (2026-12-03) 0.6 left
#: the re-timing of under-staffed queues 23 s (111,393) and 0.5 left it 34 s (107,541): its steps gain more.
LARGE_POLISH_SHARE = 0.5
POLISH_SHARE = 0.1
#: ... but a large plan whose team is short of capacity (the shift-count LP's unavoidable under-staffing is at
#: least :data:`SHORT_UNDER_SHARE` of its bound) polishes less: its objective is mostly under-staffing no roster
#: avoids, and the gap is in the bound. On the bundled example (99.8% of the count LP's bound) the local search
#: gained 16,000 of 15.7 million between 8 s and 25 s, while 24 s of PDLP instead of 17 s moved the bound by 3%.
#: After the speed-ups of 2026-12-03 (the setup's estimate fell from 8 s to 4 s, so the polish got that much more):
#: 0.3 gave 15,771,143 / 13,551,053 (14.1%), 0.2 gave 15,849,298 / 14,338,892 (9.5%), 0.25 15,768,137 / 14,413,477
#: (8.6%, in 48 s).
SHORT_POLISH_SHARE = 0.25
SHORT_UNDER_SHARE = 0.5
#: ... counted from the start of the solve (model building and the greedy included), but never below this share.
MIN_POLISH_SHARE = 0.05
#: Share of what is left after the bound that a large plan gives to more local search before the group LNS.
LATE_POLISH_SHARE = 0.7
#: Share of the time limit a large plan keeps for what cannot stop on time (PDLP's last iterations, the last
#: local-search step, the final check): without it the 300-agent, 4-week benchmark ended 2.5 s past its 120 s.
LARGE_FINISH_SHARE = 0.04
#: Share of the time limit a large plan's nominal budgets leave unplanned, for the work estimates'
#: errors (:mod:`scheduler.work_limits`): a stage the wall clock has to cut at the time limit gives a roster that
#: depends on the machine's speed. On the 300-agent benchmark the stages ran 5 to 8 s behind their nominal time.
LARGE_SLACK_SHARE = 0.08
#: Share of the time limit a large plan whose start roster misses demand that the shift-count LP meets keeps for
#: :func:`scheduler.lns.fix_under_staffing` (taken from PDLP's share). Demand the LP misses too (a team short of
#: capacity, as on the bundled example) gets no reserve: re-timing cannot meet it, and PDLP's bound needs the time.
UNDER_FIX_SHARE = 0.3  # 36 s on the 300-agent benchmark: 8 steps of up to 3 s (0.15: 7 steps, 118,693 vs 116,691)
#: A large plan runs PDLP only with at least this share of the limit left for it once its model is read (on the
#: 300-agent benchmark 3 s of PDLP proved nothing, after 9 s of reading the relaxation).
MIN_PDLP_SHARE = 0.1
#: "The LP meets it": the LP's under-staffing is at most this share of the start roster's.
AVOIDABLE_UNDER_SHARE = 0.5
#: Weights of the LP relaxation's shift values added to the greedy's gains on large plans (each gives one roster).
LP_GUIDE_WEIGHTS = (0.3, 1.0)
#: The covering flow's bound tries headcount multipliers for at most this share of the time limit (a safety net:
#: the benchmarks' take under 3%; a 6-week plan on the 15-minute grid took 23 s of a 5-second limit without it).
FLOW_BOUND_SHARE = 0.1
#: A large plan with at most this many shift options builds the compact roster MIP (:mod:`scheduler.roster_mip`) and,
#: when its LP relaxation's nominal time (:func:`scheduler.work_limits.compact_lp_seconds`) is at most
#: :data:`COMPACT_LP_SHARE` of the limit, solves it by interior point instead of running PDLP: the same bound (the
#: 80-agent benchmark's exact LP optimum, 11,825.07, in 10.5 s where PDLP proved 11,807 in 25 s) and an optimal vertex
#: whose shift values guide the greedy far better than PDLP's inexact primal (that plan's polished roster 13,557 to
#: 13,638 against 14,137 without it). The 500-agent benchmark's LP takes 29.6 s of its 60 s and its guided rosters
#: were worse (about 70,000 against 67,196): it keeps the shift-count LP.
COMPACT_LP_MAX_OPTIONS = 60_000
COMPACT_LP_SHARE = 0.25
#: Weight of the compact LP vertex's shift values added to the greedy's gains for the start roster (measured on the
#: 80-agent benchmark with 15 s of polish: 0.3 gave 14,060, 1 13,805, 3 13,638, 10 13,557, 30 14,001).
COMPACT_GUIDE_WEIGHT = 10.0
#: With the compact LP's vertex, a second roster is built for the agents the LP works (:mod:`scheduler.team`): its
#: local search gets this share of the limit, and the re-timing of the demand it leaves uncovered up to
#: :data:`TEAM_REPAIR_SHARE` (80-agent benchmark: 70 of 80 agents, 17 agent-intervals uncovered after 6 s of local
#: search, all closed by 10 re-timing steps in 10 s).
TEAM_POLISH_SHARE = 0.15
TEAM_REPAIR_SHARE = 0.3
#: Share of the time limit the exact LP relaxation (HiGHS) may take after CP-SAT, on models below the large size
#: whose compact LP did not run (:data:`COMPACT_LP_SHARE`; its bound is then the LP bound).
EXACT_LP_SHARE = 0.25
#: CP-SAT's least share of the limit on a plan below the large size, however long the stages before it took.
MIN_SEARCH_SHARE = 0.1
#: A plan below the large size first gets this share of the limit of CP-SAT from its start roster: small plans are
#: proven optimal in it. When not, the roster stages of large plans (:func:`_improve_small`) take
#: :data:`STAGES_SHARE` of the limit, and CP-SAT, started from their roster, the rest.
PROBE_SHARE = 0.15
STAGES_SHARE = 0.4
#: Share of the time limit the shift-count LP (:mod:`scheduler.aggregate_lp`) may take on a large plan. With its
#: contract classes it needs 8.6 s on the 300-agent, 4-week benchmark and 6.1 s on the bundled example, whose 55 s
#: limit at 0.1 cut it at 5.5 s (the bound then fell to the demand floor, a 99.8% gap).
COUNT_LP_SHARE = 0.2
#: ... and its limit in all: unfinished in its share, it goes on in its thread beside the roster's stages, and its
#: bound counts if it arrives before the solve ends.
COUNT_LP_LATE_SHARE = 0.9
#: ... and what it is charged in the nominal time of the stages after it (HiGHS counts no work the solve could
#: limit on; measured 1.4 s on the bundled example and 5.1 s, then 10.5 s on 2026-12-03, on the 300-agent benchmark:
#: 0.04 of its 120 s left the nominal time 6 s behind the clock, and the clock then set the late stages' budgets).
COUNT_LP_CHARGE_SHARE = 0.08

ProgressCallback = Callable[[float, float, float], None]  # (seconds, objective, bound) in plan units

_STATUS = {
    cp_model.OPTIMAL: "OPTIMAL", cp_model.FEASIBLE: "FEASIBLE", cp_model.INFEASIBLE: "INFEASIBLE",
    cp_model.MODEL_INVALID: "MODEL_INVALID", cp_model.UNKNOWN: "TIMEOUT_NO_SOLUTION",
}


class _Progress(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution's objective and the best bound known, in seconds from ``started`` (default:
    now)."""

    def __init__(self, callback: ProgressCallback, started: float | None = None,
                 known_bound: float = -math.inf) -> None:
        super().__init__()
        self._callback = callback
        self._start = time.perf_counter() if started is None else started
        self._known_bound = known_bound

    def on_solution_callback(self) -> None:
        objective = self.objective_value / OBJECTIVE_UNIT
        # a bound proved before the search (the LP's, the covering flow's) holds too: the better one is shown
        bound = min(max(self.best_objective_bound / OBJECTIVE_UNIT, self._known_bound), objective)
        self._callback(time.perf_counter() - self._start, objective, bound)


def lp_lower_bound(model: cp_model.CpModel, time_limit_seconds: float, *, large: bool = False,
                   threads: int = 1) -> float | None:
    """The LP relaxation bound of exactly the model CP-SAT solves, in plan units.

    Exact (HiGHS) on small and medium models; on large ones the safe Lagrangian bound of PDLP's
    duals after ``time_limit_seconds`` (see :mod:`scheduler.cpsat.lp_bound`). None when the exact LP
    does not finish in time.
    """
    relaxation = relaxation_of(model)
    if large:
        bound = pdlp_bound(relaxation, time_limit_seconds, threads=threads)
    else:
        bound = exact_bound(relaxation, time_limit_seconds)
    return None if bound is None else bound / OBJECTIVE_UNIT


def solve(problem: ProblemData, *, time_limit_seconds: float = 60.0, workers: int = 2, seed: int = 0,
          relative_gap: float = 0.0, progress: ProgressCallback | None = None, with_lp_bound: bool = True,
          solver_params: dict[str, Any] | None = None, use_greedy_hint: bool = True) -> Result:
    """Build and solve the model.

    Parameters
    ----------
    problem : ProblemData
        The problem.
    time_limit_seconds : float
        CP-SAT stops at this deterministic and wall-clock time; the exact LP bound of a small plan may add
        a quarter of it, and a large plan spends it on the bound, the LP-guided greedy and the LNS.
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
    # The plan's objects live through the solve: moved out of the collector's generations, Python's full
    # collections (triggered by the many short-lived objects of the search) need not walk them each time.
    # On the one-week covering grid one such collection cost 27 ms of a 38 ms solve.
    gc.freeze()
    notes: list[str] = []
    try:
        result = _solve(problem, time_limit_seconds=time_limit_seconds, workers=workers, seed=seed,
                        relative_gap=relative_gap, progress=progress, with_lp_bound=with_lp_bound,
                        solver_params=solver_params, use_greedy_hint=use_greedy_hint, notes=notes)
    finally:
        gc.unfreeze()
    return replace(result, hires=hires_by_profile(problem, result.roster), explanation=[*result.explanation, *notes])


def hires_by_profile(problem: ProblemData, roster: Roster | None) -> tuple[tuple[str, int, int], ...]:
    """Per open-position profile (in plan order): heads the roster hires, and heads allowed."""
    allowed: dict[str, int] = {}
    for agent in problem.agents:
        if agent.is_open_position:
            allowed[agent.profile] = allowed.get(agent.profile, 0) + 1
    hired = dict.fromkeys(allowed, 0)
    for a in (roster.by_agent() if roster is not None else {}):
        if problem.agents[a].is_open_position:
            hired[problem.agents[a].profile] += 1
    return tuple((profile, hired[profile], allowed[profile]) for profile in allowed)


def _solve(problem: ProblemData, *, time_limit_seconds: float, workers: int, seed: int, relative_gap: float,
           progress: ProgressCallback | None, with_lp_bound: bool, solver_params: dict[str, Any] | None,
           use_greedy_hint: bool, notes: list[str]) -> Result:
    started = time.perf_counter()
    common = {"runtime_seconds": 0.0, "num_agents": len(problem.agents), "seed": seed, "workers": workers}
    flow_deadline = started + FLOW_BOUND_SHARE * time_limit_seconds
    if exact_applies(problem):
        spans = spans_of(problem)
        base = solve_flow(problem, spans)
        flow_bound = covering_bound(problem, spans, base, deadline=flow_deadline)
        exact = _exact_result(problem, spans, base, flow_bound, started, common)
        if exact is not None:
            return exact
    else:
        flow_bound = covering_bound(problem, deadline=flow_deadline)
    num_options = sum(len(agent.options) for agent in problem.agents)
    # every shift option has a variable: with more options than that, the plan is large without building its
    # model, which only PDLP needs then (17 s of the 300-agent benchmark's 120 s, before the local search)
    backend: CpSatBackend | None = None
    mv: ModelVars | None = None
    num_variables = 0
    if num_options <= LARGE_MODEL_VARIABLES:
        backend, mv = _whole_model(problem)
        num_variables = len(backend.model.proto.variables)
    large = backend is None or num_variables > LARGE_MODEL_VARIABLES
    share = LARGE_POLISH_SHARE if large else POLISH_SHARE
    compact, compact_seconds = None, 0.0
    if with_lp_bound and use_greedy_hint and num_options <= COMPACT_LP_MAX_OPTIONS:
        compact, compact_seconds = _compact_lp(problem, time_limit_seconds, workers)
    guided: dict[int, list[int]] = {}
    if not use_greedy_hint:
        greedy = {}
    elif compact is not None:  # the LP's vertex knows the shift mix; the greedy makes it whole
        guided = greedy_roster(problem, {a: COMPACT_GUIDE_WEIGHT * v for a, v in compact.shift_values.items()})
        # both starts are tried, the better one kept: the guided one first on a large plan, the plain one on a small
        greedy = guided if large else greedy_roster(problem)
    else:
        greedy = greedy_roster(problem)
    counted, count_job = None, None
    if large and with_lp_bound:  # the shift-count LP first: it tells whether the team is short of capacity
        # in a thread with a longer limit: unfinished in its share, it goes on beside the roster's stages and its
        # bound may still arrive before the end (the bundled example over 4 weeks on the 15-minute grid: 22 s)
        count_job = CountLpJob(problem, COUNT_LP_LATE_SHARE * time_limit_seconds)
        counted = count_job.wait(COUNT_LP_SHARE * time_limit_seconds)
        if counted is not None and counted.under_staffing >= SHORT_UNDER_SHARE * counted.bound:
            share = SHORT_POLISH_SHARE
    # the time so far, estimated from the plan's size (not read from the clock: budgets that follow from it
    # would make the roster depend on the machine's speed at that moment)
    setup = setup_seconds(num_variables, num_options, problem.num_intervals) + compact_seconds
    polish = max(share * time_limit_seconds - setup, MIN_POLISH_SHARE * time_limit_seconds)
    if large and compact is not None and compact.used_values:  # a safety net: the LP's team gets the polish
        polish = MIN_POLISH_SHARE * time_limit_seconds  # (_team_result)
    # the clock is only a safety net: on a machine slower than the rates of scheduler.work_limits the local search
    # still ends in time for the stages after it (it then ends on the clock, and the roster depends on the machine)
    polish_wall = WALL_SAFETY * polish
    if large:  # within its share of the limit, and of the slack the stages after it leave unplanned
        polish_wall = max(min(polish_wall, started + (share + LARGE_SLACK_SHARE) * time_limit_seconds
                              - time.perf_counter()), MIN_POLISH_SHARE * time_limit_seconds)
    ruin_steps = int(RUIN_TRIES_PER_SECOND * share * time_limit_seconds * (1 if large else 0.25))
    start, start_work = _greedy_result(problem, greedy, started, None, common, seed=seed, polish_seconds=polish,
                                       wall_seconds=polish_wall, ruin_steps=ruin_steps)
    problem_for_hints = problem
    if start is None and use_greedy_hint and any(agent.hint for agent in problem.agents):
        # the hint's shifts, completed by the greedy, can fail a rule no one of them breaks alone (two agents of a
        # small team whose fixed breaks coincide): a hint must never cost the roster, so start as without it
        unhinted = _without_hints(problem)
        fallback, more = _greedy_result(problem, greedy_roster(unhinted), started, None, common, seed=seed,
                                        polish_seconds=polish, wall_seconds=polish_wall, ruin_steps=ruin_steps)
        start_work += more
        if fallback is not None:  # CP-SAT then starts from this roster, not from the hint it could not complete
            start, problem_for_hints = fallback, unhinted
            notes.append("the hint roster's shifts, completed by the greedy, broke a rule of this plan (e.g. two "
                          "agents of a small team whose breaks must coincide), so the search started from the "
                          "roster built without the hint")
    guided_text = "the greedy guided by the LP relaxation's optimal vertex, improved by local search"
    start_text = guided_text if large and guided else "the greedy start improved by local search"
    if guided:  # both starts, polished, and the cheaper goes on: the guided one is far the better on thin teams of
        # one week; on a large plan the plain one can be (30 agents over 2 weeks: 5,954 against 6,992)
        second = greedy_roster(problem_for_hints) if large else guided
        other, more = _greedy_result(problem_for_hints, second, started, None, common, seed=seed,
                                     polish_seconds=polish, wall_seconds=polish_wall, ruin_steps=ruin_steps)
        start_work += more
        if large:  # a large plan's nominal time counts the second greedy and its check too
            start_work += greedy_seconds(num_options, problem.num_intervals) + check_seconds(
                len(problem.agents), problem.num_intervals)
        if other is not None and (start is None or other.objective < start.objective - 1e-9):
            start = other
            start_text = ("the greedy start (better than the one guided by the LP relaxation's optimal vertex), "
                          "improved by local search") if large else guided_text
    if large and start is not None:
        return _solve_large(problem, backend, mv, start, time_limit_seconds=time_limit_seconds,
                            workers=workers, seed=seed, with_lp_bound=with_lp_bound, progress=progress,
                            started=started, common=common, flow_bound=flow_bound, counted=counted,
                            count_job=count_job, relative_gap=relative_gap,
                            spent=setup + start_work + check_seconds(len(problem.agents), problem.num_intervals)
                            + (COUNT_LP_CHARGE_SHARE * time_limit_seconds if counted is not None else 0.0),
                            compact=compact, start_text=start_text)
    if backend is None or mv is None:  # a large plan without a start roster: CP-SAT on the whole model
        backend, mv = _whole_model(problem)
    if start is not None:
        chosen, offsets = shifts_of(start.roster)
        add_hints(problem_for_hints, backend, mv, chosen, offsets)
    else:
        add_hints(problem, backend, mv, {})
    lp_bound = compact.bound if compact is not None else None
    search = _Search(backend, mv, workers=workers, seed=seed, relative_gap=relative_gap, large=large,
                     solver_params=solver_params, progress=progress, started=started,
                     known_bound=max(lp_bound or 0.0, flow_bound))
    # CP-SAT gets what the limit leaves after the stages before it (counted in nominal seconds, so the roster does
    # not depend on the machine's speed) and the exact LP after it; with no start roster it gets the whole limit:
    # it must find a roster itself (a plan whose greedy start fails lost its roster with less)
    reserve = EXACT_LP_SHARE * time_limit_seconds if with_lp_bound and lp_bound is None else 0.0
    before = setup + start_work + check_seconds(len(problem.agents), problem.num_intervals)
    left = time_limit_seconds - reserve - before
    stages: Result | None = None
    probe = PROBE_SHARE * time_limit_seconds
    if start is None:
        status = search.run(time_limit_seconds, time_limit_seconds)
    elif large or left - probe < STAGES_SHARE * time_limit_seconds + MIN_SEARCH_SHARE * time_limit_seconds:
        search_seconds = max(left, MIN_SEARCH_SHARE * time_limit_seconds)
        status = search.run(search_seconds, max(started + time_limit_seconds - reserve - time.perf_counter(),
                                                search_seconds))
    else:  # a first look: CP-SAT proves small plans optimal in moments; when it does not, the roster stages
        status = search.run(probe, max(started + time_limit_seconds - reserve - time.perf_counter(), probe))
        if status == "TIMEOUT_NO_SOLUTION" or (status == "FEASIBLE" and not search.within(relative_gap)):
            best = start
            found = search.roster(problem, start)
            if found is not None and found.objective < best.objective - 1e-9:
                best = found
            stages = _improve_small(problem, backend, mv, best, time_limit_seconds=time_limit_seconds,
                                    workers=workers, seed=seed, progress=progress, started=started, common=common,
                                    flow_bound=flow_bound, compact=compact, relative_gap=relative_gap)
            start = stages
            proven = max(b for b in (search.bound, lp_bound, flow_bound, stages.lower_bound) if b is not None)
            if relative_gap > 0 and stages.objective - proven <= relative_gap * stages.objective:  # the gap is met
                return replace(stages, lower_bound=min(proven, stages.objective), lp_bound=lp_bound,
                               solver_bound=search.bound, runtime_seconds=time.perf_counter() - started,
                               explanation=[f"{_stages_text(stages)}; that meets the plan's relative gap of "
                                            f"{relative_gap:.2%}, so the search stopped there"])
            backend.model.clear_hints()  # CP-SAT again, from the stages' roster
            chosen, offsets = shifts_of(stages.roster)
            add_hints(_without_hints(problem), backend, mv, chosen, offsets)
            search_seconds = left - probe - STAGES_SHARE * time_limit_seconds
            status = search.run(search_seconds, max(started + time_limit_seconds - reserve - time.perf_counter(),
                                                    1.0))
            if status == "TIMEOUT_NO_SOLUTION" and search.found is not None:  # a roster of the first run stands
                status = "FEASIBLE"
    solver_bound = search.bound
    # a bound only serves a roster: without one (no start either) it would run past the limit for nothing
    if with_lp_bound and lp_bound is None and (status == "FEASIBLE" or
                                               (status == "TIMEOUT_NO_SOLUTION" and start is not None)):
        lp_bound = lp_lower_bound(backend.model, EXACT_LP_SHARE * time_limit_seconds, large=large,
                                  threads=workers)
    floors = [flow_bound] + ([stages.lower_bound] if stages is not None else [])
    if status == "TIMEOUT_NO_SOLUTION" and start is not None:
        lower = min(max(lp_bound or 0.0, *floors), start.objective)
        return replace(start, lower_bound=lower, lp_bound=lp_bound, runtime_seconds=time.perf_counter() - started)
    if status not in ("OPTIMAL", "FEASIBLE"):
        explanation = explain_infeasible(problem) if status == "INFEASIBLE" else []
        common["runtime_seconds"] = time.perf_counter() - started
        return Result(status, None, math.nan, None, None, **common, explanation=explanation)
    roster, report = search.checked(problem)
    objective = report.terms.total / OBJECTIVE_UNIT
    if start is not None and status != "OPTIMAL":
        fallback = start
        if fallback.objective < objective - 1e-9:
            bounds = [b for b in (solver_bound, lp_bound, *floors) if b is not None]
            lower = min(max(bounds), fallback.objective)
            text = (["CP-SAT's best roster was worse than its start roster (greedy and local search) within the time "
                     "limit; this is the start roster, checked independently"] if stages is None else
                    [f"{_stages_text(stages)}; CP-SAT on the whole model, started from it, did not improve it"])
            return replace(fallback, lower_bound=lower, lp_bound=lp_bound, solver_bound=solver_bound,
                           runtime_seconds=time.perf_counter() - started, explanation=text)
    bounds = [b for b in (solver_bound, lp_bound, *floors) if b is not None]
    lower = objective if status == "OPTIMAL" else min(max(bounds), objective)
    which = ("the compact roster MIP's, HiGHS interior point and crossover" if compact is not None
             else "the CP-SAT model's, HiGHS")
    bound_text = f"the bound is the best of CP-SAT's own, the covering flow's and the LP relaxation's ({which})"
    if stages is not None:
        outcome = ("improved it" if objective < stages.objective - 1e-9 else "found no better one")
        if status == "OPTIMAL":
            outcome += " and proved the roster optimal"
        how = f"{_stages_text(stages)}; then CP-SAT on the whole model, started from that roster, {outcome}; " \
              + bound_text
    else:
        began = "no start roster (the greedy's failed a rule)" if start is None else start_text
        how = f"CP-SAT on the whole model, started from {began}, " + (
            "proved this roster optimal" if status == "OPTIMAL" else f"within the time limit; {bound_text}")
    return Result(status, objective, lower, lp_bound, solver_bound, time.perf_counter() - started,
                  roster=roster, coverage=report.coverage, terms=report.terms, penalties=report.soft,
                  num_agents_used=len(roster.by_agent()), num_agents=len(problem.agents), seed=seed, workers=workers,
                  solver_objective=search.found_objective / OBJECTIVE_UNIT, explanation=[how])


def _stages_text(stages: Result) -> str:
    """How the roster stages of :func:`_improve_small` built their roster, in words."""
    return (f"CP-SAT did not prove the plan optimal in its first {PROBE_SHARE:.0%} of the limit, so the roster is "
            f"{stages.explanation[0]}")


class _Search:
    """CP-SAT on the whole model, run once or more with the hints set before each run; keeps the best roster any
    run found (its shifts, break and queue counts) and the best bound any run proved."""

    def __init__(self, backend: CpSatBackend, mv: ModelVars, *, workers: int, seed: int, relative_gap: float,
                 large: bool, solver_params: dict[str, Any] | None, progress: ProgressCallback | None,
                 started: float, known_bound: float) -> None:
        self.backend, self.mv, self.started, self.known_bound = backend, mv, started, known_bound
        self.workers, self.seed, self.relative_gap, self.large = workers, seed, relative_gap, large
        self.solver_params = solver_params or {}
        self.progress = progress
        self.found: tuple[dict[int, list[int]], dict[Any, int], dict[Any, int]] | None = None
        self.found_objective = math.inf
        self.bound: float | None = None

    def run(self, deterministic_seconds: float, wall_seconds: float) -> str:
        """Search for ``deterministic_seconds`` (``wall_seconds`` on the clock at most); return the status."""
        solver = reproducible_solver(workers=self.workers, seed=self.seed, deterministic_seconds=deterministic_seconds,
                                     wall_seconds=wall_seconds)
        params = solver.parameters
        params.relative_gap_limit = self.relative_gap
        if self.large:  # presolve alone would take most of the time limit on models this size
            params.cp_model_presolve = False
        for name, value in self.solver_params.items():
            if not hasattr(params, name):
                raise ValueError(f"'{name}' is not a CP-SAT parameter")
            setattr(params, name, value)
        callback = _Progress(self.progress, self.started, self.known_bound) if self.progress else None
        status = _STATUS.get(solver.solve(self.backend.model, callback), "MODEL_INVALID")
        if status in ("OPTIMAL", "FEASIBLE"):
            bound = solver.best_objective_bound / OBJECTIVE_UNIT  # every run's bound holds for the same model
            self.bound = bound if self.bound is None else max(self.bound, bound)
            if solver.objective_value < self.found_objective:
                self.found_objective = solver.objective_value
                self.found = (_chosen(solver, self.mv), _values(solver, self.mv.brk), _values(solver, self.mv.z))
        return status

    def within(self, relative_gap: float) -> bool:
        """Whether the best roster found is within ``relative_gap`` of the best bound known (CP-SAT's own, or one
        proved before the search): the plan's ``relative_gap`` is then met and the search may stop."""
        if self.found is None or relative_gap <= 0:
            return False
        objective = self.found_objective / OBJECTIVE_UNIT
        bound = max(self.bound if self.bound is not None else -math.inf, self.known_bound)
        return objective <= 0 or (objective - bound) / objective <= relative_gap

    def checked(self, problem: ProblemData) -> tuple[Roster, CheckReport]:
        """The best roster found so far (one must have been) and the checker's report on it."""
        assert self.found is not None
        roster = disaggregate(problem, *self.found)
        report = check_roster(problem, roster)
        if not report.feasible:  # the model and the checker disagree: never hide it
            raise AssertionError("solver roster fails the checker: " + "; ".join(report.violations[:5]))
        return roster, report

    def roster(self, problem: ProblemData, like: Result) -> Result | None:
        """The best roster found so far as a checked result shaped like ``like`` (None when none was found)."""
        return None if self.found is None else _with_roster(like, *self.checked(problem))


def _improve_small(problem: ProblemData, backend: CpSatBackend, mv: ModelVars, best: Result, *,
                   time_limit_seconds: float, workers: int, seed: int, progress: ProgressCallback | None,
                   started: float, common: dict[str, Any], flow_bound: float, compact: CompactLp | None,
                   relative_gap: float) -> Result:
    """The roster stages of large plans (:func:`_solve_large`: the LP's team, re-timing of under-staffed queues,
    local search, group LNS) on a plan below the large size that CP-SAT did not prove optimal at once, in
    :data:`STAGES_SHARE` of the limit, from ``best``. On the generator's plans of 10 to 25 agents CP-SAT alone
    stayed at its start (under-staffed) for the whole limit, while these stages met the demand in seconds."""
    offset = time.perf_counter() - started
    stage_progress = None
    if progress is not None:

        def stage_progress(seconds: float, objective: float, bound: float) -> None:
            progress(seconds + offset, objective, bound)

    return _solve_large(problem, backend, mv, best, time_limit_seconds=STAGES_SHARE * time_limit_seconds,
                        workers=workers, seed=seed, with_lp_bound=False, progress=stage_progress,
                        started=time.perf_counter(), common=common, flow_bound=flow_bound, counted=None, spent=0.0,
                        compact=compact, small=True, relative_gap=relative_gap)


def _compact_lp(problem: ProblemData, time_limit_seconds: float, workers: int) -> tuple[CompactLp | None, float]:
    """The compact roster MIP's LP relaxation when its nominal time fits :data:`COMPACT_LP_SHARE` of the limit, and
    the nominal seconds to charge: the LP's when it ran (None then if it did not solve in time), 0 when it did not
    fit (the building, under half a second on the benchmarks, is not charged)."""
    mip = build_roster_mip(problem)
    nominal = compact_lp_seconds(mip.matrix.nnz)
    if nominal > COMPACT_LP_SHARE * time_limit_seconds:
        return None, 0.0
    compact = compact_lp(problem, time_limit_seconds=WALL_SAFETY * nominal, threads=workers, mip=mip)
    return (compact if compact.bound is not None else None), nominal


def _whole_model(problem: ProblemData) -> tuple[CpSatBackend, ModelVars]:
    """The CP-SAT model of the whole plan and its variables."""
    backend = CpSatBackend()
    return backend, build_model(problem, backend)


def _solve_large(problem: ProblemData, backend: CpSatBackend | None, mv: ModelVars | None, start: Result, *,
                 time_limit_seconds: float, workers: int, seed: int, with_lp_bound: bool,
                 progress: ProgressCallback | None, started: float, common: dict[str, Any],
                 flow_bound: float, counted: CountLpSolution | None, spent: float,
                 compact: CompactLp | None = None, count_job: CountLpJob | None = None, small: bool = False,
                 relative_gap: float = 0.0, start_text: str = "the greedy start improved by local search") -> Result:
    """A plan too large for one CP-SAT model: polished greedy, PDLP bound and LP-guided greedy, then group LNS.

    Each stage's budget follows from the *nominal* time left: ``spent`` (the nominal seconds of the start roster)
    plus what each stage's counted work stands for (:mod:`scheduler.work_limits`), never read from the clock, so
    the same plan, seed and workers give the same roster. The clock only caps each stage at the time limit, and the
    time left at the clock's when the machine runs behind the rates.
    """
    start_seconds = spent  # nominal cost of a start roster: model, greedy, local search and check
    finish = LARGE_FINISH_SHARE * time_limit_seconds
    deadline = started + time_limit_seconds - finish
    num_agents, num_intervals = len(problem.agents), problem.num_intervals
    num_options = sum(len(agent.options) for agent in problem.agents)
    slack = LARGE_SLACK_SHARE * time_limit_seconds

    def left() -> float:  # seconds left: nominal, unless the clock says less (a machine slower than the rates by
        # more than the slack: only the nominal time keeps the slack back, so a stage a little behind its estimate
        # changes no budget after it)
        return min(time_limit_seconds - finish - slack - spent, deadline - time.perf_counter())

    def wall(budget: float) -> float:  # a stage's wall-clock safety net: its own, and never past the deadline
        return max(min(WALL_SAFETY * budget, deadline - time.perf_counter()), 0.0)

    if progress is not None and not small:  # (a small plan's search has shown its start and bound already)
        progress(time.perf_counter() - started, start.objective, 0.0)
    best, how, lp_bound = start, start_text, None
    if small:
        how = "the better of the start roster (greedy and local search) and CP-SAT's first look"
    count_bound = None if counted is None else counted.bound
    # a roster missing demand the LP meets keeps time for re-timing the queues it misses, day by day
    under = start.terms.under_staffing / OBJECTIVE_UNIT
    avoidable = under > 0 and (counted is None or counted.under_staffing <= AVOIDABLE_UNDER_SHARE * under)
    reserve = UNDER_FIX_SHARE * time_limit_seconds if avoidable else 0.0
    # the model PDLP reads, not yet built; on a machine clearly slower than the measured rates (the stages so far
    # took more than WALL_SAFETY times their nominal time) its estimate grows at the same pace
    pace = (time.perf_counter() - started) / max(spent, 1e-9)
    reading = 0.0 if backend is not None else lp_setup_seconds(num_options) * (pace if pace > WALL_SAFETY else 1.0)
    pdlp_seconds = min(LARGE_BOUND_SHARE * time_limit_seconds, left() - reserve - reading)
    if compact is not None:  # its bound came with the start roster's guide
        lp_bound = compact.bound
    # PDLP's bound needs time: with less, the shift-count LP's bound (perhaps arriving late), the covering flow's and
    # the capacity floor stand, and the time goes to the roster (the bundled example over 4 weeks on the 15-minute
    # grid: 36 s of building the model and reading its relaxation for 1.7 s of PDLP, 9 s past the limit)
    elif with_lp_bound and pdlp_seconds >= MIN_PDLP_SHARE * time_limit_seconds:
        if backend is None or mv is None:  # built only now that PDLP needs it
            backend, mv = _whole_model(problem)
            spent += model_seconds(len(backend.model.proto.variables))
        relaxation = relaxation_of(backend.model)
        spent += relaxation_seconds(relaxation.matrix.nnz)
        pdlp_seconds = max(1.0, min(LARGE_BOUND_SHARE * time_limit_seconds, left() - reserve))
        bound, primal, used = pdlp_solve(relaxation, pdlp_seconds, threads=workers, wall_seconds=wall(pdlp_seconds))
        spent += used
        lp_bound = bound / OBJECTIVE_UNIT
        for weight in LP_GUIDE_WEIGHTS:  # the LP knows where the team's shifts pay off; the greedy makes them whole
            if left() < start_seconds:
                break
            bias = {a: weight * primal[[mv.x[a, o].index for o in range(len(agent.options))]]
                    for a, agent in enumerate(problem.agents) if agent.options}
            polish = (left() - greedy_seconds(num_options, num_intervals)) / 2
            candidate, work = _greedy_result(problem, greedy_roster(problem, bias), started, None, common,
                                             polish_seconds=polish, seed=seed, wall_seconds=wall(polish),
                                             ruin_steps=int(RUIN_TRIES_PER_SECOND * time_limit_seconds / 4))
            spent += greedy_seconds(num_options, num_intervals) + work + check_seconds(num_agents, num_intervals)
            if candidate is not None and candidate.objective < best.objective - 1e-9:
                best, how = candidate, "the greedy guided by the LP relaxation's shifts, improved by local search"
    if compact is not None and compact.used_values and left() > 1.0:
        team_progress = None
        if progress is not None:  # the team's roster is news only once it beats the best so far

            def team_progress(_: float, objective: float) -> None:
                if objective < best.objective - 1e-9:
                    progress(time.perf_counter() - started, objective, min(lp_bound or 0.0, objective))

        candidate, work, team_text = _team_result(problem, compact, best, started, common, seed=seed,
                                                  budget=min(TEAM_POLISH_SHARE * time_limit_seconds, left()),
                                                  repair=TEAM_REPAIR_SHARE * time_limit_seconds, left=left, wall=wall,
                                                  progress=team_progress)
        spent += work
        if candidate is not None and candidate.objective < best.objective - 1e-9:
            best, how = candidate, team_text
    if count_bound is None and count_job is not None:  # the shift-count LP may have finished meanwhile
        late = count_job.wait(0.0)
        count_bound = None if late is None else late.bound
    demand = capacity_floor(problem)
    floor = max(demand, flow_bound, count_bound or 0.0)
    proven = max(lp_bound if lp_bound is not None else 0.0, floor)
    lower = min(proven, best.objective)
    report_progress = None
    if progress is not None:
        progress(time.perf_counter() - started, best.objective, lower)

        def report_progress(_: float, objective: float) -> None:
            progress(time.perf_counter() - started, objective, lower)

    def gap_met() -> bool:  # the plan's relative_gap, against the bound proven so far: the stages may stop
        return relative_gap > 0 and best.objective - proven <= relative_gap * best.objective

    retimed = None
    if avoidable and best.terms.under_staffing > 0 and left() > 1.0 and not gap_met():
        budget = min(max(reserve, 1.0), left())
        retimed = fix_under_staffing(problem, best.roster, time_budget_seconds=budget, seed=seed,
                                     progress=report_progress, wall_seconds=wall(budget))
        spent += retimed.work_seconds
        if retimed.improving_steps:
            best = _with_roster(best, retimed.roster, retimed.report)
    # more local search first (it improved every benchmark; the group LNS rarely does)
    if left() > 1.0 and not gap_met():
        chosen, offsets = shifts_of(best.roster)
        nominal = LATE_POLISH_SHARE * (1 - LARGE_POLISH_SHARE) * LARGE_BOUND_SHARE * time_limit_seconds
        budget = LATE_POLISH_SHARE * left()
        more = improve_by_day_moves(problem, chosen, offsets, time_budget_seconds=budget, seed=seed + 1,
                                    max_ruin_steps=int(RUIN_TRIES_PER_SECOND * nominal), wall_seconds=wall(budget))
        spent += more.work_seconds + check_seconds(num_agents, num_intervals)
        if more.saving > 0:
            candidate = _checked(problem, more.chosen, more.offsets, best, started)
            if candidate is not None and candidate.objective < best.objective - 1e-9:
                best = candidate
                if report_progress is not None:
                    report_progress(0.0, best.objective)
    lns_seconds = 0.0 if gap_met() else max(left(), 0.0)
    outcome = improve_by_groups(problem, best.roster, time_budget_seconds=lns_seconds, seed=seed,
                                progress=report_progress, wall_seconds=wall(lns_seconds))
    report = outcome.report
    objective = report.terms.total / OBJECTIVE_UNIT
    if count_bound is None and count_job is not None:  # its last chance: the time the limit still leaves
        late = count_job.wait(started + time_limit_seconds - time.perf_counter())
        if late is not None:
            count_bound = late.bound
            floor = max(floor, count_bound)
            proven = max(proven, floor)
    if compact is not None and lp_bound is not None and lp_bound >= floor:
        bound_text = ("the LP relaxation's (the compact roster MIP, HiGHS interior point and crossover, safe dual "
                      "bound)")
    elif lp_bound is not None and lp_bound >= floor:
        bound_text = "the LP relaxation's (PDLP, safe dual bound)"
    else:
        if count_bound is not None and count_bound >= max(flow_bound, demand):
            floor_text = ("the shift-count LP's (shifts, breaks, heads and weekly hours counted per skill "
                          "component and contract class, HiGHS with a safe dual bound)")
        elif flow_bound >= demand:
            floor_text = ("the covering flow's (the shifts' coverage as a min-cost flow, headcount by Lagrangian "
                          "multipliers)")
        else:
            floor_text = ("the capacity floor (each required agent-interval costs at least a paid interval or its "
                          "under-staffing, and the demand the agents cannot reach, a maximum flow per set of "
                          "queues, is missed)")
        if lp_bound is not None:
            bound_text = f"{floor_text}, above what PDLP's inexact duals prove in the time left"
        elif with_lp_bound:
            bound_text = (f"{floor_text}; PDLP did not run: less than {MIN_PDLP_SHARE:.0%} of the limit was left "
                          "for it after the roster's share")
        else:
            bound_text = f"{floor_text} (LP bound not computed)"
    retime_text = "" if retimed is None else (
        f", {'improved ' if small else ''}by CP-SAT re-timing the agents of a queue it under-staffs one day at a "
        f"time ({retimed.improving_steps} of {retimed.steps} steps improved it)")
    stages_text = (f"{how}{retime_text}, then by CP-SAT one neighbourhood of skill groups at a time "
                   f"({outcome.improving_steps} of {outcome.steps} steps improved it)")
    explanation = [stages_text if small else f"large plan: the whole model has more than "
                   f"{LARGE_MODEL_VARIABLES:,} variables, so the roster is {stages_text}; the bound is {bound_text}"]
    return Result("FEASIBLE", objective, min(proven, objective), lp_bound, None,
                  time.perf_counter() - started, roster=outcome.roster, coverage=report.coverage, terms=report.terms,
                  penalties=report.soft, num_agents_used=len(outcome.roster.by_agent()),
                  num_agents=len(problem.agents), seed=seed, workers=workers, explanation=explanation)


def _team_result(problem: ProblemData, compact: CompactLp, best: Result, started: float, common: dict[str, Any], *,
                 seed: int, budget: float, repair: float, left: Callable[[], float],
                 wall: Callable[[float], float],
                 progress: Callable[[float, float], None] | None = None) -> tuple[Result | None, float, str]:
    """The roster of the agents the compact LP works (:mod:`scheduler.team`), its gaps re-timed on the whole team.

    Returns the checked roster (None when the team is not smaller than ``best``'s or no roster came of it), the
    nominal seconds its stages counted, and how it was built, in words. ``progress`` hears of each re-timing step
    that improves the team's roster (seconds, objective).
    """
    team = lp_team(problem, compact.used_values)
    if not team or len(team) >= best.num_agents_used:
        return None, 0.0, ""
    sub = team_problem(problem, team)
    num_options = sum(len(agent.options) for agent in sub.agents)
    chosen = greedy_roster(sub, {a: COMPACT_GUIDE_WEIGHT * compact.shift_values[a] for a in team
                                 if a in compact.shift_values})
    spent = greedy_seconds(num_options, problem.num_intervals)
    polish = max(budget - spent, 0.0)
    # the team's roster is one of the whole plan: the same agents, options and objective, with fewer agents able
    candidate, work = _greedy_result(sub, chosen, started, None, common, polish_seconds=polish, seed=seed,
                                     wall_seconds=wall(polish), ruin_steps=int(RUIN_TRIES_PER_SECOND * polish))
    spent += work + check_seconds(len(problem.agents), problem.num_intervals)
    if candidate is None:
        return None, spent, ""
    who = "the one agent" if len(team) == 1 else f"the {len(team)} agents"
    text = (f"the roster of {who} the LP relaxation works at least {TEAM_THRESHOLD:.0%} of a head (greedy guided "
            "by its vertex, local search)")
    if candidate.terms.under_staffing > 0 and left() - spent > 1.0:  # left() does not know of this stage's spending
        budget = min(repair, left() - spent)
        retimed = fix_under_staffing(problem, candidate.roster, time_budget_seconds=budget, seed=seed,
                                     progress=progress, wall_seconds=wall(budget))
        spent += retimed.work_seconds
        if retimed.improving_steps:
            candidate = _with_roster(candidate, retimed.roster, retimed.report)
        text += (f", the demand it left re-timed on the whole team ({retimed.improving_steps} of {retimed.steps} "
                 "steps improved it)")
    return candidate, spent, text


def _exact_result(problem: ProblemData, spans: Spans, solution: FlowSolution, flow_bound: float, started: float,
                  common: dict[str, Any]) -> Result | None:
    """A one-queue plan without breaks: the covering flow's shifts handed to agents, if that meets the bound."""
    chosen = exact_roster(problem, spans, solution)
    if chosen is None:
        return None
    like = Result("OPTIMAL", math.nan, 0.0, None, None, 0.0, num_agents=len(problem.agents), seed=common["seed"],
                  workers=common["workers"])
    result = _checked(problem, chosen, {(a, o): [] for a, picks in chosen.items() for o in picks}, like, started)
    if result is None or result.terms.total > round(flow_bound * OBJECTIVE_UNIT):
        return None
    return replace(result, lower_bound=flow_bound, lp_bound=flow_bound, solver_objective=result.objective,
                   runtime_seconds=time.perf_counter() - started,
                   explanation=["one queue and no breaks: covering the demand is a min-cost flow over the shifts "
                                "(an interval matrix, so its optimum is integral and, with the headcount it "
                                "implies, bounds every roster); its shifts, handed to agents within every rule, "
                                "meet that bound, so the roster is optimal"])


def _without_hints(problem: ProblemData) -> ProblemData:
    """The problem with no agent's hint (pins kept): the same rules, objective and rosters."""
    return replace(problem, agents=tuple(replace(agent, hint={}) for agent in problem.agents))


def _greedy_result(problem: ProblemData, chosen: dict[int, list[int]], started: float, lp_bound: float | None,
                   common: dict[str, Any], *, polish_seconds: float = 0.0, seed: int = 0,
                   ruin_steps: int | None = None, wall_seconds: float | None = None) -> tuple[Result | None, float]:
    """The greedy roster, its breaks placed, improved by a nominal ``polish_seconds`` of local search, checked;
    and the nominal seconds of that local search's work."""
    if not chosen:
        return None, 0.0
    # the local search re-places breaks as part of its moves, so one improvement pass is enough before it
    offsets = place_breaks(problem, [(a, o) for a, picks in sorted(chosen.items()) for o in picks],
                           passes=1 if polish_seconds > 0 else IMPROVEMENT_PASSES)
    if polish_seconds > 0:
        outcome = improve_by_day_moves(problem, chosen, offsets, time_budget_seconds=polish_seconds, seed=seed,
                                       max_ruin_steps=ruin_steps, wall_seconds=wall_seconds)
        chosen, offsets, work = outcome.chosen, outcome.offsets, outcome.work_seconds
    else:
        work = 0.0
    unchecked = Result("FEASIBLE", math.nan, 0.0, lp_bound, None, 0.0, num_agents=len(problem.agents),
                       seed=common["seed"], workers=common["workers"],
                       explanation=["CP-SAT found no roster in time; this is the start roster (greedy and local "
                                    "search), checked independently"])
    result = _checked(problem, chosen, offsets, unchecked, started)
    if result is not None and lp_bound is not None:
        result = replace(result, lower_bound=min(lp_bound, result.objective))
    return result, work


def _checked(problem: ProblemData, chosen: dict[int, list[int]], offsets: dict[tuple[int, int], list[int]],
             like: Result, started: float) -> Result | None:
    """``like`` with the roster of these shifts and breaks, checked (None if the checker refuses it)."""
    roster = disaggregate(problem, chosen, *greedy_counts(problem, chosen, offsets=offsets))
    report = check_roster(problem, roster)
    if not report.feasible:
        return None
    return replace(_with_roster(like, roster, report), runtime_seconds=time.perf_counter() - started)


def _with_roster(like: Result, roster: Roster, report: CheckReport) -> Result:
    """``like`` with this roster and what its check says of it (objective, coverage, terms, penalties, heads)."""
    return replace(like, objective=report.terms.total / OBJECTIVE_UNIT, roster=roster, coverage=report.coverage,
                   terms=report.terms, penalties=report.soft, num_agents_used=len(roster.by_agent()))


def shifts_of(roster: Roster) -> tuple[dict[int, list[int]], dict[tuple[int, int], list[int]]]:
    """The options each agent works and each shift's break offsets, read back from a roster."""
    chosen: dict[int, list[int]] = {}
    offsets: dict[tuple[int, int], list[int]] = {}
    for item in roster.assignments:
        chosen.setdefault(item.agent, []).append(item.option)
        offsets[item.agent, item.option] = list(item.break_offsets)
    return chosen, offsets


def _chosen(solver: cp_model.CpSolver, mv: ModelVars) -> dict[int, list[int]]:
    chosen: dict[int, list[int]] = {}
    for (a, o), var in mv.x.items():
        if solver.boolean_value(var):
            chosen.setdefault(a, []).append(o)
    return chosen


def _values(solver: cp_model.CpSolver, variables: dict[Any, Any]) -> dict[Any, int]:
    return {key: int(solver.value(var)) for key, var in variables.items()}
