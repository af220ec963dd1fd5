"""Erlang C: exact hand-checkable values, a 10,000-cell grid against an independent reference, stability."""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest

from forecasting.staffing import (
    apply_shrinkage,
    average_speed_of_answer,
    erlang_b,
    erlang_c,
    erlang_c_agents,
    occupancy,
    offered_load,
    service_level,
)

pytestmark = pytest.mark.filterwarnings("error")


def test_textbook_example_fourteen_agents_and_twenty_with_shrinkage():
    """Tests that 100 calls/30 min, AHT 180 s, 80/20 needs 14 agents (SL 88.8 %) and 20 at 30 % shrinkage.

    Source: the standard worked example (Koole, "Call Center Optimization", 2013, ch. 5; also the
    callcentrehelper.com "Erlang C formula made simple" article): a = 10 Erlangs, 13 agents give 0.7956,
    14 agents 0.8883 (C = 0.1741), and 14 / (1 - 0.3) = 20; the 13-agent value is checked with mpmath.
    """
    a = offered_load(100, 180, 1800)
    assert a == pytest.approx(10.0)
    n = erlang_c_agents(a, 180, service_level_percent=80, answer_within_seconds=20)
    assert int(n) == 14
    assert float(service_level(14, a, 180, 20)) == pytest.approx(0.888, abs=0.001)
    assert float(service_level(13, a, 180, 20)) == pytest.approx(0.7956, abs=0.001)
    assert int(apply_shrinkage(n, 30)) == 20


def test_wait_probability_three_agents_two_erlangs_is_four_ninths():
    """Tests that C(3, 2) = 4/9 exactly (hand computation: B(3,2) = 4/19, C = 3B/(3 - 2(1-B)) = 4/9)."""
    assert float(erlang_b(3, 2)) == pytest.approx(4 / 19, rel=1e-14)
    assert float(erlang_c(3, 2)) == pytest.approx(4 / 9, rel=1e-14)
    assert float(average_speed_of_answer(3, 2, 60)) == pytest.approx(4 / 9 * 60 / 1, rel=1e-14)
    assert float(occupancy(3, 2)) == pytest.approx(2 / 3)


def test_single_server_is_mm1():
    """Tests that with one agent C = rho and SL = 1 - rho exp(-(1-rho) T/AHT) (M/M/1 closed form)."""
    rho = 0.6
    assert float(erlang_c(1, rho)) == pytest.approx(rho, rel=1e-14)
    expected = 1 - rho * math.exp(-(1 - rho) * 0.5)
    assert float(service_level(1, rho, 100, 50)) == pytest.approx(expected, rel=1e-14)


def test_unstable_and_zero_load_cells_report_limits_without_nan():
    """Tests that n <= a gives SL 0, C 1, ASA inf, occupancy 1; zero load gives SL 1, ASA 0, occupancy 0."""
    n = np.array([0, 5, 10, 0, 3])
    a = np.array([2.0, 5.0, 12.0, 0.0, 0.0])
    sl = service_level(n, a, 180, 20)
    assert sl.tolist() == [0.0, 0.0, 0.0, 1.0, 1.0]
    assert erlang_c(n, a).tolist() == [1.0, 1.0, 1.0, 0.0, 0.0]
    assert average_speed_of_answer(n, a, 180).tolist() == [math.inf, math.inf, math.inf, 0.0, 0.0]
    assert occupancy(n, a).tolist() == [1.0, 1.0, 1.0, 0.0, 0.0]


def test_zero_volume_gives_zero_agents():
    """Tests that cells with no contacts get 0 agents whatever the target."""
    n = erlang_c_agents([0.0, 0.0, 3.0], 300, service_level_percent=90, answer_within_seconds=10)
    assert n[0] == 0 and n[1] == 0 and n[2] > 3


def test_occupancy_and_asa_targets_take_the_strictest():
    """Tests that the answer is the max over the targets: occupancy 80 % of a = 10 needs n >= 12.5 -> 13."""
    a = 10.0
    only_occ = erlang_c_agents(a, 180, max_occupancy_percent=80)
    assert int(only_occ) == 13
    # occupancy target exactly hit: a = 8, o = 80 % -> 10 (float 8/0.8 = 10.000000000000002)
    assert int(erlang_c_agents(8.0, 180, max_occupancy_percent=80)) == 10
    asa_n = int(erlang_c_agents(a, 180, asa_seconds=15))
    assert average_speed_of_answer(asa_n, a, 180) <= 15 < average_speed_of_answer(asa_n - 1, a, 180)
    both = erlang_c_agents(a, 180, service_level_percent=80, answer_within_seconds=20,
                           max_occupancy_percent=65)
    assert int(both) == max(14, math.ceil(10 / 0.65))


def test_long_answer_time_minimum_is_just_above_load():
    """Tests that a 4-hour answer time needs only floor(a) + 1 agents (search does not overshoot)."""
    a = np.array([10.0, 999.5, 54_321.2])
    n = erlang_c_agents(a, 300, service_level_percent=95, answer_within_seconds=4 * 3600)
    assert n.tolist() == [11, 1000, 54_322]


