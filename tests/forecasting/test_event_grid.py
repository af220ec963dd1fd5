"""Tests that a holiday's or event's factor applies to the time it covers on the plan's grid, and how its bounds move.

Crypto-exchange maintenance windows and incidents often start on the half hour: an outage of 02:30-03:30 must move
the half hours 02:30 and 03:00 of a 30-minute plan, not the whole hours 02:00 and 03:00.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from plan_factory import half_hour_history_csv

from forecasting import forecast_plan, to_planning_grid
from forecasting.events import (
    Effect,
    EventSpan,
    FactorWindow,
    adjusted,
    adjustment_factors,
    covered_share,
    occurrence_ratios,
    slot_factors,
)
from forecasting.explain import event_lines
from inputs.plan_loader import load_plan
from shiftplan.demand import event_windows

OUTAGE = EventSpan("maintenance", pd.Timestamp("2026-03-25 02:30"), pd.Timestamp("2026-03-25 03:30"), -80.0,
                   "Short outage")


def test_an_interval_moves_by_the_share_of_it_an_event_covers() -> None:
    """Tests the rule 1 + s * (f - 1) for an outage of 02:30-03:30 at 0.2: on the half hours of 01:00-05:00 it moves
    02:30 and 03:00 by 0.2 and no other; on the hours, 02:00 and 03:00 by 1 + 0.5 * (0.2 - 1) = 0.6 each (before:
    0.2 each, a one-hour outage taking two hours); a 20-minute event (02:40-03:00) covers 2/3 of the half hour 02:30:
    1 + 2/3 * (0.2 - 1) = 0.4667."""
    hours = pd.date_range("2026-03-25 01:00", periods=4, freq="h")
    window = FactorWindow(OUTAGE.start, OUTAGE.end, 0.2)
    factors, spreads = slot_factors(hours, 30, [window], slots=2)
    np.testing.assert_allclose(factors, [[1.0, 1.0], [1.0, 0.2], [0.2, 1.0], [1.0, 1.0]])
    assert not spreads[80].any() and not spreads[95].any()
    np.testing.assert_allclose(slot_factors(hours, 60, [window])[0][:, 0], [1.0, 0.6, 0.6, 1.0])
    np.testing.assert_allclose(adjustment_factors(hours, frozenset(), (OUTAGE,), {}, 26)[0], [1.0, 0.6, 0.6, 1.0])
    short = covered_share(pd.DatetimeIndex([pd.Timestamp("2026-03-25 02:30")]), 30, pd.Timestamp("2026-03-25 02:40"),
                          pd.Timestamp("2026-03-25 03:00"))
    assert short.tolist() == pytest.approx([2 / 3])
    np.testing.assert_allclose(slot_factors(pd.DatetimeIndex(["2026-03-25 02:00"]), 30,
                                            [FactorWindow(pd.Timestamp("2026-03-25 02:40"),
                                                          pd.Timestamp("2026-03-25 03:00"), 0.2)], slots=2)[0],
                               [[1.0, 1 - 0.8 * 2 / 3]])


def test_overlapping_factors_multiply() -> None:
    """Tests two events on one half hour: a promotion x1.5 over the whole hour and the outage x0.2 on its second half
    give 1.5 and 0.3."""
    hour = pd.DatetimeIndex(["2026-03-25 02:00"])
    windows = [FactorWindow(pd.Timestamp("2026-03-25 00:00"), pd.Timestamp("2026-03-26 00:00"), 1.5),
               FactorWindow(OUTAGE.start, OUTAGE.end, 0.2)]
    np.testing.assert_allclose(slot_factors(hour, 30, windows, slots=2)[0], [[1.5, 0.3]])


def test_a_past_half_hour_event_is_learned_from_the_time_it_covered() -> None:
    """Tests the ratio of a past outage of 02:30-03:30 in hourly history: expected 10 an hour, actual 6 in each of
    02:00 and 03:00 (half of each hour at 0.2: 5 + 1). The ratio that, applied as the forecast applies it, gives the
    actual volume is 1 + (12 - 20) / (0.5 * 10 + 0.5 * 10) = 0.2; before, 12 / 20 = 0.6, three times the outage's
    effect. Over whole hours it is still actual / expected."""
    index = pd.date_range("2026-03-25 00:00", periods=6, freq="h")
    actual = np.array([10.0, 10.0, 6.0, 6.0, 10.0, 10.0])
    found = occurrence_ratios(actual, np.full(6, 10.0), index, frozenset(), [OUTAGE])
    assert [o.ratio for o in found] == pytest.approx([0.2])
    whole = EventSpan("maintenance", pd.Timestamp("2026-03-25 02:00"), pd.Timestamp("2026-03-25 04:00"))
    assert occurrence_ratios(actual, np.full(6, 10.0), index, frozenset(), [whole])[0].ratio == pytest.approx(0.6)


def test_bounds_move_with_the_factor_and_widen_by_a_learned_factors_spread() -> None:
    """Tests the interval rule on one hour of mean 10, 80% bounds 6 and 14, 95% bounds 2 and 18: a factor of 1.5
    multiplies all five (15; 9 and 21; 3 and 27), as a scenario does (before, the bounds were rebuilt around the
    scaled mean and widened less than the factor: the audit's social queues x1.4 wider under x1.72); with a spread of
    0.8 at 80% (a learned factor), each 80% bound's distance from the mean becomes sqrt((1.5 x 4)^2 + (10 x 0.8)^2) =
    10: 5 and 25, and a spread of 2 at 95% takes the lower bound below 0, so to 0: 15 +- sqrt((1.5 x 8)^2 + 20^2) =
    15 +- 23.32."""
    columns = {"mean": np.array([10.0]), "lo80": np.array([6.0]), "hi80": np.array([14.0]), "lo95": np.array([2.0]),
               "hi95": np.array([18.0])}
    factors = np.array([[1.5]])
    plain = adjusted(columns, factors, {80: np.zeros((1, 1)), 95: np.zeros((1, 1))})
    assert {k: v.tolist() for k, v in plain.items()} == {"mean": [15.0], "lo80": [9.0], "hi80": [21.0],
                                                        "lo95": [3.0], "hi95": [27.0]}
    widened = adjusted(columns, factors, {80: np.array([[0.8]]), 95: np.array([[2.0]])})
    assert widened["mean"].tolist() == [15.0]
    assert (widened["lo80"].tolist(), widened["hi80"].tolist()) == ([pytest.approx(5.0)], [pytest.approx(25.0)])
    assert (widened["lo95"].tolist(), widened["hi95"].tolist()) == ([0.0], [pytest.approx(15.0 + math.hypot(12, 20))])


def test_a_learned_factors_spread_is_the_prediction_interval_of_its_next_occurrence() -> None:
    """Tests the spread of a ratio learned from 5 occurrences 0.6, 0.8, 1.0, 1.2, 1.4 (median 1.0, standard deviation
    sqrt(0.1) = 0.3162): t(4, 0.90) x 0.3162 x sqrt(1 + 1/5) = 1.5332 x 0.3162 x 1.0954 = 0.5311 at 80%, t(4, 0.975)
    = 2.7764 gives 0.9618 at 95%; one occurrence tells no spread (0), and the evidence reads as counted."""
    effect = Effect(1.0, "channel", 5, 5, "phone", (0.6, 0.8, 1.0, 1.2, 1.4))
    assert effect.spread(80) == pytest.approx(1.533206 * math.sqrt(0.1) * math.sqrt(1.2), rel=1e-6)
    assert effect.spread(80) == pytest.approx(0.5311, abs=1e-4)
    assert effect.spread(95) == pytest.approx(0.9618, abs=1e-4)
    assert Effect(1.1, ratios=(1.1,)).spread(80) == 0.0
    assert effect.evidence() == "5 occurrences, 0.60 to 1.40"


def _half_hour_plan(folder: Path, minutes: int, events: str) -> Path:
    """The tiny plan on a ``minutes`` grid with a 30-minute history: 7 contacts in the first half of every hour and 3
    in the second (10 an hour), and the given events."""
    toml = folder / "shiftplan.toml"
    toml.write_text(toml.read_text().replace("interval_minutes = 60", f"interval_minutes = {minutes}"))
    (folder / "history.csv").write_text(half_hour_history_csv())
    (folder / "events.csv").write_text("name,kind,start,end,languages,channels,uplift_percent\n" + events)
    return folder


def _en_chat(frame: pd.DataFrame, first: str, periods: int, minutes: int) -> list[float]:
    rows = frame[(frame["language"] == "en") & (frame["channel"] == "chat")].set_index("start")
    starts = pd.date_range(pd.Timestamp(first, tz="UTC"), periods=periods, freq=f"{minutes}min")
    return rows.loc[starts, "contacts"].tolist()


def test_a_half_hour_outage_moves_the_half_hours_it_covers_on_a_30_minute_plan(tiny_plan: Path,
                                                                                fast_options: object) -> None:
    """Tests the audit's outage (en/chat, 02:30-03:30, -80%) on a 30-minute plan whose history puts 70% of each hour's
    10 contacts in its first half: the half hours 02:00-03:30 get 7, 0.2 x 3 = 0.6, 0.2 x 7 = 1.4 and 3 (the plan
    without the outage: 7, 3, 7, 3), and the hourly forecast file holds their sums, 7.6 and 4.4, bounds alike. Before,
    both whole hours were multiplied by 0.2 (2 and 2), split 1.4, 0.6, 1.4, 0.6: the intervals 02:00 and 03:30 lost 80%
    of their staffing although the outage does not cover them. The printed line keeps the outage's own times."""
    plan = load_plan(_half_hour_plan(tiny_plan, 30, "Short outage,maintenance,2026-03-25T02:30,2026-03-25T03:30,en,"
                                                    "chat,-80\n"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = forecast_plan(plan, n_jobs=1)
    hourly = result.frame
    assert _en_chat(hourly, "2026-03-25 01:00", 4, 60) == pytest.approx([10.0, 7.6, 4.4, 10.0])
    for bound in ("contacts_lo80", "contacts_hi95"):
        rows = hourly[(hourly["language"] == "en") & (hourly["channel"] == "chat")]
        np.testing.assert_allclose(rows[bound], rows["contacts"], atol=1e-9)  # a constant history: no spread
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grid = to_planning_grid(hourly, plan.history, plan.horizon, windows=event_windows(result.metadata))
    assert _en_chat(grid, "2026-03-25 01:30", 6, 30) == pytest.approx([3.0, 7.0, 0.6, 1.4, 3.0, 7.0])
    assert grid["contacts"].sum() == pytest.approx(hourly["contacts"].sum())
    assert event_lines(result.metadata)[1:] == [
        "  Short outage, Wed 25 Mar 02:30-03:30: en/chat x0.20 (uplift_percent)"]
    assert result.metadata["horizon"]["interval_minutes"] == 30


def test_a_half_hour_outage_moves_an_hourly_plans_hours_by_the_share_it_covers(tiny_plan: Path,
                                                                                fast_options: object) -> None:
    """Tests the same outage on an hourly plan: 02:00 and 03:00 each lose 80% of the half of the hour it covers, 10 x
    (1 + 0.5 x (0.2 - 1)) = 6 (before: 2 each)."""
    plan = load_plan(_half_hour_plan(tiny_plan, 60, "Short outage,maintenance,2026-03-25T02:30,2026-03-25T03:30,en,"
                                                    "chat,-80\n"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        hourly = forecast_plan(plan, n_jobs=1).frame
    assert _en_chat(hourly, "2026-03-25 01:00", 4, 60) == pytest.approx([10.0, 6.0, 6.0, 10.0])


def test_a_learned_maintenance_widens_its_bounds_by_the_spread_of_its_occurrences(tiny_plan: Path,
                                                                                   fast_options: object) -> None:
    """Tests a learned factor's bounds on the tiny plan (10 chats every hour, so the forecast's own intervals have no
    width): three past maintenance windows (02:00-04:00) with 15, 20 and 25 chats an hour (ratios 1.5, 2.0, 2.5) give
    the one of 25 March x2.0 (20 chats), and its bounds the spread of those ratios: 20 +- 10 x t(2, 0.90) x 0.5 x
    sqrt(4/3) = 20 +- 10.887 at 80% (9.113, 30.887) and 20 +- 24.841 at 95% (0, 44.841); the metadata keeps the
    ratios and the factor's intervals, and the line prints the count and the spread."""
    events = "".join(f"M{i},maintenance,2026-03-{day}T02:00,2026-03-{day}T04:00,en,chat,\n"
                     for i, day in enumerate(("04", "11", "18")))
    events += "Upgrade,maintenance,2026-03-25T02:00,2026-03-25T04:00,en,chat,\n"
    (tiny_plan / "events.csv").write_text("name,kind,start,end,languages,channels,uplift_percent\n" + events)
    history = tiny_plan / "history.csv"
    busy = {"2026-03-04": 15, "2026-03-11": 20, "2026-03-18": 25}
    history.write_text("\n".join(
        f"{line.split(',')[0]},en,chat,{busy[line[:10]]},300" if line[:10] in busy and line[11:13] in ("02", "03")
        and ",en,chat," in line else line for line in history.read_text().splitlines()) + "\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = forecast_plan(load_plan(tiny_plan), n_jobs=1)
    chat = result.frame[(result.frame["language"] == "en") & (result.frame["channel"] == "chat")]
    row = chat[chat["start"] == pd.Timestamp("2026-03-25 02:00", tz="UTC")].iloc[0]
    u80 = 1.885618 * 0.5 * math.sqrt(4 / 3)
    u95 = 4.302653 * 0.5 * math.sqrt(4 / 3)
    assert row["contacts"] == pytest.approx(20.0)
    assert (row["contacts_lo80"], row["contacts_hi80"]) == (pytest.approx(20 - 10 * u80, rel=1e-5),
                                                            pytest.approx(20 + 10 * u80, rel=1e-5))
    assert (row["contacts_lo95"], row["contacts_hi95"]) == (0.0, pytest.approx(20 + 10 * u95, rel=1e-5))
    entry = result.metadata["events"]["en/chat"][0]
    assert entry["learned_from"]["ratios"] == [1.5, 2.0, 2.5]
    assert (entry["factor_lo80"], entry["factor_hi80"]) == (pytest.approx(2 - u80, abs=1e-4),
                                                            pytest.approx(2 + u80, abs=1e-4))
    assert event_lines(result.metadata)[1:] == [
        "  Upgrade, Wed 25 Mar 02:00-04:00: en/chat x2.00 (own history: 3 occurrences, 1.50 to 2.50)"]
