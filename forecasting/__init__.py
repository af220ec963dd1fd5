"""shiftplan forecasting: history -> hourly volume and AHT per queue, with intervals, chosen by backtest.

Public API
----------
forecast_plan
    Forecast a validated plan (returns :class:`ForecastResult`).
to_planning_grid
    Split hourly forecasts into the plan's 15/30-minute grid by the history's intra-hour shape.
parse_scenario, parse_scenarios
    Parse a what-if such as ``"chat +60% 2026-12-03T12:00/6h"`` (or several, which all apply).
apply_scenarios
    Scale a forecast, hourly or on the planning grid, by scenarios, and say what each one moved.
"""

from forecasting.exceptions import EventWarning, FallbackWarning, ForecastWarning, GridWarning, ModelFitError
from forecasting.grid import to_planning_grid
from forecasting.models import MODELS, Forecast, Model
from forecasting.pipeline import ForecastResult, forecast_plan
from forecasting.scenario import Scenario, parse_scenario, parse_scenarios
from forecasting.scenario_apply import AppliedScenarios, apply_scenarios
from forecasting.settings import ForecastOptions

__all__ = [
    "MODELS", "AppliedScenarios", "EventWarning", "FallbackWarning", "Forecast", "ForecastOptions", "ForecastResult",
    "ForecastWarning", "GridWarning", "Model", "ModelFitError", "Scenario", "apply_scenarios", "forecast_plan",
    "parse_scenario", "parse_scenarios", "to_planning_grid",
]
