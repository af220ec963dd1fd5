"""Tests of forecast_plan on the tiny plan: shape, DST days, scenario, planning grid."""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecasting import GridWarning, forecast_plan, parse_scenario, parse_scenarios, to_planning_grid
from forecasting.calendar import hourly_local, local_grid
from forecasting.settings import ForecastOptions
from inputs.plan_loader import load_plan
from tests.forecasting.forecast_helpers import FAST
from tests.plan_factory import write_tiny_plan


def test_plan_forecast_on_dst_week(tiny_plan: Path, fast_options: object) -> None:
    """Tests that the Lisbon week with the 23-hour 2026-03-29 gives 167 hourly rows per queue, phone all 10."""
    result = forecast_plan(load_plan(tiny_plan), n_jobs=1)
    frame = result.frame
    assert list(frame.columns) == ["start", "language", "channel", "contacts", "contacts_lo80", "contacts_hi80",
                                   "contacts_lo95", "contacts_hi95", "aht_seconds"]
    assert frame.groupby(["language", "channel"]).size().tolist() == [167] * 5
    local = pd.DatetimeIndex(frame["start"]).tz_convert("Europe/Lisbon")
    assert (pd.Series(local.date).value_counts().sort_index().tolist()) == [5 * 24] * 6 + [5 * 23]
    phone = frame[frame["channel"] == "phone"]  # e-mail is closed at night and at weekends (tests below)
    np.testing.assert_allclose(phone["contacts"], 10.0)
    np.testing.assert_allclose(frame["aht_seconds"], 300.0)
    assert set(result.selection["model"]) <= {"seasonal_naive", "profile_median", "profile_ewm"}


def test_fall_back_day_has_25_hours() -> None:
    """Tests that the 25-hour 2026-10-25 in Lisbon averages its repeated hour and the grid maps back 25 hours."""
    start = pd.Timestamp("2026-10-24 23:00", tz="UTC")
    utc = pd.date_range(start, periods=26, freq="h")
    frame = pd.DataFrame({"start": utc, "contacts": np.arange(26, dtype=float)})
    local = hourly_local(frame, "Europe/Lisbon", "contacts")
    assert len(local) == 25  # 00:00..23:00 of the 25th plus 00:00 and 01:00 of the 26th, 01:00 of the 25th once
    assert local[pd.Timestamp("2026-10-25 01:00")] == pytest.approx((1 + 2) / 2)  # 01:00 WEST and 01:00 WET
    grid = local_grid(pd.Timestamp("2026-10-25 00:00", tz="Europe/Lisbon").tz_convert("UTC"),
                      pd.Timestamp("2026-10-26 00:00", tz="Europe/Lisbon").tz_convert("UTC"), "Europe/Lisbon")
    assert len(grid) == 24  # the model grid has 24 local labels; the UTC frame maps 25 hours onto them


def test_plan_forecast_on_fall_back_week(tiny_plan: Path, fast_options: object) -> None:
    """Tests that the Lisbon week with the 25-hour 2026-10-25 gives 169 hourly UTC rows per queue, the repeated
    01:00 local hour forecast twice (two UTC hours, same value), and every phone hour 10 contacts."""
    import datetime as dt

    from tests.plan_factory import TOML, history_csv

    (tiny_plan / "shiftplan.toml").write_text(TOML.replace("first_day = 2026-03-23", "first_day = 2026-10-19"))
    (tiny_plan / "history.csv").write_text(history_csv(start=dt.datetime(2026, 9, 6, 23, tzinfo=dt.UTC)))
    frame = forecast_plan(load_plan(tiny_plan), n_jobs=1).frame
    assert frame.groupby(["language", "channel"]).size().tolist() == [169] * 5
    local = pd.DatetimeIndex(frame["start"]).tz_convert("Europe/Lisbon")
    assert pd.Series(local.date).value_counts().sort_index().tolist() == [5 * 24] * 6 + [5 * 25]
    chat = frame[(frame["language"] == "en") & (frame["channel"] == "chat")].set_index("start")["contacts"]
    repeated = chat[pd.Timestamp("2026-10-25 00:00", tz="UTC"):pd.Timestamp("2026-10-25 01:00", tz="UTC")]
    assert len(repeated) == 2 and repeated.iloc[0] == repeated.iloc[1]
    np.testing.assert_allclose(frame.loc[frame["channel"] == "phone", "contacts"], 10.0)


def test_spring_forward_hour_is_interpolated() -> None:
    """Tests that the skipped 01:00 of 2026-03-29 in Lisbon is filled from its neighbours, not left missing."""
    utc = pd.date_range(pd.Timestamp("2026-03-29 00:00", tz="UTC"), periods=3, freq="h")
    frame = pd.DataFrame({"start": utc, "contacts": [10.0, 20.0, 30.0]})
    local = hourly_local(frame, "Europe/Lisbon", "contacts")
    assert local.to_dict() == {pd.Timestamp("2026-03-29 00:00"): 10.0, pd.Timestamp("2026-03-29 01:00"): 15.0,
                               pd.Timestamp("2026-03-29 02:00"): 20.0, pd.Timestamp("2026-03-29 03:00"): 30.0}


