"""The roster's facts on what it leaves out, in a team lead's words: agents without a shift, and why; requirements no
shift can reach, and when (:mod:`scheduler.idle` finds them; here they get names, local times and fixes)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from inputs.config import WEEKDAYS
from inputs.records import Plan
from outputs.replan_cut import cut_utc, report_cut
from scheduler.idle import Unscheduled, at_the_edges, reachable, unreachable_demand, unscheduled_agents
from scheduler.problem import ProblemData
from scheduler.result import Result

__all__ = ["BEFORE_CUT", "KEPT_PART", "NO_SHIFT", "NO_SKILL", "PLAN_EDGE", "UNHIRED_COLUMNS", "UNREACHED_COLUMNS",
           "UNSCHEDULED_COLUMNS", "clock_bands", "describe_intervals", "profile_queue_facts", "shortfall_lines",
           "team_verdict", "under_hours_by_queue", "unhired_facts", "unreachable_facts", "unscheduled_facts"]

#: The columns of ``facts["unscheduled"]`` (the Summary sheet's table of agents without a shift).
UNSCHEDULED_COLUMNS = ("employee_id", "name", "reason", "detail")
#: The columns of ``facts["unhired"]``: per open-position profile with heads not hired, how many and why (the first
#: such head's reason: the heads of a profile share skills, contract and templates).
UNHIRED_COLUMNS = ("profile", "not_hired", "reason", "detail")
#: The columns of ``facts["unreachable"]``: per queue, the agent-hours no shift reaches, when, and where (a
#: result saved before ``where`` was written has three).
UNREACHED_COLUMNS = ("queue", "agent_hours", "when", "where")
#: ``where`` of an unreachable row: no agent of the plan, named or open position, has the queue's language and
#: channel, so no shift serves it whatever its times: a hire or an agent with those skills would (a result saved
#: before :data:`NO_SKILL` was written has such rows as :data:`NO_SHIFT`) ...
NO_SKILL = "no agent has the skills"
#: ... or agents have the skills, but no shift of theirs spans those times, whatever the team's size ...
NO_SHIFT = "no shift reaches"
#: ... or only because the plan starts or ends there (:func:`scheduler.idle.at_the_edges`): a shift of the previous
#: or next plan would reach them.
PLAN_EDGE = "plan's start or end"
#: ... or only because a re-plan keeps the roster before its cut (``solve --keep-before``): just after the cut, where
#: only a shift started before it would reach them (in a result saved before :data:`BEFORE_CUT` was written, the
#: kept days too).
KEPT_PART = "kept by the re-plan"
#: ... or before a re-plan's cut, whatever the cause: the kept roster, worked or under way by then, stands there, and
#: no re-plan can change it.
BEFORE_CUT = "before the re-plan's cut"


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
    rows = []
    for item in unscheduled_agents(problem, result.roster, coverage):
        employee_id = problem.agents[item.agent].employee_id
        detail = _detail(problem, item, hours, optimal=result.status == "OPTIMAL")
        if item.reason == "no shift possible":
            detail = _no_shift_detail(plan, employee_id) or detail
        elif item.reason == "no requirement reached":
            detail = _no_requirement_detail(plan, problem, item.agent)
        rows.append([employee_id, names.get(employee_id, problem.agents[item.agent].name), item.reason, detail])
    return rows


def _no_shift_detail(plan: Plan, employee_id: str) -> str | None:
    """Why a named agent has no shift option, in the plan's own terms: their time off in the plan's days (kind and
    dates, local), and the weekdays they are not available; None when neither is the cause (their templates, say)."""
    agent = next((agent for agent in plan.agents if agent.employee_id == employee_id), None)
    if agent is None:
        return None
    horizon = plan.horizon
    first = pd.Timestamp(horizon.first_day).tz_localize(agent.time_zone)
    last = first + pd.Timedelta(days=7 * horizon.weeks)
    absences = [off for off in plan.time_off if off.employee_id == employee_id and off.start_utc < last
                and off.end_utc > first]
    parts = []
    for off in sorted(absences, key=lambda off: off.start_utc)[:3]:
        start = max(off.start_utc, first).tz_convert(agent.time_zone)
        end = (min(off.end_utc, last) - pd.Timedelta(minutes=1)).tz_convert(agent.time_zone)
        parts.append(f"{off.kind} {start:%Y-%m-%d}" + ("" if end.date() == start.date() else f" to {end:%Y-%m-%d}"))
    if len(absences) > 3:
        parts.append(f"and {len(absences) - 3} more")
    away = sorted(set(range(7)) - set(agent.available_weekdays))
    if away and len(away) < 7:
        parts.append(f"not available on {';'.join(WEEKDAYS[d] for d in away)} (available_weekdays)")
    if not parts:
        return None
    return f"no shift is possible in the plan's days: {', '.join(parts)} (see time_off.csv and agents.csv)"


def _no_requirement_detail(plan: Plan, problem: ProblemData, a: int, where: str = "agents.csv") -> str:
    """Why none of agent ``a``'s shifts meets a requirement, with the times: when their shifts could run and when
    their queues need agents, both on the plan's clock (and the agent's own zone, where their templates are read,
    when it is another)."""
    agent = problem.agents[a]
    queues = problem.groups[agent.group]
    horizon = plan.horizon
    local = horizon.intervals_utc.tz_convert(horizon.time_zone).tz_localize(None)
    num_t = len(local)
    spans = np.zeros(num_t, dtype=bool)
    for option in agent.options:
        spans[max(option.start, 0):max(min(option.end, num_t), 0)] = True
    needed = (problem.demand[list(queues), :num_t] > 0).any(axis=0)
    names = ", ".join(problem.queue_names[q] for q in queues)
    zone = ("" if agent.time_zone == horizon.time_zone else
            f"; their templates are read on their own clock, {agent.time_zone}")
    shift_clock, need_clock = (_clock_minutes(local, mask, horizon.interval_minutes) for mask in (spans, needed))
    if shift_clock.any() and need_clock.any() and not (shift_clock & need_clock).any():  # apart on every day
        shifts, need = (" or ".join(_band_text(band) for band in clock_bands(local, mask, horizon.interval_minutes))
                        for mask in (spans, needed))
    else:  # the same hours of the day, on other days (or none at all): the dates say it
        shifts = describe_intervals(local, spans, horizon.interval_minutes) if spans.any() else "nowhere in the plan"
        need = (describe_intervals(local, needed, horizon.interval_minutes) if needed.any()
                else "never in this plan")
    return (f"none of their possible shifts meets a requirement of their queues ({names}): their shifts could run "
            f"{shifts}, and those queues need agents {need} (both on the plan's clock, {horizon.time_zone}{zone}). "
            f"Fix: their templates, time zone or available hours in {where}, or the queues' opening hours")


def clock_bands(starts: pd.DatetimeIndex, mask: np.ndarray, interval_minutes: int) -> list[tuple[int, int]]:
    """The times of day ``mask`` covers on any of its days, as ``(first minute, end minute)`` bands of the clock in
    order, a band across midnight joined into one (its end past 1440): ``[(1380, 1860)]`` is 23:00-07:00.

    Parameters
    ----------
    starts : pandas.DatetimeIndex
        Each interval's start on the clock to read (naive local times).
    mask : numpy.ndarray
        Booleans, one per interval.
    interval_minutes : int
        The grid.
    """
    day_minutes = 24 * 60
    covered = _clock_minutes(starts, mask, interval_minutes)
    if covered.all():
        return [(0, day_minutes)]
    edges = np.flatnonzero(np.diff(np.concatenate(([0], covered.astype(np.int8), [0]))))
    bands = [(int(first), int(end)) for first, end in zip(edges[::2], edges[1::2], strict=True)]
    if len(bands) > 1 and bands[0][0] == 0 and bands[-1][1] == day_minutes:  # across midnight: one band
        bands = [*bands[1:-1], (bands[-1][0], bands[0][1] + day_minutes)]
    return bands


def _clock_minutes(starts: pd.DatetimeIndex, mask: np.ndarray, interval_minutes: int) -> np.ndarray:
    """The minutes of the day (1,440 booleans) the intervals of ``mask`` cover on any day."""
    covered = np.zeros(24 * 60, dtype=bool)
    for start in starts[mask[:len(starts)]]:
        minute = start.hour * 60 + start.minute
        covered[minute:minute + interval_minutes] = True
    return covered


def _band_text(band: tuple[int, int]) -> str:
    """``(1380, 1860)`` as ``23:00-07:00``; the whole day as ``00:00-24:00``."""
    first, end = band
    end_text = "24:00" if end == 24 * 60 else f"{end % (24 * 60) // 60:02d}:{end % 60:02d}"
    return f"{first // 60:02d}:{first % 60:02d}-{end_text}"


def unhired_facts(problem: ProblemData, result: Result, plan: Plan | None = None) -> list[list[object]]:
    """Per open-position profile with heads the roster does not hire (:data:`UNHIRED_COLUMNS`), in plan order (with
    ``plan``, a profile none of whose shifts meets a requirement is told the hours, as a named agent is)."""
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
            detail = (_no_requirement_detail(plan, problem, item.agent, where="[[open_positions]] in shiftplan.toml")
                      if plan is not None and item.reason == "no requirement reached" else
                      _detail(problem, item, hours, optimal=result.status == "OPTIMAL"))
            rows[profile] = [profile, 1, item.reason, detail]
    return list(rows.values())


def _detail(problem: ProblemData, item: Unscheduled, hours: float, *, optimal: bool = False) -> str:
    """The reason of ``item`` with the agent's own figures and what would change it (for one left out of an optimal
    roster, the objective's weights: no search would do otherwise)."""
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
    reach = f"left out although their shifts reach {item.short_intervals * hours:,.1f} agent-h of {queues} still short"
    if optimal:
        w = problem.weights
        hire = ("open_position", w.open_position) if agent.is_open_position else ("headcount", w.headcount)
        return (f"{reach}: the roster is optimal, so under the plan's [objective] weights (under_staffing "
                f"{w.under_staffing / 100:g} a missing agent-interval at priority 1, {hire[0]} {hire[1] / 100:g}, "
                f"paid_hours {w.paid_hour / 100:g}) a week of their rules costs more than the under-staffing it "
                "removes; raise under_staffing to cover more")
    return (f"{reach}: within the time limit the search found no week of their rules that removes more "
            "under-staffing than it costs (a longer time limit may)")


