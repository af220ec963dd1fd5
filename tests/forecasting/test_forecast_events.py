"""Tests that events and holidays shift the forecast where they should, and only there."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.events import EventSpan
from forecasting.series_forecast import SeriesTask, forecast_series
from forecasting.settings import ForecastOptions
from tests.forecasting.forecast_helpers import synthetic


def run(spans: tuple[EventSpan, ...], model: str, values: np.ndarray | None = None) -> pd.DataFrame:
    index, y, _ = synthetic(weeks=9)
    y = y if values is None else values
    future = pd.date_range(index[-1] + pd.Timedelta(hours=1), periods=168, freq="h")
    options = ForecastOptions(models=(model,), backtest_folds=2)
    task = SeriesTask(("en", "chat"), index, y, np.full(len(y), 300.0), future, frozenset(), spans, 300.0, options)
    return forecast_series(task).frame


def test_uplift_scales_event_hours_only() -> None:
    """Tests that a future listing with uplift_percent=50 multiplies exactly its six hours by 1.5."""
    span = EventSpan("listing", pd.Timestamp("2026-03-11 12:00"), pd.Timestamp("2026-03-11 18:00"), 50.0)
    base, lifted = run((), "profile_median"), run((span,), "profile_median")
    inside = (base.index >= span.start) & (base.index < span.end)
    np.testing.assert_allclose(lifted["contacts"][inside], 1.5 * base["contacts"][inside])
    np.testing.assert_allclose(lifted["contacts"][~inside], base["contacts"][~inside])


@pytest.mark.parametrize("model", ["profile_median", "sarimax"])
def test_learned_event_effect(model: str) -> None:
    """Tests that past listings doubling volume (no uplift given) lift a future listing by 1.6-2.4x, by
    adjustment (profile) or by regressor (SARIMAX), and leave other hours within 5%."""
    index, y, _ = synthetic(weeks=9)
    past = []
    for day in ("2026-01-14", "2026-01-29", "2026-02-10", "2026-02-19", "2026-02-26"):
        start = pd.Timestamp(f"{day} 10:00")
        past.append(EventSpan("listing", start, start + pd.Timedelta(hours=4)))
        y[(index >= start) & (index < start + pd.Timedelta(hours=4))] *= 2.0
    future = EventSpan("listing", pd.Timestamp("2026-03-11 10:00"), pd.Timestamp("2026-03-11 14:00"))
    base = run(tuple(past), model, y)
    lifted = run((*past, future), model, y)
    inside = (base.index >= future.start) & (base.index < future.end)
    ratio = lifted["contacts"][inside].sum() / base["contacts"][inside].sum()
    assert 1.6 < ratio < 2.4
    np.testing.assert_allclose(lifted["contacts"][~inside], base["contacts"][~inside], rtol=0.05)
