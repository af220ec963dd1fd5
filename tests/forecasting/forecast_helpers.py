"""Helpers of the forecasting tests: synthetic hourly series with known components, fast settings."""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.settings import ForecastOptions

FAST = ForecastOptions(models=("seasonal_naive", "profile_median", "profile_ewm"), backtest_folds=2)


def synthetic(weeks: int = 8, seed: int = 7, start: str = "2026-01-05") -> tuple[pd.DatetimeIndex, np.ndarray,
                                                                               np.ndarray]:
    """Hourly series = 100 + daily sine (amplitude 40) + weekly term (weekend -30) + N(0, 3) noise.

    Returns the naive local index, the noisy series and the noise-free signal.
    """
    index = pd.date_range(start, periods=weeks * 168, freq="h")
    hours = np.asarray(index.hour)
    weekend = np.asarray(index.day_of_week >= 5)
    signal = 100 + 40 * np.sin(2 * np.pi * (hours - 6) / 24) - 30 * weekend
    noise = np.random.default_rng(seed).normal(0, 3, len(index))
    return index, signal + noise, signal
