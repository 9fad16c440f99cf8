"""Undoable edits: the :class:`Command` protocol, the :class:`CommandStack`, and scene edits.

Every change a director makes to a scene is a command on the stack, so Undo/Redo (with the
labels the menus show), the history view and the window's modified mark all read one
object. Scenes are pydantic values: a :class:`SceneEdit` keeps the scene before and after,
so undo restores the previous scene exactly (and with the bake cache, the exact previous
trajectory).

Each scene edit knows the earliest scene time whose motion it can change
(:func:`physics_change_time`): a cue at 4 s affects motion from 4 s on, a mass or a start pose
from 0 s, a camera or a shot no motion at all (no re-bake needed).

The helpers at the bottom (:func:`set_value`, :func:`add_item`, :func:`remove_item`, ...)
build the "after" scene of common edits without any GUI, validating the result: an invalid
edit raises ``pydantic.ValidationError`` and changes nothing.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import Any

from see1previs.core.events import Event
from see1previs.core.scene import Scene
from see1previs.core.scene_cameras import in_shooting_order

GROUPS = ("props", "actors", "cues", "cameras", "shots")
"""Scene lists whose items have an ``id``."""
NO_PHYSICS = frozenset({"title", "cameras", "shots"})
"""Top-level scene fields that never change the baked motion."""
DUPLICATE_OFFSET_M = 0.3


class Command:
    """An undoable action. ``do`` is called when pushed and on redo; ``undo`` reverses it."""

    label: str = ""

    def do(self) -> None:
        raise NotImplementedError

    def undo(self) -> None:
        raise NotImplementedError


class SceneEdit(Command):
    """Replace a scene with an edited one; undo puts the original back exactly.

    ``apply(scene, affects_from)`` installs a scene in whatever holds it (the session);
    ``affects_from`` is the earliest time whose motion changed, or None for no change.
    """

    def __init__(
        self,
        label: str,
        before: Scene,
        after: Scene,
        apply: Callable[[Scene, float | None], None],
    ) -> None:
        self.label = label
        self.before = before
        self.after = after
        self.apply = apply
        self.affects_from = physics_change_time(before, after)

    def do(self) -> None:
        self.apply(self.after, self.affects_from)

    def undo(self) -> None:
        self.apply(self.before, self.affects_from)


class CommandStack:
    """Done and undone commands, with a clean mark for "saved here"."""

    def __init__(self) -> None:
        self._commands: list[Command] = []
        self._index = 0  # commands[:index] are done
        self._clean: int | None = 0
        self.changed = Event("command_stack.changed")

    # -- editing ---------------------------------------------------------------------------
    def push(self, command: Command) -> None:
        """Do ``command`` and make it the newest; anything undone past it is dropped."""
        command.do()
        del self._commands[self._index :]
        if self._clean is not None and self._clean > self._index:
            self._clean = None  # the saved state can no longer be reached
        self._commands.append(command)
        self._index += 1
        self.changed.emit()

    def undo(self) -> bool:
        if not self.can_undo:
            return False
        self._index -= 1
        self._commands[self._index].undo()
        self.changed.emit()
        return True

    def redo(self) -> bool:
        if not self.can_redo:
            return False
        self._commands[self._index].do()
        self._index += 1
        self.changed.emit()
        return True

    def go_to(self, index: int) -> None:
        """Undo or redo until exactly ``index`` commands are done (the history view's click)."""
        index = max(0, min(index, len(self._commands)))
        with self.changed.blocked():
            while self._index > index:
                self.undo()
            while self._index < index:
                self.redo()
        self.changed.emit()

    def clear(self) -> None:
        self._commands.clear()
        self._index = 0
        self._clean = 0
        self.changed.emit()

    # -- state -----------------------------------------------------------------------------
    @property
    def index(self) -> int:
        return self._index

    @property
    def can_undo(self) -> bool:
        return self._index > 0

    @property
    def can_redo(self) -> bool:
        return self._index < len(self._commands)

    @property
    def undo_label(self) -> str:
        return self._commands[self._index - 1].label if self.can_undo else ""

    @property
    def redo_label(self) -> str:
        return self._commands[self._index].label if self.can_redo else ""

    @property
    def history(self) -> list[str]:
        """Labels of every command, oldest first (done ones are ``[:index]``)."""
        return [command.label for command in self._commands]

    def set_clean(self) -> None:
        """Mark the current state as saved."""
        self._clean = self._index
        self.changed.emit()

    @property
    def is_clean(self) -> bool:
        return self._clean == self._index


# -- what an edit changes ----------------------------------------------------------------------


def physics_change_time(before: Scene, after: Scene) -> float | None:
    """Earliest scene time whose motion differs between two scenes, None if none does.

    Cameras, shots and the title never move anything. When only cues differ, motion is the
    same until the earliest cue that was added, removed or changed (old or new time). Any
    other difference (a mass, a start pose, the air, the interior) changes motion from 0 s.
    """
    old = before.model_dump(mode="json")
    new = after.model_dump(mode="json")
    changed = {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}
    changed -= NO_PHYSICS
    if not changed:
        return None
    if changed != {"cues"}:
        return 0.0
    old_cues = {cue["id"]: cue for cue in old["cues"]}
    new_cues = {cue["id"]: cue for cue in new["cues"]}
    times = [
        float(cue.get("time", 0.0))
        for cues, others in ((old_cues, new_cues), (new_cues, old_cues))
        for cue_id, cue in cues.items()
        if others.get(cue_id) != cue
    ]
    if not times:  # only the order of the list changed
        return None if _same_cue_timing(old["cues"], new["cues"]) else 0.0
    return min(times)


def _same_cue_timing(old: list[dict], new: list[dict]) -> bool:
    # Cues at the same time apply in list order, so a reorder among equal times matters.
    def by_time(cues: list[dict]) -> dict[float, list[str]]:
        grouped: dict[float, list[str]] = {}
        for cue in cues:
            grouped.setdefault(float(cue.get("time", 0.0)), []).append(cue["id"])
        return grouped

    return by_time(old) == by_time(new)


# -- building edited scenes --------------------------------------------------------------------


def scene_data(scene: Scene) -> dict[str, Any]:
    """A plain, freely editable copy of the scene (JSON types)."""
    return scene.model_dump(mode="json")


def scene_from(data: dict[str, Any]) -> Scene:
    """Validate edited data into a scene (raises ``pydantic.ValidationError``)."""
    return Scene.model_validate(data)


def find(scene: Scene, item_id: str) -> tuple[str, int]:
    """(group, index) of the item with ``item_id`` in the scene's lists."""
    for group in GROUPS:
        for index, item in enumerate(getattr(scene, group)):
            if item.id == item_id:
                return group, index
    raise KeyError(f"nothing called '{item_id}' in the scene")


def get_value(scene: Scene, path: Sequence[str | int]) -> Any:
    node: Any = scene_data(scene)
    for key in path:
        node = node[key]
    return node


def set_value(scene: Scene, path: Sequence[str | int], value: Any) -> Scene:
    """The scene with the field at ``path`` (e.g. ``("props", 2, "mass")``) set to ``value``."""
    data = scene_data(scene)
    node: Any = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return scene_from(data)


def unique_id(scene: Scene, base: str) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever no item of the scene uses yet."""
    used = {item.id for group in GROUPS for item in getattr(scene, group)}
    stem = base
    suffix = stem.rsplit("-", 1)
    if len(suffix) == 2 and suffix[1].isdigit():
        stem = suffix[0]
    if base not in used:
        return base
    number = 2
    while f"{stem}-{number}" in used:
        number += 1
    return f"{stem}-{number}"


def add_item(scene: Scene, group: str, item: dict[str, Any], index: int | None = None) -> Scene:
    """The scene with ``item`` (a JSON-like dict) added to ``group``."""
    if group not in GROUPS:
        raise ValueError(f"unknown scene list '{group}'")
    data = scene_data(scene)
    items = data[group]
    items.insert(len(items) if index is None else index, copy.deepcopy(item))
    return scene_from(data)


def remove_item(scene: Scene, item_id: str) -> Scene:
    """The scene without ``item_id`` and without what only made sense with it.

    Removing a body removes its cues, the cameras it operates (and their shots) and any
    look-at or focus on it; removing a camera removes its shots.
    """
    group, index = find(scene, item_id)
    data = scene_data(scene)
    del data[group][index]
    if group in ("props", "actors"):
        data["cues"] = [cue for cue in data["cues"] if item_id not in _names_in(cue)]
        gone_cameras = {
            camera["id"] for camera in data["cameras"] if camera["rig"].get("operator") == item_id
        }
        data["cameras"] = [c for c in data["cameras"] if c["id"] not in gone_cameras]
        data["shots"] = [s for s in data["shots"] if s["camera"] not in gone_cameras]
        for camera in data["cameras"]:
            if camera.get("look_at") == item_id:
                camera["look_at"] = None
            if camera.get("focus_target") == item_id:
                camera["focus_target"] = None
            for key in camera["rig"].get("keyframes", []):
                if key.get("look_at") == item_id:
                    key["look_at"] = None
    elif group == "cameras":
        data["shots"] = [s for s in data["shots"] if s["camera"] != item_id]
    return scene_from(data)


def _names_in(cue: dict[str, Any]) -> set[str]:
    """Every id a cue names (target, actor, prop, surface...), not its own."""
    return {
        value for key, value in cue.items() if key not in ("id", "type") and isinstance(value, str)
    }


def cue_subject(cue: Any) -> str:
    """Who a cue belongs to on the timeline: the actor who does it, else the body acted on."""
    return getattr(cue, "actor", None) or getattr(cue, "target", None) or ""


def duplicate_item(scene: Scene, item_id: str) -> tuple[Scene, str]:
    """The scene with a copy of ``item_id`` next to the original, and the copy's id.

    Bodies and position-placed cameras are moved 0.3 m along +Y so the copy does not start
    inside the original.
    """
    group, index = find(scene, item_id)
    data = scene_data(scene)
    item = copy.deepcopy(data[group][index])
    item["id"] = unique_id(scene, f"{item_id}-2" if "-" not in item_id else item_id)
    if item.get("name"):
        item["name"] = f"{item['name']} (copy)"
    if group in ("props", "actors"):
        x, y, z = item["pose"]["position"]
        item["pose"]["position"] = [x, y + DUPLICATE_OFFSET_M, z]
    elif group == "cameras" and item["rig"].get("position") is not None:
        x, y, z = item["rig"]["position"]
        item["rig"]["position"] = [x, y + DUPLICATE_OFFSET_M, z]
    data[group].insert(index + 1, item)
    return scene_from(data), item["id"]


def reorder_shots(scene: Scene, shooting_order: Sequence[str]) -> Scene:
    """The scene with shots numbered 1, 2, 3... in ``shooting_order`` (ids of every shot)."""
    data = scene_data(scene)
    ids = [shot["id"] for shot in data["shots"]]
    if sorted(ids) != sorted(shooting_order):
        raise ValueError("the shooting order must list every shot exactly once")
    rank = {shot_id: number for number, shot_id in enumerate(shooting_order, start=1)}
    for shot in data["shots"]:
        shot["order"] = rank[shot["id"]]
    return scene_from(data)


def shooting_order(scene: Scene) -> list[str]:
    """Shot ids in shooting order (``order`` ascending, 0 = file order after numbered ones)."""
    return [shot.id for shot in in_shooting_order(scene.shots)]


def move_cue(scene: Scene, cue_id: str, time: float) -> Scene:
    group, index = find(scene, cue_id)
    if group != "cues":
        raise KeyError(f"'{cue_id}' is not a cue")
    return set_value(scene, ("cues", index, "time"), round(float(time), 6))


def set_start_pose(
    scene: Scene,
    item_id: str,
    position: Sequence[float],
    orientation: Sequence[float] | None = None,
) -> Scene:
    """The scene with a body's start pose, or a fixed camera's placement, changed."""
    group, index = find(scene, item_id)
    data = scene_data(scene)
    item = data[group][index]
    position = [float(v) for v in position]
    if group in ("props", "actors"):
        item["pose"]["position"] = position
        if orientation is not None:
            item["pose"]["orientation"] = [float(v) for v in orientation]
    elif group == "cameras" and item["rig"]["type"] == "fixed":
        rig = item["rig"]
        rig["mount"] = None
        rig["position"] = position
        # A camera aimed at a target keeps its aim; only a free camera takes the new rotation.
        if orientation is not None and item.get("look_at") is None:
            rig["orientation"] = [float(v) for v in orientation]
    else:
        raise ValueError(f"'{item_id}' cannot be moved by hand (only bodies and fixed cameras)")
    return scene_from(data)
