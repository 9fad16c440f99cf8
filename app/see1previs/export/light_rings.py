"""The cabin's light rings as emitting strips, for exporters that write lights.

SEE-1's two light rings (fixtures L1 near the top and L2 near the bottom of the sphere) are
polygons of straight bars. Each bar becomes one rectangular emitter on its face toward the
cabin (the ring fixture's +Z, its mounting normal), as long and as wide as the bar. A light
ring fixture without bar parts (a custom interior that only names its rings) becomes one
disc emitter as wide as the ring.

Brightness is a previs choice, not a photometric survey: every strip emits
:data:`STRIP_LUMINANCE_NITS` of warm white, the luminance of a diffused LED strip.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from see1previs.station.model import Station

STRIP_LUMINANCE_NITS = 5000.0  # cd/m², a diffused LED strip
STRIP_COLOR_LINEAR = (1.0, 0.93, 0.85)  # warm white (about 4500 K), linear RGB
_STANDOFF = 0.002  # m the emitter sits in front of the bar face, so the bar does not hide it


@dataclass(frozen=True)
class LightStrip:
    """One emitter: a rectangle (or a disc when ``disc``) facing along ``normal``."""

    fixture_id: str
    name: str  # e.g. "L1_segment_01"
    centre: np.ndarray  # (3,) m, module frame
    axis: np.ndarray  # (3,) unit, along the strip's length
    normal: np.ndarray  # (3,) unit, the direction it shines
    length: float  # m (the disc's diameter for a disc)
    width: float  # m
    disc: bool = False

    def rotation(self) -> np.ndarray:
        """3x3 columns X (along), Y, Z: a light that shines along its local -Z, like USD's."""
        z = -self.normal
        y = np.cross(z, self.axis)
        return np.column_stack([np.cross(y, z), y, z])


def light_strips(station: Station) -> list[LightStrip]:
    """Every light ring of the station as strips, rings in fixture order, bars in part order."""
    strips: list[LightStrip] = []
    for fixture in station.fixtures:
        if fixture.kind != "light_ring":
            continue
        normal = fixture.normal
        bars = [
            part
            for part in station.parts
            if part.fixture_id == fixture.id and "segment" in part.name.rsplit("/", 1)[-1]
        ]
        if not bars:
            axis = fixture.axis
            strips.append(
                LightStrip(
                    fixture.id,
                    f"{fixture.id}_ring",
                    np.asarray(fixture.position, dtype=float),
                    axis,
                    normal,
                    fixture.length,
                    fixture.length,
                    disc=True,
                )
            )
            continue
        for number, part in enumerate(bars, start=1):
            strips.append(_bar_strip(fixture.id, number, part.mesh.vertices, normal))
    return strips


def _bar_strip(
    fixture_id: str, number: int, vertices: np.ndarray, normal: np.ndarray
) -> LightStrip:
    """The emitting face of one bar: its long axis and width across, in the ring's plane."""
    points = np.asarray(vertices, dtype=float)
    centre = points.mean(axis=0)
    flat = points - centre
    flat = flat - np.outer(flat @ normal, normal)  # into the ring's plane
    _, _, rows = np.linalg.svd(flat, full_matrices=False)
    axis = rows[0] - (rows[0] @ normal) * normal
    axis /= np.linalg.norm(axis)
    across = np.cross(normal, axis)
    length = float(np.ptp(flat @ axis))
    width = float(np.ptp(flat @ across))
    depth = float(((points - centre) @ normal).max())  # the bar face toward the cabin
    return LightStrip(
        fixture_id,
        f"{fixture_id}_segment_{number:02d}",
        centre + (depth + _STANDOFF) * normal,
        axis,
        normal,
        length,
        width,
    )
