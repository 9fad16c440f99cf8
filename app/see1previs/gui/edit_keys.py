"""Undo and Redo keys reach the scene's history from anywhere in the main window.

Text fields claim Ctrl+Z for their own text undo, so right after an inspector edit (focus
still in the field) the window's Undo never ran. :class:`WindowUndoKeys` watches the
application's shortcut negotiation: when a key of the window's Undo or Redo action is pressed
in one of the window's fields, a value typed but not yet applied is applied first (as its own
undoable edit, so nothing typed is lost: Redo brings it back), then the field is told to leave
the key alone and the window's action runs.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QMainWindow,
    QWidget,
)


def key_sequence(event: QKeyEvent) -> QKeySequence:
    """The key sequence a key event types (modifiers included)."""
    return QKeySequence(event.keyCombination())


def apply_pending_text(widget: QWidget) -> None:
    """Apply what was typed in a one-line field, as Enter would (no-op when unchanged)."""
    if isinstance(widget, QComboBox) and widget.isEditable():
        widget = widget.lineEdit()
    if isinstance(widget, QLineEdit):
        if not widget.isModified():
            return
    elif not isinstance(widget, QAbstractSpinBox):
        return
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(
            widget, QKeyEvent(kind, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)
        )
    if isinstance(widget, QLineEdit):
        widget.setModified(False)


class WindowUndoKeys(QObject):
    """Gives a main window's Undo/Redo keys priority over its fields' own text undo."""

    def __init__(self, window: QMainWindow, actions: list[QAction]) -> None:
        super().__init__(window)
        self.window = window
        self.actions = actions
        # Key events go to the focused field first: only the application sees them all.
        # Qt drops the filter with this object, which goes with the window.
        QApplication.instance().installEventFilter(self)

    def _action_for(self, event: QKeyEvent) -> QAction | None:
        keys = key_sequence(event)
        return next((a for a in self.actions if keys in a.shortcuts()), None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(watched, QWidget):
            return False
        if watched.window() is not self.window or self._action_for(event) is None:
            return False
        # Apply the typed value first: it becomes the edit Undo takes back (and enables Undo,
        # whose key would otherwise find it disabled).
        apply_pending_text(watched)
        event.ignore()  # not the field's: the window's shortcut runs
        return True
