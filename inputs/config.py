"""The typed, immutable ``shiftplan.toml`` configuration (pydantic models).

Every field carries its meaning and an example; the README's reference tables and the
"how to fix it" part of validation messages are both taken from them, so they cannot drift.
pydantic is used because it gives typed, frozen records with per-field errors located by
key path, which :mod:`inputs.toml_reader` turns into plan problems.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationInfo, field_validator, model_validator

from inputs.time_zones import NOT_PLACES as NOT_PLACES  # re-exported: it lived here
from inputs.time_zones import is_time_zone as is_time_zone
from inputs.time_zones import not_a_zone
from inputs.toml_source import TomlSource, dotted

#: A code of the input tables (languages, channels, template names): as agents.csv can write it
CODE = re.compile(r"^[a-z][a-z0-9_-]*$")
#: The template name and grid code of a pinned shift that names no template (reserved: a template of that name or
#: code could not be told apart from such shifts in the roster files).
PINNED_TEMPLATE = "pinned"
PINNED_CODE = "*"
#: Longest grid code: the lead's grid cell holds the code and the shift's times.
MAX_CODE_LENGTH = 4
#: Longest employee id: it names the agent's calendar file, and ids are short codes in every HR system (the ids of
#: open positions' heads too).
MAX_EMPLOYEE_ID_LENGTH = 64
#: The contract label of a head of ``[[open_positions]]``: outputs tell hires from employees by it, so the agents file
#: may not give it (``scheduler.build.OPEN_POSITION_CONTRACT`` is the same text).
OPEN_POSITION_CONTRACT = "open position"

ChannelKind = Literal["phone", "chat", "email", "ticket", "social"]
LIVE_KINDS: frozenset[str] = frozenset({"phone", "chat"})
DEFERRED_KINDS: frozenset[str] = frozenset({"email", "ticket", "social"})
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_CLOCK = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")
_CODE = re.compile(r"^[a-z][a-z0-9_-]*$")
_OPENING = re.compile(r"^(?P<days>[a-z]{3}(-[a-z]{3})?(,[a-z]{3}(-[a-z]{3})?)*)\s+"
                      r"(?P<start>\d\d:\d\d)-(?P<end>\d\d:\d\d)$")
_SHRINKAGE_WINDOW = re.compile(r"^(?P<when>[a-z0-9,-]+)\s+(?P<start>\d\d:\d\d)-(?P<end>\d\d:\d\d)\s+"
                               r"(?P<percent>\d+(\.\d+)?)\s*%?$")


#: Largest objective weight (ten times the default under-staffing weight) and queue priority. The solver's integer
#: objective (weights times 100, times 60, times agent-intervals) then stays far inside 64 bits, and the covering
#: flow's costs inside its solver's range (an under-staffing weight of 1e9 failed there).
MAX_WEIGHT = 10_000.0
MAX_PRIORITY = 100.0
#: Largest solver seed (CP-SAT's and HiGHS's seeds are 32-bit).
MAX_SEED = 2**31 - 1


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


Loc = tuple[int | str, ...]
#: A block of a ``[[...]]`` list named in a message: ``open_positions[1]``.
_BLOCK = re.compile(r"\b([a-z_]+)\[(\d+)\]")


class LocatedSettingsError(ValueError):
    """Problems a check across settings found, each located at its own setting (pydantic would place them all at the
    model that raised them): :mod:`inputs.toml_reader` reports each at its line, with its own fix.

    Parameters
    ----------
    problems : sequence of (location, message, fix)
        Each problem: its location relative to the model that raises it (``("open_positions", 1, "templates")`` in
        :class:`PlanConfig`, ``("profile",)`` in :class:`OpenPosition`), what is wrong, and how to fix it.
    """

    def __init__(self, problems: Sequence[tuple[Loc, str, str]]) -> None:
        self.problems: tuple[tuple[Loc, str, str], ...] = tuple(problems)
        super().__init__("\n".join(f"{dotted(loc) or 'the model'}: {message}. Fix: {fix}"
                                   for loc, message, fix in self.problems))

    def moved(self, mapping: Callable[[Loc], Loc]) -> LocatedSettingsError:
        """Return the same problems at the locations ``mapping`` gives (e.g. the blocks of the file, when a stand-in
        left some out), and the blocks their texts name (``open_positions[1]``) moved alike.

        Parameters
        ----------
        mapping : callable
            A location (``("open_positions", 0, "profile")``) -> where it is to be said.

        Returns
        -------
        LocatedSettingsError
            The problems, moved.
        """
        def text(words: str) -> str:
            return _BLOCK.sub(lambda match: dotted(mapping((match[1], int(match[2])))), words)

        return LocatedSettingsError([(mapping(loc), text(message), text(fix)) for loc, message, fix in self.problems])


def open_position_id(profile: str, head: int) -> str:
    """Return the employee id of a head of an open position's profile, as :func:`scheduler.build.open_position_agents`
    makes it.

    Parameters
    ----------
    profile : str
        The profile of ``[[open_positions]]``.
    head : int
        The head, from 1 to the profile's ``max_heads``.

    Returns
    -------
    str
        ``OPEN-<profile>-<head>``, e.g. ``OPEN-zh chat-2``.
    """
    return f"OPEN-{profile}-{head}"


def is_open_position_contract(contract: str) -> bool:
    """Whether a contract label reads as the one of open positions' heads (:data:`OPEN_POSITION_CONTRACT`).

    Parameters
    ----------
    contract : str
        A contract label as written.

    Returns
    -------
    bool
        True for ``open position`` whatever its case, spaces, ``_`` or ``-`` (``Open  Position``, ``open_position``).
    """
    return " ".join(re.sub(r"[_-]", " ", contract).casefold().split()) == OPEN_POSITION_CONTRACT


def clock_minutes(text: str) -> int:
    """Return minutes after midnight of a ``HH:MM`` clock time (``24:00`` is 1440).

    Parameters
    ----------
    text : str
        A clock time such as ``"07:30"``.

    Returns
    -------
    int
        Minutes after midnight.
    """
    match = _CLOCK.match(text)
    if not match or (match.group(1) == "24" and match.group(2) != "00"):
        raise ValueError(f"'{text}' is not a clock time HH:MM between 00:00 and 24:00")
    return int(match.group(1)) * 60 + int(match.group(2))


#: Characters no one types on purpose and that break outputs or hide text: C0 and C1 control characters, zero-width
#: spaces and joiners, direction marks and overrides, and the byte-order mark inside text.
INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def invisible_codes(text: str) -> str:
    """The invisible characters of ``text`` (:data:`INVISIBLE`) as escapes, e.g. ``\\x0b, \\u202e``."""
    found = sorted(set(INVISIBLE.findall(text)))
    return ", ".join(f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}" for c in found)


def check_time_zone(name: str) -> str:
    """Return ``name`` if it is an IANA time zone, else raise ``ValueError`` (with the fix after a ``|``)."""
    if not is_time_zone(name):
        rest, fix = not_a_zone(name)
        raise ValueError(f"'{name}' is not an IANA time zone{rest}|{fix}")
    return name


def parse_opening_hours(rule: str) -> tuple[frozenset[int], int, int]:
    """Parse one opening-hours rule such as ``"mon-fri 08:00-20:00"``.

    Parameters
    ----------
    rule : str
        Days (``mon``..``sun``, ranges with ``-``, lists with ``,``), a space, and a
        local clock range. An end before the start runs past midnight.

    Returns
    -------
    tuple
        (weekday numbers with Monday = 0, start minute, end minute).
    """
    match = _OPENING.match(rule.strip().lower())
    if not match:
        raise ValueError(f"'{rule}' is not an opening-hours rule like 'mon-fri 08:00-20:00'")
    days = _weekdays(match.group("days"), rule)
    start, end = clock_minutes(match.group("start")), clock_minutes(match.group("end"))
    if start == end:
        raise ValueError(f"'{rule}' opens and closes at the same time")
    return days, start, end


def _weekdays(text: str, rule: str) -> frozenset[int]:
    """Weekday numbers (Monday = 0) of a list of weekdays and ranges such as ``mon-fri,sun``."""
    days: set[int] = set()
    for part in text.split(","):
        first, _, last = part.partition("-")
        if first not in WEEKDAYS or (last and last not in WEEKDAYS):
            raise ValueError(f"'{part}' in '{rule}' is not a weekday or range of weekdays (mon..sun)")
        i, j = WEEKDAYS.index(first), WEEKDAYS.index(last or first)
        days.update(range(i, j + 1) if i <= j else [*range(i, 7), *range(0, j + 1)])
    return frozenset(days)


@dataclass(frozen=True)
class ShrinkageWindow:
    """A local time range with its own shrinkage (a team meeting, a training day), parsed from ``shrinkage_windows``.

    Attributes
    ----------
    weekdays : frozenset of int
        Weekdays it recurs on (Monday = 0); empty for a dated window.
    date : datetime.date or None
        The one local date it applies to, or None for a weekly window.
    start_minute, end_minute : int
        Local clock range in minutes after midnight; an end at or before the start runs past midnight.
    percent : float
        The shrinkage in that range, in [0, 100).
    """

    weekdays: frozenset[int]
    date: dt.date | None
    start_minute: int
    end_minute: int
    percent: float


def parse_shrinkage_window(rule: str) -> ShrinkageWindow:
    """Parse one shrinkage window such as ``"tue 10:00-11:00 45"`` or ``"2026-12-24 18:00-24:00 60%"``.

    Parameters
    ----------
    rule : str
        Weekdays as in opening hours (``mon-fri``, ``sat,sun``) or one ISO date, a space, a local clock range
        (an end before the start runs past midnight), a space and the shrinkage percent (``%`` optional).

    Returns
    -------
    ShrinkageWindow
        The parsed window.

    Raises
    ------
    ValueError
        Naming the entry and what is wrong with it.
    """
    match = _SHRINKAGE_WINDOW.match(rule.strip().lower())
    if not match:
        raise ValueError(f"'{rule}' is not a shrinkage window like 'tue 10:00-11:00 45' or "
                         "'2026-12-24 18:00-24:00 60'")
    when = match.group("when")
    if re.fullmatch(r"\d{4}-\d\d-\d\d", when):
        try:
            date, weekdays = dt.date.fromisoformat(when), frozenset()
        except ValueError:
            raise ValueError(f"'{when}' in '{rule}' is not a calendar date") from None
    else:
        date, weekdays = None, _weekdays(when, rule)
    start, end = clock_minutes(match.group("start")), clock_minutes(match.group("end"))
    if start == end:
        raise ValueError(f"'{rule}' starts and ends at the same time")
    percent = float(match.group("percent"))
    if percent >= 100:
        raise ValueError(f"'{rule}' has {match.group('percent')}% shrinkage: it must be below 100")
    return ShrinkageWindow(weekdays, date, start, end, percent)


class PlanSection(_Frozen):
    """The ``[plan]`` table: what is planned, and on which clock."""

    name: str = Field("Contact centre plan", description="Name shown in outputs",
                      examples=["Crypto exchange support desk"])
    first_day: dt.date = Field(description="First day of the horizon, in the plan's time zone",
                               examples=["2026-11-30"])
    weeks: int = Field(ge=1, le=6, description="Length of the horizon in weeks (1 to 6)", examples=[2])
    time_zone: str = Field(description="IANA time zone of the plan's clock (coverage and files)",
                           examples=["UTC"])
    interval_minutes: Literal[15, 30, 60] = Field(
        15, description="Planning interval in minutes: 15, 30 or 60", examples=[15])

    _tz = field_validator("time_zone")(check_time_zone)


class FilesSection(_Frozen):
    """The ``[files]`` table: where the input tables are, relative to the plan folder."""

    history: str | None = Field("history.csv", description="Contact history (CSV, XLSX or Parquet); "
                                "optional when a requirements file is given", examples=["history.parquet"])
    agents: str = Field("agents.csv", description="Agents (CSV or XLSX)", examples=["agents.csv"])
    time_off: str | None = Field(None, description="Time off (CSV or XLSX)", examples=["time_off.csv"])
    events: str | None = Field(None, description="Known events (CSV or XLSX)", examples=["events.csv"])
    requirements: str | None = Field(None, description="Agents required per interval and queue; "
                                     "skips forecasting", examples=["requirements.csv"])
    roster: str | None = Field(None, description="Existing roster whose shifts are pinned",
                               examples=["pinned.csv"])
    hint_roster: str | None = Field(None, description="An earlier roster (e.g. last week's, same columns as "
                                    "roster) whose shifts, by weekday and local time, start the search; "
                                    "not binding", examples=["last_week.csv"])

    @model_validator(mode="before")
    @classmethod
    def _no_default_history_with_requirements(cls, data: object) -> object:
        """A plan with a requirements file and no ``history`` line has no history (not ``history.csv``)."""
        if isinstance(data, dict) and "history" not in data and data.get("requirements"):
            return {**data, "history": None}
        return data

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if value == "" else value


class Queue(_Frozen):
    """One queue: a language served on a channel, with its service target.

    A ``[[queues]]`` entry with ``languages = [...]`` stands for one queue per language.
    """

    language: str = Field(description="Language code, lower case", examples=["en"])
    channel: str = Field(description="Channel name, lower case", examples=["chat"])
    kind: ChannelKind = Field(description="phone, chat (live) or email, ticket, social (deferred)",
                              examples=["chat"])
    service_level_percent: float | None = Field(
        None, gt=0, le=100, description="Target share answered within answer_within_seconds",
        examples=[80])
    answer_within_seconds: float | None = Field(
        None, gt=0, description="Answer time of the service level (deferred: the response window)",
        examples=[20])
    asa_seconds: float | None = Field(None, gt=0, description="Target average speed of answer (live only)",
                                      examples=[30])
    max_abandon_percent: float | None = Field(
        None, gt=0, lt=100, description="Highest share of contacts allowed to abandon (needs "
        "patience_seconds)", examples=[5])
    patience_seconds: float | None = Field(
        None, gt=0, description="Mean customer patience; when set, Erlang A is used instead of Erlang C",
        examples=[120])
    aht_seconds: float = Field(gt=0, le=86400, description="Default average handle time when the "
                               "history has none", examples=[300])
    concurrency: int = Field(1, ge=1, le=10, description="Contacts an agent handles at once (chat)",
                             examples=[3])
    concurrency_serial_share: float = Field(
        0.3, ge=0, le=1, description="Share of a chat's handle time that cannot overlap other chats",
        examples=[0.3])
    max_occupancy_percent: float | None = Field(None, gt=0, le=100,
                                                description="Occupancy cap (live)", examples=[85])
    shrinkage_percent: float = Field(0, ge=0, lt=100, description="Share of paid time not on queues "
                                     "(meetings, training, absence)", examples=[30])
    opening_hours: tuple[str, ...] = Field(
        ("mon-sun 00:00-24:00",), description="Local opening hours, one rule per entry",
        examples=[["mon-fri 08:00-20:00", "sat 10:00-16:00"]])
    shrinkage_windows: tuple[str, ...] = Field(
        (), description="Local times with their own shrinkage_percent (meetings, training): weekdays or a date, a "
        "clock range and the percent, in opening_time_zone; a later entry wins where entries overlap",
        examples=[["wed 10:00-11:00 60", "2026-12-24 18:00-24:00 45"]])
    opening_time_zone: str | None = Field(None, description="Time zone of opening_hours (default: the "
                                          "plan's)", examples=["Asia/Shanghai"])
    min_agents_open: int = Field(0, ge=0, description="Agents needed while open even with no contacts",
                                 examples=[1])
    priority: float = Field(1.0, gt=0, le=MAX_PRIORITY, description="Weight of this queue's under-staffing",
                            examples=[2])

    @field_validator("language", "channel")
    @classmethod
    def _lower_code(cls, value: str) -> str:
        if not _CODE.match(value):
            raise ValueError(f"'{value}' must be a lower-case code of letters, digits, '_' or '-'")
        return value

    @field_validator("opening_hours", "shrinkage_windows")
    @classmethod
    def _rules(cls, rules: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        parse = parse_opening_hours if info.field_name == "opening_hours" else parse_shrinkage_window
        problems = []
        for rule in rules:  # every bad entry in one message, not the first alone
            try:
                parse(rule)
            except ValueError as error:
                problems.append(str(error))
        if problems:
            raise ValueError("; ".join(problems))
        return rules

    _tz = field_validator("opening_time_zone")(lambda v: v if v is None else check_time_zone(v))

    @model_validator(mode="after")
    def _targets(self) -> Queue:
        if (self.service_level_percent is None) != (self.answer_within_seconds is None):
            raise ValueError("service_level_percent and answer_within_seconds go together|set both (e.g. 80 and 20) "
                             "or neither")
        live = self.kind in LIVE_KINDS
        if live and self.service_level_percent is None and self.asa_seconds is None \
                and self.max_abandon_percent is None:
            raise ValueError(f"a {self.kind} queue has no service target|set service_level_percent with "
                             "answer_within_seconds, asa_seconds or max_abandon_percent")
        if not live and self.service_level_percent is None:
            raise ValueError(f"a {self.kind} queue has no response target|set service_level_percent and "
                             "answer_within_seconds (its response window, e.g. 95 and 86400)")
        if not live and (self.asa_seconds or self.max_abandon_percent or self.patience_seconds):
            raise ValueError(f"asa_seconds, max_abandon_percent and patience_seconds apply to phone and "
                             f"chat only, not to {self.kind}|remove them from this queue")
        if self.max_abandon_percent is not None and self.patience_seconds is None:
            raise ValueError("max_abandon_percent needs patience_seconds (abandonment is modelled with "
                             "Erlang A)|set patience_seconds, e.g. 120, or remove max_abandon_percent")
        if self.concurrency > 1 and self.kind != "chat":
            raise ValueError(f"concurrency above 1 applies to chat only, not to {self.kind}|set "
                             "concurrency = 1 or remove it")
        return self

    @property
    def key(self) -> tuple[str, str]:
        """The queue's identity: (language, channel)."""
        return (self.language, self.channel)

    @property
    def name(self) -> str:
        """A readable name such as ``en/chat``."""
        return f"{self.language}/{self.channel}"


