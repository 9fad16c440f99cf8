"""Where a file a scene names (a mesh prop's ``shape.file``, a custom ``station.interior``) is.

Paths in a scene are relative to the scene file's folder, so a scene and its meshes move
together. Backslashes are read as separators, so a scene written on Windows
(``props\\slate.glb``) opens everywhere. Existence is not checked here: the layer that reads
the file reports a missing one, naming the object that refers to it.
"""

from __future__ import annotations

from pathlib import Path, PureWindowsPath


def scene_asset_path(reference: str, scene_dir: Path | None) -> Path:
    """The file ``reference`` names, for a scene saved in ``scene_dir`` (None: unsaved).

    An unsaved scene resolves relative paths against the working directory.
    """
    windows = PureWindowsPath(reference)
    if windows.drive and not Path(reference).is_absolute():
        # "C:\\props\\slate.glb" on a machine without drives: keep it as written so the
        # missing-file error shows the path the scene actually gives.
        return Path(reference)
    path = Path(reference.replace("\\", "/"))
    if path.is_absolute() or scene_dir is None:
        return path
    return Path(scene_dir) / path
