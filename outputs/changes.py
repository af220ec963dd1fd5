"""A re-plan's changes from the published roster: the agents to tell, in the order the changes take effect (pure).

:func:`roster_changes` lists each agent-day the re-plan changed (``facts["changes"]``, the workbook's ``Changes``
sheet, the line ``solve`` prints), with the published and the new shift on the agent's own clock, the agent's time
zone and both starts on the plan's clock, so the sheet can say when each change takes effect and list today's
call-ins first (:func:`in_time_order`). A published shift dropped while the agent works a shift added or moved in the
same week says why when the plan's own rules show it (:func:`drop_reason`): keeping it beside the new roster would
break the week's days or hours, the rest between shifts or the days in a row. Otherwise nothing is said: the search
may have dropped it for coverage or cost, which no rule shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import pandas as pd

from inputs.records import Plan
from outputs.roster_frame import shift_minutes
from scheduler.problem import LOST_SHIFT, AgentData, ProblemData, ShiftOption
from scheduler.result import Result

__all__ = ["CHANGE_COLUMNS", "CHANGE_FIELDS", "CHANGE_KINDS", "TIME_OFF_CHANGES", "change_text", "drop_reason",
           "in_time_order", "roster_changes", "takes_effect"]

#: The first columns of a re-plan's changes (``facts["changes"]``), all a result saved before the others were
#: written has: the agent, the agent's local date, the published and the new shift on the agent's clock
#: (``09:00-17:00`` or ``off``) and the kind of change.
CHANGE_COLUMNS = ("employee_id", "name", "date", "published", "now", "change")
#: Every column of a change: :data:`CHANGE_COLUMNS`, then the agent's time zone, the published and the new shift's
#: start on the plan's clock (ISO 8601 with its UTC offset, ``2026-12-02T15:00:00+00:00``; ``""`` for a day without
#: one) and why a dropped shift was dropped (``""``: no rule shows it).
CHANGE_FIELDS = (*CHANGE_COLUMNS, "time_zone", "published_start", "new_start", "reason")
#: What a change is: ``moved`` (another shift), ``dropped`` (no shift now), ``added`` (a shift on a published day
#: off), ``no longer possible`` (a published shift the agent can no longer work: new time off, availability or
#: templates); and, for a kept shift a time off entered since ends (:data:`TIME_OFF_CHANGES`), ``cut short by time
#: off`` (an agent sent home) or ``not worked: time off`` (an agent who never came).
CHANGE_KINDS = ("moved", "dropped", "added", "no longer possible", "cut short by time off", "not worked: time off")
#: The change kinds of kept shifts that a time off ended: facts of the day, not choices of the re-plan.
TIME_OFF_CHANGES = CHANGE_KINDS[4:]
_KIND = CHANGE_COLUMNS.index("change")


def _span(start: pd.Timestamp, end: pd.Timestamp, zone: str) -> str:
    return f"{start.tz_convert(zone):%H:%M}-{end.tz_convert(zone):%H:%M}"


def _stamp(instant: pd.Timestamp, zone: str) -> str:
    """``instant`` on the plan's clock ``zone``, ISO 8601 with its offset."""
    return instant.tz_convert(zone).isoformat()


