"""Saving scene files: canonical text, atomic replacement, and asset paths."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from see1previs.core import scenefile
from see1previs.core.scene import Prop, Scene, SphereShape
from see1previs.core.scenefile import (
    SceneFileError,
    load_scene,
    resolve_asset,
    save_scene,
    scene_from_data,
    scene_to_text,
)
from tests.core.samples import valid_scene_data

# -- canonical text ----------------------------------------------------------------------------


def test_canonical_text_of_a_small_scene() -> None:
    scene = scene_from_data(
        {
            "format": 2,
            "title": "Café — sc. 3",
            "frame_rate": "24000/1001",
            "props": [{"id": "ball", "shape": {"type": "sphere", "radius": 0.1}, "mass": 1}],
        }
    )
    # Written out by hand: defaults left out except the four always-written fields.
    assert scene_to_text(scene) == (
        "{\n"
        '  "format": 4,\n'
        '  "title": "Café — sc. 3",\n'
        '  "frame_rate": 23.976,\n'
        '  "duration": 10.0,\n'
        '  "props": [\n'
        "    {\n"
        '      "id": "ball",\n'
        '      "shape": {\n'
        '        "type": "sphere",\n'
        '        "radius": 0.1\n'
        "      },\n"
        '      "mass": 1.0\n'
        "    }\n"
        "  ]\n"
        "}\n"
    )


def test_a_default_scene_still_states_format_title_rate_and_duration() -> None:
    assert json.loads(scene_to_text(Scene())) == {
        "format": 4,
        "title": "Untitled scene",
        "frame_rate": 24,
        "duration": 10.0,
    }


def test_non_default_values_are_written_and_defaults_are_not() -> None:
    data = valid_scene_data()
    data["environment"] = {"air_drag": False, "drag_coefficient": 1.05}  # 1.05 is the default
    data["props"][0]["material"] = {"friction": 0.8}
    written = json.loads(scene_to_text(scene_from_data(data)))
    assert written["environment"] == {"air_drag": False}
    assert written["props"][0]["material"] == {"friction": 0.8}
    assert "station" not in written and "simulation" not in written
    assert "pose" not in written["props"][0]
    assert list(written)[:4] == ["format", "title", "frame_rate", "duration"]


def test_quaternions_are_saved_normalised() -> None:
    data = valid_scene_data()
    data["props"][0]["pose"] = {"orientation": [0, 0, 0, 2]}
    written = json.loads(scene_to_text(scene_from_data(data)))
    assert written["props"][0]["pose"]["orientation"] == [0.0, 0.0, 0.0, 1.0]


# -- save and load -----------------------------------------------------------------------------


def test_save_load_save_is_stable(tmp_path: Path) -> None:
    file = tmp_path / "sc.see1.json"
    scene = scene_from_data(valid_scene_data())
    save_scene(scene, file)
    first = file.read_bytes()
    again = load_scene(file)
    assert again == scene
    save_scene(again, file)
    assert file.read_bytes() == first
    assert first.endswith(b"}\n")


def test_saving_writes_utf8_without_escapes(tmp_path: Path) -> None:
    file = tmp_path / "sc.see1.json"
    save_scene(Scene(title="Ωmega — 宇宙"), file)
    assert "Ωmega — 宇宙".encode() in file.read_bytes()


def test_save_accepts_a_string_path(tmp_path: Path) -> None:
    save_scene(Scene(), str(tmp_path / "s.see1.json"))
    assert load_scene(str(tmp_path / "s.see1.json")) == Scene()


def test_a_new_file_gets_ordinary_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    os.umask(umask)
    file = tmp_path / "new.see1.json"
    save_scene(Scene(), file)
    if os.name == "posix":
        assert stat.S_IMODE(file.stat().st_mode) == 0o666 & ~umask


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_replacing_a_file_keeps_its_permissions(tmp_path: Path) -> None:
    file = tmp_path / "shared.see1.json"
    save_scene(Scene(), file)
    file.chmod(0o640)
    save_scene(Scene(title="changed"), file)
    assert stat.S_IMODE(file.stat().st_mode) == 0o640


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_saving_through_a_symlink_updates_the_target(tmp_path: Path) -> None:
    real = tmp_path / "real.see1.json"
    save_scene(Scene(title="old"), real)
    link = tmp_path / "link.see1.json"
    link.symlink_to(real)
    save_scene(Scene(title="new"), link)
    assert link.is_symlink()
    assert load_scene(real).title == "new"


# -- atomic saving -----------------------------------------------------------------------------


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    """A folder holding one saved scene; tests check it is left exactly as it was."""
    save_scene(Scene(title="original"), tmp_path / "scene.see1.json")
    return tmp_path / "scene.see1.json"


def _assert_untouched(file: Path, before: bytes) -> None:
    assert file.read_bytes() == before
    assert sorted(p.name for p in file.parent.iterdir()) == [file.name], "a temp file remains"


def test_failed_rename_leaves_the_original_and_no_temp_file(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = saved.read_bytes()

    def refuse(*args: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(SceneFileError) as caught:
        save_scene(Scene(title="new"), saved)
    monkeypatch.undo()
    _assert_untouched(saved, before)
    assert str(saved) in str(caught.value)
    assert caught.value.action == "save"


def test_disk_full_midway_leaves_the_original_and_no_temp_file(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = saved.read_bytes()
    real_write = os.write
    calls = []

    def write_half_then_fail(fd: int, data: bytes) -> int:
        if fd <= 2:  # leave the test runner's own output alone
            return real_write(fd, data)
        calls.append(len(data))
        if len(calls) == 1:
            return real_write(fd, bytes(data)[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", write_half_then_fail)
    big = Scene(
        props=[
            Prop(id=f"p{i}", shape=SphereShape(type="sphere", radius=1), mass=1) for i in range(50)
        ]
    )
    with pytest.raises(SceneFileError) as caught:
        save_scene(big, saved)
    monkeypatch.undo()
    assert len(calls) == 2, "the save should have failed in the middle of writing"
    _assert_untouched(saved, before)
    assert "No space left on device" in str(caught.value)


def test_failed_flush_to_disk_leaves_the_original(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = saved.read_bytes()

    def fail(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(SceneFileError):
        save_scene(Scene(title="new"), saved)
    monkeypatch.undo()
    _assert_untouched(saved, before)


def test_failed_serialisation_leaves_the_original(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = saved.read_bytes()

    def explode(scene: Scene) -> str:
        raise ValueError("Out of range float values are not JSON compliant")

    monkeypatch.setattr(scenefile, "scene_to_text", explode)
    with pytest.raises(SceneFileError) as caught:
        save_scene(Scene(title="new"), saved)
    monkeypatch.undo()
    _assert_untouched(saved, before)
    assert "cannot be written as JSON" in str(caught.value)


def test_an_interrupt_while_writing_still_cleans_up(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = saved.read_bytes()

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        save_scene(Scene(title="new"), saved)
    monkeypatch.undo()
    _assert_untouched(saved, before)


def test_a_scene_with_non_finite_numbers_is_refused(saved: Path) -> None:
    before = saved.read_bytes()
    broken = Scene.model_construct(**{**dict(Scene()), "duration": float("nan")})
    with pytest.raises(SceneFileError):
        save_scene(broken, saved)
    _assert_untouched(saved, before)


def test_a_scene_that_would_not_load_back_is_refused(saved: Path) -> None:
    before = saved.read_bytes()
    scene = scene_from_data(valid_scene_data())
    # Editing a list in place skips the scene's checks, as a careless script might.
    scene.props.append(scene.props[0].model_copy())
    with pytest.raises(SceneFileError) as caught:
        save_scene(scene, saved)
    _assert_untouched(saved, before)
    assert "props[3].id: id 'mug' is already used by props[0]" in str(caught.value)
    assert str(caught.value).startswith(f"Cannot save scene file '{saved}'")


@contextlib.contextmanager
def _read_only(folder: Path) -> Iterator[None]:
    """Make ``folder`` read-only for this process, even when the tests run as root."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    # Root ignores permission bits; an immutable folder refuses even root.
    chattr = shutil.which("chattr")
    if (
        chattr is None
        or subprocess.run([chattr, "+i", str(folder)], capture_output=True).returncode
    ):
        pytest.skip("cannot make a folder read-only for root here")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(folder)], check=True)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_saving_into_a_read_only_folder(saved: Path) -> None:
    before = saved.read_bytes()
    with _read_only(saved.parent), pytest.raises(SceneFileError) as caught:
        save_scene(Scene(title="new"), saved)
    _assert_untouched(saved, before)
    assert str(saved) in str(caught.value)
    assert f"cannot create a file in the folder '{saved.parent}'" in str(caught.value)


