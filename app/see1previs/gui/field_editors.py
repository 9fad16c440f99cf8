"""The inspector's editors for fields that are not plain numbers or text.

- :class:`ChoiceBox`: a drop-down with search (editable combo box, completer matching any
  part of a name) for every field that refers to something — fixtures, actors, props,
  cameras, catalog bodies, modes and lenses, poses, limbs (:mod:`see1previs.gui.field_choices`).
  Typed text that is no entry is refused with the reason under the field.
- :class:`TimeEdit`: a time shown as timecode, typed as timecode or seconds.
- :class:`AnglesEdit`: an orientation as yaw, pitch, roll in degrees.
- :class:`ColourButton`: a colour swatch opening the colour picker.
- :class:`ZoomSlider`: a zoom lens's focal length as a slider over its range.

:func:`editor_for` picks the editor for a field and wires it to the inspector's commits; some
choices set several fields in one undoable edit (a prime lens sets its focal length; aiming
"along a direction" turns the target into the vector toward it).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QToolButton,
    QWidget,
)

from see1previs.cinema import catalog
from see1previs.core.field_entry import (
    parse_time,
    quaternion_from_ypr,
    time_text,
    ypr_from_quaternion,
)
from see1previs.core.scene_cameras import Camera, FixedRig
from see1previs.core.scene_cues import HoldCue, PushOffCue, ThrowCue
from see1previs.gui.field_choices import Choices, choices_for, resolve
from see1previs.gui.icons import icon
from see1previs.physics import materials
from see1previs.physics.cue_defaults import Moment

TIME_FIELDS = ("time", "until", "start", "end")


def pick_colour(initial: QColor, parent: QWidget, title: str) -> QColor:
    """The colour picker (a module function so tests can stand in for the dialog)."""
    return QColorDialog.getColor(initial, parent, title)


class ChoiceBox(QComboBox):
    """A searchable drop-down of (label, value) entries."""

    def __init__(self, choices: Choices, current: Any, on_choose, on_refuse) -> None:
        super().__init__()
        self.choices = choices
        self._on_choose = on_choose
        self._on_refuse = on_refuse
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(12)
        for label, value in choices.entries:
            self.addItem(label, value)
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        index = next((i for i, (_, v) in enumerate(choices.entries) if v == current), -1)
        if index < 0 and current is not None:
            self.addItem(f"{current} (not in the list)", current)
            index = self.count() - 1
        self.setCurrentIndex(index)
        self.lineEdit().setCursorPosition(0)  # the start of a long name, not its tail
        self.setToolTip(self.currentText())
        self._shown = self.currentText()
        self.activated.connect(self._activated)
        self.lineEdit().editingFinished.connect(self._typed)

    def value(self) -> Any:
        return self.currentData()

    def _activated(self, index: int) -> None:
        self._shown = self.itemText(index)
        self._on_choose(self.itemData(index))

    def _typed(self) -> None:
        text = self.currentText()
        if text == self._shown:
            return
        found, value, reason = resolve(self.choices, text)
        if not found:
            self._on_refuse(reason)
            return
        index = next(i for i, (_, v) in enumerate(self.choices.entries) if v == value)
        self.setCurrentIndex(index)
        self._shown = self.itemText(index)
        self._on_choose(value)


class TimeEdit(QLineEdit):
    """A time: timecode when on a frame, typed as ``HH:MM:SS:FF`` or seconds."""

    def __init__(self, seconds: float | None, rate, on_value, on_refuse) -> None:
        super().__init__("" if seconds is None else time_text(seconds, rate))
        self.rate = rate
        if seconds is None:
            self.setPlaceholderText("not set")
        self.setToolTip("Timecode HH:MM:SS:FF or seconds (e.g. 1.5)")
        self.editingFinished.connect(lambda: self._finish(on_value, on_refuse))

    def _finish(self, on_value, on_refuse) -> None:
        text = self.text().strip()
        if text == "":
            on_value(None)
            return
        try:
            seconds = parse_time(text, self.rate)
        except ValueError as exc:
            on_refuse(str(exc))
            return
        on_value(round(seconds, 9))


class AnglesEdit(QWidget):
    """Yaw, pitch and roll in degrees for a quaternion field."""

    def __init__(self, q, on_value, on_refuse) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        self.edits = []
        for axis, angle in zip(("yaw", "pitch", "roll"), ypr_from_quaternion(q), strict=True):
            edit = QLineEdit(f"{angle:.6g}")
            edit.setPlaceholderText(axis)
            edit.setToolTip(f"{axis} [°]")
            edit.setMinimumWidth(40)
            edit.editingFinished.connect(lambda: self._finish(on_value, on_refuse))
            row.addWidget(edit)
            self.edits.append(edit)

    def _finish(self, on_value, on_refuse) -> None:
        try:
            angles = [float(e.text()) for e in self.edits]
        except ValueError:
            on_refuse("yaw, pitch and roll must be numbers of degrees")
            return
        on_value(quaternion_from_ypr(*angles))


class ColourButton(QPushButton):
    """A swatch of the colour; clicking opens the colour picker."""

    def __init__(self, colour: str | None, on_value) -> None:
        super().__init__(colour or "automatic")
        self.colour = colour
        if colour:
            text = "#000000" if QColor(colour).lightness() > 140 else "#ffffff"
            self.setStyleSheet(f"background: {colour}; color: {text};")
        self.clicked.connect(lambda: self._pick(on_value))

    def _pick(self, on_value) -> None:
        chosen = pick_colour(QColor(self.colour or "#808080"), self, "Colour")
        if chosen.isValid():
            on_value(chosen.name())


class ZoomSlider(QWidget):
    """A zoom lens's focal length: a slider in whole millimetres plus the typed value."""

    def __init__(self, focal: float, lens: catalog.Lens, on_value, on_refuse) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(lens.focal_min_mm, lens.focal_max_mm)
        self.slider.setValue(round(focal))
        self.slider.setToolTip(f"{lens.focal_min_mm}-{lens.focal_max_mm} mm")
        self.edit = QLineEdit(f"{focal:g}")
        self.edit.setMaximumWidth(60)
        self.slider.valueChanged.connect(lambda v: self._moved(v, on_value))
        self.slider.sliderReleased.connect(lambda: on_value(float(self.slider.value())))
        self.edit.editingFinished.connect(lambda: self._typed(on_value, on_refuse))
        row.addWidget(self.slider, 1)
        row.addWidget(self.edit)

    def _moved(self, millimetres: int, on_value) -> None:
        self.edit.setText(f"{millimetres}")
        if not self.slider.isSliderDown():  # keys and clicks apply at once, a drag on release
            on_value(float(millimetres))

    def _typed(self, on_value, on_refuse) -> None:
        try:
            on_value(float(self.edit.text()))
        except ValueError:
            on_refuse(f"'{self.edit.text()}' is not a number of millimetres")


