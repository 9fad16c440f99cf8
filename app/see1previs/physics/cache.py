"""On-disk cache of baked trajectories, keyed by everything that determines the result.

The key hashes the scene's content (canonical JSON), the interior geometry, every prop mesh
file's bytes, the physics modelling choices and the versions of the app and MuJoCo.
Reopening an unchanged scene therefore loads its trajectory instead of simulating it again,
and any change that could alter the motion misses the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import mujoco

from see1previs import __version__
from see1previs.core.scene import MeshShape, Scene
from see1previs.physics.trajectory import Trajectory
from see1previs.physics.world import physics_signature
from see1previs.station.model import Station


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
            path = Path(prop.shape.file)
            if not path.is_absolute() and scene_dir is not None:
                path = scene_dir / path
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


class BakeCache:
    """A folder of ``<key>.npz`` trajectories."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or default_cache_dir()

    def path_for(self, key: str) -> Path:
        return self.folder / f"{key}.npz"

    def load(self, key: str) -> Trajectory | None:
        path = self.path_for(key)
        if not path.exists():
            return None
        try:
            return Trajectory.load_npz(path)
        except Exception:
            # A damaged cache entry is only a cache miss; it is rebuilt on store.
            path.unlink(missing_ok=True)
            return None

    def store(self, key: str, trajectory: Trajectory) -> Path:
        path = self.path_for(key)
        trajectory.save_npz(path)
        return path
