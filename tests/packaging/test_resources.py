"""Where the application finds its assets and demo scenes: checkout, installed bundle, override.

The bundle case is checked the way PyInstaller presents it (``sys.frozen`` set and the data
folders under ``sys._MEIPASS``), with a fake bundle folder; the real bundle is exercised by
``test_bundle.py``.
"""

from __future__ import annotations

import sys

import pytest

from see1previs import resources
from tests.conftest import ASSETS, SCENES


@pytest.fixture
def no_overrides(monkeypatch):
    monkeypatch.delenv("SEE1_ASSETS", raising=False)
    monkeypatch.delenv("SEE1_SCENES", raising=False)


def test_checkout_finds_the_repository_folders(no_overrides):
    assert resources.assets_dir() == ASSETS
    assert resources.scenes_dir() == SCENES
    assert (resources.scenes_dir() / "first-light.see1.json").is_file()


def test_frozen_bundle_uses_only_its_own_folders(no_overrides, monkeypatch, tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "scenes").mkdir()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)

    assert resources.assets_dir() == tmp_path / "assets"
    assert resources.scenes_dir() == tmp_path / "scenes"


def test_frozen_bundle_without_scenes_does_not_fall_back_to_a_checkout(
    no_overrides, monkeypatch, tmp_path
):
    (tmp_path / "assets").mkdir()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)

    with pytest.raises(FileNotFoundError, match="SEE1_SCENES"):
        resources.scenes_dir()


def test_environment_overrides_win_even_in_a_bundle(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "bundle"), raising=False)
    monkeypatch.setenv("SEE1_ASSETS", str(tmp_path / "my-assets"))
    monkeypatch.setenv("SEE1_SCENES", str(tmp_path / "my-scenes"))

    assert resources.assets_dir() == tmp_path / "my-assets"
    assert resources.scenes_dir() == tmp_path / "my-scenes"
