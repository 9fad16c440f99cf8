"""Physics validation against analytic mechanics (docs/physics-validation.md lists each).

Every test compares the baked trajectory with a closed-form answer that does not come from
MuJoCo: straight-line drift, conservation laws of torque-free rotation, the Jacobi-elliptic
period of the intermediate-axis flip, momentum balance, restitution and quadratic drag.
Measured errors are printed (``pytest -s``) so the doc's table can be refreshed.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pytest
from scipy.special import ellipk

from see1previs.core import quaternion as quat
from see1previs.physics.bake import bake
from see1previs.physics.simulation import prepare_world
from tests.conftest import ASSETS
from tests.physics.scenes import CLEAR_WALL_DIRECTION, make_scene, sphere_prop


def body_inertia_world(world, body_id: str, orientations: np.ndarray) -> np.ndarray:
    """Inertia tensors about the COM in the module frame for each recorded orientation."""
    handle = world.by_id[body_id]
    inertia_body = handle.plan.inertia
    rotation = quat.to_matrix(orientations)
    return rotation @ inertia_body @ np.swapaxes(rotation, -1, -2)


def test_free_drift_is_a_straight_line():
    p0 = np.array([-1.2, -0.8, 0.5])
    v = np.array([0.03, 0.02, -0.01])
    scene = make_scene([sphere_prop("ball", p0, v, angular=(0.2, -0.1, 0.4))], duration=60.0)
    traj = bake(scene)
    expected = p0 + np.outer(traj.times, v)
    error = np.max(np.linalg.norm(traj.positions[:, 0] - expected, axis=1))
    print(f"free drift: max position error over 60 s = {error:.2e} m")
    assert error < 1e-6
    assert np.allclose(traj.linear_velocities[:, 0], v, atol=1e-9)


def test_torque_free_asymmetric_body_conserves_energy_and_angular_momentum():
    scene = make_scene(
        [
            {
                "id": "slate",
                "shape": {"type": "box", "size": [0.3, 0.2, 0.05]},
                "mass": 0.8,
                "velocity": {"angular": [0.6, 0.4, 2.5]},
            }
        ],
        duration=60.0,
    )
    world = prepare_world(scene)
    traj = bake(scene, world=world)
    inertia = body_inertia_world(world, "slate", traj.orientations[:, 0])
    omega = traj.angular_velocities[:, 0]
    momentum = np.einsum("fij,fj->fi", inertia, omega)
    energy = 0.5 * np.einsum("fi,fi->f", omega, momentum)
    magnitude = np.linalg.norm(momentum, axis=1)
    energy_error = np.max(np.abs(energy / energy[0] - 1.0))
    momentum_error = np.max(np.abs(magnitude / magnitude[0] - 1.0))
    direction_error = np.max(np.linalg.norm(momentum - momentum[0], axis=1)) / magnitude[0]
    print(
        f"torque-free: energy {energy_error:.2e}, |L| {momentum_error:.2e}, "
        f"L vector {direction_error:.2e} (relative, 60 s)"
    )
    assert energy_error < 1e-4
    assert momentum_error < 1e-4
    assert direction_error < 1e-4
    # The body really tumbles (not a trivial spin about one principal axis).
    assert np.ptp(omega[:, 0]) > 0.1


def analytic_flip_interval(inertia: np.ndarray, omega_body: np.ndarray) -> float:
    """Half the period of the body-frame angular velocity for torque-free motion.

    Landau & Lifshitz, Mechanics §37: with I1 < I2 < I3, energy E and |L|² = M², the
    components of ω are Jacobi elliptic functions of period 4K(k)/p; the intermediate
    component changes sign every 2K(k)/p.
    """
    order = np.argsort(inertia)
    i1, i2, i3 = inertia[order]
    w = omega_body[order]
    energy2 = float(np.sum(inertia[order] * w * w))  # 2E
    m2 = float(np.sum((inertia[order] * w) ** 2))  # M²
    if m2 > energy2 * i2:
        p = math.sqrt((i3 - i2) * (m2 - energy2 * i1) / (i1 * i2 * i3))
        k2 = (i2 - i1) * (energy2 * i3 - m2) / ((i3 - i2) * (m2 - energy2 * i1))
    else:
        p = math.sqrt((i2 - i1) * (energy2 * i3 - m2) / (i1 * i2 * i3))
        k2 = (i3 - i2) * (m2 - energy2 * i1) / ((i2 - i1) * (energy2 * i3 - m2))
    return 2.0 * ellipk(k2) / p


def test_t_handle_flips_with_the_analytic_period(tmp_path: Path):
    shutil.copy(ASSETS / "props" / "t-handle.obj", tmp_path / "t-handle.obj")
    spin = [0.02, 6.0, 0.02]  # about the stem (intermediate axis), slightly off
    scene = make_scene(
        [
            {
                "id": "t-handle",
                "shape": {"type": "mesh", "file": "t-handle.obj"},
                "mass": 0.3,
                "velocity": {"angular": spin},
            }
        ],
        duration=30.0,
        frame_rate=240,
    )
    world = prepare_world(scene, tmp_path)
    traj = bake(scene, world=world)
    inertia_body = world.by_id["t-handle"].plan.inertia
    assert np.allclose(inertia_body, np.diag(np.diag(inertia_body)), atol=1e-12)
    principal = np.diag(inertia_body)
    assert np.argsort(principal)[1] == 1, "the stem (y) should be the intermediate axis"

    rotation = quat.to_matrix(traj.orientations[:, 0])
    omega_body = np.einsum("fji,fj->fi", rotation, traj.angular_velocities[:, 0])
    intermediate = omega_body[:, 1]
    crossings = np.nonzero(np.diff(np.sign(intermediate)) != 0)[0]
    # Interpolate each zero crossing for sub-frame timing.
    t = traj.times
    times = [
        t[i] - intermediate[i] * (t[i + 1] - t[i]) / (intermediate[i + 1] - intermediate[i])
        for i in crossings
    ]
    assert len(times) >= 3, f"expected repeated flips, saw {len(times)} in 30 s"
    measured = float(np.mean(np.diff(times)))
    expected = analytic_flip_interval(principal, np.array(spin))
    error = abs(measured - expected) / expected
    print(
        f"T-handle: {len(times)} flips, interval {measured:.4f} s vs analytic "
        f"{expected:.4f} s ({error * 100:.2f} %)"
    )
    assert error < 0.05


def test_prop_collision_conserves_momentum():
    a = sphere_prop("a", (-0.5, 0.0, 0.0), (0.6, 0.05, 0.0), radius=0.1, mass=1.0)
    b = sphere_prop("b", (0.5, 0.04, 0.02), (-0.3, 0.0, 0.01), radius=0.12, mass=2.5)
    scene = make_scene([a, b], duration=2.0, frame_rate=100)
    traj = bake(scene)
    masses = np.array([1.0, 2.5])
    momentum = np.einsum("b,fbi->fi", masses, traj.linear_velocities)
    speed_change = np.linalg.norm(traj.linear_velocities[-1, 0] - traj.linear_velocities[0, 0])
    assert speed_change > 0.3, "the props must actually collide"
    error = np.max(np.linalg.norm(momentum - momentum[0], axis=1)) / np.linalg.norm(momentum[0])
    print(f"collision: total momentum drift {error:.2e} relative")
    assert error < 1e-6
    # The recorded contact episode carries the impulse that changed a's momentum.
    events = traj.contacts[(traj.contacts["body_a"] == "a") & (traj.contacts["body_b"] == "b")]
    assert len(events) == 1
    delta_p = masses[0] * (traj.linear_velocities[-1, 0] - traj.linear_velocities[0, 0])
    assert np.linalg.norm(events[0]["impulse"] - delta_p) < 0.05 * np.linalg.norm(delta_p)


@pytest.mark.parametrize("restitution", [0.5, 0.8])
def test_restitution_off_the_hull(restitution: float):
    # Straight at bare wall (no fixture on the line), normal incidence.
    direction = np.array(CLEAR_WALL_DIRECTION)
    ball = sphere_prop(
        "ball",
        (direction * 1.0).tolist(),
        direction.tolist(),
        radius=0.08,
        restitution=restitution,
    )
    scene = make_scene([ball], duration=4.0, frame_rate=200)
    traj = bake(scene)
    assert len(traj.contacts) and traj.contacts[0]["body_b"] == "station"
    outward = traj.linear_velocities[:, 0] @ direction
    after = -outward[np.argmax(outward < 0) :]
    assert len(after) and after[0] > 0, "the ball must bounce back"
    ratio = float(np.max(after)) / 1.0
    print(f"restitution {restitution}: rebound ratio {ratio:.4f}")
    assert abs(ratio - restitution) / restitution < 0.05


def test_quadratic_drag_matches_closed_form():
    radius, mass, v0 = 0.1, 1.0, 1.5
    scene = make_scene(
        [sphere_prop("ball", (-2.2, 0.0, 0.0), (v0, 0.0, 0.0), radius=radius, mass=mass)],
        duration=2.5,
        frame_rate=50,
        air_drag=True,
        drag_coefficient=1.05,
        air_density=1.225,
    )
    traj = bake(scene)
    k = 0.5 * 1.05 * 1.225 * math.pi * radius**2 / mass
    expected = v0 / (1.0 + k * v0 * traj.times)
    measured = traj.linear_velocities[:, 0, 0]
    error = np.max(np.abs(measured - expected) / expected)
    loss = 1 - measured[-1] / v0
    print(f"drag: max relative error {error:.2e} (speed lost {loss * 100:.1f} %)")
    assert loss > 0.02, "drag must be measurable over the test"
    assert error < 0.02


def test_ventilation_carries_a_body_downstream():
    """A body at rest in a uniform flow w: relative speed u = w - v obeys du/dt = -k u²."""
    radius, mass, flow = 0.1, 0.05, 0.15
    scene = make_scene(
        [sphere_prop("tissue", (0.0, -1.5, 0.0), radius=radius, mass=mass)],
        duration=6.0,
        air_drag=True,
        ventilation=(0.0, flow, 0.0),
    )
    traj = bake(scene)
    k = 0.5 * 1.05 * 1.225 * math.pi * radius**2 / mass
    expected = flow - flow / (1.0 + k * flow * traj.times)
    measured = traj.linear_velocities[:, 0, 1]
    error = np.max(np.abs(measured[1:] - expected[1:]) / expected[1:])
    print(f"ventilation: max relative error {error:.2e}, final speed {measured[-1]:.3f} m/s")
    assert measured[-1] > 0.03, "the body is carried downstream"
    assert np.all(measured < flow), "it never outruns the air"
    assert error < 0.02
    assert np.allclose(traj.linear_velocities[:, 0, [0, 2]], 0.0, atol=1e-12)


@pytest.mark.slow
def test_nothing_escapes_in_a_thousand_fast_launches():
    rng = np.random.default_rng(20261122)
    shapes = [
        {"type": "sphere", "radius": 0.05},
        {"type": "box", "size": [0.12, 0.06, 0.04]},
        {"type": "capsule", "radius": 0.03, "length": 0.1},
        {"type": "cylinder", "radius": 0.04, "length": 0.08},
    ]
    launches = 0
    worst = math.inf
    longest_outside = 0
    for batch in range(10):
        props = []
        # A 5 x 5 x 4 grid, 0.45 m apart, so nothing starts overlapping.
        grid = [(x, y, z) for x in range(5) for y in range(5) for z in range(4)]
        for index, (x, y, z) in enumerate(grid):
            position = (np.array([x - 2.0, y - 2.0, z - 1.5]) * 0.45).tolist()
            direction = rng.normal(size=3)
            speed = rng.uniform(1.0, 10.0)
            props.append(
                {
                    "id": f"p{index}",
                    "shape": shapes[index % len(shapes)],
                    "mass": float(rng.uniform(0.1, 2.0)),
                    "material": {"restitution": float(rng.uniform(0.2, 0.9))},
                    "pose": {"position": position},
                    "velocity": {
                        "linear": (direction / np.linalg.norm(direction) * speed).tolist(),
                        "angular": rng.normal(scale=5.0, size=3).tolist(),
                    },
                }
            )
        scene = make_scene(props, duration=2.0, frame_rate=60)
        world = prepare_world(scene)
        # Stepped directly, not baked: the bake guard would stop at the first bounce that
        # gains energy (a known problem, test_bounce_energy.py); this test is about the wall.
        bodies = [world.by_id[p["id"]].body_id for p in props]
        centres = []
        for _ in range(250):  # 2 s in frames of 8 steps (16 ms)
            world.step(8)
            centres.append(world.data.xipos[bodies].copy())
        centres = np.array(centres)
        clearance = world.station.clearance(centres.reshape(-1, 3)).reshape(centres.shape[:2])
        worst = min(worst, float(np.min(clearance)))
        outside = clearance <= 0
        longest_outside = max(longest_outside, int(np.max(np.sum(outside, axis=0))))
        launches += len(props)
        # Contacts are soft (a bounce spans 8 physics steps), so mid-bounce a fast thin body
        # may dip a little into the 15 cm wall tiles; it must come straight back.
        assert np.all(clearance[-1] > 0), f"batch {batch}: a body ended outside the interior"
        assert np.min(clearance) > -0.05, f"batch {batch}: a body sank > 5 cm into the wall"
        assert longest_outside <= 3, f"batch {batch}: a body stayed in the wall > 3 frames"
    print(
        f"containment: {launches} launches at 1-10 m/s, all inside at the end; deepest "
        f"centre excursion into the wall {max(0.0, -worst) * 100:.1f} cm, longest "
        f"{longest_outside} frame(s) of 16 ms"
    )
    assert launches == 1000


def test_a_very_slow_drift_never_stops():
    """Bodies never 'fall asleep': 0.3 mm/s is a drift a camera sees over a long take."""
    v = np.array([0.0003, -0.0002, 0.0001])
    scene = make_scene([sphere_prop("dust", (0.5, 0.2, -0.3), v)], duration=20.0, frame_rate=5)
    traj = bake(scene)
    travelled = traj.positions[-1, 0] - traj.positions[0, 0]
    assert np.allclose(travelled, v * 20.0, atol=1e-9)
