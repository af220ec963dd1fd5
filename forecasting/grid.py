"""Split hourly forecasts into the planning grid (15 or 30 minutes) by the history's intra-hour shape.

The shape is learned and applied on each queue's own clock, the clock its series is modelled on
(:func:`forecasting.pipeline.series_clock`): a Madrid queue's 18:00 keeps its shape at 18:00 in Madrid on both sides of
a clock change, whichever UTC hour that is. Each hour of the forecast is keyed by the time its start shows on that
clock, and each history interval by the same time of the forecast hour it falls in, so a clock half an hour off the
plan's (Asia/Kolkata on a UTC plan) is split by the shape of the plan's hours too.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from forecasting.events import FactorWindow, slot_factors
from forecasting.exceptions import GridWarning

BOUNDS: tuple[str, ...] = ("contacts_lo80", "contacts_hi80", "contacts_lo95", "contacts_hi95")

#: The levels of the index of :func:`intra_hour_shares`.
SHARE_KEYS: tuple[str, ...] = ("language", "channel", "clock")


def _clock_minutes(starts: pd.DatetimeIndex, zones: np.ndarray) -> np.ndarray:
    """Minutes after local midnight that each UTC instant of ``starts`` shows on the clock of its ``zones`` entry."""
    out = np.zeros(len(starts), dtype=np.int64)
    for zone in pd.unique(zones):
        rows = zones == zone
        local = starts[rows].tz_convert(str(zone))
        out[rows] = np.asarray(local.hour, dtype=np.int64) * 60 + np.asarray(local.minute, dtype=np.int64)
    return out


def _zones(frame: pd.DataFrame, time_zone: str, clocks: Mapping[tuple[str, str], str] | None) -> np.ndarray:
    """The clock of the queue of each row of ``frame`` (``language``, ``channel``): its entry of ``clocks``, else
    ``time_zone``."""
    zones = np.full(len(frame), time_zone, dtype=object)
    if not clocks:
        return zones
    for (language, channel), rows in frame.groupby(["language", "channel"], sort=False).indices.items():
        zones[rows] = clocks.get((str(language), str(channel)), time_zone)
    return zones


def _hour_anchor(history_start: pd.Timestamp, time_zone: str) -> pd.Timestamp:
    """The start of the hour of ``time_zone``'s clock that ``history_start`` falls in (a start of the plan's hours)."""
    local = pd.Timestamp(history_start).tz_convert(time_zone)
    return pd.Timestamp(history_start) - pd.Timedelta(minutes=local.minute, seconds=local.second,
                                                      microseconds=local.microsecond, nanoseconds=local.nanosecond)


def intra_hour_shares(history: object | None, time_zone: str, minutes: int,
                      clocks: Mapping[tuple[str, str], str] | None = None, anchor: pd.Timestamp | None = None
                      ) -> tuple[pd.DataFrame | None, str]:
    """Share of each ``minutes`` slot in its hour, per queue and time of day of the hour's start on the queue's clock.

    Parameters
    ----------
    history : inputs.records.History or None
        Contact history (its ``frame`` and ``interval_minutes``).
    time_zone : str
        The plan's time zone: the clock of a queue ``clocks`` does not name.
    minutes : int
        Planning interval.
    clocks : mapping, optional
        The clock of each queue (``(language, channel)`` -> IANA zone), the one its series is modelled on
        (:func:`forecasting.pipeline.series_clock`); by default every queue is on ``time_zone``.
    anchor : pandas.Timestamp, optional
        A start of one of the hours the shares split (aware); the hours are the hours from it. By default the hours
        of ``time_zone``'s clock.

    Returns
    -------
    tuple
        A frame indexed by (language, channel, clock), ``clock`` being the hour's start on the queue's clock in
        minutes after midnight (1080 for 18:00), with one column per slot (shares summing to 1), or None when the
        history cannot give a shape; and a note saying how the split was made.
    """
    slots = 60 // minutes
    if history is None or getattr(history, "interval_minutes", 60) >= 60:
        return None, (f"history is hourly: each hour is split evenly into {slots} intervals of {minutes} minutes. "
                      f"Fix: give history per {minutes} minutes (or per contact) for the shape within the hour")
    frame = history.frame
    hist_minutes = history.interval_minutes
    starts = pd.DatetimeIndex(frame["start"]).as_unit("ns")
    anchor = _hour_anchor(starts.min(), time_zone) if anchor is None else pd.Timestamp(anchor)
    minute = 60 * 10**9
    into_hour = (starts.asi8 - anchor.as_unit("ns").value) // minute % 60
    hour_starts = pd.DatetimeIndex(starts.asi8 - into_hour * minute, tz="UTC")
    zones = _zones(frame, time_zone, clocks)
    work = pd.DataFrame({"language": frame["language"].to_numpy(), "channel": frame["channel"].to_numpy(),
                         "clock": _clock_minutes(hour_starts, zones), "bin": into_hour // hist_minutes,
                         "contacts": frame["contacts"].to_numpy(dtype=float)})
    per_bin = work.pivot_table(index=list(SHARE_KEYS), columns="bin", values="contacts", aggfunc="sum",
                               fill_value=0.0)
    bins = 60 // hist_minutes
    per_bin = per_bin.reindex(columns=range(bins), fill_value=0.0)
    # spread each history bin evenly over the planning slots it contains (or merge bins into a slot)
    slot_of_minute = np.arange(60) // minutes
    bin_of_minute = np.arange(60) // hist_minutes
    values = per_bin.to_numpy()[:, bin_of_minute] / hist_minutes
    shares = np.stack([values[:, slot_of_minute == s].sum(axis=1) for s in range(slots)], axis=1)
    totals = shares.sum(axis=1, keepdims=True)
    shares = np.where(totals > 0, shares / np.where(totals > 0, totals, 1.0), 1.0 / slots)
    note = f"intra-hour shape from the {hist_minutes}-minute history, on each queue's clock"
    return pd.DataFrame(shares, index=per_bin.index, columns=range(slots)), note


def share_matrix(frame: pd.DataFrame, shares: pd.DataFrame | None, time_zone: str, slots: int,
                 clocks: Mapping[tuple[str, str], str] | None = None) -> np.ndarray:
    """Each hour's split into its ``slots`` intervals: the row of :func:`intra_hour_shares` of its queue and of the
    time its start shows on the queue's clock, even where the table has none (or there is no table).

    Parameters
    ----------
    frame : pandas.DataFrame
        Hourly rows: ``start`` (UTC), ``language``, ``channel``.
    shares : pandas.DataFrame or None
        :func:`intra_hour_shares`'s table.
    time_zone : str
        The plan's time zone: the clock of a queue ``clocks`` does not name.
    slots : int
        Intervals per hour.
    clocks : mapping, optional
        The clock of each queue.

    Returns
    -------
    numpy.ndarray
        ``(len(frame), slots)``, each row summing to 1.
    """
    if shares is None or not len(frame):
        return np.full((len(frame), slots), 1.0 / slots)
    zones = _zones(frame, time_zone, clocks)
    keys = pd.MultiIndex.from_arrays([frame["language"], frame["channel"],
                                      _clock_minutes(pd.DatetimeIndex(frame["start"]), zones)])
    matrix = shares.reindex(keys).to_numpy()
    return np.where(np.isnan(matrix), 1.0 / slots, matrix)


def to_planning_grid(frame: pd.DataFrame, history: object | None, horizon: object,
                     clocks: Mapping[tuple[str, str], str] | None = None,
                     windows: Mapping[tuple[str, str], Sequence[FactorWindow]] | None = None) -> pd.DataFrame:
    """Split an hourly forecast into the plan's planning grid.

    Parameters
    ----------
    frame : pandas.DataFrame
        Hourly forecast (``start`` UTC, ``language``, ``channel``, ``contacts``, bounds, ``aht_seconds``).
    history : inputs.records.History or None
        The history whose intra-hour shape splits each hour; when it is hourly the split is even and a
        :class:`GridWarning` says so.
    horizon : inputs.records.Horizon
        Gives ``interval_minutes`` and ``time_zone``.
    clocks : mapping, optional
        The clock each queue's series is modelled on (``(language, channel)`` -> IANA zone,
        :func:`forecasting.pipeline.series_clock`): an hour is split by the shape of the same time of day on its
        queue's clock. By default every queue is on the plan's ``time_zone``.
    windows : mapping, optional
        The holiday and event factors the hourly forecast holds, per queue (aware windows,
        :func:`forecasting.events.windows_from_entries` of the forecast's metadata): an hour is split by its shape
        times each interval's factor (:func:`forecasting.events.slot_factors`), so the factor the forecast applied
        to part of an hour lands on the intervals it covers: an outage of 02:30-03:30 at 0.2 lowers the half hours
        of 02:30 and 03:00, not 02:00 and 03:30. Without them, the shape alone splits it.

    Returns
    -------
    pandas.DataFrame
        One row per interval and queue: ``start`` (UTC), ``language``, ``channel``, ``contacts``, the
        interval bounds and ``aht_seconds``; contacts of the slots of an hour add up to the hour's.
    """
    minutes = int(horizon.interval_minutes)
    columns = ["start", "language", "channel", "contacts", *[c for c in BOUNDS if c in frame], "aht_seconds"]
    if minutes >= 60:
        return frame[columns].reset_index(drop=True)
    slots = 60 // minutes
    starts = pd.DatetimeIndex(frame["start"])
    anchor = starts[0] if len(starts) else None
    shares, note = intra_hour_shares(history, horizon.time_zone, minutes, clocks, anchor)
    if shares is None:
        warnings.warn(note, GridWarning, stacklevel=2)
    matrix = share_matrix(frame, shares, horizon.time_zone, slots, clocks)
    if windows:
        for (language, channel), rows in frame.groupby(["language", "channel"], sort=False).indices.items():
            found = windows.get((str(language), str(channel)))
            if not found:
                continue
            weights = matrix[rows] * slot_factors(starts[rows], minutes, found, slots)[0]
            total = weights.sum(axis=1, keepdims=True)
            matrix[rows] = np.where(total > 0, weights / np.where(total > 0, total, 1.0), matrix[rows])
    repeat = np.repeat(np.arange(len(frame)), slots)
    share = matrix.reshape(-1)
    out = frame.iloc[repeat][columns].reset_index(drop=True)
    out["start"] = out["start"] + pd.to_timedelta(np.tile(np.arange(slots) * minutes, len(frame)), unit="min")
    for column in ["contacts", *[c for c in BOUNDS if c in frame]]:
        out[column] = out[column].to_numpy() * share
    out.attrs["split"] = note
    return out
