"""Scheduler benchmarks of issue 5: named rosters and the side-by-side with pyworkforce, one table.

Run::

    .venv/bin/python benchmarks/scheduler/bench_scheduler.py [instance ...] [--time-limit S] [--workers N]

Instances (see ``generate.py``): ``medium``, ``large``, ``named500``, the thin teams ``small10`` to ``small25``
(one week) and ``thin20w2``, ``thin30w2``, ``thin20w4`` (20 or 30 agents over 2 or 4 weeks) (named rosters, solved
by :func:`scheduler.solve.solve`), ``named500_grid`` (bar (c) read literally: 500 named agents, a week, an 11-hour
rest rule, one 24/7 queue of the pyworkforce kind; no witness) and ``pyworkforce_a``, ``pyworkforce_b`` (one 24/7
requirement grid solved by pyworkforce's ``MinRequiredResources`` and ``MinAbsDifference`` and by shiftplan).
Without instances, all of them
run. Each solver runs in its own subprocess, so the peak memory (``ru_maxrss`` of that
child, from ``os.wait4``) includes the C++ solver. Every shiftplan roster is run through the
independent checker: ``checker ok`` means every hard rule holds and the checker's objective
equals the solver's. Each named instance also has a ``witness`` row: the generator's own
roster (every hard rule kept, no under-staffing), scored by the checker, an upper reference
that a solve should beat.

Default time limits are the bars' (medium 60 s, large 120 s, named500 and named500_grid 60 s, the pyworkforce
grids 120 s each for both solvers); 30 s for the one-week thin teams and 60 s for the longer ones, which have no
bar. ``--time-limit`` sets one limit for all. shiftplan's stages end on counted work (nominal seconds, CP-SAT's
deterministic time), with the wall
clock as a safety net (see ``scheduler.solve``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
NAMED = ("medium", "large", "named500", "small10", "small15", "small20", "small25", "thin20w2", "thin30w2", "thin20w4")
COVERING_NAMES = ("pyworkforce_a", "pyworkforce_b")
NAMED_GRID_NAMES = ("named500_grid",)
DEFAULT_LIMITS = {"medium": 60.0, "large": 120.0, "named500": 60.0, "pyworkforce_a": 120.0, "pyworkforce_b": 120.0,
                  "small10": 30.0, "small15": 30.0, "small20": 30.0, "small25": 30.0, "thin20w2": 60.0,
                  "thin30w2": 60.0, "thin20w4": 60.0, "named500_grid": 60.0}
KILL_AFTER_FACTOR = 4.0  # a child still running after this many time limits (plus a minute) is killed

COLUMNS = (  # (header, width, key, format)
    ("instance", 14, "instance", "s"), ("solver", 11, "solver", "s"), ("agents", 6, "agents", "d"),
    ("queues", 6, "queues", "d"), ("intervals", 9, "intervals", "d"), ("status", 19, "status", "s"),
    ("objective", 13, "objective", ",.1f"), ("lower bound", 13, "lower_bound", ",.1f"), ("gap %", 7, "gap", ".2f"),
    ("runtime s", 9, "runtime", ".2f"), ("checker ok", 10, "checker_ok", "s"), ("paid h", 9, "paid_hours", ",.1f"),
    ("under h", 8, "under_hours", ",.1f"), ("peak MB", 8, "peak_mb", ",.0f"), ("t ratio", 7, "time_ratio", ".2f"),
    ("mem ratio", 9, "mem_ratio", ".2f"),
)


@dataclass(frozen=True)
class Job:
    """One solver run: instance, solver, limits, seeds."""

    instance: str
    solver: str
    time_limit: float
    workers: int
    seed: int
    instance_seed: int


def _under_hours(demand: Any, coverage: Any, interval_minutes: int) -> float:
    """Agent-hours of demand not covered (per queue and interval, summed)."""
    import numpy as np

    return float(np.clip(demand - coverage, 0, None).sum() * interval_minutes / 60)


def run_shiftplan(job: Job) -> dict[str, Any]:
    """Solve one instance with shiftplan, check the roster, return the row's figures."""
    from generate import covering_grid, covering_problem, named_grid_instance, named_instance

    from scheduler.checker import OBJECTIVE_UNIT, check_roster
    from scheduler.solve import solve

    grid = covering_grid(job.instance, job.instance_seed) if job.instance in COVERING_NAMES else None
    if grid is not None:
        problem = covering_problem(grid)
    elif job.instance in NAMED_GRID_NAMES:
        problem, witness = named_grid_instance(job.instance, job.instance_seed), None
    else:
        problem, witness = named_instance(job.instance, job.instance_seed)
    if job.solver == "witness":
        return _witness_row(problem, witness)
    started = time.perf_counter()
    result = solve(problem, time_limit_seconds=job.time_limit, workers=job.workers, seed=job.seed)
    runtime = time.perf_counter() - started
    row: dict[str, Any] = {"status": result.status, "objective": result.objective, "lower_bound": result.lower_bound,
                           "gap": None if result.gap is None else 100 * result.gap, "runtime": runtime,
                           "agents": len(problem.agents), "queues": problem.num_queues,
                           "intervals": problem.num_intervals, "checker_ok": "-", "note": " ".join(result.explanation)}
    if result.roster is None:
        return row
    report = check_roster(problem, result.roster)
    same = result.objective is not None and abs(report.terms.total / OBJECTIVE_UNIT - result.objective) < 1e-6
    row["checker_ok"] = "yes" if report.feasible and same else "NO"
    if not (report.feasible and same):
        row["note"] += f" checker: {report.violations[:3]} {report.terms.total / OBJECTIVE_UNIT} vs {result.objective}"
    options = [problem.agents[item.agent].options[item.option] for item in result.roster.assignments]
    row["paid_hours"] = sum(o.paid_minutes for o in options) / 60
    if grid is None:
        row["under_hours"] = _under_hours(problem.demand, report.coverage, problem.interval_minutes)
        row["used"] = result.num_agents_used
        return row
    # the real 24/7 clock, from shift counts exactly as for pyworkforce
    shifts = grid.shifts()
    per_day = grid.intervals_per_day
    counts: dict[tuple[int, int], int] = {}
    for o in options:
        key = (o.day, shifts.index((o.start - o.day * per_day, o.length)))
        counts[key] = counts.get(key, 0) + 1
    row["under_hours"] = _under_hours(grid.demand, grid.coverage(counts), grid.interval_minutes)
    return row


