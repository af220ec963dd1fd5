"""Problems found in a plan folder, collected and reported all at once.

Validation never stops at the first problem: every reader and check appends
:class:`Problem` records to a :class:`ProblemLog`, and the loader raises one
:class:`PlanError` carrying all of them at the end.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]

#: Numbers in a message (rows, dates, hours, the digits of ids): messages that differ only in them are one kind.
_NUMBER = re.compile(r"\d+")

#: How many rows of one (file, column, message) kind are listed before the rest are summarised.
MAX_ROWS_PER_KIND = 5


def lower_first(text: str) -> str:
    """Lower-case the first letter of a sentence used inside another, unless it starts an acronym (``IANA``, ``HR's``):
    ``The agent's IANA time zone`` -> ``the agent's IANA time zone``."""
    return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or suspicious) in the plan folder.

    Parameters
    ----------
    file : str
        File name relative to the plan folder, e.g. ``"agents.csv"``.
    message : str
        What is wrong, in words, without the location.
    fix : str
        How to fix it.
    row : int or None
        Row number as a spreadsheet shows it (the header is row 1, the first data row is row 2); in
        ``shiftplan.toml``, the line (from 1), when known; ``None`` for the file as a whole.
    column : str or None
        Column name, or the dotted TOML key (``"queues[3].aht_seconds"``).
    value : str or None
        The offending value as written, when there is one.
    severity : {"error", "warning"}
        Errors stop the run; warnings are printed and the run goes on.
    """

    file: str
    message: str
    fix: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    severity: Severity = "error"

    def location(self) -> str:
        """Return ``file, row R, column C`` (``file, line L, key`` for TOML) with the parts that are known."""
        parts = [self.file]
        toml = self.file.endswith(".toml")
        if self.row is not None:
            parts.append(f"{'line' if toml else 'row'} {self.row}")
        if self.column is not None:
            parts.append(self.column if toml else f"column {self.column}")
        return ", ".join(parts)

    def render(self) -> str:
        """Return the one-line text shown to the user."""
        value = f" {self.value!r}:" if self.value is not None else ""
        return f"{self.location()}:{value} {self.message}. Fix: {self.fix}."

    def kind(self) -> tuple[str, str | None, str, Severity]:
        """Return the key under which repeated problems are grouped: the same message up to its numbers (a row it
        refers to, a date, an id's digits), or the same fix where the message names the cell's value (one line per
        bad code would not summarise)."""
        names_value = self.value is not None and str(self.value) in self.message
        return (self.file, self.column, self.fix if names_value else f"{_NUMBER.sub('#', self.message)}|{self.fix}",
                self.severity)


@dataclass
class ProblemLog:
    """An append-only collection of problems, in the order they were found."""

    problems: list[Problem] = field(default_factory=list)

    def add(
        self,
        file: str,
        message: str,
        fix: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        severity: Severity = "error",
    ) -> None:
        """Record one problem (see :class:`Problem` for the parameters)."""
        text = None if value is None else str(value)
        self.problems.append(Problem(file, message, fix, row, column, text, severity))

    def extend(self, problems: Iterable[Problem]) -> None:
        """Record several problems."""
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        """The problems that stop the run."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems that are only reported."""
        return [p for p in self.problems if p.severity == "warning"]

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.problems)

    def __len__(self) -> int:
        return len(self.problems)


def render_problems(problems: Iterable[Problem], max_rows_per_kind: int = MAX_ROWS_PER_KIND) -> list[str]:
    """Render problems as lines, summarising long runs of the same problem.

    A history file with 40,000 bad timestamps shows the first few rows and one line
    ``... and 39,995 more rows with the same problem`` instead of 40,000 lines.

    Parameters
    ----------
    problems : iterable of Problem
        The problems, in the order found.
    max_rows_per_kind : int
        Rows listed per (file, column, kind of problem) before summarising.

    Returns
    -------
    list of str
        One line per problem shown, errors first.
    """
    ordered = sorted(problems, key=lambda p: p.severity != "error")
    totals = Counter(p.kind() for p in ordered)
    shown: Counter[tuple[str, str | None, str, Severity]] = Counter()
    lines: list[str] = []
    for problem in ordered:
        key = problem.kind()
        shown[key] += 1
        prefix = "warning: " if problem.severity == "warning" else ""
        if shown[key] <= max_rows_per_kind:
            lines.append(prefix + problem.render())
        elif shown[key] == max_rows_per_kind + 1:
            rest = totals[key] - max_rows_per_kind
            lines.append(f"{prefix}{problem.file}, column {problem.column}: ... and {rest:,} more "
                         f"row{'s' if rest != 1 else ''} with the same problem")
    return lines


class PlanError(Exception):
    """The plan folder cannot be used; carries every problem found.

    Parameters
    ----------
    problems : list of Problem
        Every problem found, errors and warnings.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = sum(p.severity == "error" for p in problems)
        super().__init__(f"{errors} problem{'s' if errors != 1 else ''} in the plan")

    def report(self) -> str:
        """Return the full multi-line report shown to the user."""
        errors = sum(p.severity == "error" for p in self.problems)
        head = f"The plan has {errors} problem{'s' if errors != 1 else ''}; nothing was written."
        return "\n".join([head, *("  " + line for line in render_problems(self.problems))])
