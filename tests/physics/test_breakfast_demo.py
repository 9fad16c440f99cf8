"""The articulated-actor demo scene bakes clean, and a broken copy is caught.

``scenes/zero-g-breakfast.see1.json`` has two actors, a handrail push-off, a thrown and
caught bulb, pose changes and a tether: its blocking report must have no warnings. Breaking
the blocking the way a director might (pushing off too hard, calling the catch late, reaching
for a handrail across the room) must produce exactly those warnings.
"""

from __future__ import annotations

import json

import pytest

from see1previs.core.scenefile import load_scene, parse_scene
from see1previs.physics.blocking_report import blocking_report
from see1previs.physics.simulation import simulate
from tests.conftest import SCENES

DEMO = SCENES / "zero-g-breakfast.see1.json"


@pytest.fixture(scope="module")
def demo():
    scene = load_scene(DEMO)
    result = simulate(scene, DEMO.parent)
    return scene, result, blocking_report(scene, result.trajectory, result.station)


def test_demo_has_what_the_issue_asks_for(demo):
    scene, _result, _report = demo
    assert len(scene.actors) == 2 and all(a.body == "humanoid" for a in scene.actors)
    kinds = {cue.type for cue in scene.cues}
    assert {"push_off", "throw", "catch", "pose", "tether", "hold"} <= kinds
    push = next(cue for cue in scene.cues if cue.type == "push_off")
    assert push.surface.startswith("H")  # a handrail


def test_demo_bakes_without_warnings(demo):
    _scene, result, report = demo
    assert report.warnings == []
    assert {cue.outcome for cue in report.cues} == {"ok"}
    # The catch really happened: the bulb ends up moving with Ren's hand.
    catch = next(cue for cue in report.cues if cue.type == "catch")
    end = result.trajectory.duration
    bulb = result.trajectory.pose("bulb", end)[0]
    hand = result.trajectory.link_pose("ren/right_hand", end)[0]
    assert ((bulb - hand) ** 2).sum() ** 0.5 < 0.25
    assert catch.at is not None and abs(catch.at - catch.time) <= 0.5


def test_broken_copy_gets_the_expected_warnings():
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    cues = {cue["id"]: cue for cue in data["cues"]}
    cues["ren-push"]["speed"] = 1.5  # flies into Mika far too fast
    cues["ren-catch"]["time"] = 7.0  # calls the catch long after the bulb has gone by
    data["cues"].append(
        {
            "type": "hold",
            "id": "ren-holds-h5",
            "time": 0.5,
            "actor": "ren",
            "fixture": "H5",
            "limb": "left_hand",
        }
    )  # fmt: skip  (H5 is a metre and more from where Ren floats)
    scene = parse_scene(json.dumps(data))
    result = simulate(scene, DEMO.parent)
    report = blocking_report(scene, result.trajectory, result.station)
    kinds = {warning.kind for warning in report.warnings}
    print("\n".join(f"{w.time:5.2f} {w.actor}: {w.message}" for w in report.warnings))
    assert {"hard_contact", "missed_catch", "unreachable"} <= kinds
    collisions = [w for w in report.warnings if w.kind == "hard_contact" and "'mika'" in w.message]
    assert collisions and collisions[0].actor == "ren" and 2.0 < collisions[0].time < 3.5
    unreachable = next(w for w in report.warnings if w.kind == "unreachable")
    assert unreachable.actor == "ren" and unreachable.time == 0.5
    assert "ren-holds-h5" in unreachable.message and "left hand" in unreachable.message
    missed = next(w for w in report.warnings if w.kind == "missed_catch")
    assert missed.actor == "ren"
    assert "ren-catch" in missed.message and "came no closer than" in missed.message
