"""The sheets as frames, on the hand-made tiny roster (see ``tiny_roster.py``): exact rows and cells."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from forecasting.staffing import erlang_a_metrics
from outputs.report import RosterReport
from outputs.sheets import (
    HR_COLUMNS,
    coverage_sheet_frame,
    expected_service,
    grid_frames,
    hr_frame,
    kpi_frame,
    penalties_frame,
    penalty_totals,
    service_by_day,
    service_level_pivot,
    shift_spans,
    shifts_frame,
    weekly_paid_hours,
)


def _t(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


def test_hr_frame_has_the_stable_columns_in_order(report: RosterReport) -> None:
    """Tests that the HR sheet's columns are exactly the documented ones."""
    assert tuple(hr_frame(report).columns) == HR_COLUMNS == (
        "employee_id", "name", "site", "time_zone", "roster_date", "start_local", "end_local", "start_time",
        "end_time", "utc_offset", "start_utc", "end_utc", "activity", "queue", "template", "minutes", "paid_minutes")


def test_hr_frame_splits_a_shift_into_its_segments(report: RosterReport) -> None:
    """Tests E2's day shift: phone 09-11, 15-min break + 45 min off-queue, chat, 30-min lunch + 30 min, chat 14-17."""
    hr = hr_frame(report)
    e2 = hr[hr["employee_id"] == "E2"]
    rows = list(zip(e2["start_local"].dt.strftime("%H:%M"), e2["end_local"].dt.strftime("%H:%M"), e2["activity"],
                    e2["queue"], e2["minutes"], e2["paid_minutes"], strict=True))
    assert rows == [("09:00", "11:00", "work", "en/phone", 120, 120), ("11:00", "11:15", "break", "", 15, 15),
                    ("11:15", "12:00", "work", "", 45, 45), ("12:00", "13:00", "work", "en/chat", 60, 60),
                    ("13:00", "13:30", "lunch", "", 30, 0), ("13:30", "14:00", "work", "", 30, 30),
                    ("14:00", "17:00", "work", "en/chat", 180, 180)]
    assert e2["paid_minutes"].sum() == 450
    assert set(e2["roster_date"]) == {dt.date(2026, 3, 23)}
    assert set(e2["utc_offset"]) == {"+00:00"}


def test_hr_frame_gives_local_and_utc_times_of_a_manila_shift(report: RosterReport) -> None:
    """Tests that E5's 14:00-22:00 Manila shift is 06:00-14:00 UTC, offset +08:00, typed date and clock times."""
    hr = hr_frame(report)
    first = hr[hr["employee_id"] == "E5"].iloc[0]
    assert first["roster_date"] == dt.date(2026, 3, 23)
    assert first["start_local"] == _t("2026-03-23 14:00") and first["start_utc"] == _t("2026-03-23 06:00")
    assert first["start_time"] == dt.time(14, 0) and first["end_time"] == dt.time(18, 0)
    assert first["utc_offset"] == "+08:00"
    assert (first["activity"], first["queue"], first["template"], first["paid_minutes"]) == (
        "work", "en/email", "late", 240)


def test_hr_frame_lists_time_off_with_the_paid_leave_the_plan_credits(report: RosterReport) -> None:
    """Tests E1's vacation (24-25 March, whole days) and E3's 4-hour training as time-off rows: E1's two days of a
    40-hour, 5-day contract are 2 x 480 paid minutes; E3's training leaves no shift that day (every ``day`` start,
    07:00 to 10:00, meets it), so its 240 minutes (under E3's 30-hour, 4-day contract day of 450) are paid."""
    off = hr_frame(report).query("activity == 'time off'")
    assert list(off["employee_id"]) == ["E1", "E3"]
    assert list(off["template"]) == ["vacation", "training"]
    assert list(off["minutes"]) == [2 * 24 * 60, 240]
    assert list(off["paid_minutes"]) == [960, 240]
    assert off.iloc[1]["start_utc"] == _t("2026-03-26 01:00")


