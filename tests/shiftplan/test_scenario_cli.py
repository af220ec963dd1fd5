"""``--scenario`` through the commands: forecast prints what each moved, requirements and solve staff it on the plan's
intervals and say the agents it adds, bad input is one message and nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from shiftplan.cli import main
from shiftplan.scenario_staffing import impact_lines

HACK = "en/chat +300% 2026-03-24T15:30/1h"


def _half_hours(plan: Path) -> Path:
    """The tiny plan on a 30-minute grid (its forecast: 10 contacts an hour, 5 a half hour)."""
    toml = plan / "shiftplan.toml"
    toml.write_text(toml.read_text().replace("interval_minutes = 60", "interval_minutes = 30"))
    return plan


def _chat(path: Path, column: str) -> list[float]:
    """en/chat's ``column`` at 15:00, 15:30, 16:00 and 16:30 of Tue 24 Mar (Lisbon is on UTC then)."""
    table = pd.read_csv(path)
    rows = table[(table["language"] == "en") & (table["channel"] == "chat")].set_index("start")
    return [float(rows.loc[f"2026-03-24T{t}:00+00:00", column]) for t in ("15:00", "15:30", "16:00", "16:30")]


def test_forecast_applies_every_scenario_and_prints_what_each_moved(tiny_plan: Path) -> None:
    """Tests three --scenario on the forecast command (only the last applied before): one line each with its factor,
    queues, times on the plan's clock and queue-hours, en/email named closed throughout 21:00-23:00, where two meet
    with the product of their factors, and the command that rosters from it; the file has chat x4 18:00-21:00 and
    x6 at 21:00."""
    texts = ["chat +300% 2026-03-24T18:00/4h", "phone +200% 2026-03-24T18:00/4h", "en +50% 2026-03-24T21:00/2h"]
    args = ["forecast", str(tiny_plan), "--quiet", "--jobs", "1"]
    result = CliRunner().invoke(main, [*args, *(part for text in texts for part in ("--scenario", text))])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    start = lines.index("scenarios applied (times on the plan's clock, Europe/Lisbon; where two meet on a queue, "
                        "their factors multiply):")
    assert lines[start + 1:] == [
        "  chat +300% 2026-03-24T18:00/4h: x4.00 on en/chat, de/chat Tue 24 Mar 18:00-22:00 (8 queue-hours)",
        "  phone +200% 2026-03-24T18:00/4h: x3.00 on en/phone Tue 24 Mar 18:00-22:00 (4 queue-hours)",
        "  en +50% 2026-03-24T21:00/2h: x1.50 on en/chat, en/phone Tue 24 Mar 21:00-23:00 (4 queue-hours); en/email",
        "      closed throughout",
        "  where they meet: en/chat Tue 24 Mar 21:00-22:00 x6.00; en/phone Tue 24 Mar 21:00-22:00 x4.50",
        f'to roster from this what-if: shiftplan solve {tiny_plan.resolve()} --scenario "{texts[0]}" --scenario '
        f'"{texts[1]}" --scenario "{texts[2]}" (a re-plan from the incident: add --keep-before "DAY HH:MM")']
    written = next((tiny_plan / "forecasts" / "2026-W13").glob("forecast.scenario-*.csv"))
    base = CliRunner().invoke(main, args)
    assert base.exit_code == 0, base.output
    ratio = (pd.read_csv(written)["contacts"] / pd.read_csv(written.with_name("forecast.csv"))["contacts"]).round(6)
    chat = pd.read_csv(written).eval("language == 'en' and channel == 'chat'")
    hours = pd.read_csv(written)["start"].str[:13]
    assert ratio[chat & hours.isin(["2026-03-24T18", "2026-03-24T20", "2026-03-24T21", "2026-03-24T22"])].tolist() == \
        [4.0, 4.0, 6.0, 1.5]


def test_a_malformed_scenario_is_one_message_and_nothing_is_written(tiny_plan: Path) -> None:
    """Tests a scenario without its duration on each command: exit 2, what is wrong and an example, no traceback, no
    forecasts or outputs folder (forecast had read the plan and written its log first)."""
    for command in ("forecast", "requirements", "solve"):
        result = CliRunner().invoke(main, [command, str(tiny_plan), "--scenario", "chat +300%"])
        assert result.exit_code == 2, (command, result.output)
        assert result.output.splitlines()[-1] == (
            "Error: Invalid value for '--scenario': scenario 'chat +300%' is not of the form SELECTOR PERCENT "
            'START/DURATION, e.g. "chat +60% 2026-12-03T12:00/6h"')
        assert "Traceback" not in result.output
    assert sorted(p.name for p in tiny_plan.iterdir()) == ["agents.csv", "events.csv", "history.csv",
                                                           "shiftplan.toml", "time_off.csv"]