def unreachable_facts(plan: Plan, problem: ProblemData) -> list[list[object]]:
    """Per queue with required agents no shift of any agent or open position reaches (:data:`UNREACHED_COLUMNS`):
    the agent-hours, and when, in the plan's time zone; in a re-plan, those before its cut apart
    (:data:`BEFORE_CUT`), so that the rest are what it could still change. A queue no agent of the plan (named or
    open position) has the skills for is :data:`NO_SKILL` rather than :data:`NO_SHIFT`: no opening hours or
    templates would help it, a hire would."""
    served = reachable(problem)  # (once: a loop over every shift option)
    skilled = {q for queues in problem.groups for q in queues}  # (a skill group is made of agents, hires included)
    missed = unreachable_demand(problem, served)
    edges = at_the_edges(problem, served)
    past = np.zeros(missed.shape[1], dtype=bool)
    instant = cut_utc(plan)
    if instant is not None:
        past[:min(int(np.searchsorted(plan.horizon.intervals_utc, instant)), len(past))] = True
    kept = _kept_part(plan, problem, served) & ~edges & ~past
    edges = edges & ~past
    horizon = plan.horizon
    local = horizon.intervals_utc.tz_convert(horizon.time_zone).tz_localize(None)
    rows: list[list[object]] = []
    for q, name in enumerate(problem.queue_names):
        for where, part in ((NO_SHIFT if q in skilled else NO_SKILL, ~edges[q] & ~kept[q] & ~past),
                            (PLAN_EDGE, edges[q]), (KEPT_PART, kept[q]), (BEFORE_CUT, past)):
            mask = (missed[q] > 0) & part
            if mask[:len(local)].any():
                agent_hours = float(missed[q][mask].sum()) * horizon.interval_minutes / 60
                rows.append([name, agent_hours, describe_intervals(local, mask[:len(local)], horizon.interval_minutes),
                             where])
    return rows


