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


@pytest.mark.parametrize("cue_id", ["ren-push", "mika-throw"])
def test_ghost_path_matches_a_full_bake_with_the_same_push(cue_id):
    scene = load_scene(DEMO)
    ghost = GhostPath(scene, cue_id, scene_dir=DEMO.parent)
    direction = np.array([0.3, -0.8, 0.2])
    direction /= np.linalg.norm(direction)
    speed = 0.4 if cue_id == "ren-push" else 1.2
    path = ghost.path(direction, speed)
    # Truth: the whole scene baked from the start with the cue set to this push (a throw's
    # catches left out, as the ghost flies the prop free).
    data = scene_data(scene)
    cue = next(c for c in data["cues"] if c["id"] == cue_id)
    cue.update(speed=speed, direction=[float(c) for c in direction], toward=None)
    mover = cue.get("prop") if cue["type"] == "throw" else cue["actor"]
    if cue["type"] == "throw":
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
    assert len(path) >= int((lead + GHOST_SECONDS) * rate) - 1
    assert np.linalg.norm(path[0] - truth.pose(mover, start)[0]) < 1e-6
    frames = np.arange(1, len(path) - 1)
    # Frame times inside the path are the trajectory's own frames after the cue.
    first = int(np.floor(start * rate)) + 1
    expected = np.array([truth.pose(mover, (first + k - 1) / rate)[0] for k in frames])
    assert np.max(np.linalg.norm(path[1:-1] - expected, axis=1)) < 1e-6
    # It went the way it was pushed.
    moved = path[int(lead * rate) + 12] - path[0]
    assert moved @ direction / np.linalg.norm(moved) > 0.9
