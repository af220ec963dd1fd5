"""Erlang A (M/M/n+M, exponential patience) performance measures and staffing.

Model: Poisson arrivals at rate ``lambda``, ``n`` agents with exponential handle times of mean ``AHT``, and
callers who abandon after an exponential patience of mean ``patience_seconds`` if not answered by then
(Palm's model; Garnett, Mandelbaum & Reiman 2002, "Designing a call center with impatient customers", MSOM
4(3); Mandelbaum & Zeltyn, "The M/M/n+G queue: summary of performance measures", section M/M/n+M).

With ``a = lambda AHT`` (offered load), ``x = n patience / AHT`` and ``y = a patience / AHT``
(service capacity and arrival rate in units of the abandonment rate ``theta = 1 / patience``):

* ``A(x, y) = sum_j y**j / ((x+1)...(x+j)) = P(x, y) / (y**x e**-y / Gamma(x+1))``, with ``P`` the regularised
  lower incomplete gamma function;
* ``E = B(n, a)`` (Erlang B); then ``P(W > 0) = A E / (1 + (A - 1) E)``, computed as
  ``expit(log A - log(1/E - 1))`` with ``1/E - 1 = cdf(n-1; a) / pmf(n; a)``;
* the offered wait ``V`` given ``V > 0`` has density ``(x/A) exp(-x u + y (1 - e**-u))`` in ``u = theta v``;
  hence ``P(V > t | V > 0) = P(x, y e**-theta t) / P(x, y)``;
* ``P(Ab | W > 0) = 1 - (x / y)(1 - 1/A)`` (equivalently ``1/(rho A) + 1 - 1/rho`` with ``rho = y / x``);
* **service level** (our definition): the fraction of *all* arriving contacts that are answered within
  ``T`` seconds, ``P(V <= T, V < patience) = 1 - P(W>0) + P(W>0) (x/y) [P(x+1, y) - P(x+1, y e**-theta T)] /
  P(x, y)``; contacts that abandon count as not answered within T whatever their wait (this is the
  "answered within T / offered" convention of the Anonymous Bank data and of most WFM reports);
* **ASA**: the mean wait of *answered* contacts (including those answered at once),
  ``E[W; answered] / P(answered)``, where ``E[W; answered] = P(W>0) P(Sr | W>0) E_f[u] / theta`` and
  ``E_f[u]`` is the mean of the log-concave density proportional to ``exp(-(x+1) u + y (1 - e**-u))``,
  computed by 64-point Gauss-Legendre quadrature on an interval outside which the density is below
  ``e**-45`` of its peak;
* **abandonment**: ``P(Ab) = P(W>0) P(Ab | W>0)``, a fraction of all arrivals;
* **occupancy**: carried load over agents, ``a (1 - P(Ab)) / n``.

All logs go through :mod:`forecasting.staffing._special`, so the formulas stay finite from 0 to ~55,000
Erlangs, for ``n`` below or above ``a`` (with patience the queue is stable for any ``n``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from forecasting.staffing._special import (
    log_gammainc_lead,
    log_gammainc_p,
    log_poisson_cdf,
    log_poisson_pmf,
)
from forecasting.staffing.erlang_c import ArrayLike, erlang_c_agents, occupancy_floor

__all__ = ["ErlangAMetrics", "erlang_a_agents", "erlang_a_metrics"]

_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(64)
_DROP = 45.0  # the quadrature interval ends where the density is e**-45 of its peak
_TOL = 1e-12


@dataclass(frozen=True)
class ErlangAMetrics:
    """Erlang A performance measures per cell (all arrays of the broadcast shape).

    Attributes
    ----------
    wait_probability : ndarray
        ``P(W > 0)``: probability that an arriving contact is not answered at once.
    abandon_probability : ndarray
        ``P(Ab)``: fraction of arriving contacts that abandon.
    service_level : ndarray
        Fraction of arriving contacts answered within ``answer_within_seconds`` (abandoned ones count as
        not answered within T). NaN where no threshold was given.
    asa_seconds : ndarray
        Mean wait of answered contacts in seconds (``inf`` when nobody is answered).
    occupancy : ndarray
        Carried load per agent ``a (1 - P(Ab)) / n``.
    """

    wait_probability: np.ndarray
    abandon_probability: np.ndarray
    service_level: np.ndarray
    asa_seconds: np.ndarray
    occupancy: np.ndarray


def _mean_of_wait_density(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Mean of the density on ``u >= 0`` proportional to ``exp(phi(u))``, ``phi = -(x+1) u + y (1 - e**-u)``.

    ``phi`` is concave. The integration interval is ``[lo, hi]`` with ``phi`` at least ``_DROP`` below its
    maximum outside it (bounds derived from ``phi'' = -y e**-u`` and ``phi' <= phi'(mode)``).
    """
    x1 = x + 1.0
    interior = y > x1
    with np.errstate(divide="ignore"):
        mode = np.where(interior, np.log(np.where(interior, y / x1, 1.0)), 0.0)
    # right side of an interior mode: phi(mode + d) - phi(mode) = -(x+1) (d - 1 + e**-d)
    c = _DROP / x1
    d_right = np.maximum(1.5 * np.sqrt(2.0 * c), c + 1.0)
    # left side: curvature there is at least (x+1), a Gaussian bound
    d_left = np.sqrt(2.0 * _DROP / x1)
    # boundary mode (y <= x+1): phi(u) <= -(x+1-y) u and phi(u) <= -y (u - 1 + e**-u)
    slope = x1 - y
    with np.errstate(divide="ignore"):
        by_slope = np.where(slope > 0, _DROP / np.where(slope > 0, slope, 1.0), np.inf)
        cy = _DROP / np.where(y > 0, y, 1.0)
        by_curv = np.where(y > 0, np.maximum(1.5 * np.sqrt(2.0 * cy), cy + 1.0), np.inf)
    hi = np.where(interior, mode + d_right, np.minimum(by_slope, by_curv))
    lo = np.where(interior, np.maximum(mode - d_left, 0.0), 0.0)
    half = 0.5 * (hi - lo)
    u = (lo + half)[:, None] + half[:, None] * _NODES[None, :]
    phi = -x1[:, None] * u + y[:, None] * (-np.expm1(-u))
    phi -= phi.max(axis=1, keepdims=True)
    w = _WEIGHTS[None, :] * np.exp(phi)
    return (w * u).sum(axis=1) / w.sum(axis=1)


