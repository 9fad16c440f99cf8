"""One actor catching another: a grip, with the momentum truth of a perfectly inelastic catch.

Closed forms, with the actors' real total masses from the compiled model (m₁, m₂) and air
drag off:

- after the grip both move at V = (m₁v₁ + m₂v₂)/(m₁ + m₂) when they close head-on (their
  angular momentum about the joint centre of mass is zero, so the pair does not turn);
- the pair's angular momentum about its joint centre of mass is what it was before;
- the holding arm and the held person do not collide while held (no contact episodes);
- after a release both keep floating at V.
"""

from __future__ import annotations

import mujoco
import numpy as np
import pytest

from see1previs.core import quaternion as quat
from see1previs.core.scene import FORMAT_VERSION, Scene
from see1previs.physics.bake import bake
from see1previs.physics.simulation import prepare_world

ANA = {"id": "ana", "height": 1.7, "mass": 65.0, "posture": "reach-forward"}
BOB = {"id": "bob", "height": 1.8, "mass": 80.0}
FACING_ANA = list(quat.from_axis_angle([0.0, 0.0, 1.0], np.pi))
V_ANA, V_BOB = 0.1, 0.4  # m/s, toward each other
VELOCITY_TOLERANCE = 1e-3  # × the closing speed


def scene(actors, cues=(), duration: float = 4.0) -> Scene:
    return Scene.model_validate(
        {
            "format": FORMAT_VERSION,
            "duration": duration,
            "environment": {"air_drag": False},
            "actors": list(actors),
            "cues": list(cues),
        }
    )


def closing_pair(offset: float = 0.0) -> tuple[dict, dict, np.ndarray]:
    """Ana reaching forward, Bob drifting at her right hand along the line from her centre
    of mass through it (``offset`` m to the side of that line), closing at 0.5 m/s."""
    alone = prepare_world(scene([ANA], duration=1.0))
    grip = alone.rigs["ana"].grip_point(alone.data, "right_hand")
    line = grip - alone.com("ana")
    line /= np.linalg.norm(line)
    side = np.cross(line, [0.0, 0.0, 1.0])
    side /= np.linalg.norm(side)
    placed = prepare_world(
        scene([{**BOB, "pose": {"position": [0, 0, 0], "orientation": FACING_ANA}}], duration=1.0)
    )
    bob_com = placed.com("bob")  # from his pose's origin
    start = grip + 0.75 * line + offset * side - bob_com
    ana = {**ANA, "velocity": {"linear": list(V_ANA * line)}}
    bob = {
        **BOB,
        "pose": {"position": list(start), "orientation": FACING_ANA},
        "velocity": {"linear": list(-V_BOB * line)},
    }
    return ana, bob, line


def pair_state(world) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pair's momentum, centre of mass and angular momentum about that centre."""
    model, data = world.model, world.data
    mujoco.mj_forward(model, data)
    mujoco.mj_subtreeVel(model, data)
    roots = [world.rigs[a].root for a in ("ana", "bob")]
    masses = [model.body_subtreemass[r] for r in roots]
    momenta = [world.momentum(a) for a in ("ana", "bob")]
    centre = sum(m * data.subtree_com[r] for m, r in zip(masses, roots, strict=True)) / sum(masses)
    spin = np.zeros(3)
    for root, momentum in zip(roots, momenta, strict=True):
        spin += data.subtree_angmom[root] + np.cross(data.subtree_com[root] - centre, momentum)
    return sum(momenta), centre, spin


def contacts_between(trajectory, after: float) -> list:
    return [
        row
        for row in trajectory.contacts
        if {str(row["body_a"]), str(row["body_b"])} == {"ana", "bob"} and float(row["end"]) >= after
    ]


@pytest.mark.parametrize("action", ["catch", "grab"])
def test_taking_a_person_head_on_moves_both_at_the_common_velocity_until_released(action):
    ana, bob, line = closing_pair()
    take = {"type": "catch", "id": "catch", "actor": "ana", "time": 0.4, "target": "bob",
            "window": 0.4}  # fmt: skip
    if action == "grab":  # at a moment the nearest part of him is within reach
        take = {"type": "grab", "id": "catch", "actor": "ana", "time": 0.2, "target": "bob"}
    cues = [take, {"type": "release", "id": "let-go", "actor": "ana", "time": 3.0, "target": "bob"}]
    caught = scene([ana, bob], cues)
    world = prepare_world(caught)
    m1, m2 = (world.rigs[a].total_mass(world.model) for a in ("ana", "bob"))
    common = (m1 * V_ANA - m2 * V_BOB) / (m1 + m2) * line
    trajectory = bake(caught, world=world)
    outcomes = {o["id"]: o for o in trajectory.metadata["cue_outcomes"]}
    assert outcomes["catch"]["outcome"] == "ok", outcomes["catch"]["reason"]
    assert outcomes["let-go"]["outcome"] == "ok", outcomes["let-go"]["reason"]
    caught_at = outcomes["catch"]["at"]
    closing = V_ANA + V_BOB
    worst = 0.0
    for t in (caught_at + 0.1, 1.5, 2.9, 3.2, 3.9):  # held, then let go
        for actor in ("ana", "bob"):
            worst = max(worst, float(np.linalg.norm(trajectory.velocity(actor, t)[0] - common)))
    print(
        f"person {action} at {caught_at:.3f} s by the {outcomes['catch']['details']['part']}: "
        f"m1 {m1:.2f} kg, m2 {m2:.2f} kg, common {np.linalg.norm(common):.5f} m/s, worst "
        f"difference {worst:.1e} m/s ({worst / closing:.1e} of the closing speed)"
    )
    assert worst < VELOCITY_TOLERANCE * closing
    assert contacts_between(trajectory, after=caught_at) == []


