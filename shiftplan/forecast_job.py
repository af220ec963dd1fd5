"""The forecast cron job: ``shiftplan forecast PLAN`` writes a dated, versioned forecast into the plan folder.

Layout written under ``PLAN/forecasts/``::

    .lock                          held while a run is in progress (two runs never overlap)
    <ISO year>-W<week>/            ISO week of the horizon's first day
        forecast.csv               hourly forecast, times as local plan time with UTC offset
        metadata.json              models, scores, data span, settings, versions, input hashes
        forecast.v2.csv, ...       a re-run with changed inputs (an existing file is never overwritten)
        forecast.scenario-<id>.csv a what-if run (kept apart from the baseline that ``solve`` uses)
    accuracy.csv                   realised WAPE and bias per queue of earlier forecasts, appended once each

Every file is written atomically (temporary file in the same folder, then ``os.replace``). Re-running the same
week with the same inputs writes nothing new and reports the existing file (idempotent).

Exit codes (:class:`JobOutcome.exit_code`), for a cron wrapper:

* 0 ``EXIT_OK``: forecast written or already up to date;
* 1 ``EXIT_INVALID_PLAN``: the plan folder has problems (nothing written);
* 4 ``EXIT_LOCKED``: another forecast run holds the lock (nothing written; retry later);
* 5 ``EXIT_FORECAST_FAILED``: the forecast itself failed (e.g. a bad scenario, no history).

Logs go to stderr with timestamps via :mod:`logging` (warnings only when ``quiet``, as under cron); a progress
bar is shown only when stderr is a terminal.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import re
import sys
import tempfile
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from filelock import FileLock, Timeout

from outputs.files import OutputFolderError, check_writable_folder

EXIT_OK = 0
EXIT_INVALID_PLAN = 1
EXIT_LOCKED = 4
EXIT_FORECAST_FAILED = 5

FORECASTS_DIR = "forecasts"
LOCK_FILE = ".lock"
ACCURACY_FILE = "accuracy.csv"
ACCURACY_COLUMNS = ("forecast_file", "language", "channel", "period_start", "period_end", "hours",
                    "actual_contacts", "forecast_contacts", "wape", "bias", "logged_utc")
_VERSION = re.compile(r"^forecast(?:\.v(?P<v>\d+))?\.csv$")

log = logging.getLogger("shiftplan.forecast")


@dataclass(frozen=True)
class JobOutcome:
    """What a forecast run did.

    Attributes
    ----------
    exit_code : int
        One of the ``EXIT_*`` constants.
    message : str
        One line for the user (or the cron mail).
    forecast_path, metadata_path : Path, optional
        The forecast (new or unchanged) and its metadata.
    written : bool
        Whether a new forecast file was written.
    accuracy_rows : int
        Rows appended to the accuracy log.
    warnings : list of str
        Degraded behaviour reported by the forecast.
    """

    exit_code: int
    message: str
    forecast_path: Path | None = None
    metadata_path: Path | None = None
    written: bool = False
    accuracy_rows: int = 0
    warnings: list[str] = field(default_factory=list)


def week_folder(plan_dir: Path, first_day: dt.date) -> Path:
    """``PLAN/forecasts/<ISO year>-W<week>`` of the horizon's first day."""
    year, week, _ = first_day.isocalendar()
    return Path(plan_dir) / FORECASTS_DIR / f"{year}-W{week:02d}"


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file in the same folder, fsync, ``os.replace``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def forecast_csv(frame: pd.DataFrame, time_zone: str) -> bytes:
    """The forecast as CSV bytes: ``start`` in local plan time with its UTC offset, values rounded."""
    out = frame.copy()
    out["start"] = pd.DatetimeIndex(out["start"]).tz_convert(time_zone).map(lambda t: t.isoformat())
    numeric = [c for c in out.columns if c.startswith("contacts") or c == "aht_seconds"]
    out[numeric] = out[numeric].round(4)
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8")


def read_forecast(path: Path) -> pd.DataFrame:
    """Read a forecast CSV written by this job back with ``start`` in UTC."""
    frame = pd.read_csv(path, dtype={"language": str, "channel": str})
    frame["start"] = pd.to_datetime(frame["start"], utc=True)
    return frame


def _versions(folder: Path) -> list[tuple[int, Path]]:
    found = []
    if folder.is_dir():
        for path in folder.iterdir():
            match = _VERSION.match(path.name)
            if match:
                found.append((int(match.group("v") or 1), path))
    return sorted(found)


def latest_forecast(plan_dir: Path, horizon: object) -> Path | None:
    """The newest baseline forecast of the horizon's week (``None`` when there is none).

    Parameters
    ----------
    plan_dir : Path
        The plan folder.
    horizon : inputs.records.Horizon
        The plan's horizon (its first day names the week folder).
    """
    versions = _versions(week_folder(Path(plan_dir), horizon.first_day))
    return versions[-1][1] if versions else None


