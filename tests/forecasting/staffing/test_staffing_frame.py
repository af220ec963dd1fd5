"""Frame API: requirements_frame / evaluate_staffing over intervals x queues."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.staffing import QueueStaffingSpec, day_end_backlog, evaluate_staffing, requirements_frame

pytestmark = pytest.mark.filterwarnings("error")

SPECS = {
    ("en", "phone"): QueueStaffingSpec("phone", 80, 20, shrinkage_percent=30),
    ("de", "phone"): QueueStaffingSpec("phone", 80, 20, patience_seconds=120, max_abandon_percent=5),
    ("en", "chat"): QueueStaffingSpec("chat", 80, 60, concurrency=2, concurrency_serial_share=0.5),
    ("en", "email"): QueueStaffingSpec("email", answer_within_seconds=3600, min_agents_open=0),
}


def _frame(contacts_by_queue, n=8, aht=180.0):
    start = pd.Timestamp("2026-03-02 09:00", tz="UTC")
    rows = []
    for (lang, ch), contacts in contacts_by_queue.items():
        rows.append(pd.DataFrame({
            "interval_start": pd.date_range(start, periods=n, freq="30min"),
            "language": lang, "channel": ch, "contacts": contacts, "aht_seconds": aht,
        }))
    return pd.concat(rows, ignore_index=True)


def test_textbook_cell_through_the_frame():
    """Tests that the frame gives 14 productive / 20 required agents and SL 88.8 % for 100 calls/30 min."""
    out = requirements_frame(_frame({("en", "phone"): 100.0}, n=2), SPECS, 30)
    assert out["agents_productive"].tolist() == [14, 14]
    assert out["agents_required"].tolist() == [20, 20]
    assert out["service_level"].iloc[0] == pytest.approx(0.888, abs=0.001)
    assert out["abandon_rate"].iloc[0] == 0.0 and out["occupancy"].iloc[0] == pytest.approx(10 / 14)


def test_zero_volume_zero_agents_unless_minimum_open_and_closed_gets_zero():
    """Tests that zero volume gives 0 agents, min_agents_open lifts open intervals, closed stay 0."""
    specs = dict(SPECS)
    specs[("en", "phone")] = QueueStaffingSpec("phone", 80, 20, min_agents_open=2)
    f = _frame({("en", "phone"): [0.0, 0.0, 100.0, 100.0]}, n=4)
    f["is_open"] = [True, False, True, False]
    out = requirements_frame(f, specs, 30)
    assert out["agents_productive"].tolist() == [2, 0, 14, 0]
    plain = requirements_frame(_frame({("en", "phone"): [0.0, 0.0]}, n=2), SPECS, 30)
    assert plain["agents_productive"].tolist() == [0, 0]
    assert plain["service_level"].tolist() == [1.0, 1.0]


def test_mixed_queues_and_inverse_evaluation_round_trip():
    """Tests that evaluating the requirement reproduces its metrics and one agent fewer misses a target."""
    rng = np.random.default_rng(11)
    f = _frame({q: rng.uniform(5, 150, 8) for q in SPECS}, n=8)
    req = requirements_frame(f, SPECS, 30)
    ev = evaluate_staffing(req, SPECS, 30)
    for colname in ("service_level", "abandon_rate", "occupancy", "backlog_contacts"):
        np.testing.assert_allclose(ev[colname], req[colname], rtol=1e-12)
    live = req[req["channel"] != "email"]
    assert (live["service_level"] >= 0.8 - 1e-12).all()
    de = req[req["language"] == "de"]
    assert (de["abandon_rate"] <= 0.05 + 1e-12).all()
    short = req.copy()
    short["agents_productive"] = np.maximum(short["agents_productive"] - 1, 0)
    ev2 = evaluate_staffing(short, SPECS, 30)
    en_phone = ev2[(ev2["language"] == "en") & (ev2["channel"] == "phone")]
    assert (en_phone["service_level"] < 0.8).all()


def test_unstable_staffing_reports_limits_not_nan():
    """Tests that evaluating too few phone agents gives SL 0, ASA inf, occupancy 1 (no NaN)."""
    f = _frame({("en", "phone"): 100.0}, n=1)
    f["agents_productive"] = 9  # a = 10 Erlangs
    ev = evaluate_staffing(f, SPECS, 30)
    assert ev["service_level"].iloc[0] == 0.0
    assert np.isinf(ev["asa_seconds"].iloc[0]) and ev["occupancy"].iloc[0] == 1.0


def test_deferred_queue_backlog_and_day_end():
    """Tests that 10 e-mails at 09:00 (AHT 6 min, 1-h window, 30-min grid) need 1 agent for 1 hour."""
    f = _frame({("en", "email"): [10.0] + [0.0] * 7}, n=8, aht=360.0)
    out = requirements_frame(f, SPECS, 30)
    assert out["agents_productive"].tolist() == [1, 1, 0, 0, 0, 0, 0, 0]
    assert out["backlog_contacts"].tolist()[:3] == [5.0, 0.0, 0.0]
    days = day_end_backlog(out)
    assert days["backlog_contacts"].tolist() == [0.0]


def test_missing_spec_and_naive_timestamps_are_rejected():
    """Tests that a queue without spec raises KeyError and tz-naive interval_start raises ValueError."""
    with pytest.raises(KeyError):
        requirements_frame(_frame({("fr", "phone"): 10.0}, n=1), SPECS, 30)
    f = _frame({("en", "phone"): 10.0}, n=1)
    f["interval_start"] = f["interval_start"].dt.tz_localize(None)
    with pytest.raises(ValueError):
        requirements_frame(f, SPECS, 30)


def test_spec_validation():
    """Tests that inconsistent specs are refused (no target, abandonment without patience, bad kind)."""
    with pytest.raises(ValueError):
        QueueStaffingSpec("phone")
    with pytest.raises(ValueError):
        QueueStaffingSpec("phone", max_abandon_percent=5)
    with pytest.raises(ValueError):
        QueueStaffingSpec("fax", 80, 20)
    with pytest.raises(ValueError):
        QueueStaffingSpec("email")
