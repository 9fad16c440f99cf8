"""How much torque a person can produce at each joint: the limit of an actor's pose servos.

Peak isometric (maximum voluntary) joint torques for a young adult man, per joint and
direction, scaled to the actor's body weight × height (the normalisation the lower-limb
source uses). A pose servo never pushes harder than this, so a pose the loads would need
more for (a tuck held while spinning fast) is not held, and the bake says so.

Sources:

- Hip, knee and ankle: **Anderson, D. E., Madigan, M. L. & Nussbaum, M. A. (2007), "Maximum
  voluntary joint torque as a function of joint angle and angular velocity: model
  development and application to the lower limb", Journal of Biomechanics 40(14):3105-3113**,
  table 3, young men (18-25), coefficient C1: peak isometric torque / (body mass × g × height).
- Shoulder, elbow, wrist and lumbar spine: the whole-body torque set of **Millard, M.,
  Emonds, A. L., Harant, M. & Mombaur, K. (2019), "A reduced muscle model and planar
  musculoskeletal model fit for the synthesis of whole body movements", Journal of
  Biomechanics 89:11-20** (Jackson 2010; Kentel et al. 2011, J Appl Biomech 27:345;
  Raschke & Chaffin 1996, J Biomech 29:1597; Beimborn & Morrissey 1988, Spine 13:655),
  measured on a 69.6 kg, 1.732 m male gymnast. Normalised by his body weight × height and
  brought to Anderson's young men by the ratio of the two sources' hip and knee torques
  (the joints both measured), so no joint is a gymnast's.
- Neck: **Fice, J. B., Siegmund, G. P. & Blouin, J.-S. (2014), "Prediction of
  three-dimensional maximum isometric neck strength", Annals of Biomedical Engineering
  42(9), doi:10.1007/s10439-014-1046-0**: flexion 30, extension 51, lateral bending 32, axial
  rotation 13 N·m (nine men, 29 years), used as measured (not scaled).

Directions the sources do not measure take the weaker direction of a neighbouring
movement of the same joint: spine lateral bending and twist the lumbar flexion torque, hip
abduction and rotation the hip flexion torque, shoulder abduction the horizontal
ab/adduction torques.
"""

from __future__ import annotations

G = 9.81  # m/s², the normalisation's gravity

# Anderson et al. 2007, table 3, young men: C1 = peak torque / (m·g·h).
ANDERSON_YOUNG_MEN = {
    "hip_extension": 0.161,
    "hip_flexion": 0.113,
    "knee_extension": 0.163,
    "knee_flexion": 0.087,
    "ankle_plantarflexion": 0.095,
    "ankle_dorsiflexion": 0.033,
}

# Millard et al. 2019, maximum active isometric torques of the whole-body set (N·m).
GYMNAST_MASS_KG, GYMNAST_HEIGHT_M = 69.6, 1.732
GYMNAST_NM = {
    "hip_extension": 175.746,
    "hip_flexion": 157.293,
    "knee_extension": 285.619,
    "knee_flexion": 98.7579,
    "shoulder_extension": 127.401,
    "shoulder_flexion": 91.1388,
    "shoulder_horizontal_adduction": 128.496,
    "shoulder_horizontal_abduction": 94.6839,
    "shoulder_internal_rotation": 50.522,
    "shoulder_external_rotation": 43.5837,
    "elbow_flexion": 101.384,
    "elbow_extension": 69.8728,
    "wrist_flexion": 39.2252,
    "wrist_extension": 15.5653,
    "lumbar_extension": 687.864,
    "lumbar_flexion": 211.65,
}

# Fice et al. 2014, nine men (N·m).
NECK_NM = {"flexion": 30.0, "extension": 51.0, "lateral": 32.0, "twist": 13.0}


def _gymnast_to_young_men() -> float:
    """Ratio of Anderson's young men to the gymnast over the joints both sources measured."""
    weight_height = GYMNAST_MASS_KG * G * GYMNAST_HEIGHT_M
    shared = ("hip_extension", "hip_flexion", "knee_extension", "knee_flexion")
    anderson = sum(ANDERSON_YOUNG_MEN[name] * weight_height for name in shared)
    return anderson / sum(GYMNAST_NM[name] for name in shared)


def joint_torque_limits(height: float, mass: float) -> dict[str, tuple[float, float]]:
    """Joint name (as in :mod:`see1previs.core.poses`) -> (negative, positive) limits, N·m.

    Both limits are magnitudes: the first is the strongest torque toward negative angles
    (extension, adduction, internal rotation, dorsiflexion), the second toward positive ones
    (flexion, abduction, external rotation, plantarflexion).
    """
    weight_height = mass * G * height
    lower = {name: c * weight_height for name, c in ANDERSON_YOUNG_MEN.items()}
    scale = _gymnast_to_young_men() * weight_height / (GYMNAST_MASS_KG * G * GYMNAST_HEIGHT_M)
    upper = {name: value * scale for name, value in GYMNAST_NM.items()}
    spine_weak = upper["lumbar_flexion"]
    hip_weak = lower["hip_flexion"]
    shoulder_side = min(
        upper["shoulder_horizontal_adduction"], upper["shoulder_horizontal_abduction"]
    )
    per_movement = {
        "lumbar_flexion": (upper["lumbar_extension"], upper["lumbar_flexion"]),
        "lumbar_lateral": (spine_weak, spine_weak),
        "lumbar_twist": (spine_weak, spine_weak),
        "neck_flexion": (NECK_NM["extension"], NECK_NM["flexion"]),
        "neck_lateral": (NECK_NM["lateral"], NECK_NM["lateral"]),
        "neck_twist": (NECK_NM["twist"], NECK_NM["twist"]),
        "shoulder_flexion": (upper["shoulder_extension"], upper["shoulder_flexion"]),
        "shoulder_abduction": (shoulder_side, shoulder_side),
        "shoulder_rotation": (
            upper["shoulder_internal_rotation"],
            upper["shoulder_external_rotation"],
        ),
        "elbow_flexion": (upper["elbow_extension"], upper["elbow_flexion"]),
        "wrist_flexion": (upper["wrist_extension"], upper["wrist_flexion"]),
        "hip_flexion": (lower["hip_extension"], lower["hip_flexion"]),
        "hip_abduction": (hip_weak, hip_weak),
        "hip_rotation": (hip_weak, hip_weak),
        "knee_flexion": (lower["knee_extension"], lower["knee_flexion"]),
        "ankle_plantarflexion": (lower["ankle_dorsiflexion"], lower["ankle_plantarflexion"]),
    }
    # The thoracic spine carries the same trunk muscles as the lumbar spine.
    for movement in ("flexion", "lateral", "twist"):
        per_movement[f"thoracic_{movement}"] = per_movement[f"lumbar_{movement}"]
    limits: dict[str, tuple[float, float]] = {}
    for movement, pair in per_movement.items():
        if movement.startswith(("lumbar", "thoracic", "neck")):
            limits[movement] = pair
        else:
            for side in ("left", "right"):
                limits[f"{side}_{movement}"] = pair
    return limits
