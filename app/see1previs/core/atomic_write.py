"""Atomic file replacement: a file is either the old version or the new one, never half.

Used by every writer in the layers that may not know about each other (scene files, baked
trajectories); the export layer builds its staged folders on the same idea.

The temporary file is hidden and named after its target, ``.<name>.<random>.see1-tmp``, so it
is recognisably ours. A process killed mid-save leaves it behind; the next save of the same
file (or :func:`remove_leftover_temp_files`, called when a scene is opened) deletes it. What
proves a leftover is dead and not another process's save in progress is the folder lock of
:mod:`see1previs.core.folder_lock`, which every save holds while its temporary file exists.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
from pathlib import Path

from see1previs.core.folder_lock import STALE_AFTER_S, is_old_enough, tidy_folder, writing_in

TEMP_SUFFIX = ".see1-tmp"
_TEMP_NAME = re.compile(r"\.(?P<name>.+)\.[0-9a-f]{12}\.see1-tmp")
# Earlier versions named theirs ``.<name>.<8 hex>.tmp`` and held no lock: judged by age.
_OLD_TEMP_NAME = re.compile(r"\.(?P<name>.+)\.[0-9a-f]{8}\.tmp")


class AtomicWriteError(Exception):
    """One step of an atomic write failed; the message says which, in the user's terms."""


def replace_file_atomically(file: Path, data: bytes) -> None:
    """Replace ``file`` with ``data`` in one step, or leave it untouched.

    Temporary file in the same folder, written and flushed to disk, then renamed over the
    old one; the folder is synced so the rename survives a crash. On any failure the
    temporary file is removed and :class:`AtomicWriteError` says which step failed. Temporary
    files of the same target left by killed processes are deleted first.
    """
    # Replacing a symlink would cut the link; replace the file it points to instead.
    target = file.resolve() if file.is_symlink() else file
    folder = target.parent
    # A rename would happily replace a file its owner marked read-only; respect the mark.
    if target.exists() and not os.access(target, os.W_OK):
        raise AtomicWriteError("the file is read-only")
    with writing_in(folder, lambda older_than: _remove_temps(folder, target.name, older_than)):
        _replace(target, data)
    fsync_folder(folder)


def remove_leftover_temp_files(folder: Path, name: str | None = None) -> None:
    """Delete temporary files that killed saves left in ``folder``: of file ``name``, or all.

    Never one of a save still running in another process (see the module's notes).
    """
    tidy_folder(folder, lambda older_than: _remove_temps(folder, name, older_than))


def _remove_temps(folder: Path, name: str | None, older_than: float) -> None:
    for entry in os.listdir(folder):
        for pattern, age in ((_TEMP_NAME, older_than), (_OLD_TEMP_NAME, STALE_AFTER_S)):
            match = pattern.fullmatch(entry)
            if match and name in (None, match["name"]) and is_old_enough(folder / entry, age):
                _remove_quietly(folder / entry)


def _replace(target: Path, data: bytes) -> None:
    folder = target.parent
    try:
        fd, temp = _create_temp(folder, target.name)
    except OSError as exc:
        raise AtomicWriteError(
            f"cannot create a file in the folder '{folder}': {_reason(exc)}"
        ) from exc
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)  # the data must be on disk before the rename makes it the file
        finally:
            os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            # A fresh temp file is private; keep the permissions the old file had.
            os.chmod(temp, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(temp, target)
    except OSError as exc:
        _remove_quietly(temp)
        raise AtomicWriteError(f"cannot write the file: {_reason(exc)}") from exc
    except BaseException:
        _remove_quietly(temp)
        raise


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _create_temp(folder: Path, name: str) -> tuple[int, Path]:
    """A new, empty temporary file next to the target (a rename is only atomic within a disk)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        # Hidden, and with its own suffix, so nobody mistakes a leftover for the real file.
        temp = folder / f".{name}.{secrets.token_hex(6)}{TEMP_SUFFIX}"
        try:
            return os.open(temp, flags, 0o666), temp
        except FileExistsError:
            continue
    raise FileExistsError(f"cannot create a temporary file in {folder}")


def fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX only: Windows cannot open a folder)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        # Some file systems refuse to sync a folder; the new file is in place either way.
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
