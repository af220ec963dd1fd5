"""Build :class:`ProblemData` from a validated plan and its requirements (no solver import).

Shift options are generated in each agent's own time zone: a template's local start on the
agent's local day is converted to UTC (a start in the hour skipped by DST moves forward, a
start in the repeated hour takes the first one) and placed on the plan's interval grid. A
shift lasts its length in real elapsed time, so a night shift across a DST change still pays
and covers what was worked.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import zoneinfo
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from inputs.config import LIVE_KINDS, PINNED_CODE, PINNED_TEMPLATE, BreakRule, LabourRules, ShiftTemplate, clock_minutes
from inputs.records import Agent, Horizon, PinnedShift, Plan, TimeOff
from scheduler.problem import (
    LOST_SHIFT,
    TIME_AWAY,
    AgentData,
    BreakSpec,
    ProblemData,
    ShiftOption,
    TemplateData,
    Weights,
)
from scheduler.roster import OFF_QUEUE
from scheduler.week_limits import days_limit, paid_leave_minutes, time_off_credits, week_limits

NIGHT_START_MINUTE = 18 * 60  # a template whose earliest start is 18:00 or later is a night template
NIGHT_END_MINUTE = 4 * 60  # ... or whose latest start is 04:00 or earlier


def template_data(template: ShiftTemplate, interval_minutes: int) -> TemplateData:
    """Place a template's break rules on the grid, trimming windows so breaks never overlap."""
    specs = [BreakSpec(rule.kind, rule.minutes, rule.paid, length, tuple(range(first, last + 1)))
             for rule, (length, first, last) in zip(template.breaks, template.break_slots(interval_minutes),
                                                    strict=True)]
    night = (clock_minutes(template.start_earliest) >= NIGHT_START_MINUTE
             or clock_minutes(template.start_latest) <= NIGHT_END_MINUTE)
    return TemplateData(template.name, template.code, tuple(specs), night)


def _to_utc(day: dt.date, minute: int, zone: zoneinfo.ZoneInfo) -> pd.Timestamp:
    """Local day + minutes after midnight -> UTC (a skipped time moves forward, a repeated one is the first)."""
    naive = pd.Timestamp(dt.datetime.combine(day, dt.time(0))) + pd.Timedelta(minutes=minute)
    return naive.tz_localize(zone, nonexistent="shift_forward", ambiguous=True).tz_convert("UTC")


def _overlaps(start: pd.Timestamp, end: pd.Timestamp, absences: Iterable[TimeOff]) -> bool:
    return any(start < a.end_utc and a.start_utc < end for a in absences)


def agent_options(agent: Agent, plan: Plan, templates: list[ShiftTemplate],
                  absences: list[TimeOff]) -> tuple[list[ShiftOption], set[int]]:
    """Return every shift option of one agent, and the days that time off fully blocks.

    Parameters
    ----------
    agent : Agent
        The agent.
    plan : Plan
        The plan (horizon, grid).
    templates : list of ShiftTemplate
        All templates, in plan order (indices are the option's ``template``).
    absences : list of TimeOff
        The agent's time off.

    Returns
    -------
    tuple
        (options sorted by day and start, days on which time off removed every option).
    """
    horizon = plan.horizon
    step = pd.Timedelta(minutes=horizon.interval_minutes)
    zone = zoneinfo.ZoneInfo(agent.time_zone)
    options: list[ShiftOption] = []
    blocked: set[int] = set()
    for day_index, day in enumerate(horizon.days):
        if day.weekday() not in agent.available_weekdays:
            continue
        before = len(options)
        removed_by_absence = False
        for t_index, template in enumerate(templates):
            if template.name not in agent.templates:
                continue
            for start_minute in template.start_minutes():
                start_utc = _to_utc(day, start_minute, zone)
                offset = (start_utc - horizon.start_utc) / step
                start = math.floor(offset)
                worked_from = horizon.start_utc + start * step  # the start rounded down to the grid, as worked
                for length_minutes in template.lengths_minutes:
                    length = math.ceil(length_minutes / horizon.interval_minutes)
                    end_utc = worked_from + pd.Timedelta(minutes=length_minutes)
                    if start + length <= 0 or start >= horizon.num_intervals:
                        continue
                    if _overlaps(worked_from, end_utc, absences):
                        removed_by_absence = True
                        continue
                    options.append(ShiftOption(day_index, t_index, start, length,
                                               template.paid_minutes(length_minutes), day.weekday() >= 5))
        if removed_by_absence and len(options) == before:
            blocked.add(day_index)
    options = sorted(set(options), key=lambda o: (o.day, o.start, o.length, o.template))
    return options, blocked


