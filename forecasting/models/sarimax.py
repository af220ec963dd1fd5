"""SARIMAX regression: weekday × hour profile, holiday and event regressors, ARMA errors."""

from __future__ import annotations

import warnings

import numpy as np
from statsmodels.tsa.statespace.sarimax import SARIMAX

from forecasting.calendar import HOURS_PER_WEEK, Design
from forecasting.models.base import Forecast, Model


def weekday_hour_regression(y: np.ndarray, how: np.ndarray, regressors: np.ndarray
                            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Least squares of ``y`` on 168 weekday-hour dummies plus ``regressors``, without the dummy matrix.

    By Frisch-Waugh-Lovell: the regressors' coefficients come from the within-weekday-hour (demeaned)
    regression, and each weekday-hour's coefficient is its mean of ``y - regressors @ gamma``. The result
    equals ``lstsq([dummies, regressors], y)``; it costs O(n k) instead of an n × 169 SVD, which a
    multi-threaded BLAS on a busy machine made the slowest step of the whole forecast.

    Parameters
    ----------
    y : numpy.ndarray
        The series (no NaN).
    how : numpy.ndarray
        Hour of week (0..167) of every row.
    regressors : numpy.ndarray
        ``(n, k)`` extra columns (k may be 0).

    Returns
    -------
    tuple
        ``present`` (weekday-hours seen), ``gamma`` (k coefficients) and the 168-value profile (0 where
        not present).
    """
    counts = np.bincount(how, minlength=HOURS_PER_WEEK).astype(float)
    present = counts > 0
    safe = np.where(present, counts, 1.0)

    def group_mean(values: np.ndarray) -> np.ndarray:
        return np.bincount(how, weights=values, minlength=HOURS_PER_WEEK) / safe

    gamma = np.zeros(regressors.shape[1])
    if regressors.shape[1]:
        within = regressors - np.column_stack([group_mean(col)[how] for col in regressors.T])
        gamma = np.linalg.lstsq(within, y - group_mean(y)[how], rcond=None)[0]
    profile = np.where(present, group_mean(y - regressors @ gamma), 0.0)
    return present, gamma, profile


class SarimaxRegression(Model):
    """SARIMAX with exogenous day-of-week × hour, holiday and event-kind terms and AR errors.

    The 168 weekday-hour dummies are estimated first by least squares together with the holiday and event
    indicators; SARIMAX then gets the fitted weekday-hour profile as one regressor next to the holiday and
    event indicators, and estimates every coefficient with the AR error terms by maximum likelihood (one
    profile regressor instead of 168 dummies keeps the Kalman filter fast). Indicators that are constant in
    its training window are dropped.

    The indicators let the fit absorb the holidays and events of its window, so they bend neither the profile nor
    the AR terms; the forecast itself leaves them out (:meth:`predict` sets them to 0). It is the volume without
    holidays and events, which the pipeline then multiplies by each one's factor, as it does every other model's
    (the event's ``uplift_percent``, else the ratio learned from the history, pooled over queues when the queue has
    few occurrences: :func:`forecasting.events.adjustment_factors`). So an event moves every model by the factor
    the forecast's metadata lists. Before, SARIMAX forecast a kind of its window with its own additive coefficient,
    estimated from the one or two occurrences of its 8 weeks: an explicit uplift came on top of it (counted twice)
    and a learned event moved by another factor than the one listed.

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
        regressors = extra[:, self._keep]
        present, gamma, self._profile = weekday_hour_regression(y, how, regressors)
        # hours of week never seen in training (short series) take the hour-of-day mean
        if not present.all():
            by_hour = np.array([self._profile[present][np.arange(HOURS_PER_WEEK)[present] % 24 == h].mean()
                                if (np.arange(HOURS_PER_WEEK)[present] % 24 == h).any() else y.mean()
                                for h in range(24)])
            self._profile[~present] = by_hour[np.arange(HOURS_PER_WEEK)[~present] % 24]
        exog = self._exog(how, extra)
        resid = y - self._profile[how] - regressors @ gamma
        if np.var(resid) <= 1e-10 * max(np.var(y), 1.0):
            raise ValueError("the weekday-hour profile explains the series exactly; nothing for SARIMAX to fit")
        # start at the least-squares solution (profile weight 1) and Yule-Walker AR terms: few iterations
        p = self.order[0]
        ar = np.linalg.lstsq(np.column_stack([resid[p - k - 1:len(resid) - k - 1] for k in range(p)]),
                             resid[p:], rcond=None)[0] if p else np.array([])
        start = np.concatenate([[1.0], gamma, np.clip(ar, -0.95, 0.95), np.zeros(self.order[2])])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = SARIMAX(y, exog=exog, order=self.order, trend="n", concentrate_scale=True)
            self._result = model.fit(start_params=start, disp=False, maxiter=50)
        return self

    def _exog(self, how: np.ndarray, extra: np.ndarray) -> np.ndarray:
        return np.column_stack([self._profile[how], extra[:, self._keep]])

    def predict(self, design: Design) -> Forecast:
        """Forecast without holidays and events (their indicators 0: the pipeline applies their factors);
        intervals from the state-space model."""
        forecast = self._result.get_forecast(len(design), exog=self._exog(design.how,
                                                                          np.zeros_like(design.regressors)))
        mean = np.asarray(forecast.predicted_mean)
        bounds = {}
        for level in (80, 95):
            ci = np.asarray(forecast.conf_int(alpha=1 - level / 100))
            bounds[f"lo{level}"], bounds[f"hi{level}"] = ci[:, 0], ci[:, 1]
        return Forecast(mean, **bounds)
