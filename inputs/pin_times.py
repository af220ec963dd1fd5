"""A pinned shift's clock times as instants: the hour the clocks skip refused, the hour they repeat read as the shift
its times stand for, and the lengths a clock change gives a pin said in words."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from inputs.clock_changes import offset_text, season
from inputs.config import ShiftTemplate
from inputs.problems import ProblemLog


def clock_text(minutes: float) -> str:
    """Render minutes after midnight as ``HH:MM``."""
    return f"{int(minutes) // 60:02d}:{int(minutes) % 60:02d}"


def pinned_times(day: dt.date, start_minutes: float, end_minutes: float, zone: str, template: ShiftTemplate | None,
                 label: str, row: int, log: ProblemLog,
                 min_minutes: int = 60) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """Turn a pinned shift's local clock times into UTC instants, or log why they cannot be.

    An end at or before the start is the next day's (a night shift); an end equal to the start is a shift across
    the hour the clocks repeat, or refused. Both clock times must exist on their day in the agent's time zone (not
    in the hour the clocks skip when they go forward). A time in the hour the clocks repeat has two readings: the
    one that makes the shift last one of its template's lengths is taken (the earlier if both do, as the
    scheduler starts a template's shifts), else the one whose length is nearest its clock times' (the first pass
    on a tie). The shift must last, in real time, as long as a template's may (60 to 960 minutes; from
    ``min_minutes`` for the worked part of a shift cut short): 13:00 to 06:00 on the night the clocks go forward is 960
    minutes (1,020 on the clock) and holds, 14:00 to 05:30 on the night they go back is 990 (930 on the clock). A
    shift whose start and end both fall in the repeated hour is read so too, with a warning saying how.

    Parameters
    ----------
    day : datetime.date
        The pin's date (of its start), in the agent's zone.
    start_minutes, end_minutes : float
        Its clock times, in minutes after midnight.
    zone : str
        The agent's time zone.
    template : ShiftTemplate or None
        The template the pin names.
    label : str
        The roster file's name, for problems.
    row : int
        The pin's row in that file.
    log : ProblemLog
        Where problems go.
    min_minutes : int
        The shortest shift allowed.

    Returns
    -------
    tuple of pandas.Timestamp or None
        The shift's start and end in UTC, or None when it was refused (the reason is in ``log``).
    """
    lengths = template.lengths_minutes if template is not None else ()
    clock = (end_minutes - start_minutes) % 1440
    local_start = pd.Timestamp(dt.datetime.combine(day, dt.time(0))) + pd.Timedelta(minutes=start_minutes)
    ends = [local_start + pd.Timedelta(minutes=clock)] if clock else [local_start, local_start + pd.Timedelta(days=1)]
    readings: dict[str, list[pd.Timestamp]] = {}
    for column, local in (("start", local_start), ("end", ends[-1])):
        readings[column] = instants(local, zone)
        if not readings[column]:
            after = local.tz_localize(zone, nonexistent="shift_forward").tz_localize(None)
            before = local.tz_localize(zone, nonexistent="shift_backward").tz_localize(None)
            skipped = f"{before + pd.Timedelta(microseconds=1):%H:%M}"
            log.add(label, f"gives {local:%H:%M} on {local:%Y-%m-%d}, a time that does not exist in {zone}: the "
                    f"clocks go forward from {skipped} to {after:%H:%M}",
                    f"give {'a start' if column == 'start' else 'an end'} time before {skipped} or from "
                    f"{after:%H:%M}", row=row, column=column, value=f"{local:%H:%M}")
    if not readings["start"] or not readings["end"]:
        return None
    pairs = [(begin, stop) for local in ends for begin in readings["start"] for stop in instants(local, zone)]
    fitting = [(begin, stop) for begin, stop in pairs
               if min_minutes <= (stop - begin).total_seconds() / 60 <= 16 * 60]
    if not fitting:
        if start_minutes == end_minutes:
            log.add(label, f"starts and ends at {clock_text(start_minutes)}",
                    "write the clock time the shift ends (a shift past midnight ends the next day, e.g. 22:00 to "
                    "06:00)", row=row, column="end", value=clock_text(end_minutes))
        else:
            elapsed = (pairs[0][1] - pairs[0][0]).total_seconds() / 60
            times = f"{clock_text(start_minutes)} to {clock_text(end_minutes)}"
            length = f"{elapsed:g}-minute shift ({times})" if elapsed == clock else (
                f"shift of {elapsed:g} minutes in real time (the clocks go {'back' if elapsed > clock else 'forward'} "
                f"that night: {clock:g} on the clock), {times}")
            log.add(label, f"pins a {length}; a shift lasts 60 to 960 minutes, as a template's lengths_minutes do",
                    "correct the start or end time", row=row, column="end", value=clock_text(end_minutes))
        return None

    def preference(pair: tuple[pd.Timestamp, pd.Timestamp]) -> tuple[bool, float, pd.Timestamp, pd.Timestamp]:
        minutes = (pair[1] - pair[0]).total_seconds() / 60
        fits_template = minutes in lengths  # among several template lengths, the first pass (as templates start)
        return not fits_template, 0.0 if fits_template else abs(minutes - clock), pair[0], pair[1]

    begin, stop = min(fitting, key=preference)
    _warn_inside_the_repeated_hour(begin, stop, readings["start"], zone, label, row, log)
    return begin, stop


def _occurrence(instant: pd.Timestamp, zone: str) -> str:
    """``first 01:00 (+01:00, summer time)``: which occurrence of its clock time a repeated instant is."""
    local = instant.tz_convert(zone)
    which = "first" if instant == instants(local.tz_localize(None), zone)[0] else "second"
    return f"{which} {local:%H:%M} ({offset_text(local)}, {season(local)})"


def _warn_inside_the_repeated_hour(begin: pd.Timestamp, stop: pd.Timestamp, starts: list[pd.Timestamp], zone: str,
                                   label: str, row: int, log: ProblemLog) -> None:
    """Warn of a pin whose start and end both fall in the hour the clocks repeat: say which occurrences it was read as
    (02:00 to 02:30 is 90 minutes, from the first 02:00 to the second 02:30; it passed without a word)."""
    end_local = stop.tz_convert(zone).tz_localize(None)
    if len(starts) < 2 or len(instants(end_local, zone)) < 2:
        return
    local = begin.tz_convert(zone)
    minutes = (stop - begin).total_seconds() / 60
    log.add(label, f"gives {local:%H:%M} and {end_local:%H:%M} on {local:%Y-%m-%d}, both in the hour {zone} repeats as "
            f"its clocks go back: the shift is read as {minutes:g} minutes, from the {_occurrence(begin, zone)} to the "
            f"{_occurrence(stop, zone)}", "nothing, when that is meant; otherwise give times outside that hour",
            row=row, column="end", value=f"{end_local:%H:%M}", severity="warning")


def warn_template_length_changed(begin: pd.Timestamp, stop: pd.Timestamp, start_minutes: float, end_minutes: float,
                                 zone: str, template: ShiftTemplate, label: str, row: int, log: ProblemLog) -> None:
    """Warn of a pinned shift of a template whose clock times span one of the template's lengths but whose real
    length is not one, because the clocks change that night (22:00 to 06:00 on the spring night is 420 minutes): it
    is worked as pinned, while the shifts the solver builds of the template keep the template's real length.

    Parameters
    ----------
    begin, stop : pandas.Timestamp
        The pin's start and end in UTC, as read.
    start_minutes, end_minutes : float
        Its clock times, in minutes after midnight.
    zone : str
        The agent's time zone.
    template : ShiftTemplate
        The template the pin names.
    label : str
        The roster file's name.
    row : int
        The pin's row.
    log : ProblemLog
        Where the warning goes.
    """
    real = (stop - begin).total_seconds() / 60
    clock = (end_minutes - start_minutes) % 1440 or 1440
    if real in template.lengths_minutes or clock not in template.lengths_minutes:
        return
    built = (begin + pd.Timedelta(minutes=clock)).tz_convert(zone)
    times = f"{clock_text(start_minutes)} to {clock_text(end_minutes)}"
    log.add(label, f"pins a '{template.name}' shift from {times} that lasts {real:g} minutes in real time, as the "
            f"clocks go {'forward' if real < clock else 'back'} that night, not one of the template's lengths "
            f"({', '.join(map(str, template.lengths_minutes))}): it is worked as pinned, while the shifts the solver "
            f"builds of '{template.name}' keep their real length ({clock:g} minutes: {clock_text(start_minutes)} to "
            f"{built:%H:%M} that night)",
            f"nothing, when that is meant; otherwise end it at {built:%H:%M} for {clock:g} minutes",
            row=row, column="end", value=clock_text(end_minutes), severity="warning")


def instants(local: pd.Timestamp, zone: str) -> list[pd.Timestamp]:
    """The UTC instants a local time stands for in ``zone``: none in the hour skipped, two in the hour repeated."""
    try:
        return sorted({local.tz_localize(zone, nonexistent="raise", ambiguous=first).tz_convert("UTC")
                       for first in (True, False)})
    except ValueError:  # the clocks skip this time
        return []
