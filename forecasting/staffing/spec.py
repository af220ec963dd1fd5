"""Per-queue staffing parameters, independent of the plan-folder configuration."""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["DEFERRED_KINDS", "LIVE_KINDS", "QueueStaffingSpec"]

LIVE_KINDS = frozenset({"phone", "chat"})
DEFERRED_KINDS = frozenset({"email", "ticket", "social"})


@dataclass(frozen=True)
class QueueStaffingSpec:
    """Service targets and modelling choices for one queue (language x channel).

    Parameters
    ----------
    kind : str
        ``"phone"`` or ``"chat"`` (live, queueing model) or ``"email"``, ``"ticket"``, ``"social"``
        (deferred, backlog model).
    service_level_percent : float or None
        Live: X in "X % answered within T". Deferred: share of contacts that must be answered within the
        response window (None -> 100).
    answer_within_seconds : float or None
        Live: the threshold T. Deferred: the response window, counted in *open* time (required).
    asa_seconds : float or None
        Live only: maximum average speed of answer.
    max_abandon_percent : float or None
        Live with patience only: maximum share of arriving contacts that abandon.
    patience_seconds : float or None
        Mean exponential patience; set -> Erlang A (M/M/n+M), None -> Erlang C (M/M/n).
    concurrency : int
        Chats an agent handles at once (chat only; 1 elsewhere).
    concurrency_serial_share : float
        Share of a chat's handle time that cannot run in parallel (see
        :mod:`forecasting.staffing.concurrency`).
    max_occupancy_percent : float or None
        Live only: ``n >= a / o`` on the offered load.
    shrinkage_percent : float
        In [0, 100); agents to schedule = ``ceil(productive / (1 - shrinkage))``.
    min_agents_open : int
        Least productive agents in every open interval (also when the volume is 0).
    """

    kind: str
    service_level_percent: float | None = None
    answer_within_seconds: float | None = None
    asa_seconds: float | None = None
    max_abandon_percent: float | None = None
    patience_seconds: float | None = None
    concurrency: int = 1
    concurrency_serial_share: float = 1.0
    max_occupancy_percent: float | None = None
    shrinkage_percent: float = 0.0
    min_agents_open: int = 0

    def __post_init__(self) -> None:
        """Validate the combination of fields."""
        if self.kind not in LIVE_KINDS | DEFERRED_KINDS:
            raise ValueError(f"kind must be one of {sorted(LIVE_KINDS | DEFERRED_KINDS)}, got {self.kind!r}")

        def positive(name: str) -> None:
            v = getattr(self, name)
            if v is not None and not (math.isfinite(v) and v > 0):
                raise ValueError(f"{name} must be a finite number > 0")

        for name in ("asa_seconds", "patience_seconds"):
            positive(name)
        if self.answer_within_seconds is not None and not (
            math.isfinite(self.answer_within_seconds) and self.answer_within_seconds >= 0
        ):
            raise ValueError("answer_within_seconds must be finite and >= 0")
        if not (0 <= self.shrinkage_percent < 100):
            raise ValueError("shrinkage_percent must be in [0, 100)")
        if int(self.min_agents_open) != self.min_agents_open or self.min_agents_open < 0:
            raise ValueError("min_agents_open must be an integer >= 0")
        if int(self.concurrency) != self.concurrency or self.concurrency < 1:
            raise ValueError("concurrency must be an integer >= 1")
        if self.concurrency > 1 and self.kind != "chat":
            raise ValueError("concurrency > 1 is only meaningful for chat")
        if not (0 <= self.concurrency_serial_share <= 1):
            raise ValueError("concurrency_serial_share must be in [0, 1]")
        if self.max_occupancy_percent is not None and not (0 < self.max_occupancy_percent <= 100):
            raise ValueError("max_occupancy_percent must be in (0, 100]")
        if self.max_abandon_percent is not None and not (0 < self.max_abandon_percent < 100):
            raise ValueError("max_abandon_percent must be in (0, 100)")
        if self.is_live:
            if self.service_level_percent is not None:
                if not (0 < self.service_level_percent < 100):
                    raise ValueError("live service_level_percent must be in (0, 100)")
                if self.answer_within_seconds is None:
                    raise ValueError("service_level_percent needs answer_within_seconds")
            if self.max_abandon_percent is not None and self.patience_seconds is None:
                raise ValueError("max_abandon_percent needs patience_seconds (Erlang A)")
            if not any(v is not None for v in (
                self.service_level_percent,
                self.asa_seconds,
                self.max_abandon_percent,
                self.max_occupancy_percent,
            )):
                raise ValueError("a live queue needs at least one target")
        else:
            if self.answer_within_seconds is None or self.answer_within_seconds <= 0:
                raise ValueError("a deferred queue needs answer_within_seconds (response window) > 0")
            if self.service_level_percent is not None and not (0 < self.service_level_percent <= 100):
                raise ValueError("deferred service_level_percent must be in (0, 100]")
            live_only = (self.asa_seconds, self.max_abandon_percent, self.patience_seconds)
            if any(v is not None for v in live_only):
                raise ValueError("asa, abandonment and patience targets apply to live queues only")

    @property
    def is_live(self) -> bool:
        """True for phone and chat (queueing models), False for deferred channels."""
        return self.kind in LIVE_KINDS

    @property
    def uses_erlang_a(self) -> bool:
        """True when ``patience_seconds`` is set (Erlang A), else Erlang C."""
        return self.patience_seconds is not None
