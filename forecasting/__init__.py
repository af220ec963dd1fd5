"""shiftplan forecasting: history -> hourly volume and AHT per queue, with intervals, chosen by backtest.

Public API
----------
forecast_plan
    Forecast a validated plan (returns :class:`ForecastResult`).
to_planning_grid
    Split hourly forecasts into the plan's 15/30-minute grid by the history's intra-hour shape.
parse_scenario
    Parse a what-if such as ``"chat +60% 2026-12-03T12:00/6h"``.
"""

from forecasting.exceptions import EventWarning, FallbackWarning, ForecastWarning, GridWarning, ModelFitError
from forecasting.grid import to_planning_grid
from forecasting.models import MODELS, Forecast, Model
from forecasting.pipeline import ForecastResult, forecast_plan
from forecasting.scenario import Scenario, apply_scenario, parse_scenario
from forecasting.settings import ForecastOptions

__all__ = [
    "MODELS", "EventWarning", "FallbackWarning", "Forecast", "ForecastOptions", "ForecastResult", "ForecastWarning",
    "GridWarning", "Model", "ModelFitError", "Scenario", "apply_scenario", "forecast_plan", "parse_scenario",
    "to_planning_grid",
]
