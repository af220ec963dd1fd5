"""Known events and public holidays on the local grid: masks, regressors, learned effects, adjustments.

Events come from the plan's events file (listing, maintenance, promotion, holiday, market event, optionally
with an expected uplift); public holidays of the queues' markets come from the ``holidays`` library.
Both enter the forecast twice:

* in training, as regressors (indicator columns, one per holiday / event kind seen in training) a regression model
  fits around, or else cleaned (replaced by the robust expected value) for the other models;
* in the forecast, as adjustments for every model alike: the time they cover is multiplied by the given uplift
  (``uplift_percent``) or else by the learned ratio of their kind. A regression model forecasts with its indicators
  at 0, so no model adds an effect of its own on top of (or instead of) that factor.

A factor applies to the time an event covers, not to whole hours (:class:`FactorWindow`, :func:`slot_factors`): an
interval of which an event covers the share ``s`` is multiplied by ``1 + s * (f - 1)``, so an outage of 02:30-03:30
at ``f`` = 0.2 moves the half hours 02:30 and 03:00 of a 30-minute plan by 0.2 and those of 02:00 and 03:30 not at
all, and on an hourly grid the hours 02:00 and 03:00 by 0.6 each. Overlapping factors multiply. The bounds of the
prediction intervals move with the same factor as the point forecast (as a scenario's do), and a learned factor adds
its own uncertainty, from the spread of the occurrences it is learned from (:meth:`Effect.spread`,
:func:`adjusted`).

The learned ratio of a kind is the median of actual / expected over its past occurrences
(:func:`occurrence_ratios`): the queue's own when its training history has at least :data:`MIN_OCCURRENCES`,
otherwise pooled over the queues of its channel, otherwise over all queues, and when no source has that many, the
first that has any (:func:`resolve_effects`). A kind that affected any queue in the training history therefore
moves the forecast of every queue the event affects, even one that started late or was closed during the past
occurrences, and by the same factor whatever the model. In a backtest, a pooled occurrence counts only once it is
over by the fold's origin. :func:`event_effects` says, per queue and event in the horizon, which factor applies and
where it comes from (for the forecast's metadata).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import warnings
import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.calendar import Design, local_labels
from forecasting.exceptions import EventWarning
from forecasting.intervals import LEVELS

HOLIDAY = "public_holiday"


@dataclass(frozen=True)
class EventSpan:
    """One event as naive local hours ``[start, end)`` with its kind and optional uplift.

    Attributes
    ----------
    kind : str
        Event kind (``listing``, ``maintenance``, ``promotion``, ``holiday``, ``market_event``).
    start, end : pandas.Timestamp
        Naive local times.
    uplift_percent : float, optional
        Expected change of volume in percent (+40 is 1.4 times the usual volume).
    name : str
        Label for messages.
    start_utc, end_utc : pandas.Timestamp, optional
        The same instants in UTC (aware), when known: the local labels of a clock that repeats an hour are
        ambiguous, these are not.
    """

    kind: str
    start: pd.Timestamp
    end: pd.Timestamp
    uplift_percent: float | None = None
    name: str = ""
    start_utc: pd.Timestamp | None = None
    end_utc: pd.Timestamp | None = None

    def factor(self) -> float | None:
        """The factor of its ``uplift_percent`` (1 + uplift / 100, at least 0), None without one."""
        return None if self.uplift_percent is None else max(0.0, 1.0 + self.uplift_percent / 100.0)


def span_mask(index: pd.DatetimeIndex, spans: Iterable[EventSpan]) -> np.ndarray:
    """Mask of the hours of ``index`` that overlap any of ``spans``."""
    mask = np.zeros(len(index), dtype=bool)
    hour_end = index + pd.Timedelta(hours=1)
    for span in spans:
        mask |= np.asarray((index < span.end) & (hour_end > span.start))
    return mask


def covered_share(starts: pd.DatetimeIndex, minutes: int, start: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
    """The share of each interval ``[t, t + minutes)`` of ``starts`` that ``[start, end)`` covers (0 to 1).

    ``starts``, ``start`` and ``end`` are all naive (one clock) or all aware.
    """
    t = np.asarray(pd.DatetimeIndex(starts).as_unit("ns").asi8, dtype=np.int64)
    step = int(minutes) * 60 * 10**9
    first, last = pd.Timestamp(start).as_unit("ns").value, pd.Timestamp(end).as_unit("ns").value
    return np.clip((np.minimum(t + step, last) - np.maximum(t, first)) / step, 0.0, 1.0)


def holiday_mask(index: pd.DatetimeIndex, dates: frozenset[dt.date]) -> np.ndarray:
    """Mask of the hours of ``index`` that fall on a holiday date."""
    if not dates:
        return np.zeros(len(index), dtype=bool)
    days = index.normalize()
    return np.asarray(days.isin(pd.DatetimeIndex(sorted(dates))))


def public_holidays(countries: Sequence[str], years: Iterable[int]) -> frozenset[dt.date]:
    """Public holidays of the given markets (ISO country codes, ``"DE"`` or ``"US-NY"``) in ``years``.

    Unknown codes warn with :class:`EventWarning` and are skipped.
    """
    import holidays as holidays_lib

    dates: set[dt.date] = set()
    years = sorted(set(years))
    for code in countries:
        country, _, subdiv = code.partition("-")
        try:
            calendar = holidays_lib.country_holidays(country.upper(), subdiv=subdiv or None, years=years)
        except NotImplementedError:
            warnings.warn(f"no public-holiday calendar for market '{code}'; its holidays are ignored",
                          EventWarning, stacklevel=2)
            continue
        dates.update(calendar.keys())
    return frozenset(dates)


@functools.cache
def _zone_countries() -> dict[str, str]:
    """Time zone -> ISO country code from the tz database's ``zone.tab``."""
    candidates = [Path(p) / "zone.tab" for p in zoneinfo.TZPATH]
    try:
        import tzdata

        candidates.append(Path(tzdata.__file__).parent / "zoneinfo" / "zone.tab")
    except ImportError:  # pragma: no cover - tzdata is a dependency
        pass
    for path in candidates:
        if path.is_file():
            table: dict[str, str] = {}
            for line in path.read_text(encoding="utf-8").splitlines():
                if line and not line.startswith("#"):
                    parts = line.split("\t")
                    if len(parts) >= 3:
                        table[parts[2]] = parts[0]
            return table
    return {}