def metadata_path_of(forecast_path: Path) -> Path:
    """The metadata file written beside a forecast file (``forecast.v2.csv`` -> ``metadata.v2.json``)."""
    path = Path(forecast_path)
    return path.with_name(path.name.replace("forecast", "metadata", 1).replace(".csv", ".json"))


def read_metadata(forecast_path: Path) -> dict | None:
    """The metadata of a forecast file written by this job, or None when there is none beside it (a forecast made
    elsewhere) or it cannot be read."""
    try:
        return json.loads(metadata_path_of(forecast_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _input_hashes(files: tuple[Path, ...], root: Path) -> dict[str, str]:
    out = {}
    for path in files:
        with contextlib.suppress(OSError):
            out[str(Path(path).relative_to(root)) if Path(path).is_relative_to(root) else str(path)] = \
                hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return out


def _scenario_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def update_accuracy_log(plan_dir: Path, history: object, now: pd.Timestamp) -> int:
    """Append realised WAPE and bias per queue of earlier forecasts whose whole period now has actuals.

    A forecast file already in the log is never appended again; scenario forecasts are not logged.

    Returns
    -------
    int
        Rows appended.
    """
    root = Path(plan_dir) / FORECASTS_DIR
    log_path = root / ACCURACY_FILE
    existing = pd.read_csv(log_path, dtype=str) if log_path.is_file() else pd.DataFrame(columns=ACCURACY_COLUMNS)
    done = set(existing["forecast_file"]) if "forecast_file" in existing else set()
    if history is None or history.frame.empty:
        return 0
    actual = history.frame.assign(hour=pd.DatetimeIndex(history.frame["start"]).floor("h"))
    actual = actual.groupby(["language", "channel", "hour"])["contacts"].sum()
    history_end = history.end_utc
    rows = []
    for path in sorted(root.glob("*/forecast*.csv")):
        rel = path.relative_to(root).as_posix()
        if rel in done or not _VERSION.match(path.name):
            continue
        forecast = read_forecast(path)
        if forecast.empty or forecast["start"].max() + pd.Timedelta(hours=1) > history_end:
            continue
        for (language, channel), part in forecast.groupby(["language", "channel"], sort=False):
            key = pd.MultiIndex.from_arrays([[language] * len(part), [channel] * len(part), part["start"]])
            a = actual.reindex(key).fillna(0.0).to_numpy()
            f = part["contacts"].to_numpy(dtype=float)
            total = np.abs(a).sum()
            rows.append({"forecast_file": rel, "language": language, "channel": channel,
                         "period_start": part["start"].min().isoformat(),
                         "period_end": (part["start"].max() + pd.Timedelta(hours=1)).isoformat(),
                         "hours": len(part), "actual_contacts": round(float(total), 4),
                         "forecast_contacts": round(float(f.sum()), 4),
                         "wape": round(float(np.abs(a - f).sum() / total), 6) if total else "",
                         "bias": round(float((f - a).sum() / total), 6) if total else "",
                         "logged_utc": now.isoformat(timespec="seconds")})
    if not rows:
        return 0
    combined = pd.concat([existing, pd.DataFrame(rows, columns=ACCURACY_COLUMNS).astype(str)], ignore_index=True)
    atomic_write_bytes(log_path, combined.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    return len(rows)


@contextlib.contextmanager
def _stderr_logging(quiet: bool) -> Iterator[None]:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%dT%H:%M:%S%z"))
    previous = log.level
    log.addHandler(handler)
    log.setLevel(logging.WARNING if quiet else logging.INFO)
    log.propagate = False
    try:
        yield
    finally:
        log.removeHandler(handler)
        log.setLevel(previous)


@contextlib.contextmanager
def _progress_bar(enabled: bool) -> Iterator[object]:
    if not enabled:
        yield None
        return
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        task = bar.add_task("forecasting series", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def run_forecast_job(plan_dir: Path, *, scenario: str | None = None, now: pd.Timestamp | None = None,
                     quiet: bool = False, progress: bool = True, n_jobs: int = 2) -> JobOutcome:
    """Load the plan, forecast it and write the week's versioned forecast, under a lock.

    Parameters
    ----------
    plan_dir : Path
        The plan folder.
    scenario : str, optional
        A what-if (``"chat +60% 2026-12-03T12:00/6h"``); written as a separate scenario file.
    now : pandas.Timestamp, optional
        The run's time (UTC) for the accuracy log; defaults to the clock.
    quiet : bool
        Log warnings and errors only (cron).
    progress : bool
        Show a progress bar when stderr is a terminal.
    n_jobs : int
        Processes for the series.

    Returns
    -------
    JobOutcome
        Never raises for an expected failure; the exit code says what happened.
    """
    from forecasting import forecast_plan
    from inputs.plan_loader import load_plan
    from inputs.problems import PlanError

    plan_dir = Path(plan_dir)
    now = pd.Timestamp.now(tz="UTC") if now is None else pd.Timestamp(now).tz_convert("UTC")
    with _stderr_logging(quiet):
        if not plan_dir.is_dir():
            log.error("%s is not a plan folder", plan_dir)
            return JobOutcome(EXIT_INVALID_PLAN, f"{plan_dir} is not a plan folder")
        root = plan_dir / FORECASTS_DIR
        try:
            check_writable_folder(root, what="forecasts")
        except OutputFolderError as error:  # said once, by whoever shows the outcome
            return JobOutcome(EXIT_INVALID_PLAN, str(error))
        lock = FileLock(str(root / LOCK_FILE), timeout=0)
        try:
            lock.acquire()
        except Timeout:
            message = (f"another forecast run holds {root / LOCK_FILE}; nothing was written (retry later, or "
                       "remove the lock file if no run is active)")
            log.error(message)
            return JobOutcome(EXIT_LOCKED, message)
        try:
            return _run_locked(plan_dir, scenario, now, quiet, progress, n_jobs, load_plan, PlanError,
                               forecast_plan)
        finally:
            lock.release()


def _run_locked(plan_dir: Path, scenario: str | None, now: pd.Timestamp, quiet: bool, progress: bool,
                n_jobs: int, load_plan: object, plan_error: type, forecast_plan: object) -> JobOutcome:
    log.info("loading plan %s", plan_dir)
    try:
        plan = load_plan(plan_dir)
    except plan_error as error:
        log.error("the plan has problems:\n%s", error.report())
        return JobOutcome(EXIT_INVALID_PLAN, "the plan has problems; nothing was written")
    appended = update_accuracy_log(plan_dir, plan.history, now)
    if appended:
        log.info("accuracy log: %d rows appended", appended)
    show_bar = progress and not quiet and sys.stderr.isatty()
    log.info("forecasting %d queues with up to %d processes", len(plan.queues), n_jobs)
    try:
        with _progress_bar(show_bar) as update, warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = forecast_plan(plan, scenario=scenario, n_jobs=n_jobs, progress=update)
    except ValueError as exc:
        log.error("forecast failed: %s", exc)
        return JobOutcome(EXIT_FORECAST_FAILED, f"forecast failed: {exc}", accuracy_rows=appended)
    except Exception as exc:
        log.exception("forecast failed")
        return JobOutcome(EXIT_FORECAST_FAILED, f"forecast failed: {type(exc).__name__}: {exc}",
                          accuracy_rows=appended)
    del caught  # the messages are in result.warnings
    for note in result.warnings:
        log.warning(note)
    folder = week_folder(plan_dir, plan.horizon.first_day)
    data = forecast_csv(result.frame, plan.horizon.time_zone)
    metadata = dict(result.metadata)
    metadata["inputs_sha256"] = _input_hashes(plan.input_files, plan_dir)
    metadata["forecast_sha256"] = hashlib.sha256(data).hexdigest()
    if scenario:
        stem = f"forecast.scenario-{_scenario_id(result.metadata['scenario']['text'])}"
        candidates = [(1, folder / f"{stem}.csv")]
        next_paths = (folder / f"{stem}.csv", folder / f"metadata.scenario-{_scenario_id(scenario)}.json")
    else:
        candidates = _versions(folder)
        version = candidates[-1][0] + 1 if candidates else 1
        suffix = "" if version == 1 else f".v{version}"
        next_paths = (folder / f"forecast{suffix}.csv", folder / f"metadata{suffix}.json")
    for _, path in candidates:
        if path.is_file() and path.read_bytes() == data:
            meta = metadata_path_of(path)
            message = f"forecast unchanged: {path}"
            log.info(message)
            return JobOutcome(EXIT_OK, message, path, meta, False, appended, result.warnings)
    forecast_path, metadata_path = next_paths
    if scenario and forecast_path.exists():
        # same scenario text, new inputs: version it like the baseline
        n = 2
        while (folder / f"{forecast_path.stem}.v{n}.csv").exists():
            n += 1
        forecast_path = folder / f"{forecast_path.stem}.v{n}.csv"
        metadata_path = folder / f"{metadata_path.stem}.v{n}.json"
    metadata["forecast_file"] = forecast_path.name
    atomic_write_bytes(forecast_path, data)
    atomic_write_bytes(metadata_path, (json.dumps(metadata, indent=2, default=str) + "\n").encode("utf-8"))
    message = f"wrote {forecast_path} ({len(result.frame):,} rows)"
    log.info(message)
    return JobOutcome(EXIT_OK, message, forecast_path, metadata_path, True, appended, result.warnings)
