"""The result of a solve: status, objective, bound, gap, runtime, roster, coverage, penalties."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from scheduler.checker import OBJECTIVE_UNIT, ObjectiveTerms
from scheduler.roster import Roster

STATUSES = ("OPTIMAL", "FEASIBLE", "INFEASIBLE", "TIMEOUT_NO_SOLUTION", "MODEL_INVALID")


@dataclass(frozen=True)
class Result:
    """What a solve returns. Infeasible and timed-out are statuses, not exceptions.

    Attributes
    ----------
    status : str
        ``OPTIMAL`` (proven), ``FEASIBLE`` (a roster, not proven optimal), ``INFEASIBLE``,
        ``TIMEOUT_NO_SOLUTION`` or ``MODEL_INVALID``.
    objective : float or None
        Objective of the roster, in units of the plan's weights.
    lower_bound : float
        The better of CP-SAT's bound and the LP relaxation, in the same units.
    lp_bound, solver_bound : float or None
        Both bounds, for the record.
    runtime_seconds : float
        Wall time of the solve (model building included).
    roster : Roster or None
        The best roster found.
    coverage : numpy.ndarray or None
        Agents serving each queue in each interval.
    terms : ObjectiveTerms or None
        The objective term by term (model units).
    penalties : list of (str, str, int)
        Every soft-rule violation: rule name, subject, amount.
    explanation : list of str
        For an infeasible plan: which rules collide, in words.
    num_agents_used, num_agents : int
        Headcount scheduled, and available (open positions included).
    hires : tuple of (str, int, int)
        Headcount planning: per open-position profile, heads hired and heads allowed.
    """

    status: str
    objective: float | None
    lower_bound: float
    lp_bound: float | None
    solver_bound: float | None
    runtime_seconds: float
    roster: Roster | None = None
    coverage: np.ndarray | None = None
    terms: ObjectiveTerms | None = None
    penalties: list[tuple[str, str, int]] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)
    num_agents_used: int = 0
    num_agents: int = 0
    seed: int = 0
    workers: int = 1
    solver_objective: float | None = None
    hires: tuple[tuple[str, int, int], ...] = ()

    @property
    def gap(self) -> float | None:
        """Relative gap ``(objective - bound) / objective`` (0 when proven optimal)."""
        if self.objective is None:
            return None
        if self.status == "OPTIMAL":
            return 0.0
        if self.objective <= 0:
            return 0.0
        return max(0.0, (self.objective - self.lower_bound) / self.objective)

    def summary(self) -> str:
        """A fixed-width summary for the terminal."""
        gap = "-" if self.gap is None else f"{100 * self.gap:.2f}%"
        objective = "-" if self.objective is None else f"{self.objective:,.2f}"
        lower = "-" if math.isnan(self.lower_bound) else f"{self.lower_bound:,.2f}"
        lines = [
            f"{'status':<14}{self.status}",
            f"{'objective':<14}{objective}",
            f"{'lower bound':<14}{lower}  (LP {_fmt_bound(self.lp_bound, self.lower_bound)}, "
            f"CP-SAT {_fmt_bound(self.solver_bound, self.lower_bound)})",
            f"{'gap':<14}{gap}",
            f"{'runtime':<14}{self.runtime_seconds:.1f} s  (workers {self.workers}, seed {self.seed})",
            f"{'headcount':<14}{self.num_agents_used} of {self.num_agents} agents scheduled",
        ]
        for profile, hired, allowed in self.hires:
            lines.append(f"{'hire':<14}{hired} of {allowed} open position{'s' if allowed != 1 else ''} '{profile}'")
        if self.terms is not None:
            lines.append("objective terms (plan units):")
            for name, value in vars(self.terms).items():
                if value:
                    lines.append(f"  {name:<20}{value / OBJECTIVE_UNIT:>16,.2f}")
        for line in self.explanation:
            lines.append(f"  {line}")
        return "\n".join(lines)


def _fmt_bound(value: float | None, lower_bound: float) -> str:
    """A bound for the summary: ``-`` when not computed, ``nothing proven`` when it proves no cost while the lower
    bound beside it, from another source, does (PDLP stopped early with duals that prove nothing)."""
    if value is None:
        return "-"
    return "nothing proven" if value <= 0 < lower_bound else f"{value:,.2f}"
