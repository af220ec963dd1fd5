"""Pinned shifts that alone break a labour rule, as plan problems located at the pins' files and rows.

A pin is the lead's decision and holds whatever else is rostered, so pins that by themselves leave less than the
minimum rest, pass a week's hours or days, or the days allowed in a row, make the plan infeasible. The scheduler
finds them before it builds a roster (:func:`scheduler.cpsat.explain.explain_pinned`) and names its rules by their
dates; ``validate`` and ``solve`` report them here instead, as problems of the files that hold the pins (the plan's
roster, a re-plan's kept shifts), each with the rows involved, the value that breaks the rule and the fix, every
broken rule of an agent (the scheduler's explanation names one conflicting set).

The scheduler's own model of the pins is used (:func:`scheduler.build.build_problem`: the pins on the plan's grid,
with their templates' paid minutes, the days worked in a row before the plan, the agent's weekly limits) and its
test of them (:func:`scheduler.cpsat.explain.pins_break_a_limit`), so ``validate`` refuses exactly the pins ``solve``
would. Demand plays no part in it: the problem is built with none, for the agents whose pins come near a limit on
the clock (building every agent's shift options would cost seconds on a plan of 150 agents).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import math
from collections.abc import Iterable

import pandas as pd

from inputs.problems import Problem
from inputs.records import Agent, PinnedShift, Plan
from scheduler.build import build_problem
from scheduler.cpsat.explain import pins_break_a_limit, week_room
from scheduler.problem import AgentData, ProblemData, ShiftOption

#: Requirements of no agent anywhere: whether pins break a rule does not depend on demand.
NO_DEMAND = pd.DataFrame({"start": pd.Series(dtype="datetime64[ns, UTC]"), "language": pd.Series(dtype=str),
                          "channel": pd.Series(dtype=str), "agents": pd.Series(dtype=float)})

#: How far (in planning intervals) the grid may move a pin: its start rounded down and its end rounded up, and the
#: minimum rest rounded up to whole intervals.
GRID_SLACK_INTERVALS = 3


def pinned_rule_problems(plan: Plan) -> list[Problem]:
    """The problems of the pins that alone break one of their agent's rules (see the module's docstring).

    Parameters
    ----------
    plan : Plan
        The plan as read (also with rows refused elsewhere: fewer pins can only break fewer rules).

    Returns
    -------
    list of Problem
        One error per broken rule and agent (a pair of shifts too close, a week, a run of days), located at the pin
        that breaks it, in the order of the agents file.
    """
    pins: dict[str, list[PinnedShift]] = {}
    for pin in plan.pinned:
        pins.setdefault(pin.employee_id, []).append(pin)
    suspects = tuple(agent for agent in plan.agents if _may_break_a_limit(plan, agent, pins.get(agent.employee_id, [])))
    if not suspects:
        return []
    config = plan.config.model_copy(update={"open_positions": ()})
    problem = build_problem(dataclasses.replace(plan, agents=suspects, config=config), NO_DEMAND)
    by_id = {agent.employee_id: agent for agent in suspects}
    problems: list[Problem] = []
    for a, data in enumerate(problem.agents):
        if pins_break_a_limit(problem, a):
            problems.extend(_AgentPins(plan, problem, data, by_id[data.employee_id],
                                       pins[data.employee_id]).problems())
    return problems


def _may_break_a_limit(plan: Plan, agent: Agent, pins: list[PinnedShift]) -> bool:
    """Whether an agent's pins, on the clock and by their dates, come near a limit: shifts on two dates less than
    the minimum rest and the grid's slack apart, a week of dates (and the day after, where a pin may be rounded
    back onto) with more clock hours or shifts than the agent's week allows, a run of dates as long as the days
    allowed in a row, or a shift starting in the first interval after midnight (which the grid may place on the day
    before). Conservative: every agent whose pins break a limit on the plan's grid is among them."""
    shifts = sorted((pin for pin in pins if pin.start_utc is not None), key=lambda pin: pin.start_utc)
    if not shifts:
        return False
    rules = plan.config.rules
    slack = pd.Timedelta(minutes=GRID_SLACK_INTERVALS * plan.horizon.interval_minutes)
    rest = pd.Timedelta(hours=rules.min_rest_hours) + slack
    if any(second.day != first.day and second.start_utc - first.end_utc < rest
           for first, second in itertools.pairwise(shifts)):
        return True
    most_minutes = min(agent.weekly_max_hours, rules.weekly_max_hours) * 60
    most_days = min(agent.max_days_per_week, 7 - rules.min_days_off_per_week)
    first_day = plan.horizon.first_day
    for week in range(plan.horizon.weeks):
        near = [pin for pin in shifts if 7 * week <= (pin.day - first_day).days <= 7 * week + 7]
        minutes = sum((pin.end_utc - pin.start_utc).total_seconds() / 60 for pin in near)
        if minutes > most_minutes or len(near) > most_days:
            return True
    step = plan.horizon.interval_minutes
    if any(local.hour * 60 + local.minute < step for local in (pin.start_utc.tz_convert(agent.time_zone)
                                                                 for pin in shifts)):
        return True  # a start just after midnight may be placed on the day before, closing a gap between dates
    dates = sorted({pin.day for pin in shifts})
    run = longest = 1
    for before, after in itertools.pairwise(dates):
        run = run + 1 if (after - before).days == 1 else 1
        longest = max(longest, run)
    if longest >= rules.max_consecutive_days:
        return True
    # a week whose pinned shifts and days off leave too little room for the minimum (the longest paid shift of the
    # agent's templates on every day not pinned, the slack of the grid aside)
    paid = max((t.paid_minutes(length) for t in plan.config.shift_templates if t.name in agent.templates
                for length in t.lengths_minutes), default=0)
    pinned_days = {pin.day: pin for pin in pins}
    for week in range(plan.horizon.weeks):
        days = [first_day + dt.timedelta(days=7 * week + d) for d in range(7)]
        worked = sum((pinned_days[d].end_utc - pinned_days[d].start_utc).total_seconds() / 60 for d in days
                     if d in pinned_days and pinned_days[d].start_utc is not None)
        free = min(sum(d not in pinned_days for d in days), max(most_days - sum(
            d in pinned_days and pinned_days[d].start_utc is not None for d in days), 0))
        if worked + free * paid < agent.weekly_min_hours * 60 + GRID_SLACK_INTERVALS * plan.horizon.interval_minutes:
            return True
    return False


