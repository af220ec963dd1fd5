"""The workbook as written: sheets, headers, typed cells, layout, charts, and the pandas round trip."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from outputs.report import RosterReport
from outputs.sheets import HR_COLUMNS, hr_frame
from outputs.workbook import SHEETS, write_workbook


@pytest.fixture
def workbook(report: RosterReport, tmp_path: Path) -> Path:
    """The tiny roster's workbook."""
    path = tmp_path / "roster.xlsx"
    write_workbook(path, report)
    return path


def read_hr_sheet(path: Path) -> pd.DataFrame:
    """The HR import sheet read back with pandas, with the types HR would set on import."""
    frame = pd.read_excel(path, sheet_name="HR import", dtype={"employee_id": str, "utc_offset": str})
    frame["roster_date"] = frame["roster_date"].dt.date
    for column in ("queue", "template"):
        frame[column] = frame[column].fillna("")
    return frame


def test_sheets_and_hr_header(workbook: Path) -> None:
    """Tests the sheet names in order and the HR sheet's header row."""
    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames == list(SHEETS)
    assert [c.value for c in book["HR import"][1]] == list(HR_COLUMNS)


def test_hr_cells_are_typed(workbook: Path) -> None:
    """Tests E2's first segment: date, date-times and clock times as such, minutes as integers."""
    sheet = openpyxl.load_workbook(workbook)["HR import"]
    row = {name: cell for name, cell in zip(HR_COLUMNS, sheet[3], strict=True)}  # row 2 is E1's vacation
    assert row["employee_id"].value == "E2" and row["name"].value == "Bruno Lima"
    assert row["roster_date"].is_date and row["roster_date"].value == dt.datetime(2026, 3, 23)
    assert row["roster_date"].number_format == "yyyy-mm-dd"
    assert row["start_local"].value == dt.datetime(2026, 3, 23, 9, 0)
    assert row["start_time"].value == dt.time(9, 0) and row["start_time"].is_date
    assert row["paid_minutes"].data_type == "n" and row["paid_minutes"].value == 120
    assert row["utc_offset"].data_type == "s" and row["utc_offset"].value == "+00:00"


def test_hr_sheet_round_trips_through_pandas(report: RosterReport, workbook: Path) -> None:
    """Tests that reading the HR sheet with pandas gives exactly the roster's segments."""
    expected = hr_frame(report)
    back = read_hr_sheet(workbook)
    for column in ("start_local", "end_local", "start_utc", "end_utc"):
        expected[column] = expected[column].astype("datetime64[ns]")
        back[column] = back[column].astype("datetime64[ns]")
    pd.testing.assert_frame_equal(back, expected, check_dtype=False)


def test_grid_layout_colours_and_print_setup(workbook: Path) -> None:
    """Tests frozen id/name columns, filter, widths, landscape fit-to-width, and E2's coloured Monday."""
    sheet = openpyxl.load_workbook(workbook)["Grid"]
    assert sheet.freeze_panes == "C2"
    assert sheet.auto_filter.ref == "A1:N6"  # 5 id columns, 7 days, week 1, total: A-N; header + 5 agents
    header = [c.value for c in sheet[1]]
    assert header[:6] == ["employee_id", "name", "site", "time_zone", "contract", "Mon 23 Mar"]
    assert header[-2:] == ["week 1 paid hours (23 Mar-29 Mar)", "total paid hours"]
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.column_dimensions["B"].width == 22
    assert [sheet["D3"].value, sheet["D5"].value] == ["Europe/Lisbon", "Asia/Manila"]  # E2 and E3: their clocks
    monday = sheet["F3"]  # row 3 is E2 (E1 first: Lisbon sorted by id)
    assert monday.value == "D 09:00-17:00"
    assert monday.fill.fgColor.rgb == "00C6E0B4"
    assert sheet["G2"].value == "vacation" and sheet["G2"].fill.fgColor.rgb == "00BFBFBF"
    assert sheet["M3"].value == 7.5
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    legend = [row[1] for row in rows[rows.index(["legend", *[None] * (len(rows[0]) - 1)]) + 1:]]
    assert legend == ["day", "late", "time off"]  # the families shown: not 'pinned', which no cell has


