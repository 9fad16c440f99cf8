"""The model a scene compiled to before contact forces moved to newtons: for speed ratios.

Until then every wall face was a MuJoCo tile and MuJoCo's own (acceleration-level) contact
constraint pushed back. :func:`legacy_model` rebuilds that from a world: the sphere's tiles
back in as colliding geoms, contacts active (margin and gap 0), and no geom marked for the
newton contact forces, so a raw ``mj_step`` loop on it costs what the old bake's stepping did.
Benchmarks print our bake's speed as a ratio of that loop ("today's model" in the physics
issue), and of the same loop on the current model (:func:`raw_step_rate` times both).
"""

from __future__ import annotations

import time

import mujoco

from see1previs.physics.world import World, add_wall_visuals


def legacy_model(world: World) -> mujoco.MjModel:
    spec = world.spec.copy()
    add_wall_visuals(spec, world.station)
    for geom in spec.geoms:
        if geom.name.startswith("station/tile"):
            geom.contype = 1
            geom.conaffinity = 1
        geom.margin = 0.0
        geom.gap = 0.0
        geom.userdata = [0.0] * len(geom.userdata)
    return spec.compile()


def start_like(world):
    """Put a model's data (same bodies) in the world's start state."""

    def prepare(data) -> None:
        data.qpos[:] = world.data.qpos
        data.qvel[:] = world.data.qvel
        data.ctrl[:] = world.data.ctrl

    return prepare


def raw_step_rate(model: mujoco.MjModel, seconds: float, prepare=None) -> float:
    """Simulated seconds per wall second of a bare mj_step loop (``prepare(data)`` first)."""
    data = mujoco.MjData(model)
    if prepare is not None:
        prepare(data)
    mujoco.mj_forward(model, data)
    steps = max(1, round(seconds / model.opt.timestep))
    started = time.perf_counter()
    for _ in range(steps):
        mujoco.mj_step(model, data)
    return steps * model.opt.timestep / (time.perf_counter() - started)
