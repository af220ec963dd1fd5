"""Work limits: stages end on counted work, so a solve that ends on them gives the same roster every run."""

from __future__ import annotations

import math
import random
import time
from collections import Counter
from pathlib import Path

import pytest
from ortools.sat.python import cp_model

from inputs import load_plan
from scheduler import solve as solve_module
from scheduler import work_limits
from scheduler.breaks import place_breaks
from scheduler.build import build_problem
from scheduler.cpsat.backend import reproducible_solver, solve_counted
from scheduler.cpsat.lp_bound import pdlp_solve, relaxation_of
from scheduler.heuristic import greedy_roster
from scheduler.local_search import improve_by_day_moves
from scheduler.solve import clock_stop_note, overrun_note, solve
from scheduler.work_limits import (
    BOUND_STAGE,
    PDLP_NONZEROS_PER_SECOND,
    PDLP_PARALLEL_NONZEROS,
    RATE_SCALE,
    clock_stops,
    local_search_seconds,
    lp_setup_seconds,
    model_seconds,
    note_clock_stop,
    pdlp_pass_limit,
    pdlp_threads,
)
from tests.scheduler.test_heuristic import _daytime_requirements
from tests.scheduler.test_lower_bound import _half_agent_problem, _model


def test_rates_turn_counts_into_seconds() -> None:
    """Tests the conversions by hand: 1e6 lookups at 4.2 µs, 1e5 computes over 10 groups at 0.98 µs a group, 1e5
    placements at 15.2 µs make 4.2 + 0.98 + 1.52 = 6.7 s at the rates of 2026-12-03, 6.7 x 0.65 = 4.355 s at
    today's scale; a plan of 150,000 / 1024 agent-intervals counts 1024 ** -0.1 = 1/2 of that. A matrix of exactly
    one second's non-zeros (above the cache size) gets 1 / 0.65 passes a second; one of 6.4e6 / 32 non-zeros goes
    32 ** 0.3 = 2.83 times faster. Building a model and reading its relaxation: 0.0118
    ms a variable, 0.233 ms a shift option, both times 0.65."""
    assert RATE_SCALE == 0.65
    assert local_search_seconds(1_000_000, 100_000, 100_000, 10) == pytest.approx(4.355)
    assert local_search_seconds(1_000_000, 100_000, 100_000, 10, 10**9) == pytest.approx(4.355)
    assert local_search_seconds(1_000_000, 100_000, 100_000, 10, 150_000 / 1024) == pytest.approx(4.355 / 2)
    rate = PDLP_NONZEROS_PER_SECOND[2]
    assert pdlp_pass_limit(10.0, int(rate), threads=2) == pytest.approx(10.0 / 0.65)
    assert pdlp_pass_limit(10.0, int(rate), threads=1) == pytest.approx(10.0 / 0.65 * PDLP_NONZEROS_PER_SECOND[1]
                                                                        / rate)
    assert pdlp_pass_limit(1.0, 200_000, threads=2) == pytest.approx(rate / 0.65 / 200_000 * 32 ** 0.3)
    assert pdlp_pass_limit(1e-9, 10**9, threads=2) == 1.0  # never below one pass
    # a model of 100,000 variables at 11.8 µs each; the 300-agent benchmark's 111,361 options at 233 µs each
    assert model_seconds(100_000) == pytest.approx(1.18 * 0.65)
    assert lp_setup_seconds(111_361) == pytest.approx(25.947113 * 0.65)


