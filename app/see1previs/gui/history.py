"""The undo history: every edit of the session by its label; click one to go back to it."""

from __future__ import annotations

from PySide6.QtWidgets import QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from see1previs.gui import theme
from see1previs.gui.icons import icon
from see1previs.gui.qt_events import listen
from see1previs.session.session import Session

START = "Opened scene"


class UndoHistory(QWidget):
    """Row 0 is the scene as opened; row n is the state after the n-th edit."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.list = QListWidget(self)
        self.list.setObjectName("undo-history")
        self.list.itemClicked.connect(self._clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        listen(self, session.stack.changed, self.refresh)
        self.refresh()

    def refresh(self) -> None:
        stack = self.session.stack
        self.list.clear()
        for row, label in enumerate([START, *stack.history]):
            item = QListWidgetItem(label)
            if row == 0:
                item.setIcon(icon("history"))
            if row > stack.index:
                item.setForeground(theme.DIM_TEXT)  # undone: redo brings it back
            self.list.addItem(item)
        self.list.setCurrentRow(stack.index)

    def _clicked(self, item: QListWidgetItem) -> None:
        self.session.stack.go_to(self.list.row(item))
