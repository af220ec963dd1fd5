"""The solver-free lower bounds of issue 5 side by side, per instance, with their time.

Run::

    .venv/bin/python benchmarks/scheduler/bench_bounds.py [instance ...] [--exact-lp]

For each named instance of ``generate.py`` (``medium``, ``named500``, ``large``) and each covering grid
(``pyworkforce_a``, ``pyworkforce_b``): the demand floor (:mod:`scheduler.floor_bound`), the covering
flow (:mod:`scheduler.covering_flow`), the shift-count LP (:mod:`scheduler.aggregate_lp`) and, with
``--exact-lp``, the whole model's LP relaxation solved by HiGHS (minutes on ``medium``, far longer on
``large``). The ``witness`` column is the generator's own roster scored by the checker (an upper
reference: every bound must stay below it), and ``bound / witness`` is the best bound's share of it.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from generate import covering_grid, covering_problem, named_instance

from scheduler.aggregate_lp import count_lp_bound
from scheduler.checker import OBJECTIVE_UNIT, check_roster
from scheduler.covering_flow import covering_bound
from scheduler.floor_bound import demand_floor
from scheduler.problem import ProblemData

INSTANCES = ("medium", "named500", "large", "pyworkforce_a", "pyworkforce_b")


def _timed(compute: Callable[[], float | None]) -> tuple[float | None, float]:
    started = time.perf_counter()
    value = compute()
    return value, time.perf_counter() - started


def _exact_lp(problem: ProblemData) -> float | None:
    from scheduler.cpsat.backend import CpSatBackend
    from scheduler.cpsat.lp_bound import exact_bound, relaxation_of
    from scheduler.cpsat.model import build_model

    backend = CpSatBackend()
    build_model(problem, backend)
    bound = exact_bound(relaxation_of(backend.model), 3600.0)
    return None if bound is None else bound / OBJECTIVE_UNIT


def main() -> None:
    """Print one row per instance."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instances", nargs="*", metavar="instance",
                        help=f"any of {', '.join(INSTANCES)} (default: all)")
    parser.add_argument("--exact-lp", action="store_true", help="also solve the whole model's LP with HiGHS")
    args = parser.parse_args()
    unknown = sorted(set(args.instances) - set(INSTANCES))
    if unknown:
        parser.error(f"unknown instance(s) {', '.join(unknown)}; choose from {', '.join(INSTANCES)}")
    columns = ["floor", "flow", "count LP"] + (["exact LP"] if args.exact_lp else [])
    header = "".join(f"{column:>12}{'s':>9}" for column in columns)
    print(f"{'instance':<14}{'witness':>12}{header}{'bound / witness':>17}")
    for name in args.instances or INSTANCES:
        if name.startswith("pyworkforce"):
            problem, witness = covering_problem(covering_grid(name)), None
        else:
            problem, witness = named_instance(name)
        reference = check_roster(problem, witness).terms.total / OBJECTIVE_UNIT if witness is not None else None
        computations = [lambda p=problem: demand_floor(p), lambda p=problem: covering_bound(p),
                        lambda p=problem: count_lp_bound(p, 600.0)]
        if args.exact_lp:
            computations.append(lambda p=problem: _exact_lp(p))
        cells, best = [], 0.0
        for compute in computations:
            value, seconds = _timed(compute)
            best = max(best, value or 0.0)
            cells.append(f"{'-' if value is None else f'{value:,.0f}':>12}{seconds:>9.2f}")
        share = f"{best / reference:.3f}" if reference else "-"
        witness_cell = f"{reference:,.0f}" if reference is not None else "-"
        print(f"{name:<14}{witness_cell:>12}" + "".join(cells) + f"{share:>17}", flush=True)


if __name__ == "__main__":
    main()
