"""A re-plan's summary: the figures from its cut on first, the whole plan's beside them (the 21st session's audit).

The hand roster of :mod:`tests.outputs.tiny_roster` read as a re-plan cut at Mon 23 March 12:00 (Lisbon, UTC+0 then):
every figure below is derived by hand. Required: 3 agents an hour on each chat and phone queue (167 hours: Sunday
loses one to summer time), 116 agent-h on each e-mail queue, 4 of them (1 an hour, 08:00-12:00) before the cut. So
from the cut: 3 x 3 x 155 + 2 x 112 = 1,619 agent-h of 1,735. Scheduled from the cut: E2's en/chat 12-13 and 14-17
(4 agent-h) and E5's de/email 12-14 UTC (2): 6, met in full; before it E2's en/phone 09-11 (2), E5's en/email
06-10 UTC (4, 06-08 over: e-mail opens at 08:00) and de/email 10-12 (2). Under-staffed: 1,619 - 6 = 1,613 from the
cut, 1,735 - 12 = 1,723 over the plan, 110 before the cut.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import openpyxl

from outputs.left_out import BEFORE_CUT, KEPT_PART, NO_SHIFT
from outputs.report import RosterReport
from outputs.sheets import kpi_frame
from outputs.workbook import write_workbook
from shiftplan.summary import roster_summary

CUT = {"from_utc": "2026-03-23T12:00:00", "from_local": "2026-03-23T12:00:00", "keep_before": "2026-03-23 12:00"}
UNREACHABLE = [["de/chat", 120.0, "00:00-07:00 on 6 days (Tue 2026-03-24 to Sun 2026-03-29)", NO_SHIFT],
               ["en/email", 4.0, "Mon 2026-03-23 12:00-16:00", KEPT_PART],
               ["en/chat", 9.0, "Mon 2026-03-23 00:00-03:00", BEFORE_CUT]]


def _re_plan(report: RosterReport, **facts: object) -> RosterReport:
    """The hand roster as a re-plan cut at Mon 23 March 12:00, nobody left out, with :data:`UNREACHABLE`."""
    return dataclasses.replace(report, facts={**report.facts, "replan": CUT, "unscheduled": [],
                                              "unreachable": UNREACHABLE, "changes": [], **facts})


def test_a_re_plan_s_kpis_are_from_its_cut_then_the_whole_plan(report: RosterReport) -> None:
    """Tests the KPI rows of the re-plan: from the cut first (each figure named so), then the whole plan's with the
    usual names, and the under-staffing before the cut (the kept roster) apart."""
    kpis = kpi_frame(_re_plan(report))
    since = "coverage from Mon 2026-03-23 12:00 Europe/Lisbon (the re-plan's cut)"
    whole = "coverage, whole plan (the days before the cut included)"
    rows = kpis[kpis["section"].isin([since, whole])]
    assert [tuple(row) for row in rows[["section", "figure", "value"]].itertuples(index=False)][:5] == [
        (since, "required, from the cut", 1619.0), (since, "scheduled on queues, from the cut", 6.0),
        (since, "under-staffed, from the cut", 1613.0), (since, "over-staffed, from the cut", 0.0),
        (since, "coverage (required agent-intervals met), from the cut", round(100 * 6 / 1619, 2))]
    value = dict(zip(rows["figure"], rows["value"], strict=True))
    assert (value["required"], value["under-staffed"], value["over-staffed"]) == (1735.0, 1723.0, 2.0)
    assert value["under-staffed before the cut"] == 110.0
    assert list(kpi_frame(report)["section"]).count("coverage") == 9  # a first roster: one coverage section


def test_a_re_plan_s_printed_summary_is_from_its_cut(report: RosterReport) -> None:
    """Tests the printed lines: the coverage from the cut labelled with it, the whole plan's beside it; the team
    verdict on what the re-plan could still change, 1,613 - 120 (no shift reaches) - 4 (only a shift started before
    the cut would) = 1,489 agent-h (the 9 before the cut are not taken off: they are not in the 1,613; the whole
    plan's 1,723 less every row made it 1,590); the hours before the cut not told with advice to change them; and
    the per-queue rows from the cut (en/chat: 465 required, 4 scheduled)."""
    lines = roster_summary(_re_plan(report)).splitlines()
    assert lines[1:3] == [
        "coverage      from Mon 2026-03-23 12:00 Europe/Lisbon (the re-plan's cut) on, what the re-plan could still "
        "change: 0.4% of required agent-intervals; under 1,613.0 agent-h, over 0.0 agent-h",
        "  whole plan, the days before the cut included: 0.7% of required agent-intervals; under 1,723.0 agent-h, "
        "over 2.0 agent-h (under 110.0 agent-h before the cut, kept as worked)"]
    assert "  4.0 agent-h required just after the re-plan's cut, which only a shift started before it would reach: " \
        "the kept roster stands there (a re-plan from an earlier time reaches them, while that time is still " \
        "ahead)" in lines
    assert not any("00:00-03:00" in line or "--keep-before" in line for line in lines)
    verdict = next(line for line in lines if "still short" in line)
    assert verdict.startswith("  every agent who could meet it works, and 1,489.0 agent-h are still short from Mon "
                              "2026-03-23 12:00 Europe/Lisbon (the re-plan's cut) on: the team is too small")
    table = lines.index("  per queue from Mon 2026-03-23 12:00 Europe/Lisbon (the re-plan's cut) on:")
    rows = {line.split()[0]: line[:46] for line in lines[table + 2:table + 7]}
    assert rows == {"en/chat": "  en/chat           465.0         4.0    461.0",
                    "de/chat": "  de/chat           465.0         0.0    465.0",
                    "en/phone": "  en/phone          465.0         0.0    465.0",
                    "en/email": "  en/email          112.0         0.0    112.0",
                    "de/email": "  de/email          112.0         2.0    110.0"}


def test_a_re_plan_s_summary_sheet_is_from_its_cut(report: RosterReport, tmp_path: Path) -> None:
    """Tests the Summary sheet of the re-plan: the line saying what the figures from the cut are, the verdict on
    them (1,489 agent-h, as printed), and the per-queue table from the cut with each queue's whole-plan
    under-staffing beside it (en/chat 501 - 4 = 497; en/phone 501 - 2 = 499)."""
    path = tmp_path / "re-plan.xlsx"
    write_workbook(path, _re_plan(report))
    rows = [[cell.value for cell in row[:9]] for row in openpyxl.load_workbook(path)["Summary"].iter_rows()]
    column_a = [row[0] for row in rows]
    assert column_a[1] == ("A re-plan from Mon 2026-03-23 12:00 Europe/Lisbon (the re-plan's cut) on: the coverage "
                           "figures 'from the cut' are what it could still change; the whole plan's include the days "
                           "before the cut, which it kept as worked or under way.")
    verdict = column_a[column_a.index("Is the team large enough?") + 1]
    assert verdict.startswith("Every agent who could meet it works, and 1,489.0 agent-h are still short from Mon")
    table = column_a.index("Per queue from Mon 2026-03-23 12:00 Europe/Lisbon (the re-plan's cut) on (the whole "
                           "plan's under-staffing beside it)")
    assert rows[table + 1] == ["queue", "required h", "scheduled h", "under h", "SL %", "ASA s", "aband %",
                               "no ans %", "under h, whole plan"]
    assert [row[:4] + row[8:] for row in rows[table + 2:table + 7]] == [
        ["en/chat", 465, 4, 461, 497], ["de/chat", 465, 0, 465, 501], ["en/phone", 465, 0, 465, 499],
        ["en/email", 112, 0, 112, 114], ["de/email", 112, 2, 110, 112]]


def test_a_result_saved_before_the_cut_was_recorded_keeps_the_whole_plan(report: RosterReport) -> None:
    """Tests a re-plan's result without ``replan`` (saved before it was written): the summary is the whole plan's
    as before, and the kept rows no longer get advice to move the cut into the past."""
    facts = {key: value for key, value in _re_plan(report).facts.items() if key != "replan"}
    lines = roster_summary(dataclasses.replace(report, facts=facts)).splitlines()
    assert lines[1] == "coverage      0.7% of required agent-intervals; under 1,723.0 agent-h, over 2.0 agent-h"
    assert "  4.0 agent-h required before the re-plan's cut, or just after it where only a shift started before it " \
        "reaches: the kept roster stands there" in lines


def test_the_summary_sheet_says_which_events_drove_the_requirements(report: RosterReport, tmp_path: Path) -> None:
    """Tests the requirements' lines on the Summary sheet, as the solve printed them (the events a forecast applied,
    its closed hours, the source), under a title, one a row; none without them."""
    notes = ["events applied (times on the plan's clock, UTC, as in forecast.csv and the workbook):",
             "  Exchange hack, Wed 02 Dec 15:00-21:00: en/chat, zh/chat x4.00 (uplift_percent)",
             "=not a formula", "requirements from forecast f.csv: 13,646 agent-hours"]
    path = tmp_path / "notes.xlsx"
    write_workbook(path, dataclasses.replace(report, facts={**report.facts, "requirements_notes": notes}))
    column_a = [row[0].value for row in openpyxl.load_workbook(path)["Summary"].iter_rows()]
    title = column_a.index("How the requirements were made: the events applied (as solve printed them)")
    assert column_a[title + 1:title + 5] == notes
    write_workbook(tmp_path / "plain.xlsx", report)
    assert not any("events applied" in str(row[0].value)
                   for row in openpyxl.load_workbook(tmp_path / "plain.xlsx")["Summary"].iter_rows())


def test_a_re_plan_short_of_agents_points_at_overtime_until_it_is_allowed(report: RosterReport) -> None:
    """Tests the team verdict of a re-plan that is short (a surge, a sick call: nobody is hired by tonight): it
    points at ``solve --overtime`` too while the run allowed none; once overtime is allowed, the verdict is the plain
    one and the KPIs carry the overtime row (0 h above contracts here: the hand roster has no contract). A first
    roster (no cut) is not told about overtime."""
    def verdict(candidate: RosterReport) -> str:
        return next(line for line in roster_summary(candidate).splitlines() if "still short" in line)

    assert verdict(_re_plan(report)).endswith(
        "would cover them; for this re-plan, solve --overtime HOURS (and --overtime-days DAYS) lets the agents with a "
        "contract work above it")
    allowed = _re_plan(report, overtime_allowed=[8.0, 1])
    assert verdict(allowed).endswith("which profile would cover them")
    kpis = kpi_frame(allowed)
    roster_rows = kpis[kpis["section"] == "roster"].itertuples(index=False)
    assert [tuple(row) for row in roster_rows if row.figure == "overtime"] == [
        ("roster", "overtime", 0.0, "h above contracts (0 agents)")]
    first = dataclasses.replace(report, facts={**report.facts, "unscheduled": [], "unreachable": []})
    assert "overtime" not in verdict(first)
    kpis = kpi_frame(first)
    assert kpis[kpis["section"] == "roster"]["figure"].tolist().count("overtime") == 0
