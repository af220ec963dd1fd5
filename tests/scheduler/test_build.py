"""Building the scheduling problem from a plan: options in each agent's time zone, DST, time off, demand."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from inputs import load_plan
from scheduler.build import build_problem, demand_matrix


def _empty_requirements() -> pd.DataFrame:
    return pd.DataFrame({"start": pd.Series(dtype="datetime64[ns, UTC]"), "language": [], "channel": [],
                         "agents": []})


def test_options_follow_the_agent_clock_across_dst(tiny_plan: Path) -> None:
    """Tests that a 07:00 Lisbon start is 07:00 UTC on Sat 28 March and 06:00 UTC on Sun 29 March (summer time)."""
    plan = load_plan(tiny_plan)
    problem = build_problem(plan, _empty_requirements())
    e2 = next(a for a in problem.agents if a.employee_id == "E2")
    day_template = 0
    starts = {d: min(o.start for o in e2.options if o.template == day_template and o.day == d) for d in (5, 6)}
    # horizon starts Mon 23 March 00:00 Lisbon = 00:00 UTC; intervals are hours
    assert starts[5] == 5 * 24 + 7
    assert starts[6] == 6 * 24 + 6


def test_manila_agent_options_are_eight_hours_earlier_in_utc(tiny_plan: Path) -> None:
    """Tests that a Manila (UTC+8) 07:00 start on day 1 is 23:00 UTC on day 0."""
    plan = load_plan(tiny_plan)
    e3 = next(a for a in build_problem(plan, _empty_requirements()).agents if a.employee_id == "E3")
    assert min(o.start for o in e3.options if o.day == 1) == 24 + 7 - 8


def test_time_off_removes_options_and_shrinks_the_weekly_minimum(tiny_plan: Path) -> None:
    """Tests that E1's two days off (24-25 March) leave no option on days 1-2 and lower 32 h to 32*(1-2/5), the 40-hour
    contract's target and maximum to 24 h and its 5 days to 3."""
    plan = load_plan(tiny_plan)
    e1 = next(a for a in build_problem(plan, _empty_requirements()).agents if a.employee_id == "E1")
    assert {o.day for o in e1.options} == {0, 3, 4, 5, 6}
    assert e1.min_week_minutes == (int(32 * 60 * (1 - 2 / 5)),)
    assert e1.target_week_minutes == (int(40 * 60 * (1 - 2 / 5)),)  # a 40-hour contract under the 48-hour rule
    # the two days stand for two of the contract's 5 days: at most 3 days and 24 h are left (not 5 days and 40 h
    # on top of two paid days of vacation)
    assert e1.max_week_minutes == (24 * 60,)
    assert (e1.max_days_week, e1.max_days_in_week(0)) == ((3,), 3)


def test_a_training_that_leaves_no_shift_takes_the_day_and_its_hours(tiny_plan: Path) -> None:
    """Tests E3 (20 to 30 h, 4 days, 'day' shifts 07:00-15:00 Manila): the 4-hour training of 26 March (09:00-13:00)
    leaves no shift that day, so it takes one of the 4 days, and the minimum and target by a whole day (15 and 22.5
    h: they ask nothing of a day E3 cannot work), but the maximum by its 4 hours of a contract day's 7.5 (30 h / 4):
    30 * (1 - 4/7.5/4) = 26 h. Before, the maximum stayed 30 h and the days 4."""
    plan = load_plan(tiny_plan)
    e3 = next(a for a in build_problem(plan, _empty_requirements()).agents if a.employee_id == "E3")
    assert 3 not in {o.day for o in e3.options}
    assert (e3.min_week_minutes, e3.max_week_minutes, e3.target_week_minutes) == ((900,), (1560,), (1350,))
    assert (e3.max_days_week, e3.max_days_in_week(0)) == ((3,), 3)


def test_skill_groups_collect_agents_with_the_same_queues(tiny_plan: Path) -> None:
    """Tests that the five tiny agents form five skill groups with the queues their skills give."""
    plan = load_plan(tiny_plan)
    problem = build_problem(plan, _empty_requirements())
    names = {a.employee_id: [problem.queue_names[q] for q in problem.groups[a.group]] for a in problem.agents}
    assert names["E2"] == ["en/chat", "en/phone"]
    assert names["E5"] == ["en/email", "de/email"]


