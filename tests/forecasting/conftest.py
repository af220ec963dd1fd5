"""Fixtures of the forecasting tests."""

from __future__ import annotations

import pytest

from forecasting.settings import ForecastOptions
from tests.forecasting.forecast_helpers import FAST


@pytest.fixture
def fast_options(monkeypatch: pytest.MonkeyPatch) -> ForecastOptions:
    """Make forecast_plan use three cheap models and two folds (keeps the suite fast)."""
    monkeypatch.setattr(ForecastOptions, "from_config", classmethod(lambda cls, settings: FAST))
    return FAST
