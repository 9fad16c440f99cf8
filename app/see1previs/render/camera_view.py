"""Offscreen point-of-view rendering of a scene camera, with MuJoCo's OpenGL renderer.

Rendering is headless: MuJoCo draws into an EGL surface (no X server, no window), which Mesa
provides in software (llvmpipe) on machines without a GPU. ``see1previs/__init__.py`` selects
EGL before MuJoCo is first imported; set ``MUJOCO_GL`` yourself to override it.

The view is the baked scene at one frame seen through a :class:`CameraTrack` — exactly the
camera's position, orientation and vertical field of view — at the sensor's aspect ratio.
Bodies are drawn in their scene colours, the wall light grey and fixtures darker, so a
storyboard reads at a glance and a test can find a body by its colour.
"""

from __future__ import annotations

import math

import mujoco
import numpy as np

from see1previs.cinema.tracks import CameraTrack
from see1previs.core import quaternion as quat
from see1previs.physics.trajectory import Trajectory
from see1previs.physics.world import STATION_BODY_PREFIX, World, add_wall_visuals

WALL_RGBA = (0.78, 0.79, 0.82, 1.0)
FIXTURE_RGBA = (0.35, 0.37, 0.42, 1.0)
DEFAULT_PROP_RGBA = (0.85, 0.55, 0.2, 1.0)
DEFAULT_ACTOR_RGBA = (0.35, 0.55, 0.85, 1.0)
CAMERA_NAME = "see1-previs-view"
MAX_WIDTH = 1920


def hex_rgba(color: str | None, default: tuple[float, ...]) -> list[float]:
    if not color:
        return list(default)
    value = color.lstrip("#")
    return [int(value[i : i + 2], 16) / 255.0 for i in (0, 2, 4)] + [1.0]


class CameraView:
    """Renders frames of one baked scene from any camera track."""

    def __init__(self, world: World, width: int = 640) -> None:
        if not 16 <= width <= MAX_WIDTH:
            raise ValueError(f"render width must be between 16 and {MAX_WIDTH} pixels")
        self.world = world
        self.width = width
        spec = world.spec.copy()
        add_wall_visuals(spec, world.station)  # the physics' exact sphere has no tiles
        spec.visual.global_.offwidth = MAX_WIDTH
        spec.visual.global_.offheight = MAX_WIDTH
        spec.visual.headlight.ambient = [0.25, 0.25, 0.25]
        spec.visual.headlight.diffuse = [0.35, 0.35, 0.35]
        spec.visual.map.znear = 0.002  # × model extent: a few millimetres
        # The lighting rings: soft light from above and below the stage.
        spec.worldbody.add_light(
            pos=[0.0, 0.0, 2.3], dir=[0.0, 0.0, -1.0], diffuse=[0.3] * 3, castshadow=False
        )
        spec.worldbody.add_light(
            pos=[0.0, 0.0, -2.3], dir=[0.0, 0.0, 1.0], diffuse=[0.2] * 3, castshadow=False
        )
        colours = {
            body.id: hex_rgba(
                body.color,
                DEFAULT_ACTOR_RGBA if body in world.scene.actors else DEFAULT_PROP_RGBA,
            )
            for body in world.scene.bodies()
        }
        for geom in spec.geoms:
            name = geom.name or ""
            if name.startswith(f"{STATION_BODY_PREFIX}tile"):
                geom.rgba = list(WALL_RGBA)
            elif name.startswith(STATION_BODY_PREFIX):
                geom.rgba = list(FIXTURE_RGBA)
            elif "/" in name and name.split("/")[0] in colours:
                geom.rgba = colours[name.split("/")[0]]
        spec.worldbody.add_camera(name=CAMERA_NAME, pos=[0, 0, 0], quat=[1, 0, 0, 0], fovy=45)
        # The physics marks world-body elements static (sleep); this camera moves every frame.
        spec.option.enableflags &= ~int(mujoco.mjtEnableBit.mjENBL_SLEEP)
        self.model = spec.compile()
        self.data = mujoco.MjData(self.model)
        self.camera_id = mujoco.mj_name2id(self.model, mujoco.mjtObj.mjOBJ_CAMERA, CAMERA_NAME)
        self._renderers: dict[tuple[int, int], mujoco.Renderer] = {}

    def size_for(self, track: CameraTrack) -> tuple[int, int]:
        """(width, height) in pixels at the sensor's aspect ratio."""
        aspect = track.optics.sensor_width_mm / track.optics.sensor_height_mm
        return self.width, max(16, round(self.width / aspect))

    def render(self, trajectory: Trajectory, track: CameraTrack, frame: int) -> np.ndarray:
        """RGB image (height, width, 3) uint8 of ``frame`` through the camera of ``track``."""
        for handle in self.world.bodies:
            adr = handle.qpos_adr
            index = trajectory.index(handle.id)
            self.data.qpos[adr : adr + 3] = trajectory.positions[frame, index]
            self.data.qpos[adr + 3 : adr + 7] = trajectory.orientations[frame, index]
        optics = track.optics
        vertical_fov = 2.0 * math.degrees(
            math.atan(optics.sensor_height_mm / (2.0 * float(track.focal_mm[frame])))
        )
        self.model.cam_fovy[self.camera_id] = vertical_fov
        # A camera with no parent body uses its model pose as its world pose.
        self.model.cam_pos[self.camera_id] = track.positions[frame]
        self.model.cam_quat[self.camera_id] = track.orientations[frame]
        mujoco.mj_kinematics(self.model, self.data)
        self._pose_links(trajectory, frame)
        mujoco.mj_camlight(self.model, self.data)
        width, height = self.size_for(track)
        renderer = self._renderers.get((width, height))
        if renderer is None:
            renderer = mujoco.Renderer(self.model, height=height, width=width)
            self._renderers[(width, height)] = renderer
        renderer.update_scene(self.data, camera=self.camera_id)
        return renderer.render().copy()

    def _pose_links(self, trajectory: Trajectory, frame: int) -> None:
        """Articulated actors: every segment where the bake recorded it.

        The trajectory keeps segment poses, not joint angles, so the segments' bodies and
        geoms are placed directly after the kinematics (which only knew the pelvis).
        """
        model, data = self.model, self.data
        for k, link in enumerate(trajectory.links):
            body = mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_BODY, link)
            if body < 0:
                continue
            rotation = quat.to_matrix(trajectory.link_orientations[frame, k])
            data.xpos[body] = trajectory.link_positions[frame, k]
            data.xquat[body] = trajectory.link_orientations[frame, k]
            data.xmat[body] = rotation.ravel()
            for geom in self._geoms_of(body):
                data.geom_xpos[geom] = data.xpos[body] + rotation @ model.geom_pos[geom]
                data.geom_xmat[geom] = (rotation @ quat.to_matrix(model.geom_quat[geom])).ravel()

    def _geoms_of(self, body: int) -> np.ndarray:
        if not hasattr(self, "_body_geoms"):
            self._body_geoms: dict[int, np.ndarray] = {}
        if body not in self._body_geoms:
            self._body_geoms[body] = np.nonzero(self.model.geom_bodyid == body)[0]
        return self._body_geoms[body]

    def close(self) -> None:
        for renderer in self._renderers.values():
            renderer.close()
        self._renderers.clear()
