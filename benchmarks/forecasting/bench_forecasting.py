"""Forecasting benchmarks (issue 4): real call data by rolling origin, and the 50-series speed bar.

Run from the repository root::

    .venv/bin/python benchmarks/forecasting/bench_forecasting.py [us_bank] [anonymous_bank] [speed] [--jobs N]

Protocol (real data)
--------------------
The series is put on an hourly local grid: closed hours are 0, days without any record are missing (NaN,
never scored). Eight weekly origins over the last eight weeks; at each origin the history before it is all
that is seen, and from it

* the **selection** runs exactly as ``shiftplan forecast`` does, with the plan schema's default
  ``[forecast]`` settings (its own inner backtest, default model with the paired-test guard, the bias
  guard, intervals calibrated on the chosen model's inner backtest errors: only data before the origin);
* **every model** in the registry is run the same way but forced (one candidate plus the fallback), so its
  intervals are calibrated on its own inner backtest errors;
* two **reference baselines** are computed here from the raw numbers, independently of the library:
  ``ref_naive_raw`` (the same hour one week back; an hour of a missing day takes the most recent earlier
  week that has it) and ``ref_median4_clean`` (median of the same weekday-hour over the last four weeks
  that contain no public holiday and no missing day, the issue's "best simple baseline"). They have no
  intervals.

Each forecasts the next 168 hours. Reported over all folds: WAPE, MASE (mean over folds of the MAE scaled by
the training series' in-sample one-week seasonal-naive MAE), bias ``sum(f - a) / sum(a)``, and the share of
actuals inside the 80% and 95% intervals over the open hours (``cov80``, ``cov95``; see :func:`open_hours`)
and over all hours (``cov80_all``, ``cov95_all``). The bar compares the selection with ``seasonal_naive``, the
library's seasonal naive: the same hour one week back, fitted on the cleaned history (missing days and
detected surges filled by the robust expected value), which is the stricter of the two naive baselines.

Speed
-----
50 hourly series of 104 weeks each, built from the hour-of-week profiles of the real series above (each
profile rescaled to a random level, a random weekly level drift, negative-binomial noise, closed on US public
holidays; seeded), full selection and a 4-week forecast through :func:`forecasting.pipeline.forecast_many` (what
``shiftplan forecast`` runs) in 2 worker processes. Wall time, CPU time of the workers and the load average
are printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from forecasting.events import holiday_mask, public_holidays  # noqa: E402
from forecasting.metrics import bias, coverage, mase, wape  # noqa: E402
from forecasting.models import FALLBACK  # noqa: E402
from forecasting.models.base import Forecast  # noqa: E402
from forecasting.pipeline import forecast_many, worker_pool  # noqa: E402
from forecasting.series_forecast import COLUMNS, SeriesTask, forecast_series  # noqa: E402
from forecasting.settings import ALL_MODELS, ForecastOptions  # noqa: E402
from inputs.config import ForecastSettings  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
OUTER_FOLDS = 8
HORIZON = 168
WEEK = 168
SELECTION = "selection"
REFERENCES = ("ref_naive_raw", "ref_median4_clean")


def product_options() -> ForecastOptions:
    """The options ``shiftplan forecast`` uses on a plan with a default ``[forecast]`` table."""
    return ForecastOptions.from_config(ForecastSettings())


def us_bank_series() -> pd.Series:
    """Hourly calls of the US bank on a full local calendar (weekends 0, absent weekdays NaN)."""
    raw = pd.read_csv(DATA / "us_bank_calls_5min" / "bank_calls_fpp3.csv")
    stamp = pd.to_datetime(raw["DateTime"].str.rstrip("Z"))
    hourly = raw.groupby(stamp.dt.floor("h"))["Calls"].sum().astype(float)
    start = hourly.index.min().normalize() - pd.Timedelta(days=hourly.index.min().day_of_week)
    end = hourly.index.max().normalize() + pd.Timedelta(days=7 - hourly.index.max().day_of_week, hours=-1)
    grid = pd.date_range(start, end, freq="h")
    series = hourly.reindex(grid).fillna(0.0)
    days_with_data = set(hourly.index.normalize())
    missing_day = (grid.day_of_week < 5) & ~grid.normalize().isin(list(days_with_data))
    series[missing_day] = np.nan
    return series


def anonymous_bank_series() -> dict[str, pd.Series]:
    """Hourly agent requests per service type, January-June 1999 (absent hours 0, absent days NaN).

    Service types with fewer than 1,000 requests in the half-year are left out.
    """
    raw = pd.read_csv(DATA / "anonymous_bank" / "hourly_by_type.csv")
    raw["start"] = pd.to_datetime(raw["date"]) + pd.to_timedelta(raw["hour"], unit="h")
    grid_start = raw["start"].min().normalize()
    grid_start -= pd.Timedelta(days=grid_start.day_of_week)
    grid_end = raw["start"].max().normalize() + pd.Timedelta(days=7 - raw["start"].max().day_of_week, hours=-1)
    grid = pd.date_range(grid_start, grid_end, freq="h")
    days = set(pd.to_datetime(raw["date"]))
    absent = ~grid.normalize().isin(list(days))
    out = {}
    for kind, part in raw.groupby("type"):
        series = part.set_index("start")["n_agent_requests"].astype(float).reindex(grid).fillna(0.0)
        series[absent] = np.nan
        if series.sum() > 1000:
            out[str(kind)] = series
    return out


def reference_forecasts(values: np.ndarray, index: pd.DatetimeIndex, origin: int,
                        holidays: frozenset[dt.date]) -> dict[str, np.ndarray]:
    """The two reference baselines at one origin (see the module docstring); plain numpy on raw values."""
    weeks = values[:origin - origin % WEEK].reshape(-1, WEEK) if origin % WEEK == 0 else None
    if weeks is None:
        raise ValueError("reference baselines need origins on week boundaries")
    naive = weeks[-1].copy()
    for older in weeks[-2::-1]:
        if not np.isnan(naive).any():
            break
        naive = np.where(np.isnan(naive), older, naive)
    holiday_hours = holiday_mask(index[:origin], holidays).reshape(-1, WEEK)
    clean = ~(np.isnan(weeks).any(axis=1) | holiday_hours.any(axis=1))
    median = np.median(weeks[clean][-4:], axis=0)
    return {"ref_naive_raw": np.nan_to_num(naive), "ref_median4_clean": median}


def _fold(job: tuple[str, pd.Series, frozenset, int]) -> dict[str, object]:
    """Every model, the selection and the references at one outer origin (one process task)."""
    label, series, holidays, origin = job
    values = series.to_numpy()
    future = series.index[origin:origin + HORIZON]
    options = product_options()

    def task(opts: ForecastOptions) -> SeriesTask:
        return SeriesTask(("x", label), series.index[:origin], values[:origin], np.full(origin, np.nan), future,
                          holidays, (), 300.0, opts)

    chosen = forecast_series(task(options))
    out: dict[str, Forecast] = {SELECTION: Forecast(*(chosen.frame[c].to_numpy() for c in COLUMNS))}
    for model in ALL_MODELS:
        forced_options = replace(options, models=(model,), default_model=model, switch_t=math.inf,
                                 max_bias=math.inf)
        forced = forecast_series(task(forced_options), keep_all=True)
        if model in forced.per_model:
            out[model] = forced.per_model[model]
    nan = np.full(HORIZON, np.nan)
    for name, mean in reference_forecasts(values, series.index, origin, holidays).items():
        out[name] = Forecast(mean, nan, nan, nan, nan)
    return {"label": label, "origin": origin, "forecasts": out, "chosen": chosen.selection.model,
            "switch_t": chosen.selection.switch_t, "bias_guarded": chosen.selection.bias_guarded}


def open_hours(values: np.ndarray, origin: int) -> np.ndarray:
    """Open hours of the week after ``origin``: the hour of week had volume in the four weeks before, or has now.

    Closed hours (nights, weekends of a weekday-only desk) are covered by any interval with a lower bound of
    0; counting them would inflate coverage (they are half the hours of the US bank), so coverage is
    reported over open hours, and over all hours for comparison.
    """
    past = values[origin - 4 * WEEK:origin].reshape(4, WEEK)
    seen = (np.nan_to_num(past) > 0).any(axis=0)
    actual = values[origin:origin + HORIZON]
    return np.resize(seen, HORIZON) | (np.nan_to_num(actual) > 0)


def _cover(actual: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> float:
    """Coverage, NaN for a forecast without intervals (the references)."""
    return float("nan") if np.isnan(lower).all() else coverage(actual, lower, upper)


def evaluate(named: dict[str, pd.Series], holidays: frozenset, jobs: int) -> dict[str, pd.DataFrame]:
    """Outer rolling-origin evaluation of every model, the selection and the references on each series."""
    work = []
    for label, series in named.items():
        n = len(series)
        work.extend((label, series, holidays, n - k * HORIZON) for k in range(OUTER_FOLDS, 0, -1))
    if jobs > 1:
        with worker_pool(jobs) as pool:
            done = list(pool.map(_fold, work))
    else:
        done = [_fold(job) for job in work]
    tables = {}
    for label, series in named.items():
        values = series.to_numpy()
        folds = sorted((d for d in done if d["label"] == label), key=lambda d: d["origin"])
        rows = []
        for name in [SELECTION, *ALL_MODELS, *REFERENCES]:
            parts = [(d["origin"], d["forecasts"][name]) for d in folds if name in d["forecasts"]]
            if len(parts) < len(folds):
                continue
            a = np.concatenate([values[o:o + HORIZON] for o, _ in parts])
            is_open = np.concatenate([open_hours(values, o) for o, _ in parts])
            open_actual = np.where(is_open, a, np.nan)
            cat = {c: np.concatenate([getattr(f, c) for _, f in parts]) for c in ("mean", "lo80", "hi80", "lo95",
                                                                                    "hi95")}
            scaled = [mase(values[o:o + HORIZON], f.mean, values[:o]) for o, f in parts]
            rows.append({"model": name, "wape": wape(a, cat["mean"]), "mase": float(np.nanmean(scaled)),
                         "bias": bias(a, cat["mean"]), "cov80": _cover(open_actual, cat["lo80"], cat["hi80"]),
                         "cov95": _cover(open_actual, cat["lo95"], cat["hi95"]),
                         "cov80_all": _cover(a, cat["lo80"], cat["hi80"]),
                         "cov95_all": _cover(a, cat["lo95"], cat["hi95"]),
                         "abs_error": float(np.nansum(np.abs(a - cat["mean"]))), "volume": float(np.nansum(a))})
        frame = pd.DataFrame(rows).set_index("model")
        frame.attrs["chosen"] = [d["chosen"] for d in folds]
        frame.attrs["switch_t"] = [round(float(d["switch_t"]), 2) for d in folds]
        frame.attrs["bias_guarded"] = [d["bias_guarded"] or "-" for d in folds]
        tables[label] = frame
    return tables


def fmt(frame: pd.DataFrame) -> str:
    """A fixed-width table (percentages for WAPE, bias and coverage)."""
    out = frame[["wape", "mase", "bias", "cov80", "cov95", "cov80_all", "cov95_all"]].copy()
    for c in ("wape", "bias", "cov80", "cov95", "cov80_all", "cov95_all"):
        out[c] = (100 * out[c]).map(lambda v: "    -" if np.isnan(v) else f"{v:6.2f}%")
    out["mase"] = out["mase"].map(lambda v: f"{v:.3f}")
    return out.to_string()


def verdict(frame: pd.DataFrame) -> list[str]:
    """The bar lines: selection against seasonal naive and the reference baselines, interval coverage."""
    sel, naive = frame.loc[SELECTION], frame.loc[FALLBACK]
    lines = [f"selection WAPE {100 * sel.wape:.2f}% vs seasonal_naive {100 * naive.wape:.2f}%: "
             f"{100 * (1 - sel.wape / naive.wape):.1f}% lower (bar >= 20%: "
             f"{'met' if sel.wape <= 0.8 * naive.wape else 'NOT met'})"]
    for ref in REFERENCES:
        if ref in frame.index:
            lines.append(f"selection vs {ref} {100 * frame.loc[ref].wape:.2f}%: "
                         f"{100 * (1 - sel.wape / frame.loc[ref].wape):.1f}% lower")
    ok80 = "met" if 0.75 <= sel.cov80 <= 0.85 else "NOT met"
    lines.append(f"open hours: 80% coverage {100 * sel.cov80:.2f}% (bar 75-85%: {ok80}); "
                 f"95% coverage {100 * sel.cov95:.2f}% (bar 91-98%: "
                 f"{'met' if 0.91 <= sel.cov95 <= 0.98 else 'NOT met'})")
    return lines


def report(tables: dict[str, pd.DataFrame], title: str, seconds: float) -> None:
    """Print each series' table, then (several series) the pooled and the mean-over-series tables."""
    print(f"## {title} ({seconds:.1f} s)")
    for label, frame in tables.items():
        print(f"### {label}")
        print(fmt(frame.sort_values("wape")))
        print("chosen per fold:", frame.attrs["chosen"])
        print("paired t of the best-ranked challenger per fold:", frame.attrs["switch_t"])
        print("replaced by the bias guard per fold:", frame.attrs["bias_guarded"])
        print("\n".join(verdict(frame)))
    if len(tables) > 1:
        both = pd.concat(tables.values())
        pooled = both.groupby(level=0)[["abs_error", "volume"]].sum()
        mean = both.groupby(level=0)[["wape", "mase", "bias", "cov80", "cov95", "cov80_all", "cov95_all"]].mean()
        mean["wape_pooled"] = pooled["abs_error"] / pooled["volume"]
        print(f"### all {len(tables)} series: mean over series (wape_pooled: total |error| / total volume)")
        shown = fmt(mean.sort_values("wape"))
        pooled_text = (100 * mean.sort_values("wape")["wape_pooled"]).map(lambda v: f"{v:6.2f}%")
        print(shown)
        print("pooled WAPE per model:", ", ".join(f"{k} {v.strip()}" for k, v in pooled_text.items()))
        ratio = mean.loc[SELECTION, "wape_pooled"] / mean.loc[FALLBACK, "wape_pooled"]
        print(f"pooled: selection {100 * (1 - ratio):.1f}% below seasonal_naive")
        print("\n".join(verdict(mean)))


