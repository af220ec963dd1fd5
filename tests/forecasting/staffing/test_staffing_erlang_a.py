"""Erlang A (M/M/n+M): closed forms against a birth-death chain solved in mpmath, and staffing."""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest

from forecasting.staffing import erlang_a_agents, erlang_a_metrics, erlang_c, service_level

pytestmark = pytest.mark.filterwarnings("error")


def _birth_death_reference(n, a, aht, patience, t, dps=40):
    """Independent reference: stationary birth-death chain + hypoexponential wait stages, 40 digits.

    An arrival that finds j callers queued waits through j + 1 stages with rates (n mu + m theta),
    m = j..0, while it may abandon at rate theta; answered within T iff all stages finish first and by T.
    """
    with mp.workdps(dps):
        r = mp.mpf(patience) / mp.mpf(aht)
        x, y, u = n * r, mp.mpf(a) * r, mp.mpf(t) / mp.mpf(patience)
        w = [mp.mpf(1)]
        for k in range(1, n + 1):
            w.append(w[-1] * a / k)
        q = [mp.mpf(1)]
        while len(q) < 5 or q[-1] > mp.mpf(10) ** (-dps + 5) * sum(q) or len(q) < y - x:
            q.append(q[-1] * y / (x + len(q)))
        total = sum(w[:n]) + w[n] * sum(q)
        p_wait = w[n] * sum(q) / total
        p_ab = p_within = e_wait_served = mp.mpf(0)
        for j, qj in enumerate(q):
            prob = w[n] * qj / total
            rates = [x + m for m in range(j + 1)]
            served = x / (x + j + 1)
            p_ab += prob * (1 - served)
            acc = mp.mpf(0)
            for i, li in enumerate(rates):
                coef = mp.fprod(lk / (lk - li) for k, lk in enumerate(rates) if k != i)
                acc += coef * li * (1 - mp.exp(-(li + 1) * u)) / (li + 1)
            p_within += prob * acc
            e_wait_served += prob * served * mp.fsum(1 / (x + m + 1) for m in range(j + 1))
        return (float(p_wait), float(p_ab), float(1 - p_wait + p_within),
                float(e_wait_served * patience / (1 - p_ab)))


@pytest.mark.parametrize(
    ("n", "a", "aht", "patience", "t"),
    [(3, 2.0, 180, 60, 20), (10, 10.0, 180, 120, 20), (14, 10.0, 180, 300, 20), (5, 8.0, 300, 60, 30),
     (1, 0.5, 100, 1000, 10), (20, 15.0, 240, 180, 60), (8, 12.0, 200, 30, 15)],
)
def test_metrics_match_birth_death_chain(n, a, aht, patience, t):
    """Tests that P(wait), P(abandon), SL and ASA equal the mpmath birth-death reference to 1e-9."""
    ref = _birth_death_reference(n, a, aht, patience, t)
    m = erlang_a_metrics(n, a, aht, patience, t)
    got = (m.wait_probability, m.abandon_probability, m.service_level, m.asa_seconds)
    for g, r in zip(got, ref, strict=True):
        assert float(g) == pytest.approx(r, rel=1e-9, abs=1e-12)


def test_published_gmr_style_value_n_below_load():
    """Tests that with patience n may be below a: a = 12, n = 10, finite wait/abandon, occupancy <= 1."""
    m = erlang_a_metrics(10, 12.0, 180, 90, 20)
    assert 0 < float(m.abandon_probability) < 1
    assert float(m.occupancy) == pytest.approx(12 * (1 - float(m.abandon_probability)) / 10)
    assert float(m.occupancy) <= 1


def test_long_patience_tends_to_erlang_c():
    """Tests that with a patience of 10^7 AHT Erlang A gives the Erlang C wait probability and SL."""
    m = erlang_a_metrics(14, 10.0, 180, 180e7, 20)
    assert float(m.wait_probability) == pytest.approx(float(erlang_c(14, 10.0)), rel=1e-5)
    assert float(m.service_level) == pytest.approx(float(service_level(14, 10.0, 180, 20)), rel=1e-5)


def test_zero_agents_and_zero_load_limits():
    """Tests that n = 0 means everyone abandons (SL 0, ASA inf) and zero load means perfect service."""
    m = erlang_a_metrics([0, 0, 4], [5.0, 0.0, 0.0], 180, 60, 20)
    assert m.abandon_probability.tolist() == [1.0, 0.0, 0.0]
    assert m.service_level.tolist() == [0.0, 1.0, 1.0]
    assert m.asa_seconds.tolist() == [math.inf, 0.0, 0.0]


def test_agents_are_least_meeting_each_target():
    """Tests that erlang_a_agents returns n meeting the targets where n - 1 does not (SL, abandon, ASA)."""
    rng = np.random.default_rng(7)
    a = rng.uniform(0.2, 300, 200)
    aht = rng.uniform(60, 600, 200)
    pat = rng.uniform(20, 900, 200)
    n = erlang_a_agents(a, aht, pat, service_level_percent=80, answer_within_seconds=20)
    ok = erlang_a_metrics(n, a, aht, pat, 20).service_level >= 0.8 - 1e-12
    below = erlang_a_metrics(np.maximum(n - 1, 0), a, aht, pat, 20).service_level < 0.8
    assert ok.all() and below.all()
    n_ab = erlang_a_agents(a, aht, pat, max_abandon_percent=5)
    assert (erlang_a_metrics(n_ab, a, aht, pat).abandon_probability <= 0.05 + 1e-12).all()
    assert (erlang_a_metrics(n_ab - 1, a, aht, pat).abandon_probability > 0.05).all()
    n_asa = erlang_a_agents(a, aht, pat, asa_seconds=30)
    assert (erlang_a_metrics(n_asa, a, aht, pat).asa_seconds <= 30 * (1 + 1e-12)).all()
    assert (erlang_a_metrics(n_asa - 1, a, aht, pat).asa_seconds > 30).all()
    both = erlang_a_agents(a, aht, pat, service_level_percent=80, answer_within_seconds=20,
                           max_abandon_percent=5)
    assert np.array_equal(both, np.maximum(n, n_ab))


def test_abandon_target_allows_fewer_agents_than_load():
    """Tests that a loose 30 % abandonment cap on a = 100 with short patience needs n < a."""
    n = int(erlang_a_agents(100.0, 300, 30, max_abandon_percent=30))
    assert n < 100
    assert float(erlang_a_metrics(n, 100.0, 300, 30).abandon_probability) <= 0.30


def test_extreme_loads_finite_and_warning_free():
    """Tests that Erlang A stays finite from tiny loads to 55,000 Erlangs, n far below and above a."""
    a = np.array([1e-6, 0.5, 50.0, 5_000.0, 55_000.0])
    for factor in (0.0, 0.5, 0.98, 1.0, 1.02, 1.5, 3.0):
        n = np.ceil(a * factor)
        for pat in (5.0, 600.0, 36_000.0):
            m = erlang_a_metrics(n, a, 10.0, pat, 20)
            for v in (m.wait_probability, m.abandon_probability, m.service_level, m.occupancy):
                assert np.all(np.isfinite(v)) and np.all((v >= 0) & (v <= 1))
            assert np.all(np.isfinite(m.asa_seconds[n > 0]))
    n = erlang_a_agents(a, 7200.0, 600.0, service_level_percent=80, answer_within_seconds=20)
    assert np.all(n >= 1)
