"""A lower bound that needs no solver: every required agent-interval is paid for or missed.

In each interval an agent serves at most one queue, and an agent serving a queue is on duty, so
paid for that interval. Each required agent-interval of queue ``q`` therefore costs at least the
cheaper of one interval of paid time and one missing agent-interval of ``q`` (its under-staffing
penalty); every other term of the objective is non-negative. Summed over the demand this is a
valid lower bound of every roster, weaker than the LP relaxation's optimum (which implies it) but
exact arithmetic: it stands in when a first-order LP solver stops too early to prove more.
"""

from __future__ import annotations

import numpy as np

from scheduler.checker import OBJECTIVE_UNIT
from scheduler.problem import ProblemData


def demand_floor(problem: ProblemData) -> float:
    """The bound ``sum over (q, t) of demand · min(paid interval, under-staffing of q)``, in plan units.

    Parameters
    ----------
    problem : ProblemData
        The problem.

    Returns
    -------
    float
        A lower bound of the objective of every feasible roster.
    """
    w = problem.weights
    paid_interval = 100 * w.paid_hour * problem.interval_minutes  # model units, as scheduler.checker counts them
    under = 60 * w.under_staffing * np.asarray(problem.queue_priority, dtype=np.int64)
    per_unit = np.minimum(paid_interval, under)
    total = int((problem.demand.astype(np.int64).sum(axis=1) * per_unit).sum())
    return total / OBJECTIVE_UNIT
