"""``shiftplan solve`` puts the lines it printed while making the requirements (the events applied) in the workbook."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from shiftplan.cli import main
from tests.shiftplan.test_forecast_cli import TINY_NOTES


def test_the_workbook_says_which_events_drove_the_requirements(tiny_plan: Path) -> None:
    """Tests a solve of the tiny plan that reuses its forecast: the events it applied (its en/chat listing's +40%)
    and the closed hours, printed before solving, are on the workbook's Summary sheet as printed, with where the
    requirements came from; and the saved result keeps them, so an export writes them again (the audit found them
    on the terminal alone)."""
    runner = CliRunner()
    assert runner.invoke(main, ["forecast", str(tiny_plan), "--quiet", "--jobs", "1"]).exit_code == 0
    solve = runner.invoke(main, ["solve", str(tiny_plan), "--time-limit", "2", "--workers", "1"])
    assert solve.exit_code == 0, solve.output
    source = next(line for line in solve.output.splitlines() if line.startswith("requirements from forecast "))
    sheet = openpyxl.load_workbook(tiny_plan / "outputs" / "roster-2026-03-23.xlsx")["Summary"]
    column_a = [row[0].value for row in sheet.iter_rows()]
    title = column_a.index("How the requirements were made: the events applied (as solve printed them)")
    assert column_a[title + 1:title + 2 + len(TINY_NOTES)] == [*TINY_NOTES, source]
    facts = json.loads((tiny_plan / "outputs" / "roster-2026-03-23.result.json").read_text())["facts"]
    assert facts["requirements_notes"] == [*TINY_NOTES, source]


def test_the_workbook_says_which_scenarios_drove_the_requirements(tiny_plan: Path) -> None:
    """Tests a solve with a what-if (chat x2 on Wed 25 March 10:00-13:00): the scenario's line and the agents it adds,
    printed while making the requirements, are in the result (and so on the Summary sheet) after the events."""
    solve = CliRunner().invoke(main, ["solve", str(tiny_plan), "--time-limit", "2", "--workers", "1", "--scenario",
                                      "chat +100% 2026-03-25T10:00/3h"])
    assert solve.exit_code == 0, solve.output
    notes = json.loads((tiny_plan / "outputs" / "roster-2026-03-23.result.json").read_text())["facts"][
        "requirements_notes"]
    assert notes[notes.index(TINY_NOTES[0]):][:len(TINY_NOTES)] == TINY_NOTES
    start = notes.index("scenarios applied (times on the plan's clock, Europe/Lisbon; where two meet on a queue, "
                        "their factors multiply):")
    assert notes[start + 1:start + 5] == [
        "  chat +100% 2026-03-25T10:00/3h: x2.00 on en/chat, de/chat Wed 25 Mar 10:00-13:00 (6 queue-hours)",
        "agents the scenarios add (to schedule, shrinkage included; against the same forecast without them):",
        "  en/chat     +2 agents at Wed 25 Mar 12:00-13:00, +2.0 agent-h over 12:00-13:00",
        "  in all +2.0 agent-h (1,655.0 -> 1,657.0)"]
