"""``shiftplan requirements``: forecast -> staffing on the tiny plan, file written atomically, never over a file."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from shiftplan.cli import main


def test_requirements_command_staffs_the_forecast(tiny_plan: Path) -> None:
    """Tests that requirements are written per interval and queue with shrinkage applied last, then versioned."""
    target = tiny_plan / "req.csv"
    runner = CliRunner()
    result = runner.invoke(main, ["requirements", str(tiny_plan), "-o", str(target)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(target)
    # 5 queues x 167 hourly intervals (the horizon's last day has 23 hours: summer time starts)
    assert len(table) == 5 * 167
    assert list(table.columns[:4]) == ["start", "language", "channel", "agents"]
    chat = table[(table["language"] == "en") & (table["channel"] == "chat")]
    # en/chat has 30% shrinkage: agents = ceil(productive / 0.7)
    expected = [math.ceil(p / 0.7 - 1e-9) for p in chat["agents_productive"]]
    assert chat["agents"].tolist() == expected
    # email is closed at night (mon-fri 08:00-20:00): no agents needed at 03:00 local
    email_night = table[(table["channel"] == "email") & table["start"].str.contains("T03:00")]
    assert (email_night["agents"] == 0).all()
    again = runner.invoke(main, ["requirements", str(tiny_plan), "-o", str(target)])
    assert again.exit_code == 0
    assert (tiny_plan / "req.v2.csv").exists()  # the first file is never silently replaced
