"""Staffing math: from a forecast to the agents each queue needs per interval (GitHub issue 3).

Live channels (phone, chat) use Erlang C (M/M/n) or, when a patience is given, Erlang A (M/M/n+M); chat
concurrency is modelled as slots (see :mod:`.concurrency`). Deferred channels (email, ticket, social) use a
FIFO backlog that must clear inside a response window counted in open time (see :mod:`.deferred`).
Shrinkage is applied last. :func:`requirements_frame` and :func:`evaluate_staffing` work on whole long
frames (intervals x queues).
"""

from forecasting.staffing.concurrency import agent_seconds_per_chat, agents_from_slots, slot_aht_seconds
from forecasting.staffing.deferred import DeferredResult, deferred_evaluate, deferred_requirements
from forecasting.staffing.erlang_a import ErlangAMetrics, erlang_a_agents, erlang_a_metrics
from forecasting.staffing.erlang_c import (
    average_speed_of_answer,
    erlang_b,
    erlang_c,
    erlang_c_agents,
    occupancy,
    offered_load,
    service_level,
)
from forecasting.staffing.frame import OUTPUT_COLUMNS, day_end_backlog, evaluate_staffing, requirements_frame
from forecasting.staffing.shrinkage import apply_shrinkage
from forecasting.staffing.spec import QueueStaffingSpec

__all__ = [
    "OUTPUT_COLUMNS",
    "DeferredResult",
    "ErlangAMetrics",
    "QueueStaffingSpec",
    "agent_seconds_per_chat",
    "agents_from_slots",
    "apply_shrinkage",
    "average_speed_of_answer",
    "day_end_backlog",
    "deferred_evaluate",
    "deferred_requirements",
    "erlang_a_agents",
    "erlang_a_metrics",
    "erlang_b",
    "erlang_c",
    "erlang_c_agents",
    "evaluate_staffing",
    "occupancy",
    "offered_load",
    "requirements_frame",
    "service_level",
    "slot_aht_seconds",
]
