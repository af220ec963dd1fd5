"""SARIMAX on event hours: its own event coefficient (before) or the factor every other model gets (now)?

Run from the repository root (default: the bundled example plan)::

    .venv/bin/python benchmarks/forecasting/bench_sarimax_events.py [PLAN] [--last N]

Protocol
--------
SARIMAX fits its last 8 weeks with one indicator per holiday and event kind. Until this benchmark's commit it also
forecast with them: a kind its window held got SARIMAX's own additive coefficient in the forecast (from the one or two
occurrences of those 8 weeks) instead of the ratio learned for the kind (own, else pooled over queues), and an event's
``uplift_percent`` was applied on top of it. Now it forecasts with the indicators at 0 and gets the same factor as every
other model. The arms differ only for an event of a kind SARIMAX's window holds, so only those are scored.

For every week of the plan's history in which a listed event starts (the last ``N`` such weeks with ``--last``), every
queue's series (on its own clock, as ``shiftplan forecast`` models it) is cut at that week's Monday 00:00 UTC as a
weekly forecast made then would see it (last ``train_weeks`` weeks, other queues' occurrences pooled as the product
pools them), and for each queue the event affects and whose SARIMAX kept the event's kind, SARIMAX is fitted once
and forecasts the week both ways:

* ``own coefficient``: the future indicators as they are; the learned ratio of a kind SARIMAX kept is not applied,
  an ``uplift_percent`` is (the rule before);
* ``factor``: the future indicators at 0; the event's ``uplift_percent``, else its kind's learned ratio (the rule now).

Scored over the event's hours: ``sum |A - F| / sum A`` for SARIMAX and for the default combination (the mean with
``profile_median``, the same in both arms), overall, per kind, and for the events with and without an uplift.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from forecasting.backtest import clean_and_learn, fit_and_forecast  # noqa: E402
from forecasting.calendar import local_grid  # noqa: E402
from forecasting.events import adjustment_factors, span_mask  # noqa: E402
from forecasting.models import make_model  # noqa: E402
from forecasting.models.sarimax import SarimaxRegression  # noqa: E402
from forecasting.pipeline import _series_frames, _spans, series_clock, with_pooled_occurrences  # noqa: E402
from forecasting.series_forecast import SeriesTask, _prepare  # noqa: E402
from forecasting.settings import ForecastOptions  # noqa: E402
from inputs.plan_loader import load_plan  # noqa: E402

EXAMPLE = ROOT / "inputs" / "example_plan"
WEEK = pd.Timedelta(weeks=1)


def main(argv: list[str]) -> None:
    """Print the two arms' error on the scored event hours, overall and per kind."""
    parser = argparse.ArgumentParser()
    parser.add_argument("plan", nargs="?", default=str(EXAMPLE))
    parser.add_argument("--last", type=int, default=None)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    plan = load_plan(Path(args.plan))
    options = ForecastOptions.from_config(plan.config.forecast)
    history = plan.history.frame
    clocks = {queue.key: series_clock(queue, plan.horizon.time_zone) for queue in plan.queues}
    series: dict[tuple[str, str], tuple[pd.Series, pd.Series]] = {}
    for zone in dict.fromkeys(clocks.values()):
        series.update(_series_frames(history, zone, {key for key, z in clocks.items() if z == zone}))
    first = history["start"].min() + pd.Timedelta(weeks=options.min_history_weeks)
    mondays = sorted({(event.start_utc - pd.Timedelta(days=event.start_utc.dayofweek)).normalize()
                      for event in plan.events if first <= event.start_utc < plan.horizon.start_utc})
    mondays = mondays[-args.last:] if args.last else mondays
    rows, started = [], time.perf_counter()
    for monday in mondays:
        tasks = []
        for queue in plan.queues:
            if queue.key not in series:
                continue
            zone = clocks[queue.key]
            future = local_grid(monday, monday + WEEK, zone)
            contacts, aht = (part[:future[0] - pd.Timedelta(hours=1)] for part in series[queue.key])
            if len(contacts) < options.min_history_weeks * 168:
                continue
            tasks.append(SeriesTask(queue.key, contacts.index, contacts.to_numpy(), aht.to_numpy(), future,
                                    frozenset(), _spans(plan, *queue.key, zone), float(queue.aht_seconds), options,
                                    time_zone=zone))
        for task in with_pooled_occurrences(tasks):
            rows.extend(score_week(task, series[task.key][0]))
    elapsed = time.perf_counter() - started
    frame = pd.DataFrame(rows, columns=["queue", "kind", "name", "uplift", "actual", "sarimax_old", "sarimax_new",
                                        "combo_old", "combo_new"])
    print(f"{len(mondays)} weeks, {len(frame)} scored (queue, event) pairs, {frame['actual'].sum():g} contacts, "
          f"{elapsed:.0f} s")
    groups = {"all": frame, "with uplift_percent": frame[frame["uplift"]],
              "learned": frame[~frame["uplift"]], **{f"kind {k}": g for k, g in frame.groupby("kind")}}
    print(f"{'':>22} {'pairs':>6}  {'SARIMAX own coef.':>18} {'SARIMAX factor':>15}  {'combo own coef.':>16} "
          f"{'combo factor':>13}")
    for label, part in groups.items():
        actual = part["actual"].sum()
        cells = [100 * part[column].sum() / actual for column in ("sarimax_old", "sarimax_new", "combo_old",
                                                                  "combo_new")]
        print(f"{label:>22} {len(part):>6}  {cells[0]:>17.1f}% {cells[1]:>14.1f}%  {cells[2]:>15.1f}% "
              f"{cells[3]:>12.1f}%")


