"""The pipeline behind ``shiftplan solve``: plan -> requirements -> schedule -> roster files.

The roster files are the workbook, the HR CSV, one ICS calendar per agent and a reloadable
result (JSON) from which ``shiftplan export`` rewrites the others without solving
(:func:`run_export`).

Requirements come, in this order of preference, from the plan's requirements file, from a
forecast file given on the command line, from the latest forecast in the plan folder, or from
a fresh forecast; the staffing math turns a forecast into requirements.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from inputs.records import Plan
from outputs.files import OutputFolderError, check_writable_folder, remove_if_empty, versioned_set
from outputs.manifest import run_manifest, utc_now
from outputs.report import RosterReport, build_report, result_from_facts
from outputs.result_io import ResultFileError, load_report
from outputs.write import (
    CALENDARS,
    CSV,
    RESULT,
    SHIFTS,
    WORKBOOK,
    WrittenFiles,
    default_stem_for,
    stem_of,
    unversioned,
    write_roster_files,
)
from scheduler.build import build_problem, published_breaks_passed_over
from scheduler.problem import ProblemData
from scheduler.result import Result
from scheduler.solve import ProgressCallback, solve

if TYPE_CHECKING:
    from forecasting.scenario import Scenario

OUTPUT_FOLDER = "outputs"


@dataclass(frozen=True)
class SolveOutcome:
    """What ``shiftplan solve`` produced."""

    result: Result
    problem: ProblemData
    requirements_source: str
    files: WrittenFiles | None
    report: RosterReport | None
    stage_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def roster_path(self) -> Path | None:
        """The workbook written (None when no roster was found)."""
        return None if self.files is None else self.files.workbook


@contextmanager
def timed(stage_seconds: dict[str, float], stage: str) -> Iterator[None]:
    """Add the wall time of the ``with`` block to ``stage_seconds[stage]`` (also when it raises)."""
    started = time.perf_counter()
    try:
        yield
    finally:
        stage_seconds[stage] = stage_seconds.get(stage, 0.0) + time.perf_counter() - started


class RequirementsUnavailableError(Exception):
    """No requirements file, and no forecast could be turned into requirements."""


def requirements_from_file(plan: Plan) -> pd.DataFrame:
    """The plan's own requirements, restricted to the horizon."""
    frame = plan.requirements.frame
    horizon = plan.horizon
    return frame[frame["start"].between(horizon.start_utc, horizon.end_utc, inclusive="left")]


def plan_requirements(plan: Plan, *, forecast_file: Path | None = None, scenarios: Sequence[Scenario] = (),
                      log: Callable[[str], None] = lambda _: None) -> tuple[pd.DataFrame, str]:
    """Return the requirements (``start``, ``language``, ``channel``, ``agents``) and where they came from.

    Parameters
    ----------
    plan : Plan
        The validated plan.
    forecast_file : Path, optional
        A forecast to use instead of the latest one in the plan folder.
    scenarios : sequence of Scenario
        What-ifs applied to the forecast on the plan's intervals (``solve --scenario``).
    log : callable
        Receives one-line progress messages.

    Raises
    ------
    RequirementsUnavailableError
        When neither a requirements file nor a forecast path is available, or scenarios are asked of a plan that
        staffs from its requirements file (a scenario scales a forecast's contacts, not agents).
    """
    if plan.requirements is not None and forecast_file is None:
        if scenarios:
            raise RequirementsUnavailableError(
                f"--scenario scales a forecast's contacts, and this plan staffs from its requirements file "
                f"{plan.config.files.requirements} (agents, not contacts); nothing was written. Fix: give the "
                "forecast to scale with --forecast FILE, or take [files] requirements out of shiftplan.toml")
        return requirements_from_file(plan), f"requirements file {plan.config.files.requirements}"
    try:
        from shiftplan.demand import requirements_from_forecast
        from shiftplan.scenario_staffing import ScenarioStaffingError
    except ImportError as exc:  # the forecasting and staffing stages are not installed yet
        raise RequirementsUnavailableError(
            "this plan has no requirements file and the forecasting stage is not available; set [files] "
            "requirements in shiftplan.toml") from exc
    try:
        return requirements_from_forecast(plan, forecast_file=forecast_file, scenarios=scenarios, log=log)
    except ScenarioStaffingError as exc:
        raise RequirementsUnavailableError(f"{exc}; nothing was written") from None


def requirements_inputs(plan: Plan, forecast_file: Path | None) -> list[Path]:
    """Every file a solve read: the plan's own files and, when staffing from a forecast, that forecast."""
    files = [plan.root / "shiftplan.toml", *plan.input_files]
    if forecast_file is not None:
        files.append(forecast_file)
    elif plan.requirements is None:
        from shiftplan.forecast_job import latest_forecast

        latest = latest_forecast(plan.root, plan.horizon)
        if latest is not None:
            files.append(latest)
    return list(dict.fromkeys(Path(f) for f in files))


