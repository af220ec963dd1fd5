"""The saved result and ``shiftplan export``: reload gives the same report; export rewrites files without solving."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner, Result

from outputs.report import RosterReport
from outputs.result_io import load_report
from outputs.sheets import hr_frame
from outputs.write import write_roster_files
from shiftplan.cli import main
from tests.outputs.test_workbook import read_hr_sheet

FRAMES = ("segments", "agents", "coverage", "templates")


def test_result_reloads_exactly(report: RosterReport, tmp_path: Path) -> None:
    """Tests that every frame (values and dtypes), the facts, manifest and raw roster come back unchanged."""
    files = write_roster_files(report, tmp_path / "out")
    back = load_report(files.result)
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(back, name), getattr(report, name).reset_index(drop=True))
    assert back.facts == report.facts
    assert back.manifest == report.manifest
    assert back.roster == report.roster
    assert back.facts["penalties"][0] == ["under_staffing", "en/chat interval 0", 3]


def test_export_rewrites_the_files_from_the_result(report: RosterReport, tiny_plan: Path) -> None:
    """Tests that export writes a .v2 workbook, CSVs, calendars and its own copy of the result (the same result), whose
    HR sheet equals the roster's."""
    write_roster_files(report, tiny_plan / "outputs")
    outcome = CliRunner().invoke(main, ["export", str(tiny_plan)])
    assert outcome.exit_code == 0, outcome.output
    outputs = tiny_plan / "outputs"
    assert sorted(p.name for p in outputs.iterdir()) == [
        "roster-2026-03-23.calendars", "roster-2026-03-23.csv", "roster-2026-03-23.result.json",
        "roster-2026-03-23.shifts.csv", "roster-2026-03-23.v2.calendars", "roster-2026-03-23.v2.csv",
        "roster-2026-03-23.v2.result.json", "roster-2026-03-23.v2.shifts.csv", "roster-2026-03-23.v2.xlsx",
        "roster-2026-03-23.xlsx"]
    assert load_report(outputs / "roster-2026-03-23.v2.result.json").roster == report.roster
    expected = hr_frame(report)
    back = read_hr_sheet(outputs / "roster-2026-03-23.v2.xlsx")
    assert list(back["employee_id"]) == list(expected["employee_id"])
    assert list(back["paid_minutes"]) == list(expected["paid_minutes"])
    assert "status        FEASIBLE" in outcome.output
    assert "roster        2 of 5 agents, 2 shifts, 15.5 paid hours" in outcome.output


def test_export_overwrite_replaces_the_results_own_files(report: RosterReport, tiny_plan: Path) -> None:
    """Tests that --overwrite with --result rewrites exactly that result's names and no new version."""
    files = write_roster_files(report, tiny_plan / "outputs")
    files.workbook.write_bytes(b"damaged")
    outcome = CliRunner().invoke(main, ["export", str(tiny_plan), "--result", str(files.result), "--overwrite"])
    assert outcome.exit_code == 0, outcome.output
    assert len(list((tiny_plan / "outputs").iterdir())) == 5
    assert read_hr_sheet(files.workbook)["paid_minutes"].sum() == hr_frame(report)["paid_minutes"].sum()


def test_export_without_a_result_says_what_to_do(tiny_plan: Path) -> None:
    """Tests exit code 1 and the message when the plan has no saved result."""
    outcome = CliRunner().invoke(main, ["export", str(tiny_plan)])
    assert outcome.exit_code == 1
    assert f"Error: no saved result (*.result.json) in {tiny_plan / 'outputs'}; run 'shiftplan solve {tiny_plan}' " \
           "first, or give --result FILE" in outcome.output


def test_export_refuses_a_file_that_is_not_a_result(tiny_plan: Path) -> None:
    """Tests exit code 1 for a JSON file of another kind."""
    other = tiny_plan / "other.json"
    other.write_text('{"hello": 1}')
    outcome = CliRunner().invoke(main, ["export", str(tiny_plan), "--result", str(other)])
    assert outcome.exit_code == 1
    assert 'not a shiftplan roster result (no "format": "shiftplan-roster-result")' in outcome.output


