"""Save a :class:`~outputs.report.RosterReport` as JSON and load it back, so ``shiftplan export`` needs no solve.

The file holds the roster segments, agents, coverage (with the expected service already
computed), templates, the solver's facts, the run manifest and the raw assignments. Frames are
stored column-wise with a type tag per column (``date``, ``datetime64[<unit>]``, ``int``,
``float``, ``bool``, ``str``), so a reload gives back the same dtypes and exactly the same values.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from outputs.report import AGENT_COLUMNS, COVERAGE_COLUMNS, TEMPLATE_COLUMNS, RosterReport
from outputs.result_check import result_problems
from outputs.roster_frame import COLUMNS as SEGMENT_COLUMNS

FORMAT = "shiftplan-roster-result"
FORMAT_VERSION = 1
FRAMES = ("segments", "agents", "coverage", "templates")
#: The columns each frame of a result must have for the workbook, CSVs and calendars to be written from it.
FRAME_COLUMNS = {"segments": SEGMENT_COLUMNS, "agents": AGENT_COLUMNS, "coverage": COVERAGE_COLUMNS,
                 "templates": TEMPLATE_COLUMNS}
#: The solver's and horizon's figures every export reads.
REQUIRED_FACTS = ("plan_name", "first_day", "weeks", "time_zone", "interval_minutes", "status", "objective",
                  "lower_bound", "lp_bound", "solver_bound", "gap", "runtime_seconds", "seed", "workers",
                  "time_limit_seconds", "num_agents", "num_agents_used", "terms", "penalties")


class ResultFileError(Exception):
    """A result file that is not a shiftplan roster result, or of an unknown version."""


def _kind(series: pd.Series) -> str:
    if pd.api.types.is_datetime64_any_dtype(series):
        return str(series.dtype)  # datetime64[ns] or datetime64[us]: the unit is kept
    if pd.api.types.is_bool_dtype(series):
        return "bool"
    if pd.api.types.is_integer_dtype(series):
        return "int"
    if pd.api.types.is_float_dtype(series):
        return "float"
    sample = series.dropna()
    if len(sample) and isinstance(sample.iloc[0], dt.date) and not isinstance(sample.iloc[0], dt.datetime):
        return "date"
    return "str"


def _encode(series: pd.Series, kind: str) -> list[object]:
    if kind.startswith("datetime"):
        return [None if pd.isna(v) else pd.Timestamp(v).isoformat() for v in series]
    if kind == "date":
        return [None if v is None or v is pd.NaT else v.isoformat() for v in series]
    if kind == "float":
        return [None if math.isnan(v) else float(v) for v in series.to_numpy(dtype=float)]
    if kind == "int":
        return [int(v) for v in series]
    if kind == "bool":
        return [bool(v) for v in series]
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else str(v) for v in series]


def _decode(values: list[object], kind: str) -> pd.Series:
    if kind.startswith("datetime"):
        unit = kind if "[" in kind else "datetime64[ns]"  # files written before the unit was kept
        return pd.Series(pd.to_datetime(pd.Series(values, dtype=object), format="ISO8601")).astype(unit)
    if kind == "date":
        return pd.Series([None if v is None else dt.date.fromisoformat(str(v)) for v in values], dtype=object)
    if kind == "float":
        return pd.Series([np.nan if v is None else v for v in values], dtype=float)
    if kind == "int":
        return pd.Series(values, dtype=np.int64)
    if kind == "bool":
        return pd.Series(values, dtype=bool)
    return pd.Series(values)  # text: pandas infers its string dtype, as for the frames built from Python str


def frame_to_json(frame: pd.DataFrame) -> dict[str, object]:
    """A frame as ``{"columns": [...], "types": {...}, "data": {column: [values]}}``."""
    types = {c: _kind(frame[c]) for c in frame.columns}
    return {"columns": list(frame.columns), "types": types,
            "data": {c: _encode(frame[c], types[c]) for c in frame.columns}}


def frame_from_json(payload: dict[str, object]) -> pd.DataFrame:
    """The inverse of :func:`frame_to_json`."""
    types = dict(payload["types"])
    data = dict(payload["data"])
    return pd.DataFrame({c: _decode(list(data[c]), types[c]) for c in payload["columns"]},
                        columns=list(payload["columns"]))


def report_to_json(report: RosterReport) -> str:
    """The report as JSON text (``NaN`` stored as ``null``)."""
    payload = {"format": FORMAT, "format_version": FORMAT_VERSION, "facts": report.facts,
               "manifest": report.manifest, "roster": report.roster,
               **{name: frame_to_json(getattr(report, name)) for name in FRAMES}}
    return json.dumps(payload, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def save_report(path: Path, report: RosterReport) -> None:
    """Write the report's JSON to ``path`` (use through :func:`outputs.files.write_atomic`)."""
    Path(path).write_text(report_to_json(report), encoding="utf-8")


def load_report(path: Path) -> RosterReport:
    """Read a report saved by :func:`save_report`.

    Raises
    ------
    ResultFileError
        When the file is not JSON, not a shiftplan result, of a newer format version, or holds values no solve
        writes (:func:`outputs.result_check.result_problems`: every one is listed).
    """
    try:
        payload = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ResultFileError(f"{path}: cannot be read as a shiftplan result ({exc})") from exc
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ResultFileError(f"{path}: not a shiftplan roster result (no \"format\": \"{FORMAT}\")")
    if payload.get("format_version") != FORMAT_VERSION:
        raise ResultFileError(f"{path}: result format version {payload.get('format_version')}, this shiftplan "
                              f"reads version {FORMAT_VERSION}")
    fix = "Fix: export another result (--result FILE), or run 'shiftplan solve' again to write a new one"
    shapes = {**dict.fromkeys((*FRAMES, "facts", "manifest"), dict), "roster": list}
    missing = [name for name, kind in shapes.items() if not isinstance(payload.get(name), kind)]
    if missing:
        raise ResultFileError(f"{path}: an incomplete shiftplan result: {', '.join(missing)} missing or of the wrong "
                              f"kind. {fix}")
    facts = payload["facts"]
    absent = [key for key in REQUIRED_FACTS if key not in facts]
    if absent:
        raise ResultFileError(f"{path}: an incomplete shiftplan result: facts without {', '.join(absent)}. {fix}")
    frames = {}
    for name in FRAMES:
        try:
            frames[name] = frame_from_json(payload[name])
        except (KeyError, TypeError, ValueError, OverflowError) as exc:
            raise ResultFileError(f"{path}: a damaged shiftplan result: {name} cannot be read ({exc!r}). {fix}") \
                from None
        lacking = [column for column in FRAME_COLUMNS[name] if column not in frames[name].columns]
        if lacking:
            raise ResultFileError(f"{path}: an incomplete shiftplan result: {name} without the columns "
                                  f"{', '.join(lacking)}. {fix}")
    try:
        problems = result_problems(facts, frames, payload["roster"])
    except (TypeError, ValueError, OverflowError) as exc:  # a column of the wrong type: text where counts belong
        problems = [f"a value of the wrong type ({exc})"]
    if problems:
        lines = "\n".join(f"  - {line}" for line in problems)
        raise ResultFileError(f"{path}: a damaged shiftplan result, with values no solve writes:\n{lines}\n{fix}")
    return RosterReport(**frames, facts=facts, manifest=payload["manifest"], roster=payload["roster"])
