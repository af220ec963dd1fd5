"""Deferred channels: hand-checkable backlog cases for the rolling-level requirement and the evaluation."""

from __future__ import annotations

import numpy as np
import pytest

from forecasting.staffing import deferred_evaluate, deferred_requirements

pytestmark = pytest.mark.filterwarnings("error")


def _burst(n_intervals=40, at=0, contacts=10.0):
    c = np.zeros(n_intervals)
    c[at] = contacts
    return c


def test_one_hour_window_spreads_one_hour_of_work_over_four_intervals():
    """Tests that 10 e-mails at 09:00, AHT 6 min, 1-h window, 15-min intervals need 1 agent 09:00-10:00."""
    r = deferred_requirements(_burst(), 360, interval_seconds=900, window_seconds=3600)
    assert r.agents[:6].tolist() == [1, 1, 1, 1, 0, 0]
    assert r.backlog_contacts[:5].tolist() == [7.5, 5.0, 2.5, 0.0, 0.0]
    assert r.achieved_percent == 100.0


def test_eight_hour_window_uses_one_agent_for_one_hour_only():
    """Tests that with an 8-h window the same hour of work still costs 4 agent-intervals (1 agent, 1 hour)."""
    r = deferred_requirements(_burst(), 360, interval_seconds=900, window_seconds=8 * 3600)
    assert r.agents.sum() == 4 and r.agents.max() == 1


def test_thirty_minute_window_doubles_the_agents():
    """Tests that a 30-min window forces the hour of work into 2 intervals: 2 agents each."""
    r = deferred_requirements(_burst(), 360, interval_seconds=900, window_seconds=1800)
    assert r.agents[:3].tolist() == [2, 2, 0]


def test_arrivals_while_closed_wait_for_opening_and_window_counts_open_time():
    """Tests that e-mails arriving while closed are worked from opening and due 4 open intervals later."""
    is_open = np.ones(40, dtype=bool)
    is_open[:4] = False
    r = deferred_requirements(_burst(), 360, interval_seconds=900, window_seconds=3600, is_open=is_open)
    assert r.agents[:9].tolist() == [0, 0, 0, 0, 1, 1, 1, 1, 0]
    assert r.backlog_contacts[:8].tolist() == [10, 10, 10, 10, 7.5, 5, 2.5, 0]


def test_steady_stream_ramps_up_to_the_arrival_rate_and_never_above():
    """Tests that 4 e-mails per interval (AHT 900 s: 4 agents' work) ramp up to a flat 4, never above.

    The rule uses the window: it starts with 1 agent, lets a backlog build (at most one window of work,
    16 x 4 = 64 e-mails) and settles at the arrival rate.
    """
    c = np.full(60, 4.0)
    r = deferred_requirements(c, 900, interval_seconds=900, window_seconds=4 * 3600)
    assert r.agents.max() == 4 and r.agents[-20:].tolist() == [4] * 20
    assert np.all(np.diff(r.agents) >= 0)
    assert r.backlog_contacts.max() <= 64
    assert r.achieved_percent == 100.0


def test_a_trickle_is_worked_in_whole_intervals_not_one_agent_around_the_clock():
    """Tests one e-mail of 3 min every 15 min with a 2-h window (8 intervals), 40 intervals: 15 min of work waits
    after 5 arrivals, so 1 agent every fifth interval (t = 4, 9, ...), 8 agent-intervals for 8 intervals of work
    (the least possible), every e-mail answered within 4 intervals. The levelled rule alone staffed 1 agent in all
    40 intervals: ceil(180 / (8 * 900)) = 1 at t = 0, and again after each arrival."""
    r = deferred_requirements(np.ones(40), 180, interval_seconds=900, window_seconds=2 * 3600)
    assert r.agents.tolist() == [0, 0, 0, 0, 1] * 8
    assert r.backlog_contacts[:6].tolist() == [1, 2, 3, 4, 0, 1]
    assert r.achieved_percent == 100.0
    e = deferred_evaluate(r.agents, np.ones(40), 180, interval_seconds=900, window_seconds=2 * 3600)
    assert e.achieved_percent == 100.0


def test_a_short_window_forces_a_trickle_out_before_a_whole_interval_waits():
    """Tests the same trickle with a 30-min window (2 intervals): each e-mail is due by the end of the next
    interval, when 6 min of work wait, so 1 agent every second interval (t = 1, 3, ...), each clearing two
    e-mails: 20 agent-intervals, the least that meets the window."""
    r = deferred_requirements(np.ones(40), 180, interval_seconds=900, window_seconds=1800)
    assert r.agents.tolist() == [0, 1] * 20
    assert r.achieved_percent == 100.0
    fewer = r.agents.copy()
    fewer[1] = 0
    late = deferred_evaluate(fewer, np.ones(40), 180, interval_seconds=900, window_seconds=1800)
    assert late.answered_in_window[0] == 0.0 and late.achieved_percent < 100.0


