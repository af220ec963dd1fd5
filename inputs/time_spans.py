"""Spans of time: the parts of an interval that a set of spans (time off) leaves free."""

from __future__ import annotations

import pandas as pd


def outside_spans(start: pd.Timestamp, end: pd.Timestamp,
                  absences: list[tuple[pd.Timestamp, pd.Timestamp]]) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """The parts of ``[start, end)`` outside every span of ``absences`` (start, end), in time order.

    Parameters
    ----------
    start, end : pandas.Timestamp
        The interval (both naive or both aware, as the spans).
    absences : list of tuple of pandas.Timestamp
        The spans to leave out; they may overlap, touch or reach outside the interval.

    Returns
    -------
    list of tuple of pandas.Timestamp
        The free parts, each ``(begin, end)`` with ``begin < end``; empty when the spans cover the interval.
    """
    gaps, cursor = [], start
    for begin, stop in sorted(absences):
        if stop <= cursor or begin >= end:
            continue
        if begin > cursor:
            gaps.append((cursor, begin))
        cursor = max(cursor, stop)
    if cursor < end:
        gaps.append((cursor, end))
    return gaps