CUSTOM_MATERIAL = "Custom (the numbers below)"


def material_preset_box(inspector, path: tuple, material) -> ChoiceBox:
    """A searchable drop-down of named materials (:mod:`see1previs.physics.materials`) for a
    prop's ``material`` at ``path``: choosing one sets restitution and friction as one edit;
    numbers that match no preset show as Custom."""
    entries = [(p.name, p.id) for p in materials.PRESETS]  # the numbers show just below
    entries.append((CUSTOM_MATERIAL, None))
    found = materials.preset_for(material.restitution, material.friction)

    def choose(preset_id) -> None:
        if preset_id is None:
            return  # Custom: the numbers are edited in their own fields
        chosen = materials.preset(preset_id)
        inspector.commit_many(
            path, {"restitution": chosen.restitution, "friction": chosen.friction}
        )

    box = ChoiceBox(
        Choices(entries, "a material"),
        found.id if found is not None else None,
        choose,
        lambda reason: inspector.show_problem((*path, "preset"), reason),
    )
    box.setToolTip(
        f"{found.name}: {found.source}"
        if found is not None
        else "Restitution and friction typed in (no named material has these numbers)"
    )
    for index, preset in enumerate(materials.PRESETS):
        box.setItemData(
            index,
            f"Restitution {preset.restitution:g}, friction {preset.friction:g} — {preset.source}",
            Qt.ItemDataRole.ToolTipRole,
        )
    return box


