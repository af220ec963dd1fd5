"""Accuracy metrics: WAPE, bias, MASE and interval coverage (NaN actuals are ignored)."""

from __future__ import annotations

import numpy as np


def _pair(actual: np.ndarray, forecast: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a = np.asarray(actual, dtype=float)
    f = np.asarray(forecast, dtype=float)
    keep = ~(np.isnan(a) | np.isnan(f))
    return a[keep], f[keep]


def wape(actual: np.ndarray, forecast: np.ndarray) -> float:
    """Weighted absolute percentage error: ``sum|a - f| / sum|a|`` (NaN when there is no volume).

    Parameters
    ----------
    actual, forecast : numpy.ndarray
        Aligned arrays; positions where either is NaN are ignored.

    Returns
    -------
    float
        The WAPE as a fraction (0.057 is 5.7%).
    """
    a, f = _pair(actual, forecast)
    total = np.abs(a).sum()
    return float(np.abs(a - f).sum() / total) if total > 0 else float("nan")


def bias(actual: np.ndarray, forecast: np.ndarray) -> float:
    """Relative bias ``sum(f - a) / sum|a|``: positive when the forecast is too high."""
    a, f = _pair(actual, forecast)
    total = np.abs(a).sum()
    return float((f - a).sum() / total) if total > 0 else float("nan")


def mase(actual: np.ndarray, forecast: np.ndarray, train: np.ndarray, season: int = 168) -> float:
    """Mean absolute scaled error against the in-sample seasonal naive of lag ``season``.

    Parameters
    ----------
    actual, forecast : numpy.ndarray
        The evaluated stretch.
    train : numpy.ndarray
        The training series (NaN allowed) whose seasonal differences give the scale.
    season : int
        The seasonal lag (168 hours: one week back).
    """
    a, f = _pair(actual, forecast)
    train = np.asarray(train, dtype=float)
    diffs = np.abs(train[season:] - train[:-season])
    scale = np.nanmean(diffs) if np.isfinite(diffs).any() else np.nan
    if not a.size or not scale or np.isnan(scale):
        return float("nan")
    return float(np.mean(np.abs(a - f)) / scale)


def coverage(actual: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> float:
    """Share of actuals inside ``[lower, upper]`` (NaN actuals ignored)."""
    a = np.asarray(actual, dtype=float)
    lo = np.asarray(lower, dtype=float)
    hi = np.asarray(upper, dtype=float)
    keep = ~np.isnan(a)
    if not keep.any():
        return float("nan")
    return float(np.mean((a[keep] >= lo[keep] - 1e-9) & (a[keep] <= hi[keep] + 1e-9)))
