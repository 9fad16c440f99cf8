"""Rehearsal mode in a real window: stepping, countdowns, pausing at cues, first-person view.

Also the main window's "Cue sheet…" action writing a PDF read back with pypdf.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolBar

from see1previs.core.scenefile import load_scene
from see1previs.physics.cache import BakeCache
from see1previs.physics.simulation import simulate
from tests.conftest import SCENES
from tests.gui.conftest import wait_for_bake_of
from tests.gui.test_screenshots import pixels

DEMO = SCENES / "zero-g-breakfast.see1.json"


def ren_cues() -> list[tuple[str, float]]:
    """Ren's cues (id, time) read straight from the scene file, in time order."""
    raw = json.loads(DEMO.read_text())["cues"]
    return sorted(
        ((c["id"], float(c["time"])) for c in raw if c.get("actor") == "ren"), key=lambda c: c[1]
    )


@pytest.fixture(scope="module")
def baked():
    scene = load_scene(DEMO)
    return scene, simulate(scene, DEMO.parent, cache=BakeCache())


@pytest.fixture
def rehearsal(qtbot, baked):
    from see1previs.gui.rehearsal.window import RehearsalWindow

    scene, result = baked
    window = RehearsalWindow(scene, result, "ren", DEMO.parent)
    qtbot.addWidget(window)
    window.resize(1280, 780)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.pause()


def shown_countdown(window) -> str:
    return window.prompt.countdown.text()


def test_opens_for_ren_with_his_cues_listed_in_acting_order(rehearsal):
    assert rehearsal.actor_box.currentData() == "ren"
    assert rehearsal.actor_box.currentText() == "Ren (guest)"
    listed = [rehearsal.cue_list.item(i).text() for i in range(rehearsal.cue_list.count())]
    assert len(listed) == len(ren_cues())
    assert "Push off H6 toward Mika (host) at 0.25 m/s" in listed[1]
    assert rehearsal.windowTitle().startswith("Rehearsal")


def test_next_cue_button_steps_through_all_his_cues_in_order(qtbot, rehearsal):
    visited = []
    for _cue_id, time in ren_cues():
        qtbot.mouseClick(rehearsal.next_button, Qt.MouseButton.LeftButton)
        cue = rehearsal.rehearsal.cues[rehearsal.current]
        visited.append(cue.cue_id)
        assert rehearsal.time == pytest.approx(time)
        assert shown_countdown(rehearsal) == "NOW"
        assert rehearsal.prompt.property("now") is True
        assert rehearsal.prompt.action.text() == cue.action
        assert rehearsal.cue_list.currentRow() == cue.number - 1
    assert visited == [cue_id for cue_id, _ in ren_cues()]
    qtbot.mouseClick(rehearsal.next_button, Qt.MouseButton.LeftButton)  # no more: stays
    assert rehearsal.time == pytest.approx(ren_cues()[-1][1])
    qtbot.mouseClick(rehearsal.previous_button, Qt.MouseButton.LeftButton)
    assert rehearsal.time == pytest.approx(ren_cues()[-2][1])


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9])
def test_countdown_on_screen_matches_the_cue_times(rehearsal, fraction):
    previous = None
    for number, (cue_id, time) in enumerate(ren_cues()):
        # Between the end of the previous cue's NOW (half a second) and this cue.
        start = 0.0 if previous is None else min(previous + 0.5, time)
        t = start + fraction * (time - start)
        rehearsal.seek(t)
        assert rehearsal.cue_list.currentRow() == number, cue_id
        assert rehearsal.prompt.action.text() == rehearsal.rehearsal.cues[number].action
        shown = shown_countdown(rehearsal)
        assert shown.startswith("in ") and shown.endswith(" s"), shown
        seconds = float(shown.removeprefix("in ").removesuffix(" s"))
        assert time - t - 1e-6 <= seconds < time - t + 0.1, (cue_id, t, shown)
        assert rehearsal.prompt.property("now") is False
        previous = time


