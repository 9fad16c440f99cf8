"""Hand-built scenes, trajectories and camera tracks with motion known in closed form.

The exporters are checked against these formulas, not against what the app computed, so a
reader (pxr, opentimelineio, csv, json) that finds the same numbers is independent truth.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from see1previs.cinema.tracks import CameraTrack, Optics
from see1previs.core import quaternion as quat
from see1previs.core.scene import Scene
from see1previs.physics.trajectory import Trajectory

SENSOR_MM = (36.70, 25.54)  # ARRI Alexa Mini LF open gate
F_STOP = 2.8


def make_scene(
    *,
    frame_rate: Any = 24,
    duration: float = 2.0,
    shots: list[dict[str, Any]] | None = None,
    cameras: tuple[str, ...] = ("CAM-A",),
) -> Scene:
    """A scene with one body of every shape, an actor, fixed cameras and the given shots."""
    return Scene.model_validate(
        {
            "format": 2,
            "title": "Export test",
            "frame_rate": frame_rate,
            "duration": duration,
            "props": [
                {
                    "id": "ball",
                    "shape": {"type": "sphere", "radius": 0.11},
                    "mass": 0.4,
                    "color": "#ff8000",
                },
                {"id": "crate-1", "shape": {"type": "box", "size": [0.3, 0.2, 0.1]}, "mass": 2.0},
                {
                    "id": "tube",
                    "shape": {"type": "cylinder", "radius": 0.05, "length": 0.4},
                    "mass": 0.5,
                },
                {
                    "id": "bottle",
                    "shape": {"type": "capsule", "radius": 0.04, "length": 0.2},
                    "mass": 0.7,
                },
                {"id": "wrench", "shape": {"type": "mesh", "file": "wrench.obj"}, "mass": 0.3},
            ],
            "actors": [
                {"id": "mia", "name": "Mia", "body": "placeholder", "height": 1.7, "mass": 60.0}
            ],
            "cameras": [
                {
                    "id": camera_id,
                    "name": f"{camera_id} camera",
                    "rig": {
                        "type": "fixed",
                        "position": [0.0, 0.0, 0.0],
                        "orientation": [1.0, 0.0, 0.0, 0.0],
                    },
                }
                for camera_id in cameras
            ],
            "shots": shots
            if shots is not None
            else [
                {"id": "SH010", "name": "10A", "camera": cameras[0], "start": 0.0, "end": duration}
            ],
        }
    )


# ---- bodies: straight-line drift and a steady spin about a fixed axis -----------------------
def body_position(index: int, t: float) -> np.ndarray:
    start = np.array([0.5 * index - 1.0, 0.2 * index, -0.3])
    velocity = np.array([0.1, -0.05 * index, 0.2])
    return start + velocity * t


def body_orientation(index: int, t: float) -> np.ndarray:
    axis = np.array([1.0, 0.5 * index, 2.0])
    return quat.from_axis_angle(axis / np.linalg.norm(axis), (0.8 + 0.1 * index) * t)


def make_trajectory(scene: Scene) -> Trajectory:
    rate = scene.frame_rate
    frames = rate.frame_count(scene.duration)
    times = np.array([rate.frame_time(k) for k in range(frames)])
    ids = [body.id for body in scene.bodies()]
    positions = np.array([[body_position(b, t) for b in range(len(ids))] for t in times])
    orientations = np.array([[body_orientation(b, t) for b in range(len(ids))] for t in times])
    zeros = np.zeros_like(positions)
    return Trajectory(ids, rate.fps, times, positions, orientations, zeros, zeros.copy())


# ---- a dolly that pans, tilts and rolls while zooming 24 -> 50 mm -------------------------
def camera_position(t: float) -> np.ndarray:
    return np.array([-1.5 + 0.4 * t, 0.3 * math.sin(t), 0.1 * t])


def camera_axes(t: float, roll_offset: float = 0.0) -> np.ndarray:
    """Columns right, up, back of the camera in the module frame at time t."""
    pan = math.radians(10.0 + 20.0 * t)
    tilt = math.radians(-5.0 + 4.0 * t)
    forward = np.array(
        [math.cos(tilt) * math.cos(pan), math.cos(tilt) * math.sin(pan), math.sin(tilt)]
    )
    right = np.cross(forward, [0.0, 0.0, 1.0])
    right /= np.linalg.norm(right)
    up = np.cross(right, forward)
    roll = math.radians(3.0 * t + roll_offset)
    right, up = (
        math.cos(roll) * right + math.sin(roll) * up,
        -math.sin(roll) * right + math.cos(roll) * up,
    )
    return np.column_stack([right, up, -forward])


def focal_mm(t: float, duration: float) -> float:
    return 24.0 + 26.0 * t / duration


def focus_m(t: float) -> float:
    return 1.2 + 0.5 * t


def make_track(camera_id: str, scene: Scene) -> CameraTrack:
    rate = scene.frame_rate
    frames = rate.frame_count(scene.duration)
    times = np.array([rate.frame_time(k) for k in range(frames)])
    return CameraTrack(
        camera_id=camera_id,
        optics=Optics("ARRI Alexa Mini LF", "Open Gate", *SENSOR_MM, "Zoom 24-50 mm"),
        f_stop=F_STOP,
        times=times,
        positions=np.array([camera_position(t) for t in times]),
        orientations=np.array([quat.from_matrix(camera_axes(t)) for t in times]),
        focal_mm=np.array([focal_mm(t, scene.duration) for t in times]),
        focus_m=np.array([focus_m(t) for t in times]),
    )


def make_tracks(scene: Scene) -> dict[str, CameraTrack]:
    return {camera.id: make_track(camera.id, scene) for camera in scene.cameras}


def expected_hfov_deg(focal: float) -> float:
    return math.degrees(2.0 * math.atan(SENSOR_MM[0] / (2.0 * focal)))
