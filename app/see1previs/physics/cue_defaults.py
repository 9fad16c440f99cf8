"""Sensible starting values for a cue added at the playhead, read from the scene at that moment.

The cue palette asks this module for a new cue of a kind, for a subject (an actor, or a prop
for ``impulse`` and ``spin``), at a time. Answers come from what the director sees:

- where the actor's hands and feet are at that moment in the baked trajectory (the start
  pose when there is no bake yet), and the station's fixtures: the nearest handrail or foot
  restraint within reach for a hold or a push-off;
- what the actor holds at that moment, replaying their earlier cues (a push-off leaves from
  the fixture held; a throw throws the prop in hand; a release lets go of what is held);
- the props in flight: a catch is of the moving prop nearest a hand;
- the other actors: ``toward`` aims at the nearest one.

A cue that cannot be made at all (a throw with nothing in hand, a release with nothing held)
raises :class:`NoCueHere` with a message a director can act on. Whether the cue will succeed
is still the bake's question: these are only starting values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from see1previs.core import commands as cmd
from see1previs.core import quaternion as quat
from see1previs.core.cue_sequence import default_limb, limbs_of, ordered_cues
from see1previs.core.poses import POSES
from see1previs.core.scene import Scene
from see1previs.core.scene_cues import (
    CatchCue,
    GrabCue,
    HoldCue,
    PoseCue,
    PushOffCue,
    ReleaseCue,
    TetherCue,
    ThrowCue,
)
from see1previs.physics.anthropometry import scaled_segments
from see1previs.physics.trajectory import Trajectory
from see1previs.station.model import Fixture, Station

ACTOR_KINDS = (
    "push_off",
    "hold",
    "release",
    "grab",
    "catch",
    "throw",
    "tether",
    "untether",
    "pose",
)
PROP_KINDS = ("impulse", "spin")
GRIP_KINDS = ("handrail", "foot_restraint")  # what a hold, a push-off or a tether uses
HANDS = ("right_hand", "left_hand")
FEET = ("right_foot", "left_foot")
PUSH_SPEED = 0.3  # m/s: a gentle float, below the 0.5 m/s safe contact speed
THROW_SPEED = 1.0  # m/s: an easy underarm toss
IMPULSE_SPEED = 0.3  # m/s the impulse gives the prop
SPIN_RATE = 1.0  # rad/s, about the studio's up axis
TETHER_SLACK = 0.5  # m of tether beyond the harness's distance to the fixture
FLYING_SPEED = 0.05  # m/s: a prop slower than this is floating, not flying
GRIP_FRACTION = 0.6  # the grip sits this far down the hand from the wrist (physics/actors.py)


class NoCueHere(ValueError):
    """The cue cannot be made for this subject at this moment; the message says why."""


@dataclass(frozen=True)
class Reach:
    """A fixture, the limb nearest it and how far that limb is from it."""

    fixture: Fixture
    limb: str  # left_hand | right_hand | feet
    distance: float  # m


@dataclass
class Moment:
    """The scene as the director sees it at the playhead."""

    scene: Scene
    station: Station
    time: float
    trajectory: Trajectory | None = None

    # -- where things are ---------------------------------------------------------------
    def position(self, body_id: str) -> np.ndarray:
        """Centre of a body (an actor's pelvis) at this moment."""
        if self.trajectory is not None and body_id in self.trajectory.body_ids:
            return self.trajectory.pose(body_id, self.time)[0]
        return np.asarray(self.scene.body(body_id).pose.position, dtype=float)

    def velocity(self, body_id: str) -> np.ndarray:
        if self.trajectory is not None and body_id in self.trajectory.body_ids:
            return self.trajectory.velocity(body_id, self.time)[0]
        return np.asarray(self.scene.body(body_id).velocity.linear, dtype=float)

    def limb_points(self, actor_id: str) -> dict[str, np.ndarray]:
        """Grip point of each hand and centre of each foot of an actor at this moment."""
        actor = self.scene.body(actor_id)
        links = self.trajectory.links if self.trajectory is not None else []
        if f"{actor_id}/right_hand" not in links:
            # No articulated bake yet: the limbs are taken to be at the body's centre.
            centre = self.position(actor_id)
            return {limb: centre for limb in (*HANDS, *FEET)}
        segments = scaled_segments(actor.height, actor.mass)
        hand, foot = segments["hand"].length, segments["foot"].length
        points = {}
        for limb in (*HANDS, *FEET):
            origin, orientation = self.trajectory.link_pose(f"{actor_id}/{limb}", self.time)
            rotation = quat.to_matrix(orientation)
            local = (0.0, 0.0, -GRIP_FRACTION * hand) if "hand" in limb else (0.5 * foot, 0, 0)
            points[limb] = origin + rotation @ np.asarray(local, dtype=float)
        return points

    # -- fixtures within reach ----------------------------------------------------------
    def fixtures_by_distance(self, actor_id: str, kinds=GRIP_KINDS) -> list[Reach]:
        """Every fixture of those kinds with the actor's nearest limb to it, nearest first.

        A foot restraint is taken with the feet, a handrail with a hand.
        """
        points = self.limb_points(actor_id)
        found = []
        for fixture in self.station.fixtures:
            if fixture.kind not in kinds:
                continue
            if fixture.kind == "foot_restraint":
                distance = min(fixture_distance(fixture, points[f]) for f in FEET)
                found.append(Reach(fixture, "feet", distance))
            else:
                hand = min(HANDS, key=lambda h: fixture_distance(fixture, points[h]))
                found.append(Reach(fixture, hand, fixture_distance(fixture, points[hand])))
        found.sort(key=lambda reach: (reach.distance, reach.fixture.id))
        return found

    def within_reach(self, actor_id: str, kinds=GRIP_KINDS, slack: float = 0.1) -> list[Reach]:
        """Fixtures a hand or the feet can take now: within the scene's reach (plus slack
        for the hand's own size), nearest first."""
        limit = self.scene.blocking.reach + slack
        return [r for r in self.fixtures_by_distance(actor_id, kinds) if r.distance <= limit]

    # -- what is held -----------------------------------------------------------------
    def holdings(self, actor_id: str) -> tuple[dict[str, str], dict[str, str]]:
        """({limb: fixture held}, {hand: prop in it}) for an actor just before this moment.

        Replays the actor's cues up to now; cues the bake found impossible are left out.
        """
        failed = self._failed_cues()
        holds: dict[str, str] = {}
        in_hand: dict[str, str] = {}
        for _, cue in ordered_cues(self.scene.cues):
            if cue.time > self.time + 1e-9 or cue.id in failed:
                continue
            if getattr(cue, "actor", None) != actor_id:
                if isinstance(cue, GrabCue | CatchCue):  # taken from this actor's hand
                    for hand in [h for h, p in in_hand.items() if p == cue.target]:
                        del in_hand[hand]
                continue
            if isinstance(cue, HoldCue):
                for limb in limbs_of(default_limb(cue)):
                    holds[limb] = cue.fixture
            elif isinstance(cue, ReleaseCue) and cue.target is not None:
                in_hand = {hand: p for hand, p in in_hand.items() if p != cue.target}
            elif isinstance(cue, ReleaseCue | PushOffCue):
                let_go = cue.fixture if isinstance(cue, ReleaseCue) else cue.surface
                holds = {limb: f for limb, f in holds.items() if f != let_go}
            elif isinstance(cue, GrabCue | CatchCue):
                in_hand[f"{cue.hand}_hand"] = cue.target
            elif isinstance(cue, ThrowCue):
                in_hand = {hand: p for hand, p in in_hand.items() if p != cue.prop}
        return holds, in_hand

    def active_tether(self, actor_id: str) -> tuple[int, TetherCue] | None:
        """(index, cue) of the actor's tether clipped at this moment, if any."""
        for index, cue in reversed(ordered_cues(self.scene.cues)):
            if (
                isinstance(cue, TetherCue)
                and cue.actor == actor_id
                and cue.time <= self.time + 1e-9
                and (cue.until is None or cue.until > self.time)
            ):
                return index, cue
        return None

    def _failed_cues(self) -> set[str]:
        if self.trajectory is None:
            return set()
        outcomes = self.trajectory.metadata.get("cue_outcomes", [])
        return {o["id"] for o in outcomes if o.get("outcome") == "impossible"}

    def nearest_other_actor(self, body_id: str) -> str | None:
        here = self.position(body_id)
        others = [a.id for a in self.scene.actors if a.id != body_id]
        if not others:
            return None
        return min(others, key=lambda a: (float(np.linalg.norm(self.position(a) - here)), a))


# -- new cues --------------------------------------------------------------------------------
def new_cue(kind: str, subject: str, moment: Moment) -> dict:
    """The JSON of a new cue of ``kind`` done by (or to) ``subject`` at the moment's time."""
    scene = moment.scene
    actors = {a.id for a in scene.actors}
    if kind in ACTOR_KINDS and kind != "untether":
        if subject not in actors:
            raise NoCueHere(f"a {_words(kind)} cue is done by an actor: select an actor")
        return _ACTOR_BUILDERS[kind](subject, moment)
    if kind in PROP_KINDS:
        if not any(b.id == subject for b in scene.bodies()):
            raise NoCueHere(f"a {kind} cue acts on a prop or an actor: select one")
        return _PROP_BUILDERS[kind](subject, moment)
    raise ValueError(f"unknown cue kind '{kind}'")


def untether_at(subject: str, moment: Moment) -> tuple[int, float]:
    """(index of the tether cue, its new ``until``) to unclip the actor's tether now."""
    found = moment.active_tether(subject)
    if found is None:
        raise NoCueHere(f"{_name(moment.scene, subject)} has no tether clipped at this time")
    index, cue = found
    if moment.time <= cue.time:
        raise NoCueHere(
            f"the tether '{cue.id}' is clipped at {cue.time:g} s: unclip it later than that"
        )
    return index, round(moment.time, 6)


def _base(kind: str, subject: str, moment: Moment, stem: str) -> dict:
    return {
        "type": kind,
        "id": cmd.unique_id(moment.scene, f"{subject}-{stem}"),
        "time": round(min(max(moment.time, 0.0), moment.scene.duration), 6),
    }


def _hold(actor: str, moment: Moment) -> dict:
    holds, in_hand = moment.holdings(actor)
    busy = set(holds) | set(in_hand)
    for reach in moment.fixtures_by_distance(actor):
        limbs = FEET if reach.limb == "feet" else (reach.limb,)
        if reach.limb == "feet" and ("feet" in busy):
            continue
        if reach.limb != "feet" and busy & set(limbs):
            free = [h for h in HANDS if h not in busy]
            if not free:
                continue
            reach = Reach(reach.fixture, free[0], reach.distance)
        fixture = reach.fixture.id
        return {
            **_base("hold", actor, moment, f"holds-{fixture.lower()}"),
            "actor": actor,
            "fixture": fixture,
            "limb": reach.limb,
        }
    raise NoCueHere(f"{_name(moment.scene, actor)} has no free hand or feet to hold with")


def _push_off(actor: str, moment: Moment) -> dict:
    holds, _ = moment.holdings(actor)
    if holds:
        surface = next(iter(holds.values()))
    else:
        reachable = moment.within_reach(actor)
        surface = reachable[0].fixture.id if reachable else "wall"
    cue = {**_base("push_off", actor, moment, "push"), "actor": actor, "surface": surface}
    target = moment.nearest_other_actor(actor)
    if target is not None:
        cue["toward"] = target
    else:
        cue["direction"] = _away_from(moment, actor, surface)
    cue.update(speed=PUSH_SPEED, duration=0.4)
    return cue


def _release(actor: str, moment: Moment) -> dict:
    holds, _ = moment.holdings(actor)
    if not holds:
        raise NoCueHere(f"{_name(moment.scene, actor)} holds no fixture at this time")
    fixture = holds.get("right_hand") or next(iter(holds.values()))
    return {
        **_base("release", actor, moment, f"lets-go-{fixture.lower()}"),
        "actor": actor,
        "fixture": fixture,
    }


def _grab(actor: str, moment: Moment) -> dict:
    holds, in_hand = moment.holdings(actor)
    free = [h for h in HANDS if h not in holds and h not in in_hand]
    if not free:
        raise NoCueHere(f"both of {_name(moment.scene, actor)}'s hands are full")
    points = moment.limb_points(actor)
    taken = {p for _, p in in_hand.items()}
    props = [p.id for p in moment.scene.props if p.id not in taken]
    if not props:
        raise NoCueHere("there is no prop to take")
    prop, hand = min(
        ((p, h) for p in props for h in free),
        key=lambda ph: (float(np.linalg.norm(moment.position(ph[0]) - points[ph[1]])), ph),
    )
    return {
        **_base("grab", actor, moment, f"takes-{prop}"),
        "actor": actor,
        "target": prop,
        "hand": hand.split("_")[0],
    }


def _catch(actor: str, moment: Moment) -> dict:
    holds, in_hand = moment.holdings(actor)
    free = [h for h in HANDS if h not in holds and h not in in_hand] or list(HANDS)
    points = moment.limb_points(actor)
    props = [p.id for p in moment.scene.props if p.id not in in_hand.values()]
    flying = [p for p in props if float(np.linalg.norm(moment.velocity(p))) > FLYING_SPEED]
    if not (flying or props):
        raise NoCueHere("there is no prop to catch")
    prop, hand = min(
        ((p, h) for p in (flying or props) for h in free),
        key=lambda ph: (float(np.linalg.norm(moment.position(ph[0]) - points[ph[1]])), ph),
    )
    return {
        **_base("catch", actor, moment, f"catches-{prop}"),
        "actor": actor,
        "target": prop,
        "hand": hand.split("_")[0],
        "window": 0.3,
    }


def _throw(actor: str, moment: Moment) -> dict:
    _, in_hand = moment.holdings(actor)
    if not in_hand:
        raise NoCueHere(
            f"{_name(moment.scene, actor)} holds no prop at this time: add a grab or a catch first"
        )
    prop = in_hand.get("right_hand") or next(iter(in_hand.values()))
    cue = {**_base("throw", actor, moment, "throw"), "actor": actor, "prop": prop}
    target = moment.nearest_other_actor(actor)
    if target is not None:
        cue["toward"] = target
    else:
        cue["direction"] = [1.0, 0.0, 0.0]
    cue["speed"] = THROW_SPEED
    return cue


def _tether(actor: str, moment: Moment) -> dict:
    harness = moment.position(actor)
    fixtures = [f for f in moment.station.fixtures if f.kind in GRIP_KINDS]
    if not fixtures:
        raise NoCueHere("this interior has no handrail or foot restraint to clip a tether to")
    nearest = min(fixtures, key=lambda f: (fixture_distance(f, harness), f.id))
    distance = fixture_distance(nearest, harness)
    length = min(6.0, max(1.0, math.ceil((distance + TETHER_SLACK) * 2) / 2))
    return {
        **_base("tether", actor, moment, "tether"),
        "actor": actor,
        "fixture": nearest.id,
        "length": length,
    }


def _pose(actor: str, moment: Moment) -> dict:
    current = moment.scene.body(actor).posture
    for _, cue in ordered_cues(moment.scene.cues):
        if isinstance(cue, PoseCue) and cue.actor == actor and cue.time <= moment.time:
            current = cue.pose or current
    pose = "neutral" if current != "neutral" else next(p for p in POSES if p != "neutral")
    return {
        **_base("pose", actor, moment, "pose"),
        "actor": actor,
        "pose": pose,
        "duration": 1.0,
    }


def _impulse(body: str, moment: Moment) -> dict:
    mass = moment.scene.body(body).mass
    here = moment.position(body)
    target = moment.nearest_other_actor(body)
    if target is not None and np.linalg.norm(moment.position(target) - here) > 1e-6:
        direction = moment.position(target) - here
    else:
        direction = -here if np.linalg.norm(here) > 1e-6 else np.array([0.0, 1.0, 0.0])
    direction = direction / np.linalg.norm(direction)
    return {
        **_base("impulse", body, moment, "push"),
        "target": body,
        "impulse": [round(float(c) * mass * IMPULSE_SPEED, 6) for c in direction],
    }


def _spin(body: str, moment: Moment) -> dict:
    return {
        **_base("spin", body, moment, "spin"),
        "target": body,
        "angular_velocity": [0.0, 0.0, SPIN_RATE],
    }


_ACTOR_BUILDERS = {
    "push_off": _push_off,
    "hold": _hold,
    "release": _release,
    "grab": _grab,
    "catch": _catch,
    "throw": _throw,
    "tether": _tether,
    "pose": _pose,
}
_PROP_BUILDERS = {"impulse": _impulse, "spin": _spin}


# -- geometry ------------------------------------------------------------------------------
def fixture_distance(fixture: Fixture, point) -> float:
    """Distance from a point to a fixture's grip: its bar (a segment ``length`` long along
    its axis through its position), or its reference point when it has no length."""
    point = np.asarray(point, dtype=float)
    centre = np.asarray(fixture.position, dtype=float)
    if fixture.length <= 0 or fixture.kind in ("light_ring", "hatch"):
        return float(np.linalg.norm(point - centre))
    axis = fixture.axis
    along = float(np.clip(np.dot(point - centre, axis), -fixture.length / 2, fixture.length / 2))
    return float(np.linalg.norm(point - (centre + along * axis)))


def _away_from(moment: Moment, actor: str, surface: str) -> list[float]:
    """Straight out from the fixture pushed (or from the nearest wall) into the cabin."""
    if surface != "wall":
        normal = moment.station.fixture(surface).normal
    else:
        here = moment.position(actor)
        normal = -here / np.linalg.norm(here) if np.linalg.norm(here) > 1e-6 else (1, 0, 0)
    return [round(float(c), 4) for c in normal]


def _name(scene: Scene, body_id: str) -> str:
    body = scene.body(body_id)
    return body.name or body_id


def _words(kind: str) -> str:
    return kind.replace("_", " ")
