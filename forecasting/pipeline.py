"""``forecast_plan``: a validated plan in, an hourly forecast per queue out (volume, intervals, AHT).

Steps: history -> one local-clock hourly series per (language, channel), from the day of its first contact, on the
queue's own clock (:func:`series_clock`) -> :func:`forecast_series` for every series, in parallel processes -> back
to UTC hours of the horizon -> holidays and events applied on the plan's intervals -> 0 in the hours a queue is
closed -> optional what-if scenarios.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import multiprocessing
import os
import warnings
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import numpy as np
import pandas as pd

from forecasting.calendar import hourly_local, local_grid, local_labels
from forecasting.events import (
    EventSpan,
    FactorWindow,
    adjusted,
    country_of_zone,
    event_effects,
    plan_windows,
    public_holidays,
    slot_factors,
)
from forecasting.exceptions import EventWarning, FallbackWarning, ForecastWarning
from forecasting.grid import intra_hour_shares, share_matrix
from forecasting.models.base import Forecast
from forecasting.scenario import parse_scenarios
from forecasting.scenario_apply import apply_scenarios, check_scenarios
from forecasting.series_forecast import COLUMNS, SeriesResult, SeriesTask, forecast_series, past_occurrences
from forecasting.settings import ForecastOptions
from forecasting.staffing.spec import DEFERRED_KINDS

FRAME_COLUMNS: tuple[str, ...] = ("start", "language", "channel", "contacts", "contacts_lo80", "contacts_hi80",
                                  "contacts_lo95", "contacts_hi95", "aht_seconds")
SELECTION_COLUMNS: tuple[str, ...] = ("language", "channel", "model", "wape", "bias", "runner_up",
                                      "runner_up_wape", "fallback_reason", "aht_method", "bias_guarded", "switch_t",
                                      "choice_reason")
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ForecastResult:
    """The forecast of a plan.

    Attributes
    ----------
    frame : pandas.DataFrame
        Hourly over the horizon, one row per hour and queue: ``start`` (UTC), ``language``, ``channel``,
        ``contacts``, ``contacts_lo80``, ``contacts_hi80``, ``contacts_lo95``, ``contacts_hi95``,
        ``aht_seconds``.
    selection : pandas.DataFrame
        Per series: ``language``, ``channel``, ``model``, ``wape``, ``bias``, ``runner_up``,
        ``runner_up_wape``, ``fallback_reason``, ``aht_method``, ``bias_guarded`` (the model the bias
        guard replaced, "" when it did not act), ``switch_t`` (the paired t of the best-ranked candidate against
        the default, NaN when not tested) and ``choice_reason`` (why this model, in words:
        :func:`forecasting.selection.choice_reason`).
    warnings : list of str
        Degraded behaviour, in words (also emitted as :class:`ForecastWarning`).
    metadata : dict
        Models, scores (``series``; every candidate's backtest WAPE and bias in ``backtest_scores``), data span,
        settings, versions, the horizon (with the ``interval_minutes`` its events were applied on), the holidays and
        events in the horizon per queue with the factor each gets, where it comes from and the hours of it the queue
        is open, on the plan's clock and in UTC (``events``, see :func:`forecasting.events.event_effects`), the
        hours each queue is closed with the contacts carried to its openings or dropped (``closed_hours``, see
        :func:`close_hours`) and the warnings (JSON-serialisable).
    """

    frame: pd.DataFrame
    selection: pd.DataFrame
    warnings: list[str] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)


def _versions() -> dict[str, str]:
    out = {}
    for package in ("shiftplan", "statsmodels", "pandas", "numpy", "scipy", "holidays"):
        try:
            out[package] = version(package)
        except PackageNotFoundError:
            out[package] = "unknown"
    return out


def _method(options: ForecastOptions) -> str:
    """The selection and interval method in words (for the metadata)."""
    if options.default_model in options.models:
        choice = (f"{options.default_model} unless another candidate beats it by a one-sided paired t >= "
                  f"{options.switch_t} on daily absolute errors")
    else:
        choice = "lowest WAPE, then lowest |bias|"
    if math.isfinite(options.max_bias):
        choice += (f"; a choice with a backtest |bias| above {options.max_bias:.0%} is replaced by the least-biased "
                   f"candidate within {options.bias_wape_tolerance:.0%} of its WAPE")
    intervals = ("calibrated on the chosen model's backtest errors (split conformal, absolute scaled errors)"
                 if options.interval_calibration else "from the chosen model")
    return (f"rolling-origin backtest, {options.backtest_folds} folds one week apart, refit each fold; {choice}; "
            f"history limited to the last {options.train_weeks} weeks; intervals {intervals}")


def series_clock(queue: Any, time_zone: str) -> str:
    """The clock ``queue``'s series is modelled on: its ``opening_time_zone``, else the plan's ``time_zone``.

    Contact volume follows the clock of the queue's customers, which its opening hours are written on: a Madrid
    queue's 19:00 peak stays at 19:00 in Madrid when Madrid changes to winter time. On the plan's clock (UTC on the
    bundled example) it would move an hour, and a profile of the summer weeks forecast it an hour late for weeks
    after each change: the hour before closing, the busiest, got the closed hour's 0.
    """
    return queue.opening_time_zone or time_zone


def _series_frames(frame: pd.DataFrame, time_zone: str, keys: Collection[tuple[str, str]] | None = None,
                   unknown: pd.DataFrame | None = None) -> dict[tuple[str, str], tuple[pd.Series, pd.Series]]:
    """Contacts and AHT per queue of a history ``frame`` on one common local hourly grid (of ``keys``' queues, by
    default of every queue).

    Hours a queue lacks on a day the history has rows for (any queue) are 0 contacts; whole local days
    with no row at all are missing (NaN) and get cleaned like outages, and so are the hours of the ``unknown``
    intervals (``start``, ``language``, ``channel``: :attr:`inputs.records.History.unknown`, the second occurrence of
    a repeated autumn hour that the file lists once), unless the hour has another occurrence on this clock (the
    repeated hour of the file's own clock: its first occurrence alone gives it). A queue's series starts on the local
    day of its first contact: the days before are not its history (a new language would otherwise get the whole
    history's weeks as zeros, count them towards ``min_history_weeks`` and be forecast near 0). A queue without
    any contact keeps them all (and falls back as "all zeros").
    """
    out: dict[tuple[str, str], tuple[pd.Series, pd.Series]] = {}
    unknown_of: dict[tuple[str, str], pd.DataFrame] = {}
    if unknown is not None and not unknown.empty:
        unknown_of = {(str(language), str(channel)): part.assign(contacts=np.nan, aht_seconds=np.nan)
                      for (language, channel), part in unknown.groupby(["language", "channel"], sort=False)}
    local_days = pd.DatetimeIndex(frame["start"]).tz_convert(time_zone).tz_localize(None).normalize()
    days_seen = pd.DatetimeIndex(local_days.unique())
    first = local_labels(pd.DatetimeIndex([frame["start"].min()]), time_zone)[0].floor("h")
    last = local_labels(pd.DatetimeIndex([frame["start"].max()]), time_zone)[0].floor("h")
    grid = pd.date_range(first, last, freq="h")
    absent_day = ~grid.normalize().isin(days_seen)
    for (language, channel), part in frame.groupby(["language", "channel"], sort=False):
        if keys is not None and (str(language), str(channel)) not in keys:
            continue
        gaps = unknown_of.get((str(language), str(channel)))
        missing = np.zeros(len(grid), dtype=bool)
        if gaps is not None:
            part = pd.concat([part, gaps.reindex(columns=part.columns)], ignore_index=True)
            missing = grid.isin(local_labels(pd.DatetimeIndex(gaps["start"]), time_zone).floor("h"))
        contacts = hourly_local(part, time_zone, "contacts").reindex(grid)
        missing &= contacts.isna().to_numpy()
        contacts = contacts.fillna(0.0).where(~absent_day & ~missing)
        aht = hourly_local(part, time_zone, "aht_seconds", weight="contacts").reindex(grid)
        busy = contacts.to_numpy() > 0
        if busy.any():
            first_day = grid[int(np.argmax(busy))].normalize()
            contacts, aht = contacts[first_day:], aht[first_day:]
        out[(str(language), str(channel))] = (contacts, aht)
    return out


def closed_hours(queue: Any, hours_utc: pd.DatetimeIndex, time_zone: str) -> np.ndarray:
    """Mask of the UTC hours in which ``queue`` is closed throughout: no minute of the hour is inside its opening
    hours, read on its own clock (``opening_time_zone``, else ``time_zone``) as the staffing reads them."""
    from inputs.opening import open_mask

    minutes = hours_utc.repeat(60) + pd.to_timedelta(np.tile(np.arange(60), len(hours_utc)), unit="min")
    return ~open_mask(queue, minutes, time_zone).reshape(len(hours_utc), 60).any(axis=1)


def close_hours(block: pd.DataFrame, closed: np.ndarray, carry: bool) -> tuple[float, float]:
    """Set the contacts and their bounds of the ``closed`` rows of ``block`` (one queue, in time order) to 0.

    A live queue (phone, chat) offers no contact while closed: the closed hours' contacts are dropped. A deferred
    queue's (email, ticket, social) wait for its next open hour, which is how the deferred staffing treats them
    (:mod:`forecasting.staffing.deferred`): they are added to that hour, bound by bound; those after the last
    opening of the horizon are left out. Without this, a profile that spans a change to summer time, on a clock
    whose offset to the queue's changes, forecast small volumes in hours the queue is closed.

    Returns
    -------
    tuple
        Contacts carried to an opening and contacts dropped.
    """
    columns = list(COLUMNS)
    values = block[columns].to_numpy(dtype=float, copy=True)
    total = float(values[closed, 0].sum())
    carried = 0.0
    if carry:
        opened, shut = np.flatnonzero(~closed), np.flatnonzero(closed)
        following = np.searchsorted(opened, shut)
        waits = following < len(opened)
        np.add.at(values, opened[following[waits]], values[shut[waits]])
        carried = float(values[shut[waits], 0].sum())
    values[closed] = 0.0
    block[columns] = values
    return carried, total - carried


def _apply_windows(block: pd.DataFrame, hours_utc: pd.DatetimeIndex, windows: Sequence[FactorWindow], minutes: int,
                   shares: np.ndarray) -> None:
    """Apply one queue's holiday and event factors (:func:`forecasting.events.plan_windows`) to its hourly forecast
    ``block`` (rows on ``hours_utc``, without them), in place: each hour is split into the plan's ``minutes``
    intervals by ``shares`` (:func:`forecasting.grid.share_matrix`, as the requirements split it), each interval takes
    its factor, and the hour is their sum (:func:`forecasting.events.adjusted`)."""
    if not windows:
        return
    factors, spreads = slot_factors(hours_utc, minutes, windows, shares.shape[1])
    columns = dict(zip(("mean", "lo80", "hi80", "lo95", "hi95"), (block[c].to_numpy(dtype=float) for c in COLUMNS),
                       strict=True))
    out = adjusted(columns, factors, spreads, shares)
    fixed = Forecast(*(out[c] for c in ("mean", "lo80", "hi80", "lo95", "hi95"))).clipped()
    for column, values in zip(COLUMNS, (fixed.mean, fixed.lo80, fixed.hi80, fixed.lo95, fixed.hi95), strict=True):
        block[column] = values


def _spans(plan: Any, language: str, channel: str, time_zone: str) -> tuple[EventSpan, ...]:
    spans = []
    for event in plan.events:
        if event.affects(language, channel):
            start, end = local_labels(pd.DatetimeIndex([event.start_utc, event.end_utc]), time_zone)
            spans.append(EventSpan(event.kind, start, end, event.uplift_percent, event.name, event.start_utc,
                                   event.end_utc))
    return tuple(spans)


#: Environment of the worker processes: one BLAS / OpenMP thread each. The models' matrices are small, and
#: a multi-threaded BLAS in several processes on few cores spins more than it computes (measured: 5 ms per
#: 2 x 2 Lyapunov solve in SARIMAX's initialisation, 10x the CPU time of the whole forecast).
WORKER_ENV: dict[str, str] = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
#: A spawned worker costs about 2 s of CPU to import the stack, a series about 0.5 s: with fewer series than
#: this many per worker they run in this process.
MIN_SERIES_PER_WORKER = 4


@contextlib.contextmanager
def worker_pool(n_jobs: int) -> Iterator[ProcessPoolExecutor]:
    """A process pool whose workers start fresh (``spawn``) with one BLAS thread each (:data:`WORKER_ENV`).

    ``fork`` is not used: a child forked from a process whose BLAS thread pool is running inherits it in a
    broken state. The environment is set only while the workers start, then restored.
    """
    saved = {key: os.environ.get(key) for key in WORKER_ENV}
    with ProcessPoolExecutor(max_workers=n_jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        os.environ.update(WORKER_ENV)
        try:
            list(pool.map(abs, range(n_jobs)))  # one quick task per worker: every worker starts now
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        yield pool


def forecast_many(tasks: list[SeriesTask], n_jobs: int = 2, progress: Progress | None = None
                  ) -> list[SeriesResult]:
    """Forecast every task, in up to ``n_jobs`` worker processes.

    With one job, or fewer than :data:`MIN_SERIES_PER_WORKER` series per worker, the series run in this
    process (starting workers would cost more than it saves).

    Parameters
    ----------
    tasks : list of SeriesTask
        The series.
    n_jobs : int
        Worker processes (see :func:`worker_pool`).
    progress : callable, optional
        Called as ``progress(done, total)`` after every series.

    Returns
    -------
    list of SeriesResult
        In the order of ``tasks``.
    """
    results: list[SeriesResult] = []
    total = len(tasks)
    n_jobs = min(n_jobs, total // MIN_SERIES_PER_WORKER)
    if n_jobs <= 1:
        for task in tasks:
            results.append(forecast_series(task))
            if progress:
                progress(len(results), total)
        return results
    with worker_pool(n_jobs) as pool:
        futures = [pool.submit(forecast_series, task) for task in tasks]
        for future in as_completed(futures):
            results.append(future.result())
            if progress:
                progress(len(results), total)
    order = {task.key: i for i, task in enumerate(tasks)}
    return sorted(results, key=lambda r: order[r.key])


def _scores(result: SeriesResult) -> dict[str, dict[str, float | None]]:
    """Every candidate's backtest WAPE and bias (fractions; None when it has none), for the metadata."""
    return {name: {"wape": None if math.isnan(wape) else round(wape, 6), "bias": None if math.isnan(bias)
                   else round(bias, 6)} for name, (wape, bias) in (result.selection.scores or {}).items()}


def with_pooled_occurrences(tasks: list[SeriesTask]) -> list[SeriesTask]:
    """Give every task the other tasks' past holidays and events with the volume ratio each showed
    (:func:`forecasting.series_forecast.past_occurrences`), for the kinds a queue has too few of itself: a queue
    that starts late, or is closed when most events happened, then takes the ratio of its channel or of all queues
    (:func:`forecasting.events.resolve_effects`)."""
    found = [past_occurrences(task) for task in tasks]
    return [dataclasses.replace(task, pooled=tuple(o for j, occurrences in enumerate(found) if j != i
                                                   for o in occurrences))
            for i, task in enumerate(tasks)]


def forecast_plan(plan: Any, *, scenarios: Sequence[str] = (), n_jobs: int = 2,
                  progress: Progress | None = None) -> ForecastResult:
    """Forecast contact volume (with 80% / 95% intervals) and AHT per hour and queue over the plan's horizon.

    Each queue's series is modelled on its own clock (:func:`series_clock`) and mapped back to the plan's UTC hours:
    a repeated autumn hour gets the forecast of its clock hour twice, a skipped spring hour none. Per series the model
    is chosen by a rolling-origin backtest: the default model (the profile / SARIMAX combination) unless another
    candidate beats it significantly (see :mod:`forecasting.selection`). Training data is cleaned of holidays,
    events, gaps and detected surges (a regression model fits around holidays and events instead); intervals are
    calibrated on the chosen model's backtest errors over ``interval_folds`` weeks, closed hours left out. Known
    events and holidays then multiply the forecast of the time they cover by one factor, whatever the model, on the
    plan's intervals: each hour is split into them by the history's shape within the hour (as the requirements split
    it, :func:`forecasting.grid.share_matrix`), each interval takes ``1 + s * (f - 1)`` of the factors ``f`` that
    cover the share ``s`` of it, and the hour is their sum (:func:`forecasting.events.slot_factors`); the bounds move
    with the factors, widened by a learned factor's spread (:func:`forecasting.events.adjusted`). Hours a queue is
    closed throughout are forecast 0, bounds too (a deferred queue's contacts of those hours wait for its next
    opening: :func:`close_hours`). A
    series that is too short, all zeros, or whose models fail falls back to seasonal naive (and one whose model
    forecasts nothing although its history has contacts, to the history's mean per hour of week) with a
    :class:`FallbackWarning`.

    Parameters
    ----------
    plan : inputs.records.Plan
        A validated plan with a history.
    scenarios : sequence of str
        What-ifs such as ``"chat +60% 2026-12-03T12:00/6h"`` (see :func:`forecasting.scenario.parse_scenario`), all
        applied on the forecast's hours, factors multiplying where two meet
        (:func:`forecasting.scenario_apply.apply_scenarios`); the metadata's ``scenario`` says what each moved.
    n_jobs : int
        Processes for the series (1: in this process).
    progress : callable, optional
        Called as ``progress(done, total)`` after every series.

    Returns
    -------
    ForecastResult

    Raises
    ------
    ValueError
        When the plan has no history, a scenario is malformed, selects no queue or would change nothing (outside
        the plan's days, or its queues closed throughout it), or a setting is wrong.
    """
    if plan.history is None or plan.history.frame.empty:
        raise ValueError("the plan has no contact history to forecast from; add a history file, or give a "
                         "requirements file to skip forecasting")
    parsed = parse_scenarios(scenarios)
    if parsed:  # before the series are forecast: a scenario that would change nothing is refused at once
        check_scenarios(plan, parsed, 60)
    options = ForecastOptions.from_config(plan.config.forecast)
    horizon = plan.horizon
    time_zone = horizon.time_zone
    hours_utc = pd.date_range(horizon.start_utc, horizon.end_utc, freq="h", inclusive="left", name="start")
    countries = list(options.holiday_countries) or [c for c in [country_of_zone(time_zone)] if c]
    history_start = plan.history.start_utc
    years = range(history_start.year, horizon.end_utc.year + 1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ForecastWarning)
        holidays = public_holidays(countries, years)
    notes = [str(w.message) for w in caught]
    history = plan.history.frame
    inside = history["start"] >= horizon.start_utc
    if inside.any():
        notes.append(f"history rows from {history['start'][inside].min():%Y-%m-%d %H:%M} UTC on are "
                     "inside the horizon and are not used (a forecast starts where its history ends)")
    unknown = plan.history.unknown[plan.history.unknown["start"] < horizon.start_utc]
    clocks = {queue.key: series_clock(queue, time_zone) for queue in plan.queues}
    series: dict[tuple[str, str], tuple[pd.Series, pd.Series]] = {}
    for zone in dict.fromkeys(clocks.values()):
        series.update(_series_frames(history[~inside], zone, {key for key, z in clocks.items() if z == zone},
                                     unknown=unknown))
    tasks, missing = [], []
    for queue in plan.queues:
        if queue.key not in series:
            missing.append(queue)
            continue
        zone = clocks[queue.key]
        future = local_grid(horizon.start_utc, horizon.end_utc, zone)
        contacts, aht = (part[:future[0] - pd.Timedelta(hours=1)] for part in series[queue.key])
        tasks.append(SeriesTask(queue.key, contacts.index, contacts.to_numpy(), aht.to_numpy(), future,
                                holidays, _spans(plan, *queue.key, zone), float(queue.aht_seconds), options,
                                time_zone=zone))
    tasks = with_pooled_occurrences(tasks)
    results = forecast_many(tasks, max(1, int(n_jobs)), progress)

    parts, rows, closures, events, opened = [], [], {}, {}, {}
    queues = {queue.key: queue for queue in plan.queues}
    minutes = min(int(horizon.interval_minutes), 60)
    slots = 60 // minutes
    shares = intra_hour_shares(plan.history, time_zone, minutes, clocks, hours_utc[0])[0] if slots > 1 else None
    for task, result in zip(tasks, results, strict=True):
        base = result.frame if result.base is None else result.base
        block = base.reindex(local_labels(hours_utc, task.time_zone).floor("h")).reset_index(drop=True)
        queue = queues[result.key]
        name = f"{result.key[0]}/{result.key[1]}"
        spans = _spans(plan, *queue.key, time_zone)
        closed = closed_hours(queue, hours_utc, time_zone)
        opened[result.key] = ~closed
        deferred = queue.kind in DEFERRED_KINDS
        waiting = None
        if deferred:  # the contacts of closed hours that wait for an opening of the horizon, before any event
            open_at = np.flatnonzero(~closed)
            waits = closed & (np.arange(len(closed)) < (open_at[-1] if len(open_at) else 0))
            waiting = np.where(waits, block["contacts"].to_numpy(dtype=float), 0.0)
        listed = event_effects(hours_utc, time_zone, task.holidays, spans, result.effects, closed=closed,
                               carried=waiting, deferred=deferred, opening_zone=queue.opening_time_zone,
                               series_zone=task.time_zone, train_weeks=options.train_weeks)
        if result.base is not None:  # an event listed as closed (nothing carried) is not applied: no effect
            _apply_windows(block, hours_utc, plan_windows(hours_utc, time_zone, task.holidays, spans, result.effects,
                                                          task.time_zone, listed), minutes,
                           share_matrix(pd.DataFrame({"start": hours_utc, "language": queue.language,
                                                      "channel": queue.channel}), shares, time_zone, slots, clocks))
        if closed.any():
            carried, dropped = close_hours(block, closed, deferred)
            closures[name] = {"hours": int(closed.sum()), "contacts_carried": round(carried, 2),
                              "contacts_dropped": round(dropped, 2)}
        if listed:
            events[name] = listed
        block.insert(0, "start", hours_utc)
        block.insert(1, "language", result.key[0])
        block.insert(2, "channel", result.key[1])
        parts.append(block)
        sel = result.selection
        rows.append({"language": result.key[0], "channel": result.key[1], "model": sel.model, "wape": sel.wape,
                     "bias": sel.bias, "runner_up": sel.runner_up, "runner_up_wape": sel.runner_up_wape,
                     "fallback_reason": sel.fallback_reason, "aht_method": result.aht_method,
                     "bias_guarded": sel.bias_guarded, "switch_t": sel.switch_t, "choice_reason": sel.reason})
        notes.extend(result.warnings)
    for queue in missing:
        reason = "no history for this queue"
        notes.append(f"{queue.name}: {reason}; forecasting 0 contacts with the configured AHT")
        block = pd.DataFrame({"start": hours_utc, "language": queue.language, "channel": queue.channel})
        for column in FRAME_COLUMNS[3:-1]:
            block[column] = 0.0
        block["aht_seconds"] = float(queue.aht_seconds)
        parts.append(block)
        opened[queue.key] = ~closed_hours(queue, hours_utc, time_zone)
        rows.append({"language": queue.language, "channel": queue.channel, "model": "none", "wape": math.nan,
                     "bias": math.nan, "runner_up": "", "runner_up_wape": math.nan, "fallback_reason": reason,
                     "aht_method": "default", "bias_guarded": "", "switch_t": math.nan, "choice_reason": ""})
    frame = pd.concat(parts, ignore_index=True)[list(FRAME_COLUMNS)]
    scenario = None
    if parsed:
        is_open = np.concatenate([opened[(block["language"].iloc[0], block["channel"].iloc[0])] for block in parts])
        applied = apply_scenarios(frame, parsed, time_zone, minutes=60, is_open=is_open)
        frame = applied.frame
        scenario = applied.as_dict(time_zone, horizon.interval_minutes)
    selection = pd.DataFrame(rows, columns=list(SELECTION_COLUMNS))
    for note in notes:
        kind = FallbackWarning if "falling back" in note or "no history" in note else (
            EventWarning if "event" in note or "holiday" in note else ForecastWarning)
        warnings.warn(note, kind, stacklevel=2)
    metadata = {
        "created_utc": pd.Timestamp.now(tz="UTC").isoformat(timespec="seconds"),
        "horizon": {"start_utc": horizon.start_utc.isoformat(), "end_utc": horizon.end_utc.isoformat(),
                    "time_zone": time_zone, "hours": len(hours_utc), "interval_minutes": int(horizon.interval_minutes)},
        "history": {"start_utc": history_start.isoformat(), "end_utc": plan.history.end_utc.isoformat(),
                    "interval_minutes": plan.history.interval_minutes,
                    "train_start_local": {f"{r.key[0]}/{r.key[1]}": (str(r.train_start) if r.train_start is not None
                                                                     else None) for r in results},
                    "series_clock": {f"{t.key[0]}/{t.key[1]}": t.time_zone for t in tasks}},
        "settings": options.as_dict(),
        "holiday_markets": countries,
        "method": _method(options),
        "series": selection.replace({np.nan: None}).to_dict(orient="records"),
        "models_left_out": {f"{r.key[0]}/{r.key[1]}": r.excluded for r in results if r.excluded},
        "backtest_scores": {f"{r.key[0]}/{r.key[1]}": _scores(r) for r in results if r.selection.scores},
        "events": events,
        "closed_hours": closures,
        "warnings": notes,
        "scenario": scenario,
        "versions": _versions(),
        "n_jobs": int(n_jobs),
        "cpu_count": os.cpu_count(),
    }
    return ForecastResult(frame, selection, notes, metadata)
