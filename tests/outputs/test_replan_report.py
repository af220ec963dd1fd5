"""A re-plan's report on the tiny plan, by hand: its cut, its changes in the order they take effect, and why a dropped
shift was dropped (the 21st session's audit: local times with no zone, sorted by agent, a Saturday dropped unsaid).

The published roster: E2 (Lisbon, at most 5 days a week) 09:00-17:00 Monday to Friday, E4 (Lisbon) and E5 (Manila)
off all week. Re-planned from Wed 25 March 12:00 (Lisbon, UTC+0 until the 29th), by hand: E2 keeps Monday to Wednesday
(Wednesday's shift is under way), works Thursday 10:00-18:00, not Friday, and Saturday 09:00-17:00; E4 is called in
Wednesday 14:00-22:00; E5 works Friday 14:00-22:00 Manila (06:00-14:00 Lisbon).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from inputs import load_plan
from inputs.records import KeptRoster
from outputs.report import RosterReport, build_report
from outputs.sheets import changes_frame
from outputs.workbook import write_workbook
from scheduler.build import build_problem
from scheduler.stage_results import greedy_result
from shiftplan.demand import staffing_spec
from tests.outputs.tiny_roster import constant_requirements
from tests.plan_factory import write_tiny_plan


@pytest.fixture(scope="module")
def re_plan(tmp_path_factory: pytest.TempPathFactory) -> RosterReport:
    """The re-plan of the module docstring, its roster checked by the independent checker."""
    plan_dir = write_tiny_plan(tmp_path_factory.mktemp("re-plan") / "plan")
    rows = ["employee_id,date,start,end,template"]
    for day in range(23, 30):
        rows += [f"E2,2026-03-{day},09:00,17:00,day" if day <= 27 else f"E2,2026-03-{day},,,",
                 f"E4,2026-03-{day},,,", f"E5,2026-03-{day},,,"]
    (plan_dir / "kept.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    plan = load_plan(plan_dir, keep=KeptRoster(plan_dir / "kept.csv", dt.date(2026, 3, 25), dt.time(12, 0)))
    requirements = constant_requirements(plan)
    problem = build_problem(plan, requirements)
    index = {agent.employee_id: a for a, agent in enumerate(problem.agents)}

    def option(employee: str, day: int, utc_hour: int) -> int:  # the 8-hour option starting then (60-minute grid)
        options = problem.agents[index[employee]].options
        return next(o for o, item in enumerate(options) if item.start == 24 * day + utc_hour and item.length == 8)

    e2 = problem.agents[index["E2"]]
    chosen = {index["E2"]: [e2.pinned[0], e2.pinned[1], e2.pinned[2], option("E2", 3, 10), option("E2", 5, 9)],
              index["E4"]: [option("E4", 2, 14)], index["E5"]: [option("E5", 4, 6)]}
    result, _ = greedy_result(problem, chosen, 0.0, None, {"seed": 0, "workers": 1})
    specs = {q.key: staffing_spec(q) for q in plan.queues}
    return build_report(plan, problem, result, requirements, specs, time_limit_seconds=5.0)


def test_the_report_records_the_cut_and_the_changes_in_the_order_they_take_effect(re_plan: RosterReport) -> None:
    """Tests the facts: the cut on the plan's clock and in UTC; the five changes soonest first (the solve's order is by
    agent: E2's three, then E4, then E5), each with the agent's zone and both starts on the plan's clock; E2's Friday
    dropped because Saturday added would make a sixth day beside Monday to Thursday (E2's week: at most 5)."""
    assert re_plan.facts["replan"] == {"from_utc": "2026-03-25T12:00:00", "from_local": "2026-03-25T12:00:00",
                                       "keep_before": "2026-03-25 12:00", "num_published": 14}
    assert re_plan.facts["changes"] == [
        ["E4", "Dieter Krause", "2026-03-25", "off", "14:00-22:00", "added", "Europe/Lisbon", "",
         "2026-03-25T14:00:00+00:00", ""],
        ["E2", "Bruno Lima", "2026-03-26", "09:00-17:00", "10:00-18:00", "moved", "Europe/Lisbon",
         "2026-03-26T09:00:00+00:00", "2026-03-26T10:00:00+00:00", ""],
        ["E5", "Eva Santos", "2026-03-27", "off", "14:00-22:00", "added", "Asia/Manila", "",
         "2026-03-27T06:00:00+00:00", ""],
        ["E2", "Bruno Lima", "2026-03-27", "09:00-17:00", "off", "dropped", "Europe/Lisbon",
         "2026-03-27T09:00:00+00:00", "", "works Sat 28 Mar instead: 5 days a week"],
        ["E2", "Bruno Lima", "2026-03-28", "off", "09:00-17:00", "added", "Europe/Lisbon", "",
         "2026-03-28T09:00:00+00:00", ""]]


def test_the_changes_sheet_gives_the_zone_and_when_each_change_takes_effect(re_plan: RosterReport,
                                                                           tmp_path: Path) -> None:
    """Tests the Changes sheet: when each change takes effect and the new start on the plan's clock (its zone in the
    header), the agent's zone beside the local times, the reason in the change; soonest first."""
    frame = changes_frame(re_plan)
    assert list(frame["takes_effect"].dt.strftime("%a %d %H:%M")) == [
        "Wed 25 14:00", "Thu 26 09:00", "Fri 27 06:00", "Fri 27 09:00", "Sat 28 09:00"]
    path = tmp_path / "re-plan.xlsx"
    write_workbook(path, re_plan)
    sheet = [[cell.value for cell in row] for row in openpyxl.load_workbook(path)["Changes"].iter_rows()]
    assert sheet[0] == ["takes_effect (Europe/Lisbon)", "employee_id", "name", "time_zone", "date", "published", "now",
                        "new_start (Europe/Lisbon)", "change"]
    assert sheet[3] == [pd.Timestamp("2026-03-27 06:00").to_pydatetime(), "E5", "Eva Santos", "Asia/Manila",
                        "2026-03-27", "off", "14:00-22:00", pd.Timestamp("2026-03-27 06:00").to_pydatetime(), "added"]
    assert sheet[4] == [pd.Timestamp("2026-03-27 09:00").to_pydatetime(), "E2", "Bruno Lima", "Europe/Lisbon",
                        "2026-03-27", "09:00-17:00", "off", None, "dropped (works Sat 28 Mar instead: 5 days a week)"]


def test_the_printed_changes_are_soonest_first_with_how_many_more(re_plan: RosterReport,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests the changes line: each change by when it takes effect, the agent and the kind, soonest first; beyond the
    first CHANGES_NAMED (3 here), how many more."""
    import shiftplan.summary as summary

    monkeypatch.setattr(summary, "CHANGES_NAMED", 3)
    assert summary.changes_line(re_plan.facts["changes"], 20) == (
        "changed 5 of the 20 published agent-days, soonest first (when each takes effect, on the plan's clock): Wed 25 "
        "Mar 14:00 E4 added, Thu 26 Mar 09:00 E2 moved, Fri 27 Mar 06:00 E5 added, and 2 more (all of them, with the "
        "published and the new shift, on the workbook's Changes sheet)")


def test_the_cancelled_shift_s_calendar_event_says_why(re_plan: RosterReport) -> None:
    """Tests E2's calendar: the cancelled Friday says why it was dropped."""
    from outputs.ics import cancelled_events

    events = cancelled_events(re_plan, "E2")
    assert [event["description"] for event in events] == [
        "Bruno Lima (E2)\n2026-03-27 09:00-17:00 in Europe/Lisbon: dropped (works Sat 28 Mar instead: 5 days a week)"]
