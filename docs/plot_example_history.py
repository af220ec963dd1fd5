"""Plot the bundled example's history into ``docs/example_history.png``.

Run from the repository root: ``python docs/plot_example_history.py``. Four panels:

1. mean contacts per hour of the week (UTC) per language, last 13 weeks of history;
2. the same per channel, all languages together;
3. daily contacts of the whole desk over the full history, with the market-volatility surges
   marked (listed in events.csv or not) and the bull run shaded;
4. daily contacts of zh, ko and vi, showing the Lunar New Year dips.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from inputs.example_generator import (  # noqa: E402
    BULL_RUN_CENTRE,
    CHANNELS,
    LANGUAGES,
    LUNAR_NEW_YEAR,
    build_events,
)

PLAN_DIR = ROOT / "inputs" / "example_plan"
OUT_FILE = ROOT / "docs" / "example_history.png"
RECENT_WEEKS = 13
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
LANGUAGE_COLOURS = {"en": "tab:blue", "zh": "tab:red", "ko": "tab:purple", "es": "tab:orange",
                    "tr": "tab:green", "vi": "tab:brown"}
CHANNEL_COLOURS = {"chat": "tab:blue", "phone": "tab:red", "email": "tab:gray", "social": "tab:cyan"}


def hour_of_week_means(history: pd.DataFrame, by: str) -> pd.DataFrame:
    """Return mean contacts per UTC hour of the week (rows) and value of ``by`` (columns).

    Parameters
    ----------
    history : pandas.DataFrame
        The history table (start, language, channel, contacts, aht_seconds).
    by : str
        ``"language"`` or ``"channel"``.

    Returns
    -------
    pandas.DataFrame
        168 rows (Monday 00:00 UTC first).
    """
    start = history["start"]
    hour_of_week = start.dt.day_of_week * 24 + start.dt.hour
    week = (start - start.min()).dt.days // 7
    summed = history.assign(how=hour_of_week, week=week).groupby(["week", "how", by])["contacts"].sum()
    return summed.groupby(["how", by]).mean().unstack(by)


def plot(plan_dir: Path = PLAN_DIR, out_file: Path = OUT_FILE) -> Path:
    """Draw the figure and save it.

    Parameters
    ----------
    plan_dir : Path
        Folder of the example plan.
    out_file : Path
        PNG to write.

    Returns
    -------
    Path
        ``out_file``.
    """
    history = pd.read_parquet(plan_dir / "history.parquet")
    last = history["start"].max()
    recent = history[history["start"] > last - pd.Timedelta(weeks=RECENT_WEEKS)]
    fig, axes = plt.subplots(4, 1, figsize=(13, 15), constrained_layout=True)

    for ax, by, colours in ((axes[0], "language", LANGUAGE_COLOURS), (axes[1], "channel", CHANNEL_COLOURS)):
        means = hour_of_week_means(recent, by)
        for name in (LANGUAGES if by == "language" else CHANNELS):
            ax.plot(means.index, means[name], color=colours[name], label=name, lw=1.4)
        ax.set_xticks(range(0, 169, 24), [*DAY_NAMES, ""], ha="left")
        ax.set_xticks(range(0, 168, 6), minor=True)
        ax.set_xlim(0, 168)
        ax.grid(True, which="major", alpha=0.4)
        ax.set_ylabel("contacts per hour (mean)")
        ax.legend(ncols=6, loc="upper right", fontsize=9)
        note = ("each language peaks on its own market clock" if by == "language"
                else "chat biggest, then email; email and social flatter")
        ax.set_title(f"Hour of the week (UTC) by {by}, all {'channels' if by == 'language' else 'languages'}, "
                     f"last {RECENT_WEEKS} weeks of history: {note}")

    daily = history.set_index("start").groupby([pd.Grouper(freq="D"), "language"])["contacts"].sum().unstack()
    total = daily.sum(axis=1)
    ax = axes[2]
    ax.plot(total.index, total, color="black", lw=0.8, label="all queues")
    ax.plot(total.index, total.rolling(28, center=True).mean(), color="tab:blue", lw=2, label="28-day mean")
    ax.axvspan(BULL_RUN_CENTRE - pd.Timedelta(days=14), BULL_RUN_CENTRE + pd.Timedelta(days=14), color="gold",
               alpha=0.25, label="bull run starts")
    events = [e for e in build_events() if e.kind == "market_event" and e.start <= last]
    top = float(total.max())
    for event in events:
        day = event.start.floor("D")
        marker, colour = ("v", "tab:green") if event.listed else ("X", "tab:red")
        ax.plot(day, top * 1.06, marker=marker, color=colour, ms=8, ls="none")
    ax.plot([], [], "v", color="tab:green", label="surge listed in events.csv")
    ax.plot([], [], "X", color="tab:red", label="surge not listed")
    ax.set_ylim(0, top * 1.12)
    ax.set_ylabel("contacts per day")
    ax.set_title("Daily contacts, whole desk: growth, the late-2025 bull run, holidays and volatility surges")
    ax.legend(ncols=3, loc="lower right", fontsize=9)

    ax = axes[3]
    for lang in ("zh", "ko", "vi"):
        ax.plot(daily.index, daily[lang], color=LANGUAGE_COLOURS[lang], lw=0.9, label=lang)
    for day in LUNAR_NEW_YEAR:
        stamp = pd.Timestamp(day, tz="UTC")
        ax.axvspan(stamp - pd.Timedelta(days=1), stamp + pd.Timedelta(days=4), color="tab:red", alpha=0.15)
        ax.annotate(f"Lunar New Year {day:%Y-%m-%d}", (stamp, ax.get_ylim()[1] * 0.97), fontsize=9,
                    ha="center", va="top")
    ax.set_yscale("log")
    ax.set_ylabel("contacts per day (log)")
    ax.set_title("Daily contacts of zh, ko and vi: Lunar New Year dips (shaded) and rebound")
    ax.legend(loc="lower right", fontsize=9)
    for ax in axes[2:]:
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
        ax.grid(True, alpha=0.4)
    fig.suptitle("Example plan 'Crypto exchange support desk': synthetic hourly history "
                 f"{history['start'].min():%Y-%m-%d} .. {last:%Y-%m-%d}", fontsize=13)
    fig.savefig(out_file, dpi=90)
    plt.close(fig)
    return out_file


if __name__ == "__main__":
    print(plot())
