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
        gap = 0.0 if objective <= 0 else max(0.0, (objective - bound) / objective)
        console.print(f"  {seconds:7.1f} s  objective {objective:16,.2f}  bound {bound:16,.2f}  gap {100 * gap:6.2f}%")

    yield report
