"""Camera tracks: where every camera is, where it looks and how its lens is set, per frame.

:func:`evaluate_camera` turns a scene camera (body, lens, rig, look-at, focus) and a baked
Trajectory into a :class:`CameraTrack` at the scene frame rate. Rigs:

- ``fixed`` — on a mount fixture (lens ``offset`` in the mount's frame) or at a position;
- ``handheld`` — the lens rides at ``offset`` in the operator's body frame, so the operator's
  zero-g motion moves the camera;
- ``path`` — Catmull-Rom through keyframe positions, slerp between keyframe orientations
  (or an aim point sliding between keyframe look-at targets), linear roll, focal length and
  focus distance.

A look-at target overrides the rig's orientation: the camera keeps the target's centre in the
middle of frame, level with the studio's reference up and rolled by the camera's ``roll``.
Problems a director can fix (an unknown mount or body, a focal length a lens cannot reach)
are :class:`CameraSetupError` with the JSON path of the field at fault.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from see1previs.cinema import framing
from see1previs.cinema.optics import fov_deg
from see1previs.core import quaternion as quat
from see1previs.core.scene import Camera, Scene
from see1previs.core.scene_cameras import FixedRig, HandheldRig, LookAtPoint, PathRig
from see1previs.physics.trajectory import Trajectory
from see1previs.station.model import Station, StationError

DEFAULT_FOCUS_M = 3.0  # focus when nothing says otherwise: the cabin's radius


class CameraSetupError(Exception):
    """A camera that cannot be evaluated; ``problems`` are (JSON path, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"{path}: {message}" for path, message in problems))


@dataclass(frozen=True)
class Optics:
    """The resolved sensor and lens of a camera."""

    body_name: str
    mode_name: str
    sensor_width_mm: float
    sensor_height_mm: float
    lens_name: str


@dataclass
class CameraTrack:
    """A camera's pose and lens settings at every frame (module frame, SI, lens in mm)."""

    camera_id: str
    optics: Optics
    f_stop: float
    times: np.ndarray  # (F,) s
    positions: np.ndarray  # (F, 3) m
    orientations: np.ndarray  # (F, 4) wxyz; the camera looks along local -Z, +Y up
    focal_mm: np.ndarray  # (F,)
    focus_m: np.ndarray  # (F,)

    @property
    def rotations(self) -> np.ndarray:
        return quat.to_matrix(self.orientations)

    @property
    def horizontal_fov_deg(self) -> np.ndarray:
        o = self.optics
        return np.array(
            [fov_deg(o.sensor_width_mm, o.sensor_height_mm, f).h for f in self.focal_mm]
        )

    def pan_tilt_roll(self) -> np.ndarray:
        """(F, 3) pan, tilt, roll in degrees relative to the studio frame."""
        return np.array([framing.pan_tilt_roll(r) for r in self.rotations])

    def frames_between(self, start: float, end: float) -> np.ndarray:
        """Indices of the frames from ``start`` to ``end`` seconds, both included."""
        eps = 1e-9
        return np.nonzero((self.times >= start - eps) & (self.times <= end + eps))[0]


def resolve_optics(camera: Camera, index: int) -> Optics:
    """Sensor and lens of a camera from the catalog, checking the lens can be set that way."""
    from see1previs.cinema import catalog

    where = f"cameras[{index}]"
    name = f"camera '{camera.id}'"
    if camera.body == "custom":
        if camera.sensor is None:
            raise CameraSetupError(
                [(f"{where}.sensor", f"{name} has a custom body: give its sensor in mm")]
            )
        body = catalog.custom_body(*camera.sensor)
    else:
        try:
            body = catalog.camera_body(camera.body)
        except catalog.CatalogError as exc:
            raise CameraSetupError([(f"{where}.body", f"{name}: {exc}")]) from exc
    try:
        mode = body.mode(camera.mode)
    except catalog.CatalogError as exc:
        raise CameraSetupError([(f"{where}.mode", f"{name}: {exc}")]) from exc
    lens_name = f"{camera.focal_length:g} mm"
    problems: list[tuple[str, str]] = []
    if camera.lens is not None:
        try:
            lens = catalog.lens(camera.lens)
        except catalog.CatalogError as exc:
            raise CameraSetupError([(f"{where}.lens", f"{name}: {exc}")]) from exc
        settings = [(f"{where}.focal_length", camera.focal_length)]
        if isinstance(camera.rig, PathRig):
            settings += [
                (f"{where}.rig.keyframes[{k}].focal_length", key.focal_length)
                for k, key in enumerate(camera.rig.keyframes)
                if key.focal_length is not None
            ]
        for path, focal in settings:
            if not lens.accepts_focal(focal):
                reach = (
                    f"{lens.focal_min_mm:g}–{lens.focal_max_mm:g} mm"
                    if lens.kind == "zoom"
                    else f"only {lens.focal_min_mm:g} mm"
                )
                problems.append(
                    (path, f"{name}: {focal:g} mm is outside what {lens.name} can do ({reach})")
                )
        lens_name = lens.name
    if problems:
        raise CameraSetupError(problems)
    return Optics(body.name, mode.name, mode.width_mm, mode.height_mm, lens_name)


