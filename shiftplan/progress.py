"""Live progress of long solves on the terminal (rich), silent when not attached to one."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console

from scheduler.solve import ProgressCallback


@contextmanager
def solver_progress(enabled: bool = True) -> Iterator[ProgressCallback | None]:
    """Yield a callback that prints each improving roster's objective, bound and gap to stderr.

    Parameters
    ----------
    enabled : bool
        When False (``--quiet``), yields None.
    """
    if not enabled:
        yield None
        return
    console = Console(file=sys.stderr, highlight=False)

    def report(seconds: float, objective: float, bound: float) -> None:
        console.print(progress_line(seconds, objective, bound))

    yield report


def progress_line(seconds: float, objective: float, bound: float) -> str:
    """One line of live progress: time, objective, bound and gap, in fixed-width columns.

    A bound of 0 under a positive objective is a bound not computed yet (a large plan reports its first roster
    before any bound): it reads ``not yet proven`` with no gap, rather than a gap of 100%.

    Parameters
    ----------
    seconds : float
        Time since the solve started.
    objective : float
        The best roster's objective (plan units).
    bound : float
        The best lower bound so far (plan units).

    Returns
    -------
    str
        The line, without a newline.
    """
    if bound <= 0 < objective:
        return f"  {seconds:7.1f} s  objective {objective:16,.2f}  bound {'not yet proven':>16}  gap {'-':>7}"
    gap = 0.0 if objective <= 0 else max(0.0, (objective - bound) / objective)
    return f"  {seconds:7.1f} s  objective {objective:16,.2f}  bound {bound:16,.2f}  gap {100 * gap:6.2f}%"
