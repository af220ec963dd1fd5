"""Known events and public holidays on the local grid: masks, regressors, learned effects, adjustments.

Events come from the plan's events file (listing, maintenance, promotion, holiday, market event, optionally
with an expected uplift); public holidays of the queues' markets come from the ``holidays`` library.
Both enter the forecast in one of two ways:

* as regressors (indicator columns, one per holiday / event kind seen in training) for regression models;
* as adjustments for the other models: training hours they cover are cleaned (replaced by the robust
  expected value), their effect is learned as a ratio actual / expected per kind, and future hours are
  multiplied by the given uplift (``uplift_percent``) or else by the learned ratio of their kind.

A regression model that could not estimate a kind itself (SARIMAX fits its last 8 weeks and drops an indicator
that is all zero there) gets that kind's learned ratio as an adjustment too, so a kind seen anywhere in the
history moves every model's forecast. :func:`event_effects` says, per event in the horizon, which factor applies
and where it comes from (for the forecast's metadata).
"""

from __future__ import annotations

import datetime as dt
import functools
import warnings
import zoneinfo
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.calendar import Design
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


def learn_effects(actual: np.ndarray, expected: np.ndarray, index: pd.DatetimeIndex,
                  holidays: frozenset[dt.date], spans: Sequence[EventSpan]) -> dict[str, float]:
    """Learn the volume ratio actual / expected of holidays and of each event kind seen in training.

    The ratio of one occurrence is its total actual volume over its total expected (cleaned) volume; the
    kind's ratio is the median over occurrences. Occurrences with no actuals are skipped.

    Returns
    -------
    dict
        Kind (``"holiday"`` or an event kind) -> ratio.
    """
    groups: dict[str, list[np.ndarray]] = {}
    days = index.normalize()
    for day in sorted(holidays):
        mask = np.asarray(days == pd.Timestamp(day))
        if mask.any():
            groups.setdefault(HOLIDAY, []).append(mask)
    for span in spans:
        mask = span_mask(index, [span])
        if mask.any():
            groups.setdefault(span.kind, []).append(mask)
    effects: dict[str, float] = {}
    for kind, masks in groups.items():
        ratios = []
        for mask in masks:
            a, e = actual[mask], expected[mask]
            ok = np.isfinite(a) & np.isfinite(e)
            if ok.sum() and e[ok].sum() > 0:
                ratios.append(a[ok].sum() / e[ok].sum())
        if ratios:
            effects[kind] = float(np.clip(np.median(ratios), 0.0, 10.0))
    return effects


def _no_effect(kind: str) -> str:
    """Why an event of ``kind`` gets no effect (the same words in the warning and in the metadata)."""
    if kind == HOLIDAY:
        return "no past public holiday in the history to learn from; the forecast ignores it"
    return f"no uplift_percent and no past {kind} in the history to learn from; the forecast ignores it"


def adjustment_factors(index: pd.DatetimeIndex, holidays: frozenset[dt.date], spans: Sequence[EventSpan],
                       effects: dict[str, float], *, own: Collection[str] = ()) -> tuple[np.ndarray, list[str]]:
    """Multiplicative factors for future hours from holidays and events.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Future naive local hours.
    holidays : frozenset of datetime.date
        Public holiday dates.
    spans : sequence of EventSpan
        Future (and past) events; only those overlapping ``index`` matter.
    effects : dict
        Learned ratios by kind (see :func:`learn_effects`).
    own : collection of str
        Kinds (:data:`HOLIDAY` or event kinds) whose effect the model estimated itself from its regressors
        (:meth:`forecasting.models.Model.regressors_learned`): their learned ratios are not applied again. Events
        with an explicit uplift apply either way.

    Returns
    -------
    tuple
        The factors (1 where nothing applies) and messages about events that got no effect.
    """
    factors = np.ones(len(index))
    notes: list[str] = []
    if HOLIDAY in effects and HOLIDAY not in own:
        factors = np.where(holiday_mask(index, holidays), factors * effects[HOLIDAY], factors)
    for span in spans:
        mask = span_mask(index, [span])
        if not mask.any():
            continue
        if span.uplift_percent is not None:
            factors[mask] *= max(0.0, 1.0 + span.uplift_percent / 100.0)
        elif span.kind in effects:
            if span.kind not in own:
                factors[mask] *= effects[span.kind]
        else:
            label = f"'{span.name}'" if span.name else "an event"
            notes.append(f"{label} ({span.kind}, {span.start:%Y-%m-%d %H:%M}) has {_no_effect(span.kind)}")
    return factors, notes


def event_effects(index: pd.DatetimeIndex, holidays: frozenset[dt.date], spans: Sequence[EventSpan],
                  effects: dict[str, float]) -> list[dict[str, object]]:
    """What each public holiday and event inside ``index`` does to the forecast, for the metadata.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Future naive local hours.
    holidays, spans, effects
        As in :func:`adjustment_factors`.

    Returns
    -------
    list of dict
        One entry per holiday date and event that overlaps ``index``, in time order: ``name``, ``kind``,
        ``start_local``, ``end_local``, ``effect`` (``uplift_percent``: the event's own; ``learned``: the ratio
        of its kind over the history, which a model with that regressor estimates itself instead; ``none``) and
        ``factor``; with ``effect`` ``none`` also a ``note`` saying why.
    """
    if not len(index):
        return []
    entries = []
    days = {pd.Timestamp(day) for day in holidays} & set(index.normalize())
    occurrences = [EventSpan(HOLIDAY, day, day + pd.Timedelta(days=1), None, "public holiday") for day in days]
    occurrences += [span for span in spans if span_mask(index, [span]).any()]
    for span in sorted(occurrences, key=lambda s: (s.start, s.end, s.name)):
        entry: dict[str, object] = {"name": span.name, "kind": span.kind, "start_local": f"{span.start:%Y-%m-%d %H:%M}",
                                    "end_local": f"{span.end:%Y-%m-%d %H:%M}"}
        if span.uplift_percent is not None:
            entry.update(effect="uplift_percent", factor=round(max(0.0, 1.0 + span.uplift_percent / 100.0), 4))
        elif span.kind in effects:
            entry.update(effect="learned", factor=round(effects[span.kind], 4))
        else:
            entry.update(effect="none", factor=1.0, note=_no_effect(span.kind))
        entries.append(entry)
    return entries
