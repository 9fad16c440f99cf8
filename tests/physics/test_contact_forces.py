"""Contact forces in newtons against impact theory, and the native code against its reference.

Truth used here (rigid bodies, one contact, normal n, restitution e, Newton's law at the
contact point): the normal velocity of the contact point reverses to −e times itself, so
- a ball straight into the wall leaves at e·v;
- two balls head-on (masses m₁, m₂) keep their total momentum and leave with relative speed
  e times the closing speed: v₁' = (m₁v₁ + m₂v₂ − m₂e(v₁ − v₂))/(m₁ + m₂), for any mass ratio;
- a rod (length L, mass m) hitting the wall with its end at speed u along the normal takes the
  impulse P = (1 + e)·u / K with K = 1/m + (L/2)²/I and I = mL²/12, so its centre leaves with
  u − P/m along the normal and it spins at P·(L/2)/I.
The sphere wall's depth is checked against points sampled over each shape's surface.
"""

from __future__ import annotations

import math

import mujoco
import numpy as np
import pytest

from see1previs.physics import analytic_wall, contact_forces
from see1previs.physics.bake import bake
from see1previs.physics.simulation import prepare_world
from tests.physics.scenes import CLEAR_WALL_DIRECTION, make_scene, sphere_prop

RESTITUTIONS = [0.1, 0.3, 0.5, 0.8, 0.95]
LOWEST = 0.066  # the lowest restitution a bounce resolved in 8 RK4 steps can have


def _rebound_off_the_wall(restitution: float, speed: float) -> float:
    direction = np.array(CLEAR_WALL_DIRECTION)
    ball = sphere_prop(
        "ball", (direction * 1.5).tolist(), (direction * speed).tolist(), radius=0.08
    )
    ball["material"] = {"restitution": restitution, "friction": 0.5}
    scene = make_scene([ball], duration=1.5 / speed + 0.6, frame_rate=200)
    trajectory = bake(scene)
    outward = trajectory.linear_velocities[:, 0] @ direction
    after = -outward[np.argmax(outward < 0) :]
    assert len(after) and after[0] > 0, "the ball must bounce back"
    return float(np.max(after)) / speed


@pytest.mark.parametrize("restitution", RESTITUTIONS)
def test_restitution_off_the_wall_from_005_to_095(restitution: float):
    for speed in (0.3, 3.0):
        ratio = _rebound_off_the_wall(restitution, speed)
        print(f"wall e = {restitution}: rebound ratio {ratio:.4f} at {speed} m/s")
        assert ratio == pytest.approx(restitution, rel=0.05, abs=0.005)


def test_restitution_below_the_lowest_bounces_like_the_lowest():
    ratio = _rebound_off_the_wall(0.02, 1.0)
    print(f"wall e = 0.02: rebound ratio {ratio:.4f}")
    assert ratio == pytest.approx(LOWEST, abs=0.01)


@pytest.mark.parametrize("restitution", [0.1, 0.3, 0.8])
@pytest.mark.parametrize("mass_ratio", [1.0, 4.0, 0.1])
def test_restitution_between_props_for_any_mass_ratio(restitution: float, mass_ratio: float):
    m1, m2, v1, v2 = 1.0, mass_ratio, 0.8, -0.4
    props = [
        sphere_prop("a", (-0.5, 0.0, 0.0), (v1, 0.0, 0.0), mass=m1, restitution=restitution),
        sphere_prop("b", (0.5, 0.0, 0.0), (v2, 0.0, 0.0), mass=m2, restitution=restitution),
    ]
    trajectory = bake(make_scene(props, duration=1.6, frame_rate=100))
    after = trajectory.linear_velocities[-1, :, 0]
    expected_a = (m1 * v1 + m2 * v2 - m2 * restitution * (v1 - v2)) / (m1 + m2)
    expected_b = (m1 * v1 + m2 * v2 + m1 * restitution * (v1 - v2)) / (m1 + m2)
    ratio = (after[1] - after[0]) / (v1 - v2)
    print(f"props e = {restitution}, m2/m1 = {mass_ratio}: separation ratio {ratio:.4f}")
    assert ratio == pytest.approx(restitution, rel=0.05, abs=0.005)
    closing = v1 - v2
    assert after[0] == pytest.approx(expected_a, abs=0.01 * closing)
    assert after[1] == pytest.approx(expected_b, abs=0.01 * closing)
    momentum = m1 * after[0] + m2 * after[1]
    assert momentum == pytest.approx(m1 * v1 + m2 * v2, abs=1e-9)


