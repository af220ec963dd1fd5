"""Loading valid plans: records, time zones, DST days, and every supported file format."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from inputs import Horizon, PlanError, load_plan
from inputs.loaders import load_history
from inputs.problems import ProblemLog, render_problems
from inputs.table_reader import localize
from inputs.toml_reader import read_config


def test_tiny_plan_loads_into_typed_records(tiny_plan: Path) -> None:
    """Tests that the tiny plan gives the queues, agents and defaults written in its files."""
    plan = load_plan(tiny_plan)
    assert [q.name for q in plan.queues] == ["en/chat", "de/chat", "en/phone", "en/email", "de/email"]
    assert plan.config.queue("de", "chat").concurrency == 2  # expanded from languages = [...]
    e2 = next(a for a in plan.agents if a.employee_id == "E2")
    # blank contract cells take [rules]: weekly_min 0, weekly_max 48, 7 - 2 days off = 5 days
    assert (e2.weekly_min_hours, e2.weekly_max_hours, e2.max_days_per_week) == (0, 48, 5)
    assert e2.templates == ("day", "late")
    assert e2.skills(plan.queues) == (("en", "chat"), ("en", "phone"))
    assert plan.warnings == ()


def test_whole_day_time_off_is_local_midnight_to_midnight(tiny_plan: Path) -> None:
    """Tests that 2026-03-24..25 off in Lisbon (UTC+0 in March) is 24 Mar 00:00 to 26 Mar 00:00 UTC."""
    plan = load_plan(tiny_plan)
    absence = next(t for t in plan.time_off if t.employee_id == "E1")
    assert absence.start_utc == pd.Timestamp("2026-03-24T00:00Z")
    assert absence.end_utc == pd.Timestamp("2026-03-26T00:00Z")
    assert absence.all_day
    training = next(t for t in plan.time_off if t.employee_id == "E3")
    # Manila is UTC+8: 09:00-13:00 local is 01:00-05:00 UTC
    assert (training.start_utc, training.end_utc) == (pd.Timestamp("2026-03-26T01:00Z"),
                                                      pd.Timestamp("2026-03-26T05:00Z"))
    assert training.kind == "training" and not training.all_day


def test_events_local_and_offset_times(tiny_plan: Path) -> None:
    """Tests that event times without an offset are plan-local and with an offset are kept as written."""
    plan = load_plan(tiny_plan)
    listing, maintenance = plan.events
    assert listing.start_utc == pd.Timestamp("2026-03-25T12:00Z")  # Lisbon is UTC+0 before 29 March
    assert listing.uplift_percent == 40 and listing.affects("en", "chat") and not listing.affects("de", "chat")
    assert maintenance.languages == () and maintenance.affects("de", "email")


@pytest.mark.parametrize(
    ("first_day", "time_zone", "hours"),
    [
        ("2026-03-23", "Europe/Lisbon", [24, 24, 24, 24, 24, 24, 23]),  # summer time starts Sun 29 Mar
        ("2026-10-19", "Europe/Lisbon", [24, 24, 24, 24, 24, 24, 25]),  # and ends Sun 25 Oct
        ("2026-03-23", "Asia/Manila", [24] * 7),  # no DST
    ],
)
def test_horizon_days_have_23_or_25_hours_on_dst_days(first_day: str, time_zone: str, hours: list[int]) -> None:
    """Tests that the horizon's UTC grid has one interval per real hour, so DST days have 23 or 25."""
    horizon = Horizon(dt.date.fromisoformat(first_day), 1, time_zone, 60)
    local = horizon.intervals_utc.tz_convert(time_zone)
    per_day = pd.Series(1, index=local).groupby(local.date).size().tolist()
    assert per_day == hours
    assert horizon.num_intervals == sum(hours)


def test_repeated_local_hour_reads_first_as_summer_time() -> None:
    """Tests that a wall time repeated when clocks go back is summer time first, winter time second."""
    naive = pd.Series(pd.to_datetime(["2026-10-25T00:00", "2026-10-25T01:00", "2026-10-25T01:00",
                                      "2026-10-25T02:00"]))
    utc, gap, ambiguous = localize(naive, "Europe/Lisbon")
    assert list(utc.dt.strftime("%H:%M")) == ["23:00", "00:00", "01:00", "02:00"]
    assert list(ambiguous) == [False, True, True, False] and not gap.any()


def test_agents_from_xlsx_and_history_from_parquet(tiny_plan: Path) -> None:
    """Tests that the same agents from an Excel file and history from Parquet load like the CSVs."""
    csv_plan = load_plan(tiny_plan)
    agents = pd.read_csv(tiny_plan / "agents.csv", dtype=str, keep_default_na=False)
    agents.columns = [c.replace("_", " ").title() for c in agents.columns]  # HR-style headers
    agents.to_excel(tiny_plan / "agents.xlsx", index=False)
    history = pd.read_csv(tiny_plan / "history.csv")
    history["start"] = pd.to_datetime(history["start"], utc=True)
    history.to_parquet(tiny_plan / "history.parquet")
    toml = (tiny_plan / "shiftplan.toml").read_text()
    toml = toml.replace('agents = "agents.csv"', 'agents = "agents.xlsx"')
    toml = toml.replace('history = "history.csv"', 'history = "history.parquet"')
    (tiny_plan / "shiftplan.toml").write_text(toml)
    other = load_plan(tiny_plan)
    assert other.agents == tuple(
        a.__class__(**{**{s: getattr(a, s) for s in a.__slots__}}) for a in csv_plan.agents)
    pd.testing.assert_frame_equal(other.history.frame, csv_plan.history.frame)


