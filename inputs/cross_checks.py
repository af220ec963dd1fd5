"""Checks that need more than one file: skills against queues, templates against rules,
contracts against templates, history against the horizon, pins against time off.
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from collections import Counter

import pandas as pd

from inputs.clock_changes import local_start, offset_text, season
from inputs.config import WEEKDAYS, PlanConfig, parse_shrinkage_window
from inputs.problems import MAX_ROWS_PER_KIND, ProblemLog
from inputs.records import Agent, History, Horizon, PinnedShift, TimeOff
from inputs.time_zones import fixed_offset_warning

CONFIG = "shiftplan.toml"


def check_skills(agents: tuple[Agent, ...], config: PlanConfig, label: str, log: ProblemLog,
                 all_rows: bool = True) -> None:
    """An agent who can serve no queue is an error; a language or channel no queue serves is a warning, of an agent
    or of an ``[[open_positions]]`` profile (one that serves no queue at all is refused with shiftplan.toml).

    A queue that no agent and no open position can serve is a warning too: the roster will leave it uncovered. It is
    not given when ``all_rows`` is False (the agents file has rows that were refused): it would count only the rows
    that were not, and the plan stops at the refused rows anyway.
    """
    languages = {q.language for q in config.queues}
    channels = {q.channel for q in config.queues}
    served: set[tuple[str, str]] = set()
    for i, position in enumerate(config.open_positions):
        skills = {q.key for q in config.queues if q.language in position.languages and q.channel in position.channels}
        served.update(skills)
        if not skills:
            continue
        for key, codes, known, unserved in (("languages", position.languages, languages, "no queue serves language"),
                                            ("channels", position.channels, channels, "no queue is on channel")):
            line, where = config.locate(("open_positions", i, key))
            for code in codes:
                if code not in known:  # as an agent's: the profile's heads would never use it
                    log.add(CONFIG, f"open position '{position.profile}': {unserved} '{code}'",
                            f"add a [[queues]] entry for it, or remove it from the profile's {key}", row=line,
                            column=where, severity="warning")
    for agent in agents:
        skills = agent.skills(config.queues)
        served.update(skills)
        if not skills:
            log.add(label, f"agent {agent.employee_id} can serve no queue: no queue has one of the languages "
                    f"({';'.join(agent.languages)}) on one of the channels ({';'.join(agent.channels)})",
                    "correct the agent's languages or channels, or add the queue to shiftplan.toml",
                    row=agent.row, column="languages", value=";".join(agent.languages))
            continue
        for language in agent.languages:
            if language not in languages:
                log.add(label, f"no queue serves language '{language}'", "add a [[queues]] entry for it in "
                        "shiftplan.toml, or remove it from the agent", row=agent.row, column="languages",
                        value=";".join(agent.languages), severity="warning")
        for channel in agent.channels:
            if channel not in channels:
                log.add(label, f"no queue is on channel '{channel}'", "add a [[queues]] entry for it in "
                        "shiftplan.toml, or remove it from the agent", row=agent.row, column="channels",
                        value=";".join(agent.channels), severity="warning")
    if (agents or config.open_positions) and all_rows:
        who = "agent or open position" if config.open_positions else "agent"
        for queue in config.queues:
            if queue.key not in served:
                log.add(CONFIG, f"queue {queue.name} has no {who} with both its language and channel",
                        f"give agents '{queue.language}' and '{queue.channel}' in the agents file (or an "
                        "[[open_positions]] profile), or remove the queue", column="queues", severity="warning")


def check_site_zones(agents: tuple[Agent, ...], label: str, log: ProblemLog) -> None:
    """Agents of one site in different time zones are a warning, located at the first agent outside the site's most
    common zone: a zone written by mistake (``EST`` beside ``America/New_York``, ``Etc/GMT+8``, which is UTC-08:00,
    beside ``Asia/Singapore``) moves that agent's every shift."""
    sites: dict[str, dict[str, list[Agent]]] = {}
    for agent in agents:
        if agent.site:
            sites.setdefault(agent.site, {}).setdefault(agent.time_zone, []).append(agent)
    for site, zones in sites.items():
        if len(zones) < 2:
            continue
        common = max(zones, key=lambda zone: len(zones[zone]))  # the first of the most common, in file order
        first = min((agent for zone, members in zones.items() if zone != common for agent in members),
                    key=lambda agent: agent.row or 0)
        listed = "; ".join(f"{zone} ({', '.join(a.employee_id for a in members[:MAX_ROWS_PER_KIND])}"
                           f"{', ...' if len(members) > MAX_ROWS_PER_KIND else ''})" for zone, members in zones.items())
        log.add(label, f"agents of site '{site}' are in {len(zones)} time zones: {listed}",
                "nothing, when they work on those clocks; otherwise give each agent the IANA zone of the place they "
                "work in", row=first.row, column="time_zone", value=first.time_zone, severity="warning")


