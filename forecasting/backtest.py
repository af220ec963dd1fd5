"""Rolling-origin backtest of candidate models on one series: the weekly refit a cron job would do.

Each fold cuts the history at an origin, cleans the training part (nothing after the origin is seen),
fits every candidate, forecasts ``horizon`` hours and compares with the raw actuals. Folds are one week
apart and end at the end of the history.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from forecasting.calendar import HOURS_PER_WEEK, Design, naive_utc
from forecasting.cleaning import Cleaned, clean
from forecasting.events import Effect, Occurrence, adjustment_factors, occurrence_ratios, resolve_effects
from forecasting.metrics import bias, wape
from forecasting.models.base import Forecast, Model


@dataclass
class SeriesContext:
    """What a fit needs besides the numbers: design, known-hour mask, holidays and events of the series.

    Attributes
    ----------
    design : Design
        Calendar and regressors of the whole grid (history and future).
    known : numpy.ndarray
        Holiday and event hours (cleaned before fitting).
    holidays : frozenset of datetime.date
        Public holidays.
    spans : tuple of EventSpan
        The series' events.
    outlier_threshold : float
        Robust z-score above which an hour is cleaned.
    key : tuple of str
        (language, channel) of the series.
    pooled : tuple of Occurrence
        Other queues' past holidays and events, for the kinds this series has too few of
        (:func:`forecasting.events.resolve_effects`).
    time_zone : str, optional
        The clock of the design's labels, through which a backtest origin is compared with the pooled occurrences'
        ends in UTC (None: they are on the same clock).
    train_weeks : int
        The most weeks of history fitted and learned from (for the message about an event with nothing to learn
        from).
    """

    design: Design
    known: np.ndarray
    holidays: frozenset
    spans: tuple
    outlier_threshold: float = 4.0
    key: tuple[str, str] = ("", "")
    pooled: tuple[Occurrence, ...] = ()
    time_zone: str | None = None
    train_weeks: int = 26


@dataclass
class Fitted:
    """A model's adjusted forecast from one origin."""

    forecast: Forecast
    notes: list[str] = field(default_factory=list)


def own_occurrences(raw: np.ndarray, ctx: SeriesContext, origin: int) -> tuple[Cleaned, list[Occurrence]]:
    """Clean ``raw[:origin]`` and measure each of its holidays and events (:func:`occurrence_ratios`)."""
    index = ctx.design.index[:origin]
    cleaned = clean(raw[:origin], index, ctx.known[:origin], threshold=ctx.outlier_threshold)
    return cleaned, occurrence_ratios(raw[:origin], cleaned.expected, index, ctx.holidays, ctx.spans, ctx.key)


def clean_and_learn(raw: np.ndarray, ctx: SeriesContext, origin: int) -> tuple[Cleaned, dict[str, Effect]]:
    """Clean ``raw[:origin]`` and learn the holiday and event ratios from it, a kind it has too few occurrences of
    from the other queues' occurrences that were over by the origin (:func:`resolve_effects`)."""
    cleaned, own = own_occurrences(raw, ctx, origin)
    cut = None
    if origin:  # the earlier instant of a repeated hour: an occurrence must be over by then
        cut = naive_utc(ctx.design.index[origin - 1] + pd.Timedelta(hours=1), ctx.time_zone, later=False)
    return cleaned, resolve_effects(own, ctx.pooled, ctx.key, before=cut)


