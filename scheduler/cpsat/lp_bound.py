"""The LP relaxation of the CP-SAT model, read from its proto, and a lower bound that is safe.

The relaxation is taken from the very model CP-SAT solves (every constraint of
:mod:`scheduler.cpsat.model` is linear), so the bound can never belong to a different model.

Two ways to solve it:

- **exact** (small and medium models): HiGHS through :func:`scipy.optimize.linprog`; the bound
  is the LP optimum.
- **large** models: PDLP, OR-Tools' first-order LP solver, which scales to millions of
  non-zeros but stops with an approximate solution. Its dual vector is turned into a bound
  that holds *whatever its accuracy*: every variable of the model has finite bounds, so for
  any multipliers ``y`` (sign-corrected to the finite sides of each row) the Lagrangian
  ``sum_i y_i·side_i + sum_j min(r_j·lb_j, r_j·ub_j)`` with reduced costs ``r = c - Aᵀy`` is
  at most the LP optimum, hence at most the optimum of the roster problem (weak duality).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from ortools.sat import cp_model_pb2
from ortools.sat.python import cp_model
from scipy.optimize import linprog

from scheduler.work_limits import BOUND_STAGE, WALL_SAFETY, note_clock_stop, pdlp_pass_limit, pdlp_threads

INT64_LIMIT = 2**62  # CP-SAT writes unbounded sides as the int64 extremes


@dataclass(frozen=True)
class LinearRelaxation:
    """``min c·x`` subject to ``row_lower <= A x <= row_upper`` and ``lower <= x <= upper``.

    Attributes
    ----------
    objective : numpy.ndarray
        ``c``, in model units.
    matrix : scipy.sparse.csr_matrix
        ``A``.
    row_lower, row_upper : numpy.ndarray
        Row sides (``-inf`` / ``inf`` where a side is open).
    lower, upper : numpy.ndarray
        Variable bounds (always finite in this model).
    offset : float
        The objective's constant (a re-plan's changes no roster avoids, for one): :func:`exact_solve` and
        :func:`pdlp_solve` add it to their bounds.
    """

    objective: np.ndarray
    matrix: sp.csr_matrix
    row_lower: np.ndarray
    row_upper: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    offset: float = 0.0

    @property
    def num_variables(self) -> int:
        """Number of columns."""
        return len(self.objective)


def relaxation_of(model: cp_model.CpModel) -> LinearRelaxation:
    """Read the LP relaxation of a CP-SAT model made of linear constraints only.

    Parameters
    ----------
    model : cp_model.CpModel
        A model whose constraints are all plain linear ones (no enforcement literals).

    Returns
    -------
    LinearRelaxation
        The relaxation.

    Raises
    ------
    ValueError
        When a constraint is not a plain linear one (the relaxation would be wrong).
    """
    proto = _message_of(model)
    num_vars = len(proto.variables)
    lower = np.empty(num_vars)
    upper = np.empty(num_vars)
    for i, variable in enumerate(proto.variables):
        lower[i], upper[i] = variable.domain[0], variable.domain[-1]
    rows: list[int] = []
    cols: list[int] = []
    coefficients: list[int] = []
    row_lower: list[float] = []
    row_upper: list[float] = []
    for r, constraint in enumerate(proto.constraints):
        if len(constraint.enforcement_literal):
            raise ValueError(f"constraint {r} has an enforcement literal: no plain LP relaxation")
        linear = constraint.linear
        variables = linear.vars
        if not variables:
            raise ValueError(f"constraint {r} is not linear: no plain LP relaxation")
        if min(variables) < 0:
            raise ValueError(f"constraint {r} uses a negated literal")
        rows.extend([r] * len(variables))
        cols.extend(variables)
        coefficients.extend(linear.coeffs)
        row_lower.append(linear.domain[0])
        row_upper.append(linear.domain[-1])
    matrix = sp.csr_matrix((np.asarray(coefficients, dtype=float), (np.asarray(rows), np.asarray(cols))),
                           shape=(len(row_lower), num_vars))
    lo = np.asarray(row_lower, dtype=float)
    hi = np.asarray(row_upper, dtype=float)
    lo[lo <= -INT64_LIMIT] = -np.inf
    hi[hi >= INT64_LIMIT] = np.inf
    objective = np.zeros(num_vars)
    np.add.at(objective, np.asarray(proto.objective.vars, dtype=int),
              np.asarray(proto.objective.coeffs, dtype=float))
    return LinearRelaxation(objective, matrix, lo, hi, lower, upper, float(proto.objective.offset))


def _message_of(model: cp_model.CpModel) -> cp_model_pb2.CpModelProto:
    """The model as a protobuf message: reading the solver's own proto wrapper field by field from Python
    takes 22 s on a 600,000-variable model, its binary export and parse under 2 s."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.pb")
        if not model.export_to_file(path):
            raise RuntimeError("CP-SAT could not export the model for its LP relaxation")
        with open(path, "rb") as handle:
            return cp_model_pb2.CpModelProto.FromString(handle.read())


