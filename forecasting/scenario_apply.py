"""Apply what-if scenarios to a forecast, hourly or on the planning grid, and record what each one moved.

Every scenario given applies. A row (an hour of the forecast, or a planning interval) is scaled by a scenario when
its queue is selected and the row overlaps the scenario's window; a row the window starts or ends inside is scaled
whole (its staffing has to meet the surge for the part of it the surge covers), and the effect records it so the
printout can say so. Where two scenarios cover the same queue and row their factors multiply, as events and public
holidays do: ``chat +300%`` (x4) and ``en +50%`` (x1.5) give en/chat x6 where they meet. A row the queue is closed
throughout is forecast 0 and stays 0: it is counted apart (``rows_closed``), not as a row changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from forecasting.scenario import Scenario


@dataclass(frozen=True)
class QueueSpan:
    """The rows of one queue a scenario (or an overlap of scenarios) scaled.

    Attributes
    ----------
    queue : str
        ``language/channel``.
    start, end : pandas.Timestamp
        The first row's start and the last row's end (UTC).
    rows : int
        Rows scaled (fewer than ``(end - start)`` holds when the queue closes in between).
    factor : float
        The scenario's factor, or for an overlap the largest product of the factors that met.
    """

    queue: str
    start: pd.Timestamp
    end: pd.Timestamp
    rows: int
    factor: float

    def as_dict(self, time_zone: str) -> dict[str, Any]:
        """JSON-ready, with the times on the plan's clock."""
        return {"queue": self.queue, "start_local": self.start.tz_convert(time_zone).isoformat(),
                "end_local": self.end.tz_convert(time_zone).isoformat(), "rows": self.rows,
                "factor": round(self.factor, 6)}


@dataclass(frozen=True)
class ScenarioEffect:
    """What one scenario did to a forecast.

    Attributes
    ----------
    scenario : Scenario
        The scenario.
    start, end : pandas.Timestamp
        Its window in UTC.
    moved : tuple of QueueSpan
        Per selected queue open in the window, the rows scaled.
    closed : tuple of str
        Selected queues closed throughout the rows the window covers (forecast 0, unchanged).
    rows_closed : int
        Rows in the window while their queue is closed (left at 0).
    starts_inside, ends_inside : pandas.Timestamp or None
        The start of the row the window starts (ends) inside, when it does not start (end) on a row boundary: that
        row is scaled whole.
    """

    scenario: Scenario
    start: pd.Timestamp
    end: pd.Timestamp
    moved: tuple[QueueSpan, ...]
    closed: tuple[str, ...]
    rows_closed: int
    starts_inside: pd.Timestamp | None = None
    ends_inside: pd.Timestamp | None = None

    @property
    def rows_changed(self) -> int:
        """Rows scaled, in open hours only."""
        return sum(span.rows for span in self.moved)

    def as_dict(self, time_zone: str) -> dict[str, Any]:
        """JSON-ready (the forecast's metadata), with the times on the plan's clock."""
        def local(moment: pd.Timestamp | None) -> str | None:
            return None if moment is None else moment.tz_convert(time_zone).isoformat()

        return {"text": self.scenario.text, "factor": round(self.scenario.factor, 6),
                "start_local": local(self.start), "end_local": local(self.end),
                "rows_changed": self.rows_changed, "rows_closed": self.rows_closed,
                "moved": [span.as_dict(time_zone) for span in self.moved], "closed": list(self.closed),
                "starts_inside": local(self.starts_inside), "ends_inside": local(self.ends_inside)}


@dataclass(frozen=True)
class AppliedScenarios:
    """A forecast frame with its scenarios applied, and what they did.

    Attributes
    ----------
    frame : pandas.DataFrame
        The scaled frame (the contacts and their bounds).
    effects : tuple of ScenarioEffect
        One per scenario, in the order given.
    overlaps : tuple of QueueSpan
        Per queue, the rows two or more scenarios scaled, with the largest product of their factors.
    row_minutes : int
        The length of the frame's rows (60: the hourly forecast; the plan's interval: the planning grid).
    """

    frame: pd.DataFrame
    effects: tuple[ScenarioEffect, ...]
    overlaps: tuple[QueueSpan, ...]
    row_minutes: int

    def as_dict(self, time_zone: str, plan_minutes: int | None = None) -> dict[str, Any]:
        """The ``scenario`` section of a forecast's metadata: the scenarios as typed (``texts``, and ``text`` joined
        for older readers), each one's effect, the overlaps, and both row counts (rows scaled, rows in a window while
        their queue is closed)."""
        texts = [effect.scenario.text for effect in self.effects]
        return {"text": "; ".join(texts), "texts": texts,
                "rows_changed": sum(e.rows_changed for e in self.effects),
                "rows_closed": sum(e.rows_closed for e in self.effects),
                "row_minutes": self.row_minutes, "plan_interval_minutes": plan_minutes,
                "applied": [effect.as_dict(time_zone) for effect in self.effects],
                "overlaps": [span.as_dict(time_zone) for span in self.overlaps]}


