"""Seasonal naive: the same local weekday-hour one week back (the baseline and the fallback)."""

from __future__ import annotations

import numpy as np

from forecasting.calendar import HOURS_PER_WEEK, Design
from forecasting.models.base import Forecast, Model
from forecasting.models.base import repeat_last as _repeat_last


class SeasonalNaive(Model):
    """Forecast each hour with the value of the same hour of week in the last week of training.

    Intervals come from the in-sample errors of the same rule (``y[t] - y[t - 168]``), which are exactly
    its one-week-ahead errors.
    """

    name = "seasonal_naive"
    min_weeks = 1

    def __init__(self, period: int = HOURS_PER_WEEK) -> None:
        self.period = period

    def fit(self, y: np.ndarray, design: Design) -> SeasonalNaive:
        """Remember the last week and the in-sample seasonal errors."""
        self._y = np.asarray(y, dtype=float)
        if len(self._y) < self.period:
            raise ValueError(f"seasonal naive needs at least {self.period} hours, got {len(self._y)}")
        return self

    def predict(self, design: Design) -> Forecast:
        """Repeat the last week over the future hours."""
        mean = _repeat_last(self._y, self.period, len(design))
        past = self._y[:-self.period]
        errors = self._y[self.period:] - past
        return Forecast.from_errors(mean, errors, past)
