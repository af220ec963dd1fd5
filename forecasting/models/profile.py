"""Robust weekly profile plus an AutoReg model on what the profile leaves.

The profile of each local weekday-hour is the (weighted) mean or median of that hour over the last ``weeks``
weeks, with exponentially decaying weights (half-life ``halflife`` weeks) and outlier weeks (total far from
the median week, e.g. holiday weeks that cleaning did not fully repair) left out. An ``AutoReg`` fitted on
the in-sample remainder carries the last hours' deviation into the first hours of the forecast.
"""

from __future__ import annotations

import warnings

import numpy as np
from statsmodels.tsa.ar_model import AutoReg

from forecasting.calendar import HOURS_PER_WEEK, Design
from forecasting.cleaning import outlier_weeks
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


class RobustProfile(Model):
    """Weekly profile (robust, exponentially weighted) with an AutoReg remainder model.

    Parameters
    ----------
    stat : {"mean", "median"}
        How the weeks are combined per weekday-hour.
    weeks : int
        Number of most recent weeks used.
    halflife : float, optional
        Half-life of the weights in weeks (None: equal weights).
    lags : tuple of int
        AutoReg lags of the remainder (empty: no remainder model).
    week_tolerance : float
        A week whose total differs from the median week by more than this share is left out.
    """

    min_weeks = 2

    def __init__(self, stat: str = "mean", weeks: int = 8, halflife: float | None = 3.0,
                 lags: tuple[int, ...] = (1, 2, 24), week_tolerance: float = 0.25, name: str = "profile") -> None:
        self.stat = stat
        self.weeks = weeks
        self.halflife = halflife
        self.lags = lags
        self.week_tolerance = week_tolerance
        self.name = name  # type: ignore[misc]

    def fit(self, y: np.ndarray, design: Design) -> RobustProfile:
        """Build the profile from the last weeks and fit the remainder model."""
        y = np.asarray(y, dtype=float)
        weeks = min(self.weeks, len(y) // HOURS_PER_WEEK)
        if weeks < 1:
            raise ValueError("a weekly profile needs at least one week of history")
        tail = y[-weeks * HOURS_PER_WEEK:]
        how = design.how[-weeks * HOURS_PER_WEEK:]
        # rows: age 0 = most recent block of 168 hours; each hour of week appears once per row
        blocks = tail.reshape(weeks, HOURS_PER_WEEK)[::-1]
        matrix = np.empty_like(blocks)
        for age in range(weeks):
            start = (weeks - 1 - age) * HOURS_PER_WEEK
            matrix[age, how[start:start + HOURS_PER_WEEK]] = blocks[age]
        weights = np.ones(weeks) if self.halflife is None else 0.5 ** (np.arange(weeks) / self.halflife)
        keep = ~outlier_weeks(matrix, self.week_tolerance)
        if keep.sum() >= 2:
            matrix, weights = matrix[keep], weights[keep]
        if self.stat == "median":
            self._profile = weighted_median(matrix, weights)
        else:
            self._profile = weights @ matrix / weights.sum()
        self._fitted = self._profile[how]
        self._remainder = tail - self._fitted
        self._ar = None
        if self.lags and len(tail) > 3 * max(self.lags):
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
