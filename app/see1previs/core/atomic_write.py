"""Atomic file replacement: a file is either the old version or the new one, never half.

Used by every writer in the layers that may not know about each other (scene files, baked
trajectories); the export layer builds its staged folders on the same idea.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path


class AtomicWriteError(Exception):
    """One step of an atomic write failed; the message says which, in the user's terms."""


def replace_file_atomically(file: Path, data: bytes) -> None:
    """Replace ``file`` with ``data`` in one step, or leave it untouched.

    Temporary file in the same folder, written and flushed to disk, then renamed over the
    old one; the folder is synced so the rename survives a crash. On any failure the
    temporary file is removed and :class:`AtomicWriteError` says which step failed.
    """
    # Replacing a symlink would cut the link; replace the file it points to instead.
    target = file.resolve() if file.is_symlink() else file
    folder = target.parent
    # A rename would happily replace a file its owner marked read-only; respect the mark.
    if target.exists() and not os.access(target, os.W_OK):
        raise AtomicWriteError("the file is read-only")
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
    _fsync_folder(folder)


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
        temp = folder / f".{name}.{secrets.token_hex(4)}.tmp"
        try:
            return os.open(temp, flags, 0o666), temp
        except FileExistsError:
            continue
    raise FileExistsError(f"cannot create a temporary file in {folder}")


def _fsync_folder(folder: Path) -> None:
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
