"""Articulated actors inside a scene's MuJoCo world: building them and finding their parts.

:func:`add_actor` puts one humanoid into the world spec with the scene's contact material and
cabin-air drag, and declares (inactive) everything the actor's cues may switch on during the
bake: a hold constraint per hand and foot, a grip weld per hand and prop the cues hand over,
a grip weld per hand and segment of a person the cues take hold of, a tether per
``tether`` cue. :class:`ActorRig` is the compiled actor's address book: bodies, geoms,
joints, servos, constraints and the points hands grip with.

Contacts: each humanoid's geoms carry a contact bit of their own (``contype``) and accept
every bit (``conaffinity``), so everything collides as before; while a hand grips a person,
that arm's hand and forearm stop offering any bit and stop accepting the held person's, so
the hand and the person it holds do not push each other apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import mujoco
import numpy as np

from see1previs.core.poses import pose_angles
from see1previs.core.scene import Actor, CatchCue, GrabCue, Scene, TetherCue
from see1previs.physics.humanoid import Humanoid, add_humanoid, posture_targets, tune_servos
from see1previs.station.model import Station

LIMB_SEGMENTS = {
    "left_hand": "left_hand",
    "right_hand": "right_hand",
    "left_foot": "left_foot",
    "right_foot": "right_foot",
}
GRIP_FRACTION = 0.6  # the grip point sits this far down the hand from the wrist
HARNESS_SEGMENT = "lower_trunk"
HOLD_SOLREF = (0.05, 1.0)  # a hand closing on a handrail: firm, not instant
PERSON_GRIP_SOLREF = (0.02, 1.0)  # a hand holding a person: closes with no gap to take up
GRIP_PARTS = {  # grab/catch "part" -> the segment of the held person
    "left_wrist": "left_forearm",
    "right_wrist": "right_forearm",
    "harness": "lower_trunk",
    "left_ankle": "left_shank",
    "right_ankle": "right_shank",
}
ALL_CONTACT_BITS = (1 << 31) - 1


@dataclass
class ActorRig:
    """Where one articulated actor lives in the compiled model."""

    actor: Actor
    humanoid: Humanoid
    root: int  # body id of the pelvis
    bodies: list[int] = field(default_factory=list)  # every segment body id
    links: list[str] = field(default_factory=list)  # segment body names, same order
    limb_body: dict[str, int] = field(default_factory=dict)  # "left_hand" -> body id
    limb_geoms: dict[str, list[int]] = field(default_factory=dict)
    grip_local: dict[str, np.ndarray] = field(default_factory=dict)  # hand grip, body frame
    hold_eq: dict[str, int] = field(default_factory=dict)  # limb -> equality id (to world)
    grip_eq: dict[tuple[str, str], int] = field(default_factory=dict)  # (hand, target) -> eq
    # (hand, person, segment) -> weld equality id
    person_grip_eq: dict[tuple[str, str, str], int] = field(default_factory=dict)
    arm_geoms: dict[str, list[int]] = field(default_factory=dict)  # hand -> hand + forearm
    segment_geoms: dict[str, list[int]] = field(default_factory=dict)  # "left_shank" -> geoms
    contact_bit: int = 1
    tether_tendon: dict[str, int] = field(default_factory=dict)  # cue id -> tendon id
    joint_qpos: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    actuators: np.ndarray = field(default_factory=lambda: np.zeros(0, int))

    @property
    def id(self) -> str:
        return self.actor.id

    def posture_targets(self, pose: str, overrides: dict[str, float]) -> np.ndarray:
        """Servo targets (radians) for a library pose with overrides, in actuator order."""
        return posture_targets(self.humanoid, pose_angles(pose, overrides))

    def total_mass(self, model: mujoco.MjModel) -> float:
        return float(model.body_subtreemass[self.root])

    def grip_point(self, data: mujoco.MjData, hand: str) -> np.ndarray:
        body = self.limb_body[hand]
        rotation = data.xmat[body].reshape(3, 3)
        return data.xpos[body] + rotation @ self.grip_local[hand]


def add_actor(
    spec: mujoco.MjSpec,
    actor: Actor,
    scene: Scene,
    station: Station,
    geom_kwargs: dict,
) -> Humanoid:
    """Add ``actor`` as a humanoid, with its cue constraints declared but inactive."""
    human = add_humanoid(
        spec,
        actor.id,
        actor.height,
        actor.mass,
        position=actor.pose.position,
        orientation=actor.pose.orientation,
    )
    prefix = f"{actor.id}/"
    spec.body(human.root).sleep = mujoco.mjtSleepPolicy.mjSLEEP_NEVER
    for geom in spec.geoms:
        if geom.name.startswith(prefix):
            for key, value in geom_kwargs.items():
                setattr(geom, key, value)
    for limb, segment in LIMB_SEGMENTS.items():
        kind = mujoco.mjtEq.mjEQ_CONNECT if limb.endswith("hand") else mujoco.mjtEq.mjEQ_WELD
        equality = spec.add_equality(
            name=f"{prefix}hold/{limb}",
            type=kind,
            objtype=mujoco.mjtObj.mjOBJ_BODY,
            name1=f"{prefix}{segment}",
            name2="world",
        )
        equality.active = False
        equality.solref = list(HOLD_SOLREF)
    bit = contact_bit(scene, actor.id)
    for geom in spec.geoms:
        if geom.name.startswith(prefix):
            geom.contype = bit
            geom.conaffinity = ALL_CONTACT_BITS
    for target, hand in _grip_pairs(scene, actor.id):
        target_body = target if target in {p.id for p in scene.props} else None
        if target_body is None:
            other = next((a for a in scene.actors if a.id == target), None)
            if other is None:
                continue
            if other.body == "humanoid":  # a person: held at the hand, by any segment
                for segment in SEGMENT_NAMES:
                    grip = spec.add_equality(
                        name=f"{prefix}grip/{hand}/{target}/{segment}",
                        type=mujoco.mjtEq.mjEQ_WELD,
                        objtype=mujoco.mjtObj.mjOBJ_BODY,
                        name1=f"{prefix}{hand}",
                        name2=f"{target}/{segment}",
                    )
                    grip.active = False
                    grip.solref = list(PERSON_GRIP_SOLREF)
                continue
            target_body = target
        equality = spec.add_equality(
            name=f"{prefix}grip/{hand}/{target}",
            type=mujoco.mjtEq.mjEQ_WELD,
            objtype=mujoco.mjtObj.mjOBJ_BODY,
            name1=f"{prefix}{hand}",
            name2=target_body,
        )
        equality.active = False
        equality.solref = list(HOLD_SOLREF)
    harness = spec.body(f"{prefix}{HARNESS_SEGMENT}")
    harness.add_site(name=f"{prefix}harness", pos=[0.0, 0.0, 0.05 * actor.height])
    fixtures = {f.id: f for f in station.fixtures}
    for cue in scene.cues:
        if isinstance(cue, TetherCue) and cue.actor == actor.id and cue.fixture in fixtures:
            anchor = spec.worldbody.add_site(
                name=f"{prefix}tether/{cue.id}/anchor", pos=list(fixtures[cue.fixture].position)
            )
            tendon = spec.add_tendon(
                name=f"{prefix}tether/{cue.id}",
                limited=mujoco.mjtLimited.mjLIMITED_TRUE,
                range=[0.0, UNCLIPPED_LENGTH],
            )
            tendon.wrap_site(f"{prefix}harness")
            tendon.wrap_site(anchor.name)
    return human


UNCLIPPED_LENGTH = 100.0  # m: a tether's range before it is clipped (never reached)
SEGMENT_NAMES = (
    "lower_trunk", "middle_trunk", "upper_trunk", "head",
    *(f"{side}_{part}" for side in ("left", "right")
      for part in ("upper_arm", "forearm", "hand", "thigh", "shank", "foot")),
)  # fmt: skip


def contact_bit(scene: Scene, actor_id: str) -> int:
    """The humanoid's own contact bit: bit 0 is everything else, bits 1-30 the actors (more
    than 30 actors share bits, so a gripping hand also passes through the sharers)."""
    humans = [a.id for a in scene.actors if a.body == "humanoid"]
    return 1 << (1 + humans.index(actor_id) % 30)


def _grip_pairs(scene: Scene, actor_id: str) -> list[tuple[str, str]]:
    pairs = []
    for cue in scene.cues:
        if isinstance(cue, GrabCue | CatchCue) and cue.actor == actor_id:
            pair = (cue.target, f"{cue.hand}_hand")
            if pair not in pairs:
                pairs.append(pair)
    return pairs


def compile_rig(model: mujoco.MjModel, actor: Actor, human: Humanoid) -> ActorRig:
    """Find the compiled actor's parts and tune its servos."""
    tune_servos(model, human)
    prefix = f"{actor.id}/"
    root = model.body(human.root).id
    rig = ActorRig(actor=actor, humanoid=human, root=root)
    for body in range(model.nbody):
        name = model.body(body).name
        if name.startswith(prefix):
            rig.bodies.append(body)
            rig.links.append(name)
    for limb, segment in LIMB_SEGMENTS.items():
        body = model.body(f"{prefix}{segment}").id
        rig.limb_body[limb] = body
        rig.limb_geoms[limb] = [g for g in range(model.ngeom) if model.geom_bodyid[g] == body]
        rig.hold_eq[limb] = model.equality(f"{prefix}hold/{limb}").id
    for hand in ("left_hand", "right_hand"):
        geom = rig.limb_geoms[hand][0]
        half = model.geom_size[geom, 1]
        # The hand capsule hangs from the wrist along -z: grip near its far end.
        rig.grip_local[hand] = model.geom_pos[geom] + np.array(
            [0.0, 0.0, -(2.0 * GRIP_FRACTION - 1.0) * half]
        )
    for hand in ("left_hand", "right_hand"):
        forearm = model.body(f"{prefix}{hand.split('_')[0]}_forearm").id
        rig.arm_geoms[hand] = rig.limb_geoms[hand] + [
            g for g in range(model.ngeom) if model.geom_bodyid[g] == forearm
        ]
    for segment in SEGMENT_NAMES:
        body = model.body(f"{prefix}{segment}").id
        rig.segment_geoms[segment] = [g for g in range(model.ngeom) if model.geom_bodyid[g] == body]
    rig.contact_bit = int(model.geom_contype[rig.limb_geoms["left_hand"][0]])
    for eq in range(model.neq):
        name = model.equality(eq).name
        if name.startswith(f"{prefix}grip/"):
            parts = name.split("/")  # ids hold no "/"
            if len(parts) == 5:  # actor/grip/hand/person/segment
                rig.person_grip_eq[(parts[2], parts[3], parts[4])] = eq
            else:
                _, _, hand, target = name.split("/", 3)
                rig.grip_eq[(hand, target)] = eq
    for tendon in range(model.ntendon):
        name = model.tendon(tendon).name
        if name.startswith(f"{prefix}tether/"):
            rig.tether_tendon[name.split("/", 2)[2]] = tendon
    rig.joint_qpos = human.joint_qpos_addresses(model)
    rig.actuators = human.actuator_ids(model)
    return rig
