"""The input tables, described as data: columns, types, whether required, meaning, example.

The reader (:mod:`inputs.table_reader`) checks a file against its spec; the README's
plan-folder reference is generated from the same specs (``python -m inputs.reference``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from inputs.records import EVENT_KINDS, TIME_OFF_KINDS

CellType = Literal["text", "code", "codes", "int", "float", "date", "datetime", "date_or_datetime",
                   "time_zone", "clock", "weekdays", "choice"]


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """One column of an input table.

    Parameters
    ----------
    name : str
        Column name (headers are matched case-insensitively, spaces read as ``_``).
    type : str
        Cell type, see :data:`CellType`.
    required : bool
        Whether the column must exist and every cell be filled.
    meaning : str
        What the column means (shown in the README and in fixes).
    example : str
        A valid value.
    minimum, maximum : float or None
        Inclusive numeric range.
    choices : tuple of str
        Allowed values for ``choice`` columns.
    strictly_positive : bool
        Whether zero is excluded from the numeric range.
    """

    name: str
    type: CellType
    required: bool
    meaning: str
    example: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    strictly_positive: bool = False

    def describe_type(self) -> str:
        """Return the type as the README shows it."""
        return {
            "text": "text", "code": "code (lower case)", "codes": "list of codes (`;`-separated)",
            "int": "whole number", "float": "number", "date": "date YYYY-MM-DD",
            "datetime": "date-time (ISO 8601, local or with offset)",
            "date_or_datetime": "date or date-time", "time_zone": "IANA time zone",
            "clock": "clock HH:MM", "weekdays": "weekdays (`mon;tue`)", "choice": "one of " +
            ", ".join(f"`{c}`" for c in self.choices),
        }[self.type]


@dataclass(frozen=True, slots=True)
class TableSpec:
    """An input table: its columns and what one row stands for."""

    name: str
    row_meaning: str
    columns: tuple[ColumnSpec, ...]
    #: Columns shiftplan itself writes into such a file that it reads past without a warning (the figures of
    #: ``shiftplan requirements`` at the file's staffing, which a solve recomputes at the roster's).
    written_only: tuple[str, ...] = ()

    def column(self, name: str) -> ColumnSpec:
        """Return the spec of column ``name``."""
        return next(c for c in self.columns if c.name == name)

    @property
    def required_names(self) -> list[str]:
        """Names of the required columns."""
        return [c.name for c in self.columns if c.required]


# Agents one queue may require in one interval: far above any desk, low enough that penalties stay exact integers
MAX_REQUIRED_AGENTS = 10_000

_LANG = ColumnSpec("language", "code", True, "Language code of the queue", "en")
_CHAN = ColumnSpec("channel", "code", True, "Channel of the queue", "chat")

HISTORY_INTERVALS = TableSpec(
    "history (per interval)", "contacts offered to one queue in one interval",
    (
        ColumnSpec("start", "datetime", True, "Interval start; local plan time unless an offset is "
                   "written", "2026-03-02T09:00:00+00:00"),
        _LANG, _CHAN,
        ColumnSpec("contacts", "float", True, "Contacts offered in the interval", "42", minimum=0),
        ColumnSpec("aht_seconds", "float", False, "Average handle time of the interval's contacts; blank "
                   "when none were handled", "310", minimum=0, maximum=86400, strictly_positive=True),
    ),
)

HISTORY_CONTACTS = TableSpec(
    "history (per contact)", "one contact",
    (
        ColumnSpec("timestamp", "datetime", True, "Arrival time; local plan time unless an offset is "
                   "written", "2026-03-02T09:13:27"),
        _LANG, _CHAN,
        ColumnSpec("handle_seconds", "float", False, "Handle time of the contact; blank when abandoned",
                   "284", minimum=0, maximum=86400),
    ),
)

AGENTS = TableSpec(
    "agents", "one agent",
    (
        ColumnSpec("employee_id", "text", True, "HR's unique id", "E1042"),
        ColumnSpec("name", "text", True, "Full name", "Ana Souza"),
        ColumnSpec("site", "text", True, "Site or team", "Lisbon"),
        ColumnSpec("time_zone", "time_zone", True, "The agent's IANA time zone; shifts are in it",
                   "Europe/Lisbon"),
        ColumnSpec("languages", "codes", True, "Languages the agent serves", "en;es"),
        ColumnSpec("channels", "codes", True, "Channels the agent works (every language on every channel)",
                   "chat;email"),
        ColumnSpec("weekly_min_hours", "float", False, "Contract's fewest paid hours a week (blank: "
                   "[rules] weekly_min_hours)", "32", minimum=0, maximum=168),
        ColumnSpec("weekly_max_hours", "float", False, "Contract's most paid hours a week (blank: "
                   "[rules] weekly_max_hours)", "40", minimum=0, maximum=168, strictly_positive=True),
        ColumnSpec("max_days_per_week", "int", False, "Most working days a week (blank: 7 minus [rules] "
                   "min_days_off_per_week)", "5", minimum=1, maximum=7),
        ColumnSpec("templates", "codes", False, "Shift templates the agent may work (blank: all)",
                   "day;late"),
        ColumnSpec("contract", "text", False, "Contract label, shown in outputs (not 'open position': the "
                   "label of [[open_positions]] hires)", "FT40"),
        ColumnSpec("available_weekdays", "weekdays", False, "Weekdays the agent can work (blank: all)",
                   "mon;tue;wed;thu;fri"),
        ColumnSpec("preferred_templates", "codes", False, "Templates the agent prefers", "day"),
        ColumnSpec("preferred_days_off", "weekdays", False, "Weekdays the agent prefers off", "sat;sun"),
        ColumnSpec("max_overtime_hours", "float", False, "Most overtime hours a week the agent accepts, up to the "
                   "run's [rules] overtime_hours_per_week (blank: that; 0: no overtime, no extra day)", "4",
                   minimum=0, maximum=168),
    ),
)

TIME_OFF = TableSpec(
    "time off", "one absence of one agent",
    (
        ColumnSpec("employee_id", "text", True, "The agent's id, as in the agents file", "E1042"),
        ColumnSpec("start", "date_or_datetime", True, "First day (whole days) or start time, in the "
                   "agent's time zone", "2026-12-24"),
        ColumnSpec("end", "date_or_datetime", True, "Last day, inclusive (whole days) or end time",
                   "2026-12-26"),
        ColumnSpec("kind", "choice", False, "Kind of absence (blank: vacation)", "vacation",
                   choices=TIME_OFF_KINDS),
        ColumnSpec("note", "text", False, "Free text", "family visit"),
    ),
)

EVENTS = TableSpec(
    "events", "one known event that moves volume",
    (
        ColumnSpec("name", "text", False, "What it is", "XYZ token listing"),
        ColumnSpec("kind", "choice", True, "Kind of event", "listing", choices=EVENT_KINDS),
        ColumnSpec("start", "datetime", True, "Start; local plan time unless an offset is written",
                   "2026-12-03T12:00"),
        ColumnSpec("end", "datetime", True, "End (exclusive)", "2026-12-03T18:00"),
        ColumnSpec("languages", "codes", False, "Languages affected (blank or `*`: all)", "ko;zh"),
        ColumnSpec("channels", "codes", False, "Channels affected (blank or `*`: all)", "chat;social"),
        ColumnSpec("uplift_percent", "float", False, "Expected change in volume, in percent (blank: "
                   "learned from history)", "60", minimum=-100, maximum=10000),
    ),
)

REQUIREMENTS = TableSpec(
    "requirements", "agents required on one queue in one planning interval",
    (
        ColumnSpec("start", "datetime", True, "Interval start; local plan time unless an offset is "
                   "written", "2026-11-30T08:00"),
        _LANG, _CHAN,
        ColumnSpec("agents", "float", True, "Agents required, shrinkage included", "7", minimum=0,
                   maximum=MAX_REQUIRED_AGENTS),
        ColumnSpec("contacts", "float", False, "Forecast contacts of the interval, for the roster's expected "
                   "service (a queue with a blank cell gets none)", "42.5", minimum=0),
        ColumnSpec("aht_seconds", "float", False, "Forecast handle time of the interval's contacts (blank: the "
                   "queue's `aht_seconds`)", "310", minimum=0, maximum=86400, strictly_positive=True),
    ),
    written_only=("agents_productive", "shrinkage_percent", "is_open", "service_level", "asa_seconds",
                  "abandon_rate", "occupancy", "backlog_contacts"),
)

ROSTER = TableSpec(
    "pinned roster", "one pinned shift or day off of one agent",
    (
        ColumnSpec("employee_id", "text", True, "The agent's id", "E1042"),
        ColumnSpec("date", "date", True, "Local date of the shift start, in the agent's time zone",
                   "2026-11-30"),
        ColumnSpec("start", "clock", False, "Local start HH:MM (blank with end blank: a day off)",
                   "08:00"),
        ColumnSpec("end", "clock", False, "Local end HH:MM (before start: ends the next day)", "16:30"),
        ColumnSpec("template", "text", False, "Shift template of the shift", "day"),
    ),
)

ALL_TABLES: dict[str, TableSpec] = {
    "history_intervals": HISTORY_INTERVALS, "history_contacts": HISTORY_CONTACTS, "agents": AGENTS,
    "time_off": TIME_OFF, "events": EVENTS, "requirements": REQUIREMENTS, "roster": ROSTER,
}