def country_of_zone(time_zone: str) -> str | None:
    """The country a time zone belongs to (``Europe/Lisbon`` -> ``PT``), or None (``UTC``)."""
    return _zone_countries().get(time_zone)


def design_for(index: pd.DatetimeIndex, holidays: frozenset[dt.date], spans: Sequence[EventSpan],
               kinds: Sequence[str]) -> Design:
    """Build the regressor design of ``index``: a holiday column and one indicator per event kind."""
    columns = [holiday_mask(index, holidays)]
    columns.extend(span_mask(index, [s for s in spans if s.kind == kind]) for kind in kinds)
    regressors = np.column_stack(columns).astype(float) if columns else np.zeros((len(index), 0))
    return Design(index, regressors, (HOLIDAY, *kinds))


@dataclass(frozen=True)
class Occurrence:
    """One past public holiday or event of one queue, with the volume ratio it showed.

    Attributes
    ----------
    kind : str
        :data:`HOLIDAY` or the event kind.
    end : pandas.Timestamp
        Naive end: on the series' clock as :func:`occurrence_ratios` finds it; in UTC once pooled, as queues' series
        can be on different clocks (:func:`forecasting.series_forecast.past_occurrences`). A backtest uses only
        pooled occurrences over by its origin.
    ratio : float
        Total actual volume of its hours over their total expected (cleaned) volume.
    queue : tuple of str
        (language, channel) of the queue it was seen in.
    """

    kind: str
    end: pd.Timestamp
    ratio: float
    queue: tuple[str, str] = ("", "")


#: Fewest occurrences of a kind from which a ratio is taken: a queue with fewer of its own takes the ratio pooled over
#: the queues of its channel, then over all queues (:func:`resolve_effects`). One occurrence is one noisy draw (the
#: example's listings lift volume by 40-80% each, on sparse counts), and a queue that starts late or is closed when
#: most events happen has none. Measured on the example (every occurrence of its history predicted from those before
#: it, within 26 weeks): error in contacts 26.7% from the queue's own occurrences alone, 21.1% with a minimum of 2,
#: 19.2% with 3, 18.8-18.3% with 4 to 8 (``benchmarks/BENCHMARKS_forecasting.md``).
MIN_OCCURRENCES = 3

#: Where a learned ratio comes from (:attr:`Effect.source`).
OWN, CHANNEL, ALL_QUEUES = "own", "channel", "all"


