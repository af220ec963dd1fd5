"""Re-plans of the bundled example side by side: what they keep of the published roster, and at what cost.

Run::

    .venv/bin/python benchmarks/scheduler/bench_replan.py [--time-limit S] [--workers N]

Writes the bundled example to a temporary folder, solves it once (the published roster), then re-plans it from
Thursday (``shiftplan solve --keep-before 2026-12-03``) in two scenarios, each in two variants, every run a fresh
``shiftplan solve`` process with the same seed:

* scenarios: ``unchanged`` (nothing in the plan changed) and ``sick call`` (agent E1024, who works Thursday to Sunday
  in the published roster, is off sick those four days);
* variants: ``shiftplan`` (the shipped re-plan: each changed agent-day costs ``[objective] roster_changes`` = 10, and
  the search starts from the published roster with its breaks, read from the result file beside the shifts file)
  and ``hints only`` (``roster_changes = 0`` and the shifts file copied away from its result file: the later shifts
  are only where the search starts, with breaks placed afresh, as before the change cost).

Columns: the later rows (Thursday on) that stay as published, the changed agent-days the run reports, the objective,
the objective without the change cost (the roster's own), that against the published roster's (a re-plan with
nothing changed should not be worse), the gap and the solve's runtime.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KEEP_BEFORE = "2026-12-03"
FIRST_DAY = "2026-11-30"
SICK = "E1024,2026-12-03,2026-12-06,sick,called in\n"


def _solve(plan: Path, out: Path, time_limit: float, workers: int, *extra: str) -> dict:
    """Run ``shiftplan solve`` in its own process; the result file's facts and the shifts file's later rows."""
    command = [sys.executable, "-m", "shiftplan", "solve", str(plan), "--time-limit", str(time_limit), "--workers",
               str(workers), "-o", str(out), "--quiet", *extra]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    facts = json.loads(out.with_suffix(".result.json").read_text(encoding="utf-8"))["facts"]
    with out.with_suffix(".shifts.csv").open(encoding="utf-8") as file:
        rows = {(r["employee_id"], r["date"], r["start"], r["end"]) for r in csv.DictReader(file)}
    return {"facts": facts, "rows": rows, "wall": time.perf_counter() - started}


def _set_change_cost(plan: Path, weight: float) -> None:
    toml = plan / "shiftplan.toml"
    lines = [f"roster_changes = {weight:g}" if line.startswith("roster_changes") else line
             for line in toml.read_text(encoding="utf-8").splitlines()]
    toml.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=55.0, help="each solve's limit (the example's 55 s)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    from shiftplan.example import write_example

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        example = root / "example"
        write_example(example)
        published = _solve(example, root / "published.xlsx", args.time_limit, args.workers)
        shifts = root / "published.shifts.csv"
        alone = root / "alone"
        alone.mkdir()
        shutil.copy(shifts, alone / "published.shifts.csv")  # no result file beside it: no published breaks
        later = {row for row in published["rows"] if row[1] >= KEEP_BEFORE}
        reference = published["facts"]["objective"]
        print(f"published roster: objective {reference:,.1f}, gap {published['facts']['gap']:.2%}, "
              f"{published['facts']['runtime_seconds']:.1f} s; {len(later):,} rows from {KEEP_BEFORE} on")
        header = (f"{'scenario':<11}{'variant':<12}{'later rows kept':>16}{'changes':>9}{'objective':>15}"
                  f"{'w/o changes':>15}{'vs published':>14}{'gap %':>8}{'runtime s':>11}")
        print(header)
        print("-" * len(header))
        for scenario in ("unchanged", "sick call"):
            for variant in ("shiftplan", "hints only"):
                plan = root / f"{scenario}-{variant}".replace(" ", "_")
                shutil.copytree(example, plan, ignore=shutil.ignore_patterns("outputs"))
                if scenario == "sick call":
                    with (plan / "time_off.csv").open("a", encoding="utf-8") as file:
                        file.write(SICK)
                keep_from = shifts
                if variant == "hints only":
                    _set_change_cost(plan, 0)
                    keep_from = alone / "published.shifts.csv"
                run = _solve(plan, root / f"{plan.name}.xlsx", args.time_limit, args.workers,
                             "--keep-before", KEEP_BEFORE, "--keep-from", str(keep_from))
                facts = run["facts"]
                kept = len(later & run["rows"])
                changes = len(facts.get("changes") or [])
                own = facts["objective"] - facts["terms"].get("roster_changes", 0.0)
                print(f"{scenario:<11}{variant:<12}{kept:>10,} / {len(later):,}{changes:>9,}"
                      f"{facts['objective']:>15,.1f}{own:>15,.1f}{own / reference:>14.5f}{100 * facts['gap']:>8.2f}"
                      f"{facts['runtime_seconds']:>11.1f}")


if __name__ == "__main__":
    main()
