"""The Aim dialog driven through its widgets: solve in the background, apply, undo once.

The breakfast demo's push (Ren off H6) is aimed at a point typed into the dialog, at a time;
the solve runs in the dialog's worker while the test keeps the event loop turning; Apply
makes one undoable edit, and one undo gives back the cue exactly as it was. An aim no push
can do shows the reason and offers nothing to apply.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from see1previs.core.scenefile import load_scene
from see1previs.gui.aim_dialog import POINT, AimDialog, aimable_cue
from see1previs.physics.bake import bake
from see1previs.physics.simulation import prepare_world
from see1previs.session.session import Session
from tests.conftest import SCENES

DEMO = SCENES / "zero-g-breakfast.see1.json"
SOLVE_TIMEOUT_MS = 120_000


@pytest.fixture
def session():
    session = Session()
    session.open(DEMO)
    return session


def open_dialog(qtbot, session, cue_id):
    dialog = AimDialog(session, cue_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def type_into(qtbot, box, value: float) -> None:
    qtbot.mouseClick(box.lineEdit(), Qt.MouseButton.LeftButton)
    box.selectAll()
    qtbot.keyClicks(box.lineEdit(), f"{value:g}")
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    assert box.value() == pytest.approx(value)


def test_solve_apply_and_one_undo(qtbot, session):
    before = session.scene
    dialog = open_dialog(qtbot, session, "ren-push")
    dialog.target.setCurrentIndex(dialog.target.findData(POINT))
    for box, value in zip(dialog.point, (-1.2, 0.8, 0.2), strict=True):
        type_into(qtbot, box, value)
    qtbot.mouseClick(dialog.at_time, Qt.MouseButton.LeftButton)
    type_into(qtbot, dialog.time, 4.0)
    assert not dialog.apply_button.isEnabled()
    qtbot.mouseClick(dialog.solve_button, Qt.MouseButton.LeftButton)
    assert not dialog.solve_button.isEnabled()  # solving in the worker; the UI is live
    qtbot.waitUntil(lambda: dialog.solve_button.isEnabled(), timeout=SOLVE_TIMEOUT_MS)
    assert dialog.apply_button.isEnabled(), dialog.message.text()
    assert "m/s" in dialog.message.text() and "mm off" in dialog.message.text()

    depth = session.stack.index
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert session.stack.index == depth + 1  # one edit
    cue = next(c for c in session.scene.cues if c.id == "ren-push")
    assert cue.toward is None and cue.speed == dialog.result.speed
    trajectory = bake(session.scene, world=prepare_world(session.scene))
    assert np.linalg.norm(trajectory.pose("ren", 4.0)[0] - [-1.2, 0.8, 0.2]) < 0.02

    session.undo()
    assert session.scene == before
    assert session.stack.index == depth


def test_an_impossible_aim_shows_why_and_offers_nothing(qtbot, session):
    dialog = open_dialog(qtbot, session, "ren-push")
    dialog.choose_point((0.5, -2.0, 0.0))
    dialog.at_time.setChecked(True)
    dialog.time.setValue(2.5)
    dialog.solve()
    qtbot.waitUntil(lambda: dialog.solve_button.isEnabled(), timeout=SOLVE_TIMEOUT_MS)
    assert "Cannot aim" in dialog.message.text() and "safe speed" in dialog.message.text()
    assert not dialog.apply_button.isEnabled()


def test_a_throw_defaults_to_the_catchers_hand_at_the_catch(qtbot, session):
    dialog = open_dialog(qtbot, session, "mika-throw")
    assert dialog.target.currentText() == "Ren's right hand"
    catch = next(c for c in load_scene(DEMO).cues if c.id == "ren-catch")
    assert dialog.time.value() == pytest.approx(catch.time)
    session.select(["mika-throw"])
    assert aimable_cue(session) == "mika-throw"
    session.select(["ren-catch"])
    assert aimable_cue(session) is None


def test_the_window_offers_aim_on_a_selected_push_off(qtbot, make_window):
    window = make_window(DEMO, wait_for_bake=False)
    assert window.aim_action in window.cue_menu.actions()
    window.session.select(["ren-catch"])
    assert not window.aim_action.isEnabled()
    window.session.select(["ren-push"])
    assert window.aim_action.isEnabled()
    window.aim_action.trigger()
    dialog = window.aim_dialog
    assert dialog.isVisible() and dialog.cue_id == "ren-push"
    dialog.close()


def test_a_solve_is_not_applied_to_a_scene_edited_since(qtbot, session):
    from see1previs.core import commands as cmd

    dialog = open_dialog(qtbot, session, "ren-push")
    dialog.choose_point((-1.2, 0.8, 0.2))
    dialog.time.setValue(4.0)
    dialog.solve()
    qtbot.waitUntil(lambda: dialog.solve_button.isEnabled(), timeout=SOLVE_TIMEOUT_MS)
    assert dialog.apply_button.isEnabled(), dialog.message.text()
    index = next(i for i, c in enumerate(session.scene.cues) if c.id == "ren-relax")
    session.edit("Later relax", cmd.set_value(session.scene, ("cues", index, "time"), 2.0))
    edited = session.scene
    assert not dialog.apply()
    assert session.scene == edited and "Solve again" in dialog.message.text()
