"""Atomic output: an export either lands completely or leaves the output folder as it was.

Two tools:

- :func:`atomic_file` — one file: the writer fills a hidden temporary file next to the target,
  which replaces the target only when the writer returns.
- :func:`staged_output` — a whole export: writers fill a hidden staging folder beside the
  output folder. When every writer has finished, a manifest listing every file (the mark of
  a complete export, see :mod:`see1previs.export.manifest`) is written into it, and the
  staging folder takes the output folder's place in one step
  (:mod:`see1previs.export.folder_swap`). A reader of the output folder finds the complete
  old export or the complete new one, never a mix. If anything fails, the staging folder is
  deleted and the output folder is as it was.

Files in the output folder that no export made are kept (linked into the new folder). A
killed export leaves hidden folders beside the output folder; the next export to it puts
things right (:mod:`see1previs.export.staging`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
from collections.abc import Collection, Iterator
from functools import partial
from pathlib import Path

from see1previs.core.atomic_write import TEMP_SUFFIX, fsync_folder
from see1previs.core.folder_lock import is_old_enough, writing_in
from see1previs.export.errors import ExportError
from see1previs.export.errors import reason as _reason
from see1previs.export.folder_swap import swap_in
from see1previs.export.manifest import MANIFEST_FILE, listed_files, manifest_text
from see1previs.export.staging import (
    aside_for,
    check_replaceable,
    keep_other_files,
    move_late_changes,
    new_staging,
    remove_tree,
    tidy_beside,
)

__all__ = ["MANIFEST_FILE", "ExportError", "atomic_file", "staged_output", "write_text"]

_TEMP_NAME = re.compile(r"\.(?P<stem>.*)\.[0-9a-f]{12}\.see1-tmp(?P<suffix>.*)")


@contextlib.contextmanager
def atomic_file(path: Path | str) -> Iterator[Path]:
    """Yield a temporary path to write; it replaces ``path`` only if the block succeeds.

    The temporary file, ``.<stem>.<random>.see1-tmp<suffix>``, keeps the target's suffix
    because some writers (USD) choose the file format from it. Ones that killed processes left
    beside ``path`` are deleted first (under the rule of :mod:`see1previs.core.folder_lock`).
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot write '{path}': {_reason(exc)}") from exc
    with writing_in(path.parent, partial(_remove_temps, path)):
        try:
            temp = _new_hidden_file(path)
        except OSError as exc:
            raise ExportError(f"cannot write '{path}': {_reason(exc)}") from exc
        try:
            yield temp
            os.replace(temp, path)
        except OSError as exc:
            temp.unlink(missing_ok=True)
            raise ExportError(f"cannot write '{path}': {_reason(exc)}") from exc
        except BaseException:
            temp.unlink(missing_ok=True)
            raise


def _new_hidden_file(path: Path) -> Path:
    """Create an empty, uniquely named hidden file beside ``path``.

    Not ``tempfile.mkstemp``: its files are private (0600) and would stay so after the
    rename; this one gets the usual permissions the user's umask allows.
    """
    for _ in range(100):
        temp = path.with_name(f".{path.stem}.{secrets.token_hex(6)}{TEMP_SUFFIX}{path.suffix}")
        try:
            os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return temp
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(path.parent))


def _remove_temps(path: Path, older_than: float) -> None:
    """Delete temporary files of ``path`` that killed writers left (see :func:`atomic_file`)."""
    for entry in os.listdir(path.parent):
        match = _TEMP_NAME.fullmatch(entry)
        leftover = path.parent / entry
        if (
            match
            and (match["stem"], match["suffix"]) == (path.stem, path.suffix)
            and is_old_enough(leftover, older_than)
        ):
            with contextlib.suppress(OSError):
                os.unlink(leftover)