def earliest_start(pins: Iterable[PinnedShift], horizon: Horizon, min_rest_hours: float) -> int | None:
    """The first interval an agent may start a shift at, after the shifts pinned before the plan's days.

    A shift dated before the plan's first day (last week's roster given as pins) is not planned, but the rest
    after it holds: on the plan's grid, as between two planned shifts, the next shift starts at least
    ``ceil(min_rest_hours / interval)`` intervals after its end (its start rounded down to the grid plus its length
    rounded up). None when no shift is pinned before the plan's days.

    Parameters
    ----------
    pins : iterable of PinnedShift
        The agent's pinned shifts and days off.
    horizon : Horizon
        The plan's horizon.
    min_rest_hours : float
        The plan's minimum rest between two shifts.

    Returns
    -------
    int or None
        The first interval index a shift of the agent may start at (negative when the rest ends before the plan).
    """
    ends = [sum(horizon.grid_span(pin.start_utc, pin.end_utc))
            for pin in pins if pin.start_utc is not None and pin.day < horizon.first_day]
    if not ends:
        return None
    return max(ends) + math.ceil(min_rest_hours * 60 / horizon.interval_minutes)


def days_worked_before(pins: Iterable[PinnedShift], horizon: Horizon) -> int:
    """Days in a row with a shift pinned on them, up to the day before the plan's first day (last week's roster).

    They count towards the maximum consecutive days (:meth:`scheduler.problem.ProblemData.consecutive_day_windows`). A
    pinned day off, or a date without a pin, ends the run.
    """
    worked = {pin.day for pin in pins if pin.start_utc is not None and pin.day < horizon.first_day}
    count = 0
    while horizon.first_day - dt.timedelta(days=count + 1) in worked:
        count += 1
    return count


def hint_days(plan: Plan, agent: Agent, options: list[ShiftOption], shifts: list[PinnedShift],
              pinned: dict[int, int]) -> dict[int, int]:
    """Day -> option index of an earlier roster's shifts, repeated on the same weekday and local time.

    A hint dated inside the horizon hints that very day; one dated outside (last week's roster)
    hints every horizon day of its weekday. A hinted shift no option matches (another start or
    length than the templates allow, or time off) is skipped; pinned days keep their pin.
    """
    horizon = plan.horizon
    zone = zoneinfo.ZoneInfo(agent.time_zone)
    by_key = {(o.day, o.start, o.length): i for i, o in enumerate(options)}
    hint: dict[int, int] = {}
    for shift in shifts:
        if shift.start_utc is None:
            continue
        if horizon.first_day <= shift.day < horizon.first_day + dt.timedelta(days=horizon.num_days):
            days = [(shift.day - horizon.first_day).days]
        else:
            days = [d for d, day in enumerate(horizon.days) if day.weekday() == shift.day.weekday()]
        for d in days:
            match = _matching_option(horizon, zone, by_key, shift, d)
            if match is not None and d not in pinned:
                hint[d] = match
    return hint


def published_days(plan: Plan, agent: Agent, options: list[ShiftOption],
                   rows: list[PinnedShift]) -> dict[int, int]:
    """Day -> the published roster's option index (-1: a day off; :data:`~scheduler.problem.LOST_SHIFT`: a shift
    no option matches any more, e.g. the agent's new time off), for :attr:`AgentData.published`."""
    horizon = plan.horizon
    zone = zoneinfo.ZoneInfo(agent.time_zone)
    by_key = {(o.day, o.start, o.length): i for i, o in enumerate(options)}
    published: dict[int, int] = {}
    for row in rows:
        d = (row.day - horizon.first_day).days
        if not 0 <= d < horizon.num_days:
            continue
        if row.start_utc is None:
            published[d] = -1
        else:
            match = _matching_option(horizon, zone, by_key, row, d)
            published[d] = LOST_SHIFT if match is None else match
    return published


def re_plan_start(plan: Plan) -> tuple[int, int] | None:
    """Where a re-plan may change the roster: the first horizon day (the agent's local date) and the first interval a
    shift may start at (``kept.from_time`` on the plan's clock; 0 for a re-plan by whole days); None without one."""
    kept = plan.kept
    if kept is None:
        return None
    horizon = plan.horizon
    cutoff = kept.change_from_utc(horizon.time_zone)
    step = pd.Timedelta(minutes=horizon.interval_minutes)
    first = 0 if cutoff is None else math.ceil((cutoff - horizon.start_utc) / step)
    return (kept.before - horizon.first_day).days, first