def run_us_bank(jobs: int) -> None:
    """The US bank bar."""
    t0 = time.perf_counter()
    tables = evaluate({"us_bank": us_bank_series()}, public_holidays(["US"], [2003]), jobs)
    report(tables, "us_bank_calls_5min, hourly", time.perf_counter() - t0)


def run_anonymous_bank(jobs: int) -> None:
    """The anonymous bank, every service type with volume."""
    t0 = time.perf_counter()
    tables = evaluate(anonymous_bank_series(), public_holidays(["IL"], [1999]), jobs)
    report(tables, "anonymous_bank hourly_by_type.csv, n_agent_requests", time.perf_counter() - t0)


def speed_tasks(n_series: int = 50, weeks: int = 104, seed: int = 2026) -> list[SeriesTask]:
    """The speed bar's series (see the module docstring)."""
    profiles = []
    for series in [us_bank_series(), *anonymous_bank_series().values()]:
        how = series.index.day_of_week * 24 + series.index.hour
        shape = series.groupby(how).mean().reindex(range(WEEK)).fillna(0.0).to_numpy()
        profiles.append(shape / shape.mean())
    rng = np.random.default_rng(seed)
    index = pd.date_range("2024-01-01", periods=weeks * WEEK, freq="h")
    future = pd.date_range(index[-1] + pd.Timedelta(hours=1), periods=4 * WEEK, freq="h")
    holidays = public_holidays(["US"], [2024, 2025, 2026])
    closed = holiday_mask(index, holidays)
    how = np.asarray(index.day_of_week * 24 + index.hour)
    options = product_options()
    tasks = []
    for i in range(n_series):
        level = rng.uniform(2.0, 300.0)
        drift = rng.normal(1.0, 0.05, weeks).repeat(WEEK)
        mean = level * profiles[i % len(profiles)][how] * drift
        values = rng.negative_binomial(20, 20 / (20 + np.maximum(mean, 1e-9))).astype(float)
        values[closed] = 0.0
        aht = np.where(values > 0, rng.normal(300.0, 30.0, len(values)), np.nan)
        tasks.append(SeriesTask(("s", str(i)), index, values, aht, future, holidays, (), 300.0, options))
    return tasks