def test_shifts_frame_has_one_row_per_agent_and_day_in_the_pinned_roster_columns(report: RosterReport) -> None:
    """Tests the shifts file: E2's day shift and E5's late shift (local times), every other day blank (a day off)."""
    shifts = shifts_frame(report)
    assert list(shifts.columns) == ["employee_id", "date", "start", "end", "template"]
    assert len(shifts) == 5 * 7
    worked = shifts[shifts["start"] != ""]
    assert worked.to_dict("records") == [
        {"employee_id": "E2", "date": "2026-03-23", "start": "09:00", "end": "17:00", "template": "day"},
        {"employee_id": "E5", "date": "2026-03-23", "start": "14:00", "end": "22:00", "template": "late"}]
    off = shifts[shifts["start"] == ""]
    assert (off[["end", "template"]] == "").all().all()
    assert list(off[off["employee_id"] == "E1"]["date"]) == [f"2026-03-{d}" for d in range(23, 30)]


def test_grid_shows_codes_times_time_off_and_weekly_hours(report: RosterReport) -> None:
    """Tests the lead's grid: rows by site then id, 'D 09:00-17:00', vacation on two days, a training of four hours
    with its hours, paid hours 7.5 and 8."""
    text, family = grid_frames(report)
    assert list(text["employee_id"]) == ["E1", "E2", "E4", "E3", "E5"]
    by_id = text.set_index("employee_id")
    assert by_id.at["E2", "2026-03-23"] == "D 09:00-17:00"
    assert by_id.at["E5", "2026-03-23"] == "L 14:00-22:00"
    assert list(by_id.loc["E1", ["2026-03-23", "2026-03-24", "2026-03-25", "2026-03-26"]]) == [
        "", "vacation", "vacation", ""]
    assert by_id.at["E3", "2026-03-26"] == "training 09:00-13:00"  # part of a day: its hours (it read as a whole day)
    assert list(by_id["week_1_hours"]) == [0.0, 7.5, 0.0, 0.0, 8.0]
    assert list(family.loc[text["employee_id"] == "E1", "2026-03-24"]) == ["time off"]
    assert list(family.loc[text["employee_id"] == "E2", "2026-03-23"]) == ["day"]


def test_coverage_counts_and_expected_service_from_the_staffing_math(report: RosterReport) -> None:
    """Tests en/phone at 09:00: 3 required, 1 scheduled, 2 under; SL/ASA/abandon are Erlang A at 1 agent.

    en/phone: 10 calls per hour, AHT 300 s (load 0.833), patience 120 s, T = 20 s, no shrinkage,
    so the one scheduled agent is one productive agent.
    """
    cov = report.coverage
    row = cov[(cov["queue"] == "en/phone") & (cov["start_utc"] == _t("2026-03-23 09:00"))].iloc[0]
    assert (row["required"], row["scheduled"], row["under"], row["over"], row["productive"]) == (3, 1, 2, 0, 1)
    expected = erlang_a_metrics(np.array([1.0]), np.array([10 * 300 / 3600]), np.array([300.0]),
                                np.array([120.0]), np.array([20.0]))
    assert row["service_level"] == pytest.approx(expected.service_level[0])
    assert row["asa_seconds"] == pytest.approx(expected.asa_seconds[0])
    assert row["abandon_rate"] == pytest.approx(expected.abandon_probability[0])
    assert len(cov) == 5 * 7 * 24 - 5  # 5 queues; 23 March to 29 March has 167 hours in Lisbon (summer time)


