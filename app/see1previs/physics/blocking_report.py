"""The blocking report: each actor's cues with their outcome, and every safety warning.

Built from a baked trajectory (so a cached bake gives the same report): the cue outcomes the
bake recorded, plus warnings found in the motion itself —

- a cue that could not be performed (a push-off or hold out of reach, a missed catch, a
  throw of a prop that is not in hand, a tether clipped from too far away);
- an actor hitting the wall, a fixture or another actor faster than the safe speed
  (``scene.blocking.safe_speed``, 0.5 m/s by default), and any head contact faster than
  ``head_strike_speed``;
- a tether going taut;
- a pose an actor cannot hold: a joint at the person's full strength and still off its
  target (spinning too fast for a tuck, say), naming the joint;
- an actor drifting into the hatch vestibule when no cue of theirs takes them there.

The CLI prints it (``simulate --report``); the GUI lists the warnings and jumps to them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from see1previs.core.scene import Scene
from see1previs.core.scene_cues import ACTOR_CUE_TYPES
from see1previs.physics.blocking_runtime import IMPOSSIBLE, OK, WARNING
from see1previs.physics.trajectory import Trajectory
from see1previs.station.model import Station, UnknownFixtureError

VESTIBULE_MARGIN = 0.05  # m beyond the hatch radius where the open cabin begins
VESTIBULE_LINKS = ("lower_trunk", "head")  # a person is "in" the vestibule by hips or head
COLLISION_GAP = 0.5  # s: touches closer together than this are one collision


@dataclass
class CueLine:
    """One actor cue and what became of it in the bake."""

    index: int
    id: str
    type: str
    actor: str
    time: float
    outcome: str
    reason: str
    at: float | None = None
    distance: float | None = None
    details: dict = field(default_factory=dict)


@dataclass
class BlockingWarning:
    """Something the director must look at, at a time, for an actor."""

    kind: str  # missed_catch | unreachable | impossible_cue | cue_warning | hard_contact |
    #            head_strike | tether_taut | pose_not_held | vestibule
    actor: str
    time: float
    message: str
    position: tuple[float, float, float] | None = None


@dataclass
class BlockingReport:
    cues: list[CueLine]
    warnings: list[BlockingWarning]

    def for_actor(self, actor_id: str) -> tuple[list[CueLine], list[BlockingWarning]]:
        return (
            [cue for cue in self.cues if cue.actor == actor_id],
            [warning for warning in self.warnings if warning.actor == actor_id],
        )

    def to_json(self) -> dict:
        return {
            "cues": [asdict(cue) for cue in self.cues],
            "warnings": [asdict(warning) for warning in self.warnings],
        }

    def to_text(self, scene: Scene) -> str:
        lines = ["Blocking"]
        if not scene.actors:
            return "Blocking: no actors"
        rate = scene.frame_rate
        for actor in scene.actors:
            cues, warnings = self.for_actor(actor.id)
            title = actor.name or actor.id
            lines.append(f"  {title} ({actor.id}): {len(cues)} cues, {len(warnings)} warnings")
            for cue in cues:
                stamp = rate.timecode(rate.frame_at(cue.time))
                mark = {OK: "ok", WARNING: "WARNING", IMPOSSIBLE: "IMPOSSIBLE"}[cue.outcome]
                lines.append(f"    {stamp}  {cue.id:<14} {cue.type:<9} {mark:<10} {cue.reason}")
        if self.warnings:
            lines.append("  Warnings")
            for warning in self.warnings:
                stamp = rate.timecode(rate.frame_at(warning.time))
                lines.append(f"    {stamp}  {warning.actor}: {warning.message}")
        else:
            lines.append("  No warnings.")
        return "\n".join(lines)


def blocking_report(scene: Scene, trajectory: Trajectory, station: Station) -> BlockingReport:
    cues = [CueLine(**outcome) for outcome in trajectory.metadata.get("cue_outcomes", [])]
    cues.sort(key=lambda cue: (cue.time, cue.index))
    warnings: list[BlockingWarning] = []
    warnings.extend(_cue_warnings(cues))
    warnings.extend(_contact_warnings(scene, trajectory))
    warnings.extend(_pose_warnings(trajectory))
    warnings.extend(_vestibule_warnings(scene, trajectory, station))
    warnings.sort(key=lambda w: (w.time, w.actor, w.kind))
    return BlockingReport(cues, warnings)


def _cue_warnings(cues: list[CueLine]) -> list[BlockingWarning]:
    out = []
    for cue in cues:
        if cue.type == "tether":
            for start, _end in cue.details.get("taut", []):
                out.append(
                    BlockingWarning(
                        "tether_taut",
                        cue.actor,
                        start,
                        f"tether '{cue.id}' goes taut at {start:.2f} s",
                    )
                )
        if cue.outcome == OK:
            continue
        if cue.outcome == WARNING:
            kind = "cue_warning"
        elif cue.type == "catch":
            kind = "missed_catch"
        elif cue.type in ("push_off", "hold", "grab"):
            kind = "unreachable"
        else:
            kind = "impossible_cue"
        when = cue.details.get("closest_time", cue.time) if kind == "missed_catch" else cue.time
        out.append(BlockingWarning(kind, cue.actor, when, f"{cue.type} '{cue.id}': {cue.reason}"))
    return out


def _pose_warnings(trajectory: Trajectory) -> list[BlockingWarning]:
    out = []
    for episode in trajectory.metadata.get("poses_not_held", []):
        joint = str(episode["joint"]).replace("_", " ")
        start, end = float(episode["start"]), float(episode["end"])
        out.append(
            BlockingWarning(
                "pose_not_held",
                str(episode["actor"]),
                start,
                f"cannot hold the pose: the {joint} is at full strength "
                f"({float(episode['limit']):.0f} N·m) and gives way by up to "
                f"{float(episode['error_deg']):.0f}° from {start:.2f} s to {end:.2f} s",
            )
        )
    return out


def _contact_warnings(scene: Scene, trajectory: Trajectory) -> list[BlockingWarning]:
    """Hard contacts and head strikes, one warning per collision, not per touching segment.

    A collision of two people is dozens of segment contacts within a second; touches of the
    same actor and the same other party less than ``COLLISION_GAP`` apart are one event,
    reported at its first touch with its fastest closing speed and the segment that had it.
    """
    actors = {actor.id for actor in scene.actors}
    limits = scene.blocking
    events: dict[tuple[str, str, str], list[dict]] = {}  # (kind, actor, other) -> events
    for row in trajectory.contacts:
        a, b = str(row["body_a"]), str(row["body_b"])
        link_a, link_b = str(row["link_a"]), str(row["link_b"])
        speed = float(row["approach_speed"])
        start, end = float(row["start"]), float(row["end"])
        for actor, link, other in ((a, link_a, b), (b, link_b, a)):
            if actor not in actors:
                continue
            if link.endswith("/head") and speed > limits.head_strike_speed:
                kind = "head_strike"
            elif speed > limits.safe_speed and (other.startswith("station") or other in actors):
                kind = "hard_contact"
            else:
                continue
            other_key = "station" if other.startswith("station") else other
            history = events.setdefault((kind, actor, other_key), [])
            if history and start - history[-1]["end"] < COLLISION_GAP:
                event = history[-1]
                event["end"] = max(event["end"], end)
                if speed > event["speed"]:
                    event.update(speed=speed, link=link, other=other)
            else:
                history.append(
                    {"start": start, "end": end, "speed": speed, "link": link, "other": other,
                     "position": tuple(float(c) for c in row["position"])}
                )  # fmt: skip
    out = []
    for (kind, actor, _), history in events.items():
        for event in history:
            what = _surface_words(event["other"])
            if kind == "head_strike":
                message = f"head strike: head hits {what} at {event['speed']:.2f} m/s"
            else:
                link = event["link"]
                segment = link.split("/", 1)[1].replace("_", " ") if "/" in link else "body"
                message = (
                    f"hits {what} at {event['speed']:.2f} m/s (fastest with the {segment}; "
                    f"safe speed {limits.safe_speed:g} m/s)"
                )
            out.append(BlockingWarning(kind, actor, event["start"], message, event["position"]))
    return out


def _surface_words(owner: str) -> str:
    if owner == "station":
        return "the wall"
    if owner.startswith("station:"):
        return f"fixture {owner.split(':', 1)[1]}"
    return f"'{owner}'"


def vestibule_test(station: Station):
    """A function telling which points are in the hatch vestibule, or None without a hatch.

    The vestibule is the tube between the hatch door and the open cabin: within the hatch's
    radius of its axis, and from the door inward until the wall is farther away than that
    radius (any interior with a fixture of kind 'hatch' gets one).
    """
    hatch = next((f for f in station.fixtures if f.kind == "hatch"), None)
    if hatch is None or hatch.length <= 0:
        return None
    origin = np.array(hatch.position, dtype=float)
    inward = hatch.normal / np.linalg.norm(hatch.normal)
    radius = 0.5 * hatch.length
    steps = np.arange(0.0, 4.0, 0.02)
    clearance = np.atleast_1d(station.clearance(origin + steps[:, None] * inward))
    opened = np.nonzero(clearance > radius + VESTIBULE_MARGIN)[0]
    depth = float(steps[opened[0]]) if len(opened) else float(steps[-1])

    def inside(points: np.ndarray) -> np.ndarray:
        offset = np.asarray(points, dtype=float) - origin
        along = offset @ inward
        lateral = np.linalg.norm(offset - along[..., None] * inward, axis=-1)
        return (along >= -0.05) & (along <= depth) & (lateral <= radius + VESTIBULE_MARGIN)

    return inside


def _vestibule_warnings(
    scene: Scene, trajectory: Trajectory, station: Station
) -> list[BlockingWarning]:
    inside = vestibule_test(station)
    if inside is None or not scene.actors:
        return []
    planned = _actors_sent_to_vestibule(scene, station, inside)
    out = []
    for actor in scene.actors:
        if actor.id in planned:
            continue
        links = [f"{actor.id}/{segment}" for segment in VESTIBULE_LINKS]
        links = [link for link in links if link in trajectory.links] or [actor.id]
        entered = np.zeros(trajectory.frame_count, dtype=bool)
        for link in links:
            if link in trajectory.links:
                positions = trajectory.link_positions[:, trajectory.links.index(link)]
            else:
                positions = trajectory.positions[:, trajectory.index(link)]
            entered |= inside(positions)
        starts = np.nonzero(entered & ~np.concatenate([[False], entered[:-1]]))[0]
        for frame in starts:
            t = float(trajectory.times[frame])
            out.append(
                BlockingWarning(
                    "vestibule",
                    actor.id,
                    t,
                    f"drifts into the hatch vestibule at {t:.2f} s; no cue takes them there",
                )
            )
    return out


def _actors_sent_to_vestibule(scene: Scene, station: Station, inside) -> set[str]:
    """Actors with a cue naming the hatch or a fixture inside the vestibule."""
    sent = set()
    for cue in scene.cues:
        if not isinstance(cue, ACTOR_CUE_TYPES):
            continue
        for name in ("fixture", "surface", "toward"):
            fixture_id = getattr(cue, name, None)
            if not fixture_id:
                continue
            try:
                fixture = station.fixture(fixture_id)
            except (UnknownFixtureError, KeyError):
                continue
            if fixture.kind == "hatch" or bool(inside(np.array([fixture.position]))[0]):
                sent.add(cue.actor)
    return sent
