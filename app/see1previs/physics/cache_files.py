"""The bake cache's file handling: never through a link, never half written.

An entry is opened without following a symbolic link at its name (and without waiting on a
pipe someone put there); it must be a regular file no larger than the scene's bake can be.
An entry is written to a new, exclusively created file in the cache folder, flushed to disk
and renamed over its name in one step, so a link at that name is replaced, not written
through, and a reader sees the old entry or the new one, never part of one.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import time
from pathlib import Path
from typing import BinaryIO

from see1previs.physics.cache_entry import EntryRejected

STALE_TEMPORARY_SECONDS = 3600.0  # a half-written entry this old was left by a killed run

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def open_entry(path: Path, size_limit: int) -> BinaryIO:
    """The entry file at ``path``, opened for reading.

    Raises FileNotFoundError if there is none, :class:`EntryRejected` if what is there is a
    symbolic link, not a regular file, or larger than ``size_limit`` bytes.
    """
    if not _NOFOLLOW and path.is_symlink():
        raise EntryRejected("it is a symbolic link")
    flags = os.O_RDONLY | _NOFOLLOW | _BINARY | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if path.is_symlink():
            raise EntryRejected("it is a symbolic link") from exc
        if isinstance(exc, FileNotFoundError):
            raise
        raise EntryRejected(f"it cannot be opened ({exc.strerror or exc})") from exc
    file = os.fdopen(fd, "rb")
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise EntryRejected("it is not a regular file")
        if info.st_size > size_limit:
            raise EntryRejected(
                f"it takes {info.st_size} bytes, more than a bake of this scene can "
                f"({size_limit}); not decompressed"
            )
    except BaseException:
        file.close()
        raise
    return file


def discard(path: Path) -> None:
    """Remove the entry at ``path`` (a link itself, never what it points to)."""
    with contextlib.suppress(OSError):
        if not stat.S_ISDIR(os.lstat(path).st_mode):
            os.unlink(path)


def write_entry(path: Path, data: bytes) -> None:
    """Make ``data`` the entry at ``path`` in one step; OSError if it cannot be done."""
    temporary = _temporary_name(path)
    # O_EXCL never opens an existing name, link or not: the bytes land in a new file here.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY
    fd = os.open(temporary, flags, 0o644)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)  # on disk before the rename makes it the entry
        finally:
            os.close(fd)
        # A rename replaces whatever has the name (a link too) and never follows it.
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(path.parent)


def remove_stale_temporaries(path: Path, now: float | None = None) -> None:
    """Remove half-written files of the entry at ``path`` left by runs that were killed."""
    now = time.time() if now is None else now
    for leftover in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            if now - os.lstat(leftover).st_mtime > STALE_TEMPORARY_SECONDS:
                os.unlink(leftover)


def _temporary_name(path: Path) -> Path:
    # Hidden and with its own suffix, so a leftover is never taken for an entry.
    return path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX only: Windows cannot open a folder)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
