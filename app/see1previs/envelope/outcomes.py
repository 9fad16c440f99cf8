"""What happened in one baked variation, in the terms the safety page reports.

From the bake of a perturbed scene:

- ``cues``: each actor cue's outcome (``ok``, ``warning``, ``impossible``) and its kind of
  failure: ``catch_missed``, ``push_unreachable``, ``hold_missed``, ``grab_missed``;
- ``contacts``: every touch of an actor with the wall, a fixture, another actor (its kind
  ``operator`` when that actor holds a camera), a prop, with the closing speed, the segment
  and whether it was the head; touches of the same pair within ``COLLISION_GAP`` are one;
- ``cameras``: each actor's smallest clearance to each camera's lens (an operator to their
  own camera is left out) and, when closer than ``envelope.camera_radius``, a camera contact
  with the speed at that moment;
- ``arrivals``: for each push-off, when the actor next touches the wall or a fixture;
- ``positions``: each actor's centre of mass at the nominal time of every actor cue;
- ``paths``: each actor's centre of mass every ``PATH_STEP`` seconds, for the envelope tubes.

Everything is plain JSON data (floats, strings, lists) so a sample travels back from a
worker and into the result file unchanged.
"""

from __future__ import annotations

import numpy as np

from see1previs.cinema.tracks import evaluate_camera
from see1previs.core.scene import Scene
from see1previs.core.scene_cameras import HandheldRig
from see1previs.core.scene_cues import ACTOR_CUE_TYPES
from see1previs.physics.blocking_runtime import IMPOSSIBLE
from see1previs.physics.trajectory import Trajectory
from see1previs.station.model import Station

COLLISION_GAP = 0.5  # s: touches of one pair closer together than this are one collision
PATH_STEP = 0.25  # s between the recorded path points
FAILURES = {
    "catch": "catch_missed",
    "push_off": "push_unreachable",
    "hold": "hold_missed",
    "grab": "grab_missed",
}


def extract(
    scene: Scene, nominal: Scene, trajectory: Trajectory, station: Station
) -> dict[str, object]:
    """The outcomes of one bake of ``scene`` (a variation of ``nominal``)."""
    return {
        "cues": _cue_outcomes(trajectory),
        "contacts": _contacts(scene, trajectory),
        "cameras": _camera_clearances(scene, trajectory, station),
        "arrivals": _arrivals(scene, trajectory),
        "positions": _positions(nominal, trajectory),
        "paths": _paths(scene, trajectory),
    }


def _cue_outcomes(trajectory: Trajectory) -> dict[str, dict]:
    out = {}
    for outcome in trajectory.metadata.get("cue_outcomes", []):
        failed = outcome["outcome"] == IMPOSSIBLE
        out[outcome["id"]] = {
            "type": outcome["type"],
            "actor": outcome["actor"],
            "outcome": outcome["outcome"],
            "failure": FAILURES.get(outcome["type"], "impossible") if failed else None,
            "at": outcome.get("at"),
            "distance": outcome.get("distance"),
            # a missed catch: when the target came closest (the moment it was missed)
            "closest_time": (outcome.get("details") or {}).get("closest_time"),
        }
    return out


def _other_kind(other: str, actors: set[str], operators: set[str]) -> str:
    if other == "station":
        return "wall"
    if other.startswith("station:"):
        return "fixture"
    if other in operators:
        return "operator"
    if other in actors:
        return "actor"
    return "prop"


def _contacts(scene: Scene, trajectory: Trajectory) -> list[dict]:
    actors = {actor.id for actor in scene.actors}
    operators = {c.rig.operator for c in scene.cameras if isinstance(c.rig, HandheldRig)}
    events: dict[tuple[str, str], list[dict]] = {}
    for row in trajectory.contacts:
        a, b = str(row["body_a"]), str(row["body_b"])
        links = (str(row["link_a"]), str(row["link_b"]))
        speed = float(row["approach_speed"])
        start, end = float(row["start"]), float(row["end"])
        for actor, link, other in ((a, links[0], b), (b, links[1], a)):
            if actor not in actors:
                continue
            history = events.setdefault((actor, other), [])
            head = link.endswith("/head")
            if history and start - history[-1]["end"] < COLLISION_GAP:
                event = history[-1]
                event["end"] = max(event["end"], end)
                event["head"] = event["head"] or head
                if speed > event["speed"]:
                    event["speed"], event["link"] = speed, link
                if head:
                    event["head_speed"] = max(event["head_speed"], speed)
            else:
                history.append(
                    {
                        "actor": actor,
                        "other": other,
                        "kind": _other_kind(other, actors, operators),
                        "time": start,
                        "end": end,
                        "speed": speed,
                        "link": link,
                        "head": head,
                        "head_speed": speed if head else 0.0,
                        "position": [float(c) for c in row["position"]],
                    }
                )
    out = [event for key in sorted(events) for event in events[key]]
    out.sort(key=lambda e: (e["time"], e["actor"], e["other"]))
    return out


