"""The ghost path of a dragged arrow is the real bake's path with that push."""

from __future__ import annotations

import numpy as np
import pytest

from see1previs.core.commands import scene_data, scene_from
from see1previs.core.scenefile import load_scene
from see1previs.physics.aim import GHOST_SECONDS, GhostPath
from see1previs.physics.bake import bake
from tests.conftest import SCENES

DEMO = SCENES / "zero-g-breakfast.see1.json"


@pytest.mark.parametrize("cue_id", ["ren-push", "mika-throw", "bulb-tap"])
def test_ghost_path_matches_a_full_bake_with_the_same_push(cue_id):
    scene = load_scene(DEMO)
    if cue_id == "bulb-tap":  # an impulse on the bulb after Ren has caught it
        data = scene_data(scene)
        data["cues"].append(
            {"type": "impulse", "id": "bulb-tap", "time": 7.0, "target": "bulb",
             "impulse": [0.0, 0.09, 0.0]}
        )  # fmt: skip
        scene = scene_from(data)
    ghost = GhostPath(scene, cue_id, scene_dir=DEMO.parent)
    direction = np.array([0.3, -0.8, 0.2])
    direction /= np.linalg.norm(direction)
    speed = {"ren-push": 0.4, "mika-throw": 1.2, "bulb-tap": 0.3}[cue_id]
    path = ghost.path(direction, speed)
    # Truth: the whole scene baked from the start with the cue set to this push (a throw's
    # catches left out, as the ghost flies the prop free).
    data = scene_data(scene)
    cue = next(c for c in data["cues"] if c["id"] == cue_id)
    if cue["type"] == "impulse":
        mover = cue["target"]
        mass = scene.body(mover).mass
        cue["impulse"] = [float(c) * speed * mass for c in direction]
    else:
        cue.update(speed=speed, direction=[float(c) for c in direction], toward=None)
        mover = cue.get("prop") if cue["type"] == "throw" else cue["actor"]
    if cue["type"] != "push_off":
        data["cues"] = [
            c
            for c in data["cues"]
            if not (
                c["type"] in ("catch", "grab")
                and c.get("target") == mover
                and c["time"] >= cue["time"]
            )
        ]
    truth = bake(scene_from(data), scene_dir=DEMO.parent)
    start = float(cue["time"])
    rate = float(truth.frame_rate)
    lead = float(cue.get("duration", 0.0)) if cue["type"] == "push_off" else 0.0
    end = min(start + lead + GHOST_SECONDS, scene.duration)  # or the scene's end
    assert len(path) >= int((end - start) * rate) - 1
    assert np.linalg.norm(path[0] - truth.pose(mover, start)[0]) < 1e-6
    frames = np.arange(1, len(path) - 1)
    # Frame times inside the path are the trajectory's own frames after the cue.
    first = int(np.floor(start * rate)) + 1
    expected = np.array([truth.pose(mover, (first + k - 1) / rate)[0] for k in frames])
    assert np.max(np.linalg.norm(path[1:-1] - expected, axis=1)) < 1e-6
    if cue["type"] != "impulse":  # (a held prop goes with the hand)
        # It went the way it was pushed.
        moved = path[int(lead * rate) + 12] - path[0]
        assert moved @ direction / np.linalg.norm(moved) > 0.9