def _core(
    n: np.ndarray,
    a: np.ndarray,
    r: np.ndarray,
    theta_t: np.ndarray | None,
    want_asa: bool,
) -> tuple[np.ndarray, ...]:
    """Erlang A measures for ``n >= 1``, ``a > 0``, ``r = patience / AHT``, ``theta_t = T / patience``.

    Returns ``(p_wait, p_ab_given_wait, sl_or_None, mean_u_or_None)``.
    """
    x = n * r
    y = a * r
    log_p_xy = log_gammainc_p(x, y)
    log_lead_xy = log_gammainc_lead(x, y)
    log_big_a = log_p_xy - log_lead_xy  # log A(x, y) >= 0
    log_odds = log_poisson_cdf(n - 1.0, a) - log_poisson_pmf(n, a)  # log(1/E - 1)
    p_wait = special.expit(log_big_a - log_odds)
    inv_a = np.exp(-log_big_a)
    p_served_given_wait = np.clip((x / y) * (1.0 - inv_a), 0.0, 1.0)
    p_ab_given_wait = 1.0 - p_served_given_wait
    sl = None
    if theta_t is not None:
        z = y * np.exp(-theta_t)
        ratio_z = np.exp(log_gammainc_p(x + 1.0, z) - log_p_xy)
        within_given_wait = np.clip((x / y) * (1.0 - inv_a - ratio_z), 0.0, 1.0)
        sl = 1.0 - p_wait + p_wait * within_given_wait
    mean_u = _mean_of_wait_density(x, y) if want_asa else None
    return p_wait, p_ab_given_wait, sl, mean_u


