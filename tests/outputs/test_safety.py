"""Formula injection: user text that starts with =, +, -, @, tab or CR is text in every output, never a formula."""

from __future__ import annotations

import dataclasses
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from outputs.report import RosterReport
from outputs.workbook import write_workbook
from outputs.write import write_roster_files
from tests.outputs.tiny_roster import tiny_report
from tests.plan_factory import write_tiny_plan

HOSTILE = {
    "E2": ("name", '=HYPERLINK("http://evil.example","click")'),
    "E5": ("name", "@SUM(1+1)*cmd|' /C calc'!A0"),
    "E1": ("site", "+Lisbon"),
    "E3": ("site", "-2+3"),
    "E4": ("name", "-1-1"),
}


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory: pytest.TempPathFactory) -> RosterReport:
    """The hand roster on the tiny plan with names and sites that a spreadsheet would run as formulas."""
    plan = write_tiny_plan(tmp_path_factory.mktemp("hostile") / "plan")
    agents = pd.read_csv(plan / "agents.csv", dtype=str, keep_default_na=False)
    for employee, (column, value) in HOSTILE.items():
        agents.loc[agents["employee_id"] == employee, column] = value
    agents.to_csv(plan / "agents.csv", index=False)
    return tiny_report(plan)[0]


def test_hostile_text_is_a_plain_string_cell_everywhere(hostile_report: RosterReport, tmp_path: Path) -> None:
    """Tests that the workbook holds no formula at all, and each hostile value reads back as the same text."""
    files = write_roster_files(hostile_report, tmp_path / "out")
    with zipfile.ZipFile(files.workbook) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any(re.search(r"<f[ >]", xml) for xml in sheets)
    book = openpyxl.load_workbook(files.workbook)
    hr = book["HR import"]
    seen = {}
    for row in hr.iter_rows(min_row=2):
        seen[(row[0].value, "name")] = row[1]
        seen[(row[0].value, "site")] = row[2]
    grid = {row[0].value: row for row in book["Grid"].iter_rows(min_row=2, max_row=6)}
    for employee, (column, value) in HOSTILE.items():
        cells = [grid[employee][1 if column == "name" else 2]]
        if employee != "E4":  # E4 has no shift and no time off: on the grid only
            cells.append(seen[(employee, column)])
        for cell in cells:
            assert cell.data_type == "s", (employee, cell.data_type)
            assert cell.value == value
            assert cell.quotePrefix is True


def test_hostile_text_round_trips_through_pandas(hostile_report: RosterReport, tmp_path: Path) -> None:
    """Tests that pandas reads the hostile names back exactly (no apostrophe added in the workbook)."""
    files = write_roster_files(hostile_report, tmp_path / "out")
    back = pd.read_excel(files.workbook, sheet_name="HR import")
    names = dict(zip(back["employee_id"], back["name"], strict=False))
    assert names["E2"] == HOSTILE["E2"][1]
    assert names["E5"] == HOSTILE["E5"][1]


def test_csv_prefixes_hostile_text_with_an_apostrophe(hostile_report: RosterReport, tmp_path: Path) -> None:
    """Tests the CSV: every hostile value is written as "'" + value, harmless text stays as it is."""
    files = write_roster_files(hostile_report, tmp_path / "out")
    back = pd.read_csv(files.csv, dtype=str, keep_default_na=False)
    for employee, (column, value) in HOSTILE.items():
        if employee != "E4":  # no rows: no shift, no time off
            assert set(back.loc[back["employee_id"] == employee, column]) == {"'" + value}
    assert set(back["time_zone"]) == {"Europe/Lisbon", "Asia/Manila"}


@pytest.mark.parametrize("value", ["\tcmd", "\r=1+2", "=1+1"])
def test_tab_and_carriage_return_starts_are_text_too(report: RosterReport, tmp_path: Path, value: str) -> None:
    """Tests leading tab / CR (which the plan loader strips, so set on the report directly) as quoted text."""
    agents = report.agents.copy()
    agents.loc[agents["employee_id"] == "E4", "contract"] = value
    path = tmp_path / "x.xlsx"
    write_workbook(path, dataclasses.replace(report, agents=agents))
    row = next(r for r in openpyxl.load_workbook(path)["Grid"].iter_rows(min_row=2) if r[0].value == "E4")
    # XML reading turns a raw CR into LF (line-end normalisation); the cell is still text
    assert (row[4].value, row[4].data_type, row[4].quotePrefix) == (value.replace("\r", "\n"), "s", True)
