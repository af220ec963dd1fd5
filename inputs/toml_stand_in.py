"""A stand-in for a ``shiftplan.toml`` with problems, so that the tables can still be read and checked.

A misspelt key in one ``[[queues]]`` block says nothing about ``agents.csv``, yet without a configuration no table
could be read and the user would see the table's problems only after fixing the TOML. The stand-in keeps every
setting that validated and puts a neutral value in place of each that did not: a bad setting of ``[rules]``,
``[objective]``, ``[solver]`` or ``[forecast]`` takes its default; a ``[[queues]]`` or ``[[shift_templates]]`` block
keeps its identity (language and channel; name) with placeholder values; a bad ``[[open_positions]]`` block is left
out. The stand-in says which sections it does not hold as written, so that the checks that depend on them are not
run on placeholders (a rest rule that is not the user's cannot break a pin). It is never planned with: the plan
has errors by construction. A bad ``[plan]`` or ``[files]`` leaves no stand-in (the tables' names, days and clock are
unknown).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from inputs.config import Loc, LocatedSettingsError, OpenPosition, PlanConfig, Queue, ShiftTemplate

#: The ``[[...]]`` sections, with the model of an entry.
LISTS: dict[str, type[BaseModel]] = {"queues": Queue, "shift_templates": ShiftTemplate,
                                     "open_positions": OpenPosition}
#: The sections whose every setting has a default.
DEFAULTED = ("rules", "objective", "solver", "forecast")
#: How many times the whole configuration is validated again after entries were replaced.
MAX_ROUNDS = 3


@dataclass(frozen=True)
class StandIn:
    """A configuration to read the tables with, in place of one that has problems.

    Attributes
    ----------
    config : PlanConfig
        The stand-in.
    replaced : frozenset of str
        Sections (``"rules"``, ``"queues"``, ...) of which a setting is not as written.
    dropped : frozenset of str
        List sections of which an entry is missing (its identity itself was bad).
    errors : list of dict
        pydantic errors of the whole configuration that only the stand-in revealed (checks across blocks, e.g. an
        open position naming an unknown template, which the first errors kept from running).
    open_positions : tuple of OpenPosition
        The ``[[open_positions]]`` blocks that are valid on their own, also when a problem across blocks left them
        out of :attr:`config`: the agents file may not use their heads' ids.
    """

    config: PlanConfig
    replaced: frozenset[str]
    dropped: frozenset[str]
    errors: list[dict[str, Any]]
    open_positions: tuple[OpenPosition, ...] = ()


def _queue_stand_in(entry: dict[str, Any]) -> dict[str, Any]:
    """A valid queue with the entry's language and channel."""
    return {"language": entry.get("language"), "channel": entry.get("channel"), "kind": "chat",
            "aht_seconds": 300, "service_level_percent": 80, "answer_within_seconds": 20}


def _template_stand_in(entry: dict[str, Any], index: int) -> dict[str, Any]:
    """A valid template with the entry's name (and a code of its own: a bad code is not the template's identity)."""
    return {"name": entry.get("name"), "code": f"~{index}", "start_earliest": "00:00", "start_latest": "23:00",
            "lengths_minutes": [480]}


#: An entry that fills a list section every entry of which was left out (its checks are not run: it is dropped).
PLACEHOLDERS: dict[str, dict[str, Any]] = {
    "queues": {"language": "und", "channel": "chat", "kind": "chat", "aht_seconds": 300, "service_level_percent": 80,
               "answer_within_seconds": 20},
    "shift_templates": {"name": "~", "code": "~", "start_earliest": "00:00", "start_latest": "23:00",
                        "lengths_minutes": [480]},
}

#: The settings that make an entry what it is: a stand-in never replaces them.
IDENTITY = {"queues": {"language", "channel"}, "shift_templates": {"name"}}


def _entry_stand_in(section: str, entry: Any, bad_keys: set[str], index: int) -> dict[str, Any] | None:
    """The entry without its bad settings (a required one given its documented example, a template's code one of
    its own), else a neutral entry of the same identity; None when the identity itself is bad."""
    if not isinstance(entry, dict) or bad_keys & IDENTITY[section]:
        return None
    model = LISTS[section]
    kept = {key: value for key, value in entry.items() if key not in bad_keys and key in model.model_fields}
    for name, field in model.model_fields.items():
        if name not in kept and field.is_required() and field.examples:
            kept[name] = f"~{index}" if name == "code" else copy.deepcopy(field.examples[0])
    neutral = _queue_stand_in(entry) if section == "queues" else _template_stand_in(entry, index)
    for candidate in (kept, neutral):
        try:
            model.model_validate(candidate)
        except ValidationError:
            continue
        return candidate
    return None


def _key(error: dict[str, Any]) -> tuple[tuple[int | str, ...], str]:
    """An error's location and message (its context holds exception objects, which do not compare equal)."""
    return tuple(error["loc"]), str(error["msg"])