def test_partial_target_lets_share_slip_to_late_window():
    """Tests that X = 50 % with a 1-interval window needs half the work now and the rest within 2 windows."""
    c = _burst(10, 0, 4.0)  # 4 intervals of work arriving at once
    full = deferred_requirements(c, 900, interval_seconds=900, window_seconds=900)
    half = deferred_requirements(c, 900, interval_seconds=900, window_seconds=900, service_level_percent=50)
    assert full.agents[:2].tolist() == [4, 0]
    assert half.agents[:2].tolist() == [2, 2]
    assert half.achieved_percent == pytest.approx(50.0)


def test_evaluation_reports_share_in_window_and_backlog():
    """Tests that 1 agent for 10 e-mails of 6 min and a 1-h window answers half in time when starting late."""
    agents = np.zeros(12)
    agents[2:6] = 1  # starts at 09:30: by 10:00 only 5 of the 10 are done
    e = deferred_evaluate(agents, _burst(12), 360, interval_seconds=900, window_seconds=3600)
    assert e.answered_in_window[0] == pytest.approx(0.5)
    assert e.achieved_percent == pytest.approx(50.0)
    assert e.backlog_contacts[:7].tolist() == [10, 10, 7.5, 5, 2.5, 0, 0]
    assert e.occupancy[2:6].tolist() == [1.0, 1.0, 1.0, 1.0]


def test_requirement_meets_its_own_target_on_random_week():
    """Tests that on a random week with nights closed the requirement answers 100 % in window (evaluated)."""
    rng = np.random.default_rng(3)
    is_open = np.tile(np.r_[np.zeros(32, bool), np.ones(64, bool)], 7)
    c = rng.poisson(15, is_open.size).astype(float)
    aht = rng.uniform(200, 400, is_open.size)
    r = deferred_requirements(c, aht, interval_seconds=900, window_seconds=2 * 3600, is_open=is_open)
    e = deferred_evaluate(r.agents, c, aht, interval_seconds=900, window_seconds=2 * 3600, is_open=is_open)
    assert e.achieved_percent == pytest.approx(100.0)
    assert np.all(r.agents[~is_open] == 0)
    fewer = r.agents.copy()
    fewer[np.argmax(fewer)] -= 1
    worse = deferred_evaluate(fewer, c, aht, interval_seconds=900, window_seconds=2 * 3600, is_open=is_open)
    assert worse.achieved_percent < 100.0


@pytest.mark.parametrize("seed", range(40))
def test_random_streams_meet_their_target_and_no_agent_waits_idle_a_whole_interval(seed):
    """Tests random streams (trickles, bursts, closed nights, 15 or 30 min, windows of 1 interval to 24 h, targets
    of 50 to 100 %): the requirement, evaluated, answers at least the target share of every interval's contacts
    whose deadline lies inside the horizon, staffs no closed interval, and never staffs an agent more than the
    work waiting can keep busy: in each interval the idle capacity, agents x (1 - occupancy), is below one agent."""
    rng = np.random.default_rng(seed)
    interval = int(rng.choice([900, 1800]))
    n = int(rng.integers(40, 400))
    contacts = rng.poisson(float(rng.choice([0.05, 0.3, 1.0, 5.0])), n).astype(float)
    if seed % 3 == 0:  # bursts
        contacts[rng.integers(0, n, 3)] += rng.integers(5, 40, 3)
    aht = rng.uniform(60, 900, n)
    is_open = np.ones(n, dtype=bool)
    if seed % 2:  # closed nights
        per_day = 86400 // interval
        is_open = (np.arange(n) % per_day) >= per_day // 3
    window = float(rng.choice([interval, 3600, 4 * 3600, 86400]))
    target = float(rng.choice([50, 90, 100]))
    r = deferred_requirements(contacts, aht, interval_seconds=interval, window_seconds=window, is_open=is_open,
                              service_level_percent=target)
    e = deferred_evaluate(r.agents, contacts, aht, interval_seconds=interval, window_seconds=window,
                          is_open=is_open)
    share = e.answered_in_window[~np.isnan(e.answered_in_window)]
    assert np.all(share >= target / 100 - 1e-9)
    assert np.all(r.agents[~is_open] == 0)
    assert np.all(r.agents * (1 - e.occupancy) < 1 - 1e-9)
