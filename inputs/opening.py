"""Opening hours on the planning grid: which intervals a queue is open."""

from __future__ import annotations

import numpy as np
import pandas as pd

from inputs.config import Queue, parse_opening_hours


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
    local = intervals_utc.tz_convert(queue.opening_time_zone or plan_time_zone)
    weekday = local.day_of_week.to_numpy()
    minute = (local.hour * 60 + local.minute).to_numpy()
    mask = np.zeros(len(local), dtype=bool)
    for rule in queue.opening_hours:
        days, start, end = parse_opening_hours(rule)
        on_day = np.isin(weekday, sorted(days))
        if start < end:
            mask |= on_day & (minute >= start) & (minute < end)
        else:  # runs past midnight: the evening part today, the early part tomorrow
            mask |= on_day & (minute >= start)
            mask |= np.isin((weekday - 1) % 7, sorted(days)) & (minute < end)
    return mask
