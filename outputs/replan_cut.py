"""A re-plan's cut (``solve --keep-before``): the instant from which it may change the roster (pure; no file I/O).

Before the cut a re-plan keeps the published roster (worked, or under way by then), so what it can still change, and
what a team lead re-planning during an incident needs, are the figures from the cut on. The report records the cut
in its facts (``facts["replan"]``, :func:`cut_facts`); :func:`report_cut` reads it back, and :func:`from_cut` gives
the coverage rows from it on. A result saved before the cut was recorded has none: its figures are the whole plan's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from inputs.records import Plan

__all__ = ["Cut", "cut_facts", "cut_utc", "from_cut", "report_cut"]


def cut_utc(plan: Plan) -> pd.Timestamp | None:
    """The instant (UTC, tz-aware) from which a re-plan may change the roster; None for a plan that is not one.

    With a time (``--keep-before "2026-12-02 15:00"``), that time on the plan's clock; with a day alone, the plan's
    midnight starting it (agents in other zones keep their rows dated before it on their own clock, so their own
    day may start a little earlier or later).
    """
    kept = plan.kept
    if kept is None:
        return None
    zone = plan.horizon.time_zone
    if kept.from_time is not None:
        return kept.change_from_utc(zone)
    return pd.Timestamp(kept.before).tz_localize(zone, nonexistent="shift_forward").tz_convert("UTC")


def cut_facts(plan: Plan) -> dict[str, object] | None:
    """The report's record of a re-plan's cut (``facts["replan"]``), or None for a plan that is not a re-plan.

    Returns
    -------
    dict or None
        ``from_utc`` (naive UTC, ISO 8601), ``from_local`` (naive, on the plan's clock) and ``keep_before`` (the
        ``--keep-before`` value as given: ``2026-12-02 15:00``, or ``2026-12-03`` for a re-plan by whole days) and
        ``num_published``, the published agent-days it could change (so that ``export`` says ``changed N of M`` as
        ``solve`` did).
    """
    instant = cut_utc(plan)
    if instant is None:
        return None
    local = instant.tz_convert(plan.horizon.time_zone).tz_localize(None)
    return {"from_utc": instant.tz_localize(None).isoformat(), "from_local": local.isoformat(),
            "keep_before": plan.kept.label, "num_published": plan.kept.num_published}


@dataclass(frozen=True)
class Cut:
    """A re-plan's cut as a report has it.

    Attributes
    ----------
    utc : pandas.Timestamp
        The instant, naive UTC (the coverage's ``start_utc``).
    local : pandas.Timestamp
        The same on the plan's clock, naive.
    time_zone : str
        The plan's clock.
    """

    utc: pd.Timestamp
    local: pd.Timestamp
    time_zone: str

    @property
    def label(self) -> str:
        """``Wed 2026-12-02 15:00``: the cut on the plan's clock."""
        return f"{self.local:%a %Y-%m-%d %H:%M}"

    @property
    def heading(self) -> str:
        """``from Wed 2026-12-02 15:00 UTC (the re-plan's cut)``: what the figures from it on are labelled with (the
        plan's clock named)."""
        return f"from {self.label} {self.time_zone} (the re-plan's cut)"


def report_cut(facts: Mapping[str, object]) -> Cut | None:
    """The cut a report's facts record (:func:`cut_facts`), or None: not a re-plan, or a result saved before the
    cut was recorded."""
    record = facts.get("replan")
    if not isinstance(record, Mapping):
        return None
    return Cut(pd.Timestamp(str(record["from_utc"])), pd.Timestamp(str(record["from_local"])),
               str(facts["time_zone"]))


def from_cut(coverage: pd.DataFrame, cut: Cut) -> pd.DataFrame:
    """The rows of a report's coverage from the cut on (their ``start_utc`` at or after it)."""
    return coverage[coverage["start_utc"] >= cut.utc]
