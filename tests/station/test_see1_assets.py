"""The committed SEE-1 assets: reproducible from the generator and loaded without special cases."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import trimesh

from see1previs.resources import assets_dir
from see1previs.station import build_see1, load_station, write_see1_assets
from see1previs.station.fixtures_io import fixtures_markdown_table
from see1previs.station.loader import builtin_station_path
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


def test_committed_assets_match_the_generator(generated):
    committed = assets_dir() / "stations"
    for name in ASSET_NAMES:
        assert (committed / name).read_bytes() == (generated / name).read_bytes(), (
            f"{name} is stale: run python -m see1previs.station.see1 --out assets/stations"
        )


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