def test_demand_rounds_up_and_ignores_rows_outside_the_grid(tiny_plan: Path) -> None:
    """Tests that 2.2 agents need 3, 2.0 need 2, and rows outside the horizon are dropped."""
    plan = load_plan(tiny_plan)
    start = plan.horizon.start_utc
    requirements = pd.DataFrame({
        "start": [start, start + pd.Timedelta(hours=1), start - pd.Timedelta(hours=1)],
        "language": ["en", "en", "en"], "channel": ["chat", "chat", "chat"], "agents": [2.2, 2.0, 5.0]})
    demand = demand_matrix(requirements, plan)
    assert demand[0, :3].tolist() == [3, 2, 0]
    assert int(np.sum(demand)) == 5


def test_last_weeks_roster_hints_the_same_weekday_and_local_time(tiny_plan: Path) -> None:
    """Tests hints: last week's Monday 08-16 in Manila and Sunday 07-15 in Lisbon repeat this week; a dated one stays.

    Manila 08:00 on Mon 23 March is 00:00 UTC (interval 0); Lisbon 07:00 on Sun 29 March, the day
    summer time starts, is 06:00 UTC (interval 6·24 + 6); Wed 25 March 09:00-18:00 Lisbon is UTC.
    """
    toml = tiny_plan / "shiftplan.toml"
    toml.write_text(toml.read_text().replace('events = "events.csv"', 'events = "events.csv"\n'
                                              'hint_roster = "last_week.csv"'), encoding="utf-8")
    (tiny_plan / "last_week.csv").write_text(
        "employee_id,date,start,end,template\n"
        "E3,2026-03-16,08:00,16:00,day\n"
        "E2,2026-03-22,07:00,15:00,\n"
        "E2,2026-03-25,09:00,18:00,\n", encoding="utf-8")
    problem = build_problem(load_plan(tiny_plan), _empty_requirements())
    agents = {a.employee_id: a for a in problem.agents}
    e3, e2 = agents["E3"], agents["E2"]
    assert {d: (e3.options[o].start, e3.options[o].length) for d, o in e3.hint.items()} == {0: (0, 8)}
    assert {d: (e2.options[o].start, e2.options[o].length) for d, o in e2.hint.items()} == {
        2: (2 * 24 + 9, 9), 6: (6 * 24 + 6, 8)}


def test_a_pin_starting_after_the_horizon_is_ignored_as_validation_warns(tiny_plan: Path) -> None:
    """Tests a pin on the agent's last local day that starts after the plan's horizon: E2 in New York pinned on Sun
    29 March 22:00, which is 02:00 UTC on Monday, after the Lisbon horizon ends (23:00 UTC, summer time). The
    loader warns that it is ignored; the problem must ignore it too (it became an option past the horizon and the
    greedy failed with an IndexError, found by fuzzing the CLI)."""
    agents = tiny_plan / "agents.csv"
    agents.write_text(agents.read_text().replace("E2,Bruno Lima,Lisbon,Europe/Lisbon",
                                                 "E2,Bruno Lima,Lisbon,America/New_York"), encoding="utf-8")
    toml = tiny_plan / "shiftplan.toml"
    toml.write_text(toml.read_text().replace('events = "events.csv"', 'events = "events.csv"\n'
                                              'roster = "pinned.csv"'), encoding="utf-8")
    (tiny_plan / "pinned.csv").write_text("employee_id,date,start,end,template\nE2,2026-03-29,22:00,06:00,\n",
                                          encoding="utf-8")
    problem = build_problem(load_plan(tiny_plan), _empty_requirements())
    e2 = next(a for a in problem.agents if a.employee_id == "E2")
    assert e2.pinned == {}
    assert all(option.start < problem.num_intervals for option in e2.options)


def _kathmandu_e3(tiny_plan: Path, template: str) -> None:
    """Move E3 to Asia/Kathmandu (UTC+5:45) with one template."""
    agents = (tiny_plan / "agents.csv").read_text().replace("Manila,Asia/Manila,en,chat;email;phone,20,30,4,day",
                                                            f"Manila,Asia/Kathmandu,en,chat;email;phone,0,30,4,{template}")
    (tiny_plan / "agents.csv").write_text(agents)