def test_csv_files_written_with_semicolons_and_decimal_commas_load_like_the_commas(tiny_plan: Path) -> None:
    """Tests that agents and time off saved by a Portuguese or German Excel (';' between columns, ',' as the decimal
    mark) load as the comma files do, with 32,5 read as 32.5: the header was one column, three said to be missing."""
    comma_plan = load_plan(tiny_plan)
    (tiny_plan / "agents.csv").write_text(
        "employee_id;name;site;time_zone;languages;channels;weekly_min_hours;weekly_max_hours;max_days_per_week;"
        "templates\n"
        'E1;Ana Souza;Lisbon;Europe/Lisbon;"en;de";"chat;email";32,5;40;5;"day;late"\n'
        'E2;Bruno Lima;Lisbon;Europe/Lisbon;en;"chat;phone";;;;\n'
        'E3;Carla Reyes;Manila;Asia/Manila;en;"chat;email;phone";20;30;4;day\n'
        'E4;Dieter Krause;Lisbon;Europe/Lisbon;de;"chat;email";;;5;\n'
        "E5;Eva Santos;Manila;Asia/Manila;en,de;email;;;;late\n", encoding="utf-8-sig")
    (tiny_plan / "time_off.csv").write_text(
        "employee_id;start;end;kind;note\nE1;2026-03-24;2026-03-25;vacation;\n"
        "E3;2026-03-26T09:00;2026-03-26T13:00;training;course, part 1\n", encoding="utf-8")
    plan = load_plan(tiny_plan)
    assert plan.agents[0].weekly_min_hours == 32.5
    assert plan.agents[1:] == comma_plan.agents[1:]
    assert plan.agents[0] == dataclasses.replace(comma_plan.agents[0], weekly_min_hours=32.5)
    assert plan.time_off == comma_plan.time_off
    assert plan.warnings == ()


def test_per_contact_history_is_binned_to_15_minutes(tiny_plan: Path) -> None:
    """Tests that one-row-per-contact history becomes contacts and mean handle time per 15 minutes."""
    (tiny_plan / "contacts.csv").write_text(
        "timestamp,language,channel,handle_seconds\n"
        "2026-03-02T09:01:00,en,chat,100\n"
        "2026-03-02T09:14:59,en,chat,300\n"
        "2026-03-02T09:15:00,en,chat,\n"
        "2026-03-02T09:20:00,de,email,60\n")
    log = ProblemLog()
    config = read_config(tiny_plan, log)
    history = load_history(tiny_plan / "contacts.csv", "contacts.csv", config, log)
    assert not log.problems
    assert history.source_form == "contact" and history.interval_minutes == 15
    frame = history.frame
    got = [(f"{r.start:%H:%M}", r.language, r.channel, r.contacts, None if pd.isna(r.aht_seconds) else r.aht_seconds)
           for r in frame.itertuples()]
    # the abandoned contact (blank handle time) counts as offered but not in the mean handle time
    assert got == [("09:15", "de", "email", 1.0, 60.0), ("09:00", "en", "chat", 2.0, 200.0),
                   ("09:15", "en", "chat", 1.0, None)]


def test_requirements_file_replaces_history(tiny_plan: Path) -> None:
    """Tests that a plan with a requirements file and no history loads, with requirements in UTC."""
    (tiny_plan / "req.csv").write_text("start,language,channel,agents\n2026-03-23T08:00,en,chat,3\n")
    toml = (tiny_plan / "shiftplan.toml").read_text().replace('history = "history.csv"',
                                                                'history = ""\nrequirements = "req.csv"')
    (tiny_plan / "shiftplan.toml").write_text(toml)
    plan = load_plan(tiny_plan)
    assert plan.history is None
    assert plan.requirements.frame.to_dict("records") == [
        {"start": pd.Timestamp("2026-03-23T08:00Z"), "language": "en", "channel": "chat", "agents": 3.0}]


def test_requirements_while_a_queue_is_closed_are_dropped_for_the_solve(tiny_plan: Path) -> None:
    """Tests that a requirements file's agents while their queue is closed reach the solve as 0, as a forecast's do.

    en/email opens mon-fri 08:00-20:00 (Lisbon, UTC+0 in March): the file asks 3 agents at Monday 19:00 (open) and 2 at
    20:00 (closed); en/chat (24/7) 1 at 08:00. Before: 3 + 2 + 1 = 6 agent-hours were planned; now 3 + 1 = 4."""
    from shiftplan.pipeline import plan_requirements

    (tiny_plan / "req.csv").write_text("start,language,channel,agents\n2026-03-23T19:00,en,email,3\n"
                                       "2026-03-23T20:00,en,email,2\n2026-03-23T08:00,en,chat,1\n")
    toml = (tiny_plan / "shiftplan.toml").read_text().replace('history = "history.csv"',
                                                                'history = ""\nrequirements = "req.csv"')
    (tiny_plan / "shiftplan.toml").write_text(toml)
    plan = load_plan(tiny_plan)
    requirements, _ = plan_requirements(plan)
    assert requirements["agents"].sum() == 4
    by_start = dict(zip(requirements["start"], requirements["agents"], strict=True))
    assert by_start[pd.Timestamp("2026-03-23T20:00Z")] == 0


