"""Model selection per series from its backtest: lowest WAPE wins, lower absolute bias breaks ties."""

from __future__ import annotations

import math
from dataclasses import dataclass

from forecasting.backtest import BacktestResult


@dataclass(frozen=True)
class Selection:
    """The chosen model of one series, its backtest score and the runner-up.

    Attributes
    ----------
    model : str
        Chosen model.
    wape, bias : float
        Its backtest WAPE and bias (fractions; NaN when there was no backtest).
    runner_up : str
        Second-best model ("" when none).
    runner_up_wape : float
        Its backtest WAPE.
    fallback_reason : str
        Why the series fell back to seasonal naive ("" when it did not).
    scores : dict
        Every candidate's ``(wape, bias)``.
    """

    model: str
    wape: float
    bias: float
    runner_up: str = ""
    runner_up_wape: float = math.nan
    fallback_reason: str = ""
    scores: dict[str, tuple[float, float]] | None = None


def select(backtest: BacktestResult) -> Selection | None:
    """Rank the models that completed the backtest; None when none did or no fold had volume."""
    scores = {name: backtest.score(name) for name in backtest.forecasts}
    ranked = sorted((s for s in scores.items() if not math.isnan(s[1][0])),
                    key=lambda item: (round(item[1][0], 6), abs(item[1][1]), item[0]))
    if not ranked:
        return None
    (best, (best_wape, best_bias)), rest = ranked[0], ranked[1:]
    runner, runner_wape = (rest[0][0], rest[0][1][0]) if rest else ("", math.nan)
    return Selection(best, best_wape, best_bias, runner, runner_wape, "", scores)
