"""``shiftplan solve`` end to end on the tiny plan: forecast (saved and reused), staffing, roster files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from shiftplan.cli import main


def test_solve_forecasts_once_then_reuses_and_writes_versioned_rosters(tiny_plan: Path) -> None:
    """Tests that solve saves a forecast on first run, reuses it next time, and never overwrites a roster."""
    runner = CliRunner()
    first = runner.invoke(main, ["solve", str(tiny_plan), "--time-limit", "5", "--workers", "1"])
    assert first.exit_code == 0, first.output
    assert "running 'shiftplan forecast' first" in first.output
    for label in ("status", "objective", "lower bound", "gap", "runtime"):
        assert any(line.startswith(label) for line in first.output.splitlines()), label
    roster = tiny_plan / "outputs" / "roster-2026-03-23.csv"
    segments = pd.read_csv(roster)
    assert set(segments["activity"]) <= {"work", "break", "lunch", "time off"}
    # paid minutes of each worked shift are its template's: 'day' 480 -> 450 or 540 -> 510, 'late' 480
    shifts = segments[segments["activity"] != "time off"].groupby(["employee_id", "roster_date"])["paid_minutes"].sum()
    assert set(shifts) <= {450, 510, 480}
    second = runner.invoke(main, ["solve", str(tiny_plan), "--time-limit", "5", "--workers", "1"])
    assert second.exit_code == 0, second.output
    assert "running 'shiftplan forecast' first" not in second.output
    for name in ("roster-2026-03-23.xlsx", "roster-2026-03-23.result.json", "roster-2026-03-23.calendars",
                 "roster-2026-03-23.v2.csv", "roster-2026-03-23.v2.xlsx", "roster-2026-03-23.v2.result.json"):
        assert (tiny_plan / "outputs" / name).exists(), name
    workbook = pd.read_excel(tiny_plan / "outputs" / "roster-2026-03-23.xlsx", sheet_name="HR import")
    assert list(workbook["paid_minutes"]) == list(segments["paid_minutes"])
