"""The roster: which shift each agent works, where their breaks fall, and which queue they serve."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scheduler.problem import ProblemData

OFF_QUEUE = -1  # queue index of an interval on break, or outside the horizon


@dataclass(frozen=True, slots=True)
class Assignment:
    """One worked shift.

    Attributes
    ----------
    agent : int
        Index into ``ProblemData.agents``.
    option : int
        Index into that agent's ``options``.
    break_offsets : tuple of int
        Start of each of the template's breaks, in intervals after the shift start.
    queues : tuple of int
        Queue served in each interval of the shift (``OFF_QUEUE`` on break or outside the horizon).
    """

    agent: int
    option: int
    break_offsets: tuple[int, ...]
    queues: tuple[int, ...]


@dataclass(frozen=True)
class Roster:
    """All worked shifts of a solve (agents without a shift are unscheduled)."""

    assignments: tuple[Assignment, ...]

    def by_agent(self) -> dict[int, list[Assignment]]:
        """Assignments per agent index, in time order."""
        result: dict[int, list[Assignment]] = {}
        for item in self.assignments:
            result.setdefault(item.agent, []).append(item)
        return result

    def coverage(self, problem: ProblemData) -> np.ndarray:
        """Agents serving each queue in each interval, ``(num_queues, num_intervals)``."""
        cover = np.zeros((problem.num_queues, problem.num_intervals), dtype=np.int64)
        for item in self.assignments:
            option = problem.agents[item.agent].options[item.option]
            for k, queue in enumerate(item.queues):
                t = option.start + k
                if queue != OFF_QUEUE and 0 <= t < problem.num_intervals:
                    cover[queue, t] += 1
        return cover