def test_coverage_flags_under_staffing_and_charts_exist(workbook: Path) -> None:
    """Tests the under-staffed rule over the coverage rows and one native chart (area + line) per queue."""
    sheet = openpyxl.load_workbook(workbook)["Coverage"]
    rules = {str(r.sqref): [rule.formula for rule in r.rules] for r in sheet.conditional_formatting}
    assert rules == {"A2:O836": [["$H2>0"]]}  # 835 rows: 5 queues x 167 hours
    assert [c.value for c in sheet[1]][5:9] == ["required", "scheduled", "under", "over"]
    with zipfile.ZipFile(workbook) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        first = archive.read("xl/charts/chart1.xml").decode()
    assert len(charts) == 5
    assert "<areaChart>" in first and "<lineChart>" in first
    assert "<f>'Chart data'!$B$2:$B$168</f>" in first  # en/chat required, all 167 intervals


def test_summary_says_how_the_roster_was_found_and_colours_the_service_levels_below(workbook: Path) -> None:
    """Tests the solve's explanation on the Summary sheet (a titled block under the KPIs, a line per row in column
    A, so a team lead reading the file sees which path found the roster and which bound is reported), and that the
    service-level colour scale below it still starts on the first queue's row."""
    sheet = openpyxl.load_workbook(workbook)["Summary"]
    column_a = [row[0].value for row in sheet.iter_rows()]
    title = column_a.index("How the roster was found and which bound is reported")
    assert column_a[title + 1:title + 3] == ["hand-made roster: two shifts", "the bound is given by hand"]
    first_queue = column_a.index("Expected service level per queue and day (%, contact-weighted)") + 3
    scale = next(str(r.sqref) for r in sheet.conditional_formatting)
    assert scale.startswith(f"B{first_queue}:")
    assert sheet.cell(first_queue, 1).value == "en/chat"


def test_summary_lists_demand_no_shift_reaches_and_the_agents_without_a_shift(workbook: Path) -> None:
    """Tests the two tables under the explanation on the hand roster (derived in
    ``test_roster_summary_says_which_demand_no_shift_reaches_and_why_agents_are_left_out``): de/chat's 144 agent-h
    out of every shift's reach at 00:00-07:00, and E1, E3 and E4 without a shift, each with its reason."""
    sheet = openpyxl.load_workbook(workbook)["Summary"]
    rows = [[cell.value for cell in row[:4]] for row in sheet.iter_rows()]
    column_a = [row[0] for row in rows]
    reach = column_a.index("Required when no shift of any agent can serve it (whatever the team's size, but where no "
                           "agent has the skills: a hire with them would)")
    assert rows[reach + 1][:3] == ["queue", "agent_hours", "when"]
    assert rows[reach + 3][:3] == ["de/chat", 144, "00:00-07:00 on 7 days (Mon 2026-03-23 to Sun 2026-03-29)"]
    idle = column_a.index("Agents without a shift, and why")
    assert rows[idle + 1] == ["employee_id", "name", "reason", "detail"]
    assert [row[:3] for row in rows[idle + 2:idle + 5]] == [
        ["E1", "Ana Souza", "left out"], ["E3", "Carla Reyes", "left out"], ["E4", "Dieter Krause", "left out"]]
    assert "Open positions not hired, and why" not in column_a


def test_summary_says_when_the_team_is_too_small(report: RosterReport, tmp_path: Path) -> None:
    """Tests that the terminal's verdict is on the Summary sheet too, for HR reading only the workbook: on the hand
    roster with every agent marked scheduled, the demand short beyond what no shift reaches (1,723 - 202 = 1,521
    agent-h) makes the team too small; as built (3 agents left out), no verdict."""
    import dataclasses

    def summary_column_a(which: RosterReport) -> list[object]:
        path = tmp_path / f"{len(list(tmp_path.iterdir()))}.xlsx"
        write_workbook(path, which)
        return [row[0].value for row in openpyxl.load_workbook(path)["Summary"].iter_rows()]

    assert "Is the team large enough?" not in summary_column_a(report)
    everyone = dataclasses.replace(report, agents=report.agents.assign(scheduled=True))
    column_a = summary_column_a(everyone)
    verdict = column_a[column_a.index("Is the team large enough?") + 1]
    assert verdict.startswith("Every agent works, and 1,521.0 agent-h are still short: the team is too small")


def test_summary_numbers_have_thousands_separators(workbook: Path) -> None:
    """Tests the Summary's number formats: whole figures '#,##0', others '#,##0.0#' (the audit saw 9809258.5 in
    General format)."""
    sheet = openpyxl.load_workbook(workbook)["Summary"]
    formats = {row[0].value: row[1].number_format for row in sheet.iter_rows(min_row=4, max_row=40)
               if isinstance(row[1].value, int | float)}
    assert formats["objective"] == "#,##0.0#" and formats["agents in the plan"] == "#,##0"
