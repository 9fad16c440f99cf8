"""Fixes found using the window: undo keys in fields, failures shown, cue sheet default, help.

Each test drives a real main window under Xvfb, the way a director would.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog

from tests.gui.conftest import wait_for_bake_of
from tests.gui.test_main_window import click_outliner, type_into


def test_ctrl_z_in_the_field_just_edited_undoes_the_edit(qtbot, make_window):
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # focus is real only in the active window
    session = window.session
    prop = session.scene.props[0]
    click_outliner(qtbot, window, prop.id)
    path = ("props", 0, "mass")
    type_into(qtbot, window.inspector.editors[path], "3.5")
    assert session.scene.props[0].mass == 3.5
    field = window.inspector.editors[path]
    assert field.hasFocus(), "the inspector keeps the focus in the field after Enter"
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert session.scene.props[0].mass == prop.mass
    field = window.inspector.editors[path]
    qtbot.keyClick(
        field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert session.scene.props[0].mass == 3.5


def test_ctrl_z_applies_a_typed_value_first_so_redo_brings_it_back(qtbot, make_window):
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # focus is real only in the active window
    session = window.session
    prop = session.scene.props[0]
    click_outliner(qtbot, window, prop.id)
    path = ("props", 0, "mass")
    field = window.inspector.editors[path]
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "2.25")  # typed, not applied yet
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert session.scene.props[0].mass == prop.mass
    assert session.stack.history == [f"Set {prop.id} mass"] and session.stack.can_redo
    window.redo_action.trigger()
    assert session.scene.props[0].mass == 2.25


def test_adding_a_prop_checks_the_blocking_of_the_new_scene_only(qtbot, make_window, caplog):
    window = make_window()
    failures = []
    window.check_worker.failed.connect(lambda token, exc: failures.append(exc))
    with caplog.at_level(logging.WARNING):
        window.add_prop_action.trigger()
        wait_for_bake_of(qtbot, window)
    new = window.session.selection[0]
    assert new in window.session.bake.trajectory.body_ids
    assert failures == [] and "blocking check failed" not in caplog.text
    assert window.warnings.summary.text() != "Checking the blocking…"


def test_a_failing_blocking_check_shows_in_the_window(qtbot, make_window, monkeypatch):
    window = make_window()

    def broken(*args, **kwargs):
        raise IndexError("index 4 is out of bounds for axis 1 with size 4")

    monkeypatch.setattr("see1previs.gui.main_window.blocking_warnings", broken)
    window._start_check()
    qtbot.waitUntil(lambda: not window.check_worker.busy)
    qtbot.waitUntil(lambda: "could not be checked" in window.warnings.summary.text())
    assert "index 4 is out of bounds" in window.warnings.summary.toolTip()
    assert "could not be checked" in window.status_label.text()


def _answer_next_input_dialog(qtbot, seen: list[str], choose: str | None = None) -> None:
    def answer():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(20, answer)
            return
        seen.append(dialog.textValue())
        dialog.reject()

    QTimer.singleShot(20, answer)


def test_cue_sheet_offers_the_selected_actor_or_the_actor_of_a_selected_cue(qtbot, make_window):
    from tests.gui.conftest import SCENES

    window = make_window(SCENES / "zero-g-breakfast.see1.json", wait_for_bake=False)
    scene = window.session.scene
    assert len(scene.actors) >= 2
    from see1previs.session.rehearsal import performer_label

    second = scene.actors[1].id
    seen: list[str] = []
    window.session.select([second])
    _answer_next_input_dialog(qtbot, seen)
    window.cue_sheet_action.trigger()
    assert seen == [performer_label(scene, second)]
    cue = next(c for c in scene.cues if getattr(c, "actor", None) == second)
    window.session.select([cue.id])
    _answer_next_input_dialog(qtbot, seen)
    window.cue_sheet_action.trigger()
    assert seen[-1] == performer_label(scene, second)


def test_help_opens_the_user_guide_rendered(qtbot, make_window):
    window = make_window(wait_for_bake=False)
    window.user_guide_action.trigger()
    guide = window.user_guide_window
    qtbot.waitExposed(guide)
    text = guide.browser.toPlainText()
    assert "SEE-1 Previs user guide" in text and "Blocking a scene" in text
    assert "##" not in text and "|---|" not in text, "the Markdown is rendered, not shown raw"
    assert window.user_guide_action.shortcut().toString() == "F1"


def test_shortcut_sheet_lists_every_shortcut_of_the_window(qtbot, make_window):
    from PySide6.QtGui import QKeySequence

    window = make_window(wait_for_bake=False)
    extra = window.menuBar().actions()[-1].menu().addAction("Test &Only Action")
    extra.setShortcut(QKeySequence("Ctrl+Alt+Shift+K"))
    window.shortcuts_action.trigger()
    sheet = window.shortcut_sheet
    qtbot.waitExposed(sheet)
    rows = sheet.rows()
    for action, keys in (
        (window.undo_action, "Ctrl+Z"),
        (window.save_action, "Ctrl+S"),
        (window.timeline.play_action, "Space"),
        (window.rehearse_action, "Ctrl+Shift+R"),
        (extra, "Ctrl+Alt+Shift+K"),
    ):
        label = action.text().replace("&", "").rstrip("…")
        assert any(keys in row[2] and label in row[1] for row in rows), (label, rows)
