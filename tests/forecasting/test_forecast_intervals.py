"""Tests of interval calibration: the error-scale power, closed hours, and the guard of the selection."""

from __future__ import annotations

import math

import numpy as np
import pytest

from forecasting.backtest import BacktestResult
from forecasting.intervals import error_scale, intervals_from_errors
from forecasting.selection import paired_t, select


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
