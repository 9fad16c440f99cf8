"""The timeline: timecode ruler, playhead, transport, per-body tracks with cues, shot clips.

:class:`TimelineCanvas` draws the scene's time from 0 to its duration: the ruler in SMPTE
timecode, a strip showing which part of the bake is current (grey when an edit made it
stale), one clip per shot, one track per prop and actor with its cues as diamonds. Click or
drag in the ruler to scrub; drag a cue to move it in time (one undoable edit when you let
go); click a clip or a track name to select it. The tracks scroll (wheel or the scroll
bar) when there are more than the dock shows; names are elided, and cue labels never
overlap: cues at the same moment share one label, cut short where the next one begins.
After a safety-envelope run its risky moments are flags on the actors' tracks
(:mod:`see1previs.gui.risk_marks`): click one for the playhead and its worst sample.

:class:`Timeline` adds the transport (to start, frame back, play/pause, frame forward, to
end, loop) and the playback clock: playback runs from the baked trajectory at the scene's
frame rate, dropping frames rather than slowing down when drawing cannot keep up.
"""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QScrollBar,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from see1previs.core import commands as cmd
from see1previs.gui import cue_marks, theme
from see1previs.gui.icons import icon
from see1previs.gui.qt_events import listen
from see1previs.gui.risk_marks import RiskMarks
from see1previs.session.session import Session

HEADER_W = 120
MIN_HEIGHT = 200  # transport plus the shots row and six tracks
RULER_H = 26
STRIP_H = 5
ROW_H = 20
CUE_R = 8
DRAG_START_PX = 3  # a press that moves less than this is a click
LABEL_GAP_PX = 3  # between a cue's diamond and its label, and before the next diamond
MIN_LABEL_PX = 14  # a label with less room than this is left out (its tooltip remains)
TRANSPORT_H = 34  # the transport row above the canvas
TICK_STEPS = (1 / 24, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600)
SHOT_COLOURS = ("#5b8def", "#c77dff", "#4fc1a6", "#e0b44a", "#ef6f8a", "#7fb069")


