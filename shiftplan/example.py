"""The bundled example plan, "crypto exchange support desk", and ``shiftplan init``."""

from __future__ import annotations

import shutil
import tempfile
from importlib import resources
from pathlib import Path

EXAMPLE_PACKAGE = "inputs.example_plan"
EXAMPLE_SUFFIXES = (".toml", ".csv", ".parquet", ".xlsx", ".md")


class FolderNotEmptyError(Exception):
    """The target folder of ``init`` already holds files and ``force`` was not given."""


def example_files() -> list[str]:
    """Return the names of the files of the bundled example plan."""
    root = resources.files(EXAMPLE_PACKAGE)
    return sorted(entry.name for entry in root.iterdir() if entry.name.endswith(EXAMPLE_SUFFIXES))


def write_example(target: Path, *, force: bool = False) -> list[Path]:
    """Write the bundled example plan into ``target``.

    The files are first copied into a temporary folder beside ``target`` and then moved in,
    so an interrupted ``init`` leaves no half-written plan.

    Parameters
    ----------
    target : Path
        The plan folder to create (it may exist if empty).
    force : bool
        Overwrite the example's files in a non-empty folder (other files are left alone).

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    FolderNotEmptyError
        When ``target`` holds files and ``force`` is False.
    """
    if target.exists() and not target.is_dir():
        raise FolderNotEmptyError(f"{target} is a file, not a folder")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise FolderNotEmptyError(f"{target} is not empty")
    target.parent.mkdir(parents=True, exist_ok=True)
    root = resources.files(EXAMPLE_PACKAGE)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".shiftplan-init-") as staging:
        staged = Path(staging)
        for name in example_files():
            with resources.as_file(root / name) as source:
                shutil.copyfile(source, staged / name)
        target.mkdir(exist_ok=True)
        for name in example_files():
            (staged / name).replace(target / name)
            written.append(target / name)
    return written
