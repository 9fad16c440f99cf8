"""Cue tools in the viewport: the direction arrow and picking a field's value by clicking.

:class:`CueArrow` — when a push-off, a throw or an impulse cue is selected, an arrow starts
at the body where it is at the cue's time and shows where the cue sends it, with the speed
in m/s (and the target) written at its tip. Drag the tip: direction and speed follow the
mouse in the plane facing the viewer; near another actor's or a prop's direction it snaps to
"toward <target>". Letting go is one undoable edit (:mod:`see1previs.render.cue_arrow`).
While the tip is dragged, a translucent ghost line shows the path the
body would take with that push: short partial bakes from the cue's checkpoint
(:class:`~see1previs.physics.aim.GhostPath`) run in a background worker, one at a time, the
newest direction asked next and results for older ones dropped; it goes when the drag ends
(the re-bake then draws the real path).

:class:`PickMode` — an inspector field asks the viewport for a value: the candidates are
marked (only fixtures within reach for a hold), the heads-up line says what to pick, a click
near a marker chooses it, Esc or a click elsewhere leaves. The Aim dialog asks it for a point
instead (:meth:`PickMode.start_point`): the point :data:`~see1previs.physics.aim_targets.STANDOFF`
in front of the surface under the cursor (an actor, a prop, the cabin wall), toward the
viewer — where a pelvis can be, as for a fixture mark.

:class:`SolvedPath` — the Aim dialog's solved path drawn in the viewport before Apply.

Both hook into :class:`~see1previs.gui.viewport.widget.SceneViewport`'s mouse handling
through its ``cue_tools`` attribute, set by :func:`install`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph.opengl as gl
from OpenGL import GL
from PySide6.QtCore import QObject, QPointF, Qt
from PySide6.QtWidgets import QLabel

from see1previs.core import commands as cmd
from see1previs.core.scene_cues import ImpulseCue, PushOffCue, ThrowCue
from see1previs.gui.qt_events import listen
from see1previs.gui.viewport import navigation
from see1previs.gui.workers import Worker
from see1previs.physics.aim import AimError, GhostPath
from see1previs.physics.aim_targets import STANDOFF
from see1previs.physics.cue_defaults import Moment
from see1previs.render import cue_arrow, manipulation
from see1previs.session.session import Session
from see1previs.station.queries import MESH_QUERY_LOCK

ON_TOP = {  # drawn over everything, so the arrow and the markers are never hidden
    GL.GL_DEPTH_TEST: False,
    GL.GL_BLEND: True,
    GL.GL_CULL_FACE: False,
    "glBlendFunc": (GL.GL_SRC_ALPHA, GL.GL_ONE_MINUS_SRC_ALPHA),
}
LABEL_STYLE = (
    "QLabel { color: #15171b; background: BACKGROUND; padding: 1px 5px; border-radius: 3px;"
    " font-size: 11px; font-weight: bold; }"
)
GRAB_PX = 14.0  # how near the tip a press grabs it
PICK_PX = 24.0  # how near a candidate's marker a click picks it
ARROW_RGBA = (1.0, 0.78, 0.25, 1.0)
SNAPPED_RGBA = (0.35, 0.85, 0.45, 1.0)
CANDIDATE_RGBA = (0.3, 0.9, 1.0, 0.9)
SOLVED_RGBA = (0.48, 0.85, 0.56, 0.85)  # the Aim dialog's green
GHOST_RGBA = (0.55, 0.85, 1.0, 0.7)  # as the rehearsal window's ghost line
MAX_SPEED = {"push_off": 4.0, "throw": 15.0, "impulse": 10.0}


class CueArrow(QObject):
    """The direction arrow of the selected push-off, throw or impulse cue."""

    def __init__(self, viewport, session: Session) -> None:
        super().__init__(viewport)
        self.viewport = viewport
        self.session = session
        self.line = gl.GLLinePlotItem(pos=np.zeros((2, 3)), color=ARROW_RGBA, width=4.0,
                                      mode="lines", antialias=True)  # fmt: skip
        self.line.setGLOptions(ON_TOP)
        self.handle = gl.GLScatterPlotItem(pos=np.zeros((1, 3)), color=ARROW_RGBA, size=12.0)
        self.handle.setGLOptions(ON_TOP)
        # The speed is a label over the 3D view, kept beside the tip as the view moves.
        self.text = QLabel(viewport)
        self.text.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.text.setStyleSheet(LABEL_STYLE.replace("BACKGROUND", "rgba(255, 208, 112, 230)"))
        self.text.hide()
        for item in (self.line, self.handle):
            item.setVisible(False)
            item.setDepthValue(30)  # after everything else
            viewport.view.addItem(item)
        self.cue_id: str | None = None
        self.origin = np.zeros(3)
        self.aim: cue_arrow.Aim | None = None
        self.dragging = False
        self._press_ray = None
        self._press_tip = np.zeros(3)
        self.ghost = GhostLine(viewport, session, self._ghost_note)
        listen(self, session.selection_changed, lambda ids: self.refresh())
        listen(self, session.scene_changed, lambda scene: self.refresh())
        listen(self, session.baked, lambda result: self.refresh())
        self.refresh()

    # -- what is shown ------------------------------------------------------------------
    def cue(self):
        cues = {c.id: c for c in self.session.scene.cues}
        chosen = [cues[i] for i in self.session.selection if i in cues]
        if len(chosen) == 1 and isinstance(chosen[0], PushOffCue | ThrowCue | ImpulseCue):
            return chosen[0]
        return None

    def moment(self, t: float) -> Moment | None:
        bake = self.session.bake
        if bake is None:
            return None
        if not {b.id for b in self.session.scene.bodies()} <= set(bake.trajectory.body_ids):
            return None
        return Moment(self.session.scene, bake.station, t, bake.trajectory)

    def refresh(self) -> None:
        if self.dragging:
            return
        cue = self.cue()
        moment = self.moment(cue.time) if cue is not None else None
        if cue is None or moment is None:
            self.cue_id, self.aim = None, None
            self._show(False)
            return
        self.cue_id = cue.id
        self.origin = self._origin(cue, moment)
        self.aim = self._aim(cue, moment)
        self._draw()

    def _origin(self, cue, moment: Moment) -> np.ndarray:
        if isinstance(cue, ThrowCue):
            return moment.position(cue.prop)
        if isinstance(cue, ImpulseCue):
            return moment.position(cue.target)
        return moment.position(cue.actor)

    def _aim(self, cue, moment: Moment) -> cue_arrow.Aim:
        if isinstance(cue, ImpulseCue):
            impulse = np.asarray(cue.impulse, dtype=float)
            mass = self.session.scene.body(cue.target).mass
            n = float(np.linalg.norm(impulse))
            direction = impulse / n if n > 0 else np.array([1.0, 0.0, 0.0])
            return cue_arrow.Aim(direction, n / mass)
        if cue.toward is not None:
            there = self.targets(cue, moment).get(cue.toward)
            if there is not None and np.linalg.norm(there - self.origin) > 1e-9:
                d = there - self.origin
                return cue_arrow.Aim(d / np.linalg.norm(d), cue.speed, cue.toward)
        d = np.asarray(cue.direction if cue.direction is not None else (1, 0, 0), dtype=float)
        return cue_arrow.Aim(d / np.linalg.norm(d), cue.speed)

    def targets(self, cue, moment: Moment) -> dict[str, np.ndarray]:
        """What the arrow may snap to: other actors and props, where they are at the cue."""
        if isinstance(cue, ImpulseCue):
            return {}
        skip = {cue.actor, getattr(cue, "prop", None)}
        found = {b.id: moment.position(b.id) for b in self.session.scene.bodies()}
        return {k: v for k, v in found.items() if k not in skip}

    def _names(self) -> dict[str, str]:
        return {b.id: b.name or b.id for b in self.session.scene.bodies()}

    def _draw(self) -> None:
        tip = cue_arrow.tip(self.origin, self.aim)
        colour = SNAPPED_RGBA if self.aim.toward else ARROW_RGBA
        self.line.setData(pos=cue_arrow.arrow_lines(self.origin, tip), color=colour)
        self.handle.setData(pos=np.array([tip]), color=colour)
        self.text.setText(cue_arrow.label(self.aim, self._names()))
        snapped = "rgba(110, 220, 130, 230)" if self.aim.toward else "rgba(255, 208, 112, 230)"
        self.text.setStyleSheet(LABEL_STYLE.replace("BACKGROUND", snapped))
        self.text.adjustSize()
        self._show(True)
        self.viewport.view.update()

    def _ghost_note(self, reason: str | None) -> None:
        """Say on the arrow why the dragged push has no ghost path (None: it has one)."""
        if self.aim is None or not self.dragging:
            return
        text = cue_arrow.label(self.aim, self._names())
        self.text.setText(text if reason is None else f"{text} — {reason}")
        self.text.adjustSize()
        self.place_label()

    def _show(self, visible: bool) -> None:
        for item in (self.line, self.handle):
            item.setVisible(visible)
        self.text.setVisible(visible)
        self.place_label()
        self.viewport.view.update()

    def place_label(self) -> None:
        """Keep the speed label just beside the arrow's tip on screen."""
        at = self.tip_px() if self.text.isVisible() else None
        if at is None:
            return
        view = self.viewport.view.geometry()
        self.text.move(int(view.x() + at[0] + 10), int(view.y() + at[1] - self.text.height() - 4))
        self.text.raise_()

    def tip_px(self) -> tuple[float, float] | None:
        if self.aim is None:
            return None
        return self.viewport.project(cue_arrow.tip(self.origin, self.aim))

    # -- dragging the tip ---------------------------------------------------------------
    def press(self, pos: QPointF) -> bool:
        at = self.tip_px()
        if at is None or np.hypot(pos.x() - at[0], pos.y() - at[1]) > GRAB_PX:
            return False
        self.dragging = True
        self._press_ray = self.viewport._ray(pos.x(), pos.y())
        self._press_tip = cue_arrow.tip(self.origin, self.aim)
        cue = self.cue()
        if isinstance(cue, PushOffCue | ThrowCue | ImpulseCue):
            self.ghost.begin(cue.id)
        return True

    def move(self, pos: QPointF) -> None:
        if not self.dragging:
            return
        cue = self.cue()
        moment = self.moment(cue.time) if cue is not None else None
        if cue is None or moment is None:
            return
        ray = self.viewport._ray(pos.x(), pos.y())
        forward = navigation.view_direction(self.viewport.view)
        shift = manipulation.move_in_view_plane(self._press_ray, ray, self._press_tip, forward)
        self.aim = cue_arrow.dragged(
            self.origin, self._press_tip + shift, self.targets(cue, moment), MAX_SPEED[cue.type]
        )
        self._draw()
        self.ghost.request(self.aim.direction, self.aim.speed)

    def release(self, pos: QPointF) -> None:
        if not self.dragging:
            return
        self.move(pos)
        self.dragging = False
        self.ghost.end()
        cue = self.cue()
        if cue is not None and self.aim is not None:
            apply_aim(self.session, cue, self.aim)
        self.refresh()