def test_pause_at_each_cue_stops_playback_at_the_cue(qtbot, rehearsal):
    _cue_id, time = ren_cues()[-1]  # the catch
    assert rehearsal.pause_box.isChecked()
    position = len(ren_cues()) - 1
    rehearsal.cue_list.setCurrentRow(position)
    item = rehearsal.cue_list.item(position)
    rect = rehearsal.cue_list.visualItemRect(item)
    qtbot.mouseClick(rehearsal.cue_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert rehearsal.playing
    assert rehearsal.time == pytest.approx(time - 2.0, abs=0.2)  # run-up from 2 s before
    with qtbot.waitSignal(rehearsal.paused_at_cue, timeout=30_000) as paused:
        pass
    assert paused.args == [position]
    assert not rehearsal.playing
    assert rehearsal.time == time  # exactly, not the frame after
    assert shown_countdown(rehearsal) == "NOW"


def test_without_pause_at_cue_playback_runs_past_the_cue(qtbot, rehearsal):
    rehearsal.pause_box.setChecked(False)
    _, time = ren_cues()[-1]
    rehearsal.seek(time - 0.3)
    rehearsal.play()
    qtbot.waitUntil(lambda: rehearsal.time > time + 0.05, timeout=30_000)
    rehearsal.pause()


def test_first_person_view_at_a_cue_shows_the_cabin_and_the_path_ahead(
    qtbot, rehearsal, test_output
):
    rehearsal.set_view_mode("first_person")
    push_time = dict(ren_cues())["ren-push"]
    rehearsal.seek(push_time)
    qtbot.wait(200)
    viewport = rehearsal.viewport
    eye, forward, _ = rehearsal.rehearsal.first_person(push_time)
    from see1previs.gui.viewport import navigation

    assert navigation.eye_position(viewport.view) == pytest.approx(eye, abs=1e-6)
    assert navigation.view_direction(viewport.view) == pytest.approx(forward, abs=1e-6)
    image = pixels(viewport.render_image())
    assert image.std() > 12, "the first-person view is blank"
    assert len(np.unique(image.reshape(-1, 3)[::7], axis=0)) > 50
    # The ghost line: the path ahead, from the hips at the playhead to three seconds later.
    path = rehearsal._ghost.pos
    assert path[0] == pytest.approx(rehearsal.rehearsal.hips(push_time))
    assert path[-1] == pytest.approx(rehearsal.rehearsal.hips(push_time + 3.0))

    rehearsal.set_view_mode("follow_cam")
    qtbot.wait(200)
    follow = pixels(viewport.render_image())
    assert follow.std() > 12
    # From behind and above, Ren's neck is in the middle of the picture.
    neck, _ = rehearsal.result.trajectory.link_pose("ren/head", push_time)
    x, y = viewport.project(neck)
    assert abs(x - viewport.view.width() / 2) < 2 and abs(y - viewport.view.height() / 2) < 2

    # The ghost line is drawn: light blue pixels where the path two seconds ahead projects.
    ahead = rehearsal.rehearsal.hips(push_time + 2.0)
    gx, gy = viewport.project(ahead)
    scale = follow.shape[1] / viewport.view.width()  # framebuffer pixels per widget pixel
    x0, y0 = round(gx * scale), round(gy * scale)
    patch = follow[y0 - 4 : y0 + 5, x0 - 4 : x0 + 5].astype(int)
    ghostly = (patch[..., 2] > 190) & (patch[..., 1] - patch[..., 0] > 30)
    assert ghostly.any(), patch.reshape(-1, 3)[::9]
    follow_shot = rehearsal.grab().toImage()
    assert follow_shot.save(str(test_output / "rehearsal-follow-cam.png"))

    rehearsal.set_view_mode("first_person")
    rehearsal.seek(push_time - 0.3)
    qtbot.wait(300)
    image = rehearsal.grab().toImage()
    assert image.save(str(test_output / "rehearsal.png"))
    rgb = pixels(image)
    assert rgb.std() > 12
    side = rgb[:, viewport.width() + 5 :]
    assert np.median(side.mean(axis=2)) < 60  # the dark theme round the picture


def test_choosing_mika_lists_her_cues(rehearsal, baked):
    _scene, _ = baked
    rehearsal.actor_box.setCurrentIndex(rehearsal.actor_box.findData("mika"))
    assert rehearsal.rehearsal.actor_id == "mika"
    mika = [c for c in json.loads(DEMO.read_text())["cues"] if c.get("actor") == "mika"]
    assert rehearsal.cue_list.count() == len(mika)
    assert rehearsal.time == 0.0


@pytest.mark.filterwarnings("ignore:Function.*setActiveWindow:DeprecationWarning")
def test_keys_step_and_play(qtbot, rehearsal):
    from PySide6.QtWidgets import QApplication

    # Xvfb runs no window manager to activate windows: make it the active window directly.
    QApplication.setActiveWindow(rehearsal)
    qtbot.waitUntil(rehearsal.isActiveWindow)
    target = rehearsal.viewport.view  # keys reach the window's shortcuts from the picture
    target.setFocus()
    qtbot.keyClick(target, Qt.Key.Key_PageDown)
    assert rehearsal.time == pytest.approx(ren_cues()[0][1])
    qtbot.keyClick(target, Qt.Key.Key_BracketRight)
    assert rehearsal.time == pytest.approx(ren_cues()[1][1])
    qtbot.keyClick(target, Qt.Key.Key_PageUp)
    assert rehearsal.time == pytest.approx(ren_cues()[0][1])
    qtbot.keyClick(target, Qt.Key.Key_Home)
    assert rehearsal.time == 0.0
    qtbot.keyClick(target, Qt.Key.Key_Space)
    assert rehearsal.playing
    qtbot.keyClick(target, Qt.Key.Key_Space)
    assert not rehearsal.playing
    qtbot.keyClick(target, Qt.Key.Key_P)
    assert not rehearsal.pause_box.isChecked()
    qtbot.keyClick(target, Qt.Key.Key_V)
    assert rehearsal.view_mode == "follow_cam"


def test_rehearse_action_opens_on_the_selected_actor(qtbot, make_window, test_output):
    window = make_window(DEMO)
    window.session.select(["ren"])
    window.rehearse_action.trigger()
    rehearsal = window.rehearsal_window
    qtbot.waitExposed(rehearsal)
    assert rehearsal.rehearsal.actor_id == "ren"
    assert rehearsal.isWindow()
    rehearsal.close()
    assert not window.rehearse_action.icon().isNull()
    toolbar = window.findChild(QToolBar, "main-toolbar")
    assert window.rehearse_action in toolbar.actions()
    assert toolbar.grab().save(str(test_output / "rehearsal-toolbar.png"))
    menus = {a.text(): a.menu() for a in window.menuBar().actions() if a.menu() is not None}
    assert window.rehearse_action in menus["&Scene"].actions()
    file_actions = menus["&File"].actions()
    assert file_actions.index(window.cue_sheet_action) == (
        file_actions.index(window.export_action) + 1
    )


def test_rehearse_action_waits_for_the_bake(qtbot, make_window):
    window = make_window(DEMO, wait_for_bake=False)
    errors = []
    window.report_error = lambda title, message: errors.append((title, message))
    if window.session.bake_is_current:
        pytest.skip("the bake came from the cache before the action could be tried")
    window.rehearse_action.trigger()
    assert errors and errors[0][0] == "Nothing to rehearse yet"
    assert getattr(window, "rehearsal_window", None) is None
    wait_for_bake_of(qtbot, window)


def test_cue_sheet_action_writes_a_pdf_with_one_row_per_cue(qtbot, make_window, tmp_path):
    window = make_window(DEMO)
    wait_for_bake_of(qtbot, window)
    out = tmp_path / "sheets" / "ren.pdf"
    printer = window.cue_sheets
    printer.ask_actor = lambda scene: "ren"
    printer.ask_path = lambda scene, actor_id: str(out)
    with qtbot.waitSignal(printer.written, timeout=60_000) as written:
        window.cue_sheet_action.trigger()
    assert written.args[0] == out
    text = "\n".join(page.extract_text() for page in PdfReader(str(out)).pages)
    assert "Ren (guest)" in text
    rate = window.session.scene.frame_rate
    positions = []
    for cue_id, time in ren_cues():
        assert text.count(cue_id) == 1, cue_id
        assert rate.timecode(rate.frame_at(time)) in text
        positions.append(text.index(cue_id))
    assert positions == sorted(positions)
    assert "mika-throw" not in text
    assert window.status_label.text().startswith("Cue sheet written to")


def test_cli_knows_rehearse():
    from see1previs.cli import build_parser

    args = build_parser().parse_args(["rehearse", str(DEMO), "--actor", "ren"])
    assert args.command == "rehearse" and args.actor == "ren"
    assert Path(args.scene) == DEMO


def test_a_missed_catch_shows_an_impossible_badge_and_is_red_in_the_list(qtbot, test_output):
    from see1previs.core.scene import Scene
    from see1previs.gui.rehearsal.window import BADGE_COLORS, RehearsalWindow

    raw = json.loads(DEMO.read_text())
    for cue in raw["cues"]:
        if cue["id"] == "ren-catch":
            cue["time"] = 7.0  # the bulb is long gone by then
    scene = Scene.model_validate(raw)
    result = simulate(scene, DEMO.parent)
    window = RehearsalWindow(scene, result, "ren", DEMO.parent)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    for _ in ren_cues():
        window.next()
    assert window.rehearsal.cues[window.current].cue_id == "ren-catch"
    assert window.prompt.badge.isVisible()
    assert window.prompt.badge.text() == "IMPOSSIBLE"
    assert "missed" in window.prompt.badge.toolTip()
    item = window.cue_list.item(window.current)
    assert item.foreground().color().name() == BADGE_COLORS["impossible"]
    assert "missed" in window.warning_label.text()
    window.set_view_mode("follow_cam")
    qtbot.wait(200)
    assert window.grab().toImage().save(str(test_output / "rehearsal-impossible.png"))
    window.previous()  # an ok cue: no badge
    assert not window.prompt.badge.isVisible()


def test_cli_refuses_an_unknown_actor_before_baking(capsys):
    from see1previs.cli import main

    assert main(["rehearse", str(DEMO), "--actor", "renn"]) == 1
    err = capsys.readouterr().err
    assert "no actor 'renn'" in err and "did you mean 'ren'" in err


@pytest.fixture
def rehearsed(monkeypatch):
    calls = []
    import see1previs.gui.rehearsal.app as rehearsal_app

    monkeypatch.setattr(
        rehearsal_app,
        "main",
        lambda scene, result, actor, folder: calls.append((result, actor)) or 0,
    )
    return calls


def test_cli_rehearse_bakes_then_opens_the_window_for_the_actor(rehearsed, monkeypatch):
    from see1previs.cli import main

    monkeypatch.setenv("DISPLAY", ":99")
    assert main(["rehearse", str(DEMO), "--actor", "ren"]) == 0
    assert main(["rehearse", str(DEMO)]) == 0
    (result, actor), (_, first) = rehearsed
    assert actor == "ren" and first == "mika"  # the scene's first actor
    assert result.trajectory.duration == pytest.approx(8.0)
    assert "ren/head" in result.trajectory.links


def test_cli_rehearse_without_a_display_says_so(rehearsed, monkeypatch, capsys):
    import sys

    from see1previs.cli import main

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert main(["rehearse", str(DEMO)]) == 1
    assert "no display" in capsys.readouterr().err and rehearsed == []
