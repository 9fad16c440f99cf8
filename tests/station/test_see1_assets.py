"""The committed SEE-1 assets: reproducible from the generator and loaded without special cases."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import trimesh

from see1previs.resources import assets_dir
from see1previs.station import build_see1, load_station, write_see1_assets
from see1previs.station.fixtures_io import fixtures_markdown_table
from see1previs.station.loader import builtin_station_path
from see1previs.station.mesh_files import read_mesh_nodes
from see1previs.station.precision import GRID_M, stored_coordinates
from see1previs.station.see1 import DOCS_TABLE_BEGIN, DOCS_TABLE_END, main

REPO = Path(__file__).resolve().parents[2]
ASSET_NAMES = ("see1.glb", "see1.fixtures.json")


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("see1-a")
    write_see1_assets(out)
    return out


def test_generation_is_byte_identical(generated, tmp_path):
    write_see1_assets(tmp_path)
    for name in ASSET_NAMES:
        assert (generated / name).read_bytes() == (tmp_path / name).read_bytes(), name


# Machines round trigonometry differently in the last bits, so the committed files are
# compared with the generator's by geometry, not bytes: the same meshes, faces and fixtures,
# every coordinate within a micrometre (float32 spacing at the 3 m hull is 0.24 um).
GEOMETRY_TOLERANCE_M = 1e-6
STALE = "is stale: run python -m see1previs.station.see1 --out assets/stations"


def test_committed_interior_matches_the_generator(generated):
    committed = dict(read_mesh_nodes(assets_dir() / "stations" / "see1.glb"))
    rebuilt = dict(read_mesh_nodes(generated / "see1.glb"))
    assert sorted(committed) == sorted(rebuilt), f"see1.glb {STALE} (different parts)"
    for name, mesh in rebuilt.items():
        assert np.array_equal(committed[name].faces, mesh.faces), f"see1.glb {STALE} ({name})"
        error = np.abs(committed[name].vertices - mesh.vertices).max()
        assert error <= GEOMETRY_TOLERANCE_M, f"see1.glb {STALE} ({name} off by {error:.2g} m)"


def test_committed_fixtures_match_the_generator(generated):
    committed = json.loads((assets_dir() / "stations" / "see1.fixtures.json").read_text("utf-8"))
    rebuilt = json.loads((generated / "see1.fixtures.json").read_text("utf-8"))
    assert {k: v for k, v in committed.items() if k != "fixtures"} == {
        k: v for k, v in rebuilt.items() if k != "fixtures"
    }
    assert len(committed["fixtures"]) == len(rebuilt["fixtures"]), f"fixtures {STALE}"
    for old, new in zip(committed["fixtures"], rebuilt["fixtures"], strict=True):
        for key, value in new.items():
            if isinstance(value, list | float):
                assert np.allclose(old[key], value, rtol=0, atol=GEOMETRY_TOLERANCE_M), (
                    f"fixture {new['id']}.{key} {STALE}"
                )
            else:
                assert old[key] == value, f"fixture {new['id']}.{key} {STALE}"


def test_generated_coordinates_sit_on_the_nanometre_grid(generated):
    # The grid is what makes a rebuild on another machine byte-identical: noise such as
    # 8.7e-19 m where a coordinate should be 0 is snapped away before float32 rounding.
    for name, mesh in read_mesh_nodes(generated / "see1.glb"):
        vertices = mesh.vertices
        assert np.array_equal(vertices, stored_coordinates(vertices)), name
        tiny = np.abs(vertices[(vertices != 0.0)]).min()
        assert tiny >= 0.5 * GRID_M, f"{name} keeps sub-nanometre noise ({tiny:.2g} m)"
        assert not np.signbit(vertices[vertices == 0.0]).any(), f"{name} writes -0.0"


def test_nanometre_grid_removes_last_bit_noise():
    # Independent of the generator: two values that differ only in their last bits (as two
    # machines' kernels produce) are stored identically, and a signed zero becomes +0.
    clean = np.array([0.0, 1.234567891, -2.5, 3.0])
    noisy = clean + np.array([8.7e-19, 4e-16, -4e-16, 4e-16])
    assert stored_coordinates(noisy).tobytes() == stored_coordinates(clean).tobytes()
    assert not np.signbit(stored_coordinates(np.array([-0.0, -1e-12]))).any()


def test_glb_node_names_survive_a_round_trip(generated, see1_built):
    scene = trimesh.load_scene(str(generated / "see1.glb"))
    expected = {"boundary"} | {p.name for p in see1_built.parts}
    assert set(scene.graph.nodes_geometry) == expected


def test_loading_the_glb_gives_back_what_was_built(generated, see1_built):
    loaded = load_station(generated / "see1.glb")
    assert loaded.warnings == []
    assert loaded.name == "SEE-1"
    assert loaded.boundary.volume == pytest.approx(see1_built.boundary.volume, rel=1e-9)
    assert loaded.fixtures == see1_built.fixtures
    assert [p.name for p in loaded.parts] == [p.name for p in see1_built.parts]
    assert loaded.content_hash() == see1_built.content_hash()


def test_builtin_station_is_read_from_the_asset_files(see1):
    assert see1.source == builtin_station_path().resolve()
    assert see1.source.parent == (assets_dir() / "stations").resolve()
    assert see1.warnings == []
    assert load_station("see1").content_hash() == build_see1().content_hash()


def test_builtin_assets_follow_the_assets_folder(tmp_path, monkeypatch, see1):
    # Proof that "see1" is not special: a modified copy of the files is what gets loaded.
    stations = tmp_path / "stations"
    stations.mkdir()
    for name in ASSET_NAMES:
        (stations / name).write_bytes((assets_dir() / "stations" / name).read_bytes())
    table = stations / "see1.fixtures.json"
    table.write_text(table.read_text(encoding="utf-8").replace('"SEE-1"', '"SEE-1 copy"'))
    monkeypatch.setenv("SEE1_ASSETS", str(tmp_path))
    copy = load_station("see1")
    assert copy.name == "SEE-1 copy"
    assert copy.source == (stations / "see1.glb").resolve()
    assert np.array_equal(copy.boundary.vertices, see1.boundary.vertices)


def test_command_line_writes_the_assets(tmp_path, capsys):
    assert main(["--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(ASSET_NAMES)
    assert "see1.glb" in capsys.readouterr().out


def test_docs_fixture_table_is_current(see1):
    text = (REPO / "docs" / "station.md").read_text(encoding="utf-8")
    begin = text.index(DOCS_TABLE_BEGIN) + len(DOCS_TABLE_BEGIN)
    table = text[begin : text.index(DOCS_TABLE_END)].strip("\n") + "\n"
    assert table == fixtures_markdown_table(see1.fixtures), (
        "docs/station.md is stale: run python -m see1previs.station.see1 --docs docs/station.md"
    )
