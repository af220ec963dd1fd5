"""``load_plan``: the door. Read a plan folder, validate everything, report every problem at once."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import pandas as pd

from inputs import cross_checks
from inputs.config import PlanConfig
from inputs.loaders import (
    load_agents,
    load_events,
    load_history,
    load_requirements,
    load_roster,
    load_time_off,
)
from inputs.problems import PlanError, Problem, ProblemLog
from inputs.records import Agent, Horizon, KeptRoster, PinnedShift, Plan, TimeOff
from inputs.requirement_checks import drop_closed_requirements
from inputs.time_spans import outside_spans
from inputs.toml_reader import CONFIG_FILE, read_plan_config

#: A check of a loaded plan that needs more than :mod:`inputs` (e.g. the scheduler's rules on the pinned shifts): it
#: returns the problems it finds.
PlanCheck = Callable[[Plan], Iterable[Problem]]


def load_plan(plan_dir: str | Path, *, with_history: bool = True, keep: KeptRoster | None = None,
              checks: Sequence[PlanCheck] = (), first_day: dt.date | None = None) -> Plan:
    """Load and validate a plan folder.

    Every file is read and checked even when an earlier one has errors, so the user sees
    every problem in one run.

    Parameters
    ----------
    plan_dir : str or Path
        The plan folder holding ``shiftplan.toml`` and the files it names.
    with_history : bool
        Whether to read the contact history (a command that only needs agents may skip it).
    keep : KeptRoster, optional
        An earlier roster to re-plan from: its rows before ``keep.before`` are pinned, its later shifts are hints
        (the returned plan's ``kept`` counts them).
    checks : sequence of callables
        Further checks, each given the plan as read and returning its problems. They run also when other rows had
        errors (on the rows that could be read, so a check must only find problems that more rows could not
        remove), but not when shiftplan.toml's templates or rules are a stand-in for settings with problems.
    first_day : datetime.date, optional
        The horizon's first day instead of ``[plan] first_day`` (the weekly forecast job's next week).

    Returns
    -------
    Plan
        The validated plan; its ``warnings`` hold the problems that did not stop it.

    Raises
    ------
    PlanError
        When any error was found; it carries every problem (errors and warnings).
    """
    root = Path(plan_dir)
    log = ProblemLog()
    if not root.is_dir():
        log.add(str(root), "is not a folder", "give the path of a plan folder, or create one with "
                "'shiftplan init DIR'")
        raise PlanError(log.problems)
    read = read_plan_config(root, log)
    config = read.config
    if config is None:
        raise PlanError(log.problems)
    if first_day is not None:
        config = config.model_copy(update={"plan": config.plan.model_copy(update={"first_day": first_day})})
    # a shiftplan.toml with problems has a stand-in, with which the tables are still read and checked; a check
    # that depends on a section it does not hold as written is not run (see :mod:`inputs.toml_stand_in`)
    intact = {"queues", "shift_templates", "rules", "forecast"} - read.replaced
    files = config.files
    horizon = Horizon(config.plan.first_day, config.plan.weeks, config.plan.time_zone,
                      config.plan.interval_minutes)
    used: list[Path] = [root / CONFIG_FILE]

    def path(name: str) -> Path:
        used.append(root / name)
        return root / name

    names = "shift_templates" not in read.dropped  # else an agent's template may be the one left out
    agents, known_ids = load_agents(path(files.agents), files.agents, config, log, check_template_names=names,
                                    open_positions=read.open_positions)
    time_off = load_time_off(path(files.time_off), files.time_off, agents, known_ids, log) if files.time_off else ()
    queues_known = "queues" not in read.dropped  # else a row's queue may be the one left out
    events = (load_events(path(files.events), files.events, config, log, queues_known=queues_known)
              if files.events else ())
    requirements = (load_requirements(path(files.requirements), files.requirements, config, log,
                                      queues_known=queues_known)
                    if files.requirements else None)
    history = None
    if files.history and with_history:
        history = load_history(path(files.history), files.history, config, log, queues_known=queues_known)
    pinned = (load_roster(path(files.roster), files.roster, agents, known_ids, config, log,
                          check_template_names=names) if files.roster else ())
    hint_shifts = (load_roster(path(files.hint_roster), files.hint_roster, agents, known_ids, config, log,
                               check_template_names=names) if files.hint_roster else ())
    kept_pins: tuple[PinnedShift, ...] = ()
    published: tuple[PinnedShift, ...] = ()
    published_breaks: dict[tuple[str, int, int, int], tuple[int, ...]] = {}
    whole_breaks: dict[tuple[str, int, int, int], tuple[int, ...]] = {}
    published_queues: dict[tuple[str, int, int, int], tuple[int, ...]] = {}
    keep_label = ""
    if keep is not None:
        keep_label = _label(keep.path, root)
        details = published_shift_details(keep.path, horizon, tuple(q.name for q in config.queues))
        kept_pins, hint_shifts, published, keep = _keep(keep, keep_label, horizon, agents, known_ids, config,
                                                        pinned, hint_shifts, time_off, log, details.cuts,
                                                        check_template_names=names)
        used.append(keep.path)
        published_breaks, whole_breaks = details.breaks, details.cut_breaks
        published_queues = details.queues
        if details.breaks:
            keep = dataclasses.replace(keep, breaks_from=result_file_of(keep.path))
            used.append(keep.breaks_from)

    if not agents and not log.errors and not config.open_positions:  # open positions alone: a desk to staff
        log.add(files.agents, "has no agents", "add one row per agent, or [[open_positions]] to size a new team")
    agents_refused = any(problem.file == files.agents for problem in log.errors)
    cross_checks.check_zone_kinds(config, log)
    cross_checks.check_site_zones(agents, files.agents, log)
    if "queues" not in read.dropped:
        cross_checks.check_skills(agents, config, files.agents, log, all_rows=not agents_refused)
    templates = "shift_templates" in intact
    if templates and "rules" in intact:
        cross_checks.check_templates(config, log)
        cross_checks.check_contracts(agents, config, files.agents, log)
    if templates:
        cross_checks.check_breaks_on_grid(config, log)
        cross_checks.check_lengths_on_grid(config, log)
        cross_checks.check_starts_on_grid(agents, config, horizon, files.agents, log)
        cross_checks.check_starts_at_clock_changes(agents, config, horizon, log)
    if "queues" in intact:
        cross_checks.check_shrinkage_windows(config, horizon, log)
        if requirements is not None:
            requirements = drop_closed_requirements(requirements, config, horizon, files.requirements or "", log)
    if with_history and {"queues", "forecast"} <= intact:
        cross_checks.check_history(history, horizon, config, files.history or CONFIG_FILE,
                                   requirements is not None, log)
    min_rest = config.rules.min_rest_hours if "rules" in intact else None
    if files.roster:
        cross_checks.check_pins(pinned, time_off, agents, horizon, files.roster, log, min_rest)
        cross_checks.check_pin_overrides(pinned, agents, horizon, files.roster, files.agents, log)
    if kept_pins:
        cross_checks.check_pins(kept_pins, time_off, agents, horizon, keep_label, log, min_rest)

    plan = Plan(root=root, config=config, horizon=horizon, agents=agents, time_off=time_off, events=events,
                history=history, requirements=requirements, pinned=pinned + kept_pins, hint_shifts=hint_shifts,
                published=published, published_breaks=published_breaks, published_queues=published_queues,
                whole_breaks=whole_breaks,
                input_files=tuple(p for p in dict.fromkeys(used) if p.exists()), kept=keep)
    if {"shift_templates", "rules"} <= intact:
        for check in checks:  # on the rows that could be read: what can still be checked is
            log.extend(check(plan))
    if log.errors:
        raise PlanError(log.problems)
    return dataclasses.replace(plan, warnings=tuple(log.warnings))


def result_file_of(shifts_path: Path) -> Path:
    """The result file ``solve`` writes beside a shifts file (``roster-X.shifts.csv``: ``roster-X.result.json``)."""
    name = shifts_path.name
    stem = name[: -len(".shifts.csv")] if name.endswith(".shifts.csv") else shifts_path.stem
    return shifts_path.with_name(stem + ".result.json")


@dataclasses.dataclass(frozen=True)
class PublishedDetails:
    """What the result file beside a kept roster's shifts file adds to its rows.

    Attributes
    ----------
    breaks : dict
        (employee id, horizon day, first interval, length in intervals) of each published shift -> its break start
        offsets.
    queues : dict
        The same keys -> the queue index served in each interval (empty unless the file's queues are the plan's).
    cuts : dict
        (employee id, first interval, length) of a shift an earlier re-plan kept cut short -> the whole shift it was
        cut from: (its end, its template or None, its length in intervals, the horizon day of the record).
    cut_breaks : dict
        The whole shifts' keys, as in ``breaks`` -> their published break offsets, where the file has them.
    """

    breaks: dict[tuple[str, int, int, int], tuple[int, ...]] = dataclasses.field(default_factory=dict)
    queues: dict[tuple[str, int, int, int], tuple[int, ...]] = dataclasses.field(default_factory=dict)
    cuts: dict[tuple[str, int, int], tuple[pd.Timestamp, str | None, int, int]] = dataclasses.field(
        default_factory=dict)
    cut_breaks: dict[tuple[str, int, int, int], tuple[int, ...]] = dataclasses.field(default_factory=dict)


def published_shift_details(shifts_path: Path, horizon: Horizon,
                            queue_names: tuple[str, ...] | None) -> PublishedDetails:
    """The break start offsets and the queue served in each interval of each shift of the roster a re-plan keeps,
    and the whole shifts of those an earlier re-plan kept cut short, from the result file written beside its shifts
    file (see :class:`PublishedDetails`; no queues unless the file's queues are ``queue_names``, in order).

    Empty when there is no such file, or it is not a result of these days, time zone and grid: the details only
    restore what was published (the shifts file is the roster), so such a file is passed over, not an error.
    """
    path = result_file_of(shifts_path)
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        facts = payload["facts"]
        if (facts["first_day"], facts["weeks"], facts["time_zone"], facts["interval_minutes"]) != (
                horizon.first_day.isoformat(), horizon.weeks, horizon.time_zone, horizon.interval_minutes):
            return PublishedDetails()
        same_queues = queue_names is not None and tuple(dict.fromkeys(payload["coverage"]["data"]["queue"])) == \
            queue_names
        details = PublishedDetails()
        for item in payload["roster"]:
            employee_id, day, start = str(item["employee_id"]), int(item["day"]), int(item["start_interval"])
            key = (employee_id, day, start, int(item["length"]))
            details.breaks[key] = tuple(int(offset) for offset in item["break_offsets"])
            if same_queues:
                details.queues[key] = tuple(int(queue) for queue in item["queues"])
            if item.get("cut_from") is not None:
                _read_cut(details, employee_id, start, int(item["length"]), item["cut_from"])
        return details
    except (OSError, UnicodeDecodeError, ValueError, RecursionError, KeyError, TypeError):
        return PublishedDetails()


def _read_cut(details: PublishedDetails, employee_id: str, start: int, length: int, whole: object) -> None:
    """Add a record's ``cut_from`` (the whole shift of a shift cut short) to ``details``; one that is not what a
    solve writes (edited by hand) is passed over alone, the rest of the file still read."""
    try:
        end = pd.Timestamp(str(whole["end_utc"]))
        if pd.isna(end) or isinstance(whole["end_utc"], bool | int | float):
            return
        end = end.tz_localize("UTC") if end.tzinfo is None else end.tz_convert("UTC")
        template = whole["template"]
        whole_length, day = whole["length"], whole["day"]
        offsets = whole["break_offsets"]
        if (not isinstance(whole_length, int) or not isinstance(day, int) or isinstance(whole_length, bool)
                or (offsets is not None and not (isinstance(offsets, list)
                                                 and all(isinstance(o, int) for o in offsets)))):
            return
    except (ValueError, KeyError, TypeError, OverflowError):
        return
    details.cuts[employee_id, start, length] = (end, None if template is None else str(template), whole_length, day)
    if offsets is not None:
        details.cut_breaks[employee_id, day, start, whole_length] = tuple(offsets)


def _label(path: Path, root: Path) -> str:
    """How messages name a file: its path inside the plan folder, else as given."""
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def _keep(keep: KeptRoster, label: str, horizon: Horizon, agents: tuple[Agent, ...], known_ids: frozenset[str] | None,
          config: PlanConfig, pinned: tuple[PinnedShift, ...], hints: tuple[PinnedShift, ...],
          time_off: tuple[TimeOff, ...], log: ProblemLog,
          cuts: dict[tuple[str, int, int], tuple[pd.Timestamp, str | None, int, int]] | None = None,
          check_template_names: bool = True,
          ) -> tuple[tuple[PinnedShift, ...], tuple[PinnedShift, ...], tuple[PinnedShift, ...], KeptRoster]:
    """Split an earlier roster at ``keep.before`` (and ``keep.from_time``): the rows before it, and the shifts under
    way at that time, to pin (unless the plan's own roster pins that agent and date); the hints, its later shifts
    first, then the plan's own hints for other agents and dates; and its later rows, shifts and days off, as the
    published roster a change from costs ``roster_changes``. A kept shift that a time off interrupts (an agent sent
    home sick) is cut at its start; one an earlier re-plan cut so (``cuts``, from its result file) is still the
    worked part of its whole shift."""
    days = horizon.days
    if not days[0] <= keep.before <= days[-1]:
        log.add("--keep-before", f"is outside the plan's days ({days[0]} to {days[-1]})",
                "give the first day the roster may change, a day of the plan", value=str(keep.before))
    clock = keep.clock_problem(horizon.time_zone)
    if clock is not None:
        log.add("--keep-before", clock, "give a time before or after the clock change, on the plan's clock",
                value=keep.label)
        keep = dataclasses.replace(keep, from_time=None)
    departed: dict[str, list[tuple[dt.date | None, bool]]] = {}
    cuts = cuts or {}
    short = {(employee_id, days[day]) for (employee_id, _, _), (*_, day) in cuts.items() if 0 <= day < len(days)}
    rows = load_roster(keep.path, label, agents, known_ids, config, log, unknown=departed, short_ok=short,
                       check_template_names=check_template_names)
    if departed:
        later = sum(shift and date is not None and date >= keep.before for rows_of in departed.values()
                    for date, shift in rows_of)
        names = ", ".join(sorted(departed)[:10]) + (", ..." if len(departed) > 10 else "")
        shifts = ("shift published for them from then on is" if later == 1
                  else "shifts published for them from then on are")
        re_planned = f", and the {later} {shifts} re-planned with the rest of the team" if later else ""
        log.add(label, f"has rows of {len(departed)} agent{'s' if len(departed) > 1 else ''} the agents file no "
                f"longer lists ({names}): they are left out, so their shifts before {keep.label} are not in the new "
                f"roster's files{re_planned}",
                "nothing, when they have left; otherwise add them back to the agents file", column="employee_id",
                severity="warning")
    if keep.before > days[0] and rows and not any(days[0] <= row.day < keep.before for row in rows):
        log.add(label, f"has no row dated from the plan's first day {days[0]} to the day before {keep.before}: it is "
                "not a roster of this plan's days, so nothing of the days already worked would be kept",
                "give the roster 'solve' wrote for this plan (its .shifts.csv), or --keep-before "
                f"{days[0]} to keep nothing")
    own = {(pin.employee_id, pin.day) for pin in pinned}
    cutoff = keep.change_from_utc(horizon.time_zone)

    def held(row: PinnedShift) -> bool:  # dated before the day, or under way at the re-plan's time
        return row.day < keep.before or (cutoff is not None and row.start_utc is not None and row.start_utc < cutoff)

    absences: dict[str, list[TimeOff]] = {}
    for absence in time_off:
        absences.setdefault(absence.employee_id, []).append(absence)
    whole = tuple(row for row in rows if held(row) and (row.employee_id, row.day) not in own)
    carried = tuple(_cut_before(row, horizon, cuts) for row in whole)
    worked = [(_cut_short(row, absences.get(row.employee_id, [])), row) for row in carried]
    missed = [row for part, row in worked if part is None]
    if missed:
        _warn_not_worked(missed, agents, label, log)
    kept = tuple(part for part, _ in worked if part is not None)
    cut = sum(part.end_utc != row.end_utc for part, row in worked if part is not None)
    late = sum(bool(part.absent) and part.absent[0][0] <= part.start_utc for part, _ in worked if part is not None)
    away = sum(bool(row.absent) for row in kept) - late
    cut_before = sum(row is not original for row, original in zip(carried, whole, strict=True))
    published = tuple(row for row in rows if not held(row))
    later = tuple(row for row in published if row.start_utc is not None)
    taken = {(row.employee_id, row.day) for row in later}
    hints = later + tuple(hint for hint in hints if (hint.employee_id, hint.day) not in taken)
    shifts = sum(row.start_utc is not None for row in kept)
    return kept, hints, published, dataclasses.replace(keep, num_shifts=shifts, num_days_off=len(kept) - shifts,
                                                       num_hints=len(later), num_published=len(published),
                                                       num_cut=cut, num_cut_before=cut_before,
                                                       num_away=away, num_late=late, num_not_worked=len(missed),
                                                       ended_by_time_off=tuple(
                                                           (row, part) for part, row in worked
                                                           if part is None or part.end_utc != row.end_utc))


def _warn_not_worked(missed: list[PinnedShift], agents: tuple[Agent, ...], label: str, log: ProblemLog) -> None:
    """One warning naming the kept shifts a time off covers whole (an agent who never came): left out, not worked."""
    zones = {agent.employee_id: agent.time_zone for agent in agents}
    named = [f"{row.employee_id} {row.day} {row.start_utc.tz_convert(zones[row.employee_id]):%H:%M}"
             for row in missed[:10]] + (["..."] if len(missed) > 10 else [])
    many = len(missed) > 1
    log.add(label, f"has {len(missed)} shift{'s' if many else ''} that a time off covers from start to end "
            f"({', '.join(named)}): {'they are' if many else 'it is'} left out as not worked; the time off counts "
            "as any time off does",
            "nothing, when the agent was off; otherwise correct the time off", column="date", severity="warning")


def _cut_before(row: PinnedShift, horizon: Horizon,
                cuts: dict[tuple[str, int, int], tuple[pd.Timestamp, str | None, int, int]]) -> PinnedShift:
    """A kept shift an earlier re-plan cut short (its result file says from which whole shift), as the worked part
    of that shift, so its week shrinks and its breaks are kept as in that re-plan; else the row itself (also when
    the whole shift the file gives does not end after the row, lasts more than 16 hours or does not have the length
    it gives)."""
    if row.start_utc is None or not cuts:
        return row
    whole = cuts.get((row.employee_id, *horizon.grid_span(row.start_utc, row.end_utc)))
    if whole is None:
        return row
    end, template, length, _ = whole
    if not row.end_utc < end <= row.start_utc + pd.Timedelta(hours=16) or horizon.grid_span(
            row.start_utc, end)[1] != length:
        return row
    return dataclasses.replace(row, template=None,
                               cut_from=dataclasses.replace(row, end_utc=end, template=template))


def _cut_short(row: PinnedShift, absences: list[TimeOff]) -> PinnedShift | None:
    """The worked part of a kept shift that time off interrupts (of the whole shift, which is the row, or the shift
    an earlier re-plan cut it from), else the row itself; None when time off covers it from start to end (an agent
    who never came: not worked).

    A time off that ends before the shift's end is time away (``absent``): the agent came back from it, or, when it
    starts by the shift's start, came in late; the shift keeps its start and length. The first time off that starts
    during the shift and lasts to its end or later ends it there (an agent sent home sick).
    """
    if row.start_utc is None:
        return row
    end, away = row.end_utc, []
    for absence in sorted(absences, key=lambda absence: absence.start_utc):
        if absence.end_utc <= row.start_utc or absence.start_utc >= end:
            continue
        if absence.end_utc >= end:
            end = absence.start_utc
            break
        away.append((absence.start_utc, absence.end_utc))
    while away and end < row.end_utc and away[-1][1] >= end:  # away up to the cut: gone home when it started
        end = max(away.pop()[0], row.start_utc)
    if end == row.end_utc and not away:
        return row
    if not outside_spans(row.start_utc, end, away):
        return None
    return dataclasses.replace(row, end_utc=end, template=None, cut_from=row.cut_from or row, absent=tuple(away))

