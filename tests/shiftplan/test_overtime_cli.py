"""Overtime, the surge lever: ``[rules] overtime_hours_per_week`` / ``overtime_days_per_week`` and ``solve --overtime``
/ ``--overtime-days``, end to end on the tiny plan (whose demand, 10 contacts an hour on every queue around the clock,
is far more than its five agents: every hour they may work is worth more than it costs)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pandas as pd
from click.testing import CliRunner

from inputs.plan_loader import load_plan
from scheduler.build import build_problem
from shiftplan.cli import main, with_overtime
from tests.scheduler.test_heuristic import _daytime_requirements


def _limits(plan_dir: Path, hours: float, days: int, until: dt.date | None = None
            ) -> dict[str, tuple[tuple[int, ...], ...]]:
    plan = with_overtime(load_plan(plan_dir, with_history=False), hours, days, until)
    problem = build_problem(plan, _daytime_requirements(plan))
    return {a.employee_id: (a.max_week_minutes, a.overtime_from_minutes, a.max_days_week) for a in problem.agents}


def test_overtime_raises_each_contract_by_its_hours_and_days_less_the_time_off(tiny_plan: Path) -> None:
    """Tests the limits ``--overtime 8 --overtime-days 1`` give the tiny plan's agents, derived by hand.

    E1 (40 h, 5 days, vacation Tuesday and Wednesday): the contract's week is 40 * 3/5 = 24 h (1,440 min), overtime
    starts there and the week may reach 32 h (1,920); days 5 + 1 = 6 (one on the plan's second day off), less the
    two days of vacation: 4. E3 (30 h, 4 days, 7.5-hour contract days): Thursday's 4-hour training leaves no 'day'
    shift and counts 240 / 450 of a day, so the week is 1,800 - 240 = 1,560 min, and 1,560 + 480 = 2,040 with
    overtime; days 4 + 1 = 5, less the training day: 4. E2, E4 and E5 have no contract below the plan's 48 h: no
    overtime. Without overtime the weeks stop at the contracts' (1,440 and 1,560)."""
    limits = _limits(tiny_plan, 8, 1)
    assert limits["E1"] == ((1920,), (1440,), (4,))
    assert limits["E3"] == ((2040,), (1560,), (4,))
    for employee_id in ("E2", "E4", "E5"):
        assert limits[employee_id][1] == ()
    plain = _limits(tiny_plan, 0, 0)
    assert (plain["E1"][:2], plain["E3"][:2]) == (((1440,), ()), ((1560,), ()))
    assert plain["E3"][2] == (3,)


def test_the_plan_s_rule_gives_the_same_limits_as_the_option(tiny_plan: Path) -> None:
    """Tests that ``[rules] overtime_hours_per_week = 8`` and ``overtime_days_per_week = 1`` in shiftplan.toml give
    the limits of ``--overtime 8 --overtime-days 1``, and that the option overrides the plan's rule (0 hours: none)."""
    toml = tiny_plan / "shiftplan.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        "weekly_max_hours = 48\n", "weekly_max_hours = 48\novertime_hours_per_week = 8\novertime_days_per_week = 1\n"),
        encoding="utf-8")
    plan = load_plan(tiny_plan, with_history=False)
    assert (plan.config.rules.overtime_hours_per_week, plan.config.rules.overtime_days_per_week) == (8, 1)
    assert _limits(tiny_plan, None, None) == _limits(tiny_plan, 8, 1)  # type: ignore[arg-type]
    assert _limits(tiny_plan, 0, 0)["E1"][1] == ()


def _worked_minutes(plan_dir: Path, stem: str) -> dict[str, int]:
    rows = pd.read_csv(plan_dir / "outputs" / f"{stem}.csv")
    return rows[rows["activity"] != "time off"].groupby("employee_id")["paid_minutes"].sum().to_dict()


def test_solve_with_overtime_works_above_the_contracts_and_says_how_much(tiny_plan: Path) -> None:
    """Tests ``solve --overtime 8 --overtime-days 1`` end to end: with demand far above the team, E3 works above the
    1,560 minutes of their contract's week and within the 2,040 overtime allows, E1 within 1,920; the overtime the
    summary prints, the workbook's Summary row and the Penalties sheet's ``overtime`` rows are each the minutes worked
    above the contracts in the HR file (1,440 for E1, 1,560 for E3); the manifest records the setting. Without the
    option the same plan keeps every contract and prints no overtime line."""
    runner = CliRunner()
    plain = runner.invoke(main, ["solve", str(tiny_plan), "--time-limit", "5", "--workers", "1"])
    assert plain.exit_code == 0, plain.output
    assert "above contracts" not in plain.output
    worked = _worked_minutes(tiny_plan, "roster-2026-03-23")
    assert worked["E1"] <= 1440 and worked["E3"] <= 1560

    result = runner.invoke(main, ["solve", str(tiny_plan), "--time-limit", "5", "--workers", "1",
                                  "--overtime", "8", "--overtime-days", "1"])
    assert result.exit_code == 0, result.output
    worked = _worked_minutes(tiny_plan, "roster-2026-03-23.v2")
    assert 1560 < worked["E3"] <= 2040 and worked["E1"] <= 1920
    above = {"E1": max(0, worked["E1"] - 1440), "E3": worked["E3"] - 1560}
    expected_hours = sum(above.values()) / 60
    agents = sum(1 for minutes in above.values() if minutes)
    line = next(line for line in result.output.splitlines() if "above contracts" in line)
    assert line == f"{'overtime':<14}{expected_hours:,.1f} h above contracts ({agents} agents)"
    book = openpyxl.load_workbook(tiny_plan / "outputs" / "roster-2026-03-23.v2.xlsx", read_only=True)
    summary = [row for row in book["Summary"].values if "overtime" in row and any(
        isinstance(cell, str) and cell.startswith("h above contracts") for cell in row)]
    assert len(summary) == 1 and expected_hours in summary[0], summary
    penalties = pd.DataFrame(list(book["Penalties"].values))
    penalties.columns = penalties.iloc[0]
    overtime = penalties[penalties["rule"] == "overtime"]
    assert {str(s): int(a) for s, a in zip(overtime["subject"], overtime["amount"], strict=True)} == {
        k: v for k, v in above.items() if v}
    facts = json.loads((tiny_plan / "outputs" / "roster-2026-03-23.v2.result.json").read_text(encoding="utf-8"))
    settings = facts["manifest"]["settings"]
    assert (settings["overtime_hours_per_week"], settings["overtime_days_per_week"]) == (8, 1)



