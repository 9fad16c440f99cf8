"""A new cue's starting values, checked against geometry set up by hand.

The trajectories here are written directly (no physics): hands, feet and bodies are put
where the test wants them, so which handrail is nearest is known independently, by sampling
points along every bar.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from see1previs.physics.anthropometry import scaled_segments
from see1previs.physics.cue_defaults import (
    GRIP_FRACTION,
    Moment,
    NoCueHere,
    fixture_distance,
    new_cue,
    untether_at,
)
from see1previs.physics.trajectory import Trajectory
from see1previs.station.loader import load_station
from tests.physics.scenes import make_scene, sphere_prop

STATION = load_station("see1")
LIMBS = ("right_hand", "left_hand", "right_foot", "left_foot")
FAR = np.array([0.0, 0.0, 0.0])


def actor(actor_id: str, position, name: str = "") -> dict:
    return {"id": actor_id, "name": name, "height": 1.75, "mass": 75.0,
            "pose": {"position": list(position)}}  # fmt: skip


def trajectory(bodies: dict[str, tuple], limbs: dict[str, dict[str, tuple]], velocities=None):
    """Two frames, everything still where given: bodies (id -> position), limbs (actor ->
    {limb: grip point or foot centre}) with identity orientations."""
    ids = list(bodies)
    positions = np.array([[bodies[b] for b in ids]] * 2, dtype=float)
    orientations = np.tile([1.0, 0.0, 0.0, 0.0], (2, len(ids), 1))
    velocity = np.zeros_like(positions)
    for body, v in (velocities or {}).items():
        velocity[:, ids.index(body)] = v
    links, link_positions = [], []
    hand = scaled_segments(1.75, 75.0)["hand"].length
    foot = scaled_segments(1.75, 75.0)["foot"].length
    for actor_id, points in limbs.items():
        for limb in LIMBS:
            point = np.asarray(points.get(limb, bodies[actor_id]), dtype=float)
            # Undo the offset from the segment origin to the grip (hand) or centre (foot).
            offset = (0, 0, -GRIP_FRACTION * hand) if "hand" in limb else (0.5 * foot, 0, 0)
            links.append(f"{actor_id}/{limb}")
            link_positions.append(point - np.asarray(offset))
    link_positions = np.array([link_positions] * 2)
    return Trajectory(
        body_ids=ids,
        frame_rate=Fraction(24),
        times=np.array([0.0, 1 / 24]),
        positions=positions,
        orientations=orientations,
        linear_velocities=velocity,
        angular_velocities=np.zeros_like(positions),
        links=links,
        link_positions=link_positions,
        link_orientations=np.tile([1.0, 0.0, 0.0, 0.0], (2, len(links), 1)),
    )


def bar_distance(fixture, point) -> float:
    """Distance to a fixture's bar by brute force: 2001 points along it."""
    centre = np.asarray(fixture.position)
    samples = centre + np.outer(np.linspace(-0.5, 0.5, 2001) * fixture.length, fixture.axis)
    return float(np.min(np.linalg.norm(samples - point, axis=1)))


def test_fixture_distance_is_the_distance_to_the_bar():
    rng = np.random.default_rng(3)
    for fixture in STATION.fixtures:
        if fixture.kind not in ("handrail", "foot_restraint"):
            continue
        for _ in range(5):
            point = np.asarray(fixture.position) + rng.normal(0, 0.4, 3)
            assert fixture_distance(fixture, point) == pytest.approx(
                bar_distance(fixture, point), abs=1e-3
            )


