"""Starting the desktop app: ``see1-previs open [SCENE]`` and ``make run`` end up here.

:func:`main` creates the Qt application with the dark theme, opens the scene (or a new,
empty scene in the SEE-1 interior), shows the window and offers autosaved edits a crash left
behind.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from see1previs import __version__
from see1previs.gui.theme import apply_dark_theme

ORGANISATION = "SEE-1"
APPLICATION = "SEE-1 Previs"
UI_SWITCH_INTERVAL_S = 0.001


def application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, created once, themed and named (QSettings keys depend on it)."""
    # Workers (bake, checks, monitor) run Python too; hand the interpreter back to the UI
    # thread within 1 ms rather than the default 5 ms, so repaints do not queue behind them.
    sys.setswitchinterval(UI_SWITCH_INTERVAL_S)
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("see1-previs")
    apply_dark_theme(app)
    return app


def create_window(scene_path: str | Path | None = None):
    """A shown main window on ``scene_path`` (or a new scene); the app must exist.

    A scene that cannot be opened is reported in the window ("Cannot open scene") and the
    window starts on a new scene instead. Should anything else fail, the window's worker
    threads are stopped before the error goes on: Qt aborts the whole process when a running
    thread is destroyed.
    """
    from see1previs.gui.main_window import MainWindow

    window = MainWindow()
    try:
        if scene_path is not None and not window.open_file(Path(scene_path), confirm=False):
            window.new_file()
        window.show()
    except BaseException:
        window.shutdown()
        raise
    return window


def main(scene_path: str | Path | None = None) -> int:
    """Run the app until its window closes; returns the exit code."""
    app = application()
    window = create_window(scene_path)
    QTimer.singleShot(0, window.offer_recovery)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else None))
