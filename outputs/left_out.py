"""The roster's facts on what it leaves out, in a team lead's words: agents without a shift, and why; requirements no
shift can reach, and when (:mod:`scheduler.idle` finds them; here they get names, local times and fixes)."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from inputs.records import Plan
from scheduler.idle import Unscheduled, unreachable_demand, unscheduled_agents
from scheduler.problem import ProblemData
from scheduler.result import Result

__all__ = ["UNHIRED_COLUMNS", "UNREACHED_COLUMNS", "UNSCHEDULED_COLUMNS", "describe_intervals", "unhired_facts",
           "unreachable_facts", "unscheduled_facts"]

#: The columns of ``facts["unscheduled"]`` (the Summary sheet's table of agents without a shift).
UNSCHEDULED_COLUMNS = ("employee_id", "name", "reason", "detail")
#: The columns of ``facts["unhired"]``: per open-position profile with heads not hired, how many and why (the first
#: such head's reason: the heads of a profile share skills, contract and templates).
UNHIRED_COLUMNS = ("profile", "not_hired", "reason", "detail")
#: The columns of ``facts["unreachable"]``: per queue, the agent-hours no shift reaches, and when.
UNREACHED_COLUMNS = ("queue", "agent_hours", "when")


def unscheduled_facts(plan: Plan, problem: ProblemData, result: Result) -> list[list[str]]:
    """One row per named agent the roster gives no shift (:data:`UNSCHEDULED_COLUMNS`), in the plan's order.

    ``reason`` is one of :data:`scheduler.idle.REASONS`; ``detail`` says it with the agent's own figures and what
    would change it.
    """
    if result.roster is None:
        return []
    coverage = result.coverage if result.coverage is not None else result.roster.coverage(problem)
    names = {agent.employee_id: agent.name for agent in plan.agents}
    hours = plan.horizon.interval_minutes / 60
    return [[problem.agents[item.agent].employee_id,
             names.get(problem.agents[item.agent].employee_id, problem.agents[item.agent].name), item.reason,
             _detail(problem, item, hours)] for item in unscheduled_agents(problem, result.roster, coverage)]


def unhired_facts(problem: ProblemData, result: Result) -> list[list[object]]:
    """Per open-position profile with heads the roster does not hire (:data:`UNHIRED_COLUMNS`), in plan order."""
    if result.roster is None:
        return []
    coverage = result.coverage if result.coverage is not None else result.roster.coverage(problem)
    hours = problem.interval_minutes / 60
    rows: dict[str, list[object]] = {}
    for item in unscheduled_agents(problem, result.roster, coverage, open_positions=True):
        profile = problem.agents[item.agent].profile
        if profile in rows:
            rows[profile][1] = int(rows[profile][1]) + 1
        else:
            rows[profile] = [profile, 1, item.reason, _detail(problem, item, hours)]
    return list(rows.values())


def _detail(problem: ProblemData, item: Unscheduled, hours: float) -> str:
    """The reason of ``item`` with the agent's own figures and what would change it."""
    agent = problem.agents[item.agent]
    queues = ", ".join(problem.queue_names[q] for q in problem.groups[agent.group])
    where = "[[open_positions]] in shiftplan.toml" if agent.is_open_position else "agents.csv"
    if item.reason == "no shift possible":
        return ("no shift is possible: their time off, available days and hours, and templates leave none in "
                f"the plan's days (see {where} and time_off.csv)")
    if item.reason == "rules collide":
        lengths = sorted({option.paid_minutes for option in agent.options})
        paid = ", ".join(f"{minutes / 60:g}" for minutes in lengths)
        rules = "; ".join(rule for rule in item.rules if rule != "working at least one shift")
        return (f"their own rules cannot all hold once they work: {rules}, with shifts of {paid} h paid. Fix: "
                f"their contract's hours in {where}, or their templates")
    if item.reason == "no requirement reached":
        return (f"none of their possible shifts meets a requirement of their queues ({queues}): their available "
                "days and hours fall when those queues need nobody")
    if item.reason == "not needed":
        return f"not needed: colleagues meet every requirement ({queues}) their shifts could meet"
    return (f"left out although their shifts reach {item.short_intervals * hours:,.1f} agent-h of {queues} "
            "still short: within the time limit the search found no week of their rules that removes more "
            "under-staffing than it costs (a longer time limit may)")


