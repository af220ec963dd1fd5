"""Writing output files safely: atomically, and never silently over an existing file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def versioned_path(path: Path) -> Path:
    """Return ``path`` if it is free, else the first free ``stem.v2.suffix``, ``stem.v3.suffix``, ...

    Parameters
    ----------
    path : Path
        The wanted file name.

    Returns
    -------
    Path
        A name that does not exist yet.
    """
    if not path.exists():
        return path
    version = 2
    while True:
        candidate = path.with_name(f"{path.stem}.v{version}{path.suffix}")
        if not candidate.exists():
            return candidate
        version += 1


def write_atomic(path: Path, write: Callable[[Path], None], *, overwrite: bool = False) -> Path:
    """Write a file through a temporary file in the same folder, then rename it into place.

    An interrupted write leaves no partial file: either the old state or the complete new file.

    Parameters
    ----------
    path : Path
        Destination.
    write : callable
        Called with the temporary path; writes the whole content there.
    overwrite : bool
        Replace ``path`` if it exists; otherwise a versioned name is chosen.

    Returns
    -------
    Path
        Where the file was written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    target = path if overwrite else versioned_path(path)
    handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    temp = Path(temp_name)
    try:
        write(temp)
        with open(temp, "rb") as stream:
            os.fsync(stream.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    return target
