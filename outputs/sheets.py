"""Every sheet of the roster workbook as a pure pandas frame of a :class:`~outputs.report.RosterReport`.

The writers (:mod:`outputs.workbook`, the CSV, :mod:`outputs.ics`) only lay these frames out;
tests check the frames' values directly.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from inputs.config import LIVE_KINDS, PINNED_TEMPLATE
from inputs.time_spans import outside_spans
from outputs.changes import CHANGE_COLUMNS, change_text, in_time_order, takes_effect
from outputs.replan_cut import from_cut, report_cut
from outputs.report import RosterReport, whole_agents_around
from outputs.roster_frame import shift_numbers
from scheduler.build import OPEN_POSITION_CONTRACT

HR_COLUMNS = ("employee_id", "name", "site", "time_zone", "roster_date", "start_local", "end_local", "start_time",
              "end_time", "utc_offset", "start_utc", "end_utc", "activity", "queue", "template", "minutes",
              "paid_minutes")
ACTIVITIES = ("work", "break", "lunch", "time off")
SHIFT_COLUMNS = ("employee_id", "date", "start", "end", "template")
GRID_ID_COLUMNS = ("employee_id", "name", "site", "time_zone", "contract")
TIME_OFF_FAMILY = "time off"
COVERAGE_SHEET_COLUMNS = ("queue", "kind", "date", "start_local", "start_utc", "required", "scheduled", "under",
                          "over", "contacts", "aht_seconds", "productive", "service_level_percent", "asa_seconds",
                          "abandon_percent")


def open_positions(report: RosterReport) -> set[str]:
    """Employee ids of the open positions hired (``OPEN-<profile>-<n>``): not employees of HR's, so not in what HR
    imports (the HR sheet and CSV, the shifts file, the calendars); the grid, coverage and KPIs have them."""
    agents = report.agents
    return set(agents.loc[agents["contract"] == OPEN_POSITION_CONTRACT, "employee_id"])


def hr_frame(report: RosterReport) -> pd.DataFrame:
    """The HR import sheet: one row per shift segment and per time off of a named agent, :data:`HR_COLUMNS`.

    Hired open positions (:func:`open_positions`) are left out: HR imports the sheet as it is, and a hire is a head
    to recruit, not an employee (the grid shows their shifts).

    ``roster_date`` is the local date of the shift start (a ``datetime.date``); ``start_local``
    and ``end_local`` are naive local date-times in the agent's time zone, ``start_time`` and
    ``end_time`` their clock times (``datetime.time``); ``utc_offset`` is the offset at the
    segment's start (``+01:00``); ``start_utc`` and ``end_utc`` are naive UTC date-times.
    """
    frame = report.segments[~report.segments["employee_id"].isin(open_positions(report))].copy()
    frame["start_time"] = frame["start_local"].dt.time
    frame["end_time"] = frame["end_local"].dt.time
    return frame[list(HR_COLUMNS)].reset_index(drop=True)


def shifts_frame(report: RosterReport) -> pd.DataFrame:
    """The roster in the pinned-roster columns (:data:`SHIFT_COLUMNS`), to pin or hint the next solve.

    One row per shift of a named agent, and one per horizon day on which no shift of theirs starts, sorted by
    employee id and date: ``date`` is the local date of the shift start in the agent's time zone, ``start`` and
    ``end`` the local clock times (``HH:MM``; an end before the start is the next day's), ``template`` the shift's
    template (blank for a pinned shift outside every template, and for the worked part of a kept shift cut short,
    which the HR sheet names by its whole shift's template). A shift with time off during it (time away the agent
    came back from) is one row; one the agent came in late to starts at its own start, before its first work
    segment, as the roster has it (:meth:`~outputs.report.RosterReport.shift_starts_utc`), so a later re-plan keeps
    the whole shift again. A day without a shift has blank ``start``,
    ``end`` and ``template``: pinned, it is a day off. Two shifts may start on one date (an agent whose zone is off
    the grid by a quarter hour, with a template start at midnight rounded down onto the day before). Hired open
    positions are left out: they are not in the agents file.
    """
    segments = report.segments
    work = segments[segments["activity"] != "time off"].sort_values(["employee_id", "start_utc"])
    away: dict[object, list[tuple[object, object]]] = {}  # time off: a time away during a shift joins its parts
    for employee, begin, end in segments.loc[segments["activity"] == "time off",
                                             ["employee_id", "start_utc", "end_utc"]].itertuples(index=False):
        away.setdefault(employee, []).append((begin, end))
    starts: dict[tuple[object, object], list[tuple[str, str, str]]] = {}
    shift_starts = report.shift_starts_utc()
    previous = None
    for row in work.itertuples(index=False):
        same_shift = previous is not None and previous.employee_id == row.employee_id and \
            previous.roster_date == row.roster_date and (previous.end_utc == row.start_utc or (
                previous.end_utc < row.start_utc
                and not outside_spans(previous.end_utc, row.start_utc, away.get(row.employee_id, []))))
        if same_shift:
            first = starts[(row.employee_id, row.roster_date)][-1]
            starts[(row.employee_id, row.roster_date)][-1] = (first[0], _clock(row.end_local), first[2])
        else:
            begin, start = row.start_utc, _clock(row.start_local)
            own = shift_starts.get(str(row.employee_id), [])
            late = [at for at, _ in own if at < begin and not outside_spans(at, begin, away.get(row.employee_id, []))]
            if late:  # a late arrival: the shift starts before its first work row, with time off to it
                begin = max(late)
                start = _clock(begin.tz_localize("UTC").tz_convert(str(row.time_zone)))
            # a worked part cut short bears its whole shift's template, which its times are not: blank here
            template = "" if row.template == PINNED_TEMPLATE or (begin, True) in own else str(row.template)
            starts.setdefault((row.employee_id, row.roster_date), []).append((start, _clock(row.end_local), template))
        previous = row
    hires = open_positions(report)
    named = report.agents.loc[~report.agents["employee_id"].isin(hires), "employee_id"]
    rows = []
    for employee in sorted(named, key=str):
        for day in report.days:
            shifts = starts.get((employee, day), [])
            rows += [(employee, day.isoformat(), *shift) for shift in shifts] or [(employee, day.isoformat(), "", "",
                                                                                   "")]
    return pd.DataFrame(rows, columns=list(SHIFT_COLUMNS))


def clock_labels(local: pd.Series, utc: pd.Series, fmt: str) -> list[str]:
    """Interval starts as ``fmt`` on the plan's clock, each time the clock shows twice (the hour repeated when the
    clocks go back) with its UTC offset: ``Sun 31 Oct 02:00 +02:00``, then ``Sun 31 Oct 02:00 +01:00``.

    Parameters
    ----------
    local, utc : pandas.Series
        The same intervals' naive starts on the plan's clock and in UTC.
    fmt : str
        A ``strftime`` format.
    """
    texts = pd.Series(pd.to_datetime(local).dt.strftime(fmt).to_numpy())
    twice = texts.duplicated(keep=False).to_numpy()
    offsets = (pd.to_datetime(local).to_numpy() - pd.to_datetime(utc).to_numpy()) // np.timedelta64(1, "m")
    return [f"{text} {'+' if minutes >= 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}" if again
            else text for text, again, minutes in zip(texts, twice, offsets.astype(np.int64).tolist(), strict=True)]


def shift_spans(segments: pd.DataFrame, starts: dict[str, list[pd.Timestamp]]) -> pd.DataFrame:
    """One row per worked shift of the HR segments: ``employee_id``, ``roster_date``, ``template``, ``start_local``
    and ``end_local`` (its first row's start, its last row's end: the latest local end is not the last the night the
    clocks go back), ``start_utc``, ``end_utc`` and ``paid_minutes``.

    The shifts are told apart as the calendars tell them (:func:`outputs.roster_frame.shift_numbers`, by ``starts``:
    each agent's assignment starts, :meth:`~outputs.report.RosterReport.shift_start_times`): two shifts on one local
    date (an agent whose zone is off the plan's grid, or pins) are two, where grouping by date made one of them.
    """
    worked = segments[segments["activity"] != "time off"].sort_values(["employee_id", "start_utc"], kind="stable")
    records = worked.to_dict("records")
    numbers: list[int] = []
    for employee, rows in itertools.groupby(records, key=lambda row: row["employee_id"]):
        first = numbers[-1] + 1 if numbers else 0
        numbers += [first + n for n in shift_numbers(list(rows), starts.get(employee, []))]
    return worked.groupby(np.asarray(numbers, dtype=np.int64), sort=False).agg(
        employee_id=("employee_id", "first"), roster_date=("roster_date", "first"), template=("template", "first"),
        start_local=("start_local", "first"), end_local=("end_local", "last"), start_utc=("start_utc", "first"),
        end_utc=("end_utc", "last"), paid_minutes=("paid_minutes", "sum")).reset_index(drop=True)


def _clock(value: pd.Timestamp) -> str:
    return f"{value:%H:%M}"


#: An open position's employee id, ``OPEN-<profile>-<n>`` (:func:`scheduler.build.open_position_agents`).
OPEN_POSITION_ID = re.compile(r"(OPEN-.*)-(\d+)")


def grid_order(site: str, employee_id: str, contract: str) -> tuple[str, str, int]:
    """Where an agent's row goes on the Grid: by site, then employee id; an open position hired
    (``OPEN-<profile>-<n>``, contract :data:`scheduler.build.OPEN_POSITION_CONTRACT`) by its profile, then its
    number, so ``OPEN-x-2`` comes before ``OPEN-x-10`` (as text, after it).

    Parameters
    ----------
    site, employee_id, contract : str
        The agent's, as :attr:`~outputs.report.RosterReport.agents` has them.

    Returns
    -------
    tuple
        ``(site, employee id or OPEN-<profile>, number or -1)``.
    """
    numbered = OPEN_POSITION_ID.fullmatch(str(employee_id)) if contract == OPEN_POSITION_CONTRACT else None
    if numbered is None:
        return str(site), str(employee_id), -1
    return str(site), numbered.group(1), int(numbered.group(2))


def grid_frames(report: RosterReport) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The team lead's grid: one row per agent, one column per day, then paid hours per week.

    Returns
    -------
    tuple of pandas.DataFrame
        ``(text, family)``: ``text`` has :data:`GRID_ID_COLUMNS`, one column per day (named by its
        ISO date) holding ``"D 08:00-16:30"`` (template code, start and end on the agent's own clock, the
        ``time_zone`` column), the kind of time
        off (``"vacation"``), both (``"D 14:00-22:00 / training"``) or ``""`` for a day off, then
        ``week_1_hours`` ... and ``total_hours`` (paid hours, numbers); ``family`` has the same
        index and day columns holding the shift family (template name), ``"time off"`` or ``""``
        (the writer colours by it). Agents are sorted by site, then employee id, the open positions hired by
        profile, then number (:func:`grid_order`: ``OPEN-x-2`` before ``OPEN-x-10``).
    """
    days = report.days
    codes = dict(zip(report.templates["template"], report.templates["code"], strict=True))
    segments = report.segments
    shifts = shift_spans(segments, report.shift_start_times())
    off = segments[segments["activity"] == "time off"]
    keys = [grid_order(*row) for row in report.agents[["site", "employee_id", "contract"]].itertuples(index=False)]
    agents = report.agents.iloc[sorted(range(len(keys)), key=keys.__getitem__)].reset_index(drop=True)
    text = agents[list(GRID_ID_COLUMNS)].copy()
    family = pd.DataFrame(index=text.index)
    position = {e: i for i, e in enumerate(agents["employee_id"])}
    cells = {day: [""] * len(agents) for day in days}
    kinds = {day: [""] * len(agents) for day in days}
    for row in shifts.itertuples(index=False):  # two shifts of one date (an off-grid zone, pins) share its cell
        if row.roster_date in cells and row.employee_id in position:
            i, day = position[row.employee_id], row.roster_date
            shift = f"{codes.get(row.template, '?')} {_clock(row.start_local)}-{_clock(row.end_local)}"
            cells[day][i] = f"{cells[day][i]} / {shift}" if cells[day][i] else shift
            kinds[day][i] = kinds[day][i] or row.template
    for row in off.itertuples(index=False):
        if row.employee_id not in position:
            continue
        i = position[row.employee_id]
        first = row.start_local.date()
        last = (row.end_local - pd.Timedelta(microseconds=1)).date()
        for d in range((last - first).days + 1):
            day = first + dt.timedelta(days=d)
            if day not in cells:
                continue
            start = max(row.start_local, pd.Timestamp(day))
            end = min(row.end_local, pd.Timestamp(day) + pd.Timedelta(days=1))
            whole_day = start == pd.Timestamp(day) and end == pd.Timestamp(day) + pd.Timedelta(days=1)
            what = row.template if whole_day else (  # part of the day: its hours, as the HR rows give them
                f"{row.template} {_clock(start)}-{'24:00' if end.time() == dt.time(0) else _clock(end)}")
            cells[day][i] = f"{cells[day][i]} / {what}" if cells[day][i] else what
            kinds[day][i] = kinds[day][i] or TIME_OFF_FAMILY
    for day in days:
        text[day.isoformat()] = cells[day]
        family[day.isoformat()] = kinds[day]
    hours = weekly_paid_hours(report)
    weeks = len(days) // 7
    for week in range(weeks):
        text[f"week_{week + 1}_hours"] = [float(hours.at[e, week]) for e in agents["employee_id"]]
    text["total_hours"] = text[[f"week_{w + 1}_hours" for w in range(weeks)]].sum(axis=1)
    return text, family


def weekly_paid_hours(report: RosterReport) -> pd.DataFrame:
    """Paid hours of each agent in each week of the plan (7-day blocks from its first day, by the shift's date, as
    the Grid counts them): one row per agent of the report, one column per week (0 where none was worked)."""
    days = report.days
    worked = report.segments[report.segments["activity"] != "time off"]
    week = [(d - days[0]).days // 7 for d in worked["roster_date"]]
    hours = worked.assign(week=week).groupby(["employee_id", "week"])["paid_minutes"].sum() / 60
    weeks = max(len(days) // 7, 1)
    return pd.DataFrame([[float(hours.get((e, w), 0.0)) for w in range(weeks)] for e in report.agents["employee_id"]],
                        index=list(report.agents["employee_id"]), columns=range(weeks))


def coverage_sheet_frame(report: RosterReport) -> pd.DataFrame:
    """The coverage sheet: the report's coverage with percentages (:data:`COVERAGE_SHEET_COLUMNS`).

    ``service_level_percent`` and ``abandon_percent`` are percentages rounded to 0.1, ASA is in
    seconds rounded to 0.1; blank (NaN) where there is no forecast or no answer time. ``productive`` (fractional:
    scheduled less shrinkage) and ``contacts`` are rounded to 0.01.
    """
    cov = report.coverage
    frame = cov.drop(columns=["service_level", "abandon_rate"]).copy()
    frame["service_level_percent"] = (100 * cov["service_level"]).round(1)
    frame["abandon_percent"] = (100 * cov["abandon_rate"]).round(1)
    frame["asa_seconds"] = cov["asa_seconds"].round(1)
    frame["contacts"] = cov["contacts"].round(2)
    frame["productive"] = cov["productive"].round(2)
    return frame[list(COVERAGE_SHEET_COLUMNS)]


def chart_data_frame(report: RosterReport) -> pd.DataFrame:
    """Per-queue chart data in wide form: one row per interval, ``label`` then required and scheduled per queue.

    Columns: ``label`` (``Mon 30 Nov 08:00``, the plan's local time; a time the clock shows twice with its UTC
    offset, :func:`clock_labels`), then for each queue in plan
    order ``<queue> required`` and ``<queue> scheduled``.
    """
    cov = report.coverage
    queues = list(dict.fromkeys(cov["queue"]))
    first = cov[cov["queue"] == queues[0]]
    frame = pd.DataFrame({"label": clock_labels(first["start_local"], first["start_utc"], "%a %d %b %H:%M")})
    for queue in queues:
        block = cov[cov["queue"] == queue]
        frame[f"{queue} required"] = block["required"].to_numpy()
        frame[f"{queue} scheduled"] = block["scheduled"].to_numpy()
    return frame


def _weighted(values: pd.Series, weights: pd.Series) -> float:
    mask = values.notna() & (weights > 0)
    if not mask.any():
        return float("nan")
    return float(np.average(values[mask], weights=weights[mask]))


def no_answer(coverage: pd.DataFrame) -> pd.Series:
    """Which coverage rows are intervals of a live queue some of whose forecast contacts get no answer.

    The staffing math gives such an interval an infinite ASA (blank on the Coverage sheet): no productive agent, or
    too few for the load on an Erlang C queue (chat), for all of the interval or, with fractional productive agents,
    for the share of it with ``⌊p⌋`` of them (:func:`no_answer_share`). Deferred queues have no ASA, and a queue
    without a forecast no expected service: neither has such rows.

    Parameters
    ----------
    coverage : pandas.DataFrame
        Rows of :attr:`~outputs.report.RosterReport.coverage`.

    Returns
    -------
    pandas.Series
        Boolean, on the rows' index.
    """
    return (coverage["kind"].isin(LIVE_KINDS) & (coverage["contacts"] > 0) & coverage["asa_seconds"].isna()
            & coverage["service_level"].notna())


def no_answer_share(coverage: pd.DataFrame) -> pd.Series:
    """The expected share of each coverage row's forecast contacts that get no answer (0 outside :func:`no_answer`).

    A row of :func:`no_answer` with fractional productive agents ``p`` (:mod:`outputs.report`) has ``⌈p⌉`` of them a
    share ``p − ⌊p⌋`` of the interval and ``⌊p⌋`` the rest. Its contacts get no answer at ``⌊p⌋`` agents (its ASA
    is infinite), and at ``⌈p⌉`` too when its service level is 0; a service level above 0 is the ``⌈p⌉`` agents'
    answers, so only the share ``1 − (p − ⌊p⌋)`` of its contacts gets none: 0.3 for one agent at 30% shrinkage.

    Parameters
    ----------
    coverage : pandas.DataFrame
        Rows of :attr:`~outputs.report.RosterReport.coverage` (whole ``productive`` in a result saved before they
        were fractional: a share of 1).

    Returns
    -------
    pandas.Series
        Float in [0, 1], on the rows' index.
    """
    _, _, weight = whole_agents_around(coverage["productive"].fillna(0.0).to_numpy(dtype=float))
    answered_above = (coverage["service_level"] > 0).to_numpy()
    share = np.where(answered_above, 1.0 - weight, 1.0)
    return pd.Series(np.where(no_answer(coverage).to_numpy(), share, 0.0), index=coverage.index)


def expected_service(coverage: pd.DataFrame) -> dict[str, float]:
    """The expected service of coverage rows together, weighted by forecast contacts.

    An average answer time holds only when every contact is answered: when some of the live queues' contacts fall in
    intervals with no answer (:func:`no_answer`), ``asa_seconds`` is NaN (not meaningful) and ``no_answer_percent``
    says which share of the live queues' contacts they are expected to be (:func:`no_answer_share`).

    Parameters
    ----------
    coverage : pandas.DataFrame
        Rows of :attr:`~outputs.report.RosterReport.coverage` (a queue's day, a queue, or all of them).

    Returns
    -------
    dict
        ``service_level_percent``, ``asa_seconds``, ``abandon_percent``, and ``no_answer_percent`` (NaN without a
        live queue's forecast contacts); NaN where there is no forecast.
    """
    contacts = coverage["contacts"]
    unanswered = no_answer(coverage)
    live = coverage["kind"].isin(LIVE_KINDS) & coverage["service_level"].notna() & (contacts > 0)
    live_contacts = float(contacts[live].sum())
    return {"service_level_percent": 100 * _weighted(coverage["service_level"], contacts),
            "asa_seconds": float("nan") if unanswered.any() else _weighted(coverage["asa_seconds"], contacts),
            "abandon_percent": 100 * _weighted(coverage["abandon_rate"], contacts),
            "no_answer_percent": 100 * float((contacts[unanswered] * no_answer_share(coverage)[unanswered]).sum())
            / live_contacts if live_contacts else float("nan")}


def _hours(block: pd.DataFrame, hours: float) -> dict[str, float]:
    return {"contacts": float(block["contacts"].sum()), "required_hours": float(block["required"].sum() * hours),
            "scheduled_hours": float(block["scheduled"].sum() * hours),
            "under_hours": float(block["under"].sum() * hours)}


#: The columns of :func:`service_by_day` (:func:`service_by_queue` has them but ``date``).
SERVICE_COLUMNS = ("queue", "date", "contacts", "required_hours", "scheduled_hours", "under_hours",
                   "service_level_percent", "asa_seconds", "abandon_percent", "no_answer_percent")


def service_by_day(report: RosterReport) -> pd.DataFrame:
    """Expected service per queue and local day of the plan, weighted by forecast contacts (:func:`expected_service`).

    Returns
    -------
    pandas.DataFrame
        :data:`SERVICE_COLUMNS`; ``asa_seconds`` is NaN on a day some of whose contacts get no answer.
    """
    hours = int(report.facts["interval_minutes"]) / 60
    rows = [{"queue": queue, "date": day, **_hours(block, hours), **expected_service(block)}
            for (queue, day), block in report.coverage.groupby(["queue", "date"], sort=False)]
    return pd.DataFrame(rows, columns=list(SERVICE_COLUMNS))


def service_by_queue(report: RosterReport, coverage: pd.DataFrame | None = None) -> pd.DataFrame:
    """Expected service per queue over the horizon, queues in plan order (:func:`expected_service`).

    Parameters
    ----------
    report : RosterReport
        The roster.
    coverage : pandas.DataFrame, optional
        Rows of the report's coverage to count (default: all of them); a re-plan's from its cut on
        (:func:`outputs.replan_cut.from_cut`).

    Returns
    -------
    pandas.DataFrame
        :data:`SERVICE_COLUMNS` but ``date``; ``asa_seconds`` is NaN for a queue some of whose contacts get no
        answer.
    """
    hours = int(report.facts["interval_minutes"]) / 60
    rows = [{"queue": queue, **_hours(block, hours), **expected_service(block)}
            for queue, block in (report.coverage if coverage is None else coverage).groupby("queue", sort=False)]
    return pd.DataFrame(rows, columns=[c for c in SERVICE_COLUMNS if c != "date"])


def service_level_pivot(report: RosterReport) -> pd.DataFrame:
    """Expected service level (%) per queue (rows, plan order) and day (columns, ISO dates), rounded to 0.1."""
    daily = service_by_day(report)
    queues = list(dict.fromkeys(report.coverage["queue"]))
    pivot = daily.pivot(index="queue", columns="date", values="service_level_percent").reindex(queues)
    pivot.columns = [d.isoformat() for d in pivot.columns]
    return pivot.round(1)


_INTERVAL = re.compile(r" interval (\d+)$")
_DAY = re.compile(r" day (\d+)$")
_WEEK = re.compile(r" week (\d+)$")
#: The columns of :func:`penalties_frame`.
PENALTY_COLUMNS = ("rule", "subject", "when", "amount", "unit")


def penalty_unit(rule: str, interval_minutes: int) -> str:
    """What a penalty's amount counts, by rule (``""`` for a rule this version does not know).

    Parameters
    ----------
    rule : str
        The soft rule (``under_staffing``, ``contract_deviation``, ...).
    interval_minutes : int
        The plan's grid.

    Returns
    -------
    str
        ``agent-intervals (30 min)`` (agents missing in each interval), ``minutes`` (paid minutes short of the
        week's contract target), ``shifts`` (on a preferred day off, or of a template not preferred) or
        ``agent-days`` (changed from the published roster); over-staffing counts agent-intervals beyond the
        requirement, the fairness rules the weekend or night shifts of the agent with the most, and
        ``uncovered_queue`` the intervals (``intervals (30 min)``) a queue with demand had nobody on it;
        ``overtime`` the minutes (the agent's week above the contract).
    """
    units = {"under_staffing": f"agent-intervals ({interval_minutes} min)",
             "over_staffing": f"agent-intervals ({interval_minutes} min)", "contract_deviation": "minutes",
             "overtime": "minutes",
             "preference_day_off": "shifts", "preference_template": "shifts", "roster_change": "agent-days",
             "weekend_fairness": "weekend shifts", "night_fairness": "night shifts",
             "uncovered_queue": f"intervals ({interval_minutes} min)"}
    return units.get(rule, "")


def penalties_frame(report: RosterReport) -> pd.DataFrame:
    """Every named soft-rule penalty: :data:`PENALTY_COLUMNS`.

    The solve names a penalty's subject by its queue or agent and a position counted from 0 (``en/chat interval
    34``, ``E1042 day 6``, ``E1042 week 0``); here ``subject`` is the queue or agent alone and ``when`` the position
    as a team lead reads it: an interval's local start in the plan's time zone (``2026-11-30 17:00``; with its UTC
    offset in the hour the clocks repeat), a day's date,
    a week as ``week 1 (2026-11-30 to 2026-12-06)`` (counted from 1). ``unit`` says what ``amount`` counts
    (:func:`penalty_unit`). A subject of another form is kept whole, with no ``when``.
    """
    cov = report.coverage
    first_queue = cov["queue"].iloc[0] if len(cov) else None
    first = cov[cov["queue"] == first_queue]
    starts = clock_labels(first["start_local"], first["start_utc"], "%Y-%m-%d %H:%M")
    days = report.days
    interval = int(report.facts["interval_minutes"])
    rows = []
    for rule, subject, amount in report.facts.get("penalties", []):
        who, when = subject, ""
        if (m := _INTERVAL.search(subject)) and int(m.group(1)) < len(starts):
            who, when = subject[:m.start()], starts[int(m.group(1))]
        elif (m := _DAY.search(subject)) and int(m.group(1)) < len(days):
            who, when = subject[:m.start()], days[int(m.group(1))].isoformat()
        elif (m := _WEEK.search(subject)) and 7 * int(m.group(1)) < len(days):
            week = int(m.group(1))
            who, when = subject[:m.start()], f"week {week + 1} ({days[7 * week]} to {days[7 * week + 6]})"
        rows.append({"rule": rule, "subject": who, "when": when, "amount": int(amount),
                     "unit": penalty_unit(rule, interval)})
    return pd.DataFrame(rows, columns=list(PENALTY_COLUMNS))


#: The columns of the Changes sheet (:func:`changes_frame`).
CHANGES_SHEET_COLUMNS = ("takes_effect", "employee_id", "name", "time_zone", "date", "published", "now", "new_start",
                         "change")


def changes_frame(report: RosterReport) -> pd.DataFrame | None:
    """A re-plan's changed agent-days, the agents to tell, soonest first; None for a roster that is not a re-plan.

    Columns :data:`CHANGES_SHEET_COLUMNS`: ``takes_effect``, when the change takes effect (the earlier of the
    published and the new shift's start, :func:`outputs.changes.takes_effect`) and ``new_start``, the new shift's
    start (NaT for a day without one), both naive date-times on the plan's clock; the agent's id, name and
    ``time_zone``, the agent's local ``date``, the ``published`` and the new shift (``now``) on the agent's clock
    (``09:00-17:00``, or ``off``), and the ``change`` with its reason (:func:`outputs.changes.change_text`). Rows in
    :func:`outputs.changes.in_time_order`; those of a result saved before the starts were written keep its order,
    with blank times and the zone from :attr:`~outputs.report.RosterReport.agents`.
    """
    changes = report.facts.get("changes")
    if changes is None:
        return None
    zone = str(report.facts["time_zone"])
    zones = dict(zip(report.agents["employee_id"], report.agents["time_zone"], strict=True))
    start = len(CHANGE_COLUMNS) + 2  # the new shift's start, after the zone and the published start

    def on_clock(text: str | None) -> pd.Timestamp:
        return pd.Timestamp(text).tz_convert(zone).tz_localize(None) if text else pd.NaT

    rows = [{"takes_effect": on_clock(None if (when := takes_effect(row)) is None else when.isoformat()),
             "employee_id": row[0], "name": row[1],
             "time_zone": row[len(CHANGE_COLUMNS)] if len(row) > len(CHANGE_COLUMNS) else zones.get(row[0], ""),
             "date": row[2], "published": row[3], "now": row[4],
             "new_start": on_clock(row[start] if len(row) > start else None), "change": change_text(row)}
            for row in in_time_order(changes)]
    frame = pd.DataFrame(rows, columns=list(CHANGES_SHEET_COLUMNS))
    for column in ("takes_effect", "new_start"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def penalty_totals(report: RosterReport) -> pd.DataFrame:
    """Penalties per rule: ``rule``, ``count`` (subjects), ``amount`` (summed), its ``unit`` and the first subjects
    with their times (``en/chat 2026-11-30 00:00``, as on the Penalties sheet)."""
    frame = penalties_frame(report)
    rows = []
    for rule, block in frame.groupby("rule", sort=True):
        named = [f"{who} {when}".strip() for who, when in zip(block["subject"], block["when"], strict=True)]
        examples = ", ".join(named[:3]) + (", ..." if len(block) > 3 else "")
        rows.append({"rule": rule, "count": len(block), "amount": int(block["amount"].sum()),
                     "unit": block["unit"].iloc[0], "subjects": examples})
    return pd.DataFrame(rows, columns=["rule", "count", "amount", "unit", "subjects"])


@dataclass(frozen=True)
class Headcount:
    """The agents of a roster, counted as the solve's headline counts them (``183 of 187 agents scheduled``).

    An open position of ``[[open_positions]]`` counts as an agent of the plan, hired or not: ``in_plan`` is the named
    agents and every head allowed (``max_heads``), ``scheduled`` the named agents with a shift and the heads hired.
    """

    named: int
    named_scheduled: int
    allowed: int
    hired: int

    @property
    def in_plan(self) -> int:
        """Named agents and open positions allowed."""
        return self.named + self.allowed

    @property
    def scheduled(self) -> int:
        """Named agents with a shift and open positions hired."""
        return self.named_scheduled + self.hired


def headcount(report: RosterReport) -> Headcount:
    """The roster's :class:`Headcount`: named agents from :attr:`~outputs.report.RosterReport.agents`, open positions
    from the solve's hires (``facts["hires"]``: profile, hired, allowed)."""
    named = report.agents[report.agents["contract"] != OPEN_POSITION_CONTRACT]
    hires = report.facts.get("hires", [])
    return Headcount(len(named), int(named["scheduled"].sum()), sum(int(allowed) for _, _, allowed in hires),
                     sum(int(hired) for _, hired, _ in hires))


def coverage_kpis(coverage: pd.DataFrame, hours: float, section: str, suffix: str = ""
                  ) -> list[tuple[str, str, object, str]]:
    """The coverage figures of :func:`kpi_frame` for some coverage rows: required, scheduled, under- and over-staffed
    agent-hours, coverage %, the expected service (:func:`expected_service`).

    Parameters
    ----------
    coverage : pandas.DataFrame
        Rows of :attr:`~outputs.report.RosterReport.coverage`.
    hours : float
        Hours per interval.
    section : str
        The rows' section.
    suffix : str
        Added to each figure's name (``, from the cut``), so a frame with two such sections names each figure once.

    Returns
    -------
    list of tuple
        ``(section, figure, value, unit)`` rows.
    """
    required = float(coverage["required"].sum())
    met = float(np.minimum(coverage["required"], coverage["scheduled"]).sum())
    service = expected_service(coverage)
    asa_unit = "s"
    if service["no_answer_percent"] > 0:  # the ASA is blank: an average wait would leave these contacts out
        asa_unit = f"s: none, {service['no_answer_percent']:.1f}% of live queues' contacts get no answer"
    figures = [
        ("required", required * hours, "agent-h"),
        ("scheduled on queues", float(coverage["scheduled"].sum()) * hours, "agent-h"),
        ("under-staffed", float(coverage["under"].sum()) * hours, "agent-h"),
        ("over-staffed", float(coverage["over"].sum()) * hours, "agent-h"),
        ("coverage (required agent-intervals met)", 100 * met / required if required else 100.0, "%"),
        ("expected service level", service["service_level_percent"], "%"),
        ("expected ASA", service["asa_seconds"], asa_unit),
        ("expected abandonment", service["abandon_percent"], "%"),
        ("contacts with no expected answer", service["no_answer_percent"], "% of live queues' contacts")]
    return [(section, f"{figure}{suffix}", value, unit) for figure, value, unit in figures]


def overtime_kpis(report: RosterReport) -> list[tuple[str, str, object, str]]:
    """The ``overtime`` row of :func:`kpi_frame`: paid hours worked above the contracts and by how many agents, when
    the run allowed overtime (``facts["overtime_allowed"]``) or the roster has some; else none."""
    minutes: dict[str, int] = {}
    for rule, subject, amount in report.facts.get("penalties", []):
        if rule == "overtime":
            employee_id = str(subject).rsplit(" week ", 1)[0]
            minutes[employee_id] = minutes.get(employee_id, 0) + int(amount)
    if not minutes and not report.facts.get("overtime_allowed"):
        return []
    return [("roster", "overtime", sum(minutes.values()) / 60, f"h above contracts ({len(minutes)} agents)")]


def paid_hours_split(report: RosterReport) -> tuple[float, float] | None:
    """The paid hours of the named agents and of the open positions hired, apart: ``(named, hired)``; None when the
    plan allows no open position (``facts["hires"]``), where all are named."""
    if not headcount(report).allowed:
        return None
    agents = report.agents
    named = float(agents.loc[agents["contract"] != OPEN_POSITION_CONTRACT, "paid_minutes"].sum()) / 60
    return named, float(agents["paid_minutes"].sum()) / 60 - named


def _open_positions_text(count: int) -> str:
    """``1 open position``, ``3 open positions``."""
    return f"{count} open position{'' if count == 1 else 's'}"


def kpi_frame(report: RosterReport) -> pd.DataFrame:
    """Headline figures: ``section``, ``figure``, ``value``, ``unit``.

    Headcount in the plan, used and unused (:func:`headcount`: an open position counts as an agent, hired or not),
    shifts, paid hours (and the overtime among them, :func:`overtime_kpis`), required / scheduled / under / over
    agent-hours, coverage % (required agent-intervals met), expected service level, ASA and
    abandonment over the horizon (contact-weighted, :func:`expected_service`: no ASA, its unit saying why, when some
    contacts get no answer) and the share of the live queues' contacts that get none, the solver's status,
    objective, bounds, gap, runtime and settings, the objective terms, and fairness (weekend and night shifts, paid
    hours per scheduled agent: fewest, most).

    A re-plan whose cut the report records (:func:`outputs.replan_cut.report_cut`) has its coverage figures twice:
    first from the cut on, what it could still change (section ``coverage from Wed 2026-12-02 15:00 (the re-plan's
    cut)``, each figure named ``..., from the cut``), then over the whole plan (section ``coverage, whole plan (the
    days before the cut included)``, the figures' usual names), with the agent-hours under-staffed before the cut.
    """
    facts = report.facts
    agents = report.agents
    cov = report.coverage
    hours = int(facts["interval_minutes"]) / 60
    used = agents[agents["scheduled"].astype(bool)]  # (an empty frame: an object column would select columns)
    heads = headcount(report)
    split = paid_hours_split(report)
    cut = report_cut(facts)
    rows: list[tuple[str, str, object, str]] = [
        ("roster", "agents in the plan", heads.in_plan,
         f"agents ({heads.named} named, {_open_positions_text(heads.allowed)})" if heads.allowed else "agents"),
        ("roster", "agents scheduled", heads.scheduled,
         f"agents ({heads.named_scheduled} named, {heads.hired} hired)" if heads.allowed else "agents"),
        ("roster", "agents unused", heads.in_plan - heads.scheduled,
         f"agents ({heads.named - heads.named_scheduled} named, {_open_positions_text(heads.allowed - heads.hired)} "
         "not hired)" if heads.allowed else "agents"),
        *(("roster", f"hired: open position '{profile}'", hired, f"of {allowed} allowed")
          for profile, hired, allowed in facts.get("hires", [])),
        ("roster", "shifts", int(agents["shifts"].sum()), "shifts"),
        ("roster", "paid hours", float(agents["paid_minutes"].sum()) / 60,
         "h" if split is None else f"h ({split[0]:,.1f} named, {split[1]:,.1f} hired)"),
    ]
    rows += overtime_kpis(report)
    if cut is None:
        rows += coverage_kpis(cov, hours, "coverage")
    else:  # a re-plan: what it could still change first, then the whole plan with the days it kept as worked
        rows += coverage_kpis(from_cut(cov, cut), hours, f"coverage {cut.heading}", ", from the cut")
        rows += coverage_kpis(cov, hours, "coverage, whole plan (the days before the cut included)")
        before = cov[cov["start_utc"] < cut.utc]
        rows.append(("coverage, whole plan (the days before the cut included)", "under-staffed before the cut",
                     float(before["under"].sum()) * hours, "agent-h (the kept roster, worked or under way by then)"))
    rows += [
        ("solver", "status", facts["status"], ""),
        ("solver", "objective", facts["objective"], "plan units"),
        ("solver", "lower bound", facts["lower_bound"], "plan units"),
        ("solver", "LP bound", facts["lp_bound"], "plan units"),
        ("solver", "CP-SAT bound", facts["solver_bound"], "plan units"),
        ("solver", "gap", None if facts["gap"] is None else 100 * float(facts["gap"]), "%"),
        ("solver", "runtime", facts["runtime_seconds"], "s"),
        ("solver", "time limit", facts["time_limit_seconds"], "s"),
        ("solver", "workers", facts["workers"], ""),
        ("solver", "seed", facts["seed"], ""),
    ]
    rows += [("objective terms", name, value, "plan units") for name, value in dict(facts["terms"]).items()]
    for column, label in (("weekend_shifts", "weekend shifts per scheduled agent"),
                          ("night_shifts", "night shifts per scheduled agent")):
        rows.append(("fairness", f"{label}: fewest", int(used[column].min()) if len(used) else 0, "shifts"))
        rows.append(("fairness", f"{label}: most", int(used[column].max()) if len(used) else 0, "shifts"))
    per_week = weekly_paid_hours(report).loc[list(used["employee_id"])]
    rows.append(("fairness", "paid hours in a week, per scheduled agent: fewest",
                 float(per_week.to_numpy().min()) if len(used) else 0.0, "h (of any week of the plan, as on the Grid)"))
    rows.append(("fairness", "paid hours in a week, per scheduled agent: most",
                 float(per_week.to_numpy().max()) if len(used) else 0.0, "h (of any week of the plan, as on the Grid)"))
    frame = pd.DataFrame(rows, columns=["section", "figure", "value", "unit"])
    frame["value"] = [round(v, 2) if isinstance(v, float) and not np.isnan(v) else v for v in frame["value"]]
    return frame