def unreachable_facts(plan: Plan, problem: ProblemData) -> list[list[object]]:
    """Per queue with required agents no shift of any agent or open position reaches (:data:`UNREACHED_COLUMNS`):
    the agent-hours, and when, in the plan's time zone."""
    missed = unreachable_demand(problem)
    horizon = plan.horizon
    local = horizon.intervals_utc.tz_convert(horizon.time_zone).tz_localize(None)
    rows: list[list[object]] = []
    for q, name in enumerate(problem.queue_names):
        mask = missed[q, :len(local)] > 0
        if mask.any():
            agent_hours = float(missed[q].sum()) * horizon.interval_minutes / 60
            rows.append([name, agent_hours, describe_intervals(local, mask, horizon.interval_minutes)])
    return rows


def describe_intervals(starts: pd.DatetimeIndex, mask: np.ndarray, interval_minutes: int, most: int = 3) -> str:
    """The intervals of ``mask`` as a team lead reads them: runs of clock time grouped by their hours, the commonest
    first (``02:00-05:00 on 7 days (Mon 2026-11-30 to Sun 2026-12-06)``; ``Wed 2026-12-02 00:00-24:00``), at most
    ``most`` groups; with more groups, all within their days, the span they fall in (``84 periods on 14 days (Mon
    2026-11-30 to Sun 2026-12-13), all between 00:30 and 06:00``); else the first ``most`` and ``and N more
    periods``."""
    runs: list[tuple[pd.Timestamp, pd.Timestamp]] = []
    step = pd.Timedelta(minutes=interval_minutes)
    for i in np.flatnonzero(mask).tolist():
        if runs and i > 0 and mask[i - 1]:  # (the next interval: across a clock change too)
            runs[-1] = (runs[-1][0], starts[i])
        else:
            runs.append((starts[i], starts[i]))
    by_hours: dict[tuple[str, str], list[pd.Timestamp]] = {}
    for first, last in runs:
        end = last + step
        hours = (f"{first:%H:%M}", "24:00" if end.normalize() > first.normalize() and end == end.normalize()
                 else f"{end:%H:%M}")
        if end - first > pd.Timedelta(days=1) or (end.normalize() > first.normalize() and end != end.normalize()):
            hours = (f"{first:%a %Y-%m-%d %H:%M}", f"{end:%a %Y-%m-%d %H:%M}")
        by_hours.setdefault(hours, []).append(first)
    counts = Counter({hours: len(days) for hours, days in by_hours.items()})
    if len(counts) > most and all(len(begin) == 5 for begin, _ in counts):  # many periods within days: their span
        days = sorted({first.normalize() for first, _ in runs})
        earliest = min(begin for begin, _ in counts)
        latest = max(end for _, end in counts)
        return (f"{len(runs)} periods on {len(days)} days ({days[0]:%a %Y-%m-%d} to {days[-1]:%a %Y-%m-%d}), all "
                f"between {earliest} and {latest}")
    parts = []
    for (begin, end), count in counts.most_common(most):
        days = by_hours[begin, end]
        if len(begin) > 5:  # a run across midnight or longer than a day: its own dates
            parts.append(f"{begin} to {end}" + (f" and {count - 1} more such" if count > 1 else ""))
        elif count == 1:
            parts.append(f"{days[0]:%a %Y-%m-%d} {begin}-{end}")
        else:
            parts.append(f"{begin}-{end} on {count} days ({days[0]:%a %Y-%m-%d} to {days[-1]:%a %Y-%m-%d})")
    rest = sum(counts.values()) - sum(count for _, count in counts.most_common(most))
    return "; ".join(parts) + (f"; and {rest} more period{'s' if rest > 1 else ''}" if rest else "")
