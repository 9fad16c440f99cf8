"""One sample end to end: draw the variation, bake it, extract what happened.

Workers keep the compiled worlds they built in a small per-process cache keyed by the
scene's digest and the cast's heights and masses, so a chunk of samples compiles the
physics once when only the actions vary. A reused world is put back to its compiled state
before every sample (the actor cues write constraints into the model), and the tests check
that a sample baked in a reused world equals one baked in a fresh one, bit for bit.

Functions here are pure: the same arguments give the same result wherever they run, which is
what lets Dask redo the tasks of a lost worker.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from see1previs.core.scene import Scene
from see1previs.envelope.outcomes import extract
from see1previs.envelope.variation import Variation, apply, draw
from see1previs.physics.bake import BakeUnstableError, bake, station_for
from see1previs.physics.bodies import BodySetupError
from see1previs.physics.crowding import CrowdedError
from see1previs.physics.simulation import SceneSetupError, prepare_world
from see1previs.physics.world import World

WORLD_CACHE_SIZE = 32  # a compiled model is about 1.5 MB; 3 sizes x 3 actors fit


@dataclass(frozen=True)
class ScenePackage:
    """What travels to the workers once per run: the scene and what the nominal bake aimed."""

    scene_text: str
    scene_dir: str | None
    aims: dict[str, list[float]]
    digest: str

    @classmethod
    def of(cls, scene: Scene, scene_dir: Path | None, aims: dict[str, list[float]]):
        text = json.dumps(scene.model_dump(mode="json"), sort_keys=True)
        digest = hashlib.sha256(
            (text + json.dumps(aims, sort_keys=True) + str(scene_dir)).encode()
        ).hexdigest()
        return cls(text, str(scene_dir) if scene_dir else None, aims, digest)

    def scene(self) -> Scene:
        return _scene_cache(self)


_SCENES: dict[str, Scene] = {}
_WORLDS: OrderedDict[tuple, tuple[World, dict[str, np.ndarray]]] = OrderedDict()


def _scene_cache(package: ScenePackage) -> Scene:
    if package.digest not in _SCENES:
        _SCENES.clear()
        _SCENES[package.digest] = Scene.model_validate_json(package.scene_text)
    return _SCENES[package.digest]


def _world_for(package: ScenePackage, scene: Scene) -> World:
    """A compiled world for ``scene``'s bodies, from the cache or newly prepared."""
    key = (package.digest, tuple((a.id, a.height, a.mass) for a in scene.actors))
    cached = _WORLDS.get(key)
    if cached is None:
        scene_dir = Path(package.scene_dir) if package.scene_dir else None
        if key[1] == tuple((a.id, a.height, a.mass) for a in package.scene().actors):
            world = prepare_world(scene, scene_dir)
        else:
            # A cast member a few millimetres taller may start with a hand resting a little
            # into the handrail the nominal actor just touches; the nominal scene's placement
            # was checked, and the physics settles such a touch in its first steps.
            world = World.build(scene, station_for(scene, scene_dir), scene_dir)
        pristine = {
            "eq_data": world.model.eq_data.copy(),
            "eq_active0": world.model.eq_active0.copy(),
            "tendon_range": world.model.tendon_range.copy(),
            "wind": world.model.opt.wind.copy(),
        }
        cached = (world, pristine)
        _WORLDS[key] = cached
        while len(_WORLDS) > WORLD_CACHE_SIZE:
            _WORLDS.popitem(last=False)
    else:
        _WORLDS.move_to_end(key)
    world, pristine = cached
    model = world.model
    model.eq_data[:] = pristine["eq_data"]
    model.eq_active0[:] = pristine["eq_active0"]
    model.tendon_range[:] = pristine["tendon_range"]
    model.opt.wind[:] = pristine["wind"]
    if scene.environment.air_drag:
        model.opt.wind[:] = scene.environment.ventilation
    world.scene = scene  # the actor cues read the reach and the cameras from it
    return world


def run_sample(package: ScenePackage, seed: int, index: int) -> dict:
    """Sample ``index``: its variation and what happened, as JSON data."""
    nominal = package.scene()
    variation = draw(nominal, package.aims, seed, index)
    return {**variation.to_json(), **outcomes_of(package, nominal, variation)}


def outcomes_of(package: ScenePackage, nominal: Scene, variation: Variation) -> dict:
    """Bake one variation; a variation that cannot be set up or baked says why."""
    try:
        scene = apply(nominal, variation)
        world = _world_for(package, scene)
        trajectory = bake(scene, world=world)
    except (SceneSetupError, BodySetupError, CrowdedError, BakeUnstableError, ValueError) as exc:
        return {"status": "failed", "problem": str(exc), "outcomes": None}
    outcomes = extract(scene, nominal, trajectory, world.station)
    return {"status": "ok", "problem": None, "outcomes": outcomes}


def run_chunk(package: ScenePackage, seed: int, indices: list[int]) -> dict:
    """Several samples in one task (the unit of work sent to a Dask worker).

    Returns the samples and, apart from them, the processor seconds the worker spent: the
    samples never carry timings, so they stay bit-identical wherever they ran.
    """
    started = time.process_time()
    samples = [run_sample(package, seed, index) for index in indices]
    return {"samples": samples, "cpu_seconds": time.process_time() - started}


def nominal_bake(scene: Scene, scene_dir: Path | None):
    """The scene baked as written: its trajectory and world (for the aimed directions)."""
    world = prepare_world(scene, scene_dir)
    return bake(scene, world=world), world
