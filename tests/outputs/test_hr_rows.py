"""The rows HR imports as they are: time off on the agent's own days, segments that never span a clock change.

The tiny plan runs on Lisbon's clock (UTC+0, summer time +01:00 from 29 March 01:00 UTC, when the clocks go from
01:00 to 02:00); Manila is UTC+8 all year, so the plan's first day starts at 08:00 in Manila and its last day ends at
07:00 there.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pandas as pd
import pytest

from inputs import load_plan
from outputs.report import RosterReport, build_report
from outputs.sheets import chart_data_frame, clock_labels, grid_frames, hr_frame, penalties_frame, shifts_frame
from outputs.write import write_roster_files
from scheduler.build import build_problem
from scheduler.checker import check_roster
from scheduler.result import Result
from scheduler.roster import Assignment, Roster
from shiftplan.demand import staffing_spec
from tests.outputs.tiny_roster import EN_CHAT, EN_PHONE, constant_requirements, tiny_report
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


NIGHT_TEMPLATE = """
[[shift_templates]]
name = "night"
code = "N"
start_earliest = "22:00"
start_latest = "22:00"
lengths_minutes = [{minutes}]
"""
#: E2's night by default: en/chat for 2 hours, en/phone for 3 (across 01:00 UTC, when Lisbon's clocks change on that
#: Sunday of March or October) and en/chat for 3.
NIGHT_QUEUES = (EN_CHAT,) * 2 + (EN_PHONE,) * 3 + (EN_CHAT,) * 3


def night_report(folder: Path, first_day: str, *, interval_minutes: int = 60, minutes: int = 480,
                 queues: tuple[int, ...] = NIGHT_QUEUES) -> RosterReport:
    """The tiny plan from ``first_day`` on a grid of ``interval_minutes`` with a night template of ``minutes``, and
    one shift: E2 (Lisbon) from Saturday 22:00, serving ``queues`` (one per interval)."""
    plan_dir = write_tiny_plan(folder)
    toml = (plan_dir / "shiftplan.toml").read_text(encoding="utf-8").replace(
        "first_day = 2026-03-23", f"first_day = {first_day}").replace(
        "interval_minutes = 60", f"interval_minutes = {interval_minutes}")
    (plan_dir / "shiftplan.toml").write_text(toml + NIGHT_TEMPLATE.format(minutes=minutes), encoding="utf-8")
    plan = load_plan(plan_dir, with_history=False)  # requirements without a forecast: October needs no history
    requirements = constant_requirements(plan)
    problem = build_problem(plan, requirements)
    agent = next(i for i, a in enumerate(problem.agents) if a.employee_id == "E2")
    night = next(t for t, template in enumerate(problem.templates) if template.name == "night")
    option = next(i for i, o in enumerate(problem.agents[agent].options) if o.day == 5 and o.template == night)
    roster = Roster((Assignment(agent, option, (), queues),))
    check = check_roster(problem, roster)
    assert check.feasible, check.violations
    result = Result("FEASIBLE", 1.0, 1.0, None, None, 0.1, roster=roster, coverage=check.coverage, terms=check.terms,
                    penalties=check.soft, num_agents_used=1, num_agents=5)
    specs = {q.key: staffing_spec(q) for q in plan.queues}
    return build_report(plan, problem, result, requirements, specs, time_limit_seconds=1.0)


def _rows(report: RosterReport) -> list[tuple[str, str, str, str, str, str, int]]:
    hr = hr_frame(report)
    night = hr[hr["employee_id"] == "E2"]
    return [(f"{a:%m-%d %H:%M}", f"{b:%m-%d %H:%M}", f"{c:%H:%M}", f"{d:%H:%M}", e, q, int(m))
            for a, b, c, d, e, q, m in night[["start_local", "end_local", "start_time", "end_time", "utc_offset",
                                               "queue", "minutes"]].itertuples(index=False)]


#: E2's night the clocks go forward (28 March 22:00 UTC+0 to 29 March 07:00 UTC+1; en/phone from 00:00 to 03:00
#: UTC was one row 00:00-04:00 of 180 minutes, four hours by the clock) and the night they go back (24 October 22:00
#: UTC+1 to 25 October 05:00 UTC+0; en/phone from 23:00 to 02:00 UTC was one row 00:00-02:00 of 180 minutes, and
#: in the audit's plan rows such as '01:30 -> 01:00, 30 min').
CLOCK_CHANGES = {
    "forward": ("2026-03-23", [("03-28 22:00", "03-29 00:00", "22:00", "00:00", "+00:00", "en/chat", 120),
                               ("03-29 00:00", "03-29 01:00", "00:00", "01:00", "+00:00", "en/phone", 60),
                               ("03-29 02:00", "03-29 04:00", "02:00", "04:00", "+01:00", "en/phone", 120),
                               ("03-29 04:00", "03-29 07:00", "04:00", "07:00", "+01:00", "en/chat", 180)],
                "2026-03-28", "N 22:00-07:00"),
    "back": ("2026-10-19", [("10-24 22:00", "10-25 00:00", "22:00", "00:00", "+01:00", "en/chat", 120),
                            ("10-25 00:00", "10-25 02:00", "00:00", "02:00", "+01:00", "en/phone", 120),
                            ("10-25 01:00", "10-25 02:00", "01:00", "02:00", "+00:00", "en/phone", 60),
                            ("10-25 02:00", "10-25 05:00", "02:00", "05:00", "+00:00", "en/chat", 180)],
             "2026-10-24", "N 22:00-05:00"),
}


@pytest.mark.parametrize("change", list(CLOCK_CHANGES))
def test_a_segment_is_split_where_the_clocks_change(change: str, tmp_path: Path) -> None:
    """Tests E2's night across Lisbon's clock change at 01:00 UTC, forward (the tiny plan's own week) and back (the
    week of 19 October 2026): en/phone is two rows, split at the change, each on one clock: its end is its start plus
    its minutes, at its own UTC offset (:data:`CLOCK_CHANGES`). Every row is of Saturday's shift, and the grid shows
    it from its first start to its last end."""
    first_day, rows, saturday, cell = CLOCK_CHANGES[change]
    report = night_report(tmp_path / "plan", first_day)
    assert _rows(report) == rows
    hr = hr_frame(report)
    assert set(hr.loc[hr["employee_id"] == "E2", "roster_date"]) == {dt.date.fromisoformat(saturday)}
    text, _ = grid_frames(report)
    assert text.set_index("employee_id").at["E2", saturday] == cell


def test_the_csv_and_the_calendar_split_a_segment_the_night_the_clocks_go_back(tmp_path: Path) -> None:
    """Tests that the HR CSV and E2's calendar give the rows of the hr sheet the night the clocks go back: en/phone
    00:00-02:00 at +01:00 (23:00-01:00 UTC) and 01:00-02:00 at +00:00 (01:00-02:00 UTC); the calendar's description
    says each segment's offset that night."""
    files = write_roster_files(night_report(tmp_path / "plan", "2026-10-19"), tmp_path / "out")
    csv = pd.read_csv(files.csv, dtype=str)
    assert csv.loc[csv["employee_id"] == "E2", ["start_local", "end_local", "utc_offset", "start_utc",
                                                 "end_utc"]].values.tolist()[1:3] == [
        ["2026-10-25T00:00:00", "2026-10-25T02:00:00", "+01:00", "2026-10-24T23:00:00", "2026-10-25T01:00:00"],
        ["2026-10-25T01:00:00", "2026-10-25T02:00:00", "+00:00", "2026-10-25T01:00:00", "2026-10-25T02:00:00"]]
    (event,) = icalendar.Calendar.from_ical((files.calendars / "E2.ics").read_text(encoding="utf-8")).walk("VEVENT")
    assert str(event["DESCRIPTION"]).split("\n")[1:5] == [
        "22:00-00:00 (UTC+01:00) work en/chat", "00:00-02:00 (UTC+01:00) work en/phone",
        "01:00-02:00 (UTC+00:00) work en/phone", "02:00-05:00 (UTC+00:00) work en/chat"]