def test_scenario_scales_selected_hours(tiny_plan: Path, fast_options: object) -> None:
    """Tests that 'chat +60% 2026-03-24T12:00/6h' multiplies exactly the 12 chat rows in the window by 1.6."""
    plan = load_plan(tiny_plan)
    base = forecast_plan(plan, n_jobs=1).frame
    what_if = forecast_plan(plan, n_jobs=1, scenarios=["chat +60% 2026-03-24T12:00/6h"]).frame
    changed = ~np.isclose(what_if["contacts"], base["contacts"])
    assert changed.sum() == 12
    assert set(what_if.loc[changed, "channel"]) == {"chat"}
    np.testing.assert_allclose(what_if.loc[changed, "contacts"], 1.6 * base.loc[changed, "contacts"])


def test_every_scenario_applies_and_only_open_rows_count_as_changed(tiny_plan: Path, fast_options: object) -> None:
    """Tests a hack on chat x4 and phone x3 over Tue 24 Mar 18:00-22:00 (Lisbon = UTC then), with email +50%: every
    one applies (only the last did before); email is open until 20:00, so of its 8 rows in the window 4 change and
    4 closed ones are counted apart (they were counted as changed), and metadata keeps each scenario's text."""
    plan = load_plan(tiny_plan)
    base = forecast_plan(plan, n_jobs=1).frame
    texts = ["chat +300% 2026-03-24T18:00/4h", "phone +200% 2026-03-24T18:00/4h", "email +50% 2026-03-24T18:00/4h"]
    result = forecast_plan(plan, n_jobs=1, scenarios=texts)
    window = (base["start"] >= pd.Timestamp("2026-03-24 18:00", tz="UTC")) & (
        base["start"] < pd.Timestamp("2026-03-24 22:00", tz="UTC"))
    ratio = (result.frame["contacts"] / base["contacts"])[window & (base["contacts"] > 0)]
    factors = base.loc[ratio.index, "channel"].map({"chat": 4.0, "phone": 3.0, "email": 1.5})
    np.testing.assert_allclose(ratio, factors)
    assert (result.frame.loc[~window, "contacts"] == base.loc[~window, "contacts"]).all()
    section = result.metadata["scenario"]
    assert section["texts"] == texts
    assert [(e["rows_changed"], e["rows_closed"], e["closed"]) for e in section["applied"]] == [
        (8, 0, []), (4, 0, []), (4, 4, [])]
    assert (section["rows_changed"], section["rows_closed"]) == (16, 4)


def test_a_scenario_that_would_change_nothing_is_refused_before_forecasting(tiny_plan: Path) -> None:
    """Tests the two ways a scenario changes nothing, each said with its fix: its window outside the plan's days,
    and its queues closed throughout it (email on Saturday)."""
    from forecasting.scenario_apply import check_scenarios

    plan = load_plan(tiny_plan)
    with pytest.raises(ValueError) as outside:
        forecast_plan(plan, n_jobs=1, scenarios=["chat +60% 2026-06-01T12:00/6h"])
    assert str(outside.value) == ("the scenario 'chat +60% 2026-06-01T12:00/6h' falls outside the plan's days "
                                  "(2026-03-23 for 1 week(s), on the plan's clock Europe/Lisbon), so it changes "
                                  "nothing. Give a start within the plan's days")
    with pytest.raises(ValueError) as closed:
        check_scenarios(plan, parse_scenarios(["email +50% 2026-03-28T12:00/2h"]), 60)
    assert str(closed.value) == ("the scenario 'email +50% 2026-03-28T12:00/2h' changes nothing: en/email, de/email "
                                 "closed throughout it (Sat 28 Mar 12:00 to Sat 28 Mar 14:00, Europe/Lisbon). Give a "
                                 "window when its queues are open, or other queues")


@pytest.mark.parametrize(("text", "message"), [
    ("chat 60% 2026-12-03T12:00", "not of the form SELECTOR PERCENT START/DURATION"),  # no duration
    ("chat +60% 2026-13-03T12:00/6h", "is not an ISO date-time"),  # month 13
    ("chat +60% 2026-12-03T12:00/6x", "is not a duration"),  # bad unit
    ("chat -100% 2026-12-03T12:00/6h", "above -100%"),  # volume would vanish
    ("Chat! +60% 2026-12-03T12:00/6h", "must be a channel, a language"),  # bad selector
])
def test_bad_scenarios(text: str, message: str) -> None:
    """Tests that malformed scenarios raise ValueError naming the faulty part."""
    with pytest.raises(ValueError, match=message):
        parse_scenario(text)


def test_scenario_parts() -> None:
    """Tests that a scenario parses into selector, factor and a UTC window in the plan's zone."""
    scenario = parse_scenario("en/chat +60% 2026-12-03T12:00/1h30m")
    assert (scenario.selector, scenario.factor) == ("en/chat", 1.6)
    assert scenario.window_utc("Europe/Berlin") == (pd.Timestamp("2026-12-03 11:00", tz="UTC"),
                                                    pd.Timestamp("2026-12-03 12:30", tz="UTC"))