def test_the_counted_work_not_the_clock_ends_the_local_search(tiny_plan: Path) -> None:
    """Tests a search cut to a quarter of the work it needs to converge: it stops within the budget (less work
    than the converged one), and twice, with wall-clock safety nets a thousand and a million times the budget,
    it gives the same roster."""
    plan = load_plan(tiny_plan)
    data = build_problem(plan, _daytime_requirements(plan))
    chosen = greedy_roster(data)
    offsets = place_breaks(data, [(a, o) for a, picks in chosen.items() for o in picks])
    converged = improve_by_day_moves(data, chosen, offsets, time_budget_seconds=60, seed=3)
    budget = converged.work_seconds / 4
    # the clock's safety net far away on both: a machine slower than the measured rates must not cut either run
    first = improve_by_day_moves(data, chosen, offsets, time_budget_seconds=budget, seed=3, wall_seconds=1e3 * budget)
    second = improve_by_day_moves(data, chosen, offsets, time_budget_seconds=budget, seed=3, wall_seconds=1e6 * budget)
    assert first.work_seconds < converged.work_seconds
    assert first.work_seconds <= budget + 0.1 * converged.work_seconds  # the budget, give or take the last step
    assert (first.chosen, first.offsets, first.work_seconds) == (second.chosen, second.offsets, second.work_seconds)


def test_pdlp_on_a_pass_limit_gives_the_same_bound_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests PDLP stopped by its KKT-pass limit (a tenth of a second's passes, two threads, allowed on this small
    matrix for the test): the same duals, hence the same bound and primal point, on both runs, and the work
    reported is at most the budget."""
    monkeypatch.setattr(work_limits, "PDLP_PARALLEL_NONZEROS", 0)
    relaxation = relaxation_of(_model(_half_agent_problem()).model)
    first = pdlp_solve(relaxation, 0.1, threads=2, wall_seconds=60.0)
    second = pdlp_solve(relaxation, 0.1, threads=2, wall_seconds=60.0)
    assert first[0] == second[0]
    assert (first[1] == second[1]).all()
    assert 0 < first[2] <= 0.1


def test_pdlp_takes_one_thread_below_a_million_non_zeros() -> None:
    """Tests the thread choice by hand (two threads went no faster there and overran their passes' time, so the
    clock cut them, 2026-12-06), and that PDLP asked for two threads on a small matrix runs exactly as on one:
    the same pass limit, bound and primal point."""
    assert PDLP_PARALLEL_NONZEROS == 1_000_000
    assert pdlp_threads(999_999, 2) == 1
    assert pdlp_threads(1_000_000, 2) == 2
    assert pdlp_threads(5_000_000, 1) == 1
    assert pdlp_threads(5_000_000, 0) == 1
    relaxation = relaxation_of(_model(_half_agent_problem()).model)
    assert relaxation.matrix.nnz < PDLP_PARALLEL_NONZEROS
    asked_two = pdlp_solve(relaxation, 0.1, threads=2, wall_seconds=60.0)
    on_one = pdlp_solve(relaxation, 0.1, threads=1, wall_seconds=60.0)
    assert asked_two[0] == on_one[0]
    assert (asked_two[1] == on_one[1]).all()
    assert asked_two[2] == on_one[2]


def test_a_large_plan_solve_is_reproducible(tiny_plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests the large-plan path (every stage on work limits) twice on the bundled tiny plan with a 3 s limit:
    the same roster, objective and lower bound."""
    plan = load_plan(tiny_plan)
    data = build_problem(plan, _daytime_requirements(plan))
    monkeypatch.setattr(solve_module, "LARGE_MODEL_VARIABLES", 0)
    first = solve(data, time_limit_seconds=3, workers=2, seed=5)
    second = solve(data, time_limit_seconds=3, workers=2, seed=5)
    assert "large plan" in first.explanation[0]
    assert first.roster is not None and second.roster is not None
    assert first.roster.assignments == second.roster.assignments
    assert (first.objective, first.lower_bound) == (second.objective, second.lower_bound)


def _slow_cpsat_model() -> cp_model.CpModel:
    """60 weighted booleans under 200 random 3-to-5-of-8 rows: CP-SAT does not prove it in a deterministic second."""
    rng = random.Random(1)
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{i}") for i in range(60)]
    for _ in range(200):
        picked = [x[i] for i in rng.sample(range(60), 8)]
        model.add(sum(picked) >= 3)
        model.add(sum(picked) <= 5)
    model.minimize(sum(rng.randint(1, 100) * v for v in x))
    return model


