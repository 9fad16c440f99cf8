"""The hidden folders an export keeps beside its output folder, and tidying up after them.

For an output folder ``plan``, an export assembles the new folder in
``.plan.<id>.see1-export`` beside it (same parent, so the final rename stays on one file
system). Where the new folder cannot trade places with the old one in one step (see
:mod:`see1previs.export.folder_swap`), the old one is renamed to ``.plan.<id>.see1-replaced``
for a moment. Both are deleted when the export ends.

**Recovery.** An export killed part-way leaves them behind. The next export to the same
folder, once it holds the parent folder to itself (no export or save running there, see
:mod:`see1previs.core.folder_lock`), applies this rule:

1. If ``plan`` is missing and a ``.plan.<id>.see1-replaced`` exists, an export was killed
   between its two renames. If the ``.plan.<id>.see1-export`` of the same id is complete (its
   manifest matches its files), it becomes ``plan``: that export had finished. Otherwise the
   replaced folder goes back to being ``plan``.
2. Every other staging and replaced folder of ``plan`` is a dead export's and is deleted.

By hand: a complete ``.see1-export`` folder (check it against its ``manifest.json``) or a
``.see1-replaced`` one can be renamed to ``plan``; anything else there can be deleted.

**Files the export does not make.** The new folder replaces the old one as a whole, so files
someone put in the old folder (a director's notes) are linked into the new one before the
swap; files the old folder's manifest lists (the earlier export's own) are not.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
from collections.abc import Collection
from pathlib import Path

from see1previs.core.folder_lock import is_old_enough
from see1previs.export.errors import ExportError
from see1previs.export.manifest import check_export, read_manifest

# Staging folders of earlier versions, inside the output folder and without a lock.
OLD_STAGING_PREFIX = ".see1-export-"
_LEFTOVER = re.compile(r"\.(?P<name>.+)\.(?P<id>[0-9a-f]{12})\.see1-(?P<kind>export|replaced)")


def new_staging(target: Path) -> Path:
    """Create an empty staging folder beside ``target``, with the usual permissions."""
    for _ in range(100):
        staging = target.parent / f".{target.name}.{secrets.token_hex(6)}.see1-export"
        try:
            os.mkdir(staging, 0o777)
        except FileExistsError:
            continue
        return staging
    raise FileExistsError(f"no free staging folder name beside {target}")


def aside_for(staging: Path) -> Path:
    """Where the old folder goes for a moment when it cannot trade places with ``staging``."""
    return staging.with_name(staging.name.removesuffix(".see1-export") + ".see1-replaced")


def tidy_beside(target: Path, older_than: float) -> None:
    """Apply the recovery rule (see the module's notes) to leftovers of exports to ``target``.

    Only leftovers not modified for ``older_than`` seconds count; 0 when the caller holds the
    folder to itself, so that every leftover is a dead export's.
    """
    found: dict[str, dict[str, Path]] = {}
    for entry in os.listdir(target.parent):
        match = _LEFTOVER.fullmatch(entry)
        path = target.parent / entry
        if match and match["name"] == target.name and is_old_enough(path, older_than):
            found.setdefault(match["id"], {})[match["kind"]] = path
    if not os.path.lexists(target):
        _put_back(target, found)
    for leftovers in found.values():
        for path in leftovers.values():
            remove_tree(path)


def _put_back(target: Path, found: dict[str, dict[str, Path]]) -> None:
    """Step 1 of the recovery rule: the folder a killed swap left missing."""
    replaced = [f for f in found.values() if "replaced" in f]
    if not replaced:
        return
    # Normally there is one; else the latest (a rename sets the change time).
    newest = max(replaced, key=lambda f: _changed_at(f["replaced"]))
    staging = newest.get("export")
    if staging is not None and not check_export(staging):
        back = newest.pop("export")
    else:
        back = newest.pop("replaced")
    with contextlib.suppress(OSError):
        os.rename(back, target)


def _changed_at(path: Path) -> float:
    try:
        return os.lstat(path).st_ctime
    except OSError:
        return 0.0


def remove_tree(path: Path) -> None:
    """Delete a folder and everything in it (or a file or link of that name); quietly."""
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            os.unlink(path)


def check_replaceable(target: Path, shown: Path, export_names: Collection[str]) -> None:
    """Refuse to replace a folder that is neither empty nor an earlier export.

    The export replaces its folder as a whole; a folder of someone's other work (their home
    folder, a project folder) must not be swapped out from under them.
    """
    try:
        entries = sorted(os.listdir(target))
    except OSError:
        return  # missing (made by the export), or unreadable (a later step says so)
    if not entries or read_manifest(target) is not None:
        return
    if any(e in export_names or e.startswith(OLD_STAGING_PREFIX) for e in entries):
        return  # an export by an earlier version, which wrote no manifest
    more = ", …" if len(entries) > 1 else ""
    raise ExportError(
        f"the export folder '{shown}' holds other files ('{entries[0]}'{more}) and no earlier "
        "export; an export replaces its whole folder, so choose a new or empty folder"
    )


def keep_other_files(
    old: Path, new: Path, exported: set[str], earlier: set[str] | None, shown: Path
) -> None:
    """Link into ``new`` every file of ``old`` that neither export owns.

    ``exported``: what the new export wrote; ``earlier``: what the old folder's manifest lists
    (None without a manifest: then only files the new export replaces are left out). A file
    that cannot be linked is copied. ``shown`` is the output folder as the user named it.
    """
    for relative, source in _others(old, exported, earlier):
        dest = new / relative
        if os.path.isdir(source) and not os.path.islink(source):
            _make_folders(new, relative, shown)
            continue
        if os.path.lexists(dest):  # the new export made a folder of this name
            raise ExportError(
                f"cannot write '{shown / relative}': a file of that name is in the way"
            )
        _make_folders(new, os.path.dirname(relative), shown)
        try:
            os.link(source, dest, follow_symlinks=False)
        except (OSError, NotImplementedError):
            if os.path.islink(source):
                os.symlink(os.readlink(source), dest)
            else:
                shutil.copy2(source, dest)


def move_late_changes(old: Path, new: Path, exported: set[str], earlier: set[str] | None) -> None:
    """Move into ``new`` the other files of the old folder, now replaced, once more.

    A file saved into the old folder while the export swapped it (an editor replaces the
    file it saves) would otherwise go with it. Quietly best-effort.
    """
    for relative, source in _others(old, exported, earlier):
        if os.path.isdir(source) and not os.path.islink(source):
            continue
        dest = new / relative
        with contextlib.suppress(OSError):
            if not os.path.isdir(dest) or os.path.islink(dest):
                os.makedirs(dest.parent, exist_ok=True)
                os.replace(source, dest)


def _others(
    old: Path, exported: set[str], earlier: set[str] | None, prefix: str = ""
) -> list[tuple[str, Path]]:
    """(relative path, path) of what in ``old`` is neither export's, folders before contents.

    Folders are listed only when empty (others are made for the files in them). Leftover
    staging folders of earlier versions are no one's and are left out.
    """
    found: list[tuple[str, Path]] = []
    for entry in sorted(os.scandir(old), key=lambda e: e.name):
        relative = prefix + entry.name
        if not prefix and entry.name.startswith(OLD_STAGING_PREFIX):
            continue
        if entry.is_dir(follow_symlinks=False):
            inside = _others(Path(entry.path), exported, earlier, relative + "/")
            if inside:
                found += inside
            elif not os.listdir(entry.path) and not _owned_folder(relative, earlier):
                found.append((relative, Path(entry.path)))
        elif relative not in exported and (earlier is None or relative not in earlier):
            found.append((relative, Path(entry.path)))
    return found


def _owned_folder(relative: str, earlier: set[str] | None) -> bool:
    return earlier is not None and any(p.startswith(relative + "/") for p in earlier)


def _make_folders(root: Path, relative: str, shown: Path) -> None:
    """Make the folders of ``relative`` under ``root`` where a file the export wrote is not."""
    folder = root
    for part in Path(relative).parts:
        folder = folder / part
        if os.path.lexists(folder) and not os.path.isdir(folder):
            where = shown / folder.relative_to(root)
            raise ExportError(f"cannot write '{where}': a folder of that name is in the way")
        if not os.path.lexists(folder):
            os.mkdir(folder)
