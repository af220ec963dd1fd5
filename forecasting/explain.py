"""A forecast's metadata in a few lines for a team lead: the events applied and the closed hours.

Pure functions of the metadata :func:`forecasting.forecast_plan` writes (``metadata.json``), so the forecast command
and a solve that reuses a saved forecast print the same lines.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

#: Queues named one by one in a group; a larger group is counted ("6 chat queues").
MAX_NAMED_QUEUES = 4
#: Characters per printed line (an event's line is wrapped).
WIDTH = 110


def _queues(names: Sequence[str], most: int = MAX_NAMED_QUEUES) -> str:
    """``en/chat, zh/chat`` or, for more than ``most``, ``6 chat queues`` (``6 queues`` across channels)."""
    if len(names) <= most:
        return ", ".join(names)
    channels = {name.split("/")[-1] for name in names}
    return f"{len(names)} {channels.pop() + ' ' if len(channels) == 1 else ''}queues"


def _when(start: str, end: str) -> str:
    """``Thu 03 Dec 12:00-18:00``, ``Thu 03 Dec 12:00-24:00`` or ``Mon 07 Dec 00:00-Mon 14 Dec 00:00``."""
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    if last.normalize() == first.normalize():
        return f"{first:%a %d %b %H:%M}-{last:%H:%M}"
    if last == first.normalize() + pd.Timedelta(days=1):
        return f"{first:%a %d %b %H:%M}-24:00"
    return f"{first:%a %d %b %H:%M}-{last:%a %d %b %H:%M}"


def _factor(entry: Mapping[str, Any]) -> str:
    """The entry's factor as printed: ``x1.33``."""
    return f"x{float(entry['factor']):.2f}"


def _learned(entry: Mapping[str, Any]) -> Mapping[str, Any]:
    return entry.get("learned_from") or {}


def _outcome(entry: Mapping[str, Any], train_weeks: int) -> tuple[str, str]:
    """How one queue's entry reads, as (group key, words); the entries of one key are told together. ``train_weeks``
    is the weeks of history the ratios are learned from."""
    effect = entry.get("effect")
    if effect == "closed":
        return "closed", "closed throughout, no effect"
    if effect == "none":
        kind = entry.get("kind")
        kind = "public holiday" if kind == "public_holiday" else f"uplift_percent, and no {kind}"
        return "none", f"no effect (no {kind} while a queue was open in the last {train_weeks} weeks to learn from)"
    if effect == "uplift_percent":
        return f"uplift {entry['factor']}", f"{_factor(entry)} (uplift_percent)"
    learned = _learned(entry)
    if learned.get("source", "own") == "own":
        return "own", "own history"
    queues = int(learned.get("queues", 0))
    pool = f"{queues} {learned['channel']} queue" if learned.get("source") == "channel" else f"{queues} queue"
    pool += "" if queues == 1 else "s"
    evidence = (learned.get("occurrences"), tuple(learned.get("ratios") or ()))
    return f"pooled {learned.get('channel')} {entry['factor']} {evidence}", f"{_factor(entry)} (pooled over {pool}"


def _evidence(entries: Sequence[Mapping[str, Any]]) -> str:
    """The occurrences learned ratios are the median of, and their spread: ``5 occurrences, 0.60 to 1.22`` (over
    several queues' own histories, ``3-5 occurrences each, 0.50 to 2.10``); empty for a forecast whose metadata
    keeps no count."""
    counts = sorted({int(_learned(entry)["occurrences"]) for entry in entries if "occurrences" in _learned(entry)})
    if not counts:
        return ""
    each = " each" if len(entries) > 1 and _learned(entries[0]).get("source", "own") == "own" else ""
    text = (f"{counts[0]}" if len(counts) == 1 else f"{counts[0]}-{counts[-1]}") + \
        f" occurrence{'' if counts == [1] else 's'}{each}"
    ratios = [float(r) for entry in entries for r in _learned(entry).get("ratios") or ()]
    if ratios:
        low, high = f"{min(ratios):.2f}", f"{max(ratios):.2f}"
        text += f", {low}" if low == high else f", {low} to {high}"
    return text


