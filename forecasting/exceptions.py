"""Warning and error types of the forecasting stage.

Degraded behaviour (a fallback model, an event with no known effect, an even intra-hour split) warns with a
:class:`ForecastWarning` subclass; it never silently changes the answer.
"""

from __future__ import annotations


class ForecastWarning(UserWarning):
    """Base class of every warning the forecasting stage emits."""


class FallbackWarning(ForecastWarning):
    """A series fell back to seasonal naive (too short, all zeros, or a model failed)."""


class EventWarning(ForecastWarning):
    """A known event or holiday could not be given an effect (no uplift given and none learned)."""


class GridWarning(ForecastWarning):
    """The planning grid was split without a measured intra-hour shape."""


class ModelFitError(RuntimeError):
    """A model could not be fitted or could not forecast."""