def shown_unit(editor: QWidget, unit: str) -> str:
    """The unit beside a field: what a special editor shows rather than the stored unit."""
    if isinstance(editor, TimeEdit):
        return "TC / s"
    if isinstance(editor, AnglesEdit):
        return "° y/p/r"
    return unit


def cue_type_label(cue_type: str) -> QWidget:
    """A cue's type in words with its palette icon (the type itself cannot be edited)."""
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    picture = QLabel()
    picture.setPixmap(icon("cue-" + cue_type.replace("_", "-")).pixmap(16, 16))
    words = QLabel(cue_type.replace("_", " ").capitalize())
    words.setObjectName("unit")
    row.addWidget(picture)
    row.addWidget(words, 1)
    return holder


def editor_for(inspector, path: tuple, name: str, value: Any, model: Any) -> QWidget | None:
    """The special editor for a field, wired to the inspector; None for a plain field."""
    session = inspector.session
    scene = session.scene
    refuse = lambda reason, p=path: inspector.show_problem(p, reason)  # noqa: E731
    commit = lambda v, p=path: inspector.commit(p, v)  # noqa: E731
    parent = path[:-1]
    choices = choices_for(model, name, scene, inspector.station(), inspector.trajectory())
    if choices is not None and (value is None or isinstance(value, str)):
        if isinstance(model, PushOffCue | ThrowCue) and name == "toward":
            on_choose = lambda v: _aim(inspector, parent, model, v)  # noqa: E731
        elif isinstance(model, Camera) and name == "lens":
            on_choose = lambda v: _lens(inspector, parent, model, v)  # noqa: E731
        elif isinstance(model, HoldCue) and name == "fixture":
            on_choose = lambda v: _hold_fixture(inspector, parent, model, v)  # noqa: E731
        elif isinstance(model, FixedRig) and name == "mount":
            on_choose = lambda v: _mount(inspector, parent, model, v)  # noqa: E731
        elif isinstance(model, Camera) and name == "body":
            on_choose = lambda v: inspector.commit_many(parent, {"body": v, "mode": None})  # noqa: E731
        else:
            on_choose = commit
        box = ChoiceBox(choices, value, on_choose, refuse)
        candidates = pick_candidates(inspector, model, name, choices)
        if candidates and inspector.pick_in_viewport is not None:
            return _with_pick_button(inspector, box, humanise_field(name), candidates, on_choose)
        return box
    if name in TIME_FIELDS and (value is None or isinstance(value, int | float)):
        if value is None and not _optional_time(model, name):
            return None
        return TimeEdit(value, scene.frame_rate, commit, refuse)
    if name == "orientation" and isinstance(value, list) and len(value) == 4:
        return AnglesEdit(value, commit, refuse)
    if name == "color" and (value is None or isinstance(value, str)):
        return ColourButton(value, commit)
    if isinstance(model, Camera) and name == "focal_length" and model.lens is not None:
        try:
            lens = catalog.lens(model.lens)
        except KeyError:
            return None
        if lens.focal_max_mm > lens.focal_min_mm:
            return ZoomSlider(value, lens, commit, refuse)
    return None


PICKED_FIELDS = ("fixture", "surface", "toward", "target", "prop", "actor", "focus_target",
                 "look_at", "mount")  # fmt: skip


def humanise_field(name: str) -> str:
    return name.replace("_", " ")