def test_a_rod_hitting_the_wall_with_its_end_obeys_impact_theory():
    """Restitution holds at the contact point, off the centre of mass (m_eff, not m)."""
    # Slow, so that the rod turns little during the 16 ms the soft contact lasts.
    length, mass, radius, e, u = 0.6, 0.4, 0.015, 0.6, 0.3
    n = np.array(CLEAR_WALL_DIRECTION)
    # Tilted 20° from the normal: a real lever arm, and the rod leaves after one impact.
    side = np.cross(n, [0.0, 0.0, 1.0])
    side /= np.linalg.norm(side)
    tilt = math.radians(20.0)
    axis = math.cos(tilt) * n + math.sin(tilt) * side
    centre = n * (3.0 - 0.3)
    # A capsule along its local z: orientation turning z onto ``axis``.
    z = np.array([0.0, 0.0, 1.0])
    half = (z + axis) / np.linalg.norm(z + axis)
    orientation = [float(z @ half), *np.cross(z, half)]
    rod = {
        "id": "rod",
        "shape": {"type": "capsule", "radius": radius, "length": length},
        "mass": mass,
        "material": {"restitution": e, "friction": 0.0},
        "pose": {"position": centre.tolist(), "orientation": orientation},
        "velocity": {"linear": (n * u).tolist()},
    }
    scene = make_scene([rod], duration=0.6, frame_rate=500)
    world = prepare_world(scene)
    # Frictionless: the wall's friction (0.5, mixed by maximum) is set to 0 in the model.
    wall = world.model.numeric(analytic_wall.NUMERIC_NAME).data
    wall[1] = 0.0
    trajectory = bake(scene, world=world)
    lateral = float(np.max(world.model.body_inertia[world.by_id["rod"].body_id]))
    (episode,) = trajectory.contacts  # one impact, then it flies off
    # The geometry of the touch: where the end met the sphere, the sphere's normal there
    # (toward the centre), and the lever arm from the rod's centre at the first touch.
    before = int(np.searchsorted(trajectory.times, episode["start"])) - 1
    point = episode["position"]
    normal = -point / np.linalg.norm(point)
    r = point - trajectory.positions[before, 0]
    r_cross_n = np.cross(r, normal)
    k = 1.0 / mass + r_cross_n @ r_cross_n / lateral
    u_n = float(n * u @ normal)  # < 0: moving into the wall
    impulse = -(1.0 + e) * u_n / k
    expected_normal = u_n + impulse / mass
    expected_spin = impulse * np.linalg.norm(r_cross_n) / lateral
    after = int(np.searchsorted(trajectory.times, episode["end"] + 0.01))
    normal_velocity = float(trajectory.linear_velocities[after, 0] @ normal)
    spin = float(np.linalg.norm(trajectory.angular_velocities[after, 0]))
    print(
        f"rod at {u} m/s: centre normal velocity {normal_velocity:.4f} (impact theory"
        f" {expected_normal:.4f}), spin {spin:.4f} rad/s ({expected_spin:.4f})"
    )
    assert normal_velocity == pytest.approx(expected_normal, abs=0.02 * u)
    assert spin == pytest.approx(expected_spin, rel=0.02)


# ---- geometry of the sphere wall ------------------------------------------------------------


def _surface_samples(kind: str, size, rng) -> np.ndarray:
    """Points on a shape's surface in its own frame (dense enough to find the far point)."""
    if kind == "box":
        points = rng.uniform(-1, 1, size=(20000, 3)) * size
        face = rng.integers(0, 3, size=len(points))
        sign = rng.choice([-1.0, 1.0], size=len(points))
        points[np.arange(len(points)), face] = sign * np.asarray(size)[face]
        corners = np.array([[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)]) * size
        return np.vstack([points, corners])
    if kind == "capsule":
        radius, half = size
        directions = rng.normal(size=(20000, 3))
        directions /= np.linalg.norm(directions, axis=1)[:, None]
        ends = np.where(directions[:, 2:] > 0, half, -half) * np.array([0, 0, 1.0])
        return ends + radius * directions
    if kind == "cylinder":
        radius, half = size
        angle = rng.uniform(0, 2 * math.pi, 20000)
        rim = np.stack([radius * np.cos(angle), radius * np.sin(angle), np.zeros_like(angle)], 1)
        rim[:, 2] = rng.choice([-half, half], size=len(angle))
        return rim
    raise ValueError(kind)


SURFACE_CASES = [  # (kind, scene shape, MuJoCo size)
    ("box", {"type": "box", "size": [0.3, 0.2, 0.04]}, (0.15, 0.1, 0.02)),
    ("capsule", {"type": "capsule", "radius": 0.05, "length": 0.4}, (0.05, 0.2)),
    ("cylinder", {"type": "cylinder", "radius": 0.08, "length": 0.3}, (0.08, 0.15)),
]


def wall_probe(kind: str, shape: dict, mujoco_size, seed: int):
    """A world with one prop "p" of this shape, its wall, and samples of its surface."""
    rng = np.random.default_rng(seed)
    world = prepare_world(make_scene([{"id": "p", "shape": shape, "mass": 0.5}], duration=0.1))
    radius, _, openings = analytic_wall.read_wall(world.model)
    return world, radius, openings, _surface_samples(kind, mujoco_size, rng), rng


