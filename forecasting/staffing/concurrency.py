"""Chat concurrency: an agent serving up to ``N`` chats at once, modelled as ``N`` slots.

Model (chosen and why)
----------------------
An agent with concurrency ``N`` is treated as ``N`` independent servers ("slots"). A chat occupies one slot
for its *elapsed* duration, which grows with concurrency because the agent multitasks: of the chat's
handle time ``AHT`` (its duration when handled alone), a share ``s`` (``concurrency_serial_share``: typing,
reading, system look-ups) needs the agent's exclusive attention and cannot overlap with the other chats,
while the remaining ``1 - s`` (mostly waiting for the customer) can. With ``N`` chats in progress each one
therefore lasts

    slot_aht = AHT * (1 - s + N s)

and costs the agent ``slot_aht / N = AHT * (s + (1 - s) / N)`` of its time (the "effective AHT per chat").
The queue is then Erlang C / Erlang A on ``N * agents`` slots with handle time ``slot_aht``, and the agents
needed are ``ceil(slots / N)``. Checks: ``N = 1`` or ``s = 1`` gives no gain per agent (``s = 1``: each
chat costs a full AHT of agent time), ``s = 0`` gives an ``N``-fold gain with unchanged chat duration.
Why this rather than "one server per agent with AHT_eff": a waiting chat needs a free *slot*, not an idle
agent, and the chat's own duration (what the customer experiences, and what the answer-time clock is
compared with through ``T / AHT``) is the longer ``slot_aht``; using ``AHT_eff`` as the service time would
make chats appear to finish ``N`` times faster and overstate the service level.

``aht_seconds`` for a chat queue is therefore the handle time of a chat handled on its own. Example: AHT
600 s, N = 2, s = 0.5 -> slot_aht 900 s, 450 s of agent time per chat; 8 chats per 15 minutes offer
``8 * 900 / 900 = 8`` Erlangs of slot load, i.e. 4 agents' worth of work.
"""

from __future__ import annotations

import numpy as np

__all__ = ["agent_seconds_per_chat", "agents_from_slots", "slot_aht_seconds"]


def _check(concurrency: np.ndarray, serial_share: np.ndarray) -> None:
    if np.any(concurrency < 1) or np.any(concurrency != np.floor(concurrency)):
        raise ValueError("concurrency must be an integer >= 1")
    if np.any(~((serial_share >= 0) & (serial_share <= 1))):
        raise ValueError("concurrency_serial_share must be in [0, 1]")


def slot_aht_seconds(aht_seconds, concurrency, serial_share) -> np.ndarray:
    """Return a chat's elapsed duration (slot holding time) at concurrency ``N``.

    Parameters
    ----------
    aht_seconds : array_like
        Handle time of a chat handled alone (> 0).
    concurrency : array_like
        Chats an agent handles at once, ``N >= 1``.
    serial_share : array_like
        Share ``s`` in [0, 1] of the handle time that cannot run in parallel.

    Returns
    -------
    ndarray
        ``AHT * (1 - s + N s)``.
    """
    aht = np.asarray(aht_seconds, dtype=float)
    n = np.asarray(concurrency, dtype=float)
    s = np.asarray(serial_share, dtype=float)
    _check(n, s)
    return aht * (1.0 - s + n * s)


def agent_seconds_per_chat(aht_seconds, concurrency, serial_share) -> np.ndarray:
    """Return the agent time one chat costs, ``AHT * (s + (1 - s) / N)`` (the effective AHT)."""
    n = np.asarray(concurrency, dtype=float)
    return slot_aht_seconds(aht_seconds, concurrency, serial_share) / n


def agents_from_slots(slots, concurrency) -> np.ndarray:
    """Return ``ceil(slots / N)`` as int64: the agents that provide at least ``slots`` chat slots."""
    slots = np.asarray(slots, dtype=np.int64)
    n = np.asarray(concurrency, dtype=np.int64)
    if np.any(n < 1):
        raise ValueError("concurrency must be >= 1")
    return -(-slots // n)
