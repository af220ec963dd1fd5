"""``shiftplan requirements``: forecast -> staffing on the tiny plan, file written atomically, never over a file."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from plan_factory import half_hour_history_csv

from shiftplan.cli import main


def test_requirements_command_staffs_the_forecast(tiny_plan: Path) -> None:
    """Tests that requirements are written per interval and queue with shrinkage applied last, then versioned."""
    target = tiny_plan / "req.csv"
    runner = CliRunner()
    result = runner.invoke(main, ["requirements", str(tiny_plan), "-o", str(target)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(target)
    # 5 queues x 167 hourly intervals (the horizon's last day has 23 hours: summer time starts)
    assert len(table) == 5 * 167
    assert list(table.columns[:4]) == ["start", "language", "channel", "agents"]
    chat = table[(table["language"] == "en") & (table["channel"] == "chat")]
    # en/chat has 30% shrinkage: agents = ceil(productive / 0.7)
    expected = [math.ceil(p / 0.7 - 1e-9) for p in chat["agents_productive"]]
    assert chat["agents"].tolist() == expected
    # email is closed at night (mon-fri 08:00-20:00): no agents needed at 03:00 local
    email_night = table[(table["channel"] == "email") & table["start"].str.contains("T03:00")]
    assert (email_night["agents"] == 0).all()
    again = runner.invoke(main, ["requirements", str(tiny_plan), "-o", str(target)])
    assert again.exit_code == 0
    assert (tiny_plan / "req.v2.csv").exists()  # the first file is never silently replaced


def _plan_from(plan_folder: Path, requirements: str) -> None:
    toml = (plan_folder / "shiftplan.toml").read_text()
    (plan_folder / "shiftplan.toml").write_text(
        toml.replace('events = "events.csv"', f'events = "events.csv"\nrequirements = "{requirements}"'))


def test_a_requirements_file_it_wrote_plans_as_its_forecast_does(tiny_plan: Path) -> None:
    """Tests that the file ``shiftplan requirements`` writes, set as ``[files] requirements`` as its help says, is read
    without a warning and gives the roster of its forecast with the same expected service per interval (its contacts
    and handle times are read; before, ten 'column is not used' warnings and a coverage sheet without service)."""
    from inputs.plan_loader import load_plan
    from shiftplan.pipeline import run_solve

    runner = CliRunner()
    assert runner.invoke(main, ["forecast", str(tiny_plan)]).exit_code == 0
    from_forecast = run_solve(load_plan(tiny_plan), time_limit_seconds=10, workers=1, seed=0)
    written = runner.invoke(main, ["requirements", str(tiny_plan), "-o", str(tiny_plan / "req.csv")])
    assert written.exit_code == 0, written.output
    _plan_from(tiny_plan, "req.csv")
    checked = runner.invoke(main, ["validate", str(tiny_plan)])
    assert checked.exit_code == 0, checked.output
    assert "warning" not in checked.output
    from_file = run_solve(load_plan(tiny_plan), time_limit_seconds=10, workers=1, seed=0)
    assert from_file.result.roster.assignments == from_forecast.result.roster.assignments
    a, b = from_forecast.report.coverage, from_file.report.coverage
    assert a["service_level"].notna().sum() > 0
    for column in ("required", "scheduled", "contacts", "aht_seconds", "productive", "service_level", "asa_seconds",
                   "abandon_rate"):
        pd.testing.assert_series_equal(a[column], b[column], check_exact=False, rtol=1e-6)


def test_a_queue_with_blank_contacts_gets_no_expected_service(tiny_plan: Path) -> None:
    """Tests a hand-made requirements file with contacts: a blank contacts cell leaves its queue's expected service
    blank (its backlog runs through the day) with one warning naming the queue, the other queue is evaluated (0
    contacts: service level 1), a blank handle time takes the queue's, and a column shiftplan does not know is
    still warned about."""
    from inputs.plan_loader import load_plan
    from shiftplan.pipeline import run_solve

    rows = ["start,language,channel,agents,contacts,aht_seconds,colour"]
    for hour in range(8, 12):
        rows.append(f"2026-03-23T{hour:02d}:00,en,chat,1,{'' if hour == 10 else 4},310,red")
        rows.append(f"2026-03-23T{hour:02d}:00,de,chat,1,0,,blue")
    (tiny_plan / "req.csv").write_text("\n".join(rows) + "\n")
    _plan_from(tiny_plan, "req.csv")
    checked = CliRunner().invoke(main, ["validate", str(tiny_plan)])
    assert checked.exit_code == 0, checked.output
    warnings = [line.strip() for line in checked.output.splitlines() if "warning:" in line]
    assert warnings == [
        "warning: req.csv: column 'colour' is not used by shiftplan. Fix: remove it, or rename it to one of start, "
        "language, channel, agents, contacts, aht_seconds.",
        "warning: req.csv, column contacts: has 1 row without contacts (row 6): en/chat gets no expected service in "
        "the roster's coverage. Fix: write the forecast contacts of each interval (0 when none), or remove the column.",
        "warning: req.csv, column start: has no row for any queue on 6 of the plan's 7 days (2026-03-24 to "
        "2026-03-29): they are planned with no demand. Fix: add their rows (agents 0 on a day the desk is closed), or "
        "shorten [plan] weeks."]
    outcome = run_solve(load_plan(tiny_plan), time_limit_seconds=5, workers=1, seed=0)
    cov = outcome.report.coverage
    en, de = cov[cov["queue"] == "en/chat"], cov[cov["queue"] == "de/chat"]
    assert en["service_level"].isna().all() and en["contacts"].isna().all()
    assert int(en["required"].sum()) == 4
    assert de["service_level"].notna().all()
    assert (de["contacts"] == 0).all() and (de["service_level"] == 1.0).all()
    assert (de["aht_seconds"] == 600).all()  # the queue's, for the blank cells


def test_requirements_put_a_half_hour_event_on_the_half_hours_it_covers(tiny_plan: Path) -> None:
    """Tests the audit's outage through the command (a forecast written, then read back with its metadata): en/chat
    down 80% on 25 March 02:30-03:30, a 30-minute plan, a history with 7 of each hour's 10 contacts in its first
    half. The requirements' contacts of 02:00-03:30 are 7, 0.6, 1.4 and 3 (7, 3, 7, 3 without the outage) and the
    forecast file's hours 02:00 and 03:00 hold their sums, 7.6 and 4.4. Before, 1.4, 0.6, 1.4 and 0.6: the outage
    cut the half hours 02:00 and 03:30, which it does not cover."""
    toml = tiny_plan / "shiftplan.toml"
    toml.write_text(toml.read_text().replace("interval_minutes = 60", "interval_minutes = 30"))
    (tiny_plan / "history.csv").write_text(half_hour_history_csv())
    (tiny_plan / "events.csv").write_text("name,kind,start,end,languages,channels,uplift_percent\n"
                                          "Short outage,maintenance,2026-03-25T02:30,2026-03-25T03:30,en,chat,-80\n")
    target = tiny_plan / "req.csv"
    result = CliRunner().invoke(main, ["requirements", str(tiny_plan), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "Short outage, Wed 25 Mar 02:30-03:30: en/chat x0.20 (uplift_percent)" in result.output
    table = pd.read_csv(target)
    chat = table[(table["language"] == "en") & (table["channel"] == "chat")].set_index("start")["contacts"]
    starts = [f"2026-03-25T{t}:00+00:00" for t in ("01:30", "02:00", "02:30", "03:00", "03:30", "04:00")]
    assert chat[starts].tolist() == pytest.approx([3.0, 7.0, 0.6, 1.4, 3.0, 7.0], abs=1e-3)
    hourly = pd.read_csv(next((tiny_plan / "forecasts").glob("*/forecast.csv")))
    hourly = hourly[(hourly["language"] == "en") & (hourly["channel"] == "chat")].set_index("start")["contacts"]
    assert hourly[["2026-03-25T02:00:00+00:00", "2026-03-25T03:00:00+00:00"]].tolist() == pytest.approx(
        [7.6, 4.4], abs=1e-3)
