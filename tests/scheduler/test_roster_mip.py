"""The compact roster MIP (:mod:`scheduler.roster_mip`) against hand-derived optima and the CP-SAT model.

Weights as in ``test_rules``: under-staffing 1000 per agent-hour, headcount 100 per agent, paid time
1 per hour, the rest 0, on a 60-minute grid.
"""

from __future__ import annotations

import numpy as np
import pytest

from scheduler.checker import OBJECTIVE_UNIT, check_roster
from scheduler.cpsat.backend import CpSatBackend
from scheduler.cpsat.lp_bound import exact_bound, relaxation_of
from scheduler.cpsat.model import build_model
from scheduler.disaggregate import disaggregate
from scheduler.heuristic import greedy_counts
from scheduler.problem import BreakSpec, TemplateData
from scheduler.roster_mip import build_roster_mip, compact_lp, hand_out_breaks, solve_roster_mip
from scheduler.solve import solve
from tests.scheduler.test_rules import agent, demand_hours, problem, shift

#: An 8-hour shift whose one-hour break starts 3 or 4 hours after the shift start.
WITH_BREAK = TemplateData("day", "D", (BreakSpec("break", 60, True, 1, (3, 4)),))


def _break_plan():
    """Demand 1 from 08:00 to 16:00; two agents who may start at 07:00, 08:00 or 09:00.

    One agent covers at most 7 of the 8 hours (the break), so the optimum hires both:
    2 x 100 + 16 paid hours = 216, with the breaks at different hours (11:00 and 12:00
    for two 08:00 shifts). One agent alone would cost 100 + 8 + 1000 = 1108.
    """
    options = [shift(0, 7), shift(0, 8), shift(0, 9)]
    return problem(demand_hours(1, (0, 8, 16)), [agent("A", options), agent("B", options)],
                   templates=(WITH_BREAK,))


def _roster(data, chosen, offsets):
    return disaggregate(data, chosen, *greedy_counts(data, chosen, offsets=offsets))


def test_mip_reaches_the_hand_derived_optimum_and_its_roster_passes_the_checker() -> None:
    data = _break_plan()
    outcome = solve_roster_mip(data, time_limit_seconds=20, threads=1)
    assert outcome.status == "Optimal"
    assert outcome.objective == pytest.approx(216)
    assert outcome.dual_bound == pytest.approx(216)
    report = check_roster(data, _roster(data, outcome.chosen, outcome.offsets))
    assert report.feasible, report.violations
    assert report.terms.total / OBJECTIVE_UNIT == pytest.approx(216)
    assert (report.coverage >= data.demand).all()  # every demanded hour covered: the breaks do not coincide


def test_mip_optimum_equals_cp_sat_on_a_rest_and_weekly_rule_instance() -> None:
    # two days, demand 06:00-14:00 on day 0 and 22:00-24:00 plus 00:00-06:00 on day 1 (a night)
    days = 2
    need = demand_hours(days, (0, 6, 14), (1, 0, 6), (1, 22, 24))
    options = [shift(0, 6), shift(1, 0, hours=6), shift(1, 22, hours=2), shift(0, 14)]
    agents = [agent("A", options, max_hours=14), agent("B", options, max_hours=14), agent("C", options)]
    data = problem(need, agents, days=days, rest_hours=11)
    outcome = solve_roster_mip(data, time_limit_seconds=20, threads=1)
    reference = solve(data, time_limit_seconds=20, workers=1)
    assert reference.status == "OPTIMAL"
    assert outcome.objective == pytest.approx(reference.objective)
    report = check_roster(data, _roster(data, outcome.chosen, outcome.offsets))
    assert report.feasible, report.violations
    assert report.terms.total / OBJECTIVE_UNIT == pytest.approx(reference.objective)


def test_lp_relaxation_equals_the_cp_sat_models_and_bounds_the_optimum() -> None:
    data = _break_plan()
    backend = CpSatBackend()
    build_model(data, backend)
    reference = exact_bound(relaxation_of(backend.model), 20) / OBJECTIVE_UNIT
    relaxed = compact_lp(data, time_limit_seconds=20, threads=1)
    assert relaxed.status == "Optimal"
    assert relaxed.objective == pytest.approx(reference, abs=1e-6)
    # the safe bound of the LP's duals is the LP optimum here, and below the MIP optimum of 216
    assert relaxed.bound == pytest.approx(relaxed.objective, abs=1e-6)
    assert relaxed.bound <= 216 + 1e-9
    assert set(relaxed.shift_values) == {0, 1}


def test_the_lp_solves_again_in_the_same_process_with_another_thread_count() -> None:
    """HiGHS keeps one task scheduler per process, sized by the first run: without a reset, an LP asking for
    other threads after it fails with the status ``Not Set`` (measured with highspy 1.16), and the solve
    would drop its LP without a word."""
    data = _break_plan()
    statuses = [compact_lp(data, time_limit_seconds=20, threads=threads).status for threads in (2, 1, 2)]
    assert statuses == ["Optimal", "Optimal", "Optimal"]


def test_breaks_are_handed_out_earliest_deadline_first() -> None:
    # three agents of one group starting at 07:00, 08:00 and 09:00: break windows 10-11, 11-12, 12-13.
    # Break starts: one at 10:00, one at 11:00, one at 13:00 -> A at offset 3, B at 3, C at 4.
    data = problem(demand_hours(1, (0, 7, 17)), [agent("A", [shift(0, 7)]), agent("B", [shift(0, 8)]),
                                                 agent("C", [shift(0, 9)])], templates=(WITH_BREAK,))
    mip = build_roster_mip(data)
    (block,) = mip.blocks
    assert (block.first, block.last, block.first_time) == (3, 4, 10)
    values = np.zeros(mip.num_columns)
    for t in (10, 11, 13):
        values[block.z_columns[t - block.first_time]] = 1
    offsets = hand_out_breaks(data, mip, {0: [0], 1: [0], 2: [0]}, values)
    assert offsets == {(0, 0): [3], (1, 0): [3], (2, 0): [4]}


def test_a_shift_too_short_for_its_templates_breaks_is_refused() -> None:
    """Tests the problem's own guard: breaks at 3 or 4 hours after the start (ending up to 5 hours after it) in a
    4-hour shift would take the agent off duty after his shift; the queue hand-out then failed deep inside the solve
    (a pinned 2-hour 'day' shift of a plan did that before the roster loader refused it)."""
    with pytest.raises(ValueError, match="agent A: a 'day' shift of 4 intervals on day 0, but the template's breaks "
                                         "may end 5 intervals after its start"):
        problem(demand_hours(1, (0, 8, 12)), [agent("A", [shift(0, 8, 4)])], templates=(WITH_BREAK,))
    assert problem(demand_hours(1, (0, 8, 13)), [agent("A", [shift(0, 8, 5)])], templates=(WITH_BREAK,)).agents


def test_the_lp_prints_nothing_on_the_terminal() -> None:
    """Tests that a fresh process solving the compact LP writes nothing to its standard output. HiGHS's constructor
    printed its banner ("Running HiGHS ... Copyright ...") once per process, in the middle of ``shiftplan
    solve``'s progress lines; it is made with standard output pointed at the null device. A subprocess, because the
    banner comes only with the process's first instance."""
    import subprocess
    import sys
    from pathlib import Path

    code = ("from tests.scheduler.test_roster_mip import _break_plan\n"
            "from scheduler.roster_mip import compact_lp\n"
            "lp = compact_lp(_break_plan(), time_limit_seconds=10, threads=1)\n"
            "assert lp.bound is not None\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
