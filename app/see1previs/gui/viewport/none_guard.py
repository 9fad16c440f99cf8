"""Keeps Python's ``None`` alive under PySide6 6.12.0 on Python 3.11.

PySide6 6.12.0 drops one reference to ``None`` on every call of a Qt method that returns
nothing (``QWidget.update()``, ``QObject.setObjectName()``, ``QMatrix4x4.translate()`` ...).
Before Python 3.12 ``None`` is an ordinary counted object, so after some hundred thousand
such calls — minutes of playback — the interpreter aborts with "deallocating None".
PySide6 6.11 does not do this, and from Python 3.12 ``None`` cannot be deallocated.

Where the fault is present, :func:`keep_none_alive` (called by the viewport on every frame)
tops the count up with a block of extra references whenever it runs low. The cost is 8 MB per
million lost references; the real fix is a PySide6 without the fault.
"""

from __future__ import annotations

import sys

_BLOCK = 1_000_000  # references added at a time
_FLOOR = 400_000  # top up when None has fewer references than this
_ballast: list[list[None]] = []
_faulty: bool | None = None


def pyside_loses_none() -> bool:
    """True when a void Qt call loses a reference to None in this process."""
    global _faulty
    if _faulty is None:
        from PySide6.QtCore import QObject

        probe = QObject()
        probe.setObjectName("probe")  # the first call may create cached objects
        before = sys.getrefcount(None)
        for _ in range(10):
            probe.setObjectName("probe")
        _faulty = sys.getrefcount(None) < before - 5
    return _faulty


def keep_none_alive() -> None:
    """Top up None's reference count if a faulty PySide6 has been draining it."""
    if pyside_loses_none() and sys.getrefcount(None) < _FLOOR:
        _ballast.append([None] * _BLOCK)
