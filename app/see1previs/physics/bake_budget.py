"""How much memory a bake needs, estimated before it starts, against the limit it must keep.

A bake records every body at every frame, twice over while it runs (the physics state just
before and just after each frame), then derives poses and velocities from those records. Its
peak memory therefore grows with frames x bodies: 10 s at 24 fps with 5 props needs a few
megabytes, but 3,600 s at 1,000 fps with 100 props would need over 200 GiB and fail after
minutes of work. Validation refuses such a scene up front, with the estimate and the longest
scene that would fit.

The estimate is measured, not derived. Per frame, a real bake's peak traced allocations
grow by about 5.1 x 13 values of 8 bytes for each prop (its raw states before and after the
frame, then its poses and velocities and the arrays in between), and by about 2 values per
physics state value, 3 x 13 per body and 7 per actor segment when articulated actors make
the bake keep the whole state. The factors below round those up by 10-20 %. A few megabytes
that do not grow with the scene's length (the model, the actors' tables) are left out.
"""

from __future__ import annotations

import math

from see1previs.core.scene import Scene
from see1previs.physics.world import World

BAKE_MEMORY_LIMIT = 4 * 2**30
"""Bytes a bake may use at its peak (4 GiB): room for the desktop app, the previous bake it
resumes from and the rest of a 16 GB workstation."""

# Values of 8 bytes at the peak, per frame: per raw state value (kept before and after the
# frame), per body's 13 derived pose and velocity values, per actor segment.
_RAW_FACTOR = 2.5
_BODY_FACTOR = 3.5
_SEGMENT_VALUES = 8
_FRAME_BYTES = 64  # per frame: its time (exact and as a float), blend weight


def bake_memory_estimate(world: World, scene: Scene) -> int:
    """Bytes the bake of ``scene`` in ``world`` is expected to need at its peak."""
    frames = scene.frame_rate.frame_count(scene.duration)
    return frames * _bytes_per_frame(world)


def _bytes_per_frame(world: World) -> int:
    model = world.model
    bodies = 13 * len(world.bodies)  # position, quaternion, linear and angular velocity
    # Articulated actors make the bake keep the whole state, not just each body's 13 values.
    raw = model.nq + model.nv if world.rigs else bodies
    segments = sum(len(rig.links) for rig in world.rigs.values())
    values = _RAW_FACTOR * raw + _BODY_FACTOR * bodies + _SEGMENT_VALUES * segments
    return math.ceil(8 * values) + _FRAME_BYTES


def bake_memory_problem(world: World, scene: Scene) -> tuple[str, str] | None:
    """(JSON path, message) when baking ``scene`` would need more than the limit, else None."""
    needed = bake_memory_estimate(world, scene)
    if needed <= BAKE_MEMORY_LIMIT:
        return None
    fits = (BAKE_MEMORY_LIMIT // _bytes_per_frame(world) - 1) / float(scene.frame_rate)
    bodies = len(world.bodies)
    return (
        "duration",
        f"baking {scene.duration:g} s at {scene.frame_rate} with {bodies} "
        f"bod{'y' if bodies == 1 else 'ies'} needs about {_size(needed)} of memory, more than "
        f"the {_size(BAKE_MEMORY_LIMIT)} a bake may use; shorten the scene (at most about "
        f"{_seconds(fits)} at this rate), lower the frame rate or split it into several scenes",
    )


def _size(count: int) -> str:
    return f"{count / 2**30:.1f} GiB" if count >= 2**30 else f"{count / 2**20:.0f} MiB"


def _seconds(seconds: float) -> str:
    """Rounded down, so the length offered really fits."""
    if seconds >= 10:
        return f"{math.floor(seconds)} s"
    return f"{math.floor(seconds * 100) / 100:g} s"