def test_requirements_file_without_a_history_line_has_no_history(tiny_plan: Path) -> None:
    """Tests that omitting ``history`` beside a requirements file means no history, not the default history.csv."""
    (tiny_plan / "req.csv").write_text("start,language,channel,agents\n2026-03-23T08:00,en,chat,3\n")
    (tiny_plan / "history.csv").unlink()
    toml = (tiny_plan / "shiftplan.toml").read_text().replace('history = "history.csv"', 'requirements = "req.csv"')
    (tiny_plan / "shiftplan.toml").write_text(toml)
    plan = load_plan(tiny_plan)
    assert plan.history is None
    assert plan.config.files.history is None
    assert len(plan.requirements.frame) == 1


def test_pinned_night_across_the_autumn_change_lasts_nine_hours(tiny_plan: Path) -> None:
    """Tests the repeated hour: a Lisbon 22:00-06:00 pin on 2026-10-24 runs 21:00 to 06:00 UTC (9 h on the clock).

    Europe/Lisbon leaves summer time (UTC+1) at 02:00 on Sunday 2026-10-25, so 22:00 on the 24th is
    21:00 UTC and 06:00 on the 25th is 06:00 UTC.
    """
    toml = (tiny_plan / "shiftplan.toml").read_text().replace("first_day = 2026-03-23", "first_day = 2026-10-19")
    toml = toml.replace('events = "events.csv"', 'events = "events.csv"\nroster = "pinned.csv"')
    (tiny_plan / "shiftplan.toml").write_text(toml)
    (tiny_plan / "time_off.csv").write_text("employee_id,start,end,kind,note\n")
    (tiny_plan / "pinned.csv").write_text("employee_id,date,start,end\nE2,2026-10-24,22:00,06:00\n")
    (pin,) = load_plan(tiny_plan, with_history=False).pinned
    assert (pin.start_utc, pin.end_utc) == (pd.Timestamp("2026-10-24T21:00Z"), pd.Timestamp("2026-10-25T06:00Z"))


def test_pinned_roster_overnight_shift_in_agent_zone(tiny_plan: Path) -> None:
    """Tests that a pinned 22:00-06:00 shift in Manila (UTC+8) is 14:00-22:00 UTC, and blank times pin a day off."""
    (tiny_plan / "pinned.csv").write_text("employee_id,date,start,end,template\nE3,2026-03-23,22:00,06:00,day\n"
                                          "E2,2026-03-24,,,\n")
    toml = (tiny_plan / "shiftplan.toml").read_text().replace('events = "events.csv"',
                                                               'events = "events.csv"\nroster = "pinned.csv"')
    (tiny_plan / "shiftplan.toml").write_text(toml)
    night, off = load_plan(tiny_plan).pinned
    assert (night.start_utc, night.end_utc) == (pd.Timestamp("2026-03-23T14:00Z"), pd.Timestamp("2026-03-23T22:00Z"))
    assert off.start_utc is None and off.day == dt.date(2026, 3, 24)


def test_many_bad_rows_are_summarised(tiny_plan: Path) -> None:
    """Tests that 2,000 bad cells of one kind show 5 rows and one 'and N more rows' line."""
    text = (tiny_plan / "history.csv").read_text().replace(",10,300\n", ",ten,300\n", 2000)
    (tiny_plan / "history.csv").write_text(text)
    with pytest.raises(PlanError) as caught:
        load_plan(tiny_plan)
    lines = caught.value.report().splitlines()
    # 2,000 bad cells, plus the history left too short once those rows are dropped
    assert lines[0] == "The plan has 2001 problems; nothing was written."
    assert len(lines) == 1 + 5 + 1 + 1
    assert lines[6] == "  history.csv, column contacts: ... and 1,995 more rows with the same problem"
    assert lines[7].startswith("  history.csv, column start: covers 25 days before the horizon")


def test_problems_that_differ_only_in_their_numbers_are_summarised_like_one_kind() -> None:
    """Tests the listing limit on messages that name a row or an id: eight overlapping pins of agents E1 to E8 are
    one kind (5 listed, then '... and 3 more rows'), as eight unknown ids are; a pin message of another shape
    stays apart, and a number that is the cell's value still groups by the fix."""
    log = ProblemLog()
    for i in range(8):
        log.add("pinned.csv", f"pins a shift of E{i + 1} that overlaps the one in row {10 + 2 * i}",
                "keep one of the two rows", row=11 + 2 * i, column="start")
    log.add("pinned.csv", "pins a day off for E1 on 2026-03-24 beside row 3", "keep the shift or the day off, not both",
            row=40, column="date")
    for i in range(8):
        log.add("time_off.csv", "is not an employee_id of the agents file", "correct the id or add the agent",
                row=2 + i, column="employee_id", value=f"X{i}")
    lines = render_problems(log.problems)
    assert lines[:5] == [f"pinned.csv, row {11 + 2 * i}, column start: pins a shift of E{i + 1} that overlaps the one "
                         f"in row {10 + 2 * i}. Fix: keep one of the two rows." for i in range(5)]
    assert lines[5] == "pinned.csv, column start: ... and 3 more rows with the same problem"
    assert lines[6].startswith("pinned.csv, row 40, column date: pins a day off for E1")
    assert lines[7:12] == [f"time_off.csv, row {2 + i}, column employee_id: 'X{i}': is not an employee_id of the "
                           "agents file. Fix: correct the id or add the agent." for i in range(5)]
    assert lines[12:] == ["time_off.csv, column employee_id: ... and 3 more rows with the same problem"]


