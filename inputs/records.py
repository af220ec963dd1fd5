"""Typed, immutable records of a validated plan.

Instants are UTC inside (``pandas.Timestamp`` with ``tz="UTC"``); local dates and clock
times appear only where a person wrote them (a time-off day, a pinned roster day) and are
converted at the edges. Frames inside records are read-only by convention and are never
modified in place by the stages (pandas copy-on-write protects the original).
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from inputs.config import PlanConfig, Queue
from inputs.problems import Problem

EVENT_KINDS: tuple[str, ...] = ("listing", "maintenance", "promotion", "holiday", "market_event")
TIME_OFF_KINDS: tuple[str, ...] = ("vacation", "sick", "training", "other")


@dataclass(frozen=True)
class Horizon:
    """The planned period on the plan's clock.

    Parameters
    ----------
    first_day : datetime.date
        First local day.
    weeks : int
        Number of weeks.
    time_zone : str
        IANA time zone of the plan.
    interval_minutes : int
        Planning interval (15, 30 or 60).
    """

    first_day: dt.date
    weeks: int
    time_zone: str
    interval_minutes: int

    @property
    def num_days(self) -> int:
        """Number of days in the horizon."""
        return 7 * self.weeks

    @property
    def days(self) -> list[dt.date]:
        """The local days of the horizon."""
        return [self.first_day + dt.timedelta(days=d) for d in range(self.num_days)]

    def local_midnight_utc(self, day: dt.date) -> pd.Timestamp:
        """Return the UTC instant of local midnight at the start of ``day``."""
        local = dt.datetime.combine(day, dt.time(0), tzinfo=zoneinfo.ZoneInfo(self.time_zone))
        return pd.Timestamp(local).tz_convert("UTC")

    @property
    def start_utc(self) -> pd.Timestamp:
        """First instant of the horizon, in UTC."""
        return self.local_midnight_utc(self.first_day)

    @property
    def end_utc(self) -> pd.Timestamp:
        """First instant after the horizon, in UTC."""
        return self.local_midnight_utc(self.first_day + dt.timedelta(days=self.num_days))

    @cached_property
    def intervals_utc(self) -> pd.DatetimeIndex:
        """Start of every planning interval, in UTC (a 23-hour DST day simply has fewer)."""
        return pd.date_range(self.start_utc, self.end_utc, freq=f"{self.interval_minutes}min",
                             inclusive="left", name="interval_start")

    @property
    def num_intervals(self) -> int:
        """Number of planning intervals."""
        return len(self.intervals_utc)

    def grid_span(self, start_utc: pd.Timestamp, end_utc: pd.Timestamp) -> tuple[int, int]:
        """A shift from ``start_utc`` to ``end_utc`` on the grid: its first interval (the start rounded down onto
        the grid; negative before the horizon) and its length in intervals (its minutes rounded up)."""
        step = pd.Timedelta(minutes=self.interval_minutes)
        return math.floor((start_utc - self.start_utc) / step), math.ceil((end_utc - start_utc) / step)


@dataclass(frozen=True, slots=True)
class Agent:
    """A named agent as HR keeps them, with skills, contract and preferences.

    Hours fields already carry the plan-wide defaults where the agents file left them blank.
    """

    employee_id: str
    name: str
    site: str
    time_zone: str
    languages: tuple[str, ...]
    channels: tuple[str, ...]
    weekly_min_hours: float
    weekly_max_hours: float
    max_days_per_week: int
    templates: tuple[str, ...]
    contract: str = ""
    available_weekdays: frozenset[int] = frozenset(range(7))
    preferred_templates: tuple[str, ...] = ()
    preferred_days_off: frozenset[int] = frozenset()
    max_overtime_hours: float | None = None
    row: int | None = None

    def skills(self, queues: tuple[Queue, ...]) -> tuple[tuple[str, str], ...]:
        """Return the (language, channel) queues this agent can serve, in plan order."""
        return tuple(q.key for q in queues if q.language in self.languages and q.channel in self.channels)


@dataclass(frozen=True, slots=True)
class TimeOff:
    """An absence of one agent, as a UTC interval ``[start_utc, end_utc)``."""

    employee_id: str
    start_utc: pd.Timestamp
    end_utc: pd.Timestamp
    kind: str = "vacation"
    all_day: bool = True
    row: int | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """A known event that moves contact volume (empty language/channel tuples mean all)."""

    kind: str
    start_utc: pd.Timestamp
    end_utc: pd.Timestamp
    name: str = ""
    languages: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    uplift_percent: float | None = None
    row: int | None = None

    def affects(self, language: str, channel: str) -> bool:
        """Whether the event touches the queue (language, channel)."""
        return (not self.languages or language in self.languages) and (
            not self.channels or channel in self.channels)


@dataclass(frozen=True, slots=True)
class PinnedShift:
    """A shift (or a day off, when ``start_utc`` is None) fixed by an existing roster.

    ``cut_from`` is the whole shift when this one is its worked part, kept up to a time off that starts during it
    (an agent sent home sick), or with ``absent`` (the UTC start and end of each time off during it that ends before
    it does: an hour at the doctor's, or a late arrival, which starts by the shift's start; each as the time-off
    file gives it, so a late arrival's may start before the shift): the paid time it lost shrinks that week's
    minimum and contract target. ``file`` and ``row`` say where the row is written (the plan's roster file, or the
    shifts file a re-plan keeps), for messages.
    """

    employee_id: str
    day: dt.date
    start_utc: pd.Timestamp | None
    end_utc: pd.Timestamp | None
    template: str | None = None
    row: int | None = None
    cut_from: PinnedShift | None = None
    absent: tuple[tuple[pd.Timestamp, pd.Timestamp], ...] = ()
    file: str = ""


@dataclass(frozen=True)
class KeptRoster:
    """An earlier roster of the same plan to re-plan from (``shiftplan solve --keep-before``).

    Its rows dated before ``before`` (shifts and days off) are pinned, as the plan's own ``[files] roster``
    would pin them; its shifts from ``before`` on start the search, as a ``hint_roster`` would. Where the plan's
    own roster pins the same agent and date, the plan's row holds.

    Attributes
    ----------
    path : Path
        The roster file, in the pinned-roster columns (``solve``'s ``.shifts.csv``).
    before : datetime.date
        The first day the roster may change.
    from_time : datetime.time or None
        An intraday re-plan: the clock time on ``before``, in the plan's time zone, from which it may change. Shifts
        that start earlier (already under way) are kept too, and no shift may start before it.
    num_shifts, num_days_off, num_hints : int
        After loading: shifts and days off pinned from it, and its later shifts given as hints.
    num_published : int
        After loading: its later rows (shifts and days off), the published roster a change from costs the
        ``[objective] roster_changes`` weight per agent-day.
    num_cut : int
        After loading: kept shifts cut short by a time off that starts during them (an agent sent home sick).
    num_cut_before : int
        After loading: kept shifts an earlier re-plan cut short so, still the worked parts of their whole shifts.
    num_away : int
        After loading: kept shifts with time off during them that the agent came back from (``PinnedShift.absent``).
    num_late : int
        After loading: kept shifts the agent came in late to (a time off from their start or earlier that ends during
        them, kept as time away: ``PinnedShift.absent``).
    num_not_worked : int
        After loading: shifts of the kept rows that a time off covers from start to end, left out as not worked.
    ended_by_time_off : tuple of (PinnedShift, PinnedShift or None)
        After loading: each kept shift this re-plan cuts short or leaves out for a time off, as published, with its
        worked part (None: not worked), for the changes a re-plan lists.
    breaks_from : Path or None
        After loading: the result file written beside it by the same solve (``.result.json``), whose break times the
        re-plan starts from, when it matches the plan's days and grid.
    """

    path: Path
    before: dt.date
    from_time: dt.time | None = None
    num_shifts: int = 0
    num_days_off: int = 0
    num_hints: int = 0
    num_published: int = 0
    num_cut: int = 0
    num_cut_before: int = 0
    num_away: int = 0
    num_late: int = 0
    num_not_worked: int = 0
    ended_by_time_off: tuple[tuple[PinnedShift, PinnedShift | None], ...] = ()
    breaks_from: Path | None = None

    def change_from_utc(self, time_zone: str) -> pd.Timestamp | None:
        """The instant from which the roster may change (``from_time`` on ``before`` in ``time_zone``), or None for a
        re-plan by whole days."""
        if self.from_time is None:
            return None
        problem = self.clock_problem(time_zone)
        if problem is not None:
            raise ValueError(f"--keep-before {self.label} {problem}")
        local = dt.datetime.combine(self.before, self.from_time, tzinfo=zoneinfo.ZoneInfo(time_zone))
        return pd.Timestamp(local).tz_convert("UTC")

    def clock_problem(self, time_zone: str) -> str | None:
        """Why ``from_time`` on ``before`` names no one instant on the plan's clock (a time the clocks skip, or one
        they show twice), or None when it names one (or there is no time)."""
        if self.from_time is None:
            return None
        zone = zoneinfo.ZoneInfo(time_zone)
        first, second = (dt.datetime.combine(self.before, self.from_time, tzinfo=zone).replace(fold=fold)
                         for fold in (0, 1))
        if first.utcoffset() == second.utcoffset():
            return None
        round_trip = first.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
        if round_trip != first.replace(tzinfo=None):
            return f"is a time the clocks skip in {time_zone} (they go forward then)"
        return f"is a time the clocks show twice in {time_zone} (they go back then)"

    @property
    def label(self) -> str:
        """``2026-12-03``, or ``2026-12-03 10:00`` for an intraday re-plan."""
        return self.before.isoformat() + ("" if self.from_time is None else f" {self.from_time:%H:%M}")


@dataclass(frozen=True)
class History:
    """Contact history per interval and queue.

    Attributes
    ----------
    frame : pandas.DataFrame
        Columns ``start`` (UTC), ``language``, ``channel``, ``contacts`` (float) and
        ``aht_seconds`` (float, NaN where no contact was handled), sorted, one row per
        interval and queue that the file had.
    interval_minutes : int
        Length of one history interval (per-contact files are binned to 15 minutes).
    source_form : str
        ``"interval"`` or ``"contact"``: which shape the file had.
    unknown : pandas.DataFrame
        Intervals whose contacts the file does not give although they happened: ``start`` (UTC), ``language``,
        ``channel``. They are the second occurrences of the hour the plan's clock repeats in autumn, in a file
        written without offsets that lists its times once for a queue (each row is read as the first). The
        forecast takes them as missing, where a queue's row missing on a day of the history is 0 contacts.
    """

    frame: pd.DataFrame
    interval_minutes: int
    source_form: str
    unknown: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        {"start": pd.Series(dtype="datetime64[ns, UTC]"), "language": pd.Series(dtype=str),
         "channel": pd.Series(dtype=str)}))

    @property
    def start_utc(self) -> pd.Timestamp:
        """First interval start."""
        return self.frame["start"].min()

    @property
    def end_utc(self) -> pd.Timestamp:
        """First instant after the last interval."""
        return self.frame["start"].max() + pd.Timedelta(minutes=self.interval_minutes)


@dataclass(frozen=True)
class Requirements:
    """Agents required per planning interval and queue (after shrinkage).

    Attributes
    ----------
    frame : pandas.DataFrame
        Columns ``start`` (UTC), ``language``, ``channel``, ``agents`` (float, >= 0), plus any
        extra columns a stage adds (e.g. ``agents_productive``, ``contacts``).
    """

    frame: pd.DataFrame


@dataclass(frozen=True)
class Plan:
    """A validated plan folder: configuration, agents, absences, events and history.

    ``pinned`` holds the shifts and days off that must stay, ``hint_shifts`` those the search starts from, and
    ``published`` the rows of the roster a re-plan changes (``solve --keep-before``): each day that differs from
    them costs the ``[objective] roster_changes`` weight. ``published_breaks`` maps (employee id, horizon day,
    first interval, length in intervals) of a published shift to its break start offsets, from the published
    roster's result file, and ``published_queues`` the same keys to the queue index it served in each of its
    intervals (when that file's queues are the plan's, in the same order). ``whole_breaks`` maps the same keys of
    the whole shifts an earlier re-plan cut short or kept with time away (its result file's ``cut_from`` records)
    to their published break offsets: a shift with time away keeps its start and length, so its own key is its
    whole shift's, and its own offsets (the worked part's template's) are not the whole template's.
    """

    root: Path
    config: PlanConfig
    horizon: Horizon
    agents: tuple[Agent, ...]
    time_off: tuple[TimeOff, ...] = ()
    events: tuple[Event, ...] = ()
    history: History | None = None
    requirements: Requirements | None = None
    pinned: tuple[PinnedShift, ...] = ()
    hint_shifts: tuple[PinnedShift, ...] = ()
    published: tuple[PinnedShift, ...] = ()
    published_breaks: dict[tuple[str, int, int, int], tuple[int, ...]] = field(default_factory=dict)
    published_queues: dict[tuple[str, int, int, int], tuple[int, ...]] = field(default_factory=dict)
    whole_breaks: dict[tuple[str, int, int, int], tuple[int, ...]] = field(default_factory=dict)
    warnings: tuple[Problem, ...] = field(default=())
    input_files: tuple[Path, ...] = ()
    kept: KeptRoster | None = None

    def whole_shift_breaks(self, key: tuple[str, int, int, int]) -> tuple[int, ...] | None:
        """The published break offsets of the whole shift ``key`` (employee id, horizon day, first interval, length)
        of a kept shift cut short or with time away: :attr:`whole_breaks`, else :attr:`published_breaks`, else None.
        """
        offsets = self.whole_breaks.get(key)
        return self.published_breaks.get(key) if offsets is None else offsets

    @property
    def queues(self) -> tuple[Queue, ...]:
        """The queues of the plan."""
        return self.config.queues