def _witness_row(problem: Any, witness: Any) -> dict[str, Any]:
    """The generator's witness roster, scored by the checker (an upper reference, no solver)."""
    from scheduler.checker import OBJECTIVE_UNIT, check_roster

    report = check_roster(problem, witness)
    options = [problem.agents[item.agent].options[item.option] for item in witness.assignments]
    return {"status": "REFERENCE", "objective": report.terms.total / OBJECTIVE_UNIT, "agents": len(problem.agents),
            "queues": problem.num_queues, "intervals": problem.num_intervals,
            "checker_ok": "yes" if report.feasible else "NO", "paid_hours": sum(o.paid_minutes for o in options) / 60,
            "under_hours": _under_hours(problem.demand, report.coverage, problem.interval_minutes),
            "note": f"witness roster of the generator, {len(witness.by_agent())} agents scheduled"}


def run_pyworkforce(job: Job) -> dict[str, Any]:
    """Solve a covering grid with pyworkforce; figures on the real clock.

    Solver ``pyworkforce`` is ``MinRequiredResources`` (cover every period, fewest paid hours:
    the same objective as shiftplan's covering problem); ``pyw-abs`` is ``MinAbsDifference``
    (least total absolute difference between coverage and requirement).

    pyworkforce describes a shift by the periods of *one day* it covers, so a shift that
    crosses midnight is wrapped onto the early hours of its own day; its solution is scored
    here on the real clock from its shift counts. Its own ``num_search_workers`` setting is
    a no-op (it sets an attribute of the solver object, not of its parameters), so the
    worker count is set on ``solver.parameters`` to match shiftplan's.
    """
    from generate import covering_grid
    from pyworkforce.scheduling import MinAbsDifference, MinRequiredResources

    grid = covering_grid(job.instance, job.instance_seed)
    per_day = grid.intervals_per_day
    shifts = grid.shifts()
    coverage = {}
    costs = {}
    for s, (start, length) in enumerate(shifts):
        periods = [0] * per_day
        for k in range(length):
            periods[(start + k) % per_day] = 1  # pyworkforce's wrap: the overnight part lands on the same day
        coverage[f"s{s}"] = periods
        costs[f"s{s}"] = length * grid.interval_minutes // 60  # paid hours (every length is whole hours)
    ceiling = int(3 * grid.demand.max())
    started = time.perf_counter()
    common = {"num_days": grid.num_days, "periods": per_day, "shifts_coverage": coverage,
              "required_resources": grid.demand.reshape(grid.num_days, per_day).tolist(),
              "max_period_concurrency": ceiling, "max_shift_concurrency": ceiling,
              "max_search_time": float(job.time_limit), "num_search_workers": job.workers}
    if job.solver == "pyw-abs":
        scheduler = MinAbsDifference(**common)
    else:
        scheduler = MinRequiredResources(**common, cost_dict=costs)
    scheduler.solver.parameters.num_workers = job.workers
    scheduler.solver.parameters.random_seed = job.seed
    solution = scheduler.solve()
    runtime = time.perf_counter() - started
    counts = {(r["day"], int(r["shift"][1:])): int(r["resources"]) for r in solution["resources_shifts"]
              if r["resources"] > 0}
    paid = sum(n * shifts[s][1] * grid.interval_minutes / 60 for (_, s), n in counts.items())
    found = solution["status"] in ("OPTIMAL", "FEASIBLE")
    bound = scheduler.solver.best_objective_bound if found else None
    cost = float(solution["cost"]) if found else None
    return {"status": solution["status"], "objective": cost, "lower_bound": bound,
            "gap": 100 * (cost - bound) / cost if found and cost else None, "runtime": runtime,
            "agents": sum(counts.values()), "queues": 1, "intervals": grid.demand.size, "checker_ok": "-",
            "paid_hours": paid if found else None,
            "under_hours": _under_hours(grid.demand, grid.coverage(counts), grid.interval_minutes) if found else None,
            "note": "agents = shifts (pyworkforce has no persons)" + (
                "; objective = sum |coverage - demand| on its wrapped clock" if job.solver == "pyw-abs" else
                "; objective = paid hours on its wrapped clock")}