def _kept_part(plan: Plan, problem: ProblemData, served: np.ndarray) -> np.ndarray:
    """Which unreached intervals just after a re-plan's cut only a shift started before it would reach, per queue:
    within the longest shift after the cut, those whose time a day later a shift reaches. All False for a plan that
    is not a re-plan."""
    out = np.zeros_like(served)
    instant = cut_utc(plan)
    if instant is None:
        return out
    horizon = plan.horizon
    num_t = problem.num_intervals
    cut = min(int(np.searchsorted(horizon.intervals_utc, instant)), num_t)
    local = list(horizon.intervals_utc.tz_convert(horizon.time_zone).tz_localize(None))[:num_t]
    index = {start: t for t, start in enumerate(local)}  # (the second of a repeated time: either will do)
    longest = max((option.length for agent in problem.agents for option in agent.options), default=0)
    for t in range(cut, min(cut + longest, num_t)):  # just after it: where the same clock time a day later is reached
        next_day = index.get(local[t] + pd.Timedelta(days=1))
        out[:, t] = served[:, next_day] if next_day is not None else False
    return out & ~served


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
        on = (f"on {days[0]:%a %Y-%m-%d}" if len(days) == 1 else
              f"on {len(days)} days ({days[0]:%a %Y-%m-%d} to {days[-1]:%a %Y-%m-%d})")
        return f"{len(runs)} periods {on}, all between {earliest} and {latest}"
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


