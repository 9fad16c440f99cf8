"""Scene data for the core tests: one call gives a valid scene dict to break on purpose."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from see1previs.core.scene import FORMAT_VERSION
from see1previs.core.scenefile import SceneFileError, parse_scene, scene_from_data

DATA = Path(__file__).resolve().parent.parent / "data"

_VALID: dict[str, Any] = {
    "format": FORMAT_VERSION,
    "title": "Test scene",
    "frame_rate": 24,
    "duration": 10,
    "props": [
        {"id": "mug", "shape": {"type": "cylinder", "radius": 0.04, "length": 0.1}, "mass": 0.3},
        {"id": "wrench", "shape": {"type": "box", "size": [0.3, 0.05, 0.02]}, "mass": 0.45},
        {"id": "ball", "shape": {"type": "sphere", "radius": 0.1}, "mass": 0.4},
    ],
    "actors": [{"id": "ana", "height": 1.7, "mass": 60}],
    "cues": [
        {"type": "impulse", "id": "throw", "time": 1, "target": "mug", "impulse": [0.1, 0, 0]},
        {"type": "spin", "id": "twirl", "time": 2, "target": "ball", "angular_velocity": [0, 0, 1]},
    ],
}


def valid_scene_data() -> dict[str, Any]:
    """A valid current-format scene (three props, one actor, two cues) as fresh JSON data."""
    return copy.deepcopy(_VALID)


def valid_format_1_data() -> dict[str, Any]:
    """The same scene as a format-1 file stated it (actors had no ``body`` then)."""
    data = copy.deepcopy(_VALID)
    data["format"] = 1
    return data


def problems(source: dict[str, Any] | str) -> list[str]:
    """Every issue loading ``source`` (data or file text) reports, as ``path: message``."""
    with pytest.raises(SceneFileError) as caught:
        if isinstance(source, str):
            parse_scene(source, "test.see1.json")
        else:
            scene_from_data(source)
    return [str(issue) for issue in caught.value.issues]