def check_zone_kinds(config: PlanConfig, log: ProblemLog) -> None:
    """A zone of shiftplan.toml that is a fixed offset without summer time (``EST``, ``Etc/GMT+8``) where a place's
    zone is expected (the plan's clock, a queue's opening hours, an open position's shifts) is a warning, once per
    setting as written."""
    settings: list[tuple[tuple[int | str, ...], str | None]] = [(("plan", "time_zone"), config.plan.time_zone)]
    settings += [(("queues", i, "opening_time_zone"), queue.opening_time_zone) for i, queue in enumerate(config.queues)]
    settings += [(("open_positions", i, "time_zone"), position.time_zone)
                 for i, position in enumerate(config.open_positions)]
    seen: set[tuple[int | None, str]] = set()
    for loc, name in settings:
        warning = None if name is None else fixed_offset_warning(name)
        where = config.locate(loc)
        if warning is None or where in seen:  # a block of several languages: one warning
            continue
        seen.add(where)
        log.add(CONFIG, warning[0], warning[1], row=where[0], column=where[1], value=name, severity="warning")


def check_templates(config: PlanConfig, log: ProblemLog) -> None:
    """A template whose shortest shift cannot be followed by the same template the next day
    within the minimum rest is an error (it could never be worked on two days running)."""
    rest_minutes = config.rules.min_rest_hours * 60
    for i, template in enumerate(config.shift_templates):
        starts = template.start_minutes()
        spread = starts[-1] - starts[0]
        best_rest = 1440 - min(template.lengths_minutes) + spread
        if best_rest < rest_minutes:
            line, where = config.locate(("shift_templates", i, "lengths_minutes"))
            log.add(CONFIG, f"template '{template.name}' leaves at most {best_rest / 60:g} h between two "
                    f"shifts on consecutive days, less than the {config.rules.min_rest_hours:g} h minimum rest",
                    "shorten its lengths_minutes, widen its start window, or lower [rules] min_rest_hours",
                    row=line, column=where, value=str(list(template.lengths_minutes)))


