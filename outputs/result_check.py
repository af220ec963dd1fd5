"""Check a reloaded roster result for values no solve writes (pure; no file I/O).

A result file (:mod:`outputs.result_io`) is written by ``shiftplan solve``; ``shiftplan export`` rewrites the
workbook, the HR file and the calendars from it. A file edited by hand or damaged can still have every section
and column while holding values no roster has: a shift of an employee the result does not list, a date outside
the horizon, a time zone that does not exist, a shift that ends before it starts; or values each in range whose
sections then contradict each other: a local time that is not its UTC time at its zone's offset, an agent's paid
minutes that are not their segments', an objective that is not the sum of its terms, coverage short by other
figures than the solve's penalties count. HR would import such rows as they are, so :func:`result_problems` lists
every one of them (row numbers count from 1 within each section) and the export refuses the file.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from inputs.config import MAX_CODE_LENGTH, is_time_zone
from outputs.changes import CHANGE_COLUMNS, CHANGE_FIELDS, CHANGE_KINDS

#: What a result's figures may be.
INTERVAL_MINUTES = (15, 30, 60)
MAX_WEEKS = 6
STATUSES = ("OPTIMAL", "FEASIBLE")
#: Activities of a segment: work, the break kinds of a template, time off.
ACTIVITIES = ("work", "break", "lunch", "time off")
#: A section lists at most this many problems; the rest are counted.
MAX_LISTED = 20


def _number(value: object) -> float | None:
    """``value`` as a finite number, or None (``True`` is not a number here)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _check_facts(facts: Mapping[str, object], problems: list[str]) -> tuple[dt.date, dt.date] | None:
    """Check the solve's facts; return the roster's first and last day when they are readable."""
    first_day = None
    try:
        first_day = dt.date.fromisoformat(str(facts["first_day"]))
    except ValueError:
        problems.append(f"facts: first_day {facts['first_day']!r} is not a date (YYYY-MM-DD)")
    weeks = facts["weeks"]
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= MAX_WEEKS:
        problems.append(f"facts: weeks {weeks!r} is not a whole number of weeks from 1 to {MAX_WEEKS}")
        weeks = None
    if not isinstance(facts["time_zone"], str) or not is_time_zone(facts["time_zone"]):
        problems.append(f"facts: time_zone {facts['time_zone']!r} is not an IANA time zone")
    if facts["interval_minutes"] not in INTERVAL_MINUTES or isinstance(facts["interval_minutes"], bool):
        problems.append(f"facts: interval_minutes {facts['interval_minutes']!r} is not one of "
                        f"{', '.join(map(str, INTERVAL_MINUTES))}")
    if facts["status"] not in STATUSES:
        problems.append(f"facts: status {facts['status']!r} is not a status with a roster ({', '.join(STATUSES)})")
    figures = {key: _number(facts[key]) for key in ("objective", "lower_bound", "gap", "runtime_seconds")}
    for key, value in figures.items():
        if value is None:
            problems.append(f"facts: {key} {facts[key]!r} is not a finite number")
    if figures["gap"] is not None and not 0.0 <= figures["gap"] <= 1.0:
        problems.append(f"facts: gap {facts['gap']!r} is not between 0 and 1")
    objective = figures["objective"]

    def above_objective(value: float | None) -> bool:
        return None not in (value, objective) and value > objective + 1e-6 * max(1.0, abs(objective))

    if above_objective(figures["lower_bound"]):
        problems.append(f"facts: lower_bound {facts['lower_bound']!r} is above objective {facts['objective']!r}")
    _check_objective(facts, figures, problems)
    if not isinstance(facts["plan_name"], str):
        problems.append(f"facts: plan_name {facts['plan_name']!r} is not text")
    for key in ("lp_bound", "solver_bound"):
        if facts[key] is not None and (_number(facts[key]) is None or above_objective(_number(facts[key]))):
            problems.append(f"facts: {key} {facts[key]!r} is not a number at most the objective")
    settings = {"workers": 1, "seed": 0}
    for key, least in settings.items():
        if isinstance(facts[key], bool) or not isinstance(facts[key], int) or facts[key] < least:
            problems.append(f"facts: {key} {facts[key]!r} is not a whole number of at least {least}")
    if _number(facts["time_limit_seconds"]) is None or facts["time_limit_seconds"] <= 0:
        problems.append(f"facts: time_limit_seconds {facts['time_limit_seconds']!r} is not a positive number")
    counts = {key: facts[key] for key in ("num_agents", "num_agents_used")}
    for key, value in counts.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems.append(f"facts: {key} {value!r} is not a count")
    if all(isinstance(v, int) and not isinstance(v, bool) for v in counts.values()) and \
            counts["num_agents_used"] > counts["num_agents"]:
        problems.append(f"facts: num_agents_used {counts['num_agents_used']} is above num_agents "
                        f"{counts['num_agents']}")
    _check_changes(facts, problems)
    _check_replan(facts, problems)
    notes = facts.get("requirements_notes")
    if notes is not None and not (isinstance(notes, list) and all(isinstance(line, str) for line in notes)):
        problems.append("facts: requirements_notes is not a list of lines of text")
    if first_day is None or weeks is None:
        return None
    return first_day, first_day + dt.timedelta(days=7 * weeks - 1)


