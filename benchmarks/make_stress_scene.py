"""Writes scenes/stress-100.see1.json: 100 props of mixed shapes thrown around the cabin.

Deterministic (fixed seed), so the committed scene can always be regenerated exactly:
``python benchmarks/make_stress_scene.py``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from see1previs.core.scene import Scene
from see1previs.core.scenefile import save_scene

OUT = Path(__file__).resolve().parent.parent / "scenes" / "stress-100.see1.json"
SHAPES = [
    ("ball", {"type": "sphere", "radius": 0.06}, 0.25, "#e0603a"),
    ("block", {"type": "box", "size": [0.14, 0.08, 0.05]}, 0.4, "#3a8ee0"),
    ("marker", {"type": "capsule", "radius": 0.02, "length": 0.12}, 0.05, "#e0c43a"),
    ("can", {"type": "cylinder", "radius": 0.035, "length": 0.12}, 0.35, "#5ac46a"),
]
MATERIALS = [(0.3, 0.6), (0.5, 0.5), (0.7, 0.4)]  # (restitution, friction)


def build() -> Scene:
    rng = np.random.default_rng(100)
    props = []
    grid = [(x, y, z) for x in range(5) for y in range(5) for z in range(4)]
    for index, (x, y, z) in enumerate(grid):
        name, shape, mass, color = SHAPES[index % len(SHAPES)]
        restitution, friction = MATERIALS[index % len(MATERIALS)]
        position = (np.array([x - 2.0, y - 2.0, z - 1.5]) * 0.42).round(3)
        direction = rng.normal(size=3)
        velocity = direction / np.linalg.norm(direction) * rng.uniform(0.2, 1.5)
        props.append(
            {
                "id": f"{name}-{index:03d}",
                "name": f"{name.title()} {index}",
                "shape": shape,
                "mass": mass,
                "material": {"restitution": restitution, "friction": friction},
                "color": color,
                "pose": {"position": position.tolist()},
                "velocity": {
                    "linear": velocity.round(3).tolist(),
                    "angular": rng.normal(scale=2.0, size=3).round(3).tolist(),
                },
            }
        )
    return Scene.model_validate(
        {
            "format": 1,
            "title": "Stress test: 100 props",
            "frame_rate": 24,
            "duration": 10.0,
            "environment": {"air_drag": True, "ventilation": [0.05, 0.0, 0.0]},
            "props": props,
        }
    )


if __name__ == "__main__":
    save_scene(build(), OUT)
    print(OUT)
