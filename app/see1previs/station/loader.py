"""Loading a station interior from a mesh file: the built-in SEE-1 or a production's own model.

There is one code path. ``load_station("see1")`` reads ``assets/stations/see1.glb`` and its
``see1.fixtures.json`` exactly as ``load_station("interior.glb")`` reads a custom interior and
its optional ``interior.fixtures.json``.

How a file becomes a :class:`Station`:

1. Check the file (exists, supported type, not empty, readable, not absurdly large).
2. Read every mesh node with its transform applied. Nodes named ``fixture/<id>/<part>`` are
   fixture solids. If a node is named ``boundary`` it holds the cabin shell; otherwise all
   remaining geometry is merged and searched for it.
3. Repair (weld, drop degenerate/duplicate faces, fill small holes, fix winding) and split
   into connected pieces. The piece with the largest bounding box is the cabin shell; every
   other piece is a solid inside the cabin.
4. The shell must be closed. Its faces are turned to point into the cabin.
5. Sanity checks that do not stop the load become ``station.warnings`` (units, origin).

Loads are cached on the file's resolved path, modification time and size (and those of the
fixtures table), because every scene that opens asks for its interior.
"""

from __future__ import annotations

import dataclasses
import math
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np
import trimesh

from see1previs.station import repair
from see1previs.station.fixtures_io import read_fixtures
from see1previs.station.mesh_files import (
    BOUNDARY_NODE,
    SUPPORTED_SUFFIXES,
    fixture_id_of,
    read_mesh_nodes,
)
from see1previs.station.mesh_size import size_problem
from see1previs.station.model import Station, StationError, StationPart, part_sort_key

BUILTIN_STATION = "see1"
MAX_FACES = 500_000

# Units heuristics. SEE-1 is about 6 m across; a file several times larger or smaller than
# any plausible cabin was almost certainly exported in other units.
REFERENCE_SIZE = 6.0
LARGEST_PLAUSIBLE_SIZE = 15.0
SMALLEST_PLAUSIBLE_SIZE = 0.5
_UNIT_GUESSES = (
    ("millimetres", 0.001),
    ("centimetres", 0.01),
    ("inches", 0.0254),
    ("feet", 0.3048),
)
# Beyond this many solids the physics setup gets slow; tell the user before they wait.
MANY_PARTS = 300

_CACHE_SIZE = 8
_cache: OrderedDict[tuple, Station] = OrderedDict()
_cache_lock = threading.Lock()


def builtin_station_path() -> Path:
    """The built-in SEE-1 interior's glTF file."""
    from see1previs.resources import assets_dir

    return assets_dir() / "stations" / "see1.glb"


def fixtures_path_for(mesh_path: Path) -> Path:
    """The optional fixtures table next to a mesh: ``<stem>.fixtures.json``."""
    return mesh_path.with_name(mesh_path.stem + ".fixtures.json")


def load_station(ref: str | Path) -> Station:
    """Load an interior: ``"see1"`` for the built-in module, or a .glb/.gltf/.obj/.stl/.ply file.

    Raises StationError (naming the file and the problem) if it cannot be used. The returned
    station's meshes are shared with the cache: do not modify them.
    """
    path = _resolve(ref)
    key = _cache_key(path)
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
    if cached is None:
        cached = _load(path)
        with _cache_lock:
            _cache[key] = cached
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
    # Fresh lists so a caller appending a warning does not change what the next caller gets.
    return dataclasses.replace(
        cached,
        parts=list(cached.parts),
        fixtures=list(cached.fixtures),
        warnings=list(cached.warnings),
    )


def clear_cache() -> None:
    """Forget every cached interior (the next load reads the files again)."""
    with _cache_lock:
        _cache.clear()


def _resolve(ref: str | Path) -> Path:
    if isinstance(ref, str) and ref.strip().lower() in (BUILTIN_STATION, "see-1"):
        return builtin_station_path().resolve()
    path = Path(ref).expanduser()
    if isinstance(ref, str) and not path.suffix and not path.exists():
        raise StationError(
            f"unknown interior {ref!r}: use '{BUILTIN_STATION}' for the built-in SEE-1 module "
            f"or give a mesh file ({', '.join(SUPPORTED_SUFFIXES)})"
        )
    return path.resolve()


