"""A small discrete-event simulation of M/M/n and M/M/n+M agrees with Erlang C / Erlang A service levels."""

from __future__ import annotations

import pytest

from forecasting.staffing import erlang_a_metrics, service_level
from forecasting.staffing.simulation import simulate_queue

pytestmark = pytest.mark.filterwarnings("error")


@pytest.mark.parametrize(
    ("n", "a", "aht", "patience", "t"),
    [(5, 4.0, 180.0, None, 20.0), (14, 10.0, 180.0, None, 20.0), (6, 6.0, 120.0, 90.0, 15.0),
     (12, 10.0, 300.0, 200.0, 30.0)],
)
def test_simulation_matches_formula_within_one_and_a_half_points(n, a, aht, patience, t):
    """Tests that the simulated SL is within 1.5 points of the formula and the 95 % CI covers it."""
    lam = a / aht
    result = simulate_queue(n, lam, aht, patience, t, arrivals=100_000, seed=n)
    sim, half = result.service_level, result.service_level_half_width
    if patience is None:
        exact = float(service_level(n, a, aht, t))
    else:
        exact = float(erlang_a_metrics(n, a, aht, patience, t).service_level)
    assert abs(sim - exact) < 0.015
    assert abs(sim - exact) < max(half, 0.002) * 1.5
