"""An agent's limits for each week of the plan, with their time off counted against the contract.

Time off is paid (vacation, sick leave, training) or at least agreed (other leave): a whole day of it stands for one of
the contract's days. A week with two days of vacation for a 40-hour, 5-day contract therefore asks and allows
3 working days and 24 paid hours, not 5 days and 40 hours on top of the vacation (which HR would pay as 56 hours).
And a day of time off is no day of rest: the plan's days off a week are taken on other days. Time off of part of a
day that still leaves no shift possible (a four-hour training the agent's templates cannot fit around) takes the day
from the week's working days (and from its minimum and target), and its hours (at most a contract day's) from the
week's maximum.
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass

import pandas as pd

from inputs.config import LabourRules
from inputs.records import Agent, Horizon, TimeOff


@dataclass(frozen=True, slots=True)
class WeekLimits:
    """One agent's limits per horizon week.

    Attributes
    ----------
    min_minutes : tuple of int
        Fewest paid minutes once scheduled.
    max_minutes : tuple of int
        Most paid minutes: the contract's less its time off, and never above the plan's ``weekly_max_hours``.
    target_minutes : tuple of int
        Contracted paid minutes (0 without a contract below the plan's maximum).
    max_days : tuple of int
        Most working days: the week's days less its days of time off.
    overtime_from_minutes : tuple of int
        Paid minutes above which the week's work is overtime: the contract's maximum less its time off (empty: no
        overtime allowed).
    """

    min_minutes: tuple[int, ...]
    max_minutes: tuple[int, ...]
    target_minutes: tuple[int, ...]
    max_days: tuple[int, ...]
    overtime_from_minutes: tuple[int, ...] = ()


def time_off_credits(agent: Agent, horizon: Horizon, absences: Iterable[TimeOff], days_off_work: Set[int]
                     ) -> dict[int, float]:
    """Return the share of a contract day each day of ``days_off_work`` stands for: the agent's time off during the
    day (on the agent's own clock), over a contract day (``weekly_max_hours / max_days_per_week``), at most 1.

    A whole day of vacation is 1; a four-hour training on a 7.5-hour contract day is 0.53.

    Parameters
    ----------
    agent : Agent
        The agent.
    horizon : Horizon
        The plan's horizon.
    absences : iterable of TimeOff
        The agent's time off.
    days_off_work : set of int
        Horizon days on which time off leaves the agent no shift.

    Returns
    -------
    dict of int to float
        Horizon day -> its share of a contract day.
    """
    zone = zoneinfo.ZoneInfo(agent.time_zone)
    contract_day = agent.weekly_max_hours * 60 / max(agent.max_days_per_week, 1)
    absences = list(absences)
    credits: dict[int, float] = {}
    for day in days_off_work:
        date = horizon.first_day + dt.timedelta(days=day)
        start, end = (pd.Timestamp(dt.datetime.combine(d, dt.time(0), tzinfo=zone)).tz_convert("UTC")
                      for d in (date, date + dt.timedelta(days=1)))
        minutes = sum(max(pd.Timedelta(0), min(end, a.end_utc) - max(start, a.start_utc)) / pd.Timedelta(minutes=1)
                      for a in absences)
        credits[day] = min(1.0, minutes / contract_day) if contract_day > 0 else 1.0
    return credits


def paid_leave_minutes(agent: Agent, rules: LabourRules, credits: Mapping[int, float],
                       cut_minutes: Mapping[int, int]) -> dict[int, int]:
    """Horizon day -> the paid minutes of time off the plan credits the agent that day (what HR pays as leave): a
    credited day's share of a contract day (:func:`time_off_credits`, rounded half up), and a kept shift's paid
    minutes lost to a time off; each week at most the contract's week, its days in order (a vacation from Monday to
    Sunday on a 40-hour, 5-day contract pays five days of 480, the weekend 0, as the weekly maximum, which time off
    shrinks to 0 and no further, counts it). None for an agent without a contract below the plan's
    ``weekly_max_hours``: :func:`week_limits` counts no time off against their week.

    Parameters
    ----------
    agent : Agent
        The agent.
    rules : LabourRules
        The plan's labour rules.
    credits : mapping of int to float
        Horizon day -> its share of a contract day (:func:`time_off_credits`).
    cut_minutes : mapping of int to int
        Horizon day -> paid minutes a time off took from the agent's kept shift that day.

    Returns
    -------
    dict of int to int
        Days with paid leave (none with 0).
    """
    if agent.weekly_max_hours >= rules.weekly_max_hours:
        return {}
    contract_day = agent.weekly_max_hours * 60 / max(agent.max_days_per_week, 1)
    by_day = {day: math.floor(credit * contract_day + 0.5) for day, credit in credits.items()}
    for day, minutes in cut_minutes.items():
        by_day[day] = by_day.get(day, 0) + minutes
    left: dict[int, int] = {}
    leave: dict[int, int] = {}
    for day in sorted(by_day):
        week_left = left.get(day // 7, round(agent.weekly_max_hours * 60))
        taken = min(by_day[day], week_left)
        left[day // 7] = week_left - taken
        if taken > 0:
            leave[day] = taken
    return leave


def days_limit(agent: Agent, rules: LabourRules, overtime_days: int = 0) -> int:
    """Most working days a week: the contract's, and 7 less the plan's days off, whichever is fewer; with
    ``overtime_days`` that many more, on the plan's days off too (a call-in on a rest day, paid as overtime), but one
    day a week always stays off (unless the plan asks none off).

    Parameters
    ----------
    agent : Agent
        The agent.
    rules : LabourRules
        The plan's labour rules.
    overtime_days : int, optional
        Working days a week the run's overtime adds (0: none).

    Returns
    -------
    int
        Days.
    """
    regular = min(agent.max_days_per_week, 7 - rules.min_days_off_per_week)
    if overtime_days <= 0:
        return regular
    return min(regular + overtime_days, max(6, 7 - rules.min_days_off_per_week))


def week_limits(agent: Agent, rules: LabourRules, num_weeks: int, days_off_work: Mapping[int, float],
                unlisted_days: Set[int], cut_minutes: Mapping[int, int], pinned_minutes: Mapping[int, int],
                overtime_hours: float = 0.0, overtime_days: int = 0, overtime_weeks: int | None = None) -> WeekLimits:
    """Return the agent's weekly minimum, maximum, target and working days for each horizon week.

    A whole day of time off counts as a contract day: the minimum, the target and the contract's maximum shrink by
    its share of the contract's days (``max_days_per_week``), and it takes one of the week's working days. A day
    that time off of some hours leaves without a shift is lost to work all the same: it takes a working day and
    shrinks the minimum and the target by a whole day (they ask nothing the agent cannot work), but the maximum by
    its hours only (:func:`time_off_credits`), the paid time it stands for. The plan's own ``weekly_max_hours`` caps
    hours worked and does not shrink. A day before a re-plan's cut that the
    kept roster does not list (an agent new to it) shrinks the minimum and the target the same way, so as not to
    ask for hours the agent could not work, but it is no time off: the maximum and the days stay. A kept shift that
    a time off cut short is a worked day whose lost paid minutes shrink the minimum, the target and the contract's
    maximum.

    Pinned shifts stand: time off shrinks a week's maximum and days no further than its pinned shifts (an agent
    who worked Monday to Wednesday of a kept roster and is sick from Thursday works no more that week, but is no
    infeasible plan); only the week's own limits, before time off, bind the pins.

    Overtime (``overtime_hours`` above 0, an agent with a contract below the plan's ``weekly_max_hours``): the week
    may hold that many paid hours more than the contract's maximum less its time off (never more than the plan's
    ``weekly_max_hours``), and ``overtime_days`` working days more (:func:`days_limit`: on the plan's days off too,
    one day a week always off; fewer by the week's days of time off); the minutes above that maximum are the
    week's overtime (:attr:`WeekLimits.overtime_from_minutes`).

    Parameters
    ----------
    agent : Agent
        The agent, with the plan's defaults filled in.
    rules : LabourRules
        The plan's labour rules.
    num_weeks : int
        Weeks in the horizon.
    days_off_work : mapping of int to float
        Horizon day on which time off leaves the agent no shift -> the share of a contract day it stands for.
    unlisted_days : set of int
        Horizon days before a re-plan's cut that the kept roster does not list for the agent.
    cut_minutes : mapping of int to int
        Horizon day -> paid minutes a time off took from the agent's kept shift that day.
    pinned_minutes : mapping of int to int
        Horizon day -> paid minutes of the agent's pinned shift that day.
    overtime_hours : float, optional
        Paid hours a week the agent may work above the contract (0: none).
    overtime_days : int, optional
        Working days a week the agent may work above the contract's (0: none).
    overtime_weeks : int, optional
        Overtime only in the first this many horizon weeks (``[rules] overtime_until``; None: every week).

    Returns
    -------
    WeekLimits
        The limits, one value per week.
    """
    days = max(agent.max_days_per_week, 1)
    legal_max = int(rules.weekly_max_hours * 60)
    has_contract = agent.weekly_max_hours < rules.weekly_max_hours
    with_overtime = has_contract and (overtime_hours > 0 or overtime_days > 0)
    weeks_with = {week for week in range(num_weeks)  # the weeks overtime may fall in
                  if with_overtime and (overtime_weeks is None or week < overtime_weeks)}
    extra_minutes = round(overtime_hours * 60)
    plain_limit = days_limit(agent, rules)
    overtime_limit = days_limit(agent, rules, overtime_days)
    contract_max = int(agent.weekly_max_hours * 60)
    minimum: list[int] = []
    shrunk_max: list[float] = []
    target: list[int] = []
    off_days: list[int] = []
    for week in range(num_weeks):
        in_week = range(week * 7, week * 7 + 7)
        credit = sum(days_off_work[d] for d in in_week if d in days_off_work)
        lost = sum(1 for d in in_week if d in days_off_work or d in unlisted_days)
        share = max(0.0, 1 - lost / days)  # whole days: the minimum asks nothing of a day the agent cannot work
        minimum.append(int(agent.weekly_min_hours * 60 * share))
        target.append(int(agent.weekly_max_hours * 60 * share) if has_contract else 0)
        shrunk_max.append(contract_max * max(0.0, 1 - credit / days))
        off_days.append(sum(1 for d in in_week if d in days_off_work))
    for day, minutes in cut_minutes.items():
        week = day // 7
        minimum[week] = max(0, minimum[week] - minutes)
        target[week] = max(0, target[week] - minutes)
        shrunk_max[week] = max(0.0, shrunk_max[week] - minutes)
    maximum: list[int] = []
    regular: list[int] = []
    max_days: list[int] = []
    for week in range(num_weeks):
        pinned = [minutes for day, minutes in pinned_minutes.items() if day // 7 == week]
        if has_contract:
            floor = max(math.floor(shrunk_max[week] + 1e-9), sum(pinned))
            regular.append(min(legal_max, contract_max, floor))
            maximum.append(min(legal_max, regular[-1] + (extra_minutes if week in weeks_with else 0)))
        else:
            maximum.append(legal_max)
        day_limit = overtime_limit if week in weeks_with else plain_limit
        max_days.append(min(day_limit, max(day_limit - off_days[week], len(pinned))))
    return WeekLimits(tuple(minimum), tuple(maximum), tuple(target), tuple(max_days),
                      tuple(regular) if weeks_with else ())
