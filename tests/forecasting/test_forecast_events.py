"""Tests that events and holidays shift the forecast where they should, and only there."""

from __future__ import annotations

import dataclasses
import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecasting import forecast_plan
from forecasting.events import HOLIDAY, Effect, EventSpan, Occurrence, resolve_effects
from forecasting.explain import event_lines
from forecasting.series_forecast import SeriesResult, SeriesTask, forecast_series
from forecasting.settings import ForecastOptions
from inputs.plan_loader import load_plan
from tests.forecasting.forecast_helpers import FAST, synthetic


def run(spans: tuple[EventSpan, ...], model: str, values: np.ndarray | None = None) -> pd.DataFrame:
    index, y, _ = synthetic(weeks=9)
    y = y if values is None else values
    future = pd.date_range(index[-1] + pd.Timedelta(hours=1), periods=168, freq="h")
    options = ForecastOptions(models=(model,), backtest_folds=2)
    task = SeriesTask(("en", "chat"), index, y, np.full(len(y), 300.0), future, frozenset(), spans, 300.0, options)
    return forecast_series(task).frame


def test_uplift_scales_event_hours_only() -> None:
    """Tests that a future listing with uplift_percent=50 multiplies exactly its six hours by 1.5."""
    span = EventSpan("listing", pd.Timestamp("2026-03-11 12:00"), pd.Timestamp("2026-03-11 18:00"), 50.0)
    base, lifted = run((), "profile_median"), run((span,), "profile_median")
    inside = (base.index >= span.start) & (base.index < span.end)
    np.testing.assert_allclose(lifted["contacts"][inside], 1.5 * base["contacts"][inside])
    np.testing.assert_allclose(lifted["contacts"][~inside], base["contacts"][~inside])


@pytest.mark.parametrize("model", ["profile_median", "sarimax"])
def test_learned_event_effect(model: str) -> None:
    """Tests that past listings doubling volume (no uplift given) lift a future listing by 1.6-2.4x (the learned
    ratio, whatever the model) and leave other hours within 5%."""
    index, y, _ = synthetic(weeks=9)
    past = []
    for day in ("2026-01-14", "2026-01-29", "2026-02-10", "2026-02-19", "2026-02-26"):
        start = pd.Timestamp(f"{day} 10:00")
        past.append(EventSpan("listing", start, start + pd.Timedelta(hours=4)))
        y[(index >= start) & (index < start + pd.Timedelta(hours=4))] *= 2.0
    future = EventSpan("listing", pd.Timestamp("2026-03-11 10:00"), pd.Timestamp("2026-03-11 14:00"))
    base = run(tuple(past), model, y)
    lifted = run((*past, future), model, y)
    inside = (base.index >= future.start) & (base.index < future.end)
    ratio = lifted["contacts"][inside].sum() / base["contacts"][inside].sum()
    assert 1.6 < ratio < 2.4
    np.testing.assert_allclose(lifted["contacts"][~inside], base["contacts"][~inside], rtol=0.05)


def run_result(model: str, values: np.ndarray, index: pd.DatetimeIndex, spans: tuple[EventSpan, ...] = (),
               holidays: frozenset = frozenset()) -> SeriesResult:
    """Forecast the week after ``index`` with ``model`` kept whatever the backtest says."""
    future = pd.date_range(index[-1] + pd.Timedelta(hours=1), periods=168, freq="h")
    options = ForecastOptions(models=(model,), default_model=model, switch_t=math.inf, max_bias=math.inf,
                              backtest_folds=2)
    task = SeriesTask(("en", "chat"), index, values, np.full(len(values), 300.0), future, holidays, spans, 300.0,
                      options)
    return forecast_series(task)


def run_frame(model: str, values: np.ndarray, index: pd.DatetimeIndex, spans: tuple[EventSpan, ...] = (),
              holidays: frozenset = frozenset()) -> pd.DataFrame:
    """:func:`run_result`'s forecast frame."""
    return run_result(model, values, index, spans, holidays).frame


def run_long(model: str, values: np.ndarray, index: pd.DatetimeIndex, spans: tuple[EventSpan, ...] = (),
             holidays: frozenset = frozenset()) -> pd.Series:
    """:func:`run_result`'s contacts."""
    return run_frame(model, values, index, spans, holidays)["contacts"]


