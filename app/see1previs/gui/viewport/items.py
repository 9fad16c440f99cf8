"""The OpenGL items of the viewport: the cabin, the bodies, the cameras, trails and ghosts.

:class:`InteriorDrawing` is the SEE-1 cabin: the shell drawn with back faces culled, so from
outside you look through the near half into the far wall (a cutaway that follows the view)
and from inside you see every wall; the fixtures are solid, coloured by kind, and cut away
with the near wall by their shader.

:class:`SceneDrawing` is everything that moves: every visual part of every prop and actor
(:func:`see1previs.physics.visuals.visual_parts`; before a bake, the scene's own shapes at
their start poses) in one batch item, a body and a view frustum per camera, a ghost trail of
each body's whole path, and for the selection an outline and onion skins (translucent copies
a quarter and half a second before and after). Mesh data is built once; moving in time only
poses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
import pyqtgraph.opengl as gl
from OpenGL import GL

from see1previs.cinema.optics import fov_deg
from see1previs.cinema.tracks import CameraTrack, evaluate_camera
from see1previs.core import quaternion as quat
from see1previs.core.scene import Scene
from see1previs.core.scene_cameras import FixedRig
from see1previs.gui.viewport import shading
from see1previs.gui.viewport.batch import PosedShapes
from see1previs.physics.trajectory import Trajectory
from see1previs.physics.visuals import VisualPart, visual_parts
from see1previs.render import picking
from see1previs.render.manipulation import SnapPoint
from see1previs.render.viewport_shapes import (
    camera_body_mesh,
    frustum_segments,
    part_mesh,
    pose_matrix,
    scene_start_parts,
)
from see1previs.station.model import Station

OPAQUE_CULLED = {
    GL.GL_DEPTH_TEST: True,
    GL.GL_BLEND: False,
    GL.GL_CULL_FACE: True,
    "glCullFace": (GL.GL_BACK,),
}
OUTLINE = {  # the inverted hull: only the back faces of a slightly larger copy show
    GL.GL_DEPTH_TEST: True,
    GL.GL_BLEND: False,
    GL.GL_CULL_FACE: True,
    "glCullFace": (GL.GL_FRONT,),
}
GHOST = {
    GL.GL_DEPTH_TEST: True,
    GL.GL_BLEND: True,
    GL.GL_CULL_FACE: True,
    "glCullFace": (GL.GL_BACK,),
    "glBlendFuncSeparate": (
        GL.GL_SRC_ALPHA,
        GL.GL_ONE_MINUS_SRC_ALPHA,
        GL.GL_ONE,
        GL.GL_ONE_MINUS_SRC_ALPHA,
    ),
}
ONION_OFFSETS_S = (-0.5, -0.25, 0.25, 0.5)  # onion skins this far before and after the playhead
OUTLINE_WIDTH_M = 0.012  # the selection outline stands this far off the surface
FRUSTUM_LENGTH_M = 0.6
TRAIL_POINTS = 240  # at most this many points along each ghost trail
CAMERA_EXTENT_M = np.array([0.06, 0.07, 0.18])  # the camera body's half extents


def mesh_item(vertices, faces, rgba, gl_options=None, smooth=True, shader=None) -> gl.GLMeshItem:
    """A lit mesh item in one colour."""
    data = gl.MeshData(
        vertexes=np.asarray(vertices, dtype=np.float32), faces=np.asarray(faces, dtype=np.uint32)
    )
    return gl.GLMeshItem(
        meshdata=data,
        color=rgba,
        shader=shader or shading.LIT,
        smooth=smooth,
        glOptions=dict(gl_options or OPAQUE_CULLED),
    )


class InteriorDrawing:
    """The cabin: shell, fixtures and the orientation marks at the centre."""

    def __init__(self, station: Station) -> None:
        self.station = station
        boundary = station.boundary
        self.shell = mesh_item(
            boundary.vertices, boundary.faces, shading.SHELL_RGBA, shader=shading.SHELL
        )
        self.items: list = [self.shell]
        # Every fixture in one item, coloured by kind; the shader cuts away the near wall's.
        kinds = {f.id: f.kind for f in station.fixtures}
        vertices, faces, colours, offset = [], [], [], 0
        for part in station.parts:
            rgba = shading.FIXTURE_RGBA.get(kinds.get(part.fixture_id), shading.OTHER_PART_RGBA)
            vertices.append(np.asarray(part.mesh.vertices, dtype=float))
            faces.append(np.asarray(part.mesh.faces) + offset)
            colours.append(np.tile(rgba, (len(part.mesh.vertices), 1)))
            offset += len(part.mesh.vertices)
        self.fixtures = None
        if vertices:
            data = gl.MeshData(
                vertexes=np.vstack(vertices).astype(np.float32),
                faces=np.vstack(faces).astype(np.uint32),
                vertexColors=np.vstack(colours).astype(np.float32),
            )
            self.fixtures = gl.GLMeshItem(
                meshdata=data, shader=shading.FIXTURES, smooth=False, glOptions=dict(OPAQUE_CULLED)
            )
            self.items.append(self.fixtures)
        # The studio axes at the centre, 0.4 m: +X red (to the hatch), +Y green, +Z blue (up).
        axes = np.array([[0, 0, 0], [0.4, 0, 0], [0, 0, 0], [0, 0.4, 0], [0, 0, 0], [0, 0, 0.4]])
        colours = np.array(
            [[0.9, 0.3, 0.3, 0.8]] * 2 + [[0.3, 0.85, 0.4, 0.8]] * 2 + [[0.35, 0.55, 1.0, 0.8]] * 2
        )
        self.axes = gl.GLLinePlotItem(pos=axes, color=colours, width=2.0, mode="lines")
        self.items.append(self.axes)

    @staticmethod
    def cut_away(eye: np.ndarray) -> None:
        """Tell the fixture shader where the eye is (it hides the near wall's fixtures)."""
        shading.FIXTURES["u_eye"] = [float(v) for v in eye]

    def snap_points(self) -> list[SnapPoint]:
        """Every fixture a dragged body or camera may snap to."""
        return [
            SnapPoint(
                f.id,
                np.asarray(f.position, dtype=float),
                np.asarray(f.normal, dtype=float),
                exact=f.kind == "camera_mount",
            )
            for f in self.station.fixtures
        ]


@dataclass
class PartDrawing:
    """One visual part of a body: its surface, colour and where it is drawn now."""

    part: VisualPart
    vertices: np.ndarray
    faces: np.ndarray
    rgba: tuple
    local: np.ndarray  # 4x4 part pose in its link frame
    size: np.ndarray  # (3,) largest extent from the part origin along each local axis [m]
    world: np.ndarray | None = None  # 4x4 pose drawn now, None when hidden


@dataclass
class CameraDrawing:
    """A scene camera: its body, its frustum and its track."""

    camera_id: str
    track: CameraTrack
    rgba: tuple
    body: gl.GLMeshItem
    frustum: gl.GLLinePlotItem
    vertices: np.ndarray
    faces: np.ndarray
    movable: bool  # a fixed camera can be moved; handheld and path cameras follow their rig
    focal_drawn: float = -1.0
    outline: gl.GLMeshItem | None = None
    world: np.ndarray | None = None


class SceneDrawing:
    """Every moving thing of one scene, posed at the playhead time."""

    def __init__(
        self,
        view: gl.GLViewWidget,
        scene: Scene,
        world,
        trajectory: Trajectory | None,
        station: Station | None,
        scene_dir: Path | None = None,
    ) -> None:
        self.view = view
        self.scene = scene
        self.baked_scene = scene  # the scene the trajectory was baked from
        self.trajectory = trajectory
        self.station = station
        self.time = 0.0
        self.selection: set[str] = set()
        self.outline_width = OUTLINE_WIDTH_M
        self.preview: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # owner → (move, turn)
        # While a re-bake is under way after a body's start pose was edited, the stale bake
        # is drawn carried rigidly onto the new start pose: owner → (pivot, move, turn).
        self.stale_offsets: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self.stale = False
        self.streamed_to: float | None = None  # a re-bake's frames are drawn up to this time
        self.drawn_links: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.drawn_origins: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.start_trajectory = start_trajectory(scene)
        parts = visual_parts(world) if world is not None else scene_start_parts(scene, scene_dir)
        colours = {
            body.id: shading.hex_rgba(
                body.color,
                shading.DEFAULT_ACTOR_RGBA if body in scene.actors else shading.DEFAULT_PROP_RGBA,
            )
            for body in scene.bodies()
        }
        self.parts: list[PartDrawing] = []
        meshes: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        for part in parts:
            key = (part.kind, part.size) if part.kind != "mesh" else ("mesh", id(part))
            if key not in meshes:
                meshes[key] = part_mesh(part)
            vertices, faces = meshes[key]
            rgba = colours.get(part.owner, shading.DEFAULT_PROP_RGBA)
            local = pose_matrix(part.position, part.orientation)
            size = np.abs(vertices).max(axis=0) if len(vertices) else np.full(3, 0.05)
            self.parts.append(PartDrawing(part, vertices, faces, rgba, local, size))
        # All bodies in one item; the selection's outline and onion skins in one item each.
        self.bodies = PosedShapes(
            [(p.vertices, p.faces, p.rgba) for p in self.parts], shading.LIT, OPAQUE_CULLED
        )
        view.addItem(self.bodies)
        self.selected_parts: list[PartDrawing] = []
        self.outlines: PosedShapes | None = None
        self.onions: PosedShapes | None = None
        self.cameras: list[CameraDrawing] = []
        self._add_cameras()
        self.trails_visible = True
        self.trail_colours = colours
        self.trails = self._trail_item(self.trajectory.body_ids if self.trajectory else [], 1.0)
        self.selected_trails: gl.GLLinePlotItem | None = None

    # ---- building --------------------------------------------------------------------------
    def _add_cameras(self) -> None:
        if self.station is None:
            return
        trajectory = self.trajectory or self.start_trajectory
        vertices, faces = camera_body_mesh()
        for index, camera in enumerate(self.scene.cameras):
            try:
                track = evaluate_camera(camera, self.scene, self.station, trajectory)
            except Exception:
                continue
            rgba = shading.CAMERA_RGBA[index % len(shading.CAMERA_RGBA)]
            body = mesh_item(vertices, faces, shading.CAMERA_BODY_RGBA, smooth=False)
            body.setColor((*(0.45 * c for c in rgba[:3]), 1.0))
            frustum = gl.GLLinePlotItem(
                pos=np.zeros((2, 3)), color=rgba, width=1.5, mode="lines", antialias=True
            )
            self.view.addItem(body)
            self.view.addItem(frustum)
            self.cameras.append(
                CameraDrawing(
                    camera.id,
                    track,
                    rgba,
                    body,
                    frustum,
                    vertices,
                    faces,
                    movable=isinstance(camera.rig, FixedRig) and camera.look_at is None,
                )
            )

    def _trail_item(self, body_ids, width: float) -> gl.GLLinePlotItem | None:
        """One line item with the whole baked path of each body, in the body's colour."""
        trajectory = self.trajectory
        if trajectory is None or trajectory.frame_count < 2 or not body_ids:
            return None
        segments, colours = [], []
        # Paths are smooth: a few hundred points each draw them as well as every frame does.
        step = max(1, trajectory.frame_count // TRAIL_POINTS)
        for body_id in body_ids:
            path = trajectory.positions[::step, trajectory.index(body_id)]
            if (trajectory.frame_count - 1) % step:
                path = np.vstack([path, trajectory.positions[-1, trajectory.index(body_id)]])
            if body_id in self.stale_offsets:  # the old path, carried onto the new start
                pivot, move, turn = self.stale_offsets[body_id]
                path = pivot + quat.rotate(turn, path - pivot) + move
            segments.append(np.repeat(path, 2, axis=0)[1:-1])  # p0 p1, p1 p2, ...
            rgba = self.trail_colours.get(body_id, shading.DEFAULT_PROP_RGBA)
            colours.append(np.tile((*rgba[:3], shading.TRAIL_ALPHA), (2 * len(path) - 2, 1)))
        item = gl.GLLinePlotItem(
            pos=np.vstack(segments).astype(np.float32),
            color=np.vstack(colours).astype(np.float32),
            width=width,
            mode="lines",
            antialias=width > 1.0,  # smooth lines are slow in software: the selection's only
        )
        item.setGLOptions("translucent")
        item.setDepthValue(10)  # after the opaque bodies, so blending sees them
        self.view.addItem(item)
        return item

    def remove(self) -> None:
        """Take every item of this drawing out of the view."""
        for item in self.all_items():
            if item in self.view.items:
                self.view.removeItem(item)

    def all_items(self) -> list:
        items: list = [self.bodies]
        items += [i for i in (self.outlines, self.onions) if i is not None]
        for c in self.cameras:
            items += [c.body, c.frustum, *([c.outline] if c.outline else [])]
        items += [t for t in (self.trails, self.selected_trails) if t is not None]
        return items

    # ---- posing ----------------------------------------------------------------------------
    def owners(self) -> list[str]:
        return [b.id for b in self.scene.bodies()] + [c.camera_id for c in self.cameras]

    def camera(self, camera_id: str) -> CameraDrawing | None:
        return next((c for c in self.cameras if c.camera_id == camera_id), None)

    def link_poses(self, t: float) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Pose of every link that can be drawn at time t (baked, else the start pose)."""
        trajectory = self.trajectory or self.start_trajectory
        positions, orientations = trajectory.sample(t)
        poses = {
            body_id: (positions[i], orientations[i])
            for i, body_id in enumerate(trajectory.body_ids)
        }
        if trajectory.links and trajectory.link_positions is not None:
            # Every segment at once, interpolated as Trajectory.link_pose does one at a time.
            times = trajectory.times
            i = int(np.clip(np.searchsorted(times, t, side="right") - 1, 0, len(times) - 1))
            j = min(i + 1, len(times) - 1)
            u = 0.0 if j == i else float(np.clip((t - times[i]) / (times[j] - times[i]), 0, 1))
            a_p, b_p = trajectory.link_positions[i], trajectory.link_positions[j]
            a_q, b_q = trajectory.link_orientations[i], trajectory.link_orientations[j]
            link_p = a_p if u == 0.0 else (1.0 - u) * a_p + u * b_p
            link_q = a_q if u == 0.0 else quat.slerp(a_q, b_q, np.full(len(a_q), u))
            for k, link in enumerate(trajectory.links):
                poses[link] = (link_p[k], link_q[k])
        return poses

    def update(self, t: float) -> None:
        """Pose every item at scene time t."""
        self.time = float(t)
        links = self._carried(self.link_poses(t))
        self.drawn_origins = {}
        for owner in {p.part.owner for p in self.parts}:
            if owner in links:
                self.drawn_origins[owner] = self._previewed(owner, links[owner], links[owner][0])
        self.drawn_links = {}
        hidden = np.zeros((4, 4))
        shown, positions, orientations = [], [], []
        for p in self.parts:
            pose = links.get(p.part.link)
            if pose is None:
                p.world = None
                continue
            if p.part.owner in self.preview:
                pivot = links[p.part.owner][0] if p.part.owner in links else pose[0]
                pose = self._previewed(p.part.owner, pose, pivot)
            self.drawn_links[p.part.link] = pose
            shown.append(p)
            positions.append(pose[0])
            orientations.append(pose[1])
        if shown:
            worlds = _pose_matrices(positions, orientations, [p.local for p in shown])
            for p, world in zip(shown, worlds, strict=True):
                p.world = world
        if self.parts:
            self.bodies.pose(np.array([hidden if p.world is None else p.world for p in self.parts]))
        self._pose_outlines()
        if self.onions is not None:
            matrices = []
            for offset in ONION_OFFSETS_S:
                inside = 0.0 <= t + offset <= self.trajectory.duration
                ghosts = self._carried(self.link_poses(t + offset)) if inside else {}
                found = [ghosts.get(p.part.link) for p in self.selected_parts]
                if all(g is not None for g in found):
                    matrices.append(
                        _pose_matrices(
                            [g[0] for g in found],
                            [g[1] for g in found],
                            [p.local for p in self.selected_parts],
                        )
                    )
                else:  # outside the bake: no ghost
                    matrices.append(np.zeros((len(found), 4, 4)))
            self.onions.pose(np.concatenate(matrices))
        for c in self.cameras:
            position, orientation, focal = camera_pose(c.track, t)
            position, orientation = self._previewed(c.camera_id, (position, orientation), position)
            self.drawn_links[c.camera_id] = (position, orientation)
            c.world = pose_matrix(position, orientation)
            c.body.setTransform(c.world)
            if c.outline is not None:
                c.outline.setTransform(c.world @ _grown(CAMERA_EXTENT_M, self.outline_width))
            if abs(focal - c.focal_drawn) > 1e-6:
                o = c.track.optics
                fov = fov_deg(o.sensor_width_mm, o.sensor_height_mm, focal)
                c.frustum.setData(pos=frustum_segments(fov.h, fov.v, FRUSTUM_LENGTH_M))
                c.focal_drawn = focal
            c.frustum.setTransform(c.world)

    def _carried(self, links: dict) -> dict:
        """Link poses with each edited body's stale motion carried onto its new start pose."""
        if not self.stale_offsets:
            return links
        owners = {p.part.link: p.part.owner for p in self.parts}
        carried = dict(links)
        for link, (position, orientation) in links.items():
            offset = self.stale_offsets.get(owners.get(link, link))
            if offset is not None:
                pivot, move, turn = offset
                carried[link] = (
                    pivot + quat.rotate(turn, np.asarray(position, float) - pivot) + move,
                    quat.normalize(quat.multiply(turn, np.asarray(orientation, float))),
                )
        return carried

    def show_stale(self, scene: Scene) -> None:
        """Draw the stale bake from the start poses of ``scene`` (an edit of this drawing's).

        Each body whose start pose changed follows its old path moved and turned rigidly so
        that it starts where it now starts; trails turn grey until the new bake arrives.
        """
        old = {b.id: b.pose for b in self.baked_scene.bodies()}
        self.stale_offsets = {}
        for body in scene.bodies():
            before = old.get(body.id)
            if before is None:
                continue
            p0, q0 = np.asarray(before.position, float), np.asarray(before.orientation, float)
            p1, q1 = np.asarray(body.pose.position, float), np.asarray(body.pose.orientation, float)
            if np.allclose(p0, p1) and np.allclose(q0, q1):
                continue
            turn = quat.normalize(quat.multiply(q1, quat.conjugate(q0)))
            self.stale_offsets[body.id] = (p0, p1 - p0, turn)
        self.stale = True
        self._rebuild_trails()
        _grey(self.trails)
        self.set_selection(self.selection)  # its trails again, carried and grey

    def show_streamed(self, trajectory: Trajectory) -> bool:
        """Draw the frames a running re-bake has baked so far, in colour, as they arrive.

        Past the last baked frame the bodies wait where it left them. False (and nothing
        changed) when the frames do not pose every part drawn (bodies added or removed).
        The caller poses the drawing again (:meth:`update`).
        """
        known = set(trajectory.body_ids) | set(trajectory.links)
        if not self.parts or any(p.part.link not in known for p in self.parts):
            return False
        self.trajectory = trajectory
        self.stale_offsets = {}
        self.stale = False
        self.streamed_to = trajectory.duration
        self._rebuild_trails()
        if self.selected_trails is not None:
            self.view.removeItem(self.selected_trails)
        selected = [b for b in trajectory.body_ids if b in self.selection]
        self.selected_trails = self._trail_item(selected, 2.5)
        return True

    def _rebuild_trails(self) -> None:
        """Every body's trail again, from the trajectory drawn now."""
        if self.trails is not None:
            self.view.removeItem(self.trails)
        self.trails = self._trail_item(self.trajectory.body_ids, 1.0)
        if self.trails is not None:
            self.trails.setVisible(self.trails_visible)

    def _previewed(self, owner: str, pose, pivot) -> tuple[np.ndarray, np.ndarray]:
        """A pose with the drag being previewed on its owner: turned about pivot, then moved."""
        position, orientation = np.asarray(pose[0], float), np.asarray(pose[1], float)
        if owner not in self.preview:
            return position, orientation
        move, turn = self.preview[owner]
        pivot = np.asarray(pivot, dtype=float)
        position = pivot + quat.rotate(turn, position - pivot) + move
        return position, quat.normalize(quat.multiply(turn, orientation))

    # ---- selection ---------------------------------------------------------------------------
    def set_selection(self, ids) -> None:
        self.selection = set(ids)
        for item in (self.outlines, self.onions):
            if item is not None:
                self.view.removeItem(item)
        self.outlines = self.onions = None
        self.selected_parts = [p for p in self.parts if p.part.owner in self.selection]
        if self.selected_parts:
            self.outlines = PosedShapes(
                [(p.vertices, p.faces, shading.SELECTION_RGBA) for p in self.selected_parts],
                None,
                OUTLINE,
            )
            self.view.addItem(self.outlines)
        if self.selected_parts and self.trajectory is not None:
            ghost = [
                (p.vertices, p.faces, (*p.rgba[:3], shading.ONION_ALPHA))
                for p in self.selected_parts
            ]
            self.onions = PosedShapes(ghost * len(ONION_OFFSETS_S), shading.LIT, GHOST)
            self.onions.setDepthValue(20)  # after everything opaque
            self.view.addItem(self.onions)
        for c in self.cameras:
            selected = c.camera_id in self.selection
            if selected and c.outline is None:
                c.outline = _outline_item(c.vertices, c.faces)
                self.view.addItem(c.outline)
            elif not selected and c.outline is not None:
                self.view.removeItem(c.outline)
                c.outline = None
        if self.selected_trails is not None:
            self.view.removeItem(self.selected_trails)
        bodies = self.trajectory.body_ids if self.trajectory else []
        self.selected_trails = self._trail_item([b for b in bodies if b in self.selection], 2.5)
        if self.stale:
            _grey(self.selected_trails)
        self.update(self.time)

    def set_outline_width(self, width: float) -> None:
        """Outline width in metres (the viewport keeps it a few pixels wide at any zoom)."""
        if abs(width - self.outline_width) > 0.15 * self.outline_width:
            self.outline_width = width
            self._pose_outlines()
            for c in self.cameras:
                if c.outline is not None and c.world is not None:
                    c.outline.setTransform(c.world @ _grown(CAMERA_EXTENT_M, width))

    def _pose_outlines(self) -> None:
        if self.outlines is None:
            return
        hidden = np.zeros((4, 4))
        self.outlines.pose(
            np.array(
                [
                    hidden if p.world is None else p.world @ _grown(p.size, self.outline_width)
                    for p in self.selected_parts
                ]
            )
        )

    def set_trails_visible(self, visible: bool) -> None:
        self.trails_visible = visible
        if self.trails is not None:
            self.trails.setVisible(visible)

    # ---- geometry for picking and framing ---------------------------------------------------
    def pick_targets(self) -> list[picking.PickTarget]:
        targets = [
            picking.target(p.part.owner, p.vertices, p.faces, p.world)
            for p in self.parts
            if p.world is not None
        ]
        targets += [
            picking.target(c.camera_id, c.vertices, c.faces, c.world)
            for c in self.cameras
            if c.world is not None
        ]
        return targets

    def bounds_of(self, ids) -> tuple[np.ndarray, float] | None:
        """(centre, radius) of a sphere round everything drawn for these ids."""
        points = []
        ids = set(ids)
        for p in self.parts:
            if p.part.owner in ids and p.world is not None:
                points.append(p.vertices @ p.world[:3, :3].T + p.world[:3, 3])
        for c in self.cameras:
            if c.camera_id in ids and c.world is not None:
                points.append(c.vertices @ c.world[:3, :3].T + c.world[:3, 3])
        if not points:
            return None
        cloud = np.vstack(points)
        lo, hi = cloud.min(axis=0), cloud.max(axis=0)
        centre = 0.5 * (lo + hi)
        return centre, max(float(np.linalg.norm(hi - lo)) * 0.5, 0.05)


def _pose_matrices(positions, orientations, local_poses) -> np.ndarray:
    """(N, 4, 4) world poses of parts: link poses (positions, wxyz) times part poses."""
    links = np.zeros((len(positions), 4, 4))
    links[:, :3, :3] = quat.to_matrix(np.asarray(orientations, dtype=float))
    links[:, :3, 3] = positions
    links[:, 3, 3] = 1.0
    return links @ np.asarray(local_poses)


def _grey(item: gl.GLLinePlotItem | None) -> None:
    """Turn a trail grey: the motion it shows is out of date."""
    if item is None:
        return
    colours = np.array(item.color, dtype=np.float32, copy=True)
    if colours.ndim == 2:
        colours[:, :3] = 0.5 * colours[:, :3].mean(axis=1, keepdims=True) + 0.25
        item.setData(color=colours)


def _outline_item(vertices, faces) -> gl.GLMeshItem:
    data = gl.MeshData(
        vertexes=np.asarray(vertices, dtype=np.float32), faces=np.asarray(faces, dtype=np.uint32)
    )
    item = gl.GLMeshItem(
        meshdata=data, color=shading.SELECTION_RGBA, shader=None, glOptions=dict(OUTLINE)
    )
    return item


def _grown(size, width: float) -> np.ndarray:
    """Scale about the part origin that adds the outline width to its extent on every axis."""
    m = np.eye(4)
    m[:3, :3] = np.diag(1.0 + width / np.maximum(np.broadcast_to(size, (3,)), 0.005))
    return m


def camera_pose(track: CameraTrack, t: float) -> tuple[np.ndarray, np.ndarray, float]:
    """(position, orientation wxyz, focal length mm) of a camera track at time t."""
    times = track.times
    if len(times) == 1 or t <= times[0]:
        return track.positions[0].copy(), track.orientations[0].copy(), float(track.focal_mm[0])
    if t >= times[-1]:
        return track.positions[-1].copy(), track.orientations[-1].copy(), float(track.focal_mm[-1])
    i = int(np.searchsorted(times, t, side="right")) - 1
    u = float((t - times[i]) / (times[i + 1] - times[i]))
    position = (1 - u) * track.positions[i] + u * track.positions[i + 1]
    orientation = quat.slerp(track.orientations[i], track.orientations[i + 1], u)
    focal = (1 - u) * track.focal_mm[i] + u * track.focal_mm[i + 1]
    return position, orientation, float(focal)


def start_trajectory(scene: Scene) -> Trajectory:
    """A one-frame trajectory of every body at its start pose (for drawing before a bake)."""
    bodies = scene.bodies()
    count = len(bodies)
    positions = np.array([b.pose.position for b in bodies], dtype=float).reshape(1, count, 3)
    orientations = np.array([b.pose.orientation for b in bodies], dtype=float).reshape(1, count, 4)
    return Trajectory(
        body_ids=[b.id for b in bodies],
        frame_rate=Fraction(scene.frame_rate.fps),
        times=np.zeros(1),
        positions=positions,
        orientations=orientations,
        linear_velocities=np.zeros((1, count, 3)),
        angular_velocities=np.zeros((1, count, 3)),
    )
