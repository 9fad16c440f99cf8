"""Shot analysis: projection, framing size, movement class and warnings."""

from __future__ import annotations

import math

import numpy as np
import pytest

from see1previs.cinema.analysis import analyse_shot, classify_movement, project
from see1previs.cinema.framing import aim
from see1previs.cinema.tracks import evaluate_camera
from see1previs.core.scene import Scene
from see1previs.physics.bake import bake
from see1previs.station.loader import load_station
from tests.physics.scenes import sphere_prop

SENSOR = (36.0, 24.0)


@pytest.fixture(scope="module")
def see1():
    return load_station("see1")


def analysed(see1, cameras, props=(), actors=(), shot_camera="A", duration=1.0, extra_shots=()):
    scene = Scene.model_validate(
        {
            "format": 2,
            "duration": duration,
            "frame_rate": 12,
            "environment": {"air_drag": False},
            "props": list(props),
            "actors": [{"body": "placeholder", **actor} for actor in actors],
            "cameras": cameras,
            "shots": [
                {"id": "s1", "camera": shot_camera, "start": 0.0, "end": duration},
                *extra_shots,
            ],
        }
    )
    trajectory = bake(scene, station=see1)
    tracks = {c.id: evaluate_camera(c, scene, see1, trajectory) for c in scene.cameras}
    return analyse_shot(scene.shots[0], scene, see1, trajectory, tracks)


def test_projection_matches_the_field_of_view():
    rotation = aim([1.0, 0.0, 0.0])
    focal = 36.0  # hFOV = 2 atan(18/36)
    half = math.atan(18.0 / 36.0)
    d = 2.0
    edge = np.array([[d, -d * math.tan(half), 0.0]])  # camera right is -Y looking along +X
    uv, depth = project(edge, np.zeros(3), rotation, focal, SENSOR)
    assert depth[0] == pytest.approx(d)
    assert uv[0] == pytest.approx([1.0, 0.0])
    centre, _ = project(np.array([[5.0, 0.0, 0.0]]), np.zeros(3), rotation, focal, SENSOR)
    assert centre[0] == pytest.approx([0.0, 0.0])
    _, behind = project(np.array([[-1.0, 0.0, 0.0]]), np.zeros(3), rotation, focal, SENSOR)
    assert behind[0] < 0


def actor(actor_id, position, height=1.75):
    return {"id": actor_id, "height": height, "mass": 70, "pose": {"position": position}}


def fixed(camera_id, position, look_at, focal=35, **extra):
    return {
        "id": camera_id,
        "focal_length": focal,
        "look_at": look_at,
        "rig": {"type": "fixed", "position": position},
        **extra,
    }


def test_framing_size_grows_as_the_camera_moves_in(see1):
    person = actor("ana", [0.0, 0.0, 0.0])
    wide = analysed(see1, [fixed("A", [-2.6, 0.0, 0.0], "ana", focal=18)], actors=[person])
    close = analysed(see1, [fixed("A", [-0.6, 0.0, 0.0], "ana", focal=85)], actors=[person])
    sizes = ["ECU", "CU", "MCU", "MS", "MWS", "WS", "EWS"]
    assert wide.primary == "ana" and close.primary == "ana"
    assert sizes.index(wide.framing) > sizes.index(close.framing)
    assert wide.framing in ("WS", "MWS")
    assert close.framing in ("ECU", "CU")


def test_a_body_behind_another_is_not_in_frame(see1):
    props = [sphere_prop("ball", (1.0, 0.0, 0.0), radius=0.05)]
    blocker = actor("ana", [0.0, 0.0, 0.0])
    result = analysed(
        see1, [fixed("A", [-1.5, 0.0, 0.0], {"point": [1, 0, 0]})], props=props, actors=[blocker]
    )
    assert result.in_frame["ana"].all()
    assert not result.in_frame["ball"].any()
    clear = analysed(see1, [fixed("A", [-1.5, 0.0, 0.0], {"point": [1, 0, 0]})], props=props)
    assert clear.in_frame["ball"].all()


