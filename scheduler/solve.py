"""Solve a :class:`ProblemData` with CP-SAT and return a :class:`Result` that tells the truth.

Every solve reports its status, the objective of the roster (recomputed by the solver-free
checker), the lower bound (the better of CP-SAT's own bound and the LP relaxation of the same
model, :mod:`scheduler.cpsat.lp_bound`), the gap and the runtime. A timed-out solve returns its
best roster. Every solve starts from a roster built without the solver: the greedy of
:mod:`scheduler.heuristic`, its breaks placed by :mod:`scheduler.breaks`, improved by the exact
day moves of :mod:`scheduler.local_search`. Small plans give it to CP-SAT as a complete hint; plans
too large for one CP-SAT model (:data:`LARGE_MODEL_VARIABLES`) keep it and go on in :mod:`scheduler.large_path`,
with the shift-count LP's and PDLP's safe bounds; where it misses demand the shift-count LP meets, CP-SAT
re-times the agents of each under-staffed queue one day at a time (:func:`scheduler.lns.fix_under_staffing`),
and time left goes to skill group by skill group steps (:mod:`scheduler.lns`). A large plan whose compact LP fits
its share of the limit also gets a roster of the agents that LP works (:mod:`scheduler.team`), which keeps fewer heads.

Reproducibility: CP-SAT's parallel search is not deterministic under a wall-clock limit, so
the search runs with ``interleave_search`` and stops on *deterministic* time
(``max_deterministic_time`` = the time limit); the same problem, seed and worker count then
give the same roster whenever the deterministic limit (or optimality) ends the search before
the wall-clock limit (also the time limit), which is the case on small and medium plans: a search that ends the
solve gets the nominal time left divided by :data:`scheduler.work_limits.CPSAT_WALL_PER_DETERMINISTIC` (a
deterministic second can take more than a second on the clock). Large plans run
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
from collections import Counter
from dataclasses import replace
from typing import Any

from ortools.sat.python import cp_model

from scheduler import large_path, lns, stage_results
from scheduler.aggregate_lp import CountLpJob
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
from scheduler.cpsat.backend import CpSatBackend, reproducible_solver, solve_counted
from scheduler.cpsat.explain import explain_infeasible, explain_pinned
from scheduler.cpsat.hints import add_hints
from scheduler.cpsat.lp_bound import exact_bound, pdlp_bound, relaxation_of
from scheduler.cpsat.model import ModelVars
from scheduler.disaggregate import disaggregate
from scheduler.heuristic import greedy_roster
from scheduler.large_path import COMPACT_GUIDE_WEIGHT, LARGE_POLISH_SHARE, LARGE_SLACK_SHARE, RESUMED_POLISH_SHARE
from scheduler.local_search import RUIN_TRIES_PER_SECOND
from scheduler.problem import ProblemData
from scheduler.result import Result
from scheduler.roster import Roster
from scheduler.roster_mip import CompactLp, build_roster_mip, compact_lp
from scheduler.stage_results import ProgressCallback
from scheduler.work_limits import (
    BOUND_STAGE,
    COMPACT_LP_WALL_SAFETY,
    CPSAT_WALL_PER_DETERMINISTIC,
    WALL_SAFETY,
    check_seconds,
    clock_stops,
    compact_lp_seconds,
    cpsat_deterministic_seconds,
    greedy_seconds,
    note_clock_stop,
    setup_seconds,
)

#: Above this many model variables CP-SAT is not run on the whole model. On the bundled example (about 580,000
#: variables) presolve alone took 58 s and the search without presolve never improved on its start; on the
#: seeded medium benchmark (56,000 variables) 60 s of CP-SAT did not improve its start either. Such plans get
#: the polished start roster, the LP relaxation's bound from PDLP, a greedy guided by the LP's shifts when
#: time remains, and the group-by-group search of :mod:`scheduler.lns`.
LARGE_MODEL_VARIABLES = 20_000
#: How the explanation names a re-plan's start roster (:func:`scheduler.stage_results.published_shifts`).
PUBLISHED_START_TEXT = ("the published roster (its shifts and breaks, where they still hold, and the pins) improved by "
                        "local search")
#: Share of the time limit the start roster's local search may take on a plan below the large size (CP-SAT improves
#: on it, so its ruin-and-recreate phase gets a quarter of the steps); a large plan's is
#: :data:`scheduler.large_path.LARGE_POLISH_SHARE`.
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
#: The covering flow's bound tries headcount multipliers for at most this share of the time limit (a safety net:
#: the benchmarks' take under 3%; a 6-week plan on the 15-minute grid took 23 s of a 5-second limit without it).
FLOW_BOUND_SHARE = 0.1
#: A first roster ready within this share of the limit is not why a solve ran past it (:func:`overrun_note`).
FIRST_ROSTER_SHARE = 0.5
#: A lower bound within this share of the objective (or of 1) proves the roster optimal (:func:`_meets_bound`).
BOUND_TOLERANCE = 1e-9
#: A solve past its limit by more than this share of it (or a second) says why (:func:`overrun_note`).
OVERRUN_TOLERANCE = 0.05
#: The name under which the solve records when its start roster was ready (seconds from its start).
FIRST_ROSTER_MARK = "first roster"
#: A large plan with at most this many shift options builds the compact roster MIP (:mod:`scheduler.roster_mip`) and,
#: when its LP relaxation's nominal time (:func:`scheduler.work_limits.compact_lp_seconds`) is at most
#: :data:`COMPACT_LP_SHARE` of the limit, solves it by interior point instead of running PDLP: the same bound (the
#: 80-agent benchmark's exact LP optimum, 11,825.07, in 10.5 s where PDLP proved 11,807 in 25 s) and an optimal vertex
#: whose shift values guide the greedy far better than PDLP's inexact primal (that plan's polished roster 13,557 to
#: 13,638 against 14,137 without it). The 500-agent benchmark's LP takes 29.6 s of its 60 s and its guided rosters
#: were worse (about 70,000 against 67,196): it keeps the shift-count LP.
COMPACT_LP_MAX_OPTIONS = 60_000
COMPACT_LP_SHARE = 0.25
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
#: When the stages' roster still misses demand, this share of the final search's time goes first to one long step
#: on every agent who can serve the queue it misses most (:func:`scheduler.lns.repair_short_queue`): the final
#: whole-model search, from the stages' roster, improved none of the 10- to 25-agent benchmarks (2026-12-06), while
#: that step closed ``small20``'s missed German chat half hour (3,897 to 2,893 in 5 deterministic seconds). The
#: final search keeps what is left, and at least :data:`MIN_FINAL_SEARCH_SECONDS`.
REPAIR_SHARE = 1.0
MIN_FINAL_SEARCH_SECONDS = 0.5
#: ... and then this share of what is left (above :data:`MIN_FINAL_SEARCH_SECONDS`) to more steps of the group search
#: (:func:`scheduler.lns.improve_by_groups`), whose neighbourhoods grow on a plan this size. Measured 2026-12-06 at
#: 30 s, solver seeds 0 and 1: ``small10`` 1,542 for 1,564 and ``small25`` 3,522 for 3,524 and 3,710 for 3,737, the
#: other six runs the same rosters (the whole-model search they replace had improved none).
FINAL_LNS_SHARE = 1.0
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
    marks: dict[str, float] = {}
    try:
        with clock_stops() as stops:
            result = _solve(problem, time_limit_seconds=time_limit_seconds, workers=workers, seed=seed,
                            relative_gap=relative_gap, progress=progress, with_lp_bound=with_lp_bound,
                            solver_params=solver_params, use_greedy_hint=use_greedy_hint, notes=notes,
                            marks=marks)
    finally:
        gc.unfreeze()
    result, restored = stage_results.with_published_breaks_and_queues(problem, result)
    result = _proven_optimal(_without_an_empty_roster(problem, result))
    stopped = clock_stop_note(stops)
    overrun = overrun_note(result.runtime_seconds, time_limit_seconds, marks.get(FIRST_ROSTER_MARK),
                           num_options=sum(len(agent.options) for agent in problem.agents),
                           num_intervals=problem.num_intervals)
    if overrun:  # (the clock's stops are then the limit's doing, not a slow machine's: said there)
        stopped = overrun
    return replace(result, hires=hires_by_profile(problem, result.roster),
                   explanation=[*result.explanation, *([stopped] if stopped else []), *notes,
                                *([restored] if restored else [])])


def _without_an_empty_roster(problem: ProblemData, result: Result) -> Result:
    """No roster, rather than one that schedules nobody, when demand is required and the bound shows that a roster
    of agents would cost less: that is CP-SAT's first solution, not a plan (a start roster that broke a rule left
    the 60-minute example with it, written as FEASIBLE with exit code 0)."""
    roster = result.roster
    if (roster is None or roster.assignments or result.status == "OPTIMAL" or not problem.demand.any()
            or result.objective is None or not result.lower_bound < result.objective - 1e-9):
        return result
    hours = float(problem.demand.sum()) * problem.interval_minutes / 60
    return replace(result, status="TIMEOUT_NO_SOLUTION", objective=None, roster=None, coverage=None, terms=None,
                   penalties=[], solver_objective=None, explanation=[
                       f"the best roster found within the time limit schedules nobody, while {hours:,.0f} agent-hours "
                       f"are required and the lower bound ({result.lower_bound:,.2f} against {result.objective:,.2f}) "
                       "shows that a roster of agents costs less: it is no plan, so none is written (raise the time "
                       "limit)", *result.explanation])


def clock_stop_note(stops: Counter[str]) -> str | None:
    """The explanation's line for the stages the wall clock ended before their counted work, or None.

    Parameters
    ----------
    stops : collections.Counter
        Stage name -> stops, from :func:`scheduler.work_limits.clock_stops`.

    Returns
    -------
    str or None
        Which stages, and what it means: another run with the same seed and workers may give another roster (or,
        when only PDLP stopped, another bound); a longer time limit lets them end on their counted work.
    """
    if not stops:
        return None
    names = ", ".join(stops)
    changes = "bound" if set(stops) == {BOUND_STAGE} else "roster"
    return (f"this machine ran behind the work rates the stages are planned with, so the wall clock, not the "
            f"counted work, stopped or shortened: {names}; another run with the same seed and workers may give "
            f"another {changes} (a longer time limit lets each stage end on its own work)")


def _meets_bound(objective: float | None, bound: float | None) -> bool:
    """Whether a roster's objective equals a lower bound (to rounding): it is then proven optimal."""
    return (objective is not None and bound is not None and math.isfinite(bound)
            and objective - bound <= BOUND_TOLERANCE * max(1.0, abs(objective)))


