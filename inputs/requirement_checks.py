"""A requirements file against the plan's queues and clock: requirements while a queue is closed, and the hour the
plan's clock repeats when it goes back.

A forecast gives a queue no contacts while it is closed (by its ``opening_hours`` on its ``opening_time_zone``), so
no agent is planned then; a requirements file is held to the same hours. A local time without an offset that the
plan's clock shows twice is read as its first occurrence the first time a queue's rows list it and as the second
the next time (:func:`inputs.table_reader.localize`): a file that lists it once leaves the second without a row.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from inputs.clock_changes import offset_text, season
from inputs.config import PlanConfig
from inputs.opening import open_mask
from inputs.problems import ProblemLog
from inputs.records import Horizon, Requirements

#: How many clock times of one queue a warning lists before it counts the rest.
MAX_TIMES_LISTED = 4


def drop_closed_requirements(requirements: Requirements, config: PlanConfig, horizon: Horizon, label: str,
                             log: ProblemLog) -> Requirements:
    """Requirements with no agent while their queue is closed, and one warning naming what was dropped.

    Only rows inside the plan's days count (the others are ignored anyway, with a warning of their own). The rows
    stay, with 0 agents, so the file's row count and its forecast columns are unchanged.

    Parameters
    ----------
    requirements : Requirements
        The requirements file as read.
    config : PlanConfig
        The plan's settings (the queues' opening hours; their time zones default to the plan's).
    horizon : Horizon
        The plan's days and grid.
    label : str
        The requirements file's name, for the warning.
    log : ProblemLog
        Where the warning goes.

    Returns
    -------
    Requirements
        ``requirements`` itself when no queue is asked for agents while closed, else a copy with those ``agents`` 0.
    """
    frame = requirements.frame
    inside = frame["start"].between(horizon.start_utc, horizon.end_utc, inclusive="left").to_numpy()
    closed = np.zeros(len(frame), dtype=bool)
    parts: list[str] = []
    hours_per_interval = horizon.interval_minutes / 60
    for queue in config.queues:
        rows = inside & ((frame["language"] == queue.language) & (frame["channel"] == queue.channel)).to_numpy()
        if not rows.any():
            continue
        starts = pd.DatetimeIndex(frame["start"][rows])
        shut = np.zeros(len(frame), dtype=bool)
        shut[rows] = ~open_mask(queue, starts, horizon.time_zone)
        shut &= (frame["agents"] > 0).to_numpy()
        if not shut.any():
            continue
        closed |= shut
        hours = float(frame["agents"][shut].sum()) * hours_per_interval
        local = frame["start"][shut].dt.tz_convert(horizon.time_zone)
        count = int(shut.sum())
        when = (f"{count:,} intervals from {local.min():%Y-%m-%d %H:%M} to {local.max():%Y-%m-%d %H:%M}" if count > 1
                else f"1 interval at {local.min():%Y-%m-%d %H:%M}")
        parts.append(f"{queue.name} {_hours(hours)} agent-hour{'' if hours == 1 else 's'} ({when} on the plan's "
                     f"clock, outside its opening_hours {', '.join(queue.opening_hours)} in "
                     f"{queue.opening_time_zone or horizon.time_zone})")
    if not parts:
        return requirements
    log.add(label, f"asks for agents while a queue is closed: {'; '.join(parts)}; these requirements are dropped, "
            "as a forecast gives a queue none while it is closed",
            "widen the queue's opening_hours in shiftplan.toml where agents are meant, or drop those rows",
            column="agents", severity="warning")
    out = frame.copy()
    out.loc[closed, "agents"] = 0.0
    return dataclasses.replace(requirements, frame=out)


def _hours(hours: float) -> str:
    """Agent-hours as text: ``223``, ``1,234.5``."""
    return f"{round(hours, 2):,g}"


def warn_repeated_hour_once(requirements: Requirements, written_offset: np.ndarray, horizon: Horizon, label: str,
                            log: ProblemLog) -> None:
    """Warn when a queue's rows give a clock time of the hour the plan's clock repeats only once.

    Such a row (without an offset) is read as the first occurrence, before the clocks go back, and the second
    occurrence, after the change, gets no row: no requirement. Only rows asking for agents count (a 0 there is what
    the missing row gives the second occurrence too).

    Parameters
    ----------
    requirements : Requirements
        The requirements file's clean rows, the frame indexed by their place in the file.
    written_offset : numpy.ndarray
        For each row of the file, whether its start was written with a UTC offset (such a row is taken as written).
    horizon : Horizon
        The plan's days, grid and clock.
    label : str
        The requirements file's name, for the warning.
    log : ProblemLog
        Where the warning goes.
    """
    grid = horizon.intervals_utc
    local = grid.tz_convert(horizon.time_zone)
    wall = pd.Series(local.tz_localize(None))
    second = wall.duplicated(keep="first").to_numpy()
    if not second.any():
        return
    first_of = {wall.iloc[i]: grid[i] for i in np.flatnonzero(wall.duplicated(keep="last").to_numpy())}
    second_of = {wall.iloc[i]: grid[i] for i in np.flatnonzero(second)}
    frame = requirements.frame
    naive = ~written_offset[frame.index.to_numpy()]
    given = set(zip(frame["start"], frame["language"], frame["channel"], strict=True))
    parts: list[str] = []
    once_in_all: list[pd.Timestamp] = []
    for (language, channel), rows in frame[naive & (frame["agents"] > 0).to_numpy()].groupby(
            ["language", "channel"], sort=False):
        starts = set(rows["start"])
        once = sorted(clock for clock, start in first_of.items()
                      if start in starts and (second_of[clock], language, channel) not in given)
        if not once:
            continue
        listed = [f"{clock:%H:%M}" for clock in once[:MAX_TIMES_LISTED]] + (
            [f"{len(once) - MAX_TIMES_LISTED} more"] if len(once) > MAX_TIMES_LISTED else [])
        days = sorted({f"{clock:%Y-%m-%d}" for clock in once})
        parts.append(f"{language}/{channel} lists {', '.join(listed)} on {', '.join(days)} once")
        once_in_all.extend(once)
    if not once_in_all:
        return
    before = first_of[once_in_all[0]].tz_convert(horizon.time_zone)
    after = second_of[once_in_all[0]].tz_convert(horizon.time_zone)
    log.add(label, f"{'; '.join(parts)}, but the plan's clock ({horizon.time_zone}) shows "
            f"{'them' if len(once_in_all) > 1 else 'it'} twice, as the clocks go back: each such row is read as the "
            f"first ({offset_text(before)}, {season(before)}), and the second ({offset_text(after)}, after the change) "
            "gets no requirement",
            f"write each of those times twice, the first row for {season(before)} and the second for after the change "
            f"(as an ACD export lists them), or with its offset ({after:%Y-%m-%dT%H:%M:%S}{offset_text(after)})",
            column="start", severity="warning")
