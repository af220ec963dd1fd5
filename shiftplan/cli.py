"""The ``shiftplan`` command line: a thin shell over the library.

Exit codes: 0 success; 1 the plan or an input has problems (listed, nothing written);
2 usage error (click); 3 a stage ran but could not produce its output.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import os
import sys
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

import click

from inputs.config import MAX_SEED
from inputs.plan_loader import load_plan
from inputs.problems import PlanError, render_problems
from inputs.records import KeptRoster, Plan

if TYPE_CHECKING:
    from forecasting.scenario import Scenario
from shiftplan.example import FolderNotEmptyError, write_example
from shiftplan.summary import (
    changes_line,
    files_summary,
    forecast_models,
    kept_line,
    plan_summary,
    roster_summary,
    wall_time_line,
)

EXIT_PLAN_PROBLEMS = 1
EXIT_NO_ROSTER = 3


def _version() -> str:
    try:
        return version("shiftplan")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0+unknown"


class PlanProblems(click.ClickException):
    """A :class:`PlanError` shown as a list of problems, exit code 1, no traceback."""

    exit_code = EXIT_PLAN_PROBLEMS

    def __init__(self, error: PlanError) -> None:
        super().__init__(error.report())

    def show(self, file: object = None) -> None:
        """Print the report to stderr."""
        click.echo(self.format_message(), err=True)


def _finite(param: click.Parameter, value: float | None, unit: str = "seconds", example: str = "60") -> float | None:
    """Refuse ``nan`` (click's ranges let it through: it compares false with both ends)."""
    if value is not None and math.isnan(value):
        raise click.BadParameter(f"nan is not a number of {unit}; give e.g. {example}", param=param)
    return value


def _write_failure(error: OSError) -> str:
    """The message for a write that failed after the output checks: where, why, and that nothing was written."""
    where = f" {error.filename}" if error.filename else ""
    return (f"could not write{where}: {error.strerror or error}; no roster file was written or replaced. Fix: free "
            "disk space or check the folder's permissions, then run again")


PLAN_ARGUMENT = click.argument("plan_dir", metavar="PLAN", type=click.Path(path_type=Path))


def _scenarios(_ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[Scenario, ...]:
    """Parse every ``--scenario`` before any work: a malformed one, or one given twice, is a usage error that says
    what is wrong and how to write it (exit 2, nothing read or written)."""
    from forecasting.scenario import parse_scenarios

    try:
        return parse_scenarios(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param=param) from None


#: ``--scenario``, repeatable, shared by ``forecast``, ``requirements`` and ``solve``.
SCENARIO_OPTION = click.option(
    "--scenario", "scenarios", multiple=True, metavar="WHAT-IF", callback=_scenarios,
    help='A what-if on the forecast: SELECTOR PERCENT START/DURATION, e.g. "chat +300% 2026-12-02T15:00/6h" '
         "(SELECTOR a channel, a language, language/channel or *; START on the plan's clock). Repeat it for "
         "several: each applies, and where two meet on a queue their factors multiply.")


def _check_scenarios(plan: object, scenarios: tuple[Scenario, ...]) -> None:
    """Refuse, before any work, a scenario that matches no queue or would change nothing on the plan's intervals."""
    from forecasting.scenario_apply import check_scenarios

    if scenarios:
        try:
            check_scenarios(plan, scenarios, plan.horizon.interval_minutes)
        except ValueError as exc:
            raise click.ClickException(f"{exc}; nothing was written") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(_version(), "--version", "-V", prog_name="shiftplan")
def main() -> None:
    """Plan a contact centre: forecast, staffing, rosters and workbooks.

    A plan is a folder holding shiftplan.toml and the input tables it names (history,
    agents, time off, events). Start from the bundled example:

    \b
    Example:
        shiftplan init my-plan
        shiftplan validate my-plan
    """


@main.command()
@click.argument("target", metavar="DIR", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Write into a non-empty folder, replacing the example's files.")
def init(target: Path, force: bool) -> None:
    """Create a plan folder from the bundled example, a crypto exchange support desk.

    \b
    Example:
        shiftplan init my-plan
    """
    try:
        written = write_example(target, force=force)
    except FolderNotEmptyError as exc:
        raise click.ClickException(f"{exc}; nothing was written. Choose a new folder, or add --force to "
                                   "replace the example's files in it.") from exc
    except OSError as exc:  # a parent that is a file, a folder without write permission
        where = exc.filename or target
        why = f"{where} is a file" if isinstance(exc, (FileExistsError, NotADirectoryError)) else \
            f"{exc.strerror or exc} ({where})"
        raise click.ClickException(f"cannot create the plan folder {target}: {why}; nothing was written. Fix: "
                                   "choose a folder you can write to") from None
    click.echo(f"Wrote the example plan to {target} ({len(written)} files: "
               f"{', '.join(p.name for p in written)}).")
    click.echo(f"Next: shiftplan validate {target}")


#: ``--keep-before`` parsed: the first day the roster may change, and the time of it (None: the whole day).
KeepMoment = tuple[dt.date, dt.time | None]


class KeepBefore(click.ParamType):
    """``--keep-before``: a day (``YYYY-MM-DD``), or a day and a time (``YYYY-MM-DD HH:MM``), as ``(date, time or
    None)``; a time of 00:00 stays a time (a re-plan from midnight on the plan's clock), unlike a bare day."""

    name = "DAY[ HH:MM]"

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> KeepMoment:
        """Parse the option's text into the first day the roster may change and, when given, the time of it."""
        if isinstance(value, tuple):
            return value  # type: ignore[return-value]
        text = str(value).strip()
        for form, has_time in (("%Y-%m-%d", False), ("%Y-%m-%d %H:%M", True), ("%Y-%m-%dT%H:%M", True)):
            try:
                moment = dt.datetime.strptime(text, form)
            except ValueError:
                continue
            return moment.date(), (moment.time() if has_time else None)
        self.fail(f"'{text}' is not a day (YYYY-MM-DD) or a day and a time (YYYY-MM-DD HH:MM)", param, ctx)


#: The re-plan's options, shared by ``solve`` and ``validate`` (which checks the kept rows without solving).
KEEP_BEFORE_OPTION = click.option(
    "--keep-before", "keep_before", type=KeepBefore(),
    default=None, metavar="DAY[ HH:MM]",
    help="Re-plan from this day (YYYY-MM-DD), or from this time of it on the plan's clock ('YYYY-MM-DD HH:MM', for a "
         "re-plan during the day): keep the earlier roster's shifts and days off before it, and shifts already under "
         "way; start the rest from its later rows, each change from them costing [objective] roster_changes.")
KEEP_FROM_OPTION = click.option(
    "--keep-from", "keep_from", type=click.Path(path_type=Path, exists=True, dir_okay=False), default=None,
    help="The earlier roster for --keep-before, in the pinned-roster columns (default: the newest "
         "PLAN/outputs/roster-<first day>.shifts.csv).")


@main.command()
@PLAN_ARGUMENT
@KEEP_BEFORE_OPTION
@KEEP_FROM_OPTION
def validate(plan_dir: Path, keep_before: KeepMoment | None, keep_from: Path | None) -> None:
    """Check a plan folder and print a summary, or every problem found.

    Exit code 0 when the plan is valid (warnings are printed), 1 with the list of problems.
    With --keep-before, the rows a re-plan would keep are checked too, without solving.

    \b
    Example:
        shiftplan validate my-plan
    """
    from shiftplan.pin_rules import pinned_rule_problems

    try:
        plan = load_plan(plan_dir, keep=_kept_roster(plan_dir, keep_before, keep_from), checks=(pinned_rule_problems,))
    except PlanError as error:
        raise PlanProblems(error) from None
    click.echo(plan_summary(plan))
    if plan.kept is not None:
        click.echo(kept_line(plan.kept, plan.config.objective.roster_changes))
    for line in render_problems(plan.warnings):
        click.echo("  " + line)


@main.command()
@PLAN_ARGUMENT
@SCENARIO_OPTION
@click.option("--quiet", "-q", is_flag=True, default=None,
              help="Log only warnings and errors (the default when not run from a terminal, e.g. cron).")
@click.option("--jobs", "n_jobs", type=click.IntRange(min=1, max=64), default=2, show_default=True,
              help="Series forecast in parallel.")
@click.option("--first-day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD",
              help="Forecast the horizon from this day instead of [plan] first_day (the weekly job's next week).")
def forecast(plan_dir: Path, scenarios: tuple[Scenario, ...], quiet: bool | None, n_jobs: int,
             first_day: dt.datetime | None) -> None:
    """Forecast volume and handle time per hour and queue, for the weekly cron job.

    Writes PLAN/forecasts/<year>-W<week>/forecast.csv and metadata.json atomically under a
    lock; a re-run with unchanged inputs changes nothing, changed inputs write a new version.
    Appends realised accuracy of earlier forecasts to PLAN/forecasts/accuracy.csv. Exit codes:
    0 ok, 1 invalid plan, 4 another run holds the lock, 5 the forecast failed.

    With --scenario, writes forecast.scenario-<id>.csv beside it instead (solve --scenario
    staffs the same what-if from the baseline) and prints what each scenario moved.

    \b
    Example:
        shiftplan forecast my-plan
        shiftplan forecast my-plan --first-day "$(date -d 'next monday' +%F)"   (cron: next week)
        shiftplan forecast my-plan --scenario "chat +300% 2026-12-02T15:00/6h" \\
            --scenario "phone +200% 2026-12-02T15:00/6h"   (a hack: chat x4, phone x3)
    """
    from forecasting.explain import forecast_notes, scenario_lines
    from shiftplan.forecast_job import run_forecast_job

    if quiet is None:
        quiet = not sys.stderr.isatty()
    day = None if first_day is None else first_day.date()
    try:
        horizon = load_plan(plan_dir, first_day=day).horizon
    except PlanError as error:
        raise PlanProblems(error) from None
    plan_dir = plan_dir.resolve()  # a cron log names the plan and its files whatever the working folder was
    click.echo(f"forecast of {plan_dir}, {horizon.weeks} week(s) from {horizon.first_day}, run "
               f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    outcome = run_forecast_job(plan_dir, scenarios=[scenario.text for scenario in scenarios], quiet=quiet,
                               progress=not quiet, n_jobs=n_jobs, first_day=day)
    for line in outcome.realised:  # last weeks' forecasts against what came: the week-over-week figure
        click.echo(line)
    click.echo(outcome.message, err=outcome.exit_code != 0)
    if outcome.exit_code:
        sys.exit(outcome.exit_code)
    if outcome.metadata_path is not None:  # which model forecast each queue and how accurately; events, closed hours
        metadata = json.loads(outcome.metadata_path.read_text(encoding="utf-8"))
        click.echo(forecast_models(metadata))
        click.echo(forecast_notes(metadata))
        for line in scenario_lines(metadata.get("scenario"), horizon.time_zone):
            click.echo(line)
        if scenarios:
            given = " ".join(f'--scenario "{scenario.text}"' for scenario in scenarios)
            click.echo(f'to roster from this what-if: shiftplan solve {plan_dir} {given} (a re-plan from the incident: '
                       'add --keep-before "DAY HH:MM")')


@main.command()
@PLAN_ARGUMENT
@click.option("--forecast", "forecast_file", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              default=None, help="Forecast file to staff (default: the latest in PLAN/forecasts, or a new one).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Requirements file (default: PLAN/outputs/requirements-<first day>.csv).")
@click.option("--overwrite", is_flag=True, help="Replace an existing file instead of writing a new version.")
@SCENARIO_OPTION
def requirements(plan_dir: Path, forecast_file: Path | None, output: Path | None, overwrite: bool,
                 scenarios: tuple[Scenario, ...]) -> None:
    """Turn the forecast into agents needed per interval and queue (Erlang C/A, deferred work).

    The file has the columns of a requirements input (start, language, channel, agents) plus the
    productive agents, contacts, handle time and the expected service level, ASA, abandonment,
    occupancy and backlog at that staffing; set it as [files] requirements to plan from it.
    With --scenario (or a scenario forecast), also the agents the scenarios add per queue.

    \b
    Example:
        shiftplan requirements my-plan -o my-plan/requirements.csv
        shiftplan requirements my-plan --scenario "en/chat +300% 2026-12-02T15:00/6h"
    """
    from outputs.files import write_atomic
    from shiftplan.demand import requirements_from_forecast
    from shiftplan.pipeline import RequirementsUnavailableError
    from shiftplan.scenario_staffing import ScenarioStaffingError

    try:
        plan = load_plan(plan_dir)
    except PlanError as error:
        raise PlanProblems(error) from None
    _check_scenarios(plan, scenarios)
    try:
        frame, source = requirements_from_forecast(plan, forecast_file=forecast_file, scenarios=scenarios,
                                                   log=lambda text: click.echo(text, err=True))
    except (ScenarioStaffingError, RequirementsUnavailableError) as exc:
        raise click.ClickException(f"{exc}; nothing was written") from None
    table = frame.copy()
    table["start"] = table["start"].dt.tz_convert(plan.horizon.time_zone).map(lambda t: t.isoformat())
    columns = ["start", "language", "channel", "agents", "agents_productive", "shrinkage_percent", "contacts",
               "aht_seconds", "is_open", "service_level", "asa_seconds", "abandon_rate", "occupancy",
               "backlog_contacts"]
    table = table[[c for c in columns if c in table.columns]]
    target = output or plan.root / "outputs" / f"requirements-{plan.horizon.first_day.isoformat()}.csv"
    written = write_atomic(target, lambda tmp: table.to_csv(tmp, index=False, float_format="%.4g"), overwrite=overwrite)
    hours = frame["agents"].sum() * plan.horizon.interval_minutes / 60
    click.echo(f"wrote {written} ({len(table):,} rows, {hours:,.0f} agent-hours to schedule) from {source}")


@main.command()
@PLAN_ARGUMENT
@click.option("--time-limit", "time_limit", type=click.FloatRange(min=1, max=86_400), default=None,
              callback=lambda _ctx, param, value: _finite(param, value),
              help="Solver time limit in seconds (default: [solver] time_limit_seconds).")
@click.option("--workers", type=click.IntRange(min=1, max=64), default=None,
              help="Solver workers (default: [solver] workers).")
@click.option("--seed", type=click.IntRange(min=0, max=MAX_SEED), default=None,
              help="Random seed (default: [solver] seed).")
@click.option("--forecast", "forecast_file", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              default=None, help="Staff from this forecast file instead of the latest one.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Workbook file; the CSV, calendars and result get its stem "
                   "(default: PLAN/outputs/roster-<first day>.xlsx).")
@click.option("--overwrite", is_flag=True, help="Replace existing roster files instead of writing a new version.")
@KEEP_BEFORE_OPTION
@KEEP_FROM_OPTION
@SCENARIO_OPTION
@click.option("--overtime", "overtime_hours", type=click.FloatRange(min=0, max=168), default=None, metavar="HOURS",
              callback=lambda _ctx, param, value: _finite(param, value, "hours", "8"),
              help="Paid hours a week each agent with a contract may work above it, for this run (default: [rules] "
                   "overtime_hours_per_week); each costs [objective] overtime on top of paid_hours.")
@click.option("--overtime-days", "overtime_days", type=click.IntRange(min=0, max=6), default=None, metavar="DAYS",
              help="Working days a week overtime may add to a contract's (a call-in on a day off), for this run "
                   "(default: [rules] overtime_days_per_week).")
@click.option("--overtime-until", "overtime_until", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              metavar="DAY", help="Overtime only in the plan's weeks up to the one holding DAY, for this run (default: "
                                  "[rules] overtime_until, or every week).")
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary.")
def solve(plan_dir: Path, time_limit: float | None, workers: int | None, seed: int | None,
          forecast_file: Path | None, output: Path | None, overwrite: bool, keep_before: KeepMoment | None,
          keep_from: Path | None, scenarios: tuple[Scenario, ...], overtime_hours: float | None,
          overtime_days: int | None, overtime_until: dt.datetime | None, quiet: bool) -> None:
    """Build the roster: requirements, then CP-SAT shifts and breaks, then the roster workbook.

    Writes PLAN/outputs/roster-<first day>.xlsx (HR import, lead's grid, coverage with charts,
    summary, penalties, run manifest), the HR sheet as .csv, the shifts as .shifts.csv (a later
    plan's [files] roster or hint_roster, to re-plan), one ICS calendar per agent in
    .calendars/, and .result.json, from which 'shiftplan export' rewrites them. Prints the
    solver's status, objective, lower bound, gap and runtime and the roster's coverage. Exit
    code 0 with a roster, 1 for plan problems, 3 when no roster could be found.

    To re-plan mid-horizon (a sick call, a surge), --keep-before DAY pins the last roster's
    shifts and days off before DAY (with a time, also the shifts under way by then), starts the
    search from the rest, each change to it costing [objective] roster_changes, and writes the
    new roster as the next version: the last one is never replaced.

    A surge: --scenario (repeatable) scales the forecast on the plan's intervals, prints what
    each scenario moved and the agents it adds per queue, and rosters for it.

    Overtime: --overtime HOURS lets each agent with a contract work that many paid hours a week
    above it, and --overtime-days N that many more days (a call-in on a day off), each hour
    costing [objective] overtime on top of its pay; the summary lists who works overtime.

    \b
    Example:
        shiftplan solve my-plan --time-limit 60
        shiftplan solve my-plan --keep-before 2026-12-02   (a re-plan from that day)
        shiftplan solve my-plan --keep-before "2026-12-02 10:00"   (from 10:00 that day)
        shiftplan solve my-plan --scenario "chat +300% 2026-12-02T15:00/6h" --keep-before "2026-12-02 15:00"
        shiftplan solve my-plan --keep-before "2026-12-02 15:00" --overtime 8 --overtime-days 1 \\
            --overtime-until 2026-12-06
    """
    from outputs.files import OutputFolderError
    from shiftplan.pipeline import RequirementsUnavailableError, run_solve

    if output is not None and (not output.name or output.name in (".", "..")):
        raise click.BadParameter("give a file name, e.g. -o roster.xlsx", param_hint="'-o' / '--output'")
    from shiftplan.pin_rules import pinned_rule_problems
    from shiftplan.progress import solver_progress

    started = time.perf_counter()
    until = None if overtime_until is None else overtime_until.date()
    keep = _kept_roster(plan_dir, keep_before, keep_from)
    try:  # pins that alone break a rule are the plan's problems, as validate says: no roster is attempted
        # the pins are checked against the run's rules: a kept roster's overtime holds with --overtime
        plan = load_plan(plan_dir, keep=keep, checks=(
            lambda read: pinned_rule_problems(with_overtime(read, overtime_hours, overtime_days, until)),))
    except PlanError as error:
        raise PlanProblems(error) from None
    _check_scenarios(plan, scenarios)
    plan = with_overtime(plan, overtime_hours, overtime_days, until)
    plan_seconds = time.perf_counter() - started
    settings = plan.config.solver
    say = (lambda _: None) if quiet else (lambda text: click.echo(text, err=True))
    for line in render_problems(plan.warnings):
        say("  " + line)
    if plan.kept is not None:
        say(kept_line(plan.kept, plan.config.objective.roster_changes))
    try:
        with solver_progress(enabled=not quiet) as progress:
            outcome = run_solve(plan, time_limit_seconds=time_limit or settings.time_limit_seconds,
                                workers=workers or settings.workers, seed=settings.seed if seed is None else seed,
                                output=output, overwrite=overwrite, forecast_file=forecast_file,
                                scenarios=scenarios, progress=progress, log=say)
    except (RequirementsUnavailableError, OutputFolderError) as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:  # a write failing after the checks (a full disk): the set is all or nothing
        raise click.ClickException(_write_failure(exc)) from None
    click.echo(outcome.result.summary())
    wall_time = wall_time_line({"plan": plan_seconds, **outcome.stage_seconds}, time.perf_counter() - started)
    if outcome.files is None:
        click.echo(wall_time)
        click.echo(f"Error: no roster: the solve ended {outcome.result.status}.", err=True)
        sys.exit(EXIT_NO_ROSTER)
    click.echo(roster_summary(outcome.report))
    if plan.kept is not None:
        click.echo(changes_line(outcome.report.facts["changes"], plan.kept.num_published))
    click.echo(files_summary(outcome.files))
    click.echo(wall_time)


def with_overtime(plan: Plan, hours: float | None, days: int | None, until: dt.date | None = None) -> Plan:
    """The plan with ``[rules] overtime_hours_per_week``, ``overtime_days_per_week`` and ``overtime_until`` set from
    ``solve --overtime``, ``--overtime-days`` and ``--overtime-until`` (None: the plan's own)."""
    update = {key: value for key, value in (("overtime_hours_per_week", hours), ("overtime_days_per_week", days),
                                            ("overtime_until", until)) if value is not None}
    if not update:
        return plan
    rules = plan.config.rules.model_copy(update=update)
    return dataclasses.replace(plan, config=plan.config.model_copy(update={"rules": rules}))


def _kept_roster(plan_dir: Path, keep_before: KeepMoment | None, keep_from: Path | None) -> KeptRoster | None:
    """The earlier roster ``solve`` re-plans from, or None; a usage error for --keep-from alone, a clear error when
    no roster of the plan is there to keep."""
    from shiftplan.pipeline import OUTPUT_FOLDER, latest_shifts_file

    if keep_before is None:
        if keep_from is not None:
            raise click.UsageError("--keep-from needs --keep-before: give the first day the roster may change, "
                                   "e.g. --keep-before 2026-12-02")
        return None
    path = keep_from or latest_shifts_file(plan_dir)
    if path is None:
        try:  # a plan that does not load says why first
            load_plan(plan_dir, with_history=False)
        except PlanError as error:
            raise PlanProblems(error) from None
        raise click.ClickException(f"no roster of this plan to keep in {Path(plan_dir) / OUTPUT_FOLDER} "
                                   "(roster-<first day>.shifts.csv). Fix: solve once first, or give --keep-from FILE")
    return KeptRoster(path, *keep_before)


@main.command()
@PLAN_ARGUMENT
@click.option("--result", "result_file", type=click.Path(path_type=Path, exists=True, dir_okay=False), default=None,
              help="Saved result to export (default: the latest PLAN/outputs/*.result.json).")
@click.option("--overwrite", is_flag=True, help="Replace the result's own files instead of writing a new version.")
def export(plan_dir: Path, result_file: Path | None, overwrite: bool) -> None:
    """Rewrite the roster workbook, CSVs and calendars from a saved result, without solving.

    Reads the .result.json that 'shiftplan solve' saved and writes the workbook, the HR and shifts CSVs and
    the calendars again: a new version, with its own copy of the result, unless --overwrite. Exit code 0, 1
    when there is no readable result.

    \b
    Example:
        shiftplan export my-plan --result my-plan/outputs/roster-2026-11-30.result.json
    """
    from outputs.files import OutputFolderError
    from outputs.report import result_from_facts
    from outputs.result_io import ResultFileError
    from shiftplan.pipeline import run_export

    try:
        report, files, source = run_export(plan_dir, result_file=result_file, overwrite=overwrite)
    except (FileNotFoundError, ResultFileError, OutputFolderError) as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(_write_failure(exc)) from None
    click.echo(f"exported {source}")
    click.echo(result_from_facts(report.facts).summary())
    click.echo(roster_summary(report))
    if report.facts.get("changes") is not None:  # a re-plan's result: the agents to tell, as its solve said
        replan = report.facts.get("replan")
        published = replan.get("num_published") if isinstance(replan, dict) else None
        click.echo(changes_line(report.facts["changes"], published if isinstance(published, int) else None))
    click.echo(files_summary(files))


#: How long the command waits, after its work, for a shift-count LP still solving in the background (it stops at
#: its own time limit, within the solve's) before it leaves without the interpreter's shutdown.
BACKGROUND_GRACE_SECONDS = 30.0


def run() -> None:
    """Entry point of the ``shiftplan`` command and of ``python -m shiftplan``: :func:`main`, then an exit that never
    aborts while HiGHS still solves in a background thread (:func:`scheduler.aggregate_lp.wait_for_background_lps`):
    the files are written by then, and the exit code is the command's."""
    try:
        main()
        code: object = 0
    except SystemExit as done:
        code = done.code
    lps = sys.modules.get("scheduler.aggregate_lp")  # only a solve starts one
    if lps is None or lps.wait_for_background_lps(BACKGROUND_GRACE_SECONDS):
        sys.exit(code)
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0 if code is None else code if isinstance(code, int) else 1)
