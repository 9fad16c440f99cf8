"""The desktop app driven like a director would, in real windows under Xvfb.

Each test checks what the app did against an independent truth: the trajectory the physics
baked, the file read back from disk, the pixels the camera monitor shows.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt

from see1previs.core import commands as cmd
from see1previs.core.scenefile import load_scene
from see1previs.gui.shot_list import MIME
from tests.gui.conftest import (
    DEMO,
    environment_for_child,
    wait_for_bake_of,
    wait_for_monitor,
)


def click_outliner(qtbot, window, item_id: str) -> None:
    view = window.outliner.view
    index = window.outliner.model.index_of(item_id)
    view.scrollTo(index)
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _vector_edits(inspector, path):
    from PySide6.QtWidgets import QLineEdit

    return inspector.editors[path].parentWidget().findChildren(QLineEdit)


def type_into(qtbot, edit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def test_opening_the_demo_scene_fills_every_dock(make_window):
    window = make_window()
    scene = load_scene(DEMO)
    model = window.outliner.model
    for body in scene.bodies():
        assert model.index_of(body.id).isValid()
    assert window.shot_list.model.rowCount() == len(scene.shots)
    assert window.session.bake.trajectory.body_ids == [b.id for b in scene.bodies()]
    assert DEMO.name in window.windowTitle() and not window.isWindowModified()


def test_selecting_an_actor_in_the_outliner_shows_it_in_the_inspector(qtbot, make_window):
    window = make_window()
    actor = window.session.scene.actors[0]
    click_outliner(qtbot, window, actor.id)
    assert window.session.selection == (actor.id,)
    inspector = window.inspector
    assert inspector.title.text() == actor.id
    height = inspector.editors[("actors", 0, "height")]
    assert float(height.text()) == actor.height
    assert inspector.units[("actors", 0, "height")] == "m"
    assert inspector.units[("actors", 0, "mass")] == "kg"
    assert float(inspector.editors[("actors", 0, "mass")].text()) == actor.mass
    x, y, z = (float(e.text()) for e in _vector_edits(inspector, ("actors", 0, "pose", "position")))
    assert (x, y, z) == actor.pose.position


def test_changing_a_mass_rebakes_and_undo_restores_the_exact_trajectory(qtbot, make_window):
    window = make_window()
    session = window.session
    before = session.bake.trajectory
    prop = session.scene.props[0]
    click_outliner(qtbot, window, prop.id)
    type_into(qtbot, window.inspector.editors[("props", 0, "mass")], "3.5")
    assert session.scene.props[0].mass == 3.5
    assert window.undo_action.text() == f"&Undo Set {prop.id} mass"
    assert window.isWindowModified()
    wait_for_bake_of(qtbot, window)
    after = session.bake.trajectory
    moved = np.abs(after.positions - before.positions).max()
    assert moved > 1e-4, "a 10x heavier prop must move differently"
    window.undo_action.trigger()
    assert session.scene.props[0].mass == prop.mass and not window.isWindowModified()
    wait_for_bake_of(qtbot, window)
    assert session.bake.trajectory.content_hash() == before.content_hash()


def test_an_invalid_value_is_refused_with_a_message_under_the_field(qtbot, make_window):
    window = make_window()
    click_outliner(qtbot, window, "mug")
    path = ("props", 0, "mass")
    type_into(qtbot, window.inspector.editors[path], "-2")
    assert "greater than 0" in window.inspector.problem_text(path)
    assert window.session.scene.props[0].mass > 0
    assert not window.session.stack.can_undo


def test_dragging_the_playhead_poses_the_viewport_from_the_trajectory(qtbot, make_window):
    window = make_window()
    canvas = window.timeline.canvas
    start = QPoint(int(canvas.x_of(1.0)), 10)
    end = QPoint(int(canvas.x_of(9.3)), 10)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(canvas, pos=QPoint(int(canvas.x_of(4.0)), 10))
    qtbot.mouseMove(canvas, pos=end)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=end)
    session = window.session
    t = session.time
    assert t == pytest.approx(9.3, abs=0.1)
    assert session.frame == session.scene.frame_rate.frame_at(t)  # snapped to a frame
    trajectory = session.bake.trajectory
    for body_id in ("mug", "ball", "mika"):
        position, orientation = window.viewport.drawn_pose(body_id)
        expected_position, expected_orientation = trajectory.link_pose(body_id, t)
        np.testing.assert_allclose(position, expected_position, atol=1e-6)
        assert abs(np.dot(orientation, expected_orientation)) == pytest.approx(1.0, abs=1e-6)
    # ...and not simply the start pose: the ball has flown since.
    ball_now = window.viewport.drawn_pose("ball")[0]
    assert np.linalg.norm(trajectory.link_pose("ball", 0.0)[0] - ball_now) > 0.5
    assert window.timeline.timecode.text() == session.scene.frame_rate.timecode(session.frame)


def test_adding_a_camera_changes_the_monitor_image(qtbot, make_window):
    window = make_window()
    window.session.set_time(6.0)
    wait_for_monitor(qtbot, window)
    before = window.monitor.frame
    cameras = len(window.session.scene.cameras)
    window.add_camera_action.trigger()
    scene = window.session.scene
    assert len(scene.cameras) == cameras + 1
    new_camera = scene.cameras[-1].id
    assert window.monitor.camera_id == new_camera
    qtbot.waitUntil(
        lambda: (
            window.monitor.frame is not None
            and window.monitor.frame.request.camera_id == new_camera
            and window.monitor.up_to_date
        ),
        timeout=60_000,
    )
    after = window.monitor.frame
    old = _pixels(before.image)
    new = _pixels(after.image)
    assert old.shape != new.shape or np.abs(old.astype(int) - new.astype(int)).mean() > 5
    assert window.session.bake_is_current  # a camera moves nothing: no re-bake
    window.undo_action.trigger()
    assert len(window.session.scene.cameras) == cameras


def test_save_then_reopen_gives_the_same_scene(qtbot, make_window, tmp_path: Path):
    window = make_window()
    click_outliner(qtbot, window, "slate")
    type_into(qtbot, window.inspector.editors[("props", 1, "mass")], "1.25")
    window.add_prop_action.trigger()
    target = tmp_path / "saved.see1.json"
    assert window._save_to(target)
    assert not window.isWindowModified()
    reopened = make_window(target, wait_for_bake=False)
    assert reopened.session.scene == window.session.scene
    assert load_scene(target).props[1].mass == 1.25
    assert str(target.resolve()) in reopened.recent_files()


def test_new_scene_starts_empty_in_the_interior(qtbot, make_window):
    window = make_window(None)
    assert window.session.path is None and window.session.scene.bodies() == []
    assert "Untitled" in window.windowTitle()
    wait_for_bake_of(qtbot, window)
    window.add_actor_action.trigger()
    window.add_prop_action.trigger()
    wait_for_bake_of(qtbot, window)
    assert window.session.bake_problems == []
    assert len(window.session.bake.trajectory.body_ids) == 2


def test_dragging_a_cue_moves_it_in_time_as_one_undoable_edit(qtbot, make_window):
    window = make_window()
    canvas = window.timeline.canvas
    cue = window.session.scene.cues[0]
    (centre,) = [c for cue_id, c in canvas.cue_positions() if cue_id == cue.id]
    grab = centre.toPoint()
    drop = QPoint(int(canvas.x_of(cue.time + 2.0)), grab.y())
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=grab)
    qtbot.mouseMove(canvas, pos=QPoint((grab.x() + drop.x()) // 2, grab.y()))
    qtbot.mouseMove(canvas, pos=drop)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=drop)
    moved = next(c for c in window.session.scene.cues if c.id == cue.id)
    assert moved.time == pytest.approx(cue.time + 2.0, abs=0.1)
    assert window.session.stack.history[-1].startswith(f"Move cue {cue.id}")
    assert window.session.stale_from == pytest.approx(cue.time)  # re-bake from the cue on
    window.session.undo()
    assert next(c for c in window.session.scene.cues if c.id == cue.id).time == cue.time


def test_dropping_shots_reorders_the_shooting_order(qtbot, make_window):
    window = make_window()
    model = window.shot_list.model
    first, second, third = model.shot_ids()
    data = QMimeData()
    data.setData(MIME, third.encode())
    model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, model.index(0, 0).parent())
    assert model.shot_ids() == [third, first, second]
    orders = {s.id: s.order for s in window.session.scene.shots}
    assert orders == {third: 1, first: 2, second: 3}
    assert window.history.list.count() == 2  # "Opened scene" and the reorder
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert model.shot_ids() == sorted([first, second, third], reverse=True)


def test_clicking_a_warning_jumps_to_its_time_and_selects_its_object(qtbot, make_window):
    window = make_window()
    panel = window.warnings
    assert panel.list.count() == len(panel.warnings) > 0
    item = panel.list.item(panel.list.count() - 1)
    warning = panel.warnings[-1]
    rect = panel.list.visualItemRect(item)
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.session.time == pytest.approx(warning.time)
    assert window.session.selection == (warning.subject,)


def test_delete_and_duplicate_from_the_menus(qtbot, make_window):
    window = make_window()
    session = window.session
    session.select(["mug"])
    window.duplicate_action.trigger()
    assert session.selection == ("mug-2",)
    assert session.scene.body("mug-2").mass == session.scene.body("mug").mass
    session.select(["A"])
    window.delete_action.trigger()
    assert all(c.id != "A" for c in session.scene.cameras)
    assert all(s.camera != "A" for s in session.scene.shots)
    assert window.undo_action.text() == "&Undo Delete A"
    history = window.history.list
    assert [history.item(r).text() for r in range(history.count())] == [
        "Opened scene",
        "Duplicate mug",
        "Delete A",
    ]
    rect = history.visualItemRect(history.item(0))
    qtbot.mouseClick(history.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert session.scene == load_scene(DEMO) and not window.isWindowModified()
    assert window.redo_action.text() == "&Redo Duplicate mug"


def test_dock_layout_is_remembered(qtbot, make_window):
    window = make_window(wait_for_bake=False)
    window.shot_dock.hide()
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, window.inspector_dock)
    window.save_layout()
    again = make_window(wait_for_bake=False)
    assert again.shot_dock.isHidden()
    assert again.dockWidgetArea(again.inspector_dock) == Qt.DockWidgetArea.LeftDockWidgetArea
    again.reset_layout()
    assert not again.shot_dock.isHidden()
    assert again.dockWidgetArea(again.inspector_dock) == Qt.DockWidgetArea.RightDockWidgetArea


KILLED_APP = r"""
import sys, time
from pathlib import Path
from PySide6.QtCore import QSettings
from see1previs.core import commands as cmd
from see1previs.gui.app import application
from see1previs.gui.main_window import MainWindow
app = application()
window = MainWindow(recovery_folder=Path(sys.argv[2]))
window.open_file(Path(sys.argv[1]), confirm=False)
window.show()
session = window.session
session.edit("Set mug mass", cmd.set_value(session.scene, ("props", 0, "mass"), 4.75))
session.edit("Rename", cmd.set_value(session.scene, ("title",), "First Light (recovered)"))
app.processEvents()
print(window.autosave_now(), flush=True)
time.sleep(120)
"""


def test_killed_app_offers_its_autosave_and_restores_the_edits(qtbot, make_window, tmp_path):
    folder = tmp_path / "state" / "recovery"
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_APP, str(DEMO), str(folder)],
        stdout=subprocess.PIPE,
        text=True,
        env=environment_for_child(),
    )
    try:
        written = child.stdout.readline().strip()
    finally:
        child.kill()  # SIGKILL: no clean-up code runs, like a crash
        child.wait()
    assert written.endswith(".recovery.json") and Path(written).exists()
    window = make_window(wait_for_bake=False)
    offered = []
    window.choose_recovery = lambda found: offered.extend(found) or found[0]
    assert window.offer_recovery()
    assert [r.file for r in offered] == [Path(written)]
    scene = window.session.scene
    assert scene.props[0].mass == 4.75 and scene.title == "First Light (recovered)"
    assert window.session.path == DEMO.resolve() and window.isWindowModified()
    assert not Path(written).exists()  # offered once, then it is the session's own edits
    assert window.offer_recovery() is False


def test_autosave_runs_on_its_timer(qtbot, make_window):
    window = make_window(wait_for_bake=False)
    window.autosave_timer.setInterval(50)
    window.session.select(["mug"])
    window.duplicate_action.trigger()
    qtbot.waitUntil(lambda: window.autosaver.file.exists(), timeout=5000)
    window.session.undo()
    assert not window.autosaver.file.exists()  # back to the saved state: nothing to recover


def _pixels(image) -> np.ndarray:
    from PySide6.QtGui import QImage

    image = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height = image.width(), image.height()
    data = np.frombuffer(image.constBits(), np.uint8, count=image.bytesPerLine() * height)
    return data.reshape(height, image.bytesPerLine())[:, : width * 3].reshape(height, width, 3)


def test_a_viewport_drag_becomes_an_undoable_start_pose_edit(qtbot, make_window):
    window = make_window()
    session = window.session
    before = session.scene.body("ball").pose
    window.viewport.transform_edited.emit("ball", (0.1, 0.2, 0.3), (1.0, 0.0, 0.0, 0.0))
    assert session.scene.body("ball").pose.position == (0.1, 0.2, 0.3)
    assert session.stack.undo_label == "Move ball" and session.stale_from == 0.0
    wait_for_bake_of(qtbot, window)
    assert np.allclose(session.bake.trajectory.pose("ball", 0.0)[0], (0.1, 0.2, 0.3))
    window.undo_action.trigger()
    assert session.scene.body("ball").pose == before
    window.viewport.picked.emit("torch")
    assert session.selection == ("torch",)
    window.viewport.picked.emit("")
    assert session.selection == ()


def test_a_running_bake_can_be_cancelled_and_restarted(qtbot, make_window):
    window = make_window()
    session = window.session
    session.edit("Heavier mug", cmd.set_value(session.scene, ("props", 0, "mass"), 0.9))
    qtbot.waitUntil(lambda: window.bake_worker.busy, timeout=10_000)
    assert window.cancel_button.isVisible() and window.bake_progress.isVisible()
    window.cancel_bake_action.trigger()
    qtbot.waitUntil(lambda: not window.bake_worker.busy, timeout=30_000)
    assert not session.bake_is_current and "cancelled" in window.status_label.text()
    window.simulate_action.trigger()
    wait_for_bake_of(qtbot, window)
    assert session.bake.trajectory.metadata["cache_key"] == session.bake.cache_key
    assert session.bake.world.scene.props[0].mass == 0.9


def test_playback_steps_through_frames_of_the_bake(qtbot, make_window):
    window = make_window()
    timeline, session = window.timeline, window.session
    timeline.play_action.trigger()
    assert timeline.playing
    qtbot.waitUntil(lambda: session.time > 0.2, timeout=10_000)
    timeline.play_action.trigger()
    assert not timeline.playing
    rate = session.scene.frame_rate
    assert session.time == rate.frame_time(session.frame)  # always on a frame
    frame = session.frame
    timeline.step_fwd.trigger()
    timeline.step_fwd.trigger()
    timeline.step_back.trigger()
    assert session.frame == frame + 1
    timeline.to_end.trigger()
    assert session.time == session.scene.duration


def test_export_dialog_writes_the_camera_plan_with_the_cli_exporters(qtbot, make_window, tmp_path):
    from see1previs.gui.export_dialog import ExportDialog

    window = make_window()
    dialog = ExportDialog(window.session, window)
    qtbot.addWidget(dialog)
    for name, box in dialog.boxes.items():
        box.setChecked(name in ("shotlist", "csv", "otio"))
    out = tmp_path / "plan"
    dialog.folder.setText(str(out))
    dialog.show()
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Open" in dialog.link.text(), timeout=120_000)
    assert dialog.progress.value() == 1000
    lines = (out / "shot_list.csv").read_text(encoding="utf-8").splitlines()
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    shots = window.session.scene.shots
    assert sorted(row["shot_id"] for row in rows) == sorted(s.id for s in shots)
    assert (out / "timeline.otio").exists()
    assert len(list((out / "tracks").glob("*.csv"))) == len(shots)  # one track per shot
    assert out.as_uri() in dialog.link.text()
    assert {p.relative_to(out) for p in dialog.result_files} >= {Path("shot_list.csv")}
    dialog.close()


def test_every_shortcut_is_unique_and_every_icon_exists(make_window):
    from PySide6.QtGui import QAction

    from see1previs.gui.icons import NAMES, icon_path

    window = make_window(None, wait_for_bake=False)
    keys = [
        shortcut.toString()
        for action in window.findChildren(QAction)
        for shortcut in action.shortcuts()
        if not shortcut.isEmpty()
    ]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
    assert [name for name in NAMES if not icon_path(name).exists()] == []


def test_a_cue_dragged_where_the_blocking_breaks_is_refused_with_the_reason(qtbot, make_window):
    from tests.conftest import SCENES

    window = make_window(SCENES / "zero-g-breakfast.see1.json", wait_for_bake=False)
    canvas = window.timeline.canvas
    throw = next(cue for cue in window.session.scene.cues if cue.type == "throw")
    (centre,) = [c for cue_id, c in canvas.cue_positions() if cue_id == throw.id]
    grab = centre.toPoint()
    drop = QPoint(int(canvas.x_of(0.2)), grab.y())  # before anyone has the bulb in hand
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=grab)
    qtbot.mouseMove(canvas, pos=drop)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=drop)
    assert next(c for c in window.session.scene.cues if c.id == throw.id).time == throw.time
    assert f"Cue {throw.id} cannot move" in window.status_label.text()
    assert "does not hold" in window.status_label.text()
    assert not window.session.stack.can_undo


def test_unsaved_changes_are_not_dropped_without_asking(qtbot, make_window, tmp_path):
    window = make_window(wait_for_bake=False)
    session = window.session
    session.select(["mug"])
    window.delete_action.trigger()
    asked = []
    window.ask_to_save = lambda: asked.append(True) or "cancel"
    assert not window.new_file()
    assert asked and session.path == DEMO.resolve() and window.isWindowModified()
    copy = tmp_path / "copy.see1.json"
    window._save_to(copy)
    session.select(["ball"])
    window.delete_action.trigger()
    window.ask_to_save = lambda: "save"
    assert window.new_file()  # saved first, then the new scene
    assert session.path is None and session.scene.bodies() == []
    saved = load_scene(copy)
    assert {b.id for b in saved.bodies()} == {b.id for b in load_scene(DEMO).bodies()} - {
        "mug",
        "ball",
    }


def test_dragging_a_shot_clip_moves_its_in_and_out_points(qtbot, make_window):
    window = make_window()
    canvas = window.timeline.canvas
    shot = window.session.scene.shots[-1]
    (rect,) = [r for shot_id, r in canvas.shot_rects() if shot_id == shot.id]
    grab = rect.center().toPoint()
    target = max(0.0, shot.start - 2.0)
    drop = QPoint(int(grab.x() + canvas.x_of(target) - canvas.x_of(shot.start)), grab.y())
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=grab)
    qtbot.mouseMove(canvas, pos=QPoint((grab.x() + drop.x()) // 2, grab.y()))
    qtbot.mouseMove(canvas, pos=drop)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=drop)
    moved = next(s for s in window.session.scene.shots if s.id == shot.id)
    assert moved.start == pytest.approx(target, abs=0.1)
    assert moved.end - moved.start == pytest.approx(shot.end - shot.start, abs=1e-6)
    assert window.session.selection == (shot.id,)
    assert window.session.stack.undo_label.startswith(f"Move shot {shot.id}")
    assert window.session.bake_is_current  # shots move no bodies
    # A click on a clip without moving selects it and moves the playhead, no edit.
    window.session.undo()
    (rect,) = [r for shot_id, r in canvas.shot_rects() if shot_id == shot.id]
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert not window.session.stack.can_undo
    assert window.session.time == pytest.approx(canvas.time_at(rect.center().x()), abs=0.05)
