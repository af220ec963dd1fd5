"""Read a CSV, XLSX or Parquet table and check it against its :class:`TableSpec`.

Checks are vectorised per column (a history file has hundreds of thousands of rows) and
lazy: every problem in every cell is recorded in the :class:`ProblemLog`; rows with a
problem are dropped from the returned frame so later checks see only clean rows.

Row numbers are those a spreadsheet shows: the header is row 1, the first data row is
row 2 (for Parquet files, which have no header row, the same numbering is used).
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import numpy as np
import pandas as pd

from inputs.config import CODE
from inputs.problems import ProblemLog, Severity, lower_first
from inputs.table_specs import ColumnSpec, TableSpec
from inputs.time_zones import fixed_offset_warning, is_time_zone, not_a_zone

SUPPORTED_SUFFIXES = (".csv", ".xlsx", ".parquet")
_OFFSET = re.compile(r"(?:Z|[+-]\d\d:?\d\d)$", re.IGNORECASE)
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SPLIT = re.compile(r"[;,|]")
_CLOCK = re.compile(r"^([01]?\d|2[0-4]):([0-5]\d)$")
_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ROW_OFFSET = 2  # data row i (0-based) is spreadsheet row i + 2
#: The key of a frame's (and its columns') ``attrs`` that is True when its file writes numbers with a decimal comma:
#: a CSV with ';' between columns, as Excel saves it where ',' is the decimal mark (Portuguese, Turkish, German...)
DECIMAL_COMMA = "decimal_comma"
_DECIMAL_COMMA_NUMBER = re.compile(r"^([+-]?\d*),(\d+)$")
#: A number with '.' between groups of three digits: a thousands separator where ',' is the decimal mark (1.234,5)
_THOUSANDS_DOTS = r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d*)?"
#: First characters that make a spreadsheet run a cell as a formula; written files put an apostrophe before them
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def unescape_formula_text(series: pd.Series) -> pd.Series:
    """Drop the apostrophe written before a formula character (``'-E1`` -> ``-E1``), as shiftplan's files have it."""
    text = series.astype("string")
    escaped = text.str.startswith("'") & text.str[1:2].isin(FORMULA_PREFIXES)
    return text.where(~escaped.fillna(False), text.str[1:])


def normalise_header(name: object) -> str:
    """Return a header as matched against specs: stripped, lower case, spaces as ``_``."""
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


def read_raw(path: Path, label: str, log: ProblemLog) -> pd.DataFrame | None:
    """Read a table file into a frame, recording a problem instead of raising.

    Parameters
    ----------
    path : Path
        The file.
    label : str
        The name used in problems (relative to the plan folder).
    log : ProblemLog
        Where problems go.

    Returns
    -------
    pandas.DataFrame or None
        Text cells as ``str`` (blank cells as ``""``) for CSV/XLSX, native types for Parquet;
        ``None`` when the file cannot be read.
    """
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        log.add(label, f"is a '{suffix or 'no suffix'}' file, which shiftplan cannot read",
                "save it as .csv, .xlsx or .parquet and point [files] at it")
        return None
    if path.is_dir():
        log.add(label, "is a folder, not a file", "point shiftplan.toml [files] at the file inside it, or rename the "
                "folder")
        return None
    if not path.is_file():
        log.add(label, "does not exist", "create it in the plan folder, or change its name in "
                "shiftplan.toml [files]")
        return None
    try:
        if suffix == ".csv":
            separator = csv_separator(path)
            frame = pd.read_csv(path, sep=separator, dtype=str, keep_default_na=False, skipinitialspace=True,
                                encoding="utf-8-sig")
            frame.attrs[DECIMAL_COMMA] = separator == ";"
        elif suffix == ".xlsx":
            frame = pd.read_excel(path, dtype=object, engine="openpyxl")
            frame = frame.map(_excel_cell_text)
        else:
            frame = pd.read_parquet(path)
    except UnicodeDecodeError:
        log.add(label, "is not UTF-8 text", "save the file as CSV UTF-8")
        return None
    except Exception as exc:  # any reader failure becomes a message, never a traceback
        log.add(label, f"cannot be read ({type(exc).__name__}: {str(exc).splitlines()[0][:160]})",
                "check that it is a valid, unencrypted file of its type")
        return None
    frame.columns = [normalise_header(c) for c in frame.columns]
    return frame


def csv_separator(path: Path) -> str:
    """Return the column separator of a CSV file: ``;`` when its header line has ``;`` and no ``,`` (Excel's CSV
    where ',' is the decimal mark), else ``,``.

    Parameters
    ----------
    path : Path
        The CSV file (UTF-8, maybe with a byte-order mark).

    Returns
    -------
    str
        ``";"`` or ``","``.
    """
    with path.open(encoding="utf-8-sig", newline="") as file:
        header = file.readline()
    return ";" if ";" in header and "," not in header else ","


def _excel_cell_text(value: object) -> str:
    """Turn one Excel cell into the text a CSV would hold."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, pd.Timestamp) or hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:-9] if text.endswith("T00:00:00") else text
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def check_columns(frame: pd.DataFrame, spec: TableSpec, label: str, log: ProblemLog) -> bool:
    """Check that the required columns exist; warn on unknown ones. Return False if unusable."""
    known = {c.name for c in spec.columns}
    written = set(spec.written_only)
    ok = True
    duplicated = sorted({c for c in frame.columns if list(frame.columns).count(c) > 1})
    for name in duplicated:
        log.add(label, "appears more than once in the header", "keep one column of that name",
                column=name)
        ok = False
    for name in spec.required_names:
        if name not in frame.columns:
            near = difflib.get_close_matches(name, [str(c) for c in frame.columns], n=1, cutoff=0.6)
            hint = f" (the file has '{near[0]}': rename it)" if near else ""
            log.add(label, f"required column '{name}' is missing{hint}",
                    f"add a column '{name}': {spec.column(name).meaning}, e.g. {spec.column(name).example}")
            ok = False
    for name in frame.columns:
        if name not in known and name not in written and not str(name).startswith("unnamed"):
            near = difflib.get_close_matches(str(name), sorted(known), n=1, cutoff=0.6)
            fix = (f"rename it to '{near[0]}'" if near else
                   f"remove it, or rename it to one of {', '.join(c.name for c in spec.columns)}")
            log.add(label, f"column '{name}' is not used by shiftplan", fix, severity="warning")
    return ok


def blank_mask(series: pd.Series) -> np.ndarray:
    """Return True where a cell is empty (blank text, NaN or NaT)."""
    if series.dtype == object or pd.api.types.is_string_dtype(series):
        text = series.astype("string").fillna("")
        return (text.str.strip() == "").to_numpy(dtype=bool)
    return series.isna().to_numpy(dtype=bool)


def _report(log: ProblemLog, label: str, column: ColumnSpec, rows: np.ndarray, values: pd.Series,
            message: str, fix: str | None = None) -> None:
    """Record one problem for each row index in ``rows``."""
    fix = fix or f"write a {column.describe_type()}, e.g. {column.example} ({column.name}: {column.meaning})"
    for i in rows:
        log.add(label, message, fix, row=int(i) + ROW_OFFSET, column=column.name, value=values.iloc[i])


def parse_numbers(series: pd.Series, column: ColumnSpec, label: str, log: ProblemLog,
                  bad: np.ndarray) -> pd.Series:
    """Parse a numeric column, record bad and out-of-range cells, mark their rows in ``bad``.

    In a file that writes decimal commas (``series.attrs[DECIMAL_COMMA]``, see :func:`read_raw`), ``32,5`` is 32.5,
    and a number with '.' between groups of three digits (``1.234``) is refused: it would be read as a decimal point
    where the file means thousands. Elsewhere ``32,5`` is refused, naming the decimal comma.
    """
    blank = blank_mask(series)
    text = series.astype("string").fillna("")
    thousands = np.zeros(len(series), dtype=bool)
    if series.attrs.get(DECIMAL_COMMA) and not pd.api.types.is_numeric_dtype(series):
        written = text.str.strip()
        thousands = written.str.fullmatch(_THOUSANDS_DOTS).to_numpy(dtype=bool)
        series = written.str.replace(_DECIMAL_COMMA_NUMBER, r"\1.\2", regex=True)
    numbers = pd.to_numeric(series.where(~blank & ~thousands), errors="coerce").astype(float)
    wrong = np.flatnonzero(~blank & ~thousands & numbers.isna().to_numpy())
    comma = np.array([bool(_DECIMAL_COMMA_NUMBER.match(text.iloc[i].strip())) for i in wrong], dtype=bool)
    kind = "a whole number" if column.type == "int" else "a number"
    _report(log, label, column, wrong[~comma], text, f"is not {kind}")
    _report(log, label, column, wrong[comma], text, f"is not {kind}: its decimal mark is a "
            "comma", "write a decimal point, e.g. 32.5 (a CSV saved with ';' between its columns, as Excel saves "
            "it where the comma is the decimal mark, may keep decimal commas)")
    _report(log, label, column, np.flatnonzero(thousands), text, "has '.' between groups of three digits in a file "
            "with ';' between its columns, whose decimal mark is the comma: it may be a thousands separator",
            "write the number without a thousands separator, e.g. 1234 or 1234,5")
    bad[thousands] = True
    values = numbers.to_numpy()
    infinite = np.flatnonzero(np.isinf(values))
    _report(log, label, column, infinite, text, "is not a finite number")
    bad[infinite] = True
    finite = np.isfinite(values)
    if column.type == "int":
        frac = np.flatnonzero(finite & (values != np.round(values)))
        _report(log, label, column, frac, text, "is not a whole number")
        bad[frac] = True
    out = np.zeros(len(values), dtype=bool)
    if column.minimum is not None:
        out |= finite & (values < column.minimum)
    if column.maximum is not None:
        out |= finite & (values > column.maximum)
    if column.strictly_positive:
        out |= finite & (values <= 0)
    low = "above 0" if column.strictly_positive else f"at least {column.minimum:g}"
    high = f" and at most {column.maximum:g}" if column.maximum is not None else ""
    _report(log, label, column, np.flatnonzero(out), text, f"is out of range: it must be {low}{high}")
    bad[wrong] = True
    bad[out] = True
    return numbers


def parse_codes(series: pd.Series, column: ColumnSpec, label: str, log: ProblemLog,
                bad: np.ndarray, allow_all: bool = False) -> pd.Series:
    """Parse a code or list-of-codes column into lower-case tuples (or one code).

    Each distinct cell is parsed once (history files repeat a handful of codes over hundreds
    of thousands of rows).
    """
    text = series.astype("string").fillna("")
    codes, uniques = pd.factorize(text, sort=False)
    parsed: list[object] = []
    problems: list[str | None] = []
    for cell in uniques:
        parts = [p.strip().lower() for p in _SPLIT.split(str(cell)) if p.strip()]
        if allow_all and parts == ["*"]:
            parts = []
        broken = [p for p in parts if not CODE.match(p)]
        problem = None
        if broken:
            problem = f"'{broken[0]}' is not a code (a lower-case letter, then lower-case letters, digits, '_' or '-')"
        elif column.type == "code" and len(parts) > 1:
            problem = "holds several codes where one is expected"
        problems.append(problem)
        parsed.append((parts[0] if parts else "") if column.type == "code" else tuple(dict.fromkeys(parts)))
    for u, problem in enumerate(problems):
        if problem is not None:
            rows = np.flatnonzero(codes == u)
            _report(log, label, column, rows, text, problem)
            bad[rows] = True
    lookup = np.empty(len(parsed), dtype=object)
    lookup[:] = parsed
    return pd.Series(lookup[codes] if len(codes) else [], index=series.index, dtype=object)


def parse_weekdays(series: pd.Series, column: ColumnSpec, label: str, log: ProblemLog,
                   bad: np.ndarray) -> pd.Series:
    """Parse a ``mon;tue`` column into frozensets of weekday numbers (Monday = 0)."""
    text = series.astype("string").fillna("")
    results: list[frozenset[int]] = []
    for i, cell in enumerate(text):
        days: set[int] = set()
        for part in (p.strip().lower() for p in _SPLIT.split(cell) if p.strip()):
            day = next((i for i, name in enumerate(_DAY_NAMES) if len(part) >= 3 and name.startswith(part)), None)
            if day is not None:
                days.add(day)
            else:
                _report(log, label, column, np.array([i]), text, f"'{part}' is not a weekday",
                        "use mon, tue, wed, thu, fri, sat, sun separated by ';'")
                bad[i] = True
        results.append(frozenset(days))
    return pd.Series(results, index=series.index, dtype=object)


def parse_choice(series: pd.Series, column: ColumnSpec, label: str, log: ProblemLog,
                 bad: np.ndarray) -> pd.Series:
    """Parse a column whose values come from a fixed list."""
    text = series.astype("string").fillna("").str.strip().str.lower().str.replace(" ", "_")
    wrong = np.flatnonzero((text != "").to_numpy() & ~text.isin(column.choices).to_numpy())
    for i in wrong:
        near = difflib.get_close_matches(text.iloc[i], column.choices, n=1, cutoff=0.6)
        fix = f"write '{near[0]}'" if near else f"use one of {', '.join(column.choices)}"
        log.add(label, "is not an allowed value", fix,
                row=int(i) + ROW_OFFSET, column=column.name, value=series.iloc[i])
    bad[wrong] = True
    return text


def parse_time_zones(series: pd.Series, column: ColumnSpec, label: str, log: ProblemLog,
                     bad: np.ndarray) -> pd.Series:
    """Check IANA time-zone names: one that is not is refused (with the closest real one, or for a UTC offset the
    zone of a place), one that is a fixed offset without summer time (``EST``, ``Etc/GMT+8``) is warned."""
    text = series.astype("string").fillna("").str.strip()
    judged: dict[str, tuple[str, str, Severity] | None] = {}
    for i, name in enumerate(text):
        if name == "":
            continue
        if name not in judged:
            if not is_time_zone(name):
                rest, fix = not_a_zone(name)
                judged[name] = (f"is not an IANA time zone{rest}", fix, "error")
            else:
                warning = fixed_offset_warning(name)
                judged[name] = None if warning is None else (*warning, "warning")
        if judged[name] is None:
            continue
        problem, fix, severity = judged[name]
        log.add(label, problem, fix, row=i + ROW_OFFSET, column=column.name, value=name, severity=severity)
        bad[i] |= severity == "error"
    return text


def parse_clock(series: pd.Series, column: ColumnSpec, label: str, log: ProblemLog,
                bad: np.ndarray) -> pd.Series:
    """Parse ``HH:MM`` cells into minutes after midnight (NaN when blank)."""
    text = series.astype("string").fillna("").str.strip()
    minutes = np.full(len(text), np.nan)
    for i, cell in enumerate(text):
        if cell == "":
            continue
        match = _CLOCK.match(cell[:5] if len(cell) == 8 and cell.endswith(":00") else cell)
        if not match or (int(match.group(1)) == 24 and match.group(2) != "00"):
            _report(log, label, column, np.array([i]), text, "is not a clock time")
            bad[i] = True
        else:
            minutes[i] = int(match.group(1)) * 60 + int(match.group(2))
    return pd.Series(minutes, index=series.index)


def localize(naive: pd.Series, time_zone: str,
             series_key: pd.Series | None = None) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Attach a time zone to naive local timestamps and convert them to UTC.

    A wall time that repeats when the clock goes back (the end of summer time) is read as
    its first occurrence (summer time) the first time it appears in the file and as the
    second occurrence after that; ACD exports in local time list the repeated hour twice.
    With ``series_key`` (e.g. the queue of each row) the occurrences are counted per key:
    a file of several queues lists the repeated hour twice for each.

    Parameters
    ----------
    naive : pandas.Series
        ``datetime64`` without a time zone (NaT allowed).
    time_zone : str
        IANA name.
    series_key : pandas.Series, optional
        Which series each row belongs to (same index as ``naive``).

    Returns
    -------
    tuple
        (UTC timestamps, mask of wall times that do not exist (DST gap), mask of
        ambiguous wall times).
    """
    gap = pd.DatetimeIndex(naive).tz_localize(time_zone, nonexistent="NaT", ambiguous="NaT")
    first = pd.DatetimeIndex(naive).tz_localize(time_zone, nonexistent="NaT",
                                                ambiguous=np.ones(len(naive), dtype=bool))
    nonexistent = first.isna() & naive.notna().to_numpy()
    ambiguous = gap.isna() & ~nonexistent & naive.notna().to_numpy()
    result = gap
    if ambiguous.any():
        keys = [naive.to_numpy()] if series_key is None else [naive.to_numpy(), series_key.to_numpy()]
        order = pd.Series(naive.to_numpy()).where(ambiguous).groupby(keys).cumcount()
        is_dst = (order.to_numpy() % 2) == 0
        resolved = pd.DatetimeIndex(naive).tz_localize(time_zone, nonexistent="NaT", ambiguous=is_dst)
        result = resolved
    return pd.Series(result.tz_convert("UTC"), index=naive.index), nonexistent, ambiguous


def written_with_offset(series: pd.Series) -> np.ndarray:
    """Return True where a date-time cell is written with its UTC offset (``+01:00``, ``Z``), so that it does not
    depend on a time zone; Parquet date-times with a zone count as written with one.

    Parameters
    ----------
    series : pandas.Series
        Text cells or ``datetime64`` values.

    Returns
    -------
    numpy.ndarray
        One bool per cell.
    """
    if pd.api.types.is_datetime64_any_dtype(series):
        return np.full(len(series), getattr(series.dt, "tz", None) is not None)
    text = series.astype("string").fillna("").str.strip()
    return text.str.contains(_OFFSET.pattern, regex=True).to_numpy(dtype=bool)


def parse_datetimes(series: pd.Series, column: ColumnSpec, label: str, log: ProblemLog,
                    bad: np.ndarray, time_zone: str | pd.Series,
                    zone_label: str = "the plan's time zone",
                    series_key: pd.Series | None = None) -> tuple[pd.Series, np.ndarray]:
    """Parse date-times (with an offset, or local in ``time_zone``) to UTC.

    Parameters
    ----------
    series : pandas.Series
        Text cells or ``datetime64`` values (Parquet).
    column : ColumnSpec
        The column's spec.
    label : str
        File name for problems.
    log : ProblemLog
        Where problems go.
    bad : numpy.ndarray
        Row mask, set where a cell is wrong.
    time_zone : str or pandas.Series
        Zone for naive values; a Series gives one zone per row (e.g. each agent's).
    zone_label : str
        How the zone is named in messages.
    series_key : pandas.Series, optional
        Which series each row belongs to, for the repeated hour (see :func:`localize`).

    Returns
    -------
    tuple
        (UTC timestamps, mask of cells written as a date without a time).
    """
    n = len(series)
    date_only = np.zeros(n, dtype=bool)
    if pd.api.types.is_datetime64_any_dtype(series):
        stamps = pd.Series(series.to_numpy(), index=series.index)
        if getattr(series.dt, "tz", None) is not None:
            return series.dt.tz_convert("UTC").astype("datetime64[ns, UTC]"), date_only
        text = series.astype("string").fillna("")
        naive = pd.to_datetime(stamps)
    else:
        text = series.astype("string").fillna("").str.strip()
        date_only = text.str.match(_DATE_ONLY.pattern).to_numpy(dtype=bool)
        with_offset = written_with_offset(text)
        naive = pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns]")
        utc = pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns, UTC]")
        if with_offset.any():
            parsed = pd.to_datetime(text[with_offset], format="ISO8601", utc=True, errors="coerce")
            utc[with_offset] = parsed
        if (~with_offset).any():
            parsed_naive = pd.to_datetime(text[~with_offset].str.replace(" ", "T", n=1), format="ISO8601",
                                          errors="coerce")
            naive[~with_offset] = parsed_naive.astype("datetime64[ns]")
        unreadable = (text != "").to_numpy() & naive.isna().to_numpy() & utc.isna().to_numpy()
        _report(log, label, column, np.flatnonzero(unreadable), text, "is not a date-time",
                "write it as ISO 8601, e.g. 2026-11-30T08:00 (local) or 2026-11-30T08:00:00+01:00")
        bad[unreadable] = True
        if not (~with_offset).any():
            return utc, date_only
    zones = time_zone if isinstance(time_zone, pd.Series) else pd.Series(time_zone, index=series.index)
    result = pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns, UTC]")
    if not pd.api.types.is_datetime64_any_dtype(series):
        result = utc  # rows with an offset are done
    todo = naive.notna().to_numpy()
    for zone in pd.unique(zones[todo]):
        rows = todo & (zones == zone).to_numpy()
        local, nonexistent, _ = localize(naive[rows], str(zone),
                                         None if series_key is None else series_key[rows])
        result[rows] = local
        idx = np.flatnonzero(rows)[nonexistent]
        where = zone_label if not isinstance(time_zone, pd.Series) else "the agent's time zone"
        _report(log, label, column, idx, text, f"does not exist in {where} ({zone}): the clocks "
                "skip this hour for summer time",
                "write a time outside the skipped hour, or add the UTC offset (e.g. +01:00)")
        bad[idx] = True
    return result, date_only


def check_required_cells(frame: pd.DataFrame, spec: TableSpec, label: str, log: ProblemLog,
                         bad: np.ndarray) -> None:
    """Record an empty cell in any required column."""
    for column in spec.columns:
        if column.required and column.name in frame.columns:
            empty = np.flatnonzero(blank_mask(frame[column.name]))
            for i in empty:
                log.add(label, "is empty", f"fill in {lower_first(column.meaning)}, e.g. {column.example}",
                        row=int(i) + ROW_OFFSET, column=column.name)
            bad[empty] = True
