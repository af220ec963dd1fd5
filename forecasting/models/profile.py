"""Robust weekly profile plus an AutoReg model on what the profile leaves.

The profile of each local weekday-hour is the (weighted) mean or median of that hour over the ``weeks`` most
recent *clean* weeks: weeks that contain a public holiday are left out (the days around a closure carry its
backlog, bridge days are quiet, so the whole week is off its usual shape), and so are outlier weeks (total
far from the median week, e.g. an outage that cleaning did not fully repair). The profile reaches back up to
``lookback_weeks`` weeks to find them; weights decay with a week's real age (half-life ``halflife`` weeks).
An ``AutoReg`` fitted on the in-sample remainder of the last ``weeks`` weeks carries the last hours'
deviation into the first hours of the forecast.
"""

from __future__ import annotations

import warnings

import numpy as np
from statsmodels.tsa.ar_model import AutoReg

from forecasting.calendar import HOURS_PER_WEEK, Design
from forecasting.cleaning import outlier_weeks
from forecasting.events import HOLIDAY
from forecasting.models.base import Forecast, Model


def weighted_median(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Column-wise weighted median of a ``(rows, cols)`` matrix (weights per row)."""
    order = np.argsort(values, axis=0)
    sorted_values = np.take_along_axis(values, order, axis=0)
    sorted_weights = weights[order]
    cumulative = np.cumsum(sorted_weights, axis=0)
    half = cumulative[-1] / 2.0
    pick = np.argmax(cumulative >= half[None, :] - 1e-12, axis=0)
    return sorted_values[pick, np.arange(values.shape[1])]


def holiday_weeks(design: Design, weeks: int) -> np.ndarray:
    """Which of the last ``weeks`` blocks of 168 hours (age 0 = most recent) contain a public-holiday hour."""
    names = list(design.regressor_names)
    if HOLIDAY not in names or not design.regressors.size:
        return np.zeros(weeks, dtype=bool)
    column = design.regressors[-weeks * HOURS_PER_WEEK:, names.index(HOLIDAY)]
    return column.reshape(weeks, HOURS_PER_WEEK)[::-1].any(axis=1)


class RobustProfile(Model):
    """Weekly profile (robust, exponentially weighted, holiday weeks left out) with an AutoReg remainder model.

    Parameters
    ----------
    stat : {"mean", "median"}
        How the weeks are combined per weekday-hour.
    weeks : int
        Number of clean weeks used.
    halflife : float, optional
        Half-life of the weights in weeks of age (None: equal weights).
    lags : tuple of int
        AutoReg lags of the remainder (empty: no remainder model).
    week_tolerance : float
        A week whose total differs from the median week by more than this share is left out.
    lookback_weeks : int, optional
        How far back clean weeks are searched (default ``weeks + 8``).
    skip_holiday_weeks : bool
        Leave out weeks that contain a public holiday (when at least two clean weeks remain).
    name : str
        Registry name of this configuration.
    """

    min_weeks = 2

    def __init__(self, stat: str = "mean", weeks: int = 8, halflife: float | None = 3.0,
                 lags: tuple[int, ...] = (1, 2, 24), week_tolerance: float = 0.25,
                 lookback_weeks: int | None = None, skip_holiday_weeks: bool = True,
                 name: str = "profile") -> None:
        self.stat = stat
        self.weeks = weeks
        self.halflife = halflife
        self.lags = lags
        self.week_tolerance = week_tolerance
        self.lookback_weeks = weeks + 8 if lookback_weeks is None else max(lookback_weeks, weeks)
        self.skip_holiday_weeks = skip_holiday_weeks
        self.name = name  # type: ignore[misc]

    def fit(self, y: np.ndarray, design: Design) -> RobustProfile:
        """Build the profile from the most recent clean weeks and fit the remainder model."""
        y = np.asarray(y, dtype=float)
        available = len(y) // HOURS_PER_WEEK
        if available < 1:
            raise ValueError("a weekly profile needs at least one week of history")
        span = min(self.lookback_weeks, available)
        tail = y[-span * HOURS_PER_WEEK:]
        how = design.how[-span * HOURS_PER_WEEK:]
        # rows: age 0 = most recent block of 168 hours; each hour of week appears once per row
        blocks = tail.reshape(span, HOURS_PER_WEEK)[::-1]
        rows = how.reshape(span, HOURS_PER_WEEK)[::-1]
        matrix = np.empty_like(blocks)
        matrix[np.arange(span)[:, None], rows] = blocks
        ages = np.arange(span)
        keep = ~outlier_weeks(matrix, self.week_tolerance)
        if self.skip_holiday_weeks:
            keep &= ~holiday_weeks(design, span)
        if keep.sum() < 2:
            keep = ~outlier_weeks(matrix, self.week_tolerance)
            if keep.sum() < 2:
                keep = np.ones(span, dtype=bool)
        chosen = ages[keep][:self.weeks]
        weights = np.ones(len(chosen)) if self.halflife is None else 0.5 ** (chosen / self.halflife)
        if self.stat == "median":
            self._profile = weighted_median(matrix[chosen], weights)
        else:
            self._profile = weights @ matrix[chosen] / weights.sum()
        recent = min(self.weeks, available) * HOURS_PER_WEEK
        self._fitted = self._profile[design.how[-recent:]]
        self._remainder = y[-recent:] - self._fitted
        self._ar = None
        if self.lags and recent > 3 * max(self.lags):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self._ar = AutoReg(self._remainder, lags=list(self.lags), trend="n").fit()
        return self
    def predict(self, design: Design) -> Forecast:
        """Profile of the future hours plus the remainder model's forecast."""
        mean = self._profile[design.how].astype(float)
        if self._ar is not None:
            n = len(self._remainder)
            mean = mean + np.asarray(self._ar.predict(start=n, end=n + len(design) - 1))
        # native intervals: the spread of the remainder around the profile, standardised by level
        return Forecast.from_errors(mean, self._remainder, self._fitted)
