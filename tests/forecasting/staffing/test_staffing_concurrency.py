"""Chat concurrency slots and shrinkage: hand-computable cases."""

from __future__ import annotations

import numpy as np
import pytest

from forecasting.staffing import (
    agent_seconds_per_chat,
    agents_from_slots,
    apply_shrinkage,
    erlang_c_agents,
    offered_load,
    slot_aht_seconds,
)

pytestmark = pytest.mark.filterwarnings("error")


def test_slot_duration_and_agent_time_per_chat():
    """Tests that AHT 600 s, N = 2, s = 0.5 gives a 900 s chat and 450 s of agent time per chat."""
    assert float(slot_aht_seconds(600, 2, 0.5)) == 900.0
    assert float(agent_seconds_per_chat(600, 2, 0.5)) == 450.0


def test_limits_of_the_serial_share():
    """Tests that s = 1 gives no gain (agent time = AHT) and s = 0 an N-fold gain at unchanged duration."""
    assert float(agent_seconds_per_chat(600, 3, 1.0)) == 600.0
    assert float(slot_aht_seconds(600, 3, 0.0)) == 600.0
    assert float(agent_seconds_per_chat(600, 3, 0.0)) == 200.0


def test_agents_from_slots_rounds_up():
    """Tests that 7 slots at concurrency 3 need 3 agents and 6 slots need 2."""
    assert agents_from_slots([7, 6, 0], 3).tolist() == [3, 2, 0]


def test_chat_requirement_by_hand():
    """Tests that 8 chats/15 min, AHT 600, N = 2, s = 0.5 is 8 Erlangs of slots, agents = slots / 2 up."""
    load = offered_load(8, slot_aht_seconds(600, 2, 0.5), 900)
    assert float(load) == 8.0
    slots = erlang_c_agents(load, 900.0, service_level_percent=80, answer_within_seconds=60)
    assert int(agents_from_slots(slots, 2)) == -(-int(slots) // 2)


def test_shrinkage_is_applied_last_and_exactly():
    """Tests that 14 at 30 % gives 20 (not 21: float noise), 15 gives 22, 0 stays 0; arrays per interval."""
    assert apply_shrinkage([14, 15, 0], 30).tolist() == [20, 22, 0]
    assert apply_shrinkage([10, 10], np.array([0.0, 50.0])).tolist() == [10, 20]
    with pytest.raises(ValueError):
        apply_shrinkage(3, 100)
