"""Baking a scene into a Trajectory: determinism, frames, cues, lookup, files, cancellation.

Each check compares the bake with an answer worked out here without the physics engine:
exact rational frame times, momentum and angular-momentum balance of an impulse, straight-line
motion of a free body, a slerp written out from its definition, a NumPy archive read back with
plain ``numpy.load``, and the straight-line time for a thrown ball to reach the wall.
"""

from __future__ import annotations

import itertools
import json
import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import trimesh

from see1previs.core.scene import Scene
from see1previs.physics.bake import BakeCancelled, bake
from see1previs.physics.trajectory import Trajectory
from see1previs.station import load_station
from tests.conftest import ASSETS
from tests.physics.scenes import CLEAR_WALL_DIRECTION, box_prop, make_scene, sphere_prop

CLEAR_DIRECTION = np.array(CLEAR_WALL_DIRECTION)
HULL_RADIUS = 3.0  # m, SEE-1 is a ~6 m inner-diameter sphere


def impulse_cue(cue_id: str, time: float, target: str, impulse, point=(0.0, 0.0, 0.0)) -> dict:
    return {
        "type": "impulse",
        "id": cue_id,
        "time": time,
        "target": target,
        "impulse": list(impulse),
        "point": list(point),
    }


def spin_cue(cue_id: str, time: float, target: str, angular_velocity) -> dict:
    return {
        "type": "spin",
        "id": cue_id,
        "time": time,
        "target": target,
        "angular_velocity": list(angular_velocity),
    }


def frame_of(traj: Trajectory, t: float) -> int:
    """Index of the frame recorded at exactly time t."""
    (hits,) = np.nonzero(traj.times == t)
    assert len(hits) == 1, f"no frame at exactly {t} s"
    return int(hits[0])


# ---- determinism -------------------------------------------------------------------------


def busy_scene_data() -> dict:
    """Props that hit each other and the wall, with air drag, ventilation and a cue."""
    return {
        "format": 2,
        "title": "determinism",
        "frame_rate": 24,
        "duration": 2.0,
        "environment": {"air_drag": True, "ventilation": [0.0, 0.1, 0.0]},
        "props": [
            sphere_prop("a", (-1.2, 0.0, 0.0), (1.6, 0.0, 0.0), angular=(0.0, 0.0, 2.0)),
            sphere_prop("b", (0.2, 0.06, 0.02), (-0.6, 0.0, 0.0), radius=0.12, mass=2.0),
            box_prop(
                "c",
                position=tuple(1.6 * CLEAR_DIRECTION),
                velocity=tuple(2.5 * CLEAR_DIRECTION),
                angular=(1.0, -2.0, 0.5),
            ),
        ],
        "cues": [impulse_cue("kick", 0.3, "b", (0.1, 0.3, -0.05), point=(0.0, 0.05, 0.0))],
    }


def test_two_bakes_of_the_same_scene_are_bit_identical():
    data = busy_scene_data()
    first = bake(Scene.model_validate(data))
    second = bake(Scene.model_validate(data))

    # The scene really exercises contacts between bodies and with the interior.
    pairs = {(str(c["body_a"]), str(c["body_b"])) for c in first.contacts}
    assert ("a", "b") in pairs
    assert any(a == "c" and b.startswith("station") for a, b in pairs)

    assert first.content_hash() == second.content_hash()
    for name in (
        "times",
        "positions",
        "orientations",
        "linear_velocities",
        "angular_velocities",
        "contacts",
    ):
        assert np.array_equal(getattr(first, name), getattr(second, name)), name
    assert first.body_ids == second.body_ids == ["a", "b", "c"]


def test_content_hash_changes_with_the_motion():
    data = busy_scene_data()
    reference = bake(Scene.model_validate(data))
    data["props"][0]["velocity"]["linear"] = [1.6, 0.0, 1e-6]
    nudged = bake(Scene.model_validate(data))
    assert reference.content_hash() != nudged.content_hash()