def test_problem_log_keeps_order_and_severity() -> None:
    """Tests that the log separates errors from warnings and keeps their order."""
    log = ProblemLog()
    log.add("a.csv", "first", "fix it", row=2, column="x", value="1")
    log.add("a.csv", "second", "fix it", severity="warning")
    assert [p.message for p in log.errors] == ["first"]
    assert [p.message for p in log.warnings] == ["second"]
    assert log.errors[0].render() == "a.csv, row 2, column x: '1': first. Fix: fix it."


@pytest.mark.parametrize(("row", "start_utc", "end_utc"), [
    # Lisbon leaves summer time at 02:00 on 2026-10-25 (01:00-02:00 happens twice). An 8-hour 'late' shift from
    # 17:00 (16:00 UTC) ends at the first 01:00 (00:00 UTC): the template's length picks that reading (the second
    # would make it 9 hours, as the tool's own shifts file was read back before).
    ("E1,2026-10-24,17:00,01:00,late", "2026-10-24T16:00Z", "2026-10-25T00:00Z"),
    # 01:00 to 09:00 of 'day' (480 or 540 minutes): both readings of 01:00 are template lengths, and the first is
    # taken, as the scheduler starts a template's shift there (the shifts file's row came back an hour later)
    ("E1,2026-10-25,01:00,09:00,day", "2026-10-25T00:00Z", "2026-10-25T09:00Z"),
    # 01:00 to 01:00 across the change: the first 01:00 (00:00 UTC) to the second (01:00 UTC), one hour
    ("E2,2026-10-25,01:00,01:00,", "2026-10-25T00:00Z", "2026-10-25T01:00Z"),
    # Lisbon enters summer time at 01:00 on 2026-03-29: 13:00 to 06:00 is 17 hours on the clock and 16 (960 min,
    # the longest shift) in fact
    ("E2,2026-03-28,13:00,06:00,", "2026-03-28T13:00Z", "2026-03-29T05:00Z"),
])
def test_pinned_clock_times_across_a_dst_change_read_as_the_shift_they_stand_for(
        tiny_plan: Path, row: str, start_utc: str, end_utc: str) -> None:
    """Tests pins whose clock times the DST changes make ambiguous or longer than they look."""
    toml = (tiny_plan / "shiftplan.toml").read_text().replace(
        'events = "events.csv"', 'events = "events.csv"\nroster = "pinned.csv"')
    (tiny_plan / "shiftplan.toml").write_text(toml)
    (tiny_plan / "pinned.csv").write_text(f"employee_id,date,start,end,template\n{row}\n")
    (pin,) = load_plan(tiny_plan, with_history=False).pinned
    assert (pin.start_utc, pin.end_utc) == (pd.Timestamp(start_utc), pd.Timestamp(end_utc))


def test_a_pin_too_long_in_real_time_across_the_autumn_change_gives_both_lengths(tiny_plan: Path) -> None:
    """Tests the refusal of E2's 14:00-05:30 pin on 2026-10-24 in Lisbon, which goes back from 02:00 (+01:00) to 01:00
    (+00:00) that night: 15 h 30 on the clock (930 min), 16 h 30 in real time (990 min: 13:00 to 05:30 UTC), over 960.
    It said 'a 990-minute shift (14:00 to 05:30)', which reads as an arithmetic error."""
    toml = (tiny_plan / "shiftplan.toml").read_text().replace("first_day = 2026-03-23", "first_day = 2026-10-19")
    toml = toml.replace('events = "events.csv"', 'events = "events.csv"\nroster = "pinned.csv"')
    (tiny_plan / "shiftplan.toml").write_text(toml)
    (tiny_plan / "time_off.csv").write_text("employee_id,start,end,kind,note\n")
    (tiny_plan / "pinned.csv").write_text("employee_id,date,start,end\nE2,2026-10-24,14:00,05:30\n")
    with pytest.raises(PlanError) as caught:
        load_plan(tiny_plan, with_history=False)
    assert [p.render() for p in caught.value.problems if p.severity == "error"] == [
        "pinned.csv, row 2, column end: '05:30': pins a shift of 990 minutes in real time (the clocks go back that "
        "night: 930 on the clock), 14:00 to 05:30; a shift lasts 60 to 960 minutes, as a template's lengths_minutes "
        "do. Fix: correct the start or end time."]


