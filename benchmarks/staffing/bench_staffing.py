"""Speed benchmark for the staffing math, side by side with pyworkforce's ErlangC.

Run: .venv/bin/python benchmarks/staffing/bench_staffing.py   (needs the bench extra: pyworkforce)

1. requirements_frame on a 4-week, 15-minute grid x 24 queues (64,512 cells; 16 phone + 8 chat queues,
   Erlang C, 80 % in 20 s / 60 s, 30 % shrinkage), best of 7 runs.
2. 3,360 cells (7 days x 24 hours x 20 queues, 5-2,000 contacts per hour, AHT 3-12 min, 80 % in 20 s,
   30 % shrinkage, seeded): ours vs pyworkforce.queuing.ErlangC, and both against an independent exact
   reference (Erlang B recursion scanned from n = 1).
"""

from __future__ import annotations

import math
import time

import numpy as np
import pandas as pd

from forecasting.staffing import (
    QueueStaffingSpec,
    apply_shrinkage,
    erlang_c_agents,
    offered_load,
    requirements_frame,
    service_level,
)


def best_of(fn, repeats=7):
    best = math.inf
    out = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def big_frame(seed=1):
    rng = np.random.default_rng(seed)
    idx = pd.date_range("2026-01-05", periods=4 * 7 * 96, freq="15min", tz="UTC")
    hour = idx.hour.to_numpy() + idx.minute.to_numpy() / 60
    shape = np.clip(np.sin((hour - 6) / 14 * np.pi), 0.02, None)
    frames, specs = [], {}
    for q in range(24):
        ch = "phone" if q < 16 else "chat"
        lang = f"l{q:02d}"
        peak = rng.uniform(20, 600)
        frames.append(pd.DataFrame({
            "interval_start": idx, "language": lang, "channel": ch,
            "contacts": rng.poisson(peak * shape).astype(float),
            "aht_seconds": rng.uniform(180, 720, idx.size),
        }))
        specs[(lang, ch)] = (QueueStaffingSpec("phone", 80, 20, shrinkage_percent=30) if ch == "phone" else
                             QueueStaffingSpec("chat", 80, 60, concurrency=2, concurrency_serial_share=0.4,
                                               shrinkage_percent=30))
    return pd.concat(frames, ignore_index=True), specs


def reference_agents(a, aht, x, t):
    """Independent exact reference: 1/B(n) = 1 + (n/a)/B(n-1) scanned from n = 1 (vectorised)."""
    out = np.zeros(a.size, dtype=np.int64)
    inv_b = np.ones(a.size)
    active = np.flatnonzero(a > 0)
    n = 0
    while active.size:
        n += 1
        inv_b[active] = np.minimum(1.0 + inv_b[active] * n / a[active], 1e250)
        chk = active[a[active] < n]
        b = 1.0 / inv_b[chk]
        c = n * b / (n - a[chk] * (1 - b))
        ok = 1 - c * np.exp(-(n - a[chk]) * t / aht[chk]) >= x
        out[chk[ok]] = n
        active = np.setdiff1d(active, chk[ok], assume_unique=True)
    return out