def _where(row: Sequence[object]) -> str:
    """An unreachable row's ``where`` (a result saved before it was written has three columns: no shift reaches)."""
    return str(row[3]) if len(row) > 3 else NO_SHIFT


#: Agent-hours of a queue below this are not short (a quarter hour is the finest grid).
SHORT_HOURS = 0.05
#: The queues no profile serves that :func:`team_verdict` names, the biggest shortfalls first; the rest are counted.
MOST_QUEUES_NAMED = 3


def profile_queue_facts(plan: Plan) -> list[list[object]]:
    """Per profile of ``[[open_positions]]``, in plan order, the queues its heads serve: ``[profile, [queue, ...]]``,
    queues named as the coverage names them (``ko/chat``), in plan order.

    A hire serves the queues whose language and channel it has, as a named agent does
    (:meth:`inputs.records.Agent.skills`). The report keeps them as ``facts["profile_queues"]``, so that
    :func:`team_verdict` can tell the hours short in queues a raise of ``max_heads`` could reach from those no
    profile serves.
    """
    return [[position.profile, [queue.name for queue in plan.queues
                                if queue.language in position.languages and queue.channel in position.channels]]
            for position in plan.config.open_positions]


def under_hours_by_queue(coverage: pd.DataFrame, interval_minutes: int) -> dict[str, float]:
    """The agent-hours under-staffed per queue, queues in the order of the rows.

    Parameters
    ----------
    coverage : pandas.DataFrame
        Rows of :attr:`outputs.report.RosterReport.coverage` (``queue``, ``under``): all of them, or a re-plan's from
        its cut on (:func:`outputs.replan_cut.from_cut`).
    interval_minutes : int
        The grid.

    Returns
    -------
    dict of str to float
        Queue name -> agent-hours under-staffed (0.0 for a queue met in full), what :func:`team_verdict` splits by
        who could serve them.
    """
    under = coverage.groupby("queue", sort=False)["under"].sum()
    return {str(queue): float(value) * interval_minutes / 60 for queue, value in under.items()}