def _cache_key(path: Path) -> tuple:
    def stamp(p: Path) -> tuple[int, int] | None:
        try:
            st = p.stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    return (str(path), stamp(path), stamp(fixtures_path_for(path)))


def _check_file(path: Path) -> None:
    if not path.exists():
        raise StationError(f"{path.name}: interior file not found (looked for {path})")
    if path.is_dir():
        raise StationError(f"{path.name}: is a folder, not an interior mesh file")
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise StationError(
            f"{path.name}: unsupported file type '{path.suffix or '(none)'}'; interiors can be "
            f"{', '.join(SUPPORTED_SUFFIXES)}"
        )
    if path.stat().st_size == 0:
        raise StationError(f"{path.name}: the file is empty (0 bytes)")
    too_big = size_problem(path, MAX_FACES)
    if too_big:
        raise StationError(f"{path.name}: {too_big}")


def _read_nodes(path: Path) -> list[tuple[str, trimesh.Trimesh]]:
    kind = path.suffix.lower().lstrip(".").upper()
    try:
        nodes = read_mesh_nodes(path)
    except Exception as exc:  # format readers raise anything from KeyError to struct.error
        reason = str(exc).strip() or type(exc).__name__
        raise StationError(
            f"{path.name}: cannot read this {kind} file; it may be corrupt or not a mesh ({reason})"
        ) from exc
    faces = sum(len(mesh.faces) for _, mesh in nodes)
    if faces == 0:
        raise StationError(
            f"{path.name}: the file contains no triangles; it may be corrupt, or hold only "
            "points or lines"
        )
    if faces > MAX_FACES:
        raise StationError(
            f"{path.name}: the interior has {faces:,} triangles, more than the limit of "
            f"{MAX_FACES:,}; decimate it in your modelling tool (in Blender: Decimate modifier) "
            "and export again"
        )
    return nodes


def _open_edge_count(mesh: trimesh.Trimesh) -> int:
    return len(trimesh.grouping.group_rows(mesh.edges_sorted, require_count=1))


def _is_boundary_node(name: str) -> bool:
    return name == BOUNDARY_NODE or name.startswith(BOUNDARY_NODE + "/")


def _encloses(outer: trimesh.Trimesh, inner: trimesh.Trimesh) -> bool:
    """True if ``inner``'s bounding box lies within ``outer``'s."""
    return bool(
        np.all(inner.bounds[0] >= outer.bounds[0]) and np.all(inner.bounds[1] <= outer.bounds[1])
    )


