"""Files a scene names are found next to the scene, whichever separator the scene was written with.

A scene saved on Windows names ``props\\t-handle.obj``; the same scene opened on Linux must
find the mesh, the custom interior and compute its bake-cache key, exactly as with ``/``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from see1previs.core.asset_paths import scene_asset_path
from see1previs.core.scene import Scene
from see1previs.physics.cache import bake_key
from see1previs.physics.simulation import SceneSetupError, prepare_world
from tests.conftest import ASSETS
from tests.physics.scenes import sphere_prop


def test_backslashes_are_separators_relative_to_the_scene_folder(tmp_path: Path):
    assert scene_asset_path("props\\slate.glb", tmp_path) == tmp_path / "props" / "slate.glb"
    assert scene_asset_path("props/slate.glb", tmp_path) == tmp_path / "props" / "slate.glb"
    assert scene_asset_path("slate.glb", None) == Path("slate.glb")
    assert scene_asset_path(str(tmp_path / "a.glb"), Path("/elsewhere")) == tmp_path / "a.glb"


def test_a_windows_drive_path_is_kept_as_written():
    assert scene_asset_path("C:\\props\\slate.glb", Path("/scenes")) == Path("C:\\props\\slate.glb")


def _scene_folder(tmp_path: Path) -> Path:
    (tmp_path / "props").mkdir()
    (tmp_path / "interiors").mkdir()
    shutil.copy(ASSETS / "props" / "t-handle.obj", tmp_path / "props" / "t-handle.obj")
    for name in ("see1.glb", "see1.fixtures.json"):
        shutil.copy(ASSETS / "stations" / name, tmp_path / "interiors" / name)
    return tmp_path


def _scene(separator: str) -> Scene:
    handle = {
        "id": "handle",
        "shape": {"type": "mesh", "file": f"props{separator}t-handle.obj"},
        "mass": 0.4,
        "pose": {"position": [0.5, 0.0, 0.0]},
    }
    return Scene.model_validate(
        {
            "format": 2,
            "frame_rate": 24,
            "duration": 0.5,
            "station": {"interior": f"interiors{separator}see1.glb"},
            "props": [sphere_prop("ball", (-0.5, 0.0, 0.0), (0.0, 0.0, 0.0)), handle],
        }
    )


@pytest.mark.parametrize("separator", ["/", "\\"])
def test_scene_written_with_either_separator_builds_and_keys_the_cache(tmp_path, separator):
    folder = _scene_folder(tmp_path)
    world = prepare_world(_scene(separator), folder)
    assert world.station.source == (folder / "interiors" / "see1.glb").resolve()
    key = bake_key(_scene(separator), world.station, folder)
    with (folder / "props" / "t-handle.obj").open("a") as mesh:
        mesh.write("# edited\n")
    assert bake_key(_scene(separator), world.station, folder) != key  # the mesh bytes count


def test_a_missing_mesh_named_with_backslashes_is_a_setup_error(tmp_path: Path):
    folder = _scene_folder(tmp_path)
    (folder / "props" / "t-handle.obj").unlink()
    with pytest.raises(SceneSetupError) as error:
        prepare_world(_scene("\\"), folder)
    assert "props[1].shape.file" in str(error.value)
