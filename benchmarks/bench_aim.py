"""Aim solve time in the breakfast demo: Ren's push-off solved to arrive at a mark at 4 s.

Prints the solve time, the trial bakes it took and the ratio to one full bake of the scene,
three ways: cold (building the physics world too, as ``see1-previs aim`` does; the
process's caches of interior pieces and servo tuning are warm by then), with a
prepared world (baking up to the push first), and warm (a previous bake's checkpoints at
hand, as in the app after a bake). Also the throw to Ren's hand. Goal: a push in ≤ 3 s.

Run: ``python benchmarks/bench_aim.py``. Figures vary with machine load; compare ratios.
"""

from __future__ import annotations

import time
from pathlib import Path

from see1previs.core.scenefile import load_scene
from see1previs.physics.aim import solve_aim
from see1previs.physics.bake import BakeMemory, bake
from see1previs.physics.simulation import prepare_world

DEMO = Path(__file__).resolve().parent.parent / "scenes" / "zero-g-breakfast.see1.json"
MARK, AT = "-1.2,0.8,0.2", 4.0
GOAL_S = 3.0


def main() -> None:
    scene = load_scene(DEMO)
    started = time.perf_counter()
    world = prepare_world(scene)
    build = time.perf_counter() - started
    memory: list[BakeMemory] = []
    started = time.perf_counter()
    bake(scene, world=world, memory=memory)
    full = time.perf_counter() - started
    print(f"breakfast demo ({scene.duration:g} s): build the world {build:.2f} s, one full bake "
          f"{full:.2f} s")  # fmt: skip

    started = time.perf_counter()
    cold = solve_aim(scene, "ren-push", MARK, at=AT)
    cold_s = time.perf_counter() - started
    runs = [("cold (builds its world)", cold, cold_s)]
    for label, kwargs in [
        ("prepared world", {"world": prepare_world(scene)}),
        ("warm (previous bake)", {"world": prepare_world(scene), "previous": memory[0]}),
    ]:
        started = time.perf_counter()
        result = solve_aim(scene, "ren-push", MARK, at=AT, **kwargs)
        runs.append((label, result, time.perf_counter() - started))
    print(f"push ren-push to ({MARK}) at {AT:g} s:")
    for label, result, seconds in runs:
        verdict = "ok" if seconds <= GOAL_S else f"over the {GOAL_S:g} s goal"
        print(
            f"  {label:<24} {seconds:5.2f} s  {result.iterations} trials  "
            f"{seconds / full:4.2f}x a full bake  miss {result.miss * 1000:.1f} mm  "
            f"{result.speed:.3f} m/s  [{verdict}]"
        )
    started = time.perf_counter()
    throw = solve_aim(scene, "mika-throw", world=prepare_world(scene), previous=memory[0])
    seconds = time.perf_counter() - started
    print(
        f"throw mika-throw to {throw.mark.label} at {throw.arrival_time:.2f} s (warm): "
        f"{seconds:.2f} s, {throw.iterations} trials, {seconds / full:.2f}x a full bake, "
        f"miss {throw.miss * 1000:.1f} mm"
    )


if __name__ == "__main__":
    main()
