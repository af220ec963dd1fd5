"""Writing output files safely: atomically, and never silently over an existing file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _publish_mode(path: Path, directory: bool = False) -> None:
    """Give a temporary file (0600) or folder (0700) the mode a normal ``open`` would have (umask applied)."""
    os.chmod(path, (0o777 if directory else 0o666) & ~_umask())


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
        _publish_mode(temp)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    return target


def versioned_set(folder: Path, stem: str, suffixes: tuple[str, ...], *, overwrite: bool = False) -> dict[str, Path]:
    """Names for a set of files that share one version: ``stem.xlsx``, ``stem.csv``, ... or all ``stem.vN.*``.

    Parameters
    ----------
    folder : Path
        Where the files go.
    stem : str
        Base name, e.g. ``roster-2026-11-30``.
    suffixes : tuple of str
        Endings of the set, e.g. ``(".xlsx", ".csv", ".result.json", ".calendars")``.
    overwrite : bool
        Return the unversioned names even if some exist.

    Returns
    -------
    dict
        Suffix -> path, for the first version none of whose names exist yet.
    """
    version = 1
    while True:
        name = stem if version == 1 else f"{stem}.v{version}"
        paths = {suffix: folder / f"{name}{suffix}" for suffix in suffixes}
        if overwrite or not any(p.exists() for p in paths.values()):
            return paths
        version += 1


def write_atomic_folder(path: Path, write: Callable[[Path], None], *, overwrite: bool = False) -> Path:
    """Write a folder of files through a temporary folder beside it, then rename it into place.

    An interrupted write leaves no partial folder. With ``overwrite`` an existing folder is moved
    aside, the new one renamed in, and the old one deleted.

    Parameters
    ----------
    path : Path
        Destination folder.
    write : callable
        Called with the temporary folder; writes every file there.
    overwrite : bool
        Replace ``path`` if it exists; otherwise a versioned name is chosen.

    Returns
    -------
    Path
        Where the folder was written.
    """
    import shutil

    path.parent.mkdir(parents=True, exist_ok=True)
    target = path if overwrite else versioned_path(path)
    temp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"))
    try:
        write(temp)
        _publish_mode(temp, directory=True)
        for child in temp.iterdir():
            if child.is_file():
                _publish_mode(child)
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".old"))
            os.replace(target, old / target.name)
        os.replace(temp, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return target
