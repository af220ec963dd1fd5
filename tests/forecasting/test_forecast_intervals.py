"""Tests of interval calibration: the error-scale power, closed hours, the conformal quantile, coverage on
held-out weeks, calibration on pre-origin data only, and the guards of the selection."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from forecasting.backtest import BacktestResult, SeriesContext, rolling_origin
from forecasting.events import design_for
from forecasting.intervals import conformal_quantile, error_scale, intervals_from_errors
from forecasting.metrics import coverage
from forecasting.models import make_model
from forecasting.selection import bias_guard, paired_t, select
from forecasting.series_forecast import SeriesTask, forecast_series
from forecasting.settings import ForecastOptions


@pytest.mark.parametrize(("power", "expected"), [(1.0, 1.0), (0.5, 0.5), (0.0, 0.0)])
def test_error_scale_recovers_the_power(power: float, expected: float) -> None:
    """Tests that errors of spread level**power (seeded) give back that power within 0.1."""
    rng = np.random.default_rng(3)
    level = rng.uniform(50, 5000, 4000)
    errors = rng.normal(0, 1, len(level)) * level ** power
    _, p = error_scale(errors, level)
    assert p == pytest.approx(expected, abs=0.1)


def test_closed_hours_do_not_shrink_intervals() -> None:
    """Tests that adding many closed hours (actual 0, forecast 0) leaves the intervals of open hours unchanged."""
    rng = np.random.default_rng(5)
    reference = rng.uniform(100, 200, 500)
    errors = rng.normal(0, 10, 500)
    mean = np.array([150.0])
    open_only = intervals_from_errors(mean, errors, reference)
    with_closed = intervals_from_errors(mean, np.concatenate([errors, np.zeros(700)]),
                                        np.concatenate([reference, np.zeros(700)]))
    for key in ("lo80", "hi80", "lo95", "hi95"):
        assert with_closed[key] == pytest.approx(open_only[key])
    assert open_only["hi80"][0] - open_only["lo80"][0] == pytest.approx(2 * 1.2816 * 10, rel=0.15)


def test_paired_t_exact() -> None:
    """Tests the paired t on three 24-hour blocks where the challenger saves 1, 2 and 3 contacts per block.

    Block gains 1, 2, 3: mean 2, sample sd 1, t = 2 / (1 / sqrt 3) = 3.4641.
    """
    actual = np.full(72, 10.0)
    default = actual + np.repeat([1.0, 2.0, 3.0], 24) / 24
    assert paired_t(actual, actual, default) == pytest.approx(2 * math.sqrt(3))
    assert paired_t(actual[:48], actual[:48], default[:48]) == 0.0  # fewer than three blocks


def backtest(forecasts: dict[str, np.ndarray], actual: np.ndarray) -> BacktestResult:
    return BacktestResult(actual, forecasts, {}, [0])


def test_default_kept_unless_significantly_beaten() -> None:
    """Tests that a challenger with a lower WAPE by noise keeps the default, and one better every day wins."""
    rng = np.random.default_rng(11)
    actual = 100 + rng.normal(0, 10, 21 * 24)
    default = actual + rng.normal(0, 10, len(actual))
    noisy = actual + rng.normal(0, 9.8, len(actual))  # a little better overall, not reliably
    close = select(backtest({"combo": default, "other": noisy}, actual), default="combo")
    assert close.scores["other"][0] < close.scores["combo"][0]
    assert (close.model, close.runner_up) == ("combo", "other")
    assert close.switch_t < 1.645
    better = actual + rng.normal(0, 3, len(actual))
    clear = select(backtest({"combo": default, "other": better}, actual), default="combo")
    assert (clear.model, clear.runner_up) == ("other", "combo")
    assert clear.switch_t > 1.645
    assert select(backtest({"combo": default, "other": noisy}, actual)).model == "other"  # no default: argmin


def test_conformal_quantile_takes_the_finite_sample_rank() -> None:
    """Tests the rank ceil((n + 1) * level) of n: 8th of 1..9 at 80%, the largest when the rank exceeds n."""
    scores = np.arange(9.0, 0.0, -1.0)  # unsorted on purpose
    assert conformal_quantile(scores, 0.8) == 8.0  # ceil(10 * 0.8) = 8
    assert conformal_quantile(scores, 0.95) == 9.0  # ceil(9.5) = 10 > 9: the largest
    assert conformal_quantile(np.arange(1.0, 101.0), 0.8) == 81.0  # ceil(101 * 0.8) = 81
    assert conformal_quantile(np.array([np.nan, 2.0, 1.0]), 0.5) == 2.0  # NaN ignored: ceil(1.5) = 2 of 2
    assert conformal_quantile(np.array([]), 0.8) == 0.0


def test_intervals_cover_held_out_errors_of_known_noise() -> None:
    """Tests that intervals calibrated on 26 weeks of seeded Poisson-like errors (spread sqrt(level), skewed
    by a gamma term) cover 80% and 95% of 20 held-out weeks within 2.5 and 1.5 points (seeds 21-26 give
    79.5-81.7% and 94.4-96.0%)."""
    rng = np.random.default_rng(21)

    def draw(hours: int) -> tuple[np.ndarray, np.ndarray]:
        level = rng.uniform(5.0, 400.0, hours)
        noise = rng.normal(0.0, 1.0, hours) + rng.gamma(2.0, 0.5, hours) - 1.0
        return level, level + noise * np.sqrt(level)

    reference, actual = draw(26 * 168)
    mean, held_out = draw(20 * 168)
    bounds = intervals_from_errors(mean, actual - reference, reference)
    assert coverage(held_out, bounds["lo80"], bounds["hi80"]) == pytest.approx(0.80, abs=0.025)
    assert coverage(held_out, bounds["lo95"], bounds["hi95"]) == pytest.approx(0.95, abs=0.015)
    np.testing.assert_allclose(bounds["hi80"] - mean, mean - bounds["lo80"])  # symmetric around the mean


def poisson_weeks(weeks: int, seed: int) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """Hourly Poisson counts around a known daily and weekly profile (weekday peak 120, weekend 40% of it)."""
    index = pd.date_range("2026-01-05", periods=weeks * 168, freq="h")
    hours = np.asarray(index.hour)
    daily = np.clip(np.sin(np.pi * (hours - 7) / 12), 0.05, None)
    weekly = np.where(np.asarray(index.day_of_week) >= 5, 0.4, 1.0)
    return index, np.random.default_rng(seed).poisson(120.0 * daily * weekly).astype(float)


def test_forecast_intervals_cover_held_out_weeks() -> None:
    """Tests that on a seeded Poisson series with known daily and weekly components the calibrated 80% and 95%
    intervals of the forecast (history up to each of three origins) cover the two weeks after each origin
    within 6 and 4 points of 80% and 95% (the standard error of 80% over 1,008 hours is about 1.3 points)."""
    index, values = poisson_weeks(24, seed=4)
    options = ForecastOptions(models=("seasonal_naive", "profile_ewm"), default_model="", backtest_folds=3)
    inside80, inside95 = [], []
    for origin_week in (18, 20, 22):
        origin = origin_week * 168
        future = index[origin:origin + 336]
        task = SeriesTask(("en", "phone"), index[:origin], values[:origin], np.full(origin, 300.0), future,
                          options=options)
        frame = forecast_series(task).frame
        actual = values[origin:origin + 336]
        inside80.append((actual >= frame["contacts_lo80"]) & (actual <= frame["contacts_hi80"]))
        inside95.append((actual >= frame["contacts_lo95"]) & (actual <= frame["contacts_hi95"]))
    assert np.mean(inside80) == pytest.approx(0.80, abs=0.06)
    assert np.mean(inside95) == pytest.approx(0.95, abs=0.04)


def test_backtest_folds_use_only_data_before_their_origin() -> None:
    """Tests that a fold's forecast, from which its calibration errors come, does not change when every value
    from its origin on is replaced, while the later folds do change."""
    index, values = poisson_weeks(12, seed=8)
    ctx = SeriesContext(design_for(index, frozenset(), (), ()), np.zeros(len(index), dtype=bool), frozenset(), ())
    factories = [(name, (lambda name=name: make_model(name))) for name in ("seasonal_naive", "profile_median")]
    before = rolling_origin(values, ctx, factories, folds=6, horizon=168)
    third = before.origins[2]
    changed = values.copy()
    changed[third:] = values[third:] * 3.0 + 50.0
    after = rolling_origin(changed, ctx, factories, folds=6, horizon=168)
    assert after.origins == before.origins
    for name in ("seasonal_naive", "profile_median"):
        np.testing.assert_array_equal(after.forecasts[name][:3 * 168], before.forecasts[name][:3 * 168])
        assert not np.allclose(after.forecasts[name][3 * 168:], before.forecasts[name][3 * 168:])


def test_bias_guard_replaces_a_biased_choice_within_the_wape_tolerance() -> None:
    """Tests the guard on made-up scores: it acts only beyond max_bias, and only for a model within the
    WAPE tolerance, picking the least-biased one."""
    scores = {"median": (0.88, -0.24), "mean": (0.92, -0.02), "naive": (1.12, 0.0), "ewm": (0.95, -0.05)}
    assert bias_guard(scores, "median", 0.10, 0.10) == "mean"  # 0.92 <= 0.968; naive is out of tolerance
    assert bias_guard(scores, "median", 0.10, 0.03) == "median"  # nothing less biased within 3%
    assert bias_guard(scores, "median", 0.30, 0.10) == "median"  # bias within the limit
    assert bias_guard(scores, "median", math.inf, 1.0) == "median"  # guard off
    assert bias_guard(scores, "median", 0.10, 0.50) == "naive"  # naive within 50%: least biased


def test_select_applies_the_bias_guard_after_the_default_rule() -> None:
    """Tests that the default model with a -25% backtest bias is replaced by an unbiased model with a slightly
    higher WAPE, that the replaced model is recorded, and that without the guard the default is kept."""
    rng = np.random.default_rng(2)
    actual = rng.poisson(1.5, 21 * 24).astype(float)
    low = np.full(len(actual), 1.0)  # median-like: lower WAPE on counts near 1, biased low
    unbiased = np.full(len(actual), actual.mean())
    result = backtest({"combo": low, "mean": unbiased}, actual)
    assert result.score("combo")[0] < result.score("mean")[0] < 1.1 * result.score("combo")[0]
    assert result.score("combo")[1] < -0.2
    guarded = select(result, default="combo", max_bias=0.10, bias_wape_tolerance=0.10)
    assert (guarded.model, guarded.bias_guarded, guarded.runner_up) == ("mean", "combo", "combo")
    assert abs(guarded.bias) < 1e-9
    plain = select(result, default="combo")
    assert (plain.model, plain.bias_guarded) == ("combo", "")