def roster_changes(plan: Plan, problem: ProblemData, result: Result) -> list[list[str]]:
    """A re-plan's changed agent-days, in the order they take effect (:func:`in_time_order`).

    One row per ``roster_change`` penalty of the result, and one per kept shift a time off ended (cut short, or not
    worked: :data:`TIME_OFF_CHANGES`), in :data:`CHANGE_FIELDS`: a shift as ``HH:MM-HH:MM`` on the agent's clock (an
    end before the start is the next day's), a day without one as ``off``, the kind of change
    (:data:`CHANGE_KINDS`), the agent's zone, both starts on the plan's clock, and for a dropped shift the rule that
    the agent's new shifts of its week leave no room for it (:func:`drop_reason`).
    """
    horizon = plan.horizon
    step = pd.Timedelta(minutes=horizon.interval_minutes)
    index = {agent.employee_id: a for a, agent in enumerate(problem.agents)}
    published = {(row.employee_id, row.day): row for row in plan.published}
    worked = {(item.agent, problem.agents[item.agent].options[item.option].day): item.option
              for item in result.roster.assignments}
    rows: list[list[str]] = []
    changed: list[tuple[int, int, str]] = []  # (agent, day, kind) of the re-plan's own changes
    for rule, subject, _ in result.penalties:
        if rule != "roster_change":
            continue
        employee_id, _, day_text = subject.rpartition(" day ")
        a, day = index[employee_id], int(day_text)
        agent = problem.agents[a]
        row = published.get((employee_id, horizon.days[day]))
        before, before_start = "off", ""
        if row is not None and row.start_utc is not None:
            before = _span(row.start_utc, row.end_utc, agent.time_zone)
            before_start = _stamp(row.start_utc, horizon.time_zone)
        now, now_start = "off", ""
        if (a, day) in worked:
            option = agent.options[worked[a, day]]
            template = problem.templates[option.template] if option.template >= 0 else None
            start = horizon.start_utc + option.start * step  # the real end, as the shifts file and HR sheet say
            now = _span(start, start + pd.Timedelta(minutes=shift_minutes(option, template)), agent.time_zone)
            now_start = _stamp(start, horizon.time_zone)
        if agent.published.get(day) == LOST_SHIFT:
            kind = "no longer possible"
        else:
            kind = "added" if before == "off" else "dropped" if now == "off" else "moved"
        changed.append((a, day, kind))
        rows.append([employee_id, agent.name, horizon.days[day].isoformat(), before, now, kind, agent.time_zone,
                     before_start, now_start, ""])
    agent_days = {a: {day: kind for b, day, kind in changed if b == a} for a, _, _ in changed}
    for row, (a, day, kind) in zip(rows, changed, strict=True):
        if kind == "dropped":
            row[-1] = drop_reason(problem, a, day, {d: o for (b, d), o in worked.items() if b == a}, agent_days[a],
                                  horizon.first_day)
    for row, part in plan.kept.ended_by_time_off if plan.kept is not None else ():
        if row.employee_id not in index:
            continue
        agent = problem.agents[index[row.employee_id]]
        now = "off" if part is None else _span(part.start_utc, part.end_utc, agent.time_zone)
        rows.append([row.employee_id, agent.name, row.day.isoformat(), _span(row.start_utc, row.end_utc,
                                                                             agent.time_zone), now,
                     TIME_OFF_CHANGES[1] if part is None else TIME_OFF_CHANGES[0], agent.time_zone,
                     _stamp(row.start_utc, horizon.time_zone),
                     "" if part is None else _stamp(part.start_utc, horizon.time_zone), ""])
    return in_time_order(rows)


