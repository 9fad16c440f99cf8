"""``see1-previs open [SCENE]`` and plain ``see1-previs``: the command line opens the app."""

from __future__ import annotations

import subprocess
import sys

import pytest

from see1previs import cli
from tests.gui.conftest import DEMO, environment_for_child


@pytest.fixture
def opened(monkeypatch):
    calls = []
    import see1previs.gui.app as gui_app

    monkeypatch.setattr(gui_app, "main", lambda scene=None: calls.append(scene) or 0)
    return calls


def test_open_scene_runs_the_app_on_that_file(opened):
    assert cli.main(["open", str(DEMO)]) == 0
    assert opened == [DEMO]


def test_open_without_a_scene_and_no_command_open_an_empty_app(opened, monkeypatch):
    assert cli.main(["open"]) == 0
    monkeypatch.setenv("DISPLAY", ":99")
    assert cli.main([]) == 0
    assert opened == [None, None]


def test_no_command_without_a_display_prints_usage(opened, monkeypatch, capsys):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert cli.main([]) == cli.EXIT_USAGE
    assert "usage" in capsys.readouterr().out.lower() and opened == []


def test_open_a_missing_file_is_a_plain_error(opened, tmp_path, capsys):
    assert cli.main(["open", str(tmp_path / "nope.see1.json")]) == cli.EXIT_PROBLEM
    assert "no scene file" in capsys.readouterr().err and opened == []


def test_the_command_line_does_not_load_qt_until_the_app_opens():
    code = (
        "import sys; from see1previs import cli; cli.build_parser(); "
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'see1previs.gui'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment_for_child()
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
