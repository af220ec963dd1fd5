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


class HistoryMean(Model):
    """Forecast each hour with the mean of its hour of week over the whole training series.

    Not a candidate: the last resort of a series whose history has contacts but whose chosen (or fallback) model
    forecasts none at all, as a median profile or seasonal naive does on sparse counts (a new language with a
    contact every few hours). The mean keeps the history's volume: one contact in six weeks at an hour of week
    is 1/6 there. Hours of week the training never saw take the overall mean. Intervals come from the in-sample
    errors around the means.
    """

    name = "history_mean"
    min_weeks = 0

    def fit(self, y: np.ndarray, design: Design) -> HistoryMean:
        """Average the training series per hour of week."""
        y = np.asarray(y, dtype=float)
        if not len(y):
            raise ValueError("the history mean needs at least one hour of history")
        how = design.how
        counts = np.bincount(how, minlength=HOURS_PER_WEEK)
        sums = np.bincount(how, weights=y, minlength=HOURS_PER_WEEK)
        self._profile = np.where(counts > 0, sums / np.maximum(counts, 1), float(np.mean(y)))
        self._y, self._fitted = y, self._profile[how]
        return self

    def predict(self, design: Design) -> Forecast:
        """The mean of each future hour's hour of week."""
        return Forecast.from_errors(self._profile[design.how], self._y - self._fitted, self._fitted)