def test_one_chat_agent_at_30_percent_shrinkage_is_0_7_productive_and_too_few_for_the_load(
        report: RosterReport) -> None:
    """Tests 1 chat agent scheduled with 30% shrinkage: 0.7 productive (it was floor(0.7) = 0), service level
    0.3 x SL(0) + 0.7 x SL(1) = 0, as the load outgrows one agent: concurrency 2 with serial share 0.3 makes a chat
    last 600 x (1 - 0.3 + 2 x 0.3) = 780 s, 10 an hour are 7,800 / 3,600 = 2.17 Erlangs on 2 slots (Erlang C,
    unstable: SL 0, ASA infinite, blank). The Coverage sheet shows the 0.7."""
    cov = report.coverage
    row = cov[(cov["queue"] == "en/chat") & (cov["start_utc"] == _t("2026-03-23 14:00"))].iloc[0]
    assert (row["scheduled"], row["productive"], row["service_level"]) == (1, 0.7, 0.0)
    assert np.isnan(row["asa_seconds"])
    sheet = coverage_sheet_frame(report)
    assert sheet.loc[row.name, "productive"] == 0.7


def test_kpis_count_headcount_hours_and_solver_figures(report: RosterReport) -> None:
    """Tests headcount 2 of 5, paid 7.5 + 8 = 15.5 h, on-queue 6 + 8 = 14 agent-h, and the result's figures."""
    kpis = kpi_frame(report).set_index("figure")["value"]
    assert (kpis["agents scheduled"], kpis["agents unused"], kpis["shifts"]) == (2, 3, 2)
    assert kpis["paid hours"] == 15.5
    assert kpis["scheduled on queues"] == 14.0
    # E5 works en/email 06:00-08:00 UTC, before the queue opens at 08:00: 2 agent-hours over
    assert kpis["over-staffed"] == 2.0
    assert kpis["under-staffed"] == kpis["required"] - (14.0 - 2.0)
    assert (kpis["status"], kpis["objective"], kpis["lower bound"], kpis["gap"]) == (
        "FEASIBLE", 2_218_217.5, 1_400_000.0, round(100 * 818_217.5 / 2_218_217.5, 2))
    assert (kpis["weekend shifts per scheduled agent: most"], kpis["paid hours in a week, per scheduled agent: most"],
            kpis["paid hours in a week, per scheduled agent: fewest"]) == (0, 8.0, 7.5)


def test_the_fewest_paid_hours_in_a_week_is_of_a_week_not_an_average(report: RosterReport) -> None:
    """Tests the fairness figure over two weeks: the tiny roster (E2 7.5 h, E5 8 h in week 1) with a 40-hour week 2
    for E2 (five 8-hour shifts, 30 March to 3 April) and none for E5. E5's fewest is 0 h (week 2) and E2's most 40 h;
    the average per week the Summary gave would say 3.75 to 4 h fewest and 23.75 h most, which no week had."""
    extra = [{**report.segments[report.segments["employee_id"] == "E2"].iloc[0].to_dict(),
              "roster_date": dt.date(2026, 3, 30 + d) if d < 2 else dt.date(2026, 4, d - 1), "paid_minutes": 480}
             for d in range(5)]
    two_weeks = dataclasses.replace(report, segments=pd.concat([report.segments, pd.DataFrame(extra)],
                                                              ignore_index=True),
                                    facts={**report.facts, "weeks": 2})
    assert weekly_paid_hours(two_weeks).loc[["E2", "E5"]].to_numpy().tolist() == [[7.5, 40.0], [8.0, 0.0]]
    kpis = dict(zip(kpi_frame(two_weeks)["figure"], kpi_frame(two_weeks)["value"], strict=True))
    assert (kpis["paid hours in a week, per scheduled agent: fewest"],
            kpis["paid hours in a week, per scheduled agent: most"]) == (0.0, 40.0)