def test_each_agent_s_own_overtime_cap_holds(tiny_plan: Path) -> None:
    """Tests the agents file's ``max_overtime_hours``: E1 accepts 4 hours, E3 none (0: no hours, no extra day), the
    others are blank (the run's 8). With ``--overtime 8 --overtime-days 1``: E1's week may reach 1,440 + 240 = 1,680
    with its extra day (4 days: 5 + 1 less the two vacation days); E3 keeps the contract's 1,560 minutes and 3 days,
    with no overtime at all. A negative value is refused with its row and column."""
    agents = tiny_plan / "agents.csv"
    rows = agents.read_text(encoding="utf-8").splitlines()
    rows[0] += ",max_overtime_hours"
    rows[1:] = [row + {"E1": ",4", "E3": ",0"}.get(row.split(",")[0], ",") for row in rows[1:]]
    agents.write_text("\n".join(rows) + "\n", encoding="utf-8")
    limits = _limits(tiny_plan, 8, 1)
    assert limits["E1"] == ((1680,), (1440,), (4,))
    assert limits["E3"] == ((1560,), (), (3,))
    agents.write_text(agents.read_text(encoding="utf-8").replace("day;late,4", "day;late,-4"), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(tiny_plan)])
    assert result.exit_code == 1
    assert "agents.csv" in result.output and "max_overtime_hours" in result.output and "Traceback" not in result.output


def test_a_re_plan_keeps_the_overtime_an_earlier_run_gave(tiny_plan: Path) -> None:
    """Tests two runs of a surge: the first roster with ``--overtime 8 --overtime-days 1`` gives E3 overtime (above
    the 1,560 minutes of their week); a re-plan that keeps the whole week (``--keep-before`` its last evening) with the
    same allowance keeps those shifts (the pins' rule check counts the run's overtime; before, it refused them as
    above E3's week before any solve). Without the allowance the kept overtime is refused, naming E3's week."""
    runner = CliRunner()
    overtime = ["--overtime", "8", "--overtime-days", "1"]
    first = runner.invoke(main, ["solve", str(tiny_plan), "--time-limit", "5", "--workers", "1", *overtime])
    assert first.exit_code == 0, first.output
    assert _worked_minutes(tiny_plan, "roster-2026-03-23")["E3"] > 1560
    keep = ["--keep-before", "2026-03-29 23:00"]
    again = runner.invoke(main, ["solve", str(tiny_plan), "--time-limit", "5", "--workers", "1", *keep, *overtime])
    assert again.exit_code == 0, again.output
    assert _worked_minutes(tiny_plan, "roster-2026-03-23.v2")["E3"] == _worked_minutes(
        tiny_plan, "roster-2026-03-23")["E3"]
    refused = runner.invoke(main, ["solve", str(tiny_plan), "--time-limit", "5", "--workers", "1", *keep])
    assert refused.exit_code == 1
    assert "E3" in refused.output and "Traceback" not in refused.output
    assert "or allow overtime ([rules] overtime_hours_per_week, or solve --overtime HOURS)" in refused.output


def test_overtime_until_a_day_before_the_plan_allows_none(tiny_plan: Path) -> None:
    """Tests ``--overtime-until``: through the plan's one week (Sunday 29 March) E3 has the overtime of the first
    test; until the Sunday before the plan, none (the weeks up to that day's are none of the plan's). The manifest
    records the day with the allowance."""
    assert _limits(tiny_plan, 8, 1, dt.date(2026, 3, 29))["E3"] == ((2040,), (1560,), (4,))
    assert _limits(tiny_plan, 8, 1, dt.date(2026, 3, 22))["E3"] == ((1560,), (), (3,))
    result = CliRunner().invoke(main, ["solve", str(tiny_plan), "--time-limit", "5", "--workers", "1",
                                       "--overtime", "8", "--overtime-until", "2026-03-29"])
    assert result.exit_code == 0, result.output
    facts = json.loads((tiny_plan / "outputs" / "roster-2026-03-23.result.json").read_text(encoding="utf-8"))
    assert facts["manifest"]["settings"]["overtime_until"] == "2026-03-29"
