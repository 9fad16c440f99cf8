"""The actor's joints, their human ranges of motion, and the named pose library.

A pose is a set of joint angles in degrees, measured from the anatomical position (standing,
arms at the sides, palms forward). Positive angles are flexion, abduction, external rotation
and plantarflexion; left and right mean the same movement on both sides. Joints a pose does
not name stay at zero.

Ranges are active ranges of motion for healthy adults (AAOS *Joint Motion: Method of
Measuring and Recording*, 1965; Soucie et al. 2011, Haemophilia 17:500), rounded. The
microgravity neutral body posture is NASA-STD-3000 Vol. I §3.3.4.3 (Fig. 3.3.4.3-1), the
relaxed posture people take after a few hours in free fall.

The physics layer builds its joints from :data:`JOINT_RANGES_DEG`; the scene model validates
pose names and per-joint overrides against it, so both always agree.
"""

from __future__ import annotations

SIDES = ("left", "right")

_SPINE = {"flexion": (-30.0, 60.0), "lateral": (-30.0, 30.0), "twist": (-30.0, 30.0)}
_NECK = {"flexion": (-50.0, 60.0), "lateral": (-40.0, 40.0), "twist": (-70.0, 70.0)}
_SHOULDER = {"flexion": (-60.0, 180.0), "abduction": (-30.0, 180.0), "rotation": (-90.0, 90.0)}
_ELBOW = {"flexion": (-5.0, 150.0)}  # a little hyperextension
_WRIST = {"flexion": (-70.0, 80.0)}
_HIP = {"flexion": (-20.0, 120.0), "abduction": (-30.0, 45.0), "rotation": (-45.0, 45.0)}
_KNEE = {"flexion": (-5.0, 150.0)}
_ANKLE = {"plantarflexion": (-30.0, 50.0)}


def _table() -> dict[str, tuple[float, float]]:
    joints: dict[str, tuple[float, float]] = {}
    for group, movements in (("lumbar", _SPINE), ("thoracic", _SPINE), ("neck", _NECK)):
        for movement, limits in movements.items():
            joints[f"{group}_{movement}"] = limits
    for side in SIDES:
        for group, movements in (
            ("shoulder", _SHOULDER),
            ("elbow", _ELBOW),
            ("wrist", _WRIST),
            ("hip", _HIP),
            ("knee", _KNEE),
            ("ankle", _ANKLE),
        ):
            for movement, limits in movements.items():
                joints[f"{side}_{group}_{movement}"] = limits
    return joints


JOINT_RANGES_DEG: dict[str, tuple[float, float]] = _table()
"""Every joint of an actor by name ('left_shoulder_flexion') -> (min, max) degrees."""


def _both(**angles: float) -> dict[str, float]:
    """Angles for both sides: ``shoulder_flexion=36`` -> left_ and right_shoulder_flexion."""
    out: dict[str, float] = {}
    for name, value in angles.items():
        if name.split("_", 1)[0] in ("lumbar", "thoracic", "neck"):
            out[name] = value
        else:
            for side in SIDES:
                out[f"{side}_{name}"] = value
    return out


POSES: dict[str, dict[str, float]] = {
    # Arms float up and out, elbows and knees half bent, head tipped forward.
    "neutral": _both(
        neck_flexion=24.0,
        shoulder_flexion=36.0,
        shoulder_abduction=45.0,
        elbow_flexion=90.0,
        hip_flexion=50.0,
        hip_abduction=10.0,
        knee_flexion=50.0,
        ankle_plantarflexion=20.0,
    ),
    # Knees to the chest, arms around the shins: the fastest way to spin.
    "tuck": _both(
        neck_flexion=35.0,
        lumbar_flexion=40.0,
        thoracic_flexion=20.0,
        shoulder_flexion=60.0,
        shoulder_abduction=10.0,
        elbow_flexion=120.0,
        hip_flexion=115.0,
        knee_flexion=140.0,
        ankle_plantarflexion=30.0,
    ),
    # Arms and legs out wide: the slowest way to spin. 65° stays well clear of the
    # shoulder's gimbal singularity at 90° abduction (three hinges in a row).
    "spread": _both(
        shoulder_abduction=65.0,
        elbow_flexion=5.0,
        hip_abduction=40.0,
        knee_flexion=5.0,
    ),
    # Flying forward, arms stretched out ahead, body straight, head up.
    "superman": _both(
        neck_flexion=-30.0,
        shoulder_flexion=170.0,
        shoulder_abduction=10.0,
        elbow_flexion=5.0,
        ankle_plantarflexion=40.0,
    ),
    # Feet hooked into a foot restraint, sitting on nothing.
    "seated-in-foot-restraints": _both(
        neck_flexion=10.0,
        shoulder_flexion=20.0,
        shoulder_abduction=15.0,
        elbow_flexion=70.0,
        hip_flexion=90.0,
        knee_flexion=90.0,
    ),
    # Both arms out in front at shoulder height: ready to catch or take a handrail.
    "reach-forward": _both(
        neck_flexion=10.0,
        lumbar_flexion=10.0,
        shoulder_flexion=90.0,
        shoulder_abduction=10.0,
        elbow_flexion=10.0,
        hip_flexion=30.0,
        knee_flexion=30.0,
        ankle_plantarflexion=20.0,
    ),
    # Forearms folded across the chest.
    "arms-crossed": _both(
        neck_flexion=15.0,
        shoulder_flexion=25.0,
        shoulder_abduction=20.0,
        shoulder_rotation=-75.0,
        elbow_flexion=115.0,
        hip_flexion=40.0,
        hip_abduction=8.0,
        knee_flexion=45.0,
        ankle_plantarflexion=20.0,
    ),
}
"""The pose library: name -> joint angles in degrees (joints not named are at 0)."""

DEFAULT_POSE = "neutral"


def pose_angles(name: str, overrides: dict[str, float] | None = None) -> dict[str, float]:
    """Every joint's angle (degrees) for a library pose with per-joint overrides applied."""
    angles = dict.fromkeys(JOINT_RANGES_DEG, 0.0)
    angles.update(POSES[name])
    if overrides:
        angles.update(overrides)
    return angles


def joint_override_problems(overrides: dict[str, float]) -> list[tuple[str, str]]:
    """(joint name, message) for unknown joints and angles outside the joint's range."""
    import difflib

    problems = []
    for joint, angle in overrides.items():
        limits = JOINT_RANGES_DEG.get(joint)
        if limits is None:
            match = difflib.get_close_matches(joint, list(JOINT_RANGES_DEG), n=1)
            hint = f" (did you mean '{match[0]}'?)" if match else ""
            problems.append((joint, f"'{joint}' is not a joint of an actor{hint}"))
        elif not limits[0] <= angle <= limits[1]:
            problems.append(
                (
                    joint,
                    f"{joint} {angle:g}° is outside its human range "
                    f"({limits[0]:g}° to {limits[1]:g}°)",
                )
            )
    return problems
