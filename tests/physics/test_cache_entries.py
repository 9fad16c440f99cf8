"""The bake cache checks what it loads and never follows a link out of its folder.

Each bad entry is made for real and planted at the scene's key: NaN positions, forged
trajectories with a correct checksum (a body 50 m outside the module, wrong body ids, two
frames), a damaged archive, a zip bomb (about half a megabyte declaring 512 MiB), an archive
whose array header lies about its size, an oversized file, a pipe, and symbolic links
(dangling, pointing out of the cache folder, or at a valid entry elsewhere). Every time the
bake runs again and gives the same trajectory as a fresh bake, the bad entry is gone, one
warning says why, nothing is written outside the cache folder, and the next run loads the
rebuilt entry. A valid entry still loads bit for bit.
"""

from __future__ import annotations

import json
import logging
import os
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pytest

from see1previs.core.scene import Scene
from see1previs.physics import cache_files
from see1previs.physics.cache import BakeCache
from see1previs.physics.cache_entry import (
    ENTRY_RECORD,
    Expected,
    entry_arrays,
    read_entry,
)
from see1previs.physics.npz_archive import ArchiveError, write_npz
from see1previs.physics.simulation import BakeResult, simulate
from see1previs.physics.trajectory import Trajectory
from tests.physics.scenes import make_scene, sphere_prop

ARRAYS = (
    "times",
    "positions",
    "orientations",
    "linear_velocities",
    "angular_velocities",
    "link_positions",
    "link_orientations",
)


def two_balls() -> Scene:
    """One second at 24 fps: two balls that meet once (25 frames, 2 bodies, 1 contact)."""
    return make_scene(
        [
            sphere_prop("red", (-0.6, 0.0, 0.0), (0.8, 0.0, 0.0)),
            sphere_prop("blue", (0.4, 0.05, 0.0), (-0.3, 0.0, 0.0), mass=2.0),
        ],
        duration=1.0,
    )


@pytest.fixture(scope="module")
def fresh() -> BakeResult:
    """The scene baked without any cache: the truth every rebake must equal."""
    result = simulate(two_balls())
    assert len(result.trajectory.contacts) == 1
    return result


@pytest.fixture
def cache(tmp_path: Path) -> BakeCache:
    return BakeCache(tmp_path / "cache")


def expected_for(result: BakeResult) -> Expected:
    return Expected.for_world(result.world, result.cache_key)


def plant(cache: BakeCache, result: BakeResult, trajectory: Trajectory) -> Path:
    """Write ``trajectory`` at the scene's key as a well-formed entry with a valid checksum
    (what someone who knows the format would forge), skipping every content check."""
    path = cache.path_for(result.cache_key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(write_npz(entry_arrays(trajectory)))
    return path


def copy_of(trajectory: Trajectory, **changes) -> Trajectory:
    fields = {
        "body_ids": list(trajectory.body_ids),
        "frame_rate": trajectory.frame_rate,
        **{name: getattr(trajectory, name).copy() for name in ARRAYS[:5]},
        "contacts": trajectory.contacts.copy(),
        "metadata": dict(trajectory.metadata),
        "links": list(trajectory.links),
        "link_positions": trajectory.link_positions,
        "link_orientations": trajectory.link_orientations,
    }
    fields.update(changes)
    return Trajectory(**fields)


def assert_rebaked(
    cache: BakeCache, fresh: BakeResult, caplog: pytest.LogCaptureFixture, reason: str
) -> BakeResult:
    """Simulating now bakes again (equal to a fresh bake), says why once, and leaves a valid
    entry that the next run loads."""
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="see1previs.physics.cache"):
        result = simulate(two_balls(), cache=cache)
    assert result.from_cache is False
    assert result.trajectory.content_hash() == fresh.trajectory.content_hash()
    assert result.cache_notice is not None and reason in result.cache_notice
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warnings == [result.cache_notice]

    entry = cache.path_for(fresh.cache_key)
    assert entry.is_file() and not entry.is_symlink()
    with open(entry, "rb") as file:
        rebuilt = read_entry(file, expected_for(fresh))
    assert rebuilt.content_hash() == fresh.trajectory.content_hash(), "the bad entry is gone"

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="see1previs.physics.cache"):
        again = simulate(two_balls(), cache=cache)
    assert again.from_cache is True and again.cache_notice is None
    assert not caplog.records, "the warning is said once"
    return result


