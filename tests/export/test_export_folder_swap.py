"""An export replaces its folder as a whole: what it keeps, what it refuses, how it recovers.

The crash states below are built by hand, file by file, exactly as a killed export leaves
them (see ``see1previs.export.staging``); ``tests/crash`` kills real exports.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from see1previs.export.files import ExportError, staged_output
from see1previs.export.manifest import check_export, manifest_text
from see1previs.export.staging import tidy_beside
from tests.conftest import REPO


def export(out: Path, files: dict[str, str]) -> None:
    """A small export through the real staging, swap and manifest code."""
    with staged_output(out, export_names=("shot_list.csv", "tracks")) as staging:
        for name, text in files.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_text(text)


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def finished_folder(folder: Path, files: dict[str, str]) -> Path:
    """A folder with its manifest, as an export leaves its staging folder once complete."""
    folder.mkdir()
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    (folder / "manifest.json").write_text(manifest_text(folder))
    return folder


OLD = {"shot_list.csv": "old", "tracks/a.csv": "old a"}
NEW = {"shot_list.csv": "new", "tracks/b.csv": "new b"}


def test_other_files_in_the_folder_are_kept_and_the_earlier_exports_are_not(tmp_path):
    out = tmp_path / "plan"
    export(out, OLD)
    (out / "director-notes.txt").write_text("keep me")
    (out / "tracks" / "my-note.txt").write_text("mine")
    (out / "refs").mkdir()
    export(out, NEW)
    assert tree(out) == {
        "director-notes.txt": "keep me",
        "manifest.json": (out / "manifest.json").read_text(),
        "shot_list.csv": "new",
        "tracks/b.csv": "new b",
        "tracks/my-note.txt": "mine",
    }
    assert (out / "refs").is_dir()  # an empty folder of someone's is kept too
    assert check_export(out) == []
    assert os.listdir(tmp_path) == ["plan"]


def test_an_export_by_an_earlier_version_keeps_every_other_file(tmp_path):
    out = tmp_path / "plan"
    out.mkdir()
    (out / "shot_list.csv").write_text("old")
    (out / "stage.usda").write_text("old stage: written by an earlier version, no manifest")
    (out / "notes.txt").write_text("mine")
    leftover = out / ".see1-export-k2j4h1"  # that version's staging folder, left by a crash
    leftover.mkdir()
    (leftover / "shot_list.csv").write_text("half")
    export(out, NEW)
    assert tree(out) == {
        "manifest.json": (out / "manifest.json").read_text(),
        "notes.txt": "mine",
        "shot_list.csv": "new",
        "stage.usda": "old stage: written by an earlier version, no manifest",
        "tracks/b.csv": "new b",
    }


def test_a_folder_of_other_work_is_refused_and_left_alone(tmp_path):
    out = tmp_path / "documents"
    out.mkdir()
    (out / "thesis.odt").write_text("years of work")
    with pytest.raises(ExportError, match=r"'.*documents' holds other files \('thesis.odt'\)"):
        export(out, NEW)
    assert tree(out) == {"thesis.odt": "years of work"}
    assert os.listdir(tmp_path) == ["documents"]


def test_an_empty_folder_is_used(tmp_path):
    out = tmp_path / "plan"
    out.mkdir()
    export(out, NEW)
    assert check_export(out) == [] and os.listdir(tmp_path) == ["plan"]


def test_a_file_where_the_export_needs_a_folder_is_an_error(tmp_path):
    out = tmp_path / "plan"
    export(out, {"shot_list.csv": "old"})
    (out / "tracks").write_text("someone's file called tracks")
    before = tree(out)
    with pytest.raises(ExportError, match=r"plan.tracks.*a file of that name is in the way"):
        export(out, NEW)
    assert tree(out) == before and os.listdir(tmp_path) == ["plan"]


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_a_linked_folder_is_replaced_where_it_really_is(tmp_path):
    real = tmp_path / "disk" / "plan"
    export(real, OLD)
    link = tmp_path / "plan"
    link.symlink_to(real)
    export(link, NEW)
    assert link.is_symlink() and tree(real)["shot_list.csv"] == "new"
    assert os.listdir(tmp_path / "disk") == ["plan"]


# -- recovery after a kill ---------------------------------------------------------------------


def test_killed_between_the_two_renames_after_finishing_the_new_folder_goes_in(tmp_path):
    out = tmp_path / "plan"
    finished_folder(tmp_path / ".plan.0123456789ab.see1-replaced", OLD)
    finished_folder(tmp_path / ".plan.0123456789ab.see1-export", NEW)
    tidy_beside(out, 0.0)
    assert tree(out)["shot_list.csv"] == "new" and check_export(out) == []
    assert os.listdir(tmp_path) == ["plan"]


def test_killed_between_the_two_renames_with_an_incomplete_new_folder_the_old_goes_back(
    tmp_path,
):
    out = tmp_path / "plan"
    finished_folder(tmp_path / ".plan.0123456789ab.see1-replaced", OLD)
    new = finished_folder(tmp_path / ".plan.0123456789ab.see1-export", NEW)
    (new / "tracks" / "b.csv").unlink()  # nothing a real export does, but never trusted
    tidy_beside(out, 0.0)
    assert tree(out)["shot_list.csv"] == "old" and check_export(out) == []
    assert os.listdir(tmp_path) == ["plan"]


def test_the_next_export_recovers_the_folder_even_if_it_fails_itself(tmp_path):
    out = tmp_path / "plan"
    finished_folder(tmp_path / ".plan.0123456789ab.see1-replaced", OLD)
    finished_folder(tmp_path / ".plan.0123456789ab.see1-export", NEW)
    finished_folder(tmp_path / ".plan.ba9876543210.see1-export", {"shot_list.csv": "other"})
    with pytest.raises(RuntimeError), staged_output(out):
        raise RuntimeError("writer crashed")
    assert tree(out)["shot_list.csv"] == "new" and check_export(out) == []
    assert os.listdir(tmp_path) == ["plan"]


def test_a_killed_fresh_export_leaves_no_folder_and_its_staging_goes(tmp_path):
    finished_folder(tmp_path / ".plan.0123456789ab.see1-export", NEW)  # before its rename
    (tmp_path / ".other.0123456789ab.see1-export").mkdir()  # another folder's: not ours
    tidy_beside(tmp_path / "plan", 0.0)
    assert sorted(os.listdir(tmp_path)) == [".other.0123456789ab.see1-export"]


HOLDER = """
import sys
from pathlib import Path
from see1previs.export.files import staged_output
with staged_output(Path(sys.argv[1])) as staging:
    (staging / "shot_list.csv").write_text("from the other process")
    print("writing", flush=True)
    sys.stdin.read()  # until the test says so