def _skills_text(queue: str) -> str:
    """The skills a queue needs, as a team lead says them: ``vi/phone`` -> ``both vi and phone``."""
    language, _, channel = queue.partition("/")
    return f"both {language} and {channel}" if channel else f"the skills of {queue}"


def shortfall_lines(facts: Mapping[str, object], *, under_hours: float, all_scheduled: bool,
                    most_agents: int = 10, under_by_queue: Mapping[str, float] | None = None) -> list[str]:
    """Why demand is short and who is left out: the lines :func:`roster_summary` prints under the coverage.

    Parameters
    ----------
    facts : dict
        The report's facts; ``unreachable`` and ``unscheduled`` are absent from results saved before they were
        written, and then only the team-size line can be said.
    under_hours : float
        Agent-hours under-staffed over the horizon; for a re-plan whose cut the facts record
        (:func:`outputs.replan_cut.report_cut`), from its cut on.
    all_scheduled : bool
        Whether every agent of the plan (open positions allowed included) has a shift.
    most_agents : int
        Unscheduled agents listed one per line; the rest are counted.
    under_by_queue : mapping of str to float, optional
        ``under_hours`` per queue (:func:`under_hours_by_queue`), for :func:`team_verdict` to say which of the hours
        short a hire of which profile could reach.

    Returns
    -------
    list of str
        The agent-hours no shift can reach, per queue and when: first those of queues no agent of the plan has the
        skills for (their fix is a hire or an agent with those skills), then those no shift of the skilled agents
        spans (their fix is not headcount), those at the plan's start or end apart (a shift of the previous plan
        reaches them), and in a re-plan those just after its cut (only a shift started before it reaches them);
        those before a re-plan's cut are not told (no re-plan can change them: the workbook's Summary lists them);
        the team is too small when what is left short is reachable and no agent who could meet it is left out
        (:func:`team_verdict`); one line per profile with heads not hired and per unscheduled agent, with the reason.
    """
    lines: list[str] = []
    unreachable = list(facts.get("unreachable") or [])
    unscheduled = list(facts.get("unscheduled") or [])
    kept = ("required just after the re-plan's cut, which only a shift started before it would reach: the kept "
            "roster stands there (a re-plan from an earlier time reaches them, while that time is still ahead)"
            if report_cut(facts) is not None else
            "required before the re-plan's cut, or just after it where only a shift started before it reaches: the "
            "kept roster stands there")
    for where, head in ((NO_SKILL, "required where no agent of the plan, named or open position, has the queue's "
                                   "skills: hire ([[open_positions]]) or add agents with those skills"),
                        (NO_SHIFT, "required when no shift of any agent can serve them, whatever the team's size: "
                                   "check the queue's opening hours and its agents' templates, availability and "
                                   "time off"),
                        (PLAN_EDGE, "required at the plan's start or end, which only a shift of the previous or next "
                                    "plan reaches (pin the part of last week's shift that runs into this plan in "
                                    "[files] roster)"),
                        (KEPT_PART, kept)):
        rows = [row for row in unreachable if _where(row) == where]
        if rows:
            lines.append(f"  {sum(float(row[1]) for row in rows):,.1f} agent-h {head}")
            lines += [f"    {row[0]}: {float(row[1]):,.1f} agent-h, {row[2]}"
                      + (f": no agent of the plan has {_skills_text(str(row[0]))}" if where == NO_SKILL else "")
                      for row in rows]
    unhired = list(facts.get("unhired") or [])
    verdict = team_verdict(facts, under_hours=under_hours, all_scheduled=all_scheduled, under_by_queue=under_by_queue)
    if verdict:
        lines.append(f"  {verdict}")
    for profile, count, _, detail in unhired:
        lines.append(f"{'not hired':<14}{count} open position{'s' if int(count) != 1 else ''} '{profile}': {detail}")
    if unscheduled:
        counts = Counter(str(row[2]) for row in unscheduled)
        lines.append(f"{'unscheduled':<14}{len(unscheduled)} agent{'s' if len(unscheduled) > 1 else ''}: "
                     + ", ".join(f"{count} {reason}" for reason, count in counts.items()))
        lines += [f"  {row[0]}: {row[3]}" for row in unscheduled[:most_agents]]
        if len(unscheduled) > most_agents:
            lines.append(f"  and {len(unscheduled) - most_agents} more (the workbook's Summary sheet lists them all)")
    return lines


