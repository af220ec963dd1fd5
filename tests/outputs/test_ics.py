"""ICS calendars: they parse with the icalendar library and their events equal the roster."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import icalendar
import pandas as pd
import pytest

from outputs.ics import agent_calendar, fold
from outputs.report import RosterReport
from outputs.write import write_roster_files
from tests.outputs.tiny_roster import tiny_report

UTC = dt.UTC


def _utc(value: object) -> dt.datetime:
    return pd.Timestamp(value).tz_localize(UTC).to_pydatetime()


def _events(text: str) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(text).walk("VEVENT"))


def test_every_calendar_equals_the_roster(report: RosterReport, tmp_path: Path) -> None:
    """Tests each agent's file: one event per shift (first to last segment) and per time off, in UTC."""
    files = write_roster_files(report, tmp_path / "out")
    segments = report.segments
    for path in sorted(files.calendars.iterdir()):
        employee = path.stem
        events = _events(path.read_text(encoding="utf-8"))
        got = sorted((e.decoded("DTSTART"), e.decoded("DTEND")) for e in events)
        mine = segments[segments["employee_id"] == employee]
        shifts = mine[mine["activity"] != "time off"].groupby("roster_date").agg(
            start=("start_utc", "min"), end=("end_utc", "max"))
        off = mine[mine["activity"] == "time off"][["start_utc", "end_utc"]].set_axis(["start", "end"], axis=1)
        spans = pd.concat([shifts, off]).itertuples(index=False)
        expected = sorted((_utc(s), _utc(e)) for s, e in spans)
        assert got == expected, employee
    assert sorted(p.name for p in files.calendars.iterdir()) == ["E1.ics", "E2.ics", "E3.ics", "E5.ics"]


def test_shift_event_text(report: RosterReport) -> None:
    """Tests E2's event: 09:00-17:00 UTC, summary with code and queues, one description line per segment."""
    (event,) = _events(agent_calendar(report, "E2"))
    assert event.decoded("DTSTART") == dt.datetime(2026, 3, 23, 9, tzinfo=UTC)
    assert event.decoded("DTEND") == dt.datetime(2026, 3, 23, 17, tzinfo=UTC)
    assert str(event["SUMMARY"]) == "Shift D (day): en/phone, en/chat"
    assert str(event["UID"]) == "E2-20260323-shift@shiftplan"
    assert str(event["DESCRIPTION"]).split("\n") == [
        "Bruno Lima (E2)", "09:00-11:00 work en/phone", "11:00-11:15 break", "11:15-12:00 work",
        "12:00-13:00 work en/chat", "13:00-13:30 lunch", "13:30-14:00 work",
        "14:00-17:00 work en/chat", "paid 7:30 h; times in Europe/Lisbon"]


def test_time_off_event(report: RosterReport) -> None:
    """Tests E1's vacation as one event 24 March 00:00 to 26 March 00:00 UTC, its description with the paid leave the
    HR row carries (two contract days of a 40-hour, 5-day week: 16:00 h)."""
    (event,) = _events(agent_calendar(report, "E1"))
    assert str(event["SUMMARY"]) == "Time off (vacation)"
    assert str(event["DESCRIPTION"]).split("\n") == ["Ana Souza (E1)", "vacation", "paid leave 16:00 h"]
    assert (event.decoded("DTSTART"), event.decoded("DTEND")) == (
        dt.datetime(2026, 3, 24, tzinfo=UTC), dt.datetime(2026, 3, 26, tzinfo=UTC))


def test_names_with_special_characters_are_escaped_and_long_lines_folded(tiny_plan: Path) -> None:
    """Tests a name with comma, semicolon, backslash, non-ASCII letters: lines <= 75 octets, parsed back whole."""
    agents = (tiny_plan / "agents.csv").read_text(encoding="utf-8")
    name = "Bruno Lima, Jr.; Équipe \\ Ünïcødé Ñame Very Long To Force Folding Of The Calendar Name Line"
    (tiny_plan / "agents.csv").write_text(agents.replace("Bruno Lima", f'"{name}"'), encoding="utf-8")
    report = tiny_report(tiny_plan)[0]
    text = agent_calendar(report, "E2")
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    assert text.endswith("\r\n")
    (event,) = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert str(event["DESCRIPTION"]).split("\n")[0] == f"{name} (E2)"
    assert "X-WR-CALNAME:Roster Bruno Lima\\, Jr.\\; Équipe \\\\ " in text.replace("\r\n ", "")