class GhostLine(QObject):
    """The ghost path of a push-off, throw or impulse while its arrow is dragged.

    Requests are throttled: while a partial bake runs, only the newest direction waits, and
    it is asked as soon as the running one ends (a drag never cancels the bake it waits for,
    so the line keeps up while the mouse moves). A result for a request older than the
    newest shown one, or arriving after the drag ended, is dropped.
    """

    def __init__(self, viewport, session: Session, note=None) -> None:
        super().__init__(viewport)
        self.viewport = viewport
        self.session = session
        self.note = note or (lambda reason: None)  # told why a request has no path
        self.line = gl.GLLinePlotItem(pos=np.zeros((2, 3)), color=GHOST_RGBA, width=3.0,
                                      mode="line_strip", antialias=True)  # fmt: skip
        # Over everything (as the arrow), so the actor's own body does not hide its start.
        self.line.setGLOptions(ON_TOP)
        self.ticks = gl.GLScatterPlotItem(pos=np.zeros((1, 3)), color=GHOST_RGBA, size=7.0)
        self.ticks.setGLOptions(ON_TOP)
        for item in (self.line, self.ticks):
            item.setDepthValue(25)
            item.setVisible(False)
            viewport.view.addItem(item)
        self.worker = Worker("ghost-path", self)
        self.worker.finished.connect(self._arrived)
        self.worker.failed.connect(self._failed)
        self.worker.cancelled.connect(lambda token: self._next())
        self.cue_id: str | None = None
        self.points: np.ndarray | None = None  # the path drawn now
        self.failure: str | None = None  # why the last request gave no path
        self._preview: GhostPath | None = None
        self._preview_for = None  # the (scene, cue id) the preview was built for
        self._wanted: tuple[int, np.ndarray, float] | None = None
        self._asked = 0  # number of the newest request
        self._shown = 0  # number of the request whose path is drawn

    @property
    def active(self) -> bool:
        return self.cue_id is not None

    def begin(self, cue_id: str) -> None:
        self.cue_id = cue_id
        self.failure = None

    def request(self, direction, speed: float) -> None:
        """Ask for the path with this push; the newest request wins."""
        if self.cue_id is None:
            return
        self._asked += 1
        self._wanted = (self._asked, np.array(direction, dtype=float), float(speed))
        if not self.worker.busy:
            self._next()

    def end(self) -> None:
        """The drag ended: drop the line and anything still asked."""
        self.cue_id = None
        self._wanted = None
        self.points = None
        self.line.setVisible(False)
        self.ticks.setVisible(False)
        self.viewport.view.update()

    def _next(self) -> None:
        if self._wanted is None or self.cue_id is None:
            return
        number, direction, speed = self._wanted
        self._wanted = None
        session = self.session
        scene, cue_id, scene_dir = session.scene, self.cue_id, session.scene_dir
        memory = session.bake.memory if session.bake is not None else None
        key = (scene, cue_id)

        def job(progress, should_cancel):
            # Only this worker's thread touches the preview (one job at a time).
            if self._preview is None or self._preview_for != key:
                self._preview = None
                self._preview = GhostPath(
                    scene, cue_id, scene_dir=scene_dir, previous=memory,
                    should_cancel=should_cancel,
                )  # fmt: skip
                self._preview_for = key
            return self._preview.path(direction, speed, should_cancel)

        self.worker.submit(number, job)

    def _arrived(self, number, points) -> None:
        if self.cue_id is not None and number > self._shown:
            self._shown = number
            self.points = np.asarray(points, dtype=float)
            self.failure = None
            self.line.setData(pos=self.points, color=GHOST_RGBA)
            # A dot every half second of scene time, so the spacing shows the speed.
            rate = float(self.session.scene.frame_rate.fps)
            step = max(1, round(rate / 2))
            self.ticks.setData(pos=self.points[::step], color=GHOST_RGBA)
            self.line.setVisible(True)
            self.ticks.setVisible(True)
            self.viewport.view.update()
            self.note(None)
        self._next()

    def _failed(self, number, exc) -> None:
        """No path for this push (it cannot be done, or the bake failed): the old line goes,
        and the arrow says why."""
        if self.cue_id is not None and number > self._shown:
            self._shown = number
            self.points = None
            message = str(exc) if isinstance(exc, AimError) else repr(exc)
            self.failure = message.split("': ", 1)[-1] if message.startswith("cue '") else message
            self.line.setVisible(False)
            self.ticks.setVisible(False)
            self.viewport.view.update()
            self.note(self.failure)
        self._next()

    def shutdown(self) -> None:
        self.end()
        self.worker.cancel()
        self.worker.wait()


