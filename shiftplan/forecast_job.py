"""The forecast cron job: ``shiftplan forecast PLAN`` writes a dated, versioned forecast into the plan folder.

Layout written under ``PLAN/forecasts/``::

    .lock                          held while a run is in progress (two runs never overlap)
    <ISO year>-W<week>/            ISO week of the horizon's first day
        forecast.csv               hourly forecast, times as local plan time with UTC offset
        metadata.json              models, scores, data span, settings, versions, input hashes
        forecast.v2.csv, ...       a re-run with changed inputs (an existing file is never overwritten)
        forecast.scenario-<id>.csv a what-if run, one or more scenarios (kept apart from the baseline that ``solve``
                                   uses; ``solve --scenario`` staffs the same what-if from the baseline)
    accuracy.csv                   realised WAPE and bias per queue of earlier forecasts (and over all queues),
                                   with the model and its backtest WAPE, appended once each

Every file is written atomically (temporary file in the same folder, then ``os.replace``), readable as any file the
user writes (the umask applies). Re-running the same week with the same inputs writes nothing new and reports the
existing file (idempotent). The accuracy log is kept in the format it is found in (a spreadsheet that saved it with
``;`` and decimal commas keeps them); a log that cannot be read or replaced is left as it is, with a warning, and
the forecast is still written.

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
import functools
import hashlib
import json
import logging
import os
import re
import sys
import tempfile
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from filelock import FileLock, Timeout

from inputs.toml_reader import CONFIG_FILE
from outputs.files import OutputFolderError, check_writable_folder, publish_mode

EXIT_OK = 0
EXIT_INVALID_PLAN = 1
EXIT_LOCKED = 4
EXIT_FORECAST_FAILED = 5

FORECASTS_DIR = "forecasts"
LOCK_FILE = ".lock"
ACCURACY_FILE = "accuracy.csv"
ACCURACY_COLUMNS = ("forecast_file", "language", "channel", "model", "backtest_wape", "weeks_ahead", "period_start",
                    "period_end", "hours", "missing_hours", "actual_contacts", "forecast_contacts", "wape", "bias",
                    "logged_utc")
#: The accuracy log's numeric columns (a log kept with decimal commas gets its new rows so).
_DECIMAL_COLUMNS = ("backtest_wape", "actual_contacts", "forecast_contacts", "wape", "bias")
#: ``language`` and ``channel`` of a forecast's row over all its queues.
ALL_QUEUES = "all"
#: A queue-day with no history row is missing data (not 0 contacts) when the forecast expected at least this many
#: contacts that day: no contact at all then has a Poisson chance below 1% (e^-5 = 0.7%).
MISSING_DAY_CONTACTS = 5.0
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
    realised : list of str
        One line per earlier forecast this run scored: its realised accuracy over all its queues
        (:func:`realised_line`).
    """

    exit_code: int
    message: str
    forecast_path: Path | None = None
    metadata_path: Path | None = None
    written: bool = False
    accuracy_rows: int = 0
    warnings: list[str] = field(default_factory=list)
    realised: list[str] = field(default_factory=list)


#: A history ending more than this before the horizon's start is said to lag (a weekly job's history should run up
#: to the day before the plan).
HISTORY_LAG = pd.Timedelta(days=1)


def history_lag(plan: object) -> str | None:
    """A warning when the plan's history ends more than :data:`HISTORY_LAG` before its horizon starts, or None: the
    forecast then runs that much further ahead, and the accuracy of the days between is not logged."""
    history = getattr(plan, "history", None)
    if history is None or history.frame.empty:
        return None
    horizon = plan.horizon
    lag = horizon.start_utc - history.end_utc
    if lag <= HISTORY_LAG:
        return None
    end = history.end_utc.tz_convert(horizon.time_zone)
    days = lag / pd.Timedelta(days=1)
    return (f"the history ends {end:%a %Y-%m-%d %H:%M}, {days:.1f} days before the plan's first day "
            f"{horizon.first_day}: the forecast looks that much further ahead, and those days' accuracy is not "
            "logged. Add the latest contacts to the history file before the weekly run")


