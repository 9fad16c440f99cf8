"""What an aim arrives at: a point, a fixture, another actor or a hand, and where that is.

The director names a target the way the CLI and the Aim dialog offer it:

- ``x,y,z`` — a point in the module frame (metres);
- a fixture id (``H3``) — the pelvis arrives :data:`STANDOFF` in front of it (on the cabin
  side), so the hands can take it;
- an actor id (``mika``) — arrive :data:`ACTOR_STANDOFF` from them (pelvis to pelvis), on
  the side one comes from, so a hand reaches their chest;
- ``actor:left_hand`` / ``actor:right_hand`` — that hand's grip point (where a thrown prop
  must be for the catch).

A :class:`Mark` says where its point is at a time in a bake (actors and hands move), which
is what the solver in :mod:`see1previs.physics.aim` compares the mover's position with.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from see1previs.core import quaternion as quat
from see1previs.core.scene import Scene
from see1previs.physics.trajectory import Trajectory
from see1previs.station.model import Station

STANDOFF = 0.6
"""m: pelvis to outstretched hand; a fixture mark is this far in front of the fixture."""
ACTOR_STANDOFF = 0.8
"""m: pelvis to pelvis when one actor's outstretched hand reaches the other's chest."""
HAND_LEAD = 0.1
"""m: a hand mark is this far beyond the grip, past the fingers (wrist to grip, carried on):
in reach of the hand (a catch closes within ``blocking.reach``) and clear of the arm."""
HANDS = ("left_hand", "right_hand")


class AimTargetError(ValueError):
    """The target text names nothing in the scene or the interior."""


@dataclass(frozen=True)
class Mark:
    """Something to arrive at. ``kind`` is point, fixture, actor or hand."""

    kind: str
    text: str  # as the director gave it (the CLI's --to value)
    label: str  # in words: "Handrail H3", "Mika (host)", "Ren's right hand"
    point: tuple[float, float, float] | None = None  # point and fixture marks: fixed
    actor: str | None = None  # actor and hand marks
    hand: str | None = None  # hand marks: left_hand / right_hand
    grip_local: tuple[float, float, float] | None = None  # hand marks: grip in the hand frame

    def position(self, trajectory: Trajectory, t: float, approach_from: np.ndarray) -> np.ndarray:
        """Where the mark is at ``t`` in ``trajectory``; actor marks stand off toward
        ``approach_from`` (where the mover started)."""
        if self.point is not None:
            return np.array(self.point, dtype=float)
        if self.hand is not None:
            position, orientation = trajectory.link_pose(f"{self.actor}/{self.hand}", t)
            along = quat.to_matrix(orientation) @ np.array(self.grip_local)  # wrist to grip
            norm = float(np.linalg.norm(along))
            return position + along + (HAND_LEAD * along / norm if norm > 1e-9 else 0.0)
        centre = trajectory.pose(self.actor, t)[0]
        away = np.asarray(approach_from, dtype=float) - centre
        norm = float(np.linalg.norm(away))
        return centre + (ACTOR_STANDOFF * away / norm if norm > 1e-9 else 0.0)

    @property
    def moves(self) -> bool:
        return self.point is None


def parse_target(text: str, scene: Scene, station: Station, grip_local=None) -> Mark:
    """The :class:`Mark` that ``text`` names (see the module docstring for the forms).

    ``grip_local(actor, hand)`` gives a hand's grip point in its frame (from the world's
    rigs); needed only for hand targets.
    """
    text = text.strip()
    parts = [p.strip() for p in text.split(",")]
    if len(parts) == 3:
        try:
            point = tuple(float(p) for p in parts)
        except ValueError:
            point = None
        if point is not None:
            shown = ", ".join(f"{c:.2f}" for c in point)
            return Mark("point", text, f"the point ({shown}) m", point=point)
    actors = {actor.id: actor for actor in scene.actors}
    if ":" in text:
        actor_id, _, hand = text.partition(":")
        hand = hand if hand.endswith("_hand") else f"{hand}_hand"
        if actor_id not in actors or hand not in HANDS:
            raise AimTargetError(
                f"'{text}' is not an actor's hand (give e.g. 'ren:right_hand' or 'ren:left')"
            )
        if grip_local is None:
            raise AimTargetError(f"'{text}': hands need the compiled actors")
        name = actors[actor_id].name or actor_id
        return Mark(
            "hand",
            f"{actor_id}:{hand}",
            f"{_possessive(name)} {hand.replace('_', ' ')}",
            actor=actor_id,
            hand=hand,
            grip_local=tuple(float(c) for c in grip_local(actor_id, hand)),
        )
    if text in actors:
        return Mark("actor", text, actors[text].name or text, actor=text)
    fixtures = {fixture.id: fixture for fixture in station.fixtures}
    if text in fixtures:
        fixture = fixtures[text]
        point = np.asarray(fixture.position, dtype=float) + STANDOFF * fixture.normal
        return Mark(
            "fixture",
            text,
            _fixture_label(fixture),
            point=tuple(float(c) for c in point),
        )
    import difflib

    known = [*actors, *fixtures]
    hint = difflib.get_close_matches(text, known, n=1)
    raise AimTargetError(
        f"'{text}' is not a point (x,y,z), a fixture, an actor or an actor's hand"
        + (f" (did you mean '{hint[0]}'?)" if hint else "")
    )


def target_choices(
    scene: Scene, station: Station, mover: str | None = None
) -> list[tuple[str, str]]:
    """(label, target text) for every target a drop-down offers, people first."""
    choices: list[tuple[str, str]] = []
    for actor in scene.actors:
        name = actor.name or actor.id
        if actor.id != mover:
            choices.append((name, actor.id))
        if actor.body == "humanoid":
            for hand in HANDS:
                words = hand.replace("_", " ")
                choices.append((f"{_possessive(name)} {words}", f"{actor.id}:{hand}"))
    for fixture in station.fixtures:
        if fixture.kind in ("handrail", "foot_restraint", "seat_track"):
            choices.append((_fixture_label(fixture), fixture.id))
    return choices


def _possessive(name: str) -> str:
    short = name.split(" (")[0]
    return f"{short}'" if short.endswith("s") else f"{short}'s"


def _fixture_label(fixture) -> str:
    """ "Handrail H6 (equator, azimuth 120°)": the interior's name, which carries the id."""
    label = fixture.name or fixture.kind.replace("_", " ")
    return label if fixture.id in label else f"{label} {fixture.id}"
