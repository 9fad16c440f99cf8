"""Adapter from the core's :class:`~see1previs.core.events.Event` to Qt: listen for a widget's life.

``listen(owner, event, callback)`` connects ``callback`` to ``event`` and disconnects it when
``owner`` (a QObject) is destroyed, so a closed dock never hears from the session again.
Calls made from another thread are delivered on the owner's thread (queued).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from see1previs.core.events import Event


class _Relay(QObject):
    fired = Signal(object)

    def __init__(self, owner: QObject, event: Event, callback: Callable[..., Any]) -> None:
        super().__init__(owner)
        self._event = event
        self._callback = callback
        self.fired.connect(self._deliver)
        event.connect(self._on_event)
        owner.destroyed.connect(self._detach)

    def _on_event(self, *args: Any) -> None:
        if QThread.currentThread() is self.thread():
            self._callback(*args)
        else:
            self.fired.emit(args)

    def _deliver(self, args: tuple) -> None:
        self._callback(*args)

    def _detach(self, *_: object) -> None:
        self._event.disconnect(self._on_event)


def listen(owner: QObject, event: Event, callback: Callable[..., Any]) -> None:
    """Call ``callback`` on every ``event`` for as long as ``owner`` lives."""
    _Relay(owner, event, callback)