def erlang_a_metrics(
    agents: ArrayLike,
    load: ArrayLike,
    aht_seconds: ArrayLike,
    patience_seconds: ArrayLike,
    answer_within_seconds: ArrayLike | None = None,
) -> ErlangAMetrics:
    """Return the Erlang A (M/M/n+M) performance measures.

    Parameters
    ----------
    agents : array_like
        Productive agents ``n`` (non-negative integers; any ``n`` is allowed, also ``n <= a``).
    load : array_like
        Offered load ``a`` in Erlangs (>= 0).
    aht_seconds : array_like
        Average handle time (> 0).
    patience_seconds : array_like
        Mean of the exponential patience (> 0, finite).
    answer_within_seconds : array_like, optional
        Threshold ``T`` for the service level (>= 0).

    Returns
    -------
    ErlangAMetrics
        See the class and the module docstring for definitions. ``n = 0`` with ``a > 0`` gives wait and
        abandonment probability 1, service level 0, ASA ``inf`` and occupancy 1; ``a = 0`` gives 0, 0, 1,
        0, 0.
    """
    arrays = [np.asarray(v, dtype=float) for v in (agents, load, aht_seconds, patience_seconds)]
    t_in = None if answer_within_seconds is None else np.asarray(answer_within_seconds, dtype=float)
    if t_in is not None:
        arrays.append(t_in)
    b = np.broadcast_arrays(*arrays)
    shape = b[0].shape
    n, a, aht, pat = (v.ravel() for v in b[:4])
    t = b[4].ravel() if t_in is not None else None
    if np.any(n < 0) or np.any(n != np.floor(n)):
        raise ValueError("agents must be non-negative integers")
    if np.any(a < 0) or np.any(~np.isfinite(a)):
        raise ValueError("load must be finite and >= 0")
    if np.any(~(aht > 0)) or np.any(~(pat > 0)) or np.any(~np.isfinite(pat)):
        raise ValueError("aht_seconds and patience_seconds must be finite and > 0")
    if t is not None and np.any(~(t >= 0)):
        raise ValueError("answer_within_seconds must be >= 0")

    size = n.size
    busy = a > 0
    p_wait = np.where(busy, 1.0, 0.0)
    p_ab = np.where(busy, 1.0, 0.0)
    sl = np.full(size, np.nan) if t is None else np.where(busy, 0.0, 1.0)
    asa = np.where(busy, np.inf, 0.0)
    occ = np.where(busy, 1.0, 0.0)
    m = busy & (n > 0)
    if m.any():
        nm, am, rm = n[m], a[m], pat[m] / aht[m]
        theta_t = None if t is None else t[m] / pat[m]
        pw, pabw, slm, mean_u = _core(nm, am, rm, theta_t, want_asa=True)
        p_wait[m] = pw
        p_ab[m] = pw * pabw
        p_served = 1.0 - p_ab[m]
        occ[m] = np.minimum(am * p_served / nm, 1.0)
        if t is not None:
            sl[m] = slm
        waited_served = pw * (1.0 - pabw) * mean_u * pat[m]
        asa_m = np.full(nm.shape, np.inf)
        pos = p_served > 0
        asa_m[pos] = waited_served[pos] / p_served[pos]
        asa[m] = asa_m
    return ErlangAMetrics(
        wait_probability=p_wait.reshape(shape),
        abandon_probability=p_ab.reshape(shape),
        service_level=sl.reshape(shape),
        asa_seconds=asa.reshape(shape),
        occupancy=occ.reshape(shape),
    )


