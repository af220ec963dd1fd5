"""The one small interface every model implements: fit on a series, forecast h steps with intervals."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from forecasting.calendar import Design
from forecasting.intervals import intervals_from_errors


@dataclass(frozen=True)
class Forecast:
    """Point forecast and 80% / 95% prediction intervals, one value per future hour."""

    mean: np.ndarray
    lo80: np.ndarray
    hi80: np.ndarray
    lo95: np.ndarray
    hi95: np.ndarray

    @classmethod
    def from_errors(cls, mean: np.ndarray, errors: np.ndarray, reference: np.ndarray) -> Forecast:
        """A forecast whose intervals come from observed errors (see :mod:`forecasting.intervals`)."""
        mean = np.asarray(mean, dtype=float)
        return cls(mean, **intervals_from_errors(mean, errors, reference))

    def with_intervals_from(self, errors: np.ndarray, reference: np.ndarray) -> Forecast:
        """The same point forecast with intervals rebuilt from other errors (e.g. backtest errors)."""
        return Forecast.from_errors(self.mean, errors, reference)

    def scaled(self, factors: np.ndarray) -> Forecast:
        """Every column multiplied by ``factors`` (events, holidays, scenarios)."""
        f = np.asarray(factors, dtype=float)
        return Forecast(self.mean * f, self.lo80 * f, self.hi80 * f, self.lo95 * f, self.hi95 * f)

    def clipped(self) -> Forecast:
        """Non-negative, with ordered bounds ``lo95 <= lo80 <= mean <= hi80 <= hi95``."""
        mean = np.maximum(np.nan_to_num(self.mean), 0.0)
        lo80 = np.clip(np.nan_to_num(self.lo80), 0.0, mean)
        lo95 = np.clip(np.nan_to_num(self.lo95), 0.0, lo80)
        hi80 = np.maximum(np.nan_to_num(self.hi80), mean)
        hi95 = np.maximum(np.nan_to_num(self.hi95), hi80)
        return Forecast(mean, lo80, hi80, lo95, hi95)

    def __len__(self) -> int:
        return len(self.mean)


class Model(ABC):
    """A forecasting model for one hourly series on the local grid.

    ``fit`` receives a cleaned series (no NaN) with its design (calendar and regressors); ``predict``
    receives the design of the hours that follow the training series directly and returns a
    :class:`Forecast` of the same length, without the effect of holidays and events: the caller multiplies it by
    their factors (:func:`forecasting.events.adjustment_factors`), the same for every model. A model raises on
    failure; the caller falls back.
    """

    name: ClassVar[str] = "model"
    #: Whether the model fits around holidays and events with regressors (it then gets them uncleaned).
    uses_regressors: ClassVar[bool] = False
    #: Fewest weeks of training the model needs.
    min_weeks: ClassVar[int] = 1

    @abstractmethod
    def fit(self, y: np.ndarray, design: Design) -> Model:
        """Fit on ``y`` (hourly, cleaned) and return ``self``."""

    @abstractmethod
    def predict(self, design: Design) -> Forecast:
        """Forecast the hours of ``design`` (directly after the training series)."""


def repeat_last(values: np.ndarray, period: int, steps: int) -> np.ndarray:
    """Continue the last full ``period`` of ``values`` for ``steps`` steps (seasonal naive of a component)."""
    last = np.asarray(values, dtype=float)[-period:]
    return np.resize(last, steps) if len(last) == period else np.full(steps, float(np.mean(values)))
