"""How well each rule for an event kind's learned ratio predicts the next occurrence, on a plan's history.

Run from the repository root (default: the bundled example plan)::

    .venv/bin/python benchmarks/forecasting/bench_event_pooling.py [PLAN]

Protocol
--------
Every queue's history is put on its own clock's hourly grid (its opening clock, else the plan's:
:func:`forecasting.pipeline.series_clock`) as ``shiftplan forecast`` does, and cleaned once with its holidays and
events as known hours (robust expected value: the median of the same weekday-hour over the 4 weeks
before and after). Each listed event that overlaps a queue's history with some expected volume is one occurrence:
``A`` its actual contacts, ``E`` their expected contacts. Events with an ``uplift_percent`` are scored too (the
product uses the given uplift for them; they are few). Every occurrence is predicted from the occurrences of the same
kind that ended before it started and no more than 26 weeks before (``train_weeks``), by each rule:

* ``none``: ratio 1 (no event effect);
* ``own only``: the median ratio of the queue's own earlier occurrences, 1 when it has none (before pooling);
* ``min N``: :func:`forecasting.events.resolve_effects` with ``min_occurrences = N``: the queue's own when it has N,
  else pooled over the queues of its channel, else over all queues, else the first source with any.

Reported: ``sum |A - E * ratio| / sum A`` over all occurrences, and per kind. Then, for the adopted rule (``min 3``),
how often each occurrence's ratio ``A / E`` falls inside the prediction interval of the learned ratio
(:meth:`forecasting.events.Effect.spread`: the median +- ``t * s * sqrt(1 + 1/n)`` of the ``n`` ratios it is learned
from, Student's ``t``) at 80% and 95%, over the occurrences predicted from at least 2, beside the same interval with
the normal quantile instead of Student's and the range of the ratios, with their mean half-width relative to the
ratio.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from forecasting.calendar import HOURS_PER_WEEK, naive_utc  # noqa: E402
from forecasting.cleaning import clean  # noqa: E402
from forecasting.events import Effect, Occurrence, resolve_effects, span_mask  # noqa: E402
from forecasting.pipeline import _series_frames, _spans, series_clock  # noqa: E402
from inputs.plan_loader import load_plan  # noqa: E402

EXAMPLE = ROOT / "inputs" / "example_plan"
TRAIN_WEEKS = 26
RULES: tuple[str | int, ...] = ("none", "own only", 1, 2, 3, 4, 5, 6, 8, 12)


def occurrences(plan_dir: Path) -> pd.DataFrame:
    """One row per (queue, listed event) with volume: ``queue``, ``kind``, ``start``, ``end`` (naive UTC, as the
    queues' clocks differ), ``A``, ``E``."""
    plan = load_plan(plan_dir)
    history = plan.history.frame
    history = history[history["start"] < plan.horizon.start_utc]
    rows = []
    for queue in plan.queues:
        zone = series_clock(queue, plan.horizon.time_zone)
        series = _series_frames(history, zone, {queue.key})
        if queue.key not in series:
            continue
        contacts = series[queue.key][0]
        index, raw = contacts.index, contacts.to_numpy()
        spans = _spans(plan, *queue.key, zone)
        expected = clean(raw, index, span_mask(index, spans)).expected
        for span in spans:
            mask = span_mask(index, [span]) & np.isfinite(raw)
            if mask.any() and expected[mask].sum() > 0:
                rows.append((queue.key, span.kind, naive_utc(span.start, zone, later=False),
                             naive_utc(span.end, zone, later=True), raw[mask].sum(), expected[mask].sum()))
    return pd.DataFrame(rows, columns=["queue", "kind", "start", "end", "A", "E"])


def learned(rule: int, row: pd.Series, earlier: pd.DataFrame) -> Effect | None:
    """The effect :func:`forecasting.events.resolve_effects` gives the occurrence ``row`` with ``min_occurrences =
    rule`` from the ``earlier`` occurrences of its kind."""
    past = [Occurrence(r.kind, r.end, r.A / r.E, r.queue) for r in earlier.itertuples()]
    own = [o for o in past if o.queue == row.queue]
    return resolve_effects(own, past, row.queue, min_occurrences=rule).get(row.kind)


def predicted_ratio(rule: str | int, row: pd.Series, earlier: pd.DataFrame) -> float:
    """The ratio ``rule`` gives the occurrence ``row`` from the ``earlier`` occurrences of its kind."""
    if rule == "none":
        return 1.0
    if rule == "own only":
        own = [r.A / r.E for r in earlier.itertuples() if r.queue == row.queue]
        return float(np.median(own)) if own else 1.0
    effect = learned(int(rule), row, earlier)
    return effect.ratio if effect is not None else 1.0


def interval_coverage(found: pd.DataFrame, window: pd.Timedelta, rule: int = 3) -> None:
    """Print how often an occurrence's ratio falls inside the learned ratio's prediction interval (see the module
    docstring), over the occurrences whose ratio is learned from at least 2."""
    from scipy.stats import norm

    rows = []
    for row in found.itertuples():
        earlier = found[(found["kind"] == row.kind) & (found["end"] <= row.start) & (found["end"] > row.start - window)]
        effect = learned(rule, row, earlier)
        if effect is None or len(effect.ratios) < 2:
            continue
        spread = float(np.std(effect.ratios, ddof=1))
        rows.append({"actual": row.A / row.E, "ratio": effect.ratio, "low": effect.ratios[0],
                     "high": effect.ratios[-1], **{f"t{level}": effect.spread(level) for level in (80, 95)},
                     **{f"z{level}": float(norm.ppf(0.5 + level / 200)) * spread for level in (80, 95)}})
    table = pd.DataFrame(rows)
    miss = np.abs(table["actual"] - table["ratio"])
    print(f"\nprediction interval of the learned ratio (min {rule}), {len(table)} occurrences learned from 2 or more:")
    print(f"{'interval':>24}  {'covers':>7}  {'half-width / ratio':>18}")
    for level in (80, 95):
        for name, key in (("Student t", "t"), ("normal", "z")):
            width = table[f"{key}{level}"]
            relative = (width / table["ratio"]).mean()
            print(f"{f'{level}%, {name}':>24}  {100 * (miss <= width).mean():6.1f}%  {relative:18.2f}")
    inside = (table["actual"] >= table["low"]) & (table["actual"] <= table["high"])
    print(f"{'range of the ratios':>24}  {100 * inside.mean():6.1f}%")


def main(argv: list[str]) -> None:
    """Print the error of every rule over all occurrences and per kind."""
    warnings.simplefilter("ignore")
    found = occurrences(Path(argv[0]) if argv else EXAMPLE)
    window = pd.Timedelta(hours=TRAIN_WEEKS * HOURS_PER_WEEK)
    kinds = sorted(found["kind"].unique())
    print(f"{len(found)} occurrences: " + ", ".join(f"{k} {(found['kind'] == k).sum()}" for k in kinds))
    print(f"{'rule':>9}  {'all':>6}  " + "  ".join(f"{k:>12}" for k in kinds))
    for rule in RULES:
        error = {kind: [0.0, 0.0] for kind in kinds}
        for row in found.itertuples():
            earlier = found[(found["kind"] == row.kind) & (found["end"] <= row.start)
                            & (found["end"] > row.start - window)]
            ratio = predicted_ratio(rule, row, earlier)
            error[row.kind][0] += abs(row.A - row.E * ratio)
            error[row.kind][1] += row.A
        total = sum(e for e, _ in error.values()) / sum(a for _, a in error.values())
        label = rule if isinstance(rule, str) else f"min {rule}"
        print(f"{label:>9}  {100 * total:5.1f}%  " + "  ".join(f"{100 * e / a:11.1f}%" for e, a in error.values()))
    interval_coverage(found, window)


if __name__ == "__main__":
    main(sys.argv[1:])
