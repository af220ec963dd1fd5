"""The pipeline behind ``shiftplan solve``: plan -> requirements -> schedule -> roster files.

Requirements come, in this order of preference, from the plan's requirements file, from a
forecast file given on the command line, from the latest forecast in the plan folder, or from
a fresh forecast; the staffing math turns a forecast into requirements.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from inputs.records import Plan
from outputs.files import write_atomic
from outputs.roster_frame import roster_segments
from outputs.safety import safe_frame
from scheduler.build import build_problem
from scheduler.problem import ProblemData
from scheduler.result import Result
from scheduler.solve import ProgressCallback, solve

OUTPUT_FOLDER = "outputs"


@dataclass(frozen=True)
class SolveOutcome:
    """What ``shiftplan solve`` produced."""

    result: Result
    problem: ProblemData
    requirements_source: str
    roster_path: Path | None
    segments: pd.DataFrame | None


class RequirementsUnavailableError(Exception):
    """No requirements file, and no forecast could be turned into requirements."""


def requirements_from_file(plan: Plan) -> pd.DataFrame:
    """The plan's own requirements, restricted to the horizon."""
    frame = plan.requirements.frame
    horizon = plan.horizon
    return frame[frame["start"].between(horizon.start_utc, horizon.end_utc, inclusive="left")]


def plan_requirements(plan: Plan, *, forecast_file: Path | None = None,
                      log: Callable[[str], None] = lambda _: None) -> tuple[pd.DataFrame, str]:
    """Return the requirements (``start``, ``language``, ``channel``, ``agents``) and where they came from.

    Parameters
    ----------
    plan : Plan
        The validated plan.
    forecast_file : Path, optional
        A forecast to use instead of the latest one in the plan folder.
    log : callable
        Receives one-line progress messages.

    Raises
    ------
    RequirementsUnavailableError
        When neither a requirements file nor a forecast path is available.
    """
    if plan.requirements is not None and forecast_file is None:
        return requirements_from_file(plan), f"requirements file {plan.config.files.requirements}"
    try:
        from shiftplan.demand import requirements_from_forecast
    except ImportError as exc:  # the forecasting and staffing stages are not installed yet
        raise RequirementsUnavailableError(
            "this plan has no requirements file and the forecasting stage is not available; set [files] "
            "requirements in shiftplan.toml") from exc
    return requirements_from_forecast(plan, forecast_file=forecast_file, log=log)


def run_solve(plan: Plan, *, time_limit_seconds: float, workers: int, seed: int, output: Path | None = None,
              overwrite: bool = False, forecast_file: Path | None = None,
              progress: ProgressCallback | None = None, log: Callable[[str], None] = lambda _: None) -> SolveOutcome:
    """Run requirements, schedule and roster writing for a validated plan.

    Parameters
    ----------
    plan : Plan
        The validated plan.
    time_limit_seconds, workers, seed : float, int, int
        Solver settings (the CLI fills them from the plan unless overridden).
    output : Path, optional
        Roster file; default ``PLAN/outputs/roster-<first day>.csv``.
    overwrite : bool
        Replace an existing roster file instead of writing a versioned name.
    forecast_file : Path, optional
        Forecast to staff from.
    progress : callable, optional
        Live (seconds, objective, bound) reports from the solver.
    log : callable
        One-line stage messages.

    Returns
    -------
    SolveOutcome
        The result and where the roster was written (None when no roster was found).
    """
    requirements, source = plan_requirements(plan, forecast_file=forecast_file, log=log)
    log(f"requirements from {source}: {requirements['agents'].sum() * plan.horizon.interval_minutes / 60:,.0f} "
        "agent-hours")
    problem = build_problem(plan, requirements)
    log(f"model: {len(problem.agents)} agents in {len(problem.groups)} skill groups, "
        f"{sum(len(a.options) for a in problem.agents):,} shift options, {problem.num_intervals} intervals")
    result = solve(problem, time_limit_seconds=time_limit_seconds, workers=workers, seed=seed,
                   relative_gap=plan.config.solver.relative_gap, progress=progress)
    if result.roster is None:
        return SolveOutcome(result, problem, source, None, None)
    segments = roster_segments(plan, problem, result.roster)
    target = output or plan.root / OUTPUT_FOLDER / f"roster-{plan.horizon.first_day.isoformat()}.csv"
    safe = safe_frame(segments, ["employee_id", "name", "site"])
    written = write_atomic(target, lambda tmp: safe.to_csv(tmp, index=False, date_format="%Y-%m-%dT%H:%M:%S"),
                           overwrite=overwrite)
    return SolveOutcome(result, problem, source, written, segments)


def default_output_name(first_day: dt.date) -> str:
    """The roster file name for a horizon starting on ``first_day``."""
    return f"roster-{first_day.isoformat()}.csv"