@dataclasses.dataclass
class _AgentPins:
    """One agent's pins as the scheduler places them, and the problems of the rules they break."""

    plan: Plan
    problem: ProblemData
    data: AgentData
    agent: Agent
    rows: list[PinnedShift]

    def __post_init__(self) -> None:
        horizon = self.plan.horizon
        by_span = {horizon.grid_span(pin.start_utc, pin.end_utc): pin for pin in self.rows
                   if pin.start_utc is not None and horizon.first_day <= pin.day}
        by_date = {pin.day: pin for pin in self.rows if pin.start_utc is not None}
        placed = sorted((self.data.options[o] for o in self.data.pinned.values() if o >= 0),
                        key=lambda option: option.start)
        #: Each pinned shift inside the plan as the scheduler places it, with the row it comes from.
        self.shifts: list[tuple[ShiftOption, PinnedShift]] = []
        for option in placed:
            row = by_span.get((option.start, option.length)) or by_date.get(horizon.days[option.day])
            if row is not None:
                self.shifts.append((option, row))

    def problems(self) -> list[Problem]:
        """Every rule the agent's pins break, one problem each."""
        return [*self._rest(), *self._weeks(), *self._days_in_a_row(), *self._minimum()]

    def _fix(self, pin: PinnedShift, change: str, loosen: str) -> str:
        """How to fix a broken rule: change the pins, or loosen the rule; for a row a re-plan keeps from the
        published roster (worked, or announced), re-plan from its day instead of changing it."""
        if pin.file == self.plan.config.files.roster:
            return f"{change}, or {loosen}"
        return (f"the row is kept from the published roster: re-plan from {pin.day} or earlier (--keep-before), so "
                f"that it is planned anew, or {loosen}")

    def _local(self, moment: pd.Timestamp) -> pd.Timestamp:
        return moment.tz_convert(self.agent.time_zone)

    def _rest(self) -> Iterable[Problem]:
        """Two pinned shifts, one after the other, with less than the minimum rest between them."""
        rest = self.problem.min_rest_intervals
        hours = self.plan.config.rules.min_rest_hours
        step = self.problem.interval_minutes
        for (first, before), (second, pin) in itertools.pairwise(self.shifts):
            if not (second.day > first.day and second.start < first.end + rest):
                continue
            apart = (pin.start_utc - before.end_utc) / pd.Timedelta(hours=1)
            on_grid = "" if apart < hours else (
                f", {(second.start - first.end) * step / 60:g} h once that shift's end is rounded up to the plan's "
                f"{step}-minute grid")
            yield Problem(pin.file, f"pins a shift that starts {apart:g} h after the agent's shift of {before.day} "
                          f"({_row(before, pin.file)}) ends at {self._local(before.end_utc):%Y-%m-%d %H:%M}{on_grid}, "
                          f"less than the {hours:g} h minimum rest",
                          self._fix(pin, "move or remove one of the two shifts", "lower [rules] min_rest_hours"),
                          row=pin.row, column="start", value=f"{self._local(pin.start_utc):%H:%M}")

    def _weeks(self) -> Iterable[Problem]:
        """A week of the plan with more paid hours, or more working days, pinned than the agent may work."""
        days = self.plan.horizon.days
        rules = self.plan.config.rules
        for week in range(self.problem.num_weeks):
            shifts = [(option, pin) for option, pin in self.shifts if 7 * week <= option.day < 7 * week + 7]
            if not shifts:
                continue
            last = shifts[-1][1]
            count = len(shifts)
            where = (f"week {week + 1} ({days[7 * week]} to {days[min(7 * week + 6, len(days) - 1)]}), "
                     f"{_rows([pin for _, pin in shifts], last.file)}")
            paid = sum(option.paid_minutes for option, _ in shifts)
            most = self.data.max_week_minutes[week]
            if paid > most:
                source, fix = self._limit(self.agent.weekly_max_hours, rules.weekly_max_hours, "weekly_max_hours",
                                          "[rules] weekly_max_hours", "raise [rules] weekly_max_hours")
                if self.data.overtime_from_minutes:  # the run's overtime is in the week's maximum already
                    extra = (most - self.data.overtime_from_minutes[week]) / 60
                    source += f", with {round(extra, 2):g} h of overtime"
                elif self.agent.weekly_max_hours < rules.weekly_max_hours:
                    fix += ", or allow overtime ([rules] overtime_hours_per_week, or solve --overtime HOURS)"
                yield Problem(last.file, f"pins {count} shift{_s(count)} of {self.agent.employee_id} in {where}, "
                              f"with {paid / 60:g} paid hours, more than the {round(most / 60, 2):g} h a week the "
                              f"agent may work ({source})",
                              self._fix(last, "remove or shorten one of these pinned shifts", fix),
                              row=last.row, column="date", value=str(last.day))
            limit = self.data.max_days_in_week(week)
            if count > limit:
                source, fix = self._limit(self.agent.max_days_per_week, 7 - rules.min_days_off_per_week,
                                          "max_days_per_week",
                                          f"[rules] min_days_off_per_week = {rules.min_days_off_per_week}",
                                          "lower [rules] min_days_off_per_week")
                yield Problem(last.file, f"pins {count} working days of {self.agent.employee_id} in {where}, more "
                              f"than the {limit} days a week the agent may work ({source})",
                              self._fix(last, "unpin one of these days (pin a day off instead)", fix),
                              row=last.row, column="date", value=str(last.day))

    def _minimum(self) -> Iterable[Problem]:
        """A week whose pinned shifts and days off leave less room than the agent's weekly minimum
        (:func:`scheduler.cpsat.explain.week_room`: the pinned shifts, and the longest shift on each day not pinned,
        as many as the days a week allow)."""
        days = self.plan.horizon.days
        a = next(i for i, data in enumerate(self.problem.agents) if data is self.data)
        for week in range(self.problem.num_weeks):
            room, least = week_room(self.problem, a, week), self.data.min_week_minutes[week]
            if room >= least:
                continue
            dates = set(days[7 * week:7 * week + 7])
            pins = sorted((pin for pin in self.rows if pin.day in dates), key=lambda pin: (pin.day, pin.row or 0))
            if not pins:
                continue
            last = pins[-1]
            offs = sum(pin.start_utc is None for pin in pins)
            yield Problem(last.file, f"pins {self.agent.employee_id}'s week {week + 1} ({days[7 * week]} to "
                          f"{days[min(7 * week + 6, len(days) - 1)]}), {_rows(pins, last.file)}: with {offs} day"
                          f"{_s(offs)} off and {len(pins) - offs} shift{_s(len(pins) - offs)} pinned, at most "
                          f"{round(room / 60, 2):g} paid hours are left, below the {round(least / 60, 2):g} h a week "
                          "the agent must work "
                          f"once scheduled (weekly_min_hours {self.agent.weekly_min_hours:g} in "
                          f"{self.plan.config.files.agents}, {_agent_row(self.agent)}"
                          f"{', less their time off that week' if least < self.agent.weekly_min_hours * 60 else ''})",
                          self._fix(last, "unpin one of these days off", "lower the agent's weekly_min_hours"),
                          row=last.row, column="date", value=str(last.day))

    def _limit(self, own: float, plan_wide: float, column: str, rule: str, rule_fix: str) -> tuple[str, str]:
        """Where a weekly limit comes from, the agent's cell or ``[rules]`` (both when they are equal: a blank cell
        takes the rule), and how to loosen it."""
        cell = f"{column} in {self.plan.config.files.agents}, {_agent_row(self.agent)}"
        own_fix = f"raise the agent's {column}"
        if own < plan_wide:
            return cell, own_fix
        if plan_wide < own:
            return rule, rule_fix
        return f"{cell}, and {rule}", f"{own_fix} and {rule_fix}"

    def _days_in_a_row(self) -> Iterable[Problem]:
        """A run of pinned days longer than the days allowed in a row, counting those worked up to the plan."""
        most = self.problem.max_consecutive_days
        before = self.data.days_worked_before
        first_day = self.plan.horizon.first_day
        earlier = sorted((pin for pin in self.rows if pin.start_utc is not None and pin.day < first_day),
                         key=lambda pin: pin.day)
        earlier = [pin for pin in earlier if (first_day - pin.day).days <= before]
        runs: list[list[tuple[ShiftOption, PinnedShift]]] = []
        for option, pin in sorted(self.shifts, key=lambda shift: shift[0].day):
            if runs and option.day == runs[-1][-1][0].day + 1:
                runs[-1].append((option, pin))
            else:
                runs.append([(option, pin)])
        for run in runs:
            counted = before if run[0][0].day == 0 else 0
            if len(run) + counted <= most:
                continue
            last = run[-1][1]
            days = self.plan.horizon.days
            span = f"{days[run[0][0].day]} to {days[run[-1][0].day]}" if len(run) > 1 else str(days[run[0][0].day])
            rows = _rows([pin for _, pin in run], last.file)
            also = ""
            if counted:
                also = (f", after the {counted} day{_s(counted)} worked in a row up to the plan"
                        f"{f' ({_rows(earlier, last.file)})' if earlier else ''}")
            yield Problem(last.file, f"pins {self.agent.employee_id} to work {len(run) + counted} days in a row: "
                          f"{span} ({rows}){also}, more than the {most} days in a row [rules] max_consecutive_days "
                          "allows",
                          self._fix(last, "unpin one of the run's days in the plan (pin a day off instead)",
                                    "raise [rules] max_consecutive_days"),
                          row=last.row, column="date", value=str(last.day))


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def _agent_row(agent: Agent) -> str:
    return f"row {agent.row}" if agent.row is not None else "its row"


def _row(pin: PinnedShift, file: str) -> str:
    """``row 3``, or ``row 3 of FILE`` when the pin is in another file than ``file``."""
    return f"row {pin.row}" + ("" if pin.file == file else f" of {pin.file}")


def _rows(pins: list[PinnedShift], file: str) -> str:
    """The pins' rows, those of ``file`` first, runs of rows as ``rows 2 to 7``; the others ``... of FILE``."""
    by_file: dict[str, list[int]] = {}
    for pin in pins:
        by_file.setdefault(pin.file, []).append(pin.row or 0)
    parts = []
    for name in sorted(by_file, key=lambda name: name != file):
        numbers = sorted(set(by_file[name]))
        spans: list[str] = []
        start = previous = numbers[0]
        for number in [*numbers[1:], math.inf]:
            if number != previous + 1:
                spans.append(str(start) if start == previous else
                             f"{start} and {previous}" if previous == start + 1 else f"{start} to {previous}")
                start = number
            previous = number
        text = f"row{_s(len(numbers))} {', '.join(spans)}"
        parts.append(text if name == file else f"{text} of {name}")
    return "; ".join(parts)
