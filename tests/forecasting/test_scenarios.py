"""What-if scenarios on hand-made frames: several apply and multiply, closed rows apart, windows inside a row."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.explain import scenario_lines
from forecasting.scenario import parse_scenarios, scenario_texts
from forecasting.scenario_apply import apply_scenarios, remove_scenarios

ZONE = "UTC"


def _frame(minutes: int, queues: tuple[str, ...] = ("en/chat", "ko/chat", "en/phone"),
           first: str = "2026-12-02 12:00", rows: int = 12) -> pd.DataFrame:
    """``rows`` rows of ``minutes`` from ``first`` (UTC) per queue, 10 contacts each (bounds 5 and 20)."""
    starts = pd.date_range(pd.Timestamp(first, tz="UTC"), periods=rows, freq=f"{minutes}min")
    parts = [pd.DataFrame({"start": starts, "language": queue.split("/")[0], "channel": queue.split("/")[1],
                           "contacts": 10.0, "contacts_lo80": 5.0, "contacts_hi80": 20.0, "aht_seconds": 300.0})
             for queue in queues]
    return pd.concat(parts, ignore_index=True)


def _value(frame: pd.DataFrame, queue: str, at: str, column: str = "contacts") -> float:
    language, channel = queue.split("/")
    row = frame[(frame["language"] == language) & (frame["channel"] == channel)
                & (frame["start"] == pd.Timestamp(at, tz="UTC"))]
    return float(row[column].iloc[0])


def test_every_scenario_applies_and_factors_multiply_where_they_meet() -> None:
    """Tests chat x4 over 15:00-21:00 with en x1.5 over 18:00-22:00 on hourly rows: en/chat 10 -> 40 at 15:00, 60 at
    18:00 (x6), 15 at 21:00 (en alone); en/phone 15 from 18:00; bounds too, AHT untouched (one --scenario of two was
    silently dropped before)."""
    scenarios = parse_scenarios(["chat +300% 2026-12-02T15:00/6h", "en +50% 2026-12-02T18:00/4h"])
    applied = apply_scenarios(_frame(60), scenarios, ZONE, minutes=60)
    out = applied.frame
    assert [_value(out, "en/chat", f"2026-12-02 {h}:00") for h in (14, 15, 17, 18, 20, 21, 22)] == \
        [10.0, 40.0, 40.0, 60.0, 60.0, 15.0, 10.0]
    assert [_value(out, "en/phone", f"2026-12-02 {h}:00") for h in (17, 18, 21, 22)] == [10.0, 15.0, 15.0, 10.0]
    assert _value(out, "ko/chat", "2026-12-02 15:00") == 40.0
    assert (_value(out, "en/chat", "2026-12-02 18:00", "contacts_hi80"),
            _value(out, "en/chat", "2026-12-02 18:00", "aht_seconds")) == (120.0, 300.0)
    assert [(s.queue, s.start.hour, s.end.hour, s.rows, s.factor) for s in applied.overlaps] == [
        ("en/chat", 18, 21, 3, 6.0)]
    chat, english = applied.effects
    assert [(s.queue, s.rows, s.factor) for s in chat.moved] == [("en/chat", 6, 4.0), ("ko/chat", 6, 4.0)]
    assert [(s.queue, s.rows) for s in english.moved] == [("en/chat", 4), ("en/phone", 4)]


def test_rows_closed_are_counted_apart_and_named() -> None:
    """Tests that rows of a queue closed throughout the window stay 0 and are not rows changed: 6 en/chat rows
    changed, ko/chat's 6 closed rows counted apart and ko/chat named closed (the metadata counted 36 rows changed
    on the hack plan where 24 had)."""
    frame = _frame(60)
    frame.loc[frame["language"] == "ko", "contacts"] = 0.0
    is_open = (frame["language"] != "ko").to_numpy()
    applied = apply_scenarios(frame, parse_scenarios(["chat +300% 2026-12-02T15:00/6h"]), ZONE, minutes=60,
                              is_open=is_open)
    effect = applied.effects[0]
    assert (effect.rows_changed, effect.rows_closed, effect.closed) == (6, 6, ("ko/chat",))
    assert applied.as_dict(ZONE, 30)["rows_changed"] == 6
    assert applied.as_dict(ZONE, 30)["rows_closed"] == 6
    assert applied.frame.loc[frame["language"] == "ko", "contacts"].sum() == 0.0


def test_a_window_on_the_half_hour_scales_exactly_its_half_hours() -> None:
    """Tests 'en/chat +300% 15:30/1h' on 30-minute rows: 15:30 and 16:00 x4, 15:00 and 16:30 untouched, no row cut;
    on hourly rows both hours it overlaps x4, each cut (it scaled 16:00-17:00 only, and left 15:30-16:00 alone)."""
    scenarios = parse_scenarios(["en/chat +300% 2026-12-02T15:30/1h"])
    grid = apply_scenarios(_frame(30, ("en/chat",), rows=24), scenarios, ZONE, minutes=30)
    assert [_value(grid.frame, "en/chat", f"2026-12-02 {t}") for t in ("15:00", "15:30", "16:00", "16:30")] == \
        [10.0, 40.0, 40.0, 10.0]
    assert (grid.effects[0].starts_inside, grid.effects[0].ends_inside) == (None, None)
    hourly = apply_scenarios(_frame(60, ("en/chat",)), scenarios, ZONE, minutes=60)
    assert [_value(hourly.frame, "en/chat", f"2026-12-02 {h}:00") for h in (14, 15, 16, 17)] == [10, 40, 40, 10]
    effect = hourly.effects[0]
    assert (effect.starts_inside, effect.ends_inside) == (pd.Timestamp("2026-12-02 15:00", tz="UTC"),
                                                          pd.Timestamp("2026-12-02 16:00", tz="UTC"))


def test_removing_the_hourly_scenarios_gives_the_forecast_back_on_its_intervals() -> None:
    """Tests that a half-hour split of a scenario forecast (chat x4 15:30-16:30, scaled on whole hours 15:00-17:00)
    divided hour by hour is the split of the forecast without it: 5 contacts per half hour again."""
    scenarios = parse_scenarios(["chat +300% 2026-12-02T15:30/1h", "en +100% 2026-12-02T16:00/1h"])
    hourly = apply_scenarios(_frame(60, ("en/chat",)), scenarios, ZONE, minutes=60).frame
    split = hourly.loc[hourly.index.repeat(2)].reset_index(drop=True)
    split["start"] = split["start"] + pd.to_timedelta(np.tile([0, 30], len(hourly)), unit="min")
    split["contacts"] = split["contacts"] / 2
    assert _value(split, "en/chat", "2026-12-02 16:30") == 40.0
    back = remove_scenarios(split, scenarios, ZONE)
    np.testing.assert_allclose(back["contacts"], 5.0)


def test_the_same_scenario_twice_and_zero_percent_are_refused() -> None:
    """Tests the two what-ifs that are always typing mistakes: one given twice (x16, not x4) and +0%."""
    with pytest.raises(ValueError, match=r"is given twice; every --scenario applies .* \(twice is x16\): give it once"):
        parse_scenarios(["chat +300% 2026-12-02T15:00/6h", "chat  +300%  2026-12-02T15:00/6h"])
    with pytest.raises(ValueError, match=r"changes nothing \(0%\); give a change such as \+60% or -25%"):
        parse_scenarios(["chat +0% 2026-12-02T15:00/6h"])


def test_a_selector_that_matches_no_queue_names_the_queues() -> None:
    """Tests the message for 'fr/chat': the scenario, the selector, how to write one, and the queues there are."""
    with pytest.raises(ValueError) as caught:
        apply_scenarios(_frame(60), parse_scenarios(["fr/chat +50% 2026-12-02T15:00/6h"]), ZONE, minutes=60)
    assert str(caught.value) == ("scenario 'fr/chat +50% 2026-12-02T15:00/6h': selector 'fr/chat' matches no queue; "
                                 "give a channel, a language, language/channel or *; the queues are en/chat, "
                                 "en/phone, ko/chat")


def test_scenario_lines_name_factor_queues_hours_closed_queues_and_overlaps() -> None:
    """Tests the printout of two scenarios on hourly rows: factor, queues and times on the plan's clock,
    queue-hours, the queue closed throughout, the cut hours, and where they meet."""
    frame = _frame(60)
    is_open = (frame["language"] != "ko").to_numpy()
    scenarios = parse_scenarios(["chat +300% 2026-12-02T15:00/6h", "en/chat +50% 2026-12-02T17:30/1h"])
    section = apply_scenarios(frame, scenarios, ZONE, minutes=60, is_open=is_open).as_dict(ZONE, 30)
    assert scenario_lines(section, ZONE) == [
        "scenarios applied (times on the plan's clock, UTC; where two meet on a queue, their factors multiply):",
        "  chat +300% 2026-12-02T15:00/6h: x4.00 on en/chat Wed 02 Dec 15:00-21:00 (6 queue-hours); ko/chat closed",
        "      throughout",
        "  en/chat +50% 2026-12-02T17:30/1h: x1.50 on en/chat Wed 02 Dec 17:00-19:00 (2 queue-hours); starts at 17:30,",
        "      inside 17:00-18:00 and ends at 18:30, inside 18:00-19:00: each hour scaled whole in this hourly "
        "forecast",
        "      (solve --scenario and requirements --scenario scale the plan's 30-minute intervals instead)",
        "  where they meet: en/chat Wed 02 Dec 17:00-19:00 x6.00"]
    assert scenario_texts({"scenario": section}) == [s.text for s in scenarios]
    assert scenario_texts({"scenario": {"text": "chat +60% 2026-12-03T12:00/6h", "rows_changed": 36}}) == [
        "chat +60% 2026-12-03T12:00/6h"]  # a scenario forecast of an older shiftplan
    assert scenario_lines(None, ZONE) == []
