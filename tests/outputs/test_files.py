"""Atomic, versioned writes: an interrupted write leaves nothing behind; nothing is overwritten silently."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

import outputs.workbook
import outputs.write
from inputs import load_plan
from outputs.files import write_atomic, write_atomic_folder
from outputs.report import RosterReport, build_report
from outputs.sheets import HR_COLUMNS, hr_frame
from outputs.write import write_roster_files
from scheduler.build import build_problem
from scheduler.checker import check_roster
from scheduler.result import Result
from scheduler.roster import Roster
from shiftplan.demand import staffing_spec
from tests.outputs.tiny_roster import constant_requirements
from tests.plan_factory import write_tiny_plan


class WriteInterruptedError(Exception):
    """Stands for a crash, a full disk or Ctrl-C in the middle of a write."""


def test_interrupted_write_leaves_no_file_and_no_temporary(tmp_path: Path) -> None:
    """Tests that a writer failing after half its bytes leaves the folder empty."""
    def half(temp: Path) -> None:
        temp.write_bytes(b"PK\x03\x04 half a workbook")
        raise WriteInterruptedError

    with pytest.raises(WriteInterruptedError):
        write_atomic(tmp_path / "roster.xlsx", half)
    assert list(tmp_path.iterdir()) == []


def test_interrupted_write_keeps_the_previous_file(tmp_path: Path) -> None:
    """Tests that an interrupted --overwrite leaves the old file exactly as it was."""
    target = tmp_path / "roster.csv"
    target.write_text("old\n")

    def broken(temp: Path) -> None:
        temp.write_text("new, but only hal")
        raise WriteInterruptedError

    with pytest.raises(WriteInterruptedError):
        write_atomic(target, broken, overwrite=True)
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["roster.csv"]


def test_interrupted_workbook_leaves_nothing(report: RosterReport, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests a crash in the real workbook writer after openpyxl saved, while the data rows go in: no file of the
    set and no temporary file remains (the result used to be left on its own, and 'export' then picked it up)."""
    def crash(*_args: object) -> None:
        raise WriteInterruptedError

    monkeypatch.setattr(outputs.workbook, "inject_rows", crash)
    folder = tmp_path / "out"
    with pytest.raises(WriteInterruptedError):
        write_roster_files(report, folder)
    assert list(folder.iterdir()) == []


