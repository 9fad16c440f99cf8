"""Shot analysis: who is in frame, how big, how the camera moves, and what could go wrong.

For every frame of a shot, each prop and actor is projected through the camera (pinhole,
the sensor's aspect): in frame if its centre lands inside the image in front of the lens and
nothing solid (the wall, another body) lies on the line of sight. The primary subject is the
camera's look-at target, else its focus target, else the nearest actor in frame.

The shot size comes from what is in frame, every subject, not from where the camera aims:
people dominate. An actor is *meaningfully in frame* when in frame for at least a third of
the shot; the size (ECU…EWS) is that of the person the frame is composed on — the primary
subject if it is such an actor, else the one filling the most of the frame height (the
nearest) — from their projected height at the shot's middle frame. Only when no person is
meaningfully in frame does a camera aimed at a prop read INSERT. The angle (eye level, high,
low, overhead, worm's eye, with "dutch" when the horizon is rolled) is measured against that
person's eye line and head-up axis — in zero g a person's up, not the studio's — or, with no
person, against the studio's reference up. The camera's movement over the
shot is classified from its track (static, pan, tilt, roll, push in, pull out, truck,
pedestal, orbit, float). Warnings name the frame range and the problem: another camera or
its operator in frame, the subject out of focus or out of frame, the camera inside the wall
or a body, or within 0.3 m of a person's head. Another camera counts only while it rolls on
a shot of its own at the same time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import trimesh

from see1previs.cinema import framing, optics
from see1previs.cinema.tracks import CameraTrack
from see1previs.core import quaternion as quat
from see1previs.core.scene import Actor, Camera, Scene, Shot
from see1previs.core.scene_cameras import HandheldRig
from see1previs.physics.bodies import placeholder_radius
from see1previs.physics.trajectory import Trajectory
from see1previs.station.model import Station
from see1previs.station.queries import MESH_QUERY_LOCK

HEAD_CLEARANCE_M = 0.3
HEAD_RADIUS_M = 0.11
STATIC_TRANSLATION_M = 0.02
STATIC_ROTATION_DEG = 1.0
NEAR_CLIP_M = 0.05


@dataclass(frozen=True)
class ShotWarning:
    kind: str  # "camera_in_frame", "out_of_focus", "subject_leaves_frame", "in_wall", ...
    message: str
    start: float  # s
    end: float


@dataclass
class ShotAnalysis:
    shot_id: str
    camera_id: str
    primary: str | None
    framing: str  # shot size at the middle frame, from every subject in frame (people first)
    movement: str
    subjects: list[str]  # bodies in frame at some point, in order of first appearance
    in_frame: dict[str, np.ndarray] = field(default_factory=dict)  # body -> (frames,) bool
    warnings: list[ShotWarning] = field(default_factory=list)
    angle: str = ""  # "eye level", "high angle", … ("dutch" added when the horizon rolls)
    framed_on: str | None = None  # the person the size and angle are measured on, if any


@dataclass
class _Scene3D:
    """Body geometry the line-of-sight and safety checks need."""

    ids: list[str]
    radii: np.ndarray  # bounding radius per body (m)
    actors: dict[str, Actor]


def analyse_shot(
    shot: Shot,
    scene: Scene,
    station: Station,
    trajectory: Trajectory,
    tracks: dict[str, CameraTrack],
    body_radii: dict[str, float] | None = None,
) -> ShotAnalysis:
    """Analyse one shot; ``tracks`` holds every camera (others may appear in frame)."""
    track = tracks[shot.camera]
    camera = next(c for c in scene.cameras if c.id == shot.camera)
    frames = track.frames_between(shot.start, shot.end)
    bodies = _bodies(scene, body_radii)
    rotations = track.rotations[frames]
    positions = track.positions[frames]
    times = track.times[frames]
    sensor = (track.optics.sensor_width_mm, track.optics.sensor_height_mm)

    in_frame: dict[str, np.ndarray] = {}
    projected: dict[str, np.ndarray] = {}
    for b, body_id in enumerate(bodies.ids):
        centres = trajectory.positions[frames, b]
        visible, uv = _visible(
            centres,
            positions,
            rotations,
            track.focal_mm[frames],
            sensor,
            station,
            bodies,
            b,
            trajectory.positions[frames],
        )
        in_frame[body_id] = visible
        projected[body_id] = uv
    subjects = sorted(
        (b for b in bodies.ids if in_frame[b].any()), key=lambda b: int(np.argmax(in_frame[b]))
    )
    primary = _primary(camera, bodies, in_frame, positions, trajectory, frames)
    view = _ShotView(shot, camera, track, frames, times, positions, rotations, sensor)
    framed_on = _framed_on(primary, view, bodies, trajectory, in_frame)
    analysis = ShotAnalysis(
        shot_id=shot.id,
        camera_id=camera.id,
        primary=primary,
        framing=_framing(primary, framed_on, view, bodies, trajectory),
        movement=classify_movement(
            positions, rotations, _subject_path(primary, trajectory, frames)
        ),
        subjects=subjects,
        in_frame=in_frame,
        angle=camera_angle(view, bodies, trajectory, framed_on),
        framed_on=framed_on,
    )
    analysis.warnings += _warnings(
        view, scene, station, trajectory, bodies, in_frame, primary, tracks
    )
    return analysis


def _bodies(scene: Scene, body_radii: dict[str, float] | None) -> _Scene3D:
    ids = [b.id for b in scene.bodies()]
    radii = []
    for body in scene.bodies():
        if body_radii and body.id in body_radii:
            radii.append(body_radii[body.id])
        elif isinstance(body, Actor):
            radii.append(placeholder_radius(body.height, body.mass))
        else:
            radii.append(0.1)
    return _Scene3D(ids, np.array(radii), {a.id: a for a in scene.actors})


def project(
    points: np.ndarray,
    position: np.ndarray,
    rotation: np.ndarray,
    focal_mm: float,
    sensor: tuple[float, float],
) -> tuple[np.ndarray, np.ndarray]:
    """Image coordinates of points (N, 3) in [-1, 1]² (x right, y up) and their depth (m).

    Depth is the distance in front of the lens along the view axis; points behind the camera
    have depth <= 0.
    """
    local = (np.asarray(points) - position) @ rotation  # camera axes: right, up, back
    depth = -local[:, 2]
    safe = np.where(depth > 1e-9, depth, 1e-9)
    x = (local[:, 0] * focal_mm / safe) / (0.5 * sensor[0])
    y = (local[:, 1] * focal_mm / safe) / (0.5 * sensor[1])
    return np.stack([x, y], axis=1), depth


def _visible(centres, cam_pos, cam_rot, focal, sensor, station, bodies, index, all_bodies):
    """Per frame: whether body ``index`` is in frame and unobstructed, and its image point."""
    frames = len(centres)
    uv = np.zeros((frames, 2))
    depth = np.zeros(frames)
    for f in range(frames):
        p, d = project(centres[f][None], cam_pos[f], cam_rot[f], focal[f], sensor)
        uv[f], depth[f] = p[0], d[0]
    candidate = (depth > NEAR_CLIP_M) & np.all(np.abs(uv) <= 1.0, axis=1)
    if not candidate.any():
        return candidate, uv
    rays = centres - cam_pos
    distance = np.linalg.norm(rays, axis=1)
    direction = rays / np.maximum(distance, 1e-12)[:, None]
    reach = distance - bodies.radii[index]  # stop short of the subject's own surface
    blocked = np.zeros(frames, dtype=bool)
    # Other bodies, as spheres a little smaller than their bounds.
    for other in range(len(bodies.ids)):
        if other == index:
            continue
        to_other = all_bodies[:, other] - cam_pos
        along = np.einsum("fi,fi->f", to_other, direction)
        miss = np.linalg.norm(to_other - along[:, None] * direction, axis=1)
        blocked |= (along > 0) & (along < reach) & (miss < 0.8 * bodies.radii[other])
    # The wall and fixtures, all candidate rays in one batch.
    frames_to_cast = np.nonzero(candidate & ~blocked)[0]
    if len(frames_to_cast):
        # The interior mesh is shared: one R-tree query at a time (see MESH_QUERY_LOCK).
        with MESH_QUERY_LOCK:
            mesh = _solid_interior(station)
            hits, ray_index, _ = mesh.ray.intersects_location(
                ray_origins=cam_pos[frames_to_cast],
                ray_directions=direction[frames_to_cast],
                multiple_hits=True,
            )
        if len(hits):
            origin_frames = frames_to_cast[ray_index]
            hit_distance = np.linalg.norm(hits - cam_pos[origin_frames], axis=1)
            in_the_way = (hit_distance > 1e-6) & (hit_distance < reach[origin_frames])
            blocked[origin_frames[in_the_way]] = True
    return candidate & ~blocked, uv


_INTERIORS: dict[str, trimesh.Trimesh] = {}


def _solid_interior(station: Station) -> trimesh.Trimesh:
    """The wall and every fixture as one mesh for line-of-sight tests (cached)."""
    key = station.content_hash()
    if key not in _INTERIORS:
        _INTERIORS[key] = trimesh.util.concatenate(
            [station.boundary, *[part.mesh for part in station.parts]]
        )
    return _INTERIORS[key]


def _primary(camera, bodies, in_frame, cam_positions, trajectory, frames) -> str | None:
    for candidate in (camera.look_at, camera.focus_target):
        if isinstance(candidate, str):
            return candidate
    nearest, best = None, np.inf
    for b, body_id in enumerate(bodies.ids):
        if body_id in bodies.actors and in_frame[body_id].any():
            d = np.min(np.linalg.norm(trajectory.positions[frames, b] - cam_positions, axis=1))
            if d < best:
                nearest, best = body_id, d
    return nearest


MEANINGFUL_SHARE = 1 / 3  # of the shot's frames a person must be in frame to set the size
HIGH_ANGLE_DEG = 15.0
OVERHEAD_DEG = 60.0
DUTCH_DEG = 10.0


def _person_fraction(view: _ShotView, bodies: _Scene3D, trajectory, actor_id: str) -> float:
    """Frame heights the person fills at the shot's middle frame (0 if behind the lens)."""
    middle = len(view.frames) // 2
    frame = view.frames[middle]
    b = bodies.ids.index(actor_id)
    _, depth = project(
        trajectory.positions[frame, b][None],
        view.positions[middle],
        view.rotations[middle],
        view.track.focal_mm[frame],
        view.sensor,
    )
    if depth[0] <= NEAR_CLIP_M:
        return 0.0
    return optics.image_height_fraction(
        bodies.actors[actor_id].height,
        float(depth[0]),
        float(view.track.focal_mm[frame]),
        view.sensor[1],
    )


