"""The export layer's error, and how it words the operating system's reasons."""

from __future__ import annotations

import errno


class ExportError(Exception):
    """An export that could not be written; the message names the file or folder and why."""


def reason(exc: OSError) -> str:
    """Why an operation failed, in the user's terms."""
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission denied (choose a folder you can write to)"
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    return exc.strerror or str(exc)
