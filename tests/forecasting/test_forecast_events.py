"""Tests that events and holidays shift the forecast where they should, and only there."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecasting import forecast_plan
from forecasting.events import EventSpan
from forecasting.series_forecast import SeriesTask, forecast_series
from forecasting.settings import ForecastOptions
from inputs.plan_loader import load_plan
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


def run_long(model: str, values: np.ndarray, index: pd.DatetimeIndex, spans: tuple[EventSpan, ...] = (),
             holidays: frozenset = frozenset()) -> pd.Series:
    """Forecast the week after ``index`` with ``model`` kept whatever the backtest says; the contacts."""
    future = pd.date_range(index[-1] + pd.Timedelta(hours=1), periods=168, freq="h")
    options = ForecastOptions(models=(model,), default_model=model, switch_t=math.inf, max_bias=math.inf,
                              backtest_folds=2)
    task = SeriesTask(("en", "chat"), index, values, np.full(len(values), 300.0), future, holidays, spans, 300.0,
                      options)
    return forecast_series(task).frame["contacts"]


#: Five past listings of 4 hours, 11 to 18 weeks before the end of a 20-week history: inside train_weeks (26),
#: before SARIMAX's 8-week window (from 2026-03-30), where its listing indicator is therefore all zero.
OLD_LISTINGS = ("2026-01-21", "2026-02-04", "2026-02-12", "2026-02-25", "2026-03-12")


@pytest.mark.parametrize("model", ["profile_median", "sarimax", "combo_profile_sarimax"])
def test_listing_learned_before_the_sarimax_window_moves_every_model(model: str) -> None:
    """Tests that past listings that doubled volume, all older than SARIMAX's 8-week window, lift a future listing
    by the ratio learned from the history (about 2: actual / robust expected of each listing, median over the five)
    whatever the model: one factor in each of its 4 hours, every other hour unchanged. SARIMAX dropped the all-zero
    indicator and left the listing at 1.00x (the combination at about 1.5x)."""
    index, y, _ = synthetic(weeks=20)
    past = []
    for day in OLD_LISTINGS:
        start = pd.Timestamp(f"{day} 10:00")
        past.append(EventSpan("listing", start, start + pd.Timedelta(hours=4)))
        y[(index >= start) & (index < start + pd.Timedelta(hours=4))] *= 2.0
    future = EventSpan("listing", pd.Timestamp("2026-05-27 10:00"), pd.Timestamp("2026-05-27 14:00"))
    base = run_long(model, y, index, tuple(past))
    lifted = run_long(model, y, index, (*past, future))
    inside = (base.index >= future.start) & (base.index < future.end)
    ratio = (lifted[inside] / base[inside]).to_numpy()
    assert 1.9 < ratio[0] < 2.1
    np.testing.assert_allclose(ratio, ratio[0])
    np.testing.assert_allclose(lifted[~inside], base[~inside])


@pytest.mark.parametrize("model", ["profile_median", "sarimax", "combo_profile_sarimax"])
def test_holiday_learned_before_the_sarimax_window_moves_every_model(model: str) -> None:
    """Tests that a public holiday at 30% of the usual volume 14 weeks back (before SARIMAX's 8-week window) brings
    a future holiday down to about 0.3 times the forecast without it, with every model; SARIMAX left it at 1.00x."""
    index, y, _ = synthetic(weeks=20)
    past_day = pd.Timestamp("2026-02-18")  # a Wednesday
    y[index.normalize() == past_day] *= 0.3
    future_day = pd.Timestamp("2026-05-27")  # the Wednesday of the forecast week
    base = run_long(model, y, index, holidays=frozenset({past_day.date()}))
    lowered = run_long(model, y, index, holidays=frozenset({past_day.date(), future_day.date()}))
    inside = base.index.normalize() == future_day
    assert 0.27 < lowered[inside].sum() / base[inside].sum() < 0.33
    np.testing.assert_allclose(lowered[~inside], base[~inside])


def test_metadata_says_which_events_move_the_forecast(tiny_plan: Path, fast_options: object) -> None:
    """Tests that the metadata lists each event in the horizon per queue with the factor applied and where it comes
    from: the tiny plan's en/chat listing its uplift_percent (+40%: 1.4), a promotion of a kind never seen in the
    history no effect, said in words (before, only a warning in the log said so)."""
    events = tiny_plan / "events.csv"
    events.write_text(events.read_text() + "Spring promo,promotion,2026-03-26T10:00,2026-03-26T14:00,en,chat,\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = forecast_plan(load_plan(tiny_plan), n_jobs=1)
    unseen = "no uplift_percent and no past promotion in the history to learn from; the forecast ignores it"
    assert result.metadata["events"]["en/chat"] == [
        {"name": "Token listing", "kind": "listing", "start_local": "2026-03-25 12:00", "end_local": "2026-03-25 18:00",
         "effect": "uplift_percent", "factor": 1.4},
        {"name": "Spring promo", "kind": "promotion", "start_local": "2026-03-26 10:00",
         "end_local": "2026-03-26 14:00", "effect": "none", "factor": 1.0, "note": unseen},
    ]
    assert "en/phone" not in result.metadata["events"]  # no event in its horizon
    assert any(unseen in warning for warning in result.metadata["warnings"])