#: Five past listings of 4 hours, 11 to 18 weeks before the end of a 20-week history: inside train_weeks (26),
#: before SARIMAX's 8-week window (from 2026-03-30), where its listing indicator is therefore all zero.
OLD_LISTINGS = ("2026-01-21", "2026-02-04", "2026-02-12", "2026-02-25", "2026-03-12")


@pytest.mark.parametrize("model", ["profile_median", "sarimax", "combo_profile_sarimax"])
def test_listing_learned_before_the_sarimax_window_moves_every_model(model: str) -> None:
    """Tests that past listings that doubled volume, all older than SARIMAX's 8-week window, lift a future listing
    by the ratio learned from the history (about 2: actual / robust expected of each listing, median over the five)
    whatever the model: one factor in each of its 4 hours, every other hour unchanged. SARIMAX dropped the all-zero
    indicator and left the listing at 1.00x (the combination at about 1.5x)."""
    index, y, _ = synthetic(weeks=20)
    past = []
    for day in OLD_LISTINGS:
        start = pd.Timestamp(f"{day} 10:00")
        past.append(EventSpan("listing", start, start + pd.Timedelta(hours=4)))
        y[(index >= start) & (index < start + pd.Timedelta(hours=4))] *= 2.0
    future = EventSpan("listing", pd.Timestamp("2026-05-27 10:00"), pd.Timestamp("2026-05-27 14:00"))
    base = run_long(model, y, index, tuple(past))
    lifted = run_long(model, y, index, (*past, future))
    inside = (base.index >= future.start) & (base.index < future.end)
    ratio = (lifted[inside] / base[inside]).to_numpy()
    assert 1.9 < ratio[0] < 2.1
    np.testing.assert_allclose(ratio, ratio[0])
    np.testing.assert_allclose(lifted[~inside], base[~inside])


@pytest.mark.parametrize("model", ["profile_median", "sarimax", "combo_profile_sarimax"])
def test_holiday_learned_before_the_sarimax_window_moves_every_model(model: str) -> None:
    """Tests that a public holiday at 30% of the usual volume 14 weeks back (before SARIMAX's 8-week window) brings
    a future holiday down to about 0.3 times the forecast without it, with every model; SARIMAX left it at 1.00x."""
    index, y, _ = synthetic(weeks=20)
    past_day = pd.Timestamp("2026-02-18")  # a Wednesday
    y[index.normalize() == past_day] *= 0.3
    future_day = pd.Timestamp("2026-05-27")  # the Wednesday of the forecast week
    base = run_long(model, y, index, holidays=frozenset({past_day.date()}))
    lowered = run_long(model, y, index, holidays=frozenset({past_day.date(), future_day.date()}))
    inside = base.index.normalize() == future_day
    assert 0.27 < lowered[inside].sum() / base[inside].sum() < 0.33
    np.testing.assert_allclose(lowered[~inside], base[~inside])


