"""Upgrading scene data written in an older scene-file format to the current one.

``MIGRATIONS[n]`` turns the data of a format-``n`` file into format ``n + 1``; :func:`migrate`
chains them up to :data:`see1previs.core.scene.FORMAT_VERSION`.

- 1 → 2: actors became articulated humanoids by default. A format-1 actor without a ``body``
  was a rigid capsule, so it keeps ``"body": "placeholder"`` and moves exactly as before.
- 2 → 3: the ``envelope`` section (spreads of human imprecision for the safety envelope).
  A format-2 file has none and gets the documented defaults, which change no bake, so the
  step changes nothing; it exists so every format has its registered upgrade.
- 3 → 4: taking hold of a person: ``grab`` and ``catch`` may name the ``part`` held (a wrist,
  the harness, an ankle) and ``release`` may name a held person or prop as ``target``.
  Both are optional and new, so the step changes nothing. (A format-3 grab of a person now
  holds the part nearest the hand rather than always the pelvis, and catches with the
  momentum of an inelastic collision: the motion changes, the file's meaning does not.)

How to change the format (see docs/scene-format.md, "Versioning"):

1. bump ``FORMAT_VERSION`` in :mod:`see1previs.core.scene` and change the models;
2. register ``MIGRATIONS[old] = upgrade`` here, where ``upgrade`` takes the old data (a
   private copy it may change) and returns data the new models accept. Migrations work on
   plain JSON data, never on the models, because the models only know the newest format;
3. keep ``tests/data/scene-format-<old>/`` and add ``tests/data/scene-format-<new>/``.

Migrations run before validation, so they must not assume the old file was valid: leave
anything they do not understand alone and let validation report it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from see1previs.core import scene as scene_model

Migration = Callable[[dict[str, Any]], dict[str, Any]]


def _placeholder_actors(data: dict[str, Any]) -> dict[str, Any]:
    """Format 1 -> 2: actors that did not choose a body keep the rigid capsule they had."""
    actors = data.get("actors")
    if isinstance(actors, list):
        for actor in actors:
            if isinstance(actor, dict) and "body" not in actor:
                actor["body"] = "placeholder"
    return data


def _envelope_section(data: dict[str, Any]) -> dict[str, Any]:
    """Format 2 -> 3: no envelope section existed; the defaults apply (nothing to change).

    An ``envelope`` key in a format-2 file is left alone for validation to judge: it was
    written by hand, and the new models may well accept it.
    """
    return data


def _person_grips(data: dict[str, Any]) -> dict[str, Any]:
    """Format 3 -> 4: the new ``part`` and ``release.target`` fields are optional."""
    return data


MIGRATIONS: dict[int, Migration] = {
    1: _placeholder_actors,
    2: _envelope_section,
    3: _person_grips,
}
"""Format version N -> function turning format-N data into format N + 1."""


class MigrationError(ValueError):
    """Scene data that cannot be brought up to the current format."""


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` upgraded to the current format, as a new dict; ``data`` is left untouched.

    Raises :class:`MigrationError` when the format field is missing or invalid, newer than
    this version of the app, or when no upgrade step is registered for a version on the way.
    """
    # Read through the module so a test can patch the current version in one place.
    current = scene_model.FORMAT_VERSION
    version = data.get("format")
    if isinstance(version, bool) or not isinstance(version, int):
        raise MigrationError(f"the format version must be a whole number, got {version!r}")
    if version < 1:
        raise MigrationError(f"format {version} is not a SEE-1 scene format (they start at 1)")
    if version > current:
        raise MigrationError(
            f"format {version} is newer than this version of SEE-1 Previs reads (up to {current})"
        )
    upgraded = copy.deepcopy(data)
    while version < current:
        step = MIGRATIONS.get(version)
        if step is None:
            raise MigrationError(
                f"no upgrade from format {version} to {version + 1} is registered; "
                f"this version of SEE-1 Previs cannot read format {version} files"
            )
        try:
            upgraded = step(upgraded)
        except Exception as exc:  # a user's old file must fail as a message, not a crash
            raise MigrationError(
                f"could not upgrade the scene from format {version} to {version + 1}: {exc}"
            ) from exc
        if not isinstance(upgraded, dict):
            raise MigrationError(
                f"the upgrade from format {version} to {version + 1} returned "
                f"{type(upgraded).__name__}, not scene data"
            )
        version += 1
        upgraded["format"] = version  # migrations need not remember to bump it
    return upgraded
