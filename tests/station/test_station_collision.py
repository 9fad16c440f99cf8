"""Collision shapes: tiles close the cabin without gaps; solids split into convex pieces."""

from __future__ import annotations

import manifold3d
import mujoco
import numpy as np
import pytest
import trimesh
from scipy.spatial import ConvexHull

from see1previs.station import boundary_tiles, convex_pieces
from see1previs.station.queries import ray_distances

THICKNESS = 0.15


@pytest.fixture(scope="module")
def tiles(see1) -> list[np.ndarray]:
    return boundary_tiles(see1.boundary, THICKNESS)


@pytest.fixture(scope="module")
def exact_tiles(see1) -> list[np.ndarray]:
    """Tiles without overlap: each exactly under its face."""
    return boundary_tiles(see1.boundary, THICKNESS, overlap=0.0)


def test_one_tile_per_face_built_on_that_face(see1, exact_tiles):
    b = see1.boundary
    assert len(exact_tiles) == len(b.faces)
    for tile, face in zip(exact_tiles, b.faces, strict=True):
        assert tile.shape == (6, 3)
        assert np.array_equal(tile[:3], b.vertices[face])


def test_widened_tiles_cover_their_face_in_its_plane(see1, tiles):
    b = see1.boundary
    widened = 0
    for tile, face, normal in zip(tiles, b.faces, b.face_normals, strict=True):
        corners = b.vertices[face]
        if np.array_equal(tile[:3], corners):
            continue
        widened += 1
        assert np.abs((tile[:3] - corners[0]) @ normal).max() < 1e-9  # same plane
        hull = ConvexHull(np.vstack([tile, corners]))
        assert len(set(hull.vertices) & {6, 7, 8}) == 0  # the face lies within the tile
    # On the sphere every tile is widened; only faces near the hatch rim are not.
    assert widened > 0.9 * len(b.faces)


def test_tiles_lie_outside_the_cabin(see1, tiles):
    # tiles share vertices, so checking each distinct vertex once is enough
    outer = np.unique(np.vstack([t[3:] for t in tiles]), axis=0)
    assert see1.clearance(outer).max() <= 1e-6
    inner = np.unique(np.vstack([t[:3] for t in tiles]), axis=0)
    assert see1.clearance(inner).max() <= 1e-6  # the inner faces are on or behind the wall


def test_tiles_are_convex_and_at_least_the_thickness(see1, tiles):
    for tile, normal in zip(tiles, see1.boundary.face_normals, strict=True):
        hull = ConvexHull(tile)
        assert len(hull.vertices) == 6
        depth = (tile[0] - tile[3:]) @ normal  # how far behind the face each outer vertex is
        assert depth.min() >= THICKNESS - 1e-9


def test_neighbouring_tiles_share_their_side_faces(see1, exact_tiles):
    b = see1.boundary
    outer_by_vertex: dict[int, np.ndarray] = {}
    for tile, face in zip(exact_tiles, b.faces, strict=True):
        for k, v in enumerate(face):
            if v in outer_by_vertex:
                assert np.array_equal(outer_by_vertex[v], tile[3 + k])
            else:
                outer_by_vertex[v] = tile[3 + k]


def test_tiles_leave_no_gap_in_the_wall(see1, tiles):
    # Points a few centimetres behind the wall in random directions (including the hatch and
    # vestibule) must each fall inside some tile: nothing can slip between tiles.
    rng = np.random.default_rng(7)
    d = rng.normal(size=(300, 3))
    d /= np.linalg.norm(d, axis=1)[:, None]
    planes = [ConvexHull(t).equations for t in tiles]
    centres = np.array([t.mean(axis=0) for t in tiles])
    triangles = np.asarray(see1.boundary.triangles)

    def in_some_tile(p: np.ndarray) -> bool:
        near = np.flatnonzero(np.linalg.norm(centres - p, axis=1) < 0.8)
        return any(np.all(planes[i][:, :3] @ p + planes[i][:, 3] <= 1e-9) for i in near)

    for direction in d:
        wall = ray_distances(triangles, [(0.0, 0.0, 0.0)], direction)[0]
        for depth in (0.01, 0.07, 0.14):
            assert in_some_tile((wall + depth) * direction), (direction, depth)


