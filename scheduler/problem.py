"""``ProblemData``: everything the scheduler needs, as plain validated data (no solver import).

Time is integer inside: interval ``t`` is ``[start_utc + t·I, start_utc + (t+1)·I)`` on the
plan's clock (UTC), day ``d`` is the ``d``-th local day of the horizon. A shift *option* is one
way an agent may work on one of their local days: a template, a start and a length, already
placed on the UTC interval grid (agents work in their own time zones; DST is handled when
options are built, see :mod:`scheduler.options`).

Breaks occupy whole intervals: on a grid coarser than a break (a 15-minute break on a
30-minute grid) the agent is off the queue for the whole interval, a conservative reading
that the roster checker applies the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

#: The kind of a :class:`BreakSpec` that stands for time away during a kept shift (``PinnedShift.absent``: an agent
#: who came back): out of coverage and unpaid, and shown as the time off it is, not as a break.
TIME_AWAY = "time off"


@dataclass(frozen=True, slots=True)
class BreakSpec:
    """A break rule placed on the grid: lengths and allowed start offsets in intervals.

    Attributes
    ----------
    kind : str
        ``"break"`` or ``"lunch"``.
    minutes : int
        Length in minutes.
    paid : bool
        Whether the break is paid.
    length : int
        Intervals taken out of coverage (``ceil(minutes / I)``).
    offsets : tuple of int
        Allowed starts, in intervals after the shift start.
    """

    kind: str
    minutes: int
    paid: bool
    length: int
    offsets: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class TemplateData:
    """A shift template on the grid.

    ``whole_breaks`` is set for the worked part of a kept shift in a re-plan (cut short, or with time away): the
    index, among the breaks of its whole shift's template, of each of its own breaks in order (its time away, after
    them, has none).
    """

    name: str
    code: str
    breaks: tuple[BreakSpec, ...]
    is_night: bool = False
    whole_breaks: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class ShiftOption:
    """One shift an agent may work.

    Attributes
    ----------
    day : int
        Local day of the shift start (index in the horizon).
    template : int
        Index into ``ProblemData.templates`` (``-1`` for a pinned shift outside every template).
    start : int
        First interval (may be negative or run past the horizon at its edges).
    length : int
        Intervals from start to end, breaks included.
    paid_minutes : int
        Paid minutes (unpaid breaks removed).
    is_weekend : bool
        Whether the local day is a Saturday or Sunday.
    """

    day: int
    template: int
    start: int
    length: int
    paid_minutes: int
    is_weekend: bool = False

    @property
    def end(self) -> int:
        """First interval after the shift."""
        return self.start + self.length

    @property
    def key(self) -> tuple[int, int, int]:
        """(start, length, template): agents of a group with the same key are interchangeable."""
        return (self.start, self.length, self.template)


@dataclass(frozen=True)
class AgentData:
    """An agent as the model sees them.

    Attributes
    ----------
    employee_id, name : str
        Identity.
    group : int
        Index of the agent's skill group (agents with the same set of queues).
    options : tuple of ShiftOption
        Every shift the agent may work (time off, availability and templates applied).
    min_week_minutes, max_week_minutes : tuple of int
        Paid minutes per horizon week (the minimum applies only when the agent is scheduled, and only in weeks
        where the agent has a shift option: :class:`ProblemData` sets it to 0 in the others).
    max_days_per_week : int
        Most working days in a horizon week: the contract's days, and 7 minus the plan's days off a week, whichever
        is fewer. A week's whole days of time off count against it (:meth:`max_days_in_week`).
    pinned : dict
        Day -> option index that must be worked, or ``-1`` for a pinned day off.
    preferred_templates : frozenset of int
        Templates the agent prefers (empty: no preference).
    preferred_days_off : frozenset of int
        Horizon days the agent prefers off.
    hint : dict
        Day -> option index to start the search from (last week's roster).
    site, time_zone : str
        Where the agent works, for outputs.
    is_open_position : bool
        An open position (headcount planning) rather than a named agent.
    profile : str
        The open position's profile (heads of one profile are interchangeable).
    target_week_minutes : tuple of int
        Contracted paid minutes per week; a scheduled agent below it is penalised (empty: none). Like the
        minimum, 0 in weeks where the agent has no shift option.
    days_worked_before : int
        Consecutive days the agent worked up to the day before the plan (last week's roster): they count
        towards the maximum consecutive days (:meth:`ProblemData.consecutive_day_windows`).
    published : dict
        Day -> what the published roster of a re-plan gave the agent that day: an option index, ``-1`` for a day
        off, or :data:`LOST_SHIFT` for a shift no option matches any more (time off, a changed template). A day
        worked otherwise costs ``roster_change`` (:func:`changed_days`).
    published_breaks : dict
        Day -> the break start offsets the published roster's result file gives the agent's published or pinned shift
        of that day, one per break rule of its template: a re-plan starts from them, and its kept shifts keep them.
    published_queues : dict
        Day -> the queue the published roster's result file has the agent's pinned (kept) shift of that day serve in
        each of its intervals (:data:`~scheduler.roster.OFF_QUEUE` on a break), each one of the agent's skills: the
        intervals of a re-plan's past keep them.
    max_days_week : tuple of int
        Most working days in each horizon week when time off takes some (:mod:`scheduler.week_limits`; empty:
        :attr:`max_days_per_week` in every week).
    overtime_from_minutes : tuple of int
        Per horizon week, the paid minutes above which the agent works overtime (the contract's maximum, less its
        time off), each minute above costing :attr:`Weights.overtime_hour`; :attr:`max_week_minutes` then allows
        ``[rules] overtime_hours_per_week`` more. Empty: no overtime (the plan allows none, or the agent has no
        contract below the plan's weekly maximum).
    leave_minutes : dict
        Horizon day -> paid minutes of time off the plan credits the agent that day (:func:`scheduler.week_limits.
        paid_leave_minutes`): HR's paid leave, for the outputs; the solve does not read it.
    """

    employee_id: str
    name: str
    group: int
    options: tuple[ShiftOption, ...]
    min_week_minutes: tuple[int, ...]
    max_week_minutes: tuple[int, ...]
    max_days_per_week: int
    pinned: dict[int, int] = field(default_factory=dict)
    preferred_templates: frozenset[int] = frozenset()
    preferred_days_off: frozenset[int] = frozenset()
    hint: dict[int, int] = field(default_factory=dict)
    site: str = ""
    time_zone: str = "UTC"
    is_open_position: bool = False
    target_week_minutes: tuple[int, ...] = ()
    profile: str = ""
    days_worked_before: int = 0
    published: dict[int, int] = field(default_factory=dict)
    published_breaks: dict[int, tuple[int, ...]] = field(default_factory=dict)
    published_queues: dict[int, tuple[int, ...]] = field(default_factory=dict)
    max_days_week: tuple[int, ...] = ()
    overtime_from_minutes: tuple[int, ...] = ()
    leave_minutes: dict[int, int] = field(default_factory=dict)

    def max_days_in_week(self, week: int) -> int:
        """Most working days in horizon week ``week``: :attr:`max_days_per_week`, less the week's days of time off
        (a 5-day contract with two days of vacation works at most 3 days that week)."""
        return self.max_days_week[week] if self.max_days_week else self.max_days_per_week

    def overtime_minutes(self, week: int, paid_minutes: int) -> int:
        """Paid minutes of horizon week ``week`` worked above :attr:`overtime_from_minutes` (0 without overtime),
        for a week of ``paid_minutes``."""
        return max(0, paid_minutes - self.overtime_from_minutes[week]) if self.overtime_from_minutes else 0


#: In :attr:`AgentData.published`: a published shift that no option of the agent matches (it changes whatever the
#: roster does).
LOST_SHIFT = -2


def changed_days(agent: AgentData, worked: dict[int, int]) -> list[int]:
    """The days the roster changes from the agent's published one: a shift moved, added on a published day off,
    or dropped (``worked``: day -> option index of the agent's shifts)."""
    return [day for day, published in sorted(agent.published.items()) if worked.get(day, -1) != published]


def published_shifts_count(agent: AgentData) -> int:
    """The agent's published shifts (lost ones included): each is a change unless worked, the constant beside
    :func:`change_share`."""
    return sum(published >= 0 or published == LOST_SHIFT for published in agent.published.values())


def change_share(agent: AgentData, o: int) -> int:
    """Option ``o``'s share of the agent's changes from the published roster, beside the constant 1 of each published
    shift: -1 for the published shift of its day (worked, it is no change), 1 for a shift on a published day off,
    else 0. Linear in the options worked, so the search's option costs and the MIP's columns can carry it."""
    published = agent.published.get(agent.options[o].day)
    return -1 if published == o else 1 if published == -1 else 0


def narrowed_published(agent: AgentData, keep: list[int] | tuple[int, ...]) -> dict[int, int]:
    """:attr:`AgentData.published` for the agent with only the options ``keep`` (old indices, in their new
    order): a published shift among them gets its new index, one left out becomes :data:`LOST_SHIFT`."""
    index = {o: i for i, o in enumerate(keep)}
    return {day: (index.get(option, LOST_SHIFT) if option >= 0 else option)
            for day, option in agent.published.items()}


@dataclass(frozen=True)
class Weights:
    """Integer objective weights (the plan's float weights, scaled by 100 and rounded).

    ``uncovered_queue`` is 0 here (the plan's default is the under-staffing weight,
    :func:`scheduler.build.scaled_weights`) so that problems built by hand, the tests' and the benchmarks', keep their
    objectives unless they ask for it.
    """

    under_staffing: int = 100_000
    over_staffing: int = 100
    headcount: int = 10_000
    paid_hour: int = 100
    contract_deviation_hour: int = 500
    preference: int = 200
    weekend_fairness: int = 300
    night_fairness: int = 300
    open_position: int = 20_000
    roster_change: int = 0
    uncovered_queue: int = 0
    overtime_hour: int = 0


@dataclass(frozen=True)
class ProblemData:
    """The scheduling problem.

    Attributes
    ----------
    interval_minutes : int
        Grid step.
    num_intervals, num_days : int
        Horizon size.
    start_utc : object
        First instant (a ``pandas.Timestamp``), for converting back.
    queue_names : tuple of str
        ``lang/channel`` per queue.
    queue_priority : tuple of int
        Under-staffing weight multiplier per queue (scaled by 100).
    demand : numpy.ndarray
        ``(num_queues, num_intervals)`` integer agents required.
    groups : tuple of tuple of int
        Queue indices of each skill group.
    agents : tuple of AgentData
        The agents (named, or open positions in headcount-planning mode).
    templates : tuple of TemplateData
        Templates, indexed by ``ShiftOption.template``.
    min_rest_intervals : int
        Minimum rest between two shifts, in intervals (rounded up).
    max_consecutive_days : int
        Most working days in a row.
    weights : Weights
        Objective weights.
    day_of_interval : numpy.ndarray
        Plan-local day index of each interval (for reports).
    outside_on_shift, outside_on_break : numpy.ndarray or None
        ``(num_groups, num_intervals)``: agents of each skill group on shift, and on break, whom this
        problem does not schedule (the fixed part of a large-neighbourhood step), for the rule that
        a group of two or more on shift is never all on break. None: nobody outside.
    first_day : datetime.date or None
        The plan's first calendar day (day index 0 of the options), for naming days in words; None in problems
        built without a plan (day indices are then named as such).
    outside_coverage : numpy.ndarray or None
        ``(num_queues, num_intervals)``: agents this problem does not schedule who serve each queue (the fixed part
        of a large-neighbourhood step, whose coverage :attr:`demand` already leaves out). A queue they serve is not
        left dark whatever this problem does, so it costs no ``uncovered_queue`` (:meth:`can_go_dark`). None: nobody.
    live_queues : tuple of bool or None
        Per queue, whether ``uncovered_queue`` applies to it: the live ones (phone, chat), whose contacts go
        unanswered while nobody is on the queue; a deferred queue's (e-mail, social) wait in its backlog, so nobody
        on it costs its under-staffing only. None: every queue (problems built without a plan).
    """

    interval_minutes: int
    num_intervals: int
    num_days: int
    start_utc: object
    queue_names: tuple[str, ...]
    queue_priority: tuple[int, ...]
    demand: np.ndarray
    groups: tuple[tuple[int, ...], ...]
    agents: tuple[AgentData, ...]
    templates: tuple[TemplateData, ...]
    min_rest_intervals: int
    max_consecutive_days: int
    weights: Weights = Weights()
    day_of_interval: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    outside_on_shift: np.ndarray | None = None
    outside_on_break: np.ndarray | None = None
    first_day: dt.date | None = None
    outside_coverage: np.ndarray | None = None
    live_queues: tuple[bool, ...] | None = None

    def __post_init__(self) -> None:
        if self.demand.shape != (len(self.queue_names), self.num_intervals):
            raise ValueError(f"demand has shape {self.demand.shape}, expected "
                             f"({len(self.queue_names)}, {self.num_intervals})")
        if (self.demand < 0).any():
            raise ValueError("demand must be non-negative")
        for agent in self.agents:
            if not 0 <= agent.group < len(self.groups):
                raise ValueError(f"agent {agent.employee_id} has unknown group {agent.group}")
        # a break that could run past its shift's end would take an agent off duty who is not on shift (the
        # queue hand-out and the checker count on breaks inside shifts): refused here, with where it is
        reach = [max((spec.offsets[-1] + spec.length for spec in template.breaks), default=0)
                 for template in self.templates]
        for agent in self.agents if any(reach) else ():  # (the check costs milliseconds: only with breaks)
            for option in agent.options:
                if option.template >= 0 and option.length < reach[option.template]:
                    template = self.templates[option.template]
                    raise ValueError(f"agent {agent.employee_id}: a '{template.name}' shift of {option.length} "
                                     f"intervals on day {option.day}, but the template's breaks may end "
                                     f"{reach[option.template]} intervals after its start")
        # a week in which an agent has no shift to work (time off, availability, the horizon) asks no minimum and no
        # contract hours of him: held here once, so the model, the MIP, the heuristics and the checker agree
        agents = tuple(_without_empty_week_minimums(agent) for agent in self.agents)
        if any(new is not old for new, old in zip(agents, self.agents, strict=True)):
            object.__setattr__(self, "agents", agents)

    def can_go_dark(self) -> np.ndarray:
        """``(num_queues, num_intervals)`` booleans: where nobody on a queue costs ``uncovered_queue`` (a live queue,
        :attr:`live_queues`, has demand and nobody outside the problem serves it, :attr:`outside_coverage`)."""
        live = self.demand >= 1
        if self.live_queues is not None:
            live &= np.asarray(self.live_queues, dtype=bool)[:, None]
        return live if self.outside_coverage is None else live & (self.outside_coverage <= 0)

    @property
    def num_queues(self) -> int:
        """Number of queues."""
        return len(self.queue_names)

    def day_name(self, day: int) -> str:
        """Day index ``day`` in words: ``Mon 2026-03-23`` (``day 3`` without :attr:`first_day`)."""
        if self.first_day is None:
            return f"day {day}"
        date = self.first_day + dt.timedelta(days=day)
        return f"{date:%a} {date.isoformat()}"

    def interval_name(self, t: int) -> str:
        """Interval ``t`` in words: ``Wed 2026-03-25 10:00 UTC`` (``interval 58`` without :attr:`first_day`)."""
        if self.first_day is None or self.start_utc is None:
            return f"interval {t}"
        moment = pd.Timestamp(self.start_utc) + pd.Timedelta(minutes=t * self.interval_minutes)
        moment = moment.tz_localize("UTC") if moment.tzinfo is None else moment.tz_convert("UTC")
        return f"{moment:%a %Y-%m-%d %H:%M} UTC"

    def week_name(self, week: int) -> str:
        """Week index ``week`` (from 0) in words: ``week 2 (from Mon 2026-03-30)``, counted from 1."""
        return f"week {week + 1}" + ("" if self.first_day is None else f" (from {self.day_name(7 * week)})")

    @property
    def num_weeks(self) -> int:
        """Number of horizon weeks."""
        return (self.num_days + 6) // 7

    def consecutive_day_windows(self, agent: AgentData) -> list[tuple[range, int]]:
        """The consecutive-days rule as windows of days, each with the most of its days the agent may work.

        Every window of ``m + 1`` days inside the plan holds at most ``m`` working days (``m`` =
        :attr:`max_consecutive_days`). An agent who worked ``k`` = :attr:`AgentData.days_worked_before` days in a
        row up to the plan has one window more, from ``k`` days before it: days ``0..d`` with ``d = max(m - k, 0)``
        hold at most ``d`` (the windows that start later before the plan are implied by it; none when ``d`` is past
        the plan's last day).
        """
        most = self.max_consecutive_days
        windows = [(range(first, first + most + 1), most) for first in range(self.num_days - most)]
        if agent.days_worked_before > 0:
            last = max(most - agent.days_worked_before, 0)
            if last < self.num_days:
                windows.insert(0, (range(last + 1), last))
        return windows

    def break_intervals(self, option: ShiftOption, offsets: tuple[int, ...], *,
                        time_away: bool = True) -> list[int]:
        """Return the intervals an option's breaks occupy, given one start offset per break rule; with
        ``time_away=False`` without the time away during a kept shift (kind :data:`TIME_AWAY`), which is out of
        coverage but not a break for the rule that never all of a team are on break at once."""
        if option.template < 0:
            return []
        taken: list[int] = []
        for spec, offset in zip(self.templates[option.template].breaks, offsets, strict=True):
            if time_away or spec.kind != TIME_AWAY:
                taken.extend(range(option.start + offset, option.start + offset + spec.length))
        return taken


def _without_empty_week_minimums(agent: AgentData) -> AgentData:
    """``agent`` with the minimum and the contract target set to 0 in every week where he has no shift option
    (the same object when nothing changes)."""
    if len(agent.min_week_minutes) == 1 and agent.options:  # one week, and options in it: nothing to change
        return agent
    weeks = {option.day // 7 for option in agent.options}
    minimum = tuple(m if week in weeks else 0 for week, m in enumerate(agent.min_week_minutes))
    target = tuple(t if week in weeks else 0 for week, t in enumerate(agent.target_week_minutes))
    if minimum == agent.min_week_minutes and target == agent.target_week_minutes:
        return agent
    return replace(agent, min_week_minutes=minimum, target_week_minutes=target)
