"""The one event mechanism of the app: a small, Qt-free observer.

An :class:`Event` is a named signal a model object owns (``session.scene_changed``);
listeners ``connect`` a callable and get every ``emit``'s arguments. The GUI adapts events to
Qt signals at its edge (see :mod:`see1previs.gui.qt_events`); nothing below it knows Qt.

Emitting calls listeners synchronously, in connection order, on the emitting thread. A
listener that raises does not stop the others; the first error is re-raised after all ran,
so a broken view cannot silently swallow an edit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Listener = Callable[..., Any]


class Event:
    """A signal with any number of listeners."""

    def __init__(self, name: str = "") -> None:
        self.name = name
        self._listeners: list[Listener] = []
        self._blocked = 0

    def connect(self, listener: Listener) -> Listener:
        """Call ``listener(*args)`` on every emit; returns it (usable as a decorator)."""
        if listener not in self._listeners:
            self._listeners.append(listener)
        return listener

    def disconnect(self, listener: Listener) -> None:
        """Stop calling ``listener``; unknown listeners are ignored."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    @property
    def listener_count(self) -> int:
        return len(self._listeners)

    def emit(self, *args: Any) -> None:
        if self._blocked:
            return
        error: BaseException | None = None
        for listener in list(self._listeners):
            try:
                listener(*args)
            except Exception as exc:  # every listener runs; the first failure is reported
                if error is None:
                    error = exc
        if error is not None:
            raise error

    def blocked(self) -> _Blocked:
        """``with event.blocked():`` — emits inside are dropped (for bulk updates)."""
        return _Blocked(self)

    def __repr__(self) -> str:
        return f"Event({self.name!r}, {len(self._listeners)} listeners)"


class _Blocked:
    def __init__(self, event: Event) -> None:
        self.event = event

    def __enter__(self) -> Event:
        self.event._blocked += 1
        return self.event

    def __exit__(self, *exc: object) -> None:
        self.event._blocked -= 1
