"""Forecasting benchmarks (issue 4): real call data by rolling origin, and the 50-series speed bar.

Run from the repository root::

    .venv/bin/python benchmarks/forecasting/bench_forecasting.py [us_bank] [anonymous_bank] [speed]

Protocol (real data): the series is put on an hourly local grid (closed hours are 0, days without data are
missing); eight weekly origins over the last eight weeks; at each origin every model and the per-series
selection are refitted on the history before it (the selection runs its own inner backtest there) and
forecast the next 168 hours. Reported over all folds: WAPE, MASE (scaled by the training series' one-week
seasonal naive), bias, and the share of actuals inside the 80% and 95% intervals.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from forecasting.events import public_holidays  # noqa: E402
from forecasting.metrics import bias, coverage, mase, wape  # noqa: E402
from forecasting.series_forecast import SeriesTask, forecast_series  # noqa: E402
from forecasting.settings import ForecastOptions  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
OUTER_FOLDS = 8
HORIZON = 168


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
    """Hourly agent requests per service type (absent hours 0, absent days NaN)."""
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
            out[kind] = series
    return out


def evaluate(series: pd.Series, holidays: frozenset, options: ForecastOptions, label: str) -> pd.DataFrame:
    """Outer rolling-origin evaluation of every model and of the selection on one series."""
    values = series.to_numpy()
    n = len(values)
    rows: dict[str, dict[str, list]] = {}
    chosen: list[str] = []
    for k in range(OUTER_FOLDS, 0, -1):
        origin = n - k * HORIZON
        task = SeriesTask(("x", label), series.index[:origin], values[:origin], np.full(origin, np.nan),
                          series.index[origin:origin + HORIZON], holidays, (), 300.0, options)
        result = forecast_series(task, keep_all=True)
        actual = values[origin:origin + HORIZON]
        chosen.append(result.selection.model)
        entries = dict(result.per_model)
        frame = result.frame
        from forecasting.models.base import Forecast
        entries["selection"] = Forecast(*(frame[c].to_numpy() for c in (
            "contacts", "contacts_lo80", "contacts_hi80", "contacts_lo95", "contacts_hi95")))
        for name, fc in entries.items():
            slot = rows.setdefault(name, {"a": [], "f": [], "lo80": [], "hi80": [], "lo95": [], "hi95": [],
                                          "mase_num": [], "scale": []})
            slot["a"].append(actual)
            slot["f"].append(fc.mean)
            for b in ("lo80", "hi80", "lo95", "hi95"):
                slot[b].append(getattr(fc, b))
            slot["scale"].append(mase(actual, fc.mean, values[:origin]))
    table = []
    for name, slot in rows.items():
        a, f = np.concatenate(slot["a"]), np.concatenate(slot["f"])
        table.append({"series": label, "model": name, "folds": len(slot["a"]), "wape": wape(a, f),
                      "mase": float(np.nanmean(slot["scale"])), "bias": bias(a, f),
                      "cov80": coverage(a, np.concatenate(slot["lo80"]), np.concatenate(slot["hi80"])),
                      "cov95": coverage(a, np.concatenate(slot["lo95"]), np.concatenate(slot["hi95"]))})
    frame = pd.DataFrame(table).sort_values("wape")
    frame.attrs["chosen"] = chosen
    return frame


def pooled(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Mean of the per-series figures per model (the report's 'all series' rows)."""
    both = pd.concat(frames)
    return both.groupby("model")[["wape", "mase", "bias", "cov80", "cov95"]].mean().sort_values("wape")


def fmt(frame: pd.DataFrame) -> str:
    """A fixed-width table."""
    out = frame.copy()
    for c in ("wape", "bias", "cov80", "cov95"):
        if c in out:
            out[c] = (100 * out[c]).map(lambda v: f"{v:6.2f}%")
    if "mase" in out:
        out["mase"] = out["mase"].map(lambda v: f"{v:.3f}")
    return out.to_string()


def run_us_bank(options: ForecastOptions) -> None:
    """The US bank bar."""
    series = us_bank_series()
    hol = public_holidays(["US"], [2003])
    t0 = time.perf_counter()
    frame = evaluate(series, hol, options, "us_bank")
    print(f"## us_bank_calls_5min hourly ({time.perf_counter() - t0:.1f} s)")
    print(fmt(frame.set_index("model").drop(columns=["series"])))
    print("chosen per fold:", frame.attrs["chosen"])


def run_anonymous_bank(options: ForecastOptions) -> None:
    """The anonymous bank, several service types."""
    hol = public_holidays(["IL"], [1999])
    frames = []
    t0 = time.perf_counter()
    for kind, series in anonymous_bank_series().items():
        frame = evaluate(series, hol, options, kind)
        frames.append(frame)
        print(f"### {kind}")
        print(fmt(frame.set_index("model").drop(columns=["series"])))
        print("chosen per fold:", frame.attrs["chosen"])
    print(f"## anonymous_bank, mean over series ({time.perf_counter() - t0:.1f} s)")
    print(fmt(pooled(frames)))


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    which = sys.argv[1:] or ["us_bank", "anonymous_bank", "speed"]
    opts = ForecastOptions()
    if "us_bank" in which:
        run_us_bank(opts)
    if "anonymous_bank" in which:
        run_anonymous_bank(opts)


def run_speed(n_series: int = 50, weeks: int = 104, n_jobs: int = 2) -> None:
    """50 hourly series of two years from the US bank profile with seeded noise; select and forecast 4 weeks."""
    from concurrent.futures import ProcessPoolExecutor

    base = us_bank_series()
    profile = base.groupby(base.index.day_of_week * 24 + base.index.hour).mean().reindex(range(168)).fillna(0.0)
    rng = np.random.default_rng(2026)
    index = pd.date_range("2024-01-01", periods=weeks * 168, freq="h")
    future = pd.date_range(index[-1] + pd.Timedelta(hours=1), periods=4 * 168, freq="h")
    how = np.asarray(index.day_of_week * 24 + index.hour)
    tasks = []
    for i in range(n_series):
        level = rng.uniform(0.05, 1.5)
        weekly = rng.normal(1.0, 0.05, weeks).repeat(168)
        mean = level * profile.to_numpy()[how] * weekly
        values = rng.negative_binomial(20, 20 / (20 + np.maximum(mean, 1e-9))).astype(float)
        tasks.append(SeriesTask(("s", str(i)), index, values, np.full(len(index), 300.0), future,
                                frozenset(), (), 300.0, ForecastOptions(backtest_horizon_hours=168)))
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=n_jobs) as pool:
        results = list(pool.map(forecast_series, tasks))
    elapsed = time.perf_counter() - t0
    chosen = pd.Series([r.selection.model for r in results]).value_counts().to_dict()
    print(f"## speed: {n_series} series x {weeks} weeks, 4-week forecast, n_jobs={n_jobs}: {elapsed:.1f} s")
    print("chosen:", chosen)


if __name__ == "__main__" and "speed" in (sys.argv[1:] or ["speed"]):
    run_speed()
