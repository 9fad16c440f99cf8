"""Aiming against truth: the solved cue, baked in full from scratch, does what was asked.

The breakfast demo is the subject: Ren pushes off handrail H6 at 1 s, Mika throws the bulb
at 3.6 s and Ren catches it. Every check bakes the solved scene in full with a fresh world
(the real bake the app shows), never the solver's own trials, and compares with the mark.
"""

from __future__ import annotations

import numpy as np
import pytest

from see1previs.core import quaternion as quat
from see1previs.core.scenefile import load_scene
from see1previs.physics.aim import AimError, solve_aim
from see1previs.physics.aim_targets import (
    ACTOR_STANDOFF,
    AimTargetError,
    parse_target,
    target_choices,
)
from see1previs.physics.bake import bake
from see1previs.physics.simulation import prepare_world
from tests.conftest import SCENES

DEMO = SCENES / "zero-g-breakfast.see1.json"


@pytest.fixture(scope="module")
def demo():
    return load_scene(DEMO)


@pytest.fixture(scope="module")
def world(demo):
    return prepare_world(demo)


def real_bake(scene):
    return bake(scene, world=prepare_world(scene))


def test_push_arrives_at_a_point_at_time(demo, world):
    mark, at = np.array([-1.2, 0.8, 0.2]), 4.0
    result = solve_aim(demo, "ren-push", "-1.2, 0.8, 0.2", at=at, world=world)
    assert result.miss < 0.02
    solved = result.apply(demo)
    cue = next(c for c in solved.cues if c.id == "ren-push")
    assert cue.toward is None and cue.speed == result.speed
    assert cue.speed <= demo.blocking.safe_speed
    trajectory = real_bake(solved)
    arrived = trajectory.pose("ren", at)[0]
    assert np.linalg.norm(arrived - mark) < 0.02
    # And the ballistic guess alone would not have been good enough to call it solved
    # in every case: the trials record how far each one missed.
    assert result.iterations == len(result.trial_misses) >= 1


def test_push_to_an_actor_arrives_at_arms_length_from_them(demo, world):
    result = solve_aim(demo, "ren-push", "mika", at=7.5, world=world)
    trajectory = real_bake(result.apply(demo))
    start = trajectory.pose("ren", 1.0)[0]  # where Ren pushes off from
    mika = trajectory.pose("mika", 7.5)[0]
    mark = mika + ACTOR_STANDOFF * (start - mika) / np.linalg.norm(start - mika)
    assert np.linalg.norm(trajectory.pose("ren", 7.5)[0] - mark) < 0.02


def test_push_at_a_speed_passes_through_the_mark(demo, world):
    result = solve_aim(demo, "ren-push", "-0.6,0.9,-0.3", speed=0.3, world=world)
    assert result.speed == pytest.approx(0.3, abs=1e-4)
    trajectory = real_bake(result.apply(demo))
    arrived = trajectory.pose("ren", result.arrival_time)[0]
    assert np.linalg.norm(arrived - np.array([-0.6, 0.9, -0.3])) < 0.02


def test_too_fast_a_push_is_refused_with_the_speed_it_needs(demo, world):
    with pytest.raises(AimError) as caught:
        solve_aim(demo, "ren-push", "0.5,-2,0", at=2.5, world=world)
    message = str(caught.value)
    assert "ren-push" in message and "m/s" in message and "safe speed" in message


def test_a_mark_behind_the_hold_is_refused(demo, world):
    # Inside the cabin, but against the wall beside H6: Ren would have to push into it.
    rail = world.station.fixture("H6")
    behind = np.asarray(rail.position) + 0.1 * rail.normal + 0.5 * rail.axis
    assert world.station.contains([behind])[0]
    text = ",".join(f"{c:.3f}" for c in behind)
    with pytest.raises(AimError, match="behind the wall"):
        solve_aim(demo, "ren-push", text, at=3.0, world=world)


def test_a_mark_outside_the_module_is_refused(demo, world):
    with pytest.raises(AimError, match="outside the module"):
        solve_aim(demo, "ren-push", "0,0,3.5", at=6.0, world=world)


def test_arriving_before_the_push_ends_is_refused(demo, world):
    with pytest.raises(AimError, match="not after the push ends"):
        solve_aim(demo, "ren-push", "mika", at=1.2, world=world)


def test_throw_reaches_the_catchers_hand_and_the_catch_succeeds(demo, world):
    result = solve_aim(demo, "mika-throw", world=world)  # the catch that follows: Ren's right
    assert result.mark.label == "Ren's right hand"
    catch = next(c for c in demo.cues if c.id == "ren-catch")
    assert result.arrival_time == pytest.approx(catch.time)
    solved = result.apply(demo)
    trajectory = real_bake(solved)
    outcome = next(o for o in trajectory.metadata["cue_outcomes"] if o["id"] == "ren-catch")
    assert outcome["outcome"] == "ok", outcome["reason"]
    # Caught in reach on its way into the hand: the hand closes as the bulb comes within
    # reach, a moment before it would reach the grip at the catch time...
    assert outcome["distance"] <= demo.blocking.reach
    assert catch.time - catch.window < outcome["at"] <= catch.time + 1 / 24
    # ...and held: once the grip has drawn it in, the bulb moves with Ren's hand.
    rig = world.rigs["ren"]

    def bulb_from_grip(t):
        hand, orientation = trajectory.link_pose("ren/right_hand", t)
        grip = hand + quat.to_matrix(orientation) @ rig.grip_local["right_hand"]
        return np.linalg.norm(trajectory.pose("bulb", t)[0] - grip)

    held = [bulb_from_grip(catch.time + dt) for dt in (0.5, 0.75, 1.0)]
    assert max(held) - min(held) < 0.02


def test_only_push_offs_and_throws_can_be_aimed(demo, world):
    with pytest.raises(AimError, match="only push-off and throw"):
        solve_aim(demo, "ren-catch", "mika", at=5.0, world=world)
    with pytest.raises(AimError, match="no cue 'nobody'"):
        solve_aim(demo, "nobody", "mika", at=5.0, world=world)


def test_targets_are_named_in_a_directors_words(demo, world):
    def grip(actor, hand):
        return world.rigs[actor].grip_local[hand]

    assert parse_target("mika", demo, world.station).label == "Mika (host)"
    assert parse_target("ren:right", demo, world.station, grip).label == "Ren's right hand"
    assert parse_target("1, 0, 0", demo, world.station).point == (1.0, 0.0, 0.0)
    with pytest.raises(AimTargetError, match="did you mean 'H6'"):
        parse_target("H66", demo, world.station)
    labels = dict(target_choices(demo, world.station, mover="ren"))
    assert "Mika (host)" in labels and "Ren (guest)" not in labels
    assert labels["Handrail H6 (equator, azimuth 120°)"] == "H6"


def test_a_push_off_a_surface_out_of_reach_is_refused(demo, world):
    from see1previs.core.commands import scene_data, scene_from

    data = scene_data(demo)
    next(c for c in data["cues"] if c["id"] == "ren-push")["surface"] = "H2"  # far away
    data["cues"].append(
        {"type": "release", "id": "ren-lets-go", "time": 0.9, "actor": "ren", "fixture": "H6"}
    )
    far = scene_from(data)
    with pytest.raises(AimError, match=r"ren-push.*within reach of H2"):
        solve_aim(far, "ren-push", "-1.2,0.8,0.2", at=4.0, world=prepare_world(far))