def run_speed(jobs: int, n_series: int = 50, weeks: int = 104) -> None:
    """Select and forecast 50 series × 2 years, 4 weeks ahead, in ``jobs`` processes."""
    tasks = speed_tasks(n_series, weeks)
    load_before = os.getloadavg()
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    results = forecast_many(tasks, jobs)
    elapsed = time.perf_counter() - t0
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    load_after = os.getloadavg()
    chosen = pd.Series([r.selection.model for r in results]).value_counts().to_dict()
    hours = sum(len(r.frame) for r in results)
    print(f"## speed: {n_series} series x {weeks} weeks, 4-week forecast ({hours} hours), {jobs} processes: "
          f"{elapsed:.1f} s wall (bar <= 120 s: {'met' if elapsed <= 120 else 'NOT met'}), "
          f"{cpu:.1f} s CPU in the workers ({cpu / n_series:.2f} s per series)")
    print(f"load average before {load_before[0]:.2f} / {load_before[1]:.2f} / {load_before[2]:.2f}, "
          f"after {load_after[0]:.2f} / {load_after[1]:.2f} / {load_after[2]:.2f} (1 / 5 / 15 min), "
          f"{os.cpu_count()} cores")
    print("chosen:", chosen)


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and run the chosen parts."""
    parser = argparse.ArgumentParser(description="Forecasting benchmarks (issue 4).")
    parser.add_argument("parts", nargs="*", help="us_bank, anonymous_bank, speed (default: all three)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    args = parser.parse_args(argv)
    known = ["us_bank", "anonymous_bank", "speed"]
    parts = args.parts or known
    if set(parts) - set(known):
        parser.error(f"unknown part(s) {', '.join(sorted(set(parts) - set(known)))}; choose from {', '.join(known)}")
    print("options:", product_options().as_dict())
    if "us_bank" in parts:
        run_us_bank(args.jobs)
    if "anonymous_bank" in parts:
        run_anonymous_bank(args.jobs)
    if "speed" in parts:
        run_speed(args.jobs)


if __name__ == "__main__":
    main()
