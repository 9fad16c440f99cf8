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
from see1previs.physics.joint_strength import joint_torque_limits

ANKLE_HEIGHT = 0.039  # × stature: ankle joint above the sole
SHOULDER_HALF_WIDTH = 0.105  # × stature: shoulder joint centre from the midline
HIP_HALF_WIDTH = 0.05  # × stature: hip joint centre from the midline
SHOULDER_DROP = 0.012  # × stature: shoulder joint below the top of the upper trunk
SEGMENT_DENSITY = 1050.0  # kg/m³, for capsule radii only (masses come from the table)
FULL_STRENGTH_ERROR_DEG = 10.0  # a servo pushes with the person's full strength this far off
SERVO_DAMPING = 1.0  # critically damped
SERVO_MAX_RATE = 400.0  # rad/s: the fastest servo mode (1.2 × 1/step at 2 ms; RK4 is stable
#                          to 2.8; 4 ms steps stay inside it too)


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
    height: float = 1.75  # m, the person's stature
    mass: float = 70.0  # kg

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
    human = Humanoid(
        prefix=prefix,
        root=f"{prefix}/lower_trunk",
        joints=[],
        actuators=[],
        height=height,
        mass=mass,
    )

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
    """Set each servo's strength, stiffness and damping (after compiling).

    Strength: the servo's torque is clamped to the person's peak joint torque in each
    direction (:mod:`see1previs.physics.joint_strength`), so a pose is held against every
    load a person can resist and given up against larger ones. Stiffness: the servo
    reaches that torque when the joint is ``FULL_STRENGTH_ERROR_DEG`` off its target.
    Damping and the limit on how fast a servo may be: see :func:`servo_tuning`.
    """
    kp, kv, negative, positive = servo_tuning(human.height, human.mass)
    for index, actuator in enumerate(human.actuators):
        a = model.actuator(actuator).id
        model.actuator_gainprm[a, 0] = kp[index]
        model.actuator_biasprm[a, :3] = [0.0, -kp[index], -kv[index]]
        model.actuator_gaintype[a] = mujoco.mjtGain.mjGAIN_FIXED
        model.actuator_biastype[a] = mujoco.mjtBias.mjBIAS_AFFINE
        model.actuator_forcelimited[a] = 1
        model.actuator_forcerange[a] = [-negative[index], positive[index]]


@functools.lru_cache(maxsize=32)
def servo_tuning(
    height: float, mass: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per joint, in build order: servo stiffness, damping and torque limits (magnitudes
    toward negative and positive angles).

    Damping is critical on the inertia the joint feels in free float, 1/(M⁻¹)ᵢᵢ: a joint
    moves both sides of the body against each other, often far less than either side alone
    (a light pelvis between the legs and the trunk). That inertia depends on the pose (an
    arm raised sideways leaves shoulder flexion very little to move), so each joint is
    tuned on its smallest over the pose library. Joints in a row (the shoulder's three
    hinges) couple into faster modes than any one alone, so the whole body's servo system
    is then checked pose by pose and softened until no mode is faster than
    ``SERVO_MAX_RATE``: RK4 at the physics step integrates it stably.

    Worked out on a model holding nothing but this one body (the answer depends only on
    height and mass), once per process.
    """
    probe = mujoco.MjSpec()
    human = add_humanoid(probe, "probe", height, mass, _exclusions=False)
    model = _compile_alone(probe)
    limits = joint_torque_limits(height, mass)
    names = [joint.split("/", 1)[1] for joint in human.joints]
    negative = np.array([limits[name][0] for name in names])
    positive = np.array([limits[name][1] for name in names])
    full_error = math.radians(FULL_STRENGTH_ERROR_DEG)
    masses = _pose_mass_matrices(model, human)
    inertia = np.min([1.0 / np.diag(np.linalg.inv(m))[6:] for m in masses], axis=0)
    kp = np.minimum(np.minimum(negative, positive) / full_error, inertia * SERVO_MAX_RATE**2)
    kv = 2.0 * SERVO_DAMPING * np.sqrt(kp * inertia)
    for _ in range(100):  # soften the joints that take part in the fastest mode
        rate, joints = max((_fastest_mode(m, kp, kv) for m in masses), key=lambda mode: mode[0])
        if rate <= SERVO_MAX_RATE:
            break
        scale = max(0.8, SERVO_MAX_RATE / rate)
        kp[joints] *= scale
        kv[joints] *= scale
    for array in (kp, kv, negative, positive):
        array.flags.writeable = False  # shared by every actor of this size
    return kp, kv, negative, positive


def _compile_alone(spec: mujoco.MjSpec) -> mujoco.MjModel:
    """Compile a probe model. MuJoCo's compiler calls a process-wide passive-force callback
    on a model Python cannot see; a bare probe needs none."""
    callback = mujoco.get_mjcb_passive()
    mujoco.set_mjcb_passive(None)
    try:
        return spec.compile()
    finally:
        mujoco.set_mjcb_passive(callback)


def _pose_mass_matrices(model: mujoco.MjModel, human: Humanoid) -> list[np.ndarray]:
    """The actor's own mass matrix (root then joints) in the anatomical and library poses."""
    data = mujoco.MjData(model)
    addresses = human.joint_qpos_addresses(model)
    root = model.joint(f"{human.prefix}/root").dofadr[0]
    dofs = np.concatenate(
        [root + np.arange(6), [model.joint(name).dofadr[0] for name in human.joints]]
    )
    full = np.zeros((model.nv, model.nv))
    out = []
    for pose in (None, *POSES):
        data.qpos[:] = model.qpos0
        if pose is not None:
            data.qpos[addresses] = posture_targets(human, POSES[pose])
        mujoco.mj_forward(model, data)
        mujoco.mj_fullM(model, data, full)
        out.append(full[np.ix_(dofs, dofs)].copy())
    return out


def _fastest_mode(mass: np.ndarray, kp: np.ndarray, kv: np.ndarray) -> tuple[float, np.ndarray]:
    """The servo-driven body linearised about a pose: its fastest mode's rate (largest
    |eigenvalue|, rad/s) and the joints that move in it."""
    n = len(mass)
    stiffness = np.zeros((n, n))
    damping = np.zeros((n, n))
    stiffness[6:, 6:] = np.diag(kp)
    damping[6:, 6:] = np.diag(kv)
    inverse = np.linalg.inv(mass)
    system = np.block([[np.zeros((n, n)), np.eye(n)], [-inverse @ stiffness, -inverse @ damping]])
    values, vectors = np.linalg.eig(system)
    fastest = int(np.argmax(np.abs(values)))
    rates = np.abs(vectors[n + 6 :, fastest])  # joint rates in that mode
    return float(np.abs(values[fastest])), np.nonzero(rates >= 0.2 * rates.max())[0]


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
    model = _compile_alone(probe)
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