def test_time_off_counts_against_a_shift_from_its_start_rounded_down_to_the_grid(tiny_plan: Path) -> None:
    """Tests E3 in Asia/Kolkata (UTC+5:30) with 'day' starting 07:00 (01:30 UTC, worked from 01:00 UTC on the
    60-minute grid) and time off until 07:00 local on 26 March (01:30 UTC): that shift overlaps it by half an hour,
    so it is no option (it was one, checked against 01:30, and the re-pinned roster then failed validation)."""
    agents = (tiny_plan / "agents.csv").read_text().replace("Manila,Asia/Manila,en,chat", "Manila,Asia/Kolkata,en,chat")
    (tiny_plan / "agents.csv").write_text(agents)
    (tiny_plan / "time_off.csv").write_text("employee_id,start,end,kind,note\nE3,2026-03-26T01:00,2026-03-26T07:00,"
                                            "other,\n")
    e3 = next(a for a in build_problem(load_plan(tiny_plan), _empty_requirements()).agents if a.employee_id == "E3")
    on_day = sorted(o.start - 3 * 24 for o in e3.options if o.day == 3)
    assert on_day and min(on_day) == 2  # 08:00 local (02:30 UTC, worked from 02:00); 07:00 (from 01:00) is gone
    assert sorted(o.start - 2 * 24 for o in e3.options if o.day == 2)[0] == 1  # the day before: 07:00 is an option


def test_two_shifts_pinned_on_one_date_find_their_options(tiny_plan: Path) -> None:
    """Tests E3 in Asia/Kathmandu with a midnight template (worked from 23:45 the day before, 18:00 UTC): the shifts
    file dates the template's 25 March shift 24 March, beside an untemplated 00:45-08:45 pin of 24 March, and
    writes 25 March as a day off (no shift starts then). Each pin gets its own option (day 1: the 00:45 shift from
    19:00 UTC; day 2: the template's, from 18:00 UTC on the 24th), and the day off does not undo day 2."""
    toml = (tiny_plan / "shiftplan.toml").read_text().replace("[rules]", (
        '[[shift_templates]]\nname = "mid"\ncode = "M"\nstart_earliest = "00:00"\nstart_latest = "00:00"\n'
        'lengths_minutes = [480]\n\n[rules]')).replace('events = "events.csv"',
                                                       'events = "events.csv"\nroster = "pinned.csv"')
    (tiny_plan / "shiftplan.toml").write_text(toml)
    _kathmandu_e3(tiny_plan, "mid")
    (tiny_plan / "pinned.csv").write_text("employee_id,date,start,end,template\nE3,2026-03-24,00:45,08:45,\n"
                                          "E3,2026-03-24,23:45,07:45,mid\nE3,2026-03-25,,,\n")
    e3 = next(a for a in build_problem(load_plan(tiny_plan), _empty_requirements()).agents if a.employee_id == "E3")
    assert sorted(e3.pinned) == [1, 2]
    first, second = (e3.options[e3.pinned[day]] for day in (1, 2))
    assert (first.start, first.length, first.template) == (19, 8, -1)
    assert (second.start, second.length, second.template) == (42, 8, 2)


def _pin_last_sunday(tiny_plan: Path, start: str, end: str) -> list[int]:
    """E2's (Lisbon, every template) option starts on the plan's first day, Mon 23 March, with a shift of Sun 22
    March pinned from ``start`` to ``end`` (last week's roster); the grid is hourly and starts at 00:00 UTC."""
    toml = tiny_plan / "shiftplan.toml"
    toml.write_text(toml.read_text().replace('events = "events.csv"', 'events = "events.csv"\n'
                                              'roster = "pinned.csv"'), encoding="utf-8")
    (tiny_plan / "pinned.csv").write_text(f"employee_id,date,start,end\nE2,2026-03-22,{start},{end}\n",
                                          encoding="utf-8")
    problem = build_problem(load_plan(tiny_plan), _empty_requirements())
    e2 = next(a for a in problem.agents if a.employee_id == "E2")
    assert e2.pinned == {}  # last week's shift is not planned
    assert {o.start - 24 for o in e2.options if o.day == 1} == {7, 8, 9, 10, 14, 15, 16}  # Tuesday: every start
    return sorted({o.start for o in e2.options if o.day == 0})


