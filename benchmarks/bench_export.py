"""Camera-plan export speed: a 10-shot version of the demo scene, every format.

Prints the shared work (bake from cache, camera tracks, shot analysis) and the time each
format adds, then the total for all formats with storyboards. Target: <= 10 s in total on a
2-core machine. Run: ``python benchmarks/bench_export.py``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from see1previs.core.scene import Scene
from see1previs.core.scenefile import load_scene
from see1previs.export.formats import FORMATS
from see1previs.physics.cache import BakeCache
from see1previs.physics.simulation import simulate
from see1previs.session.export_job import export_scene

SCENES = Path(__file__).resolve().parent.parent / "scenes"


def ten_shot_scene() -> Scene:
    scene = load_scene(SCENES / "first-light.see1.json")
    data = scene.model_dump(mode="json")
    cameras = [c["id"] for c in data["cameras"]]
    data["shots"] = [
        {
            "id": f"{n + 1:02d}",
            "name": f"{n + 1}{'ABC'[n % 3]}",
            "camera": cameras[n % len(cameras)],
            "start": 2.0 * n,
            "end": 2.0 * n + 2.0,
            "order": n + 1,
        }
        for n in range(10)
    ]
    return Scene.model_validate(data)


def timed(scene: Scene, cache: BakeCache, formats: list[str]) -> float:
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        export_scene(scene, SCENES, Path(folder) / "plan", formats=formats, cache=cache)
        return time.perf_counter() - started


def main() -> int:
    scene = ten_shot_scene()
    cache = BakeCache(Path(tempfile.mkdtemp()) / "cache")
    started = time.perf_counter()
    simulate(scene, SCENES, cache=cache)
    print(f"bake (once, then cached): {time.perf_counter() - started:.2f} s")
    shared = timed(scene, cache, ["shotlist"])
    print(f"shared work + shot list CSV (tracks, analysis): {shared:.2f} s")
    for fmt in FORMATS:
        if fmt == "shotlist":
            continue
        extra = timed(scene, cache, ["shotlist", fmt]) - shared
        print(f"  + {fmt:<12} {max(extra, 0.0):6.2f} s")
        sys.stdout.flush()
    total = timed(scene, cache, list(FORMATS))
    verdict = "ok" if total <= 10.0 else "MISSED"
    print(f"all formats, 10 shots, storyboards included: {total:.2f} s (target <= 10 s: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
