"""One variation of a scene: drawing the perturbations of every human action, and applying them.

What is drawn, per sample, in this fixed order (so a sample's numbers depend only on the
seed, its index and the scene):

1. every actor cue in file order: a timing offset (catches use the catch timing spread; a cue
   at 0 s describes how the take starts and keeps its time);
   push-offs and throws also a lognormal speed factor and an aim error;
2. the reach (one value for the take: the bake judges every hand and foot by it);
3. every actor in file order: height and mass within the cast's range — one of
   ``cast_levels`` evenly spaced body sizes (height and mass together, smallest to largest)
   so a worker compiles each combination once, or uniform and independent with 0 levels;
4. the ventilation: on or off, and a flow if the scene sets none.

The aim error is a 2D normal offset on the plane across the aimed direction (1σ = the
spread's angle, as a tangent, on each axis); the new direction is the aimed one plus that
offset, normalised. So ``tan(error) = |offset|`` exactly, which is what the closed-form test
of the miss probability relies on. A cue aimed ``toward`` something is aimed where the
nominal bake aimed it (the person aims at where the target is at the cue), then perturbed.

An actor's cues keep their order: a timing offset that would swap two of them moves the
later one just after the earlier one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from see1previs.core.scene import Scene
from see1previs.core.scene_cues import ACTOR_CUE_TYPES, CatchCue, PushOffCue, TetherCue, ThrowCue
from see1previs.envelope.seeds import sample_generator

MAX_PUSH_SPEED = 4.0  # m/s, the scene format's limits
MAX_THROW_SPEED = 15.0
MIN_REACH, MAX_REACH = 0.01, 0.6
ORDER_GAP = 0.001  # s between two cues of one actor whose perturbed times would swap
HEIGHT_GROWTH = 0.03  # in-orbit spinal lengthening, fraction of stature (docs/envelope.md)
MASS_SPREAD = 0.02  # day-to-day body-mass range, fraction (docs/envelope.md)


@dataclass
class Variation:
    """The perturbations of one sample: scalars by name, plus the directions and flow."""

    index: int
    parameters: dict[str, float] = field(default_factory=dict)
    vectors: dict[str, list[float]] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "index": self.index,
            "parameters": dict(sorted(self.parameters.items())),
            "vectors": dict(sorted(self.vectors.items())),
        }


def aimed_directions(scene: Scene, cue_outcomes: list[dict]) -> dict[str, list[float]]:
    """Cue id -> the direction each push-off and throw was aimed at in the nominal bake."""
    out: dict[str, list[float]] = {}
    for cue in scene.cues:
        if isinstance(cue, PushOffCue | ThrowCue) and cue.direction is not None:
            out[cue.id] = _unit(cue.direction)
    for outcome in cue_outcomes:
        direction = (outcome.get("details") or {}).get("direction")
        if outcome.get("type") in ("push_off", "throw") and direction and outcome["id"] not in out:
            out[outcome["id"]] = _unit(direction)
    return out


def draw(scene: Scene, aims: dict[str, list[float]], seed: int, index: int) -> Variation:
    """The variation of sample ``index``: a pure function of its arguments."""
    rng = sample_generator(seed, index)
    spreads = scene.envelope
    variation = Variation(index)
    p = variation.parameters
    for cue in scene.cues:
        if not isinstance(cue, ACTOR_CUE_TYPES):
            continue
        own = spreads.cues.get(cue.id)
        timing = spreads.catch.timing if isinstance(cue, CatchCue) else spreads.timing
        if own is not None and own.timing is not None:
            timing = own.timing
        if cue.time == 0.0:
            timing = 0.0  # a cue at 0 s is how the take starts (already tethered), not an act
        p[f"{cue.id}.time_offset"] = timing * float(rng.standard_normal())
        if isinstance(cue, PushOffCue | ThrowCue):
            kind = spreads.push_off if isinstance(cue, PushOffCue) else spreads.throw
            speed = own.speed if own is not None and own.speed is not None else kind.speed
            angle = own.direction if own is not None and own.direction is not None else None
            angle = kind.direction if angle is None else angle
            p[f"{cue.id}.speed_factor"] = math.exp(speed * float(rng.standard_normal()))
            offset = math.tan(math.radians(angle)) * rng.standard_normal(2)
            aim = aims.get(cue.id)
            if aim is not None:
                direction, error = _perturbed_direction(np.array(aim), offset)
                variation.vectors[f"{cue.id}.direction"] = direction
                p[f"{cue.id}.aim_error_deg"] = error
    p["reach"] = float(
        np.clip(
            scene.blocking.reach + spreads.catch.reach * float(rng.standard_normal()),
            MIN_REACH,
            MAX_REACH,
        )
    )
    for actor in scene.actors:
        cast = spreads.cast.get(actor.id)
        heights = cast.height if cast is not None and cast.height is not None else None
        masses = cast.mass if cast is not None and cast.mass is not None else None
        if heights is None:
            heights = (actor.height, min(2.3, actor.height * (1.0 + HEIGHT_GROWTH)))
        if masses is None:
            masses = (
                max(25.0, actor.mass * (1.0 - MASS_SPREAD)),
                min(200.0, actor.mass * (1.0 + MASS_SPREAD)),
            )
        levels = spreads.cast_levels
        if levels:
            size = float(rng.integers(levels)) / (levels - 1) if levels > 1 else 0.5
            p[f"{actor.id}.height"] = heights[0] + size * (heights[1] - heights[0])
            p[f"{actor.id}.mass"] = masses[0] + size * (masses[1] - masses[0])
        else:
            p[f"{actor.id}.height"] = float(rng.uniform(*heights))
            p[f"{actor.id}.mass"] = float(rng.uniform(*masses))
    fans = spreads.ventilation
    on = bool(rng.random() < fans.on_probability)
    speed = float(rng.uniform(*fans.speed))
    heading = rng.standard_normal(3)
    p["ventilation.on"] = 1.0 if on else 0.0
    flow = np.array(scene.environment.ventilation, dtype=float)
    if not flow.any():
        flow = speed * heading / np.linalg.norm(heading)
    variation.vectors["ventilation"] = [float(c) for c in (flow if on else np.zeros(3))]
    return variation


def apply(scene: Scene, variation: Variation) -> Scene:
    """``scene`` with the variation's perturbations: a new, validated scene."""
    p, vectors = variation.parameters, variation.vectors
    data = scene.model_dump(mode="json")
    data["blocking"]["reach"] = p["reach"]
    data["environment"]["ventilation"] = vectors["ventilation"]
    for actor in data["actors"]:
        actor["height"] = round(p[f"{actor['id']}.height"], 12)
        actor["mass"] = round(p[f"{actor['id']}.mass"], 12)
    last_time: dict[str, float] = {}
    for index, cue in sorted(enumerate(data["cues"]), key=lambda pair: (pair[1]["time"], pair[0])):
        key = f"{cue['id']}.time_offset"
        if key not in p:
            continue
        time = min(scene.duration, max(0.0, cue["time"] + p[key]))
        actor = cue["actor"]
        if actor in last_time and time <= last_time[actor]:
            time = min(scene.duration, last_time[actor] + ORDER_GAP)
        last_time[actor] = time
        if isinstance(scene.cues[index], TetherCue) and cue.get("until") is not None:
            shift = time - cue["time"]
            cue["until"] = min(scene.duration, max(time + ORDER_GAP, cue["until"] + shift))
        cue["time"] = time
        factor = p.get(f"{cue['id']}.speed_factor")
        if factor is not None:
            limit = MAX_PUSH_SPEED if cue["type"] == "push_off" else MAX_THROW_SPEED
            cue["speed"] = min(limit, cue["speed"] * factor)
        direction = vectors.get(f"{cue['id']}.direction")
        if direction is not None:
            cue["direction"], cue["toward"] = direction, None
    return Scene.model_validate(data)


def _perturbed_direction(aim: np.ndarray, offset: np.ndarray) -> tuple[list[float], float]:
    """``aim`` moved by ``offset`` on the plane across it; the angle moved in degrees."""
    aim = aim / np.linalg.norm(aim)
    helper = np.eye(3)[int(np.argmin(np.abs(aim)))]
    across = np.cross(aim, helper)
    across /= np.linalg.norm(across)
    other = np.cross(aim, across)
    moved = aim + offset[0] * across + offset[1] * other
    moved /= np.linalg.norm(moved)
    error = math.degrees(math.atan(float(np.hypot(offset[0], offset[1]))))
    return [float(c) for c in moved], error


def _unit(vector) -> list[float]:
    v = np.asarray(vector, dtype=float)
    return [float(c) for c in v / np.linalg.norm(v)]
