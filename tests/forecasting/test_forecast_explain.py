"""Tests that a forecast's metadata reads as a few lines for a team lead: the events applied and the closed hours."""

from __future__ import annotations

from forecasting.explain import closed_hours_line, event_lines, forecast_notes


def entry(name: str, start: str, end: str, effect: str, factor: float, **extra: object) -> dict[str, object]:
    """One queue's metadata entry for an event (the plan on UTC, the event's hours all open unless told)."""
    hours = extra.pop("hours", 3)
    return {"name": name, "kind": "listing", "start_local": start, "end_local": end, "time_zone": "UTC",
            "hours": hours, "open_hours": extra.pop("open_hours", hours), "effect": effect, "factor": factor, **extra}


def pooled(channel: str, queues: int, occurrences: int) -> dict[str, object]:
    """The ``learned_from`` of a ratio pooled over ``queues`` queues of ``channel``."""
    return {"source": "channel", "channel": channel, "queues": queues, "occurrences": occurrences}


OWN = {"source": "own", "channel": "", "queues": 1, "occurrences": 3}
LISTING = ("KITE listing", "2026-12-03 12:00", "2026-12-04 00:00")
UPGRADE = ("Upgrade", "2026-12-09 02:00", "2026-12-09 05:00")


def test_queues_with_the_same_outcome_are_told_together() -> None:
    """Tests the lines of two events: the listing (12:00 to midnight) x1.33 pooled on zh/chat and ko/chat, x1.21 and
    x1.84 from their own history on zh/social and ko/social (a range), no effect on ko/phone, closed throughout; the
    upgrade x1.75 pooled on five chat queues (counted, not named: more than four), and on ko/email, closed throughout,
    carried to its next opening; the times on the plan's clock, which the header names."""
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
        "ko/email": [entry(*UPGRADE, "uplift_percent", 1.5, open_hours=0)],
    }}
    assert event_lines(metadata) == [
        "events applied (times on the plan's clock, UTC, as in forecast.csv and the workbook):",
        "  KITE listing, Thu 03 Dec 12:00-24:00: zh/chat, ko/chat x1.33 (pooled over 5 chat queues); zh/social,",
        "      ko/social x1.21-1.84 (own history); ko/phone closed throughout, no effect",
        "  Upgrade, Wed 09 Dec 02:00-05:00: 5 chat queues x1.75 (pooled over 6 chat queues); ko/email x1.50",
        "      (uplift_percent), closed throughout: carried to the next opening",
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