class BreakRule(_Frozen):
    """A break or lunch placed inside a shift, within a window measured from the shift start."""

    kind: Literal["break", "lunch"] = Field(description="break or lunch", examples=["lunch"])
    minutes: int = Field(gt=0, le=180, description="Length in minutes", examples=[30])
    paid: bool = Field(description="Whether the time is paid", examples=[False])
    after_start_minutes: tuple[int, int] = Field(
        description="Earliest and latest start, in minutes after the shift start", examples=[[180, 300]])

    @field_validator("after_start_minutes")
    @classmethod
    def _window(cls, window: tuple[int, int]) -> tuple[int, int]:
        # a field check, not the model's: it is then said beside the other fields' problems, not after they are fixed
        first, last = window
        if first < 0:
            raise ValueError(f"after_start_minutes = [{first}, {last}] starts before the shift|make the earliest "
                             "start 0 or more: it counts minutes after the shift starts")
        if last < first:
            raise ValueError(f"after_start_minutes = [{first}, {last}] has its latest start before its earliest|"
                             f"write [earliest, latest], i.e. [{last}, {first}]")
        return window


class ShiftTemplate(_Frozen):
    """A family of shifts: start window and step, allowed lengths, breaks."""

    name: str = Field(description="Template name, used in agents.csv (not `pinned`: it marks pinned shifts "
                      "without a template)", examples=["day"])
    code: str = Field(description="Short code shown on the lead's grid: 1 to 4 characters, its own for each "
                      "template (not `*`: it marks pinned shifts without a template)", examples=["D"])
    start_earliest: str = Field(description="Earliest local start (HH:MM)", examples=["07:00"])
    start_latest: str = Field(description="Latest local start (HH:MM); may be past midnight of the "
                              "earliest only up to 23:59", examples=["10:00"])
    start_step_minutes: int = Field(30, gt=0, le=240, description="Step between allowed starts",
                                    examples=[30])
    lengths_minutes: tuple[int, ...] = Field(
        description="Allowed shift lengths, including breaks", examples=[[480, 540]], min_length=1)
    breaks: tuple[BreakRule, ...] = Field((), description="Breaks and lunch in every shift of this "
                                          "template")

    @field_validator("name")
    @classmethod
    def _code(cls, value: str) -> str:
        if not CODE.match(value):
            raise ValueError(f"template name '{value}' is not a code: agents.csv could not name it|start it with a "
                             "lower-case letter, then lower-case letters, digits, '_' or '-', e.g. 'late'")
        if value == PINNED_TEMPLATE:
            raise ValueError(f"template name '{value}' is reserved for pinned shifts without a template|rename the "
                             "template, e.g. 'fixed'")
        return value

    @field_validator("code")
    @classmethod
    def _grid_code(cls, value: str) -> str:
        if not value or len(value) > MAX_CODE_LENGTH or any(c.isspace() for c in value):
            raise ValueError(f"code {value!r} is not 1 to {MAX_CODE_LENGTH} characters without spaces|use a short "
                             "code such as 'D' or 'L2'")
        if value == PINNED_CODE:
            raise ValueError(f"code '{value}' is reserved for pinned shifts without a template|use another code")
        return value

    @field_validator("start_earliest", "start_latest")
    @classmethod
    def _clock(cls, value: str) -> str:
        if clock_minutes(value) >= 1440:
            raise ValueError(f"'{value}' must be a start time between 00:00 and 23:59")
        return value

    @field_validator("lengths_minutes")
    @classmethod
    def _lengths(cls, lengths: tuple[int, ...]) -> tuple[int, ...]:
        for length in lengths:
            if not 60 <= length <= 16 * 60:
                raise ValueError(f"a shift length of {length} minutes is outside 60..960")
        return lengths

    @model_validator(mode="after")
    def _fit(self) -> ShiftTemplate:
        if clock_minutes(self.start_latest) < clock_minutes(self.start_earliest):
            raise ValueError(f"start_latest {self.start_latest} is before start_earliest "
                             f"{self.start_earliest}|make start_latest the same as or later than start_earliest")
        shortest = min(self.lengths_minutes)
        for rule in self.breaks:
            if rule.after_start_minutes[1] + rule.minutes > shortest:
                raise ValueError(f"a {rule.kind} starting up to {rule.after_start_minutes[1]} min after the "
                                 f"start and lasting {rule.minutes} min does not fit in a {shortest}-minute "
                                 f"shift|move after_start_minutes earlier or shorten the {rule.kind}")
        return self

    def paid_minutes(self, length_minutes: int) -> int:
        """Return the paid minutes of a shift of ``length_minutes`` (unpaid breaks removed)."""
        return length_minutes - sum(b.minutes for b in self.breaks if not b.paid)

    def break_slots(self, interval_minutes: int) -> list[tuple[int, int, int]]:
        """Place each break rule on a grid: (length, earliest, latest start), in intervals after the shift start.

        A break takes whole intervals; a window that would overlap the break before it starts after that one.
        """
        slots: list[tuple[int, int, int]] = []
        earliest_free = 0
        for rule in self.breaks:
            length = -(-rule.minutes // interval_minutes)
            first = max(-(-rule.after_start_minutes[0] // interval_minutes), earliest_free)
            last = max(rule.after_start_minutes[1] // interval_minutes, first)
            slots.append((length, first, last))
            earliest_free = last + length
        return slots

    def breaks_end(self, interval_minutes: int) -> int:
        """Latest end of the template's breaks on a grid, in intervals after the shift start (0: no break)."""
        return max((last + length for length, _, last in self.break_slots(interval_minutes)), default=0)

    def start_minutes(self) -> list[int]:
        """Return every allowed local start, in minutes after midnight."""
        first, last = clock_minutes(self.start_earliest), clock_minutes(self.start_latest)
        return list(range(first, last + 1, self.start_step_minutes))


class LabourRules(_Frozen):
    """The ``[rules]`` table: hard labour rules for every agent (contracts may tighten hours)."""

    model_config = ConfigDict(**_Frozen.model_config, allow_inf_nan=False)

    min_rest_hours: float = Field(11, ge=0, le=48, description="Minimum rest between two shifts",
                                  examples=[11])
    max_consecutive_days: int = Field(6, ge=1, le=14, description="Most working days in a row (the days a pinned "
                                      "roster shows worked in a row up to the first day count)", examples=[6])
    min_days_off_per_week: int = Field(1, ge=0, le=7, description="Days off in each week of the "
                                       "horizon", examples=[2])
    weekly_min_hours: float = Field(0, ge=0, le=168, description="Fewest paid hours a week for a "
                                    "scheduled agent", examples=[0])
    weekly_max_hours: float = Field(48, gt=0, le=168, description="Most paid hours a week",
                                    examples=[48])
    min_notice_hours: float = Field(0, ge=0, le=168, description="A re-plan (--keep-before) adds or moves no shift "
                                    "to start sooner than this after its cut: agents called in need time to come "
                                    "(a published shift may still be worked or dropped)", examples=[2])
    overtime_hours_per_week: float = Field(0, ge=0, le=168, description="Paid hours a week an agent with a "
                                           "contract may work above it, each costing [objective] overtime on top of "
                                           "paid_hours (never above weekly_max_hours; open positions get none). For "
                                           "a surge, `solve --overtime` sets it for one run", examples=[8])
    overtime_days_per_week: int = Field(0, ge=0, le=6, description="Working days a week overtime may add to the "
                                        "contract's: a call-in on a day off, the plan's days off included (one "
                                        "day a week always stays off)", examples=[1])
    overtime_until: dt.date | None = Field(None, description="Overtime only in the plan's weeks up to the one holding "
                                           "this day (a surge's: the later weeks keep their contracts); `solve "
                                           "--overtime-until` sets it for one run", examples=["2026-12-06"])

    @field_validator("*", mode="before")
    @classmethod
    def _not_a_switch(cls, value: object) -> object:
        if isinstance(value, bool):  # TOML's true would be read as 1 (an hour of overtime, a day off)
            raise ValueError(f"'{str(value).lower()}' is a switch, not a number: write a number of hours or days")
        return value

    @model_validator(mode="after")
    def _hours(self) -> LabourRules:
        if self.weekly_min_hours > self.weekly_max_hours:
            raise ValueError(f"weekly_min_hours {self.weekly_min_hours} is above weekly_max_hours "
                             f"{self.weekly_max_hours}|lower weekly_min_hours or raise weekly_max_hours")
        return self


class OpenPosition(_Frozen):
    """A profile that may be hired (headcount planning): skills and contract, up to ``max_heads`` heads.

    The scheduler treats each head as an agent who exists only if hired; the roster then says how
    many heads of each profile the targets need, after the named agents (a hire costs
    ``[objective] open_position`` instead of ``headcount``).
    """

    profile: str = Field(description="Name of the profile, shown in outputs", examples=["zh chat+email"])
    languages: tuple[str, ...] = Field(min_length=1, description="Languages the hire speaks", examples=[["zh"]])
    channels: tuple[str, ...] = Field(min_length=1, description="Channels the hire works",
                                      examples=[["chat", "email"]])
    templates: tuple[str, ...] = Field(min_length=1, description="Shift templates the hire may work",
                                       examples=[["early", "day", "late"]])
    weekly_min_hours: float = Field(0, ge=0, le=168, description="Fewest paid hours a week once hired",
                                    examples=[32])
    weekly_max_hours: float = Field(40, gt=0, le=168, description="Contracted (most) paid hours a week",
                                    examples=[40])
    max_days_per_week: int = Field(5, ge=1, le=7, description="Most working days a week", examples=[5])
    max_heads: int = Field(ge=1, le=500, description="Most heads of this profile that may be hired",
                           examples=[10])
    site: str = Field("", description="Site shown in outputs", examples=["Lisbon"])
    time_zone: str | None = Field(None, description="IANA time zone of the hire's shifts (default: the plan's)",
                                  examples=["Europe/Lisbon"])

    _tz = field_validator("time_zone")(lambda v: v if v is None else check_time_zone(v))

    @field_validator("profile")
    @classmethod
    def _named(cls, profile: str) -> str:
        if not profile:  # written blank: the heads would be OPEN--1, OPEN--2, ...
            raise ValueError("profile is empty: it names the profile's heads (OPEN-<profile>-1, ...) in the "
                             'outputs|give the profile a short name, e.g. profile = "zh chat"')
        return profile

    @field_validator("languages", "channels")
    @classmethod
    def _lower(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(v.strip().lower() for v in values)

    @model_validator(mode="after")
    def _hours(self) -> OpenPosition:
        if self.weekly_min_hours > self.weekly_max_hours:
            raise ValueError(f"open position '{self.profile}': weekly_min_hours {self.weekly_min_hours} is above "
                             f"weekly_max_hours {self.weekly_max_hours}|lower weekly_min_hours or raise "
                             "weekly_max_hours")
        return self

    @model_validator(mode="after")
    def _id_length(self) -> OpenPosition:
        last = open_position_id(self.profile, self.max_heads)
        if len(last) > MAX_EMPLOYEE_ID_LENGTH:
            room = MAX_EMPLOYEE_ID_LENGTH - len(open_position_id("", self.max_heads))
            raise LocatedSettingsError([(("profile",), f"open position '{self.profile[:20]}...' gives its heads ids "
                                         f"of up to {len(last)} characters ({last[:20]}...); an employee id has at "
                                         f"most {MAX_EMPLOYEE_ID_LENGTH}",
                                         f"shorten the profile to at most {room} characters")])
        return self

    def employee_ids(self) -> tuple[str, ...]:
        """Return the employee ids of the profile's heads (:func:`open_position_id`).

        Returns
        -------
        tuple of str
            ``OPEN-<profile>-1`` to ``OPEN-<profile>-<max_heads>``.
        """
        return tuple(open_position_id(self.profile, head) for head in range(1, self.max_heads + 1))


class ObjectiveWeights(_Frozen):
    """The ``[objective]`` table: weights of the soft rules (0 switches a term off)."""

    under_staffing: float = Field(1000, ge=0, le=MAX_WEIGHT, description="Per missing agent-interval, times the "
                                  "queue priority", examples=[1000])
    uncovered_queue: float = Field(1000, ge=0, le=MAX_WEIGHT, description="Per interval a live queue (phone, "
                                   "chat) with demand has nobody on it, times the queue priority, on top of "
                                   "under_staffing (its first missing agent costs under_staffing + uncovered_queue)",
                                   examples=[1000])
    over_staffing: float = Field(1, ge=0, le=MAX_WEIGHT, description="Per surplus agent-interval", examples=[1])
    headcount: float = Field(100, ge=0, le=MAX_WEIGHT, description="Per agent scheduled at all in the horizon",
                             examples=[100])
    paid_hours: float = Field(1, ge=0, le=MAX_WEIGHT, description="Per paid hour", examples=[1])
    contract_deviation: float = Field(5, ge=0, le=MAX_WEIGHT, description="Per hour outside the contract's weekly "
                                      "target", examples=[5])
    preferences: float = Field(2, ge=0, le=MAX_WEIGHT, description="Per unmet preference", examples=[2])
    weekend_fairness: float = Field(3, ge=0, le=MAX_WEIGHT, description="Per weekend shift above the fair share",
                                    examples=[3])
    open_position: float = Field(200, ge=0, le=MAX_WEIGHT, description="Per open position hired (headcount planning), "
                                 "instead of headcount: above it, named agents are scheduled first",
                                 examples=[200])
    night_fairness: float = Field(3, ge=0, le=MAX_WEIGHT, description="Per night shift above the fair share",
                                  examples=[3])
    overtime: float = Field(0.5, ge=0, le=MAX_WEIGHT, description="Per paid hour worked above the contract "
                            "([rules] overtime_hours_per_week), on top of paid_hours: the overtime premium",
                            examples=[0.5])
    roster_changes: float = Field(10, ge=0, le=MAX_WEIGHT, description="Per agent-day a re-plan (solve "
                                  "--keep-before) changes from the published roster: a shift moved, dropped or added "
                                  "on a day off", examples=[10])

    @field_validator("*", mode="before")
    @classmethod
    def _not_a_switch(cls, value: object) -> object:
        if isinstance(value, bool):  # TOML's true would be read as a weight of 1
            raise ValueError(f"'{str(value).lower()}' is a switch, not a weight: write a number (0 turns the term off)")
        return value


class SolverSettings(_Frozen):
    """The ``[solver]`` table: CP-SAT settings (the CLI may override them)."""

    time_limit_seconds: float = Field(60, gt=0, le=86400, description="Wall-clock limit of the solve",
                                      examples=[60])
    workers: int = Field(2, ge=1, le=64, description="Parallel search workers", examples=[2])
    seed: int = Field(0, ge=0, le=MAX_SEED, description="Random seed (same plan, seed and workers give the same "
                      "roster)", examples=[7])
    relative_gap: float = Field(0.0, ge=0, lt=1, description="Stop when the gap to the bound is below "
                                "this", examples=[0.005])


class ForecastSettings(_Frozen):
    """The ``[forecast]`` table."""

    max_history_gap_weeks: int = Field(8, ge=0, le=104, description="Most weeks allowed between the end "
                                       "of the history and the first day of the horizon", examples=[8])
    min_history_weeks: int = Field(4, ge=1, le=104, description="Fewest weeks of history a forecast "
                                   "needs", examples=[8])
    models: tuple[str, ...] = Field(
        ("seasonal_naive", "profile_median", "profile_ewm", "sarimax", "combo_profile_sarimax"),
        description="Candidate models chosen between per series by backtest (also: mstl_arima, holt_winters)",
        examples=[["profile_median", "sarimax"]])
    backtest_folds: int = Field(3, ge=1, le=26, description="Weekly rolling-origin folds used to choose a model",
                                examples=[4])
    backtest_horizon_hours: int = Field(168, ge=1, le=24 * 42, description="Hours forecast from each backtest "
                                        "origin", examples=[168])
    train_weeks: int = Field(26, ge=2, le=260, description="Most recent weeks of history used for fitting",
                             examples=[30])
    outlier_threshold: float = Field(4.0, gt=0, description="Robust z-score above which an hour is cleaned as "
                                     "a surge or outage before fitting", examples=[4.0])
    holiday_countries: tuple[str, ...] = Field((), description="Markets whose public holidays enter the "
                                               "forecast (empty: the plan time zone's country)",
                                               examples=[["CN", "KR", "US"]])
    interval_calibration: bool = Field(True, description="Rebuild prediction intervals from backtest errors",
                                       examples=[True])
    interval_folds: int = Field(6, ge=1, le=26, description="Weekly folds whose errors calibrate the chosen "
                                "model's prediction intervals", examples=[6])
    max_bias: float = Field(0.10, ge=0, description="Backtest bias (fraction, either way) beyond which the chosen "
                            "model is replaced by the least-biased candidate of similar WAPE", examples=[0.10])
    bias_wape_tolerance: float = Field(0.10, ge=0, description="How much higher (fraction) the replacement's "
                                       "backtest WAPE may be than the chosen model's", examples=[0.10])


QueueList = Annotated[tuple[Queue, ...], Field(min_length=1)]


class PlanConfig(_Frozen):
    """The whole ``shiftplan.toml``."""

    plan: PlanSection
    files: FilesSection = FilesSection()
    queues: QueueList
    shift_templates: tuple[ShiftTemplate, ...] = Field(min_length=1)
    rules: LabourRules = LabourRules()
    objective: ObjectiveWeights = ObjectiveWeights()
    solver: SolverSettings = SolverSettings()
    forecast: ForecastSettings = ForecastSettings()
    open_positions: tuple[OpenPosition, ...] = ()
    #: The file it was read from (set by :func:`inputs.toml_reader.read_config`), to say where a setting is written
    _source: TomlSource = PrivateAttr(default_factory=TomlSource)

    @model_validator(mode="after")
    def _open_positions(self) -> PlanConfig:
        names = {t.name for t in self.shift_templates}
        problems: list[tuple[Loc, str, str]] = []  # every problem at once, each at its block, with its own fix
        first: dict[str, int] = {}
        for i, position in enumerate(self.open_positions):
            if position.profile in first:
                problems.append((("open_positions", i, "profile"), f"open position '{position.profile}' is defined "
                                 f"again (first in open_positions[{first[position.profile]}]): its heads would have "
                                 "the same ids", "give every profile its own name, or merge the two blocks"))
            first.setdefault(position.profile, i)
            unknown = [t for t in position.templates if t not in names]
            if unknown:
                problems.append((("open_positions", i, "templates"), f"open position '{position.profile}' names "
                                 f"unknown shift template(s) {', '.join(unknown)}",
                                 f"use one of {', '.join(sorted(names))}"))
            if not any(q.language in position.languages and q.channel in position.channels for q in self.queues):
                problems.append((("open_positions", i), f"open position '{position.profile}' serves no queue of the "
                                 "plan", "give it a language and a channel of one of the [[queues]]"))
        if problems:
            raise LocatedSettingsError(problems)
        return self

    @model_validator(mode="after")
    def _unique(self) -> PlanConfig:
        seen: set[tuple[str, str]] = set()
        for queue in self.queues:
            if queue.key in seen:
                raise ValueError(f"queue {queue.name} is defined twice|keep one [[queues]] entry "
                                 "per language and channel")
            seen.add(queue.key)
        names = [t.name for t in self.shift_templates]
        for name in names:
            if names.count(name) > 1:
                raise ValueError(f"shift template '{name}' is defined twice|give every "
                                 "template its own name")
        codes = [t.code for t in self.shift_templates]
        shared = sorted({code for code in codes if codes.count(code) > 1})
        if shared:
            raise ValueError(f"shift templates share the code {', '.join(repr(c) for c in shared)}, so the lead's "
                             "grid cannot tell them apart|give every template its own code")
        return self

    def locate(self, loc: tuple[int | str, ...]) -> tuple[int | None, str]:
        """Return where a setting is written in ``shiftplan.toml``: its line, when known, and its dotted key.

        Parameters
        ----------
        loc : tuple
            The setting's location in this configuration, e.g. ``("queues", 7, "shrinkage_windows")``.

        Returns
        -------
        tuple
            The line (from 1) or None, and the key as written, e.g. ``(98, "queues[5].shrinkage_windows")`` for a
            queue of a ``[[queues]]`` block that lists several languages.
        """
        return self._source.locate(loc)

    def queue(self, language: str, channel: str) -> Queue | None:
        """Return the queue serving ``language`` on ``channel``, or ``None``."""
        for queue in self.queues:
            if queue.key == (language, channel):
                return queue
        return None

    def template(self, name: str) -> ShiftTemplate | None:
        """Return the shift template called ``name``, or ``None``."""
        for template in self.shift_templates:
            if template.name == name:
                return template
        return None