def _export_damaged(report: RosterReport, tiny_plan: Path, damage: Callable[[dict], object]) -> tuple[Result, Path]:
    """Export a copy of the report's saved result damaged by ``damage``; assert it failed with exit 1, no
    traceback and no file written, and return the CLI's outcome and the damaged file."""
    files = write_roster_files(report, tiny_plan / "outputs")
    payload = json.loads(files.result.read_text(encoding="utf-8"))
    damage(payload)
    broken = tiny_plan / "broken.result.json"
    broken.write_text(json.dumps(payload), encoding="utf-8")
    before = sorted(p.name for p in (tiny_plan / "outputs").iterdir())
    outcome = CliRunner().invoke(main, ["export", str(tiny_plan), "--result", str(broken)])
    assert outcome.exit_code == 1
    assert isinstance(outcome.exception, SystemExit)
    assert sorted(p.name for p in (tiny_plan / "outputs").iterdir()) == before
    return outcome, broken


@pytest.mark.parametrize(("damage", "says"), [
    (lambda p: p.pop("segments"), "an incomplete shiftplan result: segments missing or of the wrong kind"),
    (lambda p: p.update(facts=None), "an incomplete shiftplan result: facts missing or of the wrong kind"),
    (lambda p: p["facts"].pop("first_day"), "an incomplete shiftplan result: facts without first_day"),
    (lambda p: p["agents"].pop("types"), "a damaged shiftplan result: agents cannot be read (KeyError('types'))"),
    (lambda p: p["templates"].update(columns=["template"], data={"template": ["day"]}, types={"template": "str"}),
     "an incomplete shiftplan result: templates without the columns code, is_night"),
])
def test_export_refuses_an_incomplete_result_in_one_message(report: RosterReport, tiny_plan: Path,
                                                            damage: Callable[[dict], object], says: str) -> None:
    """Tests a result of the right format and version with a section missing, null or without its columns: one
    message, exit 1, no traceback and no file written (it failed with KeyError, TypeError or AttributeError)."""
    outcome, broken = _export_damaged(report, tiny_plan, damage)
    assert f"Error: {broken}: {says}. Fix: export another result" in outcome.output


def test_export_of_a_number_too_large_for_its_column_says_so(report: RosterReport, tiny_plan: Path) -> None:
    """Tests a count of 1e300 in an integer column: one message naming the section, exit 1, no traceback (pandas's
    OverflowError escaped the reader's checks)."""
    outcome, broken = _export_damaged(report, tiny_plan, lambda p: _set_cell(p, "agents", "shifts", 0, 1e300))
    assert f"Error: {broken}: a damaged shiftplan result: agents cannot be read (OverflowError(" in outcome.output


def test_export_of_values_no_writer_expects_writes_nothing_and_says_so(report: RosterReport,
                                                                        tiny_plan: Path) -> None:
    """Tests a result whose sections are all there but whose run settings are null, which no check before the
    writers reads: one message naming the error, exit 1, no traceback (openpyxl's open sheets used to print theirs),
    and no file written."""
    outcome, broken = _export_damaged(report, tiny_plan, lambda p: p["manifest"].update(settings=None))
    assert f"Error: {broken}: a damaged shiftplan result: the roster files cannot be written from it (TypeError: " \
        in outcome.output
    assert "nothing was written. Fix: export another result" in outcome.output


def _set_cell(payload: dict, section: str, column: str, row: int, value: object) -> None:
    payload[section]["data"][column][row] = value


#: What a change row of the wrong shape is refused with: too few columns, or a start without its UTC offset.
_CHANGES_SAY = ("facts: changes is not a list of rows of 10 texts (employee_id, name, date, published, now, change, "
                "time_zone, published_start, new_start, reason; change one of moved, dropped, added, no longer "
                "possible, cut short by time off, not worked: time off; the starts date-times with their UTC offset, "
                "or blank)")


