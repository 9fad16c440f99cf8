"""Shared test fixtures: paths, output folder and a bake cache isolated per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import see1previs  # noqa: F401  (first: selects MuJoCo's headless EGL renderer before MuJoCo loads)

REPO = Path(__file__).resolve().parent.parent
SCENES = REPO / "scenes"
ASSETS = REPO / "assets"


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep bakes made by tests out of the user's cache."""
    os.environ["SEE1_CACHE_DIR"] = str(tmp_path_factory.mktemp("bake-cache"))


@pytest.fixture(scope="session")
def test_output() -> Path:
    """A folder for files tests produce for people to look at (screenshots, reports)."""
    folder = REPO / "test-output"
    folder.mkdir(exist_ok=True)
    return folder
