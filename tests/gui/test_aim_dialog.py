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


def test_the_mark_is_picked_in_the_viewport_and_the_solved_path_drawn_there(qtbot, make_window):
    from PySide6.QtCore import QPointF

    from tests.gui.conftest import wait_for_bake_of
    from tests.gui.test_main_window import click_outliner

    window = make_window(DEMO)
    viewport = window.viewport
    viewport.set_view("top")
    wait_for_bake_of(qtbot, window)
    click_outliner(qtbot, window, "ren-push")
    window.aim_action.trigger()
    dialog = window.aim_dialog
    qtbot.waitExposed(dialog)
    tools = viewport.cue_tools
    # A click outside the cabin picks nothing and says so.
    qtbot.mouseClick(dialog.pick_button, Qt.MouseButton.LeftButton)
    assert tools.pick.active and "where ren should arrive" in viewport.hud.text()
    qtbot.mouseClick(viewport.view, Qt.MouseButton.LeftButton, pos=QPointF(4, 4).toPoint())
    assert not tools.pick.active and "Nothing inside the cabin" in dialog.message.text()
    # Click Mika, seen from above: the mark is 0.6 m in front of her, toward the eye.
    qtbot.mouseClick(dialog.pick_button, Qt.MouseButton.LeftButton)
    moment = tools.arrow.moment(window.session.time)
    x, y = viewport.project(moment.position("mika"))
    hit = viewport.pick(x, y)
    assert hit is not None and hit[0] == "mika"
    qtbot.mouseClick(viewport.view, Qt.MouseButton.LeftButton, pos=QPointF(x, y).toPoint())
    assert dialog.target.currentData() == POINT and not tools.pick.active
    point = np.array([box.value() for box in dialog.point])
    drawn = viewport.project(point)
    assert np.hypot(drawn[0] - round(x), drawn[1] - round(y)) < 2  # under the mouse
    assert point[2] - hit[1][2] == pytest.approx(0.6, abs=0.01)  # above her, toward the eye
    # Solve: the path shows in the viewport before Apply, from Ren to the mark.
    qtbot.mouseClick(dialog.at_time, Qt.MouseButton.LeftButton)
    type_into(qtbot, dialog.time, 7.9)  # late enough to get there below the safe speed
    assert not tools.solved.line.visible()
    qtbot.mouseClick(dialog.solve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.solve_button.isEnabled(), timeout=SOLVE_TIMEOUT_MS)
    assert dialog.result is not None, dialog.message.text()
    assert tools.solved.line.visible() and tools.solved.mark.visible()
    path = tools.solved.points
    start = tools.arrow.moment(dialog.cue.time).position("ren")
    assert np.linalg.norm(path[0] - start) < 0.02
    assert np.linalg.norm(path[-1] - point) < 0.02  # the real bake's arrival
    assert window.session.scene.cues == session_cues_before(window)  # nothing applied yet
    # Closing the dialog removes it (as does changing a choice: _forget_result).
    dialog.close()
    assert not tools.solved.line.visible() and not tools.solved.mark.visible()


def session_cues_before(window):
    return load_scene(DEMO).cues
