"""Prediction intervals from observed errors (in-sample residuals or rolling-origin backtest errors).

Contact volume is heteroscedastic (a 2,000-call hour errs by more than a 20-call hour), so errors are
standardised by ``(forecast + c) ** p`` with the power ``p`` in [0, 1] estimated from the errors themselves
(0: constant spread, 0.5: Poisson-like, 1: proportional). The conformity score is the *absolute*
standardised error ``|z|``; its conformal quantile (rank ``ceil((n + 1) * level)`` of ``n``, the
finite-sample correction of split conformal prediction) scales back symmetrically around each forecast,
and the lower bound is later clipped at 0. Built from backtest errors this is a split-conformal interval,
whose coverage is what the backtest measured rather than what a model's Gaussian assumption promises.

Why one absolute score rather than separate lower and upper quantiles of ``z`` (measured on the two real
banks, ``benchmarks/BENCHMARKS_forecasting.md``): the sign of a few weeks' errors is not stable (a summer
decline in the calibration weeks, a post-holiday surge in the forecast week), and two 10% tails from six
weeks follow it; on the US bank the two-tailed intervals covered 73.9% of open hours at 80%, the absolute
score 77.5% at about the same width. On counts near 1 the two-tailed lower bound sat above the many zeros;
the absolute score gives narrower intervals that cover more. Bins by hour of day or by lead time added
width without a better coverage for the width, so there is one score per series.

Closed hours (no actuals and a forecast below half a contact) are left out of the calibration: their errors
are exactly 0 and, at night and on weekends, they can be half of all hours, which would shrink every
interval of the open hours.
"""

from __future__ import annotations

import math

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


def conformal_quantile(scores: np.ndarray, level: float) -> float:
    """The split-conformal quantile of ``scores``: the ``ceil((n + 1) * level)``-th smallest of the ``n``.

    With exchangeable scores, a new score falls at or below it with probability at least ``level``. When
    that rank exceeds ``n`` (too few scores for the level) the largest score is used; 0 without scores.

    Parameters
    ----------
    scores : numpy.ndarray
        Conformity scores (here absolute standardised errors); NaN ignored.
    level : float
        Coverage in (0, 1), e.g. 0.8.

    Returns
    -------
    float
    """
    values = np.sort(np.asarray(scores, dtype=float)[np.isfinite(scores)])
    if not values.size:
        return 0.0
    rank = min(math.ceil((values.size + 1) * level), values.size)
    return float(values[rank - 1])


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
        ``lo80, hi80, lo95, hi95`` arrays, symmetric around ``mean`` (not yet clipped at zero).
    """
    mean = np.asarray(mean, dtype=float)
    e = np.asarray(errors, dtype=float)
    r = np.asarray(reference, dtype=float)
    ok = informative(e, r)
    c, p = error_scale(e[ok], r[ok])
    scores = np.abs(e[ok]) / (np.maximum(r[ok], 0.0) + c) ** p
    scale = (np.maximum(mean, 0.0) + c) ** p
    out: dict[str, np.ndarray] = {}
    for level in LEVELS:
        half_width = conformal_quantile(scores, level / 100) * scale
        out[f"lo{level}"] = mean - half_width
        out[f"hi{level}"] = mean + half_width
    return out
