"""Prediction intervals from observed errors (in-sample residuals or rolling-origin backtest errors).

Contact volume is heteroscedastic (a 2,000-call hour errs by more than a 20-call hour), so errors are
standardised by ``(forecast + c) ** p`` with the power ``p`` in [0, 1] estimated from the errors themselves
(0: constant spread, 0.5: Poisson-like, 1: proportional); the empirical quantiles of the standardised errors
then scale back around each forecast. Built from backtest errors this is a split-conformal interval, whose
coverage is what the backtest measured rather than what a model's Gaussian assumption promises.

Closed hours (no actuals and a forecast below half a contact) are left out of the calibration: their errors
are exactly 0 and, at night and on weekends, they can be half of all hours, which would shrink every
interval of the open hours.
"""

from __future__ import annotations

import numpy as np

LEVELS: tuple[int, ...] = (80, 95)


#: A forecast below this many contacts with an actual of 0 counts as a closed hour (not calibrated on).
CLOSED_BELOW = 0.5


def informative(errors: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Mask of the error pairs to calibrate on: finite, and not a closed hour (actual 0, forecast < 0.5)."""
    e = np.asarray(errors, dtype=float)
    r = np.asarray(reference, dtype=float)
    ok = np.isfinite(e) & np.isfinite(r)
    closed = (np.abs(e + r) < 1e-9) & (r < CLOSED_BELOW)
    return ok & ~closed


#: Candidate powers of the error scale, and the forecast-level bins the power is chosen on.
POWERS: np.ndarray = np.linspace(0.0, 1.0, 11)
LEVEL_BINS = 4


def error_scale(errors: np.ndarray, reference: np.ndarray) -> tuple[float, float]:
    """Estimate ``(c, p)`` of the scale ``(reference + c) ** p`` from errors and their forecasts.

    ``p`` is the power that makes the standardised errors most alike across forecast levels: the errors are
    split into ``LEVEL_BINS`` bins by forecast level, and the power whose 80% quantiles of ``|z|`` vary least
    between bins (coefficient of variation) wins. Quantiles rather than a log-log slope, because the tails
    are what the intervals need right, and a slope fitted to ``log|e|`` is pulled down by the many small
    errors.
    """
    e = np.asarray(errors, dtype=float)
    r = np.maximum(np.asarray(reference, dtype=float), 0.0)
    ok = np.isfinite(e) & np.isfinite(r)
    e, r = e[ok], r[ok]
    c = max(1.0, 0.02 * float(np.mean(r))) if r.size else 1.0
    if r.size < 20 * LEVEL_BINS or np.ptp(np.log(r + c)) < 1e-6:
        return c, 0.5
    edges = np.quantile(r, np.linspace(0.0, 1.0, LEVEL_BINS + 1)[1:-1])
    bins = np.searchsorted(edges, r, side="right")
    if len(np.unique(bins)) < 2:
        return c, 0.5
    best, best_spread = 0.5, np.inf
    for power in POWERS:
        z = np.abs(e) / (r + c) ** power
        tails = np.array([np.quantile(z[bins == b], 0.8) for b in np.unique(bins)])
        spread = float(np.std(tails) / np.mean(tails)) if np.mean(tails) > 0 else np.inf
        if spread < best_spread - 1e-12:
            best, best_spread = float(power), spread
    return c, best


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
    ok = informative(e, r)
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
