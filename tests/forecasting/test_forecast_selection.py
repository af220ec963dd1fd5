"""Tests of the orchestration (backtest, selection, fallback) with toy models of known output."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from forecasting import models
from forecasting.calendar import Design
from forecasting.models.base import Forecast, Model
from forecasting.series_forecast import SeriesTask, forecast_series
from forecasting.settings import ForecastOptions


class Constant(Model):
    """Forecasts a constant (intervals ±1)."""

    name = "constant"

    def __init__(self, value: float) -> None:
        self.value = value

    def fit(self, y: np.ndarray, design: Design) -> Constant:
        return self

    def predict(self, design: Design) -> Forecast:
        mean = np.full(len(design), self.value)
        return Forecast(mean, mean - 1, mean + 1, mean - 2, mean + 2)


class Broken(Model):
    """Always fails."""

    name = "broken"

    def fit(self, y: np.ndarray, design: Design) -> Broken:
        raise RuntimeError("boom")

    def predict(self, design: Design) -> Forecast:  # pragma: no cover - never reached
        raise AssertionError


@pytest.fixture
def toys(monkeypatch: pytest.MonkeyPatch) -> None:
    registry = dict(models.MODELS)
    registry.update({"ten": lambda: Constant(10.0), "twelve": lambda: Constant(12.0), "zero": lambda: Constant(0.0),
                     "broken": Broken})
    monkeypatch.setattr(models, "MODELS", registry)


def task(values: np.ndarray, names: tuple[str, ...], **kw: object) -> SeriesTask:
    index = pd.date_range("2026-01-05", periods=len(values), freq="h")
    future = pd.date_range(index[-1] + pd.Timedelta(hours=1), periods=168, freq="h")
    return SeriesTask(("en", "chat"), index, values, np.full(len(values), 300.0), future,
                      options=ForecastOptions(models=names, backtest_folds=3, **kw))


def test_selection_picks_the_exact_model(toys: None) -> None:
    """Tests that the toy model forecasting 10 wins on a series of 10s with drifting spikes, scored exactly."""
    values = np.full(6 * 168, 10.0)
    values[::169] = 40.0  # one spike a week, one hour later each week: seasonal naive misses twice
    result = forecast_series(task(values, ("ten", "twelve")))
    sel = result.selection
    actual = values[-3 * 168:]  # three folds of one week end at the end of the history
    assert (sel.model, sel.runner_up) == ("ten", "seasonal_naive")
    assert sel.wape == pytest.approx(np.abs(actual - 10).sum() / actual.sum())
    assert sel.bias == pytest.approx((10 - actual).sum() / actual.sum())
    assert sel.scores["twelve"][0] == pytest.approx(np.abs(actual - 12).sum() / actual.sum())
    assert sel.scores["seasonal_naive"][0] > sel.wape
    assert result.frame["contacts"].tolist() == [10.0] * 168


def test_failing_model_is_left_out(toys: None) -> None:
    """Tests that a model failing in the backtest is left out with its reason and the run goes on."""
    result = forecast_series(task(np.full(6 * 168, 10.0), ("broken", "twelve")))
    assert result.selection.model == "seasonal_naive"
    assert result.excluded == {"broken": "RuntimeError: boom"}


@pytest.mark.parametrize(("values", "reason"), [
    (np.full(2 * 168, 10.0), "history too short (2.0 weeks < min_history_weeks 4)"),  # too short
    (np.zeros(6 * 168), "history is all zeros"),  # all zeros
])
def test_fallback_to_seasonal_naive(toys: None, values: np.ndarray, reason: str) -> None:
    """Tests that a short or all-zero series falls back to seasonal naive with its reason and a warning note."""
    result = forecast_series(task(values, ("ten",)))
    assert result.selection.model == "seasonal_naive"
    assert result.selection.fallback_reason == reason
    assert math.isnan(result.selection.wape)
    assert result.warnings == [f"en/chat: {reason}; falling back to seasonal naive"]
    np.testing.assert_allclose(result.frame["contacts"].to_numpy(), values[-168:])


def one_a_week_moving() -> np.ndarray:
    """Six weeks with one contact a week, at hour of week 10 in the first, 11 in the second, ... 15 in the sixth."""
    values = np.zeros(6 * 168)
    values[[k * 168 + 10 + k for k in range(6)]] = 1.0
    return values


def two_then_none() -> np.ndarray:
    """Two weeks: contacts at hours of week 10 and 20 in the first, none in the second."""
    values = np.zeros(2 * 168)
    values[[10, 20]] = 1.0
    return values


@pytest.mark.parametrize(("values", "names", "reason", "expected"), [
    # 'zero' wins the backtest (WAPE 100% against seasonal naive's 200%: each week it forecasts last week's hour)
    (one_a_week_moving(), ("zero",), "zero forecast no contacts at all although the history has 6",
     {hour: 1 / 6 for hour in range(10, 16)}),
    # too short: seasonal naive repeats the empty last week
    (two_then_none(), ("ten",), "history too short (2.0 weeks < min_history_weeks 4); seasonal_naive forecast no "
     "contacts at all although the history has 2", {10: 0.5, 20: 0.5}),
], ids=["chosen-model-forecasts-nothing", "fallback-forecasts-nothing"])
def test_sparse_history_is_never_forecast_at_zero_everywhere(toys: None, values: np.ndarray, names: tuple[str, ...],
                                                             reason: str, expected: dict[int, float]) -> None:
    """Tests that a series with contacts whose chosen (or fallback) model forecasts none at all gets the history's
    mean per hour of week instead, with the reason and a warning: 1 contact in 6 weeks at each of the hours of week
    10 to 15 is 1/6 there; 1 contact in 2 weeks at hours 10 and 20 is 0.5 there; 0 at every other hour."""
    result = forecast_series(task(values, names))
    assert (result.selection.model, result.selection.fallback_reason) == ("history_mean", reason)
    assert result.warnings[-1] == f"en/chat: {reason}; falling back to the history's mean per hour of week"
    want = np.zeros(168)
    want[list(expected)] = list(expected.values())
    np.testing.assert_allclose(result.frame["contacts"].to_numpy(), want, atol=1e-12)


def test_worker_processes_give_the_same_forecasts() -> None:
    """Tests that eight series forecast in two spawned workers equal the in-process forecasts, in task order,
    and that the BLAS thread settings of the workers do not leak into this process."""
    import os

    from forecasting.pipeline import WORKER_ENV, forecast_many
    from tests.forecasting.forecast_helpers import FAST, synthetic

    before = {key: os.environ.get(key) for key in WORKER_ENV}
    tasks = []
    for seed in range(8):
        index, y, _ = synthetic(weeks=6, seed=seed)
        future = pd.date_range(index[-1] + pd.Timedelta(hours=1), periods=24, freq="h")
        tasks.append(SeriesTask(("en", f"q{seed}"), index, y, np.full(len(y), 300.0), future, options=FAST))
    parallel = forecast_many(tasks, n_jobs=2)
    serial = forecast_many(tasks, n_jobs=1)
    assert [r.key for r in parallel] == [t.key for t in tasks]
    for a, b in zip(parallel, serial, strict=True):
        pd.testing.assert_frame_equal(a.frame, b.frame)
    assert {key: os.environ.get(key) for key in WORKER_ENV} == before


def test_single_blas_thread_limits_and_restores() -> None:
    """Tests that every loaded OpenBLAS runs one thread inside the block and its old count after it."""
    from forecasting.threads import _loaded_openblas, single_blas_thread

    before = [get() for _, get in _loaded_openblas()]
    with single_blas_thread() as limited:
        inside = [get() for _, get in _loaded_openblas()]
    assert limited == len(before)
    assert inside == [1] * len(before)
    assert [get() for _, get in _loaded_openblas()] == before


def three_days(*per_day: float) -> np.ndarray:
    """A forecast of three 24-hour blocks, one value per block (one value: all three)."""
    values = per_day if len(per_day) == 3 else per_day * 3
    return np.repeat(np.asarray(values, dtype=float), 24)


#: Three days of 10 contacts an hour: 720 in all, so an error of 1 an hour is a WAPE of 10%.
TEN = np.full(72, 10.0)


@pytest.mark.parametrize(("forecasts", "default", "max_bias", "chosen", "reason"), [
    # combo's errors 24 a day; other's 12, 12 and 42: WAPE 9.2% < 10%, but the daily gains 12, 12, -18 (mean 2,
    # sd 17.32) give t = 2 / (17.32 / sqrt 3) = 0.20
    ({"combo": three_days(11.0), "other": three_days(10.5, 10.5, 11.75)}, "combo", math.inf, "combo",
     "the default, kept unless a candidate's daily absolute errors are lower by a paired t >= 1.645 (other's t: 0.20)"),
    # daily gains 1, 2, 3: t = 2 / (1 / sqrt 3) = 3.46
    ({"combo": TEN + three_days(1 / 24, 2 / 24, 3 / 24), "other": TEN}, "combo", math.inf, "other",
     "beat the default combo by a paired t of 3.46 >= 1.645 on daily absolute errors"),
    ({"combo": TEN, "other": three_days(11.0)}, "combo", math.inf, "combo",
     "the default, with the lowest backtest WAPE"),
    # both 10% off; b (9 and 11 in turn) is unbiased, a (9 throughout) -10%
    ({"a": three_days(9.0), "b": np.tile([9.0, 11.0], 36)}, None, math.inf, "b",
     "the lowest backtest WAPE (tied with a: the smaller absolute bias won)"),
    # combo -15% (WAPE 15%) is kept (ewm's 12% gains the same each day: t 0), then guarded: within 16.5% of WAPE,
    # mean (8.4 and 11.6 in turn: WAPE 16%, bias 0) is less biased than ewm (-12%)
    ({"combo": three_days(8.5), "ewm": three_days(8.8), "mean": np.tile([8.4, 11.6], 36)}, "combo", 0.10, "mean",
     "the bias guard replaced combo (bias -15.0%, beyond max_bias 10%) with the least-biased model within 10% of its "
     "WAPE (mean +0.0%, ewm -12.0%)"),
], ids=["default-kept", "default-beaten", "default-best", "tie-on-wape", "bias-guard"])
def test_the_selection_says_why_in_words(forecasts: dict[str, np.ndarray], default: str | None, max_bias: float,
                                          chosen: str, reason: str) -> None:
    """Tests the reason the selection records for its choice on three days of 10 contacts an hour, and in particular
    why a runner-up with a lower WAPE lost (the default kept for want of a significant paired t; the bias guard
    preferring a less-biased model): before, the printout showed the lower WAPE without the reason."""
    from forecasting.backtest import BacktestResult
    from forecasting.selection import select

    selection = select(BacktestResult(TEN, forecasts, {}, [0]), default, max_bias=max_bias, bias_wape_tolerance=0.10)
    assert (selection.model, selection.reason) == (chosen, reason)
