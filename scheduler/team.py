"""The LP's team: roster only the agents the LP relaxation works, before the others are let back in.

The greedy and the local search build a roster agent by agent, and an agent once scheduled is hard to
release: his shifts cover demand that no single day move of the others can take over, so the roster
keeps a few heads more than it needs. The LP relaxation (:func:`scheduler.roster_mip.compact_lp`)
has no such trouble: on the 80-agent benchmark it works 66.9 heads where the greedy and local search
keep 74. Here the roster is first built for the agents the LP works at least :data:`TEAM_THRESHOLD`
of (everyone else has no shift to pick), which leaves a little demand uncovered; the solve then
re-times the queues it misses (:func:`scheduler.lns.fix_under_staffing`) on the whole team, and the
local search may hire anyone back where that still pays.
"""

from __future__ import annotations

from dataclasses import replace

from scheduler.problem import ProblemData, narrowed_published

#: An agent belongs to the LP's team when the LP works him at least this much (``used`` in [0, 1]). On the
#: 80-agent benchmark (2026-12-06): 0.5 keeps 70 agents and ends at 12,840; 0.45 keeps 71 (13,142), 0.6 keeps
#: 68, whose gaps the re-timing cannot close (14,862); the whole team of 80 gave 13,969.
TEAM_THRESHOLD = 0.5


def lp_team(problem: ProblemData, used_values: dict[int, float], threshold: float = TEAM_THRESHOLD) -> list[int]:
    """The agents the LP relaxation works at least ``threshold``, and every agent with a pinned shift.

    Parameters
    ----------
    problem : ProblemData
        The problem.
    used_values : dict
        Agent -> value of their ``used`` variable in the LP's solution (missing: 0).
    threshold : float
        Least value of ``used`` that keeps an agent.

    Returns
    -------
    list of int
        Agent indices, ascending.
    """
    return [a for a, agent in enumerate(problem.agents)
            if agent.options and (used_values.get(a, 0.0) >= threshold
                                  or any(option >= 0 for option in agent.pinned.values()))]


def team_problem(problem: ProblemData, team: list[int]) -> ProblemData:
    """The problem with only ``team`` able to work: every other agent keeps his index and has no shift option.

    A roster of this problem is a roster of ``problem`` with the same objective (the same agents, options,
    rules and demand): only the choice is narrower.
    """
    members = set(team)
    agents = tuple(agent if a in members else replace(agent, options=(), pinned={}, hint={},
                                                      published=narrowed_published(agent, ()))
                   for a, agent in enumerate(problem.agents))
    return replace(problem, agents=agents)
