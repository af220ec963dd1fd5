"""Forecast settings: the ``[forecast]`` table of shiftplan.toml, with defaults for keys it lacks yet."""

from __future__ import annotations

from dataclasses import dataclass, fields

from forecasting.models import COMBINATIONS, MODELS

#: Every model the registry offers (what ``[forecast] models`` may name).
ALL_MODELS: tuple[str, ...] = (*MODELS, *COMBINATIONS)
#: The default candidates: the same as ``[forecast] models`` of the plan schema. MSTL and Holt-Winters are
#: left out: they never won on the real-data benchmarks and MSTL costs most of the CPU time.
DEFAULT_MODELS: tuple[str, ...] = ("seasonal_naive", "profile_median", "profile_ewm", "sarimax",
                                   "combo_profile_sarimax")


@dataclass(frozen=True)
class ForecastOptions:
    """Settings of one forecast run.

    Attributes
    ----------
    models : tuple of str
        Candidate models (registry names); seasonal naive is always added as the fallback.
    default_model : str
        Kept unless another candidate is significantly better in the backtest (see
        :mod:`forecasting.selection`); ignored when it is not among ``models`` ("": lowest WAPE wins).
    switch_t : float
        One-sided paired t statistic a challenger needs to replace ``default_model``.
    max_bias : float
        Bias guard (:func:`forecasting.selection.bias_guard`): a chosen model whose backtest bias is beyond
        this fraction either way is replaced by the least-biased candidate within ``bias_wape_tolerance``
        of its WAPE (``inf``: no guard).
    bias_wape_tolerance : float
        How much higher (fraction of the chosen model's WAPE) the guard lets a replacement's WAPE be.
    backtest_folds : int
        Rolling-origin folds (one week apart) used to choose a model per series.
    interval_folds : int
        Weekly folds whose errors calibrate the chosen model's intervals (the extra folds refit only it).
    backtest_horizon_hours : int
        Hours forecast from each origin (168: the weekly cron's refit).
    train_weeks : int
        Most recent weeks of history used at all (older history is ignored, for speed and relevance).
    min_history_weeks : int
        Fewer weeks than this and the series falls back to seasonal naive.
    outlier_threshold : float
        Robust z-score above which an hour counts as a surge or outage and is cleaned.
    holiday_countries : tuple of str
        Markets whose public holidays matter (``"DE"``, ``"US-NY"``); empty: the plan time zone's country.
    interval_calibration : bool
        Rebuild every interval from the chosen model's backtest errors (split conformal).
    """

    models: tuple[str, ...] = DEFAULT_MODELS
    default_model: str = "combo_profile_sarimax"
    switch_t: float = 1.645
    max_bias: float = 0.10
    bias_wape_tolerance: float = 0.10
    backtest_folds: int = 3
    interval_folds: int = 6
    backtest_horizon_hours: int = 168
    train_weeks: int = 26
    min_history_weeks: int = 4
    outlier_threshold: float = 4.0
    holiday_countries: tuple[str, ...] = ()
    interval_calibration: bool = True

    @classmethod
    def from_config(cls, settings: object) -> ForecastOptions:
        """Read a ``[forecast]`` section (``getattr`` with defaults, so keys not yet in the schema work)."""
        values = {}
        for item in fields(cls):
            value = getattr(settings, item.name, None)
            if value is None:
                continue
            values[item.name] = tuple(value) if isinstance(value, list | tuple) else value
        options = cls(**values)
        unknown = [m for m in options.models if m not in MODELS and m not in COMBINATIONS]
        if unknown:
            raise ValueError(f"[forecast] models has unknown model(s) {', '.join(unknown)}; choose from "
                             f"{', '.join(ALL_MODELS)}")
        return options

    def as_dict(self) -> dict[str, object]:
        """The settings as plain values (for metadata)."""
        return {item.name: (list(v) if isinstance(v := getattr(self, item.name), tuple) else v)
                for item in fields(self)}