def test_another_camera_in_frame_while_it_rolls_is_a_warning(see1):
    cameras = [
        fixed("A", [-1.5, 0.0, 0.0], {"point": [1.0, 0.0, 0.0]}),
        fixed("B", [1.0, 0.2, 0.0], {"point": [0.0, 2.0, 0.0]}),
    ]
    idle = analysed(see1, cameras)
    assert "camera_in_frame" not in [w.kind for w in idle.warnings]
    rolling = analysed(
        see1, cameras, extra_shots=[{"id": "s2", "camera": "B", "start": 0.5, "end": 1.0}]
    )
    warnings = [w for w in rolling.warnings if w.kind == "camera_in_frame"]
    assert len(warnings) == 1 and "'B'" in warnings[0].message
    assert warnings[0].start == pytest.approx(0.5)
    assert warnings[0].end == pytest.approx(1.0)


def test_camera_close_to_a_head_and_inside_the_wall_are_warnings(see1):
    person = actor("ana", [0.0, 0.0, 0.0])
    head = [0.0, 0.0, 0.875 - 0.11]
    near = analysed(see1, [fixed("A", [0.25, 0.0, head[2]], {"point": head})], actors=[person])
    assert any(w.kind == "near_head" for w in near.warnings)
    outside = analysed(see1, [fixed("A", [0.0, 0.0, 3.3], {"point": [0, 0, 0]})])
    assert any(w.kind == "in_wall" for w in outside.warnings)


def test_subject_out_of_focus_is_a_warning(see1):
    person = actor("ana", [0.0, 0.0, 0.0])
    soft = analysed(
        see1,
        [fixed("A", [-2.0, 0.0, 0.0], "ana", focal=85, f_stop=1.4, focus_distance=0.6)],
        actors=[person],
    )
    sharp = analysed(see1, [fixed("A", [-2.0, 0.0, 0.0], "ana", focal=85)], actors=[person])
    assert soft.primary == "ana"
    assert "out_of_focus" in [w.kind for w in soft.warnings]
    assert "out_of_focus" not in [w.kind for w in sharp.warnings]


def rotations_about_z(angles_deg):
    return np.array(
        [aim([math.cos(math.radians(a)), math.sin(math.radians(a)), 0.0]) for a in angles_deg]
    )


def test_movement_classes_from_synthetic_camera_paths():
    n = 25
    still = np.zeros((n, 3))
    level = rotations_about_z(np.zeros(n))
    assert classify_movement(still, level) == "static"
    assert classify_movement(still, rotations_about_z(np.linspace(0, 30, n))) == "pan"
    tilt = np.array(
        [
            aim([math.cos(math.radians(a)), 0, math.sin(math.radians(a))])
            for a in np.linspace(0, 25, n)
        ]
    )
    assert classify_movement(still, tilt) == "tilt"
    roll = np.array([aim([1, 0, 0], roll_deg=r) for r in np.linspace(0, 20, n)])
    assert classify_movement(still, roll) == "roll"
    forward = np.outer(np.linspace(0, 1, n), [1.0, 0.0, 0.0])
    assert classify_movement(forward, level) == "push in"
    assert classify_movement(-forward, level) == "pull out"
    assert classify_movement(np.outer(np.linspace(0, 1, n), [0, 1.0, 0]), level) == "truck"
    assert classify_movement(np.outer(np.linspace(0, 1, n), [0, 0, 1.0]), level) == "pedestal"
    angles = np.linspace(0, 90, n)
    circle = np.array(
        [[-2 * math.cos(math.radians(a)), -2 * math.sin(math.radians(a)), 0] for a in angles]
    )
    looking_in = np.array([aim(-p) for p in circle])
    assert classify_movement(circle, looking_in, subject=np.zeros((n, 3))) == "orbit"
    rng = np.random.default_rng(1)
    wander = np.cumsum(rng.normal(scale=0.05, size=(n, 3)), axis=0)
    tumble = np.array([aim(rng.normal(size=3)) for _ in range(n)])
    assert classify_movement(wander, tumble) == "float"
