"""iCalendar (RFC 5545) files of the roster: one calendar per agent, written by hand (no extra dependency).

Each shift is one event from its first to its last segment (the agent and every segment, breaks
included, listed in the description);
each time off is one event. A re-plan's calendar also cancels, under its published UID, each published shift now
gone; every roster versions its events (``SEQUENCE``, by its solve) so calendar applications take the changes.
Times are written in UTC (``...Z``), which every calendar application shows in its user's own time zone, so no
``VTIMEZONE`` block is needed.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from outputs.changes import change_text
from outputs.report import RosterReport
from outputs.roster_frame import shift_numbers
from outputs.sheets import open_positions

PRODUCT_ID = "-//shiftplan//roster//EN"


def escape_text(value: str) -> str:
    """Escape a TEXT value (backslash, semicolon, comma, newline), RFC 5545 section 3.3.11."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """Fold a content line at 75 octets (continuation lines start with a space), never inside a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts: list[str] = []
    start = 0
    limit = 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # do not split a multi-byte character
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start = end
        limit = 74  # the leading space counts
    return "\r\n ".join(parts)


def _stamp(value: pd.Timestamp) -> str:
    return f"{pd.Timestamp(value):%Y%m%dT%H%M%S}Z"


def _uid_part(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", value)


def _records(segments: pd.DataFrame) -> list[dict[str, object]]:
    """Segments as plain records (column lists zipped once: much faster than per-group pandas access)."""
    columns = ["employee_id", "name", "time_zone", "roster_date", "start_local", "end_local", "utc_offset",
               "start_utc", "end_utc", "activity", "queue", "template", "paid_minutes"]
    values = [segments[c].tolist() for c in columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def _segment_line(row: dict[str, object], with_offset: bool) -> str:
    """``09:00-11:00 work en/phone``; with the offset, ``01:00-01:30 (UTC+00:00) work en/phone``."""
    offset = f" (UTC{row['utc_offset']})" if with_offset else ""
    queue = f" {row['queue']}" if row["queue"] else ""
    return f"{row['start_local']:%H:%M}-{row['end_local']:%H:%M}{offset} {row['activity']}{queue}"


def _shift_uid(employee_id: str, day: dt.date, nth: int) -> str:
    """``E1-20260323-shift@shiftplan`` for an agent's first shift of a local date, ``...-shift-2@...`` for a second
    (the first keeps the UID calendars had before a date could have two, so a re-plan's event replaces it)."""
    return f"{_uid_part(employee_id)}-{day:%Y%m%d}-shift{'' if nth == 1 else f'-{nth}'}@shiftplan"


def agent_events(report: RosterReport, employee_id: str,
                 segments: list[dict[str, object]] | None = None) -> list[dict[str, object]]:
    """The calendar events of one agent: ``uid``, ``start_utc``, ``end_utc``, ``summary``, ``description``.

    Times are naive UTC ``Timestamp``; one event per shift (its segments, :func:`outputs.roster_frame.shift_numbers`)
    and one per time off, in time order. ``segments`` may give the agent's rows of ``report.segments`` as records (see
    :func:`agent_records`, which numbers the shifts once for every agent), which saves a scan per agent.
    """
    if segments is None:
        segments = _records(report.segments[report.segments["employee_id"] == employee_id])
    codes = dict(zip(report.templates["template"], report.templates["code"], strict=True))
    who = f"{segments[0]['name']} ({employee_id})" if segments else employee_id
    events: list[dict[str, object]] = []
    work = sorted((row for row in segments if row["activity"] != "time off"), key=lambda r: r["start_utc"])
    for row in segments:
        if row["activity"] == "time off":
            leave = int(row.get("paid_minutes") or 0)  # the paid leave the plan credits it (HR's figure)
            paid = f"\npaid leave {leave // 60}:{leave % 60:02d} h" if leave else ""
            events.append({"uid": f"{_uid_part(employee_id)}-{row['start_utc']:%Y%m%dT%H%M}-off@shiftplan",
                           "start_utc": row["start_utc"], "end_utc": row["end_utc"],
                           "summary": f"Time off ({row['template']})",
                           "description": f"{who}\n{row['template']}{paid}"})
    if work and "shift" not in work[0]:
        numbers = shift_numbers(work, report.shift_start_times().get(employee_id, []))
    else:
        numbers = [int(row["shift"]) for row in work]
    shifts: dict[int, list[dict[str, object]]] = {}
    for number, row in zip(numbers, work, strict=True):
        shifts.setdefault(number, []).append(row)
    per_day: dict[object, int] = {}
    for _, shift in sorted(shifts.items()):
        day = shift[0]["roster_date"]
        per_day[day] = per_day.get(day, 0) + 1
        template = str(shift[0]["template"])
        queues = ", ".join(q for q in dict.fromkeys(r["queue"] for r in shift) if q)
        # the night the clocks change, each segment says its UTC offset (02:00 and then 01:00 again)
        offsets = len({r["utc_offset"] for r in shift}) > 1
        lines = [who] + [_segment_line(r, offsets) for r in shift]
        paid = int(sum(r["paid_minutes"] for r in shift))
        lines.append(f"paid {paid // 60}:{paid % 60:02d} h; times in {shift[0]['time_zone']}")
        events.append({
            "uid": _shift_uid(employee_id, day, per_day[day]),
            "start_utc": min(r["start_utc"] for r in shift), "end_utc": max(r["end_utc"] for r in shift),
            "summary": f"Shift {codes.get(template, '')} ({template}){': ' + queues if queues else ''}",
            "description": "\n".join(lines)})
    return sorted(events, key=lambda e: e["start_utc"])


#: SEQUENCE of a roster's events counts seconds from this instant to its solve: a later solve's is higher.
SEQUENCE_EPOCH = pd.Timestamp("2020-01-01")


def event_sequence(report: RosterReport) -> int:
    """``SEQUENCE`` of a roster's events: the seconds from :data:`SEQUENCE_EPOCH` to its solve.

    A calendar application replaces an event it holds with one of the same UID only when the new ``SEQUENCE`` is
    higher (RFC 5545, section 3.8.7.4). Every roster's events carry the seconds from :data:`SEQUENCE_EPOCH` to its
    solve (the manifest's ``solve_finished_utc``, else now), a re-plan's and a first roster's alike: a later solve's
    are higher, so its events replace the earlier ones (a roster solved afresh after a re-plan had 0 and was ignored),
    and ``export`` rewriting the calendars from the same result gives the same again.
    """
    return max(1, int((_report_stamp(report) - SEQUENCE_EPOCH).total_seconds()))


def _cancelled_by_agent(report: RosterReport) -> dict[str, list[list[str]]]:
    """A re-plan's change rows of published shifts now gone (a shift before, ``off`` now), per employee id."""
    rows: dict[str, list[list[str]]] = {}
    for row in report.facts.get("changes") or ():
        if row[3] != "off" and row[4] == "off":
            rows.setdefault(str(row[0]), []).append(row)
    return rows


def _local_utc(day: dt.date, clock: str, zone: str, *, first: bool) -> pd.Timestamp:
    """``HH:MM`` of ``day`` on ``zone``'s clock as a naive UTC instant (a repeated time: its ``first`` or second
    occurrence; a skipped one: the instant the clocks jump to)."""
    local = pd.Timestamp(dt.datetime.combine(day, dt.time.fromisoformat(clock)))
    return local.tz_localize(zone, ambiguous=first, nonexistent="shift_forward").tz_convert("UTC").tz_localize(None)


def cancelled_events(report: RosterReport, employee_id: str) -> list[dict[str, object]]:
    """A re-plan's cancelled events of one agent: each published shift now gone (``dropped``, ``no longer possible``,
    ``not worked: time off``: a change row whose ``now`` is ``off``), under the UID the published calendar gave it.

    The published calendar's event of that shift is the agent's first shift of its local date
    (:func:`_shift_uid`), from the published start to end in the agent's zone (an end before the start is the next
    day's). Each is a dict as :func:`agent_events` gives, with ``change``: the kind of change. A first roster has
    none.
    """
    rows = _cancelled_by_agent(report).get(employee_id, [])
    if not rows:
        return []
    agents = report.agents
    zone = str(agents.loc[agents["employee_id"] == employee_id, "time_zone"].iloc[0])
    events: list[dict[str, object]] = []
    for row in rows:
        name, date, published, change = row[1], row[2], row[3], row[5]
        day = dt.date.fromisoformat(date)
        begin, end = published.split("-")
        start = _local_utc(day, begin, zone, first=True)
        finish = _local_utc(day + dt.timedelta(days=int(end <= begin)), end, zone, first=False)
        events.append({"uid": _shift_uid(employee_id, day, 1), "start_utc": start, "end_utc": finish,
                       "summary": f"Cancelled: shift {published} ({change})",
                       "description": f"{name} ({employee_id})\n{date} {published} in {zone}: {change_text(row)}",
                       "change": change})
    return events


def agent_records(report: RosterReport) -> dict[str, list[dict[str, object]]]:
    """Every named agent's segments as records, in the order of ``report.segments`` (a hired open position is nobody
    yet: it gets no calendar, :func:`outputs.sheets.open_positions`); each work, break and lunch row's ``shift``
    numbers the agent's shifts (:func:`outputs.roster_frame.shift_numbers`). A named agent of a re-plan whose
    published shifts are all gone has no rows, and a calendar still: their cancelled events
    (:func:`cancelled_events`)."""
    result: dict[str, list[dict[str, object]]] = {}
    segments = report.segments
    for row in _records(segments[~segments["employee_id"].isin(open_positions(report))]):
        result.setdefault(str(row["employee_id"]), []).append(row)
    named = set(report.agents["employee_id"]) - open_positions(report)
    for employee in _cancelled_by_agent(report):  # a re-plan that drops every shift of an agent still tells them
        if employee in named:
            result.setdefault(employee, [])
    starts = report.shift_start_times()
    for employee, rows in result.items():
        work = sorted((row for row in rows if row["activity"] != "time off"), key=lambda r: r["start_utc"])
        for number, row in zip(shift_numbers(work, starts.get(employee, [])), work, strict=True):
            row["shift"] = number
    return result


def agent_calendar(report: RosterReport, employee_id: str, *, stamp: dt.datetime | None = None,
                   segments: list[dict[str, object]] | None = None) -> str:
    """The text of one agent's ``.ics`` calendar (CRLF line ends, folded lines).

    Every event is versioned by its roster's solve (:func:`event_sequence`), so a calendar application moves a
    changed shift; a re-plan's calendar ends with a ``STATUS:CANCELLED`` event for each published shift now gone
    (:func:`cancelled_events`), so it removes it.

    Parameters
    ----------
    report : RosterReport
        The roster.
    employee_id : str
        The agent.
    stamp : datetime, optional
        ``DTSTAMP`` of every event (default: the report's solve time, else now), in UTC.
    segments : list of dict, optional
        The agent's segments as records (:func:`agent_records`), when already selected.
    """
    name = report.agents.loc[report.agents["employee_id"] == employee_id, "name"].iloc[0]
    when = stamp or _report_stamp(report)
    title = f"Roster {name} from {report.facts['first_day']}"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODUCT_ID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape_text(title)}"]
    sequence = event_sequence(report)
    version = [f"SEQUENCE:{sequence}"]
    for event in agent_events(report, employee_id, segments):
        lines += ["BEGIN:VEVENT", f"UID:{event['uid']}", f"DTSTAMP:{_stamp(when)}", *version,
                  f"DTSTART:{_stamp(event['start_utc'])}", f"DTEND:{_stamp(event['end_utc'])}",
                  f"SUMMARY:{escape_text(str(event['summary']))}",
                  f"DESCRIPTION:{escape_text(str(event['description']))}", "TRANSP:OPAQUE", "END:VEVENT"]
    for event in cancelled_events(report, employee_id):
        lines += ["BEGIN:VEVENT", f"UID:{event['uid']}", f"DTSTAMP:{_stamp(when)}", *version, "STATUS:CANCELLED",
                  f"DTSTART:{_stamp(event['start_utc'])}", f"DTEND:{_stamp(event['end_utc'])}",
                  f"SUMMARY:{escape_text(str(event['summary']))}",
                  f"DESCRIPTION:{escape_text(str(event['description']))}", "TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"


def _report_stamp(report: RosterReport) -> pd.Timestamp:
    finished = report.manifest.get("solve_finished_utc")
    if finished:
        return pd.Timestamp(str(finished)).tz_convert("UTC").tz_localize(None)
    return pd.Timestamp.now(tz="UTC").tz_localize(None).floor("s")


def calendar_file_name(employee_id: str) -> str:
    """File name of an agent's calendar: the employee id made safe for a file name, ``.ics``."""
    return f"{_uid_part(employee_id)}.ics"
