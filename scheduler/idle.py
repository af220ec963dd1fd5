"""Why a roster leaves demand short or agents unscheduled, as facts a team lead can act on.

Beside its figures, a solve answers two questions a count alone does not:

* **Which required agent-intervals no shift can reach** (:func:`unreachable_demand`): a queue open at hours no
  template of its agents runs, a day every skilled agent is off. No roster of these agents meets them, whatever
  their number; the fix lies in the opening hours, the templates, the availability or the time off, or, for a queue
  no agent of the plan has the skills for, in hiring (:mod:`outputs.left_out` tells the two apart).
* **Why each agent without a shift is left out** (:func:`unscheduled_agents`), the first reason that holds:

  ``no shift possible``
      their time off, available days and hours and templates leave no shift in the plan;
  ``rules collide``
      their own rules cannot all hold once they work (a weekly minimum of 33 h and a maximum of 39 h from 8-hour
      shifts; a 40-hour week with one day in a row): the rules that collide are named, as for an infeasible plan;
  ``no requirement reached``
      none of their possible shifts meets any requirement of their queues (available only on days or at hours when
      their queues need nobody);
  ``not needed``
      every requirement their shifts reach is met by colleagues (the mission's minimal headcount);
  ``left out``
      some requirement their shifts reach is still short, yet the roster leaves them out: within its time the search
      found no week of their rules that removes more under-staffing than it costs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scheduler.problem import ProblemData
from scheduler.roster import Roster

__all__ = ["REASONS", "Unscheduled", "at_the_edges", "reach_by_group", "reachable", "unreachable_demand",
           "unscheduled_agents"]

#: The reasons of :class:`Unscheduled`, in the order they are tried.
REASONS = ("no shift possible", "rules collide", "no requirement reached", "not needed", "left out")
#: Shift options, summed over the idle agents, whose rules are checked by a solve of their own (about 17,000 a
#: second: 0.22 s for an agent of 3,738 options on a 6-week, 15-minute plan); agents beyond it get the later reasons
#: without that check (their rules may still collide), so the report stays within seconds however many are idle.
MAX_RULE_CHECK_OPTIONS = 100_000


@dataclass(frozen=True)
class Unscheduled:
    """An agent the roster gives no shift, and why.

    Attributes
    ----------
    agent : int
        Index into ``ProblemData.agents``.
    reason : str
        One of :data:`REASONS`.
    rules : tuple of str
        For ``rules collide``: the agent's rules that cannot all hold once they work (as
        :func:`scheduler.cpsat.explain.explain_infeasible` names them); else empty.
    short_intervals : int
        For ``left out``: the agent-intervals still short that one of their shifts covers (each counted once);
        else 0.
    """

    agent: int
    reason: str
    rules: tuple[str, ...] = ()
    short_intervals: int = 0


def reach_by_group(problem: ProblemData) -> np.ndarray:
    """Whether some shift option of some agent of each skill group spans each interval (breaks not taken out).

    Returns
    -------
    numpy.ndarray
        Booleans, ``(num_groups, num_intervals)``.
    """
    num_t = problem.num_intervals
    steps = np.zeros((len(problem.groups), num_t + 1), dtype=np.int64)
    for agent in problem.agents:
        for option in agent.options:
            first, last = max(option.start, 0), min(option.start + option.length, num_t)
            if first < last:
                steps[agent.group, first] += 1
                steps[agent.group, last] -= 1
    return np.cumsum(steps[:, :num_t], axis=1) > 0


def reachable(problem: ProblemData) -> np.ndarray:
    """Whether some shift option of some agent skilled for each queue spans each interval.

    Returns
    -------
    numpy.ndarray
        Booleans, ``(num_queues, num_intervals)``.
    """
    reach = reach_by_group(problem)
    served = np.zeros((problem.num_queues, problem.num_intervals), dtype=bool)
    for g, queues in enumerate(problem.groups):
        for q in queues:
            served[q] |= reach[g]
    return served


def at_the_edges(problem: ProblemData, served: np.ndarray) -> np.ndarray:
    """Which intervals no shift reaches only because the plan starts or ends there: within the longest shift of the
    plan's first or last interval, where the same time a day later (at the start) or earlier (at the end) is reached.
    A shift of the previous plan running into this one (a night shift from the Sunday before), or of the next one,
    would reach them; no shift of this plan can.

    Returns
    -------
    numpy.ndarray
        Booleans, ``(num_queues, num_intervals)``.
    """
    num_t = problem.num_intervals
    longest = max((option.length for agent in problem.agents for option in agent.options), default=0)
    day = 24 * 60 // problem.interval_minutes
    edges = np.zeros_like(served)
    for t in range(min(longest, num_t)):
        if t + day < num_t:
            edges[:, t] = served[:, t + day]
    for t in range(max(num_t - longest, 0), num_t):
        if t - day >= 0:
            edges[:, t] |= served[:, t - day]
    return edges & ~served


def unreachable_demand(problem: ProblemData, served: np.ndarray | None = None) -> np.ndarray:
    """The required agents no shift of any agent (open positions included) can serve, per queue and interval.

    Parameters
    ----------
    problem : ProblemData
        The problem.
    served : numpy.ndarray, optional
        :func:`reachable` of ``problem``, when already computed.

    Returns
    -------
    numpy.ndarray
        Agents, ``(num_queues, num_intervals)``: the demand where no agent skilled for the queue has a shift option
        spanning the interval, else 0.
    """
    return np.where(reachable(problem) if served is None else served, 0, problem.demand).astype(np.int64)


def unscheduled_agents(problem: ProblemData, roster: Roster, coverage: np.ndarray, *,
                       open_positions: bool = False) -> list[Unscheduled]:
    """Why each named agent without a shift in ``roster`` is left out (with ``open_positions``, each open position
    not hired instead: a head not hired is no agent, but why it is not hired tells whether more would help).

    Parameters
    ----------
    problem : ProblemData
        The problem.
    roster : Roster
        The roster.
    coverage : numpy.ndarray
        Agents serving each queue in each interval, ``(num_queues, num_intervals)`` (the roster's).
    open_positions : bool
        Explain the open positions not hired rather than the named agents without a shift.

    Returns
    -------
    list of Unscheduled
        One per unscheduled named agent (or open position not hired), in the plan's order.
    """
    from scheduler.cpsat.explain import agent_rules_when_working

    working = roster.by_agent()
    short = np.clip(problem.demand - coverage, 0, None)
    wanted_by_group = [_prefix(problem.demand[list(queues)].sum(axis=0) > 0) for queues in problem.groups]
    short_by_group = [short[list(queues)].sum(axis=0) for queues in problem.groups]
    found: list[Unscheduled] = []
    checked = 0  # options of the agents whose rules were checked
    for a, agent in enumerate(problem.agents):
        if a in working or agent.is_open_position != open_positions:
            continue
        if not agent.options:
            found.append(Unscheduled(a, "no shift possible"))
            continue
        if checked + len(agent.options) <= MAX_RULE_CHECK_OPTIONS:
            checked += len(agent.options)
            rules = agent_rules_when_working(problem, a)
            if rules:
                found.append(Unscheduled(a, "rules collide", rules=tuple(rules)))
                continue
        spans = [(max(o.start, 0), min(o.start + o.length, problem.num_intervals)) for o in agent.options]
        wanted = wanted_by_group[agent.group]
        if not any(first < last and wanted[last] > wanted[first] for first, last in spans):
            found.append(Unscheduled(a, "no requirement reached"))
            continue
        reached = np.zeros(problem.num_intervals, dtype=bool)
        for first, last in spans:
            reached[first:last] = True
        still_short = int(short_by_group[agent.group][reached].sum())
        found.append(Unscheduled(a, "left out", short_intervals=still_short) if still_short else
                     Unscheduled(a, "not needed"))
    return found


def _prefix(flags: np.ndarray) -> np.ndarray:
    """Running count with a leading 0: ``p[j] - p[i]`` counts the flags in ``[i, j)``."""
    return np.concatenate(([0], np.cumsum(flags, dtype=np.int64)))
