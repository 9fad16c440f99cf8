"""docs/scene-format.md and the JSON Schema describe every field of the current models."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
from pydantic import BaseModel

from see1previs.core import scene as model
from see1previs.core.scenefile import parse_scene, scene_json_schema, scene_to_text

DOCS = Path(__file__).resolve().parents[2] / "docs"
DOCUMENT = (DOCS / "scene-format.md").read_text(encoding="utf-8")


def _all_models() -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    pending = list(model.SceneModel.__subclasses__())
    while pending:
        cls = pending.pop()
        if cls.__module__ in (model.__name__, "see1previs.core.scene_cameras"):
            found.append(cls)
        pending += cls.__subclasses__()
    return found


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_scene_format", DOCS / "gen_scene_format.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_generated_parts_of_the_docs_are_current(generator: ModuleType) -> None:
    # If this fails after a model change: python docs/gen_scene_format.py
    assert generator.main(["--check"]) == 0


def test_every_model_has_a_section(generator: ModuleType) -> None:
    documented = {section for _, section in generator.SECTIONS}
    missing = [cls.__name__ for cls in _all_models() if cls not in documented]
    assert not missing, f"add these models to SECTIONS in docs/gen_scene_format.py: {missing}"


@pytest.mark.parametrize("cls", _all_models(), ids=lambda cls: cls.__name__)
def test_every_field_is_in_the_document(cls: type[BaseModel]) -> None:
    for name in cls.model_fields:
        assert f"| `{name}` |" in DOCUMENT, f"{cls.__name__}.{name} is not documented"


def test_the_example_in_the_document_loads_and_is_canonical() -> None:
    block = DOCUMENT.split("<!-- BEGIN GENERATED: example -->", 1)[1]
    example = re.search(r"```json\n(.*?)```", block, re.S)
    assert example is not None
    scene = parse_scene(example.group(1))
    assert scene_to_text(scene) == example.group(1)
    assert scene.props and scene.actors and scene.cues


def test_the_error_report_in_the_document_is_what_the_loader_says(generator: ModuleType) -> None:
    assert "props[2].mass: must be greater than 0 kg, got -1" in DOCUMENT
    assert generator.render_errors() in DOCUMENT


def test_frame_rate_spellings_are_documented() -> None:
    for spelling in ("23.976", "23.98", "29.97", "59.94", '"24000/1001"'):
        assert spelling in DOCUMENT


def test_json_schema_is_valid_json_and_matches_the_saved_copy() -> None:
    schema = scene_json_schema()
    text = json.dumps(schema)
    assert json.loads(text) == schema
    saved = json.loads((DOCS / "scene-format.schema.json").read_text(encoding="utf-8"))
    assert saved == schema
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["required"][0] == "format"
    assert schema["properties"]["format"]["const"] == model.FORMAT_VERSION


def _schema_properties(schema: dict) -> dict[str, set[str]]:
    """Property names of every object in the schema, by title."""
    found = {schema["title"]: set(schema["properties"])}
    for name, definition in schema.get("$defs", {}).items():
        found[name] = set(definition.get("properties", {}))
    return found


@pytest.mark.parametrize("cls", _all_models(), ids=lambda cls: cls.__name__)
def test_json_schema_mentions_every_field(cls: type[BaseModel]) -> None:
    schema = scene_json_schema()
    properties = _schema_properties(schema)
    key = schema["title"] if cls is model.Scene else cls.__name__
    assert properties[key] == set(cls.model_fields)


def test_json_schema_carries_units() -> None:
    defs = scene_json_schema()["$defs"]
    assert defs["Prop"]["properties"]["mass"]["unit"] == "kg"
    assert defs["Actor"]["properties"]["height"]["unit"] == "m"