def exact_bound(lp: LinearRelaxation, time_limit_seconds: float) -> float | None:
    """The LP optimum with HiGHS (model units), or None when it does not finish in time."""
    solved = exact_solve(lp, time_limit_seconds)
    return None if solved is None else solved[0]


def exact_solve(lp: LinearRelaxation, time_limit_seconds: float,
                method: str = "highs") -> tuple[float, np.ndarray] | None:
    """:func:`exact_bound` and HiGHS's optimal point, or None when it does not finish in time (``method``: that of
    :func:`scipy.optimize.linprog`; the bound is safe whichever solves it)."""
    equal = lp.row_lower == lp.row_upper
    upper_rows = ~equal & np.isfinite(lp.row_upper)
    lower_rows = ~equal & np.isfinite(lp.row_lower)
    a_ub = sp.vstack([lp.matrix[upper_rows], -lp.matrix[lower_rows]]).tocsr()
    b_ub = np.concatenate([lp.row_upper[upper_rows], -lp.row_lower[lower_rows]])
    scale = max(float(np.abs(lp.objective).max(initial=0.0)), 1.0)
    result = linprog(lp.objective / scale, A_ub=a_ub if a_ub.shape[0] else None, b_ub=b_ub if len(b_ub) else None,
                     A_eq=lp.matrix[equal] if equal.any() else None, b_eq=lp.row_lower[equal] if equal.any() else None,
                     bounds=np.column_stack([lp.lower, lp.upper]), method=method,
                     options={"time_limit": float(time_limit_seconds)})
    if result.status != 0:
        return None
    # HiGHS's optimum is within its tolerances; the safe bound from its duals guards against round-off
    duals = np.zeros(len(lp.row_lower))
    if equal.any():
        duals[np.flatnonzero(equal)] = result.eqlin.marginals
    if upper_rows.any() or lower_rows.any():
        marginals = result.ineqlin.marginals
        n_up = int(upper_rows.sum())
        duals[np.flatnonzero(upper_rows)] += marginals[:n_up]
        duals[np.flatnonzero(lower_rows)] -= marginals[n_up:]
    return min(safe_bound(lp, duals * scale), float(result.fun) * scale) + lp.offset, np.asarray(result.x)


def pdlp_bound(lp: LinearRelaxation, time_limit_seconds: float, threads: int = 1) -> float:
    """A safe lower bound (model units) from PDLP's dual solution after a nominal ``time_limit_seconds`` of work."""
    return pdlp_solve(lp, time_limit_seconds, threads)[0]


