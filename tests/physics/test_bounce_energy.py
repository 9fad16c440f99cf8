"""Bounces off the wall against rigid-body impact theory, and containment of fast launches.

Truth (a rigid body, one impulsive contact at r from the centre of mass, normal n, restitution
e ≤ 1): with K = 1/m + (r×n)·I⁻¹(r×n) the normal impulse P = −(1+e)·u_n/K turns the contact
point's normal velocity u_n into −e·u_n and changes the kinetic energy by
ΔE = −½·(1 − e²)·u_n²/K ≤ 0. Friction at the contact only dissipates. So whatever the shape,
spin and restitution, a body leaves a bounce with at most the energy it brought. For a sphere
r ∥ n and K = 1/m: the centre's normal velocity reverses to exactly −e times itself.

The bake guard (:mod:`see1previs.physics.bake_guard`) turns any violation into an error naming
the body and the time; its checks are tested here with states made by hand.
"""

from __future__ import annotations

import math

import mujoco
import numpy as np
import pytest

from see1previs.physics.bake_guard import (
    ESCAPE_TOLERANCE,
    BakeGuard,
    BakeUnstableError,
    BodyLeftModuleError,
    EnergyGainError,
)
from see1previs.physics.contact_forces import damping_ratio_for_restitution, touch_count
from see1previs.physics.simulation import prepare_world
from tests.conftest import ASSETS
from tests.physics.scenes import CLEAR_WALL_DIRECTION, make_scene

SHAPES = {
    "sphere": {"type": "sphere", "radius": 0.06},
    "box": {"type": "box", "size": [0.12, 0.08, 0.05]},
    "plate": {"type": "box", "size": [0.32, 0.23, 0.01]},  # a clipboard
    "capsule": {"type": "capsule", "radius": 0.03, "length": 0.14},
    "cylinder": {"type": "cylinder", "radius": 0.05, "length": 0.10},
    "mesh": {"type": "mesh", "file": str(ASSETS / "props" / "t-handle.obj")},
}
GAIN_TOLERANCE = 1e-6  # relative; RK4's own energy error over a bounce is far below it
KNOWN_GAIN = (
    "MuJoCo's contact is a spring-damper on the contact point's acceleration: its force "
    "scales with the effective mass 1/K, which changes while a spinning body rotates during "
    "the 16 ms bounce, and it also cancels the gyroscopic part of that acceleration and "
    "resists tangential acceleration through friction; those forces do positive work "
    "(docs/physics-validation.md, 'Bounce energy')"
)


def single_prop_world(shape: dict, restitution: float = 0.5):
    scene = make_scene(
        [{"id": "body", "shape": shape, "mass": 0.5, "material": {"restitution": restitution}}],
        duration=1.0,
    )
    return prepare_world(scene)


def kinetic_energy(world) -> float:
    model, data = world.model, world.data
    product = np.zeros(model.nv)
    mujoco.mj_mulM(model, data, product, data.qvel)
    return 0.5 * float(data.qvel @ product)


def set_restitution(world, restitution: float) -> None:
    model = world.model
    geoms = np.nonzero(model.geom_bodyid == world.by_id["body"].body_id)[0]
    model.geom_user[geoms, 1] = damping_ratio_for_restitution(restitution)


def bounce_energy_ratio(world, orientation, spin, speed=2.0) -> float:
    """Kinetic energy after one bounce off bare wall over the energy before it."""
    model, data = world.model, world.data
    handle = world.by_id["body"]
    n = np.array(CLEAR_WALL_DIRECTION)
    mujoco.mj_resetData(model, data)
    data.qpos[handle.qpos_adr : handle.qpos_adr + 3] = n * 2.55
    data.qpos[handle.qpos_adr + 3 : handle.qpos_adr + 7] = orientation
    mujoco.mj_forward(model, data)
    world.set_body_velocity("body", n * speed, spin)
    mujoco.mj_forward(model, data)
    before = kinetic_energy(world)
    touched = False
    for _ in range(int(1.0 / model.opt.timestep)):
        mujoco.mj_step(model, data)
        if touch_count(model, data):
            touched = True
        elif touched:
            mujoco.mj_forward(model, data)
            if touch_count(model, data) == 0:
                return kinetic_energy(world) / before
    raise AssertionError("the body never came off the wall")


