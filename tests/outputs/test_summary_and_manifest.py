"""The terminal summary, the run manifest, and ``run_solve`` writing every output on a plan with requirements."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pandas as pd

from inputs import load_plan
from outputs.manifest import input_hashes
from outputs.report import RosterReport, result_from_facts
from outputs.sheets import kpi_frame
from shiftplan.pipeline import run_solve
from shiftplan.summary import roster_summary, wall_time_line


def _without_left_out(report: RosterReport) -> RosterReport:
    """The report as a result saved before the unscheduled agents and the unreachable demand were written (their
    lines, tested below, would shift the queue table's)."""
    import dataclasses

    facts = {key: value for key, value in report.facts.items() if key not in ("unscheduled", "unreachable")}
    return dataclasses.replace(report, facts=facts)


def test_roster_summary_is_fixed_width_and_exact(report: RosterReport) -> None:
    """Tests the summary's lines on the hand roster: headcount, hours, coverage, and en/phone's row."""
    lines = roster_summary(_without_left_out(report)).splitlines()
    assert lines[0] == "roster        2 of 5 agents, 2 shifts, 15.5 paid hours"
    assert lines[2] == "  queue        required h scheduled h  under h   SL %  ASA s aband % no ans %"
    # en/phone: 3 agents x 167 hours required, 2 scheduled (E2 09-11 UTC)
    phone = next(line for line in lines if line.startswith("  en/phone"))
    assert phone[:46] == "  en/phone          501.0         2.0    499.0"  # tenths: a half hour is not rounded to even
    assert len({len(line) for line in lines[2:8]}) == 1


def test_roster_summary_gives_no_asa_where_contacts_get_no_answer(report: RosterReport) -> None:
    """Tests en/phone's row on the hand roster: 10 calls in each of its 167 hours, one agent in 2 of them (E2 09-11
    UTC) and none in the other 165, so 1,650 of 1,670 calls (98.8%) get no answer and no ASA is shown. Its ASA was
    the 2 answered hours' alone, as if every call were answered. The chat queues: too few productive agents for the
    load in every hour (none, or 1 scheduled less 30% shrinkage = 0.7: 2 chat slots under 2.17 Erlangs, at both 0
    and 1 agent), 100%; email has no ASA, so no such share. Abandonment is given for en/phone
    alone, the one queue with a patience (Erlang A): chat and email showed 0.0, as if no contact were lost."""
    lines = roster_summary(_without_left_out(report)).splitlines()
    rows = {line.split()[0]: line for line in lines[3:8]}
    assert rows["en/phone"][46:] == "    0.6      -    99.3     98.8"
    assert rows["en/chat"][46:] == "    0.0      -       -    100.0"
    assert rows["en/email"][46:] == "    1.9      -       -        -"
    from outputs.sheets import kpi_frame, service_by_queue

    kpis = kpi_frame(report)
    horizon = float(kpis.loc[kpis["figure"] == "expected abandonment", "value"].iloc[0])
    queues = service_by_queue(report).set_index("queue")
    assert horizon == round(queues.loc["en/phone", "abandon_percent"], 2) == 99.26  # the sheet keeps 2 decimals
    assert lines[8:] == [
        "  no ans %: contacts of a phone or chat queue that get no answer (no productive agent, or too few",
        "  for the load); with any, ASA s is '-': an average answer time would leave them out"]


def test_roster_summary_says_when_the_whole_team_works_and_demand_is_still_short(report: RosterReport) -> None:
    """Tests the line that tells a team lead the team is too small: not on the hand roster (2 of 5 agents work while
    demand is short: the roster, not the team, leaves it); on the same roster with every agent marked scheduled, it
    names the agent-hours short (the coverage line's) and points at headcount planning; with open positions in the
    plan, at their max_heads."""
    import dataclasses

    report = _without_left_out(report)
    assert not any("every agent" in line for line in roster_summary(report).splitlines())
    everyone = dataclasses.replace(report, agents=report.agents.assign(scheduled=True))
    lines = roster_summary(everyone).splitlines()
    under = lines[1].split("under ")[1].split(" agent-h")[0]
    assert lines[2] == (f"  every agent works, and {under} agent-h are still short: the team is too small for these "
                        "requirements (or its skills and hours do not reach them); [[open_positions]] in "
                        "shiftplan.toml says how many heads of which profile would cover them")
    assert lines[3].startswith("  queue ")
    hiring = dataclasses.replace(everyone, facts={**report.facts, "hires": [["senior", 2, 2]]})
    assert roster_summary(hiring).splitlines()[2].startswith(f"  every agent and every open position allowed works, "
                                                             f"and {under} agent-h are still short: raise max_heads")


def test_open_positions_not_hired_count_as_unused_and_the_team_is_not_called_too_small(report: RosterReport) -> None:
    """Tests headcount planning with 1 of 3 open positions hired and every named agent working: the plan has 5 + 3 = 8
    agents, 6 scheduled and 2 unused (the positions not hired), as the solve's headline counts them, and the roster
    is not said to be too small (2 positions a hire could still fill). It said '6 of 6 agents' and 'every agent and
    every open position allowed works ... raise max_heads'. With all 3 hired: '8 of 8', and the line."""
    import dataclasses

    report = _without_left_out(report)

    hire = {"employee_id": "OPEN-de chat-1", "name": "open position de chat 1", "site": "", "time_zone": "UTC",
            "contract": "open position", "scheduled": True, "shifts": 0, "paid_minutes": 0, "weekend_shifts": 0,
            "night_shifts": 0}
    agents = pd.concat([report.agents.assign(scheduled=True), pd.DataFrame([hire])], ignore_index=True)
    partly = dataclasses.replace(report, agents=agents, facts={**report.facts, "hires": [["de chat", 1, 3]]})
    kpis = kpi_frame(partly).set_index("figure")
    assert kpis.loc[["agents in the plan", "agents scheduled", "agents unused"]].values.tolist() == [
        ["roster", 8, "agents (5 named, 3 open positions)"], ["roster", 6, "agents (5 named, 1 hired)"],
        ["roster", 2, "agents (0 named, 2 open positions not hired)"]]
    lines = roster_summary(partly).splitlines()
    assert lines[0].startswith("roster        6 of 8 agents, ")
    assert lines[2].startswith("  queue ")
    every = dataclasses.replace(partly, facts={**report.facts, "hires": [["de chat", 3, 3]]})
    lines = roster_summary(every).splitlines()
    assert lines[0].startswith("roster        8 of 8 agents, ")
    assert lines[2].startswith("  every agent and every open position allowed works, ")


def test_result_rebuilt_from_facts_prints_the_solver_summary(report: RosterReport) -> None:
    """Tests that export's solver summary equals the figures saved: status, objective, bounds, gap."""
    text = result_from_facts(report.facts).summary()
    # gap (2,218,217.5 - 1,400,000) / 2,218,217.5 = 36.887% (495 hours of a dark live queue at 1,000 included)
    assert text.splitlines()[:4] == ["status        FEASIBLE", "objective     2,218,217.50",
                                     "lower bound   1,400,000.00  (LP 90.00, CP-SAT 100.00)", "gap           36.89%"]
    assert text.splitlines()[-2:] == ["  hand-made roster: two shifts", "  the bound is given by hand"]


def test_a_bound_that_proves_nothing_says_so_beside_the_bound_that_does() -> None:
    """Tests the bounds line when PDLP stopped with duals proving 0 and the lower bound came from elsewhere (the
    capacity floor): it said ``LP 0.00``, as if the LP relaxation were worth nothing. A zero bound of a plan that
    costs nothing is still printed as a number."""
    from scheduler.result import Result

    proven_elsewhere = Result("FEASIBLE", 120.0, 100.0, 0.0, None, 1.0).summary().splitlines()[2]
    assert proven_elsewhere == "lower bound   100.00  (LP nothing proven, CP-SAT -)"
    nothing_to_do = Result("OPTIMAL", 0.0, 0.0, 0.0, 0.0, 1.0).summary().splitlines()[2]
    assert nothing_to_do == "lower bound   0.00  (LP 0.00, CP-SAT 0.00)"


def test_input_hashes_are_sha256_relative_to_the_plan(tiny_plan: Path) -> None:
    """Tests the manifest's hash of agents.csv against hashlib, and its name relative to the plan folder."""
    hashes = input_hashes([tiny_plan / "agents.csv", tiny_plan / "missing.csv"], tiny_plan)
    data = (tiny_plan / "agents.csv").read_bytes()
    assert hashes == {"agents.csv": {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}}


def test_solve_with_a_requirements_file_writes_every_output(tiny_plan: Path) -> None:
    """Tests run_solve end to end without a forecast: files, manifest hashes and settings, blank expected service."""
    plan = load_plan(tiny_plan)
    rows = [{"start": t.tz_convert("Europe/Lisbon").strftime("%Y-%m-%dT%H:%M"), "language": "en",
             "channel": "chat", "agents": 1} for t in plan.horizon.intervals_utc[8:18]]
    pd.DataFrame(rows).to_csv(tiny_plan / "requirements.csv", index=False)
    toml = (tiny_plan / "shiftplan.toml").read_text()
    (tiny_plan / "shiftplan.toml").write_text(toml.replace('events = "events.csv"',
                                                           'events = "events.csv"\nrequirements = "requirements.csv"'))
    plan = load_plan(tiny_plan)
    outcome = run_solve(plan, time_limit_seconds=5, workers=1, seed=3)
    files = outcome.files
    assert files.workbook == tiny_plan / "outputs" / "roster-2026-03-23.xlsx"
    manifest = outcome.report.manifest
    assert manifest["settings"] == {"seed": 3, "workers": 1, "time_limit_seconds": 5}
    assert manifest["requirements_source"] == "requirements file requirements.csv"
    assert {"shiftplan.toml", "agents.csv", "requirements.csv"} <= set(manifest["inputs"])
    toml_hash = hashlib.sha256((tiny_plan / "shiftplan.toml").read_bytes()).hexdigest()
    assert manifest["inputs"]["shiftplan.toml"]["sha256"] == toml_hash
    sheet = openpyxl.load_workbook(files.workbook)["Manifest"]
    values = {row[0].value: row[1].value for row in sheet.iter_rows(min_row=2) if row[0].value}
    assert values["settings: seed"] == 3
    assert values["shiftplan.toml"] == toml_hash
    cov = outcome.report.coverage
    assert cov["service_level"].isna().all()  # no forecast, so no expected service
    assert int(cov.loc[cov["queue"] == "en/chat", "required"].sum()) == 10


def test_hired_open_positions_appear_in_the_roster_and_the_kpis(tiny_plan: Path) -> None:
    """Tests headcount planning end to end: 3 de/chat agents 16-22 on Monday, 2 named de/chat agents -> 1 hire.

    E1 and E4 can work a late shift on Monday; the third agent can only be a hire (200 + 8 paid
    hours against 6 missing agent-hours at 1000 each). The hire shows up in the roster's segments, the
    agents of the grid and the KPI sheet, and unhired heads do not. What HR imports as it is (the HR sheet and
    CSV, the shifts file, the calendars) holds named agents only: a hire is a head to recruit, not an employee (the
    HR sheet and CSV had 'OPEN-de chat-1' rows, and it had a calendar).
    """
    plan = load_plan(tiny_plan)
    monday_evening = [t for t in plan.horizon.intervals_utc[:24] if 16 <= t.tz_convert("Europe/Lisbon").hour < 22]
    rows = [{"start": t.tz_convert("Europe/Lisbon").strftime("%Y-%m-%dT%H:%M"), "language": "de",
             "channel": "chat", "agents": 3} for t in monday_evening]
    pd.DataFrame(rows).to_csv(tiny_plan / "requirements.csv", index=False)
    toml = (tiny_plan / "shiftplan.toml").read_text().replace(
        'events = "events.csv"', 'events = "events.csv"\nrequirements = "requirements.csv"')
    toml += ('\n[[open_positions]]\nprofile = "de chat"\nlanguages = ["de"]\nchannels = ["chat"]\n'
             'templates = ["late"]\nmax_heads = 3\n')
    (tiny_plan / "shiftplan.toml").write_text(toml)
    outcome = run_solve(load_plan(tiny_plan), time_limit_seconds=10, workers=1, seed=0)
    assert outcome.result.hires == (("de chat", 1, 3),)
    agents = outcome.report.agents
    assert list(agents.loc[agents["employee_id"].str.startswith("OPEN-"), "employee_id"]) == ["OPEN-de chat-1"]
    segments = outcome.report.segments
    assert set(segments.loc[segments["employee_id"] == "OPEN-de chat-1", "activity"]) == {"work"}
    sheet = openpyxl.load_workbook(outcome.files.workbook)["Summary"]
    values = {row[0].value: (row[1].value, row[2].value) for row in sheet.iter_rows(min_row=2) if row[0].value}
    assert values["hired: open position 'de chat'"] == (1, "of 3 allowed")
    paid, unit = values["paid hours"]
    hired = float(outcome.report.agents.loc[outcome.report.agents["employee_id"] == "OPEN-de chat-1",
                                            "paid_minutes"].sum()) / 60
    assert hired > 0 and unit == f"h ({paid - hired:,.1f} named, {hired:,.1f} hired)"  # (it gave one figure, 'h')
    grid = pd.read_excel(outcome.files.workbook, sheet_name="Grid")
    assert "OPEN-de chat-1" in set(grid["employee_id"])
    named = {"E1", "E2", "E3", "E4", "E5"}
    hr = pd.read_excel(outcome.files.workbook, sheet_name="HR import")
    assert set(hr["employee_id"]) <= named
    assert set(pd.read_csv(outcome.files.csv, dtype=str)["employee_id"]) <= named
    assert {p.stem for p in outcome.files.calendars.iterdir()} <= named
    assert outcome.files.segments == len(hr)


def test_roster_summary_says_which_demand_no_shift_reaches_and_why_agents_are_left_out(report: RosterReport) -> None:
    """Tests the lines under the coverage on the hand roster (2 of 5 agents work), derived from the tiny plan: its
    Lisbon agents' shifts start 07:00-10:00 (8-9 h) or 14:00-16:00 (8 h), so de/chat (E1 and E4, in Lisbon) is out of
    reach 00:00-07:00 every day: 7 nights of 7 hours less the hour the clocks skip on Sunday 29 March, 48 hours of 3
    agents, 144 agent-h. en/chat and en/phone at 00:00-07:00 are reached by E3's Manila day shifts (07:00 Manila is
    23:00 Lisbon), except on Thursday, when E3's training takes the shift: 7 hours of 3 agents. en/email needs 2
    agents to 20:00, and on Tuesday and Wednesday, E1's days off, nobody's shift runs past 16:00 (E3 and E5 work
    Manila hours): 2 x 4 hours of 2 agents. The 3 agents without a shift are each left out with demand of their
    skills still short, which the line gives per agent; and no line calls the team too small (3 agents could help)."""
    lines = roster_summary(report).splitlines()
    assert lines[2:7] == [
        "  202.0 agent-h required when no shift of any agent can serve them, whatever the team's size: check the "
        "queue's opening hours and its agents' templates, availability and time off",
        "    en/chat: 21.0 agent-h, Thu 2026-03-26 00:00-07:00",
        "    de/chat: 144.0 agent-h, 00:00-07:00 on 7 days (Mon 2026-03-23 to Sun 2026-03-29)",
        "    en/phone: 21.0 agent-h, Thu 2026-03-26 00:00-07:00",
        "    en/email: 16.0 agent-h, 16:00-20:00 on 2 days (Tue 2026-03-24 to Wed 2026-03-25)"]
    assert lines[7] == "unscheduled   3 agents: 3 left out"
    assert [line.split(":")[0] for line in lines[8:11]] == ["  E1", "  E3", "  E4"]
    assert lines[9].startswith("  E3: left out although their shifts reach ")
    assert "agent-h of en/chat, en/phone, en/email still short" in lines[9]
    assert lines[11].startswith("  queue ")
    assert not any("too small" in line for line in lines)


def test_shortfall_lines_by_hand() -> None:
    """Tests :func:`shiftplan.summary.shortfall_lines` on facts written by hand: 12 agent-h short, 4 of them out of
    every shift's reach, so 8 reachable; agents idle for reasons that do not help (not needed, no shift possible)
    leave the team too small for those 8; an agent left out where demand is short does not (the roster, not the
    team, leaves it); open positions not hired get their own line; beyond ``most_agents`` agents are counted."""
    from shiftplan.summary import shortfall_lines

    unreachable = [["en/email", 4.0, "Wed 2026-12-02 02:00-04:00"]]
    idle = [["A1", "Ann", "not needed", "not needed: ..."], ["A2", "Bo", "no shift possible", "no shift is ..."]]
    lines = shortfall_lines({"unreachable": unreachable, "unscheduled": idle}, under_hours=12.0, all_scheduled=False)
    assert lines == [
        "  4.0 agent-h required when no shift of any agent can serve them, whatever the team's size: check the queue's "
        "opening hours and its agents' templates, availability and time off",
        "    en/email: 4.0 agent-h, Wed 2026-12-02 02:00-04:00",
        "  every agent who could meet it works, and 8.0 agent-h are still short: the team is too small for these "
        "requirements (or its skills and hours do not reach them); [[open_positions]] in shiftplan.toml says how "
        "many heads of which profile would cover them",
        "unscheduled   2 agents: 1 not needed, 1 no shift possible",
        "  A1: not needed: ...", "  A2: no shift is ..."]
    left_out = [*idle, ["A3", "Cy", "left out", "left out although ..."]]
    lines = shortfall_lines({"unreachable": [], "unscheduled": left_out}, under_hours=12.0, all_scheduled=False)
    assert not any("still short" in line for line in lines) and lines[0].startswith("unscheduled   3 agents: ")
    hiring = {"unreachable": [], "unscheduled": [], "hires": [["en hire", 1, 1], ["zh hire", 0, 2]],
              "unhired": [["zh hire", 2, "not needed", "not needed: ..."]]}
    assert shortfall_lines(hiring, under_hours=3.0, all_scheduled=False) == [
        "  every agent and open position who could meet it works, and 3.0 agent-h are still short: raise max_heads of "
        "a profile hired in full, or add a profile whose skills and hours reach them",
        "not hired     2 open positions 'zh hire': not needed: ..."]
    many = [[f"A{i}", "", "not needed", "..."] for i in range(12)]
    lines = shortfall_lines({"unscheduled": many}, under_hours=0.0, all_scheduled=False, most_agents=10)
    assert len(lines) == 12 and lines[-1] == "  and 2 more (the workbook's Summary sheet lists them all)"
    assert shortfall_lines({}, under_hours=5.0, all_scheduled=False) == []  # a result saved before: nothing known
    edge = [["es/chat", 12.0, "Mon 2026-11-30 00:00-06:00", "plan's start or end"]]
    lines = shortfall_lines({"unreachable": [*unreachable, *edge], "unscheduled": []}, under_hours=20.0,
                            all_scheduled=True)
    assert lines[2:] == [
        "  12.0 agent-h required at the plan's start or end, which only a shift of the previous or next plan reaches "
        "(pin the part of last week's shift that runs into this plan in [files] roster)",
        "    es/chat: 12.0 agent-h, Mon 2026-11-30 00:00-06:00",
        "  every agent works, and 4.0 agent-h are still short: the team is too small for these requirements (or its "
        "skills and hours do not reach them); [[open_positions]] in shiftplan.toml says how many heads of which "
        "profile would cover them"]


def test_intervals_described_as_a_team_lead_reads_them() -> None:
    """Tests :func:`outputs.left_out.describe_intervals` by hand on a 60-minute grid from Mon 2026-11-30: one run
    (Wed 02:00-05:00); the same hours on 3 days; a run to midnight reads 24:00; a run across midnight keeps its
    dates; the commonest hours first; more groups than ``most`` within their days read as the span they fall in, and
    with a run across midnight among them, the first ``most`` are given and the rest counted."""
    import numpy as np

    from outputs.left_out import describe_intervals

    starts = pd.date_range("2026-11-30", periods=7 * 24, freq="h")

    def described(*runs: tuple[int, int], most: int = 3) -> str:
        mask = np.zeros(len(starts), dtype=bool)
        for first, last in runs:
            mask[first:last] = True
        return describe_intervals(starts, mask, 60, most=most)

    assert described((50, 53)) == "Wed 2026-12-02 02:00-05:00"
    assert described((2, 5), (26, 29), (50, 53)) == "02:00-05:00 on 3 days (Mon 2026-11-30 to Wed 2026-12-02)"
    assert described((20, 24)) == "Mon 2026-11-30 20:00-24:00"
    assert described((22, 26)) == "Mon 2026-11-30 22:00 to Tue 2026-12-01 02:00"
    assert described((2, 5), (26, 29), (60, 61), (80, 81), (100, 101), most=2) == (
        "5 periods on 5 days (Mon 2026-11-30 to Fri 2026-12-04), all between 02:00 and 13:00")
    # the example's es/social: every other half hour of each night is required and no shift runs then
    assert described(*[(24 * d + h, 24 * d + h + 1) for d in range(7) for h in (0, 2, 4, 6)]) == (
        "28 periods on 7 days (Mon 2026-11-30 to Sun 2026-12-06), all between 00:00 and 07:00")
    assert described((0, 1), (2, 3), (4, 5), (6, 7)) == "4 periods on Mon 2026-11-30, all between 00:00 and 07:00"
    assert described((2, 5), (22, 26), (60, 61), (80, 81), most=2) == (
        "Mon 2026-11-30 02:00-05:00; Mon 2026-11-30 22:00 to Tue 2026-12-01 02:00; and 2 more periods")


def test_the_wall_time_line_lists_each_stage_in_the_order_it_ran() -> None:
    """Tests the wall-time line: the total, then each stage's share to 0.1 s, with the stages' names in words."""
    line = wall_time_line({"plan": 0.43, "requirements": 4.06, "solve": 3.21, "files": 2.66}, 10.9)
    assert line == ("wall time     10.9 s in all: the plan 0.4 s, requirements 4.1 s, the solve 3.2 s, "
                    "the files 2.7 s")
    assert wall_time_line({}, 0.04) == "wall time     0.0 s in all"
