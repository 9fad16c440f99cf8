"""Camera tracks over baked scenes, checked against geometry worked out independently."""

from __future__ import annotations

import math

import numpy as np
import pytest

from see1previs.cinema.framing import forward_of
from see1previs.cinema.tracks import CameraSetupError, evaluate_camera
from see1previs.core import quaternion as quat
from see1previs.core.scene import Scene
from see1previs.physics.bake import bake
from see1previs.station.loader import load_station
from tests.physics.scenes import sphere_prop


@pytest.fixture(scope="module")
def see1():
    return load_station("see1")


def scene_with(cameras, props=None, actors=None, duration=2.0, frame_rate=24) -> Scene:
    return Scene.model_validate(
        {
            "format": 2,
            "title": "camera test",
            "frame_rate": frame_rate,
            "duration": duration,
            "environment": {"air_drag": False},
            "props": props if props is not None else [sphere_prop("ball", (0.5, 0.3, -0.2))],
            "actors": [{"body": "placeholder", **actor} for actor in actors or []],
            "cameras": cameras,
        }
    )


def track_for(scene: Scene, station, camera_id: str = "A"):
    trajectory = bake(scene, station=station)
    camera = next(c for c in scene.cameras if c.id == camera_id)
    return evaluate_camera(camera, scene, station, trajectory), trajectory


def test_mounted_camera_sits_at_its_mount_and_looks_at_its_target(see1):
    scene = scene_with(
        [{"id": "A", "look_at": "ball", "rig": {"type": "fixed", "mount": "CAM-A"}}],
    )
    track, trajectory = track_for(scene, see1)
    mount = see1.fixture("CAM-A")
    expected = np.asarray(mount.position) + mount.rotation() @ np.array([0.0, 0.0, 0.15])
    assert np.allclose(track.positions, expected, atol=1e-12)
    to_ball = trajectory.positions[:, 0] - track.positions
    to_ball /= np.linalg.norm(to_ball, axis=1, keepdims=True)
    assert np.allclose(forward_of(track.rotations), to_ball, atol=1e-9)
    # Pan and tilt of the direction to the ball, worked out by hand.
    d = to_ball[0]
    pan, tilt, roll = track.pan_tilt_roll()[0]
    assert pan == pytest.approx(math.degrees(math.atan2(d[1], d[0])), abs=1e-7)
    assert tilt == pytest.approx(math.degrees(math.asin(d[2])), abs=1e-7)
    assert roll == pytest.approx(0.0, abs=1e-7)
    # Focus follows the look-at target when nothing else is set: distance along the axis.
    assert np.allclose(track.focus_m, np.linalg.norm(trajectory.positions[:, 0] - expected, axis=1))


def test_roll_is_measured_from_the_studio_level_horizon(see1):
    scene = scene_with(
        [{"id": "A", "look_at": "ball", "roll": 15.0, "rig": {"type": "fixed", "mount": "CAM-D"}}]
    )
    track, _ = track_for(scene, see1)
    assert np.allclose(track.pan_tilt_roll()[:, 2], 15.0, atol=1e-7)


def test_mounted_camera_without_target_looks_straight_out_of_the_wall(see1):
    scene = scene_with([{"id": "A", "rig": {"type": "fixed", "mount": "CAM-B"}}])
    track, _ = track_for(scene, see1)
    normal = see1.fixture("CAM-B").rotation()[:, 2]
    assert np.allclose(forward_of(track.rotations[0]), normal, atol=1e-12)


