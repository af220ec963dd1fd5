"""Benchmark: write the roster outputs of 300 agents x 4 weeks on a 15-minute grid with 24 queues.

The roster is synthetic (no solve): every agent works 5 shifts a week of 8.5 hours, each split
into 7 segments (work on two queues, two 15-minute breaks, a 30-minute lunch), 5% of agents
take a week of vacation; coverage has a row per queue and interval (24 x 2,688 = 64,512) with
required, scheduled and expected service; every under-staffed interval is a named penalty.
Prints one fixed-width table: best and median of ``--repeats`` runs per stage.

Run::

    .venv/bin/python benchmarks/outputs/bench_workbook.py --repeats 3 [--compare]

``--compare`` also times the workbook written with openpyxl's own cells for every row (the
path before :mod:`outputs.fast_rows`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

import outputs.workbook as workbook_module
from outputs.report import AGENT_COLUMNS, COVERAGE_COLUMNS, TEMPLATE_COLUMNS, RosterReport
from outputs.result_io import load_report, save_report
from outputs.roster_frame import COLUMNS
from outputs.workbook import write_workbook
from outputs.write import write_calendars, write_hr_csv

FIRST_DAY = dt.date(2026, 11, 30)
LANGUAGES = ("en", "zh", "ko", "es", "tr", "vi")
CHANNELS = ("phone", "chat", "email", "social")
SITES = (("Manila", "Asia/Manila", 8), ("Lisbon", "Europe/Lisbon", 0), ("Istanbul", "Europe/Istanbul", 3))
TEMPLATES = (("early", "E", 6), ("day", "D", 9), ("late", "L", 14), ("night", "N", 22))
# (minutes from shift start, length, activity, queue slot 0/1 or -1)
SHIFT = ((0, 120, "work", 0), (120, 15, "break", -1), (135, 105, "work", 0), (240, 30, "lunch", -1),
         (270, 120, "work", 1), (390, 15, "break", -1), (405, 105, "work", 1))


def synthetic_report(agents: int = 300, weeks: int = 4, interval_minutes: int = 15, seed: int = 0) -> RosterReport:
    """A roster report of the benchmark's size (see the module docstring)."""
    rng = np.random.default_rng(seed)
    queues = [f"{lang}/{ch}" for ch in CHANNELS for lang in LANGUAGES]
    days = [FIRST_DAY + dt.timedelta(days=d) for d in range(7 * weeks)]
    rows = []
    agent_rows = []
    for a in range(agents):
        site, zone, offset = SITES[a % len(SITES)]
        employee, name = f"E{1000 + a}", f"Agent {a:03d} Surname"
        template, _code, hour = TEMPLATES[a % len(TEMPLATES)]
        skills = rng.choice(len(queues), size=2, replace=False)
        vacation_week = int(rng.integers(weeks)) if a % 20 == 0 else -1
        shifts = 0
        for d, day in enumerate(days):
            week = d // 7
            if week == vacation_week or (d + a) % 7 in (5, 6):
                continue
            shifts += 1
            start_local = pd.Timestamp(dt.datetime.combine(day, dt.time(hour)))
            for minute, length, activity, slot in SHIFT:
                s = start_local + pd.Timedelta(minutes=minute)
                e = s + pd.Timedelta(minutes=length)
                rows.append((employee, name, site, zone, day, s, e, f"+{offset:02d}:00", s - pd.Timedelta(hours=offset),
                             e - pd.Timedelta(hours=offset), activity, queues[skills[slot]] if slot >= 0 else "",
                             template, length, 0 if activity == "lunch" else length))
        if vacation_week >= 0:
            s = pd.Timestamp(dt.datetime.combine(days[7 * vacation_week], dt.time(0)))
            e = s + pd.Timedelta(days=7)
            rows.append((employee, name, site, zone, days[7 * vacation_week], s, e, f"+{offset:02d}:00",
                         s - pd.Timedelta(hours=offset), e - pd.Timedelta(hours=offset), "time off", "", "vacation",
                         7 * 1440, 0))
        agent_rows.append((employee, name, site, zone, "FT40", shifts > 0, shifts, shifts * 480, 0,
                           shifts if template == "night" else 0))
    segments = pd.DataFrame(rows, columns=list(COLUMNS))
    starts = pd.date_range(pd.Timestamp(FIRST_DAY), periods=len(days) * 24 * 60 // interval_minutes,
                           freq=f"{interval_minutes}min")
    n = len(starts)
    required = rng.integers(0, 12, size=(len(queues), n))
    scheduled = np.clip(required + rng.integers(-2, 3, size=required.shape), 0, None)
    coverage = pd.DataFrame({
        "queue": np.repeat(queues, n), "kind": np.repeat([q.split("/")[1] for q in queues], n),
        "date": np.tile(starts.date, len(queues)), "start_local": np.tile(starts, len(queues)),
        "start_utc": np.tile(starts, len(queues)), "required": required.ravel(), "scheduled": scheduled.ravel()})
    coverage["under"] = (coverage["required"] - coverage["scheduled"]).clip(lower=0)
    coverage["over"] = (coverage["scheduled"] - coverage["required"]).clip(lower=0)
    coverage["contacts"] = rng.gamma(4, 5, size=len(coverage)).round(2)
    coverage["aht_seconds"] = 300.0
    coverage["productive"] = coverage["scheduled"]
    coverage["service_level"] = rng.uniform(0.5, 1.0, size=len(coverage))
    coverage["asa_seconds"] = rng.uniform(1, 60, size=len(coverage))
    coverage["abandon_rate"] = rng.uniform(0, 0.1, size=len(coverage))
    coverage = coverage[list(COVERAGE_COLUMNS)]
    under = coverage[coverage["under"] > 0]
    interval = np.tile(np.arange(n), len(queues))[coverage["under"].to_numpy() > 0]
    penalties = [["under_staffing", f"{q} interval {t}", int(u)]
                 for q, t, u in zip(under["queue"], interval, under["under"], strict=True)]
    facts = {"plan_name": "Benchmark desk", "first_day": FIRST_DAY.isoformat(), "weeks": weeks, "time_zone": "UTC",
             "interval_minutes": interval_minutes, "status": "FEASIBLE", "objective": 1.0e6, "lower_bound": 9.0e5,
             "lp_bound": 9.0e5, "solver_bound": 8.0e5, "gap": 0.1, "runtime_seconds": 60.0, "seed": 0, "workers": 2,
             "time_limit_seconds": 60.0, "num_agents": agents, "num_agents_used": agents,
             "terms": {"under_staffing": 1.0e6}, "penalties": penalties}
    templates = pd.DataFrame([(t, c, t == "night") for t, c, _ in TEMPLATES] + [("pinned", "P", False)],
                             columns=list(TEMPLATE_COLUMNS))
    return RosterReport(segments=segments, agents=pd.DataFrame(agent_rows, columns=list(AGENT_COLUMNS)),
                        coverage=coverage, templates=templates, facts=facts,
                        manifest={"shiftplan_version": "bench", "inputs": {}})


