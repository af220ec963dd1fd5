"""Training data cleaning: robust expected values, surge / outage detection, gap filling.

Holiday hours, known-event hours, missing hours and detected outliers (one-off surges, outages) are replaced
by a robust expected value before a model is fitted: the median of the same local weekday-hour over the
neighbouring weeks (up to ``weeks`` before and after, inside the training window only, so a backtest never
sees its own future). A regression model that learns holidays and events from regressors gets a variant
where only outliers and gaps are replaced.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasting.calendar import HOURS_PER_WEEK, from_week_matrix, week_matrix


@dataclass(frozen=True)
class Cleaned:
    """A training series after cleaning.

    Attributes
    ----------
    raw : numpy.ndarray
        The series as given (NaN where missing).
    expected : numpy.ndarray
        Robust expected value of every hour (never NaN).
    outliers : numpy.ndarray
        Hours detected as surges or outages.
    known : numpy.ndarray
        Hours of holidays and known events.
    """

    raw: np.ndarray
    expected: np.ndarray
    outliers: np.ndarray
    known: np.ndarray

    @property
    def missing(self) -> np.ndarray:
        """Hours with no actuals."""
        return np.isnan(self.raw)

    @property
    def full(self) -> np.ndarray:
        """Outliers, gaps, holidays and event hours replaced by the expected value."""
        return np.where(self.outliers | self.known | self.missing, self.expected, self.raw)

    @property
    def for_regression(self) -> np.ndarray:
        """Only outliers and gaps replaced (holidays and events kept for a model with regressors)."""
        return np.where(self.outliers | self.missing, self.expected, self.raw)


def robust_expected(values: np.ndarray, index: pd.DatetimeIndex, weeks: int = 4) -> np.ndarray:
    """Median of the same local weekday-hour over up to ``weeks`` weeks before and after each hour.

    NaN values are ignored; where no neighbour exists the median of that weekday-hour over the whole
    series is used, then the median of the hour of day, then 0.
    """
    matrix, offset = week_matrix(np.asarray(values, dtype=float), index)
    n_weeks = matrix.shape[0]
    shifted = []
    for k in range(1, weeks + 1):
        if k >= n_weeks:
            break
        before = np.full_like(matrix, np.nan)
        before[k:] = matrix[:-k]
        after = np.full_like(matrix, np.nan)
        after[:-k] = matrix[k:]
        shifted.extend([before, after])
    with np.errstate(all="ignore"), _Quiet():
        expected = np.nanmedian(np.stack(shifted), axis=0) if shifted else np.full_like(matrix, np.nan)
        column = np.nanmedian(matrix, axis=0)
    expected = np.where(np.isnan(expected), column[None, :], expected)
    flat = from_week_matrix(expected, offset, len(values)).copy()
    if np.isnan(flat).any():
        hours = np.asarray(index.hour)
        frame = pd.Series(np.asarray(values, dtype=float)).groupby(hours).median()
        flat = np.where(np.isnan(flat), frame.reindex(hours).to_numpy(), flat)
        flat = np.where(np.isnan(flat), 0.0, flat)
    return flat


def detect_outliers(values: np.ndarray, expected: np.ndarray, index: pd.DatetimeIndex,
                    threshold: float = 4.0) -> np.ndarray:
    """Flag hours far from their robust expected value (one-off surges, outages).

    The scale of each weekday-hour is the MAD of its deviations across weeks, floored by the Poisson scale
    ``sqrt(expected)`` and 5% of the expected value; an hour is an outlier when its deviation exceeds
    ``threshold`` scales.
    """
    values = np.asarray(values, dtype=float)
    resid = values - expected
    matrix, offset = week_matrix(np.abs(resid), index)
    with np.errstate(all="ignore"), _Quiet():
        mad = 1.4826 * np.nanmedian(matrix, axis=0)
    mad = np.where(np.isnan(mad), 0.0, mad)
    scale = from_week_matrix(np.broadcast_to(mad, matrix.shape), offset, len(values))
    floor = np.maximum(np.sqrt(np.maximum(expected, 0.0)), 0.05 * np.abs(expected))
    scale = np.maximum(np.maximum(scale, floor), 1.0)
    with np.errstate(invalid="ignore"):
        return np.asarray(np.abs(resid) > threshold * scale) & ~np.isnan(values)


def clean(values: np.ndarray, index: pd.DatetimeIndex, known: np.ndarray | None = None, *,
          threshold: float = 4.0, weeks: int = 4) -> Cleaned:
    """Clean a training series (two passes: expected without known hours, flag outliers, recompute).

    Parameters
    ----------
    values : numpy.ndarray
        Hourly volume on the local grid, NaN where missing.
    index : pandas.DatetimeIndex
        Naive local hours of ``values``.
    known : numpy.ndarray, optional
        Holiday and known-event hours (never used as neighbours).
    threshold : float
        Outlier threshold in robust scales.
    weeks : int
        Neighbouring weeks on each side for the expected value.

    Returns
    -------
    Cleaned
    """
    raw = np.asarray(values, dtype=float)
    known = np.zeros(len(raw), dtype=bool) if known is None else np.asarray(known, dtype=bool)
    first = robust_expected(np.where(known, np.nan, raw), index, weeks)
    outliers = detect_outliers(np.where(known, np.nan, raw), first, index, threshold)
    expected = robust_expected(np.where(known | outliers, np.nan, raw), index, weeks)
    return Cleaned(raw, np.maximum(expected, 0.0), outliers, known)


def outlier_weeks(matrix: np.ndarray, tolerance: float = 0.25) -> np.ndarray:
    """Flag weeks (rows of a weeks × 168 matrix) whose total is far from the median week.

    A week counts as an outlier when its total differs from the median of complete weeks by more than
    ``tolerance`` (a share), e.g. a holiday week or a week with an outage.
    """
    totals = np.nansum(matrix, axis=1)
    complete = np.isfinite(matrix).sum(axis=1) >= HOURS_PER_WEEK * 0.9
    if complete.sum() < 3:
        return np.zeros(matrix.shape[0], dtype=bool)
    median = np.median(totals[complete])
    if median <= 0:
        return np.zeros(matrix.shape[0], dtype=bool)
    return complete & (np.abs(totals / median - 1.0) > tolerance)


class _Quiet:
    """Silence numpy's 'All-NaN slice' RuntimeWarning inside a block (expected for empty weeks)."""

    def __enter__(self) -> None:
        import warnings

        self._ctx = warnings.catch_warnings()
        self._ctx.__enter__()
        warnings.simplefilter("ignore", RuntimeWarning)

    def __exit__(self, *exc: object) -> None:
        self._ctx.__exit__(*exc)
