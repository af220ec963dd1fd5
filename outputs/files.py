"""Writing output files safely: atomically, and never silently over an existing file."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path


class OutputFolderError(Exception):
    """An output folder that cannot be written: its message says which folder, why, and how to fix it."""


def check_writable_folder(folder: Path, *, what: str = "outputs") -> list[Path]:
    """Make sure ``folder`` exists (creating it and its parents) and a file can be written in it.

    Checked before a long run, so a folder that is a file, is read-only or sits below a file is said at once, not
    after the solve.

    Parameters
    ----------
    folder : Path
        The folder the outputs go to.
    what : str
        What is written there, for the message.

    Returns
    -------
    list of Path
        The folders this call created, outermost first (for :func:`remove_if_empty` when nothing is written).

    Raises
    ------
    OutputFolderError
        With the folder, the system's reason and the fix.
    """
    fix = (f"Fix: make {folder} a folder you can write to (rename or remove a file of that name, or check its "
           "permissions)")
    if folder.exists() and not folder.is_dir():
        raise OutputFolderError(f"cannot write the {what}: {folder} is a file, not a folder. {fix}")
    created = [path for path in (folder, *folder.parents) if not path.exists()][::-1]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(dir=folder, prefix=".shiftplan-write-check.", suffix=".tmp")
        os.close(handle)
        os.unlink(probe)
    except OSError as exc:
        where = exc.filename or folder
        raise OutputFolderError(f"cannot write the {what} in {folder}: {exc.strerror or exc} ({where}). {fix}") \
            from None
    return created


def remove_if_empty(created: list[Path]) -> None:
    """Remove the folders :func:`check_writable_folder` created, innermost first, where they are still empty (a
    run that wrote nothing leaves no empty folder behind); a folder something was written to is kept."""
    for path in reversed(created):
        try:
            path.rmdir()
        except OSError:  # not empty (or already gone): keep it and the folders around it
            return


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def publish_mode(path: Path, directory: bool = False) -> None:
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
    _publish([_stage_file(target, write)])
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


@dataclass(frozen=True)
class _Staged:
    """A file or folder written completely under a temporary name beside its target, not yet published."""

    temp: Path
    target: Path
    is_folder: bool


def _stage_file(target: Path, write: Callable[[Path], None]) -> _Staged:
    handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    staged = _Staged(Path(temp_name), target, False)
    try:
        write(staged.temp)
        with open(staged.temp, "rb") as stream:
            os.fsync(stream.fileno())
        publish_mode(staged.temp)
    except BaseException:
        _discard([staged])
        raise
    return staged


def _stage_folder(target: Path, write: Callable[[Path], None]) -> _Staged:
    staged = _Staged(Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")), target, True)
    try:
        write(staged.temp)
        publish_mode(staged.temp, directory=True)
        for child in staged.temp.iterdir():
            if child.is_file():
                publish_mode(child)
    except BaseException:
        _discard([staged])
        raise
    return staged


def _remove(path: Path, is_folder: bool) -> None:
    if is_folder:
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _discard(staged: list[_Staged]) -> None:
    for item in staged:
        _remove(item.temp, item.is_folder)


def _publish(staged: list[_Staged]) -> None:
    """Rename every staged item into place, replacing what is there, as one step that succeeds or changes nothing.

    Existing targets are first moved aside (into a temporary folder beside them); when any rename fails (a file
    made immutable, a folder in the way), the new items are removed, the old ones moved back, the temporary items
    discarded and the error raised. The old ones are deleted only once every new item is in place.
    """
    aside: dict[Path, Path] = {}  # target folder -> its temporary folder for the old items
    moved: list[tuple[Path, Path]] = []
    placed: list[_Staged] = []
    try:
        for item in staged:
            if os.path.lexists(item.target):
                folder = item.target.parent
                if folder not in aside:
                    aside[folder] = Path(tempfile.mkdtemp(dir=folder, prefix=".shiftplan-old.", suffix=".tmp"))
                saved = aside[folder] / item.target.name
                os.replace(item.target, saved)
                moved.append((item.target, saved))
            os.replace(item.temp, item.target)
            placed.append(item)
    except BaseException:
        for item in placed:
            _remove(item.target, item.is_folder)
        for target, saved in reversed(moved):
            os.replace(saved, target)
        _discard(staged)
        for folder in aside.values():
            shutil.rmtree(folder, ignore_errors=True)
        raise
    for folder in aside.values():
        shutil.rmtree(folder, ignore_errors=True)


class NameTakenError(Exception):
    """Another run published a file of this name between choosing the name and publishing the set."""


def _publish_exclusive(staged: list[_Staged]) -> None:
    """Publish every staged item under a name nobody has taken, or none of them.

    A file is linked to its name (which fails when the name exists, even one created a moment ago by another run)
    and a folder's name is created before the folder is renamed onto it. When a name is taken, the items already
    published are removed again, the rest discarded, and :class:`NameTakenError` raised.
    """
    published: list[_Staged] = []
    try:
        for item in staged:
            if item.is_folder:
                os.mkdir(item.target)  # claims the name; the rename below replaces this empty folder
                published.append(item)
                os.replace(item.temp, item.target)
            else:
                _link_exclusive(item.temp, item.target)
                published.append(item)
    except FileExistsError as exc:
        for item in published:
            _remove(item.target, item.is_folder)
        _discard(staged)
        raise NameTakenError(str(exc.filename)) from None


def _link_exclusive(temp: Path, target: Path) -> None:
    """Move ``temp`` to ``target`` unless ``target`` exists (FileExistsError), by a hard link where the file
    system has them (atomic), else by a check and a rename."""
    try:
        os.link(temp, target)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links (FAT, some network shares)
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, "exists", str(target)) from None
        os.replace(temp, target)
        return
    os.unlink(temp)


@contextlib.contextmanager
def atomic_set(*, exclusive: bool = False) -> Iterator[Callable[[Path, Callable[[Path], None]], Path]]:
    """Write several files and folders as one set: all of them, or (when any write fails) none.

    Yields ``add(target, write, folder=False)``, which writes one item completely under a temporary name beside
    ``target``: ``write`` is called with the temporary file (or, with ``folder=True``, the temporary folder to fill).
    The items are renamed into place only when the block ends without an error; an error (a full disk, an
    unwritable folder, a value a writer refuses) removes every temporary item and leaves the targets as they were.
    With ``exclusive`` no existing name is replaced, not even one another run took while this set was being written:
    :class:`NameTakenError` is raised instead and nothing is published.
    """
    staged: list[_Staged] = []

    def add(target: Path, write: Callable[[Path], None], *, folder: bool = False) -> Path:
        target.parent.mkdir(parents=True, exist_ok=True)
        staged.append((_stage_folder if folder else _stage_file)(target, write))
        return target

    try:
        yield add
    except BaseException:
        _discard(staged)
        raise
    (_publish_exclusive if exclusive else _publish)(staged)


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
    path.parent.mkdir(parents=True, exist_ok=True)
    target = path if overwrite else versioned_path(path)
    _publish([_stage_folder(target, write)])
    return target
