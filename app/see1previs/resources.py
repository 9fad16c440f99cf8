"""Locates the application's bundled data: the assets, demo scenes and docs folders.

Works from a source checkout (``app/see1previs`` next to ``assets/``), from an installed
bundle (PyInstaller sets ``sys.frozen`` and puts the data folders in ``sys._MEIPASS``; see
``packaging/``) and when ``SEE1_ASSETS`` / ``SEE1_SCENES`` / ``SEE1_DOCS`` point elsewhere.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _search_roots() -> list[Path]:
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        # An installed bundle uses its own data only, never a checkout it happens to sit in.
        return [Path(bundle)]
    return [
        _PACKAGE_DIR.parent.parent,  # source checkout: <repo>/app/see1previs
        _PACKAGE_DIR,
    ]


def _find(folder: str, env_var: str) -> Path:
    override = os.environ.get(env_var)
    if override:
        return Path(override)
    for root in _search_roots():
        candidate = root / folder
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"cannot find the '{folder}' folder of SEE-1 Previs; set {env_var} to its location"
    )


def assets_dir() -> Path:
    """The folder holding station interiors, props and icons."""
    return _find("assets", "SEE1_ASSETS")


def scenes_dir() -> Path:
    """The folder holding the demo scenes."""
    return _find("scenes", "SEE1_SCENES")


def docs_dir() -> Path:
    """The folder holding the user guide and the other guides (Markdown, with images)."""
    return _find("docs", "SEE1_DOCS")
