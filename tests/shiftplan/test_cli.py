"""The CLI front door: help, version, init and validate, with exact messages (click's CliRunner)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from shiftplan.cli import main


def _commands() -> list[str]:
    return sorted(main.commands)


@pytest.mark.parametrize("command", _commands())
def test_every_command_has_help_with_a_real_example(command: str) -> None:
    """Tests that each command's --help has a one-line summary and an 'Example:' running shiftplan."""
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    example = result.output.split("Example:")[1].strip().splitlines()[0].strip()
    assert example.startswith(f"shiftplan {command} ")
    assert main.commands[command].get_short_help_str(limit=200)


def test_version_prints_the_package_version() -> None:
    """Tests that --version prints the installed version."""
    from importlib.metadata import version

    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"shiftplan, version {version('shiftplan')}\n"


def test_top_level_help_lists_commands() -> None:
    """Tests that shiftplan --help shows the example and the commands."""
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "shiftplan init my-plan" in result.output
    for command in ("init", "validate"):
        assert f"  {command} " in result.output


def test_init_refuses_a_non_empty_folder_and_writes_nothing(tmp_path: Path) -> None:
    """Tests that init into a folder with a file exits 1, says how to proceed, and leaves the file alone."""
    target = tmp_path / "plan"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    result = CliRunner().invoke(main, ["init", str(target)])
    assert result.exit_code == 1
    assert result.output == (f"Error: {target} is not empty; nothing was written. Choose a new folder, or add "
                             "--force to replace the example's files in it.\n")
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]


def test_usage_error_exits_2() -> None:
    """Tests that a missing argument is a usage error with exit code 2 (click's convention)."""
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 2
    assert "Missing argument 'PLAN'" in result.output