def camera_setup_problems(scene: Scene, station: Station) -> list[tuple[str, str]]:
    """Every camera problem found without baking: catalog ids, lens range, mount fixtures."""
    problems: list[tuple[str, str]] = []
    for index, camera in enumerate(scene.cameras):
        try:
            resolve_optics(camera, index)
        except CameraSetupError as exc:
            problems += exc.problems
        rig = camera.rig
        if isinstance(rig, FixedRig):
            if rig.mount is not None:
                try:
                    station.fixture(rig.mount)
                except StationError as exc:
                    problems.append(
                        (f"cameras[{index}].rig.mount", f"camera '{camera.id}': {exc.args[0]}")
                    )
            elif rig.orientation is None and camera.look_at is None:
                problems.append(
                    (
                        f"cameras[{index}].rig",
                        f"camera '{camera.id}' at a position needs an 'orientation' or a "
                        "'look_at' target",
                    )
                )
    return problems


def evaluate_camera(
    camera: Camera,
    scene: Scene,
    station: Station,
    trajectory: Trajectory,
) -> CameraTrack:
    """The camera's track over the whole baked scene."""
    index = next(i for i, c in enumerate(scene.cameras) if c.id == camera.id)
    optics = resolve_optics(camera, index)
    times = trajectory.times
    positions, base_rotations = _rig_motion(camera, index, station, trajectory)
    focal = np.full(len(times), float(camera.focal_length))
    focus = np.full(len(times), np.nan)
    roll = np.full(len(times), float(camera.roll))
    if isinstance(camera.rig, PathRig):
        focal = _keyframe_values(camera.rig, times, "focal_length", camera.focal_length)
        roll = _keyframe_values(camera.rig, times, "roll", camera.roll)
        if any(k.focus_distance for k in camera.rig.keyframes):
            focus = _keyframe_values(camera.rig, times, "focus_distance", DEFAULT_FOCUS_M)

    rotations = np.array(base_rotations)
    target = _target_positions(camera.look_at, trajectory)
    if target is None and isinstance(camera.rig, PathRig):
        target = _keyframe_aim_points(camera.rig, trajectory)
    for frame in range(len(times)):
        if target is not None:
            rotations[frame] = framing.aim(target[frame] - positions[frame], roll_deg=roll[frame])
        elif isinstance(camera.rig, PathRig | FixedRig) and roll[frame]:
            rotations[frame] = _rolled(rotations[frame], roll[frame])
    forward = framing.forward_of(rotations)
    # Focus: a focus target, else a set distance (camera or path keyframes), else the
    # look-at target, else the cabin's radius.
    if np.isnan(focus).all() and camera.focus_distance is not None:
        focus[:] = camera.focus_distance
    focus_target = _target_positions(camera.focus_target, trajectory)
    if focus_target is None and np.isnan(focus).all():
        focus_target = target
    if focus_target is not None:
        along = np.einsum("fi,fi->f", focus_target - positions, forward)
        focus = np.maximum(along, 0.05)
    elif np.isnan(focus).all():
        focus[:] = DEFAULT_FOCUS_M
    orientations = np.array([quat.from_matrix(r) for r in rotations])
    return CameraTrack(
        camera_id=camera.id,
        optics=optics,
        f_stop=camera.f_stop,
        times=times.copy(),
        positions=positions,
        orientations=orientations,
        focal_mm=focal,
        focus_m=focus,
    )


def _rolled(rotation: np.ndarray, roll_deg: float) -> np.ndarray:
    """A rotation turned about its own viewing axis by ``roll_deg``."""
    angle = math.radians(roll_deg)
    c, s = math.cos(angle), math.sin(angle)
    right, up, back = rotation[:, 0], rotation[:, 1], rotation[:, 2]
    return np.column_stack([c * right + s * up, -s * right + c * up, back])


def _target_positions(target, trajectory: Trajectory) -> np.ndarray | None:
    """(F, 3) positions of a look-at / focus target, or None."""
    if target is None:
        return None
    if isinstance(target, LookAtPoint):
        return np.tile(np.asarray(target.point, dtype=float), (trajectory.frame_count, 1))
    return trajectory.positions[:, trajectory.index(target)]