def _check_changes(facts: Mapping[str, object], problems: list[str]) -> None:
    """A re-plan's changes are rows of texts: :data:`~outputs.changes.CHANGE_FIELDS`, or the first
    :data:`~outputs.changes.CHANGE_COLUMNS` of a result saved before the others were written; the change one of
    :data:`~outputs.changes.CHANGE_KINDS`; the starts, where given, date-times."""
    changes = facts.get("changes")
    if changes is None:
        return
    kind = CHANGE_COLUMNS.index("change")

    def readable(row: object) -> bool:
        if not (isinstance(row, list) and len(row) in (len(CHANGE_COLUMNS), len(CHANGE_FIELDS))
                and all(isinstance(v, str) for v in row) and row[kind] in CHANGE_KINDS):
            return False
        starts = row[len(CHANGE_COLUMNS) + 1:len(CHANGE_COLUMNS) + 3]
        try:
            return all(dt.datetime.fromisoformat(text).tzinfo is not None for text in starts if text)
        except ValueError:
            return False

    if not (isinstance(changes, list) and all(readable(row) for row in changes)):
        problems.append(f"facts: changes is not a list of rows of {len(CHANGE_FIELDS)} texts "
                        f"({', '.join(CHANGE_FIELDS)}; change one of {', '.join(CHANGE_KINDS)}; the starts "
                        "date-times with their UTC offset, or blank)")


def _check_replan(facts: Mapping[str, object], problems: list[str]) -> None:
    """A re-plan's cut (``facts["replan"]``, :func:`outputs.replan_cut.cut_facts`): its instants are date-times."""
    record = facts.get("replan")
    if record is None:
        return
    try:
        readable = isinstance(record, Mapping) and all(
            dt.datetime.fromisoformat(str(record[key])).tzinfo is None for key in ("from_utc", "from_local"))
    except (KeyError, ValueError):
        readable = False
    if not readable:
        problems.append(f"facts: replan {record!r} is not a re-plan's cut (from_utc and from_local, naive "
                        "date-times)")


def _check_objective(facts: Mapping[str, object], figures: Mapping[str, float | None], problems: list[str]) -> None:
    """The objective is the sum of its terms (as the Summary lists them), and the gap is ``(objective - lower_bound) /
    objective`` (0 when proven optimal or the objective is not positive: :attr:`scheduler.result.Result.gap`)."""
    objective, bound, gap = figures["objective"], figures["lower_bound"], figures["gap"]
    terms = facts["terms"]
    values = [_number(v) for v in terms.values()] if isinstance(terms, Mapping) else [None]
    if None in values:
        problems.append(f"facts: terms {terms!r} are not a number per term of the objective")
    elif values and objective is not None and not math.isclose(objective, sum(values), rel_tol=1e-9, abs_tol=0.01):
        problems.append(f"facts: objective {facts['objective']!r} is not the sum of its terms ({sum(values):,.2f})")
    if None in (objective, bound, gap):
        return
    expected = 0.0 if facts["status"] == "OPTIMAL" or objective <= 0 else max(0.0, (objective - bound) / objective)
    if not math.isclose(gap, expected, rel_tol=1e-9, abs_tol=1e-9):
        problems.append(f"facts: gap {facts['gap']!r} is not (objective - lower_bound) / objective ({expected!r})")


