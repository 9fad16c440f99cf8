"""Oversized mesh files are refused from their header, before a reader parses them.

The files are built byte for byte here (binary STL, PLY, glb headers), sparse where large,
so a 200 MB STL costs no disk; a reader that was called at all fails the test.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest
import trimesh

from see1previs.physics import bodies
from see1previs.physics.bodies import BodySetupError, load_prop_mesh
from see1previs.station import loader
from see1previs.station.loader import MAX_FACES, load_station
from see1previs.station.mesh_size import declared_triangles, size_problem
from see1previs.station.model import StationError


def sparse_binary_stl(path: Path, triangles: int) -> Path:
    with path.open("wb") as file:
        file.write(b"\0" * 80 + struct.pack("<I", triangles))
        file.truncate(84 + 50 * triangles)
    return path


def glb_declaring(path: Path, index_count: int) -> Path:
    document = {
        "asset": {"version": "2.0"},
        "accessors": [{"componentType": 5125, "count": index_count, "type": "SCALAR"}],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 0}, "indices": 0}]}],
        "nodes": [{"mesh": 0}, {"mesh": 0}],
    }
    text = json.dumps(document).encode()
    text += b" " * (-len(text) % 4)
    chunk = struct.pack("<I4s", len(text), b"JSON") + text
    path.write_bytes(struct.pack("<4sII", b"glTF", 2, 12 + len(chunk)) + chunk)
    return path


@pytest.fixture
def readers_must_not_run(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the mesh reader ran on a file that should have been refused")

    monkeypatch.setattr(loader, "read_mesh_nodes", refuse)
    monkeypatch.setattr(bodies, "read_mesh_nodes", refuse)


def test_a_200_mb_interior_stl_is_refused_from_its_header(tmp_path, readers_must_not_run):
    stl = sparse_binary_stl(tmp_path / "hangar.stl", 4_000_000)
    assert stl.stat().st_size > 200e6
    with pytest.raises(StationError, match=r"hangar.stl: it has 4,000,000 triangles"):
        load_station(stl)


def test_an_oversized_prop_mesh_is_refused_naming_the_field(tmp_path, readers_must_not_run):
    stl = sparse_binary_stl(tmp_path / "rock.stl", 300_000)
    with pytest.raises(BodySetupError) as error:
        load_prop_mesh(stl, "props[2].shape.file")
    assert error.value.path == "props[2].shape.file"
    assert "300,000 triangles" in error.value.message


def test_a_glb_counts_every_instance_of_its_meshes(tmp_path):
    # Two nodes instance one mesh of 300,000 triangles: 600,000 are drawn and collided.
    glb = glb_declaring(tmp_path / "twice.glb", 900_000)
    assert declared_triangles(glb) == 600_000
    assert "600,000 triangles" in size_problem(glb, MAX_FACES)


def test_a_ply_header_is_read(tmp_path):
    ply = tmp_path / "big.ply"
    ply.write_bytes(
        b"ply\nformat binary_little_endian 1.0\nelement vertex 3\nproperty float x\n"
        b"element face 750000\nproperty list uchar int vertex_indices\nend_header\n"
    )
    assert declared_triangles(ply) == 750_000


def test_an_oversized_text_mesh_is_bounded_by_its_bytes(tmp_path):
    obj = tmp_path / "scan.obj"
    with obj.open("wb") as file:
        file.write(b"v 0 0 0\n")
        file.truncate(200_000_000)
    assert "MB" in size_problem(obj, 100_000)


def test_real_meshes_declare_what_they_hold(tmp_path):
    mesh = trimesh.creation.icosphere(subdivisions=3)
    for suffix in (".stl", ".glb", ".ply"):
        path = tmp_path / f"ball{suffix}"
        mesh.export(path)
        assert declared_triangles(path) == len(mesh.faces), suffix
        assert size_problem(path, len(mesh.faces)) is None
        assert size_problem(path, len(mesh.faces) - 1) is not None
    ascii_stl = tmp_path / "ascii.stl"
    ascii_stl.write_text(trimesh.exchange.stl.export_stl_ascii(mesh))
    assert declared_triangles(ascii_stl) is None
    assert size_problem(ascii_stl, len(mesh.faces)) is None
    assert np.isclose(trimesh.load(ascii_stl).area, mesh.area)
