"""A camera-plan export lands completely or not at all, and says which folder it could not use."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from see1previs.export import camera_plan
from see1previs.export.camera_plan import export_camera_plan
from see1previs.export.files import ExportError, staged_output
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
            "timeline.otio",
            "shot_list.csv",
            "tracks/SH010_CAM-A.csv",
            "tracks/SH010_CAM-A.json",
            "tracks/SH020_CAM-B.csv",
            "tracks/SH020_CAM-B.json",
        ]
    )
    assert sorted(snapshot(out)) == sorted([*names, "tracks"])  # nothing hidden left behind
    again = export_camera_plan(out, *plan)  # a re-export replaces the same files
    assert sorted(written) == sorted(again)
    assert sorted(snapshot(out)) == sorted([*names, "tracks"])


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


# Files move in sorted order: shot_list.csv (replacing an earlier one) first, the first
# file of the new tracks/ folder fourth.
@pytest.mark.parametrize("failing_move", [1, 4])
def test_a_failure_while_moving_files_into_place_is_rolled_back(
    plan, tmp_path, monkeypatch, failing_move
):
    out = tmp_path / "plan"
    out.mkdir()
    (out / "shot_list.csv").write_text("an earlier export")
    before = snapshot(out)
    real_replace = os.replace
    moves = []

    def replace(src, dst):
        # Count only staged files moving into the output folder (not backups or restores).
        into_place = ".see1-export-" in str(src) and ".see1-export-" not in str(dst)
        if into_place and ".replaced" not in str(src):
            moves.append(dst)
            if len(moves) == failing_move:
                raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(ExportError, match="disk is full"):
        export_camera_plan(out, *plan)
    monkeypatch.undo()
    assert len(moves) == failing_move
    assert snapshot(out) == before  # the earlier shot list is back, nothing new remains


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
    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
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