# ---- frames ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frame_rate", "fps", "duration", "duration_exact"),
    [
        (24, Fraction(24), 2.0, Fraction(2)),
        (25, Fraction(25), 0.5, Fraction(1, 2)),
        (30, Fraction(30), 0.7, Fraction(7, 10)),
        ("24000/1001", Fraction(24000, 1001), 1.0, Fraction(1)),
        (23.976, Fraction(24000, 1001), 2.0, Fraction(2)),
        # 48 frames at 23.976 last exactly 2.002 s: the last frame lands on the end.
        (23.976, Fraction(24000, 1001), 2.002, Fraction(2002, 1000)),
        (29.97, Fraction(30000, 1001), 0.5, Fraction(1, 2)),
    ],
)
def test_frame_count_and_times_are_exact(frame_rate, fps, duration, duration_exact):
    scene = make_scene([sphere_prop("ball")], duration=duration, frame_rate=frame_rate)
    traj = bake(scene)
    expected_count = math.floor(duration_exact * fps) + 1
    assert traj.frame_count == expected_count
    assert traj.positions.shape == (expected_count, 1, 3)
    assert traj.orientations.shape == (expected_count, 1, 4)
    assert traj.linear_velocities.shape == (expected_count, 1, 3)
    assert traj.angular_velocities.shape == (expected_count, 1, 3)
    assert traj.frame_rate == fps
    for k, t in enumerate(traj.times):
        # k / fps rounded once to the nearest double: no accumulated drift over the scene.
        assert t == float(Fraction(k) / fps), f"frame {k}"
    if fps == Fraction(24000, 1001):
        assert all(t == k * 1001 / 24000 for k, t in enumerate(traj.times))


# ---- cues against analytic momentum ------------------------------------------------------


def test_impulse_at_the_centre_changes_velocity_by_j_over_m_and_not_spin():
    mass, J = 1.7, np.array([0.12, -0.05, 0.2])
    omega0 = np.array([0.3, -0.2, 1.1])
    v0 = np.array([0.05, 0.02, -0.01])
    scene = make_scene(
        [sphere_prop("ball", velocity=v0, angular=omega0, mass=mass, radius=0.1)],
        duration=1.0,
        cues=[impulse_cue("push", 0.5, "ball", J)],
    )
    traj = bake(scene)
    cue = frame_of(traj, 0.5)
    before, after = traj.linear_velocities[:cue, 0], traj.linear_velocities[cue:, 0]
    np.testing.assert_allclose(before, np.broadcast_to(v0, before.shape), rtol=0, atol=1e-9)
    np.testing.assert_allclose(
        after, np.broadcast_to(v0 + J / mass, after.shape), rtol=0, atol=1e-9
    )
    np.testing.assert_allclose(
        traj.angular_velocities[:, 0], np.broadcast_to(omega0, (traj.frame_count, 3)), atol=1e-9
    )


def test_off_centre_impulse_on_a_sphere_spins_it_by_inverse_inertia_times_torque():
    mass, radius = 0.8, 0.15
    J = np.array([0.0, 0.06, 0.02])
    r = np.array([radius, 0.0, 0.0])  # on the surface, body frame = module frame at rest
    scene = make_scene(
        [sphere_prop("ball", mass=mass, radius=radius)],
        duration=1.0,
        cues=[impulse_cue("flick", 0.25, "ball", J, point=r)],
    )
    traj = bake(scene)
    cue = frame_of(traj, 0.25)
    inertia = 0.4 * mass * radius**2
    expected_omega = np.cross(r, J) / inertia
    # From the cue on, a sphere spins at I⁻¹(r×J) (constant: no torque) and moves at J/m.
    np.testing.assert_allclose(
        traj.angular_velocities[cue:, 0],
        np.broadcast_to(expected_omega, traj.angular_velocities[cue:, 0].shape),
        atol=1e-9,
    )
    np.testing.assert_allclose(
        traj.linear_velocities[cue:, 0],
        np.broadcast_to(J / mass, (traj.frame_count - cue, 3)),
        atol=1e-9,
    )


