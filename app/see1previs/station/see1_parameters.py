"""The numbers that define the SEE-1 interior: cabin size, hatch, and where fixtures go.

Angles for fixture placement are in degrees because that is how the layout is drawn and
discussed; everything else is in metres. Azimuth is measured in the XY plane from +X (the
hatch) toward +Y; elevation from the XY plane toward +Z.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class See1Parameters:
    """Dimensions and fixture layout of the SEE-1 module (defaults: the flight configuration)."""

    # Cabin
    inner_diameter: float = 6.0
    hatch_width: float = 1.27  # square opening, side length
    vestibule_depth: float = 1.0  # from the sphere wall on the hatch axis to the hatch door
    # Tessellation. A frequency-11 geodesic sphere keeps every facet within about 7 mm of
    # the true wall; the hatch rim and tunnel are divided into cells of about 0.25 m.
    geodesic_frequency: int = 11
    hatch_cells: int = 5  # cells along each side of the opening and door
    vestibule_rows: int = 4  # cells along the tunnel depth

    # Handrails: straight grip bar on two standoffs.
    handrail_length: float = 0.55
    handrail_standoff: float = 0.10  # wall to the bar's centreline
    handrail_diameter: float = 0.035
    hatch_handrail_angle_deg: float = 22.0  # ring of four around the hatch, from the +X axis
    equator_handrail_azimuths_deg: tuple[float, ...] = (60.0, 120.0, 240.0, 300.0)
    pole_handrail_angle_deg: float = 12.0  # two per pole, this far from the pole
    vestibule_handrails: bool = True  # one on each side wall of the hatch tunnel

    # Foot restraints: low loops on the stage side (-X) and one below the hatch.
    foot_restraint_width: float = 0.40
    foot_restraint_standoff: float = 0.08
    stage_foot_restraint_azimuths_deg: tuple[float, ...] = (180.0, 155.0, 205.0)
    hatch_foot_restraint_elevation_deg: float = -35.0

    # Seat tracks: straight rails along meridians on the +Y and -Y sides.
    seat_track_length: float = 1.2
    seat_track_standoff: float = 0.10  # wall to the rail's centreline at its middle
    seat_track_azimuths_deg: tuple[float, ...] = (90.0, 270.0)
    seat_track_elevations_deg: tuple[float, ...] = (25.0, -25.0)

    # Lighting rings: polygons near the top and bottom of the sphere.
    light_ring_polar_angle_deg: float = 35.0  # from the +Z / -Z axis
    light_ring_offset: float = 0.12  # wall to the ring's centreline
    light_ring_segments: int = 24
    light_ring_struts: int = 6

    # Camera mounts: (azimuth, elevation) in degrees, lettered CAM-A, CAM-B, ... in order.
    camera_mounts_deg: tuple[tuple[float, float], ...] = (
        (0.0, 40.0),  # above the hatch, looking at the stage
        (0.0, 90.0),  # top of the sphere
        (0.0, -90.0),  # bottom of the sphere
        (90.0, 0.0),  # +Y side
        (270.0, 0.0),  # -Y side
        (180.0, 40.0),  # above the stage, looking at the hatch
    )
    camera_plate_size: float = 0.25
    camera_plate_standoff: float = 0.04  # wall to the plate's face

    def __post_init__(self) -> None:
        if self.inner_diameter <= 0.0 or self.vestibule_depth <= 0.0:
            raise ValueError("inner_diameter and vestibule_depth must be positive metres")
        if not 0.0 < self.hatch_width < self.inner_diameter / 4.0:
            raise ValueError("hatch_width must be positive and under a quarter of the diameter")
        if self.geodesic_frequency < 4 or self.hatch_cells < 1 or self.vestibule_rows < 1:
            raise ValueError("tessellation counts are too small to describe the cabin")
        if self.light_ring_segments < 6:
            raise ValueError("a light ring needs at least 6 segments")
        if len(self.camera_mounts_deg) > 26:
            raise ValueError("camera mounts are lettered CAM-A to CAM-Z: at most 26")

    @property
    def radius(self) -> float:
        return self.inner_diameter / 2.0

    @property
    def door_x(self) -> float:
        """X of the hatch door's inner face."""
        return self.radius + self.vestibule_depth
