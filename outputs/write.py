"""Write every roster output of a report: workbook, HR CSV, one ICS calendar per agent, and the reloadable result.

All files of one run share a version: ``roster-2026-11-30.xlsx``, ``.csv``, ``.shifts.csv``,
``.result.json`` and the folder ``.calendars/``, or all ``roster-2026-11-30.v2.*`` when any of them exists already
(``overwrite`` replaces instead). The set is written atomically: every file is written completely under a
temporary name first and renamed into place only when all of them were written, so a failure leaves the
folder as it was.
"""

from __future__ import annotations

import datetime as dt
import errno
import re
from dataclasses import dataclass
from pathlib import Path

from outputs.files import NameTakenError, atomic_set, versioned_set
from outputs.ics import agent_calendar, agent_records, calendar_file_name
from outputs.report import RosterReport
from outputs.result_io import save_report
from outputs.safety import safe_frame
from outputs.sheets import hr_frame, shifts_frame
from outputs.workbook import write_workbook

WORKBOOK = ".xlsx"
CSV = ".csv"
SHIFTS = ".shifts.csv"
RESULT = ".result.json"
CALENDARS = ".calendars"
CSV_TEXT_COLUMNS = ["employee_id", "name", "site", "template"]
#: Versions tried when other runs keep taking the chosen one while this one writes.
MAX_NAME_TRIES = 20


@dataclass(frozen=True)
class WrittenFiles:
    """Where the outputs went (``result`` is None for an export, which does not rewrite it); ``segments``: the HR
    sheet's rows."""

    workbook: Path
    csv: Path
    shifts: Path
    calendars: Path
    result: Path | None
    segments: int


def default_stem(report: RosterReport) -> str:
    """``roster-<first day>``."""
    return default_stem_for(report.first_day)


def default_stem_for(first_day: dt.date) -> str:
    """``roster-<first day>`` of a horizon starting on ``first_day``."""
    return f"roster-{first_day.isoformat()}"


def stem_of(path: Path) -> tuple[Path, str]:
    """Folder and stem of an output file: ``x/roster-D.v2.result.json`` -> ``(x, "roster-D.v2")``."""
    name = path.name
    for suffix in (RESULT, WORKBOOK, SHIFTS, CSV, CALENDARS):
        if name.endswith(suffix):
            return path.parent, name[: -len(suffix)]
    return path.parent, path.stem


def unversioned(stem: str) -> str:
    """``roster-D.v3`` -> ``roster-D``."""
    return re.sub(r"\.v\d+$", "", stem)


def write_hr_csv(path: Path, report: RosterReport) -> None:
    """The HR sheet as CSV (ISO dates and times; user text starting a formula gets a leading apostrophe)."""
    frame = safe_frame(hr_frame(report), CSV_TEXT_COLUMNS)
    frame.to_csv(path, index=False, date_format="%Y-%m-%dT%H:%M:%S")


def write_shifts_csv(path: Path, report: RosterReport) -> None:
    """The roster in the pinned-roster columns, ready to be a later plan's ``roster`` or ``hint_roster``."""
    safe_frame(shifts_frame(report), ["employee_id", "template"]).to_csv(path, index=False)


def write_calendars(folder: Path, report: RosterReport) -> None:
    """One ``<employee_id>.ics`` per named agent with a shift or time off into ``folder`` (a hired open position is
    nobody yet: no calendar)."""
    folder.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    records = agent_records(report)
    # an id that is already a safe file name keeps it; ids made safe (E/1 -> E_1) that then collide with another
    # (or differ only in case) get -2, -3, ...
    order = sorted(records, key=lambda e: (calendar_file_name(str(e)) != f"{e}.ics", str(e)))
    for employee in order:
        base = calendar_file_name(str(employee))[:-4]
        name, copy = f"{base}.ics", 1
        while name.lower() in used:
            copy += 1
            name = f"{base}-{copy}.ics"
        used.add(name.lower())
        text = agent_calendar(report, str(employee), segments=records[employee])
        (folder / name).write_bytes(text.encode("utf-8"))


def write_roster_files(report: RosterReport, folder: Path, *, stem: str | None = None, overwrite: bool = False,
                       with_result: bool = True) -> WrittenFiles:
    """Write the workbook, the HR CSV, the shifts CSV, the calendars and (unless exporting) the reloadable result.

    Parameters
    ----------
    report : RosterReport
        What to write.
    folder : Path
        Output folder (created).
    stem : str, optional
        Base file name (default ``roster-<first day>``).
    overwrite : bool
        Replace existing files of that name instead of choosing the next free version.
    with_result : bool
        Also write ``<stem>.result.json`` (``solve`` does; ``export`` reads it instead).

    Returns
    -------
    WrittenFiles
        The paths written.
    """
    suffixes = (WORKBOOK, CSV, SHIFTS, CALENDARS, *((RESULT,) if with_result else ()))
    for _ in range(MAX_NAME_TRIES):  # two runs at once may choose the same free version: the second takes the next
        paths = versioned_set(folder, stem or default_stem(report), suffixes, overwrite=overwrite)
        try:
            with atomic_set(exclusive=not overwrite) as add:
                result = add(paths[RESULT], lambda tmp: save_report(tmp, report)) if with_result else None
                workbook = add(paths[WORKBOOK], lambda tmp: write_workbook(tmp, report))
                csv = add(paths[CSV], lambda tmp: write_hr_csv(tmp, report))
                shifts = add(paths[SHIFTS], lambda tmp: write_shifts_csv(tmp, report))
                calendars = add(paths[CALENDARS], lambda tmp: write_calendars(tmp, report), folder=True)
            break
        except NameTakenError:
            continue
    else:
        raise OSError(errno.EEXIST, f"{MAX_NAME_TRIES} versions of the roster files were taken while writing",
                      str(folder))
    return WrittenFiles(workbook, csv, shifts, calendars, result, len(hr_frame(report)))
