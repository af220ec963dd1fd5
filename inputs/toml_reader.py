"""Read ``shiftplan.toml`` into a :class:`PlanConfig`, turning every error into a problem.

Unknown keys are errors with a suggestion (``'ahtt_seconds' is not a setting of [[queues]];
did you mean 'aht_seconds'?``). A ``[[queues]]`` entry may list ``languages = [...]``: it
stands for one queue per language with the same settings.
"""

from __future__ import annotations

import difflib
import tomllib
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from inputs.config import LocatedSettingsError, OpenPosition, PlanConfig, invisible_codes
from inputs.problems import ProblemLog, lower_first
from inputs.toml_source import TomlSource, dotted
from inputs.toml_stand_in import stand_in_config

CONFIG_FILE = "shiftplan.toml"


def _expand_queues(raw: dict[str, Any], lines: tuple[str, ...], log: ProblemLog) -> tuple[dict[str, Any], TomlSource]:
    """Return ``raw`` with each ``languages = [...]`` queue block replaced by one queue per language, and the source
    that maps the expanded queues back to their blocks (``raw`` itself is left as written)."""
    source = TomlSource(lines)
    queues = raw.get("queues")
    if not isinstance(queues, list):
        return raw, source
    expanded: list[Any] = []
    blocks: list[int] = []
    listed: list[bool] = []
    for i, entry in enumerate(queues):
        if isinstance(entry, dict) and "languages" in entry:
            languages = entry["languages"]
            if "language" in entry:
                log.add(CONFIG_FILE, "has both 'language' and 'languages'", "keep one of them",
                        row=source.line(("queues", i)), column=f"queues[{i}]")
                continue
            if not isinstance(languages, list) or not languages or not all(
                    isinstance(x, str) for x in languages):
                log.add(CONFIG_FILE, "must be a non-empty list of language codes",
                        'write e.g. languages = ["en", "zh"]', row=source.line(("queues", i, "languages")),
                        column=f"queues[{i}].languages", value=languages)
                continue
            rest = {k: v for k, v in entry.items() if k != "languages"}
            expanded.extend({"language": language, **rest} for language in languages)
            blocks.extend([i] * len(languages))
            listed.extend([True] * len(languages))
        else:
            expanded.append(entry)
            blocks.append(i)
            listed.append(False)
    return {**raw, "queues": expanded}, TomlSource(lines, tuple(blocks), tuple(listed))