def _outside(day: dt.date, horizon: tuple[dt.date, dt.date] | None) -> bool:
    """Whether a local date lies outside the horizon and the day on each side of it (an agent's local day may be
    the plan's day before its first or after its last)."""
    return horizon is not None and not horizon[0] - dt.timedelta(days=1) <= day <= horizon[1] + dt.timedelta(days=1)


class _Listing:
    """Problems of one section, cut at :data:`MAX_LISTED` with a count of the rest."""

    def __init__(self, section: str) -> None:
        self.section = section
        self.lines: list[str] = []
        self.more = 0

    def add(self, row: int, text: str) -> None:
        if len(self.lines) < MAX_LISTED:
            self.lines.append(f"{self.section} row {row}: {text}")
        else:
            self.more += 1

    def flush(self, problems: list[str]) -> None:
        problems.extend(self.lines)
        if self.more:
            problems.append(f"{self.section}: {self.more} more rows with problems")


def _bad_zones(frame: pd.DataFrame) -> set[object]:
    return {zone for zone in frame["time_zone"].dropna().unique() if not (isinstance(zone, str) and is_time_zone(zone))}


def _check_agents(agents: pd.DataFrame, segments: pd.DataFrame, records: Sequence[object],
                  problems: list[str]) -> set[object]:
    """Check the agents; each one's paid minutes are the sum of their worked segments' (work, breaks and lunches:
    the paid leave of their time off rows is no worked time) and their shifts the number of their assignments (the
    Grid's totals and the Summary's must agree). Return the employee ids."""
    listing = _Listing("agents")
    seen: set[object] = set()
    bad_zones = _bad_zones(agents)
    worked = segments[segments["activity"] != "time off"]
    paid_of = worked.groupby("employee_id", sort=False)["paid_minutes"].sum().to_dict()
    shifts_of = Counter(record.get("employee_id") for record in records if isinstance(record, dict))
    columns = ("employee_id", "time_zone", "scheduled", "shifts", "paid_minutes", "weekend_shifts", "night_shifts")
    for row, (employee, zone, scheduled, shifts, paid, weekends, nights) in enumerate(
            zip(*(agents[c] for c in columns), strict=True), start=1):
        if not isinstance(employee, str) or not employee.strip():
            listing.add(row, f"employee_id {employee!r} is empty")
        elif employee in seen:
            listing.add(row, f"employee_id {employee!r} is listed twice")
        seen.add(employee)
        if zone in bad_zones:
            listing.add(row, f"time_zone {zone!r} is not an IANA time zone")
        if min(shifts, paid, weekends, nights) < 0 or max(weekends, nights) > shifts:
            listing.add(row, f"shifts {shifts}, paid_minutes {paid}, weekend_shifts {weekends} and night_shifts "
                             f"{nights} must not be negative, nor weekend or night shifts more than shifts")
        if paid != paid_of.get(employee, 0):
            listing.add(row, f"paid_minutes {paid} of {employee} is not the sum of their worked segments' paid "
                             f"minutes ({paid_of.get(employee, 0)})")
        if shifts != shifts_of.get(employee, 0):
            listing.add(row, f"shifts {shifts} of {employee} is not the number of their assignments in the roster "
                             f"({shifts_of.get(employee, 0)})")
        if bool(scheduled) != (shifts > 0):
            listing.add(row, f"scheduled {scheduled} of {employee} does not follow from shifts {shifts}")
    listing.flush(problems)
    return seen


