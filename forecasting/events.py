"""Known events and public holidays on the local grid: masks, regressors, learned effects, adjustments.

Events come from the plan's events file (listing, maintenance, promotion, holiday, market event, optionally
with an expected uplift); public holidays of the queues' markets come from the ``holidays`` library.
Both enter the forecast twice:

* in training, as regressors (indicator columns, one per holiday / event kind seen in training) a regression model
  fits around, or else cleaned (replaced by the robust expected value) for the other models;
* in the forecast, as adjustments for every model alike: the hours they cover are multiplied by the given uplift
  (``uplift_percent``) or else by the learned ratio of their kind. A regression model forecasts with its indicators
  at 0, so no model adds an effect of its own on top of (or instead of) that factor.

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
import warnings
import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.calendar import Design, local_labels
from forecasting.exceptions import EventWarning

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
    """

    kind: str
    start: pd.Timestamp
    end: pd.Timestamp
    uplift_percent: float | None = None
    name: str = ""


def span_mask(index: pd.DatetimeIndex, spans: Iterable[EventSpan]) -> np.ndarray:
    """Mask of the hours of ``index`` that overlap any of ``spans``."""
    mask = np.zeros(len(index), dtype=bool)
    hour_end = index + pd.Timedelta(hours=1)
    for span in spans:
        mask |= np.asarray((index < span.end) & (hour_end > span.start))
    return mask


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
    """The learned ratio of one holiday or event kind for one queue, and where it comes from.

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
    """

    ratio: float
    source: str = OWN
    occurrences: int = 1
    queues: int = 1
    channel: str = ""

    def describe(self) -> str:
        """Where the ratio comes from, in words (``"pooled over 5 queues of the chat channel, 9 occurrences"``)."""
        counted = f"{self.occurrences} occurrence{'' if self.occurrences == 1 else 's'}"
        if self.source == OWN:
            return f"own history, {counted}"
        queues = f"{self.queues} queue{'' if self.queues == 1 else 's'}"
        where = f"{queues} of the {self.channel} channel" if self.source == CHANNEL else f"{queues} of all channels"
        return f"pooled over {where}, {counted}"


