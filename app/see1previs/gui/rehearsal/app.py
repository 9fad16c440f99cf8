"""``see1-previs rehearse SCENE``: the rehearsal window on its own, for training laptops."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from see1previs.core.scene import Scene


def main(scene: Scene, result: Any, actor_id: str | None, scene_dir: Path | None) -> int:
    """Show the rehearsal window on a baked scene until it is closed; returns the exit code."""
    from see1previs.gui.app import application
    from see1previs.gui.rehearsal.window import RehearsalWindow

    app = application()
    window = RehearsalWindow(scene, result, actor_id, scene_dir)
    window.show()
    code = app.exec()
    window.deleteLater()
    return code
