"""Shrinkage: from productive agents to agents to schedule."""

from __future__ import annotations

import numpy as np

__all__ = ["apply_shrinkage"]


def apply_shrinkage(productive_agents, shrinkage_percent) -> np.ndarray:
    """Return ``ceil(productive / (1 - shrinkage))`` as int64, applied last, per cell.

    Parameters
    ----------
    productive_agents : array_like
        Agents needed on the queue (non-negative integers).
    shrinkage_percent : array_like
        Share of paid time not available for contacts (breaks, training, absence), in [0, 100); a scalar
        per queue or an array per interval.

    Returns
    -------
    ndarray of int64
        Agents to schedule. A relative slack of 1e-9 absorbs float noise, so 14 agents at 30 % shrinkage
        give ``14 / 0.7 = 20`` (not 21 from ``20.000000000000004``).
    """
    n = np.asarray(productive_agents, dtype=float)
    s = np.asarray(shrinkage_percent, dtype=float)
    if np.any(~((s >= 0) & (s < 100))):
        raise ValueError("shrinkage_percent must be in [0, 100)")
    if np.any(n < 0):
        raise ValueError("productive_agents must be >= 0")
    raw = n / (1.0 - s / 100.0)
    return np.ceil(raw * (1.0 - 1e-9)).astype(np.int64)
