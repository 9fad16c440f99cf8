"""Storyboard renders: the subject's pixels are where the camera model projects it."""

from __future__ import annotations

import numpy as np
import pytest

from see1previs.cinema.analysis import project
from see1previs.cinema.tracks import evaluate_camera
from see1previs.core.scene import Scene
from see1previs.physics.simulation import simulate
from see1previs.render.camera_view import CameraView
from see1previs.render.storyboard import render_storyboard, storyboard_frame_indices


def green_ball_scene(ball_at, look_at, body="arri-alexa-mini-lf", focal=35) -> Scene:
    return Scene.model_validate(
        {
            "format": 2,
            "duration": 1.0,
            "frame_rate": 24,
            "environment": {"air_drag": False},
            "props": [
                {
                    "id": "ball",
                    "shape": {"type": "sphere", "radius": 0.08},
                    "mass": 0.5,
                    "color": "#00ff00",
                    "pose": {"position": list(ball_at)},
                    "velocity": {"linear": [0.0, 0.1, 0.05]},
                }
            ],
            "cameras": [
                {
                    "id": "A",
                    "body": body,
                    "focal_length": focal,
                    "look_at": {"point": list(look_at)},
                    "rig": {"type": "fixed", "position": [-2.0, 0.0, 0.0]},
                }
            ],
            "shots": [{"id": "s1", "name": "1A", "camera": "A", "start": 0.0, "end": 1.0}],
        }
    )


def green_centroid(pixels: np.ndarray) -> tuple[float, float] | None:
    r, g, b = (pixels[..., i].astype(int) for i in range(3))
    mask = (g > 120) & (g > r + 60) & (g > b + 60)
    if mask.sum() < 10:
        return None
    rows, cols = np.nonzero(mask)
    return float(cols.mean()), float(rows.mean())


@pytest.mark.parametrize(
    ("ball_at", "look_at", "body"),
    [
        ((0.5, 0.0, 0.0), (0.5, 0.0, 0.0), "arri-alexa-mini-lf"),
        ((0.5, 0.35, 0.2), (0.5, 0.0, 0.0), "arri-alexa-mini-lf"),
        ((0.3, -0.4, -0.25), (0.6, 0.1, 0.1), "red-v-raptor-8k-vv"),
    ],
)
def test_subject_pixels_land_where_the_projection_says(ball_at, look_at, body):
    scene = green_ball_scene(ball_at, look_at, body)
    result = simulate(scene)
    track = evaluate_camera(scene.cameras[0], scene, result.station, result.trajectory)
    view = CameraView(result.world, width=640)
    try:
        for frame in (0, 12, 24):
            pixels = view.render(result.trajectory, track, frame)
            height, width = pixels.shape[:2]
            sensor = (track.optics.sensor_width_mm, track.optics.sensor_height_mm)
            assert width / height == pytest.approx(sensor[0] / sensor[1], abs=0.01)
            uv, _ = project(
                result.trajectory.positions[frame, 0][None],
                track.positions[frame],
                track.rotations[frame],
                track.focal_mm[frame],
                sensor,
            )
            expected = ((uv[0, 0] + 1) / 2 * width, (1 - uv[0, 1]) / 2 * height)
            found = green_centroid(pixels)
            assert found is not None, "the green ball must be visible"
            assert np.hypot(found[0] - expected[0], found[1] - expected[1]) < 3.0
    finally:
        view.close()


def test_storyboard_has_first_middle_last_with_burn_in():
    scene = green_ball_scene((0.5, 0.0, 0.0), (0.5, 0.0, 0.0))
    result = simulate(scene)
    track = evaluate_camera(scene.cameras[0], scene, result.station, result.trajectory)
    view = CameraView(result.world, width=480)
    try:
        frames = render_storyboard(view, scene, result.trajectory, track, scene.shots[0])
    finally:
        view.close()
    assert [f.position for f in frames] == ["first", "middle", "last"]
    assert [f.frame for f in frames] == storyboard_frame_indices(track, scene.shots[0])
    assert [f.frame for f in frames] == [0, 12, 24]
    assert frames[2].timecode == "00:00:01:00"
    image = np.asarray(frames[1].image)
    assert image.shape[1] == 480
    # Frame lines: the outermost pixels are the frame-line yellow.
    assert tuple(image[image.shape[0] // 2, 0]) == (255, 214, 0)
    # Burn-in bar: dark band at the bottom with white text in it.
    bar = image[-10:, :, :]
    assert bar.mean() < 90 and bar.max() > 200


def test_an_articulated_actor_is_drawn_in_the_pose_the_bake_recorded():
    # A green actor in the superman pose: arms stretched above the head. Drawn from the
    # pelvis alone (joints at zero) the hands would hang at the hips instead.
    scene = Scene.model_validate(
        {
            "format": 2,
            "duration": 0.5,
            "environment": {"air_drag": False},
            "actors": [
                {"id": "ana", "height": 1.7, "mass": 65, "color": "#00ff00",
                 "posture": "superman", "pose": {"position": [0.8, 0.0, -0.4]}}
            ],
            "cameras": [
                {"id": "A", "focal_length": 24, "look_at": {"point": [0.8, 0.0, 0.3]},
                 "rig": {"type": "fixed", "position": [-1.6, 0.0, 0.3]}}
            ],
            "shots": [{"id": "s1", "camera": "A", "start": 0.0, "end": 0.5}],
        }
    )  # fmt: skip
    result = simulate(scene)
    track = evaluate_camera(scene.cameras[0], scene, result.station, result.trajectory)
    view = CameraView(result.world, width=640)
    try:
        pixels = view.render(result.trajectory, track, 6)
    finally:
        view.close()
    height, width = pixels.shape[:2]
    sensor = (track.optics.sensor_width_mm, track.optics.sensor_height_mm)
    trajectory = result.trajectory
    for link in ("ana/left_hand", "ana/right_hand", "ana/head"):
        position = trajectory.link_pose(link, trajectory.times[6])[0]
        uv, _ = project(
            position[None], track.positions[6], track.rotations[6], track.focal_mm[6], sensor
        )
        col = int((uv[0, 0] + 1) / 2 * width)
        row = int((1 - uv[0, 1]) / 2 * height)
        patch = pixels[max(0, row - 4) : row + 5, max(0, col - 4) : col + 5]
        assert green_centroid(patch.repeat(2, 0).repeat(2, 1)) is not None, link
