"""Regenerate the desktop app's screenshots: ``docs/images/main-window.png`` and the user
guide's blocking pictures (``cue-palette.png``, ``cue-inspector.png``, ``cue-arrow.png``,
``cue-ghost.png``, ``cue-pick.png``, ``cue-timeline.png``, ``aim-dialog.png``,
``aim-path.png``, ``aim-result.png``, ``rebake-streaming.png``).

Opens a demo scene with cameras in the real main window, selects the lead actor, puts the playhead
mid-scene on the A camera, waits for the bake and the camera monitor, and saves the window.
With ``--blocking`` it then opens the Cue menu, selects a push-off cue for the inspector and
saves the timeline with its cue diamonds. Needs a display; on a headless machine run it under
Xvfb:

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python docs/gen_screenshots.py --blocking
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

DOCS = Path(__file__).resolve().parent
REPO = DOCS.parent
SCENES = REPO / "scenes"
DEMOS = ("zero-g-breakfast.see1.json", "first-light.see1.json")
SIZE = (1480, 920)


def wait(app, condition, timeout_s: float = 300.0) -> None:
    end = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > end:
            raise SystemExit("timed out waiting for the app")
        app.processEvents()
        time.sleep(0.01)


def filmed(path: Path) -> bool:
    """A demo scene worth showing: it exists and has cameras for the camera monitor."""
    return path.exists() and bool(json.loads(path.read_text(encoding="utf-8")).get("cameras"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DOCS / "images" / "main-window.png")
    parser.add_argument("--scene", type=Path, help="scene to show (default: the demo scene)")
    parser.add_argument(
        "--blocking", action="store_true", help="also the user guide's cue palette pictures"
    )
    parser.add_argument("--no-main", action="store_true", help="leave main-window.png as it is")
    args = parser.parse_args()
    scene = args.scene or next(path for path in map(SCENES.joinpath, DEMOS) if filmed(path))

    from PySide6.QtCore import QSettings

    from see1previs.gui.app import application
    from see1previs.gui.main_window import MainWindow

    with tempfile.TemporaryDirectory() as state:
        # A fresh layout and no recent files: the screenshot shows the default window.
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, state)
        app = application()
        window = MainWindow(recovery_folder=Path(state) / "recovery")
        window.resize(*SIZE)
        window.open_file(scene, confirm=False)
        window.show()
        session = window.session
        wait(app, lambda: session.bake_is_current and not window.bake_worker.busy)
        actor = next(iter(session.scene.actors), None)
        if actor is not None:
            session.select([actor.id])
        if session.scene.cameras:
            window.monitor.show_camera(session.scene.cameras[0].id)
        session.set_time(round(session.scene.duration * 0.33, 1))
        wait(app, lambda: not window.check_worker.busy)
        if session.scene.cameras:
            wait(app, lambda: window.monitor.frame is not None and window.monitor.up_to_date)
        end = time.monotonic() + 1.0
        while time.monotonic() < end:  # let every dock repaint once more
            app.processEvents()
            time.sleep(0.01)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        if not args.no_main and not window.grab().save(str(args.out)):
            raise SystemExit(f"could not write {args.out}")
        if args.blocking:
            stream_screenshot(app, window, args.out.parent / "rebake-streaming.png")
            blocking_screenshots(app, window, args.out.parent)
            aim_screenshot(app, window, args.out.parent / "aim-dialog.png")
        window.shutdown()
    if not args.no_main:
        print(f"wrote {args.out} ({scene.name})")
    return 0


def aim_screenshot(app, window, path: Path) -> None:
    """The Aim dialog on the scene's first push-off, solved to reach the other actor, and its
    path in the viewport before Apply (``aim-path.png``); then, applied and re-baked, the
    viewport at the moment of arrival (``aim-result.png``)."""
    import numpy as np
    from PySide6.QtCore import QPoint, QRect

    from see1previs.gui.aim_dialog import aim_cue

    scene = window.session.scene
    push = next((cue for cue in scene.cues if cue.type == "push_off"), None)
    other = next((a.id for a in scene.actors if push is not None and a.id != push.actor), None)
    if other is None:
        return
    dialog = aim_cue(window, push.id)
    dialog.target.setCurrentIndex(dialog.target.findData(other))
    dialog.at_time.setChecked(True)
    dialog.time.setValue(min(7.5, scene.duration))
    dialog.solve()
    wait(app, lambda: dialog.solve_button.isEnabled())
    settle(app)
    save(dialog.grab(), path)
    # Before Apply the solved path is drawn in the viewport too, with the mark.
    window.viewport.set_view("top")
    settle(app, 1.0)
    save(window.viewport.grab(), path.with_name("aim-path.png"))
    dialog.apply()
    dialog.close()
    session = window.session
    wait(app, lambda: session.bake_is_current and not window.bake_worker.busy)
    session.select([push.id])
    session.set_time(dialog.result.arrival_time)
    wait(app, lambda: not window.check_worker.busy)
    # Side on to the line between the two, from inside the cabin: the gap between them shows.
    trajectory = session.bake.trajectory
    mover = trajectory.pose(push.actor, dialog.result.arrival_time)[0]
    target = trajectory.pose(other, dialog.result.arrival_time)[0]
    across = np.cross(target - mover, [0.0, 0.0, 1.0])
    forward = across / np.linalg.norm(across)
    window.viewport.look_from(0.5 * (mover + target) - 2.4 * forward, forward, 60.0)
    settle(app, 1.0)
    viewport = window.viewport
    corner = viewport.mapTo(window, QPoint(0, 0))
    save(window.grab(QRect(corner, viewport.size())), path.with_name("aim-result.png"))


def stream_screenshot(app, window, path: Path) -> None:
    """A re-bake streaming its frames: the first push-off made 30 % harder with the playhead
    late in the shot, the window caught at the third batch of new frames (caption, colour
    trails up to the last baked frame, the timeline's progress); then undone."""
    session = window.session
    session.set_time(round(session.scene.duration * 0.85, 1))
    session.select([])
    settle(app)
    push = next(c for c in session.scene.cues if c.type == "push_off")
    harder = push.model_copy(update={"speed": round(push.speed * 1.3, 3)})
    cues = [harder if c is push else c for c in session.scene.cues]
    batches = []

    def third_batch(frames) -> None:
        batches.append(frames.frame_count)
        if len(batches) == 3:
            app.processEvents()
            save(window.grab(), path)

    listener = session.bake_streamed.connect(third_batch)
    session.edit("Push off harder", session.scene.model_copy(update={"cues": cues}))
    wait(app, lambda: session.bake_is_current and not window.bake_worker.busy)
    session.bake_streamed.disconnect(listener)
    if len(batches) < 3:
        raise SystemExit(f"the re-bake handed over {len(batches)} batches; no picture")
    session.undo()
    wait(app, lambda: session.bake_is_current and not window.bake_worker.busy)
    wait(app, lambda: not window.check_worker.busy)


def settle(app, seconds: float = 0.5) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def save(image, path: Path) -> None:
    if not image.save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(f"wrote {path}")


def with_popup(window, popup):
    """The window's picture with a popup (a menu, a drop-down list) drawn where it shows."""
    from PySide6.QtGui import QPainter

    picture = window.grab()
    painter = QPainter(picture)
    painter.drawPixmap(
        window.mapFromGlobal(popup.mapToGlobal(popup.rect().topLeft())), popup.grab()
    )
    painter.end()
    return picture


def blocking_screenshots(app, window, folder: Path) -> None:
    """The Cue menu and toolbar, a push-off in the inspector, the timeline's cue diamonds."""
    from PySide6.QtCore import QRect

    session = window.session
    ids = [cue.id for cue in session.scene.cues]
    actor = next((a.id for a in session.scene.actors if a.id == "ren"), session.scene.actors[0].id)
    session.select([actor])
    session.set_time(1.0)
    settle(app)
    bar = window.menuBar()
    menu_action = window.cue_menu.menuAction()
    window.cue_menu.popup(bar.mapToGlobal(bar.actionGeometry(menu_action).bottomLeft()))
    settle(app)
    picture = with_popup(window, window.cue_menu)
    save(picture.copy(QRect(0, 0, 980, 560)), folder / "cue-palette.png")
    window.cue_menu.hide()
    push = next((i for i in ids if session.scene.cues[ids.index(i)].type == "push_off"), None)
    if push is not None:
        session.select([push])
        settle(app)
        dock = window.inspector_dock
        save(dock.grab(), folder / "cue-inspector.png")
    viewport = window.viewport
    tools = getattr(viewport, "cue_tools", None)
    if push is not None and tools is not None:
        session.select([push])
        viewport.set_view("top")
        wait(app, lambda: tools.arrow.aim is not None)
        settle(app)
        save(viewport.grab(), folder / "cue-arrow.png")
        ghost_screenshot(app, viewport, tools.arrow, folder / "cue-ghost.png")
        hold = next((c for c in session.scene.cues if c.type == "hold"), None)
        if hold is not None:
            session.select([hold.id])
            settle(app)
            index = session.scene.cues.index(hold)
            box = window.inspector.editors[("cues", index, "fixture")]
            box.parentWidget().pick_button.click()
            settle(app)
            save(viewport.grab(), folder / "cue-pick.png")
            tools.pick.stop()
    session.select([])
    session.set_time(0.0)
    settle(app)
    save(window.timeline_dock.grab(), folder / "cue-timeline.png")


def ghost_screenshot(app, viewport, arrow, path: Path) -> None:
    """The arrow's tip held mid-drag, turned toward the near wall, with the ghost path of
    that push; let go without editing the scene."""
    import numpy as np
    from PySide6.QtCore import QPointF

    tip, origin = np.array(arrow.tip_px()), np.array(viewport.project(arrow.origin))
    out = tip - origin
    # Toward the near wall, fast enough to reach it: the ghost shows the bounce.
    turned = origin - 2.0 * out + 4.0 * np.array([out[1], -out[0]])
    if not arrow.press(QPointF(*tip)):
        return
    for i in range(1, 7):
        arrow.move(QPointF(*(tip + (turned - tip) * i / 6)))
        settle(app, 0.05)
    ghost = arrow.ghost
    wait(
        app,
        lambda: (
            ghost.failure is not None or (ghost.points is not None and ghost._shown == ghost._asked)
        ),
    )
    settle(app)
    save(viewport.grab(), path)
    arrow.dragging = False  # let go without applying: the screenshot leaves the scene as it is
    ghost.end()
    arrow.refresh()


if __name__ == "__main__":
    sys.exit(main())
