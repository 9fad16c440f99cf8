"""Actor-cue checks that need the interior: fixture ids, aim targets, articulated bodies.

The scene model checks what the file alone can tell; here the station is known, so every
fixture a cue names must exist and suit the action (nobody holds a light ring), every
``toward`` must name something with a position, and actor cues need an articulated actor.
Problems are (JSON path, message) pairs naming the cue by index and id.
"""

from __future__ import annotations

import difflib

import numpy as np

from see1previs.core.scene import (
    HoldCue,
    PushOffCue,
    ReleaseCue,
    Scene,
    TetherCue,
    ThrowCue,
)
from see1previs.core.scene_cameras import FixedRig, HandheldRig, PathRig
from see1previs.core.scene_cues import ACTOR_CUE_TYPES, WALL
from see1previs.station.model import Station

HOLDABLE = ("handrail", "foot_restraint", "seat_track")


def actor_cue_problems(scene: Scene, station: Station) -> list[tuple[str, str]]:
    """(JSON path, message) for actor cues the interior or the actors cannot support."""
    fixtures = {f.id: f for f in station.fixtures}
    actors = {a.id: a for a in scene.actors}
    aim_ids = [*fixtures, *(b.id for b in scene.bodies()), *(c.id for c in scene.cameras)]
    problems: list[tuple[str, str]] = []
    for index, cue in enumerate(scene.cues):
        if not isinstance(cue, ACTOR_CUE_TYPES):
            continue
        where = f"cues[{index}]"
        what = f"cue '{cue.id}' ({cue.type})"
        actor = actors.get(cue.actor)
        if actor is not None and actor.body != "humanoid":
            problems.append(
                (
                    f"{where}.actor",
                    f"{what}: '{cue.actor}' is a placeholder body; actor cues need "
                    '"body": "humanoid"',
                )
            )
        named: list[tuple[str, str]] = []
        if isinstance(cue, HoldCue | ReleaseCue | TetherCue) and cue.fixture is not None:
            named.append(("fixture", cue.fixture))
        if isinstance(cue, PushOffCue) and cue.surface != WALL:
            named.append(("surface", cue.surface))
        for field, fixture_id in named:
            if fixture_id not in fixtures:
                hint = difflib.get_close_matches(fixture_id, list(fixtures), n=1)
                problems.append(
                    (
                        f"{where}.{field}",
                        f"{what}: there is no fixture '{fixture_id}' in {station.name}"
                        + (f" (did you mean '{hint[0]}'?)" if hint else ""),
                    )
                )
            elif isinstance(cue, HoldCue) and fixtures[fixture_id].kind not in HOLDABLE:
                problems.append(
                    (
                        f"{where}.fixture",
                        f"{what}: {fixture_id} is a {fixtures[fixture_id].kind.replace('_', ' ')}"
                        f", not something to hold (handrails, foot restraints, seat tracks)",
                    )
                )
        toward = getattr(cue, "toward", None)
        if isinstance(cue, PushOffCue | ThrowCue) and toward is not None and toward not in aim_ids:
            hint = difflib.get_close_matches(toward, aim_ids, n=1)
            problems.append(
                (
                    f"{where}.toward",
                    f"{what}: '{toward}' is not a fixture, prop, actor or camera"
                    + (f" (did you mean '{hint[0]}'?)" if hint else ""),
                )
            )
    return problems


def camera_position(scene: Scene, station: Station, camera_id: str, t: float, com_of) -> np.ndarray:
    """Where a camera is at time ``t``, near enough to aim a push-off or a throw at it.

    ``com_of(body_id)`` gives a body's current centre of mass (for handheld cameras).
    """
    camera = next(c for c in scene.cameras if c.id == camera_id)
    rig = camera.rig
    if isinstance(rig, FixedRig):
        if rig.mount is not None:
            return np.array(station.fixture(rig.mount).position, dtype=float)
        return np.array(rig.position, dtype=float)
    if isinstance(rig, HandheldRig):
        return np.asarray(com_of(rig.operator), dtype=float)
    assert isinstance(rig, PathRig)
    times = np.array([key.time for key in rig.keyframes])
    points = np.array([key.position for key in rig.keyframes], dtype=float)
    return np.array([np.interp(t, times, points[:, axis]) for axis in range(3)])