# ---- a valid entry -----------------------------------------------------------------------


def test_a_valid_entry_loads_bit_identically(cache: BakeCache, fresh: BakeResult):
    first = simulate(two_balls(), cache=cache)
    second = simulate(two_balls(), cache=cache)
    assert (first.from_cache, second.from_cache) == (False, True)
    assert second.cache_notice is None
    a, b = first.trajectory, second.trajectory
    baked, loaded = a.archive_arrays(), b.archive_arrays()
    assert baked.keys() == loaded.keys()
    for name, x in baked.items():
        y = loaded[name]
        assert x.dtype == y.dtype and x.shape == y.shape and x.tobytes() == y.tobytes(), name
    assert (b.body_ids, b.links, b.frame_rate) == (a.body_ids, a.links, a.frame_rate)
    assert b.metadata == a.metadata
    assert b.content_hash() == fresh.trajectory.content_hash()
    assert isinstance(b.positions, np.ndarray) and b.positions.flags.writeable


def test_an_articulated_bake_loads_bit_identically(tmp_path: Path):
    scene = make_scene(
        [sphere_prop("ball", (0.5, 0.5, 0.0), (0.3, 0.0, 0.0))],
        duration=0.5,
        actors=[{"id": "mika", "body": "humanoid", "pose": {"position": [0.0, -1.0, 0.0]}}],
    )
    cache = BakeCache(tmp_path)
    first = simulate(scene, cache=cache)
    second = simulate(scene, cache=cache)
    assert second.from_cache is True, second.cache_notice
    assert len(second.trajectory.links) == 16
    assert second.trajectory.content_hash() == first.trajectory.content_hash()
    assert second.trajectory.link_positions.tobytes() == first.trajectory.link_positions.tobytes()

    # A segment forged far outside the module is refused like a body.
    forged = copy_of(first.trajectory)
    forged.link_positions = first.trajectory.link_positions.copy()
    forged.link_positions[-1, 3] += (0.0, 0.0, 50.0)
    plant(cache, first, forged)
    third = simulate(scene, cache=cache)
    assert third.from_cache is False
    assert "an actor segment is far outside the module" in third.cache_notice
    assert third.trajectory.content_hash() == first.trajectory.content_hash()


# ---- entries whose contents are wrong ------------------------------------------------------


def test_nan_positions_are_discarded_and_rebaked(cache, fresh, caplog):
    positions = fresh.trajectory.positions.copy()
    positions[7:, 1] = np.nan
    plant(cache, fresh, copy_of(fresh.trajectory, positions=positions))
    assert_rebaked(cache, fresh, caplog, "positions are not all finite")


def test_nan_positions_in_an_archive_without_a_checksum_are_discarded(cache, fresh, caplog):
    """A plain trajectory file (as an older version wrote entries) is not trusted either."""
    positions = fresh.trajectory.positions.copy()
    positions[3, 0, 2] = np.nan
    path = cache.path_for(fresh.cache_key)
    copy_of(fresh.trajectory, positions=positions).save_npz(path)
    assert_rebaked(cache, fresh, caplog, "missing 'cache_entry'")


def _outside(t: Trajectory) -> Trajectory:
    positions = t.positions.copy()
    positions[:, 0] += (50.0, 0.0, 0.0)
    return copy_of(t, positions=positions)


def _two_frames(t: Trajectory) -> Trajectory:
    return copy_of(t, **{name: getattr(t, name)[:2].copy() for name in ARRAYS[:5]})


def _unknown_contact(t: Trajectory) -> Trajectory:
    contacts = t.contacts.copy()
    contacts["body_b"] = "ghost"
    return copy_of(t, contacts=contacts)


def _spun(t: Trajectory) -> Trajectory:
    return copy_of(t, orientations=t.orientations * 2.0)


@pytest.mark.parametrize(
    ("forge", "reason"),
    [
        (_outside, "a body is far outside the module"),
        (lambda t: copy_of(t, body_ids=["red", "green"]), "are not the scene's"),
        (lambda t: copy_of(t, body_ids=["blue", "red"]), "are not the scene's"),
        (_two_frames, "'times' has shape (2,), expected (25,)"),
        (_unknown_contact, "a contact names a body the scene does not have"),
        (_spun, "orientations are not unit quaternions"),
        (lambda t: copy_of(t, metadata={**t.metadata, "cache_key": "0" * 64}), "another scene"),
    ],
    ids=["body-50m-outside", "wrong-ids", "swapped-ids", "two-frames", "contact", "quat", "key"],
)
def test_a_forged_trajectory_is_not_shown_as_cached(cache, fresh, caplog, forge, reason):
    plant(cache, fresh, forge(fresh.trajectory))
    result = assert_rebaked(cache, fresh, caplog, reason)
    assert result.trajectory.body_ids == ["red", "blue"]


