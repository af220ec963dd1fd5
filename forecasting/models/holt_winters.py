"""Holt-Winters (additive ETS) with a weekly season of 168 hours."""

from __future__ import annotations

import warnings

import numpy as np
from statsmodels.tsa.holtwinters import ExponentialSmoothing

from forecasting.calendar import HOURS_PER_WEEK, Design
from forecasting.models.base import Forecast, Model


class HoltWinters(Model):
    """Additive Holt-Winters with a weekly season (no trend: a week ahead, trends mostly mislead).

    Intervals come from the in-sample one-step residuals; the pipeline recalibrates them by backtest.

    Parameters
    ----------
    weeks : int
        Training window in weeks.
    """

    name = "holt_winters"
    min_weeks = 3

    def __init__(self, weeks: int = 10) -> None:
        self.weeks = weeks

    def fit(self, y: np.ndarray, design: Design) -> HoltWinters:
        """Fit the smoothing parameters (heuristic initial states, which needs two full weeks)."""
        y = np.asarray(y, dtype=float)[-self.weeks * HOURS_PER_WEEK:]
        if len(y) < 2 * HOURS_PER_WEEK:
            raise ValueError("Holt-Winters needs at least two weeks")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self._result = ExponentialSmoothing(y, seasonal="add", seasonal_periods=HOURS_PER_WEEK, trend=None,
                                                initialization_method="heuristic").fit()
        self._y = y
        return self

    def predict(self, design: Design) -> Forecast:
        """Forecast and residual-based intervals."""
        mean = np.asarray(self._result.forecast(len(design)))
        fitted = np.asarray(self._result.fittedvalues)
        return Forecast.from_errors(mean, self._y - fitted, fitted)
