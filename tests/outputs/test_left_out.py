"""The left-out facts' words (:mod:`outputs.left_out`) on micro-instances."""

from __future__ import annotations

from outputs.left_out import _detail
from scheduler.idle import Unscheduled
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