def test_a_shift_pinned_before_the_plan_keeps_the_rest_after_it(tiny_plan: Path) -> None:
    """Tests the 11-hour rest after last week's last shift: ending Sunday 22:00, E2 may start on Monday from 09:00,
    so the 'day' starts at 07:00 and 08:00 go, and 09:00, 10:00 and the 'late' 14:00 to 16:00 stay."""
    assert _pin_last_sunday(tiny_plan, "14:00", "22:00") == [9, 10, 14, 15, 16]


def test_a_shift_pinned_before_the_plan_ending_eleven_hours_before_leaves_every_start(tiny_plan: Path) -> None:
    """Tests the permitted case of the rest after last week: a shift ending Sunday 20:00 leaves Monday 07:00 on."""
    assert _pin_last_sunday(tiny_plan, "12:00", "20:00") == [7, 8, 9, 10, 14, 15, 16]


def test_a_night_pinned_before_the_plan_takes_the_first_day_s_starts(tiny_plan: Path) -> None:
    """Tests a night shift of Sunday into Monday 06:00: the next shift may start at 17:00, after every option."""
    assert _pin_last_sunday(tiny_plan, "22:00", "06:00") == []


def test_days_pinned_in_a_row_before_the_plan_are_counted(tiny_plan: Path) -> None:
    """Tests the days E2 worked in a row up to the plan (Mon 23 March), from last week's roster as pins: shifts on
    Thu 19 to Sun 22 March are 4; a pinned day off on Sat 21 leaves Sunday's 1; no pin on Sunday leaves 0."""
    toml = tiny_plan / "shiftplan.toml"
    toml.write_text(toml.read_text().replace('events = "events.csv"', 'events = "events.csv"\n'
                                              'roster = "pinned.csv"'), encoding="utf-8")

    def counted(rows: str) -> int:
        (tiny_plan / "pinned.csv").write_text("employee_id,date,start,end\n" + rows, encoding="utf-8")
        problem = build_problem(load_plan(tiny_plan), _empty_requirements())
        return next(a for a in problem.agents if a.employee_id == "E2").days_worked_before

    week = "".join(f"E2,2026-03-{day},08:00,16:00\n" for day in (19, 20, 21, 22))
    assert counted(week) == 4
    assert counted(week.replace("E2,2026-03-21,08:00,16:00", "E2,2026-03-21,,")) == 1
    assert counted("".join(f"E2,2026-03-{day},08:00,16:00\n" for day in (19, 20, 21))) == 0


def test_a_re_plan_calls_nobody_in_at_shorter_notice_than_the_rules_allow(tiny_plan: Path) -> None:
    """Tests ``[rules] min_notice_hours = 4`` on a re-plan from Wed 25 March 10:00 (Lisbon, UTC+0 then): E2's
    shifts that day may start at 10:00 ('day', 8 or 9 hours) or 14:00 to 16:00 ('late'); with 4 hours' notice
    nothing new starts before 14:00, but E2's published 10:00-18:00 stays (E2 knows it; it may still be dropped).
    Without the rule the 9-hour 10:00 shift, which nobody told E2 about, could be added at the moment of the
    re-plan."""
    import datetime as dt

    from inputs.records import KeptRoster

    (tiny_plan / "kept.csv").write_text("employee_id,date,start,end,template\nE2,2026-03-24,,,\n"
                                        "E2,2026-03-25,10:00,18:00,day\n",
                                        encoding="utf-8")
    keep = KeptRoster(tiny_plan / "kept.csv", dt.date(2026, 3, 25), dt.time(10, 0))

    def e2_starts() -> set[tuple[int, int]]:
        plan = load_plan(tiny_plan, keep=keep)
        e2 = next(a for a in build_problem(plan, _empty_requirements()).agents if a.employee_id == "E2")
        return {(o.start - 2 * 24, o.length) for o in e2.options if o.day == 2}

    assert e2_starts() == {(10, 8), (10, 9), (14, 8), (15, 8), (16, 8)}
    toml = tiny_plan / "shiftplan.toml"
    toml.write_text(toml.read_text().replace("min_rest_hours = 11", "min_rest_hours = 11\nmin_notice_hours = 4"))
    assert e2_starts() == {(10, 8), (14, 8), (15, 8), (16, 8)}
