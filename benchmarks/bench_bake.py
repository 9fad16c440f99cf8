"""Bake throughput per demo scene: simulated seconds per wall second, and our bake as a ratio
of a raw ``mj_step`` loop on the same compiled model and on the model the scene compiled to
before contact forces in newtons (all wall tiles, MuJoCo's contact: ``legacy_model.py``).

Run: ``make bench`` (or ``python benchmarks/bench_bake.py [scene ...]``). Figures vary with
machine load; run on a quiet machine and compare ratios rather than absolute times.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import mujoco

from legacy_model import (  # benchmarks/ is on the path as a script
    legacy_model,
    raw_step_rate,
    start_like,
)
from see1previs.core.scenefile import load_scene
from see1previs.physics.bake import bake
from see1previs.physics.simulation import prepare_world

SCENES = Path(__file__).resolve().parent.parent / "scenes"
DEFAULT = ["first-light", "t-handle", "stress-100"]
TARGETS = {"first-light": 100.0, "stress-100": 10.0}


def measure(name: str) -> dict[str, float]:
    path = SCENES / f"{name}.see1.json"
    scene = load_scene(path)
    started = time.perf_counter()
    world = prepare_world(scene, path.parent)
    build = time.perf_counter() - started
    world.reset()
    raw = raw_step_rate(world.model, scene.duration, start_like(world))
    legacy = raw_step_rate(legacy_model(world), min(scene.duration, 10.0), start_like(world))
    started = time.perf_counter()
    trajectory = bake(scene, world=world)
    wall = time.perf_counter() - started
    ours = scene.duration / wall
    return {
        "build_s": build,
        "bake_s": wall,
        "realtime_x": ours,
        "raw_realtime_x": raw,
        "ratio": ours / raw,
        "legacy_x": legacy,
        "ratio_legacy": ours / legacy,
        "frames": trajectory.frame_count,
        "geoms": world.model.ngeom,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenes", nargs="*", default=DEFAULT)
    args = parser.parse_args(argv)
    print(f"mujoco {mujoco.__version__}; RK4, 2 ms step unless the scene says otherwise")
    header = (
        f"{'scene':<14} {'build s':>8} {'bake s':>8} {'x realtime':>11} "
        f"{'raw mj_step x':>14} {'ratio':>6} {'old model x':>12} {'vs old':>7} {'target':>8}"
    )
    print(header)
    print("-" * len(header))
    for name in args.scenes:
        r = measure(name)
        target = TARGETS.get(name)
        verdict = ""
        if target:
            verdict = f">= {target:g}x " + ("ok" if r["realtime_x"] >= target else "MISSED")
        print(
            f"{name:<14} {r['build_s']:8.2f} {r['bake_s']:8.2f} {r['realtime_x']:11.1f} "
            f"{r['raw_realtime_x']:14.1f} {r['ratio']:6.2f} {r['legacy_x']:12.1f} "
            f"{r['ratio_legacy']:7.2f} {verdict:>8}"
        )
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
