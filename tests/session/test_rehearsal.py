"""Rehearsal timing without Qt: countdowns, stepping and pausing match the scene's cue times."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from see1previs.core import quaternion as quat
from see1previs.core.scene import actor_cues
from see1previs.core.scenefile import load_scene
from see1previs.export.files import ExportError
from see1previs.physics.cache import BakeCache
from see1previs.physics.simulation import simulate
from see1previs.session.rehearsal import (
    NOW_HOLD_S,
    Rehearsal,
    countdown_words,
    performer_label,
)
from tests.conftest import SCENES

DEMO = SCENES / "zero-g-breakfast.see1.json"


@pytest.fixture(scope="module")
def baked():
    scene = load_scene(DEMO)
    return scene, simulate(scene, DEMO.parent, cache=BakeCache())


@pytest.fixture(scope="module")
def rehearsals(baked):
    from see1previs.physics.blocking_report import blocking_report

    scene, result = baked
    report = blocking_report(scene, result.trajectory, result.station)
    return {
        actor.id: Rehearsal(scene, actor.id, result.trajectory, result.station, report)
        for actor in scene.actors
    }


def written_cue_times(actor_id: str) -> list[tuple[str, float]]:
    """The actor's cues (id, time) read straight from the scene file, sorted by time."""
    raw = json.loads(DEMO.read_text())["cues"]
    mine = [(c["id"], float(c["time"])) for c in raw if c.get("actor") == actor_id]
    return sorted(mine, key=lambda c: c[1])


@pytest.mark.parametrize("actor_id", ["mika", "ren"])
def test_the_cues_are_the_actors_own_in_acting_order(rehearsals, actor_id):
    rehearsal = rehearsals[actor_id]
    assert [(c.cue_id, c.time) for c in rehearsal.cues] == written_cue_times(actor_id)
    assert [c.number for c in rehearsal.cues] == list(range(1, len(rehearsal.cues) + 1))


@pytest.mark.parametrize("actor_id", ["mika", "ren"])
def test_countdown_is_cue_time_minus_playhead_for_every_cue(rehearsals, actor_id):
    rehearsal = rehearsals[actor_id]
    previous = -np.inf
    for cue_id, time in written_cue_times(actor_id):
        # From the end of the previous cue's NOW (its hold, or this cue if sooner) to the cue
        # itself, this cue is announced.
        start = max(min(previous + NOW_HOLD_S, time), 0.0)
        for t in np.linspace(start, time, 7):
            prompt = rehearsal.prompt(float(t))
            assert prompt.cue.cue_id == cue_id
            assert prompt.seconds_until == pytest.approx(time - t, abs=1e-9)
            if time - t > 1e-6:
                shown = float(prompt.countdown.removeprefix("in ").removesuffix(" s"))
                assert time - t - 1e-6 <= shown < time - t + 0.1 + 1e-9
        assert rehearsal.prompt(time).countdown == "NOW"
        following = [t for _, t in written_cue_times(actor_id) if t > time]
        if not following or following[0] > time + NOW_HOLD_S:
            assert rehearsal.prompt(time + NOW_HOLD_S * 0.9).cue.cue_id == cue_id
        previous = time
    done = rehearsal.prompt(previous + NOW_HOLD_S + 0.01)
    assert done.cue is None and done.countdown == ""


def test_countdown_words():
    assert countdown_words(3.0) == "in 3.0 s"
    assert countdown_words(2.41) == "in 2.5 s"  # rounded up: never "0.0" before the cue
    assert countdown_words(0.001) == "in 0.1 s"
    assert countdown_words(0.0) == "NOW"
    assert countdown_words(-0.3) == "NOW"


def test_prompt_uses_the_cue_sheet_words(rehearsals):
    push = rehearsals["ren"].prompt(0.7)
    assert push.cue.cue_id == "ren-push"
    assert push.text == "Push off H6 toward Mika (host) at 0.25 m/s"
    assert push.countdown == "in 0.3 s"


@pytest.mark.parametrize("actor_id", ["mika", "ren"])
def test_step_next_and_previous_follow_acting_order(rehearsals, actor_id):
    rehearsal = rehearsals[actor_id]
    order = [cue_id for cue_id, _ in written_cue_times(actor_id)]
    t, current, visited = 0.0, None, []
    while (position := rehearsal.next_cue(t, current)) is not None:
        current, t = position, rehearsal.cues[position].time
        visited.append(rehearsal.cues[position].cue_id)
    assert visited == order
    back = []
    while (position := rehearsal.previous_cue(t, current)) is not None:
        current, t = position, rehearsal.cues[position].time
        back.append(rehearsal.cues[position].cue_id)
    assert back == order[-2::-1]


def test_cues_at_the_same_time_are_stepped_one_by_one(baked):
    scene, result = baked
    cues = list(scene.cues)
    first = next(c for _, c in actor_cues(scene, "ren") if c.type == "pose")
    twin = first.model_copy(update={"id": "ren-twin", "pose": "tuck"})
    twin_scene = scene.model_copy(update={"cues": [*cues, twin]})
    rehearsal = Rehearsal(twin_scene, "ren", result.trajectory, result.station)
    ids, t, current = [], 0.0, None
    while (position := rehearsal.next_cue(t, current)) is not None:
        current, t = position, rehearsal.cues[position].time
        ids.append(rehearsal.cues[position].cue_id)
    assert ids.count("ren-twin") == 1 and first.id in ids
    assert abs(ids.index("ren-twin") - ids.index(first.id)) == 1