def _queue_names(frame: pd.DataFrame) -> np.ndarray:
    return (frame["language"].astype(str) + "/" + frame["channel"].astype(str)).to_numpy()


def selected_queues(frame: pd.DataFrame, scenario: Scenario) -> list[str]:
    """The queues of ``frame`` the scenario's selector picks, in order of appearance.

    Raises
    ------
    ValueError
        When it picks none, with the queues it could have picked.
    """
    pairs = frame[["language", "channel"]].drop_duplicates()
    languages, channels = set(pairs["language"]), set(pairs["channel"])
    chosen = [f"{lang}/{chan}" for lang, chan in pairs.itertuples(index=False)
              if scenario.matches(lang, chan, languages, channels)]
    if not chosen:
        names = sorted(f"{lang}/{chan}" for lang, chan in pairs.itertuples(index=False))
        raise ValueError(f"scenario '{scenario.text}': selector '{scenario.selector}' matches no queue; give a "
                         f"channel, a language, language/channel or *; the queues are {', '.join(names)}")
    return chosen


def scenario_masks(frame: pd.DataFrame, scenarios: Sequence[Scenario], time_zone: str, minutes: int) -> np.ndarray:
    """Which rows each scenario scales: its queue selected, the row ``[start, start + minutes)`` overlapping its
    window (the window's naive times read on ``time_zone``).

    Returns
    -------
    numpy.ndarray
        Booleans, one row per scenario, one column per frame row.
    """
    starts = pd.DatetimeIndex(frame["start"])
    ends = starts + pd.Timedelta(minutes=minutes)
    names = _queue_names(frame)
    masks = np.zeros((len(scenarios), len(frame)), dtype=bool)
    for i, scenario in enumerate(scenarios):
        begin, finish = scenario.window_utc(time_zone)
        masks[i] = np.isin(names, selected_queues(frame, scenario)) & (starts < finish) & (ends > begin)
    return masks


def _spans(frame: pd.DataFrame, rows: np.ndarray, minutes: int, factors: np.ndarray) -> tuple[QueueSpan, ...]:
    """Per queue (in order of appearance), the span of the ``rows`` mask."""
    picked = frame.loc[rows, ["language", "channel", "start"]].assign(factor=factors[rows])
    out = []
    for (language, channel), part in picked.groupby(["language", "channel"], sort=False):
        out.append(QueueSpan(f"{language}/{channel}", part["start"].min(),
                             part["start"].max() + pd.Timedelta(minutes=minutes), len(part),
                             float(part["factor"].max())))
    return tuple(out)


def _inside(starts: pd.DatetimeIndex, rows: np.ndarray, moment: pd.Timestamp, minutes: int) -> pd.Timestamp | None:
    """The start of the scaled row ``moment`` falls strictly inside, or None."""
    chosen = starts[rows]
    hit = chosen[(chosen < moment) & (chosen + pd.Timedelta(minutes=minutes) > moment)]
    return None if hit.empty else hit.min()


def apply_scenarios(frame: pd.DataFrame, scenarios: Sequence[Scenario], time_zone: str, *, minutes: int,
                    is_open: np.ndarray | None = None) -> AppliedScenarios:
    """Scale the contacts (and their bounds) of the rows each scenario covers, and say what each one did.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``start`` (UTC), ``language``, ``channel`` and ``contacts*`` columns, one row per queue and ``minutes``.
    scenarios : sequence of Scenario
        All apply; where they meet, their factors multiply.
    time_zone : str
        The plan's clock (a naive scenario start is read on it).
    minutes : int
        The length of a row: 60 for the hourly forecast, the plan's interval on the planning grid.
    is_open : numpy.ndarray, optional
        Per row, whether its queue is open in some minute of it (default: every row); a row closed throughout is
        counted apart and left as it is (0).

    Returns
    -------
    AppliedScenarios

    Raises
    ------
    ValueError
        When a scenario's selector matches no queue of the frame.
    """
    frame = frame.reset_index(drop=True)
    masks = scenario_masks(frame, scenarios, time_zone, minutes)
    opened = np.ones(len(frame), dtype=bool) if is_open is None else np.asarray(is_open, dtype=bool)
    factors = np.array([scenario.factor for scenario in scenarios]).reshape(-1, 1)
    combined = np.where(masks & opened, factors, 1.0).prod(axis=0) if len(scenarios) else np.ones(len(frame))
    out = frame.copy()
    columns = [c for c in out.columns if c.startswith("contacts")]
    out[columns] = out[columns].to_numpy(dtype=float) * combined.reshape(-1, 1)
    starts = pd.DatetimeIndex(frame["start"])
    names = _queue_names(frame)
    effects = []
    for scenario, mask in zip(scenarios, masks, strict=True):
        begin, finish = scenario.window_utc(time_zone)
        scaled = mask & opened
        touched = list(dict.fromkeys(names[mask]))
        closed = tuple(name for name in touched if not scaled[names == name].any())
        own = np.full(len(frame), scenario.factor)
        effects.append(ScenarioEffect(scenario, begin, finish, _spans(frame, scaled, minutes, own), closed,
                                      int((mask & ~opened).sum()), _inside(starts, mask, begin, minutes),
                                      _inside(starts, mask, finish, minutes)))
    several = (masks & opened).sum(axis=0) >= 2
    return AppliedScenarios(out, tuple(effects), _spans(frame, several, minutes, combined), minutes)


