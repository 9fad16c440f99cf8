"""The main window's way in to rehearsal: the "Rehearse…" and "Cue sheet…" actions.

:func:`install` adds both to a main window: Rehearse… (Scene menu and toolbar) opens a
:class:`~see1previs.gui.rehearsal.window.RehearsalWindow` on the current bake, for the
actor the selection is about (:func:`selected_actor`); Cue sheet… (File menu) asks for a
performer (offering that same actor) and a PDF file and writes that performer's cue sheet in
a background worker, with the bake it already has (or a bake made for it), showing progress
in the status bar.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QToolBar

from see1previs.gui.icons import icon
from see1previs.gui.workers import Worker
from see1previs.session.rehearsal import performer_label

REHEARSE_SHORTCUT = "Ctrl+Shift+R"


def install(window) -> None:
    """Add Rehearse… and Cue sheet… to a main window's menus and toolbar."""
    window.rehearse_action = QAction(icon("rehearse"), "&Rehearse…", window)
    window.rehearse_action.setShortcut(QKeySequence(REHEARSE_SHORTCUT))
    window.rehearse_action.setStatusTip(
        "Play the scene from an actor's point of view with timed cue prompts"
    )
    window.rehearse_action.triggered.connect(lambda checked=False: open_rehearsal(window))
    window.cue_sheets = CueSheetPrinter(window)
    window.cue_sheet_action = QAction(icon("cue"), "Cue &Sheet…", window)
    window.cue_sheet_action.setStatusTip("Print one performer's cues as a PDF")
    window.cue_sheet_action.triggered.connect(lambda checked=False: window.cue_sheets.start())
    menus = {a.text(): a.menu() for a in window.menuBar().actions() if a.menu() is not None}
    scene_menu: QMenu | None = menus.get("&Scene")
    if scene_menu is not None:
        scene_menu.addSeparator()
        scene_menu.addAction(window.rehearse_action)
    file_menu: QMenu | None = menus.get("&File")
    if file_menu is not None:
        export = getattr(window, "export_action", None)
        actions = file_menu.actions()
        after = actions.index(export) + 1 if export in actions else len(actions)
        before = actions[after] if after < len(actions) else None
        file_menu.insertAction(before, window.cue_sheet_action)
    toolbar = window.findChild(QToolBar, "main-toolbar")
    if toolbar is not None:
        toolbar.addSeparator()
        toolbar.addAction(window.rehearse_action)


def open_rehearsal(window, actor_id: str | None = None):
    """Open (or bring back) the rehearsal window on the session's current bake."""
    from see1previs.gui.rehearsal.window import RehearsalWindow

    session = window.session
    scene = session.scene
    if not scene.actors:
        window.report_error("Nothing to rehearse", "Add an actor with cues first.")
        return None
    if session.bake is None or not session.bake_is_current:
        window.report_error(
            "Nothing to rehearse yet",
            "The scene has not finished baking. Wait for the bake (F5 bakes now) and try again.",
        )
        return None
    if actor_id is None:
        actor_id = selected_actor(session)
    previous = getattr(window, "rehearsal_window", None)
    if previous is not None:
        previous.close()
        previous.deleteLater()
    rehearsal = RehearsalWindow(scene, session.bake, actor_id, session.scene_dir, parent=window)
    window.rehearsal_window = rehearsal
    rehearsal.show()
    rehearsal.raise_()
    rehearsal.activateWindow()
    return rehearsal


def selected_actor(session) -> str | None:
    """The actor the selection is about: a selected actor, the actor of a selected cue, or
    the operator of a selected camera (the first such in selection order)."""
    scene = session.scene
    actors = {actor.id for actor in scene.actors}
    cues = {cue.id: cue for cue in scene.cues}
    operators = {
        camera.id: getattr(getattr(camera, "rig", None), "operator", None)
        for camera in scene.cameras
    }
    for item_id in session.selection:
        cue = cues.get(item_id)
        candidate = (
            (getattr(cue, "actor", None) or getattr(cue, "target", None))
            if cue is not None
            else operators.get(item_id, item_id)
        )
        if candidate in actors:
            return candidate
    return None


class CueSheetPrinter(QObject):
    """Asks which performer and where, then writes the cue sheet PDF in the background."""

    written = Signal(object, object)  # path, rows

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.worker = Worker("cue-sheet", self)
        self.worker.progress.connect(self._progress)
        self.worker.finished.connect(self._finished)
        self.worker.failed.connect(self._failed)
        # Callables tests may replace: how the window asks the crew things.
        self.ask_actor = self._ask_actor
        self.ask_path = self._ask_path
        window.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close and self.worker.busy:
            self.worker.wait()  # a sheet being written is finished, not cut off, on closing
        return super().eventFilter(watched, event)

    def start(self) -> None:
        scene = self.window.session.scene
        if not scene.actors:
            self.window.report_error("No cue sheet to print", "The scene has no actors.")
            return
        actor_id = self.ask_actor(scene)
        if not actor_id:
            return
        path = self.ask_path(scene, actor_id)
        if not path:
            return
        self.write(actor_id, Path(path))

    def write(self, actor_id: str, path: Path) -> None:
        """Write ``actor_id``'s cue sheet to ``path`` in the background."""
        from see1previs.export.cue_sheet import write_cue_sheet
        from see1previs.physics.simulation import simulate

        session = self.window.session
        scene, scene_dir, cache = session.scene, session.scene_dir, session.cache
        bake = session.bake if session.bake_is_current else None

        def job(progress, cancelled):
            result = bake
            if result is None:
                result = simulate(
                    scene, scene_dir, cache=cache, progress=progress, should_cancel=cancelled
                )
            rows, _ = write_cue_sheet(scene, actor_id, result, path)
            return rows

        self._status(f"Writing the cue sheet for {performer_label(scene, actor_id)}…")
        self.worker.submit((actor_id, path), job)

    def _progress(self, token, fraction: float) -> None:
        self._status(f"Baking for the cue sheet… {fraction:.0%}")

    def _finished(self, token, rows) -> None:
        _, path = token
        self._status(f"Cue sheet written to {path} ({len(rows)} cues)")
        self.written.emit(path, rows)

    def _failed(self, token, exc: BaseException) -> None:
        self._status("")
        self.window.report_error("Cue sheet not written", str(exc))

    def _status(self, text: str) -> None:
        label = getattr(self.window, "status_label", None)
        if label is not None:
            label.setText(text)

    def _ask_actor(self, scene) -> str | None:
        labels = [performer_label(scene, actor.id) for actor in scene.actors]
        chosen = selected_actor(self.window.session)
        ids = [actor.id for actor in scene.actors]
        current = ids.index(chosen) if chosen in ids else 0
        label, ok = QInputDialog.getItem(
            self.window, "Cue sheet", "Whose cue sheet?", labels, current, False
        )
        if not ok:
            return None
        return scene.actors[labels.index(label)].id

    def _ask_path(self, scene, actor_id: str) -> str | None:
        folder = self.window.session.scene_dir or Path.home()
        suggestion = str(Path(folder) / f"{actor_id}-cue-sheet.pdf")
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Save cue sheet", suggestion, "PDF files (*.pdf)"
        )
        if path and not path.lower().endswith(".pdf"):
            path += ".pdf"
        return path or None
