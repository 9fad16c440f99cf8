"""The risky moments of an envelope result, on a time strip under the scene's time axis.

Each marker is one risk of one actor (a missed catch, a hard contact, a head strike) at the
median time it happens, as tall as it is likely. Clicking a marker moves the playhead there
and selects it; *Open Worst Sample* (or a double click) opens the sample where it was worst
as a scene of its own. The list beside the strip says the same in words.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

MARKER_W = 8


class MomentStrip(QWidget):
    """A time axis 0..duration with one marker per risky moment."""

    picked = Signal(int)  # index into the moments
    opened = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.moments: list[dict] = []
        self.duration = 1.0
        self.time = 0.0
        self.selected: int | None = None
        self.setMinimumHeight(56)
        self.setMouseTracking(True)

    def set_moments(self, moments: list[dict], duration: float) -> None:
        self.moments, self.duration, self.selected = moments, max(duration, 1e-6), None
        self.update()

    def set_time(self, t: float) -> None:
        self.time = t
        self.update()

    def _x(self, t: float) -> float:
        return 6 + (self.width() - 12) * t / self.duration

    def marker_rect(self, index: int) -> QRectF:
        moment = self.moments[index]
        h = 8 + (self.height() - 24) * moment["probability"]
        return QRectF(self._x(moment["time"]) - MARKER_W / 2, self.height() - 14 - h, MARKER_W, h)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        base = self.height() - 14
        p.setPen(QPen(QColor("#888888")))
        p.drawLine(QPointF(6, base), QPointF(self.width() - 6, base))
        for second in range(int(self.duration) + 1):
            x = self._x(second)
            p.drawLine(QPointF(x, base), QPointF(x, base + 4))
            p.drawText(QPointF(x - 3, self.height() - 1), f"{second}")
        for index, moment in enumerate(self.moments):
            colour = QColor(
                "#e0533d" if "strike" in moment["risk"] or "hits" in moment["risk"] else "#e0a83d"
            )
            if index == self.selected:
                colour = colour.lighter(140)
            p.fillRect(self.marker_rect(index), colour)
        p.setPen(QPen(QColor("#4aa3ff"), 1.5))
        x = self._x(self.time)
        p.drawLine(QPointF(x, 2), QPointF(x, base))
        p.end()

    def _hit(self, pos) -> int | None:
        for index in range(len(self.moments)):
            if self.marker_rect(index).adjusted(-3, -3, 3, 3).contains(pos):
                return index
        return None

    def mousePressEvent(self, event) -> None:
        index = self._hit(event.position())
        if index is not None:
            self.selected = index
            self.picked.emit(index)
            self.update()

    def mouseDoubleClickEvent(self, event) -> None:
        index = self._hit(event.position())
        if index is not None:
            self.opened.emit(index)


def describe(moment: dict) -> str:
    risk = moment["risk"].replace("_", " ").replace(".", ": ")
    return (
        f"{moment['time']:.2f} s  {moment['actor']}: {risk} — "
        f"{100 * moment['probability']:.0f} % of samples (worst: sample {moment['worst_sample']})"
    )


class MomentsPanel(QWidget):
    """Strip, list and the button that opens the worst sample of the chosen moment."""

    seek = Signal(float)
    open_sample = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("envelope-moments")
        self.title = QLabel("No envelope run yet: Scene ▸ Envelope…")
        self.strip = MomentStrip(self)
        self.list = QListWidget(self)
        self.open_button = QPushButton("Open Worst Sample", self)
        self.open_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.strip)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(row)
        self.moments: list[dict] = []
        self.strip.picked.connect(self._choose)
        self.strip.opened.connect(self._open)
        self.list.currentRowChanged.connect(self._choose)
        self.list.itemDoubleClicked.connect(lambda item: self._open(self.list.row(item)))
        self.open_button.clicked.connect(lambda: self._open(self.list.currentRow()))

    def show_result(self, title: str, moments: list[dict], duration: float) -> None:
        self.moments = moments
        self.title.setText(title)
        self.strip.set_moments(moments, duration)
        self.list.clear()
        for moment in moments:
            self.list.addItem(QListWidgetItem(describe(moment)))
        if not moments:
            self.list.addItem("No risky moments in any sample.")
        self.open_button.setEnabled(False)

    def _choose(self, index: int) -> None:
        if not 0 <= index < len(self.moments):
            return
        self.strip.selected = index
        self.strip.update()
        if self.list.currentRow() != index:
            self.list.setCurrentRow(index)
        self.open_button.setEnabled(True)
        self.seek.emit(self.moments[index]["time"])

    def _open(self, index: int) -> None:
        if 0 <= index < len(self.moments):
            self.open_sample.emit(self.moments[index]["worst_sample"])
