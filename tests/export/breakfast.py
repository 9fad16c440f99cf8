"""The breakfast demo baked once per test process, for the exporters' truth checks.

``scenes/zero-g-breakfast.see1.json`` has two articulated actors (posture changes, a push-off,
a throw and a catch), a prop and two cameras: the performance USD and glTF must carry.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from see1previs.cinema.tracks import CameraTrack, evaluate_camera
from see1previs.core.scene import Scene
from see1previs.core.scenefile import load_scene
from see1previs.physics.simulation import simulate
from see1previs.physics.trajectory import Trajectory
from see1previs.station.model import Station
from tests.conftest import SCENES

DEMO = SCENES / "zero-g-breakfast.see1.json"
SAMPLE_FRAMES = (0, 30, 77, 90, 124, 150)  # start, push-off, reach, throw, catch, arms; + last


@dataclass(frozen=True)
class Baked:
    scene: Scene
    station: Station
    trajectory: Trajectory
    tracks: dict[str, CameraTrack]

    def sample_frames(self) -> list[int]:
        return [*SAMPLE_FRAMES, self.trajectory.frame_count - 1]


@functools.cache
def breakfast() -> Baked:
    """Bake the demo through the physics API and evaluate its cameras (cached)."""
    scene = load_scene(DEMO)
    result = simulate(scene, DEMO.parent)
    tracks = {
        camera.id: evaluate_camera(camera, scene, result.station, result.trajectory)
        for camera in scene.cameras
    }
    return Baked(scene, result.station, result.trajectory, tracks)
