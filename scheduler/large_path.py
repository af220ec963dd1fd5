"""Plans too large for one CP-SAT model: the start roster improved stage by stage on counted work.

From the polished start roster: the LP relaxation's bound (the compact roster MIP's by interior point when it fits,
else PDLP on the CP-SAT model's relaxation), greedy rosters guided by the LP's shifts, the roster of the agents the
LP works (:mod:`scheduler.team`), CP-SAT re-timing the agents of each under-staffed queue one day at a time
(:func:`scheduler.lns.fix_under_staffing`), more local search, then CP-SAT skill group by skill group
(:func:`scheduler.lns.improve_by_groups`). Each stage's budget is nominal (:mod:`scheduler.work_limits`), so the
same plan, seed and workers give the same roster. Plans below the large size that CP-SAT does not prove optimal at
once run the same stages on a share of their limit (:func:`scheduler.solve.solve`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from scheduler import stage_results
from scheduler.aggregate_lp import CountLpJob, CountLpSolution
from scheduler.checker import OBJECTIVE_UNIT
from scheduler.cpsat.backend import CpSatBackend
from scheduler.cpsat.lp_bound import pdlp_solve, relaxation_of
from scheduler.cpsat.model import ModelVars
from scheduler.floor_bound import capacity_floor
from scheduler.heuristic import greedy_roster
from scheduler.lns import fix_under_staffing, improve_by_groups
from scheduler.local_search import RUIN_TRIES_PER_SECOND
from scheduler.problem import ProblemData
from scheduler.result import Result
from scheduler.roster_mip import CompactLp
from scheduler.stage_results import ProgressCallback
from scheduler.team import TEAM_THRESHOLD, lp_team, team_problem
from scheduler.work_limits import (
    WALL_SAFETY,
    check_seconds,
    greedy_seconds,
    lp_setup_seconds,
    model_seconds,
    note_clock_stop,
    relaxation_seconds,
)

__all__ = ["misses_avoidable_demand", "solve_large", "team_result"]

#: Share of the time limit a large plan spends on its lower bound (PDLP); the rest improves the roster.
LARGE_BOUND_SHARE = 0.5
#: Share of the time limit a large plan's start roster's local search (:mod:`scheduler.local_search`) may take
#: (:func:`scheduler.solve.solve` builds the start): on a large plan it is where the roster gets good (it stops
#: earlier when no move helps). On the 300-agent benchmark (2026-12-03) 0.6 left the re-timing of under-staffed
#: queues 23 s (111,393) and 0.5 left it 34 s (107,541): its steps gain more; 0.4 left it 46 s (2026-12-06, later:
#: 101,371, with :data:`UNDER_FIX_SHARE` 0.4). A start that then misses no demand the shift-count LP meets goes on
#: for :data:`RESUMED_POLISH_SHARE` more (:func:`misses_avoidable_demand`), taken from PDLP's share: the re-timing
#: has nothing to do on it, and on the 500-agent benchmark PDLP's bound (58,218) stayed below the shift-count LP's
#: (59,324). There (60 s) 0.1 gave 67,374, 0.15 67,034 and 0.2 67,005, against 67,196 with a polish of 0.5.
LARGE_POLISH_SHARE = 0.4
RESUMED_POLISH_SHARE = 0.2
#: Share of what is left after the bound that a large plan gives to more local search before the group LNS.
LATE_POLISH_SHARE = 0.7
#: ... whose ruin-and-recreate steps are those of this share of the limit (the late polish's share of the bound's
#: share when the start's polish was half the limit, kept so the 80-agent benchmark keeps its roster).
LATE_RUIN_SHARE = LATE_POLISH_SHARE * 0.5 * LARGE_BOUND_SHARE
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
#: On the 300-agent benchmark (2026-12-06, later; 120 s) the start's 21 quarter-hours short took the re-timing 16
#: steps that all but one improved: 0.3 after a polish of 0.5 gave it 34 nominal seconds (104,851, 6 short), 0.4
#: after 0.4 46 s (101,371, 2 short), 0.5 after 0.3 101,686 (2 short). Earlier: 0.15 gave 7 steps (118,693 vs 116,691).
UNDER_FIX_SHARE = 0.4
#: A large plan runs PDLP only with at least this share of the limit left for it once its model is read (on the
#: 300-agent benchmark 3 s of PDLP proved nothing, after 9 s of reading the relaxation).
MIN_PDLP_SHARE = 0.1
#: "The LP meets it": the LP's under-staffing is at most this share of the start roster's.
AVOIDABLE_UNDER_SHARE = 0.5
#: Weights of the LP relaxation's shift values added to the greedy's gains on large plans (each gives one roster).
LP_GUIDE_WEIGHTS = (0.3, 1.0)
#: Weight of the compact LP vertex's shift values added to the greedy's gains for the start roster (measured on the
#: 80-agent benchmark with 15 s of polish: 0.3 gave 14,060, 1 13,805, 3 13,638, 10 13,557, 30 14,001).
COMPACT_GUIDE_WEIGHT = 10.0
#: With the compact LP's vertex, a second roster is built for the agents the LP works (:mod:`scheduler.team`): its
#: local search gets this share of the limit, and the re-timing of the demand it leaves uncovered up to
#: :data:`TEAM_REPAIR_SHARE` (80-agent benchmark: 70 of 80 agents, 17 agent-intervals uncovered after 6 s of local
#: search, all closed by 10 re-timing steps in 10 s).
TEAM_POLISH_SHARE = 0.15
TEAM_REPAIR_SHARE = 0.3
#: ... which leaves this share of the limit to the stages after it (the late local search of the better roster): the
#: team's roster can lose to the start, which then got only :data:`scheduler.solve.MIN_POLISH_SHARE` of polish. On
#: the 500-agent benchmark at 120 s (its compact LP then fits) the team left 31 agent-intervals short and the start
#: stood at 72,102, against 67,005 at 60 s without the compact LP; keeping 0.1 gave 68,862, 0.2 66,987 (2026-12-06,
#: later). The 80-agent benchmark's team needs its re-timing: 12,840 with 0.1, 13,970 with 0.2.
TEAM_FALLBACK_SHARE = 0.1
#: A team's roster that still misses demand after its re-timing, but would beat the start without that
#: under-staffing, gets this share of the limit of local search on the whole plan, where the agents outside the
#: team may be hired back for the intervals it misses. On the 500-agent benchmark at 120 s the team's 446 heads
#: stood at 115,176 after re-timing, 51 agent-intervals short, 63,176 without them, against the start's 72,102: 0.05
#: gave 69,134, and the late local search then 65,141 (68,862 without it; 67,005 at 60 s); 0.1 left the late polish
#: no time (67,638). A 250-agent, one-week, six-language plan at 120 s: 32,402 against 34,161 (2026-12-06). A start
#: that misses demand the shift-count LP meets needs that time for its own re-timing: the 20-agent, 4-week benchmark
#: (start 2 agent-intervals short; its team's roster, hired back to all 20 agents, still 13) went from 6,121 to 8,172.
TEAM_HIRE_SHARE = 0.05


def solve_large(problem: ProblemData, backend: CpSatBackend | None, mv: ModelVars | None, start: Result, *,
                time_limit_seconds: float, workers: int, seed: int, with_lp_bound: bool,
                progress: ProgressCallback | None, started: float, common: dict[str, Any],
                flow_bound: float, counted: CountLpSolution | None, spent: float,
                compact: CompactLp | None = None, count_job: CountLpJob | None = None, small: bool = False,
                relative_gap: float = 0.0, start_text: str = "the greedy start improved by local search",
                large_above: int = 0) -> Result:
    """A plan too large for one CP-SAT model: polished greedy, PDLP bound and LP-guided greedy, then group LNS.

    Each stage's budget follows from the *nominal* time left: ``spent`` (the nominal seconds of the start roster)
    plus what each stage's counted work stands for (:mod:`scheduler.work_limits`), never read from the clock, so
    the same plan, seed and workers give the same roster. The clock only caps each stage at the time limit, and the
    time left at the clock's when the machine runs behind the rates. ``large_above`` is the model size above which
    a plan is large (:data:`scheduler.solve.LARGE_MODEL_VARIABLES`), for the explanation.
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
        nominal, clock = time_limit_seconds - finish - slack - spent, deadline - time.perf_counter()
        if clock < nominal:
            note_clock_stop("the time left for the later stages")
        return min(nominal, clock)

    def wall(budget: float) -> float:  # a stage's wall-clock safety net: its own, and never past the deadline
        return max(min(WALL_SAFETY * budget, deadline - time.perf_counter()), 0.0)

    if progress is not None and not small:  # (a small plan's search has shown its start and bound already)
        progress(time.perf_counter() - started, start.objective, 0.0)
    best, how, lp_bound = start, start_text, None
    if small:
        how = "the better of the start roster (greedy and local search) and CP-SAT's first look"
    count_bound = None if counted is None else counted.bound
    # a roster missing demand the LP meets keeps time for re-timing the queues it misses, day by day
    avoidable = misses_avoidable_demand(start, counted)
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
        if backend is None or mv is None or stage_results.has_roster_changes(problem):  # built only now that PDLP
            # needs it; without a re-plan's change terms, which no roster makes negative: the bound holds, and PDLP
            # converges (the bundled example re-planned from Thursday: 5.68 million in 25 s with them, 9.30 without)
            backend, mv = stage_results.whole_model(stage_results.without_roster_changes(problem))
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
            candidate, work = stage_results.greedy_result(
                problem, greedy_roster(problem, bias), started, None, common, polish_seconds=polish, seed=seed,
                wall_seconds=wall(polish), ruin_steps=int(RUIN_TRIES_PER_SECOND * time_limit_seconds / 4))
            spent += greedy_seconds(num_options, num_intervals) + work + check_seconds(num_agents, num_intervals)
            if candidate is not None and candidate.objective < best.objective - 1e-9:
                best, how = candidate, "the greedy guided by the LP relaxation's shifts, improved by local search"
    if compact is not None and compact.used_values and left() > 1.0:
        team_progress = None
        if progress is not None:  # the team's roster is news only once it beats the best so far

            def team_progress(_: float, objective: float) -> None:
                if objective < best.objective - 1e-9:
                    progress(time.perf_counter() - started, objective, min(lp_bound or 0.0, objective))

        candidate, work, team_text = team_result(problem, compact, best, started, common, seed=seed,
                                                  budget=min(TEAM_POLISH_SHARE * time_limit_seconds, left()),
                                                  repair=TEAM_REPAIR_SHARE * time_limit_seconds,
                                                  keep=TEAM_FALLBACK_SHARE * time_limit_seconds, left=left, wall=wall,
                                                  hire=0.0 if misses_avoidable_demand(best, counted) else
                                                  TEAM_HIRE_SHARE * time_limit_seconds, progress=team_progress)
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
            best = stage_results.with_roster(best, retimed.roster, retimed.report)
    # more local search first (it improved every benchmark; the group LNS rarely does)
    if left() > 1.0 and not gap_met():
        budget = LATE_POLISH_SHARE * left()
        before = best.objective
        best, work = stage_results.polished(problem, best, started, budget=budget, seed=seed + 1,
                                            ruin_steps=int(RUIN_TRIES_PER_SECOND * (LATE_RUIN_SHARE
                                                                                    * time_limit_seconds)),
                                            wall_seconds=wall(budget))
        spent += work + check_seconds(num_agents, num_intervals)
        if best.objective < before and report_progress is not None:
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
    num_used = len(outcome.roster.by_agent())
    if compact is not None and lp_bound is not None and lp_bound >= floor:
        # the heads it works against the roster's: on the 80-agent benchmark 66.9 against 70, most of the gap
        lp_heads = sum(compact.used_values.values())
        bound_text = ("the LP relaxation's (the compact roster MIP, HiGHS interior point and crossover, safe dual "
                      f"bound), which works {lp_heads:,.1f} head{'' if round(lp_heads, 1) == 1 else 's'} where the "
                      f"roster has {num_used:,}")
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
                   f"{large_above:,} variables, so the roster is {stages_text}; the bound is {bound_text}"]
    return Result("FEASIBLE", objective, min(proven, objective), lp_bound, None,
                  time.perf_counter() - started, roster=outcome.roster, coverage=report.coverage, terms=report.terms,
                  penalties=report.soft, num_agents_used=num_used,
                  num_agents=len(problem.agents), seed=seed, workers=workers, explanation=explanation)


