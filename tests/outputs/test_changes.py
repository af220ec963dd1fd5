"""Tests a re-plan's changes: why a dropped shift was dropped, and the order the changes take effect in.

The reasons are checked on micro-instances of :mod:`tests.scheduler.test_rules` (one agent, a week of 08:00-16:00
options on a 60-minute grid from Mon 23 March 2026), each derived by hand; the order on rows as a solve writes them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from outputs.changes import CHANGE_FIELDS, change_text, drop_reason, in_time_order, takes_effect
from scheduler.problem import ProblemData
from tests.scheduler.test_rules import agent, demand_hours, problem, shift

MONDAY = dt.date(2026, 3, 23)


def _week(max_days: int = 7, max_hours: int = 48, extra: tuple = (), max_consecutive: int = 6,
          **published: int) -> ProblemData:
    """One agent A with an 08:00-16:00 option on each of 7 days (options 0-6) and ``extra`` options after them,
    published on the days of ``published`` (``d3=3``: day 3's option 3; -1 a day off)."""
    a = agent("A", [shift(day, 8) for day in range(7)] + list(extra), max_hours=max_hours, max_days=max_days)
    a = replace(a, published={int(key[1:]): option for key, option in published.items()})
    return problem(demand_hours(7, (0, 8, 16)), [a], days=7, max_consecutive=max_consecutive)


MON_TO_FRI = {"d0": 0, "d1": 1, "d2": 2, "d3": 3, "d4": 4, "d5": -1, "d6": -1}


@pytest.mark.parametrize(("max_days_week", "published", "worked", "says"), [
    ((), MON_TO_FRI, {0: 0, 1: 1, 2: 2, 4: 4, 5: 5}, "works Sat 28 Mar instead: 5 days a week"),
    # a day of time off that week: it allows 4, and the published Mon-Thu fit them
    ((4,), {**MON_TO_FRI, "d4": -1}, {0: 0, 1: 1, 2: 2, 5: 5}, "works Sat 28 Mar instead: 4 days that week, its time "
                                                                "off counted"),
    # the published 5 broke the 4 already (a time off entered since): the drop may be for that, so nothing is said
    ((4,), MON_TO_FRI, {0: 0, 1: 1, 2: 2, 5: 5}, ""),
    # Thursday and Friday dropped for Saturday: either alone beside Mon, Tue, Wed and Sat fits the 5 days
    ((), MON_TO_FRI, {0: 0, 1: 1, 2: 2, 5: 5}, ""),
])
def test_a_drop_for_the_week_s_days(max_days_week: tuple, published: dict, worked: dict, says: str) -> None:
    """Tests A, re-planned to work Saturday and not Thursday: with the published week within its days (Mon-Fri, 5
    days a week), keeping Thursday beside the new roster would be a sixth day, so the drop says so."""
    data = _week(max_days=5, **published)
    data = replace(data, agents=(replace(data.agents[0], max_days_week=max_days_week),))
    changes = {3: "dropped", 5: "added", **({4: "dropped"} if 4 not in worked and published["d4"] >= 0 else {})}
    assert drop_reason(data, 0, 3, worked, changes, MONDAY) == says


def test_a_drop_for_the_week_s_hours() -> None:
    """Tests A on a 40-hour week, published Mon-Fri 8 h, whose Friday is moved to a 10-hour shift (option 7) and
    Thursday dropped: the new week is 8 + 8 + 8 + 10 = 34 h, and Thursday's 8 h beside it would be 42 h, above 40."""
    data = _week(max_hours=40, extra=(shift(4, 8, 10),), **MON_TO_FRI)
    worked = {0: 0, 1: 1, 2: 2, 4: 7}
    assert drop_reason(data, 0, 3, worked, {3: "dropped", 4: "moved"}, MONDAY) == \
        "works Fri 27 Mar instead: 40 paid h that week"


def test_a_drop_for_the_rest_between_shifts() -> None:
    """Tests A published Thursday 08:00-16:00 and Wednesday off, re-planned to a Wednesday night 22:00-06:00 (option
    7): Thursday's shift would start 2 h after it ends, below the 11 h rest."""
    data = _week(extra=(shift(2, 22),), d2=-1, d3=3)
    assert drop_reason(data, 0, 3, {2: 7}, {2: "added", 3: "dropped"}, MONDAY) == \
        "works Wed 25 Mar instead: 11 h rest between shifts"


def test_a_drop_for_the_days_in_a_row() -> None:
    """Tests A on a 56-hour week, published Mon-Fri and Sunday, re-planned to work Saturday and not Sunday: Mon-Sat
    is 6 days in a row, the most, and Sunday would be a seventh (48 h and 7 days a week leave room for it)."""
    data = _week(max_hours=56, d0=0, d1=1, d2=2, d3=3, d4=4, d5=-1, d6=6)
    worked = {0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 5}
    assert drop_reason(data, 0, 6, worked, {5: "added", 6: "dropped"}, MONDAY) == \
        "works Sat 28 Mar instead: 6 days in a row"


@pytest.mark.parametrize(("worked", "changes"), [
    ({0: 0, 1: 1, 2: 2, 4: 4}, {3: "dropped"}),  # nothing added or moved in its week: the search's choice
    ({0: 0, 1: 1, 2: 2, 4: 4, 5: 5}, {3: "dropped", 5: "added"}),  # room for Thursday beside Saturday: no rule
])
def test_no_reason_is_made_up(worked: dict, changes: dict) -> None:
    """Tests A published Mon-Fri on a 7-day, 48-hour week: a drop alone, or beside an added Saturday that the week's
    days, hours, rest and days in a row all leave room for, gets no reason."""
    assert drop_reason(_week(**MON_TO_FRI), 0, 3, worked, changes, MONDAY) == ""


def _row(employee: str, date: str, published: str, now: str, kind: str, published_start: str = "",
         new_start: str = "", reason: str = "") -> list[str]:
    return [employee, employee.lower(), date, published, now, kind, "Asia/Manila", published_start, new_start,
            reason]


def test_changes_in_the_order_they_take_effect() -> None:
    """Tests the order of a re-plan's changes: by the earlier of the published and the new start (the plan's clock,
    with its offset), whatever the agent or local date; a row of a result saved before the starts were written
    (six columns) after them, in its own order."""
    rows = [_row("E1", "2026-12-03", "16:00-00:30", "off", "dropped", "2026-12-03T08:00:00+00:00"),
            _row("E2", "2026-12-02", "off", "23:00-07:30", "added", "", "2026-12-02T15:00:00+00:00"),
            ["E0", "e0", "2026-12-01", "off", "09:00-17:00", "added"],
            _row("E3", "2026-12-03", "07:00-15:30", "07:30-16:00", "moved", "2026-12-02T23:00:00+00:00",
                 "2026-12-02T23:30:00+00:00")]
    assert [row[0] for row in in_time_order(rows)] == ["E2", "E3", "E1", "E0"]
    assert str(takes_effect(rows[3])) == "2026-12-02 23:00:00+00:00"
    assert takes_effect(rows[2]) is None
    assert len(rows[0]) == len(CHANGE_FIELDS)


def test_a_dropped_shift_says_why_in_its_change() -> None:
    """Tests the change as the sheet gives it: the kind, and the reason in brackets when there is one."""
    assert change_text(_row("E1", "2026-12-05", "11:00-19:30", "off", "dropped",
                            reason="works Wed 02 Dec instead: 5 days a week")) == \
        "dropped (works Wed 02 Dec instead: 5 days a week)"
    assert change_text(_row("E1", "2026-12-05", "11:00-19:30", "off", "dropped")) == "dropped"
    assert change_text(["E0", "e0", "2026-12-01", "off", "09:00-17:00", "added"]) == "added"
