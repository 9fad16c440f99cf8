"""SceneViewport: the 3D view of the SEE-1 cabin, its bodies and cameras, at the playhead.

The widget shows a scene (and its bake, once there is one) and lets the director look
around, pick things and move them. It never edits the scene itself: a click reports the
picked id (:attr:`SceneViewport.picked`) and a finished drag reports the new start pose
(:attr:`SceneViewport.transform_edited`) for the application to turn into an undoable edit.

Mouse and keys (Blender-like, see docs/viewport.md):

===================  ========================================================================
left drag            orbit round the view centre (on empty space)
Shift+left / middle  pan (on empty space)
wheel                zoom (dolly); close in, it walks forward through the cabin
right drag           look around from where the eye is
W A S D / Q E        fly forward, left, back, right / down, up (hold Shift to go faster)
click                select what is under the cursor (empty space clears)
left drag on a       move the selected body or camera in the view plane (or along the
selected object      constrained axis); hold Ctrl to snap to the nearest fixture
Shift+left drag on   turn it round the view axis (or the constrained axis), sweeping
the selection        the mouse round it
G / R                move / turn the selection with the mouse; click or Enter confirms,
                     right click or Esc cancels
X Y Z                constrain the move to, or turn about, that module axis (again: free)
F                    frame the selection (everything when nothing is selected)
1 2 3 4              hatch, top, front and overview (perspective) views
T                    show or hide the ghost trails of unselected bodies
Numpad 0             look through the selected camera (Esc, orbit, a preset view: leave)
right click          the viewport's menu
===================  ========================================================================
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyqtgraph.opengl as gl
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Qt, Signal

from see1previs.cinema.optics import fov_deg
from see1previs.core import quaternion as quat
from see1previs.core.scene import Scene
from see1previs.gui.viewport import navigation, opengl_setup, shading
from see1previs.gui.viewport.items import InteriorDrawing, SceneDrawing, camera_pose
from see1previs.physics.bake import station_for
from see1previs.physics.trajectory import Trajectory
from see1previs.render import manipulation, picking
from see1previs.render.viewport_shapes import pose_matrix

log = logging.getLogger(__name__)

CLICK_SLOP_PX = 4  # a press and release closer than this is a click, not a drag
PICK_SLACK_PX = 6  # a click this close to a small object still picks it
OUTLINE_PX = 3.0  # the selection outline's width on screen
HINT = (
    "drag orbit · Shift/middle pan · wheel zoom · right-drag look · WASD fly · "
    "F frame · 1 hatch · 2 top · 3 front · 4 overview · drag selection: move, Shift turn"
)
# The same keys as the main window's View menu.
VIEW_KEYS = {
    Qt.Key.Key_1: "hatch",
    Qt.Key.Key_2: "top",
    Qt.Key.Key_3: "front",
    Qt.Key.Key_4: "perspective",
}
# Keys the viewport keeps for itself while it has the focus, even where the window has a
# shortcut on them; Esc and Enter only while a move or turn is in progress.
OWN_KEYS = {
    *VIEW_KEYS,
    *(getattr(Qt.Key, f"Key_{c}") for c in "WASDQEGRXYZTF"),
}
DRAG_KEYS = {Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter}


@dataclass
class _Drag:
    """A move or turn of one object in progress."""

    owner: str
    kind: str  # "move" | "turn"
    ray_start: tuple[np.ndarray, np.ndarray]
    anchor: np.ndarray  # the grabbed point, module frame
    press_px: np.ndarray
    centre_px: np.ndarray  # the object's origin on screen
    origin: np.ndarray  # the object's drawn origin when the drag began
    orientation: np.ndarray
    standoff: float  # how far off a fixture the object lands when it snaps
    modal: bool  # started with G / R (follows the mouse until a click)


class _GLView(gl.GLViewWidget):
    """The OpenGL surface; its input goes to the SceneViewport that owns it."""

    def __init__(self, owner: SceneViewport) -> None:
        super().__init__(owner)
        self._owner = owner
        self.frames_drawn = 0  # for benchmarks and tests: paints actually made
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def update(self, *args):
        # Posing many items asks for a repaint once per item; one is enough.
        owner = getattr(self, "_owner", None)  # pyqtgraph asks before __init__ is done
        if owner is not None and getattr(owner, "_posing", False):
            return
        super().update(*args)

    def viewMatrix(self):
        return QtGui.QMatrix4x4(*self._owner.view_matrix().ravel())

    def projectionMatrix(self, region, viewport):
        return QtGui.QMatrix4x4(*navigation.projection_matrix(self, region, viewport).ravel())

    def paintGL(self):
        self._owner._before_paint()
        super().paintGL()
        self.frames_drawn += 1

    def mousePressEvent(self, ev):
        self._owner._mouse_press(ev)

    def mouseMoveEvent(self, ev):
        self._owner._mouse_move(ev)

    def mouseReleaseEvent(self, ev):
        self._owner._mouse_release(ev)

    def resizeEvent(self, ev):
        super().resizeEvent(ev)
        owner = getattr(self, "_owner", None)
        if owner is not None and hasattr(owner, "preset"):
            owner._refit_preset()

    def wheelEvent(self, ev):
        self._owner.preset = None
        self._owner.leave_look_through()
        navigation.dolly(self, ev.angleDelta().y() / 120.0)

    def keyPressEvent(self, ev):
        if not self._owner._key(ev):
            super().keyPressEvent(ev)

    def keyReleaseEvent(self, ev):
        ev.accept()

    def event(self, ev):
        if ev.type() == QtCore.QEvent.Type.ShortcutOverride:
            plain = not (
                ev.modifiers()
                & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
            )
            dragging = self._owner._drag is not None
            looking = self._owner.looking_through is not None and ev.key() == Qt.Key.Key_Escape
            if plain and (ev.key() in OWN_KEYS or (dragging and ev.key() in DRAG_KEYS) or looking):
                ev.accept()
                return True
        return super().event(ev)


class SceneViewport(QtWidgets.QWidget):
    """The 3D viewport of a SEE-1 scene."""

    picked = Signal(str)  # scene id clicked (prop, actor or camera); "" for empty space
    # At the end of a drag: id, position (3-tuple, m), orientation (w, x, y, z) — the new
    # start pose of a prop or actor, or a fixed camera's position and orientation.
    transform_edited = Signal(str, object, object)
    looking_through_changed = Signal(str)  # the camera looked through; "" for the free view

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.view = _GLView(self)
        self.view.setBackgroundColor(shading.BACKGROUND)
        layout.addWidget(self.view)
        self.hud = QtWidgets.QLabel(self)
        self.hud.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.hud.setStyleSheet(
            "QLabel { color: #9aa3b2; background: rgba(16, 18, 22, 170); "
            "padding: 3px 7px; border-radius: 3px; font-size: 11px; }"
        )
        self.scene: Scene | None = None
        self.trajectory: Trajectory | None = None
        self.interior: InteriorDrawing | None = None
        self.drawing: SceneDrawing | None = None
        self.time = 0.0
        self.selection: list[str] = []
        self.axis: str | None = None
        self.snap_always = False
        self._drag: _Drag | None = None
        self._posing = False
        self._press: tuple[QtCore.QPointF, Qt.MouseButton, Qt.KeyboardModifier] | None = None
        self._last_px: QtCore.QPointF | None = None
        self._navigating: str | None = None
        self.preset: str | None = None  # the preset view shown, until the eye is moved
        self.looking_through: str | None = None  # the camera whose view the viewport shows
        self._camera_view: np.ndarray | None = None  # its view matrix (with roll)
        self.context_actions: list[QtGui.QAction] = []  # the right-click menu
        self.cue_tools = None  # the cue arrow and pick mode (gui/viewport/cue_gizmo.py)
        self.set_view("perspective")
        self._update_hud()
        problem = opengl_setup.late_setup_warning()
        if problem:
            log.warning(problem)

    # ---- the contract with the main window ------------------------------------------------
    def show_scene(
        self,
        scene: Scene,
        world=None,
        trajectory: Trajectory | None = None,
        scene_dir: Path | None = None,
    ) -> None:
        """Draw a scene; with a bake (world and trajectory) bodies move and trails show."""
        self._cancel_drag()
        station = getattr(world, "station", None)
        if station is None:
            try:
                station = station_for(scene, scene_dir)
            except Exception:
                station = None
        if self.interior is None or self.interior.station is not station:
            if self.interior is not None:
                for item in self.interior.items:
                    self.view.removeItem(item)
            self.interior = InteriorDrawing(station) if station is not None else None
            for item in self.interior.items if self.interior else []:
                self.view.addItem(item)
        previous = self.drawing
        if previous is not None:
            previous.remove()
        self.scene, self.trajectory = scene, trajectory
        self.drawing = SceneDrawing(self.view, scene, world, trajectory, station, scene_dir)
        if previous is not None and trajectory is not None and previous.trajectory is trajectory:
            # The same motion shown for an edited scene (cameras, shots): keep what it was
            # baked from, so a re-bake's wait can carry edited bodies onto their new poses.
            self.drawing.baked_scene = previous.baked_scene
        known = set(self.drawing.owners())
        self.selection = [i for i in self.selection if i in known]
        self.drawing.set_selection(self.selection)
        self.set_time(self.time)
        self._update_hud()

    def show_edited_scene(self, scene: Scene, scene_dir: Path | None = None) -> None:
        """An edit whose re-bake is under way: draw its start poses at once.

        The bake on screen is stale; a body whose start pose changed is drawn following its
        old path carried onto the new start pose (trails grey) until :meth:`show_scene`
        brings the new bake. When bodies were added or removed the start poses are drawn.
        """
        drawing = self.drawing
        same_bodies = drawing is not None and [b.id for b in drawing.scene.bodies()] == [
            b.id for b in scene.bodies()
        ]
        if not same_bodies or self.trajectory is None:
            if drawing is None or drawing.scene is not scene:
                self.show_scene(scene, None, None, scene_dir)
            return
        self._cancel_drag()
        drawing.show_stale(scene)
        self.scene = drawing.scene = scene
        self.set_time(self.time)
        self._update_hud()

    def show_streamed(self, trajectory: Trajectory) -> None:
        """A re-bake's frames so far: drawn as they arrive (ignored if they cannot be)."""
        if self.drawing is None or self._drag is not None:
            return
        if self.drawing.show_streamed(trajectory):
            self.trajectory = trajectory
            self.drawing.baked_scene = self.scene  # only the current scene's bake streams
            self.set_time(self.time)
            self._update_hud()

    def set_time(self, t: float) -> None:
        """Pose everything at scene time t (seconds)."""
        self.time = float(t)
        if self.drawing is not None:
            self._posing = True
            try:
                self.drawing.update(self.time)
            finally:
                self._posing = False
            if self.looking_through is not None:
                self._follow_camera()
        self.view.update()

    def set_selection(self, ids) -> None:
        """Outline these scene ids and show their onion skins (does not emit ``picked``)."""
        self.selection = [i for i in ids if i]
        if self.drawing is not None:
            self.drawing.set_selection(self.selection)
            if self.looking_through is not None:
                self._show_camera_items(self.looking_through, False)
        self.view.update()

    def frame_selected(self) -> None:
        """Fit the selection (or, with nothing selected, the whole cabin) in the view."""
        self.leave_look_through()
        bounds = self.drawing.bounds_of(self.selection) if self.drawing else None
        if bounds is None:
            centre = np.array(navigation.PRESETS["perspective"].centre)
            navigation.frame(self.view, centre, navigation.CABIN_RADIUS_M, margin=1.0)
            self.preset = None
        else:
            navigation.frame(self.view, *bounds)
            self.preset = None

    def set_view(self, name: str) -> None:
        """One of the preset views: "hatch", "top", "front" or "perspective"."""
        self.leave_look_through()
        navigation.apply_preset(self.view, name)
        self.preset = name  # re-fitted to the picture when the viewport is resized

    def look_from(self, eye, forward, fov: float | None = None) -> None:
        """Move the eye to a point, looking along a direction (fov: horizontal, degrees)."""
        self.leave_look_through()
        navigation.look_from(self.view, eye, forward, fov)
        self.preset = None

    def drawn_pose(self, link: str) -> tuple[np.ndarray, np.ndarray]:
        """(position, orientation wxyz) drawn now for a link, body id or camera id."""
        if self.drawing is None or link not in self.drawing.drawn_links:
            raise KeyError(f"nothing called '{link}' is drawn in the viewport")
        position, orientation = self.drawing.drawn_links[link]
        return position.copy(), orientation.copy()

    def render_image(self) -> QtGui.QImage:
        """The 3D view as an image (what the viewport shows, without its overlay text)."""
        return self.view.grabFramebuffer()

    # ---- more for the main window and tests ------------------------------------------------
    def set_trails_visible(self, visible: bool) -> None:
        if self.drawing is not None:
            self.drawing.set_trails_visible(visible)
            self.view.update()

    def view_matrix(self) -> np.ndarray:
        """The 4x4 view matrix: the orbit eye's, or the camera's looked through."""
        if self._camera_view is not None:
            return self._camera_view
        return navigation.view_matrix(self.view)

    def view_matrices(self) -> tuple[np.ndarray, np.ndarray]:
        """(view, projection) 4x4 matrices the 3D view draws with now."""
        w, h = max(self.view.width(), 1), max(self.view.height(), 1)
        projection = navigation.projection_matrix(self.view, (0, 0, w, h), (0, 0, w, h))
        return self.view_matrix(), projection

    # ---- looking through a scene camera ---------------------------------------------------
    def look_through(self, camera_id: str) -> bool:
        """Show the view of a scene camera (its pose and lens at the playhead, following it).

        Orbiting, panning, zooming, flying, a preset view or Esc return to the free view.
        False when there is no such camera drawn.
        """
        if self.drawing is None or self.drawing.camera(camera_id) is None:
            return False
        self._cancel_drag()
        if self.looking_through and self.looking_through != camera_id:
            self._show_camera_items(self.looking_through, True)
        self.looking_through = camera_id
        self.preset = None
        self._follow_camera()
        self._update_hud()
        self.looking_through_changed.emit(camera_id)
        return True

    def toggle_look_through(self, camera_id: str) -> None:
        """Look through a camera, or back to the free view when already looking through it."""
        if self.looking_through and self.looking_through == camera_id:
            self.leave_look_through()
        elif camera_id:
            self.look_through(camera_id)

    def leave_look_through(self) -> None:
        """Back to the free view (it starts where the camera was, looking the same way)."""
        if self.looking_through is None:
            return
        self._show_camera_items(self.looking_through, True)
        self.looking_through = None
        self._camera_view = None
        self.view.update()
        self._update_hud()
        self.looking_through_changed.emit("")

    def _follow_camera(self) -> None:
        """Put the eye on the looked-through camera at the playhead."""
        camera = self.drawing.camera(self.looking_through) if self.drawing else None
        if camera is None:
            self.leave_look_through()
            return
        _, _, focal = camera_pose(camera.track, self.time)
        position, orientation = self.drawing.drawn_links[camera.camera_id]
        optics = camera.track.optics
        lens = fov_deg(optics.sensor_width_mm, optics.sensor_height_mm, focal)
        # The whole gate in the picture: the lens's width, or its height where the view
        # is wider than the sensor (then more shows at the sides, as in a DCC's camera view).
        aspect = max(self.view.width(), 1) / max(self.view.height(), 1)
        fit_height = math.atan(math.tan(math.radians(lens.v) / 2.0) * aspect)
        fov = max(lens.h, math.degrees(2.0 * fit_height))
        # The orbit eye goes along (same place, direction and lens) so leaving is seamless;
        # the drawn view is the camera's own, roll included.
        navigation.look_from(self.view, position, quat.rotate(orientation, (0.0, 0.0, -1.0)), fov)
        self._camera_view = np.linalg.inv(pose_matrix(position, orientation))
        self._show_camera_items(camera.camera_id, False)

    def _show_camera_items(self, camera_id: str, visible: bool) -> None:
        camera = self.drawing.camera(camera_id) if self.drawing else None
        if camera is not None:
            for item in (camera.body, camera.frustum, camera.outline):
                if item is not None:
                    item.setVisible(visible)

    def context_menu(self) -> QtWidgets.QMenu:
        """The viewport's right-click menu (built from :attr:`context_actions`)."""
        menu = QtWidgets.QMenu(self)
        menu.addActions(self.context_actions)
        return menu

    def project(self, point) -> tuple[float, float] | None:
        """Widget pixel (x, y) where a module-frame point is drawn, None behind the eye."""
        view, projection = self.view_matrices()
        hit = picking.project(view, projection, point, self.view.width(), self.view.height())
        return None if hit is None else (hit[0], hit[1])

    def pick(self, x: float, y: float) -> tuple[str, np.ndarray] | None:
        """(scene id, hit point) under widget pixel (x, y), or None."""
        if self.drawing is None:
            return None
        origin, direction = self._ray(x, y)
        slack = PICK_SLACK_PX * math.radians(self.view.opts["fov"]) / max(self.view.width(), 1)
        hit = picking.first_hit(origin, direction, self.drawing.pick_targets(), slack)
        if hit is None:
            return None
        return hit[0], origin + hit[1] * direction

    def _before_paint(self) -> None:
        """Adjust what depends on where the eye is, just before a frame is drawn."""
        eye = navigation.eye_position(self.view)
        if self.interior is not None:
            self.interior.cut_away(eye)
        if self.cue_tools is not None:
            self.cue_tools.arrow.place_label()
        if self.drawing is not None and self.selection:
            bounds = self.drawing.bounds_of(self.selection)
            if bounds is not None:
                distance = max(float(np.linalg.norm(bounds[0] - eye)), 0.1)
                fov = math.radians(self.view.opts["fov"])
                metres_per_px = 2.0 * distance * math.tan(fov / 2.0) / max(self.view.width(), 1)
                self.drawing.set_outline_width(max(OUTLINE_PX * metres_per_px, 0.004))

    # ---- input -----------------------------------------------------------------------------
    def _ray(self, x: float, y: float) -> tuple[np.ndarray, np.ndarray]:
        view, projection = self.view_matrices()
        return picking.pick_ray(view, projection, x, y, self.view.width(), self.view.height())

    def _mouse_press(self, ev: QtGui.QMouseEvent) -> None:
        pos = ev.position()
        self._last_px = pos
        if self._drag is not None and self._drag.modal:
            if ev.button() == Qt.MouseButton.LeftButton:
                self._finish_drag(ev.modifiers())
            else:
                self._cancel_drag()
            return
        self._press = (pos, ev.button(), ev.modifiers())
        self._navigating = None
        shift = bool(ev.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if ev.button() == Qt.MouseButton.LeftButton:
            if self.cue_tools is not None and self.cue_tools.arrow.press(pos):
                self._press = None  # dragging a cue arrow's tip
                return
            # On the selection a drag moves it (with Shift: turns it); elsewhere it navigates.
            hit = self.pick(pos.x(), pos.y())
            if hit is not None and hit[0] in self.selection and self._movable(hit[0]):
                kind = "turn" if shift else "move"
                self._begin_drag(hit[0], kind, pos, anchor=hit[1], modal=False)
                return
            self._navigating = "pan" if shift else "orbit"
        elif ev.button() == Qt.MouseButton.MiddleButton:
            self._navigating = "pan"
        elif ev.button() == Qt.MouseButton.RightButton:
            self._navigating = "look"

    def _mouse_move(self, ev: QtGui.QMouseEvent) -> None:
        pos = ev.position()
        last = self._last_px or pos
        dx, dy = pos.x() - last.x(), pos.y() - last.y()
        self._last_px = pos
        if self.cue_tools is not None and self.cue_tools.arrow.dragging:
            self.cue_tools.arrow.move(pos)
            return
        if self._drag is not None:
            self._update_drag(pos, ev.modifiers())
            return
        if self._navigating is None or self._press is None:
            return
        if not self._moved_beyond_click(pos):
            return
        self.preset = None
        self.leave_look_through()
        if self._navigating == "orbit":
            navigation.orbit(self.view, dx, dy)
        elif self._navigating == "pan":
            navigation.pan(self.view, dx, dy)
        elif self._navigating == "look":
            navigation.look_around(self.view, dx, dy)

    def _mouse_release(self, ev: QtGui.QMouseEvent) -> None:
        pos = ev.position()
        if self.cue_tools is not None and self.cue_tools.arrow.dragging:
            self.cue_tools.arrow.release(pos)
            self._press = None
            return
        if self._drag is not None and not self._drag.modal:
            if self._moved_beyond_click(pos):
                self._finish_drag(ev.modifiers())
            else:
                self._cancel_drag()
                self._click(pos)
            self._press = None
            return
        if (
            self._press is not None
            and self._press[1] == Qt.MouseButton.LeftButton
            and ev.button() == Qt.MouseButton.LeftButton
            and not self._moved_beyond_click(pos)
        ):
            self._click(pos)
        elif (
            self._press is not None
            and self._press[1] == Qt.MouseButton.RightButton
            and ev.button() == Qt.MouseButton.RightButton
            and not self._moved_beyond_click(pos)
            and self.context_actions
        ):
            hit = self.pick(pos.x(), pos.y())
            if hit is not None and hit[0] not in self.selection:
                self._click(pos)  # the menu (Add Cue, Look Through...) acts on what is under it
            self.context_menu().popup(self.view.mapToGlobal(pos.toPoint()))
        self._press = None
        self._navigating = None

    def _moved_beyond_click(self, pos: QtCore.QPointF) -> bool:
        if self._press is None:
            return True
        start = self._press[0]
        return math.hypot(pos.x() - start.x(), pos.y() - start.y()) > CLICK_SLOP_PX

    def _click(self, pos: QtCore.QPointF) -> None:
        if self.cue_tools is not None and self.cue_tools.pick.click(pos):
            return  # the click chose a field's value
        hit = self.pick(pos.x(), pos.y())
        picked = hit[0] if hit else ""
        self.set_selection([picked] if picked else [])
        self.picked.emit(picked)

    def _key(self, ev: QtGui.QKeyEvent) -> bool:
        """Handle a key; False when it is not one of the viewport's."""
        key, mods = ev.key(), ev.modifiers()
        fast = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        flights = {
            Qt.Key.Key_W: (1, 0, 0),
            Qt.Key.Key_S: (-1, 0, 0),
            Qt.Key.Key_A: (0, -1, 0),
            Qt.Key.Key_D: (0, 1, 0),
            Qt.Key.Key_E: (0, 0, 1),
            Qt.Key.Key_Q: (0, 0, -1),
        }
        views = VIEW_KEYS
        axes = {Qt.Key.Key_X: "x", Qt.Key.Key_Y: "y", Qt.Key.Key_Z: "z"}
        if key in flights and not (mods & Qt.KeyboardModifier.ControlModifier):
            self.leave_look_through()
            navigation.fly(self.view, *flights[key], fast=fast)
            self.preset = None
        elif key in views:
            self.set_view(views[key])
        elif key == Qt.Key.Key_F:
            self.frame_selected()
        elif key in axes:
            self.axis = None if self.axis == axes[key] else axes[key]
            if self._drag is not None:
                self._update_drag(self._last_px, mods)
        elif key in (Qt.Key.Key_G, Qt.Key.Key_R):
            self._begin_modal("move" if key == Qt.Key.Key_G else "turn")
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._drag is not None:
            self._finish_drag(mods)
        elif key == Qt.Key.Key_Escape and self.cue_tools is not None and self.cue_tools.pick.active:
            self.cue_tools.pick.stop()
        elif key == Qt.Key.Key_Escape:
            if self._drag is None:
                self.leave_look_through()
            self._cancel_drag()
            self.axis = None
        elif key == Qt.Key.Key_T and self.drawing is not None:
            self.set_trails_visible(not self.drawing.trails_visible)
        else:
            return False
        self._update_hud()
        return True

    # ---- moving and turning ----------------------------------------------------------------
    def _movable(self, owner: str) -> bool:
        if self.drawing is None or self.scene is None:
            return False
        camera = self.drawing.camera(owner)
        if camera is not None:
            return camera.movable
        return owner in self.drawing.drawn_origins

    def _begin_modal(self, kind: str) -> None:
        if self._drag is not None or not self.selection:
            return
        owner = self.selection[0]
        if not self._movable(owner):
            return
        cursor = self.view.mapFromGlobal(QtGui.QCursor.pos())
        pos = self._last_px or QtCore.QPointF(cursor)
        self._begin_drag(owner, kind, pos, anchor=None, modal=True)

    def _owner_pose(self, owner: str) -> tuple[np.ndarray, np.ndarray]:
        if owner in self.drawing.drawn_origins:
            return self.drawing.drawn_origins[owner]
        return self.drawing.drawn_links[owner]

    def _begin_drag(self, owner, kind, pos, anchor, modal) -> None:
        origin, orientation = self._owner_pose(owner)
        centre = self.project(origin) or (pos.x(), pos.y())
        bounds = self.drawing.bounds_of([owner])
        self._drag = _Drag(
            owner=owner,
            kind=kind,
            ray_start=self._ray(pos.x(), pos.y()),
            anchor=np.asarray(anchor if anchor is not None else origin, dtype=float),
            press_px=np.array([pos.x(), pos.y()]),
            centre_px=np.asarray(centre, dtype=float),
            origin=np.asarray(origin, dtype=float).copy(),
            orientation=np.asarray(orientation, dtype=float).copy(),
            standoff=bounds[1] if bounds else 0.1,
            modal=modal,
        )
        self._update_hud()

    def _drag_delta(self, pos, mods) -> tuple[np.ndarray, np.ndarray]:
        """(translation, turn quaternion) of the drag with the mouse at pos."""
        drag = self._drag
        ray_now = self._ray(pos.x(), pos.y())
        forward = navigation.view_direction(self.view)
        identity = np.array([1.0, 0.0, 0.0, 0.0])
        if drag.kind == "move":
            if self.axis is not None:
                move = manipulation.move_along_axis(
                    drag.ray_start, ray_now, drag.anchor, manipulation.AXES[self.axis]
                )
            else:
                move = manipulation.move_in_view_plane(
                    drag.ray_start, ray_now, drag.anchor, forward
                )
            snapping = self.snap_always or bool(mods & Qt.KeyboardModifier.ControlModifier)
            if snapping and self.interior is not None:
                exact = self.drawing.camera(drag.owner) is not None
                points = [p for p in self.interior.snap_points() if p.exact == exact]
                landed, _ = manipulation.snap_to_fixture(
                    drag.origin + move, points, 0.0 if exact else drag.standoff, ray=ray_now
                )
                move = landed - drag.origin
            return move, identity
        angle = manipulation.turn_angle(drag.centre_px, drag.press_px, (pos.x(), pos.y()))
        axis = -forward if self.axis is None else manipulation.AXES[self.axis]
        if self.axis is not None and float(axis @ -forward) < 0:
            angle = -angle  # the axis points away from the viewer: screen sense flips
        return np.zeros(3), manipulation.turn(axis, angle)

    def _update_drag(self, pos, mods) -> None:
        if self._drag is None or pos is None:
            return
        move, turn = self._drag_delta(pos, mods)
        self.drawing.preview = {self._drag.owner: (move, turn)}
        self.set_time(self.time)

    def _finish_drag(self, mods) -> None:
        drag = self._drag
        if drag is None:
            return
        move, turn = self._drag_delta(self._last_px, mods)
        self._cancel_drag()
        camera = self.drawing.camera(drag.owner)
        if camera is not None:
            position, orientation = manipulation.moved_start_pose(
                drag.origin, drag.orientation, move, turn
            )
        else:
            start = self.scene.body(drag.owner).pose
            position, orientation = manipulation.moved_start_pose(
                start.position, start.orientation, move, turn
            )
        self.transform_edited.emit(drag.owner, position, orientation)

    def _cancel_drag(self) -> None:
        self._drag = None
        if self.drawing is not None and self.drawing.preview:
            self.drawing.preview = {}
            self.set_time(self.time)
        self._update_hud()

    # ---- overlay ---------------------------------------------------------------------------
    def _update_hud(self) -> None:
        if self._drag is not None:
            verb = "Move" if self._drag.kind == "move" else "Turn"
            axis = f" along {self.axis.upper()}" if self.axis and verb == "Move" else ""
            if self.axis and verb == "Turn":
                axis = f" about {self.axis.upper()}"
            text = f"{verb} {self._drag.owner}{axis} · Ctrl snaps to fixtures · Esc cancels"
        elif self.cue_tools is not None and self.cue_tools.pick.active:
            text = f"{self.cue_tools.pick.prompt} · Esc cancels"
        elif self.looking_through is not None:
            text = f"Looking through {self.looking_through} · Esc or orbit for the free view"
        elif self.drawing is not None and self.drawing.streamed_to is not None:
            text = f"Re-baking — new motion up to {self.drawing.streamed_to:.2f} s · " + HINT
        elif self.drawing is not None and self.drawing.stale:
            text = "Motion out of date (grey) — re-baking · " + HINT
        elif self.axis:
            text = f"Axis {self.axis.upper()} · " + HINT
        else:
            text = HINT
        self.hud.setText(text)
        self.hud.adjustSize()
        self._place_hud()

    def _place_hud(self) -> None:
        self.hud.move(8, max(self.height() - self.hud.height() - 8, 0))
        self.hud.raise_()

    def resizeEvent(self, ev: QtGui.QResizeEvent) -> None:
        super().resizeEvent(ev)
        self._place_hud()

    def _refit_preset(self) -> None:
        """Keep a preset view's framing when the 3D view changes size."""
        if self.preset is not None:
            navigation.apply_preset(self.view, self.preset)
