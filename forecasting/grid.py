"""Split hourly forecasts into the planning grid (15 or 30 minutes) by the history's intra-hour shape."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from forecasting.exceptions import GridWarning

BOUNDS: tuple[str, ...] = ("contacts_lo80", "contacts_hi80", "contacts_lo95", "contacts_hi95")


def intra_hour_shares(history: object | None, time_zone: str, minutes: int) -> tuple[pd.DataFrame | None, str]:
    """Share of each ``minutes`` slot in its local hour, per queue and local hour of day.

    Parameters
    ----------
    history : inputs.records.History or None
        Contact history (its ``frame`` and ``interval_minutes``).
    time_zone : str
        The plan's time zone (the shape follows the local clock).
    minutes : int
        Planning interval.

    Returns
    -------
    tuple
        A frame indexed by (language, channel, hour) with one column per slot (shares summing to 1), or
        None when the history cannot give a shape, and a note saying how the split was made.
    """
    slots = 60 // minutes
    if history is None or getattr(history, "interval_minutes", 60) >= 60:
        return None, (f"history is hourly: each hour is split evenly into {slots} intervals of {minutes} minutes. "
                      f"Fix: give history per {minutes} minutes (or per contact) for the shape within the hour")
    frame = history.frame
    local = pd.DatetimeIndex(frame["start"]).tz_convert(time_zone)
    hist_minutes = history.interval_minutes
    work = pd.DataFrame({"language": frame["language"].to_numpy(), "channel": frame["channel"].to_numpy(),
                         "hour": local.hour, "bin": local.minute // hist_minutes,
                         "contacts": frame["contacts"].to_numpy(dtype=float)})
    per_bin = work.pivot_table(index=["language", "channel", "hour"], columns="bin", values="contacts",
                               aggfunc="sum", fill_value=0.0)
    bins = 60 // hist_minutes
    per_bin = per_bin.reindex(columns=range(bins), fill_value=0.0)
    # spread each history bin evenly over the planning slots it contains (or merge bins into a slot)
    slot_of_minute = np.arange(60) // minutes
    bin_of_minute = np.arange(60) // hist_minutes
    values = per_bin.to_numpy()[:, bin_of_minute] / hist_minutes
    shares = np.stack([values[:, slot_of_minute == s].sum(axis=1) for s in range(slots)], axis=1)
    totals = shares.sum(axis=1, keepdims=True)
    shares = np.where(totals > 0, shares / np.where(totals > 0, totals, 1.0), 1.0 / slots)
    note = f"intra-hour shape from the {hist_minutes}-minute history"
    return pd.DataFrame(shares, index=per_bin.index, columns=range(slots)), note


def to_planning_grid(frame: pd.DataFrame, history: object | None, horizon: object) -> pd.DataFrame:
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
    shares, note = intra_hour_shares(history, horizon.time_zone, minutes)
    if shares is None:
        warnings.warn(note, GridWarning, stacklevel=2)
    local_hour = pd.DatetimeIndex(frame["start"]).tz_convert(horizon.time_zone).hour
    keys = pd.MultiIndex.from_arrays([frame["language"], frame["channel"], local_hour])
    if shares is None:
        matrix = np.full((len(frame), slots), 1.0 / slots)
    else:
        matrix = shares.reindex(keys).to_numpy()
        matrix = np.where(np.isnan(matrix), 1.0 / slots, matrix)
    repeat = np.repeat(np.arange(len(frame)), slots)
    share = matrix.reshape(-1)
    out = frame.iloc[repeat][columns].reset_index(drop=True)
    out["start"] = out["start"] + pd.to_timedelta(np.tile(np.arange(slots) * minutes, len(frame)), unit="min")
    for column in ["contacts", *[c for c in BOUNDS if c in frame]]:
        out[column] = out[column].to_numpy() * share
    out.attrs["split"] = note
    return out