def test_grid_even_split_warns(tiny_plan: Path, fast_options: object) -> None:
    """Tests that an hourly history splits each hour evenly into four 15-minute intervals, with a warning."""
    plan = load_plan(tiny_plan)
    frame = forecast_plan(plan, n_jobs=1).frame
    horizon = type(plan.horizon)(plan.horizon.first_day, 1, plan.horizon.time_zone, 15)
    with pytest.warns(GridWarning, match="history is hourly"):
        grid = to_planning_grid(frame, plan.history, horizon)
    assert len(grid) == 4 * len(frame)
    assert grid["contacts"].sum() == pytest.approx(frame["contacts"].sum())
    np.testing.assert_allclose(grid["contacts"].iloc[:4], frame["contacts"].iloc[0] / 4)


def test_grid_uses_intra_hour_shape() -> None:
    """Tests that a 15-minute history with a 1:2:3:4 shape splits a forecast hour of 100 into 10/20/30/40."""
    from inputs.records import History, Horizon

    starts = pd.date_range("2026-03-02", periods=4 * 24 * 7, freq="15min", tz="UTC")
    history = History(pd.DataFrame({"start": starts, "language": "en", "channel": "chat",
                                     "contacts": np.tile([1.0, 2.0, 3.0, 4.0], 24 * 7), "aht_seconds": 300.0}),
                      15, "interval")
    frame = pd.DataFrame({"start": [pd.Timestamp("2026-03-09 10:00", tz="UTC")], "language": ["en"],
                          "channel": ["chat"], "contacts": [100.0], "aht_seconds": [300.0]})
    horizon = Horizon(pd.Timestamp("2026-03-09").date(), 1, "UTC", 15)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grid = to_planning_grid(frame, history, horizon)
    assert grid["contacts"].tolist() == pytest.approx([10.0, 20.0, 30.0, 40.0])
    assert grid["start"].dt.minute.tolist() == [0, 15, 30, 45]


