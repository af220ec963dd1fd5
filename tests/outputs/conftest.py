"""Fixtures of the output tests: the tiny plan with a hand-made roster."""

from __future__ import annotations

from pathlib import Path

import pytest

from outputs.report import RosterReport
from tests.outputs.tiny_roster import tiny_report


@pytest.fixture
def report(tiny_plan: Path) -> RosterReport:
    """The report of the hand-made roster on the tiny plan."""
    return tiny_report(tiny_plan, manifest={"shiftplan_version": "0.1.0", "seed": 7})[0]