@pytest.mark.parametrize("actor_id", ["mika", "ren"])
def test_pause_at_cue_stops_exactly_at_each_cue_time(rehearsals, actor_id):
    rehearsal = rehearsals[actor_id]
    frame = 1.0 / 24.0
    t, stops = 0.0, []
    while t < rehearsal.duration:
        t1 = min(t + frame, rehearsal.duration)
        stop = rehearsal.pause_between(t, t1)
        if stop is not None:
            stops.append(stop)
            t = stop  # paused there; play resumes from the cue time
        else:
            t = t1
    expected = [time for _, time in written_cue_times(actor_id) if time > 0.0]
    assert stops == sorted(set(expected))


def test_first_person_eye_is_in_front_of_the_head_looking_where_the_face_points(rehearsals):
    rehearsal = rehearsals["ren"]
    for t in (0.0, 1.0, 3.0, 5.09):
        head, orientation = rehearsal.trajectory.link_pose("ren/head", t)
        eye, forward, up = rehearsal.first_person(t)
        face = quat.rotate(orientation, (1.0, 0.0, 0.0))
        assert forward == pytest.approx(face)
        assert up == pytest.approx(quat.rotate(orientation, (0.0, 0.0, 1.0)))
        assert 0.05 < float((eye - head) @ face) < 0.2  # ahead of the head's origin
        assert np.linalg.norm(eye - head) < 0.25


def test_follow_cam_looks_at_the_actor_from_behind_inside_the_cabin(rehearsals):
    rehearsal = rehearsals["mika"]
    for t in np.linspace(0.0, rehearsal.duration, 9):
        eye, forward, _ = rehearsal.follow_cam(float(t))
        neck, _ = rehearsal.trajectory.link_pose("mika/head", float(t))
        to_neck = (neck - eye) / np.linalg.norm(neck - eye)
        assert forward == pytest.approx(to_neck)
        assert np.linalg.norm(eye) <= 2.85 + 1e-9
        _, trunk = rehearsal.trajectory.link_pose("mika/upper_trunk", float(t))
        facing = quat.rotate(trunk, (1.0, 0.0, 0.0))
        assert float((eye - neck) @ facing) < 0.0  # behind her


def test_path_ahead_follows_the_hips_for_three_seconds(rehearsals):
    rehearsal = rehearsals["ren"]
    path = rehearsal.path_ahead(1.0)
    assert len(path) == 3 * 24 + 1
    assert path[0] == pytest.approx(rehearsal.trajectory.link_pose("ren/lower_trunk", 1.0)[0])
    assert path[-1] == pytest.approx(rehearsal.trajectory.link_pose("ren/lower_trunk", 4.0)[0])
    assert len(rehearsal.path_ahead(rehearsal.duration - 0.5)) == 13  # stops at the end


def test_operators_are_named_with_their_camera(baked):
    scene = load_scene(SCENES / "first-light.see1.json")
    handheld = [c for c in scene.cameras if getattr(c.rig, "operator", None)]
    operators = {c.rig.operator for c in handheld}
    for actor in scene.actors:
        label = performer_label(scene, actor.id)
        assert label.startswith(actor.name or actor.id)
        assert ("operator of camera" in label) == (actor.id in operators)
    baked_scene, _ = baked
    assert performer_label(baked_scene, "ren") == "Ren (guest)"


def test_unknown_actor_is_refused_with_the_known_ids(baked):
    scene, result = baked
    with pytest.raises(ExportError, match="did you mean 'ren'"):
        Rehearsal(scene, "renn", result.trajectory, result.station)


def test_rehearsal_module_does_not_import_qt():
    import subprocess
    import sys

    code = (
        "import sys; import see1previs.session.rehearsal; "
        "sys.exit(1 if any(m.startswith('PySide6') for m in sys.modules) else 0)"
    )
    assert (
        subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parents[2]).returncode == 0
    )


def test_a_performer_without_cues_is_told_so(baked):
    scene, result = baked
    quiet = scene.model_copy(update={"cues": [c for c in scene.cues if c.actor != "ren"]})
    rehearsal = Rehearsal(quiet, "ren", result.trajectory, result.station)
    assert rehearsal.cues == []
    prompt = rehearsal.prompt(1.0)
    assert prompt.cue is None and prompt.text == "Ren (guest) has no cues in this scene"
    assert rehearsal.next_cue(0.0) is None and rehearsal.pause_between(0.0, 8.0) is None


def test_a_camera_operator_is_named_with_the_camera_they_hold():
    from see1previs.core.scene import Scene

    raw = json.loads(DEMO.read_text())
    camera = json.loads((SCENES / "first-light.see1.json").read_text())["cameras"][0]
    raw["cameras"] = [{**camera, "id": "B", "rig": {"type": "handheld", "operator": "ren"}}]
    raw.pop("shots", None)
    scene = Scene.model_validate(raw)
    assert performer_label(scene, "ren") == "Ren (guest) — operator of camera B"
    assert performer_label(scene, "mika") == "Mika (host)"
