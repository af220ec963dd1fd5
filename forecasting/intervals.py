"""Prediction intervals from observed errors (in-sample residuals or rolling-origin backtest errors).

Contact volume is heteroscedastic (a 2,000-call hour errs by more than a 20-call hour), so errors are
standardised by ``(forecast + c) ** p`` with the power ``p`` in [0, 1] estimated from the errors themselves
(0: constant spread, 0.5: Poisson-like, 1: proportional); the empirical quantiles of the standardised errors
then scale back around each forecast. Built from backtest errors this is a split-conformal interval, whose
coverage is what the backtest measured rather than what a model's Gaussian assumption promises.
"""

from __future__ import annotations

import numpy as np

LEVELS: tuple[int, ...] = (80, 95)


def error_scale(errors: np.ndarray, reference: np.ndarray) -> tuple[float, float]:
    """Estimate ``(c, p)`` of the scale ``(reference + c) ** p`` from errors and their forecasts."""
    e = np.asarray(errors, dtype=float)
    r = np.maximum(np.asarray(reference, dtype=float), 0.0)
    ok = np.isfinite(e) & np.isfinite(r)
    e, r = e[ok], r[ok]
    c = max(1.0, 0.02 * float(np.mean(r))) if r.size else 1.0
    if r.size < 20 or np.ptp(np.log(r + c)) < 1e-6:
        return c, 0.5
    x = np.log(r + c)
    y = np.log(np.abs(e) + 0.1 * c)
    slope = np.polyfit(x, y, 1)[0]
    return c, float(np.clip(slope, 0.0, 1.0))


def intervals_from_errors(mean: np.ndarray, errors: np.ndarray, reference: np.ndarray
                          ) -> dict[str, np.ndarray]:
    """Intervals around ``mean`` from errors ``actual - reference`` observed elsewhere.

    Parameters
    ----------
    mean : numpy.ndarray
        The point forecast to put intervals around.
    errors : numpy.ndarray
        Observed errors (actual minus forecast); NaN ignored.
    reference : numpy.ndarray
        The forecasts those errors were made with.

    Returns
    -------
    dict
        ``lo80, hi80, lo95, hi95`` arrays (not yet clipped at zero).
    """
    mean = np.asarray(mean, dtype=float)
    e = np.asarray(errors, dtype=float)
    r = np.asarray(reference, dtype=float)
    ok = np.isfinite(e) & np.isfinite(r)
    c, p = error_scale(e[ok], r[ok])
    z = e[ok] / (np.maximum(r[ok], 0.0) + c) ** p
    scale = (np.maximum(mean, 0.0) + c) ** p
    out: dict[str, np.ndarray] = {}
    for level in LEVELS:
        tail = (100 - level) / 200
        if z.size:
            lo_q, hi_q = np.quantile(z, [tail, 1 - tail])
        else:
            lo_q = hi_q = 0.0
        out[f"lo{level}"] = mean + min(lo_q, 0.0) * scale
        out[f"hi{level}"] = mean + max(hi_q, 0.0) * scale
    return out