def _energy_case(shape: str):
    return pytest.param(shape, id=shape)


@pytest.mark.parametrize("shape", [_energy_case(name) for name in SHAPES])
def test_no_bounce_adds_energy(shape):
    """Every shape class, spinning at 20 rad/s, at restitution 0.3 to 1: never a gain."""
    world = single_prop_world(SHAPES[shape])
    rng = np.random.default_rng(11)
    ratios = []
    for restitution in (0.3, 0.7, 0.9, 1.0):
        set_restitution(world, restitution)
        for _ in range(4):
            orientation = rng.normal(size=4)
            axis = rng.normal(size=3)
            spin = axis / np.linalg.norm(axis) * 20.0
            ratio = bounce_energy_ratio(world, orientation / np.linalg.norm(orientation), spin)
            ratios.append((ratio, restitution))
    worst, at = max(ratios)
    print(f"{shape}: worst energy ratio over a bounce {worst:.6f} (e = {at})")
    assert worst <= 1.0 + GAIN_TOLERANCE, f"{shape} gained energy x{worst:.3f} at e = {at}"


def test_impact_theory_never_gains_energy():
    """The truth above, checked on random rigid bodies (guards the formula, not the code)."""
    rng = np.random.default_rng(5)
    for _ in range(1000):
        m = rng.uniform(0.05, 5.0)
        axes = rng.uniform(0.01, 0.5, size=3)
        inertia = np.diag(m / 12.0 * (axes.sum() ** 2 - axes**2))
        r, n = rng.normal(size=3) * 0.2, rng.normal(size=3)
        n /= np.linalg.norm(n)
        v, w = rng.normal(size=3) * 3, rng.normal(size=3) * 20
        u_n = (v + np.cross(w, r)) @ n
        if u_n >= 0:
            continue  # separating: no impact
        e = rng.uniform(0.0, 1.0)
        k = 1.0 / m + np.cross(r, n) @ np.linalg.solve(inertia, np.cross(r, n))
        impulse = -(1.0 + e) * u_n / k * n
        v2 = v + impulse / m
        w2 = w + np.linalg.solve(inertia, np.cross(r, impulse))
        energy = 0.5 * m * v @ v + 0.5 * w @ inertia @ w
        energy2 = 0.5 * m * v2 @ v2 + 0.5 * w2 @ inertia @ w2
        assert (v2 + np.cross(w2, r)) @ n == pytest.approx(-e * u_n, rel=1e-9, abs=1e-12)
        assert energy2 - energy == pytest.approx(-0.5 * (1 - e * e) * u_n**2 / k, abs=1e-9)
        assert energy2 <= energy + 1e-12


