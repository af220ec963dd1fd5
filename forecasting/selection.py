"""Model selection per series from its backtest: a default model, replaced only on clear evidence.

With a few weekly folds, the backtest WAPE of close candidates differs by noise: picking the lowest one
chases that noise and, measured on real call data, loses to always using a robust combination. The rule is
therefore:

1. Rank the candidates that completed the backtest by WAPE (lower absolute bias breaks ties).
2. When a default model is configured and completed the backtest, it is kept unless the best-ranked model
   beats it *significantly*: a one-sided paired test on the absolute errors of consecutive 24-hour blocks
   (a Diebold-Mariano test with absolute loss) must give ``t >= switch_t``.
3. Without a default (or when it failed), the lowest WAPE wins.
4. Bias guard: when the model chosen so far has a backtest bias beyond ``max_bias`` (either sign), the
   candidate with the smallest absolute bias among those whose WAPE is within ``bias_wape_tolerance``
   (relative) of the chosen one's replaces it. WAPE is minimised by a median, and on counts near 1 a
   median sits far below the mean (measured on the anonymous bank: -45% to -51% for the median profile,
   -24% to -26% for the default combination), while staffing needs the workload, which is the mean.
   Measured on both banks before adopting it (``benchmarks/BENCHMARKS_forecasting.md``).
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
    bias_guarded : str
        The model the bias guard replaced ("" when it did not act).
    reason : str
        Why this model, in words (:func:`choice_reason`): which rule chose it, and why a runner-up with a lower
        backtest WAPE lost.
    """

    model: str
    wape: float
    bias: float
    runner_up: str = ""
    runner_up_wape: float = math.nan
    fallback_reason: str = ""
    scores: dict[str, tuple[float, float]] | None = None
    switch_t: float = math.nan
    bias_guarded: str = ""
    reason: str = ""


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


def bias_guard(scores: dict[str, tuple[float, float]], chosen: str, max_bias: float,
               wape_tolerance: float) -> str:
    """The model to use instead of ``chosen`` when its backtest bias is beyond ``max_bias``.

    Parameters
    ----------
    scores : dict
        Model -> backtest ``(wape, bias)`` (NaN WAPE: not a candidate).
    chosen : str
        The model chosen on WAPE.
    max_bias : float
        Largest absolute bias (fraction) left alone; ``inf`` turns the guard off.
    wape_tolerance : float
        A replacement's WAPE may exceed the chosen one's by at most this fraction of it.

    Returns
    -------
    str
        ``chosen`` when its bias is within ``max_bias`` or no candidate within the tolerance is less
        biased; otherwise the least-biased candidate within the tolerance.
    """
    wape_chosen, bias_chosen = scores[chosen]
    if not abs(bias_chosen) > max_bias:
        return chosen
    limit = wape_chosen * (1.0 + wape_tolerance)
    eligible = [name for name, (w, _) in scores.items() if not math.isnan(w) and w <= limit]
    return min(eligible, key=lambda name: (abs(scores[name][1]), scores[name][0], name))


def _percent(value: float) -> str:
    return f"{100 * value:+.1f}%"


def choice_reason(scores: dict[str, tuple[float, float]], best_ranked: str, default: str | None, statistic: float,
                  switch_t: float, guarded: str, chosen: str, max_bias: float, bias_wape_tolerance: float) -> str:
    """Why :func:`select` chose ``chosen``, in words; when ``best_ranked`` (the lowest WAPE) lost, why it lost.

    Parameters
    ----------
    scores : dict
        Model -> backtest ``(wape, bias)`` of the candidates that completed it.
    best_ranked : str
        The candidate with the lowest WAPE (ties: lowest absolute bias).
    default : str, optional
        The default model, when it completed the backtest.
    statistic : float
        The paired t of ``best_ranked`` against the default (NaN when not tested).
    switch_t : float
        The t a challenger needs.
    guarded : str
        The model the bias guard replaced ("" when it did not act).
    chosen : str
        The model chosen.
    max_bias, bias_wape_tolerance : float
        The bias guard's settings.

    Returns
    -------
    str
        One of: ``"the bias guard replaced combo_profile_sarimax (bias -14.5%, beyond max_bias 10%) with the
        least-biased model within 10% of its WAPE (sarimax -1.9%, profile_ewm -2.1%)"`` (the best-ranked model's
        bias named too when it is neither), ``"the default, kept unless a candidate's daily absolute errors are lower
        by a paired t >= 1.645 (sarimax's t: 0.76)"``, ``"the default, with the lowest backtest WAPE"``, ``"beat the
        default combo_profile_sarimax by a paired t of 3.05 >= 1.645 on daily absolute errors"``, ``"the lowest
        backtest WAPE"`` (with the models tied with it, on which the smaller absolute bias won).
    """
    if guarded:
        shown = [chosen, *([best_ranked] if best_ranked not in (chosen, guarded) else [])]
        return (f"the bias guard replaced {guarded} (bias {_percent(scores[guarded][1])}, beyond max_bias "
                f"{max_bias:.0%}) with the least-biased model within {bias_wape_tolerance:.0%} of its WAPE ("
                + ", ".join(f"{name} {_percent(scores[name][1])}" for name in shown) + ")")
    if chosen == default and best_ranked != default:
        return (f"the default, kept unless a candidate's daily absolute errors are lower by a paired t >= "
                f"{switch_t:g} ({best_ranked}'s t: {statistic:.2f})")
    if chosen == default:
        return "the default, with the lowest backtest WAPE"
    if default is not None:
        return f"beat the default {default} by a paired t of {statistic:.2f} >= {switch_t:g} on daily absolute errors"
    level = round(scores[chosen][0], 6)
    ties = sorted(name for name, (wape, _) in scores.items() if name != chosen and round(wape, 6) == level)
    return "the lowest backtest WAPE" + (f" (tied with {', '.join(ties)}: the smaller absolute bias won)" if ties
                                         else "")


def select(backtest: BacktestResult, default: str | None = None, switch_t: float = 1.645,
           max_bias: float = math.inf, bias_wape_tolerance: float = 0.0) -> Selection | None:
    """Choose a model from the backtest (see the module docstring); None when none completed it.

    Parameters
    ----------
    backtest : BacktestResult
        Scores and forecasts of every candidate.
    default : str, optional
        The model kept unless another is significantly better (None: lowest WAPE wins).
    switch_t : float
        One-sided paired t statistic needed to replace the default (1.645: 5% level).
    max_bias, bias_wape_tolerance : float
        The bias guard (:func:`bias_guard`); the defaults turn it off.

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
    guarded = bias_guard(dict(ranked), best, max_bias, bias_wape_tolerance)
    replaced, best = (best, guarded) if guarded != best else ("", best)
    best_wape, best_bias = scores[best]
    rest = [item for item in ranked if item[0] != best]
    runner, runner_wape = (rest[0][0], rest[0][1][0]) if rest else ("", math.nan)
    reason = choice_reason(dict(ranked), ranked[0][0], default if default in dict(ranked) else None, statistic,
                           switch_t, replaced, best, max_bias, bias_wape_tolerance)
    return Selection(best, best_wape, best_bias, runner, runner_wape, "", scores, statistic, replaced, reason)
