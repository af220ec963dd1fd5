"""SARIMAX regression: weekday × hour profile, holiday and event regressors, ARMA errors."""

from __future__ import annotations

import warnings

import numpy as np
from statsmodels.tsa.statespace.sarimax import SARIMAX

from forecasting.calendar import HOURS_PER_WEEK, Design
from forecasting.models.base import Forecast, Model


class SarimaxRegression(Model):
    """SARIMAX with exogenous day-of-week × hour, holiday and event-kind terms and AR errors.

    The 168 weekday-hour dummies are estimated first by least squares together with the holiday and event
    indicators; SARIMAX then gets the fitted weekday-hour profile as one regressor next to the holiday and
    event indicators, and estimates every coefficient with the AR error terms by maximum likelihood (one
    profile regressor instead of 168 dummies keeps the Kalman filter fast). Indicators that are constant in
    training are dropped (their effect cannot be learned).

    Parameters
    ----------
    weeks : int
        Training window in weeks.
    order : tuple
        ARIMA order of the errors.
    """

    name = "sarimax"
    uses_regressors = True
    min_weeks = 2

    def __init__(self, weeks: int = 8, order: tuple[int, int, int] = (2, 0, 0)) -> None:
        self.weeks = weeks
        self.order = order

    def fit(self, y: np.ndarray, design: Design) -> SarimaxRegression:
        """Least-squares profile, then SARIMAX by maximum likelihood."""
        window = self.weeks * HOURS_PER_WEEK
        y = np.asarray(y, dtype=float)[-window:]
        design = design.slice(max(len(design) - window, 0), len(design))
        how = design.how
        extra = design.regressors
        self._keep = np.flatnonzero(np.ptp(extra, axis=0) > 0) if extra.size else np.array([], dtype=int)
        dummies = np.zeros((len(y), HOURS_PER_WEEK))
        dummies[np.arange(len(y)), how] = 1.0
        present = dummies.any(axis=0)
        full = np.column_stack([dummies[:, present], extra[:, self._keep]])
        beta = np.linalg.lstsq(full, y, rcond=None)[0]
        self._profile = np.zeros(HOURS_PER_WEEK)
        self._profile[present] = beta[:present.sum()]
        # hours of week never seen in training (short series) take the hour-of-day mean
        if not present.all():
            by_hour = np.array([self._profile[present][np.arange(HOURS_PER_WEEK)[present] % 24 == h].mean()
                                if (np.arange(HOURS_PER_WEEK)[present] % 24 == h).any() else y.mean()
                                for h in range(24)])
            self._profile[~present] = by_hour[np.arange(HOURS_PER_WEEK)[~present] % 24]
        exog = self._exog(how, extra)
        resid = y - full @ beta
        if np.var(resid) <= 1e-10 * max(np.var(y), 1.0):
            raise ValueError("the weekday-hour profile explains the series exactly; nothing for SARIMAX to fit")
        # start at the least-squares solution (profile weight 1) and Yule-Walker AR terms: few iterations
        p = self.order[0]
        ar = np.linalg.lstsq(np.column_stack([resid[p - k - 1:len(resid) - k - 1] for k in range(p)]),
                             resid[p:], rcond=None)[0] if p else np.array([])
        start = np.concatenate([[1.0], beta[present.sum():], np.clip(ar, -0.95, 0.95), np.zeros(self.order[2])])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = SARIMAX(y, exog=exog, order=self.order, trend="n", concentrate_scale=True)
            self._result = model.fit(start_params=start, disp=False, maxiter=50)
        return self

    def _exog(self, how: np.ndarray, extra: np.ndarray) -> np.ndarray:
        return np.column_stack([self._profile[how], extra[:, self._keep]])

    def predict(self, design: Design) -> Forecast:
        """Forecast with the future regressors; intervals from the state-space model."""
        forecast = self._result.get_forecast(len(design), exog=self._exog(design.how, design.regressors))
        mean = np.asarray(forecast.predicted_mean)
        bounds = {}
        for level in (80, 95):
            ci = np.asarray(forecast.conf_int(alpha=1 - level / 100))
            bounds[f"lo{level}"], bounds[f"hi{level}"] = ci[:, 0], ci[:, 1]
        return Forecast(mean, **bounds)
