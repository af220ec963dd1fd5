"""Generate the bundled example plan, "Crypto exchange support desk" (``inputs/example_plan``).

Run ``python -m inputs.example_generator`` from the repository root. The generator is seeded
(:data:`SEED`): two runs write byte-identical CSV, TOML and README files and a Parquet history
with identical content. It prints the calibration figures and writes them into the README.

The desk serves 6 languages on 4 channels (24 queues) from 3 sites. The hourly history
(2025-01-06 .. 2026-11-29, UTC) is built as

    expected = level x intraday/weekly shape (market local time) x trend x holidays x events

and then drawn from a negative binomial (overdispersed Poisson) distribution. The intraday
shape comes from real call-centre data in ``../shared/data`` (see :func:`derive_shape`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import math
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from inputs.config import PlanConfig, parse_opening_hours

SEED = 20261130
"""Seed of every random draw (numpy ``default_rng`` streams spawned from it)."""

REPO_ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = Path(__file__).resolve().parent / "example_plan"
DATA_DIR = REPO_ROOT.parent / "shared" / "data"
US_BANK_FILE = DATA_DIR / "us_bank_calls_5min" / "bank_calls_fpp3.csv"
ANON_BANK_FILE = DATA_DIR / "anonymous_bank" / "hourly_by_type.csv"

HISTORY_START = pd.Timestamp("2025-01-06T00:00Z")
HISTORY_END = pd.Timestamp("2026-11-29T23:00Z")  # last hour, inclusive
HORIZON_START = pd.Timestamp("2026-11-30T00:00Z")
HORIZON_WEEKS = 2
HORIZON_END = HORIZON_START + pd.Timedelta(weeks=HORIZON_WEEKS)

LANGUAGES: tuple[str, ...] = ("en", "zh", "ko", "es", "tr", "vi")
CHANNELS: tuple[str, ...] = ("chat", "phone", "email", "social")
QUEUES: tuple[tuple[str, str], ...] = tuple((lang, chan) for lang in LANGUAGES for chan in CHANNELS)

MARKET_ZONES: dict[str, tuple[tuple[str, float], ...]] = {
    "en": (("America/New_York", 0.55), ("Europe/London", 0.45)),
    "zh": (("Asia/Shanghai", 1.0),),
    "ko": (("Asia/Seoul", 1.0),),
    "es": (("Europe/Madrid", 0.5), ("America/Mexico_City", 0.5)),
    "tr": (("Europe/Istanbul", 1.0),),
    "vi": (("Asia/Ho_Chi_Minh", 1.0),),
}
"""Market time zones of each language, with the weight of each in a blend."""

# ----------------------------------------------------------------------------- volumes
HORIZON_WEEKLY_CONTACTS: dict[str, int] = {
    "en": 8_400, "zh": 4_200, "ko": 1_500, "es": 1_700, "tr": 700, "vi": 600,
}
"""Contacts in a normal week at the start of the horizon (trend = 1, no events), all channels."""

CHANNEL_MIX: dict[str, dict[str, float]] = {
    "en": {"chat": 0.46, "email": 0.31, "social": 0.13, "phone": 0.10},
    "zh": {"chat": 0.51, "email": 0.23, "social": 0.18, "phone": 0.08},
    "ko": {"chat": 0.52, "email": 0.20, "social": 0.20, "phone": 0.08},
    "es": {"chat": 0.47, "email": 0.29, "social": 0.15, "phone": 0.09},
    "tr": {"chat": 0.50, "email": 0.22, "social": 0.20, "phone": 0.08},
    "vi": {"chat": 0.52, "email": 0.20, "social": 0.20, "phone": 0.08},
}
"""Share of each channel in a language's contacts (closed hours of live queues are lost)."""

ANNUAL_GROWTH: dict[str, float] = {"en": 0.25, "zh": 0.22, "ko": 0.30, "es": 0.35, "tr": 0.45, "vi": 0.50}
"""Underlying yearly growth of each language (on top of the market regime)."""

BULL_RUN_CENTRE = pd.Timestamp("2025-10-20T00:00Z")
BULL_RUN_DAYS = 7.0
BULL_RUN_STEP = 0.30
"""The late-2025 bull run: a logistic level shift of +30 % around 20 Oct 2025 (width 7 days)."""
COOL_DOWN_CENTRE = pd.Timestamp("2026-02-25T00:00Z")
COOL_DOWN_DAYS = 10.0
COOL_DOWN_STEP = -0.10
"""Partial retracement of the bull run in early 2026."""
SUMMER_LULL = 0.06
SUMMER_PEAK_DAY = 210
SUMMER_WIDTH_DAYS = 30.0
"""A Gaussian summer dip (-6 % at day-of-year 210)."""

CHANNEL_FLATNESS: dict[str, float] = {"phone": 0.0, "chat": 0.05, "social": 0.25, "email": 0.40}
"""Share of a channel's day that is flat rather than following the real intraday shape."""
WEEKEND_EXTRA_FLATNESS = 0.15
WEEKEND_FACTOR: dict[int, float] = {5: 0.82, 6: 0.78}
"""Saturday and Sunday volume relative to an average weekday (crypto trades 24/7)."""

NIGHT_FLOOR_OF_PEAK = 0.18
"""Lowest night hour of the 24-hour shape, as a share of the peak hour."""
FLOOR_HOURS = (2, 3, 4)
"""Hours of day that sit on the night floor."""

NB_SIZE = 50.0
"""Negative binomial size: variance = mean + mean^2 / NB_SIZE."""
DAY_NOISE_SIGMA = 0.05
QUEUE_DAY_NOISE_SIGMA = 0.03
"""Log-normal day effects, per language and per queue."""

DEFERRED_RELEASE = (0.6, 0.4)
"""How the backlog of a closed deferred queue is offered in its first open hours."""

# ----------------------------------------------------------------------------- handle times
AHT_BASE: dict[str, float] = {"phone": 420.0, "chat": 660.0, "email": 480.0, "social": 300.0}
AHT_LANGUAGE: dict[str, float] = {"en": 1.00, "zh": 0.95, "ko": 0.92, "es": 1.05, "tr": 1.08, "vi": 1.10}
AHT_NIGHT_AMPLITUDE = 0.06
"""Handle times are up to 6 % longer at 03:00 market time and 6 % shorter at 15:00."""
AHT_YEARLY_DRIFT = -0.04
"""Handle times shrink 4 % a year (better macros, self-service)."""
AHT_NOISE_SIGMA = 0.35
"""Log-normal noise of an hour's mean handle time is AHT_NOISE_SIGMA / sqrt(contacts)."""

# ----------------------------------------------------------------------------- staffing estimate
SHRINKAGE = 0.30
OCCUPANCY = 0.80
LIVE_FLOOR_AGENTS = 1.0
"""Agents needed while a live (phone or chat) queue is open, even with little traffic."""

# ----------------------------------------------------------------------------- holidays
LUNAR_NEW_YEAR = (dt.date(2025, 1, 29), dt.date(2026, 2, 17))
LNY_PROFILE: dict[str, dict[int, float]] = {
    "zh": {-2: 0.90, -1: 0.62, 0: 0.50, 1: 0.55, 2: 0.65, 3: 0.80, 4: 0.92, 6: 1.10, 7: 1.15, 8: 1.10, 9: 1.05},
    "vi": {-2: 0.80, -1: 0.60, 0: 0.50, 1: 0.50, 2: 0.60, 3: 0.72, 4: 0.85, 6: 1.08, 7: 1.12, 8: 1.08},
    "ko": {-1: 0.70, 0: 0.60, 1: 0.68, 2: 0.85, 4: 1.06, 5: 1.08},
}
"""Volume factor by day offset from Lunar New Year's day (local date), with a rebound after."""


def _days(first: str, last: str) -> list[dt.date]:
    start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


@dataclass(frozen=True)
class Holiday:
    """A public holiday that lowers a language's volume on local dates."""

    name: str
    languages: tuple[str, ...]
    days: tuple[dt.date, ...]
    factor: float
    listed: bool = True


FIXED_HOLIDAYS: tuple[Holiday, ...] = (
    Holiday("Christmas Eve", ("en", "es"), tuple(_days("2025-12-24", "2025-12-24")), 0.80, False),
    Holiday("Christmas", ("en", "es"), tuple(_days("2025-12-25", "2025-12-26")), 0.62),
    Holiday("New Year's Eve", ("en", "es"), tuple(_days("2025-12-31", "2025-12-31")), 0.80, False),
    Holiday("New Year's Day", ("en", "es"), tuple(_days("2026-01-01", "2026-01-01")), 0.65, False),
    Holiday("US Thanksgiving", ("en",), (dt.date(2025, 11, 27), dt.date(2026, 11, 26)), 0.85, False),
    Holiday("Semana Santa", ("es",), (*_days("2025-04-17", "2025-04-18"), *_days("2026-04-02", "2026-04-03")),
            0.80, False),
    Holiday("National Day Golden Week", ("zh",), tuple(_days("2025-10-01", "2025-10-07")), 0.80),
    Holiday("National Day Golden Week", ("zh",), tuple(_days("2026-10-01", "2026-10-07")), 0.80),
    Holiday("Chuseok", ("ko",), tuple(_days("2025-10-05", "2025-10-07")), 0.70),
    Holiday("Chuseok", ("ko",), tuple(_days("2026-09-24", "2026-09-26")), 0.70),
    Holiday("Ramazan Bayramı", ("tr",), tuple(_days("2025-03-30", "2025-04-01")), 0.70),
    Holiday("Kurban Bayramı", ("tr",), tuple(_days("2025-06-06", "2025-06-09")), 0.70),
    Holiday("Ramazan Bayramı", ("tr",), tuple(_days("2026-03-20", "2026-03-22")), 0.70),
    Holiday("Kurban Bayramı", ("tr",), tuple(_days("2026-05-27", "2026-05-30")), 0.70),
    Holiday("Reunification and Labour Day", ("vi",), (*_days("2025-04-30", "2025-05-01"),
                                                      *_days("2026-04-30", "2026-05-01")), 0.80, False),
    Holiday("National Day", ("vi",), (*_days("2025-09-01", "2025-09-02"), *_days("2026-09-01", "2026-09-02")),
            0.80, False),
)
"""Other holidays (dates checked against the ``holidays`` package, fixed here so the example
does not change with its version). ``listed`` ones are written to events.csv."""

# ----------------------------------------------------------------------------- events
NUM_MARKET_EVENTS = 18
NUM_LISTED_MARKET_EVENTS = 11
MARKET_EVENT_MIN_GAP_DAYS = 12
NUM_LISTINGS = 10
NUM_MAINTENANCE = 8
MARKET_CHANNEL_WEIGHT: dict[str, float] = {"chat": 1.0, "social": 1.0, "phone": 0.8, "email": 0.3}
EMAIL_SMEAR_SHARE = 0.35
EMAIL_SMEAR_HOURS = 24
EMAIL_SMEAR_DECAY_HOURS = 12.0
LISTING_CHANNEL_WEIGHT: dict[str, float] = {"chat": 1.0, "social": 1.2, "phone": 0.7}
MAINTENANCE_CHANNEL_WEIGHT: dict[str, float] = {"chat": 0.50, "social": 0.30}

