"""On-disk cache of baked trajectories, keyed by everything that determines the result.

The key hashes the scene's content (canonical JSON), the interior geometry, every prop mesh
file's bytes, the physics modelling choices and the versions of the app and MuJoCo.
Reopening an unchanged scene therefore loads its trajectory instead of simulating it again,
and any change that could alter the motion misses the cache. Entries are checked before use
and thrown away if they fail; the cache folder's files are never trusted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

import mujoco

from see1previs import __version__
from see1previs.core.asset_paths import scene_asset_path
from see1previs.core.scene import MeshShape, Scene
from see1previs.physics import cache_files
from see1previs.physics.cache_entry import EntryRejected, Expected, entry_bytes, read_entry
from see1previs.physics.trajectory import Trajectory
from see1previs.physics.world import physics_signature
from see1previs.station.model import Station

log = logging.getLogger(__name__)

KEY_PATTERN = re.compile(r"[0-9a-f]{64}")  # a bake key names a file and nothing else


def default_cache_dir() -> Path:
    """``$SEE1_CACHE_DIR``, else ``$XDG_CACHE_HOME/see1previs/bakes`` (``~/.cache`` default).

    A process with no home folder at all (a bare service account) caches under the system's
    temporary folder rather than failing.
    """
    override = os.environ.get("SEE1_CACHE_DIR")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:
            import tempfile

            base = str(Path(tempfile.gettempdir()) / f"see1previs-{os.getuid()}")
    return Path(base) / "see1previs" / "bakes"


def bake_key(scene: Scene, station: Station, scene_dir: Path | None) -> str:
    digest = hashlib.sha256()
    digest.update(f"see1previs {__version__} mujoco {mujoco.__version__}\n".encode())
    digest.update(physics_signature().encode())
    # Shots never change the motion and cameras only when a cue aims at one, so editing
    # the camera plan keeps the bake.
    camera_ids = {camera.id for camera in scene.cameras}
    aims_at_camera = any(getattr(cue, "toward", None) in camera_ids for cue in scene.cues)
    exclude = {"title", "shots"} | (set() if aims_at_camera else {"cameras"})
    content = scene.model_dump(mode="json", exclude=exclude)
    digest.update(json.dumps(content, sort_keys=True, allow_nan=False).encode())
    digest.update(station.content_hash().encode())
    for prop in scene.props:
        if isinstance(prop.shape, MeshShape):
            path = scene_asset_path(prop.shape.file, scene_dir)
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@dataclass(frozen=True)
class Lookup:
    """What the cache had for a scene: a trajectory fit to use, or none (and why, if an entry
    was there but had to be thrown away)."""

    trajectory: Trajectory | None
    discarded: str | None = None


class BakeCache:
    """A folder of ``<key>.npz`` entries, each checked before it is used.

    An entry that fails a check (see :mod:`see1previs.physics.cache_entry`) is deleted and
    treated as a miss, with one warning saying why. The cache never follows a symbolic link
    at an entry's name, in either direction: reading refuses it and removes the link, and
    writing goes to a new file in the cache folder renamed over the name.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or default_cache_dir()

    def path_for(self, key: str) -> Path:
        if not KEY_PATTERN.fullmatch(key):
            raise ValueError(f"not a bake key: {key!r}")
        return self.folder / f"{key}.npz"

    def lookup(self, expected: Expected) -> Lookup:
        """The cached bake ``expected`` describes, if there is one and it passes every check."""
        path = self.path_for(expected.key)
        try:
            with cache_files.open_entry(path, expected.size_limit()) as file:
                return Lookup(read_entry(file, expected))
        except FileNotFoundError:
            return Lookup(None)
        except EntryRejected as exc:
            reason = str(exc)
        except Exception as exc:  # a cache entry must never stop a bake
            reason = f"it cannot be read ({type(exc).__name__}: {exc})"
        cache_files.discard(path)
        notice = f"bake cache: discarded the entry {path.name} because {reason}; baking again"
        log.warning(notice)
        return Lookup(None, notice)

    def store(self, trajectory: Trajectory, expected: Expected) -> Path | None:
        """Save ``trajectory`` as the entry for ``expected``; the path, or None if not saved.

        A bake that would fail the checks on loading is not saved, and a folder that cannot
        take the entry is only a warning: the bake itself is fine either way.
        """
        try:
            data = entry_bytes(trajectory, expected)
        except EntryRejected as exc:
            log.info("bake cache: not saving the bake because %s", exc)
            return None
        path = self.path_for(expected.key)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            cache_files.remove_stale_temporaries(path)
            cache_files.write_entry(path, data)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            log.warning("bake cache: could not save the bake in %s (%s)", self.folder, reason)
            return None
        return path