@dataclass(frozen=True)
class Effect:
    """The learned ratio of one holiday or event kind for one queue, where it comes from, and how far it can be trusted.

    Attributes
    ----------
    ratio : float
        Median of the occurrences' ratios (clipped to 0..10).
    source : str
        :data:`OWN` (the queue's own history), :data:`CHANNEL` (pooled over the queues of its channel) or
        :data:`ALL_QUEUES` (pooled over every queue).
    occurrences : int
        Occurrences the median is over.
    queues : int
        Queues they were seen in.
    channel : str
        The channel pooled over (for :data:`CHANNEL`).
    ratios : tuple of float
        The occurrences' ratios, in increasing order: the evidence (and its spread, :meth:`spread`).
    """

    ratio: float
    source: str = OWN
    occurrences: int = 1
    queues: int = 1
    channel: str = ""
    ratios: tuple[float, ...] = ()

    def spread(self, level: int) -> float:
        """Half-width of the ``level`` % prediction interval of the ratio of the kind's next occurrence.

        ``t * s * sqrt(1 + 1 / n)``: ``s`` the standard deviation of the ``n`` occurrences' ratios, ``t`` Student's
        quantile with ``n - 1`` degrees of freedom (the interval of a new draw from the sample's distribution). 0
        with fewer than 2 occurrences, whose spread nothing tells. On the example's history this interval around the
        median held the next occurrence's ratio 82% of the time at 80% and 94% at 95%, over 348 occurrences (with the
        normal quantile instead of Student's, 71% and 85%: ``benchmarks/forecasting/bench_event_pooling.py``).

        Parameters
        ----------
        level : int
            Coverage in percent (80, 95).

        Returns
        -------
        float
        """
        n = len(self.ratios)
        if n < 2:
            return 0.0
        from scipy.stats import t as student

        spread = float(np.std(self.ratios, ddof=1))
        return float(student.ppf(0.5 + level / 200.0, n - 1) * spread * math.sqrt(1.0 + 1.0 / n))

    def evidence(self) -> str:
        """The occurrences in words: ``"5 occurrences, 0.60 to 1.22"`` (``"1 occurrence, 1.10"``)."""
        counted = f"{self.occurrences} occurrence{'' if self.occurrences == 1 else 's'}"
        if not self.ratios:
            return counted
        low, high = self.ratios[0], self.ratios[-1]
        return f"{counted}, {low:.2f}" if f"{low:.2f}" == f"{high:.2f}" else f"{counted}, {low:.2f} to {high:.2f}"

    def describe(self) -> str:
        """Where the ratio comes from, in words (``"pooled over 5 queues of the chat channel, 9 occurrences, 0.80 to
        2.10"``)."""
        if self.source == OWN:
            return f"own history, {self.evidence()}"
        queues = f"{self.queues} queue{'' if self.queues == 1 else 's'}"
        where = f"{queues} of the {self.channel} channel" if self.source == CHANNEL else f"{queues} of all channels"
        return f"pooled over {where}, {self.evidence()}"


def occurrence_ratios(actual: np.ndarray, expected: np.ndarray, index: pd.DatetimeIndex,
                      holidays: frozenset[dt.date], spans: Sequence[EventSpan],
                      queue: tuple[str, str] = ("", "")) -> list[Occurrence]:
    """The volume ratio actual / expected of every holiday date and event seen in ``index``.

    The ratio of one occurrence is the factor ``r`` that, applied as the forecast applies it (``1 + s * (r - 1)`` on
    an hour of which it covers the share ``s``), turns its hours' total expected (cleaned) volume into their total
    actual volume: ``r = 1 + (sum(actual) - sum(expected)) / sum(s * expected)``, at least 0. Over whole hours that
    is ``sum(actual) / sum(expected)``; an event of 02:30-03:30 is not diluted by the half hours it does not cover.
    Occurrences with no actuals, or with no expected volume (all in hours the queue is closed), are skipped.

    Parameters
    ----------
    actual, expected : numpy.ndarray
        Raw and robust expected volume on ``index``.
    index : pandas.DatetimeIndex
        Naive local hours.
    holidays, spans
        Public holiday dates and the queue's events.
    queue : tuple of str
        The queue, recorded in each occurrence.

    Returns
    -------
    list of Occurrence
        In the order holidays, then events.
    """
    found: list[tuple[str, pd.Timestamp, np.ndarray]] = []
    days = index.normalize()
    for day in sorted(holidays):
        share = np.asarray(days == pd.Timestamp(day), dtype=float)
        if share.any():
            found.append((HOLIDAY, pd.Timestamp(day) + pd.Timedelta(days=1), share))
    for span in spans:
        share = covered_share(index, 60, span.start, span.end)
        if share.any():
            found.append((span.kind, span.end, share))
    occurrences = []
    for kind, end, share in found:
        mask = share > 0
        a, e, s = actual[mask], expected[mask], share[mask]
        ok = np.isfinite(a) & np.isfinite(e)
        if ok.sum() and e[ok].sum() > 0:
            covered = float(np.sum(s[ok] * e[ok]))
            ratio = a[ok].sum() / e[ok].sum() if np.all(s[ok] == 1.0) else 1.0 + (a[ok].sum() - e[ok].sum()) / covered
            occurrences.append(Occurrence(kind, end, max(0.0, float(ratio)), queue))
    return occurrences


