"""Holds, tethers and the hatch vestibule: what attaches an actor, and what the report says.

Ren's start from the breakfast demo puts his right hand a few millimetres from handrail H6,
so the tests can hold on, pull and let go.
"""

from __future__ import annotations

import json

import numpy as np

from see1previs.core.scene import FORMAT_VERSION, Scene
from see1previs.physics.bake import bake
from see1previs.physics.blocking_report import blocking_report, vestibule_test
from see1previs.physics.simulation import prepare_world
from tests.conftest import SCENES

DEMO = json.loads((SCENES / "zero-g-breakfast.see1.json").read_text(encoding="utf-8"))
REN = next(actor for actor in DEMO["actors"] if actor["id"] == "ren")


def scene(cues, actors=(REN,), duration=3.0) -> Scene:
    return Scene.model_validate(
        {
            "format": FORMAT_VERSION,
            "duration": duration,
            "environment": {"air_drag": False},
            "actors": list(actors),
            "cues": list(cues),
        }
    )


def shove(time: float, impulse) -> dict:
    return {"type": "impulse", "id": f"shove{time:g}", "time": time, "target": "ren",
            "impulse": list(impulse)}  # fmt: skip


def test_a_held_handrail_keeps_the_hand_on_it_until_release():
    away = [-40.0, 0.0, 0.0]  # 0.5 m/s for an 80 kg person
    held = scene(
        [
            {"type": "hold", "id": "grip", "time": 0.1, "actor": "ren", "fixture": "H6",
             "limb": "right_hand"},
            shove(0.5, away),
            {"type": "release", "id": "let-go", "time": 2.0, "actor": "ren", "fixture": "H6"},
        ],
    )  # fmt: skip
    world = prepare_world(held)
    trajectory = bake(held, world=world)
    assert {o["outcome"] for o in trajectory.metadata["cue_outcomes"]} == {"ok"}
    rail = np.array(world.station.fixture("H6").position)
    hand = np.array([trajectory.link_pose("ren/right_hand", t)[0] for t in (1.0, 1.5, 1.9)])
    # The hand stays on the rail while the body swings about it.
    assert np.all(np.linalg.norm(hand - rail, axis=1) < 0.3)  # on the 0.55 m bar
    free = scene([shove(0.5, away)])
    loose = bake(free)
    drifted = np.linalg.norm(loose.link_pose("ren/right_hand", 1.9)[0] - rail)
    held_gap = np.linalg.norm(hand - rail, axis=1).max()
    print(f"hold: hand to rail centre {held_gap:.3f} m held, {drifted:.2f} m free")
    assert drifted > 0.6  # without the hold the same shove carries him off
    # After the release he floats free: the centre of mass moves at a steady velocity.
    v1, v2 = trajectory.velocity("ren", 2.3)[0], trajectory.velocity("ren", 2.9)[0]
    assert np.linalg.norm(v2 - v1) < 1e-3


def test_a_tether_stops_the_harness_at_its_length_and_the_report_says_taut():
    length = 1.0
    tethered = scene(
        [
            {"type": "tether", "id": "line", "time": 0.0, "actor": "ren", "fixture": "H6",
             "length": length},
            shove(0.3, [-60.0, -60.0, 0.0]),
        ],
        duration=4.0,
    )  # fmt: skip
    world = prepare_world(tethered)
    trajectory = bake(tethered, world=world)
    rail = np.array(world.station.fixture("H6").position)
    pelvis = trajectory.link_positions[:, trajectory.links.index("ren/lower_trunk")]
    reach = np.linalg.norm(pelvis - rail, axis=1)
    print(f"tether: farthest harness {reach.max():.3f} m for a {length} m line")
    assert reach.max() < length + 0.15  # harness just above the pelvis; the rope is soft
    report = blocking_report(tethered, trajectory, world.station)
    taut = [w for w in report.warnings if w.kind == "tether_taut"]
    assert taut and "line" in taut[0].message and taut[0].time > 0.3


def test_drifting_into_the_hatch_vestibule_is_reported_unless_a_cue_goes_there():
    # Ren floats at the cabin centre, head toward the hatch, and is nudged to +X.
    ren = {
        **REN,
        "pose": {"position": [1.6, 0.0, 0.0], "orientation": [0.7071068, 0, 0.7071068, 0]},
    }
    drifting = scene([shove(0.2, [48.0, 0.0, 0.0])], actors=(ren,), duration=4.0)
    world = prepare_world(drifting)
    trajectory = bake(drifting, world=world)
    inside = vestibule_test(world.station)
    assert inside(np.array([[3.5, 0.0, 0.0]]))[0] and not inside(np.array([[0.0, 0.0, 0.0]]))[0]
    report = blocking_report(drifting, trajectory, world.station)
    kinds = [w.kind for w in report.warnings]
    print("vestibule:", [(w.kind, round(w.time, 2)) for w in report.warnings])
    assert "vestibule" in kinds
    planned = scene(
        [shove(0.2, [48.0, 0.0, 0.0]),
         {"type": "tether", "id": "clip", "time": 0.0, "actor": "ren", "fixture": "H13",
          "length": 3.0}],
        actors=(ren,), duration=4.0,
    )  # fmt: skip
    report = blocking_report(planned, bake(planned), world.station)
    assert "vestibule" not in [w.kind for w in report.warnings]
