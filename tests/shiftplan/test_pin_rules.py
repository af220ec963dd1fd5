"""Pins that alone break a labour rule: found as the scheduler finds them, reported at their files and rows.

The tiny plan (tests/plan_factory.py): a one-week plan from Monday 2026-03-23 on a 60-minute grid, Europe/Lisbon;
11 h minimum rest, at most 6 days in a row and 5 a week (2 days off); E3 works at most 30 h and 4 days a week; the
'day' template has a 30-minute unpaid lunch, 'late' no break.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import shiftplan.pin_rules as pin_rules
from inputs.plan_loader import load_plan
from inputs.problems import PlanError
from scheduler.build import build_problem
from scheduler.cpsat.explain import explain_pinned
from shiftplan.cli import main

HEADER = "employee_id,date,start,end,template\n"


def _with_roster(plan: Path, rows: str, name: str = "pinned.csv") -> None:
    """Write ``rows`` as the plan's roster file."""
    (plan / name).write_text(HEADER + rows, encoding="utf-8")
    toml = (plan / "shiftplan.toml").read_text(encoding="utf-8")
    (plan / "shiftplan.toml").write_text(toml.replace('events = "events.csv"',
                                                      f'events = "events.csv"\nroster = "{name}"'), encoding="utf-8")


PIN_CASES = [
    pytest.param("E2,2026-03-23,14:00,22:00,late\nE2,2026-03-24,07:00,15:00,day\n", {"E2"}, id="rest"),  # 9 h
    pytest.param("".join(f"E3,2026-03-{day},08:00,16:00,day\n" for day in (23, 24, 25, 27, 28)), {"E3"},
                 id="week"),  # 37.5 paid hours over 5 days, against 30 h and 4 days
    pytest.param("".join(f"E4,2026-03-{day},08:00,16:00,\n" for day in range(17, 24)), {"E4"},
                 id="in_a_row"),  # the 6 days before the plan and its first
    pytest.param("E1,2026-03-23,08:00,16:00,day\n" + "".join(f"E1,2026-03-{day},,,\n" for day in (26, 27, 28, 29)),
                 {"E1"}, id="minimum"),  # 7.5 h pinned, Tue and Wed on vacation, the rest off: against 32 h
    pytest.param("E2,2026-03-23,08:00,16:00,day\nE2,2026-03-24,08:00,16:00,day\n"
                 "E3,2026-03-23,08:00,16:00,day\nE3,2026-03-24,08:00,16:00,day\n", set(),
                 id="within_every_limit"),
]


@pytest.mark.parametrize(("rows", "agents"), PIN_CASES)
def test_the_agents_reported_are_those_the_scheduler_refuses(tiny_plan: Path, rows: str, agents: set[str]) -> None:
    """Tests that validate's pin problems name exactly the agents whose pins make the solve refuse the plan at once
    (explain_pinned on the whole problem, every agent's options built), so validate and solve agree."""
    _with_roster(tiny_plan, rows)
    plan = load_plan(tiny_plan)
    refused = {line.split(":")[0].removeprefix("agent ")
               for line in explain_pinned(build_problem(plan, pin_rules.NO_DEMAND))}
    at = {(pin.file, pin.row): pin.employee_id for pin in plan.pinned}  # each problem is located at a pin
    reported = {at[problem.file, problem.row] for problem in pin_rules.pinned_rule_problems(plan)}
    assert refused == agents
    assert reported == agents


