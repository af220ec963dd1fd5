"""The paid minutes a time off stands for: what the plan credits it towards the agent's contract week (pure).

The scheduler counts time off towards the week (:mod:`scheduler.week_limits`): each horizon day on which time off
leaves the agent no shift stands for its share of a contract day (:func:`scheduler.week_limits.time_off_credits`),
and a kept shift that a time off cut short, or took time away from, for the paid minutes it lost
(:func:`scheduler.build.cut_minutes`); the contract's maximum shrinks by both. HR imports these minutes as the
time off rows' ``paid_minutes``, so a 40-hour, 5-day agent with two days of vacation shows 24 hours worked and 16 of
paid leave: the contract week.

The days come from the very functions :func:`scheduler.build.build_problem` calls, in its order (the agent's options
and the days time off blocks, less the days of a kept shift that lost time, then their credits), never from a rule
of this module's own. An agent without a contract (``weekly_max_hours`` at the plan's ``[rules]
weekly_max_hours``) gets none: :func:`scheduler.week_limits.week_limits` leaves their maximum at the plan's and
asks no contract target of them, so it credits their time off nothing. Neither does it credit anyone it does not
plan (an agent with no queue among the plan's).
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from collections.abc import Sequence

import pandas as pd

from inputs.records import Agent, PinnedShift, Plan, TimeOff
from scheduler.build import CutParts, agent_options, cut_minutes
from scheduler.problem import ProblemData
from scheduler.week_limits import time_off_credits

__all__ = ["capped_by_week", "contract_day_minutes", "has_contract", "leave_by_day", "time_off_paid_minutes"]


def has_contract(agent: Agent, plan: Plan) -> bool:
    """Whether the agent has a contract the plan counts time off against: weekly hours below the plan's
    ``[rules] weekly_max_hours`` (as :func:`scheduler.week_limits.week_limits` tells them apart).

    Parameters
    ----------
    agent : Agent
        The agent, with the plan's defaults filled in.
    plan : Plan
        The plan.

    Returns
    -------
    bool
        True when the agent's contract hours are a target of their own.
    """
    return agent.weekly_max_hours < plan.config.rules.weekly_max_hours


def contract_day_minutes(agent: Agent) -> float:
    """A contract day in minutes: ``weekly_max_hours * 60 / max_days_per_week``, as
    :func:`scheduler.week_limits.time_off_credits` counts it (480 for 40 hours in 5 days, 450 for 37.5).

    Parameters
    ----------
    agent : Agent
        The agent.

    Returns
    -------
    float
        Minutes of a contract day.
    """
    return agent.weekly_max_hours * 60 / max(agent.max_days_per_week, 1)


def leave_by_day(plan: Plan, problem: ProblemData) -> dict[int, dict[int, int]]:
    """Return the paid minutes the plan credits each time off for, day by day.

    A horizon day on which time off leaves the agent no shift is worth its credit (its share of a contract day) ×
    :func:`contract_day_minutes`, rounded to the minute (half up); two time off on that day share it by their minutes
    that day (on the agent's clock), the larger remainders taking the odd minutes, so the day's total stays whole. A
    kept shift of a re-plan that time off cut short or took time away from is worth the paid minutes it lost, shared
    the same way by the time off's minutes during the whole shift (none when no time off of the plan meets the whole
    shift: a cut an earlier re-plan made, whose time off has left the file). Days outside the horizon count nothing.

    Parameters
    ----------
    plan : Plan
        The plan (agents, time off, pins, templates, horizon).
    problem : ProblemData
        The problem the roster answers (who the plan schedules).

    Returns
    -------
    dict of int to dict of int to int
        Index of the time off in ``plan.time_off`` -> horizon day -> paid minutes; a time off that is credited
        nothing is left out.
    """
    horizon = plan.horizon
    planned = {agent.employee_id for agent in problem.agents}
    absences: dict[str, list[int]] = {}
    for index, absence in enumerate(plan.time_off):
        absences.setdefault(absence.employee_id, []).append(index)
    pins: dict[str, list[PinnedShift]] = {}
    for pin in plan.pinned:
        pins.setdefault(pin.employee_id, []).append(pin)
    templates = list(plan.config.shift_templates)
    template_index = {template.name: i for i, template in enumerate(templates)}
    cut_parts: CutParts | None = None
    leave: dict[int, dict[int, int]] = {}
    for agent in plan.agents:
        own = absences.get(agent.employee_id, [])
        if not own or agent.employee_id not in planned or not has_contract(agent, plan):
            continue
        own_absences = [plan.time_off[i] for i in own]
        near = (horizon.start_utc - pd.Timedelta(days=1), horizon.end_utc + pd.Timedelta(days=1))
        if not any(_overlap_minutes(absence, *near) for absence in own_absences):
            continue  # none near the plan's days on any clock: it blocks no day and cuts no kept shift
        if cut_parts is None:
            cut_parts = CutParts(plan, templates)
        # as build_problem: the days time off blocks, less the days of a kept shift that lost time to it
        _, blocked = agent_options(agent, plan, templates, own_absences)
        lost_by_pin = [(pin, cut_minutes([pin], agent, horizon, templates, template_index, cut_parts))
                       for pin in pins.get(agent.employee_id, [])]
        cut_days = {day for _, lost in lost_by_pin for day in lost}
        credits = time_off_credits(agent, horizon, own_absences, blocked - cut_days)
        contract_day = contract_day_minutes(agent)
        zone = zoneinfo.ZoneInfo(agent.time_zone)
        parts: list[tuple[int, int, list[float]]] = []  # (day, minutes, each time off's weight in sharing them)
        for day, credit in credits.items():
            start, end = _local_day_utc(horizon.first_day + dt.timedelta(days=day), zone)
            parts.append((day, math.floor(credit * contract_day + 0.5),
                          [_overlap_minutes(a, start, end) for a in own_absences]))
        for pin, lost in lost_by_pin:
            whole = pin.cut_from
            parts.extend((day, minutes, [_overlap_minutes(a, whole.start_utc, whole.end_utc) for a in own_absences])
                         for day, minutes in lost.items())
        for day, minutes, weights in capped_by_week(parts, round(agent.weekly_max_hours * 60)):
            _add(leave, own, day, split_minutes(minutes, weights))
    return leave


def capped_by_week(parts: Sequence[tuple[int, int, list[float]]], contract_week_minutes: int
                   ) -> list[tuple[int, int, list[float]]]:
    """The day parts of one agent's paid leave with each horizon week's total capped at the contract's week: the days
    in order, each taking what the week has left (a vacation from Monday to Sunday of a 40-hour, 5-day contract is
    five days of 480 and a weekend of 0, not 3,360 minutes: payroll pays the contract week, as the scheduler's weekly
    maximum, which time off shrinks to 0 and no further, counts it).

    Parameters
    ----------
    parts : sequence of (int, int, list of float)
        (horizon day, paid minutes, the weights that share them among the day's time off).
    contract_week_minutes : int
        The contract's paid minutes a week.

    Returns
    -------
    list of (int, int, list of float)
        The same parts in day order, minutes capped.
    """
    left: dict[int, int] = {}
    capped = []
    for day, minutes, weights in sorted(parts, key=lambda part: part[0]):
        week_left = left.get(day // 7, contract_week_minutes)
        taken = min(minutes, week_left)
        left[day // 7] = week_left - taken
        capped.append((day, taken, weights))
    return capped


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


def _add(leave: dict[int, dict[int, int]], indices: list[int], day: int, shares: list[int]) -> None:
    for index, minutes in zip(indices, shares, strict=True):
        if minutes:
            days = leave.setdefault(index, {})
            days[day] = days.get(day, 0) + minutes


def _local_day_utc(date: dt.date, zone: zoneinfo.ZoneInfo) -> tuple[pd.Timestamp, pd.Timestamp]:
    """A local day of the agent's, from midnight to midnight, as UTC instants (as
    :func:`scheduler.week_limits.time_off_credits` measures the time off of a day)."""
    start, end = (pd.Timestamp(dt.datetime.combine(day, dt.time(0), tzinfo=zone)).tz_convert("UTC")
                  for day in (date, date + dt.timedelta(days=1)))
    return start, end


def _overlap_minutes(absence: TimeOff, start: pd.Timestamp, end: pd.Timestamp) -> float:
    """Minutes of the time off within ``[start, end)``."""
    return max(pd.Timedelta(0), min(end, absence.end_utc) - max(start, absence.start_utc)) / pd.Timedelta(minutes=1)