def _group(members: Sequence[tuple[str, Mapping[str, Any]]], train_weeks: int) -> str:
    """One group of queues with the same outcome: names, factor (a range for their own histories), source with the
    occurrences and their spread for a learned ratio, and the deferred queues among them closed throughout whose
    contacts of the event's hours wait for their next opening."""
    words = _outcome(members[0][1], train_weeks)[1]
    if members[0][1].get("effect") == "learned":
        evidence = _evidence([entry for _, entry in members])
        if words == "own history":
            factors = sorted(_factor(entry) for _, entry in members)
            words = f"{factors[0]}{'-' + factors[-1][1:] if factors[-1] != factors[0] else ''} ({words}"
        words += f": {evidence})" if evidence else ")"
    carried = [(queue, entry) for queue, entry in members if "contacts_carried" in entry]
    if carried:
        who = "" if len(carried) == len(members) else f" {_queues([queue for queue, _ in carried])}"
        total = sum(float(entry["contacts_carried"]) for _, entry in carried)
        words += f",{who} closed throughout: {total:,.1f} contacts carried to the next opening"
    return f"{_queues([queue for queue, _ in members])} {words}"


def event_lines(metadata: Mapping[str, Any]) -> list[str]:
    """One line per event in the horizon (wrapped): when, and per group of queues the factor applied and its source.

    Queues with the same outcome are told together: the same uplift_percent, the same pooled ratio, their own
    history (the range of their factors), closed throughout. The times are on the plan's clock, which the header
    names.

    Parameters
    ----------
    metadata : mapping
        A forecast's metadata (its ``events``, ``horizon`` and ``settings``).

    Returns
    -------
    list of str
        The header and the events' lines; a single line when the horizon has none.
    """
    zone = metadata.get("horizon", {}).get("time_zone", "")
    weeks = int((metadata.get("settings") or {}).get("train_weeks", 26))
    events: dict[tuple[str, str, str], dict[str, list[tuple[str, Mapping[str, Any]]]]] = {}
    for queue, entries in (metadata.get("events") or {}).items():
        for entry in entries:
            key = (str(entry["start_local"]), str(entry["end_local"]), str(entry["name"] or entry["kind"]))
            events.setdefault(key, {}).setdefault(_outcome(entry, weeks)[0], []).append((queue, entry))
    if not events:
        return ["events: none in the horizon"]
    lines = [f"events applied (times on the plan's clock, {zone}, as in forecast.csv and the workbook):"]
    for (start, end, name), groups in sorted(events.items()):
        text = f"{name}, {_when(start, end)}: " + "; ".join(_group(members, weeks) for members in groups.values())
        lines.extend(textwrap.wrap(text, WIDTH, initial_indent="  ", subsequent_indent="      "))
    return lines


def closed_hours_line(metadata: Mapping[str, Any]) -> str:
    """Which queues the forecast closes, and what happens to the contacts of their closed hours, in one line.

    Parameters
    ----------
    metadata : mapping
        A forecast's metadata (its ``closed_hours`` and ``series``).

    Returns
    -------
    str
    """
    closures = metadata.get("closed_hours") or {}
    if not closures:
        return "closed hours: none (every queue is open around the clock)"
    total = len(metadata.get("series") or []) or len(closures)
    hours = sum(int(c["hours"]) for c in closures.values())
    dropped = sum(float(c["contacts_dropped"]) for c in closures.values())
    carried = sum(float(c["contacts_carried"]) for c in closures.values())
    text = (f"closed hours: forecast 0 ({len(closures)} of {total} queues, {hours:,} queue-hours, each on its opening "
            f"clock); their contacts wait for the next opening on email, ticket and social queues ({carried:,.1f} "
            f"carried), and are dropped on phone and chat, or after the horizon's last opening ({dropped:,.1f})")
    return "\n".join(textwrap.wrap(text, WIDTH, subsequent_indent="  "))


def _lost(row: Mapping[str, Any]) -> bool:
    """Whether the row's runner-up has a lower backtest WAPE than its chosen model."""
    runner, chosen = row.get("runner_up_wape"), row.get("wape")
    return bool(row.get("runner_up")) and isinstance(runner, float | int) and isinstance(chosen, float | int) and \
        runner < chosen


