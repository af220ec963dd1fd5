"""Build a tiny, hand-checkable plan folder for tests.

Two languages (en, de) on chat, phone and email; five agents at two sites (Lisbon observes
DST, Manila does not); six weeks of hourly history with a constant 10 contacts per hour per
queue; a one-week horizon on a 60-minute grid starting Monday 2026-03-23.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

TOML = """\
[plan]
name = "Tiny desk"
first_day = 2026-03-23
weeks = 1
time_zone = "Europe/Lisbon"
interval_minutes = 60

[files]
history = "history.csv"
agents = "agents.csv"
time_off = "time_off.csv"
events = "events.csv"

[[queues]]
languages = ["en", "de"]
channel = "chat"
kind = "chat"
service_level_percent = 80
answer_within_seconds = 60
aht_seconds = 600
concurrency = 2
shrinkage_percent = 30

[[queues]]
language = "en"
channel = "phone"
kind = "phone"
service_level_percent = 80
answer_within_seconds = 20
aht_seconds = 300
patience_seconds = 120
max_abandon_percent = 5

[[queues]]
languages = ["en", "de"]
channel = "email"
kind = "email"
service_level_percent = 95
answer_within_seconds = 86400
aht_seconds = 480
opening_hours = ["mon-fri 08:00-20:00"]

[[shift_templates]]
name = "day"
code = "D"
start_earliest = "07:00"
start_latest = "10:00"
start_step_minutes = 60
lengths_minutes = [480, 540]
breaks = [
  { kind = "break", minutes = 15, paid = true, after_start_minutes = [90, 180] },
  { kind = "lunch", minutes = 30, paid = false, after_start_minutes = [180, 300] },
]

[[shift_templates]]
name = "late"
code = "L"
start_earliest = "14:00"
start_latest = "16:00"
lengths_minutes = [480]

[rules]
min_rest_hours = 11
max_consecutive_days = 6
min_days_off_per_week = 2
weekly_max_hours = 48
"""

AGENTS = """\
employee_id,name,site,time_zone,languages,channels,weekly_min_hours,weekly_max_hours,max_days_per_week,templates
E1,Ana Souza,Lisbon,Europe/Lisbon,en;de,chat;email,32,40,5,day;late
E2,Bruno Lima,Lisbon,Europe/Lisbon,en,chat;phone,,,,
E3,Carla Reyes,Manila,Asia/Manila,en,chat;email;phone,20,30,4,day
E4,Dieter Krause,Lisbon,Europe/Lisbon,de,chat;email,,,5,
E5,Eva Santos,Manila,Asia/Manila,en;de,email,,,,late
"""

TIME_OFF = """\
employee_id,start,end,kind,note
E1,2026-03-24,2026-03-25,vacation,
E3,2026-03-26T09:00,2026-03-26T13:00,training,course
"""

EVENTS = """\
name,kind,start,end,languages,channels,uplift_percent
Token listing,listing,2026-03-25T12:00,2026-03-25T18:00,en,chat,40
Maintenance,maintenance,2026-03-01T02:00:00+00:00,2026-03-01T04:00:00+00:00,,,
"""

QUEUES = [("en", "chat"), ("de", "chat"), ("en", "phone"), ("en", "email"), ("de", "email")]
HISTORY_START = dt.datetime(2026, 2, 9, tzinfo=dt.UTC)
HISTORY_WEEKS = 6


def history_csv(weeks: int = HISTORY_WEEKS, start: dt.datetime = HISTORY_START) -> str:
    """Hourly history: 10 contacts per hour per queue, AHT 300 s, times in UTC with offset."""
    lines = ["start,language,channel,contacts,aht_seconds"]
    for hour in range(weeks * 7 * 24):
        stamp = (start + dt.timedelta(hours=hour)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
        lines.extend(f"{stamp},{language},{channel},10,300" for language, channel in QUEUES)
    return "\n".join(lines) + "\n"


def half_hour_history_csv(first: int = 7, second: int = 3, weeks: int = HISTORY_WEEKS,
                          start: dt.datetime = HISTORY_START) -> str:
    """History per 30 minutes: ``first`` contacts in the first half of every hour and ``second`` in the second, per
    queue, AHT 300 s, times in UTC with offset."""
    lines = ["start,language,channel,contacts,aht_seconds"]
    for half in range(weeks * 7 * 48):
        stamp = (start + dt.timedelta(minutes=30 * half)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
        lines.extend(f"{stamp},{language},{channel},{second if half % 2 else first},300"
                     for language, channel in QUEUES)
    return "\n".join(lines) + "\n"


def write_tiny_plan(folder: Path) -> Path:
    """Write the tiny plan into ``folder`` (created) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "shiftplan.toml").write_text(TOML, encoding="utf-8")
    (folder / "agents.csv").write_text(AGENTS, encoding="utf-8")
    (folder / "time_off.csv").write_text(TIME_OFF, encoding="utf-8")
    (folder / "events.csv").write_text(EVENTS, encoding="utf-8")
    (folder / "history.csv").write_text(history_csv(), encoding="utf-8")
    return folder


def local_history_csv(first: str, last: str, time_zone: str = "Europe/Lisbon",
                      twice: tuple[tuple[str, str], ...] = ()) -> str:
    """Hourly history in local time without offsets, as an export on the plan's clock writes it: 10 contacts per hour
    per queue, AHT 300 s, every clock hour from ``first`` to ``last`` (naive local) once, so the hour the clocks
    repeat in autumn once too; the queues of ``twice`` list it twice (the clocks skip no hour in the span)."""
    import pandas as pd

    hours = pd.date_range(first, last, freq="h")
    repeated = pd.isna(hours.tz_localize(time_zone, ambiguous="NaT", nonexistent="NaT"))
    lines = ["start,language,channel,contacts,aht_seconds"]
    for stamp, again in zip(hours.strftime("%Y-%m-%dT%H:%M"), repeated, strict=True):
        for language, channel in QUEUES:
            times = 2 if again and (language, channel) in twice else 1
            lines.extend([f"{stamp},{language},{channel},10,300"] * times)
    return "\n".join(lines) + "\n"
