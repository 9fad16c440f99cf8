"""Actor cues against analytic mechanics: throw, catch, push-off, rest, and bad blocking.

Air drag is off, so momentum is exactly conserved between bodies and any change of an
actor's momentum is an impulse we can account for.
"""

from __future__ import annotations

import math

import mujoco
import numpy as np
import pytest

from see1previs.core import quaternion as quat
from see1previs.core.scene import FORMAT_VERSION, Scene
from see1previs.physics.bake import bake
from see1previs.physics.blocking_report import blocking_report
from see1previs.physics.simulation import SceneSetupError, prepare_world

M_ACTOR, M_PROP = 65.0, 0.5
ANA = {"id": "ana", "height": 1.7, "mass": M_ACTOR}
HEAD_TO_PLUS_X = tuple(quat.from_axis_angle([0.0, 1.0, 0.0], math.pi / 2))


def scene(actors, props=(), cues=(), duration=2.0) -> Scene:
    return Scene.model_validate(
        {
            "format": FORMAT_VERSION,
            "duration": duration,
            "environment": {"air_drag": False},
            "actors": list(actors),
            "props": list(props),
            "cues": list(cues),
        }
    )


def ball(position, velocity=(0.0, 0.0, 0.0)) -> dict:
    return {
        "id": "ball",
        "shape": {"type": "sphere", "radius": 0.05},
        "mass": M_PROP,
        "pose": {"position": list(position)},
        "velocity": {"linear": list(velocity)},
    }


def right_hand_reach() -> tuple[np.ndarray, np.ndarray]:
    """Ana's right-hand grip point at rest at the origin, and the outward direction to it."""
    world = prepare_world(scene([ANA]))
    grip = world.rigs["ana"].grip_point(world.data, "right_hand")
    out = grip - world.com("ana")
    return grip, out / np.linalg.norm(out)


def total_momentum(world) -> np.ndarray:
    mujoco.mj_forward(world.model, world.data)
    return sum(world.momentum(body.id) for body in world.bodies)


def test_throw_from_rest_splits_momentum_by_mass():
    grip, out = right_hand_reach()
    u = 2.0
    thrown = scene(
        [ANA],
        [ball(grip + 0.12 * out)],
        [
            {"type": "grab", "id": "take", "actor": "ana", "time": 0.2, "target": "ball"},
            {
                "type": "throw",
                "id": "toss",
                "actor": "ana",
                "time": 1.5,
                "prop": "ball",
                "speed": u,
                "direction": list(out),
            },
        ],
    )
    world = prepare_world(thrown)
    trajectory = bake(thrown, world=world)
    outcomes = {o["id"]: o["outcome"] for o in trajectory.metadata["cue_outcomes"]}
    assert outcomes == {"take": "ok", "toss": "ok"}
    prop_velocity = trajectory.velocity("ball", 1.9)[0]
    actor_velocity = trajectory.velocity("ana", 1.9)[0]
    expected_prop = M_ACTOR * u / (M_ACTOR + M_PROP)
    expected_actor = M_PROP * u / (M_ACTOR + M_PROP)
    print(
        f"throw: prop {np.linalg.norm(prop_velocity):.4f} m/s (expected {expected_prop:.4f}),"
        f" actor {np.linalg.norm(actor_velocity):.5f} m/s (expected {expected_actor:.5f})"
    )
    assert np.linalg.norm(prop_velocity) == pytest.approx(expected_prop, rel=0.02)
    assert np.linalg.norm(actor_velocity) == pytest.approx(expected_actor, rel=0.02)
    assert np.dot(actor_velocity, out) < 0  # the recoil is opposite to the throw
    drift = np.linalg.norm(total_momentum(world)) / (M_PROP * u)
    print(f"throw: total momentum after / exchanged = {drift:.1e}")
    assert drift < 1e-6


def test_catch_is_perfectly_inelastic():
    grip, out = right_hand_reach()
    v = 1.5
    start = grip + 0.9 * out
    arrival = (0.9 - 0.12) / v
    caught = scene(
        [ANA],
        [ball(start, velocity=tuple(-v * out))],
        [
            {
                "type": "catch",
                "id": "catch",
                "actor": "ana",
                "time": arrival,
                "target": "ball",
                "window": 0.3,
            }
        ],
        duration=2.5,
    )
    world = prepare_world(caught)
    trajectory = bake(caught, world=world)
    (outcome,) = trajectory.metadata["cue_outcomes"]
    assert outcome["outcome"] == "ok", outcome["reason"]
    common = M_PROP * v / (M_ACTOR + M_PROP)
    actor_velocity = trajectory.velocity("ana", 2.4)[0]
    prop_velocity = trajectory.velocity("ball", 2.4)[0]
    print(
        f"catch: actor {np.linalg.norm(actor_velocity):.5f}, prop "
        f"{np.linalg.norm(prop_velocity):.5f}, common {common:.5f} m/s"
    )
    assert np.linalg.norm(actor_velocity) == pytest.approx(common, rel=0.02)
    system = (M_ACTOR * actor_velocity + M_PROP * prop_velocity) / (M_ACTOR + M_PROP)
    assert system == pytest.approx(-common * out, abs=1e-6)
    assert np.linalg.norm(total_momentum(world) + M_PROP * v * out) < 1e-5 * M_PROP * v