def realised_line(row: dict[str, object]) -> str:
    """An accuracy-log row as one line: ``realised accuracy of 2026-W49/forecast.csv, week 1 (840 queue-hours): WAPE
    25.0%, bias -3.1% (forecast minus actual, of the actual); 24 h without history left out``."""
    hours, missing = int(row["hours"]), int(row["missing_hours"])
    left_out = f"; {missing:,} h without history left out" if missing else ""
    which = f"{row['forecast_file']}, week {row['weeks_ahead']}"
    if row["wape"] == "":
        return f"realised accuracy of {which}: no actual contacts in its {hours:,} h{left_out}"
    wape = 100 * float(row["wape"])
    return (f"realised accuracy of {which} ({hours:,} queue-hours): WAPE {wape:.1f}%, "
            f"bias {100 * float(row['bias']):+.1f}% (forecast minus actual, of the actual){left_out}")


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
        publish_mode(Path(tmp))  # mkstemp's 0600 would keep the team leads out of the cron user's files
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


def forecast_for(plan: object) -> tuple[Path | None, str | None]:
    """The newest saved baseline forecast that can staff ``plan`` as it is now, or None and why none can.

    A forecast can when it covers the plan's horizon (one made while ``first_day`` was another day of the same week
    cannot: staffed, the days it misses would get 0 contacts; an older version that covers them is taken), and the
    history and events files it was made from are unchanged since (a newly listed event, a week of actuals added:
    its metadata's ``inputs_sha256`` says).

    Parameters
    ----------
    plan : inputs.records.Plan
        The validated plan.

    Returns
    -------
    tuple
        ``(path, None)``, or ``(None, why)`` (``why`` is None too when the week has no forecast at all).
    """
    versions = _versions(week_folder(Path(plan.root), plan.horizon.first_day))
    why = None
    for _, path in reversed(versions):
        missing = _horizon_missed(path, plan.horizon)
        if missing is None:
            changed = _inputs_changed(path, plan)
            return (path, None) if changed is None else (None, f"the latest forecast that covers the plan's days, "
                                                              f"{path}, is out of date: {changed}")
        why = why or f"the latest forecast, {path}, does not fit the plan: {missing}"
    return None, why


def _horizon_missed(path: Path, horizon: object) -> str | None:
    """What of ``horizon`` the forecast ``path`` does not cover, or None."""
    starts = read_forecast(path)["start"]
    end = starts.max() + pd.Timedelta(hours=1) if not starts.empty else None
    if end is not None and starts.min() <= horizon.start_utc and end >= horizon.end_utc:
        return None
    covered = "nothing" if starts.empty else (
        f"{starts.min().tz_convert(horizon.time_zone):%Y-%m-%d %H:%M} to "
        f"{(starts.max() + pd.Timedelta(hours=1)).tz_convert(horizon.time_zone):%Y-%m-%d %H:%M}")
    return f"it covers {covered}, not the plan's {horizon.first_day} for {horizon.weeks} week(s)"


def _inputs_changed(path: Path, plan: object, current: dict[str, str] | None = None) -> str | None:
    """Which of the history and events files changed since the forecast ``path`` was made, or None (also when its
    metadata keeps no record of its inputs: a forecast placed by hand is taken as it is).

    Parameters
    ----------
    path : Path
        A forecast file of this job.
    plan : inputs.records.Plan
        The plan.
    current : dict, optional
        The plan's input hashes (:func:`_input_hashes`), when already computed.
    """
    metadata = read_metadata(path) or {}
    made_from = metadata.get("inputs_sha256")
    if not isinstance(made_from, dict):
        return None
    settings = metadata.get("settings_sha256")
    settings_changed = ([f"the queues, [forecast] or the grid in {CONFIG_FILE}"]
                        if settings is not None and settings != settings_digest(plan) else [])
    root = Path(plan.root)
    files = plan.config.files
    sources = [root / name for name in (files.history, files.events) if name]
    hashes = _input_hashes(tuple(sources), root)
    if current is not None:
        hashes = {name: current.get(name, digest) for name, digest in hashes.items()}
    changed = [name for name, digest in hashes.items() if name in made_from and made_from[name] != digest]
    changed += settings_changed
    return f"{' and '.join(changed)} changed since it was made" if changed else None


def settings_digest(plan: object) -> str:
    """A digest of the settings a forecast depends on besides its history and events: the queues (opening hours and
    clocks, holidays), ``[forecast]``, the plan's time zone and grid (events are applied on the grid). A forecast
    made under other settings is out of date (:func:`forecast_for`); the plan's days and its rules are not in it.

    Parameters
    ----------
    plan : inputs.records.Plan
        The plan.

    Returns
    -------
    str
        Hex SHA-256 of those settings as JSON.
    """
    config = plan.config
    settings = {"queues": [queue.model_dump(mode="json") for queue in config.queues],
                "forecast": config.forecast.model_dump(mode="json"), "time_zone": plan.horizon.time_zone,
                "interval_minutes": plan.horizon.interval_minutes}
    return hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode()).hexdigest()


