"""Blocking a scene in the window: the cue palette, its defaults and the cue fields.

The main test rebuilds the breakfast demo's blocking from a file with only its actors and
props, the way a director would: select an actor in the outliner, put the playhead there,
press the palette's shortcut, then fix what the default did not guess by typing into the
inspector's drop-downs and fields. The saved cues must equal the demo's (ids aside), and the
blocking report of the rebuilt scene must have no warnings.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from see1previs.core.scenefile import load_scene
from see1previs.gui.field_editors import ChoiceBox
from see1previs.physics.blocking_report import blocking_report
from tests.conftest import SCENES
from tests.gui.conftest import wait_for_bake_of
from tests.gui.test_main_window import click_outliner, type_into

BREAKFAST = SCENES / "zero-g-breakfast.see1.json"


def actors_and_props_only(tmp_path: Path) -> Path:
    data = json.loads(BREAKFAST.read_text(encoding="utf-8"))
    data["cues"], data["cameras"], data["shots"] = [], [], []
    path = tmp_path / "breakfast-unblocked.see1.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def press(qtbot, window, shortcut: str) -> None:
    """Press a palette shortcut in the viewport, as a director with the mouse over it."""
    modifiers, _, letter = shortcut.rpartition("+")
    assert modifiers == "Shift"
    window.viewport.setFocus()
    qtbot.keyClick(
        window.viewport, getattr(Qt.Key, f"Key_{letter}"), Qt.KeyboardModifier.ShiftModifier
    )


def field(window, name: str):
    """The inspector's editor for a field of the selected cue."""
    index = next(
        i for i, c in enumerate(window.session.scene.cues) if c.id in window.session.selection
    )
    return window.inspector.editors[("cues", index, name)]


def choose(qtbot, window, name: str, text: str) -> None:
    """Search a drop-down by typing part of a name, then Enter."""
    box = field(window, name)
    assert isinstance(box, ChoiceBox), f"{name} is a drop-down"
    edit = box.lineEdit()
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    if box.completer().popup().isVisible():
        qtbot.keyClick(box.completer().popup(), Qt.Key.Key_Escape)
    edit.clearFocus()


def set_field(qtbot, window, name: str, text: str) -> None:
    type_into(qtbot, field(window, name), text)


def selected_cue(window):
    return next(c for c in window.session.scene.cues if c.id in window.session.selection)


def add(qtbot, window, actor: str, kind_shortcut: str, at: float):
    click_outliner(qtbot, window, actor)
    window.session.set_time(at)
    before = len(window.session.scene.cues)
    press(qtbot, window, kind_shortcut)
    assert len(window.session.scene.cues) == before + 1, "the shortcut added a cue"
    return selected_cue(window)


def test_the_breakfast_blocking_is_built_with_the_palette_and_the_cue_fields(
    qtbot, make_window, tmp_path
):
    window = make_window(actors_and_props_only(tmp_path))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    demo = load_scene(BREAKFAST)
    rate = demo.frame_rate

    # Mika clips her tether at the start: the default is the nearest grip fixture; the
    # director picks the stage's centre foot restraint by clicking it in the viewport (Pick
    # beside the drop-down marks the candidates) and types the length.
    cue = add(qtbot, window, "mika", "Shift+N", 0.0)
    assert cue.type == "tether" and cue.actor == "mika"
    window.viewport.set_view("top")
    qtbot.mouseClick(field(window, "fixture").parentWidget().pick_button, Qt.MouseButton.LeftButton)
    x, y = window.viewport.project(window.inspector.station().fixture("FR1").position)
    qtbot.mouseClick(
        window.viewport.view, Qt.MouseButton.LeftButton, pos=QPoint(round(x), round(y))
    )
    assert selected_cue(window).fixture == "FR1"
    set_field(qtbot, window, "length", "3")

    # Ren holds H6: his right hand starts at it, so the default is right.
    cue = add(qtbot, window, "ren", "Shift+H", rate.frame_time(2))
    assert (cue.fixture, cue.limb) == ("H6", "right_hand"), "nearest handrail to Ren's hand"
    set_field(qtbot, window, "time", "0.1")

    # Mika takes the bulb floating by her right hand: the default prop and hand.
    cue = add(qtbot, window, "mika", "Shift+B", 0.4)
    assert (cue.target, cue.hand) == ("bulb", "right")
    set_field(qtbot, window, "time", "0.4")  # 0.4 s is between frames: typed in seconds

    # Ren pushes off the handrail he holds toward Mika; the director slows it down.
    cue = add(qtbot, window, "ren", "Shift+P", 1.0)
    assert (cue.surface, cue.toward, cue.duration) == ("H6", "mika", 0.4)
    set_field(qtbot, window, "speed", "0.25")

    # Ren relaxes, then reaches forward: poses from the list.
    cue = add(qtbot, window, "ren", "Shift+O", 1.6)
    assert cue.pose == "neutral"  # he starts in reach-forward
    set_field(qtbot, window, "time", "1.6")
    cue = add(qtbot, window, "ren", "Shift+O", 3.0)
    choose(qtbot, window, "pose", "reach forward")
    set_field(qtbot, window, "duration", "0.8")

    # Mika throws the bulb she holds; the aim (a solved direction) is typed in.
    cue = add(qtbot, window, "mika", "Shift+V", 3.6)
    assert (cue.prop, cue.toward) == ("bulb", "ren")
    set_field(qtbot, window, "time", "3.6")
    set_field(qtbot, window, "speed", "1.2")
    throw = next(c for c in demo.cues if c.type == "throw")
    choose(qtbot, window, "toward", "along a direction")
    assert selected_cue(window).toward is None and selected_cue(window).direction is not None
    edits = field(window, "direction").parentWidget().findChildren(type(field(window, "id")))
    for edit, component in zip(edits, throw.direction, strict=True):
        type_into(qtbot, edit, f"{component}")
    assert selected_cue(window).direction == pytest.approx(throw.direction)

    # Ren catches the flying bulb: the default is the prop flying nearest his hand.
    wait_for_bake_of(qtbot, window)
    catch = next(c for c in demo.cues if c.type == "catch")
    cue = add(qtbot, window, "ren", "Shift+C", rate.frame_time(rate.frame_at(catch.time)))
    assert (cue.target, cue.hand) == ("bulb", "right")
    set_field(qtbot, window, "time", f"{catch.time}")
    set_field(qtbot, window, "window", "0.5")

    # Mika crosses her arms.
    cue = add(qtbot, window, "mika", "Shift+O", 5.5)
    choose(qtbot, window, "pose", "arms crossed")
    set_field(qtbot, window, "duration", "1.2")

    saved = tmp_path / "rebuilt.see1.json"
    assert window._save_to(saved)
    rebuilt = load_scene(saved)

    def blocking(scene):
        return [c.model_dump(mode="json", exclude={"id"}) for c in scene.cues]

    assert blocking(rebuilt) == blocking(demo)
    wait_for_bake_of(qtbot, window)
    bake = window.session.bake
    report = blocking_report(rebuilt, bake.trajectory, bake.station)
    assert report.warnings == []
    assert [line.outcome for line in report.cues] == ["ok"] * len(demo.cues)