def write_text(path: Path | str, text: str) -> None:
    """Write UTF-8 text atomically (Unix newlines on every platform, so files diff cleanly)."""
    with atomic_file(path) as temp:
        temp.write_text(text, encoding="utf-8", newline="\n")


@contextlib.contextmanager
def staged_output(out_dir: Path | str, *, export_names: Collection[str] = ()) -> Iterator[Path]:
    """Yield a staging folder; it becomes ``out_dir`` only if the block succeeds.

    Write every output under the yielded folder using the relative layout wanted in
    ``out_dir`` (sub-folders included). Missing parent folders are created, and removed again
    if the export fails. ``export_names`` are names an export puts at the top of its folder:
    an existing folder without a manifest is replaced only if it holds one of them (an
    export by an earlier version) or nothing.
    """
    shown = Path(out_dir)
    # The real path: "." has no parent to stage beside, and an output folder reached through
    # a symlink is replaced where it really is.
    target = shown.resolve()
    if target.exists() and not target.is_dir():
        raise ExportError(f"the export folder '{shown}' is a file, not a folder")
    created = _make_folder(target.parent, shown)
    try:
        check_replaceable(target, shown, export_names)
    except ExportError:
        _remove_if_empty(created)
        raise
    with writing_in(target.parent, partial(tidy_beside, target)):
        try:
            staging = new_staging(target)
        except OSError as exc:
            _remove_if_empty(created)
            raise ExportError(
                f"cannot write to the export folder '{shown}' (it is assembled beside it, in "
                f"'{target.parent}'): {_reason(exc)}"
            ) from exc
        try:
            try:
                yield staging
            except OSError as exc:
                raise ExportError(
                    f"cannot write '{_final_name(exc.filename, staging, shown)}': {_reason(exc)}"
                ) from exc
            _put_in_place(staging, target, shown)
        except BaseException:
            remove_tree(staging)
            _remove_if_empty(created)
            raise


def _put_in_place(staging: Path, target: Path, shown: Path) -> None:
    """Mark ``staging`` complete, keep the old folder's other files, then swap it in."""
    try:
        write_text(staging / MANIFEST_FILE, manifest_text(staging))
        exported = {p.relative_to(staging).as_posix() for p in staging.rglob("*") if not p.is_dir()}
        earlier = listed_files(target)
        if target.is_dir():
            keep_other_files(target, staging, exported, earlier, shown)
        _fsync_folders(staging)
    except OSError as exc:
        raise ExportError(f"cannot finish the export to '{shown}': {_reason(exc)}") from exc
    try:
        old = swap_in(staging, target, aside_for(staging))
    except OSError as exc:
        raise ExportError(f"cannot put the export in place at '{shown}': {_reason(exc)}") from exc
    fsync_folder(target.parent)
    if old is not None:
        move_late_changes(old, target, exported, earlier)
        remove_tree(old)


def _fsync_folders(root: Path) -> None:
    """Make every folder entry under ``root`` durable, so the swap never exposes lost names."""
    for folder in [root, *(p for p in root.rglob("*") if p.is_dir() and not p.is_symlink())]:
        fsync_folder(folder)


def _final_name(filename: object, staging: Path, out_dir: Path) -> Path:
    """Where a staged file was going, so messages never show the hidden staging folder."""
    if not filename:
        return out_dir
    path = Path(os.fsdecode(filename))
    try:
        return out_dir / path.relative_to(staging)
    except ValueError:
        return path


def _make_folder(folder: Path, shown: Path) -> list[Path]:
    """Create ``folder`` and any missing parents; returns the ones created, deepest first."""
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"cannot create the export folder '{shown}': '{folder}' is a file")
    missing = [p for p in [folder, *folder.parents] if not p.exists()]
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create the export folder '{shown}': {_reason(exc)}") from exc
    return missing


def _remove_if_empty(folders: list[Path]) -> None:
    for folder in folders:  # deepest first, so emptied parents can go too
        with contextlib.suppress(OSError):
            folder.rmdir()
