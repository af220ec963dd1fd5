"""``shiftplan forecast`` through the CLI: writes the week's forecast, an unchanged re-run writes nothing new."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from shiftplan.cli import main


def test_forecast_command_writes_once_and_is_idempotent(tiny_plan: Path) -> None:
    """Tests that forecast exits 0 with a forecast for the horizon's ISO week, and a re-run adds no version."""
    runner = CliRunner()
    first = runner.invoke(main, ["forecast", str(tiny_plan), "--quiet", "--jobs", "1"])
    assert first.exit_code == 0, first.output
    week = tiny_plan / "forecasts" / "2026-W13"  # Monday 2026-03-23 is in ISO week 13
    assert (week / "forecast.csv").is_file() and (week / "metadata.json").is_file()
    second = runner.invoke(main, ["forecast", str(tiny_plan), "--quiet", "--jobs", "1"])
    assert second.exit_code == 0, second.output
    assert sorted(p.name for p in week.iterdir() if p.suffix == ".csv") == ["forecast.csv"]


def test_forecast_command_reports_plan_problems(tiny_plan: Path) -> None:
    """Tests that a broken plan stops forecast with exit code 1 and the problem list, writing nothing."""
    (tiny_plan / "agents.csv").write_text("employee_id\n")
    result = CliRunner().invoke(main, ["forecast", str(tiny_plan)])
    assert result.exit_code == 1
    assert result.output.startswith("The plan has ")
    assert not (tiny_plan / "forecasts").exists()