def _wapes(chosen: float, runner: float) -> str:
    """``WAPE 56.1% vs 55.2%``, with two decimals when one would print them equal."""
    digits = 1 if f"{100 * chosen:.1f}" != f"{100 * runner:.1f}" else 2
    return f"WAPE {100 * chosen:.{digits}f}% vs {100 * runner:.{digits}f}%"


def _wrapped(text: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent="  ", subsequent_indent="      ")


def choice_lines(metadata: Mapping[str, Any]) -> list[str]:
    """Why each runner-up with a lower backtest WAPE than the chosen model lost, in words.

    Three kinds of line: the queues where the default model was kept because the runner-up was not significantly
    better share one (with the range of the runner-ups' paired t); the queues where the bias guard replaced a choice
    get one rule line and a row each (the replaced model's backtest bias, the chosen one's, the runner-up's when it
    is another, and the two WAPEs); any other queue gets the reason the selection recorded (``choice_reason``).

    Parameters
    ----------
    metadata : mapping
        A forecast's metadata (its ``series``, ``settings`` and ``backtest_scores``).

    Returns
    -------
    list of str
        Nothing when every chosen model has the lowest WAPE of its queue.
    """
    rows = [row for row in metadata.get("series") or [] if _lost(row)]
    if not rows:
        return []
    settings = metadata.get("settings") or {}
    scores = metadata.get("backtest_scores") or {}
    default = settings.get("default_model")
    kept = [row for row in rows if not row.get("bias_guarded") and row["model"] == default
            and isinstance(row.get("switch_t"), float | int)]
    guarded = [row for row in rows if row.get("bias_guarded") and row.get("bias_guarded") in
               scores.get(f"{row['language']}/{row['channel']}", {})]
    lines = ["why a runner-up with a lower backtest WAPE lost:"]
    if kept:
        t = sorted(float(row["switch_t"]) for row in kept)
        lines += _wrapped(", ".join(f"{row['language']}/{row['channel']}" for row in kept) + f": {default} is the "
                          f"default, kept unless a candidate's daily absolute errors are lower by a paired t >= "
                          f"{settings.get('switch_t', 1.645):g} (the runner-up's t: "
                          f"{t[0]:.2f}{'' if len(t) == 1 else f'-{t[-1]:.2f}'})")
    if guarded:
        lines += _wrapped(f"the bias guard replaced a choice whose backtest bias was beyond max_bias "
                          f"{settings.get('max_bias', 0.1):.0%} with the least-biased model within "
                          f"{settings.get('bias_wape_tolerance', 0.1):.0%} of its WAPE (backtest bias; WAPE of the "
                          "chosen model vs the runner-up):")
    for row in guarded:
        queue = f"{row['language']}/{row['channel']}"
        bias = {name: f"{100 * score['bias']:+.1f}%" for name, score in scores[queue].items()
                if score["bias"] is not None}
        replaced, runner = row["bias_guarded"], row["runner_up"]
        beside = "" if runner == replaced else f", not {runner} {bias.get(runner, '?')}"
        lines.append(f"    {queue:<10} {replaced} {bias.get(replaced, '?')} -> {row['model']} "
                     f"{bias.get(row['model'], '?')}{beside} ({_wapes(row['wape'], row['runner_up_wape'])})")
    for row in rows:
        if row not in kept and row not in guarded:
            lines += _wrapped(f"{row['language']}/{row['channel']}: {row['model']} over {row['runner_up']} "
                              f"({_wapes(row['wape'], row['runner_up_wape'])}): {row.get('choice_reason') or '-'}")
    return lines


def forecast_notes(metadata: Mapping[str, Any], *, choices: bool = True) -> str:
    """The lines a forecast adds to the printout: why a runner-up with a lower WAPE lost (:func:`choice_lines`; the
    forecast command's, after its model table), the events applied (:func:`event_lines`) and the closed hours
    (:func:`closed_hours_line`)."""
    return "\n".join([*(choice_lines(metadata) if choices else []), *event_lines(metadata),
                      closed_hours_line(metadata)])


#: Queues named one by one in a scenario's line; a larger group is counted.
MAX_SCENARIO_QUEUES = 6


def _scenario_queues(names: Sequence[str]) -> str:
    """``en/chat, zh/chat`` or, for more than :data:`MAX_SCENARIO_QUEUES`, ``24 queues``."""
    return _queues(names, MAX_SCENARIO_QUEUES)


