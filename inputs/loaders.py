"""One loader per input table: file -> typed records, with every problem recorded.

Each loader reads the file, checks it against its spec, checks what belongs to that file
alone (duplicate ids, end before start, overlaps within the file) and returns records built
from the clean rows. Checks across files live in :mod:`inputs.cross_checks`.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from inputs.config import (
    INVISIBLE,
    MAX_EMPLOYEE_ID_LENGTH,
    OPEN_POSITION_CONTRACT,
    WEEKDAYS,
    OpenPosition,
    PlanConfig,
    invisible_codes,
    is_open_position_contract,
)
from inputs.history_checks import unknown_second_occurrences
from inputs.pin_times import pinned_times, warn_template_length_changed
from inputs.problems import MAX_ROWS_PER_KIND, ProblemLog
from inputs.records import Agent, Event, History, Horizon, PinnedShift, Requirements, TimeOff
from inputs.requirement_checks import warn_repeated_hour_once
from inputs.table_reader import (
    ROW_OFFSET,
    blank_mask,
    check_columns,
    check_required_cells,
    parse_choice,
    parse_clock,
    parse_codes,
    parse_datetimes,
    parse_numbers,
    parse_time_zones,
    parse_weekdays,
    read_raw,
    unescape_formula_text,
    written_with_offset,
)
from inputs.table_specs import (
    AGENTS,
    EVENTS,
    HISTORY_CONTACTS,
    HISTORY_INTERVALS,
    REQUIREMENTS,
    ROSTER,
    TIME_OFF,
    TableSpec,
)

CONTACT_BIN_MINUTES = 15


def _open(path: Path, label: str, spec: TableSpec, log: ProblemLog) -> tuple[pd.DataFrame, np.ndarray] | None:
    """Read a table and check its header; return the frame and an all-False bad-row mask."""
    frame = read_raw(path, label, log)
    if frame is None or not check_columns(frame, spec, label, log):
        return None
    bad = np.zeros(len(frame), dtype=bool)
    check_required_cells(frame, spec, label, log, bad)
    return frame, bad


def _optional(frame: pd.DataFrame, name: str) -> pd.Series:
    """Return column ``name``, or a blank column when the file does not have it."""
    return frame[name] if name in frame.columns else pd.Series([""] * len(frame), index=frame.index)


def _check_free_text(text: dict[str, pd.Series], label: str, log: ProblemLog, bad: np.ndarray) -> None:
    """Refuse control characters in the agents' text cells (a workbook cannot hold them, and they are invisible
    when typed by mistake) and employee ids too long to name a file."""
    for column, series in text.items():
        for i in np.flatnonzero(series.str.contains(INVISIBLE, regex=True).to_numpy(dtype=bool)):
            value = series.iloc[int(i)]
            log.add(label, f"has an invisible control character ({invisible_codes(value)})",
                    f"retype the {column} without it", row=int(i) + ROW_OFFSET, column=column, value=value)
            bad[int(i)] = True
    ids = text["employee_id"]
    for i in np.flatnonzero((ids.str.len() > MAX_EMPLOYEE_ID_LENGTH).to_numpy(dtype=bool)):
        log.add(label, f"is {len(ids.iloc[int(i)])} characters long; at most {MAX_EMPLOYEE_ID_LENGTH}",
                "use the short employee id of the HR system", row=int(i) + ROW_OFFSET, column="employee_id",
                value=ids.iloc[int(i)][:20] + "...")
        bad[int(i)] = True


def load_agents(path: Path, label: str, config: PlanConfig, log: ProblemLog, *,
                check_template_names: bool = True, open_positions: Sequence[OpenPosition] | None = None,
                ) -> tuple[tuple[Agent, ...], frozenset[str] | None]:
    """Load the agents file.

    Blank contract cells take the plan-wide defaults of ``[rules]``. Duplicate employee ids,
    minimum above maximum hours, and unknown templates are reported (unknown templates not when
    ``check_template_names`` is False: a template of shiftplan.toml was left out for its own problem). So are the
    ids of open positions' heads (``OPEN-<profile>-<k>``, of ``open_positions``, by default the configuration's) and
    their contract label: the roster would hold two agents of one id, and the outputs take such a contract for a hire.

    Returns
    -------
    tuple
        (the valid agents, every employee id written in the file including rows with
        problems — or None when the file could not be read — so that other files do not
        report those agents as unknown a second time).
    """
    frame = read_raw(path, label, log)
    if frame is None:
        return (), None
    complete = check_columns(frame, AGENTS, label, log)
    if not complete and ("employee_id" not in frame.columns or frame.columns.duplicated().any()):
        return (), None
    # a file without a required column has no agent, but its cells and ids are still checked: every problem at once
    bad = np.full(len(frame), not complete)
    check_required_cells(frame, AGENTS, label, log, bad)
    spec = AGENTS
    text = {name: _optional(frame, name).astype("string").fillna("").str.strip()
            for name in ("employee_id", "name", "site", "contract")}
    def parsed(parser: Callable[..., pd.Series], name: str) -> pd.Series:
        return parser(_optional(frame, name), spec.column(name), label, log, bad)

    zones = parsed(parse_time_zones, "time_zone")
    languages = parsed(parse_codes, "languages")
    channels = parsed(parse_codes, "channels")
    templates = parsed(parse_codes, "templates")
    preferred = parsed(parse_codes, "preferred_templates")
    available = parsed(parse_weekdays, "available_weekdays")
    days_off = parsed(parse_weekdays, "preferred_days_off")
    hours_bad = np.zeros(len(frame), dtype=bool)  # rows whose hours cells are themselves wrong: no min-max check
    min_hours = parse_numbers(_optional(frame, "weekly_min_hours"), spec.column("weekly_min_hours"), label, log,
                              hours_bad)
    max_hours = parse_numbers(_optional(frame, "weekly_max_hours"), spec.column("weekly_max_hours"), label, log,
                              hours_bad)
    bad |= hours_bad
    max_days = parsed(parse_numbers, "max_days_per_week")
    overtime = parsed(parse_numbers, "max_overtime_hours")
    rules = config.rules
    template_names = [t.name for t in config.shift_templates]
    seen: dict[str, int] = {}
    agents: list[Agent] = []
    _check_free_text(text, label, log, bad)
    heads: dict[str, OpenPosition] = {}
    for position in config.open_positions if open_positions is None else open_positions:
        for employee_id in position.employee_ids():
            heads.setdefault(employee_id, position)
    for i in range(len(frame)):
        row = i + ROW_OFFSET
        employee_id = text["employee_id"].iloc[i]
        if employee_id and employee_id in seen:
            log.add(label, f"employee id is used twice (first in row {seen[employee_id]})",
                    "give every agent a unique employee_id", row=row, column="employee_id", value=employee_id)
            bad[i] = True
        elif employee_id:
            seen[employee_id] = row
        if employee_id in heads:  # the roster would hold two agents of one id
            position = heads[employee_id]
            log.add(label, f"is the id of a head of the [[open_positions]] profile '{position.profile}' of "
                    f"shiftplan.toml (its heads are {position.employee_ids()[0]} to {position.employee_ids()[-1]})",
                    "rename the agent, or rename the profile", row=row, column="employee_id", value=employee_id)
            bad[i] = True
        if is_open_position_contract(text["contract"].iloc[i]):  # outputs would count the agent as a hire
            log.add(label, f"is the contract label of the heads of [[open_positions]] ('{OPEN_POSITION_CONTRACT}'), "
                    "by which the outputs tell hires from employees", "give the agent's own contract label, or "
                    "leave it blank", row=row, column="contract", value=text["contract"].iloc[i])
            bad[i] = True
        low = rules.weekly_min_hours if np.isnan(min_hours.iloc[i]) else float(min_hours.iloc[i])
        high = rules.weekly_max_hours if np.isnan(max_hours.iloc[i]) else float(max_hours.iloc[i])
        if low > high and not hours_bad[i]:
            log.add(label, f"weekly_min_hours {low:g} is above weekly_max_hours {high:g}",
                    "lower weekly_min_hours or raise weekly_max_hours", row=row, column="weekly_min_hours",
                    value=f"{low:g}")
            bad[i] = True
        for column, names in (("templates", templates.iloc[i]), ("preferred_templates", preferred.iloc[i])):
            for name in names:
                if name not in template_names and check_template_names:
                    log.add(label, "is not a shift template of shiftplan.toml",
                            f"use one of {', '.join(template_names)}", row=row, column=column, value=name)
                    bad[i] = True
        if bad[i]:
            continue
        default_days = 7 - rules.min_days_off_per_week
        agents.append(Agent(
            employee_id=employee_id, name=text["name"].iloc[i], site=text["site"].iloc[i],
            time_zone=zones.iloc[i], languages=languages.iloc[i], channels=channels.iloc[i],
            weekly_min_hours=low, weekly_max_hours=high,
            max_days_per_week=default_days if np.isnan(max_days.iloc[i]) else int(max_days.iloc[i]),
            templates=templates.iloc[i] or tuple(template_names), contract=text["contract"].iloc[i],
            available_weekdays=available.iloc[i] or frozenset(range(7)),
            preferred_templates=preferred.iloc[i], preferred_days_off=days_off.iloc[i],
            max_overtime_hours=None if np.isnan(overtime.iloc[i]) else float(overtime.iloc[i]), row=row,
        ))
    return tuple(agents), frozenset(text["employee_id"])


def load_time_off(path: Path, label: str, agents: tuple[Agent, ...], known_ids: frozenset[str] | None,
                  log: ProblemLog) -> tuple[TimeOff, ...]:
    """Load the time-off file; dates are whole local days in each agent's time zone.

    Unknown agents, an end before the start, and overlapping absences of one agent are
    reported. Rows of agents whose own row was refused (or who are unknown) are still checked for an end
    before the start and overlaps, on their local times as written (their zone may be the problem), and
    are not returned; a row that mixes a time with a UTC offset and one without is then not compared.
    """
    opened = _open(path, label, TIME_OFF, log)
    if opened is None:
        return ()
    frame, bad = opened
    ids = frame["employee_id"].astype("string").fillna("").str.strip()
    by_id = {a.employee_id: a for a in agents}
    missing = (ids != "").to_numpy() & ~ids.isin(list(by_id)).to_numpy()
    unknown = missing & ~ids.isin(list(known_ids or ())).to_numpy()
    for i in np.flatnonzero(unknown) if known_ids is not None else ():
        log.add(label, "is not an employee_id of the agents file", "correct the id or add the agent",
                row=int(i) + ROW_OFFSET, column="employee_id", value=ids.iloc[i])
    # rows of unknown agents, or of agents whose own row has a problem: read on their local times as written
    zones = ids.map(lambda e: by_id[e].time_zone if e in by_id else "UTC")
    kinds = parse_choice(_optional(frame, "kind"), TIME_OFF.column("kind"), label, log, bad)
    start, start_date = parse_datetimes(frame["start"], TIME_OFF.column("start"), label, log, bad, zones)
    end, end_date = parse_datetimes(frame["end"], TIME_OFF.column("end"), label, log, bad, zones)
    mixed = missing & (written_with_offset(frame["start"]) != written_with_offset(frame["end"]))
    bad[mixed] = True
    records: list[TimeOff] = []
    for i in range(len(frame)):
        if mixed[i] or pd.isna(start.iloc[i]) or pd.isna(end.iloc[i]):
            continue
        stop = end.iloc[i]
        if end_date[i]:  # an inclusive last day ends at the next local midnight
            stop = (stop.tz_convert(zones.iloc[i]) + pd.DateOffset(days=1)).tz_convert("UTC")
        if stop <= start.iloc[i]:  # checked on a row with another bad cell too (a wrong kind): every problem at once
            log.add(label, "ends before it starts", "make end the last day off (inclusive) or a later time",
                    row=i + ROW_OFFSET, column="end", value=frame["end"].iloc[i])
            continue
        if bad[i]:
            continue
        records.append(TimeOff(ids.iloc[i], start.iloc[i], stop, kinds.iloc[i] or "vacation",
                               bool(start_date[i] and end_date[i]), i + ROW_OFFSET))
    records.sort(key=lambda r: (r.employee_id, r.start_utc))
    for before, after in itertools.pairwise(records):
        if before.employee_id == after.employee_id and after.start_utc < before.end_utc:
            log.add(label, f"overlaps the time off in row {before.row} for the same agent",
                    "merge the two rows or correct the dates", row=after.row, column="employee_id",
                    value=after.employee_id)
    return tuple(record for record in records if record.employee_id in by_id)


def load_events(path: Path, label: str, config: PlanConfig, log: ProblemLog, *, queues_known: bool = True
                ) -> tuple[Event, ...]:
    """Load the events file (times local to the plan unless written with an offset); with ``queues_known`` false
    (a ``[[queues]]`` block was left out for a bad identity) its languages and channels are not checked against the
    queues."""
    opened = _open(path, label, EVENTS, log)
    if opened is None:
        return ()
    frame, bad = opened
    zone = config.plan.time_zone
    kinds = parse_choice(frame["kind"], EVENTS.column("kind"), label, log, bad)
    start, _ = parse_datetimes(frame["start"], EVENTS.column("start"), label, log, bad, zone)
    end, _ = parse_datetimes(frame["end"], EVENTS.column("end"), label, log, bad, zone)
    languages = parse_codes(_optional(frame, "languages"), EVENTS.column("languages"), label, log, bad,
                            allow_all=True)
    channels = parse_codes(_optional(frame, "channels"), EVENTS.column("channels"), label, log, bad,
                           allow_all=True)
    uplift = parse_numbers(_optional(frame, "uplift_percent"), EVENTS.column("uplift_percent"), label, log,
                           bad)
    names = _optional(frame, "name").astype("string").fillna("").str.strip()
    known_languages = {q.language for q in config.queues}
    known_channels = {q.channel for q in config.queues}
    events: list[Event] = []
    for i in range(len(frame)):
        row = i + ROW_OFFSET
        for column, codes, known in (("languages", languages.iloc[i], known_languages),
                                     ("channels", channels.iloc[i], known_channels)):
            for code in codes:
                if queues_known and code not in known:
                    log.add(label, f"is not a {column[:-1]} of any queue", f"use one of "
                            f"{', '.join(sorted(known))}, or leave blank for all", row=row, column=column,
                            value=code)
                    bad[i] = True
        if pd.isna(start.iloc[i]) or pd.isna(end.iloc[i]):
            continue
        if end.iloc[i] <= start.iloc[i]:  # on a row with another bad cell too: every problem at once
            log.add(label, "ends before it starts", "make end later than start", row=row, column="end",
                    value=frame["end"].iloc[i])
            continue
        if bad[i]:
            continue
        events.append(Event(kinds.iloc[i], start.iloc[i], end.iloc[i], names.iloc[i], languages.iloc[i],
                            channels.iloc[i], None if np.isnan(uplift.iloc[i]) else float(uplift.iloc[i]),
                            row))
    return tuple(events)


def _queue_codes(frame: pd.DataFrame, spec: TableSpec, label: str, config: PlanConfig, log: ProblemLog,
                 bad: np.ndarray, queues_known: bool = True) -> tuple[pd.Series, pd.Series]:
    """Parse language and channel columns and report pairs no queue serves (once per pair; not when a queue was
    left out of the configuration, ``queues_known`` false: it may be the one the rows are for)."""
    language = parse_codes(frame["language"], spec.column("language"), label, log, bad)
    channel = parse_codes(frame["channel"], spec.column("channel"), label, log, bad)
    pairs = pd.Series(list(zip(language, channel, strict=True)), index=frame.index)
    keys = {q.key for q in config.queues}
    for pair in pd.unique(pairs[~bad]) if queues_known else ():
        if pair not in keys:
            rows = np.flatnonzero((pairs == pair).to_numpy() & ~bad)
            log.add(label, f"queue {pair[0]}/{pair[1]} is not in shiftplan.toml ({len(rows):,} rows)",
                    f"add a [[queues]] entry with language = '{pair[0]}' and channel = '{pair[1]}', or "
                    "remove these rows", row=int(rows[0]) + ROW_OFFSET, column="language",
                    value=f"{pair[0]}/{pair[1]}", severity="warning")
            bad[rows] = True
    return language, channel


def load_history(path: Path, label: str, config: PlanConfig, log: ProblemLog, *, queues_known: bool = True
                 ) -> History | None:
    """Load the contact history, per interval or per contact (detected from the columns).

    Per-contact files are binned to 15-minute intervals (contacts and mean handle time).
    History rows for a queue not in the plan are a warning and are dropped.
    """
    frame = read_raw(path, label, log)
    if frame is None:
        return None
    per_contact = "timestamp" in frame.columns and "contacts" not in frame.columns
    spec = HISTORY_CONTACTS if per_contact else HISTORY_INTERVALS
    if not check_columns(frame, spec, label, log):
        return None
    bad = np.zeros(len(frame), dtype=bool)
    check_required_cells(frame, spec, label, log, bad)
    time_column = "timestamp" if per_contact else "start"
    stamps, _ = parse_datetimes(frame[time_column], spec.column(time_column), label, log, bad,
                                config.plan.time_zone, series_key=None if per_contact else _queue_key(frame))
    language, channel = _queue_codes(frame, spec, label, config, log, bad, queues_known)
    if per_contact:
        handle = parse_numbers(_optional(frame, "handle_seconds"), spec.column("handle_seconds"), label,
                               log, bad)
        clean = pd.DataFrame({"start": stamps.dt.floor(f"{CONTACT_BIN_MINUTES}min"), "language": language,
                              "channel": channel, "handle": handle})[~bad]
        grouped = clean.groupby(["start", "language", "channel"], sort=True)
        out = grouped.agg(contacts=("handle", "size"), aht_seconds=("handle", "mean")).reset_index()
        out["contacts"] = out["contacts"].astype(float)
        out = out.sort_values(["language", "channel", "start"]).reset_index(drop=True)
        interval_minutes = CONTACT_BIN_MINUTES
    else:
        contacts = parse_numbers(frame["contacts"], spec.column("contacts"), label, log, bad)
        aht = parse_numbers(_optional(frame, "aht_seconds"), spec.column("aht_seconds"), label, log, bad)
        out = pd.DataFrame({"start": stamps, "language": language, "channel": channel,
                            "contacts": contacts, "aht_seconds": aht})[~bad]
        duplicated = out.duplicated(["start", "language", "channel"], keep="first").to_numpy()
        for i in np.flatnonzero(duplicated)[:1000]:
            log.add(label, "repeats an interval already given for this queue", "keep one row per interval "
                    "and queue", row=int(out.index[i]) + ROW_OFFSET, column="start",
                    value=str(frame[time_column].iloc[out.index[i]]))
        unknown = unknown_second_occurrences(out[~duplicated], written_with_offset(frame[time_column]),
                                             frame[time_column], config.plan.time_zone, label, log)
        out = out.sort_values(["language", "channel", "start"]).reset_index(drop=True)
        interval_minutes = _history_step(out, label, log)
    if out.empty:
        if not log.errors:
            log.add(label, "has no usable rows", "add contact history rows, or give a requirements file "
                    "in [files]")
        return None
    if per_contact:
        return History(out, interval_minutes, "contact")
    return History(out, interval_minutes, "interval", unknown)


def _history_step(frame: pd.DataFrame, label: str, log: ProblemLog) -> int:
    """Infer the history's interval length (the most common step, 15, 30 or 60 minutes)."""
    steps = frame.groupby(["language", "channel"])["start"].diff().dropna()
    if steps.empty:
        return 60
    minutes = int(steps.mode().iloc[0].total_seconds() // 60)
    if minutes not in (5, 10, 15, 30, 60):
        log.add(label, f"has a most common step of {minutes} minutes between rows of a queue",
                "give history per 15, 30 or 60 minutes, or one row per contact")
        return 60
    offgrid = (frame["start"].dt.minute % minutes != 0) | (frame["start"].dt.second != 0)
    if offgrid.any():
        first = int(np.flatnonzero(offgrid.to_numpy())[0])
        log.add(label, f"has {int(offgrid.sum()):,} interval starts that are not on the {minutes}-minute grid",
                f"start intervals at multiples of {minutes} minutes", column="start",
                value=str(frame["start"].iloc[first]))
    return minutes


def _queue_key(frame: pd.DataFrame) -> pd.Series:
    """Each row's queue as written (``en/chat``), to count a repeated local hour per queue."""
    def text(name: str) -> pd.Series:
        return frame[name].astype("string").fillna("").str.strip().str.lower()
    return text("language") + "/" + text("channel")


def load_requirements(path: Path, label: str, config: PlanConfig, log: ProblemLog, *, queues_known: bool = True
                      ) -> Requirements | None:
    """Load a requirements file (agents per planning interval and queue; ``queues_known`` as for the history)."""
    opened = _open(path, label, REQUIREMENTS, log)
    if opened is None:
        return None
    frame, bad = opened
    stamps, _ = parse_datetimes(frame["start"], REQUIREMENTS.column("start"), label, log, bad,
                                config.plan.time_zone, series_key=_queue_key(frame))
    language, channel = _queue_codes(frame, REQUIREMENTS, label, config, log, bad, queues_known)
    agents = parse_numbers(frame["agents"], REQUIREMENTS.column("agents"), label, log, bad)
    step = config.plan.interval_minutes
    horizon = Horizon(config.plan.first_day, config.plan.weeks, config.plan.time_zone, step)
    origin = horizon.start_utc  # the grid starts at the plan's first local midnight (on the half hour in Asia/Kolkata)
    offgrid = np.flatnonzero(~bad & stamps.notna().to_numpy() &
                             ((stamps - origin) % pd.Timedelta(minutes=step) != pd.Timedelta(0)).to_numpy())
    for i in offgrid:
        log.add(label, f"is not on the plan's {step}-minute grid", f"start intervals every {step} minutes from "
                "the plan's local midnight, or change [plan] interval_minutes", row=int(i) + ROW_OFFSET,
                column="start", value=frame["start"].iloc[i])
    bad[offgrid] = True
    columns = {"start": stamps, "language": language, "channel": channel, "agents": agents}
    for name in ("contacts", "aht_seconds"):
        if name in frame.columns:
            columns[name] = parse_numbers(frame[name], REQUIREMENTS.column(name), label, log, bad)
    out = pd.DataFrame(columns)[~bad]
    _warn_without_contacts(out[out["start"].between(horizon.start_utc, horizon.end_utc, inclusive="left")], label,
                           log)
    _check_days(out, frame["start"], horizon, label, log)
    warn_repeated_hour_once(Requirements(out), written_with_offset(frame["start"]), horizon, label, log)
    keys = ["start", "language", "channel"]
    repeated = out[out.duplicated(keys, keep=False)]
    for _, group in repeated.groupby(keys, sort=False):
        first, *others = group.index
        for i in others:
            log.add(label, f"repeats the interval and queue of row {first + ROW_OFFSET}",
                    "keep one row per interval and queue (add the agents up if both are needed)",
                    row=int(i) + ROW_OFFSET, column="start", value=frame["start"].iloc[i])
    return Requirements(out.sort_values(["language", "channel", "start"]).reset_index(drop=True))


def _check_days(out: pd.DataFrame, written: pd.Series, horizon: Horizon, label: str, log: ProblemLog) -> None:
    """Check a requirements file's rows against the plan's days: no row inside them is an error; rows outside them
    (ignored) and plan days without a row for any queue (planned with no demand) are warnings.

    ``out`` holds the file's clean rows, indexed by their place in the file; ``written`` the start cells as written.
    """
    if out.empty:
        return
    days = horizon.days
    inside = out["start"].between(horizon.start_utc, horizon.end_utc, inclusive="left").to_numpy()
    if not inside.any():
        log.add(label, f"has no row inside the plan's days ({days[0]} to {days[-1]})", "give requirements for the "
                "planned weeks, or move [plan] first_day", column="start")
        return
    outside = sorted(out.index[~inside])
    if outside:
        many = len(outside) > 1
        listed = ", ".join(f"{i + ROW_OFFSET} ({written.iloc[i]})" for i in outside[:MAX_ROWS_PER_KIND])
        log.add(label, f"has {len(outside):,} row{'s' if many else ''} outside the plan's days ({days[0]} to "
                f"{days[-1]}): row{'s' if many else ''} {listed}{', ...' if len(outside) > MAX_ROWS_PER_KIND else ''}"
                f"; {'they are' if many else 'it is'} ignored",
                f"check {'their dates' if many else 'its date'}, or remove {'them' if many else 'it'}",
                column="start", severity="warning")
    covered = set(out["start"][inside].dt.tz_convert(horizon.time_zone).dt.date)
    missing = [day for day in days if day not in covered]
    if missing:
        log.add(label, f"has no row for any queue on {len(missing)} of the plan's {len(days)} days "
                f"({_day_ranges(missing)}): {'they are' if len(missing) > 1 else 'it is'} planned with no demand",
                "add their rows (agents 0 on a day the desk is closed), or shorten [plan] weeks", column="start",
                severity="warning")


def _day_ranges(days: list[dt.date]) -> str:
    """Write sorted days as ranges: ``2026-12-07 to 2026-12-09, 2026-12-12``."""
    runs: list[list[dt.date]] = []
    for day in days:
        if runs and day - runs[-1][-1] == dt.timedelta(days=1):
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(f"{run[0]} to {run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)


def _warn_without_contacts(out: pd.DataFrame, label: str, log: ProblemLog) -> None:
    """Warn when a requirements file's forecast columns cannot give the roster's expected service: handle times
    without contacts, or queues with a blank ``contacts`` cell (the deferred backlog runs through every interval).
    ``out`` holds the clean rows inside the plan's days (those outside are ignored, with a warning of their own)."""
    if "aht_seconds" in out.columns and "contacts" not in out.columns:
        log.add(label, "has handle times but no 'contacts' column: the roster's expected service needs both",
                "add the forecast contacts per row as 'contacts' (or remove 'aht_seconds')", column="aht_seconds",
                severity="warning")
    if "contacts" not in out.columns:
        return
    blank = out[out["contacts"].isna()]
    if blank.empty:
        return
    queues = sorted(set(blank["language"] + "/" + blank["channel"]))
    rows = ", ".join(str(int(i) + ROW_OFFSET) for i in blank.index[:MAX_ROWS_PER_KIND]) + (
        ", ..." if len(blank) > MAX_ROWS_PER_KIND else "")
    log.add(label, f"has {len(blank)} row{'s' if len(blank) > 1 else ''} without contacts "
            f"(row{'s' if len(blank) > 1 else ''} {rows}): "
            f"{', '.join(queues)} {'get' if len(queues) > 1 else 'gets'} no expected service in the roster's "
            "coverage", "write the forecast contacts of each interval (0 when none), or remove the column",
            column="contacts", severity="warning")


def load_roster(path: Path, label: str, agents: tuple[Agent, ...], known_ids: frozenset[str] | None,
                config: PlanConfig, log: ProblemLog,
                unknown: dict[str, list[tuple[dt.date | None, bool]]] | None = None,
                short_ok: set[tuple[str, dt.date]] | frozenset[tuple[str, dt.date]] = frozenset(),
                check_template_names: bool = True) -> tuple[PinnedShift, ...]:
    """Load an existing roster whose shifts (or days off) are pinned.

    A row of an employee id the agents file does not list is an error, unless ``unknown`` is given: it then
    collects such rows (id -> (date, whether the row is a shift)) and they are left out (a re-plan's agents who
    left). A shift lasts 60 to 960 minutes, but on the (employee id, date) of ``short_ok`` (a shift an earlier
    re-plan kept cut short, as its result file says) any length up to 960. A template shiftplan.toml does not
    have is an error, unless ``check_template_names`` is False (a template was left out for its own problem)."""
    opened = _open(path, label, ROSTER, log)
    if opened is None:
        return ()
    frame, bad = opened
    by_id = {a.employee_id: a for a in agents}
    ids = unescape_formula_text(frame["employee_id"].astype("string").fillna("").str.strip())
    dates = pd.to_datetime(frame["date"].astype("string").str.strip(), format="%Y-%m-%d", errors="coerce")
    start = parse_clock(_optional(frame, "start"), ROSTER.column("start"), label, log, bad)
    end = parse_clock(_optional(frame, "end"), ROSTER.column("end"), label, log, bad)
    templates = unescape_formula_text(_optional(frame, "template").astype("string").fillna("").str.strip())
    start_blank, end_blank = blank_mask(_optional(frame, "start")), blank_mask(_optional(frame, "end"))
    shifts: list[PinnedShift] = []
    for i in range(len(frame)):
        row = i + ROW_OFFSET
        if ids.iloc[i] and ids.iloc[i] not in by_id:
            if unknown is not None and known_ids is not None and ids.iloc[i] not in known_ids:
                date = None if pd.isna(dates.iloc[i]) else dates.iloc[i].date()
                unknown.setdefault(ids.iloc[i], []).append((date, not start_blank[i]))
                continue
            if known_ids is not None and ids.iloc[i] not in known_ids:
                log.add(label, "is not an employee_id of the agents file", "correct the id or add the agent",
                        row=row, column="employee_id", value=ids.iloc[i])
            bad[i] = True
        if pd.isna(dates.iloc[i]) and not blank_mask(frame["date"])[i]:
            log.add(label, "is not a date", "write it as YYYY-MM-DD, e.g. 2026-11-30", row=row, column="date",
                    value=frame["date"].iloc[i])
            bad[i] = True
        if start_blank[i] != end_blank[i]:  # a cell that is there but unreadable has its own message
            log.add(label, "has a start without an end or an end without a start",
                    "give both start and end, or leave both blank for a pinned day off", row=row,
                    column="end")
            bad[i] = True
        if templates.iloc[i] and config.template(templates.iloc[i]) is None and check_template_names:
            log.add(label, "is not a shift template of shiftplan.toml",
                    f"use one of {', '.join(t.name for t in config.shift_templates)}", row=row,
                    column="template", value=templates.iloc[i])
            bad[i] = True
        if bad[i]:
            continue
        day = dates.iloc[i].date()
        begin = stop = None
        if not np.isnan(start.iloc[i]):
            template = config.template(templates.iloc[i]) if templates.iloc[i] else None
            times = pinned_times(day, float(start.iloc[i]), float(end.iloc[i]), by_id[ids.iloc[i]].time_zone,
                                 template, label, row, log, min_minutes=1 if (ids.iloc[i], day) in short_ok else 60)
            if times is None:
                continue
            begin, stop = times
            step = config.plan.interval_minutes
            # the template's breaks, each in whole intervals, must end within the pinned shift's intervals
            need = template.breaks_end(step) * step if template is not None else 0
            elapsed = (stop - begin).total_seconds() / 60  # in real time: across a DST change not the clock times'
            if -(-elapsed // step) * step < need:
                log.add(label, f"pins a {elapsed:g}-minute '{template.name}' shift, but that template's breaks may "
                        f"end {need} min after the start on the {step}-minute grid",
                        "make the shift longer (on a night the clocks go forward it is an hour shorter than its "
                        "clock times), or leave its template blank",
                        row=row, column="end", value=str(frame["end"].iloc[i]))
                continue
            if template is not None:
                warn_template_length_changed(begin, stop, float(start.iloc[i]), float(end.iloc[i]),
                                             by_id[ids.iloc[i]].time_zone, template, label, row, log)
        shifts.append(PinnedShift(ids.iloc[i], day, begin, stop, templates.iloc[i] or None, row, file=label))
    return _without_clashes(shifts, label, log)


def _without_clashes(shifts: list[PinnedShift], label: str, log: ProblemLog) -> tuple[PinnedShift, ...]:
    """Refuse pins of one agent that contradict each other: two shifts that overlap, or a day off on a date that
    also has a shift or another day off (one of them used to be dropped without a word)."""
    clashing: set[int] = set()
    by_agent: dict[str, list[PinnedShift]] = {}
    for shift in shifts:
        by_agent.setdefault(shift.employee_id, []).append(shift)
    for employee, pins in by_agent.items():
        worked = sorted((p for p in pins if p.start_utc is not None), key=lambda p: (p.start_utc, p.row))
        for first, second in itertools.pairwise(worked):
            if second.start_utc < first.end_utc:
                log.add(label, f"pins a shift of {employee} that overlaps the one in row {first.row}",
                        "keep one of the two rows", row=second.row, column="start")
                clashing.add(id(second))
        days: dict[dt.date, PinnedShift] = {}
        for pin in sorted(pins, key=lambda p: p.row or 0):
            other = days.get(pin.day)
            if other is not None and (pin.start_utc is None or other.start_utc is None):
                both_off = pin.start_utc is None and other.start_utc is None
                what = "a second day off" if both_off else "a day off" if pin.start_utc is None else "a shift"
                log.add(label, f"pins {what} for {employee} on {pin.day} beside row {other.row}",
                        "remove one of the two rows" if both_off else "keep the shift or the day off, not both",
                        row=pin.row, column="date")
                clashing.add(id(pin))
            days.setdefault(pin.day, pin)
    return tuple(shift for shift in shifts if id(shift) not in clashing)


def weekday_names(days: frozenset[int]) -> str:
    """Return ``mon;tue`` for a set of weekday numbers."""
    return ";".join(WEEKDAYS[d] for d in sorted(days))
