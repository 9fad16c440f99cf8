"""Nuke .chan files read back with a hand-written Euler composition.

The camera's world matrix is rebuilt from the file's numbers with this file's own rotation
matrices (Nuke's ZXY order: R = Ry · Rx · Rz, Y-up) and its own Y-up to Z-up change, and
compared with the dolly's closed-form axes from the builders.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from see1previs.cinema.tracks import CameraTrack
from see1previs.core import quaternion as quat
from see1previs.export.nuke_chan import write_track_chan
from tests.export import builders


def rot_x(deg: float) -> np.ndarray:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return np.array([[1.0, 0.0, 0.0], [0.0, c, -s], [0.0, s, c]])


def rot_y(deg: float) -> np.ndarray:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])


def rot_z(deg: float) -> np.ndarray:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


def module_from_nuke(v: np.ndarray) -> np.ndarray:
    """Nuke (x, y, z), Y-up, back to the module frame: X = x, Y = -z, Z = y."""
    x, y, z = v
    return np.array([x, -z, y])


def read_chan(path) -> list[list[float]]:
    return [[float(v) for v in line.split()] for line in path.read_text().splitlines()]


def world_axes_from_chan(row: list[float]) -> np.ndarray:
    """Columns right, up, back of the camera in the module frame, from one .chan line."""
    _, _, _, _, rx, ry, rz, _ = row
    nuke = rot_y(ry) @ rot_x(rx) @ rot_z(rz)
    return np.column_stack([module_from_nuke(nuke[:, k]) for k in range(3)])


def test_chan_rebuilds_the_camera_pose_and_vertical_fov(tmp_path):
    scene = builders.make_scene(
        shots=[{"id": "SH010", "camera": "CAM-A", "start": 0.25, "end": 2.0}]
    )
    path = tmp_path / "SH010_CAM-A.chan"
    write_track_chan(builders.make_track("CAM-A", scene), scene.shots[0], scene.frame_rate, path)
    rows = read_chan(path)
    assert [int(r[0]) for r in rows] == list(range(6, 49))
    for row in rows:
        assert len(row) == 8  # frame, tx ty tz, rx ry rz, vfov
        t = row[0] / 24
        position = module_from_nuke(np.array(row[1:4]))
        assert np.max(np.abs(position - builders.camera_position(t))) <= 1e-6
        axes = world_axes_from_chan(row)
        assert np.max(np.abs(axes - builders.camera_axes(t))) <= 1e-6
        focal = builders.focal_mm(t, scene.duration)
        vfov = math.degrees(2 * math.atan(builders.SENSOR_MM[1] / (2 * focal)))
        assert row[7] == pytest.approx(vfov, abs=1e-6)


def spinning_track(scene, turns: float = 1.0) -> CameraTrack:
    """A camera at the centre turning about the studio's up through whole turns, tilted."""
    track = builders.make_track("CAM-A", scene)
    count = len(track.times)
    orientations = []
    for k in range(count):
        pan = 360.0 * turns * k / (count - 1) + 170.0
        axes = builders.camera_axes(0.0)
        turn = quat.to_matrix(quat.from_axis_angle([0.0, 0.0, 1.0], math.radians(pan)))
        orientations.append(quat.from_matrix(turn @ axes))
    track.orientations = np.array(orientations)
    return track


def test_chan_angles_are_continuous_through_a_whole_turn(tmp_path):
    scene = builders.make_scene(duration=2.0)
    track = spinning_track(scene)
    path = tmp_path / "spin.chan"
    write_track_chan(track, scene.shots[0], scene.frame_rate, path)
    rows = np.array(read_chan(path))
    steps = np.abs(np.diff(rows[:, 4:7], axis=0))
    assert steps.max() < 10.0  # 360° over 48 frames is 7.5° a frame; no ±360 jump
    assert abs(rows[-1, 5] - rows[0, 5]) == pytest.approx(360.0, abs=1e-3)  # ry made a turn
    for row, q in zip(rows, track.orientations, strict=True):
        assert np.max(np.abs(world_axes_from_chan(list(row)) - quat.to_matrix(q))) <= 1e-6
