"""Time off rows carry the paid minutes the plan credits them towards the contract week (``outputs.paid_leave``).

The tiny plan (``tests/plan_factory.py``) starts Monday 23 March 2026 on Lisbon's clock (UTC+0; the clocks go forward
on Sunday 29 March). E1 (Lisbon) has a 40-hour, 5-day contract: a contract day of 480 minutes; the templates ``day``
(starts 07:00 to 10:00, 8 or 9 hours, a 15-minute paid break and a 30-minute unpaid lunch: 450 paid of 8 hours) and
``late`` (starts 14:00 to 16:00, 8 hours). E4 has no hours of their own: the plan's 48, so no contract. Each case is
checked against the scheduler's own week limits too: the week's maximum is the contract's 2,400 minutes less the
week's paid leave.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from inputs import load_plan
from inputs.records import KeptRoster, Plan
from outputs.paid_leave import leave_by_day, split_minutes
from outputs.report import RosterReport
from outputs.result_check import result_problems
from outputs.result_io import load_report
from outputs.roster_frame import roster_segments
from outputs.sheets import grid_frames, kpi_frame
from outputs.write import write_roster_files
from scheduler.build import build_problem
from scheduler.problem import ProblemData
from scheduler.roster import Roster
from tests.plan_factory import write_tiny_plan

HEADER = "employee_id,start,end,kind,note\n"
NO_REQUIREMENTS = pd.DataFrame(columns=["start", "language", "channel", "agents"])


def _plan(folder: Path, time_off: str, *, weeks: int = 1, agents: dict[str, str] | None = None,
          keep: tuple[str, dt.date, dt.time] | None = None) -> tuple[Plan, ProblemData]:
    """The tiny plan with ``time_off`` (rows after the header) as its time off, ``weeks`` long, with agents rows
    replaced (employee id -> whole row), re-planned from a kept roster (its rows, cut day and time) when given."""
    plan_dir = write_tiny_plan(folder / "plan")
    (plan_dir / "time_off.csv").write_text(HEADER + time_off, encoding="utf-8")
    toml = plan_dir / "shiftplan.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("weeks = 1", f"weeks = {weeks}"), encoding="utf-8")
    if agents:
        rows = (plan_dir / "agents.csv").read_text(encoding="utf-8").splitlines()
        rows = [agents.get(row.split(",")[0], row) for row in rows]
        (plan_dir / "agents.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    kept = None
    if keep is not None:
        (plan_dir / "kept.csv").write_text(keep[0], encoding="utf-8")
        kept = KeptRoster(plan_dir / "kept.csv", keep[1], keep[2])
    plan = load_plan(plan_dir, keep=kept)
    return plan, build_problem(plan, NO_REQUIREMENTS)


def _time_off(plan: Plan, problem: ProblemData, employee: str) -> list[tuple[str, int, int]]:
    """The agent's time off rows of the roster frame (nobody works): kind, minutes, paid minutes."""
    frame = roster_segments(plan, problem, Roster(()))
    rows = frame[(frame["employee_id"] == employee) & (frame["activity"] == "time off")]
    return [(kind, int(minutes), int(paid)) for kind, minutes, paid in rows[["template", "minutes", "paid_minutes"]]
            .itertuples(index=False)]


def _max_week_minutes(problem: ProblemData, employee: str) -> tuple[int, ...]:
    return next(agent.max_week_minutes for agent in problem.agents if agent.employee_id == employee)


def test_two_whole_vacation_days_of_a_40_hour_5_day_contract_are_960_paid_minutes(tmp_path: Path) -> None:
    """Tests E1's vacation Tuesday and Wednesday: two contract days of 480 minutes, the week's maximum 2,400 - 960."""
    plan, problem = _plan(tmp_path, "E1,2026-03-24,2026-03-25,vacation,\n")
    assert _time_off(plan, problem, "E1") == [("vacation", 2880, 960)]
    assert _max_week_minutes(problem, "E1") == (1440,)


def test_a_training_that_leaves_no_shift_is_its_hours_on_a_37_5_hour_contract(tmp_path: Path) -> None:
    """Tests E3 (Manila, template ``day`` only) on 37.5 hours in 5 days (a contract day of 450 minutes): a training
    09:00-13:00 on Thursday meets every ``day`` start (07:00 to 10:00, 8 hours or more), so no shift is left that
    day, and its 240 minutes (under 450) are paid; the week's maximum is 2,250 - 240."""
    agents = {"E3": "E3,Carla Reyes,Manila,Asia/Manila,en,chat;email;phone,20,37.5,5,day"}
    plan, problem = _plan(tmp_path, "E3,2026-03-26T09:00,2026-03-26T13:00,training,course\n", agents=agents)
    assert _time_off(plan, problem, "E3") == [("training", 240, 240)]
    assert _max_week_minutes(problem, "E3") == (2010,)


