"""The run manifest: what is needed to reproduce and audit a roster (versions, input hashes, settings, times)."""

from __future__ import annotations

import datetime as dt
import hashlib
import platform
from collections.abc import Iterable, Mapping, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

DEPENDENCIES = ("ortools", "pandas", "numpy", "scipy", "statsmodels", "openpyxl", "click", "pydantic", "pyarrow",
                "holidays", "tzdata")


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def file_sha256(path: Path) -> str:
    """The hex sha256 of a file's bytes (read in 1 MiB blocks)."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def input_hashes(files: Iterable[Path], root: Path) -> dict[str, dict[str, object]]:
    """sha256 and size of each input file, keyed by its path relative to the plan folder."""
    result: dict[str, dict[str, object]] = {}
    for path in files:
        path = Path(path)
        if not path.is_file():
            continue
        try:
            name = path.resolve().relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            name = str(path)
        result[name] = {"sha256": file_sha256(path), "bytes": path.stat().st_size}
    return dict(sorted(result.items()))


def utc_now() -> str:
    """The current time in UTC, ISO 8601 to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def run_manifest(*, root: Path, inputs: Iterable[Path], requirements_source: str, seed: int, workers: int,
                 time_limit_seconds: float, started_utc: str, finished_utc: str,
                 keep_before: str | None = None, scenarios: Sequence[str] = (),
                 overtime: Mapping[str, object] | None = None) -> dict[str, object]:
    """Return the run manifest as JSON-ready values.

    Parameters
    ----------
    root : Path
        The plan folder (input paths are shown relative to it).
    inputs : iterable of Path
        Every file the run read (``shiftplan.toml``, the tables, the forecast used).
    requirements_source : str
        Where the requirements came from, in words.
    seed, workers : int
        Solver settings.
    time_limit_seconds : float
        Solver time limit.
    started_utc, finished_utc : str
        When the run started and when the solve finished (ISO 8601, UTC).
    keep_before : str, optional
        A re-plan's first day that may change (``solve --keep-before``), in the settings only when given.
    scenarios : sequence of str
        The what-ifs the requirements were staffed with, as typed (``solve --scenario``, or a scenario forecast's),
        as ``scenarios`` joined by ``; `` only when there are any.
    overtime : mapping, optional
        ``[rules] overtime_hours_per_week``, ``overtime_days_per_week`` and ``overtime_until`` (the plan's or
        ``solve --overtime``'s), in the settings only when some overtime is allowed.

    Returns
    -------
    dict
        ``shiftplan_version``, ``python``, ``platform``, timestamps, ``requirements_source``,
        ``settings`` (seed, workers, time limit, a re-plan's ``keep_before``, the overtime allowed),
        ``dependencies`` (name -> version) and
        ``inputs`` (relative path -> sha256 and bytes).
    """
    return {
        "shiftplan_version": _version("shiftplan"), "python": platform.python_version(),
        "platform": platform.platform(), "started_utc": started_utc, "solve_finished_utc": finished_utc,
        "requirements_source": requirements_source,
        **({"scenarios": "; ".join(scenarios)} if scenarios else {}),
        "settings": {"seed": seed, "workers": workers, "time_limit_seconds": time_limit_seconds,
                     **({} if keep_before is None else {"keep_before": keep_before}),
                     **(dict(overtime) if overtime and any(overtime.values()) else {})},
        "dependencies": {name: _version(name) for name in DEPENDENCIES},
        "inputs": input_hashes(inputs, root),
    }