def remove_scenarios(frame: pd.DataFrame, scenarios: Sequence[Scenario], time_zone: str) -> pd.DataFrame:
    """Undo scenarios an hourly forecast applied, on a frame of that forecast or of its planning grid.

    A saved scenario forecast (``forecast --scenario``) scaled whole hours; dividing each row by the factor of its
    hour gives the forecast without them back (its closed hours are 0 either way), so that staffing can apply the
    scenarios again on the plan's own intervals and compare.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``start`` (UTC), ``language``, ``channel``, ``contacts*``: the hourly forecast or its split into intervals.
    scenarios : sequence of Scenario
        The scenarios the forecast applied.
    time_zone : str
        The plan's clock.

    Returns
    -------
    pandas.DataFrame
    """
    hours = frame.assign(start=pd.DatetimeIndex(frame["start"]).floor("h"))
    masks = scenario_masks(hours, scenarios, time_zone, 60)
    factors = np.array([scenario.factor for scenario in scenarios]).reshape(-1, 1)
    combined = np.where(masks, factors, 1.0).prod(axis=0) if len(scenarios) else np.ones(len(frame))
    out = frame.copy()
    columns = [c for c in out.columns if c.startswith("contacts")]
    out[columns] = out[columns].to_numpy(dtype=float) / combined.reshape(-1, 1)
    return out


def row_open_mask(queues: Sequence[Any], starts: pd.DatetimeIndex, minutes: int,
                  time_zone: str) -> dict[str, np.ndarray]:
    """Per queue (``language/channel``), whether it is open in some minute of each row ``[start, start + minutes)``,
    read on its own opening clock as the staffing reads it.

    Parameters
    ----------
    queues : sequence of inputs.config.Queue
        The plan's queues.
    starts : pandas.DatetimeIndex
        Row starts (UTC).
    minutes : int
        Row length.
    time_zone : str
        The plan's clock (a queue without ``opening_time_zone`` keeps its hours on it).
    """
    from inputs.opening import open_mask

    every = starts.repeat(minutes) + pd.to_timedelta(np.tile(np.arange(minutes), len(starts)), unit="min")
    return {f"{q.language}/{q.channel}": open_mask(q, every, time_zone).reshape(len(starts), minutes).any(axis=1)
            for q in queues}


def check_scenarios(plan: Any, scenarios: Sequence[Scenario], minutes: int) -> AppliedScenarios:
    """What the scenarios would do to the plan's forecast, before forecasting; refuse one that would change nothing.

    Parameters
    ----------
    plan : inputs.records.Plan
        The plan (queues, opening hours, horizon).
    scenarios : sequence of Scenario
        Parsed scenarios.
    minutes : int
        The rows they will be applied on: 60 for the hourly forecast, the plan's interval for staffing.

    Returns
    -------
    AppliedScenarios
        Of a frame of zeros, for its effects.

    Raises
    ------
    ValueError
        For the first scenario whose selector matches no queue, whose window misses the plan's days, or whose
        queues are closed throughout it: what is wrong and how to fix it.
    """
    horizon = plan.horizon
    starts = pd.date_range(horizon.start_utc, horizon.end_utc, freq=f"{minutes}min", inclusive="left")
    opened = row_open_mask(plan.queues, starts, minutes, horizon.time_zone)
    frame = pd.DataFrame({"start": np.tile(starts, len(plan.queues)),
                          "language": np.repeat([q.language for q in plan.queues], len(starts)),
                          "channel": np.repeat([q.channel for q in plan.queues], len(starts)), "contacts": 0.0})
    is_open = np.concatenate([opened[f"{q.language}/{q.channel}"] for q in plan.queues])
    applied = apply_scenarios(frame, scenarios, horizon.time_zone, minutes=minutes, is_open=is_open)
    for effect in applied.effects:
        if effect.rows_changed:
            continue
        days = f"{horizon.first_day} for {horizon.weeks} week(s), on the plan's clock {horizon.time_zone}"
        if not effect.closed:
            raise ValueError(f"the scenario '{effect.scenario.text}' falls outside the plan's days ({days}), so it "
                             "changes nothing. Give a start within the plan's days")
        begin, end = (moment.tz_convert(horizon.time_zone) for moment in (effect.start, effect.end))
        raise ValueError(f"the scenario '{effect.scenario.text}' changes nothing: {', '.join(effect.closed)} "
                         f"closed throughout it ({begin:%a %d %b %H:%M} to {end:%a %d %b %H:%M}, {horizon.time_zone})."
                         " Give a window when its queues are open, or other queues")
    return applied
