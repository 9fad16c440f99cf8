"""Bad actor cues are refused on load, each naming the cue by index and id."""

from __future__ import annotations

import json

import pytest

from see1previs.core.scene import FORMAT_VERSION
from see1previs.core.scenefile import SceneFileError, parse_scene


def scene_text(cues: list[dict], actors=None, props=None) -> str:
    return json.dumps(
        {
            "format": FORMAT_VERSION,
            "duration": 10,
            "actors": actors if actors is not None else [{"id": "ana"}, {"id": "ben"}],
            "props": props
            if props is not None
            else [{"id": "mug", "shape": {"type": "sphere", "radius": 0.05}, "mass": 0.3}],
            "cues": cues,
        }
    )


def problems(cues: list[dict], **kw) -> list[str]:
    with pytest.raises(SceneFileError) as caught:
        parse_scene(scene_text(cues, **kw))
    return [str(issue) for issue in caught.value.issues]


def cue(kind: str, cue_id: str, time: float, **fields) -> dict:
    return {"type": kind, "id": cue_id, "time": time, "actor": "ana", **fields}


def test_a_cue_naming_an_unknown_actor():
    assert problems([cue("pose", "p1", 1, actor="anna", pose="tuck")]) == [
        "cues[0].actor: cue 'p1' (pose) refers to 'anna', which is not an actor in this scene "
        "(did you mean 'ana'?)"
    ]


def test_a_throw_of_a_prop_the_actor_does_not_hold():
    (message,) = problems([cue("throw", "t1", 2, prop="mug", speed=1, direction=[1, 0, 0])])
    assert message.startswith("cues[0].prop: cue 't1' (throw, 2 s): 'ana' does not hold 'mug'")


def test_a_throw_after_the_prop_was_already_thrown():
    cues = [
        cue("grab", "g1", 1, target="mug"),
        cue("throw", "t1", 2, prop="mug", speed=1, direction=[1, 0, 0]),
        cue("throw", "t2", 3, prop="mug", speed=1, direction=[0, 1, 0]),
    ]
    (message,) = problems(cues)
    assert message.startswith("cues[2].prop: cue 't2' (throw, 3 s): 'ana' does not hold 'mug'")
    assert "already thrown" in message


def test_one_hand_cannot_hold_two_fixtures():
    cues = [
        cue("hold", "h1", 1, fixture="H5", limb="right_hand"),
        cue("hold", "h2", 2, fixture="H6", limb="right_hand"),
    ]
    assert problems(cues) == [
        "cues[1]: cue 'h2' (hold, 2 s): 'ana' right hand already holds H5; release it first "
        "(one hand cannot hold two fixtures)"
    ]


def test_conflicts_follow_time_not_file_order():
    # The release is written first but happens after the second hold.
    cues = [
        cue("release", "r1", 3, fixture="H5"),
        cue("hold", "h1", 1, fixture="H5", limb="left_hand"),
        cue("hold", "h2", 2, fixture="H6", limb="left_hand"),
    ]
    (message,) = problems(cues)
    assert message.startswith("cues[2]: cue 'h2' (hold, 2 s)")


def test_releasing_what_is_not_held():
    assert problems([cue("release", "r1", 1, fixture="H5")]) == [
        "cues[0]: cue 'r1' (release, 1 s): 'ana' does not hold H5 at this time"
    ]


def test_a_pose_that_does_not_exist():
    (message,) = problems([cue("pose", "p1", 1, pose="tucked")])
    assert message.startswith("cues[0].pose: 'tucked' is not a pose in the library")
    assert "did you mean 'tuck'" in message


def test_out_of_range_and_unknown_joint_overrides():
    (message,) = problems([cue("pose", "p1", 1, joints={"left_knee_flexion": 170})])
    assert message.startswith("cues[0].joints: ")
    assert "left_knee_flexion 170° is outside its human range (-5° to 150°)" in message
    (message,) = problems([cue("pose", "p1", 1, joints={"left_knee_bend": 10})])
    assert "'left_knee_bend' is not a joint of an actor (did you mean 'left_knee_flexion'?)" in (
        message
    )


def test_a_push_off_needs_exactly_one_aim():
    (message,) = problems([cue("push_off", "p1", 1, surface="H5", speed=0.5)])
    assert message.startswith("cues[0]: ") and "exactly one of 'toward'" in message


def test_an_actors_posture_and_joints_are_checked_too():
    actors = [{"id": "ana", "posture": "lotus", "joints": {"neck_twist": 99}}, {"id": "ben"}]
    found = problems([], actors=actors)
    assert any(p.startswith("actors[0].posture: 'lotus' is not a pose") for p in found)
    assert any("neck_twist 99° is outside its human range" in p for p in found)