def check_breaks_on_grid(config: PlanConfig, log: ProblemLog) -> None:
    """A template whose breaks, each rounded up to whole intervals of the grid, can run past the end of its shortest
    shift is an error: the minutes fit (the template's own check) but the grid's intervals do not."""
    step = config.plan.interval_minutes
    for i, template in enumerate(config.shift_templates):
        shortest = min(template.lengths_minutes)
        intervals = -(-shortest // step)
        for rule, (length, _first, last) in zip(template.breaks, template.break_slots(step), strict=True):
            if last + length > intervals:
                line, where = config.locate(("shift_templates", i, "breaks"))
                log.add(CONFIG, f"template '{template.name}': on the {step}-minute grid each break takes whole "
                        f"intervals, and its {rule.kind} may then start {last * step} min after the start and end "
                        f"{(last + length) * step} min after it, past the end of its shortest shift "
                        f"({shortest} min)",
                        ("use a finer [plan] interval_minutes, move" if step > 15 else "move")
                        + " the breaks' after_start_minutes earlier, or lengthen the shortest shift",
                        row=line, column=where, value=str(list(rule.after_start_minutes)))
                break


def check_lengths_on_grid(config: PlanConfig, log: ProblemLog) -> None:
    """A template length that is not whole intervals of the grid is a warning: the shift ends inside an interval, and
    coverage, counted per interval, counts its agent on duty for all of that last interval."""
    step = config.plan.interval_minutes
    for i, template in enumerate(config.shift_templates):
        odd = [length for length in template.lengths_minutes if length % step]
        if odd:
            extra = ", ".join(f"{length} min: {step - length % step} min more" for length in odd)
            line, where = config.locate(("shift_templates", i, "lengths_minutes"))
            log.add(CONFIG, f"template '{template.name}': shifts of {', '.join(map(str, odd))} minutes end inside "
                    f"one of the plan's {step}-minute intervals, and coverage counts the agent on duty for all of "
                    f"it ({extra} than worked)",
                    "use lengths in whole intervals of the grid, or a finer [plan] interval_minutes",
                    row=line, column=where, value=str(list(template.lengths_minutes)), severity="warning")


def check_starts_on_grid(agents: tuple[Agent, ...], config: PlanConfig, horizon: Horizon, label: str,
                         log: ProblemLog) -> None:
    """A template start that falls between two of the plan's intervals in an agent's time zone (Asia/Kolkata, UTC+05:30,
    on a 60-minute grid of a UTC plan) is a warning when rounding it down onto the grid gives a start the template
    does not allow: the shift then starts before the template's local time (07:30 for 08:00). (A start rounded onto
    another of the template's starts only adds nothing: 14:30 of a 30-minute step on a 60-minute grid is 14:00.)
    Checked on the plan's first and last day (a clock change between)."""
    step = config.plan.interval_minutes
    start = horizon.start_utc.to_pydatetime()
    zones: dict[tuple[str, str], list[str]] = {}
    for agent in agents:
        for name in agent.templates:
            zones.setdefault((agent.time_zone, name), []).append(agent.employee_id)
    for (zone_name, name), ids in sorted(zones.items()):
        template = config.template(name)
        if template is None:
            continue
        zone = zoneinfo.ZoneInfo(zone_name)
        allowed = set(template.start_minutes())
        off = next(((minute, late) for day in (horizon.days[0], horizon.days[-1]) for minute in sorted(allowed)
                    if (late := _minutes_off_grid(day, minute, zone, start, step)) and minute - late not in allowed),
                   None)
        if off is not None:
            minute, late = off
            who = ", ".join(ids[:5]) + (", ..." if len(ids) > 5 else "")
            log.add(label, f"agents in {zone_name} ({who}) start the '{name}' template {late} minutes off the plan's "
                    f"{step}-minute grid: their shifts are rounded down onto it, so they start {late} minutes before "
                    f"the template's times (at {(minute - late) // 60 % 24:02d}:{(minute - late) % 60:02d} for "
                    f"{minute // 60 % 24:02d}:{minute % 60:02d})",
                    f"use a finer [plan] interval_minutes ({math.gcd(step, late)} fits), or starts on the grid in "
                    "that zone", column="time_zone", value=zone_name, severity="warning")


def check_starts_at_clock_changes(agents: tuple[Agent, ...], config: PlanConfig, horizon: Horizon,
                                  log: ProblemLog) -> None:
    """A template start that an agent's (or open position's) zone skips or repeats on a day of the plan is a warning:
    the scheduler starts those shifts at the first time after the skipped hour, or at the first of the repeated
    time (:func:`inputs.clock_changes.local_start`), which nothing said. One warning per template, zone and date,
    for the days one of those agents is available."""
    weekdays: dict[tuple[str, str], set[int]] = {}
    for agent in agents:
        for name in agent.templates:
            weekdays.setdefault((name, agent.time_zone), set()).update(agent.available_weekdays)
    for position in config.open_positions:
        for name in position.templates:
            weekdays.setdefault((name, position.time_zone or horizon.time_zone), set()).update(range(7))
    order = {template.name: i for i, template in enumerate(config.shift_templates)}
    for (name, zone), days in sorted(weekdays.items(), key=lambda item: (order.get(item[0][0], -1), item[0][1])):
        if name not in order:
            continue
        template = config.shift_templates[order[name]]
        found: dict[tuple[str, dt.date], list[tuple[int, pd.Timestamp]]] = {}
        changing = _days_the_clocks_change(zone, horizon.days[0], horizon.num_days + 1)
        for day in horizon.days:
            if day.weekday() not in days:
                continue
            for minute in template.start_minutes():
                if day + dt.timedelta(days=minute // 1440) not in changing:
                    continue
                kind, start = local_start(day, minute, zone)
                if kind != "plain":
                    found.setdefault((kind, day + dt.timedelta(days=minute // 1440)), []).append((minute, start))
        line, where = config.locate(("shift_templates", order[name], "start_earliest"))
        for (kind, date), starts in found.items():
            clocks = " and ".join(f"{minute // 60 % 24:02d}:{minute % 60:02d}" for minute, _ in starts)
            if kind == "skipped":
                what = (f"which {zone} skips on {date}: those shifts start at "
                        f"{' and '.join(dict.fromkeys(f'{start:%H:%M}' for _, start in starts))}")
            else:
                what = (f"which {'happen' if len(starts) > 1 else 'happens'} twice in {zone} on {date}: those shifts "
                        f"start at the first {clocks} ({offset_text(starts[0][1])}, {season(starts[0][1])})")
            log.add(CONFIG, f"template '{name}' starts at {clocks}, {what}",
                    "nothing, when that is meant; otherwise move the template's starts out of that hour, or pin "
                    "those shifts at the times meant", row=line, column=where, severity="warning")


def _days_the_clocks_change(zone: str, first: dt.date, num_days: int) -> set[dt.date]:
    """The dates from ``first`` on (``num_days`` of them) on which ``zone``'s UTC offset changes by next midnight."""
    tz = zoneinfo.ZoneInfo(zone)
    offsets = [dt.datetime.combine(first + dt.timedelta(days=d), dt.time(0), tzinfo=tz).utcoffset()
               for d in range(num_days + 1)]
    return {first + dt.timedelta(days=d) for d in range(num_days) if offsets[d] != offsets[d + 1]}


def _minutes_off_grid(day: dt.date, minute: int, zone: zoneinfo.ZoneInfo, start: dt.datetime, step: int) -> int:
    """Minutes past the last interval start of the grid (from ``start``, every ``step`` minutes) at which ``minute``
    after local midnight of ``day`` in ``zone`` falls."""
    local = dt.datetime.combine(day, dt.time(0), tzinfo=zone) + dt.timedelta(minutes=minute)
    return round((local.astimezone(dt.UTC) - start).total_seconds() / 60) % step


def check_shrinkage_windows(config: PlanConfig, horizon: Horizon, log: ProblemLog) -> None:
    """A dated shrinkage window more than a day away from the plan's days changes nothing: a warning, since it is
    most often a wrong year or month (a window on the day before or after may reach the plan through a time zone
    or past midnight, and is left alone). One warning per window as written, naming every queue of its block."""
    first = horizon.first_day - dt.timedelta(days=1)
    last = horizon.first_day + dt.timedelta(days=horizon.num_days)
    queues_of: dict[tuple[int | None, str, str], list[str]] = {}
    for i, queue in enumerate(config.queues):
        for rule in queue.shrinkage_windows:
            date = parse_shrinkage_window(rule).date
            if date is not None and not first <= date <= last:
                queues_of.setdefault((*config.locate(("queues", i, "shrinkage_windows")), rule), []).append(queue.name)
    for (line, where, rule), names in queues_of.items():
        log.add(CONFIG, f"{', '.join(names)}: the shrinkage window '{rule}' is dated outside the plan "
                f"({horizon.first_day:%Y-%m-%d} to {last - dt.timedelta(days=1):%Y-%m-%d}) and changes nothing",
                "check its date, or remove it", row=line, column=where, severity="warning")


def week_totals(lengths: list[int], most_shifts: int) -> list[int]:
    """Every paid total, in minutes, of 1 to ``most_shifts`` shifts of the given paid ``lengths``, sorted."""
    totals: set[int] = set()
    sums = {0}
    for _ in range(most_shifts):
        sums = {total + length for total in sums for length in lengths}
        totals |= sums
    return sorted(totals)


def check_contracts(agents: tuple[Agent, ...], config: PlanConfig, label: str, log: ProblemLog) -> None:
    """An agent whose weekly minimum cannot be reached with their days and templates is an error; one whose weekly
    maximum is below every shift of their templates, or whose shifts make no week total between the weekly minimum
    and maximum (33 to 39 h from 8-hour shifts), can never be scheduled, a warning."""
    rules = config.rules
    for agent in agents:
        days = min(agent.max_days_per_week, 7 - rules.min_days_off_per_week, len(agent.available_weekdays))
        longest = max((t.paid_minutes(length) for t in config.shift_templates if t.name in agent.templates
                       for length in t.lengths_minutes), default=0)
        reachable = days * longest / 60
        if agent.weekly_min_hours > reachable + 1e-9:
            log.add(label, f"agent {agent.employee_id} needs {agent.weekly_min_hours:g} h a week but can work at "
                    f"most {reachable:g} h ({days} days x {longest / 60:g} paid hours)",
                    "lower weekly_min_hours, allow longer templates, or allow more days", row=agent.row,
                    column="weekly_min_hours", value=f"{agent.weekly_min_hours:g}")
        shortest = min((t.paid_minutes(length) for t in config.shift_templates if t.name in agent.templates
                        for length in t.lengths_minutes), default=0)
        most = min(agent.weekly_max_hours, rules.weekly_max_hours)
        if shortest and most * 60 < shortest - 1e-9:  # never scheduled, and nothing said why (a solve's idle agent)
            log.add(label, f"agent {agent.employee_id} can never be scheduled: {most:g} h a week at most, below the "
                    f"shortest shift of their templates ({shortest / 60:g} paid hours)",
                    "raise weekly_max_hours, or allow a shorter template", row=agent.row, column="weekly_max_hours",
                    value=f"{agent.weekly_max_hours:g}", severity="warning")
        lengths = sorted({t.paid_minutes(length) for t in config.shift_templates if t.name in agent.templates
                          for length in t.lengths_minutes} - {0})
        low, high = agent.weekly_min_hours * 60, most * 60
        if lengths and 0 < low <= reachable * 60 + 1e-9 and shortest <= high + 1e-9:
            totals = week_totals(lengths, days)
            if not any(low - 1e-9 <= total <= high + 1e-9 for total in totals):  # (a solve's "rules collide")
                below = max((total for total in totals if total < low), default=None)
                above = min((total for total in totals if total > high), default=None)
                near = ", ".join(f"{what} {total / 60:g} h" for what, total in (("at most", below), ("then", above))
                                 if total is not None)
                log.add(label, f"agent {agent.employee_id} can never be scheduled: no week of their shifts "
                        f"({', '.join(f'{m / 60:g}' for m in lengths)} paid hours, up to {days} a week) totals "
                        f"{agent.weekly_min_hours:g} to {most:g} h ({near})",
                        "widen weekly_min_hours and weekly_max_hours to a total their shifts make, or allow a "
                        "template of another length", row=agent.row, column="weekly_min_hours",
                        value=f"{agent.weekly_min_hours:g}", severity="warning")
        if agent.weekly_max_hours > rules.weekly_max_hours:
            log.add(label, f"agent {agent.employee_id}'s weekly_max_hours {agent.weekly_max_hours:g} is above "
                    f"the labour rule's {rules.weekly_max_hours:g} h; the rule applies",
                    "lower weekly_max_hours or raise [rules] weekly_max_hours", row=agent.row,
                    column="weekly_max_hours", value=f"{agent.weekly_max_hours:g}", severity="warning")


def check_history(history: History | None, horizon: Horizon, config: PlanConfig, label: str,
                  has_requirements: bool, log: ProblemLog) -> None:
    """History must be recent enough and long enough to forecast the horizon.

    A history that ends more than ``[forecast] max_history_gap_weeks`` before the horizon
    begins, starts after it, or is shorter than ``min_history_weeks`` is an error unless a
    requirements file makes forecasting unnecessary.
    """
    if history is None:
        if not has_requirements and not log.errors:
            log.add(CONFIG, "the plan has neither a history file nor a requirements file",
                    "set [files] history (to forecast) or [files] requirements (to skip forecasting)",
                    column="files")
        return
    severity = "warning" if has_requirements else "error"
    gap = horizon.start_utc - history.end_utc
    limit = pd.Timedelta(weeks=config.forecast.max_history_gap_weeks)
    fmt = "%Y-%m-%d %H:%M UTC"
    if history.start_utc >= horizon.start_utc:
        log.add(label, f"starts on {history.start_utc:{fmt}}, not before the horizon begins "
                f"({horizon.start_utc:{fmt}})", "give history from before the horizon, or move [plan] first_day",
                column="start", severity=severity)
    elif gap > limit:
        log.add(label, f"ends on {history.end_utc:{fmt}}, {gap.days // 7} weeks before the horizon begins "
                f"({horizon.start_utc:{fmt}}); a forecast needs history up to at most "
                f"{config.forecast.max_history_gap_weeks} weeks before it",
                "add recent history, move [plan] first_day, or raise [forecast] max_history_gap_weeks",
                column="start", severity=severity)
    span = min(history.end_utc, horizon.start_utc) - history.start_utc
    needed = pd.Timedelta(weeks=config.forecast.min_history_weeks)
    if pd.Timedelta(0) < span < needed:
        log.add(label, f"covers {span.days} days before the horizon, fewer than the "
                f"{config.forecast.min_history_weeks} weeks a forecast needs",
                "add older history or lower [forecast] min_history_weeks", column="start", severity=severity)
    if not has_requirements and history.end_utc > horizon.start_utc:
        log.add(label, f"runs to {history.end_utc:{fmt}}, past the horizon's start ({horizon.start_utc:{fmt}}): "
                "the rows from the horizon's start on are not history yet and are left out of the forecast",
                "check the dates' year, or remove those rows", column="start", severity="warning")
    if not has_requirements:  # a queue without history is forecast at 0 contacts: nobody would be planned for it
        seen = set(zip(history.frame["language"], history.frame["channel"], strict=True))
        for queue in config.queues:
            if queue.key not in seen:
                log.add(label, f"has no rows for queue {queue.key[0]}/{queue.key[1]}: its forecast would be 0 "
                        "contacts and no agent would be planned for it",
                        f"add its history (language '{queue.key[0]}', channel '{queue.key[1]}'), give a "
                        "requirements file, or remove the queue from shiftplan.toml", column="language",
                        severity="warning")


def pin_is_ignored(pin: PinnedShift, horizon: Horizon) -> bool:
    """Whether the plan ignores a pinned shift: dated outside its days, or starting outside its horizon.

    A pinned day off (no start) is ignored when it is dated outside the plan's days.
    """
    if not horizon.first_day <= pin.day <= horizon.days[-1]:
        return True
    return pin.start_utc is not None and not (horizon.start_utc - pd.Timedelta(days=1) <= pin.start_utc
                                              < horizon.end_utc)


def check_pins(pinned: tuple[PinnedShift, ...], time_off: tuple[TimeOff, ...], agents: tuple[Agent, ...],
               horizon: Horizon, label: str, log: ProblemLog, min_rest_hours: float | None = None) -> None:
    """Pinned shifts must be inside the horizon, start on its grid and not fall on the agent's time off.

    A pin dated before the plan's days (last week's roster, or a night shift of the day before the first
    day) is not planned, with a warning: the plan does not count its hours, but the rest after it holds
    (:func:`scheduler.build.earliest_start`), so a pin inside the plan that starts less than
    ``min_rest_hours`` after it is an error. More than :data:`inputs.problems.MAX_ROWS_PER_KIND` such rows (a
    whole earlier roster given as the pins of a re-plan) get one warning that counts them, not one per row.
    """
    absences: dict[str, list[TimeOff]] = {}
    for absence in time_off:
        absences.setdefault(absence.employee_id, []).append(absence)
    zones = {agent.employee_id: agent.time_zone for agent in agents}
    step = pd.Timedelta(minutes=horizon.interval_minutes)
    last_day = horizon.days[-1]
    before: list[tuple[PinnedShift, str]] = []  # rows dated before the plan's days, and which warning they get
    for pin in pinned:
        if pin.day < horizon.first_day and (pin.start_utc is None or pin.start_utc < horizon.end_utc):
            before.append((pin, "day off" if pin.start_utc is None
                           else "ended" if pin.end_utc <= horizon.start_utc else "into"))
            continue
        if pin.start_utc is None:
            if pin.day > last_day:
                _warn_row_outside(pin, "day off", horizon, label, log)
            continue
        if pin.start_utc >= horizon.end_utc:
            log.add(label, f"pins a shift that starts at {pin.start_utc:%Y-%m-%d %H:%M} UTC, after the plan ends "
                    f"({horizon.end_utc:%Y-%m-%d %H:%M} UTC); it is ignored",
                    "remove the row, or pin it in the next plan", row=pin.row, column="date", value=str(pin.day),
                    severity="warning")
            continue
        if pin.day > last_day:
            _warn_row_outside(pin, "into", horizon, label, log)
            continue
        if (pin.start_utc - horizon.start_utc) % step:
            zone = zones[pin.employee_id]
            earlier = horizon.start_utc + ((pin.start_utc - horizon.start_utc) // step) * step
            around = " or ".join(f"{t.tz_convert(zone):%H:%M}" for t in (earlier, earlier + step))
            log.add(label, f"starts between two of the plan's {horizon.interval_minutes}-minute intervals",
                    f"start the shift on the grid, e.g. at {around}, or change [plan] interval_minutes",
                    row=pin.row, column="start", value=f"{pin.start_utc.tz_convert(zone):%H:%M}")
        for absence in absences.get(pin.employee_id, []):
            if (absence.start_utc, absence.end_utc) in pin.absent:  # time away during a kept shift, come back from
                continue
            if pin.start_utc < absence.end_utc and absence.start_utc < pin.end_utc:
                log.add(label, f"pins a shift during the agent's time off (time-off row {absence.row})",
                        "remove the pinned shift or the time off", row=pin.row, column="date", value=str(pin.day))
    _warn_rows_before_the_plan(before, horizon, label, log)
    if min_rest_hours is not None:
        _check_rest_after_earlier_pins(pinned, horizon, min_rest_hours, zones, label, log)
    _check_hours_before_a_mid_week_start([pin for pin, kind in before if kind != "day off"], horizon, label, log)


def check_pin_overrides(pinned: tuple[PinnedShift, ...], agents: tuple[Agent, ...], horizon: Horizon, label: str,
                        agents_label: str, log: ProblemLog) -> None:
    """A pinned shift on a weekday the agent is not available, or of a template the agent does not work, is warned
    of, once per pin and rule: a pin is the lead's decision and holds over the agent's rules (the scheduler works
    it), but one that overrides them by mistake (a date a week off, the wrong agent) would otherwise pass unseen.

    Only the plan's own roster is checked: a re-plan's kept rows were published, and worked or announced, already.
    """
    by_id = {agent.employee_id: agent for agent in agents}
    for pin in pinned:
        agent = by_id.get(pin.employee_id)
        if agent is None or pin.start_utc is None or not horizon.first_day <= pin.day <= horizon.days[-1]:
            continue
        where = f"in {agents_label}, row {agent.row}" if agent.row is not None else f"in {agents_label}"
        if pin.day.weekday() not in agent.available_weekdays:
            weekdays = ";".join(WEEKDAYS[d] for d in sorted(agent.available_weekdays))
            log.add(label, f"pins a shift on {pin.day:%A}, a day {agent.employee_id} is not available "
                    f"(available_weekdays {weekdays} {where}); the pin holds",
                    "nothing, when it is meant; otherwise move the shift to a day the agent is available, or add "
                    f"{WEEKDAYS[pin.day.weekday()]} to their available_weekdays",
                    row=pin.row, column="date", value=str(pin.day), severity="warning")
        if pin.template is not None and pin.template not in agent.templates:
            log.add(label, f"pins a shift of template '{pin.template}' on {agent.employee_id}, who does not work it "
                    f"(templates {';'.join(agent.templates)} {where}); the pin holds",
                    "nothing, when it is meant; otherwise pin one of the agent's templates, or add "
                    f"{pin.template} to their templates", row=pin.row, column="template", value=pin.template,
                    severity="warning")


def _warn_rows_before_the_plan(before: list[tuple[PinnedShift, str]], horizon: Horizon, label: str,
                               log: ProblemLog) -> None:
    """Warn of the roster rows dated before the plan's days: one warning a row, or one for all of them when there
    are more than :data:`MAX_ROWS_PER_KIND` (last week's whole roster, re-planned from).

    ``before`` holds each row with its kind: ``"day off"``, ``"ended"`` (a shift that ends before the plan starts) or
    ``"into"`` (a night shift that runs into the first day).
    """
    first = horizon.first_day
    if len(before) > MAX_ROWS_PER_KIND:
        kinds = Counter(kind for _, kind in before)
        dates = sorted(pin.day for pin, _ in before)
        parts = [text for count, text in (
            (kinds["ended"], f"{kinds['ended']:,} shift{'s that end' if kinds['ended'] > 1 else ' that ends'} before "
                             "it starts"),
            (kinds["into"], f"{kinds['into']:,} night shift{'s that run' if kinds['into'] > 1 else ' that runs'} into "
                            "it, whose hours inside it are not counted"),
            (kinds["day off"], f"{kinds['day off']:,} day{'s' if kinds['day off'] > 1 else ''} off")) if count]
        log.add(label, f"has {len(before):,} rows dated before the plan's first day {first} ({dates[0]} to "
                f"{dates[-1]}), which are not planned: {', '.join(parts)}; only the rest after their shifts and the "
                "days worked in a row up to the plan count",
                "nothing, when they are last week's roster; otherwise remove the rows or move [plan] first_day",
                column="date", severity="warning")
        return
    for pin, kind in before:
        _warn_row_outside(pin, kind, horizon, label, log)


def _warn_row_outside(pin: PinnedShift, kind: str, horizon: Horizon, label: str, log: ProblemLog) -> None:
    """Warn of one roster row dated outside the plan's days, by its kind (see :func:`_warn_rows_before_the_plan`)."""
    first, last_day = horizon.first_day, horizon.days[-1]
    if kind == "day off":
        log.add(label, f"pins a day off outside the plan's days ({first} to {last_day}); it is ignored",
                "remove the row or move [plan] first_day", row=pin.row, column="date", value=str(pin.day),
                severity="warning")
    elif kind == "ended":  # last week's roster
        log.add(label, "ends before the plan starts and is not planned: only the rest after it and the days worked "
                "in a row up to the plan count", "remove the row or move [plan] first_day", row=pin.row,
                column="date", value=str(pin.day), severity="warning")
    else:
        log.add(label, f"is dated outside the plan's days ({first} to {last_day}) and is not planned: its hours "
                "inside the horizon are not counted, only the rest after it holds",
                f"remove the row, or pin the part inside the horizon as a shift dated {first}", row=pin.row,
                column="date", value=str(pin.day), severity="warning")


def _check_hours_before_a_mid_week_start(shifts_before: list[PinnedShift], horizon: Horizon, label: str,
                                         log: ProblemLog) -> None:
    """A plan that starts after a Monday, given shifts worked earlier in that Monday-to-Sunday week, is warned once.

    The plan's weeks are the 7-day blocks from its first day, so a re-plan from a Wednesday counts weekly hours, days
    a week and days off from Wednesday to Tuesday: the hours its agents worked on the Monday and Tuesday before (last
    week's rows of the roster file) count in no week, and an agent can end the calendar week over their contract.
    ``shifts_before`` are the pinned shifts dated before the plan's days.
    """
    first = horizon.first_day
    monday = first - dt.timedelta(days=first.weekday())
    earlier = [pin for pin in shifts_before if pin.day >= monday]  # a night shift into the first day included
    if not earlier:
        return
    hours = sum((pin.end_utc - pin.start_utc).total_seconds() for pin in earlier) / 3600
    agents = {pin.employee_id for pin in earlier}
    day = dt.timedelta(days=1)
    named = sorted(agents)
    who = ", ".join(named[:5]) + (f" and {len(named) - 5} more" if len(named) > 5 else "")
    log.add(label, f"has {len(earlier):,} shift{'s' if len(earlier) > 1 else ''} ({hours:,g} hours on the clock) of "
            f"{who} from {monday:%A} {monday} to {first - day:%A} {first - day}, earlier in the week the plan "
            f"starts in; the plan's weeks run from its first day ({first:%A} to {first - day:%A}), so these hours "
            "count against no weekly maximum, days a week or days off",
            "start the plan on a Monday to plan whole calendar weeks, or lower these agents' weekly_max_hours and "
            "max_days_per_week in agents.csv for this plan", severity="warning")


def _check_rest_after_earlier_pins(pinned: tuple[PinnedShift, ...], horizon: Horizon, min_rest_hours: float,
                                   zones: dict[str, str], label: str, log: ProblemLog) -> None:
    """A pin inside the plan must start at least the minimum rest after the agent's last shift pinned before it."""
    last: dict[str, PinnedShift] = {}
    for pin in pinned:
        if pin.start_utc is None or pin.day >= horizon.first_day:
            continue
        if pin.employee_id not in last or pin.end_utc > last[pin.employee_id].end_utc:
            last[pin.employee_id] = pin
    rest = pd.Timedelta(hours=min_rest_hours)
    for pin in pinned:
        before = last.get(pin.employee_id)
        if (before is None or pin.start_utc is None or not horizon.first_day <= pin.day <= horizon.days[-1]
                or pin.start_utc >= before.end_utc + rest):
            continue
        zone = zones[pin.employee_id]
        hours = (pin.start_utc - before.end_utc) / pd.Timedelta(hours=1)
        log.add(label, f"pins a shift that starts {hours:g} h after the agent's shift of {before.day} (row "
                f"{before.row}) ends at {before.end_utc.tz_convert(zone):%Y-%m-%d %H:%M}, less than the "
                f"{min_rest_hours:g} h minimum rest", "move or remove one of the two shifts, or lower [rules] "
                "min_rest_hours", row=pin.row, column="start", value=f"{pin.start_utc.tz_convert(zone):%H:%M}")