def _rig_motion(
    camera: Camera, index: int, station: Station, trajectory: Trajectory
) -> tuple[np.ndarray, np.ndarray]:
    """(positions (F, 3), rotations (F, 3, 3)) the rig alone gives, before any look-at."""
    frames = trajectory.frame_count
    rig = camera.rig
    where = f"cameras[{index}].rig"
    if isinstance(rig, FixedRig):
        if rig.mount is not None:
            try:
                fixture = station.fixture(rig.mount)
            except StationError as exc:
                raise CameraSetupError(
                    [(f"{where}.mount", f"camera '{camera.id}': {exc.args[0]}")]
                ) from exc
            mount_rotation = fixture.rotation()
            position = np.asarray(fixture.position) + mount_rotation @ np.asarray(rig.offset)
            default = framing.aim(mount_rotation[:, 2])  # straight out of the wall, level
        else:
            position = np.asarray(rig.position, dtype=float)
            default = None
        if rig.orientation is not None:
            rotation = quat.to_matrix(rig.orientation)
        elif default is not None:
            rotation = default
        elif camera.look_at is None:
            raise CameraSetupError(
                [
                    (
                        where,
                        f"camera '{camera.id}' at a position needs an 'orientation' or a "
                        "'look_at' target",
                    )
                ]
            )
        else:
            rotation = np.eye(3)  # replaced by the look-at every frame
        return np.tile(position, (frames, 1)), np.tile(rotation, (frames, 1, 1))
    if isinstance(rig, HandheldRig):
        b = trajectory.index(rig.operator)
        body_rotation = quat.to_matrix(trajectory.orientations[:, b])
        positions = trajectory.positions[:, b] + np.einsum(
            "fij,j->fi", body_rotation, np.asarray(rig.offset)
        )
        # The operator films where they face (+X of the body), image up toward their head.
        rotations = np.array(
            [framing.aim(r[:, 0], up_hint=r[:, 2], roll_deg=camera.roll) for r in body_rotation]
        )
        return positions, rotations
    return _path_motion(rig, trajectory.times, camera)


def _path_motion(rig: PathRig, times: np.ndarray, camera: Camera):
    keys = rig.keyframes
    key_times = np.array([k.time for k in keys])
    points = np.array([k.position for k in keys], dtype=float)
    positions = np.array([_catmull_rom(key_times, points, t) for t in times])
    keyed = [(k.time, k.orientation) for k in keys if k.orientation is not None]
    if keyed:
        # Slerp between the keyframes that set an orientation, held before and after.
        key_times_o = np.array([t for t, _ in keyed])
        rotations = []
        for t in times:
            i, u = _segment(key_times_o, t)
            j = min(i + 1, len(keyed) - 1)
            rotations.append(quat.to_matrix(quat.slerp(keyed[i][1], keyed[j][1], u)))
        return positions, np.array(rotations)
    if camera.look_at is None:
        # No orientation anywhere: look along the direction of travel.
        velocity = np.gradient(positions, times, axis=0)
        rotations = []
        last = framing.aim([1.0, 0.0, 0.0])
        for v in velocity:
            if np.linalg.norm(v) > 1e-6:
                last = framing.aim(v)
            rotations.append(last)
        return positions, np.array(rotations)
    return positions, np.tile(np.eye(3), (len(times), 1, 1))


def _segment(key_times: np.ndarray, t: float) -> tuple[int, float]:
    """Keyframe segment holding time t and the fraction through it (clamped at the ends)."""
    if t <= key_times[0]:
        return 0, 0.0
    if t >= key_times[-1]:
        return len(key_times) - 1, 0.0
    i = int(np.searchsorted(key_times, t, side="right") - 1)
    return i, float((t - key_times[i]) / (key_times[i + 1] - key_times[i]))


def _catmull_rom(key_times: np.ndarray, points: np.ndarray, t: float) -> np.ndarray:
    """Uniform Catmull-Rom through ``points`` at time t; ends are extended by reflection."""
    i, u = _segment(key_times, t)
    n = len(points)
    if i >= n - 1:
        return points[-1].copy()
    p1, p2 = points[i], points[i + 1]
    p0 = points[i - 1] if i > 0 else 2 * p1 - p2
    p3 = points[i + 2] if i + 2 < n else 2 * p2 - p1
    u2, u3 = u * u, u * u * u
    return 0.5 * (
        2 * p1
        + (-p0 + p2) * u
        + (2 * p0 - 5 * p1 + 4 * p2 - p3) * u2
        + (-p0 + 3 * p1 - 3 * p2 + p3) * u3
    )


def _keyframe_aim_points(rig: PathRig, trajectory: Trajectory) -> np.ndarray | None:
    """(F, 3) aim point moving between the look-at targets keyframes set, or None.

    Between two keyframes with targets the aim point slides linearly from one target (where
    it is at that frame) to the other, so a camera can hand off from one actor to another.
    """
    keyed = [(k.time, k.look_at) for k in rig.keyframes if k.look_at is not None]
    if not keyed:
        return None
    times = trajectory.times
    key_times = np.array([t for t, _ in keyed])
    targets = [_target_positions(look_at, trajectory) for _, look_at in keyed]
    points = np.zeros((len(times), 3))
    for f, t in enumerate(times):
        i, u = _segment(key_times, t)
        j = min(i + 1, len(keyed) - 1)
        points[f] = (1.0 - u) * targets[i][f] + u * targets[j][f]
    return points


def _keyframe_values(rig: PathRig, times: np.ndarray, name: str, default: float) -> np.ndarray:
    """A lens value over time: linear between the keyframes that set it, held at the ends."""
    keyed = [(k.time, getattr(k, name)) for k in rig.keyframes if getattr(k, name) is not None]
    if not keyed:
        return np.full(len(times), float(default))
    key_times, values = zip(*keyed, strict=True)
    return np.interp(times, np.asarray(key_times), np.asarray(values, dtype=float))