def test_a_cpsat_search_the_clock_ends_is_recorded_and_one_its_work_ends_is_not() -> None:
    """Tests :func:`solve_counted`: a search with 100 deterministic seconds and 0.05 s on the clock is a clock stop of
    its stage; the same search with 0.05 deterministic seconds and 100 s on the clock is not, nor is a model CP-SAT
    proves at once; outside :func:`clock_stops` nothing is kept."""
    model = _slow_cpsat_model()
    trivial = cp_model.CpModel()
    trivial.minimize(trivial.new_bool_var("y"))
    with clock_stops() as stops:
        solve_counted(reproducible_solver(workers=1, seed=0, deterministic_seconds=100, wall_seconds=0.05), model,
                      "stage A")
        solve_counted(reproducible_solver(workers=1, seed=0, deterministic_seconds=0.05, wall_seconds=100), model,
                      "stage B")
        solve_counted(reproducible_solver(workers=2, seed=0, deterministic_seconds=0.05, wall_seconds=100), model,
                      "stage C")
        assert solve_counted(reproducible_solver(workers=1, seed=0, deterministic_seconds=100, wall_seconds=100),
                             trivial, "stage D") == cp_model.OPTIMAL
    assert stops == Counter({"stage A": 1})
    note_clock_stop("outside")  # no collector: nothing to fail


def test_the_local_search_and_pdlp_record_their_clock_stops(tiny_plan: Path) -> None:
    """Tests the local search with its clock at 0 s (one stop, said once though every phase ends on it) and with its
    clock far away (none), and PDLP with 1e-9 s on the clock (a stop of the bound) and on its passes (none)."""
    plan = load_plan(tiny_plan)
    data = build_problem(plan, _daytime_requirements(plan))
    chosen = greedy_roster(data)
    offsets = place_breaks(data, [(a, o) for a, picks in chosen.items() for o in picks])
    relaxation = relaxation_of(_model(_half_agent_problem()).model)
    with clock_stops() as stops:
        improve_by_day_moves(data, chosen, offsets, time_budget_seconds=60, seed=3, wall_seconds=0.0)
        pdlp_solve(relaxation, 100.0, threads=1, wall_seconds=1e-9)
    assert stops == Counter({"the local search": 1, BOUND_STAGE: 1})
    with clock_stops() as stops:
        improve_by_day_moves(data, chosen, offsets, time_budget_seconds=0.01, seed=3, wall_seconds=1e3)
        pdlp_solve(relaxation, 0.1, threads=1, wall_seconds=60.0)
    assert stops == Counter()


def test_the_explanation_says_which_stages_the_clock_ended() -> None:
    """Tests the line by hand: none without stops; the roster's stages by name in the order they stopped; only PDLP
    changes the bound, not the roster."""
    assert clock_stop_note(Counter()) is None
    assert clock_stop_note(Counter({"the local search": 2, BOUND_STAGE: 1})) == (
        "this machine ran behind the work rates the stages are planned with, so the wall clock, not the counted "
        "work, stopped or shortened: the local search, the LP bound's PDLP; another run with the same seed and "
        "workers may give "
        "another roster (a longer time limit lets each stage end on its own work)")
    assert clock_stop_note(Counter({BOUND_STAGE: 1})).endswith("may give another bound (a longer time limit lets "
                                                               "each stage end on its own work)")


