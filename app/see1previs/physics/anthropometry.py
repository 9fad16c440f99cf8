"""Human segment parameters scaled from a person's height and mass.

Source: P. de Leva, "Adjustments to Zatsiorsky-Seluyanov's segment inertia parameters",
Journal of Biomechanics 29(9):1223-1230, 1996, table 4 (male reference: stature 1.741 m,
73.0 kg). For each segment: its share of body mass, its length for the reference person, the
position of its centre of mass along it (fraction from the proximal end) and its radii of
gyration about the sagittal, transverse and longitudinal axes (fractions of its length).

Scaling: lengths scale with stature, masses with body mass, radii of gyration with length.
The table is the male one; the female table differs by a few percent per segment, which is
below what blocking needs. A per-actor override belongs in the scene file once needed.
"""

from __future__ import annotations

from dataclasses import dataclass

REFERENCE_STATURE_M = 1.741
REFERENCE_MASS_KG = 73.0


@dataclass(frozen=True)
class SegmentRow:
    """One row of the table, for the reference person."""

    mass_fraction: float
    length_m: float
    com_fraction: float  # from the proximal end (toward the trunk)
    gyration: tuple[float, float, float]  # sagittal (about x), transverse (about y), long (z)


# de Leva 1996, table 4, males. Trunk split in upper / middle / lower parts.
DE_LEVA_MALE: dict[str, SegmentRow] = {
    "head": SegmentRow(0.0694, 0.2429, 0.5976, (0.362, 0.376, 0.312)),
    "upper_trunk": SegmentRow(0.1596, 0.1707, 0.2999, (0.716, 0.454, 0.659)),
    "middle_trunk": SegmentRow(0.1633, 0.2155, 0.4502, (0.482, 0.383, 0.468)),
    "lower_trunk": SegmentRow(0.1117, 0.1457, 0.6115, (0.615, 0.551, 0.587)),
    "upper_arm": SegmentRow(0.0271, 0.2817, 0.5772, (0.285, 0.269, 0.158)),
    "forearm": SegmentRow(0.0162, 0.2689, 0.4574, (0.276, 0.265, 0.121)),
    "hand": SegmentRow(0.0061, 0.0862, 0.7900, (0.628, 0.513, 0.401)),
    "thigh": SegmentRow(0.1416, 0.4222, 0.4095, (0.329, 0.329, 0.149)),
    "shank": SegmentRow(0.0433, 0.4340, 0.4459, (0.255, 0.249, 0.103)),
    "foot": SegmentRow(0.0137, 0.2581, 0.4415, (0.257, 0.245, 0.124)),
}
PAIRED = ("upper_arm", "forearm", "hand", "thigh", "shank", "foot")


@dataclass(frozen=True)
class Segment:
    """A segment scaled to one person: SI units."""

    name: str
    mass: float  # kg
    length: float  # m
    com_fraction: float
    inertia: tuple[float, float, float]  # kg·m² about the segment COM, segment axes


def scaled_segments(height_m: float, mass_kg: float) -> dict[str, Segment]:
    """Every segment type (one of each pair) scaled to a person ``height_m`` tall."""
    if not 1.0 <= height_m <= 2.3:
        raise ValueError(f"height must be between 1.0 and 2.3 m, got {height_m:g}")
    if not 25.0 <= mass_kg <= 200.0:
        raise ValueError(f"mass must be between 25 and 200 kg, got {mass_kg:g}")
    scale = height_m / REFERENCE_STATURE_M
    segments = {}
    for name, row in DE_LEVA_MALE.items():
        length = row.length_m * scale
        mass = row.mass_fraction * mass_kg
        inertia = tuple(mass * (k * length) ** 2 for k in row.gyration)
        segments[name] = Segment(name, mass, length, row.com_fraction, inertia)
    return segments


def total_mass_fraction() -> float:
    """Sum of the table's mass fractions with both sides counted (1.0 within rounding)."""
    return sum(
        row.mass_fraction * (2 if name in PAIRED else 1) for name, row in DE_LEVA_MALE.items()
    )