@pytest.mark.parametrize(("damage", "says"), [
    (lambda p: p["facts"].update(interval_minutes=0), "facts: interval_minutes 0 is not one of 15, 30, 60"),
    (lambda p: p["facts"].update(first_day="garbage"), "facts: first_day 'garbage' is not a date (YYYY-MM-DD)"),
    (lambda p: p["facts"].update(objective="high"), "facts: objective 'high' is not a finite number"),
    (lambda p: p["facts"].update(time_zone="Mars/Base"), "facts: time_zone 'Mars/Base' is not an IANA time zone"),
    (lambda p: p["facts"].update(weeks=9), "facts: weeks 9 is not a whole number of weeks from 1 to 6"),
    (lambda p: p["roster"][0].update(day=999), "roster row 1: day 999 is not a day of the horizon (-1 to 7)"),
    (lambda p: p["roster"][0].update(employee_id="X9"), "roster row 1: employee_id 'X9' is not among the "
                                                         "result's agents"),
    (lambda p: _set_cell(p, "segments", "employee_id", 0, "X9"),
     "segments row 1: employee_id 'X9' is not among the result's agents"),
    (lambda p: _set_cell(p, "segments", "time_zone", 0, "Mars/Base"),
     "segments row 1: time_zone 'Mars/Base' is not an IANA time zone"),
    (lambda p: _set_cell(p, "segments", "roster_date", 0, "2031-01-01"),
     "segments row 1: roster_date 2031-01-01 is outside the roster's horizon"),
    (lambda p: _set_cell(p, "segments", "activity", 0, "nap"),
     "segments row 1: activity 'nap' is not one of work, break, lunch, time off"),
    (lambda p: _set_cell(p, "agents", "time_zone", 0, "Mars/Base"),
     "agents row 1: time_zone 'Mars/Base' is not an IANA time zone"),
    (lambda p: p["facts"].update(workers=-1), "facts: workers -1 is not a whole number of at least 1"),
    (lambda p: p["facts"].update(changes=[["E1", "2026-03-25", "09:00-17:00"]]), _CHANGES_SAY),
    (lambda p: p["facts"].update(changes=[["E1", "Ana Souza", "2026-03-25", "off", "09:00-17:00", "added",
                                           "Europe/Lisbon", "", "2026-03-25T09:00:00", ""]]), _CHANGES_SAY),
    (lambda p: p["facts"].update(replan={"from_utc": "noon"}),
     "facts: replan {{'from_utc': 'noon'}} is not a re-plan's cut (from_utc and from_local, naive date-times)"),
    (lambda p: p["facts"].update(requirements_notes=[1, 2]),
     "facts: requirements_notes is not a list of lines of text"),
    (lambda p: p["facts"].update(lp_bound=1e300), "facts: lp_bound 1e+300 is not a number at most the objective"),
    (lambda p: p["roster"][0].update(option=-1), "roster row 1: option -1 is not a non-negative whole number"),
    (lambda p: _set_cell(p, "templates", "code", 0, ""), "templates row 1: code '' is not 1 to 4 characters without "
                                                         "spaces"),
    (lambda p: _set_cell(p, "agents", "weekend_shifts", 0, 99),
     "agents row 1: shifts {shifts}, paid_minutes {paid}, weekend_shifts 99 and night_shifts {nights} must not be "
     "negative, nor weekend or night shifts more than shifts"),
    (lambda p: _set_cell(p, "coverage", "scheduled", 0, p["coverage"]["data"]["required"][0] + 5),
     "coverage row 1: under {under} and over {over} do not follow from required {required} and scheduled "
     "{scheduled}"),
])
def test_export_refuses_values_no_solve_writes(report: RosterReport, tiny_plan: Path,
                                               damage: Callable[[dict], object], says: str) -> None:
    """Tests results with every section and column but a value no solve writes (edited by hand or damaged): a day
    999, an employee the result does not list, a zone that does not exist, a date outside the horizon, coverage
    that does not add up. Each used to be exported with exit 0 (or failed inside a writer). Now: one message naming
    the section, row and value, exit 1, no traceback and no file written."""
    outcome, broken = _export_damaged(report, tiny_plan, damage)
    first, agent = report.coverage.iloc[0], report.agents.iloc[0]
    says = says.format(under=first["under"], over=first["over"], required=first["required"],
                       scheduled=first["required"] + 5, shifts=agent["shifts"], paid=agent["paid_minutes"],
                       nights=agent["night_shifts"])
    assert f"Error: {broken}: a damaged shiftplan result, with values no solve writes:" in outcome.output
    assert f"  - {says}" in outcome.output
    assert "Fix: export another result" in outcome.output


