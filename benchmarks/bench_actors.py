"""Bake throughput with articulated actors: 4 actors and 20 props, our bake vs raw mj_step.

The scene: four humanoids (1.55 m / 50 kg to 1.95 m / 100 kg) changing pose twice each,
one tethered, one grabbing and throwing a prop, and 20 props drifting and tumbling through
the cabin, 20 s at 24 fps. Prints simulated seconds per wall second for the bake and for a
bare ``mj_step`` loop on the same compiled model, and their ratio (the bake's own overhead:
actor cues, frame recording, contact episodes). Target from the actors issue: >= 30x real
time. Run: ``python benchmarks/bench_actors.py``.
"""

from __future__ import annotations

import time

import numpy as np

from legacy_model import (  # benchmarks/ is on the path as a script
    legacy_model,
    raw_step_rate,
    start_like,
)
from see1previs.core.scene import FORMAT_VERSION, Scene
from see1previs.physics.bake import bake
from see1previs.physics.simulation import prepare_world

DURATION = 20.0
TARGET_X = 30.0
ACTORS = [
    ("ana", 1.55, 50.0, (-1.2, -1.0, 0.0)),
    ("ben", 1.95, 100.0, (1.2, 1.0, 0.0)),
    ("cy", 1.75, 75.0, (-1.0, 1.2, 0.3)),
    ("dee", 1.65, 60.0, (1.0, -1.2, -0.3)),
]
POSES = ["tuck", "spread", "superman", "reach-forward", "arms-crossed", "neutral"]


def build_scene() -> Scene:
    rng = np.random.default_rng(4)
    actors, cues = [], []
    for index, (name, height, mass, position) in enumerate(ACTORS):
        actors.append(
            {"id": name, "height": height, "mass": mass, "pose": {"position": list(position)}}
        )
        for k, t in enumerate((3.0 + index, 11.0 + index)):
            cues.append(
                {"type": "pose", "id": f"{name}-pose{k}", "time": t, "actor": name,
                 "pose": POSES[(index + 2 * k) % len(POSES)], "duration": 1.2}
            )  # fmt: skip
    cues.append(
        {"type": "tether", "id": "cy-tether", "time": 0.0, "actor": "cy", "fixture": "ST1",
         "length": 2.5}
    )  # fmt: skip
    props = []
    for index in range(20):
        angle = 2 * np.pi * index / 20
        position = (0.6 * np.cos(angle), 0.6 * np.sin(angle), 0.15 * ((index % 5) - 2))
        velocity = rng.uniform(-0.6, 0.6, 3)
        props.append(
            {
                "id": f"prop{index}",
                "shape": {"type": "box", "size": [0.12, 0.08, 0.05]}
                if index % 2
                else {"type": "sphere", "radius": 0.05},
                "mass": 0.3,
                "pose": {"position": [float(c) for c in position]},
                "velocity": {
                    "linear": [float(c) for c in velocity],
                    "angular": [float(c) for c in rng.uniform(-3, 3, 3)],
                },
            }
        )
    return Scene.model_validate(
        {"format": FORMAT_VERSION, "title": "bench: 4 actors, 20 props", "duration": DURATION,
         "actors": actors, "props": props, "cues": cues}
    )  # fmt: skip


def main() -> None:
    scene = build_scene()
    started = time.perf_counter()
    world = prepare_world(scene)
    build = time.perf_counter() - started
    world.reset()
    model = world.model
    raw = raw_step_rate(model, DURATION, start_like(world))
    legacy = raw_step_rate(legacy_model(world), DURATION / 4, start_like(world))
    started = time.perf_counter()
    trajectory = bake(scene, world=world)
    ours = DURATION / (time.perf_counter() - started)
    outcomes = {o["outcome"] for o in trajectory.metadata["cue_outcomes"]}
    print(f"4 actors + 20 props, {DURATION:g} s, {model.nbody} bodies, {model.nv} dofs, "
          f"{model.ngeom} geoms; build {build:.1f} s")  # fmt: skip
    print(f"  bake      {ours:6.1f}x real time (target >= {TARGET_X:g}x)")
    print(f"  raw step  {raw:6.1f}x real time")
    print(f"  ratio     {ours / raw:6.2f} (bake / raw mj_step)")
    print(f"  old model {legacy:6.1f}x real time (raw mj_step, tiles and MuJoCo's contact)")
    print(f"  vs old    {ours / legacy:6.2f} (bake / raw mj_step of the old model)")
    print(f"  cue outcomes: {sorted(outcomes)}; {len(trajectory.contacts)} contact episodes")


if __name__ == "__main__":
    main()