@pytest.mark.parametrize(("row", "template", "warning"), [
    # Lisbon goes back from 02:00 (+01:00) to 01:00 (+00:00) on 2026-10-25: 22:00 to 06:00 is 480 minutes on the clock
    # and 540 in real time (22:00 +01:00 = 21:00 UTC to 06:00 UTC); a solver-built night of 480 ends at 05:00
    ("E2,2026-10-24,22:00,06:00,night", True,
     "pinned.csv, row 2, column end: '06:00': pins a 'night' shift from 22:00 to 06:00 that lasts 540 minutes in real "
     "time, as the clocks go back that night, not one of the template's lengths (480): it is worked as pinned, while "
     "the shifts the solver builds of 'night' keep their real length (480 minutes: 22:00 to 05:00 that night). Fix: "
     "nothing, when that is meant; otherwise end it at 05:00 for 480 minutes."),
    # 01:00 to 01:30, both repeated: 30 minutes is too short, so the first 01:00 (00:00 UTC) to the second 01:30
    # (01:30 UTC), 90 minutes
    ("E2,2026-10-25,01:00,01:30,", False,
     "pinned.csv, row 2, column end: '01:30': gives 01:00 and 01:30 on 2026-10-25, both in the hour Europe/Lisbon "
     "repeats as its clocks go back: the shift is read as 90 minutes, from the first 01:00 (+01:00, summer time) to "
     "the second 01:30 (+00:00, standard time). Fix: nothing, when that is meant; otherwise give times outside that "
     "hour."),
])
def test_a_pin_a_clock_change_lengthens_or_reads_twice_is_warned(tiny_plan: Path, row: str, template: bool,
                                                                  warning: str) -> None:
    """Tests the warnings of pins the autumn change makes longer than their template's length, or reads across its
    repeated hour (both passed without a word)."""
    toml = (tiny_plan / "shiftplan.toml").read_text().replace("first_day = 2026-03-23", "first_day = 2026-10-19")
    toml = toml.replace('events = "events.csv"', 'events = "events.csv"\nroster = "pinned.csv"')
    if template:
        toml = toml.replace("[rules]", '[[shift_templates]]\nname = "night"\ncode = "N"\nstart_earliest = "22:00"\n'
                            'start_latest = "22:00"\nlengths_minutes = [480]\n\n[rules]')
    (tiny_plan / "shiftplan.toml").write_text(toml)
    (tiny_plan / "time_off.csv").write_text("employee_id,start,end,kind,note\n")
    (tiny_plan / "pinned.csv").write_text(f"employee_id,date,start,end,template\n{row}\n")
    plan = load_plan(tiny_plan, with_history=False)
    assert [p.render() for p in plan.warnings if p.file == "pinned.csv"] == [warning]
    if template:  # the solver's own 'night' of E4 that night: 21:00 UTC (22:00 +01:00) for 8 hours, to 05:00 local
        from scheduler.build import agent_options

        e4 = next(agent for agent in plan.agents if agent.employee_id == "E4")
        options, _ = agent_options(e4, plan, list(plan.config.shift_templates), [])
        (night,) = [o for o in options if o.day == 5 and o.template == 2]
        assert (plan.horizon.intervals_utc[night.start], night.length) == (pd.Timestamp("2026-10-24T21:00Z"), 8)


def test_a_pinned_shift_of_a_template_whose_lunch_ends_with_it_on_a_coarse_grid_loads(tiny_plan: Path) -> None:
    """Tests a 450-minute template with its 30-minute lunch at 420 minutes on the 60-minute grid: the lunch takes
    the shift's eighth interval, which the shift (7.5 h, eight intervals) has. Its pin was refused ('breaks may end
    480 min after the start') while the solver worked the same shift."""
    toml = (tiny_plan / "shiftplan.toml").read_text().replace("[rules]", (
        '[[shift_templates]]\nname = "short"\ncode = "S"\nstart_earliest = "08:00"\nstart_latest = "08:00"\n'
        'lengths_minutes = [450]\nbreaks = [{ kind = "lunch", minutes = 30, paid = false, '
        'after_start_minutes = [420, 420] }]\n\n[rules]')).replace(
        'events = "events.csv"', 'events = "events.csv"\nroster = "pinned.csv"')
    (tiny_plan / "shiftplan.toml").write_text(toml)
    (tiny_plan / "pinned.csv").write_text("employee_id,date,start,end,template\nE2,2026-03-23,08:00,15:30,short\n")
    (pin,) = load_plan(tiny_plan, with_history=False).pinned
    assert (pin.start_utc, pin.end_utc) == (pd.Timestamp("2026-03-23T08:00Z"), pd.Timestamp("2026-03-23T15:30Z"))


def test_a_roster_id_written_with_the_formula_apostrophe_is_the_agent_s_id(tiny_plan: Path) -> None:
    """Tests an agent id starting with '-': shiftplan's shifts file writes it as "'-E2" so that a spreadsheet shows
    it as text, and the roster loader reads it back as '-E2' (it was 'not an employee_id of the agents file')."""
    agents = (tiny_plan / "agents.csv").read_text().replace("E2,Bruno Lima", "-E2,Bruno Lima")
    (tiny_plan / "agents.csv").write_text(agents)
    toml = (tiny_plan / "shiftplan.toml").read_text().replace(
        'events = "events.csv"', 'events = "events.csv"\nroster = "pinned.csv"')
    (tiny_plan / "shiftplan.toml").write_text(toml)
    (tiny_plan / "pinned.csv").write_text("employee_id,date,start,end,template\n'-E2,2026-03-23,08:00,16:00,\n")
    (pin,) = load_plan(tiny_plan, with_history=False).pinned
    assert pin.employee_id == "-E2"