def test_pins_far_from_every_limit_build_no_problem(tiny_plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests that pins a day apart at the same time, a few a week, are passed over on the clock without building the
    scheduler's problem (which costs seconds on a plan of 150 agents)."""
    _with_roster(tiny_plan, "E2,2026-03-23,08:00,16:00,day\nE2,2026-03-24,08:00,16:00,day\n")
    plan = load_plan(tiny_plan)

    def refuse(*_: object) -> None:
        raise AssertionError("the problem was built")

    monkeypatch.setattr(pin_rules, "build_problem", refuse)
    assert pin_rules.pinned_rule_problems(plan) == []


def test_rest_broken_only_on_the_grid_says_so(tiny_plan: Path) -> None:
    """Tests a rest broken only once the shift's end is rounded up to the grid: with 11.5 h minimum rest (12
    intervals of 60 minutes), a 12:00-20:30 shift counts to 21:00, so 08:00 the next day is 11 h later on the grid
    though 11.5 h on the clock; the message gives both."""
    toml = (tiny_plan / "shiftplan.toml").read_text(encoding="utf-8")
    (tiny_plan / "shiftplan.toml").write_text(toml.replace("min_rest_hours = 11", "min_rest_hours = 11.5"))
    _with_roster(tiny_plan, "E2,2026-03-23,12:00,20:30,\nE2,2026-03-24,08:00,16:00,day\n")
    with pytest.raises(PlanError) as raised:
        load_plan(tiny_plan, checks=(pin_rules.pinned_rule_problems,))
    assert [problem.render() for problem in raised.value.problems if problem.severity == "error"] == [
        "pinned.csv, row 3, column start: '08:00': pins a shift that starts 11.5 h after the agent's shift of "
        "2026-03-23 (row 2) ends at 2026-03-23 20:30, 11 h once that shift's end is rounded up to the plan's 60-minute "
        "grid, less than the 11.5 h minimum rest. Fix: move or remove one of the two shifts, or lower [rules] "
        "min_rest_hours.",
    ]


KEPT_REST = ("  kept.csv, row 3, column start: '08:00': pins a shift that starts 10 h after the agent's shift of "
             "2026-03-23 (row 2) ends at 2026-03-23 22:00, less than the 11 h minimum rest. Fix: the row is kept from "
             "the published roster: re-plan from 2026-03-24 or earlier (--keep-before), so that it is planned anew, "
             "or lower [rules] min_rest_hours.")


@pytest.mark.parametrize("command", ["validate", "solve"])
def test_a_kept_roster_that_breaks_a_rule_is_refused_at_its_rows(tiny_plan: Path, command: str) -> None:
    """Tests a re-plan whose kept rows (Monday 14:00-22:00, Tuesday 08:00) are 10 h apart under the 11 h rule:
    validate --keep-before said the plan was valid and solve ended INFEASIBLE; both now refuse it, exit 1, at the
    kept file's row, with a fix for published rows (re-plan from an earlier day), and nothing is written."""
    (tiny_plan / "kept.csv").write_text(HEADER + "E2,2026-03-23,14:00,22:00,late\nE2,2026-03-24,08:00,16:00,day\n"
                                        "E2,2026-03-25,08:00,16:00,day\n", encoding="utf-8")
    result = CliRunner().invoke(main, [command, str(tiny_plan), "--keep-before", "2026-03-25", "--keep-from",
                                       str(tiny_plan / "kept.csv")])
    assert result.exit_code == 1
    assert result.output.splitlines() == ["The plan has 1 problem; nothing was written.", KEPT_REST]
    assert not (tiny_plan / "outputs").exists()


def test_a_week_left_too_little_room_for_the_minimum_is_refused_at_its_pins(tiny_plan: Path) -> None:
    """Tests the message of a week whose pinned shift and days off leave less than the weekly minimum (the audit's
    case: validate passed it, and solve ended INFEASIBLE with no file or row): E1 works at least 32 h, 19.2 h in
    this week of two days' vacation (Tuesday and Wednesday: 32 h x 3/5); a day shift on Monday (7.5 paid hours),
    Thursday to Sunday pinned off, so 7.5 h at most."""
    _with_roster(tiny_plan, "E1,2026-03-23,08:00,16:00,day\n" + "".join(f"E1,2026-03-{day},,,\n"
                                                                        for day in (26, 27, 28, 29)))
    problems = pin_rules.pinned_rule_problems(load_plan(tiny_plan))
    assert [problem.render() for problem in problems] == [
        "pinned.csv, row 6, column date: '2026-03-29': pins E1's week 1 (2026-03-23 to 2026-03-29), rows 2 to 6: "
        "with 4 days off and 1 shift pinned, at most 7.5 paid hours are left, below the 19.2 h a week the agent must "
        "work once scheduled (weekly_min_hours 32 in agents.csv, row 2, less their time off that week). Fix: unpin "
        "one of these days off, or lower the agent's weekly_min_hours."]
