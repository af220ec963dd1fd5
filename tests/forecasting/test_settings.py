"""The plan's ``[forecast]`` table reaches the forecast run's options, defaults included."""

from __future__ import annotations

from forecasting.settings import ForecastOptions
from inputs.config import ForecastSettings


def test_plan_settings_reach_the_options() -> None:
    """Tests that the bias guard and the calibration folds set in the plan are the ones the run uses."""
    options = ForecastOptions.from_config(ForecastSettings(max_bias=0.2, bias_wape_tolerance=0.05, interval_folds=4))
    assert (options.max_bias, options.bias_wape_tolerance, options.interval_folds) == (0.2, 0.05, 4)


def test_schema_defaults_equal_the_options_defaults() -> None:
    """Tests that a plan without those keys runs with the same values as the library's defaults."""
    plan_defaults = ForecastSettings()
    library = ForecastOptions()
    for name in ("max_bias", "bias_wape_tolerance", "interval_folds", "backtest_folds", "models", "train_weeks"):
        assert getattr(plan_defaults, name) == getattr(library, name), name
