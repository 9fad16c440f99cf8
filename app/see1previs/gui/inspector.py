"""The inspector: every property of the selected item (or of the scene) with units, editable.

The form is built from the item's own data and its pydantic fields, so new fields appear
without GUI work: numbers show their unit, descriptions are tooltips, nested settings get a
heading. Fields that refer to something (fixtures, actors, props, cameras, catalog entries,
poses, limbs) are searchable drop-downs of names, times are timecode, orientations yaw /
pitch / roll, colours a colour picker (:mod:`see1previs.gui.field_editors`). Committing a
value makes an undoable edit; a value the scene model refuses (or a name that is not in the
list) is not applied, and the reason appears in red right under the field.
"""

from __future__ import annotations

import re
from typing import Any

import pydantic
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from see1previs.core import commands as cmd
from see1previs.core.scene import Material
from see1previs.core.scene_cues import PushOffCue, ThrowCue
from see1previs.gui import field_editors
from see1previs.gui.qt_events import listen
from see1previs.session.session import Session

SCENE_FIELDS = ("title", "frame_rate", "duration", "station", "environment", "simulation")
AXES = {2: ("w", "h"), 3: ("x", "y", "z"), 4: ("w", "x", "y", "z")}
_UNIT = re.compile(r"\[([^\]]*)\]\s*$")


def humanise(name: str) -> str:
    return name.replace("_", " ").capitalize()


def field_help(model: Any, name: str) -> tuple[str, str]:
    """(unit, description) of a pydantic field, from its metadata."""
    fields = getattr(type(model), "model_fields", {})
    info = fields.get(name)
    if info is None:
        return "", ""
    description = info.description or ""
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    unit = str(extra.get("unit", ""))
    match = _UNIT.search(description)
    if not unit and match:
        unit = match.group(1)
    return unit, description


def field_range(model: Any, name: str) -> str:
    """The allowed range of a number field as people write it: "0–4", "≥ 0", "≤ 15"."""
    info = getattr(type(model), "model_fields", {}).get(name)
    if info is None:
        return ""
    low = high = None
    for rule in info.metadata:
        for attribute in ("ge", "gt"):
            if getattr(rule, attribute, None) is not None:
                low = getattr(rule, attribute)
        for attribute in ("le", "lt"):
            if getattr(rule, attribute, None) is not None:
                high = getattr(rule, attribute)
    if low is not None and high is not None:
        return f"{low:g}–{high:g}"
    if low is not None:
        return f"≥ {low:g}"
    if high is not None:
        return f"≤ {high:g}"
    return ""


def format_number(value: float | int) -> str:
    return f"{value:.6g}" if isinstance(value, float) else str(value)


def first_error(exc: pydantic.ValidationError) -> str:
    errors = exc.errors()
    if not errors:
        return str(exc)
    message = errors[0]["msg"]
    return message.removeprefix("Value error, ")


