"""The scene the GUI envelope tests run (a toss to a catching hand, aimed loosely so most
tosses miss); their cluster is the ``envelope_cluster`` fixture of tests/gui/conftest.py."""

from __future__ import annotations

from pathlib import Path

from see1previs.core.scenefile import save_scene
from tests.envelope.scenes import aim_at_catching_hand, throw_to_hand

RUN_TIMEOUT_MS = 240_000


def toss_scene(folder: Path, name: str = "toss", spread_deg: float = 20.0) -> Path:
    """The toss scene saved as ``folder/<name>.see1.json``."""
    direction, _, _ = aim_at_catching_hand()
    path = folder / f"{name}.see1.json"
    save_scene(throw_to_hand(direction, spread_deg=spread_deg), path)
    return path
