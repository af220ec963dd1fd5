"""Shrinkage windows (``[[queues]] shrinkage_windows``): parsing, local time across summer time, the
requirements and the roster's expected service that follow from them."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from inputs import load_plan
from inputs.config import Queue, ShrinkageWindow, parse_shrinkage_window
from inputs.opening import shrinkage_percent_by_interval
from tests.outputs.tiny_roster import constant_requirements, tiny_report

#: The tiny plan's horizon: Monday 2026-03-23 00:00 in Lisbon (UTC+0) for 167 hours (summer time starts on
#: Sunday 29 March at 01:00, which becomes 02:00).
HOURS_UTC = pd.date_range("2026-03-23", periods=167, freq="h", tz="UTC")


def _chat(**fields: object) -> Queue:
    return Queue(language="en", channel="chat", kind="chat", service_level_percent=80, answer_within_seconds=60,
                 aht_seconds=600, shrinkage_percent=30, **fields)


def _with_windows(plan: Path, windows: str) -> Path:
    toml = plan / "shiftplan.toml"
    toml.write_text(toml.read_text().replace("shrinkage_percent = 30", f"shrinkage_percent = 30\n"
                                             f"shrinkage_windows = {windows}", 1))
    return plan


@pytest.mark.parametrize(("rule", "expected"), [
    ("tue 10:00-11:00 45", ShrinkageWindow(frozenset({1}), None, 600, 660, 45.0)),
    ("Sat,Sun 22:00-02:00 12.5%", ShrinkageWindow(frozenset({5, 6}), None, 1320, 120, 12.5)),
    ("fri-mon 00:00-24:00 0", ShrinkageWindow(frozenset({4, 5, 6, 0}), None, 0, 1440, 0.0)),
    ("2026-12-24 18:00-24:00 60 %", ShrinkageWindow(frozenset(), dt.date(2026, 12, 24), 1080, 1440, 60.0)),
])
def test_a_window_is_weekdays_or_a_date_a_clock_range_and_a_percent(rule: str, expected: ShrinkageWindow) -> None:
    """Tests the parsed weekdays (Monday = 0, ranges wrap past Sunday), date, minutes and percent."""
    assert parse_shrinkage_window(rule) == expected


@pytest.mark.parametrize(("rule", "message"), [
    ("tue 10-11 45", "'tue 10-11 45' is not a shrinkage window like 'tue 10:00-11:00 45' or "
                     "'2026-12-24 18:00-24:00 60'"),
    ("tue 10:00-11:00", "'tue 10:00-11:00' is not a shrinkage window like"),
    ("tues 10:00-11:00 45", "'tues' in 'tues 10:00-11:00 45' is not a weekday or range of weekdays (mon..sun)"),
    ("2026-13-01 10:00-11:00 45", "'2026-13-01' in '2026-13-01 10:00-11:00 45' is not a calendar date"),
    ("tue 10:00-10:00 45", "'tue 10:00-10:00 45' starts and ends at the same time"),
    ("tue 10:00-25:00 45", "'25:00' is not a clock time HH:MM between 00:00 and 24:00"),
    ("tue 10:00-11:00 100", "'tue 10:00-11:00 100' has 100% shrinkage: it must be below 100"),
])
def test_a_bad_window_is_named_with_what_is_wrong(rule: str, message: str) -> None:
    """Tests each way an entry can be wrong, with the entry in the message."""
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        parse_shrinkage_window(rule)


def test_windows_follow_the_local_clock_and_the_later_entry_wins() -> None:
    """Tests every hour of the tiny plan's week on the Lisbon clock (30% outside the windows).

    * ``mon 09:00-11:00 50`` then ``mon 10:00-12:00 70``: 09:00 is 50, 10:00 and 11:00 are 70 (later wins).
    * ``sat 23:00-01:00 40``: Saturday 23:00 and, past midnight, Sunday 00:00 -- but the dated window below comes
      later and takes Sunday 00:00.
    * ``2026-03-29 00:00-03:00 90`` on the day summer time starts: local 00:00 and 02:00 (UTC 00:00 and 01:00);
      01:00 does not exist, and 03:00 (UTC 02:00) is outside. So two hours, not three.
    """
    queue = _chat(shrinkage_windows=("mon 09:00-11:00 50", "mon 10:00-12:00 70", "sat 23:00-01:00 40",
                                     "2026-03-29 00:00-03:00 90"))
    shrinkage = shrinkage_percent_by_interval(queue, HOURS_UTC, "Europe/Lisbon")
    changed = {str(HOURS_UTC[i])[:16]: shrinkage[i] for i in np.flatnonzero(shrinkage != 30)}
    assert changed == {"2026-03-23 09:00": 50, "2026-03-23 10:00": 70, "2026-03-23 11:00": 70,
                       "2026-03-28 23:00": 40, "2026-03-29 00:00": 90, "2026-03-29 01:00": 90}


def test_windows_are_on_the_queue_s_own_opening_zone() -> None:
    """Tests that a queue opening on Manila's clock (UTC+8) takes its Monday 09:00 window at 01:00 UTC."""
    queue = _chat(shrinkage_windows=("mon 09:00-10:00 50",), opening_time_zone="Asia/Manila")
    shrinkage = shrinkage_percent_by_interval(queue, HOURS_UTC, "Europe/Lisbon")
    assert [str(t)[:16] for t in HOURS_UTC[shrinkage == 50]] == ["2026-03-23 01:00"]


