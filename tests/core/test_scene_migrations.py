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
from tests.core.samples import valid_format_1_data, valid_scene_data


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


CURRENT = scene.FORMAT_VERSION
NEXT = CURRENT + 1


@pytest.fixture
def next_format(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Pretend a format after the current one exists: it renamed "scene_title" to "title".

    Returns the inputs the current -> next step saw.
    """
    seen: list[dict[str, Any]] = []

    def rename_title(data: dict[str, Any]) -> dict[str, Any]:
        seen.append(copy.deepcopy(data))
        if "scene_title" in data:
            data["title"] = data.pop("scene_title")  # migrations may change their argument
        return data

    monkeypatch.setattr(scene, "FORMAT_VERSION", NEXT)
    monkeypatch.setitem(MIGRATIONS, CURRENT, rename_title)
    return seen


def _current_with_old_title() -> dict[str, Any]:
    data = valid_scene_data()
    data["scene_title"] = data.pop("title")
    return data


def test_registered_migration_runs_and_bumps_the_format(
    next_format: list[dict[str, Any]],
) -> None:
    old = _current_with_old_title()
    before = copy.deepcopy(old)
    upgraded = migrate(old)
    assert next_format == [before]
    assert upgraded["format"] == NEXT
    assert upgraded["title"] == "Test scene"
    assert "scene_title" not in upgraded
    assert old == before, "migrate must not change its input"


def test_loading_an_old_file_migrates_it(next_format: list[dict[str, Any]], tmp_path: Path) -> None:
    file = tmp_path / "old.see1.json"
    file.write_text(json.dumps(_current_with_old_title()), encoding="utf-8")
    loaded = load_scene(file)
    assert loaded.title == "Test scene"
    assert loaded.format == NEXT
    save_scene(loaded, file)  # saving writes the current format
    assert json.loads(file.read_text(encoding="utf-8"))["format"] == NEXT
    assert load_scene(file) == loaded


def test_without_the_migration_the_old_field_is_an_error() -> None:
    # The reason the pretend format needs a migration at all: today's models reject it.
    with pytest.raises(SceneFileError) as caught:
        parse_scene(json.dumps(_current_with_old_title()))
    assert "scene_title: unknown field 'scene_title'" in str(caught.value)


def test_newer_format_message_follows_the_current_version(next_format: list[Any]) -> None:
    data = valid_scene_data()
    data["format"] = NEXT + 3
    with pytest.raises(SceneFileError) as caught:
        parse_scene(json.dumps(data), "s.see1.json")
    assert f"reads formats up to {NEXT}" in str(caught.value)


# -- the real 1 -> 2 step ----------------------------------------------------------------------


def test_format_1_actors_without_a_body_become_placeholders() -> None:
    old = valid_format_1_data()
    old["actors"] = [
        {"id": "ana", "height": 1.7, "mass": 60},
        {"id": "bo", "height": 1.8, "mass": 80, "body": "placeholder"},
        {"id": "cy", "height": 1.6, "mass": 55, "body": "humanoid"},
    ]
    before = copy.deepcopy(old)
    upgraded = MIGRATIONS[1](copy.deepcopy(old))
    assert [actor.get("body") for actor in upgraded["actors"]] == [
        "placeholder",
        "placeholder",
        "humanoid",  # an actor that states its body keeps it
    ]
    for actor, original in zip(upgraded["actors"], before["actors"], strict=True):
        assert {k: v for k, v in actor.items() if k != "body"} == {
            k: v for k, v in original.items() if k != "body"
        }
    assert {k: v for k, v in upgraded.items() if k != "actors"} == {
        k: v for k, v in before.items() if k != "actors"
    }


def test_the_1_to_2_step_leaves_what_it_does_not_understand_alone() -> None:
    for actors in ({"id": "ana"}, ["ana", 7], None):
        data = {"format": 1, "actors": copy.deepcopy(actors)}
        assert MIGRATIONS[1](copy.deepcopy(data)) == data
    assert MIGRATIONS[1]({"format": 1}) == {"format": 1}


def test_a_format_1_file_loads_with_placeholder_actors() -> None:
    old = valid_format_1_data()
    old["actors"].append({"id": "bo", "height": 1.8, "mass": 80})
    loaded = parse_scene(json.dumps(old), "old.see1.json")
    assert loaded.format == scene.FORMAT_VERSION
    assert [(actor.id, actor.body) for actor in loaded.actors] == [
        ("ana", "placeholder"),
        ("bo", "placeholder"),
    ]
    # The same actors in a current-format file are humanoids, the new default.
    current = valid_scene_data()
    assert [actor.body for actor in parse_scene(json.dumps(current)).actors] == ["humanoid"]


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
    monkeypatch.setattr(scene, "FORMAT_VERSION", NEXT + 1)
    monkeypatch.setitem(MIGRATIONS, CURRENT, lambda data: data)
    monkeypatch.delitem(MIGRATIONS, NEXT, raising=False)
    with pytest.raises(MigrationError, match=f"no upgrade from format {NEXT} to {NEXT + 1}"):
        migrate({"format": CURRENT})


def test_a_missing_step_is_reported_by_the_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scene, "FORMAT_VERSION", NEXT)
    monkeypatch.delitem(MIGRATIONS, CURRENT, raising=False)
    with pytest.raises(SceneFileError) as caught:
        parse_scene(json.dumps(valid_scene_data()))
    (issue,) = caught.value.issues
    assert issue.path == "format"
    assert f"no upgrade from format {CURRENT} to {NEXT}" in issue.message


def test_a_failing_step_becomes_a_migration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(data: dict[str, Any]) -> dict[str, Any]:
        return {"props": data["no such field"]}

    monkeypatch.setattr(scene, "FORMAT_VERSION", NEXT)
    monkeypatch.setitem(MIGRATIONS, CURRENT, broken)
    with pytest.raises(MigrationError, match=f"from format {CURRENT} to {NEXT}") as caught:
        migrate({"format": CURRENT})
    assert isinstance(caught.value.__cause__, KeyError)


def test_a_step_must_return_scene_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scene, "FORMAT_VERSION", NEXT)
    monkeypatch.setitem(MIGRATIONS, CURRENT, lambda data: None)
    with pytest.raises(MigrationError, match="returned NoneType"):
        migrate({"format": CURRENT})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "must be a whole number"),
        ({"format": "1"}, "must be a whole number"),
        ({"format": True}, "must be a whole number"),
        ({"format": 0}, "not a SEE-1 scene format"),
        ({"format": scene.FORMAT_VERSION + 1}, "newer"),
    ],
)
def test_migrate_refuses_data_it_cannot_place(data: dict[str, Any], message: str) -> None:
    with pytest.raises(MigrationError, match=message):
        migrate(data)