def pdlp_solve(lp: LinearRelaxation, seconds: float, threads: int = 1,
               wall_seconds: float | None = None) -> tuple[float, np.ndarray, float]:
    """PDLP on the relaxation for a nominal ``seconds`` of work.

    PDLP stops after the KKT passes (products with the constraint matrix and its transpose) that
    :func:`scheduler.work_limits.pdlp_pass_limit` allows in ``seconds``, so the same relaxation and
    thread count give the same duals on every run; the wall clock (``wall_seconds``, default
    :data:`scheduler.work_limits.WALL_SAFETY` times ``seconds``) is only a safety net. A matrix below
    :data:`scheduler.work_limits.PDLP_PARALLEL_NONZEROS` gets one thread whatever ``threads`` says.

    Returns
    -------
    tuple
        The safe lower bound (model units), the approximate primal point, and the nominal seconds of the
        passes made.
    """
    from ortools.pdlp import solve_log_pb2, solvers_pb2
    from ortools.pdlp.python import pdlp

    scale = max(float(np.abs(lp.objective).max(initial=0.0)), 1.0)
    program = pdlp.QuadraticProgram()
    program.objective_vector = lp.objective / scale
    program.constraint_lower_bounds = lp.row_lower
    program.constraint_upper_bounds = lp.row_upper
    program.variable_lower_bounds = lp.lower
    program.variable_upper_bounds = lp.upper
    program.constraint_matrix = lp.matrix.tocsc()
    params = solvers_pb2.PrimalDualHybridGradientParams()
    threads = pdlp_threads(lp.matrix.nnz, threads)  # small matrices: one thread is as fast, and stays on its passes
    passes = pdlp_pass_limit(seconds, lp.matrix.nnz, threads)
    params.termination_criteria.kkt_matrix_pass_limit = passes
    params.termination_criteria.time_sec_limit = float(WALL_SAFETY * seconds if wall_seconds is None else wall_seconds)
    params.termination_criteria.simple_optimality_criteria.eps_optimal_relative = 1e-6
    params.num_threads = threads
    params.verbosity_level = 0
    result = pdlp.primal_dual_hybrid_gradient(program, params)
    if result.solve_log.termination_reason == solve_log_pb2.TERMINATION_REASON_TIME_LIMIT:
        note_clock_stop(BOUND_STAGE)  # the bound, not the roster, may differ between runs
    used = seconds * min(result.solve_log.solution_stats.cumulative_kkt_matrix_passes / passes, 1.0)
    return (scaled_safe_bound(lp, np.asarray(result.dual_solution) * scale) + lp.offset,
            np.asarray(result.primal_solution),
            used)


#: Multiples of an inexact dual vector tried by :func:`scaled_safe_bound`.
DUAL_SCALES = (1.0, 0.98, 0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.5, 0.3)


def scaled_safe_bound(lp: LinearRelaxation, duals: np.ndarray) -> float:
    """The best :func:`safe_bound` over multiples of ``duals``: each multiple is a valid multiplier vector.

    An inexact dual (PDLP stopped early) often over-prices rows, which leaves negative reduced costs
    on variables with wide bounds; shrinking it trades a little of the rows' value for much less of that
    penalty. On the large benchmark (595,507 variables, PDLP stopped after 40 s) the best multiple, 0.8,
    gave a bound about 7 times the unscaled one.
    """
    return max(safe_bound(lp, factor * duals) for factor in DUAL_SCALES)


def safe_bound(lp: LinearRelaxation, duals: np.ndarray) -> float:
    """The Lagrangian bound of any row multipliers: a valid lower bound on ``min c·x``.

    A multiplier pushing on an open side of its row is dropped (set to zero); the variables'
    bounds are finite, so the minimum of the reduced-cost term always exists.
    """
    y = np.where(((duals > 0) & ~np.isfinite(lp.row_lower)) | ((duals < 0) & ~np.isfinite(lp.row_upper)),
                 0.0, duals)
    sides = np.where(y > 0, y * np.where(np.isfinite(lp.row_lower), lp.row_lower, 0.0),
                     y * np.where(np.isfinite(lp.row_upper), lp.row_upper, 0.0))
    reduced = lp.objective - lp.matrix.T @ y
    bound = float(sides.sum() + np.minimum(reduced * lp.lower, reduced * lp.upper).sum())
    # the multipliers y = 0 give the bound of the variables' box alone: never report less than that
    return max(bound, float(np.minimum(lp.objective * lp.lower, lp.objective * lp.upper).sum()))
