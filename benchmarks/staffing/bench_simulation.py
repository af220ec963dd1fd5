"""Discrete-event simulation check of the Erlang C and Erlang A service level (and Erlang A abandonment).

Run: .venv/bin/python benchmarks/staffing/bench_simulation.py
Hand-written FCFS event loop (next-free times of the n agents in a heap; a caller whose patience is
shorter than the offered wait abandons and never takes an agent -- exact for FCFS M/M/n+M). 24 cases,
4,000,000 arrivals each, first 10 % dropped as warm-up, 95 % CI from 20 batch means (t(19) = 2.093).
"""

from __future__ import annotations

import time
from dataclasses import astuple

from forecasting.staffing import erlang_a_metrics, service_level
from forecasting.staffing.simulation import simulate_queue

CASES = [
    # n, a, aht, patience (None = Erlang C), T
    (2, 1.2, 180, None, 20), (5, 4.0, 180, None, 20), (14, 10.0, 180, None, 20), (14, 10.0, 180, None, 60),
    (30, 25.0, 300, None, 20), (60, 52.0, 240, None, 30), (8, 7.5, 120, None, 10), (20, 15.0, 600, None, 120),
    (100, 92.0, 200, None, 20), (12, 11.5, 60, None, 1800), (3, 1.0, 400, None, 0), (45, 40.0, 180, None, 15),
    (5, 4.0, 180, 120, 20), (10, 10.0, 180, 120, 20), (8, 12.0, 200, 30, 15), (14, 10.0, 180, 300, 20),
    (20, 25.0, 300, 180, 30), (40, 38.0, 240, 600, 20), (6, 6.0, 120, 90, 15), (12, 10.0, 300, 200, 30),
    (60, 70.0, 180, 60, 20), (3, 2.0, 180, 60, 20), (100, 95.0, 200, 400, 20), (25, 20.0, 600, 1200, 60),
]


def main() -> None:
    t0 = time.perf_counter()
    print(f"{'n':>4}{'a':>7}{'aht':>6}{'pat':>6}{'T':>6} | {'formula SL':>10}{'sim SL':>9}"
          f"{'+-95%':>7}{'diff':>7}"
          f" | {'formula Ab':>10}{'sim Ab':>9}{'+-95%':>7}  ok")
    worst = 0.0
    covered = 0
    for k, (n, a, aht, pat, t) in enumerate(CASES):
        lam = a / aht
        sl_sim, sl_h, ab_sim, ab_h = astuple(simulate_queue(n, lam, aht, pat, t, 4_000_000, seed=1000 + k))
        if pat is None:
            sl_f, ab_f = float(service_level(n, a, aht, t)), 0.0
        else:
            m = erlang_a_metrics(n, a, aht, pat, t)
            sl_f, ab_f = float(m.service_level), float(m.abandon_probability)
        diff = 100 * (sl_sim - sl_f)
        worst = max(worst, abs(diff) + 100 * sl_h)
        inside = abs(sl_sim - sl_f) <= sl_h
        covered += inside
        ok = abs(diff) + 100 * sl_h <= 1.5
        print(f"{n:>4}{a:>7.1f}{aht:>6}{(pat or '-'):>6}{t:>6} | {100 * sl_f:>10.2f}{100 * sl_sim:>9.2f}"
              f"{100 * sl_h:>7.2f}{diff:>7.2f} | {100 * ab_f:>10.2f}{100 * ab_sim:>9.2f}{100 * ab_h:>7.2f}"
              f"  {'yes' if ok else 'NO'}")
    print(f"\n{len(CASES)} cases; worst |sim - formula| + CI half-width = {worst:.2f} points (bar: 1.5);"
          f" formula inside the 95 % CI in {covered} of {len(CASES)} cases; {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
