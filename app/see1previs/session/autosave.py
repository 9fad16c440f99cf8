"""Autosave and crash recovery: the edits of a session survive a crash.

While a scene has unsaved edits, :class:`Autosaver` writes it (atomically) to a recovery
file in the recovery folder; saving the scene or closing the app normally removes the file.
A recovery file left behind by a process that is no longer running is a crash's leftover:
:func:`find_recoveries` lists them and :func:`load_recovery` reads one back.

The folder is ``$SEE1_STATE_DIR/recovery``, else ``$XDG_STATE_HOME/see1previs/recovery``
(``~/.local/state`` by default; ``%LOCALAPPDATA%`` on Windows).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from see1previs.core.atomic_write import remove_leftover_temp_files, replace_file_atomically
from see1previs.core.scene import Scene
from see1previs.core.scenefile import scene_from_data
from see1previs.session.session import Session

RECOVERY_SUFFIX = ".recovery.json"
RECOVERY_FORMAT = 1
AUTOSAVE_INTERVAL_S = 60


def state_dir() -> Path:
    override = os.environ.get("SEE1_STATE_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "see1previs"
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "see1previs"


def recovery_dir() -> Path:
    return state_dir() / "recovery"


@dataclass(frozen=True)
class Recovery:
    """A recovery file and what it says about itself."""

    file: Path
    scene_path: Path | None  # the scene file the edits belong to (None: never saved)
    title: str
    written_at: float  # seconds since the epoch
    pid: int

    @property
    def description(self) -> str:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.written_at))
        where = str(self.scene_path) if self.scene_path else "a new, unsaved scene"
        return f"'{self.title}' ({where}), autosaved {when}"


class Autosaver:
    """Writes a session's unsaved edits to its own recovery file."""

    def __init__(self, session: Session, folder: Path | None = None) -> None:
        self.session = session
        self.folder = folder or recovery_dir()
        self.file = self.folder / f"{os.getpid()}-{secrets.token_hex(3)}{RECOVERY_SUFFIX}"
        session.modified_changed.connect(self._modified_changed)

    def save_now(self) -> Path | None:
        """Write the recovery file if there are unsaved edits (else remove it)."""
        if not self.session.is_modified:
            self.discard()
            return None
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.session.path
        record = {
            "see1previs_recovery": RECOVERY_FORMAT,
            "scene_path": str(path) if path is not None else None,
            "title": self.session.scene.title,
            "written_at": time.time(),
            "pid": os.getpid(),
            "scene": self.session.scene.model_dump(mode="json"),
        }
        text = json.dumps(record, indent=1, ensure_ascii=False, allow_nan=False)
        # Every process autosaves to a file of its own: tidy the temporary files of them all.
        remove_leftover_temp_files(self.folder)
        replace_file_atomically(self.file, text.encode("utf-8"))
        return self.file

    def discard(self) -> None:
        """Remove the recovery file (the edits are saved or deliberately dropped)."""
        with contextlib.suppress(FileNotFoundError):
            self.file.unlink()

    def close(self) -> None:
        self.session.modified_changed.disconnect(self._modified_changed)
        self.discard()

    def _modified_changed(self, modified: bool) -> None:
        if not modified:
            self.discard()


def find_recoveries(folder: Path | None = None) -> list[Recovery]:
    """Recovery files left by processes that are no longer running, newest first."""
    folder = folder or recovery_dir()
    found = []
    for file in sorted(folder.glob(f"*{RECOVERY_SUFFIX}")) if folder.is_dir() else []:
        try:
            record = json.loads(file.read_text(encoding="utf-8"))
            pid = int(record["pid"])
            recovery = Recovery(
                file=file,
                scene_path=Path(record["scene_path"]) if record.get("scene_path") else None,
                title=str(record.get("title", "")),
                written_at=float(record["written_at"]),
                pid=pid,
            )
        except (OSError, ValueError, KeyError, TypeError):
            continue  # unreadable: not something we can offer
        if pid != os.getpid() and _running(pid):
            continue  # another open window's autosave, not a crash
        found.append(recovery)
    return sorted(found, key=lambda r: r.written_at, reverse=True)


def load_recovery(recovery: Recovery) -> Scene:
    """The scene a recovery file holds; raises SceneFileError if it is damaged."""
    record = json.loads(recovery.file.read_text(encoding="utf-8"))
    return scene_from_data(record["scene"])


def restore(session: Session, recovery: Recovery) -> None:
    """Open what the recovery belongs to and re-apply its edits as one undoable step."""
    scene = load_recovery(recovery)
    if recovery.scene_path is not None and recovery.scene_path.exists():
        session.open(recovery.scene_path)
    else:
        session.new()
        if recovery.scene_path is not None:
            session.path = recovery.scene_path
            session.path_changed.emit(session.path)
    session.edit("Recover autosaved edits", scene)


def discard_recovery(recovery: Recovery) -> None:
    with contextlib.suppress(FileNotFoundError):
        recovery.file.unlink()


def _running(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # query limited info
        if not handle:
            return False
        ctypes.windll.kernel32.CloseHandle(handle)
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
