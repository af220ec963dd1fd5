"""Forecast one series end to end: guard, backtest, select, refit, adjust, calibrate intervals, AHT.

This is the unit of work the pipeline runs in parallel; it is pure (arrays in, arrays out) and never
raises for a model problem: a series that is too short, all zeros, or whose models fail falls back to
seasonal naive and says why. A series whose history has contacts is never forecast at 0 everywhere: when the
chosen model (a median of sparse counts) or seasonal naive (an empty last week) forecasts nothing, the
history's mean per hour of week replaces it (:class:`forecasting.models.HistoryMean`), again with the reason.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from forecasting.aht import forecast_aht
from forecasting.backtest import (
    BacktestResult,
    SeriesContext,
    clean_and_learn,
    fit_and_forecast,
    own_occurrences,
    rolling_origin,
)
from forecasting.calendar import HOURS_PER_WEEK, naive_utc
from forecasting.events import (
    Effect,
    EventSpan,
    Occurrence,
    adjusted,
    adjustment_windows,
    design_for,
    holiday_mask,
    slot_factors,
    span_mask,
)
from forecasting.models import COMBINATIONS, FALLBACK, HistoryMean, make_model
from forecasting.models.base import Forecast, Model
from forecasting.selection import Selection, select
from forecasting.settings import ForecastOptions
from forecasting.threads import single_blas_thread

COLUMNS: tuple[str, ...] = ("contacts", "contacts_lo80", "contacts_hi80", "contacts_lo95", "contacts_hi95")


@dataclass(frozen=True)
class SeriesTask:
    """One series to forecast, on the local hourly grid.

    Attributes
    ----------
    key : tuple of str
        (language, channel).
    index : pandas.DatetimeIndex
        Regular naive local hours of the history.
    contacts, aht : numpy.ndarray
        Hourly volume (NaN: missing) and handle time (NaN: nothing handled).
    future : pandas.DatetimeIndex
        Naive local hours to forecast (must start after ``index``; a gap is forecast through).
    holidays : frozenset of datetime.date
        Public holidays of the series' market.
    spans : tuple of EventSpan
        Events that affect this series (past and future).
    default_aht : float
        The queue's configured handle time.
    options : ForecastOptions
        Settings.
    pooled : tuple of Occurrence
        Other queues' past holidays and events (:func:`past_occurrences` of each), for the kinds this series has
        too few of itself (:func:`forecasting.events.resolve_effects`).
    time_zone : str, optional
        The clock of ``index``, ``future``, ``holidays`` and ``spans`` (the queue's own, which may differ from other
        queues'): :func:`past_occurrences` gives its occurrences' ends in UTC through it, and a backtest compares
        the pooled occurrences' ends with its origin in UTC. None: every series is on one clock and the labels
        compare as they are.
    """

    key: tuple[str, str]
    index: pd.DatetimeIndex
    contacts: np.ndarray
    aht: np.ndarray
    future: pd.DatetimeIndex
    holidays: frozenset[dt.date] = frozenset()
    spans: tuple[EventSpan, ...] = ()
    default_aht: float = 300.0
    options: ForecastOptions = field(default_factory=ForecastOptions)
    pooled: tuple[Occurrence, ...] = ()
    time_zone: str | None = None


@dataclass
class SeriesResult:
    """Forecast of one series.

    Attributes
    ----------
    key : tuple of str
        (language, channel).
    frame : pandas.DataFrame
        Indexed by the future local hours: ``contacts``, bounds, ``aht_seconds``, holidays and events applied on
        these hours (an hour an event covers in part moves by the share it covers; bounds move with the factors,
        widened by a learned factor's spread: :func:`forecasting.events.adjusted`).
    selection : Selection
        Chosen model and scores.
    aht_method : str
        Chosen handle-time method.
    warnings : list of str
        Degraded behaviour (fallback, events without an effect).
    per_model : dict
        Model name -> calibrated, adjusted forecast of the future (only when asked for).
    train_start : pandas.Timestamp, optional
        First local hour of the history used.
    excluded : dict
        Models left out of the backtest -> why.
    effects : dict
        The ratio of each holiday and event kind learned from the whole history, with where it comes from (the
        series' own history or pooled over other queues): kind -> :class:`forecasting.events.Effect`.
    base : pandas.DataFrame, optional
        ``frame`` without the holidays and events, for a caller that applies them on a finer grid
        (:func:`forecasting.pipeline.forecast_plan`, on the plan's intervals).
    """

    key: tuple[str, str]
    frame: pd.DataFrame
    selection: Selection
    aht_method: str
    warnings: list[str] = field(default_factory=list)
    per_model: dict[str, Forecast] = field(default_factory=dict)
    train_start: pd.Timestamp | None = None
    excluded: dict[str, str] = field(default_factory=dict)
    effects: dict[str, Effect] = field(default_factory=dict)
    base: pd.DataFrame | None = None


#: A forecast whose total is below this share of what the history's mean rate gives over the same hours forecasts
#: nothing: a median profile or seasonal naive of sparse counts can be 0 at every hour of a queue with contacts.
NOTHING_SHARE = 0.01
#: The fallback models in words, for the warnings.
FALLBACK_WORDS: dict[str, str] = {FALLBACK: "seasonal naive", HistoryMean.name: "the history's mean per hour of week"}


def _forecasts_nothing(forecast: Forecast, raw: np.ndarray) -> bool:
    """Whether ``forecast`` is (as good as) 0 everywhere although ``raw`` has contacts (see :data:`NOTHING_SHARE`)."""
    observed = raw[np.isfinite(raw)]
    rate = float(observed.mean()) if observed.size else 0.0
    return rate > 0 and float(np.sum(forecast.mean)) < NOTHING_SHARE * rate * len(forecast)


def _frame(future: pd.DatetimeIndex, forecast: Forecast, aht: np.ndarray) -> pd.DataFrame:
    forecast = forecast.clipped()
    return pd.DataFrame({"contacts": forecast.mean, "contacts_lo80": forecast.lo80, "contacts_hi80": forecast.hi80,
                         "contacts_lo95": forecast.lo95, "contacts_hi95": forecast.hi95, "aht_seconds": aht},
                        index=future)


def _calibrated(forecast: Forecast, errors: tuple[np.ndarray, np.ndarray] | None) -> Forecast:
    if errors is None or np.isfinite(errors[0]).sum() < 2 * HOURS_PER_WEEK // 2:
        return forecast
    return forecast.with_intervals_from(*errors)


def forecast_series(task: SeriesTask, *, keep_all: bool = False) -> SeriesResult:
    """Forecast one series (see the module docstring).

    Parameters
    ----------
    task : SeriesTask
        The series and its settings.
    keep_all : bool
        Also return every candidate's future forecast (benchmarks).

    Returns
    -------
    SeriesResult
    """
    with single_blas_thread():  # tiny matrices: BLAS threads only cost time (see forecasting.threads)
        return _forecast_series(task, keep_all)


@dataclass(frozen=True)
class _Prepared:
    """A task's training window and the grid and context its models are fitted on."""

    index: pd.DatetimeIndex
    raw: np.ndarray
    aht: np.ndarray
    full_index: pd.DatetimeIndex
    future_pos: np.ndarray
    ctx: SeriesContext


def _prepare(task: SeriesTask) -> _Prepared:
    """The last ``train_weeks`` of the task's history, the grid from there to the end of its future, and the
    design, known hours and events of that grid."""
    options = task.options
    cut = max(len(task.index) - options.train_weeks * HOURS_PER_WEEK, 0)
    index, raw = task.index[cut:], np.asarray(task.contacts, dtype=float)[cut:]
    if len(task.future) and len(index) and task.future[0] <= index[-1]:
        raise ValueError(f"{task.key[0]}/{task.key[1]}: the forecast must start after the history ends")
    gap_start = index[-1] + pd.Timedelta(hours=1) if len(index) else task.future[0]
    bridge = pd.date_range(gap_start, task.future[-1], freq="h") if len(task.future) else task.future
    full_index = index.append(bridge)
    kinds = tuple(sorted({s.kind for s in task.spans}))
    design = design_for(full_index, task.holidays, task.spans, kinds)
    known = holiday_mask(full_index, task.holidays) | span_mask(full_index, task.spans)
    ctx = SeriesContext(design, known, task.holidays, task.spans, options.outlier_threshold, task.key, task.pooled,
                        task.time_zone, options.train_weeks)
    return _Prepared(index, raw, np.asarray(task.aht, dtype=float)[cut:], full_index,
                     np.asarray(full_index.get_indexer(task.future)), ctx)


def past_occurrences(task: SeriesTask) -> list[Occurrence]:
    """The holidays and events of the task's training window with the volume ratio each showed, for the other
    queues' tasks (:attr:`SeriesTask.pooled`); their ends in UTC (naive) when the task's clock is known, as other
    queues' series may be on other clocks."""
    prepared = _prepare(task)
    found = own_occurrences(prepared.raw, prepared.ctx, len(prepared.raw))[1] if len(prepared.raw) else []
    return [dataclasses.replace(o, end=naive_utc(o.end, task.time_zone, later=True)) for o in found]


def _forecast_series(task: SeriesTask, keep_all: bool) -> SeriesResult:
    """The body of :func:`forecast_series`."""
    options = task.options
    name = f"{task.key[0]}/{task.key[1]}"
    prepared = _prepare(task)
    index, raw, full_index, future_pos, ctx = (prepared.index, prepared.raw, prepared.full_index, prepared.future_pos,
                                               prepared.ctx)
    n = len(raw)
    aht = forecast_aht(prepared.aht, raw, index, task.future, task.default_aht, options.backtest_folds)
    notes: list[str] = []
    excluded: dict[str, str] = {}
    effects = clean_and_learn(raw, ctx, n)[1] if n else {}
    windows = adjustment_windows(task.future, task.holidays, task.spans, effects, options.train_weeks)[0]
    factors, spreads = slot_factors(task.future, 60, windows)

    def adjust(base: Forecast) -> Forecast:
        """The holidays and events applied to a forecast of the future hours without them."""
        columns = adjusted({c: getattr(base, c) for c in ("mean", "lo80", "hi80", "lo95", "hi95")}, factors, spreads)
        return Forecast(**columns).clipped()

    def result(base: Forecast, selection: Selection, per_model: dict[str, Forecast], start: pd.Timestamp | None
               ) -> SeriesResult:
        base = base.clipped()
        return SeriesResult(task.key, _frame(task.future, adjust(base), aht.values), selection, aht.method, notes,
                            {model: adjust(forecast) for model, forecast in per_model.items()}, start, excluded,
                            effects, _frame(task.future, base, aht.values))

    nothing = f"forecast no contacts at all although the history has {np.nansum(raw):g}"

    def future_part(forecast: Forecast) -> Forecast:
        return Forecast(*(part[future_pos - n] for part in (forecast.mean, forecast.lo80, forecast.hi80,
                                                             forecast.lo95, forecast.hi95)))

    def unadjusted(model: Model) -> Forecast:
        """The future of ``model`` fitted on the whole history, without holidays and events."""
        return future_part(fit_and_forecast(model, raw, ctx, n, len(full_index), adjust=False).forecast)

    def history_mean() -> Forecast:
        """The last resort: the history's mean per hour of week (a flat 0 without any history)."""
        try:
            return unadjusted(HistoryMean())
        except Exception:
            level = np.nan_to_num(np.nanmean(raw)) if n and np.isfinite(raw).any() else 0.0
            return Forecast(*(np.full(len(task.future), level) for _ in range(5)))

    def fallback(reason: str, scores: dict | None = None) -> SeriesResult:
        forecast: Forecast | None = None
        try:
            forecast = unadjusted(make_model(FALLBACK))
            if _forecasts_nothing(forecast, raw):
                reason, forecast = f"{reason}; {FALLBACK} {nothing}", None
        except Exception as exc:
            reason = f"{reason}; {FALLBACK} failed ({type(exc).__name__}: {exc})"
        model = FALLBACK if forecast is not None else HistoryMean.name
        forecast = history_mean() if forecast is None else forecast
        notes.append(f"{name}: {reason}; falling back to {FALLBACK_WORDS[model]}")
        selection = Selection(model, math.nan, math.nan, "", math.nan, reason, scores)
        return result(forecast, selection, {}, index[0] if n else None)

    observed = np.isfinite(raw)
    weeks_seen = observed.sum() / HOURS_PER_WEEK
    if weeks_seen < options.min_history_weeks:
        return fallback(f"history too short ({weeks_seen:.1f} weeks < min_history_weeks "
                        f"{options.min_history_weeks})")
    if np.nansum(np.abs(raw)) == 0:
        return fallback("history is all zeros")

    combos = {c: m for c, m in COMBINATIONS.items() if c in options.models}
    names = list(dict.fromkeys([*(m for m in options.models if m not in combos), *(x for m in combos.values()
                                                                                      for x in m), FALLBACK]))
    factories = [(m, (lambda m=m: make_model(m))) for m in names]
    backtest = rolling_origin(raw, ctx, factories, options.backtest_folds, options.backtest_horizon_hours, combos)
    default = options.default_model if options.default_model in options.models else None
    selection = select(backtest, default, options.switch_t, options.max_bias, options.bias_wape_tolerance)
    excluded.update(backtest.failures)
    if selection is None:
        return fallback("too short to backtest or no model completed the backtest")

    wanted = [selection.model, *(m for m in backtest.forecasts if keep_all and m != selection.model)]
    fits: dict[str, Forecast] = {}
    per_model: dict[str, Forecast] = {}
    for model_name in wanted:
        try:
            forecast = _future(model_name, raw, ctx, n, len(full_index), fits, notes, name,
                               model_name == selection.model)
        except Exception as exc:
            if model_name == selection.model:
                return fallback(f"chosen model {model_name} failed on the full history "
                                f"({type(exc).__name__}: {exc})", selection.scores)
            continue
        errors = None
        if options.interval_calibration:
            errors = _calibration_errors(model_name, backtest, raw, ctx, options, factories)
        calibrated = _calibrated(forecast, errors)
        per_model[model_name] = Forecast(*(part[future_pos - n] for part in (
            calibrated.mean, calibrated.lo80, calibrated.hi80, calibrated.lo95, calibrated.hi95))).clipped()
    chosen = per_model[selection.model]
    if _forecasts_nothing(chosen, raw):  # e.g. a median profile of sparse counts
        reason = f"{selection.model} {nothing}"
        notes.append(f"{name}: {reason}; falling back to {FALLBACK_WORDS[HistoryMean.name]}")
        chosen = history_mean().clipped()
        selection = Selection(HistoryMean.name, math.nan, math.nan, "", math.nan, reason, selection.scores)
    return result(chosen, selection, per_model if keep_all else {}, index[0])


def _calibration_errors(model_name: str, backtest: BacktestResult, raw: np.ndarray, ctx: SeriesContext,
                        options: ForecastOptions, factories: list) -> tuple[np.ndarray, np.ndarray]:
    """Backtest errors of one model for its intervals, over ``interval_folds`` weeks when that is more.

    Selection needs few folds, but the tails of the error distribution need more weeks: the extra folds
    refit only this model (or a combination's members).
    """
    if options.interval_folds <= options.backtest_folds:
        return backtest.errors(model_name)
    members = set(COMBINATIONS.get(model_name, (model_name,)))
    combos = {model_name: COMBINATIONS[model_name]} if model_name in COMBINATIONS else None
    longer = rolling_origin(raw, ctx, [f for f in factories if f[0] in members], options.interval_folds,
                            options.backtest_horizon_hours, combos)
    return longer.errors(model_name) if model_name in longer.forecasts else backtest.errors(model_name)


def _future(model_name: str, raw: np.ndarray, ctx: SeriesContext, origin: int, stop: int,
            cache: dict[str, Forecast], notes: list[str], label: str, chosen: bool) -> Forecast:
    """Fit a model (or a combination's members) on the whole history and forecast to ``stop``, without holidays and
    events (the caller applies them, with the intervals rebuilt first: bounds then move with the factors)."""
    members = COMBINATIONS.get(model_name, (model_name,))
    parts = []
    for member in members:
        if member not in cache:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fitted = fit_and_forecast(make_model(member), raw, ctx, origin, stop, adjust=False)
            cache[member] = fitted.forecast
            if chosen:
                notes.extend(f"{label}: {note}" for note in fitted.notes if f"{label}: {note}" not in notes)
        parts.append(cache[member])
    if len(parts) == 1:
        return parts[0]
    return Forecast(*(np.mean([getattr(p, c) for p in parts], axis=0) for c in ("mean", "lo80", "hi80", "lo95",
                                                                                  "hi95")))