def test_hold_takes_the_truly_nearest_handrail_with_the_hand_nearest_it():
    h5, h6 = STATION.fixture("H5"), STATION.fixture("H6")
    # The right hand between H5 and H6, a little nearer H5's bar end; the left hand far off.
    point = 0.45 * np.asarray(h6.position) + 0.55 * np.asarray(h5.position)
    point = point - 0.15 * np.array([0.0, 1.0, 0.0])
    assert bar_distance(h5, point) < bar_distance(h6, point)
    scene = make_scene(actors=[actor("ren", (0.0, 1.8, 0.0))])
    bake = trajectory({"ren": (0.0, 1.8, 0.0)}, {"ren": {"right_hand": point}})
    cue = new_cue("hold", "ren", Moment(scene, STATION, 0.5, bake))
    assert (cue["fixture"], cue["limb"], cue["time"]) == ("H5", "right_hand", 0.5)
    # The left hand closer to H6 than the right hand to anything: the left hand takes H6.
    near_h6 = np.asarray(h6.position) + 0.05 * h6.normal
    bake = trajectory(
        {"ren": (0.0, 1.8, 0.0)}, {"ren": {"right_hand": point, "left_hand": near_h6}}
    )
    cue = new_cue("hold", "ren", Moment(scene, STATION, 0.5, bake))
    assert (cue["fixture"], cue["limb"]) == ("H6", "left_hand")


def test_hold_offers_a_foot_restraint_to_the_feet():
    fr2 = STATION.fixture("FR2")
    feet = np.asarray(fr2.position) + 0.05 * fr2.normal
    scene = make_scene(actors=[actor("mika", (-1.8, 1.0, 0.0))])
    bake = trajectory({"mika": (-1.8, 1.0, 0.0)}, {"mika": {"right_foot": feet, "left_foot": feet}})
    cue = new_cue("hold", "mika", Moment(scene, STATION, 0.0, bake))
    assert (cue["fixture"], cue["limb"]) == ("FR2", "feet")


def test_push_off_leaves_from_the_fixture_held_toward_the_other_actor():
    scene = make_scene(
        actors=[actor("ren", (-1.2, 2.0, 0.0)), actor("mika", (-0.9, -0.7, 0.0))],
        cues=[{"type": "hold", "id": "h", "time": 0.1, "actor": "ren", "fixture": "H6"}],
    )
    cue = new_cue("push_off", "ren", Moment(scene, STATION, 1.0))
    assert cue["surface"] == "H6" and cue["toward"] == "mika"
    assert 0 < cue["speed"] < scene.blocking.safe_speed
    # After letting go, nothing is held and no fixture is in reach: the bare wall.
    released = make_scene(
        actors=[actor("ren", (0.0, 0.0, 0.0))],
        cues=[
            {"type": "hold", "id": "h", "time": 0.1, "actor": "ren", "fixture": "H6"},
            {"type": "release", "id": "r", "time": 0.5, "actor": "ren", "fixture": "H6"},
        ],
    )
    cue = new_cue("push_off", "ren", Moment(released, STATION, 1.0))
    assert cue["surface"] == "wall" and "direction" in cue and "toward" not in cue


def test_throw_throws_the_prop_in_hand_and_catch_takes_the_flying_prop_nearest_the_hand():
    scene = make_scene(
        [sphere_prop("bulb", (-0.5, -0.5, 0.0)), sphere_prop("slate", (0.5, 0.5, 0.0))],
        actors=[actor("mika", (-0.9, -0.7, 0.0)), actor("ren", (-1.0, 1.5, 0.0))],
        cues=[{"type": "grab", "id": "g", "time": 0.4, "actor": "mika", "target": "slate"}],
    )
    throw = new_cue("throw", "mika", Moment(scene, STATION, 3.6))
    assert (throw["prop"], throw["toward"]) == ("slate", "ren")
    with pytest.raises(NoCueHere, match="holds no prop"):
        new_cue("throw", "mika", Moment(scene, STATION, 0.2))  # before the grab
    # Two flying props: the one nearest Ren's left hand, though the other is nearer his body.
    left = np.array([-0.6, 1.5, 0.3])
    bodies = {
        "mika": (-0.9, -0.7, 0.0),
        "ren": (-1.0, 1.5, 0.0),
        "bulb": (-0.7, 1.5, 0.3),
        "slate": (-1.0, 1.6, 0.0),
    }
    bake = trajectory(
        bodies,
        {"ren": {"left_hand": left, "right_hand": (-1.4, 1.5, -0.2)}, "mika": {}},
        velocities={"bulb": (0.0, 1.0, 0.0), "slate": (0.0, 0.0, 0.0)},
    )
    catch = new_cue("catch", "ren", Moment(scene, STATION, 0.0, bake))
    assert (catch["target"], catch["hand"]) == ("bulb", "left")