MARKET_EVENT_NAMES = (
    "Bitcoin flash crash", "Spot ETF approval rally", "Stablecoin de-peg scare", "Exchange hack rumours",
    "Fed rate surprise", "Altcoin liquidation cascade", "Bitcoin all-time high", "Regulatory crackdown news",
    "Ether upgrade volatility", "Weekend margin-call wave", "Memecoin mania",
)
LISTING_SCOPES: tuple[tuple[str, ...], ...] = (
    ("ko",), ("zh",), ("tr",), ("ko", "zh"), ("vi",), ("ko",), ("tr",), ("zh", "vi"), ("es",), ("ko", "tr"),
)
TOKEN_NAMES = ("AURA", "BLAZE", "CORAL", "DUNE", "EMBER", "FJORD", "GLINT", "HALO", "IRIS", "JADE")


@dataclass(frozen=True)
class Event:
    """One event that moves volume, listed in events.csv or not.

    Parameters
    ----------
    name, kind : str
        As in events.csv (``kind`` one of listing, maintenance, promotion, market_event).
    start : pandas.Timestamp
        UTC start (on the hour).
    hours : int
        Length in hours (the events.csv ``end`` is ``start + hours``).
    uplift : float
        Peak relative uplift of the most affected channel (2.0 = +200 %).
    languages, channels : tuple of str
        Scope; empty means all.
    listed : bool
        Whether the event is written to events.csv.
    uplift_percent : float or None
        The value written to the ``uplift_percent`` column (blank when None).
    """

    name: str
    kind: str
    start: pd.Timestamp
    hours: int
    uplift: float
    languages: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    listed: bool = True
    uplift_percent: float | None = None

    @property
    def end(self) -> pd.Timestamp:
        """Exclusive UTC end."""
        return self.start + pd.Timedelta(hours=self.hours)


HORIZON_EVENTS: tuple[Event, ...] = (
    Event("KITE token listing (KRW and CNY pairs)", "listing", pd.Timestamp("2026-12-03T12:00Z"), 12, 0.60,
          ("ko", "zh"), ("chat", "phone", "social")),
    Event("Year-end zero-fee trading promotion", "promotion", pd.Timestamp("2026-12-07T00:00Z"), 7 * 24, 0.15,
          ("en", "es"), ("chat", "email"), uplift_percent=15.0),
    Event("Matching-engine upgrade (maintenance)", "maintenance", pd.Timestamp("2026-12-09T02:00Z"), 3, 0.50,
          (), ("chat", "social")),
)
"""Events inside the planning horizon (all listed)."""

HISTORY_PROMOTION = Event("Summer staking promotion", "promotion", pd.Timestamp("2026-07-06T00:00Z"), 7 * 24,
                          0.15, ("en", "es"), ("chat", "email"), uplift_percent=15.0)

# ----------------------------------------------------------------------------- the plan file
TOML_TEXT = '''\
# Bundled example plan: a crypto exchange's support desk, 6 languages x 4 channels, 3 sites.
# Generated by `python -m inputs.example_generator` (seeded); see README.md for how.

[plan]
name = "Crypto exchange support desk"
first_day = 2026-11-30
weeks = 2
time_zone = "UTC"
interval_minutes = 30

[files]
history = "history.parquet"
agents = "agents.csv"
time_off = "time_off.csv"
events = "events.csv"

# ---------------------------------------------------------------- phone: 80 % in 20 s, <= 5 % abandoned
[[queues]]
languages = ["en", "zh"]
channel = "phone"
kind = "phone"
service_level_percent = 80
answer_within_seconds = 20
max_abandon_percent = 5
patience_seconds = 180
aht_seconds = 420
shrinkage_percent = 30
min_agents_open = 1
priority = 2

[[queues]]
languages = ["ko"]
channel = "phone"
kind = "phone"
service_level_percent = 80
answer_within_seconds = 20
max_abandon_percent = 5
patience_seconds = 180
aht_seconds = 400
shrinkage_percent = 30
opening_hours = ["mon-fri 09:00-18:00"]
opening_time_zone = "Asia/Seoul"
min_agents_open = 1
priority = 2

[[queues]]
languages = ["es"]
channel = "phone"
kind = "phone"
service_level_percent = 80
answer_within_seconds = 20
max_abandon_percent = 5
patience_seconds = 180
aht_seconds = 440
shrinkage_percent = 30
opening_hours = ["mon-fri 09:00-20:00"]
opening_time_zone = "Europe/Madrid"
min_agents_open = 1
priority = 2

[[queues]]
languages = ["tr"]
channel = "phone"
kind = "phone"
service_level_percent = 80
answer_within_seconds = 20
max_abandon_percent = 5
patience_seconds = 180
aht_seconds = 450
shrinkage_percent = 30
opening_hours = ["mon-fri 09:00-17:00"]
opening_time_zone = "Europe/Istanbul"
min_agents_open = 1
priority = 2

[[queues]]
languages = ["vi"]
channel = "phone"
kind = "phone"
service_level_percent = 80
answer_within_seconds = 20
max_abandon_percent = 5
patience_seconds = 180
aht_seconds = 460
shrinkage_percent = 30
opening_hours = ["mon-fri 09:00-17:00"]
opening_time_zone = "Asia/Ho_Chi_Minh"
min_agents_open = 1
priority = 2

# ---------------------------------------------------------------- chat: 80 % in 60 s, 2 chats at once
[[queues]]
languages = ["en", "zh", "es"]
channel = "chat"
kind = "chat"
service_level_percent = 80
answer_within_seconds = 60
aht_seconds = 660
concurrency = 2
concurrency_serial_share = 0.3
max_occupancy_percent = 85
shrinkage_percent = 30
min_agents_open = 1
priority = 2

[[queues]]
languages = ["ko"]
channel = "chat"
kind = "chat"
service_level_percent = 80
answer_within_seconds = 60
aht_seconds = 610
concurrency = 2
concurrency_serial_share = 0.3
max_occupancy_percent = 85
shrinkage_percent = 30
opening_hours = ["mon-sun 07:00-24:00"]
opening_time_zone = "Asia/Seoul"
min_agents_open = 1
priority = 2

[[queues]]
languages = ["tr"]
channel = "chat"
kind = "chat"
service_level_percent = 80
answer_within_seconds = 60
aht_seconds = 710
concurrency = 2
concurrency_serial_share = 0.3
max_occupancy_percent = 85
shrinkage_percent = 30
opening_hours = ["mon-sun 08:00-24:00"]
opening_time_zone = "Europe/Istanbul"
min_agents_open = 1
priority = 2

[[queues]]
languages = ["vi"]
channel = "chat"
kind = "chat"
service_level_percent = 80
answer_within_seconds = 60
aht_seconds = 730
concurrency = 2
concurrency_serial_share = 0.3
max_occupancy_percent = 85
shrinkage_percent = 30
opening_hours = ["mon-sun 09:00-21:00"]
opening_time_zone = "Asia/Ho_Chi_Minh"
min_agents_open = 1
priority = 2

# ---------------------------------------------------------------- email: 95 % answered within 24 h
[[queues]]
languages = ["en", "zh", "es"]
channel = "email"
kind = "email"
service_level_percent = 95
answer_within_seconds = 86400
aht_seconds = 480
shrinkage_percent = 30
priority = 1

[[queues]]
languages = ["ko"]
channel = "email"
kind = "email"
service_level_percent = 95
answer_within_seconds = 86400
aht_seconds = 440
shrinkage_percent = 30
opening_hours = ["mon-sun 08:00-22:00"]
opening_time_zone = "Asia/Seoul"
priority = 1

[[queues]]
languages = ["tr"]
channel = "email"
kind = "email"
service_level_percent = 95
answer_within_seconds = 86400
aht_seconds = 520
shrinkage_percent = 30
opening_hours = ["mon-sun 08:00-22:00"]
opening_time_zone = "Europe/Istanbul"
priority = 1

[[queues]]
languages = ["vi"]
channel = "email"
kind = "email"
service_level_percent = 95
answer_within_seconds = 86400
aht_seconds = 530
shrinkage_percent = 30
opening_hours = ["mon-sun 08:00-22:00"]
opening_time_zone = "Asia/Ho_Chi_Minh"
priority = 1

# ---------------------------------------------------------------- social: 90 % answered within 1 h
[[queues]]
languages = ["en", "zh", "es"]
channel = "social"
kind = "social"
service_level_percent = 90
answer_within_seconds = 3600
aht_seconds = 300
shrinkage_percent = 30
priority = 1

[[queues]]
languages = ["ko"]
channel = "social"
kind = "social"
service_level_percent = 90
answer_within_seconds = 3600
aht_seconds = 280
shrinkage_percent = 30
opening_hours = ["mon-sun 08:00-22:00"]
opening_time_zone = "Asia/Seoul"
priority = 1

[[queues]]
languages = ["tr"]
channel = "social"
kind = "social"
service_level_percent = 90
answer_within_seconds = 3600
aht_seconds = 320
shrinkage_percent = 30
opening_hours = ["mon-sun 08:00-22:00"]
opening_time_zone = "Europe/Istanbul"
priority = 1

[[queues]]
languages = ["vi"]
channel = "social"
kind = "social"
service_level_percent = 90
answer_within_seconds = 3600
aht_seconds = 330
shrinkage_percent = 30
opening_hours = ["mon-sun 08:00-22:00"]
opening_time_zone = "Asia/Ho_Chi_Minh"
priority = 1

# ---------------------------------------------------------------- shift templates (agent's local time)
# Full shifts: 8 h paid + 30 min unpaid lunch (510 min), or 7.5 h paid (480 min, FT37.5 contracts).
[[shift_templates]]
name = "early"
code = "E"
start_earliest = "06:00"
start_latest = "08:00"
start_step_minutes = 30
lengths_minutes = [480, 510]
breaks = [
    { kind = "break", minutes = 15, paid = true, after_start_minutes = [90, 180] },
    { kind = "lunch", minutes = 30, paid = false, after_start_minutes = [180, 300] },
    { kind = "break", minutes = 15, paid = true, after_start_minutes = [330, 420] },
]

[[shift_templates]]
name = "day"
code = "D"
start_earliest = "08:00"
start_latest = "11:00"
start_step_minutes = 30
lengths_minutes = [480, 510]
breaks = [
    { kind = "break", minutes = 15, paid = true, after_start_minutes = [90, 180] },
    { kind = "lunch", minutes = 30, paid = false, after_start_minutes = [180, 300] },
    { kind = "break", minutes = 15, paid = true, after_start_minutes = [330, 420] },
]

[[shift_templates]]
name = "late"
code = "L"
start_earliest = "13:00"
start_latest = "16:00"
start_step_minutes = 30
lengths_minutes = [480, 510]
breaks = [
    { kind = "break", minutes = 15, paid = true, after_start_minutes = [90, 180] },
    { kind = "lunch", minutes = 30, paid = false, after_start_minutes = [180, 300] },
    { kind = "break", minutes = 15, paid = true, after_start_minutes = [330, 420] },
]

[[shift_templates]]
name = "night"
code = "N"
start_earliest = "21:00"
start_latest = "23:00"
start_step_minutes = 30
lengths_minutes = [480, 510]
breaks = [
    { kind = "break", minutes = 15, paid = true, after_start_minutes = [90, 180] },
    { kind = "lunch", minutes = 30, paid = false, after_start_minutes = [180, 300] },
    { kind = "break", minutes = 15, paid = true, after_start_minutes = [330, 420] },
]

[[shift_templates]]
name = "part"
code = "P"
start_earliest = "06:00"
start_latest = "18:00"
start_step_minutes = 30
lengths_minutes = [240, 300, 360]
breaks = [
    { kind = "break", minutes = 15, paid = true, after_start_minutes = [90, 180] },
]

[rules]
min_rest_hours = 11
max_consecutive_days = 6
min_days_off_per_week = 2
weekly_min_hours = 0
weekly_max_hours = 48

[objective]
under_staffing = 1000
uncovered_queue = 1000  # per interval a live queue with demand has nobody on it, on top of under_staffing
over_staffing = 1
headcount = 100
paid_hours = 1
contract_deviation = 5
preferences = 2
weekend_fairness = 3
night_fairness = 3
roster_changes = 10  # per agent-day a re-plan (solve --keep-before) changes from the published roster

[solver]
time_limit_seconds = 55
workers = 2
seed = 7
relative_gap = 0.01

[forecast]
max_history_gap_weeks = 8
min_history_weeks = 8
'''


