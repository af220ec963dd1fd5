"""Shared fixtures: a tiny valid plan folder that tests copy and break on purpose."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from plan_factory import write_tiny_plan


@pytest.fixture
def tiny_plan(tmp_path: Path) -> Path:
    """A valid two-language plan folder in a temporary directory."""
    return write_tiny_plan(tmp_path / "plan")