def erlang_a_agents(
    load: ArrayLike,
    aht_seconds: ArrayLike,
    patience_seconds: ArrayLike,
    *,
    service_level_percent: ArrayLike | None = None,
    answer_within_seconds: ArrayLike | None = None,
    asa_seconds: ArrayLike | None = None,
    max_abandon_percent: ArrayLike | None = None,
    max_occupancy_percent: ArrayLike | None = None,
) -> np.ndarray:
    """Return the smallest number of productive agents meeting every given Erlang A target.

    Parameters
    ----------
    load : array_like
        Offered load ``a`` in Erlangs per cell.
    aht_seconds : array_like
        Average handle time (> 0).
    patience_seconds : array_like
        Mean exponential patience (> 0).
    service_level_percent, answer_within_seconds : array_like or None
        "X % of all arriving contacts answered within T seconds" (NaN: no such target in that cell).
    asa_seconds : array_like or None
        Maximum mean wait of answered contacts.
    max_abandon_percent : array_like or None
        Maximum share of arriving contacts that abandon, in percent (> 0).
    max_occupancy_percent : array_like or None
        Maximum occupancy, applied as ``n >= a / o`` on the offered load (conservative: carried load is
        lower).

    Returns
    -------
    ndarray of int64
        Least ``n`` meeting all targets per cell; 0 where ``a = 0``. ``n`` may be below ``a``.

    Notes
    -----
    The measures are monotone in ``n``. The search starts from the Erlang C answer for the same SL / ASA
    targets (a good guess), gallops down or up with doubling steps, then bisects, evaluating the exact
    formulas on the cells still open at each step.
    """
    a, aht, pat = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (load, aht_seconds, patience_seconds)))
    shape = a.shape
    a, aht, pat = a.ravel(), aht.ravel(), pat.ravel()

    def target(v: ArrayLike | None) -> np.ndarray:
        if v is None:
            return np.full(a.shape, np.nan)
        return np.broadcast_to(np.asarray(v, dtype=float), shape).ravel().copy()

    x, t, asa, ab, occ = (target(v) for v in (
        service_level_percent, answer_within_seconds, asa_seconds, max_abandon_percent,
        max_occupancy_percent))
    if np.any(a < 0) or np.any(~np.isfinite(a)):
        raise ValueError("load must be finite and >= 0")
    if np.any(~(aht > 0)) or np.any(~(pat > 0)) or np.any(~np.isfinite(pat)):
        raise ValueError("aht_seconds and patience_seconds must be finite and > 0")
    has_sl, has_asa, has_ab = ~np.isnan(x), ~np.isnan(asa), ~np.isnan(ab)
    if np.any(has_sl & ~((x > 0) & (x < 100))) or np.any(has_sl & ~(t >= 0)):
        raise ValueError("service_level_percent must be in (0, 100) with answer_within_seconds >= 0")
    if np.any(has_asa & ~(asa > 0)):
        raise ValueError("asa_seconds target must be > 0")
    if np.any(has_ab & ~((ab > 0) & (ab < 100))):
        raise ValueError("max_abandon_percent must be in (0, 100)")
    if np.any(~np.isnan(occ) & ~((occ > 0) & (occ <= 100))):
        raise ValueError("max_occupancy_percent must be in (0, 100]")
    if np.any((a > 0) & ~(has_sl | has_asa | has_ab | ~np.isnan(occ))):
        raise ValueError("Erlang A staffing needs at least one target per cell with volume")

    result = np.zeros(a.size, dtype=np.int64)
    live = np.flatnonzero(a > 0)
    if live.size == 0:
        return result.reshape(shape)
    al, rl = a[live], pat[live] / aht[live]
    xl, tl, asal, abl = x[live], t[live], asa[live], ab[live]
    lower = np.maximum(1.0, occupancy_floor(al, occ[live]))

    def meets(idx: np.ndarray, n: np.ndarray) -> np.ndarray:
        sl_needed = has_sl[live][idx]
        theta_t = np.where(sl_needed, tl[idx], 0.0) / pat[live][idx]
        pw, pabw, sl, mean_u = _core(n, al[idx], rl[idx], theta_t, want_asa=bool(has_asa[live][idx].any()))
        ok = ~sl_needed | (sl >= xl[idx] / 100.0 - _TOL)
        ok &= np.isnan(abl[idx]) | (pw * pabw <= abl[idx] / 100.0 + _TOL)
        if mean_u is not None:
            p_served = 1.0 - pw * pabw
            asa_val = pw * (1.0 - pabw) * mean_u * rl[idx] * aht[live][idx] / p_served
            ok &= np.isnan(asal[idx]) | (asa_val <= asal[idx] * (1.0 + _TOL))
        return ok

    sl_x = np.where(has_sl[live], xl, np.nan)
    guess = erlang_c_agents(al, aht[live], service_level_percent=sl_x, answer_within_seconds=np.where(
        has_sl[live], tl, np.nan), asa_seconds=asal).astype(float)
    guess = np.maximum(guess, lower)
    result[live] = _gallop_bisect(meets, lower, guess).astype(np.int64)
    return result.reshape(shape)


def _gallop_bisect(meets, lower: np.ndarray, guess: np.ndarray) -> np.ndarray:
    """Least integer ``n >= lower`` with ``meets(idx, n)`` true, for a predicate monotone in ``n``.

    ``lo`` always holds a value known to fail (or ``lower - 1``) and ``hi`` one known to pass.
    """
    size = lower.size
    lo = lower - 1.0
    hi = np.full(size, np.nan)
    idx_all = np.arange(size)
    ok = meets(idx_all, guess)
    hi[ok] = guess[ok]
    lo[~ok] = guess[~ok]
    # gallop up for failing cells
    idx = idx_all[~ok]
    step = np.ones(idx.size)
    while idx.size:
        cand = lo[idx] + step
        passed = meets(idx, cand)
        hi[idx[passed]] = cand[passed]
        lo[idx[~passed]] = cand[~passed]
        idx, step = idx[~passed], step[~passed] * 2.0
    # gallop down for passing cells
    idx = idx_all[ok & (guess > lower)]
    step = np.ones(idx.size)
    while idx.size:
        cand = np.maximum(hi[idx] - step, lower[idx])
        passed = meets(idx, cand)
        hi[idx[passed]] = cand[passed]
        lo[idx[~passed]] = cand[~passed]
        cont = passed & (cand > lower[idx])
        idx, step = idx[cont], step[cont] * 2.0
    # bisection
    idx = idx_all[hi - lo > 1.0]
    while idx.size:
        mid = np.floor(0.5 * (lo[idx] + hi[idx]))
        passed = meets(idx, mid)
        hi[idx[passed]] = mid[passed]
        lo[idx[~passed]] = mid[~passed]
        idx = idx[hi[idx] - lo[idx] > 1.0]
    return hi
