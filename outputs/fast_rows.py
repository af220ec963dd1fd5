"""Fast data rows for the workbook's big flat sheets: the ``<sheetData>`` rows written as XML text directly.

openpyxl spends about 10 µs per cell (cell object, style lookup, XML element); the long sheets of a
300-agent, four-week, 24-queue roster hold about 1.9 million cells. So
openpyxl writes each of these sheets with its header row and every sheet-level setting (frozen
panes, filter, widths, conditional formatting, print set-up), and :func:`inject_rows` then adds
the data rows, generated column by column as SpreadsheetML text, into the saved file. The
cells are the same as openpyxl's: numbers, booleans, inline strings, and dates, date-times and
clock times as serial numbers with openpyxl's own date styles (``style ids`` taken from the
workbook, see :func:`cell_styles`). User text that would start a formula is a string cell with
the quote-prefix style, exactly as :func:`outputs.workbook.text_cell` writes it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from outputs.safety import FORMULA_PREFIXES

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd h:mm:ss"
TIME_FORMAT = "h:mm:ss"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML 1.0


@dataclass(frozen=True)
class CellStyles:
    """Style ids (``s`` attribute) of the workbook's date, date-time, clock-time and quote-prefix cells."""

    date: int
    datetime: int
    time: int
    quoted: int


def cell_styles(sheet: object) -> CellStyles:
    """Register the four styles in the sheet's workbook and return their ids.

    Parameters
    ----------
    sheet : openpyxl worksheet
        Any sheet of the workbook (write-only or not).
    """
    ids = []
    for number_format in (DATE_FORMAT, DATETIME_FORMAT, TIME_FORMAT):
        cell = WriteOnlyCell(sheet)
        cell.number_format = number_format
        ids.append(cell.style_id)
    quoted = WriteOnlyCell(sheet)
    quoted.quotePrefix = True
    return CellStyles(*ids, quoted.style_id)


def _text(value: str) -> str:
    value = _CONTROL.sub("", value)
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return f"<is><t{space}>{escape(value)}</t></is>"


def _column_cells(series: pd.Series, letter: str, rows: list[str], styles: CellStyles, safe: bool) -> list[str]:
    """The ``<c>`` elements of one column (``""`` for a blank cell)."""
    refs = [f"{letter}{r}" for r in rows]
    if pd.api.types.is_bool_dtype(series):
        return [f'<c r="{ref}" t="b"><v>{int(v)}</v></c>' for ref, v in zip(refs, series.to_numpy(), strict=True)]
    if pd.api.types.is_integer_dtype(series):
        return [f'<c r="{ref}"><v>{v}</v></c>' for ref, v in zip(refs, series.to_numpy().tolist(), strict=True)]
    if pd.api.types.is_float_dtype(series):
        return ["" if v != v else f'<c r="{ref}"><v>{v!r}</v></c>'
                for ref, v in zip(refs, series.to_numpy(dtype=float).tolist(), strict=True)]
    if pd.api.types.is_datetime64_any_dtype(series):
        days = ((series - EXCEL_EPOCH) / pd.Timedelta(days=1)).to_numpy(dtype=float).tolist()
        return ["" if v != v else f'<c r="{ref}" s="{styles.datetime}"><v>{v!r}</v></c>'
                for ref, v in zip(refs, days, strict=True)]
    cells = []
    for ref, v in zip(refs, series.to_numpy(dtype=object).tolist(), strict=True):
        if v is None or v is pd.NaT or (isinstance(v, float) and v != v) or v == "":
            cells.append("")
        elif isinstance(v, str):
            style = f' s="{styles.quoted}"' if safe and v.startswith(FORMULA_PREFIXES) else ""
            cells.append(f'<c r="{ref}" t="inlineStr"{style}>{_text(v)}</c>')
        elif isinstance(v, bool):
            cells.append(f'<c r="{ref}" t="b"><v>{int(v)}</v></c>')
        elif isinstance(v, int | float | np.integer | np.floating):
            cells.append(f'<c r="{ref}"><v>{float(v) if isinstance(v, np.floating) else v!r}</v></c>')
        elif isinstance(v, dt.datetime):
            serial = (pd.Timestamp(v) - EXCEL_EPOCH) / pd.Timedelta(days=1)
            cells.append(f'<c r="{ref}" s="{styles.datetime}"><v>{serial!r}</v></c>')
        elif isinstance(v, dt.date):
            cells.append(f'<c r="{ref}" s="{styles.date}"><v>{(v - EXCEL_EPOCH.date()).days}</v></c>')
        elif isinstance(v, dt.time):
            fraction = (v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6) / 86400
            cells.append(f'<c r="{ref}" s="{styles.time}"><v>{fraction!r}</v></c>')
        else:
            cells.append(f'<c r="{ref}" t="inlineStr">{_text(str(v))}</c>')
    return cells


def rows_xml(frame: pd.DataFrame, styles: CellStyles, *, first_row: int = 2,
             safe_columns: frozenset[str] = frozenset()) -> str:
    """The ``<row>`` elements of a frame's rows, starting at sheet row ``first_row``.

    Parameters
    ----------
    frame : pandas.DataFrame
        The data (column order is the sheet's).
    styles : CellStyles
        Style ids of the workbook.
    first_row : int
        Sheet row of the frame's first row (the header is row 1).
    safe_columns : frozenset of str
        User-text columns: a value starting a formula gets the quote-prefix style.

    Returns
    -------
    str
        SpreadsheetML text to put inside ``<sheetData>``.
    """
    rows = [str(first_row + i) for i in range(len(frame))]
    columns = [_column_cells(frame[name], get_column_letter(j + 1), rows, styles, name in safe_columns)
               for j, name in enumerate(frame.columns)]
    parts = []
    for r, cells in zip(rows, zip(*columns, strict=True), strict=True):
        parts.append(f'<row r="{r}">{"".join(cells)}</row>')
    return "".join(parts)


def inject_rows(path: Path, rows: dict[int, tuple[str, str]]) -> None:
    """Add data rows to sheets of a saved workbook, in place.

    Parameters
    ----------
    path : Path
        The ``.xlsx`` file openpyxl saved (sheets numbered in creation order).
    rows : dict
        Sheet position (0-based) -> (the rows' XML from :func:`rows_xml`, the sheet's full range
        such as ``A1:Q1201`` for its ``<dimension>``).
    """
    temp = path.with_name(path.name + ".rows")
    try:
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED,
                                                              compresslevel=1) as target:
            for item in source.infolist():
                data = source.read(item.filename)
                match = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", item.filename)
                if match and int(match.group(1)) - 1 in rows:
                    xml, ref = rows[int(match.group(1)) - 1]
                    text = data.decode("utf-8")
                    if "</sheetData>" not in text:
                        raise ValueError(f"{item.filename}: no <sheetData> to add rows to")
                    text = text.replace("</sheetData>", xml + "</sheetData>", 1)
                    text = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>', text, count=1)
                    data = text.encode("utf-8")
                target.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
        os.replace(temp, path)
    finally:
        if temp.exists():
            temp.unlink()
