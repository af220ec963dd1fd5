"""Tests of the cron job: versioned atomic writes, idempotence, the lock, the accuracy log."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from filelock import FileLock

from shiftplan import forecast_job
from shiftplan.forecast_job import (
    EXIT_FORECAST_FAILED,
    EXIT_INVALID_PLAN,
    EXIT_LOCKED,
    EXIT_OK,
    latest_forecast,
    run_forecast_job,
)

NOW = pd.Timestamp("2026-03-22 06:00", tz="UTC")


def test_write_then_idempotent_then_new_version(tiny_plan: Path, fast_options: object) -> None:
    """Tests that a run writes W13 forecast + metadata, a re-run writes nothing, changed inputs write v2."""
    first = run_forecast_job(tiny_plan, now=NOW, quiet=True)
    folder = tiny_plan / "forecasts" / "2026-W13"
    assert (first.exit_code, first.written, first.forecast_path) == (EXIT_OK, True, folder / "forecast.csv")
    assert (folder / "metadata.json").is_file()
    text = first.forecast_path.read_text()
    assert text.splitlines()[1].startswith("2026-03-23T00:00:00+00:00,en,chat,")
    again = run_forecast_job(tiny_plan, now=NOW, quiet=True)
    assert (again.exit_code, again.written, again.forecast_path) == (EXIT_OK, False, folder / "forecast.csv")
    history = tiny_plan / "history.csv"
    history.write_text(history.read_text().replace(",en,phone,10,300", ",en,phone,12,300"))
    third = run_forecast_job(tiny_plan, now=NOW, quiet=True)
    assert (third.written, third.forecast_path.name, third.metadata_path.name) == (True, "forecast.v2.csv",
                                                                                   "metadata.v2.json")
    assert first.forecast_path.read_text() == text  # never overwritten
    assert sorted(p.name for p in folder.iterdir()) == ["forecast.csv", "forecast.v2.csv", "metadata.json",
                                                         "metadata.v2.json"]  # no temporary files left
    assert latest_forecast(tiny_plan, type("H", (), {"first_day": pd.Timestamp("2026-03-23").date()})) == \
        folder / "forecast.v2.csv"


def test_lock_held_fails_fast(tiny_plan: Path) -> None:
    """Tests that a held lock gives exit code 4 and writes nothing."""
    (tiny_plan / "forecasts").mkdir()
    with FileLock(str(tiny_plan / "forecasts" / ".lock")):
        outcome = run_forecast_job(tiny_plan, now=NOW, quiet=True)
    assert outcome.exit_code == EXIT_LOCKED
    assert "another forecast run holds" in outcome.message
    assert not list((tiny_plan / "forecasts").glob("*/forecast*.csv"))


def test_atomic_write_keeps_old_file_on_failure(tmp_path: Path, monkeypatch: object) -> None:
    """Tests that a failing replace leaves the old file intact and no temporary file behind."""
    target = tmp_path / "f.csv"
    target.write_text("old")

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(forecast_job.os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        forecast_job.atomic_write_bytes(target, b"new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.csv"]


def test_exit_codes_for_bad_plan_and_bad_scenario(tiny_plan: Path, tmp_path: Path, fast_options: object) -> None:
    """Tests that an invalid plan exits 1 and a malformed scenario exits 5."""
    (tmp_path / "empty").mkdir()
    assert run_forecast_job(tmp_path / "empty", now=NOW, quiet=True).exit_code == EXIT_INVALID_PLAN
    bad = run_forecast_job(tiny_plan, scenario="chat +60%", now=NOW, quiet=True)
    assert bad.exit_code == EXIT_FORECAST_FAILED
    assert "SELECTOR PERCENT START/DURATION" in bad.message


def test_accuracy_log_appends_once(tiny_plan: Path, fast_options: object) -> None:
    """Tests that a forecast whose week is now in the history is scored once: WAPE 0.2 for 12 vs 10."""
    old = tiny_plan / "forecasts" / "2026-W08"
    old.mkdir(parents=True)
    hours = pd.date_range("2026-02-16", periods=168, freq="h", tz="UTC")
    pd.DataFrame({"start": [t.isoformat() for t in hours], "language": "en", "channel": "chat",
                  "contacts": 12.0}).to_csv(old / "forecast.csv", index=False)
    first = run_forecast_job(tiny_plan, now=NOW, quiet=True)
    second = run_forecast_job(tiny_plan, now=NOW, quiet=True)
    assert (first.accuracy_rows, second.accuracy_rows) == (1, 0)
    log = pd.read_csv(tiny_plan / "forecasts" / "accuracy.csv")
    assert log[["forecast_file", "language", "channel", "hours"]].values.tolist() == [
        ["2026-W08/forecast.csv", "en", "chat", 168]]
    assert (log["wape"].iloc[0], log["bias"].iloc[0]) == (0.2, 0.2)
