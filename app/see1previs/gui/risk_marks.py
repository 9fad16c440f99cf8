"""The safety envelope's risky moments on the timeline: a flag per moment on its actor's track.

An envelope result (``summary["moments"]``) lists, per actor and kind of risk, the median
time it happens, the share of samples where it happens and the sample where it was worst.
:class:`RiskMarks` draws each as a warning sign on the actor's track at that time: a triangle
pointing up with an exclamation mark (unlike the playhead's head, which points down, and the
cues' diamonds), filled from amber (rare) to red (likely).
Hovering shows the risk in words; clicking moves the playhead there, selects the flag and
offers *Open Worst Sample*, which asks (``open_sample``) for that sample to open as a scene.
The timeline canvas owns one and calls :meth:`draw`, :meth:`at` and :meth:`press`.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QMenu, QWidget

from see1previs.gui import theme

FLAG_W = 14  # px: width of the warning triangle
FLAG_H = 13  # px: its height
FLAG_TOP = 3  # px: from the track's top edge to the triangle's apex
RARE = QColor("#e8c547")  # a risk in few samples
LIKELY = QColor("#e0403a")  # a risk in every sample


def risk_colour(probability: float) -> QColor:
    """Amber for a rare risk to red for a certain one, linear in the probability."""
    p = min(max(float(probability), 0.0), 1.0)
    return QColor.fromRgbF(
        RARE.redF() + (LIKELY.redF() - RARE.redF()) * p,
        RARE.greenF() + (LIKELY.greenF() - RARE.greenF()) * p,
        RARE.blueF() + (LIKELY.blueF() - RARE.blueF()) * p,
    )


def risk_words(risk: str) -> str:
    """``"toss.catch_missed"`` -> ``"toss: catch missed"``; ``"hits_wall"`` -> ``"hits wall"``."""
    return risk.replace("_", " ").replace(".", ": ")


class RiskMarks(QObject):
    """The risky moments of one envelope result, drawn on a :class:`TimelineCanvas`."""

    picked = Signal(int)  # index into the moments: the flag clicked
    open_sample = Signal(int)  # a sample index: open it as a scene

    def __init__(self, canvas: QWidget, row_h: float) -> None:
        super().__init__(canvas)
        self.canvas = canvas
        self.row_h = row_h  # px: height of a track
        self.moments: list[dict] = []
        self.selected: int | None = None
        self.menu: QMenu | None = None  # the last offer made by a click

    def set_moments(self, moments: list[dict]) -> None:
        self.moments, self.selected = list(moments), None
        self.canvas.update()

    def select(self, index: int | None) -> None:
        self.selected = index
        self.canvas.update()

    # -- geometry ---------------------------------------------------------------------------
    def positions(self) -> list[tuple[int, QPointF]]:
        """(index, tip) of each flag shown: the top centre of its actor's track at its time
        (the triangle's apex is ``FLAG_TOP`` below it)."""
        canvas = self.canvas
        rows = {item: r for r, (kind, item) in enumerate(canvas.rows()) if kind == "actor"}
        found = []
        for index, moment in enumerate(self.moments):
            row = rows.get(moment["actor"])
            if row is None or not 0 <= moment["time"] <= canvas.duration + 1e-9:
                continue
            found.append((index, QPointF(canvas.x_of(moment["time"]), canvas.row_top(row))))
        return found

    def hit_rect(self, tip: QPointF) -> QRectF:
        """Where a click picks the flag: the triangle's box, a pixel wider."""
        return QRectF(tip.x() - FLAG_W / 2 - 1, tip.y() + FLAG_TOP - 1, FLAG_W + 2, FLAG_H + 2)

    def at(self, point: QPointF) -> int | None:
        """The flag under ``point``; the most likely risk when flags overlap (it is drawn on
        top). Flags are drawn over cues, so they win where they cover one."""
        hits = [i for i, tip in self.positions() if self.hit_rect(tip).contains(point)]
        return max(hits, key=lambda i: self.moments[i]["probability"], default=None)

    # -- drawing ----------------------------------------------------------------------------
    def draw(self, painter: QPainter) -> None:
        """Warning triangles over the tracks, the likeliest last so it is on top."""
        shown = sorted(self.positions(), key=lambda item: self.moments[item[0]]["probability"])
        painter.save()
        font = painter.font()
        font.setBold(True)
        font.setPixelSize(FLAG_H - 3)
        painter.setFont(font)
        for index, tip in shown:
            colour = risk_colour(self.moments[index]["probability"])
            chosen = index == self.selected
            top = tip.y() + FLAG_TOP
            sign = QPainterPath()
            sign.moveTo(tip.x(), top)
            sign.lineTo(tip.x() + FLAG_W / 2, top + FLAG_H)
            sign.lineTo(tip.x() - FLAG_W / 2, top + FLAG_H)
            sign.closeSubpath()
            painter.fillPath(sign, colour)
            painter.setPen(QPen(theme.TEXT if chosen else colour.darker(220), 1.5 if chosen else 1))
            painter.drawPath(sign)
            painter.setPen(QColor("#1b1d22"))
            mark = QRectF(tip.x() - FLAG_W / 2, top + 3, FLAG_W, FLAG_H - 3)
            painter.drawText(mark, Qt.AlignmentFlag.AlignCenter, "!")
        painter.restore()

    def tooltip(self, index: int) -> str:
        moment = self.moments[index]
        rate = self.canvas.session.scene.frame_rate
        stamp = rate.timecode(rate.frame_at(moment["time"]))
        colour = risk_colour(moment["probability"]).name()
        return "<br>".join(
            [
                f"<b>{html.escape(moment['actor'])}</b>: {html.escape(risk_words(moment['risk']))}",
                f"at {stamp} ({moment['time']:.2f} s, median over the samples)",
                f"<span style='color:{colour}'>{100 * moment['probability']:.0f} % of samples"
                "</span>",
                f"worst in sample {moment['worst_sample']}: click to open it",
            ]
        )

    # -- interaction ------------------------------------------------------------------------
    def press(self, index: int, global_pos) -> None:
        """A click on flag ``index``: the playhead goes there and *Open Worst Sample* is offered."""
        moment = self.moments[index]
        self.select(index)
        self.canvas.session.set_time(moment["time"])
        self.picked.emit(index)
        if self.menu is not None:
            self.menu.deleteLater()
        menu = QMenu(self.canvas)
        menu.setObjectName("risk-menu")
        title = menu.addAction(f"{moment['actor']}: {risk_words(moment['risk'])}")
        title.setEnabled(False)
        action = menu.addAction(f"Open Worst Sample ({moment['worst_sample']})")
        action.setObjectName("open-worst-sample")
        action.triggered.connect(lambda: self.open_sample.emit(moment["worst_sample"]))
        menu.popup(global_pos)
        self.menu = menu
