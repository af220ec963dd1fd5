"""Erlang C and Erlang A against reality: the Anonymous Bank call logs (Israel, January-June 1999).

Run: .venv/bin/python benchmarks/staffing/bench_reality.py
Data: /work/shared/data/anonymous_bank/raw/*.txt.gz (see PROVENANCE.md there).

Per (date, hour) over all call types together (the agents form one pool):
* arrivals = calls that asked for an agent (queued or served; PHANTOM records dropped);
* AHT = mean ser_time of served calls;
* agents on duty = distinct agent names who started serving a call in that hour;
* patience (one value for the whole data, and per hour of day) = total time in queue of all queued calls
  (served and abandoned) / number of abandonments -- the MLE of an exponential patience with censoring;
* observed service level = served with wait <= 20 s / arrivals; observed abandonment = abandoned / arrivals.
Predictions with Erlang C (abandonment 0) and Erlang A at the observed agents, load and AHT. Hours with
at least 30 arrivals and 2 agents, Sunday-Thursday 08:00-22:00 (the documented full-service hours).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.staffing import erlang_a_metrics, offered_load, service_level

DATA = Path("/work/shared/data/anonymous_bank/raw")


def _seconds(col: pd.Series) -> np.ndarray:
    parts = col.str.strip().str.split(":", expand=True).astype(int)
    return (parts[0] * 3600 + parts[1] * 60 + parts[2]).to_numpy()


def load_calls() -> pd.DataFrame:
    frames = []
    for path in sorted(DATA.glob("*.txt.gz")):
        df = pd.read_csv(path, sep="\t", dtype=str, on_bad_lines="skip")
        frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    df = df[df["outcome"].str.strip() != "PHANTOM"].copy()
    df["outcome"] = df["outcome"].str.strip()
    q_start = _seconds(df["q_start"])
    df["queued"] = q_start != 0
    df["served"] = df["outcome"] == "AGENT"
    df = df[df["queued"] | df["served"]].copy()
    df["wait"] = df["q_time"].astype(float)
    df["ser_time"] = df["ser_time"].astype(float)
    df["date"] = pd.to_datetime("19" + df["date"].str.strip(), format="%Y%m%d")
    entry = np.where(df["queued"], _seconds(df["q_start"]), _seconds(df["vru_exit"]))
    df["hour"] = entry // 3600
    df["ser_hour"] = _seconds(df["ser_start"]) // 3600
    df["abandoned"] = (df["outcome"] == "HANG") & df["queued"]
    df["server"] = df["server"].str.strip()
    return df


def main() -> None:
    df = load_calls()
    queued = df[df["queued"]]
    patience_all = queued["wait"].sum() / df["abandoned"].sum()
    pat_by_hour = queued.groupby("hour")["wait"].sum() / df[df["abandoned"]].groupby("hour").size()
    g = df.groupby(["date", "hour"])
    hourly = pd.DataFrame({
        "arrivals": g.size(),
        "served": g["served"].sum(),
        "within20": g.apply(lambda x: ((x["served"]) & (x["wait"] <= 20)).sum(), include_groups=False),
        "abandoned": g["abandoned"].sum(),
        "aht": df[df["served"] & (df["ser_time"] > 0)].groupby(["date", "hour"])["ser_time"].mean(),
    })
    real = df[df["served"] & (df["server"] != "NO_SERVER")]
    hourly["agents"] = real.groupby(["date", "ser_hour"])["server"].nunique().rename_axis(["date", "hour"])
    # presence: per agent and hour, first service start to last service end inside the hour
    st = _seconds(real["ser_start"]).astype(float)
    en = st + real["ser_time"].to_numpy()
    hr = real["ser_hour"].to_numpy()
    lo = np.maximum(st, hr * 3600.0)
    hi = np.minimum(en, (hr + 1) * 3600.0)
    pres = pd.DataFrame({"date": real["date"].to_numpy(), "hour": hr, "server": real["server"].to_numpy(),
                         "lo": lo, "hi": hi}).groupby(["date", "hour", "server"]).agg(lo=("lo", "min"),
                                                                                       hi=("hi", "max"))
    span = (pres["hi"] - pres["lo"]).clip(lower=0) / 3600
    hourly["present_agents"] = span.groupby(["date", "hour"]).sum()
    busy = real.groupby(["date", "ser_hour"])["ser_time"].sum().rename_axis(["date", "hour"]) / 3600
    hourly["busy_agents"] = busy
    hourly = hourly.reset_index()
    wd = hourly["date"].dt.day_of_week  # Monday = 0 ... Sunday = 6
    keep = (
        wd.isin([6, 0, 1, 2, 3]) & hourly["hour"].between(8, 21) & (hourly["arrivals"] >= 30)
        & (hourly["agents"] >= 2) & hourly["aht"].notna()
    )
    h = hourly[keep].copy()
    h["patience_hour"] = h["hour"].map(pat_by_hour)
    a = offered_load(h["arrivals"].to_numpy(float), h["aht"].to_numpy(), 3600)
    n = h["agents"].to_numpy(float)
    obs_sl = (h["within20"] / h["arrivals"]).to_numpy()
    obs_ab = (h["abandoned"] / h["arrivals"]).to_numpy()
    w = h["arrivals"].to_numpy(float)
    n_pres = np.maximum(np.round(h["present_agents"].to_numpy()), 1.0)
    preds = {}
    for tag, agents in (("distinct", n), ("present", n_pres)):
        sl_c = service_level(agents, a, h["aht"].to_numpy(), 20.0)
        preds[f"Erlang C, agents {tag}"] = (sl_c, np.zeros(len(h)))
        for label, pat in (("pooled pat.", np.full(len(h), patience_all)),
                           ("pat. by hour", h["patience_hour"].to_numpy())):
            m = erlang_a_metrics(agents, a, h["aht"].to_numpy(), pat, 20.0)
            preds[f"Erlang A, agents {tag}, {label}"] = (m.service_level, m.abandon_probability)
    # same models with agents estimated as busy time / 3600 / 0.9 (a lower, 'available' head-count)
    print(f"hours compared: {len(h)} ({int(w.sum())} calls); pooled patience {patience_all:.0f} s; "
          f"mean AHT {np.average(h['aht'], weights=w):.0f} s; mean agents on duty {n.mean():.1f}; "
          f"mean offered load {a.mean():.1f} Erl; mean agents present (time-weighted) {n_pres.mean():.1f}")
    print(f"observed: SL(20 s) {100 * np.average(obs_sl, weights=w):.1f} %, abandonment "
          f"{100 * np.average(obs_ab, weights=w):.1f} % (call-weighted)")
    print()
    header = (f"{'model':<44}{'SL MAE':>8}{'SL bias':>9}{'SL wMAE':>9}{'SL wbias':>9}"
              f"{'Ab MAE':>8}{'Ab bias':>9}{'Ab wMAE':>9}{'Ab wbias':>9}")
    print(header + "   (points; w = weighted by calls; bias = predicted - observed)")
    for label, (sl, ab) in preds.items():
        e_sl = 100 * (sl - obs_sl)
        e_ab = 100 * (ab - obs_ab)
        print(f"{label:<44}{np.mean(np.abs(e_sl)):>8.1f}{np.mean(e_sl):>9.1f}"
              f"{np.average(np.abs(e_sl), weights=w):>9.1f}{np.average(e_sl, weights=w):>9.1f}"
              f"{np.mean(np.abs(e_ab)):>8.1f}{np.mean(e_ab):>9.1f}"
              f"{np.average(np.abs(e_ab), weights=w):>9.1f}{np.average(e_ab, weights=w):>9.1f}")
    unstable = int(np.sum(n <= a))
    print(f"\nhours with agents on duty <= offered load (Erlang C predicts SL 0): {unstable} of {len(h)}")
    util = (h["busy_agents"] / n).to_numpy()
    print(f"busy time / agents on duty: mean {util.mean():.2f}"
          " (share of the counted agents' hour spent serving)")


if __name__ == "__main__":
    main()
