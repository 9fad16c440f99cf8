"""Migrations: older scene formats are upgraded step by step before validation."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from see1previs.core import migrations, scene
from see1previs.core.migrations import MIGRATIONS, MigrationError, migrate
from see1previs.core.scenefile import SceneFileError, load_scene, parse_scene, save_scene
from tests.core.samples import valid_scene_data


def test_every_older_format_has_an_upgrade_step() -> None:
    # Format 1 is the first released format; each later one must be reachable from it.
    assert set(MIGRATIONS) == set(range(1, scene.FORMAT_VERSION))


def test_current_format_is_returned_as_an_independent_copy() -> None:
    data = valid_scene_data()
    upgraded = migrate(data)
    assert upgraded == data
    assert upgraded is not data
    upgraded["props"][0]["mass"] = 99
    assert data["props"][0]["mass"] == 0.3


@pytest.fixture
def format_2(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Pretend format 2 exists: it renamed the top-level "scene_title" to "title".

    Returns the inputs the 1 -> 2 step saw.
    """
    seen: list[dict[str, Any]] = []

    def rename_title(data: dict[str, Any]) -> dict[str, Any]:
        seen.append(copy.deepcopy(data))
        if "scene_title" in data:
            data["title"] = data.pop("scene_title")  # migrations may change their argument
        return data

    monkeypatch.setattr(scene, "FORMAT_VERSION", 2)
    monkeypatch.setitem(MIGRATIONS, 1, rename_title)
    return seen


def _format_1_with_old_title() -> dict[str, Any]:
    data = valid_scene_data()
    data["scene_title"] = data.pop("title")
    return data


def test_registered_migration_runs_and_bumps_the_format(format_2: list[dict[str, Any]]) -> None:
    old = _format_1_with_old_title()
    before = copy.deepcopy(old)
    upgraded = migrate(old)
    assert format_2 == [before]
    assert upgraded["format"] == 2
    assert upgraded["title"] == "Test scene"
    assert "scene_title" not in upgraded
    assert old == before, "migrate must not change its input"


def test_loading_an_old_file_migrates_it(format_2: list[dict[str, Any]], tmp_path: Path) -> None:
    file = tmp_path / "old.see1.json"
    file.write_text(json.dumps(_format_1_with_old_title()), encoding="utf-8")
    loaded = load_scene(file)
    assert loaded.title == "Test scene"
    assert loaded.format == 2
    save_scene(loaded, file)  # saving writes the current format
    assert json.loads(file.read_text(encoding="utf-8"))["format"] == 2
    assert load_scene(file) == loaded


def test_without_the_migration_the_old_field_is_an_error() -> None:
    # The reason format 2 needs a migration at all: format 1 models reject "scene_title".
    with pytest.raises(SceneFileError) as caught:
        parse_scene(json.dumps(_format_1_with_old_title()))
    assert "scene_title: unknown field 'scene_title'" in str(caught.value)


def test_newer_format_message_follows_the_current_version(format_2: list[Any]) -> None:
    data = valid_scene_data()
    data["format"] = 5
    with pytest.raises(SceneFileError) as caught:
        parse_scene(json.dumps(data), "s.see1.json")
    assert "reads formats up to 2" in str(caught.value)


def test_migrations_chain_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    order: list[int] = []

    def step(version: int) -> migrations.Migration:
        def upgrade(data: dict[str, Any]) -> dict[str, Any]:
            assert data["format"] == version  # each step sees the format it upgrades from
            order.append(version)
            return data

        return upgrade

    monkeypatch.setattr(scene, "FORMAT_VERSION", 4)
    for version in (3, 1, 2):
        monkeypatch.setitem(MIGRATIONS, version, step(version))
    assert migrate({"format": 1})["format"] == 4
    assert order == [1, 2, 3]
    order.clear()
    assert migrate({"format": 3}) == {"format": 4}
    assert order == [3]


def test_a_missing_step_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scene, "FORMAT_VERSION", 3)
    monkeypatch.setitem(MIGRATIONS, 1, lambda data: data)
    with pytest.raises(MigrationError, match="no upgrade from format 2 to 3"):
        migrate({"format": 1})


def test_a_missing_step_is_reported_by_the_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scene, "FORMAT_VERSION", 2)
    with pytest.raises(SceneFileError) as caught:
        parse_scene(json.dumps(valid_scene_data()))
    (issue,) = caught.value.issues
    assert issue.path == "format"
    assert "no upgrade from format 1 to 2" in issue.message


def test_a_failing_step_becomes_a_migration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(data: dict[str, Any]) -> dict[str, Any]:
        return {"props": data["no such field"]}

    monkeypatch.setattr(scene, "FORMAT_VERSION", 2)
    monkeypatch.setitem(MIGRATIONS, 1, broken)
    with pytest.raises(MigrationError, match="from format 1 to 2") as caught:
        migrate({"format": 1})
    assert isinstance(caught.value.__cause__, KeyError)


def test_a_step_must_return_scene_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scene, "FORMAT_VERSION", 2)
    monkeypatch.setitem(MIGRATIONS, 1, lambda data: None)
    with pytest.raises(MigrationError, match="returned NoneType"):
        migrate({"format": 1})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "must be a whole number"),
        ({"format": "1"}, "must be a whole number"),
        ({"format": True}, "must be a whole number"),
        ({"format": 0}, "not a SEE-1 scene format"),
        ({"format": 2}, "newer"),
    ],
)
def test_migrate_refuses_data_it_cannot_place(data: dict[str, Any], message: str) -> None:
    with pytest.raises(MigrationError, match=message):
        migrate(data)