def _median_ratio(occurrences: Sequence[Occurrence]) -> float:
    return float(np.clip(np.median([o.ratio for o in occurrences]), 0.0, 10.0))


def resolve_effects(own: Sequence[Occurrence], pooled: Sequence[Occurrence], queue: tuple[str, str],
                    before: pd.Timestamp | None = None, min_occurrences: int = MIN_OCCURRENCES) -> dict[str, Effect]:
    """The ratio of every holiday and event kind for ``queue``: its own, or pooled over other queues.

    Per kind the first of these with at least ``min_occurrences`` occurrences gives the median ratio: the
    queue's own history; the queues of its channel (its own occurrences with those of the other queues of the
    channel); every queue. When none has that many, the first with any does; a kind seen nowhere gets no effect.

    Parameters
    ----------
    own : sequence of Occurrence
        The queue's own occurrences (:func:`occurrence_ratios`).
    pooled : sequence of Occurrence
        Other queues' occurrences (those of ``queue`` itself are ignored: ``own`` has them).
    queue : tuple of str
        (language, channel) of the queue.
    before : pandas.Timestamp, optional
        Use only pooled occurrences that ended by then (a backtest origin, so a fold never sees its future).
    min_occurrences : int
        Occurrences a source needs (:data:`MIN_OCCURRENCES`).

    Returns
    -------
    dict
        Kind -> :class:`Effect`.
    """
    others = [o for o in pooled if o.queue != queue and (before is None or o.end <= before)]
    effects: dict[str, Effect] = {}
    for kind in dict.fromkeys([*(o.kind for o in own), *(o.kind for o in others)]):
        mine = [o for o in own if o.kind == kind]
        same_channel = mine + [o for o in others if o.kind == kind and o.queue[1] == queue[1]]
        everywhere = mine + [o for o in others if o.kind == kind]
        levels = [(OWN, mine), (CHANNEL, same_channel), (ALL_QUEUES, everywhere)]
        source, found = next(((s, f) for s, f in levels if len(f) >= min_occurrences),
                             next((s, f) for s, f in levels if f))
        effects[kind] = Effect(_median_ratio(found), source, len(found), len({o.queue for o in found}),
                               queue[1] if source == CHANNEL else "", tuple(sorted(o.ratio for o in found)))
    return effects


def _no_effect(kind: str, train_weeks: int) -> str:
    """Why an event of ``kind`` gets no effect (the same words in the warning and in the metadata).

    Ratios are learned from each queue's last ``train_weeks`` weeks only, and an occurrence in hours its queue was
    closed shows nothing: an older occurrence, or one no queue was open for, is no evidence (the history has it, so
    "none in the history" would be untrue).
    """
    where = f"while a queue was open in the last {train_weeks} weeks of history (train_weeks) to learn from"
    if kind == HOLIDAY:
        return f"no past public holiday {where}; the forecast ignores it"
    return f"no uplift_percent and no past {kind} {where}; the forecast ignores it"


@dataclass(frozen=True)
class FactorWindow:
    """A factor on the volume of ``[start, end)`` (a holiday or an event), with the uncertainty of a learned one.

    Attributes
    ----------
    start, end : pandas.Timestamp
        The time it covers: naive on a series' clock, or aware (UTC) on the plan's grid.
    factor : float
        The factor on the volume of the time covered.
    spread80, spread95 : float
        Half-widths of the factor's 80% and 95% prediction intervals (:meth:`Effect.spread`): 0 for an
        ``uplift_percent`` and for a ratio learned from one occurrence.
    """

    start: pd.Timestamp
    end: pd.Timestamp
    factor: float
    spread80: float = 0.0
    spread95: float = 0.0

    def spread(self, level: int) -> float:
        """The half-width at ``level`` (80 or 95)."""
        return self.spread80 if level == 80 else self.spread95


def _window(start: pd.Timestamp, end: pd.Timestamp, effect: Effect | float) -> FactorWindow:
    """The window of a learned effect (its ratio and spreads) or of a plain factor."""
    if isinstance(effect, Effect):
        return FactorWindow(start, end, effect.ratio, effect.spread(80), effect.spread(95))
    return FactorWindow(start, end, float(effect))