"""


def start_holder(out: Path) -> subprocess.Popen:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(out)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert child.stdout.readline().strip() == "writing"
    return child


def staging_folders(folder: Path) -> list[str]:
    return sorted(n for n in os.listdir(folder) if n.endswith(".see1-export"))


@pytest.mark.skipif(os.name != "posix", reason="folder locks are POSIX's")
def test_a_running_exports_staging_is_never_tidied_and_a_killed_ones_is(tmp_path):
    out = tmp_path / "plan"
    export(out, OLD)
    child = start_holder(out)
    try:
        (theirs,) = staging_folders(tmp_path)
        export(out, NEW)  # a concurrent export to the same folder
        assert staging_folders(tmp_path) == [theirs]
        assert tree(out)["shot_list.csv"] == "new"
        child.stdin.close()  # let it finish: it replaces the folder in turn
        assert child.wait(timeout=30) == 0
    finally:
        child.kill()
    assert tree(out)["shot_list.csv"] == "from the other process"
    assert check_export(out) == [] and os.listdir(tmp_path) == ["plan"]

    child = start_holder(out)
    child.kill()  # SIGKILL: no clean-up of its own
    child.wait()
    assert len(staging_folders(tmp_path)) == 1
    export(out, NEW)
    assert os.listdir(tmp_path) == ["plan"]


def test_a_relative_folder_is_staged_beside_it_too(tmp_path, monkeypatch):
    (tmp_path / "plan").mkdir()
    monkeypatch.chdir(tmp_path / "plan")
    export(Path("."), NEW)  # exporting into the folder one is in
    assert tree(tmp_path / "plan")["shot_list.csv"] == "new"
    assert os.listdir(tmp_path) == ["plan"]
