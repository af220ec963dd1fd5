"""Two back ends for one model: CP-SAT (the roster) and GLOP (its LP relaxation, a lower bound).

The model code in :mod:`scheduler.cpsat.model` only calls :meth:`Backend.bool_var`,
:meth:`Backend.int_var`, :meth:`Backend.add` and :meth:`Backend.minimize`, so the LP bound is
the relaxation of exactly the model that is solved.
"""

from __future__ import annotations

from typing import Any

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model


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


class LpBackend(Backend):
    """Builds the LP relaxation with GLOP: every variable continuous within its bounds."""

    def __init__(self) -> None:
        self.solver = pywraplp.Solver.CreateSolver("GLOP")
        if self.solver is None:  # pragma: no cover - GLOP ships with ortools
            raise RuntimeError("GLOP is not available")

    def bool_var(self, name: str) -> Any:
        """A variable in [0, 1]."""
        return self.solver.NumVar(0.0, 1.0, name)

    def int_var(self, lb: int, ub: int, name: str) -> Any:
        """A continuous variable in [lb, ub]."""
        return self.solver.NumVar(float(lb), float(ub), name)

    def add(self, constraint: Any) -> None:
        """Add a constraint (constant ones are checked and skipped)."""
        if isinstance(constraint, bool):
            if not constraint:
                raise ValueError("a constraint of constants is false")
            return
        self.solver.Add(constraint)

    def minimize(self, expr: Any) -> None:
        """Minimise ``expr``."""
        self.solver.Minimize(expr)

    def sum(self, terms: list[Any]) -> Any:
        """Sum via ``solver.Sum``."""
        return self.solver.Sum(terms) if terms else 0
