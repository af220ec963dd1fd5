"""Opening hours and shrinkage windows on the planning grid: which intervals a queue is open, and its shrinkage."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from inputs.config import Queue, parse_opening_hours, parse_shrinkage_window


def open_mask(queue: Queue, intervals_utc: pd.DatetimeIndex, plan_time_zone: str) -> np.ndarray:
    """Return True for each interval whose start falls inside the queue's opening hours.

    Rules are local to ``queue.opening_time_zone`` (default: the plan's zone), so an opening
    at 09:00 Seoul time follows Seoul's clock; a rule whose end is before its start runs past
    midnight into the next day.

    Parameters
    ----------
    queue : Queue
        The queue.
    intervals_utc : pandas.DatetimeIndex
        Interval starts in UTC.
    plan_time_zone : str
        The plan's zone, used when the queue has none of its own.

    Returns
    -------
    numpy.ndarray
        Boolean mask, one entry per interval.
    """
    local = _LocalGrid(intervals_utc.tz_convert(queue.opening_time_zone or plan_time_zone))
    mask = np.zeros(len(intervals_utc), dtype=bool)
    for rule in queue.opening_hours:
        days, start, end = parse_opening_hours(rule)
        mask |= local.weekly(days, start, end)
    return mask


def shrinkage_percent_by_interval(queue: Queue, intervals_utc: pd.DatetimeIndex, plan_time_zone: str) -> np.ndarray:
    """Return the queue's shrinkage for each interval: its ``shrinkage_windows`` where they apply, else
    ``shrinkage_percent``.

    Windows are local to ``queue.opening_time_zone`` (default: the plan's zone), like the opening hours, so a
    meeting at 10:00 stays at 10:00 on the local clock across a change to summer time. An interval takes the
    window its start falls in; where windows overlap, the later entry wins. The parameters are
    :func:`open_mask`'s.

    Returns
    -------
    numpy.ndarray
        Shrinkage in percent, one float per interval.
    """
    shrinkage = np.full(len(intervals_utc), float(queue.shrinkage_percent))
    if not queue.shrinkage_windows:
        return shrinkage
    local = _LocalGrid(intervals_utc.tz_convert(queue.opening_time_zone or plan_time_zone))
    for rule in queue.shrinkage_windows:
        window = parse_shrinkage_window(rule)
        if window.date is None:
            inside = local.weekly(window.weekdays, window.start_minute, window.end_minute)
        else:
            inside = local.dated(window.date, window.start_minute, window.end_minute)
        shrinkage[inside] = window.percent
    return shrinkage


class _LocalGrid:
    """Interval starts on a local clock: weekday, minute of the day and date, for rules on local time."""

    def __init__(self, local: pd.DatetimeIndex) -> None:
        self.weekday = local.day_of_week.to_numpy()
        self.minute = (local.hour * 60 + local.minute).to_numpy()
        self.date = local.tz_localize(None).normalize().to_numpy().astype("datetime64[D]")

    def weekly(self, days: frozenset[int], start: int, end: int) -> np.ndarray:
        """Starts inside ``start``..``end`` on the weekdays ``days``; an end before the start runs into the next
        day (the evening part on those days, the early part the morning after)."""
        return self._within(np.isin(self.weekday, sorted(days)), np.isin((self.weekday - 1) % 7, sorted(days)),
                            start, end)

    def dated(self, date: dt.date, start: int, end: int) -> np.ndarray:
        """Starts inside ``start``..``end`` on the local ``date`` (past midnight into the next date when the end
        is before the start)."""
        return self._within(self.date == np.datetime64(date, "D"),
                            self.date == np.datetime64(date + dt.timedelta(days=1), "D"), start, end)

    def _within(self, on_day: np.ndarray, day_after: np.ndarray, start: int, end: int) -> np.ndarray:
        """Starts in the clock range on the days ``on_day``, or, for a range past midnight, early on ``day_after``
        (the day following one of them)."""
        if start < end:
            return on_day & (self.minute >= start) & (self.minute < end)
        return (on_day & (self.minute >= start)) | (day_after & (self.minute < end))