def adjustment_windows(index: pd.DatetimeIndex, holidays: frozenset[dt.date], spans: Sequence[EventSpan],
                       effects: Mapping[str, Effect | float], train_weeks: int) -> tuple[list[FactorWindow], list[str]]:
    """The factors of the holidays and events that overlap the naive local hours ``index``, as windows of its clock.

    An event with ``uplift_percent`` gets 1 + uplift / 100, any other event and a holiday (its whole day) the
    learned ratio of its kind. Holidays come first, then the events in their order.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Naive local hours (in order).
    holidays : frozenset of datetime.date
        Public holiday dates.
    spans : sequence of EventSpan
        Events (past ones are skipped).
    effects : mapping
        Learned ratios by kind: :class:`Effect` (with its spread) or a plain ratio.
    train_weeks : int
        The weeks of each queue's history they are learned from, for the message about an event with none.

    Returns
    -------
    tuple
        The windows and messages about events that got no effect.
    """
    windows: list[FactorWindow] = []
    notes: list[str] = []
    if not len(index):
        return windows, notes
    first, last = index[0], index[-1] + pd.Timedelta(hours=1)
    if HOLIDAY in effects:
        for day in sorted(holidays):
            start = pd.Timestamp(day)
            end = start + pd.Timedelta(days=1)
            if start < last and end > first:
                windows.append(_window(start, end, effects[HOLIDAY]))
    for span in spans:
        if not span_mask(index, [span]).any():
            continue
        if span.uplift_percent is not None:
            windows.append(FactorWindow(span.start, span.end, float(span.factor())))
        elif span.kind in effects:
            windows.append(_window(span.start, span.end, effects[span.kind]))
        else:
            label = f"'{span.name}'" if span.name else "an event"
            notes.append(f"{label} ({span.kind}, {span.start:%Y-%m-%d %H:%M}) has "
                         f"{_no_effect(span.kind, train_weeks)}")
    return windows, notes


def slot_factors(starts: pd.DatetimeIndex, minutes: int, windows: Sequence[FactorWindow], slots: int = 1
                 ) -> tuple[np.ndarray, dict[int, np.ndarray]]:
    """The factor, and its spread, of every ``minutes`` interval of the ``slots`` that follow each of ``starts``.

    An interval of which a window covers the share ``s`` gets ``1 + s * (factor - 1)``; overlapping windows
    multiply. The spread of the product adds the windows' spreads (each scaled by the share it covers and by the
    other windows' factors) in quadrature: their uncertainties are taken as independent.

    Parameters
    ----------
    starts : pandas.DatetimeIndex
        Starts of the rows (hours); on the windows' clock (naive) or aware.
    minutes : int
        Length of an interval.
    windows : sequence of FactorWindow
        The factors.
    slots : int
        Intervals per row (60 // minutes for the hours of a 30-minute plan).

    Returns
    -------
    tuple
        The factors, ``(len(starts), slots)``, and their spreads by level (80, 95), of the same shape.
    """
    n = len(starts)
    flat = pd.DatetimeIndex(starts).repeat(slots) + pd.to_timedelta(np.tile(np.arange(slots) * minutes, n),
                                                                    unit="min")
    factors = np.ones(n * slots)
    parts: list[tuple[np.ndarray, np.ndarray, FactorWindow]] = []
    for window in windows:
        share = covered_share(flat, minutes, window.start, window.end)
        if not share.any():
            continue
        own = np.where(share == 1.0, window.factor, 1.0 + share * (window.factor - 1.0))
        parts.append((own, share, window))
        factors = factors * own
    spreads: dict[int, np.ndarray] = {}
    for level in LEVELS:
        variance = np.zeros(n * slots)
        for k, (_, share, window) in enumerate(parts):
            if window.spread(level) > 0:
                others = np.prod([p[0] for i, p in enumerate(parts) if i != k], axis=0) if len(parts) > 1 else 1.0
                variance += (share * window.spread(level) * others) ** 2
        spreads[level] = np.sqrt(variance).reshape(n, slots)
    return factors.reshape(n, slots), spreads


