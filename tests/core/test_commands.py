"""Undo stack and scene edits: labels, clean mark, exact undo, earliest affected time."""

from __future__ import annotations

import pydantic
import pytest

from see1previs.core import commands as cmd
from see1previs.core.commands import CommandStack, SceneEdit, physics_change_time
from see1previs.core.events import Event
from see1previs.core.scenefile import load_scene
from tests.conftest import SCENES


@pytest.fixture
def scene():
    return load_scene(SCENES / "first-light.see1.json")


class Holder:
    def __init__(self, scene):
        self.scene = scene
        self.applied = []

    def apply(self, scene, affects_from):
        self.scene = scene
        self.applied.append(affects_from)


def test_event_calls_every_listener_even_when_one_fails():
    event = Event("x")
    seen = []

    def broken(value):
        raise RuntimeError("broken view")

    event.connect(broken)
    event.connect(seen.append)
    with pytest.raises(RuntimeError, match="broken view"):
        event.emit(3)
    assert seen == [3]
    event.disconnect(broken)
    with event.blocked():
        event.emit(4)
    event.emit(5)
    assert seen == [3, 5]


def test_stack_labels_clean_mark_and_history(scene):
    holder = Holder(scene)
    stack = CommandStack()
    assert stack.is_clean and not stack.can_undo and stack.undo_label == ""
    heavier = cmd.set_value(scene, ("props", 0, "mass"), 0.5)
    stack.push(SceneEdit("Set mug mass", scene, heavier, holder.apply))
    renamed = cmd.set_value(heavier, ("title",), "Second light")
    stack.push(SceneEdit("Rename scene", heavier, renamed, holder.apply))
    assert stack.history == ["Set mug mass", "Rename scene"]
    assert stack.undo_label == "Rename scene" and not stack.is_clean
    stack.set_clean()
    assert stack.undo()
    assert holder.scene == heavier and stack.redo_label == "Rename scene"
    assert not stack.is_clean
    assert stack.redo() and stack.is_clean
    stack.go_to(0)
    assert holder.scene == scene and stack.index == 0
    # A new edit after undo drops the redo branch, and the saved state becomes unreachable.
    stack.push(SceneEdit("Rename", scene, cmd.set_value(scene, ("title",), "X"), holder.apply))
    assert stack.history == ["Rename"] and not stack.can_redo
    stack.undo()
    assert not stack.is_clean


def test_undo_restores_the_scene_exactly(scene):
    holder = Holder(scene)
    stack = CommandStack()
    edited, copy_id = cmd.duplicate_item(scene, "mug")
    stack.push(SceneEdit("Duplicate mug", scene, edited, holder.apply))
    assert copy_id == "mug-2" and holder.scene.body("mug-2").name == "Coffee mug (copy)"
    stack.undo()
    assert holder.scene is scene
    assert holder.scene.model_dump_json() == scene.model_dump_json()


def test_earliest_affected_time(scene):
    cue = scene.cues[1]
    assert physics_change_time(scene, cmd.move_cue(scene, cue.id, cue.time + 2.0)) == cue.time
    later = cmd.move_cue(scene, cue.id, cue.time + 2.0)
    assert physics_change_time(later, cmd.move_cue(later, cue.id, 1.0)) == 1.0
    assert physics_change_time(scene, cmd.set_value(scene, ("props", 0, "mass"), 2.0)) == 0.0
    moved = cmd.set_start_pose(scene, "ball", (0.1, 0.2, 0.3))
    assert physics_change_time(scene, moved) == 0.0
    # Cameras, shots and the title move nothing.
    lens = cmd.set_value(scene, ("cameras", 0, "focal_length"), 50.0)
    assert physics_change_time(scene, lens) is None
    assert physics_change_time(scene, cmd.remove_item(scene, scene.shots[0].id)) is None
    assert physics_change_time(scene, cmd.set_value(scene, ("title",), "T")) is None
    removed = cmd.remove_item(scene, scene.cues[0].id)
    assert physics_change_time(scene, removed) == scene.cues[0].time


def test_removing_a_body_removes_what_depends_on_it(scene):
    target = scene.cues[0].target
    edited = cmd.remove_item(scene, target)
    assert all(c.target != target for c in edited.cues)
    assert all(c.look_at != target and c.focus_target != target for c in edited.cameras)
    camera = scene.cameras[0].id
    without_camera = cmd.remove_item(scene, camera)
    assert all(s.camera != camera for s in without_camera.shots)


def test_invalid_edits_raise_and_change_nothing(scene):
    with pytest.raises(pydantic.ValidationError, match="greater than 0"):
        cmd.set_value(scene, ("props", 0, "mass"), -1.0)
    with pytest.raises(pydantic.ValidationError, match="already used"):
        cmd.set_value(scene, ("props", 1, "id"), scene.props[0].id)
    assert scene.props[0].mass == 0.35


def test_shooting_order_and_unique_ids(scene):
    ids = [shot.id for shot in scene.shots]
    reordered = cmd.reorder_shots(scene, list(reversed(ids)))
    assert cmd.shooting_order(reordered) == list(reversed(ids))
    assert [s.order for s in reordered.shots] == [3, 2, 1]
    with pytest.raises(ValueError, match="every shot"):
        cmd.reorder_shots(scene, ids[:1])
    assert cmd.unique_id(scene, "mug") == "mug-2"
    assert cmd.unique_id(scene, "kettle") == "kettle"


def test_moving_a_fixed_camera_keeps_its_aim_when_it_has_a_target(scene):
    camera = next(c for c in scene.cameras if c.rig.type == "fixed")
    moved = cmd.set_start_pose(scene, camera.id, (0.5, 0.5, 0.5), (0.0, 1.0, 0.0, 0.0))
    rig = next(c for c in moved.cameras if c.id == camera.id).rig
    assert rig.mount is None and rig.position == (0.5, 0.5, 0.5)
    if camera.look_at is not None:
        assert rig.orientation == camera.rig.orientation
    else:
        assert rig.orientation == (0.0, 1.0, 0.0, 0.0)