def test_export_lists_every_damaged_value(report: RosterReport, tiny_plan: Path) -> None:
    """Tests that three damaged values in three sections are listed together, each on its own line."""
    def damage(payload: dict) -> None:
        payload["facts"].update(time_zone="Mars/Base")
        payload["roster"][-1].update(day=-5)
        _set_cell(payload, "segments", "end_utc", 1, payload["segments"]["data"]["start_utc"][1])

    outcome, _ = _export_damaged(report, tiny_plan, damage)
    listed = [line for line in outcome.output.splitlines() if line.startswith("  - ")]
    assert listed == ["  - facts: time_zone 'Mars/Base' is not an IANA time zone",
                      "  - segments row 2: end_utc " + str(report.segments["start_utc"][1]) + " is not after "
                      "start_utc " + str(report.segments["start_utc"][1]),
                      f"  - roster row {len(report.roster)}: day -5 is not a day of the horizon (-1 to 7)"]


def test_export_refuses_sections_that_contradict_each_other(report: RosterReport, tiny_plan: Path) -> None:
    """Tests the audit's hand edits, each in range on its own, listed together by section and row: a work row paid 5
    of its 120 minutes (and E2's 450 paid minutes then not its rows' 335), E5's +08:00 offset as +05:00, a
    start_local of 08:00 for 10:00 UTC at Manila's +08:00, a work row relabelled lunch on its queue, objective 1 and
    bound 0.5 (the terms sum to 2,218,217.5; the gap 36.89% stays; the LP and CP-SAT bounds, 90 and 100, are now
    above it), en/chat's required and under both +5 at 00:00
    (the solve counted 3 short), E5's paid minutes +600, and a segment's name not its agent's. Each was exported,
    the sheets then disagreeing."""
    def damage(payload: dict) -> None:
        payload["facts"].update(objective=1, lower_bound=0.5)
        _set_cell(payload, "segments", "paid_minutes", 1, 5)
        _set_cell(payload, "segments", "activity", 7, "lunch")
        _set_cell(payload, "segments", "name", 9, "Someone Else")
        _set_cell(payload, "segments", "utc_offset", 9, "+05:00")
        _set_cell(payload, "segments", "start_local", 10, "2026-03-23T08:00:00")
        _set_cell(payload, "coverage", "required", 0, 8)
        _set_cell(payload, "coverage", "under", 0, 8)
        _set_cell(payload, "agents", "paid_minutes", 4, 1080)

    outcome, _ = _export_damaged(report, tiny_plan, damage)
    listed = [line for line in outcome.output.splitlines() if line.startswith("  - ")]
    assert listed == [
        "  - facts: objective 1 is not the sum of its terms (2,218,217.50)",
        f"  - facts: gap {report.facts['gap']!r} is not (objective - lower_bound) / objective (0.5)",
        "  - facts: lp_bound 90.0 is not a number at most the objective",
        "  - facts: solver_bound 100.0 is not a number at most the objective",
        "  - agents row 2: paid_minutes 450 of E2 is not the sum of their worked segments' paid minutes (335)",
        "  - agents row 5: paid_minutes 1080 of E5 is not the sum of their worked segments' paid minutes (480)",
        "  - segments row 2: paid_minutes 5 of a work row of 120 minutes is not its minutes (work is paid)",
        "  - segments row 8: activity 'lunch' is on queue 'en/chat': only work is on a queue",
        "  - segments row 10: name 'Someone Else' is not agent E5's 'Eva Santos'",
        "  - segments row 10: utc_offset '+05:00' is not Asia/Manila's at start_utc 2026-03-23 06:00:00 (+08:00)",
        "  - segments row 11: start_local 2026-03-23 08:00:00 is not start_utc 2026-03-23 10:00:00 at Asia/Manila's "
        "+08:00 (2026-03-23 18:00:00)",
        "  - coverage row 1: under 8 (required 8, scheduled 0) is not the under-staffing the solve counted for "
        "en/chat interval 0 (3)"]