def test_handheld_camera_rides_with_a_drifting_spinning_operator(see1):
    actor = {
        "id": "op",
        "height": 1.7,
        "mass": 70,
        "pose": {"position": [-1.0, 0.0, 0.0]},
        "velocity": {"linear": [0.2, 0.05, 0.0], "angular": [0.0, 0.0, 0.4]},
    }
    offset = [0.35, 0.0, 0.45]
    scene = scene_with(
        [{"id": "A", "rig": {"type": "handheld", "operator": "op", "offset": offset}}],
        actors=[actor],
    )
    track, trajectory = track_for(scene, see1)
    b = trajectory.index("op")
    body = quat.to_matrix(trajectory.orientations[:, b])
    expected = trajectory.positions[:, b] + body @ np.array(offset)
    assert np.allclose(track.positions, expected, atol=1e-12)
    # The camera films where the operator faces (+X of the body) and turns with them.
    assert np.allclose(forward_of(track.rotations), body[:, :, 0], atol=1e-9)
    turned = math.degrees(quat.angle_between(track.orientations[0], track.orientations[-1]))
    assert turned == pytest.approx(math.degrees(0.4 * 2.0), abs=0.5)


def test_path_passes_through_its_keyframes_and_interpolates_the_lens(see1):
    keys = [
        {"time": 0.0, "position": [-1.0, -1.0, 0.0], "focal_length": 24, "focus_distance": 1.0},
        {"time": 1.0, "position": [0.0, -1.2, 0.3]},
        {"time": 2.0, "position": [1.0, -1.0, 0.0], "focal_length": 50, "focus_distance": 3.0},
    ]
    scene = scene_with(
        [{"id": "A", "look_at": {"point": [0, 0, 0]}, "rig": {"type": "path", "keyframes": keys}}],
        frame_rate=24,
    )
    track, _ = track_for(scene, see1)
    for key in keys:
        frame = round(key["time"] * 24)
        assert np.allclose(track.positions[frame], key["position"], atol=1e-12)
    # Focal length and focus: linear in time between the keyframes that set them.
    assert np.allclose(track.focal_mm, 24 + 26 * track.times / 2.0)
    assert np.allclose(track.focus_m, 1.0 + track.times)
    # Always aimed at the point.
    aim = -track.positions / np.linalg.norm(track.positions, axis=1, keepdims=True)
    assert np.allclose(forward_of(track.rotations), aim, atol=1e-9)
    # Smooth: no jumps in velocity at the middle keyframe.
    v = np.diff(track.positions, axis=0)
    assert np.max(np.linalg.norm(np.diff(v, axis=0), axis=1)) < 0.01


def test_two_keyframe_path_is_a_straight_line_at_constant_speed(see1):
    keys = [
        {"time": 0.0, "position": [-1.0, 0.5, 0.0], "orientation": [1, 0, 0, 0]},
        {"time": 2.0, "position": [1.0, 0.5, 0.4], "orientation": [1, 0, 0, 0]},
    ]
    scene = scene_with([{"id": "A", "rig": {"type": "path", "keyframes": keys}}])
    track, _ = track_for(scene, see1)
    expected = np.array([-1.0, 0.5, 0.0]) + np.outer(track.times / 2.0, [2.0, 0.0, 0.4])
    assert np.allclose(track.positions, expected, atol=1e-12)
    assert np.allclose(track.orientations, [1, 0, 0, 0], atol=1e-12)


def test_focus_target_is_distance_along_the_view_axis(see1):
    scene = scene_with(
        [
            {
                "id": "A",
                "look_at": {"point": [0.0, 0.0, 0.0]},
                "focus_target": "ball",
                "rig": {"type": "fixed", "position": [-1.5, 0.0, 0.0]},
            }
        ],
    )
    track, trajectory = track_for(scene, see1)
    along = (trajectory.positions[:, 0] - track.positions) @ np.array([1.0, 0.0, 0.0])
    assert np.allclose(track.focus_m, along)


def test_horizontal_fov_follows_the_sensor_and_focal_length(see1):
    scene = scene_with(
        [
            {
                "id": "A",
                "body": "arri-alexa-mini-lf",
                "lens": "arri-signature-zoom-24-75",
                "focal_length": 40,
                "rig": {"type": "fixed", "mount": "CAM-A"},
            }
        ]
    )
    track, _ = track_for(scene, see1)
    width = track.optics.sensor_width_mm
    assert track.horizontal_fov_deg[0] == pytest.approx(
        math.degrees(2 * math.atan(width / 80.0)), abs=1e-9
    )


