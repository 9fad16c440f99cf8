"""What a bake cache entry must be before a scene may use it.

An entry is a trajectory archive plus a ``cache_entry`` record: the entry format version and
a SHA-256 checksum of every other array, written when the entry is stored. Before an entry
is used, :func:`read_entry` checks it against what the scene's world says the bake must look
like (:class:`Expected`): the format and checksum, the body ids and articulated segments in
bake order, exactly the scene's frame times, finite numbers, unit quaternions, every position
within a generous box around the interior, and contacts that name the scene's bodies. The
sizes every array may have are known from the scene, so an archive declaring more is refused
before anything is decompressed.

The checksum catches damage (a torn write, a flipped bit, a file from elsewhere); the
plausibility checks bound what a hand-made entry could show.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import BinaryIO

import numpy as np

from see1previs.physics.npz_archive import (
    ArchiveError,
    Member,
    archive_limit,
    read_npz,
    write_npz,
)
from see1previs.physics.trajectory import CONTACT_DTYPE, Trajectory, archive_members
from see1previs.physics.world import World

ENTRY_FORMAT = "see1previs bake cache"
ENTRY_VERSION = 1
ENTRY_RECORD = "cache_entry"  # the archive member holding format, version and checksum
QUATERNION_TOLERANCE = 1e-6  # allowed departure of |q| from 1
BASE_CONTACTS = 1024  # contact episodes any entry may hold, plus more for long busy scenes
METADATA_BYTES = 1 << 20  # metadata text, plus more per cue (cue outcomes)
METADATA_BYTES_PER_CUE = 64 << 10


class EntryRejected(Exception):
    """A cache entry is not fit to use; the message says why, in a director's terms."""


@dataclass(frozen=True, eq=False)
class Expected:
    """What the bake of one scene looks like, known without baking it."""

    key: str
    body_ids: tuple[str, ...]
    links: tuple[str, ...]
    frame_rate: Fraction
    times: np.ndarray  # (F,) s, exactly the bake's frame times
    low: np.ndarray  # (3,) m, a generous box around the interior
    high: np.ndarray  # (3,) m
    cue_count: int

    @classmethod
    def for_world(cls, world: World, key: str) -> Expected:
        """The bake ``world`` produces, stored under ``key``.

        The position box is the interior's bounding box grown on every side by its own
        largest dimension: a body that really flew that far out is a broken bake anyway.
        """
        scene = world.scene
        rate = scene.frame_rate
        count = rate.frame_count(scene.duration)
        low, high = (np.asarray(corner, dtype=float) for corner in world.station.boundary.bounds)
        margin = float(np.max(high - low))
        return cls(
            key=key,
            body_ids=tuple(handle.id for handle in world.bodies),
            links=tuple(name for rig in world.rigs.values() for name in rig.links),
            frame_rate=Fraction(rate.fps),
            times=np.array([rate.frame_time(k) for k in range(count)]),
            low=low - margin,
            high=high + margin,
            cue_count=len(scene.cues),
        )

    @property
    def frames(self) -> int:
        return len(self.times)

    def members(self) -> dict[str, Member]:
        """Every array an entry holds, with its exact shape or its limit."""
        owners = len(self.body_ids) + len(self.links)
        layout = archive_members(
            frames=self.frames,
            bodies=len(self.body_ids),
            links=len(self.links),
            max_contacts=BASE_CONTACTS + 2 * self.frames * owners,
            max_text_bytes=METADATA_BYTES + METADATA_BYTES_PER_CUE * self.cue_count,
        )
        layout[ENTRY_RECORD] = Member("U", (), 4096)
        return layout

    def size_limit(self) -> int:
        """The most bytes an entry file may take."""
        return archive_limit(self.members())


def checksum(arrays: Mapping[str, np.ndarray]) -> str:
    """SHA-256 over every array but the entry record: names, types, shapes and data."""
    digest = hashlib.sha256()
    for name in sorted(arrays):
        if name == ENTRY_RECORD:
            continue
        array = arrays[name]
        digest.update(f"{name} {array.dtype.str} {array.shape}\n".encode())
        digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()


def entry_arrays(trajectory: Trajectory) -> dict[str, np.ndarray]:
    """The arrays of a cache entry for ``trajectory``: its archive plus the entry record."""
    arrays = trajectory.archive_arrays()
    record = {"format": ENTRY_FORMAT, "version": ENTRY_VERSION, "sha256": checksum(arrays)}
    arrays[ENTRY_RECORD] = np.array(json.dumps(record, sort_keys=True))
    return arrays


