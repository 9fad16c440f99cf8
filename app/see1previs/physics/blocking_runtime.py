"""Actor cues while the bake runs: pushes, holds, grips, throws, tethers and pose changes.

:class:`ActorCues` is driven by the bake loop: :meth:`start` when a cue's time comes,
:meth:`before_step` before every physics step while something is in progress (a push, a
pose change, a catch waiting for the prop, a clipped tether). Each cue ends with an outcome a
director can read — ``ok``, ``warning`` or ``impossible`` with the reason — kept as plain
JSON in the trajectory so cached bakes keep them.

The physics of each action:

- **push_off** — the hands or feet must be within reach of the surface. The surface then
  pushes the actor's centre of mass for the cue's duration (a force through the whole-body
  centre of mass, so the push itself adds no spin) until it moves at the requested velocity;
  the station is fixed, so the impulse the surface gives is the actor's momentum change.
- **hold / release** — a hand closes on the fixture (a ball-joint constraint between the
  hand and the nearest point of the fixture: the body can swing about the grip) or the feet
  lock into a foot restraint (a weld).
- **grab / catch** — a hand within reach takes the prop: a weld between hand and prop.
  A catch waits for the prop to come within reach; its momentum is shared with the actor
  through the constraint, which is exactly a perfectly inelastic collision. A person is
  taken by the part named (wrist, harness, ankle) or the nearest part: a perfectly
  inelastic impulse and couple at the grip point between the two whole bodies (so they
  move on as one body: the same momentum, the pair's angular momentum unchanged), then a
  weld at that point holds them, with the holding arm's hand and forearm and the held
  person not colliding while it lasts. A ``release`` naming the person (or a held prop)
  opens the grip.
- **throw** — the grip opens and equal and opposite impulses act on prop and hand, sized
  so the prop leaves at the release speed relative to the actor: with actor mass M and prop
  mass m the impulse is M·m/(M+m)·u.
- **tether** — a rope between the harness and the fixture: a tendon that can be no longer
  than the tether.
- **pose** — the joint servos' targets blend (smoothstep) to the new pose over the duration;
  limbs move by real torques, so the body counter-rotates. A servo is only as strong as the
  person (:mod:`see1previs.physics.joint_strength`); a joint pushing at its full strength
  while still off its target is a pose that cannot be held, recorded per actor and joint
  with its start and end (:meth:`ActorCues.after_frame`, checked every frame).
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field

import mujoco
import numpy as np

from see1previs.core import quaternion as quat
from see1previs.core.cue_sequence import default_limb, limbs_of
from see1previs.core.scene import (
    CatchCue,
    GrabCue,
    HoldCue,
    PoseCue,
    PushOffCue,
    ReleaseCue,
    TetherCue,
    ThrowCue,
)
from see1previs.core.scene_cues import WALL
from see1previs.physics import analytic_wall
from see1previs.physics.actors import ALL_CONTACT_BITS, GRIP_PARTS, UNCLIPPED_LENGTH, ActorRig
from see1previs.physics.contact_forces import MARKER, TAUT_MARGIN
from see1previs.physics.cue_checks import camera_position
from see1previs.physics.world import World

OK, WARNING, IMPOSSIBLE = "ok", "warning", "impossible"
SEARCH_MARGIN = 1.0  # m: distances beyond reach + this are reported as "more than"
WALL_SEARCH_RADIUS = 1.6  # m around the actor's centre of mass where wall tiles are checked
TAUT_TOLERANCE = TAUT_MARGIN  # m: a tether this close to its length is taut
STRAIN_ANGLE = math.radians(5.0)  # a joint this far off its target at full strength gives way
STRAIN_MIN_DURATION = 0.1  # s: shorter strains (a quick move at full effort) are not reported


@dataclass
class CueOutcome:
    """What became of one cue."""

    index: int
    id: str
    type: str
    actor: str
    time: float
    outcome: str = OK
    reason: str = ""
    at: float | None = None  # when it took effect (a catch may close early or late)
    distance: float | None = None  # nearest hand or foot to what it needed, m
    details: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "index": self.index,
            "id": self.id,
            "type": self.type,
            "actor": self.actor,
            "time": self.time,
            "outcome": self.outcome,
            "reason": self.reason,
            "at": self.at,
            "distance": self.distance,
            "details": self.details,
        }


@dataclass
class _Push:
    rig: ActorRig
    outcome: CueOutcome
    end: float
    velocity: np.ndarray  # target COM velocity
    impulse: np.ndarray = field(default_factory=lambda: np.zeros(3))


@dataclass
class _Transition:
    start: float
    duration: float
    begin: np.ndarray
    goal: np.ndarray


@dataclass
class _Catch:
    cue: CatchCue
    rig: ActorRig
    outcome: CueOutcome
    closes: float  # the last moment the hand may close
    closest: float = math.inf
    closest_time: float = 0.0


@dataclass
class _Tether:
    cue: TetherCue
    tendon: int
    taut_since: float | None = None
    episodes: list[tuple[float, float]] = field(default_factory=list)


class ActorCues:
    """Carries out the actor cues of one bake."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.model, self.data = world.model, world.data
        self.scene = world.scene
        self.reach = self.scene.blocking.reach
        self.rigs = world.rigs
        self.outcomes: dict[int, CueOutcome] = {}
        self.holds: dict[tuple[str, str], str] = {}  # (actor, limb) -> fixture
        self.in_hand: dict[tuple[str, str], str] = {}  # (actor, hand) -> target id
        self.person_grips: dict[tuple[str, str], tuple[str, str]] = {}  # -> (person, segment)
        self.letting_go: dict[tuple[str, str], str] = {}  # released, still touching -> person
        self.pushes: list[_Push] = []
        self.transitions: dict[str, _Transition] = {}
        self.catches: list[_Catch] = []
        self.tethers: list[_Tether] = []
        self.strain: dict[tuple[str, int], dict] = {}  # (actor, joint index) -> episode
        self.not_held: list[dict] = []  # finished episodes of a pose not held
        self.targets = {a: self.data.ctrl[rig.actuators].copy() for a, rig in self.rigs.items()}
        self.fixture_geoms: dict[str, list[int]] = {}
        self.body_geoms: dict[str, list[int]] = {}  # prop or actor id -> its geoms
        self.wall_geoms: list[int] = []
        for geom, owner in sorted(world.geom_owner.items()):
            if owner == "station":
                self.wall_geoms.append(geom)
            elif owner.startswith("station:"):
                self.fixture_geoms.setdefault(owner.split(":", 1)[1], []).append(geom)
            else:
                self.body_geoms.setdefault(owner, []).append(geom)
        self.wall_geoms = np.array(sorted(self.wall_geoms), dtype=int)
        self.wall_centres = self.data.geom_xpos[self.wall_geoms].copy()
        self._fromto = np.zeros(6)
        self._set_contact_masks()  # a world baked before may have been left mid-grip

    # ---- checkpoints --------------------------------------------------------------------
    _RUNNING = ("outcomes", "holds", "in_hand", "pushes", "transitions", "catches", "tethers",
                "targets", "strain", "not_held", "person_grips", "letting_go")  # fmt: skip

    def snapshot(self) -> dict:
        """Everything in progress, copied, so a later bake can carry on from here."""
        keep = {id(rig): rig for rig in self.rigs.values()}  # rigs are the world's, not state
        state = copy.deepcopy({name: getattr(self, name) for name in self._RUNNING}, keep)
        state["rigs"] = dict(self.rigs)
        return state

    def restore(self, state: dict) -> None:
        """Take over a snapshot made by the same scene's world or an identical one."""
        same = {id(state["rigs"][actor]): rig for actor, rig in self.rigs.items()}
        running = {name: state[name] for name in self._RUNNING}
        for name, value in copy.deepcopy(running, same).items():
            setattr(self, name, value)
        self._set_contact_masks()

    # ---- schedule -----------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """Something needs attention before every step the bake takes."""
        return bool(
            self.pushes or self.transitions or self.catches or self.tethers or self.letting_go
        )

    @property
    def steers(self) -> bool:
        """Something must act before every step, so steps cannot run in one MuJoCo call.

        A slack tether without a release time only watches for going taut: the bake runs
        such stretches in one call and redoes them step by step when any force evaluation
        saw a tether taut (contact_forces.TOUCHED_SLOT).
        """
        return bool(
            self.pushes
            or self.transitions
            or self.catches
            or self.letting_go
            or any(t.cue.until is not None or t.taut_since is not None for t in self.tethers)
        )

    @staticmethod
    def start_time(cue) -> float:
        """When the bake must hand a cue over: a catch opens its window early."""
        if isinstance(cue, CatchCue):
            return max(0.0, cue.time - cue.window)
        return cue.time

    def start(self, index: int, cue, t: float) -> None:
        outcome = CueOutcome(index, cue.id, cue.type, cue.actor, cue.time, at=t)
        self.outcomes[index] = outcome
        rig = self.rigs[cue.actor]
        handler = {
            PushOffCue: self._push_off,
            HoldCue: self._hold,
            ReleaseCue: self._release,
            GrabCue: self._grab,
            CatchCue: self._catch,
            ThrowCue: self._throw,
            TetherCue: self._tether,
            PoseCue: self._pose,
        }[type(cue)]
        handler(cue, rig, outcome, t)

    # ---- per step -----------------------------------------------------------------------
    def before_step(self, t: float, dt: float) -> None:
        data = self.data
        for push in list(self.pushes):
            root = push.rig.root
            if t >= push.end - 1e-12:
                data.xfrc_applied[root] = 0.0
                self._finish_push(push, t)
                self.pushes.remove(push)
                continue
            mass = push.rig.total_mass(self.model)
            velocity = self.world.momentum(push.rig.id) / mass
            force = mass * (push.velocity - velocity) / max(push.end - t, dt)
            step = min(dt, push.end - t)
            # The force acts at the pelvis's centre of mass; the couple moves its line of
            # action through the whole body's centre of mass.
            lever = data.subtree_com[root] - data.xipos[root]
            data.xfrc_applied[root, :3] = force * (step / dt)
            data.xfrc_applied[root, 3:] = np.cross(lever, force * (step / dt))
            push.impulse += force * step
        for actor, transition in list(self.transitions.items()):
            u = min(1.0, (t + dt - transition.start) / transition.duration)
            s = u * u * (3.0 - 2.0 * u)
            targets = transition.begin + (transition.goal - transition.begin) * s
            data.ctrl[self.rigs[actor].actuators] = targets
            self.targets[actor] = targets
            if u >= 1.0:
                del self.transitions[actor]
        for key, person in list(self.letting_go.items()):
            rig = self.rigs[key[0]]
            if self._distance(rig.arm_geoms[key[1]], self.body_geoms[person]) > 0.0:
                del self.letting_go[key]  # the arm is clear: it may touch them again
                self._set_contact_masks()
        for catch in list(self.catches):
            hand = f"{catch.cue.hand}_hand"
            target = catch.cue.target
            distance = self._distance(catch.rig.limb_geoms[hand], self._grip_geoms(catch.cue))
            if distance < catch.closest:
                catch.closest, catch.closest_time = distance, t
            if distance <= self.reach and self._in_hand_of(target) != (catch.rig.id, hand):
                mujoco.mj_forward(self.model, data)
                if target in self.rigs:
                    held = self._take_person(catch.rig, hand, target, catch.cue.part)
                    catch.outcome.details = {"part": held}
                else:
                    self._absorb(catch.rig, hand, target)
                    self._close_grip(catch.rig, hand, target)
                catch.outcome.at = t
                catch.outcome.distance = distance
                catch.outcome.reason = f"caught at {t:.2f} s ({_timing(t - catch.cue.time)})"
                if target in self.rigs:
                    catch.outcome.reason += f" by the {_segment_words(held)}"
                self.catches.remove(catch)
            elif t > catch.closes:
                _missed(
                    catch,
                    f"'{catch.cue.target}' came no closer than {catch.closest:.2f} m to the "
                    f"{catch.cue.hand} hand (at {catch.closest_time:.2f} s; reach "
                    f"{self.reach:.2f} m)",
                )
                self.catches.remove(catch)
        for tether in self.tethers:
            if tether.cue.until is not None and t >= tether.cue.until:
                self.model.tendon_range[tether.tendon, 1] = UNCLIPPED_LENGTH
                self._tether_slack(tether, t)
                continue
            taut = data.ten_length[tether.tendon] >= tether.cue.length - TAUT_TOLERANCE
            if taut and tether.taut_since is None:
                tether.taut_since = t
            elif not taut:
                self._tether_slack(tether, t)
        self.tethers = [
            tether
            for tether in self.tethers
            if tether.cue.until is None or t < tether.cue.until or tether.taut_since is not None
        ]

    def after_frame(self, t: float) -> None:
        """Watch every servo: full strength and still off target means the pose gives way."""
        model, data = self.model, self.data
        for actor, rig in self.rigs.items():
            force = data.actuator_force[rig.actuators]
            low, high = model.actuator_forcerange[rig.actuators].T
            error = data.qpos[rig.joint_qpos] - data.ctrl[rig.actuators]
            strained = ((force <= low * (1 - 1e-6)) & (error > STRAIN_ANGLE)) | (
                (force >= high * (1 - 1e-6)) & (error < -STRAIN_ANGLE)
            )
            for joint in np.nonzero(strained)[0]:
                key = (actor, int(joint))
                episode = self.strain.setdefault(
                    key,
                    {
                        "actor": actor,
                        "joint": rig.humanoid.joints[joint].split("/", 1)[1],
                        "start": t,
                        "end": t,
                        "limit": float(high[joint] if error[joint] < 0 else -low[joint]),
                        "error_deg": 0.0,
                    },
                )
                episode["end"] = t
                episode["error_deg"] = max(episode["error_deg"], math.degrees(abs(error[joint])))
            for key in [k for k in self.strain if k[0] == actor and not strained[k[1]]]:
                self._end_strain(key)

    def _end_strain(self, key: tuple[str, int]) -> None:
        episode = self.strain.pop(key)
        if episode["end"] - episode["start"] >= STRAIN_MIN_DURATION:
            self.not_held.append(episode)

    def poses_not_held(self) -> list[dict]:
        """Every time a joint could not hold its pose: actor, joint, start, end, limit (N·m)
        and the largest error (degrees), in time order; call after :meth:`finish`."""
        return sorted(self.not_held, key=lambda e: (e["start"], e["actor"], e["joint"]))

    def finish(self, t: float) -> list[dict]:
        """Close what is still open at the end of the scene; every outcome in file order."""
        for key in sorted(self.strain):
            self._end_strain(key)
        for push in self.pushes:
            self.data.xfrc_applied[push.rig.root] = 0.0
            self._finish_push(push, t)
        for catch in self.catches:
            _missed(
                catch,
                f"the scene ended before '{catch.cue.target}' came within reach (closest "
                f"{catch.closest:.2f} m at {catch.closest_time:.2f} s)",
            )
        for tether in self.tethers:
            self._tether_slack(tether, t)
        self._set_contact_masks(reset=True)  # leave the model as it was compiled
        return [self.outcomes[i].to_json() for i in sorted(self.outcomes)]

    # ---- cues ---------------------------------------------------------------------------
    def _push_off(self, cue: PushOffCue, rig: ActorRig, outcome: CueOutcome, t: float) -> None:
        limbs = ("left_hand", "right_hand", "left_foot", "right_foot")
        held = [limb for limb in limbs if self.holds.get((rig.id, limb)) == cue.surface]
        if held:
            distance = 0.0
        else:
            if cue.surface == WALL:
                distance = min(self._wall_distance(rig, rig.limb_geoms[limb]) for limb in limbs)
            else:
                surface = self.fixture_geoms[cue.surface]
                distance = min(self._distance(rig.limb_geoms[limb], surface) for limb in limbs)
        outcome.distance = distance
        what = "the wall" if cue.surface == WALL else cue.surface
        if distance > self.reach:
            outcome.outcome = IMPOSSIBLE
            outcome.reason = (
                f"no hand or foot within reach of {what}: the nearest is "
                f"{_metres(distance)} away (reach {self.reach:.2f} m)"
            )
            return
        for limb in held:
            self._open_hold(rig, limb)
        com = self.world.com(rig.id)
        direction = self._aim(cue.toward, cue.direction, com, t)
        push = _Push(rig, outcome, t + cue.duration, cue.speed * direction)
        outcome.details = {"direction": [float(c) for c in direction]}
        outcome.reason = f"pushes off {what} at {cue.speed:g} m/s"
        self.pushes.append(push)

    def _finish_push(self, push: _Push, t: float) -> None:
        mass = push.rig.total_mass(self.model)
        mujoco.mj_forward(self.model, self.data)
        velocity = self.world.momentum(push.rig.id) / mass
        wanted = float(np.linalg.norm(push.velocity))
        reached = float(np.linalg.norm(velocity))
        push.outcome.details.update(
            {
                "impulse": [float(c) for c in push.impulse],
                "speed": reached,
                "ended": t,
            }
        )
        if abs(reached - wanted) > 0.05 * wanted:
            push.outcome.outcome = WARNING
            push.outcome.reason += f"; reached {reached:.2f} m/s (something got in the way)"

    def _hold(self, cue: HoldCue, rig: ActorRig, outcome: CueOutcome, t: float) -> None:
        limbs = [_segment_limb(limb) for limb in limbs_of(default_limb(cue))]
        limbs = [part for group in limbs for part in group]
        fixture = self.fixture_geoms[cue.fixture]
        found = []
        for limb in limbs:
            distance, near, far = self._closest(rig.limb_geoms[limb], fixture)
            found.append((limb, distance, near, far))
        outcome.distance = max(d for _, d, _, _ in found)
        if outcome.distance > self.reach:
            outcome.outcome = IMPOSSIBLE
            outcome.reason = (
                f"{_limb_words(default_limb(cue))} not within reach of {cue.fixture}: "
                f"{_metres(outcome.distance)} away (reach {self.reach:.2f} m)"
            )
            return
        for limb, _distance, near, far in found:
            self._close_hold(rig, limb, near, far)
            self.holds[(rig.id, limb)] = cue.fixture
        outcome.reason = f"holds {cue.fixture}"

    def _release(self, cue: ReleaseCue, rig: ActorRig, outcome: CueOutcome, t: float) -> None:
        if cue.target is not None:
            hands = [
                h for (a, h), held in self.in_hand.items() if a == rig.id and held == cue.target
            ]
            if not hands:
                outcome.outcome = IMPOSSIBLE
                outcome.reason = f"does not hold '{cue.target}' at {t:.2f} s"
                return
            for hand in hands:
                self._open_grip(rig, hand, cue.target)
            outcome.reason = f"lets go of '{cue.target}'"
            return
        held = [
            limb for (actor, limb), f in self.holds.items() if actor == rig.id and f == cue.fixture
        ]
        if not held:
            outcome.outcome = IMPOSSIBLE
            outcome.reason = f"does not hold {cue.fixture} at this time"
            return
        for limb in held:
            self._open_hold(rig, limb)
        outcome.reason = f"lets go of {cue.fixture}"

    def _grab(self, cue: GrabCue, rig: ActorRig, outcome: CueOutcome, t: float) -> None:
        hand = f"{cue.hand}_hand"
        distance = self._distance(rig.limb_geoms[hand], self._grip_geoms(cue))
        outcome.distance = distance
        if distance > self.reach:
            outcome.outcome = IMPOSSIBLE
            outcome.reason = (
                f"'{cue.target}' is {_metres(distance)} from the {cue.hand} hand "
                f"(reach {self.reach:.2f} m)"
            )
            return
        outcome.reason = f"takes '{cue.target}' in the {cue.hand} hand"
        if cue.target in self.rigs:
            held = self._take_person(rig, hand, cue.target, cue.part)
            outcome.details = {"part": held}
            outcome.reason += f" by the {_segment_words(held)}"
        else:
            self._close_grip(rig, hand, cue.target)

    def _catch(self, cue: CatchCue, rig: ActorRig, outcome: CueOutcome, t: float) -> None:
        outcome.reason = "waiting"
        self.catches.append(_Catch(cue, rig, outcome, closes=cue.time + cue.window))

    def _throw(self, cue: ThrowCue, rig: ActorRig, outcome: CueOutcome, t: float) -> None:
        hand = next(
            (h for (a, h), target in self.in_hand.items() if a == rig.id and target == cue.prop),
            None,
        )
        if hand is None:
            outcome.outcome = IMPOSSIBLE
            outcome.reason = f"'{cue.prop}' is not in {rig.id}'s hands at {t:.2f} s"
            return
        self._open_grip(rig, hand, cue.prop)
        mujoco.mj_forward(self.model, self.data)
        prop = self.world.by_id[cue.prop]
        actor_mass = rig.total_mass(self.model)
        prop_mass = float(self.model.body_subtreemass[prop.body_id])
        origin = self.world.com(cue.prop)
        direction = self._aim(cue.toward, cue.direction, origin, t)
        impulse = actor_mass * prop_mass / (actor_mass + prop_mass) * cue.speed * direction
        model, data = self.model, self.data
        _apply_impulse(model, data, prop.body_id, impulse, data.xipos[prop.body_id])
        root_dof = self.world.by_id[rig.id].qvel_adr
        _recoil(model, data, root_dof, rig.limb_body[hand], -impulse, rig.grip_point(data, hand))
        mujoco.mj_forward(self.model, self.data)
        outcome.details = {
            "impulse": [float(c) for c in impulse],
            "direction": [float(c) for c in direction],
        }
        outcome.reason = f"throws '{cue.prop}' at {cue.speed:g} m/s"

    def _tether(self, cue: TetherCue, rig: ActorRig, outcome: CueOutcome, t: float) -> None:
        tendon = rig.tether_tendon[cue.id]
        mujoco.mj_forward(self.model, self.data)
        length = float(self.data.ten_length[tendon])
        outcome.distance = length
        if length > cue.length + TAUT_TOLERANCE:
            outcome.outcome = IMPOSSIBLE
            outcome.reason = (
                f"the harness is {length:.2f} m from {cue.fixture}, farther than the "
                f"{cue.length:g} m tether"
            )
            return
        self.model.tendon_range[tendon] = [0.0, cue.length]
        self.tethers.append(_Tether(cue, tendon))
        outcome.reason = f"tethered to {cue.fixture} ({cue.length:g} m)"

    def _pose(self, cue: PoseCue, rig: ActorRig, outcome: CueOutcome, t: float) -> None:
        current = self.targets[rig.id]
        if cue.pose is not None:
            goal = rig.posture_targets(cue.pose, cue.joints)
        else:
            goal = current.copy()
            for joint, angle in cue.joints.items():
                goal[rig.humanoid.joints.index(f"{rig.id}/{joint}")] = math.radians(angle)
        self.transitions[rig.id] = _Transition(t, cue.duration, current.copy(), goal)
        outcome.reason = f"moves into {cue.pose or 'the new pose'} over {cue.duration:g} s"

    # ---- constraints --------------------------------------------------------------------
    def _close_hold(self, rig: ActorRig, limb: str, near: np.ndarray, far: np.ndarray) -> None:
        eq = rig.hold_eq[limb]
        body = rig.limb_body[limb]
        data, model = self.data, self.model
        rotation = data.xmat[body].reshape(3, 3)
        if limb.endswith("hand"):
            # Ball joint: the point of the hand nearest the fixture meets the fixture.
            model.eq_data[eq, 0:3] = rotation.T @ (near - data.xpos[body])
            model.eq_data[eq, 3:6] = far
        else:
            # Weld to the world where the foot would be with the gap closed.
            position = data.xpos[body] + (far - near)
            orientation = data.xquat[body]
            model.eq_data[eq, 0:3] = position
            model.eq_data[eq, 3:6] = -(rotation.T @ position)
            model.eq_data[eq, 6:10] = quat.conjugate(orientation)
            model.eq_data[eq, 10] = 1.0
        data.eq_active[eq] = 1

    def _open_hold(self, rig: ActorRig, limb: str) -> None:
        self.data.eq_active[rig.hold_eq[limb]] = 0
        self.holds.pop((rig.id, limb), None)

    def _close_grip(self, rig: ActorRig, hand: str, target: str) -> None:
        holder = self._in_hand_of(target)
        if holder is not None:  # a hand-off: the other hand lets go
            other = self.rigs[holder[0]]
            self._open_grip(other, holder[1], target)
        eq = rig.grip_eq[(hand, target)]
        model, data = self.model, self.data
        hand_body = rig.limb_body[hand]
        target_body = int(model.eq_obj2id[eq])
        _distance, near, far = self._closest(rig.limb_geoms[hand], self.body_geoms[target])
        # Where the target will sit in the hand: moved so its nearest point meets the hand.
        position = data.xpos[target_body] + (near - far)
        hand_rotation = data.xmat[hand_body].reshape(3, 3)
        model.eq_data[eq, 0:3] = 0.0
        model.eq_data[eq, 3:6] = hand_rotation.T @ (position - data.xpos[hand_body])
        model.eq_data[eq, 6:10] = quat.multiply(
            quat.conjugate(data.xquat[hand_body]), data.xquat[target_body]
        )
        model.eq_data[eq, 10] = 1.0
        data.eq_active[eq] = 1
        self.in_hand[(rig.id, hand)] = target

    def _absorb(self, rig: ActorRig, hand: str, target: str) -> None:
        """The catch itself: a perfectly inelastic impulse between the target and the hand.

        The impulse that leaves the target moving with the catching hand, the actor taking
        it as a whole body (see :func:`_recoil`); the grip weld then holds the two together.
        """
        model, data = self.model, self.data
        target_handle = self.world.by_id[target]
        if target_handle.rig is not None:
            return  # catching a person: the grip constraint alone brings them together
        body = target_handle.body_id
        root_dof = self.world.by_id[rig.id].qvel_adr
        hand_body = rig.limb_body[hand]
        grip = rig.grip_point(data, hand)
        jac = np.zeros((3, model.nv))
        mujoco.mj_jac(model, data, jac, None, grip, hand_body)
        relative = data.qvel[target_handle.qvel_adr : target_handle.qvel_adr + 3] - jac @ data.qvel
        # Response of the hand point to a unit impulse on the whole body, per axis.
        response = np.zeros((3, 3))
        saved = data.qvel.copy()
        for axis in range(3):
            unit = np.zeros(3)
            unit[axis] = 1.0
            _recoil(model, data, root_dof, hand_body, unit, grip)
            response[:, axis] = jac @ (data.qvel - saved)
            data.qvel[:] = saved
        mass = float(model.body_subtreemass[body])
        impulse = -np.linalg.solve(np.eye(3) / mass + response, relative)
        _apply_impulse(model, data, body, impulse, data.xipos[body])
        _recoil(model, data, root_dof, hand_body, -impulse, grip)
        mujoco.mj_forward(model, data)

    def _open_grip(self, rig: ActorRig, hand: str, target: str) -> None:
        grip = self.person_grips.pop((rig.id, hand), None)
        if grip is not None:
            self.data.eq_active[rig.person_grip_eq[(hand, *grip)]] = 0
            self.letting_go[(rig.id, hand)] = target
            self._set_contact_masks()
        else:
            self.data.eq_active[rig.grip_eq[(hand, target)]] = 0
        self.in_hand.pop((rig.id, hand), None)

    # ---- holding a person ---------------------------------------------------------------
    def _grip_geoms(self, cue: GrabCue | CatchCue) -> list[int]:
        """What the hand must reach: the named part of a person, or all of the target."""
        if cue.target in self.rigs and cue.part is not None:
            return self.rigs[cue.target].segment_geoms[GRIP_PARTS[cue.part]]
        return self.body_geoms[cue.target]

    def _take_person(self, rig: ActorRig, hand: str, person: str, part: str | None) -> str:
        """Take hold of another actor: share momentum at the grip, then hold by a weld.

        Returns the segment held. The grip point is the nearest point of that segment to
        the hand; the weld keeps the hand and the segment as they are at that moment, so it
        starts with no error to correct and no force: all momentum exchange is the impulse
        of :meth:`_absorb_person`.
        """
        other = self.rigs[person]
        segments = [GRIP_PARTS[part]] if part is not None else list(other.segment_geoms)
        found = []
        for segment in segments:
            distance, _near, far = self._closest(rig.limb_geoms[hand], other.segment_geoms[segment])
            found.append((distance, segment, far))
        _distance, segment, point = min(found, key=lambda item: item[0])
        segment_body = self.model.body(f"{person}/{segment}").id
        self._absorb_person(rig, hand, other, segment_body, point)
        model, data = self.model, self.data
        hand_body = rig.limb_body[hand]
        hand_rotation = data.xmat[hand_body].reshape(3, 3)
        segment_rotation = data.xmat[segment_body].reshape(3, 3)
        eq = rig.person_grip_eq[(hand, person, segment)]
        # MuJoCo's weld: the point eq_data[0:3] of the segment (its frame) stays at the point
        # eq_data[3:6] of the hand (its frame), the orientations at eq_data[6:10] apart.
        model.eq_data[eq, 0:3] = segment_rotation.T @ (point - data.xpos[segment_body])
        model.eq_data[eq, 3:6] = hand_rotation.T @ (point - data.xpos[hand_body])
        model.eq_data[eq, 6:10] = quat.multiply(
            quat.conjugate(data.xquat[hand_body]), data.xquat[segment_body]
        )
        model.eq_data[eq, 10] = 1.0
        data.eq_active[eq] = 1
        self.in_hand[(rig.id, hand)] = person
        self.person_grips[(rig.id, hand)] = (person, segment)
        self.letting_go.pop((rig.id, hand), None)
        self._set_contact_masks()
        return segment

    def _absorb_person(
        self, rig: ActorRig, hand: str, other: ActorRig, segment_body: int, point: np.ndarray
    ) -> None:
        """An equal and opposite impulse and couple at ``point`` that leave the hand and the
        held segment moving as one: a perfectly inelastic collision of two whole bodies.

        Each body takes them as a whole (the root's 6x6 block, see :func:`_recoil`), so each
        momentum changes by exactly ±J and, acting at one point, they leave the pair's
        angular momentum about any point unchanged. With joint rates untouched, the pair
        then moves as one rigid body: both at the common velocity when it does not spin.
        """
        model, data = self.model, self.data
        hand_body = rig.limb_body[hand]
        catcher_dof = self.world.by_id[rig.id].qvel_adr
        held_dof = self.world.by_id[other.id].qvel_adr
        jacobians = []
        for body in (segment_body, hand_body):
            linear, angular = np.zeros((3, model.nv)), np.zeros((3, model.nv))
            mujoco.mj_jac(model, data, linear, angular, point, body)
            jacobians.append(np.vstack([linear, angular]))
        relative_jac = jacobians[0] - jacobians[1]
        relative = relative_jac @ data.qvel  # held segment's twist at the point minus the hand's
        response = np.zeros((6, 6))  # relative twist change per unit force (0-2), couple (3-5)
        saved = data.qvel.copy()
        for axis in range(6):
            unit = np.zeros(6)
            unit[axis] = 1.0
            _recoil(model, data, held_dof, segment_body, unit[:3], point, unit[3:])
            _recoil(model, data, catcher_dof, hand_body, -unit[:3], point, -unit[3:])
            response[:, axis] = relative_jac @ (data.qvel - saved)
            data.qvel[:] = saved
        wrench = -np.linalg.solve(response, relative)
        _recoil(model, data, held_dof, segment_body, wrench[:3], point, wrench[3:])
        _recoil(model, data, catcher_dof, hand_body, -wrench[:3], point, -wrench[3:])
        mujoco.mj_forward(model, data)

    def _set_contact_masks(self, reset: bool = False) -> None:
        """Every humanoid geom offers its actor's bit and accepts all; a gripping (or just
        released, still touching) arm offers none and refuses the held person's bit."""
        model = self.model
        for actor, rig in self.rigs.items():
            geoms = self.body_geoms.get(actor, [])
            model.geom_contype[geoms] = rig.contact_bit
            model.geom_conaffinity[geoms] = ALL_CONTACT_BITS
        if reset:
            return
        holding = {key: grip[0] for key, grip in self.person_grips.items()}
        for (actor, hand), person in {**self.letting_go, **holding}.items():
            arm = self.rigs[actor].arm_geoms[hand]
            model.geom_contype[arm] = 0
            model.geom_conaffinity[arm] = ALL_CONTACT_BITS & ~self.rigs[person].contact_bit

    def _in_hand_of(self, target: str) -> tuple[str, str] | None:
        return next((key for key, held in self.in_hand.items() if held == target), None)

    def _tether_slack(self, tether: _Tether, t: float) -> None:
        if tether.taut_since is not None:
            tether.episodes.append((tether.taut_since, t))
            outcome = next(
                o for o in self.outcomes.values() if o.id == tether.cue.id and o.type == "tether"
            )
            outcome.details.setdefault("taut", []).append([tether.taut_since, t])
            tether.taut_since = None

    # ---- geometry -----------------------------------------------------------------------
    def _nearby_wall(self, rig: ActorRig) -> np.ndarray:
        centre = self.world.com(rig.id)
        near = np.linalg.norm(self.wall_centres - centre, axis=1) < WALL_SEARCH_RADIUS
        return self.wall_geoms[near]

    def _wall_distance(self, rig: ActorRig, geoms) -> float:
        """Distance from geoms to the wall: the exact sphere and the vestibule's tiles."""
        sphere = analytic_wall.wall_gap(self.model, self.data, geoms, MARKER)
        return min(sphere, self._distance(geoms, self._nearby_wall(rig)))

    def _distance(self, geoms_a, geoms_b) -> float:
        return self._closest(geoms_a, geoms_b)[0]

    def _closest(self, geoms_a, geoms_b) -> tuple[float, np.ndarray, np.ndarray]:
        """Smallest surface distance between two geom sets and the two nearest points."""
        best = (math.inf, np.zeros(3), np.zeros(3))
        limit = self.reach + SEARCH_MARGIN
        for a in geoms_a:
            for b in geoms_b:
                distance = mujoco.mj_geomDistance(
                    self.model, self.data, int(a), int(b), limit, self._fromto
                )
                if distance < best[0]:
                    best = (float(distance), self._fromto[:3].copy(), self._fromto[3:].copy())
        return best

    def _aim(self, toward: str | None, direction, origin: np.ndarray, t: float) -> np.ndarray:
        if direction is not None:
            vector = np.asarray(direction, dtype=float)
        else:
            vector = self._position_of(toward, t) - origin
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm > 1e-9 else np.array([1.0, 0.0, 0.0])

    def _position_of(self, item: str, t: float) -> np.ndarray:
        if item in self.world.by_id:
            return self.world.com(item)
        if any(camera.id == item for camera in self.scene.cameras):
            return camera_position(self.scene, self.world.station, item, t, self.world.com)
        return np.array(self.world.station.fixture(item).position, dtype=float)