def _reference_agents(a, aht, x, t, asa, occ):
    """Independent float reference: Erlang B recursion 1/B(n) = 1 + (n / a) / B(n-1) scanned from n = 1."""
    a = np.asarray(a, float)
    out = np.zeros(a.size, dtype=np.int64)
    inv_b = np.ones(a.size)
    active = np.flatnonzero(a > 0)
    n = 0
    occ_floor = np.where(np.isnan(occ), 0.0, a / np.where(np.isnan(occ), 1.0, occ / 100.0))
    while active.size:
        n += 1
        # cap far past the answer (B below 1e-250 is 0 for every target) so the recursion cannot overflow
        inv_b[active] = np.minimum(1.0 + inv_b[active] * n / a[active], 1e250)
        chk = active[(a[active] < n) & (n >= occ_floor[active] - 1e-9 * occ_floor[active])]
        if chk.size:
            b = 1.0 / inv_b[chk]
            c = n * b / (n - a[chk] * (1 - b))
            sl = 1 - c * np.exp(-(n - a[chk]) * t[chk] / aht[chk])
            asa_v = c * aht[chk] / (n - a[chk])
            ok = (np.isnan(x[chk]) | (sl >= x[chk] / 100 - 1e-12)) & (
                np.isnan(asa[chk]) | (asa_v <= asa[chk]))
            out[chk[ok]] = n
            active = np.setdiff1d(active, chk[ok], assume_unique=True)
    return out


def _mp_service_level(n, a, aht, t):
    """Erlang C service level in 40-digit arithmetic from the Poisson form B = pmf(n) / cdf(n)."""
    with mp.workdps(40):
        n = int(n)
        a = mp.mpf(a)
        pmf = mp.exp(n * mp.log(a) - a - mp.loggamma(n + 1))
        cdf = mp.gammainc(n + 1, a, mp.inf, regularized=True)
        b = pmf / cdf
        c = n * b / (n - a * (1 - b))
        return float(1 - c * mp.exp(-(n - a) * mp.mpf(t) / aht))


def test_ten_thousand_random_cells_match_independent_reference_exactly():
    """Tests that 10,000 seeded random cells (0-100,000 calls/h, AHT 10 s-2 h, T up to 4 h) have zero errors.

    Reference: the classic Erlang B recursion scanned from n = 1 (float, independent of the log-space
    code) for all cells, and 40-digit mpmath (Poisson form) at n and n - 1 for 300 of them.
    """
    rng = np.random.default_rng(20240603)
    size = 10_000
    per_hour = np.where(rng.random(size) < 0.05, 0.0, np.exp(rng.uniform(0, np.log(100_000), size)))
    aht = np.exp(rng.uniform(np.log(10), np.log(7200), size))
    interval = rng.choice([900.0, 1800.0, 3600.0], size)
    a = offered_load(per_hour * interval / 3600, aht, interval)
    t = rng.choice([0.0, 10.0, 20.0, 60.0, 1800.0, 14_400.0], size)
    x = rng.choice([50.0, 80.0, 90.0, 95.0, 99.0], size)
    asa = np.where(rng.random(size) < 0.2, rng.uniform(5, 120, size), np.nan)
    occ = np.where(rng.random(size) < 0.2, rng.uniform(70, 95, size), np.nan)
    got = erlang_c_agents(a, aht, service_level_percent=x, answer_within_seconds=t, asa_seconds=asa,
                          max_occupancy_percent=occ)
    ref = _reference_agents(a, aht, x, t, asa, occ)
    assert np.count_nonzero(got != ref) == 0
    assert a.max() > 40_000 and (t == 14_400).sum() > 1000
    sub = rng.choice(np.flatnonzero((a > 0) & np.isnan(asa) & np.isnan(occ)), 300, replace=False)
    for i in sub:
        n = int(got[i])
        assert _mp_service_level(n, a[i], aht[i], t[i]) >= x[i] / 100 - 1e-12
        if n - 1 > a[i]:
            assert _mp_service_level(n - 1, a[i], aht[i], t[i]) < x[i] / 100


def test_extreme_range_is_finite_and_warning_free():
    """Tests that 0-100,000 calls/h with AHT 10 s-2 h gives finite agents and metrics, no RuntimeWarning."""
    per_hour = np.array([0.0, 1e-6, 1.0, 50.0, 1e3, 1e4, 1e5])
    aht = np.array([10.0, 60.0, 600.0, 3600.0, 7200.0])
    ph, ah = np.meshgrid(per_hour, aht)
    a = offered_load(ph / 4, ah, 900)
    for t in (0.0, 20.0, 1800.0, 14_400.0):
        n = erlang_c_agents(a, ah, service_level_percent=90, answer_within_seconds=t)
        assert np.all(n >= np.where(a > 0, np.floor(a) + 1, 0))
        for m in (n, n + 3, np.maximum(n - 1, 0)):
            assert np.all(np.isfinite(erlang_c(m, a)))
            sl = service_level(m, a, ah, t)
            assert np.all((sl >= 0) & (sl <= 1))
        assert np.all(service_level(n, a, ah, t)[a > 0] >= 0.9 - 1e-12)
    assert a.max() == pytest.approx(1e5 * 7200 / 3600)
