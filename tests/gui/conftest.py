"""Fixtures for the desktop app's tests: real windows under Xvfb, isolated settings and state."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import see1previs.gui  # noqa: F401  (first: OpenGL settings must precede the QApplication)
from tests.conftest import SCENES

DEMO = SCENES / "first-light.see1.json"
BAKE_TIMEOUT_MS = 120_000


@pytest.fixture(scope="session")
def qapp_args():
    return ["see1-previs-tests"]


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path, qapp, monkeypatch):
    """Window layout, recent files and recovery files of a test stay in its own folder."""
    from PySide6.QtCore import QSettings

    from see1previs.gui.theme import apply_dark_theme

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings")
    )
    qapp.setOrganizationName("SEE-1 tests")
    qapp.setApplicationName("SEE-1 Previs tests")
    apply_dark_theme(qapp)
    monkeypatch.setenv("SEE1_STATE_DIR", str(tmp_path / "state"))


@pytest.fixture(scope="session")
def envelope_cluster(tmp_path_factory):
    """A real Dask scheduler and two worker processes, shared by the envelope GUI tests."""
    from tests.envelope.conftest import start_cluster  # Dask only where a test asks for it

    running = start_cluster(2, tmp_path_factory.mktemp("gui-cluster"))
    yield running
    running.stop()


@pytest.fixture
def make_window(qtbot, tmp_path: Path):
    """Build main windows that are shut down cleanly after the test."""
    from see1previs.gui.main_window import MainWindow
    from see1previs.physics.cache import BakeCache
    from see1previs.session.session import Session

    windows = []

    def make(scene: Path | None = DEMO, *, wait_for_bake: bool = True) -> MainWindow:
        window = MainWindow(
            Session(cache=BakeCache()), recovery_folder=tmp_path / "state" / "recovery"
        )
        window.ask_to_save = lambda: "discard"
        window.report_error = lambda title, message: pytest.fail(f"{title}: {message}")
        qtbot.addWidget(window)
        windows.append(window)
        if scene is not None:
            assert window.open_file(scene, confirm=False)
        window.show()
        qtbot.waitExposed(window)
        if wait_for_bake:
            wait_for_bake_of(qtbot, window)
        return window

    yield make
    for window in windows:
        window.shutdown()
        window.close()


def wait_for_bake_of(qtbot, window) -> None:
    """Until the session's bake matches its scene and the blocking check has run."""
    qtbot.waitUntil(
        lambda: (
            window.session.bake_is_current
            and not window.bake_worker.busy
            and not window._bake_timer.isActive()
        ),
        timeout=BAKE_TIMEOUT_MS,
    )
    qtbot.waitUntil(lambda: not window.check_worker.busy, timeout=BAKE_TIMEOUT_MS)


def wait_for_monitor(qtbot, window) -> None:
    qtbot.waitUntil(
        lambda: window.monitor.frame is not None and window.monitor.up_to_date, timeout=60_000
    )


def environment_for_child() -> dict[str, str]:
    import sys

    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
