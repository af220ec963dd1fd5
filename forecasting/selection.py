"""Model selection per series from its backtest: a default model, replaced only on clear evidence.

With a few weekly folds, the backtest WAPE of close candidates differs by noise: picking the lowest one
chases that noise and, measured on real call data, loses to always using a robust combination. The rule is
therefore:

1. Rank the candidates that completed the backtest by WAPE (lower absolute bias breaks ties).
2. When a default model is configured and completed the backtest, it is kept unless the best-ranked model
   beats it *significantly*: a one-sided paired test on the absolute errors of consecutive 24-hour blocks
   (a Diebold-Mariano test with absolute loss) must give ``t >= switch_t``.
3. Without a default (or when it failed), the lowest WAPE wins.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from forecasting.backtest import BacktestResult

#: Hours per block of the paired test (errors within a day are strongly correlated; days much less).
BLOCK_HOURS = 24


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
        Best-scoring model other than the chosen one ("" when none).
    runner_up_wape : float
        Its backtest WAPE.
    fallback_reason : str
        Why the series fell back to seasonal naive ("" when it did not).
    scores : dict
        Every candidate's ``(wape, bias)``.
    switch_t : float
        The paired-test statistic of the best-ranked model against the default (NaN when not tested).
    """

    model: str
    wape: float
    bias: float
    runner_up: str = ""
    runner_up_wape: float = math.nan
    fallback_reason: str = ""
    scores: dict[str, tuple[float, float]] | None = None
    switch_t: float = math.nan


def paired_t(actual: np.ndarray, challenger: np.ndarray, default: np.ndarray, block: int = BLOCK_HOURS) -> float:
    """One-sided paired t statistic that ``challenger`` has lower absolute errors than ``default``.

    Absolute errors are summed per block of ``block`` consecutive hours (NaN actuals ignored; blocks with no
    volume dropped); the statistic is the mean block difference ``|e_default| - |e_challenger|`` over its
    standard error. Positive values favour the challenger; 0 when fewer than three blocks have volume or
    the differences do not vary.

    Parameters
    ----------
    actual, challenger, default : numpy.ndarray
        Aligned backtest actuals and the two models' forecasts.
    block : int
        Hours per block.

    Returns
    -------
    float
    """
    a = np.asarray(actual, dtype=float)
    ok = np.isfinite(a)
    gain = np.where(ok, np.abs(a - default) - np.abs(a - challenger), 0.0)
    volume = np.where(ok, np.abs(a), 0.0)
    ids = np.arange(len(a)) // block
    diffs = np.bincount(ids, weights=gain)
    busy = np.bincount(ids, weights=volume) > 0
    diffs = diffs[busy]
    if len(diffs) < 3:
        return 0.0
    spread = float(np.std(diffs, ddof=1))
    return float(np.mean(diffs) / (spread / math.sqrt(len(diffs)))) if spread > 0 else 0.0


def select(backtest: BacktestResult, default: str | None = None, switch_t: float = 1.645) -> Selection | None:
    """Choose a model from the backtest (see the module docstring); None when none completed it.

    Parameters
    ----------
    backtest : BacktestResult
        Scores and forecasts of every candidate.
    default : str, optional
        The model kept unless another is significantly better (None: lowest WAPE wins).
    switch_t : float
        One-sided paired t statistic needed to replace the default (1.645: 5% level).

    Returns
    -------
    Selection or None
    """
    scores = {name: backtest.score(name) for name in backtest.forecasts}
    ranked = sorted((s for s in scores.items() if not math.isnan(s[1][0])),
                    key=lambda item: (round(item[1][0], 6), abs(item[1][1]), item[0]))
    if not ranked:
        return None
    best = ranked[0][0]
    statistic = math.nan
    if default is not None and default != best and default in dict(ranked):
        statistic = paired_t(backtest.actual, backtest.forecasts[best], backtest.forecasts[default])
        if statistic < switch_t:
            best = default
    best_wape, best_bias = scores[best]
    rest = [item for item in ranked if item[0] != best]
    runner, runner_wape = (rest[0][0], rest[0][1][0]) if rest else ("", math.nan)
    return Selection(best, best_wape, best_bias, runner, runner_wape, "", scores, statistic)
