"""A history file against the plan's clock: the hour the clock repeats in autumn, listed once.

A local time without an offset that the plan's clock shows twice is read as its first occurrence the first time a
queue's rows list it and as the second the next time (:func:`inputs.table_reader.localize`), which is how ACD exports
list the repeated hour. A file that lists it once for a queue leaves the second occurrence without a row; a queue's
row missing on a day of the history otherwise means no contact, but this interval did happen and its contacts are
not known. :func:`unknown_second_occurrences` finds those intervals, for the forecast to take as missing, and warns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from inputs.clock_changes import offset_text, repeated_span, season
from inputs.problems import MAX_ROWS_PER_KIND, ProblemLog
from inputs.table_reader import ROW_OFFSET

UNKNOWN_COLUMNS: tuple[str, ...] = ("start", "language", "channel")


def unknown_second_occurrences(rows: pd.DataFrame, written_offset: np.ndarray, written: pd.Series, time_zone: str,
                               label: str, log: ProblemLog) -> pd.DataFrame:
    """The second occurrences of repeated clock times that a history file lists once for a queue, with one warning.

    Parameters
    ----------
    rows : pandas.DataFrame
        The history file's clean rows (``start`` UTC, ``language``, ``channel``), indexed by their place in the file.
    written_offset : numpy.ndarray
        For each row of the file, whether its start was written with a UTC offset (such a row is taken as written).
    written : pandas.Series
        The start cells as written, one per row of the file (for the warning).
    time_zone : str
        The plan's time zone, the clock of the rows without an offset.
    label : str
        The history file's name, for the warning.
    log : ProblemLog
        Where the warning goes.

    Returns
    -------
    pandas.DataFrame
        ``start`` (UTC, the second occurrence), ``language``, ``channel`` of each interval without a row, in the
        order of the rows read as its first occurrence; empty when there is none.
    """
    empty = pd.DataFrame({"start": pd.Series(dtype="datetime64[ns, UTC]"), "language": pd.Series(dtype=str),
                          "channel": pd.Series(dtype=str)})
    if rows.empty:
        return empty
    starts = rows["start"]
    naive = ~written_offset[rows.index.to_numpy()]
    wall = starts.dt.tz_convert(time_zone).dt.tz_localize(None)
    first = wall.dt.tz_localize(time_zone, ambiguous=np.ones(len(wall), dtype=bool), nonexistent="NaT")
    second = wall.dt.tz_localize(time_zone, ambiguous=np.zeros(len(wall), dtype=bool), nonexistent="NaT")
    first, second = first.dt.tz_convert("UTC"), second.dt.tz_convert("UTC")
    read_as_first = naive & (first != second).to_numpy() & (starts == first).to_numpy()
    if not read_as_first.any():
        return empty
    candidates = np.flatnonzero(read_as_first)
    near = starts.isin(set(second.iloc[candidates])).to_numpy()  # the rows that can be a second occurrence
    given = set(zip(starts[near], rows["language"][near], rows["channel"][near], strict=True))
    once = [i for i in candidates
            if (second.iloc[i], rows["language"].iloc[i], rows["channel"].iloc[i]) not in given]
    if not once:
        return empty
    unknown = pd.DataFrame({"start": second.iloc[once].to_numpy(), "language": rows["language"].iloc[once].to_numpy(),
                            "channel": rows["channel"].iloc[once].to_numpy()})
    unknown["start"] = pd.DatetimeIndex(unknown["start"]).tz_convert("UTC")
    _warn(rows.iloc[once], written, first.iloc[once], second.iloc[once], time_zone, label, log)
    return unknown


def _warn(rows: pd.DataFrame, written: pd.Series, first: pd.Series, second: pd.Series, time_zone: str, label: str,
          log: ProblemLog) -> None:
    """One warning naming the rows listed once and the repeated hours they fall in."""
    spans: dict[tuple[str, str], list[str]] = {}
    for instant in sorted(set(first)):
        start, end = repeated_span(instant, time_zone)
        days = spans.setdefault((f"{start:%H:%M}", f"{end:%H:%M}"), [])
        if f"{start:%Y-%m-%d}" not in days:
            days.append(f"{start:%Y-%m-%d}")
    hours = "; ".join(f"{begin}-{end} on {', '.join(days)}" for (begin, end), days in spans.items())
    count = len(rows)
    listed = ", ".join(f"{i + ROW_OFFSET} ({language}/{channel} {written.iloc[i]})" for i, language, channel in
                       zip(rows.index[:MAX_ROWS_PER_KIND], rows["language"], rows["channel"], strict=False))
    more = f", and {count - MAX_ROWS_PER_KIND:,} more" if count > MAX_ROWS_PER_KIND else ""
    before = first.iloc[0].tz_convert(time_zone)
    after = second.iloc[0].tz_convert(time_zone)
    many = count > 1
    log.add(label, f"{count:,} row{'s' if many else ''} list{'' if many else 's'} a time of the hour the plan's clock "
            f"({time_zone}) shows twice as the clocks go back, {hours}, and no row lists its second occurrence: "
            f"row{'s' if many else ''} {listed}{more}; each is read as the first "
            f"({offset_text(before)}, {season(before)}), and the second ({offset_text(after)}, after the change) has "
            "no history: the forecast takes it as missing, not as 0 contacts",
            f"list each of those times twice, the first row for {season(before)} and the second for after the change "
            f"(as an ACD export lists them), or write the second with its offset "
            f"({after:%Y-%m-%dT%H:%M:%S}{offset_text(after)})",
            column="start", severity="warning")
