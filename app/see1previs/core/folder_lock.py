"""Who may tidy a folder: writers hold it shared, tidying needs it to themselves.

A writer that puts temporary things beside its target (a scene's temporary file, an export's
staging folder) holds a shared lock on that folder while they exist. The operating system
drops a process's locks when it dies, ``kill -9`` included. So whoever gets the lock
exclusively knows that every temporary thing in the folder that follows this rule belongs to a
process that has gone, and may delete it; a live writer's things are never touched.

Nobody waits long: tidying only *tries* the exclusive lock and skips when someone is writing;
a writer waits only while a tidy is running. The lock is ``flock`` on the folder itself, so it
leaves no file behind (POSIX; it also works over NFS with locking). Where a folder cannot be
locked (Windows, or a file system without locks) writers go ahead unlocked and a leftover is
judged by age alone: untouched for :data:`STALE_AFTER_S`.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

# No save or export takes an hour between touching its temporary things; after that, a
# leftover nobody can vouch for by a lock is taken to be a crash's.
STALE_AFTER_S = 3600.0

Tidy = Callable[[float], object]
"""Deletes leftovers not modified for the given number of seconds (0: every leftover)."""


@contextlib.contextmanager
def writing_in(folder: Path, tidy: Tidy | None = None) -> Iterator[None]:
    """Hold ``folder`` shared for the block; first let ``tidy`` run if nobody else writes.

    ``tidy(0)`` runs while the folder is held exclusively (every leftover is a dead
    writer's); ``tidy(STALE_AFTER_S)`` runs where the folder cannot be locked. Errors while
    tidying are ignored: a leftover that cannot be removed now is removed another time.
    """
    fd = _open_folder(folder) if fcntl is not None else None
    if fd is None:
        _run(tidy, STALE_AFTER_S)
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # another writer is at work here: nothing may be tidied now
            fcntl.flock(fd, fcntl.LOCK_SH)
        except OSError:  # this file system has no locks
            _run(tidy, STALE_AFTER_S)
        else:
            _run(tidy, 0.0)
            fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)  # releases the lock


def tidy_folder(folder: Path, tidy: Tidy) -> None:
    """Run ``tidy`` on its own (when a scene is opened, say), under the same rule."""
    with writing_in(folder, tidy):
        pass


def is_old_enough(path: Path, older_than: float) -> bool:
    """Whether ``path`` (not followed if a link) was last modified ``older_than`` seconds ago."""
    if older_than <= 0:
        return True
    try:
        return time.time() - os.lstat(path).st_mtime >= older_than
    except OSError:
        return False


def _open_folder(folder: Path) -> int | None:
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        return os.open(folder, flags)
    except OSError:  # missing, unreadable, or a platform that cannot open folders
        return None


def _run(tidy: Tidy | None, older_than: float) -> None:
    if tidy is not None:
        with contextlib.suppress(OSError):
            tidy(older_than)