def test_fold_never_splits_a_multibyte_character() -> None:
    """Tests folding 100 two-byte letters: every piece decodes and the unfolded line is the original."""
    line = "SUMMARY:" + "é" * 100
    folded = fold(line)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_calendar_file_names_keep_ids_that_are_safe_and_number_the_collisions(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests ids whose safe file names collide: E_1 is a safe name and keeps E_1.ics; e_1 (the same name but for
    case, which some file systems do not tell apart) gets e_1-2.ics; E/1, made safe as E_1, comes after the ids that
    are safe as they are and gets E_1-3.ics. The real E_1 used to get E_1__.ics while E/1 took E_1.ics."""
    import outputs.write as write_module

    records = {"E/1": [], "E_1": [], "e_1": []}
    monkeypatch.setattr(write_module, "agent_records", lambda _report: records)
    monkeypatch.setattr(write_module, "agent_calendar", lambda _report, employee, segments: f"calendar of {employee}")
    write_module.write_calendars(tmp_path, report=None)
    names = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.iterdir()}
    assert names == {"E_1.ics": "calendar of E_1", "e_1-2.ics": "calendar of e_1", "E_1-3.ics": "calendar of E/1"}


def _second_shift_same_date(report: RosterReport) -> RosterReport:
    """The tiny roster with E2 also on a night shift of the same local date: 23:00 Monday to 07:00 Tuesday (UTC+0),
    E2's day shift (09:00-17:00, 450 paid minutes) moved 14 hours on, and its assignment record 14 intervals on."""
    segments = report.segments
    night = segments[(segments["employee_id"] == "E2") & (segments["activity"] != "time off")].copy()
    for column in ("start_local", "end_local", "start_utc", "end_utc"):
        night[column] += pd.Timedelta(hours=14)
    record = {**report.roster[0], "start_interval": 23}
    return dataclasses.replace(
        report, segments=pd.concat([segments, night], ignore_index=True).sort_values(
            ["employee_id", "start_utc"], kind="stable", ignore_index=True),
        roster=[report.roster[0], record, *report.roster[1:]])


def test_two_shifts_on_one_local_date_are_two_events(report: RosterReport, tmp_path: Path) -> None:
    """Tests E2's day shift 09:00-17:00 and night shift 23:00-07:00 of Monday 23 March: two 8-hour events with
    7:30 paid each and UIDs of their own, from the agent's rows or the written file; they were one 22-hour event
    09:00 Monday to 07:00 Tuesday, "paid 15:00 h", grouped by the date."""
    twice = _second_shift_same_date(report)
    expected = [("E2-20260323-shift@shiftplan", dt.datetime(2026, 3, 23, 9, tzinfo=UTC),
                 dt.datetime(2026, 3, 23, 17, tzinfo=UTC)),
                ("E2-20260323-shift-2@shiftplan", dt.datetime(2026, 3, 23, 23, tzinfo=UTC),
                 dt.datetime(2026, 3, 24, 7, tzinfo=UTC))]
    written = write_roster_files(twice, tmp_path / "out").calendars / "E2.ics"
    for text in (agent_calendar(twice, "E2"), written.read_text(encoding="utf-8")):
        events = _events(text)
        assert [(str(e["UID"]), e.decoded("DTSTART"), e.decoded("DTEND")) for e in events] == expected
        assert [str(e["DESCRIPTION"]).split("\n")[-1] for e in events] == ["paid 7:30 h; times in Europe/Lisbon"] * 2


def _replan(report: RosterReport) -> RosterReport:
    """The tiny roster as a re-plan solved 2026-03-20 12:00 UTC: E2's published 08:00-16:00 moved to 09:00-17:00 and
    E4's (Lisbon, no shift now) published night 22:00-06:00 of Tuesday 24 March dropped."""
    changes = [["E2", "Bruno Lima", "2026-03-23", "08:00-16:00", "09:00-17:00", "moved"],
               ["E4", "Dieter Krause", "2026-03-24", "22:00-06:00", "off", "dropped"]]
    return dataclasses.replace(report, facts={**report.facts, "changes": changes},
                               manifest={**report.manifest, "solve_finished_utc": "2026-03-20T12:00:00+00:00"})


# seconds from 2020-01-01 to 2026-03-20 12:00 UTC: 2,192 days to 2026 (2020 and 2024 leap), 31 + 28 + 19 days of
# 2026 to 20 March, so (2,192 + 78) * 86,400 + 12 * 3,600
REPLAN_SEQUENCE = 196_171_200


def test_a_replan_cancels_each_published_shift_now_gone_and_versions_its_events(report: RosterReport,
                                                                                tmp_path: Path) -> None:
    """Tests a re-plan's calendars: E4's dropped night gets a cancelled event under the UID the published calendar
    gave it (E4-20260324-shift, 22:00-06:00 UTC at Lisbon's +00:00), in a calendar of its own though E4 has no row
    now; every event carries SEQUENCE 196,171,200 (the re-plan's solve), so E2's moved shift replaces its published
    event. A dropped shift used to be just missing, and a moved one kept its UID with no SEQUENCE: calendar apps
    kept both as published."""
    files = write_roster_files(_replan(report), tmp_path / "out")
    (cancelled,) = _events((files.calendars / "E4.ics").read_text(encoding="utf-8"))
    assert (str(cancelled["UID"]), str(cancelled["STATUS"]), cancelled["SEQUENCE"]) == (
        "E4-20260324-shift@shiftplan", "CANCELLED", REPLAN_SEQUENCE)
    assert (cancelled.decoded("DTSTART"), cancelled.decoded("DTEND")) == (
        dt.datetime(2026, 3, 24, 22, tzinfo=UTC), dt.datetime(2026, 3, 25, 6, tzinfo=UTC))
    assert str(cancelled["SUMMARY"]) == "Cancelled: shift 22:00-06:00 (dropped)"
    (moved,) = _events((files.calendars / "E2.ics").read_text(encoding="utf-8"))
    assert (str(moved["UID"]), moved["SEQUENCE"], "STATUS" in moved) == (
        "E2-20260323-shift@shiftplan", REPLAN_SEQUENCE, False)


def test_a_first_rosters_calendars_are_versioned_by_their_solve_and_cancel_nothing(report: RosterReport) -> None:
    """Tests that a roster without changes (not a re-plan) cancels nothing and versions its events by its solve (the
    re-plan's instant above: 196,171,200), like a re-plan's: a roster solved afresh after a re-plan had SEQUENCE 0,
    below the re-plan's, so calendar apps kept the re-plan's events."""
    solved = dataclasses.replace(report, manifest={**report.manifest,
                                                   "solve_finished_utc": "2026-03-20T12:00:00+00:00"})
    text = agent_calendar(solved, "E2") + agent_calendar(solved, "E1")
    assert "STATUS" not in text
    assert {int(line.split(":")[1]) for line in text.splitlines() if line.startswith("SEQUENCE:")} == {
        REPLAN_SEQUENCE}
