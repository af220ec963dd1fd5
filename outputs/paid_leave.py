"""The paid minutes a time off stands for: what the plan credits it towards the agent's contract week (pure).

The scheduler decides how much paid leave each day of time off is worth (:func:`scheduler.week_limits.
paid_leave_minutes`, kept per agent as :attr:`scheduler.problem.AgentData.leave_minutes`): a contract day's share
for each day on which time off leaves the agent no shift, the paid minutes a kept shift lost to a time off, each week
at most the contract's week, none for an agent without a contract. This module only shares each day's minutes among
the agent's time off rows of that day, so HR's rows carry them: a 40-hour, 5-day agent with two days of vacation shows
24 hours worked and 16 of paid leave, the contract week.
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from collections.abc import Sequence

import pandas as pd

from inputs.records import PinnedShift, Plan, TimeOff
from scheduler.problem import ProblemData

__all__ = ["leave_by_day", "split_minutes", "time_off_paid_minutes"]


def leave_by_day(plan: Plan, problem: ProblemData) -> dict[int, dict[int, int]]:
    """Return the paid minutes the plan credits each time off for, day by day.

    Each day of an agent's :attr:`~scheduler.problem.AgentData.leave_minutes` is shared among the agent's time off by
    their minutes that day on the agent's clock (the larger remainders taking the odd minutes, so the day's total
    stays whole); a day whose kept shift a time off cut short or took time away from, by their minutes during the
    whole shift. A day no time off of the plan meets (a cut an earlier re-plan made, whose time off has left the
    file) is shared by none.

    Parameters
    ----------
    plan : Plan
        The plan (time off, pins, horizon).
    problem : ProblemData
        The problem the roster answers (each agent's paid leave by day).

    Returns
    -------
    dict of int to dict of int to int
        Index of the time off in ``plan.time_off`` -> horizon day -> paid minutes; a time off that is credited
        nothing is left out.
    """
    horizon = plan.horizon
    absences: dict[str, list[int]] = {}
    for index, absence in enumerate(plan.time_off):
        absences.setdefault(absence.employee_id, []).append(index)
    cut_shifts: dict[tuple[str, int], list[PinnedShift]] = {}
    for pin in plan.pinned:  # the whole shift of a kept shift cut short, by agent and horizon day
        if pin.cut_from is not None:
            cut_shifts.setdefault((pin.employee_id, (pin.day - horizon.first_day).days), []).append(pin.cut_from)
    leave: dict[int, dict[int, int]] = {}
    for agent in problem.agents:
        own = absences.get(agent.employee_id, [])
        if not own or not agent.leave_minutes:
            continue
        own_absences = [plan.time_off[i] for i in own]
        zone = zoneinfo.ZoneInfo(agent.time_zone)
        for day, minutes in sorted(agent.leave_minutes.items()):
            wholes = cut_shifts.get((agent.employee_id, day))
            if wholes:
                weights = [sum(_overlap_minutes(a, w.start_utc, w.end_utc) for w in wholes) for a in own_absences]
            else:
                start, end = _local_day_utc(horizon.first_day + dt.timedelta(days=day), zone)
                weights = [_overlap_minutes(a, start, end) for a in own_absences]
            for index, share in zip(own, split_minutes(minutes, weights), strict=True):
                if share:
                    days = leave.setdefault(index, {})
                    days[day] = days.get(day, 0) + share
    return leave


def time_off_paid_minutes(plan: Plan, problem: ProblemData) -> dict[int, int]:
    """Return the paid minutes the plan credits each time off for, over the horizon (:func:`leave_by_day`).

    Parameters
    ----------
    plan : Plan
        The plan.
    problem : ProblemData
        The problem the roster answers.

    Returns
    -------
    dict of int to int
        Index of the time off in ``plan.time_off`` -> paid minutes; one credited nothing is left out (0).
    """
    return {index: sum(days.values()) for index, days in leave_by_day(plan, problem).items()}


def split_minutes(total: int, weights: Sequence[float]) -> list[int]:
    """Share ``total`` whole minutes by ``weights``: each its floor, then one more to the largest remainders (the
    first on a tie) until the shares add up to ``total``; all 0 when the weights are.

    Parameters
    ----------
    total : int
        Minutes to share.
    weights : sequence of float
        Each part's weight (minutes), not negative.

    Returns
    -------
    list of int
        One share per weight, adding up to ``total`` (or all 0).
    """
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    exact = [total * weight / whole for weight in weights]
    shares = [math.floor(value) for value in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: (shares[i] - exact[i], i))
    for i in by_remainder[:total - sum(shares)]:
        shares[i] += 1
    return shares


def _local_day_utc(date: dt.date, zone: zoneinfo.ZoneInfo) -> tuple[pd.Timestamp, pd.Timestamp]:
    """A local day of the agent's, from midnight to midnight, as UTC instants (as
    :func:`scheduler.week_limits.time_off_credits` measures the time off of a day)."""
    start, end = (pd.Timestamp(dt.datetime.combine(day, dt.time(0), tzinfo=zone)).tz_convert("UTC")
                  for day in (date, date + dt.timedelta(days=1)))
    return start, end


def _overlap_minutes(absence: TimeOff, start: pd.Timestamp, end: pd.Timestamp) -> float:
    """Minutes of the time off within ``[start, end)``."""
    return max(pd.Timedelta(0), min(end, absence.end_utc) - max(start, absence.start_utc)) / pd.Timedelta(minutes=1)
