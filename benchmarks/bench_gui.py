"""Desktop app figures: launch to an interactive window, and the longest UI stall while baking.

- **launch**: wall time from starting a fresh ``python`` process to the first event the
  window's event loop handles after it is shown with the scene open (target <= 3 s). Each
  run is a new process, so imports are counted.
- **stall**: a 10 ms ``QTimer`` heartbeat runs in the UI thread while the window bakes a
  scene from scratch (empty bake cache); the longest gap between two beats, minus the
  interval, is the longest the UI could not repaint (target <= 100 ms on ``stress-100``).

Run under a display (``xvfb-run -a python benchmarks/bench_gui.py``). Figures vary with
machine load; run on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCENES = REPO / "scenes"
HEARTBEAT_MS = 10
TARGETS = {"launch_s": 3.0, "stall_ms": 100.0}

LAUNCH_CHILD = r"""
import sys, time
from PySide6.QtCore import QTimer
from see1previs.gui.app import application, create_window
app = application()
window = create_window(sys.argv[1])
def ready():
    print("interactive", time.time(), flush=True)
    window.shutdown()
    app.quit()
QTimer.singleShot(0, ready)
app.exec()
"""


def launch_times(scene: Path, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as state:
            env = {**os.environ, "SEE1_STATE_DIR": state, "XDG_CONFIG_HOME": state}
            started = time.time()
            result = subprocess.run(
                [sys.executable, "-c", LAUNCH_CHILD, str(scene)],
                capture_output=True,
                text=True,
                env=env,
                timeout=120,
            )
            line = next(
                (x for x in result.stdout.splitlines() if x.startswith("interactive")), None
            )
            if line is None:
                raise SystemExit(f"the app did not start:\n{result.stderr}")
            times.append(float(line.split()[1]) - started)
    return times


def bake_stall(scene: Path) -> dict:
    """Open ``scene`` with an empty cache and watch the UI thread while it bakes."""
    from PySide6.QtCore import QElapsedTimer, QTimer

    from see1previs.gui.app import application
    from see1previs.gui.main_window import MainWindow
    from see1previs.physics.cache import BakeCache
    from see1previs.session.session import Session

    app = application()
    with tempfile.TemporaryDirectory() as folder:
        session = Session(cache=BakeCache(Path(folder) / "cache"))
        window = MainWindow(session, recovery_folder=Path(folder) / "recovery")
        window.show()
        clock = QElapsedTimer()
        gaps: list[float] = []
        last = [0.0]
        beats = [0]

        def beat() -> None:
            now = clock.nsecsElapsed() / 1e6
            if window.bake_worker.busy:
                gaps.append(now - last[0])
            last[0] = now
            beats[0] += 1

        heartbeat = QTimer()
        heartbeat.setTimerType(heartbeat.timerType().PreciseTimer)
        heartbeat.timeout.connect(beat)
        started = time.perf_counter()
        window.open_file(scene, confirm=False)
        clock.start()
        heartbeat.start(HEARTBEAT_MS)
        while not (session.bake_is_current and not window.bake_worker.busy):
            app.processEvents()
            time.sleep(0.001)
        baked = time.perf_counter() - started
        # Keep beating while the camera monitor and the blocking check catch up.
        end = time.perf_counter() + 1.0
        while time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.001)
        heartbeat.stop()
        window.shutdown()
        window.close()
    stalls = [g - HEARTBEAT_MS for g in gaps] or [0.0]
    return {
        "scene": scene.name,
        "bake_s": round(baked, 2),
        "beats_while_baking": len(gaps),
        "longest_stall_ms": round(max(stalls), 1),
        "p99_stall_ms": round(sorted(stalls)[int(0.99 * (len(stalls) - 1))], 1),
        "median_gap_ms": round(statistics.median(gaps), 1) if gaps else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="launches to time")
    parser.add_argument("--json", action="store_true", help="print figures as JSON")
    parser.add_argument(
        "--scenes", nargs="*", default=["first-light", "stress-100"], help="scenes to bake"
    )
    args = parser.parse_args()
    demo = SCENES / "first-light.see1.json"
    launches = launch_times(demo, args.runs)
    stalls = [bake_stall(SCENES / f"{name}.see1.json") for name in args.scenes]
    figures = {
        "launch_s": {
            "best": round(min(launches), 2),
            "median": round(statistics.median(launches), 2),
        },
        "bakes": stalls,
        "targets": TARGETS,
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(
        f"launch to interactive window ({demo.name}, {args.runs} runs): "
        f"best {min(launches):.2f} s, median {statistics.median(launches):.2f} s "
        f"(target <= {TARGETS['launch_s']:g} s)"
    )
    for figure in stalls:
        print(
            f"bake {figure['scene']}: {figure['bake_s']:.1f} s in the background; longest UI "
            f"stall {figure['longest_stall_ms']:.0f} ms, p99 {figure['p99_stall_ms']:.0f} ms "
            f"over {figure['beats_while_baking']} beats (target <= {TARGETS['stall_ms']:g} ms)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