def test_asa_is_not_averaged_over_contacts_that_get_no_answer(report: RosterReport) -> None:
    """Tests the expected ASA where some contacts get no answer, on the hand roster's en/phone: Monday's 24 hours
    have one agent in 2 (E2 09-11 UTC) and none in 22, so 220 of its 240 calls (91.7%) get no answer and the day has
    no ASA (it was the 2 hours' ASA alone); on the 2 hours alone every call is answered, and the ASA is theirs. The
    KPI over the horizon: 4,990 of the live queues' 5,010 contacts get no answer (en/phone 1,650, each chat queue
    1,670: 1 agent less 30% shrinkage is 0.7 productive, and neither 0 nor 1 agent answers 2.17 Erlangs of chats),
    so no expected ASA, and its unit says why."""
    daily = service_by_day(report).set_index(["queue", "date"])
    monday = daily.loc[("en/phone", dt.date(2026, 3, 23))]
    assert np.isnan(monday["asa_seconds"])
    assert monday["no_answer_percent"] == pytest.approx(100 * 220 / 240)
    assert np.isnan(daily.loc[("en/email", dt.date(2026, 3, 23)), "no_answer_percent"])  # email has no ASA
    cov = report.coverage
    staffed = cov[(cov["queue"] == "en/phone") & (cov["productive"] > 0)]
    assert len(staffed) == 2
    expected = erlang_a_metrics(np.array([1.0]), np.array([10 * 300 / 3600]), np.array([300.0]),
                                np.array([120.0]), np.array([20.0]))
    answered = expected_service(staffed)
    assert (answered["asa_seconds"], answered["no_answer_percent"]) == (pytest.approx(expected.asa_seconds[0]), 0.0)
    kpis = kpi_frame(report).set_index("figure")
    assert np.isnan(kpis.at["expected ASA", "value"])
    assert kpis.at["expected ASA", "unit"] == "s: none, 99.6% of live queues' contacts get no answer"
    assert kpis.at["contacts with no expected answer", "value"] == round(100 * 4990 / 5010, 2)


def test_penalties_name_rule_subject_and_local_time(report: RosterReport) -> None:
    """Tests that an under-staffing penalty names its queue, the interval's local start and its unit."""
    penalties = penalties_frame(report)
    assert penalties.iloc[0].to_dict() == {"rule": "under_staffing", "subject": "en/chat", "when": "2026-03-23 00:00",
                                           "amount": 3, "unit": "agent-intervals (60 min)"}
    phone = penalties[(penalties["subject"] == "en/phone") & (penalties["when"] == "2026-03-23 09:00")].iloc[0]
    assert phone["amount"] == 2


def test_penalties_say_their_unit_and_count_weeks_and_days_as_a_team_lead_does(report: RosterReport) -> None:
    """Tests a penalty of each rule as the solve names them (positions counted from 0: 'E1 week 0', 'E2 day 6',
    'en/phone interval 9'): the subject is the agent or queue alone, the week is 'week 1' with its dates, the day
    its date, the interval its local start; the unit says what the amount counts. The rows said 'E1 week 0' beside
    'week 1', and no unit (minutes, agent-intervals and shifts alike). The totals per rule say the unit too."""
    import dataclasses

    penalties = [["contract_deviation", "E1 week 0", 120], ["preference_day_off", "E2 day 6", 1],
                 ["preference_template", "E2 day 0", 1], ["roster_change", "E5 day 2", 1],
                 ["under_staffing", "en/phone interval 9", 2], ["over_staffing", "en/chat interval 10", 1],
                 ["weekend_fairness", "the most of one agent: E1, E2", 2], ["uncovered_queue", "de/chat interval 9", 1],
                 ["a_future_rule", "E5 something", 4]]
    named = dataclasses.replace(report, facts={**report.facts, "penalties": penalties})
    assert penalties_frame(named).values.tolist() == [
        ["contract_deviation", "E1", "week 1 (2026-03-23 to 2026-03-29)", 120, "minutes"],
        ["preference_day_off", "E2", "2026-03-29", 1, "shifts"],
        ["preference_template", "E2", "2026-03-23", 1, "shifts"],
        ["roster_change", "E5", "2026-03-25", 1, "agent-days"],
        ["under_staffing", "en/phone", "2026-03-23 09:00", 2, "agent-intervals (60 min)"],
        ["over_staffing", "en/chat", "2026-03-23 10:00", 1, "agent-intervals (60 min)"],
        ["weekend_fairness", "the most of one agent: E1, E2", "", 2, "weekend shifts"],
        ["uncovered_queue", "de/chat", "2026-03-23 09:00", 1, "intervals (60 min)"],
        ["a_future_rule", "E5 something", "", 4, ""]]
    totals = penalty_totals(named).set_index("rule")
    assert totals.loc["contract_deviation"].tolist() == [1, 120, "minutes", "E1 week 1 (2026-03-23 to 2026-03-29)"]
    assert totals.loc["under_staffing"].tolist() == [1, 2, "agent-intervals (60 min)", "en/phone 2026-03-23 09:00"]


