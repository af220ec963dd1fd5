"""The product's forecast of the weeks after a change of clock, scored against the history (before / after a change).

Run from the repository root of the commit to measure (default: the bundled example plan)::

    .venv/bin/python benchmarks/forecasting/bench_clock_change_weeks.py [PLAN] --first-days 2026-10-26 2026-11-02
        [--queues es/phone] [--jobs 2]

Protocol
--------
For each first day, the plan is loaded as ``shiftplan forecast --first-day DAY`` loads it and forecast with
:func:`forecasting.forecast_plan` (the history from the horizon's start on is left out, as the product does). The
first week of every queue's forecast is scored against the history's contacts of the same UTC hours (an hour before
the history's end that it lacks is 0; hours after it are not scored): WAPE ``sum |a - f| / sum a`` and bias
``sum (f - a) / sum a`` over all the weeks, per queue and over all queues.
For the ``--queues`` named, the WAPE of each week and the mean forecast and actual per UTC hour of day over the
weekdays, for each offset of the queue's opening clock to UTC (summer and winter time), are printed too, so a daily
shape forecast an hour off shows at the hours around opening and closing.
Running the script at two commits compares them (the script reads nothing but the plan and the code it is run with).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from forecasting import forecast_plan  # noqa: E402
from inputs.plan_loader import load_plan  # noqa: E402

EXAMPLE = ROOT / "inputs" / "example_plan"


def main(argv: list[str]) -> None:
    """Print WAPE and bias per queue over the weeks, and the named queues' weeks and hours of day."""
    parser = argparse.ArgumentParser()
    parser.add_argument("plan", nargs="?", default=str(EXAMPLE))
    parser.add_argument("--first-days", nargs="+", required=True)
    parser.add_argument("--queues", nargs="*", default=["es/phone"])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    frames, started = [], time.perf_counter()
    for day in args.first_days:
        plan = load_plan(Path(args.plan), first_day=dt.date.fromisoformat(day))
        history = plan.history.frame
        actual = history.assign(start=history["start"].dt.floor("h")).groupby(["start", "language", "channel"])[
            "contacts"].sum()
        frame = forecast_plan(plan, n_jobs=args.jobs).frame[["start", "language", "channel", "contacts"]]
        scored_until = min(plan.horizon.start_utc + pd.Timedelta(weeks=1),
                           history["start"].max() + pd.Timedelta(hours=1))
        frame = frame[frame["start"] < scored_until].reset_index(drop=True)
        keys = pd.MultiIndex.from_frame(frame[["start", "language", "channel"]])
        zones = {f"{q.language}/{q.channel}": q.opening_time_zone or plan.horizon.time_zone for q in plan.queues}
        queue = frame["language"] + "/" + frame["channel"]
        offset = [start.tz_convert(zones[name]).utcoffset() / pd.Timedelta(hours=1)
                  for start, name in zip(frame["start"], queue, strict=True)]
        frames.append(frame.assign(actual=actual.reindex(keys).fillna(0.0).to_numpy(), week=day, queue=queue,
                                   offset=offset))
    elapsed = time.perf_counter() - started
    scored = pd.concat(frames, ignore_index=True)
    scored["abs_error"] = (scored["contacts"] - scored["actual"]).abs()
    scored["error"] = scored["contacts"] - scored["actual"]
    print(f"{len(args.first_days)} weekly forecasts of {Path(args.plan).name} in {elapsed:.1f} s")
    total = scored.groupby("queue")[["abs_error", "error", "actual"]].sum()
    table = pd.DataFrame({"wape_%": 100 * total["abs_error"] / total["actual"],
                          "bias_%": 100 * total["error"] / total["actual"], "actual": total["actual"]}).round(2)
    print(table.to_string())
    print(f"all queues: WAPE {100 * total['abs_error'].sum() / total['actual'].sum():.2f}%")
    for queue in args.queues:
        part = scored[scored["queue"] == queue]
        weekly = part.groupby("week")[["abs_error", "actual"]].sum()
        print(f"{queue} per week, WAPE %: " + ", ".join(f"{w} {100 * r.abs_error / r.actual:.2f}"
                                                       for w, r in weekly.iterrows()))
        weekdays = part[part["start"].dt.day_of_week < 5]
        for offset, same in weekdays.groupby("offset"):
            hourly = same.groupby(same["start"].dt.hour)[["contacts", "actual"]].mean()
            hourly = hourly[(hourly["contacts"] > 0) | (hourly["actual"] > 0)]
            print(f"{queue} weekdays at UTC{offset:+g}, mean per UTC hour (forecast / actual): " + ", ".join(
                f"{h:02d} {r.contacts:.2f}/{r.actual:.2f}" for h, r in hourly.iterrows()))
        print(f"{queue}: {np.round(part['contacts'].sum(), 1)} forecast against {part['actual'].sum():g} actual")


if __name__ == "__main__":
    main(sys.argv[1:])
