"""Poses held by human strength: a tuck under spin, and a pose the loads break.

Truth is computed from the model independently of the bake: the composite inertia of the
body placed directly in the pose (no servo involved), and the joint torques that holding a
pose in rigid rotation needs (inverse dynamics), compared with the joint strength table.
Air drag is off, so the angular momentum about the centre of mass is conserved.
"""

from __future__ import annotations

import math

import mujoco
import numpy as np
import pytest

from see1previs.core.scene import FORMAT_VERSION, Scene
from see1previs.physics.bake import bake
from see1previs.physics.blocking_report import blocking_report
from see1previs.physics.simulation import prepare_world

ANA = {"id": "ana", "height": 1.7, "mass": 65.0}
SPIN_AXIS = np.array([0.0, 1.0, 0.0])  # somersault: about the actor's left-right axis
INERTIA_TOLERANCE = 0.05  # the servo yields a little under load (10° at full strength)


def scene(actor: dict, cues, duration: float) -> Scene:
    return Scene.model_validate(
        {
            "format": FORMAT_VERSION,
            "duration": duration,
            "environment": {"air_drag": False},
            "actors": [actor],
            "cues": list(cues),
        }
    )


def composite_inertia(world) -> np.ndarray:
    """The actor's inertia tensor about its centre of mass, module axes, current pose."""
    model, data = world.model, world.data
    mujoco.mj_forward(model, data)
    rig = world.rigs["ana"]
    com = data.subtree_com[rig.root]
    total = np.zeros((3, 3))
    for body in rig.bodies:
        rotation = data.ximat[body].reshape(3, 3)
        offset = data.xipos[body] - com
        total += rotation @ np.diag(model.body_inertia[body]) @ rotation.T
        total += model.body_mass[body] * (offset @ offset * np.eye(3) - np.outer(offset, offset))
    return total


def pose_inertia(posture: str) -> float:
    """Inertia about the spin axis of the body set directly in ``posture`` (no servos)."""
    world = prepare_world(scene({**ANA, "posture": posture}, [], 1.0))
    return float(SPIN_AXIS @ composite_inertia(world) @ SPIN_AXIS)


def holding_torques(posture: str, axis) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Per joint, the torque that holds ``posture`` in rigid rotation at 1 rad/s, and its limit.

    With joint accelerations zero and no external force, the root's rows of M·q̈ + b = 0
    give the root's acceleration; the joint rows then give the torque each joint must
    supply. It grows with ω², so the pose can be held up to ω = 1/sqrt(max torque/limit).
    """
    world = prepare_world(scene({**ANA, "posture": posture}, [], 1.0))
    model, data = world.model, world.data
    rig = world.rigs["ana"]
    world.set_body_velocity("ana", [0.0, 0.0, 0.0], axis)
    mujoco.mj_forward(model, data)
    mass = np.zeros((model.nv, model.nv))
    mujoco.mj_fullM(model, data, mass)
    root = world.by_id["ana"].qvel_adr + np.arange(6)
    joints = np.array([model.joint(name).dofadr[0] for name in rig.humanoid.joints])
    root_acc = -np.linalg.solve(mass[np.ix_(root, root)], data.qfrc_bias[root])
    torque = data.qfrc_bias[joints] + mass[np.ix_(joints, root)] @ root_acc
    low, high = model.actuator_forcerange[rig.actuators].T
    limit = np.where(torque > 0, high, -low)
    names = [name.split("/", 1)[1] for name in rig.humanoid.joints]
    return names, torque, limit


def test_a_tuck_under_spin_reaches_the_tuck_inertia_and_spins_up_by_the_inertia_ratio():
    omega0 = 1.5
    spun = scene(
        ANA,
        [
            {"type": "spin", "id": "spin", "time": 0.0, "target": "ana",
             "angular_velocity": list(omega0 * SPIN_AXIS)},
            {"type": "pose", "id": "tuck", "time": 0.5, "actor": "ana", "pose": "tuck",
             "duration": 1.0},
        ],
        duration=3.0,
    )  # fmt: skip
    world = prepare_world(spun)
    initial = float(SPIN_AXIS @ composite_inertia(world) @ SPIN_AXIS)
    trajectory = bake(spun, world=world)
    achieved_tensor = composite_inertia(world)
    achieved = float(SPIN_AXIS @ achieved_tensor @ SPIN_AXIS)
    tuck = pose_inertia("tuck")
    # At the end the pose is held still: the pelvis turns with the whole body.
    omega = trajectory.angular_velocities[-1, trajectory.index("ana")]
    spin_up = float(omega @ SPIN_AXIS) / omega0
    print(
        f"tuck under {omega0} rad/s: I {initial:.3f} -> {achieved:.3f} kg·m² (tuck "
        f"{tuck:.3f}, {100 * (achieved / tuck - 1):+.1f} %); spin-up {spin_up:.3f} "
        f"(I0/I {initial / achieved:.3f}, I0/I_tuck {initial / tuck:.3f})"
    )
    assert achieved == pytest.approx(tuck, rel=INERTIA_TOLERANCE)
    # Angular momentum about the centre of mass is conserved (I·ω stays I0·ω0), so the body
    # spins up by I0/I; the pelvis's rate is the whole body's to the joints' small residual
    # motion.
    mujoco.mj_subtreeVel(world.model, world.data)
    momentum = world.data.subtree_angmom[world.rigs["ana"].root]
    print(f"tuck: |L| {np.linalg.norm(momentum):.6f} vs I0·ω0 {initial * omega0:.6f} kg·m²/s")
    assert momentum == pytest.approx(initial * omega0 * SPIN_AXIS, abs=1e-4 * initial * omega0)
    assert spin_up == pytest.approx(initial / achieved, rel=0.01)
    assert spin_up == pytest.approx(initial / tuck, rel=INERTIA_TOLERANCE)
    assert np.linalg.norm(np.cross(omega, SPIN_AXIS)) < 1e-6 * np.linalg.norm(omega)
    report = blocking_report(spun, trajectory, world.station)
    assert not [w for w in report.warnings if w.kind == "pose_not_held"]


def test_a_pose_needing_more_than_human_strength_is_reported_naming_the_joint():
    names, torque, limit = holding_torques("spread", SPIN_AXIS)
    share = np.abs(torque) / limit
    weakest = int(np.argmax(share))
    omega_limit = 1.0 / math.sqrt(share[weakest])
    print(f"spread about the left-right axis: {names[weakest]} gives way above "
          f"{omega_limit:.1f} rad/s")  # fmt: skip

    def spun(omega: float) -> tuple[Scene, object]:
        spread = scene(
            {**ANA, "posture": "spread"},
            [{"type": "spin", "id": "spin", "time": 0.2, "target": "ana",
              "angular_velocity": list(omega * SPIN_AXIS)}],
            duration=1.5,
        )  # fmt: skip
        world = prepare_world(spread)
        trajectory = bake(spread, world=world)
        report = blocking_report(spread, trajectory, world.station)
        return trajectory, [w for w in report.warnings if w.kind == "pose_not_held"]

    _, held = spun(0.6 * omega_limit)
    assert held == []
    trajectory, given_way = spun(1.5 * omega_limit)
    print("reported:", [(w.actor, round(w.time, 2), w.message) for w in given_way])
    assert given_way
    first = min(given_way, key=lambda w: w.time)
    assert first.actor == "ana"
    assert names[weakest].replace("_", " ") in " ".join(w.message for w in given_way)
    assert 0.2 <= first.time < 0.5
    episodes = trajectory.metadata["poses_not_held"]
    assert {e["joint"] for e in episodes} >= {names[weakest]}
