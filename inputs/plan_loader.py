"""``load_plan``: the door. Read a plan folder, validate everything, report every problem at once."""

from __future__ import annotations

from pathlib import Path

from inputs import cross_checks
from inputs.loaders import (
    load_agents,
    load_events,
    load_history,
    load_requirements,
    load_roster,
    load_time_off,
)
from inputs.problems import PlanError, ProblemLog
from inputs.records import Horizon, Plan
from inputs.toml_reader import CONFIG_FILE, read_config


def load_plan(plan_dir: str | Path, *, with_history: bool = True) -> Plan:
    """Load and validate a plan folder.

    Every file is read and checked even when an earlier one has errors, so the user sees
    every problem in one run.

    Parameters
    ----------
    plan_dir : str or Path
        The plan folder holding ``shiftplan.toml`` and the files it names.
    with_history : bool
        Whether to read the contact history (a command that only needs agents may skip it).

    Returns
    -------
    Plan
        The validated plan; its ``warnings`` hold the problems that did not stop it.

    Raises
    ------
    PlanError
        When any error was found; it carries every problem (errors and warnings).
    """
    root = Path(plan_dir)
    log = ProblemLog()
    if not root.is_dir():
        log.add(str(root), "is not a folder", "give the path of a plan folder, or create one with "
                "'shiftplan init DIR'")
        raise PlanError(log.problems)
    config = read_config(root, log)
    if config is None:
        raise PlanError(log.problems)
    files = config.files
    horizon = Horizon(config.plan.first_day, config.plan.weeks, config.plan.time_zone,
                      config.plan.interval_minutes)
    used: list[Path] = [root / CONFIG_FILE]

    def path(name: str) -> Path:
        used.append(root / name)
        return root / name

    agents, known_ids = load_agents(path(files.agents), files.agents, config, log)
    time_off = load_time_off(path(files.time_off), files.time_off, agents, known_ids, log) if files.time_off else ()
    events = load_events(path(files.events), files.events, config, log) if files.events else ()
    requirements = (load_requirements(path(files.requirements), files.requirements, config, log)
                    if files.requirements else None)
    history = None
    if files.history and with_history:
        history = load_history(path(files.history), files.history, config, log)
    pinned = load_roster(path(files.roster), files.roster, agents, known_ids, config, log) if files.roster else ()
    hint_shifts = (load_roster(path(files.hint_roster), files.hint_roster, agents, known_ids, config, log)
                   if files.hint_roster else ())

    if not agents and not log.errors:
        log.add(files.agents, "has no agents", "add one row per agent")
    cross_checks.check_skills(agents, config, files.agents, log)
    cross_checks.check_templates(config, log)
    cross_checks.check_breaks_on_grid(config, log)
    cross_checks.check_shrinkage_windows(config, horizon, log)
    cross_checks.check_contracts(agents, config, files.agents, log)
    if with_history:
        cross_checks.check_history(history, horizon, config, files.history or CONFIG_FILE,
                                   requirements is not None, log)
    if requirements is not None and files.requirements:
        cross_checks.check_requirements(requirements, horizon, files.requirements, log)
    if files.roster:
        cross_checks.check_pins(pinned, time_off, agents, horizon, files.roster, log, config.rules.min_rest_hours)

    if log.errors:
        raise PlanError(log.problems)
    return Plan(root=root, config=config, horizon=horizon, agents=agents, time_off=time_off, events=events,
                history=history, requirements=requirements, pinned=pinned, hint_shifts=hint_shifts,
                warnings=tuple(log.warnings),
                input_files=tuple(p for p in dict.fromkeys(used) if p.exists()))
