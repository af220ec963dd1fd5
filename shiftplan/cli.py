"""The ``shiftplan`` command line: a thin shell over the library.

Exit codes: 0 success; 1 the plan or an input has problems (listed, nothing written);
2 usage error (click); 3 a stage ran but could not produce its output.
"""

from __future__ import annotations

import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import click

from inputs.plan_loader import load_plan
from inputs.problems import PlanError, render_problems
from shiftplan.example import FolderNotEmptyError, write_example
from shiftplan.summary import plan_summary

EXIT_PLAN_PROBLEMS = 1


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


PLAN_ARGUMENT = click.argument("plan_dir", metavar="PLAN", type=click.Path(path_type=Path))


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
    click.echo(f"Wrote the example plan to {target} ({len(written)} files: "
               f"{', '.join(p.name for p in written)}).")
    click.echo(f"Next: shiftplan validate {target}")


@main.command()
@PLAN_ARGUMENT
def validate(plan_dir: Path) -> None:
    """Check a plan folder and print a summary, or every problem found.

    Exit code 0 when the plan is valid (warnings are printed), 1 with the list of problems.

    \b
    Example:
        shiftplan validate my-plan
    """
    try:
        plan = load_plan(plan_dir)
    except PlanError as error:
        raise PlanProblems(error) from None
    click.echo(plan_summary(plan))
    for line in render_problems(plan.warnings):
        click.echo("  " + line)


def run() -> None:
    """Entry point used by ``python -m shiftplan``."""
    sys.exit(main())