def test_off_centre_impulse_on_a_box_uses_the_box_inertia():
    a, b, c = 0.4, 0.25, 0.1
    mass = 2.0
    J = np.array([0.05, -0.08, 0.15])
    r = np.array([0.5 * a, -0.5 * b, 0.02])  # on the +x face, body axes = module axes
    scene = make_scene(
        [box_prop("crate", size=(a, b, c), mass=mass)],
        duration=1.0,
        cues=[impulse_cue("shove", 0.5, "crate", J, point=r)],
    )
    traj = bake(scene)
    cue = frame_of(traj, 0.5)
    np.testing.assert_allclose(traj.orientations[cue, 0], [1.0, 0.0, 0.0, 0.0], atol=1e-12)
    inertia = mass / 12.0 * np.diag([b * b + c * c, a * a + c * c, a * a + b * b])
    expected_omega = np.linalg.solve(inertia, np.cross(r, J))
    np.testing.assert_allclose(traj.angular_velocities[cue, 0], expected_omega, atol=1e-9)
    np.testing.assert_allclose(traj.linear_velocities[cue, 0], J / mass, atol=1e-9)
    np.testing.assert_allclose(traj.angular_velocities[:cue, 0], 0.0, atol=1e-12)

    # Torque-free afterwards: the angular momentum I_world·ω stays what the impulse gave.
    rotation = _matrices(traj.orientations[cue:, 0])
    inertia_world = rotation @ inertia @ np.swapaxes(rotation, 1, 2)
    momentum = np.einsum("fij,fj->fi", inertia_world, traj.angular_velocities[cue:, 0])
    np.testing.assert_allclose(momentum, np.broadcast_to(np.cross(r, J), momentum.shape), atol=1e-6)


def test_impulse_on_a_mesh_prop_acts_about_its_centre_of_mass():
    """Pushing a T-handle at its origin (not its centre of mass) also makes it turn."""
    mesh_file = ASSETS / "props" / "t-handle.obj"
    mesh = trimesh.load(mesh_file, force="mesh")
    mass = 0.3
    com = np.asarray(mesh.center_mass)
    inertia = np.asarray(mesh.moment_inertia) * (mass / mesh.mass)  # about the COM
    assert np.linalg.norm(com) > 0.01, "the origin must be off the centre of mass"
    J = np.array([0.04, 0.0, 0.03])
    prop = {
        "id": "wrench",
        "shape": {"type": "mesh", "file": str(mesh_file)},
        "mass": mass,
        "pose": {"position": [0.2, 0.1, 0.0]},
    }
    scene = make_scene([prop], duration=0.5, cues=[impulse_cue("tap", 0.25, "wrench", J)])
    traj = bake(scene)
    cue = frame_of(traj, 0.25)
    expected_omega = np.linalg.solve(inertia, np.cross(-com, J))
    np.testing.assert_allclose(traj.angular_velocities[cue, 0], expected_omega, atol=1e-6)
    np.testing.assert_allclose(traj.linear_velocities[cue, 0], J / mass, atol=1e-9)


def test_spin_cue_sets_angular_velocity_and_keeps_linear_velocity():
    v0 = np.array([0.1, -0.04, 0.02])
    requested = np.array([0.5, 3.0, -1.0])
    scene = make_scene(
        [box_prop("slate", velocity=v0, angular=(0.3, 0.0, 0.2))],
        duration=1.0,
        cues=[spin_cue("flip", 0.5, "slate", requested)],
    )
    traj = bake(scene)
    cue = frame_of(traj, 0.5)
    # The slate is tumbling by then, so its axes no longer match the module's.
    assert abs(traj.orientations[cue, 0, 0]) < 0.999
    np.testing.assert_allclose(traj.angular_velocities[cue, 0], requested, atol=1e-9)
    np.testing.assert_allclose(
        traj.linear_velocities[:, 0], np.broadcast_to(v0, (traj.frame_count, 3)), atol=1e-9
    )