def _hours(rows: int, minutes: int) -> str:
    """``24 queue-hours`` for 24 hourly rows or 48 half-hour ones."""
    hours = rows * minutes / 60
    return f"{hours:,.{0 if hours == int(hours) else 2}f} queue-hour{'' if hours == 1 else 's'}"


def _cut_note(entry: Mapping[str, Any], minutes: int, plan_minutes: int | None) -> str:
    """Where the window starts or ends inside a row, which is then scaled whole, in words; '' when it does not."""
    step = pd.Timedelta(minutes=minutes)
    parts = []
    for edge, key in (("start_local", "starts_inside"), ("end_local", "ends_inside")):
        if entry.get(key):
            row = pd.Timestamp(entry[key])
            verb = "starts" if edge == "start_local" else "ends"
            parts.append(f"{verb} at {pd.Timestamp(entry[edge]):%H:%M}, inside {row:%H:%M}-{row + step:%H:%M}")
    if not parts:
        return ""
    unit = "hour" if minutes == 60 else f"{minutes}-minute interval"
    text = f"; {' and '.join(parts)}: {'that' if len(parts) == 1 else 'each'} {unit} scaled whole"
    if minutes == 60 and plan_minutes and plan_minutes < 60:
        text += (f" in this hourly forecast (solve --scenario and requirements --scenario scale the plan's "
                 f"{plan_minutes}-minute intervals instead)")
    return text


def _moved(entry: Mapping[str, Any], minutes: int) -> str:
    """The queues a scenario scaled, grouped by their span, with the queue-hours in all."""
    groups: dict[tuple[str, str, int], list[str]] = {}
    for span in entry.get("moved") or []:
        groups.setdefault((span["start_local"], span["end_local"], int(span["rows"])), []).append(span["queue"])
    texts = []
    for (start, end, rows), names in groups.items():
        gap = pd.Timestamp(end) - pd.Timestamp(start) != pd.Timedelta(minutes=rows * minutes)
        each = f" ({rows * minutes / 60:g} h open{' each' if len(names) > 1 else ''})" if gap else ""
        texts.append(f"{_scenario_queues(names)} {_when(start, end)}{each}")
    total = sum(int(span["rows"]) for span in entry.get("moved") or [])
    return f"{', '.join(texts)} ({_hours(total, minutes)})"


def scenario_lines(section: Mapping[str, Any] | None, time_zone: str) -> list[str]:
    """The scenarios applied, one (wrapped) line each: its factor, the queues and times it moved on the plan's clock
    and the queue-hours, the queues it hit while closed, where it starts or ends inside a row; then where two or more
    met on a queue, with the product of their factors.

    Parameters
    ----------
    section : mapping or None
        A forecast metadata's ``scenario`` (:meth:`forecasting.scenario_apply.AppliedScenarios.as_dict`), or the
        same of the scenarios a solve applied on the planning grid.
    time_zone : str
        The plan's clock, named in the header.

    Returns
    -------
    list of str
        Nothing without scenarios, or for a forecast of an older shiftplan that kept only their text.
    """
    if not section or not section.get("applied"):
        return []
    minutes = int(section.get("row_minutes") or 60)
    plan_minutes = section.get("plan_interval_minutes")
    lines = [f"scenarios applied (times on the plan's clock, {time_zone}; where two meet on a queue, their factors "
             "multiply):"]
    for entry in section["applied"]:
        text = f"{entry['text']}: x{float(entry['factor']):.2f} on {_moved(entry, minutes)}"
        if entry.get("closed"):
            text += f"; {_scenario_queues(entry['closed'])} closed throughout"
        text += _cut_note(entry, minutes, plan_minutes)
        lines.extend(textwrap.wrap(text, WIDTH, initial_indent="  ", subsequent_indent="      "))
    overlaps = section.get("overlaps") or []
    if overlaps:
        text = "where they meet: " + "; ".join(f"{span['queue']} {_when(span['start_local'], span['end_local'])} "
                                                f"x{float(span['factor']):.2f}" for span in overlaps)
        lines.extend(textwrap.wrap(text, WIDTH, initial_indent="  ", subsequent_indent="      "))
    return lines