def test_grab_takes_the_prop_nearest_a_free_hand():
    scene = make_scene(
        [sphere_prop("bulb", (0.4, 0.0, 0.0)), sphere_prop("slate", (-0.4, 0.0, 0.0))],
        actors=[actor("mika", (0.0, 0.0, 0.0))],
    )
    bake = trajectory(
        {"mika": (0, 0, 0), "bulb": (0.4, 0, 0), "slate": (-0.4, 0, 0)},
        {"mika": {"right_hand": (0.3, 0, 0), "left_hand": (-0.1, 0, 0)}},
    )
    cue = new_cue("grab", "mika", Moment(scene, STATION, 0.0, bake))
    assert (cue["target"], cue["hand"]) == ("bulb", "right")


def test_tether_clips_to_the_nearest_grip_fixture_with_the_harness_in_reach():
    scene = make_scene(actors=[actor("mika", (-2.2, 0.1, 0.0))])
    cue = new_cue("tether", "mika", Moment(scene, STATION, 0.0))
    distances = {
        f.id: bar_distance(f, np.array([-2.2, 0.1, 0.0]))
        for f in STATION.fixtures
        if f.kind in ("handrail", "foot_restraint")
    }
    assert cue["fixture"] == min(distances, key=distances.get) == "FR1"
    assert cue["length"] > distances["FR1"]


def test_untether_unclips_the_tether_clipped_now():
    scene = make_scene(
        actors=[actor("mika", (-2.2, 0.1, 0.0))],
        cues=[
            {
                "type": "tether",
                "id": "t",
                "time": 0.0,
                "actor": "mika",
                "fixture": "FR1",
                "length": 3.0,
            }
        ],
    )
    assert untether_at("mika", Moment(scene, STATION, 2.5)) == (0, 2.5)
    with pytest.raises(NoCueHere, match="no tether"):
        untether_at("mika", Moment(make_scene(actors=[actor("mika", (0, 0, 0))]), STATION, 1))


def test_release_lets_go_of_what_is_held_and_refuses_when_nothing_is():
    scene = make_scene(
        actors=[actor("ren", (-1.2, 2.0, 0.0))],
        cues=[{"type": "hold", "id": "h", "time": 0.1, "actor": "ren", "fixture": "H6"}],
    )
    assert new_cue("release", "ren", Moment(scene, STATION, 1.0))["fixture"] == "H6"
    with pytest.raises(NoCueHere, match="holds no fixture"):
        new_cue("release", "ren", Moment(scene, STATION, 0.0))


def test_prop_impulse_gives_the_default_speed_toward_the_nearest_actor():
    scene = make_scene(
        [sphere_prop("bulb", (0.0, 0.0, 0.0), mass=0.5)], actors=[actor("ren", (0.0, 2.0, 0.0))]
    )
    cue = new_cue("impulse", "bulb", Moment(scene, STATION, 1.0))
    assert cue["impulse"] == pytest.approx([0.0, 0.5 * 0.3, 0.0])
    spin = new_cue("spin", "bulb", Moment(scene, STATION, 1.0))
    assert spin["target"] == "bulb" and np.linalg.norm(spin["angular_velocity"]) > 0
    with pytest.raises(NoCueHere, match="select an actor"):
        new_cue("hold", "bulb", Moment(scene, STATION, 1.0))
