"""The roster workbook (openpyxl): a thin layout of the frames in :mod:`outputs.sheets`.

Every sheet is written in openpyxl's write-only mode (rows streamed to the file); charts,
conditional formatting, frozen panes, filters and print set-up are all available in that mode.
The data rows of the big flat sheets (HR import, Coverage, Chart data, Penalties) are then
added to the saved file as generated XML (:mod:`outputs.fast_rows`), about 6 times faster than
openpyxl's cell objects, which keeps a 300-agent, four-week, 24-queue workbook within seconds.

Sheets: ``HR import`` (flat, typed, one row per segment), ``Grid`` (agents × days), ``Coverage``
(per queue and interval, long form, under-staffed rows highlighted), ``Charts`` (required vs
scheduled per queue, from ``Chart data``), ``Summary`` (KPIs, a re-plan's from its cut first, the lines
that made the requirements, service level per queue and day, penalties per rule, fairness), ``Penalties``
(every named penalty), a re-plan's ``Changes`` (soonest first) and ``Manifest``.

User text (ids, names, sites, template names) is written as a string cell with Excel's
quote-prefix flag, so a value such as ``=HYPERLINK(...)`` is shown as text and never evaluated.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import AreaChart, LineChart, Reference
from openpyxl.formatting.rule import ColorScaleRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from outputs.fast_rows import cell_styles, inject_rows, rows_xml
from outputs.left_out import (
    UNHIRED_COLUMNS,
    UNREACHED_COLUMNS,
    UNSCHEDULED_COLUMNS,
    team_verdict,
    under_hours_by_queue,
)
from outputs.replan_cut import Cut, from_cut, report_cut
from outputs.report import RosterReport
from outputs.safety import FORMULA_PREFIXES
from outputs.sheets import (
    GRID_ID_COLUMNS,
    TIME_OFF_FAMILY,
    changes_frame,
    chart_data_frame,
    coverage_sheet_frame,
    grid_frames,
    hr_frame,
    kpi_frame,
    penalties_frame,
    penalty_totals,
    service_by_queue,
    service_level_pivot,
)

SHEETS = ("HR import", "Grid", "Coverage", "Charts", "Chart data", "Summary", "Penalties", "Manifest")
#: A re-plan's workbook has this sheet before the manifest: each agent-day changed from the published roster, with
#: the published and the new shift (:func:`outputs.sheets.changes_frame`).
CHANGES_SHEET = "Changes"
#: The Summary sheet's title over ``facts["unreachable"]``: its ``where`` tells a queue no agent of the plan has the
#: skills for (:data:`outputs.left_out.NO_SKILL`: a hire with them would reach it) from times no shift spans.
UNREACHED_TITLE = ("Required when no shift of any agent can serve it (whatever the team's size, but where no agent "
                   "has the skills: a hire with them would)")
USER_TEXT_COLUMNS = frozenset({"employee_id", "name", "site", "contract", "template", "subject"})
FAMILY_COLOURS = ("C6E0B4", "BDD7EE", "FFE699", "F8CBAD", "D9D2E9", "B4DED2", "F4B6C2", "DDEBF7")
TIME_OFF_COLOUR = "BFBFBF"
UNDER_COLOUR = "F4B084"
HEADER_FONT = Font(bold=True)
TITLE_FONT = Font(bold=True, size=13)
HR_WIDTHS = {"employee_id": 12, "name": 22, "site": 12, "time_zone": 16, "roster_date": 12, "start_local": 17,
             "end_local": 17, "start_time": 10, "end_time": 10, "utc_offset": 10, "start_utc": 17, "end_utc": 17,
             "activity": 9, "queue": 11, "template": 10, "minutes": 9, "paid_minutes": 12}
CHARTS_PER_ROW = 1  # one per row: a chart is as wide as a landscape A4 page
CHART_WIDTH_CM = 25.0
CHART_HEIGHT_CM = 7.5
CHART_ROWS = 16
CHART_COLUMNS = 16


def text_cell(sheet: object, value: object) -> object:
    """Return ``value`` as written to a cell; text that would start a formula becomes a quote-prefixed string cell.

    Parameters
    ----------
    sheet : openpyxl worksheet
        The (write-only) sheet the cell goes to.
    value : object
        A cell value.

    Returns
    -------
    object
        ``value`` unchanged, or a :class:`~openpyxl.cell.WriteOnlyCell` of data type ``s`` holding it.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell = WriteOnlyCell(sheet, value=None)
        cell._value = value  # set directly: assigning ``value`` would bind a leading "=" as a formula
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    return value