def _as_written(error: dict[str, Any], kept: dict[str, list[int]]) -> dict[str, Any]:
    """An error of the stand-in whose problems are located (:class:`inputs.config.LocatedSettingsError`), located at the
    blocks of the file: a block left out moved the later ones up (``open_positions[0]`` of the stand-in is the
    file's ``open_positions[1]`` when the first was left out)."""
    located = (error.get("ctx") or {}).get("error")
    if not isinstance(located, LocatedSettingsError):
        return error

    def in_file(loc: Loc) -> Loc:
        if len(loc) >= 2 and isinstance(loc[1], int) and 0 <= loc[1] < len(kept.get(str(loc[0]), ())):
            return (loc[0], kept[str(loc[0])][loc[1]], *loc[2:])
        return loc

    return {**error, "ctx": {**error["ctx"], "error": located.moved(in_file)}}


def stand_in_config(expanded: dict[str, Any], errors: list[dict[str, Any]],
                    queues_skipped: bool = False) -> StandIn | None:
    """Build the stand-in of a configuration that failed validation (see the module's docstring).

    Parameters
    ----------
    expanded : dict
        The TOML as validated (queue blocks expanded per language).
    errors : list of dict
        pydantic's errors of that validation.
    queues_skipped : bool
        Whether blocks of ``[[queues]]`` were left out before validation (written with both ``language`` and
        ``languages``, say).

    Returns
    -------
    StandIn or None
        None when ``[plan]`` or ``[files]`` is bad, a list section is missing or not a list, or the stand-in still
        does not validate.
    """
    data = copy.deepcopy(expanded)
    replaced: set[str] = set()
    dropped: set[str] = {"queues"} if queues_skipped else set()
    bad: dict[tuple[str, int], set[str]] = {}
    for error in errors:
        loc = tuple(error["loc"])
        if not loc:  # a check across blocks: validated again below
            continue
        section = loc[0]
        if section in LISTS and loc == (section,) and error["type"] == "too_short" and any(
                tuple(other["loc"][:1]) == loc and len(other["loc"]) > 1 for other in errors):
            continue  # every entry failed (a plan of one queue with a bad setting): their stand-ins fill the list
        if section in LISTS and len(loc) >= 2 and isinstance(loc[1], int):
            bad.setdefault((str(section), loc[1]), set()).add(str(loc[2]) if len(loc) > 2 else "")
        elif section in DEFAULTED:
            replaced.add(str(section))
            table = data.get(section)
            if len(loc) == 1 or not isinstance(table, dict):  # the table as a whole (not a table, or a check across
                data[section] = {}  # its settings): every setting takes its default
            else:
                table.pop(loc[1], None)
        elif len(loc) == 1 and error["type"] == "extra_forbidden":  # an unknown table ([rulez]): any table not
            data.pop(section, None)  # written may be the one meant
            replaced.update(name for name in (*DEFAULTED, "open_positions") if name not in data)
        else:
            return None
    for (section, index), keys in bad.items():
        replaced.add(section)
        entries = data.get(section)
        if not isinstance(entries, list) or index >= len(entries):
            return None
        stand_in = None if section == "open_positions" else _entry_stand_in(section, entries[index], keys, index)
        if stand_in is None:
            dropped.add(section)
        entries[index] = stand_in
    kept: dict[str, list[int]] = {}  # per list section, the index in the file of each entry the stand-in keeps
    for section in LISTS:
        if isinstance(data.get(section), list):
            kept[section] = [i for i, entry in enumerate(data[section]) if entry is not None]
            data[section] = [entry for entry in data[section] if entry is not None]
            if not data[section] and section in dropped and section in PLACEHOLDERS:
                # every entry's identity was bad (a plan of one queue with a misspelt language): a placeholder fills
                # the list so that the tables are still read; the checks that need the section are not run
                data[section] = [copy.deepcopy(PLACEHOLDERS[section])]
    own: list[OpenPosition] = []  # the blocks valid on their own (the bad ones are left out above)
    for entry in data.get("open_positions") or ():
        try:
            own.append(OpenPosition.model_validate(entry))
        except ValidationError:
            continue
    revealed: list[dict[str, Any]] = []
    seen = {_key(error) for error in errors}
    for _ in range(MAX_ROUNDS):
        try:
            config = PlanConfig.model_validate(data)
        except ValidationError as exc:
            found = exc.errors()
            if any(tuple(error["loc"]) for error in found):
                return None
            for error in found:  # a check across blocks: real, unless a block it would have counted was left out
                if not dropped & {"queues", "shift_templates"} and _key(error) not in seen:
                    seen.add(_key(error))
                    revealed.append(_as_written(error, kept))
            if not data.get("open_positions"):
                return None
            data["open_positions"] = []  # the open positions are the checks' usual subject, and no table's
            replaced.add("open_positions")
            continue
        return StandIn(config, frozenset(replaced), frozenset(dropped), revealed, tuple(own))
    return None