def with_notice(plan: Plan, agent: Agent, options: list[ShiftOption], published: list[PinnedShift],
                past: tuple[int, int]) -> list[ShiftOption]:
    """A re-plan's options less those that would call the agent in at shorter notice than ``[rules]
    min_notice_hours``: a shift that starts within that time of the re-plan's cut is kept only if it is the agent's
    published shift of its day (they know it already; it may still be dropped).

    Parameters
    ----------
    plan : Plan
        The plan (rules, horizon).
    agent : Agent
        The agent.
    options : list of ShiftOption
        The agent's options from the cut on.
    published : list of PinnedShift
        The agent's rows of the published roster from the cut on.
    past : tuple of int
        :func:`re_plan_start`: the first day and the first interval the re-plan may change.

    Returns
    -------
    list of ShiftOption
        The options the notice allows, in their order.
    """
    notice = plan.config.rules.min_notice_hours
    if notice <= 0:
        return options
    horizon = plan.horizon
    first_day_start = (horizon.local_midnight_utc(horizon.first_day + dt.timedelta(days=past[0]))
                       - horizon.start_utc) / pd.Timedelta(minutes=horizon.interval_minutes)
    cut = max(past[1], math.ceil(first_day_start))
    earliest = cut + math.ceil(notice * 60 / horizon.interval_minutes)
    known = set(published_days(plan, agent, options, published).values())
    return [option for o, option in enumerate(options) if option.start >= earliest or o in known]


def _published_breaks(plan: Plan, employee_id: str, options: list[ShiftOption], worked: dict[int, int],
                      templates: list[TemplateData]) -> dict[int, tuple[int, ...]]:
    """Day -> break offsets of the agent's shift that day (``worked``: its published or pinned option), from
    ``plan.published_breaks``, where they are given for that very shift and fit its template's break rules (one
    offset per rule, each allowed by its rule, inside the shift, none overlapping): a result file edited by hand or
    written for other templates is passed over."""
    breaks: dict[int, tuple[int, ...]] = {}
    for day, o in worked.items():
        if o < 0:
            continue
        option = options[o]
        offsets = plan.published_breaks.get((employee_id, day, option.start, option.length))
        rules = templates[option.template].breaks if option.template >= 0 else ()
        if offsets is not None and breaks_fit(offsets, rules, option.length):
            breaks[day] = offsets
    return breaks


def published_breaks_passed_over(plan: Plan, problem: ProblemData) -> int:
    """How many shifts of the published roster (kept or later) have break times in ``plan.published_breaks`` that
    the problem passed over, as not fitting their template's break rules (a result file edited by hand, or
    templates changed since): their breaks are placed afresh, and the run says so."""
    given = {key[:2] for key in plan.published_breaks}
    own = len(plan.config.shift_templates)  # later ones are the worked parts of kept shifts, with their own breaks
    count = 0
    for agent in problem.agents:
        for day in {*agent.published, *agent.pinned}:
            o = agent.pinned.get(day, agent.published.get(day, -1))
            if o < 0 or (agent.employee_id, day) not in given or day in agent.published_breaks \
                    or agent.options[o].template >= own:
                continue
            option = agent.options[o]
            count += (agent.employee_id, day, option.start, option.length) in plan.published_breaks
    return count


def _published_queues(published: dict[tuple[int, int], tuple[int, ...]], options: list[ShiftOption],
                      pinned: dict[int, int], skills: tuple[int, ...]) -> dict[int, tuple[int, ...]]:
    """Day -> the queue served in each interval of the agent's pinned shift that day, from the agent's published
    shifts (``published``: (horizon day, first interval) -> the queue of each interval, from
    ``plan.published_queues``), where they are given for that very shift (or, for the worked part of a shift cut
    short, for the whole shift that starts with it: its first intervals), one per interval, each a queue of the
    agent's skills or ``OFF_QUEUE`` (a break)."""
    queues: dict[int, tuple[int, ...]] = {}
    allowed = {*skills, OFF_QUEUE}
    for day, o in pinned.items():
        if o < 0:
            continue
        option = options[o]
        served = published.get((day, option.start), ())
        served = served[:option.length] if len(served) >= option.length else None
        if served is not None and allowed.issuperset(served):
            queues[day] = served
    return queues


def breaks_fit(offsets: tuple[int, ...], rules: tuple[BreakSpec, ...], length: int) -> bool:
    """Whether ``offsets`` place one break per rule at a start the rule allows, inside a shift of ``length``
    intervals, without two breaks overlapping."""
    if len(offsets) != len(rules):
        return False
    spans = sorted((offset, offset + rule.length) for offset, rule in zip(offsets, rules, strict=True))
    return (all(offset in rule.offsets for offset, rule in zip(offsets, rules, strict=True))
            and all(end <= length for _, end in spans)
            and all(spans[k][1] <= spans[k + 1][0] for k in range(len(spans) - 1)))


