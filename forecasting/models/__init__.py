"""Forecasting models behind one interface (:class:`Model`), and the registry the pipeline chooses from."""

from __future__ import annotations

from collections.abc import Callable

from forecasting.models.base import Forecast, Model
from forecasting.models.holt_winters import HoltWinters
from forecasting.models.mstl import MstlArima
from forecasting.models.naive import HistoryMean, SeasonalNaive
from forecasting.models.profile import RobustProfile
from forecasting.models.sarimax import SarimaxRegression

#: Model name -> factory of a fresh, unfitted model.
MODELS: dict[str, Callable[[], Model]] = {
    "seasonal_naive": SeasonalNaive,
    "profile_median": lambda: RobustProfile("median", weeks=4, halflife=None, name="profile_median"),
    "profile_ewm": lambda: RobustProfile("mean", weeks=8, halflife=3.0, name="profile_ewm"),
    "mstl_arima": MstlArima,
    "holt_winters": HoltWinters,
    "sarimax": SarimaxRegression,
}

#: Equal-weight combinations scored in the backtest from their members' forecasts (no extra fit).
COMBINATIONS: dict[str, tuple[str, ...]] = {
    "combo_profile_sarimax": ("profile_median", "sarimax"),
}

#: The fallback model's name.
FALLBACK = "seasonal_naive"


def make_model(name: str) -> Model:
    """Return a fresh model by registry name (``ValueError`` for an unknown name)."""
    try:
        return MODELS[name]()
    except KeyError:
        raise ValueError(f"unknown forecasting model '{name}'; choose from {', '.join(MODELS)}") from None


__all__ = ["COMBINATIONS", "FALLBACK", "MODELS", "Forecast", "HistoryMean", "HoltWinters", "Model", "MstlArima",
           "RobustProfile", "SarimaxRegression", "SeasonalNaive", "make_model"]
