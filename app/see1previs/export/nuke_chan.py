"""Nuke ``.chan`` camera files: one line per frame, Nuke's axes and rotation order.

A ``.chan`` file is plain text, one line per frame, columns separated by spaces::

    frame  tx ty tz  rx ry rz  vfov

- ``frame``: the scene frame number;
- ``tx ty tz``: the lens position in metres, in **Nuke's Y-up frame**;
- ``rx ry rz``: the camera rotation in degrees, Euler angles in Nuke's default camera
  rotation order **ZXY** (roll about Z first, then tilt about X, then pan about Y, all about
  the parent's fixed axes: ``R = Ry(ry) · Rx(rx) · Rz(rz)``);
- ``vfov``: the vertical angle of view in degrees, ``2·atan(sensor height / 2·focal)``, which
  Nuke's Camera "import chan file" turns into the focal length for the camera's vertical
  aperture (set the Camera's haperture/vaperture to the sensor size, in mm, first).

Axis change. The SEE-1 module frame is Z-up; Nuke is Y-up. Both are right-handed, so the
change is a rotation of -90° about X, the usual Z-up to Y-up conversion::

    Nuke x =  module X   (toward the hatch)
    Nuke y =  module Z   (the studio's reference up)
    Nuke z = -module Y

Cameras need no further change: a Nuke camera, like ours, looks along its local -Z with +Y
image up. Angles are continuous from frame to frame (unwrapped): a keyed channel never
jumps by 360°, and each angle still equals its principal value modulo 360.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from see1previs.core import quaternion as quat
from see1previs.core.scene_cameras import Shot
from see1previs.core.timebase import FrameRate
from see1previs.export.files import write_text

if TYPE_CHECKING:
    from see1previs.cinema.tracks import CameraTrack

NUKE_FROM_MODULE = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, -1.0, 0.0]])
"""Rotation taking module-frame (Z-up) vectors to Nuke's Y-up frame (-90° about X)."""

ROTATION_ORDER = "ZXY"


def zxy_angles_deg(rotation: np.ndarray) -> tuple[float, float, float]:
    """(rx, ry, rz) in degrees with ``rotation = Ry(ry) · Rx(rx) · Rz(rz)`` (Nuke's ZXY).

    rx lies in [-90, 90]; at rx = ±90 (looking straight along Nuke's y) ry and rz are not
    unique and ry takes the whole turn about y, rz = 0.
    """
    r = np.asarray(rotation, dtype=float)
    rx = math.asin(max(-1.0, min(1.0, float(-r[1, 2]))))
    if abs(math.cos(rx)) > 1e-9:
        ry = math.atan2(float(r[0, 2]), float(r[2, 2]))
        rz = math.atan2(float(r[1, 0]), float(r[1, 1]))
    else:  # gimbal lock: only ry ± rz is defined
        ry = math.atan2(float(-r[2, 0]), float(r[0, 0]))
        rz = 0.0
    return math.degrees(rx), math.degrees(ry), math.degrees(rz)


def vertical_fov_deg(sensor_height_mm: float, focal_mm: float) -> float:
    """Vertical angle of view in degrees of a lens focused at infinity."""
    return math.degrees(2.0 * math.atan(sensor_height_mm / (2.0 * focal_mm)))


def chan_values(
    positions: np.ndarray, orientations: np.ndarray, vfov_deg: np.ndarray
) -> np.ndarray:
    """(F, 7) tx ty tz rx ry rz vfov in Nuke's frame, angles unwrapped along the frames."""
    positions = np.asarray(positions, dtype=float).reshape(-1, 3)
    rotations = quat.to_matrix(quat.normalize(np.asarray(orientations, dtype=float)))
    rotations = rotations.reshape(-1, 3, 3)
    translate = positions @ NUKE_FROM_MODULE.T
    angles = np.array([zxy_angles_deg(NUKE_FROM_MODULE @ r) for r in rotations]).reshape(-1, 3)
    if len(angles) > 1:
        angles = np.unwrap(angles, period=360.0, axis=0)
    vfov = np.asarray(vfov_deg, dtype=float).reshape(-1, 1)
    return np.hstack([translate, angles, vfov])


def chan_text(frames: Sequence[int], values: np.ndarray) -> str:
    """The file's text: one line per frame, 6 decimals (1 µm, 1e-6 degree)."""
    lines = []
    for frame, row in zip(frames, np.asarray(values), strict=True):
        numbers = " ".join(_number(float(v)) for v in row)
        lines.append(f"{int(frame)} {numbers}\n")
    return "".join(lines)


def write_chan(
    path: Path | str,
    frames: Sequence[int],
    positions: np.ndarray,
    orientations: np.ndarray,
    focal_mm: np.ndarray,
    sensor_height_mm: float,
) -> None:
    """Write a ``.chan`` file for camera poses (module frame) and focal lengths per frame."""
    vfov = np.array([vertical_fov_deg(sensor_height_mm, float(f)) for f in focal_mm])
    write_text(path, chan_text(frames, chan_values(positions, orientations, vfov)))


def write_track_chan(
    track: CameraTrack, shot: Shot, frame_rate: FrameRate, path: Path | str
) -> None:
    """Write the shot's frames of a camera track as a Nuke ``.chan`` file."""
    from see1previs.export.camera_tracks import checked_span

    span = checked_span(track, shot, frame_rate)
    frames = np.arange(span.first, span.last + 1)
    write_chan(
        path,
        frames.tolist(),
        track.positions[frames],
        track.orientations[frames],
        track.focal_mm[frames],
        track.optics.sensor_height_mm,
    )


def _number(value: float) -> str:
    text = f"{value:.6f}"
    return text[1:] if text.startswith("-") and float(text) == 0.0 else text
