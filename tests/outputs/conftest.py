"""Fixtures of the output tests: the tiny plan with a hand-made roster."""

from __future__ import annotations

import pytest

from outputs.report import RosterReport
from tests.outputs.tiny_roster import tiny_report
from tests.plan_factory import write_tiny_plan


@pytest.fixture(scope="session")
def report(tmp_path_factory: pytest.TempPathFactory) -> RosterReport:
    """The report of the hand-made roster on the tiny plan (built once; tests must not change it)."""
    plan = write_tiny_plan(tmp_path_factory.mktemp("report") / "plan")
    return tiny_report(plan, manifest={"shiftplan_version": "0.1.0", "seed": 7})[0]