def test_spin_cue_on_a_mesh_prop_keeps_its_centre_of_mass_velocity():
    mesh_file = ASSETS / "props" / "t-handle.obj"
    v0 = np.array([0.0, 0.08, -0.05])
    requested = np.array([0.0, 0.0, 4.0])
    prop = {
        "id": "wrench",
        "shape": {"type": "mesh", "file": str(mesh_file)},
        "mass": 0.3,
        "velocity": {"linear": list(v0)},
    }
    scene = make_scene([prop], duration=0.5, cues=[spin_cue("twirl", 0.25, "wrench", requested)])
    traj = bake(scene)
    cue = frame_of(traj, 0.25)
    np.testing.assert_allclose(traj.angular_velocities[cue, 0], requested, atol=1e-9)
    np.testing.assert_allclose(traj.linear_velocities[cue, 0], v0, atol=1e-9)


def test_cue_between_frames_and_steps_acts_at_its_exact_time():
    mass = 1.3
    p0 = np.array([-0.4, 0.3, 0.1])
    v0 = np.array([0.2, -0.1, 0.05])
    J = np.array([-0.3, 0.2, 0.4])
    t_cue = 0.4137  # neither a frame (1/24 s) nor a physics step (2 ms) boundary
    scene = make_scene(
        [sphere_prop("ball", p0, v0, mass=mass)],
        duration=1.0,
        cues=[impulse_cue("hit", t_cue, "ball", J)],
    )
    traj = bake(scene)
    t = traj.times
    expected = np.where(
        (t <= t_cue)[:, None],
        p0 + np.outer(t, v0),
        p0 + v0 * t_cue + np.outer(t - t_cue, v0 + J / mass),
    )
    np.testing.assert_allclose(traj.positions[:, 0], expected, rtol=0, atol=1e-9)
    after = t > t_cue
    np.testing.assert_allclose(
        traj.linear_velocities[after, 0],
        np.broadcast_to(v0 + J / mass, (int(after.sum()), 3)),
        atol=1e-9,
    )


def test_cues_at_the_same_time_both_act():
    J1, J2 = np.array([0.1, 0.0, 0.0]), np.array([0.0, -0.2, 0.05])
    scene = make_scene(
        [sphere_prop("ball", mass=2.0)],
        duration=0.5,
        cues=[impulse_cue("one", 0.2, "ball", J1), impulse_cue("two", 0.2, "ball", J2)],
    )
    traj = bake(scene)
    np.testing.assert_allclose(traj.linear_velocities[-1, 0], (J1 + J2) / 2.0, atol=1e-9)


# ---- trajectory lookup -------------------------------------------------------------------


def _matrices(q: np.ndarray) -> np.ndarray:
    """Rotation matrices of (w, x, y, z) quaternions, written out from the definition."""
    w, x, y, z = np.moveaxis(q / np.linalg.norm(q, axis=-1, keepdims=True), -1, 0)
    return np.stack(
        [
            np.stack([1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)], -1),
            np.stack([2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)], -1),
            np.stack([2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)], -1),
        ],
        axis=-2,
    )


def reference_slerp(q0: np.ndarray, q1: np.ndarray, u: float) -> np.ndarray:
    """Shoemake's slerp along the shorter arc, from its definition."""
    dot = float(np.dot(q0, q1))
    if dot < 0.0:
        q1, dot = -q1, -dot
    theta = math.acos(min(1.0, dot))
    if theta < 1e-12:
        return q0.copy()
    return (math.sin((1 - u) * theta) * q0 + math.sin(u * theta) * q1) / math.sin(theta)


def same_rotation(a: np.ndarray, b: np.ndarray, atol: float) -> bool:
    """q and -q are the same rotation."""
    return bool(np.allclose(a, b, atol=atol) or np.allclose(a, -b, atol=atol))


