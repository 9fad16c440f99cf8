"""The app's icons: one stroke style, loaded from ``assets/icons/<name>.svg``.

Every action and outliner kind uses :func:`icon`; a missing file gives an empty icon (and
a test checks none is missing), never a crash.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from see1previs.resources import assets_dir

NAMES = [
    "new",
    "open",
    "save",
    "undo",
    "redo",
    "play",
    "pause",
    "to-start",
    "to-end",
    "step-back",
    "step-forward",
    "loop",
    "prop",
    "actor",
    "camera",
    "shot",
    "cue",
    "add",
    "delete",
    "duplicate",
    "export",
    "frame",
    "cancel",
    "warning",
    "history",
    "scene",
    "simulate",
    "folder",
    "cue-push-off",
    "cue-hold",
    "cue-release",
    "cue-grab",
    "cue-catch",
    "cue-throw",
    "cue-tether",
    "cue-untether",
    "cue-pose",
    "cue-impulse",
    "cue-spin",
]


def icon_path(name: str):
    return assets_dir() / "icons" / f"{name}.svg"


@cache
def icon(name: str) -> QIcon:
    path = icon_path(name)
    return QIcon(str(path)) if path.exists() else QIcon()