def apply_aim(session: Session, cue, aim: cue_arrow.Aim) -> bool:
    """Set a cue's direction and speed (or target) from the arrow: one undoable edit."""
    data = cmd.scene_data(session.scene)
    index = next(i for i, c in enumerate(session.scene.cues) if c.id == cue.id)
    item = data["cues"][index]
    direction = [round(float(c), 4) for c in aim.direction]
    if isinstance(cue, ImpulseCue):
        mass = session.scene.body(cue.target).mass
        item["impulse"] = [round(c * aim.speed * mass, 6) for c in aim.direction.tolist()]
    else:
        item["speed"] = round(aim.speed, 3)
        if aim.toward is not None:
            item["toward"] = aim.toward
            item.pop("direction", None)
        else:
            item["direction"] = direction
            item.pop("toward", None)
    try:
        edited = cmd.scene_from(data)
    except ValueError:
        return False
    words = cue_arrow.label(aim)
    return session.edit(f"Aim {cue.id}: {words}", edited) is not None


class PickMode(QObject):
    """Choose a field's value by clicking its candidate in the viewport."""

    def __init__(self, viewport) -> None:
        super().__init__(viewport)
        self.viewport = viewport
        self.markers = gl.GLScatterPlotItem(pos=np.zeros((1, 3)), color=CANDIDATE_RGBA, size=18.0)
        self.markers.setGLOptions(ON_TOP)
        self.markers.setDepthValue(30)
        self.markers.setVisible(False)
        viewport.view.addItem(self.markers)
        self.candidates: dict[str, np.ndarray] = {}
        self.on_pick: Callable[[str], None] | None = None
        self.on_point: Callable[[np.ndarray | None], None] | None = None
        self.station = lambda: None  # the cabin the wall is hit in (set by CueTools)
        self.prompt = ""

    @property
    def active(self) -> bool:
        return self.on_pick is not None or self.on_point is not None

    def start_point(self, prompt: str, on_point) -> None:
        """Wait for a click anywhere: ``on_point`` gets the point in front of the surface
        under it (module frame, m), or None when the click hit nothing inside the cabin."""
        self.stop()
        self.on_point = on_point
        self.prompt = prompt
        self.viewport._update_hud()
        self.viewport.view.update()

    def point_at(self, x: float, y: float) -> np.ndarray | None:
        """The point :data:`STANDOFF` in front of what is under pixel (x, y), toward the eye:
        the nearest body (actor, prop, camera), else the cabin wall facing the viewer (the
        near side is cut away when the eye is outside). None outside the cabin."""
        origin, direction = self.viewport._ray(x, y)
        direction = np.asarray(direction, dtype=float)
        direction = direction / np.linalg.norm(direction)
        surface = None
        hit = self.viewport.pick(x, y)
        if hit is not None:
            surface = np.asarray(hit[1], dtype=float)
        station = self.station()
        if station is None:
            return None
        if surface is None:
            mesh = station.boundary
            with MESH_QUERY_LOCK:  # the station's mesh is shared with bakes in other threads
                points, _rays, faces = mesh.ray.intersects_location(
                    [origin], [direction], multiple_hits=True
                )
            # The wall's normals point into the cabin: a face seen from inside the cabin
            # faces the ray.
            seen = [
                (float((p - origin) @ direction), p)
                for p, f in zip(points, faces, strict=True)
                if float(mesh.face_normals[f] @ direction) < 0 and (p - origin) @ direction > 0
            ]
            if not seen:
                return None
            surface = min(seen, key=lambda item: item[0])[1]
        point = surface - STANDOFF * direction
        if not bool(station.contains([point])[0]):
            return None
        return point

    def start(self, prompt: str, candidates: dict[str, np.ndarray], on_pick) -> None:
        """Mark the candidates (id -> position) and wait for a click on one of them."""
        self.candidates = {k: np.asarray(v, dtype=float) for k, v in candidates.items()}
        self.on_pick = on_pick
        self.prompt = prompt
        if self.candidates:
            self.markers.setData(pos=np.array(list(self.candidates.values())))
        self.markers.setVisible(bool(self.candidates))
        self.viewport._update_hud()
        self.viewport.view.update()

    def stop(self) -> None:
        self.on_pick = None
        self.on_point = None
        self.candidates = {}
        self.prompt = ""
        self.markers.setVisible(False)
        self.viewport._update_hud()
        self.viewport.view.update()

    def candidate_at(self, x: float, y: float) -> str | None:
        """The candidate whose marker is nearest the pixel (within :data:`PICK_PX`); a click
        on a candidate body counts too."""
        hit = self.viewport.pick(x, y)
        if hit is not None and hit[0] in self.candidates:
            return hit[0]
        best, best_px = None, PICK_PX
        for item_id, where in self.candidates.items():
            at = self.viewport.project(where)
            if at is None:
                continue
            distance = float(np.hypot(at[0] - x, at[1] - y))
            if distance < best_px:
                best, best_px = item_id, distance
        return best

    def click(self, pos: QPointF) -> bool:
        """Handle a click in pick mode: True when pick mode took it."""
        if not self.active:
            return False
        if self.on_point is not None:
            on_point = self.on_point
            point = self.point_at(pos.x(), pos.y())
            self.stop()
            on_point(point)
            return True
        chosen = self.candidate_at(pos.x(), pos.y())
        on_pick = self.on_pick
        self.stop()
        if chosen is not None:
            on_pick(chosen)
        return True