def pick_candidates(inspector, model: Any, name: str, choices: Choices) -> dict[str, Any]:
    """Where each choice is at the cue's time (or the playhead), for picking in the viewport.
    A hold or push-off offers only the fixtures within reach."""
    if name not in PICKED_FIELDS:
        return {}
    session = inspector.session
    station = inspector.station()
    if station is None:
        return {}
    moment = Moment(
        session.scene, station, getattr(model, "time", session.time), inspector.trajectory()
    )
    bodies = {b.id for b in session.scene.bodies()}
    fixtures = {f.id: f for f in station.fixtures}
    reach_only = isinstance(model, HoldCue | PushOffCue) and name in ("fixture", "surface")
    found = {}
    for label, value in choices.entries:
        if reach_only and "out of reach" in label:
            continue
        if value in bodies:
            found[value] = moment.position(value)
        elif value in fixtures:
            found[value] = np.asarray(fixtures[value].position, dtype=float)
    return found


def _with_pick_button(inspector, box: ChoiceBox, what: str, candidates, on_choose) -> QWidget:
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(2)
    button = QToolButton()
    button.setText("Pick")
    button.setToolTip(f"Click the {what} in the viewport (the candidates are marked)")
    button.clicked.connect(
        lambda: inspector.pick_in_viewport(f"Click the {what} to use", candidates, on_choose)
    )
    row.addWidget(box, 1)
    row.addWidget(button)
    holder.box = box
    holder.pick_button = button
    return holder


def _optional_time(model: Any, name: str) -> bool:
    return name in getattr(type(model), "model_fields", {})


def _aim(inspector, parent: tuple, cue, target) -> None:
    """Aim at a target (no direction), or along the direction toward the current target."""
    if target is not None:
        inspector.commit_many(parent, {"toward": target, "direction": None})
        return
    if cue.direction is not None:
        return
    direction = inspector.direction_toward(cue)
    inspector.commit_many(parent, {"toward": None, "direction": direction})


def _hold_fixture(inspector, parent: tuple, cue: HoldCue, fixture_id: str) -> None:
    """Feet go in a foot restraint; a handrail is taken with a hand: the one the cue names,
    else a hand free at that moment (the right first)."""
    station = inspector.station()
    kind = station.fixture(fixture_id).kind if station is not None else ""
    limb = cue.limb
    if kind == "foot_restraint":
        limb = "feet"
    elif limb in (None, "feet") and station is not None:
        moment = Moment(inspector.session.scene, station, cue.time, inspector.trajectory())
        holds, in_hand = moment.holdings(cue.actor)
        busy = {h for h, f in holds.items() if f != cue.fixture} | set(in_hand)
        limb = next((h for h in ("right_hand", "left_hand") if h not in busy), "right_hand")
    inspector.commit_many(parent, {"fixture": fixture_id, "limb": limb})


def _mount(inspector, parent: tuple, rig: FixedRig, mount_id) -> None:
    """On a mount, or off it at the mount's place (a fixed camera has one or the other)."""
    if mount_id is not None:
        inspector.commit_many(parent, {"mount": mount_id, "position": None})
        return
    station = inspector.station()
    if rig.mount is None or station is None:
        return
    where = [round(float(c), 4) for c in station.fixture(rig.mount).position]
    inspector.commit_many(parent, {"mount": None, "position": where})


def _lens(inspector, parent: tuple, camera: Camera, lens_id) -> None:
    """A prime sets its focal length; a zoom keeps the focal length inside its range."""
    changes: dict[str, Any] = {"lens": lens_id}
    if lens_id is not None:
        lens = catalog.lens(lens_id)
        focal = float(np.clip(camera.focal_length, lens.focal_min_mm, lens.focal_max_mm))
        changes["focal_length"] = (
            float(lens.focal_min_mm) if lens.focal_min_mm == lens.focal_max_mm else focal
        )
    inspector.commit_many(parent, changes)