def adjusted(columns: Mapping[str, np.ndarray], factors: np.ndarray, spreads: Mapping[int, np.ndarray],
             shares: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """A forecast (``mean``, ``lo80``, ``hi80``, ``lo95``, ``hi95`` per row) with the factors of its intervals applied.

    Each row (an hour) is split into intervals by ``shares`` (each row's summing to 1; by default one interval per
    row), each interval's volume is multiplied by its factor, and the row is their sum: the mean becomes
    ``mean * sum(shares * factors)``. Bounds move with the same factors; where a factor has a spread ``u`` (a learned
    one), each bound's distance ``d`` from the mean becomes ``sqrt((factor * d) ** 2 + (mean * u) ** 2)``, the
    forecast's own uncertainty and the factor's taken as independent (a lower bound stays at 0 or above).

    Parameters
    ----------
    columns : mapping
        The forecast's columns, 1-D arrays of one length, the bounds ordered around the mean.
    factors : numpy.ndarray
        ``(rows, intervals)``, from :func:`slot_factors`.
    spreads : mapping
        Level -> ``(rows, intervals)`` spreads, from :func:`slot_factors`.
    shares : numpy.ndarray, optional
        ``(rows, intervals)``: each interval's share of its row's volume.

    Returns
    -------
    dict
        The same keys, adjusted.
    """
    shares = np.ones_like(factors) if shares is None else np.asarray(shares, dtype=float)
    mean = np.asarray(columns["mean"], dtype=float)
    out = {"mean": (shares * factors).sum(axis=1) * mean}
    m = mean[:, None]
    for level in LEVELS:
        spread = spreads.get(level, np.zeros_like(factors))
        extra = m * spread
        for side, sign in (("lo", -1.0), ("hi", 1.0)):
            bound = np.asarray(columns[f"{side}{level}"], dtype=float)[:, None]
            widened = factors * m + sign * np.hypot(factors * (bound - m), extra)
            if side == "lo":
                widened = np.maximum(widened, 0.0)
            out[f"{side}{level}"] = (shares * np.where(spread > 0, widened, factors * bound)).sum(axis=1)
    return out


def adjustment_factors(index: pd.DatetimeIndex, holidays: frozenset[dt.date], spans: Sequence[EventSpan],
                       effects: Mapping[str, Effect | float], train_weeks: int) -> tuple[np.ndarray, list[str]]:
    """Multiplicative factors for future hours from holidays and events, the same for every model.

    The factors of :func:`adjustment_windows` on the hours of ``index``: an hour of which an event covers the share
    ``s`` gets ``1 + s * (f - 1)``; overlapping factors multiply.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Future naive local hours.
    holidays : frozenset of datetime.date
        Public holiday dates.
    spans : sequence of EventSpan
        Future (and past) events; only those overlapping ``index`` matter.
    effects : mapping
        Learned ratios by kind (see :func:`resolve_effects`).
    train_weeks : int
        The weeks of each queue's history they are learned from, for the message about an event with none.

    Returns
    -------
    tuple
        The factors (1 where nothing applies) and messages about events that got no effect.
    """
    windows, notes = adjustment_windows(index, holidays, spans, effects, train_weeks)
    return slot_factors(index, 60, windows)[0][:, 0], notes


def _queue_clock(utc: pd.DatetimeIndex, zone: str) -> str:
    """The UTC hours ``utc`` (in order) as a span on the clock of ``zone``: ``"Thu 21:00-Fri 09:00 Asia/Seoul"``."""
    first, end = utc[0].tz_convert(zone), (utc[-1] + pd.Timedelta(hours=1)).tz_convert(zone)
    return f"{first:%a %H:%M}-{end:%H:%M}" if first.date() == end.date() else f"{first:%a %H:%M}-{end:%a %H:%M}"


def _holiday_spans(labels_utc: pd.DatetimeIndex, time_zone: str, holidays: frozenset[dt.date],
                   series_zone: str) -> list[EventSpan]:
    """The holiday dates of ``series_zone``'s clock that overlap the UTC hours ``labels_utc``, as spans on the clock
    of ``time_zone`` (a day of Madrid's clock is 23:00-23:00 on a UTC clock in winter), with their UTC instants."""
    days = sorted({pd.Timestamp(day) for day in holidays}
                  & set(labels_utc.tz_convert(series_zone).tz_localize(None).floor("h").normalize()))
    spans = []
    for day in days:
        bounds = pd.DatetimeIndex([day, day + pd.Timedelta(days=1)]).tz_localize(
            series_zone, ambiguous=np.array([False, False]), nonexistent="shift_forward")
        start, end = local_labels(bounds, time_zone)
        utc = bounds.tz_convert("UTC")
        spans.append(EventSpan(HOLIDAY, start, end, None, "public holiday", utc[0], utc[1]))
    return spans


def _utc_bounds(span: EventSpan, time_zone: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The span's instants in UTC: its own, else its labels read on ``time_zone``'s clock (a repeated hour as its
    first occurrence)."""
    if span.start_utc is not None and span.end_utc is not None:
        return pd.Timestamp(span.start_utc).tz_convert("UTC"), pd.Timestamp(span.end_utc).tz_convert("UTC")
    bounds = pd.DatetimeIndex([span.start, span.end]).tz_localize(time_zone, ambiguous=np.array([True, True]),
                                                                  nonexistent="shift_forward")
    return bounds[0].tz_convert("UTC"), bounds[1].tz_convert("UTC")


def _horizon_spans(hours_utc: pd.DatetimeIndex, time_zone: str, holidays: frozenset[dt.date],
                   spans: Sequence[EventSpan], series_zone: str) -> list[EventSpan]:
    """The holidays (days of ``series_zone``'s clock) and events that overlap the UTC hours ``hours_utc``, in time
    order, on the plan's clock (``time_zone``) with their UTC instants."""
    labels = hours_utc.tz_convert(time_zone).tz_localize(None).floor("h")
    found = _holiday_spans(hours_utc, time_zone, holidays, series_zone)
    found += [span for span in spans if span_mask(labels, [span]).any()]
    return sorted(found, key=lambda s: (s.start, s.end, s.name))


def plan_windows(hours_utc: pd.DatetimeIndex, time_zone: str, holidays: frozenset[dt.date],
                 spans: Sequence[EventSpan], effects: Mapping[str, Effect], series_zone: str | None = None,
                 entries: Sequence[Mapping[str, object]] | None = None) -> list[FactorWindow]:
    """The factors of one queue's holidays and events in the horizon, as windows of UTC instants (for the plan's grid).

    The same holidays and events, with the same factors, as :func:`event_effects` lists (an event with neither an
    ``uplift_percent`` nor a learned ratio has none, nor has one its ``entries`` list as ``closed``). Each window
    covers the event's exact time, so on a 15- or 30-minute grid (:func:`slot_factors`) it moves the intervals it
    covers and no other.

    Parameters
    ----------
    hours_utc : pandas.DatetimeIndex
        The horizon's UTC hours.
    time_zone : str
        The plan's time zone, the clock of ``spans``.
    holidays : frozenset of datetime.date
        Public holiday dates, days of the queue's series clock (``series_zone``).
    spans : sequence of EventSpan
        The queue's events.
    effects : mapping
        Kind -> the queue's learned :class:`Effect`.
    series_zone : str, optional
        The clock of the holidays' days (default: the plan's).
    entries : sequence of dict, optional
        :func:`event_effects` of the same arguments: an event it lists as ``closed`` (nothing to move) gets no window.

    Returns
    -------
    list of FactorWindow
        Aware (UTC) windows, in time order.
    """
    windows = []
    found = _horizon_spans(hours_utc, time_zone, holidays, spans, series_zone or time_zone)
    for i, span in enumerate(found):
        if entries is not None and entries[i].get("effect") == "closed":
            continue
        start, end = _utc_bounds(span, time_zone)
        if span.uplift_percent is not None:
            windows.append(FactorWindow(start, end, float(span.factor())))
        elif span.kind in effects:
            windows.append(_window(start, end, effects[span.kind]))
    return windows


def windows_from_entries(entries: Sequence[Mapping[str, object]]) -> list[FactorWindow]:
    """The windows of a forecast's metadata entries for one queue (:func:`event_effects`), for its grid.

    Entries that move nothing (``closed``, ``none``) and those of a forecast written before the entries had their
    UTC times give none.
    """
    windows = []
    for entry in entries:
        if entry.get("effect") not in ("uplift_percent", "learned") or "start_utc" not in entry:
            continue
        windows.append(FactorWindow(pd.Timestamp(str(entry["start_utc"])).tz_convert("UTC"),
                                    pd.Timestamp(str(entry["end_utc"])).tz_convert("UTC"), float(entry["factor"])))
    return windows


#: Contacts below this carried out of an event's closed hours print as 0.0: the event moves nothing.
CARRIED_AT_LEAST = 0.05


def event_effects(hours_utc: pd.DatetimeIndex, time_zone: str, holidays: frozenset[dt.date],
                  spans: Sequence[EventSpan], effects: Mapping[str, Effect], *, closed: np.ndarray | None = None,
                  carried: np.ndarray | None = None, deferred: bool = False, opening_zone: str | None = None,
                  series_zone: str | None = None, train_weeks: int = 26) -> list[dict[str, object]]:
    """What each public holiday and event inside the horizon does to one queue's forecast, for the metadata.

    Parameters
    ----------
    hours_utc : pandas.DatetimeIndex
        The horizon's UTC hours.
    time_zone : str
        The plan's time zone: holidays and events are on its clock (as are the forecast file, the requirements and
        the workbook), and so are the entries' times.
    holidays : frozenset of datetime.date
        Public holiday dates, which the forecast applies to the days of the queue's series clock (``series_zone``).
    spans : sequence of EventSpan
        The queue's events, on the plan's clock.
    effects : mapping
        Kind -> the queue's learned :class:`Effect` (:func:`resolve_effects`).
    closed : numpy.ndarray, optional
        The hours of ``hours_utc`` in which the queue is closed throughout (forecast 0).
    carried : numpy.ndarray, optional
        The contacts of each hour of ``hours_utc`` (without holidays and events) that a closed deferred queue carries
        to its next opening (0 elsewhere, and on a live queue, which drops them).
    deferred : bool
        Whether the queue is deferred (email, ticket, social), whose contacts of closed hours wait for its next
        opening instead of being dropped.
    opening_zone : str, optional
        The clock of the queue's opening hours, for the note on an event it is closed throughout (default: the
        plan's).
    series_zone : str, optional
        The clock the queue's series is modelled on, whose days the holidays cover
        (:func:`forecasting.pipeline.series_clock`; default: the plan's).
    train_weeks : int
        The weeks of each queue's history the ratios are learned from, for the note on an event with none.

    Returns
    -------
    list of dict
        One entry per holiday date and event that overlaps the horizon, in time order: ``name``, ``kind``,
        ``start_local``, ``end_local`` (on the plan's clock, named by ``time_zone``), ``start_utc``, ``end_utc``,
        ``hours`` (of the horizon it overlaps) and ``open_hours`` (of those, the queue's), ``effect`` and ``factor``:
        ``uplift_percent`` (the event's own), ``learned`` (the ratio of its kind; ``source`` says in words where it
        comes from and the occurrences it is the median of, ``learned_from`` the same as numbers with every
        occurrence's ratio, and ``factor_lo80``... ``factor_hi95`` its prediction intervals, :meth:`Effect.spread`,
        from 2 occurrences on), ``closed`` (closed throughout with nothing to move: factor 1, no effect; the forecast
        does not apply it, :func:`plan_windows`) or ``none`` (nothing to learn from); a ``note`` says why for
        ``closed`` and ``none``. A deferred queue closed throughout an event keeps the factor when the contacts of
        its hours that wait for the next opening, the factor applied, come to :data:`CARRIED_AT_LEAST` or more; the
        entry gives them (``contacts_carried``) and its note says so.
    """
    if not len(hours_utc):
        return []
    labels = hours_utc.tz_convert(time_zone).tz_localize(None).floor("h")
    shut = np.zeros(len(labels), dtype=bool) if closed is None else np.asarray(closed, dtype=bool)
    entries = []
    for span in _horizon_spans(hours_utc, time_zone, holidays, spans, series_zone or time_zone):
        inside = span_mask(labels, [span])
        start_utc, end_utc = _utc_bounds(span, time_zone)
        entry: dict[str, object] = {"name": span.name, "kind": span.kind, "start_local": f"{span.start:%Y-%m-%d %H:%M}",
                                    "end_local": f"{span.end:%Y-%m-%d %H:%M}", "time_zone": time_zone,
                                    "start_utc": start_utc.isoformat(), "end_utc": end_utc.isoformat(),
                                    "hours": int(inside.sum()), "open_hours": int((inside & ~shut).sum())}
        effect = effects.get(span.kind)
        if span.uplift_percent is not None:
            entry.update(effect="uplift_percent", factor=round(float(span.factor()), 4))
        elif effect is not None:
            entry.update(effect="learned", factor=round(effect.ratio, 4), source=effect.describe(),
                         learned_from={"source": effect.source, "channel": effect.channel, "queues": effect.queues,
                                       "occurrences": effect.occurrences,
                                       "ratios": [round(r, 4) for r in effect.ratios]})
            if effect.spread(80) > 0:
                for level in LEVELS:
                    entry[f"factor_lo{level}"] = round(max(0.0, effect.ratio - effect.spread(level)), 4)
                    entry[f"factor_hi{level}"] = round(effect.ratio + effect.spread(level), 4)
        else:
            entry.update(effect="none", factor=1.0, note=_no_effect(span.kind, train_weeks))
        if entry["open_hours"] == 0:
            when = f"{_queue_clock(hours_utc[inside], opening_zone or time_zone)} {opening_zone or time_zone}"
            moved = 0.0
            if carried is not None and entry["effect"] != "none":
                share = covered_share(hours_utc, 60, start_utc, end_utc)
                moved = float(np.sum(np.asarray(carried) * (1.0 + share * (float(entry["factor"]) - 1.0))
                                     * (share > 0)))
            if entry["effect"] != "none" and moved >= CARRIED_AT_LEAST:
                entry["contacts_carried"] = round(moved, 2)
                entry["note"] = (f"the queue is closed throughout ({when}): its {moved:.1f} contacts of those hours, "
                                 f"x{float(entry['factor']):.2f}, wait for the next opening")
            else:
                why = "no effect"
                if deferred:
                    why = ("forecast 0 there, so nothing waits for the next opening: no effect (the next opening's "
                           "forecast, which holds what arrives while it is closed, is not moved)")
                entry.update(effect="closed", factor=1.0, note=f"the queue is closed throughout ({when}): {why}")
                for key in ("source", "learned_from", *(f"factor_{side}{level}" for level in LEVELS
                                                        for side in ("lo", "hi"))):
                    entry.pop(key, None)
        entries.append(entry)
    return entries
