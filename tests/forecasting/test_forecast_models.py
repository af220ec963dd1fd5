"""Tests of the models behind the common interface."""

from __future__ import annotations

import numpy as np
import pytest

from forecasting.events import design_for
from forecasting.models import MODELS, make_model
from tests.forecasting.forecast_helpers import synthetic


@pytest.mark.parametrize("name", ["profile_median", "profile_ewm", "mstl_arima", "holt_winters", "sarimax"])
def test_seasonality_recovered(name: str) -> None:
    """Tests that every model recovers known daily and weekly components within 6% WAPE (noise is ~2.5%)."""
    index, y, signal = synthetic(weeks=9)
    train = 8 * 168
    design = design_for(index, frozenset(), (), ())
    model = make_model(name).fit(y[:train], design.slice(0, train))
    forecast = model.predict(design.slice(train, len(index))).clipped()
    truth = signal[train:]
    wape = np.abs(forecast.mean - truth).sum() / truth.sum()
    assert wape < 0.06, f"{name}: WAPE {wape:.3f}"
    assert (forecast.lo95 <= forecast.lo80).all() and (forecast.lo80 <= forecast.mean).all()
    assert (forecast.mean <= forecast.hi80).all() and (forecast.hi80 <= forecast.hi95).all()
    assert (forecast.lo95 >= 0).all()


def test_seasonal_naive_repeats_last_week() -> None:
    """Tests that seasonal naive forecasts exactly the last training week."""
    index, y, _ = synthetic(weeks=3)
    design = design_for(index, frozenset(), (), ())
    model = make_model("seasonal_naive").fit(y[:336], design.slice(0, 336))
    np.testing.assert_allclose(model.predict(design.slice(336, 504)).mean, y[168:336])


def test_unknown_model_name() -> None:
    """Tests that an unknown model name is a ValueError listing the choices."""
    with pytest.raises(ValueError, match="unknown forecasting model 'nope'; choose from seasonal_naive"):
        make_model("nope")
    assert "seasonal_naive" in MODELS


def test_profile_leaves_out_holiday_weeks() -> None:
    """Tests that the Tuesday backlog after a Monday holiday (volume doubled, +16% on the week: not an outlier
    week) stays out of the profile: with the rule the forecast is the clean pattern exactly, without it the
    Tuesday is 1.5 times too high (mean of two weeks)."""
    from forecasting.models.profile import RobustProfile

    index, _, signal = synthetic(weeks=6)
    y = signal.copy()
    tuesday = slice(4 * 168 + 24, 4 * 168 + 48)  # the second-last week: holiday Monday, backlog Tuesday
    y[tuesday] *= 2.0
    design = design_for(index, frozenset({index[4 * 168].date()}), (), ())
    future = design_for(index[:168] + np.timedelta64(6 * 7, "D"), frozenset(), (), ())
    skip = RobustProfile("mean", weeks=2, halflife=None, lags=()).fit(y, design)
    np.testing.assert_allclose(skip.predict(future).mean, signal[:168])
    keep = RobustProfile("mean", weeks=2, halflife=None, lags=(), skip_holiday_weeks=False).fit(y, design)
    np.testing.assert_allclose(keep.predict(future).mean[24:48], 1.5 * signal[24:48])


def test_weekday_hour_regression_equals_dummy_least_squares() -> None:
    """Tests that the dummy-free least squares gives the same profile and coefficients as lstsq on the full
    dummy matrix (seeded data, two regressors, one weekday-hour never seen)."""
    from forecasting.models.sarimax import weekday_hour_regression
    from forecasting.threads import single_blas_thread

    rng = np.random.default_rng(9)
    how = rng.integers(0, 167, 2000)  # hour of week 167 never appears
    regressors = np.column_stack([rng.random(2000) < 0.1, rng.normal(size=2000)]).astype(float)
    y = rng.normal(100, 10, 2000) + 30 * regressors[:, 0] - 5 * regressors[:, 1]
    present, gamma, profile = weekday_hour_regression(y, how, regressors)
    dummies = np.zeros((2000, 168))
    dummies[np.arange(2000), how] = 1.0
    with single_blas_thread():  # a 2000 x 169 SVD: slow with BLAS threads on a busy machine
        beta = np.linalg.lstsq(np.column_stack([dummies[:, :167], regressors]), y, rcond=None)[0]
    assert present.tolist() == [True] * 167 + [False]
    np.testing.assert_allclose(profile[:167], beta[:167], atol=1e-8)
    np.testing.assert_allclose(gamma, beta[167:], atol=1e-8)
