"""Speed of the start roster's building blocks, side by side with another commit, on the same work.

Run::

    .venv/bin/python benchmarks/scheduler/bench_speed.py [--against REV] [--repeat N]

Each measurement runs in a fresh subprocess with the code of one tree first on ``sys.path`` (this checkout,
and with ``--against`` a temporary ``git worktree`` of ``REV``), on the seeded instances of ``generate.py``
(always this checkout's generator, so both trees get the same plans):

- ``cover values``: 60,000 exact per-interval cover values (:class:`scheduler.breaks.CoverValue`) of the
  300-agent plan for random agents-on-duty vectors, best of ``--repeat``; the sum of the values must agree;
- ``greedy``: :func:`scheduler.heuristic.greedy_roster` on the 80- and 300-agent plans; the rosters must agree;
- ``local search``: :func:`scheduler.local_search.improve_by_day_moves` on the 80-agent plan from the greedy's
  roster, ended by a fixed number of steps (day moves until a pass without a move, 600 ruin-and-recreate steps,
  the headcount rounds), not by a budget, so both trees do the same work; roster and objective must agree.

The ``same`` column says whether the two trees gave the same result (hash of the values or rosters): a speed-up
that changes a result is not the same work, and its ratio means nothing. Times are wall seconds on a shared
machine whose speed varies by up to 20% between minutes: the ratio of one run is the figure to read.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
MEASUREMENTS = ("cover", "greedy_medium", "greedy_large", "local_search_medium")
LABELS = {"cover": "cover values (60,000, large)", "greedy_medium": "greedy (medium)",
          "greedy_large": "greedy (large)", "local_search_medium": "local search, fixed steps (medium)"}
RUIN_STEPS = 600


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:12]


def _measure(name: str, repeat: int) -> dict[str, Any]:
    """One measurement in this process (the tree under test is first on ``sys.path``)."""
    import numpy as np
    from generate import named_instance

    if name == "cover":
        from scheduler.breaks import CoverValue

        problem, _ = named_instance("large")
        rng = np.random.default_rng(0)
        sizes = np.bincount([a.group for a in problem.agents], minlength=len(problem.groups))
        load = problem.demand.sum(axis=0) / max(problem.demand.sum(axis=0).max(), 1)
        intervals = rng.integers(0, problem.num_intervals, size=60_000).tolist()
        vectors = [tuple(rng.binomial(sizes, min(1.0, 0.5 * load[t] + 0.05)).tolist()) for t in intervals]
        best, total = float("inf"), 0
        for _ in range(repeat):
            cover = CoverValue(problem)
            started = time.perf_counter()
            total = sum(cover._compute(t, v) for t, v in zip(intervals, vectors, strict=True))
            best = min(best, time.perf_counter() - started)
        return {"seconds": best, "result": _digest(total), "detail": f"sum {total:,}"}
    from scheduler.heuristic import greedy_roster

    if name.startswith("greedy"):
        problem, _ = named_instance(name.split("_")[1])
        best, chosen = float("inf"), {}
        for _ in range(repeat):
            started = time.perf_counter()
            chosen = greedy_roster(problem)
            best = min(best, time.perf_counter() - started)
        return {"seconds": best, "result": _digest(sorted(chosen.items())), "detail": f"{len(chosen)} agents"}
    from scheduler.breaks import place_breaks
    from scheduler.checker import OBJECTIVE_UNIT, check_roster
    from scheduler.disaggregate import disaggregate
    from scheduler.heuristic import greedy_counts
    from scheduler.local_search import improve_by_day_moves

    problem, _ = named_instance("medium")
    chosen = greedy_roster(problem)
    offsets = place_breaks(problem, [(a, o) for a, picks in sorted(chosen.items()) for o in picks], passes=1)
    started = time.perf_counter()
    outcome = improve_by_day_moves(problem, chosen, offsets, time_budget_seconds=1e6, seed=0,
                                   max_ruin_steps=RUIN_STEPS, wall_seconds=1e6)
    seconds = time.perf_counter() - started
    roster = disaggregate(problem, outcome.chosen, *greedy_counts(problem, outcome.chosen, offsets=outcome.offsets))
    report = check_roster(problem, roster)
    objective = report.terms.total / OBJECTIVE_UNIT
    shifts = [sorted(outcome.chosen.items()), sorted((str(k), v) for k, v in outcome.offsets.items())]
    return {"seconds": seconds, "result": _digest(shifts), "detail": f"objective {objective:,.0f}, "
            f"{'checker ok' if report.feasible else 'CHECKER FAILS'}"}


def _run(tree: Path, name: str, repeat: int) -> dict[str, Any]:
    """Run one measurement in a subprocess with ``tree`` first on the path."""
    code = (f"import sys, json; sys.path[:0] = [{str(tree)!r}, {str(HERE)!r}]; "
            f"sys.argv = ['x']; import bench_speed; "
            f"print(json.dumps(bench_speed._measure({name!r}, {repeat})))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tree, check=False)
    if done.returncode != 0:
        return {"seconds": float("nan"), "result": "failed", "detail": done.stderr.strip().splitlines()[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _commit(tree: Path) -> str:
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=tree,
                          check=False).stdout.strip() or "?"


def main() -> int:
    """Print the table; return 0 (1 when a measurement failed)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", help="git revision to compare with (a temporary worktree)")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of the short measurements (best taken)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-speed-") as scratch:
        trees = {"this": ROOT}
        if args.against:
            other = Path(scratch) / "against"
            subprocess.run(["git", "worktree", "add", "--detach", str(other), args.against], cwd=ROOT, check=True,
                           capture_output=True)
            trees["against"] = other
        try:
            print(f"this: {_commit(ROOT)}" + (f", against: {args.against} ({_commit(trees['against'])})"
                                             if args.against else ""), flush=True)
            header = f"{'measurement':36s} {'this s':>8s} {'against s':>10s} {'ratio':>6s} {'same':>5s}  result"
            print(header)
            print("-" * len(header))
            failed = False
            for name in MEASUREMENTS:
                rows = {label: _run(tree, name, args.repeat) for label, tree in trees.items()}
                this = rows["this"]
                failed |= this["result"] == "failed"
                if "against" in rows:
                    other = rows["against"]
                    ratio = this["seconds"] / other["seconds"] if other["seconds"] else float("nan")
                    same = "yes" if this["result"] == other["result"] else "NO"
                    line = f"{other['seconds']:10.2f} {ratio:6.2f} {same:>5s}"
                else:
                    line = f"{'-':>10s} {'-':>6s} {'-':>5s}"
                print(f"{LABELS[name]:36s} {this['seconds']:8.2f} {line}  {this['detail']}", flush=True)
        finally:
            if args.against:
                subprocess.run(["git", "worktree", "remove", "--force", str(trees["against"])], cwd=ROOT,
                               check=False, capture_output=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
