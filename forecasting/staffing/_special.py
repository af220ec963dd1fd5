"""Log-space special functions used by the Erlang formulas (internal).

Everything here works on numpy arrays of cells and never forms a factorial. The two building blocks are

* ``log_poisson_cdf(k, a)`` = log P(Poisson(a) <= k) = log Q(k + 1, a), and
* ``log_gammainc_p(s, z)`` = log P(s, z), the regularised *lower* incomplete gamma function,

both of which underflow in double precision far in their tails (for example the Poisson cdf at k = 40,000
for a = 55,000). There ``scipy.special`` returns 0 and the log would be -inf, so we switch to the
factored form ``term * series`` where ``term`` is the largest summand (computed with ``gammaln``) and the
series is a convergent sum of ratios <= 1, evaluated in a vectorised loop. The switch happens only where
the direct value would be smaller than ``exp(-_SWITCH)``, i.e. far enough in the tail for the series to
converge geometrically.
"""

from __future__ import annotations

import numpy as np
from scipy import special

_SWITCH = 500.0  # |log| beyond which the direct scipy value is replaced by the factored series
_SERIES_RTOL = 1e-17
_SERIES_MAX_TERMS = 2_000_000


def log_poisson_pmf(k: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Return log P(Poisson(a) = k) for integer-valued ``k >= 0`` and ``a > 0``."""
    return k * np.log(a) - a - special.gammaln(k + 1.0)


def _ratio_series(first_ratio: np.ndarray, next_ratio) -> np.ndarray:
    """Sum 1 + r1 + r1 r2 + ... where ``next_ratio(j)`` gives the j-th ratio array (all ratios < 1).

    Terms are accumulated until every cell's term is below ``_SERIES_RTOL`` of its running sum, or the
    ratio becomes 0 (finite sums).
    """
    total = np.ones_like(first_ratio)
    term = first_ratio.copy()
    idx = np.arange(first_ratio.size)
    j = 1
    while idx.size:
        total[idx] += term
        j += 1
        term = term * next_ratio(j, idx)
        keep = term > _SERIES_RTOL * total[idx]
        if not keep.all():
            idx = idx[keep]
            term = term[keep]
        if j > _SERIES_MAX_TERMS:  # pragma: no cover - guarded by the switch threshold
            raise RuntimeError("series did not converge")
    return total


def log_poisson_cdf(k: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Return log P(Poisson(a) <= k), robust far in the left tail.

    Parameters
    ----------
    k : ndarray
        Integer-valued counts (float dtype allowed); ``k < 0`` gives ``-inf``.
    a : ndarray
        Poisson means, ``a > 0``.

    Returns
    -------
    ndarray
        The log cdf, finite for every ``k >= 0``.
    """
    k, a = np.broadcast_arrays(np.asarray(k, dtype=float), np.asarray(a, dtype=float))
    out = np.full(k.shape, -np.inf)
    valid = k >= 0
    if not valid.any():
        return out
    kv, av = k[valid], a[valid]
    lpmf = log_poisson_pmf(kv, av)
    tail = (kv < av) & (lpmf < -_SWITCH)
    res = np.empty_like(kv)
    direct = ~tail
    if direct.any():
        res[direct] = np.log(special.pdtr(kv[direct], av[direct]))
    if tail.any():
        kt, at = kv[tail], av[tail]
        # cdf = pmf(k) * sum_{j=0..k} prod_{i<j} (k - i)/a ; ratios (k-i)/a < 1, zero once i > k
        series = _ratio_series(kt / at, lambda j, idx: np.maximum(kt[idx] - (j - 1), 0.0) / at[idx])
        res[tail] = lpmf[tail] + np.log(series)
    out[valid] = res
    return out


def log_gammainc_p(s: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Return log P(s, z), the log regularised lower incomplete gamma function.

    Parameters
    ----------
    s : ndarray
        Shape parameters, ``s > 0``.
    z : ndarray
        Arguments, ``z >= 0``; ``z = 0`` gives ``-inf``.

    Returns
    -------
    ndarray
        ``log(gammainc(s, z))``, finite (no underflow) for every ``z > 0``.

    Notes
    -----
    ``P(s, z) = z**s e**-z / Gamma(s + 1) * M(1, s + 1, z)`` with the Kummer series
    ``M(1, s + 1, z) = sum_j z**j / ((s + 1) ... (s + j))``, used where ``z < s`` and P would underflow.
    """
    s, z = np.broadcast_arrays(np.asarray(s, dtype=float), np.asarray(z, dtype=float))
    out = np.full(s.shape, -np.inf)
    pos = z > 0
    if not pos.any():
        return out
    sv, zv = s[pos], z[pos]
    lead = sv * np.log(zv) - zv - special.gammaln(sv + 1.0)
    tail = (zv < sv) & (lead < -_SWITCH)
    res = np.empty_like(sv)
    direct = ~tail
    if direct.any():
        res[direct] = np.log(special.gammainc(sv[direct], zv[direct]))
    if tail.any():
        st, zt = sv[tail], zv[tail]
        series = _ratio_series(zt / (st + 1.0), lambda j, idx: zt[idx] / (st[idx] + j))
        res[tail] = lead[tail] + np.log(series)
    out[pos] = res
    return out


def log_gammainc_lead(s: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Return ``log(z**s e**-z / Gamma(s + 1))`` (the leading term of P(s, z)); ``-inf`` at ``z = 0``."""
    s, z = np.broadcast_arrays(np.asarray(s, dtype=float), np.asarray(z, dtype=float))
    out = np.full(s.shape, -np.inf)
    pos = z > 0
    out[pos] = s[pos] * np.log(z[pos]) - z[pos] - special.gammaln(s[pos] + 1.0)
    return out