def test_saving_where_the_temp_file_cannot_be_created(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a read-only folder looks like even to a superuser's test run.
    before = saved.read_bytes()
    real_open = os.open

    def deny(path: object, flags: int, mode: int = 0o777) -> int:
        if flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, mode)

    monkeypatch.setattr(os, "open", deny)
    with pytest.raises(SceneFileError) as caught:
        save_scene(Scene(title="new"), saved)
    monkeypatch.undo()
    _assert_untouched(saved, before)
    assert str(saved) in str(caught.value)
    assert f"cannot create a file in the folder '{saved.parent}': Permission denied" in str(
        caught.value
    )


def test_a_file_marked_read_only_is_not_replaced(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = saved.read_bytes()
    # os.access answers for the real user; root may write anything, so ask as a user would.
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != saved)
    with pytest.raises(SceneFileError) as caught:
        save_scene(Scene(title="new"), saved)
    monkeypatch.undo()
    _assert_untouched(saved, before)
    assert "the file is read-only" in str(caught.value)


def test_saving_into_a_missing_folder_names_the_path(tmp_path: Path) -> None:
    file = tmp_path / "no-such-folder" / "scene.see1.json"
    with pytest.raises(SceneFileError) as caught:
        save_scene(Scene(), file)
    assert str(file) in str(caught.value)
    assert not file.parent.exists()


# -- asset paths -------------------------------------------------------------------------------


def test_assets_are_relative_to_the_scene_folder(tmp_path: Path) -> None:
    scene_path = tmp_path / "blocking" / "sc12.see1.json"
    assert resolve_asset(scene_path, "props/slate.glb") == tmp_path / "blocking/props/slate.glb"
    assert resolve_asset(scene_path, "../shared/mug.obj") == tmp_path / "blocking/../shared/mug.obj"


def test_backslashes_are_read_as_folder_separators(tmp_path: Path) -> None:
    scene_path = tmp_path / "sc.see1.json"
    assert resolve_asset(scene_path, "props\\slate.glb") == tmp_path / "props" / "slate.glb"


def test_unsaved_scene_assets_resolve_against_the_working_folder() -> None:
    assert resolve_asset(None, "props/slate.glb") == Path("props/slate.glb")


def test_absolute_asset_paths_stay_absolute(tmp_path: Path) -> None:
    mesh = tmp_path / "library" / "mug.glb"
    assert resolve_asset(tmp_path / "scenes" / "sc.see1.json", str(mesh)) == mesh


def test_resolving_does_not_require_the_file_to_exist(tmp_path: Path) -> None:
    assert not resolve_asset(tmp_path / "sc.see1.json", "missing.glb").exists()
