"""Temporary files of saves killed mid-way are ours by name and go at the next save or open.

A live save's temporary file, in another process holding the folder lock, is never touched.
``tests/crash`` kills real saves.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from see1previs.core.atomic_write import remove_leftover_temp_files, replace_file_atomically
from see1previs.core.scene import Scene
from see1previs.core.scenefile import save_scene
from see1previs.session.autosave import Autosaver
from see1previs.session.session import Session
from tests.conftest import REPO

DEAD = ".scene.see1.json.0123456789ab.see1-tmp"


def test_a_save_writes_its_temporary_file_under_a_recognisable_hidden_name(tmp_path, monkeypatch):
    seen = []
    real_replace = os.replace

    def replace(src, dst):
        seen.append(Path(src).name)
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    replace_file_atomically(tmp_path / "scene.see1.json", b"{}")
    (name,) = seen
    assert name.startswith(".scene.see1.json.") and name.endswith(".see1-tmp")


def test_the_next_save_removes_a_dead_saves_temporary_files(tmp_path):
    file = tmp_path / "scene.see1.json"
    save_scene(Scene(title="old"), file)
    (tmp_path / DEAD).write_text('{"format": 2, "tit')
    save_scene(Scene(title="new"), file)
    assert os.listdir(tmp_path) == ["scene.see1.json"]


def test_only_the_temporary_files_of_that_file_and_of_our_making_go(tmp_path):
    keep = [
        ".other.see1.json.0123456789ab.see1-tmp",  # another scene's: its own next save
        ".scene.see1.json.notes.see1-tmp",  # not a name we make
        "scene.see1.json.0123456789ab.see1-tmp",  # not hidden
        ".scene.see1.json.0123456789ab.tmp",  # an earlier version's, too recent to judge
        "notes.tmp",
    ]
    for name in [*keep, DEAD]:
        (tmp_path / name).write_text("x")
    replace_file_atomically(tmp_path / "scene.see1.json", b"{}")
    assert sorted(os.listdir(tmp_path)) == sorted([*keep, "scene.see1.json"])


def test_an_earlier_versions_temporary_file_goes_once_it_is_an_hour_old(tmp_path):
    old = tmp_path / ".scene.see1.json.0123abcd.tmp"
    old.write_text("x")
    an_hour_ago = time.time() - 3601
    os.utime(old, (an_hour_ago, an_hour_ago))
    replace_file_atomically(tmp_path / "scene.see1.json", b"{}")
    assert os.listdir(tmp_path) == ["scene.see1.json"]


def test_opening_a_scene_removes_its_leftovers(tmp_path):
    file = tmp_path / "scene.see1.json"
    save_scene(Scene(title="saved"), file)
    (tmp_path / DEAD).write_text("x")
    Session().open(file)
    assert os.listdir(tmp_path) == ["scene.see1.json"]


def test_autosave_removes_the_leftovers_of_every_earlier_processs_recovery_file(tmp_path):
    folder = tmp_path / "recovery"
    folder.mkdir()
    dead = folder / ".4242-a1b2c3.recovery.json.0123456789ab.see1-tmp"
    dead.write_text("x")
    session = Session()
    session.edit("Retitle", Scene(title="edited"))
    saver = Autosaver(session, folder)
    saver.save_now()
    assert os.listdir(folder) == [saver.file.name]


HOLDER = """
import sys
from pathlib import Path
from see1previs.core.folder_lock import writing_in
folder = Path(sys.argv[1])
with writing_in(folder):
    (folder / ".scene.see1.json.0123456789ab.see1-tmp").write_text("half a save")
    print("writing", flush=True)
    sys.stdin.read()
"""


@pytest.mark.skipif(os.name != "posix", reason="folder locks are POSIX's")
def test_a_save_in_progress_in_another_process_keeps_its_temporary_file(tmp_path):
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    try:
        assert child.stdout.readline().strip() == "writing"
        replace_file_atomically(tmp_path / "scene.see1.json", b"{}")
        remove_leftover_temp_files(tmp_path)
        assert (tmp_path / DEAD).exists()
    finally:
        child.kill()
        child.wait()
    remove_leftover_temp_files(tmp_path, "scene.see1.json")  # its owner is gone now
    assert os.listdir(tmp_path) == ["scene.see1.json"]