def _input_hashes(files: tuple[Path, ...], root: Path) -> dict[str, str]:
    out = {}
    for path in files:
        with contextlib.suppress(OSError):
            out[str(Path(path).relative_to(root)) if Path(path).is_relative_to(root) else str(path)] = \
                hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return out


def _scenario_id(texts: list[str]) -> str:
    """The id in a scenario forecast's file name: the same scenarios in any order give the same file."""
    return hashlib.sha256("; ".join(sorted(texts)).encode("utf-8")).hexdigest()[:10]


class AccuracyLogError(Exception):
    """The accuracy log is not in a form the job can append to (it is then left as it is)."""


@dataclass(frozen=True)
class _LogFormat:
    """How an accuracy log is written: its separator and decimal mark (a spreadsheet may save it with ``;``)."""

    sep: str = ","
    decimal: str = "."


def _read_accuracy_log(path: Path) -> tuple[pd.DataFrame, _LogFormat]:
    """The accuracy log as text cells, and its format; an empty log when there is none."""
    if not path.is_file():
        return pd.DataFrame(columns=ACCURACY_COLUMNS), _LogFormat()
    header = path.read_text(encoding="utf-8-sig").partition("\n")[0]
    sep = ";" if header.count(";") > header.count(",") else "\t" if header.count("\t") > header.count(",") else ","
    try:
        existing = pd.read_csv(path, dtype=str, keep_default_na=False, sep=sep, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise AccuracyLogError(f"{path} cannot be read as a table ({error})") from None
    if "forecast_file" not in existing.columns:
        raise AccuracyLogError(f"{path} has no 'forecast_file' column (its first line: {header[:80]!r})")
    numbers = [existing[c] for c in _DECIMAL_COLUMNS if c in existing.columns]
    comma = sep != "," and any(column.str.contains(",", regex=False).any() for column in numbers)
    return existing, _LogFormat(sep, "," if comma else ".")


def _queue_models(forecast_path: Path) -> dict[tuple[str, str], tuple[str, float | None]]:
    """(language, channel) -> (model chosen, its backtest WAPE) from the metadata beside a forecast (empty when there
    is none, or it cannot be read)."""
    metadata = read_metadata(forecast_path)
    series = metadata.get("series", []) if isinstance(metadata, dict) else []
    out = {}
    for entry in series if isinstance(series, list) else []:
        with contextlib.suppress(KeyError, TypeError, ValueError):
            wape = entry.get("wape")
            out[(str(entry["language"]), str(entry["channel"]))] = (
                str(entry.get("model", "")), None if wape is None else float(wape))
    return out


def _missing_hours(forecast: pd.DataFrame, history: pd.DataFrame, time_zone: str) -> np.ndarray:
    """Which rows of ``forecast`` (one queue's hours) have no actual to score against: on a day (of the plan's
    clock) with no history row of any queue, or with none of this queue while the forecast expected at least
    :data:`MISSING_DAY_CONTACTS` contacts (a history that lost the queue's day, not a quiet day)."""
    days = pd.DatetimeIndex(forecast["start"]).tz_convert(time_zone).normalize()
    seen = pd.DatetimeIndex(history["start"]).tz_convert(time_zone).normalize()
    any_queue = days.isin(seen.unique())
    queue = (history["language"] == forecast["language"].iloc[0]) & (history["channel"] == forecast["channel"].iloc[0])
    own = days.isin(seen[queue.to_numpy()].unique())
    expected = forecast["contacts"].groupby(days).transform("sum").to_numpy(dtype=float)
    return ~any_queue | (~own & (expected >= MISSING_DAY_CONTACTS))


def _score_week(rel: str, part: pd.DataFrame, weeks_ahead: int, models: dict[tuple[str, str], tuple[str, float | None]],
                actual: pd.Series, history: pd.DataFrame, time_zone: str, stamp: str,
                unknown: frozenset[tuple[str, str, pd.Timestamp]] = frozenset()) -> list[dict[str, object]]:
    """The accuracy-log rows of one week of the forecast file ``rel`` (``part``): one per queue, then one over all
    its queues, with a warning naming the days the history lacks. The ``unknown`` hours (language, channel, UTC hour:
    those of :attr:`inputs.records.History.unknown`) are left out too, without a warning (the history's has named
    them)."""
    rows: list[dict[str, object]] = []
    scored_a, scored_f, missing_days = [], [], []
    period = {"period_start": part["start"].min().isoformat(),
              "period_end": (part["start"].max() + pd.Timedelta(hours=1)).isoformat()}
    for (language, channel), queue in part.groupby(["language", "channel"], sort=False):
        key = pd.MultiIndex.from_arrays([[language] * len(queue), [channel] * len(queue), queue["start"]])
        lacking = _missing_hours(queue, history, time_zone)
        missing = lacking | np.array([(str(language), str(channel), t) in unknown for t in queue["start"]], dtype=bool)
        a = actual.reindex(key).fillna(0.0).to_numpy()[~missing]
        f = queue["contacts"].to_numpy(dtype=float)[~missing]
        scored_a.append(a)
        scored_f.append(f)
        if lacking.any():
            days = sorted({f"{t:%Y-%m-%d}" for t in queue["start"][lacking].dt.tz_convert(time_zone)})
            missing_days.append(f"{language}/{channel} {', '.join(days[:5])}{' ...' if len(days) > 5 else ''}")
        wape, bias = _score(a, f)
        model, backtest = models.get((str(language), str(channel)), ("", None))
        rows.append({"forecast_file": rel, "language": language, "channel": channel, "model": model,
                     "backtest_wape": "" if backtest is None else round(backtest, 6), "weeks_ahead": weeks_ahead,
                     **period, "hours": len(queue), "missing_hours": int(missing.sum()),
                     "actual_contacts": round(float(a.sum()), 4), "forecast_contacts": round(float(f.sum()), 4),
                     "wape": wape, "bias": bias, "logged_utc": stamp})
    a_all, f_all = np.concatenate(scored_a), np.concatenate(scored_f)
    wape, bias = _score(a_all, f_all)
    rows.append({"forecast_file": rel, "language": ALL_QUEUES, "channel": ALL_QUEUES, "model": "",
                 "backtest_wape": "", "weeks_ahead": weeks_ahead, **period,
                 "hours": sum(int(row["hours"]) for row in rows),
                 "missing_hours": sum(int(row["missing_hours"]) for row in rows),
                 "actual_contacts": round(float(a_all.sum()), 4), "forecast_contacts": round(float(f_all.sum()), 4),
                 "wape": wape, "bias": bias, "logged_utc": stamp})
    if missing_days:
        log.warning("accuracy of %s from %s leaves out the days the history lacks (no row, where the forecast "
                    "expected %g contacts or more): %s", rel, period["period_start"][:10], MISSING_DAY_CONTACTS,
                    "; ".join(missing_days))
    return rows


def _score(a: np.ndarray, f: np.ndarray) -> tuple[float | str, float | str]:
    """WAPE and bias ((F - A) / A) of forecasts ``f`` against actuals ``a``; blank without actual contacts."""
    total = np.abs(a).sum()
    if not total:
        return "", ""
    return round(float(np.abs(a - f).sum() / total), 6), round(float((f - a).sum() / total), 6)


def update_accuracy_log(plan_dir: Path, history: object, now: pd.Timestamp,
                        time_zone: str = "UTC") -> list[dict[str, object]]:
    """Append realised WAPE and bias of earlier forecasts, week by week of their horizon as each week's actuals are
    all in: per queue, with the model chosen and its backtest WAPE, and over all the forecast's queues
    (``language`` and ``channel`` :data:`ALL_QUEUES`); ``weeks_ahead`` says which week of its horizon it was (1, 2,
    ...), so a two-week plan's forecast is scored a week after its first week, not as one figure two weeks later.

    A week of a forecast file already in the log is never appended again (a file an older log scored whole, over
    more than a week, is done); scenario forecasts are not logged. Hours without
    an actual (:func:`_missing_hours`) are left out of the scores and counted in ``missing_hours``, with a warning:
    a lost day of history is not a day of no contacts. So are the history's unknown intervals (the second occurrence
    of a repeated autumn hour its file lists once), whose loading warned.

    Parameters
    ----------
    plan_dir : Path
        The plan folder.
    history : inputs.records.History or None
        The plan's contact history.
    now : pandas.Timestamp
        The run's time, for ``logged_utc``.
    time_zone : str
        The plan's clock, whose days decide which hours are missing.

    Returns
    -------
    list of dict
        The rows appended (:data:`ACCURACY_COLUMNS`): per forecast file and week, its queues then its
        :data:`ALL_QUEUES` row.

    Raises
    ------
    AccuracyLogError
        When the log is there but is not a table with a ``forecast_file`` column (nothing is written).
    """
    root = Path(plan_dir) / FORECASTS_DIR
    log_path = root / ACCURACY_FILE
    existing, form = _read_accuracy_log(log_path)
    done = set(zip(existing["forecast_file"], existing.get("period_start", pd.Series(dtype=str)), strict=False))
    # a file a log of before weekly rows scored over more than one week at once is done as a whole
    hours = pd.to_numeric(existing.get("hours", pd.Series(dtype=str)), errors="coerce")
    weeks_ahead = existing.get("weeks_ahead", pd.Series("", index=existing.index))
    whole = set(existing.loc[(hours > 168) & (weeks_ahead == "") & (existing["language"] != ALL_QUEUES),
                             "forecast_file"])
    if history is None or history.frame.empty:
        return []
    actual = history.frame.assign(hour=pd.DatetimeIndex(history.frame["start"]).floor("h"))
    actual = actual.groupby(["language", "channel", "hour"])["contacts"].sum()
    gaps = getattr(history, "unknown", None)
    unknown = frozenset() if gaps is None else frozenset(zip(
        gaps["language"].astype(str), gaps["channel"].astype(str), pd.DatetimeIndex(gaps["start"]).floor("h"),
        strict=True))
    history_end = history.end_utc
    stamp = now.isoformat(timespec="seconds")
    rows: list[dict[str, object]] = []
    for path in sorted(root.glob("*/forecast*.csv")):
        rel = path.relative_to(root).as_posix()
        if rel in whole or not _VERSION.match(path.name):
            continue
        forecast = read_forecast(path)
        if forecast.empty:
            continue
        first = forecast["start"].min()
        ahead = ((forecast["start"] - first) // pd.Timedelta(days=7)).to_numpy()
        models = _queue_models(path)
        for week in range(int(ahead.max()) + 1):
            part = forecast[ahead == week]
            if part.empty or (rel, part["start"].min().isoformat()) in done:
                continue
            if part["start"].max() + pd.Timedelta(hours=1) > history_end:
                break  # this week's actuals are not all in yet (nor the later weeks')
            rows.extend(_score_week(rel, part, week + 1, models, actual, history.frame, time_zone, stamp, unknown))
    if not rows:
        return []
    new = pd.DataFrame(rows, columns=ACCURACY_COLUMNS).astype(str).replace({"nan": ""})
    if form.decimal == ",":
        for column in _DECIMAL_COLUMNS:
            new[column] = new[column].str.replace(".", ",", regex=False)
    combined = pd.concat([existing, new], ignore_index=True).fillna("")
    atomic_write_bytes(log_path, combined.to_csv(index=False, sep=form.sep, lineterminator="\n").encode("utf-8"))
    return rows


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


def run_forecast_job(plan_dir: Path, *, scenarios: Sequence[str] = (), now: pd.Timestamp | None = None,
                     quiet: bool = False, progress: bool = True, n_jobs: int = 2,
                     first_day: dt.date | None = None) -> JobOutcome:
    """Load the plan, forecast it and write the week's versioned forecast, under a lock.

    Parameters
    ----------
    plan_dir : Path
        The plan folder.
    scenarios : sequence of str
        What-ifs (``"chat +60% 2026-12-03T12:00/6h"``), all applied; written as a separate scenario file. One that
        is malformed or would change nothing fails the run before anything is written, the accuracy log included.
    now : pandas.Timestamp, optional
        The run's time (UTC) for the accuracy log; defaults to the clock.
    quiet : bool
        Log warnings and errors only (cron).
    progress : bool
        Show a progress bar when stderr is a terminal.
    n_jobs : int
        Processes for the series.
    first_day : datetime.date, optional
        Forecast the horizon from this day instead of ``[plan] first_day`` (a cron job's next week); its forecast
        goes to that day's week folder, where ``solve`` finds it once ``first_day`` is that day.

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
        except Timeout:  # (said once, by whoever shows the outcome; the file stays, only a running job locks it)
            message = (f"another forecast run is in progress (it holds the lock on {root / LOCK_FILE}); nothing "
                       "was written: retry later")
            return JobOutcome(EXIT_LOCKED, message)
        try:
            return _run_locked(plan_dir, tuple(scenarios), now, quiet, progress, n_jobs,
                               functools.partial(load_plan, first_day=first_day), PlanError, forecast_plan)
        finally:
            lock.release()


def _run_locked(plan_dir: Path, scenarios: tuple[str, ...], now: pd.Timestamp, quiet: bool, progress: bool,
                n_jobs: int, load_plan: object, plan_error: type, forecast_plan: object) -> JobOutcome:
    log.info("loading plan %s", plan_dir)
    try:
        plan = load_plan(plan_dir)
    except plan_error as error:
        log.error("the plan has problems:\n%s", error.report())
        return JobOutcome(EXIT_INVALID_PLAN, "the plan has problems; nothing was written")
    from forecasting.scenario import parse_scenarios
    from forecasting.scenario_apply import check_scenarios

    try:  # a scenario that is malformed or would change nothing: said before anything is written
        check_scenarios(plan, parse_scenarios(scenarios), 60)
    except ValueError as exc:
        return JobOutcome(EXIT_FORECAST_FAILED, f"forecast failed, nothing was written: {exc}")
    stale = history_lag(plan)
    if stale:
        log.warning(stale)
    logged: list[dict[str, object]] = []
    try:  # the log is a by-product: a problem with it never costs the week's forecast
        logged = update_accuracy_log(plan_dir, plan.history, now, plan.horizon.time_zone)
    except (AccuracyLogError, OSError) as error:
        log.warning("the accuracy log was not updated: %s. The forecast is still written; the log's rows are "
                    "appended by the next run that can write it (close it in a spreadsheet, or move it aside to "
                    "start a new one)", error)
    appended = len(logged)
    if appended:
        log.info("accuracy log: %d rows appended", appended)
    realised = [realised_line(row) for row in logged if row["language"] == ALL_QUEUES]
    show_bar = progress and not quiet and sys.stderr.isatty()
    log.info("forecasting %d queues with up to %d processes", len(plan.queues), n_jobs)
    try:
        with _progress_bar(show_bar) as update, warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = forecast_plan(plan, scenarios=scenarios, n_jobs=n_jobs, progress=update)
    except ValueError as exc:  # (said once, by whoever shows the outcome)
        return JobOutcome(EXIT_FORECAST_FAILED, f"forecast failed: {exc}", accuracy_rows=appended,
                          realised=realised)
    except Exception as exc:
        log.exception("forecast failed")
        return JobOutcome(EXIT_FORECAST_FAILED, f"forecast failed: {type(exc).__name__}: {exc}",
                          accuracy_rows=appended, realised=realised)
    del caught  # the messages are in result.warnings
    for note in result.warnings:
        log.warning(note)
    folder = week_folder(plan_dir, plan.horizon.first_day)
    data = forecast_csv(result.frame, plan.horizon.time_zone)
    metadata = dict(result.metadata)
    metadata["inputs_sha256"] = _input_hashes(plan.input_files, plan_dir)
    metadata["settings_sha256"] = settings_digest(plan)
    metadata["forecast_sha256"] = hashlib.sha256(data).hexdigest()
    if scenarios:
        name = f"scenario-{_scenario_id(result.metadata['scenario']['texts'])}"
        candidates = [(1, folder / f"forecast.{name}.csv")]
        next_paths = (folder / f"forecast.{name}.csv", folder / f"metadata.{name}.json")
    else:
        candidates = _versions(folder)
        version = candidates[-1][0] + 1 if candidates else 1
        suffix = "" if version == 1 else f".v{version}"
        next_paths = (folder / f"forecast{suffix}.csv", folder / f"metadata{suffix}.json")
    for _, path in candidates:  # the same forecast from the same history and events: nothing new to write (the same
        # forecast from changed ones is written again, so that its metadata names the inputs 'solve' checks it by)
        if path.is_file() and path.read_bytes() == data and _inputs_changed(path, plan,
                                                                            metadata["inputs_sha256"]) is None:
            meta = metadata_path_of(path)
            message = f"forecast unchanged: {path}"
            log.info(message)
            return JobOutcome(EXIT_OK, message, path, meta, False, appended, result.warnings, realised)
    forecast_path, metadata_path = next_paths
    if scenarios and forecast_path.exists():
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
    return JobOutcome(EXIT_OK, message, forecast_path, metadata_path, True, appended, result.warnings, realised)
