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


def test_the_shifts_file_pins_part_of_the_roster_in_a_re_plan(tiny_plan: Path) -> None:
    """Tests re-planning from solve's own output: the shifts file's first three days, pinned, come back unchanged.

    The first solve writes ``roster-2026-03-23.shifts.csv``. Its rows of 23-25 March (shifts and days
    off, one shift turned into a day off) become the plan's ``[files] roster``; the whole file becomes
    its ``hint_roster``. The plan loads without a warning about either, and the second solve's shifts
    file repeats the pinned rows, the new day off included.
    """
    runner = CliRunner()
    first = runner.invoke(main, ["solve", str(tiny_plan), "--time-limit", "5", "--workers", "1"])
    assert first.exit_code == 0, first.output
    shifts = pd.read_csv(tiny_plan / "outputs" / "roster-2026-03-23.shifts.csv", dtype=str, keep_default_na=False)
    assert "shifts CSV" in first.output
    assert (shifts["start"] != "").any()
    kept = shifts[shifts["date"] <= "2026-03-25"].copy()
    worked = kept.index[kept["start"] != ""][0]
    kept.loc[worked, ["start", "end", "template"]] = ""  # pin a day off where the first roster had a shift
    kept.to_csv(tiny_plan / "pinned.csv", index=False)
    shifts.to_csv(tiny_plan / "last_week.csv", index=False)
    toml = (tiny_plan / "shiftplan.toml").read_text()
    (tiny_plan / "shiftplan.toml").write_text(toml.replace(
        'events = "events.csv"', 'events = "events.csv"\nroster = "pinned.csv"\nhint_roster = "last_week.csv"'))
    checked = runner.invoke(main, ["validate", str(tiny_plan)])
    assert checked.exit_code == 0, checked.output
    assert "warning" not in checked.output
    second = runner.invoke(main, ["solve", str(tiny_plan), "--time-limit", "5", "--workers", "1"])
    assert second.exit_code == 0, second.output
    again = pd.read_csv(tiny_plan / "outputs" / "roster-2026-03-23.v2.shifts.csv", dtype=str, keep_default_na=False)
    assert again[again["date"] <= "2026-03-25"].reset_index(drop=True).equals(kept.reset_index(drop=True))