def _framed_on(primary, view: _ShotView, bodies: _Scene3D, trajectory, in_frame) -> str | None:
    """The person the frame is composed on: the primary subject if it is a person meaningfully
    in frame, else the meaningfully-in-frame person filling the most of the frame; None when
    no person is meaningfully in frame."""
    people = [
        actor_id
        for actor_id in bodies.actors
        if in_frame[actor_id].mean() >= MEANINGFUL_SHARE
        and _person_fraction(view, bodies, trajectory, actor_id) > 0
    ]
    if primary in people:
        return primary
    if not people:
        return None
    return max(people, key=lambda a: _person_fraction(view, bodies, trajectory, a))


def _framing(primary, framed_on, view: _ShotView, bodies: _Scene3D, trajectory) -> str:
    """Shot size from what is in frame: the person framed on, else INSERT for a prop."""
    if framed_on is not None:
        return optics.shot_size(_person_fraction(view, bodies, trajectory, framed_on))
    if primary is None:
        return "—"
    if primary not in bodies.actors:
        return "INSERT"
    return "—"  # the person aimed at is not in frame


def camera_angle(view: _ShotView, bodies: _Scene3D, trajectory, framed_on: str | None) -> str:
    """The camera angle at the shot's middle frame (see the module docstring)."""
    middle = len(view.frames) // 2
    frame = view.frames[middle]
    rotation = view.rotations[middle]
    forward = -rotation[:, 2]
    image_up = rotation[:, 1]
    if framed_on is not None:
        b = bodies.ids.index(framed_on)
        up = quat.to_matrix(trajectory.orientations[frame, b]) @ np.array([0.0, 0.0, 1.0])
        head = _head_positions(bodies.actors[framed_on], trajectory, np.array([frame]), b)[0]
        sight = head - view.positions[middle]  # camera to the eyes
    else:
        up = np.array([0.0, 0.0, 1.0])
        sight = forward
    # Positive: the camera looks down on the subject (it sits above the eye line).
    elevation = -math.degrees(
        math.asin(float(np.clip(np.dot(sight, up) / max(np.linalg.norm(sight), 1e-12), -1, 1)))
    )
    if elevation >= OVERHEAD_DEG:
        return "overhead"
    if elevation <= -OVERHEAD_DEG:
        return "worm's eye"
    words = (
        "high angle"
        if elevation >= HIGH_ANGLE_DEG
        else "low angle"
        if elevation <= -HIGH_ANGLE_DEG
        else "eye level"
    )
    # Dutch: the subject's up, seen in the image, leans away from image up.
    in_image = up - np.dot(up, forward) * forward
    if np.linalg.norm(in_image) > 1e-6:
        in_image /= np.linalg.norm(in_image)
        image_right = rotation[:, 0]
        lean = math.degrees(math.atan2(np.dot(in_image, image_right), np.dot(in_image, image_up)))
        if DUTCH_DEG <= abs(lean) <= 180 - DUTCH_DEG:
            words += ", dutch"
        elif abs(lean) > 180 - DUTCH_DEG:
            words += ", upside down"
    return words


