"""A tiny hand-made roster on the tiny plan (``tests/plan_factory.py``), for exact checks of every output.

Requirements: 10 contacts per hour on every queue (AHT as the plan says), staffed by the real
staffing math. Roster, chosen by hand (no solver):

* E2 Bruno Lima (Lisbon, UTC+0 in March before summer time), Monday 23 March, template ``day``
  09:00-17:00 local = 09:00-17:00 UTC: en/phone 09-11, 15-minute paid break at 11:00 (the rest of
  that hour is off-queue work), en/chat 12-13, 30-minute unpaid lunch at 13:00 (rest off-queue),
  en/chat 14-17: 480 minutes, 450 paid.
* E5 Eva Santos (Manila, UTC+8), Monday 23 March, template ``late`` (no breaks) 14:00-22:00 local
  = 06:00-14:00 UTC: en/email 14-18, de/email 18-22 local; 480 paid minutes.

Time off from the plan: E1 vacation 24-25 March (whole days, Lisbon), E3 training 26 March
09:00-13:00 Manila.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from inputs import load_plan
from inputs.records import Plan
from outputs.report import RosterReport, build_report
from scheduler.build import build_problem
from scheduler.checker import OBJECTIVE_UNIT, check_roster
from scheduler.problem import ProblemData
from scheduler.result import Result
from scheduler.roster import OFF_QUEUE, Assignment, Roster
from shiftplan.demand import requirements_from_grid, staffing_spec

EN_CHAT, DE_CHAT, EN_PHONE, EN_EMAIL, DE_EMAIL = range(5)
DAY_TEMPLATE, LATE_TEMPLATE = 0, 1


def constant_requirements(plan: Plan, contacts: float = 10.0) -> pd.DataFrame:
    """Requirements for ``contacts`` per interval on every queue, from the staffing math."""
    horizon = plan.horizon
    grid = pd.concat([pd.DataFrame({"start": horizon.intervals_utc, "language": q.language, "channel": q.channel,
                                    "contacts": contacts, "aht_seconds": float(q.aht_seconds)})
                      for q in plan.queues], ignore_index=True)
    return requirements_from_grid(plan, grid)


def _option(problem: ProblemData, employee_id: str, template: int, start: int, length: int) -> tuple[int, int]:
    agent = next(i for i, a in enumerate(problem.agents) if a.employee_id == employee_id)
    option = next(i for i, o in enumerate(problem.agents[agent].options)
                  if o.day == 0 and o.template == template and o.start == start and o.length == length)
    return agent, option


def hand_roster(problem: ProblemData) -> Roster:
    """The two shifts described in the module docstring."""
    off = OFF_QUEUE
    e2, e2_option = _option(problem, "E2", DAY_TEMPLATE, 9, 8)
    e5, e5_option = _option(problem, "E5", LATE_TEMPLATE, 6, 8)
    return Roster((
        Assignment(e2, e2_option, (2, 4), (EN_PHONE, EN_PHONE, off, EN_CHAT, off, EN_CHAT, EN_CHAT, EN_CHAT)),
        Assignment(e5, e5_option, (), (EN_EMAIL,) * 4 + (DE_EMAIL,) * 4),
    ))


def tiny_report(plan_dir: Path, manifest: dict[str, object] | None = None) -> tuple[RosterReport, Plan, ProblemData]:
    """Load the plan, build the problem, check the hand roster and collect its report."""
    plan = load_plan(plan_dir)
    requirements = constant_requirements(plan)
    problem = build_problem(plan, requirements)
    roster = hand_roster(problem)
    check = check_roster(problem, roster)
    assert check.feasible, check.violations
    # the objective is the sum of the roster's terms, as a solve's (a result whose figures disagree is refused)
    objective = check.terms.total / OBJECTIVE_UNIT
    result = Result("FEASIBLE", objective, 1_400_000.0, 90.0, 100.0, 1.25, roster=roster, coverage=check.coverage,
                    terms=check.terms, penalties=check.soft, num_agents_used=2, num_agents=5, seed=7, workers=1,
                    explanation=["hand-made roster: two shifts", "the bound is given by hand"])
    specs = {q.key: staffing_spec(q) for q in plan.queues}
    report = build_report(plan, problem, result, requirements, specs, time_limit_seconds=5.0, manifest=manifest)
    return report, plan, problem
