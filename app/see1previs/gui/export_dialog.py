"""The export dialog: the camera plan through the same exporters as ``see1-previs export``.

Choose the formats and the output folder, press Export; the job
(:func:`see1previs.session.export_job.export_scene`) runs in a worker with a progress bar and
stage name, and ends with a link that opens the output folder.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from see1previs.export.formats import DEFAULT_FORMATS, FORMATS
from see1previs.gui.icons import icon
from see1previs.gui.workers import Worker
from see1previs.physics.cache import BakeCache
from see1previs.session.session import Session

FORMAT_NAMES = {
    "csv": "Camera tracks per shot (CSV)",
    "json": "Camera tracks per shot (JSON)",
    "shotlist": "Shot list (CSV)",
    "otio": "Editorial timeline (OTIO)",
    "edl": "Editorial cut as an EDL (CMX 3600)",
    "fcpxml": "Editorial cut as Final Cut Pro 7 XML",
    "usd": "USD stage",
    "gltf": "glTF scene (GLB)",
    "chan": "Cameras per shot for Nuke (.chan)",
    "opentrackio": "Cameras per shot as OpenTrackIO samples (JSON)",
    "motion": "Motion-control figures per shot (CSV)",
    "storyboards": "Storyboard frames (PNG)",
    "pdf": "Shot list with storyboards (PDF)",
    "movies": "Previs movies per shot and the cut (MP4, slow)",
}


class ExportDialog(QDialog):
    """Modal while open, but the export itself runs in a worker thread."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export camera plan")
        self.setWindowIcon(icon("export"))
        self.session = session
        self.result_files: list[Path] = []
        self.boxes: dict[str, QCheckBox] = {}
        grid = QGridLayout()
        for row, name in enumerate(FORMATS):
            box = QCheckBox(FORMAT_NAMES.get(name, name))
            box.setChecked(name in DEFAULT_FORMATS)  # slow ones only when asked
            self.boxes[name] = box
            grid.addWidget(box, row // 2, row % 2)
        default = (
            session.path.parent / f"{session.path.name.split('.')[0]}-plan"
            if session.path
            else Path.home() / "see1-plan"
        )
        self.folder = QLineEdit(str(default))
        browse = QPushButton(icon("folder"), "Choose…")
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(QLabel("Output folder"))
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.stage = QLabel("")
        self.stage.setObjectName("unit")
        self.link = QLabel("")
        self.link.setTextFormat(Qt.TextFormat.RichText)
        self.link.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.link.linkActivated.connect(lambda url: QDesktopServices.openUrl(QUrl(url)))
        self.link.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton(
            "Export", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.export_button.setIcon(icon("export"))
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.export_button.clicked.connect(self.start)
        self.close_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Scene: {session.scene.title} — {len(session.scene.shots)} shots"))
        layout.addLayout(grid)
        layout.addLayout(folder_row)
        layout.addWidget(self.progress)
        layout.addWidget(self.stage)
        layout.addWidget(self.link)
        layout.addWidget(self.buttons)
        self.worker = Worker("export", self)
        self.worker.progress.connect(self._progress)
        self.worker.finished.connect(self._finished)
        self.worker.failed.connect(self._failed)
        self.resize(560, 300)

    def selected_formats(self) -> list[str]:
        return [name for name, box in self.boxes.items() if box.isChecked()]

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export into", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def start(self) -> None:
        from see1previs.session.export_job import export_scene

        formats = self.selected_formats()
        if not formats:
            self.stage.setText("Choose at least one format.")
            return
        out = Path(self.folder.text()).expanduser()
        scene, scene_dir = self.session.scene, self.session.scene_dir
        cache = self.session.cache or BakeCache()
        self.export_button.setEnabled(False)
        self.link.setText("")
        self.stage.setText("Starting…")

        def job(progress, should_cancel):
            def report(stage: str, fraction: float) -> None:
                self._stage_text = stage  # read by the UI thread with the next progress
                progress(fraction)

            return export_scene(
                scene, scene_dir, out, formats=formats, cache=cache, progress=report
            )

        self._stage_text = ""
        self.worker.submit(out, job)

    def _progress(self, token, fraction: float) -> None:
        self.progress.setValue(int(fraction * 1000))
        if self._stage_text:
            self.stage.setText(self._stage_text.capitalize() + "…")

    def _finished(self, out: Path, result) -> None:
        self.result_files = list(result.files)
        self.progress.setValue(1000)
        self.export_button.setEnabled(True)
        self.stage.setText(f"{len(result.files)} files written.")
        url = QUrl.fromLocalFile(str(out)).toString()
        self.link.setText(f'<a href="{url}" style="color:#7fb2ff">Open {out}</a>')

    def _failed(self, out: Path, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        self.progress.setValue(0)
        self.stage.setText("")
        self.link.setText(f'<span style="color:#ff6b5b">Export failed: {exc}</span>')

    def done(self, result: int) -> None:
        self.worker.cancel()
        self.worker.wait()
        super().done(result)