class Inspector(QWidget):
    """The inspector dock's contents."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.title = QLabel(self)
        self.title.setObjectName("heading")
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.scroll)
        self.editors: dict[tuple, QWidget] = {}
        self.problems: dict[tuple, QLabel] = {}
        self.units: dict[tuple, str] = {}  # unit shown beside each field
        self.ranges: dict[tuple, str] = {}  # and its allowed range ("0–4")
        self._shown: tuple[str, Any] | None = None
        # (prompt, {id: position}, on_pick): set by the window to pick values in the viewport
        self.pick_in_viewport = None
        listen(self, session.selection_changed, lambda ids: self.refresh())
        listen(self, session.scene_changed, lambda scene: self.refresh())
        listen(self, session.baked, lambda result: self._baked())
        self.refresh()

    # -- what is shown --------------------------------------------------------------------
    def _target(self) -> tuple[str, tuple, Any, dict]:
        """(id or "", path prefix, model, data) of what the inspector edits."""
        scene = self.session.scene
        for item_id in self.session.selection:
            try:
                group, index = cmd.find(scene, item_id)
            except KeyError:
                continue
            model = getattr(scene, group)[index]
            return item_id, (group, index), model, model.model_dump(mode="json")
        data = scene.model_dump(mode="json")
        return "", (), scene, {key: data[key] for key in SCENE_FIELDS}

    def _baked(self) -> None:
        """A new bake moves hands: a hold's or push-off's fixture list (nearest first, with
        distances) is rebuilt, unless the director is typing in the form."""
        item_id = self._shown[0] if self._shown else ""
        cue = next((c for c in self.session.scene.cues if c.id == item_id), None)
        if cue is None or cue.type not in ("hold", "push_off"):
            return
        if any(w.hasFocus() for w in self.editors.values()):
            return
        self._shown = None
        self.refresh()

    def refresh(self) -> None:
        item_id, prefix, model, data = self._target()
        if self._shown == (item_id, data):
            return
        focused = next((p for p, w in self.editors.items() if w.hasFocus()), None)
        scroll = self.scroll.verticalScrollBar().value()
        self._shown = (item_id, data)
        self.title.setText(f"{item_id}" if item_id else f"Scene — {self.session.scene.title}")
        self.editors = {}
        self.problems = {}
        self.units = {}
        self.ranges = {}
        page = QWidget()
        grid = QGridLayout(page)
        grid.setContentsMargins(0, 0, 4, 0)
        grid.setVerticalSpacing(3)
        grid.setColumnStretch(1, 1)
        self._rows = 0
        self._add_fields(grid, model, data, prefix, depth=0)
        grid.setRowStretch(self._rows, 1)
        # The old form goes later, not now: a refresh often runs inside one of its fields'
        # own key handling (Enter applies the value; Ctrl+Z applies it before undoing).
        old = self.scroll.takeWidget()
        if old is not None:
            old.hide()
            old.deleteLater()
        self.scroll.setWidget(page)
        self.scroll.verticalScrollBar().setValue(scroll)
        if focused in self.editors:
            self.editors[focused].setFocus()

    def _add_fields(self, grid: QGridLayout, model: Any, data: dict, prefix: tuple, depth: int):
        for name, value in data.items():
            path = (*prefix, name)
            unit, description = field_help(model, name)
            child = getattr(model, name, None)
            if name == "direction" and value is None and isinstance(model, PushOffCue | ThrowCue):
                continue  # aimed at a target: the direction appears when "along a direction"
            if isinstance(value, dict):
                if not value:
                    continue  # nothing set (e.g. no joint overrides): no empty heading
                heading = QLabel(("    " * depth) + humanise(name), self)
                heading.setObjectName("heading")
                heading.setToolTip(description)
                grid.addWidget(heading, self._next_row(), 0, 1, 3)
                if isinstance(child, Material):  # a named material fills both numbers
                    self._add_material_preset(grid, child, path, depth + 1)
                self._add_fields(grid, child, value, path, depth + 1)
                continue
            label = QLabel(("    " * depth) + humanise(name))
            label.setToolTip(description)
            row = self._next_row()
            grid.addWidget(label, row, 0)
            editor = self._editor(path, name, value, model)
            editor.setToolTip(description)
            grid.addWidget(editor, row, 1)
            shown = field_editors.shown_unit(editor, unit)
            limits = field_range(model, name) if shown == unit and _numeric(value) else ""
            unit_label = QLabel(f"{shown}  {limits}".strip())  # e.g. "m/s  0–4"
            unit_label.setObjectName("unit")
            grid.addWidget(unit_label, row, 2)
            self.units[path] = shown
            self.ranges[path] = limits
            self._add_problem_row(grid, path)

    def _add_material_preset(self, grid: QGridLayout, material, path: tuple, depth: int):
        label = QLabel(("    " * depth) + "Preset")
        label.setToolTip("A named material: sets restitution and friction together")
        row = self._next_row()
        grid.addWidget(label, row, 0)
        box = field_editors.material_preset_box(self, path, material)
        grid.addWidget(box, row, 1)
        preset_path = (*path, "preset")
        self.editors[preset_path] = box
        self.units[preset_path] = ""
        self.ranges[preset_path] = ""
        self._add_problem_row(grid, preset_path)

    def _add_problem_row(self, grid: QGridLayout, path: tuple) -> None:
        """The hidden red line under a field where its refusal is shown."""
        problem = QLabel()
        problem.setObjectName("problem")
        problem.setWordWrap(True)
        problem.hide()
        grid.addWidget(problem, self._next_row(), 0, 1, 3)
        self.problems[path] = problem

    def _next_row(self) -> int:
        self._rows += 1
        return self._rows - 1

    def _editor(self, path: tuple, name: str, value: Any, model: Any = None) -> QWidget:
        special = field_editors.editor_for(self, path, name, value, model)
        if special is not None:
            self.editors[path] = getattr(special, "box", special)  # a drop-down beside "Pick"
            return special
        if name == "type" or (isinstance(value, list) and value and isinstance(value[0], dict)):
            text = value if name == "type" else f"{len(value)} entries (edit in the scene file)"
            if name == "type" and path[0] == "cues":
                return field_editors.cue_type_label(value)
            label = QLabel(str(text))
            label.setObjectName("unit")
            return label
        if isinstance(value, bool):
            box = QCheckBox()
            box.setChecked(value)
            box.toggled.connect(lambda checked, p=path: self.commit(p, checked))
            self.editors[path] = box
            return box
        if isinstance(value, list) and all(isinstance(v, int | float) for v in value):
            holder = QWidget()
            row = QHBoxLayout(holder)
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(2)
            edits = []
            for axis, component in zip(AXES.get(len(value), ()), value, strict=False):
                edit = QLineEdit(format_number(component))
                edit.setCursorPosition(0)  # show the leading digits, not the tail
                edit.setPlaceholderText(axis)
                edit.setToolTip(axis)
                edit.setMinimumWidth(40)
                edits.append(edit)
                row.addWidget(edit)
            for edit in edits:
                edit.editingFinished.connect(lambda p=path, e=edits: self._commit_vector(p, e))
            self.editors[path] = edits[0]
            return holder
        edit = QLineEdit(
            "" if value is None else format_number(value) if _numeric(value) else str(value)
        )
        if value is None:
            edit.setPlaceholderText("not set")
        edit.editingFinished.connect(lambda p=path, e=edit, v=value: self._commit_text(p, e, v))
        self.editors[path] = edit
        return edit

    # -- editing --------------------------------------------------------------------------
    def _commit_text(self, path: tuple, edit: QLineEdit, original: Any) -> None:
        text = edit.text().strip()
        if _numeric(original):
            try:
                value: Any = float(text)
            except ValueError:
                self._show_problem(path, f"'{text}' is not a number")
                return
            if isinstance(original, int) and value.is_integer() and path[-1] != "frame_rate":
                value = int(value)
        elif original is None:
            if text == "":
                value = None
            else:
                try:
                    value = float(text)
                except ValueError:
                    value = text
        else:
            value = text
        self.commit(path, value)

    def _commit_vector(self, path: tuple, edits: list[QLineEdit]) -> None:
        try:
            value = [float(e.text()) for e in edits]
        except ValueError:
            self._show_problem(path, "every component must be a number")
            return
        self.commit(path, value)

    def commit(self, path: tuple, value: Any) -> bool:
        """Set the field at ``path`` as an undoable edit; False (and a message) if refused."""
        scene = self.session.scene
        try:
            if cmd.get_value(scene, path) == value:
                self._show_problem(path, "")
                return True
            edited = cmd.set_value(scene, path, value)
        except pydantic.ValidationError as exc:
            self._show_problem(path, first_error(exc))
            return False
        self._show_problem(path, "")
        item_id = self._shown[0] if self._shown else ""
        what = humanise(path[-1]).lower()
        self.session.edit(f"Set {item_id} {what}" if item_id else f"Set scene {what}", edited)
        return True

    def commit_many(self, prefix: tuple, changes: dict[str, Any]) -> bool:
        """Set several fields of one item as one undoable edit (e.g. a lens and its focal
        length); False (and the first field's message) if the scene model refuses it."""
        scene = self.session.scene
        data = cmd.scene_data(scene)
        item = data
        for key in prefix:
            item = item[key]
        first = (*prefix, next(iter(changes)))
        if all(item.get(k) == v for k, v in changes.items()):
            return True
        for key, value in changes.items():
            if value is None:
                item.pop(key, None)
            else:
                item[key] = value
        try:
            edited = cmd.scene_from(data)
        except pydantic.ValidationError as exc:
            self._show_problem(first, first_error(exc))
            return False
        self._show_problem(first, "")
        item_id = self._shown[0] if self._shown else ""
        what = " and ".join(humanise(k).lower() for k in changes)
        self.session.edit(f"Set {item_id} {what}", edited)
        return True

    def show_problem(self, path: tuple, message: str) -> None:
        """Show (or clear, with "") the red reason under a field."""
        self._show_problem(path, message)

    def station(self):
        """The scene's interior (for fixture names), None if it cannot be loaded."""
        bake = self.session.bake
        if bake is not None:
            return bake.station
        from see1previs.physics.bake import station_for
        from see1previs.station.model import StationError

        try:  # the loader keeps loaded interiors: this is cheap after the first time
            return station_for(self.session.scene, self.session.scene_dir)
        except StationError:
            return None

    def trajectory(self):
        bake = self.session.bake
        return bake.trajectory if bake is not None else None

    def direction_toward(self, cue) -> list[float]:
        """Unit vector from the actor to the cue's target at the cue's time (or +X)."""
        import numpy as np

        from see1previs.physics.cue_defaults import Moment

        station = self.station()
        if station is None or cue.toward is None:
            return [1.0, 0.0, 0.0]
        moment = Moment(self.session.scene, station, cue.time, self.trajectory())
        try:
            here = moment.position(cue.actor)
            ids = {b.id for b in self.session.scene.bodies()}
            there = (
                moment.position(cue.toward)
                if cue.toward in ids
                else np.asarray(station.fixture(cue.toward).position)
            )
        except KeyError:
            return [1.0, 0.0, 0.0]
        d = there - here
        n = float(np.linalg.norm(d))
        return [round(float(c) / n, 4) for c in d] if n > 1e-9 else [1.0, 0.0, 0.0]

    def _show_problem(self, path: tuple, message: str) -> None:
        label = self.problems.get(path)
        editor = self.editors.get(path)
        if editor is not None:
            editor.setProperty("invalid", bool(message))
            editor.style().unpolish(editor)
            editor.style().polish(editor)
        if label is not None:
            label.setText(message)
            label.setVisible(bool(message))

    def problem_text(self, path: tuple) -> str:
        label = self.problems.get(path)
        return label.text() if label is not None and not label.isHidden() else ""


def _numeric(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
