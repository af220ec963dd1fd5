"""Would modelling a queue on its own opening clock, instead of the plan's, forecast it better?

Run from the repository root (default: the bundled example plan, every queue with an ``opening_time_zone``)::

    .venv/bin/python benchmarks/forecasting/bench_queue_clock.py [PLAN] [--weeks N] [--jobs N] [--queues es/phone ...]

Protocol
--------
``shiftplan forecast`` put every queue's history on the plan's local hourly grid, forecast it there and mapped the
forecast back to UTC hours, until it moved each queue to its opening clock (``bench_clock_change_weeks.py`` measures
the product before and after). A queue open 09:00-20:00 Europe/Madrid on a UTC plan opens an hour earlier in UTC in
summer, so the plan-clock hour-of-week profile blurs across the change of clock. This script forecasts the last
``N`` weeks of the history (outer origins one week apart, the last on ``--last-origin``, by default the Monday 00:00
UTC a week before the plan's horizon)
twice per queue, exactly as the product does but for the clock: the series on the plan's clock, and on the queue's
opening clock (``opening_time_zone``), each with the full selection, the events of the queue (no pooling: the same
in both arms) and no public holidays (the example's plan is on UTC: it has none). Both forecasts are mapped back to
the UTC hours of the week, the hours the queue is closed are set to 0, and they are scored against the actual UTC
hours: WAPE ``sum |a - f| / sum a`` and bias ``sum (f - a) / sum a`` per queue over all outer weeks, and per week for
the queues that change.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from forecasting.calendar import local_grid, local_labels  # noqa: E402
from forecasting.pipeline import _series_frames, _spans, closed_hours, forecast_many  # noqa: E402
from forecasting.series_forecast import SeriesTask  # noqa: E402
from forecasting.settings import ForecastOptions  # noqa: E402
from inputs.plan_loader import load_plan  # noqa: E402

EXAMPLE = ROOT / "inputs" / "example_plan"


def main(argv: list[str]) -> None:
    """Print WAPE and bias per queue and clock, then per outer week for the queues whose figures differ."""
    parser = argparse.ArgumentParser()
    parser.add_argument("plan", nargs="?", default=str(EXAMPLE))
    parser.add_argument("--weeks", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--queues", nargs="*", default=None)
    parser.add_argument("--last-origin", default=None, help="UTC date of the last outer origin (default: the week "
                        "before the horizon)")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    plan = load_plan(Path(args.plan))
    zone = plan.horizon.time_zone
    options = ForecastOptions.from_config(plan.config.forecast)
    history = plan.history.frame
    queues = [q for q in plan.queues if q.opening_time_zone and q.opening_time_zone != zone
              and (args.queues is None or q.name in args.queues)]
    actual = history.assign(hour=history["start"].dt.floor("h")).groupby(["language", "channel", "hour"])["contacts"]
    actual = actual.sum()
    last = (pd.Timestamp(args.last_origin, tz="UTC") if args.last_origin
            else plan.horizon.start_utc - pd.Timedelta(weeks=1))
    origins = [last - pd.Timedelta(weeks=k) for k in range(args.weeks - 1, -1, -1)]
    tasks, keys = [], []
    for origin in origins:
        before = history[history["start"] < origin]
        for clock in (zone, "queue"):
            for queue in queues:
                clock_zone = queue.opening_time_zone if clock == "queue" else zone
                contacts, aht = _series_frames(before[(before["language"] == queue.language)
                                                      & (before["channel"] == queue.channel)], clock_zone)[queue.key]
                future = local_grid(origin, origin + pd.Timedelta(weeks=1), clock_zone)
                key = (queue.language, f"{queue.channel} #{len(tasks)}")  # forecast_many orders results by key
                tasks.append(SeriesTask(key, contacts.index, contacts.to_numpy(), aht.to_numpy(), future, frozenset(),
                                        _spans(plan, *queue.key, clock_zone), float(queue.aht_seconds), options))
                keys.append((origin, clock, queue, clock_zone))
    started = time.perf_counter()
    results = forecast_many(tasks, args.jobs)
    elapsed = time.perf_counter() - started
    rows = []
    for (origin, clock, queue, clock_zone), result in zip(keys, results, strict=True):
        hours_utc = pd.date_range(origin, origin + pd.Timedelta(weeks=1), freq="h", inclusive="left")
        forecast = result.frame["contacts"].reindex(local_labels(hours_utc, clock_zone).floor("h")).to_numpy()
        forecast = np.where(closed_hours(queue, hours_utc, zone), 0.0, forecast)
        index = pd.MultiIndex.from_arrays([[queue.language] * len(hours_utc), [queue.channel] * len(hours_utc),
                                           hours_utc])
        observed = actual.reindex(index).fillna(0.0).to_numpy()
        rows.append({"queue": queue.name, "clock": "plan" if clock == zone else "queue", "origin": origin,
                     "model": result.selection.model, "abs_error": float(np.abs(observed - forecast).sum()),
                     "error": float((forecast - observed).sum()), "actual": float(observed.sum())})
    frame = pd.DataFrame(rows)
    print(f"{len(tasks)} forecasts in {elapsed:.1f} s ({args.jobs} processes); outer weeks from "
          f"{origins[0]:%Y-%m-%d} to {origins[-1]:%Y-%m-%d}; plan clock {zone}")
    total = frame.groupby(["queue", "clock"], sort=False)[["abs_error", "error", "actual"]].sum()
    table = pd.DataFrame({"wape_%": 100 * total["abs_error"] / total["actual"],
                          "bias_%": 100 * total["error"] / total["actual"]}).unstack("clock").round(2)
    print(table.to_string())
    pooled = frame.groupby("clock")[["abs_error", "actual"]].sum()
    print("all queues, WAPE %: " + ", ".join(f"{c} clock {100 * r.abs_error / r.actual:.2f}"
                                             for c, r in pooled.iterrows()))
    weekly = frame.assign(wape=100 * frame["abs_error"] / frame["actual"]).pivot_table(
        index=["queue", "origin"], columns="clock", values="wape").round(2)
    changed = weekly[(weekly["plan"] - weekly["queue"]).abs() > 0.005]
    if len(changed):
        print("per outer week where the clocks differ (WAPE %):")
        print(changed.to_string())


if __name__ == "__main__":
    main(sys.argv[1:])