def feet_near_the_wall(gap: float = 0.05) -> dict:
    """Ana head toward the hatch, her nearest foot ``gap`` from the stage-side wall."""
    from see1previs.physics.blocking_runtime import ActorCues

    x = -1.9
    for _ in range(10):  # the feet move with the pelvis: converge on the gap
        actor = {**ANA, "pose": {"position": [x, 0.0, 0.0], "orientation": list(HEAD_TO_PLUS_X)}}
        world = prepare_world(scene([actor]))
        cues = ActorCues(world)
        rig = world.rigs["ana"]
        distance = min(
            cues._wall_distance(rig, rig.limb_geoms[foot]) for foot in ("left_foot", "right_foot")
        )
        if abs(distance - gap) < 0.005:
            return actor
        x -= 0.8 * (distance - gap)
    return actor


def test_push_off_reaches_the_speed_and_the_surface_gives_the_impulse():
    actor = feet_near_the_wall()
    speed = 0.6
    pushed = scene(
        [actor],
        cues=[
            {
                "type": "push_off",
                "id": "go",
                "actor": "ana",
                "time": 0.5,
                "surface": "wall",
                "speed": speed,
                "toward": "HATCH",
                "duration": 0.4,
            }
        ],
        duration=1.5,
    )
    trajectory = bake(pushed)
    (outcome,) = trajectory.metadata["cue_outcomes"]
    assert outcome["outcome"] == "ok", outcome["reason"]
    after = trajectory.velocity("ana", 1.0)[0]
    print(f"push-off: {np.linalg.norm(after):.4f} m/s (asked {speed})")
    assert np.linalg.norm(after) == pytest.approx(speed, rel=0.05)
    assert after[0] > 0.9 * speed  # toward the hatch, +X
    before = trajectory.velocity("ana", 0.4)[0]
    impulse = np.array(outcome["details"]["impulse"])
    momentum_change = M_ACTOR * (after - before)
    assert momentum_change == pytest.approx(impulse, abs=0.01 * M_ACTOR * speed)


def test_push_off_out_of_reach_is_impossible_and_named():
    pushed = scene(
        [ANA],
        cues=[
            {
                "type": "push_off",
                "id": "go",
                "actor": "ana",
                "time": 0.5,
                "surface": "H4",
                "speed": 0.5,
                "direction": [1, 0, 0],
            }
        ],
        duration=1.0,
    )
    world = prepare_world(pushed)
    trajectory = bake(pushed, world=world)
    (outcome,) = trajectory.metadata["cue_outcomes"]
    assert outcome["outcome"] == "impossible"
    assert "H4" in outcome["reason"] and "reach" in outcome["reason"]
    assert np.linalg.norm(trajectory.velocity("ana", 0.9)[0]) < 1e-6  # nothing happened
    report = blocking_report(pushed, trajectory, world.station)
    assert [w.kind for w in report.warnings] == ["unreachable"]


def test_an_actor_with_no_cues_stays_at_rest():
    still = scene([ANA], duration=3.0)
    trajectory = bake(still)
    drift = np.linalg.norm(trajectory.positions[-1, 0] - trajectory.positions[0, 0])
    speed = np.max(np.linalg.norm(trajectory.linear_velocities[:, 0], axis=1))
    print(f"rest: drift {drift:.1e} m, largest COM speed {speed:.1e} m/s")
    assert drift < 1e-6 and speed < 1e-6


@pytest.mark.parametrize(
    ("cue", "path", "words"),
    [
        (
            {"type": "hold", "id": "h", "actor": "ana", "time": 0.1, "fixture": "H99"},
            "cues[0].fixture",
            "no fixture 'H99'",
        ),
        (
            {"type": "hold", "id": "h", "actor": "ana", "time": 0.1, "fixture": "L1"},
            "cues[0].fixture",
            "light ring, not something to hold",
        ),
        (
            {
                "type": "push_off",
                "id": "p",
                "actor": "ana",
                "time": 0.1,
                "surface": "wall",
                "speed": 1,
                "toward": "nowhere",
            },
            "cues[0].toward",
            "'nowhere' is not a fixture",
        ),
    ],
)
def test_cues_naming_what_the_interior_lacks_are_setup_errors(cue, path, words):
    with pytest.raises(SceneSetupError) as caught:
        prepare_world(scene([ANA], cues=[cue]))
    ((where, message),) = caught.value.problems
    assert where == path
    assert words in message
    assert f"'{cue['id']}'" in message  # the cue is named by id as well as by index


def test_report_measures_an_actors_clearance_from_its_segments():
    from see1previs.physics.report import SimulationReport

    near = scene([feet_near_the_wall(gap=0.05)], duration=0.5)
    world = prepare_world(near)
    trajectory = bake(near, world=world)
    (actor,) = SimulationReport.build(world, trajectory, False).bodies
    print(f"report: nearest foot {actor.min_hull_clearance:.3f} m from the wall")
    assert actor.min_hull_clearance == pytest.approx(0.05, abs=0.02)
