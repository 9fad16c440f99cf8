"""The camera monitor: the selected camera's point of view at the playhead, like a video tap.

Frames are rendered by :class:`see1previs.render.camera_view.CameraView` (MuJoCo's offscreen
renderer) in a dedicated thread that owns the renderer, so scrubbing and baking never wait
for a frame; requests pile up as "latest wins". The widget letterboxes the frame at the
sensor's aspect ratio and draws frame lines (the sensor frame, 2.39:1 and 1.85:1 extraction
lines, 90 % action safe, centre cross) and a readout: body and mode, lens, focal length,
stop, focus distance and field of view.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QThread, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from see1previs.gui import theme
from see1previs.gui.qt_events import listen
from see1previs.session.session import Session

RENDER_WIDTH = 640
READOUT_H = 46  # pixels under the picture for the lens readout
EXTRACTIONS = (2.39, 1.85)


@dataclass(frozen=True)
class FrameRequest:
    world: object
    trajectory: object
    scene: object
    camera_id: str
    frame: int
    serial: int


@dataclass(frozen=True)
class MonitorFrame:
    """A rendered frame and the lens state at that frame."""

    request: FrameRequest
    image: QImage
    sensor_mm: tuple[float, float]
    body: str
    mode: str
    lens: str
    focal_mm: float
    focus_m: float
    f_stop: float
    hfov_deg: float
    vfov_deg: float


class MonitorRenderer(QThread):
    """Owns the offscreen renderer; renders the newest request, drops older ones."""

    rendered = Signal(object)  # MonitorFrame
    failed = Signal(object, str)  # request, message

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._wake = threading.Condition()
        self._request: FrameRequest | None = None
        self._stopping = False
        self._view = None
        self._view_world = None
        self._tracks: dict[tuple, object] = {}

    def request(self, request: FrameRequest) -> None:
        with self._wake:
            self._request = request
            self._wake.notify()

    def stop(self) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify()
        self.wait(10000)

    def run(self) -> None:
        try:
            while True:
                with self._wake:
                    while self._request is None and not self._stopping:
                        self._wake.wait()
                    if self._stopping:
                        return
                    request, self._request = self._request, None
                try:
                    self.rendered.emit(self._render(request))
                except Exception as exc:  # shown on the monitor; the app keeps going
                    self.failed.emit(request, str(exc) or type(exc).__name__)
        finally:
            if self._view is not None:
                self._view.close()

    def _render(self, request: FrameRequest) -> MonitorFrame:
        from see1previs.cinema.optics import fov_deg
        from see1previs.cinema.tracks import evaluate_camera
        from see1previs.render.camera_view import CameraView

        scene = request.scene
        camera = next(c for c in scene.cameras if c.id == request.camera_id)
        key = (id(request.trajectory), camera.model_dump_json(), len(scene.bodies()))
        track = self._tracks.get(key)
        if track is None:
            if len(self._tracks) > 16:
                self._tracks.clear()
            track = evaluate_camera(camera, scene, request.world.station, request.trajectory)
            self._tracks[key] = track
        if self._view_world is not request.world:
            if self._view is not None:
                self._view.close()
            self._view = CameraView(request.world, width=RENDER_WIDTH)
            self._view_world = request.world
        frame = min(request.frame, len(track.times) - 1)
        pixels = np.ascontiguousarray(self._view.render(request.trajectory, track, frame))
        height, width, _ = pixels.shape
        image = QImage(pixels.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()
        optics = track.optics
        focal = float(track.focal_mm[frame])
        fov = fov_deg(optics.sensor_width_mm, optics.sensor_height_mm, focal)
        return MonitorFrame(
            request=request,
            image=image,
            sensor_mm=(optics.sensor_width_mm, optics.sensor_height_mm),
            body=optics.body_name,
            mode=optics.mode_name,
            lens=optics.lens_name,
            focal_mm=focal,
            focus_m=float(track.focus_m[frame]),
            f_stop=float(track.f_stop),
            hfov_deg=float(fov.h),
            vfov_deg=float(fov.v),
        )


class MonitorScreen(QWidget):
    """Draws the letterboxed frame, frame lines and readout."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.frame: MonitorFrame | None = None
        self.message = "No camera"
        self.setMinimumSize(240, 160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(420, 300)

    def image_rect(self) -> QRectF:
        """Where the frame is drawn: the largest sensor-aspect rectangle that fits."""
        area = QRectF(self.rect()).adjusted(6, 6, -6, -READOUT_H - 4)
        if self.frame is None:
            return area
        w, h = self.frame.sensor_mm
        aspect = w / h
        if area.width() / max(area.height(), 1) > aspect:
            width = area.height() * aspect
            return QRectF(area.center().x() - width / 2, area.top(), width, area.height())
        height = area.width() / aspect
        return QRectF(area.left(), area.center().y() - height / 2, area.width(), height)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#0b0c0e"))
        frame = self.frame
        if frame is None:
            painter.setPen(theme.DIM_TEXT)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.message)
            painter.end()
            return
        target = self.image_rect()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(target, frame.image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._frame_lines(painter, target)
        self._readout(painter, target, frame)
        if self.message:
            painter.setPen(theme.ACCENT)
            painter.drawText(
                target.adjusted(8, 8, -8, -8), Qt.AlignmentFlag.AlignRight, self.message
            )
        painter.end()

    def _frame_lines(self, painter: QPainter, target: QRectF) -> None:
        painter.setPen(QPen(QColor(255, 255, 255, 150), 1))
        painter.drawRect(target)
        aspect = target.width() / target.height()
        for number, (ratio, alpha) in enumerate(zip(EXTRACTIONS, (170, 110), strict=True)):
            if ratio <= aspect:
                continue
            height = target.width() / ratio
            top = target.center().y() - height / 2
            pen = QPen(QColor(240, 162, 58, alpha), 1, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(target.left(), top), QPointF(target.right(), top))
            painter.drawLine(
                QPointF(target.left(), top + height), QPointF(target.right(), top + height)
            )
            # Labels at alternate ends so neighbouring lines' labels never overlap.
            x = target.right() - 40 if number % 2 == 0 else target.left() + 4
            painter.drawText(QPointF(x, top - 3), f"{ratio:g}:1")
        safe = QRectF(target)
        safe.setSize(target.size() * 0.9)
        safe.moveCenter(target.center())
        painter.setPen(QPen(QColor(255, 255, 255, 60), 1, Qt.PenStyle.DotLine))
        painter.drawRect(safe)
        c = target.center()
        painter.setPen(QPen(QColor(255, 255, 255, 140), 1))
        painter.drawLine(QPointF(c.x() - 10, c.y()), QPointF(c.x() + 10, c.y()))
        painter.drawLine(QPointF(c.x(), c.y() - 10), QPointF(c.x(), c.y() + 10))

    def _readout(self, painter: QPainter, target: QRectF, frame: MonitorFrame) -> None:
        painter.setFont(theme.monospace_font(8.5))
        painter.setPen(theme.TEXT)
        scene = frame.request.scene
        rate = scene.frame_rate
        tc = rate.timecode(frame.request.frame)
        # Camera and timecode at the bottom left: the extraction labels use the top.
        label = f"{frame.request.camera_id}  {tc}"
        box = QRectF(
            target.left(),
            target.bottom() - 18,
            painter.fontMetrics().horizontalAdvance(label) + 10,
            18,
        )
        painter.fillRect(box, QColor(0, 0, 0, 150))
        painter.drawText(QPointF(box.left() + 5, box.bottom() - 5), label)
        lines = (
            (theme.DIM_TEXT, f"{frame.body} · {frame.mode}"),
            (theme.TEXT, f"{_lens_text(frame)}    f/{frame.f_stop:g}"),
            (
                theme.TEXT,
                f"focus {frame.focus_m:.2f} m    FOV {frame.hfov_deg:.1f}° × {frame.vfov_deg:.1f}°"
                f"    sensor {frame.sensor_mm[0]:.2f} × {frame.sensor_mm[1]:.2f} mm",
            ),
        )
        metrics = painter.fontMetrics()
        top = self.height() - READOUT_H + 2
        for number, (colour, text) in enumerate(lines):
            painter.setPen(colour)
            elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, self.width() - 12)
            painter.drawText(QPointF(6, top + metrics.ascent() + number * metrics.height()), elided)


