"""Deferred channels (email, ticket, social): staffing from a backlog that must clear inside a window.

Model
-----
* Work arrives per interval: ``contacts * AHT`` agent-seconds. Contacts arriving in an interval are treated
  as arriving at its start. Contacts that arrive while the queue is closed wait for the next open interval.
* Only open intervals count: agents work only then, and the response window is counted in **open time**
  (business hours): with 15-minute intervals a 1-hour window is 4 open intervals, so an e-mail arriving at
  17:45 into a queue that closes at 18:00 and reopens at 08:00 is due at 08:45. The window is rounded
  *down* to whole intervals (at least 1): ``w = max(1, floor(window / interval))``.
* Contacts are answered first-in first-out, as a fluid: with ``n`` agents an open interval clears
  ``n * interval_seconds`` of work from the front of the backlog.
* Target: at least ``X %`` (``service_level_percent``, default 100 -- "every contact inside its window") of
  **each interval's** contacts are answered within the window, and the rest within
  ``late_window_factor`` (default 2) windows, so that nothing is left behind for ever. Requiring X % per
  interval is stricter than X % over the day; it stops the planner from sacrificing whole peaks.

Requirement algorithm (rolling level, whole intervals of work)
--------------------------------------------------------------
At each open interval ``t`` the known deadlines give a cumulative target ``R(t + h)``: the work (counted
from the start) that must be finished by the end of open interval ``t + h``. With ``S_{t-1}`` the work
finished so far, ``B_t = A_t - S_{t-1}`` the work waiting (arrived, not done) and ``I`` the interval's
seconds, three numbers are read:

* ``forced = ceil((R(t) - S_{t-1}) / I)``: the work due by the end of ``t`` is done in ``t``;
* ``levelled = ceil( max_h (R(t + h) - S_{t-1}) / ((h + 1) * I) )``: the least integer number of agents that,
  kept constant from now on, meets every known deadline;
* ``whole = floor(B_t / I)``: the whole intervals of work waiting;

and ``n_t = max(forced, min(whole, levelled))``; then ``S_t = min(A_t, S_{t-1} + n_t * I)``. Because the
forced term is included, the work due at ``t`` is always finished at ``t`` (the schedule is always feasible);
the levelled term spreads a burst over its window rather than doing it at the last moment; the whole term
staffs an agent only for an interval's worth of waiting work, so no agent-interval is spent on a trickle
that could wait. Examples (the hand cases in the tests): 10 e-mails at 09:00, AHT 6 min, 15-min intervals.
A 1-hour window -> 1 hour of work due in 4 intervals -> 1 agent in each of 09:00-10:00. An 8-hour window ->
``ceil(3600 / (32 * 900)) = 1`` agent, who clears the hour of work in the first 4 intervals, then 0 (the
total is the least possible, 4 agent-intervals). One e-mail of 3 minutes every 15 minutes with a 24-hour
window -> 1 agent every fifth interval, once 15 minutes of work wait (without the whole term the levelled
rule alone staffed 1 agent in *every* interval, five times the work: ``ceil`` of any positive need is 1, and
after shrinkage that was 2 agents around the clock for a queue of a fifth of an agent's work). The rule
looks only at work already arrived (it is causal), so it never staffs for work that has not arrived yet.

Evaluation
----------
For a given staffing the finished work is the fluid FIFO queue ``S_t = C_t + min(0, min_{s<=t} (A_s -
C_s))`` (``A``: cumulative work arrived, ``C``: cumulative capacity), computed without a loop; the share of
an interval's contacts answered within the window is the part of its work slice ``[A_{k-1}, A_k]`` that
``S`` has passed by its deadline. Contacts whose deadline falls after the end of the horizon are left out of
the achieved share (their fate is unknown). The backlog (contacts not answered) is reported at the end of
every interval, open or closed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["DeferredResult", "deferred_evaluate", "deferred_requirements"]


@dataclass(frozen=True)
class DeferredResult:
    """Per-interval outcome for one deferred queue (arrays over the input intervals).

    Attributes
    ----------
    agents : ndarray of int64
        Productive agents per interval (0 when closed).
    backlog_contacts : ndarray
        Contacts arrived and not yet answered at the end of each interval.
    answered_in_window : ndarray
        Share of the contacts arriving in each interval that are answered within the window (NaN where the
        deadline lies beyond the horizon; 1 where no contact arrived).
    occupancy : ndarray
        Work done / capacity per interval (0 where no agent).
    achieved_percent : float
        Percent of all contacts (with a deadline inside the horizon) answered within the window.
    """

    agents: np.ndarray
    backlog_contacts: np.ndarray
    answered_in_window: np.ndarray
    occupancy: np.ndarray
    achieved_percent: float


def _prepare(contacts, aht_seconds, is_open, interval_seconds, window_seconds):
    c = np.asarray(contacts, dtype=float).ravel()
    aht = np.broadcast_to(np.asarray(aht_seconds, dtype=float), c.shape).astype(float)
    open_ = np.ones(c.shape, dtype=bool) if is_open is None else np.asarray(is_open, dtype=bool).ravel()
    if open_.shape != c.shape:
        raise ValueError("is_open must have one value per interval")
    if np.any(c < 0) or np.any(~np.isfinite(c)):
        raise ValueError("contacts must be finite and >= 0")
    if np.any((c > 0) & ~(aht > 0)):
        raise ValueError("aht_seconds must be > 0 where there are contacts")
    if not interval_seconds > 0 or not window_seconds > 0:
        raise ValueError("interval_seconds and window_seconds must be > 0")
    work = np.where(c > 0, c * np.where(aht > 0, aht, 0.0), 0.0)
    open_idx = np.flatnonzero(open_)
    # each interval's arrivals go to the first open interval at or after it (-1: none)
    nxt = np.searchsorted(open_idx, np.arange(c.size), side="left")
    slot_of = np.where(nxt < open_idx.size, nxt, -1)
    k = open_idx.size
    slot_work = np.zeros(k)
    slot_contacts = np.zeros(k)
    has = slot_of >= 0
    np.add.at(slot_work, slot_of[has], work[has])
    np.add.at(slot_contacts, slot_of[has], c[has])
    w = max(1, int(np.floor(window_seconds / interval_seconds + 1e-9)))
    return c, work, open_, open_idx, slot_of, slot_work, slot_contacts, w


def _finished_work(slot_work: np.ndarray, slot_capacity: np.ndarray) -> np.ndarray:
    """Cumulative work finished by the end of each open slot (fluid FIFO, work-conserving)."""
    arrived = np.cumsum(slot_work)
    cap = np.cumsum(slot_capacity)
    return cap + np.minimum(0.0, np.minimum.accumulate(arrived - cap))


def _outcome(c, open_, open_idx, slot_of, slot_work, slot_contacts, w, agents_slots, interval_seconds):
    """Evaluate a per-open-slot staffing: backlog, share within window, occupancy."""
    capacity = agents_slots * float(interval_seconds)
    done = _finished_work(slot_work, capacity)
    arrived = np.cumsum(slot_work)
    arrived_prev = arrived - slot_work
    k = slot_work.size
    # contacts answered by the end of each slot: FIFO position mapped from work to contacts
    cum_c = np.concatenate([[0.0], np.cumsum(slot_contacts)])
    cum_w = np.concatenate([[0.0], arrived])
    done_contacts = _work_to_contacts(done, cum_w, cum_c)
    # share of each slot's arrivals finished by its deadline
    deadline = np.arange(k) + w - 1
    inside = deadline < k
    share = np.full(k, np.nan)
    dl = deadline[inside]
    pos = slot_work[inside] > 0
    sh = np.ones(dl.size)
    sw = slot_work[inside]
    sh[pos] = np.clip((done[dl[pos]] - arrived_prev[inside][pos]) / sw[pos], 0.0, 1.0)
    share[inside] = sh
    # zero-work slots with contacts (aht 0 impossible) or no contacts: 1
    counted = inside & (slot_contacts > 0)
    total = slot_contacts[counted].sum()
    achieved = 100.0 if total == 0 else 100.0 * float((share[counted] * slot_contacts[counted]).sum() / total)
    # per interval outputs
    n_int = c.size
    agents = np.zeros(n_int, dtype=np.int64)
    agents[open_idx] = agents_slots
    # backlog at the end of interval i: arrived contacts up to i minus answered by last open slot <= i
    cum_arr_contacts = np.cumsum(c)
    last_open = np.searchsorted(open_idx, np.arange(n_int), side="right") - 1
    answered = np.where(last_open >= 0, done_contacts[np.maximum(last_open, 0)], 0.0)
    backlog = np.maximum(cum_arr_contacts - answered, 0.0)
    backlog[np.abs(backlog) < 1e-9 * np.maximum(cum_arr_contacts, 1.0)] = 0.0
    share_int = np.where(slot_of >= 0, share[np.maximum(slot_of, 0)], np.nan)
    share_int = np.where(c == 0, 1.0, share_int)
    occ = np.zeros(n_int)
    done_slot = np.diff(np.concatenate([[0.0], done]))
    with np.errstate(invalid="ignore", divide="ignore"):
        occ_slot = np.where(capacity > 0, done_slot / np.where(capacity > 0, capacity, 1.0), 0.0)
    occ[open_idx] = np.clip(occ_slot, 0.0, 1.0)
    return agents, backlog, share_int, occ, achieved


def _work_to_contacts(done: np.ndarray, cum_w: np.ndarray, cum_c: np.ndarray) -> np.ndarray:
    """Map finished work to finished contacts along the FIFO order (piecewise linear, zero-work safe)."""
    # np.interp needs increasing x; zero-work slots have no contacts, so dropping repeats is safe
    keep = np.concatenate([[True], np.diff(cum_w) > 0])
    return np.interp(done, cum_w[keep], cum_c[keep])


def deferred_requirements(
    contacts,
    aht_seconds,
    *,
    interval_seconds: float,
    window_seconds: float,
    is_open=None,
    service_level_percent: float | None = None,
    late_window_factor: float = 2.0,
    min_agents_open: int = 0,
) -> DeferredResult:
    """Return the least integer staffing, levelled over the window, that answers the contacts within it.

    Parameters
    ----------
    contacts : array_like
        Contacts arriving per interval (one queue, consecutive intervals).
    aht_seconds : array_like
        AHT per interval (scalar or array).
    interval_seconds : float
        Interval length.
    window_seconds : float
        Response window, counted in open time (see the module docstring).
    is_open : array_like of bool, optional
        Open mask per interval (default all open).
    service_level_percent : float, optional
        Share of each interval's contacts that must be answered within the window (default 100).
    late_window_factor : float
        The remaining contacts must be answered within this many windows (>= 1).
    min_agents_open : int
        Least agents in every open interval.

    Returns
    -------
    DeferredResult
        Agents per interval (productive, before shrinkage), backlog and achieved shares.
    """
    x = 100.0 if service_level_percent is None else float(service_level_percent)
    if not 0 < x <= 100:
        raise ValueError("service_level_percent must be in (0, 100]")
    if late_window_factor < 1:
        raise ValueError("late_window_factor must be >= 1")
    c, _work, open_, open_idx, slot_of, slot_work, slot_contacts, w = _prepare(
        contacts, aht_seconds, is_open, interval_seconds, window_seconds)
    k = slot_work.size
    lw = max(w, int(np.ceil(late_window_factor * w - 1e-9)))
    arrived = np.cumsum(slot_work)
    arrived_prev = arrived - slot_work
    must = arrived_prev + (x / 100.0) * slot_work  # non-decreasing in the slot index
    h = np.arange(lw)
    denom = (h + 1.0) * float(interval_seconds)
    agents = np.zeros(k, dtype=np.int64)
    finished = 0.0
    # round-off allowance, in agent-intervals: the work counted from the start may carry float noise
    eps = 1e-9 * max(1.0, float(arrived[-1]) if k else 1.0) / float(interval_seconds)
    for t in range(k):
        tau = t + h
        i_must = np.minimum(t, tau - w + 1)
        i_late = np.minimum(t, tau - lw + 1)
        req = np.maximum(
            np.where(i_must >= 0, must[np.maximum(i_must, 0)], 0.0),
            np.where(i_late >= 0, arrived[np.maximum(i_late, 0)], 0.0),
        )
        due = (req - finished) / denom
        # the work due by the end of this interval is done now; beyond that, an agent is staffed only for a whole
        # interval of work waiting (no agent-interval is half idle for a trickle), at most the levelled rate
        forced = int(np.ceil(float(due[0]) - eps))
        levelled = int(np.ceil(float(np.max(due)) - eps))
        whole = int(np.floor((float(arrived[t]) - finished) / interval_seconds + eps))
        n_t = max(forced, min(whole, levelled), int(min_agents_open), 0)
        agents[t] = n_t
        finished = min(float(arrived[t]), finished + n_t * float(interval_seconds))
    out = _outcome(c, open_, open_idx, slot_of, slot_work, slot_contacts, w, agents, interval_seconds)
    return DeferredResult(*out)


def deferred_evaluate(
    agents,
    contacts,
    aht_seconds,
    *,
    interval_seconds: float,
    window_seconds: float,
    is_open=None,
) -> DeferredResult:
    """Return backlog, share answered within the window and occupancy for a given staffing.

    Parameters
    ----------
    agents : array_like
        Productive agents per interval (agents in closed intervals are ignored).
    contacts, aht_seconds, interval_seconds, window_seconds, is_open
        As in :func:`deferred_requirements`.

    Returns
    -------
    DeferredResult
        ``agents`` echoes the input (0 where closed).
    """
    c, _work, open_, open_idx, slot_of, slot_work, slot_contacts, w = _prepare(
        contacts, aht_seconds, is_open, interval_seconds, window_seconds)
    n = np.asarray(agents, dtype=float).ravel()
    if n.shape != c.shape:
        raise ValueError("agents must have one value per interval")
    if np.any(n < 0):
        raise ValueError("agents must be >= 0")
    out = _outcome(c, open_, open_idx, slot_of, slot_work, slot_contacts, w,
                   n[open_idx].astype(np.int64), interval_seconds)
    return DeferredResult(*out)