@pytest.mark.parametrize(
    ("camera", "path", "words"),
    [
        ({"rig": {"type": "fixed", "mount": "CAM-Z"}}, "cameras[0].rig.mount", "CAM-"),
        (
            {"body": "arri-alexa-mini", "rig": {"type": "fixed", "mount": "CAM-A"}},
            "cameras[0].body",
            "arri-alexa-mini-lf",
        ),
        (
            {
                "lens": "arri-signature-zoom-24-75",
                "focal_length": 85,
                "rig": {"type": "fixed", "mount": "CAM-A"},
            },
            "cameras[0].focal_length",
            "24–75 mm",
        ),
        (
            {
                "lens": "arri-signature-prime-35",
                "focal_length": 40,
                "rig": {"type": "fixed", "mount": "CAM-A"},
            },
            "cameras[0].focal_length",
            "only 35 mm",
        ),
        (
            {"body": "custom", "rig": {"type": "fixed", "mount": "CAM-A"}},
            "cameras[0].sensor",
            "sensor",
        ),
        (
            {"mode": "anamorphic-9k", "rig": {"type": "fixed", "mount": "CAM-A"}},
            "cameras[0].mode",
            "anamorphic-9k",
        ),
        ({"rig": {"type": "fixed", "position": [0, 0, 0]}}, "cameras[0].rig", "look_at"),
    ],
)
def test_camera_setup_errors_name_the_field(see1, camera, path, words):
    scene = scene_with([{"id": "A", **camera}])
    with pytest.raises(CameraSetupError) as caught:
        track_for(scene, see1)
    (problem_path, message), *_ = caught.value.problems
    assert problem_path == path
    assert words in message
    assert "'A'" in message


def test_cameras_and_shots_referring_to_unknown_ids_are_scene_errors():
    from see1previs.core.scenefile import SceneFileError, scene_from_data

    data = scene_with([]).model_dump(mode="json")
    data["cameras"] = [
        {"id": "A", "look_at": "bal", "rig": {"type": "handheld", "operator": "nobody"}}
    ]
    data["shots"] = [{"id": "s1", "camera": "B", "start": 1.0, "end": 0.5}]
    with pytest.raises(SceneFileError) as caught:
        scene_from_data(data)
    text = str(caught.value)
    assert "shots[0]" in text and "in point must come before the out point" in text
    data["shots"] = [{"id": "s1", "camera": "B", "start": 0.0, "end": 9.0}]
    with pytest.raises(SceneFileError) as caught:
        scene_from_data(data)
    text = str(caught.value)
    assert "cameras[0].look_at" in text and "did you mean 'ball'" in text
    assert "cameras[0].rig.operator" in text
    assert "shots[0].camera" in text
    assert "shots[0].end" in text


def test_path_keyframe_look_at_hands_off_between_targets(see1):
    props = [sphere_prop("left", (0.0, 1.0, 0.0)), sphere_prop("right", (0.0, -1.0, 0.0))]
    keys = [
        {"time": 0.0, "position": [-2.0, 0.0, 0.0], "look_at": "left"},
        {"time": 2.0, "position": [-2.0, 0.0, 0.2], "look_at": "right"},
    ]
    scene = scene_with([{"id": "A", "rig": {"type": "path", "keyframes": keys}}], props=props)
    track, trajectory = track_for(scene, see1)
    u = track.times / 2.0
    aim = (1 - u)[:, None] * trajectory.positions[:, 0] + u[:, None] * trajectory.positions[:, 1]
    expected = aim - track.positions
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    assert np.allclose(forward_of(track.rotations), expected, atol=1e-9)
