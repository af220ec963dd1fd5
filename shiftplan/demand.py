"""From a forecast to requirements: planning grid, opening hours, staffing math, shrinkage.

The glue between :mod:`forecasting` (volume and handle time) and the staffing math in
:mod:`forecasting.staffing`; the scheduler only ever sees the resulting requirements.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from forecasting.events import FactorWindow, windows_from_entries
from forecasting.staffing import QueueStaffingSpec, requirements_frame
from inputs.config import Queue
from inputs.opening import open_mask, shrinkage_percent_by_interval
from inputs.records import Plan

if TYPE_CHECKING:
    from forecasting.scenario import Scenario


def staffing_spec(queue: Queue) -> QueueStaffingSpec:
    """Map a queue of ``shiftplan.toml`` onto the staffing math's parameters."""
    return QueueStaffingSpec(
        kind=queue.kind, service_level_percent=queue.service_level_percent,
        answer_within_seconds=queue.answer_within_seconds, asa_seconds=queue.asa_seconds,
        max_abandon_percent=queue.max_abandon_percent, patience_seconds=queue.patience_seconds,
        concurrency=queue.concurrency, concurrency_serial_share=queue.concurrency_serial_share,
        max_occupancy_percent=queue.max_occupancy_percent, shrinkage_percent=queue.shrinkage_percent,
        min_agents_open=queue.min_agents_open)


def requirements_from_grid(plan: Plan, grid: pd.DataFrame) -> pd.DataFrame:
    """Staff a planning-grid forecast.

    Parameters
    ----------
    plan : Plan
        The plan (queues, opening hours, grid).
    grid : pandas.DataFrame
        ``start`` (UTC), ``language``, ``channel``, ``contacts`` per interval, ``aht_seconds``.

    Returns
    -------
    pandas.DataFrame
        ``start``, ``language``, ``channel``, ``agents`` (to schedule, shrinkage included), plus
        ``contacts``, ``aht_seconds``, ``is_open``, ``shrinkage_percent`` (the queue's, or its window's),
        ``agents_productive`` and the expected
        ``service_level``, ``asa_seconds``, ``abandon_rate``, ``occupancy`` at that staffing.
    """
    horizon = plan.horizon
    parts = []
    for queue in plan.queues:
        full = pd.DataFrame({"start": horizon.intervals_utc, "language": queue.language, "channel": queue.channel})
        rows = grid[(grid["language"] == queue.language) & (grid["channel"] == queue.channel)]
        full = full.merge(rows[["start", "contacts", "aht_seconds"]], on="start", how="left")
        full["contacts"] = full["contacts"].fillna(0.0).clip(lower=0)
        full["aht_seconds"] = full["aht_seconds"].fillna(queue.aht_seconds).where(lambda s: s > 0, queue.aht_seconds)
        full["is_open"] = open_mask(queue, horizon.intervals_utc, horizon.time_zone)
        full["shrinkage_percent"] = shrinkage_percent_by_interval(queue, horizon.intervals_utc, horizon.time_zone)
        parts.append(full)
    frame = pd.concat(parts, ignore_index=True).rename(columns={"start": "interval_start"})
    specs = {q.key: staffing_spec(q) for q in plan.queues}
    staffed = requirements_frame(frame, specs, horizon.interval_minutes)
    staffed = staffed.rename(columns={"interval_start": "start", "agents_required": "agents"})
    return staffed


def event_windows(metadata: Mapping[str, Any]) -> dict[tuple[str, str], list[FactorWindow]]:
    """The holiday and event factors a forecast applied, per queue, from its metadata's ``events``
    (:func:`forecasting.events.windows_from_entries`): what :func:`forecasting.to_planning_grid` splits its hours by.

    Parameters
    ----------
    metadata : mapping
        A forecast's metadata.

    Returns
    -------
    dict
        ``(language, channel)`` -> windows (queues without any left out).
    """
    out = {}
    for name, entries in (metadata.get("events") or {}).items():
        language, _, channel = str(name).partition("/")
        found = windows_from_entries(entries)
        if found:
            out[(language, channel)] = found
    return out


def requirements_from_forecast(plan: Plan, *, forecast_file: Path | None = None, scenarios: Sequence[Scenario] = (),
                               log: Callable[[str], None] = lambda _: None) -> tuple[pd.DataFrame, str]:
    """Requirements from a forecast file, the latest forecast in the plan folder, or a fresh forecast.

    The latest forecast is used only when it fits the plan (:func:`shiftplan.forecast_job.forecast_for`: it covers
    the horizon, and the history and events it was made from are unchanged); otherwise the forecast runs first, as
    when there is none, and says why. A ``forecast_file`` is used as given. Its hours are split into the plan's
    intervals by the history's shape and, from the metadata beside it, by the holiday and event factors it applied
    (:func:`event_windows`), so an event that starts or ends inside an hour moves the intervals it covers only.
    ``scenarios``, and those a scenario forecast applied, are applied on the plan's intervals
    (:func:`shiftplan.scenario_staffing.staff_with_scenarios`).

    Returns
    -------
    tuple
        (requirements, a description of the source for the summary).
    """
    from forecasting import to_planning_grid
    from forecasting.explain import forecast_notes
    from forecasting.pipeline import series_clock
    from shiftplan.forecast_job import forecast_for, read_forecast, read_metadata, run_forecast_job
    from shiftplan.pipeline import RequirementsUnavailableError

    path, unfit = (forecast_file, None) if forecast_file is not None else forecast_for(plan)
    source = f"forecast {path}"
    if path is None:
        log("no forecast in the plan folder yet: running 'shiftplan forecast' first (later runs reuse it)"
            if unfit is None else f"{unfit}: running 'shiftplan forecast' first (--forecast FILE staffs from a "
            "file of your choice)")
        outcome = run_forecast_job(plan.root, quiet=True, progress=False)
        if outcome.exit_code != 0 or outcome.forecast_path is None:
            raise RequirementsUnavailableError(f"the forecast failed: {outcome.message}")
        path = outcome.forecast_path
        source = (f"a new forecast, saved as {path}" if outcome.written else
                  f"forecast {path} (the same as the forecast just run)")
    metadata = read_metadata(path)
    horizon = plan.horizon
    windows = None
    if metadata is not None:  # the events it applied and its closed hours
        for line in forecast_notes(metadata, choices=False).splitlines():
            log(line)
        windows = event_windows(metadata)
        made_for = (metadata.get("horizon") or {}).get("interval_minutes")
        if windows and made_for is not None and int(made_for) != horizon.interval_minutes:
            log(f"warning: the forecast applied its events on a {made_for}-minute grid and the plan's is "
                f"{horizon.interval_minutes} minutes: an hour an event covers in part is split at the plan's grid, "
                "but its total is the old grid's (run 'shiftplan forecast' again to redo it)")
    hourly = read_forecast(path)
    hourly = hourly[hourly["start"].between(horizon.start_utc - pd.Timedelta(hours=1), horizon.end_utc)]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        grid = to_planning_grid(hourly, plan.history, horizon,
                                clocks={queue.key: series_clock(queue, horizon.time_zone) for queue in plan.queues},
                                windows=windows)
    for warning in caught:
        log(f"warning: {warning.message}")
    if scenarios or (metadata or {}).get("scenario"):  # what-ifs: on the plan's intervals, and what they add
        from shiftplan.scenario_staffing import staff_with_scenarios
        return staff_with_scenarios(plan, grid, metadata, scenarios, source, log)
    return requirements_from_grid(plan, grid), source
