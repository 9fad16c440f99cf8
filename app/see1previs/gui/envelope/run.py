"""*Scene ▸ Envelope…*: ask for the run, run it in the background, show and save what it found.

The run goes to a :class:`see1previs.gui.workers.Worker` (its own thread) which drives Dask:
a LocalCluster of one worker process per core, or the scheduler address typed in the dialog.
The progress dialog shows samples done and the time left; *Cancel* stops the chunks not yet
finished and keeps the samples done. Either way the result is written next to the scene file
(``<scene>.envelope.json`` and the PDF safety page ``<scene>.safety.pdf``), the tubes go into
the viewport and the risky moments into the *Envelope* dock and onto the timeline's tracks,
where a click on one selects it in the dock too and offers its worst sample. The timeline
keeps them while the scene or one of its samples is open, and drops them for any other scene.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QSpinBox,
)

from see1previs.core.scene import Scene
from see1previs.core.scenefile import save_scene
from see1previs.envelope.cluster import run_envelope
from see1previs.envelope.result import result_document, result_path, write_result
from see1previs.envelope.variation import Variation, apply
from see1previs.export.envelope_pdf import write_safety_page
from see1previs.gui.envelope.moments import MomentsPanel
from see1previs.gui.envelope.overlay import EnvelopeOverlay
from see1previs.gui.qt_events import listen
from see1previs.gui.workers import Worker

PROGRESS_STEPS = 1000


class EnvelopeDialog(QDialog):
    """Samples, seed and where to run."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Safety Envelope")
        self.samples = QSpinBox(self)
        self.samples.setRange(1, 100_000)
        self.samples.setValue(200)
        self.seed = QSpinBox(self)
        self.seed.setRange(0, 2_000_000_000)
        self.scheduler = QLineEdit(self)
        self.scheduler.setPlaceholderText("this computer (one worker per core)")
        form = QFormLayout(self)
        form.addRow("Samples", self.samples)
        form.addRow("Seed", self.seed)
        form.addRow("Dask scheduler", self.scheduler)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Run")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class EnvelopeController(QObject):
    """Owns the action, the background run, the overlay and the dock of one main window."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.action = QAction("&Envelope…", window)
        self.action.setObjectName("envelope-action")
        self.action.setStatusTip(
            "Bake many variations of the scene with human imprecision and show the risks"
        )
        self.action.triggered.connect(self.start)
        self.worker = Worker("envelope", self)
        self.worker.progress.connect(lambda token, fraction: self._progress(fraction))
        self.worker.finished.connect(lambda token, value: self._done(value))
        self.worker.cancelled.connect(lambda token: self._done(self._last, cancelled=True))
        self.worker.failed.connect(lambda token, exc: self._failed(exc))
        self.overlay = EnvelopeOverlay(window.viewport)
        self.panel = MomentsPanel()
        self.dock = QDockWidget("Envelope", window)
        self.dock.setObjectName("envelope-dock")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.hide()
        self.panel.seek.connect(self.session.set_time)
        self.panel.open_sample.connect(self.open_sample)
        self.marks = window.timeline.canvas.risk_marks
        self.marks.open_sample.connect(self.open_sample)
        self.marks.picked.connect(self.panel.list.setCurrentRow)  # the dock follows the flag
        self.panel.list.currentRowChanged.connect(
            lambda row: self.marks.select(row if 0 <= row < len(self.marks.moments) else None)
        )
        listen(self, self.session.time_changed, self.panel.strip.set_time)
        listen(self, self.session.scene_replaced, self._scene_replaced)
        self._opening_sample = False
        self.progress_dialog: QProgressDialog | None = None
        self.progress_text = ""
        self._last: dict | None = None
        self.document: dict | None = None
        self.scene: Scene | None = None
        self.folder: Path | None = None

    # -- running --------------------------------------------------------------------------
    def start(self, samples: int | None = None, seed: int = 0, scheduler: str | None = None):
        """Ask for the run (unless ``samples`` is given, as tests do) and start it."""
        if samples is None:
            dialog = EnvelopeDialog(self.window)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            samples, seed = dialog.samples.value(), dialog.seed.value()
            scheduler = dialog.scheduler.text().strip() or None
        scene, scene_dir, path = self.session.scene, self.session.scene_dir, self.session.path
        folder = path.parent if path is not None else Path(tempfile.mkdtemp(prefix="see1-env-"))
        self._last = None
        self.progress_text = "starting the workers and the nominal bake"
        self.progress_dialog = QProgressDialog(
            "Safety envelope: starting…", "Cancel", 0, PROGRESS_STEPS, self.window
        )
        self.progress_dialog.setWindowTitle("Safety Envelope")
        self.progress_dialog.setMinimumDuration(0)
        self.progress_dialog.canceled.connect(self.worker.cancel)

        def job(progress, should_cancel):
            def report(p) -> None:
                self.progress_text = p.text()
                progress(p.done / p.total)

            run = run_envelope(
                scene,
                scene_dir,
                samples,
                seed=seed,
                scheduler=scheduler,
                progress=report,
                should_cancel=should_cancel,
            )
            source = str(path) if path is not None else None
            result = write_result(run, result_path(folder, path, scene.title), source)
            document = result_document(run, source)
            colours = {a.id: a.color for a in scene.actors if a.color}
            page = result.with_name(result.name.removesuffix(".envelope.json") + ".safety.pdf")
            write_safety_page(document, page, colours)
            self._last = {"document": document, "scene": scene, "result": result, "page": page}
            return self._last

        self.worker.submit("envelope", job)

    def _progress(self, fraction: float) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.setValue(round(fraction * PROGRESS_STEPS))
            self.progress_dialog.setLabelText(f"Safety envelope: {self.progress_text}")

    def _close_progress(self) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.reset()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None

    def _done(self, value: dict | None, cancelled: bool = False) -> None:
        self._close_progress()
        if value is None:
            self.window.statusBar().showMessage("Safety envelope cancelled before any sample", 5000)
            return
        self.show_document(value["document"], value["scene"], value["result"].parent)
        what = "partial result (cancelled)" if cancelled else "result"
        self.window.statusBar().showMessage(
            f"Safety envelope {what} written to {value['result']} and {value['page'].name}", 10000
        )

    def _failed(self, exc: BaseException) -> None:
        self._close_progress()
        QMessageBox.warning(self.window, "Safety Envelope", f"The envelope could not run:\n{exc}")

    # -- showing ----------------------------------------------------------------------------
    def show_document(self, document: dict, scene: Scene, folder: Path) -> None:
        """Show a result: tubes in the viewport, risky moments in the dock."""
        self.document, self.scene, self.folder = document, scene, folder
        colours = {a.id: a.color or "#cccccc" for a in scene.actors}
        self.overlay.show(document["summary"], colours)
        s = document["summary"]
        state = "" if document["complete"] else " — partial (cancelled)"
        title = (
            f"{document['scene']['title']}: {s['baked']} of {document['samples_requested']} "
            f"samples, seed {document['seed']}{state}. Tubes hold 90 % of each actor's paths."
        )
        self.panel.show_result(title, s["moments"], scene.duration)
        self.marks.set_moments(s["moments"])
        self.dock.show()
        self.dock.raise_()

    def open_sample(self, index: int) -> None:
        """Open sample ``index`` of the shown result as a scene file of its own."""
        if self.document is None or self.scene is None:
            return
        sample = next(s for s in self.document["samples"] if s["index"] == index)
        variation = Variation(index, dict(sample["parameters"]), dict(sample["vectors"]))
        scene = apply(self.scene, variation)
        data = scene.model_dump(mode="json")
        data["title"] = f"{self.scene.title} — envelope sample {index}"
        scene = Scene.model_validate(data)
        stem = (self.document["scene"]["file"] or "scene").rsplit("/", 1)[-1]
        stem = stem.removesuffix(".see1.json")
        path = self.folder / f"{stem}-sample-{index}.see1.json"
        save_scene(scene, path)
        self._opening_sample = True
        try:
            self.window.open_file(path)
        finally:
            self._opening_sample = False

    def _scene_replaced(self) -> None:
        """Another file or a new scene: the risky moments are not its own any more."""
        if not self._opening_sample:
            self.marks.set_moments([])