def test_requirements_on_the_grid_of_a_half_hour_zone(tiny_plan: Path) -> None:
    """Tests a plan in Asia/Kolkata (UTC+5:30) on the 60-minute grid: its intervals start at local whole hours, i.e.
    at half past in UTC, and a requirements file on them loads (every row was 'not on the plan's grid')."""
    toml = (tiny_plan / "shiftplan.toml").read_text().replace('time_zone = "Europe/Lisbon"',
                                                              'time_zone = "Asia/Kolkata"')
    toml = toml.replace('history = "history.csv"', 'history = ""\nrequirements = "req.csv"')
    (tiny_plan / "shiftplan.toml").write_text(toml)
    (tiny_plan / "req.csv").write_text("start,language,channel,agents\n2026-03-23T00:00,en,chat,3\n"
                                       "2026-03-23T09:00,en,chat,2\n")
    frame = load_plan(tiny_plan).requirements.frame
    assert list(frame["start"]) == [pd.Timestamp("2026-03-22T18:30Z"), pd.Timestamp("2026-03-23T03:30Z")]


def test_a_repeated_local_hour_is_counted_per_queue_in_requirements(tiny_plan: Path) -> None:
    """Tests a Lisbon requirements file listing 01:00 of 2026-10-25 twice for each of two queues, by time: per
    queue, the first is summer time (00:00 UTC) and the second winter time (01:00 UTC). Counted over the file, the
    second queue's first row was read as winter time, and its second row, as summer time again, was refused as a
    repeat of the first queue's."""
    toml = (tiny_plan / "shiftplan.toml").read_text().replace("first_day = 2026-03-23", "first_day = 2026-10-19")
    toml = toml.replace('history = "history.csv"', 'history = ""\nrequirements = "req.csv"')
    (tiny_plan / "shiftplan.toml").write_text(toml)
    (tiny_plan / "time_off.csv").write_text("employee_id,start,end,kind,note\n")
    # listed by time, as an export is: the first 01:00 of both queues, then the second of both
    rows = "".join(f"2026-10-25T01:00,{language},chat,{agents}\n" for agents in (1, 2) for language in ("en", "de"))
    (tiny_plan / "req.csv").write_text("start,language,channel,agents\n" + rows)
    frame = load_plan(tiny_plan).requirements.frame
    assert frame.to_dict("records") == [
        {"start": pd.Timestamp(f"2026-10-25T0{hour}:00Z"), "language": language, "channel": "chat",
         "agents": float(hour + 1)} for language in ("de", "en") for hour in (0, 1)]


def test_bad_cells_of_one_column_are_summarised_per_problem(tiny_plan: Path) -> None:
    """Tests a requirements column with six cells that are not numbers and six above 10,000: each problem shows its
    first five rows and one 'and 1 more' line (the out-of-range rows were counted into the first problem's
    summary, and never shown)."""
    rows = [f"2026-03-23T{h:02d}:00,en,chat,x{h}" for h in range(6)]
    rows += [f"2026-03-23T{h:02d}:00,en,chat,2000{h}" for h in range(6, 12)]
    (tiny_plan / "req.csv").write_text("start,language,channel,agents\n" + "\n".join(rows) + "\n")
    toml = (tiny_plan / "shiftplan.toml").read_text().replace('history = "history.csv"',
                                                              'history = ""\nrequirements = "req.csv"')
    (tiny_plan / "shiftplan.toml").write_text(toml)
    with pytest.raises(PlanError) as caught:
        load_plan(tiny_plan)
    lines = caught.value.report().splitlines()
    assert lines[0] == "The plan has 12 problems; nothing was written."
    assert sum("is not a number" in line for line in lines) == 5
    assert sum("is out of range" in line for line in lines) == 5
    assert lines.count("  req.csv, column agents: ... and 1 more row with the same problem") == 2


def test_history_past_the_horizons_start_is_warned(tiny_plan: Path) -> None:
    """Tests a history row dated after the horizon starts (a wrong year, say): a warning naming where the history
    ends (the end of its last hour) and that those rows are left out of the forecast; the plan stays valid (it
    was accepted without a word)."""
    with (tiny_plan / "history.csv").open("a", encoding="utf-8") as stream:
        stream.write("2027-03-23T09:00:00+00:00,en,chat,10,300\n")
    plan = load_plan(tiny_plan)
    texts = [problem.message for problem in plan.warnings]
    assert any(text.startswith("runs to 2027-03-23 10:00 UTC, past the horizon's start (2026-03-23 00:00 UTC)")
               for text in texts), texts


def test_template_starts_off_the_grid_in_an_agent_s_zone_are_a_warning(tiny_plan: Path) -> None:
    """Tests an agent in Asia/Kolkata (UTC+05:30) on the tiny plan's 60-minute grid (Lisbon, UTC+00:00 that week): the
    day template's starts 07:00 to 10:00 fall half an hour off the grid and are worked from the interval before, so
    the shift would start at 06:30, before the template's earliest start. One warning names the zone, the agent and
    the template; Manila (UTC+08:00) gets none, nor does the late template's 14:30 start of its 30-minute step, which
    the grid rounds onto its own 14:00."""
    agents = tiny_plan / "agents.csv"
    agents.write_text(agents.read_text(encoding="utf-8").replace("E3,Carla Reyes,Manila,Asia/Manila",
                                                                 "E3,Carla Reyes,Kolkata,Asia/Kolkata"),
                      encoding="utf-8")
    plan = load_plan(tiny_plan)
    assert [(w.file, w.column, w.value, w.message, w.fix) for w in plan.warnings] == [(
        "agents.csv", "time_zone", "Asia/Kolkata",
        "agents in Asia/Kolkata (E3) start the 'day' template 30 minutes off the plan's 60-minute grid: their shifts "
        "are rounded down onto it, so they start 30 minutes before the template's times (at 06:30 for 07:00)",
        "use a finer [plan] interval_minutes (30 fits), or starts on the grid in that zone")]


