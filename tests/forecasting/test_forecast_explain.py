"""Tests that a forecast's metadata reads as a few lines for a team lead: the events applied and the closed hours."""

from __future__ import annotations

from forecasting.explain import choice_lines, closed_hours_line, event_lines, forecast_notes


def entry(name: str, start: str, end: str, effect: str, factor: float, **extra: object) -> dict[str, object]:
    """One queue's metadata entry for an event (the plan on UTC, the event's hours all open unless told)."""
    hours = extra.pop("hours", 3)
    return {"name": name, "kind": "listing", "start_local": start, "end_local": end, "time_zone": "UTC",
            "hours": hours, "open_hours": extra.pop("open_hours", hours), "effect": effect, "factor": factor, **extra}


def pooled(channel: str, queues: int, occurrences: int, ratios: tuple[float, ...] = ()) -> dict[str, object]:
    """The ``learned_from`` of a ratio pooled over ``queues`` queues of ``channel`` (``ratios``: the occurrences')."""
    return {"source": "channel", "channel": channel, "queues": queues, "occurrences": occurrences,
            "ratios": list(ratios)}


OWN = {"source": "own", "channel": "", "queues": 1, "occurrences": 3}
LISTING = ("KITE listing", "2026-12-03 12:00", "2026-12-04 00:00")
UPGRADE = ("Upgrade", "2026-12-09 02:00", "2026-12-09 05:00")


def test_queues_with_the_same_outcome_are_told_together() -> None:
    """Tests the lines of two events: the listing (12:00 to midnight) x1.33 pooled on zh/chat and ko/chat, x1.21 and
    x1.84 from their own history on zh/social and ko/social (a range), no effect on ko/phone, closed throughout; the
    upgrade x1.75 pooled on five chat queues (counted, not named: more than four), and on ko/email, closed throughout,
    its 12.5 e-mails of those hours carried to its next opening; the times on the plan's clock, which the header
    names. A metadata without the occurrences' ratios (written before they were kept) gives their number alone."""
    chat = pooled("chat", 5, 9)
    metadata = {"horizon": {"time_zone": "UTC"}, "events": {
        "zh/chat": [entry(*LISTING, "learned", 1.3333, learned_from=chat), entry(*UPGRADE, "learned", 1.75,
                                                                                   learned_from=pooled("chat", 6, 11))],
        "ko/chat": [entry(*LISTING, "learned", 1.3333, learned_from=chat), entry(*UPGRADE, "learned", 1.75,
                                                                                   learned_from=pooled("chat", 6, 11))],
        "zh/social": [entry(*LISTING, "learned", 1.2149, learned_from=OWN)],
        "ko/social": [entry(*LISTING, "learned", 1.8412, learned_from=OWN)],
        "ko/phone": [entry(*LISTING, "closed", 1.0, open_hours=0, note="the queue is closed throughout")],
        **{f"{language}/chat": [entry(*UPGRADE, "learned", 1.75, learned_from=pooled("chat", 6, 11))]
           for language in ("en", "es", "vi")},
        "ko/email": [entry(*UPGRADE, "uplift_percent", 1.5, open_hours=0, contacts_carried=12.5)],
    }}
    assert event_lines(metadata) == [
        "events applied (times on the plan's clock, UTC, as in forecast.csv and the workbook):",
        "  KITE listing, Thu 03 Dec 12:00-24:00: zh/chat, ko/chat x1.33 (pooled over 5 chat queues: 9 occurrences);",
        "      zh/social, ko/social x1.21-1.84 (own history: 3 occurrences each); ko/phone closed throughout, no "
        "effect",
        "  Upgrade, Wed 09 Dec 02:00-05:00: 5 chat queues x1.75 (pooled over 6 chat queues: 11 occurrences); ko/email",
        "      x1.50 (uplift_percent), closed throughout: 12.5 contacts carried to the next opening",
    ]


def test_a_learned_factor_is_told_with_its_occurrences_and_their_spread() -> None:
    """Tests the audit's listing: es/phone x1.07 pooled over 5 phone queues is the median of 5 occurrences whose
    ratios run from 0.60 to 1.22, and the line says so (before: "x1.07 (pooled over 5 phone queues)" alone, which
    hid that the 5 occurrences disagree); two queues' own histories give the range of their counts and ratios."""
    phone = pooled("phone", 5, 5, (0.6, 0.82, 1.07, 1.15, 1.22))
    listing = ("NOVA listing", "2026-12-03 14:00", "2026-12-04 02:00")
    metadata = {"horizon": {"time_zone": "UTC"}, "events": {
        "es/phone": [entry(*listing, "learned", 1.07, learned_from=phone)],
        "es/social": [entry(*listing, "learned", 1.5, learned_from={**OWN, "ratios": [1.2, 1.5, 2.9]})],
        "tr/social": [entry(*listing, "learned", 1.72, learned_from={**OWN, "occurrences": 4,
                                                                      "ratios": [0.9, 1.7, 1.74, 1.8]})]}}
    assert event_lines(metadata)[1:] == [
        "  NOVA listing, Thu 03 Dec 14:00-Fri 04 Dec 02:00: es/phone x1.07 (pooled over 5 phone queues: 5 occurrences,",
        "      0.60 to 1.22); es/social, tr/social x1.50-1.72 (own history: 3-4 occurrences each, 0.90 to 2.90)",
    ]