def _proven_optimal(result: Result) -> Result:
    """A FEASIBLE result whose lower bound meets its objective is OPTIMAL (the example's plan with a queue closed
    on weekends printed FEASIBLE and a gap of 0.00%, its objective equal to the LP bound)."""
    if result.status != "FEASIBLE" or not _meets_bound(result.objective, result.lower_bound):
        return result
    return replace(result, status="OPTIMAL", lower_bound=result.objective, explanation=[
        *result.explanation, "the lower bound equals the objective, so this roster is optimal"])


def overrun_note(runtime_seconds: float, time_limit_seconds: float, first_roster_seconds: float | None, *,
                 num_options: int, num_intervals: int) -> str | None:
    """The explanation's line for a solve that ran past its time limit because its first roster took longer, or
    None when it kept to the limit (within :data:`OVERRUN_TOLERANCE` of it, or a second).

    Parameters
    ----------
    runtime_seconds, time_limit_seconds : float
        The solve's wall time and its limit.
    first_roster_seconds : float or None
        When the start roster (the greedy's shifts, their breaks, the local search's minimum share and the check)
        was ready, from the solve's start; None when the solve built none (pins that break a rule, the exact flow).
    num_options, num_intervals : int
        The plan's size, for the user.

    Returns
    -------
    str or None
        How long the solve took against its limit, when its first roster was ready, and the limit to give instead
        (three times that, rounded up to ten seconds): the stages no limit shortens are then a third of it. When
        the first roster was ready within :data:`FIRST_ROSTER_SHARE` of the limit, the later stages ran long instead
        (counted work slower on the clock than planned), and the line gives the limit that, scaled by the same
        ratio, ends near the one given.
    """
    if runtime_seconds <= time_limit_seconds + max(1.0, OVERRUN_TOLERANCE * time_limit_seconds):
        return None
    if first_roster_seconds is None:
        return (f"the solve took {runtime_seconds:.1f} s, past its {time_limit_seconds:g} s limit: a plan this size "
                f"({num_options:,} shift options over {num_intervals:,} intervals) needs longer than the limit for "
                "the work no limit shortens; give a longer time limit")
    if first_roster_seconds <= FIRST_ROSTER_SHARE * time_limit_seconds:  # the stages after it ran long instead
        scaled = max(1, math.floor(time_limit_seconds * time_limit_seconds / runtime_seconds))
        return (f"the solve took {runtime_seconds:.1f} s, past its {time_limit_seconds:g} s limit: its first roster "
                f"was ready at {first_roster_seconds:.1f} s, and the stages after it, budgeted in counted work so that "
                "each run gives the same roster, ran slower on the clock than the rates they are planned with (on "
                f"this plan, or on a busy machine). To end near {time_limit_seconds:g} s, give about "
                f"--time-limit {scaled}")
    suggested = 10 * math.ceil(3 * first_roster_seconds / 10)
    return (f"the solve took {runtime_seconds:.1f} s, past its {time_limit_seconds:g} s limit: on a plan this size "
            f"({num_options:,} shift options over {num_intervals:,} intervals) its first roster (the greedy start, "
            f"its breaks, a minimal local search and the check, which no limit shortens) was ready only at "
            f"{first_roster_seconds:.1f} s, so the stages after it had their minimum share and the clock stopped "
            "them (another run with the same seed and workers may give another roster). Give a time limit of at "
            f"least {suggested} s (--time-limit {suggested}) for them to improve the roster and end on their "
            "counted work")


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
           use_greedy_hint: bool, notes: list[str], marks: dict[str, float]) -> Result:
    started = time.perf_counter()
    common = {"runtime_seconds": 0.0, "num_agents": len(problem.agents), "seed": seed, "workers": workers}
    pinned_apart = explain_pinned(problem)
    if pinned_apart:  # pins alone break a rule: no roster can hold them, so none is built first (the bundled
        # example re-planned from a kept roster with 10 h of rest between two pins: INFEASIBLE in 36.6 s of a 15 s
        # limit, the stages and the whole model's search run before the explanation)
        common["runtime_seconds"] = time.perf_counter() - started
        return Result("INFEASIBLE", None, math.nan, None, None, **common, explanation=pinned_apart)
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
        backend, mv = stage_results.whole_model(problem)
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
    count_wait = 0.0  # seconds on the clock spent waiting for the shift-count LP (HiGHS has no counted work)
    if large and with_lp_bound:  # the shift-count LP first: it tells whether the team is short of capacity
        # in a thread with a longer limit: unfinished in its share, it goes on beside the roster's stages and its
        # bound may still arrive before the end (the bundled example over 4 weeks on the 15-minute grid: 22 s)
        count_job = CountLpJob(problem, COUNT_LP_LATE_SHARE * time_limit_seconds)
        waited = time.perf_counter()
        counted = count_job.wait(COUNT_LP_SHARE * time_limit_seconds)
        count_wait = time.perf_counter() - waited
        if counted is None:  # still running: the polish's share is then the one of a team not known to be short
            note_clock_stop("the wait for the shift-count LP")
        if counted is not None and counted.under_staffing >= SHORT_UNDER_SHARE * counted.bound:
            share = SHORT_POLISH_SHARE
    # the time so far, estimated from the plan's size (not read from the clock: budgets that follow from it
    # would make the roster depend on the machine's speed at that moment)
    setup = setup_seconds(num_variables, num_options, problem.num_intervals) + compact_seconds
    polish = max(share * time_limit_seconds - setup, MIN_POLISH_SHARE * time_limit_seconds)
    if large and compact is not None and compact.used_values:  # a safety net: the LP's team gets the polish
        polish = MIN_POLISH_SHARE * time_limit_seconds  # (large_path.team_result)
    # the clock is only a safety net: on a machine slower than the rates of scheduler.work_limits the local search
    # still ends in time for the stages after it (it then ends on the clock, and the roster depends on the machine)
    polish_wall = WALL_SAFETY * polish
    if large:  # within its share of the limit, and of the slack the stages after it leave unplanned, counted from
        # the end of the wait for the shift-count LP: that wait is on the clock, outside every nominal budget, and
        # the bundled example on a slow day (5.8 s of waiting, more than the 4.4 s of slack) cut the polish short of
        # its counted work, so that each run gave another roster; later stages then absorb the delay
        polish_wall = max(min(polish_wall, started + count_wait + (share + LARGE_SLACK_SHARE) * time_limit_seconds
                              - time.perf_counter()), MIN_POLISH_SHARE * time_limit_seconds)
    ruin_steps = int(RUIN_TRIES_PER_SECOND * share * time_limit_seconds * (1 if large else 0.25))
    start, start_work, from_published = None, 0.0, False
    published = stage_results.published_shifts(problem) if use_greedy_hint else None
    if published is not None:  # a re-plan starts from the published roster itself, breaks included: rebuilt by the
        # greedy from its shifts alone, the bundled example's lost 23 agent-intervals to other breaks
        start, start_work = stage_results.greedy_result(problem, published[0], started, None, common, seed=seed,
                                                        polish_seconds=polish, wall_seconds=polish_wall,
                                                        ruin_steps=ruin_steps, offsets=published[1])
        from_published = start is not None
    if start is None:  # (a published roster the checker refuses, e.g. after a change to the rules: its work counts)
        start, more = stage_results.greedy_result(problem, greedy, started, None, common, seed=seed,
                                                  polish_seconds=polish, wall_seconds=polish_wall,
                                                  ruin_steps=ruin_steps)
        start_work += more
    marks[FIRST_ROSTER_MARK] = time.perf_counter() - started
    problem_for_hints = problem
    if start is None and use_greedy_hint and any(agent.hint for agent in problem.agents):
        # the hint's shifts, completed by the greedy, can fail a rule no one of them breaks alone (two agents of a
        # small team whose fixed breaks coincide): a hint must never cost the roster, so start as without it
        unhinted = stage_results.without_hints(problem)
        fallback, more = stage_results.greedy_result(problem, greedy_roster(unhinted), started, None, common,
                                                     seed=seed, polish_seconds=polish, wall_seconds=polish_wall,
                                                     ruin_steps=ruin_steps)
        start_work += more
        if fallback is not None:  # CP-SAT then starts from this roster, not from the hint it could not complete
            start, problem_for_hints = fallback, unhinted
            notes.append("the hint roster's shifts, completed by the greedy, broke a rule of this plan (e.g. two "
                          "agents of a small team whose breaks must coincide), so the search started from the "
                          "roster built without the hint")
    guided_text = "the greedy guided by the LP relaxation's optimal vertex, improved by local search"
    start_text = guided_text if large and guided else "the greedy start improved by local search"
    if from_published:
        start_text = PUBLISHED_START_TEXT
    if guided:  # both starts, polished, and the cheaper goes on: the guided one is far the better on thin teams of
        # one week; on a large plan the plain one can be (30 agents over 2 weeks: 5,954 against 6,992)
        second = greedy_roster(problem_for_hints) if large else guided
        other, more = stage_results.greedy_result(problem_for_hints, second, started, None, common, seed=seed,
                                                  polish_seconds=polish, wall_seconds=polish_wall,
                                                  ruin_steps=ruin_steps)
        start_work += more
        if large:  # a large plan's nominal time counts the second greedy and its check too
            start_work += greedy_seconds(num_options, problem.num_intervals) + check_seconds(
                len(problem.agents), problem.num_intervals)
        if other is not None and (start is None or other.objective < start.objective - 1e-9):
            start = other
            start_text = ("the greedy start (better than the one guided by the LP relaxation's optimal vertex), "
                          "improved by local search") if large else guided_text
            if from_published:
                start_text += " (better than the published roster so improved)"
    with_team = compact is not None and bool(compact.used_values)
    if (large and start is not None and share == LARGE_POLISH_SHARE and not with_team
            and not large_path.misses_avoidable_demand(start, counted)):
        # nothing for the re-timing to meet: the local search goes on (its share would be the re-timing's)
        resumed = RESUMED_POLISH_SHARE * time_limit_seconds
        resumed_wall = max(min(WALL_SAFETY * resumed, started + count_wait + (
            share + RESUMED_POLISH_SHARE + LARGE_SLACK_SHARE) * time_limit_seconds - time.perf_counter()),
            MIN_POLISH_SHARE * time_limit_seconds)
        start, more = stage_results.polished(problem, start, started, budget=resumed, seed=seed + 2,
                                             ruin_steps=int(RUIN_TRIES_PER_SECOND * resumed),
                                             wall_seconds=resumed_wall)
        start_work += more + check_seconds(len(problem.agents), problem.num_intervals)
    if large and start is not None:
        return large_path.solve_large(problem, backend, mv, start, time_limit_seconds=time_limit_seconds,
                                      workers=workers, seed=seed, with_lp_bound=with_lp_bound, progress=progress,
                                      started=started, common=common, flow_bound=flow_bound, counted=counted,
                                      count_job=count_job, relative_gap=relative_gap,
                                      spent=setup + start_work + check_seconds(len(problem.agents),
                                                                               problem.num_intervals)
                                      + (COUNT_LP_CHARGE_SHARE * time_limit_seconds if counted is not None else 0.0),
                                      compact=compact, start_text=start_text, large_above=LARGE_MODEL_VARIABLES)
    if backend is None or mv is None:  # a large plan without a start roster: CP-SAT on the whole model
        backend, mv = stage_results.whole_model(problem)
    if start is not None:
        chosen, offsets = stage_results.shifts_of(start.roster)
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
        search_seconds = max(cpsat_deterministic_seconds(left), MIN_SEARCH_SHARE * time_limit_seconds)
        status = search.run(search_seconds, max(started + time_limit_seconds - reserve - time.perf_counter(),
                                                search_seconds))
    else:  # a first look: CP-SAT proves small plans optimal in moments; when it does not, the roster stages
        # on the clock at most WALL_SAFETY times its nominal wall time, as every stage: CP-SAT's counted time ran 3.8
        # times slower than its rate on the audit's 8-agent plan (8.6 s for 2.25), and the stages after the look
        # then took the solve to 19.5 s of a 15 s limit
        look_wall = WALL_SAFETY * CPSAT_WALL_PER_DETERMINISTIC * probe
        status = search.run(probe, max(min(started + time_limit_seconds - reserve - time.perf_counter(), look_wall),
                                       probe))
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
            if _meets_bound(stages.objective, proven):  # nothing is left to find: the bound proves the roster
                return replace(stages, status="OPTIMAL", lower_bound=stages.objective, lp_bound=lp_bound,
                               solver_bound=search.bound, runtime_seconds=time.perf_counter() - started,
                               explanation=[f"{_stages_text(stages)}; its objective meets the lower bound, so it is "
                                            "optimal and the search stopped there"])
            if relative_gap > 0 and stages.objective - proven <= relative_gap * stages.objective:  # the gap is met
                return replace(stages, lower_bound=min(proven, stages.objective), lp_bound=lp_bound,
                               solver_bound=search.bound, runtime_seconds=time.perf_counter() - started,
                               explanation=[f"{_stages_text(stages)}; that meets the plan's relative gap of "
                                            f"{relative_gap:.2%}, so the search stopped there"])
            search_seconds = cpsat_deterministic_seconds(left - probe - STAGES_SHARE * time_limit_seconds)
            if stages.terms.under_staffing > 0:  # the whole-model search closed no missed interval the stages left
                # (0 of the 10- to 25-agent benchmarks); one long step on every agent who can stand in may. Its
                # budget is deterministic seconds already divided by CPSAT_WALL_PER_DETERMINISTIC (as the final
                # search's), so the clock it may use is the time left: one worker ran 6.15 of them in 7.9 s
                budget = REPAIR_SHARE * search_seconds
                repaired = lns.repair_short_queue(problem, stages.roster, time_budget_seconds=budget, seed=seed,
                                                  wall_seconds=max(started + time_limit_seconds - reserve
                                                                   - time.perf_counter(), 1.0))
                search_seconds = max(search_seconds - repaired.work_seconds, MIN_FINAL_SEARCH_SECONDS)
                if repaired.steps:
                    outcome = "closed" if repaired.report.terms.under_staffing == 0 else (
                        "improved" if repaired.improving_steps else "did not improve")
                    text = (f"{stages.explanation[0]}, then by CP-SAT re-solving the week of every agent who can "
                            f"serve its most under-staffed queue (it {outcome} the missed demand)")
                    stages = replace(stage_results.with_roster(stages, repaired.roster, repaired.report),
                                     explanation=[text])
                    start = stages
            if FINAL_LNS_SHARE > 0 and search_seconds > MIN_FINAL_SEARCH_SECONDS + 2.0:
                budget = FINAL_LNS_SHARE * (search_seconds - MIN_FINAL_SEARCH_SECONDS)
                more = lns.improve_by_groups(problem, stages.roster, time_budget_seconds=budget, seed=seed + 7,
                                             wall_seconds=max(started + time_limit_seconds - reserve
                                                              - time.perf_counter(), 1.0))
                search_seconds = max(search_seconds - more.work_seconds, MIN_FINAL_SEARCH_SECONDS)
                if more.improving_steps:
                    text = (f"{stages.explanation[0]}, then by more steps of the group search ({more.improving_steps} "
                            f"of {more.steps} improved it)")
                    stages = replace(stage_results.with_roster(stages, more.roster, more.report), explanation=[text])
                    start = stages
            backend.model.clear_hints()  # CP-SAT again, from the stages' roster
            chosen, offsets = stage_results.shifts_of(stages.roster)
            add_hints(stage_results.without_hints(problem), backend, mv, chosen, offsets)
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
        if lp_bound is not None and lp_bound >= max(floors):
            source = "the LP relaxation's"
        elif stages is not None and stages.lower_bound >= flow_bound:
            source = "the roster stages' (the best of the capacity floor and the covering flow they proved)"
        else:  # (its multipliers stop at a tenth of the limit: on a short limit it proves little)
            source = ("the covering flow's (shifts counted per queue, without the agents' rules; it gets a tenth of "
                      "the limit), with no time left for the LP relaxation's: a longer time limit proves a better one")
        return replace(start, lower_bound=lower, lp_bound=lp_bound, runtime_seconds=time.perf_counter() - started,
                       explanation=[*start.explanation, f"the lower bound is {source}"])
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
        status = _STATUS.get(solve_counted(solver, self.backend.model, "CP-SAT on the whole plan", callback),
                             "MODEL_INVALID")
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
        return None if self.found is None else stage_results.with_roster(like, *self.checked(problem))