def test_time_off_on_a_day_a_shift_still_fits_is_not_paid(tmp_path: Path) -> None:
    """Tests E1's vacation from Tuesday 00:00 to Wednesday 12:00: Tuesday is a contract day (480), but Wednesday's
    ``late`` shift from 14:00 still fits, so its 12 hours count nothing (not 480 more); a training Thursday 07:00-12:00
    meets every ``day`` start but leaves ``late``: 0. The week's maximum is 2,400 - 480."""
    plan, problem = _plan(tmp_path, "E1,2026-03-24T00:00,2026-03-25T12:00,vacation,\n"
                                    "E1,2026-03-26T07:00,2026-03-26T12:00,training,\n")
    assert _time_off(plan, problem, "E1") == [("vacation", 2160, 480), ("training", 300, 0)]
    assert _max_week_minutes(problem, "E1") == (1920,)


def test_an_absence_over_two_weeks_counts_each_of_its_days_in_its_own_week(tmp_path: Path) -> None:
    """Tests a two-week plan with E1 on vacation Saturday 28 to Monday 30 March: three contract days, in a row per
    week of the plan (payroll sums a week's rows): Saturday and the 23-hour Sunday the clocks go forward (2,820
    minutes, 960 paid), then Monday (1,440, 480); the first week's maximum shrinks by two days, the second's by
    one."""
    plan, problem = _plan(tmp_path, "E1,2026-03-28,2026-03-30,vacation,\n", weeks=2)
    assert _time_off(plan, problem, "E1") == [("vacation", 2 * 1440 - 60, 960), ("vacation", 1440, 480)]
    assert leave_by_day(plan, problem) == {0: {5: 480, 6: 480, 7: 480}}
    assert _max_week_minutes(problem, "E1") == (2400 - 960, 2400 - 480)


def test_only_the_days_of_an_absence_inside_the_plan_count(tmp_path: Path) -> None:
    """Tests absences that run out of the one-week plan: a vacation from Thursday 19 March to Monday 23 counts Monday
    alone (480); a sick leave from Saturday 28 March to Friday 3 April counts Saturday and Sunday (960); the week's
    maximum is 2,400 less the three days."""
    plan, problem = _plan(tmp_path, "E1,2026-03-19,2026-03-23,vacation,\nE1,2026-03-28,2026-04-03,sick,\n")
    assert _time_off(plan, problem, "E1") == [("vacation", 1440, 480), ("sick", 1440 + 1380, 960)]
    assert _max_week_minutes(problem, "E1") == (960,)


def test_two_absences_on_one_day_share_its_contract_day_by_their_minutes(tmp_path: Path) -> None:
    """Tests a training Thursday 07:00-12:00 (300 minutes) and a sick leave from 12:00 to midnight (720) that
    together leave E1 no shift: one contract day, 480, shared 300 : 720, 141.18 and 338.82, rounded to 141 and 339
    so that the day stays 480."""
    plan, problem = _plan(tmp_path, "E1,2026-03-26T07:00,2026-03-26T12:00,training,\n"
                                    "E1,2026-03-26T12:00,2026-03-27T00:00,sick,\n")
    assert _time_off(plan, problem, "E1") == [("training", 300, 141), ("sick", 720, 339)]
    assert _max_week_minutes(problem, "E1") == (1920,)


def test_an_agent_without_a_contract_gets_no_paid_leave(tmp_path: Path) -> None:
    """Tests E1 and E4 on vacation the same two days: E1's 40-hour contract credits 960 minutes; E4, at the plan's
    48 hours, has no contract the week limits count time off against (their maximum stays 2,880): 0."""
    plan, problem = _plan(tmp_path, "E1,2026-03-24,2026-03-25,vacation,\nE4,2026-03-24,2026-03-25,vacation,\n")
    assert _time_off(plan, problem, "E1") == [("vacation", 2880, 960)]
    assert _time_off(plan, problem, "E4") == [("vacation", 2880, 0)]
    assert _max_week_minutes(problem, "E4") == (2880,)


def test_a_kept_shift_cut_short_or_left_for_a_while_carries_the_paid_time_it_lost(tmp_path: Path) -> None:
    """Tests a re-plan from Wednesday 12:00 keeping E1's day shifts 09:00-17:00 Monday to Wednesday (450 paid each):
    Monday's doctor 10:00-11:00 is time away, the shift's paid time 480 - 60 - 30 (lunch) = 390, so the doctor's row
    carries the 60 lost; Wednesday's sick leave from 13:00 sends E1 home, the worked part 09:00-13:00 with its break
    and without the lunch (its window ends after the cut) is 240 paid, so the sick row carries 450 - 240 = 210 (not
    the 300 of its hours that day: the day is worked). The week's maximum is 2,400 - 60 - 210."""
    kept = "employee_id,date,start,end,template\n" + "".join(
        f"E1,2026-03-{day},09:00,17:00,day\n" if day <= 25 else f"E1,2026-03-{day},,,\n" for day in range(23, 30))
    plan, problem = _plan(tmp_path, "E1,2026-03-23T10:00,2026-03-23T11:00,other,doctor\n"
                                    "E1,2026-03-25T13:00,2026-03-25T18:00,sick,\n",
                          keep=(kept, dt.date(2026, 3, 25), dt.time(12, 0)))
    assert _time_off(plan, problem, "E1") == [("other", 60, 60), ("sick", 300, 210)]
    assert _max_week_minutes(problem, "E1") == (2130,)


