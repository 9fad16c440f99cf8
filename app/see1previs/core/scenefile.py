"""Reading and writing scene files (``*.see1.json``).

Owns the file format around the scene model: decoding (UTF-8 here, JSON in
:mod:`see1previs.core.scene_json`), the ``format`` version check and migration of older
files, validation that reports every problem at once with its JSON path, canonical text,
atomic saving, and resolving the asset paths a scene names relative to its own folder.

Loading never executes code: a scene file is plain JSON read with :mod:`json` and checked
against the pydantic models in :mod:`see1previs.core.scene`.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from see1previs.core import scene as scene_model
from see1previs.core.asset_paths import scene_asset_path
from see1previs.core.atomic_write import AtomicWriteError, replace_file_atomically
from see1previs.core.migrations import MigrationError, migrate
from see1previs.core.scene import Scene
from see1previs.core.scene_json import decode_json
from see1previs.core.sceneissues import (
    SceneIssue,
    describe_value,
    issues_from_validation_error,
    raw_reference_issues,
    unique,
)

__all__ = [
    "SCENE_SUFFIX",
    "SceneFileError",
    "SceneIssue",
    "load_scene",
    "parse_scene",
    "resolve_asset",
    "save_scene",
    "scene_from_data",
    "scene_json_schema",
    "scene_to_text",
]

SCENE_SUFFIX = ".see1.json"

MAX_SCENE_BYTES = 16 * 2**20
"""Largest scene file read (16 MiB): the scene format's own limits (10,000 cues, 500 props,
...) fit in a few megabytes, and a file far larger is not a scene."""

# Written even when they hold the default: a reader must see the version, and a person
# opening the file expects to see what the scene is, its rate and its length.
_ALWAYS_WRITTEN = ("format", "title", "frame_rate", "duration")


class SceneFileError(Exception):
    """A scene file that cannot be loaded or saved, with every problem found.

    ``str()`` names the file and lists each issue on its own line, ready to show a director.
    """

    def __init__(
        self, issues: Sequence[SceneIssue], file: Path | None = None, action: str = "load"
    ) -> None:
        self.issues: list[SceneIssue] = list(issues)
        self.file: Path | None = file
        self.action = action
        """What failed: "load" or "save"."""
        super().__init__(str(self))

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuild from the fields, not from str(self), so the error survives a worker process.
        return (type(self), (self.issues, self.file, self.action))

    def __str__(self) -> str:
        what = f"scene file '{self.file}'" if self.file is not None else "scene"
        count = len(self.issues)
        header = f"Cannot {self.action} {what} ({count} problem{'s' if count != 1 else ''}):"
        return "\n".join([header, *(f"  {issue}" for issue in self.issues)])


# -- loading -----------------------------------------------------------------------------------


def load_scene(path: str | os.PathLike[str]) -> Scene:
    """Read and validate the scene file at ``path``; raises :class:`SceneFileError`."""
    file = Path(path)
    try:
        with file.open("rb") as stream:
            raw = stream.read(MAX_SCENE_BYTES + 1)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise SceneFileError([SceneIssue("", f"cannot read the file: {reason}")], file) from exc
    if len(raw) > MAX_SCENE_BYTES:
        raise SceneFileError([_too_large()], file)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SceneFileError([_not_utf8(raw, exc)], file) from exc
    return _parse(text, file)


def parse_scene(text: str, source: str | None = None) -> Scene:
    """Validate scene-file text; ``source`` (usually the file's path) names it in errors."""
    return _parse(text, Path(source) if source else None)


def scene_from_data(data: dict[str, Any]) -> Scene:
    """Validate scene data already decoded from JSON (a dict as :func:`json.load` gives)."""
    return _scene_from(data, None)


def _parse(text: str, file: Path | None) -> Scene:
    if len(text) > MAX_SCENE_BYTES:
        raise SceneFileError([_too_large()], file)
    # Editors on Windows like to start UTF-8 files with a byte-order mark; it carries nothing.
    text = text.removeprefix("\ufeff")
    data, decode_issues = decode_json(text)
    if data is None and decode_issues:
        raise SceneFileError(decode_issues, file)
    return _scene_from(data, file, decode_issues)


def _too_large() -> SceneIssue:
    return SceneIssue(
        "",
        f"the file is larger than {MAX_SCENE_BYTES // 2**20} MiB; a scene file, even with "
        "thousands of cues, holds a few megabytes (is this really a scene file?)",
    )


def _not_utf8(raw: bytes, exc: UnicodeDecodeError) -> SceneIssue:
    line_start = raw.rfind(b"\n", 0, exc.start) + 1
    line = raw.count(b"\n", 0, exc.start) + 1
    column = len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1
    return SceneIssue(
        "",
        f"the file is not UTF-8 text: byte 0x{raw[exc.start]:02x} at line {line}, column "
        f"{column} is not valid UTF-8; save the file with UTF-8 encoding",
    )


def _not_an_object(data: Any) -> SceneIssue:
    return SceneIssue(
        "",
        "a scene file must hold one JSON object {...} with the scene's fields, got "
        + describe_value(data),
    )


# -- version and validation --------------------------------------------------------------------


def _format_issues(data: dict[str, Any], file: Path | None) -> list[SceneIssue]:
    """Why ``data`` is not a scene this version can read; empty when it is."""
    current = scene_model.FORMAT_VERSION
    if "format" not in data:
        return [
            SceneIssue(
                "format",
                "is missing, so this is not a SEE-1 scene file (every scene file starts with "
                f'"format": {current})',
            )
        ]
    version = data["format"]
    if isinstance(version, bool) or not isinstance(version, int):
        return [
            SceneIssue(
                "format",
                f"must be a whole number (the scene-format version), got {describe_value(version)}",
            )
        ]
    if version > 1000 * current:
        return [
            SceneIssue(
                "format",
                f"{describe_value(version)} is not a SEE-1 scene format (this version reads "
                f"formats 1 to {current})",
            )
        ]
    if version > current:
        name = f"{file.name}" if file is not None else "this scene"
        return [
            SceneIssue(
                "format",
                f"{name} was saved by a newer SEE-1 Previs (format {version}); this version "
                f"reads formats up to {current} — please update",
            )
        ]
    if version < 1:
        return [SceneIssue("format", f"{version} is not a SEE-1 scene format (they start at 1)")]
    return []


def _scene_from(data: Any, file: Path | None, found: Sequence[SceneIssue] = ()) -> Scene:
    """Check the version, migrate and validate ``data``; ``found`` are issues already seen."""
    if not isinstance(data, dict):
        raise SceneFileError([_not_an_object(data)], file)
    format_issues = _format_issues(data, file)
    if format_issues:
        # Reported alone: the rest of a file we cannot read says nothing useful.
        raise SceneFileError(format_issues, file)
    try:
        data = migrate(data)
    except MigrationError as exc:
        raise SceneFileError([SceneIssue("format", str(exc))], file) from exc
    scene, issues = _validate(data)
    if scene is None or found:
        raise SceneFileError(_in_file_order(unique([*found, *issues]), data), file)
    return scene


def _validate(data: dict[str, Any]) -> tuple[Scene | None, list[SceneIssue]]:
    """The scene, or None and every problem in current-format ``data``."""
    try:
        # Validate as JSON, strictly: "mass": "3" or "air_drag": "yes" are mistakes to report,
        # not values to guess at. NaN and Infinity pass through so they get their own message.
        text = json.dumps(data, allow_nan=True)
    except (TypeError, ValueError, RecursionError) as exc:
        return None, [SceneIssue("", f"the scene data is not plain JSON data: {exc}")]
    try:
        return Scene.model_validate_json(text, strict=True), []
    except ValidationError as exc:
        issues = issues_from_validation_error(exc)
        # Field errors stop pydantic before the scene's id and reference check, so run it
        # leniently on the raw data; a scene_references error means it already ran.
        if not any(error["type"] == "scene_references" for error in exc.errors()):
            issues += raw_reference_issues(data, issues)
        return None, issues


_PATH_SEGMENT = re.compile(r'\.?([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\["([^"]*)"\]')


def _in_file_order(issues: list[SceneIssue], data: Any) -> list[SceneIssue]:
    """``issues`` sorted by where they are in the file, so they can be fixed top to bottom.

    A missing field sorts at the end of its object; issues at one place keep their order.
    """

    def position(issue: SceneIssue) -> list[int]:
        key: list[int] = []
        node = data
        for name, index, quoted in _PATH_SEGMENT.findall(issue.path):
            if index:
                at = int(index)
                key.append(at)
                node = node[at] if isinstance(node, list) and at < len(node) else None
            else:
                keys = list(node) if isinstance(node, dict) else []
                field = name or quoted
                key.append(keys.index(field) if field in keys else len(keys))
                node = node.get(field) if isinstance(node, dict) else None
        return key

    return sorted(issues, key=position)


# -- saving ------------------------------------------------------------------------------------


def scene_to_text(scene: Scene) -> str:
    """The canonical text of ``scene``: defaults left out, two-space indent, UTF-8, final newline.

    Canonical means saving the same scene twice gives byte-identical files, so scene files
    diff cleanly in version control.
    """
    full = scene.model_dump(mode="json")
    data = {key: full[key] for key in _ALWAYS_WRITTEN}
    for key, value in scene.model_dump(mode="json", exclude_defaults=True).items():
        data.setdefault(key, value)
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def save_scene(scene: Scene, path: str | os.PathLike[str]) -> None:
    """Write ``scene`` to ``path`` atomically; raises :class:`SceneFileError` on failure.

    The file is replaced in one step (temporary file in the same folder, flushed to disk, then
    renamed over the old one), so a crash or a full disk leaves either the old file or the
    new one, never half of each, and no temporary file behind. A scene that would not load
    back (say, two props given the same id by a script) is refused rather than written.
    """
    file = Path(path)
    try:
        text = scene_to_text(scene)
    except (TypeError, ValueError) as exc:
        raise SceneFileError(
            [SceneIssue("", f"the scene cannot be written as JSON: {exc}")], file, action="save"
        ) from exc
    try:
        parse_scene(text)
    except SceneFileError as exc:
        raise SceneFileError(exc.issues, file, action="save") from exc
    try:
        replace_file_atomically(file, text.encode("utf-8"))
    except AtomicWriteError as exc:
        raise SceneFileError([SceneIssue("", str(exc))], file, action="save") from exc.__cause__


# -- assets and schema -------------------------------------------------------------------------


def resolve_asset(scene_path: Path | None, relative: str) -> Path:
    """Where an asset a scene saved at ``scene_path`` names is on disk (None: unsaved).

    The rule (relative to the scene's folder, backslashes as separators) is
    :func:`see1previs.core.asset_paths.scene_asset_path`, which the physics uses too.
    """
    return scene_asset_path(relative, None if scene_path is None else Path(scene_path).parent)


def scene_json_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of the current scene format, for editors and pipelines."""
    current = scene_model.FORMAT_VERSION
    schema = Scene.model_json_schema()
    # The model defaults the version for scenes made in code; a file must state it.
    schema["properties"]["format"]["const"] = current
    schema["required"] = ["format", *schema.get("required", [])]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"SEE-1 scene (format {current})",
        **{key: value for key, value in schema.items() if key != "title"},
    }