def _improve_small(problem: ProblemData, backend: CpSatBackend, mv: ModelVars, best: Result, *,
                   time_limit_seconds: float, workers: int, seed: int, progress: ProgressCallback | None,
                   started: float, common: dict[str, Any], flow_bound: float, compact: CompactLp | None,
                   relative_gap: float) -> Result:
    """The roster stages of large plans (:func:`scheduler.large_path.solve_large`: the LP's team, re-timing of
    under-staffed queues, local search, group LNS) on a plan below the large size that CP-SAT did not prove optimal
    at once, in :data:`STAGES_SHARE` of the limit, from ``best``. On the generator's plans of 10 to 25 agents CP-SAT
    alone stayed at its start (under-staffed) for the whole limit, while these stages met the demand in seconds."""
    offset = time.perf_counter() - started
    stage_progress = None
    if progress is not None:

        def stage_progress(seconds: float, objective: float, bound: float) -> None:
            progress(seconds + offset, objective, bound)

    return large_path.solve_large(problem, backend, mv, best, time_limit_seconds=STAGES_SHARE * time_limit_seconds,
                                  workers=workers, seed=seed, with_lp_bound=False, progress=stage_progress,
                                  started=time.perf_counter(), common=common, flow_bound=flow_bound, counted=None,
                                  spent=0.0, compact=compact, small=True, relative_gap=relative_gap,
                                  large_above=LARGE_MODEL_VARIABLES)