ODD_TEMPLATE = ('[[shift_templates]]\nname = "odd"\ncode = "O"\nstart_earliest = "01:00"\nstart_latest = "01:00"\n'
                'lengths_minutes = [480]\n\n[rules]')


@pytest.mark.parametrize(("first_day", "day", "start_utc", "message"), [
    # Lisbon goes forward from 01:00 (+00:00) to 02:00 (+01:00) on 2026-03-29: 01:00 is moved to 02:00 = 01:00 UTC
    ("2026-03-23", "2026-03-29", "2026-03-29T01:00Z",
     "template 'odd' starts at 01:00, which Europe/Lisbon skips on 2026-03-29: those shifts start at 02:00"),
    # and goes back from 02:00 (+01:00) to 01:00 (+00:00) on 2026-10-25: the first 01:00 is 00:00 UTC
    ("2026-10-19", "2026-10-25", "2026-10-25T00:00Z",
     "template 'odd' starts at 01:00, which happens twice in Europe/Lisbon on 2026-10-25: those shifts start at the "
     "first 01:00 (+01:00, summer time)"),
])
def test_a_template_start_the_clocks_skip_or_repeat_is_warned_as_the_scheduler_places_it(
        tiny_plan: Path, first_day: str, day: str, start_utc: str, message: str) -> None:
    """Tests the warning of a template start in the hour the clocks skip or repeat, and that it says where the
    scheduler's options put those shifts (it moved or chose them without a word)."""
    from scheduler.build import agent_options

    toml = (tiny_plan / "shiftplan.toml").read_text().replace("[rules]", ODD_TEMPLATE)
    (tiny_plan / "shiftplan.toml").write_text(toml.replace("first_day = 2026-03-23", f"first_day = {first_day}"))
    (tiny_plan / "time_off.csv").write_text("employee_id,start,end,kind,note\n")
    plan = load_plan(tiny_plan, with_history=False)
    assert [p.message for p in plan.warnings if "'odd'" in p.message] == [message]
    e2 = next(agent for agent in plan.agents if agent.employee_id == "E2")
    options, _ = agent_options(e2, plan, list(plan.config.shift_templates), [])
    d = (dt.date.fromisoformat(day) - plan.horizon.first_day).days
    (odd,) = [o for o in options if o.day == d and o.template == 2]
    assert plan.horizon.intervals_utc[odd.start] == pd.Timestamp(start_utc)


def test_template_lengths_off_the_grid_are_a_warning(tiny_plan: Path) -> None:
    """Tests a day template of 480 and 525 minutes on the tiny plan's 60-minute grid: a 525-minute shift ends 45
    minutes into its last interval, which coverage counts as worked in full: one warning, 15 minutes more."""
    toml = tiny_plan / "shiftplan.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("lengths_minutes = [480, 540]",
                                                             "lengths_minutes = [480, 525]"), encoding="utf-8")
    plan = load_plan(tiny_plan)
    assert [(w.file, w.column, w.message) for w in plan.warnings] == [(
        "shiftplan.toml", "shift_templates[0].lengths_minutes",
        "template 'day': shifts of 525 minutes end inside one of the plan's 60-minute intervals, and coverage counts "
        "the agent on duty for all of it (525 min: 15 min more than worked)")]


def test_a_history_listing_the_repeated_autumn_hour_once_is_warned_and_its_second_occurrence_is_unknown(
        tiny_plan: Path) -> None:
    """Tests a Lisbon history in local time without offsets, one row per clock hour and queue from 21 September to 1
    November 2026, where de/chat lists the 01:00 of 25 October twice (read as 00:00 and 01:00 UTC) and the other
    queues once (read as 00:00 UTC, summer time). Their second 01:00 (01:00 UTC, after the clocks go back) has no row:
    one warning names the file, the rows and the hour, and the history holds those four intervals as unknown, not as
    0 contacts (before: no word, and the forecast counted 0 contacts there)."""
    from tests.plan_factory import local_history_csv

    toml = tiny_plan / "shiftplan.toml"
    toml.write_text(toml.read_text().replace("first_day = 2026-03-23", "first_day = 2026-11-02"))
    (tiny_plan / "events.csv").write_text("name,kind,start,end,languages,channels,uplift_percent\n")
    (tiny_plan / "time_off.csv").write_text("employee_id,start,end,kind,note\n")
    (tiny_plan / "history.csv").write_text(local_history_csv("2026-09-21", "2026-11-01 23:00", twice=(("de", "chat"),)))
    plan = load_plan(tiny_plan)
    assert [warning.render() for warning in plan.warnings] == [
        "history.csv, column start: 4 rows list a time of the hour the plan's clock (Europe/Lisbon) shows twice as the "
        "clocks go back, 01:00-02:00 on 2026-10-25, and no row lists its second occurrence: rows 4087 "
        "(en/chat 2026-10-25T01:00), 4090 (en/phone 2026-10-25T01:00), 4091 (en/email 2026-10-25T01:00), 4092 "
        "(de/email 2026-10-25T01:00); each is read as the first (+01:00, summer time), and the second (+00:00, after "
        "the change) has no history: the forecast takes it as missing, not as 0 contacts. Fix: list each of those "
        "times twice, the first row for summer time and the second for after the change (as an ACD export lists "
        "them), or write the second with its offset (2026-10-25T01:00:00+00:00)."]
    assert plan.history.unknown.to_dict("records") == [
        {"start": pd.Timestamp("2026-10-25T01:00Z"), "language": language, "channel": channel}
        for language, channel in (("en", "chat"), ("en", "phone"), ("en", "email"), ("de", "email"))]
    chat = plan.history.frame[plan.history.frame["channel"] == "chat"]
    assert chat[chat["start"].between(pd.Timestamp("2026-10-25T00:00Z"), pd.Timestamp("2026-10-25T01:00Z"))][
        ["start", "language"]].to_dict("records") == [
        {"start": pd.Timestamp("2026-10-25T00:00Z"), "language": "de"},
        {"start": pd.Timestamp("2026-10-25T01:00Z"), "language": "de"},
        {"start": pd.Timestamp("2026-10-25T00:00Z"), "language": "en"}]


