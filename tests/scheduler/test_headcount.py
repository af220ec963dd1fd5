"""Headcount planning: open positions are hired only when named agents cannot meet the targets.

Micro-instances use the weights of :mod:`tests.scheduler.test_rules` (under-staffing 1000 per
agent-hour, headcount 100 per named agent, paid time 1 per hour) plus the default 200 per hire.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from inputs import load_plan
from scheduler.build import build_problem
from scheduler.problem import AgentData
from shiftplan.cli import main
from tests.scheduler.test_rules import agent, demand_hours, problem, shift, solved

OPEN_POSITIONS = """
[[open_positions]]
profile = "de chat"
languages = ["de"]
channels = ["chat"]
templates = ["day"]
weekly_min_hours = 16
weekly_max_hours = 32
max_days_per_week = 4
max_heads = 3
site = "Lisbon"
"""


def _open(name: str, k: int) -> AgentData:
    return replace(agent(f"{name}-{k}", [shift(0, 8)]), is_open_position=True, profile=name)


def test_hires_only_the_heads_the_demand_needs() -> None:
    """Tests 2 agents needed 08-16, 1 named agent, 3 open heads: 1 hire; (100 + 8) + (200 + 8) = 316."""
    need = demand_hours(1, (0, 8, 16)) * 2
    data = problem(need, [agent("A", [shift(0, 8)]), *(_open("P", k) for k in range(3))])
    result = solved(data)
    assert result.status == "OPTIMAL"
    assert result.objective == pytest.approx(316)
    assert result.hires == (("P", 1, 3),)
    assert "hire          1 of 3 open positions 'P'" in result.summary()


def test_named_agents_are_scheduled_before_hires() -> None:
    """Tests that with 1 agent needed, the named agent works and nobody is hired: 100 + 8 = 108."""
    data = problem(demand_hours(1, (0, 8, 16)), [*(_open("P", k) for k in range(2)), agent("A", [shift(0, 8)])])
    result = solved(data)
    assert result.objective == pytest.approx(108)
    assert result.hires == (("P", 0, 2),)
    assert [result.roster.assignments[0].agent] == [2]


def test_a_position_unlike_the_others_of_its_profile_is_hired_alone() -> None:
    """Tests hiring order only among interchangeable positions: P-0 may work 00-08 only, P-1 08-16 where the demand
    is, so the optimum hires P-1 alone: 200 + 8 = 208. With the order applied by profile alone (as before), P-1
    needed P-0 and the solve called 216 optimal (found by the differential tests, seed 1361)."""
    data = problem(demand_hours(1, (0, 8, 16)), [replace(_open("P", 0), options=(shift(0, 0),)), _open("P", 1)])
    result = solved(data)
    assert result.status == "OPTIMAL"
    assert result.objective == pytest.approx(208)
    assert [item.agent for item in result.roster.assignments] == [1]
    # interchangeable positions keep the order: of two like P-1, the first is the one hired
    alike = solved(problem(demand_hours(1, (0, 8, 16)), [_open("P", 0), _open("P", 1)]))
    assert [item.agent for item in alike.roster.assignments] == [0]


def test_open_positions_become_agents_of_their_profile(tiny_plan: Path) -> None:
    """Tests that [[open_positions]] gives max_heads agents with the profile's skills, contract and templates."""
    with (tiny_plan / "shiftplan.toml").open("a", encoding="utf-8") as toml:
        toml.write(OPEN_POSITIONS)
    plan = load_plan(tiny_plan)
    empty = pd.DataFrame({"start": pd.Series(dtype="datetime64[ns, UTC]"), "language": [], "channel": [],
                          "agents": []})
    data = build_problem(plan, empty)
    heads = [a for a in data.agents if a.is_open_position]
    assert [h.employee_id for h in heads] == ["OPEN-de chat-1", "OPEN-de chat-2", "OPEN-de chat-3"]
    assert {data.queue_names[q] for q in data.groups[heads[0].group]} == {"de/chat"}
    assert heads[0].max_week_minutes == (32 * 60,) and heads[0].min_week_minutes == (16 * 60,)
    assert heads[0].max_days_per_week == 4 and heads[0].site == "Lisbon"
    assert {data.templates[o.template].name for o in heads[0].options} == {"day"}
    assert len(heads[0].options) == 7 * 4 * 2  # 7 days x starts 07..10 x lengths 480, 540


def test_bad_open_positions_are_listed_together(tiny_plan: Path) -> None:
    """Tests that an unknown template and a profile serving no queue are reported in one message, exit 1, each on its
    own line with its own fix, at its block (they were joined into one line, the fixes apart from their problems)."""
    bad = OPEN_POSITIONS.replace('templates = ["day"]', 'templates = ["day", "nite"]') + OPEN_POSITIONS.replace(
        '"de chat"', '"fr"').replace('["de"]', '["fr"]')
    with (tiny_plan / "shiftplan.toml").open("a", encoding="utf-8") as toml:
        toml.write(bad)
    result = CliRunner().invoke(main, ["validate", str(tiny_plan)])
    assert result.exit_code == 1
    assert [line.strip() for line in result.output.splitlines()] == [
        "The plan has 2 problems; nothing was written.",
        "shiftplan.toml, line 72, open_positions[0].templates: open position 'de chat' names unknown shift "
        "template(s) nite. Fix: use one of day, late.",
        "shiftplan.toml, line 79, open_positions[1]: open position 'fr' serves no queue of the plan. Fix: give it a "
        "language and a channel of one of the [[queues]]."]


