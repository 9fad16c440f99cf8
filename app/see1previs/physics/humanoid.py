"""Articulated humanoid bodies for actors, built with MjSpec from height and mass.

Sixteen segments from :mod:`see1previs.physics.anthropometry` (de Leva 1996): head, upper,
middle and lower trunk, and on each side upper arm, forearm, hand, thigh, shank and foot.
The lower trunk (pelvis) is the root; every other segment hangs off its parent by hinge
joints with human ranges of motion, each driven by a position servo, so a pose change moves
limbs through real torques and the body reacts (an arm circled in free float turns the
torso). Segments collide with everything except their own neighbours.

Body frame (standing, anatomical position): +Z toward the head, +X forward (anterior), +Y
to the person's left; the root's origin is the midpoint between the hip joint centres. Joint
angles are in degrees at the API and radians in MuJoCo; positive is flexion, abduction and
external rotation, plantarflexion for the ankle.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import mujoco
import numpy as np

from see1previs.core.poses import JOINT_RANGES_DEG, POSES
from see1previs.physics.anthropometry import Segment, scaled_segments

ANKLE_HEIGHT = 0.039  # × stature: ankle joint above the sole
SHOULDER_HALF_WIDTH = 0.105  # × stature: shoulder joint centre from the midline
HIP_HALF_WIDTH = 0.05  # × stature: hip joint centre from the midline
SHOULDER_DROP = 0.012  # × stature: shoulder joint below the top of the upper trunk
SEGMENT_DENSITY = 1050.0  # kg/m³, for capsule radii only (masses come from the table)
SERVO_FREQUENCY_HZ = 3.0  # how briskly the pose servos follow their targets
SERVO_DAMPING = 1.0  # critically damped


@dataclass(frozen=True)
class JointSpec:
    name: str  # e.g. "left_shoulder_flexion"
    axis: tuple[float, float, float]
    range_deg: tuple[float, float]


# Joint axes in the child's frame, per movement. Ranges come from the core's joint table.
# Left/right mirror y and the sign of abduction / rotation axes so positive angles mean the
# same movement on both sides.
def _joints(side: str, prefix: str, axes) -> list[JointSpec]:
    mirror = 1.0 if side == "left" else -1.0
    out = []
    for name, axis in axes:
        x, y, z = axis
        if name in ("abduction", "rotation", "lateral", "twist"):
            x, z = x * mirror, z * mirror
        out.append(JointSpec(f"{prefix}_{name}", (x, y, z), JOINT_RANGES_DEG[f"{prefix}_{name}"]))
    return out


SPINE = (("flexion", (0.0, 1.0, 0.0)), ("lateral", (1.0, 0.0, 0.0)), ("twist", (0.0, 0.0, 1.0)))
NECK = SPINE
SHOULDER = (
    ("flexion", (0.0, -1.0, 0.0)),
    ("abduction", (1.0, 0.0, 0.0)),
    ("rotation", (0.0, 0.0, 1.0)),
)
ELBOW = (("flexion", (0.0, -1.0, 0.0)),)
WRIST = (("flexion", (0.0, 1.0, 0.0)),)
HIP = SHOULDER
KNEE = (("flexion", (0.0, 1.0, 0.0)),)
ANKLE = (("plantarflexion", (0.0, 1.0, 0.0)),)

NEUTRAL_BODY_POSTURE_DEG = POSES["neutral"]


@dataclass
class Humanoid:
    """Names and addresses of one humanoid inside a compiled model."""

    prefix: str
    root: str  # root body name
    joints: list[str]  # hinge joint names, in build order
    actuators: list[str]  # one position servo per hinge, same order

    def joint_qpos_addresses(self, model: mujoco.MjModel) -> np.ndarray:
        return np.array([model.joint(name).qposadr[0] for name in self.joints])

    def actuator_ids(self, model: mujoco.MjModel) -> np.ndarray:
        return np.array([model.actuator(name).id for name in self.actuators])


def add_humanoid(
    spec: mujoco.MjSpec,
    prefix: str,
    height: float,
    mass: float,
    position=(0.0, 0.0, 0.0),
    orientation=(1.0, 0.0, 0.0, 0.0),
    *,
    _exclusions: bool = True,
) -> Humanoid:
    """Add a free-floating humanoid ``height`` m tall and ``mass`` kg to ``spec``."""
    seg = scaled_segments(height, mass)
    human = Humanoid(prefix=prefix, root=f"{prefix}/lower_trunk", joints=[], actuators=[])

    def body(parent, name: str, pos, segment: Segment, com, capsule, joints: list[JointSpec]):
        child = parent.add_body(name=f"{prefix}/{name}", pos=list(pos))
        child.explicitinertial = True
        child.mass = segment.mass
        child.ipos = list(com)
        child.inertia = list(_oriented_inertia(segment, name))
        for joint in joints:
            lo, hi = joint.range_deg
            child.add_joint(
                name=f"{prefix}/{joint.name}",
                type=mujoco.mjtJoint.mjJNT_HINGE,
                axis=list(joint.axis),
                # MjSpec reads joint ranges in the compiler's angle unit (degrees by default).
                range=[lo, hi] if spec.compiler.degree else [math.radians(lo), math.radians(hi)],
                limited=mujoco.mjtLimited.mjLIMITED_TRUE,
            )
            human.joints.append(f"{prefix}/{joint.name}")
        start, end = capsule
        radius = _capsule_radius(segment)
        child.add_geom(
            name=f"{prefix}/{name}",
            type=mujoco.mjtGeom.mjGEOM_CAPSULE,
            fromto=[*start, *end],
            size=[radius, 0.0, 0.0],
            mass=0.0,
        )
        return child

    lt, mt, ut, hd = seg["lower_trunk"], seg["middle_trunk"], seg["upper_trunk"], seg["head"]
    ankle = ANKLE_HEIGHT * height
    neck = height - (
        ankle
        + seg["shank"].length
        + seg["thigh"].length
        + lt.length
        + mt.length
        + ut.length
        + hd.length
    )
    root = spec.worldbody.add_body(name=human.root, pos=list(position), quat=list(orientation))
    root.add_freejoint(name=f"{prefix}/root")
    root.explicitinertial = True
    root.mass = lt.mass
    root.ipos = [0.0, 0.0, (1.0 - lt.com_fraction) * lt.length]
    root.inertia = list(_oriented_inertia(lt, "lower_trunk"))
    root.add_geom(
        name=f"{prefix}/lower_trunk",
        type=mujoco.mjtGeom.mjGEOM_CAPSULE,
        fromto=[
            0.0,
            -HIP_HALF_WIDTH * height,
            0.5 * lt.length,
            0.0,
            HIP_HALF_WIDTH * height,
            0.5 * lt.length,
        ],
        size=[_capsule_radius(lt, across=2 * HIP_HALF_WIDTH * height), 0.0, 0.0],
        mass=0.0,
    )

    def up(segment: Segment):
        """COM and capsule of a segment rising from its body origin (cranial end on top)."""
        com = (0.0, 0.0, (1.0 - segment.com_fraction) * segment.length)
        return com, ((0.0, 0.0, 0.0), (0.0, 0.0, segment.length))

    def down(segment: Segment):
        """COM and capsule of a limb hanging from its joint (proximal end on top)."""
        com = (0.0, 0.0, -segment.com_fraction * segment.length)
        return com, ((0.0, 0.0, 0.0), (0.0, 0.0, -segment.length))

    middle = body(
        root, "middle_trunk", (0, 0, lt.length), mt, *up(mt), _joints("left", "lumbar", SPINE)
    )
    upper = body(
        middle, "upper_trunk", (0, 0, mt.length), ut, *up(ut), _joints("left", "thoracic", SPINE)
    )
    head_com, head_capsule = up(hd)
    body(
        upper,
        "head",
        (0, 0, ut.length + neck),
        hd,
        head_com,
        head_capsule,
        _joints("left", "neck", NECK),
    )
    for side, sign in (("left", 1.0), ("right", -1.0)):
        ua, fa, ha = seg["upper_arm"], seg["forearm"], seg["hand"]
        shoulder = (0.0, sign * SHOULDER_HALF_WIDTH * height, ut.length - SHOULDER_DROP * height)
        arm = body(
            upper,
            f"{side}_upper_arm",
            shoulder,
            ua,
            *down(ua),
            _joints(side, f"{side}_shoulder", SHOULDER),
        )
        fore = body(
            arm,
            f"{side}_forearm",
            (0, 0, -ua.length),
            fa,
            *down(fa),
            _joints(side, f"{side}_elbow", ELBOW),
        )
        body(
            fore,
            f"{side}_hand",
            (0, 0, -fa.length),
            ha,
            *down(ha),
            _joints(side, f"{side}_wrist", WRIST),
        )
        th, sh, ft = seg["thigh"], seg["shank"], seg["foot"]
        hip = (0.0, sign * HIP_HALF_WIDTH * height, 0.0)
        thigh = body(root, f"{side}_thigh", hip, th, *down(th), _joints(side, f"{side}_hip", HIP))
        shank = body(
            thigh,
            f"{side}_shank",
            (0, 0, -th.length),
            sh,
            *down(sh),
            _joints(side, f"{side}_knee", KNEE),
        )
        heel = -0.25 * ft.length
        foot_com = (heel + ft.com_fraction * ft.length, 0.0, -0.6 * ankle)
        foot_capsule = ((heel, 0.0, -0.6 * ankle), (heel + ft.length, 0.0, -0.6 * ankle))
        body(
            shank,
            f"{side}_foot",
            (0, 0, -sh.length),
            ft,
            foot_com,
            foot_capsule,
            _joints(side, f"{side}_ankle", ANKLE),
        )

    # Segments that touch in the anatomical pose (neighbours at their joints, arms against
    # the torso, thigh against thigh) must not push each other apart; all others collide.
    for first, second in touching_segments(height, mass) if _exclusions else ():
        spec.add_exclude(bodyname1=f"{prefix}/{first}", bodyname2=f"{prefix}/{second}")
    for joint in human.joints:
        actuator = spec.add_actuator(name=f"{joint}/servo", target=joint)
        actuator.trntype = mujoco.mjtTrn.mjTRN_JOINT
        human.actuators.append(f"{joint}/servo")
    return human


def tune_servos(model: mujoco.MjModel, human: Humanoid) -> None:
    """Set each servo's stiffness and damping from the inertia it moves (after compiling).

    In free float a joint moves both sides of the body against each other, so the inertia it
    feels is the effective one, 1/(M⁻¹)ᵢᵢ, often far less than either side alone (a light
    pelvis between the legs and the trunk). Tuning every servo to the same natural
    frequency on that inertia makes a hand and a whole leg settle alike and keeps the
    coupled system well inside what RK4 at the physics step integrates stably.
    """
    data = mujoco.MjData(model)
    mujoco.mj_forward(model, data)
    omega = 2.0 * math.pi * SERVO_FREQUENCY_HZ
    for joint, actuator in zip(human.joints, human.actuators, strict=True):
        dof = model.joint(joint).dofadr[0]
        unit = np.zeros((1, model.nv))
        unit[0, dof] = 1.0
        response = np.zeros((1, model.nv))
        mujoco.mj_solveM(model, data, response, unit)
        inertia = 1.0 / float(response[0, dof])
        kp = inertia * omega**2
        kv = 2.0 * SERVO_DAMPING * inertia * omega
        a = model.actuator(actuator).id
        model.actuator_gainprm[a, 0] = kp
        model.actuator_biasprm[a, :3] = [0.0, -kp, -kv]
        model.actuator_gaintype[a] = mujoco.mjtGain.mjGAIN_FIXED
        model.actuator_biastype[a] = mujoco.mjtBias.mjBIAS_AFFINE


def posture_targets(human: Humanoid, pose_deg: dict[str, float]) -> np.ndarray:
    """Servo targets (radians) for a pose given as {joint short name: degrees}."""
    targets = np.zeros(len(human.joints))
    for index, joint in enumerate(human.joints):
        short = joint.split("/", 1)[1]
        targets[index] = math.radians(pose_deg.get(short, 0.0))
    return targets


@functools.lru_cache(maxsize=32)
def touching_segments(height: float, mass: float) -> tuple[tuple[str, str], ...]:
    """Segment pairs whose capsules touch or overlap with all joints at zero.

    Worked out on a model holding nothing but this one body (the answer depends only on
    height and mass), so it costs milliseconds however big the scene is.
    """
    probe = mujoco.MjSpec()
    probe.option.disableflags |= int(mujoco.mjtDisableBit.mjDSBL_FILTERPARENT)
    add_humanoid(probe, "probe", height, mass, _exclusions=False)
    model = probe.compile()
    data = mujoco.MjData(model)
    mujoco.mj_forward(model, data)
    margin = 0.01
    names = [model.body(model.geom_bodyid[g]).name.split("/", 1)[1] for g in range(model.ngeom)]
    pairs = set()
    for geom1 in range(model.ngeom):
        for geom2 in range(geom1 + 1, model.ngeom):
            if model.geom_bodyid[geom1] == model.geom_bodyid[geom2]:
                continue
            distance = mujoco.mj_geomDistance(model, data, geom1, geom2, margin, None)
            if distance < margin:
                pairs.add(tuple(sorted((names[geom1], names[geom2]))))
    return tuple(sorted(pairs))


def _oriented_inertia(segment: Segment, name: str) -> tuple[float, float, float]:
    """Principal moments in the body frame; the foot's long axis is +X, not +Z."""
    sagittal, transverse, longitudinal = segment.inertia
    if name.endswith("foot"):
        return (longitudinal, transverse, sagittal)
    return (sagittal, transverse, longitudinal)


def _capsule_radius(segment: Segment, across: float | None = None) -> float:
    """Radius of a capsule with the segment's volume at body density (for contact only)."""
    length = across if across is not None else segment.length
    volume = segment.mass / SEGMENT_DENSITY
    return max(0.02, math.sqrt(volume / (math.pi * max(length, 1e-3))))