def test_a_night_that_ends_in_the_hour_the_clocks_repeat_ends_there_everywhere(tmp_path: Path) -> None:
    """Tests a night of 4.5 hours on a 30-minute grid from Saturday 24 October 22:00 (UTC+1), which ends at 01:30
    after the clocks went back from 02:00 to 01:00: its rows are 22:00-02:00 at +01:00 and 01:00-01:30 at +00:00, and
    the grid and the shifts file end it at 01:30 (its last row's end, not the latest clock time, 02:00)."""
    report = night_report(tmp_path / "plan", "2026-10-19", interval_minutes=30, minutes=270, queues=(EN_CHAT,) * 9)
    assert _rows(report) == [("10-24 22:00", "10-25 02:00", "22:00", "02:00", "+01:00", "en/chat", 240),
                             ("10-25 01:00", "10-25 01:30", "01:00", "01:30", "+00:00", "en/chat", 30)]
    text, _ = grid_frames(report)
    assert text.set_index("employee_id").at["E2", "2026-10-24"] == "N 22:00-01:30"
    shifts = shifts_frame(report)
    assert shifts[shifts["start"] != ""].to_dict("records") == [
        {"employee_id": "E2", "date": "2026-10-24", "start": "22:00", "end": "01:30", "template": "night"}]


def test_the_hour_the_clocks_repeat_is_told_apart_by_its_offset_in_charts_and_penalties(tmp_path: Path) -> None:
    """Tests the labels of the intervals the night Lisbon's clocks go back (25 October 2026, 02:00 +01:00 to 01:00
    +00:00): 01:00 is shown twice by the clock, so the chart data and the penalties give it with its UTC offset
    (01:00 +01:00 is 00:00 UTC, 01:00 +00:00 is 01:00 UTC); every other time is as before, and every label of the
    week's 169 hours is its own (the audit's Chart data repeated 'Sun 31 Oct 02:00' and its Penalties gave two hours
    the same 'when')."""
    report = night_report(tmp_path / "plan", "2026-10-19")
    labels = list(chart_data_frame(report)["label"])
    assert len(labels) == 169 and len(set(labels)) == 169
    assert labels[24 * 6:24 * 6 + 3] == ["Sun 25 Oct 00:00", "Sun 25 Oct 01:00 +01:00", "Sun 25 Oct 01:00 +00:00"]
    when = penalties_frame(report).query("rule == 'under_staffing' and subject == 'en/phone'")["when"]
    assert {"2026-10-25 01:00 +01:00", "2026-10-25 01:00 +00:00", "2026-10-25 02:00"} <= set(when)
    assert clock_labels(pd.Series(pd.to_datetime(["2026-11-01 01:30", "2026-11-01 01:30"])),
                        pd.Series(pd.to_datetime(["2026-11-01 05:30", "2026-11-01 06:30"])), "%H:%M") == [
        "01:30 -04:00", "01:30 -05:00"]  # New York's repeated hour