def _lens_text(frame: MonitorFrame) -> str:
    """ "Signature Zoom 24-75 @ 32 mm", or just "35 mm" for a camera without a catalog lens."""
    focal = f"{frame.focal_mm:.0f} mm"
    return focal if frame.lens in (focal, f"{frame.focal_mm:g} mm") else f"{frame.lens} @ {focal}"


class CameraMonitor(QWidget):
    """The camera monitor dock's contents: camera chooser and screen."""

    frame_shown = Signal(object)  # MonitorFrame

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.chooser = QComboBox(self)
        self.chooser.setObjectName("monitor-camera")
        self.chooser.currentIndexChanged.connect(lambda _: self.request_frame())
        self.screen_widget = MonitorScreen(self)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        label = QLabel("Camera")
        label.setObjectName("unit")
        top.addWidget(label)
        top.addWidget(self.chooser, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.screen_widget, 1)
        self._serial = 0
        self._shown_serial = 0
        self._streamed_count = 0  # frames of the running re-bake shown so far
        self.renderer = MonitorRenderer(self)
        self.renderer.rendered.connect(self._rendered)
        self.renderer.failed.connect(self._failed)
        self.renderer.start()
        listen(self, session.scene_changed, self._scene_changed)
        listen(self, session.time_changed, lambda t: self.request_frame())
        listen(self, session.baked, lambda result: self._new_bake())
        listen(self, session.bake_needed, lambda since: self._new_bake(render=False))
        listen(self, session.bake_streamed, self._streamed)
        listen(self, session.selection_changed, self._selection_changed)
        self._scene_changed(session.scene)

    @property
    def camera_id(self) -> str:
        return self.chooser.currentData() or ""

    @property
    def frame(self) -> MonitorFrame | None:
        return self.screen_widget.frame

    @property
    def up_to_date(self) -> bool:
        """The shown frame answers the newest request."""
        return self._shown_serial == self._serial

    def show_camera(self, camera_id: str) -> None:
        index = self.chooser.findData(camera_id)
        if index >= 0:
            self.chooser.setCurrentIndex(index)

    def _scene_changed(self, scene) -> None:
        current = self.camera_id
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for camera in scene.cameras:
            label = camera.id + (f" — {camera.name}" if camera.name else "")
            self.chooser.addItem(label, camera.id)
        index = self.chooser.findData(current)
        self.chooser.setCurrentIndex(index if index >= 0 else (0 if scene.cameras else -1))
        self.chooser.blockSignals(False)
        self.request_frame()

    def _selection_changed(self, ids) -> None:
        scene = self.session.scene
        for item_id in ids:
            if any(c.id == item_id for c in scene.cameras):
                self.show_camera(item_id)
                return
            shot = next((s for s in scene.shots if s.id == item_id), None)
            if shot is not None:
                self.show_camera(shot.camera)
                return

    def _new_bake(self, render: bool = True) -> None:
        self._streamed_count = 0
        if render:
            self.request_frame()

    def _streamed(self, frames) -> None:
        """A re-bake's frames so far: render again only if the frame shown is a new one."""
        shown = min(self.session.frame, frames.frame_count - 1)
        if shown >= self._streamed_count - 1:
            self.request_frame()
        self._streamed_count = frames.frame_count

    def request_frame(self) -> None:
        session = self.session
        bake = session.bake
        self._serial += 1
        if not self.camera_id:
            self._show_message("No camera in the scene — add one from the Scene menu")
            return
        if bake is None:
            self._show_message("Waiting for the bake…")
            return
        trajectory = bake.trajectory
        streamed = session.streamed
        if (
            streamed is not None
            and streamed.body_ids == trajectory.body_ids
            and streamed.links == trajectory.links
        ):  # a re-bake's frames so far, drawn with the same bodies
            trajectory = streamed
        self.renderer.request(
            FrameRequest(
                world=bake.world,
                trajectory=trajectory,
                scene=session.scene,
                camera_id=self.camera_id,
                frame=min(session.frame, trajectory.frame_count - 1),
                serial=self._serial,
            )
        )

    def _show_message(self, message: str) -> None:
        self._shown_serial = self._serial
        self.screen_widget.frame = None
        self.screen_widget.message = message
        self.screen_widget.update()

    def _rendered(self, frame: MonitorFrame) -> None:
        if frame.request.serial < self._shown_serial:
            return
        self._shown_serial = frame.request.serial
        self.screen_widget.frame = frame
        self.screen_widget.message = "" if self.session.bake_is_current else "baking…"
        self.screen_widget.update()
        self.frame_shown.emit(frame)

    def _failed(self, request: FrameRequest, message: str) -> None:
        if request.serial < self._shown_serial:
            return
        self._shown_serial = request.serial
        self.screen_widget.frame = None
        self.screen_widget.message = f"Cannot show camera {request.camera_id}: {message}"
        self.screen_widget.update()

    def shutdown(self) -> None:
        self.renderer.stop()
