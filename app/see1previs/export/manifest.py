"""The export manifest: what a finished export folder holds, and proof that it is complete.

``manifest.json`` is written last into a finished export, before the folder takes its place,
so an export folder with a manifest that matches its files is a complete export::

    {
      "see1previs_export": 1,
      "app_version": "0.1.0",
      "written_at": "2025-06-01T09:30:00Z",
      "files": [{"path": "shot_list.csv", "bytes": 1234, "sha256": "9f86…"}, …]
    }

Paths use ``/`` whatever the platform. Other files in the folder (a director's notes kept from
an earlier export) are not listed. People can check an export they received with
:func:`check_export` or any ``sha256sum``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

from see1previs import __version__

MANIFEST_FILE = "manifest.json"
MANIFEST_FORMAT = 1
_CHUNK = 1 << 20


def manifest_text(folder: Path) -> str:
    """The manifest for ``folder`` as it is now, listing every file under it.

    Each file is flushed to the disk as it is read, so a manifest never vouches for data that
    is still only in memory.
    """
    files = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()):
        relative = path.relative_to(folder).as_posix()
        if relative == MANIFEST_FILE:
            continue
        size, digest = _measure(path, sync=True)
        files.append({"path": relative, "bytes": size, "sha256": digest})
    document = {
        "see1previs_export": MANIFEST_FORMAT,
        "app_version": __version__,
        "written_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "files": files,
    }
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of ``folder``, or None when it has none (or one not written by us)."""
    try:
        document = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
        if document.get("see1previs_export") != MANIFEST_FORMAT:
            return None
        for entry in document["files"]:
            if not (
                isinstance(entry["path"], str)
                and isinstance(entry["bytes"], int)
                and isinstance(entry["sha256"], str)
            ):
                return None
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return None
    return document


def listed_files(folder: Path) -> set[str] | None:
    """The paths ``folder``'s manifest lists (the manifest included), or None without one."""
    document = read_manifest(folder)
    if document is None:
        return None
    return {MANIFEST_FILE, *(entry["path"] for entry in document["files"])}


def check_export(folder: Path) -> list[str]:
    """What keeps ``folder`` from being a complete export; an empty list when it is one."""
    document = read_manifest(folder)
    if document is None:
        return [f"'{folder}' has no readable {MANIFEST_FILE}"]
    problems = []
    for entry in document["files"]:
        path = folder / entry["path"]
        try:
            size, digest = _measure(path, sync=False)
        except OSError:
            problems.append(f"'{entry['path']}' is missing")
            continue
        if (size, digest) != (entry["bytes"], entry["sha256"]):
            problems.append(f"'{entry['path']}' is not the file the manifest lists")
    return problems


def _measure(path: Path, *, sync: bool) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as file:
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
        if sync:
            # Windows cannot flush a file opened for reading; there the rename is what counts.
            with contextlib.suppress(OSError):
                os.fsync(file.fileno())
    return size, digest.hexdigest()
