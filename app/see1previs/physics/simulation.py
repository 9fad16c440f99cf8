"""Scene to trajectory in one call: build the world, check placement, bake or load the cache.

This is the physics layer's front door for the CLI and (later) the session: it gathers every
problem that stops a scene from simulating into one :class:`SceneSetupError`, so a director
sees them all at once, each with the JSON path of the object at fault.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import mujoco

from see1previs.core.scene import Scene
from see1previs.physics.bake import (
    BakeMemory,
    CancelCheck,
    FramesCallback,
    ProgressCallback,
    bake,
    resume_point,
    station_for,
)
from see1previs.physics.bake_budget import bake_memory_problem
from see1previs.physics.bodies import BodySetupError
from see1previs.physics.cache import BakeCache, bake_key
from see1previs.physics.cache_entry import Expected
from see1previs.physics.crowding import CrowdedError
from see1previs.physics.cue_checks import actor_cue_problems
from see1previs.physics.placement import placement_problems
from see1previs.physics.trajectory import Trajectory
from see1previs.physics.world import World
from see1previs.station.model import Station, StationError


class SceneSetupError(Exception):
    """The scene is valid JSON and schema but cannot be simulated: placement, meshes, size."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"{path}: {message}" for path, message in problems))


@dataclass
class BakeResult:
    trajectory: Trajectory
    world: World
    station: Station
    cache_key: str
    from_cache: bool
    memory: BakeMemory | None = None  # raw frames and checkpoints, for resuming after an edit
    resumed_from: float | None = None  # scene time the bake carried on from, if it did
    cache_notice: str | None = None  # a cache entry for this scene was bad and thrown away


def prepare_world(scene: Scene, scene_dir: Path | None = None) -> World:
    """Compile the scene's world, check every body's start placement and the bake's memory.

    Everything that would stop a bake is found here, before it starts: ``validate`` runs
    exactly this, so a scene it calls valid can be simulated.
    """
    try:
        station = station_for(scene, scene_dir)
    except StationError as exc:
        raise SceneSetupError([("station.interior", str(exc))]) from exc
    cue_problems = actor_cue_problems(scene, station)
    if cue_problems:
        raise SceneSetupError(cue_problems)
    try:
        world = World.build(scene, station, scene_dir)
    except BodySetupError as exc:
        raise SceneSetupError([(exc.path, exc.message)]) from exc
    except CrowdedError as exc:  # found before compiling: the physics would take minutes
        raise SceneSetupError(exc.problems) from exc
    except mujoco.FatalError as exc:  # the start state alone overflows the physics' memory
        raise SceneSetupError([_start_overflow(scene, str(exc))]) from exc
    problems = placement_problems(world)
    too_big = bake_memory_problem(world, scene)
    if too_big is not None:
        problems.append(too_big)
    if problems:
        raise SceneSetupError(problems)
    return world


def _start_overflow(scene: Scene, detail: str) -> tuple[str, str]:
    """The problem when computing the first contacts runs MuJoCo out of memory."""
    contacts = re.search(r"ncon = (\d+)", detail)
    count = f"{int(contacts.group(1)):,} " if contacts else ""
    return (
        "props" if scene.props else "actors",
        f"the bodies start touching at {count}points, more than the physics can hold: many "
        "of them overlap where they start; move them apart",
    )


def simulate(
    scene: Scene,
    scene_dir: Path | None = None,
    *,
    cache: BakeCache | None = None,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCheck | None = None,
    previous: BakeResult | None = None,
    affected_from: float | None = None,
    on_frames: FramesCallback | None = None,
) -> BakeResult:
    """Bake ``scene`` (or load its bake from ``cache``) after checking it can be simulated.

    With ``previous`` (the bake of the scene before an edit) the bake carries on from the
    latest checkpoint before both ``affected_from`` (the earliest scene time the edit can
    change) and the first cue that differs, when the compiled physics is the same; the
    result is bit-identical to a bake from the start. ``on_frames`` streams the frames as
    they are baked (see :func:`~see1previs.physics.bake.bake`); a bake loaded from the cache
    hands over nothing before it returns.
    """
    world = prepare_world(scene, scene_dir)
    key = bake_key(scene, world.station, scene_dir)
    expected = Expected.for_world(world, key)
    notice = None
    if cache is not None:
        found = cache.lookup(expected)
        if found.trajectory is not None:
            if progress is not None:
                progress(1.0)
            return BakeResult(found.trajectory, world, world.station, key, from_cache=True)
        notice = found.discarded
    resume = None
    if previous is not None and previous.memory is not None:
        point = resume_point(previous.memory, world, scene)
        limit = affected_from if affected_from is not None else float("inf")
        while point is not None and point.time >= limit:
            earlier = [c for c in previous.memory.checkpoints if c.frame < point.frame]
            point = earlier[-1] if earlier else None
        if point is not None:
            resume = (previous.memory, point)
    memory: list[BakeMemory] = []
    trajectory = bake(
        scene,
        world=world,
        progress=progress,
        should_cancel=should_cancel,
        memory=memory,
        resume=resume,
        on_frames=on_frames,
    )
    trajectory.metadata["cache_key"] = key
    if cache is not None:
        cache.store(trajectory, expected)
    return BakeResult(
        trajectory,
        world,
        world.station,
        key,
        from_cache=False,
        memory=memory[0],
        resumed_from=resume[1].time if resume else None,
        cache_notice=notice,
    )
