"""Re-bake after a cue edit in the breakfast demo: how long the director waits.

For each edit (a late cue, a middle cue, an early cue of the 8 s breakfast demo) this prints
the time from the edit to the first new frame and to the complete bake, re-baking from the
previous bake's checkpoints the way the desktop app does (``simulate(previous=...)``, frames
streamed as they are baked), next to a full bake of the same edited scene. Every re-bake is
checked bit-identical to the full bake, and every streamed frame equal to the finished one.
Goals: first frame ≤ 0.3 s, complete ≤ 2 s.

``--app`` measures the same edits in the desktop app (needs a display, e.g. ``xvfb-run``):
from the edit to the viewport drawing the first new frame, and to the finished bake, with
the window's own gathering delay, worker thread and signals.

Run: ``python benchmarks/bench_rebake.py [--app] [--repeats N]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np

from see1previs.core.scenefile import parse_scene
from see1previs.physics.simulation import simulate

DEMO = Path(__file__).resolve().parent.parent / "scenes" / "zero-g-breakfast.see1.json"
EDITS = [  # (cue id, field, new value, what a director did)
    ("mika-arms", "time", 5.8, "moves the last pose cue 0.3 s later"),
    ("mika-throw", "speed", None, "throws 5 % harder"),
    ("ren-push", "speed", None, "pushes off 5 % harder"),
]
HEADER = f"{'edit':<38} {'cue at':>7} {'resumed':>8} {'first frame':>12} {'complete':>9}"


def edited(data: dict, cue_id: str, field: str, value) -> dict:
    out = json.loads(json.dumps(data))
    cue = next(c for c in out["cues"] if c["id"] == cue_id)
    cue[field] = value if value is not None else round(cue[field] * 1.05, 6)
    return out


def same_frames(streamed, final) -> bool:
    """A streamed batch shows exactly the finished bake's first frames."""
    n = streamed.frame_count
    pairs = [(streamed.positions, final.positions), (streamed.orientations, final.orientations)]
    if final.link_positions is not None:
        pairs.append((streamed.link_positions, final.link_positions))
    return all(np.array_equal(a, b[:n]) for a, b in pairs)


def headless(data: dict, repeats: int) -> None:
    scene = parse_scene(json.dumps(data))
    started = time.perf_counter()
    first = simulate(scene, DEMO.parent)
    print(f"breakfast demo, {scene.duration:g} s: full bake {time.perf_counter() - started:.2f} s")
    print("re-bake from checkpoints, streamed (median of", repeats, "runs):")
    print(HEADER + f" {'full':>6}")
    print("-" * (len(HEADER) + 7))
    for cue_id, field, value, words in EDITS:
        after = parse_scene(json.dumps(edited(data, cue_id, field, value)))
        cue_time = next(c.time for c in scene.cues if c.id == cue_id)
        firsts, completes, problems = [], [], []
        for _ in range(repeats):
            batches = []
            started = time.perf_counter()
            resumed = simulate(
                after,
                DEMO.parent,
                previous=first,
                on_frames=lambda frames, s=started, b=batches: b.append(
                    (time.perf_counter() - s, frames)
                ),
            )
            completes.append(time.perf_counter() - started)
            firsts.append(batches[0][0] if batches else completes[-1])
            if not all(same_frames(frames, resumed.trajectory) for _, frames in batches):
                problems.append("streamed frames differ")
        started = time.perf_counter()
        full = simulate(after, DEMO.parent)
        full_bake = time.perf_counter() - started
        if resumed.trajectory.content_hash() != full.trajectory.content_hash():
            problems.append("NOT bit-identical")
        since = resumed.resumed_from if resumed.resumed_from is not None else 0.0
        print(
            f"{words:<38} {cue_time:6.2f}s {since:7.2f}s {statistics.median(firsts):11.3f}s "
            f"{statistics.median(completes):8.2f}s {full_bake:5.2f}s  " + ", ".join(problems)
        )


def in_app(data: dict, repeats: int) -> None:
    from PySide6.QtWidgets import QApplication

    from see1previs.gui.main_window import MainWindow
    from see1previs.session.session import Session

    app = QApplication.instance() or QApplication([])
    window = MainWindow(Session())
    window.ask_to_save = lambda: "discard"
    window.open_file(DEMO, confirm=False)
    window.show()
    session = window.session

    def wait(condition, limit_s: float = 120.0) -> None:
        end = time.perf_counter() + limit_s
        while not condition():
            app.processEvents()
            time.sleep(0.001)
            if time.perf_counter() > end:
                raise TimeoutError("the app did not finish in time")

    def baked() -> bool:
        return session.bake_is_current and not window.bake_worker.busy

    def idle() -> bool:  # the blocking check and the camera monitor done too
        return baked() and not window.check_worker.busy and window.monitor.up_to_date

    wait(idle)
    print("in the app (edit → viewport shows the first new frame → bake installed):")
    print(HEADER)
    print("-" * len(HEADER))
    original = session.scene
    for cue_id, field, value, words in EDITS:
        after = parse_scene(json.dumps(edited(data, cue_id, field, value)))
        firsts, completes, resumed = [], [], 0.0
        for _ in range(repeats):
            session.edit("restore", original)
            wait(idle)
            marks: dict[str, float] = {}
            # Listens after the window's own listener: the viewport has drawn the frames.
            listener = session.bake_streamed.connect(
                lambda frames, m=marks: m.setdefault("first", time.perf_counter())
            )
            started = time.perf_counter()
            session.edit(words, after)
            wait(baked)
            done = time.perf_counter()
            session.bake_streamed.disconnect(listener)
            wait(idle)
            firsts.append(marks.get("first", done) - started)
            completes.append(done - started)
            resumed = session.bake.resumed_from or 0.0
        cue_time = next(c.time for c in original.cues if c.id == cue_id)
        print(
            f"{words:<38} {cue_time:6.2f}s {resumed:7.2f}s {statistics.median(firsts):11.3f}s "
            f"{statistics.median(completes):8.2f}s"
        )
    window.shutdown()
    window.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", action="store_true", help="measure in the desktop app too")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    headless(data, args.repeats)
    if args.app:
        in_app(data, args.repeats)


if __name__ == "__main__":
    main()