@pytest.fixture(scope="module")
def spinning() -> Trajectory:
    """Three bodies moving and turning fast enough that frames differ by several degrees."""
    scene = make_scene(
        [
            sphere_prop("spinner", (-0.5, 0.0, 0.0), (0.1, 0.2, 0.0), angular=(0.0, 0.0, 6.0)),
            box_prop("tumbler", position=(0.6, 0.0, 0.0), angular=(3.0, 4.0, -2.0)),
            sphere_prop("drifter", (0.0, 1.0, 0.5), (0.0, -0.1, 0.05)),
        ],
        duration=1.0,
        frame_rate=24,
    )
    return bake(scene)


def test_sample_at_frame_times_returns_the_frames(spinning: Trajectory):
    for k, t in enumerate(spinning.times):
        positions, orientations = spinning.sample(t)
        assert np.array_equal(positions, spinning.positions[k])
        assert np.array_equal(orientations, spinning.orientations[k])


@pytest.mark.parametrize("u", [0.1, 0.37, 0.5, 0.83])
def test_sample_between_frames_lerps_positions_and_slerps_orientations(
    spinning: Trajectory, u: float
):
    for k in (0, 5, 11, spinning.frame_count - 2):
        t0, t1 = spinning.times[k], spinning.times[k + 1]
        t = t0 + u * (t1 - t0)
        positions, orientations = spinning.sample(t)
        expected_positions = (1 - u) * spinning.positions[k] + u * spinning.positions[k + 1]
        np.testing.assert_allclose(positions, expected_positions, rtol=0, atol=1e-12)
        for b in range(len(spinning.body_ids)):
            q0, q1 = spinning.orientations[k, b], spinning.orientations[k + 1, b]
            expected = reference_slerp(q0, q1, u)
            assert same_rotation(orientations[b], expected, atol=1e-9), (k, b)
            assert abs(np.linalg.norm(orientations[b]) - 1.0) < 1e-12


def test_sample_follows_a_constant_spin_between_frames(spinning: Trajectory):
    """A sphere spinning at 6 rad/s about z has turned by exactly 6·t at any time t."""
    b = spinning.index("spinner")
    for t in (0.013, 0.2501, 0.61, 0.9999):
        _, orientations = spinning.sample(t)
        half = 0.5 * 6.0 * t
        expected = np.array([math.cos(half), 0.0, 0.0, math.sin(half)])
        assert same_rotation(orientations[b], expected, atol=1e-6), t


def test_sample_clamps_outside_the_baked_range(spinning: Trajectory):
    for t in (-5.0, -1e-9, 0.0):
        positions, orientations = spinning.sample(t)
        assert np.array_equal(positions, spinning.positions[0])
        assert np.array_equal(orientations, spinning.orientations[0])
    for t in (spinning.duration, spinning.duration + 1e-9, 100.0):
        positions, orientations = spinning.sample(t)
        assert np.array_equal(positions, spinning.positions[-1])
        assert np.array_equal(orientations, spinning.orientations[-1])


def test_pose_and_velocity_of_one_body_match_sample(spinning: Trajectory):
    times = [-1.0, 0.0, 0.02, spinning.times[7], 0.4444, 0.999, 2.0]
    for body_id in spinning.body_ids:
        b = spinning.index(body_id)
        for t in times:
            positions, orientations = spinning.sample(t)
            position, orientation = spinning.pose(body_id, t)
            np.testing.assert_allclose(position, positions[b], rtol=0, atol=1e-15)
            assert same_rotation(orientation, orientations[b], atol=1e-15)

            linear, angular = spinning.velocity(body_id, t)
            clamped = min(max(t, 0.0), spinning.duration)
            k = min(math.floor(clamped * 24), spinning.frame_count - 2)
            u = (clamped - spinning.times[k]) / (spinning.times[k + 1] - spinning.times[k])
            for got, recorded in (
                (linear, spinning.linear_velocities),
                (angular, spinning.angular_velocities),
            ):
                expected = (1 - u) * recorded[k, b] + u * recorded[k + 1, b]
                np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)


def test_unknown_body_is_a_key_error_naming_it(spinning: Trajectory):
    with pytest.raises(KeyError, match="nobody"):
        spinning.pose("nobody", 0.5)


