"""Frame API: staffing requirements and expected service for long frames (intervals x queues).

Input frame columns: ``interval_start`` (tz-aware UTC), ``language``, ``channel``, ``contacts`` (per
interval), ``aht_seconds``; optional ``is_open`` (bool, default True) and ``shrinkage_percent`` (per-interval
override of the queue's shrinkage). Each (language, channel) pair needs a :class:`QueueStaffingSpec`; the
spec's ``kind`` (not the channel label) selects the model.

Output: the input columns plus

* ``agents_productive`` -- agents that must be handling this queue (before shrinkage);
* ``agents_required`` -- ``ceil(agents_productive / (1 - shrinkage))``, agents to schedule;
* ``service_level`` -- live: fraction of arriving contacts answered within T (NaN without a T);
  deferred: fraction of the interval's contacts answered within the response window;
* ``asa_seconds`` -- live: mean wait of answered contacts (inf if unstable / nobody answered);
  deferred: NaN (not modelled);
* ``abandon_rate`` -- Erlang A: fraction of arrivals abandoning; Erlang C and deferred: 0;
* ``occupancy`` -- busy share of the productive agents;
* ``backlog_contacts`` -- deferred: contacts not answered at the interval end; live: 0.

Closed intervals of live queues get 0 agents (their metrics are evaluated at 0 agents: service level 1 and
occupancy 0 when no contact is forecast). ``min_agents_open`` is a floor in every open interval.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from forecasting.staffing.concurrency import agents_from_slots, slot_aht_seconds
from forecasting.staffing.deferred import deferred_evaluate, deferred_requirements
from forecasting.staffing.erlang_a import erlang_a_agents, erlang_a_metrics
from forecasting.staffing.erlang_c import erlang_c_agents, erlang_c_metrics
from forecasting.staffing.shrinkage import apply_shrinkage
from forecasting.staffing.spec import QueueStaffingSpec

__all__ = ["OUTPUT_COLUMNS", "day_end_backlog", "evaluate_staffing", "requirements_frame"]

REQUIRED_COLUMNS = ("interval_start", "language", "channel", "contacts", "aht_seconds")
OUTPUT_COLUMNS = (
    "agents_required",
    "agents_productive",
    "service_level",
    "asa_seconds",
    "abandon_rate",
    "occupancy",
    "backlog_contacts",
)


def _validate(frame: pd.DataFrame, specs: Mapping[tuple[str, str], QueueStaffingSpec], interval_minutes: int):
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"frame lacks columns {missing}")
    if not (isinstance(interval_minutes, int | np.integer) and interval_minutes > 0):
        raise ValueError("interval_minutes must be a positive integer")
    ts = frame["interval_start"]
    if not isinstance(ts.dtype, pd.DatetimeTZDtype):
        raise ValueError("interval_start must be tz-aware (UTC)")
    keys = pd.MultiIndex.from_arrays([frame["language"], frame["channel"]]).unique()
    lacking = sorted(k for k in keys if k not in specs)
    if lacking:
        raise KeyError(f"no QueueStaffingSpec for queues {lacking}")
    contacts = frame["contacts"].to_numpy(dtype=float)
    aht = frame["aht_seconds"].to_numpy(dtype=float)
    if np.any(~np.isfinite(contacts)) or np.any(contacts < 0):
        raise ValueError("contacts must be finite and >= 0")
    if np.any((contacts > 0) & ~(aht > 0)):
        raise ValueError("aht_seconds must be > 0 where contacts > 0")


def _cell_parameters(frame: pd.DataFrame, specs: Mapping[tuple[str, str], QueueStaffingSpec]):
    """Codes per row and per-spec parameter arrays broadcast to rows."""
    keys = pd.MultiIndex.from_arrays([frame["language"], frame["channel"]])
    uniq = keys.unique()
    code = uniq.get_indexer(keys)
    spec_list = [specs[(lang, ch)] for lang, ch in uniq]

    def col(getter) -> np.ndarray:
        vals = np.array([np.nan if getter(s) is None else float(getter(s)) for s in spec_list], dtype=float)
        return vals[code]

    return code, spec_list, col


def _run(frame, specs, interval_minutes, agents_given: np.ndarray | None) -> pd.DataFrame:
    _validate(frame, specs, interval_minutes)
    out = frame.copy()
    n_rows = len(out)
    dt = float(interval_minutes) * 60.0
    contacts = out["contacts"].to_numpy(dtype=float)
    aht_raw = out["aht_seconds"].to_numpy(dtype=float)
    aht = np.where(aht_raw > 0, aht_raw, 1.0)  # AHT is irrelevant where contacts = 0
    is_open = out["is_open"].to_numpy(dtype=bool) if "is_open" in out.columns else np.ones(n_rows, dtype=bool)
    code, spec_list, col = _cell_parameters(out, specs)
    live_spec = np.array([s.is_live for s in spec_list])[code] if n_rows else np.zeros(0, dtype=bool)
    erlang_a = np.array([s.uses_erlang_a for s in spec_list])[code] if n_rows else np.zeros(0, dtype=bool)
    conc = col(lambda s: s.concurrency)
    share = col(lambda s: s.concurrency_serial_share)
    min_open = col(lambda s: s.min_agents_open)
    if "shrinkage_percent" in out.columns:
        shrink = out["shrinkage_percent"].to_numpy(dtype=float)
    else:
        shrink = col(lambda s: s.shrinkage_percent)

    productive = np.zeros(n_rows, dtype=np.int64)
    sl = np.full(n_rows, np.nan)
    asa = np.full(n_rows, np.nan)
    ab = np.zeros(n_rows)
    occ = np.zeros(n_rows)
    backlog = np.zeros(n_rows)

    # ---- live queues, all cells at once ------------------------------------------------------------
    live = np.flatnonzero(live_spec)
    if live.size:
        slot_aht = slot_aht_seconds(aht[live], conc[live], share[live])
        load = contacts[live] * slot_aht / dt
        t = col(lambda s: s.answer_within_seconds)[live]
        x = col(lambda s: s.service_level_percent)[live]
        asa_t = col(lambda s: s.asa_seconds)[live]
        occ_t = col(lambda s: s.max_occupancy_percent)[live]
        ab_t = col(lambda s: s.max_abandon_percent)[live]
        pat = col(lambda s: s.patience_seconds)[live]
        is_a = erlang_a[live]
        if agents_given is None:
            slots = np.zeros(live.size, dtype=np.int64)
            c_idx = np.flatnonzero(~is_a & is_open[live])
            if c_idx.size:
                slots[c_idx] = erlang_c_agents(
                    load[c_idx], slot_aht[c_idx], service_level_percent=x[c_idx],
                    answer_within_seconds=t[c_idx], asa_seconds=asa_t[c_idx],
                    max_occupancy_percent=occ_t[c_idx])
            a_idx = np.flatnonzero(is_a & is_open[live])
            if a_idx.size:
                slots[a_idx] = erlang_a_agents(
                    load[a_idx], slot_aht[a_idx], pat[a_idx], service_level_percent=x[a_idx],
                    answer_within_seconds=t[a_idx], asa_seconds=asa_t[a_idx], max_abandon_percent=ab_t[a_idx],
                    max_occupancy_percent=occ_t[a_idx])
            n_live = agents_from_slots(slots, conc[live].astype(np.int64))
            n_live = np.where(is_open[live], np.maximum(n_live, min_open[live].astype(np.int64)), 0)
        else:
            n_live = agents_given[live].astype(np.int64)
        productive[live] = n_live
        n_slots = (n_live * conc[live]).astype(float)
        c_idx = np.flatnonzero(~is_a)
        if c_idx.size:
            has_t = ~np.isnan(t[c_idx])
            sl_c, asa_c, occ_c = erlang_c_metrics(
                n_slots[c_idx], load[c_idx], slot_aht[c_idx], np.where(has_t, t[c_idx], 0.0))
            sl[live[c_idx]] = np.where(has_t, sl_c, np.nan)
            asa[live[c_idx]] = asa_c
            occ[live[c_idx]] = occ_c
        a_idx = np.flatnonzero(is_a)
        if a_idx.size:
            has_t = ~np.isnan(t[a_idx])
            m = erlang_a_metrics(n_slots[a_idx], load[a_idx], slot_aht[a_idx], pat[a_idx],
                                 np.where(has_t, t[a_idx], 0.0))
            sl[live[a_idx]] = np.where(has_t, m.service_level, np.nan)
            asa[live[a_idx]] = m.asa_seconds
            ab[live[a_idx]] = m.abandon_probability
            occ[live[a_idx]] = m.occupancy

    # ---- deferred queues, one queue at a time (the backlog couples intervals) ------------------------
    deferred = np.flatnonzero(~live_spec)
    if deferred.size:
        sub_codes = code[deferred]
        for q in np.unique(sub_codes):
            rows = deferred[sub_codes == q]
            rows = rows[np.argsort(out["interval_start"].to_numpy()[rows], kind="stable")]
            starts = out["interval_start"].to_numpy()[rows]
            if rows.size > 1:
                steps = np.diff(starts).astype("timedelta64[s]").astype(np.int64)
                if np.any(steps != int(dt)):
                    raise ValueError(
                        f"deferred queue #{q} ({spec_list[q].kind}) must be on a regular "
                        f"{interval_minutes}-minute grid")
            spec = spec_list[q]
            if agents_given is None:
                res = deferred_requirements(
                    contacts[rows], aht[rows], interval_seconds=dt, window_seconds=spec.answer_within_seconds,
                    is_open=is_open[rows], service_level_percent=spec.service_level_percent,
                    min_agents_open=spec.min_agents_open)
            else:
                res = deferred_evaluate(agents_given[rows], contacts[rows], aht[rows], interval_seconds=dt,
                                        window_seconds=spec.answer_within_seconds, is_open=is_open[rows])
            productive[rows] = res.agents
            sl[rows] = res.answered_in_window
            occ[rows] = res.occupancy
            backlog[rows] = res.backlog_contacts

    out["agents_required"] = apply_shrinkage(productive, shrink) if agents_given is None else np.ceil(
        productive / (1.0 - shrink / 100.0) * (1 - 1e-9)).astype(np.int64)
    out["agents_productive"] = productive
    out["service_level"] = sl
    out["asa_seconds"] = asa
    out["abandon_rate"] = ab
    out["occupancy"] = occ
    out["backlog_contacts"] = backlog
    return out


def requirements_frame(
    frame: pd.DataFrame,
    specs: Mapping[tuple[str, str], QueueStaffingSpec],
    interval_minutes: int,
) -> pd.DataFrame:
    """Return the staffing requirement and the expected service at that staffing, per interval and queue.

    Parameters
    ----------
    frame : pandas.DataFrame
        Long frame with ``interval_start`` (tz-aware), ``language``, ``channel``, ``contacts``,
        ``aht_seconds`` and optionally ``is_open`` and ``shrinkage_percent``. Deferred queues must be on a
        regular grid of ``interval_minutes``; live cells are independent.
    specs : Mapping[tuple[str, str], QueueStaffingSpec]
        Parameters per ``(language, channel)``.
    interval_minutes : int
        Interval length.

    Returns
    -------
    pandas.DataFrame
        A copy of ``frame`` (same index and order) with the columns in :data:`OUTPUT_COLUMNS` (see the
        module docstring).
    """
    return _run(frame, specs, interval_minutes, None)


def evaluate_staffing(
    frame: pd.DataFrame,
    specs: Mapping[tuple[str, str], QueueStaffingSpec],
    interval_minutes: int,
    agents_column: str = "agents_productive",
) -> pd.DataFrame:
    """Return the expected service for a given staffing (the inverse of :func:`requirements_frame`).

    Parameters
    ----------
    frame : pandas.DataFrame
        As for :func:`requirements_frame`, plus ``agents_column``.
    specs : Mapping[tuple[str, str], QueueStaffingSpec]
        Parameters per queue.
    interval_minutes : int
        Interval length.
    agents_column : str
        Column with the **productive** agents on the queue per interval (after shrinkage is removed; for
        chat, agents -- each providing ``concurrency`` slots).

    Returns
    -------
    pandas.DataFrame
        A copy of ``frame`` with the output columns; ``agents_productive`` echoes the given staffing and
        ``agents_required`` is what it corresponds to before shrinkage. Unstable Erlang C cells
        (``agents <= load``) report service level 0, ASA ``inf`` and occupancy 1.
    """
    if agents_column not in frame.columns:
        raise ValueError(f"frame lacks the staffing column {agents_column!r}")
    agents = frame[agents_column].to_numpy(dtype=float)
    if np.any(~np.isfinite(agents)) or np.any(agents < 0) or np.any(agents != np.floor(agents)):
        raise ValueError("staffing must be non-negative integers")
    return _run(frame, specs, interval_minutes, agents.astype(np.int64))


def day_end_backlog(result: pd.DataFrame, tz: str = "UTC") -> pd.DataFrame:
    """Return the backlog at the end of each day per queue.

    Parameters
    ----------
    result : pandas.DataFrame
        Output of :func:`requirements_frame` or :func:`evaluate_staffing`.
    tz : str
        Time zone that defines the day (default UTC).

    Returns
    -------
    pandas.DataFrame
        Columns ``language``, ``channel``, ``date``, ``backlog_contacts`` (value at the day's last
        interval).
    """
    local = result["interval_start"].dt.tz_convert(tz)
    tmp = pd.DataFrame({
        "language": result["language"].to_numpy(),
        "channel": result["channel"].to_numpy(),
        "date": local.dt.date.to_numpy(),
        "start": local.to_numpy(),
        "backlog_contacts": result["backlog_contacts"].to_numpy(),
    }).sort_values(["language", "channel", "start"], kind="stable")
    last = tmp.groupby(["language", "channel", "date"], sort=True).tail(1)
    return last.drop(columns="start").reset_index(drop=True)