def test_metadata_says_which_events_move_the_forecast(tiny_plan: Path, fast_options: object) -> None:
    """Tests that the metadata lists each event in the horizon per queue with the factor applied and where it comes
    from, its times on the plan's clock (named) and the hours of the horizon it covers, all open: the tiny plan's
    en/chat listing its uplift_percent (+40%: 1.4), a promotion of a kind never seen in any queue's history no
    effect, said in words (before, only a warning in the log said so)."""
    events = tiny_plan / "events.csv"
    events.write_text(events.read_text() + "Spring promo,promotion,2026-03-26T10:00,2026-03-26T14:00,en,chat,\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = forecast_plan(load_plan(tiny_plan), n_jobs=1)
    unseen = ("no uplift_percent and no past promotion while a queue was open in the last 26 weeks of history "
              "(train_weeks) to learn from; the forecast ignores it")
    assert result.metadata["events"]["en/chat"] == [
        {"name": "Token listing", "kind": "listing", "start_local": "2026-03-25 12:00", "end_local": "2026-03-25 18:00",
         "time_zone": "Europe/Lisbon", "start_utc": "2026-03-25T12:00:00+00:00", "end_utc": "2026-03-25T18:00:00+00:00",
         "hours": 6, "open_hours": 6, "effect": "uplift_percent", "factor": 1.4},
        {"name": "Spring promo", "kind": "promotion", "start_local": "2026-03-26 10:00",
         "end_local": "2026-03-26 14:00", "time_zone": "Europe/Lisbon", "start_utc": "2026-03-26T10:00:00+00:00",
         "end_utc": "2026-03-26T14:00:00+00:00", "hours": 4, "open_hours": 4, "effect": "none", "factor": 1.0,
         "note": unseen},
    ]
    assert "en/phone" not in result.metadata["events"]  # no event in its horizon
    assert any(unseen in warning for warning in result.metadata["warnings"])


def occurrence(kind: str, ratio: float, queue: tuple[str, str], end: str = "2026-03-01 04:00") -> Occurrence:
    """One past occurrence of ``kind`` in ``queue`` with the given ratio."""
    return Occurrence(kind, pd.Timestamp(end), ratio, queue)


def test_a_kind_with_too_few_own_occurrences_takes_the_ratio_of_its_channel_then_of_all_queues() -> None:
    """Tests the order of sources for en/chat (at least MIN_OCCURRENCES = 3): its three holidays (0.5, 0.6, 0.8) are
    its own evidence, median 0.6; its one listing (1.1) is too few, so the listings of the chat queues give it (1.1
    with de/chat's 1.5 and fr/chat's 1.7: median 1.5 over 3 queues; en/phone's 3.0 is another channel); no chat
    queue had maintenance, so every queue's gives it although only 2 (no source has 3: the first with any; 2.0 and
    2.4: 2.2); a promotion that ended after the backtest origin is not seen, nor is en/chat's own entry in the pool
    (its own occurrences come from its own history)."""
    chat, phone = ("en", "chat"), ("en", "phone")
    own = [occurrence(HOLIDAY, 0.5, chat), occurrence(HOLIDAY, 0.6, chat), occurrence(HOLIDAY, 0.8, chat),
           occurrence("listing", 1.1, chat)]
    pooled = [occurrence("listing", 1.5, ("de", "chat")), occurrence("listing", 1.7, ("fr", "chat")),
              occurrence("listing", 3.0, phone), occurrence("maintenance", 2.0, phone),
              occurrence("maintenance", 2.4, ("de", "phone")), occurrence("listing", 9.0, chat),
              occurrence("promotion", 1.3, ("de", "chat"), end="2026-03-20 00:00")]
    effects = resolve_effects(own, pooled, chat, before=pd.Timestamp("2026-03-16 00:00"))
    assert effects == {HOLIDAY: Effect(0.6, "own", 3, 1, "", (0.5, 0.6, 0.8)),
                       "listing": Effect(1.5, "channel", 3, 3, "chat", (1.1, 1.5, 1.7)),
                       "maintenance": Effect(2.2, "all", 2, 2, "", (2.0, 2.4))}
    assert [effects[k].describe() for k in (HOLIDAY, "listing", "maintenance")] == [
        "own history, 3 occurrences, 0.50 to 0.80", "pooled over 3 queues of the chat channel, 3 occurrences, 1.10 to "
        "1.70", "pooled over 2 queues of all channels, 2 occurrences, 2.00 to 2.40"]
    # with nothing pooled, a single occurrence of its own is still used
    assert resolve_effects(own[3:], [], chat)["listing"] == Effect(1.1, "own", 1, 1, "", (1.1,))
    assert resolve_effects(own[3:], [], chat)["listing"].describe() == "own history, 1 occurrence, 1.10"


def test_a_queue_that_starts_late_takes_the_maintenance_ratio_of_its_channel(tiny_plan: Path,
                                                                            fast_options: object) -> None:
    """Tests a new queue: de/chat's history starts on 16 February, after the two maintenance windows of 10 and 12
    February (02:00-04:00, chat), in which en/chat had 20 contacts an hour instead of 10 (ratio 2.0 each). The
    maintenance of 25 March 02:00-05:00 lifts en/chat to 20 from its own history (2 occurrences: fewer than
    MIN_OCCURRENCES, but no other queue has more) and de/chat to 20 from en/chat's (pooled over the chat channel);
    every other hour stays 10. Before, de/chat had no maintenance of its own to learn
    from and was left at 10, listed as no effect."""
    (tiny_plan / "events.csv").write_text(
        "name,kind,start,end,languages,channels,uplift_percent\n"
        "Maintenance A,maintenance,2026-02-10T02:00,2026-02-10T04:00,,chat,\n"
        "Maintenance B,maintenance,2026-02-12T02:00,2026-02-12T04:00,,chat,\n"
        "Upgrade,maintenance,2026-03-25T02:00,2026-03-25T05:00,,chat,\n")
    history = tiny_plan / "history.csv"
    lines = history.read_text().splitlines()
    kept = [lines[0]]
    for line in lines[1:]:
        start, language, channel = line.split(",")[:3]
        if (language, channel) == ("de", "chat") and start < "2026-02-16":
            continue
        if (language, channel) == ("en", "chat") and start[:10] in ("2026-02-10", "2026-02-12") and start[11:13] in (
                "02", "03"):
            line = f"{start},en,chat,20,300"
        kept.append(line)
    history.write_text("\n".join(kept) + "\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = forecast_plan(load_plan(tiny_plan), n_jobs=1)
    assert result.metadata["history"]["train_start_local"]["de/chat"] == "2026-02-16 00:00:00"
    for language in ("en", "de"):  # en first: its own history lifts it either way
        chat = result.frame[(result.frame["language"] == language) & (result.frame["channel"] == "chat")]
        local = pd.DatetimeIndex(chat["start"]).tz_convert("Europe/Lisbon").tz_localize(None)
        during = (local >= pd.Timestamp("2026-03-25 02:00")) & (local < pd.Timestamp("2026-03-25 05:00"))
        np.testing.assert_allclose(chat["contacts"], np.where(during, 20.0, 10.0))
    upgrade = {"name": "Upgrade", "kind": "maintenance", "start_local": "2026-03-25 02:00",
               "end_local": "2026-03-25 05:00", "time_zone": "Europe/Lisbon", "start_utc": "2026-03-25T02:00:00+00:00",
               "end_utc": "2026-03-25T05:00:00+00:00", "hours": 3, "open_hours": 3, "effect": "learned", "factor": 2.0}
    # two occurrences of 2.0: a spread of 0, so no factor interval
    assert result.metadata["events"]["en/chat"] == [
        {**upgrade, "source": "own history, 2 occurrences, 2.00",
         "learned_from": {"source": "own", "channel": "", "queues": 1, "occurrences": 2, "ratios": [2.0, 2.0]}}]
    assert result.metadata["events"]["de/chat"] == [
        {**upgrade, "source": "pooled over 1 queue of the chat channel, 2 occurrences, 2.00",
         "learned_from": {"source": "channel", "channel": "chat", "queues": 1, "occurrences": 2,
                          "ratios": [2.0, 2.0]}}]


def test_an_event_in_a_queues_closed_hours_is_listed_as_closed(tiny_plan: Path, fast_options: object) -> None:
    """Tests an event that falls wholly in a queue's closed hours: the listing of Wednesday 12:00-18:00 on the plan's
    clock (Lisbon, UTC in March) is 20:00-02:00 in Manila, where en/phone opens 09:00-17:00, so en/phone lists it as
    closed throughout, factor 1, with those times on its opening clock (before: x1.4, as if it applied). An evening
    promotion of +50% on en/email (open mon-fri 08:00-20:00 on the plan's clock) at 21:00-23:00 still counts, as the
    tiny history has 10 e-mails in every hour, closed or not: its 2 x 10 x 1.5 = 30 e-mails wait for Thursday 08:00,
    which gets 10 + 12 x 10 of the night + 2 x 10 x 0.5 = 140 (130 without it), and the entry and the printed line
    say how many are carried."""
    toml = tiny_plan / "shiftplan.toml"
    toml.write_text(toml.read_text().replace('max_abandon_percent = 5\n', 'max_abandon_percent = 5\n'
                                             'opening_hours = ["mon-sun 09:00-17:00"]\n'
                                             'opening_time_zone = "Asia/Manila"\n', 1))
    (tiny_plan / "events.csv").write_text(
        "name,kind,start,end,languages,channels,uplift_percent\n"
        "Token listing,listing,2026-03-25T12:00,2026-03-25T18:00,en,chat;phone,40\n"
        "Evening promo,promotion,2026-03-25T21:00,2026-03-25T23:00,en,email,50\n")
    result = forecast_plan(load_plan(tiny_plan), n_jobs=1)
    assert result.metadata["events"]["en/phone"] == [
        {"name": "Token listing", "kind": "listing", "start_local": "2026-03-25 12:00", "end_local": "2026-03-25 18:00",
         "time_zone": "Europe/Lisbon", "start_utc": "2026-03-25T12:00:00+00:00", "end_utc": "2026-03-25T18:00:00+00:00",
         "hours": 6, "open_hours": 0, "effect": "closed", "factor": 1.0,
         "note": "the queue is closed throughout (Wed 20:00-Thu 02:00 Asia/Manila): no effect"}]
    assert result.metadata["events"]["en/email"] == [
        {"name": "Evening promo", "kind": "promotion", "start_local": "2026-03-25 21:00",
         "end_local": "2026-03-25 23:00", "time_zone": "Europe/Lisbon", "start_utc": "2026-03-25T21:00:00+00:00",
         "end_utc": "2026-03-25T23:00:00+00:00", "hours": 2, "open_hours": 0, "effect": "uplift_percent",
         "factor": 1.5, "contacts_carried": 30.0,
         "note": "the queue is closed throughout (Wed 21:00-23:00 Europe/Lisbon): its 30.0 contacts of those hours, "
                 "x1.50, wait for the next opening"}]
    email = result.frame[(result.frame["language"] == "en") & (result.frame["channel"] == "email")]
    local = pd.DatetimeIndex(email["start"]).tz_convert("Europe/Lisbon").tz_localize(None)
    assert email["contacts"][local == pd.Timestamp("2026-03-26 08:00")].tolist() == pytest.approx([140.0])
    assert "Evening promo, Wed 25 Mar 21:00-23:00: en/email x1.50 (uplift_percent), closed throughout: 30.0 " \
           "contacts carried to the next opening" in " ".join(line.strip() for line in event_lines(result.metadata))


def test_an_event_in_the_closed_hours_of_a_deferred_queue_forecast_0_there_has_no_effect(
        tiny_plan: Path, fast_options: object) -> None:
    """Tests the audit's tr/social: e-mails that arrive while en/email is closed (mon-fri 08:00-20:00) show in its
    history at the opening (0 in the closed hours; 8 or 12 an hour when open, day by day, so its intervals have a
    width), so its closed hours are forecast 0 and a maintenance of -50% at Wednesday 21:00-23:00 carries nothing to
    Thursday 08:00, whose forecast and bounds are those without the maintenance. The entry is closed, factor 1, and
    the note and the printed line say it has no effect; before, they said "carried to the next opening" while 0.0 was
    carried and the opening did not move."""
    history = tiny_plan / "history.csv"
    lines = history.read_text().splitlines()
    kept = [lines[0]]
    for line in lines[1:]:
        start, language, channel = line.split(",")[:3]
        stamp = pd.Timestamp(start)  # UTC, Lisbon's clock in February and March
        if (language, channel) == ("en", "email"):
            closed = stamp.day_of_week >= 5 or not 8 <= stamp.hour < 20
            line = f"{start},en,email,0," if closed else f"{start},en,email,{8 if stamp.day % 2 else 12},300"
        kept.append(line)
    history.write_text("\n".join(kept) + "\n")
    header = "name,kind,start,end,languages,channels,uplift_percent\n"
    (tiny_plan / "events.csv").write_text(header)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        without = forecast_plan(load_plan(tiny_plan), n_jobs=1)
    (tiny_plan / "events.csv").write_text(
        header + "Night maintenance,maintenance,2026-03-25T21:00,2026-03-25T23:00,en,email,-50\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = forecast_plan(load_plan(tiny_plan), n_jobs=1)
    entry = result.metadata["events"]["en/email"][0]
    assert (entry["effect"], entry["factor"], "contacts_carried" in entry) == ("closed", 1.0, False)
    assert entry["note"] == ("the queue is closed throughout (Wed 21:00-23:00 Europe/Lisbon): forecast 0 there, so "
                             "nothing waits for the next opening: no effect (the next opening's forecast, which holds "
                             "what arrives while it is closed, is not moved)")
    assert event_lines(result.metadata)[1:] == [
        "  Night maintenance, Wed 25 Mar 21:00-23:00: en/email closed throughout, no effect"]
    opening = pd.Timestamp("2026-03-26 08:00", tz="Europe/Lisbon")
    rows = [frame[(frame["language"] == "en") & (frame["channel"] == "email") & (frame["start"] == opening)]
            for frame in (result.frame, without.frame)]
    assert rows[0]["contacts_hi80"].iloc[0] > rows[0]["contacts"].iloc[0]  # bounds with a width, carried alike
    pd.testing.assert_frame_equal(rows[0], rows[1])
    assert result.metadata["closed_hours"]["en/email"]["contacts_carried"] == 0.0


def listings_in_the_sarimax_window() -> tuple[pd.DatetimeIndex, np.ndarray, tuple[EventSpan, ...], pd.Timestamp]:
    """12 weeks of the synthetic series (to Sunday 2026-03-29) with three listings inside SARIMAX's 8-week window
    (Wednesdays 11 and 25 February and 11 March, 10:00-14:00) at exactly 1.5 times the usual volume: the Wednesday
    hours 10:00-13:00 carry no noise, so their robust expected value (median of the same weekday-hour of the
    neighbouring weeks) is the signal itself and each listing's ratio is sum(1.5 s) / sum(s) = 1.5. Returns the
    index, the series, the three spans and the start of the next Wednesday's 10:00 (2026-04-01)."""
    index, y, signal = synthetic(weeks=12)
    wednesday_late_morning = np.asarray((index.day_of_week == 2) & (index.hour >= 10) & (index.hour < 14))
    y[wednesday_late_morning] = signal[wednesday_late_morning]
    spans = []
    for day in ("2026-02-11", "2026-02-25", "2026-03-11"):
        start = pd.Timestamp(f"{day} 10:00")
        spans.append(EventSpan("listing", start, start + pd.Timedelta(hours=4), None, "past listing"))
        y[(index >= start) & (index < start + pd.Timedelta(hours=4))] *= 1.5
    return index, y, tuple(spans), pd.Timestamp("2026-04-01 10:00")


@pytest.mark.parametrize("model", ["sarimax", "combo_profile_sarimax", "profile_median"])
def test_an_uplift_percent_moves_every_model_by_exactly_its_factor(model: str) -> None:
    """Tests that a future listing with uplift_percent = 60 multiplies the forecast of each of its 4 hours by exactly
    1.6 (1 + 60 / 100), and the bounds of its intervals too (as a scenario's: before, the intervals were rebuilt
    around the scaled forecast and came out less than 1.6 times as wide), and leaves every other hour as it is,
    whatever the model. Before, SARIMAX, whose
    8-week window holds three listings (1.5x each), added its own listing coefficient (about +50% of those hours'
    volume) and the 1.6 came on top: about 2.4 times the forecast without the listing (the audit's zh/chat: 30.29
    instead of 16.12 x 1.6 = 25.80)."""
    index, y, past, start = listings_in_the_sarimax_window()
    future = EventSpan("listing", start, start + pd.Timedelta(hours=4), 60.0, "LUNA")
    base = run_frame(model, y, index, past)
    lifted = run_frame(model, y, index, (*past, future))
    inside = (base.index >= future.start) & (base.index < future.end)
    assert inside.sum() == 4
    for column in ("contacts", "contacts_lo80", "contacts_hi80", "contacts_lo95", "contacts_hi95"):
        np.testing.assert_allclose(lifted[column][inside], 1.6 * base[column][inside], rtol=1e-9)
    np.testing.assert_allclose(lifted[~inside], base[~inside], rtol=1e-12)


@pytest.mark.parametrize("model", ["sarimax", "combo_profile_sarimax", "profile_median"])
def test_a_learned_event_moves_the_forecast_by_the_factor_it_is_listed_with(model: str) -> None:
    """Tests that a future listing without uplift_percent multiplies each of its 4 hours by exactly the learned
    ratio the metadata lists (``SeriesResult.effects``, from which :func:`event_effects` takes its factor): 1.5, the
    median of the three past listings' ratios of 1.5 (see :func:`listings_in_the_sarimax_window`), whatever the
    model. Before, SARIMAX forecast the listing with its own coefficient instead (an additive +x per hour, so the
    ratio varied from hour to hour and differed from the listed 1.5: the audit's MOON listing, listed x1.48, moved
    its window x1.36)."""
    index, y, past, start = listings_in_the_sarimax_window()
    future = EventSpan("listing", start, start + pd.Timedelta(hours=4), None, "MOON")
    base = run_frame(model, y, index, past)
    result = run_result(model, y, index, (*past, future))
    assert result.effects["listing"] == Effect(pytest.approx(1.5, rel=1e-12), "own", 3, 1, "",
                                               pytest.approx((1.5, 1.5, 1.5), rel=1e-12))
    lifted = result.frame
    inside = (base.index >= future.start) & (base.index < future.end)
    np.testing.assert_allclose(lifted["contacts"][inside], 1.5 * base["contacts"][inside], rtol=1e-9)
    np.testing.assert_allclose(lifted["contacts"][~inside], base["contacts"][~inside], rtol=1e-12)


def test_a_queue_without_listings_of_its_own_learns_them_from_its_channel_without_a_warning(
        tiny_plan: Path, fast_options: object) -> None:
    """Tests the cron audit's case: en/chat has no listing in its history, de/chat one (Wednesday 4 March 10:00-14:00,
    20 chats an hour instead of 10: ratio 2.0). A listing without uplift_percent on both chat queues on Wednesday 25
    March 10:00-14:00 lifts both to 20 (en/chat pooled over the chat channel, de/chat its own), and no warning says
    there is nothing to learn from (it said 'no past listing in the history' for en/chat before the ratios were
    pooled over queues)."""
    (tiny_plan / "events.csv").write_text(
        "name,kind,start,end,languages,channels,uplift_percent\n"
        "Past listing,listing,2026-03-04T10:00,2026-03-04T14:00,de,chat,\n"
        "LUNA token listing,listing,2026-03-25T10:00,2026-03-25T14:00,en;de,chat,\n")
    history = tiny_plan / "history.csv"
    lines = history.read_text().splitlines()
    history.write_text("\n".join(line.replace(",10,300", ",20,300") if line.startswith("2026-03-04T1") and
                                 ",de,chat," in line and line[11:13] in ("10", "11", "12", "13") else line
                                 for line in lines) + "\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = forecast_plan(load_plan(tiny_plan), n_jobs=1)
    assert not [w for w in result.warnings if "to learn from" in w]
    for queue, source in (("en/chat", "pooled over 1 queue of the chat channel, 1 occurrence, 2.00"),
                          ("de/chat", "own history, 1 occurrence, 2.00")):
        entry = result.metadata["events"][queue][0]
        assert (entry["effect"], entry["factor"], entry["source"]) == ("learned", 2.0, source)
        language = queue.split("/")[0]
        chat = result.frame[(result.frame["language"] == language) & (result.frame["channel"] == "chat")]
        local = pd.DatetimeIndex(chat["start"]).tz_convert("Europe/Lisbon").tz_localize(None)
        during = (local >= pd.Timestamp("2026-03-25 10:00")) & (local < pd.Timestamp("2026-03-25 14:00"))
        np.testing.assert_allclose(chat["contacts"], np.where(during, 20.0, 10.0))


def test_an_event_whose_kind_is_older_than_the_training_window_says_so(tiny_plan: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests the warning for a kind the history has only before the weeks the forecast learns from: with train_weeks
    4, the tiny history (9 February to 22 March) is learned from 23 February on, and its one listing (de/chat, 18
    February) is older. The listing of 25 March gets no effect, and the warning and the metadata say there is no
    past listing while a queue was open in the last 4 weeks of history (train_weeks); before, they said there was
    none in any queue's history, which has one."""
    monkeypatch.setattr(ForecastOptions, "from_config",
                        classmethod(lambda cls, settings: dataclasses.replace(FAST, train_weeks=4)))
    (tiny_plan / "events.csv").write_text(
        "name,kind,start,end,languages,channels,uplift_percent\n"
        "Old listing,listing,2026-02-18T10:00,2026-02-18T14:00,de,chat,\n"
        "LUNA token listing,listing,2026-03-25T10:00,2026-03-25T14:00,en,chat,\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = forecast_plan(load_plan(tiny_plan), n_jobs=1)
    why = ("no uplift_percent and no past listing while a queue was open in the last 4 weeks of history (train_weeks) "
           "to learn from; the forecast ignores it")
    assert result.metadata["events"]["en/chat"][0]["note"] == why
    assert f"en/chat: 'LUNA token listing' (listing, 2026-03-25 10:00) has {why}" in result.warnings
    assert event_lines(result.metadata)[1:] == [
        "  LUNA token listing, Wed 25 Mar 10:00-14:00: en/chat no effect (no uplift_percent, and no listing while a",
        "      queue was open in the last 4 weeks to learn from)"]