def _time(action: Callable[[], object], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=300)
    parser.add_argument("--weeks", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--compare", action="store_true", help="also time openpyxl cells for every row")
    args = parser.parse_args()
    start = time.perf_counter()
    report = synthetic_report(args.agents, args.weeks)
    print(f"synthetic roster: {args.agents} agents x {args.weeks} weeks, 15-minute grid, "
          f"{report.coverage['queue'].nunique()} queues: {len(report.segments):,} HR rows, "
          f"{len(report.coverage):,} coverage rows, {len(report.facts['penalties']):,} penalties "
          f"(made in {time.perf_counter() - start:.1f} s)")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        stages: list[tuple[str, Callable[[], object]]] = [
            ("workbook (.xlsx)", lambda: write_workbook(root / "roster.xlsx", report)),
            ("HR CSV", lambda: write_hr_csv(root / "roster.csv", report)),
            ("ICS, one per agent", lambda: write_calendars(root / "calendars", report)),
            ("result JSON, save", lambda: save_report(root / "roster.result.json", report)),
            ("result JSON, load", lambda: load_report(root / "roster.result.json")),
        ]
        if args.compare:
            def openpyxl_cells() -> None:
                """The same sheets with no deferred rows: every row goes through openpyxl's cells."""
                book = workbook_module.Workbook(write_only=True)
                sheets = {name: book.create_sheet(name) for name in workbook_module.SHEETS}
                workbook_module.write_hr_sheet(sheets["HR import"], report)
                workbook_module.write_grid_sheet(sheets["Grid"], report)
                workbook_module.write_coverage_sheet(sheets["Coverage"], report)
                workbook_module.write_chart_sheets(sheets["Charts"], sheets["Chart data"], report)
                workbook_module.write_summary_sheet(sheets["Summary"], report)
                workbook_module._table(sheets["Penalties"], workbook_module.penalties_frame(report))
                workbook_module.write_manifest_sheet(sheets["Manifest"], report)
                book.save(root / "openpyxl.xlsx")

            stages.insert(1, ("workbook, openpyxl cells only", openpyxl_cells))
        print(f"{'stage':<32}{'best s':>9}{'median s':>10}{'size MB':>9}")
        for label, action in stages:
            times = _time(action, args.repeats)
            target = {"workbook (.xlsx)": "roster.xlsx", "HR CSV": "roster.csv",
                      "result JSON, save": "roster.result.json",
                      "workbook, openpyxl cells only": "openpyxl.xlsx"}.get(label)
            size = f"{(root / target).stat().st_size / 1e6:.1f}" if target else "-"
            print(f"{label:<32}{min(times):>9.2f}{statistics.median(times):>10.2f}{size:>9}")
            if label.startswith("ICS"):
                import shutil

                shutil.rmtree(root / "calendars")


if __name__ == "__main__":
    main()
