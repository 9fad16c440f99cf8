"""Blocking warnings: what to look at in the blocking; click one to jump there.

The list comes from :func:`see1previs.session.session.blocking_warnings` (setup problems,
hard contacts, each shot's warnings), worked out in a worker after every bake or camera
edit. Clicking a warning moves the playhead to its time and selects the object concerned.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from see1previs.gui.icons import icon
from see1previs.session.session import BlockingWarning, Session


class BlockingWarnings(QWidget):
    """The warnings dock's contents."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.summary = QLabel("Not checked yet", self)
        self.summary.setObjectName("unit")
        self.list = QListWidget(self)
        self.list.setObjectName("warning-list")
        self.list.setWordWrap(True)
        self.list.itemClicked.connect(self._clicked)
        self.list.itemActivated.connect(self._clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        self.warnings: list[BlockingWarning] = []

    def set_checking(self) -> None:
        self.summary.setText("Checking the blocking…")
        self.summary.setToolTip("")

    def set_failed(self, reason: str) -> None:
        """Say the check broke (and why, in the tooltip): the list is not to be trusted."""
        self.warnings = []
        self.list.clear()
        self.summary.setText(f"The blocking could not be checked: {reason}")
        self.summary.setToolTip(reason)
        self.summary.setWordWrap(True)

    def set_warnings(self, warnings: list[BlockingWarning]) -> None:
        self.warnings = list(warnings)
        self.list.clear()
        rate = self.session.scene.frame_rate
        for warning in self.warnings:
            tc = rate.timecode(rate.frame_at(warning.time))
            item = QListWidgetItem(icon("warning"), f"{tc}  {warning.message}")
            item.setData(Qt.ItemDataRole.UserRole, warning)
            item.setToolTip(f"{warning.kind}: {warning.message}")
            self.list.addItem(item)
        count = len(self.warnings)
        self.summary.setToolTip("")
        self.summary.setText(
            "No blocking warnings" if count == 0 else f"{count} warning{'s' if count > 1 else ''}"
        )

    def _clicked(self, item: QListWidgetItem) -> None:
        warning: BlockingWarning = item.data(Qt.ItemDataRole.UserRole)
        self.session.set_time(warning.time)
        if warning.subject:
            self.session.select([warning.subject])
