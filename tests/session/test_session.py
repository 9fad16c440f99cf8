"""The editing session headless: edits re-bake, undo gives back the exact bake, autosave."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from see1previs.core import commands as cmd
from see1previs.core.scene import Scene
from see1previs.core.scenefile import load_scene, save_scene
from see1previs.physics.cache import BakeCache
from see1previs.session import autosave
from see1previs.session.session import Session

SMALL = {
    "title": "Two balls",
    "duration": 1.0,
    "frame_rate": 24,
    "props": [
        {
            "id": "red",
            "shape": {"type": "sphere", "radius": 0.1},
            "mass": 1.0,
            "pose": {"position": [-0.5, 0, 0]},
            "velocity": {"linear": [0.3, 0, 0]},
        },
        {
            "id": "blue",
            "shape": {"type": "sphere", "radius": 0.1},
            "mass": 1.0,
            "pose": {"position": [0.5, 0, 0]},
        },
    ],
    "cues": [
        {"type": "impulse", "id": "push", "time": 0.5, "target": "blue", "impulse": [0, 0.2, 0]}
    ],
}


@pytest.fixture
def scene_file(tmp_path: Path) -> Path:
    path = tmp_path / "two-balls.see1.json"
    save_scene(Scene.model_validate(SMALL), path)
    return path


@pytest.fixture
def session(scene_file: Path, tmp_path: Path) -> Session:
    session = Session(cache=BakeCache(tmp_path / "cache"))
    session.open(scene_file)
    return session


def test_an_edit_rebakes_and_undo_restores_the_exact_trajectory(session: Session):
    events = []
    session.bake_needed.connect(lambda t: events.append(("needed", t)))
    session.baked.connect(lambda result: events.append(("baked", result.from_cache)))
    first = session.bake_now().trajectory
    session.edit("Set red mass", cmd.set_value(session.scene, ("props", 0, "mass"), 4.0))
    assert session.is_modified and session.stale_from == 0.0
    second = session.bake_now().trajectory
    # Heavier, same start speed: same path until the balls meet, then a different bounce.
    assert not np.array_equal(first.positions, second.positions)
    session.undo()
    assert not session.is_modified
    third = session.bake_now()
    assert third.from_cache
    assert third.trajectory.content_hash() == first.content_hash()
    assert events[:2] == [("baked", False), ("needed", 0.0)]


def test_cue_edits_report_the_earliest_affected_time_and_camera_edits_none(session: Session):
    needed = []
    session.bake_now()
    session.bake_needed.connect(needed.append)
    session.edit("Move push", cmd.move_cue(session.scene, "push", 0.8))
    assert needed == [0.5]
    session.bake_now()
    session.edit("Rename", cmd.set_value(session.scene, ("title",), "Three balls"))
    assert needed == [0.5] and session.bake_is_current


def test_scene_changed_listeners_see_a_motion_edit_as_stale(session: Session):
    """A view redrawing on scene_changed must not take the old bake for the new scene's."""
    session.bake_now()
    seen = []
    session.scene_changed.connect(lambda scene: seen.append(session.bake_is_current))
    session.edit("Set red mass", cmd.set_value(session.scene, ("props", 0, "mass"), 2.0))
    session.bake_now()
    session.edit("Rename", cmd.set_value(session.scene, ("title",), "Three balls"))
    assert seen == [False, True]


def test_stale_bakes_are_ignored(session: Session):
    job = session.bake_job()
    session.edit("Set red mass", cmd.set_value(session.scene, ("props", 0, "mass"), 2.0))
    from see1previs.session.session import run_bake

    assert not session.finish_bake(job, run_bake(job))
    assert session.bake is None and not session.bake_is_current


def test_unbakeable_scene_reports_problems(session: Session):
    failures = []
    session.bake_failed.connect(failures.append)
    inside_blue = cmd.set_start_pose(session.scene, "red", (0.5, 0.0, 0.0))
    session.edit("Move red", inside_blue)
    assert session.bake_now() is None
    assert failures and any("red" in path or "red" in message for path, message in failures[0])


def test_selection_and_playhead(session: Session):
    changes = []
    session.selection_changed.connect(changes.append)
    session.select(["red", "nothing"])
    assert session.selection == ("red",)
    session.edit("Delete red", cmd.remove_item(session.scene, "red"))
    assert session.selection == () and changes == [("red",), ()]
    session.set_time(99.0)
    assert session.time == session.scene.duration
    session.set_frame(12)
    assert session.time == pytest.approx(0.5) and session.frame == 12


def test_save_marks_clean_and_writes_what_reopens(session: Session, tmp_path: Path):
    session.edit("Set red mass", cmd.set_value(session.scene, ("props", 0, "mass"), 3.0))
    target = tmp_path / "saved.see1.json"
    session.save(target)
    assert not session.is_modified and session.path == target.resolve()
    assert load_scene(target) == session.scene


def test_autosave_writes_only_unsaved_edits_and_save_removes_it(session: Session, tmp_path):
    saver = autosave.Autosaver(session, tmp_path / "recovery")
    assert saver.save_now() is None
    session.edit("Set red mass", cmd.set_value(session.scene, ("props", 0, "mass"), 3.0))
    file = saver.save_now()
    assert json.loads(file.read_text())["scene"]["props"][0]["mass"] == 3.0
    session.save()
    assert not file.exists()


KILLED = """
import os, sys, time
from pathlib import Path
from see1previs.core import commands as cmd
from see1previs.session.session import Session
from see1previs.session.autosave import Autosaver
session = Session()
session.open(sys.argv[1])
session.edit("Set red mass", cmd.set_value(session.scene, ("props", 0, "mass"), 7.5))
Autosaver(session, Path(sys.argv[2])).save_now()
print("saved", flush=True)
time.sleep(60)
"""


def test_a_killed_session_leaves_a_recovery_that_restores_its_edits(scene_file, tmp_path):
    folder = tmp_path / "recovery"
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(scene_file), str(folder)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    try:
        assert child.stdout.readline().strip() == "saved"
        assert autosave.find_recoveries(folder) == []  # still running: not a crash
    finally:
        child.kill()
        child.wait()
    (recovery,) = autosave.find_recoveries(folder)
    assert recovery.scene_path == scene_file.resolve() and "Two balls" in recovery.description
    session = Session()
    autosave.restore(session, recovery)
    assert session.path == scene_file.resolve()
    assert session.scene.props[0].mass == 7.5 and session.is_modified
    assert session.stack.undo_label == "Recover autosaved edits"
    session.undo()
    assert session.scene.props[0].mass == 1.0


def test_blocking_warnings_carry_the_physics_report_and_name_the_actor():
    from see1previs.session.session import blocking_warnings
    from tests.conftest import SCENES

    session = Session()
    session.open(SCENES / "zero-g-breakfast.see1.json")
    catch = next(cue for cue in session.scene.cues if cue.type == "catch")
    # Ren reaches for the bulb half a second after Mika throws it: long before it arrives.
    session.edit("Catch too early", cmd.move_cue(session.scene, catch.id, 4.0))
    session.bake_now()
    warnings = blocking_warnings(session.scene, session.bake, session.bake_problems)
    missed = [w for w in warnings if w.kind == "missed_catch"]
    assert len(missed) == 1
    assert missed[0].subject == catch.actor and missed[0].time >= 4.0
    assert catch.id in missed[0].message
