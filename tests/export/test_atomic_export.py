"""A camera-plan export lands completely or not at all, and says which folder it could not use."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import sys
from pathlib import Path

import pytest

import see1previs
from see1previs.export import camera_plan, folder_swap
from see1previs.export.camera_plan import export_camera_plan
from see1previs.export.files import ExportError, staged_output
from see1previs.export.manifest import check_export
from see1previs.station.loader import load_station
from tests.export import builders

SHOTS = [
    {"id": "SH010", "name": "10", "camera": "CAM-A", "start": 0.0, "end": 1.0},
    {"id": "SH020", "name": "20", "camera": "CAM-B", "start": 0.5, "end": 1.0, "order": 1},
]


@pytest.fixture(scope="module")
def plan():
    scene = builders.make_scene(duration=1.0, shots=SHOTS, cameras=("CAM-A", "CAM-B"))
    return scene, load_station("see1"), builders.make_trajectory(scene), builders.make_tracks(scene)


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file and folder under ``folder``, hidden ones included, with each file's bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes() if p.is_file() else None
        for p in sorted(folder.rglob("*"))
    }


def test_a_complete_export_writes_every_file_and_no_leftovers(plan, tmp_path):
    out = tmp_path / "new" / "plan"
    written = export_camera_plan(out, *plan)
    names = sorted(str(p.relative_to(out)) for p in written)
    assert names == sorted(
        [
            "stage.usda",
            "scene.glb",
            "timeline.otio",
            "timeline.edl",
            "timeline.xml",
            "shot_list.csv",
            "tracks/SH010_CAM-A.csv",
            "tracks/SH010_CAM-A.json",
            "tracks/SH010_CAM-A.chan",
            "tracks/SH010_CAM-A.opentrackio.json",
            "tracks/SH020_CAM-B.csv",
            "tracks/SH020_CAM-B.json",
            "tracks/SH020_CAM-B.chan",
            "tracks/SH020_CAM-B.opentrackio.json",
            "motion_control.csv",
            "manifest.json",
        ]
    )
    assert sorted(snapshot(out)) == sorted([*names, "tracks"])  # nothing hidden left behind
    assert os.listdir(out.parent) == ["plan"]  # nor beside it
    assert check_export(out) == []
    again = export_camera_plan(out, *plan)  # a re-export replaces the same files
    assert sorted(written) == sorted(again)
    assert sorted(snapshot(out)) == sorted([*names, "tracks"])
    assert os.listdir(out.parent) == ["plan"]


def test_the_manifest_lists_every_file_with_its_size_and_checksum(plan, tmp_path):
    out = tmp_path / "plan"
    export_camera_plan(out, *plan)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["see1previs_export"] == 1
    assert manifest["app_version"] == see1previs.__version__
    listed = {entry["path"]: entry for entry in manifest["files"]}
    on_disk = {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in out.rglob("*")
        if p.is_file() and p.name != "manifest.json"
    }
    assert sorted(listed) == sorted(on_disk)
    for path, data in on_disk.items():
        assert listed[path]["bytes"] == len(data)
        assert listed[path]["sha256"] == hashlib.sha256(data).hexdigest()
    (out / "shot_list.csv").write_text("edited by hand")
    (out / "tracks" / "SH010_CAM-A.json").unlink()
    assert check_export(out) == [
        "'shot_list.csv' is not the file the manifest lists",
        "'tracks/SH010_CAM-A.json' is missing",
    ]


def test_a_writer_failing_mid_export_leaves_the_folder_as_it_was(plan, tmp_path, monkeypatch):
    out = tmp_path / "plan"
    out.mkdir()
    (out / "director-notes.txt").write_text("keep me")
    (out / "shot_list.csv").write_text("an earlier export")
    before = snapshot(out)

    def broken_usd(*args, **kwargs):
        raise RuntimeError("USD writer crashed")

    # The USD stage is written last, after the tracks, shot list and timeline.
    monkeypatch.setattr(camera_plan, "write_usd_stage", broken_usd)
    with pytest.raises(RuntimeError, match="USD writer crashed"):
        export_camera_plan(out, *plan)
    assert snapshot(out) == before
    assert sorted(os.listdir(out)) == ["director-notes.txt", "shot_list.csv"]


@pytest.mark.parametrize("step", ["exchange", "rename aside", "rename into place"])
def test_a_failure_while_swapping_the_folder_in_leaves_it_as_it_was(
    plan, tmp_path, monkeypatch, step
):
    out = tmp_path / "plan"
    export_camera_plan(out, *plan)
    (out / "director-notes.txt").write_text("keep me")
    before = snapshot(out)
    real_rename = os.rename

    def failing_exchange(first, second):
        raise OSError(errno.EIO, "Input/output error")

    def rename(src, dst):
        old_aside = str(dst).endswith(".see1-replaced")
        new_in = str(src).endswith(".see1-export") and Path(dst) == out
        if (old_aside, new_in)[step == "rename into place"]:
            raise OSError(errno.EIO, "Input/output error")
        return real_rename(src, dst)

    if step == "exchange":
        monkeypatch.setattr(folder_swap, "exchange", failing_exchange)
    else:  # the two-rename way, as where the file system cannot exchange
        monkeypatch.setattr(folder_swap, "exchange", lambda first, second: False)
        monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(
        ExportError, match=r"cannot put the export in place at .*plan.*Input/output error"
    ):
        export_camera_plan(out, *plan)
    monkeypatch.undo()
    assert snapshot(out) == before
    assert os.listdir(tmp_path) == ["plan"]  # the staging folder is gone too


def test_the_two_rename_way_replaces_the_folder_too(plan, tmp_path, monkeypatch):
    monkeypatch.setattr(folder_swap, "exchange", lambda first, second: False)
    out = tmp_path / "plan"
    export_camera_plan(out, *plan)
    (out / "shot_list.csv").write_text("an earlier export")
    export_camera_plan(out, *plan)
    assert check_export(out) == []
    assert os.listdir(tmp_path) == ["plan"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_folders_trade_places_in_one_step_where_the_system_can(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one").write_text("1")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two").write_text("2")
    if not folder_swap.exchange(tmp_path / "a", tmp_path / "b"):
        pytest.skip("this file system cannot exchange two folders")
    assert os.listdir(tmp_path / "a") == ["two"]
    assert os.listdir(tmp_path / "b") == ["one"]


def test_a_missing_folder_is_created_and_removed_again_if_the_export_fails(tmp_path):
    out = tmp_path / "a" / "b"
    with pytest.raises(ValueError, match="bad take"), staged_output(out) as staging:
        (staging / "x.csv").write_text("1")
        raise ValueError("bad take")
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_folder_is_named_in_the_error(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    out = tmp_path / "locked" / "plan"
    monkeypatch.setattr(os, "makedirs", refuse)
    with (
        pytest.raises(ExportError, match=r"cannot create the export folder .*locked.plan"),
        staged_output(out),
    ):
        pass
    monkeypatch.undo()

    existing = tmp_path / "read-only"
    existing.mkdir()
    monkeypatch.setattr(os, "mkdir", refuse)  # the staging folder beside it cannot be made
    with (
        pytest.raises(
            ExportError,
            match=r"cannot write to the export folder .*read-only.*"
            "permission denied",
        ),
        staged_output(existing),
    ):
        pass
    assert list(existing.iterdir()) == []


def test_a_file_where_the_folder_should_be_is_an_error(tmp_path):
    (tmp_path / "plan").write_text("not a folder")
    with (
        pytest.raises(ExportError, match="is a file, not a folder"),
        staged_output(tmp_path / "plan"),
    ):
        pass


def test_a_shot_without_a_track_is_refused_before_anything_is_written(plan, tmp_path):
    scene, station, trajectory, tracks = plan
    with pytest.raises(ExportError, match=r"SH020.*CAM-B.*no evaluated track"):
        export_camera_plan(
            tmp_path / "plan", scene, station, trajectory, {"CAM-A": tracks["CAM-A"]}
        )
    assert not (tmp_path / "plan").exists()


def test_a_write_error_names_the_file_where_it_was_going(tmp_path):
    out = tmp_path / "plan"
    with pytest.raises(ExportError) as error, staged_output(out) as staging:
        raise PermissionError(13, "Permission denied", str(staging / "tracks" / "a.csv"))
    message = str(error.value)
    assert str(out / "tracks" / "a.csv") in message
    assert ".see1-export-" not in message
    assert not out.exists()


def test_exported_files_get_the_usual_permissions_not_private_ones(plan, tmp_path):
    previous = os.umask(0o022)
    try:
        written = export_camera_plan(tmp_path / "plan", *plan)
    finally:
        os.umask(previous)
    assert {p.stat().st_mode & 0o777 for p in written} == {0o644}