def fit_and_forecast(model: Model, raw: np.ndarray, ctx: SeriesContext, origin: int, stop: int, *,
                     adjust: bool = True) -> Fitted:
    """Clean ``raw[:origin]``, fit ``model``, forecast hours ``origin:stop`` and apply events and holidays.

    Holidays and events are applied to every model's forecast alike: an event's ``uplift_percent``, else the ratio of
    its kind learned from ``raw[:origin]`` (or pooled over other queues, :func:`clean_and_learn`); an hour an event
    covers in part moves by the share it covers (:func:`forecasting.events.adjustment_factors`).

    Parameters
    ----------
    model : Model
        A fresh model.
    raw : numpy.ndarray
        The whole series (NaN where missing); only ``raw[:origin]`` is used.
    ctx : SeriesContext
        Design covering at least ``0:stop``.
    origin, stop : int
        Forecast hours ``origin`` to ``stop - 1``.
    adjust : bool
        Apply the holidays and events (False: the forecast without them, which the caller adjusts; the notes about
        events without an effect are still made).
    """
    train_design = ctx.design.slice(0, origin)
    cleaned, effects = clean_and_learn(raw, ctx, origin)
    y = cleaned.for_regression if model.uses_regressors else cleaned.full
    model.fit(y, train_design)
    future = ctx.design.slice(origin, stop)
    forecast = model.predict(future)
    if len(forecast) != stop - origin or not np.isfinite(forecast.mean).all():
        raise ValueError(f"{model.name} returned {len(forecast)} values, {np.isfinite(forecast.mean).sum()} "
                         f"finite, for {stop - origin} hours")
    factors, notes = adjustment_factors(future.index, ctx.holidays, ctx.spans,
                                        {kind: effect.ratio for kind, effect in effects.items()}, ctx.train_weeks)
    return Fitted(forecast.scaled(factors) if adjust else forecast, notes)


@dataclass
class BacktestResult:
    """Backtest forecasts and scores of every candidate on one series.

    Attributes
    ----------
    actual : numpy.ndarray
        Concatenated actuals of all folds.
    forecasts : dict
        Model name -> concatenated point forecasts (only models that succeeded in every fold).
    failures : dict
        Model name -> reason it failed.
    origins : list of int
        Fold origins (positions in the series).
    """

    actual: np.ndarray
    forecasts: dict[str, np.ndarray]
    failures: dict[str, str]
    origins: list[int]

    def score(self, name: str) -> tuple[float, float]:
        """WAPE and bias of a model over all folds."""
        return wape(self.actual, self.forecasts[name]), bias(self.actual, self.forecasts[name])

    def errors(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """Errors (actual - forecast) and forecasts of a model, for interval calibration."""
        f = self.forecasts[name]
        return self.actual - f, f


def fold_origins(n: int, folds: int, horizon: int, min_train: int) -> list[int]:
    """Origins one week apart, the last one ``horizon`` hours before the end, each with ``min_train`` hours."""
    last = n - horizon
    origins = [last - k * HOURS_PER_WEEK for k in range(folds - 1, -1, -1)]
    return [o for o in origins if o >= min_train]


def rolling_origin(raw: np.ndarray, ctx: SeriesContext, factories: Sequence[tuple[str, Callable[[], Model]]],
                   folds: int, horizon: int, combinations: dict[str, tuple[str, ...]] | None = None
                   ) -> BacktestResult:
    """Backtest every candidate over ``folds`` weekly origins.

    A model that fails in any fold, or needs more weeks than the first fold has, is left out with its reason.
    ``combinations`` (name -> member names) are scored as the mean of their members' forecasts when every
    member completed the backtest.
    """
    n = len(raw)
    origins = fold_origins(n, folds, horizon, 2 * HOURS_PER_WEEK)
    actual = np.concatenate([raw[o:o + horizon] for o in origins]) if origins else np.array([])
    forecasts: dict[str, np.ndarray] = {}
    failures: dict[str, str] = {}
    for name, factory in factories:
        parts = []
        for origin in origins:
            model = factory()
            if origin < model.min_weeks * HOURS_PER_WEEK:
                failures[name] = f"needs {model.min_weeks} weeks of training before the first backtest fold"
                break
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    parts.append(fit_and_forecast(model, raw, ctx, origin, origin + horizon).forecast.mean)
            except Exception as exc:
                failures[name] = f"{type(exc).__name__}: {exc}"
                break
        else:
            if origins:
                forecasts[name] = np.maximum(np.concatenate(parts), 0.0)
    for combo, members in (combinations or {}).items():
        if all(m in forecasts for m in members):
            forecasts[combo] = np.mean([forecasts[m] for m in members], axis=0)
    return BacktestResult(actual, forecasts, failures, origins)