def test_an_entry_changed_after_it_was_written_fails_its_checksum(cache, fresh, caplog):
    path = plant(cache, fresh, fresh.trajectory)
    with np.load(path, allow_pickle=False) as archive:
        arrays = {name: archive[name] for name in archive.files}
    arrays["positions"] = arrays["positions"] + 1e-9  # plausible, but not what was stored
    path.write_bytes(write_npz(arrays))
    assert_rebaked(cache, fresh, caplog, "checksum does not match")


def test_an_entry_of_another_format_version_is_discarded(cache, fresh, caplog):
    path = plant(cache, fresh, fresh.trajectory)
    with np.load(path, allow_pickle=False) as archive:
        arrays = {name: archive[name] for name in archive.files}
    record = json.loads(str(arrays[ENTRY_RECORD]))
    arrays[ENTRY_RECORD] = np.array(json.dumps({**record, "version": 99}))
    path.write_bytes(write_npz(arrays))
    assert_rebaked(cache, fresh, caplog, "another format")


def test_a_torn_entry_is_discarded(cache, fresh, caplog):
    path = plant(cache, fresh, fresh.trajectory)
    path.write_bytes(path.read_bytes()[:-300])
    assert_rebaked(cache, fresh, caplog, "not a NumPy archive")


# ---- entries built to exhaust memory or time -------------------------------------------------

BOMB_SHAPE = (11_184_810, 2, 3)  # float64: 536,870,880 bytes, 512 MiB of positions