class TimelineCanvas(QWidget):
    """The drawn part of the timeline."""

    scrubbed = Signal(float)
    refused = Signal(str)  # why a cue could not go where it was dragged
    scrolled = Signal(int)  # pixels the tracks are scrolled up

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setMinimumHeight(RULER_H + STRIP_H + 3 * ROW_H)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.scroll = 0  # pixels the tracks are scrolled up
        self.bake_progress: float | None = None  # fraction while a bake runs
        self._drag: tuple[str, str, float] | None = None  # ("scrub"|"cue", cue id, time)
        self._shot_drag: tuple[str, float, float, float] | None = None  # id, grab, start, x
        self._font = QFont(self.font())
        self._font.setPointSizeF(8.5)
        self._mono = theme.monospace_font(8)
        self.context_actions: list = []  # the right-click menu (the cue palette)
        self.risk_marks = RiskMarks(self, ROW_H)  # the envelope's risky moments, if any

    # -- geometry ---------------------------------------------------------------------------
    @property
    def duration(self) -> float:
        return float(self.session.scene.duration)

    def x_of(self, t: float) -> float:
        width = max(1, self.width() - HEADER_W - 12)
        return HEADER_W + 6 + width * (t / self.duration)

    def time_at(self, x: float) -> float:
        width = max(1, self.width() - HEADER_W - 12)
        return min(max((x - HEADER_W - 6) / width * self.duration, 0.0), self.duration)

    def shot_lanes(self) -> dict[str, int]:
        """Lane of each shot: overlapping shots go on separate lanes, in time order."""
        lanes: list[float] = []  # end time of the last shot on each lane
        placed: dict[str, int] = {}
        for shot in sorted(self.session.scene.shots, key=lambda s: (s.start, s.end)):
            lane = next((k for k, end in enumerate(lanes) if end <= shot.start + 1e-9), None)
            if lane is None:
                lanes.append(shot.end)
                lane = len(lanes) - 1
            lanes[lane] = shot.end
            placed[shot.id] = lane
        return placed

    def rows(self) -> list[tuple[str, str]]:
        """(kind, id) per track: one row per shot lane, then one per body."""
        scene = self.session.scene
        lanes = max(self.shot_lanes().values(), default=0) + 1
        shot_rows = [("shots", "Shots" if lane == 0 else "") for lane in range(lanes)]
        return shot_rows + [
            ("actor" if body in scene.actors else "prop", body.id) for body in scene.bodies()
        ]

    def tracks_height(self) -> int:
        return len(self.rows()) * ROW_H

    def row_top(self, row: int) -> float:
        return RULER_H + STRIP_H + row * ROW_H - self.scroll

    def visible_height(self) -> int:
        """Pixels of the canvas the tracks are drawn in."""
        return max(0, self.height() - RULER_H - STRIP_H)

    def max_scroll(self) -> int:
        return max(0, self.tracks_height() - self.visible_height())

    def cue_label_rects(self) -> list[tuple[str, QRectF, str]]:
        """(cue ids joined, rect, text drawn) of each cue label; no two rects intersect.

        Cues on one track whose diamonds touch share a label ("a, b"); each label ends where
        the next group's diamond begins (elided with "…"), and is left out without room.
        """
        metrics = QFontMetricsF(self._font)
        per_row: dict[float, list[tuple[str, QPointF]]] = {}
        for cue_id, centre in self.cue_positions():
            per_row.setdefault(centre.y(), []).append((cue_id, centre))
        labels = []
        right_edge = self.width() - 4
        for y, cues in per_row.items():
            cues.sort(key=lambda item: (item[1].x(), item[0]))
            groups: list[list[tuple[str, QPointF]]] = []
            for cue in cues:
                if groups and cue[1].x() - groups[-1][-1][1].x() <= 2 * CUE_R + 1:
                    groups[-1].append(cue)
                else:
                    groups.append([cue])
            for k, group in enumerate(groups):
                left = group[-1][1].x() + CUE_R + LABEL_GAP_PX
                if k + 1 < len(groups):
                    right = groups[k + 1][0][1].x() - CUE_R - LABEL_GAP_PX
                else:
                    right = right_edge
                text = ", ".join(cue_id for cue_id, _ in group)
                width = min(right - left, metrics.horizontalAdvance(text) + 1)
                if width < MIN_LABEL_PX:
                    continue
                shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
                if not shown:
                    continue
                rect = QRectF(left, y - ROW_H / 2 + 1, width, ROW_H - 2)
                labels.append((text, rect, shown))
        return labels

    def cue_positions(self) -> list[tuple[str, QPointF]]:
        """(cue id, centre) of every cue marker as drawn."""
        rows = {body_id: r for r, (kind, body_id) in enumerate(self.rows()) if kind != "shots"}
        found = []
        for cue in self.session.scene.cues:
            row = rows.get(cmd.cue_subject(cue))
            if row is None:
                continue
            t = self._drag[2] if self._drag and self._drag[1] == cue.id else cue.time
            found.append((cue.id, QPointF(self.x_of(t), self.row_top(row) + ROW_H / 2)))
        return found

    def shot_rects(self) -> list[tuple[str, QRectF]]:
        lanes = self.shot_lanes()
        dragged = self._shot_drag
        rects = []
        for shot in self.session.scene.shots:
            start = dragged[2] if dragged is not None and dragged[0] == shot.id else shot.start
            left, right = self.x_of(start), self.x_of(start + shot.end - shot.start)
            rects.append(
                (shot.id, QRectF(left, self.row_top(lanes[shot.id]) + 2, right - left, ROW_H - 4))
            )
        return rects

    # -- drawing ----------------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), theme.BASE)
        scene = self.session.scene
        painter.save()
        painter.setClipRect(QRectF(0, RULER_H + STRIP_H, self.width(), self.height()))
        self._draw_tracks(painter, scene)
        painter.restore()
        self._draw_ruler(painter, scene)
        self._draw_bake_strip(painter)
        # Playhead over everything.
        x = self.x_of(self.session.time)
        painter.setPen(QPen(theme.ACCENT, 1.5))
        painter.drawLine(QPointF(x, RULER_H - 8), QPointF(x, self.height()))
        head = QPainterPath()
        head.moveTo(x - 6, RULER_H - 10)
        head.lineTo(x + 6, RULER_H - 10)
        head.lineTo(x, RULER_H - 2)
        head.closeSubpath()
        painter.fillPath(head, theme.ACCENT)
        painter.end()

    def _draw_ruler(self, painter: QPainter, scene) -> None:
        painter.fillRect(QRectF(0, 0, self.width(), RULER_H), QColor("#2b3039"))
        rate = scene.frame_rate
        painter.setFont(self._mono)
        span = self.x_of(self.duration) - self.x_of(0)
        step = next((s for s in TICK_STEPS if span * s / self.duration >= 90), TICK_STEPS[-1])
        minor = step / 5
        count = math.floor(self.duration / minor + 1e-9)
        for k in range(count + 1):
            t = k * minor
            x = self.x_of(t)
            major = k % 5 == 0
            painter.setPen(QPen(theme.DIM_TEXT if major else theme.GRID, 1))
            painter.drawLine(QPointF(x, RULER_H - (9 if major else 4)), QPointF(x, RULER_H))
            if major and x < self.width() - 60:
                painter.setPen(theme.TEXT)
                painter.drawText(QPointF(x + 3, 11), rate.timecode(rate.frame_at(t)))
        painter.setPen(theme.DIM_TEXT)
        painter.setFont(self._font)
        painter.drawText(
            QRectF(6, 0, HEADER_W - 8, RULER_H), Qt.AlignmentFlag.AlignVCenter, str(rate)
        )

    def _draw_bake_strip(self, painter: QPainter) -> None:
        top = RULER_H
        painter.fillRect(QRectF(0, top, self.width(), STRIP_H), theme.BASE)
        x0, x1 = self.x_of(0), self.x_of(self.duration)
        session = self.session
        if session.bake is None and session.stale_from is not None:
            painter.fillRect(QRectF(x0, top + 1, x1 - x0, STRIP_H - 2), theme.GRID)
        else:
            stale = session.stale_from
            good_end = self.x_of(stale) if stale is not None else x1
            painter.fillRect(QRectF(x0, top + 1, good_end - x0, STRIP_H - 2), theme.OK.darker(140))
            if stale is not None:
                painter.fillRect(QRectF(good_end, top + 1, x1 - good_end, STRIP_H - 2), theme.GRID)
        if self.bake_progress is not None:
            done = x0 + (x1 - x0) * self.bake_progress
            painter.fillRect(QRectF(x0, top + 1, done - x0, STRIP_H - 2), QColor("#3d6fa8"))

    def _draw_tracks(self, painter: QPainter, scene) -> None:
        selection = set(self.session.selection)
        painter.setFont(self._font)
        metrics = QFontMetricsF(self._font)
        for row, (kind, item_id) in enumerate(self.rows()):
            top = self.row_top(row)
            if top > self.height() or top + ROW_H < RULER_H:
                continue
            band = theme.ALTERNATE if row % 2 else theme.BASE
            if item_id in selection:
                band = theme.SELECTION.darker(150)
            painter.fillRect(QRectF(0, top, self.width(), ROW_H), band)
            painter.fillRect(QRectF(0, top, HEADER_W, ROW_H), QColor("#252931"))
            shots = kind == "shots"
            painter.setPen(theme.DIM_TEXT if shots else theme.TEXT)
            if item_id:
                painter.drawPixmap(4, int(top + 2), icon("shot" if shots else kind).pixmap(16, 16))
            name = metrics.elidedText(item_id, Qt.TextElideMode.ElideRight, HEADER_W - 28)
            painter.drawText(
                QRectF(24, top, HEADER_W - 26, ROW_H), Qt.AlignmentFlag.AlignVCenter, name
            )
        # Shot clips.
        for index, (shot_id, rect) in enumerate(self.shot_rects()):
            colour = QColor(SHOT_COLOURS[index % len(SHOT_COLOURS)])
            colour.setAlpha(200 if shot_id in selection else 130)
            painter.fillRect(rect, colour)
            if shot_id in selection:
                painter.setPen(QPen(theme.ACCENT, 1.5))
                painter.drawRect(rect)
            painter.setPen(QColor("#ffffff"))
            name = metrics.elidedText(shot_id, Qt.TextElideMode.ElideRight, rect.width() - 6)
            painter.drawText(rect.adjusted(4, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, name)
        # Cues: the type's icon on a diamond in the outcome's colour.
        cues = {cue.id: cue for cue in scene.cues}
        for cue_id, centre in self.cue_positions():
            cue = cues[cue_id]
            outcome, _ = cue_marks.cue_outcome(self.session, cue)
            chosen = cue_id in selection or (self._drag is not None and self._drag[1] == cue_id)
            cue_marks.draw(painter, centre, CUE_R, cue.type, outcome, chosen)
        painter.setPen(theme.DIM_TEXT)
        for _, rect, text in self.cue_label_rects():
            painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter, text)
        self.risk_marks.draw(painter)

    # -- interaction ------------------------------------------------------------------------
    def cue_at(self, point: QPointF) -> str | None:
        for cue_id, centre in self.cue_positions():
            if (
                abs(point.x() - centre.x()) <= CUE_R + 2
                and abs(point.y() - centre.y()) <= CUE_R + 2
            ):
                return cue_id
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        point = event.position()
        cue_id = self.cue_at(point) if point.y() > RULER_H + STRIP_H else None
        risk = self.risk_marks.at(point) if point.y() > RULER_H + STRIP_H else None
        if risk is not None:
            self.risk_marks.press(risk, event.globalPosition().toPoint())
            return
        if cue_id is not None:
            self.session.select([cue_id])
            cue = next(c for c in self.session.scene.cues if c.id == cue_id)
            self._drag = ("cue", cue_id, cue.time)
            return
        if point.y() > RULER_H + STRIP_H:
            if point.x() < HEADER_W:
                row = int((point.y() - RULER_H - STRIP_H + self.scroll) // ROW_H)
                rows = self.rows()
                if 0 <= row < len(rows) and rows[row][0] != "shots":
                    self.session.select([rows[row][1]])
                return
            for shot_id, rect in self.shot_rects():
                if rect.contains(point):
                    self.session.select([shot_id])
                    shot = next(s for s in self.session.scene.shots if s.id == shot_id)
                    offset = self.time_at(point.x()) - shot.start
                    self._shot_drag = (shot_id, offset, shot.start, point.x())
                    return
        self._drag = ("scrub", "", 0.0)
        self._scrub(point.x())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        point = event.position()
        if self._shot_drag is not None:
            shot_id, offset, _, press_x = self._shot_drag
            shot = next(s for s in self.session.scene.shots if s.id == shot_id)
            length = shot.end - shot.start
            start = self._snap(self.time_at(point.x()) - offset)
            start = min(max(start, 0.0), self.duration - length)
            self._shot_drag = (shot_id, offset, start, press_x)
            self.update()
            return
        if self._drag is None:
            over = self.cue_at(point) if point.y() > RULER_H + STRIP_H else None
            risk = self.risk_marks.at(point) if point.y() > RULER_H + STRIP_H else None
            if risk is not None:
                self.setCursor(Qt.CursorShape.PointingHandCursor)
                self.setToolTip(self.risk_marks.tooltip(risk))
                return
            self.setCursor(Qt.CursorShape.SizeHorCursor if over else Qt.CursorShape.ArrowCursor)
            self.setToolTip(self._cue_tip(over) if over else "")
            return
        if self._drag[0] == "scrub":
            self._scrub(point.x())
        else:
            self._drag = ("cue", self._drag[1], self._snap(self.time_at(point.x())))
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._shot_drag is not None:
            self._finish_shot_drag(event.position().x())
            return
        drag, self._drag = self._drag, None
        if drag is None or drag[0] != "cue":
            return
        cue_id, t = drag[1], drag[2]
        cue = next((c for c in self.session.scene.cues if c.id == cue_id), None)
        if cue is not None and abs(cue.time - t) > 1e-9:
            try:
                edited = cmd.move_cue(self.session.scene, cue_id, t)
            except ValueError as exc:  # includes the scene model's refusal
                errors = getattr(exc, "errors", None)
                reason = errors()[0]["msg"] if callable(errors) and errors() else str(exc)
                self.refused.emit(f"Cue {cue_id} cannot move to {t:.2f} s: {reason}")
                self.update()
                return
            rate = self.session.scene.frame_rate
            self.session.edit(f"Move cue {cue_id} to {rate.timecode(rate.frame_at(t))}", edited)
        self.update()

    def _finish_shot_drag(self, x: float) -> None:
        shot_id, _, start, press_x = self._shot_drag
        self._shot_drag = None
        shots = self.session.scene.shots
        index, shot = next((i, s) for i, s in enumerate(shots) if s.id == shot_id)
        if abs(x - press_x) < DRAG_START_PX or abs(start - shot.start) < 1e-9:
            self._scrub(x)  # a click on a clip moves the playhead there
            return
        data = cmd.scene_data(self.session.scene)
        length = shot.end - shot.start
        data["shots"][index]["start"] = round(start, 6)
        data["shots"][index]["end"] = round(start + length, 6)
        try:
            edited = cmd.scene_from(data)
        except ValueError as exc:
            self.refused.emit(f"Shot {shot_id} cannot move to {start:.2f} s: {exc}")
            self.update()
            return
        rate = self.session.scene.frame_rate
        self.session.edit(f"Move shot {shot_id} to {rate.timecode(rate.frame_at(start))}", edited)

    def wheelEvent(self, event: QWheelEvent) -> None:
        self.set_scroll(self.scroll - event.angleDelta().y() // 4)

    def set_scroll(self, pixels: int) -> None:
        scroll = int(max(0, min(pixels, self.max_scroll())))
        if scroll != self.scroll:
            self.scroll = scroll
            self.scrolled.emit(scroll)
        self.update()

    def scroll_to_row(self, row: int) -> None:
        """Scroll just enough that a track row is wholly in view."""
        top = RULER_H + STRIP_H + row * ROW_H
        if top - self.scroll < RULER_H + STRIP_H:
            self.set_scroll(top - RULER_H - STRIP_H)
        elif top + ROW_H - self.scroll > self.height():
            self.set_scroll(top + ROW_H - self.height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.set_scroll(self.scroll)  # a taller canvas may need less scrolling

    def _cue_tip(self, cue_id: str) -> str:
        cue = next((c for c in self.session.scene.cues if c.id == cue_id), None)
        if cue is None:
            return cue_id
        return cue_marks.tooltip(self.session, cue)

    def contextMenuEvent(self, event) -> None:
        """Right-click: the playhead goes there, then the cue palette's Add Cue menu."""
        if not self.context_actions:
            return
        point = QPointF(event.pos())
        if point.y() > RULER_H + STRIP_H and point.x() > HEADER_W:
            cue_id = self.cue_at(point)
            if cue_id is None:
                self._scrub(point.x())
            row = int((point.y() - RULER_H - STRIP_H + self.scroll) // ROW_H)
            rows = self.rows()
            if cue_id is None and 0 <= row < len(rows) and rows[row][0] != "shots":
                self.session.select([rows[row][1]])  # cues are added for that track's body
        menu = QMenu(self)
        menu.addActions(self.context_actions)
        menu.popup(event.globalPos())
        self._menu = menu

    def _snap(self, t: float) -> float:
        rate = self.session.scene.frame_rate
        return rate.frame_time(rate.frame_at(t + 0.5 / float(rate)))

    def _scrub(self, x: float) -> None:
        t = self._snap(self.time_at(x))
        self.session.set_time(t)
        self.scrubbed.emit(t)


class Timeline(QWidget):
    """The timeline dock's contents: transport, timecode and the canvas."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.canvas = TimelineCanvas(session, self)
        self.scrollbar = QScrollBar(Qt.Orientation.Vertical, self)
        self.scrollbar.valueChanged.connect(self.canvas.set_scroll)
        self.canvas.scrolled.connect(self.scrollbar.setValue)
        self.transport = QToolBar(self)
        self.transport.setObjectName("transport")
        self.transport.setIconSize(self.transport.iconSize() * 0.8)
        self.to_start = self.transport.addAction(icon("to-start"), "Go to start", self.go_to_start)
        self.step_back = self.transport.addAction(
            icon("step-back"), "Previous frame", self.step_backward
        )
        self.play_action = self.transport.addAction(icon("play"), "Play", self.toggle_play)
        self.step_fwd = self.transport.addAction(
            icon("step-forward"), "Next frame", self.step_forward
        )
        self.to_end = self.transport.addAction(icon("to-end"), "Go to end", self.go_to_end)
        self.loop_action = self.transport.addAction(icon("loop"), "Loop playback")
        self.loop_action.setCheckable(True)
        self.loop_action.setChecked(True)
        self.timecode = QLabel(self)
        self.timecode.setFont(theme.monospace_font(12))
        self.timecode.setStyleSheet("color: #f0a23a; padding: 0 10px;")
        self.frame_label = QLabel(self)
        self.frame_label.setStyleSheet("color: #8b93a1;")
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.transport)
        top.addWidget(self.timecode)
        top.addWidget(self.frame_label)
        top.addStretch(1)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        body.addWidget(self.canvas, 1)
        body.addWidget(self.scrollbar)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 4)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        self.clock = QTimer(self)
        self.clock.setTimerType(Qt.TimerType.PreciseTimer)
        self.clock.timeout.connect(self._tick)
        self._play_anchor = (0.0, 0.0)  # (wall clock, scene time) when play started
        listen(self, session.time_changed, self._time_changed)
        listen(self, session.scene_changed, lambda scene: self._refresh())
        listen(self, session.selection_changed, self._selection_changed)
        listen(self, session.baked, lambda result: self.canvas.update())
        listen(self, session.bake_needed, lambda t: self.canvas.update())
        listen(self, session.bake_failed, lambda problems: self.canvas.update())
        self.setMinimumHeight(MIN_HEIGHT)
        self._refresh()

    @property
    def playing(self) -> bool:
        return self.clock.isActive()

    def _refresh(self) -> None:
        canvas = self.canvas
        canvas.set_scroll(canvas.scroll)  # fewer tracks may need less scrolling
        self.scrollbar.setRange(0, canvas.max_scroll())
        self.scrollbar.setPageStep(max(1, canvas.visible_height()))
        self.scrollbar.setSingleStep(ROW_H)
        self.scrollbar.setValue(canvas.scroll)
        self.scrollbar.setVisible(self.scrollbar.maximum() > 0)
        self._time_changed(self.session.time)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._refresh()

    def _selection_changed(self, ids) -> None:
        """Bring the selected body's track into view."""
        rows = [item_id for _, item_id in self.canvas.rows()]
        chosen = [rows.index(i) for i in ids if i in rows]
        if chosen:
            self.canvas.scroll_to_row(chosen[0])
        self.canvas.update()

    def fitting_height(self, window_height: int) -> int:
        """Dock height that shows every track, up to a third of the window's height."""
        wanted = TRANSPORT_H + RULER_H + STRIP_H + self.canvas.tracks_height() + 12
        return int(max(MIN_HEIGHT, min(wanted, window_height // 3)))

    def _time_changed(self, t: float) -> None:
        rate = self.session.scene.frame_rate
        frame = rate.frame_at(t)
        self.timecode.setText(rate.timecode(frame))
        last = rate.frame_count(self.session.scene.duration) - 1
        self.frame_label.setText(f"frame {frame} / {last}   {t:6.2f} s")
        self.canvas.update()

    # -- transport --------------------------------------------------------------------------
    def toggle_play(self) -> None:
        if self.playing:
            self.pause()
        else:
            self.play()

    def play(self) -> None:
        session = self.session
        if session.time >= session.scene.duration - 1e-9:
            session.set_time(0.0)
        self._play_anchor = (time.perf_counter(), session.time)
        self.clock.start(max(5, int(1000 / float(session.scene.frame_rate) / 2)))
        self.play_action.setIcon(icon("pause"))
        self.play_action.setText("Pause")

    def pause(self) -> None:
        self.clock.stop()
        self.play_action.setIcon(icon("play"))
        self.play_action.setText("Play")

    def _tick(self) -> None:
        session = self.session
        started, start_t = self._play_anchor
        t = start_t + (time.perf_counter() - started)
        duration = session.scene.duration
        if t > duration:
            if self.loop_action.isChecked():
                t = math.fmod(t, duration)
                self._play_anchor = (time.perf_counter() - t, 0.0)
            else:
                session.set_time(duration)
                self.pause()
                return
        rate = session.scene.frame_rate
        session.set_time(rate.frame_time(rate.frame_at(t)))

    def step_forward(self) -> None:
        self.pause()
        self.session.set_frame(self.session.frame + 1)

    def step_backward(self) -> None:
        self.pause()
        self.session.set_frame(self.session.frame - 1)

    def go_to_start(self) -> None:
        self.session.set_time(0.0)

    def go_to_end(self) -> None:
        self.pause()
        self.session.set_time(self.session.scene.duration)

    def set_bake_progress(self, fraction: float | None) -> None:
        self.canvas.bake_progress = fraction
        self.canvas.update()