def _split_shell(
    path: Path, nodes: list[tuple[str, trimesh.Trimesh]], warnings: list[str]
) -> tuple[trimesh.Trimesh, list[StationPart]]:
    """The cabin shell (inward-facing) and the other solids, from the file's mesh nodes."""
    shell_nodes = [m for n, m in nodes if _is_boundary_node(n)]
    fixture_nodes = [(n, m) for n, m in nodes if fixture_id_of(n) is not None]
    other_nodes = [m for n, m in nodes if fixture_id_of(n) is None and not _is_boundary_node(n)]

    def pieces(meshes: list[trimesh.Trimesh]) -> list[trimesh.Trimesh]:
        if not meshes:
            return []
        return repair.components(repair.clean(trimesh.util.concatenate(meshes)))

    if shell_nodes:
        candidates = pieces(shell_nodes)
        loose = pieces(other_nodes)
    else:
        candidates, loose = pieces(other_nodes), []
    if not candidates:
        raise StationError(
            f"{path.name}: no cabin shell found; the file holds only fixture solids "
            "(name the cabin's node 'boundary', or add the cabin mesh)"
        )
    # Pick on bounding-box volume, not mesh volume: an open shell has no meaningful volume.
    order = sorted(range(len(candidates)), key=lambda i: -repair.bounding_box_volume(candidates[i]))
    shell = candidates[order[0]]
    if len(order) > 1:
        second = candidates[order[1]]
        big = repair.bounding_box_volume(second) > 0.5 * repair.bounding_box_volume(shell)
        if big and second.is_watertight and _encloses(shell, second):
            # A wall modelled with thickness: outer and inner skins. Free space is inside the
            # inner skin; taking the outer one would fill the cabin with a solid ball.
            warnings.append(
                f"{path.name}: the cabin wall is modelled with thickness; using its inner "
                "surface as the cabin boundary and ignoring the outer one"
            )
            shell = second
            order = order[1:]
    loose = [candidates[i] for i in sorted(order[1:])] + loose

    if not shell.is_watertight:
        raise StationError(
            f"{path.name}: the cabin shell is not closed ({_open_edge_count(shell)} open edges "
            "remain after automatic repair); close the holes in your modelling tool (in "
            "Blender: Select > Select All by Trait > Non Manifold, then Face > Fill) and "
            "export again"
        )
    shell = repair.inward(shell)

    parts = [StationPart(f"solid/{k}", mesh, None) for k, mesh in enumerate(loose, start=1)]
    for name, mesh in fixture_nodes:
        cleaned = repair.clean(mesh)
        if len(cleaned.faces):
            parts.append(StationPart(name, cleaned, fixture_id_of(name)))
    parts.sort(key=lambda p: part_sort_key(p.name))
    return shell, parts


def _units_warning(path: Path, shell: trimesh.Trimesh) -> str | None:
    size = float(np.max(shell.extents))
    shown = f"{size:.0f}" if size >= 100 else f"{size:.3g}"
    if size > LARGEST_PLAUSIBLE_SIZE:
        # The unit that would bring the interior closest to SEE-1's size.
        unit, scale = min(
            _UNIT_GUESSES, key=lambda guess: abs(math.log(size * guess[1] / REFERENCE_SIZE))
        )
        return (
            f"{path.name}: the interior is {shown} units across; SEE-1 Previs works in metres "
            f"— the file is probably in {unit} (scale by {scale:g})"
        )
    if size < SMALLEST_PLAUSIBLE_SIZE:
        return (
            f"{path.name}: the interior is only {shown} units across; SEE-1 Previs works in "
            f"metres and SEE-1 is about {REFERENCE_SIZE:g} m across — check the units and "
            "scale the file was exported with"
        )
    return None


def _load(path: Path) -> Station:
    _check_file(path)
    nodes = _read_nodes(path)
    warnings: list[str] = []
    boundary, parts = _split_shell(path, nodes, warnings)
    units = _units_warning(path, boundary)
    if units:
        warnings.insert(0, units)

    name, fixtures = path.stem, []
    table = fixtures_path_for(path)
    if table.exists():
        table_name, fixtures = read_fixtures(table)
        name = table_name or name

    station = Station(
        name=name,
        source=path,
        boundary=boundary,
        parts=parts,
        fixtures=fixtures,
        warnings=warnings,
    )
    if units is None:
        # Geometry checks only make sense once the scale is plausible.
        if not station.contains([0.0, 0.0, 0.0]):
            warnings.append(
                f"{path.name}: the origin is outside the cabin; the module frame's origin "
                "should be at the centre of the sphere"
            )
        if fixtures:
            clearance = station.clearance([f.position for f in fixtures])
            for fixture, c in zip(fixtures, clearance, strict=True):
                if c < -0.01:
                    warnings.append(
                        f"{table.name}: fixture {fixture.id} is {-c:.2f} m outside the cabin"
                    )
    known = {f.id for f in fixtures}
    orphans = sorted({p.fixture_id for p in parts if p.fixture_id and p.fixture_id not in known})
    if orphans:
        warnings.append(
            f"{path.name}: solids for fixture(s) {', '.join(orphans)} have no entry in {table.name}"
        )
    if len(parts) > MANY_PARTS:
        warnings.append(
            f"{path.name}: the interior has {len(parts)} separate solids; setting up collisions "
            "for that many is slow — merge small details in your modelling tool"
        )
    return station