def load_config_text(text: str = TOML_TEXT) -> PlanConfig:
    """Parse and validate the plan file, expanding ``languages = [...]`` queue entries.

    Parameters
    ----------
    text : str
        TOML text of ``shiftplan.toml``.

    Returns
    -------
    PlanConfig
        The validated configuration (one queue per language and channel).
    """
    raw: dict[str, Any] = tomllib.loads(text)
    queues: list[dict[str, Any]] = []
    for entry in raw["queues"]:
        if "languages" in entry:
            rest = {k: v for k, v in entry.items() if k != "languages"}
            queues.extend({"language": lang, **rest} for lang in entry["languages"])
        else:
            queues.append(entry)
    raw["queues"] = queues
    return PlanConfig.model_validate(raw)


# ============================================================================= intraday shape
@dataclass(frozen=True)
class ShapeDerivation:
    """The intraday and weekly shape derived from the real call-centre data.

    Parameters
    ----------
    us_hourly_share : dict
        Mean share of a weekday's calls in each hour 07..20 (US bank, local clock).
    us_days : int
        Number of weekdays averaged.
    weekday_ratio : dict
        Mean daily calls on Monday..Friday relative to the mean weekday (US bank).
    evening_ratio : dict
        Calls offered to agents in hours 21, 22, 23 relative to hour 20, Sunday..Thursday
        (Israeli bank, ``n_agent_requests``).
    saturday_evening_ratio : float
        Saturday 21:00-24:00 calls relative to Sunday..Thursday at the same hours (Israeli bank).
    shape : numpy.ndarray
        The 24-hour shape used (shares of a day, summing to 1).
    """

    us_hourly_share: dict[int, float]
    us_days: int
    weekday_ratio: dict[int, float]
    evening_ratio: dict[int, float]
    saturday_evening_ratio: float
    shape: np.ndarray = field(repr=False)


def derive_shape(us_file: Path = US_BANK_FILE, anon_file: Path = ANON_BANK_FILE) -> ShapeDerivation:
    """Derive a 24-hour intraday shape and weekday factors from the real data.

    1. US bank (``bank_calls_fpp3.csv``, columns ``DateTime`` - local clock despite its 'Z' -
       and ``Calls``): sum the 5-minute calls per day and hour 07..20 (the lone 21:00-21:05
       interval is dropped), divide by the day's total, average over the days.
    2. Evening tail: hours 21..23 are hour 20's share times the Israeli bank's ratio
       ``n_agent_requests[h] / n_agent_requests[20]`` (Sunday..Thursday, ``hourly_by_type.csv``).
    3. Night: hours 02..04 sit on a floor of :data:`NIGHT_FLOOR_OF_PEAK` times the peak hour;
       hours 00, 01 and 05, 06 are cosine ramps from hour 23 down to the floor and from the
       floor up to hour 07. The 24 values are rescaled to sum to 1.

    Parameters
    ----------
    us_file, anon_file : Path
        The two source files.

    Returns
    -------
    ShapeDerivation
        The figures and the shape.
    """
    us = pd.read_csv(us_file)
    clock = pd.to_datetime(us["DateTime"].str.rstrip("Z"))
    us = us.assign(day=clock.dt.normalize(), hour=clock.dt.hour, dow=clock.dt.day_of_week)
    us = us[us["hour"].between(7, 20)]
    per_hour = us.groupby(["day", "hour"])["Calls"].sum().unstack()
    shares = per_hour.div(per_hour.sum(axis=1), axis=0).mean()
    daily = us.groupby(["day", "dow"])["Calls"].sum().reset_index()
    weekday = daily.groupby("dow")["Calls"].mean() / daily["Calls"].mean()

    anon = pd.read_csv(anon_file, usecols=["weekday", "hour", "n_agent_requests"])
    workdays = anon[anon["weekday"].isin(["Sun", "Mon", "Tue", "Wed", "Thu"])]
    by_hour = workdays.groupby("hour")["n_agent_requests"].sum()
    evening = {h: float(by_hour[h] / by_hour[20]) for h in (21, 22, 23)}
    late = [21, 22, 23]
    saturday = anon[anon["weekday"] == "Sat"].groupby("hour")["n_agent_requests"].sum()
    saturday_ratio = float(saturday.reindex(late).sum() / (by_hour.reindex(late).sum() / 5))

    shape = np.zeros(24)
    for h in range(7, 21):
        shape[h] = shares[h]
    for h, ratio in evening.items():
        shape[h] = shares[20] * ratio
    floor = NIGHT_FLOOR_OF_PEAK * float(shares.max())
    for h in FLOOR_HOURS:
        shape[h] = floor
    ramp_down = 0.5 * (1 + np.cos(np.pi * np.array([1, 2]) / 3))  # 23 -> 00, 01 -> floor at 02
    shape[0], shape[1] = floor + (shape[23] - floor) * ramp_down
    ramp_up = 0.5 * (1 - np.cos(np.pi * np.array([1, 2]) / 3))  # floor at 04 -> 05, 06 -> 07
    shape[5], shape[6] = floor + (shape[7] - floor) * ramp_up
    shape /= shape.sum()
    return ShapeDerivation(
        us_hourly_share={int(h): float(v) for h, v in shares.items()}, us_days=int(per_hour.shape[0]),
        weekday_ratio={int(d): float(v) for d, v in weekday.items()}, evening_ratio=evening,
        saturday_evening_ratio=saturday_ratio, shape=shape)


# ============================================================================= time grid
@dataclass(frozen=True)
class LocalClock:
    """Local hour, weekday and date of every hour of a UTC grid in one time zone."""

    hour: np.ndarray
    weekday: np.ndarray
    minute_of_day: np.ndarray
    date: np.ndarray  # datetime64[D]


def local_clock(hours: pd.DatetimeIndex, zone: str) -> LocalClock:
    """Return the local clock of a UTC hour grid in ``zone``.

    Parameters
    ----------
    hours : pandas.DatetimeIndex
        UTC instants.
    zone : str
        IANA time zone.

    Returns
    -------
    LocalClock
        Arrays aligned with ``hours``.
    """
    local = hours.tz_convert(zone)
    naive = local.tz_localize(None)
    return LocalClock(hour=np.asarray(local.hour), weekday=np.asarray(local.day_of_week),
                      minute_of_day=np.asarray(local.hour * 60 + local.minute),
                      date=naive.normalize().to_numpy().astype("datetime64[D]"))


def open_mask(rules: Sequence[str], clock: LocalClock) -> np.ndarray:
    """Return whether each hour starts inside the opening hours (rules on the local clock).

    Parameters
    ----------
    rules : sequence of str
        Opening-hours rules such as ``"mon-fri 09:00-18:00"``.
    clock : LocalClock
        The local clock of the grid in the opening time zone.

    Returns
    -------
    numpy.ndarray
        Boolean mask.
    """
    mask = np.zeros(clock.hour.shape, dtype=bool)
    minute, weekday = clock.minute_of_day, clock.weekday
    for rule in rules:
        days, start, end = parse_opening_hours(rule)
        today = np.isin(weekday, list(days))
        if end > start:
            mask |= today & (minute >= start) & (minute < end)
        else:  # runs past midnight into the next day
            yesterday = np.isin((weekday - 1) % 7, list(days))
            mask |= (today & (minute >= start)) | (yesterday & (minute < end))
    return mask


