"""The central 3D viewport, or a stand-in where the 3D view cannot be loaded.

:func:`make_viewport` returns the interior viewport (:class:`see1previs.gui.viewport.SceneViewport`)
when it imports, otherwise :class:`ViewportStandIn`, which has the same interface and shows
the scene's state as text. The window talks only to that interface.
"""

from __future__ import annotations

import logging

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

log = logging.getLogger(__name__)


class ViewportStandIn(QWidget):
    """Same interface as the 3D viewport; shows what it would draw as text."""

    picked = Signal(str)
    transform_edited = Signal(str, object, object)
    looking_through_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context_actions: list = []
        self.looking_through: str | None = None
        self._label = QLabel("3D viewport unavailable", self)
        self._label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._label.setStyleSheet("color: #8b93a1; background: #14161a;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._label)
        self._trajectory = None
        self._time = 0.0
        self._scene = None

    def show_scene(self, scene, world, trajectory, scene_dir=None) -> None:
        self._scene = scene
        self._trajectory = trajectory
        self._update_text()

    def show_edited_scene(self, scene, scene_dir=None) -> None:
        self.show_scene(scene, None, None, scene_dir)

    def show_streamed(self, trajectory) -> None:
        self._trajectory = trajectory
        self._update_text()

    def set_time(self, t: float) -> None:
        self._time = float(t)

    def set_selection(self, ids) -> None:
        pass

    def frame_selected(self) -> None:
        pass

    def set_view(self, name: str) -> None:
        pass

    def toggle_look_through(self, camera_id: str) -> None:
        pass

    def leave_look_through(self) -> None:
        pass

    def drawn_pose(self, link: str) -> tuple[np.ndarray, np.ndarray]:
        if self._trajectory is None:
            raise KeyError(link)
        return self._trajectory.link_pose(link, self._time)

    def render_image(self) -> QImage:
        return self.grab().toImage()

    def _update_text(self) -> None:
        if self._scene is None:
            return
        bodies = len(self._scene.props) + len(self._scene.actors)
        self._label.setText(f"3D viewport unavailable — {bodies} bodies in '{self._scene.title}'")


def make_viewport(parent: QWidget | None = None) -> QWidget:
    """The interior viewport, or the stand-in if the 3D view cannot be created."""
    try:
        from see1previs.gui.viewport import SceneViewport
    except ImportError as exc:
        log.warning("3D viewport not available: %s", exc)
        return ViewportStandIn(parent)
    return SceneViewport(parent)


def is_stand_in(widget: QWidget) -> bool:
    return isinstance(widget, ViewportStandIn)