def test_validate_prints_summary_of_tiny_plan(tiny_plan: Path) -> None:
    """Tests that validate on a valid plan exits 0 with the horizon, queues, agents and history."""
    result = CliRunner().invoke(main, ["validate", str(tiny_plan)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Plan 'Tiny desk' is valid."
    assert lines[1] == ("Horizon: 2026-03-23 for 1 week (Europe/Lisbon), 60-minute intervals, 167 intervals.")
    assert lines[2] == "Queues: 5 (2 chat, 2 email, 1 phone), 2 languages."
    assert "  queue        kind    target (model)                         agents  shrinkage" in lines
    assert "  en/phone     phone   80% in 20 s, abandon <= 5% Erlang A         2  0%" in lines
    assert "  en/chat      chat    80% in 1 min Erlang C                       3  30%" in lines
    assert "Agents: 5 at 2 sites (Lisbon 3, Manila 2); 5 distinct skill sets." in lines
    assert ("History: 2026-02-09 to 2026-03-22 (42 days, 60-minute intervals, 50,400 contacts, 5 queues)."
            in lines)


def test_validate_counts_the_pins_it_keeps_and_those_it_ignores(tiny_plan: Path) -> None:
    """Tests the summary of a roster file with a shift inside the plan and a day off the day before it."""
    (tiny_plan / "pinned.csv").write_text("employee_id,date,start,end\nE2,2026-03-22,,\nE2,2026-03-23,08:00,16:00\n")
    toml = (tiny_plan / "shiftplan.toml").read_text()
    (tiny_plan / "shiftplan.toml").write_text(toml.replace('events = "events.csv"',
                                                           'events = "events.csv"\nroster = "pinned.csv"'))
    result = CliRunner().invoke(main, ["validate", str(tiny_plan)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert ("Events: 2; time off: 2 absences; pinned shifts and days off: 1 (1 not planned, see the warnings)."
            in lines)
    assert lines[-1] == ("  warning: pinned.csv, row 2, column date: '2026-03-22': pins a day off outside the plan's "
                         "days (2026-03-23 to 2026-03-29); it is ignored. Fix: remove the row or move [plan] "
                         "first_day.")


def test_plan_problems_exception_is_a_click_exception() -> None:
    """Tests that plan problems travel as a ClickException (so no traceback is ever printed)."""
    from shiftplan.cli import PlanProblems

    assert issubclass(PlanProblems, click.ClickException)
    assert PlanProblems.exit_code == 1


def test_init_then_validate_the_bundled_example(tmp_path: Path) -> None:
    """Tests the README's first command: init writes the example, validate accepts it with its summary."""
    target = tmp_path / "my-plan"
    runner = CliRunner()
    init = runner.invoke(main, ["init", str(target)])
    assert init.exit_code == 0, init.output
    assert sorted(p.name for p in target.iterdir()) == ["README.md", "agents.csv", "events.csv", "history.parquet",
                                                       "shiftplan.toml", "time_off.csv"]
    result = runner.invoke(main, ["validate", str(target)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:3] == [
        "Plan 'Crypto exchange support desk' is valid.",
        "Horizon: 2026-11-30 for 2 weeks (UTC), 30-minute intervals, 672 intervals.",
        "Queues: 24 (6 chat, 6 email, 6 phone, 6 social), 6 languages.",
    ]
    assert "Agents: 152 at 3 sites (Istanbul 25, Lisbon 42, Manila 85); 45 distinct skill sets." in lines
    assert lines[-2] == ("History: 2025-01-06 to 2026-11-29 (693 days, 60-minute intervals, 1,285,252 contacts, "
                         "24 queues).")


def test_init_force_replaces_only_the_example_files(tmp_path: Path) -> None:
    """Tests that --force rewrites the example's files and leaves the user's other files alone."""
    target = tmp_path / "plan"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    (target / "agents.csv").write_text("edited")
    result = CliRunner().invoke(main, ["init", str(target), "--force"])
    assert result.exit_code == 0
    assert (target / "notes.txt").read_text() == "mine"
    assert (target / "agents.csv").read_text().startswith("employee_id,")


@pytest.mark.parametrize(("option", "value", "says"), [
    ("--time-limit", "nan", "nan is not a number of seconds"),
    ("--time-limit", "inf", "inf is not in the range 1<=x<=86400"),
    ("--seed", "99999999999999999999", "99999999999999999999 is not in the range 0<=x<=2147483647"),
    ("-o", "", "give a file name, e.g. -o roster.xlsx"),  # wrote roster-<day>.* into the current folder
    ("--overtime", "nan", "nan is not a number of hours; give e.g. 8"),
    ("--overtime", "-1", "-1.0 is not in the range 0<=x<=168"),
    ("--overtime-days", "7", "7 is not in the range 0<=x<=6"),
])
def test_solve_refuses_numbers_the_solver_cannot_take(tiny_plan: Path, option: str, value: str, says: str) -> None:
    """Tests the solver options that crashed after the whole pipeline (ValueError, OverflowError, TypeError): a
    usage error, exit 2, before anything runs or is written."""
    result = CliRunner().invoke(main, ["solve", str(tiny_plan), option, value])
    assert result.exit_code == 2
    assert says in result.output
    assert not (tiny_plan / "forecasts").exists() and not (tiny_plan / "outputs").exists()


def test_init_below_a_file_says_so(tmp_path: Path) -> None:
    """Tests ``init`` into a folder whose parent is a file: one message, exit 1, no traceback (FileExistsError)."""
    (tmp_path / "afile").write_text("x")
    result = CliRunner().invoke(main, ["init", str(tmp_path / "afile" / "plan")])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert f"cannot create the plan folder {tmp_path / 'afile' / 'plan'}: {tmp_path / 'afile'} is a file" in \
        result.output


def test_a_byte_order_mark_in_shiftplan_toml_is_read(tiny_plan: Path) -> None:
    """Tests a shiftplan.toml saved with a UTF-8 byte-order mark (Windows Notepad): valid, as without it (it was
    'not valid TOML (Invalid statement (at line 1, column 1))')."""
    path = tiny_plan / "shiftplan.toml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = CliRunner().invoke(main, ["validate", str(tiny_plan)])
    assert result.exit_code == 0, result.output
    assert "is valid" in result.output


def test_validate_counts_open_positions_as_serving_their_queues(tiny_plan: Path) -> None:
    """Tests a plan whose en/phone queue no named agent serves (E2 and E3 lose phone) and an [[open_positions]]
    profile does: the warning 'queue en/phone has no agent with both its language and channel' was given anyway, and
    the summary listed the open positions nowhere. Now no warning, an ``open`` column of the heads per queue and a
    line of the profiles; without the profile the warning stands."""
    agents = (tiny_plan / "agents.csv").read_text(encoding="utf-8")
    (tiny_plan / "agents.csv").write_text(agents.replace("en,chat;phone,", "en,chat,").replace(
        "en,chat;email;phone,", "en,chat;email,"), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(tiny_plan)])
    assert result.exit_code == 0, result.output
    assert ("  warning: shiftplan.toml, queues: queue en/phone has no agent with both its language and channel. Fix: "
            "give agents 'en' and 'phone' in the agents file (or an [[open_positions]] profile), or remove the "
            "queue.") in result.output.splitlines()
    with (tiny_plan / "shiftplan.toml").open("a", encoding="utf-8") as toml:
        toml.write('\n[[open_positions]]\nprofile = "de"\nlanguages = ["de"]\nchannels = ["chat"]\n'
                   'templates = ["late"]\nmax_heads = 1\n')
    result = CliRunner().invoke(main, ["validate", str(tiny_plan)])
    assert ("  warning: shiftplan.toml, queues: queue en/phone has no agent or open position with both its language "
            "and channel. Fix: give agents 'en' and 'phone' in the agents file (or an [[open_positions]] profile), or "
            "remove the queue.") in result.output.splitlines()
    toml = (tiny_plan / "shiftplan.toml").read_text(encoding="utf-8")
    (tiny_plan / "shiftplan.toml").write_text(toml.replace(
        '[[open_positions]]\nprofile = "de"', '[[open_positions]]\nprofile = "en voice"\nlanguages = ["en"]\n'
        'channels = ["phone", "chat"]\ntemplates = ["day"]\nmax_heads = 4\n\n[[open_positions]]\nprofile = "de"'),
        encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(tiny_plan)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "warning" not in result.output
    assert lines[3:9] == [
        "  queue        kind    target (model)                         agents  open  shrinkage",
        "  en/chat      chat    80% in 1 min Erlang C                       3     4  30%",
        "  de/chat      chat    80% in 1 min Erlang C                       2     1  30%",
        "  en/phone     phone   80% in 20 s, abandon <= 5% Erlang A         0     4  0%",
        "  en/email     email   95% in 24 h                                 3     0  0%",
        "  de/email     email   95% in 24 h                                 3     0  0%",
    ]
    assert lines[10] == ("Open positions: 2 profiles, up to 5 heads to hire: 'en voice' up to 4 (en/chat, en/phone); "
                         "'de' up to 1 (de/chat).")
