"""What-if scenarios: ``"chat +60% 2026-12-03T12:00/6h"`` scales a forecast for some queues and hours.

Grammar: ``SELECTOR PERCENT START/DURATION``

* SELECTOR: a channel (``chat``), a language (``en``), ``language/channel`` (``en/chat``) or ``*`` (all);
* PERCENT: signed change, ``+60%`` or ``-25%`` (above -100%, not 0);
* START: ISO date-time in the plan's time zone (``2026-12-03T12:00``), or with an explicit offset;
* DURATION: ``6h``, ``90m``, ``2d``, ``1h30m``, or an ISO end time.

Several scenarios apply together (:func:`parse_scenarios`); where two cover the same queue and hour their factors
multiply, as events and holidays do (:mod:`forecasting.scenario_apply`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

_SCENARIO = re.compile(r"^\s*(?P<selector>\S+)\s+(?P<percent>[+-]?\d+(?:\.\d+)?)\s*%\s+(?P<start>[^/\s]+)"
                       r"/(?P<duration>\S+)\s*$")
_SELECTOR = re.compile(r"^(\*|[a-z][a-z0-9_-]*(/([a-z][a-z0-9_-]*|\*))?|\*/[a-z][a-z0-9_-]*)$")
_DURATION = re.compile(r"^(?:(?P<d>\d+)d)?(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m(?:in)?)?$")
EXAMPLE = '"chat +60% 2026-12-03T12:00/6h"'


@dataclass(frozen=True)
class Scenario:
    """A parsed what-if.

    Attributes
    ----------
    selector : str
        ``*``, a channel or language code, or ``language/channel``.
    percent : float
        Change in percent (+60 multiplies by 1.6).
    start : pandas.Timestamp
        Start, naive (plan time) or with an offset.
    duration : pandas.Timedelta
        Length of the window.
    text : str
        The original text.
    """

    selector: str
    percent: float
    start: pd.Timestamp
    duration: pd.Timedelta
    text: str = ""

    @property
    def factor(self) -> float:
        """The multiplier of the forecast (1 + percent / 100)."""
        return 1.0 + self.percent / 100.0

    def window_utc(self, time_zone: str) -> tuple[pd.Timestamp, pd.Timestamp]:
        """The scenario's ``[start, end)`` in UTC, a naive start read on the plan's clock."""
        start = self.start
        if start.tzinfo is None:
            start = start.tz_localize(time_zone, ambiguous=True, nonexistent="shift_forward")
        start = start.tz_convert("UTC")
        return start, start + self.duration

    def matches(self, language: str, channel: str, languages: Iterable[str] = (),
                channels: Iterable[str] = ()) -> bool:
        """Whether the queue (language, channel) is selected.

        A bare code selects the channel of that name if any queue has it, else the language of that name.
        """
        if self.selector == "*":
            return True
        if "/" in self.selector:
            lang, chan = self.selector.split("/", 1)
            return lang in ("*", language) and chan in ("*", channel)
        if self.selector in set(channels):
            return channel == self.selector
        if self.selector in set(languages):
            return language == self.selector
        return self.selector in (channel, language)


def parse_duration(text: str) -> pd.Timedelta:
    """Parse ``6h``, ``90m``, ``2d``, ``1h30m`` (``ValueError`` otherwise)."""
    match = _DURATION.match(text.strip().lower())
    if not text.strip() or not match or not any(match.groupdict().values()):
        raise ValueError(f"'{text}' is not a duration; write e.g. 6h, 90m, 2d or 1h30m")
    parts = {k: int(v or 0) for k, v in match.groupdict().items()}
    duration = pd.Timedelta(days=parts["d"], hours=parts["h"], minutes=parts["m"])
    if duration <= pd.Timedelta(0):
        raise ValueError(f"the duration '{text}' must be longer than zero")
    return duration


def parse_scenario(text: str) -> Scenario:
    """Parse a what-if such as ``"chat +60% 2026-12-03T12:00/6h"``.

    Parameters
    ----------
    text : str
        ``SELECTOR PERCENT START/DURATION`` (see the module docstring).

    Returns
    -------
    Scenario

    Raises
    ------
    ValueError
        With a message naming the part that is wrong and an example of the right form.
    """
    match = _SCENARIO.match(text or "")
    if not match:
        raise ValueError(f"scenario '{text}' is not of the form SELECTOR PERCENT START/DURATION, e.g. {EXAMPLE}")
    selector = match.group("selector").lower()
    if not _SELECTOR.match(selector):
        raise ValueError(f"scenario selector '{match.group('selector')}' must be a channel, a language, "
                         f"language/channel or *, e.g. {EXAMPLE}")
    percent = float(match.group("percent"))
    if percent <= -100:
        raise ValueError(f"scenario change {percent:+g}% would make volume negative or zero; use a value above "
                         "-100%")
    if percent == 0:
        raise ValueError(f"scenario '{text.strip()}' changes nothing (0%); give a change such as +60% or -25%")
    try:
        start = pd.Timestamp(match.group("start"))
    except (ValueError, TypeError):
        raise ValueError(f"scenario start '{match.group('start')}' is not an ISO date-time like 2026-12-03T12:00"
                         ) from None
    if pd.isna(start):
        raise ValueError(f"scenario start '{match.group('start')}' is not an ISO date-time like 2026-12-03T12:00")
    raw_duration = match.group("duration")
    try:
        duration = parse_duration(raw_duration)
    except ValueError as exc:
        try:
            end = pd.Timestamp(raw_duration)
        except (ValueError, TypeError):
            raise exc from None
        if pd.isna(end) or (end.tzinfo is None) != (start.tzinfo is None):
            raise exc from None
        duration = end - start
        if duration <= pd.Timedelta(0):
            raise ValueError(f"scenario end '{raw_duration}' is not after its start") from None
    return Scenario(selector, percent, start, duration, text.strip())


def parse_scenarios(texts: Sequence[str]) -> tuple[Scenario, ...]:
    """Parse every what-if of a command (``--scenario`` given more than once); they all apply.

    Parameters
    ----------
    texts : sequence of str
        The scenarios as typed, in order.

    Returns
    -------
    tuple of Scenario
        In the order given.

    Raises
    ------
    ValueError
        For the first malformed one (:func:`parse_scenario`'s message), or one given twice: both would apply and
        their factors multiply (``chat +300%`` twice is x16), which is never what was meant.
    """
    parsed: list[Scenario] = []
    for text in texts:
        scenario = parse_scenario(text)
        twin = next((s for s in parsed if (s.selector, s.percent, s.start, s.duration) ==
                     (scenario.selector, scenario.percent, scenario.start, scenario.duration)), None)
        if twin is not None:
            raise ValueError(f"scenario '{scenario.text}' is given twice; every --scenario applies and factors "
                             f"multiply where they overlap (twice is x{scenario.factor ** 2:g}): give it once")
        parsed.append(scenario)
    return tuple(parsed)


def scenario_texts(metadata: Mapping[str, Any] | None) -> list[str]:
    """The scenarios a saved forecast applied, as typed (none for a baseline forecast or a forecast made elsewhere).

    Parameters
    ----------
    metadata : mapping or None
        A forecast's metadata (its ``scenario``: ``texts`` since several apply, ``text`` in older forecasts).

    Returns
    -------
    list of str
    """
    entry = (metadata or {}).get("scenario")
    if not isinstance(entry, Mapping):
        return []
    texts = entry.get("texts")
    if isinstance(texts, list):
        return [str(text) for text in texts]
    return [str(entry["text"])] if entry.get("text") else []


def scenarios_label(texts: Sequence[str]) -> str:
    """The scenarios in one phrase for a source line or a manifest: ``'chat +300% ...' and 'phone +200% ...'``."""
    quoted = [f"'{text}'" for text in texts]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + f" and {quoted[-1]}"