def run_child(job: Job) -> dict[str, Any]:
    """Run one job in a subprocess; add its peak memory (``ru_maxrss`` from ``os.wait4``)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "row.json"
        command = [sys.executable, str(Path(__file__).resolve()), "--child", job.solver, job.instance,
                   "--time-limit", str(job.time_limit), "--workers", str(job.workers), "--seed", str(job.seed),
                   "--instance-seed", str(job.instance_seed), "--out", str(out)]
        process = subprocess.Popen(command, cwd=HERE)
        deadline = time.monotonic() + KILL_AFTER_FACTOR * job.time_limit + 60
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                process.kill()
                _, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.2)
        process.returncode = os.waitstatus_to_exitcode(status)
        row = json.loads(out.read_text()) if out.exists() else {"status": f"ERROR (exit {process.returncode})"}
    row.update(instance=job.instance, solver=job.solver, peak_mb=usage.ru_maxrss / 1024)
    return row


def _cell(row: dict[str, Any], key: str, width: int, fmt: str) -> str:
    value = row.get(key)
    text = "-" if value is None else format(value, fmt)
    return text[:width].ljust(width) if fmt == "s" else text.rjust(width)


def table(rows: list[dict[str, Any]]) -> str:
    """The fixed-width table of all rows."""
    header = "  ".join(h.ljust(w) if f == "s" else h.rjust(w) for h, w, _, f in COLUMNS)
    lines = [header, "-" * len(header)]
    lines += ["  ".join(_cell(row, key, w, f) for _, w, key, f in COLUMNS) for row in rows]
    return "\n".join(lines)


def _load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _commit() -> str:
    """Short HEAD hash, and whether ``scheduler/`` differs from it in the working tree."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "../../scheduler"], cwd=HERE,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" + uncommitted changes in scheduler/" if dirty else "")


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run every job in a subprocess, print one table."""
    parser = argparse.ArgumentParser(description="Scheduler benchmarks (issue 5): one table.",
                                     epilog="Example: .venv/bin/python benchmarks/scheduler/bench_scheduler.py "
                                            "medium pyworkforce_a --time-limit 20 --workers 1")
    parser.add_argument("instances", nargs="*", metavar="instance",
                        help=f"any of {', '.join(NAMED + NAMED_GRID_NAMES + COVERING_NAMES)} (default: all)")
    parser.add_argument("--time-limit", type=float, default=None, help="seconds per solve (default: the bar's)")
    parser.add_argument("--workers", type=int, default=2, help="CP-SAT workers for both solvers (default 2)")
    parser.add_argument("--seed", type=int, default=0, help="solver seed (default 0)")
    parser.add_argument("--instance-seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--child", choices=["shiftplan", "pyworkforce", "pyw-abs", "witness"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    unknown = [i for i in args.instances if i not in NAMED + NAMED_GRID_NAMES + COVERING_NAMES]
    if unknown:
        parser.error(f"unknown instance(s) {', '.join(unknown)}; choose from "
                     f"{', '.join(NAMED + NAMED_GRID_NAMES + COVERING_NAMES)}")
    instances = args.instances or [*NAMED, *NAMED_GRID_NAMES, *COVERING_NAMES]
    if args.child:
        job = Job(instances[0], args.child, args.time_limit, args.workers, args.seed, args.instance_seed)
        row = run_shiftplan(job) if args.child in ("shiftplan", "witness") else run_pyworkforce(job)
        Path(args.out).write_text(json.dumps(row))
        return 0
    print(f"commit {_commit()}, workers {args.workers}, seed {args.seed}, instance seed {args.instance_seed}, "
          f"{os.cpu_count()} CPUs, {_load()} at start", flush=True)
    rows: list[dict[str, Any]] = []
    for instance in instances:
        limit = args.time_limit or DEFAULT_LIMITS[instance]
        solvers = (("pyworkforce", "pyw-abs", "shiftplan") if instance in COVERING_NAMES else
                   ("shiftplan",) if instance in NAMED_GRID_NAMES else ("witness", "shiftplan"))
        group = [run_child(Job(instance, s, limit, args.workers, args.seed, args.instance_seed)) for s in solvers]
        if len(group) == 3 and group[0].get("runtime") and group[2].get("runtime"):
            # shiftplan against MinRequiredResources, the same objective
            group[2]["time_ratio"] = group[2]["runtime"] / group[0]["runtime"]
            group[2]["mem_ratio"] = group[2]["peak_mb"] / group[0]["peak_mb"]
        rows += group
        print(f"  done {instance} ({_load()})", file=sys.stderr, flush=True)
    print(table(rows), flush=True)
    for row in rows:
        if row.get("note"):
            print(f"{row['instance']} / {row['solver']}: {row['note']}")
    print(f"{_load()} at end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
