"""``python -m shiftplan``: the same as the ``shiftplan`` command."""

from shiftplan.cli import run

run()
