"""Where a setting of ``shiftplan.toml`` is written: its block as the user wrote it, and its line.

A ``[[queues]]`` block with ``languages = ["en", "zh", "es"]`` is validated as three queues, so a problem found in
the third of them is at ``queues[7]`` of the expanded list; the user wrote it in one block, say the sixth
(``queues[5]``), at line 98. :class:`TomlSource` maps such locations back to the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: A table header line: ``[plan]`` or ``[[queues]]``, maybe with a comment after it (group 1: the brackets' opening,
#: group 2: the table's name). A name starts with a letter, so an array's item on a line of its own (``[90, 180],``)
#: is not taken for one.
_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z_][A-Za-z0-9_.\-]*)\s*\]\]?\s*(#.*)?$")


def _key_line(key: str) -> re.Pattern[str]:
    """A line that sets ``key`` (``key = ...`` or ``"key" = ...``)."""
    return re.compile(rf"^\s*(\"{re.escape(key)}\"|'{re.escape(key)}'|{re.escape(key)})\s*=")


def dotted(loc: tuple[int | str, ...]) -> str:
    """Render a location as ``queues[3].aht_seconds``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


@dataclass(frozen=True)
class TomlSource:
    """The text of ``shiftplan.toml`` and how its ``[[queues]]`` blocks were expanded into queues.

    Parameters
    ----------
    lines : tuple of str
        The file's lines.
    queue_blocks : tuple of int
        For each queue of the expanded list, the index of the ``[[queues]]`` block it comes from.
    listed_languages : tuple of bool
        For each queue of the expanded list, whether its language comes from its block's ``languages`` list.
    """

    lines: tuple[str, ...] = ()
    queue_blocks: tuple[int, ...] = ()
    listed_languages: tuple[bool, ...] = ()

    def as_written(self, loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
        """Return ``loc`` of the expanded queues as the user wrote it: ``("queues", 7, "language")`` of the third
        language of the sixth block is ``("queues", 5, "languages")``.

        Parameters
        ----------
        loc : tuple
            A location in the configuration (keys and list indices).

        Returns
        -------
        tuple
            The same location in the file; ``loc`` itself when it is not inside an expanded queue.
        """
        if len(loc) < 2 or loc[0] != "queues" or not isinstance(loc[1], int) \
                or not 0 <= loc[1] < len(self.queue_blocks):
            return loc
        rest = loc[2:]
        if rest == ("language",) and self.listed_languages[loc[1]]:
            rest = ("languages",)
        return ("queues", self.queue_blocks[loc[1]], *rest)

    def locate(self, loc: tuple[int | str, ...]) -> tuple[int | None, str]:
        """Return where a location of the configuration is written: its line (see :meth:`line`) and its dotted key as
        written, e.g. ``(98, "queues[5].aht_seconds")``.

        Parameters
        ----------
        loc : tuple
            A location in the configuration (keys and list indices, queues expanded).

        Returns
        -------
        tuple
            The line or None, and the dotted key.
        """
        written = self.as_written(loc)
        return self.line(written), dotted(written)

    def line(self, loc: tuple[int | str, ...]) -> int | None:
        """Return the line (from 1) of a location as written, in a ``[table]`` or in a block of an ``[[array]]``.

        Parameters
        ----------
        loc : tuple
            A location as written (see :meth:`as_written`), e.g. ``("queues", 5, "aht_seconds")`` or
            ``("plan", "time_zone")``.

        Returns
        -------
        int or None
            The line of the key inside its table or block when it sets it, else the line of the table's or block's
            header; None when the file has no such header (a key of the top level, an inline table or array).
        """
        if not loc or not isinstance(loc[0], str):
            return None
        headers = [(i, match) for i, text in enumerate(self.lines) if (match := _HEADER.match(text))]
        if len(loc) >= 2 and isinstance(loc[1], int):
            blocks = [k for k, (_, match) in enumerate(headers) if match.group(1) == "[[" and match.group(2) == loc[0]]
            if not 0 <= loc[1] < len(blocks):
                return None
            k, key = blocks[loc[1]], loc[2] if len(loc) > 2 else None
        else:
            tables = [k for k, (_, match) in enumerate(headers) if match.group(1) == "[" and match.group(2) == loc[0]]
            if not tables:
                return None
            k, key = tables[0], loc[1] if len(loc) > 1 else None
        start = headers[k][0]
        end = headers[k + 1][0] if k + 1 < len(headers) else len(self.lines)
        if isinstance(key, str):
            setting = _key_line(key)
            for i in range(start + 1, end):
                if setting.match(self.lines[i]):
                    return i + 1
        return start + 1
