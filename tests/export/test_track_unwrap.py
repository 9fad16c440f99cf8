"""Pan and roll stay continuous: first-light's shot 1A looks along -X, where pan wraps.

Camera A of the demo scene looks at Mika, almost exactly toward -X, where the principal pan
value flips between -180 and +180 from one frame to the next. A keyed channel must not spin
360° there: every exported angle moves by no more than the camera really turns, and still
equals the principal value modulo 360.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest

from see1previs.cinema import framing
from see1previs.cinema.tracks import evaluate_camera
from see1previs.core import quaternion as quat
from see1previs.core.scenefile import load_scene
from see1previs.export.camera_tracks import write_track_csv
from see1previs.export.nuke_chan import write_track_chan
from see1previs.export.shots import shot_frames
from see1previs.physics.simulation import simulate

SCENE = Path(__file__).resolve().parents[2] / "scenes" / "first-light.see1.json"


@pytest.fixture(scope="module")
def shot_1a():
    scene = load_scene(SCENE)
    result = simulate(scene, SCENE.parent)
    camera = next(c for c in scene.cameras if c.id == "A")
    track = evaluate_camera(camera, scene, result.station, result.trajectory)
    shot = next(s for s in scene.shots if s.id == "1A")
    return scene, track, shot


def mod360(a: np.ndarray) -> np.ndarray:
    """Distance of angles from a multiple of 360°."""
    r = np.mod(a, 360.0)
    return np.minimum(r, 360.0 - r)


def test_csv_pan_is_unwrapped_on_first_light_1a(shot_1a, tmp_path):
    scene, track, shot = shot_1a
    path = tmp_path / "1A_A.csv"
    write_track_csv(track, shot, scene.frame_rate, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    span = shot_frames(shot, scene.frame_rate)
    frames = np.arange(span.first, span.last + 1)
    old = np.array([framing.pan_tilt_roll(r) for r in quat.to_matrix(track.orientations[frames])])
    assert np.max(np.abs(np.diff(old[:, 0]))) > 300.0  # the principal pan does wrap here
    # The camera itself turns slowly: well under a degree between two frames.
    turn = np.degrees(
        quat.angle_between(track.orientations[frames[:-1]], track.orientations[frames[1:]])
    )
    assert turn.max() < 1.0
    new = np.array([[float(r[k]) for k in ("pan_deg", "tilt_deg", "roll_deg")] for r in rows])
    assert np.max(np.abs(np.diff(new, axis=0))) <= 90.0
    assert np.max(np.abs(np.diff(new[:, 0]))) < 1.0
    assert np.max(mod360(new - old)) <= 1e-4  # 4 decimals in the CSV


def test_chan_angles_are_unwrapped_on_first_light_1a(shot_1a, tmp_path):
    scene, track, shot = shot_1a
    path = tmp_path / "1A_A.chan"
    write_track_chan(track, shot, scene.frame_rate, path)
    rows = np.array([[float(v) for v in line.split()] for line in path.read_text().splitlines()])
    assert np.max(np.abs(np.diff(rows[:, 4:7], axis=0))) <= 90.0
    assert math.isclose(rows[0, 0], shot_frames(shot, scene.frame_rate).first)
