"""``see1-previs open BADFILE``: "Cannot open scene" and a working window, never an abort.

A scene file that made the loader raise something other than a scene-file error used to
escape while the window's worker threads ran, and Qt aborted the process (SIGABRT). The
desktop cases run the real command in a child process under the test display, with the
error dialog replaced by a line on stderr and the window closed after a moment.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from see1previs import cli
from tests.gui.conftest import environment_for_child

CHILD = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QTimer
    from see1previs import cli
    from see1previs.gui.app import application
    from see1previs.gui.main_window import MainWindow

    def report(self, title, message):
        print(f"{title}: {message}", file=sys.stderr, flush=True)

    MainWindow._report_error = report
    if sys.argv[2] == "bug":  # a loader bug rather than a bad file
        import see1previs.session.session as session

        def broken_loader(path):
            raise IndexError("list index out of range")

        session.load_scene = broken_loader
    app = application()

    def close_windows():
        titles = [w.windowTitle() for w in app.topLevelWidgets() if w.isVisible()]
        print("windows:", titles, file=sys.stderr, flush=True)
        for widget in app.topLevelWidgets():
            widget.close()

    QTimer.singleShot(1500, close_windows)
    sys.exit(cli.main(["open", sys.argv[1]]))
    """
)


def _open_in_child(scene: Path, tmp_path: Path, mode: str) -> subprocess.CompletedProcess[str]:
    env = {
        **environment_for_child(),
        "SEE1_STATE_DIR": str(tmp_path / "state"),
        "SEE1_CACHE_DIR": str(tmp_path / "cache"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(scene), mode],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


@pytest.fixture
def cut_short(tmp_path: Path) -> Path:
    path = tmp_path / "cut-short.see1.json"
    path.write_text("{\n", encoding="utf-8")
    return path


def test_a_file_cut_short_opens_an_empty_window_with_cannot_open_scene(cut_short, tmp_path):
    result = _open_in_child(cut_short, tmp_path, "file")
    assert result.returncode == 0, result.stderr
    assert "Cannot open scene: Cannot load scene file" in result.stderr
    assert "invalid JSON at line 2, column 1" in result.stderr
    assert "windows: ['Untitled" in result.stderr  # the window went on with a new scene


def test_a_loader_bug_is_reported_in_the_window_not_an_abort(cut_short, tmp_path):
    result = _open_in_child(cut_short, tmp_path, "bug")
    assert result.returncode == 0, result.stderr  # -6 (SIGABRT) before
    assert (
        "Cannot open scene: " + str(cut_short) + ": an internal error stopped the loading "
        "(IndexError: list index out of range)"
    ) in result.stderr
    assert "windows: ['Untitled" in result.stderr


# -- without a display -------------------------------------------------------------------------


@pytest.fixture
def no_display(monkeypatch):
    import see1previs.gui.app as gui_app

    calls: list = []
    monkeypatch.setattr(gui_app, "main", lambda scene=None: calls.append(scene) or 0)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    return calls


def test_without_a_display_a_bad_scene_says_cannot_open_scene(no_display, cut_short, capsys):
    assert cli.main(["open", str(cut_short)]) == cli.EXIT_PROBLEM
    err = capsys.readouterr().err
    assert err.startswith(f"Cannot open scene: {cut_short}\n  invalid JSON at line 2, column 1")
    assert no_display == []


def test_without_a_display_a_good_scene_says_there_is_no_display(no_display, capsys):
    from tests.gui.conftest import DEMO

    assert cli.main(["open", str(DEMO)]) == cli.EXIT_PROBLEM
    assert "there is no display here" in capsys.readouterr().err
    assert no_display == []
