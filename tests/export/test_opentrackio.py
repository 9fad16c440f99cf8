"""OpenTrackIO samples read back and turned into camera axes with this file's own Euler maths.

Independent truth: OpenTrackIO's published convention (right-handed, +Z up, a camera at zero
rotation looks along +Y with +X to its right; intrinsic Z-X'-Y'' pan, tilt, roll) composed
here by hand, against the builders' closed-form dolly.
"""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest

from see1previs.core import quaternion as quat
from see1previs.export.camera_tracks import write_track_json
from see1previs.export.opentrackio import opentrackio_samples, write_track_opentrackio
from tests.export import builders

URN = re.compile(r"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def rz(deg: float) -> np.ndarray:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


def rx(deg: float) -> np.ndarray:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return np.array([[1.0, 0.0, 0.0], [0.0, c, -s], [0.0, s, c]])


def ry(deg: float) -> np.ndarray:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])


def camera_axes(rotation: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Right, forward and up of an OpenTrackIO camera in stage axes."""
    m = rz(rotation["pan"]) @ rx(rotation["tilt"]) @ ry(rotation["roll"])
    return m[:, 0], m[:, 1], m[:, 2]


def test_samples_give_the_dolly_pose_lens_and_timing(tmp_path):
    scene = builders.make_scene(
        frame_rate="24000/1001",
        duration=3.0,
        shots=[{"id": "SH030", "camera": "CAM-A", "start": 0.5, "end": 3.0}],
    )
    path = tmp_path / "SH030_CAM-A.opentrackio.json"
    track = builders.make_track("CAM-A", scene)
    write_track_opentrackio(track, scene.shots[0], scene.frame_rate, path)
    document = json.loads(path.read_text(encoding="utf-8"))
    samples = document["samples"]
    assert document["units"]["translation"] == "m"
    first = math.ceil(0.5 * 24000 / 1001)
    assert samples[0]["timing"]["sequenceNumber"] == first
    for sample in samples:
        frame = sample["timing"]["sequenceNumber"]
        t = frame * 1001 / 24000
        assert sample["protocol"] == {"name": "OpenTrackIO", "version": [1, 0, 0]}
        assert URN.match(sample["sampleId"]) and URN.match(sample["sourceId"])
        assert sample["timing"]["sampleRate"] == {"num": 24000, "denom": 1001}
        tc = sample["timing"]["timecode"]
        assert (
            f"{tc['hours']:02d}:{tc['minutes']:02d}:{tc['seconds']:02d}:{tc['frames']:02d}"
            == scene.frame_rate.timecode(frame)
        )
        (transform,) = sample["transforms"]
        translation = transform["translation"]
        xyz = np.array([translation["x"], translation["y"], translation["z"]])
        assert np.max(np.abs(xyz - builders.camera_position(t))) <= 1e-9
        right, forward, up = camera_axes(transform["rotation"])
        expected = builders.camera_axes(t)
        assert np.max(np.abs(right - expected[:, 0])) <= 1e-9
        assert np.max(np.abs(up - expected[:, 1])) <= 1e-9
        assert np.max(np.abs(forward + expected[:, 2])) <= 1e-9
        lens = sample["lens"]
        assert lens["pinholeFocalLength"] == pytest.approx(builders.focal_mm(t, 3.0), abs=1e-9)
        assert lens["focusDistance"] == pytest.approx(builders.focus_m(t), abs=1e-9)
        assert lens["fStop"] == builders.F_STOP
    with_static = [i for i, s in enumerate(samples) if "static" in s]
    assert with_static == [0, 48]  # the first sample, then every 2 s (48 frames at 23.976)
    static = samples[0]["static"]
    assert static["camera"]["activeSensorPhysicalDimensions"] == {
        "width": builders.SENSOR_MM[0],
        "height": builders.SENSOR_MM[1],
    }
    assert static["camera"]["label"] == "CAM-A"
    assert len({s["sampleId"] for s in samples}) == len(samples)


@pytest.mark.parametrize(
    ("forward", "up", "expected"),
    [
        ([0.0, 1.0, 0.0], [0.0, 0.0, 1.0], (0.0, 0.0, 0.0)),  # along +Y, level: all zero
        ([1.0, 0.0, 0.0], [0.0, 0.0, 1.0], (-90.0, 0.0, 0.0)),  # toward the hatch
        ([-1.0, 0.0, 0.0], [0.0, 0.0, 1.0], (90.0, 0.0, 0.0)),
        ([0.0, 1.0, 1.0], [0.0, -1.0, 1.0], (0.0, 45.0, 0.0)),  # tilted up 45°
        ([0.0, 1.0, 0.0], [1.0, 0.0, 1.0], (0.0, 0.0, 45.0)),  # right side dipped 45°
    ],
)
def test_hand_cases_follow_the_published_convention(forward, up, expected, tmp_path):
    f = np.array(forward) / np.linalg.norm(forward)
    u = np.array(up) / np.linalg.norm(up)
    right = np.cross(f, u)
    scene = builders.make_scene()
    track = builders.make_track("CAM-A", scene)
    q = quat.from_matrix(np.column_stack([right, u, -f]))
    track.orientations = np.tile(q, (len(track.times), 1))
    sample = opentrackio_samples(track, scene.shots[0], scene.frame_rate)[0]
    rotation = sample["transforms"][0]["rotation"]
    got = (rotation["pan"], rotation["tilt"], rotation["roll"])
    assert got == pytest.approx(expected, abs=1e-9)


def test_track_json_offers_the_opentrackio_style(tmp_path):
    scene = builders.make_scene()
    track = builders.make_track("CAM-A", scene)
    path = tmp_path / "track.json"
    write_track_json(track, scene.shots[0], scene.frame_rate, path, style="opentrackio")
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["format"] == "see1-opentrackio-samples"
    assert len(document["samples"]) == 49
