"""Loading custom interiors: repair, shell detection, units warnings and clear errors."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
import trimesh

from see1previs.station import StationError, load_station
from see1previs.station import loader as loader_module
from see1previs.station.mesh_files import station_glb
from see1previs.station.model import StationPart

SPHERE_VOLUME = 4.0 / 3.0 * np.pi * 3.0**3


@pytest.fixture(autouse=True)
def _fresh_cache():
    loader_module.clear_cache()
    yield
    loader_module.clear_cache()


def _sphere(radius: float = 3.0) -> trimesh.Trimesh:
    return trimesh.creation.icosphere(subdivisions=3, radius=radius)


def _write(mesh: trimesh.Trimesh, path: Path) -> Path:
    mesh.export(path)
    return path


@pytest.mark.parametrize("suffix", [".obj", ".stl", ".ply", ".glb"])
def test_sphere_in_metres_loads_cleanly(tmp_path, suffix):
    sphere = _sphere()
    station = load_station(_write(sphere, tmp_path / f"interior{suffix}"))
    assert station.warnings == []
    assert station.name == "interior"
    assert station.fixtures == [] and station.parts == []
    assert station.boundary.is_watertight
    assert station.boundary.volume == pytest.approx(-sphere.volume, rel=1e-6)  # faces inward
    assert float(station.clearance([0.0, 0.0, 0.0])) == pytest.approx(3.0, abs=0.03)
    assert station.contains([[0.0, 0.0, 2.5], [0.0, 0.0, 3.5]]).tolist() == [True, False]


@pytest.mark.parametrize(
    ("scale", "unit", "factor"),
    [(1000.0, "millimetres", "0.001"), (100.0, "centimetres", "0.01"), (39.37, "inches", "0.0254")],
)
def test_wrong_units_give_a_warning_not_a_rescale(tmp_path, scale, unit, factor):
    path = _write(_sphere(3.0 * scale), tmp_path / "interior.stl")
    station = load_station(path)
    assert len(station.warnings) == 1
    warning = station.warnings[0]
    assert warning.startswith("interior.stl: the interior is")
    assert f"probably in {unit} (scale by {factor})" in warning
    assert station.boundary.extents.max() == pytest.approx(6.0 * scale, rel=0.01)


def test_millimetre_warning_wording(tmp_path):
    station = load_station(_write(_sphere(3000.0), tmp_path / "interior.stl"))
    assert station.warnings == [
        "interior.stl: the interior is 6000 units across; SEE-1 Previs works in metres "
        "— the file is probably in millimetres (scale by 0.001)"
    ]


def test_tiny_interior_warns(tmp_path):
    station = load_station(_write(_sphere(0.1), tmp_path / "model.obj"))
    assert any("only 0.2 units across" in w for w in station.warnings)


def test_solids_inside_become_parts_and_the_shell_is_the_largest_piece(tmp_path):
    cabin = _sphere()
    crate = trimesh.creation.box((0.4, 0.4, 0.4))
    crate.apply_translation((1.0, 0.0, 0.0))
    ball = trimesh.creation.icosphere(2, radius=0.2)
    ball.apply_translation((-1.0, 0.5, 0.0))
    scene = trimesh.Scene([crate, cabin, ball])  # shell deliberately not first
    path = tmp_path / "set.glb"
    scene.export(path)
    station = load_station(path)
    assert station.boundary.volume == pytest.approx(-cabin.volume, rel=1e-6)
    assert sorted(p.name for p in station.parts) == ["solid/1", "solid/2"]
    volumes = sorted(round(p.mesh.volume, 6) for p in station.parts)
    assert volumes == sorted(round(m.volume, 6) for m in (crate, ball))
    assert all(p.fixture_id is None for p in station.parts)


def test_thick_wall_uses_the_inner_skin(tmp_path):
    outer, inner = _sphere(3.2), _sphere(3.0)
    inner.invert()  # as a modeller's thick wall has it: the inner skin faces the cabin
    station = load_station(_write(trimesh.util.concatenate([outer, inner]), tmp_path / "w.ply"))
    assert station.parts == []
    assert station.boundary.extents.max() == pytest.approx(6.0, rel=0.01)
    assert float(station.clearance([0.0, 0.0, 0.0])) == pytest.approx(3.0, abs=0.03)
    assert any("modelled with thickness" in w for w in station.warnings)


def test_named_nodes_and_sidecar_fixtures(tmp_path):
    cabin = _sphere()  # outward-facing on purpose: the loader must turn it inward
    rail = trimesh.creation.box((0.5, 0.04, 0.04))
    rail.apply_translation((0.0, 0.0, -2.85))
    parts = [StationPart("fixture/R1/bar", rail, "R1"), StationPart("fixture/R9/bar", rail, "R9")]
    (tmp_path / "pod.glb").write_bytes(station_glb(cabin, parts))
    table = {
        "format": 1,
        "station": "Test pod",
        "units": "metres",
        "fixtures": [
            {
                "id": "R1",
                "kind": "handrail",
                "name": "Rail R1",
                "position": [0.0, 0.0, -2.85],
                "orientation_wxyz": [1.0, 0.0, 0.0, 0.0],
                "length": 0.5,
            }
        ],
    }
    (tmp_path / "pod.fixtures.json").write_text(json.dumps(table))
    station = load_station(tmp_path / "pod.glb")
    assert station.name == "Test pod"
    assert station.boundary.volume < 0.0
    assert [f.id for f in station.fixtures] == ["R1"]
    assert [p.fixture_id for p in station.parts] == ["R1", "R9"]
    assert station.fixture_parts("R1")[0].mesh.volume == pytest.approx(rail.volume)
    assert any("R9" in w and "pod.fixtures.json" in w for w in station.warnings)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t["fixtures"][0].pop("position"), r"fixtures\[0\]\.position"),
        (lambda t: t["fixtures"][0].update(kind="ladder"), r"fixtures\[0\].*unknown kind"),
        (lambda t: t.update(units="inches"), r"units"),
        (lambda t: t["fixtures"].append(dict(t["fixtures"][0])), r"'R1' is used twice"),
    ],
)
def test_bad_fixture_tables_name_the_problem(tmp_path, change, message):
    _write(_sphere(), tmp_path / "pod.obj")
    table = {
        "format": 1,
        "units": "metres",
        "fixtures": [
            {
                "id": "R1",
                "kind": "handrail",
                "name": "Rail R1",
                "position": [0.0, 0.0, -2.85],
                "orientation_wxyz": [1.0, 0.0, 0.0, 0.0],
            }
        ],
    }
    change(table)
    (tmp_path / "pod.fixtures.json").write_text(json.dumps(table))
    with pytest.raises(StationError, match=rf"pod\.fixtures\.json: .*{message}"):
        load_station(tmp_path / "pod.obj")


def test_fixture_outside_the_cabin_warns(tmp_path):
    _write(_sphere(), tmp_path / "pod.obj")
    table = {
        "format": 1,
        "units": "metres",
        "fixtures": [
            {
                "id": "C1",
                "kind": "camera_mount",
                "name": "Camera C1",
                "position": [0.0, 0.0, 3.5],
                "orientation_wxyz": [0.0, 1.0, 0.0, 0.0],
            }
        ],
    }
    (tmp_path / "pod.fixtures.json").write_text(json.dumps(table))
    station = load_station(tmp_path / "pod.obj")
    assert any("C1 is 0.5" in w and "outside the cabin" in w for w in station.warnings)


def test_triangle_soup_with_small_holes_is_repaired(tmp_path):
    sphere = _sphere()
    soup = trimesh.Trimesh(
        sphere.triangles.reshape(-1, 3),
        np.arange(3 * len(sphere.faces)).reshape(-1, 3),
        process=False,
    )
    soup.update_faces(np.arange(len(soup.faces)) != 17)  # a one-triangle hole
    station = load_station(_write(soup, tmp_path / "soup.stl"))
    assert station.boundary.is_watertight
    assert station.boundary.volume == pytest.approx(-sphere.volume, rel=1e-6)


def test_origin_outside_the_cabin_warns(tmp_path):
    station = load_station(_write(_sphere().apply_translation((5.0, 0, 0)), tmp_path / "off.obj"))
    assert any("origin is outside the cabin" in w for w in station.warnings)


def test_missing_file(tmp_path):
    with pytest.raises(StationError, match=r"nowhere\.glb: interior file not found"):
        load_station(tmp_path / "nowhere.glb")


def test_unknown_builtin_name():
    with pytest.raises(StationError, match=r"unknown interior 'see2'.*'see1'"):
        load_station("see2")


def test_unsupported_extension(tmp_path):
    path = tmp_path / "interior.fbx"
    path.write_bytes(b"Kaydara FBX Binary")
    with pytest.raises(StationError, match=r"interior.fbx: unsupported file type '\.fbx'"):
        load_station(path)


def test_empty_file(tmp_path):
    path = tmp_path / "interior.stl"
    path.touch()
    with pytest.raises(StationError, match=r"interior.stl: the file is empty"):
        load_station(path)


@pytest.mark.parametrize("suffix", [".glb", ".ply", ".stl", ".obj"])
def test_corrupt_file(tmp_path, suffix):
    path = tmp_path / f"broken{suffix}"
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(StationError, match=rf"broken\{suffix}: (cannot read|the file contains no)"):
        load_station(path)


def test_too_many_faces(tmp_path, monkeypatch):
    assert loader_module.MAX_FACES == 500_000
    monkeypatch.setattr(loader_module, "MAX_FACES", 1000)
    path = _write(_sphere(), tmp_path / "dense.ply")
    with pytest.raises(StationError, match=r"dense.ply: it has 1,280 triangles.*1,000"):
        load_station(path)


def test_open_shell_is_refused(tmp_path):
    sphere = _sphere()
    keep = sphere.triangles_center[:, 2] < 2.0  # cut the top off
    sphere.update_faces(keep)
    path = _write(sphere, tmp_path / "open.obj")
    with pytest.raises(StationError, match=r"open.obj: the cabin shell is not closed.*open edges"):
        load_station(path)


def test_loads_are_cached_until_the_file_changes(tmp_path):
    path = _write(_sphere(), tmp_path / "pod.ply")
    first = load_station(path)
    again = load_station(path)
    assert again.boundary is first.boundary
    again.warnings.append("scribble")
    assert load_station(path).warnings == []
    _write(_sphere(2.5), path)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    changed = load_station(path)
    assert changed.boundary is not first.boundary
    assert changed.boundary.extents.max() == pytest.approx(5.0, rel=0.01)