@pytest.mark.slow
def test_fast_launches_of_every_shape_class_stay_inside():
    """20 launches per shape class at 1-10 m/s with random spin and restitution, 1.5 s each."""
    rng = np.random.default_rng(20260311)
    deepest = 0.0
    for name, shape in SHAPES.items():
        world = single_prop_world(shape)
        model, data = world.model, world.data
        handle = world.by_id["body"]
        for _ in range(20):
            set_restitution(world, round(float(rng.uniform(0.0, 1.0)), 3))
            while True:
                mujoco.mj_resetData(model, data)
                start = rng.normal(size=3)
                data.qpos[handle.qpos_adr : handle.qpos_adr + 3] = (
                    start / np.linalg.norm(start) * rng.uniform(0.0, 1.5)
                )
                orientation = rng.normal(size=4)
                data.qpos[handle.qpos_adr + 3 : handle.qpos_adr + 7] = orientation / np.linalg.norm(
                    orientation
                )
                mujoco.mj_forward(model, data)
                if touch_count(model, data) == 0:
                    break
            aim = rng.normal(size=3)
            world.set_body_velocity(
                "body",
                aim / np.linalg.norm(aim) * rng.uniform(1.0, 10.0),
                rng.uniform(-10.0, 10.0, size=3),
            )
            centres = []
            for _ in range(int(1.5 / model.opt.timestep) // 10):
                mujoco.mj_step(model, data, 10)
                centres.append(data.xipos[handle.body_id].copy())
            clearance = world.station.clearance(np.array(centres))
            deepest = max(deepest, -float(np.min(clearance)))
            assert clearance[-1] > 0.0, f"a {name} ended outside the module"
            assert -np.min(clearance) <= ESCAPE_TOLERANCE, f"a {name} went through the wall"
    print(f"containment: 120 launches, deepest centre behind the wall {deepest * 100:.1f} cm")


# ---- the bake guard ---------------------------------------------------------------------


def guarded_world(**scene_options):
    scene = make_scene(
        [
            {
                "id": "mug",
                "shape": {"type": "box", "size": [0.1, 0.08, 0.08]},
                "mass": 0.3,
                "pose": {"position": [0.2, 0.1, 0.0]},
                "velocity": {"linear": [0.3, 0.0, 0.1], "angular": [1.0, 2.0, 0.5]},
            }
        ],
        **scene_options,
    )
    world = prepare_world(scene)
    return world, BakeGuard(world, drag=scene.environment.air_drag)


def test_guard_stops_a_bake_when_a_prop_gains_energy_with_nothing_acting():
    world, guard = guarded_world()
    world.step(10)
    guard.check(world.data)
    world.data.qvel[world.by_id["mug"].qvel_adr] *= 1.05  # 10 % more energy, out of nowhere
    world.step(10)
    with pytest.raises(EnergyGainError, match=r"'mug' gained kinetic energy at 0\.04 s"):
        guard.check(world.data)


def test_small_gains_cannot_add_up_unseen():
    # Each 2 % rise is within the contact model's stated accuracy, but they are measured from
    # the lowest energy since the last cue, so the third one (+6 % in all) stops the bake.
    world, guard = guarded_world()
    world.step(10)
    guard.check(world.data)
    for _ in range(2):
        world.data.qvel[world.by_id["mug"].qvel_adr] *= math.sqrt(1.02)
        world.step(10)
        guard.check(world.data)
    world.data.qvel[world.by_id["mug"].qvel_adr] *= math.sqrt(1.02)
    world.step(10)
    with pytest.raises(EnergyGainError, match=r"'mug' gained kinetic energy"):
        guard.check(world.data)


def test_guard_accepts_energy_a_cue_gave():
    world, guard = guarded_world()
    guard.check(world.data)
    world.apply_impulse("mug", [0.5, 0.0, 0.0], [0.0, 0.0, 0.0])
    guard.cue_acted()
    world.step(10)
    guard.check(world.data)
    world.step(10)
    guard.check(world.data)  # and the new energy is the baseline from then on


def test_guard_accepts_what_the_ventilation_gives():
    """A prop slower than the air is pushed along: its energy grows, within the bound."""
    world, guard = guarded_world(air_drag=True, ventilation=(0.0, 0.2, 0.0))
    for _ in range(50):
        world.step(20)
        guard.check(world.data)


def test_guard_stops_a_bake_when_a_body_leaves_the_module():
    world, guard = guarded_world()
    handle = world.by_id["mug"]
    direction = np.array(CLEAR_WALL_DIRECTION)
    radius = float(np.max(np.linalg.norm(world.station.boundary.vertices, axis=1)))
    world.data.qpos[handle.qpos_adr : handle.qpos_adr + 3] = direction * (radius + 0.5)
    mujoco.mj_forward(world.model, world.data)
    with pytest.raises(BodyLeftModuleError, match=r"'mug' left the module at 0\.00 s"):
        guard.check(world.data)


@pytest.mark.parametrize(
    ("warning", "what"),
    [
        (mujoco.mjtWarning.mjWARN_BADQACC, "acceleration"),
        (mujoco.mjtWarning.mjWARN_BADQVEL, "velocity"),
        (mujoco.mjtWarning.mjWARN_BADQPOS, "position"),
    ],
)
def test_every_mujoco_blow_up_warning_stops_the_bake(warning, what):
    """MuJoCo resets the state on each of these; the bake must not carry on from the reset."""
    world, guard = guarded_world()
    handle = world.by_id["mug"]
    index = handle.qpos_adr + 2 if warning == mujoco.mjtWarning.mjWARN_BADQPOS else handle.qvel_adr
    world.data.warning[int(warning)].number = 1
    world.data.warning[int(warning)].lastinfo = index
    with pytest.raises(
        BakeUnstableError, match=rf"unstable at 1\.25 s around 'mug' \(bad {what}\)"
    ):
        guard.after_step(world.data, 1.25)