def applied_scenarios(forecast_file: Path | None, scenarios: Sequence[Scenario]) -> list[str]:
    """The scenarios a solve staffed with, as typed: those of its scenario forecast file, then its own."""
    from forecasting.scenario import scenario_texts
    from shiftplan.forecast_job import read_metadata

    saved = scenario_texts(read_metadata(forecast_file)) if forecast_file is not None else []
    return [*saved, *(scenario.text for scenario in scenarios)]


def overtime_settings(plan: Plan) -> dict[str, object]:
    """The run's overtime allowance as the manifest records it: ``[rules] overtime_hours_per_week``,
    ``overtime_days_per_week`` and, when set, ``overtime_until`` (an ISO date)."""
    rules = plan.config.rules
    settings: dict[str, object] = {"overtime_hours_per_week": rules.overtime_hours_per_week,
                                   "overtime_days_per_week": rules.overtime_days_per_week}
    if rules.overtime_until is not None:
        settings["overtime_until"] = rules.overtime_until.isoformat()
    return settings


def run_solve(plan: Plan, *, time_limit_seconds: float, workers: int, seed: int, output: Path | None = None,
              overwrite: bool = False, forecast_file: Path | None = None, scenarios: Sequence[Scenario] = (),
              progress: ProgressCallback | None = None, log: Callable[[str], None] = lambda _: None) -> SolveOutcome:
    """Run requirements, schedule and roster writing for a validated plan.

    Parameters
    ----------
    plan : Plan
        The validated plan.
    time_limit_seconds, workers, seed : float, int, int
        Solver settings (the CLI fills them from the plan unless overridden).
    output : Path, optional
        Workbook file; the CSV, calendars and result get the same stem. Default
        ``PLAN/outputs/roster-<first day>.xlsx``.
    overwrite : bool
        Replace existing roster files instead of writing a versioned set.
    forecast_file : Path, optional
        Forecast to staff from.
    scenarios : sequence of Scenario
        What-ifs applied to the forecast on the plan's intervals (``solve --scenario``); with those a scenario
        forecast file applied, they are in the run manifest.
    progress : callable, optional
        Live (seconds, objective, bound) reports from the solver.
    log : callable
        One-line stage messages.

    Returns
    -------
    SolveOutcome
        The result, the report and where the files were written (None when no roster was found). The lines logged
        while making the requirements (the events a forecast applied, its closed hours, warnings, the source) are in
        the report's ``facts["requirements_notes"]``, for the workbook's Summary.
    """
    from shiftplan.demand import staffing_spec

    started = utc_now()
    stage_seconds: dict[str, float] = {}
    folder, stem = (output.parent, output.stem) if output is not None else (plan.root / OUTPUT_FOLDER, None)
    created = check_output_names(plan, folder, stem or default_stem_for(plan.horizon.first_day), overwrite=overwrite)
    files = None
    notes: list[str] = []  # what the requirements stage prints (the events applied), for the workbook's Summary too

    def note(line: str) -> None:
        notes.append(line)
        log(line)

    try:
        with timed(stage_seconds, "requirements"):
            requirements, source = plan_requirements(plan, forecast_file=forecast_file, scenarios=scenarios, log=note)
        note(f"requirements from {source}: {requirements['agents'].sum() * plan.horizon.interval_minutes / 60:,.0f} "
             "agent-hours")
        with timed(stage_seconds, "model"):
            problem = build_problem(plan, requirements)
            passed_over = published_breaks_passed_over(plan, problem) if plan.kept is not None else 0
        if passed_over and plan.kept.breaks_from is not None:
            log(f"  the break times of {passed_over:,} published shift{'s' if passed_over > 1 else ''} in "
                f"{plan.kept.breaks_from.name} do not fit their template's break rules (edited by hand, or the "
                "templates changed since): those breaks are placed afresh")
        log(f"model: {len(problem.agents)} agents in {len(problem.groups)} skill groups, "
            f"{sum(len(a.options) for a in problem.agents):,} shift options, {problem.num_intervals} intervals")
        with timed(stage_seconds, "solve"):
            result = solve(problem, time_limit_seconds=time_limit_seconds, workers=workers, seed=seed,
                           relative_gap=plan.config.solver.relative_gap, progress=progress)
        if result.roster is None:
            return SolveOutcome(result, problem, source, None, None, stage_seconds)
        with timed(stage_seconds, "report"):
            manifest = run_manifest(root=plan.root, inputs=requirements_inputs(plan, forecast_file),
                                    requirements_source=source, seed=seed, workers=workers,
                                    time_limit_seconds=time_limit_seconds, started_utc=started, finished_utc=utc_now(),
                                    keep_before=None if plan.kept is None else plan.kept.label,
                                    scenarios=applied_scenarios(forecast_file, scenarios),
                                    overtime=overtime_settings(plan))
            specs = {q.key: staffing_spec(q) for q in plan.queues}
            report = build_report(plan, problem, result, requirements, specs, time_limit_seconds=time_limit_seconds,
                                  manifest=manifest, requirements_notes=notes)
        with timed(stage_seconds, "files"):
            files = write_roster_files(report, folder, stem=stem, overwrite=overwrite)
        return SolveOutcome(result, problem, source, files, report, stage_seconds)
    finally:
        if files is None:  # no roster, or a failure: the folders made for it go again
            remove_if_empty(created)