def _compact_lp(problem: ProblemData, time_limit_seconds: float, workers: int) -> tuple[CompactLp | None, float]:
    """The compact roster MIP's LP relaxation when its nominal time fits :data:`COMPACT_LP_SHARE` of the limit, and
    the nominal seconds to charge: the LP's when it ran (None then if it did not solve in time), 0 when it did not
    fit (the building, under half a second on the benchmarks, is not charged)."""
    mip = build_roster_mip(problem)
    nominal = compact_lp_seconds(mip.matrix.nnz)
    if nominal > COMPACT_LP_SHARE * time_limit_seconds:
        return None, 0.0
    compact = compact_lp(problem, time_limit_seconds=COMPACT_LP_WALL_SAFETY * nominal, threads=workers, mip=mip)
    if compact.status == "Time limit reached":  # the path without the LP's team and guide: another roster
        note_clock_stop("the compact LP")
    return (compact if compact.bound is not None else None), nominal


def _exact_result(problem: ProblemData, spans: Spans, solution: FlowSolution, flow_bound: float, started: float,
                  common: dict[str, Any]) -> Result | None:
    """A one-queue plan without breaks: the covering flow's shifts handed to agents, if that meets the bound."""
    chosen = exact_roster(problem, spans, solution)
    if chosen is None:
        return None
    like = Result("OPTIMAL", math.nan, 0.0, None, None, 0.0, num_agents=len(problem.agents), seed=common["seed"],
                  workers=common["workers"])
    no_breaks = {(a, o): [] for a, picks in chosen.items() for o in picks}
    result = stage_results.checked_result(problem, chosen, no_breaks, like, started)
    if result is None or result.terms.total > round(flow_bound * OBJECTIVE_UNIT):
        return None
    return replace(result, lower_bound=flow_bound, lp_bound=flow_bound, solver_objective=result.objective,
                   runtime_seconds=time.perf_counter() - started,
                   explanation=["one queue and no breaks: covering the demand is a min-cost flow over the shifts "
                                "(an interval matrix, so its optimum is integral and, with the headcount it "
                                "implies, bounds every roster); its shifts, handed to agents within every rule, "
                                "meet that bound, so the roster is optimal"])


def _chosen(solver: cp_model.CpSolver, mv: ModelVars) -> dict[int, list[int]]:
    chosen: dict[int, list[int]] = {}
    for (a, o), var in mv.x.items():
        if solver.boolean_value(var):
            chosen.setdefault(a, []).append(o)
    return chosen


def _values(solver: cp_model.CpSolver, variables: dict[Any, Any]) -> dict[Any, int]:
    return {key: int(solver.value(var)) for key, var in variables.items()}