def _two_days_two_heads(demand_days: tuple[int, ...]) -> object:
    """Profile P with heads #1 and #2, each able to work 08-16 on day 0 and day 1 (16 h a week at most); demand of
    one agent 08-16 on ``demand_days``."""
    need = sum(demand_hours(2, (day, 8, 16)) for day in demand_days)
    heads = [replace(agent(f"P-{k}", [shift(0, 8), shift(1, 8)], max_hours=16), is_open_position=True, profile="P")
             for k in (1, 2)]
    return problem(need, heads, days=2)


@pytest.mark.parametrize(("demand_days", "start", "kept"), [
    ((0, 1), {0: [0], 1: [1]}, {0: [0, 1]}),  # #2 released, #1 takes day 1: 200 + 16 instead of 400 + 16
    ((1,), {0: [0], 1: [1]}, {0: [1]}),       # #1's day 0 met nothing: #2 released, #1 takes day 1, drops day 0
])
def test_the_local_search_releases_surplus_hires_last_hired_first(demand_days: tuple[int, ...], start: dict,
                                                                  kept: dict) -> None:
    """Tests the greedy start's surplus hires (each head topped up on a day of its own): the local search releases
    the last hired of the profile while the first takes over its day, so the heads stay hired in order (#2 only if
    #1), never the other way round; a day pass then drops a shift that meets nothing. The result passes the
    checker."""
    from scheduler.checker import check_roster
    from scheduler.local_search import improve_by_day_moves
    from scheduler.roster import Assignment, Roster

    data = _two_days_two_heads(demand_days)
    outcome = improve_by_day_moves(data, start, {(a, o): [] for a, options in start.items() for o in options},
                                   time_budget_seconds=5, max_ruin_steps=0)
    assert outcome.chosen == kept
    roster = Roster(tuple(Assignment(a, o, (), (0,) * 8) for a, options in kept.items() for o in options))
    assert check_roster(data, roster).feasible


NEW_DESK = """
[[open_positions]]
profile = "en desk"
languages = ["en", "de"]
channels = ["chat", "phone", "email"]
templates = [TEMPLATES]
weekly_min_hours = MIN
weekly_max_hours = MAX
max_heads = 4
"""


def _new_desk(tiny_plan: Path, templates: str, minimum: int, maximum: int) -> Path:
    """The tiny plan with no named agent (an agents file of its header, no time off) and one profile of 4 heads."""
    agents = tiny_plan / "agents.csv"
    agents.write_text(agents.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    (tiny_plan / "time_off.csv").write_text("employee_id,start,end,kind,note\n", encoding="utf-8")
    block = NEW_DESK.replace("TEMPLATES", templates).replace("MIN", str(minimum)).replace("MAX", str(maximum))
    toml = tiny_plan / "shiftplan.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + block, encoding="utf-8")
    return tiny_plan


def test_open_positions_alone_size_a_new_desk(tiny_plan: Path) -> None:
    """Tests a plan of open positions alone (a new desk): it validates, and solve hires heads against the tiny plan's
    around-the-clock demand (every one of the 4: one head meets far more than it costs), writes the workbook and no
    HR row of a hire (a head to recruit is no employee)."""
    plan = _new_desk(tiny_plan, '"day", "late"', 0, 40)
    assert CliRunner().invoke(main, ["validate", str(plan)]).exit_code == 0
    result = CliRunner().invoke(main, ["solve", str(plan), "--time-limit", "10", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "hire          4 of 4 open positions 'en desk'" in result.output
    hr = pd.read_csv(plan / "outputs" / "roster-2026-03-23.csv")
    assert hr.empty
    assert (plan / "outputs" / "roster-2026-03-23.xlsx").exists()


def test_a_new_desk_that_hires_nobody_still_writes_its_workbook(tiny_plan: Path) -> None:
    """Tests the same desk whose heads cannot be hired (39 hours a week from 8-hour 'late' shifts: their rules
    collide): the roster of nobody is written with its Summary sheet (its fairness rows read an empty roster; before,
    a KeyError after the solve) and the reason each head is not hired."""
    plan = _new_desk(tiny_plan, '"late"', 39, 39)
    result = CliRunner().invoke(main, ["solve", str(plan), "--time-limit", "10", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "hire          0 of 4 open positions 'en desk'" in result.output
    assert "not hired     4 open positions 'en desk': their own rules cannot all hold" in result.output
    assert (plan / "outputs" / "roster-2026-03-23.xlsx").exists()