@pytest.mark.parametrize(("part", "offset"), [("harness", 0.12), (None, 0.3)])
def test_an_off_centre_catch_keeps_the_pairs_momentum_and_angular_momentum(part, offset):
    ana, bob, _ = closing_pair(offset)
    cues = [{"type": "catch", "id": "catch", "actor": "ana", "time": 0.6, "target": "bob",
             "part": part, "window": 0.6}]  # fmt: skip
    caught = scene([ana, bob], cues, duration=2.5)
    world = prepare_world(caught)
    momentum0, _, spin0 = pair_state(world)
    trajectory = bake(caught, world=world)
    (outcome,) = trajectory.metadata["cue_outcomes"]
    assert outcome["outcome"] == "ok", outcome["reason"]
    if part == "harness":
        assert outcome["details"]["part"] == "lower_trunk"
    momentum, _, spin = pair_state(world)
    scale = np.linalg.norm(spin0)
    print(
        f"catch by the {outcome['details']['part']}: |L| {scale:.4f} -> "
        f"{np.linalg.norm(spin):.4f} kg·m²/s about the joint centre of mass (change "
        f"{np.linalg.norm(spin - spin0):.1e}), momentum change "
        f"{np.linalg.norm(momentum - momentum0):.1e} kg·m/s"
    )
    assert scale > 1.0  # a real test: the pair turns
    assert np.linalg.norm(spin - spin0) < 1e-4 * scale
    assert np.linalg.norm(momentum - momentum0) < 1e-9 * np.linalg.norm(momentum0)
    assert contacts_between(trajectory, after=outcome["at"]) == []


def test_releasing_a_person_never_held_and_a_prop_part_are_scene_errors():
    from pydantic import ValidationError

    bob = {**BOB, "pose": {"position": [1.0, 0.0, 0.0]}}
    ball = {"id": "ball", "shape": {"type": "sphere", "radius": 0.05}, "mass": 0.5,
            "pose": {"position": [0.5, 0.0, 0.0]}}  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        Scene.model_validate(
            {
                "format": FORMAT_VERSION,
                "duration": 1.0,
                "actors": [ANA, bob],
                "props": [ball],
                "cues": [
                    {"type": "release", "id": "drop", "actor": "ana", "time": 0.5,
                     "target": "bob"},
                    {"type": "grab", "id": "take", "actor": "bob", "time": 0.1,
                     "target": "ball", "part": "left_ankle"},
                ],
            }
        )  # fmt: skip
    text = str(caught.value)
    assert "cues[0].target" in text and "'ana' does not hold 'bob' at this time" in text
    assert "cues[1].part" in text and "'ball' is a prop" in text
    with pytest.raises(ValidationError, match="exactly one of 'fixture'"):
        scene([ANA], [{"type": "release", "id": "x", "actor": "ana", "time": 0.1}])


def test_a_bake_with_a_grip_is_deterministic_and_resumes_exactly_after_an_edit():
    from see1previs.physics.simulation import simulate

    ana, bob, _ = closing_pair()

    def held_until(release: float) -> Scene:
        return scene(
            [ana, bob],
            [
                {"type": "catch", "id": "catch", "actor": "ana", "time": 0.4, "target": "bob",
                 "window": 0.4},
                {"type": "release", "id": "let-go", "actor": "ana", "time": release,
                 "target": "bob"},
            ],
            duration=4.0,
        )  # fmt: skip

    first = simulate(held_until(2.5))
    assert first.trajectory.content_hash() == simulate(held_until(2.5)).trajectory.content_hash()
    # Checkpoints after the catch carry the grip (weld, contact masks) into the resumed bake.
    resumed = simulate(held_until(3.2), previous=first, affected_from=2.5)
    full = simulate(held_until(3.2))
    assert resumed.resumed_from is not None and 1.0 < resumed.resumed_from <= 2.5
    assert resumed.trajectory.content_hash() == full.trajectory.content_hash()
    assert resumed.trajectory.metadata["cue_outcomes"] == full.trajectory.metadata["cue_outcomes"]