def score_week(task: SeriesTask, full: pd.Series) -> list[dict[str, object]]:
    """Both arms' absolute errors over the hours of each event of the task's week whose kind SARIMAX kept."""
    prepared = _prepare(task)
    raw, ctx, origin = prepared.raw, prepared.ctx, len(prepared.raw)
    stop = len(prepared.full_index)
    week = prepared.full_index[origin:stop]
    actual = full.reindex(week).to_numpy()
    events = [s for s in task.spans if span_mask(week, [s]).any()]
    if not events:
        return []
    cleaned, effects = clean_and_learn(raw, ctx, origin)
    model = SarimaxRegression()
    try:
        model.fit(cleaned.for_regression, ctx.design.slice(0, origin))
    except Exception:
        return []
    design = ctx.design.slice(origin, stop)
    kept = {design.regressor_names[i] for i in model._keep}  # the fit's kinds (private: a benchmark)
    events = [s for s in events if s.kind in kept]
    if not events:
        return []
    ratios = {kind: effect.ratio for kind, effect in effects.items()}
    own = np.asarray(model._result.get_forecast(len(design), exog=model._exog(design.how, design.regressors))
                     .predicted_mean)
    old = own * adjustment_factors(week, ctx.holidays, ctx.spans, {k: r for k, r in ratios.items() if k not in kept},
                                   ctx.train_weeks)[0]
    new = model.predict(design).mean * adjustment_factors(week, ctx.holidays, ctx.spans, ratios, ctx.train_weeks)[0]
    profile = fit_and_forecast(make_model("profile_median"), raw, ctx, origin, stop).forecast.mean
    rows = []
    for span in events:
        mask = span_mask(week, [span]) & np.isfinite(actual)
        if not mask.any() or actual[mask].sum() <= 0:
            continue
        a = actual[mask]
        old_f, new_f = np.maximum(old[mask], 0.0), np.maximum(new[mask], 0.0)
        rows.append({"queue": "/".join(task.key), "kind": span.kind, "name": span.name,
                     "uplift": span.uplift_percent is not None, "actual": float(a.sum()),
                     "sarimax_old": float(np.abs(a - old_f).sum()), "sarimax_new": float(np.abs(a - new_f).sum()),
                     "combo_old": float(np.abs(a - (old_f + profile[mask]) / 2).sum()),
                     "combo_new": float(np.abs(a - (new_f + profile[mask]) / 2).sum())})
    return rows


if __name__ == "__main__":
    main(sys.argv[1:])