def _subject_path(primary, trajectory, frames) -> np.ndarray | None:
    if primary is None or primary not in trajectory.body_ids:
        return None
    return trajectory.positions[frames, trajectory.index(primary)]


def classify_movement(
    positions: np.ndarray, rotations: np.ndarray, subject: np.ndarray | None = None
) -> str:
    """One word for how the camera moves over a shot (see the module docstring)."""
    travel = positions[-1] - positions[0]
    path_length = float(np.sum(np.linalg.norm(np.diff(positions, axis=0), axis=1)))
    first, last = rotations[0], rotations[-1]
    relative = first.T @ last  # rotation from the first frame's camera axes
    angle = np.degrees(np.arccos(np.clip((np.trace(relative) - 1) / 2, -1, 1)))
    if path_length < STATIC_TRANSLATION_M:
        if angle < STATIC_ROTATION_DEG:
            return "static"
        # Rotation axis in camera axes: x = tilt, y = pan, z = roll.
        axis = np.array(
            [
                relative[2, 1] - relative[1, 2],
                relative[0, 2] - relative[2, 0],
                relative[1, 0] - relative[0, 1],
            ]
        )
        return ("tilt", "pan", "roll")[int(np.argmax(np.abs(axis)))]
    if subject is not None:
        distances = np.linalg.norm(subject - positions, axis=1)
        if (
            np.ptp(distances) < 0.1 * np.mean(distances)
            and angle > 10.0
            and path_length > 0.3 * np.mean(distances) * np.radians(angle) * 0.5
        ):
            return "orbit"
    local = first.T @ travel  # travel in the first frame's camera axes
    straight = np.linalg.norm(travel) > 0.8 * path_length
    if straight and angle < 5.0:
        axis = int(np.argmax(np.abs(local)))
        if axis == 2:
            return "push in" if local[2] < 0 else "pull out"
        return "truck" if axis == 0 else "pedestal"
    return "float"


