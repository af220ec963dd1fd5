"""The roster checker: recomputes every hard rule and the objective without the solver.

Tests and benchmarks run every roster through :func:`check_roster` and compare its objective
with the solver's; any difference is a bug in one of the two.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from scheduler.problem import ProblemData, changed_days
from scheduler.roster import OFF_QUEUE, Roster

MINUTES_PER_HOUR = 60
OBJECTIVE_UNIT = 60 * 100 * 100  # model units per unit of the plan's objective weights


@dataclass(frozen=True)
class ObjectiveTerms:
    """The objective, term by term, in the model's integer units (see :func:`objective_terms`)."""

    under_staffing: int = 0
    over_staffing: int = 0
    headcount: int = 0
    paid_time: int = 0
    contract_deviation: int = 0
    preferences: int = 0
    weekend_fairness: int = 0
    night_fairness: int = 0
    roster_changes: int = 0
    uncovered_queues: int = 0
    overtime: int = 0

    @property
    def total(self) -> int:
        """The sum of all terms."""
        return (self.under_staffing + self.over_staffing + self.headcount + self.paid_time
                + self.contract_deviation + self.preferences + self.weekend_fairness + self.night_fairness
                + self.roster_changes + self.uncovered_queues + self.overtime)


@dataclass
class CheckReport:
    """What the checker found: broken hard rules (empty when feasible), coverage and the objective."""

    violations: list[str] = field(default_factory=list)
    coverage: np.ndarray | None = None
    terms: ObjectiveTerms = ObjectiveTerms()
    soft: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def feasible(self) -> bool:
        """Whether every hard rule holds."""
        return not self.violations


def contract_target_minutes(problem: ProblemData, agent_index: int, week: int) -> int:
    """Weekly paid minutes the agent's contract asks for (0: no contract target).

    A contract target is the agent's weekly maximum when it is below the plan-wide legal
    maximum (a 40-hour contract under a 48-hour rule); below it, each missing minute of a
    scheduled agent is penalised.
    """
    agent = problem.agents[agent_index]
    return agent.target_week_minutes[week] if agent.target_week_minutes else 0


def check_roster(problem: ProblemData, roster: Roster) -> CheckReport:
    """Check every hard rule and recompute the objective of a roster.

    Parameters
    ----------
    problem : ProblemData
        The problem the roster answers.
    roster : Roster
        The roster.

    Returns
    -------
    CheckReport
        Violations in words (empty when feasible), coverage per queue and interval, and the
        objective term by term.
    """
    report = CheckReport()
    v = report.violations
    num_t = problem.num_intervals
    on_shift = np.zeros((len(problem.groups), num_t), dtype=np.int64)
    on_break = np.zeros((len(problem.groups), num_t), dtype=np.int64)
    per_agent = roster.by_agent()
    for a, items in per_agent.items():
        agent = problem.agents[a]
        name = agent.employee_id
        skills = set(problem.groups[agent.group])
        options = []
        for item in items:
            if not 0 <= item.option < len(agent.options):
                v.append(f"{name}: option {item.option} does not exist")
                continue
            options.append((agent.options[item.option], item))
        options.sort(key=lambda pair: pair[0].start)
        days = [o.day for o, _ in options]
        for day in sorted({d for d in days if days.count(d) > 1}):
            v.append(f"{name}: more than one shift on day {day}")
        for (first, _), (second, _) in itertools.pairwise(options):
            if second.start - first.end < problem.min_rest_intervals:
                v.append(f"{name}: rest of {(second.start - first.end) * problem.interval_minutes} min between the "
                         f"shifts of days {first.day} and {second.day}, below the minimum "
                         f"{problem.min_rest_intervals * problem.interval_minutes} min")
        for week in range(problem.num_weeks):
            in_week = [o for o, _ in options if week * 7 <= o.day < week * 7 + 7]
            minutes = sum(o.paid_minutes for o in in_week)
            if minutes > agent.max_week_minutes[week]:
                v.append(f"{name}: {minutes} paid minutes in week {week}, above the maximum "
                         f"{agent.max_week_minutes[week]}")
            if options and minutes < agent.min_week_minutes[week]:
                v.append(f"{name}: {minutes} paid minutes in week {week}, below the minimum "
                         f"{agent.min_week_minutes[week]}")
            if len(in_week) > agent.max_days_in_week(week):
                v.append(f"{name}: {len(in_week)} working days in week {week}, above {agent.max_days_in_week(week)}")
        worked = set(days)
        run = agent.days_worked_before  # last week's days in a row count towards the first run
        for day in range(problem.num_days):
            run = run + 1 if day in worked else 0
            if run > problem.max_consecutive_days:
                v.append(f"{name}: {run} consecutive working days up to day {day}, above "
                         f"{problem.max_consecutive_days}")
        for day, pinned in agent.pinned.items():
            chosen = [item.option for o, item in options if o.day == day]
            if pinned == -1 and chosen:
                v.append(f"{name}: works on day {day}, pinned as a day off")
            elif pinned >= 0 and chosen != [pinned]:
                v.append(f"{name}: does not work the pinned shift of day {day}")
        for option, item in options:
            taken = _check_shift(problem, name, option, item, skills, v)
            for k in range(option.length):
                t = option.start + k
                if 0 <= t < num_t:
                    on_shift[agent.group, t] += 1
                    on_break[agent.group, t] += t in taken
    for g, t in zip(*np.nonzero((on_shift >= 2) & (on_break == on_shift)), strict=True):
        v.append(f"skill group {g}: all {on_shift[g, t]} agents on shift are on break in interval {t}")
    report.coverage = roster.coverage(problem)
    report.terms, report.soft = objective_terms(problem, roster, report.coverage)
    return report