def _format_offset(offset: pd.Timedelta) -> str:
    """``+08:00``, ``-03:30``, ``+00:00``: an offset as the segments' ``utc_offset`` column writes it."""
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _clock_problems(segments: pd.DataFrame, bad_zones: set[object]) -> dict[int, list[str]]:
    """Row (from 1) -> what is wrong with its clocks: ``utc_offset`` is not its zone's at ``start_utc``,
    ``start_local`` is not ``start_utc`` on its zone's clock, or ``end_local`` is not ``end_utc`` on the clock of the
    row's start (a shift's row is on one clock: :func:`outputs.roster_frame.roster_segments`) or, for a time off,
    on its zone's clock at its end."""
    found: dict[int, list[str]] = {}
    times = segments[["time_zone", "start_local", "end_local", "start_utc", "end_utc", "utc_offset",
                      "activity"]].reset_index(drop=True)
    times = times[times["time_zone"].notna() & ~times["time_zone"].isin(bad_zones)
                  & times[["start_local", "end_local", "start_utc", "end_utc"]].notna().all(axis=1)]
    for zone, group in times.groupby("time_zone", sort=False):
        on_clock = group["start_utc"].dt.tz_localize("UTC").dt.tz_convert(str(zone)).dt.tz_localize(None)
        # a shift's row is on one clock (its end is its start plus its length); a time off ends on the zone's clock
        ends = (group["start_local"] + (group["end_utc"] - group["start_utc"])).where(
            group["activity"] != "time off",
            group["end_utc"].dt.tz_localize("UTC").dt.tz_convert(str(zone)).dt.tz_localize(None))
        for index, offset, local, expected, end, expected_end, start_utc in zip(
                group.index, group["utc_offset"], group["start_local"], on_clock, group["end_local"], ends,
                group["start_utc"], strict=True):
            texts = found.setdefault(index + 1, [])
            zone_offset = _format_offset(expected - start_utc)
            if offset != zone_offset:
                texts.append(f"utc_offset {offset!r} is not {zone}'s at start_utc {start_utc} ({zone_offset})")
            if local != expected:
                texts.append(f"start_local {local} is not start_utc {start_utc} at {zone}'s {zone_offset} ({expected})")
            elif end != expected_end and group["end_utc"][index] > start_utc:  # else its end_utc is the problem
                texts.append(f"end_local {end} is not end_utc on {zone}'s clock ({expected_end})")
    return {row: texts for row, texts in found.items() if texts}