def test_a_solve_whose_polish_the_clock_ends_says_so(tiny_plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests end to end: the tiny plan's solve with the start polish's clock at 0 (``WALL_SAFETY`` = 0) ends its
    explanation's stage lines with the clock's, naming the local search; the same solve as shipped, which CP-SAT
    proves at once, has no such line."""
    plan = load_plan(tiny_plan)
    data = build_problem(plan, _daytime_requirements(plan))
    assert not any("wall clock" in line for line in solve(data, time_limit_seconds=10, workers=1, seed=0).explanation)
    monkeypatch.setattr(solve_module, "WALL_SAFETY", 0.0)
    explanation = solve(data, time_limit_seconds=10, workers=1, seed=0).explanation
    clock = [line for line in explanation if "wall clock" in line]
    assert len(clock) == 1 and "stopped or shortened: the local search" in clock[0]


def test_the_overrun_line_by_hand() -> None:
    """Tests :func:`scheduler.solve.overrun_note` by hand: none within a second or 5% of the limit; past it, the
    runtime, the limit, the plan's size, when the first roster was ready and three times that, rounded up to ten
    seconds, as the limit to give (the bundled example over 6 weeks on the 15-minute grid, ``--time-limit 10``:
    19.5 s, first roster at 19.0 s, so 60 s)."""
    size = {"num_options": 214_319, "num_intervals": 4_032}
    assert overrun_note(10.9, 10, 9.0, **size) is None
    assert overrun_note(104.9, 100, 90.0, **size) is None
    line = overrun_note(19.5, 10, 19.0, **size)
    assert line.startswith("the solve took 19.5 s, past its 10 s limit: on a plan this size (214,319 shift options "
                           "over 4,032 intervals) its first roster")
    assert "was ready only at 19.0 s" in line and line.endswith(
        "Give a time limit of at least 60 s (--time-limit 60) for them to improve the roster and end on their "
        "counted work")
    assert "at least 10 s (--time-limit 10)" in overrun_note(3.5, 1, 3.0, **size)
    assert "needs longer than the limit" in overrun_note(12.0, 10, None, **size)
    # a first roster at 1.3 s of 15: the stages after it ran long (the audit's 8-agent plan: 19.5 s), so the limit
    # that ends near 15 s at the same ratio is 15 * 15 / 19.5 = 11.5, rounded down
    quick = overrun_note(19.5, 15, 1.3, **size)
    assert quick.startswith("the solve took 19.5 s, past its 15 s limit: its first roster was ready at 1.3 s, and "
                            "the stages after it")
    assert quick.endswith("To end near 15 s, give about --time-limit 11")


def test_a_solve_past_its_limit_says_its_first_roster_took_that_long(tiny_plan: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests end to end, with a greedy start made 1.5 s slow: a 0.2 s limit cannot hold, the roster still comes, and
    the explanation says the solve ran past its limit because the first roster was ready only after it, instead of
    blaming a slow machine (a 6-week, 15-minute plan with ``--time-limit 10`` took 26 s and said the machine ran
    behind). The same plan at 10 s keeps to its limit and says nothing of it."""
    plan = load_plan(tiny_plan)
    data = build_problem(plan, _daytime_requirements(plan))
    assert not any("past its" in line for line in solve(data, time_limit_seconds=10, workers=1).explanation)
    greedy = solve_module.greedy_roster

    def slow(*args: object, **kwargs: object) -> object:
        time.sleep(1.5)
        return greedy(*args, **kwargs)

    monkeypatch.setattr(solve_module, "greedy_roster", slow)
    result = solve(data, time_limit_seconds=0.2, workers=1)
    assert result.roster is not None and result.runtime_seconds > 1.5
    past = [line for line in result.explanation if "past its 0.2 s limit" in line]
    assert len(past) == 1 and "its first roster" in past[0] and "(--time-limit 10)" in past[0]
    first = float(past[0].split("was ready only at ")[1].split(" s")[0])
    assert 1.5 <= first <= result.runtime_seconds
    assert not any("ran behind" in line for line in result.explanation)


def test_a_roster_that_meets_its_lower_bound_is_called_optimal() -> None:
    """Tests that a FEASIBLE result whose lower bound equals its objective is OPTIMAL, with a line saying why (the
    audit's plan with a queue closed on weekends printed FEASIBLE beside a gap of 0.00%, objective = LP bound =
    328,998); a bound below the objective by more than rounding, or a result without a roster, stays as it is."""
    from dataclasses import replace as changed

    from scheduler.result import Result
    from scheduler.solve import _proven_optimal

    met = Result("FEASIBLE", 328_998.0, 328_998.0 - 1e-7, 328_998.0, None, 1.0, explanation=["stages"])
    proven = _proven_optimal(met)
    assert proven.status == "OPTIMAL" and proven.lower_bound == 328_998.0 and proven.gap == 0
    assert proven.explanation == ["stages", "the lower bound equals the objective, so this roster is optimal"]
    short = changed(met, lower_bound=328_997.0)
    assert _proven_optimal(short) is short
    none = Result("TIMEOUT_NO_SOLUTION", None, math.nan, None, None, 1.0)
    assert _proven_optimal(none) is none


def test_cpsat_s_first_look_keeps_to_its_share_on_the_clock(tiny_plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests that the first look of CP-SAT on a plan below the large size may run on the clock at most
    ``WALL_SAFETY`` times its nominal wall time (its deterministic seconds at ``CPSAT_WALL_PER_DETERMINISTIC``), as
    every stage: it could take the whole limit (the audit's 8-agent plan: 8.6 s for 2.25 deterministic seconds, the
    solve 19.5 s of a 15 s limit; capped: 15.4 to 16.3 s)."""
    plan = load_plan(tiny_plan)
    data = build_problem(plan, _daytime_requirements(plan))
    calls: list[tuple[float, float]] = []
    run = solve_module._Search.run

    def recorded(self: object, deterministic_seconds: float, wall_seconds: float) -> str:
        calls.append((deterministic_seconds, wall_seconds))
        return run(self, deterministic_seconds, wall_seconds)

    monkeypatch.setattr(solve_module._Search, "run", recorded)
    solve(data, time_limit_seconds=20, workers=1)
    look = solve_module.PROBE_SHARE * 20
    assert calls[0][0] == pytest.approx(look)
    assert calls[0][1] == pytest.approx(work_limits.WALL_SAFETY * work_limits.CPSAT_WALL_PER_DETERMINISTIC * look)


def test_a_start_roster_kept_for_want_of_cp_sat_s_says_where_its_bound_comes_from(
        tiny_plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests the bound's line when CP-SAT finds no roster in time and the start roster is returned (the audit's
    8-agent plan at ``--time-limit 1``: a bound of 1,540 against 371,146, marked 'LP -, CP-SAT -', with no word of
    where it came from): after the roster stages, theirs; without them or the LP relaxation, the covering flow's,
    and that a longer limit proves more; with the LP relaxation, its."""
    plan = load_plan(tiny_plan)
    data = build_problem(plan, _daytime_requirements(plan))
    monkeypatch.setattr(solve_module._Search, "run", lambda self, *args: "TIMEOUT_NO_SOLUTION")
    staged = solve(data, time_limit_seconds=1, workers=1, with_lp_bound=False)  # the roster stages ran: theirs
    assert staged.explanation[1].startswith("the lower bound is the roster stages' (the best of the capacity floor")
    monkeypatch.setattr(solve_module, "STAGES_SHARE", 2.0)  # no time for the stages (as on the audit's plan at 1 s)
    without = solve(data, time_limit_seconds=1, workers=1, with_lp_bound=False)
    assert without.status == "FEASIBLE" and without.lp_bound is None
    assert without.explanation[1].startswith("the lower bound is the covering flow's (shifts counted per queue")
    with_lp = solve(data, time_limit_seconds=1, workers=1)
    assert with_lp.lp_bound is not None and with_lp.lower_bound == pytest.approx(min(with_lp.lp_bound,
                                                                                     with_lp.objective))
    assert "the lower bound is the LP relaxation's" in with_lp.explanation
