"""The SEE-1 Previs main window: the interior viewport, docks, menus, files, bake and autosave.

The window owns one :class:`~see1previs.session.session.Session` and wires everything to it:

- centre: the 3D interior viewport (picks select, drags become undoable start-pose edits);
- docks: outliner, inspector, camera monitor, timeline, shot list, blocking warnings, undo
  history; their layout is remembered between runs (QSettings);
- File: New / Open / Open Recent / Save / Save As / Export, asking before unsaved edits are
  dropped; Edit: Undo / Redo with the edit's name, Add / Duplicate / Delete;
- every edit that changes motion re-bakes in a worker from the earliest affected time,
  with a progress bar and Cancel in the status bar; a newer edit cancels the running bake;
- unsaved edits are autosaved every 60 s to a recovery file, which is offered back after a
  crash (:mod:`see1previs.session.autosave`).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pydantic
from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QToolButton,
    QWidget,
)

from see1previs import __version__
from see1previs.core import commands as cmd
from see1previs.core.scenefile import SceneFileError
from see1previs.gui import scene_items
from see1previs.gui.aim_dialog import install as install_aim
from see1previs.gui.camera_monitor import CameraMonitor
from see1previs.gui.cue_palette import install as install_cue_palette
from see1previs.gui.edit_keys import WindowUndoKeys
from see1previs.gui.envelope import install_envelope
from see1previs.gui.help import install as install_help
from see1previs.gui.history import UndoHistory
from see1previs.gui.icons import icon
from see1previs.gui.inspector import Inspector
from see1previs.gui.outliner import Outliner
from see1previs.gui.qt_events import listen
from see1previs.gui.rehearsal.actions import install as install_rehearsal_actions
from see1previs.gui.shot_list import ShotList
from see1previs.gui.timeline import Timeline
from see1previs.gui.viewport_host import make_viewport
from see1previs.gui.warnings_panel import BlockingWarnings
from see1previs.gui.workers import Worker
from see1previs.physics.cache import BakeCache
from see1previs.session import autosave
from see1previs.session.session import (
    SCENE_SUFFIX,
    BakeJob,
    Session,
    blocking_warnings,
    problems_of,
    run_bake,
)

log = logging.getLogger(__name__)

APP_NAME = "SEE-1 Previs"
SCENE_FILTER = f"SEE-1 scenes (*{SCENE_SUFFIX});;All files (*)"
MAX_RECENT = 8
BAKE_DELAY_MS = 60  # gather the edits of one gesture into one bake
LAYOUT_VERSION = 1


class MainWindow(QMainWindow):
    """The application window around one editing session."""

    def __init__(
        self,
        session: Session | None = None,
        *,
        recovery_folder: Path | None = None,
        autosave_interval_s: float = autosave.AUTOSAVE_INTERVAL_S,
    ) -> None:
        super().__init__()
        self.session = session or Session(cache=BakeCache())
        self.settings = QSettings()
        self.setWindowIcon(icon("scene"))
        self.setDockNestingEnabled(True)
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks
            | QMainWindow.DockOption.AllowTabbedDocks
            | QMainWindow.DockOption.AllowNestedDocks
        )
        self.autosaver = autosave.Autosaver(self.session, recovery_folder)
        self.recovery_folder = recovery_folder
        # Callables tests may replace: how the window asks the director things.
        self.ask_to_save = self._ask_to_save
        self.choose_recovery = self._choose_recovery
        self.report_error = self._report_error

        self.viewport = make_viewport(self)
        self.viewport.setObjectName("viewport")
        self.setCentralWidget(self.viewport)
        self._make_actions()
        self._make_docks()
        self._make_menus()
        self._make_toolbars()
        self._make_status_bar()
        install_rehearsal_actions(self)  # Scene > Rehearse…, File > Cue Sheet…
        install_cue_palette(self)  # Cue menu, Cues toolbar, right-click Add Cue
        install_aim(self)  # Cue > Aim… on a selected push-off or throw (aim_dialog.aim_cue)
        install_envelope(self)  # Scene > Envelope…, the Envelope dock and viewport tubes
        self.undo_keys = WindowUndoKeys(self, [self.undo_action, self.redo_action])

        self.bake_worker = Worker("bake", self)
        self.bake_worker.progress.connect(self._bake_progress)
        self.bake_worker.published.connect(self._bake_streamed)
        self.bake_worker.finished.connect(self._bake_finished)
        self.bake_worker.failed.connect(self._bake_failed)
        self.bake_worker.cancelled.connect(self._bake_cancelled)
        self.bake_worker.busy_changed.connect(self._bake_busy)
        self.check_worker = Worker("blocking-check", self)
        self.check_worker.finished.connect(self._checked)
        self.check_worker.failed.connect(self._check_failed)
        self._bake_timer = QTimer(self)
        self._bake_timer.setSingleShot(True)
        self._bake_timer.timeout.connect(self.start_bake)
        self.autosave_timer = QTimer(self)
        self.autosave_timer.timeout.connect(self.autosave_now)
        self.autosave_timer.start(int(autosave_interval_s * 1000))

        session = self.session
        listen(self, session.bake_needed, self._bake_needed)
        listen(self, session.baked, self._baked)
        listen(self, session.bake_streamed, self.viewport.show_streamed)
        listen(self, session.bake_failed, self._bake_problems)
        listen(self, session.scene_changed, self._scene_changed)
        listen(self, session.scene_replaced, self._scene_replaced)
        listen(self, session.time_changed, self._time_changed)
        listen(self, session.selection_changed, self._selection_changed)
        listen(self, session.modified_changed, lambda modified: self._update_title())
        listen(self, session.path_changed, lambda path: self._update_title())
        listen(self, session.stack.changed, self._update_undo_actions)
        self.timeline.canvas.refused.connect(self.status_label.setText)
        self.viewport.picked.connect(lambda item_id: session.select([item_id] if item_id else []))
        self.viewport.transform_edited.connect(self._transform_edited)
        self.viewport.context_actions += [self.look_through_action, self.frame_action]

        self.resize(1480, 920)
        self._default_sizes()
        self._restore_layout()
        self._update_title()
        self._update_undo_actions()
        self._update_recent_menu()
        self._viewport_scene_shown = False
        # Show the starting scene once the event loop runs, unless a file was opened first
        # (drawing the interior twice would only delay the window).
        QTimer.singleShot(0, self._first_show)
        if session.stale_from is not None:
            self._bake_needed(session.stale_from)

    # -- construction ---------------------------------------------------------------------
    def _action(self, text: str, slot, shortcut=None, icon_name: str | None = None, tip=""):
        action = QAction(icon(icon_name) if icon_name else QAction().icon(), text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip or text.replace("&", "").rstrip("…"))
        action.triggered.connect(lambda checked=False: slot())
        return action

    def _make_actions(self) -> None:
        K = QKeySequence.StandardKey
        self.new_action = self._action("&New", self.new_file, K.New, "new", "Start a new scene")
        self.open_action = self._action("&Open…", self.open_dialog, K.Open, "open")
        self.save_action = self._action("&Save", self.save, K.Save, "save")
        self.save_as_action = self._action("Save &As…", self.save_as, K.SaveAs)
        self.export_action = self._action(
            "&Export Camera Plan…", self.export_dialog, "Ctrl+E", "export"
        )
        self.quit_action = self._action("&Quit", self.close, K.Quit)
        self.undo_action = self._action("&Undo", self.session.undo, K.Undo, "undo")
        self.redo_action = self._action("&Redo", self.session.redo, K.Redo, "redo")
        self.add_prop_action = self._action("Add &Prop", self.add_prop, "Ctrl+Shift+P", "prop")
        self.add_actor_action = self._action("Add &Actor", self.add_actor, "Ctrl+Shift+A", "actor")
        self.add_camera_action = self._action(
            "Add &Camera", self.add_camera, "Ctrl+Shift+C", "camera"
        )
        self.add_shot_action = self._action("Add S&hot", self.add_shot, "Ctrl+Shift+T", "shot")
        self.duplicate_action = self._action(
            "D&uplicate", self.duplicate_selection, "Ctrl+D", "duplicate"
        )
        self.delete_action = self._action("&Delete", self.delete_selection, K.Delete, "delete")
        self.simulate_action = self._action(
            "Re&bake", self.start_bake, "F5", "simulate", "Simulate the scene again"
        )
        self.cancel_bake_action = self._action(
            "Cancel Bake", self.cancel_bake, "Esc", "cancel", "Stop the running bake"
        )
        self.cancel_bake_action.setEnabled(False)
        self.frame_action = self._action("&Frame Selected", self._frame_selected, "F", "frame")
        self.view_actions = [
            self._action(f"{label} View", lambda n=name: self.viewport.set_view(n), key)
            for label, name, key in (
                ("&Hatch", "hatch", "1"),
                ("&Top", "top", "2"),
                ("F&ront", "front", "3"),
                ("&Perspective", "perspective", "4"),
            )
        ]
        self.reset_layout_action = self._action("Reset &Layout", self.reset_layout)
        self.look_through_action = self._action(
            "&Look Through Camera",
            self._look_through,
            "Num+0",
            "camera",
            "Show the selected camera's view in the viewport (Esc or orbit to leave)",
        )

    def _dock(self, title: str, name: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _make_docks(self) -> None:
        L = Qt.DockWidgetArea
        session = self.session
        context = [
            self.add_actor_action,
            self.add_prop_action,
            self.add_camera_action,
            self.add_shot_action,
            None,
            self.duplicate_action,
            self.delete_action,
        ]
        self.outliner = Outliner(session, context)
        self.inspector = Inspector(session)
        self.monitor = CameraMonitor(session)
        self.timeline = Timeline(session)
        self.shot_list = ShotList(session)
        self.warnings = BlockingWarnings(session)
        self.history = UndoHistory(session)
        self.outliner_dock = self._dock("Outliner", "outliner", self.outliner, L.LeftDockWidgetArea)
        self.warnings_dock = self._dock(
            "Blocking Warnings", "warnings", self.warnings, L.LeftDockWidgetArea
        )
        self.monitor_dock = self._dock(
            "Camera Monitor", "camera-monitor", self.monitor, L.RightDockWidgetArea
        )
        self.inspector_dock = self._dock(
            "Inspector", "inspector", self.inspector, L.RightDockWidgetArea
        )
        self.history_dock = self._dock(
            "Undo History", "history", self.history, L.RightDockWidgetArea
        )
        self.timeline_dock = self._dock(
            "Timeline", "timeline", self.timeline, L.BottomDockWidgetArea
        )
        self.shot_dock = self._dock(
            "Shot List", "shot-list", self.shot_list, L.BottomDockWidgetArea
        )
        self.splitDockWidget(self.outliner_dock, self.warnings_dock, Qt.Orientation.Vertical)
        self.splitDockWidget(self.monitor_dock, self.inspector_dock, Qt.Orientation.Vertical)
        self.tabifyDockWidget(self.inspector_dock, self.history_dock)
        self.inspector_dock.raise_()
        self.splitDockWidget(self.timeline_dock, self.shot_dock, Qt.Orientation.Horizontal)

    def _default_sizes(self) -> None:
        """Dock sizes of the default layout (for the window's current size)."""
        self.resizeDocks(
            [self.outliner_dock, self.monitor_dock], [300, 440], Qt.Orientation.Horizontal
        )
        self.resizeDocks(
            [self.outliner_dock, self.warnings_dock], [420, 200], Qt.Orientation.Vertical
        )
        self.resizeDocks(
            [self.monitor_dock, self.inspector_dock], [340, 420], Qt.Orientation.Vertical
        )
        self.resizeDocks(
            [self.timeline_dock, self.shot_dock], [900, 420], Qt.Orientation.Horizontal
        )
        self.resizeDocks([self.timeline_dock], [270], Qt.Orientation.Vertical)
        self._default_state = self.saveState(LAYOUT_VERSION)

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        file.addActions([self.new_action, self.open_action])
        self.recent_menu = file.addMenu("Open &Recent")
        file.addSeparator()
        file.addActions([self.save_action, self.save_as_action])
        file.addSeparator()
        file.addAction(self.export_action)
        file.addSeparator()
        file.addAction(self.quit_action)
        edit = bar.addMenu("&Edit")
        edit.addActions([self.undo_action, self.redo_action])
        edit.addSeparator()
        edit.addActions([self.duplicate_action, self.delete_action])
        scene = bar.addMenu("&Scene")
        scene.addActions(
            [
                self.add_actor_action,
                self.add_prop_action,
                self.add_camera_action,
                self.add_shot_action,
            ]
        )
        scene.addSeparator()
        scene.addActions([self.simulate_action, self.cancel_bake_action])
        playback = bar.addMenu("&Playback")
        timeline = self.timeline
        playback.addActions(
            [
                timeline.play_action,
                timeline.to_start,
                timeline.step_back,
                timeline.step_fwd,
                timeline.to_end,
                timeline.loop_action,
            ]
        )
        timeline.play_action.setShortcut(QKeySequence("Space"))
        timeline.step_back.setShortcut(QKeySequence("Left"))
        timeline.step_fwd.setShortcut(QKeySequence("Right"))
        timeline.to_start.setShortcut(QKeySequence("Home"))
        timeline.to_end.setShortcut(QKeySequence("End"))
        for action in (timeline.play_action, timeline.step_back, timeline.step_fwd):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        view = bar.addMenu("&View")
        view.addAction(self.frame_action)
        view.addActions(self.view_actions)
        view.addAction(self.look_through_action)
        view.addSeparator()
        for dock in self.findChildren(QDockWidget):
            view.addAction(dock.toggleViewAction())
        view.addSeparator()
        view.addAction(self.reset_layout_action)
        help_menu = bar.addMenu("&Help")
        install_help(self, help_menu)  # User Guide, Keyboard Shortcuts
        help_menu.addAction(self._action("&About SEE-1 Previs", self._about))

    def _make_toolbars(self) -> None:
        main = self.addToolBar("File and Edit")
        main.setObjectName("main-toolbar")
        main.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        main.addActions([self.new_action, self.open_action, self.save_action])
        main.addSeparator()
        main.addActions([self.undo_action, self.redo_action])
        main.addSeparator()
        main.addActions(
            [
                self.add_actor_action,
                self.add_prop_action,
                self.add_camera_action,
                self.add_shot_action,
                self.duplicate_action,
                self.delete_action,
            ]
        )
        main.addSeparator()
        main.addActions([self.frame_action, self.simulate_action, self.export_action])

    def _make_status_bar(self) -> None:
        status = self.statusBar()
        self.status_label = QLabel("")
        self.bake_progress = QProgressBar()
        self.bake_progress.setRange(0, 1000)
        self.bake_progress.setMaximumWidth(220)
        self.bake_progress.setFormat("Baking %p%")
        self.bake_progress.hide()
        self.cancel_button = QToolButton()
        self.cancel_button.setDefaultAction(self.cancel_bake_action)
        self.cancel_button.hide()
        status.addWidget(self.status_label, 1)
        status.addPermanentWidget(self.bake_progress)
        status.addPermanentWidget(self.cancel_button)

    # -- title, actions -------------------------------------------------------------------
    def _update_title(self) -> None:
        session = self.session
        self.setWindowTitle(f"{session.display_name}[*] — {session.scene.title} — {APP_NAME}")
        self.setWindowModified(session.is_modified)

    def _update_undo_actions(self) -> None:
        stack = self.session.stack
        self.undo_action.setEnabled(stack.can_undo)
        self.redo_action.setEnabled(stack.can_redo)
        self.undo_action.setText(f"&Undo {stack.undo_label}" if stack.can_undo else "&Undo")
        self.redo_action.setText(f"&Redo {stack.redo_label}" if stack.can_redo else "&Redo")
        self.undo_action.setToolTip(self.undo_action.text().replace("&", ""))
        self.redo_action.setToolTip(self.redo_action.text().replace("&", ""))

    def _selection_changed(self, ids) -> None:
        has = bool(ids)
        self.duplicate_action.setEnabled(has)
        self.delete_action.setEnabled(has)
        self.viewport.set_selection(list(ids))

    def _time_changed(self, t: float) -> None:
        self.viewport.set_time(t)

    # -- files ----------------------------------------------------------------------------
    def confirm_discard(self) -> bool:
        """True when it is fine to drop the current scene (saved, or the director says so)."""
        if not self.session.is_modified:
            return True
        answer = self.ask_to_save()
        if answer == "save":
            return self.save()
        return answer == "discard"

    def _ask_to_save(self) -> str:
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self,
            APP_NAME,
            f"Save the changes to {self.session.display_name} before closing it?",
            buttons.Save | buttons.Discard | buttons.Cancel,
            buttons.Save,
        )
        return {buttons.Save: "save", buttons.Discard: "discard"}.get(answer, "cancel")

    def _report_error(self, title: str, message: str) -> None:
        QMessageBox.warning(self, title, message)

    def new_file(self) -> bool:
        if not self.confirm_discard():
            return False
        self.autosaver.discard()
        self.session.new()
        self.status_label.setText("New scene in the SEE-1 interior")
        return True

    def open_dialog(self) -> None:
        start = str(self.session.scene_dir or Path.home())
        path, _ = QFileDialog.getOpenFileName(self, "Open scene", start, SCENE_FILTER)
        if path:
            self.open_file(Path(path))

    def open_file(self, path: Path | str, *, confirm: bool = True) -> bool:
        if confirm and not self.confirm_discard():
            return False
        try:
            self.session.open(path)
        except SceneFileError as exc:
            self.report_error("Cannot open scene", str(exc))
            self._forget_recent(Path(path))
            return False
        except Exception as exc:  # a bug while loading: say so, keep the window working
            log.exception("opening %s failed", path)
            self.report_error(
                "Cannot open scene",
                f"{path}: an internal error stopped the loading ({type(exc).__name__}: {exc}). "
                "Please report it with the scene file.",
            )
            return False
        self.autosaver.discard()
        self._remember_recent(self.session.path)
        self.status_label.setText(f"Opened {self.session.path}")
        return True

    def save(self) -> bool:
        if self.session.path is None:
            return self.save_as()
        return self._save_to(self.session.path)

    def save_as(self) -> bool:
        start = str(self.session.path or Path.home() / f"untitled{SCENE_SUFFIX}")
        path, _ = QFileDialog.getSaveFileName(self, "Save scene as", start, SCENE_FILTER)
        if not path:
            return False
        if not path.endswith(SCENE_SUFFIX):
            path += SCENE_SUFFIX
        return self._save_to(Path(path))

    def _save_to(self, path: Path) -> bool:
        try:
            self.session.save(path)
        except SceneFileError as exc:
            self.report_error("Cannot save scene", str(exc))
            return False
        self._remember_recent(self.session.path)
        self.status_label.setText(f"Saved {self.session.path}")
        return True

    def recent_files(self) -> list[str]:
        value = self.settings.value("recent_files", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _remember_recent(self, path: Path | None) -> None:
        if path is None:
            return
        files = [str(path)] + [f for f in self.recent_files() if f != str(path)]
        self.settings.setValue("recent_files", files[:MAX_RECENT])
        self._update_recent_menu()

    def _forget_recent(self, path: Path) -> None:
        self.settings.setValue(
            "recent_files", [f for f in self.recent_files() if Path(f) != path.resolve()]
        )
        self._update_recent_menu()

    def _update_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        for number, file in enumerate(files, start=1):
            action = self.recent_menu.addAction(f"&{number} {Path(file).name}")
            action.setStatusTip(file)
            action.triggered.connect(lambda checked=False, f=file: self.open_file(Path(f)))
        self.recent_menu.setEnabled(bool(files))

    def export_dialog(self) -> None:
        from see1previs.gui.export_dialog import ExportDialog

        if not self.session.scene.shots:
            self.report_error("Nothing to export", "Add a shot for a camera first.")
            return
        dialog = ExportDialog(self.session, self)
        dialog.exec()

    # -- autosave and recovery --------------------------------------------------------------
    def autosave_now(self) -> Path | None:
        try:
            return self.autosaver.save_now()
        except OSError as exc:  # includes AtomicWriteError's causes; never interrupt work
            self.status_label.setText(f"Autosave failed: {exc}")
            return None
        except Exception as exc:
            self.status_label.setText(f"Autosave failed: {exc}")
            return None

    def offer_recovery(self) -> bool:
        """Offer edits a crashed session left behind; True if they were restored."""
        found = autosave.find_recoveries(self.recovery_folder)
        found = [r for r in found if r.file != self.autosaver.file]
        if not found:
            return False
        chosen = self.choose_recovery(found)
        if chosen is None:
            return False
        try:
            autosave.restore(self.session, chosen)
        except (SceneFileError, OSError, ValueError) as exc:
            self.report_error("Cannot recover", f"{chosen.file}: {exc}")
            return False
        autosave.discard_recovery(chosen)
        self.status_label.setText(f"Recovered {chosen.description}")
        return True

    def _choose_recovery(self, found: list[autosave.Recovery]):
        newest = found[0]
        buttons = QMessageBox.StandardButton
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Recover unsaved edits?")
        box.setText(
            f"SEE-1 Previs did not close normally. Unsaved edits to {newest.description} "
            "were kept.\n\nRecover them?"
        )
        box.setStandardButtons(buttons.Yes | buttons.Discard | buttons.Cancel)
        box.button(buttons.Yes).setText("Recover")
        answer = box.exec()
        if answer == buttons.Yes:
            return newest
        if answer == buttons.Discard:
            autosave.discard_recovery(newest)
        return None

    # -- editing ----------------------------------------------------------------------------
    def _edit(self, label: str, build) -> bool:
        """Build the edited scene with ``build()`` and push it; report a refused edit."""
        try:
            after = build()
        except (pydantic.ValidationError, ValueError, KeyError) as exc:
            self.report_error("Cannot do that", f"{label}: {exc}")
            return False
        return self.session.edit(label, after) is not None

    def _selected_body(self) -> str | None:
        scene = self.session.scene
        bodies = {b.id for b in scene.bodies()}
        return next((i for i in self.session.selection if i in bodies), None)

    def add_prop(self) -> None:
        item = scene_items.new_prop(self.session.scene)
        if self._edit(
            f"Add prop {item['id']}", lambda: cmd.add_item(self.session.scene, "props", item)
        ):
            self.session.select([item["id"]])

    def add_actor(self) -> None:
        item = scene_items.new_actor(self.session.scene)
        if self._edit(
            f"Add actor {item['id']}", lambda: cmd.add_item(self.session.scene, "actors", item)
        ):
            self.session.select([item["id"]])

    def add_camera(self) -> None:
        item = scene_items.new_camera(self.session.scene, self._selected_body())
        if self._edit(
            f"Add camera {item['id']}", lambda: cmd.add_item(self.session.scene, "cameras", item)
        ):
            self.session.select([item["id"]])

    def add_shot(self) -> None:
        scene = self.session.scene
        if not scene.cameras:
            self.report_error("Add a camera first", "A shot is filmed by a camera.")
            return
        camera = next((c.id for c in scene.cameras if c.id in self.session.selection), None)
        if camera is None:
            camera = self.monitor.camera_id or scene.cameras[0].id
        item = scene_items.new_shot(scene, camera, self.session.time)
        if self._edit(f"Add shot {item['id']}", lambda: cmd.add_item(scene, "shots", item)):
            self.session.select([item["id"]])

    def duplicate_selection(self) -> None:
        ids = list(self.session.selection)
        if not ids:
            return
        copies: list[str] = []

        def build():
            scene = self.session.scene
            for item_id in ids:
                scene, copy_id = cmd.duplicate_item(scene, item_id)
                copies.append(copy_id)
            return scene

        if self._edit(f"Duplicate {', '.join(ids)}", build):
            self.session.select(copies)

    def delete_selection(self) -> None:
        ids = list(self.session.selection)
        if not ids:
            return

        def build():
            scene = self.session.scene
            for item_id in ids:
                try:
                    scene = cmd.remove_item(scene, item_id)
                except KeyError:
                    continue  # already removed with something it depended on
            return scene

        self._edit(f"Delete {', '.join(ids)}", build)

    def _transform_edited(self, item_id: str, position, orientation) -> None:
        self._edit(
            f"Move {item_id}",
            lambda: cmd.set_start_pose(self.session.scene, item_id, position, orientation),
        )

    def _frame_selected(self) -> None:
        self.viewport.frame_selected()

    def _look_through(self) -> None:
        """Look through the selected camera (else the monitor's), or back to the free view."""
        cameras = {c.id for c in self.session.scene.cameras}
        chosen = [i for i in self.session.selection if i in cameras]
        self.viewport.toggle_look_through(chosen[0] if chosen else self.monitor.camera_id)

    # -- baking -----------------------------------------------------------------------------
    def _bake_needed(self, affects_from: float) -> None:
        self._bake_timer.start(BAKE_DELAY_MS)
        if self.bake_worker.busy:
            self.bake_worker.cancel()  # superseded; a fresh bake starts after the delay
        if getattr(self, "_viewport_scene_shown", False):
            # Until the new bake arrives, edited bodies start from their new poses at once.
            self.viewport.show_edited_scene(self.session.scene, self.session.scene_dir)

    def start_bake(self) -> None:
        """Bake the current scene in the worker (cancelling a running bake)."""
        self._bake_timer.stop()
        job = self.session.bake_job()
        self.status_label.setText("Baking the zero-g motion…")
        self.bake_worker.submit(
            job,
            lambda progress, cancel, publish: run_bake(job, progress, cancel, publish),
            streams=True,
        )

    def cancel_bake(self) -> None:
        self._bake_timer.stop()
        self.bake_worker.cancel()

    def _bake_busy(self, busy: bool) -> None:
        self.bake_progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.cancel_bake_action.setEnabled(busy)
        if busy:
            self.bake_progress.setValue(0)
        else:
            self.timeline.set_bake_progress(None)

    def _bake_progress(self, job: BakeJob, fraction: float) -> None:
        self.bake_progress.setValue(int(fraction * 1000))
        self.timeline.set_bake_progress(fraction)

    def _bake_streamed(self, job: BakeJob, frames) -> None:
        self.session.stream_bake(job, frames)

    def _bake_finished(self, job: BakeJob, result) -> None:
        if self.session.finish_bake(job, result):
            source = "from the bake cache" if result.from_cache else "baked"
            frames = result.trajectory.frame_count
            self.status_label.setText(f"{frames} frames {source}")

    def _bake_failed(self, job: BakeJob, exc: BaseException) -> None:
        problems = problems_of(exc)
        if not hasattr(exc, "problems"):
            log.error("bake failed: %s", getattr(exc, "see1_traceback", exc))
        self.session.fail_bake(job, problems)

    def _bake_cancelled(self, job: BakeJob) -> None:
        if not self._bake_timer.isActive() and not self.bake_worker.busy:
            self.status_label.setText("Bake cancelled — press F5 to bake again")

    def _baked(self, result) -> None:
        self._show_in_viewport(result.world, result.trajectory)
        self.viewport.set_time(self.session.time)
        self._start_check()

    def _bake_problems(self, problems) -> None:
        self.status_label.setText(
            f"The scene cannot be simulated as placed ({len(problems)} problems)"
        )
        self._show_in_viewport(None, None)
        self._start_check()

    def _scene_changed(self, scene) -> None:
        self._update_title()
        bake = self.session.bake
        if self.session.bake_is_current and bake is not None:
            # Cameras, shots or the title changed: the motion is the same.
            self._show_in_viewport(bake.world, bake.trajectory)
            self._start_check()

    def _first_show(self) -> None:
        if not self._viewport_scene_shown:
            self._scene_replaced()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # A taller window gives the timeline room for its tracks (it never shrinks it).
        QTimer.singleShot(0, self._fit_timeline)

    def _fit_timeline(self) -> None:
        dock = self.timeline_dock
        wanted = self.timeline.fitting_height(self.height())
        if dock.isVisible() and not dock.isFloating() and dock.height() < wanted:
            self.resizeDocks([dock], [wanted], Qt.Orientation.Vertical)

    def _scene_replaced(self) -> None:
        self._viewport_scene_shown = True
        self._show_in_viewport(None, None)
        self.warnings.set_warnings([])

    def _show_in_viewport(self, world, trajectory) -> None:
        # The scene's folder lets the viewport find a custom interior before the first bake.
        self.viewport.show_scene(
            self.session.scene, world, trajectory, scene_dir=self.session.scene_dir
        )

    def _start_check(self) -> None:
        session = self.session
        scene, bake, problems = session.scene, session.bake, list(session.bake_problems)
        if problems:
            bake = None  # the bake kept for display is of the scene before the edit
        self.warnings.set_checking()
        self.check_worker.submit(
            (scene, session.generation),
            lambda progress, cancel: blocking_warnings(scene, bake, problems),
        )

    def _checked(self, token, warnings) -> None:
        scene, _ = token
        if scene is self.session.scene:
            self.warnings.set_warnings(warnings)

    def _check_failed(self, token, exc: BaseException) -> None:
        log.warning("blocking check failed: %s", getattr(exc, "see1_traceback", exc))
        scene, _ = token
        if scene is self.session.scene:
            self.warnings.set_failed(f"{type(exc).__name__}: {exc}")
            self.status_label.setText("The blocking could not be checked (see Blocking Warnings)")

    # -- layout -----------------------------------------------------------------------------
    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
        if isinstance(state, QByteArray | bytes):
            self.restoreState(QByteArray(state), LAYOUT_VERSION)

    def save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState(LAYOUT_VERSION))
        self.settings.sync()

    def reset_layout(self) -> None:
        self.restoreState(self._default_state, LAYOUT_VERSION)
        for dock in self.findChildren(QDockWidget):
            dock.show()

    def _about(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<b>{APP_NAME} {__version__}</b><br>Previsualization for SEE-1, the spherical "
            "zero-gravity film studio module.",
        )

    # -- closing ----------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.confirm_discard():
            event.ignore()
            return
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Stop workers and timers, keep the layout, drop the recovery file (a clean exit)."""
        self.timeline.pause()
        self.autosave_timer.stop()
        self._bake_timer.stop()
        self.save_layout()
        for worker in (self.bake_worker, self.check_worker):
            worker.cancel()
            worker.wait()
        tools = getattr(self.viewport, "cue_tools", None)
        if tools is not None:
            tools.arrow.ghost.shutdown()
        self.monitor.shutdown()
        self.autosaver.close()