def test_a_failed_overwrite_leaves_the_previous_set_whole(report: RosterReport, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests --overwrite over a complete set when the calendars (written last) fail: every file of the first set
    is byte for byte as it was, none of the new run's replaced it (the result was replaced alone before)."""
    folder = tmp_path / "out"
    first = write_roster_files(report, folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}

    def crash(*_args: object) -> None:
        raise WriteInterruptedError

    monkeypatch.setattr(outputs.write, "write_calendars", crash)
    rerun = replace(report, facts={**report.facts, "runtime_seconds": 99.0})  # another run: other bytes
    with pytest.raises(WriteInterruptedError):
        write_roster_files(rerun, folder, overwrite=True)
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before
    assert sorted(p.name for p in folder.iterdir()) == sorted([*before, first.calendars.name])


def test_interrupted_calendars_leave_no_folder(tmp_path: Path) -> None:
    """Tests that a calendar folder whose writing fails after one file is not left behind, nor its temporary."""
    def one_then_crash(folder: Path) -> None:
        (folder / "E1.ics").write_text("BEGIN:VCALENDAR\r\n")
        raise WriteInterruptedError

    with pytest.raises(WriteInterruptedError):
        write_atomic_folder(tmp_path / "roster.calendars", one_then_crash)
    assert list(tmp_path.iterdir()) == []


def test_second_run_writes_a_new_version_of_every_file(report: RosterReport, tmp_path: Path) -> None:
    """Tests that a second write gives the whole set a .v2 name and leaves the first set untouched."""
    first = write_roster_files(report, tmp_path / "out")
    before = first.workbook.read_bytes()
    second = write_roster_files(report, tmp_path / "out")
    assert [p.name for p in (second.workbook, second.csv, second.shifts, second.calendars, second.result)] == [
        "roster-2026-03-23.v2.xlsx", "roster-2026-03-23.v2.csv", "roster-2026-03-23.v2.shifts.csv",
        "roster-2026-03-23.v2.calendars", "roster-2026-03-23.v2.result.json"]
    assert first.workbook.read_bytes() == before
    assert first.workbook.stat().st_mode & 0o777 == 0o666 & ~_umask()


def test_overwrite_replaces_the_files_in_place(report: RosterReport, tmp_path: Path) -> None:
    """Tests that overwrite=True writes the unversioned names again, replacing the calendars folder too."""
    folder = tmp_path / "out"
    write_roster_files(report, folder)
    (folder / "roster-2026-03-23.calendars" / "stale.ics").write_text("x")
    again = write_roster_files(report, folder, overwrite=True)
    assert again.workbook.name == "roster-2026-03-23.xlsx"
    assert sorted(p.name for p in again.calendars.iterdir()) == ["E1.ics", "E2.ics", "E3.ics", "E5.ics"]
    assert sorted(p.name for p in folder.iterdir()) == [
        "roster-2026-03-23.calendars", "roster-2026-03-23.csv", "roster-2026-03-23.result.json",
        "roster-2026-03-23.shifts.csv", "roster-2026-03-23.xlsx"]


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_roster_with_nobody_working_is_written(tmp_path: Path) -> None:
    """Tests the files of an empty roster (no shift, no time off in the horizon): every file is written and the HR
    sheet has its columns and no row. Its empty frame had untyped time columns, and the HR sheet failed on them
    ("Can only use .dt accessor with datetimelike values", found by fuzzing the CLI)."""
    plan_dir = write_tiny_plan(tmp_path / "plan")
    (plan_dir / "time_off.csv").write_text("employee_id,start,end,kind,note\n", encoding="utf-8")
    plan = load_plan(plan_dir)
    requirements = constant_requirements(plan, contacts=0.0)
    problem = build_problem(plan, requirements)
    check = check_roster(problem, Roster(()))
    result = Result("OPTIMAL", 0.0, 0.0, None, None, 0.1, roster=Roster(()), coverage=check.coverage,
                    terms=check.terms, penalties=check.soft, num_agents_used=0, num_agents=len(problem.agents))
    report = build_report(plan, problem, result, requirements, {q.key: staffing_spec(q) for q in plan.queues},
                          time_limit_seconds=5.0)
    assert list(hr_frame(report).columns) == list(HR_COLUMNS) and hr_frame(report).empty
    written = write_roster_files(report, tmp_path / "out")
    assert written.workbook.exists() and written.csv.exists() and written.result.exists()
    assert pd.read_csv(written.csv).empty


def test_a_version_another_run_takes_meanwhile_is_not_replaced(report: RosterReport, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests two runs writing at once: while this run writes its calendars (last), another publishes the version
    both chose (simulated by writing its workbook then). That file is kept byte for byte, and this run's whole set
    goes to the next version (both runs used to print the same .v2 and one replaced the other's files)."""
    folder = tmp_path / "out"
    real = outputs.write.write_calendars

    def meanwhile(calendars: Path, data: RosterReport) -> None:
        (folder / "roster-2026-03-23.xlsx").write_bytes(b"the other run's workbook")
        monkeypatch.setattr(outputs.write, "write_calendars", real)
        real(calendars, data)

    monkeypatch.setattr(outputs.write, "write_calendars", meanwhile)
    files = write_roster_files(report, folder)
    assert files.workbook.name == "roster-2026-03-23.v2.xlsx"
    assert (folder / "roster-2026-03-23.xlsx").read_bytes() == b"the other run's workbook"
    assert sorted(p.name for p in folder.iterdir()) == [
        "roster-2026-03-23.v2.calendars", "roster-2026-03-23.v2.csv", "roster-2026-03-23.v2.result.json",
        "roster-2026-03-23.v2.shifts.csv", "roster-2026-03-23.v2.xlsx", "roster-2026-03-23.xlsx"]


def test_an_overwrite_whose_renames_fail_midway_restores_the_previous_set(report: RosterReport, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests --overwrite when renaming into place fails partway (a file made immutable: ``chattr +i`` on the shifts
    CSV): the workbook, HR CSV and result already renamed in are taken out again, the old ones moved back, no
    temporary file is left, and the error is raised (three files of the new run used to stay beside two old ones,
    while the message said nothing was replaced)."""
    import outputs.files

    folder = tmp_path / "out"
    write_roster_files(report, folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    real = os.replace

    def immutable_shifts(source: object, target: object) -> None:
        if str(source).endswith("roster-2026-03-23.shifts.csv"):
            raise PermissionError(1, "Operation not permitted", str(source))
        real(source, target)

    monkeypatch.setattr(outputs.files.os, "replace", immutable_shifts)
    rerun = replace(report, facts={**report.facts, "runtime_seconds": 99.0})
    with pytest.raises(PermissionError):
        write_roster_files(rerun, folder, overwrite=True)
    monkeypatch.setattr(outputs.files.os, "replace", real)
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before
    assert sorted(p.name for p in folder.iterdir()) == sorted([*before, "roster-2026-03-23.calendars"])