def test_a_scenario_outside_the_plan_is_refused_before_solving(tiny_plan: Path) -> None:
    """Tests solve --scenario with a window a year late: exit 1, why and the fix, no forecast run, nothing written."""
    result = CliRunner().invoke(main, ["solve", str(tiny_plan), "--scenario", "chat +300% 2027-03-24T15:00/6h"])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        "Error: the scenario 'chat +300% 2027-03-24T15:00/6h' falls outside the plan's days (2026-03-23 for 1 week(s), "
        "on the plan's clock Europe/Lisbon), so it changes nothing. Give a start within the plan's days; nothing was "
        "written")
    assert not (tiny_plan / "forecasts").exists() and not (tiny_plan / "outputs").exists()


def test_requirements_scale_the_half_hours_of_a_window_on_the_half_hour(tiny_plan: Path) -> None:
    """Tests 'en/chat +300% 15:30/1h' on a 30-minute plan: en/chat's 5 contacts a half hour become 20 at 15:30 and
    16:00 and stay 5 at 15:00 and 16:30 (the hourly forecast scaled 16:00-17:00 and left 15:30 alone), 3 agents
    become 6 there, and the command says so: +3 agents at 15:30-16:00, +3.0 agent-h over 15:30-16:30."""
    plan = _half_hours(tiny_plan)
    target = plan / "req.csv"
    result = CliRunner().invoke(main, ["requirements", str(plan), "--scenario", HACK, "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert _chat(target, "contacts") == [5.0, 20.0, 20.0, 5.0]
    assert _chat(target, "agents") == [3.0, 6.0, 6.0, 3.0]
    lines = result.output.splitlines()
    start = lines.index("agents the scenarios add (to schedule, shrinkage included; against the same forecast "
                        "without them):")
    assert lines[start - 1:start + 3] == [
        "  en/chat +300% 2026-03-24T15:30/1h: x4.00 on en/chat Tue 24 Mar 15:30-16:30 (1 queue-hour)",
        "agents the scenarios add (to schedule, shrinkage included; against the same forecast without them):",
        "  en/chat     +3 agents at Tue 24 Mar 15:30-16:00, +3.0 agent-h over 15:30-16:30",
        "  in all +3.0 agent-h (1,653.0 -> 1,656.0)"]
    assert lines[-1].endswith("with 'en/chat +300% 2026-03-24T15:30/1h' on the plan's 30-minute intervals")


def test_a_scenario_forecast_file_staffs_as_solve_scenario_does(tiny_plan: Path) -> None:
    """Tests the two routes to a what-if's requirements on a 30-minute plan: --forecast with the file of 'forecast
    --scenario' (which scaled the whole hours 15:00-17:00) gives the same agents as --scenario on the baseline
    (its scenario is taken out of its hours and applied on the half hours), and the same lines; the file's scenario
    given again is refused."""
    plan = _half_hours(tiny_plan)
    runner = CliRunner()
    assert runner.invoke(main, ["forecast", str(plan), "--quiet", "--scenario", HACK]).exit_code == 0
    what_if = next((plan / "forecasts" / "2026-W13").glob("forecast.scenario-*.csv"))
    routes = {}
    for name, extra in (("file", ["--forecast", str(what_if)]), ("option", ["--scenario", HACK])):
        result = runner.invoke(main, ["requirements", str(plan), "-o", str(plan / f"{name}.csv"), *extra])
        assert result.exit_code == 0, result.output
        routes[name] = result.output
    assert _chat(plan / "file.csv", "agents") == _chat(plan / "option.csv", "agents") == [3.0, 6.0, 6.0, 3.0]
    assert pd.read_csv(plan / "file.csv")["agents"].tolist() == pd.read_csv(plan / "option.csv")["agents"].tolist()
    assert "  en/chat     +3 agents at Tue 24 Mar 15:30-16:00, +3.0 agent-h over 15:30-16:30" in routes["file"]
    twice = runner.invoke(main, ["requirements", str(plan), "--forecast", str(what_if), "--scenario", HACK])
    assert twice.exit_code == 1
    assert f"scenario '{HACK}' is given twice" in twice.output and "applies it already" in twice.output


def test_solve_scenario_rosters_for_it_and_records_it_in_the_manifest(tiny_plan: Path) -> None:
    """Tests solve --scenario (chat x4 for 6 hours, 10 chats an hour): the scenario's line and the agents it adds
    (3 more agents an hour on each chat queue, 18 agent-h each) are printed before the roster, and the requirements
    source and the manifest (JSON and the workbook's sheet) name it."""
    import openpyxl

    hack = "chat +300% 2026-03-24T12:00/6h"
    result = CliRunner().invoke(main, ["solve", str(tiny_plan), "--time-limit", "5", "--workers", "1",
                                       "--scenario", hack])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    start = lines.index(f"  {hack}: x4.00 on en/chat, de/chat Tue 24 Mar 12:00-18:00 (12 queue-hours)")
    assert lines[start + 1:start + 6] == [
        "agents the scenarios add (to schedule, shrinkage included; against the same forecast without them):",
        "  en/chat     +3 agents at Tue 24 Mar 12:00-13:00, +18.0 agent-h over 12:00-18:00",
        "  de/chat     +3 agents at Tue 24 Mar 12:00-13:00, +18.0 agent-h over 12:00-18:00",
        "  in all +36.0 agent-h (1,655.0 -> 1,691.0)",
        f"requirements from a new forecast, saved as {tiny_plan / 'forecasts' / '2026-W13' / 'forecast.csv'} with "
        f"'{hack}' on the plan's 60-minute intervals: 1,691 agent-hours"]
    manifest = json.loads((tiny_plan / "outputs" / "roster-2026-03-23.result.json").read_text())["manifest"]
    assert manifest["scenarios"] == hack
    assert manifest["requirements_source"].endswith(f"with '{hack}' on the plan's 60-minute intervals")
    sheet = openpyxl.load_workbook(tiny_plan / "outputs" / "roster-2026-03-23.xlsx")["Manifest"]
    assert ["scenarios", hack] in [[c.value for c in row][:2] for row in sheet.iter_rows()]


def test_solve_scenario_on_a_plan_staffed_from_a_requirements_file_says_what_to_do(tiny_plan: Path) -> None:
    """Tests that a scenario on a plan whose requirements are a file of agents (nothing to scale) is refused with
    the fix, before solving, and nothing is written."""
    (tiny_plan / "req.csv").write_text("start,language,channel,agents\n2026-03-23T09:00,en,chat,2\n")
    toml = tiny_plan / "shiftplan.toml"
    toml.write_text(toml.read_text().replace('events = "events.csv"', 'events = "events.csv"\nrequirements = '
                                             '"req.csv"'))
    result = CliRunner().invoke(main, ["solve", str(tiny_plan), "--scenario", "chat +100% 2026-03-24T12:00/6h"])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        "Error: --scenario scales a forecast's contacts, and this plan staffs from its requirements file req.csv "
        "(agents, not contacts); nothing was written. Fix: give the forecast to scale with --forecast FILE, or take "
        "[files] requirements out of shiftplan.toml")
    assert not (tiny_plan / "outputs").exists()


def test_impact_lines_per_queue_most_agent_hours_first() -> None:
    """Tests the agents added on hand-made requirements (30-minute intervals, UTC): en/chat +2, +22, +10 agents from
    15:00 (+17.0 agent-h, peak 15:30), ko/chat -1 at 15:30 (-0.5 agent-h), an unchanged queue left out."""
    starts = pd.date_range("2026-12-02 14:30", periods=4, freq="30min", tz="UTC")
    before = pd.DataFrame({"start": list(starts) * 3, "language": ["en"] * 4 + ["ko"] * 4 + ["es"] * 4,
                           "channel": "chat", "agents": [5, 5, 5, 5, 3, 3, 3, 3, 1, 1, 1, 1]})
    after = before.assign(agents=[5, 7, 27, 15, 3, 3, 2, 3, 1, 1, 1, 1])
    assert impact_lines(before, after, 30, "UTC") == [
        "agents the scenarios add (to schedule, shrinkage included; against the same forecast without them):",
        "  en/chat     +22 agents at Wed 02 Dec 15:30-16:00, +17.0 agent-h over 15:00-16:30",
        "  ko/chat     -1 agent at Wed 02 Dec 15:30-16:00, -0.5 agent-h over 15:30-16:00",
        "  in all +16.5 agent-h (18.0 -> 34.5)"]