def posed_surface(world, samples, centre, orientation) -> tuple[int, np.ndarray]:
    """Put prop "p" at a pose: its geom and its sampled surface points, module frame."""
    model, data = world.model, world.data
    handle = world.by_id["p"]
    data.qpos[handle.qpos_adr : handle.qpos_adr + 3] = centre
    data.qpos[handle.qpos_adr + 3 : handle.qpos_adr + 7] = orientation / np.linalg.norm(orientation)
    mujoco.mj_kinematics(model, data)
    geom = int(np.nonzero(model.geom_bodyid == handle.body_id)[0][0])
    rotation = data.geom_xmat[geom].reshape(3, 3)
    return geom, data.geom_xpos[geom] + samples @ rotation.T


@pytest.mark.parametrize(("kind", "shape", "mujoco_size"), SURFACE_CASES)
def test_sphere_wall_depth_is_the_farthest_surface_point(kind, shape, mujoco_size):
    world, radius, openings, samples, rng = wall_probe(kind, shape, mujoco_size, seed=4)
    model, data = world.model, world.data
    handle = world.by_id["p"]
    for _ in range(20):
        centre = rng.normal(size=3)
        centre = centre / np.linalg.norm(centre) * rng.uniform(2.0, 3.05)
        centre[0] = -abs(centre[0])  # the stage side: far from the hatch opening
        geom, world_points = posed_surface(world, samples, centre, rng.normal(size=4))
        sampled = float(np.max(np.linalg.norm(world_points, axis=1)))
        _, _, depth, _ = analytic_wall.deepest_point(
            model, data, handle.body_id, radius, openings, contact_forces.MARKER
        )
        if np.isfinite(depth):
            farthest = radius + depth
            assert farthest >= sampled - 1e-12
            assert farthest == pytest.approx(sampled, abs=2e-3)  # the sampling's resolution
        else:  # skipped by its bounding sphere: only when nothing of it can reach the wall
            assert sampled < radius
        gap = analytic_wall.wall_gap(model, data, [geom], contact_forces.MARKER)
        assert gap <= radius - sampled + 1e-12
        assert gap == pytest.approx(radius - sampled, abs=2e-3)


def test_the_hatch_opening_has_no_sphere_wall():
    """A ball flying out along +X enters the vestibule instead of bouncing at the sphere."""
    ball = sphere_prop("ball", (2.0, 0.0, 0.0), (1.0, 0.0, 0.0), radius=0.08)
    trajectory = bake(make_scene([ball], duration=1.6, frame_rate=100))
    reached = float(np.max(trajectory.positions[:, 0, 0]))
    print(f"hatch: ball reached x = {reached:.3f} m (sphere radius 3 m)")
    assert reached > 3.1  # beyond the sphere, into the vestibule


# ---- native code against the reference -----------------------------------------------------


def _busy_scene():
    rng = np.random.default_rng(8)
    shapes = [
        {"type": "box", "size": [0.32, 0.23, 0.01]},
        {"type": "capsule", "radius": 0.03, "length": 0.14},
        {"type": "cylinder", "radius": 0.05, "length": 0.10},
        {"type": "sphere", "radius": 0.06},
    ]
    props = []
    for index, shape in enumerate(shapes * 2):
        direction = rng.normal(size=3)
        direction /= np.linalg.norm(direction)
        props.append(
            {
                "id": f"p{index}",
                "shape": shape,
                "mass": float(rng.uniform(0.2, 2.0)),
                "material": {"restitution": float(rng.uniform(0.1, 0.9)), "friction": 0.6},
                "pose": {"position": (direction * rng.uniform(0.0, 1.8)).tolist()},
                "velocity": {
                    "linear": (rng.normal(size=3) * 2.0).tolist(),
                    "angular": (rng.normal(size=3) * 8.0).tolist(),
                },
            }
        )
    return make_scene(props, duration=2.0, frame_rate=50)


def test_native_forces_match_the_python_reference():
    if contact_forces.implementation() != "native":
        pytest.skip("the native contact library is not built here")
    scene = _busy_scene()
    native = bake(scene)
    reference_world = prepare_world(scene)
    previous = mujoco.get_mjcb_passive()
    mujoco.set_mjcb_passive(contact_forces.apply_contact_forces)
    try:
        reference = bake(scene, world=reference_world)
    finally:
        mujoco.set_mjcb_passive(previous)
    touches = len(native.contacts)
    difference = float(np.max(np.abs(native.positions - reference.positions)))
    print(
        f"native vs Python reference: {touches} contact episodes, max difference {difference:.1e} m"
    )
    assert touches >= 8, "the scene must bounce off the wall and each other"
    assert len(reference.contacts) == touches
    assert difference < 1e-9
