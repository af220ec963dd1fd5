"""The rows HR imports as they are: time off on the agent's own days, segments that never span a clock change.

The tiny plan runs on Lisbon's clock (UTC+0, summer time +01:00 from 29 March 02:00); Manila is UTC+8 all year, so
the plan's first day starts at 08:00 in Manila and its last day ends at 07:00 there.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pandas as pd
import pytest

from outputs.report import RosterReport
from outputs.sheets import hr_frame
from outputs.write import write_roster_files
from tests.outputs.tiny_roster import tiny_report
from tests.plan_factory import write_tiny_plan

#: Time off of the two Manila agents at the edges of the plan (E5's late shift is Monday 14:00-22:00 Manila).
EDGE_TIME_OFF = """\
E3,2026-03-23,2026-03-23,vacation,first day
E5,2026-03-23T02:00,2026-03-23T06:00,training,before the plan's clock starts
E5,2026-03-29,2026-04-02,vacation,past the plan's last day
"""


@pytest.fixture(scope="module")
def edge_report(tmp_path_factory: pytest.TempPathFactory) -> RosterReport:
    """The hand roster on the tiny plan with :data:`EDGE_TIME_OFF` added."""
    plan = write_tiny_plan(tmp_path_factory.mktemp("edges") / "plan")
    with (plan / "time_off.csv").open("a", encoding="utf-8") as stream:
        stream.write(EDGE_TIME_OFF)
    return tiny_report(plan)[0]


def _time_off(frame: pd.DataFrame, employee: str) -> list[tuple[str, str, str, str, int]]:
    rows = frame[(frame["employee_id"] == employee) & (frame["activity"] == "time off")]
    return [(f"{a:%Y-%m-%d %H:%M}", f"{b:%Y-%m-%d %H:%M}", f"{c:%Y-%m-%d %H:%M}", f"{d:%Y-%m-%d %H:%M}", int(m))
            for a, b, c, d, m in rows[["start_local", "end_local", "start_utc", "end_utc", "minutes"]].itertuples(
                index=False)]


def test_time_off_keeps_whole_local_days_at_the_plan_edges(edge_report: RosterReport) -> None:
    """Tests the Manila agents' time off: a vacation on the plan's first day is that whole day in Manila (00:00, not
    08:00, the plan's midnight there); a training before 08:00 that day is shown, not dropped; a vacation past the
    plan's last day ends at Manila's midnight after it (30 March 00:00, not 07:00). Each minute of the plan's days
    on the agent's clock and none other: next week's roster gives the rest of the vacation from there."""
    hr = hr_frame(edge_report)
    assert _time_off(hr, "E3") == [
        ("2026-03-23 00:00", "2026-03-24 00:00", "2026-03-22 16:00", "2026-03-23 16:00", 1440),
        ("2026-03-26 09:00", "2026-03-26 13:00", "2026-03-26 01:00", "2026-03-26 05:00", 240)]
    assert _time_off(hr, "E5") == [
        ("2026-03-23 02:00", "2026-03-23 06:00", "2026-03-22 18:00", "2026-03-22 22:00", 240),
        ("2026-03-29 00:00", "2026-03-30 00:00", "2026-03-28 16:00", "2026-03-29 16:00", 1440)]
    off = hr[hr["activity"] == "time off"]
    assert list(off.loc[off["employee_id"] == "E5", "roster_date"]) == [dt.date(2026, 3, 23), dt.date(2026, 3, 29)]
    assert list(off.loc[off["employee_id"] == "E5", "start_time"]) == [dt.time(2), dt.time(0)]


def test_the_csv_and_the_calendar_give_the_same_time_off(edge_report: RosterReport, tmp_path: Path) -> None:
    """Tests that the HR CSV and E5's calendar hold E5's time off as the HR sheet does: 23 March 02:00-06:00 and 29
    March 00:00 to 30 March 00:00 Manila."""
    files = write_roster_files(edge_report, tmp_path / "out")
    csv = pd.read_csv(files.csv, dtype=str)
    rows = csv[(csv["employee_id"] == "E5") & (csv["activity"] == "time off")]
    assert rows[["start_local", "end_local", "start_utc", "end_utc", "minutes"]].values.tolist() == [
        ["2026-03-23T02:00:00", "2026-03-23T06:00:00", "2026-03-22T18:00:00", "2026-03-22T22:00:00", "240"],
        ["2026-03-29T00:00:00", "2026-03-30T00:00:00", "2026-03-28T16:00:00", "2026-03-29T16:00:00", "1440"]]
    calendar = icalendar.Calendar.from_ical((files.calendars / "E5.ics").read_text(encoding="utf-8"))
    off = [(e.decoded("DTSTART"), e.decoded("DTEND")) for e in calendar.walk("VEVENT")
           if str(e["SUMMARY"]).startswith("Time off")]
    utc = dt.UTC
    assert off == [(dt.datetime(2026, 3, 22, 18, tzinfo=utc), dt.datetime(2026, 3, 22, 22, tzinfo=utc)),
                   (dt.datetime(2026, 3, 28, 16, tzinfo=utc), dt.datetime(2026, 3, 29, 16, tzinfo=utc))]