def team_verdict(facts: Mapping[str, object], *, under_hours: float, all_scheduled: bool,
                 under_by_queue: Mapping[str, float] | None = None) -> str | None:
    """Whether the team is too small, in words, or None: when demand every shift can reach is still short and every
    agent and open position who could meet it works (none of them ``left out``); the fix then is headcount.

    With open positions, the hours short are split by who could serve them (:func:`_hiring_advice`): the queues of
    the profiles hired in full (named, with their hours: a raise of their ``max_heads`` may cover them), the queues
    only profiles not hired in full serve (more heads of those would not be hired either), and the queues no profile
    serves (the biggest named: a new profile, or agents, with those skills). A result saved before the profiles'
    queues were written (no ``profile_queues`` in its facts), or a call without ``under_by_queue``, gets the advice
    as it was, without the split.

    In a re-plan whose cut the facts record (:func:`outputs.replan_cut.report_cut`), only what it could still change
    counts: ``under_hours`` are from the cut on, and the agent-hours no shift reaches before the cut
    (:data:`BEFORE_CUT`) are not taken off them, and a re-plan that allowed no overtime points at ``solve
    --overtime`` too: nobody is hired by tonight.

    Parameters
    ----------
    facts : dict
        The report's facts (``unreachable``, ``unscheduled``, ``unhired``, ``hires``, ``profile_queues``,
        ``replan``, ``overtime_allowed``).
    under_hours : float
        Agent-hours under-staffed over the horizon; for a re-plan, from its cut on.
    all_scheduled : bool
        Whether every agent of the plan (open positions allowed included) has a shift.
    under_by_queue : mapping of str to float, optional
        ``under_hours`` per queue (:func:`under_hours_by_queue`; for a re-plan, from its cut on).
    """
    unreachable = list(facts.get("unreachable") or [])
    unscheduled = list(facts.get("unscheduled") or [])
    unhired = list(facts.get("unhired") or [])
    reachable = under_hours - sum(float(row[1]) for row in unreachable if _where(row) != BEFORE_CUT)
    left_out = [row for row in (*unscheduled, *unhired) if row[2] == "left out"]
    if reachable < 0.5 or not (all_scheduled or ("unscheduled" in facts and not left_out)):
        return None
    cut = report_cut(facts)
    short = f"{reachable:,.1f} agent-h are still short" + ("" if cut is None else f" {cut.heading} on")
    if facts.get("hires"):
        who = ("every agent and every open position allowed works" if all_scheduled else
               "every agent and open position who could meet it works")
        advice = None if under_by_queue is None else _hiring_advice(facts, unreachable, under_by_queue)
        if advice is not None:
            return f"{who}, and {short}: {advice}"
        if all_scheduled:  # a result saved before the profiles' queues were written
            return f"{who}, and {short}: raise max_heads of [[open_positions]] to see how many heads would cover them"
        return (f"{who}, and {short}: raise max_heads of a profile hired in full, or add a profile whose skills and "
                "hours reach them")
    who = "every agent" if all_scheduled else "every agent who could meet it"
    # a re-plan (a surge, a sick call) hires nobody by tonight: its lever is the team's own hours
    surge = ("" if cut is None or facts.get("overtime_allowed") else
             "; for this re-plan, solve --overtime HOURS (and --overtime-days DAYS) lets the agents with a contract "
             "work above it")
    return (f"{who} works, and {short}: the team is too small for these requirements (or its skills and hours do "
            "not reach them); [[open_positions]] in shiftplan.toml says how many heads of which profile would cover "
            f"them{surge}")