def _check_shift(problem: ProblemData, name: str, option: object, item: object, skills: set[int],
                 v: list[str]) -> set[int]:
    """Check one shift's breaks and queue assignments; return the intervals its breaks occupy (not its time away
    during a kept shift, which is off every queue but no break for the rule that never all of a team are on break
    at once)."""
    specs = problem.templates[option.template].breaks if option.template >= 0 else ()
    if len(item.break_offsets) != len(specs):
        v.append(f"{name}: shift of day {option.day} has {len(item.break_offsets)} breaks, its template "
                 f"{len(specs)}")
        return set()
    taken: list[int] = []
    for spec, offset in zip(specs, item.break_offsets, strict=True):
        if offset not in spec.offsets:
            v.append(f"{name}: {spec.kind} of day {option.day} starts {offset} intervals after the shift start, "
                     f"outside its window {spec.offsets[0]}..{spec.offsets[-1]}")
        taken.extend(range(offset, offset + spec.length))
    if len(taken) != len(set(taken)):
        v.append(f"{name}: breaks of day {option.day} overlap")
    if len(item.queues) != option.length:
        v.append(f"{name}: shift of day {option.day} has {len(item.queues)} queue slots for {option.length} "
                 "intervals")
        return {option.start + k for k in taken}
    for k, queue in enumerate(item.queues):
        t = option.start + k
        outside = not 0 <= t < problem.num_intervals
        if k in taken or outside:
            if queue != OFF_QUEUE:
                v.append(f"{name}: serves a queue in interval {t} while on break or outside the horizon")
        elif queue not in skills:
            v.append(f"{name}: serves queue {queue} in interval {t} without the skill")
    return set(problem.break_intervals(option, item.break_offsets, time_away=False))


def uncovered(problem: ProblemData, coverage: np.ndarray) -> np.ndarray:
    """Where a queue is left dark: demand of one agent or more and nobody serving it (per queue and interval; a
    queue agents outside the problem serve is not, :meth:`~scheduler.problem.ProblemData.can_go_dark`).

    Each such interval costs ``60 · uncovered_queue · priority_q`` on top of its under-staffing: the first agent on a
    live queue is worth more than the next one on a queue already served.
    """
    return problem.can_go_dark() & (coverage <= 0)


def fairness_subject(counts: dict[str, int]) -> str:
    """Who carries a fairness term: the agents with the most weekend (or night) shifts, the first three by id.

    The term charges the most shifts of one agent, once (not per agent), so the penalty is one entry whose amount is
    that count: ``the most of one agent: E1001, E1007 and 12 more``.
    """
    most = max(counts.values())
    ids = sorted(agent for agent, count in counts.items() if count == most)
    more = f" and {len(ids) - 3} more" if len(ids) > 3 else ""
    return f"the most of one agent: {', '.join(ids[:3])}{more}"


