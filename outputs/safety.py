"""Text from user files written so that a spreadsheet shows it as text, never runs it as a formula."""

from __future__ import annotations

import pandas as pd

from inputs.table_reader import FORMULA_PREFIXES


def safe_text(value: object) -> object:
    """Prefix a leading formula character with an apostrophe (OWASP's CSV-injection advice).

    Parameters
    ----------
    value : object
        A cell value; only strings are changed.

    Returns
    -------
    object
        ``"'=1+1"`` for ``"=1+1"``; anything else unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Return a copy of ``frame`` with :func:`safe_text` applied to the given text columns."""
    result = frame.copy()
    for column in columns:
        result[column] = result[column].map(safe_text)
    return result