def _hiring_advice(facts: Mapping[str, object], unreachable: Sequence[Sequence[object]],
                   under_by_queue: Mapping[str, float]) -> str | None:
    """The hours still short split by which profile of ``[[open_positions]]`` could serve them, with each part's fix.

    Per queue, the hours short less those no shift reaches (but those before a re-plan's cut, which its
    ``under_by_queue`` does not hold); of those, the queues of the profiles hired in full (each such profile named
    with the hours short in its queues: raise its ``max_heads``), those only profiles not hired in full serve (named
    with how many were hired and why not more: more heads of them would not be hired) and those no profile serves
    (the :data:`MOST_QUEUES_NAMED` biggest named: add a profile, or agents, with those skills). A profile whose
    queues are met is not named, nor told to grow.

    Returns
    -------
    str or None
        The advice; None when the facts do not say the profiles' queues (a result saved before
        ``profile_queues`` was written) or no queue is short.
    """
    profile_queues = facts.get("profile_queues")
    if profile_queues is None:
        return None
    unreached: Counter[str] = Counter()
    for row in unreachable:
        if _where(row) != BEFORE_CUT:
            unreached[str(row[0])] += float(row[1])
    short = {queue: float(hours) - unreached[queue] for queue, hours in under_by_queue.items()
             if float(hours) - unreached[queue] >= SHORT_HOURS}
    queues_of = {str(profile): [str(queue) for queue in queues] for profile, queues in profile_queues}
    hires = {str(profile): (int(hired), int(allowed)) for profile, hired, allowed in facts.get("hires") or []}
    full = [profile for profile in queues_of if profile in hires and hires[profile][0] >= hires[profile][1]]
    served_by_full = {queue for profile in full for queue in queues_of[profile]}
    served = {queue for queues in queues_of.values() for queue in queues}
    parts: list[tuple[float, str]] = []
    if short.keys() & served_by_full:
        growing = ", ".join(f"{profile} {sum(short.get(queue, 0.0) for queue in queues_of[profile]):,.1f} h"
                            for profile in full if short.keys() & set(queues_of[profile]))
        parts.append((sum(short[queue] for queue in short.keys() & served_by_full),
                      f"in the queues of profiles hired in full ({growing}): raise their max_heads in "
                      "[[open_positions]] to see how many heads would cover them"))
    others = short.keys() & (served - served_by_full)
    if others:
        reasons = {str(row[0]): str(row[2]) for row in facts.get("unhired") or []}
        stuck = "; ".join(f"{profile}, {hires[profile][0]} of {hires[profile][1]} hired"
                          + (f": {reasons[profile]}" if profile in reasons else "")
                          for profile in queues_of if profile in hires and profile not in full
                          and others & set(queues_of[profile]))
        parts.append((sum(short[queue] for queue in others),
                      f"in queues only profiles not hired in full serve ({stuck}): more heads of them would not be "
                      "hired (their 'not hired' line says why)"))
    nobody = sorted(((queue, hours) for queue, hours in short.items() if queue not in served),
                    key=lambda item: -item[1])  # (stable: a tie keeps the queues' order)
    if nobody:
        more = len(nobody) - MOST_QUEUES_NAMED
        biggest = ", ".join(f"{queue} {hours:,.1f} h" for queue, hours in nobody[:MOST_QUEUES_NAMED])
        parts.append((sum(hours for _, hours in nobody),
                      f"in queues no profile serves ({biggest}{f' and {more} more' if more > 0 else ''}): more heads "
                      "of these profiles would not reach them; add a profile ([[open_positions]]) or agents with "
                      "those skills"))
    if not parts:
        return None
    if len(parts) == 1:
        return f"all {parts[0][1]}"
    (hours, text), *rest = parts
    return "; ".join([f"{hours:,.1f} of them {text}", *(f"{hours:,.1f} {text}" for hours, text in rest)])