def _plain(value: object) -> object:
    """A value openpyxl writes correctly: NaN and NaT become blank cells, numpy scalars Python numbers."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, pd.Timestamp | dt.datetime | dt.date | dt.time):
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def _header(sheet: object, names: Sequence[str]) -> list[object]:
    cells = []
    for name in names:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = HEADER_FONT
        cells.append(cell)
    return cells


def _rows(sheet: object, frame: pd.DataFrame) -> Iterable[list[object]]:
    """Rows of ``frame`` as cell values, user-text columns made formula-safe."""
    safe = [name in USER_TEXT_COLUMNS for name in frame.columns]
    columns = [frame[c].to_numpy(dtype=object) for c in frame.columns]
    for values in zip(*columns, strict=True):
        yield [text_cell(sheet, _plain(v)) if s else _plain(v) for v, s in zip(values, safe, strict=True)]


def _widths(sheet: object, widths: Sequence[float]) -> None:
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width


Deferred = dict[int, pd.DataFrame]


def _table(sheet: object, frame: pd.DataFrame, widths: Sequence[float] | None = None,
           deferred: Deferred | None = None, labels: Sequence[str] | None = None) -> None:
    """A header row, the frame's rows, frozen header and an autofilter.

    With ``deferred`` the data rows are not written through openpyxl but recorded under the
    sheet's position, for :func:`outputs.fast_rows.inject_rows` after the save. ``labels`` are the header's
    (default: the frame's column names).
    """
    sheet.freeze_panes = "A2"
    if len(frame.columns):
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{len(frame) + 1}"
    _widths(sheet, widths or [max(10, min(40, len(str(c)) + 2)) for c in frame.columns])
    sheet.append(_header(sheet, list(frame.columns) if labels is None else list(labels)))
    if deferred is not None:
        deferred[sheet.parent.index(sheet)] = frame
        return
    for row in _rows(sheet, frame):
        sheet.append(row)


def _print_landscape(sheet: object, title_rows: str = "1:1") -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    if title_rows:
        sheet.print_title_rows = title_rows


def write_hr_sheet(sheet: object, report: RosterReport, deferred: Deferred | None = None) -> None:
    """The flat HR import sheet (typed cells: dates, date-times, clock times, numbers)."""
    frame = hr_frame(report)
    _table(sheet, frame, [HR_WIDTHS[c] for c in frame.columns], deferred)
    _print_landscape(sheet)


def family_fills(report: RosterReport) -> dict[str, PatternFill]:
    """A fill per shift family (template), in template order, and grey for time off."""
    fills = {name: PatternFill("solid", fgColor=FAMILY_COLOURS[i % len(FAMILY_COLOURS)])
             for i, name in enumerate(report.templates["template"])}
    fills[TIME_OFF_FAMILY] = PatternFill("solid", fgColor=TIME_OFF_COLOUR)
    return fills


def write_grid_sheet(sheet: object, report: RosterReport) -> None:
    """The team lead's grid: coloured shift cells, time off in grey, weekly paid hours, legend below."""
    text, family = grid_frames(report)
    fills = family_fills(report)
    day_columns = [d.isoformat() for d in report.days]
    days = report.days
    labels = [*GRID_ID_COLUMNS, *[f"{d:%a %d %b}" for d in days],
              *[f"week {w + 1} paid hours ({days[7 * w]:%d %b}-{days[7 * w + 6]:%d %b})"
                for w in range(len(days) // 7)], "total paid hours"]
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(labels))}{len(text) + 1}"
    _widths(sheet, [12, 22, 12, 16, 10, *[14] * len(day_columns),
                    *[12] * (len(labels) - len(GRID_ID_COLUMNS) - len(day_columns))])
    _print_landscape(sheet)
    centre = Alignment(horizontal="center")
    sheet.append(_header(sheet, labels))
    day_set = set(day_columns)
    for i, values in enumerate(_rows(sheet, text)):
        row: list[object] = []
        for column, value in zip(text.columns, values, strict=True):
            if column in day_set and value:
                cell = WriteOnlyCell(sheet, value=value)
                kind = family.at[i, column]
                if kind in fills:
                    cell.fill = fills[kind]
                cell.alignment = centre
                row.append(cell)
            else:
                row.append(value)
        sheet.append(row)
    sheet.append([])
    codes = dict(zip(report.templates["template"], report.templates["code"], strict=True))
    legend = [WriteOnlyCell(sheet, value="legend")]
    legend[0].font = HEADER_FONT
    sheet.append(legend)
    used = set(family.to_numpy().ravel())
    for name, fill in fills.items():
        if name not in used:  # the families the grid shows (it listed 'pinned' on a roster with no pin)
            continue
        cell = WriteOnlyCell(sheet, value=codes.get(name, ""))
        cell.fill = fill
        sheet.append([cell, text_cell(sheet, name)])


def write_coverage_sheet(sheet: object, report: RosterReport, deferred: Deferred | None = None) -> None:
    """Per queue and interval, long form; an under-staffed row is highlighted by conditional formatting."""
    frame = coverage_sheet_frame(report)
    _table(sheet, frame, [11, 8, 12, 17, 17, 9, 10, 7, 7, 9, 11, 10, 12, 11, 10], deferred)
    _print_landscape(sheet)
    if len(frame):
        under = get_column_letter(list(frame.columns).index("under") + 1)
        sheet.conditional_formatting.add(
            f"A2:{get_column_letter(len(frame.columns))}{len(frame) + 1}",
            FormulaRule(formula=[f"${under}2>0"], fill=PatternFill("solid", bgColor=UNDER_COLOUR)))


def write_chart_sheets(charts: object, data_sheet: object, report: RosterReport,
                       deferred: Deferred | None = None) -> None:
    """``Chart data`` (wide, one row per interval) and ``Charts``: required (area) vs scheduled (line) per queue."""
    frame = chart_data_frame(report)
    _table(data_sheet, frame, [18, *[14] * (len(frame.columns) - 1)], deferred)
    per_day = max(1, 24 * 60 // int(report.facts["interval_minutes"]))
    last = len(frame) + 1
    labels = Reference(data_sheet, min_col=1, min_row=2, max_row=last)
    queues = list(dict.fromkeys(report.coverage["queue"]))
    charts.append([WriteOnlyCell(charts, value=f"Required vs scheduled agents per queue "
                                            f"({report.facts['time_zone']} time; shaded: required)")])
    for q, queue in enumerate(queues):
        required_col = 2 + 2 * q
        area = AreaChart()
        area.title = queue
        area.add_data(Reference(data_sheet, min_col=required_col, min_row=1, max_row=last), titles_from_data=True)
        area.set_categories(labels)
        area.y_axis.title = "agents"
        area.x_axis.tickLblSkip = per_day
        area.x_axis.tickMarkSkip = per_day
        area.series[0].graphicalProperties.solidFill = "BDD7EE"
        area.series[0].graphicalProperties.line.noFill = True
        line = LineChart()
        line.add_data(Reference(data_sheet, min_col=required_col + 1, min_row=1, max_row=last), titles_from_data=True)
        line.series[0].graphicalProperties.line.solidFill = "C00000"
        line.series[0].graphicalProperties.line.width = 12700
        line.series[0].smooth = False
        area += line
        area.width = CHART_WIDTH_CM
        area.height = CHART_HEIGHT_CM
        area.legend.position = "b"
        row = 3 + (q // CHARTS_PER_ROW) * CHART_ROWS
        column = 1 + (q % CHARTS_PER_ROW) * CHART_COLUMNS
        charts.add_chart(area, f"{get_column_letter(column)}{row}")
    _print_landscape(charts)


def _title(sheet: object, text: str) -> None:
    cell = WriteOnlyCell(sheet, value=text)
    cell.font = TITLE_FONT
    sheet.append([cell])


def write_summary_sheet(sheet: object, report: RosterReport) -> None:
    """KPIs, how the roster was found (the solve's explanation), the lines the solve printed while making the
    requirements (the events a forecast applied), the team verdict, the requirements no shift can reach and the agents
    without a shift with why (:mod:`outputs.left_out`; absent from results saved before), expected service level per
    queue and day (colour scale), penalties per rule.

    A re-plan whose cut the report records (:func:`outputs.replan_cut.report_cut`) says under the title from when the
    figures are what it could still change; its KPIs give the coverage from the cut first (:func:`kpi_frame`), the
    verdict counts what is short from the cut, and a table gives the per-queue figures from the cut with the whole
    plan's under-staffing beside them."""
    _widths(sheet, [44, 16, *[12] * 40])
    _print_landscape(sheet, "")
    facts = report.facts
    _title(sheet, f"{facts['plan_name']}: roster from {facts['first_day']} for {facts['weeks']} week(s)")
    row = 1
    cut = report_cut(facts)
    if cut is not None:  # a re-plan: what it could still change comes first
        sheet.append([f"A re-plan {cut.heading} on: the coverage figures 'from the cut' are what it could still "
                      "change; the whole plan's include the days before the cut, which it kept as worked or under "
                      "way."])
        row += 1
    sheet.append([])
    kpis = kpi_frame(report)
    row += 2
    sheet.append(_header(sheet, ["figure", "value", "unit", "section"]))
    for item in kpis.itertuples(index=False):
        value = _plain(item.value)
        if isinstance(value, int | float) and not isinstance(value, bool):  # 9,809,258.5, not 9809258.5
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = "#,##0" if float(value).is_integer() else "#,##0.0#"
            value = cell
        sheet.append([item.figure, value, item.unit, item.section])
    row += 1 + len(kpis)
    explanation = [str(line) for line in facts.get("explanation", [])]
    if explanation:  # the terminal's explanation: which path found the roster and which bound is reported
        sheet.append([])
        _title(sheet, "How the roster was found and which bound is reported")
        for line in explanation:
            sheet.append([line])
        row += 2 + len(explanation)
    notes = [str(line) for line in facts.get("requirements_notes", [])]
    if notes:  # the events a forecast applied, as the solve printed them: what drove the requirements
        sheet.append([])
        _title(sheet, "How the requirements were made: the events applied (as solve printed them)")
        for line in notes:
            sheet.append([text_cell(sheet, line)])
        row += 2 + len(notes)
    kpi = {item.figure: item.value for item in kpis.itertuples(index=False)}
    under = kpi.get("under-staffed" if cut is None else "under-staffed, from the cut", 0.0)
    coverage = report.coverage if cut is None else from_cut(report.coverage, cut)
    verdict = team_verdict(facts, under_hours=float(under or 0.0),
                           all_scheduled=kpi.get("agents scheduled") == kpi.get("agents in the plan"),
                           under_by_queue=under_hours_by_queue(coverage, int(facts["interval_minutes"])))
    if verdict:  # the terminal's conclusion, for whoever reads only the workbook
        sheet.append([])
        _title(sheet, "Is the team large enough?")
        sheet.append([verdict[0].upper() + verdict[1:]])
        row += 3
    # demand no shift reaches (its fix is the opening hours, templates or time off, not headcount; or, where no agent
    # has the queue's skills, a hire with them), then who is left without a shift and why (:mod:`outputs.left_out`)
    for key, title, columns in (
            ("unreachable", UNREACHED_TITLE, UNREACHED_COLUMNS),
            ("unhired", "Open positions not hired, and why", UNHIRED_COLUMNS),
            ("unscheduled", "Agents without a shift, and why", UNSCHEDULED_COLUMNS)):
        block = list(facts.get(key) or [])
        if block:
            sheet.append([])
            _title(sheet, title)
            sheet.append(_header(sheet, list(columns)))
            for values in block:
                sheet.append([value if isinstance(value, int | float) else text_cell(sheet, str(value))
                              for value in values])
            row += 3 + len(block)
    if cut is not None:
        row += _write_queues_from_cut(sheet, report, cut)
    sheet.append([])
    _title(sheet, "Expected service level per queue and day (%, contact-weighted)")
    row += 2
    pivot = service_level_pivot(report)
    days = [dt.date.fromisoformat(c) for c in pivot.columns]
    sheet.append(_header(sheet, ["queue", *[f"{d:%a %d %b}" for d in days]]))
    first_data = row + 1
    for queue, values in pivot.iterrows():
        sheet.append([queue, *[_plain(v) for v in values]])
    row += 1 + len(pivot)
    if len(pivot) and len(days):
        sheet.conditional_formatting.add(
            f"B{first_data}:{get_column_letter(1 + len(days))}{row}",
            ColorScaleRule(start_type="num", start_value=50, start_color="F8696B", mid_type="num", mid_value=80,
                           mid_color="FFEB84", end_type="num", end_value=100, end_color="63BE7B"))
    sheet.append([])
    _title(sheet, "Named rule penalties (all of them on the Penalties sheet)")
    totals = penalty_totals(report)
    sheet.append(_header(sheet, list(totals.columns)))
    for values in _rows(sheet, totals):
        sheet.append(values)
    if totals.empty:
        sheet.append(["none"])


#: The columns of the Summary sheet's per-queue table of a re-plan, from its cut on (:func:`_write_queues_from_cut`).
QUEUES_FROM_CUT_HEADER = ("queue", "required h", "scheduled h", "under h", "SL %", "ASA s", "aband %", "no ans %",
                          "under h, whole plan")


def _write_queues_from_cut(sheet: object, report: RosterReport, cut: Cut) -> int:
    """A re-plan's per-queue figures from its cut on, as ``solve`` prints them, with each queue's under-staffed
    agent-hours over the whole plan beside them; returns the rows written."""
    since = service_by_queue(report, from_cut(report.coverage, cut))
    whole = service_by_queue(report).set_index("queue")["under_hours"]
    sheet.append([])
    _title(sheet, f"Per queue {cut.heading} on (the whole plan's under-staffing beside it)")
    sheet.append(_header(sheet, list(QUEUES_FROM_CUT_HEADER)))
    for item in since.itertuples(index=False):
        sheet.append([item.queue, *(_plain(round(float(v), 1)) for v in (
            item.required_hours, item.scheduled_hours, item.under_hours, item.service_level_percent,
            item.asa_seconds, item.abandon_percent, item.no_answer_percent, whole[item.queue]))])
    return 3 + len(since)


def write_manifest_sheet(sheet: object, report: RosterReport) -> None:
    """Run manifest: versions, settings, timestamps, then every input file with its sha256."""
    _widths(sheet, [30, 70, 14])
    sheet.append(_header(sheet, ["key", "value"]))
    manifest = report.manifest
    for key, value in manifest.items():
        if isinstance(value, dict):
            continue
        sheet.append([key, text_cell(sheet, _plain(value))])
    for section in ("dependencies", "settings"):
        for key, value in dict(manifest.get(section, {})).items():
            sheet.append([f"{section}: {key}", text_cell(sheet, _plain(value))])
    sheet.append([])
    sheet.append(_header(sheet, ["input file", "sha256", "bytes"]))
    for name, entry in dict(manifest.get("inputs", {})).items():
        sheet.append([text_cell(sheet, name), entry.get("sha256"), entry.get("bytes")])


def write_workbook(path: Path, report: RosterReport) -> None:
    """Write the roster workbook to ``path`` (use through :func:`outputs.files.write_atomic`).

    Parameters
    ----------
    path : Path
        Destination (``.xlsx``).
    report : RosterReport
        The roster and its figures.
    """
    book = Workbook(write_only=True)
    changes = changes_frame(report)
    names = SHEETS if changes is None else (*SHEETS[:-1], CHANGES_SHEET, SHEETS[-1])
    sheets = {name: book.create_sheet(name) for name in names}
    styles = cell_styles(sheets["HR import"])
    deferred: Deferred = {}
    try:
        write_hr_sheet(sheets["HR import"], report, deferred)
        write_grid_sheet(sheets["Grid"], report)
        write_coverage_sheet(sheets["Coverage"], report, deferred)
        write_chart_sheets(sheets["Charts"], sheets["Chart data"], report, deferred)
        write_summary_sheet(sheets["Summary"], report)
        _table(sheets["Penalties"], penalties_frame(report), [22, 20, 32, 10, 22], deferred)
        if changes is not None:
            zone = report.facts["time_zone"]
            _table(sheets[CHANGES_SHEET], changes, [22, 12, 24, 16, 12, 13, 13, 22, 48], deferred,
                   labels=[f"{name} ({zone})" if name in ("takes_effect", "new_start") else name
                           for name in changes.columns])
        write_manifest_sheet(sheets["Manifest"], report)
    except BaseException:  # close the sheets' open row writers, or each complains on its way out of memory
        for sheet in sheets.values():
            with contextlib.suppress(Exception):
                sheet.close()
        raise
    book.save(path)
    inject_rows(Path(path), {
        position: (rows_xml(frame, styles, safe_columns=USER_TEXT_COLUMNS),
                   f"A1:{get_column_letter(max(1, len(frame.columns)))}{len(frame) + 1}")
        for position, frame in deferred.items()})
