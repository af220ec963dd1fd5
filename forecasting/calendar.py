"""The local hourly grid the models see, and the way back to UTC.

Inside the stage instants are UTC. Contact volume, however, follows the local clock: the Monday 09:00 peak
stays at 09:00 local across a DST change. The models therefore work on a *regular local wall-clock grid*
(naive timestamps, one row per local hour, hour of week 0..167 from Monday 00:00). The conversions are:

* UTC -> local: the repeated hour of a 25-hour day (two UTC hours with the same local label) is averaged
  (an occurrence the history does not know is left out of the mean);
  the missing hour of a 23-hour day is interpolated from its neighbours (it never happened, it is not a gap).
* local -> UTC: every UTC hour of the horizon takes the forecast of its local hour, so a 25-hour day gets
  the repeated hour twice and a 23-hour day simply has 23 hours.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

HOURS_PER_WEEK = 168


def local_labels(utc: pd.DatetimeIndex, time_zone: str) -> pd.DatetimeIndex:
    """Return the naive local wall-clock labels of UTC instants."""
    return utc.tz_convert(time_zone).tz_localize(None)


def hourly_local(utc_frame: pd.DataFrame, time_zone: str, value: str, weight: str | None = None) -> pd.Series:
    """Aggregate a UTC-stamped frame to a regular hourly series on the local clock.

    Parameters
    ----------
    utc_frame : pandas.DataFrame
        Column ``start`` (UTC) and the value column (and the weight column when given).
    time_zone : str
        IANA time zone of the local clock.
    value : str
        Column summed per hour (or averaged with ``weight`` as weights). Without ``weight`` a NaN marks an interval
        whose value is unknown: the occurrence of the hour it falls in is unknown too.
    weight : str, optional
        When given, the hourly value is the ``weight``-weighted mean of ``value`` (handle time by contacts).

    Returns
    -------
    pandas.Series
        Indexed by naive local hours; the non-existent spring-forward hour is interpolated, the repeated
        fall-back hour is the mean of its two occurrences (of the one known, when the other is unknown). Hours the
        frame lacks are NaN, and so are hours whose every occurrence is unknown.
    """
    start = pd.DatetimeIndex(utc_frame["start"])
    local = start.tz_convert(time_zone)
    offset = np.asarray((local.tz_localize(None) - start.tz_localize(None)).total_seconds())
    work = pd.DataFrame({"hour": local.tz_localize(None).floor("h"), "offset": offset})
    if weight is None:
        work["v"] = utc_frame[value].to_numpy(dtype=float)
        groups = work.groupby(["hour", "offset"])["v"]
        per_offset = groups.sum(min_count=1).where(~work["v"].isna().groupby([work["hour"], work["offset"]]).any())
    else:
        w = utc_frame[weight].to_numpy(dtype=float)
        v = utc_frame[value].to_numpy(dtype=float)
        ok = np.isfinite(v) & np.isfinite(w) & (w > 0)
        work["vw"] = np.where(ok, v * w, 0.0)
        work["w"] = np.where(ok, w, 0.0)
        sums = work.groupby(["hour", "offset"])[["vw", "w"]].sum()
        per_offset = (sums["vw"] / sums["w"].where(sums["w"] > 0))
    series = per_offset.groupby(level="hour").mean()
    if series.empty:
        return series.astype(float)
    grid = pd.date_range(series.index.min(), series.index.max(), freq="h")
    series = series.reindex(grid)
    gaps = nonexistent_hours(grid, time_zone)
    if gaps.any():
        filled = series.interpolate(limit=1, limit_area="inside")
        series = series.where(~gaps, filled)
    return series.astype(float)


def naive_utc(label: pd.Timestamp, time_zone: str | None, *, later: bool) -> pd.Timestamp:
    """A naive local wall-clock ``label`` of ``time_zone`` as a naive UTC instant, so that labels of series on
    different clocks compare; with no ``time_zone`` the label as it is (every series on one clock).

    A label the clock repeats is read as its later instant when ``later``, else its earlier; one the clock skips is
    moved forward to the first hour that exists.
    """
    if time_zone is None:
        return label
    instant = label.tz_localize(time_zone, ambiguous=not later, nonexistent="shift_forward")
    return instant.tz_convert("UTC").tz_localize(None)


def nonexistent_hours(grid: pd.DatetimeIndex, time_zone: str) -> np.ndarray:
    """Mask of naive local hours that do not exist on the clock (the hour skipped when DST starts)."""
    localized = grid.tz_localize(time_zone, nonexistent="NaT", ambiguous=np.ones(len(grid), dtype=bool))
    return np.asarray(pd.isna(localized))


def local_grid(start_utc: pd.Timestamp, end_utc: pd.Timestamp, time_zone: str) -> pd.DatetimeIndex:
    """The regular local hourly grid covering the UTC instants ``[start_utc, end_utc)``."""
    first = pd.Timestamp(start_utc).tz_convert(time_zone).tz_localize(None).floor("h")
    last = (pd.Timestamp(end_utc) - pd.Timedelta(seconds=1)).tz_convert(time_zone).tz_localize(None).floor("h")
    return pd.date_range(first, last, freq="h")


def utc_hours(start_utc: pd.Timestamp, end_utc: pd.Timestamp) -> pd.DatetimeIndex:
    """Every UTC hour start in ``[start_utc, end_utc)``."""
    return pd.date_range(pd.Timestamp(start_utc).ceil("h"), end_utc, freq="h", inclusive="left", name="start")


def hour_of_week(index: pd.DatetimeIndex) -> np.ndarray:
    """Hour of week of naive local labels: Monday 00:00 is 0, Sunday 23:00 is 167."""
    return np.asarray(index.day_of_week * 24 + index.hour, dtype=np.int64)


@dataclass(frozen=True)
class Design:
    """Calendar and regressors of a stretch of the local hourly grid.

    Attributes
    ----------
    index : pandas.DatetimeIndex
        Naive local hours (regular, hourly).
    regressors : numpy.ndarray
        ``(len(index), k)`` indicators (holiday, one column per event kind), used by regression models.
    regressor_names : tuple of str
        Names of the regressor columns.
    """

    index: pd.DatetimeIndex
    regressors: np.ndarray
    regressor_names: tuple[str, ...] = ()

    @property
    def how(self) -> np.ndarray:
        """Hour of week (0..167) of every row."""
        return hour_of_week(self.index)

    def __len__(self) -> int:
        return len(self.index)

    def slice(self, start: int, stop: int) -> Design:
        """Rows ``start:stop`` as a new design."""
        return Design(self.index[start:stop], self.regressors[start:stop], self.regressor_names)


def week_matrix(values: np.ndarray, index: pd.DatetimeIndex) -> tuple[np.ndarray, int]:
    """Lay a regular local hourly series out as weeks × 168 (NaN padded).

    Returns
    -------
    tuple
        The ``(weeks, 168)`` matrix and the offset of ``values[0]`` inside its first row.
    """
    offset = int(hour_of_week(index[:1])[0]) if len(index) else 0
    total = offset + len(values)
    weeks = -(-total // HOURS_PER_WEEK)
    flat = np.full(weeks * HOURS_PER_WEEK, np.nan)
    flat[offset:total] = values
    return flat.reshape(weeks, HOURS_PER_WEEK), offset


def from_week_matrix(matrix: np.ndarray, offset: int, length: int) -> np.ndarray:
    """Inverse of :func:`week_matrix`."""
    return matrix.reshape(-1)[offset:offset + length]
