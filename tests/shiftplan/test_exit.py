"""The command's exit: never while HiGHS still solves a shift-count LP in a background thread.

A solve that ends before its background LP (the clock cut the wait for it) leaves HiGHS running until its own time
limit; a process that exits then is aborted by the C++ runtime (``terminate called without an active exception``,
exit code 134) after every file was written. Measured on 2026-12-07: 3 of 36 solves of 5 s, run four at a time on two
cores, before the fix; none of 36 after it.
"""

from __future__ import annotations

import sys
import threading
import time

import pytest

import scheduler.aggregate_lp as aggregate_lp
from scheduler.aggregate_lp import COUNT_LP_THREAD, wait_for_background_lps
from shiftplan import cli


def _background_lp(seconds: float) -> threading.Thread:
    """A thread named as a :class:`CountLpJob`'s, busy for ``seconds``."""
    thread = threading.Thread(target=time.sleep, args=(seconds,), name=COUNT_LP_THREAD, daemon=True)
    thread.start()
    return thread


def test_waiting_ends_when_the_background_lps_do() -> None:
    """Tests :func:`wait_for_background_lps`: True at once without one; True after a 0.3 s one ends, having waited
    for it; False when one outlives the wait."""
    assert wait_for_background_lps(0.0)
    thread = _background_lp(0.3)
    started = time.perf_counter()
    assert wait_for_background_lps(5.0)
    assert not thread.is_alive() and time.perf_counter() - started >= 0.25
    lingering = _background_lp(2.0)
    assert not wait_for_background_lps(0.05)
    lingering.join()


class _ExitCalledError(Exception):
    """``os._exit`` in a test: the code it was given."""


def test_the_command_waits_for_a_background_lp_then_exits_with_its_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests :func:`shiftplan.cli.run`: with an LP still solving for 0.3 s it waits, then exits with the command's
    code (``sys.exit``); with one that outlives the grace it leaves by ``os._exit`` with the same code, skipping the
    interpreter's shutdown; the code of a failed command (2, a usage error) is kept."""
    monkeypatch.setitem(sys.modules, "scheduler.aggregate_lp", aggregate_lp)
    monkeypatch.setattr(sys, "argv", ["shiftplan", "--help"])
    thread = _background_lp(0.3)
    with pytest.raises(SystemExit) as done:
        cli.run()
    assert done.value.code == 0 and not thread.is_alive()

    def fake_exit(code: int) -> None:
        raise _ExitCalledError(code)

    monkeypatch.setattr(cli.os, "_exit", fake_exit)
    monkeypatch.setattr(cli, "BACKGROUND_GRACE_SECONDS", 0.05)
    monkeypatch.setattr(sys, "argv", ["shiftplan", "solve"])  # no PLAN: a usage error, exit code 2
    lingering = _background_lp(2.0)
    with pytest.raises(_ExitCalledError) as left:
        cli.run()
    assert left.value.args == (2,)
    lingering.join()
