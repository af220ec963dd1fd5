"""An agent's weekly limits with time off counted against the contract, on hand-derived values."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from inputs.config import LabourRules
from inputs.records import Agent, Horizon, TimeOff
from scheduler.week_limits import paid_leave_minutes, time_off_credits, week_limits

RULES = LabourRules(min_days_off_per_week=2, weekly_max_hours=48)


def _agent(min_hours: float = 32, max_hours: float = 40, days: int = 5, zone: str = "UTC") -> Agent:
    return Agent("E1", "Ana", "Lisbon", zone, ("en",), ("chat",), min_hours, max_hours, days, ("day",))


def test_two_days_of_vacation_leave_three_days_and_24_hours_of_a_40_hour_week() -> None:
    """Tests a 32-40 h, 5-day contract with Monday and Tuesday on vacation: each day is 1/5 of the week, so the
    minimum is 32 * 3/5 = 19.2 h (1,152 min), the target and the maximum 40 * 3/5 = 24 h, and 3 working days are
    left (before, 5 days and 40 h beside the two paid days)."""
    limits = week_limits(_agent(), RULES, 1, {0: 1.0, 1: 1.0}, set(), {}, {})
    assert (limits.min_minutes, limits.max_minutes, limits.target_minutes, limits.max_days) == (
        (1152,), (1440,), (1440,), (3,))
    # no time off: the contract as it is, the days its 5 and the plan's 7 - 2 allow
    plain = week_limits(_agent(), RULES, 1, {}, set(), {}, {})
    assert (plain.min_minutes, plain.max_minutes, plain.target_minutes, plain.max_days) == (
        (1920,), (2400,), (2400,), (5,))


def test_without_a_contract_below_the_plan_the_hours_cap_stays_and_the_days_shrink() -> None:
    """Tests an agent whose maximum is the plan's 48 h (no contract of their own): the plan's maximum caps hours
    worked and does not shrink, and there is no target; the two days still take two of the 5 working days."""
    limits = week_limits(_agent(min_hours=0, max_hours=48), RULES, 1, {0: 1.0, 1: 1.0}, set(), {}, {})
    assert (limits.max_minutes, limits.target_minutes, limits.max_days) == ((2880,), (0,), (3,))


def test_pinned_shifts_stand_against_time_off_entered_after_them() -> None:
    """Tests a kept roster's Monday to Wednesday (three 8-hour shifts, 1,440 paid minutes) and sick leave from
    Thursday to Sunday (4 days): time off alone would leave 5 - 4 = 1 day and 40 * 1/5 = 8 h, which the kept shifts
    already exceed; the week keeps them and allows no more (3 days, 24 h), instead of an infeasible plan."""
    pinned = {0: 480, 1: 480, 2: 480}
    limits = week_limits(_agent(), RULES, 1, {3: 1.0, 4: 1.0, 5: 1.0, 6: 1.0}, set(), {}, pinned)
    assert (limits.max_minutes, limits.max_days) == ((1440,), (3,))
    # pins above the contract's own limits are not let through: the week stays at 5 days and 40 h
    six = {d: 480 for d in range(6)}
    over = week_limits(_agent(), RULES, 1, {6: 1.0}, set(), {}, six)
    assert (over.max_minutes, over.max_days) == ((2400,), (5,))


def test_days_a_re_plan_keeps_unlisted_shrink_the_minimum_but_not_the_maximum() -> None:
    """Tests two days before a re-plan's cut that the kept roster does not list for the agent (new to it): the
    minimum and target shrink by 2/5 (1,152 and 1,440 minutes) so as not to ask for hours the agent cannot work, but
    the maximum and the days stay (40 h, 5 days): the agent took no time off."""
    limits = week_limits(_agent(), RULES, 1, {}, {0, 1}, {}, {})
    assert (limits.min_minutes, limits.max_minutes, limits.target_minutes, limits.max_days) == (
        (1152,), (2400,), (1440,), (5,))


def test_a_kept_shift_cut_short_shrinks_the_week_by_the_minutes_it_lost() -> None:
    """Tests a kept shift that a sick call cut 300 paid minutes short: minimum 1,920 - 300, target and maximum
    2,400 - 300, and the day is still a worked day (5 days)."""
    limits = week_limits(_agent(), RULES, 1, {}, set(), {2: 300}, {2: 180})
    assert (limits.min_minutes, limits.max_minutes, limits.target_minutes, limits.max_days) == (
        (1620,), (2100,), (2100,), (5,))


def test_part_of_a_day_counts_its_hours_up_to_a_contract_day() -> None:
    """Tests the credits on the agent's own clock (Asia/Manila, UTC+8) over a 40-hour, 5-day contract (8-hour
    contract days): a 4-hour training 09:00-13:00 Manila is 0.5 of a day; a vacation of the whole local day is 1;
    time off from 20:00 UTC to 04:00 UTC, 04:00-12:00 Manila, is 8 hours of that local day: 1."""
    horizon = Horizon(dt.date(2026, 3, 23), 1, "UTC", 60)
    manila = _agent(zone="Asia/Manila")

    def utc(text: str) -> pd.Timestamp:
        return pd.Timestamp(text, tz="UTC")

    absences = [TimeOff("E1", utc("2026-03-23T01:00"), utc("2026-03-23T05:00"), "training", False),
                TimeOff("E1", utc("2026-03-23T16:00"), utc("2026-03-24T16:00"), "vacation", True),
                TimeOff("E1", utc("2026-03-25T20:00"), utc("2026-03-26T04:00"), "sick", False)]
    assert time_off_credits(manila, horizon, absences, {0, 1, 3}) == {0: 0.5, 1: 1.0, 3: 1.0}
    # the training alone: 4 of 8 hours, the week shrinks by half a day of 5
    limits = week_limits(manila, RULES, 1, {0: 0.5}, set(), {}, {})
    assert (limits.max_minutes, limits.max_days) == ((2160,), (4,))


def test_a_re_plan_starts_from_the_published_roster_less_what_new_time_off_leaves_no_room_for() -> None:
    """Tests the start of a re-plan whose agent, published Monday to Friday (five 8-hour shifts), has since been given
    the weekend as vacation: the week now allows 3 days (5 less 2), so the start keeps the published Monday to
    Wednesday and leaves out Thursday and Friday, the latest, instead of the checker refusing the whole published
    roster as a start (the re-plan then started from a fresh greedy roster: 98 changed agent-days for 28). A pinned
    day is never left out."""
    from dataclasses import replace

    from scheduler.stage_results import published_shifts
    from tests.scheduler.test_rules import agent, demand_hours, problem, shift

    options = [shift(d, 8) for d in range(5)]
    member = replace(agent("A", options, max_days=5), published={d: d for d in range(5)}, max_days_week=(3,))
    start = published_shifts(problem(demand_hours(7), [member], days=7))
    assert start is not None and start[0] == {0: [0, 1, 2]}
    pinned = replace(member, pinned={4: 4})  # Friday pinned (kept): Wednesday and Thursday go instead
    start = published_shifts(problem(demand_hours(7), [pinned], days=7))
    assert start is not None and start[0] == {0: [0, 1, 4]}


def test_overtime_raises_the_week_by_its_hours_and_days_and_marks_where_it_starts() -> None:
    """Tests 8 hours and 1 day of overtime on a 32-40 h, 5-day contract with the plan's 2 days off a week: the
    maximum is 40 + 8 = 48 h (2,880 min), the days 5 + 1 = 6, the sixth on one of the plan's two days off (a call-in
    on a rest day); overtime starts above the contract's 2,400 minutes; the minimum and the target stay. Two days of
    overtime still leave one day off (6, not 7); a plan that asks no day off allows the seventh."""
    limits = week_limits(_agent(), RULES, 1, {}, set(), {}, {}, 8.0, 1)
    assert (limits.min_minutes, limits.max_minutes, limits.target_minutes, limits.max_days,
            limits.overtime_from_minutes) == ((1920,), (2880,), (2400,), (6,), (2400,))
    assert week_limits(_agent(), RULES, 1, {}, set(), {}, {}, 8.0, 2).max_days == (6,)
    no_off = LabourRules(min_days_off_per_week=0, weekly_max_hours=48)
    assert week_limits(_agent(days=6), no_off, 1, {}, set(), {}, {}, 8.0, 1).max_days == (7,)


def test_overtime_never_passes_the_plans_weekly_maximum_and_counts_from_the_week_less_its_time_off() -> None:
    """Tests 12 hours of overtime on a 40 h contract under the plan's 48 h: the week stops at 48 h (2,880 min), not
    52. With two vacation days the contract's week is 24 h (1,440 min), overtime starts there and the week may reach
    24 + 12 = 36 h (2,160 min), with 5 + 1 - 2 = 4 days."""
    capped = week_limits(_agent(), RULES, 1, {}, set(), {}, {}, 12.0, 0)
    assert (capped.max_minutes, capped.overtime_from_minutes) == ((2880,), (2400,))
    one_off = LabourRules(min_days_off_per_week=1, weekly_max_hours=48)
    vacation = week_limits(_agent(), one_off, 1, {0: 1.0, 1: 1.0}, set(), {}, {}, 12.0, 1)
    assert (vacation.max_minutes, vacation.max_days, vacation.overtime_from_minutes) == ((2160,), (4,), (1440,))


def test_no_overtime_without_a_contract_below_the_plan_or_without_hours_and_days() -> None:
    """Tests that an agent at the plan's 48 h has no overtime (their week is the plan's: no extra day either), and
    that overtime of 0 hours and 0 days is none: no overtime marks, the limits of the contract."""
    free = week_limits(_agent(min_hours=0, max_hours=48), RULES, 1, {}, set(), {}, {}, 8.0, 1)
    assert (free.max_minutes, free.max_days, free.overtime_from_minutes) == ((2880,), (5,), ())
    none = week_limits(_agent(), RULES, 1, {}, set(), {}, {}, 0.0, 0)
    assert (none.max_minutes, none.overtime_from_minutes) == ((2400,), ())


def test_overtime_until_a_day_allows_it_in_the_weeks_up_to_that_day_s_only() -> None:
    """Tests a two-week plan with overtime in its first week only (``[rules] overtime_until`` in week 1): week 1
    gets 40 + 8 h and 6 days with overtime from 2,400 minutes; week 2 keeps the contract (2,400 minutes, 5 days; its
    overtime mark at its maximum, so no minute of it is overtime)."""
    limits = week_limits(_agent(), RULES, 2, {}, set(), {}, {}, 8.0, 1, overtime_weeks=1)
    assert (limits.max_minutes, limits.max_days, limits.overtime_from_minutes) == (
        (2880, 2400), (6, 5), (2400, 2400))
    none = week_limits(_agent(), RULES, 2, {}, set(), {}, {}, 8.0, 1, overtime_weeks=0)
    assert (none.max_minutes, none.max_days, none.overtime_from_minutes) == ((2400, 2400), (5, 5), ())


def test_paid_leave_is_a_contract_day_a_credited_day_and_at_most_the_contract_week() -> None:
    """Tests the paid leave of a 40 h, 5-day contract (480-minute days): a whole week of vacation pays Monday to
    Friday (2,400, the contract week) and the weekend nothing; half a day credited pays 240; a kept shift's 90 lost
    minutes are paid as they are; an agent at the plan's 48 h (no contract) is paid none."""
    week = {day: 1.0 for day in range(7)}
    assert paid_leave_minutes(_agent(), RULES, week, {}) == {day: 480 for day in range(5)}
    assert paid_leave_minutes(_agent(), RULES, {8: 0.5}, {9: 90}) == {8: 240, 9: 90}
    assert paid_leave_minutes(_agent(min_hours=0, max_hours=48), RULES, week, {}) == {}