def _missed(catch: _Catch, why: str) -> None:
    catch.outcome.outcome = IMPOSSIBLE
    catch.outcome.distance = catch.closest
    catch.outcome.details = {"closest_time": catch.closest_time}
    catch.outcome.reason = f"missed: {why}"


def _apply_impulse(model, data, body: int, impulse: np.ndarray, point: np.ndarray) -> None:
    """An instantaneous impulse at a world point on a body: q̇ += M⁻¹ Jᵀ J."""
    generalized = np.zeros(model.nv)
    mujoco.mj_applyFT(model, data, impulse, np.zeros(3), point, body, generalized)
    delta = np.zeros(model.nv)
    mujoco.mj_solveM(model, data, delta.reshape(1, -1), generalized.reshape(1, -1))
    data.qvel[:] += delta


def _recoil(
    model,
    data,
    root_dof: int,
    body: int,
    impulse: np.ndarray,
    point: np.ndarray,
    couple: np.ndarray | None = None,
) -> None:
    """The thrower's recoil: the whole body takes the impulse at the hand, joints unchanged.

    Solving with the root's 6x6 block of the mass matrix (the composite inertia of the whole
    body) changes the actor's momentum by exactly ``impulse`` and its angular momentum about
    the centre of mass by exactly (hand - COM) x impulse (plus ``couple``), as for a rigid
    body; the arm does not snap back, which keeps the integrator's momentum error at
    round-off.
    """
    generalized = np.zeros(model.nv)
    twist = np.zeros(3) if couple is None else np.asarray(couple, dtype=float)
    mujoco.mj_applyFT(model, data, impulse, twist, point, body, generalized)
    block = np.zeros((6, 6))
    unit = np.zeros(model.nv)
    column = np.zeros(model.nv)
    for k in range(6):
        unit[:] = 0.0
        unit[root_dof + k] = 1.0
        mujoco.mj_mulM(model, data, column, unit)
        block[:, k] = column[root_dof : root_dof + 6]
    rates = np.linalg.solve(block, generalized[root_dof : root_dof + 6])
    data.qvel[root_dof : root_dof + 6] += rates


def _segment_limb(limb: str) -> tuple[str, ...]:
    return ("left_foot", "right_foot") if limb == "feet" else (limb,)


def _limb_words(limb: str) -> str:
    return {"feet": "the feet", "both_hands": "both hands"}.get(
        limb, f"the {limb.split('_')[0]} hand"
    )


def _segment_words(segment: str) -> str:
    words = {"lower_trunk": "harness", "left_forearm": "left wrist", "right_forearm": "right wrist",
             "left_shank": "left ankle", "right_shank": "right ankle"}  # fmt: skip
    return words.get(segment, segment.replace("_", " "))


def _metres(distance: float) -> str:
    if math.isinf(distance) or distance >= SEARCH_MARGIN:
        return f"more than {SEARCH_MARGIN:g} m"
    return f"{distance:.2f} m"


def _timing(offset: float) -> str:
    if abs(offset) < 0.02:
        return "on cue"
    return f"{abs(offset):.2f} s {'late' if offset > 0 else 'early'}"