def test_history_running_into_the_horizon_is_cut_at_its_start(tiny_plan: Path, fast_options: object) -> None:
    """Tests a plan on Berlin time with the tiny history, which runs to midnight UTC: the horizon starts at 23:00
    UTC the day before, so the last hour of history is inside it. That hour is left out, with a note, and the week
    is forecast (before, the forecaster stopped with "the forecast must start after the history ends", which the
    plan's validation had passed; found by fuzzing the CLI)."""
    toml = tiny_plan / "shiftplan.toml"
    toml.write_text(toml.read_text().replace('time_zone = "Europe/Lisbon"', 'time_zone = "Europe/Berlin"', 1),
                    encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = forecast_plan(load_plan(tiny_plan), n_jobs=1)
    cut = "history rows from 2026-03-22 23:00 UTC on are inside the horizon and are not used"
    assert any(cut in warning for warning in result.warnings)
    assert result.frame.groupby(["language", "channel"]).size().tolist() == [167] * 5


def test_new_queue_history_starts_at_its_first_contact(tiny_plan: Path, fast_options: object) -> None:
    """Tests a new language: de/chat has rows only in the last two weeks (from 2026-03-09), one contact at 10:00
    and one at 15:00 a day. The four weeks before are not its history (they used to be filled with zeros, so it
    counted 6 weeks and was forecast from them): 2.0 weeks < min_history_weeks 4 give the documented fallback,
    seasonal naive, which the selection, the metadata and the printout name with the reason; it repeats the last
    week: 2 contacts a day, 14 over the week."""
    from shiftplan.summary import forecast_models

    history = tiny_plan / "history.csv"
    lines = history.read_text().splitlines()
    kept = [lines[0]]
    for line in lines[1:]:
        start, language, channel = line.split(",")[:3]
        if (language, channel) != ("de", "chat"):
            kept.append(line)
        elif start >= "2026-03-09":
            contacts = 1 if start[11:13] in ("10", "15") else 0
            kept.append(f"{start},de,chat,{contacts},300")
    history.write_text("\n".join(kept) + "\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = forecast_plan(load_plan(tiny_plan), n_jobs=1)
    reason = "history too short (2.0 weeks < min_history_weeks 4)"
    row = result.selection.set_index(["language", "channel"]).loc[("de", "chat")]
    assert (row["model"], row["fallback_reason"]) == ("seasonal_naive", reason)
    assert result.metadata["history"]["train_start_local"]["de/chat"] == "2026-03-09 00:00:00"
    assert f"de/chat: {reason}; falling back to seasonal naive" in result.warnings
    line = next(x for x in forecast_models(result.metadata).splitlines() if x.startswith("  de/chat"))
    assert line.split()[:2] == ["de/chat", "seasonal_naive"] and line.endswith(f"({reason})")
    de_chat = result.frame[(result.frame["language"] == "de") & (result.frame["channel"] == "chat")]
    assert de_chat["contacts"].sum() == pytest.approx(14.0)
    local = pd.DatetimeIndex(de_chat["start"]).tz_convert("Europe/Lisbon")
    assert sorted(set(local[de_chat["contacts"].to_numpy() > 0].hour)) == [10, 15]


def test_closed_hours_of_a_live_queue_are_zero_across_the_clock_change(tiny_plan: Path, fast_options: object) -> None:
    """Tests that en/phone, open 09:00-17:00 Manila time (01:00-09:00 UTC; the history has 10 calls in every hour,
    open or not), is forecast 10 in its 56 open hours of the Lisbon week and 0, with 0 bounds, in the other 111:
    01:00-08:00 on the plan's clock until Saturday, 02:00-09:00 on Sunday 29 March, when Lisbon moves to summer
    time and Manila does not (before, every hour was forecast 10)."""
    toml = tiny_plan / "shiftplan.toml"
    toml.write_text(toml.read_text().replace('max_abandon_percent = 5\n', 'max_abandon_percent = 5\n'
                                             'opening_hours = ["mon-sun 09:00-17:00"]\n'
                                             'opening_time_zone = "Asia/Manila"\n', 1))
    result = forecast_plan(load_plan(tiny_plan), n_jobs=1)
    phone = result.frame[result.frame["channel"] == "phone"]
    utc_hour = pd.DatetimeIndex(phone["start"]).hour
    is_open = (utc_hour >= 1) & (utc_hour < 9)
    assert (len(phone), is_open.sum()) == (167, 56)
    np.testing.assert_allclose(phone["contacts"], np.where(is_open, 10.0, 0.0))
    bounds = phone[["contacts_lo80", "contacts_hi80", "contacts_lo95", "contacts_hi95"]].to_numpy()
    assert (bounds[~is_open] == 0).all() and (bounds[is_open] > 0).any()
    local = pd.DatetimeIndex(phone["start"]).tz_convert("Europe/Lisbon")
    open_local = pd.Series(local[is_open].hour, index=local[is_open].date)
    assert open_local[pd.Timestamp("2026-03-28").date()].tolist() == list(range(1, 9))
    assert open_local[pd.Timestamp("2026-03-29").date()].tolist() == list(range(2, 10))
    assert result.metadata["closed_hours"]["en/phone"] == {"hours": 111, "contacts_carried": 0.0,
                                                           "contacts_dropped": 1110.0}


def test_closed_hours_of_a_deferred_queue_carry_their_contacts_to_the_opening(tiny_plan: Path,
                                                                             fast_options: object) -> None:
    """Tests that en/email, open mon-fri 08:00-20:00 (the history has 10 e-mails in every hour), is forecast 0 in its
    107 closed hours and that their e-mails wait for the next opening, as the deferred staffing treats them:
    Monday 08:00 gets the night's 8 hours (10 + 80 = 90), Tuesday to Friday 08:00 the 12 hours since 20:00
    (10 + 120 = 130), the other 55 open hours 10; the 51 hours after Friday 20:00 open no more inside the week and
    are left out: 1,160 of the 1,670 e-mails (before: 10 in every hour)."""
    result = forecast_plan(load_plan(tiny_plan), n_jobs=1)
    email = result.frame[(result.frame["language"] == "en") & (result.frame["channel"] == "email")]
    local = pd.DatetimeIndex(email["start"]).tz_convert("Europe/Lisbon")
    is_open = (local.day_of_week < 5) & (local.hour >= 8) & (local.hour < 20)
    want = np.where(is_open, 10.0, 0.0)
    want[is_open & (local.hour == 8)] += [80.0, 120.0, 120.0, 120.0, 120.0]
    np.testing.assert_allclose(email["contacts"], want)
    assert email["contacts"].sum() == pytest.approx(1160.0)
    bounds = email[["contacts_lo80", "contacts_hi80", "contacts_lo95", "contacts_hi95"]].to_numpy()
    assert (bounds[~is_open] == 0).all()
    assert result.metadata["closed_hours"]["en/email"] == {"hours": 107, "contacts_carried": 560.0,
                                                           "contacts_dropped": 510.0}


def madrid_phone_plan(folder: Path, first_day: str, opening: str, calls: Callable[[int], float], weeks: int = 6
                      ) -> Path:
    """The tiny plan on a UTC clock with en/phone open ``opening`` on Madrid's clock, and ``weeks`` weeks of history
    before ``first_day`` (a Monday) with ``calls(h)`` calls at Madrid hour ``h`` on en/phone (10 on every other
    queue)."""
    from tests.plan_factory import QUEUES

    toml = folder / "shiftplan.toml"
    toml.write_text(toml.read_text().replace('time_zone = "Europe/Lisbon"', 'time_zone = "UTC"', 1)
                    .replace("first_day = 2026-03-23", f"first_day = {first_day}", 1)
                    .replace('max_abandon_percent = 5\n', f'max_abandon_percent = 5\nopening_hours = ["{opening}"]\n'
                                                          'opening_time_zone = "Europe/Madrid"\n', 1))
    (folder / "events.csv").write_text("name,kind,start,end,languages,channels,uplift_percent\n")
    hours = pd.date_range(pd.Timestamp(first_day, tz="UTC") - pd.Timedelta(weeks=weeks),
                          pd.Timestamp(first_day, tz="UTC"), freq="h", inclusive="left")
    madrid = hours.tz_convert("Europe/Madrid").hour
    lines = ["start,language,channel,contacts,aht_seconds"]
    for stamp, hour in zip(hours.strftime("%Y-%m-%dT%H:%M:%S+00:00"), madrid, strict=True):
        lines.extend(f"{stamp},{language},{channel},{calls(hour) if channel == 'phone' else 10},300"
                     for language, channel in QUEUES)
    (folder / "history.csv").write_text("\n".join(lines) + "\n")
    return folder


def test_a_queue_on_its_own_clock_keeps_its_daily_shape_after_the_clock_change(tiny_plan: Path,
                                                                              fast_options: object) -> None:
    """Tests the audit's p7 in small: a UTC plan, en/phone open 08:00-20:00 in Madrid with 10 x (h - 7) calls at
    Madrid hour h (10 at 08:00 rising to 120 at 19:00), 6 weeks of history to Sunday 25 October 2026, whose last 23
    hours are in winter time (UTC+1). The week from Monday 26 October is all winter time: 07:00 UTC is 08:00 in Madrid
    (10 calls) and 18:00 UTC is 19:00 (120), every open hour 10 x (UTC hour + 1 - 7), the other hours 0. Before, the
    series was modelled on the plan's UTC clock, whose profile was summer time: 07:00 UTC got 20 (09:00's), 18:00
    UTC 0 (20:00, closed in summer) and 17:00 UTC 120, staffing the queue at its minimum in its busiest hour."""
    plan = madrid_phone_plan(tiny_plan, "2026-10-26", "mon-sun 08:00-20:00", lambda h: 10 * (h - 7) if 8 <= h < 20
                             else 0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = forecast_plan(load_plan(plan), n_jobs=1)
    phone = result.frame[result.frame["channel"] == "phone"].set_index("start")["contacts"]
    madrid_hour = phone.index.hour + 1  # UTC+1 all week
    np.testing.assert_allclose(phone, np.where((madrid_hour >= 8) & (madrid_hour < 20), 10.0 * (madrid_hour - 7), 0))
    monday = phone[pd.Timestamp("2026-10-26 06:00", tz="UTC"):pd.Timestamp("2026-10-26 19:00", tz="UTC")]
    assert monday.tolist() == pytest.approx([0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0, 110.0,
                                             120.0, 0.0])
    assert result.metadata["history"]["series_clock"]["en/phone"] == "Europe/Madrid"
    assert result.metadata["history"]["series_clock"]["en/chat"] == "UTC"


def test_a_queue_on_its_own_clock_gets_its_repeated_hour_twice_and_loses_its_skipped_hour(tiny_plan: Path,
                                                                                        fast_options: object) -> None:
    """Tests the mapping back to the plan's UTC hours across Madrid's clock changes, for en/phone open around the clock
    in Madrid with h + 1 calls at Madrid hour h, 6 weeks of summer-time history. Week of Sunday 25 October 2026:
    23:00 UTC on Saturday is 01:00 in Madrid (2 calls), 00:00 and 01:00 UTC are both 02:00 (3 calls each: the repeated
    hour forecast twice), 02:00 UTC is 03:00 (4); every UTC hour h before the change gets h + 2 + 1, after it
    h + 1 + 1. Before, the UTC-clock profile gave 01:00 UTC its summer 03:00 (4) and every hour after the change one
    too many. Week of Sunday 28 March 2027 (history to 21 March, winter time): 23:00 and 00:00 UTC are 00:00 and
    01:00 in Madrid (1, 2), 01:00 UTC is 03:00 in summer time (4 calls: Madrid's 02:00 is skipped), 02:00 UTC 04:00
    (5), and every UTC hour h from the change on h + 2 + 1."""
    for first_day, change in (("2026-10-19", "2026-10-25 01:00"), ("2027-03-22", "2027-03-28 01:00")):
        plan = madrid_phone_plan(write_tiny_plan(tiny_plan.parent / first_day), first_day, "mon-sun 00:00-24:00",
                                 lambda h: h + 1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = forecast_plan(load_plan(plan), n_jobs=1)
        phone = result.frame[result.frame["channel"] == "phone"].set_index("start")["contacts"]
        madrid_hour = phone.index.tz_convert("Europe/Madrid").hour
        np.testing.assert_allclose(phone, madrid_hour + 1.0)
        around = phone[pd.Timestamp(change, tz="UTC") - pd.Timedelta(hours=2):
                       pd.Timestamp(change, tz="UTC") + pd.Timedelta(hours=1)].tolist()
        assert around == pytest.approx([2.0, 3.0, 3.0, 4.0] if first_day == "2026-10-19" else [1.0, 2.0, 4.0, 5.0])


def test_a_holiday_covers_the_day_of_the_queues_own_clock(tiny_plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests Spain's public holidays on a UTC plan for en/phone, open around the clock in Madrid with h + 1 calls at
    Madrid hour h in 9 weeks of history from 5 October 2026, and half of that on Monday 12 October (Fiesta Nacional)
    of its clock, as every other queue (10) on that day of the UTC clock: every queue's holiday ratio is exactly 0.5
    (the expected value of an hour is its usual volume), and so is their median. The Immaculate
    Conception, Tuesday 8 December, is Madrid's day: 23:00 UTC on 7 December to 23:00 UTC on 8 December (winter
    time), whose 24 hours get (h + 1) x 0.5; 23:00 UTC on 8 December is 00:00 on Wednesday in Madrid (1 call). The
    metadata lists the holiday with those times on the plan's clock. Before, the holiday was the UTC day, an hour
    off the queue's."""
    monkeypatch.setattr(ForecastOptions, "from_config",
                        classmethod(lambda cls, settings: dataclasses.replace(FAST, holiday_countries=("ES",))))
    plan = madrid_phone_plan(tiny_plan, "2026-12-07", "mon-sun 00:00-24:00", lambda h: h + 1, weeks=9)
    history = plan / "history.csv"
    lines = history.read_text().splitlines()
    for i, line in enumerate(lines[1:], start=1):
        start, language, channel, contacts, aht = line.split(",")
        clock = pd.Timestamp(start).tz_convert("Europe/Madrid" if channel == "phone" else "UTC")
        if clock.date() == pd.Timestamp("2026-10-12").date():
            lines[i] = f"{start},{language},{channel},{int(contacts) / 2},{aht}"
    history.write_text("\n".join(lines) + "\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = forecast_plan(load_plan(plan), n_jobs=1)
    phone = result.frame[result.frame["channel"] == "phone"].set_index("start")["contacts"]
    madrid = phone.index.tz_convert("Europe/Madrid")
    holiday = madrid.normalize().tz_localize(None) == pd.Timestamp("2026-12-08")
    assert holiday.sum() == 24 and phone.index[holiday][0] == pd.Timestamp("2026-12-07 23:00", tz="UTC")
    np.testing.assert_allclose(phone, np.where(holiday, 0.5, 1.0) * (madrid.hour + 1.0))
    entry = result.metadata["events"]["en/phone"][0]
    assert {k: entry[k] for k in ("kind", "start_local", "end_local", "time_zone", "hours", "effect", "factor")} == {
        "kind": "public_holiday", "start_local": "2026-12-07 23:00", "end_local": "2026-12-08 23:00",
        "time_zone": "UTC", "hours": 24, "effect": "learned", "factor": 0.5}


def madrid_evening_history(days: pd.DatetimeIndex) -> object:
    """A 30-minute history of en/phone on Madrid's clock: on each of ``days`` (naive Madrid dates) 10 then 30 calls
    in the half hours of 17:00, 30 then 10 in those of 18:00 and 20 and 20 in those of 19:00, nothing else."""
    from inputs.records import History

    halves = {17: (10.0, 30.0), 18: (30.0, 10.0), 19: (20.0, 20.0)}
    naive = [day + pd.Timedelta(hours=hour, minutes=30 * half) for day in days for hour in halves for half in (0, 1)]
    calls = [halves[hour][half] for _ in days for hour in halves for half in (0, 1)]
    starts = pd.DatetimeIndex(naive).tz_localize("Europe/Madrid").tz_convert("UTC")
    return History(pd.DataFrame({"start": starts, "language": "en", "channel": "phone", "contacts": calls,
                                 "aht_seconds": 300.0}), 30, "interval")


@pytest.mark.parametrize(("plan_zone", "days", "hours", "want"), [
    # Madrid goes back from 03:00 (+02:00) to 02:00 (+01:00) on Sunday 25 October 2026 (01:00 UTC): on Saturday 24
    # 16:00 UTC is 18:00 in Madrid and 17:00 UTC 19:00; on Monday 26 16:00 UTC is 17:00 and 17:00 UTC 18:00
    ("UTC", pd.date_range("2026-10-18", "2026-10-31"), ["2026-10-24 16:00", "2026-10-24 17:00", "2026-10-26 16:00",
                                                 "2026-10-26 17:00"],
     [75, 25, 50, 50, 25, 75, 75, 25]),
    # Madrid goes forward from 02:00 (+01:00) to 03:00 (+02:00) on Sunday 29 March 2026 (01:00 UTC): on Saturday 28
    # 16:00 UTC is 17:00 in Madrid and 17:00 UTC 18:00; on Monday 30 16:00 UTC is 18:00 and 17:00 UTC 19:00
    ("UTC", pd.date_range("2026-03-22", "2026-04-04"), ["2026-03-28 16:00", "2026-03-28 17:00", "2026-03-30 16:00",
                                                 "2026-03-30 17:00"],
     [25, 75, 75, 25, 75, 25, 50, 50]),
    # a plan on Asia/Kolkata's clock (UTC+05:30): its hours start at half past in UTC and in Madrid; Saturday 24
    # October 16:30 UTC is 18:30 in Madrid (10 + 20 calls in the history), Monday 26 16:30 UTC 17:30 (30 + 30) and
    # 17:30 UTC 18:30
    ("Asia/Kolkata", pd.date_range("2026-10-18", "2026-10-31"), ["2026-10-24 16:30", "2026-10-26 16:30",
                                                                 "2026-10-26 17:30"],
     [100 / 3, 200 / 3, 50, 50, 100 / 3, 200 / 3]),
])
def test_grid_splits_each_hour_by_the_shape_of_the_queues_own_clock(plan_zone: str, days: pd.DatetimeIndex,
                                                                    hours: list[str], want: list[float]) -> None:
    """Tests the split into a UTC plan's 30-minute grid of en/phone, a Madrid queue (its series on Madrid's clock),
    from a history of a week on each side of a clock change with 10:30 calls in Madrid's 17:00 half hours, 30:10 at
    18:00 and 20:20 at 19:00: a forecast hour of 100 calls splits into 75 + 25 at Madrid's 18:00 on both sides of
    the change, 25 + 75 at 17:00 and 50 + 50 at 19:00. Before, the shares were those of the UTC hour, each a mix of
    two Madrid hours: 16:00 UTC 50 + 50 (a week of 18:00 and one of 17:00), 17:00 UTC 62.5 + 37.5 (19:00 and
    18:00), on either side. On a Kolkata plan, whose hours start at half past, the hour of Madrid's 18:30 splits
    1:2 on both sides (before, by the shares of Kolkata's hours, each a mix of two of Madrid's: 44.4 + 55.6 at
    Saturday's 18:30 and at Monday's 17:30, 60 + 40 at Monday's 18:30)."""
    from inputs.records import Horizon

    history = madrid_evening_history(days)
    starts = pd.DatetimeIndex(hours).tz_localize("UTC")
    frame = pd.DataFrame({"start": starts, "language": "en", "channel": "phone", "contacts": 100.0,
                          "aht_seconds": 300.0})
    horizon = Horizon(starts[0].date(), 1, plan_zone, 30)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grid = to_planning_grid(frame, history, horizon, clocks={("en", "phone"): "Europe/Madrid"})
    assert grid["contacts"].tolist() == pytest.approx(want)
    assert grid["start"].tolist() == [start + pd.Timedelta(minutes=m) for start in starts for m in (0, 30)]


def test_staffing_splits_a_madrid_queue_by_its_own_clock_in_the_week_of_the_change(tiny_plan: Path) -> None:
    """Tests requirements from a forecast file on a UTC plan with a 30-minute grid and en/phone open 08:00-20:00 in
    Madrid, whose 30-minute history (six weeks of summer time) has 10:30 calls in Madrid's 17:00 half hours, 30:10
    at 18:00 and 20:20 at 19:00. The forecast gives 100 calls at 16:00 and 17:00 UTC on Saturday 24 and Sunday 25
    October 2026; Madrid goes back an hour between them. Saturday's are Madrid's 18:00 and 19:00 (75 + 25, 50 + 50),
    Sunday's 17:00 and 18:00 (25 + 75, 75 + 25). Before, Sunday's took the summer shares of their UTC hours,
    18:00's and 19:00's: 75 + 25 and 50 + 50, the busy first half an hour late."""
    from shiftplan.demand import requirements_from_forecast
    from tests.plan_factory import QUEUES

    toml = tiny_plan / "shiftplan.toml"
    toml.write_text(toml.read_text().replace('time_zone = "Europe/Lisbon"', 'time_zone = "UTC"', 1)
                    .replace("first_day = 2026-03-23", "first_day = 2026-10-19", 1)
                    .replace("interval_minutes = 60", "interval_minutes = 30", 1)
                    .replace('max_abandon_percent = 5\n', 'max_abandon_percent = 5\nopening_hours = '
                             '["mon-sun 08:00-20:00"]\nopening_time_zone = "Europe/Madrid"\n', 1))
    (tiny_plan / "events.csv").write_text("name,kind,start,end,languages,channels,uplift_percent\n")
    (tiny_plan / "time_off.csv").write_text("employee_id,start,end,kind,note\n")
    phone = madrid_evening_history(pd.date_range("2026-09-07", "2026-10-18")).frame
    halves = pd.date_range("2026-09-07", "2026-10-19", freq="30min", inclusive="left", tz="UTC")
    others = pd.DataFrame([(start, language, channel, 10.0, 300.0) for start in halves
                           for language, channel in QUEUES if channel != "phone"], columns=phone.columns)
    history = pd.concat([phone, others]).sort_values("start")
    history["start"] = history["start"].dt.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    history.to_csv(tiny_plan / "history.csv", index=False)
    hours = pd.DatetimeIndex(["2026-10-24 16:00", "2026-10-24 17:00", "2026-10-25 16:00", "2026-10-25 17:00"],
                             tz="UTC")
    pd.DataFrame({"start": hours.strftime("%Y-%m-%dT%H:%M:%S+00:00"), "language": "en", "channel": "phone",
                  "contacts": 100.0, "aht_seconds": 300.0}).to_csv(tiny_plan / "forecast.csv", index=False)
    requirements, _ = requirements_from_forecast(load_plan(tiny_plan), forecast_file=tiny_plan / "forecast.csv")
    phone_rows = requirements[(requirements["channel"] == "phone") & (requirements["contacts"] > 0)]
    assert phone_rows["start"].tolist() == [hour + pd.Timedelta(minutes=m) for hour in hours for m in (0, 30)]
    assert phone_rows["contacts"].tolist() == pytest.approx([75, 25, 50, 50, 25, 75, 75, 25])


def test_an_unknown_interval_is_missing_on_every_clock_not_0() -> None:
    """Tests a history whose en/chat row at 01:00 UTC of 25 October 2026 is unknown (Lisbon's second 01:00 that an
    export listed once) among rows of 10 contacts from 23:00 to 02:00 UTC. On Lisbon's clock the repeated 01:00 keeps
    its first occurrence's 10 (the mean of the occurrences known); on Manila's, where 01:00 UTC is 09:00 and no
    other hour, 09:00 is missing (NaN) and 08:00 and 10:00 stay 10. Before, Manila's 09:00 was 0 contacts."""
    from forecasting.pipeline import _series_frames

    starts = pd.DatetimeIndex(["2026-10-24 23:00", "2026-10-25 00:00", "2026-10-25 02:00"], tz="UTC")
    frame = pd.DataFrame({"start": starts, "language": "en", "channel": "chat", "contacts": 10.0,
                          "aht_seconds": 300.0})
    unknown = pd.DataFrame({"start": [pd.Timestamp("2026-10-25 01:00", tz="UTC")], "language": ["en"],
                            "channel": ["chat"]})
    lisbon, _ = _series_frames(frame, "Europe/Lisbon", unknown=unknown)[("en", "chat")]
    assert lisbon.to_dict() == {pd.Timestamp("2026-10-25 00:00"): 10.0, pd.Timestamp("2026-10-25 01:00"): 10.0,
                                pd.Timestamp("2026-10-25 02:00"): 10.0}
    manila, aht = _series_frames(frame, "Asia/Manila", unknown=unknown)[("en", "chat")]
    assert manila.index.tolist() == list(pd.date_range("2026-10-25 07:00", "2026-10-25 10:00", freq="h"))
    assert manila.tolist()[:2] + manila.tolist()[3:] == [10.0, 10.0, 10.0] and np.isnan(manila.iloc[2])
    assert np.isnan(aht.iloc[2])


def test_the_forecast_fills_the_unknown_second_occurrence_of_a_repeated_hour_not_with_0(tiny_plan: Path,
                                                                                      fast_options: object) -> None:
    """Tests a Lisbon plan whose en/phone is on Manila's clock (opening_time_zone, open around the clock), with a
    history in Lisbon time without offsets, 10 contacts in every hour of every queue for six weeks to Sunday 25 October
    2026, listing its repeated 01:00 once: the second (01:00 UTC, 09:00 in Manila) is unknown. Every hour of the week
    from Monday 26 October is forecast 10 calls, bounds too: the unknown hour is filled like a gap. Before, it was 0
    calls at Manila's Sunday 09:00, and profile_ewm forecast that hour 6.01 (bounds 6.01 too)."""
    from tests.plan_factory import local_history_csv

    toml = tiny_plan / "shiftplan.toml"
    manila = 'max_abandon_percent = 5\nopening_time_zone = "Asia/Manila"\n'
    toml.write_text(toml.read_text().replace("first_day = 2026-03-23", "first_day = 2026-10-26")
                    .replace("max_abandon_percent = 5\n", manila, 1))
    (tiny_plan / "events.csv").write_text("name,kind,start,end,languages,channels,uplift_percent\n")
    (tiny_plan / "time_off.csv").write_text("employee_id,start,end,kind,note\n")
    (tiny_plan / "history.csv").write_text(local_history_csv("2026-09-14", "2026-10-25 23:00"))
    plan = load_plan(tiny_plan)
    assert len(plan.history.unknown) == 5
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = forecast_plan(plan, n_jobs=1)
    phone = result.frame[result.frame["channel"] == "phone"]
    assert len(phone) == 168
    np.testing.assert_allclose(phone[["contacts", "contacts_lo80", "contacts_hi80", "contacts_lo95",
                                      "contacts_hi95"]], 10.0)


def test_a_repeated_hour_partly_unknown_takes_its_known_occurrence() -> None:
    """Tests Lisbon's repeated 01:00 of 25 October 2026 from 15-minute rows of 10 contacts: the first occurrence (00:00
    to 01:00 UTC) all four quarters, the second (01:00 to 02:00 UTC) 01:00 and 01:15 and, unknown (NaN), 01:30 and
    01:45, which an export listed once. The hour is the first occurrence's 40; counting the second's known half it was
    the mean of 40 and 20, 30."""
    starts = pd.date_range("2026-10-25 00:00", periods=8, freq="15min", tz="UTC")
    frame = pd.DataFrame({"start": starts, "contacts": [10.0] * 6 + [np.nan] * 2})
    local = hourly_local(frame, "Europe/Lisbon", "contacts")
    assert local.to_dict() == {pd.Timestamp("2026-10-25 01:00"): 40.0}