@pytest.mark.parametrize(("damage", "says"), [
    # an agent's shifts are their assignments in the roster (E2 has 1)
    (lambda p: _set_cell(p, "agents", "shifts", 1, 2),
     "agents row 2: shifts 2 of E2 is not the number of their assignments in the roster (1)"),
    # a time off is paid at most its minutes (E1's vacation: 2,880 minutes, 960 of them paid leave)
    (lambda p: _set_cell(p, "segments", "paid_minutes", 0, 2881),
     "segments row 1: paid_minutes 2881 is not between 0 and minutes 2880"),
    # a shift's row ends on the clock it starts on: 11:00 UTC at +00:00
    (lambda p: _set_cell(p, "segments", "end_local", 1, "2026-03-23T12:00:00"),
     "segments row 2: end_local 2026-03-23 12:00:00 is not end_utc on Europe/Lisbon's clock (2026-03-23 11:00:00)"),
    # E5 works en/email 06:00-08:00 UTC with none required: the solve counted 1 over at 06:00 (en/email's rows follow
    # three queues of 167 hours each: Lisbon's clocks go forward on 29 March), row 3 * 167 + 6 + 1
    (lambda p: _set_cell(p, "coverage", "over", 507, 0) or _set_cell(p, "coverage", "scheduled", 507, 0),
     "coverage row 508: over 0 (required 0, scheduled 0) is not the over-staffing the solve counted for "
     "en/email interval 6 (1)"),
])
def test_export_refuses_figures_another_section_contradicts(report: RosterReport, tiny_plan: Path,
                                                            damage: Callable[[dict], object], says: str) -> None:
    """Tests one contradiction between sections at a time, listed by section, row and both values."""
    outcome, _ = _export_damaged(report, tiny_plan, damage)
    assert f"  - {says}" in outcome.output.splitlines()


def _coverage_row(report: RosterReport, queue: str, start: str) -> int:
    """The position (from 0) of a queue's interval in the coverage."""
    cov = report.coverage.reset_index(drop=True)
    return int(cov.index[(cov["queue"] == queue) & (cov["start_utc"] == pd.Timestamp(start))][0])


def test_a_result_keeps_fractional_productive_agents_and_one_with_whole_ones_still_exports(
        report: RosterReport, tiny_plan: Path) -> None:
    """Tests the productive agents through the result file: E2's en/chat hours (1 agent at 30% shrinkage) come back
    as 0.7, a float column; a result written before, with whole productive agents (floor(0.7) = 0, an ``int``
    column), still loads with them and exports (exit 0), its expected service as it was saved."""
    files = write_roster_files(report, tiny_plan / "outputs")
    payload = json.loads(files.result.read_text(encoding="utf-8"))
    assert payload["coverage"]["types"]["productive"] == "float"
    row = _coverage_row(report, "en/chat", "2026-03-23 14:00")
    back = load_report(files.result)
    assert back.coverage["productive"].dtype == float
    assert back.coverage.at[row, "productive"] == 0.7
    payload["coverage"]["types"]["productive"] = "int"
    payload["coverage"]["data"]["productive"] = [int(v + 1e-9) for v in payload["coverage"]["data"]["productive"]]
    older = tiny_plan / "older.result.json"
    older.write_text(json.dumps(payload), encoding="utf-8")
    loaded = load_report(older)
    assert loaded.coverage["productive"].dtype == "int64"
    assert loaded.coverage.at[row, "productive"] == 0
    pd.testing.assert_series_equal(loaded.coverage["service_level"], back.coverage["service_level"])
    outcome = CliRunner().invoke(main, ["export", str(tiny_plan), "--result", str(older)])
    assert outcome.exit_code == 0, outcome.output


def test_export_refuses_productive_agents_above_the_scheduled_ones(report: RosterReport, tiny_plan: Path) -> None:
    """Tests a hand-edited result with 2.5 productive agents where 1 is scheduled (E2's en/chat at 14:00): listed,
    exit 1. Productive agents are the scheduled ones less shrinkage, so from 0 to the scheduled ones."""
    row = _coverage_row(report, "en/chat", "2026-03-23 14:00")
    outcome, _ = _export_damaged(report, tiny_plan, lambda p: _set_cell(p, "coverage", "productive", row, 2.5))
    assert f"  - coverage row {row + 1}: productive 2.5 is not between 0 and scheduled 1 (the scheduled agents less " \
        "shrinkage)" in outcome.output