def test_tiles_hold_a_fast_ball_in_mujoco(see1, tiles):
    # The purpose of the tiles: a 10 m/s body bouncing around the cabin never gets out.
    spec = mujoco.MjSpec()
    spec.option.gravity = [0.0, 0.0, 0.0]
    for i, tile in enumerate(tiles):
        spec.add_mesh(name=f"tile{i}", uservert=tile.ravel().tolist())
        spec.worldbody.add_geom(type=mujoco.mjtGeom.mjGEOM_MESH, meshname=f"tile{i}")
    ball = spec.worldbody.add_body(name="ball")
    ball.add_freejoint()
    ball.add_geom(type=mujoco.mjtGeom.mjGEOM_SPHERE, size=[0.1], mass=1.0)
    model = spec.compile()
    model.opt.timestep = 0.002
    data = mujoco.MjData(model)
    rng = np.random.default_rng(5)
    for _ in range(8):
        mujoco.mj_resetData(model, data)
        direction = rng.normal(size=3)
        data.qvel[:3] = 10.0 * direction / np.linalg.norm(direction)
        positions = []
        for _ in range(1000):  # 2 s: several crossings of the cabin
            mujoco.mj_step(model, data)
            positions.append(data.qpos[:3].copy())
        assert see1.contains(np.array(positions[::10])).all()


def test_degenerate_faces_get_no_tile():
    box = trimesh.creation.box((2.0, 2.0, 2.0))
    vertices = np.vstack([box.vertices, box.vertices[:1]])
    faces = np.vstack([box.faces[:, ::-1], [[0, 8, 1]]])  # a zero-area face
    inward = trimesh.Trimesh(vertices, faces, process=False)
    tiles = boundary_tiles(inward, 0.1)
    assert len(tiles) == 12
    assert all(np.isfinite(t).all() for t in tiles)
    # at the cube corners the offset grows so every face is backed by the full thickness
    for tile, normal in zip(tiles, inward.face_normals[:12], strict=True):
        assert ((tile[0] - tile[3:]) @ normal).min() >= 0.1 - 1e-9


def test_thickness_must_be_positive(see1):
    with pytest.raises(ValueError, match="positive"):
        boundary_tiles(see1.boundary, 0.0)


def test_convex_solid_is_its_own_hull():
    box = trimesh.creation.box((0.3, 0.2, 0.1))
    pieces = convex_pieces(box)
    assert len(pieces) == 1
    assert trimesh.convex.convex_hull(pieces[0]).volume == pytest.approx(box.volume)


def test_builtin_parts_need_no_decomposition(see1):
    for part in see1.parts:
        pieces = convex_pieces(part.mesh)
        assert len(pieces) == 1, part.name


def _l_shape() -> trimesh.Trimesh:
    a = trimesh.creation.box((1.0, 0.3, 0.3))
    a.apply_translation((0.5, 0.15, 0.15))
    b = trimesh.creation.box((0.3, 1.0, 0.3))
    b.apply_translation((0.15, 0.5, 0.15))
    return trimesh.boolean.union([a, b], engine="manifold")


def test_non_convex_solid_is_decomposed():
    shape = _l_shape()
    assert shape.volume == pytest.approx(0.153)
    pieces = convex_pieces(shape)
    assert len(pieces) >= 2
    hulls = [trimesh.convex.convex_hull(p) for p in pieces]
    union = manifold3d.Manifold.batch_boolean(
        [
            manifold3d.Manifold(
                manifold3d.Mesh(
                    vert_properties=np.asarray(h.vertices, dtype=np.float32),
                    tri_verts=np.asarray(h.faces, dtype=np.uint32),
                )
            )
            for h in hulls
        ],
        manifold3d.OpType.Add,
    )
    assert union.volume() == pytest.approx(shape.volume, rel=0.05)
    # the pieces stay within the solid's bounds
    lo, hi = shape.bounds
    allv = np.vstack(pieces)
    assert (allv >= lo - 0.01).all() and (allv <= hi + 0.01).all()


def test_decomposition_is_deterministic_and_capped():
    shape = _l_shape()
    first, second = convex_pieces(shape), convex_pieces(shape)
    assert len(first) == len(second)
    assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))
    assert len(convex_pieces(shape, max_pieces=1)) == 1
