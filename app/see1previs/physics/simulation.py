"""Scene to trajectory in one call: build the world, check placement, bake or load the cache.

This is the physics layer's front door for the CLI and (later) the session: it gathers every
problem that stops a scene from simulating into one :class:`SceneSetupError`, so a director
sees them all at once, each with the JSON path of the object at fault.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from see1previs.core.scene import Scene
from see1previs.physics.bake import CancelCheck, ProgressCallback, bake, station_for
from see1previs.physics.bodies import BodySetupError
from see1previs.physics.cache import BakeCache, bake_key
from see1previs.physics.cue_checks import actor_cue_problems
from see1previs.physics.placement import placement_problems
from see1previs.physics.trajectory import Trajectory
from see1previs.physics.world import World
from see1previs.station.model import Station, StationError


class SceneSetupError(Exception):
    """The scene is valid JSON and schema but cannot be simulated as placed."""

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


def prepare_world(scene: Scene, scene_dir: Path | None = None) -> World:
    """Compile the scene's world and check every body's start placement."""
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
    problems = placement_problems(world)
    if problems:
        raise SceneSetupError(problems)
    return world


def simulate(
    scene: Scene,
    scene_dir: Path | None = None,
    *,
    cache: BakeCache | None = None,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCheck | None = None,
) -> BakeResult:
    """Bake ``scene`` (or load its bake from ``cache``) after checking it can be simulated."""
    world = prepare_world(scene, scene_dir)
    key = bake_key(scene, world.station, scene_dir)
    if cache is not None:
        cached = cache.load(key)
        if cached is not None:
            if progress is not None:
                progress(1.0)
            return BakeResult(cached, world, world.station, key, from_cache=True)
    trajectory = bake(scene, world=world, progress=progress, should_cancel=should_cancel)
    trajectory.metadata["cache_key"] = key
    if cache is not None:
        cache.store(key, trajectory)
    return BakeResult(trajectory, world, world.station, key, from_cache=False)
