"""Viewport frame rate while playing a demo scene at 1280x720, on whatever OpenGL is present.

Each frame advances the playhead by one scene frame (``set_time``) and repaints the 3D view
synchronously, so the figure includes posing every item, drawing, and handing the frame to
the window system. Without a display the script starts a virtual one (Xvfb), where Mesa's
llvmpipe draws in software. Views: the overview from outside (the whole cabin cut away) and
the hatch view from inside (walls fill the frame); each with nothing selected and with an
actor selected (outline and onion skins).

Run: ``python benchmarks/bench_viewport.py [scene ...] [--seconds S]``. Target: >= 30 fps.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

SCENES = Path(__file__).resolve().parent.parent / "scenes"
DEFAULT = ["zero-g-breakfast", "first-light", "first-light:humanoid", "stress-100"]
TARGET_FPS = 30.0
BURSTS = 5
WIDTH, HEIGHT = 1280, 720


def play(app, widget, step: float, duration: float, seconds: float) -> tuple[float, float, float]:
    """(frames per second, ms posing per frame, CPU ms per frame) of playing for ``seconds``.

    CPU time is this process's, all threads (the software rasteriser's included): unlike the
    frame rate it hardly depends on what else the machine is doing.
    """
    frames, t, pose_time = 0, 0.0, 0.0
    cpu_started = time.process_time()
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        before = time.perf_counter()
        widget.set_time(t)
        pose_time += time.perf_counter() - before
        widget.view.repaint()
        app.processEvents()
        frames += 1
        t = (t + step) % max(duration, step)
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    return frames / wall, 1000.0 * pose_time / frames, 1000.0 * cpu / frames


def measure(app, scene_name: str, seconds: float) -> list[dict]:
    from see1previs.core.scenefile import load_scene
    from see1previs.gui.viewport import SceneViewport
    from see1previs.physics.simulation import simulate

    name, _, variant = scene_name.partition(":")
    path = SCENES / f"{name}.see1.json"
    scene = load_scene(path)
    if variant == "humanoid":  # the demo's actors as articulated figures
        actors = [a.model_copy(update={"body": "humanoid"}) for a in scene.actors]
        scene = scene.model_copy(update={"actors": actors})
    result = simulate(scene, path.parent)
    widget = SceneViewport()
    widget.resize(WIDTH, HEIGHT)
    widget.show()
    widget.show_scene(scene, result.world, result.trajectory)
    app.processEvents()
    step = 1.0 / float(result.trajectory.frame_rate)
    duration = result.trajectory.duration
    first_actor = scene.actors[0].id if scene.actors else scene.bodies()[0].id
    rows = []
    for view in ("perspective", "hatch"):
        for selection in ([], [first_actor]):
            widget.set_view(view)
            widget.set_selection(selection)
            widget.view.repaint()  # warm up: shaders, buffers
            # Other work on the machine steals time: play in bursts, keep the best and median.
            bursts = [play(app, widget, step, duration, seconds / BURSTS) for _ in range(BURSTS)]
            fps = sorted(b[0] for b in bursts)
            rows.append(
                {
                    "scene": scene_name,
                    "view": view,
                    "selected": ",".join(selection) or "-",
                    "best": fps[-1],
                    "median": fps[len(fps) // 2],
                    "pose_ms": min(b[1] for b in bursts),
                    "cpu_ms": min(b[2] for b in bursts),
                    "items": len(widget.view.items),
                }
            )
    widget.close()
    widget.deleteLater()
    app.processEvents()
    return rows


def renderer_name() -> str:
    from OpenGL import GL

    from see1previs.gui.viewport import SceneViewport

    probe = SceneViewport()
    probe.render_image()  # creates the OpenGL context
    probe.view.makeCurrent()
    return (GL.glGetString(GL.GL_RENDERER) or b"unknown").decode()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "scenes",
        nargs="*",
        help="demo scene names, NAME:humanoid for its actors articulated (default: all present)",
    )
    parser.add_argument("--seconds", type=float, default=5.0, help="playback per case")
    args = parser.parse_args(argv)
    names = args.scenes or [
        n for n in DEFAULT if (SCENES / f"{n.partition(':')[0]}.see1.json").exists()
    ]

    display = None
    if not os.environ.get("DISPLAY") and sys.platform.startswith("linux"):
        from pyvirtualdisplay import Display

        display = Display(visible=False, size=(1920, 1080), color_depth=24)
        display.start()
    try:
        from PySide6.QtWidgets import QApplication

        # First the package (MuJoCo's EGL renderer), then the viewport (the OpenGL settings
        # the QApplication must be made with), before anything loads OpenGL.
        import see1previs.gui.viewport  # noqa: F401

        app = QApplication.instance() or QApplication([])
        rows = []
        for name in names:
            rows += measure(app, name, args.seconds)
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"viewport at {WIDTH}x{HEIGHT}, OpenGL renderer: {renderer_name()}")
        print(f"{os.cpu_count()} CPUs, load average {load:.1f} while measuring")
        print(
            f"{'scene':22} {'view':12} {'selected':10} {'items':>5} {'best fps':>9} "
            f"{'median fps':>11} {'pose ms':>8} {'CPU ms/frame':>13}"
        )
        for r in rows:
            flag = "" if r["best"] >= TARGET_FPS else "  below target"
            print(
                f"{r['scene']:22} {r['view']:12} {r['selected']:10} {r['items']:5d} "
                f"{r['best']:9.1f} {r['median']:11.1f} {r['pose_ms']:8.2f} "
                f"{r['cpu_ms']:13.1f}{flag}"
            )
        print(f"target: >= {TARGET_FPS:.0f} fps")
    finally:
        if display is not None:
            display.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
