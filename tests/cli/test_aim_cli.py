"""`see1-previs aim`: solve a push in the breakfast demo, write it, and bake the file for real.

The written scene is loaded back and baked in full: Ren must be at the mark at the time
asked. An aim that no push can do exits 1 with one line naming the cue and the reason.
"""

from __future__ import annotations

import shutil

import numpy as np

from see1previs.cli import main
from see1previs.core.scenefile import load_scene
from see1previs.physics.bake import bake
from see1previs.physics.simulation import prepare_world
from tests.conftest import SCENES


def test_aim_writes_a_push_that_arrives(tmp_path, capsys):
    path = tmp_path / "breakfast.see1.json"
    shutil.copy(SCENES / "zero-g-breakfast.see1.json", path)
    code = main(["aim", str(path), "--cue", "ren-push", "--to=-1.2,0.8,0.2", "--at", "4"])
    printed = capsys.readouterr().out
    assert code == 0
    assert "speed" in printed and "m/s" in printed and "missing by" in printed
    assert load_scene(path) == load_scene(SCENES / "zero-g-breakfast.see1.json")  # no --write

    code = main(
        ["aim", str(path), "--cue", "ren-push", "--to=-1.2,0.8,0.2", "--at", "4", "--write"]
    )
    assert code == 0
    scene = load_scene(path)
    cue = next(c for c in scene.cues if c.id == "ren-push")
    assert cue.toward is None and cue.direction is not None
    trajectory = bake(scene, world=prepare_world(scene))
    assert np.linalg.norm(trajectory.pose("ren", 4.0)[0] - [-1.2, 0.8, 0.2]) < 0.02


def test_an_impossible_aim_is_one_line_naming_the_cue(tmp_path, capsys):
    path = SCENES / "zero-g-breakfast.see1.json"
    code = main(["aim", str(path), "--cue", "ren-push", "--to", "0.5,-2,0", "--at", "2.5"])
    error = capsys.readouterr().err.strip()
    assert code == 1
    assert len(error.splitlines()) == 1
    assert "ren-push" in error and "safe speed" in error
    code = main(["aim", str(path), "--cue", "ren-push", "--to", "mika"])
    error = capsys.readouterr().err.strip()
    assert code == 1 and "ren-push" in error and "--at" in error