def test_service_level_pivot_is_per_queue_and_day(report: RosterReport) -> None:
    """Tests the pivot's shape and that the phone SL of Monday is the contact-weighted mean of its 24 hours."""
    pivot = service_level_pivot(report)
    assert list(pivot.index) == ["en/chat", "de/chat", "en/phone", "en/email", "de/email"]
    assert list(pivot.columns) == [f"2026-03-{d}" for d in range(23, 30)]
    cov = report.coverage
    monday = cov[(cov["queue"] == "en/phone") & (cov["date"] == dt.date(2026, 3, 23))]
    assert pivot.at["en/phone", "2026-03-23"] == round(100 * monday["service_level"].mean(), 1)


def _segment(employee: str, day: str, start: str, end: str, activity: str = "work", template: str = "day",
             paid: int | None = None) -> dict[str, object]:
    first, last = pd.Timestamp(f"{day} {start}"), pd.Timestamp(f"{day} {end}")
    last = last + pd.Timedelta(days=1) if last <= first else last
    minutes = int((last - first).total_seconds() // 60)
    return {"employee_id": employee, "roster_date": dt.date.fromisoformat(day), "start_local": first,
            "end_local": last, "start_utc": first, "end_utc": last, "activity": activity, "template": template,
            "paid_minutes": minutes if paid is None else paid}


def test_shift_spans_tell_two_shifts_of_one_date_apart_and_keep_time_away_inside_one() -> None:
    """Tests the shifts of the HR rows (UTC plan, times as given): K1 works 06:30-14:30 ('early', a 30-minute break
    at 10:00) and 23:30-07:30 ('mid') on 2 March, two shifts (they were one, 06:30-07:30 next day, on the Grid and in
    the calendar); E1 works 09:00-10:00, is away 10:00-11:00 (a time-off row) and works 11:00-17:00: one shift."""
    rows = [_segment("K1", "2027-03-02", "06:30", "10:00", template="early"),
            _segment("K1", "2027-03-02", "10:00", "10:30", "break", "early"),
            _segment("K1", "2027-03-02", "10:30", "14:30", template="early"),
            _segment("K1", "2027-03-02", "23:30", "07:30", template="mid"),
            _segment("E1", "2027-03-02", "09:00", "10:00"),
            _segment("E1", "2027-03-02", "10:00", "11:00", "time off", "doctor", paid=0),
            _segment("E1", "2027-03-02", "11:00", "17:00")]
    starts = {"K1": [pd.Timestamp("2027-03-02 06:30"), pd.Timestamp("2027-03-02 23:30")],
              "E1": [pd.Timestamp("2027-03-02 09:00")]}  # the roster's assignment starts, as the report gives them
    spans = shift_spans(pd.DataFrame(rows), starts)
    assert [(r.employee_id, r.template, f"{r.start_local:%H:%M}", f"{r.end_local:%d %H:%M}", r.paid_minutes)
            for r in spans.itertuples()] == [("E1", "day", "09:00", "02 17:00", 420),
                                             ("K1", "early", "06:30", "02 14:30", 480),
                                             ("K1", "mid", "23:30", "03 07:30", 480)]