def test_split_minutes_keeps_the_total_and_gives_the_odd_minutes_to_the_largest_remainders() -> None:
    """Tests the sharing: 480 by 300 : 720 is 141 and 339; 10 in three equal parts 4, 3, 3 (a tie: the first);
    nothing to share, or no weight, is all 0."""
    assert split_minutes(480, [300, 720]) == [141, 339]
    assert split_minutes(10, [1, 1, 1]) == [4, 3, 3]
    assert split_minutes(0, [1, 2]) == [0, 0]
    assert split_minutes(480, [0, 0]) == [0, 0]


@pytest.fixture(scope="module")
def written(report: RosterReport, tmp_path_factory: pytest.TempPathFactory) -> tuple[RosterReport, Path]:
    """The tiny report's files (E1's vacation, 960 paid; E3's training, 240) and the report reloaded from them."""
    files = write_roster_files(report, tmp_path_factory.mktemp("leave") / "out")
    return load_report(files.result), files.csv


def test_the_csv_and_the_reloaded_result_carry_the_paid_leave(written: tuple[RosterReport, Path]) -> None:
    """Tests the HR CSV's time off rows (E1's two vacation days, 960 paid; E3's training, 240) and the saved result
    read back for export: the same figures, and the re-check finds nothing wrong with them."""
    back, csv_path = written
    csv = pd.read_csv(csv_path, dtype={"employee_id": str})
    off = csv[csv["activity"] == "time off"]
    assert off[["employee_id", "minutes", "paid_minutes"]].values.tolist() == [["E1", 2880, 960], ["E3", 240, 240]]
    segments = back.segments
    assert list(segments.loc[segments["activity"] == "time off", "paid_minutes"]) == [960, 240]
    frames = {name: getattr(back, name) for name in ("segments", "agents", "coverage", "templates")}
    assert result_problems(back.facts, frames, back.roster) == []


def test_paid_leave_stays_out_of_the_worked_paid_hours(report: RosterReport) -> None:
    """Tests that the leave is on the time off rows alone (E1's 960 and E3's 240 minutes): the Summary's paid hours
    stay E2's 450 and E5's 480 worked minutes (15.5 h), the agents' paid minutes and the Grid's weekly hours E1's and
    E3's 0 worked."""
    segments = report.segments
    leave = segments[segments["activity"] == "time off"].groupby("employee_id")["paid_minutes"].sum()
    assert leave.to_dict() == {"E1": 960, "E3": 240}
    kpis = kpi_frame(report)
    assert kpis.loc[kpis["figure"] == "paid hours", "value"].item() == 15.5
    agents = report.agents.set_index("employee_id")
    assert agents.loc[["E1", "E2", "E3", "E5"], "paid_minutes"].tolist() == [0, 450, 0, 480]
    text, _ = grid_frames(report)
    hours = text.set_index("employee_id")
    assert hours.loc[["E1", "E2", "E3", "E5"], "total_hours"].tolist() == [0.0, 7.5, 0.0, 8.0]


def test_a_week_of_vacation_pays_the_contract_week_not_seven_days(tmp_path: Path) -> None:
    """Tests E1 (40 h, 5 days) on vacation the whole week, Monday to Sunday: every day takes a contract day from the
    week, but payroll pays the contract week, 2,400 minutes (Monday to Friday 480 each, the weekend 0), not 7 x 480 =
    3,360; the scheduler's maximum is 0, as it was. In a two-week plan the same vacation and three days of sick leave
    the next week pay 2,400 and 1,440."""
    plan, problem = _plan(tmp_path, "E1,2026-03-23,2026-03-29,vacation,\n")
    assert _time_off(plan, problem, "E1") == [("vacation", 7 * 1440 - 60, 2400)]
    assert leave_by_day(plan, problem) == {0: {0: 480, 1: 480, 2: 480, 3: 480, 4: 480}}
    assert _max_week_minutes(problem, "E1") == (0,)
    two, problem2 = _plan(tmp_path / "two", "E1,2026-03-23,2026-03-29,vacation,\nE1,2026-03-30,2026-04-01,sick,\n",
                          weeks=2)
    assert [paid for _, _, paid in _time_off(two, problem2, "E1")] == [2400, 1440]