# ---- npz files ---------------------------------------------------------------------------


def test_npz_round_trip_and_independent_reader(tmp_path: Path):
    data = busy_scene_data()
    data["frame_rate"] = 23.976
    data["duration"] = 1.5
    traj = bake(Scene.model_validate(data))
    assert len(traj.contacts) > 0
    path = tmp_path / "out" / "shot.npz"
    traj.save_npz(path)

    loaded = Trajectory.load_npz(path)
    assert loaded.body_ids == traj.body_ids
    assert loaded.frame_rate == Fraction(24000, 1001)
    assert isinstance(loaded.frame_rate, Fraction)
    for name in (
        "times",
        "positions",
        "orientations",
        "linear_velocities",
        "angular_velocities",
        "contacts",
    ):
        assert np.array_equal(getattr(loaded, name), getattr(traj, name)), name
    assert loaded.content_hash() == traj.content_hash()
    assert loaded.metadata["title"] == "determinism"

    # Any NumPy reader can open it without executing pickled code.
    with np.load(path, allow_pickle=False) as archive:
        assert [str(b) for b in archive["body_ids"]] == ["a", "b", "c"]
        assert archive["positions"].shape == (traj.frame_count, 3, 3)
        assert archive["orientations"].shape == (traj.frame_count, 3, 4)
        np.testing.assert_array_equal(archive["times"], traj.times)
        np.testing.assert_array_equal(archive["positions"], traj.positions)
        units = json.loads(str(archive["units"]))
        metadata = json.loads(str(archive["metadata"]))
        contacts = archive["contacts"]
        assert set(contacts.dtype.names) >= {"start", "end", "body_a", "body_b", "impulse"}
        assert len(contacts) == len(traj.contacts)
    assert units["times"] == "s"
    assert units["positions"].split(",")[0].strip() == "m"
    assert "(w, x, y, z)" in units["orientations"]
    assert units["linear_velocities"].startswith("m/s")
    assert units["angular_velocities"].startswith("rad/s")
    assert Fraction(metadata["frame_rate"]) == Fraction(24000, 1001)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["shot.npz"], "only the file"


# ---- cancellation and progress -----------------------------------------------------------


def test_should_cancel_stops_the_bake():
    scene = make_scene([sphere_prop("ball", velocity=(0.1, 0.0, 0.0))], duration=2.0)
    calls = 0
    stop_after = 10

    def should_cancel() -> bool:
        nonlocal calls
        calls += 1
        return calls > stop_after

    with pytest.raises(BakeCancelled, match="cancelled"):
        bake(scene, should_cancel=should_cancel)
    assert calls == stop_after + 1, "the bake stops at the first request"


def test_progress_is_monotonic_and_ends_at_one():
    scene = make_scene([sphere_prop("ball", velocity=(0.1, 0.0, 0.0))], duration=2.0)
    values: list[float] = []
    bake(scene, progress=values.append, should_cancel=lambda: False)
    assert len(values) >= 2
    assert all(0.0 < v <= 1.0 for v in values)
    assert all(b >= a for a, b in itertools.pairwise(values))
    assert values[-1] == 1.0


# ---- contact events ----------------------------------------------------------------------

# Launch speeds spread so that contact begins at different points within a physics step.
SWEEP_SPEEDS = (1.5, 1.625, 1.75, 1.875, 2.0, 2.125, 2.25)


def throw_at_the_wall(speed: float = 2.0) -> tuple[Trajectory, np.ndarray, float]:
    """A 0.6 kg ball thrown from the centre straight at bare wall."""
    station = load_station("see1")
    wall_point = HULL_RADIUS * CLEAR_DIRECTION
    nearest_fixture = min(
        np.linalg.norm(np.array(f.position) - wall_point) for f in station.fixtures
    )
    assert nearest_fixture > 1.0, "the throw must hit bare wall"
    launch = speed * CLEAR_DIRECTION
    ball = sphere_prop("ball", (0.0, 0.0, 0.0), launch, radius=0.1, mass=0.6)
    duration = HULL_RADIUS / speed + 0.7  # the bounce and a little of the way back
    return bake(make_scene([ball], duration=duration, frame_rate=24)), launch, 0.6