class SolvedPath(QObject):
    """An aim's solved path in the viewport (line, start and arrival dots, the mark)."""

    def __init__(self, viewport) -> None:
        super().__init__(viewport)
        self.viewport = viewport
        self.line = gl.GLLinePlotItem(pos=np.zeros((2, 3)), color=SOLVED_RGBA, width=3.0,
                                      mode="line_strip", antialias=True)  # fmt: skip
        self.ends = gl.GLScatterPlotItem(pos=np.zeros((1, 3)), color=SOLVED_RGBA, size=10.0)
        self.mark = gl.GLScatterPlotItem(pos=np.zeros((1, 3)), color=(1, 1, 1, 0.9), size=14.0)
        for item in (self.line, self.ends, self.mark):
            item.setGLOptions(ON_TOP)
            item.setDepthValue(25)
            item.setVisible(False)
            viewport.view.addItem(item)
        self.points: np.ndarray | None = None

    def show(self, path, mark=None) -> None:
        """Draw ``path`` ((N, 3) m) and the ``mark``; None removes them."""
        self.points = None if path is None or len(path) == 0 else np.asarray(path, dtype=float)
        if self.points is not None:
            self.line.setData(pos=self.points)
            self.ends.setData(pos=self.points[[0, -1]])
        if mark is not None:
            self.mark.setData(pos=np.array([mark], dtype=float))
        self.line.setVisible(self.points is not None)
        self.ends.setVisible(self.points is not None)
        self.mark.setVisible(self.points is not None and mark is not None)
        self.viewport.view.update()


class CueTools:
    """What the viewport asks before its own mouse handling."""

    def __init__(self, viewport, session: Session) -> None:
        self.arrow = CueArrow(viewport, session)
        self.pick = PickMode(viewport)
        self.pick.station = lambda: session.bake.station if session.bake is not None else None
        self.solved = SolvedPath(viewport)


def install(window):
    """Give the window's 3D viewport the cue arrow and pick mode (not the text stand-in)."""
    viewport = window.viewport
    if not hasattr(viewport, "view"):
        return None
    viewport.cue_tools = CueTools(viewport, window.session)
    return viewport.cue_tools