def occurrence_ratios(actual: np.ndarray, expected: np.ndarray, index: pd.DatetimeIndex,
                      holidays: frozenset[dt.date], spans: Sequence[EventSpan],
                      queue: tuple[str, str] = ("", "")) -> list[Occurrence]:
    """The volume ratio actual / expected of every holiday date and event seen in ``index``.

    The ratio of one occurrence is its total actual volume over its total expected (cleaned) volume. Occurrences
    with no actuals, or with no expected volume (all in hours the queue is closed), are skipped.

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
        mask = np.asarray(days == pd.Timestamp(day))
        if mask.any():
            found.append((HOLIDAY, pd.Timestamp(day) + pd.Timedelta(days=1), mask))
    for span in spans:
        mask = span_mask(index, [span])
        if mask.any():
            found.append((span.kind, span.end, mask))
    occurrences = []
    for kind, end, mask in found:
        a, e = actual[mask], expected[mask]
        ok = np.isfinite(a) & np.isfinite(e)
        if ok.sum() and e[ok].sum() > 0:
            occurrences.append(Occurrence(kind, end, float(a[ok].sum() / e[ok].sum()), queue))
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
                               queue[1] if source == CHANNEL else "")
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


def adjustment_factors(index: pd.DatetimeIndex, holidays: frozenset[dt.date], spans: Sequence[EventSpan],
                       effects: dict[str, float], train_weeks: int) -> tuple[np.ndarray, list[str]]:
    """Multiplicative factors for future hours from holidays and events, the same for every model.

    An event with ``uplift_percent`` gets 1 + uplift / 100, any other event and a holiday the learned ratio of its
    kind; overlapping factors multiply.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Future naive local hours.
    holidays : frozenset of datetime.date
        Public holiday dates.
    spans : sequence of EventSpan
        Future (and past) events; only those overlapping ``index`` matter.
    effects : dict
        Learned ratios by kind (see :func:`resolve_effects`).
    train_weeks : int
        The weeks of each queue's history they are learned from, for the message about an event with none.

    Returns
    -------
    tuple
        The factors (1 where nothing applies) and messages about events that got no effect.
    """
    factors = np.ones(len(index))
    notes: list[str] = []
    if HOLIDAY in effects:
        factors = np.where(holiday_mask(index, holidays), factors * effects[HOLIDAY], factors)
    for span in spans:
        mask = span_mask(index, [span])
        if not mask.any():
            continue
        if span.uplift_percent is not None:
            factors[mask] *= max(0.0, 1.0 + span.uplift_percent / 100.0)
        elif span.kind in effects:
            factors[mask] *= effects[span.kind]
        else:
            label = f"'{span.name}'" if span.name else "an event"
            notes.append(f"{label} ({span.kind}, {span.start:%Y-%m-%d %H:%M}) has "
                         f"{_no_effect(span.kind, train_weeks)}")
    return factors, notes


def _queue_clock(utc: pd.DatetimeIndex, zone: str) -> str:
    """The UTC hours ``utc`` (in order) as a span on the clock of ``zone``: ``"Thu 21:00-Fri 09:00 Asia/Seoul"``."""
    first, end = utc[0].tz_convert(zone), (utc[-1] + pd.Timedelta(hours=1)).tz_convert(zone)
    return f"{first:%a %H:%M}-{end:%H:%M}" if first.date() == end.date() else f"{first:%a %H:%M}-{end:%a %H:%M}"


def _holiday_spans(labels_utc: pd.DatetimeIndex, time_zone: str, holidays: frozenset[dt.date],
                   series_zone: str) -> list[EventSpan]:
    """The holiday dates of ``series_zone``'s clock that overlap the UTC hours ``labels_utc``, as spans on the clock
    of ``time_zone`` (a day of Madrid's clock is 23:00-23:00 on a UTC clock in winter)."""
    days = sorted({pd.Timestamp(day) for day in holidays}
                  & set(labels_utc.tz_convert(series_zone).tz_localize(None).floor("h").normalize()))
    spans = []
    for day in days:
        bounds = pd.DatetimeIndex([day, day + pd.Timedelta(days=1)]).tz_localize(
            series_zone, ambiguous=np.array([False, False]), nonexistent="shift_forward")
        start, end = local_labels(bounds, time_zone)
        spans.append(EventSpan(HOLIDAY, start, end, None, "public holiday"))
    return spans


def event_effects(hours_utc: pd.DatetimeIndex, time_zone: str, holidays: frozenset[dt.date],
                  spans: Sequence[EventSpan], effects: Mapping[str, Effect], *, closed: np.ndarray | None = None,
                  carried: bool = False, opening_zone: str | None = None, series_zone: str | None = None,
                  train_weeks: int = 26) -> list[dict[str, object]]:
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
    carried : bool
        Whether the contacts of closed hours wait for the next opening (a deferred queue) instead of being dropped.
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
        ``start_local``, ``end_local`` (on the plan's clock, named by ``time_zone``), ``hours`` (of the horizon it
        covers) and ``open_hours`` (of those, the queue's), ``effect`` and ``factor``: ``uplift_percent`` (the
        event's own), ``learned`` (the ratio of its kind; ``source`` says in words whether from the queue's own
        history or pooled over other queues, ``learned_from`` the same as numbers), ``closed`` (a live queue
        closed throughout: factor 1, no effect) or ``none`` (nothing to learn from); a ``note`` says why for
        ``closed`` and ``none``, and that a deferred queue closed throughout carries the event's contacts to its
        next opening.
    """
    if not len(hours_utc):
        return []
    labels = hours_utc.tz_convert(time_zone).tz_localize(None).floor("h")
    shut = np.zeros(len(labels), dtype=bool) if closed is None else np.asarray(closed, dtype=bool)
    occurrences = _holiday_spans(hours_utc, time_zone, holidays, series_zone or time_zone)
    occurrences += [span for span in spans if span_mask(labels, [span]).any()]
    entries = []
    for span in sorted(occurrences, key=lambda s: (s.start, s.end, s.name)):
        inside = span_mask(labels, [span])
        entry: dict[str, object] = {"name": span.name, "kind": span.kind, "start_local": f"{span.start:%Y-%m-%d %H:%M}",
                                    "end_local": f"{span.end:%Y-%m-%d %H:%M}", "time_zone": time_zone,
                                    "hours": int(inside.sum()), "open_hours": int((inside & ~shut).sum())}
        effect = effects.get(span.kind)
        if span.uplift_percent is not None:
            entry.update(effect="uplift_percent", factor=round(max(0.0, 1.0 + span.uplift_percent / 100.0), 4))
        elif effect is not None:
            entry.update(effect="learned", factor=round(effect.ratio, 4), source=effect.describe(),
                         learned_from={"source": effect.source, "channel": effect.channel, "queues": effect.queues,
                                       "occurrences": effect.occurrences})
        else:
            entry.update(effect="none", factor=1.0, note=_no_effect(span.kind, train_weeks))
        if entry["open_hours"] == 0:
            when = f"{_queue_clock(hours_utc[inside], opening_zone or time_zone)} {opening_zone or time_zone}"
            if carried:
                entry["note"] = f"the queue is closed throughout ({when}): its contacts wait for the next opening"
            else:
                entry.update(effect="closed", factor=1.0,
                             note=f"the queue is closed throughout ({when}): no effect")
                entry.pop("source", None)
                entry.pop("learned_from", None)
        entries.append(entry)
    return entries