def momentum_change_across(traj: Trajectory, body_id: str, event, mass: float) -> np.ndarray:
    """m·(v after − v before) from the recorded velocities two frames either side."""
    frame = 1.0 / float(traj.frame_rate)
    before = traj.velocity(body_id, max(0.0, float(event["start"]) - 2 * frame))[0]
    after = traj.velocity(body_id, float(event["end"]) + 2 * frame)[0]
    return mass * (after - before)


@pytest.fixture(scope="module")
def wall_throw() -> tuple[Trajectory, np.ndarray, float]:
    return throw_at_the_wall()


def test_a_ball_thrown_at_the_wall_gives_one_contact_episode(wall_throw):
    traj, launch, _mass = wall_throw
    speed, radius = float(np.linalg.norm(launch)), 0.1

    assert len(traj.contacts) == 1
    event = traj.contacts[0]
    assert str(event["body_a"]) == "ball"
    assert str(event["body_b"]).startswith("station")
    assert str(event["body_b"]) == "station", "bare wall, not a fixture"

    frame = 1.0 / 24.0
    t_hit = (HULL_RADIUS - radius) / speed  # straight line, no air
    assert abs(event["start"] - t_hit) < 2 * frame
    assert event["start"] <= event["end"] < event["start"] + 0.2
    assert event["peak_force"] > 0
    assert event["impulse_magnitude"] == pytest.approx(np.linalg.norm(event["impulse"]))
    # It touched the wall where the line meets it, and came back off it.
    assert np.linalg.norm(event["position"] - HULL_RADIUS * CLEAR_DIRECTION) < 0.1
    assert np.dot(traj.linear_velocities[-1, 0], CLEAR_DIRECTION) < -0.5
    before = traj.velocity("ball", float(event["start"]) - 2 * frame)[0]
    np.testing.assert_allclose(before, launch, atol=1e-9)


def test_wall_contact_impulse_is_the_balls_momentum_change(wall_throw):
    traj, _launch, mass = wall_throw
    (event,) = traj.contacts
    delta_p = momentum_change_across(traj, "ball", event, mass)
    assert np.dot(delta_p, CLEAR_DIRECTION) < 0
    assert np.linalg.norm(event["impulse"] - delta_p) < 0.05 * np.linalg.norm(delta_p)


@pytest.mark.parametrize("restitution", [0.0, 0.9])
def test_flat_box_collision_impulse_is_the_momentum_change(restitution: float):
    """Two crates meeting face to face (several simultaneous contact points)."""

    def crate(prop_id: str, x: float, vx: float) -> dict:
        prop = box_prop(prop_id, size=(0.2, 0.2, 0.2), mass=1.0, position=(x, 0.0, 0.0))
        prop["velocity"]["linear"] = [vx, 0.0, 0.0]
        prop["material"] = {"restitution": restitution}
        return prop

    traj = bake(make_scene([crate("a", -0.5, 1.0), crate("b", 0.5, -1.0)], duration=1.0))
    (event,) = traj.contacts
    assert (str(event["body_a"]), str(event["body_b"])) == ("a", "b")
    delta_p = momentum_change_across(traj, "a", event, 1.0)
    assert delta_p[0] < -0.9, "the crates must really meet"
    assert np.linalg.norm(event["impulse"] - delta_p) < 0.05 * np.linalg.norm(delta_p)