def entry_bytes(trajectory: Trajectory, expected: Expected) -> bytes:
    """The entry file for ``trajectory``; :class:`EntryRejected` if it would not pass
    :func:`read_entry` (a broken bake, or one larger than the entry limits)."""
    check(trajectory, expected)
    arrays = entry_arrays(trajectory)
    layout = expected.members()
    for name, array in arrays.items():
        problem = layout[name].problem(array.dtype, array.shape)
        if problem:
            raise EntryRejected(f"its '{name}' {problem}")
    return write_npz(arrays)


def read_entry(file: BinaryIO, expected: Expected) -> Trajectory:
    """The trajectory in an entry file, if it is everything ``expected`` says; else
    :class:`EntryRejected` with the reason."""
    try:
        arrays = read_npz(file, expected.members())
    except ArchiveError as exc:
        raise EntryRejected(str(exc)) from exc
    _check_record(arrays)
    try:
        trajectory = Trajectory.from_archive_arrays(arrays)
    except ArchiveError as exc:
        raise EntryRejected(str(exc)) from exc
    check(trajectory, expected)
    return trajectory


def _check_record(arrays: Mapping[str, np.ndarray]) -> None:
    try:
        record = json.loads(str(arrays[ENTRY_RECORD]))
        kind, version, stored = record["format"], record["version"], record["sha256"]
    except (KeyError, TypeError, ValueError) as exc:
        raise EntryRejected(f"its entry record is not readable ({exc})") from exc
    if kind != ENTRY_FORMAT or version != ENTRY_VERSION:
        raise EntryRejected(f"it is in another format ({kind!r} version {version!r})")
    if stored != checksum(arrays):
        raise EntryRejected("its checksum does not match its contents")


def check(trajectory: Trajectory, expected: Expected) -> None:
    """Raise :class:`EntryRejected` unless ``trajectory`` could be the expected bake."""
    problem = _problem(trajectory, expected)
    if problem:
        raise EntryRejected(problem)


def _problem(t: Trajectory, e: Expected) -> str | None:
    if tuple(t.body_ids) != e.body_ids:
        return f"its bodies {t.body_ids} are not the scene's {list(e.body_ids)}"
    if tuple(t.links) != e.links:
        return "its actor segments are not the scene's"
    if t.frame_rate != e.frame_rate:
        return f"it is at {t.frame_rate} fps, the scene at {e.frame_rate}"
    if t.times.shape != e.times.shape:
        return f"it has {t.frame_count} frames, the scene {e.frames}"
    if not np.array_equal(t.times, e.times):
        return "its frame times are not the scene's"
    if t.metadata.get("cache_key") != e.key:
        return "it was stored for another scene"
    link_positions, link_orientations = t.link_arrays()
    arrays = {
        "positions": t.positions,
        "orientations": t.orientations,
        "linear velocities": t.linear_velocities,
        "angular velocities": t.angular_velocities,
        "segment positions": link_positions,
        "segment orientations": link_orientations,
    }
    for name, array in arrays.items():
        if not np.all(np.isfinite(array)):
            return f"its {name} are not all finite numbers"
    for name in ("orientations", "segment orientations"):
        norms = np.linalg.norm(arrays[name], axis=-1)
        if np.any(np.abs(norms - 1.0) > QUATERNION_TOLERANCE):
            return f"its {name} are not unit quaternions"
    for name, points in (("a body", t.positions), ("an actor segment", link_positions)):
        if _outside(points, e):
            return f"{name} is far outside the module"
    return _contact_problem(t.contacts, t, e)


def _outside(points: np.ndarray, e: Expected) -> bool:
    return bool(np.any(points < e.low) or np.any(points > e.high))


def _contact_problem(contacts: np.ndarray, t: Trajectory, e: Expected) -> str | None:
    if contacts.dtype != CONTACT_DTYPE:
        return "its contacts are not in the contact format"
    if len(contacts) == 0:
        return None
    numbers = [contacts[name] for name in CONTACT_DTYPE.names if CONTACT_DTYPE[name].kind == "f"]
    if not all(np.all(np.isfinite(column)) for column in numbers):
        return "its contacts are not all finite numbers"
    slack = 1.0  # s: a contact may close a step after the last frame
    if np.any(contacts["start"] > contacts["end"]) or np.any(contacts["start"] < -slack):
        return "its contact times are not in order"
    if np.any(contacts["end"] > t.duration + slack):
        return "a contact ends after the scene"
    bodies = set(e.body_ids)
    parts = bodies | set(e.links)
    columns = {"body_a": bodies, "body_b": bodies, "link_a": parts, "link_b": parts}
    for column, known in columns.items():
        if not all(_known(str(name), known) for name in np.unique(contacts[column])):
            return "a contact names a body the scene does not have"
    if _outside(contacts["position"], e):
        return "a contact is far outside the module"
    return None


def _known(name: str, known: set[str]) -> bool:
    return name in known or name == "station" or name.startswith("station:")