# ============================================================================= events
def build_events(seed: int = SEED) -> list[Event]:
    """Return every event of the history and the horizon, listed in events.csv or not.

    Market-volatility surges (:data:`NUM_MARKET_EVENTS`, of which
    :data:`NUM_LISTED_MARKET_EVENTS` are listed) hit all languages; token listings are
    language-specific; maintenance windows lift chat and social. All are drawn from a
    generator seeded with ``seed``.

    Parameters
    ----------
    seed : int
        Seed of the event draws.

    Returns
    -------
    list of Event
        Sorted by start.
    """
    rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(4)[0])
    first = HISTORY_START + pd.Timedelta(days=14)
    span_days = (HISTORY_END - first).days - 2
    # More surges during the late-2025 bull run.
    day_weights = np.ones(span_days)
    offsets = (pd.date_range(first, periods=span_days, freq="D") - BULL_RUN_CENTRE).days.to_numpy()
    day_weights += 2.0 * np.exp(-0.5 * ((offsets - 20) / 35.0) ** 2)
    day_weights /= day_weights.sum()
    chosen: list[int] = []
    while len(chosen) < NUM_MARKET_EVENTS:
        day = int(rng.choice(span_days, p=day_weights))
        if all(abs(day - other) >= MARKET_EVENT_MIN_GAP_DAYS for other in chosen):
            chosen.append(day)
    chosen.sort()
    listed = set(rng.choice(NUM_MARKET_EVENTS, NUM_LISTED_MARKET_EVENTS, replace=False).tolist())
    events: list[Event] = []
    names = iter(MARKET_EVENT_NAMES)
    for i, day in enumerate(chosen):
        start = first + pd.Timedelta(days=day, hours=int(rng.integers(0, 24)))
        uplift = float(rng.uniform(1.0, 4.0))  # 2x .. 5x at the peak
        hours = int(rng.integers(3, 13))
        is_listed = i in listed
        name = next(names) if is_listed else "unlisted volatility surge"
        events.append(Event(name, "market_event", start, hours, round(uplift, 2), listed=is_listed))
    listing_days = np.sort(rng.choice(np.arange(span_days), NUM_LISTINGS, replace=False))
    for i, day in enumerate(listing_days):
        start = first + pd.Timedelta(days=int(day), hours=int(rng.choice([0, 2, 4, 6, 8, 10, 12])))
        scope = LISTING_SCOPES[i]
        events.append(Event(f"{TOKEN_NAMES[i]} token listing", "listing", start, int(rng.integers(6, 25)),
                            round(float(rng.uniform(0.4, 0.8)), 2), scope,
                            tuple(c for c in CHANNELS if c in LISTING_CHANNEL_WEIGHT)))
    weeks = np.sort(rng.choice(np.arange(2, span_days // 7 - 1), NUM_MAINTENANCE, replace=False))
    for week in weeks:
        monday = HISTORY_START + pd.Timedelta(weeks=int(week))
        start = monday + pd.Timedelta(days=int(rng.integers(1, 3)), hours=int(rng.integers(1, 4)))
        events.append(Event("Scheduled platform maintenance", "maintenance", start, int(rng.integers(2, 5)),
                            0.5, (), tuple(c for c in CHANNELS if c in MAINTENANCE_CHANNEL_WEIGHT)))
    events.append(HISTORY_PROMOTION)
    events.extend(HORIZON_EVENTS)
    return sorted(events, key=lambda e: (e.start, e.kind, e.name))


def event_uplift(events: Iterable[Event], hours: pd.DatetimeIndex) -> np.ndarray:
    """Return the relative uplift of every queue in every hour, shape (hours, queues).

    Parameters
    ----------
    events : iterable of Event
        The events to apply.
    hours : pandas.DatetimeIndex
        UTC hour grid.

    Returns
    -------
    numpy.ndarray
        Additive relative uplift (0 = none).
    """
    uplift = np.zeros((len(hours), len(QUEUES)))
    origin = hours[0]
    for event in events:
        first = int((event.start - origin) / pd.Timedelta(hours=1))
        tau = np.arange(event.hours + (EMAIL_SMEAR_HOURS if event.kind == "market_event" else 0))
        rows = first + tau
        keep = (rows >= 0) & (rows < len(hours))
        for q, (lang, chan) in enumerate(QUEUES):
            if event.languages and lang not in event.languages:
                continue
            if event.channels and chan not in event.channels:
                continue
            if event.kind == "market_event":
                during = tau < event.hours
                profile = np.where(during, event.uplift * np.exp(-3.0 * tau / event.hours), 0.0)
                if chan == "email":
                    profile = EMAIL_SMEAR_SHARE * event.uplift * np.exp(-tau / EMAIL_SMEAR_DECAY_HOURS)
                else:
                    profile = profile * MARKET_CHANNEL_WEIGHT[chan]
            elif event.kind == "listing":
                ramp = np.minimum(1.0, 0.6 + 0.4 * tau)
                profile = event.uplift * LISTING_CHANNEL_WEIGHT.get(chan, 1.0) * ramp
            elif event.kind == "maintenance":
                profile = np.full(tau.shape, MAINTENANCE_CHANNEL_WEIGHT.get(chan, event.uplift))
            else:  # promotion
                profile = np.full(tau.shape, event.uplift)
            uplift[rows[keep], q] += profile[keep]
    return uplift


def holiday_factor(hours: pd.DatetimeIndex, clocks: dict[str, LocalClock]) -> np.ndarray:
    """Return the holiday volume factor of each language in every hour, shape (hours, languages).

    Each language's factor is the blend (market-zone weights) of the factors of the local
    dates in its market zones.

    Parameters
    ----------
    hours : pandas.DatetimeIndex
        UTC hour grid.
    clocks : dict
        Local clock of the grid per time zone.

    Returns
    -------
    numpy.ndarray
        Multiplicative factors (1 = normal day).
    """
    by_language: dict[str, dict[np.datetime64, float]] = {lang: {} for lang in LANGUAGES}
    for lang, profile in LNY_PROFILE.items():
        for day in LUNAR_NEW_YEAR:
            for offset, factor in profile.items():
                by_language[lang][np.datetime64(day + dt.timedelta(days=offset), "D")] = factor
    for holiday in FIXED_HOLIDAYS:
        for lang in holiday.languages:
            for day in holiday.days:
                by_language[lang][np.datetime64(day, "D")] = holiday.factor
    factors = np.ones((len(hours), len(LANGUAGES)))
    for j, lang in enumerate(LANGUAGES):
        table = by_language[lang]
        keys = np.array(sorted(table), dtype="datetime64[D]")
        values = np.array([table[k] for k in sorted(table)])
        blended = np.zeros(len(hours))
        for zone, weight in MARKET_ZONES[lang]:
            dates = clocks[zone].date
            pos = np.clip(np.searchsorted(keys, dates), 0, len(keys) - 1)
            hit = keys[pos] == dates
            blended += weight * np.where(hit, values[pos], 1.0)
        factors[:, j] = blended
    return factors


# ============================================================================= volume model
@dataclass
class VolumeModel:
    """The expected contacts and handle times of every queue on an hour grid."""

    hours: pd.DatetimeIndex
    expected: np.ndarray  # (hours, queues), contacts
    aht: np.ndarray  # (hours, queues), seconds, noise-free
    open: np.ndarray  # (hours, queues), bool


def _trend(hours: pd.DatetimeIndex, lang: str) -> np.ndarray:
    """Level of a language relative to the start of the horizon."""
    years = np.asarray((hours - HORIZON_START) / pd.Timedelta(days=365.25))

    def regime(at: pd.DatetimeIndex | pd.Timestamp) -> np.ndarray:
        bull = np.asarray((at - BULL_RUN_CENTRE) / pd.Timedelta(days=BULL_RUN_DAYS), dtype=float)
        cool = np.asarray((at - COOL_DOWN_CENTRE) / pd.Timedelta(days=COOL_DOWN_DAYS), dtype=float)
        day_of_year = np.asarray(at.day_of_year, dtype=float)
        summer = 1 - SUMMER_LULL * np.exp(-0.5 * ((day_of_year - SUMMER_PEAK_DAY) / SUMMER_WIDTH_DAYS) ** 2)
        return (1 + BULL_RUN_STEP / (1 + np.exp(-bull)) + COOL_DOWN_STEP / (1 + np.exp(-cool))) * summer

    return np.exp(np.log1p(ANNUAL_GROWTH[lang]) * years) * regime(hours) / regime(HORIZON_START)


def _shape_profile(shape: np.ndarray, weekday: dict[int, float], clock: LocalClock, chan: str) -> np.ndarray:
    """Relative volume (mean about 1) of a channel on a local clock."""
    day_factor = np.array([weekday.get(d, 1.0) for d in range(5)] + [WEEKEND_FACTOR[5], WEEKEND_FACTOR[6]])
    flat = CHANNEL_FLATNESS[chan] + np.where(clock.weekday >= 5, WEEKEND_EXTRA_FLATNESS, 0.0)
    return 24 * day_factor[clock.weekday] * ((1 - flat) * shape[clock.hour] + flat / 24)


def _carry_closed(values: np.ndarray, is_open: np.ndarray) -> np.ndarray:
    """Offer the volume of closed hours in the first open hours after them (deferred queues)."""
    out = np.where(is_open, values, 0.0)
    backlog = 0.0
    release: list[tuple[int, float]] = []
    for i in range(len(values)):
        if not is_open[i]:
            backlog += values[i]
        elif backlog > 0:
            release.append((i, backlog))
            backlog = 0.0
    open_rows = np.flatnonzero(is_open)
    for i, amount in release:
        k = int(np.searchsorted(open_rows, i))
        for share, row in zip(DEFERRED_RELEASE, open_rows[k:k + len(DEFERRED_RELEASE)], strict=False):
            out[row] += share * amount
    return out


def build_model(hours: pd.DatetimeIndex, config: PlanConfig, shape: ShapeDerivation,
                events: Iterable[Event]) -> VolumeModel:
    """Compute expected contacts and handle times of every queue on a UTC hour grid.

    Parameters
    ----------
    hours : pandas.DatetimeIndex
        UTC hour grid.
    config : PlanConfig
        The plan (opening hours of the queues).
    shape : ShapeDerivation
        Intraday shape and weekday factors.
    events : iterable of Event
        The events whose effect is included.

    Returns
    -------
    VolumeModel
        Expected volumes, noise-free handle times and opening masks.
    """
    zones = {zone for zs in MARKET_ZONES.values() for zone, _ in zs}
    zones |= {q.opening_time_zone for q in config.queues if q.opening_time_zone}
    zones.add(config.plan.time_zone)
    ref_hours = pd.date_range(HORIZON_START, periods=7 * 24, freq="h")
    clocks = {zone: local_clock(hours, zone) for zone in sorted(zones)}
    ref_clocks = {zone: local_clock(ref_hours, zone) for zone in sorted(zones)}
    holidays = holiday_factor(hours, clocks)
    uplift = event_uplift(events, hours)
    expected = np.zeros((len(hours), len(QUEUES)))
    aht = np.zeros_like(expected)
    is_open = np.zeros(expected.shape, dtype=bool)
    years = np.asarray((hours - HORIZON_START) / pd.Timedelta(days=365.25))
    for q, (lang, chan) in enumerate(QUEUES):
        queue = config.queue(lang, chan)
        assert queue is not None
        zone = queue.opening_time_zone or config.plan.time_zone
        mask = open_mask(queue.opening_hours, clocks[zone])
        ref_mask = open_mask(queue.opening_hours, ref_clocks[zone])
        profile = sum(w * _shape_profile(shape.shape, shape.weekday_ratio, clocks[z], chan)
                      for z, w in MARKET_ZONES[lang])
        ref_profile = sum(w * _shape_profile(shape.shape, shape.weekday_ratio, ref_clocks[z], chan)
                          for z, w in MARKET_ZONES[lang])
        live = queue.kind in ("phone", "chat")
        ref_total = float(np.sum(ref_profile * _trend(ref_hours, lang) * (ref_mask if live else 1.0)))
        level = HORIZON_WEEKLY_CONTACTS[lang] * CHANNEL_MIX[lang][chan] / ref_total
        raw = level * profile * _trend(hours, lang) * holidays[:, LANGUAGES.index(lang)] * (1 + uplift[:, q])
        expected[:, q] = raw * mask if live else _carry_closed(raw, mask)
        is_open[:, q] = mask
        market_hour = clocks[MARKET_ZONES[lang][0][0]].hour
        aht[:, q] = (AHT_BASE[chan] * AHT_LANGUAGE[lang]
                     * (1 + AHT_NIGHT_AMPLITUDE * np.cos(2 * np.pi * (market_hour - 3) / 24))
                     * np.exp(np.log1p(AHT_YEARLY_DRIFT) * years))
    return VolumeModel(hours, expected, aht, is_open)


def draw_history(model: VolumeModel, seed: int = SEED) -> pd.DataFrame:
    """Draw the hourly history from the expected volumes.

    Contacts are negative binomial (size :data:`NB_SIZE`) around the expected value times
    log-normal day effects per language and per queue; the hour's mean handle time gets
    log-normal noise that shrinks with the number of contacts.

    Parameters
    ----------
    model : VolumeModel
        Expected volumes on the history grid.
    seed : int
        Seed of the draws.

    Returns
    -------
    pandas.DataFrame
        Columns start, language, channel, contacts, aht_seconds; sorted by queue and start.
    """
    rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(4)[1])
    n_hours = len(model.hours)
    day_index = np.asarray((model.hours - model.hours[0]) // pd.Timedelta(days=1))
    n_days = int(day_index.max()) + 1
    lang_day = rng.lognormal(-DAY_NOISE_SIGMA ** 2 / 2, DAY_NOISE_SIGMA, (n_days, len(LANGUAGES)))
    queue_day = rng.lognormal(-QUEUE_DAY_NOISE_SIGMA ** 2 / 2, QUEUE_DAY_NOISE_SIGMA, (n_days, len(QUEUES)))
    lang_of_queue = np.array([LANGUAGES.index(lang) for lang, _ in QUEUES])
    mean = model.expected * lang_day[day_index][:, lang_of_queue] * queue_day[day_index]
    contacts = rng.negative_binomial(NB_SIZE, NB_SIZE / (NB_SIZE + mean))
    sigma = AHT_NOISE_SIGMA / np.sqrt(np.maximum(contacts, 1))
    noise = np.exp(rng.standard_normal(contacts.shape) * sigma - sigma ** 2 / 2)
    aht = np.where(contacts > 0, np.round(model.aht * noise), np.nan)
    frame = pd.DataFrame({
        "start": np.tile(model.hours, len(QUEUES)),
        "language": np.repeat([lang for lang, _ in QUEUES], n_hours),
        "channel": np.repeat([chan for _, chan in QUEUES], n_hours),
        "contacts": contacts.T.reshape(-1).astype("int64"),
        "aht_seconds": aht.T.reshape(-1).astype("float64"),
    })
    frame["start"] = frame["start"].astype("datetime64[ns, UTC]")
    frame["language"] = frame["language"].astype("string[pyarrow]")
    frame["channel"] = frame["channel"].astype("string[pyarrow]")
    return frame


# ============================================================================= agents
@dataclass(frozen=True)
class TeamSpec:
    """A group of agents at one site speaking the same languages.

    ``phone``, ``social`` and ``night`` say how many of them work phone, social and nights.
    """

    site: str
    languages: tuple[str, ...]
    count: int
    phone: int
    social: int
    night: int


SITES: dict[str, str] = {"Manila": "Asia/Manila", "Lisbon": "Europe/Lisbon", "Istanbul": "Europe/Istanbul"}
TEAMS: tuple[TeamSpec, ...] = (
    TeamSpec("Manila", ("en",), 22, 3, 8, 10),
    TeamSpec("Manila", ("en", "zh"), 28, 9, 9, 6),
    TeamSpec("Manila", ("zh",), 12, 4, 4, 4),
    TeamSpec("Manila", ("en", "ko"), 11, 3, 4, 0),
    TeamSpec("Manila", ("ko",), 2, 0, 1, 0),
    TeamSpec("Manila", ("en", "zh", "ko"), 1, 1, 0, 0),
    TeamSpec("Manila", ("en", "vi"), 8, 3, 3, 0),
    TeamSpec("Manila", ("vi",), 1, 0, 1, 0),
    TeamSpec("Lisbon", ("en",), 16, 2, 6, 4),
    TeamSpec("Lisbon", ("en", "es"), 20, 6, 6, 4),
    TeamSpec("Lisbon", ("es",), 6, 1, 2, 2),
    TeamSpec("Istanbul", ("en",), 15, 2, 5, 3),
    TeamSpec("Istanbul", ("en", "tr"), 9, 3, 3, 0),
    TeamSpec("Istanbul", ("tr",), 1, 0, 1, 0),
)
"""The teams: 150 agents; rare languages (tr 10, vi 9, ko 14) have thin teams."""
THIN_LANGUAGES = frozenset({"ko", "tr", "vi"})
"""Languages whose speakers are all on full-time contracts (the team is too thin for part-timers)."""


@dataclass(frozen=True)
class Contract:
    """An employment contract."""

    label: str
    weekly_min: tuple[float, ...]
    weekly_max: float
    max_days: int
    share: float


CONTRACTS: tuple[Contract, ...] = (
    Contract("FT40", (36.0, 38.0, 40.0, 40.0), 40.0, 5, 0.60),
    Contract("FT37.5", (35.0,), 37.5, 5, 0.20),
    Contract("PT30", (24.0,), 30.0, 4, 0.10),
    Contract("PT24", (18.0, 20.0), 24.0, 4, 0.10),
)

NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "filipino": (
        ("Maria", "Jose", "Angelica", "Mark", "John Paul", "Kristine", "Rowena", "Jerome", "Mary Grace", "Ramon",
         "Joy", "Carlo", "Liza", "Paolo", "Rhea", "Christian", "Jasmine", "Rafael", "Camille", "Miguel", "Andrea",
         "Nathaniel", "Bea", "Marvin", "Katrina", "Dennis", "Lorraine", "Francis", "Hazel", "Renato"),
        ("Santos", "Reyes", "Cruz", "Bautista", "Ocampo", "Garcia", "Mendoza", "Torres", "Villanueva", "Aquino",
         "Ramos", "Castillo", "Dela Cruz", "Navarro", "Soriano", "Gonzales", "Manalo", "Pascual", "Salazar",
         "Domingo", "Lopez", "Aguilar", "Fernandez", "Mercado", "Evangelista", "Tolentino", "Rivera", "Javier")),
    "chinese_filipino": (
        ("Kevin", "Michelle", "Jason", "Stephanie", "Patrick", "Charlene", "Vincent", "Janine", "Brandon", "Tiffany",
         "Kenneth", "Denise", "Ryan", "Cheryl", "Edison", "Rochelle"),
        ("Tan", "Lim", "Go", "Sy", "Chua", "Ong", "Uy", "Co", "Yap", "Chan", "Dy", "Ang", "Lee", "Tiu")),
    "chinese": (
        ("Wei", "Fang", "Min", "Jing", "Lei", "Yan", "Hao", "Xin", "Jun", "Li Na", "Zhi Hao", "Xiao Yu", "Yu Ting",
         "Jia Hui", "Ming"),
        ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun")),
    "korean": (
        ("Min-jun", "Seo-yeon", "Ji-hoon", "Ha-eun", "Do-yun", "Ji-woo", "Hyun-woo", "Soo-ah", "Jae-won",
         "Yu-na", "Sung-min", "Eun-ji"),
        ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim")),
    "vietnamese": (
        ("Lan", "Minh", "Hoàng Anh", "Thu Hà", "Quang", "Ngọc", "Tuấn", "Phương", "Duy", "Mai"),
        ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi")),
    "portuguese": (
        ("Ana", "João", "Inês", "Tiago", "Beatriz", "Rui", "Mariana", "Pedro", "Catarina", "Miguel", "Sofia",
         "Diogo", "Rita", "André", "Joana", "Nuno", "Marta", "Ricardo", "Leonor", "Bruno", "Carla", "Hugo"),
        ("Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Martins", "Sousa",
         "Fernandes", "Gonçalves", "Gomes", "Lopes", "Marques", "Almeida", "Ribeiro", "Carvalho", "Pinto")),
    "spanish": (
        ("Lucía", "Carlos", "María José", "Javier", "Valentina", "Alejandro", "Camila", "Diego", "Sofía", "Pablo",
         "Daniela", "Andrés", "Elena", "Fernando", "Paula", "Raúl"),
        ("García", "Martínez", "López", "Hernández", "González", "Sánchez", "Romero", "Navarro", "Torres",
         "Ramírez", "Flores", "Morales", "Jiménez", "Ruiz")),
    "turkish": (
        ("Elif", "Mehmet", "Zeynep", "Mustafa", "Ayşe", "Emre", "Merve", "Burak", "Esra", "Can", "Selin", "Oğuz",
         "Deniz", "Gökhan", "Ebru", "Kerem", "İrem", "Serkan"),
        ("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Aydın", "Öztürk", "Arslan", "Doğan", "Kılıç",
         "Aslan", "Koç", "Kurt")),
}


def _name_culture(site: str, languages: tuple[str, ...], rng: np.random.Generator) -> str:
    """Pick the naming culture of an agent from site and languages."""
    if "ko" in languages:
        return "korean"
    if "vi" in languages:
        return "vietnamese"
    if "zh" in languages:
        return "chinese" if rng.random() < 0.5 else "chinese_filipino"
    if site == "Manila":
        return "filipino"
    if "es" in languages:
        return "spanish"
    if site == "Istanbul":
        return "turkish"
    return "portuguese"


def _channels(is_phone: bool, is_social: bool, rng: np.random.Generator) -> list[str]:
    """Channel set of an agent."""
    if is_phone:
        chans = ["phone", "chat", "email"] if rng.random() < 0.8 else ["phone", "email"]
        return [*chans, "social"] if is_social else chans
    if is_social:
        return ["chat", "email", "social"] if rng.random() < 0.75 else ["chat", "social"]
    return ["chat", "email"] if rng.random() < 0.9 else ["email"]


def build_agents(seed: int = SEED) -> pd.DataFrame:
    """Generate the agents table (columns as in :data:`inputs.table_specs.AGENTS`).

    Parameters
    ----------
    seed : int
        Seed of the draws.

    Returns
    -------
    pandas.DataFrame
        One row per agent.
    """
    rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(4)[2])
    used_names: set[str] = set()
    rows: list[dict[str, object]] = []
    number = 1001
    for team in TEAMS:
        order = rng.permutation(team.count)
        phone = set(order[:team.phone].tolist())
        social = set(rng.permutation(team.count)[:team.social].tolist())
        night = set(rng.permutation(team.count)[:team.night].tolist())
        for i in range(team.count):
            culture = _name_culture(team.site, team.languages, rng)
            firsts, lasts = NAMES[culture]
            while True:
                first, last = str(rng.choice(firsts)), str(rng.choice(lasts))
                surname_first = culture in ("chinese", "korean", "vietnamese")
                if culture == "vietnamese":
                    first = ("Thị " if rng.random() < 0.5 else "Văn ") + first
                name = f"{last} {first}" if surname_first else f"{first} {last}"
                if name not in used_names:
                    used_names.add(name)
                    break
            is_night = i in night
            shares = np.array([c.share if c.label.startswith("FT") or not THIN_LANGUAGES & set(team.languages)
                               else 0.0 for c in CONTRACTS])
            contract = CONTRACTS[0] if is_night else CONTRACTS[int(rng.choice(len(CONTRACTS),
                                                                          p=shares / shares.sum()))]
            if is_night:
                templates = ["night"] if rng.random() < 0.5 else ["late", "night"]
            elif contract.label == "PT24":
                templates = ["part"]
            elif contract.label == "PT30":
                templates = ["part", "day"]
            else:
                templates = [["early", "day", "late"], ["early", "day", "late"], ["day", "late"],
                             ["early", "day"]][int(rng.integers(4))]
            available = ""
            preferred_days_off = ""
            preferred_templates = ""
            draw = rng.random()
            if draw < 0.04 and contract.label.startswith("FT"):
                available = "mon;tue;wed;thu;fri"
            elif draw < 0.08 and contract.label == "PT24":
                available = "thu;fri;sat;sun"
            elif draw < 0.40:
                preferred_days_off = ["sat;sun", "sun", "fri;sat", "sun;mon", "wed"][int(rng.integers(5))]
            if len(templates) > 1 and rng.random() < 0.35:
                preferred_templates = templates[int(rng.integers(len(templates)))]
            rows.append({
                "employee_id": f"E{number}", "name": name, "site": team.site, "time_zone": SITES[team.site],
                "languages": ";".join(team.languages),
                "channels": ";".join(_channels(i in phone, i in social, rng)),
                "weekly_min_hours": f"{float(rng.choice(contract.weekly_min)):g}",
                "weekly_max_hours": f"{contract.weekly_max:g}", "max_days_per_week": contract.max_days,
                "templates": ";".join(templates), "contract": contract.label, "available_weekdays": available,
                "preferred_templates": preferred_templates, "preferred_days_off": preferred_days_off,
            })
            number += 1
    return pd.DataFrame(rows)


# ============================================================================= time off
def build_time_off(agents: pd.DataFrame, seed: int = SEED) -> pd.DataFrame:
    """Generate the time-off table: vacations, sick days and training, a few inside the horizon.

    Parameters
    ----------
    agents : pandas.DataFrame
        The agents table.
    seed : int
        Seed of the draws.

    Returns
    -------
    pandas.DataFrame
        Columns employee_id, start, end, kind, note; no two rows of one agent overlap.
    """
    rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(4)[3])
    ids = agents["employee_id"].to_numpy()
    pool = list(rng.permutation(ids))
    rows: list[dict[str, str]] = []

    def add(employee: str, start: str, end: str, kind: str, note: str) -> None:
        rows.append({"employee_id": employee, "start": start, "end": end, "kind": kind, "note": note})

    horizon_days = [HORIZON_START.date() + dt.timedelta(days=d) for d in range(7 * HORIZON_WEEKS)]
    # Early-December vacations inside the horizon (3 to 5 days).
    for _ in range(7):
        first = horizon_days[int(rng.integers(0, 9))]
        last = first + dt.timedelta(days=int(rng.integers(2, 5)))
        add(pool.pop(), first.isoformat(), last.isoformat(), "vacation",
            str(rng.choice(["family visit", "annual leave", "wedding", "moving house"])))
    # Sick days inside the horizon.
    for _ in range(5):
        first = horizon_days[int(rng.integers(0, 14))]
        last = first + dt.timedelta(days=int(rng.integers(0, 2)))
        add(pool.pop(), first.isoformat(), min(last, horizon_days[-1]).isoformat(), "sick", "")
    # Training: two half-days (date-times, agent's local time) and a full-day course.
    for day, (start, end) in zip(("2026-12-02", "2026-12-10"), (("09:00", "13:00"), ("14:00", "18:00")),
                                 strict=True):
        add(pool.pop(), f"{day}T{start}", f"{day}T{end}", "training", "compliance refresher (AML/KYC)")
    add(pool.pop(), "2026-12-08", "2026-12-09", "training", "new-product course: derivatives")
    add(pool.pop(), "2026-12-04T13:00", "2026-12-04T17:00", "other", "union meeting")
    # Christmas and new-year leave after the horizon.
    for _ in range(9):
        first = dt.date(2026, 12, int(rng.integers(19, 24)))
        last = first + dt.timedelta(days=int(rng.integers(5, 11)))
        add(pool.pop(), first.isoformat(), last.isoformat(), "vacation", "Christmas and New Year")
    # Past absences before the horizon (kept so the file looks like a live one) and January leave.
    for _ in range(5):
        first = dt.date(2026, 11, int(rng.integers(9, 24)))
        last = first + dt.timedelta(days=int(rng.integers(0, 5)))
        add(pool.pop(), first.isoformat(), last.isoformat(), str(rng.choice(["vacation", "sick"])), "")
    for _ in range(4):
        first = dt.date(2027, 1, int(rng.integers(11, 25)))
        last = first + dt.timedelta(days=int(rng.integers(3, 7)))
        add(pool.pop(), first.isoformat(), last.isoformat(), "vacation",
            str(rng.choice(["annual leave", "ski trip", "family visit"])))
    frame = pd.DataFrame(rows)
    return frame.sort_values(["start", "employee_id"], kind="stable").reset_index(drop=True)


# ============================================================================= events table
def _iso(stamp: pd.Timestamp) -> str:
    return stamp.tz_convert("UTC").isoformat()


def events_table(events: Sequence[Event]) -> pd.DataFrame:
    """Return the events.csv rows: listed events and the listed holidays.

    Parameters
    ----------
    events : sequence of Event
        All events (unlisted ones are left out).

    Returns
    -------
    pandas.DataFrame
        Columns name, kind, start, end, languages, channels, uplift_percent.
    """
    rows: list[dict[str, object]] = []
    for event in events:
        if event.listed:
            rows.append({"name": event.name, "kind": event.kind, "start": event.start, "end": event.end,
                         "languages": ";".join(event.languages), "channels": ";".join(event.channels),
                         "uplift_percent": "" if event.uplift_percent is None else f"{event.uplift_percent:g}"})
    zone = {"zh": "Asia/Shanghai", "ko": "Asia/Seoul", "vi": "Asia/Ho_Chi_Minh", "tr": "Europe/Istanbul",
            "en": "Europe/London", "es": "Europe/Madrid"}
    for day in LUNAR_NEW_YEAR:
        first = pd.Timestamp(day - dt.timedelta(days=1)).tz_localize("Asia/Shanghai")
        rows.append({"name": f"Lunar New Year {day.year}", "kind": "holiday", "start": first,
                     "end": first + pd.Timedelta(days=5), "languages": "zh;ko;vi", "channels": "",
                     "uplift_percent": ""})
    for holiday in FIXED_HOLIDAYS:
        if not holiday.listed:
            continue
        first = pd.Timestamp(holiday.days[0]).tz_localize(zone[holiday.languages[0]])
        end = pd.Timestamp(holiday.days[-1] + dt.timedelta(days=1)).tz_localize(zone[holiday.languages[0]])
        rows.append({"name": f"{holiday.name} {holiday.days[0].year}", "kind": "holiday", "start": first,
                     "end": end, "languages": ";".join(holiday.languages), "channels": "", "uplift_percent": ""})
    frame = pd.DataFrame(rows).sort_values(["start", "name"], kind="stable").reset_index(drop=True)
    frame["start"] = [_iso(s) for s in frame["start"]]
    frame["end"] = [_iso(s) for s in frame["end"]]
    return frame


# ============================================================================= calibration
def erlang_c_agents(load: float, aht: float, target_seconds: float, level: float) -> int:
    """Return the fewest servers meeting an Erlang C service level.

    Parameters
    ----------
    load : float
        Offered load in Erlangs (arrival rate times handle time).
    aht : float
        Mean handle time in seconds.
    target_seconds : float
        Answer-time target.
    level : float
        Required share answered within the target (0..1).

    Returns
    -------
    int
        Number of servers (0 when there is no load).
    """
    if load <= 0:
        return 0
    servers = max(1, math.floor(load) + 1)
    while True:
        # Erlang B by recursion, then C.
        b = 1.0
        for k in range(1, servers + 1):
            b = load * b / (k + load * b)
        c = servers * b / (servers - load * (1 - b))
        if 1 - c * math.exp(-(servers - load) * target_seconds / aht) >= level:
            return servers
        servers += 1


@dataclass
class Calibration:
    """Workload of the horizon against the agents' contract hours."""

    weekly_contacts: dict[str, float]
    need_hours: dict[tuple[str, str], float]  # per queue, paid agent-hours per week
    erlang_hours: dict[tuple[str, str], float]
    contract_hours: float
    speaker_hours: dict[str, float]
    phone_speaker_hours: dict[str, float]
    skill_headroom: float
    erlang_skill_headroom: float
    pipeline_hours: dict[tuple[str, str], float] = field(default_factory=dict)
    pipeline_floor_hours: float = 0.0  # what the solve's staffing math asks a week with no contacts at all

    @property
    def total_need(self) -> float:
        """Paid agent-hours a week (rough formula)."""
        return sum(self.need_hours.values())

    @property
    def total_erlang(self) -> float:
        """Paid agent-hours a week (Erlang C for live queues)."""
        return sum(self.erlang_hours.values())

    @property
    def total_pipeline(self) -> float:
        """Agent-hours a week to schedule, as ``shiftplan requirements`` asks them."""
        return sum(self.pipeline_hours.values())

    def language_need(self, lang: str, erlang: bool = False, pipeline: bool = False) -> float:
        """Paid agent-hours a week of one language."""
        table = self.pipeline_hours if pipeline else self.erlang_hours if erlang else self.need_hours
        return sum(v for (lg, _), v in table.items() if lg == lang)


def calibrate(model: VolumeModel, config: PlanConfig, agents: pd.DataFrame) -> Calibration:
    """Estimate the horizon's workload and check it against the agents.

    Rough formula per queue and hour: ``contacts x AHT / 3600 / concurrency / occupancy``, at
    least :data:`LIVE_FLOOR_AGENTS` while a live queue is open, divided by ``1 - shrinkage``;
    averaged over the horizon's weeks. The Erlang variant replaces the live queues' figure by
    Erlang C agents (phone 80 %/20 s; chat 80 %/60 s with ``concurrency`` slots per agent).
    A linear programme then finds the largest factor by which all queues' needs could grow
    before the agents' skills and contract hours (``weekly_max_hours``) run out.

    Parameters
    ----------
    model : VolumeModel
        Expected volumes on the horizon grid.
    config : PlanConfig
        The plan.
    agents : pandas.DataFrame
        The agents table.

    Returns
    -------
    Calibration
        The figures.
    """
    weeks = len(model.hours) / (7 * 24)
    need: dict[tuple[str, str], float] = {}
    erlang: dict[tuple[str, str], float] = {}
    contacts: dict[str, float] = {}
    for q, key in enumerate(QUEUES):
        queue = config.queue(*key)
        assert queue is not None
        vol, aht, is_open = model.expected[:, q], model.aht[:, q], model.open[:, q]
        contacts[key[0]] = contacts.get(key[0], 0.0) + float(vol.sum()) / weeks
        work = vol * aht / 3600 / queue.concurrency / OCCUPANCY
        live = queue.kind in ("phone", "chat")
        if live:
            work = np.where(is_open, np.maximum(work, LIVE_FLOOR_AGENTS), 0.0)
            exact = np.array([
                max(LIVE_FLOOR_AGENTS, math.ceil(erlang_c_agents(v * a / 3600, a,
                                                                 queue.answer_within_seconds or 60,
                                                                 (queue.service_level_percent or 80) / 100)
                                                 / queue.concurrency))
                if o else 0.0 for v, a, o in zip(vol, aht, is_open, strict=True)])
        else:
            exact = work
        need[key] = float(work.sum()) / weeks / (1 - SHRINKAGE)
        erlang[key] = float(exact.sum()) / weeks / (1 - SHRINKAGE)
    hours = agents["weekly_max_hours"].astype(float).to_numpy()
    langs = [set(s.split(";")) for s in agents["languages"]]
    chans = [set(s.split(";")) for s in agents["channels"]]
    speaker = {lang: float(sum(h for h, ls in zip(hours, langs, strict=True) if lang in ls)) for lang in LANGUAGES}
    phone = {lang: float(sum(h for h, ls, cs in zip(hours, langs, chans, strict=True)
                             if lang in ls and "phone" in cs)) for lang in LANGUAGES}
    return Calibration(contacts, need, erlang, float(hours.sum()), speaker, phone,
                       skill_headroom(need, hours, langs, chans), skill_headroom(erlang, hours, langs, chans),
                       pipeline_need(model, config),
                       sum(pipeline_need(replace(model, expected=np.zeros_like(model.expected)), config).values()))


def pipeline_need(model: VolumeModel, config: PlanConfig) -> dict[tuple[str, str], float]:
    """Agent-hours a week per queue that ``shiftplan requirements`` asks for the expected volume.

    Each hour's expected contacts are split evenly over the plan's intervals (as the solve does with hourly
    history), and the staffing math of the solve (:func:`forecasting.staffing.requirements_frame`, the plan's
    queues through :func:`shiftplan.demand.staffing_spec`) turns them into agents to schedule: Erlang A with the
    abandonment cap for phone, chat concurrency, the deferred rule for e-mail and social, the least agents while
    open, and shrinkage rounded up per interval.

    Parameters
    ----------
    model : VolumeModel
        Expected volumes on the horizon's hour grid.
    config : PlanConfig
        The plan.

    Returns
    -------
    dict
        Agent-hours a week per (language, channel).
    """
    from forecasting.staffing import requirements_frame  # the generator only: the package does not need them
    from shiftplan.demand import staffing_spec

    minutes = config.plan.interval_minutes
    per_hour = 60 // minutes
    starts = pd.DatetimeIndex([h + pd.Timedelta(minutes=minutes * k) for h in model.hours for k in range(per_hour)])
    parts = []
    for q, (lang, chan) in enumerate(QUEUES):
        parts.append(pd.DataFrame({
            "interval_start": starts, "language": lang, "channel": chan,
            "contacts": np.repeat(model.expected[:, q] / per_hour, per_hour),
            "aht_seconds": np.repeat(model.aht[:, q], per_hour), "is_open": np.repeat(model.open[:, q], per_hour)}))
    specs = {(lang, chan): staffing_spec(config.queue(lang, chan)) for lang, chan in QUEUES}
    staffed = requirements_frame(pd.concat(parts, ignore_index=True), specs, minutes)
    weeks = len(model.hours) / (7 * 24)
    hours = staffed.groupby(["language", "channel"], sort=False)["agents_required"].sum() * minutes / 60 / weeks
    return {(str(lang), str(chan)): float(value) for (lang, chan), value in hours.items()}


def skill_headroom(need: dict[tuple[str, str], float], hours: np.ndarray, langs: Sequence[set[str]],
                   chans: Sequence[set[str]]) -> float:
    """Return the largest factor by which every queue's need can grow and still be carried.

    A linear programme hands each agent's weekly hours to the queues they can serve
    (variables ``x[a, q] >= 0``): maximise ``theta`` subject to ``sum_q x[a, q] <= hours[a]``
    and ``sum_a x[a, q] >= theta * need[q]``.

    Parameters
    ----------
    need : dict
        Weekly paid hours needed per queue.
    hours : numpy.ndarray
        Weekly contract hours per agent.
    langs, chans : sequence of set
        Languages and channels of each agent.

    Returns
    -------
    float
        ``theta`` (below 1: the skills cannot carry the load even with every hour used).
    """
    pairs = [(a, q) for a in range(len(hours)) for q, (lang, chan) in enumerate(QUEUES)
             if lang in langs[a] and chan in chans[a]]
    n = len(pairs)
    cost = np.zeros(n + 1)
    cost[-1] = -1.0
    a_ub = np.zeros((len(hours) + len(QUEUES), n + 1))
    for j, (a, q) in enumerate(pairs):
        a_ub[a, j] = 1.0
        a_ub[len(hours) + q, j] = -1.0
    for q, key in enumerate(QUEUES):
        a_ub[len(hours) + q, -1] = need[key]
    b_ub = np.concatenate([hours, np.zeros(len(QUEUES))])
    result = linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=[(0, None)] * (n + 1), method="highs")
    return float(result.x[-1]) if result.success else float("nan")


def calibration_table(cal: Calibration) -> str:
    """Return the calibration figures as a Markdown table and summary lines."""
    out = io.StringIO()
    out.write("| language | contacts / week | need (rough), h | need (Erlang C), h | to schedule (solve), h "
              "| speakers' contract h | rough / speakers | solve / speakers |\n"
              "|---|---:|---:|---:|---:|---:|---:|---:|\n")
    for lang in LANGUAGES:
        rough, solve = cal.language_need(lang), cal.language_need(lang, pipeline=True)
        out.write(f"| {lang} | {cal.weekly_contacts[lang]:,.0f} | {rough:,.0f} | "
                  f"{cal.language_need(lang, True):,.0f} | {solve:,.0f} | {cal.speaker_hours[lang]:,.0f} | "
                  f"{rough / cal.speaker_hours[lang]:.0%} | {solve / cal.speaker_hours[lang]:.0%} |\n")
    total_contacts = sum(cal.weekly_contacts.values())
    out.write(f"| **all** | {total_contacts:,.0f} | {cal.total_need:,.0f} | {cal.total_erlang:,.0f} | "
              f"{cal.total_pipeline:,.0f} | {cal.contract_hours:,.0f} | {cal.total_need / cal.contract_hours:.0%} | "
              f"{cal.total_pipeline / cal.contract_hours:.0%} |\n\n")
    out.write("| channel | need (rough), h | need (Erlang C), h | to schedule (solve), h |\n|---|---:|---:|---:|\n")
    for chan in CHANNELS:
        rough = sum(v for (_, c), v in cal.need_hours.items() if c == chan)
        exact = sum(v for (_, c), v in cal.erlang_hours.items() if c == chan)
        solve = sum(v for (_, c), v in cal.pipeline_hours.items() if c == chan)
        out.write(f"| {chan} | {rough:,.0f} | {exact:,.0f} | {solve:,.0f} |\n")
    out.write("\n| language | phone need (rough), h | phone to schedule (solve), h | phone agents' contract h |\n"
              "|---|---:|---:|---:|\n")
    for lang in LANGUAGES:
        out.write(f"| {lang} | {cal.need_hours[(lang, 'phone')]:,.0f} | {cal.pipeline_hours[(lang, 'phone')]:,.0f} | "
                  f"{cal.phone_speaker_hours[lang]:,.0f} |\n")
    out.write(f"\n* Agents' weekly contract hours (`weekly_max_hours`): **{cal.contract_hours:,.0f} h**.\n")
    out.write(f"* Rough need: **{cal.total_need:,.0f} h = {cal.total_need / cal.contract_hours:.0%}** of them; "
              f"Erlang C need: {cal.total_erlang:,.0f} h = {cal.total_erlang / cal.contract_hours:.0%}; "
              f"to schedule by the solve's staffing math: **{cal.total_pipeline:,.0f} h = "
              f"{cal.total_pipeline / cal.contract_hours:.0%}**.\n")
    out.write(f"* Skill check (linear programme over agents' languages x channels and contract hours): "
              f"every queue's rough need could grow by a factor of **{cal.skill_headroom:.2f}** "
              f"(Erlang C need: **{cal.erlang_skill_headroom:.2f}**) before the agents who can serve it run "
              f"out of hours.\n")
    return out.getvalue()


# ============================================================================= README
def queue_summary(config: PlanConfig) -> str:
    """Return one Markdown bullet per channel: its target and each language's opening hours."""
    lines: list[str] = []
    for chan in CHANNELS:
        queues = [q for q in config.queues if q.channel == chan]
        first = queues[0]
        target = f"{first.service_level_percent:g} % within {first.answer_within_seconds:g} s"
        if first.max_abandon_percent:
            target += f", at most {first.max_abandon_percent:g} % abandoned (patience {first.patience_seconds:g} s)"
        if first.concurrency > 1:
            target += (f", {first.concurrency} at once (serial share {first.concurrency_serial_share:g}), "
                       f"occupancy cap {first.max_occupancy_percent:g} %")
        hours = "; ".join(f"{q.language} " + (", ".join(q.opening_hours) + f" {q.opening_time_zone}"
                                              if q.opening_time_zone else "24/7") for q in queues)
        lines.append(f"* **{chan}** ({target}, priority {first.priority:g}): {hours}.")
    return "\n".join(lines)


def readme_text(shape: ShapeDerivation, cal: Calibration, events: Sequence[Event], history: pd.DataFrame,
                agents: pd.DataFrame, time_off: pd.DataFrame, events_rows: int, config: PlanConfig) -> str:
    """Return the example's README.md."""
    queue_lines = queue_summary(config)
    us = ", ".join(f"{h:02d}: {v:.4f}" for h, v in shape.us_hourly_share.items())
    days = ["Mon", "Tue", "Wed", "Thu", "Fri"]
    weekday = ", ".join(f"{days[d]} {v:.3f}" for d, v in shape.weekday_ratio.items())
    evening = ", ".join(f"{h}: {v:.3f}" for h, v in shape.evening_ratio.items())
    shape24 = " ".join(f"{v:.4f}" for v in shape.shape)
    peak = float(shape.shape.max())
    unlisted = [e for e in events if e.kind == "market_event" and not e.listed]
    listed = [e for e in events if e.kind == "market_event" and e.listed]
    surge_lines = "\n".join(f"| {e.start:%Y-%m-%d %H:%M} | {e.hours} | {1 + e.uplift:.1f}x |" for e in unlisted)
    teams = "\n".join(f"| {t.site} | {';'.join(t.languages)} | {t.count} | {t.phone} | {t.social} | {t.night} |"
                      for t in TEAMS)
    sizes = history.groupby("channel")["contacts"].sum()
    lang_counts = {lang: int(agents["languages"].str.split(";").apply(lambda ls, x=lang: x in ls).sum())
                   for lang in LANGUAGES}
    phone_agents = int(agents["channels"].str.contains("phone").sum())
    contracts = agents["contract"].value_counts().to_dict()
    return f"""# Example plan: Crypto exchange support desk

A fictional crypto exchange's customer-support desk, bundled with shiftplan (`shiftplan init` copies it).
It plans **2 weeks from Monday 2026-11-30** (UTC clock, 30-minute intervals) for **24 queues**: 6 languages
(en, zh, ko, es, tr, vi) x 4 channels (chat, phone, email, social), staffed by **{len(agents)} agents** at 3 sites
in different time zones: Manila (Asia/Manila), Lisbon (Europe/Lisbon, observes DST) and Istanbul
(Europe/Istanbul).

| file | what |
|---|---|
| `shiftplan.toml` | the plan: queues and targets, opening hours, shift templates, rules, objective, solver |
| `history.parquet` | hourly contacts and mean handle time per queue, {history['start'].min():%Y-%m-%d} .. \
{history['start'].max():%Y-%m-%d %H:%M} UTC ({len(history):,} rows, closed hours included as 0) |
| `agents.csv` | {len(agents)} agents: site, time zone, languages, channels, contract, templates, preferences |
| `time_off.csv` | {len(time_off)} absences (vacation, sick, training, other), several inside the horizon |
| `events.csv` | {events_rows} known events: market events, token listings, maintenance, promotions, holidays |

Everything here is **synthetic**. It was written by a committed, seeded generator:

    python -m inputs.example_generator          # from the repository root; seed {SEED}

Running it twice gives byte-identical CSV/TOML/Markdown files and a Parquet file with identical content.
The generator reads the real call data in `../shared/data` (beside the repository) for the intraday shape.
`docs/plot_example_history.py` draws `docs/example_history.png` from these files.

## Queues

{queue_lines}
* Mail and posts that arrive while a deferred queue (email, social) is closed are offered in its first two
  open hours (60 % / 40 %), so those queues have a morning backlog bump.
* Shrinkage 30 % everywhere; at least 1 agent while a live queue is open (`min_agents_open`).

## How the history was made

Contacts of queue (language *l*, channel *c*) in UTC hour *t*:

    expected = level(l, c) x shape(c, local hour, local weekday) x trend(l, t) x holiday(l, local date)
               x (1 + event uplift(l, c, t))
    contacts ~ NegativeBinomial(mean = expected x day effects, size = {NB_SIZE:g})

* **Intraday shape, from real data** (`derive_shape` in the generator):
  1. `../shared/data/us_bank_calls_5min/bank_calls_fpp3.csv` (a US bank, weekdays, 164 days,
     2003-03-03..2003-10-24), columns `DateTime` (written with `Z` but local clock time) and `Calls`. The
     5-minute calls are summed per day and hour 07..20 (the lone 21:00-21:05 interval is dropped), divided by
     the day's total, and averaged over the {shape.us_days} days. Mean hourly shares: {us}.
  2. Weekday factors from the same file (mean daily calls / mean over all days): {weekday}.
  3. Evening tail: `../shared/data/anonymous_bank/hourly_by_type.csv` (an Israeli bank, 1999, open to midnight),
     column `n_agent_requests` summed over all service types for Sunday..Thursday (its working week) per
     `hour`: hours 21, 22, 23 relative to hour 20 are {evening}. Hours 21-23 of the shape are the US hour-20
     share times these ratios.
  4. Night: neither bank is open at night, so the 24/7 desk's night is modelled: hours 02-04 sit on a floor of
     {NIGHT_FLOOR_OF_PEAK:.0%} of the peak hour, hours 00-01 ramp down from 23:00 and 05-06 ramp up into 07:00
     (half-cosine ramps). The 24 values are rescaled to sum to 1; peak share {peak:.4f}, night floor
     {float(shape.shape.min()):.4f} ({float(shape.shape.min()) / peak:.0%} of the peak). The shape, hour 00..23:
     `{shape24}`.
  5. Weekends: both banks are closed or half-closed at weekends, so the weekend level is chosen, not measured:
     Saturday {WEEKEND_FACTOR[5]:.2f}, Sunday {WEEKEND_FACTOR[6]:.2f} of an average weekday (crypto trades 24/7;
     for comparison, the Israeli bank's Saturday 21-24 h, when it reopens, runs at
     {shape.saturday_evening_ratio:.2f} of a Sunday..Thursday evening). Weekend days are also
     {WEEKEND_EXTRA_FLATNESS:.0%} flatter.
  6. Channels: phone follows the shape exactly; chat, social and email mix in a flat share of
     {CHANNEL_FLATNESS['chat']:.0%}, {CHANNEL_FLATNESS['social']:.0%} and {CHANNEL_FLATNESS['email']:.0%}.
  7. The shape is applied on each language's **market clock**: en = 0.55 America/New_York + 0.45 Europe/London;
     zh Asia/Shanghai; ko Asia/Seoul; es = 0.5 Europe/Madrid + 0.5 America/Mexico_City; tr Europe/Istanbul;
     vi Asia/Ho_Chi_Minh. In UTC the peaks therefore differ by language (zh/ko/vi around 01-08 UTC, tr and the
     European half of en/es around 07-16 UTC, the American half 13-01 UTC), and DST moves the en/es peaks.
* **Sizes** (a normal week at the start of the horizon, all channels): {', '.join(f'{k} {v:,}' for k, v in
                                                                                HORIZON_WEEKLY_CONTACTS.items())}.
  Channel mix e.g. en: chat {CHANNEL_MIX['en']['chat']:.0%}, email {CHANNEL_MIX['en']['email']:.0%},
  social {CHANNEL_MIX['en']['social']:.0%}, phone {CHANNEL_MIX['en']['phone']:.0%}. Contacts in the history by
  channel: {', '.join(f'{k} {int(v):,}' for k, v in sizes.items())}.
* **Trend**: yearly growth per language ({', '.join(f'{k} +{v:.0%}' for k, v in ANNUAL_GROWTH.items())}), a
  bull-run regime change (+{BULL_RUN_STEP:.0%} level shift around {BULL_RUN_CENTRE:%Y-%m-%d}), a partial
  cool-down ({COOL_DOWN_STEP:+.0%} around {COOL_DOWN_CENTRE:%Y-%m-%d}) and a {SUMMER_LULL:.0%} summer lull.
* **Holidays** (local dates of the market): Lunar New Year 2025-01-29 and 2026-02-17 takes zh down to 50 %
  on the day (62 % on the eve, back to normal after ~5 days, then a 10-15 % rebound), vi similar and longer,
  ko shorter; Christmas/New Year for en and es; US Thanksgiving (en); Semana Santa (es); Golden Week (zh);
  Chuseok (ko); Ramazan and Kurban Bayramı (tr); Reunification/Labour Day and National Day (vi).
* **Events**: {len(listed) + len(unlisted)} market-volatility surges (2-5x at the start, decaying over 3-12 h,
  all languages; phone at 80 % of the chat/social uplift, email at 30 % at once and then smeared over the
  next 24 h); {NUM_LISTINGS} token listings (one or two languages, +40-80 % on chat/phone/social for 6-24 h);
  {NUM_MAINTENANCE} maintenance windows (2-4 h, chat +50 %, social +30 %); a summer promotion (en/es chat and
  email +15 % for a week). {len(listed)} of the surges are listed in `events.csv` (kind `market_event`, no
  uplift given: learn it from history); **these {len(unlisted)} are deliberately not listed** (UTC start,
  hours, peak):

| start (UTC) | hours | peak |
|---|---:|---:|
{surge_lines}

* **In the horizon**: a KITE token listing (ko, zh; 2026-12-03 12:00-24:00 UTC), a year-end zero-fee
  promotion (en, es; chat, email; 2026-12-07..13, `uplift_percent` 15) and a maintenance window
  (2026-12-09 02:00-05:00 UTC, chat and social).
* **Noise**: day effects per language (log-normal, sigma {DAY_NOISE_SIGMA}) and per queue ({QUEUE_DAY_NOISE_SIGMA}),
  then negative binomial draws (variance = mean + mean^2/{NB_SIZE:g}).
* **Handle time** (`aht_seconds`, NaN when there were no contacts): base phone {AHT_BASE['phone']:g} s, chat
  {AHT_BASE['chat']:g} s (per chat), email {AHT_BASE['email']:g} s, social {AHT_BASE['social']:g} s; language
  factors {', '.join(f'{k} {v:.2f}' for k, v in AHT_LANGUAGE.items())}; +-{AHT_NIGHT_AMPLITUDE:.0%} by market hour
  (longest at 03:00); {AHT_YEARLY_DRIFT:+.0%} a year; log-normal noise with sigma {AHT_NOISE_SIGMA} / sqrt(contacts).

## Agents

| site | languages | agents | phone | social | night workers |
|---|---|---:|---:|---:|---:|
{teams}

Speakers per language: {', '.join(f'{k} {v}' for k, v in lang_counts.items())}; {phone_agents} agents
({phone_agents / len(agents):.0%}) work phone. Contracts: {', '.join(f'{k} {v}' for k, v in sorted(contracts.items()))}
(FT40: 36-40 h, 5 days; FT37.5: 35-37.5 h, 5 days of 7.5 h; PT30: 24-30 h, 4 days; PT24: 18-24 h, 4 days, part
shifts). Night workers work the `night` template (some also `late`); a few agents have `available_weekdays`,
about a third preferred days off or a preferred template. Names are drawn per site and language from fixed
lists.

## Calibration

The horizon's expected volume (the same model without noise, with the horizon's listed events) was turned
into paid agent-hours per week: per queue and hour, contacts x AHT / 3600 / concurrency / {OCCUPANCY:.0%}
occupancy, at least {LIVE_FLOOR_AGENTS:g} agent while a live queue is open, divided by (1 - {SHRINKAGE:.0%}
shrinkage); the Erlang C column uses Erlang C instead for phone and chat (no abandonment, each queue alone, so
it is an upper estimate for the big queues and close for the thin ones). Averages of the two horizon weeks:

{calibration_table(cal)}
The volumes were tuned on the rough and Erlang C figures. The rough formula counts a thin queue's load as
fractions of an agent; Erlang C shows what a service target really costs there (a phone queue with under one
Erlang still needs two agents for 80 % in 20 s). Holding the rough figure at 75-85 % of the contract hours put
the Erlang C figure above 100 % (the phone-skilled quarter of the agents could not carry the 24/7 en and zh
phone queues), so the volumes sit a little lower: rough ~{cal.total_need / cal.contract_hours:.0%}, Erlang C
~{cal.total_erlang / cal.contract_hours:.0%} (with {SHRINKAGE:.0%} shrinkage).

**The desk is short.** The "to schedule (solve)" column is what `shiftplan solve` really asks for the same
expected volume: its staffing math on the plan's {config.plan.interval_minutes}-minute grid, \
~{cal.total_pipeline / cal.contract_hours:.0%} of the contract hours. It asks more than Erlang C because every
cell is rounded to whole agents: a thin phone queue needs two productive agents to keep abandonment under its 5 %
cap, three to schedule after {SHRINKAGE:.0%} shrinkage, all its open hours; a social queue with a one-hour window
needs a whole agent every other half hour however little it gets. With no contacts at all the plan would still
ask {cal.pipeline_floor_hours:,.0f} agent-hours a week (~{cal.pipeline_floor_hours / cal.contract_hours:.0%} of \
the contract hours). Thin rare-language teams meet this on real desks too, and the example keeps it: the solve
covers what the team can and its summary names the queues left short (the e-mail and social queues, priority 1,
go first). To make the desk fit, give it more agents in `TEAMS`, longer windows to the deferred queues, or lower
targets to the thin queues in the generator; `HORIZON_WEEKLY_CONTACTS` scales the volumes, not the floors.
"""


# ============================================================================= main
def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, lineterminator="\n")


def generate(out_dir: Path = OUT_DIR, seed: int = SEED, quiet: bool = False) -> Calibration:
    """Write the whole example plan into ``out_dir`` and return the calibration figures.

    Parameters
    ----------
    out_dir : Path
        Target folder (created if missing).
    seed : int
        Seed of every random draw.
    quiet : bool
        Do not print the figures.

    Returns
    -------
    Calibration
        The workload figures of the horizon.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    config = load_config_text()
    shape = derive_shape()
    events = build_events(seed)
    history_hours = pd.date_range(HISTORY_START, HISTORY_END, freq="h")
    model = build_model(history_hours, config, shape, events)
    history = draw_history(model, seed)
    horizon_hours = pd.date_range(HORIZON_START, HORIZON_END, freq="h", inclusive="left")
    horizon = build_model(horizon_hours, config, shape, [e for e in events if e.listed])
    agents = build_agents(seed)
    time_off = build_time_off(agents, seed)
    events_frame = events_table(events)
    cal = calibrate(horizon, config, agents)

    (out_dir / "shiftplan.toml").write_text(TOML_TEXT, encoding="utf-8")
    history.to_parquet(out_dir / "history.parquet", index=False, engine="pyarrow", compression="zstd")
    _write_csv(agents, out_dir / "agents.csv")
    _write_csv(time_off, out_dir / "time_off.csv")
    _write_csv(events_frame, out_dir / "events.csv")
    (out_dir / "README.md").write_text(readme_text(shape, cal, events, history, agents, time_off,
                                                   len(events_frame), config), encoding="utf-8")
    init = out_dir / "__init__.py"
    if not init.exists():
        init.write_text("", encoding="utf-8")
    if not quiet:
        print(f"wrote {out_dir}: {len(history):,} history rows, {len(agents)} agents, {len(time_off)} "
              f"absences, {len(events_frame)} events")
        print(calibration_table(cal))
    return cal


def main(argv: Sequence[str] | None = None) -> None:
    """Command-line entry point: ``python -m inputs.example_generator [--out DIR] [--seed N]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="target folder (default: the bundled one)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    args = parser.parse_args(argv)
    generate(args.out, args.seed)


if __name__ == "__main__":
    main()
