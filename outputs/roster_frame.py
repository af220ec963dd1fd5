"""The roster as a flat frame, one row per shift segment: what HR imports (pure; no file I/O).

A shift becomes segments in time order: work on one queue, a break or lunch, work on the next
queue, ... Times are given in the agent's local time (with the UTC offset) and in UTC. A break
shorter than the planning interval (a 15-minute break on a 30-minute grid) is a row of its real
length; the rest of that interval is a work row with no queue (off-queue work), so the rows of
a shift add up to its length and the paid minutes to the template's paid time.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import zoneinfo

import pandas as pd

from inputs.records import Horizon, Plan
from inputs.time_spans import outside_spans
from outputs.paid_leave import leave_by_day
from scheduler.problem import TIME_AWAY, ProblemData
from scheduler.roster import OFF_QUEUE, Roster

COLUMNS = ("employee_id", "name", "site", "time_zone", "roster_date", "start_local", "end_local", "utc_offset",
           "start_utc", "end_utc", "activity", "queue", "template", "minutes", "paid_minutes")


def _segment(agent_row: dict[str, object], zone: zoneinfo.ZoneInfo, day: object, start: pd.Timestamp,
             end: pd.Timestamp, activity: str, queue: str, template: str, paid: bool) -> dict[str, object]:
    local_start = start.tz_convert(zone)
    minutes = int((end - start).total_seconds() // 60)
    return {**agent_row, "roster_date": day, "start_local": local_start.tz_localize(None),
            "end_local": end.tz_convert(zone).tz_localize(None),
            "utc_offset": local_start.strftime("%z")[:3] + ":" + local_start.strftime("%z")[3:],
            "start_utc": start.tz_localize(None), "end_utc": end.tz_localize(None), "activity": activity,
            "queue": queue, "template": template, "minutes": minutes, "paid_minutes": minutes if paid else 0}


def clock_changes(zone: zoneinfo.ZoneInfo, start: pd.Timestamp, end: pd.Timestamp) -> list[pd.Timestamp]:
    """The instants in ``(start, end)`` at which the zone's UTC offset changes (summer time starts or ends), in order.

    Parameters
    ----------
    zone : zoneinfo.ZoneInfo
        The agent's time zone.
    start, end : pandas.Timestamp
        A span, tz-aware.

    Returns
    -------
    list of pandas.Timestamp
        The first instant (UTC, to the second) of each new offset.
    """
    return [change for year in range(start.tz_convert("UTC").year, end.tz_convert("UTC").year + 1)
            for change in _changes_of_year(zone, year) if start < change < end]


@functools.lru_cache(maxsize=1024)
def _changes_of_year(zone: zoneinfo.ZoneInfo, year: int) -> tuple[pd.Timestamp, ...]:
    """Every instant of a UTC year at which the zone's offset changes, found to the second (a day at a time, then
    by halves), once per zone and year."""
    def offset(at: pd.Timestamp) -> dt.timedelta | None:
        return at.tz_convert(zone).utcoffset()

    day, second = pd.Timedelta(days=1), pd.Timedelta(seconds=1)
    low, end = pd.Timestamp(year, 1, 1, tz="UTC"), pd.Timestamp(year + 1, 1, 1, tz="UTC")
    before = offset(low)
    changes: list[pd.Timestamp] = []
    while low < end:
        high = min(low + day, end)
        if offset(high) == before:
            low = high
            continue
        while high - low > second:  # low at the old offset, high at another: the change is in (low, high]
            middle = low + ((high - low) / 2).floor("s")
            low, high = (middle, high) if offset(middle) == before else (low, middle)
        changes.append(high)
        low, before = high, offset(high)
    return tuple(changes)


def _shift_rows(rows: list[dict[str, object]], agent_row: dict[str, object], zone: zoneinfo.ZoneInfo, day: object,
                start: pd.Timestamp, end: pd.Timestamp, activity: str, queue: str, template: str,
                paid: bool) -> None:
    """Append the rows of a shift's segment: one, or one per UTC offset where the agent's clocks change during it.

    Each row is on one clock: its ``utc_offset`` holds at its start and its end, so its end is its start plus its
    minutes (the night clocks go back at 02:00, a row to the change ends at 02:00, and the next starts at 01:00).
    """
    bounds = [start, *clock_changes(zone, start, end), end]
    for begin, finish in itertools.pairwise(bounds):
        row = _segment(agent_row, zone, day, begin, finish, activity, queue, template, paid)
        row["end_local"] = row["start_local"] + (finish - begin)
        rows.append(row)


def roster_segments(plan: Plan, problem: ProblemData, roster: Roster) -> pd.DataFrame:
    """Return one row per shift segment (work per queue, break, lunch) and per time off.

    A segment during which the agent's clocks change (summer time starts or ends) is two rows, split at the change,
    each on one clock (:func:`clock_changes`): its ``utc_offset`` holds at its start and end, and its end is its
    start plus its minutes (02:00 for a row to the change the night the clocks go back from 02:00 to 01:00).

    A time off is one row from its start to its end as the time-off file gives them, cut to the plan's days on the
    agent's own clock (:func:`local_days_utc`), one row per week of the plan it spans (:func:`week_spans_utc`): an
    absence of whole days is whole local days, from the agent's midnight to the agent's midnight, never cut at the
    plan's clock. Each row's ``paid_minutes`` are the minutes the plan
    credits it towards the agent's contract week (:func:`outputs.paid_leave.time_off_paid_minutes`: a contract day
    for each whole day it leaves the agent no shift, its hours for part of one, what it took from a kept shift; 0
    for an agent without a contract), so a week's worked and leave minutes add up to the contract.

    Parameters
    ----------
    plan : Plan
        The plan (horizon, time off).
    problem : ProblemData
        The problem the roster answers.
    roster : Roster
        The roster.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`; local and UTC times are naive ``datetime64`` (the offset is a
        column), dates are ``datetime.date``; sorted by employee and start.
    """
    step = pd.Timedelta(minutes=problem.interval_minutes)
    start_utc = plan.horizon.start_utc
    rows: list[dict[str, object]] = []
    absences: dict[str, list[tuple[pd.Timestamp, pd.Timestamp]]] = {}
    for absence in plan.time_off:
        absences.setdefault(absence.employee_id, []).append((absence.start_utc, absence.end_utc))
    for assignment in roster.assignments:
        agent = problem.agents[assignment.agent]
        option = agent.options[assignment.option]
        zone = zoneinfo.ZoneInfo(agent.time_zone)
        base = {"employee_id": agent.employee_id, "name": agent.name, "site": agent.site,
                "time_zone": agent.time_zone}
        template = problem.templates[option.template] if option.template >= 0 else None
        template_name = template.name if template else "pinned"
        shift_start = start_utc + option.start * step
        day = shift_start.tz_convert(zone).date()  # a template start rounded down to the grid may be the day before
        shift_end = shift_start + pd.Timedelta(minutes=shift_minutes(option, template))
        breaks: dict[int, tuple[str, int, bool]] = {}
        away: dict[int, int] = {}  # time away during a kept shift: first interval -> intervals
        if template is not None:
            for spec, offset in zip(template.breaks, assignment.break_offsets, strict=True):
                if spec.kind != TIME_AWAY:
                    breaks[offset] = (spec.kind, spec.minutes, spec.paid)
                elif spec.length:  # none: a time away inside an interval a break takes
                    away[offset] = spec.length
        # work rows leave out the time away during a kept shift: its time off rows are the plan's
        absent = absences.get(agent.employee_id, []) if template is not None and any(
            spec.kind == TIME_AWAY for spec in template.breaks) else []
        work = functools.partial(_work_rows, rows, base, zone, day, template_name, absent)
        cursor = shift_start
        k = 0
        while k < option.length:
            t_start = shift_start + k * step
            if k in away:  # the rest of its intervals is work with no queue
                slot_end = min(t_start + away[k] * step, shift_end)
                work(t_start, slot_end, "")
                k += away[k]
                cursor = slot_end
                continue
            if k in breaks:
                kind, minutes, paid = breaks[k]
                brk_end = t_start + pd.Timedelta(minutes=minutes)
                _shift_rows(rows, base, zone, day, t_start, brk_end, kind, "", template_name, paid)
                length = -(-minutes // problem.interval_minutes)
                slot_end = min(t_start + length * step, shift_end)
                if brk_end < slot_end:
                    work(brk_end, slot_end, "")
                k += length
                cursor = slot_end
                continue
            queue = assignment.queues[k]
            run = k
            while run < option.length and run not in breaks and run not in away and assignment.queues[run] == queue:
                run += 1
            seg_end = min(shift_start + run * step, shift_end)
            work(cursor, seg_end, problem.queue_names[queue] if queue != OFF_QUEUE else "")
            cursor = seg_end
            k = run
    agents = {a.employee_id: a for a in plan.agents}
    leave = leave_by_day(plan, problem)
    for index, absence in enumerate(plan.time_off):
        agent = agents[absence.employee_id]
        zone = zoneinfo.ZoneInfo(agent.time_zone)
        first, last = local_days_utc(plan.horizon, zone)
        if absence.end_utc <= first or absence.start_utc >= last:
            continue
        base = {"employee_id": agent.employee_id, "name": agent.name, "site": agent.site,
                "time_zone": agent.time_zone}
        days = leave.get(index, {})
        for week, (week_start, week_end) in enumerate(week_spans_utc(plan.horizon, zone)):
            start, end = max(absence.start_utc, week_start), min(absence.end_utc, week_end)
            if start >= end:
                continue
            row = _segment(base, zone, start.tz_convert(zone).date(), start, end, "time off", "", absence.kind, False)
            row["paid_minutes"] = sum(minutes for day, minutes in days.items() if day // 7 == week)
            rows.append(row)
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    if not rows:  # nobody works: the time columns still are date-times
        frame = frame.astype({column: "datetime64[ns]" for column in ("start_local", "end_local", "start_utc",
                                                                      "end_utc")})
    return frame.sort_values(["employee_id", "start_utc", "activity"], kind="stable").reset_index(drop=True)


def week_spans_utc(horizon: Horizon, zone: zoneinfo.ZoneInfo) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Each week of the plan on an agent's own clock, as UTC instants: from local midnight of its first day to local
    midnight after its last (the last week to the plan's end). A time off across two weeks is a row in each, so a
    week's rows add up to its worked and paid leave minutes (payroll sums them by week).

    Parameters
    ----------
    horizon : Horizon
        The plan's horizon.
    zone : zoneinfo.ZoneInfo
        The agent's time zone.

    Returns
    -------
    list of (pandas.Timestamp, pandas.Timestamp)
        Start and end (exclusive) of each week, tz-aware UTC.
    """
    bounds = [horizon.first_day + dt.timedelta(days=day) for day in range(0, horizon.num_days, 7)]
    bounds.append(horizon.first_day + dt.timedelta(days=horizon.num_days))
    utc = [pd.Timestamp(dt.datetime.combine(day, dt.time(0), tzinfo=zone)).tz_convert("UTC") for day in bounds]
    return list(itertools.pairwise(utc))


def local_days_utc(horizon: Horizon, zone: zoneinfo.ZoneInfo) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The plan's days on an agent's own clock, as UTC instants: from local midnight of the first day to local
    midnight after the last.

    A time off is shown within these (an absence of whole days stays whole local days, however far the agent's zone
    is from the plan's), so the rosters of two weeks in a row give an absence that spans both in two rows that meet
    at the agent's midnight, neither overlapping nor missing a minute.

    Parameters
    ----------
    horizon : Horizon
        The plan's horizon (its days are the agent's days too, each on the agent's clock).
    zone : zoneinfo.ZoneInfo
        The agent's time zone.

    Returns
    -------
    tuple of pandas.Timestamp
        Start and end (exclusive), tz-aware UTC.
    """
    days = (horizon.first_day, horizon.first_day + dt.timedelta(days=horizon.num_days))
    first, last = (pd.Timestamp(dt.datetime.combine(day, dt.time(0), tzinfo=zone)).tz_convert("UTC") for day in days)
    return first, last


def _work_rows(rows: list[dict[str, object]], agent_row: dict[str, object], zone: zoneinfo.ZoneInfo, day: object,
               template: str, absent: list[tuple[pd.Timestamp, pd.Timestamp]], begin: pd.Timestamp,
               end: pd.Timestamp, queue: str) -> None:
    """Append the work rows of ``[begin, end)`` on ``queue``, leaving out the time ``absent``."""
    for part_begin, part_end in outside_spans(begin, end, absent):
        _shift_rows(rows, agent_row, zone, day, part_begin, part_end, "work", queue, template, True)


def shift_minutes(option: object, template: object) -> int:
    """Real minutes of a shift: its paid minutes and its template's unpaid breaks (the option's length in intervals
    is rounded up to the grid; a pinned shift keeps the minutes it was pinned with)."""
    if template is None:
        return option.paid_minutes
    return option.paid_minutes + sum(spec.minutes for spec in template.breaks if not spec.paid)


def shift_numbers(rows: list[dict[str, object]], starts: list[pd.Timestamp]) -> list[int]:
    """The shift (0, 1, ...) of each of an agent's work, break and lunch rows, in time order.

    A shift is the run of rows from one assignment: a row starts the next shift when its roster date is another,
    or when a shift of the roster (``starts``: naive UTC starts of the agent's assignments) starts after the previous
    row's start and no later than this row's (a late arrival's first row starts after its shift does). Without
    ``starts`` (in time order; none in a report without raw assignments), a row that does not begin where the
    previous one ended starts the next shift. Two shifts of one local date (06:30-14:30 and 23:30-07:30) are two
    shifts, never one.
    """
    numbers: list[int] = []
    for i, row in enumerate(rows):
        if i == 0:
            numbers.append(0)
            continue
        before = rows[i - 1]
        if starts:
            begins = bisect.bisect_right(starts, row["start_utc"]) > bisect.bisect_right(starts, before["start_utc"])
        else:
            begins = row["start_utc"] != before["end_utc"]
        numbers.append(numbers[-1] + int(begins or row["roster_date"] != before["roster_date"]))
    return numbers
