"""A prop's surface material chosen by name in the inspector: both numbers in one edit."""

from __future__ import annotations

from PySide6.QtCore import Qt

from see1previs.gui.field_editors import CUSTOM_MATERIAL
from see1previs.physics import materials
from tests.conftest import SCENES
from tests.gui.test_main_window import click_outliner

BREAKFAST = SCENES / "zero-g-breakfast.see1.json"


def test_choosing_a_material_sets_restitution_and_friction_as_one_undoable_edit(qtbot, make_window):
    window = make_window(BREAKFAST)
    click_outliner(qtbot, window, "bulb")
    inspector = window.inspector
    path = ("props", 0, "material", "preset")
    box = inspector.editors[path]
    # The demo's bulb has the format's default numbers, which no named material has.
    assert box.currentText() == CUSTOM_MATERIAL
    before = window.session.scene.body("bulb").material
    assert (before.restitution, before.friction) == (0.5, 0.5)
    # Search: a word in two names is refused under the field, nothing changes.
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), "tennis")
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    assert "matches 2 entries" in inspector.problem_text(path)
    assert window.session.scene.body("bulb").material == before
    # A word in one name chooses it: both numbers change in one edit.
    depth = len(window.session.stack.history)
    box = inspector.editors[path]
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), "glass")
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    glass = materials.preset("glass")
    after = window.session.scene.body("bulb").material
    assert (after.restitution, after.friction) == (glass.restitution, glass.friction)
    assert len(window.session.stack.history) == depth + 1
    # The form shows the preset and the two numbers it set.
    qtbot.waitUntil(lambda: inspector.editors[path].currentText().startswith("Glass"))
    assert inspector.editors[("props", 0, "material", "restitution")].text() == "0.97"
    assert inspector.editors[("props", 0, "material", "friction")].text() == "0.092"
    # Choosing from the list (the popup) works too.
    box = inspector.editors[path]
    tennis = box.findData("tennis_ball")
    box.showPopup()
    view = box.view()
    rect = view.visualRect(view.model().index(tennis, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    ball = materials.preset("tennis_ball")
    after = window.session.scene.body("bulb").material
    assert (after.restitution, after.friction) == (ball.restitution, ball.friction)
    # One undo puts both numbers back to glass, another back to the start.
    window.undo_action.trigger()
    after = window.session.scene.body("bulb").material
    assert (after.restitution, after.friction) == (glass.restitution, glass.friction)
    window.undo_action.trigger()
    assert window.session.scene.body("bulb").material == before
    qtbot.waitUntil(lambda: inspector.editors[path].currentText() == CUSTOM_MATERIAL)
