"""A discrete-event simulation of one M/M/n (+M) queue, to check the Erlang formulas.

Used by the tests and the benchmark only, never by the staffing path. FCFS by the agents' next-free
times in a heap: a caller whose patience is shorter than the offered wait abandons and never takes an
agent, which is exact for FCFS M/M/n+M. The first 10 % of arrivals are warm-up; confidence half-widths
come from 20 batch means (Student t with 19 degrees of freedom).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np

T_975_19 = 2.093  # Student t, 97.5 % quantile, 19 degrees of freedom


@dataclass(frozen=True)
class SimulationResult:
    """Simulated service level and abandonment, each with its 95 % confidence half-width."""

    service_level: float
    service_level_half_width: float
    abandon_rate: float
    abandon_rate_half_width: float


def simulate_queue(agents: int, arrival_rate: float, aht_seconds: float, patience_seconds: float | None,
                   answer_within_seconds: float, arrivals: int, seed: int, batches: int = 20) -> SimulationResult:
    """Simulate ``arrivals`` callers and return the share answered within the threshold and abandoning.

    Parameters
    ----------
    agents : int
        Agents ``n``.
    arrival_rate : float
        Arrivals per second.
    aht_seconds : float
        Mean (exponential) handle time.
    patience_seconds : float or None
        Mean (exponential) patience; None for no abandonment (Erlang C).
    answer_within_seconds : float
        Service-level threshold ``T``.
    arrivals : int
        Callers simulated; ``arrivals - arrivals // 10`` must be divisible by ``batches``.
    seed : int
        Random seed.
    batches : int
        Batches for the confidence intervals.

    Returns
    -------
    SimulationResult
        Share of all callers answered within ``T`` and share abandoning, with 95 % half-widths.
    """
    rng = np.random.default_rng(seed)
    gaps = rng.exponential(1 / arrival_rate, arrivals)
    services = rng.exponential(aht_seconds, arrivals)
    patience = rng.exponential(patience_seconds, arrivals) if patience_seconds else np.full(arrivals, np.inf)
    free = [0.0] * agents
    clock = 0.0
    answered_in_time = np.zeros(arrivals, dtype=bool)
    abandoned = np.zeros(arrivals, dtype=bool)
    for i in range(arrivals):
        clock += gaps[i]
        wait = max(free[0] - clock, 0.0)
        if wait <= patience[i]:
            heapq.heapreplace(free, clock + wait + services[i])
            answered_in_time[i] = wait <= answer_within_seconds
        else:
            abandoned[i] = True
    warm = arrivals // 10

    def mean_and_half(flags: np.ndarray) -> tuple[float, float]:
        per_batch = flags[warm:].reshape(batches, -1).mean(axis=1)
        return float(per_batch.mean()), float(T_975_19 * per_batch.std(ddof=1) / np.sqrt(batches))

    return SimulationResult(*mean_and_half(answered_in_time), *mean_and_half(abandoned))