def _model_at(loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """Return the pydantic model that owns the last key of ``loc``."""
    model: Any = PlanConfig
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or part not in model.model_fields:
            return None
        model = _inner_model(model.model_fields[part].annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    """Unwrap tuple[...], Optional[...] and Annotated[...] down to a model class."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (tuple, list, typing.Union, types.UnionType):
            candidates = [a for a in typing.get_args(annotation) if a is not type(None) and a is not Ellipsis]
            annotation = candidates[0] if candidates else None
        else:
            return annotation


def _invisible_characters(raw: object, source: TomlSource, log: ProblemLog, loc: tuple[int | str, ...] = ()) -> bool:
    """Report every text value (and key) holding an invisible character (:data:`inputs.config.INVISIBLE`): a
    workbook cannot hold control characters, and they were found only when the roster was written."""
    found = False
    items = raw.items() if isinstance(raw, dict) else enumerate(raw) if isinstance(raw, list) else ()
    for key, value in items:
        where = (*loc, key)
        for text in (key, value) if isinstance(key, str) else (value,):
            if isinstance(text, str) and invisible_codes(text):
                log.add(CONFIG_FILE, f"has an invisible control character ({invisible_codes(text)})",
                        "retype the value without it", row=source.line(where), column=dotted(where), value=text)
                found = True
        if isinstance(value, dict | list):
            found = _invisible_characters(value, source, log, where) or found
    return found


def _table_name(loc: tuple[int | str, ...]) -> str:
    """Name the TOML table holding the last key of ``loc``, e.g. ``[[queues]]`` or ``[plan]``."""
    parents = [p for p in loc[:-1] if isinstance(p, str)]
    if not parents:
        return "the top level"
    bracket = "[[{}]]" if len(loc) > 1 and isinstance(loc[1], int) else "[{}]"
    return bracket.format(".".join(parents))


def _field_loc(loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    """Strip the item indices that end ``loc``: ``lengths_minutes[0]`` -> ``lengths_minutes``."""
    end = len(loc)
    while end > 0 and isinstance(loc[end - 1], int):
        end -= 1
    return loc[:end]


def _raw_at(raw: Any, loc: tuple[int | str, ...]) -> Any:
    """Return the value the user wrote at ``loc``, or None when it is not there."""
    for part in loc:
        try:
            raw = raw[part]
        except (KeyError, IndexError, TypeError):
            return None
    return raw


def _field_help(loc: tuple[int | str, ...]) -> str:
    """Return 'meaning, e.g. example' of the field at ``loc``, or a generic hint."""
    loc = _field_loc(loc)
    model = _model_at(loc)
    name = loc[-1] if loc else None
    if model is not None and isinstance(name, str) and name in model.model_fields:
        info = model.model_fields[name]
        example = f", e.g. {name} = {info.examples[0]!r}" if info.examples else ""
        return f"set {name} to {lower_first(info.description or 'a valid value')}{example}"
    return "see the shiftplan.toml reference in the README"


def _tuple_length(loc: tuple[int | str, ...]) -> int | str:
    """Return how many items the fixed-length tuple field at ``loc`` takes."""
    model = _model_at(loc)
    name = loc[-1] if loc else None
    if model is not None and isinstance(name, str) and name in model.model_fields:
        args = typing.get_args(model.model_fields[name].annotation)
        if args and Ellipsis not in args:
            return len(args)
    return "the documented number of"


def _toml(value: Any) -> str:
    """Render a value as the user wrote it in TOML: ``[90]``, ``"day"``, ``480``."""
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value).lower() if isinstance(value, bool) else str(value)


def _problem_from_error(error: Any, raw: dict[str, Any], source: TomlSource, log: ProblemLog) -> None:
    """Translate one pydantic error into a plan problem, located where the user wrote the setting (``raw`` is what
    was validated: the queues expanded, see :func:`_expand_queues`)."""
    loc: tuple[int | str, ...] = tuple(error["loc"])
    kind = error["type"]
    located = (error.get("ctx") or {}).get("error")
    if isinstance(located, LocatedSettingsError):  # a check across settings: each problem at its own setting
        for inner, message, fix in located.problems:
            line, where = source.locate((*loc, *inner))
            log.add(CONFIG_FILE, message, fix, row=line, column=where or None)
        return
    line, where = source.locate(loc)
    if kind == "extra_forbidden":
        model = _model_at(loc)
        known = sorted(model.model_fields) if model is not None else []
        near = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        fix = f"rename it to '{near[0]}'" if near else f"remove it; known settings: {', '.join(known)}"
        log.add(CONFIG_FILE, f"'{loc[-1]}' is not a setting of {_table_name(loc)}", fix, row=line, column=where)
        return
    field = _field_loc(loc)
    if kind == "too_long" or (kind == "missing" and field != loc):  # a fixed-length list with too many or few items
        written = _raw_at(raw, field)
        count = f"{len(written)} value{'' if len(written) == 1 else 's'}" if isinstance(written, list) else \
            "another number of values"
        line, where = source.locate(field)
        log.add(CONFIG_FILE, f"{field[-1]} = {_toml(written)} has {count}; it needs exactly "
                f"{_tuple_length(field)}", _field_help(field), row=line, column=where)
        return
    if kind == "missing":
        log.add(CONFIG_FILE, f"required setting '{loc[-1]}' is missing", _field_help(loc), row=line,
                column=where)
        return
    if kind == "too_short":  # pydantic says "tuple should have at least 1 item after validation, not 0"
        written = _raw_at(raw, field)
        least = (error.get("ctx") or {}).get("min_length", 1)
        values = f"{least} value{'' if least == 1 else 's'}"
        has = "is empty" if not written else f"has {len(written)}" if isinstance(written, list) else "has too few"
        line, where = source.locate(field)
        log.add(CONFIG_FILE, f"{field[-1]} = {_toml(written)} {has}; it needs at least {values}", _field_help(field),
                row=line, column=where)
        return
    message = str(error["msg"])
    fix = _field_help(loc)
    value = error.get("input")
    if message.startswith("Value error, "):
        message, _, explicit_fix = message[len("Value error, "):].partition("|")
        fix = explicit_fix or fix
        value = None  # the message names the value itself
    else:
        message = message[0].lower() + message[1:]
    if isinstance(value, dict | list):
        value = None
    if loc and loc[-1] == "language" and where.endswith(".languages") and fix == _field_help(loc):
        fix = 'write each of languages as a lower-case code, e.g. languages = ["en", "zh"]'  # the key as written
    log.add(CONFIG_FILE, message, fix, row=line, column=where or None, value=value)


@dataclass(frozen=True)
class ConfigRead:
    """What :func:`read_plan_config` read.

    Attributes
    ----------
    config : PlanConfig or None
        The configuration; with problems, a stand-in to read the tables with (:mod:`inputs.toml_stand_in`), or None
        when there is none.
    replaced : frozenset of str
        The sections of a stand-in that are not as written (the checks that depend on them are not run).
    dropped : frozenset of str
        The list sections of a stand-in that lack an entry of the file.
    valid_open_positions : tuple of OpenPosition, optional
        Of a stand-in, the ``[[open_positions]]`` blocks valid on their own (see :attr:`open_positions`).
    """

    config: PlanConfig | None
    replaced: frozenset[str] = frozenset()
    dropped: frozenset[str] = frozenset()
    valid_open_positions: tuple[OpenPosition, ...] | None = None

    @property
    def is_stand_in(self) -> bool:
        """Whether :attr:`config` is a stand-in for a configuration with problems."""
        return bool(self.replaced or self.dropped)

    @property
    def open_positions(self) -> tuple[OpenPosition, ...]:
        """The ``[[open_positions]]`` blocks valid on their own, whose heads' ids the agents file may not use: the
        configuration's, or a stand-in's that a problem across blocks left out of it (so that an agent with such an
        id is reported beside that problem)."""
        if self.valid_open_positions is not None:
            return self.valid_open_positions
        return () if self.config is None else self.config.open_positions


def read_config(plan_dir: Path, log: ProblemLog) -> PlanConfig | None:
    """Read and validate ``shiftplan.toml`` of a plan folder.

    Parameters
    ----------
    plan_dir : Path
        The plan folder.
    log : ProblemLog
        Where problems go.

    Returns
    -------
    PlanConfig or None
        The configuration, or ``None`` when it has errors (they are in ``log``).
    """
    read = read_plan_config(plan_dir, log)
    return None if read.is_stand_in else read.config


def read_plan_config(plan_dir: Path, log: ProblemLog) -> ConfigRead:
    """Read and validate ``shiftplan.toml`` of a plan folder; with problems, give a stand-in to read the tables with.

    Parameters
    ----------
    plan_dir : Path
        The plan folder.
    log : ProblemLog
        Where problems go.

    Returns
    -------
    ConfigRead
        The configuration; when it has problems (they are in ``log``), its stand-in (which sections it replaces), or
        no configuration when ``[plan]`` or ``[files]`` is bad or the file cannot be read.
    """
    path = plan_dir / CONFIG_FILE
    if not path.is_file():
        log.add(CONFIG_FILE, f"is missing from {plan_dir}", "create one with 'shiftplan init DIR' and edit "
                "it, or point the command at the plan folder")
        return ConfigRead(None)
    try:
        text = path.read_text(encoding="utf-8-sig")  # a byte-order mark (Notepad) is not TOML
        raw = tomllib.loads(text)
    except UnicodeDecodeError:
        log.add(CONFIG_FILE, "is not UTF-8 text", "save it as UTF-8")
        return ConfigRead(None)
    except tomllib.TOMLDecodeError as exc:
        log.add(CONFIG_FILE, f"is not valid TOML ({exc})", "fix the syntax at that line; strings need "
                "quotes, tables look like [plan]")
        return ConfigRead(None)
    lines = tuple(text.splitlines())
    if _invisible_characters(raw, TomlSource(lines), log):
        return ConfigRead(None)
    errors_before = len(log.errors)
    expanded, source = _expand_queues(raw, lines, log)
    queues_skipped = len(log.errors) > errors_before
    try:
        config = PlanConfig.model_validate(expanded)
    except ValidationError as exc:
        errors = exc.errors()
        stand_in = stand_in_config(expanded, errors, queues_skipped)
        found = ProblemLog()
        for error in errors + (stand_in.errors if stand_in is not None else []):
            # a list whose items all failed is also "too short": the items' own problems say it all
            if error["type"] == "too_short" and any(
                    other is not error and tuple(other["loc"][:len(error["loc"])]) == tuple(error["loc"])
                    for other in errors):
                continue
            _problem_from_error(error, expanded, source, found)
        log.extend(dict.fromkeys(found))  # a block of three languages with one bad value: one problem, not three
        if stand_in is None:
            return ConfigRead(None)
        stand_in.config._source = source
        return ConfigRead(stand_in.config, stand_in.replaced, stand_in.dropped, stand_in.open_positions)
    config._source = source
    if queues_skipped:
        return ConfigRead(config, frozenset({"queues"}), frozenset({"queues"}))
    return ConfigRead(config)