def objective_terms(problem: ProblemData, roster: Roster,
                    coverage: np.ndarray) -> tuple[ObjectiveTerms, list[tuple[str, str, int]]]:
    """Compute the objective of a roster, term by term, and list the soft-rule violations.

    Units: every term is an integer; a missing agent-interval on queue ``q`` costs
    ``60 · under_staffing · priority_q``, an interval in which queue ``q`` has demand and nobody on it
    ``60 · uncovered_queue · priority_q`` more (the first missing agent of a queue is the dearest), a surplus
    one ``60 · 100 · over_staffing``, a
    scheduled agent ``60 · 100 · headcount`` (an open position hired: ``60 · 100 · open_position``), a
    paid minute ``100 · paid_hour``, a contract
    minute missed ``100 · contract_deviation_hour``, a minute of overtime (above
    :attr:`~scheduler.problem.AgentData.overtime_from_minutes`) ``100 · overtime_hour``, an unmet preference
    ``60 · 100 · preference``,
    and each weekend or night shift of the agent with the most ``60 · 100 · weekend_fairness`` /
    ``60 · 100 · night_fairness``, and each day of a re-plan that differs from the published roster
    (:attr:`~scheduler.problem.AgentData.published`) ``60 · 100 · roster_change``. The weights are the plan's
    times 100 (priorities too), so one unit of the plan's weights is :data:`OBJECTIVE_UNIT` model units.

    Returns
    -------
    tuple
        (the terms, soft violations as (rule name, subject, amount)).
    """
    w = problem.weights
    soft: list[tuple[str, str, int]] = []
    gap = problem.demand - coverage
    priority = np.array(problem.queue_priority, dtype=np.int64)[:, None]
    under = np.clip(gap, 0, None)
    over = np.clip(-gap, 0, None)
    for q, t in zip(*np.nonzero(under), strict=True):
        soft.append(("under_staffing", f"{problem.queue_names[q]} interval {t}", int(under[q, t])))
    if w.over_staffing:
        for q, t in zip(*np.nonzero(over), strict=True):
            soft.append(("over_staffing", f"{problem.queue_names[q]} interval {t}", int(over[q, t])))
    under_cost = int((under * priority).sum()) * 60 * w.under_staffing
    dark = uncovered(problem, coverage)
    if w.uncovered_queue:
        for q, t in zip(*np.nonzero(dark), strict=True):
            soft.append(("uncovered_queue", f"{problem.queue_names[q]} interval {t}", 1))
    dark_cost = int((dark * priority).sum()) * 60 * w.uncovered_queue
    over_cost = int(over.sum()) * 60 * 100 * w.over_staffing
    used = roster.by_agent()
    hires = sum(problem.agents[a].is_open_position for a in used)
    headcount = (len(used) - hires) * 60 * 100 * w.headcount + hires * 60 * 100 * w.open_position
    paid = 0
    deviation = 0
    overtime = 0
    preferences = 0
    weekends: list[int] = [0]
    nights: list[int] = [0]
    changes = 0
    for a, agent in enumerate(problem.agents):
        if agent.published:
            days = changed_days(agent, {agent.options[i.option].day: i.option for i in used.get(a, [])})
            changes += len(days)
            soft.extend(("roster_change", f"{agent.employee_id} day {day}", 1) for day in days)
    weekend_count: dict[str, int] = {}
    night_count: dict[str, int] = {}
    for a, items in used.items():
        agent = problem.agents[a]
        options = [agent.options[i.option] for i in items]
        paid += sum(o.paid_minutes for o in options)
        for week in range(problem.num_weeks):
            target = contract_target_minutes(problem, a, week)
            minutes = sum(o.paid_minutes for o in options if week * 7 <= o.day < week * 7 + 7)
            if target > minutes:
                deviation += target - minutes
                soft.append(("contract_deviation", f"{agent.employee_id} week {week}", target - minutes))
            extra = agent.overtime_minutes(week, minutes)
            if extra:
                overtime += extra
                soft.append(("overtime", f"{agent.employee_id} week {week}", extra))
        for o in options:
            if o.day in agent.preferred_days_off:
                preferences += 1
                soft.append(("preference_day_off", f"{agent.employee_id} day {o.day}", 1))
            if agent.preferred_templates and o.template not in agent.preferred_templates:
                preferences += 1
                soft.append(("preference_template", f"{agent.employee_id} day {o.day}", 1))
        weekends.append(sum(o.is_weekend for o in options))
        nights.append(sum(problem.templates[o.template].is_night for o in options if o.template >= 0))
        weekend_count[agent.employee_id], night_count[agent.employee_id] = weekends[-1], nights[-1]
    for rule, weight, counts in (("weekend_fairness", w.weekend_fairness, weekend_count),
                                 ("night_fairness", w.night_fairness, night_count)):
        if weight and counts and max(counts.values()) > 0:
            soft.append((rule, fairness_subject(counts), max(counts.values())))
    terms = ObjectiveTerms(
        under_staffing=under_cost, over_staffing=over_cost, headcount=headcount, paid_time=paid * 100 * w.paid_hour,
        contract_deviation=deviation * 100 * w.contract_deviation_hour, preferences=preferences * 6000 * w.preference,
        weekend_fairness=max(weekends) * 6000 * w.weekend_fairness,
        night_fairness=max(nights) * 6000 * w.night_fairness, roster_changes=changes * 6000 * w.roster_change,
        uncovered_queues=dark_cost, overtime=overtime * 100 * w.overtime_hour,
    )
    return terms, soft