def test_no_event_and_no_closed_hour_are_said() -> None:
    """Tests the lines of a forecast with no event in its horizon and every queue open around the clock."""
    metadata = {"horizon": {"time_zone": "Europe/Lisbon"}, "events": {}, "closed_hours": {}, "series": [{}, {}]}
    assert forecast_notes(metadata).splitlines() == [
        "events: none in the horizon", "closed hours: none (every queue is open around the clock)"]


def test_closed_hours_add_up_over_the_queues() -> None:
    """Tests the closed-hours line: 2 of 3 queues closed 111 and 107 hours (218), 560 e-mails carried to an opening,
    1,110 + 510 = 1,620 contacts dropped (a phone queue's, and e-mails after the horizon's last opening)."""
    metadata = {"series": [{}, {}, {}], "closed_hours": {
        "en/phone": {"hours": 111, "contacts_carried": 0.0, "contacts_dropped": 1110.0},
        "en/email": {"hours": 107, "contacts_carried": 560.0, "contacts_dropped": 510.0}}}
    assert closed_hours_line(metadata).splitlines() == [
        "closed hours: forecast 0 (2 of 3 queues, 218 queue-hours, each on its opening clock); their contacts wait for",
        "  the next opening on email, ticket and social queues (560.0 carried), and are dropped on phone and chat, or",
        "  after the horizon's last opening (1,620.0)",
    ]


def row(queue: str, model: str, wape: float, runner_up: str, runner_up_wape: float, **extra: object) -> dict:
    """One queue's row of the metadata's ``series``."""
    language, channel = queue.split("/")
    return {"language": language, "channel": channel, "model": model, "wape": wape, "runner_up": runner_up,
            "runner_up_wape": runner_up_wape, "bias_guarded": extra.pop("bias_guarded", ""),
            "switch_t": extra.pop("switch_t", None), "choice_reason": extra.pop("choice_reason", ""), **extra}


def test_a_runner_up_with_a_lower_wape_is_told_why_it_lost() -> None:
    """Tests the reasons under the model table: en/phone and es/chat kept the default although the runner-up's WAPE
    was lower (paired t 0.18 and 1.53, 1.645 needed: one line for both); the bias guard replaced zh/phone's default
    (-14.5%) with sarimax (-1.9%), not the runner-up profile_ewm (-2.1%), and tr/phone's (-23.2%, the runner-up
    itself) with profile_ewm (-3.9%); a tie on WAPE says the selection's own reason; en/chat, whose runner-up has a
    higher WAPE, is not mentioned."""
    combo = "combo_profile_sarimax"
    metadata = {
        "settings": {"default_model": combo, "switch_t": 1.645, "max_bias": 0.1, "bias_wape_tolerance": 0.1},
        "series": [
            row("en/phone", combo, 0.4094, "profile_ewm", 0.4086, switch_t=0.1806),
            row("zh/phone", "sarimax", 0.5606, "profile_ewm", 0.5524, bias_guarded=combo, switch_t=1.0983),
            row("tr/phone", "profile_ewm", 0.7847, combo, 0.7771, bias_guarded=combo),
            row("en/chat", combo, 0.241, "profile_ewm", 0.2415, switch_t=None),
            row("es/chat", combo, 0.4048, "sarimax", 0.3998, switch_t=1.5302),
            row("de/chat", "b", 0.3, "a", 0.2999999, choice_reason="the lowest backtest WAPE (tied with a: the "
                "smaller absolute bias won)"),
        ],
        "backtest_scores": {
            "zh/phone": {combo: {"wape": 0.5512, "bias": -0.145}, "sarimax": {"wape": 0.5606, "bias": -0.019},
                         "profile_ewm": {"wape": 0.5524, "bias": -0.021}},
            "tr/phone": {combo: {"wape": 0.7771, "bias": -0.232}, "profile_ewm": {"wape": 0.7847, "bias": -0.039}}},
    }
    assert choice_lines(metadata) == [
        "why a runner-up with a lower backtest WAPE lost:",
        "  en/phone, es/chat: combo_profile_sarimax is the default, kept unless a candidate's daily absolute errors "
        "are",
        "      lower by a paired t >= 1.645 (the runner-up's t: 0.18-1.53)",
        "  the bias guard replaced a choice whose backtest bias was beyond max_bias 10% with the least-biased model",
        "      within 10% of its WAPE (backtest bias; WAPE of the chosen model vs the runner-up):",
        "    zh/phone   combo_profile_sarimax -14.5% -> sarimax -1.9%, not profile_ewm -2.1% (WAPE 56.1% vs 55.2%)",
        "    tr/phone   combo_profile_sarimax -23.2% -> profile_ewm -3.9% (WAPE 78.5% vs 77.7%)",
        "  de/chat: b over a (WAPE 30.00% vs 30.00%): the lowest backtest WAPE (tied with a: the smaller absolute bias",
        "      won)",
    ]
    assert choice_lines({"series": [metadata["series"][3]]}) == []
