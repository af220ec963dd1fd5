"""A small discrete-event simulation of M/M/n and M/M/n+M agrees with Erlang C / Erlang A service levels."""

from __future__ import annotations

import heapq

import numpy as np
import pytest

from forecasting.staffing import erlang_a_metrics, service_level

pytestmark = pytest.mark.filterwarnings("error")


def simulate_service_level(n, lam, aht, patience, t, arrivals, seed, batches=20):
    """FCFS M/M/n(+M) by the servers' next-free times; returns batch-mean SL and its 95 % half-width.

    Abandoning callers never take a server, so the offered wait of a caller is the time until the
    earliest server is free after all earlier *served* callers -- exact for FCFS with abandonment.
    """
    rng = np.random.default_rng(seed)
    gaps = rng.exponential(1 / lam, arrivals)
    services = rng.exponential(aht, arrivals)
    pats = rng.exponential(patience, arrivals) if patience else np.full(arrivals, np.inf)
    free = [0.0] * n
    clock = 0.0
    good = np.zeros(arrivals, dtype=bool)
    for i in range(arrivals):
        clock += gaps[i]
        first = free[0]
        wait = first - clock if first > clock else 0.0
        if wait <= pats[i]:
            heapq.heapreplace(free, clock + wait + services[i])
            good[i] = wait <= t
    warm = arrivals // 10
    per_batch = good[warm:].reshape(batches, -1).mean(axis=1)
    half = 2.093 * per_batch.std(ddof=1) / np.sqrt(batches)  # t(19) 97.5 %
    return per_batch.mean(), half


@pytest.mark.parametrize(
    ("n", "a", "aht", "patience", "t"),
    [(5, 4.0, 180.0, None, 20.0), (14, 10.0, 180.0, None, 20.0), (6, 6.0, 120.0, 90.0, 15.0),
     (12, 10.0, 300.0, 200.0, 30.0)],
)
def test_simulation_matches_formula_within_one_and_a_half_points(n, a, aht, patience, t):
    """Tests that the simulated SL is within 1.5 points of the formula and the 95 % CI covers it."""
    lam = a / aht
    sim, half = simulate_service_level(n, lam, aht, patience, t, arrivals=100_000, seed=n)
    if patience is None:
        exact = float(service_level(n, a, aht, t))
    else:
        exact = float(erlang_a_metrics(n, a, aht, patience, t).service_level)
    assert abs(sim - exact) < 0.015
    assert abs(sim - exact) < max(half, 0.002) * 1.5
