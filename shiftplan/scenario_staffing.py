"""What-if scenarios in staffing: applied on the plan's intervals, and the agents they add per queue, in words.

``solve --scenario`` and ``requirements --scenario`` staff the baseline forecast with the scenarios applied on the
planning grid, after the hourly forecast is split into the plan's intervals, so a window that starts on a half hour
scales exactly the half hours it covers. A scenario forecast of ``forecast --scenario`` (staffed with ``--forecast``)
scaled whole hours: its scenarios are taken out hour by hour and applied again on the intervals, so both routes staff
the same requirements. Either way the requirements are also worked out without the scenarios, and the difference is
printed per queue: the agent-hours added (or removed) and the largest change in one interval, with when.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from forecasting.explain import scenario_lines
from forecasting.scenario import Scenario, parse_scenarios, scenario_texts, scenarios_label
from forecasting.scenario_apply import apply_scenarios, remove_scenarios, row_open_mask
from inputs.records import Plan


class ScenarioStaffingError(ValueError):
    """The scenarios cannot be staffed as asked (one given twice across the forecast file and the command line)."""


def _span(start: pd.Timestamp, end: pd.Timestamp, day: bool = True) -> str:
    """``Wed 02 Dec 15:00-21:00`` (``15:00-21:00`` without the day), ``-24:00`` at midnight, both days across one."""
    if end - start <= pd.Timedelta(days=1) and (end.normalize() == start.normalize() or end == end.normalize()):
        close = "24:00" if end == end.normalize() and end != start.normalize() else f"{end:%H:%M}"
        return f"{start:%a %d %b %H:%M}-{close}" if day else f"{start:%H:%M}-{close}"
    return f"{start:%a %d %b %H:%M}-{end:%a %d %b %H:%M}"


def _agents(value: float) -> str:
    """``+22 agents``, ``-1 agent``, ``+2.5 agents`` (a requirement need not be whole)."""
    number = f"{value:+.0f}" if float(value).is_integer() else f"{value:+.1f}"
    return f"{number} agent{'' if abs(value) == 1 else 's'}"


def impact_lines(before: pd.DataFrame, after: pd.DataFrame, minutes: int, time_zone: str) -> list[str]:
    """The agents the scenarios add, per queue: one line per queue whose requirement changed, most agent-hours
    added first, then the total.

    Parameters
    ----------
    before, after : pandas.DataFrame
        Requirements without and with the scenarios (``start`` UTC, ``language``, ``channel``, ``agents``), on the
        same intervals.
    minutes : int
        The plan's interval.
    time_zone : str
        The plan's clock, for the times printed.

    Returns
    -------
    list of str
        ``en/chat    +22 agents at Wed 02 Dec 15:00-15:30, +124.5 agent-h over 15:00-21:00`` per queue: the
        largest change in one interval (the largest increase for a queue that gains agent-hours, the largest cut for
        one that loses them; the first such interval), and the agent-hours added over the first to the last interval
        that changed.
    """
    keys = ["start", "language", "channel"]
    merged = before[[*keys, "agents"]].merge(after[[*keys, "agents"]], on=keys, suffixes=("_before", "_after"))
    merged["change"] = merged["agents_after"].astype(float) - merged["agents_before"].astype(float)
    step = pd.Timedelta(minutes=minutes)
    rows = []
    for (language, channel), part in merged.groupby(["language", "channel"], sort=False):
        changed = part[part["change"] != 0].sort_values("start")
        if changed.empty:
            continue
        hours = float(changed["change"].sum()) * minutes / 60
        peak = changed.loc[changed["change"].idxmax() if hours >= 0 else changed["change"].idxmin()]
        at = peak["start"].tz_convert(time_zone)
        first, last = (changed["start"].iloc[i].tz_convert(time_zone) for i in (0, -1))
        same_day = first.normalize() == at.normalize() and (last + step - pd.Timedelta(microseconds=1)).normalize() \
            == at.normalize()
        rows.append((hours, f"  {language}/{channel:<8} {_agents(peak['change'])} at {_span(at, at + step)}, "
                            f"{hours:+,.1f} agent-h over {_span(first, last + step, day=not same_day)}"))
    total_before = float(merged["agents_before"].sum()) * minutes / 60
    total_after = float(merged["agents_after"].sum()) * minutes / 60
    if not rows:
        return ["agents: the scenarios change no queue's requirement (they scale only hours whose forecast rounds to "
                "the same staffing)"]
    rows.sort(key=lambda row: -row[0])
    return ["agents the scenarios add (to schedule, shrinkage included; against the same forecast without them):",
            *(text for _, text in rows),
            f"  in all {total_after - total_before:+,.1f} agent-h ({total_before:,.1f} -> {total_after:,.1f})"]


def _open_rows(plan: Plan, grid: pd.DataFrame) -> np.ndarray:
    """Per row of ``grid``, whether its queue is open in some minute of its interval."""
    starts = pd.DatetimeIndex(grid["start"].drop_duplicates().sort_values())
    masks = row_open_mask(plan.queues, starts, plan.horizon.interval_minutes, plan.horizon.time_zone)
    at = starts.get_indexer(pd.DatetimeIndex(grid["start"]))
    names = (grid["language"].astype(str) + "/" + grid["channel"].astype(str)).to_numpy()
    out = np.ones(len(grid), dtype=bool)
    for name, mask in masks.items():
        rows = names == name
        out[rows] = mask[at[rows]]
    return out


def staff_with_scenarios(plan: Plan, grid: pd.DataFrame, metadata: Mapping[str, Any] | None,
                         given: Sequence[Scenario], source: str,
                         log: Callable[[str], None] = lambda _: None) -> tuple[pd.DataFrame, str]:
    """Staff a planning-grid forecast with scenarios applied on its intervals, and say what they add.

    Parameters
    ----------
    plan : Plan
        The plan.
    grid : pandas.DataFrame
        The forecast split into the plan's intervals (:func:`forecasting.to_planning_grid`).
    metadata : mapping or None
        The forecast file's metadata: the scenarios a scenario forecast applied (taken out of its hours, then
        applied again on the intervals with the ``given`` ones).
    given : sequence of Scenario
        The command's ``--scenario``.
    source : str
        The forecast, in words.
    log : callable
        Receives the scenario lines (:func:`forecasting.explain.scenario_lines`) and the agents they add
        (:func:`impact_lines`).

    Returns
    -------
    tuple
        The requirements with the scenarios, and their source in words.

    Raises
    ------
    ScenarioStaffingError
        When a scenario is given again that the forecast file already applied.
    """
    from shiftplan.demand import requirements_from_grid

    zone, minutes = plan.horizon.time_zone, plan.horizon.interval_minutes
    saved_texts = scenario_texts(metadata)
    if saved_texts and not (metadata or {}).get("scenario", {}).get("applied"):
        log(f"warning: {source} is a scenario forecast of an older shiftplan ({scenarios_label(saved_texts)}); it is "
            "staffed as it is, its scenarios on whole hours and without the agents they add. Fix: run 'shiftplan "
            "solve --scenario' with them instead")
        if not given:
            return requirements_from_grid(plan, grid), source
        saved_texts = []
    saved = parse_scenarios(saved_texts)
    try:
        scenarios = parse_scenarios([*saved_texts, *(scenario.text for scenario in given)])
    except ValueError as exc:
        raise ScenarioStaffingError(f"{exc} ({source} applies it already)") from None
    base = remove_scenarios(grid, saved, zone) if saved else grid
    applied = apply_scenarios(base, scenarios, zone, minutes=minutes, is_open=_open_rows(plan, base))
    for line in scenario_lines(applied.as_dict(zone, minutes), zone):
        log(line)
    before, after = requirements_from_grid(plan, base), requirements_from_grid(plan, applied.frame)
    for line in impact_lines(before, after, minutes, zone):
        log(line)
    label = scenarios_label([scenario.text for scenario in scenarios])
    taken_out = " (its scenarios taken out of its hours)" if saved else ""
    return after, f"{source}{taken_out} with {label} on the plan's {minutes}-minute intervals"