def cut_minutes(pins: list[PinnedShift], agent: Agent, horizon: Horizon, templates: list[ShiftTemplate],
                template_index: dict[str, int], cut_parts: CutParts | None = None) -> dict[int, int]:
    """Horizon day -> paid minutes lost by the agent's kept shift that day, cut short by a time off that starts
    during it: the whole shift's paid time, by its template, less the worked part's (0 when nothing was lost)."""
    lost: dict[int, int] = {}
    for pin in pins:
        whole = pin.cut_from
        day = (pin.day - horizon.first_day).days
        if whole is None or pin.start_utc is None or not 0 <= day < horizon.num_days:
            continue
        _, _, paid = _pin_template_and_paid(whole, agent, templates, template_index)
        _, _, worked = _pin_template_and_paid(pin, agent, templates, template_index, cut_parts)
        lost[day] = lost.get(day, 0) + max(0, paid - worked)
    return lost


class CutParts:
    """The worked parts of kept shifts cut short or with time away during them, each with a template of its own:
    the breaks of the whole shift's template taken before the cut, so an unpaid lunch taken before the agent went
    home stays unpaid and a break taken stays out of coverage, and the time away as fixed unpaid blocks.

    With the published break times of the whole shift (the result file beside the kept roster), the breaks that
    ended by the cut are kept, each at its published time, and one under way at the cut (a lunch the agent went home
    from) is kept up to it, its minutes until then taken as it is (an unpaid lunch unpaid); without them, the
    breaks whose whole window ends by the cut (taken, wherever in it), each within its window. A break that may
    still come after the cut was not taken.
    A break that meets the time away moves within its window, clear of the intervals the time away touches; one
    kept at its published time takes its interval, and the time away then takes only its minutes there.

    Parameters
    ----------
    plan : Plan
        The plan (horizon, published break times).
    templates : list of ShiftTemplate
        The plan's templates, in order.
    """

    def __init__(self, plan: Plan, templates: list[ShiftTemplate]) -> None:
        self._plan = plan
        step = plan.horizon.interval_minutes
        self.templates: list[TemplateData] = [template_data(t, step) for t in templates]
        self._rules = [template.breaks for template in templates]
        self._index: dict[tuple[TemplateData, int], int] = {}
        self.origin: dict[int, int] = {}  # a worked part's template -> the whole shift's

    def template_and_paid(self, pin: PinnedShift, whole_template: int) -> tuple[int, int]:
        """The worked part's template index (-1 when the whole shift is outside every template) and paid minutes.

        Parameters
        ----------
        pin : PinnedShift
            The worked part (``pin.cut_from`` is the whole shift).
        whole_template : int
            The whole shift's template index (-1: none).

        Returns
        -------
        tuple of int
            (template index into :attr:`templates`, paid minutes).
        """
        minutes = int((pin.end_utc - pin.start_utc).total_seconds() // 60)
        horizon = self._plan.horizon
        step = horizon.interval_minutes
        start, _ = horizon.grid_span(pin.start_utc, pin.end_utc)
        grid_start = horizon.start_utc + start * pd.Timedelta(minutes=step)
        # minutes after the shift's first interval starts, within the shift (a late arrival's time off may start
        # before it)
        holes = [((max(begin, pin.start_utc) - grid_start).total_seconds() / 60,
                  (min(end, pin.end_utc) - grid_start).total_seconds() / 60) for begin, end in pin.absent]
        away_minutes = int(sum(end - begin for begin, end in holes))
        if pin.cut_from is None or (whole_template < 0 and not holes):
            return -1, minutes
        whole = (self.templates[whole_template] if whole_template >= 0
                 else TemplateData(PINNED_TEMPLATE, PINNED_CODE, ()))
        _, whole_length = horizon.grid_span(pin.cut_from.start_utc, pin.cut_from.end_utc)
        day = (pin.day - horizon.first_day).days
        published = self._plan.whole_shift_breaks((pin.employee_id, day, start, whole_length))
        if published is None or not breaks_fit(published, whole.breaks, whole_length):
            published = None
        cut = pin.end_utc < pin.cut_from.end_utc
        touched = {k for begin, end in holes for k in range(math.floor(begin / step), math.ceil(end / step))}

        def by_cut(offset: int, spec: BreakSpec) -> bool:  # taken before the cut, if the shift was cut
            return not cut or offset * step + spec.minutes <= minutes

        def clear(offset: int, spec: BreakSpec) -> bool:  # on the grid, no interval of the time away
            return touched.isdisjoint(range(offset, offset + spec.length))

        def misses(first: float, last: float) -> bool:  # in real minutes, none of the time away
            return all(last <= begin or end <= first for begin, end in holes)

        kept: list[BreakSpec] = []
        kept_from: list[int] = []  # the whole template's break of each kept one
        fixed: set[int] = set()
        for r, spec in enumerate(whole.breaks):
            offset = None if published is None else published[r]
            if offset is not None and cut and offset * step < minutes < offset * step + spec.minutes and misses(
                    offset * step, minutes):
                # under way at the cut (a lunch the agent went home from): its minutes up to the cut were taken
                taken = minutes - offset * step
                kept.append(dataclasses.replace(spec, minutes=taken, length=math.ceil(taken / step),
                                                offsets=(offset,)))
                kept_from.append(r)
                fixed.update(range(offset, offset + math.ceil(taken / step)))
                continue
            if offset is not None and by_cut(offset, spec) and misses(offset * step, offset * step + spec.minutes):
                kept.append(dataclasses.replace(spec, offsets=(offset,)))  # at its published time, clear of it
                kept_from.append(r)
                fixed.update(range(offset, offset + spec.length))
            elif offset is None or by_cut(offset, spec):
                # taken by the cut wherever in its window (without published times: only a window that ends by
                # it), or still to come, or moved by the time away: where it misses the time away
                if offset is None and cut and not by_cut(max(spec.offsets), spec):
                    continue
                offsets = tuple(o for o in spec.offsets if clear(o, spec) and by_cut(o, spec))
                if not offsets and whole_template >= 0:
                    offsets = self._widened(kept, self._rules[whole_template][r], spec, clear, by_cut)
                if offsets:
                    kept.append(dataclasses.replace(spec, offsets=offsets))
                    kept_from.append(r)
        away = _time_away(holes, step, fixed)
        # named as the whole shift's template (HR and the grid read the shift's kind from it)
        part = TemplateData(whole.name, whole.code, tuple(kept) + away, whole.is_night, tuple(kept_from))
        if (part, whole_template) not in self._index:
            self._index[part, whole_template] = len(self.templates)
            self.origin[len(self.templates)] = whole_template
            self.templates.append(part)
        return self._index[part, whole_template], minutes - away_minutes - sum(
            spec.minutes for spec in kept if not spec.paid)

    def _widened(self, kept: list[BreakSpec], rule: BreakRule, spec: BreakSpec,
                 clear: Callable[[int, BreakSpec], bool], by_cut: Callable[[int, BreakSpec], bool]) -> tuple[int, ...]:
        """The starts a break whose grid window the time away fills may still take: those of its rule's own window
        (the grid window starts after the break before it may end) that miss the time away, after the earliest end
        of the break kept before it, whose window then ends where this one's starts (an agent away over the lunch
        window but at work at its start has the lunch there, and the break before it earlier); none when no such
        start is left. ``kept`` (the breaks kept so far, in order) may have its last one trimmed."""
        step = self._plan.horizon.interval_minutes
        earliest = min(kept[-1].offsets) + kept[-1].length if kept else 0
        first, last = -(-rule.after_start_minutes[0] // step), rule.after_start_minutes[1] // step
        offsets = tuple(o for o in range(max(first, earliest), last + 1) if clear(o, spec) and by_cut(o, spec))
        if offsets and kept:
            kept[-1] = dataclasses.replace(kept[-1], offsets=tuple(o for o in kept[-1].offsets
                                                                   if o + kept[-1].length <= offsets[0]))
        return offsets


def _time_away(holes: list[tuple[float, float]], step: int, fixed: set[int]) -> tuple[BreakSpec, ...]:
    """The time away during a kept shift as fixed unpaid breaks (kind :data:`~scheduler.problem.TIME_AWAY`) on the
    grid: ``holes`` in minutes after the shift's first interval starts; each takes its real minutes and the
    intervals it touches, but those of a break kept at its published time (``fixed``: that break's real minutes
    miss the time away, and it already takes the interval out of coverage; a time away inside it takes none, and
    only its minutes count); two that touch one interval are one."""
    spans: list[list[int]] = []
    for begin, end in sorted(holes):
        first, last = math.floor(begin / step), math.ceil(end / step)
        minutes = round(end - begin)
        if spans and first < spans[-1][1]:
            spans[-1][1], spans[-1][2] = max(spans[-1][1], last), spans[-1][2] + minutes
        else:
            spans.append([first, last, minutes])
    specs = []
    for first, last, minutes in spans:
        while first < last and first in fixed:
            first += 1
        while last > first and last - 1 in fixed:
            last -= 1
        specs.append(BreakSpec(TIME_AWAY, minutes, False, last - first, (first,)))
    return tuple(specs)


def _matching_option(horizon: Horizon, zone: zoneinfo.ZoneInfo, by_key: dict[tuple[int, int, int], int],
                     shift: PinnedShift, d: int) -> int | None:
    """The option that starts ``shift`` at its local time of day on horizon day ``d``, with its length, if any."""
    step = horizon.interval_minutes
    local = shift.start_utc.tz_convert(zone)
    minute = local.hour * 60 + local.minute
    length = math.ceil((shift.end_utc - shift.start_utc) / pd.Timedelta(minutes=step))
    start_utc = _to_utc(horizon.days[d], minute, zone)
    start = math.floor((start_utc - horizon.start_utc) / pd.Timedelta(minutes=step))
    return by_key.get((d, start, length))


def demand_matrix(requirements: pd.DataFrame, plan: Plan) -> np.ndarray:
    """Return integer agents required per queue and interval (``ceil`` of the requirement).

    Intervals or queues absent from the requirements need 0 agents.
    """
    horizon = plan.horizon
    demand = np.zeros((len(plan.queues), horizon.num_intervals), dtype=np.int64)
    if requirements.empty:
        return demand
    index = {q.key: i for i, q in enumerate(plan.queues)}
    step = pd.Timedelta(minutes=horizon.interval_minutes)
    t = ((requirements["start"] - horizon.start_utc) / step).to_numpy()
    q = np.array([index.get(k, -1) for k in zip(requirements["language"], requirements["channel"], strict=True)])
    keep = (q >= 0) & (t >= 0) & (t < horizon.num_intervals) & (t == np.floor(t))
    values = np.ceil(requirements["agents"].to_numpy(dtype=float) - 1e-9).clip(min=0)
    np.maximum.at(demand, (q[keep], t[keep].astype(int)), values[keep].astype(np.int64))
    return demand


def scaled_weights(plan: Plan) -> Weights:
    """Turn the plan's float weights into integers (x100) for CP-SAT."""
    w = plan.config.objective

    def scale(value: float) -> int:
        return round(value * 100)

    return Weights(under_staffing=scale(w.under_staffing), over_staffing=scale(w.over_staffing),
                   headcount=scale(w.headcount), paid_hour=scale(w.paid_hours),
                   contract_deviation_hour=scale(w.contract_deviation), preference=scale(w.preferences),
                   weekend_fairness=scale(w.weekend_fairness), night_fairness=scale(w.night_fairness),
                   open_position=scale(w.open_position), roster_change=scale(w.roster_changes),
                   uncovered_queue=scale(w.uncovered_queue), overtime_hour=scale(w.overtime))


OPEN_POSITION_CONTRACT = "open position"


def _pinned_options(pins: list[PinnedShift], options: list[ShiftOption], horizon: Horizon,
                    templates: list[ShiftTemplate], template_index: dict[str, int], agent: Agent,
                    cut_parts: CutParts | None = None) -> dict[int, int]:
    """Day -> option index of each pinned shift (-1: a pinned day off); options a pin needs are appended.

    A pinned shift is the option of that very shift (start, intervals, paid minutes, template): on its own date,
    else on the day whose template start was rounded down onto that date (an agent whose zone is off the grid by a
    quarter or half hour: the shift is dated by its real start, the option by its template's day), else a new
    option on its date. Shifts are placed first, own dates before other days; a pinned day off then holds where no
    pinned shift took the day (a shift rounded onto the day before leaves its own date without a start).
    """
    pinned: dict[int, int] = {}
    pending: list[tuple[list[int], ShiftOption]] = []
    days_off: list[int] = []
    for pin in pins:
        day = (pin.day - horizon.first_day).days
        if not 0 <= day < horizon.num_days:
            continue
        if pin.start_utc is None:
            days_off.append(day)
            continue
        if pin.start_utc >= horizon.end_utc:  # the agent's last day, but after the plan's: ignored, as validated
            continue
        start, length = horizon.grid_span(pin.start_utc, pin.end_utc)
        t_index, _, paid = _pin_template_and_paid(pin, agent, templates, template_index, cut_parts)
        same = [i for i, o in enumerate(options) if o.start == start and o.length == length
                and o.paid_minutes == paid and (t_index < 0 or o.template == t_index)]
        match = next((i for i in same if options[i].day == day), None)
        if match is not None and day not in pinned:
            pinned[day] = match
        else:
            pending.append((same, ShiftOption(day, t_index, start, length, paid, horizon.days[day].weekday() >= 5)))
    for same, own in pending:
        match = next((i for i in same if options[i].day not in pinned), None)
        if match is None:
            options.append(own)
            match = len(options) - 1
        pinned[options[match].day] = match
    for day in days_off:
        pinned.setdefault(day, -1)
    return pinned


def _pin_template_and_paid(pin: PinnedShift, agent: Agent, templates: list[ShiftTemplate],
                           template_index: dict[str, int], cut_parts: CutParts | None = None) -> tuple[int, int, int]:
    """A pinned shift's template index (-1: outside every template), minutes and paid minutes: the template it names,
    else the agent's own template of that very shift; for the worked part of a shift cut short, the template of its
    own that ``cut_parts`` gives it (the breaks taken before the cut), or none without ``cut_parts``."""
    minutes = int((pin.end_utc - pin.start_utc).total_seconds() // 60)
    if pin.cut_from is not None:
        if cut_parts is None:
            return -1, minutes, minutes
        whole, _, _ = _pin_template_and_paid(pin.cut_from, agent, templates, template_index)
        t_index, paid = cut_parts.template_and_paid(pin, whole)
        return t_index, minutes, paid
    t_index = template_index.get(pin.template or "", -1)
    if t_index < 0:
        t_index = _template_of_shift(pin, agent, templates)
    return t_index, minutes, templates[t_index].paid_minutes(minutes) if t_index >= 0 else minutes


def _template_of_shift(pin: PinnedShift, agent: Agent, templates: list[ShiftTemplate]) -> int:
    """The index of the first of the agent's templates that has this very shift (its local start and its minutes),
    for a pin that names none; -1 when none has it."""
    local = pin.start_utc.tz_convert(zoneinfo.ZoneInfo(agent.time_zone))
    minute = local.hour * 60 + local.minute
    minutes = int((pin.end_utc - pin.start_utc).total_seconds() // 60)
    for t_index, template in enumerate(templates):
        starts = template.start_minutes()
        if template.name in agent.templates and minutes in template.lengths_minutes and (
                minute in starts or minute + 24 * 60 in starts):
            return t_index
    return -1


def open_position_agents(plan: Plan) -> dict[str, tuple[str, Agent]]:
    """Employee id -> (profile, :class:`~inputs.records.Agent`) of every head ``[[open_positions]]`` allows hiring."""
    heads: dict[str, tuple[str, Agent]] = {}
    for position in plan.config.open_positions:
        for k in range(1, position.max_heads + 1):
            employee_id = f"OPEN-{position.profile}-{k}"
            heads[employee_id] = (position.profile, Agent(
                employee_id=employee_id, name=f"open position {position.profile} #{k}",
                site=position.site, time_zone=position.time_zone or plan.horizon.time_zone,
                languages=position.languages, channels=position.channels,
                weekly_min_hours=position.weekly_min_hours, weekly_max_hours=position.weekly_max_hours,
                max_days_per_week=position.max_days_per_week, templates=position.templates,
                contract=OPEN_POSITION_CONTRACT))
    return heads


def overtime_allowed(agent: Agent, rules: LabourRules, *, is_open_position: bool = False) -> tuple[float, int]:
    """The overtime hours and extra days a week the agent may work: the run's ``[rules] overtime_hours_per_week`` and
    ``overtime_days_per_week``, the hours capped by the agent's own ``max_overtime_hours`` (agents file; 0: none at
    all, no extra day either); none for an open position (a hire planned at its contract: overtime would hide the
    heads it needs).

    Parameters
    ----------
    agent : Agent
        The agent.
    rules : LabourRules
        The run's labour rules.
    is_open_position : bool, optional
        Whether the agent is an open position's head.

    Returns
    -------
    tuple of (float, int)
        Hours and days.
    """
    if is_open_position or agent.max_overtime_hours == 0:
        return 0.0, 0
    hours = rules.overtime_hours_per_week
    if agent.max_overtime_hours is not None:
        hours = min(hours, agent.max_overtime_hours)
    return hours, rules.overtime_days_per_week


def build_problem(plan: Plan, requirements: pd.DataFrame) -> ProblemData:
    """Build the scheduling problem of a plan.

    Parameters
    ----------
    plan : Plan
        A validated plan (agents, templates, rules, time off, pins).
    requirements : pandas.DataFrame
        Columns ``start`` (UTC, on the plan grid), ``language``, ``channel``, ``agents``.

    Returns
    -------
    ProblemData
        The problem, with agents grouped by skill set.
    """
    horizon = plan.horizon
    config = plan.config
    step = horizon.interval_minutes
    templates = list(config.shift_templates)
    template_index = {t.name: i for i, t in enumerate(templates)}
    cut_parts = CutParts(plan, templates)
    past = re_plan_start(plan)
    groups: dict[tuple[int, ...], int] = {}
    queue_index = {q.key: i for i, q in enumerate(plan.queues)}
    absences: dict[str, list[TimeOff]] = {}
    for absence in plan.time_off:
        absences.setdefault(absence.employee_id, []).append(absence)
    pins: dict[str, list] = {}
    for pin in plan.pinned:
        pins.setdefault(pin.employee_id, []).append(pin)
    hints: dict[str, list[PinnedShift]] = {}
    for shift in plan.hint_shifts:
        hints.setdefault(shift.employee_id, []).append(shift)
    published: dict[str, list[PinnedShift]] = {}
    for row in plan.published:
        published.setdefault(row.employee_id, []).append(row)
    served: dict[str, dict[tuple[int, int], tuple[int, ...]]] = {}  # the queues of each published shift, by agent
    for (employee_id, day, start, _), queues in plan.published_queues.items():
        served.setdefault(employee_id, {})[day, start] = queues
    rules = config.rules
    weeks = horizon.weeks
    # [rules] overtime_until: overtime in the weeks up to the one holding that day (none before the plan)
    overtime_weeks = (None if rules.overtime_until is None
                      else max(0, (rules.overtime_until - horizon.first_day).days // 7 + 1))
    agents: list[AgentData] = []
    heads = open_position_agents(plan)
    for agent in (*plan.agents, *(head for _, head in heads.values())):
        skills = tuple(queue_index[k] for k in agent.skills(plan.queues))
        if not skills:
            continue
        group = groups.setdefault(skills, len(groups))
        options, blocked = agent_options(agent, plan, templates, absences.get(agent.employee_id, []))
        rested = earliest_start(pins.get(agent.employee_id, []), horizon, rules.min_rest_hours)
        if rested is not None:  # the rest after last week's last shift (a pin inside the plan still holds)
            options = [option for option in options if option.start >= rested]
        if past is not None:  # a re-plan changes nothing before its day and time: only pins start earlier
            options = [option for option in options if option.day >= past[0] and option.start >= past[1]]
            options = with_notice(plan, agent, options, published.get(agent.employee_id, []), past)
        pinned = _pinned_options(pins.get(agent.employee_id, []), options, horizon, templates, template_index, agent,
                                 cut_parts)
        hint = hint_days(plan, agent, options, hints.get(agent.employee_id, []), pinned)
        cut = cut_minutes(pins.get(agent.employee_id, []), agent, horizon, templates, template_index, cut_parts)
        blocked = blocked - cut.keys()  # a day worked in part is no day off: it shrinks the week by what it lost
        unlisted: set[int] = set()
        if past is not None:  # days a re-plan keeps but the kept roster does not list (an agent new to it, whose
            # weekly minimum and target would otherwise count days they cannot work) shrink them as time off does
            unlisted = {d for d in range(min(past[0], horizon.num_days)) if d not in pinned} - blocked
        credits = time_off_credits(agent, horizon, absences.get(agent.employee_id, []), blocked)
        overtime_hours, overtime_days = overtime_allowed(agent, rules, is_open_position=agent.employee_id in heads)
        limits = week_limits(agent, rules, weeks, credits, unlisted, cut,
                             {day: options[o].paid_minutes for day, o in pinned.items() if o >= 0},
                             overtime_hours, overtime_days, overtime_weeks)
        day_limit = days_limit(agent, rules, overtime_days if limits.overtime_from_minutes else 0)
        preferred = frozenset(template_index[n] for n in agent.preferred_templates if n in template_index)
        preferred |= {part for part, whole in cut_parts.origin.items() if whole in preferred}
        days_off = frozenset(d for d, day in enumerate(horizon.days) if day.weekday() in agent.preferred_days_off)
        published_map = published_days(plan, agent, options, published.get(agent.employee_id, []))
        agents.append(AgentData(agent.employee_id, agent.name, group, tuple(options), limits.min_minutes,
                                limits.max_minutes, day_limit, pinned, preferred, days_off,
                                site=agent.site, time_zone=agent.time_zone,
                                hint=hint, is_open_position=agent.employee_id in heads,
                                target_week_minutes=limits.target_minutes, max_days_week=limits.max_days,
                                profile=heads[agent.employee_id][0] if agent.employee_id in heads else "",
                                days_worked_before=days_worked_before(pins.get(agent.employee_id, []), horizon),
                                published=published_map,
                                published_breaks=_published_breaks(plan, agent.employee_id, options,
                                                                   {**published_map, **pinned},
                                                                   cut_parts.templates),
                                published_queues=_published_queues(served.get(agent.employee_id, {}), options,
                                                                   pinned, skills),
                                overtime_from_minutes=limits.overtime_from_minutes,
                                leave_minutes=paid_leave_minutes(agent, rules, credits, cut)))
    local = horizon.intervals_utc.tz_convert(horizon.time_zone)
    day_of_interval = np.array([(d - horizon.first_day).days for d in local.date], dtype=int)
    return ProblemData(
        interval_minutes=step, num_intervals=horizon.num_intervals, num_days=horizon.num_days,
        start_utc=horizon.start_utc, queue_names=tuple(q.name for q in plan.queues),
        queue_priority=tuple(round(q.priority * 100) for q in plan.queues),
        live_queues=tuple(q.kind in LIVE_KINDS for q in plan.queues),
        demand=demand_matrix(requirements, plan),
        groups=tuple(sorted(groups, key=groups.__getitem__)), agents=tuple(agents),
        templates=tuple(cut_parts.templates),
        min_rest_intervals=math.ceil(rules.min_rest_hours * 60 / step),
        max_consecutive_days=rules.max_consecutive_days, weights=scaled_weights(plan),
        day_of_interval=day_of_interval, first_day=horizon.first_day,
    )