def test_a_queue_without_windows_keeps_its_shrinkage_everywhere() -> None:
    """Tests the default: the queue's shrinkage_percent in every interval."""
    assert (shrinkage_percent_by_interval(_chat(), HOURS_UTC, "Europe/Lisbon") == 30).all()


def test_requirements_divide_by_the_window_s_shrinkage(tiny_plan: Path) -> None:
    """Tests en/chat at 10 chats an hour (2 productive agents every hour) on Monday 23 March:
    ceil(2 / 0.7) = 3 agents at 30%, ceil(2 / 0.5) = 4 in the 50% meeting hours 09:00-11:00, and 2 at 14:00,
    where the window sets no shrinkage at all."""
    plan = load_plan(_with_windows(tiny_plan, '["mon 14:00-15:00 0", "mon 09:00-11:00 50"]'))
    requirements = constant_requirements(plan)
    chat = requirements[(requirements["language"] == "en") & (requirements["channel"] == "chat")].head(17)
    assert (chat["agents_productive"] == 2).all()
    assert chat["agents"].tolist() == [3] * 9 + [4, 4] + [3] * 3 + [2] + [3, 3]
    assert chat["shrinkage_percent"].tolist() == [30] * 9 + [50, 50] + [30] * 3 + [0] + [30, 30]
    assert chat["agents"].tolist()[9] == math.ceil(2 / 0.5)


def test_the_roster_s_expected_service_counts_the_window_s_shrinkage(tiny_plan: Path) -> None:
    """Tests the hand roster's one en/chat agent on Monday: 1 x 0.7 = 0.7 productive at 12:00 and 15:00 (it was
    floor(0.7) = 0), but 1 at 14:00, where the window sets 0% (and the requirement there is 2, not 3)."""
    report = tiny_report(_with_windows(tiny_plan, '["mon 14:00-15:00 0"]'))[0]
    cov = report.coverage
    chat = cov[(cov["queue"] == "en/chat") & (cov["date"] == dt.date(2026, 3, 23))].set_index("start_utc")
    rows = [tuple(chat.loc[pd.Timestamp(f"2026-03-23 {hour}:00"), ["required", "scheduled", "productive"]])
            for hour in (12, 14, 15)]
    assert rows == [(3, 1, 0.7), (2, 1, 1), (3, 1, 0.7)]


def test_validate_shows_each_queue_s_shrinkage_and_its_windows(tiny_plan: Path) -> None:
    """Tests the summary's shrinkage column: the chat queues' 30% with their two windows, the phone queue's 0%."""
    from click.testing import CliRunner

    from shiftplan.cli import main

    _with_windows(tiny_plan, '["mon 14:00-15:00 0", "mon 09:00-11:00 50"]')
    result = CliRunner().invoke(main, ["validate", str(tiny_plan)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "  en/chat      chat    80% in 1 min Erlang C                       3  30%, 2 windows" in lines
    assert "  de/chat      chat    80% in 1 min Erlang C                       2  30%, 2 windows" in lines
    assert "  en/phone     phone   80% in 20 s, abandon <= 5% Erlang A         2  0%" in lines