@dataclass
class _ShotView:
    """One shot through its camera: the frames it covers and the camera's pose at each."""

    shot: Shot
    camera: Camera
    track: CameraTrack
    frames: np.ndarray
    times: np.ndarray
    positions: np.ndarray
    rotations: np.ndarray
    sensor: tuple[float, float]


def _warnings(
    view: _ShotView,
    scene: Scene,
    station: Station,
    trajectory: Trajectory,
    bodies: _Scene3D,
    in_frame: dict[str, np.ndarray],
    primary: str | None,
    tracks: dict[str, CameraTrack],
) -> list[ShotWarning]:
    camera, track, frames, times = view.camera, view.track, view.frames, view.times
    positions, rotations, sensor = view.positions, view.rotations, view.sensor
    warnings: list[ShotWarning] = []

    def add(kind: str, mask: np.ndarray, message: str) -> None:
        for start, end in _runs(mask):
            warnings.append(
                ShotWarning(
                    kind,
                    f"{message} ({times[start]:.2f}–{times[end]:.2f} s)",
                    float(times[start]),
                    float(times[end]),
                )
            )

    # Other cameras and their operators in frame.
    operator_of = {c.id: c.rig.operator for c in scene.cameras if isinstance(c.rig, HandheldRig)}
    for other_id, other in tracks.items():
        if other_id == camera.id:
            continue
        seen = np.zeros(len(frames), dtype=bool)
        for f, frame in enumerate(frames):
            uv, depth = project(
                other.positions[frame][None],
                positions[f],
                rotations[f],
                track.focal_mm[frame],
                sensor,
            )
            seen[f] = depth[0] > NEAR_CLIP_M and np.all(np.abs(uv[0]) <= 1.0)
        # Another camera only spoils the shot while it rolls at the same time (multi-camera);
        # otherwise the crew moves it out before this take.
        rolling = np.zeros(len(frames), dtype=bool)
        for other_shot in scene.shots:
            if other_shot.camera == other_id:
                rolling |= (times >= other_shot.start - 1e-9) & (times <= other_shot.end + 1e-9)
        seen &= rolling
        add("camera_in_frame", seen, f"camera '{other_id}' is in frame while it rolls")
        operator = operator_of.get(other_id)
        if operator and operator in in_frame and operator != primary:
            add(
                "operator_in_frame",
                in_frame[operator],
                f"'{operator}', operating camera '{other_id}', is in frame",
            )
    # Primary subject.
    if primary is not None and primary in in_frame:
        add("subject_leaves_frame", ~in_frame[primary], f"'{primary}' is out of frame")
        b = bodies.ids.index(primary)
        depth = np.einsum(
            "fi,fi->f", trajectory.positions[frames, b] - positions, framing.forward_of(rotations)
        )
        coc = optics.circle_of_confusion_mm(*sensor)
        soft = np.zeros(len(frames), dtype=bool)
        for f, frame in enumerate(frames):
            focal = float(track.focal_mm[frame])
            # A lens cannot focus closer than its focal length; a focus target brushing past
            # the lens is treated as focused just beyond it.
            focus = max(float(track.focus_m[frame]), 1.1 * focal / 1000.0)
            dof = optics.depth_of_field(focal, track.f_stop, focus, coc)
            soft[f] = in_frame[primary][f] and not (dof.near_m <= depth[f] <= dof.far_m)
        add("out_of_focus", soft, f"'{primary}' is outside the depth of field")
    # Camera inside the wall or a body.
    outside = ~np.asarray(station.contains(positions))
    add("in_wall", outside, "the camera is outside the interior (inside the wall)")
    for b, body_id in enumerate(bodies.ids):
        if isinstance(camera.rig, HandheldRig) and camera.rig.operator == body_id:
            continue
        centre = trajectory.positions[frames, b]
        inside = np.linalg.norm(centre - positions, axis=1) < 0.8 * bodies.radii[b]
        add("in_body", inside, f"the camera passes through '{body_id}'")
    # Heads.
    for actor_id, actor in bodies.actors.items():
        if isinstance(camera.rig, HandheldRig) and camera.rig.operator == actor_id:
            continue
        b = bodies.ids.index(actor_id)
        head = _head_positions(actor, trajectory, frames, b)
        close = np.linalg.norm(head - positions, axis=1) < HEAD_CLEARANCE_M + HEAD_RADIUS_M
        add("near_head", close, f"the camera is within {HEAD_CLEARANCE_M} m of {actor_id}'s head")
    return warnings


def _head_positions(actor: Actor, trajectory: Trajectory, frames, b: int) -> np.ndarray:
    """Head centre of a placeholder actor: on the body's +Z axis, a head radius below the top."""
    rotation = quat.to_matrix(trajectory.orientations[frames, b])
    offset = np.array([0.0, 0.0, 0.5 * actor.height - HEAD_RADIUS_M])
    return trajectory.positions[frames, b] + rotation @ offset


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) index of each run of True."""
    runs = []
    start = None
    for i, value in enumerate(mask):
        if value and start is None:
            start = i
        elif not value and start is not None:
            runs.append((start, i - 1))
            start = None
    if start is not None:
        runs.append((start, len(mask) - 1))
    return runs
