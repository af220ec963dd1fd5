"""The roster's expected service at fractional productive agents (``outputs.report``): hand-checked figures on the
tiny plan (``tests/plan_factory.py``) with its queues changed, and the guarantee that the requirement meets the
targets.

The tiny plan's Monday 23 March is on UTC+0 in Lisbon, so its local hours are its UTC hours (row ``h`` is ``h:00``).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecasting.staffing import evaluate_staffing
from inputs import load_plan
from outputs.report import coverage_frame
from outputs.sheets import expected_service, service_by_day
from scheduler.build import build_problem
from shiftplan.demand import staffing_spec
from tests.outputs.tiny_roster import EN_EMAIL, EN_PHONE, constant_requirements, tiny_report

PHONE_ERLANG_A = "patience_seconds = 120\nmax_abandon_percent = 5\n"
EMAIL_WINDOW = "answer_within_seconds = 86400\n"


def _edit(plan: Path, old: str, new: str) -> Path:
    toml = plan / "shiftplan.toml"
    text = toml.read_text()
    assert old in text
    toml.write_text(text.replace(old, new, 1))
    return plan


def _erlang_c_phone_at_30_percent(plan: Path) -> Path:
    """en/phone without a patience (Erlang C, 80% in 20 s, AHT 300 s) at 30% shrinkage, 0% from 10:00 to 11:00."""
    return _edit(plan, PHONE_ERLANG_A, 'shrinkage_percent = 30\nshrinkage_windows = ["mon 10:00-11:00 0"]\n')


def _monday(coverage: pd.DataFrame, queue: str, hour: int) -> pd.Series:
    rows = coverage[(coverage["queue"] == queue) & (coverage["start_utc"] == pd.Timestamp(f"2026-03-23 {hour}:00"))]
    assert len(rows) == 1
    return rows.iloc[0]


def _at_whole_agents(row: pd.Series, queue: str, agents: int, plan_dir: Path) -> pd.Series:
    """The figures of the staffing math at ``agents`` whole productive agents for the contacts of ``row``: what
    the report gave before productive agents were fractional."""
    plan = load_plan(plan_dir)
    language, channel = queue.split("/")
    frame = pd.DataFrame({"interval_start": [pd.Timestamp(row["start_utc"], tz="UTC")], "language": language,
                          "channel": channel, "contacts": row["contacts"], "aht_seconds": row["aht_seconds"],
                          "agents": agents})
    return evaluate_staffing(frame, {q.key: staffing_spec(q) for q in plan.queues}, 60,
                             agents_column="agents").iloc[0]


def test_one_erlang_c_agent_at_30_percent_shrinkage_gives_0_7_of_its_service(tiny_plan: Path) -> None:
    """Tests the hand roster's one en/phone agent (E2, 09:00-11:00) on an Erlang C queue at 30% shrinkage.

    10 calls an hour of 300 s are a = 3,000 / 3,600 = 5/6 Erlang. Erlang C at n = 1 agent: C(1, a) = a = 5/6,
    SL(1) = 1 - C e^(-(n - a) T / AHT) = 1 - (5/6) e^(-(1/6)(20/300)) = 1 - (5/6) e^(-1/90) = 0.175875, and
    ASA(1) = C AHT / (n - a) = (5/6) 300 / (1/6) = 1,500 s; at 0 agents SL(0) = 0 and the ASA is infinite.

    09:00: p = 1 x 0.7 = 0.7 productive (it was floor(0.7) = 0, and SL 0), SL = 0.3 SL(0) + 0.7 SL(1) = 0.123112;
    the ASA is 0.3 x infinite + 0.7 x 1,500 s: infinite, blank, and abandonment is not modelled (Erlang C): blank.
    10:00, in the 0% window: p = 1 whole, exactly the figures at 1 agent, as before.
    Monday's no-answer share: 22 hours with nobody (220 calls), and at 09:00 the 0.3 of the hour at 0 agents (3
    calls): 223 of 240 calls (it was 230: 09:00's 10 calls all counted unanswered).
    """
    plan = _erlang_c_phone_at_30_percent(tiny_plan)
    report = tiny_report(plan)[0]
    nine, ten = _monday(report.coverage, "en/phone", 9), _monday(report.coverage, "en/phone", 10)
    sl_one = 1 - (5 / 6) * math.exp(-1 / 90)
    assert sl_one == pytest.approx(0.175875, abs=1e-6)
    assert (nine["scheduled"], nine["productive"]) == (1, 0.7)
    assert nine["service_level"] == pytest.approx(0.7 * sl_one, rel=1e-12) == pytest.approx(0.123112, abs=1e-6)
    assert np.isnan(nine["asa_seconds"]) and np.isnan(nine["abandon_rate"])
    at_one = _at_whole_agents(ten, "en/phone", 1, plan)
    assert (ten["scheduled"], ten["productive"]) == (1, 1.0)
    assert (ten["service_level"], ten["asa_seconds"]) == (at_one["service_level"], at_one["asa_seconds"])
    assert (ten["service_level"], ten["asa_seconds"]) == (pytest.approx(sl_one, rel=1e-12),
                                                          pytest.approx(1500.0, rel=1e-12))
    monday = service_by_day(report).set_index(["queue", "date"]).loc[("en/phone", dt.date(2026, 3, 23))]
    assert monday["no_answer_percent"] == pytest.approx(100 * 223 / 240, rel=1e-12)
    assert np.isnan(monday["asa_seconds"])


def test_three_erlang_c_agents_at_30_percent_shrinkage_are_2_1_productive(tiny_plan: Path) -> None:
    """Tests 3 agents on the Erlang C en/phone at 09:00 (30% shrinkage): p = 2.1, weight 0.1 on 3 agents.

    a = 5/6 Erlang. Erlang C, with E(n) = (a^n / n!) n / (n - a):
    n = 2: E = (25/72)(12/7) = 25/42, C(2) = E / (1 + a + E) = (25/42) / (102/42) = 25/102,
    SL(2) = 1 - (25/102) e^(-(7/6)(20/300)) = 1 - (25/102) e^(-7/90), ASA(2) = (25/102) 300 / (7/6) = 63.03 s;
    n = 3: E = (125/1296)(18/13) = 125/936, C(3) = (125/936) / (1 + 5/6 + 25/72 + 125/936) = 125/2166,
    SL(3) = 1 - (125/2166) e^(-13/90), ASA(3) = (125/2166) 300 / (13/6) = 7.99 s.
    SL = 0.9 SL(2) + 0.1 SL(3) = 0.790924 and ASA = 0.9 x 63.03 + 0.1 x 7.99 = 57.52 s (they were SL(2) = 0.773
    and 63.03 s at floor(2.1) = 2 agents). The Summary's figures weigh them as every other interval's.
    """
    plan = load_plan(_erlang_c_phone_at_30_percent(tiny_plan))
    problem = build_problem(plan, constant_requirements(plan))
    scheduled = np.zeros((len(plan.queues), plan.horizon.num_intervals), dtype=np.int64)
    scheduled[EN_PHONE, 9] = 3
    specs = {q.key: staffing_spec(q) for q in plan.queues}
    coverage = coverage_frame(plan, problem, scheduled, constant_requirements(plan), specs)
    row = _monday(coverage, "en/phone", 9)
    sl2, sl3 = 1 - 25 / 102 * math.exp(-7 / 90), 1 - 125 / 2166 * math.exp(-13 / 90)
    asa2, asa3 = 25 / 102 * 300 / (7 / 6), 125 / 2166 * 300 / (13 / 6)
    assert (asa2, asa3) == (pytest.approx(63.025, abs=1e-3), pytest.approx(7.991, abs=1e-3))
    assert row["productive"] == pytest.approx(2.1, rel=1e-12)
    assert row["service_level"] == pytest.approx(0.9 * sl2 + 0.1 * sl3, rel=1e-9) == pytest.approx(0.790924,
                                                                                                   abs=1e-6)
    assert row["asa_seconds"] == pytest.approx(0.9 * asa2 + 0.1 * asa3, rel=1e-9) == pytest.approx(57.522, abs=1e-3)
    assert expected_service(coverage[coverage.index == row.name])["asa_seconds"] == pytest.approx(57.522, abs=1e-3)


def _email_at_30_percent(plan: Path) -> Path:
    """en/email and de/email (deferred: 95% within 24 open hours, AHT 480 s, open 08:00-20:00) at 30% shrinkage."""
    return _edit(plan, EMAIL_WINDOW, EMAIL_WINDOW + "shrinkage_percent = 30\n")


def _email_coverage(plan_dir: Path, staffed_hours: tuple[int, ...]) -> pd.Series:
    """en/email's Monday 08:00 row with 6 e-mails at 08:00 (2,880 s of work) and none else, one agent scheduled at
    each of ``staffed_hours``."""
    plan = load_plan(plan_dir)
    problem = build_problem(plan, constant_requirements(plan))
    requirements = constant_requirements(plan, contacts=0.0)
    eight = (requirements["language"] == "en") & (requirements["channel"] == "email") & (
        requirements["start"] == pd.Timestamp("2026-03-23 08:00", tz="UTC"))
    requirements.loc[eight, "contacts"] = 6.0
    scheduled = np.zeros((len(plan.queues), plan.horizon.num_intervals), dtype=np.int64)
    scheduled[EN_EMAIL, list(staffed_hours)] = 1
    coverage = coverage_frame(plan, problem, scheduled, requirements, {q.key: staffing_spec(q) for q in plan.queues})
    return _monday(coverage, "en/email", 8)


def test_a_deferred_queue_runs_its_backlog_at_the_fractional_capacity(tiny_plan: Path) -> None:
    """Tests en/email at 30% shrinkage with 6 e-mails of 480 s (2,880 s of work) at Monday 08:00.

    One agent at 08:00 alone: 0.7 productive, 0.7 x 3,600 = 2,520 s of work done in the hour and none after, so
    2,520 / 2,880 = 87.5% of the e-mails are answered within the window (it was 0% at floor(0.7) = 0 agents; a
    whole path at 0 agents and one at 1 interpolated would say 0.3 x 0% + 0.7 x 100% = 70%). With the agent at 09:00
    too, the e-mails left at 08:00 are answered at 09:00, inside the window: 100% (an interpolation by the weight of
    the hour they came in would have said 70% again). The deferred model has no ASA and no abandonment: blank.
    """
    plan = _email_at_30_percent(tiny_plan)
    alone = _email_coverage(plan, (8,))
    assert (alone["contacts"], alone["scheduled"], alone["productive"]) == (6.0, 1, 0.7)
    assert alone["service_level"] == pytest.approx(2520 / 2880, rel=1e-12)
    assert np.isnan(alone["asa_seconds"]) and np.isnan(alone["abandon_rate"])
    assert _email_coverage(plan, (8, 9))["service_level"] == 1.0


def test_scheduling_exactly_the_requirement_meets_every_target(tiny_plan: Path) -> None:
    """Tests the guarantee: the tiny plan with every queue at 30% shrinkage (chat's as it is; Erlang A phone and
    deferred e-mail changed), 10 contacts an hour, the requirement scheduled as it is. Each requirement is
    ceil(n / 0.7) for the n whole productive agents the staffing math found, so p = required x 0.7 >= n, fractional
    here (3 scheduled chat agents are 2.1, were floor(2.1) = 2); and every interval with contacts meets its queue's
    targets: chat 80% in 60 s, phone 80% in 20 s and at most 5% abandoning, e-mail 95% within 24 open hours (where
    the window ends inside the week)."""
    _edit(tiny_plan, PHONE_ERLANG_A, PHONE_ERLANG_A + "shrinkage_percent = 30\n")
    plan = load_plan(_email_at_30_percent(tiny_plan))
    requirements = constant_requirements(plan)
    problem = build_problem(plan, requirements)
    specs = {q.key: staffing_spec(q) for q in plan.queues}
    coverage = coverage_frame(plan, problem, problem.demand.copy(), requirements, specs)
    assert (coverage["scheduled"] == coverage["required"]).all()
    given = requirements.rename(columns={"start": "start_utc"}).assign(
        start_utc=lambda f: f["start_utc"].dt.tz_localize(None), queue=lambda f: f["language"] + "/" + f["channel"])
    merged = coverage.merge(given[["queue", "start_utc", "agents", "agents_productive"]], on=["queue", "start_utc"])
    assert len(merged) == len(coverage) and (merged["agents"] == merged["required"]).all()
    assert merged["productive"].tolist() == pytest.approx((0.7 * merged["required"]).tolist(), rel=1e-12)
    assert (merged["productive"] >= merged["agents_productive"]).all()
    staffed = merged[merged["contacts"] > 0]
    for queue in ("en/chat", "en/phone", "en/email"):
        rows = staffed[staffed["queue"] == queue]
        assert (rows["productive"] % 1 > 0).any(), queue  # fractional productive agents on every kind of queue
    assert _monday(coverage, "en/chat", 12)[["required", "productive"]].tolist() == [3, pytest.approx(2.1)]
    targets = {"en/chat": 0.80, "de/chat": 0.80, "en/phone": 0.80, "en/email": 0.95, "de/email": 0.95}
    for queue, target in targets.items():
        levels = staffed.loc[staffed["queue"] == queue, "service_level"].dropna()
        assert len(levels) > 0 and (levels >= target - 1e-12).all(), queue
    assert (staffed.loc[staffed["queue"] == "en/phone", "abandon_rate"] <= 0.05 + 1e-12).all()