def drop_reason(problem: ProblemData, a: int, day: int, worked: dict[int, int], changes: dict[int, str],
                first_day: dt.date | None = None) -> str:
    """Why agent ``a``'s published shift of ``day`` was dropped, when the plan's rules show it; else ``""``.

    Only a dropped shift whose agent works a shift added or moved in the same horizon week is explained, and only
    by a hard rule that keeping it beside the new roster would break, with those new shifts part of what breaks it
    and the published roster within it: the week's working days (``max_days_per_week``, less the week's time off),
    its paid hours, the rest between two shifts, the days in a row. E.g. ``works Wed 02 Dec instead: 5 days a week``.
    Where the published week broke the rule already (a time off entered since takes one of its days), the drop may
    be for that, not for the new shift, and the rule is not said: two shifts dropped for one added are each told
    only when either alone would break it.

    Parameters
    ----------
    problem : ProblemData
        The re-plan's problem (the agent's options, published days and limits).
    a : int
        The agent.
    day : int
        The horizon day of the dropped shift.
    worked : dict of int to int
        Horizon day -> option the new roster gives the agent.
    changes : dict of int to str
        Horizon day -> kind of each of the agent's changes (:data:`CHANGE_KINDS`).
    first_day : datetime.date, optional
        The plan's first day, to name days by date (else by index).
    """
    agent = problem.agents[a]
    published = agent.published.get(day, -1)
    if published < 0:
        return ""
    dropped = agent.options[published]
    week = day // 7
    new = sorted(d for d, kind in changes.items() if kind in ("added", "moved") and d // 7 == week and d in worked)
    if not new:
        return ""
    added = [d for d in new if changes[d] == "added"]
    in_week = sorted(d for d in worked if d // 7 == week)
    before = _published_roster(agent, worked)  # the published roster, the kept days as worked
    before_week = [d for d in before if d // 7 == week]
    rules: list[str] = []
    instead: set[int] = set()
    most_days = agent.max_days_in_week(week)
    if added and len(in_week) + 1 > most_days >= len(before_week):
        rules.append(f"{most_days} days a week" if most_days == agent.max_days_per_week else
                     f"{most_days} days that week, its time off counted")
        instead.update(added)
    minutes = sum(agent.options[worked[d]].paid_minutes for d in in_week)
    most_minutes = agent.max_week_minutes[week]
    longer = [d for d in new if agent.options[worked[d]].paid_minutes > _published_minutes(agent, d)]
    if longer and minutes + dropped.paid_minutes > most_minutes >= sum(before[d] for d in before_week):
        rules.append(f"{most_minutes / 60:g} paid h that week")
        instead.update(longer)
    close = [d for d in new if _too_close(agent.options[worked[d]], dropped, problem.min_rest_intervals)]
    if close:
        rules.append(f"{problem.min_rest_intervals * problem.interval_minutes / 60:g} h rest between shifts")
        instead.update(close)
    run = _run_through(day, set(worked))
    in_run = [d for d in added if d in run]
    if in_run and _days_in_row(run, agent) > problem.max_consecutive_days >= _days_in_row(
            _run_through(day, set(before)), agent):
        rules.append(f"{problem.max_consecutive_days} days in a row")
        instead.update(in_run)
    if not rules:
        return ""
    days = " and ".join(_day_name(d, first_day) for d in sorted(instead))
    return f"works {days} instead: {', '.join(rules)}"


def _published_roster(agent: AgentData, worked: dict[int, int]) -> dict[int, int]:
    """Horizon day -> paid minutes of the agent's shift that day in the published roster: its published shifts
    (those no option matches any more left out: their days are time off now), and on the days it does not give (kept
    by the re-plan) the shift worked."""
    days = {d: agent.options[o].paid_minutes for d, o in worked.items() if d not in agent.published}
    days.update({d: agent.options[o].paid_minutes for d, o in agent.published.items() if o >= 0})
    return days


def _days_in_row(run: list[int], agent: AgentData) -> int:
    """Days in a row of ``run`` (consecutive horizon days), the days worked before the plan counted when it starts on
    its first day."""
    return len(run) + (agent.days_worked_before if run[0] == 0 else 0)


def _published_minutes(agent: AgentData, day: int) -> int:
    """Paid minutes of the agent's published shift of ``day`` (0 on a published day off or a shift now lost)."""
    option = agent.published.get(day, -1)
    return agent.options[option].paid_minutes if option >= 0 else 0


def _too_close(shift: ShiftOption, other: ShiftOption, rest: int) -> bool:
    """Whether two shifts overlap or leave less than ``rest`` intervals between them."""
    return shift.start < other.end + rest and other.start < shift.end + rest


def _run_through(day: int, worked: set[int]) -> list[int]:
    """The days in a row ``day`` would join among ``worked`` (``day`` included)."""
    first = day
    while first - 1 in worked:
        first -= 1
    last = day
    while last + 1 in worked:
        last += 1
    return list(range(first, last + 1))


def _day_name(day: int, first_day: dt.date | None) -> str:
    return f"day {day}" if first_day is None else f"{first_day + dt.timedelta(days=day):%a %d %b}"


def takes_effect(row: Sequence[str]) -> pd.Timestamp | None:
    """When a change takes effect: the earlier of its published and new shift's start, on the plan's clock (with its
    offset); None for a row of a result saved before the starts were written."""
    starts = [pd.Timestamp(text) for text in row[len(CHANGE_COLUMNS) + 1:len(CHANGE_COLUMNS) + 3] if text]
    return min(starts) if starts else None


def in_time_order(rows: Iterable[Sequence[str]]) -> list[list[str]]:
    """Changes sorted by when they take effect (:func:`takes_effect`), soonest first, then by agent and date; rows
    without their starts (a result saved before them) keep their order, after the others."""
    rows = [list(row) for row in rows]
    timed = [(takes_effect(row), position, row) for position, row in enumerate(rows)]
    known = sorted((item for item in timed if item[0] is not None), key=lambda item: (item[0], item[2][0], item[2][2]))
    return [row for _, _, row in known] + [row for when, _, row in timed if when is None]


def change_text(row: Sequence[str]) -> str:
    """The kind of change with its reason, as the Changes sheet says it: ``dropped (works Wed 02 Dec instead: 5 days
    a week)``, or the kind alone."""
    reason = row[-1] if len(row) == len(CHANGE_FIELDS) else ""
    return f"{row[_KIND]} ({reason})" if reason else str(row[_KIND])
