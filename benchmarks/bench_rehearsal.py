"""Rehearsal window: frames per second while playing, and the cost of one prompt update.

Plays the zero-g breakfast demo in the rehearsal window (1280x780) for each performer and
view, one scene frame per step: each step moves the playhead (pose every body, move the eye
to the performer's head or the follow-cam, redraw the path ahead, update the cue prompt and
list) and repaints synchronously. Also times the Qt-free part alone (prompt text and eye
placement per playhead time) and building a performer's rehearsal (cue words from the cue
sheet module) and opening the window. Without a display it starts a virtual one (Xvfb,
Mesa's llvmpipe in software).

Run: ``python benchmarks/bench_rehearsal.py [--seconds S]``. Target: >= 24 fps (the demo's
frame rate), so real-time playback does not skip frames.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

SCENE = Path(__file__).resolve().parent.parent / "scenes" / "zero-g-breakfast.see1.json"
TARGET_FPS = 24.0
BURSTS = 3


def play(app, window, seconds: float) -> float:
    step = 1.0 / float(window.scene.frame_rate)
    duration = window.rehearsal.duration
    frames, t = 0, 0.0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        window.seek(t)
        window.viewport.view.repaint()
        app.processEvents()
        frames += 1
        t = (t + step) % duration
    return frames / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0, help="playback per case")
    args = parser.parse_args(argv)
    display = None
    if not os.environ.get("DISPLAY") and sys.platform.startswith("linux"):
        from pyvirtualdisplay import Display

        display = Display(visible=False, size=(1920, 1080), color_depth=24)
        display.start()
    try:
        from PySide6.QtWidgets import QApplication

        import see1previs.gui.viewport  # noqa: F401  (OpenGL settings before the QApplication)
        from see1previs.core.scenefile import load_scene
        from see1previs.gui.rehearsal.window import RehearsalWindow
        from see1previs.physics.blocking_report import blocking_report
        from see1previs.physics.simulation import simulate
        from see1previs.session.rehearsal import Rehearsal

        app = QApplication.instance() or QApplication([])
        scene = load_scene(SCENE)
        result = simulate(scene, SCENE.parent)
        started = time.perf_counter()
        report = blocking_report(scene, result.trajectory, result.station)
        report_ms = 1000 * (time.perf_counter() - started)
        print(f"scene {scene.title!r}: blocking report {report_ms:.0f} ms (once per window)")
        for actor in scene.actors:
            started = time.perf_counter()
            rehearsal = Rehearsal(scene, actor.id, result.trajectory, result.station, report)
            build_ms = 1000 * (time.perf_counter() - started)
            times = [i / 240 * rehearsal.duration for i in range(240)]
            started = time.perf_counter()
            for t in times:
                rehearsal.prompt(t)
                rehearsal.first_person(t)
                rehearsal.path_ahead(t)
            step_ms = 1000 * (time.perf_counter() - started) / len(times)
            print(
                f"  {actor.id}: rehearsal built in {build_ms:.1f} ms; prompt + eye + path "
                f"ahead {step_ms:.2f} ms per frame (no drawing)"
            )
        started = time.perf_counter()
        window = RehearsalWindow(scene, result)
        window.show()
        window.viewport.view.repaint()
        app.processEvents()
        print(f"opening the window: {time.perf_counter() - started:.2f} s to the first picture")
        print(f"{'performer':<10} {'view':<13} {'best fps':>9} {'median':>7}")
        worst = float("inf")
        for actor in scene.actors:
            window.set_actor(actor.id)
            for view in ("first_person", "follow_cam"):
                window.set_view_mode(view)
                window.viewport.view.repaint()
                fps = sorted(play(app, window, args.seconds / BURSTS) for _ in range(BURSTS))
                worst = min(worst, statistics.median(fps))
                print(f"{actor.id:<10} {view:<13} {fps[-1]:>9.1f} {fps[len(fps) // 2]:>7.1f}")
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"{os.cpu_count()} CPUs, load average {load:.1f} while measuring")
        verdict = "meets" if worst >= TARGET_FPS else "below"
        print(f"slowest median {worst:.1f} fps: {verdict} the {TARGET_FPS:.0f} fps target")
        window.close()
        window.deleteLater()
        app.processEvents()
    finally:
        if display is not None:
            display.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