def check_output_names(plan: Plan, folder: Path, stem: str, *, overwrite: bool) -> list[Path]:
    """Refuse, before solving, an output folder that cannot be written or roster files that would replace one of
    the plan's own inputs (``-o PLAN/agents.xlsx --overwrite`` wrote the HR sheet over ``agents.csv``).

    Returns
    -------
    list of Path
        The folders created for the output (see :func:`outputs.files.check_writable_folder`).

    Raises
    ------
    outputs.files.OutputFolderError
        With the folder or file, why, and the fix.
    """
    created = check_writable_folder(folder, what="roster files")
    inputs = {path.resolve() for path in requirements_inputs(plan, None)}
    names = versioned_set(folder, stem, (WORKBOOK, CSV, SHIFTS, CALENDARS, RESULT), overwrite=overwrite)
    clash = sorted(str(path) for path in names.values() if path.resolve() in inputs)
    if clash:
        raise OutputFolderError(f"the roster files would replace the plan's own input {', '.join(clash)}; nothing "
                                "was written. Fix: choose another output name with -o (e.g. -o "
                                f"{folder / 'roster.xlsx'}), or another folder")
    return created


def latest_shifts_file(plan_dir: Path) -> Path | None:
    """The most recently written shifts file of the plan's horizon, ``PLAN/outputs/roster-<first day>[.vN].shifts.csv``:
    the roster ``solve --keep-before`` re-plans from by default. None when there is none, or when ``shiftplan.toml``
    cannot be read (loading the plan then says why)."""
    from inputs.problems import ProblemLog
    from inputs.toml_reader import read_config

    config = read_config(Path(plan_dir), ProblemLog())
    folder = Path(plan_dir) / OUTPUT_FOLDER
    if config is None or not folder.is_dir():
        return None
    stem = default_stem_for(config.plan.first_day)
    found = [path for path in folder.glob(f"{stem}*{SHIFTS}")
             if re.fullmatch(rf"{re.escape(stem)}(\.v\d+)?", path.name[:-len(SHIFTS)])]
    return max(found, key=lambda path: (path.stat().st_mtime_ns, path.name)) if found else None


def latest_result(plan_dir: Path) -> Path | None:
    """The most recently written ``*.result.json`` in ``PLAN/outputs`` (None when there is none)."""
    folder = Path(plan_dir) / OUTPUT_FOLDER
    found = sorted(folder.glob(f"*{RESULT}"), key=lambda p: (p.stat().st_mtime_ns, p.name)) if folder.is_dir() else []
    return found[-1] if found else None


def run_export(plan_dir: Path, *, result_file: Path | None = None,
               overwrite: bool = False) -> tuple[RosterReport, WrittenFiles, Path]:
    """Rewrite the workbook, CSV and calendars from a saved result, without solving.

    Parameters
    ----------
    plan_dir : Path
        The plan folder (its ``outputs/`` holds the result and receives the files).
    result_file : Path, optional
        The result to export (default: the latest in ``PLAN/outputs``).
    overwrite : bool
        Replace the files of the result's own name (``roster-D.v2.result.json`` -> ``roster-D.v2.*``);
        otherwise the next free version of its name is written, the result included, so a re-plan that keeps the
        newest shifts file finds its breaks beside it.

    Returns
    -------
    tuple
        (the report, the files written, the result file read).

    Raises
    ------
    FileNotFoundError
        When no result file is given and none is in ``PLAN/outputs``.
    outputs.result_io.ResultFileError
        When the file is not a shiftplan result.
    """
    path = result_file or latest_result(plan_dir)
    if path is None:
        raise FileNotFoundError(f"no saved result (*{RESULT}) in {Path(plan_dir) / OUTPUT_FOLDER}; run "
                                f"'shiftplan solve {plan_dir}' first, or give --result FILE")
    report = load_report(path)
    folder, stem = stem_of(Path(path))
    if not overwrite:
        folder, stem = Path(plan_dir) / OUTPUT_FOLDER, unversioned(stem)
    check_writable_folder(folder, what="roster files")
    try:  # a result edited or damaged by hand can hold values no writer expects; the set is written all or nothing
        result_from_facts(report.facts).summary()
        files = write_roster_files(report, folder, stem=stem, overwrite=overwrite, with_result=not overwrite)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError, OverflowError, ZeroDivisionError,
            RecursionError) as exc:
        raise ResultFileError(f"{path}: a damaged shiftplan result: the roster files cannot be written from it "
                              f"({type(exc).__name__}: {exc}); nothing was written. Fix: export another result "
                              "(--result FILE), or run 'shiftplan solve' again to write a new one") from None
    return report, files, Path(path)
