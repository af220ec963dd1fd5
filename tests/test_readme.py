"""The README stays true: its reference tables are the generated ones, and CI runs its test command."""

from __future__ import annotations

import re
from pathlib import Path

from inputs.reference import render_reference

ROOT = Path(__file__).resolve().parent.parent


def test_readme_reference_matches_the_code() -> None:
    """Tests that the README's plan-folder reference equals what the specs generate (no drift)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert render_reference() in readme


def test_ci_runs_exactly_the_readme_test_command() -> None:
    """Tests that .ci/run runs the README's second set-up command, word for word."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```bash\n\s*(.+?)\n\s*```", readme)
    test_command = commands[1].strip()
    assert "pytest" in test_command
    ci = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line and not line.startswith("#")]
    assert test_command in ci