def misses_avoidable_demand(roster: Result, counted: CountLpSolution | None) -> bool:
    """Whether ``roster`` misses demand the shift-count LP meets (all of it when the LP's solution is unknown).

    Parameters
    ----------
    roster : Result
        A checked roster of the plan.
    counted : CountLpSolution or None
        The shift-count LP's solution, when it finished.

    Returns
    -------
    bool
        True when the roster's under-staffing is positive and the LP's is at most :data:`AVOIDABLE_UNDER_SHARE` of it:
        then CP-SAT re-timing (:func:`scheduler.lns.fix_under_staffing`) has demand it can meet.
    """
    under = roster.terms.under_staffing / OBJECTIVE_UNIT
    return under > 0 and (counted is None or counted.under_staffing <= AVOIDABLE_UNDER_SHARE * under)


def team_result(problem: ProblemData, compact: CompactLp, best: Result, started: float, common: dict[str, Any], *,
                seed: int, budget: float, repair: float, left: Callable[[], float], keep: float = 0.0,
                wall: Callable[[float], float], hire: float = 0.0,
                progress: Callable[[float, float], None] | None = None) -> tuple[Result | None, float, str]:
    """The roster of the agents the compact LP works (:mod:`scheduler.team`), its gaps re-timed on the whole team.

    Returns the checked roster (None when the team is not smaller than ``best``'s or no roster came of it), the
    nominal seconds its stages counted, and how it was built, in words. The re-timing of the demand the team's roster
    misses gets up to ``repair`` nominal seconds, and leaves ``keep`` of what ``left()`` says to the stages after it
    (:data:`TEAM_FALLBACK_SHARE`). A roster that then still misses demand, but would cost less than ``best`` without
    that under-staffing, gets up to ``hire`` nominal seconds of local search on the whole plan (seed + 3), where
    the agents outside the team may be hired back (:data:`TEAM_HIRE_SHARE`). ``progress`` hears of each re-timing
    step that improves the team's roster (seconds, objective).
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
    candidate, work = stage_results.greedy_result(sub, chosen, started, None, common, polish_seconds=polish,
                                                  seed=seed, wall_seconds=wall(polish),
                                                  ruin_steps=int(RUIN_TRIES_PER_SECOND * polish))
    spent += work + check_seconds(len(problem.agents), problem.num_intervals)
    if candidate is None:
        return None, spent, ""
    who = "the one agent" if len(team) == 1 else f"the {len(team)} agents"
    text = (f"the roster of {who} the LP relaxation works at least {TEAM_THRESHOLD:.0%} of a head (greedy guided "
            "by its vertex, local search)")
    # left() does not know of this stage's spending; keep is what the stages after it must still have
    if candidate.terms.under_staffing > 0 and left() - spent - keep > 1.0:
        budget = min(repair, left() - spent - keep)
        retimed = fix_under_staffing(problem, candidate.roster, time_budget_seconds=budget, seed=seed,
                                     progress=progress, wall_seconds=wall(budget))
        spent += retimed.work_seconds
        if retimed.improving_steps:
            candidate = stage_results.with_roster(candidate, retimed.roster, retimed.report)
        text += (f", the demand it left re-timed on the whole team ({retimed.improving_steps} of {retimed.steps} "
                 "steps improved it)")
    gaps = candidate.terms.under_staffing + candidate.terms.uncovered_queues
    without_gaps = candidate.objective - gaps / OBJECTIVE_UNIT
    budget = min(hire, left() - spent)
    if candidate.terms.under_staffing > 0 and without_gaps < best.objective - 1e-9 and budget > 1.0:
        hired, work = stage_results.polished(problem, candidate, started, budget=budget, seed=seed + 3,
                                             ruin_steps=int(RUIN_TRIES_PER_SECOND * budget), wall_seconds=wall(budget))
        spent += work + check_seconds(len(problem.agents), problem.num_intervals)
        if hired is not candidate:
            candidate = hired
            text += ", then local search on the whole plan, which may hire back the agents outside the team"
    return candidate, spent, text
