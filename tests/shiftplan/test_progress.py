"""The live progress line of ``shiftplan solve``."""

from __future__ import annotations

from shiftplan.progress import progress_line


def test_progress_line_has_fixed_columns_and_the_gap() -> None:
    """Tests a roster of 120 against a bound of 90: gap 25%, every figure right-aligned in its column."""
    assert progress_line(12.34, 120.0, 90.0) == \
        "     12.3 s  objective           120.00  bound            90.00  gap  25.00%"


def test_a_bound_not_computed_yet_is_not_a_gap_of_100_percent() -> None:
    """Tests a large plan's first report (bound 0 under a roster of 15,768,137, before any bound is computed): the
    line says the bound is not proven yet instead of a 100% gap, in the same columns; a plan that costs nothing has
    gap 0."""
    first = progress_line(10.0, 15_768_137.0, 0.0)
    assert first == "     10.0 s  objective    15,768,137.00  bound   not yet proven  gap       -"
    assert len(first) == len(progress_line(28.3, 15_768_137.0, 14_413_477.4))
    assert progress_line(1.0, 0.0, 0.0).endswith("gap   0.00%")
