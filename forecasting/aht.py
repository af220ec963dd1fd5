"""Average handle time per series and local hour, chosen by backtest among smoothed profiles.

Candidates (all contact-weighted, so a quiet hour's odd AHT counts little):

* ``weekly_profile``: per weekday-hour over the last 8 weeks, shrunk towards the hour-of-day value by a
  prior worth ``PRIOR_CONTACTS`` contacts;
* ``daily_profile``: per hour of day over the last 4 weeks, shrunk towards the overall value;
* ``flat``: the overall value of the last 4 weeks.

The score is the workload-weighted absolute percentage error ``sum(c |a - f|) / sum(c a)`` over the
last folds; hours with no handled contact take the queue's configured ``aht_seconds``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from forecasting.calendar import HOURS_PER_WEEK, hour_of_week

PRIOR_CONTACTS = 20.0
METHODS: tuple[str, ...] = ("weekly_profile", "daily_profile", "flat")


@dataclass(frozen=True)
class AhtForecast:
    """Handle time forecast of one series."""

    values: np.ndarray
    method: str
    wape: float


def _weighted(values: np.ndarray, weights: np.ndarray, keys: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    ok = np.isfinite(values) & np.isfinite(weights) & (weights > 0)
    num = np.bincount(keys[ok], weights=(values * weights)[ok], minlength=size)
    den = np.bincount(keys[ok], weights=weights[ok], minlength=size)
    return num, den


def _fit(method: str, aht: np.ndarray, contacts: np.ndarray, how: np.ndarray, default: float) -> np.ndarray:
    """Return the 168 weekday-hour AHT values of ``method`` fitted on the given history."""
    recent = 8 if method == "weekly_profile" else 4
    cut = max(len(aht) - recent * HOURS_PER_WEEK, 0)
    a, c, h = aht[cut:], contacts[cut:], how[cut:]
    num_all, den_all = _weighted(a, c, np.zeros(len(a), dtype=int), 1)
    overall = num_all[0] / den_all[0] if den_all[0] > 0 else default
    if method == "flat":
        return np.full(HOURS_PER_WEEK, overall)
    num_h, den_h = _weighted(a, c, h % 24, 24)
    daily = (num_h + PRIOR_CONTACTS * overall) / (den_h + PRIOR_CONTACTS)
    if method == "daily_profile":
        return daily[np.arange(HOURS_PER_WEEK) % 24]
    num_w, den_w = _weighted(a, c, h, HOURS_PER_WEEK)
    prior = daily[np.arange(HOURS_PER_WEEK) % 24]
    return (num_w + PRIOR_CONTACTS * prior) / (den_w + PRIOR_CONTACTS)


def aht_error(actual: np.ndarray, forecast: np.ndarray, contacts: np.ndarray) -> float:
    """Workload-weighted absolute percentage error of an AHT forecast."""
    ok = np.isfinite(actual) & np.isfinite(contacts) & (contacts > 0)
    den = (contacts[ok] * actual[ok]).sum()
    return float((contacts[ok] * np.abs(actual[ok] - forecast[ok])).sum() / den) if den > 0 else float("nan")


def forecast_aht(aht: np.ndarray, contacts: np.ndarray, index, future_index, default: float,
                 folds: int = 4) -> AhtForecast:
    """Choose an AHT method by weekly rolling-origin backtest and forecast the future hours.

    Parameters
    ----------
    aht, contacts : numpy.ndarray
        Hourly history on the local grid (AHT NaN where nothing was handled).
    index, future_index : pandas.DatetimeIndex
        Naive local hours of the history and of the forecast.
    default : float
        The queue's configured AHT, used where the history has none.
    folds : int
        Backtest folds.
    """
    aht = np.asarray(aht, dtype=float)
    contacts = np.nan_to_num(np.asarray(contacts, dtype=float))
    how, future_how = hour_of_week(index), hour_of_week(future_index)
    if not (np.isfinite(aht) & (contacts > 0)).any():
        return AhtForecast(np.full(len(future_index), float(default)), "default", float("nan"))
    scores: dict[str, float] = {}
    n = len(aht)
    for method in METHODS:
        errors = []
        for k in range(folds, 0, -1):
            origin = n - k * HOURS_PER_WEEK
            if origin < HOURS_PER_WEEK:
                continue
            stop = origin + HOURS_PER_WEEK
            table = _fit(method, aht[:origin], contacts[:origin], how[:origin], default)
            errors.append((aht[origin:stop], table[how[origin:stop]], contacts[origin:stop]))
        if errors:
            a, f, c = (np.concatenate(part) for part in zip(*errors, strict=True))
            scores[method] = aht_error(a, f, c)
    valid = {m: s for m, s in scores.items() if np.isfinite(s)}
    method = min(valid, key=valid.get) if valid else "daily_profile"
    table = _fit(method, aht, contacts, how, default)
    return AhtForecast(table[future_how], method, valid.get(method, float("nan")))
