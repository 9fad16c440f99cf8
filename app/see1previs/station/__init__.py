"""The station layer: the SEE-1 interior (or a custom one) as geometry, fixtures and collision.

Modules:

* ``model``       Station, StationPart, Fixture, StationError — what other layers use
* ``loader``      load_station(): the built-in SEE-1 and custom meshes, one code path
* ``collision``   boundary tiles and convex pieces for the physics
* ``see1``        the parametric SEE-1 generator and its asset writer
  (``see1_parameters``, ``see1_shell``, ``see1_layout`` hold its parts)
* ``fixtures_io`` the fixtures table file; ``mesh_files`` mesh reading and glTF writing;
  ``repair`` cleaning imported meshes; ``queries`` inside/clearance/ray tests;
  ``solids`` convex solids; ``frames`` rotation helpers

No Qt here: the station layer must import on a machine without a display.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from see1previs.station.collision import boundary_tiles, convex_pieces
from see1previs.station.loader import BUILTIN_STATION, load_station
from see1previs.station.model import (
    FIXTURE_KINDS,
    Fixture,
    Station,
    StationError,
    StationPart,
    UnknownFixtureError,
)

if TYPE_CHECKING:
    from see1previs.station.see1 import See1Parameters, build_see1, write_see1_assets

# The generator is imported on first use: `python -m see1previs.station.see1` must be able to
# run that module as __main__ without the package having imported it already.
_GENERATOR_NAMES = ("See1Parameters", "build_see1", "write_see1_assets")


def __getattr__(name: str) -> Any:
    if name in _GENERATOR_NAMES:
        from see1previs.station import see1

        return getattr(see1, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BUILTIN_STATION",
    "FIXTURE_KINDS",
    "Fixture",
    "See1Parameters",
    "Station",
    "StationError",
    "StationPart",
    "UnknownFixtureError",
    "boundary_tiles",
    "build_see1",
    "convex_pieces",
    "load_station",
    "write_see1_assets",
]
