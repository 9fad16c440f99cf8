"""Putting a finished folder where another one is, in one step.

``os.rename`` cannot put a folder onto a folder that has files in it. Where the system can,
the two folders trade places in one atomic call instead — ``renameat2(RENAME_EXCHANGE)`` on
Linux, ``renamex_np(RENAME_SWAP)`` on macOS — so a reader always finds the complete old or the
complete new folder at the target path. Elsewhere (Windows, or a file system that cannot
exchange, such as NFS) the old folder is first renamed aside, then the new one into place:
two renames with a moment between them in which the target path is missing. A process killed
in that moment leaves both folders beside the target; the next export puts the right one back
(see :mod:`see1previs.export.staging`).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import sys
from collections.abc import Callable
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2  # linux/fs.h
_RENAME_SWAP = 2  # macOS stdio.h
# What a file system says when it cannot exchange; the two-rename way is used there.
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP}


def _system_exchange() -> Callable[[bytes, bytes], int] | None:
    """The C library's call that swaps two paths, or None where there is none."""
    if sys.platform.startswith("linux"):
        try:
            renameat2 = ctypes.CDLL(None, use_errno=True).renameat2  # glibc 2.28 and later
        except (OSError, AttributeError):
            return None
        renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
        renameat2.argtypes += [ctypes.c_uint]
        renameat2.restype = ctypes.c_int
        return lambda a, b: renameat2(_AT_FDCWD, a, _AT_FDCWD, b, _RENAME_EXCHANGE)
    if sys.platform == "darwin":
        try:
            renamex_np = ctypes.CDLL(None, use_errno=True).renamex_np  # macOS 10.12 and later
        except (OSError, AttributeError):
            return None
        renamex_np.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
        renamex_np.restype = ctypes.c_int
        return lambda a, b: renamex_np(a, b, _RENAME_SWAP)
    return None


_EXCHANGE = _system_exchange()


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths atomically; False where this system or file system cannot."""
    if _EXCHANGE is None:
        return False
    if _EXCHANGE(os.fsencode(first), os.fsencode(second)) == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(second))


def swap_in(new: Path, target: Path, aside: Path) -> Path | None:
    """Put the folder ``new`` at ``target``; returns where the old folder went, if any.

    ``aside`` is the name the old folder takes where it cannot trade places with the new one
    in one step. On failure everything is as it was (or, killed between the two renames,
    recoverable as described in the module's notes).
    """
    if not os.path.lexists(target):
        try:
            os.rename(new, target)
            return None
        except OSError as exc:  # someone made the folder meanwhile: swap with it below
            if not os.path.lexists(target) or exc.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                raise
    if exchange(new, target):
        return new  # the old folder now has the new one's former name
    os.rename(target, aside)
    try:
        os.rename(new, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.rename(aside, target)
        raise
    return aside
