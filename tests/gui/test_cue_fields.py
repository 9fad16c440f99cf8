"""The inspector refuses bad values under the field, and its pickers set what they say.

Each test drives the real window: drop-downs searched by typing, fields typed with Enter,
the zoom slider moved with keys, the colour picker answered by a stand-in dialog.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from see1previs.core.field_entry import quaternion_from_ypr
from see1previs.gui import cue_marks, field_editors
from see1previs.gui.field_editors import ChoiceBox, ZoomSlider
from see1previs.gui.timeline import CUE_R
from tests.conftest import SCENES
from tests.gui.conftest import wait_for_bake_of
from tests.gui.test_main_window import click_outliner, type_into

BREAKFAST = SCENES / "zero-g-breakfast.see1.json"


def search(qtbot, box: ChoiceBox, text: str) -> None:
    edit = box.lineEdit()
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    if box.completer().popup().isVisible():
        qtbot.keyClick(box.completer().popup(), Qt.Key.Key_Escape)
    edit.clearFocus()


def test_a_camera_body_not_in_the_catalog_is_refused_under_the_field(qtbot, make_window):
    window = make_window(BREAKFAST)
    click_outliner(qtbot, window, "A")
    path = ("cameras", 0, "body")
    body = window.session.scene.cameras[0].body
    search(qtbot, window.inspector.editors[path], "s")
    assert window.session.scene.cameras[0].body == body, "nothing applied"
    assert "choose one from the list" in window.inspector.problem_text(path)
    search(qtbot, window.inspector.editors[path], "komodo")
    assert window.session.scene.cameras[0].body == "red-komodo-6k"
    assert window.inspector.problem_text(path) == ""
    # The mode list follows the body.
    modes = window.inspector.editors[("cameras", 0, "mode")]
    assert [modes.itemData(i) for i in range(modes.count())] == [
        None,
        "6k-17x9",
        "6k-16x9",
        "4k-17x9",
    ]


def test_a_prime_sets_its_focal_length_and_a_zoom_offers_a_slider(qtbot, make_window):
    window = make_window(BREAKFAST)
    click_outliner(qtbot, window, "B")
    search(qtbot, window.inspector.editors[("cameras", 1, "lens")], "Supreme Prime 85")
    camera = window.session.scene.cameras[1]
    assert (camera.lens, camera.focal_length) == ("zeiss-supreme-prime-85", 85.0)
    assert window.session.stack.history[-1] == "Set B lens and focal length"
    search(qtbot, window.inspector.editors[("cameras", 1, "lens")], "Premista")
    camera = window.session.scene.cameras[1]
    assert (camera.lens, camera.focal_length) == ("fujinon-premista-28-100", 85.0)
    slider = window.inspector.editors[("cameras", 1, "focal_length")]
    assert isinstance(slider, ZoomSlider)
    assert (slider.slider.minimum(), slider.slider.maximum()) == (28, 100)
    slider.slider.setFocus()
    qtbot.keyClick(slider.slider, Qt.Key.Key_End)
    assert window.session.scene.cameras[1].focal_length == 100.0


def test_times_take_timecode_or_seconds_and_bad_values_are_refused(qtbot, make_window):
    window = make_window(BREAKFAST)
    index = next(i for i, c in enumerate(window.session.scene.cues) if c.id == "ren-push")
    click_outliner(qtbot, window, "ren-push")
    inspector = window.inspector
    time = inspector.editors[("cues", index, "time")]
    assert time.text() == "00:00:01:00"
    type_into(qtbot, time, "00:00:01:30")
    assert "frames go up to 23" in inspector.problem_text(("cues", index, "time"))
    assert window.session.scene.cues[index].time == 1.0
    type_into(qtbot, inspector.editors[("cues", index, "time")], "00:00:01:12")
    assert window.session.scene.cues[index].time == 1.5
    assert inspector.units[("cues", index, "speed")] == "m/s"
    assert inspector.ranges[("cues", index, "speed")] == "0–4"
    assert inspector.ranges[("cues", index, "duration")] == "0.1–1"
    type_into(qtbot, inspector.editors[("cues", index, "speed")], "9")
    assert "less than or equal to 4" in inspector.problem_text(("cues", index, "speed"))
    assert window.session.scene.cues[index].speed == 0.25
    # A surface that is not a fixture is refused by name.
    search(qtbot, inspector.editors[("cues", index, "surface")], "H99")
    assert "not a fixture or the wall" in inspector.problem_text(("cues", index, "surface"))
    assert window.session.scene.cues[index].surface == "H6"


def test_orientation_is_yaw_pitch_roll_and_colour_comes_from_the_picker(
    qtbot, make_window, monkeypatch
):
    window = make_window(BREAKFAST)
    click_outliner(qtbot, window, "mika")
    angles = window.inspector.editors[("actors", 0, "pose", "orientation")]
    type_into(qtbot, angles.edits[0], "30")
    type_into(qtbot, window.inspector.editors[("actors", 0, "pose", "orientation")].edits[1], "10")
    stored = window.session.scene.actors[0].pose.orientation
    assert stored == pytest.approx(quaternion_from_ypr(30, 10, 0), abs=1e-6)
    monkeypatch.setattr(
        field_editors, "pick_colour", lambda initial, parent, title: QColor("#123456")
    )
    qtbot.mouseClick(window.inspector.editors[("actors", 0, "color")], Qt.MouseButton.LeftButton)
    assert window.session.scene.actors[0].color == "#123456"
    window.undo_action.trigger()
    assert window.session.scene.actors[0].color == "#4a90d9"


def test_timeline_cues_show_outcome_colour_and_the_cue_sheet_sentence(qtbot, make_window):
    window = make_window(BREAKFAST)
    session = window.session
    assert {cue_marks.cue_outcome(session, c)[0] for c in session.scene.cues} == {"ok"}
    # Mika cannot hold H1, across the sphere: the hold is impossible, drawn red.
    click_outliner(qtbot, window, "mika")
    session.set_time(2.0)
    window.cue_palette.add("hold")
    index = len(session.scene.cues) - 1
    search(qtbot, window.inspector.editors[("cues", index, "fixture")], "hatch, top")
    assert session.scene.cues[index].fixture == "H1"
    wait_for_bake_of(qtbot, window)
    cue = session.scene.cues[index]
    assert cue_marks.cue_outcome(session, cue)[0] == "impossible"
    canvas = window.timeline.canvas
    centre = dict(canvas.cue_positions())[cue.id]
    tip = canvas._cue_tip(cue.id)
    assert cue.limb == "left_hand", "a handrail is held by a free hand: the bulb is in the right"
    assert "Hold H1 with the left hand" in tip and "Impossible" in tip
    session.select([])  # a selected cue is ringed in the accent colour
    session.set_time(7.5)  # and the playhead is drawn over everything
    image = canvas.grab().toImage()
    ratio = image.devicePixelRatio()
    pixel = image.pixelColor(int(centre.x() * ratio), int((centre.y() + CUE_R - 1.5) * ratio))
    assert pixel.red() > pixel.green() + 60, f"a red ring: {pixel.name()}"
    ok = dict(canvas.cue_positions())["ren-push"]
    pixel = image.pixelColor(int(ok.x() * ratio), int((ok.y() + CUE_R - 1.5) * ratio))
    assert pixel.green() > pixel.red() + 40, f"a green ring: {pixel.name()}"


def test_untether_unclips_the_tether_at_the_playhead_and_undo_clips_it_again(qtbot, make_window):
    window = make_window(BREAKFAST)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # shortcuts reach the active window only
    click_outliner(qtbot, window, "mika")
    window.session.set_time(6.0)
    window.viewport.setFocus()
    qtbot.keyClick(window.viewport, Qt.Key.Key_M, Qt.KeyboardModifier.ShiftModifier)
    tether = next(c for c in window.session.scene.cues if c.id == "mika-tether")
    assert tether.until == 6.0
    window.undo_action.trigger()
    assert next(c for c in window.session.scene.cues if c.id == "mika-tether").until is None


def test_prop_cues_need_a_prop_and_the_right_click_menus_offer_the_palette(qtbot, make_window):
    window = make_window(BREAKFAST)
    palette = window.cue_palette
    click_outliner(qtbot, window, "bulb")
    assert palette.actions["spin"].isEnabled() and not palette.actions["hold"].isEnabled()
    window.session.set_time(1.0)
    palette.actions["spin"].trigger()
    cue = window.session.scene.cues[-1]
    assert (cue.type, cue.target, cue.time) == ("spin", "bulb", 1.0)
    labels = [a.text() for a in window.cue_menu.actions() if a.text()]
    assert labels[:3] == ["Push &Off", "&Hold", "&Release"] and "S&pin" in labels
    add_menu = window.timeline.canvas.context_actions[0].menu()
    assert add_menu is not None and palette.actions["throw"] in add_menu.actions()
    assert window.timeline.canvas.context_actions[0] in window.viewport.context_actions


def test_right_click_on_a_timeline_track_puts_the_playhead_there_and_offers_the_palette(
    qtbot, make_window
):
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication

    window = make_window(BREAKFAST)
    canvas = window.timeline.canvas
    row = next(r for r, (_, item) in enumerate(canvas.rows()) if item == "mika")
    y = int(canvas.row_top(row) + 10)
    x = int(canvas.x_of(2.0))
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, QPoint(x, y), canvas.mapToGlobal(QPoint(x, y))
    )
    QApplication.sendEvent(canvas, event)
    assert window.session.selection == ("mika",)
    assert abs(window.session.time - 2.0) <= 1 / 24
    menu = canvas._menu
    assert menu.isVisible()
    add = menu.actions()[0].menu()
    assert window.cue_palette.actions["hold"] in add.actions()
    assert window.cue_palette.actions["hold"].isEnabled()
    menu.close()


def test_a_fixed_camera_leaves_its_mount_where_it_was_and_takes_another_by_name(qtbot, make_window):
    window = make_window(BREAKFAST)
    click_outliner(qtbot, window, "A")
    path = ("cameras", 0, "rig", "mount")
    search(qtbot, window.inspector.editors[path], "no mount")
    rig = window.session.scene.cameras[0].rig
    station = window.inspector.station()
    assert rig.mount is None
    assert rig.position == pytest.approx(station.fixture("CAM-E").position, abs=1e-4)
    search(qtbot, window.inspector.editors[path], "top")
    rig = window.session.scene.cameras[0].rig
    assert (rig.mount, rig.position) == ("CAM-B", None)
    assert window.session.stack.history[-1] == "Set A mount and position"
