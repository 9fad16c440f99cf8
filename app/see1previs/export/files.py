"""Atomic output: an export either lands completely or leaves the output folder as it was.

Two tools:

- :func:`atomic_file` — one file: the writer fills a hidden temporary file next to the target,
  which replaces the target only when the writer returns.
- :func:`staged_output` — a whole export: writers fill a hidden staging folder inside the
  output folder; when every writer has finished, each file moves into place. If anything
  fails, the staging folder is deleted, files already moved are taken back and overwritten
  files restored, so no new file is left in the output folder. Files already in the folder
  that the export does not produce are never touched.

Everything is renamed within one folder tree, so the moves are same-file-system renames. A
killed process can leave a hidden ``.see1-export-*`` folder behind; it is safe to delete.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

STAGING_PREFIX = ".see1-export-"


class ExportError(Exception):
    """An export that could not be written; the message names the file or folder and why."""


def _reason(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission denied (choose a folder you can write to)"
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    return exc.strerror or str(exc)


@contextlib.contextmanager
def atomic_file(path: Path | str) -> Iterator[Path]:
    """Yield a temporary path to write; it replaces ``path`` only if the block succeeds.

    The temporary file keeps the target's suffix because some writers (USD) choose the file
    format from it.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
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
        temp = path.with_name(f".{path.stem}.{secrets.token_hex(4)}.tmp{path.suffix}")
        try:
            os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return temp
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(path.parent))


def write_text(path: Path | str, text: str) -> None:
    """Write UTF-8 text atomically (Unix newlines on every platform, so files diff cleanly)."""
    with atomic_file(path) as temp:
        temp.write_text(text, encoding="utf-8", newline="\n")


@contextlib.contextmanager
def staged_output(out_dir: Path | str) -> Iterator[Path]:
    """Yield a staging folder; its files move into ``out_dir`` only if the block succeeds.

    Write every output under the yielded folder using the relative layout wanted in
    ``out_dir`` (sub-folders included). ``out_dir`` is created when missing and removed again
    if the export fails and it is still empty.
    """
    out_dir = Path(out_dir)
    created = _make_folder(out_dir)
    try:
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
    except OSError as exc:
        _remove_if_empty(created)
        raise ExportError(f"cannot write to the export folder '{out_dir}': {_reason(exc)}") from exc
    try:
        try:
            yield staging
        except OSError as exc:
            raise ExportError(
                f"cannot write '{_final_name(exc.filename, staging, out_dir)}': {_reason(exc)}"
            ) from exc
        _move_into_place(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        _remove_if_empty(created)
        raise
    shutil.rmtree(staging, ignore_errors=True)


def _final_name(filename: object, staging: Path, out_dir: Path) -> Path:
    """Where a staged file was going, so messages never show the hidden staging folder."""
    if not filename:
        return out_dir
    path = Path(os.fsdecode(filename))
    try:
        return out_dir / path.relative_to(staging)
    except ValueError:
        return path


def _make_folder(folder: Path) -> list[Path]:
    """Create ``folder`` and any missing parents; returns the ones created, deepest first."""
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"the export folder '{folder}' is a file, not a folder")
    missing = [p for p in [folder, *folder.parents] if not p.exists()]
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create the export folder '{folder}': {_reason(exc)}") from exc
    return missing


def _remove_if_empty(folders: list[Path]) -> None:
    for folder in folders:  # deepest first, so emptied parents can go too
        with contextlib.suppress(OSError):
            folder.rmdir()


def _move_into_place(staging: Path, out_dir: Path) -> None:
    """Move every staged file to ``out_dir``; on any failure put everything back as it was."""
    backups = staging / ".replaced"
    files = sorted(p for p in staging.rglob("*") if p.is_file() and backups not in p.parents)
    moved: list[tuple[Path, Path | None]] = []  # (target, backup of what it replaced)
    new_folders: list[Path] = []
    try:
        for source in files:
            relative = source.relative_to(staging)
            target = out_dir / relative
            if target.is_dir():
                raise ExportError(f"cannot write '{target}': a folder of that name is in the way")
            for folder in reversed(relative.parents[:-1]):  # shallowest first
                if not (out_dir / folder).exists():
                    new_folders.insert(0, out_dir / folder)  # keep deepest first
            target.parent.mkdir(parents=True, exist_ok=True)
            backup = None
            if target.exists():
                # Keep the old file until the whole export is in place, to restore it on failure.
                backup = backups / relative
                backup.parent.mkdir(parents=True, exist_ok=True)
                os.replace(target, backup)
            moved.append((target, backup))  # before the move, so a failed move still restores
            os.replace(source, target)
    except OSError as exc:
        _roll_back(moved, new_folders)
        raise ExportError(f"cannot move the export into '{out_dir}': {_reason(exc)}") from exc
    except BaseException:
        _roll_back(moved, new_folders)
        raise


def _roll_back(moved: list[tuple[Path, Path | None]], new_folders: list[Path]) -> None:
    for target, backup in reversed(moved):
        with contextlib.suppress(OSError):
            target.unlink()
        if backup is not None:
            with contextlib.suppress(OSError):
                os.replace(backup, target)
    _remove_if_empty(new_folders)
