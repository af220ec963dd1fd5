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


def test_forecast_command_says_which_model_ran_and_how_accurate_it_was(tiny_plan: Path) -> None:
    """Tests the forecast's own report: one line per queue with the model its metadata records, that model's
    backtest WAPE and bias in percent and the runner-up, and the holiday calendars (the command printed only
    'wrote ...' before, so the model and its accuracy were in metadata.json alone)."""
    import json

    result = CliRunner().invoke(main, ["forecast", str(tiny_plan), "--quiet", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    metadata = json.loads((tiny_plan / "forecasts" / "2026-W13" / "metadata.json").read_text())
    lines = result.output.splitlines()
    assert lines[0].startswith(f"forecast of {tiny_plan.resolve()}, 1 week(s) from 2026-03-23, run ")  # (a cron log's)
    assert lines[2] == "models per queue (rolling-origin backtest, 3 folds one week apart, refit each fold):"
    assert len(metadata["series"]) == 5
    for row in metadata["series"]:
        queue = f"{row['language']}/{row['channel']}"
        line = next(line for line in lines if line.startswith(f"  {queue} "))
        assert line.split()[1:4] == [row["model"], f"{100 * row['wape']:.1f}", f"{100 * row['bias']:.1f}"]
    assert metadata["holiday_markets"] == ["PT"]  # the plan's zone, Europe/Lisbon
    assert "holiday calendars: PT" in lines


def test_a_forecast_without_a_holiday_calendar_says_so() -> None:
    """Tests the line for a plan on UTC (no country, no [forecast] holiday_countries): no public holiday moves its
    forecast, which used to go unsaid (Christmas forecast as any Friday), and the guard's replacement is named."""
    from shiftplan.summary import forecast_models

    text = forecast_models({"method": "rolling-origin backtest; more", "holiday_markets": [], "series": [
        {"language": "tr", "channel": "phone", "model": "profile_ewm", "wape": 0.785, "bias": -0.039,
         "runner_up": "", "runner_up_wape": None, "fallback_reason": "", "bias_guarded": "combo_profile_sarimax"}]})
    assert text.splitlines() == [
        "models per queue (rolling-origin backtest):",
        "  queue       model                    WAPE %  bias %  runner-up (WAPE %)",
        "  tr/phone    profile_ewm                78.5    -3.9  -  (chosen over combo_profile_sarimax, whose backtest "
        "bias was beyond [forecast] max_bias)",
        'holiday calendars: none (the plan\'s time zone names no country; set [forecast] holiday_countries, e.g. '
        '["CN", "KR", "US"]): public holidays move the forecast only where the events file gives them']


def test_the_weekly_job_forecasts_next_week_with_first_day(tiny_plan: Path) -> None:
    """Tests the cron job's next week: --first-day 2026-03-30 forecasts that Monday's week into 2026-W14 (ISO week
    14) while shiftplan.toml still says 2026-03-23, from 30 March 00:00 Lisbon (UTC+1 after the 29th, so 29 March
    23:00 UTC); the history ends on the 23rd, 7.0 days before, which is warned (before, a weekly job had to edit
    shiftplan.toml, and without it 'forecast' kept forecasting a week already worked)."""
    result = CliRunner().invoke(main, ["forecast", str(tiny_plan), "--quiet", "--jobs", "1",
                                       "--first-day", "2026-03-30"])
    assert result.exit_code == 0, result.output
    assert "7.0 days before the plan's first day 2026-03-30" in result.output
    week = tiny_plan / "forecasts" / "2026-W14"
    assert (week / "forecast.csv").read_text(encoding="utf-8").splitlines()[1].startswith(
        "2026-03-30T00:00:00+01:00,")
    assert not (tiny_plan / "forecasts" / "2026-W13").exists()
    assert "first_day = 2026-03-23" in (tiny_plan / "shiftplan.toml").read_text(encoding="utf-8")


#: What the tiny plan's forecast applied and closed: its en/chat listing's +40%, and the two e-mail queues (mon-fri
#: 08:00-20:00) closed 107 hours each, 560 e-mails each carried to an opening, 510 each after Friday's last one.
TINY_NOTES = [
    "events applied (times on the plan's clock, Europe/Lisbon, as in forecast.csv and the workbook):",
    "  Token listing, Wed 25 Mar 12:00-18:00: en/chat x1.40 (uplift_percent)",
    "closed hours: forecast 0 (2 of 5 queues, 214 queue-hours, each on its opening clock); their contacts wait for",
    "  the next opening on email, ticket and social queues (1,120.0 carried), and are dropped on phone and chat, or",
    "  after the horizon's last opening (1,020.0)",
]


def _block(output: str, first: str) -> list[str]:
    """The lines of ``output`` from the one equal to ``first``, as many as :data:`TINY_NOTES`."""
    lines = output.splitlines()
    start = lines.index(first) if first in lines else len(lines)
    return lines[start:start + len(TINY_NOTES)]


def test_forecast_and_solve_say_which_events_moved_the_forecast_and_that_closed_hours_are_zero(tiny_plan: Path) -> None:
    """Tests that 'shiftplan forecast' ends with the events it applied (queue, factor, source; times on the plan's
    clock) and the closed hours, and that 'shiftplan solve', which reuses that forecast, says the same before
    solving (both said neither before: the events were in metadata.json alone)."""
    runner = CliRunner()
    forecast = runner.invoke(main, ["forecast", str(tiny_plan), "--quiet", "--jobs", "1"])
    assert forecast.exit_code == 0, forecast.output
    assert forecast.output.splitlines()[-len(TINY_NOTES):] == TINY_NOTES
    solve = runner.invoke(main, ["solve", str(tiny_plan), "--time-limit", "2", "--workers", "1"])
    assert solve.exit_code == 0, solve.output
    assert _block(solve.output, TINY_NOTES[0]) == TINY_NOTES