def test_a_15_minute_history_listing_part_of_the_repeated_hour_once_names_the_first_five_rows(tiny_plan: Path) -> None:
    """Tests a 15-minute Madrid history without offsets (Madrid goes back from 03:00 to 02:00 on 25 October 2026):
    en/chat lists 02:00 to 02:45 once, de/chat 02:00 and 02:15 twice, 02:30 once and 02:45 with its offsets (+02:00,
    +01:00), en/phone 02:00 once. en/chat's four quarters, de/chat's 02:30 and en/phone's 02:00 have no second
    occurrence: six rows, the first five listed, and their intervals (01:00 to 01:45 UTC, 01:30 UTC and 01:00 UTC)
    are unknown."""
    toml = tiny_plan / "shiftplan.toml"
    toml.write_text(toml.read_text().replace('time_zone = "Europe/Lisbon"', 'time_zone = "Europe/Madrid"', 1))
    rows = ([f"2026-10-25T02:{m:02d},en,chat,5" for m in (0, 15, 30, 45)]
            + [f"2026-10-25T02:{m:02d},de,chat,5" for m in (0, 15)] * 2
            + ["2026-10-25T02:30,de,chat,5", "2026-10-25T02:45:00+02:00,de,chat,5",
               "2026-10-25T02:45:00+01:00,de,chat,5", "2026-10-25T02:00,en,phone,5"])
    (tiny_plan / "history.csv").write_text("start,language,channel,contacts\n" + "\n".join(rows) + "\n")
    log = ProblemLog()
    config = read_config(tiny_plan, log)
    history = load_history(tiny_plan / "history.csv", "history.csv", config, log)
    assert [problem.render() for problem in log.problems] == [
        "history.csv, column start: 6 rows list a time of the hour the plan's clock (Europe/Madrid) shows "
        "twice as the clocks go back, 02:00-03:00 on 2026-10-25, and no row lists its second occurrence: rows 2 "
        "(en/chat 2026-10-25T02:00), 3 (en/chat 2026-10-25T02:15), 4 (en/chat 2026-10-25T02:30), 5 (en/chat "
        "2026-10-25T02:45), 10 (de/chat 2026-10-25T02:30), and 1 more; each is read as the first (+02:00, summer "
        "time), and the second (+01:00, after the change) has no history: the forecast takes it as missing, not as 0 "
        "contacts. Fix: list each of those times twice, the first row for summer time and the second for after the "
        "change (as an ACD export lists them), or write the second with its offset (2026-10-25T02:00:00+01:00)."]
    assert [(f"{r.start:%H:%M}", r.language, r.channel) for r in history.unknown.itertuples()] == [
        ("01:00", "en", "chat"), ("01:15", "en", "chat"), ("01:30", "en", "chat"), ("01:45", "en", "chat"),
        ("01:30", "de", "chat"), ("01:00", "en", "phone")]


def test_the_ids_and_contract_of_open_positions_are_the_scheduler_s(tiny_plan: Path) -> None:
    """Tests that the heads validation reserves (their ids, refused in the agents file, and their contract label) are
    those the scheduler makes (:func:`scheduler.build.open_position_agents`): the two must not drift apart."""
    from inputs.config import OPEN_POSITION_CONTRACT, is_open_position_contract
    from scheduler import build

    with (tiny_plan / "shiftplan.toml").open("a", encoding="utf-8") as toml:
        toml.write('\n[[open_positions]]\nprofile = "de chat"\nlanguages = ["de"]\nchannels = ["chat"]\n'
                   'templates = ["day"]\nmax_heads = 3\n')
    plan = load_plan(tiny_plan)
    heads = build.open_position_agents(plan)
    assert tuple(heads) == plan.config.open_positions[0].employee_ids() == (
        "OPEN-de chat-1", "OPEN-de chat-2", "OPEN-de chat-3")
    assert OPEN_POSITION_CONTRACT == build.OPEN_POSITION_CONTRACT
    assert {agent.contract for _, agent in heads.values()} == {OPEN_POSITION_CONTRACT}
    assert all(map(is_open_position_contract, ["open position", "Open Position", " open  POSITION ", "open_position",
                                               "open-position"]))
    assert not any(map(is_open_position_contract, ["", "FT40", "open", "open positions", "reopen position"]))