def _actor_points(trajectory: Trajectory, actor: str) -> np.ndarray:
    """(F, P, 3): the actor's segment positions per frame, or its body origin."""
    columns = [i for i, link in enumerate(trajectory.links) if link.startswith(f"{actor}/")]
    if columns and trajectory.link_positions is not None:
        return trajectory.link_positions[:, columns]
    return trajectory.positions[:, trajectory.index(actor)][:, None, :]


def _camera_clearances(scene: Scene, trajectory: Trajectory, station: Station) -> list[dict]:
    out = []
    radius = scene.envelope.camera_radius
    for camera in scene.cameras:
        track = evaluate_camera(camera, scene, station, trajectory)
        operator = camera.rig.operator if isinstance(camera.rig, HandheldRig) else None
        for actor in scene.actors:
            if actor.id == operator:
                continue
            points = _actor_points(trajectory, actor.id)
            distance = np.linalg.norm(points - track.positions[:, None, :], axis=-1)
            nearest = distance.min(axis=1)
            frame = int(np.argmin(nearest))
            entry = {
                "camera": camera.id,
                "actor": actor.id,
                "clearance": float(nearest[frame]),
                "time": float(trajectory.times[frame]),
                "contact": bool(nearest[frame] < radius),
                "speed": None,
            }
            if entry["contact"]:
                entry["speed"] = _closing_speed(trajectory, nearest, radius)
            out.append(entry)
    return out


def _closing_speed(trajectory: Trajectory, nearest: np.ndarray, radius: float) -> float:
    """How fast the clearance shrank over the frame where it first fell below ``radius``."""
    inside = np.nonzero(nearest < radius)[0]
    first = int(inside[0])
    if first == 0:
        return 0.0
    dt = float(trajectory.times[first] - trajectory.times[first - 1])
    return max(0.0, float(nearest[first - 1] - nearest[first]) / dt)


def _arrivals(scene: Scene, trajectory: Trajectory) -> dict[str, float | None]:
    """Push-off cue id -> when the actor next touches the interior after the push ends."""
    out: dict[str, float | None] = {}
    outcomes = {o["id"]: o for o in trajectory.metadata.get("cue_outcomes", [])}
    for cue in scene.cues:
        if cue.type != "push_off":
            continue
        details = (outcomes.get(cue.id) or {}).get("details") or {}
        ended = details.get("ended")
        if ended is None:
            out[cue.id] = None
            continue
        touches = [
            float(row["start"])
            for row in trajectory.contacts
            if cue.actor in (str(row["body_a"]), str(row["body_b"]))
            and (
                str(row["body_a"]).startswith("station") or str(row["body_b"]).startswith("station")
            )
            and float(row["start"]) > ended
        ]
        out[cue.id] = min(touches) if touches else None
    return out


def _com(trajectory: Trajectory, actor: str) -> np.ndarray:
    return trajectory.positions[:, trajectory.index(actor)]


def _positions(nominal: Scene, trajectory: Trajectory) -> dict[str, dict[str, list[float]]]:
    out: dict[str, dict[str, list[float]]] = {}
    cues = [cue for cue in nominal.cues if isinstance(cue, ACTOR_CUE_TYPES)]
    for actor in nominal.actors:
        track = _com(trajectory, actor.id)
        out[actor.id] = {
            cue.id: [float(np.interp(cue.time, trajectory.times, track[:, k])) for k in range(3)]
            for cue in cues
        }
    return out


def _paths(scene: Scene, trajectory: Trajectory) -> dict[str, list[list[float]]]:
    times = np.arange(0.0, trajectory.times[-1] + 1e-9, PATH_STEP)
    out = {}
    for actor in scene.actors:
        track = _com(trajectory, actor.id)
        out[actor.id] = [
            [float(np.interp(t, trajectory.times, track[:, k])) for k in range(3)] for t in times
        ]
    return out
