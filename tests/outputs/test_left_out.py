"""The left-out facts' words (:mod:`outputs.left_out`) on micro-instances."""

from __future__ import annotations

from pathlib import Path

from outputs.left_out import _detail
from scheduler.idle import Unscheduled
from tests.outputs.tiny_roster import tiny_report
from tests.plan_factory import write_tiny_plan
from tests.scheduler.test_rules import agent, demand_hours, problem, shift


def test_an_agent_left_out_of_an_optimal_roster_is_explained_by_the_weights() -> None:
    """Tests the reason of an agent left out while demand their shifts reach is short: from a proven-optimal roster
    it is the objective's weights (the tests' weights: under-staffing 1,000 an agent-interval, headcount 100, paid
    hours 1), not the time limit, which it blamed (the audit's plan with under_staffing = 1 and headcount = 10,000:
    OPTIMAL with nobody scheduled, each agent 'left out ... a longer time limit may'); from a roster not proven
    optimal, the search's time."""
    data = problem(demand_hours(1, (0, 8, 16)), [agent("A", [shift(0, 8)])])
    item = Unscheduled(0, "left out", short_intervals=8)
    assert _detail(data, item, 1.0, optimal=True) == (
        "left out although their shifts reach 8.0 agent-h of q0 still short: the roster is optimal, so under the "
        "plan's [objective] weights (under_staffing 1000 a missing agent-interval at priority 1, headcount 100, "
        "paid_hours 1) a week of their rules costs more than the under-staffing it removes; raise under_staffing to "
        "cover more")
    assert _detail(data, item, 1.0).endswith("within the time limit the search found no week of their rules that "
                                             "removes more under-staffing than it costs (a longer time limit may)")


def test_no_shift_possible_names_the_time_off(tmp_path: Path) -> None:
    """Tests the reason of an agent with no shift option on the tiny plan: E4 (Lisbon) on vacation the whole week is
    told so, with the dates on their own clock (it said only 'their time off, available days and hours, and
    templates leave none')."""
    plan = write_tiny_plan(tmp_path / "plan")
    with (plan / "time_off.csv").open("a", encoding="utf-8") as rows:
        rows.write("E4,2026-03-23,2026-03-29,vacation,\n")
    facts = tiny_report(plan)[0].facts
    assert [row for row in facts["unscheduled"] if row[0] == "E4"] == [
        ["E4", "Dieter Krause", "no shift possible", "no shift is possible in the plan's days: vacation 2026-03-23 to "
         "2026-03-29 (see time_off.csv and agents.csv)"]]


def test_no_shift_possible_names_the_days_away_too(tmp_path: Path) -> None:
    """Tests the same reason when availability takes the rest: E4 available on Saturday and Sunday only, both days on
    training; the time off and the weekdays away are both named."""
    plan = write_tiny_plan(tmp_path / "plan")
    lines = (plan / "agents.csv").read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",available_weekdays", *[line + ("," + "sat;sun" if line.startswith("E4,") else ",")
                                                 for line in lines[1:]]]
    (plan / "agents.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with (plan / "time_off.csv").open("a", encoding="utf-8") as rows:
        rows.write("E4,2026-03-28,2026-03-29,training,\n")
    facts = tiny_report(plan)[0].facts
    assert [row[3] for row in facts["unscheduled"] if row[0] == "E4"] == [
        "no shift is possible in the plan's days: training 2026-03-28 to 2026-03-29, not available on "
        "mon;tue;wed;thu;fri (available_weekdays) (see time_off.csv and agents.csv)"]
