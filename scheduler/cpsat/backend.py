"""The interface the model is written against, and its CP-SAT implementation.

The model code in :mod:`scheduler.cpsat.model` only calls :meth:`Backend.bool_var`,
:meth:`Backend.int_var`, :meth:`Backend.add` and :meth:`Backend.minimize`, and only with linear
constraints, so its LP relaxation can be read from the CP-SAT proto
(:mod:`scheduler.cpsat.lp_bound`): the bound is the relaxation of exactly the model that is solved.
"""

from __future__ import annotations

from typing import Any

from ortools.sat.python import cp_model

from scheduler.work_limits import note_clock_stop

#: A search that ends below this share of its deterministic limit without an answer it proved was ended by the clock
#: (CP-SAT checks its deterministic limit between steps, so a search it ends reports at least about the limit).
CLOCK_STOP_SHARE = 0.98


class Backend:
    """The interface the model is written against."""

    def bool_var(self, name: str) -> Any:
        """A 0/1 variable."""
        raise NotImplementedError

    def int_var(self, lb: int, ub: int, name: str) -> Any:
        """An integer variable in ``[lb, ub]``."""
        raise NotImplementedError

    def add(self, constraint: Any) -> None:
        """Add a linear constraint (``expr <= rhs``, ``==``, ``>=``)."""
        raise NotImplementedError

    def minimize(self, expr: Any) -> None:
        """Set the objective."""
        raise NotImplementedError

    def sum(self, terms: list[Any]) -> Any:
        """Sum of linear terms."""
        raise NotImplementedError


class CpSatBackend(Backend):
    """Builds a ``cp_model.CpModel``."""

    def __init__(self) -> None:
        self.model = cp_model.CpModel()

    def bool_var(self, name: str) -> cp_model.IntVar:
        """A CP-SAT Boolean variable."""
        return self.model.new_bool_var(name)

    def int_var(self, lb: int, ub: int, name: str) -> cp_model.IntVar:
        """A CP-SAT integer variable."""
        return self.model.new_int_var(lb, ub, name)

    def add(self, constraint: Any) -> None:
        """Add a constraint (constant-true constraints from empty sums are skipped)."""
        if isinstance(constraint, bool | cp_model.BoundedLinearExpression) and constraint is True:
            return
        if constraint is False:
            raise ValueError("a constraint of constants is false")
        self.model.add(constraint)

    def minimize(self, expr: Any) -> None:
        """Minimise ``expr``."""
        self.model.minimize(expr)

    def sum(self, terms: list[Any]) -> Any:
        """Sum via ``LinearExpr.sum`` (fast for long lists)."""
        return cp_model.LinearExpr.sum(terms) if terms else 0


def reproducible_solver(*, workers: int, seed: int, deterministic_seconds: float,
                        wall_seconds: float) -> cp_model.CpSolver:
    """A CP-SAT solver whose search depends only on the model, seed and workers.

    Interleaved search with a deterministic time limit: the same inputs give the same answer
    whenever the deterministic limit (or optimality), not the wall-clock one, ends the search.
    """
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = workers
    params.random_seed = seed
    params.interleave_search = workers > 1
    params.max_deterministic_time = deterministic_seconds
    params.max_time_in_seconds = wall_seconds
    return solver


def solve_counted(solver: cp_model.CpSolver, model: cp_model.CpModel, stage: str,
                  callback: cp_model.CpSolverSolutionCallback | None = None) -> int:
    """Run a solver made by :func:`reproducible_solver` and return its status; when the wall-clock limit, not the
    deterministic one, ended a search that neither proved its answer nor ran out of deterministic time, record it
    as a clock stop of ``stage`` (:func:`scheduler.work_limits.note_clock_stop`)."""
    status = solver.solve(model, callback)
    limit = solver.parameters.max_deterministic_time
    if status in (cp_model.FEASIBLE, cp_model.UNKNOWN) and solver.deterministic_time < CLOCK_STOP_SHARE * limit:
        note_clock_stop(stage)
    return status
