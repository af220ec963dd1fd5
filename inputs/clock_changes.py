"""Clock changes in words: a local instant's UTC offset and season, and the local times the clocks skip or repeat."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pandas as pd


def offset_text(local: pd.Timestamp | dt.datetime) -> str:
    """The UTC offset of an aware local instant as ``+02:00`` / ``-05:00``."""
    offset = local.utcoffset() or dt.timedelta(0)
    minutes = round(offset.total_seconds() / 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def season(local: pd.Timestamp | dt.datetime) -> str:
    """``summer time`` when an aware local instant is in its zone's daylight saving time, else ``standard time``."""
    saving = local.dst()
    return "summer time" if saving is not None and saving > dt.timedelta(0) else "standard time"


def local_start(day: dt.date, minute: int, zone: str) -> tuple[str, pd.Timestamp]:
    """How a local start ``minute`` minutes after midnight of ``day`` in ``zone`` is read, as the scheduler places a
    template's shifts (:func:`scheduler.build._to_utc`): a time the clocks skip moves forward by the change, a time
    they repeat is its first occurrence.

    Returns
    -------
    tuple
        (``"skipped"``, ``"repeated"`` or ``"plain"``; the local instant the shift starts at, aware).
    """
    naive = pd.Timestamp(dt.datetime.combine(day, dt.time(0))) + pd.Timedelta(minutes=minute)
    tz = zoneinfo.ZoneInfo(zone)
    read = naive.tz_localize(tz, nonexistent="shift_forward", ambiguous=True)
    if pd.isna(naive.tz_localize(tz, nonexistent="NaT", ambiguous=True)):
        return "skipped", read
    if pd.isna(naive.tz_localize(tz, nonexistent="NaT", ambiguous="NaT")):
        return "repeated", read
    return "plain", read


def repeated_span(first: pd.Timestamp, zone: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The local clock times that ``zone`` shows twice around ``first``, the first occurrence of one of them.

    Parameters
    ----------
    first : pandas.Timestamp
        An aware instant in the last stretch of summer time whose clock time the clocks show again after they go back
        (00:00 UTC on 2026-10-25 in Europe/Lisbon, 01:00 there).
    zone : str
        IANA name.

    Returns
    -------
    tuple of pandas.Timestamp
        The naive local start and end of the repeated times (01:00 and 02:00 on 2026-10-25 in Europe/Lisbon).
    """
    tz = zoneinfo.ZoneInfo(zone)
    first = pd.Timestamp(first).tz_convert(tz)
    second = first.tz_localize(None).tz_localize(tz, ambiguous=False)
    length = second - first
    change = second
    for minute in range(1, int(length / pd.Timedelta(minutes=1)) + 1):
        instant = first + pd.Timedelta(minutes=minute)
        if instant.utcoffset() != first.utcoffset():
            change = instant
            break
    start = change.tz_localize(None)
    return start, start + length