def _zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip archive of already deflated members: (name, deflated, crc32, size)."""
    out, directory = bytearray(), bytearray()
    for name, deflated, crc, size in members:
        offset, encoded = len(out), name.encode()
        fields = (20, 0, zipfile.ZIP_DEFLATED, 0, 0x21, crc, len(deflated), size, len(encoded))
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + encoded + deflated
        directory += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, 0o644 << 16, offset
        )
        directory += encoded
    count = len(members)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), len(out), 0)
    return bytes(out + directory + end)


def _deflated(data: bytes) -> tuple[bytes, int, int]:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(), zlib.crc32(data), len(data)


def zip_bomb(trajectory: Trajectory) -> bytes:
    """A real entry archive whose positions are 512 MiB of zeros, deflated to ~half a MB.

    The zeros go in 1 MiB blocks, each deflated once after a full flush (so it stands alone)
    and repeated: the archive is valid, its CRC right, and a reader that trusts it inflates
    all 512 MiB.
    """
    header = _npy_header(BOMB_SHAPE)
    zeros = int(np.prod(BOMB_SHAPE)) * 8
    mib = 1 << 20
    blocks, first = divmod(zeros, mib)
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    head = packer.compress(header + bytes(first)) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(bytes(mib)) + packer.flush(zlib.Z_FULL_FLUSH)
    deflated = head + block * blocks + packer.flush()
    crc = zlib.crc32(bytes(first), zlib.crc32(header))
    chunk = bytes(mib)
    for _ in range(blocks):
        crc = zlib.crc32(chunk, crc)
    members = []
    for name, array in entry_arrays(trajectory).items():
        if name == "positions":
            members.append(("positions.npy", deflated, crc, len(header) + zeros))
        else:
            members.append((f"{name}.npy", *_deflated(_npy(array))))
    return _zip(members)


def _npy_header(shape: tuple[int, ...], descr: str = "<f8") -> bytes:
    import io

    buffer = io.BytesIO()
    header = {"descr": descr, "fortran_order": False, "shape": shape}
    np.lib.format.write_array_header_1_0(buffer, header)
    return buffer.getvalue()


def _npy(array: np.ndarray) -> bytes:
    import io

    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.asanyarray(array), allow_pickle=False)
    return buffer.getvalue()


@pytest.fixture
def opened_members(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of archive members anyone opens (and so starts to decompress)."""
    opened: list[str] = []
    original = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        opened.append(name if isinstance(name, str) else name.filename)
        return original(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    return opened


def test_a_zip_bomb_is_refused_before_decompressing(cache, fresh, caplog, opened_members):
    path = cache.path_for(fresh.cache_key)
    path.parent.mkdir(parents=True)
    path.write_bytes(zip_bomb(fresh.trajectory))
    size = path.stat().st_size
    with zipfile.ZipFile(path) as archive:  # the directory alone, nothing inflated
        declared = sum(info.file_size for info in archive.infolist())
    assert size < 700_000 and declared > 512 * 2**20, (size, declared)

    found = cache.lookup(expected_for(fresh))
    assert found.trajectory is None
    assert "'positions' declares 536871008 bytes uncompressed" in found.discarded
    assert "not decompressed" in found.discarded
    assert opened_members == [], "no member was opened, so nothing was inflated"
    assert not path.exists()

    path.write_bytes(zip_bomb(fresh.trajectory))
    assert_rebaked(cache, fresh, caplog, "not decompressed")


def test_a_zip_bomb_is_a_real_one(tmp_path: Path, fresh: BakeResult):
    """The bomb above is a valid archive a trusting reader inflates to 512 MiB."""
    path = tmp_path / "bomb.npz"
    path.write_bytes(zip_bomb(fresh.trajectory))
    with zipfile.ZipFile(path) as archive, archive.open("positions.npy") as member:
        assert np.lib.format.read_magic(member) == (1, 0)
        shape, _, dtype = np.lib.format.read_array_header_1_0(member)
        assert shape == BOMB_SHAPE and dtype == np.float64
        total = member.tell()
        while chunk := member.read(1 << 24):  # checks the CRC at the end
            total += len(chunk)
    assert total == archive.getinfo("positions.npy").file_size > 512 * 2**20


def test_an_array_header_that_lies_about_its_size_is_refused(cache, fresh, caplog):
    """A member declaring a few bytes whose header claims a billion frames."""
    members = []
    for name, array in entry_arrays(fresh.trajectory).items():
        data = _npy(array)
        if name == "positions":
            data = _npy_header((10**9, 2, 3)) + bytes(48)
        members.append((f"{name}.npy", *_deflated(data)))
    path = cache.path_for(fresh.cache_key)
    path.parent.mkdir(parents=True)
    path.write_bytes(_zip(members))
    assert_rebaked(cache, fresh, caplog, "'positions' has shape (1000000000, 2, 3)")


def test_a_file_larger_than_the_bake_can_be_is_not_read(cache, fresh, caplog):
    expected = expected_for(fresh)
    path = cache.path_for(fresh.cache_key)
    path.parent.mkdir(parents=True)
    with open(path, "wb") as file:
        file.truncate(expected.size_limit() + 1)  # sparse: no disk used
    assert_rebaked(cache, fresh, caplog, "more than a bake of this scene can")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_at_the_key_is_not_waited_on(cache, fresh, caplog):
    path = cache.path_for(fresh.cache_key)
    path.parent.mkdir(parents=True)
    os.mkfifo(path)
    assert_rebaked(cache, fresh, caplog, "not a regular file")


# ---- links ---------------------------------------------------------------------------------


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_a_dangling_link_at_the_key_is_removed_not_written_through(tmp_path, cache, fresh, caplog):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("untouched")
    target = elsewhere / "victim.npz"
    path = cache.path_for(fresh.cache_key)
    path.parent.mkdir(parents=True)
    path.symlink_to(target)
    assert not path.exists() and path.is_symlink()

    assert_rebaked(cache, fresh, caplog, "symbolic link")
    assert not target.exists() and not target.is_symlink()
    assert files_under(elsewhere) == {"keep.txt": b"untouched"}
    assert sorted(p.name for p in cache.folder.iterdir()) == [path.name], "no temporaries left"


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_a_link_to_a_valid_entry_outside_is_not_followed(tmp_path, cache, fresh, caplog):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    outside = elsewhere / "entry.npz"
    outside.write_bytes(write_npz(entry_arrays(_outside(fresh.trajectory))))
    before = files_under(elsewhere)
    path = cache.path_for(fresh.cache_key)
    path.parent.mkdir(parents=True)
    path.symlink_to(outside)

    assert_rebaked(cache, fresh, caplog, "symbolic link")
    assert files_under(elsewhere) == before


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_a_link_planted_between_reading_and_writing_is_replaced(tmp_path, cache, fresh):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    path = cache.path_for(fresh.cache_key)
    path.parent.mkdir(parents=True)
    path.symlink_to(elsewhere / "victim.npz")
    assert cache.store(fresh.trajectory, expected_for(fresh)) == path
    assert path.is_file() and not path.is_symlink()
    assert list(elsewhere.iterdir()) == []


# ---- storing -------------------------------------------------------------------------------


def test_a_broken_bake_is_not_stored(cache, fresh):
    positions = fresh.trajectory.positions.copy()
    positions[-1, 0] = np.inf
    assert cache.store(copy_of(fresh.trajectory, positions=positions), expected_for(fresh)) is None
    assert not cache.path_for(fresh.cache_key).exists()


def test_an_unwritable_cache_folder_is_only_a_warning(tmp_path, fresh, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    with caplog.at_level(logging.WARNING, logger="see1previs.physics.cache"):
        result = simulate(two_balls(), cache=BakeCache(blocker / "cache"))
    assert result.from_cache is False
    assert result.trajectory.content_hash() == fresh.trajectory.content_hash()
    assert any("could not save the bake" in r.getMessage() for r in caplog.records)


def test_half_written_entries_of_killed_runs_are_cleaned_up(cache, fresh):
    path = cache.path_for(fresh.cache_key)
    path.parent.mkdir(parents=True)
    stale, recent = (path.with_name(f".{path.name}.{tag}.tmp") for tag in ("0ld", "n3w"))
    for leftover in (stale, recent):
        leftover.write_bytes(b"PK half an entry")
    hour_ago = stale.stat().st_mtime - 2 * cache_files.STALE_TEMPORARY_SECONDS
    os.utime(stale, (hour_ago, hour_ago))
    assert cache.store(fresh.trajectory, expected_for(fresh)) == path
    assert not stale.exists(), "left by a killed run"
    assert recent.exists(), "may belong to a run still writing"


def test_a_key_is_only_ever_a_file_name(cache):
    with pytest.raises(ValueError, match="not a bake key"):
        cache.path_for("../../outside")


# ---- the command line ------------------------------------------------------------------------


def test_the_cli_says_once_why_it_bakes_again(tmp_path, fresh):
    scene_path = tmp_path / "balls.see1.json"
    scene_path.write_text(two_balls().model_dump_json(), encoding="utf-8")
    cache = BakeCache(tmp_path / "cache")
    positions = fresh.trajectory.positions.copy()
    positions[:, 1] = np.nan
    plant(cache, fresh, copy_of(fresh.trajectory, positions=positions))
    env = {**os.environ, "SEE1_CACHE_DIR": str(cache.folder)}
    command = [sys.executable, "-m", "see1previs", "simulate", str(scene_path), "--report"]

    def run() -> subprocess.CompletedProcess:
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)

    first = run()
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr
    assert first.stderr.count("discarded the entry") == 1
    assert "positions are not all finite" in first.stderr
    assert "[from bake cache]" not in first.stdout
    second = run()
    assert second.returncode == 0, second.stderr
    assert "discarded" not in second.stderr
    assert "[from bake cache]" in second.stdout


# ---- plain trajectory files --------------------------------------------------------------------


def test_a_trajectory_file_whose_header_lies_is_refused_unread(tmp_path, fresh):
    """``Trajectory.load_npz`` checks each array's header against the bytes the archive
    declares before allocating anything."""
    for shape, reason in [
        ((10**9, 2, 3), "'positions' is larger than"),
        ((1_000_000, 2, 3), "'positions' holds 176 bytes, its header says otherwise"),
    ]:
        members = []
        for name, array in fresh.trajectory.archive_arrays().items():
            data = _npy_header(shape) + bytes(48) if name == "positions" else _npy(array)
            members.append((f"{name}.npy", *_deflated(data)))
        path = tmp_path / "lying.npz"
        path.write_bytes(_zip(members))
        with pytest.raises(ArchiveError, match=re.escape(reason)):
            Trajectory.load_npz(path)


def test_a_frame_rate_too_large_to_expand_is_refused(tmp_path, fresh):
    arrays = fresh.trajectory.archive_arrays()
    metadata = json.loads(str(arrays["metadata"]))
    arrays["metadata"] = np.array(json.dumps({**metadata, "frame_rate": "1e99999999"}))
    path = tmp_path / "rate.npz"
    path.write_bytes(write_npz(arrays))
    with pytest.raises(ArchiveError, match="is not a positive fraction"):
        Trajectory.load_npz(path)