def main() -> None:
    rows = []
    frame, specs = big_frame()
    t_frame, res = best_of(lambda: requirements_frame(frame, specs, 15))
    rows.append(("requirements_frame, 64,512 cells (4 wk x 15 min x 24 queues)", t_frame, "< 0.3 s"))
    a_big = offered_load(frame["contacts"].to_numpy(), frame["aht_seconds"].to_numpy(), 900)
    t_core, _ = best_of(lambda: erlang_c_agents(a_big, frame["aht_seconds"].to_numpy(),
                                                service_level_percent=80, answer_within_seconds=20))
    rows.append(("erlang_c_agents only, same 64,512 cells", t_core, ""))

    rng = np.random.default_rng(42)
    cells = 7 * 24 * 20
    per_hour = rng.uniform(5, 2000, cells).round()
    aht_min = rng.uniform(3, 12, cells)
    aht_s = aht_min * 60
    a = offered_load(per_hour, aht_s, 3600)

    def ours():
        n = erlang_c_agents(a, aht_s, service_level_percent=80, answer_within_seconds=20)
        return n, apply_shrinkage(n, 30)

    t_ours, (raw_ours, pos_ours) = best_of(ours)
    ref = reference_agents(a, aht_s, 0.8, 20.0)
    ref_pos = np.array([math.ceil(v / 0.7 - 1e-9) for v in ref])
    try:
        import pyworkforce.queuing as pwq

        erlang_c_cls = pwq.ErlangC
    except ImportError:  # pragma: no cover
        erlang_c_cls = None
    if erlang_c_cls is not None:
        def theirs():
            raw, pos = [], []
            for i in range(cells):
                r = erlang_c_cls(transactions=per_hour[i], aht=aht_min[i], asa=20 / 60, interval=60,
                            shrinkage=0.3).required_positions(service_level=0.8, max_occupancy=1.0)
                raw.append(r["raw_positions"])
                pos.append(r["positions"])
            return np.array(raw), np.array(pos)

        t_theirs, (raw_th, pos_th) = best_of(theirs, repeats=3)
    rows.append(("ours: erlang_c_agents + shrinkage, 3,360 cells", t_ours, ""))
    print(f"{'benchmark':<66}{'best s':>10}  target")
    for name, secs, target in rows:
        print(f"{name:<66}{secs:>10.4f}  {target}")
    if erlang_c_cls is not None:
        print(f"{'pyworkforce ErlangC.required_positions, 3,360 cells':<66}{t_theirs:>10.4f}")
        print(f"{'speed ratio pyworkforce / ours':<66}{t_theirs / t_ours:>10.1f}x  >= 20x")
    print()
    print(f"ours vs exact reference (productive agents): {int(np.sum(raw_ours != ref))} of {cells} differ")
    n_diff = int(np.sum(pos_ours != ref_pos))
    print(f"ours vs exact reference (after 30 % shrinkage): {n_diff} of {cells} differ")
    if erlang_c_cls is not None:
        d_raw = raw_th != ref
        print(f"pyworkforce vs exact reference (raw_positions): {int(d_raw.sum())} of {cells} differ"
              f" (over by {sorted(set((raw_th - ref)[d_raw].tolist()))})")
        if d_raw.any():
            i = np.flatnonzero(d_raw)
            start = np.round(a[i] + 1)
            overshoot = (start > ref[i]).sum()
            print(f"  of which its first guess round(a + 1) is already above the least n: {int(overshoot)}")
            j = i[0]
            sl_j = float(service_level(ref[j], a[j], aht_s[j], 20))
            print(f"  e.g. a = {a[j]:.3f}: n = {ref[j]} gives SL {sl_j:.4f}"
                  f" >= 0.8, pyworkforce returns {raw_th[j]}")
        d_pos = pos_th != ref_pos
        same_raw = ~d_raw
        print(f"pyworkforce vs exact reference (positions after shrinkage): {int(d_pos.sum())} differ,"
              f" {int((d_pos & same_raw).sum())} of them with the right raw count")
        if d_pos.any():
            k = int(np.flatnonzero(d_pos)[0])
            print(f"  cause: ceil of float noise, e.g. raw {ref[k]}: {ref[k]} / (1 - 0.3) ="
                  f" {float(ref[k] / (1 - 0.3))!r}"
                  f" -> pyworkforce {pos_th[k]}, exact {ref_pos[k]}")
        agree = same_raw & (raw_th == raw_ours)
        print(f"same productive agents as pyworkforce wherever pyworkforce is right: "
              f"{bool(np.all(raw_ours[same_raw] == raw_th[same_raw]))} ({int(agree.sum())} cells)")
    print()
    print("frame result check: min SL over staffed phone cells =",
          f"{res.loc[(res['channel'] == 'phone') & (res['contacts'] > 0), 'service_level'].min():.4f}")


if __name__ == "__main__":
    main()