def test_wall_approach_speed_is_the_impact_speed():
    """Balls on parallel lines 0.35 m apart, each thrown at its own speed, all in one bake."""
    helper = np.cross(CLEAR_DIRECTION, [0.0, 0.0, 1.0])
    e1 = helper / np.linalg.norm(helper)
    e2 = np.cross(CLEAR_DIRECTION, e1)
    angles = np.linspace(0.0, 2.0 * math.pi, len(SWEEP_SPEEDS) - 1, endpoint=False)
    offsets = [np.zeros(3)] + [0.35 * (math.cos(a) * e1 + math.sin(a) * e2) for a in angles]
    balls = [
        sphere_prop(f"ball{k}", tuple(offset), tuple(speed * CLEAR_DIRECTION))
        for k, (offset, speed) in enumerate(zip(offsets, SWEEP_SPEEDS, strict=True))
    ]
    traj = bake(make_scene(balls, duration=HULL_RADIUS / min(SWEEP_SPEEDS) + 0.1))
    first_wall_touch = {}
    for event in traj.contacts:
        a, b = str(event["body_a"]), str(event["body_b"])
        if b == "station" and a not in first_wall_touch:
            first_wall_touch[a] = float(event["approach_speed"])
    assert sorted(first_wall_touch) == sorted(ball["id"] for ball in balls)
    wrong = {}
    for k, speed in enumerate(SWEEP_SPEEDS):
        measured = first_wall_touch[f"ball{k}"]  # no air: it arrives at its launch speed
        if abs(measured - speed) > 0.05 * speed:
            wrong[speed] = measured
    assert not wrong, f"launch speed -> reported approach speed: {wrong}"


def test_head_on_approach_speed_is_the_closing_speed():
    """Pairs of balls meeting head on, one pair per closing speed, all in one bake."""
    props = []
    for k, speed in enumerate(SWEEP_SPEEDS):
        z = -1.2 + 0.4 * k
        props.append(sphere_prop(f"L{k}", (-0.6, 0.0, z), (0.5 * speed, 0.0, 0.0)))
        props.append(sphere_prop(f"R{k}", (0.6, 0.0, z), (-0.5 * speed, 0.0, 0.0)))
    traj = bake(make_scene(props, duration=0.8))
    events = {str(c["body_a"]): c for c in traj.contacts}
    assert sorted(events) == sorted(f"L{k}" for k in range(len(SWEEP_SPEEDS)))
    wrong = {}
    for k, speed in enumerate(SWEEP_SPEEDS):
        event = events[f"L{k}"]
        assert str(event["body_b"]) == f"R{k}"
        assert abs(event["start"] - 1.0 / speed) < 2 / 24  # 1 m gap closed at `speed`
        if abs(event["approach_speed"] - speed) > 0.05 * speed:
            wrong[speed] = float(event["approach_speed"])
    assert not wrong, f"closing speed -> reported approach speed: {wrong}"


def test_world_state_snapshot_restores_the_simulation_exactly():
    """The lifecycle a partial re-bake needs: snapshot, step on, restore, step again."""
    from see1previs.physics.simulation import prepare_world

    scene = make_scene(
        [
            sphere_prop("a", (-0.5, 0.0, 0.0), (0.6, 0.05, 0.0)),
            sphere_prop("b", (0.5, 0.04, 0.02), (-0.3, 0.0, 0.01), radius=0.12, mass=2.5),
        ],
        duration=2.0,
    )
    world = prepare_world(scene)
    world.step(100)
    snapshot = world.state()
    world.step(400)  # through the collision
    first = world.data.qpos.copy()
    world.set_state(snapshot)
    assert world.time == pytest.approx(0.2)
    world.step(400)
    assert np.array_equal(world.data.qpos, first)


def test_a_blow_up_stops_the_bake_with_the_time_and_the_body():
    from see1previs.physics.bake import BakeUnstableError

    scene = Scene.model_validate(
        {
            "format": 2,
            "duration": 1.0,
            "environment": {"air_drag": True},
            "props": [{"id": "pea", "shape": {"type": "sphere", "radius": 0.01}, "mass": 0.001}],
            "cues": [
                {"type": "impulse", "id": "bang", "time": 0.1, "target": "pea",
                 "impulse": [1e6, 0.0, 0.0]}
            ],
        }
    )  # fmt: skip
    with pytest.raises(BakeUnstableError, match=r"unstable at 0\.10 s around 'pea'"):
        bake(scene)