def _check_segments(segments: pd.DataFrame, agents: pd.DataFrame, templates: set[object],
                    horizon: tuple[dt.date, dt.date] | None, problems: list[str]) -> None:
    """Check the segments: each one's agent, date, times and clocks (:func:`_clock_problems`), pay by activity (work
    is paid in full, a break or lunch in full or not at all, a time off for at most its minutes: the paid leave the
    plan credits it, :func:`outputs.paid_leave.time_off_paid_minutes`, which only the plan can tell) and queue (only
    work is on one); its name, site and time zone are its agent's."""
    listing = _Listing("segments")
    bad_zones = _bad_zones(segments)
    clocks = _clock_problems(segments, bad_zones)
    who = {employee: (name, site, zone) for employee, name, site, zone in zip(
        agents["employee_id"], agents["name"], agents["site"], agents["time_zone"], strict=True)}
    columns = ("employee_id", "name", "site", "time_zone", "roster_date", "start_local", "end_local", "start_utc",
               "end_utc", "activity", "queue", "template", "minutes", "paid_minutes")
    for row, values in enumerate(zip(*(segments[c] for c in columns), strict=True), start=1):
        (employee, name, site, zone, day, start_local, end_local, start_utc, end_utc, activity, queue, template,
         minutes, paid) = values
        if employee not in who:
            listing.add(row, f"employee_id {employee!r} is not among the result's agents")
        else:
            for column, value, agents_value in zip(("name", "site", "time_zone"), (name, site, zone), who[employee],
                                                   strict=True):
                if value != agents_value and not (pd.isna(value) and pd.isna(agents_value)):
                    listing.add(row, f"{column} {value!r} is not agent {employee}'s {agents_value!r}")
        if zone in bad_zones:
            listing.add(row, f"time_zone {zone!r} is not an IANA time zone")
        if not isinstance(day, dt.date):
            listing.add(row, f"roster_date {day!r} is not a date")
        elif _outside(day, horizon):
            listing.add(row, f"roster_date {day} is outside the roster's horizon {horizon[0]} to {horizon[1]}")
        if pd.isna(start_utc) or pd.isna(end_utc) or pd.isna(start_local) or pd.isna(end_local):
            listing.add(row, "a start or end time is missing")
        else:
            if not end_utc > start_utc:
                listing.add(row, f"end_utc {end_utc} is not after start_utc {start_utc}")
            elif minutes != int((end_utc - start_utc).total_seconds() // 60):
                listing.add(row, f"minutes {minutes} is not the time from start_utc to end_utc")
            if not end_local > start_local:
                listing.add(row, f"end_local {end_local} is not after start_local {start_local}")
        for text in clocks.get(row, ()):
            listing.add(row, text)
        if not 0 <= paid <= max(minutes, 0):
            listing.add(row, f"paid_minutes {paid} is not between 0 and minutes {minutes}")
        elif activity in ACTIVITIES and paid not in _PAID_MINUTES[activity](minutes):
            listing.add(row, f"paid_minutes {paid} of a {activity} row of {minutes} minutes is not "
                             f"{_PAID_WORDS[activity]}")
        if activity not in ACTIVITIES:
            listing.add(row, f"activity {activity!r} is not one of {', '.join(ACTIVITIES)}")
        elif activity != "time off" and template not in templates:
            listing.add(row, f"template {template!r} is not among the result's templates")
        if activity != "work" and isinstance(queue, str) and queue:
            listing.add(row, f"activity {activity!r} is on queue {queue!r}: only work is on a queue")
    listing.flush(problems)


#: The paid minutes a segment of each activity may have, given its minutes.
_PAID_MINUTES = {"work": lambda m: (m,), "break": lambda m: (0, m), "lunch": lambda m: (0, m),
                 "time off": lambda m: range(m + 1)}
_PAID_WORDS = {"work": "its minutes (work is paid)", "break": "0 or its minutes", "lunch": "0 or its minutes",
               "time off": "between 0 and its minutes (the paid leave the plan credits it)"}


def _check_templates(templates: pd.DataFrame, problems: list[str]) -> None:
    listing = _Listing("templates")
    for row, (name, code, night) in enumerate(zip(templates["template"], templates["code"], templates["is_night"],
                                                  strict=True), start=1):
        if not isinstance(name, str) or not name.strip():
            listing.add(row, f"template {name!r} is not a name")
        if not isinstance(code, str) or not 1 <= len(code) <= MAX_CODE_LENGTH or any(c.isspace() for c in code):
            listing.add(row, f"code {code!r} is not 1 to {MAX_CODE_LENGTH} characters without spaces")
        if not isinstance(night, (bool, np.bool_)):
            listing.add(row, f"is_night {night!r} is not true or false")
    listing.flush(problems)


def _counted(facts: Mapping[str, object], rule: str) -> dict[tuple[str, int], object] | None:
    """The solve's ``rule`` penalties (``under_staffing``, ``over_staffing``) as (queue, interval) -> agents, or None
    when the solve counted none (its weight was 0, or the penalties are not readable)."""
    penalties = facts["penalties"]
    counted: dict[tuple[str, int], object] = {}
    if not isinstance(penalties, list):
        return None
    for penalty in penalties:
        if not (isinstance(penalty, list) and len(penalty) == 3 and isinstance(penalty[1], str)):
            return None
        if penalty[0] == rule:
            queue, _, interval = penalty[1].rpartition(" interval ")
            if not interval.isdigit():
                return None
            counted[queue, int(interval)] = penalty[2]
    terms = facts["terms"]
    weighted = isinstance(terms, Mapping) and (_number(terms.get(rule)) or 0) > 0
    return counted if counted or weighted else None


def _check_coverage(coverage: pd.DataFrame, facts: Mapping[str, object], horizon: tuple[dt.date, dt.date] | None,
                    problems: list[str]) -> None:
    """Check coverage: dates in the horizon, counts not negative, productive agents (fractional, or whole in a result
    saved before they were; blank without a forecast) from none to the scheduled agents, under and over from required
    and scheduled, and under and over the agents the solve's under- and over-staffing penalties count in that queue
    and interval (the objective's terms and the Summary's coverage must agree)."""
    listing = _Listing("coverage")
    columns = ("queue", "date", "start_utc", "required", "scheduled", "under", "over", "productive")
    counted = {"under": _counted(facts, "under_staffing"), "over": _counted(facts, "over_staffing")}
    minutes = facts["interval_minutes"] if facts["interval_minutes"] in INTERVAL_MINUTES else None
    first = coverage["start_utc"].min() if len(coverage) else None
    for row, (queue, day, start, required, scheduled, under, over, productive) in enumerate(
            zip(*(coverage[c] for c in columns), strict=True), start=1):
        if not isinstance(day, dt.date):
            listing.add(row, f"date {day!r} is not a date")
        elif _outside(day, horizon):
            listing.add(row, f"date {day} is outside the roster's horizon {horizon[0]} to {horizon[1]}")
        if min(required, scheduled, under, over) < 0:
            listing.add(row, f"required {required}, scheduled {scheduled}, under {under} and over {over} must not "
                             "be negative")
            continue
        if not (pd.isna(productive) or 0 <= productive <= scheduled):
            listing.add(row, f"productive {productive} is not between 0 and scheduled {scheduled} (the scheduled "
                             "agents less shrinkage)")
        if under != max(required - scheduled, 0) or over != max(scheduled - required, 0):
            listing.add(row, f"under {under} and over {over} do not follow from required {required} and scheduled "
                             f"{scheduled}")
            continue
        if minutes is None or pd.isna(start) or pd.isna(first):
            continue
        interval = int((start - first) // pd.Timedelta(minutes=minutes))
        for column, value in (("under", under), ("over", over)):
            if counted[column] is not None and value != counted[column].get((queue, interval), 0):
                listing.add(row, f"{column} {value} (required {required}, scheduled {scheduled}) is not the "
                                 f"{column}-staffing the solve counted for {queue} interval {interval} "
                                 f"({counted[column].get((queue, interval), 0)})")
    listing.flush(problems)


def _check_records(records: Sequence[object], employees: set[object], horizon: tuple[dt.date, dt.date] | None,
                   problems: list[str]) -> None:
    listing = _Listing("roster")
    num_days = (horizon[1] - horizon[0]).days + 1 if horizon is not None else None
    for row, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            listing.add(row, "is not an assignment record")
            continue
        employee, day, length = record.get("employee_id"), record.get("day"), record.get("length")
        offsets, queues = record.get("break_offsets"), record.get("queues")
        if employee not in employees:
            listing.add(row, f"employee_id {employee!r} is not among the result's agents")
        if isinstance(day, bool) or not isinstance(day, int) or (num_days is not None and not -1 <= day <= num_days):
            listing.add(row, f"day {day!r} is not a day of the horizon (-1 to {num_days})")
        for key in ("option", "start_interval"):
            if isinstance(record.get(key), bool) or not isinstance(record.get(key), int) or \
                    (key == "option" and record[key] < 0):
                listing.add(row, f"{key} {record.get(key)!r} is not a{' non-negative' if key == 'option' else ''} "
                                 "whole number")
        if isinstance(length, bool) or not isinstance(length, int) or length <= 0:
            listing.add(row, f"length {length!r} is not a positive number of intervals")
            continue
        if not isinstance(queues, list) or len(queues) != length:
            listing.add(row, f"queues do not give one queue per interval of the shift's {length}")
        if not isinstance(offsets, list) or any(isinstance(o, bool) or not isinstance(o, int) or not 0 <= o < length
                                                for o in offsets):
            listing.add(row, f"break_offsets {offsets!r} are not intervals within the shift's {length}")
    listing.flush(problems)


def result_problems(facts: Mapping[str, object], frames: Mapping[str, pd.DataFrame],
                    records: Sequence[object]) -> list[str]:
    """Every value of a reloaded result that no solve writes.

    Parameters
    ----------
    facts : mapping
        The result's facts (every key of :data:`outputs.result_io.REQUIRED_FACTS` present).
    frames : mapping
        ``segments``, ``agents``, ``coverage`` and ``templates``, with their columns.
    records : sequence
        The raw assignments.

    Returns
    -------
    list of str
        One line per problem, naming the section, the row (from 1) and the value; empty when the result holds.
    """
    problems: list[str] = []
    horizon = _check_facts(facts, problems)
    employees = _check_agents(frames["agents"], frames["segments"], records, problems)
    _check_templates(frames["templates"], problems)
    templates = set(frames["templates"]["template"])
    _check_segments(frames["segments"], frames["agents"], templates, horizon, problems)
    _check_coverage(frames["coverage"], facts, horizon, problems)
    _check_records(records, employees, horizon, problems)
    return problems
